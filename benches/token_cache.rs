//! The cost of getting a cached token on every request, against the cheapest possible
//! baseline measured in the same run: cloning an `Arc<str>` through the same async harness.
//! `cargo xtask bench-report` prints the ratio.

use std::sync::Arc;
use std::time::{Duration, SystemTime};

use criterion::{Criterion, criterion_group, criterion_main};
use toss_shopping::BearerToken;
use toss_shopping::auth::{
    Credentials, DEFAULT_SCOPE, MemoryTokenStore, StoreKey, StoredToken, TokenProvider, TokenStore,
};

/// Never contacted: the token is already in the store.
const TOKEN_URL: &str = "http://127.0.0.1:9/token";

fn cached_token(c: &mut Criterion) {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("runtime");
    let store = Arc::new(MemoryTokenStore::new());
    let key = StoreKey::new(TOKEN_URL, "bench-access-key", DEFAULT_SCOPE);
    let now = SystemTime::now();
    let stored = StoredToken {
        token: BearerToken::new("bench-token"),
        issued_at: now,
        expires_at: now + Duration::from_secs(3599),
    };
    runtime.block_on(store.save(&key, &stored)).expect("stored");
    let provider = TokenProvider::builder()
        .token_url(TOKEN_URL)
        .shared_store(store)
        .build()
        .expect("provider");
    let source = provider.source(Credentials::new("bench-access-key", "bench-secret-key"));
    runtime.block_on(source.token()).expect("warm cache");
    let baseline: Arc<str> = Arc::from("bench-token");

    let mut group = c.benchmark_group("token");
    group.bench_function("baseline_arc_str_clone", |b| {
        b.to_async(&runtime)
            .iter(|| async { std::hint::black_box(baseline.clone()) })
    });
    group.bench_function("cached_token", |b| {
        b.to_async(&runtime).iter(|| source.token())
    });
    group.finish();
}

criterion_group!(benches, cached_token);
criterion_main!(benches);
