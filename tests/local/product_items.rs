//! Product items on the local server: prices, stock and the two item listings.

use toss_shopping::local::Inspection;
use toss_shopping::types::{
    InspectionStatus, ItemNormalStockChangeRequest, ItemOriginPriceChangeRequest,
    ItemSalePriceChangeRequest,
};

use crate::product_support::{
    INSPECTION, approving, body, clocked, demo_product, expect_fail, finish_inspection, product,
    register, registration, registration_json, stocks,
};

fn sale(product_id: i64, sale_price: i64) -> ItemSalePriceChangeRequest {
    ItemSalePriceChangeRequest {
        product_id,
        sale_price,
    }
}

fn origin(product_id: i64, origin_price: i64) -> ItemOriginPriceChangeRequest {
    ItemOriginPriceChangeRequest {
        product_id,
        origin_price,
    }
}

fn stock(product_id: i64, remaining_count: i64) -> ItemNormalStockChangeRequest {
    ItemNormalStockChangeRequest {
        product_id,
        remaining_count,
    }
}

#[tokio::test]
async fn prices_change_at_once_and_the_sale_price_stays_under_the_list_price() {
    let (_server, client, clock) = approving().await;
    let id = register(&client, registration("청송 사과즙")).await;
    finish_inspection(&clock);
    let item = stocks(&client, id).await[0].item_id.unwrap(); // 29,900 of 39,900

    client
        .update_item_sale_price()
        .product_item_id(item)
        .body(sale(id, 25_900))
        .await
        .unwrap();
    let reason = expect_fail(
        client
            .update_item_sale_price()
            .product_item_id(item)
            .body(sale(id, 39_901))
            .await,
        "BAD_REQUEST",
    );
    assert!(reason.contains("정상가"), "{reason}");
    expect_fail(
        client
            .update_item_origin_price()
            .product_item_id(item)
            .body(origin(id, 25_000))
            .await,
        "BAD_REQUEST",
    );
    client
        .update_item_origin_price()
        .product_item_id(item)
        .body(origin(id, 35_000))
        .await
        .unwrap();
    expect_fail(
        client
            .update_item_sale_price()
            .product_item_id(item)
            .body(sale(id, 0))
            .await,
        "INVALID_REQUEST",
    );

    let now = product(&client, id).await;
    assert_eq!(now.stocks[0].sale_price, Some(25_900));
    assert_eq!(now.stocks[0].origin_price, Some(35_000));
    assert_eq!(now.inspection_status, Some(InspectionStatus::Complete));
}

#[tokio::test]
async fn zero_stock_is_sold_out_and_more_puts_it_back_on_sale() {
    let (_server, client, clock) = approving().await;
    let id = register(&client, registration("청송 사과즙")).await;
    finish_inspection(&clock);
    let item = stocks(&client, id).await[0].item_id.unwrap();
    let status = |client: toss_shopping::Client| async move {
        let page = client
            .list_items_grouped_by_products()
            .product_ids(id.to_string())
            .item_ids(item.to_string())
            .await
            .unwrap();
        page.items[0].product_items[0]
            .status
            .clone()
            .unwrap()
            .code
            .unwrap()
    };
    assert_eq!(status(client.clone()).await, "ON_SALE");

    client
        .update_item_normal_stock()
        .product_item_id(item)
        .body(stock(id, 0))
        .await
        .unwrap();
    let sold_out = &stocks(&client, id).await[0];
    assert_eq!(
        (sold_out.remaining_count, sold_out.is_sold_out),
        (Some(0), Some(true))
    );
    assert_eq!(status(client.clone()).await, "SOLD_OUT");

    client
        .update_item_normal_stock()
        .product_item_id(item)
        .body(stock(id, 12))
        .await
        .unwrap();
    let back = &stocks(&client, id).await[0];
    assert_eq!(
        (back.remaining_count, back.is_sold_out),
        (Some(12), Some(false))
    );
    assert_eq!(status(client.clone()).await, "ON_SALE");
}

#[tokio::test]
async fn items_are_named_by_item_id_only() {
    let (_server, client, _clock) = approving().await;
    let id = register(&client, registration("청송 사과즙")).await;
    let other = register(&client, registration("제주 감귤즙")).await;
    let first = &stocks(&client, id).await[0];
    let stock_id = first.id.unwrap();
    let other_item = stocks(&client, other).await[0].item_id.unwrap();

    for item in [stock_id, other_item, 42] {
        let reason = expect_fail(
            client
                .update_item_normal_stock()
                .product_item_id(item)
                .body(stock(id, 3))
                .await,
            "NOT_FOUND",
        );
        assert_eq!(reason, "존재하지 않는 옵션입니다");
        expect_fail(
            client
                .update_item_sale_price()
                .product_item_id(item)
                .body(sale(id, 100))
                .await,
            "NOT_FOUND",
        );
        expect_fail(
            client
                .update_item_origin_price()
                .product_item_id(item)
                .body(origin(id, 100_000))
                .await,
            "NOT_FOUND",
        );
    }
    let reason = expect_fail(
        client
            .update_item_normal_stock()
            .product_item_id(first.item_id.unwrap())
            .body(stock(999, 3))
            .await,
        "NOT_FOUND",
    );
    assert_eq!(reason, "존재하지 않는 상품 정보입니다. (999)");
}

