//! One seller's tokens: the cache policy around an [`ExpiringCell`].
//!
//! The cell does the single flight, refresh-ahead and keep-on-failure mechanics; this module
//! decides everything token-specific:
//! - **where a token comes from**: a still-valid token another client or process put in the
//!   store (but never one the API rejected), else the token endpoint;
//! - **when it is due**: a share of its lifetime early, with jitter (see [`RefreshPolicy`]),
//!   and unusable in its last [`EXPIRY_MARGIN`];
//! - **when not to ask**: during the cool-down after a failure, and more often than
//!   [`RefreshPolicy::min_forced_refresh_interval`] because of 401s;
//! - **how long asking may take**: store read and token request together are bounded by
//!   [`RefreshPolicy::load_timeout`], on the injected clock;
//! - **which process asks**: the store may say another process is already asking
//!   ([`TokenStore::begin_issue`]); then this one waits on the injected clock, with a growing
//!   pause, and loads again, still within the load timeout. Stores that do not take part
//!   always answer "you ask", so for them nothing changes.

use std::fmt;
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::{Duration, Instant};

use super::cell::{Expiring, ExpiringCell};
use super::clock::{Clock, before};
use super::issuer::Issuer;
use super::policy::RefreshPolicy;
use super::store::{
    EXPIRY_MARGIN, IssueLease, IssueTurn, StoreKey, StoredToken, TokenStore, fingerprint,
};
use super::{AuthError, BearerToken, BoxFuture, Credentials, TokenSource};

/// The first pause while another process asks for the token; it doubles up to [`WAIT_MAX`].
/// Short, because the other process usually saves its token within a round trip.
const WAIT_FIRST: Duration = Duration::from_millis(10);
/// The longest pause between two looks at the store while another process asks.
const WAIT_MAX: Duration = Duration::from_millis(200);

/// What every seller's tokens share: where tokens come from and are kept, time, and policy.
pub(crate) struct Shared {
    pub(crate) issuer: Issuer,
    pub(crate) store: Arc<dyn TokenStore>,
    pub(crate) clock: Arc<dyn Clock>,
    pub(crate) policy: RefreshPolicy,
}

/// One seller's cached token, and the [`TokenSource`] that hands it out.
pub(crate) struct SellerTokens {
    shared: Arc<Shared>,
    key: StoreKey,
    credentials: Credentials,
    tokens: ExpiringCell<BearerToken, AuthError>,
    health: Mutex<Health>,
}

/// What the policy remembers between loads.
#[derive(Default)]
struct Health {
    /// The last token the API rejected; never taken back from the store.
    rejected: Option<BearerToken>,
    /// The rejected token, until the next load drops it from the store for everyone.
    to_discard: Option<BearerToken>,
    /// No token requests until then; callers get this error instead.
    cooldown: Option<(Instant, Arc<AuthError>)>,
    /// Failed loads in a row, for the exponential back-off.
    failures: u32,
    last_forced_refresh: Option<Instant>,
}

/// A token a load produced.
enum Renewed {
    /// Taken from the store: nothing to save.
    Adopted(Expiring<BearerToken>),
    /// Fresh from the endpoint: to be saved to the store, then the turn to ask given back.
    Issued(StoredToken, Expiring<BearerToken>, IssueLease),
}

impl fmt::Debug for SellerTokens {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SellerTokens")
            .field("access_key", &self.credentials.access_key())
            .field("token_url", &self.shared.issuer.token_url())
            .finish_non_exhaustive()
    }
}

impl TokenSource for SellerTokens {
    fn token(&self) -> BoxFuture<'_, Result<BearerToken, AuthError>> {
        // The load is boxed on its own: inline it would make every call's future, a cached
        // token's included, as large as a whole token request (about 2 KB to allocate).
        let load = |current| -> BoxFuture<'_, _> { Box::pin(self.load(current)) };
        Box::pin(self.tokens.get_or_load(&*self.shared.clock, load))
    }

    fn cached(&self) -> Option<BearerToken> {
        self.tokens.fresh(self.shared.clock.now())
    }

    fn seller_key(&self) -> Option<crate::limit::SellerKey> {
        Some(crate::limit::SellerKey::hashed(
            self.credentials.access_key(),
        ))
    }

    fn invalidate(&self, rejected: &BearerToken) {
        let now = self.shared.clock.now();
        // Held throughout, so that concurrent 401s are judged one after another.
        let mut health = self.health();
        if !self.tokens.holds(rejected) {
            return; // already replaced: a burst of 401s drops the token once
        }
        let floor = self.shared.policy.min_forced_refresh_interval;
        if health
            .last_forced_refresh
            .is_some_and(|last| now.duration_since(last) < floor)
        {
            tracing::warn!(
                "toss-shopping: token rejected again soon after a refresh; not refreshing"
            );
            return;
        }
        if self.tokens.invalidate(rejected) {
            health.rejected = Some(rejected.clone());
            health.to_discard = Some(rejected.clone());
            health.last_forced_refresh = Some(now);
        }
    }
}

