//! Shared set-up for the product, item and purchase-limit tests: a server on a manual clock,
//! registration bodies in the demo category, and reading failures.

use std::sync::Arc;
use std::time::Duration;

use serde_json::{Value, json};
use toss_shopping::auth::ManualClock;
use toss_shopping::local::{Inspection, LocalServer};
use toss_shopping::types::{Product, ProductRegistration, ProductStockInfo};
use toss_shopping::{Client, Error, RateLimits, Reason, RetryPolicy};

/// The demo leaf category, delivery-fee group and return address (the server's demo ids).
pub const LEAF_CATEGORY_ID: i64 = 1_031_001;
pub const DELIVERY_FEE_GROUP_ID: i64 = 301;
pub const RETURN_LOCATION_ID: i64 = 401;

/// How long inspection takes in these tests.
pub const INSPECTION: Duration = Duration::from_secs(60);

/// A demo server with the given inspection policy and no quotas, and a client of its demo
/// seller; both on one manual clock.
pub async fn clocked(inspection: Inspection) -> (LocalServer, Client, Arc<ManualClock>) {
    let clock = Arc::new(ManualClock::new());
    let server = LocalServer::builder()
        .clock(clock.clone())
        .without_quotas()
        .inspection(inspection)
        .start()
        .await
        .unwrap();
    let client = server
        .client_builder()
        .clock(clock.clone())
        .rate_limits(RateLimits::Off)
        .retry(RetryPolicy::none())
        .build()
        .unwrap();
    (server, client, clock)
}

/// A demo server whose inspection approves everything after [`INSPECTION`].
pub async fn approving() -> (LocalServer, Client, Arc<ManualClock>) {
    clocked(Inspection::approve_after(INSPECTION)).await
}

/// Moves the clock past the inspection delay.
pub fn finish_inspection(clock: &ManualClock) {
    clock.advance(INSPECTION + Duration::from_secs(1));
}

/// A registration body as JSON: one product in the demo category with `options` given as
/// (value, sale price, list price, stock), the first the main price.
pub fn registration_json(name: &str, options: &[(&str, i64, i64, i64)]) -> Value {
    let stocks: Vec<Value> = options
        .iter()
        .enumerate()
        .map(|(index, (value, sale, origin, stock))| {
            json!({"options": [{"groupName": "(택1) 수량", "valueName": value}],
                   "remainingCount": stock, "isMainPrice": index == 0,
                   "originPrice": origin, "salePrice": sale})
        })
        .collect();
    json!({
        "name": name, "brandName": "토스팜", "categoryId": LEAF_CATEGORY_ID, "isTaxFree": false,
        "stocks": stocks,
        "images": [{"type": "THUMBNAIL", "order": 0, "url": "https://example.com/t.jpg"},
                   {"type": "DESCRIPTION", "order": 1, "url": "https://example.com/d.jpg"}],
        "exposure": {"searchKeywords": ["사과즙"], "description": "청송 사과로 만든 사과즙"},
        "deliveryPolicy": {"deliveryCompanyId": 1, "deliveryFeeType": "FREE",
                           "deliveryLocationId": DELIVERY_FEE_GROUP_ID},
        "exchangeReturnPolicy": {"exchangeRefundLocationId": RETURN_LOCATION_ID,
            "refundOneWayDeliveryFee": 3000, "exchangeRoundTripDeliveryFee": 6000,
            "applicationMethodDescription": "고객센터", "applicationTermDescription": "7일 이내"},
        "notice": {"categoryCode": "PROCESSED_FOOD", "items": [{"id": 319, "content": "상세페이지 참조"}]}
    })
}

/// A typed registration body from JSON.
pub fn body(json: Value) -> ProductRegistration {
    serde_json::from_value(json).unwrap()
}

/// A registration with two options: 30 sachets (main) and 60 sachets.
pub fn registration(name: &str) -> ProductRegistration {
    body(registration_json(
        name,
        &[("30포", 29_900, 39_900, 5), ("60포", 55_900, 79_800, 3)],
    ))
}

/// Registers a product and returns its id.
pub async fn register(client: &Client, registration: ProductRegistration) -> i64 {
    let registered = client.register_product().body(registration).await.unwrap();
    registered.id.unwrap()
}

/// Reads a product.
pub async fn product(client: &Client, product_id: i64) -> Product {
    client.get_product().product_id(product_id).await.unwrap()
}

/// The stocks of a product.
pub async fn stocks(client: &Client, product_id: i64) -> Vec<ProductStockInfo> {
    product(client, product_id).await.stocks
}

/// The demo product whose name contains `name`.
pub async fn demo_product(client: &Client, name: &str) -> Product {
    let page = client.list_products().size(100).await.unwrap();
    let id = page
        .products
        .iter()
        .find(|summary| summary.name.as_deref().unwrap_or("").contains(name))
        .and_then(|summary| summary.id)
        .unwrap();
    product(client, id).await
}

/// A failure's error code and text reason (field maps are rendered as `field: message`).
pub fn failure(error: Error) -> (String, String) {
    let api = error
        .api_error()
        .unwrap_or_else(|| panic!("not an API failure: {error:?}"));
    let reason = match &api.reason {
        Reason::Text(text) => text.clone(),
        Reason::Fields(fields) => fields
            .iter()
            .map(|(field, message)| format!("{field}: {message}"))
            .collect::<Vec<_>>()
            .join(", "),
        other => format!("{other:?}"),
    };
    (api.code.as_str().to_string(), reason)
}

/// Asserts that a call failed with `code`, and returns the reason.
pub fn expect_fail<T: std::fmt::Debug>(result: Result<T, Error>, code: &str) -> String {
    let (actual, reason) = failure(result.unwrap_err());
    assert_eq!(actual, code, "reason: {reason}");
    reason
}
