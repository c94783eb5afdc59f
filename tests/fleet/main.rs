//! Fleets through a real `redis-server`: shared tokens, shared quotas, and Redis faults.

mod redis_server;
mod token_server;

mod fleet_processes;
mod limiter;
mod link;
mod token_processes;
mod tokens;
