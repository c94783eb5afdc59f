//! From a generated builder to `Result<Payload, Error>`: sending, re-sending, and mapping
//! every outcome to one typed error.
//!
//! The generated companion module implements [`Operation`] and `IntoFuture` for every
//! builder, so `client.get_product().product_id(1).await` runs [`Call`]: it sends a clone of
//! the builder, unwraps the envelope, maps failures to [`Error`], and sends again while the
//! retry rules allow ([`crate::retry`]). [`CallExt`] sets a retry policy or a timeout for one
//! call, or asks for a report of the attempts.
//!
//! # One loop for every operation, a thin shim per operation
//!
//! Everything a call does besides building one request and decoding its payload lives in
//! `drive`, one async function that is not generic and so is compiled once: the checks of a
//! product body, the retry loop with its budget and clock, the request's round trip through
//! the transport, the 401 replay, and the tracing span and its fields. Per operation only
//! `run` and `Attempt` stay generic: an `Attempt` builds the request from a clone of the
//! builder (the generated `into_request`, the first half of `send()`) and decodes the
//! payload, and the loop reaches it through the `Attempts` trait object. Two reasons:
//!
//! - **Build time.** When the loop was generic, every operation instantiated it with its
//!   scope, span and replay wrappers. Measured with `cargo llvm-lines --lib
//!   --no-default-features --features rustls`: the call layer's rows (`toss_shopping::call`,
//!   tokio's task-local, tracing's `Instrumented`) went from 168,612 to 59,698 LLVM lines,
//!   the lean core from 1,251,970 to 1,126,382.
//! - **The tiny call's cost.** The loop awaits `crate::transport::round_trip` directly, so
//!   no generated future runs inside a call and no nest of futures is moved into its
//!   parent. The payload waits in the attempt until the loop reports success, so nothing is
//!   boxed per attempt (no `Box<dyn Any>`). The `CallScope` (the operation's
//!   [`OperationMeta`], the call's timeout, the rate-limit wait, the replay flag) lives in
//!   the loop's future and goes to the transport as an argument, not through a task-local
//!   entered at every poll. The clock is read only when a subscriber records the span.

use std::future::{Future, IntoFuture};
use std::pin::Pin;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::task::{Context, Poll};
use std::time::Duration;

use bytes::Bytes;
use progenitor_client::{ClientInfo, OperationInfo, ResponseValue};
use reqwest::header::{HeaderMap, RETRY_AFTER};
use serde::de::DeserializeOwned;
use tracing::Instrument;

use crate::api::Client;
use crate::envelope::{Envelope, Failure, MISSING_PAYLOAD};
use crate::error::{ApiError, DecodeError, Error, ErrorCode};
use crate::invalid::InvalidRequestError;
use crate::operation::{OperationMeta, RetrySafety};
use crate::products::CheckedBody;
use crate::retry::{RetryPolicy, Retryable, classify};
use crate::transport::{Answer, RefreshFailed, ReplayWithFreshToken, TokenUnavailable};

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
    /// Builds the request, checks included, without sending it: the call layer sends it
    /// through the transport itself, once per attempt.
    // progenitor's error type, as the generated `send` returns it; built once per attempt.
    #[allow(clippy::result_large_err)]
    #[doc(hidden)]
    fn build_request(self) -> Result<reqwest::Request, progenitor_client::Error<()>>;

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
            inner: Box::pin(run(self.builder, self.options)),
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
    /// The same future a [`ReportedCall`] awaits (one instantiation per operation, not two);
    /// only its result is kept.
    inner: Pin<Box<dyn Future<Output = Reported<T>> + Send + 'a>>,
}

impl<T> Future for CallFuture<'_, T> {
    type Output = Result<T, Error>;

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        self.inner.as_mut().poll(cx).map(|reported| reported.result)
    }
}

impl<T> std::fmt::Debug for CallFuture<'_, T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("CallFuture")
    }
}

/// What the transport of one call reads and reports: the operation, the call's timeout, the
/// time spent waiting for rate-limit permits, and whether the request is the 401 replay.
///
/// It lives inline in the call's future and reaches the transport as an argument of
/// [`crate::transport::round_trip`]. Atomics rather than `Cell`s: the call's future holds a
/// reference to it across awaits and must stay `Send`. Only this call's task touches them.
#[derive(Debug)]
pub(crate) struct CallScope {
    /// The operation being called: the transport reads its timeout and rate-limit class here
    /// instead of looking it up by name.
    pub(crate) meta: &'static OperationMeta,
    /// This call's timeout per attempt, when it sets one.
    pub(crate) timeout: Option<Duration>,
    /// Nanoseconds spent waiting for rate-limit permits.
    rate_limit_wait: AtomicU64,
    /// Whether the request being sent is the replay after a 401, which is not replayed again.
    replaying: AtomicBool,
}

