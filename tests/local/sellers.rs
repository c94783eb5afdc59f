//! Several sellers on one server: each with its own keys, tokens, quota and data.

use std::sync::Arc;

use futures_util::TryStreamExt;
use toss_shopping::auth::ManualClock;
use toss_shopping::limit::Quotas;
use toss_shopping::local::{LocalServer, Seed};
use toss_shopping::{Client, Credentials, Error, ErrorCode, RateLimits, RetryPolicy};

fn second() -> Credentials {
    Credentials::new("second-seller-access", "second-seller-secret")
}

fn client_of(server: &LocalServer, credentials: &Credentials, clock: &Arc<ManualClock>) -> Client {
    server
        .client_builder_for(credentials)
        .clock(clock.clone())
        .rate_limits(RateLimits::Off)
        .retry(RetryPolicy::none())
        .build()
        .expect("client")
}

async fn two_sellers(seed: Seed, quotas: Quotas) -> (LocalServer, Client, Client) {
    let clock = Arc::new(ManualClock::new());
    let server = LocalServer::builder()
        .clock(clock.clone())
        .quotas(quotas)
        .seller(second(), seed)
        .start()
        .await
        .expect("server");
    let first = client_of(&server, &server.credentials(), &clock);
    let other = client_of(&server, &second(), &clock);
    (server, first, other)
}

#[tokio::test]
async fn a_sellers_products_are_invisible_to_another_seller() {
    let (server, first, other) = two_sellers(Seed::Empty, Quotas::VENDOR).await;
    let products: Vec<_> = first
        .list_products()
        .size(50)
        .stream()
        .try_collect()
        .await
        .expect("the demo seller's products");
    let product_id = products
        .iter()
        .find_map(|p| p.id)
        .expect("the demo data has products");

    let theirs: Vec<_> = other
        .list_products()
        .size(50)
        .stream()
        .try_collect()
        .await
        .expect("the second seller's products");
    assert!(theirs.is_empty(), "an empty seller has no products");
    let error = other
        .get_product()
        .product_id(product_id)
        .await
        .expect_err("not theirs");
    assert_eq!(error.code(), Some(&ErrorCode::NotFound), "{error:?}");
    assert_eq!(server.tokens_issued(), 2, "one token per seller");
}

#[tokio::test]
async fn a_seller_over_its_quota_does_not_throttle_another() {
    let quotas = Quotas {
        read: 2,
        write: 30,
        product: 10,
    };
    let (_server, first, other) = two_sellers(Seed::Demo, quotas).await;
    first.get_penalty_summary().await.expect("1");
    first.get_penalty_summary().await.expect("2");
    let error = first.get_penalty_summary().await.expect_err("over");
    assert!(matches!(error, Error::RateLimited { .. }), "{error:?}");
    other
        .get_penalty_summary()
        .await
        .expect("the other seller has its own quota");
}

#[tokio::test]
async fn a_token_of_one_seller_is_never_taken_for_another() {
    let (server, first, other) = two_sellers(Seed::Demo, Quotas::VENDOR).await;
    first.get_penalty_summary().await.expect("first");
    other.get_penalty_summary().await.expect("other");
    assert_eq!(server.tokens_issued(), 2);
    assert_eq!(server.sellers().len(), 2);
}

#[tokio::test]
async fn the_servers_debug_shows_no_secret_token_or_buyer() {
    let (server, first, _other) = two_sellers(Seed::Demo, Quotas::VENDOR).await;
    first
        .get_penalty_summary()
        .await
        .expect("a call, so a token exists");
    let shown = format!("{server:?}");
    for secret in [
        "second-seller-secret",
        toss_shopping::local::DEMO_SECRET_KEY,
        "local.",
    ] {
        assert!(!shown.contains(secret), "{secret} in {shown}");
    }
    assert!(!shown.contains("010-"), "a phone number in {shown}");
}
