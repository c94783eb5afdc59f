//! The mock of the OAuth2 token endpoint: a client-credentials form post answered with a
//! bearer token, so a client built with `.credentials(..)` runs its whole token flow in a
//! test.

use serde_json::json;
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockBuilder};

use super::answer::json_answer;
use super::matching::FormField;

/// Where [`token`] expects the token request by default; point the client's
/// [`token_url`](crate::ClientBuilder::token_url) at `{server}/token`.
pub const TOKEN_PATH: &str = "/token";

/// The scope the client asks for and the mock grants.
const SCOPE: &str = "toss-shopping-fep:write";

/// A mock of the token endpoint, matching a client-credentials `POST` to [`TOKEN_PATH`].
pub fn token() -> TokenMock {
    TokenMock {
        path: TOKEN_PATH.to_string(),
        client_id: None,
        expires_in: 3599,
    }
}

/// A mock of the token endpoint; made by [`token`], answered with
/// [`respond_ok`](Self::respond_ok) or [`respond_error`](Self::respond_error).
#[derive(Debug, Clone)]
pub struct TokenMock {
    path: String,
    client_id: Option<String>,
    expires_in: u64,
}

impl TokenMock {
    /// Expects the token request at `path` instead of [`TOKEN_PATH`].
    pub fn path(mut self, path: impl Into<String>) -> Self {
        self.path = path.into();
        self
    }

    /// Matches only token requests for this access key (the form's `client_id`).
    pub fn client_id(mut self, access_key: impl Into<String>) -> Self {
        self.client_id = Some(access_key.into());
        self
    }

    /// Grants tokens valid for `seconds` (3599 by default).
    pub fn expires_in(mut self, seconds: u64) -> Self {
        self.expires_in = seconds;
        self
    }

    /// Grants `access_token`: `{"access_token", "token_type": "Bearer", "expires_in",
    /// "scope": "toss-shopping-fep:write"}`.
    pub fn respond_ok(self, access_token: &str) -> Mock {
        let body = json!({
            "access_token": access_token,
            "token_type": "Bearer",
            "expires_in": self.expires_in,
            "scope": SCOPE,
        });
        self.into_builder()
            .respond_with(json_answer(200, &body))
            .named("token endpoint")
    }

    /// Refuses with HTTP `status` and the OAuth2 `error` code, e.g. 401 `invalid_client`.
    pub fn respond_error(self, status: u16, error: &str) -> Mock {
        self.into_builder()
            .respond_with(json_answer(status, &json!({"error": error})))
            .named("token endpoint, refusing")
    }

    /// The wiremock builder with every matcher of this mock.
    pub fn into_builder(self) -> MockBuilder {
        let mut builder = Mock::given(method("POST"))
            .and(path(self.path))
            .and(FormField {
                name: "grant_type",
                value: "client_credentials".to_string(),
            });
        if let Some(client_id) = self.client_id {
            builder = builder.and(FormField {
                name: "client_id",
                value: client_id,
            });
        }
        builder
    }
}
