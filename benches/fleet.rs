//! What the fleet's Redis-backed parts cost per call against their in-process counterparts,
//! in the same run, against one `redis-server` on loopback:
//! - `fleet_limiter`: a permit from `RedisRateLimiter` against `LocalRateLimiter`, 1,000
//!   sellers, quotas so large that no call waits, so what is measured is the bookkeeping (for
//!   Redis: one `EVALSHA` round trip).
//! - `fleet_store_load` and `fleet_store_save`: `TokenStore::load` (a hit) and
//!   `TokenStore::save` on `RedisTokenStore` against `MemoryTokenStore`, 1,000 sellers, a
//!   700-byte token (for Redis: one `GET` or `SET … PX` round trip plus the JSON entry).
//!
//! Each group's in-process benchmark is its `baseline_*`, so `cargo xtask bench-report` prints
//! the ratios. Starts its own `redis-server` on a free port (as the fleet tests do) and skips
//! with a message when none can be started. `cargo bench --features redis --bench fleet`.

#[path = "support/redis.rs"]
mod redis_server;

use std::sync::Arc;
use std::time::{Duration, SystemTime};

use criterion::{Criterion, criterion_group, criterion_main};
use tokio::runtime::Runtime;
use toss_shopping::auth::{
    DEFAULT_SCOPE, MemoryTokenStore, StoreKey, StoredToken, SystemClock, TokenStore,
};
use toss_shopping::fleet::{RedisLink, RedisOptions, RedisRateLimiter, RedisTokenStore};
use toss_shopping::limit::{LocalRateLimiter, Quotas, SellerKey};
use toss_shopping::operation::RateLimitClass;
use toss_shopping::{BearerToken, RateLimiter};

use redis_server::RedisServer;

/// How many sellers the calls cycle through, as in a multi-seller integration.
const SELLERS: usize = 1_000;

/// The token endpoint the store keys name; never contacted.
const TOKEN_URL: &str = "http://127.0.0.1:9/token";
/// A Toss access token (a JWT) is about this long.
const TOKEN_LEN: usize = 700;

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
    let link = |options: RedisOptions| {
        runtime.block_on(async {
            let link = RedisLink::new(options).expect("a link");
            link.ping().await.expect("Redis answers");
            link
        })
    };
    limiter(c, &runtime, link(RedisOptions::new(server.url())));
    // Strict, so a Redis fault is an error the benchmark stops on, not a silent miss that
    // would time a local fallback instead of Redis.
    token_store(
        c,
        &runtime,
        link(RedisOptions::new(server.url()).strict(true)),
    );
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

/// `fleet_store_load` and `fleet_store_save`: one hit and one save, memory against Redis.
fn token_store(c: &mut Criterion, runtime: &Runtime, link: RedisLink) {
    let memory = MemoryTokenStore::new();
    let redis = RedisTokenStore::new(link);
    let keys: Vec<StoreKey> = (0..SELLERS)
        .map(|n| StoreKey::new(TOKEN_URL, &format!("access-key-{n:08}"), DEFAULT_SCOPE))
        .collect();
    let now = SystemTime::now();
    // Valid for an hour, far beyond the run, so every load is a hit.
    let token = StoredToken {
        token: BearerToken::new("x".repeat(TOKEN_LEN)),
        issued_at: now,
        expires_at: now + Duration::from_secs(3599),
    };
    let stores = [
        ("memory", &memory as &dyn TokenStore),
        ("redis", &redis as &dyn TokenStore),
    ];
    runtime.block_on(async {
        for (name, store) in stores {
            for key in &keys {
                store.save(key, &token).await.expect("saved");
            }
            let loaded = store.load(&keys[0]).await.expect("loaded");
            // Redis keeps whole seconds, so only the token itself is compared.
            assert_eq!(
                loaded.map(|loaded| loaded.token),
                Some(token.token.clone()),
                "{name} returns the token"
            );
        }
    });

    let mut group = c.benchmark_group("fleet_store_load");
    for (name, store) in [
        ("baseline_memory_load", stores[0].1),
        ("redis_load", stores[1].1),
    ] {
        let mut next = 0;
        group.bench_function(name, |b| {
            b.to_async(runtime).iter(|| {
                next = (next + 1) % keys.len();
                let key = &keys[next];
                // Checked in the loop, since a miss would be much cheaper than a hit; both
                // stores pay the same check.
                async move {
                    let loaded = store.load(key).await.expect("loaded");
                    assert!(loaded.is_some(), "a hit");
                    loaded
                }
            })
        });
    }
    group.finish();

    let mut group = c.benchmark_group("fleet_store_save");
    for (name, store) in [
        ("baseline_memory_save", stores[0].1),
        ("redis_save", stores[1].1),
    ] {
        let mut next = 0;
        group.bench_function(name, |b| {
            b.to_async(runtime).iter(|| {
                next = (next + 1) % keys.len();
                store.save(&keys[next], &token)
            })
        });
    }
    group.finish();
}

criterion_group!(benches, fleet);
criterion_main!(benches);
