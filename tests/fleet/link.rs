//! The link itself: commands go through, and an outage is noticed and recovered from.

use toss_shopping::fleet::{RedisLink, RedisOptions};

use crate::redis_server::RedisServer;

#[tokio::test]
async fn the_link_notices_an_outage_and_recovers_when_redis_is_back() {
    let mut redis = RedisServer::start();
    let link = RedisLink::new(RedisOptions::new(redis.url())).expect("a link");
    assert!(link.ping().await.is_ok());
    assert!(!link.is_down());

    redis.stop();
    assert!(link.ping().await.is_err());
    assert!(link.is_down());

    redis.restart();
    // The connection manager reconnects on its own; a few commands may still fail first.
    let mut back = false;
    for _ in 0..50 {
        if link.ping().await.is_ok() {
            back = true;
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    assert!(back, "Redis is back");
    assert!(!link.is_down());
}
