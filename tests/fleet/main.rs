//! Fleets through a real `redis-server`: shared tokens, shared quotas, and Redis faults.

mod redis_server;
mod token_server;
// The local-server tests' registration bodies, for the fleet's product writes; most of the
// module serves the product tests only.
#[allow(dead_code)]
#[path = "../local/product_support.rs"]
mod product_support;

#[cfg(feature = "feed")]
mod feed;
mod fleet_processes;
mod limiter;
mod link;
mod token_processes;
mod tokens;
