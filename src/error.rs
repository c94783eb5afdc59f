//! The one error type every call returns.

use std::collections::BTreeMap;
use std::fmt;
use std::sync::Arc;
use std::time::Duration;

use bytes::Bytes;

use crate::auth::AuthError;
use crate::envelope::{Failure, RawReason};
use crate::invalid::InvalidRequestError;
use crate::paging::PagingError;

/// Why a call to the Toss Shopping API did not yield its payload.
///
/// Match on the variant for precise handling, or ask the helpers: [`Error::is_retryable`],
/// [`Error::is_auth`], [`Error::is_rate_limited`]. No variant's `Debug` or `Display` holds an
/// access token, a secret key or a whole response body.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The API answered with a failure (`resultType: FAIL`, or an error body on a non-200
    /// status such as 400 or 405).
    #[error(transparent)]
    Api(Box<ApiError>),

    /// The API throttled the call (`TOO_MANY_REQUEST` inside HTTP 200, or HTTP 429). Reads are
    /// limited to 50/s, writes to 30/s and product registration/update to 10/s per seller.
    #[error("rate limited by Toss Shopping (HTTP {status}){}", retry_after_text(.retry_after))]
    RateLimited {
        /// The HTTP status (200 when the throttle came inside an envelope).
        status: u16,
        /// How long the API asked to wait, when it said so.
        retry_after: Option<Duration>,
        /// The vendor's failure, when the throttle came as an envelope.
        api: Option<Box<ApiError>>,
    },

    /// HTTP 401: the access token was missing, expired or rejected, also after one refresh.
    #[error("unauthorized (HTTP 401): the access token was rejected{}", refresh_text(.refresh_error))]
    Unauthorized {
        /// The vendor's failure, if the 401 carried one.
        api: Option<Box<ApiError>>,
        /// Why getting a fresh token after the 401 failed, if it did.
        refresh_error: Option<Arc<AuthError>>,
    },

    /// No access token could be obtained, so nothing was sent to the API.
    #[error("no access token: {0}")]
    Auth(#[source] Arc<AuthError>),

    /// HTTP 5xx without a readable failure: the API is down or a proxy in between failed.
    #[error("Toss Shopping server error (HTTP {status}): {snippet}")]
    Server {
        /// The HTTP status.
        status: u16,
        /// A short excerpt of the body with every text value removed.
        snippet: String,
        /// How long the server asked to wait (`Retry-After`), when it said so.
        retry_after: Option<Duration>,
    },

    /// A status the API does not document, without a readable failure (e.g. 404 from a relay).
    #[error("unexpected HTTP {status} from Toss Shopping: {snippet}")]
    UnexpectedStatus {
        /// The HTTP status.
        status: u16,
        /// A short excerpt of the body with every text value removed.
        snippet: String,
    },

    /// The request or the answer took longer than the configured timeout. For writes the
    /// API may still have applied the change: read the state before sending again.
    #[error("request timed out")]
    Timeout(#[source] reqwest::Error),

    /// The connection failed or broke off.
    #[error("transport error: {0}")]
    Transport(#[source] reqwest::Error),

    /// The answer could not be decoded into the expected type.
    #[error(transparent)]
    Decode(Box<DecodeError>),

    /// A write failed in a way that does not say whether the API applied it (a timeout, a
    /// 5xx, a connection that broke), so it was not sent again. Read the state (or list the
    /// products) before re-submitting: re-sending can duplicate it.
    #[error(
        "{operation} may have been applied although it failed; check before re-submitting: {source}"
    )]
    Unconfirmed {
        /// The operation (its Rust method name).
        operation: &'static str,
        /// The failure itself.
        source: Box<Error>,
    },

    /// The request was not sent: a required value is missing or a value breaks the spec's
    /// rules. Says which operation, which field and which rule.
    #[error(transparent)]
    InvalidRequest(Box<InvalidRequestError>),

    /// A page stream (`.pages()` or `.stream()` of a paged builder) stopped because its pages
    /// contradict themselves (a repeated cursor, an empty page that says more follow) or the
    /// vendor documents no way to the next page. Says which operation and which page.
    #[error(transparent)]
    Paging(Box<PagingError>),

    /// The request was not sent: the SDK's checks of a product body found problems. It names
    /// every one by its JSON path, in the vendor's own field → message shape (see
    /// [`Error::reason`]), so a refusal here and the vendor's `INVALID_REQUEST` are handled
    /// alike. [`CallExt::skip_validation`](crate::CallExt::skip_validation) turns the checks
    /// off for one call; [`crate::products`] says what they check.
    #[error(transparent)]
    Validation(Box<crate::products::Refusal>),
}

