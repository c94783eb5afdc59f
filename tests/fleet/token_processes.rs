//! The Redis token store across real OS processes: each child re-runs this test binary,
//! filtered to the hidden `child` entry, and builds its own provider from environment
//! variables. Children say when they are ready and wait for a "go" line, so they really
//! start together; the token endpoint runs in this (parent) process and counts requests.

use std::process::Stdio;
use std::time::{Duration, Instant};

use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader, Lines};
use tokio::process::{Child, ChildStdin, ChildStdout, Command};

use crate::redis_server::RedisServer;
use crate::token_server::{DEADLINE, TokenServer, credentials, fleet_provider};

const REDIS_URL: &str = "TOSS_FLEET_CHILD_REDIS_URL";
const TOKEN_URL: &str = "TOSS_FLEET_CHILD_TOKEN_URL";
const LOCK_MS: &str = "TOSS_FLEET_CHILD_LOCK_MS";

/// One process of the fleet: builds its provider, prints `FLEET READY`, waits for a line on
/// stdin, gets a token and prints `FLEET TOKEN <token>` (test tokens only). Run only by the
/// tests below, which set its environment; run by hand it does nothing.
#[tokio::test]
#[ignore = "a child process of the fleet tests, not a test of its own"]
async fn child() {
    let (Ok(redis_url), Ok(token_url), Ok(lock_ms)) = (
        std::env::var(REDIS_URL),
        std::env::var(TOKEN_URL),
        std::env::var(LOCK_MS),
    ) else {
        return;
    };
    let lock = Duration::from_millis(lock_ms.parse().expect("a lock expiry in ms"));
    let (provider, link) = fleet_provider(&redis_url, &token_url, |o| o, lock);
    link.ping().await.expect("Redis answers");
    println!("FLEET READY");
    let mut go = String::new();
    tokio::task::spawn_blocking(move || std::io::stdin().read_line(&mut go))
        .await
        .expect("stdin")
        .expect("a go line");
    match provider.source(credentials()).token().await {
        Ok(token) => println!("FLEET TOKEN {}", token.secret()),
        Err(error) => println!("FLEET ERROR {error}"),
    }
}

/// A running child and its lines.
struct FleetProcess {
    process: Child,
    stdin: ChildStdin,
    lines: Lines<BufReader<ChildStdout>>,
}

impl FleetProcess {
    fn spawn(redis: &RedisServer, endpoint: &TokenServer, lock: Duration) -> Self {
        let mut process = Command::new(std::env::current_exe().expect("the test binary"))
            .args([
                "token_processes::child",
                "--exact",
                "--ignored",
                "--nocapture",
            ])
            .env(REDIS_URL, redis.url())
            .env(TOKEN_URL, endpoint.url())
            .env(LOCK_MS, lock.as_millis().to_string())
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .kill_on_drop(true)
            .spawn()
            .expect("a child process");
        let stdin = process.stdin.take().expect("its stdin");
        let stdout = process.stdout.take().expect("its stdout");
        Self {
            process,
            stdin,
            lines: BufReader::new(stdout).lines(),
        }
    }

    /// The rest of the next `FLEET <what>` line (other output is the test harness's).
    async fn expect(&mut self, what: &str) -> String {
        let prefix = format!("FLEET {what}");
        let next = async {
            while let Some(line) = self.lines.next_line().await.expect("child output") {
                if let Some(rest) = line.strip_prefix(&prefix) {
                    return rest.trim().to_string();
                }
                assert!(!line.starts_with("FLEET "), "unexpected: {line}");
            }
            panic!("the child ended before `{prefix}`");
        };
        tokio::time::timeout(DEADLINE, next)
            .await
            .unwrap_or_else(|_| panic!("no `{prefix}` within {DEADLINE:?}"))
    }

    async fn go(&mut self) {
        self.stdin.write_all(b"go\n").await.expect("go");
        self.stdin.flush().await.expect("go");
    }
}

/// Starts `n` children, waits until each is ready, then lets them all go at once.
async fn start_together(
    n: usize,
    redis: &RedisServer,
    endpoint: &TokenServer,
    lock: Duration,
) -> Vec<FleetProcess> {
    let mut fleet: Vec<_> = (0..n)
        .map(|_| FleetProcess::spawn(redis, endpoint, lock))
        .collect();
    for process in &mut fleet {
        process.expect("READY").await;
    }
    for process in &mut fleet {
        process.go().await;
    }
    fleet
}

#[tokio::test(flavor = "multi_thread")]
async fn eight_cold_processes_cause_one_token_request() {
    let redis = RedisServer::start();
    // Slow enough that all eight are asking while the first request is out.
    let endpoint = TokenServer::start(Duration::from_millis(300)).await;
    let started = Instant::now();
    let mut fleet = start_together(8, &redis, &endpoint, Duration::from_secs(10)).await;
    for process in &mut fleet {
        assert_eq!(process.expect("TOKEN").await, "tok-1");
    }
    assert_eq!(endpoint.requests(), 1);
    eprintln!("8 processes, 1 token request, {:?}", started.elapsed());
}

#[tokio::test(flavor = "multi_thread")]
async fn when_the_lock_holder_dies_mid_request_another_process_takes_over() {
    let redis = RedisServer::start();
    let endpoint = TokenServer::hanging_first(Duration::ZERO).await;
    let lock = Duration::from_secs(2);
    let mut holder = start_together(1, &redis, &endpoint, lock).await;
    // Its request has arrived: it holds the lock and will never save a token.
    endpoint.wait_for_requests(1).await;
    let killed = Instant::now();
    holder[0].process.start_kill().expect("killed by pid");
    holder[0].process.wait().await.expect("reaped");

    let mut others = start_together(3, &redis, &endpoint, lock).await;
    for process in &mut others {
        assert_eq!(process.expect("TOKEN").await, "tok-2");
    }
    assert_eq!(endpoint.requests(), 2, "exactly one more token request");
    let took = killed.elapsed();
    eprintln!("taken over {took:?} after the kill (lock expiry {lock:?})");
}

#[tokio::test(flavor = "multi_thread")]
async fn a_process_started_later_takes_the_fleets_token() {
    let redis = RedisServer::start();
    let endpoint = TokenServer::start(Duration::ZERO).await;
    let (provider, _) = fleet_provider(&redis.url(), &endpoint.url(), |o| o, DEADLINE);
    let token = provider
        .source(credentials())
        .token()
        .await
        .expect("a token");
    let mut later = start_together(1, &redis, &endpoint, DEADLINE).await;
    assert_eq!(later[0].expect("TOKEN").await, token.secret());
    assert_eq!(endpoint.requests(), 1);
}
