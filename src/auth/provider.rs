//! The token cache: one token per (token URL, access key, scope), shared by every client
//! that uses the same [`TokenProvider`], fetched once, refreshed ahead of expiry.
//!
//! The layers, one concern each:
//! - this module: the builder, and the map from credentials to per-seller entries;
//! - [`seller`](super::seller): one seller's policy (store first, refresh-ahead with jitter,
//!   back-off after failures, the 401 rules, the load timeout);
//! - [`cell`](super::cell): the generic single-flight expiring cell underneath (one load for
//!   many callers, keep the current value while it refreshes or if the refresh fails);
//! - [`issuer`](super::issuer) asks the endpoint; [`store`](super::store) keeps tokens.
//!
//! Rules, and why:
//! - **Single flight.** Callers that find no usable token queue behind the one asking, and
//!   take its answer, so N concurrent first calls cause one token request.
//! - **Refresh ahead with jitter.** A token is refreshed a tenth of its lifetime early (at least a
//!   minute, at most a day; see [`RefreshPolicy`]), plus up to a quarter of that at random, so
//!   sellers onboarded together do not refresh together. One caller refreshes; the others
//!   keep using the current token, and if the refresh fails the current token stays in use.
//! - **Hard expiry.** A token is never handed out in its last 30 seconds.
//! - **Back-off.** After a failed request nobody asks again until a cool-down passes
//!   (exponential, or the endpoint's `Retry-After`); wrong keys get a long cool-down. During
//!   it callers get the last error at once instead of hammering a throttled endpoint.
//! - **Bounded waits.** Reading the store and asking the endpoint together may take at most
//!   [`RefreshPolicy::load_timeout`]; a stuck store or endpoint fails the callers with
//!   [`AuthError::LoadTimeout`](super::AuthError::LoadTimeout) instead of holding them.
//! - **401.** Only the token the API rejected is dropped (so a burst of 401s refreshes once),
//!   and at most once per 30 seconds per seller.
//! - **Rejections from other processes.** A shared store may push the tokens other processes
//!   saw rejected ([`TokenStore::rejections`]); a task started with the first seller entry
//!   (inside a tokio runtime) drops the named token from the entry that still holds exactly
//!   it, and ends when the provider is dropped.
//! - **Idle sellers cost nothing.** An entry that no client holds any more, whose token has
//!   expired and which owes nothing (no cool-down, no rejected token to drop) is forgotten
//!   when a new seller is added, at most once a minute. A seller seen again starts from the
//!   store, as after a restart.

use std::collections::HashMap;
use std::fmt;
use std::sync::{Arc, OnceLock, RwLock, Weak};
use std::time::{Duration, Instant};

use super::clock::{Clock, SystemClock};
use super::issuer::{DEFAULT_SCOPE, Issuer};
use super::policy::RefreshPolicy;
use super::seller::{SellerTokens, Shared};
use super::store::{MemoryTokenStore, Rejection, StoreKey, TokenStore};
use super::{Credentials, TokenSource};
use crate::client::{BuildError, Environment};

/// Issues, caches and refreshes tokens for any number of sellers.
///
/// Cheap to clone (an `Arc` inside); clones share the cache. Build one per process and hand
/// it to every client (see [`ClientBuilder::token_provider`](crate::ClientBuilder::token_provider)).
#[derive(Clone)]
pub struct TokenProvider {
    inner: Arc<Inner>,
}

struct Inner {
    shared: Arc<Shared>,
    sellers: RwLock<Sellers>,
    /// Set once the provider listens for other processes' rejections, `None` inside if its
    /// store pushes none. Dropped with the provider, which ends the listening task.
    listener: OnceLock<Option<tokio::sync::oneshot::Sender<()>>>,
}

impl Inner {
    /// Drops the token `rejection` names, if the seller's entry still holds exactly it.
    fn drop_rejected(&self, rejection: &Rejection) {
        let entry = self
            .sellers
            .read()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
            .entries
            .get(&rejection.key)
            .cloned();
        if let Some(entry) = entry {
            entry.drop_rejected(&rejection.fingerprint);
        }
    }
}

/// Applies the rejections the store pushes until the provider is dropped (`stopped`) or the
/// store stops pushing.
async fn listen(
    inner: Weak<Inner>,
    mut rejections: tokio::sync::broadcast::Receiver<Rejection>,
    mut stopped: tokio::sync::oneshot::Receiver<()>,
) {
    use futures_util::future::{Either, select};
    use tokio::sync::broadcast::error::RecvError;
    loop {
        let next = std::pin::pin!(rejections.recv());
        match select(next, &mut stopped).await {
            Either::Left((Ok(rejection), _)) => {
                let Some(inner) = inner.upgrade() else { return };
                inner.drop_rejected(&rejection);
            }
            Either::Left((Err(RecvError::Lagged(missed)), _)) => {
                // Those sellers drop the token at their own 401 instead.
                tracing::warn!(missed, "toss-shopping: missed some pushed token rejections");
            }
            Either::Left((Err(RecvError::Closed), _)) | Either::Right(_) => return,
        }
    }
}

