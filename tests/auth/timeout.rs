//! A load (store read plus token request) that takes too long fails with
//! `AuthError::LoadTimeout` on the provider's clock, and counts as a failure for the back-off.
//! Every deadline here is reached by advancing a `ManualClock`: nothing waits in real time.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::task::{Context, Poll, Waker};
use std::time::Duration;

use toss_shopping::auth::{
    BoxFuture, ManualClock, RefreshPolicy, StoreError, StoreKey, StoredToken, TokenStore,
};
use toss_shopping::{AuthError, BearerToken, Client, Credentials, TokenProvider};

use crate::support::*;

/// A store that never answers `load` or `save`, as chosen, and counts the calls.
#[derive(Debug, Default)]
struct StuckStore {
    hang_on_load: bool,
    hang_on_save: bool,
    loads: AtomicUsize,
    save_entered: tokio::sync::Notify,
}

impl StuckStore {
    fn loads(&self) -> usize {
        self.loads.load(Ordering::SeqCst)
    }
}

fn hang_if<T: Send + 'static>(hang: bool, answer: T) -> BoxFuture<'static, T> {
    if hang {
        Box::pin(std::future::pending())
    } else {
        Box::pin(async move { answer })
    }
}

impl TokenStore for StuckStore {
    fn load<'a>(
        &'a self,
        _key: &'a StoreKey,
    ) -> BoxFuture<'a, Result<Option<StoredToken>, StoreError>> {
        self.loads.fetch_add(1, Ordering::SeqCst);
        hang_if(self.hang_on_load, Ok(None))
    }

    fn save<'a>(
        &'a self,
        _key: &'a StoreKey,
        _token: &'a StoredToken,
    ) -> BoxFuture<'a, Result<(), StoreError>> {
        self.save_entered.notify_one();
        hang_if(self.hang_on_save, Ok(()))
    }

    fn remove<'a>(&'a self, _key: &'a StoreKey) -> BoxFuture<'a, Result<(), StoreError>> {
        Box::pin(async { Ok(()) })
    }
}

fn poll<T>(call: &mut BoxFuture<'_, T>) -> Poll<T> {
    call.as_mut().poll(&mut Context::from_waker(Waker::noop()))
}

fn load_timeout() -> Duration {
    let timeout = RefreshPolicy::default().load_timeout;
    assert_eq!(timeout, Duration::from_secs(45));
    timeout
}

fn provider_with(
    store: Arc<StuckStore>,
    token_url: String,
    clock: Arc<ManualClock>,
) -> TokenProvider {
    TokenProvider::builder()
        .token_url(token_url)
        .clock(clock)
        .shared_store(store)
        .build()
        .expect("provider builds")
}

fn timed_out(error: &AuthError) {
    assert!(
        matches!(error, AuthError::LoadTimeout { after } if *after == load_timeout()),
        "{error:?}"
    );
    assert!(error.is_retryable());
    assert_hides(error, &[SECRET_KEY]);
}

/// The call right after a timeout: cooling down, with the timeout as the cause.
fn cooling_down_after_timeout(error: &AuthError, remaining: Duration) {
    match error {
        AuthError::CoolingDown {
            remaining: left,
            last,
        } => {
            assert_eq!(*left, remaining);
            timed_out(last);
        }
        other => panic!("expected CoolingDown, got {other:?}"),
    }
}

