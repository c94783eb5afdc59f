//! Four OS processes share one seller's product quota through Redis: together they never get
//! more than 10 permits in any sliding second of Redis's clock, and get at least 95 % of it.
//!
//! The children are this test binary again, filtered to the hidden `fleet_child` entry, which
//! reads its role from environment variables and prints one line per permit: the slot Redis
//! decided (µs, Redis time) and the wall time the child was released (µs), so the check does
//! not depend on how the processes were scheduled.

use std::process::{Command, Stdio};
use std::sync::Arc;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use toss_shopping::auth::SystemClock;
use toss_shopping::fleet::{RedisLink, RedisOptions, RedisRateLimiter};
use toss_shopping::limit::{Quotas, SellerKey};
use toss_shopping::operation::RateLimitClass;

use crate::limiter::max_in_a_sliding_second;
use crate::redis_server::RedisServer;

const CHILDREN: usize = 4;
const RUN: Duration = Duration::from_secs(4);
const URL_VAR: &str = "TOSS_FLEET_CHILD_REDIS";
/// When the children start taking permits (µs since the Unix epoch), so that none is still
/// starting up while the others run.
const START_VAR: &str = "TOSS_FLEET_CHILD_START";
/// Time for the children to start and connect before [`START_VAR`].
const STARTUP: Duration = Duration::from_millis(3_000);

fn wall() -> Duration {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .expect("after 1970")
}

#[test]
fn four_processes_never_exceed_the_product_quota_together() {
    let redis = RedisServer::start();
    let exe = std::env::current_exe().expect("the test binary");
    let start = wall() + STARTUP;
    let children: Vec<_> = (0..CHILDREN)
        .map(|_| {
            Command::new(&exe)
                .args(["fleet_processes::fleet_child", "--exact", "--ignored"])
                .args(["--nocapture", "--test-threads", "1"])
                .env(URL_VAR, redis.url())
                .env(START_VAR, start.as_micros().to_string())
                .stdout(Stdio::piped())
                .stderr(Stdio::inherit())
                .spawn()
                .expect("a child process")
        })
        .collect();
    let (mut slots, mut released) = (Vec::new(), Vec::new());
    for child in children {
        let output = child.wait_with_output().expect("the child's output");
        assert!(output.status.success(), "a child failed");
        let text = String::from_utf8_lossy(&output.stdout);
        let lines: Vec<_> = text.lines().filter_map(parse_permit).collect();
        assert!(!lines.is_empty(), "a child got no permit");
        slots.extend(lines.iter().map(|(slot, _)| *slot));
        released.extend(lines.iter().map(|(_, at)| *at));
    }
    let most = max_in_a_sliding_second(&mut slots);
    // Throughput over the run itself: the slots Redis gave within it, against 10 per second.
    let within = slots
        .iter()
        .filter(|at| **at >= start && **at < start + RUN);
    let share = within.count() as f64 / (RUN.as_secs_f64() * 10.0);
    let most_released = max_in_a_sliding_second(&mut released);
    eprintln!(
        "{} permits from {CHILDREN} processes: at most {most} in any second of Redis time \
         ({most_released} of the release times), {share:.3} of the quota",
        slots.len()
    );
    assert!(most <= 10, "{most} permits in one second");
    assert!(share >= 0.95, "throughput {share:.3} of the quota");
}

/// `permit <slot µs> <released µs>`; the first may follow the harness's `test ... ` on the
/// same line.
fn parse_permit(line: &str) -> Option<(Duration, Duration)> {
    let (_, permit) = line.split_once("permit ")?;
    let mut words = permit.split(' ');
    let mut micros = || words.next()?.parse().ok().map(Duration::from_micros);
    Some((micros()?, micros()?))
}

/// One member of the fleet: product permits as fast as it can for [`RUN`].
#[tokio::test]
#[ignore = "a child of four_processes_never_exceed_the_product_quota_together"]
async fn fleet_child() {
    let (Ok(url), Ok(start)) = (std::env::var(URL_VAR), std::env::var(START_VAR)) else {
        return;
    };
    let start = Duration::from_micros(start.parse().expect("a start time"));
    let link = RedisLink::new(RedisOptions::new(url)).expect("a link");
    link.ping().await.expect("Redis answers");
    let limiter = Arc::new(RedisRateLimiter::new(
        link,
        Quotas::VENDOR,
        Arc::new(SystemClock),
    ));
    let seller = SellerKey::new("fleet");
    // A child that is late would leave the others a share of the run alone: say so.
    let early = start.checked_sub(wall());
    assert!(
        early.is_some(),
        "the child was ready {:?} late",
        wall() - start
    );
    tokio::time::sleep(early.unwrap_or_default()).await;
    while wall() < start + RUN {
        let permit = limiter.try_acquire(&seller, RateLimitClass::Product).await;
        let permit = permit.expect("Redis answers").expect("limited");
        let released = wall();
        println!(
            "permit {} {}",
            permit.granted_at.as_micros(),
            released.as_micros()
        );
    }
}
