//! Memory per idle seller: what one more seller costs an integration company that holds many,
//! against a baseline measured in the same run (the two key strings it must keep anyway).
//!
//! `cargo bench --bench seller_memory` prints bytes per seller and the ratios.

use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::Arc;
use std::sync::atomic::{AtomicIsize, Ordering};
use std::time::{Duration, SystemTime};

use toss_shopping::auth::{
    Credentials, DEFAULT_SCOPE, MemoryTokenStore, StoreKey, StoredToken, TokenProvider, TokenStore,
};
use toss_shopping::{BearerToken, Client};

/// Counts live heap bytes.
struct Counting;

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

const SELLERS: usize = 10_000;
const TOKEN_URL: &str = "http://127.0.0.1:9/token";
/// A Toss access token (a JWT) is about this long.
const TOKEN_LEN: usize = 700;

fn live() -> isize {
    LIVE.load(Ordering::Relaxed)
}

fn access_key(index: usize) -> String {
    format!("access-key-{index:08}")
}

fn secret_key(index: usize) -> String {
    format!("secret-key-{index:08}-xxxxxxxxxxxxxxxx")
}

fn per_seller(before: isize) -> f64 {
    (live() - before) as f64 / SELLERS as f64
}

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

    // Tokens as a restart would find them in a store (memory here; a file or Redis in production).
    let store = Arc::new(MemoryTokenStore::new());
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
        .shared_store(store.clone())
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

    // A base client on the same provider: each `for_seller` client reuses the seller's cache entry.
    let template = Client::builder()
        .base_url("http://127.0.0.1:9")
        .token_provider(provider.clone())
        .build()
        .expect("client");
    let before = live();
    let clients: Vec<Client> = (0..SELLERS)
        .map(|i| template.for_seller(Credentials::new(access_key(i), secret_key(i))))
        .collect();
    let client = per_seller(before);

    println!("sellers: {SELLERS}, token length {TOKEN_LEN} bytes");
    println!("baseline (access key + secret key strings): {baseline:>6.0} bytes/seller");
    println!(
        "token kept in the default memory store:     {stored:>6.0} bytes/seller ({:.1}x baseline)",
        stored / baseline
    );
    println!(
        "token cache entry (keys, state, token):     {cache:>6.0} bytes/seller ({:.1}x baseline)",
        cache / baseline
    );
    println!(
        "per-seller Client (for_seller):             {client:>6.0} bytes/seller ({:.1}x baseline)",
        client / baseline
    );
    drop((keys, sources, clients));
}
