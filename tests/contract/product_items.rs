//! Product items (options): prices, stock, listing.

use serde_json::json;
use toss_shopping::Error;
use toss_shopping::types::{
    InspectionStatus, ItemNormalStockChangeRequest, ItemOriginPriceChangeRequest,
};

use crate::support::{Harness, assert_nothing_sent, ok};

/// The product the items belong to.
const PRODUCT_ID: i64 = 1234567;
/// An item id: the product's `stocks[].itemId` (not `stocks[].id`).
const ITEM_ID: i64 = 990021;

#[tokio::test]
async fn update_item_sale_price() {
    let h = Harness::start().await;
    let route = format!("/product-items/{ITEM_ID}/sale-price");
    h.expect_json(
        "PUT",
        &route,
        &[("partnerName", "tosspharm-erp")],
        json!({"productId": PRODUCT_ID, "salePrice": 27900}),
        ok(json!({"itemId": ITEM_ID, "salePrice": 27900, "discountRate": 30})),
    )
    .await;
    let answer = h
        .client
        .update_item_sale_price()
        .product_item_id(ITEM_ID)
        .partner_name("tosspharm-erp")
        .body_map(|b| b.product_id(PRODUCT_ID).sale_price(27900))
        .await
        .expect("sale price changed");
    assert_eq!(answer["itemId"], ITEM_ID);
    assert_eq!(answer["salePrice"], 27900);

    h.assert_fail_envelope(
        "PUT",
        &route,
        &[],
        h.client
            .update_item_sale_price()
            .product_item_id(ITEM_ID)
            .body_map(|b| b.product_id(PRODUCT_ID).sale_price(27900)),
    )
    .await;
}

#[tokio::test]
async fn update_item_origin_price() {
    let h = Harness::start().await;
    let route = format!("/product-items/{ITEM_ID}/origin-price");
    h.expect_json(
        "PUT",
        &route,
        &[("partnerName", "tosspharm-erp")],
        json!({"productId": PRODUCT_ID, "originPrice": 35900}),
        ok(json!({})),
    )
    .await;
    let request = || {
        h.client
            .update_item_origin_price()
            .product_item_id(ITEM_ID)
            .partner_name("tosspharm-erp")
            .body(ItemOriginPriceChangeRequest {
                product_id: PRODUCT_ID,
                origin_price: 35900,
            })
    };
    let answer = request().await.expect("list price changed");
    assert!(answer.is_empty());

    h.assert_fail_envelope(
        "PUT",
        &route,
        &[("partnerName", "tosspharm-erp")],
        request(),
    )
    .await;
}

#[tokio::test]
async fn update_item_normal_stock() {
    let h = Harness::start().await;
    let route = format!("/product-items/{ITEM_ID}/stocks/normal-stock/remaining-count");
    h.expect_json(
        "PUT",
        &route,
        &[("partnerName", "tosspharm-erp")],
        json!({"productId": PRODUCT_ID, "remainingCount": 0}),
        ok(json!({"itemId": ITEM_ID, "remainingCount": 0, "isSoldOut": true, "updatedAt": "2026-07-11T20:51:39"})),
    )
    .await;
    let answer = h
        .client
        .update_item_normal_stock()
        .product_item_id(ITEM_ID)
        .partner_name("tosspharm-erp")
        .body(ItemNormalStockChangeRequest {
            product_id: PRODUCT_ID,
            remaining_count: 0,
        })
        .await
        .expect("marked sold out");
    assert_eq!(answer["remainingCount"], 0);
    assert_eq!(answer["isSoldOut"], true);

    h.assert_fail_envelope(
        "PUT",
        &route,
        &[],
        h.client
            .update_item_normal_stock()
            .product_item_id(ITEM_ID)
            .body_map(|b| b.product_id(PRODUCT_ID).remaining_count(5)),
    )
    .await;
}

#[tokio::test]
async fn list_product_items() {
    let h = Harness::start().await;
    let page = json!({
        "items": [
            {"itemId": 990021, "itemName": "30포, 100ml", "quantity": 120, "salePrice": 29900,
             "originPrice": 39900, "isMainOption": true, "remainingCount": 120, "itemStatus": "ON_SALE"},
            {"itemId": 990022, "itemName": "60포, 100ml", "quantity": 0, "salePrice": 54900,
             "originPrice": 75800, "isMainOption": false, "remainingCount": 0, "itemStatus": "SOLD_OUT"}
        ],
        "hasNext": true,
        "nextCursor": 990022
    });
    let route = format!("/products/{PRODUCT_ID}/product-items");
    let query = [
        ("cursorItemId", "990020"),
        ("pageSize", "50"),
        ("itemStatuses", "ON_SALE,SOLD_OUT"),
        ("itemIds", "990021,990022"),
        ("partnerName", "tosspharm-erp"),
    ];
    h.expect("GET", &route, &query, ok(page)).await;
    let page = h
        .client
        .list_product_items()
        .product_id(PRODUCT_ID)
        .cursor_item_id(990020)
        .page_size(50)
        .item_statuses("ON_SALE,SOLD_OUT")
        .item_ids("990021,990022")
        .partner_name("tosspharm-erp")
        .await
        .expect("items");
    assert_eq!(
        (page.has_next, page.next_cursor),
        (Some(true), Some(990022))
    );
    assert_eq!(page.items.len(), 2);
    let main = &page.items[0];
    assert_eq!(main.item_id, Some(ITEM_ID));
    assert_eq!(main.item_name.as_deref(), Some("30포, 100ml"));
    assert_eq!(
        (main.sale_price, main.origin_price),
        (Some(29900), Some(39900))
    );
    assert_eq!(main.is_main_option, Some(true));
    assert_eq!(
        (page.items[1].quantity, page.items[1].remaining_count),
        (Some(0), Some(0))
    );

    h.assert_fail_envelope(
        "GET",
        &route,
        &[("pageSize", "50")],
        h.client
            .list_product_items()
            .product_id(PRODUCT_ID)
            .page_size(50),
    )
    .await;
}

