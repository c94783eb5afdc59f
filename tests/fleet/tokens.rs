//! The Redis token store within one test process: several providers, each with its own link
//! and cache, stand for the processes of a fleet.

use std::time::Duration;

use toss_shopping::TokenProvider;
use toss_shopping::auth::{AuthError, BearerToken, Credentials, StoreKey, TokenStore};
use toss_shopping::fleet::{RedisLink, RedisOptions, RedisTokenStore};

use crate::redis_server::RedisServer;
use crate::token_server::{
    ACCESS_KEY, TokenServer, credentials, fleet_link, fleet_provider, wait_until_up,
};

const LOCK: Duration = Duration::from_secs(5);

fn plain(options: RedisOptions) -> RedisOptions {
    options
}

async fn token_of(provider: &TokenProvider) -> Result<String, AuthError> {
    token_for(provider, credentials()).await
}

async fn token_for(provider: &TokenProvider, seller: Credentials) -> Result<String, AuthError> {
    let token = provider.source(seller).token().await?;
    Ok(token.secret().to_string())
}

/// A second seller, whose token serves as a marker: rejections arrive in order.
fn other_seller() -> Credentials {
    Credentials::new("fleet-other-access-key", "fleet-other-secret-key")
}

/// How long a pushed rejection may take to arrive (pub/sub is asynchronous); only a broken
/// push takes this long.
const PUSH: Duration = Duration::from_secs(5);

