//! When tokens are refreshed and how failures back off: the numbers behind the token cache,
//! with no state of their own.

use std::hash::{BuildHasher, RandomState};
use std::time::Duration;

use super::AuthError;

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
    /// Longest time getting a token may take, store read and token request together. Past
    /// it the caller gets [`AuthError::LoadTimeout`], which counts as a failed request for
    /// the back-off. (The token request alone is cut off after 30 seconds.)
    pub load_timeout: Duration,
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
            load_timeout: Duration::from_secs(45),
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

    /// Refresh-ahead time plus a random share of it, so tokens issued together are not all
    /// refreshed together.
    pub(crate) fn refresh_ahead_with_jitter(&self, lifetime: Duration) -> Duration {
        let ahead = self.refresh_ahead(lifetime);
        ahead + self.jitter(ahead)
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

    /// The lifetime to believe for an answer whose `expires_in` was `sent`.
    pub(crate) fn lifetime(&self, sent: Option<Duration>) -> Duration {
        sent.unwrap_or_else(|| {
            tracing::debug!(
                "toss-shopping: token answer without expires_in; assuming the default lifetime"
            );
            self.default_lifetime
        })
        .clamp(MIN_LIFETIME, MAX_LIFETIME)
    }

    /// How long to wait before asking again after the `failures`-th failure in a row.
    pub(crate) fn backoff(&self, error: &AuthError, failures: u32) -> Duration {
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