/// Polled by hand: the store never answers, so no I/O is involved and the test decides
/// exactly when each poll happens relative to the clock.
#[test]
fn a_store_that_never_answers_times_out_the_load() {
    let clock = Arc::new(ManualClock::new());
    let store = Arc::new(StuckStore {
        hang_on_load: true,
        ..StuckStore::default()
    });
    // Never contacted: the store read comes first and hangs.
    let provider = provider_with(
        store.clone(),
        "http://127.0.0.1:9/token".into(),
        clock.clone(),
    );
    let source = provider.source(Credentials::new(ACCESS_KEY, SECRET_KEY));
    let backoff = RefreshPolicy::default().initial_backoff;

    let mut call = source.token();
    assert!(poll(&mut call).is_pending());
    assert_eq!(store.loads(), 1);
    clock.advance(load_timeout() - Duration::from_secs(1));
    assert!(poll(&mut call).is_pending(), "timed out early");
    clock.advance(Duration::from_secs(1));
    match poll(&mut call) {
        Poll::Ready(Err(error)) => timed_out(&error),
        Poll::Ready(Ok(_)) => panic!("a token from a store that never answered"),
        Poll::Pending => panic!("still waiting past the load timeout"),
    }

    // A failure like any other: the next call cools down without touching the store.
    let mut again = source.token();
    match poll(&mut again) {
        Poll::Ready(Err(error)) => cooling_down_after_timeout(&error, backoff),
        other => panic!(
            "expected an immediate CoolingDown, got {:?}",
            other.map(|r| r.is_ok())
        ),
    }
    assert_eq!(store.loads(), 1, "asked the store during the cool-down");

    // After the cool-down a new load starts with a new deadline; the back-off doubles.
    clock.advance(backoff);
    let mut retry = source.token();
    assert!(poll(&mut retry).is_pending());
    assert_eq!(store.loads(), 2);
    clock.advance(load_timeout());
    assert!(matches!(
        poll(&mut retry),
        Poll::Ready(Err(AuthError::LoadTimeout { .. }))
    ));
    match poll(&mut source.token()) {
        Poll::Ready(Err(error)) => cooling_down_after_timeout(&error, backoff * 2),
        other => panic!(
            "expected an immediate CoolingDown, got {:?}",
            other.map(|r| r.is_ok())
        ),
    }
}

#[tokio::test]
async fn a_token_endpoint_that_never_answers_times_out_the_call() {
    let server = start().await; // the API: no call may reach it without a token
    let (endpoint, mut accepted) = silent_endpoint();
    let clock = Arc::new(ManualClock::new());
    let provider = TokenProvider::builder()
        .token_url(format!("{endpoint}/token"))
        .clock(clock.clone())
        .build()
        .expect("provider builds");
    let client = Client::builder()
        .base_url(server.uri())
        .token_provider(provider)
        .credentials(ACCESS_KEY, SECRET_KEY)
        .build()
        .expect("client builds");

    let call = tokio::spawn({
        let client = client.clone();
        async move { client.get_penalty_summary().await }
    });
    // The load's deadline is set before its token request goes out.
    accepted.recv().await.expect("the token request arrives");
    clock.advance(load_timeout());
    let error = auth_error(call.await.expect("the task does not panic"));
    timed_out(&error);

    let again = auth_error(client.get_penalty_summary().await);
    cooling_down_after_timeout(&again, RefreshPolicy::default().initial_backoff);
    assert!(
        accepted.try_recv().is_err(),
        "asked again during the cool-down"
    );
}

/// The token is issued, then the store hangs while saving it: the caller still gets the token
/// when the load's time runs out, and it stays cached.
#[tokio::test]
async fn a_store_that_hangs_on_save_does_not_cost_the_token() {
    let server = start().await;
    expect_token(&server, token_answer("tok-1", Some(3599)), 1).await;
    let clock = Arc::new(ManualClock::new());
    let store = Arc::new(StuckStore {
        hang_on_save: true,
        ..StuckStore::default()
    });
    let provider = provider_with(store.clone(), token_url(&server), clock.clone());
    let source = provider.source(Credentials::new(ACCESS_KEY, SECRET_KEY));

    let call = tokio::spawn({
        let source = source.clone();
        async move { source.token().await }
    });
    store.save_entered.notified().await;
    clock.advance(load_timeout());
    let token = call
        .await
        .expect("the task does not panic")
        .expect("the token, though the store never saved it");
    assert_eq!(token, BearerToken::new("tok-1"));

    assert_eq!(source.token().await.expect("cached"), token);
    assert_eq!(store.loads(), 1);
    assert_eq!(token_requests(&server).await, 1);
}