/// Waits until `seller`'s token in `provider` is no longer `old`, by looking every 20 ms (a
/// look at a cached token asks nobody), and returns the new one.
async fn wait_for_change(provider: &TokenProvider, seller: Credentials, old: &str) -> String {
    let deadline = tokio::time::Instant::now() + PUSH;
    loop {
        let token = token_for(provider, seller.clone()).await.expect("a token");
        if token != old {
            return token;
        }
        assert!(
            tokio::time::Instant::now() < deadline,
            "the rejection never arrived: still {old}"
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

/// Waits until `n` connections listen for token rejections (readiness: a rejection published
/// earlier would reach nobody).
async fn wait_for_subscribers(redis_url: &str, n: i64) {
    let channel = RedisOptions::new(redis_url).keys().token_rejected();
    let deadline = tokio::time::Instant::now() + crate::token_server::DEADLINE;
    loop {
        let listening = async {
            let client = redis::Client::open(redis_url).ok()?;
            let mut connection = client.get_multiplexed_async_connection().await.ok()?;
            let counts: Vec<(String, i64)> = redis::cmd("PUBSUB")
                .arg("NUMSUB")
                .arg(&channel)
                .query_async(&mut connection)
                .await
                .ok()?;
            counts.first().map(|(_, count)| *count)
        };
        if listening.await == Some(n) {
            return;
        }
        assert!(
            tokio::time::Instant::now() < deadline,
            "the subscribers never came"
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

fn seller_key(endpoint: &TokenServer, seller: &Credentials) -> StoreKey {
    StoreKey::new(
        &endpoint.url(),
        seller.access_key(),
        toss_shopping::auth::DEFAULT_SCOPE,
    )
}

#[tokio::test(flavor = "multi_thread")]
async fn a_token_is_kept_as_json_with_a_ttl_of_its_remaining_lifetime_under_the_hashed_key() {
    let redis = RedisServer::start();
    let endpoint = TokenServer::start(Duration::ZERO).await;
    let (provider, _) = fleet_provider(&redis.url(), &endpoint.url(), plain, LOCK);
    assert_eq!(token_of(&provider).await.expect("a token"), "tok-1");

    let key = StoreKey::new(
        &endpoint.url(),
        ACCESS_KEY,
        toss_shopping::auth::DEFAULT_SCOPE,
    );
    let token_key = RedisOptions::new(redis.url()).keys().token(key.as_str());
    let client = redis::Client::open(redis.url()).expect("a client");
    let mut connection = client
        .get_multiplexed_async_connection()
        .await
        .expect("a connection");
    let json: String = redis::cmd("GET")
        .arg(&token_key)
        .query_async(&mut connection)
        .await
        .expect("the token entry");
    let entry: serde_json::Value = serde_json::from_str(&json).expect("JSON");
    assert_eq!(entry["access_token"], "tok-1");
    assert!(entry["issued_at"].is_u64() && entry["expires_at"].is_u64());
    let ttl: i64 = redis::cmd("PTTL")
        .arg(&token_key)
        .query_async(&mut connection)
        .await
        .expect("a TTL");
    assert!(ttl > 3_500_000 && ttl <= 3_599_000, "TTL {ttl} ms");
    let keys: Vec<String> = redis::cmd("KEYS")
        .arg("*")
        .query_async(&mut connection)
        .await
        .expect("the keys");
    assert_eq!(
        keys,
        vec![token_key],
        "the lock is gone, nothing else is kept"
    );
    assert!(!json.contains(crate::token_server::SECRET_KEY));
}

#[tokio::test(flavor = "multi_thread")]
async fn during_an_outage_tokens_come_from_each_process_and_after_it_the_fleet_shares_again() {
    let mut redis = RedisServer::start();
    let endpoint = TokenServer::start(Duration::ZERO).await;
    let (first, _) = fleet_provider(&redis.url(), &endpoint.url(), plain, LOCK);
    let (second, _) = fleet_provider(&redis.url(), &endpoint.url(), plain, LOCK);
    assert_eq!(token_of(&first).await.expect("a token"), "tok-1");
    assert_eq!(token_of(&second).await.expect("shared"), "tok-1");
    assert_eq!(endpoint.requests(), 1);

    redis.stop();
    // A process started during the outage issues its own token and keeps it in memory.
    let (lonely, _) = fleet_provider(&redis.url(), &endpoint.url(), plain, LOCK);
    assert_eq!(token_of(&lonely).await.expect("a local token"), "tok-2");
    assert_eq!(token_of(&lonely).await.expect("from memory"), "tok-2");
    assert_eq!(token_of(&first).await.expect("from memory"), "tok-1");
    assert_eq!(endpoint.requests(), 2);

    redis.restart();
    let (third, third_link) = fleet_provider(&redis.url(), &endpoint.url(), plain, LOCK);
    let (fourth, fourth_link) = fleet_provider(&redis.url(), &endpoint.url(), plain, LOCK);
    wait_until_up(&third_link).await;
    wait_until_up(&fourth_link).await;
    assert_eq!(token_of(&third).await.expect("a token"), "tok-3");
    assert_eq!(token_of(&fourth).await.expect("shared again"), "tok-3");
    assert_eq!(endpoint.requests(), 3);
}

#[tokio::test(flavor = "multi_thread")]
async fn a_rejected_token_is_dropped_fleet_wide_but_a_newer_one_is_not() {
    let redis = RedisServer::start();
    let endpoint = TokenServer::start(Duration::ZERO).await;
    let (first, _) = fleet_provider(&redis.url(), &endpoint.url(), plain, LOCK);
    let (second, _) = fleet_provider(&redis.url(), &endpoint.url(), plain, LOCK);
    let old = BearerToken::new("tok-1");
    assert_eq!(token_of(&first).await.expect("a token"), "tok-1");
    assert_eq!(token_of(&second).await.expect("shared"), "tok-1");

    // The first process sees a 401: tok-1 leaves Redis, and it issues tok-2.
    first.source(credentials()).invalidate(&old);
    assert_eq!(token_of(&first).await.expect("a new token"), "tok-2");
    // A cold process now gets tok-2, never the rejected tok-1.
    let (cold, _) = fleet_provider(&redis.url(), &endpoint.url(), plain, LOCK);
    assert_eq!(token_of(&cold).await.expect("the new token"), "tok-2");

    // The second process sees its own 401 for tok-1 later (the push of the rejection, see
    // below, may not have reached it yet): tok-2 stays, and it takes it.
    second.source(credentials()).invalidate(&old);
    assert_eq!(token_of(&second).await.expect("the new token"), "tok-2");
    assert_eq!(endpoint.requests(), 2);
}

#[tokio::test(flavor = "multi_thread")]
async fn a_warm_process_drops_a_token_another_saw_rejected_without_its_own_401() {
    let (_redis, endpoint, _first, _second) = two_processes_after_a_pushed_rejection().await;
    assert_eq!(endpoint.requests(), 2);
}

/// Two processes share tok-1 through Redis and listen for rejections; the first sees a 401
/// and issues tok-2; the second, with no 401 of its own, drops tok-1 on the push and takes
/// tok-2 from Redis. Gives the server, the endpoint and the two providers.
async fn two_processes_after_a_pushed_rejection()
-> (RedisServer, TokenServer, TokenProvider, TokenProvider) {
    let redis = RedisServer::start();
    let endpoint = TokenServer::start(Duration::ZERO).await;
    let (first, _) = fleet_provider(&redis.url(), &endpoint.url(), plain, LOCK);
    let (second, _) = fleet_provider(&redis.url(), &endpoint.url(), plain, LOCK);
    assert_eq!(token_of(&first).await.expect("a token"), "tok-1");
    assert_eq!(token_of(&second).await.expect("shared"), "tok-1");
    wait_for_subscribers(&redis.url(), 2).await;

    first
        .source(credentials())
        .invalidate(&BearerToken::new("tok-1"));
    assert_eq!(token_of(&first).await.expect("a new token"), "tok-2");
    let taken = wait_for_change(&second, credentials(), "tok-1").await;
    assert_eq!(taken, "tok-2", "taken from Redis, not issued");
    (redis, endpoint, first, second)
}

#[tokio::test(flavor = "multi_thread")]
async fn a_pushed_rejection_of_an_older_token_leaves_the_newer_one() {
    let (redis, endpoint, _first, second) = two_processes_after_a_pushed_rejection().await;
    // A marker: the other seller's token, which the second process holds.
    assert_eq!(
        token_for(&second, other_seller()).await.expect("a token"),
        "tok-3"
    );

    // tok-2 leaves Redis, so a second process that wrongly dropped it would have to issue one.
    let late = RedisTokenStore::new(fleet_link(&redis.url()).await);
    let key = seller_key(&endpoint, &credentials());
    late.remove(&key).await.expect("removed");
    // A late report of tok-1, then the marker's rejection: they arrive in this order.
    late.discard(&key, &BearerToken::new("tok-1"))
        .await
        .expect("announced");
    late.discard(
        &seller_key(&endpoint, &other_seller()),
        &BearerToken::new("tok-3"),
    )
    .await
    .expect("announced");
    assert_eq!(
        wait_for_change(&second, other_seller(), "tok-3").await,
        "tok-4"
    );

    assert_eq!(token_of(&second).await.expect("kept"), "tok-2");
    assert_eq!(endpoint.requests(), 4);
}

#[tokio::test(flavor = "multi_thread")]
async fn after_a_redis_restart_the_rejections_are_pushed_again() {
    let mut redis = RedisServer::start();
    let endpoint = TokenServer::start(Duration::ZERO).await;
    let (first, first_link) = fleet_provider(&redis.url(), &endpoint.url(), plain, LOCK);
    let (second, second_link) = fleet_provider(&redis.url(), &endpoint.url(), plain, LOCK);
    assert_eq!(token_of(&first).await.expect("a token"), "tok-1");
    assert_eq!(token_of(&second).await.expect("shared"), "tok-1");
    wait_for_subscribers(&redis.url(), 2).await;

    // Redis comes back empty; both processes keep tok-1 in memory and subscribe again.
    redis.restart();
    wait_until_up(&first_link).await;
    wait_until_up(&second_link).await;
    wait_for_subscribers(&redis.url(), 2).await;

    first
        .source(credentials())
        .invalidate(&BearerToken::new("tok-1"));
    assert_eq!(token_of(&first).await.expect("a new token"), "tok-2");
    assert_eq!(
        wait_for_change(&second, credentials(), "tok-1").await,
        "tok-2"
    );
    assert_eq!(endpoint.requests(), 2);
}

#[tokio::test]
async fn discard_compares_before_it_deletes() {
    let redis = RedisServer::start();
    let store =
        RedisTokenStore::new(RedisLink::new(RedisOptions::new(redis.url())).expect("a link"));
    let key = StoreKey::new("https://token.example", ACCESS_KEY, "scope");
    let now = std::time::SystemTime::now();
    let stored = toss_shopping::auth::StoredToken {
        token: BearerToken::new("current"),
        issued_at: now,
        expires_at: now + Duration::from_secs(600),
    };
    store.save(&key, &stored).await.expect("saved");
    store
        .discard(&key, &BearerToken::new("older"))
        .await
        .expect("no error");
    let kept = store
        .load(&key)
        .await
        .expect("loaded")
        .expect("still there");
    assert_eq!(kept.token, stored.token);
    store
        .discard(&key, &BearerToken::new("current"))
        .await
        .expect("no error");
    assert_eq!(store.load(&key).await.expect("loaded"), None);
}

#[tokio::test(flavor = "multi_thread")]
async fn strict_mode_fails_closed_while_redis_is_down() {
    let mut redis = RedisServer::start();
    redis.stop();
    let endpoint = TokenServer::start(Duration::ZERO).await;
    let (strict, _) = fleet_provider(&redis.url(), &endpoint.url(), |o| o.strict(true), LOCK);
    let error = token_of(&strict).await.expect_err("no token without Redis");
    assert!(matches!(error, AuthError::Store { .. }), "{error:?}");
    assert!(error.is_retryable());
    assert_eq!(endpoint.requests(), 0, "no token was issued");

    // The same setup without strict mode carries on.
    let (lenient, _) = fleet_provider(&redis.url(), &endpoint.url(), plain, LOCK);
    assert_eq!(token_of(&lenient).await.expect("a local token"), "tok-1");
}
