//! From a generated builder to `Result<Payload, Error>`: sending, re-sending, and mapping
//! every outcome to one typed error.
//!
//! The generated companion module implements [`Operation`] and `IntoFuture` for every
//! builder, so `client.get_product().product_id(1).await` runs [`Call`]: it sends a clone of
//! the builder, unwraps the envelope, maps failures to [`Error`], and sends again while the
//! retry rules allow ([`crate::retry`]). One generic function does this for every operation.
//! [`CallExt`] sets a retry policy or a timeout for one call, or asks for a report of the
//! attempts.

use std::future::{Future, IntoFuture};
use std::pin::Pin;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::task::{Context, Poll};
use std::time::Duration;

use bytes::Bytes;
use progenitor_client::{ClientInfo, ResponseValue};
use reqwest::header::{HeaderMap, RETRY_AFTER};
use serde::de::DeserializeOwned;
use tracing::Instrument;

use crate::api::Client;
use crate::envelope::{Envelope, Failure, MISSING_PAYLOAD};
use crate::error::{ApiError, DecodeError, Error, ErrorCode};
use crate::invalid::InvalidRequestError;
use crate::operation::{OperationMeta, RetrySafety};
use crate::retry::{RetryPolicy, Retryable, classify};
use crate::transport::{RefreshFailed, ReplayWithFreshToken, TokenUnavailable};

/// The raw, envelope-level outcome of a generated builder's `send()`.
#[doc(hidden)]
pub type RawResult<T> = Result<ResponseValue<Envelope<T>>, progenitor_client::Error<()>>;

/// Bodies of unexpected answers are read up to this size; the rest is not needed to classify.
const MAX_ERROR_BODY: usize = 64 * 1024;

/// A generated request builder, as the call layer sees it: what the spec says about its
/// operation, its client, and how to send it once. Implemented by generated code for every
/// operation; rarely named by users, who use [`CallExt`] and `.await`.
pub trait Operation<'a>: Clone + Send + Sized + 'a {
    /// What a successful call yields.
    type Payload: DeserializeOwned + Send + 'a;
    /// What the spec says about the operation.
    fn meta() -> &'static OperationMeta;
    /// The client the builder came from.
    fn client(&self) -> &'a Client;
    /// Sends once, at the envelope level. Not boxed: the call's own future holds it.
    #[doc(hidden)]
    fn send_once(self) -> impl Future<Output = RawResult<Self::Payload>> + Send + 'a;

    /// The request body, for the checks the SDK runs before sending it; generated for the
    /// operations whose body the spec marks for them (`x-toss-product-body`), `None` for
    /// the others.
    #[doc(hidden)]
    fn checked_body(&self) -> Option<crate::products::CheckedBody> {
        None
    }
}

/// Per-call settings on any request builder: `client.get_product().product_id(1).retry(..)`.
pub trait CallExt<'a>: Operation<'a> {
    /// Retries this call by `policy` instead of the client's policy.
    fn retry(self, policy: RetryPolicy) -> Call<'a, Self> {
        Call::new(self).retry(policy)
    }

    /// Gives this call `timeout` per attempt instead of the client's or the operation's.
    fn timeout(self, timeout: Duration) -> Call<'a, Self> {
        Call::new(self).timeout(timeout)
    }

    /// Resolves to a [`Reported`] outcome: the result with the attempts it took.
    fn reported(self) -> ReportedCall<'a, Self> {
        Call::new(self).reported()
    }

    /// Sends this call without the checks the SDK runs on a product body before sending
    /// ([`crate::products`]); the API then judges the body alone. No effect on operations
    /// whose body the SDK does not check.
    fn skip_validation(self) -> Call<'a, Self> {
        Call::new(self).skip_validation()
    }

    /// Checks this call's product body against a category's option groups and notice items
    /// too, before sending ([`crate::products::CategoryRules`]). No effect on operations
    /// whose body the SDK does not check.
    fn category_rules(self, rules: Arc<crate::products::CategoryRules>) -> Call<'a, Self> {
        Call::new(self).category_rules(rules)
    }
}

