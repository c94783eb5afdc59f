//! Tests of the OAuth2 token adapter: the real client and token provider against a fresh
//! wiremock server on loopback per test, serving both the API and `/token`.
//!
//! Time-dependent behaviour (refresh ahead, hard expiry, back-off) runs on a `ManualClock`;
//! nothing sleeps. Any request no mock expects fails the test.

mod support;

mod backoff;
mod cache;
mod contention;
mod garbage;
mod pushes;
mod refresh;
mod replay;
mod secrets;
mod store;
mod timeout;
mod token_request;
