//! Shared harness for the token-adapter tests: one fresh `MockServer` per test serving both
//! the API and `/token`, fake credentials, and helpers to count and read what was sent.

use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use serde_json::json;
use toss_shopping::auth::ManualClock;
use toss_shopping::{Client, Error, TokenProvider};
use wiremock::matchers::{any, bearer_token, method, path};
use wiremock::{Match, Mock, MockServer, Request, ResponseTemplate};

/// The seller's fake Access Key (the OAuth2 client id).
pub const ACCESS_KEY: &str = "test-access-key-ABC";
/// The seller's fake Secret Key; never allowed in any output.
pub const SECRET_KEY: &str = "test-secret-key-XYZ";
/// The token endpoint path on the mock server.
pub const TOKEN_PATH: &str = "/token";
/// The API call every test makes.
pub const PENALTY: &str = "/api/v3/shopping-fep/merchants/penalty/summary";
/// The scope every token request must ask for.
pub const SCOPE: &str = "toss-shopping-fep:write";

/// A fresh mock server with a catch-all that fails the test on any unexpected request.
pub async fn start() -> MockServer {
    let server = MockServer::start().await;
    Mock::given(any())
        .respond_with(ResponseTemplate::new(599))
        .with_priority(255)
        .expect(0)
        .named("unexpected request")
        .mount(&server)
        .await;
    server
}

pub fn token_url(server: &MockServer) -> String {
    format!("{}{TOKEN_PATH}", server.uri())
}

/// A client with its own token provider (system clock), as most users build one.
pub fn client(server: &MockServer) -> Client {
    client_with_secret(server, SECRET_KEY)
}

pub fn client_with_secret(server: &MockServer, secret: &str) -> Client {
    Client::builder()
        .base_url(server.uri())
        .token_url(token_url(server))
        .credentials(ACCESS_KEY, secret)
        .build()
        .expect("client builds")
}

/// A client whose token cache runs on a manual clock.
pub fn clocked(server: &MockServer) -> (Client, TokenProvider, Arc<ManualClock>) {
    let clock = Arc::new(ManualClock::new());
    let provider = TokenProvider::builder()
        .token_url(token_url(server))
        .clock(clock.clone())
        .build()
        .expect("provider builds");
    let client = Client::builder()
        .base_url(server.uri())
        .token_provider(provider.clone())
        .credentials(ACCESS_KEY, SECRET_KEY)
        .build()
        .expect("client builds");
    (client, provider, clock)
}

/// A token-endpoint answer as the live endpoint sends it (`expires_in: None` leaves it out).
pub fn token_answer(token: &str, expires_in: Option<u64>) -> ResponseTemplate {
    let mut body = json!({
        "access_token": token,
        "scope": SCOPE,
        "token_type": "Bearer",
    });
    if let Some(seconds) = expires_in {
        body["expires_in"] = json!(seconds);
    }
    ResponseTemplate::new(200).set_body_json(body)
}

/// The penalty summary inside a SUCCESS envelope.
pub fn penalty_ok() -> ResponseTemplate {
    ResponseTemplate::new(200).set_body_json(json!({
        "resultType": "SUCCESS",
        "success": {"score": 0, "count": 0, "isPenalized": false},
        "error": null
    }))
}

/// A mock of `POST /token`.
pub fn token_mock() -> wiremock::MockBuilder {
    Mock::given(method("POST")).and(path(TOKEN_PATH))
}

/// Expects `POST /token` exactly `times` times, always answering `answer`.
pub async fn expect_token(server: &MockServer, answer: ResponseTemplate, times: u64) {
    token_mock()
        .respond_with(answer)
        .expect(times)
        .named("POST /token")
        .mount(server)
        .await;
}

/// Answers the next token request (once, before any lower-priority token mock) with `answer`.
pub async fn token_once(server: &MockServer, answer: ResponseTemplate, priority: u8, name: &str) {
    token_mock()
        .respond_with(answer)
        .up_to_n_times(1)
        .with_priority(priority)
        .expect(1)
        .named(name.to_string())
        .mount(server)
        .await;
}

/// Answers successive token requests with `tokens` in order, each exactly once (3599 s each).
pub async fn tokens_in_order(server: &MockServer, tokens: &[&str]) {
    for (index, token) in tokens.iter().enumerate() {
        let priority = u8::try_from(index + 1).expect("a handful of tokens");
        token_once(
            server,
            token_answer(token, Some(3599)),
            priority,
            &format!("token {token}"),
        )
        .await;
    }
}

/// A mock of the API call carrying `Authorization: Bearer <token>`.
pub fn api_mock(token: &str) -> wiremock::MockBuilder {
    Mock::given(method("GET"))
        .and(path(PENALTY))
        .and(bearer_token(token))
}