/// Idle entries are looked for at most this often, so adding sellers stays O(1) on average.
const PRUNE_EVERY: Duration = Duration::from_secs(60);

/// The per-seller entries, and when idle ones were last looked for.
struct Sellers {
    entries: HashMap<StoreKey, Arc<SellerTokens>>,
    last_prune: Instant,
}

impl Sellers {
    /// Forgets the entries nobody holds (the map's own reference is the only one) that are
    /// idle at `now`, if the last look was at least [`PRUNE_EVERY`] ago.
    fn prune(&mut self, now: Instant) {
        if now.saturating_duration_since(self.last_prune) < PRUNE_EVERY {
            return;
        }
        self.last_prune = now;
        self.entries
            .retain(|_, entry| Arc::strong_count(entry) > 1 || !entry.is_idle(now));
    }
}

impl fmt::Debug for TokenProvider {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let shared = &self.inner.shared;
        f.debug_struct("TokenProvider")
            .field("token_url", &shared.issuer.token_url())
            .field("scope", &shared.issuer.scope())
            .field("store", &shared.store)
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

    /// Judges expiry, and times out slow token loads, by `clock` (tests).
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

    /// Changes when tokens are refreshed, how failures back off and how long a load may take.
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
        let sellers = Sellers {
            entries: HashMap::new(),
            last_prune: self.clock.now(),
        };
        let shared = Shared {
            issuer,
            store,
            clock: self.clock,
            policy: self.policy,
        };
        Ok(TokenProvider {
            inner: Arc::new(Inner {
                shared: Arc::new(shared),
                sellers: RwLock::new(sellers),
                listener: OnceLock::new(),
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
        self.entry(credentials)
    }

    /// Forgets a seller's token, in memory and in the store (offboarding, or a token that must
    /// not be used again). Clients already built for the seller keep their own reference to the
    /// forgotten entry; build new ones with [`Client::for_seller`](crate::Client::for_seller).
    pub async fn forget(&self, credentials: &Credentials) {
        let key = self.key(credentials);
        self.write_sellers().entries.remove(&key);
        if let Err(error) = self.inner.shared.store.remove(&key).await {
            tracing::warn!(%error, "toss-shopping: could not remove a token from the store");
        }
    }

    /// How many sellers the provider holds a cache entry for. Entries that no client holds,
    /// whose token has expired, are forgotten as new sellers come (at most once a minute).
    pub fn sellers(&self) -> usize {
        self.read_sellers().entries.len()
    }

    fn key(&self, credentials: &Credentials) -> StoreKey {
        let issuer = &self.inner.shared.issuer;
        StoreKey::new(issuer.token_url(), credentials.access_key(), issuer.scope())
    }

    /// The cache entry for these credentials. A new secret key for a known access key (a
    /// rotation) replaces the entry, so the new secret is used from then on; the still-valid
    /// token is taken over from the store.
    fn entry(&self, credentials: Credentials) -> Arc<SellerTokens> {
        let key = self.key(&credentials);
        if let Some(entry) = self
            .read_sellers()
            .entries
            .get(&key)
            .filter(|entry| *entry.credentials() == credentials)
        {
            return entry.clone();
        }
        let mut sellers = self.write_sellers();
        let entry = match sellers.entries.get(&key) {
            Some(entry) if *entry.credentials() == credentials => return entry.clone(),
            _ => {
                sellers.prune(self.inner.shared.clock.now());
                let shared = self.inner.shared.clone();
                let entry = Arc::new(SellerTokens::new(shared, key.clone(), credentials));
                sellers.entries.insert(key, entry.clone());
                entry
            }
        };
        drop(sellers);
        self.listen();
        entry
    }

    /// Starts listening for the rejections the store pushes, once, when inside a tokio
    /// runtime (outside one, a later entry tries again).
    fn listen(&self) {
        if self.inner.listener.get().is_some() {
            return;
        }
        let Ok(runtime) = tokio::runtime::Handle::try_current() else {
            return;
        };
        self.inner.listener.get_or_init(|| {
            let rejections = self.inner.shared.store.rejections()?;
            let (stop, stopped) = tokio::sync::oneshot::channel();
            runtime.spawn(listen(Arc::downgrade(&self.inner), rejections, stopped));
            Some(stop)
        });
    }

    // The map is only touched in short, non-async sections; a panic while it is held cannot
    // leave it inconsistent, so a poisoned lock is still usable.
    fn read_sellers(&self) -> std::sync::RwLockReadGuard<'_, Sellers> {
        self.inner
            .sellers
            .read()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    fn write_sellers(&self) -> std::sync::RwLockWriteGuard<'_, Sellers> {
        self.inner
            .sellers
            .write()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }
}
