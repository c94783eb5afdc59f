//! Asking the token endpoint for a token: the OAuth2 client-credentials grant on the `oauth2`
//! crate, over the SDK's own reqwest client.
//!
//! Toss wants the credentials in the form body (`client_id`, `client_secret`), not HTTP Basic,
//! and the scope `toss-shopping-fep:write`. `oauth2` drops the HTTP status of failures, so the
//! HTTP adapter below turns every non-2xx answer into our own error before `oauth2` sees it;
//! and it never keeps a body, which may hold a token.
//!
//! `oauth2` is also stricter than real endpoints: it refuses JSON sent as `text/plain` and an
//! `expires_in` sent as a string (`"3599"`). The adapter reads a 2xx answer tolerantly first
//! (see [`tolerant_token_body`]) and leaves the rest of the checking to `oauth2`.

use std::fmt;
use std::sync::Arc;
use std::time::Duration;

use oauth2::basic::BasicClient;
use oauth2::{AuthType, ClientId, ClientSecret, RequestTokenError, Scope, TokenResponse, TokenUrl};
use reqwest::header::{CONTENT_LENGTH, CONTENT_TYPE, HeaderValue};
use serde_json::Value;

use super::{AuthError, BearerToken, Credentials};
use crate::redact::mask_quoted;

/// The scope every Toss Shopping seller token carries.
pub const DEFAULT_SCOPE: &str = "toss-shopping-fep:write";

/// How long one token request may take.
const TOKEN_REQUEST_TIMEOUT: Duration = Duration::from_secs(30);

/// A token fresh from the endpoint.
pub(crate) struct Issued {
    pub(crate) token: BearerToken,
    /// `expires_in`, when the endpoint sent it.
    pub(crate) lifetime: Option<Duration>,
}

/// Issues tokens from one endpoint with one scope.
#[derive(Clone)]
pub(crate) struct Issuer {
    http: reqwest::Client,
    token_url: TokenUrl,
    scope: String,
}

impl fmt::Debug for Issuer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Issuer")
            .field("token_url", &self.token_url.as_str())
            .field("scope", &self.scope)
            .finish()
    }
}

/// A failed token request as the HTTP adapter reports it to `oauth2`.
#[derive(Debug, thiserror::Error)]
enum TokenHttpError {
    #[error("token endpoint transport error")]
    Transport(#[source] reqwest::Error),
    #[error("token endpoint answered HTTP {status}")]
    Status {
        status: u16,
        retry_after: Option<Duration>,
        /// The RFC 6749 `error` code, if the body had a plain one.
        code: Option<String>,
    },
    #[error("the answer is not a JSON object")]
    NotJsonObject,
}

impl Issuer {
    pub(crate) fn new(http: reqwest::Client, token_url: &str, scope: &str) -> Result<Self, String> {
        let parsed =
            url::Url::parse(token_url).map_err(|_| format!("invalid token URL {token_url:?}"))?;
        if !matches!(parsed.scheme(), "http" | "https") {
            return Err(format!(
                "invalid token URL {token_url:?}: expected http or https"
            ));
        }
        Ok(Self {
            http,
            token_url: TokenUrl::from_url(parsed),
            scope: scope.to_string(),
        })
    }

    pub(crate) fn token_url(&self) -> &str {
        self.token_url.as_str()
    }

    pub(crate) fn scope(&self) -> &str {
        &self.scope
    }

    /// Asks the endpoint for a new token.
    pub(crate) async fn issue(&self, credentials: &Credentials) -> Result<Issued, AuthError> {
        let client = BasicClient::new(ClientId::new(credentials.access_key().to_string()))
            .set_client_secret(ClientSecret::new(credentials.secret_key().to_string()))
            .set_auth_type(AuthType::RequestBody)
            .set_token_uri(self.token_url.clone());
        let http = self.http.clone();
        let send = move |request: oauth2::HttpRequest| send_token_request(http.clone(), request);
        let response = client
            .exchange_client_credentials()
            .add_scope(Scope::new(self.scope.clone()))
            .request_async(&send)
            .await
            .map_err(auth_error)?;
        let token = response.access_token().secret();
        if token.is_empty() {
            return Err(AuthError::MalformedResponse {
                detail: "`access_token` is empty".into(),
            });
        }
        Ok(Issued {
            token: BearerToken::new(token.as_str()),
            lifetime: response.expires_in(),
        })
    }
}

/// The HTTP adapter `oauth2` calls: sends with reqwest, reports non-2xx with its status, and
/// hands a 2xx answer on as JSON `oauth2` accepts.
async fn send_token_request(
    http: reqwest::Client,
    request: oauth2::HttpRequest,
) -> Result<oauth2::HttpResponse, TokenHttpError> {
    let mut request = reqwest::Request::try_from(request).map_err(TokenHttpError::Transport)?;
    *request.timeout_mut() = Some(TOKEN_REQUEST_TIMEOUT);
    let response = http
        .execute(request)
        .await
        .map_err(TokenHttpError::Transport)?;
    let status = response.status();
    let headers = response.headers().clone();
    if !status.is_success() {
        let retry_after = crate::call::retry_after(&headers);
        let body = response.bytes().await.unwrap_or_default();
        return Err(TokenHttpError::Status {
            status: status.as_u16(),
            retry_after,
            code: oauth_error_code(&body),
        });
    }
    let body = response.bytes().await.map_err(TokenHttpError::Transport)?;
    let body = tolerant_token_body(&body).ok_or(TokenHttpError::NotJsonObject)?;
    let mut out = oauth2::HttpResponse::new(body);
    *out.status_mut() = status;
    *out.headers_mut() = headers;
    // The body was re-encoded, and is JSON whatever the endpoint called it.
    out.headers_mut().remove(CONTENT_LENGTH);
    out.headers_mut()
        .insert(CONTENT_TYPE, HeaderValue::from_static("application/json"));
    Ok(out)
}

/// A 2xx token answer re-encoded for `oauth2`'s strict parser, or `None` if it is not a JSON
/// object. An `expires_in` sent as a numeric string (`"3599"`, `" 3599 "`) becomes a number;
/// nothing else changes, so a missing or empty `access_token`, or an `expires_in` that is not
/// a whole number of seconds, is still refused.
fn tolerant_token_body(body: &[u8]) -> Option<Vec<u8>> {
    let Ok(Value::Object(mut answer)) = serde_json::from_slice::<Value>(body) else {
        return None;
    };
    let seconds = answer
        .get("expires_in")
        .and_then(Value::as_str)
        .and_then(numeric_seconds);
    if let Some(seconds) = seconds {
        answer.insert("expires_in".to_string(), seconds.into());
    }
    serde_json::to_vec(&answer).ok()
}

/// Digits, maybe surrounded by whitespace, as a number; `None` for anything else (a sign, a
/// fraction, a unit, a value too large). Checked by hand because `u64::from_str` takes `+`.
fn numeric_seconds(text: &str) -> Option<u64> {
    let digits = text.trim();
    let numeric = !digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit());
    numeric.then(|| digits.parse().ok()).flatten()
}

