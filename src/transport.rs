//! What happens to every request between the generated builder and the network: the
//! progenitor hooks of [`Client`].
//!
//! `pre` tidies the request (partner name, user agent, timeout); `exec` takes a rate-limit
//! permit, adds the bearer token and, when the API answers 401, invalidates that token and
//! gets a fresh one. Inside a call, the answer is then marked and [`crate::call`] replays the
//! call once from a clone of its builder (so no call keeps a copy of its request for the rare
//! 401); a bare `send()` keeps that copy and replays it here. Each replay takes another
//! permit. Token failures cannot travel through `exec`'s `reqwest::Result`, so they ride on a
//! synthetic 401 answer as a response extension, which [`crate::call`] turns back into a typed
//! [`Error::Auth`](crate::Error::Auth).

use std::fmt;
use std::sync::Arc;
use std::time::{Duration, Instant};

use progenitor_client::{ClientHooks, ClientInfo, OperationInfo};
use reqwest::header::{AUTHORIZATION, HeaderValue, USER_AGENT};
use reqwest::{Request, Response, StatusCode};

use crate::api::Client;
use crate::auth::{AuthError, BearerToken, Clock, TokenProvider, TokenSource};
use crate::call::CallScope;
use crate::limit::{RateLimiter, Reservation, SellerKey};
use crate::operation::{OperationMeta, RateLimitClass};
use crate::retry::{RetryBudget, RetryPolicy};

/// Per-client settings the generated [`Client`] carries into every request.
///
/// Built by [`ClientBuilder`](crate::ClientBuilder); cheap to clone. Only the seller's own
/// parts sit inline; the settings every client of one builder shares (`for_seller` clients
/// included) sit behind one `Arc`, so a client per seller of 10,000 stays small.
#[derive(Clone)]
pub struct Context {
    pub(crate) tokens: Arc<dyn TokenSource>,
    /// Whose quota the requests count against.
    pub(crate) seller: SellerKey,
    pub(crate) shared: Arc<SharedSettings>,
}

/// The settings shared by a client, its clones and its `for_seller` clients.
pub(crate) struct SharedSettings {
    pub(crate) provider: TokenProvider,
    pub(crate) partner_name: Option<Arc<str>>,
    pub(crate) timeout: Duration,
    /// The timeout the HTTP client applies by itself (the one the client built), so a request
    /// with that timeout needs none of its own (which costs an allocation per request).
    pub(crate) http_timeout: Option<Duration>,
    pub(crate) user_agent: HeaderValue,
    pub(crate) limiter: Option<Arc<dyn RateLimiter>>,
    pub(crate) retry: RetryPolicy,
    pub(crate) retry_budget: Arc<RetryBudget>,
    pub(crate) clock: Arc<dyn Clock>,
}

impl fmt::Debug for Context {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // `TokenSource` implementations redact their own secrets.
        let shared = &self.shared;
        f.debug_struct("Context")
            .field("tokens", &self.tokens)
            .field("partner_name", &shared.partner_name)
            .field("timeout", &shared.timeout)
            .field("seller", &self.seller)
            .field("limiter", &shared.limiter)
            .field("retry", &shared.retry)
            .finish_non_exhaustive()
    }
}

/// Marks a synthetic answer standing for "no token could be obtained".
#[derive(Clone)]
pub(crate) struct TokenUnavailable(pub(crate) Arc<AuthError>);

/// Attached to a real 401 answer when getting a fresh token after it failed.
#[derive(Clone)]
pub(crate) struct RefreshFailed(pub(crate) Arc<AuthError>);

/// Attached to a real 401 answer inside a call when a fresh token is ready: the call layer
/// replays the call once.
#[derive(Clone)]
pub(crate) struct ReplayWithFreshToken;

/// progenitor's hooks, for any code of progenitor's that runs them; the generated `send`s and
/// the call layer go through `round_trip`, which runs the same steps with a call's scope.
impl ClientHooks<Context> for Client {
    async fn pre<E>(
        &self,
        request: &mut Request,
        info: &OperationInfo,
    ) -> Result<(), progenitor_client::Error<E>> {
        self.prepare(request, info, None);
        Ok(())
    }

    async fn exec(&self, request: Request, info: &OperationInfo) -> reqwest::Result<Response> {
        self.execute(request, info, None).await
    }
}