impl CallScope {
    fn new(meta: &'static OperationMeta, timeout: Option<Duration>) -> Self {
        Self {
            meta,
            timeout,
            rate_limit_wait: AtomicU64::new(0),
            replaying: AtomicBool::new(false),
        }
    }

    /// Adds a wait for a rate-limit permit.
    pub(crate) fn permitted(&self, waited: Duration) {
        let nanos = u64::try_from(waited.as_nanos()).unwrap_or(u64::MAX);
        let total = self
            .rate_limit_wait
            .load(Ordering::Relaxed)
            .saturating_add(nanos);
        self.rate_limit_wait.store(total, Ordering::Relaxed);
    }

    fn rate_limit_wait(&self) -> Duration {
        Duration::from_nanos(self.rate_limit_wait.load(Ordering::Relaxed))
    }

    /// Whether the request being sent is the replay after a 401.
    pub(crate) fn replaying(&self) -> bool {
        self.replaying.load(Ordering::Relaxed)
    }

    fn set_replaying(&self, replaying: bool) {
        self.replaying.store(replaying, Ordering::Relaxed);
    }
}

/// The generic shim of one operation: sets up its [`Attempt`] and runs the shared loop.
async fn run<'a, B: Operation<'a>>(builder: B, options: CallOptions) -> Reported<B::Payload> {
    let meta = B::meta();
    let client = builder.client();
    let body = builder.checked_body();
    let mut attempt = Attempt {
        meta,
        builder,
        payload: None::<B::Payload>,
    };
    let done = drive(meta, client, options, body, &mut attempt).await;
    let result = done
        .result
        .and_then(|()| attempt.payload.take().ok_or_else(|| lost(meta)));
    Reported {
        result,
        attempts: done.attempts,
        rate_limit_wait: done.rate_limit_wait,
    }
}

/// How one attempt ended, as the shared loop sees it (the payload stays in the attempt).
enum Sent {
    /// The answer decoded; its payload waits in the attempt.
    Payload,
    /// A failure, already typed.
    Failed(Error),
    /// An answer with an undocumented status; the loop reads its marks and its body.
    Unexpected(reqwest::Response),
}

/// One operation's part of each attempt, behind `dyn` so that the loop is compiled once.
trait Attempts {
    /// Builds the request from a clone of the builder; a refusal is how the attempt ended.
    // A refusal ends the attempt at once; nothing hot carries it.
    #[allow(clippy::result_large_err)]
    fn request(&self) -> Result<reqwest::Request, Sent>;
    /// Decodes what the round trip brought back, keeping the payload when it decodes.
    fn accept(&mut self, answer: Result<Answer, progenitor_client::Error<()>>) -> Sent;
}

/// The generic part of a call: the builder and the payload.
struct Attempt<B, T> {
    meta: &'static OperationMeta,
    builder: B,
    payload: Option<T>,
}

impl<'a, B, T> Attempts for Attempt<B, T>
where
    B: Operation<'a>,
    T: DeserializeOwned,
{
    fn request(&self) -> Result<reqwest::Request, Sent> {
        // Building each attempt from a clone of the builder spares every call a copy of its
        // request kept for the rare 401 replay.
        self.builder
            .clone()
            .build_request()
            .map_err(|raw| failed(self.meta, raw))
    }

    fn accept(&mut self, answer: Result<Answer, progenitor_client::Error<()>>) -> Sent {
        let decoded = match answer.and_then(decoded::<Envelope<T>>) {
            Ok(answer) => {
                let status = answer.status().as_u16();
                payload(self.meta, status, answer.into_inner())
            }
            Err(progenitor_client::Error::InvalidResponsePayload(body, error)) => {
                undecodable(self.meta, body, &error)
            }
            Err(other) => return failed(self.meta, other),
        };
        match decoded {
            Ok(payload) => {
                self.payload = Some(payload);
                Sent::Payload
            }
            Err(error) => Sent::Failed(error),
        }
    }
}

/// How a call ended, its payload (if any) still in the attempt.
struct Done {
    result: Result<(), Error>,
    attempts: u32,
    rate_limit_wait: Duration,
}

