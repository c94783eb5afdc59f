//! Load contention: many tasks hammering one seller's source across several token lifetimes,
//! driven by a manual clock. Each period costs exactly one token request, and every caller
//! gets a token that is valid at that moment.

use std::sync::Arc;
use std::time::Duration;

use toss_shopping::auth::{ManualClock, RefreshPolicy};
use toss_shopping::{BearerToken, Credentials, TokenProvider, TokenSource};

use crate::support::*;

const TASKS: usize = 150;
const LIFETIME: Duration = Duration::from_secs(3599);
/// Hard expiry: a token is never handed out in its last 30 seconds.
const HARD_MARGIN: Duration = Duration::from_secs(30);

/// `TASKS` concurrent `token()` calls released together; every call must succeed.
async fn hammer(source: &Arc<dyn TokenSource>) -> Vec<BearerToken> {
    let start_line = Arc::new(tokio::sync::Barrier::new(TASKS));
    let tasks: Vec<_> = (0..TASKS)
        .map(|_| {
            let source = source.clone();
            let start_line = start_line.clone();
            tokio::spawn(async move {
                start_line.wait().await;
                source.token().await
            })
        })
        .collect();
    // Joined in a task of its own: awaiting this many finished tasks in the test body uses
    // up its co-op budget, and `MockServer`'s drop then spins (see cache.rs).
    tokio::spawn(async move {
        let mut tokens = Vec::with_capacity(TASKS);
        for task in tasks {
            let result = task.await.expect("the task does not panic");
            tokens.push(result.expect("every caller gets a token"));
        }
        tokens
    })
    .await
    .expect("the joining task does not panic")
}

fn token(name: &str) -> BearerToken {
    BearerToken::new(name)
}

/// Every token in `got` is one of `valid`.
fn assert_all_in(got: &[BearerToken], valid: &[&str], period: &str) {
    for token in got {
        assert!(
            valid.iter().any(|name| token.secret() == *name),
            "{period}: a caller got {}, valid now: {valid:?}",
            token.secret()
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn many_callers_cause_one_token_request_per_token_lifetime() {
    let server = start().await;
    tokens_in_order(
        &server,
        &["tok-1", "tok-2", "tok-3", "tok-4", "tok-5", "tok-6"],
    )
    .await;
    let clock = Arc::new(ManualClock::new());
    let provider = TokenProvider::builder()
        .token_url(token_url(&server))
        .clock(clock.clone())
        .build()
        .expect("provider builds");
    let source = provider.source(Credentials::new(ACCESS_KEY, SECRET_KEY));

    // Past the latest possible refresh point (whatever the jitter), before the hard expiry.
    let due = LIFETIME - RefreshPolicy::default().refresh_ahead(LIFETIME) + Duration::from_secs(1);
    // Just past the hard expiry.
    let expired = LIFETIME - HARD_MARGIN + Duration::from_secs(1);
    assert!(due < expired);

    // Empty cache: everyone waits for the one request.
    assert_all_in(&hammer(&source).await, &["tok-1"], "first calls");
    assert_eq!(token_requests(&server).await, 1);

    for round in 0..2 {
        // tok-{n} is in use; tok-{n+1} and tok-{n+2} are the next two the endpoint issues.
        let n = 1 + 2 * round;
        let (mid, new) = (format!("tok-{}", n + 1), format!("tok-{}", n + 2));

        // Hard-expired: the old token is no longer valid, so everyone gets the new one.
        clock.advance(expired);
        let got = hammer(&source).await;
        assert_all_in(&got, &[&mid], "after expiry");
        assert_eq!(token_requests(&server).await, n + 1, "after expiry");

        // Due: one caller refreshes, the others keep the still-valid current token.
        clock.advance(due);
        let got = hammer(&source).await;
        assert_all_in(&got, &[&mid, &new], "in the refresh window");
        assert!(
            got.contains(&token(&new)),
            "the refresher got the new token"
        );
        assert_eq!(
            token_requests(&server).await,
            n + 2,
            "in the refresh window"
        );
        assert_eq!(source.token().await.expect("cached"), token(&new));
    }
    assert_eq!(token_requests(&server).await, 5);

    clock.advance(expired);
    assert_all_in(&hammer(&source).await, &["tok-6"], "last expiry");
    assert_eq!(token_requests(&server).await, 6);
}