/// The RFC 6749 `error` code of a failure body, if it is a short plain identifier.
fn oauth_error_code(body: &[u8]) -> Option<String> {
    let value: serde_json::Value = serde_json::from_slice(body).ok()?;
    let code = value.get("error")?.as_str()?;
    let plain = !code.is_empty()
        && code.len() <= 64
        && code
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "_-.".contains(c));
    plain.then(|| code.to_string())
}

fn auth_error(
    error: RequestTokenError<TokenHttpError, oauth2::basic::BasicErrorResponse>,
) -> AuthError {
    match error {
        RequestTokenError::Request(TokenHttpError::Transport(error)) if error.is_timeout() => {
            AuthError::Timeout(Arc::new(error))
        }
        RequestTokenError::Request(TokenHttpError::Transport(error)) => {
            AuthError::Transport(Arc::new(error))
        }
        RequestTokenError::Request(TokenHttpError::Status {
            status,
            retry_after,
            code,
        }) => status_error(status, retry_after, code),
        RequestTokenError::Request(TokenHttpError::NotJsonObject) => AuthError::MalformedResponse {
            detail: "the answer is not a JSON object".into(),
        },
        // Only a 2xx body reaches oauth2's parser, and it may hold a token: keep the path and
        // a masked message, never the bytes.
        RequestTokenError::Parse(error, _body) => {
            let path = error.path().to_string();
            let why = mask_quoted(&error.into_inner().to_string());
            AuthError::MalformedResponse {
                detail: format!("at `{path}`: {why}"),
            }
        }
        RequestTokenError::ServerResponse(response) => {
            status_error(200, None, Some(response.error().to_string()))
        }
        RequestTokenError::Other(message) => AuthError::MalformedResponse {
            detail: mask_quoted(&message),
        },
    }
}

fn status_error(status: u16, retry_after: Option<Duration>, code: Option<String>) -> AuthError {
    let bad_keys = matches!(
        code.as_deref(),
        Some("invalid_client" | "unauthorized_client")
    );
    match status {
        429 => AuthError::Throttled { retry_after },
        401 => AuthError::InvalidCredentials { status, code },
        _ if bad_keys => AuthError::InvalidCredentials { status, code },
        403 => AuthError::Forbidden { status, code },
        500..=599 => AuthError::Server {
            status,
            retry_after,
        },
        _ => AuthError::Rejected { status, code },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn reread(body: &str) -> Option<Value> {
        tolerant_token_body(body.as_bytes())
            .map(|bytes| serde_json::from_slice(&bytes).expect("the adapter writes JSON"))
    }

    #[test]
    fn a_numeric_string_expires_in_becomes_a_number() {
        for sent in [r#""3599""#, r#"" 3599 ""#, r#""\t3599\n""#, "3599"] {
            let body =
                format!(r#"{{"access_token":"t","token_type":"Bearer","expires_in":{sent}}}"#);
            let answer = reread(&body).expect("a JSON object");
            assert_eq!(answer["expires_in"], 3599, "{sent}");
            assert_eq!(answer["access_token"], "t");
        }
    }

    #[test]
    fn anything_else_in_expires_in_is_left_for_oauth2_to_refuse() {
        for sent in [
            r#""soon""#,
            r#""-1""#,
            r#""+3599""#,
            r#""3599.5""#,
            r#""""#,
            r#""99999999999999999999999""#,
            "-1",
            "3599.5",
        ] {
            let body = format!(r#"{{"access_token":"t","expires_in":{sent}}}"#);
            let answer = reread(&body).expect("a JSON object");
            let original: Value = serde_json::from_str(sent).expect("JSON");
            assert_eq!(answer["expires_in"], original, "{sent}");
        }
    }

    #[test]
    fn only_a_json_object_is_a_token_answer() {
        for body in [
            "",
            "access_token=t&expires_in=3599",
            "[\"t\"]",
            "\"t\"",
            "{\"access_token\":",
        ] {
            assert_eq!(reread(body), None, "{body:?}");
        }
        assert!(
            reread(r#"{"token_type":"Bearer"}"#).is_some(),
            "oauth2 reports the missing token"
        );
    }
}
