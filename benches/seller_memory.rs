//! Memory per idle seller: what one more seller costs an integration company that holds many,
//! against a baseline measured in the same run (the two key strings it must keep anyway).
//!
//! Each part is counted on its own, in the order a client builds it up: the token in the
//! store, the provider's cache entry, a `for_seller` client, and the rate limiter's state
//! after one permit per rate-limit class. The total of the four is held against the goal of
//! issue 10: under 2 KiB per idle seller at 10,000 sellers.
//!
//! `cargo bench --bench seller_memory` prints bytes per seller and the ratios for the default
//! in-memory store and local limiter. With `--features redis` and a `redis-server` installed
//! it also measures the fleet (`RedisTokenStore` and `RedisRateLimiter` on a server of its
//! own): what then stays in this process per seller.

#[cfg(feature = "redis")]
#[path = "support/redis.rs"]
mod redis_server;

use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::Arc;
use std::sync::atomic::{AtomicIsize, Ordering};
use std::time::{Duration, SystemTime};

use tokio::runtime::Runtime;
use toss_shopping::auth::{
    Credentials, DEFAULT_SCOPE, MemoryTokenStore, StoreKey, StoredToken, SystemClock,
    TokenProvider, TokenStore,
};
use toss_shopping::limit::{LocalRateLimiter, Quotas, SellerKey};
use toss_shopping::operation::RateLimitClass;
use toss_shopping::{BearerToken, Client, RateLimiter};

/// Counts live heap bytes.
struct Counting;

/// The heap bytes allocated and not yet freed, process-wide.
static LIVE: AtomicIsize = AtomicIsize::new(0);

// SAFETY: forwards every call to the system allocator unchanged; only counts sizes.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        LIVE.fetch_add(layout.size() as isize, Ordering::Relaxed);
        // SAFETY: same layout contract as the caller's.
        unsafe { System.alloc(layout) }
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        LIVE.fetch_sub(layout.size() as isize, Ordering::Relaxed);
        // SAFETY: `ptr` was allocated by `System.alloc` with this layout.
        unsafe { System.dealloc(ptr, layout) }
    }
}

#[global_allocator]
static ALLOCATOR: Counting = Counting;

/// The sellers of a large integration company, as issue 10 counts them.
const SELLERS: usize = 10_000;
/// A dead port: the provider must adopt every token from the store, never issue one.
const TOKEN_URL: &str = "http://127.0.0.1:9/token";
/// A Toss access token (a JWT) is about this long.
const TOKEN_LEN: usize = 700;
/// Issue 10's goal for one idle seller: store token, cache entry, client and limiter state.
const GOAL: f64 = 2048.0;
/// Every class a client takes permits for; an active seller has used all three.
const CLASSES: [RateLimitClass; 3] = [
    RateLimitClass::Read,
    RateLimitClass::Write,
    RateLimitClass::Product,
];

/// The live heap bytes now.
fn live() -> isize {
    LIVE.load(Ordering::Relaxed)
}

/// The access key of seller `index`, as long as a real one.
fn access_key(index: usize) -> String {
    format!("access-key-{index:08}")
}

/// The secret key of seller `index`, as long as a real one.
fn secret_key(index: usize) -> String {
    format!("secret-key-{index:08}-xxxxxxxxxxxxxxxx")
}

/// The heap bytes added since `before`, per seller.
fn per_seller(before: isize) -> f64 {
    (live() - before) as f64 / SELLERS as f64
}

/// Bytes per seller that one scenario adds, part by part.
struct PerSeller {
    /// The token as the store keeps it in this process.
    stored: f64,
    /// The provider's cache entry (keys, state, the token it hands out).
    cache: f64,
    /// A `for_seller` client.
    client: f64,
    /// The rate limiter's state after one permit per class.
    limiter: f64,
}

impl PerSeller {
    /// What an idle seller costs in all: the four parts.
    fn total(&self) -> f64 {
        self.stored + self.cache + self.client + self.limiter
    }
}

/// Builds up 10,000 sellers on `store` and `limiter` the way an integration does, counting
/// each part: tokens saved to the store (as a restart would find them), adopted by a provider
/// on it, a `for_seller` client per seller on a base client with `limiter`, then one permit
/// per seller and class from `limiter`, keyed as a client keys them.
fn scenario(
    runtime: &Runtime,
    store: Arc<dyn TokenStore>,
    limiter: Arc<dyn RateLimiter>,
) -> PerSeller {
    let now = SystemTime::now();
    let token_text = "x".repeat(TOKEN_LEN);
    let before = live();
    for i in 0..SELLERS {
        let key = StoreKey::new(TOKEN_URL, &access_key(i), DEFAULT_SCOPE);
        let token = StoredToken {
            token: BearerToken::new(token_text.as_str()),
            issued_at: now,
            expires_at: now + Duration::from_secs(3599),
        };
        runtime.block_on(store.save(&key, &token)).expect("saved");
    }
    let stored = per_seller(before);

    let provider = TokenProvider::builder()
        .token_url(TOKEN_URL)
        .shared_store(store)
        .build()
        .expect("provider");
    let before = live();
    let sources: Vec<_> = (0..SELLERS)
        .map(|i| provider.source(Credentials::new(access_key(i), secret_key(i))))
        .collect();
    for source in &sources {
        runtime
            .block_on(source.token())
            .expect("token adopted from the store");
    }
    let cache = per_seller(before);

    // A base client on the same provider: each `for_seller` client reuses the seller's cache
    // entry and shares the limiter.
    let template = Client::builder()
        .base_url("http://127.0.0.1:9")
        .token_provider(provider.clone())
        .rate_limiter(limiter.clone())
        .build()
        .expect("client");
    let before = live();
    let clients: Vec<Client> = (0..SELLERS)
        .map(|i| template.for_seller(Credentials::new(access_key(i), secret_key(i))))
        .collect();
    let client = per_seller(before);

    // The key a client derives from the access key (`TokenSource::seller_key`). A client
    // holds it already (counted in its row) and the limiter shares it, so it is made before
    // the count starts: the row is the limiter's own state.
    let seller_keys: Vec<SellerKey> = (0..SELLERS)
        .map(|i| SellerKey::hashed(&access_key(i)))
        .collect();
    let before = live();
    for key in &seller_keys {
        // The first permit of a key never waits for a slot, so this takes no sleeping.
        for class in CLASSES {
            runtime.block_on(limiter.acquire(key, class));
        }
    }
    let limiter = per_seller(before);

    drop((sources, clients, seller_keys));
    PerSeller {
        stored,
        cache,
        client,
        limiter,
    }
}

