//! Feed checkpoints in Redis: one key per feed under the prefix, with a TTL, handed from one
//! process's feed to the next, and a Redis outage failing the poll instead of losing state.

use std::sync::Arc;
use std::time::Duration;

use toss_shopping::auth::SystemClock;
use toss_shopping::feed::{
    CheckpointError, CheckpointKey, CheckpointStore, Feed, FeedError, RedisCheckpointStore,
};
use toss_shopping::fleet::{RedisLink, RedisOptions};
use toss_shopping::local::LocalServer;
use toss_shopping::window::KstRange;
use toss_shopping::{RateLimits, RetryPolicy};

use crate::redis_server::RedisServer;

fn store(redis: &RedisServer) -> RedisCheckpointStore {
    let options = RedisOptions::new(redis.url()).prefix("feed-test:");
    RedisCheckpointStore::new(RedisLink::new(options).expect("a link"))
        .ttl(Duration::from_secs(600))
}

#[tokio::test]
async fn a_checkpoint_is_one_key_with_a_ttl_under_the_prefix() {
    let redis = RedisServer::start();
    let store = store(&redis);
    let key = CheckpointKey::new("seller-4711").unwrap();
    assert_eq!(store.load(&key).await.unwrap(), None);
    store.save(&key, b"{\"version\":1}").await.unwrap();
    store
        .save(&key, b"{\"version\":1,\"second\":true}")
        .await
        .unwrap();
    assert_eq!(
        store.load(&key).await.unwrap().as_deref(),
        Some(&b"{\"version\":1,\"second\":true}"[..])
    );

    let redis_key = store.redis_key(&key);
    assert!(redis_key.starts_with("feed-test:{"), "{redis_key}");
    assert!(redis_key.ends_with("}:feed"), "{redis_key}");
    assert!(!redis_key.contains("seller-4711"), "the tag is a hash");
    let client = redis::Client::open(redis.url()).unwrap();
    let mut connection = client.get_multiplexed_async_connection().await.unwrap();
    let ttl: i64 = redis::cmd("PTTL")
        .arg(&redis_key)
        .query_async(&mut connection)
        .await
        .unwrap();
    assert!(0 < ttl && ttl <= 600_000, "PTTL {ttl}");
    let other = store.redis_key(&CheckpointKey::new("seller-4712").unwrap());
    assert_ne!(redis_key, other);
}

#[tokio::test]
async fn a_batch_left_uncommitted_by_one_process_is_handed_out_by_the_next() {
    let redis = RedisServer::start();
    let server = LocalServer::start().await.unwrap();
    let client = server
        .client_builder()
        .rate_limits(RateLimits::Off)
        .retry(RetryPolicy::none())
        .build()
        .unwrap();
    let key = CheckpointKey::new("demo-seller").unwrap();
    // Each "process" has its own link and store.
    let feed = |redis: &RedisServer| {
        let store: Arc<dyn CheckpointStore> = Arc::new(self::store(redis));
        Feed::builder(client.clone())
            .checkpoint(store, key.clone())
            .build()
            .unwrap()
    };

    let mut first = feed(&redis);
    let batch = first.poll().await.unwrap();
    assert!(!batch.is_empty());
    drop(first); // dies before committing

    let mut second = feed(&redis);
    let again = second.poll().await.unwrap();
    assert!(again.is_replay());
    assert_eq!(again.events(), batch.events());
    second.commit(&again).await.unwrap();

    let mut third = feed(&redis);
    assert!(third.poll().await.unwrap().is_empty());
}

#[tokio::test]
async fn a_redis_outage_fails_the_poll_and_the_changes_come_out_once_it_is_back() {
    let mut redis = RedisServer::start();
    let server = LocalServer::start().await.unwrap();
    let client = server
        .client_builder()
        .rate_limits(RateLimits::Off)
        .retry(RetryPolicy::none())
        .build()
        .unwrap();
    let store: Arc<dyn CheckpointStore> = Arc::new(store(&redis));
    let mut feed = Feed::builder(client.clone())
        .checkpoint(store, CheckpointKey::new("demo-seller").unwrap())
        .build()
        .unwrap();
    let baseline = feed.poll().await.unwrap();
    feed.commit(&baseline).await.unwrap();
    let recent = KstRange::last_days(7, &SystemClock).unwrap();
    let item = client
        .list_order_products()
        .start_date(recent.first())
        .end_date(recent.last())
        .await
        .unwrap()
        .results[0]
        .stock_id
        .unwrap();
    let placed = server
        .buyer()
        .place_order(item, 1)
        .unwrap()
        .order_product_id;

    redis.stop();
    let error = feed.poll().await.unwrap_err();
    assert!(
        matches!(error, FeedError::Checkpoint(CheckpointError::Redis(_))),
        "{error}"
    );
    assert!(error.is_retryable());

    // Redis comes back (empty: it keeps nothing on disk in this test); the feed still holds
    // its last saved checkpoint, so the change it could not save comes out now.
    redis.restart();
    let mut batch = None;
    for _ in 0..50 {
        match feed.poll().await {
            Ok(polled) => {
                batch = Some(polled);
                break;
            }
            Err(FeedError::Checkpoint(CheckpointError::Redis(_))) => {
                // The connection manager reconnects on its own; a few commands may fail first.
                tokio::time::sleep(Duration::from_millis(50)).await;
            }
            Err(other) => panic!("{other}"),
        }
    }
    let batch = batch.expect("Redis is back");
    assert!(!batch.is_replay());
    let ids: Vec<&str> = batch.events().iter().map(|e| e.id.as_str()).collect();
    assert_eq!(ids, [format!("order_product:{placed}:0:PAID")]);
}
