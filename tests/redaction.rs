//! Buyer data never appears in the `Debug` output of the generated types.
//!
//! - Realistic order and claim pages, decoded by the public client from a wiremock server on
//!   loopback, print none of the buyers' names, phones, addresses, memos or images in `{:?}`
//!   or `{:#?}`, and still print the ids, statuses and product data.
//! - Every property the spec marks `x-toss-personal` is redacted in its type and its builder
//!   (a marker put in each one never shows), and every other field still shows; a newly
//!   marked schema fails here until its type is listed.
//! - Every property of the buyer-facing schemas whose name looks personal is either marked
//!   or on an allow-list that says why it is not personal, so the spec cannot miss one.

use std::collections::{BTreeMap, BTreeSet};
use std::sync::LazyLock;

use chrono::NaiveDate;
use serde_json::{Value, json};
use toss_shopping::types;
use toss_shopping::{Client, RateLimits, RetryPolicy};
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

/// The spec, as JSON.
static SPEC: LazyLock<Value> = LazyLock::new(|| {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/spec/toss-shopping.yaml");
    let text = std::fs::read_to_string(path).expect("spec/toss-shopping.yaml is readable");
    serde_norway::from_str(&text).expect("the spec is YAML")
});

/// The extension under test.
const PERSONAL: &str = "x-toss-personal";

// ------------------------------------------------------------------ realistic pages

/// The buyer data of the realistic rows below: none of it may show.
const BUYER_DATA: &[&str] = &[
    "류하늘빛",
    "0507-1234-5678",
    "010-9876-5432",
    "남궁별하",
    "0508-2222-3333",
    "010-5555-7777",
    "서울특별시 성동구 왕십리로 83-21",
    "아크로서울포레스트 101동 2304호",
    "04769",
    "공동현관 비밀번호 #4827",
    "010-2468-1357",
    "IMG_2043.jpg",
    "경기도 이천시 마장면 덕이로 154-12",
    // The second order's buyer.
    "황보은결",
    "부산광역시 해운대구 센텀중앙로 97",
];

fn order_page() -> Value {
    json!({
        "results": [
            {
                "orderedAt": "2026-07-11T20:51:39", "canceledAt": null, "confirmedAt": null,
                "shippingDeadlineAt": "2026-07-14T23:59:59",
                "orderId": 2026071100123_i64, "orderProductId": 271684435, "productId": 90001234,
                "stockId": 5678,
                "ordererName": "류하늘빛", "ordererPhone": "0507-1234-5678",
                "ordererRealPhone": "010-9876-5432",
                "receiverName": "남궁별하", "receiverPhone": "0508-2222-3333",
                "receiverRealPhone": "010-5555-7777",
                "address": "서울특별시 성동구 왕십리로 83-21",
                "detailAddress": "아크로서울포레스트 101동 2304호", "zipCode": "04769",
                "shippingNote": "부재 시 경비실, 공동현관 비밀번호 #4827",
                "productName": "제주 햇 한라봉 3kg", "optionName": "3kg,1박스,중과",
                "quantity": 1, "price": 29900, "originPrice": 35000, "totalDiscountPrice": 5100,
                "orderProductStatus": "DELIVERING", "deliveryCompanyCode": "CJ대한통운",
                "shippingTrackingNumber": "684512397702", "deliveryLocationType": "NORMAL",
                "deliveryFee": 0, "productManagementCode": "HALLA-3KG"
            },
            {
                // A row without phones: the missing values still show as `None`.
                "orderedAt": "2026-07-12T08:02:11",
                "orderId": 2026071200456_i64, "orderProductId": 271684999, "productId": 90001234,
                "ordererName": "황보은결", "receiverName": "황보은결",
                "address": "부산광역시 해운대구 센텀중앙로 97", "detailAddress": "",
                "zipCode": "48058",
                "productName": "제주 햇 한라봉 3kg", "optionName": "3kg,1박스,중과",
                "quantity": 2, "price": 59800, "orderProductStatus": "PAID"
            }
        ],
        "nextCursor": null
    })
}