impl Client {
    /// Tidies the request: user agent, partner name, and the timeout of the call (from
    /// `scope`), else of the operation, else of the client.
    fn prepare(&self, request: &mut Request, info: &OperationInfo, scope: Option<&CallScope>) {
        let context = &self.inner().shared;
        request
            .headers_mut()
            .entry(USER_AGENT)
            .or_insert_with(|| context.user_agent.clone());
        if let Some(partner) = &context.partner_name {
            add_partner_name(request, partner);
        }
        // Inside a call, its scope knows the operation; a bare `send()` looks it up by name.
        let (for_call, documented) = match scope {
            Some(scope) => (scope.timeout, scope.meta.timeout),
            None => (
                None,
                crate::operation::find(info.operation_id).and_then(|op| op.timeout),
            ),
        };
        let timeout = for_call
            .unwrap_or_else(|| documented.map_or(context.timeout, |d| d.max(context.timeout)));
        if Some(timeout) != context.http_timeout {
            *request.timeout_mut() = Some(timeout);
        }
    }

    /// Sends the request with a permit and a token (see [`Client::send_authorized`]) and
    /// records the answer's status on the call's span.
    async fn execute(
        &self,
        request: Request,
        info: &OperationInfo,
        scope: Option<&CallScope>,
    ) -> reqwest::Result<Response> {
        // The clock is read only when a debug event below could be recorded.
        let started = debug_enabled().then(Instant::now);
        // Inside a call, its scope knows the operation, and its layer replays from a clone of
        // its builder; a bare `send()` looks the operation up by name.
        let class = match scope {
            Some(scope) => Some(scope.meta.rate_limit),
            None => {
                crate::operation::find(info.operation_id).map(|op: &OperationMeta| op.rate_limit)
            }
        };
        let result = self.send_authorized(request, class, scope).await;
        let elapsed_ms = || started.map_or(0, |started| started.elapsed().as_millis() as u64);
        if let Ok(response) = &result {
            tracing::Span::current().record("status", response.status().as_u16());
        }
        match &result {
            Ok(response) => tracing::debug!(
                operation = info.operation_id,
                status = response.status().as_u16(),
                elapsed_ms = elapsed_ms(),
                "toss-shopping request"
            ),
            Err(error) => tracing::debug!(
                operation = info.operation_id,
                timeout = error.is_timeout(),
                elapsed_ms = elapsed_ms(),
                "toss-shopping request failed"
            ),
        }
        result
    }
}

/// What one request of a generated `send` brought back: the documented answer (status 200,
/// the only one the spec documents) read whole, or any other answer left unread for the call
/// layer to classify.
pub(crate) enum Answer {
    /// A 200 answer and its body.
    Read {
        status: reqwest::StatusCode,
        headers: reqwest::header::HeaderMap,
        body: bytes::Bytes,
    },
    /// An answer with an undocumented status.
    Undocumented(Response),
}

/// One request through the hooks and the wire: the steps of progenitor's `pre`, `exec` and
/// `post`, then the body of a 200 answer. One future that is not generic: each operation's
/// `send` awaits it once and keeps only its payload's decoding (`crate::call::decoded`) to
/// itself, and the call layer awaits it for every attempt with its call's `scope` (`None`
/// for a bare `send()`).
pub(crate) async fn round_trip(
    client: &Client,
    mut request: Request,
    info: &OperationInfo,
    scope: Option<&CallScope>,
) -> Result<Answer, progenitor_client::Error<()>> {
    client.prepare(&mut request, info, scope);
    let result = client.execute(request, info, scope).await;
    client.post(&result, info).await?;
    let response = result?;
    if response.status() != reqwest::StatusCode::OK {
        return Ok(Answer::Undocumented(response));
    }
    crate::call::read_answer(response).await
}

impl Client {
    /// Waits for a rate-limit permit of `class` for this client's seller; a wait counts in
    /// the call's `scope`.
    async fn permit(&self, class: Option<RateLimitClass>, scope: Option<&CallScope>) {
        let context = self.inner();
        let (Some(limiter), Some(class)) = (&context.shared.limiter, class) else {
            return;
        };
        let waited = match limiter.reserve(&context.seller, class) {
            Reservation::Now => return,
            Reservation::Wait(wait) => wait.await,
        };
        if let Some(scope) = scope {
            scope.permitted(waited);
        }
    }

