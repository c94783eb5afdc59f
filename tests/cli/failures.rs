//! How a failure leaves the tool: the JSON object on stderr and the exit code of each kind
//! (1 API, 2 usage, 3 auth, 4 network, 5 rate-limited).

use toss_shopping::local::{Fault, FaultRule, Faults, LocalServer};

use crate::support::{Cli, closed_port};

#[tokio::test(flavor = "multi_thread")]
async fn a_vendor_fail_is_its_envelope_on_stderr_and_exit_1() {
    let server = LocalServer::start().await.unwrap();
    let run = Cli::local(&server, "fail")
        .run(&["get-product", "--product-id", "1"])
        .await;
    let error = run.failure(1);
    assert_eq!(error["errorCode"], "NOT_FOUND", "{run}");
    assert!(
        error["reason"].as_str().is_some_and(|r| r.contains('1')),
        "{run}"
    );
    assert_eq!(error["status"], 200, "{run}");
    assert!(run.stdout.is_empty(), "{run}");
}

#[tokio::test(flavor = "multi_thread")]
async fn throttling_that_outlasts_the_retries_is_exit_5() {
    // Every API request is throttled, so the client's retries (3 attempts in all, by the
    // default policy) all meet TOO_MANY_REQUEST and give up: the outcome does not depend on
    // the backoff's timing. The token endpoint is not throttled.
    let faults = Faults::seeded(1).rule(FaultRule::new(Fault::Throttle));
    let server = LocalServer::builder().faults(faults).start().await.unwrap();
    let run = Cli::local(&server, "throttle")
        .run(&["get-penalty-summary"])
        .await;
    let error = run.failure(5);
    assert_eq!(error["errorCode"], "TOO_MANY_REQUEST", "{run}");
    assert_eq!(server.api_requests(), 3, "three attempts, then it gave up");
}

#[tokio::test(flavor = "multi_thread")]
async fn a_server_that_is_gone_is_a_network_error_exit_4() {
    let server = LocalServer::start().await.unwrap();
    let cli = Cli::local(&server, "gone");
    // A first run caches the token, so the second reaches the API call itself.
    cli.run(&["get-penalty-summary"]).await.json();
    server.shutdown().await;
    let run = cli.run(&["get-penalty-summary"]).await;
    let error = run.failure(4);
    assert_eq!(error["errorCode"], "NETWORK", "{run}");
    assert_eq!(error["status"], serde_json::Value::Null, "{run}");
}

#[tokio::test(flavor = "multi_thread")]
async fn a_token_endpoint_that_is_not_reached_is_a_network_error_too() {
    let closed = format!("http://127.0.0.1:{}", closed_port());
    let run = Cli::bare("no-token-endpoint")
        .with("TOSS_ACCESS_KEY", "access")
        .with("TOSS_SECRET_KEY", "secret")
        .with("TOSS_API_BASE_URL", &closed)
        .with("TOSS_TOKEN_URL", &format!("{closed}/token"))
        .run(&["get-penalty-summary"])
        .await;
    let error = run.failure(4);
    assert_eq!(error["errorCode"], "NETWORK", "{run}");
}

#[tokio::test(flavor = "multi_thread")]
async fn wrong_keys_are_exit_3() {
    let server = LocalServer::start().await.unwrap();
    let run = Cli::local(&server, "wrong-keys")
        .with("TOSS_SECRET_KEY", "not-the-secret")
        .run(&["get-penalty-summary"])
        .await;
    let error = run.failure(3);
    assert_eq!(error["errorCode"], "AUTH", "{run}");
    assert!(!run.stderr.contains("not-the-secret"), "{run}");
    assert_eq!(server.api_requests(), 0);
}

#[tokio::test(flavor = "multi_thread")]
async fn no_keys_at_all_is_exit_3_before_anything_is_sent() {
    let server = LocalServer::start().await.unwrap();
    let run = Cli::bare("no-keys")
        .with("TOSS_API_BASE_URL", &server.base_url())
        .with("TOSS_TOKEN_URL", &server.token_url())
        .run(&["get-penalty-summary"])
        .await;
    run.failure(3);
    assert_eq!((server.tokens_issued(), server.api_requests()), (0, 0));
}

#[tokio::test(flavor = "multi_thread")]
async fn a_missing_required_flag_is_exit_2() {
    let server = LocalServer::start().await.unwrap();
    let run = Cli::local(&server, "missing-flag")
        .run(&["get-product"])
        .await;
    assert_eq!(run.code, Some(2), "{run}");
    assert!(run.stderr.contains("--product-id"), "{run}");
    assert_eq!((server.tokens_issued(), server.api_requests()), (0, 0));
}

#[tokio::test(flavor = "multi_thread")]
async fn a_body_that_is_not_json_is_exit_2_with_json_on_stderr() {
    let server = LocalServer::start().await.unwrap();
    let run = Cli::local(&server, "bad-body")
        .run(&["create-holiday", "--body", "{startDate: 2026-10-09"])
        .await;
    let error = run.failure(2);
    assert_eq!(error["errorCode"], "USAGE", "{run}");
    assert!(
        error["reason"]
            .as_str()
            .is_some_and(|r| r.contains("--body")),
        "{run}"
    );
    assert_eq!((server.tokens_issued(), server.api_requests()), (0, 0));
}

#[tokio::test(flavor = "multi_thread")]
async fn a_product_body_that_breaks_the_product_rules_is_exit_2_with_its_field_map() {
    let server = LocalServer::start().await.unwrap();
    let body = serde_json::json!({
        "name": "사과즙", "categoryId": 1031001, "isTaxFree": false,
        "stocks": [{"options": [{"groupName": "(택1) 수량", "valueName": "30포"}],
                    "remainingCount": 5, "isMainPrice": true, "originPrice": 100, "salePrice": 200}],
        "images": [{"type": "THUMBNAIL", "order": 0, "url": "https://example.com/t.jpg"}],
        "exposure": {"searchKeywords": []},
        "deliveryPolicy": {"deliveryCompanyId": 1, "deliveryFeeType": "FREE"},
        "exchangeReturnPolicy": {"exchangeRefundLocationId": 401, "refundOneWayDeliveryFee": 0,
            "exchangeRoundTripDeliveryFee": 0, "applicationMethodDescription": "고객센터",
            "applicationTermDescription": "7일 이내"},
        "notice": {"categoryCode": "PROCESSED_FOOD", "items": [{"id": 319, "content": "참조"}]}
    });
    let run = Cli::local(&server, "product-rules")
        .run(&["register-product", "--body", &body.to_string()])
        .await;
    let error = run.failure(2);
    assert_eq!(error["errorCode"], "INVALID_REQUEST", "{run}");
    assert!(error["reason"]["stocks[0].salePrice"].is_string(), "{run}");
    assert!(error["reason"]["images"].is_string(), "{run}");
    assert_eq!(server.api_requests(), 0);
}

#[tokio::test(flavor = "multi_thread")]
async fn a_body_of_the_wrong_shape_names_the_field_and_is_exit_2() {
    let server = LocalServer::start().await.unwrap();
    let run = Cli::local(&server, "wrong-shape")
        .run(&["hide-product", "--body", r#"{"productId": "ten"}"#])
        .await;
    let error = run.failure(2);
    assert!(
        error["reason"]
            .as_str()
            .is_some_and(|r| r.contains("productId")),
        "{run}"
    );
    assert_eq!(server.api_requests(), 0);
}