fn claim_page() -> Value {
    json!({
        "items": [{
            "id": 20931847, "requestedDt": "2026-07-16T09:41:27",
            "type": "RETURN", "status": "REQUESTED",
            "requestReason": "상품 불량",
            "requestDetailReason": "상자가 찢어져 왔어요. 010-2468-1357로 연락 주세요",
            "requestImages": ["https://static.toss.im/claims/u/8832/IMG_2043.jpg"],
            "requestDeliveryPenaltyCharger": "MERCHANT",
            "refundOneWayDeliveryFee": 3000, "roundTripDeliveryFee": 6000,
            "returnAddress": "경기도 이천시 마장면 덕이로 154-12",
            "order": {
                "id": 2026071100123_i64, "orderProductId": 271684435,
                "ordererName": "류하늘빛", "ordererPhoneNumber": "0507-1234-5678",
                "receiverName": "남궁별하", "receiverPhoneNumber": "0508-2222-3333",
                "deliveryCompany": "CJ대한통운", "shippingTrackingNumber": "684512397702",
                "address": "서울특별시 성동구 왕십리로 83-21 아크로서울포레스트 101동 2304호",
                "price": 29900, "createdDt": "2026-07-11T20:51:39"
            },
            "product": {
                "id": 90001234, "name": "제주 햇 한라봉 3kg", "optionName": "3kg,1박스,중과",
                "quantity": 1
            },
            "claimDeliveryPaymentAmount": null
        }],
        "hasNext": false,
        "nextToken": null
    })
}

/// A client of a wiremock server on loopback that answers `route` with `payload`.
async fn serving(route: &str, payload: Value) -> (MockServer, Client) {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path(route))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_json(json!({"resultType": "SUCCESS", "success": payload, "error": null})),
        )
        .expect(1)
        .mount(&server)
        .await;
    let client = Client::builder()
        .base_url(server.uri())
        .bearer_token("redaction-test-token")
        .retry(RetryPolicy::none())
        .rate_limits(RateLimits::Off)
        .build()
        .expect("client builds");
    (server, client)
}

fn day(d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 7, d).expect("valid date")
}

/// `shown` holds no buyer data and every one of `kept`.
fn assert_redacted(shown: &str, kept: &[&str]) {
    for personal in BUYER_DATA {
        assert!(!shown.contains(personal), "{personal} in {shown}");
    }
    for kept in kept {
        assert!(shown.contains(kept), "{kept} missing from {shown}");
    }
}

#[tokio::test]
async fn an_order_page_prints_no_buyer_data() {
    let (_server, client) = serving("/api/v3/shopping-fep/orders/v2", order_page()).await;
    let page = client
        .list_order_products()
        .start_date(day(1))
        .end_date(day(31))
        .await
        .expect("the page decodes");
    assert_eq!(page.results.len(), 2);
    // The values are all there to read; only Debug leaves them out.
    assert_eq!(page.results[0].orderer_name.as_deref(), Some("류하늘빛"));
    let kept = [
        "OrderProduct",
        "order_product_id",
        "271684435",
        "2026071100123",
        "Delivering",
        "Paid",
        "제주 햇 한라봉 3kg",
        "3kg,1박스,중과",
        "684512397702",
        "HALLA-3KG",
    ];
    assert_redacted(&format!("{page:?}"), &kept);
    assert_redacted(&format!("{page:#?}"), &kept);
    let shown = format!("{:?}", page.results[1]);
    assert!(
        shown.contains("order_product_id: Some(271684999)"),
        "{shown}"
    );
    assert!(shown.contains("orderer_name: Some(<redacted>)"), "{shown}");
    assert!(shown.contains("orderer_real_phone: None"), "{shown}");
    assert!(shown.contains("shipping_note: None"), "{shown}");
    // An empty string is a value like any other: its emptiness does not show either.
    assert!(
        shown.contains("detail_address: Some(<redacted>)"),
        "{shown}"
    );
    let pretty = format!("{:#?}", page.results[0]);
    assert!(
        pretty.contains("    receiver_real_phone: Some(<redacted>),\n"),
        "{pretty}"
    );
    // A builder made from a row holds the same data and hides it the same way.
    let builder = types::builder::OrderProduct::from(page.results[0].clone());
    assert_redacted(
        &format!("{builder:?}"),
        &["order_product_id: Ok(Some(271684435))"],
    );
    assert!(format!("{builder:?}").contains("orderer_name: Ok(Some(<redacted>))"));
}