#[tokio::test]
async fn a_products_items_page_by_item_cursor() {
    let (_server, client, _clock) = approving().await;
    let options = [
        ("30포", 29_900, 39_900, 5),
        ("60포", 55_900, 79_800, 0),
        ("90포", 79_900, 99_000, 2),
    ];
    let id = register(&client, body(registration_json("청송 사과즙", &options))).await;

    let first = client
        .list_product_items()
        .product_id(id)
        .page_size(2)
        .await
        .unwrap();
    assert_eq!(first.items.len(), 2);
    assert_eq!(first.has_next, Some(true));
    assert_eq!(first.next_cursor, first.items[1].item_id);
    assert_eq!(first.items[0].item_name.as_deref(), Some("30포"));
    assert_eq!(first.items[0].is_main_option, Some(true));
    assert_eq!(first.items[1].quantity, Some(0));

    let second = client
        .list_product_items()
        .product_id(id)
        .page_size(2)
        .cursor_item_id(first.next_cursor.unwrap())
        .await
        .unwrap();
    assert_eq!(second.items.len(), 1);
    assert_eq!(second.has_next, Some(false));
    assert_eq!(second.next_cursor, None);
    assert_eq!(second.items[0].sale_price, Some(79_900));

    let wanted = first.items[1].item_id.unwrap();
    let chosen = client
        .list_product_items()
        .product_id(id)
        .item_ids(wanted.to_string())
        .await
        .unwrap();
    assert_eq!(chosen.items.len(), 1);
    assert_eq!(chosen.items[0].item_id, Some(wanted));

    expect_fail(
        client.list_product_items().product_id(999_i64).await,
        "NOT_FOUND",
    );
    expect_fail(
        client
            .list_product_items()
            .product_id(id)
            .page_size(0)
            .await,
        "INVALID_REQUEST",
    );
}

#[tokio::test]
async fn items_grouped_by_products_filter_and_page_both_ways() {
    let policy = Inspection::approve_after(INSPECTION)
        .reject_names_containing("불량", "썸네일 최소 크기 미달");
    let (_server, client, clock) = clocked(policy).await;
    let ids = [
        register(&client, registration("그룹 사과즙 하나")).await,
        register(&client, registration("그룹 불량 사과즙")).await,
        register(&client, registration("그룹 사과즙 셋")).await,
    ];
    finish_inspection(&clock);
    let list = ids.map(|id| id.to_string()).join(",");

    let all = client
        .list_items_grouped_by_products()
        .product_ids(list.clone())
        .await
        .unwrap();
    assert_eq!(all.items.len(), 3);
    let rejected = &all.items[1];
    assert_eq!(
        rejected.product_inspection_status,
        Some(InspectionStatus::Reject)
    );
    let reasons = rejected.product_items[0].reject_reasons.clone().unwrap();
    assert_eq!(reasons[0].message.as_deref(), Some("썸네일 최소 크기 미달"));
    assert_eq!(
        rejected.product_items[0]
            .status
            .clone()
            .unwrap()
            .code
            .as_deref(),
        Some("REJECTED")
    );
    assert_eq!(
        all.items[0]
            .summary_status
            .clone()
            .unwrap()
            .status
            .as_deref(),
        Some("ON_SALE")
    );
    assert_eq!(all.items[0].product_is_hide, Some(false));

    let named = client
        .list_items_grouped_by_products()
        .product_name("불량")
        .product_ids(list.clone())
        .await
        .unwrap();
    assert_eq!(named.items.len(), 1);
    let by_status = client
        .list_items_grouped_by_products()
        .item_statuses("REJECTED")
        .product_ids(list.clone())
        .await
        .unwrap();
    assert_eq!(by_status.items.len(), 1);

    let page = |next: Option<i64>, prev: Option<i64>| {
        let mut request = client
            .list_items_grouped_by_products()
            .product_ids(list.clone())
            .page_size(2);
        if let Some(next) = next {
            request = request.next_cursor(next.to_string());
        }
        if let Some(prev) = prev {
            request = request.prev_cursor(prev.to_string());
        }
        request
    };
    let first_items = |page: &toss_shopping::types::ProductItemGroupPage| {
        page.items
            .iter()
            .map(|group| group.product_items.len())
            .sum::<usize>()
    };
    assert_eq!(first_items(&page(None, None).await.unwrap()), 4);
    let after = page(Some(ids[1]), None).await.unwrap();
    assert_eq!(after.items.len(), 1);
    let before = page(None, Some(ids[2])).await.unwrap();
    assert_eq!(before.items.len(), 2);
    assert_eq!(
        before.items[1].product_inspection_status,
        Some(InspectionStatus::Reject)
    );
    expect_fail(page(Some(ids[0]), Some(ids[2])).await, "INVALID_REQUEST");
}

#[tokio::test]
async fn the_demo_rejection_reasons_show_per_item() {
    let (_server, client, _clock) = approving().await;
    let rejected = demo_product(&client, "호두").await;
    let page = client
        .list_items_grouped_by_products()
        .product_ids(rejected.id.unwrap().to_string())
        .await
        .unwrap();
    let group = &page.items[0];
    assert_eq!(group.product_items.len(), rejected.stocks.len());
    assert!(
        group
            .product_items
            .iter()
            .all(|item| !item.reject_reasons.clone().unwrap().is_empty())
    );
    assert_eq!(
        group.summary_status.clone().unwrap().label.as_deref(),
        Some("검수 반려")
    );
}