    /// Sends with a bearer token; on 401, refreshes once and has the request replayed once
    /// (by the call layer inside a call, here for a bare `send()`). Each request sent takes a
    /// rate-limit permit first. `scope` is the call's, `None` for a bare `send()`.
    async fn send_authorized(
        &self,
        mut request: Request,
        class: Option<RateLimitClass>,
        scope: Option<&CallScope>,
    ) -> reqwest::Result<Response> {
        // `Some(replaying)` inside a call.
        let in_call = scope.map(CallScope::replaying);
        let tokens = &self.inner().tokens;
        let token = match tokens.cached() {
            Some(token) => token,
            None => match tokens.token().await {
                Ok(token) => token,
                Err(error) => return Ok(synthetic_401(TokenUnavailable(Arc::new(error)))),
            },
        };
        // A bare `send()` keeps a copy to replay. Bodies are buffered JSON, so this clone only
        // fails for streams, which are not replayed. Boxed, like the 401 path below, so that
        // every request's future stays small: it is moved into its parent at each level.
        let replay = match in_call {
            None => request.try_clone().map(Box::new),
            Some(_) => None,
        };
        authorize(&mut request, &token);
        self.permit(class, scope).await;
        let response = self.client().execute(request).await?;
        if response.status() != StatusCode::UNAUTHORIZED || in_call == Some(true) {
            return Ok(response);
        }
        if in_call.is_none() && replay.is_none() {
            return Ok(response);
        }
        Box::pin(self.after_401(response, token, replay, class)).await
    }

    /// A 401 from the API: takes a fresh token, then replays the copy kept by a bare
    /// `send()`, or marks the answer for the call layer to replay from its builder.
    async fn after_401(
        &self,
        mut response: Response,
        token: BearerToken,
        replay: Option<Box<Request>>,
        class: Option<RateLimitClass>,
    ) -> reqwest::Result<Response> {
        let tokens = &self.inner().tokens;
        tokens.invalidate(&token);
        let fresh = match tokens.token().await {
            Ok(fresh) => fresh,
            Err(error) => {
                response
                    .extensions_mut()
                    .insert(RefreshFailed(Arc::new(error)));
                return Ok(response);
            }
        };
        if fresh == token {
            // The source could not refresh; replaying the same token would fail the same way.
            return Ok(response);
        }
        tracing::debug!(
            "toss-shopping: token rejected with 401, replaying once with a fresh token"
        );
        let Some(mut replay) = replay else {
            // The call layer sends a fresh clone of its builder, which gets `fresh` from the
            // source's cache.
            response.extensions_mut().insert(ReplayWithFreshToken);
            return Ok(response);
        };
        // Only a bare `send()` keeps a copy to replay, so there is no call's scope here.
        authorize(&mut replay, &fresh);
        self.permit(class, None).await;
        self.client().execute(*replay).await
    }
}

/// Whether a debug event could be recorded by any subscriber: a cheap global check, so that
/// a client nobody logs at debug level reads no clock for its request events.
fn debug_enabled() -> bool {
    use tracing::level_filters::{LevelFilter, STATIC_MAX_LEVEL};
    LevelFilter::DEBUG <= STATIC_MAX_LEVEL && LevelFilter::DEBUG <= LevelFilter::current()
}

fn authorize(request: &mut Request, token: &BearerToken) {
    match token.header() {
        // A clone of the token's ready, sensitive header value: a reference count, no copy.
        Some(value) => {
            request.headers_mut().insert(AUTHORIZATION, value.clone());
        }
        // A token with bytes a header cannot hold is sent without one; the API answers 401.
        None => tracing::warn!("toss-shopping: access token is not a valid header value"),
    }
}

/// Adds an optional query parameter for the generated `send`, leaving the URL alone when the
/// value is unset: reqwest re-encodes the whole URL on every `query` call, even for nothing.
pub(crate) fn optional_query<T: serde::Serialize>(
    builder: reqwest::RequestBuilder,
    name: &str,
    value: &Option<T>,
) -> reqwest::RequestBuilder {
    match value {
        Some(value) => builder.query(&progenitor_client::QueryParam::new(name, value)),
        None => builder,
    }
}

fn add_partner_name(request: &mut Request, partner: &str) {
    let url = request.url_mut();
    if !url.query_pairs().any(|(key, _)| key == "partnerName") {
        url.query_pairs_mut().append_pair("partnerName", partner);
    }
}

fn synthetic_401<T: Clone + Send + Sync + 'static>(marker: T) -> Response {
    let mut response = http::Response::new(Vec::<u8>::new());
    *response.status_mut() = StatusCode::UNAUTHORIZED;
    response.extensions_mut().insert(marker);
    Response::from(response)
}
