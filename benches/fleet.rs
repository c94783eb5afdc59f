//! What the fleet's Redis-backed parts cost per call against their in-process counterparts,
//! in the same run, against one `redis-server` on loopback:
//! - `fleet_limiter`: a permit from `RedisRateLimiter` against `LocalRateLimiter`, 1,000
//!   sellers, quotas so large that no call waits, so what is measured is the bookkeeping (for
//!   Redis: one `EVALSHA` round trip).
//!
//! Each group's in-process benchmark is its `baseline_*`, so `cargo xtask bench-report` prints
//! the ratios. Starts its own `redis-server` on a free port (as the fleet tests do) and skips
//! with a message when none can be started. `cargo bench --features redis --bench fleet`.

#[path = "support/redis.rs"]
mod redis_server;

use std::sync::Arc;

use criterion::{Criterion, criterion_group, criterion_main};
use tokio::runtime::Runtime;
use toss_shopping::RateLimiter;
use toss_shopping::auth::SystemClock;
use toss_shopping::fleet::{RedisLink, RedisOptions, RedisRateLimiter};
use toss_shopping::limit::{LocalRateLimiter, Quotas, SellerKey};
use toss_shopping::operation::RateLimitClass;

use redis_server::RedisServer;

/// How many sellers the calls cycle through, as in a multi-seller integration.
const SELLERS: usize = 1_000;

/// A quota this large spaces permits a microsecond apart: no call ever waits.
const UNBOUNDED: Quotas = Quotas {
    read: u32::MAX,
    write: u32::MAX,
    product: u32::MAX,
};

/// Starts the server and the runtime once, then runs every group against them.
fn fleet(c: &mut Criterion) {
    let Some(server) = RedisServer::start() else {
        eprintln!(
            "fleet: skipped, no redis-server could be started (apt-get install redis-server)"
        );
        return;
    };
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("runtime");
    // The link spawns its connection task, so it is made inside the runtime.
    let link = runtime.block_on(async {
        let link = RedisLink::new(RedisOptions::new(server.url())).expect("a link");
        link.ping().await.expect("Redis answers");
        link
    });
    limiter(c, &runtime, link);
}

/// `fleet_limiter`: one permit that does not wait, local against Redis.
fn limiter(c: &mut Criterion, runtime: &Runtime, link: RedisLink) {
    let redis = RedisRateLimiter::new(link, UNBOUNDED, Arc::new(SystemClock));
    let local = LocalRateLimiter::new(UNBOUNDED, Arc::new(SystemClock));
    let sellers: Vec<SellerKey> = (0..SELLERS)
        .map(|n| SellerKey::new(format!("seller-{n}")))
        .collect();

    let mut group = c.benchmark_group("fleet_limiter");
    for (name, limiter) in [
        ("baseline_local_permit", &local as &dyn RateLimiter),
        ("redis_permit", &redis as &dyn RateLimiter),
    ] {
        let mut next = 0;
        group.bench_function(name, |b| {
            b.to_async(runtime).iter(|| {
                next = (next + 1) % sellers.len();
                limiter.acquire(&sellers[next], RateLimitClass::Read)
            })
        });
    }
    group.finish();
    // The limiter falls back to local state when Redis fails: none of that was measured.
    assert_eq!(redis.local_keys(), 0, "every permit came from Redis");
}

criterion_group!(benches, fleet);
criterion_main!(benches);