impl<'a, B: Operation<'a>> CallExt<'a> for B {}

/// One call with its settings; awaiting it sends the request.
#[must_use = "a call does nothing unless awaited"]
#[derive(Debug, Clone)]
pub struct Call<'a, B: Operation<'a>> {
    builder: B,
    options: CallOptions,
    _client: std::marker::PhantomData<&'a Client>,
}

#[derive(Debug, Clone, Default)]
struct CallOptions {
    retry: Option<RetryPolicy>,
    timeout: Option<Duration>,
    /// What the checks of a product body before sending use, or that they are off.
    body_checks: crate::products::BodyChecks,
}

impl<'a, B: Operation<'a>> Call<'a, B> {
    /// A call of `builder` with the client's settings.
    pub fn new(builder: B) -> Self {
        Self {
            builder,
            options: CallOptions::default(),
            _client: std::marker::PhantomData,
        }
    }

    /// Retries by `policy` instead of the client's policy.
    pub fn retry(mut self, policy: RetryPolicy) -> Self {
        self.options.retry = Some(policy);
        self
    }

    /// Gives each attempt `timeout` instead of the client's or the operation's.
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.options.timeout = Some(timeout);
        self
    }

    /// Sends without the checks the SDK runs on a product body before sending.
    pub fn skip_validation(mut self) -> Self {
        self.options.body_checks = self.options.body_checks.off();
        self
    }

    /// Checks a product body against a category's option groups and notice items too.
    pub fn category_rules(mut self, rules: Arc<crate::products::CategoryRules>) -> Self {
        self.options.body_checks = self.options.body_checks.with_rules(rules);
        self
    }

    /// Resolves to a [`Reported`] outcome instead of a plain `Result`.
    pub fn reported(self) -> ReportedCall<'a, B> {
        ReportedCall(self)
    }
}

impl<'a, B: Operation<'a>> IntoFuture for Call<'a, B> {
    type Output = Result<B::Payload, Error>;
    type IntoFuture = CallFuture<'a, B::Payload>;

    fn into_future(self) -> Self::IntoFuture {
        CallFuture {
            inner: Box::pin(async move { run(self.builder, self.options).await.result }),
        }
    }
}

/// A call that resolves to a [`Reported`] outcome; see [`CallExt::reported`].
#[must_use = "a call does nothing unless awaited"]
#[derive(Debug, Clone)]
pub struct ReportedCall<'a, B: Operation<'a>>(Call<'a, B>);

impl<'a, B: Operation<'a>> IntoFuture for ReportedCall<'a, B> {
    type Output = Reported<B::Payload>;
    type IntoFuture = Pin<Box<dyn Future<Output = Reported<B::Payload>> + Send + 'a>>;

    fn into_future(self) -> Self::IntoFuture {
        Box::pin(run(self.0.builder, self.0.options))
    }
}

/// The outcome of a call with what it took.
#[derive(Debug)]
#[non_exhaustive]
pub struct Reported<T> {
    /// The payload or the error.
    pub result: Result<T, Error>,
    /// Requests sent, the first included (0 when the request could not be built).
    pub attempts: u32,
    /// Time spent waiting for the client-side rate limit, over all attempts.
    pub rate_limit_wait: Duration,
}

/// The future a request builder turns into when awaited: the payload or a typed [`Error`].
#[must_use = "futures do nothing unless awaited"]
pub struct CallFuture<'a, T> {
    inner: Pin<Box<dyn Future<Output = Result<T, Error>> + Send + 'a>>,
}

impl<T> Future for CallFuture<'_, T> {
    type Output = Result<T, Error>;

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        self.inner.as_mut().poll(cx)
    }
}

impl<T> std::fmt::Debug for CallFuture<'_, T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("CallFuture")
    }
}

/// What the transport hooks of one call read and report (through a task-local, because
/// progenitor's hooks see only the client and the request).
#[derive(Debug, Default)]
pub(crate) struct CallScope {
    pub(crate) timeout: Option<Duration>,
    rate_limit_wait_nanos: AtomicU64,
    sent: AtomicU64,
    /// Whether the request being sent is the replay after a 401, which is not replayed again.
    replaying: AtomicBool,
}