#[tokio::test]
async fn a_claim_page_prints_no_buyer_data() {
    let (_server, client) = serving("/api/v3/shopping-fep/claims", claim_page()).await;
    let page = client.list_claims().await.expect("the page decodes");
    let kept = [
        "Claim",
        "ClaimOrder",
        "20931847",
        "271684435",
        "Return",
        "Requested",
        "상품 불량",
        "제주 햇 한라봉 3kg",
        "684512397702",
        "refund_one_way_delivery_fee",
    ];
    assert_redacted(&format!("{page:?}"), &kept);
    assert_redacted(&format!("{page:#?}"), &kept);
    let shown = format!("{page:?}");
    assert!(shown.contains("id: Some(20931847)"), "{shown}");
    for field in [
        "request_detail_reason",
        "request_images",
        "return_address",
        "orderer_phone_number",
    ] {
        assert!(
            shown.contains(&format!("{field}: Some(<redacted>)")),
            "{field} in {shown}"
        );
    }
}

// ------------------------------------------------------------------ spec ↔ code

/// The generated types of the schemas that have `x-toss-personal` properties: a marked
/// schema missing here fails `every_marked_property_is_redacted`, so add it.
macro_rules! debug_of {
    ($schema:expr, $value:expr; $($name:ident),* $(,)?) => {
        match $schema {
            $(stringify!($name) => {
                let decoded: types::$name = serde_json::from_value($value)
                    .unwrap_or_else(|e| panic!("{}: {e}", stringify!($name)));
                let builder = types::builder::$name::from(decoded.clone());
                Some([
                    format!("{decoded:?}"),
                    format!("{decoded:#?}"),
                    format!("{builder:?}"),
                ])
            })*
            _ => None,
        }
    };
}

/// `Debug` of `value` decoded as the schema's type: plain, pretty and of its builder.
fn debug_outputs(schema: &str, value: Value) -> Option<[String; 3]> {
    debug_of!(schema, value; OrderProduct, Claim, ClaimOrder)
}

/// Schema name → its properties (name → property schema).
fn schemas() -> BTreeMap<&'static str, &'static serde_json::Map<String, Value>> {
    SPEC["components"]["schemas"]
        .as_object()
        .expect("components.schemas")
        .iter()
        .filter_map(|(name, schema)| Some((name.as_str(), schema.get("properties")?.as_object()?)))
        .collect()
}

/// Whether a property schema carries `x-toss-personal: true`.
fn is_marked(property: &Value) -> bool {
    property.get(PERSONAL) == Some(&Value::Bool(true))
}

/// Schema name → its marked properties.
fn marked() -> BTreeMap<&'static str, BTreeSet<&'static str>> {
    let mut marked: BTreeMap<&str, BTreeSet<&str>> = BTreeMap::new();
    for (schema, properties) in schemas() {
        for (name, property) in properties {
            if is_marked(property) {
                marked.entry(schema).or_default().insert(name.as_str());
            }
        }
    }
    marked
}

/// `ordererRealPhone` → `orderer_real_phone`, the field name typify gives a property.
fn snake(name: &str) -> String {
    let mut out = String::new();
    for c in name.chars() {
        if c.is_ascii_uppercase() {
            out.push('_');
        }
        out.push(c.to_ascii_lowercase());
    }
    out
}

/// A value for a personal property holding `marker`, by the property's JSON type.
fn personal_value(schema: &str, name: &str, property: &Value, marker: &str) -> Value {
    match property.get("type").and_then(Value::as_str) {
        Some("string") => json!(marker),
        Some("array") => json!([marker]),
        other => {
            panic!("{schema}.{name}: teach this test to fill a personal property of type {other:?}")
        }
    }
}

/// A plain text property: no enum, pattern or format, not a reference.
fn is_plain_text(property: &Value) -> bool {
    property.get("type").and_then(Value::as_str) == Some("string")
        && ["enum", "pattern", "format", "allOf", "$ref"]
            .iter()
            .all(|key| property.get(*key).is_none())
}

#[test]
fn the_spec_marks_the_order_and_claim_personal_fields() {
    let marked = marked();
    for schema in ["OrderProduct", "Claim", "ClaimOrder"] {
        assert!(marked.contains_key(schema), "{schema} has marked fields");
    }
    assert!(marked["OrderProduct"].contains("receiverRealPhone"));
}

