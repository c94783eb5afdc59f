//! A seller's morning check: standing, the category tree, and the last week's orders.
//!
//! ```text
//! cargo run --example seller_workflow
//! ```
//!
//! Without credentials it runs against a local server on 127.0.0.1 that answers like the API
//! (token endpoint included, so the whole OAuth2 path runs). With `TOSS_ACCESS_KEY` and
//! `TOSS_SECRET_KEY` set it talks to the real API (`TOSS_ENVIRONMENT=alpha` for the test
//! environment); the keys only work from the server IPs registered with them.

use std::error::Error as StdError;

use futures_util::TryStreamExt;
use serde_json::json;
use toss_shopping::auth::SystemClock;
use toss_shopping::types::OrderProductStatus;
use toss_shopping::window::KstRange;
use toss_shopping::{Client, Credentials, Environment, Error};
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

#[tokio::main]
async fn main() -> Result<(), Box<dyn StdError>> {
    // Keep `local` alive for the whole run: it is the server the client talks to.
    let (client, local) = match Credentials::from_env() {
        Some(credentials) => (live_client(credentials)?, None),
        None => {
            let server = local_server().await;
            let client = Client::builder()
                .base_url(server.uri())
                .token_url(format!("{}/token", server.uri()))
                .credentials("local-access-key", "local-secret-key")
                .partner_name("toss-shopping-example")
                .build()?;
            (client, Some(server))
        }
    };
    match &local {
        Some(server) => println!(
            "No TOSS_ACCESS_KEY/TOSS_SECRET_KEY: using the local server at {}\n",
            server.uri()
        ),
        None => println!("Using the real Toss Shopping API\n"),
    }

    let standing = client.get_penalty_summary().await?;
    println!(
        "Standing: {} penalty points from {} penalties{}",
        standing.score,
        standing.count,
        if standing.is_penalized {
            " (a penalty is in force)"
        } else {
            ""
        }
    );

    let top = client.list_child_categories().await?;
    println!("\nTop-level categories ({}):", top.items.len());
    for category in &top.items {
        println!(
            "  {:>6}  {}",
            id_text(category.id),
            category.name.as_deref().unwrap_or("?")
        );
    }
    if let Some(first) = top.items.first().and_then(|category| category.id) {
        let children = client.list_child_categories().id(first).await?;
        println!("Children of {first}: {}", children.items.len());
    }

    // The last seven days in Korean time, whatever the machine's zone. `.windows(..)` splits
    // any range into the API's windows (at most 31 days for orders), reads every page of each
    // (following `nextCursor`, re-sending the filters) and hands out one row at a time,
    // without the rows two windows share twice. Calls stay within the seller's rate limits
    // and throttled ones are retried.
    let range = KstRange::last_days(7, &SystemClock)?;
    println!("\nOrders from {} to {}:", range.first(), range.last());
    let mut orders = client.list_order_products().limit(50).windows(range);
    let mut rows = 0;
    loop {
        let row = match orders.try_next().await {
            Ok(Some(row)) => row,
            Ok(None) => break,
            Err(error @ Error::RateLimited { .. }) => {
                return Err(format!("throttled, try again shortly: {error}").into());
            }
            Err(error) => return Err(error.into()),
        };
        rows += 1;
        // Rows hold buyers' personal data; print only what an operator needs.
        println!(
            "  order {} / item {}: {} x{} {} KRW [{}]",
            id_text(row.order_id),
            id_text(row.order_product_id),
            row.product_name.as_deref().unwrap_or("?"),
            row.quantity.unwrap_or(0),
            row.price.unwrap_or(0),
            status_text(row.order_product_status.as_ref()),
        );
    }
    println!("{rows} order products.");
    Ok(())
}

fn live_client(credentials: Credentials) -> Result<Client, toss_shopping::BuildError> {
    let environment = match std::env::var("TOSS_ENVIRONMENT").as_deref() {
        Ok("alpha") => Environment::Alpha,
        _ => Environment::Production,
    };
    let mut builder = Client::builder()
        .environment(environment)
        .credentials_from(credentials);
    if let Ok(partner) = std::env::var("TOSS_PARTNER_NAME") {
        builder = builder.partner_name(partner);
    }
    builder.build()
}

/// An id as text; ids may be absent from some answers.
fn id_text(id: Option<i64>) -> String {
    id.map_or_else(|| "?".to_string(), |id| id.to_string())
}

fn status_text(status: Option<&OrderProductStatus>) -> String {
    match status {
        Some(status) if status.is_unknown() => format!("{status} (new to this SDK)"),
        Some(status) => status.to_string(),
        None => "unknown".to_string(),
    }
}

/// A local stand-in for the API: a token endpoint and canned answers in the API's shapes.
async fn local_server() -> MockServer {
    let server = MockServer::start().await;
    let ok = |payload: serde_json::Value| {
        ResponseTemplate::new(200)
            .set_body_json(json!({"resultType": "SUCCESS", "success": payload, "error": null}))
    };
    Mock::given(method("POST"))
        .and(path("/token"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "access_token": "local-token", "scope": "toss-shopping-fep:write",
            "token_type": "Bearer", "expires_in": 3599
        })))
        .mount(&server)
        .await;
    let prefix = "/api/v3/shopping-fep";
    Mock::given(method("GET"))
        .and(path(format!("{prefix}/merchants/penalty/summary")))
        .respond_with(ok(json!({"score": 1, "count": 1, "isPenalized": false})))
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path(format!("{prefix}/products/categories/children")))
        .and(wiremock::matchers::query_param("id", "50995"))
        .respond_with(ok(json!({"items": [
            {"id": 50996, "name": "신선식품", "level": 3, "parentId": 50995, "isLeaf": false},
            {"id": 51001, "name": "가공식품", "level": 3, "parentId": 50995, "isLeaf": false}
        ]})))
        .with_priority(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path(format!("{prefix}/products/categories/children")))
        .respond_with(ok(json!({"items": [
            {"id": 50995, "name": "식품", "level": 2, "parentId": null, "isLeaf": false},
            {"id": 50001, "name": "패션의류", "level": 2, "parentId": null, "isLeaf": false},
            {"id": 50200, "name": "생활/건강", "level": 2, "parentId": null, "isLeaf": false}
        ]})))
        .mount(&server)
        .await;
    let row = |order: i64, item: i64, name: &str, status: &str| {
        json!({
            "orderId": order, "orderProductId": item, "productId": 1234, "orderedAt": "2026-07-11T20:51:39",
            "ordererName": "김*수", "receiverName": "김*수", "productName": name, "optionName": "2kg,1박스",
            "quantity": 1, "price": 19900, "originPrice": 25000, "orderProductStatus": status
        })
    };
    Mock::given(method("GET"))
        .and(path(format!("{prefix}/orders/v2")))
        .and(wiremock::matchers::query_param("nextCursor", "page-2"))
        .respond_with(ok(
            json!({"results": [row(98770, 271684440, "배 3kg", "DELIVERED")], "nextCursor": null}),
        ))
        .with_priority(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path(format!("{prefix}/orders/v2")))
        .respond_with(ok(json!({"results": [
            row(98765, 271684435, "사과 2kg", "PAID"),
            row(98766, 271684436, "감귤 5kg", "NEW_STATUS_FROM_TOMORROW")
        ], "nextCursor": "page-2"})))
        .mount(&server)
        .await;
    server
}
