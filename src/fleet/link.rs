//! The fleet's one connection to Redis: every command bounded by a timeout, and outages
//! noticed once — one warning when Redis stops answering, one note when it is back — so a
//! Redis outage costs a log line, not a log flood.

use std::future::Future;
use std::sync::{Arc, Mutex, PoisonError};

use redis::aio::{ConnectionManager, ConnectionManagerConfig};

use super::{KeyLayout, RedisOptions};

/// A Redis command that did not complete: Redis unreachable, slow past the timeout, or an
/// error reply. Holds no key or value, only what went wrong.
#[derive(Debug, Clone, thiserror::Error)]
#[error("Redis {operation} failed: {reason}")]
pub struct RedisFault {
    /// What the fleet was doing (`load the token`, `take a permit`, ...).
    pub operation: &'static str,
    /// Why it failed.
    pub reason: String,
}

/// A shared handle on Redis for the fleet's store and limiter. Cheap to clone; connects
/// lazily and reconnects by itself.
#[derive(Clone)]
pub struct RedisLink {
    manager: ConnectionManager,
    /// For connections of their own (the token store's subscriber).
    client: redis::Client,
    options: RedisOptions,
    keys: KeyLayout,
    /// Whether the last command failed: the outage being reported.
    down: Arc<Mutex<bool>>,
}

impl std::fmt::Debug for RedisLink {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // The URL may carry a password.
        f.debug_struct("RedisLink")
            .field("prefix", &self.options.prefix)
            .field("timeout", &self.options.timeout)
            .field("strict", &self.options.strict)
            .finish_non_exhaustive()
    }
}

impl RedisLink {
    /// A link to the Redis of `options`. Nothing is sent yet: an unreachable Redis shows up
    /// on the first command, as an outage. Must be called inside a tokio runtime.
    pub fn new(options: RedisOptions) -> Result<Self, RedisFault> {
        let fault = |reason: String| RedisFault {
            operation: "connect",
            reason,
        };
        let client = redis::Client::open(options.url.as_str()).map_err(|e| fault(e.to_string()))?;
        let config = ConnectionManagerConfig::new()
            .set_connection_timeout(Some(options.timeout))
            .set_response_timeout(Some(options.timeout))
            .set_number_of_retries(1);
        let manager = ConnectionManager::new_lazy_with_config(client.clone(), config)
            .map_err(|e| fault(e.to_string()))?;
        Ok(Self {
            client,
            keys: options.keys(),
            manager,
            options,
            down: Arc::new(Mutex::new(false)),
        })
    }

    /// The key layout.
    pub fn keys(&self) -> &KeyLayout {
        &self.keys
    }

    /// The client, for a connection of one's own (pub/sub).
    pub(crate) fn client(&self) -> &redis::Client {
        &self.client
    }

    /// The most one Redis command may take.
    pub(crate) fn timeout(&self) -> std::time::Duration {
        self.options.timeout
    }

    /// Whether an outage fails calls instead of falling back to local state.
    pub fn is_strict(&self) -> bool {
        self.options.strict
    }

    /// Whether the last command failed (Redis is being treated as down).
    pub fn is_down(&self) -> bool {
        *self.down.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Checks that Redis answers (`PING`), as a health check would.
    pub async fn ping(&self) -> Result<(), RedisFault> {
        self.run("ping", |mut connection| async move {
            redis::cmd("PING")
                .query_async::<String>(&mut connection)
                .await
                .map(|_| ())
        })
        .await
    }

    /// Runs one command (or script) within the timeout, and keeps track of outages.
    pub(crate) async fn run<T, F, Fut>(
        &self,
        operation: &'static str,
        command: F,
    ) -> Result<T, RedisFault>
    where
        F: FnOnce(ConnectionManager) -> Fut,
        Fut: Future<Output = redis::RedisResult<T>>,
    {
        let outcome =
            tokio::time::timeout(self.options.timeout, command(self.manager.clone())).await;
        let result = match outcome {
            Ok(Ok(value)) => Ok(value),
            Ok(Err(error)) => Err(RedisFault {
                operation,
                reason: error.to_string(),
            }),
            Err(_) => Err(RedisFault {
                operation,
                reason: format!("no answer within {:?}", self.options.timeout),
            }),
        };
        self.note(&result);
        result
    }

    /// One warning when an outage starts, one note when it ends.
    fn note<T>(&self, result: &Result<T, RedisFault>) {
        let mut down = self.down.lock().unwrap_or_else(PoisonError::into_inner);
        match (result, *down) {
            (Err(fault), false) => {
                *down = true;
                let fallback = if self.options.strict {
                    "calls fail until it is back (strict mode)"
                } else {
                    "tokens and quotas fall back to this process's own cache and limiter; feed checkpoints fail until it is back"
                };
                tracing::warn!(%fault, "toss-shopping: Redis is unreachable; {fallback}");
            }
            (Ok(_), true) => {
                *down = false;
                tracing::info!("toss-shopping: Redis answers again; sharing tokens and quotas");
            }
            _ => {}
        }
    }
}
