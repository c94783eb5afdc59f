//! State for the tests, made in-process through the SDK and the server's buyers: a server
//! on a manual clock, and order products and claims in the states a command needs.

use std::sync::Arc;

use serde::de::DeserializeOwned;
use serde_json::{Value, json};
use toss_shopping::auth::ManualClock;
use toss_shopping::local::LocalServer;
use toss_shopping::types::{OrderProductInvoiceRequest, OrderProductStatusChangeRequest};
use toss_shopping::{Client, RateLimits, RetryPolicy};

use crate::support::noon;

/// A demo server without quotas on a manual clock standing at noon KST on 2026-07-20, and an
/// SDK client of its demo seller on the same clock (no client-side limits or retries).
pub async fn clocked() -> (LocalServer, Client, Arc<ManualClock>) {
    let clock = Arc::new(ManualClock::at(noon()));
    let server = LocalServer::builder()
        .clock(clock.clone())
        .without_quotas()
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

/// The first item of the first product on sale.
pub async fn item_on_sale(client: &Client) -> i64 {
    let products = value(client.list_products().size(100).await.unwrap());
    let product = products["products"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["inspectionStatus"] == "COMPLETE" && p["exposureStatus"] == "EXPOSURE")
        .map(|p| p["id"].as_i64().unwrap())
        .unwrap();
    let items = value(
        client
            .list_product_items()
            .product_id(product)
            .await
            .unwrap(),
    );
    items["items"][0]["itemId"].as_i64().unwrap()
}

/// An SDK answer as JSON, to read ids out of.
pub fn value(answer: impl serde::Serialize) -> Value {
    serde_json::to_value(answer).unwrap()
}

/// A typed request body from JSON.
pub fn typed<T: DeserializeOwned>(value: Value) -> T {
    serde_json::from_value(value).unwrap()
}

/// Orders placed by buyers and moved along by the seller (through the SDK) and the carrier.
pub struct Orders<'a> {
    server: &'a LocalServer,
    client: &'a Client,
    item: i64,
}

impl<'a> Orders<'a> {
    /// Orders of `item` on `server`, moved along with `client`.
    pub fn new(server: &'a LocalServer, client: &'a Client, item: i64) -> Self {
        Self {
            server,
            client,
            item,
        }
    }

    /// A new order product in `PAID`.
    pub fn paid(&self) -> i64 {
        self.server
            .buyer()
            .place_order(self.item, 1)
            .unwrap()
            .order_product_id
    }

    /// A new order product in `PREPARING_PRODUCT`.
    pub async fn preparing(&self) -> i64 {
        let id = self.paid();
        self.client
            .change_order_product_status()
            .body(typed::<OrderProductStatusChangeRequest>(
                json!({"orderProductIds": [id], "status": "PREPARING_PRODUCT"}),
            ))
            .await
            .unwrap();
        id
    }

    /// A new order product in `DELIVERED`.
    pub async fn delivered(&self) -> i64 {
        let id = self.preparing().await;
        self.client
            .update_order_product_delivery()
            .body(typed::<OrderProductInvoiceRequest>(json!({
                "orderProductId": id, "deliveryCompany": "CJ대한통운",
                "trackingNumber": format!("6000{id}")})))
            .await
            .unwrap();
        self.server.buyer().deliver(id).unwrap();
        id
    }

    /// A buyer's open cancel request of a product being prepared: the claim id.
    pub async fn cancel_request(&self) -> i64 {
        let id = self.preparing().await;
        self.server.buyer().cancel(id).unwrap().unwrap()
    }

    /// A buyer's open return request: the claim id.
    pub async fn return_request(&self) -> i64 {
        let id = self.delivered().await;
        self.server.buyer().request_return(id, "단순 변심").unwrap()
    }

    /// A buyer's open exchange request: the claim id.
    pub async fn exchange_request(&self) -> i64 {
        let id = self.delivered().await;
        self.server
            .buyer()
            .request_exchange(id, "사이즈 교환")
            .unwrap()
    }

    /// A return the seller approved and marked collected: its collection can be refused.
    pub async fn collected_return(&self) -> i64 {
        let claim = self.return_request().await;
        self.client
            .approve_return_claim()
            .claim_id(claim)
            .await
            .unwrap();
        self.client
            .mark_return_collected()
            .claim_id(claim)
            .await
            .unwrap();
        claim
    }

    /// An exchange the seller approved and marked collected: its collection can be refused.
    pub async fn collected_exchange(&self) -> i64 {
        let claim = self.exchange_request().await;
        self.client
            .approve_exchange_claim()
            .claim_id(claim)
            .await
            .unwrap();
        self.client
            .mark_exchange_collected()
            .claim_id(claim)
            .await
            .unwrap();
        claim
    }
}
