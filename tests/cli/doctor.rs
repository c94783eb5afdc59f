//! `doctor`: each diagnosis, produced by a loopback server set up to fail that way, with its
//! exit code; and the healthy case.

use chrono::{Duration as Span, Utc};
use toss_shopping::local::LocalServer;
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

use crate::support::{Cli, Run, closed_port};

/// Asserts the exit code and the named problem in the report.
fn diagnosed(run: &Run, problem: &str, code: i32) {
    assert_eq!(run.code, Some(code), "{run}");
    assert!(
        run.stdout.contains(&format!("✗ problem: {problem}:")),
        "not diagnosed as {problem}: {run}"
    );
}

/// The tool pointed at a mock server's token endpoint and API, with some keys.
fn at_mock(mock: &MockServer, label: &str) -> Cli {
    Cli::bare(label)
        .with("TOSS_ACCESS_KEY", "access")
        .with("TOSS_SECRET_KEY", "secret")
        .with("TOSS_API_BASE_URL", &mock.uri())
        .with("TOSS_TOKEN_URL", &format!("{}/token", mock.uri()))
}

#[tokio::test(flavor = "multi_thread")]
async fn a_healthy_setup_passes_every_check() {
    let server = LocalServer::start().await.unwrap();
    let run = Cli::local(&server, "doctor-ok").run(&["doctor"]).await;
    assert_eq!(run.code, Some(0), "{run}");
    assert!(run.stdout.contains("All checks passed."), "{run}");
    assert!(!run.stdout.contains('✗'), "{run}");
}

#[tokio::test(flavor = "multi_thread")]
async fn a_wrong_secret_is_wrong_keys() {
    let server = LocalServer::start().await.unwrap();
    let run = Cli::local(&server, "doctor-keys")
        .with("TOSS_SECRET_KEY", "not-the-secret")
        .run(&["doctor"])
        .await;
    diagnosed(&run, "wrong-keys", 3);
    assert!(!run.stdout.contains("not-the-secret"), "{run}");
}

#[tokio::test(flavor = "multi_thread")]
async fn a_token_endpoint_answering_403_is_an_ip_not_on_the_allow_list() {
    let mock = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/token"))
        .respond_with(
            ResponseTemplate::new(403).set_body_json(serde_json::json!({"error": "access_denied"})),
        )
        .mount(&mock)
        .await;
    let run = at_mock(&mock, "doctor-ip").run(&["doctor"]).await;
    diagnosed(&run, "ip-not-allowed", 3);
}

#[tokio::test(flavor = "multi_thread")]
async fn a_closed_port_is_unreachable() {
    let closed = format!("http://127.0.0.1:{}", closed_port());
    let run = Cli::bare("doctor-unreachable")
        .with("TOSS_ACCESS_KEY", "access")
        .with("TOSS_SECRET_KEY", "secret")
        .with("TOSS_API_BASE_URL", &closed)
        .with("TOSS_TOKEN_URL", &format!("{closed}/token"))
        .run(&["doctor"])
        .await;
    diagnosed(&run, "unreachable", 4);
}

#[tokio::test(flavor = "multi_thread")]
async fn a_dead_proxy_in_the_environment_is_the_proxy() {
    // reqwest sends loopback targets through an environment proxy too (it bypasses only what
    // NO_PROXY lists), so a healthy local server behind a proxy on a closed loopback port
    // shows the proxy problem without leaving the machine.
    let server = LocalServer::start().await.unwrap();
    let proxy = format!("http://127.0.0.1:{}", closed_port());
    for variable in ["HTTP_PROXY", "ALL_PROXY"] {
        let run = Cli::local(&server, "doctor-proxy")
            .with(variable, &proxy)
            .run(&["doctor"])
            .await;
        diagnosed(&run, "proxy", 4);
        assert!(run.stdout.contains(variable), "{run}");
    }
    assert_eq!(server.tokens_issued(), 0, "nothing got through");
}

#[tokio::test(flavor = "multi_thread")]
async fn a_server_date_an_hour_away_is_a_clock_far_off() {
    let mock = MockServer::start().await;
    let date = (Utc::now() - Span::hours(1)).to_rfc2822();
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(404).insert_header("Date", date.as_str()))
        .mount(&mock)
        .await;
    let run = at_mock(&mock, "doctor-clock").run(&["doctor"]).await;
    diagnosed(&run, "clock-off", 4);
}
