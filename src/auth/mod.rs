//! Where access tokens come from.
//!
//! The client asks its [`TokenSource`] for a token before every request and tells it which
//! token the API rejected with HTTP 401, then asks again and replays the request once. A
//! source that caches and refreshes tokens (the OAuth2 client-credentials source) plugs in
//! through the same trait as the fixed [`StaticToken`].

mod cell;
mod clock;
mod credentials;
mod issuer;
mod policy;
mod provider;
mod seller;
pub mod store;

use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::time::Duration;

use reqwest::header::HeaderValue;

pub use clock::{Clock, ManualClock, SystemClock};
pub use credentials::Credentials;
pub use issuer::DEFAULT_SCOPE;
pub use policy::RefreshPolicy;
pub use provider::{TokenProvider, TokenProviderBuilder};
pub use store::{
    FileTokenStore, IssueLease, IssueTurn, MemoryTokenStore, Rejection, StoreError, StoreKey,
    StoredToken, TokenStore, fingerprint,
};

/// A boxed, sendable future, as returned by [`TokenSource`] methods.
pub type BoxFuture<'a, T> = Pin<Box<dyn Future<Output = T> + Send + 'a>>;

/// An access token for the `Authorization: Bearer` header.
///
/// Cheap to clone; its `Debug` and `Display` never show the token.
#[derive(Clone)]
pub struct BearerToken(Repr);

/// How a token is kept: ready for the header, built once when the token is issued or loaded,
/// so each request clones a reference count instead of copying the token.
#[derive(Clone)]
enum Repr {
    /// `Bearer <token>`, marked sensitive; the token is its tail.
    Header(HeaderValue),
    /// A token with bytes a header cannot carry (it is sent without one).
    Text(Arc<str>),
}

/// What the header value holds before the token.
const BEARER: &str = "Bearer ";

impl BearerToken {
    /// Wraps a token string.
    pub fn new(token: impl Into<Arc<str>>) -> Self {
        let token: Arc<str> = token.into();
        let mut text = String::with_capacity(BEARER.len() + token.len());
        text.push_str(BEARER);
        text.push_str(&token);
        match HeaderValue::from_maybe_shared(bytes::Bytes::from(text)) {
            Ok(mut header) => {
                header.set_sensitive(true);
                Self(Repr::Header(header))
            }
            Err(_) => Self(Repr::Text(token)),
        }
    }

    /// The token itself, for the `Authorization` header or a token store.
    pub fn secret(&self) -> &str {
        match &self.0 {
            // The bytes came from a `str`, so they are UTF-8; the fallback is never taken.
            Repr::Header(_) => std::str::from_utf8(self.secret_bytes()).unwrap_or_default(),
            Repr::Text(token) => token,
        }
    }

    /// The `Authorization` header value (`Bearer <token>`, sensitive), if a header can carry
    /// the token.
    pub(crate) fn header(&self) -> Option<&HeaderValue> {
        match &self.0 {
            Repr::Header(header) => Some(header),
            Repr::Text(_) => None,
        }
    }

    fn secret_bytes(&self) -> &[u8] {
        match &self.0 {
            Repr::Header(header) => header.as_bytes().get(BEARER.len()..).unwrap_or_default(),
            Repr::Text(token) => token.as_bytes(),
        }
    }
}

impl PartialEq for BearerToken {
    fn eq(&self, other: &Self) -> bool {
        self.secret_bytes() == other.secret_bytes()
    }
}

impl Eq for BearerToken {}

impl std::hash::Hash for BearerToken {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        self.secret_bytes().hash(state);
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

    /// A token that is valid now if the source has one at hand without waiting (a warm
    /// cache), else `None`. The client asks this first on every request and falls back to
    /// [`token`](TokenSource::token), so a cached token costs no boxed future. The default has
    /// none at hand.
    fn cached(&self) -> Option<BearerToken> {
        None
    }

    /// The API rejected `rejected` with HTTP 401. Drop it if it is still the current token, so
    /// that the next [`token`](TokenSource::token) call gets a fresh one. A source that cannot
    /// refresh does nothing, and the client then reports the 401 without a replay.
    fn invalidate(&self, rejected: &BearerToken) {
        let _ = rejected;
    }

