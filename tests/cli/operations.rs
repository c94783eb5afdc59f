//! One invocation of every operation of the spec, run through the binary against a local
//! server whose demo data (and the state a buyer makes) lets each call really succeed; and a
//! check that the table leaves no operation out.

use std::collections::BTreeSet;

use serde_json::{Value, json};
use toss_shopping::local::LocalServer;
use toss_shopping::{Client, operations};

use crate::shop::{Orders, clocked, value};
use crate::support::Cli;

/// The demo leaf category (식품 > 가공식품 > 과자) and its constraint template. The template
/// id is the seed's: no list operation names templates by id.
const LEAF_CATEGORY: i64 = 1_031_001;
const LEAF_TEMPLATE: i64 = 7_001;
/// The server's "today" (its manual clock stands at noon KST).
const TODAY: &str = "2026-07-20";

/// One invocation of the table. Every one must exit 0 with JSON on stdout: the demo data
/// and the state set up before the table make a success possible for each operation, so the
/// table accepts no FAIL.
#[derive(Debug)]
struct Case {
    command: &'static str,
    args: Vec<String>,
}

/// An invocation of `command` with `args` that must succeed.
fn ok(command: &'static str, args: impl IntoIterator<Item = String>) -> Case {
    Case {
        command,
        args: args.into_iter().collect(),
    }
}

/// `--flag value` as two arguments.
fn flag(name: &str, value: impl ToString) -> [String; 2] {
    [format!("--{name}"), value.to_string()]
}

/// `--body` with a JSON value.
fn body(value: Value) -> [String; 2] {
    flag("body", value)
}

/// Two flag pairs as one argument list.
fn two(a: [String; 2], b: [String; 2]) -> [String; 4] {
    let [a0, a1] = a;
    let [b0, b1] = b;
    [a0, a1, b0, b1]
}

/// The ids the table needs, found through the SDK's list calls and made by buyers.
#[derive(Debug, Default)]
struct Ids {
    product: i64,
    other_product: i64,
    hidden_product: i64,
    item: i64,
    imposition: i64,
    holiday: i64,
    fee_group: i64,
    location: i64,
    paid: i64,
    preparing: i64,
    seller_cancel: i64,
    cancel_approve: i64,
    cancel_reject: i64,
    return_flow: i64,
    return_reject: i64,
    return_collection_reject: i64,
    exchange_flow: i64,
    exchange_reject: i64,
    exchange_collection_reject: i64,
}

/// The table: every operation at least once, in an order where each write finds the state
/// it needs (a claim is approved before it is marked collected, and so on).
fn cases(ids: &Ids) -> Vec<Case> {
    let mut all = reads(ids);
    all.extend(merchant_writes(ids));
    all.extend(product_writes(ids));
    all.extend(order_writes(ids));
    all.extend(claim_writes(ids));
    all
}

fn reads(ids: &Ids) -> Vec<Case> {
    vec![
        ok("get-penalty-summary", []),
        ok("list-penalty-impositions", []),
        ok(
            "list-holidays",
            two(flag("start-date", TODAY), flag("end-date", "2026-12-31")),
        ),
        ok("list-delivery-fee-groups", []),
        ok("list-exchange-refund-locations", []),
        ok("list-delivery-companies", []),
        ok("list-invoice-delivery-companies", []),
        ok("list-child-categories", []),
        ok(
            "get-category-constraint-templates",
            flag("category-id", LEAF_CATEGORY),
        ),
        ok(
            "get-product-constraint-template",
            flag("template-id", LEAF_TEMPLATE),
        ),
        ok("list-notice-category-codes", []),
        ok("list-notice-items", flag("category-code", "PROCESSED_FOOD")),
        ok("list-products", flag("size", 100)),
        ok("get-product", flag("product-id", ids.product)),
        ok("list-items-grouped-by-products", []),
        ok("list-product-items", flag("product-id", ids.product)),
        ok("get-purchase-limit", flag("product-id", ids.product)),
        ok(
            "list-order-products",
            two(flag("start-date", "2026-07-14"), flag("end-date", TODAY)),
        ),
        ok("get-order-product", flag("order-product-id", ids.paid)),
        ok("list-claims", []),
        ok(
            "list-settlement-steps",
            [
                flag("date-condition", "PAYOUT_BASE_DATE"),
                flag("size", 50),
                flag("from-date", "2026-06-21"),
                flag("to-date", TODAY),
            ]
            .concat(),
        ),
    ]
}

