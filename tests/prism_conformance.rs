//! Every operation of the spec, called through the SDK with valid inputs, through
//! `prism proxy --errors spec/toss-shopping.yaml` in front of the local server: an independent
//! validator checks that each request the SDK sends and each answer the local server gives
//! match the spec.
//!
//! Prism answers 422 to a request that breaks the spec and 500 to an answer that breaks it,
//! so either turns the call into an SDK error and the test fails; the test also fails when
//! prism's log records a violation of any severity. `.ci/conformance` starts the local
//! server (`examples/conformance_server.rs`, which prepares the orders and claims the writes
//! need) and prism, then runs this test with
//!
//! - `TOSS_CONFORMANCE_PRISM_URL`: prism's base URL, e.g. `http://127.0.0.1:4010`;
//! - `TOSS_CONFORMANCE_SERVER_INFO`: the file holding the server's JSON line (its token URL,
//!   demo keys and prepared ids);
//! - `TOSS_CONFORMANCE_PRISM_LOG` (optional): prism's log, read for violations.
//!
//! It is `#[ignore]`d so the README's test command, which starts no prism, skips it. The
//! coverage check at the bottom is not ignored: it fails as soon as an operation of the spec
//! has no call in the table.

use std::collections::BTreeSet;
use std::future::Future;
use std::pin::Pin;

use serde::de::DeserializeOwned;
use serde_json::{Map, Value, json};
use toss_shopping::types;
use toss_shopping::{Call, Client, Credentials, Error, Operation, RateLimits, RetryPolicy};

/// The demo leaf category (식품 > 가공식품 > 과자) and its constraint template: no list
/// operation names templates by id, so the seed's id is used (as in the CLI tests).
const LEAF_CATEGORY: i64 = 1_031_001;
const LEAF_TEMPLATE: i64 = 7_001;
/// The server's "today": its manual clock stands at noon KST on this day.
const TODAY: &str = "2026-07-20";

/// The ids the example server prepared (see `examples/conformance_server.rs`).
#[derive(Debug, Default, serde::Deserialize)]
#[serde(rename_all = "camelCase")]
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

/// One call of the table: the operation it calls (read from the builder's type, so the
/// coverage check cannot be fooled by a wrong label) and the call itself, not yet sent.
struct Case<'a> {
    operation: &'static str,
    call: Pin<Box<dyn Future<Output = Result<(), Error>> + Send + 'a>>,
}

/// A call of `builder`; awaiting the case sends it once.
fn case<'a, B: Operation<'a>>(builder: B) -> Case<'a> {
    Case {
        operation: B::meta().operation_id,
        call: Box::pin(async move { Call::new(builder).await.map(drop) }),
    }
}

/// A calendar day (`yyyy-MM-dd`).
fn date(text: &str) -> chrono::NaiveDate {
    text.parse().expect("a date")
}

/// A typed request body from JSON.
fn typed<T: DeserializeOwned>(value: Value) -> T {
    serde_json::from_value(value).expect("the body fits its type")
}

/// A free-form request body from a JSON object.
fn object(value: Value) -> Map<String, Value> {
    match value {
        Value::Object(map) => map,
        other => panic!("not a JSON object: {other}"),
    }
}

/// The table: every operation at least once, in an order where each write finds the state
/// it needs (the order of the CLI's table in `tests/cli/operations.rs`). No call may FAIL.
fn cases<'a>(client: &'a Client, ids: &Ids) -> Vec<Case<'a>> {
    let mut all = reads(client, ids);
    all.extend(merchant_writes(client, ids));
    all.extend(product_writes(client, ids));
    all.extend(order_writes(client, ids));
    all.extend(claim_writes(client, ids));
    all
}

fn reads<'a>(c: &'a Client, ids: &Ids) -> Vec<Case<'a>> {
    vec![
        case(c.get_penalty_summary()),
        case(c.list_penalty_impositions()),
        case(c.list_holidays().start_date(TODAY).end_date("2026-12-31")),
        case(c.list_delivery_fee_groups()),
        case(c.list_exchange_refund_locations()),
        case(c.list_delivery_companies()),
        case(c.list_invoice_delivery_companies()),
        case(c.list_child_categories()),
        case(
            c.get_category_constraint_templates()
                .category_id(LEAF_CATEGORY),
        ),
        case(
            c.get_product_constraint_template()
                .template_id(LEAF_TEMPLATE),
        ),
        case(c.list_notice_category_codes()),
        case(c.list_notice_items().category_code("PROCESSED_FOOD")),
        case(c.list_products().size(100)),
        case(c.get_product().product_id(ids.product)),
        case(c.list_items_grouped_by_products()),
        case(c.list_product_items().product_id(ids.product)),
        case(c.get_purchase_limit().product_id(ids.product)),
        case(
            c.list_order_products()
                .start_date(date("2026-07-14"))
                .end_date(date(TODAY)),
        ),
        case(c.get_order_product().order_product_id(ids.paid)),
        case(c.list_claims()),
        case(
            c.list_settlement_steps()
                .date_condition("PAYOUT_BASE_DATE")
                .size(50)
                .from_date(date("2026-06-21"))
                .to_date(date(TODAY)),
        ),
    ]
}

