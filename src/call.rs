//! From a generated builder's `send()` to `Result<Payload, Error>`.
//!
//! The generated companion module implements `IntoFuture` for every builder with a
//! [`CallFuture`], so `client.get_product().product_id(1).await` sends the request, unwraps
//! the envelope and maps every other outcome to one typed [`Error`]. One generic function
//! does this for all operations; nothing here is specific to one of them.

use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll};
use std::time::Duration;

use bytes::Bytes;
use progenitor_client::ResponseValue;
use reqwest::header::{HeaderMap, RETRY_AFTER};
use serde::de::DeserializeOwned;

use crate::envelope::{Envelope, Failure, MISSING_PAYLOAD};
use crate::error::{ApiError, DecodeError, Error, ErrorCode};
use crate::invalid::InvalidRequestError;
use crate::operation::OperationMeta;
use crate::transport::{RefreshFailed, TokenUnavailable};

/// The raw outcome of a generated builder's `send()`.
type RawResult<T> = Result<ResponseValue<Envelope<T>>, progenitor_client::Error<()>>;

/// Bodies of unexpected answers are read up to this size; the rest is not needed to classify.
const MAX_ERROR_BODY: usize = 64 * 1024;

/// The future a request builder turns into when awaited: the payload or a typed [`Error`].
#[must_use = "futures do nothing unless awaited"]
pub struct CallFuture<'a, T> {
    inner: Pin<Box<dyn Future<Output = Result<T, Error>> + Send + 'a>>,
}

impl<'a, T: DeserializeOwned + Send + 'a> CallFuture<'a, T> {
    /// Wraps the raw `send()` future of a generated builder.
    pub(crate) fn new(
        operation: &'static OperationMeta,
        send: impl Future<Output = RawResult<T>> + Send + 'a,
    ) -> Self {
        Self {
            inner: Box::pin(async move { outcome(operation, send.await).await }),
        }
    }
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
pub(crate) type AnswerDecoder =
    fn(&'static OperationMeta, &[u8]) -> Result<serde_json::Value, Error>;

/// The [`AnswerDecoder`] for an operation whose payload is `T`.
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

/// `Retry-After` in seconds (an HTTP date is rare for APIs and is ignored).
pub(crate) fn retry_after(headers: &HeaderMap) -> Option<Duration> {
    headers
        .get(RETRY_AFTER)?
        .to_str()
        .ok()?
        .trim()
        .parse::<u64>()
        .ok()
        .map(Duration::from_secs)
}