/// Runs a call of any operation inside one tracing span and one call scope: the checks of
/// the body, then attempts while the retry rules and the budget allow.
async fn drive(
    meta: &'static OperationMeta,
    client: &Client,
    options: CallOptions,
    body: Option<CheckedBody>,
    attempt: &mut (dyn Attempts + Send),
) -> Done {
    let shared = &*client.inner().shared;
    let span = tracing::info_span!(
        "toss_shopping.call",
        operation = meta.operation_id,
        attempts = tracing::field::Empty,
        status = tracing::field::Empty,
        error_code = tracing::field::Empty,
        elapsed_ms = tracing::field::Empty,
        rate_limit_wait_ms = tracing::field::Empty,
    );
    // Only a span that records its fields needs the call's duration.
    let started = (!span.is_disabled()).then(|| shared.clock.now());
    let scope = CallScope::new(meta, options.timeout);
    let looped = attempts(client, &scope, &options, body, attempt);
    // A span no subscriber records is not entered and left at every poll.
    let (mut attempts, result) = if span.is_disabled() {
        looped.await
    } else {
        looped.instrument(span.clone()).await
    };
    let rate_limit_wait = scope.rate_limit_wait();
    if matches!(&result, Err(Error::InvalidRequest(_))) {
        attempts = 0;
    }
    let elapsed = started.map(|started| shared.clock.now() - started);
    record(
        &span,
        result.as_ref().err(),
        attempts,
        elapsed,
        rate_limit_wait,
    );
    Done {
        result,
        attempts,
        rate_limit_wait,
    }
}

