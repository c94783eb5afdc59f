//! Building a [`Client`]: environment, token source, partner name, timeouts, HTTP client,
//! rate limits, retries.

use std::sync::Arc;
use std::time::Duration;

use reqwest::header::HeaderValue;

use crate::api::Client;
use crate::auth::{
    AuthError, BearerToken, BoxFuture, Clock, Credentials, StaticToken, SystemClock, TokenProvider,
    TokenSource,
};
use crate::limit::{LocalRateLimiter, RateLimiter, RateLimits, SellerKey};
use crate::retry::{RetryBudget, RetryPolicy};
use crate::transport::{Context, SharedSettings};

/// Where the API lives.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum Environment {
    /// The live API, `https://shopping-fep.toss.im`.
    #[default]
    Production,
    /// The test environment, `https://shopping-fep-alpha.toss.im`.
    Alpha,
}

impl Environment {
    /// The API host of this environment (the operations' paths start with `/api/v3/shopping-fep`).
    pub fn api_base_url(self) -> &'static str {
        match self {
            Self::Production => "https://shopping-fep.toss.im",
            Self::Alpha => "https://shopping-fep-alpha.toss.im",
        }
    }

    /// The OAuth2 token endpoint of this environment.
    pub fn token_url(self) -> &'static str {
        match self {
            Self::Production => "https://oauth2.cert.toss.im/token",
            Self::Alpha => "https://oauth2-alpha.cert.toss.im/token",
        }
    }
}

/// Why a [`Client`] could not be built.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum BuildError {
    /// No credentials or token source were configured.
    #[error("no credentials: call credentials(), bearer_token() or token_source() on the builder")]
    MissingTokenSource,
    /// The token URL is not an absolute http(s) URL.
    #[error("{0}")]
    InvalidTokenUrl(String),
    /// The base URL is not an absolute http(s) URL.
    #[error("invalid base URL {0:?}: expected an absolute http or https URL")]
    InvalidBaseUrl(String),
    /// The user agent holds characters a header cannot carry.
    #[error("invalid user agent: it must be visible ASCII")]
    InvalidUserAgent,
    /// The HTTP client could not be built (e.g. TLS initialisation failed).
    #[error("cannot build the HTTP client: {0}")]
    Http(#[source] reqwest::Error),
}

/// Configures and builds a [`Client`]; start with [`Client::builder`].
#[derive(Debug, Clone)]
pub struct ClientBuilder {
    environment: Environment,
    base_url: Option<String>,
    partner_name: Option<String>,
    timeout: Duration,
    connect_timeout: Duration,
    user_agent: Option<String>,
    http_client: Option<reqwest::Client>,
    tokens: Option<Arc<dyn TokenSource>>,
    credentials: Option<Credentials>,
    provider: Option<TokenProvider>,
    token_url: Option<String>,
    rate_limits: RateLimits,
    rate_limiter: Option<Arc<dyn RateLimiter>>,
    retry: RetryPolicy,
    retry_budget: Option<Arc<RetryBudget>>,
    clock: Arc<dyn Clock>,
}

/// Default time a whole request may take; product registration gets its documented 30 minutes.
const DEFAULT_TIMEOUT: Duration = Duration::from_secs(60);
const DEFAULT_CONNECT_TIMEOUT: Duration = Duration::from_secs(10);

impl Default for ClientBuilder {
    fn default() -> Self {
        Self {
            environment: Environment::Production,
            base_url: None,
            partner_name: None,
            timeout: DEFAULT_TIMEOUT,
            connect_timeout: DEFAULT_CONNECT_TIMEOUT,
            user_agent: None,
            http_client: None,
            tokens: None,
            credentials: None,
            provider: None,
            token_url: None,
            rate_limits: RateLimits::Vendor,
            rate_limiter: None,
            retry: RetryPolicy::standard(),
            retry_budget: None,
            clock: Arc::new(SystemClock),
        }
    }
}

impl ClientBuilder {
    /// Production (the default) or alpha.
    pub fn environment(mut self, environment: Environment) -> Self {
        self.environment = environment;
        self
    }

    /// Sends requests to this URL instead of the environment's host: a local test server or
    /// a fixed-IP relay (the API only accepts allow-listed IPs). Paths are appended to it.
    pub fn base_url(mut self, base_url: impl Into<String>) -> Self {
        self.base_url = Some(base_url.into());
        self
    }

    /// Sends `partnerName` (the name of your integration or service) with every request,
    /// unless a request sets its own.
    pub fn partner_name(mut self, partner_name: impl Into<String>) -> Self {
        self.partner_name = Some(partner_name.into());
        self
    }

