//! Asking the token endpoint for a token: the OAuth2 client-credentials grant on the `oauth2`
//! crate, over the SDK's own reqwest client.
//!
//! Toss wants the credentials in the form body (`client_id`, `client_secret`), not HTTP Basic,
//! and the scope `toss-shopping-fep:write`. `oauth2` drops the HTTP status of failures, so the
//! HTTP adapter below turns every non-2xx answer into our own error before `oauth2` sees it;
//! and it never keeps a body, which may hold a token.

use std::fmt;
use std::sync::Arc;
use std::time::Duration;

use oauth2::basic::BasicClient;
use oauth2::{AuthType, ClientId, ClientSecret, RequestTokenError, Scope, TokenResponse, TokenUrl};

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

/// The HTTP adapter `oauth2` calls: sends with reqwest, reports non-2xx with its status.
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
    let mut out = oauth2::HttpResponse::new(body.to_vec());
    *out.status_mut() = status;
    *out.headers_mut() = headers;
    Ok(out)
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
