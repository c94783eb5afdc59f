//! A cold start: 1,000 tasks call at once through one `Client` whose token cache is empty,
//! against the same 1,000-call burst through a client with a fixed token (no token path),
//! measured in the same run. `cargo xtask bench-report` prints the ratio.
//!
//! - The server is axum on `127.0.0.1:0`, on a runtime of its own, answering pre-built bytes
//!   (the penalty summary of `tests/fixtures/answers.json`, a tiny answer, so the figure is
//!   about the token path rather than decoding).
//! - Its token endpoint counts requests and answers after a fixed **20 ms**, as a real token
//!   endpoint takes tens of milliseconds. The bench fails loudly unless every cold burst
//!   made exactly one token request (single flight) and every fixed-token burst made none.
//! - Rate limits are off (`RateLimits::Off`: no task ever waits for a permit) and retries are
//!   off (a failed call fails the bench instead of hiding in a retry), so the difference
//!   between the rows is the token path only.
//! - Each iteration builds a fresh `Client` (so a fresh token provider with an empty cache)
//!   on one shared `reqwest::Client`: its connections are opened by the first burst and reused,
//!   so neither row pays for TCP set-up and the loopback's ports are not exhausted by
//!   connections in `TIME_WAIT`. Building the client is not timed.
//! - Tasks run on a two-worker multi-thread runtime.
//!
//! Before criterion runs, it prints the medians of 15 interleaved bursts of each kind, a
//! check on criterion's sequential figures when the machine is busy.
//!
//! Re-run: `cargo bench --features local-server --bench cold_start && cargo xtask bench-report`.
//!
//! Measured 2026-12-02 on the 2-vCPU machine shared with other builds (load average 3.1-5.3):
//! exactly 1 token request per cold burst; criterion means (95% CI) 114.2 ms (106.2-123.0)
//! cold against 98.0 ms (82.0-115.5) with a fixed token, 1.17×; interleaved medians 142.5 ms
//! against 122.5 ms, 1.16×, a difference of 20.0 ms: the token endpoint's own delay. With the
//! delay set to 0 ms (a one-off run) the difference was 3.0 ms (1.03×).

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use axum::Router;
use axum::http::header::CONTENT_TYPE;
use axum::routing::post;
use bytes::Bytes;
use criterion::{Criterion, SamplingMode};
use tokio::runtime::Runtime;
use toss_shopping::{Client, RateLimits, RetryPolicy};

/// Tasks in one burst.
const TASKS: usize = 1_000;
/// How long the token endpoint takes to answer.
const TOKEN_DELAY: Duration = Duration::from_millis(20);
/// The answer of every API call: the penalty summary, a tiny one.
const ANSWER: &str =
    r#"{"resultType":"SUCCESS","success":{"score":3,"count":1,"isPenalized":false},"error":null}"#;
/// The token endpoint's answer; a Toss token is a JWT of about 700 bytes.
fn token_answer() -> Bytes {
    let token = "x".repeat(700);
    Bytes::from(format!(
        r#"{{"access_token":"{token}","token_type":"Bearer","expires_in":3599}}"#
    ))
}

/// The loopback server and what its token endpoint has seen.
struct Server {
    base_url: String,
    token_requests: Arc<AtomicUsize>,
    /// Keeps the server's runtime (and so the server) alive.
    _runtime: Runtime,
}

impl Server {
    /// Starts the server on a runtime of its own, so the burst's tasks do not run it.
    fn start() -> Self {
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .enable_all()
            .build()
            .expect("server runtime");
        let token_requests = Arc::new(AtomicUsize::new(0));
        let counter = token_requests.clone();
        let token = token_answer();
        let app = Router::new()
            .route(
                "/token",
                post(move || {
                    let (counter, token) = (counter.clone(), token.clone());
                    async move {
                        counter.fetch_add(1, Ordering::SeqCst);
                        tokio::time::sleep(TOKEN_DELAY).await;
                        ([(CONTENT_TYPE, "application/json")], token)
                    }
                }),
            )
            .fallback(|| async {
                (
                    [(CONTENT_TYPE, "application/json")],
                    Bytes::from_static(ANSWER.as_bytes()),
                )
            });
        let listener = runtime
            .block_on(tokio::net::TcpListener::bind("127.0.0.1:0"))
            .expect("a loopback port");
        let address = listener.local_addr().expect("its address");
        runtime.spawn(async move { axum::serve(listener, app).await });
        Self {
            base_url: format!("http://{address}"),
            token_requests,
            _runtime: runtime,
        }
    }

    fn token_requests(&self) -> usize {
        self.token_requests.load(Ordering::SeqCst)
    }
}

