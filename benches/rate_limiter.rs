//! What the client-side rate limit costs a request that does not have to wait, against the
//! cheapest baseline measured in the same run: cloning an `Arc<str>` through the same async
//! harness. 1,000 sellers share the limiter, as in a multi-seller integration. Two rows: the
//! trait's `acquire` (a boxed future) and `reserve`, which the client calls (no future when
//! the permit is free).
//! `cargo xtask bench-report` prints the ratio.

use std::sync::Arc;
use std::time::Duration;

use criterion::{Criterion, criterion_group, criterion_main};
use toss_shopping::RateLimiter;
use toss_shopping::auth::SystemClock;
use toss_shopping::limit::{LocalRateLimiter, Quotas, Reservation, SellerKey};
use toss_shopping::operation::RateLimitClass;

fn permit(c: &mut Criterion) {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("runtime");
    // A quota this large spaces permits 1 ns apart, so no call ever waits: what is measured
    // is the bookkeeping alone.
    let unbounded = Quotas {
        read: u32::MAX,
        write: u32::MAX,
        product: u32::MAX,
    };
    let limiter = LocalRateLimiter::new(unbounded, Arc::new(SystemClock));
    let sellers: Vec<SellerKey> = (0..1_000)
        .map(|n| SellerKey::new(format!("seller-{n}")))
        .collect();
    let mut next = 0;
    let baseline: Arc<str> = Arc::from("seller-0");

    let mut group = c.benchmark_group("rate_limiter");
    group.bench_function("baseline_arc_str_clone", |b| {
        b.to_async(&runtime)
            .iter(|| async { std::hint::black_box(baseline.clone()) })
    });
    group.bench_function("permit_without_wait", |b| {
        b.to_async(&runtime).iter(|| {
            next = (next + 1) % sellers.len();
            limiter.acquire(&sellers[next], RateLimitClass::Read)
        })
    });
    // What the client itself calls: a free permit is granted without boxing a future.
    group.bench_function("reserve_without_wait", |b| {
        b.to_async(&runtime).iter(|| {
            next = (next + 1) % sellers.len();
            let reservation = limiter.reserve(&sellers[next], RateLimitClass::Read);
            async move {
                match reservation {
                    Reservation::Now => Duration::ZERO,
                    Reservation::Wait(wait) => wait.await,
                }
            }
        })
    });
    group.finish();
}

criterion_group!(benches, permit);
criterion_main!(benches);