#[test]
fn every_marked_property_is_redacted() {
    let schemas = schemas();
    for (schema, personal) in marked() {
        let properties = schemas[schema];
        let mut value = serde_json::Map::new();
        let mut hidden = Vec::new();
        let mut kept = Vec::new();
        for (index, (name, property)) in properties.iter().enumerate() {
            if personal.contains(name.as_str()) {
                let marker = format!("PERSONAL-{schema}-{index}");
                value.insert(
                    name.clone(),
                    personal_value(schema, name, property, &marker),
                );
                hidden.push((name.as_str(), marker));
            } else if is_plain_text(property) {
                let marker = format!("KEPT-{schema}-{index}");
                value.insert(name.clone(), json!(marker));
                kept.push(marker);
            }
        }
        assert!(!kept.is_empty(), "{schema}: some field must stay visible");
        let required = SPEC["components"]["schemas"][schema]["required"].as_array();
        assert!(
            required.is_none_or(|r| r
                .iter()
                .all(|p| value.contains_key(p.as_str().unwrap_or("")))),
            "{schema}: teach this test to fill its required properties"
        );
        let outputs = debug_outputs(schema, Value::Object(value)).unwrap_or_else(|| {
            panic!("{schema} has {PERSONAL} properties: add it to `debug_outputs`")
        });
        let [plain, pretty, builder] = &outputs;
        for shown in &outputs {
            for (name, marker) in &hidden {
                assert!(
                    !shown.contains(marker.as_str()),
                    "{schema}.{name} shows in {shown}"
                );
            }
            for marker in &kept {
                assert!(
                    shown.contains(marker.as_str()),
                    "{marker} missing from {shown}"
                );
            }
            assert!(shown.contains(schema), "{shown}");
        }
        for (name, _) in &hidden {
            let field = snake(name);
            let present = format!("{field}: Some(<redacted>)");
            assert!(plain.contains(&present), "{present} in {plain}");
            assert!(
                pretty.contains(&format!("{present},\n")),
                "{present} in {pretty}"
            );
            let built = format!("{field}: Ok(Some(<redacted>))");
            assert!(builder.contains(&built), "{built} in {builder}");
        }
        // Absent values stay visible as absent.
        let [empty, _, _] = debug_outputs(schema, json!({})).expect("listed");
        for (name, _) in &hidden {
            let absent = format!("{}: None", snake(name));
            assert!(empty.contains(&absent), "{absent} in {empty}");
        }
    }
}

// ------------------------------------------------------------------ nothing missed

/// The spec's tags whose operations carry buyers' orders and claims: every schema their
/// requests and answers reach is checked for properties that look personal.
const BUYER_TAGS: &[&str] = &[
    "orders",
    "deliveries",
    "claims",
    "seller-cancel",
    "settlements",
];

/// Parts of property names that suggest personal data (matched case-insensitively).
const LOOKS_PERSONAL: &[&str] = &[
    "name",
    "phone",
    "tel",
    "mobile",
    "mail",
    "address",
    "zip",
    "postal",
    "note",
    "memo",
    "message",
    "reason",
    "image",
    "photo",
    "orderer",
    "receiver",
    "recipient",
    "buyer",
    "customer",
    "user",
    "person",
    "contact",
    "customs",
    "birth",
];

/// Properties that look personal and are not, with why.
const NOT_PERSONAL: &[(&str, &str, &str)] = &[
    (
        "ErrorDetail",
        "reason",
        "the vendor's error message about the request",
    ),
    ("OrderProduct", "productName", "the seller's product name"),
    ("OrderProduct", "optionName", "the seller's option name"),
    (
        "OrderProductStatusChangeRequest",
        "delayReasonType",
        "a code the seller picks",
    ),
    (
        "OrderProductStatusChangeResult",
        "failedReasons",
        "the vendor's reasons a change failed",
    ),
    (
        "FailedReasonDetail",
        "reason",
        "the vendor's reason a change failed",
    ),
    (
        "Claim",
        "requestReason",
        "a reason from the vendor's fixed list (구매 의사 취소, 상품 불량)",
    ),
    ("ClaimProduct", "name", "the seller's product name"),
    ("ClaimProduct", "optionName", "the seller's option name"),
    (
        "SellerCancelRequest",
        "reason",
        "the seller's own words to the buyer",
    ),
    (
        "SellerCancelRequest",
        "detailReason",
        "the seller's own words to the buyer",
    ),
    (
        "SettlementLine",
        "displayProductName",
        "the product name, or 배송비 (delivery fee)",
    ),
];

