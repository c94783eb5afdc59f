//! What a mock matches: the method and path template from the operations table, typed path
//! and query parameters, a typed body and a bearer token; everything else is left unmatched
//! (wiremock answers 404, which the SDK reports as `Error::UnexpectedStatus`).

use toss_shopping::types::{
    OrderProductPage, OrderProductStatusChange, OrderProductStatusChangeRequest,
    OrderProductStatusChangeResult, OrderStatusFilter, Product,
};
use toss_shopping::{Error, mock};

use crate::{day, raw_status, start};

fn unmatched<T: std::fmt::Debug>(outcome: Result<T, Error>) {
    assert!(
        matches!(outcome, Err(Error::UnexpectedStatus { status: 404, .. })),
        "expected the request to match no mock, got {outcome:?}"
    );
}

#[tokio::test]
async fn a_path_template_matches_any_id_and_nothing_else() {
    let (server, client) = start().await;
    mock::get_product()
        .respond_ok(Product::default())
        .expect(2)
        .mount(&server)
        .await;
    client.get_product().product_id(1).await.unwrap();
    client.get_product().product_id(987654321).await.unwrap();

    for path in [
        "/api/v3/shopping-fep/products/1/v3",
        "/api/v3/shopping-fep/products/1",
        "/api/v3/shopping-fep/products/abc/v2",
        "/api/v3/shopping-fep/products/1/v2/extra",
        "/api/v3/shopping-fep/products//v2",
    ] {
        assert_eq!(raw_status(&server, "GET", path).await, 404, "{path}");
    }
}

#[tokio::test]
async fn another_method_on_the_same_path_is_not_matched() {
    let (server, _client) = start().await;
    mock::get_product()
        .respond_ok(Product::default())
        .expect(1)
        .mount(&server)
        .await;
    let path = "/api/v3/shopping-fep/products/7/v2";
    assert_eq!(raw_status(&server, "PUT", path).await, 404);
    assert_eq!(raw_status(&server, "DELETE", path).await, 404);
    assert_eq!(raw_status(&server, "GET", path).await, 200);
}

#[tokio::test]
async fn a_pinned_path_parameter_matches_only_its_value() {
    let (server, client) = start().await;
    mock::get_product()
        .when(|p| p.product_id(1234))
        .respond_ok(Product::default())
        .expect(1)
        .mount(&server)
        .await;
    client.get_product().product_id(1234).await.unwrap();
    unmatched(client.get_product().product_id(1235).await);
}

#[tokio::test]
async fn typed_query_parameters_match_what_the_builder_sends() {
    let (server, client) = start().await;
    mock::list_order_products()
        .when(|p| {
            p.start_date(day(1))
                .status(OrderStatusFilter::Paid)
                .limit(50)
        })
        .respond_ok(OrderProductPage::default())
        .expect(1)
        .mount(&server)
        .await;
    let orders = || client.list_order_products().end_date(day(31));
    orders()
        .start_date(day(1))
        .status(OrderStatusFilter::Paid)
        .limit(50)
        .await
        .unwrap();
    unmatched(
        orders()
            .start_date(day(2))
            .status(OrderStatusFilter::Paid)
            .limit(50)
            .await,
    );
    unmatched(orders().start_date(day(1)).limit(50).await);
}

#[tokio::test]
async fn an_exact_query_refuses_parameters_the_test_did_not_set() {
    let (server, client) = start().await;
    mock::list_order_products()
        .when(|p| p.start_date(day(1)).end_date(day(2)))
        .exact_query()
        .respond_ok(OrderProductPage::default())
        .expect(1)
        .mount(&server)
        .await;
    let orders = || {
        client
            .list_order_products()
            .start_date(day(1))
            .end_date(day(2))
    };
    orders().await.unwrap();
    unmatched(orders().limit(10).await);
}

#[tokio::test]
async fn a_value_that_cannot_convert_makes_the_mock_match_nothing() {
    let (server, client) = start().await;
    // `limit` is an i32 on the builder; this value could never be sent.
    mock::list_order_products()
        .when(|p| p.limit(i64::MAX))
        .respond_ok(OrderProductPage::default())
        .expect(0)
        .mount(&server)
        .await;
    let outcome = client
        .list_order_products()
        .start_date(day(1))
        .end_date(day(2))
        .await;
    unmatched(outcome);
}

fn status_change(ids: Vec<i64>) -> OrderProductStatusChangeRequest {
    OrderProductStatusChangeRequest::builder()
        .order_product_ids(ids)
        .status(OrderProductStatusChange::PreparingProduct)
        .try_into()
        .unwrap()
}

#[tokio::test]
async fn a_typed_body_matches_the_same_body_only() {
    let (server, client) = start().await;
    mock::change_order_product_status()
        .body(&status_change(vec![5001, 5002]))
        .respond_ok(OrderProductStatusChangeResult::default())
        .expect(1)
        .mount(&server)
        .await;
    let change = |ids: Vec<i64>| {
        client.change_order_product_status().body_map(move |b| {
            b.order_product_ids(ids)
                .status(OrderProductStatusChange::PreparingProduct)
        })
    };
    change(vec![5001, 5002]).await.unwrap();
    unmatched(change(vec![5001]).await);
}

fn orders(client: &toss_shopping::Client) -> toss_shopping::api::builder::ListOrderProducts<'_> {
    client
        .list_order_products()
        .start_date(day(1))
        .end_date(day(1))
}

#[tokio::test]
async fn a_bearer_token_matches_that_token_only() {
    let (server, client) = start().await;
    mock::list_order_products()
        .bearer_token(crate::TOKEN)
        .respond_ok(OrderProductPage::default())
        .expect(1)
        .mount(&server)
        .await;
    orders(&client).await.unwrap();
    let other = toss_shopping::Client::builder()
        .base_url(server.uri())
        .bearer_token("someone-else")
        .retry(toss_shopping::RetryPolicy::none())
        .build()
        .unwrap();
    // 404 stays a 404 after the token: the mock did not match another seller's token.
    unmatched(orders(&other).await);
}

#[tokio::test]
async fn the_wiremock_builder_and_extra_matchers_are_at_hand() {
    let (server, client) = start().await;
    mock::get_product()
        .and(wiremock::matchers::header("user-agent", "mock-test"))
        .into_builder()
        .respond_with(wiremock::ResponseTemplate::new(200).set_body_json(
            serde_json::json!({"resultType": "SUCCESS", "success": {"name": "사과"}, "error": null}),
        ))
        .named("a hand-made answer")
        .expect(1)
        .mount(&server)
        .await;
    unmatched(client.get_product().product_id(1).await);
    let agent = toss_shopping::Client::builder()
        .base_url(server.uri())
        .bearer_token(crate::TOKEN)
        .user_agent("mock-test")
        .build()
        .unwrap();
    let product = agent.get_product().product_id(1).await.unwrap();
    assert_eq!(product.name.as_deref(), Some("사과"));
}