#[tokio::test]
async fn the_last_item_page_has_a_null_cursor() {
    let h = Harness::start().await;
    let route = format!("/products/{PRODUCT_ID}/product-items");
    let page = json!({"items": [{"itemId": 990022}], "hasNext": false, "nextCursor": null});
    h.expect("GET", &route, &[("cursorItemId", "990021")], ok(page))
        .await;
    let page = h
        .client
        .list_product_items()
        .product_id(PRODUCT_ID)
        .cursor_item_id(990021)
        .await
        .expect("last page");
    assert_eq!((page.has_next, page.next_cursor), (Some(false), None));
    assert_eq!(page.items[0].item_id, Some(990022));
    assert_eq!(page.items[0].sale_price, None);
}

#[tokio::test]
async fn item_ids_that_are_not_comma_separated_numbers_are_rejected_before_sending() {
    let h = Harness::start().await;
    let outcome = h
        .client
        .list_product_items()
        .product_id(PRODUCT_ID)
        .item_ids("990021,")
        .await;
    assert!(
        matches!(&outcome, Err(Error::InvalidRequest(m)) if m.to_string().contains("item_ids")),
        "got {outcome:?}"
    );
    assert_nothing_sent(&h).await;
}

#[tokio::test]
async fn list_items_grouped_by_products() {
    let h = Harness::start().await;
    let page = json!({
        "items": [
            {
                "productId": PRODUCT_ID,
                "productItems": [
                    {"itemId": 990021, "status": {"code": "REJECT", "label": "반려"},
                     "rejectReasons": [{
                        "title": "썸네일 이미지 규격 미달",
                        "message": "썸네일 이미지는 600x600 이상의 정사각형이어야 해요.",
                        "code": "THUMBNAIL_SIZE"
                     }]},
                    {"itemId": 990022, "status": {"code": "ON_SALE"}, "rejectReasons": null}
                ],
                "summaryStatus": {"status": "REJECT", "label": "검수 반려"},
                "productInspectionStatus": "REJECT",
                "productIsHide": false
            }
        ],
        "nextCursor": "MTIzNDU2Nw",
        "prevCursor": null
    });
    let query = [
        ("nextCursor", "MTIzNDU2Ng"),
        ("pageSize", "5"),
        ("itemStatuses", "REJECT"),
        ("productName", "사과즙"),
        ("productIds", "1234567,1234568"),
        ("itemIds", "990021,990022"),
        ("partnerName", "tosspharm-erp"),
    ];
    h.expect(
        "GET",
        "/product-items/grouped-by-products",
        &query,
        ok(page),
    )
    .await;
    let page = h
        .client
        .list_items_grouped_by_products()
        .next_cursor("MTIzNDU2Ng")
        .page_size(5)
        .item_statuses("REJECT")
        .product_name("사과즙")
        .product_ids("1234567,1234568")
        .item_ids("990021,990022")
        .partner_name("tosspharm-erp")
        .await
        .expect("groups");
    let group = &page.items[0];
    assert_eq!(
        group.product_inspection_status,
        Some(InspectionStatus::Reject)
    );
    assert_eq!(group.product_is_hide, Some(false));
    let summary = group.summary_status.as_ref().expect("summary status");
    assert_eq!(summary.label.as_deref(), Some("검수 반려"));
    let rejected = &group.product_items[0];
    assert_eq!(rejected.item_id, Some(ITEM_ID));
    assert_eq!(
        rejected.status.as_ref().and_then(|s| s.code.as_deref()),
        Some("REJECT")
    );
    let reasons = rejected.reject_reasons.as_ref().expect("reject reasons");
    assert_eq!(reasons[0].title.as_deref(), Some("썸네일 이미지 규격 미달"));
    assert!(
        reasons[0]
            .message
            .as_deref()
            .is_some_and(|m| m.contains("600x600"))
    );
    assert_eq!(group.product_items[1].reject_reasons, None);

    h.assert_fail_envelope(
        "GET",
        "/product-items/grouped-by-products",
        &[("pageSize", "5")],
        h.client.list_items_grouped_by_products().page_size(5),
    )
    .await;
}

#[tokio::test]
async fn a_grouped_page_read_backwards_keeps_an_unknown_inspection_status_as_text() {
    let h = Harness::start().await;
    let page = json!({"items": [{
        "productItems": [{"itemId": 990031}],
        "summaryStatus": {"status": "WAITING_FOR_SALE", "label": "판매 대기"},
        "productInspectionStatus": "MANUAL_INSPECTION_READY",
        "productIsHide": true
    }]});
    h.expect(
        "GET",
        "/product-items/grouped-by-products",
        &[("prevCursor", "MTIzNDU2Nw"), ("pageSize", "5")],
        ok(page),
    )
    .await;
    let page = h
        .client
        .list_items_grouped_by_products()
        .prev_cursor("MTIzNDU2Nw")
        .page_size(5)
        .await
        .expect("an unknown status still decodes");
    let group = &page.items[0];
    assert_eq!(
        group.product_inspection_status,
        Some(InspectionStatus::from("MANUAL_INSPECTION_READY"))
    );
    assert_eq!(group.product_items[0].status, None);
    assert_eq!(group.product_items[0].reject_reasons, None);
}
