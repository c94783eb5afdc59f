//! Products: register, update, read, list, show, hide, delete.

use std::str::FromStr;

use serde_json::json;
use toss_shopping::types::{
    DeliveryFeeType, DeliveryPolicy, ExchangeReturnPolicy, ExposureStatus, InspectionStatus,
    NoticeItemContent, ProductExposure, ProductImage, ProductImageType, ProductImageTypeKnown,
    ProductNotice, ProductStock, StockImage, StockOption, builder,
};
use toss_shopping::{Error, Problem};

use crate::support::{Harness, assert_nothing_sent, ok, refused};

/// The product the tests register and replace.
const PRODUCT_ID: i64 = 1234567;

fn option(group: &str, value: &str) -> StockOption {
    StockOption {
        group_name: group.to_string(),
        value_name: value.parse().expect("a valid option value"),
    }
}

fn image(type_: ProductImageTypeKnown, order: i32, url: &str) -> ProductImage {
    ProductImage {
        type_,
        order,
        url: Some(url.parse().expect("a URL of at most 255 characters")),
        html: None,
    }
}

/// Two options (30 and 60 sachets); on replace, `ids` are the `(id, itemId)` pairs to keep.
fn stocks(ids: Option<[(i64, i64); 2]>, main_sale_price: i64) -> Vec<ProductStock> {
    let [first, second] = match ids {
        Some([a, b]) => [Some(a), Some(b)],
        None => [None, None],
    };
    vec![
        ProductStock {
            id: first.map(|(id, _)| id),
            item_id: first.map(|(_, item)| item),
            options: vec![option("수량", "30포"), option("개당 용량", "100ml")],
            remaining_count: 120,
            is_main_price: true,
            origin_price: 39900,
            sale_price: main_sale_price,
            management_code: Some("AJ-30".into()),
            images: vec![StockImage {
                url: "https://cdn.tosspharm.co.kr/products/apple-juice/option-30.jpg".into(),
                order: Some(1),
            }],
            is_hide: Some(false),
            is_purchasable_alone: None,
        },
        ProductStock {
            id: second.map(|(id, _)| id),
            item_id: second.map(|(_, item)| item),
            options: vec![option("수량", "60포"), option("개당 용량", "100ml")],
            remaining_count: 0,
            is_main_price: false,
            origin_price: 75800,
            sale_price: 54900,
            management_code: Some("AJ-60".into()),
            images: vec![],
            is_hide: None,
            is_purchasable_alone: None,
        },
    ]
}

/// Text for a constrained string type.
fn text<T: FromStr>(value: &str) -> T
where
    T::Err: std::fmt::Debug,
{
    value.parse().expect("valid text")
}