fn merchant_writes(ids: &Ids) -> Vec<Case> {
    vec![
        ok(
            "submit-penalty-appeal",
            body(json!({"penaltyImpositionId": ids.imposition,
                        "description": "택배사 집하 지연으로 발송이 늦어졌습니다."})),
        ),
        ok(
            "create-holiday",
            body(
                json!({"startDate": "2026-10-09", "endDate": "2026-10-09", "description": "한글날"}),
            ),
        ),
        ok(
            "update-holiday",
            two(
                flag("holiday-id", ids.holiday),
                body(json!({"description": "여름 휴가 (변경)"})),
            ),
        ),
        ok("delete-holiday", flag("holiday-id", ids.holiday)),
        ok(
            "create-delivery-fee-group",
            body(json!({"name": "CLI 묶음", "deliveryFee": 3000, "isMain": false})),
        ),
        ok(
            "update-delivery-fee-group",
            body(json!({"id": ids.fee_group, "deliveryFee": 5000})),
        ),
        ok(
            "create-exchange-refund-location",
            body(
                json!({"zipCode": "04524", "address": "서울특별시 중구 세종대로 110",
                        "detailAddress": "CLI 반품지", "isMain": false}),
            ),
        ),
        ok(
            "update-exchange-refund-location",
            body(json!({"id": ids.location, "detailAddress": "토스상회 반품센터 2층"})),
        ),
    ]
}

fn product_writes(ids: &Ids) -> Vec<Case> {
    let item = |price: &str, value: i64| {
        two(
            flag("product-item-id", ids.item),
            body(json!({"productId": ids.product, price: value})),
        )
    };
    vec![
        ok("update-item-sale-price", item("salePrice", 18_900)),
        ok("update-item-origin-price", item("originPrice", 26_000)),
        ok("update-item-normal-stock", item("remainingCount", 200)),
        ok(
            "create-purchase-limit",
            body(
                json!({"productId": ids.product, "maxPurchaseQuantityPerOrder": 5,
                        "maxPurchaseQuantityPerPerson": 10}),
            ),
        ),
        ok(
            "delete-purchase-limit",
            body(json!({"productId": ids.product})),
        ),
        // The demo's hidden product is shown; another is hidden, then removed (a product on
        // show cannot be removed).
        ok(
            "show-product",
            body(json!({"productId": ids.hidden_product})),
        ),
        ok(
            "hide-product",
            body(json!({"productId": ids.other_product})),
        ),
        ok(
            "remove-product",
            body(json!({"productId": ids.other_product})),
        ),
        ok("register-product", body(registration("CLI 사과즙"))),
        // Last: the replacement's stocks have new item ids.
        ok(
            "update-product",
            two(
                flag("product-id", ids.product),
                body(registration("국산 사과즙 100ml x 30포")),
            ),
        ),
    ]
}

fn order_writes(ids: &Ids) -> Vec<Case> {
    vec![
        ok(
            "change-order-product-status",
            body(json!({"orderProductIds": [ids.paid], "status": "PREPARING_PRODUCT"})),
        ),
        ok(
            "update-order-product-delivery",
            body(
                json!({"orderProductId": ids.preparing, "deliveryCompany": "CJ대한통운",
                        "trackingNumber": "601234500001"}),
            ),
        ),
        ok(
            "seller-cancel-order-product",
            two(
                flag("order-product-id", ids.seller_cancel),
                body(json!({"deliveryPenaltyCharger": "MERCHANT", "reason": "재고 부족"})),
            ),
        ),
    ]
}

fn claim_writes(ids: &Ids) -> Vec<Case> {
    let claim = |command, id: i64| ok(command, flag("claim-id", id));
    let with = |command, id: i64, value: Value| ok(command, two(flag("claim-id", id), body(value)));
    let reason = |text: &str| json!({"reason": text});
    vec![
        claim("approve-cancel-claim", ids.cancel_approve),
        with(
            "reject-cancel-claim",
            ids.cancel_reject,
            reason("이미 출고 준비가 끝났습니다."),
        ),
        claim("approve-return-claim", ids.return_flow),
        claim("mark-return-collected", ids.return_flow),
        claim("complete-return-claim", ids.return_flow),
        with(
            "reject-return-claim",
            ids.return_reject,
            reason("반품 기간이 지났습니다."),
        ),
        with(
            "reject-return-collection",
            ids.return_collection_reject,
            reason("사용 흔적"),
        ),
        claim("approve-exchange-claim", ids.exchange_flow),
        claim("mark-exchange-collected", ids.exchange_flow),
        with(
            "ship-exchange-replacement",
            ids.exchange_flow,
            json!({"deliveryCompany": "CJ대한통운", "trackingNumber": "601234500002"}),
        ),
        claim("complete-exchange-claim", ids.exchange_flow),
        with(
            "reject-exchange-claim",
            ids.exchange_reject,
            reason("교환 불가 상품"),
        ),
        with(
            "reject-exchange-collection",
            ids.exchange_collection_reject,
            reason("사용 흔적"),
        ),
    ]
}

/// A registration body in the demo category, delivery group and return address.
fn registration(name: &str) -> Value {
    json!({
        "name": name, "brandName": "토스팜", "categoryId": LEAF_CATEGORY, "isTaxFree": false,
        "stocks": [{"options": [{"groupName": "(택1) 수량", "valueName": "30포"}],
                    "remainingCount": 5, "isMainPrice": true,
                    "originPrice": 39_900, "salePrice": 29_900}],
        "images": [{"type": "THUMBNAIL", "order": 0, "url": "https://example.com/t.jpg"},
                   {"type": "DESCRIPTION", "order": 1, "url": "https://example.com/d.jpg"}],
        "exposure": {"searchKeywords": ["사과즙"], "description": "청송 사과로 만든 사과즙"},
        "deliveryPolicy": {"deliveryCompanyId": 1, "deliveryFeeType": "FREE",
                           "deliveryLocationId": 301},
        "exchangeReturnPolicy": {"exchangeRefundLocationId": 401,
            "refundOneWayDeliveryFee": 3000, "exchangeRoundTripDeliveryFee": 6000,
            "applicationMethodDescription": "고객센터", "applicationTermDescription": "7일 이내"},
        "notice": {"categoryCode": "PROCESSED_FOOD",
                   "items": [{"id": 319, "content": "상세페이지 참조"}]}
    })
}

