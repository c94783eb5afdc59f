//! The token cache: one token per (token URL, access key, scope), shared by every client
//! that uses the same [`TokenProvider`], fetched once, refreshed ahead of expiry.
//!
//! Rules, and why:
//! - **Single flight.** Callers that find no usable token queue on the slot's gate and
//!   re-check after it, so N concurrent first calls cause one token request.
//! - **Refresh ahead with jitter.** A token is refreshed a tenth of its lifetime early (at least a
//!   minute, at most a day; see [`RefreshPolicy`]), plus up to a quarter of that at random, so
//!   sellers onboarded together do not refresh together. One caller refreshes; the others
//!   keep using the current token, and if the refresh fails the current token stays in use.
//! - **Hard expiry.** A token is never handed out in its last 30 seconds.
//! - **Back-off.** After a failed request nobody asks again until a cool-down passes
//!   (exponential, or the endpoint's `Retry-After`); wrong keys get a long cool-down. During
//!   it callers get the last error at once instead of hammering a throttled endpoint.
//! - **401.** Only the token the API rejected is dropped (so a burst of 401s refreshes once),
//!   and at most once per 30 seconds per seller.

use std::collections::HashMap;
use std::fmt;
use std::hash::{BuildHasher, RandomState};
use std::sync::{Arc, Mutex, RwLock};
use std::time::{Duration, Instant, SystemTime};

use super::clock::{Clock, SystemClock};
use super::issuer::{DEFAULT_SCOPE, Issued, Issuer};
use super::store::{EXPIRY_MARGIN, MemoryTokenStore, StoreKey, StoredToken, TokenStore};
use super::{AuthError, BearerToken, BoxFuture, Credentials, TokenSource};
use crate::client::{BuildError, Environment};

/// When tokens are refreshed and how failures back off.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RefreshPolicy {
    /// Lifetime assumed when the endpoint sends no `expires_in`.
    pub default_lifetime: Duration,
    /// Refresh this fraction of the lifetime early (1/10 → `10`)...
    pub refresh_ahead_divisor: u32,
    /// ...but at least this early...
    pub min_refresh_ahead: Duration,
    /// ...and at most this early.
    pub max_refresh_ahead: Duration,
    /// Add up to this fraction of the refresh-ahead time at random (1/4 → `4`; 0 = no jitter).
    pub jitter_divisor: u32,
    /// First cool-down after a failed token request; doubles with each further failure.
    pub initial_backoff: Duration,
    /// Longest cool-down after ordinary failures.
    pub max_backoff: Duration,
    /// Cool-down after the endpoint rejected the keys or the caller's IP.
    pub credential_backoff: Duration,
    /// Longest `Retry-After` honoured.
    pub max_retry_after: Duration,
    /// Minimum time between two 401-driven refreshes of one seller's token.
    pub min_forced_refresh_interval: Duration,
}

impl Default for RefreshPolicy {
    fn default() -> Self {
        Self {
            default_lifetime: Duration::from_secs(3600),
            refresh_ahead_divisor: 10,
            min_refresh_ahead: Duration::from_secs(60),
            max_refresh_ahead: Duration::from_secs(24 * 3600),
            jitter_divisor: 4,
            initial_backoff: Duration::from_secs(1),
            max_backoff: Duration::from_secs(60),
            credential_backoff: Duration::from_secs(300),
            max_retry_after: Duration::from_secs(3600),
            min_forced_refresh_interval: Duration::from_secs(30),
        }
    }
}

/// Shortest lifetime taken from an endpoint; longer-lived answers are believed up to 400 days.
const MIN_LIFETIME: Duration = Duration::from_secs(60);
const MAX_LIFETIME: Duration = Duration::from_secs(400 * 24 * 3600);

impl RefreshPolicy {
    /// Refresh-ahead time for a token living `lifetime`, before jitter.
    pub fn refresh_ahead(&self, lifetime: Duration) -> Duration {
        (lifetime / self.refresh_ahead_divisor.max(1))
            .clamp(
                self.min_refresh_ahead,
                self.max_refresh_ahead.max(self.min_refresh_ahead),
            )
            .min(lifetime / 2)
    }

