//! Where access tokens come from.
//!
//! The client asks its [`TokenSource`] for a token before every request and tells it which
//! token the API rejected with HTTP 401, then asks again and replays the request once. A
//! source that caches and refreshes tokens (the OAuth2 client-credentials source) plugs in
//! through the same trait as the fixed [`StaticToken`].

use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::time::Duration;

/// A boxed, sendable future, as returned by [`TokenSource`] methods.
pub type BoxFuture<'a, T> = Pin<Box<dyn Future<Output = T> + Send + 'a>>;

/// An access token for the `Authorization: Bearer` header.
///
/// Cheap to clone; its `Debug` and `Display` never show the token.
#[derive(Clone, PartialEq, Eq, Hash)]
pub struct BearerToken(Arc<str>);

impl BearerToken {
    /// Wraps a token string.
    pub fn new(token: impl Into<Arc<str>>) -> Self {
        Self(token.into())
    }

    /// The token itself, for the `Authorization` header or a token store.
    pub fn secret(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for BearerToken {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("BearerToken([redacted])")
    }
}

impl fmt::Display for BearerToken {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("[redacted]")
    }
}

/// Supplies access tokens to a [`Client`](crate::Client).
///
/// Implementations must be cheap to call on every request (cache the token) and safe to
/// share across tasks. Their `Debug` must not show secrets or tokens.
pub trait TokenSource: Send + Sync + fmt::Debug {
    /// A token that is valid now.
    fn token(&self) -> BoxFuture<'_, Result<BearerToken, AuthError>>;

    /// The API rejected `rejected` with HTTP 401. Drop it if it is still the current token, so
    /// that the next [`token`](TokenSource::token) call gets a fresh one. A source that cannot
    /// refresh does nothing, and the client then reports the 401 without a replay.
    fn invalidate(&self, rejected: &BearerToken) {
        let _ = rejected;
    }
}

/// A fixed token, for tests, relays that add their own, or tokens managed elsewhere.
#[derive(Clone)]
pub struct StaticToken(BearerToken);

impl StaticToken {
    /// A source that always returns `token`.
    pub fn new(token: impl Into<Arc<str>>) -> Self {
        Self(BearerToken::new(token))
    }
}

impl fmt::Debug for StaticToken {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("StaticToken([redacted])")
    }
}

impl TokenSource for StaticToken {
    fn token(&self) -> BoxFuture<'_, Result<BearerToken, AuthError>> {
        let token = self.0.clone();
        Box::pin(async move { Ok(token) })
    }
}

/// Why no access token could be obtained.
///
/// Never holds a secret key, a token or a token-endpoint body.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum AuthError {
    /// A custom [`TokenSource`] failed; the message is the source's own.
    #[error("token source failed: {0}")]
    Source(String),

    /// The token endpoint throttled the request; wait before asking again.
    #[error("token endpoint throttled the request{}", retry_after_text(.retry_after))]
    Throttled {
        /// How long the endpoint asked to wait, when it said so.
        retry_after: Option<Duration>,
    },
}

fn retry_after_text(retry_after: &Option<Duration>) -> String {
    retry_after
        .map(|d| format!("; retry after {} s", d.as_secs_f64()))
        .unwrap_or_default()
}

impl AuthError {
    /// True when asking again later may succeed.
    pub fn is_retryable(&self) -> bool {
        matches!(self, Self::Throttled { .. })
    }
}