/// A complete, valid product (a processed-food item with its legally required notice).
fn apple_juice(
    b: builder::ProductRegistration,
    stocks: Vec<ProductStock>,
) -> builder::ProductRegistration {
    b.name("청송 사과즙 100ml x 30포 [무첨가]")
        .brand_name("토스팜")
        .category_id(51120)
        .is_tax_free(false)
        .is_culture_deduction(false)
        .management_code("PROD-001".to_string())
        .stocks(stocks)
        .images(vec![
            image(
                ProductImageTypeKnown::Thumbnail,
                1,
                "https://cdn.tosspharm.co.kr/products/apple-juice/thumb-1000.jpg",
            ),
            image(
                ProductImageTypeKnown::Description,
                2,
                "https://cdn.tosspharm.co.kr/products/apple-juice/detail-01.jpg",
            ),
            image(
                ProductImageTypeKnown::Description,
                3,
                "https://cdn.tosspharm.co.kr/products/apple-juice/detail-02.jpg",
            ),
        ])
        .exposure(ProductExposure {
            search_keywords: vec![text("사과즙"), text("NFC주스"), text("청송사과")],
            description: Some(text(
                "경북 청송 사과를 그대로 착즙한 무첨가 100% 사과즙입니다.",
            )),
        })
        .delivery_policy(DeliveryPolicy {
            delivery_type: Some("NORMAL".into()),
            delivery_method: Some("NORMAL".into()),
            preparation_days: Some(3),
            delivery_location_id: Some(30211),
            delivery_company_id: 1,
            delivery_fee_type: DeliveryFeeType::ConditionallyFree,
            delivery_fee: Some(3000),
            minimum_purchase_price: Some(30000),
            is_jeju_and_islands_mountains_delivery: Some(true),
            jeju_delivery_fee: Some(3000),
            islands_mountains_delivery_fee: Some(5000),
        })
        .exchange_return_policy(ExchangeReturnPolicy {
            exchange_refund_location_id: 1520171,
            refund_one_way_delivery_fee: 3000,
            exchange_round_trip_delivery_fee: 6000,
            application_method_description: text(
                "토스쇼핑 주문내역에서 교환/반품을 신청해 주세요.",
            ),
            application_term_description: text("상품 수령 후 7일 이내에 신청할 수 있습니다."),
        })
        .notice(ProductNotice {
            category_code: "PROCESSED_FOOD".into(),
            items: vec![
                NoticeItemContent {
                    id: 319,
                    content: text("상세페이지 참조"),
                },
                NoticeItemContent {
                    id: 321,
                    content: text("사과즙 100ml x 30포"),
                },
                NoticeItemContent {
                    id: 323,
                    content: text("(주)토스팜 / 경상북도 청송군"),
                },
                NoticeItemContent {
                    id: 325,
                    content: text("제조일로부터 12개월"),
                },
            ],
        })
}

/// The JSON every field of [`apple_juice`] must become, with `stocks` given separately.
fn apple_juice_json(stocks: serde_json::Value) -> serde_json::Value {
    json!({
        "name": "청송 사과즙 100ml x 30포 [무첨가]",
        "brandName": "토스팜",
        "categoryId": 51120,
        "isTaxFree": false,
        "isCultureDeduction": false,
        "managementCode": "PROD-001",
        "stocks": stocks,
        "images": [
            {"type": "THUMBNAIL", "order": 1,
             "url": "https://cdn.tosspharm.co.kr/products/apple-juice/thumb-1000.jpg"},
            {"type": "DESCRIPTION", "order": 2,
             "url": "https://cdn.tosspharm.co.kr/products/apple-juice/detail-01.jpg"},
            {"type": "DESCRIPTION", "order": 3,
             "url": "https://cdn.tosspharm.co.kr/products/apple-juice/detail-02.jpg"}
        ],
        "exposure": {
            "searchKeywords": ["사과즙", "NFC주스", "청송사과"],
            "description": "경북 청송 사과를 그대로 착즙한 무첨가 100% 사과즙입니다."
        },
        "deliveryPolicy": {
            "deliveryType": "NORMAL",
            "deliveryMethod": "NORMAL",
            "preparationDays": 3,
            "deliveryLocationId": 30211,
            "deliveryCompanyId": 1,
            "deliveryFeeType": "CONDITIONALLY_FREE",
            "deliveryFee": 3000,
            "minimumPurchasePrice": 30000,
            "isJejuAndIslandsMountainsDelivery": true,
            "jejuDeliveryFee": 3000,
            "islandsMountainsDeliveryFee": 5000
        },
        "exchangeReturnPolicy": {
            "exchangeRefundLocationId": 1520171,
            "refundOneWayDeliveryFee": 3000,
            "exchangeRoundTripDeliveryFee": 6000,
            "applicationMethodDescription": "토스쇼핑 주문내역에서 교환/반품을 신청해 주세요.",
            "applicationTermDescription": "상품 수령 후 7일 이내에 신청할 수 있습니다."
        },
        "notice": {
            "categoryCode": "PROCESSED_FOOD",
            "items": [
                {"id": 319, "content": "상세페이지 참조"},
                {"id": 321, "content": "사과즙 100ml x 30포"},
                {"id": 323, "content": "(주)토스팜 / 경상북도 청송군"},
                {"id": 325, "content": "제조일로부터 12개월"}
            ]
        }
    })
}

