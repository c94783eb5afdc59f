//! A Redis outage costs one warning, not one per call, and its end one note.
//!
//! A test binary of its own: tracing caches per call site whether anybody listens, so a
//! subscriber set for one test thread is only reliable when no other test runs beside it.

#[path = "common/log_capture.rs"]
mod log_capture;

#[path = "fleet/redis_server.rs"]
mod redis_server;

use log_capture::Captured;
use toss_shopping::fleet::{RedisLink, RedisOptions};

use redis_server::RedisServer;

/// How often `needle` was logged.
fn count(captured: &Captured, needle: &str) -> usize {
    captured.text().matches(needle).count()
}

const DOWN: &str = "Redis is unreachable";
const BACK: &str = "Redis answers again";

/// Pings until Redis answers, within a generous deadline (the reconnect is Redis's own).
async fn until_back(link: &RedisLink) {
    for _ in 0..100 {
        if link.ping().await.is_ok() {
            return;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    panic!("Redis did not come back");
}

#[tokio::test]
async fn one_warning_per_outage_and_one_note_when_it_ends() {
    let captured = Captured::default();
    let subscriber = tracing_subscriber::fmt()
        .with_writer(captured.clone())
        .with_max_level(tracing::Level::INFO)
        .with_ansi(false)
        .finish();
    let _guard = tracing::subscriber::set_default(subscriber);

    let mut redis = RedisServer::start();
    let link = RedisLink::new(RedisOptions::new(redis.url())).expect("a link");
    link.ping().await.expect("Redis answers");

    redis.stop();
    for _ in 0..20 {
        assert!(link.ping().await.is_err());
    }
    assert_eq!(
        count(&captured, DOWN),
        1,
        "twenty failed commands, one warning"
    );
    assert_eq!(count(&captured, BACK), 0);

    redis.restart();
    until_back(&link).await;
    for _ in 0..5 {
        link.ping().await.expect("Redis answers");
    }
    assert_eq!(count(&captured, BACK), 1, "one note when the outage ends");

    redis.stop();
    for _ in 0..5 {
        assert!(link.ping().await.is_err());
    }
    assert_eq!(
        count(&captured, DOWN),
        2,
        "a second outage, a second warning"
    );
}
