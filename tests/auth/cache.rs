//! The token cache: single flight under a burst of first calls, and one cache entry per
//! seller behind one provider.

use std::collections::HashMap;
use std::sync::Arc;
use std::time::Duration;

use crate::support::*;
use toss_shopping::auth::{ManualClock, MemoryTokenStore};
use toss_shopping::{Client, Credentials, TokenProvider};

const CALLS: usize = 200;

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn concurrent_first_calls_cause_exactly_one_token_request() {
    let server = start().await;
    expect_token(&server, token_answer("tok-1", Some(3599)), 1).await;
    expect_api(&server, "tok-1", penalty_ok(), CALLS as u64).await;

    let client = Arc::new(client(&server));
    // Every task waits here so that all of them ask the empty cache at once.
    let start_line = Arc::new(tokio::sync::Barrier::new(CALLS));
    let tasks: Vec<_> = (0..CALLS)
        .map(|_| {
            let client = client.clone();
            let start_line = start_line.clone();
            tokio::spawn(async move {
                start_line.wait().await;
                client.get_penalty_summary().await
            })
        })
        .collect();
    // Joined in a task of its own: awaiting 200 finished tasks here would use up this test's
    // tokio co-op budget, and `MockServer`'s drop (a `futures` block_on inside the runtime)
    // then spins forever on a lock that keeps answering "budget exhausted, try again".
    let results = tokio::spawn(async move {
        let mut results = Vec::with_capacity(CALLS);
        for task in tasks {
            results.push(task.await.expect("the task does not panic"));
        }
        results
    })
    .await
    .expect("the joining task does not panic");
    for result in results {
        assert_penalty(result);
    }
    assert_eq!(token_requests(&server).await, 1);
    assert_eq!(api_requests(&server).await, CALLS);
}

const SELLERS: [(&str, &str); 3] = [
    ("seller-a", "test-secret-key-A"),
    ("seller-b", "test-secret-key-B"),
    ("seller-c", "test-secret-key-C"),
];