    /// The seller these tokens are for, as the client-side rate limits count it. `None` (the
    /// default) counts each client built on the source as its own seller.
    fn seller_key(&self) -> Option<crate::limit::SellerKey> {
        None
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

    fn cached(&self) -> Option<BearerToken> {
        Some(self.0.clone())
    }

    fn seller_key(&self) -> Option<crate::limit::SellerKey> {
        Some(crate::limit::SellerKey::hashed(self.0.secret()))
    }
}

/// Why no access token could be obtained.
///
/// Never holds a secret key, a token or a token-endpoint body. Cheap to clone.
#[derive(Debug, Clone, thiserror::Error)]
#[non_exhaustive]
pub enum AuthError {
    /// The token endpoint rejected the Access Key / Secret Key (`invalid_client`, HTTP 401).
    /// Not retryable: fix the keys.
    #[error("the token endpoint rejected the credentials (HTTP {status}{})", code_text(.code))]
    InvalidCredentials {
        /// The HTTP status.
        status: u16,
        /// The OAuth2 error code, e.g. `invalid_client`.
        code: Option<String>,
    },

    /// The token endpoint refused the caller (HTTP 403): usually the server's IP is not on the
    /// keys' allow-list.
    #[error("the token endpoint refused this caller (HTTP {status}{}); is this server's IP allow-listed for the keys?", code_text(.code))]
    Forbidden {
        /// The HTTP status.
        status: u16,
        /// The OAuth2 error code, if any.
        code: Option<String>,
    },

    /// The token endpoint throttled the request; wait before asking again.
    #[error("the token endpoint throttled the request{}", retry_after_text(.retry_after))]
    Throttled {
        /// How long the endpoint asked to wait, when it said so.
        retry_after: Option<Duration>,
    },

    /// The token endpoint failed (HTTP 5xx).
    #[error("the token endpoint failed (HTTP {status}){}", retry_after_text(.retry_after))]
    Server {
        /// The HTTP status.
        status: u16,
        /// How long the endpoint asked to wait, when it said so.
        retry_after: Option<Duration>,
    },

    /// The token endpoint refused the request for another reason (another 4xx).
    #[error("the token endpoint refused the request (HTTP {status}{})", code_text(.code))]
    Rejected {
        /// The HTTP status.
        status: u16,
        /// The OAuth2 error code, if any.
        code: Option<String>,
    },

    /// The token endpoint's answer was not a usable token (not JSON, `access_token` missing,
    /// `expires_in` not a number, ...). The answer itself is never kept: it may hold a token.
    #[error("the token endpoint sent an unusable answer: {detail}")]
    MalformedResponse {
        /// Where and why decoding failed, with quoted values masked.
        detail: String,
    },

    /// The token request timed out.
    #[error("the token request timed out")]
    Timeout(#[source] Arc<reqwest::Error>),

    /// Getting a token, reading the store and asking the endpoint together, took longer than
    /// [`RefreshPolicy::load_timeout`] (45 s by default). Retryable: the cache backs off as
    /// after any failed request, then asks again.
    #[error("getting a token took longer than {} s", .after.as_secs_f64())]
    LoadTimeout {
        /// The time allowed.
        after: Duration,
    },

    /// The token store could not say whose turn it is to ask for a token, and the store is
    /// one that fails rather than issue on its own (a fleet's Redis store in strict mode while
    /// Redis is unreachable). Retryable once the store is back.
    #[error("the token store is unavailable: {detail}")]
    Store {
        /// What the store reported; never a key or a token.
        detail: String,
    },

    /// The token request could not be sent or its answer not read.
    #[error("the token request failed: {0}")]
    Transport(#[source] Arc<reqwest::Error>),

    /// A recent token request failed, and the cache waits before asking again.
    #[error("not asking for a token for another {:.1} s after: {last}", .remaining.as_secs_f64())]
    CoolingDown {
        /// How long until the cache asks again.
        remaining: Duration,
        /// Why the last request failed.
        last: Arc<AuthError>,
    },

    /// A custom [`TokenSource`] failed; the message is the source's own.
    #[error("token source failed: {0}")]
    Source(String),
}

fn code_text(code: &Option<String>) -> String {
    code.as_ref().map(|c| format!(", {c}")).unwrap_or_default()
}

fn retry_after_text(retry_after: &Option<Duration>) -> String {
    retry_after
        .map(|d| format!("; retry after {} s", d.as_secs_f64()))
        .unwrap_or_default()
}

impl AuthError {
    /// True when asking again later may succeed (throttling, outages, network trouble), false
    /// for wrong keys or a refused IP.
    pub fn is_retryable(&self) -> bool {
        match self {
            Self::Throttled { .. }
            | Self::Server { .. }
            | Self::Timeout(_)
            | Self::LoadTimeout { .. }
            | Self::Store { .. }
            | Self::Transport(_) => true,
            Self::CoolingDown { last, .. } => last.is_retryable(),
            _ => false,
        }
    }

    /// How long the token endpoint (or the cache's cool-down) asks to wait, if known.
    pub fn retry_after(&self) -> Option<Duration> {
        match self {
            Self::Throttled { retry_after } | Self::Server { retry_after, .. } => *retry_after,
            Self::CoolingDown { remaining, .. } => Some(*remaining),
            _ => None,
        }
    }
}
