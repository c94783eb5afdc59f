//! The token endpoint mock drives the SDK's whole OAuth2 client-credentials flow.

use toss_shopping::types::OrderProductPage;
use toss_shopping::{Client, Error, RetryPolicy, mock};
use wiremock::MockServer;

use crate::day;

fn client_with_key(server: &MockServer, access_key: &str) -> Client {
    Client::builder()
        .base_url(server.uri())
        .credentials(access_key.to_string(), "secret-key")
        .token_url(format!("{}{}", server.uri(), mock::TOKEN_PATH))
        .retry(RetryPolicy::none())
        .build()
        .unwrap()
}

#[tokio::test]
async fn the_token_mock_issues_the_token_the_api_mock_expects() {
    let server = MockServer::start().await;
    mock::token()
        .client_id("access-key")
        .expires_in(3600)
        .respond_ok("tok-1")
        .expect(1)
        .mount(&server)
        .await;
    mock::list_order_products()
        .bearer_token("tok-1")
        .respond_ok(OrderProductPage::default())
        .expect(2)
        .mount(&server)
        .await;
    let client = client_with_key(&server, "access-key");
    for _ in 0..2 {
        client
            .list_order_products()
            .start_date(day(1))
            .end_date(day(1))
            .await
            .unwrap();
    }
    // One token for both calls: the client cached what the mock granted.
}

#[tokio::test]
async fn another_access_key_gets_no_token() {
    let server = MockServer::start().await;
    mock::token()
        .client_id("access-key")
        .respond_ok("tok-1")
        .expect(0)
        .mount(&server)
        .await;
    let client = client_with_key(&server, "another-key");
    let err = client
        .list_order_products()
        .start_date(day(1))
        .end_date(day(1))
        .await
        .unwrap_err();
    assert!(matches!(err, Error::Auth(_)), "{err:?}");
}

#[tokio::test]
async fn a_refusing_token_endpoint_is_an_auth_error() {
    let server = MockServer::start().await;
    mock::token()
        .respond_error(401, "invalid_client")
        .mount(&server)
        .await;
    let err = client_with_key(&server, "access-key")
        .list_order_products()
        .start_date(day(1))
        .end_date(day(1))
        .await
        .unwrap_err();
    assert!(matches!(err, Error::Auth(_)), "{err:?}");
}