fn retry_after_text(retry_after: &Option<Duration>) -> String {
    retry_after
        .map(|d| format!("; retry after {} s", d.as_secs_f64()))
        .unwrap_or_default()
}

fn refresh_text(refresh_error: &Option<Arc<AuthError>>) -> String {
    refresh_error
        .as_ref()
        .map(|e| format!(" (refreshing the token failed: {e})"))
        .unwrap_or_default()
}

impl Error {
    /// True when sending the same request again later may succeed: throttling, timeouts,
    /// transport failures and server errors. It says nothing about whether re-sending is
    /// *safe*: see the operation's [`RetrySafety`](crate::operation::RetrySafety).
    pub fn is_retryable(&self) -> bool {
        match self {
            Self::RateLimited { .. } | Self::Timeout(_) | Self::Transport(_) => true,
            Self::Server { status, .. } => matches!(status, 500 | 502 | 503 | 504),
            Self::Unconfirmed { .. } => false,
            Self::Api(api) => api.status >= 500 || api.code == ErrorCode::InternalServerError,
            Self::Auth(auth) => auth.is_retryable(),
            _ => false,
        }
    }

    /// True for authentication problems: a rejected token (401) or no token at all.
    pub fn is_auth(&self) -> bool {
        matches!(self, Self::Unauthorized { .. } | Self::Auth(_))
    }

    /// True when the API throttled the call.
    pub fn is_rate_limited(&self) -> bool {
        matches!(self, Self::RateLimited { .. })
    }

    /// The HTTP status of the answer, when there was one.
    pub fn status(&self) -> Option<u16> {
        match self {
            Self::Api(api) => Some(api.status),
            Self::RateLimited { status, .. }
            | Self::Server { status, .. }
            | Self::UnexpectedStatus { status, .. } => Some(*status),
            Self::Unauthorized { .. } => Some(401),
            Self::Decode(decode) => Some(decode.status),
            Self::Unconfirmed { source, .. } => source.status(),
            _ => None,
        }
    }

    /// How long the API asked to wait before sending again (`Retry-After`), when it said so.
    pub fn retry_after(&self) -> Option<Duration> {
        match self {
            Self::RateLimited { retry_after, .. } | Self::Server { retry_after, .. } => {
                *retry_after
            }
            Self::Unconfirmed { source, .. } => source.retry_after(),
            _ => None,
        }
    }

    /// The vendor's failure, when the API reported one.
    pub fn api_error(&self) -> Option<&ApiError> {
        match self {
            Self::Api(api) => Some(api),
            Self::RateLimited { api, .. } | Self::Unauthorized { api, .. } => api.as_deref(),
            _ => None,
        }
    }

    /// The vendor's error code, when the API reported one.
    pub fn code(&self) -> Option<&ErrorCode> {
        self.api_error().map(|api| &api.code)
    }

    /// Why the request failed, in the vendor's shape: the vendor's reason when the API
    /// reported one, or the field → message map of a body the SDK refused before sending
    /// ([`Error::Validation`]), so both are read the same way.
    pub fn reason(&self) -> Option<&Reason> {
        match self {
            Self::Validation(refusal) => Some(&refusal.reason),
            _ => self.api_error().map(|api| &api.reason),
        }
    }
}

/// A failure reported by the API itself.
#[derive(Debug, Clone, PartialEq)]
pub struct ApiError {
    /// The operation that failed (its Rust method name, e.g. `list_order_products`).
    pub operation: &'static str,
    /// The HTTP status; 200 for the usual `FAIL` envelope.
    pub status: u16,
    /// The vendor's error code.
    pub code: ErrorCode,
    /// The vendor's explanation.
    pub reason: Reason,
    /// The vendor's short title, if any.
    pub title: Option<String>,
}

