//! Decoding never lies: `resultType` decides, a broken answer is never an empty success, and
//! the vendor's failure survives whatever else the envelope holds.

use serde_json::{Value, json};
use toss_shopping::{Error, ErrorCode};
use wiremock::ResponseTemplate;

use crate::support::Harness;

const ROUTE: &str = "/orders/v2";
const WINDOW: [(&str, &str); 2] = [("startDate", "2026-07-01"), ("endDate", "2026-07-07")];

async fn list_orders_answering(
    body: Value,
) -> Result<toss_shopping::types::OrderProductPage, Error> {
    let h = Harness::start().await;
    h.expect(
        "GET",
        ROUTE,
        &WINDOW,
        ResponseTemplate::new(200).set_body_json(body),
    )
    .await;
    h.client
        .list_order_products()
        .start_date(chrono::NaiveDate::from_ymd_opt(2026, 7, 1).expect("date"))
        .end_date(chrono::NaiveDate::from_ymd_opt(2026, 7, 7).expect("date"))
        .await
}

#[tokio::test]
async fn a_fail_with_a_non_null_success_keeps_the_vendor_code() {
    for success in [
        json!({}),
        json!([]),
        json!(""),
        json!({"results": "garbage"}),
    ] {
        let throttled = list_orders_answering(json!({
            "resultType": "FAIL",
            "success": success,
            "error": {"errorType": 0, "errorCode": "TOO_MANY_REQUEST", "reason": "요청이 너무 많습니다."}
        }))
        .await;
        match throttled {
            Err(error @ Error::RateLimited { .. }) => {
                assert!(error.is_retryable(), "throttling stays retryable");
                assert_eq!(error.code(), Some(&ErrorCode::TooManyRequest));
            }
            other => panic!("success {success}: expected RateLimited, got {other:?}"),
        }
        let not_found = list_orders_answering(json!({
            "success": success,
            "error": {"errorCode": "NOT_FOUND", "reason": "없음"},
            "resultType": "FAIL"
        }))
        .await;
        assert!(
            matches!(&not_found, Err(Error::Api(api)) if api.code == ErrorCode::NotFound),
            "success {success}: {not_found:?}"
        );
    }
}

#[tokio::test]
async fn a_success_without_payload_is_never_an_empty_page() {
    for body in [
        json!({"resultType": "SUCCESS", "success": null, "error": null}),
        json!({"resultType": "SUCCESS", "error": null}),
        json!({"success": null, "resultType": "SUCCESS"}),
    ] {
        let outcome = list_orders_answering(body.clone()).await;
        let Err(Error::Decode(decode)) = outcome else {
            panic!("{body}: expected Error::Decode, got {outcome:?}");
        };
        assert_eq!(decode.operation, "list_order_products");
        assert_eq!(decode.path, "success");
        assert_eq!(
            decode.message,
            "SUCCESS without a payload (`success` is null or absent)"
        );
        let kept: Value = serde_json::from_slice(decode.body()).expect("the body is kept");
        assert_eq!(kept, body);
        assert!(!Error::Decode(decode).is_retryable());
    }
}

#[tokio::test]
async fn an_answer_that_is_no_envelope_is_a_decode_error_with_its_body() {
    for body in [
        json!({}),
        json!({"resultType": "PARTIAL"}),
        json!({"results": []}),
    ] {
        let outcome = list_orders_answering(body.clone()).await;
        let Err(Error::Decode(decode)) = outcome else {
            panic!("{body}: expected Error::Decode, got {outcome:?}");
        };
        let kept: Value = serde_json::from_slice(decode.body()).expect("the body is kept");
        assert_eq!(kept, body);
    }
}

#[tokio::test]
async fn a_write_documented_to_answer_nothing_accepts_a_null_payload() {
    // DLV-01 is documented to answer an empty success (x-toss-empty-success in the spec).
    let h = Harness::start().await;
    h.expect(
        "PUT",
        "/orders/products/delivery",
        &[],
        ResponseTemplate::new(200).set_body_json(json!({"resultType": "SUCCESS", "success": null})),
    )
    .await;
    let answer = h
        .client
        .update_order_product_delivery()
        .body_map(|b| {
            b.order_product_id(271684435)
                .delivery_company("CJ대한통운")
                .tracking_number("601234567890")
        })
        .await
        .expect("a documented empty success");
    assert!(answer.is_empty());
}

#[test]
fn recorded_answers_decode_through_the_public_table() {
    let row = json!({"orderId": 98765, "orderProductId": 271684435, "orderProductStatus": "PAID"});
    let page = json!({"resultType": "SUCCESS", "success": {"results": [row], "nextCursor": null}});
    let decoded =
        toss_shopping::operation::decode_answer("list_order_products", page.to_string().as_bytes())
            .expect("a known operation")
            .expect("decodes");
    assert_eq!(decoded["results"], json!([row]));
    assert!(toss_shopping::operation::decode_answer("no_such_operation", b"{}").is_none());
    let missing = toss_shopping::operation::decode_answer(
        "list_order_products",
        br#"{"resultType":"SUCCESS"}"#,
    )
    .expect("a known operation");
    assert!(matches!(missing, Err(Error::Decode(_))), "{missing:?}");
}