    /// How long a whole request may take (default 60 s). Operations the vendor documents as
    /// slower (product registration: 30 minutes) get the longer of the two.
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = timeout;
        self
    }

    /// How long connecting may take (default 10 s). Ignored with [`http_client`](Self::http_client).
    pub fn connect_timeout(mut self, timeout: Duration) -> Self {
        self.connect_timeout = timeout;
        self
    }

    /// The `User-Agent` header (default `toss-shopping-rust/<version>`).
    pub fn user_agent(mut self, user_agent: impl Into<String>) -> Self {
        self.user_agent = Some(user_agent.into());
        self
    }

    /// Uses this HTTP client (for proxies, custom TLS, or to share one connection pool between
    /// many sellers' clients). Timeouts and the user agent are still applied per request.
    pub fn http_client(mut self, http_client: reqwest::Client) -> Self {
        self.http_client = Some(http_client);
        self
    }

    /// Uses the seller's Access Key and Secret Key: tokens are issued with the OAuth2
    /// client-credentials grant, cached, refreshed before they expire, and refreshed once
    /// when the API answers 401.
    pub fn credentials(
        self,
        access_key: impl Into<Arc<str>>,
        secret_key: impl Into<Arc<str>>,
    ) -> Self {
        self.credentials_from(Credentials::new(access_key, secret_key))
    }

    /// Like [`credentials`](Self::credentials), from a [`Credentials`] value (e.g.
    /// [`Credentials::from_env`]).
    pub fn credentials_from(mut self, credentials: Credentials) -> Self {
        self.credentials = Some(credentials);
        self
    }

    /// Gets tokens for [`credentials`](Self::credentials) from this provider, shared with other
    /// clients (many sellers, one cache, one store). Without it the client gets a provider of
    /// its own, shared by its clones. With a provider and no credentials, the client is a base
    /// for [`Client::for_seller`] and its own calls fail with [`AuthError::Source`].
    pub fn token_provider(mut self, provider: TokenProvider) -> Self {
        self.provider = Some(provider);
        self
    }

    /// Asks this token endpoint instead of the environment's (a test server or a fixed-IP
    /// relay). Ignored with [`token_provider`](Self::token_provider).
    pub fn token_url(mut self, token_url: impl Into<String>) -> Self {
        self.token_url = Some(token_url.into());
        self
    }

    /// Uses a fixed access token.
    pub fn bearer_token(self, token: impl Into<Arc<str>>) -> Self {
        self.token_source(StaticToken::new(token))
    }

    /// Uses a token source, e.g. one that issues and caches OAuth2 tokens.
    pub fn token_source(self, tokens: impl TokenSource + 'static) -> Self {
        self.shared_token_source(Arc::new(tokens))
    }

    /// Uses a token source shared with other clients.
    pub fn shared_token_source(mut self, tokens: Arc<dyn TokenSource>) -> Self {
        self.tokens = Some(tokens);
        self
    }

    /// Limits the client's own rate per seller and class: the vendor's limits (the default),
    /// other quotas, or none. Clones and `for_seller` clients share the limits.
    pub fn rate_limits(mut self, rate_limits: RateLimits) -> Self {
        self.rate_limits = rate_limits;
        self
    }

    /// Takes permits from this limiter instead (e.g. one shared by many processes); it
    /// replaces [`rate_limits`](Self::rate_limits).
    pub fn rate_limiter(mut self, limiter: Arc<dyn RateLimiter>) -> Self {
        self.rate_limiter = Some(limiter);
        self
    }

    /// How failed calls are retried (default [`RetryPolicy::standard`]); a call can override
    /// it with [`CallExt::retry`](crate::CallExt::retry).
    pub fn retry(mut self, policy: RetryPolicy) -> Self {
        self.retry = policy;
        self
    }

    /// Pays for retries from this budget (default: a fresh one of 500 permits per client and
    /// its clones); share one between clients to bound their retries together.
    pub fn retry_budget(mut self, budget: Arc<RetryBudget>) -> Self {
        self.retry_budget = Some(budget);
        self
    }

    /// Reads time from `clock` for rate limits and retry delays (and the token cache when the
    /// client builds its own provider), e.g. a [`ManualClock`](crate::auth::ManualClock) in
    /// tests.
    pub fn clock(mut self, clock: Arc<dyn Clock>) -> Self {
        self.clock = clock;
        self
    }

    /// Builds the client.
    pub fn build(self) -> Result<Client, BuildError> {
        let base_url = normalize_base_url(
            self.base_url
                .as_deref()
                .unwrap_or(self.environment.api_base_url()),
        )?;
        let user_agent = match self.user_agent {
            Some(agent) => {
                HeaderValue::from_str(&agent).map_err(|_| BuildError::InvalidUserAgent)?
            }
            None => {
                HeaderValue::from_static(concat!("toss-shopping-rust/", env!("CARGO_PKG_VERSION")))
            }
        };
        // A client this builder makes applies the default timeout itself, so a request that
        // keeps it needs no timeout of its own; a client from outside gets one per request.
        let (http, http_timeout) = match self.http_client {
            Some(http) => (http, None),
            None => (
                reqwest::Client::builder()
                    .connect_timeout(self.connect_timeout)
                    .timeout(self.timeout)
                    // The API never redirects; following one could leak the bearer token elsewhere.
                    .redirect(reqwest::redirect::Policy::none())
                    .build()
                    .map_err(BuildError::Http)?,
                Some(self.timeout),
            ),
        };
        let explicit_provider = self.provider.is_some();
        let provider = match self.provider {
            Some(provider) => provider,
            None => TokenProvider::builder()
                .token_url(
                    self.token_url
                        .as_deref()
                        .unwrap_or(self.environment.token_url()),
                )
                .http_client(http.clone())
                .clock(self.clock.clone())
                .build()?,
        };
        let tokens = match (self.tokens, self.credentials, explicit_provider) {
            (Some(tokens), _, _) => tokens,
            (None, Some(credentials), _) => provider.source(credentials),
            // A base client for many sellers: it only hands out `for_seller` clients.
            (None, None, true) => Arc::new(NoCredentials),
            (None, None, false) => return Err(BuildError::MissingTokenSource),
        };
        let limiter =
            self.rate_limiter.or_else(|| {
                let quotas = self.rate_limits.quotas()?;
                Some(Arc::new(LocalRateLimiter::new(quotas, self.clock.clone()))
                    as Arc<dyn RateLimiter>)
            });
        let shared = SharedSettings {
            provider,
            partner_name: self.partner_name.map(Arc::from),
            timeout: self.timeout,
            http_timeout,
            user_agent,
            limiter,
            retry: self.retry,
            retry_budget: self.retry_budget.unwrap_or_default(),
            clock: self.clock,
        };
        let context = Context {
            seller: seller_key(tokens.as_ref()),
            tokens,
            shared: Arc::new(shared),
        };
        Ok(Client::new_with_client(&base_url, http, context))
    }
}

