//! Neither the secret key nor an access token shows up in any `Debug` or `Display`.

use std::time::{Duration, SystemTime};

use serde_json::json;
use toss_shopping::auth::{FileTokenStore, MemoryTokenStore, StoreKey, StoredToken};
use toss_shopping::{
    AuthError, BearerToken, Client, Credentials, Error, StaticToken, TokenProvider,
};
use wiremock::ResponseTemplate;

use crate::support::*;

/// The token the endpoint issues in the successful flows.
const ISSUED: &str = "issued-token-QWERTY-987";
/// A token inside failure bodies.
const IN_BODY: &str = "SECRET-TOKEN-123";

const SECRETS: [&str; 3] = [SECRET_KEY, ISSUED, IN_BODY];

/// The errors of one failing token request and of the call right after it (cooling down).
async fn failure(answer: ResponseTemplate) -> Vec<Error> {
    let server = start().await;
    expect_token(&server, answer, 1).await;
    let (client, _provider, _clock) = clocked(&server);
    vec![
        client.get_penalty_summary().await.expect_err("fails"),
        client
            .get_penalty_summary()
            .await
            .expect_err("cooling down"),
    ]
}

fn echo_body(status: u16, code: &str) -> ResponseTemplate {
    ResponseTemplate::new(status).set_body_json(json!({
        "error": code,
        "error_description": format!("client_secret={SECRET_KEY} rejected"),
        "access_token": IN_BODY,
    }))
}

#[tokio::test]
async fn no_secret_or_token_in_any_debug_or_display() {
    // Every AuthError the endpoint can cause, and its CoolingDown.
    let mut errors = Vec::new();
    errors.extend(failure(echo_body(401, "invalid_client")).await);
    errors.extend(failure(echo_body(400, "invalid_client")).await);
    errors.extend(failure(echo_body(403, "access_denied")).await);
    errors.extend(failure(echo_body(400, "invalid_scope")).await);
    errors.extend(failure(echo_body(429, "slow_down").insert_header("Retry-After", "3")).await);
    errors.extend(failure(echo_body(500, "server_error")).await);
    let malformed = json!({"access_token": IN_BODY, "token_type": "Bearer", "expires_in": "soon"});
    errors.extend(failure(ResponseTemplate::new(200).set_body_json(malformed)).await);
    let text = format!("access_token={IN_BODY}&client_secret={SECRET_KEY}");
    errors.extend(failure(ResponseTemplate::new(200).set_body_raw(text, "text/plain")).await);

    // Transport: an endpoint that hangs up.
    let down = hang_up_endpoint();
    let unreachable = Client::builder()
        .base_url(down.clone())
        .token_url(format!("{down}/token"))
        .credentials(ACCESS_KEY, SECRET_KEY)
        .build()
        .expect("client builds");
    errors.push(
        unreachable
            .get_penalty_summary()
            .await
            .expect_err("no endpoint"),
    );
    errors.push(
        unreachable
            .get_penalty_summary()
            .await
            .expect_err("cooling down"),
    );

    let mut seen = Vec::new();
    for error in &errors {
        assert_hides(error, &SECRETS);
        let Error::Auth(auth) = error else {
            panic!("expected Error::Auth, got {error:?}")
        };
        assert_hides(&**auth, &SECRETS);
        seen.push(variant(auth));
        if let AuthError::CoolingDown { last, .. } = &**auth {
            assert_hides(&**last, &SECRETS);
        }
    }
    for expected in [
        "InvalidCredentials",
        "Forbidden",
        "Rejected",
        "Throttled",
        "Server",
        "MalformedResponse",
        "Transport",
        "CoolingDown",
    ] {
        assert!(
            seen.contains(&expected),
            "never produced {expected}: {seen:?}"
        );
    }
    let custom = AuthError::Source("vault lookup failed".into());
    assert_hides(&custom, &SECRETS);

    // A working client with a cached token, and everything around it.
    let server = start().await;
    expect_token(&server, token_answer(ISSUED, Some(3599)), 1).await;
    expect_api(&server, ISSUED, penalty_ok(), 1).await;
    let provider = TokenProvider::builder()
        .token_url(token_url(&server))
        .store(MemoryTokenStore::new())
        .build()
        .expect("provider builds");
    let builder = Client::builder()
        .base_url(server.uri())
        .token_provider(provider.clone())
        .credentials(ACCESS_KEY, SECRET_KEY);
    assert_debug_hides(&builder, &SECRETS);
    let client = builder.clone().build().expect("client builds");
    assert_penalty(client.get_penalty_summary().await);
    assert_debug_hides(&builder, &SECRETS);
    assert_debug_hides(&client, &SECRETS);
    assert_debug_hides(&provider, &SECRETS);
    let credentials = Credentials::new(ACCESS_KEY, SECRET_KEY);
    assert_debug_hides(&credentials, &SECRETS);
    assert_debug_hides(&provider.source(credentials.clone()), &SECRETS);
    assert_debug_hides(&client.for_seller(credentials), &SECRETS);
    let token = BearerToken::new(ISSUED);
    assert_hides(&token, &SECRETS);
    assert_eq!(token.secret(), ISSUED);
    let stored = StoredToken {
        token,
        issued_at: SystemTime::now(),
        expires_at: SystemTime::now() + Duration::from_secs(3599),
    };
    assert_debug_hides(&stored, &SECRETS);
    assert_debug_hides(&StaticToken::new(ISSUED), &SECRETS);
    let fixed = Client::builder().bearer_token(ISSUED);
    assert_debug_hides(&fixed, &SECRETS);
    assert_debug_hides(&fixed.build().expect("client builds"), &SECRETS);
    assert_debug_hides(
        &StoreKey::new(&token_url(&server), ACCESS_KEY, SCOPE),
        &SECRETS,
    );
    assert_debug_hides(&FileTokenStore::new(std::env::temp_dir()), &SECRETS);

    // A 401 whose refresh fails: Error::Unauthorized carrying the refresh error.
    let server = start().await;
    token_once(&server, token_answer(ISSUED, Some(3599)), 1, "token").await;
    token_once(&server, echo_body(500, "server_error"), 2, "refresh fails").await;
    expect_api(
        &server,
        ISSUED,
        ResponseTemplate::new(401).set_body_json(json!({"token": ISSUED})),
        1,
    )
    .await;
    let client = crate::support::client(&server);
    let unauthorized = client.get_penalty_summary().await.expect_err("401");
    assert!(
        matches!(
            unauthorized,
            Error::Unauthorized {
                refresh_error: Some(_),
                ..
            }
        ),
        "{unauthorized:?}"
    );
    assert_hides(&unauthorized, &SECRETS);
    assert_debug_hides(&client, &SECRETS);
}

fn variant(error: &AuthError) -> &'static str {
    match error {
        AuthError::InvalidCredentials { .. } => "InvalidCredentials",
        AuthError::Forbidden { .. } => "Forbidden",
        AuthError::Throttled { .. } => "Throttled",
        AuthError::Server { .. } => "Server",
        AuthError::Rejected { .. } => "Rejected",
        AuthError::MalformedResponse { .. } => "MalformedResponse",
        AuthError::Timeout(_) => "Timeout",
        AuthError::Transport(_) => "Transport",
        AuthError::CoolingDown { .. } => "CoolingDown",
        AuthError::Source(_) => "Source",
        _ => "other",
    }
}
