//! Fleets: many processes (web workers, cron jobs, queue consumers, on several machines)
//! share one token and one quota per seller through Redis (the `redis` feature).
//!
//! - [`RedisTokenStore`] is a [`TokenStore`](crate::auth::TokenStore): tokens live in Redis
//!   with a TTL equal to their remaining lifetime, one process issues a seller's token while
//!   the others wait for it, and a token the API rejected is dropped fleet-wide: from Redis,
//!   and (by pub/sub, fingerprints only) from the memory of every other process.
//! - [`RedisRateLimiter`] is a [`RateLimiter`](crate::RateLimiter): one schedule per seller and
//!   rate-limit class, kept in Redis by one atomic script, so the whole fleet stays within the
//!   vendor's quota.
//!
//! When Redis is down or slow (every command has a bounded timeout), both fall back to the
//! process-local cache and limiter, log one warning per outage, and go back to Redis by
//! themselves when it answers again; [`RedisOptions::strict`] fails closed instead. Keys
//! carry a configurable prefix and a hash tag per seller, so a seller's keys share one Redis
//! Cluster slot, and none is stored without a TTL. See `docs/fleet.md`.

mod gcra;
mod keys;
mod limiter;
mod link;
mod options;
mod token_store;

pub use keys::KeyLayout;
pub use limiter::{DEFAULT_RATE_MARGIN, RedisRateLimiter, SharedPermit};
pub use link::{RedisFault, RedisLink};
pub use options::RedisOptions;
pub use token_store::RedisTokenStore;