impl CallScope {
    /// Adds a wait for a rate-limit permit, and counts the request the permit is for.
    pub(crate) fn permitted(&self, waited: Duration) {
        let nanos = u64::try_from(waited.as_nanos()).unwrap_or(u64::MAX);
        self.rate_limit_wait_nanos
            .fetch_add(nanos, Ordering::Relaxed);
        self.sent.fetch_add(1, Ordering::Relaxed);
    }

    /// Whether the request being sent is the replay after a 401.
    pub(crate) fn replaying(&self) -> bool {
        self.replaying.load(Ordering::Relaxed)
    }

    fn rate_limit_wait(&self) -> Duration {
        Duration::from_nanos(self.rate_limit_wait_nanos.load(Ordering::Relaxed))
    }
}

tokio::task_local! {
    /// The scope of the call running on this task, for the transport hooks.
    pub(crate) static CALL_SCOPE: Arc<CallScope>;
}

/// Sends `builder`, again while the retry rules allow, inside one tracing span.
async fn run<'a, B: Operation<'a>>(mut builder: B, options: CallOptions) -> Reported<B::Payload> {
    let meta = B::meta();
    let context = &builder.client().inner().shared;
    let policy = options.retry.unwrap_or_else(|| context.retry.clone());
    let (budget, clock) = (context.retry_budget.clone(), context.clock.clone());
    let scope = Arc::new(CallScope {
        timeout: options.timeout,
        ..CallScope::default()
    });
    let span = tracing::info_span!(
        "toss_shopping.call",
        operation = meta.operation_id,
        attempts = tracing::field::Empty,
        status = tracing::field::Empty,
        error_code = tracing::field::Empty,
        elapsed_ms = tracing::field::Empty,
        rate_limit_wait_ms = tracing::field::Empty,
    );
    let started = clock.now();
    let call_scope = scope.clone();
    let sleeper = clock.clone();
    let body_checks = options.body_checks;
    let attempts = async move {
        // A body that breaks the product rules is refused before anything is sent.
        if let Some(body) = builder.checked_body()
            && let Err(refusal) = body_checks.check(meta, body)
        {
            return (0, Err(refusal));
        }
        let mut attempts = 0;
        let mut last_retry: Option<Retryable> = None;
        loop {
            attempts += 1;
            let sent = send_with_replay(&mut builder, &call_scope).await;
            let error = match outcome(meta, sent).await {
                Ok(payload) => {
                    budget.deposit(last_retry);
                    return (attempts, Ok(payload));
                }
                Err(error) => error,
            };
            let Some(delay) = retry_delay(&policy, &error, meta.retry, attempts) else {
                return (attempts, Err(unconfirmed_or(meta, error)));
            };
            let Some(kind) = classify(&error, meta.retry).filter(|k| budget.withdraw(*k)) else {
                tracing::debug!("toss-shopping: retry budget exhausted; not retrying");
                return (attempts, Err(unconfirmed_or(meta, error)));
            };
            last_retry = Some(kind);
            tracing::debug!(
                attempt = attempts,
                delay_ms = delay.as_millis() as u64,
                error = %error,
                "toss-shopping: retrying"
            );
            sleeper.sleep(delay).await;
        }
    }
    .instrument(span.clone())
    .await;
    let (mut attempts, result) = attempts;
    if matches!(&result, Err(Error::InvalidRequest(_))) {
        attempts = 0;
    }
    record(
        &span,
        &result,
        attempts,
        clock.now() - started,
        scope.rate_limit_wait(),
    );
    Reported {
        result,
        attempts,
        rate_limit_wait: scope.rate_limit_wait(),
    }
}

