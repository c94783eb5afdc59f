//! The client builder: environments, relays, user agent, caller-supplied HTTP clients, and
//! exporting the schema a payload was decoded with.

use serde_json::json;
#[cfg(feature = "schemars")]
use toss_shopping::types::{OrderProductPage, ProductRegistration};
use toss_shopping::{AuthError, Client, Environment, Error, TokenProvider};
use wiremock::Mock;
use wiremock::matchers::{header, method, path};

use crate::support::{Harness, TOKEN, ok};

fn summary() -> serde_json::Value {
    json!({"score": 0, "count": 0, "isPenalized": false})
}

#[test]
fn environments_point_at_the_documented_hosts() {
    assert_eq!(
        Environment::Production.api_base_url(),
        "https://shopping-fep.toss.im"
    );
    assert_eq!(
        Environment::Alpha.api_base_url(),
        "https://shopping-fep-alpha.toss.im"
    );
    assert_eq!(
        Environment::Production.token_url(),
        "https://oauth2.cert.toss.im/token"
    );
    assert_eq!(
        Environment::Alpha.token_url(),
        "https://oauth2-alpha.cert.toss.im/token"
    );
}

#[tokio::test]
async fn the_default_user_agent_names_the_sdk_and_a_custom_one_replaces_it() {
    let h = Harness::start().await;
    let route = "/api/v3/shopping-fep/merchants/penalty/summary";
    let agent = concat!("toss-shopping-rust/", env!("CARGO_PKG_VERSION"));
    Mock::given(method("GET"))
        .and(path(route))
        .and(header("user-agent", agent))
        .respond_with(ok(summary()))
        .expect(1)
        .named("default agent")
        .mount(&h.server)
        .await;
    Mock::given(method("GET"))
        .and(path(route))
        .and(header("user-agent", "my-erp/2.1"))
        .respond_with(ok(summary()))
        .expect(1)
        .named("custom agent")
        .mount(&h.server)
        .await;
    h.client.get_penalty_summary().await.expect("default agent");
    let custom = Client::builder()
        .base_url(h.server.uri())
        .bearer_token(TOKEN)
        .user_agent("my-erp/2.1")
        .build()
        .expect("client");
    custom.get_penalty_summary().await.expect("custom agent");
}

#[tokio::test]
async fn a_relay_base_url_with_a_path_keeps_its_prefix() {
    let h = Harness::start().await;
    Mock::given(method("GET"))
        .and(path(
            "/relay/toss/api/v3/shopping-fep/merchants/penalty/summary",
        ))
        .respond_with(ok(summary()))
        .expect(1)
        .named("through the relay")
        .mount(&h.server)
        .await;
    let client = Client::builder()
        .base_url(format!("{}/relay/toss/", h.server.uri()))
        .bearer_token(TOKEN)
        .build()
        .expect("client");
    client.get_penalty_summary().await.expect("relayed");
}

#[tokio::test]
async fn a_caller_supplied_http_client_is_used_with_the_sdk_headers() {
    let h = Harness::start().await;
    let http = reqwest::Client::builder()
        .default_headers(
            [(
                reqwest::header::HeaderName::from_static("x-proxy-auth"),
                reqwest::header::HeaderValue::from_static("relay-key"),
            )]
            .into_iter()
            .collect(),
        )
        .build()
        .expect("http client");
    Mock::given(method("GET"))
        .and(path("/api/v3/shopping-fep/merchants/penalty/summary"))
        .and(header("x-proxy-auth", "relay-key"))
        .and(header("authorization", format!("Bearer {TOKEN}").as_str()))
        .respond_with(ok(summary()))
        .expect(1)
        .named("via the caller's client")
        .mount(&h.server)
        .await;
    let client = Client::builder()
        .base_url(h.server.uri())
        .http_client(http)
        .bearer_token(TOKEN)
        .build()
        .expect("client");
    client.get_penalty_summary().await.expect("sent");
}

#[test]
fn bad_builder_input_is_a_clear_error() {
    assert!(
        Client::builder()
            .base_url("not a url")
            .bearer_token("t")
            .build()
            .is_err()
    );
    assert!(
        Client::builder()
            .user_agent("bad\nagent")
            .bearer_token("t")
            .build()
            .is_err()
    );
    assert!(
        Client::builder()
            .token_url("ftp://x")
            .credentials("a", "b")
            .build()
            .is_err()
    );
    assert!(Client::builder().build().is_err(), "no credentials at all");
}

#[tokio::test]
async fn a_base_client_without_credentials_sends_nothing_and_says_why() {
    let h = Harness::start().await;
    let provider = TokenProvider::builder()
        .token_url(format!("{}/token", h.server.uri()))
        .build()
        .expect("provider");
    let base = Client::builder()
        .base_url(h.server.uri())
        .token_provider(provider)
        .build()
        .expect("base");
    match base.get_penalty_summary().await {
        Err(Error::Auth(auth)) => {
            assert!(matches!(*auth, AuthError::Source(ref why) if why.contains("for_seller")))
        }
        other => panic!("expected Error::Auth, got {other:?}"),
    }
}

#[cfg(feature = "schemars")]
#[test]
fn payload_schemas_can_be_exported_and_match_the_wire_names() {
    let page = serde_json::to_value(schemars::schema_for!(OrderProductPage)).expect("schema");
    let text = page.to_string();
    for wire_name in [
        "results",
        "nextCursor",
        "orderProductId",
        "orderedAt",
        "orderProductStatus",
    ] {
        assert!(text.contains(wire_name), "schema lacks {wire_name}");
    }
    let registration =
        serde_json::to_value(schemars::schema_for!(ProductRegistration)).expect("schema");
    let required = registration
        .pointer("/required")
        .and_then(|r| r.as_array())
        .expect("required list");
    assert!(required.iter().any(|r| r == "name") && required.iter().any(|r| r == "stocks"));
}