impl ApiError {
    pub(crate) fn from_failure(operation: &'static str, status: u16, failure: Failure) -> Self {
        Self {
            operation,
            status,
            code: failure
                .error_code
                .as_deref()
                .map(ErrorCode::from)
                .unwrap_or_else(|| ErrorCode::Unknown(String::new())),
            reason: failure.reason.map(Reason::from).unwrap_or(Reason::None),
            title: failure.title,
        }
    }
}

impl fmt::Display for ApiError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "Toss Shopping rejected {} (HTTP {}, {}): {}",
            self.operation, self.status, self.code, self.reason
        )
    }
}

impl std::error::Error for ApiError {}

/// The vendor's error codes; those seen from the live API have their own variant.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum ErrorCode {
    /// `INVALID_REQUEST`: a required field is missing or a value is not accepted; the
    /// [`Reason`] is often a map of field name to message.
    InvalidRequest,
    /// `BAD_REQUEST`: the request is not acceptable (e.g. an empty notice item).
    BadRequest,
    /// `NOT_FOUND`: the product, option or other resource does not exist.
    NotFound,
    /// `TOO_MANY_REQUEST`: the rate limit was exceeded.
    TooManyRequest,
    /// `REQUEST_FAILED`: the write failed, but may still have been applied; read the state
    /// before sending again.
    RequestFailed,
    /// `"405"`: the HTTP method is wrong for the path.
    MethodNotAllowed,
    /// `"500"`: an internal server error reported inside the envelope.
    InternalServerError,
    /// Any other code, kept as sent (empty when the API sent none).
    Unknown(String),
}

impl ErrorCode {
    /// The code as the API writes it.
    pub fn as_str(&self) -> &str {
        match self {
            Self::InvalidRequest => "INVALID_REQUEST",
            Self::BadRequest => "BAD_REQUEST",
            Self::NotFound => "NOT_FOUND",
            Self::TooManyRequest => "TOO_MANY_REQUEST",
            Self::RequestFailed => "REQUEST_FAILED",
            Self::MethodNotAllowed => "405",
            Self::InternalServerError => "500",
            Self::Unknown(code) => code,
        }
    }
}

impl From<&str> for ErrorCode {
    fn from(code: &str) -> Self {
        match code {
            "INVALID_REQUEST" => Self::InvalidRequest,
            "BAD_REQUEST" => Self::BadRequest,
            "NOT_FOUND" => Self::NotFound,
            "TOO_MANY_REQUEST" => Self::TooManyRequest,
            "REQUEST_FAILED" => Self::RequestFailed,
            "405" => Self::MethodNotAllowed,
            "500" => Self::InternalServerError,
            other => Self::Unknown(other.to_string()),
        }
    }
}

impl fmt::Display for ErrorCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Unknown(code) if code.is_empty() => f.write_str("no error code"),
            _ => f.write_str(self.as_str()),
        }
    }
}

/// The vendor's explanation of a failure.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Reason {
    /// A human-readable reason, usually Korean, e.g. `존재하지 않는 상품 정보입니다. (999)`.
    Text(String),
    /// Field name → message, for validation failures, e.g. `name` → `필수 값이 누락되었습니다.`.
    Fields(BTreeMap<String, String>),
    /// The API gave no reason.
    None,
}

impl From<&str> for Reason {
    /// A text reason.
    fn from(text: &str) -> Self {
        Self::Text(text.to_string())
    }
}

impl From<String> for Reason {
    /// A text reason.
    fn from(text: String) -> Self {
        Self::Text(text)
    }
}

impl From<RawReason> for Reason {
    fn from(raw: RawReason) -> Self {
        match raw {
            // A field map is sometimes sent as a string holding JSON.
            RawReason::Text(text) => {
                match serde_json::from_str::<BTreeMap<String, serde_json::Value>>(&text) {
                    Ok(fields) if text.trim_start().starts_with('{') => {
                        Self::Fields(stringify(fields))
                    }
                    _ => Self::Text(text),
                }
            }
            RawReason::Fields(fields) => Self::Fields(stringify(fields)),
            RawReason::Other(serde_json::Value::Null) => Self::None,
            RawReason::Other(other) => Self::Text(other.to_string()),
        }
    }
}