/// Sends a clone of `builder` once, and once more when the API rejected the token and the
/// transport got a fresh one: the 401 replay, part of this attempt and not a retry. Replaying
/// from a clone of the builder spares every call a copy of its request kept for the rare 401.
///
/// The builder is borrowed `&mut` only because `&B` would need `B: Sync` to be held across an
/// await in a `Send` future; it is not changed.
async fn send_with_replay<'a, B: Operation<'a>>(
    builder: &mut B,
    scope: &Arc<CallScope>,
) -> RawResult<B::Payload> {
    scope.replaying.store(false, Ordering::Relaxed);
    let first = CALL_SCOPE
        .scope(scope.clone(), builder.clone().send_once())
        .await;
    if !wants_replay(&first) {
        return first;
    }
    scope.replaying.store(true, Ordering::Relaxed);
    CALL_SCOPE
        .scope(scope.clone(), builder.clone().send_once())
        .await
}

/// Whether the transport marked this answer (a 401) for a replay with a fresh token.
fn wants_replay<T>(result: &RawResult<T>) -> bool {
    matches!(
        result,
        Err(progenitor_client::Error::UnexpectedResponse(response))
            if response.extensions().get::<ReplayWithFreshToken>().is_some()
    )
}

/// Decodes a 200 answer for the generated `send` (in place of progenitor's
/// `ResponseValue::from_response`, which copies the headers): the headers move into the
/// answer, since nothing in a call reads them but callers of `send()` may.
pub(crate) async fn decode_response<T: DeserializeOwned, E>(
    mut response: reqwest::Response,
) -> Result<ResponseValue<T>, progenitor_client::Error<E>> {
    use progenitor_client::Error as Raw;
    let status = response.status();
    let headers = std::mem::take(response.headers_mut());
    let body = response.bytes().await.map_err(Raw::ResponseBodyError)?;
    let inner =
        serde_json::from_slice(&body).map_err(|error| Raw::InvalidResponsePayload(body, error))?;
    Ok(ResponseValue::new(inner, status, headers))
}

/// The delay before sending again, or `None` when this failure is not retried.
fn retry_delay(
    policy: &RetryPolicy,
    error: &Error,
    safety: RetrySafety,
    attempts: u32,
) -> Option<Duration> {
    classify(error, safety)?;
    if attempts >= policy.max_attempts {
        return None;
    }
    let asked = error.retry_after().unwrap_or_default();
    if asked > policy.max_retry_after {
        return None;
    }
    Some(policy.backoff(attempts).max(asked))
}

/// A write that may have been applied says so, so nobody re-sends it blindly.
fn unconfirmed_or(meta: &'static OperationMeta, error: Error) -> Error {
    let unsafe_to_resend = matches!(meta.retry, RetrySafety::VerifyFirst | RetrySafety::Unsafe);
    if unsafe_to_resend && classify(&error, RetrySafety::Safe) == Some(Retryable::MaybeProcessed) {
        Error::Unconfirmed {
            operation: meta.operation_id,
            source: Box::new(error),
        }
    } else {
        error
    }
}

fn record<T>(
    span: &tracing::Span,
    result: &Result<T, Error>,
    attempts: u32,
    elapsed: Duration,
    rate_limit_wait: Duration,
) {
    span.record("attempts", attempts);
    span.record("elapsed_ms", elapsed.as_millis() as u64);
    span.record("rate_limit_wait_ms", rate_limit_wait.as_millis() as u64);
    if let Err(error) = result {
        if let Some(status) = error.status() {
            span.record("status", status);
        }
        if let Some(code) = error.code() {
            span.record("error_code", code.as_str());
        }
    }
    span.in_scope(|| match result {
        Ok(_) => tracing::debug!("toss-shopping: call succeeded"),
        Err(error) => tracing::debug!(error = %error, "toss-shopping: call failed"),
    });
}

