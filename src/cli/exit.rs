//! How a failure leaves the tool: a JSON object on stderr with at least `errorCode`, `reason`
//! and `status`, and an exit code per kind of failure, so scripts can tell them apart.

use std::process::ExitCode;

use serde_json::{Value, json};

use super::run::CliError;
use crate::auth::AuthError;
use crate::{Error, Reason};

/// The exit codes, as `--help` documents them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Exit {
    /// The API answered with a failure (or an answer that could not be read).
    Api = 1,
    /// The command line was wrong, or a value broke the spec's rules before sending.
    Usage = 2,
    /// No token: wrong or missing keys, a refused IP, or a 401 after a fresh token. (A token
    /// endpoint that is not reached is a network error.)
    Auth = 3,
    /// The network: unreachable, timed out, broken off, or a 5xx, of the API or of the token
    /// endpoint.
    Network = 4,
    /// Throttled (`TOO_MANY_REQUEST`).
    RateLimited = 5,
}

impl Exit {
    /// The process exit code.
    pub(crate) fn code(self) -> ExitCode {
        ExitCode::from(self as u8)
    }
}

/// The exit code and the stderr JSON of a failure.
pub(crate) fn report(error: &CliError) -> (Exit, Value) {
    match error {
        CliError::Usage(message) => (Exit::Usage, object("USAGE", json!(message), None)),
        CliError::Auth(message) => (Exit::Auth, object("AUTH", json!(message), None)),
        CliError::Other(message) => (Exit::Api, object("ERROR", json!(message), None)),
        CliError::OutputClosed => (Exit::Api, object("OUTPUT_CLOSED", Value::Null, None)),
        CliError::Sdk(error) => (exit_of(error), sdk_object(error)),
    }
}

fn exit_of(error: &Error) -> Exit {
    match error {
        Error::Api(_) | Error::Decode(_) | Error::Paging(_) => Exit::Api,
        Error::InvalidRequest(_) | Error::Validation(_) => Exit::Usage,
        Error::Auth(auth) => auth_exit(auth),
        Error::Unauthorized { .. } => Exit::Auth,
        Error::RateLimited { .. } => Exit::RateLimited,
        _ => Exit::Network,
    }
}

/// No token: the keys or the caller were refused (auth), or the token endpoint was not
/// reached or failed (network), or it throttled (rate-limited).
fn auth_exit(error: &AuthError) -> Exit {
    match error {
        AuthError::Throttled { .. } => Exit::RateLimited,
        AuthError::Transport(_)
        | AuthError::Timeout(_)
        | AuthError::LoadTimeout { .. }
        | AuthError::Store { .. }
        | AuthError::Server { .. } => Exit::Network,
        AuthError::CoolingDown { last, .. } => auth_exit(last),
        _ => Exit::Auth,
    }
}

/// The vendor's code and reason where there is one; the kind of failure otherwise. The
/// message is the SDK's own `Display`, which never holds a secret or a whole body.
fn sdk_object(error: &Error) -> Value {
    let status = error.status();
    let mut out = match (error.api_error(), error.reason()) {
        (Some(api), _) => object(api.code.as_str(), reason(&api.reason), status),
        // A body the SDK refused before sending: its field map, as the vendor would give it.
        (None, Some(fields)) => object(kind(error), reason(fields), status),
        (None, None) => object(kind(error), json!(error.to_string()), status),
    };
    out["message"] = json!(error.to_string());
    out
}

fn kind(error: &Error) -> &'static str {
    match error {
        Error::RateLimited { .. } => "TOO_MANY_REQUEST",
        Error::Unauthorized { .. } => "UNAUTHORIZED",
        Error::Auth(auth) => match auth_exit(auth) {
            Exit::Network => "NETWORK",
            Exit::RateLimited => "TOO_MANY_REQUEST",
            _ => "AUTH",
        },
        Error::Server { .. } => "SERVER_ERROR",
        Error::Timeout(_) => "TIMEOUT",
        Error::Transport(_) => "NETWORK",
        Error::Decode(_) => "UNREADABLE_ANSWER",
        Error::InvalidRequest(_) | Error::Validation(_) => "INVALID_REQUEST",
        Error::Unconfirmed { .. } => "UNCONFIRMED",
        Error::Paging(_) => "PAGING",
        _ => "ERROR",
    }
}

fn reason(reason: &Reason) -> Value {
    match reason {
        Reason::Text(text) => json!(text),
        Reason::Fields(fields) => json!(fields),
        Reason::None => Value::Null,
    }
}

fn object(code: &str, reason: Value, status: Option<u16>) -> Value {
    json!({"errorCode": code, "reason": reason, "status": status})
}