impl SellerTokens {
    pub(crate) fn new(shared: Arc<Shared>, key: StoreKey, credentials: Credentials) -> Self {
        Self {
            shared,
            key,
            credentials,
            tokens: ExpiringCell::new(),
            health: Mutex::new(Health::default()),
        }
    }

    /// Drops the cached token if its [`fingerprint`] is `rejected`: another process reported
    /// that the API refused it (see [`TokenStore::rejections`]). The next call loads from the
    /// store, which by then holds the fleet's new token or nothing (then this process takes
    /// part in issuing one as usual).
    ///
    /// Unlike [`invalidate`](TokenSource::invalidate) this does not count as a forced refresh
    /// for [`RefreshPolicy::min_forced_refresh_interval`]: that floor stops one process
    /// hammering the endpoint because of its own 401s, and a push issues nothing by itself, so
    /// counting it would only make this process ignore a real 401 for the new token in the
    /// next 30 s. Nor is the token discarded from the store again: the process that saw the 401
    /// already did. It is remembered as rejected, so it is never taken back from the store.
    pub(crate) fn drop_rejected(&self, rejected: &str) -> bool {
        let mut health = self.health();
        let dropped = self
            .tokens
            .invalidate_matching(|token| fingerprint(token) == rejected);
        match dropped {
            Some(token) => {
                tracing::info!(
                    fingerprint = rejected,
                    "toss-shopping: dropping a token another process saw rejected"
                );
                health.rejected = Some(token);
                true
            }
            None => false,
        }
    }

    pub(crate) fn credentials(&self) -> &Credentials {
        &self.credentials
    }

    /// Whether the entry holds nothing worth keeping at `now`: no usable token (the store
    /// keeps any that is still valid), no cool-down in force, and no rejected token still to
    /// drop from the store. The provider forgets such entries when no client holds them.
    pub(crate) fn is_idle(&self, now: Instant) -> bool {
        let health = self.health();
        let cooling = health
            .cooldown
            .as_ref()
            .is_some_and(|(until, _)| now < *until);
        !cooling && health.to_discard.is_none() && !self.tokens.holds_usable(now)
    }

    /// The cell's loader. `current` is the token in use when this is a refresh ahead of
    /// expiry. Nothing is asked during a cool-down; a failure (a timeout included) starts
    /// the next one.
    async fn load(&self, current: Option<BearerToken>) -> Result<Expiring<BearerToken>, AuthError> {
        if let Some(error) = self.cooling_down() {
            return Err(error);
        }
        let timeout = self.shared.policy.load_timeout;
        // One deadline for the whole load, made before it starts so the clock it runs on
        // decides when it fires.
        let mut deadline = self.shared.clock.sleep(timeout);
        let renewed = before(&mut deadline, self.renew(current.as_ref()))
            .await
            .unwrap_or(Err(AuthError::LoadTimeout { after: timeout }));
        match renewed {
            Ok(Renewed::Adopted(token)) => {
                self.succeeded();
                Ok(token)
            }
            Ok(Renewed::Issued(stored, token, lease)) => {
                self.succeeded();
                // Saved before the turn is given back, so a process waiting for the turn
                // finds the token instead of asking for another.
                self.save(&mut deadline, &stored).await;
                let _ = before(&mut deadline, self.end_issue(lease)).await;
                Ok(token)
            }
            Err(error) => Err(self.failed(error, current.is_some())),
        }
    }

    /// A usable token from the store, else a new one from the endpoint, asked for by this
    /// process when the store gives it the turn, or by another one it waits for.
    async fn renew(&self, current: Option<&BearerToken>) -> Result<Renewed, AuthError> {
        self.discard_rejected().await;
        let mut pause = WAIT_FIRST;
        loop {
            if let Some(token) = self.adoptable(current).await {
                return Ok(Renewed::Adopted(token));
            }
            let turn = self.shared.store.begin_issue(&self.key).await;
            match turn.map_err(|error| AuthError::Store {
                detail: error.to_string(),
            })? {
                IssueTurn::Issue(lease) => return self.issue_with(lease, current).await,
                IssueTurn::Wait => {
                    self.shared.clock.sleep(pause).await;
                    pause = (pause * 2).min(WAIT_MAX);
                }
            }
        }
    }

    /// Asks the endpoint under `lease`. A lease that holds a lock looks at the store once more
    /// first: another process may have saved a token between our look and our lock.
    async fn issue_with(
        &self,
        lease: IssueLease,
        current: Option<&BearerToken>,
    ) -> Result<Renewed, AuthError> {
        if lease.owner().is_some()
            && let Some(token) = self.adoptable(current).await
        {
            self.end_issue(lease).await;
            return Ok(Renewed::Adopted(token));
        }
        match self.issue().await {
            Ok((stored, token)) => Ok(Renewed::Issued(stored, token, lease)),
            Err(error) => {
                self.end_issue(lease).await;
                Err(error)
            }
        }
    }