    fn jitter(&self, ahead: Duration) -> Duration {
        if self.jitter_divisor == 0 {
            return Duration::ZERO;
        }
        let max = (ahead / self.jitter_divisor).as_millis() as u64;
        // A fresh RandomState is randomly seeded: enough randomness to spread refreshes.
        let random = RandomState::new().hash_one(0u8);
        Duration::from_millis(random % (max + 1))
    }

    fn backoff(&self, error: &AuthError, failures: u32) -> Duration {
        let exponential = self
            .initial_backoff
            .saturating_mul(1 << failures.saturating_sub(1).min(16))
            .min(self.max_backoff);
        match error {
            AuthError::InvalidCredentials { .. } | AuthError::Forbidden { .. } => {
                self.credential_backoff
            }
            AuthError::Throttled {
                retry_after: Some(after),
            }
            | AuthError::Server {
                retry_after: Some(after),
                ..
            } => exponential.max((*after).min(self.max_retry_after)),
            _ => exponential,
        }
    }
}

/// Issues, caches and refreshes tokens for any number of sellers.
///
/// Cheap to clone (an `Arc` inside); clones share the cache. Build one per process and hand
/// it to every client (see [`ClientBuilder::token_provider`](crate::ClientBuilder::token_provider)).
#[derive(Clone)]
pub struct TokenProvider {
    inner: Arc<Inner>,
}

struct Inner {
    issuer: Issuer,
    store: Arc<dyn TokenStore>,
    clock: Arc<dyn Clock>,
    policy: RefreshPolicy,
    slots: RwLock<HashMap<StoreKey, Arc<Slot>>>,
}

impl fmt::Debug for TokenProvider {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("TokenProvider")
            .field("token_url", &self.inner.issuer.token_url())
            .field("scope", &self.inner.issuer.scope())
            .field("store", &self.inner.store)
            .field("sellers", &self.sellers())
            .finish_non_exhaustive()
    }
}

/// Configures a [`TokenProvider`].
#[derive(Debug, Clone)]
pub struct TokenProviderBuilder {
    token_url: String,
    scope: String,
    store: Option<Arc<dyn TokenStore>>,
    clock: Arc<dyn Clock>,
    http_client: Option<reqwest::Client>,
    policy: RefreshPolicy,
}

impl Default for TokenProviderBuilder {
    fn default() -> Self {
        Self {
            token_url: Environment::Production.token_url().to_string(),
            scope: DEFAULT_SCOPE.to_string(),
            store: None,
            clock: Arc::new(SystemClock),
            http_client: None,
            policy: RefreshPolicy::default(),
        }
    }
}

impl TokenProviderBuilder {
    /// Uses the token endpoint of `environment` (production by default).
    pub fn environment(mut self, environment: Environment) -> Self {
        self.token_url = environment.token_url().to_string();
        self
    }

    /// Uses this token endpoint (a test server or a fixed-IP relay).
    pub fn token_url(mut self, token_url: impl Into<String>) -> Self {
        self.token_url = token_url.into();
        self
    }

    /// Requests this scope instead of `toss-shopping-fep:write`.
    pub fn scope(mut self, scope: impl Into<String>) -> Self {
        self.scope = scope.into();
        self
    }

    /// Keeps tokens in `store` (default: in memory for the life of the process).
    pub fn store(mut self, store: impl TokenStore + 'static) -> Self {
        self.store = Some(Arc::new(store));
        self
    }

    /// Keeps tokens in a store shared with other providers.
    pub fn shared_store(mut self, store: Arc<dyn TokenStore>) -> Self {
        self.store = Some(store);
        self
    }

    /// Judges expiry by `clock` (tests).
    pub fn clock(mut self, clock: Arc<dyn Clock>) -> Self {
        self.clock = clock;
        self
    }