fn stringify(fields: BTreeMap<String, serde_json::Value>) -> BTreeMap<String, String> {
    fields
        .into_iter()
        .map(|(field, message)| {
            let message = match message {
                serde_json::Value::String(text) => text,
                other => other.to_string(),
            };
            (field, message)
        })
        .collect()
}

impl fmt::Display for Reason {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Text(text) => f.write_str(text),
            Self::Fields(fields) => {
                let mut first = true;
                for (field, message) in fields {
                    if !first {
                        f.write_str("; ")?;
                    }
                    first = false;
                    write!(f, "{field}: {message}")?;
                }
                Ok(())
            }
            Self::None => f.write_str("no reason given"),
        }
    }
}

/// An answer that could not be decoded into the expected type.
///
/// `Display` and `Debug` show where decoding failed and a masked excerpt; the whole body is
/// kept and available from [`DecodeError::body`] for deliberate inspection, because it can
/// hold buyer personal data.
#[derive(Clone, thiserror::Error)]
#[error(
    "cannot decode the answer to {operation} (HTTP {status}) at `{path}`: {message}; body excerpt: {snippet}"
)]
pub struct DecodeError {
    /// The operation whose answer failed to decode.
    pub operation: &'static str,
    /// The HTTP status of the answer.
    pub status: u16,
    /// Where in the JSON decoding failed, e.g. `success.results[3].orderedAt`.
    pub path: String,
    /// What was wrong there, with quoted values masked.
    pub message: String,
    /// A short excerpt of the body with every text value removed.
    pub snippet: String,
    body: Bytes,
}

impl DecodeError {
    pub(crate) fn new(
        operation: &'static str,
        status: u16,
        path: String,
        message: &str,
        body: Bytes,
    ) -> Self {
        Self {
            operation,
            status,
            path,
            message: crate::redact::mask_quoted(message),
            snippet: crate::redact::snippet(&body),
            body,
        }
    }

    /// The whole body as received. It may hold buyer personal data: don't log it carelessly.
    pub fn body(&self) -> &Bytes {
        &self.body
    }
}

impl fmt::Debug for DecodeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("DecodeError")
            .field("operation", &self.operation)
            .field("status", &self.status)
            .field("path", &self.path)
            .field("message", &self.message)
            .field("snippet", &self.snippet)
            .field("body_len", &self.body.len())
            .finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reasons_read_text_maps_and_json_text() {
        assert_eq!(
            Reason::from(RawReason::Text("없음".into())),
            Reason::Text("없음".into())
        );
        let from_text = Reason::from(RawReason::Text(
            r#"{"name":"필수 값이 누락되었습니다."}"#.into(),
        ));
        let Reason::Fields(fields) = from_text else {
            panic!("not fields")
        };
        assert_eq!(fields["name"], "필수 값이 누락되었습니다.");
    }

    #[test]
    fn codes_round_trip_and_keep_unknown_values() {
        for code in [
            "INVALID_REQUEST",
            "NOT_FOUND",
            "TOO_MANY_REQUEST",
            "405",
            "500",
            "NEW_CODE",
        ] {
            assert_eq!(ErrorCode::from(code).as_str(), code);
        }
        assert_eq!(
            ErrorCode::from("NEW_CODE"),
            ErrorCode::Unknown("NEW_CODE".into())
        );
    }

    #[test]
    fn helpers_classify_variants() {
        let limited = Error::RateLimited {
            status: 200,
            retry_after: None,
            api: None,
        };
        assert!(limited.is_rate_limited() && limited.is_retryable() && !limited.is_auth());
        let unauthorized = Error::Unauthorized {
            api: None,
            refresh_error: None,
        };
        assert!(unauthorized.is_auth() && !unauthorized.is_retryable());
        let server = Error::Server {
            status: 503,
            snippet: String::new(),
            retry_after: None,
        };
        assert!(server.is_retryable());
    }
}
