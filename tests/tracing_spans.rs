//! One span per call, with what an operator needs and nothing a buyer or a seller would not
//! want in a log.
//!
//! A test binary of its own: tracing caches per call site whether anybody listens, so a
//! subscriber set for one test thread is only reliable when no other test runs beside it.

#[path = "common/log_capture.rs"]
mod log_capture;

use log_capture::Captured;
use serde_json::json;
use toss_shopping::{Client, RateLimits, RetryPolicy};
use tracing_subscriber::fmt::format::FmtSpan;

use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

const TOKEN: &str = "tracing-test-token";
const PREFIX: &str = "/api/v3/shopping-fep";

fn envelope(
    result: &str,
    success: serde_json::Value,
    error: serde_json::Value,
) -> ResponseTemplate {
    ResponseTemplate::new(200)
        .set_body_json(json!({"resultType": result, "success": success, "error": error}))
}

#[tokio::test]
async fn each_call_has_a_span_with_its_facts_and_no_secrets_or_buyer_data() {
    let captured = Captured::default();
    let subscriber = tracing_subscriber::fmt()
        .with_writer(captured.clone())
        .with_max_level(tracing::Level::TRACE)
        .with_span_events(FmtSpan::CLOSE)
        .with_ansi(false)
        .finish();
    let _guard = tracing::subscriber::set_default(subscriber);

    let server = MockServer::start().await;
    let row = json!({
        "orderId": 98765, "orderProductId": 271684435, "orderProductStatus": "PAID",
        "ordererName": "김토스", "ordererPhone": "010-1234-5678", "address": "서울특별시 강남구 테헤란로 1"
    });
    Mock::given(method("GET"))
        .and(path(format!("{PREFIX}/orders/v2")))
        .respond_with(envelope("SUCCESS", json!({"results": [row]}), json!(null)))
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path(format!("{PREFIX}/merchants/penalty/summary")))
        .respond_with(envelope(
            "FAIL",
            json!(null),
            json!({"errorCode": "NOT_FOUND", "reason": "없음"}),
        ))
        .mount(&server)
        .await;
    let day = |d| chrono::NaiveDate::from_ymd_opt(2026, 7, d).expect("date");
    let client = Client::builder()
        .base_url(server.uri())
        .bearer_token(TOKEN)
        .retry(RetryPolicy::none())
        .rate_limits(RateLimits::Vendor)
        .build()
        .expect("client");
    client
        .list_order_products()
        .start_date(day(1))
        .end_date(day(7))
        .await
        .expect("a page");
    client.get_penalty_summary().await.expect_err("a failure");

    let text = captured.text();
    for field in [
        "toss_shopping.call",
        "operation=\"list_order_products\"",
        "attempts=1",
        "status=200",
        "elapsed_ms=",
        "rate_limit_wait_ms=",
        "error_code=\"NOT_FOUND\"",
    ] {
        assert!(text.contains(field), "{field} missing from:\n{text}");
    }
    for secret in [TOKEN, "김토스", "010-1234-5678", "테헤란로"] {
        assert!(!text.contains(secret), "{secret} leaked into:\n{text}");
    }
}
