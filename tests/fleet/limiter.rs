//! The shared rate limiter: the quota holds in every sliding second on Redis's own clock,
//! across processes; Redis faults fall back to the local limiter and recover; keys expire.

use std::sync::Arc;
use std::time::{Duration, Instant};

use toss_shopping::RateLimiter;
use toss_shopping::auth::SystemClock;
use toss_shopping::fleet::{RedisLink, RedisOptions, RedisRateLimiter};
use toss_shopping::limit::{Quotas, SellerKey};
use toss_shopping::operation::RateLimitClass;

use crate::redis_server::RedisServer;
use crate::token_server::patient_options;

const SECOND: Duration = Duration::from_secs(1);

fn limiter(options: RedisOptions) -> RedisRateLimiter {
    let link = RedisLink::new(options).expect("a link");
    RedisRateLimiter::new(link, Quotas::VENDOR, Arc::new(SystemClock))
}

/// The most permits any half-open window `[t, t + 1 s)` holds.
fn max_in_a_sliding_second(times: &mut [Duration]) -> usize {
    times.sort();
    (0..times.len())
        .map(|first| {
            times[first..]
                .iter()
                .take_while(|at| **at < times[first] + SECOND)
                .count()
        })
        .max()
        .unwrap_or(0)
}

/// Permits granted per second of the span they cover, as a share of `quota`.
pub fn throughput(times: &[Duration], quota: u32) -> f64 {
    let (Some(first), Some(last)) = (times.iter().min(), times.iter().max()) else {
        return 0.0;
    };
    let span = (*last - *first).as_secs_f64();
    (times.len() - 1) as f64 / span / f64::from(quota)
}