/// Maps every outcome of `send()` to the payload or one [`Error`].
async fn outcome<T: DeserializeOwned>(
    operation: &'static OperationMeta,
    result: RawResult<T>,
) -> Result<T, Error> {
    use progenitor_client::Error as Raw;
    let name = operation.operation_id;
    match result {
        Ok(answer) => {
            let status = answer.status().as_u16();
            payload(operation, status, answer.into_inner())
        }
        Err(Raw::InvalidResponsePayload(body, error)) => undecodable(operation, body, &error),
        Err(Raw::UnexpectedResponse(response)) => Err(unexpected(name, response).await),
        Err(Raw::CommunicationError(error) | Raw::ResponseBodyError(error)) => {
            Err(transport(error))
        }
        Err(Raw::InvalidUpgrade(error)) => Err(Error::Transport(error)),
        Err(Raw::InvalidRequest(message) | Raw::Custom(message)) => Err(Error::InvalidRequest(
            Box::new(InvalidRequestError::from_builder(operation, &message)),
        )),
        Err(Raw::ErrorResponse(response)) => Err(Error::UnexpectedStatus {
            status: response.status().as_u16(),
            snippet: String::new(),
        }),
    }
}

/// The payload of a decoded envelope, or the failure it reports.
fn payload<T>(
    operation: &'static OperationMeta,
    status: u16,
    envelope: Envelope<T>,
) -> Result<T, Error> {
    envelope
        .into_payload()
        .map_err(|failure| api_failure(operation.operation_id, status, None, *failure))
}

/// An answer that did not decode. A `SUCCESS` without a payload is accepted only where the
/// vendor documents it; otherwise it is a decode error that keeps the body, like all others.
fn undecodable<T: DeserializeOwned>(
    operation: &'static OperationMeta,
    body: Bytes,
    error: &serde_json::Error,
) -> Result<T, Error> {
    if !error.to_string().starts_with(MISSING_PAYLOAD) {
        return Err(decode_error::<T>(operation.operation_id, body, error));
    }
    if operation.empty_success
        && let Ok(empty) = serde_json::from_slice(b"{}")
    {
        return Ok(empty);
    }
    Err(Error::Decode(Box::new(DecodeError::new(
        operation.operation_id,
        200,
        "success".into(),
        MISSING_PAYLOAD,
        body,
    ))))
}

