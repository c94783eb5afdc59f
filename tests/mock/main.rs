//! Tests of `toss_shopping::mock` itself: what each mock matches and refuses, and that each
//! answer reaches the SDK's caller as the right `Result`.

mod answers;
mod coverage;
mod matching;
mod token;

use toss_shopping::{Client, RateLimits, RetryPolicy};
use wiremock::MockServer;

/// The fixed token of the test clients.
pub const TOKEN: &str = "mock-test-token";

/// A fresh server and a client sending every call once, at once, with [`TOKEN`].
pub async fn start() -> (MockServer, Client) {
    let server = MockServer::start().await;
    let client = Client::builder()
        .base_url(server.uri())
        .bearer_token(TOKEN)
        .retry(RetryPolicy::none())
        .rate_limits(RateLimits::Off)
        .build()
        .unwrap();
    (server, client)
}

/// The HTTP status of a raw request the SDK would never send (wrong method or path): 404
/// when no mock matched it.
pub async fn raw_status(server: &MockServer, method: &str, path: &str) -> u16 {
    let method = reqwest::Method::from_bytes(method.as_bytes()).unwrap();
    reqwest::Client::new()
        .request(method, format!("{}{path}", server.uri()))
        .bearer_auth(TOKEN)
        .send()
        .await
        .unwrap()
        .status()
        .as_u16()
}

/// The day `d` of July 2026.
pub fn day(d: u32) -> chrono::NaiveDate {
    chrono::NaiveDate::from_ymd_opt(2026, 7, d).unwrap()
}
