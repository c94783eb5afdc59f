//! A counting token endpoint for the fleet tests, in the test's own process: every request
//! gets a new token (`tok-1`, `tok-2`, ...) after a short delay, and the test can wait for
//! the n-th request to arrive. Optionally the first request never gets an answer, as if the
//! process asking died mid-request.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use serde_json::json;
use toss_shopping::TokenProvider;
use toss_shopping::auth::Credentials;
use toss_shopping::fleet::{RedisLink, RedisOptions, RedisTokenStore};
use wiremock::matchers::method;
use wiremock::{Mock, MockServer, Request, Respond, ResponseTemplate};

/// Generous safety nets: the tests wait on signals, these only stop a broken test hanging.
pub const DEADLINE: Duration = Duration::from_secs(30);

pub const ACCESS_KEY: &str = "fleet-access-key";
pub const SECRET_KEY: &str = "fleet-secret-key";

/// The endpoint and its request count.
pub struct TokenServer {
    server: MockServer,
    requests: Arc<AtomicUsize>,
}

struct Counting {
    requests: Arc<AtomicUsize>,
    delay: Duration,
    hang_first: bool,
}

impl Respond for Counting {
    fn respond(&self, _: &Request) -> ResponseTemplate {
        let n = self.requests.fetch_add(1, Ordering::SeqCst) + 1;
        // Long enough that a dead holder's request is still "in flight" when the test ends.
        let delay = if self.hang_first && n == 1 {
            Duration::from_secs(3600)
        } else {
            self.delay
        };
        ResponseTemplate::new(200)
            .set_body_json(json!({
                "access_token": format!("tok-{n}"),
                "token_type": "Bearer",
                "expires_in": 3599
            }))
            .set_delay(delay)
    }
}

impl TokenServer {
    /// Answers every request after `delay`.
    pub async fn start(delay: Duration) -> Self {
        Self::with(delay, false).await
    }

    /// Never answers the first request; answers the others after `delay`.
    pub async fn hanging_first(delay: Duration) -> Self {
        Self::with(delay, true).await
    }

    async fn with(delay: Duration, hang_first: bool) -> Self {
        let server = MockServer::start().await;
        let requests = Arc::new(AtomicUsize::new(0));
        let responder = Counting {
            requests: requests.clone(),
            delay,
            hang_first,
        };
        Mock::given(method("POST"))
            .respond_with(responder)
            .mount(&server)
            .await;
        Self { server, requests }
    }

    pub fn url(&self) -> String {
        format!("{}/token", self.server.uri())
    }

    /// Token requests so far (counted when they arrive, answered or not).
    pub fn requests(&self) -> usize {
        self.requests.load(Ordering::SeqCst)
    }

    /// Waits until at least `n` requests have arrived.
    pub async fn wait_for_requests(&self, n: usize) {
        let deadline = tokio::time::Instant::now() + DEADLINE;
        while self.requests() < n {
            assert!(
                tokio::time::Instant::now() < deadline,
                "only {} token requests arrived",
                self.requests()
            );
            tokio::time::sleep(Duration::from_millis(10)).await;
        }
    }
}

/// A provider that keeps tokens in the Redis at `redis_url`, as one process of the fleet
/// would build it (its own link, its own cache).
pub fn fleet_provider(
    redis_url: &str,
    token_url: &str,
    options: impl FnOnce(RedisOptions) -> RedisOptions,
    lock_expiry: Duration,
) -> (TokenProvider, RedisLink) {
    let link = RedisLink::new(options(RedisOptions::new(redis_url))).expect("a link");
    let store = RedisTokenStore::new(link.clone()).lock_expiry(lock_expiry);
    let provider = TokenProvider::builder()
        .token_url(token_url)
        .store(store)
        .build()
        .expect("a provider");
    (provider, link)
}

/// Options for the Redis at `redis_url` that wait out a slow moment of the machine, for the
/// tests of what the fleet shares rather than of Redis faults. The default command timeout
/// (250 ms) is shorter than a stall of a loaded 2-vCPU machine, and the local fallback that
/// follows a timeout is not what those tests check (it made two of them fail once in a full
/// test run, 2026-12-03).
pub fn patient_options(redis_url: &str) -> RedisOptions {
    RedisOptions::new(redis_url).timeout(Duration::from_secs(5))
}

/// A link to the Redis at `redis_url` with [`patient_options`], once Redis answers.
pub async fn fleet_link(redis_url: &str) -> RedisLink {
    let link = RedisLink::new(patient_options(redis_url)).expect("a link");
    link.ping().await.expect("Redis answers");
    link
}

pub fn credentials() -> Credentials {
    Credentials::new(ACCESS_KEY, SECRET_KEY)
}

/// Waits until `link` reaches Redis again (the connection manager reconnects on its own).
pub async fn wait_until_up(link: &RedisLink) {
    let deadline = tokio::time::Instant::now() + DEADLINE;
    while link.ping().await.is_err() {
        assert!(tokio::time::Instant::now() < deadline, "Redis is not back");
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}
