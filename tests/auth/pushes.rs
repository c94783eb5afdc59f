//! Rejections another process pushes through the store (`TokenStore::rejections`), with an
//! in-process stand-in for a shared store: the test plays the other process.

use std::sync::Arc;
use std::time::Duration;

use tokio::sync::broadcast;
use toss_shopping::auth::{
    BoxFuture, Credentials, MemoryTokenStore, Rejection, StoreError, StoreKey, StoredToken,
    TokenStore,
};
use toss_shopping::{BearerToken, TokenProvider};

use crate::support::*;

/// A memory store whose rejections the test sends.
#[derive(Debug)]
struct PushingStore {
    tokens: MemoryTokenStore,
    pushes: broadcast::Sender<Rejection>,
}

impl TokenStore for PushingStore {
    fn load<'a>(
        &'a self,
        key: &'a StoreKey,
    ) -> BoxFuture<'a, Result<Option<StoredToken>, StoreError>> {
        self.tokens.load(key)
    }

    fn save<'a>(
        &'a self,
        key: &'a StoreKey,
        token: &'a StoredToken,
    ) -> BoxFuture<'a, Result<(), StoreError>> {
        self.tokens.save(key, token)
    }

    fn remove<'a>(&'a self, key: &'a StoreKey) -> BoxFuture<'a, Result<(), StoreError>> {
        self.tokens.remove(key)
    }

    fn rejections(&self) -> Option<broadcast::Receiver<Rejection>> {
        Some(self.pushes.subscribe())
    }
}

fn credentials() -> Credentials {
    Credentials::new(ACCESS_KEY, SECRET_KEY)
}

async fn token_of(provider: &TokenProvider) -> String {
    let token = provider
        .source(credentials())
        .token()
        .await
        .expect("a token");
    token.secret().to_string()
}

/// Sends `rejection`, then a marker for another seller, and waits until the provider's task
/// received both: the first one has then been applied (one task, in order).
async fn push(pushes: &broadcast::Sender<Rejection>, rejection: Rejection) {
    let marker = StoreKey::new("https://elsewhere.example/token", "nobody", SCOPE);
    pushes.send(rejection).expect("the provider listens");
    pushes
        .send(Rejection::of(marker, &BearerToken::new("unrelated")))
        .expect("the provider listens");
    let deadline = tokio::time::Instant::now() + Duration::from_secs(5);
    while !pushes.is_empty() {
        assert!(tokio::time::Instant::now() < deadline, "never received");
        tokio::task::yield_now().await;
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn a_pushed_rejection_drops_only_that_token_and_leaves_a_real_401_its_refresh() {
    let server = start().await;
    tokens_in_order(&server, &["tok-1", "tok-2", "tok-3"]).await;
    let (pushes, _) = broadcast::channel(16);
    let store = PushingStore {
        tokens: MemoryTokenStore::new(),
        pushes: pushes.clone(),
    };
    let provider = TokenProvider::builder()
        .token_url(token_url(&server))
        .store(store)
        .build()
        .expect("a provider");
    let key = StoreKey::new(&token_url(&server), ACCESS_KEY, SCOPE);
    assert_eq!(token_of(&provider).await, "tok-1");

    // Another token's rejection leaves tok-1.
    push(
        &pushes,
        Rejection::of(key.clone(), &BearerToken::new("tok-0")),
    )
    .await;
    assert_eq!(token_of(&provider).await, "tok-1");
    assert_eq!(token_requests(&server).await, 1);

    // tok-1's rejection drops it; it is not taken back from the store, so tok-2 is issued.
    push(&pushes, Rejection::of(key, &BearerToken::new("tok-1"))).await;
    assert_eq!(token_of(&provider).await, "tok-2");

    // A real 401 for tok-2 right after is still acted on: the push was no forced refresh.
    provider
        .source(credentials())
        .invalidate(&BearerToken::new("tok-2"));
    assert_eq!(token_of(&provider).await, "tok-3");
    assert_eq!(token_requests(&server).await, 3);
}

#[tokio::test(flavor = "multi_thread")]
async fn the_listening_task_ends_with_the_provider() {
    let server = start().await;
    tokens_in_order(&server, &["tok-1"]).await;
    let (pushes, _) = broadcast::channel(16);
    let store = Arc::new(PushingStore {
        tokens: MemoryTokenStore::new(),
        pushes: pushes.clone(),
    });
    let provider = TokenProvider::builder()
        .token_url(token_url(&server))
        .shared_store(store)
        .build()
        .expect("a provider");
    assert_eq!(token_of(&provider).await, "tok-1");
    assert_eq!(pushes.receiver_count(), 1, "the provider listens");

    drop(provider);
    let deadline = tokio::time::Instant::now() + Duration::from_secs(5);
    while pushes.receiver_count() > 0 {
        assert!(tokio::time::Instant::now() < deadline, "still listening");
        tokio::task::yield_now().await;
    }
}
