//! The key layout in Redis: a prefix, then a hash tag per seller, so all of one seller's keys
//! share a Redis Cluster slot (the token, its issue lock and its rate windows), then the kind.
//!
//! ```text
//! <prefix>{<seller>}:token        the cached token (TTL: its remaining lifetime)
//! <prefix>{<seller>}:token-lock   who is issuing the token (TTL: the lock's expiry)
//! <prefix>{<seller>}:rate:<class> the seller's window for a rate-limit class (TTL: the window)
//! <prefix>{<feed>}:feed           a change feed's checkpoint (TTL: the store's, renewed on save)
//! <prefix>token-rejected          pub/sub channel: `{"key":<seller>,"fingerprint":<hex>}` of
//!                                 a token the API rejected (never the token)
//! ```
//!
//! `<seller>` is a hash, never a key or a secret: the token store's [`StoreKey`] or the
//! limiter's [`SellerKey`]. `<feed>` is the SHA-256 of the feed's
//! [`CheckpointKey`](crate::feed::CheckpointKey).
//!
//! [`StoreKey`]: crate::auth::StoreKey
//! [`SellerKey`]: crate::limit::SellerKey

use crate::operation::RateLimitClass;

/// Builds the fleet's Redis keys.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KeyLayout {
    prefix: String,
}

impl KeyLayout {
    /// Keys under `prefix`.
    pub fn new(prefix: &str) -> Self {
        Self {
            prefix: prefix.to_string(),
        }
    }

    /// The cached token of the seller identified by `seller` (a hash).
    pub fn token(&self, seller: &str) -> String {
        format!("{}{{{seller}}}:token", self.prefix)
    }

    /// The lock held by the process issuing that seller's token.
    pub fn token_lock(&self, seller: &str) -> String {
        format!("{}{{{seller}}}:token-lock", self.prefix)
    }

    /// The seller's rate window for `class`.
    pub fn rate(&self, seller: &str, class: RateLimitClass) -> String {
        let class = match class {
            RateLimitClass::Read => "read",
            RateLimitClass::Write => "write",
            RateLimitClass::Product => "product",
        };
        format!("{}{{{seller}}}:rate:{class}", self.prefix)
    }

    /// The pub/sub channel on which a process announces a token the API rejected, so that the
    /// others drop it too.
    pub fn token_rejected(&self) -> String {
        format!("{}token-rejected", self.prefix)
    }

    /// The checkpoint of the change feed identified by `feed` (a hash).
    pub fn feed_checkpoint(&self, feed: &str) -> String {
        format!("{}{{{feed}}}:feed", self.prefix)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_sellers_keys_share_one_hash_tag() {
        let keys = KeyLayout::new("app:toss:");
        let tag = "{abc123}";
        for key in [
            keys.token("abc123"),
            keys.token_lock("abc123"),
            keys.rate("abc123", RateLimitClass::Product),
        ] {
            assert!(key.starts_with("app:toss:"), "{key}");
            assert!(key.contains(tag), "{key}");
        }
        assert_ne!(keys.token("abc123"), keys.token_lock("abc123"));
    }
}