    /// Sends token requests with this HTTP client (e.g. the one behind your API clients, for a
    /// shared connection pool or a proxy).
    pub fn http_client(mut self, http_client: reqwest::Client) -> Self {
        self.http_client = Some(http_client);
        self
    }

    /// Changes when tokens are refreshed and how failures back off.
    pub fn refresh_policy(mut self, policy: RefreshPolicy) -> Self {
        self.policy = policy;
        self
    }

    /// Builds the provider.
    pub fn build(self) -> Result<TokenProvider, BuildError> {
        let http = match self.http_client {
            Some(http) => http,
            None => reqwest::Client::builder()
                // The oauth2 docs advise against following redirects from a token endpoint.
                .redirect(reqwest::redirect::Policy::none())
                .build()
                .map_err(BuildError::Http)?,
        };
        let issuer =
            Issuer::new(http, &self.token_url, &self.scope).map_err(BuildError::InvalidTokenUrl)?;
        let store = self
            .store
            .unwrap_or_else(|| Arc::new(MemoryTokenStore::with_clock(self.clock.clone())));
        Ok(TokenProvider {
            inner: Arc::new(Inner {
                issuer,
                store,
                clock: self.clock,
                policy: self.policy,
                slots: RwLock::new(HashMap::new()),
            }),
        })
    }
}

impl TokenProvider {
    /// Starts configuring a provider.
    pub fn builder() -> TokenProviderBuilder {
        TokenProviderBuilder::default()
    }

    /// The token source for one seller. Every source for the same access key shares one
    /// cached token.
    pub fn source(&self, credentials: Credentials) -> Arc<dyn TokenSource> {
        Arc::new(SellerTokens {
            provider: self.clone(),
            slot: self.slot(credentials),
        })
    }

    /// Forgets a seller's token, in memory and in the store (offboarding, or a token that must
    /// not be used again). Clients already built for the seller keep their own reference to the
    /// forgotten entry; build new ones with [`Client::for_seller`](crate::Client::for_seller).
    pub async fn forget(&self, credentials: &Credentials) {
        let key = self.key(credentials);
        self.write_slots().remove(&key);
        if let Err(error) = self.inner.store.remove(&key).await {
            tracing::warn!(%error, "toss-shopping: could not remove a token from the store");
        }
    }

    /// How many sellers the provider holds a cache entry for.
    pub fn sellers(&self) -> usize {
        self.read_slots().len()
    }

    fn key(&self, credentials: &Credentials) -> StoreKey {
        StoreKey::new(
            self.inner.issuer.token_url(),
            credentials.access_key(),
            self.inner.issuer.scope(),
        )
    }

    /// The cache entry for these credentials. A new secret key for a known access key (a
    /// rotation) replaces the entry, so the new secret is used from then on; the still-valid
    /// token is taken over from the store.
    fn slot(&self, credentials: Credentials) -> Arc<Slot> {
        let key = self.key(&credentials);
        if let Some(slot) = self
            .read_slots()
            .get(&key)
            .filter(|slot| slot.credentials == credentials)
        {
            return slot.clone();
        }
        let mut slots = self.write_slots();
        match slots.get(&key) {
            Some(slot) if slot.credentials == credentials => slot.clone(),
            _ => {
                let slot = Arc::new(Slot::new(key.clone(), credentials));
                slots.insert(key, slot.clone());
                slot
            }
        }
    }

    // The slot map and slot states are only touched in short, non-async sections; a panic
    // while one is held cannot leave it inconsistent, so a poisoned lock is still usable.
    fn read_slots(&self) -> std::sync::RwLockReadGuard<'_, HashMap<StoreKey, Arc<Slot>>> {
        self.inner
            .slots
            .read()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    fn write_slots(&self) -> std::sync::RwLockWriteGuard<'_, HashMap<StoreKey, Arc<Slot>>> {
        self.inner
            .slots
            .write()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }
}

