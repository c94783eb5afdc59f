//! The token endpoint (`POST /token`, OAuth2 client credentials in the form body) and the
//! ledger of the tokens it issued, with their expiry on the server's clock.

use std::collections::HashMap;
use std::time::{Duration, Instant};

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde_json::json;

/// The path of the token endpoint on the local server.
pub(crate) const TOKEN_PATH: &str = "/token";

/// The scope the vendor issues.
const SCOPE: &str = "toss-shopping-fep:write";

/// The tokens issued so far: which seller each belongs to and when it expires.
#[derive(Default)]
pub(crate) struct TokenLedger {
    tokens: HashMap<String, (usize, Instant)>,
    issued: u64,
}

/// What the bearer token of a request turned out to be.
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum Bearer {
    /// A live token of this seller (an index into the server's sellers).
    Seller(usize),
    /// No token, no `Bearer ` prefix, an unknown token or an expired one: HTTP 401.
    Rejected,
}

/// Tokens are secrets: `Debug` counts them and shows none.
impl std::fmt::Debug for TokenLedger {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("TokenLedger")
            .field("live", &self.tokens.len())
            .field("issued", &self.issued)
            .finish()
    }
}

impl TokenLedger {
    /// Issues a token for `seller`, living `lifetime` from `now`.
    pub(crate) fn issue(&mut self, seller: usize, now: Instant, lifetime: Duration) -> String {
        self.issued += 1;
        // Unguessable enough for a test server, and distinct per seller and per issue.
        let token = format!(
            "local.{seller}.{}.{:016x}",
            self.issued,
            fingerprint(seller as u64, self.issued)
        );
        self.tokens.insert(token.clone(), (seller, now + lifetime));
        token
    }

    /// How many tokens were issued since the server started.
    pub(crate) fn issued(&self) -> u64 {
        self.issued
    }

    /// Reads an `Authorization` header value.
    pub(crate) fn check(&self, authorization: Option<&str>, now: Instant) -> Bearer {
        let Some(token) = authorization.and_then(|value| value.strip_prefix("Bearer ")) else {
            return Bearer::Rejected;
        };
        match self.tokens.get(token.trim()) {
            Some(&(seller, expires)) if now < expires => Bearer::Seller(seller),
            _ => Bearer::Rejected,
        }
    }

    /// Forgets every token (as after a key rotation), so the next calls get 401.
    pub(crate) fn revoke_all(&mut self) {
        self.tokens.clear();
    }
}

fn fingerprint(a: u64, b: u64) -> u64 {
    let mut z = a.wrapping_mul(0x9E37_79B9_7F4A_7C15) ^ b.rotate_left(17);
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z ^ (z >> 31)
}

/// The answer to a token request whose credentials were accepted.
pub(crate) fn granted(token: &str, lifetime: Duration) -> Response {
    (
        StatusCode::OK,
        axum::Json(json!({
            "access_token": token,
            "scope": SCOPE,
            "token_type": "Bearer",
            "expires_in": lifetime.as_secs(),
        })),
    )
        .into_response()
}

/// An OAuth2 error answer (RFC 6749 §5.2), as the vendor gives for bad client credentials.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Refusal {
    pub(crate) status: StatusCode,
    pub(crate) error: &'static str,
    pub(crate) description: &'static str,
}

impl IntoResponse for Refusal {
    fn into_response(self) -> Response {
        let body = json!({"error": self.error, "error_description": self.description});
        (self.status, axum::Json(body)).into_response()
    }
}

/// The credentials of a token request's form, or the OAuth2 error to answer with. The
/// vendor only reads snake_case keys: camelCase `clientId` is `invalid_client`.
pub(crate) fn form_credentials(form: &[(String, String)]) -> Result<(&str, &str), Refusal> {
    let field = |name: &str| {
        form.iter()
            .find(|(key, _)| key == name)
            .map(|(_, value)| value.as_str())
    };
    if field("grant_type") != Some("client_credentials") {
        return Err(Refusal {
            status: StatusCode::BAD_REQUEST,
            error: "unsupported_grant_type",
            description: "grant_type must be client_credentials",
        });
    }
    match (field("client_id"), field("client_secret")) {
        (Some(id), Some(secret)) if !id.is_empty() && !secret.is_empty() => Ok((id, secret)),
        _ => Err(Refusal {
            status: StatusCode::UNAUTHORIZED,
            error: "invalid_client",
            description: "client_id and client_secret are required in the form body",
        }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_token_is_accepted_until_it_expires_and_only_with_the_bearer_prefix() {
        let mut ledger = TokenLedger::default();
        let now = Instant::now();
        let token = ledger.issue(3, now, Duration::from_secs(10));
        let header = format!("Bearer {token}");
        assert_eq!(ledger.check(Some(&header), now), Bearer::Seller(3));
        assert_eq!(ledger.check(Some(&token), now), Bearer::Rejected);
        assert_eq!(ledger.check(None, now), Bearer::Rejected);
        let expired = now + Duration::from_secs(10);
        assert_eq!(ledger.check(Some(&header), expired), Bearer::Rejected);
        assert_eq!(ledger.issued(), 1);
    }

    #[test]
    fn debug_shows_no_token() {
        let mut ledger = TokenLedger::default();
        let token = ledger.issue(0, Instant::now(), Duration::from_secs(10));
        assert!(!format!("{ledger:?}").contains(&token));
    }

    #[test]
    fn two_issues_give_two_different_tokens() {
        let mut ledger = TokenLedger::default();
        let now = Instant::now();
        let first = ledger.issue(0, now, Duration::from_secs(10));
        let second = ledger.issue(0, now, Duration::from_secs(10));
        assert_ne!(first, second);
    }

    #[test]
    fn camel_case_keys_are_an_invalid_client() {
        let form = vec![
            ("grant_type".to_string(), "client_credentials".to_string()),
            ("clientId".to_string(), "a".to_string()),
            ("clientSecret".to_string(), "b".to_string()),
        ];
        let refused = form_credentials(&form).err().map(|r| r.status);
        assert_eq!(refused, Some(StatusCode::UNAUTHORIZED));
    }
}