#[tokio::test]
async fn register_product() {
    let h = Harness::start().await;
    let body = apple_juice_json(json!([
        {
            "options": [
                {"groupName": "수량", "valueName": "30포"},
                {"groupName": "개당 용량", "valueName": "100ml"}
            ],
            "remainingCount": 120,
            "isMainPrice": true,
            "originPrice": 39900,
            "salePrice": 29900,
            "managementCode": "AJ-30",
            "images": [
                {"url": "https://cdn.tosspharm.co.kr/products/apple-juice/option-30.jpg", "order": 1}
            ],
            "isHide": false
        },
        {
            "options": [
                {"groupName": "수량", "valueName": "60포"},
                {"groupName": "개당 용량", "valueName": "100ml"}
            ],
            "remainingCount": 0,
            "isMainPrice": false,
            "originPrice": 75800,
            "salePrice": 54900,
            "managementCode": "AJ-60"
        }
    ]));
    h.expect_json(
        "POST",
        "/products/v2",
        &[("partnerName", "tosspharm-erp")],
        body,
        ok(json!({"id": PRODUCT_ID, "inspectionStatus": "LLM_INSPECTION_READY"})),
    )
    .await;
    let request = || {
        h.client
            .register_product()
            .partner_name("tosspharm-erp")
            .body_map(|b| apple_juice(b, stocks(None, 29900)))
    };
    let registered = request().await.expect("registered");
    assert_eq!(registered.id, Some(PRODUCT_ID));

    h.assert_fail_envelope(
        "POST",
        "/products/v2",
        &[("partnerName", "tosspharm-erp")],
        request(),
    )
    .await;
}

#[tokio::test]
async fn a_product_name_with_a_forbidden_character_is_rejected_before_sending() {
    let h = Harness::start().await;
    let call = h
        .client
        .register_product()
        .body_map(|b| apple_juice(b, stocks(None, 29900)).name("청송 사과즙 @특가"));
    let invalid = refused(&h, call).await;
    assert_eq!(invalid.operation, "register_product");
    assert_eq!(invalid.field, "body.name");
    assert!(
        matches!(&invalid.problem, Problem::Pattern { pattern } if pattern.starts_with("^[0-9a-zA-Z가-힣 "))
    );
    let message = invalid.to_string();
    assert!(
        message.starts_with(
            "invalid register_product request: `body.name` does not match the pattern ^"
        ),
        "the message names the operation, the field and the rule: {message}"
    );
}

#[tokio::test]
async fn update_product() {
    let h = Harness::start().await;
    let body = apple_juice_json(json!([
        {
            "id": 880011,
            "itemId": 990021,
            "options": [
                {"groupName": "수량", "valueName": "30포"},
                {"groupName": "개당 용량", "valueName": "100ml"}
            ],
            "remainingCount": 120,
            "isMainPrice": true,
            "originPrice": 39900,
            "salePrice": 27900,
            "managementCode": "AJ-30",
            "images": [
                {"url": "https://cdn.tosspharm.co.kr/products/apple-juice/option-30.jpg", "order": 1}
            ],
            "isHide": false
        },
        {
            "id": 880012,
            "itemId": 990022,
            "options": [
                {"groupName": "수량", "valueName": "60포"},
                {"groupName": "개당 용량", "valueName": "100ml"}
            ],
            "remainingCount": 0,
            "isMainPrice": false,
            "originPrice": 75800,
            "salePrice": 54900,
            "managementCode": "AJ-60"
        }
    ]));
    let route = format!("/products/{PRODUCT_ID}/v2");
    h.expect_json(
        "PUT",
        &route,
        &[("partnerName", "tosspharm-erp")],
        body,
        ok(json!({"productId": PRODUCT_ID, "inspectionRequired": false})),
    )
    .await;
    let kept = Some([(880011, 990021), (880012, 990022)]);
    let request = || {
        h.client
            .update_product()
            .product_id(PRODUCT_ID)
            .partner_name("tosspharm-erp")
            .body_map(|b| apple_juice(b, stocks(kept, 27900)))
    };
    let answer = request().await.expect("replaced");
    assert_eq!(answer["productId"], PRODUCT_ID);
    assert_eq!(answer["inspectionRequired"], false);

    h.assert_fail_envelope(
        "PUT",
        &route,
        &[("partnerName", "tosspharm-erp")],
        request(),
    )
    .await;
}