fn merchant_writes<'a>(c: &'a Client, ids: &Ids) -> Vec<Case<'a>> {
    vec![
        case(c.submit_penalty_appeal().body(object(json!({
            "penaltyImpositionId": ids.imposition,
            "description": "택배사 집하 지연으로 발송이 늦어졌습니다."})))),
        case(c.create_holiday().body(object(json!({
            "startDate": "2026-10-09", "endDate": "2026-10-09", "description": "한글날"})))),
        case(
            c.update_holiday()
                .holiday_id(ids.holiday)
                .body(object(json!({"description": "여름 휴가 (변경)"}))),
        ),
        case(c.delete_holiday().holiday_id(ids.holiday)),
        case(c.create_delivery_fee_group().body(object(
            json!({"name": "적합성 묶음", "deliveryFee": 3000, "isMain": false}),
        ))),
        case(
            c.update_delivery_fee_group()
                .body(object(json!({"id": ids.fee_group, "deliveryFee": 5000}))),
        ),
        case(c.create_exchange_refund_location().body(typed::<
            types::ExchangeRefundLocationCreateRequest,
        >(json!({
                    "zipCode": "04524", "address": "서울특별시 중구 세종대로 110",
                    "detailAddress": "적합성 반품지", "isMain": false})))),
        case(c.update_exchange_refund_location().body(object(
            json!({"id": ids.location, "detailAddress": "토스상회 반품센터 2층"}),
        ))),
    ]
}

fn product_writes<'a>(c: &'a Client, ids: &Ids) -> Vec<Case<'a>> {
    let price = |field: &str, value: i64| json!({"productId": ids.product, field: value});
    let product = |id: i64| typed::<types::ProductIdRequest>(json!({"productId": id}));
    vec![
        case(
            c.update_item_sale_price()
                .product_item_id(ids.item)
                .body(typed::<types::ItemSalePriceChangeRequest>(price(
                    "salePrice",
                    18_900,
                ))),
        ),
        case(
            c.update_item_origin_price()
                .product_item_id(ids.item)
                .body(typed::<types::ItemOriginPriceChangeRequest>(price(
                    "originPrice",
                    26_000,
                ))),
        ),
        case(
            c.update_item_normal_stock()
                .product_item_id(ids.item)
                .body(typed::<types::ItemNormalStockChangeRequest>(price(
                    "remainingCount",
                    200,
                ))),
        ),
        case(c.create_purchase_limit().body(object(json!({
            "productId": ids.product, "maxPurchaseQuantityPerOrder": 5,
            "maxPurchaseQuantityPerPerson": 10})))),
        case(
            c.delete_purchase_limit()
                .body(object(json!({"productId": ids.product}))),
        ),
        // The demo's hidden product is shown; another is hidden, then removed (a product on
        // show cannot be removed).
        case(c.show_product().body(product(ids.hidden_product))),
        case(c.hide_product().body(product(ids.other_product))),
        case(c.remove_product().body(product(ids.other_product))),
        case(c.register_product().body(registration("적합성 사과즙"))),
        // Last: the replacement's stocks have new item ids.
        case(
            c.update_product()
                .product_id(ids.product)
                .body(registration("국산 사과즙 100ml x 30포")),
        ),
    ]
}

fn order_writes<'a>(c: &'a Client, ids: &Ids) -> Vec<Case<'a>> {
    vec![
        case(c.change_order_product_status().body(
            typed::<types::OrderProductStatusChangeRequest>(
                json!({"orderProductIds": [ids.paid], "status": "PREPARING_PRODUCT"}),
            ),
        )),
        case(
            c.update_order_product_delivery()
                .body(typed::<types::OrderProductInvoiceRequest>(json!({
                "orderProductId": ids.preparing, "deliveryCompany": "CJ대한통운",
                "trackingNumber": "601234500001"}))),
        ),
        case(
            c.seller_cancel_order_product()
                .order_product_id(ids.seller_cancel)
                .body(typed::<types::SellerCancelRequest>(
                    json!({"deliveryPenaltyCharger": "MERCHANT", "reason": "재고 부족"}),
                )),
        ),
    ]
}

