//! Courier lists.
//!
//! Numeric ids for product delivery policies (`listDeliveryCompanies`) and the values for
//! invoices (`listInvoiceDeliveryCompanies`) are different lists.

use serde_json::json;
use toss_shopping::mock;

use crate::support::{Harness, ok};

#[tokio::test]
async fn list_delivery_companies() {
    let h = Harness::start().await;
    let list = json!({"deliveryCompanies": [
        {"id": 1, "name": "CJ대한통운", "isEnabled": true, "trackingUrl": "https://trace.cjlogistics.com"},
        {"id": 3, "name": "롯데택배", "isEnabled": true},
        {"id": 5, "name": "한진택배", "isEnabled": true, "code": "HANJIN"},
        {"id": 7, "name": "우체국택배", "isEnabled": true},
        {"id": 9, "name": "로젠택배", "isEnabled": false}
    ]});
    let request = mock::list_delivery_companies().when(|p| p.partner_name("my-erp"));
    h.expect_call(request, ok(list)).await;
    let list = h
        .client
        .list_delivery_companies()
        .partner_name("my-erp")
        .await
        .expect("couriers");
    let couriers = &list.delivery_companies;
    assert_eq!(couriers.len(), 5);
    assert_eq!(
        (couriers[0].id, couriers[0].name.as_deref()),
        (Some(1), Some("CJ대한통운"))
    );
    assert_eq!(couriers[0].code, None);
    assert_eq!(couriers[2].code.as_deref(), Some("HANJIN"));
    assert_eq!(
        (couriers[4].id, couriers[4].is_enabled),
        (Some(9), Some(false))
    );

    h.assert_not_found(
        mock::list_delivery_companies(),
        h.client.list_delivery_companies(),
    )
    .await;
}

#[tokio::test]
async fn a_courier_with_only_a_name_decodes() {
    // Only `name` has been seen on every courier; `id`, `code` and `isEnabled` are optional.
    let h = Harness::start().await;
    let list = json!({"deliveryCompanies": [{"name": "경동택배"}, {"id": null, "name": "대신택배", "isEnabled": null}]});
    h.expect_call(mock::list_delivery_companies(), ok(list))
        .await;
    let list = h.client.list_delivery_companies().await.expect("couriers");
    let couriers = &list.delivery_companies;
    assert_eq!(couriers[0].name.as_deref(), Some("경동택배"));
    assert_eq!(
        (couriers[0].id, &couriers[0].code, couriers[0].is_enabled),
        (None, &None, None)
    );
    assert_eq!((couriers[1].id, couriers[1].is_enabled), (None, None));
}

#[tokio::test]
async fn list_invoice_delivery_companies() {
    let h = Harness::start().await;
    let list = json!({
        "deliveryCompanies": ["CJ대한통운", "롯데택배", "한진택배", "우체국택배", "로젠택배", "경동택배"],
        "updatedAt": "2026-07-01T00:00:00"
    });
    let request = mock::list_invoice_delivery_companies().when(|p| p.partner_name("my-erp"));
    h.expect_call(request, ok(list)).await;
    let list = h
        .client
        .list_invoice_delivery_companies()
        .partner_name("my-erp")
        .await
        .expect("invoice couriers");
    assert_eq!(list.delivery_companies.len(), 6);
    assert_eq!(list.delivery_companies[0], "CJ대한통운");
    assert!(list.delivery_companies.iter().any(|c| c == "우체국택배"));
    assert!(!list.delivery_companies.iter().any(|c| c == "CJGLS"));

    h.assert_not_found(
        mock::list_invoice_delivery_companies(),
        h.client.list_invoice_delivery_companies(),
    )
    .await;
}
