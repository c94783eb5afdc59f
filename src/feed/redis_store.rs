//! [`RedisCheckpointStore`]: feed checkpoints in the fleet's Redis, for feeds that move
//! between processes or machines.

use std::time::Duration;

use sha2::{Digest, Sha256};

use super::checkpoint::{CheckpointError, CheckpointKey};
use super::store::CheckpointStore;
use crate::auth::BoxFuture;
use crate::fleet::RedisLink;

/// How long a checkpoint outlives its last save by default: the default look-back plus two
/// weeks. A feed stopped for longer starts over, announcing its look-back again.
const DEFAULT_TTL: Duration = Duration::from_secs(45 * 24 * 3600);

/// Keeps feed checkpoints in Redis through the fleet's [`RedisLink`].
///
/// Each checkpoint is one string key, `<prefix>{<sha256 of the checkpoint key>}:feed` (see
/// [`KeyLayout::feed_checkpoint`](crate::fleet::KeyLayout::feed_checkpoint)), written with
/// `SET .. PX`, so a save replaces it in one step and every save renews its TTL (default 45
/// days, [`ttl`](Self::ttl)).
///
/// Unlike the token store and the limiter, it never falls back to local state: a checkpoint
/// kept only in one process's memory would be lost or replayed on the next run. A Redis
/// fault fails the poll or the commit with [`CheckpointError::Redis`]; nothing is committed
/// and the next poll tries again.
#[derive(Debug, Clone)]
pub struct RedisCheckpointStore {
    link: RedisLink,
    ttl: Duration,
}

impl RedisCheckpointStore {
    /// A store on `link`, with checkpoints that expire 45 days after their last save.
    pub fn new(link: RedisLink) -> Self {
        Self {
            link,
            ttl: DEFAULT_TTL,
        }
    }

    /// How long a checkpoint outlives its last save (at least one millisecond). Keep it
    /// longer than any pause of the feed you want to survive, and than the look-back.
    pub fn ttl(mut self, ttl: Duration) -> Self {
        self.ttl = ttl;
        self
    }

    /// The Redis key of the checkpoint under `key`.
    pub fn redis_key(&self, key: &CheckpointKey) -> String {
        let digest = Sha256::digest(key.as_str().as_bytes());
        let hex: String = digest.iter().map(|byte| format!("{byte:02x}")).collect();
        self.link.keys().feed_checkpoint(&hex)
    }

    async fn get(&self, key: &CheckpointKey) -> Result<Option<Vec<u8>>, CheckpointError> {
        let redis_key = self.redis_key(key);
        let bytes = self
            .link
            .run("load the feed checkpoint", |mut connection| async move {
                redis::cmd("GET")
                    .arg(redis_key)
                    .query_async(&mut connection)
                    .await
            })
            .await?;
        Ok(bytes)
    }

    async fn set(&self, key: &CheckpointKey, bytes: &[u8]) -> Result<(), CheckpointError> {
        let redis_key = self.redis_key(key);
        let ttl = u64::try_from(self.ttl.as_millis())
            .unwrap_or(u64::MAX)
            .max(1);
        let bytes = bytes.to_vec();
        self.link
            .run("save the feed checkpoint", |mut connection| async move {
                redis::cmd("SET")
                    .arg(redis_key)
                    .arg(bytes)
                    .arg("PX")
                    .arg(ttl)
                    .query_async::<()>(&mut connection)
                    .await
            })
            .await?;
        Ok(())
    }
}

impl CheckpointStore for RedisCheckpointStore {
    fn load<'a>(
        &'a self,
        key: &'a CheckpointKey,
    ) -> BoxFuture<'a, Result<Option<Vec<u8>>, CheckpointError>> {
        Box::pin(self.get(key))
    }

    fn save<'a>(
        &'a self,
        key: &'a CheckpointKey,
        bytes: &'a [u8],
    ) -> BoxFuture<'a, Result<(), CheckpointError>> {
        Box::pin(self.set(key, bytes))
    }
}