#[tokio::test]
async fn get_product() {
    let h = Harness::start().await;
    let product = json!({
        "id": PRODUCT_ID,
        "name": "청송 사과즙 100ml x 30포 [무첨가]",
        "brandName": "토스팜",
        "merchantId": 10234,
        "categoryName": "과채음료",
        "inspectionStatus": "COMPLETE",
        "exposureStatus": "EXPOSURE",
        "isHide": false,
        "rejectionReasons": [],
        "exposure": {
            "searchKeywords": ["사과즙", "NFC주스"],
            "description": "경북 청송 사과를 그대로 착즙한 무첨가 100% 사과즙입니다."
        },
        "stocks": [
            {
                "id": 880011, "itemId": 990021,
                "options": [{"groupName": "수량", "valueName": "30포"}],
                "remainingCount": 120, "isSoldOut": false,
                "salePrice": 29900, "originPrice": 39900, "managementCode": "AJ-30"
            },
            {
                "id": 880012, "itemId": 990022,
                "options": [{"groupName": "수량", "valueName": "60포"}],
                "remainingCount": 0, "isSoldOut": true,
                "salePrice": 54900, "originPrice": 75800, "managementCode": null
            }
        ],
        "images": [
            {"type": "THUMBNAIL", "order": 1, "inspectionStatus": "COMPLETE",
             "url": "https://static.toss.im/shopping/products/1234567/thumb.jpg"},
            {"type": "DESCRIPTION", "indexOrder": 2, "inspectionStatus": "COMPLETE",
             "url": "https://static.toss.im/shopping/products/1234567/detail-01.jpg"}
        ],
        "deliveryPolicy": {"deliveryFeeType": "CONDITIONALLY_FREE", "deliveryFee": 3000},
        "modifiedAt": "2026-07-11T20:51:39"
    });
    let route = format!("/products/{PRODUCT_ID}/v2");
    h.expect(
        "GET",
        &route,
        &[("partnerName", "tosspharm-erp")],
        ok(product),
    )
    .await;
    let product = h
        .client
        .get_product()
        .product_id(PRODUCT_ID)
        .partner_name("tosspharm-erp")
        .await
        .expect("product");
    assert_eq!(product.id, Some(PRODUCT_ID));
    assert_eq!(product.merchant_id, Some(json!(10234)));
    assert_eq!(product.category_name.as_deref(), Some("과채음료"));
    assert_eq!(product.inspection_status, Some(InspectionStatus::Complete));
    assert_eq!(product.exposure_status, Some(ExposureStatus::Exposure));
    assert_eq!(product.is_hide, Some(false));
    assert_eq!(product.rejection_reasons, Some(vec![]));
    let stock = &product.stocks[1];
    assert_eq!((stock.id, stock.item_id), (Some(880012), Some(990022)));
    assert_eq!(stock.is_sold_out, Some(true));
    assert_eq!(
        (stock.sale_price, stock.origin_price),
        (Some(54900), Some(75800))
    );
    assert_eq!(stock.management_code, None);
    assert_eq!(stock.options[0].value_name.as_deref(), Some("60포"));
    assert_eq!(product.images[0].type_, Some(ProductImageType::Thumbnail));
    assert_eq!(
        (product.images[0].order, product.images[1].index_order),
        (Some(1), Some(2))
    );
    let exposure = product.exposure.expect("exposure");
    assert_eq!(exposure.search_keywords.map(|k| k.len()), Some(2));

    h.assert_fail_envelope(
        "GET",
        &route,
        &[],
        h.client.get_product().product_id(PRODUCT_ID),
    )
    .await;
}