fn seller_token(access_key: &str) -> String {
    format!("tok-{access_key}")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn one_provider_keeps_one_token_per_seller() {
    let server = start().await;
    for (access_key, _) in SELLERS {
        // seller-b is asked again after it is forgotten.
        let times = if access_key == "seller-b" { 2 } else { 1 };
        token_mock()
            .and(FormField("client_id", access_key.to_string()))
            .respond_with(token_answer(&seller_token(access_key), Some(3599)))
            .expect(times)
            .named(format!("POST /token for {access_key}"))
            .mount(&server)
            .await;
        // seller-a and seller-b each make one more call below.
        let calls = if access_key == "seller-c" { 2 } else { 3 };
        api_mock(&seller_token(access_key))
            .respond_with(penalty_ok())
            .expect(calls)
            .named(format!("GET penalty summary for {access_key}"))
            .mount(&server)
            .await;
    }

    let provider = TokenProvider::builder()
        .token_url(token_url(&server))
        .build()
        .expect("provider builds");
    let (first_key, first_secret) = SELLERS[0];
    let base = Client::builder()
        .base_url(server.uri())
        .token_provider(provider.clone())
        .credentials(first_key, first_secret)
        .build()
        .expect("client builds");
    let credentials: Vec<Credentials> = SELLERS
        .iter()
        .map(|(access_key, secret)| Credentials::new(*access_key, *secret))
        .collect();
    let clients: Vec<Client> = credentials
        .iter()
        .map(|creds| base.for_seller(creds.clone()))
        .collect();
    assert_eq!(provider.sellers(), 3, "one entry per access key");

    // All three sellers at once, twice: one token each, never another seller's.
    for _ in 0..2 {
        let (a, b, c) = tokio::join!(
            clients[0].get_penalty_summary(),
            clients[1].get_penalty_summary(),
            clients[2].get_penalty_summary()
        );
        for result in [a, b, c] {
            assert_penalty(result);
        }
    }
    let forms: Vec<HashMap<String, String>> = requests_to(&server, TOKEN_PATH)
        .await
        .iter()
        .map(form_fields)
        .collect();
    assert_eq!(forms.len(), 3);
    let mut asked: Vec<&str> = forms.iter().map(|f| f["client_id"].as_str()).collect();
    asked.sort();
    assert_eq!(asked, ["seller-a", "seller-b", "seller-c"]);
    for form in &forms {
        let (_, secret) = SELLERS
            .iter()
            .find(|(access_key, _)| *access_key == form["client_id"])
            .expect("a known seller");
        assert_eq!(&form["client_secret"], secret, "credentials not mixed up");
    }

    // The same seller again shares the existing entry.
    let again = base.for_seller(credentials[0].clone());
    assert_penalty(again.get_penalty_summary().await);
    assert_eq!(provider.sellers(), 3);
    assert_eq!(token_requests(&server).await, 3);

    // Forgetting a seller drops its entry; a new client for it asks for a new token.
    provider.forget(&credentials[1]).await;
    assert_eq!(provider.sellers(), 2);
    let rejoined = base.for_seller(credentials[1].clone());
    assert_eq!(provider.sellers(), 3);
    assert_penalty(rejoined.get_penalty_summary().await);
    assert_eq!(token_requests(&server).await, 4);

    // Each seller's calls carried that seller's token only.
    for request in requests_to(&server, PENALTY).await {
        let sent = request.headers["authorization"].to_str().expect("ASCII");
        assert!(
            SELLERS
                .iter()
                .any(|(access_key, _)| sent == format!("Bearer {}", seller_token(access_key))),
            "{sent}"
        );
    }
}

#[tokio::test]
async fn a_rotated_secret_key_replaces_the_old_one() {
    let server = start().await;
    let provider = TokenProvider::builder()
        .token_url(token_url(&server))
        .build()
        .expect("provider builds");
    let old = provider.source(Credentials::new(ACCESS_KEY, SECRET_KEY));
    let new = provider.source(Credentials::new(ACCESS_KEY, "rotated-secret-key-QRS"));
    assert_eq!(provider.sellers(), 1, "one entry per access key");
    token_mock()
        .and(FormField(
            "client_secret",
            "rotated-secret-key-QRS".to_string(),
        ))
        .respond_with(token_answer("tok-rotated", Some(3599)))
        .expect(1)
        .named("POST /token with the new secret")
        .mount(&server)
        .await;
    assert_eq!(new.token().await.expect("issued").secret(), "tok-rotated");
    drop(old);
}

/// A seller whose clients are all gone and whose token has expired is forgotten as new sellers
/// come; one a client still holds is kept, whatever its token. Expired tokens leave the memory
/// store too. A forgotten seller seen again starts afresh.
#[tokio::test]
async fn idle_sellers_are_forgotten_once_no_client_holds_them() {
    let server = start().await;
    token_mock()
        .respond_with(token_answer("tok-idle", Some(3599)))
        .mount(&server)
        .await;
    let clock = Arc::new(ManualClock::new());
    let store = Arc::new(MemoryTokenStore::with_clock(clock.clone()));
    let provider = TokenProvider::builder()
        .token_url(token_url(&server))
        .clock(clock.clone())
        .shared_store(store.clone())
        .build()
        .expect("provider builds");
    let seller = |name: &str| Credentials::new(name, format!("{name}-secret"));
    let held = provider.source(seller("held"));
    let gone = provider.source(seller("gone"));
    held.token().await.expect("a token");
    gone.token().await.expect("a token");
    drop(gone);

    // Two minutes on, the unheld seller's token is still valid: nothing is forgotten.
    clock.advance(Duration::from_secs(120));
    drop(provider.source(seller("newcomer-1")));
    assert_eq!(provider.sellers(), 3);

    // After expiry: the unheld sellers go (the one that never had a token too); the held one
    // stays. The next save drops the expired tokens from the store.
    clock.advance(Duration::from_secs(3_600));
    let newcomer = provider.source(seller("newcomer-2"));
    assert_eq!(provider.sellers(), 2, "the held seller and the newcomer");
    assert_eq!(store.len(), 2, "not yet pruned");
    newcomer.token().await.expect("a token");
    assert_eq!(store.len(), 1, "only the newcomer's token is left");

    // The held seller still works (a new token), and so does a forgotten one seen again.
    held.token().await.expect("a new token for the held seller");
    provider
        .source(seller("gone"))
        .token()
        .await
        .expect("a forgotten seller starts afresh");
    assert_eq!(token_requests(&server).await, 5);
}