    /// A new token from the endpoint, with its wall-clock times and its schedule.
    async fn issue(&self) -> Result<(StoredToken, Expiring<BearerToken>), AuthError> {
        let issued = self.shared.issuer.issue(&self.credentials).await?;
        let lifetime = self.shared.policy.lifetime(issued.lifetime);
        let issued_at = self.shared.clock.wall();
        let stored = StoredToken {
            token: issued.token,
            issued_at,
            expires_at: issued_at + lifetime,
        };
        let token = self.schedule(&stored);
        Ok((stored, token))
    }

    /// Gives the turn to ask back. If that fails, the store's lock runs out by itself.
    async fn end_issue(&self, lease: IssueLease) {
        if let Err(error) = self.shared.store.end_issue(&self.key, lease).await {
            tracing::warn!(%error, "toss-shopping: could not release the token store's lock");
        }
    }

    /// Drops the token the API rejected from the store as well, so that no other client or
    /// process takes it from there again.
    async fn discard_rejected(&self) {
        let Some(rejected) = self.health().to_discard.take() else {
            return;
        };
        if let Err(error) = self.shared.store.discard(&self.key, &rejected).await {
            tracing::warn!(%error, "toss-shopping: could not drop a rejected token from the store");
        }
    }

    /// The stored token, if another client or process put a usable one there: not the token
    /// being refreshed, not one the API rejected, and not already due itself.
    async fn adoptable(&self, current: Option<&BearerToken>) -> Option<Expiring<BearerToken>> {
        let stored = match self.shared.store.load(&self.key).await {
            Ok(stored) => stored?,
            Err(error) => {
                tracing::warn!(%error, "toss-shopping: could not read the token store");
                return None;
            }
        };
        let known = current == Some(&stored.token)
            || self.health().rejected.as_ref() == Some(&stored.token);
        if known {
            return None;
        }
        let token = self.schedule(&stored);
        (self.shared.clock.now() < token.refresh_at).then_some(token)
    }

    /// Keeps a new token in the store, within what is left of the load's time. A store that
    /// fails or hangs costs other processes a token request, not this caller its token.
    async fn save(&self, deadline: &mut BoxFuture<'static, ()>, stored: &StoredToken) {
        match before(deadline, self.shared.store.save(&self.key, stored)).await {
            Some(Ok(())) => {}
            Some(Err(error)) => {
                tracing::warn!(%error, "toss-shopping: could not save the token to the store");
            }
            None => tracing::warn!("toss-shopping: saving the token to the store timed out"),
        }
    }

    /// When a stored token (wall-clock times) is due and when it must no longer be used, on
    /// the monotonic clock.
    fn schedule(&self, stored: &StoredToken) -> Expiring<BearerToken> {
        let clock = &self.shared.clock;
        let (now, wall) = (clock.now(), clock.wall());
        let lifetime = stored
            .expires_at
            .duration_since(stored.issued_at)
            .unwrap_or_default();
        let left = stored.expires_at.duration_since(wall).unwrap_or_default();
        let ahead = self.shared.policy.refresh_ahead_with_jitter(lifetime);
        Expiring {
            value: stored.token.clone(),
            refresh_at: now + left.saturating_sub(ahead),
            expires_at: now + left.saturating_sub(EXPIRY_MARGIN),
        }
    }

    fn cooling_down(&self) -> Option<AuthError> {
        let now = self.shared.clock.now();
        let health = self.health();
        let (until, last) = health.cooldown.as_ref()?;
        (now < *until).then(|| AuthError::CoolingDown {
            remaining: *until - now,
            last: last.clone(),
        })
    }

    fn succeeded(&self) {
        let mut health = self.health();
        health.cooldown = None;
        health.failures = 0;
    }

    /// Starts the cool-down after a failed load and hands the error on.
    fn failed(&self, error: AuthError, refreshing: bool) -> AuthError {
        let error = Arc::new(error);
        let pause = {
            let mut health = self.health();
            health.failures = health.failures.saturating_add(1);
            let pause = self.shared.policy.backoff(&error, health.failures);
            health.cooldown = Some((self.shared.clock.now() + pause, error.clone()));
            pause
        };
        let cooldown_s = pause.as_secs_f64();
        if refreshing {
            tracing::warn!(%error, cooldown_s, "toss-shopping: token refresh failed; using the current token until it expires");
        } else {
            tracing::warn!(%error, cooldown_s, "toss-shopping: token request failed");
        }
        AuthError::clone(&error)
    }

    // Only touched in short, non-async sections that cannot leave it half-updated, so a lock
    // poisoned by a panic elsewhere is still usable.
    fn health(&self) -> MutexGuard<'_, Health> {
        self.health
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }
}
