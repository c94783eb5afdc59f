//! The local server as the conformance checks (`.ci/conformance`) run it.
//!
//! ```text
//! cargo run --example conformance_server --features local-server -- [PORT]
//! ```
//!
//! It starts the built-in local server on 127.0.0.1 (a free port unless one is given) with
//! the demo seller and its demo data, then, as buyers and carriers only can, makes the order
//! products and claims that every state-changing operation needs: paid and preparing orders,
//! open cancel, return and exchange requests, and collected returns and exchanges. It prints
//! one JSON line (the base URL, the token URL, the demo keys and the ids it prepared) and
//! serves until it is stopped.
//!
//! Why not `toss-shopping serve-local`: buyers are not part of the seller API, so their steps
//! can only be taken in-process. Why a manual clock that never moves: the demo data, every
//! date the checks send and the state machines stand still, so a run never depends on the
//! time of day (tokens never expire, inspection never completes). Why no quotas: with the
//! clock standing still the per-second quota windows would never reopen, and the checks are
//! about the shapes of requests and answers, not about throttling.

use std::error::Error as StdError;
use std::sync::Arc;
use std::time::{Duration, UNIX_EPOCH};

use serde_json::{Value, json};
use toss_shopping::auth::ManualClock;
use toss_shopping::local::{DEMO_SECRET_KEY, LocalServer};
use toss_shopping::types::{OrderProductInvoiceRequest, OrderProductStatusChangeRequest};
use toss_shopping::{Client, RateLimits, RetryPolicy};

type Result<T> = std::result::Result<T, Box<dyn StdError>>;

/// 2026-07-20 12:00 KST, where the clock stands (the CLI tests' instant, so the same dates
/// work in both).
const NOON_KST: u64 = 1_784_516_400;

#[tokio::main]
async fn main() -> Result<()> {
    let port = match std::env::args().nth(1) {
        Some(port) => port.parse::<u16>()?,
        None => 0,
    };
    let clock = Arc::new(ManualClock::at(UNIX_EPOCH + Duration::from_secs(NOON_KST)));
    let server = LocalServer::builder()
        .port(port)
        .clock(clock.clone())
        .without_quotas()
        .start()
        .await?;
    let client = server
        .client_builder()
        .clock(clock)
        .rate_limits(RateLimits::Off)
        .retry(RetryPolicy::none())
        .build()?;
    let ids = prepare(&server, &client).await?;
    let info = json!({
        "baseUrl": server.base_url(),
        "tokenUrl": server.token_url(),
        "accessKey": server.credentials().access_key(),
        // The demo keys open nothing but this local server.
        "secretKey": DEMO_SECRET_KEY,
        "ids": ids,
    });
    println!("{info}");
    // Serves until the process is stopped (the script sends SIGTERM to its process id).
    std::future::pending::<()>().await;
    Ok(())
}

/// Finds the demo data's ids and makes the order products and claims the writes act on.
async fn prepare(server: &LocalServer, client: &Client) -> Result<Value> {
    let products = value(client.list_products().size(100).await?)?;
    let listed = list(&products, "/products")?;
    let on_sale: Vec<i64> = listed
        .iter()
        .filter(|p| p["inspectionStatus"] == "COMPLETE" && p["exposureStatus"] == "EXPOSURE")
        .map(|p| id(p, "/id"))
        .collect::<Result<_>>()?;
    let [product, other_product, ..] = on_sale[..] else {
        return Err("the demo data has fewer than two products on sale".into());
    };
    let hidden = listed
        .iter()
        .find(|p| p["inspectionStatus"] == "COMPLETE" && p["exposureStatus"].is_null())
        .ok_or("the demo data has no hidden product")?;
    let items = value(client.list_product_items().product_id(product).await?)?;
    let item = id(&items, "/items/0/itemId")?;
    let impositions = value(client.list_penalty_impositions().await?)?;
    let holidays = value(
        client
            .list_holidays()
            .start_date("2026-07-20")
            .end_date("2026-12-31")
            .await?,
    )?;
    let groups = value(client.list_delivery_fee_groups().await?)?;
    let locations = value(client.list_exchange_refund_locations().await?)?;
    let returns = value(
        client
            .list_claims()
            .type_("RETURN")
            .status("REQUESTED")
            .await?,
    )?;
    let orders = Orders {
        server,
        client,
        item,
    };
    Ok(json!({
        "product": product,
        "otherProduct": other_product,
        "hiddenProduct": id(hidden, "/id")?,
        "item": item,
        "imposition": id(&impositions, "/items/0/penaltyImpositionId")?,
        "holiday": id(&holidays, "/items/0/holidayId")?,
        "feeGroup": not_main(&groups)?,
        "location": not_main(&locations)?,
        "paid": orders.paid()?,
        "preparing": orders.preparing().await?,
        "sellerCancel": orders.paid()?,
        "cancelApprove": orders.cancel_request().await?,
        "cancelReject": orders.cancel_request().await?,
        "returnFlow": id(&returns, "/items/0/id")?,
        "returnReject": orders.return_request().await?,
        "returnCollectionReject": orders.collected_return().await?,
        "exchangeFlow": orders.exchange_request().await?,
        "exchangeReject": orders.exchange_request().await?,
        "exchangeCollectionReject": orders.collected_exchange().await?,
    }))
}

