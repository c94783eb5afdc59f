//! Shared set-up: a server and a client that talk only to it.

use toss_shopping::local::{LocalServer, LocalServerBuilder};
use toss_shopping::{Client, RateLimits, RetryPolicy};

/// A server from `builder` and a client of its demo seller, with no client-side limits or
/// retries, so a test sees exactly what the server answers.
pub async fn start(builder: LocalServerBuilder) -> (LocalServer, Client) {
    let server = builder.start().await.expect("the local server starts");
    let client = server
        .client_builder()
        .rate_limits(RateLimits::Off)
        .retry(RetryPolicy::none())
        .build()
        .expect("a client for the local server");
    (server, client)
}