/// The token source of a base client built without credentials.
#[derive(Debug)]
struct NoCredentials;

impl TokenSource for NoCredentials {
    fn token(&self) -> BoxFuture<'_, Result<BearerToken, AuthError>> {
        Box::pin(async {
            Err(AuthError::Source(
                "this client has no credentials: call it through Client::for_seller".into(),
            ))
        })
    }
}

/// The rate-limit key of a token source; a source that names no seller counts as its own.
fn seller_key(tokens: &dyn TokenSource) -> SellerKey {
    static NEXT: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(1);
    tokens.seller_key().unwrap_or_else(|| {
        let n = NEXT.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        SellerKey::new(format!("client-{n}"))
    })
}

fn normalize_base_url(base_url: &str) -> Result<String, BuildError> {
    let invalid = || BuildError::InvalidBaseUrl(base_url.chars().take(200).collect());
    let parsed = url::Url::parse(base_url).map_err(|_| invalid())?;
    if !matches!(parsed.scheme(), "http" | "https") || parsed.host().is_none() {
        return Err(invalid());
    }
    Ok(base_url.trim_end_matches('/').to_string())
}

impl Client {
    /// Starts configuring a client.
    pub fn builder() -> ClientBuilder {
        ClientBuilder::default()
    }

    /// The clock the client waits on for rate limits and retries (see
    /// [`ClientBuilder::clock`]); helpers built on the client (the change feed, the courier
    /// directory) tell time by it too, so one manual clock drives them all in tests.
    pub fn clock(&self) -> Arc<dyn Clock> {
        progenitor_client::ClientInfo::inner(self)
            .shared
            .clock
            .clone()
    }

    /// A client for another seller that shares this one's HTTP connection pool, settings and
    /// token provider: one cheap client per seller.
    pub fn for_seller(&self, credentials: Credentials) -> Client {
        let tokens = progenitor_client::ClientInfo::inner(self)
            .shared
            .provider
            .source(credentials);
        self.with_token_source(tokens)
    }

    /// A client that shares this one's HTTP connection pool and settings but gets its tokens
    /// from `tokens`.
    pub fn with_token_source(&self, tokens: Arc<dyn TokenSource>) -> Client {
        let mut context = progenitor_client::ClientInfo::inner(self).clone();
        context.seller = seller_key(tokens.as_ref());
        context.tokens = tokens;
        Client::new_with_client(
            progenitor_client::ClientInfo::baseurl(self),
            progenitor_client::ClientInfo::client(self).clone(),
            context,
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base_urls_are_validated_and_trimmed() {
        assert_eq!(
            normalize_base_url("http://127.0.0.1:8080/").ok().as_deref(),
            Some("http://127.0.0.1:8080")
        );
        assert!(normalize_base_url("ftp://x").is_err());
        assert!(normalize_base_url("not a url").is_err());
    }

    #[test]
    fn building_without_a_token_source_fails_clearly() {
        assert!(matches!(
            Client::builder().build(),
            Err(BuildError::MissingTokenSource)
        ));
    }
}