/// Expects the API call with `token` exactly `times` times, answering `answer`.
pub async fn expect_api(server: &MockServer, token: &str, answer: ResponseTemplate, times: u64) {
    api_mock(token)
        .respond_with(answer)
        .expect(times)
        .named(format!("GET penalty summary with {token}"))
        .mount(server)
        .await;
}

/// The requests the server received on `route`.
pub async fn requests_to(server: &MockServer, route: &str) -> Vec<Request> {
    server
        .received_requests()
        .await
        .expect("request recording is on")
        .into_iter()
        .filter(|request| request.url.path() == route)
        .collect()
}

/// How many token requests the server received so far.
pub async fn token_requests(server: &MockServer) -> usize {
    requests_to(server, TOKEN_PATH).await.len()
}

/// How many API calls the server received so far.
pub async fn api_requests(server: &MockServer) -> usize {
    requests_to(server, PENALTY).await.len()
}

/// The form fields of a token request (order-independent), failing on a repeated field.
pub fn form_fields(request: &Request) -> HashMap<String, String> {
    let mut fields = HashMap::new();
    for (key, value) in url::form_urlencoded::parse(&request.body) {
        let previous = fields.insert(key.into_owned(), value.into_owned());
        assert!(previous.is_none(), "a form field was sent twice");
    }
    fields
}

/// Matches a token request whose form has `key=value`.
pub struct FormField(pub &'static str, pub String);

impl Match for FormField {
    fn matches(&self, request: &Request) -> bool {
        url::form_urlencoded::parse(&request.body).any(|(k, v)| k == self.0 && v == self.1)
    }
}

/// The call succeeded with the fixture's payload.
pub fn assert_penalty(result: Result<toss_shopping::types::PenaltySummary, Error>) {
    let summary = result.expect("the API call succeeds");
    assert_eq!(
        (summary.score, summary.count, summary.is_penalized),
        (0, 0, false)
    );
}

/// The `AuthError` inside `Error::Auth`, or a panic naming what came instead.
pub fn auth_error<T: std::fmt::Debug>(result: Result<T, Error>) -> Arc<toss_shopping::AuthError> {
    match result {
        Err(Error::Auth(error)) => error,
        other => panic!("expected Error::Auth, got {other:?}"),
    }
}

/// Asserts that neither `Debug` nor `Display` of `value` shows any of `secrets`.
pub fn assert_hides<T: std::fmt::Debug + std::fmt::Display>(value: &T, secrets: &[&str]) {
    assert_debug_hides(value, secrets);
    let display = value.to_string();
    for secret in secrets {
        assert!(
            !display.contains(secret),
            "Display shows a secret {secret:?}: {display}"
        );
    }
}

/// Asserts that `Debug` (plain and pretty) of `value` shows none of `secrets`.
pub fn assert_debug_hides<T: std::fmt::Debug>(value: &T, secrets: &[&str]) {
    for debug in [format!("{value:?}"), format!("{value:#?}")] {
        for secret in secrets {
            assert!(
                !debug.contains(secret),
                "Debug shows a secret {secret:?}: {debug}"
            );
        }
    }
}

/// `http://127.0.0.1:<port>` of a listener that hangs up on every connection at once: a token
/// endpoint that is down. (A bound-then-closed port could be taken by another test's server.)
pub fn hang_up_endpoint() -> String {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
    let address = listener.local_addr().expect("address");
    std::thread::spawn(move || {
        for stream in listener.incoming() {
            drop(stream);
        }
    });
    format!("http://{address}")
}

/// `http://127.0.0.1:<port>` of a listener that accepts connections and never answers: a token
/// endpoint that hangs. Each accepted connection is reported on the returned channel (so a test
/// knows the request is under way) and held open until the test process ends.
pub fn silent_endpoint() -> (String, tokio::sync::mpsc::UnboundedReceiver<()>) {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
    let address = listener.local_addr().expect("address");
    let (accepted, receiver) = tokio::sync::mpsc::unbounded_channel();
    std::thread::spawn(move || {
        let mut held = Vec::new();
        for stream in listener.incoming() {
            held.push(stream);
            let _ = accepted.send(());
        }
    });
    (format!("http://{address}"), receiver)
}

/// A unique scratch directory under the system temp dir, removed on drop.
pub struct ScratchDir(pub PathBuf);

impl ScratchDir {
    pub fn new(label: &str) -> Self {
        static COUNTER: AtomicUsize = AtomicUsize::new(0);
        let nanos = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap_or_default()
            .as_nanos();
        let dir = std::env::temp_dir().join(format!(
            "toss-shopping-auth-{label}-{}-{nanos}-{}",
            std::process::id(),
            COUNTER.fetch_add(1, Ordering::SeqCst)
        ));
        std::fs::create_dir_all(&dir).expect("create a scratch dir");
        Self(dir)
    }

    pub fn path(&self) -> &std::path::Path {
        &self.0
    }
}

impl Drop for ScratchDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}