/// An SDK answer as JSON, to read ids out of.
fn value(answer: impl serde::Serialize) -> Result<Value> {
    Ok(serde_json::to_value(answer)?)
}

/// The array at `pointer`.
fn list<'v>(value: &'v Value, pointer: &str) -> Result<&'v Vec<Value>> {
    value
        .pointer(pointer)
        .and_then(Value::as_array)
        .ok_or_else(|| format!("no list at {pointer}").into())
}

/// The integer at `pointer`.
fn id(value: &Value, pointer: &str) -> Result<i64> {
    value
        .pointer(pointer)
        .and_then(Value::as_i64)
        .ok_or_else(|| format!("no id at {pointer}").into())
}

/// The id of the first entry of an `items` list that is not the main one (the main delivery
/// group or return address cannot be changed the way the checks change them).
fn not_main(list_answer: &Value) -> Result<i64> {
    let entry = list(list_answer, "/items")?
        .iter()
        .find(|entry| entry["isMain"] == false)
        .ok_or("every entry is the main one")?;
    id(entry, "/id")
}

/// Orders of one item placed by buyers, moved along by the seller (through the SDK, straight
/// to the server) and by the carrier.
struct Orders<'a> {
    server: &'a LocalServer,
    client: &'a Client,
    item: i64,
}

impl Orders<'_> {
    /// A new order product in `PAID`.
    fn paid(&self) -> Result<i64> {
        Ok(self
            .server
            .buyer()
            .place_order(self.item, 1)?
            .order_product_id)
    }

    /// A new order product in `PREPARING_PRODUCT`.
    async fn preparing(&self) -> Result<i64> {
        let id = self.paid()?;
        let body: OrderProductStatusChangeRequest = serde_json::from_value(
            json!({"orderProductIds": [id], "status": "PREPARING_PRODUCT"}),
        )?;
        self.client.change_order_product_status().body(body).await?;
        Ok(id)
    }

    /// A new order product in `DELIVERED`.
    async fn delivered(&self) -> Result<i64> {
        let id = self.preparing().await?;
        let body: OrderProductInvoiceRequest = serde_json::from_value(json!({
            "orderProductId": id, "deliveryCompany": "CJ대한통운",
            "trackingNumber": format!("6000{id}")}))?;
        self.client
            .update_order_product_delivery()
            .body(body)
            .await?;
        self.server.buyer().deliver(id)?;
        Ok(id)
    }

    /// A buyer's open cancel request of a product being prepared: the claim id.
    async fn cancel_request(&self) -> Result<i64> {
        let id = self.preparing().await?;
        self.server
            .buyer()
            .cancel(id)?
            .ok_or_else(|| "the cancel was granted at once, with no claim".into())
    }

    /// A buyer's open return request: the claim id.
    async fn return_request(&self) -> Result<i64> {
        let id = self.delivered().await?;
        Ok(self.server.buyer().request_return(id, "단순 변심")?)
    }

    /// A buyer's open exchange request: the claim id.
    async fn exchange_request(&self) -> Result<i64> {
        let id = self.delivered().await?;
        Ok(self.server.buyer().request_exchange(id, "사이즈 교환")?)
    }

    /// A return the seller approved and marked collected: its collection can be refused.
    async fn collected_return(&self) -> Result<i64> {
        let claim = self.return_request().await?;
        self.client.approve_return_claim().claim_id(claim).await?;
        self.client.mark_return_collected().claim_id(claim).await?;
        Ok(claim)
    }

    /// An exchange the seller approved and marked collected: its collection can be refused.
    async fn collected_exchange(&self) -> Result<i64> {
        let claim = self.exchange_request().await?;
        self.client.approve_exchange_claim().claim_id(claim).await?;
        self.client
            .mark_exchange_collected()
            .claim_id(claim)
            .await?;
        Ok(claim)
    }
}