fn claim_writes<'a>(c: &'a Client, ids: &Ids) -> Vec<Case<'a>> {
    let reason = |text: &str| object(json!({"reason": text}));
    vec![
        case(c.approve_cancel_claim().claim_id(ids.cancel_approve)),
        case(
            c.reject_cancel_claim()
                .claim_id(ids.cancel_reject)
                .body(reason("이미 출고 준비가 끝났습니다.")),
        ),
        case(c.approve_return_claim().claim_id(ids.return_flow)),
        case(c.mark_return_collected().claim_id(ids.return_flow)),
        case(c.complete_return_claim().claim_id(ids.return_flow)),
        case(
            c.reject_return_claim()
                .claim_id(ids.return_reject)
                .body(reason("반품 기간이 지났습니다.")),
        ),
        case(
            c.reject_return_collection()
                .claim_id(ids.return_collection_reject)
                .body(reason("사용 흔적")),
        ),
        case(c.approve_exchange_claim().claim_id(ids.exchange_flow)),
        case(c.mark_exchange_collected().claim_id(ids.exchange_flow)),
        case(
            c.ship_exchange_replacement()
                .claim_id(ids.exchange_flow)
                .body(object(json!({"deliveryCompany": "CJ대한통운",
                                    "trackingNumber": "601234500002"}))),
        ),
        case(c.complete_exchange_claim().claim_id(ids.exchange_flow)),
        case(
            c.reject_exchange_claim()
                .claim_id(ids.exchange_reject)
                .body(reason("교환 불가 상품")),
        ),
        case(
            c.reject_exchange_collection()
                .claim_id(ids.exchange_collection_reject)
                .body(reason("사용 흔적")),
        ),
    ]
}

/// A registration body in the demo category, delivery group and return address.
fn registration(name: &str) -> types::ProductRegistration {
    typed(json!({
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
    }))
}

/// A variable the script must set.
fn required_env(name: &str) -> String {
    std::env::var(name).unwrap_or_else(|_| panic!("{name} is not set: run .ci/conformance"))
}

#[tokio::test(flavor = "multi_thread")]
#[ignore = "needs prism and the local server: run by .ci/conformance"]
async fn every_operation_passes_prism_through_the_sdk() {
    let prism_url = required_env("TOSS_CONFORMANCE_PRISM_URL");
    let info_path = required_env("TOSS_CONFORMANCE_SERVER_INFO");
    let info: Value = serde_json::from_str(
        &std::fs::read_to_string(&info_path).expect("the server info file is readable"),
    )
    .expect("the server info is JSON");
    let ids: Ids = serde_json::from_value(info["ids"].clone()).expect("the prepared ids");
    let text = |key: &str| info[key].as_str().expect(key).to_string();
    // The token endpoint is not in the spec (prism would answer it 404), so the SDK fetches
    // tokens from the local server directly; every API call goes through prism.
    let client = Client::builder()
        .base_url(prism_url)
        .token_url(text("tokenUrl"))
        .credentials_from(Credentials::new(text("accessKey"), text("secretKey")))
        .rate_limits(RateLimits::Off)
        .retry(RetryPolicy::none())
        .build()
        .expect("a client");

    let table = cases(&client, &ids);
    let total = table.len();
    let mut failures = Vec::new();
    for case in table {
        if let Err(error) = case.call.await {
            failures.push(format!("{}: {error}", case.operation));
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {total} calls failed through prism (422: the request broke the spec; 500: the \
         answer did; a FAIL envelope: the prepared state was wrong; `PRISM_ERRORS=0 \
         .ci/conformance prism` logs what prism found wrong):\n{}",
        failures.len(),
        failures.join("\n")
    );
    if let Ok(log) = std::env::var("TOSS_CONFORMANCE_PRISM_LOG") {
        let log = std::fs::read_to_string(log).expect("prism's log is readable");
        let violations: Vec<&str> = log
            .lines()
            .filter(|line| line.contains("Violation:") || line.contains("VIOLATIONS"))
            .collect();
        assert!(
            violations.is_empty(),
            "prism logged violations:\n{}",
            violations.join("\n")
        );
    }
    println!("{total} calls through prism, every one of the spec's operations, no violation");
}

#[test]
fn the_table_calls_every_operation_of_the_spec() {
    // Never sent: the cases are only built, to read which operations they call.
    let client = Client::builder()
        .base_url("http://127.0.0.1:9")
        .credentials("unused", "unused")
        .build()
        .expect("a client");
    let called: BTreeSet<&str> = cases(&client, &Ids::default())
        .iter()
        .map(|case| case.operation)
        .collect();
    let missing: Vec<&str> = toss_shopping::operations()
        .iter()
        .map(|op| op.operation_id)
        .filter(|id| !called.contains(id))
        .collect();
    assert!(missing.is_empty(), "no call of: {missing:?}");
}
