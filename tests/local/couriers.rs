//! Courier names on the local server: shipping with a courier given by id or by name, an
//! unknown one refused before anything is sent, and the cache of the two courier lists.

use std::future::IntoFuture;
use std::sync::Arc;
use std::time::Duration;

use futures_util::future::join_all;
use toss_shopping::Error;
use toss_shopping::couriers::{CourierDirectory, CourierError, CourierRef};
use toss_shopping::types::OrderProductStatus;

use crate::orders::{first_in, row, start_at_noon};

const TTL: Duration = Duration::from_secs(600);

#[tokio::test]
async fn an_order_ships_with_the_courier_given_by_id_then_by_name() {
    let (server, client, clock) = start_at_noon().await;
    let id = first_in(&client, &clock, OrderProductStatus::PreparingProduct).await;
    let couriers = CourierDirectory::new(client.clone()).clock(clock.clone());

    // Id 1 of the product courier list is CJ대한통운; hyphens leave the tracking number.
    couriers
        .ship(id, CourierRef::Id(1), "6012-3456-7890")
        .await
        .expect("shipped");
    let shipped = row(&client, id).await;
    assert_eq!(
        shipped.order_product_status,
        Some(OrderProductStatus::Delivering)
    );
    assert_eq!(shipped.delivery_company_code.as_deref(), Some("CJ대한통운"));
    assert_eq!(
        shipped.shipping_tracking_number.as_deref(),
        Some("601234567890")
    );

    // A name with other spacing and case finds the listed one; the invoice changes.
    let before = server.api_requests();
    couriers
        .ship(id, " 롯데 택배", "246813579")
        .await
        .expect("invoice changed");
    assert_eq!(
        server.api_requests(),
        before + 1,
        "the cached lists are used"
    );
    let changed = row(&client, id).await;
    assert_eq!(changed.delivery_company_code.as_deref(), Some("롯데택배"));
}

#[tokio::test]
async fn an_unknown_courier_is_refused_with_near_matches_and_nothing_is_sent() {
    let (server, client, clock) = start_at_noon().await;
    let id = first_in(&client, &clock, OrderProductStatus::PreparingProduct).await;
    let couriers = CourierDirectory::new(client.clone()).clock(clock.clone());
    couriers.refresh().await.expect("the lists");
    let before = server.api_requests();

    let error = couriers
        .ship(id, "한진", "1234")
        .await
        .expect_err("unknown");
    let Error::InvalidRequest(invalid) = &error else {
        panic!("{error:?}");
    };
    assert_eq!(invalid.field, "body.deliveryCompany");
    assert!(
        error.to_string().contains("did you mean 한진택배?"),
        "{error}"
    );

    // Toss lists no marketplace codes, and says how to name the courier instead.
    let code = couriers
        .ship(id, CourierRef::Code("CJGLS".into()), "1234")
        .await
        .expect_err("not a Toss value");
    assert!(code.to_string().contains("numeric id"), "{code}");
    let typed = couriers.resolve(CourierRef::Code("CJGLS".into())).await;
    assert!(
        matches!(typed, Err(CourierError::NoCodes { .. })),
        "{typed:?}"
    );

    assert_eq!(server.api_requests(), before, "no invoice call was sent");
    assert_eq!(
        row(&client, id).await.order_product_status,
        Some(OrderProductStatus::PreparingProduct)
    );
}

#[tokio::test]
async fn the_lists_are_read_once_for_many_callers_and_again_after_the_ttl() {
    let (server, client, clock) = start_at_noon().await;
    // No clock of its own: the directory tells time by the client's (manual) clock.
    let couriers = Arc::new(CourierDirectory::new(client).ttl(TTL));
    let before = server.api_requests();

    let lookups = (0..10).map(|_| {
        let couriers = couriers.clone();
        async move { couriers.resolve(1).await }.into_future()
    });
    for resolved in join_all(lookups).await {
        assert_eq!(resolved.expect("resolved"), "CJ대한통운");
    }
    assert_eq!(server.api_requests(), before + 2, "one read of each list");

    clock.advance(TTL - Duration::from_secs(1));
    couriers.resolve("우체국택배").await.expect("cached");
    assert_eq!(server.api_requests(), before + 2);

    clock.advance(Duration::from_secs(1));
    couriers.resolve("우체국택배").await.expect("read again");
    assert_eq!(server.api_requests(), before + 4);
}