#[test]
fn the_table_has_an_invocation_of_every_operation_of_the_spec() {
    let table: BTreeSet<&str> = cases(&Ids::default()).iter().map(|c| c.command).collect();
    let missing: Vec<String> = operations()
        .iter()
        .map(|op| kebab(op.operation_id))
        .filter(|command| !table.contains(command.as_str()))
        .collect();
    assert!(missing.is_empty(), "no invocation of: {missing:?}");
    let spec: BTreeSet<String> = operations()
        .iter()
        .map(|op| kebab(op.operation_id))
        .collect();
    let unknown: Vec<&&str> = table.iter().filter(|c| !spec.contains(**c)).collect();
    assert!(unknown.is_empty(), "not operations: {unknown:?}");
}

/// An operation id as its subcommand: `list_order_products` (or `listOrderProducts`) →
/// `list-order-products`.
fn kebab(id: &str) -> String {
    let mut out = String::new();
    for ch in id.chars() {
        match ch {
            '_' => out.push('-'),
            upper if upper.is_ascii_uppercase() => {
                out.push('-');
                out.push(upper.to_ascii_lowercase());
            }
            other => out.push(other),
        }
    }
    out
}

#[tokio::test(flavor = "multi_thread")]
async fn every_operation_runs_through_the_binary() {
    let (server, client, _clock) = clocked().await;
    let ids = prepare(&server, &client).await;
    let cli = Cli::local(&server, "operations");
    let mut failures = Vec::new();
    let table = cases(&ids);
    for case in &table {
        let mut args = vec![case.command.to_string()];
        args.extend(case.args.iter().cloned());
        let run = cli.run_owned(&args).await;
        let json = serde_json::from_str::<Value>(&run.stdout);
        if run.code != Some(0) || json.is_err() {
            failures.push(run.to_string());
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {} invocations failed:\n{}",
        failures.len(),
        table.len(),
        failures.join("\n\n")
    );
}

/// Finds the ids through the SDK and makes, as buyers and carriers, the orders and claims
/// the writes act on.
async fn prepare(server: &LocalServer, client: &Client) -> Ids {
    let products = value(client.list_products().size(100).await.unwrap());
    let on_sale: Vec<i64> = products["products"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|p| p["inspectionStatus"] == "COMPLETE" && p["exposureStatus"] == "EXPOSURE")
        .map(|p| p["id"].as_i64().unwrap())
        .collect();
    let (product, other_product) = (on_sale[0], on_sale[1]);
    let hidden_product = products["products"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["inspectionStatus"] == "COMPLETE" && p["exposureStatus"].is_null())
        .map(|p| p["id"].as_i64().unwrap())
        .unwrap();
    let items = value(
        client
            .list_product_items()
            .product_id(product)
            .await
            .unwrap(),
    );
    let item = items["items"][0]["itemId"].as_i64().unwrap();
    let impositions = value(client.list_penalty_impositions().await.unwrap());
    let holidays = value(
        client
            .list_holidays()
            .start_date(TODAY)
            .end_date("2026-12-31")
            .await
            .unwrap(),
    );
    let groups = value(client.list_delivery_fee_groups().await.unwrap());
    let locations = value(client.list_exchange_refund_locations().await.unwrap());
    let not_main = |list: &Value| {
        list["items"]
            .as_array()
            .unwrap()
            .iter()
            .find(|entry| entry["isMain"] == false)
            .map(|entry| entry["id"].as_i64().unwrap())
            .unwrap()
    };
    let claims = value(
        client
            .list_claims()
            .type_("RETURN")
            .status("REQUESTED")
            .await
            .unwrap(),
    );
    let orders = Orders::new(server, client, item);
    Ids {
        product,
        other_product,
        hidden_product,
        item,
        imposition: impositions["items"][0]["penaltyImpositionId"]
            .as_i64()
            .unwrap(),
        holiday: holidays["items"][0]["holidayId"].as_i64().unwrap(),
        fee_group: not_main(&groups),
        location: not_main(&locations),
        paid: orders.paid(),
        preparing: orders.preparing().await,
        seller_cancel: orders.paid(),
        cancel_approve: orders.cancel_request().await,
        cancel_reject: orders.cancel_request().await,
        return_flow: claims["items"][0]["id"].as_i64().unwrap(),
        return_reject: orders.return_request().await,
        return_collection_reject: orders.collected_return().await,
        exchange_flow: orders.exchange_request().await,
        exchange_reject: orders.exchange_request().await,
        exchange_collection_reject: orders.collected_exchange().await,
    }
}