/// One seller's cached token.
struct Slot {
    key: StoreKey,
    credentials: Credentials,
    state: Mutex<State>,
    /// Held by whoever is asking the endpoint; the others wait or use the current token.
    gate: tokio::sync::Mutex<()>,
}

#[derive(Default)]
struct State {
    current: Option<Current>,
    /// The last token the API rejected; never taken back from the store.
    rejected: Option<BearerToken>,
    cooldown: Option<(Instant, Arc<AuthError>)>,
    failures: u32,
    last_forced_refresh: Option<Instant>,
}

struct Current {
    token: BearerToken,
    refresh_at: Instant,
    hard_expiry: Instant,
}

enum Peek {
    Fresh(BearerToken),
    /// Valid, but due for refresh.
    Stale(BearerToken),
    Missing,
}

impl Slot {
    fn new(key: StoreKey, credentials: Credentials) -> Self {
        Self {
            key,
            credentials,
            state: Mutex::new(State::default()),
            gate: tokio::sync::Mutex::new(()),
        }
    }

    fn state(&self) -> std::sync::MutexGuard<'_, State> {
        self.state
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    fn peek(&self, now: Instant) -> Peek {
        match &self.state().current {
            Some(current) if now < current.refresh_at => Peek::Fresh(current.token.clone()),
            Some(current) if now < current.hard_expiry => Peek::Stale(current.token.clone()),
            _ => Peek::Missing,
        }
    }

    fn cooling_down(&self, now: Instant) -> Option<AuthError> {
        let state = self.state();
        let (until, last) = state.cooldown.as_ref()?;
        (now < *until).then(|| AuthError::CoolingDown {
            remaining: *until - now,
            last: last.clone(),
        })
    }
}

/// The [`TokenSource`] of one seller.
struct SellerTokens {
    provider: TokenProvider,
    slot: Arc<Slot>,
}

impl fmt::Debug for SellerTokens {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SellerTokens")
            .field("access_key", &self.slot.credentials.access_key())
            .field("token_url", &self.provider.inner.issuer.token_url())
            .finish_non_exhaustive()
    }
}

impl TokenSource for SellerTokens {
    fn token(&self) -> BoxFuture<'_, Result<BearerToken, AuthError>> {
        Box::pin(self.get())
    }

    fn invalidate(&self, rejected: &BearerToken) {
        let now = self.provider.inner.clock.now();
        let policy = &self.provider.inner.policy;
        let mut state = self.slot.state();
        if !state
            .current
            .as_ref()
            .is_some_and(|current| current.token == *rejected)
        {
            return; // already replaced: a burst of 401s drops the token once
        }
        if state
            .last_forced_refresh
            .is_some_and(|last| now.duration_since(last) < policy.min_forced_refresh_interval)
        {
            tracing::warn!(
                "toss-shopping: token rejected again soon after a refresh; not refreshing"
            );
            return;
        }
        state.current = None;
        state.rejected = Some(rejected.clone());
        state.last_forced_refresh = Some(now);
    }
}

impl SellerTokens {
    async fn get(&self) -> Result<BearerToken, AuthError> {
        let clock = &self.provider.inner.clock;
        match self.slot.peek(clock.now()) {
            Peek::Fresh(token) => Ok(token),
            Peek::Stale(token) => Ok(self.refresh_ahead(token).await),
            Peek::Missing => {
                if let Some(error) = self.slot.cooling_down(clock.now()) {
                    return Err(error);
                }
                let _gate = self.slot.gate.lock().await;
                // Whoever held the gate before may have fetched a token, or just failed.
                match self.slot.peek(clock.now()) {
                    Peek::Fresh(token) | Peek::Stale(token) => return Ok(token),
                    Peek::Missing => {}
                }
                if let Some(error) = self.slot.cooling_down(clock.now()) {
                    return Err(error);
                }
                self.renew().await
            }
        }
    }