/// The loop of a call: refuses a body that breaks the product rules, then sends again while
/// the retry rules and the budget allow. Returns the requests sent and the outcome.
async fn attempts(
    client: &Client,
    scope: &CallScope,
    options: &CallOptions,
    body: Option<CheckedBody>,
    attempt: &mut (dyn Attempts + Send),
) -> (u32, Result<(), Error>) {
    let meta = scope.meta;
    let shared = &*client.inner().shared;
    // A body that breaks the product rules is refused before anything is sent.
    if let Some(body) = body
        && let Err(refusal) = options.body_checks.check(meta, body)
    {
        return (0, Err(refusal));
    }
    let policy = options.retry.as_ref().unwrap_or(&shared.retry);
    let budget = &shared.retry_budget;
    let mut attempts = 0;
    let mut last_retry: Option<Retryable> = None;
    let info = OperationInfo {
        operation_id: meta.operation_id,
    };
    loop {
        attempts += 1;
        // The 401 replay is part of this attempt, not a retry: the transport got a fresh
        // token and marked the answer. Sent from this one loop, so the round trip's future
        // lives in this function's state and is not moved through nested futures.
        let mut replaying = false;
        let sent = loop {
            scope.set_replaying(replaying);
            let request = match attempt.request() {
                Ok(request) => request,
                Err(refused) => break refused,
            };
            let answer = crate::transport::round_trip(client, request, &info, Some(scope)).await;
            let sent = attempt.accept(answer);
            if replaying || !wants_replay(&sent) {
                break sent;
            }
            replaying = true;
        };
        let error = match sent {
            Sent::Payload => {
                budget.deposit(last_retry);
                return (attempts, Ok(()));
            }
            Sent::Failed(error) => error,
            Sent::Unexpected(response) => unexpected(meta.operation_id, response).await,
        };
        let Some(delay) = retry_delay(policy, &error, meta.retry, attempts) else {
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
        shared.clock.sleep(delay).await;
    }
}

/// Whether the transport marked this answer (a 401) for a replay with a fresh token.
fn wants_replay(sent: &Sent) -> bool {
    matches!(
        sent,
        Sent::Unexpected(response)
            if response.extensions().get::<ReplayWithFreshToken>().is_some()
    )
}

/// The error for a payload the attempt should hold but does not. The loop reports success
/// only after the attempt kept the payload, so this is not expected to happen.
fn lost(meta: &'static OperationMeta) -> Error {
    Error::Decode(Box::new(DecodeError::new(
        meta.operation_id,
        200,
        "$".into(),
        "the decoded payload was not kept",
        Bytes::new(),
    )))
}

/// Decodes what [`crate::transport::round_trip`] brought back, for the generated `send` (in
/// place of progenitor's status match and `ResponseValue::from_response`, which copies the
/// headers): the headers move into the answer, since nothing in a call reads them but callers
/// of `send()` may. The one part of `send` past the wire that is per operation.
// The error type is progenitor's, the one the generated `send` returns.
#[allow(clippy::result_large_err)]
pub(crate) fn decoded<T: DeserializeOwned>(
    answer: Answer,
) -> Result<ResponseValue<T>, progenitor_client::Error<()>> {
    match answer {
        Answer::Read {
            status,
            headers,
            body,
        } => match serde_json::from_slice(&body) {
            Ok(inner) => Ok(ResponseValue::new(inner, status, headers)),
            Err(error) => Err(progenitor_client::Error::InvalidResponsePayload(
                body, error,
            )),
        },
        Answer::Undocumented(response) => {
            Err(progenitor_client::Error::UnexpectedResponse(response))
        }
    }
}

/// Reads a documented answer whole; compiled once rather than per payload type.
pub(crate) async fn read_answer(
    mut response: reqwest::Response,
) -> Result<Answer, progenitor_client::Error<()>> {
    let status = response.status();
    let headers = std::mem::take(response.headers_mut());
    let body = response
        .bytes()
        .await
        .map_err(progenitor_client::Error::ResponseBodyError)?;
    Ok(Answer::Read {
        status,
        headers,
        body,
    })
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

/// Writes the call's outcome on its span, and logs it inside the span.
fn record(
    span: &tracing::Span,
    error: Option<&Error>,
    attempts: u32,
    elapsed: Option<Duration>,
    rate_limit_wait: Duration,
) {
    span.record("attempts", attempts);
    if let Some(elapsed) = elapsed {
        span.record("elapsed_ms", elapsed.as_millis() as u64);
    }
    span.record("rate_limit_wait_ms", rate_limit_wait.as_millis() as u64);
    if let Some(error) = error {
        if let Some(status) = error.status() {
            span.record("status", status);
        }
        if let Some(code) = error.code() {
            span.record("error_code", code.as_str());
        }
    }
    span.in_scope(|| match error {
        None => tracing::debug!("toss-shopping: call succeeded"),
        Some(error) => tracing::debug!(error = %error, "toss-shopping: call failed"),
    });
}

/// Maps the failures of `send()` other than an undecodable 200 answer, which the generic
/// [`Attempt`] decodes again to say where it failed.
fn failed(operation: &'static OperationMeta, raw: progenitor_client::Error<()>) -> Sent {
    use progenitor_client::Error as Raw;
    Sent::Failed(match raw {
        Raw::UnexpectedResponse(response) => return Sent::Unexpected(response),
        Raw::InvalidResponsePayload(body, error) => Error::Decode(Box::new(DecodeError::new(
            operation.operation_id,
            200,
            "$".into(),
            &error.to_string(),
            body,
        ))),
        Raw::CommunicationError(error) | Raw::ResponseBodyError(error) => transport(error),
        Raw::InvalidUpgrade(error) => Error::Transport(error),
        Raw::InvalidRequest(message) | Raw::Custom(message) => Error::InvalidRequest(Box::new(
            InvalidRequestError::from_builder(operation, &message),
        )),
        Raw::ErrorResponse(response) => Error::UnexpectedStatus {
            status: response.status().as_u16(),
            snippet: String::new(),
        },
    })
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

/// A `SUCCESS` whose payload is `{}`, what an operation documented to answer nothing means.
const EMPTY_SUCCESS: &[u8] = br#"{"resultType":"SUCCESS","success":{}}"#;

/// An answer that did not decode. A `SUCCESS` without a payload is accepted only where the
/// vendor documents it; otherwise it is a decode error that keeps the body, like all others.
fn undecodable<T: DeserializeOwned>(
    operation: &'static OperationMeta,
    body: Bytes,
    error: &serde_json::Error,
) -> Result<T, Error> {
    if !error.to_string().starts_with(MISSING_PAYLOAD) {
        return Err(decode_error(operation.operation_id, body, error));
    }
    // Through the envelope's decoding, which every answer compiles anyway.
    if operation.empty_success
        && let Ok(Envelope {
            success: Some(empty),
            ..
        }) = serde_json::from_slice::<Envelope<T>>(EMPTY_SUCCESS)
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

/// An answer that did not decode, with the path where serde_json stopped. One copy for
/// every payload type: the path comes from the error's position, not from decoding again.
fn decode_error(operation: &'static str, body: Bytes, error: &serde_json::Error) -> Error {
    let path = crate::json_path::at_error(&body, error);
    Error::Decode(Box::new(DecodeError::new(
        operation,
        200,
        path,
        &error.to_string(),
        body,
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