/// Decodes a whole answer of `operation` as a call would; see
/// [`crate::operation::decode_answer`].
#[cfg(feature = "wire-checks")]
pub(crate) type AnswerDecoder =
    fn(&'static OperationMeta, &[u8]) -> Result<serde_json::Value, Error>;

/// The [`AnswerDecoder`] for an operation whose payload is `T`.
#[cfg(feature = "wire-checks")]
pub(crate) fn decode_answer<T: DeserializeOwned + serde::Serialize>(
    operation: &'static OperationMeta,
    body: &[u8],
) -> Result<serde_json::Value, Error> {
    let decoded = match serde_json::from_slice::<Envelope<T>>(body) {
        Ok(envelope) => payload(operation, 200, envelope)?,
        Err(error) => undecodable::<T>(operation, Bytes::copy_from_slice(body), &error)?,
    };
    serde_json::to_value(decoded).map_err(|error| {
        Error::Decode(Box::new(DecodeError::new(
            operation.operation_id,
            200,
            "$".into(),
            &error.to_string(),
            Bytes::copy_from_slice(body),
        )))
    })
}

fn transport(error: reqwest::Error) -> Error {
    if error.is_timeout() {
        Error::Timeout(error)
    } else {
        Error::Transport(error)
    }
}

/// A failure the API reported; throttling gets its own variant wherever it shows up.
fn api_failure(
    operation: &'static str,
    status: u16,
    retry_after: Option<Duration>,
    failure: Failure,
) -> Error {
    let api = Box::new(ApiError::from_failure(operation, status, failure));
    if api.code == ErrorCode::TooManyRequest || status == 429 {
        Error::RateLimited {
            status,
            retry_after,
            api: Some(api),
        }
    } else if status == 401 {
        Error::Unauthorized {
            api: Some(api),
            refresh_error: None,
        }
    } else {
        Error::Api(api)
    }
}

/// Decodes the body again with path tracking, to say where decoding failed.
fn decode_error<T: DeserializeOwned>(
    operation: &'static str,
    body: Bytes,
    error: &serde_json::Error,
) -> Error {
    let mut deserializer = serde_json::Deserializer::from_slice(&body);
    let (path, message) =
        match serde_path_to_error::deserialize::<_, Envelope<T>>(&mut deserializer) {
            Err(tracked) => (tracked.path().to_string(), tracked.into_inner().to_string()),
            Ok(_) => ("$".to_string(), error.to_string()),
        };
    Error::Decode(Box::new(DecodeError::new(
        operation, 200, path, &message, body,
    )))
}

/// An answer with a status the spec does not document (anything but 200).
async fn unexpected(operation: &'static str, mut response: reqwest::Response) -> Error {
    if let Some(TokenUnavailable(error)) = response.extensions_mut().remove::<TokenUnavailable>() {
        return Error::Auth(error);
    }
    let refresh_error = response
        .extensions_mut()
        .remove::<RefreshFailed>()
        .map(|RefreshFailed(error)| error);
    let status = response.status().as_u16();
    let retry_after = retry_after(response.headers());
    let body = match read_limited(response).await {
        Ok(body) => body,
        Err(error) => return transport(error),
    };
    match (status, failure_in(&body)) {
        (401, failure) => Error::Unauthorized {
            api: failure.map(|f| Box::new(ApiError::from_failure(operation, status, f))),
            refresh_error,
        },
        (429, failure) => Error::RateLimited {
            status,
            retry_after,
            api: failure.map(|f| Box::new(ApiError::from_failure(operation, status, f))),
        },
        (_, Some(failure)) => api_failure(operation, status, retry_after, failure),
        (500..=599, None) => Error::Server {
            status,
            snippet: crate::redact::snippet(&body),
            retry_after,
        },
        (_, None) => Error::UnexpectedStatus {
            status,
            snippet: crate::redact::snippet(&body),
        },
    }
}

/// The failure in an error body: an envelope's `error`, or a bare `{errorCode, reason}`.
fn failure_in(body: &[u8]) -> Option<Failure> {
    let envelope: Envelope<serde_json::Value> = serde_json::from_slice(body).ok()?;
    envelope.into_payload().err().map(|failure| *failure)
}

async fn read_limited(mut response: reqwest::Response) -> reqwest::Result<Vec<u8>> {
    let mut body = Vec::new();
    while let Some(chunk) = response.chunk().await? {
        let room = MAX_ERROR_BODY.saturating_sub(body.len());
        body.extend_from_slice(&chunk[..chunk.len().min(room)]);
        if body.len() >= MAX_ERROR_BODY {
            break;
        }
    }
    Ok(body)
}

/// `Retry-After`, in seconds or as an HTTP date (then counted from now).
pub(crate) fn retry_after(headers: &HeaderMap) -> Option<Duration> {
    let value = headers.get(RETRY_AFTER)?.to_str().ok()?.trim();
    if let Ok(seconds) = value.parse::<u64>() {
        return Some(Duration::from_secs(seconds));
    }
    let date = chrono::DateTime::parse_from_rfc2822(value).ok()?;
    let left = date.with_timezone(&chrono::Utc) - chrono::Utc::now();
    Some(left.to_std().unwrap_or(Duration::ZERO))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn header(value: &str) -> HeaderMap {
        let mut headers = HeaderMap::new();
        headers.insert(RETRY_AFTER, value.parse().expect("a header value"));
        headers
    }

    #[test]
    fn retry_after_reads_seconds_and_http_dates() {
        assert_eq!(retry_after(&header("7")), Some(Duration::from_secs(7)));
        assert_eq!(
            retry_after(&header("Wed, 21 Oct 2015 07:28:00 GMT")),
            Some(Duration::ZERO),
            "a date in the past means now"
        );
        let later = chrono::Utc::now() + chrono::Duration::seconds(120);
        let date = later.format("%a, %d %b %Y %H:%M:%S GMT").to_string();
        let wait = retry_after(&header(&date)).expect("an HTTP date");
        assert!(
            wait > Duration::from_secs(100) && wait <= Duration::from_secs(120),
            "{wait:?}"
        );
        assert_eq!(retry_after(&header("soon")), None);
    }
}
