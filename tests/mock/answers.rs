//! Each answer of a mock, decoded by the SDK into the `Result` its table promises.

use std::collections::BTreeMap;

use toss_shopping::types::{OrderProduct, OrderProductPage};
use toss_shopping::{Error, ErrorCode, Reason, mock};

use crate::{day, start};

async fn list(client: &toss_shopping::Client) -> Result<OrderProductPage, Error> {
    client
        .list_order_products()
        .start_date(day(1))
        .end_date(day(7))
        .await
}

#[tokio::test]
async fn respond_ok_is_the_payload() {
    let (server, client) = start().await;
    let page = OrderProductPage {
        results: vec![OrderProduct {
            order_product_id: Some(271684435),
            price: Some(19900),
            ..Default::default()
        }],
        next_cursor: Some("c2".into()),
    };
    mock::list_order_products()
        .respond_ok(page.clone())
        .mount(&server)
        .await;
    assert_eq!(list(&client).await.unwrap(), page);
}

#[tokio::test]
async fn respond_fail_is_an_api_error_with_the_code_and_reason() {
    let (server, client) = start().await;
    mock::list_order_products()
        .respond_fail(ErrorCode::NotFound, "존재하지 않는 주문입니다.")
        .mount(&server)
        .await;
    match list(&client).await {
        Err(Error::Api(api)) => {
            assert_eq!((api.status, &api.code), (200, &ErrorCode::NotFound));
            assert_eq!(api.reason, Reason::Text("존재하지 않는 주문입니다.".into()));
        }
        other => panic!("expected Error::Api, got {other:?}"),
    }
}

#[tokio::test]
async fn a_field_map_reason_arrives_as_fields() {
    let (server, client) = start().await;
    let fields = BTreeMap::from([("startDate".to_string(), "필수 값입니다.".to_string())]);
    mock::list_order_products()
        .respond_fail(ErrorCode::InvalidRequest, Reason::Fields(fields.clone()))
        .mount(&server)
        .await;
    let err = list(&client).await.unwrap_err();
    let api = err.api_error().unwrap();
    assert_eq!(api.code, ErrorCode::InvalidRequest);
    assert_eq!(api.reason, Reason::Fields(fields));
}

#[tokio::test]
async fn respond_throttled_is_rate_limited_inside_http_200() {
    let (server, client) = start().await;
    mock::list_order_products()
        .respond_throttled()
        .mount(&server)
        .await;
    let err = list(&client).await.unwrap_err();
    assert!(
        matches!(&err, Error::RateLimited { status: 200, .. }),
        "{err:?}"
    );
    assert_eq!(err.code(), Some(&ErrorCode::TooManyRequest));
}

#[tokio::test]
async fn respond_server_error_is_a_server_error() {
    let (server, client) = start().await;
    mock::list_order_products()
        .respond_server_error(503)
        .mount(&server)
        .await;
    let err = list(&client).await.unwrap_err();
    assert!(matches!(err, Error::Server { status: 503, .. }), "{err:?}");
}

#[tokio::test]
async fn respond_unauthorized_is_unauthorized() {
    let (server, client) = start().await;
    mock::list_order_products()
        .respond_unauthorized()
        .mount(&server)
        .await;
    let err = list(&client).await.unwrap_err();
    assert!(matches!(err, Error::Unauthorized { .. }), "{err:?}");
}
