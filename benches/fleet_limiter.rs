//! What a permit from the fleet's Redis limiter costs against the in-process limiter, in the
//! same run: 1,000 sellers, quotas so large that no call waits, so what is measured is the
//! bookkeeping (for Redis: one `EVALSHA` round trip on loopback).
//!
//! Starts its own `redis-server` on a free port (as the fleet tests do) and skips with a
//! message when none is installed. `cargo bench --features redis --bench fleet_limiter`.

use std::net::TcpStream;
use std::process::{Child, Command, Stdio};
use std::sync::Arc;
use std::time::{Duration, Instant};

use criterion::{Criterion, criterion_group, criterion_main};
use toss_shopping::RateLimiter;
use toss_shopping::auth::SystemClock;
use toss_shopping::fleet::{RedisLink, RedisOptions, RedisRateLimiter};
use toss_shopping::limit::{LocalRateLimiter, Quotas, SellerKey};
use toss_shopping::operation::RateLimitClass;

/// A quota this large spaces permits a microsecond apart: no call ever waits.
const UNBOUNDED: Quotas = Quotas {
    read: u32::MAX,
    write: u32::MAX,
    product: u32::MAX,
};

/// The benchmark's own `redis-server`, killed when dropped.
struct Server(Child);

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn start_redis() -> Option<(Server, u16)> {
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .ok()?
        .local_addr()
        .ok()?
        .port();
    let child = Command::new("redis-server")
        .args(["--port", &port.to_string(), "--bind", "127.0.0.1"])
        .args(["--save", "", "--appendonly", "no"])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .ok()?;
    let server = Server(child);
    let deadline = Instant::now() + Duration::from_secs(10);
    while TcpStream::connect(("127.0.0.1", port)).is_err() {
        if Instant::now() > deadline {
            return None;
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    Some((server, port))
}

fn permit(c: &mut Criterion) {
    let Some((_server, port)) = start_redis() else {
        eprintln!(
            "fleet_limiter: skipped, no redis-server could be started (apt-get install redis-server)"
        );
        return;
    };
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("runtime");
    let redis = runtime.block_on(async {
        let link = RedisLink::new(RedisOptions::new(format!("redis://127.0.0.1:{port}/")))
            .expect("a link");
        link.ping().await.expect("Redis answers");
        RedisRateLimiter::new(link, UNBOUNDED, Arc::new(SystemClock))
    });
    let local = LocalRateLimiter::new(UNBOUNDED, Arc::new(SystemClock));
    let sellers: Vec<SellerKey> = (0..1_000)
        .map(|n| SellerKey::new(format!("seller-{n}")))
        .collect();

    let mut group = c.benchmark_group("fleet_limiter");
    for (name, limiter) in [
        ("local_permit", &local as &dyn RateLimiter),
        ("redis_permit", &redis as &dyn RateLimiter),
    ] {
        let mut next = 0;
        group.bench_function(name, |b| {
            b.to_async(&runtime).iter(|| {
                next = (next + 1) % sellers.len();
                limiter.acquire(&sellers[next], RateLimitClass::Read)
            })
        });
    }
    group.finish();
    assert_eq!(redis.local_keys(), 0, "every permit came from Redis");
}

criterion_group!(benches, permit);
criterion_main!(benches);