/// How the client gets its token.
#[derive(Clone, Copy)]
enum Auth {
    /// Client credentials, issued by the token endpoint on first use.
    Cold,
    /// A fixed token: no token path at all.
    Fixed,
}

/// A fresh client on the shared connection pool: with `Auth::Cold`, its token cache is empty.
fn client(server: &Server, http: &reqwest::Client, auth: Auth) -> Client {
    let builder = Client::builder()
        .base_url(&server.base_url)
        .http_client(http.clone())
        .rate_limits(RateLimits::Off)
        .retry(RetryPolicy::none());
    match auth {
        Auth::Cold => builder
            .token_url(format!("{}/token", server.base_url))
            .credentials("bench-access-key", "bench-secret-key"),
        Auth::Fixed => builder.bearer_token("x".repeat(700)),
    }
    .build()
    .expect("client")
}

/// Runs `TASKS` calls at once and waits for all; fails loudly if one failed.
async fn burst(client: &Client) {
    let tasks: Vec<_> = (0..TASKS)
        .map(|_| {
            let client = client.clone();
            tokio::spawn(async move { client.get_penalty_summary().await })
        })
        .collect();
    for task in tasks {
        let summary = task.await.expect("task ran").expect("call succeeded");
        assert_eq!(summary.score, 3);
    }
}

/// One timed burst on a fresh client, checking the token requests it made: exactly one when
/// cold, none with a fixed token.
async fn timed_burst(server: &Server, http: &reqwest::Client, auth: Auth) -> Duration {
    let client = client(server, http, auth);
    let before = server.token_requests();
    let start = Instant::now();
    burst(&client).await;
    let elapsed = start.elapsed();
    let made = server.token_requests() - before;
    let expected = match auth {
        Auth::Cold => 1,
        Auth::Fixed => 0,
    };
    assert_eq!(
        made, expected,
        "a burst of {TASKS} calls made {made} token requests, expected {expected}"
    );
    elapsed
}

/// `iters` timed bursts, for criterion's `iter_custom`.
async fn bursts(server: &Server, http: &reqwest::Client, auth: Auth, iters: u64) -> Duration {
    let mut total = Duration::ZERO;
    for _ in 0..iters {
        total += timed_burst(server, http, auth).await;
    }
    total
}

/// Interleaved bursts of each kind in `report`.
const ROUNDS: usize = 15;

/// Prints the medians of `ROUNDS` interleaved bursts of each kind, their ratio and their
/// difference (of which the token endpoint's delay is `TOKEN_DELAY`).
fn report(runtime: &Runtime, server: &Server, http: &reqwest::Client) {
    let mut cold = Vec::new();
    let mut fixed = Vec::new();
    for _ in 0..ROUNDS {
        cold.push(runtime.block_on(timed_burst(server, http, Auth::Cold)));
        fixed.push(runtime.block_on(timed_burst(server, http, Auth::Fixed)));
    }
    cold.sort();
    fixed.sort();
    let (cold, fixed) = (cold[ROUNDS / 2], fixed[ROUNDS / 2]);
    println!(
        "cold start, {TASKS} tasks, token endpoint delay {} ms: exactly 1 token request per burst",
        TOKEN_DELAY.as_millis()
    );
    println!("interleaved medians ({ROUNDS} bursts each):");
    println!("  cold (empty token cache)  {:>8.1} ms", ms(cold));
    println!("  baseline (fixed token)    {:>8.1} ms", ms(fixed));
    println!(
        "  ratio {:.2}, difference {:.1} ms (the token endpoint alone takes {} ms)",
        cold.as_secs_f64() / fixed.as_secs_f64(),
        ms(cold) - ms(fixed),
        TOKEN_DELAY.as_millis()
    );
}

fn ms(duration: Duration) -> f64 {
    duration.as_secs_f64() * 1000.0
}

fn main() {
    let server = Server::start();
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .expect("client runtime");
    // One pool for every client: the first burst opens the connections, later ones reuse them.
    let http = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .expect("HTTP client");
    runtime.block_on(timed_burst(&server, &http, Auth::Fixed));
    report(&runtime, &server, &http);

    let mut criterion = Criterion::default().configure_from_args();
    let mut group = criterion.benchmark_group("cold_start_1000");
    group
        .sampling_mode(SamplingMode::Flat)
        .sample_size(10)
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(10));
    group.bench_function("baseline_fixed_token", |b| {
        b.to_async(&runtime)
            .iter_custom(|iters| bursts(&server, &http, Auth::Fixed, iters))
    });
    group.bench_function("cold_token_cache", |b| {
        b.to_async(&runtime)
            .iter_custom(|iters| bursts(&server, &http, Auth::Cold, iters))
    });
    group.finish();
    criterion.final_summary();
}
