//! Shared set-up: a server and a client that talk only to it, and a way to drive a call on a
//! manual clock.

use std::future::IntoFuture;
use std::pin::pin;
use std::sync::Arc;
use std::time::Duration;

use toss_shopping::auth::ManualClock;
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

/// A server from `builder` on `clock`, and a client on the same clock, with no client-side
/// limits or retries.
pub async fn start_on(
    clock: &Arc<ManualClock>,
    builder: LocalServerBuilder,
) -> (LocalServer, Client) {
    let server = builder
        .clock(clock.clone())
        .start()
        .await
        .expect("the local server starts");
    let client = server
        .client_builder()
        .clock(clock.clone())
        .rate_limits(RateLimits::Off)
        .retry(RetryPolicy::none())
        .build()
        .expect("a client for the local server");
    (server, client)
}

/// Runs `call` to the end, moving the manual clock on by `step` whenever it waits. The call
/// gets real time for its network work between steps; only its sleeps follow the clock.
pub async fn drive<T>(clock: &ManualClock, step: Duration, call: impl IntoFuture<Output = T>) -> T {
    let mut call = pin!(call.into_future());
    for _ in 0..10_000 {
        match tokio::time::timeout(Duration::from_millis(10), call.as_mut()).await {
            Ok(output) => return output,
            // Only while the call waits on the clock (a rate-limit slot, a retry's pause):
            // moved while a request is on the wire, the clock would make it arrive late and
            // bunch with the next one at the server's quota.
            Err(_) if clock.sleepers() > 0 => clock.advance(step),
            Err(_) => {}
        }
    }
    panic!("the call did not finish");
}

/// A token of the demo seller, fetched the way the SDK does (form body, snake_case keys), for
/// tests that must send what the SDK would refuse to.
pub async fn raw_token(server: &LocalServer) -> String {
    let credentials = server.credentials();
    let form = url::form_urlencoded::Serializer::new(String::new())
        .append_pair("grant_type", "client_credentials")
        .append_pair("client_id", credentials.access_key())
        .append_pair("client_secret", toss_shopping::local::DEMO_SECRET_KEY)
        .append_pair("scope", "toss-shopping-fep:write")
        .finish();
    let answer: serde_json::Value = reqwest::Client::new()
        .post(server.token_url())
        .header("content-type", "application/x-www-form-urlencoded")
        .body(form)
        .send()
        .await
        .expect("the token endpoint answers")
        .json()
        .await
        .expect("a JSON token answer");
    answer["access_token"]
        .as_str()
        .expect("an access token")
        .to_string()
}
