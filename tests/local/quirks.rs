//! The live quirks, and the SDK against the server with each switched off.

use futures_util::TryStreamExt;
use toss_shopping::local::{Fault, FaultRule, Faults, LocalServer, Quirks};
use toss_shopping::window::KstRange;
use toss_shopping::{Error, ErrorCode};

use crate::support::{raw_token, start};

#[tokio::test]
async fn live_failures_come_inside_http_200() {
    let (_server, client) = start(LocalServer::builder()).await;
    let error = client
        .get_product()
        .product_id(999)
        .await
        .expect_err("unknown");
    let api = error.api_error().expect("a FAIL");
    assert_eq!(api.status, 200);
    assert_eq!(api.code, ErrorCode::NotFound);
}

#[tokio::test]
async fn failures_with_their_http_status_are_the_same_typed_errors() {
    let quirks = Quirks::live().failures_with_http_status();
    let throttle =
        Faults::seeded(3).rule(FaultRule::new(Fault::Throttle).on("get_penalty_summary"));
    let (_server, client) = start(LocalServer::builder().quirks(quirks).faults(throttle)).await;
    let error = client
        .get_product()
        .product_id(999)
        .await
        .expect_err("unknown");
    let api = error.api_error().expect("a FAIL");
    assert_eq!((api.status, &api.code), (404, &ErrorCode::NotFound));
    let error = client.get_penalty_summary().await.expect_err("throttled");
    assert!(
        matches!(error, Error::RateLimited { status: 429, .. }),
        "{error:?}"
    );
}

/// The raw `orderedAt` of the demo seller's first order row this month.
async fn first_ordered_at(server: &LocalServer) -> String {
    let range = KstRange::last_days(31, &toss_shopping::auth::SystemClock).expect("range");
    let url = format!(
        "{}/api/v3/shopping-fep/orders/v2?startDate={}&endDate={}",
        server.base_url(),
        range.first(),
        range.last()
    );
    let envelope: serde_json::Value = reqwest::Client::new()
        .get(url)
        .bearer_auth(raw_token(server).await)
        .send()
        .await
        .expect("answer")
        .json()
        .await
        .expect("JSON");
    envelope["success"]["results"][0]["orderedAt"]
        .as_str()
        .expect("a timestamp")
        .to_string()
}

#[tokio::test]
async fn timestamps_come_without_an_offset_unless_asked_and_decode_either_way() {
    let live = LocalServer::start().await.expect("server");
    let text = first_ordered_at(&live).await;
    assert_eq!(text.len(), "2026-05-28T10:00:00".len(), "{text}");

    let (server, client) =
        start(LocalServer::builder().quirks(Quirks::live().timestamps_with_offset())).await;
    assert!(first_ordered_at(&server).await.ends_with("+09:00"));
    let range = KstRange::last_days(31, &toss_shopping::auth::SystemClock).expect("range");
    let rows: Vec<_> = client
        .list_order_products()
        .windows(range)
        .try_collect()
        .await
        .expect("rows decode");
    let ordered_at = rows[0].ordered_at.as_ref().expect("a time");
    assert_eq!(
        ordered_at.naive_kst().to_string().len(),
        "2026-05-28 10:00:00".len()
    );
}