#[tokio::test]
async fn a_product_in_an_unknown_inspection_state_keeps_the_status_as_text() {
    let h = Harness::start().await;
    let product = json!({
        "id": PRODUCT_ID,
        "inspectionStatus": "MANUAL_INSPECTION_READY",
        "exposureStatus": "SUSPENDED",
        "isHide": true,
        "rejectionReasons": null,
        "exposure": {"searchKeywords": null, "description": ""},
        "stocks": [],
        "images": [{"type": "VIDEO", "url": "https://static.toss.im/shopping/products/1234567/clip.mp4"}]
    });
    let route = format!("/products/{PRODUCT_ID}/v2");
    h.expect("GET", &route, &[], ok(product)).await;
    let product = h
        .client
        .get_product()
        .product_id(PRODUCT_ID)
        .await
        .expect("an unknown status still decodes");
    assert_eq!(
        product.inspection_status,
        Some(InspectionStatus::from("MANUAL_INSPECTION_READY"))
    );
    assert_eq!(
        product.exposure_status,
        Some(ExposureStatus::from("SUSPENDED"))
    );
    assert_eq!(
        product.images[0].type_,
        Some(ProductImageType::from("VIDEO"))
    );
    assert_eq!(product.rejection_reasons, None);
    assert_eq!(product.exposure.expect("exposure").search_keywords, None);
}

#[tokio::test]
async fn list_products() {
    let h = Harness::start().await;
    let page = json!({
        "products": [
            {
                "id": PRODUCT_ID, "name": "청송 사과즙 100ml x 30포 [무첨가]", "brandName": "토스팜",
                "salePrice": 29900, "inspectionStatus": "REJECT", "exposureStatus": "EXPOSURE",
                "regTs": "2026-07-02T09:14:03",
                "images": [{"url": "https://static.toss.im/shopping/products/1234567/thumb.jpg"}],
                "categoryId": 51120
            },
            {
                "id": 1234568, "name": "청송 사과즙 100ml x 60포", "brandName": null,
                "salePrice": 54900, "inspectionStatus": "LLM_INSPECTION_READY",
                "exposureStatus": "EXPOSURE", "regTs": "2026-07-03T18:40:00", "images": []
            }
        ],
        "nextToken": "eyJsYXN0SWQiOjEyMzQ1Njh9",
        "hasNext": true
    });
    let query = [
        ("regStartDate", "2026-07-01"),
        ("regEndDate", "2026-07-31"),
        ("productIds", "1234567,1234568"),
        ("nextToken", "eyJsYXN0SWQiOjEyMzQ1NjZ9"),
        ("size", "50"),
        ("partnerName", "tosspharm-erp"),
    ];
    h.expect("GET", "/products/v2", &query, ok(page)).await;
    let page = h
        .client
        .list_products()
        .reg_start_date("2026-07-01")
        .reg_end_date("2026-07-31")
        .product_ids("1234567,1234568")
        .next_token("eyJsYXN0SWQiOjEyMzQ1NjZ9")
        .size(50)
        .partner_name("tosspharm-erp")
        .await
        .expect("page");
    assert_eq!(page.has_next, Some(true));
    assert_eq!(page.next_token.as_deref(), Some("eyJsYXN0SWQiOjEyMzQ1Njh9"));
    assert_eq!(page.products.len(), 2);
    let first = &page.products[0];
    assert_eq!(
        (first.id, first.sale_price),
        (Some(PRODUCT_ID), Some(29900))
    );
    assert_eq!(first.inspection_status, Some(InspectionStatus::Reject));
    assert_eq!(first.reg_ts.as_deref(), Some("2026-07-02T09:14:03"));
    assert_eq!(
        first.images[0].url.as_deref(),
        Some("https://static.toss.im/shopping/products/1234567/thumb.jpg")
    );
    assert_eq!(page.products[1].brand_name, None);
    assert!(page.products[1].images.is_empty());

    h.assert_fail_envelope(
        "GET",
        "/products/v2",
        &[("size", "20")],
        h.client.list_products().size(20),
    )
    .await;
}

#[tokio::test]
async fn the_last_product_page_has_a_null_next_token() {
    let h = Harness::start().await;
    let page = json!({"products": [], "nextToken": null, "hasNext": false});
    h.expect("GET", "/products/v2", &[], ok(page)).await;
    let page = h.client.list_products().await.expect("last page");
    assert_eq!((page.has_next, page.next_token), (Some(false), None));
    assert!(page.products.is_empty());
}