    /// The token is valid but due: one caller refreshes, everyone else keeps `current`.
    async fn refresh_ahead(&self, current: BearerToken) -> BearerToken {
        let clock = &self.provider.inner.clock;
        let Ok(_gate) = self.slot.gate.try_lock() else {
            return current;
        };
        if let Peek::Fresh(token) = self.slot.peek(clock.now()) {
            return token;
        }
        if self.slot.cooling_down(clock.now()).is_some() {
            return current;
        }
        match self.renew().await {
            Ok(token) => token,
            Err(error) => {
                tracing::warn!(%error, "toss-shopping: token refresh failed; using the current token until it expires");
                current
            }
        }
    }

    /// With the gate held: a newer token from the store, or a new one from the endpoint.
    async fn renew(&self) -> Result<BearerToken, AuthError> {
        if let Some(token) = self.adopt_stored().await {
            return Ok(token);
        }
        let inner = &self.provider.inner;
        match inner.issuer.issue(&self.slot.credentials).await {
            Ok(issued) => Ok(self.accept(issued).await),
            Err(error) => {
                let error = Arc::new(error);
                let mut state = self.slot.state();
                state.failures = state.failures.saturating_add(1);
                let pause = inner.policy.backoff(&error, state.failures);
                state.cooldown = Some((inner.clock.now() + pause, error.clone()));
                drop(state);
                tracing::warn!(%error, cooldown_s = pause.as_secs_f64(), "toss-shopping: token request failed");
                Err(AuthError::clone(&error))
            }
        }
    }

    /// Takes a token another client or process stored, if it is usable and not due.
    async fn adopt_stored(&self) -> Option<BearerToken> {
        let inner = &self.provider.inner;
        let stored = match inner.store.load(&self.slot.key).await {
            Ok(stored) => stored?,
            Err(error) => {
                tracing::warn!(%error, "toss-shopping: could not read the token store");
                return None;
            }
        };
        let mut state = self.slot.state();
        if state.rejected.as_ref() == Some(&stored.token)
            || state
                .current
                .as_ref()
                .is_some_and(|c| c.token == stored.token)
        {
            return None;
        }
        let current = self.schedule(stored.token.clone(), stored.issued_at, stored.expires_at);
        if current.refresh_at <= inner.clock.now() {
            return None;
        }
        state.current = Some(current);
        Some(stored.token)
    }

    /// Records a freshly issued token and keeps it in the store.
    async fn accept(&self, issued: Issued) -> BearerToken {
        let inner = &self.provider.inner;
        let lifetime = issued
            .lifetime
            .unwrap_or_else(|| {
                tracing::debug!(
                    "toss-shopping: token answer without expires_in; assuming the default lifetime"
                );
                inner.policy.default_lifetime
            })
            .clamp(MIN_LIFETIME, MAX_LIFETIME);
        let issued_at = inner.clock.wall();
        let stored = StoredToken {
            token: issued.token.clone(),
            issued_at,
            expires_at: issued_at + lifetime,
        };
        {
            let mut state = self.slot.state();
            state.current = Some(self.schedule(issued.token.clone(), issued_at, stored.expires_at));
            state.cooldown = None;
            state.failures = 0;
        }
        if let Err(error) = inner.store.save(&self.slot.key, &stored).await {
            tracing::warn!(%error, "toss-shopping: could not save the token to the store");
        }
        issued.token
    }

    /// When a token issued at `issued_at` and expiring at `expires_at` (wall clock) is due.
    fn schedule(
        &self,
        token: BearerToken,
        issued_at: SystemTime,
        expires_at: SystemTime,
    ) -> Current {
        let inner = &self.provider.inner;
        let (now, wall) = (inner.clock.now(), inner.clock.wall());
        let lifetime = expires_at.duration_since(issued_at).unwrap_or_default();
        let left = expires_at.duration_since(wall).unwrap_or_default();
        let ahead = inner.policy.refresh_ahead(lifetime);
        let ahead = ahead + inner.policy.jitter(ahead);
        Current {
            token,
            refresh_at: now + left.saturating_sub(ahead),
            hard_expiry: now + left.saturating_sub(EXPIRY_MARGIN),
        }
    }
}