/// The schemas the operations under `BUYER_TAGS` reach through `$ref`s.
fn buyer_schemas() -> BTreeSet<String> {
    fn reach(value: &Value, seen: &mut BTreeSet<String>) {
        match value {
            Value::Object(map) => {
                if let Some(reference) = map.get("$ref").and_then(Value::as_str)
                    && seen.insert(reference.to_string())
                {
                    let target = SPEC
                        .pointer(reference.trim_start_matches('#'))
                        .unwrap_or_else(|| panic!("{reference} points at nothing"));
                    reach(target, seen);
                }
                map.values().for_each(|child| reach(child, seen));
            }
            Value::Array(items) => items.iter().for_each(|child| reach(child, seen)),
            _ => {}
        }
    }
    let tags: BTreeSet<&str> = SPEC["tags"]
        .as_array()
        .expect("tags")
        .iter()
        .filter_map(|tag| tag["name"].as_str())
        .collect();
    for tag in BUYER_TAGS {
        assert!(tags.contains(tag), "the spec has no tag {tag}");
    }
    let mut seen = BTreeSet::new();
    for item in SPEC["paths"].as_object().expect("paths").values() {
        for operation in item.as_object().expect("a path item").values() {
            let tagged = operation["tags"].as_array().is_some_and(|t| {
                t.iter()
                    .any(|t| BUYER_TAGS.contains(&t.as_str().unwrap_or("")))
            });
            if tagged {
                reach(operation, &mut seen);
            }
        }
    }
    seen.iter()
        .filter_map(|r| r.strip_prefix("#/components/schemas/"))
        .map(str::to_string)
        .collect()
}

/// Every property of `schema` (nested inline objects included) as `(path, name, property)`.
fn properties_of<'a>(schema: &'a Value, at: &str, out: &mut Vec<(String, &'a str, &'a Value)>) {
    match schema {
        Value::Object(map) => {
            if let Some(properties) = map.get("properties").and_then(Value::as_object) {
                for (name, property) in properties {
                    out.push((at.to_string(), name, property));
                    properties_of(property, &format!("{at}.{name}"), out);
                }
            }
            for (key, child) in map {
                if key != "properties" {
                    properties_of(child, at, out);
                }
            }
        }
        Value::Array(items) => items.iter().for_each(|child| properties_of(child, at, out)),
        _ => {}
    }
}

#[test]
fn every_property_that_looks_personal_is_marked_or_explained() {
    let scope = buyer_schemas();
    for schema in ["OrderProduct", "Claim", "ClaimOrder", "SellerCancelRequest"] {
        assert!(scope.contains(schema), "{schema} is reached: {scope:?}");
    }
    let mut suspects = BTreeSet::new();
    let mut unmarked = Vec::new();
    let mut schemas_to_check: BTreeSet<String> = scope;
    // A schema with a marked property is checked wherever it is used.
    schemas_to_check.extend(marked().keys().map(|s| s.to_string()));
    for schema in &schemas_to_check {
        let mut properties = Vec::new();
        properties_of(
            &SPEC["components"]["schemas"][schema.as_str()],
            schema,
            &mut properties,
        );
        for (at, name, property) in properties {
            let lower = name.to_lowercase();
            if !LOOKS_PERSONAL.iter().any(|part| lower.contains(part)) {
                continue;
            }
            suspects.insert((at.clone(), name.to_string()));
            let explained = NOT_PERSONAL.iter().any(|(s, p, _)| *s == at && *p == name);
            if !is_marked(property) && !explained {
                unmarked.push(format!("{at}.{name}"));
            }
        }
    }
    assert!(
        unmarked.is_empty(),
        "these look personal: mark them `{PERSONAL}: true` in the spec, or add them to \
         NOT_PERSONAL with the reason they are not: {unmarked:?}"
    );
    for (schema, property, why) in NOT_PERSONAL {
        assert!(
            suspects.contains(&(schema.to_string(), property.to_string())),
            "NOT_PERSONAL lists {schema}.{property} ({why}), which is no longer a checked \
             property that looks personal: remove it"
        );
        let marked = SPEC["components"]["schemas"][schema]["properties"][property].clone();
        assert!(
            !is_marked(&marked),
            "{schema}.{property} is marked and allowed at once"
        );
    }
}