/// Takes shared permits as fast as `tasks` concurrent callers can for `run`, and returns the
/// Redis times they were granted at.
async fn hammer(
    limiter: &Arc<RedisRateLimiter>,
    seller: &SellerKey,
    class: RateLimitClass,
    tasks: usize,
    run: Duration,
) -> Vec<Duration> {
    let deadline = Instant::now() + run;
    let workers: Vec<_> = (0..tasks)
        .map(|_| {
            let (limiter, seller) = (limiter.clone(), seller.clone());
            tokio::spawn(async move {
                let mut granted = Vec::new();
                while Instant::now() < deadline {
                    let permit = limiter.try_acquire(&seller, class).await;
                    granted.push(permit.expect("Redis answers").expect("limited").granted_at);
                }
                granted
            })
        })
        .collect();
    let mut times = Vec::new();
    for worker in workers {
        times.extend(worker.await.expect("worker"));
    }
    times
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn no_sliding_second_on_redis_time_holds_more_than_the_quota() {
    let redis = RedisServer::start();
    let limiter = Arc::new(limiter(patient_options(&redis.url())));
    let seller = SellerKey::new("burst");
    for (class, quota) in [(RateLimitClass::Product, 10), (RateLimitClass::Write, 30)] {
        // Idle first: a GCRA with burst = quota would hand out `quota` at once here and
        // `quota - 1` more within the same second (19 for 10/s): the burst trap.
        let mut times = hammer(&limiter, &seller, class, 16, Duration::from_millis(2_500)).await;
        let most = max_in_a_sliding_second(&mut times);
        let share = throughput(&times, quota);
        eprintln!(
            "{class:?}: {} permits, at most {most} in a second, {share:.3} of the quota",
            times.len()
        );
        assert!(
            most <= quota as usize,
            "{most} permits in one second for {class:?}"
        );
        assert!(
            share >= 0.95,
            "throughput {share:.3} of the quota for {class:?}"
        );
    }
}

#[tokio::test]
async fn every_key_has_a_ttl_and_a_sellers_keys_share_a_hash_tag() {
    let redis = RedisServer::start();
    let prefix = "hygiene:";
    // A margin of ten minutes spaces even reads (50/s) 12 s apart, so every key lives that
    // long: the keys' TTLs are what is checked, not how soon they run out on a slow machine.
    let link = RedisLink::new(RedisOptions::new(redis.url()).prefix(prefix)).expect("a link");
    let limiter = RedisRateLimiter::new(link, Quotas::VENDOR, Arc::new(SystemClock))
        .margin(Duration::from_secs(600));
    let sellers: Vec<SellerKey> = (0..20).map(|n| SellerKey::new(format!("s{n}"))).collect();
    for seller in &sellers {
        for class in [
            RateLimitClass::Read,
            RateLimitClass::Write,
            RateLimitClass::Product,
        ] {
            limiter.acquire(seller, class).await;
        }
    }
    let mut connection = redis_connection(&redis).await;
    let keys: Vec<String> = redis::cmd("KEYS")
        .arg(format!("{prefix}*"))
        .query_async(&mut connection)
        .await
        .expect("KEYS");
    assert_eq!(keys.len(), sellers.len() * 3, "{keys:?}");
    for key in &keys {
        let ttl: i64 = redis::cmd("PTTL")
            .arg(key)
            .query_async(&mut connection)
            .await
            .expect("PTTL");
        // -1 would be a key without a TTL, -2 one that expired: neither may happen within the
        // 12 s the margin gives.
        assert!(ttl > 0, "{key} has PTTL {ttl}");
        let tag = key
            .strip_prefix(prefix)
            .and_then(|rest| rest.split_once('}'))
            .map(|(tag, _)| tag.trim_start_matches('{'));
        assert!(
            tag.is_some_and(|tag| sellers.iter().any(|s| s.as_str() == tag)),
            "{key} carries no seller hash tag"
        );
    }
}

#[tokio::test]
async fn ten_thousand_sellers_leave_no_state_in_the_process() {
    let redis = RedisServer::start();
    let limiter = Arc::new(limiter(patient_options(&redis.url())));
    let sellers: Vec<SellerKey> = (0..10_000)
        .map(|n| SellerKey::new(format!("seller-{n}")))
        .collect();
    for chunk in sellers.chunks(500) {
        let calls = chunk
            .iter()
            .map(|seller| limiter.acquire(seller, RateLimitClass::Read));
        futures_util::future::join_all(calls).await;
    }
    assert_eq!(limiter.local_keys(), 0, "the fallback was never used");
}

pub async fn redis_connection(redis: &RedisServer) -> redis::aio::MultiplexedConnection {
    redis::Client::open(redis.url())
        .expect("client")
        .get_multiplexed_async_connection()
        .await
        .expect("a connection")
}

#[tokio::test]
async fn permits_keep_coming_while_redis_is_down_and_the_fleet_shares_again_after() {
    let mut redis = RedisServer::start();
    let options = RedisOptions::new(redis.url()).timeout(Duration::from_millis(100));
    let limiter = limiter(options);
    let seller = SellerKey::new("outage");
    let class = RateLimitClass::Write;
    limiter.acquire(&seller, class).await;
    assert_eq!(limiter.local_keys(), 0);

    redis.stop();
    // 30 writes at 30/s from the fallback: about a second, not a hang.
    let started = Instant::now();
    for _ in 0..30 {
        limiter.acquire(&seller, class).await;
    }
    assert!(
        started.elapsed() < Duration::from_secs(5),
        "{:?}",
        started.elapsed()
    );
    assert_eq!(limiter.local_keys(), 1, "the fallback counted them");

    redis.restart();
    let mut connection = redis_connection(&redis).await;
    let key = RedisOptions::new(redis.url())
        .keys()
        .rate(seller.as_str(), class);
    // Back within a probe interval or two: the shared key shows up again.
    let deadline = Instant::now() + Duration::from_secs(5);
    loop {
        limiter.acquire(&seller, class).await;
        let exists: bool = redis::cmd("EXISTS")
            .arg(&key)
            .query_async(&mut connection)
            .await
            .expect("EXISTS");
        if exists {
            break;
        }
        assert!(
            Instant::now() < deadline,
            "the limiter never went back to Redis"
        );
    }
    let permit = limiter.try_acquire(&seller, class).await;
    assert!(matches!(permit, Ok(Some(_))), "{permit:?}");
}

#[tokio::test]
async fn strict_mode_waits_for_redis_instead_of_counting_alone() {
    let mut redis = RedisServer::start();
    let options = RedisOptions::new(redis.url())
        .timeout(Duration::from_millis(100))
        .strict(true);
    let limiter = Arc::new(limiter(options));
    let seller = SellerKey::new("strict");
    limiter.acquire(&seller, RateLimitClass::Read).await;

    redis.stop();
    let refused = limiter.try_acquire(&seller, RateLimitClass::Read).await;
    assert!(refused.is_err(), "try_acquire reports the fault");
    let waiting = {
        let (limiter, seller) = (limiter.clone(), seller.clone());
        tokio::spawn(async move { limiter.acquire(&seller, RateLimitClass::Read).await })
    };
    tokio::time::sleep(Duration::from_millis(800)).await;
    assert!(
        !waiting.is_finished(),
        "no permit without Redis in strict mode"
    );
    assert_eq!(limiter.local_keys(), 0, "the fallback is never used");

    redis.restart();
    let waited = tokio::time::timeout(Duration::from_secs(5), waiting)
        .await
        .expect("the permit comes once Redis is back")
        .expect("task");
    assert!(waited >= Duration::from_millis(800), "{waited:?}");
}