#[tokio::test]
async fn product_ids_that_are_not_comma_separated_numbers_are_rejected_before_sending() {
    let h = Harness::start().await;
    let outcome = h
        .client
        .list_products()
        .product_ids("1234567, 1234568")
        .await;
    assert!(
        matches!(&outcome, Err(Error::InvalidRequest(m)) if m.to_string().contains("product_ids")),
        "got {outcome:?}"
    );
    assert_nothing_sent(&h).await;
}

#[tokio::test]
async fn remove_product() {
    let h = Harness::start().await;
    h.expect_json(
        "POST",
        "/products/remove",
        &[],
        json!({"productId": 1234}),
        ok(json!({})),
    )
    .await;
    let answer = h
        .client
        .remove_product()
        .body_map(|b| b.product_id(1234))
        .await
        .expect("removed");
    assert!(answer.is_empty());

    h.assert_fail_envelope(
        "POST",
        "/products/remove",
        &[],
        h.client.remove_product().body_map(|b| b.product_id(1234)),
    )
    .await;
}

#[tokio::test]
async fn show_product() {
    let h = Harness::start().await;
    h.expect_json(
        "POST",
        "/products/show",
        &[("partnerName", "tosspharm-erp")],
        json!({"productId": PRODUCT_ID}),
        ok(json!({"productId": PRODUCT_ID, "exposureStatus": "EXPOSURE", "isHide": false})),
    )
    .await;
    let answer = h
        .client
        .show_product()
        .partner_name("tosspharm-erp")
        .body_map(|b| b.product_id(PRODUCT_ID))
        .await
        .expect("shown");
    assert_eq!(answer["productId"], PRODUCT_ID);
    assert_eq!(answer["isHide"], false);

    h.assert_fail_envelope(
        "POST",
        "/products/show",
        &[],
        h.client
            .show_product()
            .body_map(|b| b.product_id(PRODUCT_ID)),
    )
    .await;
}

#[tokio::test]
async fn hide_product() {
    let h = Harness::start().await;
    h.expect_json(
        "POST",
        "/products/hide",
        &[("partnerName", "tosspharm-erp")],
        json!({"productId": PRODUCT_ID}),
        ok(json!({})),
    )
    .await;
    let answer = h
        .client
        .hide_product()
        .partner_name("tosspharm-erp")
        .body(toss_shopping::types::ProductIdRequest {
            product_id: PRODUCT_ID,
        })
        .await
        .expect("hidden");
    assert!(answer.is_empty(), "an empty object reads as an empty map");

    h.assert_fail_envelope(
        "POST",
        "/products/hide",
        &[],
        h.client
            .hide_product()
            .body_map(|b| b.product_id(PRODUCT_ID)),
    )
    .await;
}

#[tokio::test]
async fn a_bad_optional_brand_name_names_the_field_and_the_rule() {
    let h = Harness::start().await;
    let call = h
        .client
        .register_product()
        .body_map(|b| apple_juice(b, stocks(None, 29900)).brand_name("토스팜!"));
    let invalid = refused(&h, call).await;
    assert_eq!(invalid.field, "body.brand_name");
    assert!(
        matches!(&invalid.problem, Problem::Pattern { pattern } if pattern.contains("{1,50}")),
        "{:?}",
        invalid.problem
    );
}

#[tokio::test]
async fn stock_counts_outside_1_to_300_are_refused_before_sending() {
    let h = Harness::start().await;
    let many: Vec<ProductStock> = (0..151).flat_map(|_| stocks(None, 29900)).collect();
    for (given, actual) in [(many, 302), (Vec::new(), 0)] {
        let call = h
            .client
            .register_product()
            .body_map(|b| apple_juice(b, given));
        let invalid = refused(&h, call).await;
        assert_eq!(invalid.field, "body.stocks");
        assert_eq!(
            invalid.problem,
            Problem::Count {
                actual,
                min: Some(1),
                max: Some(300)
            }
        );
    }
}