/// Prints one row: bytes per seller and the ratio to the baseline.
fn row(what: &str, bytes: f64, baseline: f64) {
    println!(
        "{what:<50} {bytes:>6.0} bytes/seller ({:.1}x baseline)",
        bytes / baseline
    );
}

/// Prints the total and whether it meets the 2 KiB goal, and by how much.
fn total(what: &str, parts: &PerSeller) {
    let total = parts.total();
    let verdict = if total < GOAL { "met" } else { "missed" };
    println!("{what:<50} {total:>6.0} bytes/seller");
    println!(
        "goal: < {GOAL:.0} bytes/seller: {verdict} by {:.0}",
        (GOAL - total).abs()
    );
}

/// Measures the baseline and each scenario, and prints the rows.
fn main() {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("runtime");

    // Baseline: the integrator's own copy of each seller's keys.
    let before = live();
    let keys: Vec<(String, String)> = (0..SELLERS)
        .map(|i| (access_key(i), secret_key(i)))
        .collect();
    let baseline = per_seller(before);

    // The defaults: tokens in memory (a file store keeps them on disk instead), the local
    // limiter on the vendor's quotas, as a client builds it.
    let memory = scenario(
        &runtime,
        Arc::new(MemoryTokenStore::new()),
        Arc::new(LocalRateLimiter::new(Quotas::VENDOR, Arc::new(SystemClock))),
    );

    println!("sellers: {SELLERS}, token length {TOKEN_LEN} bytes");
    println!(
        "{:<50} {baseline:>6.0} bytes/seller",
        "baseline (access key + secret key strings):"
    );
    row(
        "token kept in the default memory store:",
        memory.stored,
        baseline,
    );
    row(
        "token cache entry (keys, state, token):",
        memory.cache,
        baseline,
    );
    println!("  (shares the store's copy of the token, counted in the row above)");
    row("per-seller Client (for_seller):", memory.client, baseline);
    println!(
        "  (of which the Client value itself: {} bytes)",
        std::mem::size_of::<Client>()
    );
    row(
        "rate-limiter state (LocalRateLimiter, 3 classes):",
        memory.limiter,
        baseline,
    );
    total("total (store + cache + client + limiter):", &memory);

    #[cfg(feature = "redis")]
    fleet::run(&runtime, baseline);

    drop(keys);
}

/// The fleet scenario: tokens in Redis, permits from Redis.
#[cfg(feature = "redis")]
mod fleet {
    use std::sync::Arc;

    use tokio::runtime::Runtime;
    use toss_shopping::auth::SystemClock;
    use toss_shopping::fleet::{RedisLink, RedisOptions, RedisRateLimiter, RedisTokenStore};
    use toss_shopping::limit::Quotas;

    use super::redis_server::RedisServer;
    use super::{row, scenario, total};

    /// Runs the scenario on a `redis-server` of its own and prints what stays in the process;
    /// skips with a message when no server can be started.
    pub(super) fn run(runtime: &Runtime, baseline: f64) {
        let Some(server) = RedisServer::start() else {
            println!("fleet: skipped, no redis-server could be started");
            return;
        };
        // The link spawns its connection task, so it is made inside the runtime.
        let link = runtime.block_on(async {
            let link = RedisLink::new(RedisOptions::new(server.url())).expect("a link");
            link.ping().await.expect("Redis answers");
            link
        });
        let limiter = Arc::new(RedisRateLimiter::new(
            link.clone(),
            Quotas::VENDOR,
            Arc::new(SystemClock),
        ));
        let fleet = scenario(
            runtime,
            Arc::new(RedisTokenStore::new(link)),
            limiter.clone(),
        );
        // Its fallback holds keys only for permits taken while Redis failed: none were.
        assert_eq!(limiter.local_keys(), 0, "every permit came from Redis");

        println!();
        println!("fleet (RedisTokenStore + RedisRateLimiter), what stays in this process:");
        row(
            "token saved to Redis (left in this process):",
            fleet.stored,
            baseline,
        );
        row(
            "token cache entry (keys, state, token):",
            fleet.cache,
            baseline,
        );
        // The memory store and the cache share one `Arc<str>` of the token; a token read
        // from Redis is the cache's own copy, so it moves from the store row to this one.
        println!("  (holds its own copy of the token, decoded from Redis)");
        row("per-seller Client (for_seller):", fleet.client, baseline);
        row(
            "rate-limiter state (RedisRateLimiter):",
            fleet.limiter,
            baseline,
        );
        total("total (store + cache + client + limiter):", &fleet);
    }
}
