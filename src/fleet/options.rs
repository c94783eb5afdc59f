//! How the fleet reaches Redis and what it does when Redis fails.

use std::time::Duration;

/// Where Redis is, how long a command may take, the key prefix, and whether an outage fails
/// calls (strict) or falls back to this process's own cache and limiter (the default).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RedisOptions {
    pub(crate) url: String,
    pub(crate) prefix: String,
    pub(crate) timeout: Duration,
    pub(crate) strict: bool,
}

impl RedisOptions {
    /// Redis at `url` (e.g. `redis://127.0.0.1:6379/0`), with the prefix `toss:`, a 250 ms
    /// timeout per command, and falling back to local state during an outage.
    pub fn new(url: impl Into<String>) -> Self {
        Self {
            url: url.into(),
            prefix: "toss:".to_string(),
            timeout: Duration::from_millis(250),
            strict: false,
        }
    }

    /// Puts every key under `prefix` (e.g. `erp-prod:toss:`), to share one Redis between
    /// applications or environments.
    pub fn prefix(mut self, prefix: impl Into<String>) -> Self {
        self.prefix = prefix.into();
        self
    }

    /// The most one Redis command may take before it counts as an outage.
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = timeout;
        self
    }

    /// Fails calls while Redis is unreachable instead of falling back to this process's own
    /// token cache and limiter (which may then exceed the fleet's quota).
    pub fn strict(mut self, strict: bool) -> Self {
        self.strict = strict;
        self
    }

    /// The key layout these options give.
    pub fn keys(&self) -> super::KeyLayout {
        super::KeyLayout::new(&self.prefix)
    }
}
