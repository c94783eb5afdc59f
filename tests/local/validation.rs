//! Requests the spec refuses get the vendor's `INVALID_REQUEST` FAIL with a field map. The
//! SDK checks the same rules before sending, so these go around it, as another client would.

use serde_json::Value;
use toss_shopping::local::LocalServer;

use crate::support::raw_token;

async fn send(
    server: &LocalServer,
    method: reqwest::Method,
    path_and_query: &str,
    body: Option<&str>,
) -> Value {
    let token = raw_token(server).await;
    let url = format!("{}/api/v3/shopping-fep{path_and_query}", server.base_url());
    let mut request = reqwest::Client::new()
        .request(method, url)
        .bearer_auth(token);
    if let Some(body) = body {
        request = request
            .header("content-type", "application/json")
            .body(body.to_string());
    }
    let answer = request.send().await.expect("an answer");
    assert_eq!(answer.status(), 200, "failures come inside HTTP 200");
    answer.json().await.expect("an envelope")
}

fn field_map(envelope: &Value) -> &serde_json::Map<String, Value> {
    assert_eq!(envelope["resultType"], "FAIL", "{envelope}");
    assert_eq!(
        envelope["error"]["errorCode"], "INVALID_REQUEST",
        "{envelope}"
    );
    envelope["error"]["reason"]
        .as_object()
        .expect("a field map")
}

#[tokio::test]
async fn a_registration_without_a_required_field_names_it_as_the_vendor_does() {
    let server = LocalServer::start().await.expect("server");
    let envelope = send(&server, reqwest::Method::POST, "/products/v2", Some("{}")).await;
    let fields = field_map(&envelope);
    let (_, message) = fields.iter().next().expect("one field");
    assert_eq!(message, "필수 값이 누락되었습니다.");
}

#[tokio::test]
async fn a_body_that_is_not_json_is_refused_not_guessed() {
    let server = LocalServer::start().await.expect("server");
    let envelope = send(
        &server,
        reqwest::Method::POST,
        "/products/hide",
        Some("productId=1"),
    )
    .await;
    assert!(field_map(&envelope).contains_key("body"), "{envelope}");
}

#[tokio::test]
async fn a_status_filter_outside_the_six_values_is_refused_with_the_allowed_ones() {
    let server = LocalServer::start().await.expect("server");
    let envelope = send(
        &server,
        reqwest::Method::GET,
        "/orders/v2?startDate=2026-12-01&endDate=2026-12-02&status=SHIPPING",
        None,
    )
    .await;
    let message = field_map(&envelope)["status"].as_str().expect("text");
    assert!(
        message.contains("PREPARING_PRODUCT") && message.contains("SHIPPING"),
        "{message}"
    );
}

#[tokio::test]
async fn bad_id_lists_dates_and_numbers_are_each_named() {
    let server = LocalServer::start().await.expect("server");
    let envelope = send(
        &server,
        reqwest::Method::GET,
        "/claims?fromRequestDate=2026-13-01&orderIds=1,,2&size=ten",
        None,
    )
    .await;
    let fields = field_map(&envelope);
    for field in ["fromRequestDate", "orderIds", "size"] {
        assert!(fields.contains_key(field), "{field} in {envelope}");
    }
}

#[tokio::test]
async fn a_path_id_that_is_not_a_number_is_refused() {
    let server = LocalServer::start().await.expect("server");
    let envelope = send(&server, reqwest::Method::GET, "/products/abc/v2", None).await;
    assert!(field_map(&envelope).contains_key("productId"), "{envelope}");
}

#[tokio::test]
async fn through_the_sdk_a_refusal_arrives_as_a_typed_field_map() {
    use toss_shopping::{ErrorCode, Reason};

    let (_server, client) = crate::support::start(LocalServer::builder()).await;
    let error = client
        .list_order_products()
        .start_date("2026-10-01".parse::<chrono::NaiveDate>().expect("a date"))
        .end_date("2026-11-10".parse::<chrono::NaiveDate>().expect("a date"))
        .await
        .expect_err("a 40-day window");
    let api = error.api_error().expect("a FAIL");
    assert_eq!(api.code, ErrorCode::InvalidRequest);
    let Reason::Fields(fields) = &api.reason else {
        panic!("not a field map: {:?}", api.reason);
    };
    assert!(fields["endDate"].contains("31"), "{fields:?}");
}
