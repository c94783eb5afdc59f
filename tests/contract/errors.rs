//! What a user gets for every kind of bad answer: a typed error or a clean decode, never a panic.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use serde_json::json;
use toss_shopping::auth::BoxFuture;
use toss_shopping::types::OrderProductStatus;
use toss_shopping::{AuthError, BearerToken, Client, Error, ErrorCode, Reason, TokenSource};
use wiremock::matchers::{header, method, path};
use wiremock::{Mock, ResponseTemplate};

use crate::support::{Harness, PREFIX, TOKEN, fail, ok};

const PENALTY: &str = "/merchants/penalty/summary";

#[tokio::test]
async fn fail_envelope_with_a_field_map_reason_is_an_api_error() {
    let h = Harness::start().await;
    let answer = ResponseTemplate::new(200).set_body_json(json!({
        "resultType": "FAIL", "success": null,
        "error": {"errorType": 0, "errorCode": "INVALID_REQUEST", "reason": {"name": "필수 값이 누락되었습니다."}}
    }));
    h.expect("GET", PENALTY, &[], answer).await;
    let err = h
        .client
        .get_penalty_summary()
        .await
        .expect_err("FAIL is an error");
    let api = err.api_error().expect("an API error");
    assert_eq!(api.code, ErrorCode::InvalidRequest);
    let Reason::Fields(fields) = &api.reason else {
        panic!("expected a field map, got {:?}", api.reason)
    };
    assert_eq!(fields["name"], "필수 값이 누락되었습니다.");
    assert!(!err.is_retryable() && !err.is_auth() && !err.is_rate_limited());
}

#[tokio::test]
async fn status_400_with_an_envelope_is_read_not_dropped() {
    let h = Harness::start().await;
    let answer = ResponseTemplate::new(400).set_body_json(json!({
        "resultType": "FAIL", "success": null,
        "error": {"errorType": 0, "errorCode": "INVALID_REQUEST", "reason": "status 값이 올바르지 않습니다."}
    }));
    h.expect("GET", PENALTY, &[], answer).await;
    match h.client.get_penalty_summary().await {
        Err(Error::Api(api)) => {
            assert_eq!(
                (api.status, api.code.clone()),
                (400, ErrorCode::InvalidRequest)
            );
            assert_eq!(
                api.reason,
                Reason::Text("status 값이 올바르지 않습니다.".into())
            );
        }
        other => panic!("expected Error::Api, got {other:?}"),
    }
}

#[tokio::test]
async fn status_405_with_a_bare_error_body_is_an_api_error() {
    let h = Harness::start().await;
    let answer = ResponseTemplate::new(405)
        .set_body_json(json!({"errorCode": "405", "reason": "잘못된 http method 입니다."}));
    h.expect("GET", PENALTY, &[], answer).await;
    match h.client.get_penalty_summary().await {
        Err(Error::Api(api)) => {
            assert_eq!(
                (api.status, api.code.clone()),
                (405, ErrorCode::MethodNotAllowed)
            );
            assert_eq!(api.reason.to_string(), "잘못된 http method 입니다.");
        }
        other => panic!("expected Error::Api, got {other:?}"),
    }
}

#[tokio::test]
async fn status_401_with_a_fixed_token_is_unauthorized_without_a_replay() {
    let h = Harness::start().await;
    h.expect("GET", PENALTY, &[], ResponseTemplate::new(401))
        .await;
    let err = h.client.get_penalty_summary().await.expect_err("401");
    assert!(
        matches!(
            err,
            Error::Unauthorized {
                api: None,
                refresh_error: None
            }
        ),
        "{err:?}"
    );
    assert!(err.is_auth() && !err.is_retryable());
    assert_eq!(err.status(), Some(401));
}

/// Hands out `first`, then `second` after `first` was invalidated.
#[derive(Debug)]
struct Rotating {
    invalidated: AtomicUsize,
}

impl TokenSource for Rotating {
    fn token(&self) -> BoxFuture<'_, Result<BearerToken, AuthError>> {
        let token = if self.invalidated.load(Ordering::SeqCst) == 0 {
            "first"
        } else {
            "second"
        };
        Box::pin(async move { Ok(BearerToken::new(token)) })
    }

    fn invalidate(&self, rejected: &BearerToken) {
        assert_eq!(
            rejected.secret(),
            "first",
            "only the rejected token is invalidated"
        );
        self.invalidated.fetch_add(1, Ordering::SeqCst);
    }
}

#[tokio::test]
async fn status_401_invalidates_the_token_and_replays_once_with_a_fresh_one() {
    let h = Harness::start().await;
    let source = Arc::new(Rotating {
        invalidated: AtomicUsize::new(0),
    });
    let client = h.client.with_token_source(source.clone());
    let route = format!("{PREFIX}{PENALTY}");
    Mock::given(method("GET"))
        .and(path(&route))
        .and(header("authorization", "Bearer first"))
        .respond_with(ResponseTemplate::new(401))
        .expect(1)
        .named("first token rejected")
        .mount(&h.server)
        .await;
    Mock::given(method("GET"))
        .and(path(&route))
        .and(header("authorization", "Bearer second"))
        .respond_with(ok(json!({"score": 0, "count": 0, "isPenalized": false})))
        .expect(1)
        .named("replay with the fresh token")
        .mount(&h.server)
        .await;
    let summary = client.get_penalty_summary().await.expect("replayed");
    assert!(!summary.is_penalized);
    assert_eq!(source.invalidated.load(Ordering::SeqCst), 1);
}

#[derive(Debug)]
struct Broken;

impl TokenSource for Broken {
    fn token(&self) -> BoxFuture<'_, Result<BearerToken, AuthError>> {
        Box::pin(async {
            Err(AuthError::Throttled {
                retry_after: Some(Duration::from_secs(7)),
            })
        })
    }
}

#[tokio::test]
async fn a_failing_token_source_is_a_typed_auth_error_and_nothing_is_sent() {
    let h = Harness::start().await;
    let client = h.client.with_token_source(Arc::new(Broken));
    match client.get_penalty_summary().await {
        Err(Error::Auth(auth)) => assert!(
            matches!(*auth, AuthError::Throttled { retry_after: Some(d) } if d.as_secs() == 7)
        ),
        other => panic!("expected Error::Auth, got {other:?}"),
    }
}

#[tokio::test]
async fn status_503_is_a_retryable_server_error() {
    let h = Harness::start().await;
    h.expect(
        "GET",
        PENALTY,
        &[],
        ResponseTemplate::new(503).set_body_string("<html>Service Unavailable</html>"),
    )
    .await;
    let err = h.client.get_penalty_summary().await.expect_err("503");
    match &err {
        Error::Server {
            status: 503,
            snippet,
            ..
        } => assert!(snippet.contains("Unavailable"), "{snippet}"),
        other => panic!("expected Error::Server, got {other:?}"),
    }
    assert!(err.is_retryable());
}

#[tokio::test]
async fn throttling_inside_http_200_is_rate_limited() {
    let h = Harness::start().await;
    h.expect(
        "GET",
        PENALTY,
        &[],
        fail("TOO_MANY_REQUEST", "요청이 너무 많습니다."),
    )
    .await;
    let err = h.client.get_penalty_summary().await.expect_err("throttled");
    assert!(err.is_rate_limited() && err.is_retryable(), "{err:?}");
    assert_eq!(err.code(), Some(&ErrorCode::TooManyRequest));
}

#[tokio::test]
async fn http_429_keeps_retry_after() {
    let h = Harness::start().await;
    h.expect(
        "GET",
        PENALTY,
        &[],
        ResponseTemplate::new(429).insert_header("retry-after", "3"),
    )
    .await;
    match h.client.get_penalty_summary().await {
        Err(Error::RateLimited {
            status: 429,
            retry_after,
            ..
        }) => assert_eq!(retry_after, Some(Duration::from_secs(3))),
        other => panic!("expected Error::RateLimited, got {other:?}"),
    }
}

#[tokio::test]
async fn a_body_that_is_not_json_is_a_decode_error_with_a_masked_snippet() {
    let h = Harness::start().await;
    let html = "<html><body>Gateway error for 010-1234-5678</body></html>";
    h.expect(
        "GET",
        PENALTY,
        &[],
        ResponseTemplate::new(200).set_body_string(html),
    )
    .await;
    match h.client.get_penalty_summary().await {
        Err(Error::Decode(decode)) => {
            assert_eq!(
                (decode.operation, decode.status),
                ("get_penalty_summary", 200)
            );
            assert!(!decode.snippet.contains("5678"), "{}", decode.snippet);
            assert_eq!(
                decode.body().as_ref(),
                html.as_bytes(),
                "the body is kept for deliberate inspection"
            );
            assert!(!format!("{decode:?}").contains("5678"));
        }
        other => panic!("expected Error::Decode, got {other:?}"),
    }
}

#[tokio::test]
async fn a_payload_of_the_wrong_shape_names_the_path_without_buyer_data() {
    let h = Harness::start().await;
    let page = json!({"results": [{"orderId": "not-a-number", "orderProductId": 1, "ordererName": "홍길동"}]});
    h.expect(
        "GET",
        "/orders/v2",
        &[("startDate", "2026-07-01"), ("endDate", "2026-07-31")],
        ok(page),
    )
    .await;
    let err = h
        .client
        .list_order_products()
        .start_date(chrono::NaiveDate::from_ymd_opt(2026, 7, 1).expect("date"))
        .end_date(chrono::NaiveDate::from_ymd_opt(2026, 7, 31).expect("date"))
        .await
        .expect_err("orderId is not a number");
    let Error::Decode(decode) = &err else {
        panic!("expected Error::Decode, got {err:?}")
    };
    assert_eq!(decode.path, "success.results[0].orderId");
    let shown = format!("{err} {err:?}");
    assert!(
        !shown.contains("홍길동") && !shown.contains("not-a-number"),
        "{shown}"
    );
}

#[tokio::test]
async fn unknown_enum_values_and_extra_fields_decode_cleanly() {
    let h = Harness::start().await;
    let page = json!({
        "results": [
            {"orderId": 1, "orderProductId": 11, "orderProductStatus": "PAID", "fieldAddedTomorrow": {"x": 1}},
            {"orderId": 1, "orderProductId": 12, "orderProductStatus": "NEW_STATUS_FROM_VENDOR"}
        ],
        "somethingNew": true
    });
    h.expect(
        "GET",
        "/orders/v2",
        &[("startDate", "2026-07-01"), ("endDate", "2026-07-02")],
        ok(page),
    )
    .await;
    let page = h
        .client
        .list_order_products()
        .start_date(chrono::NaiveDate::from_ymd_opt(2026, 7, 1).expect("date"))
        .end_date(chrono::NaiveDate::from_ymd_opt(2026, 7, 2).expect("date"))
        .await
        .expect("decodes");
    assert_eq!(
        page.results[0].order_product_status,
        Some(OrderProductStatus::Paid)
    );
    assert_eq!(
        page.results[1].order_product_status,
        Some(OrderProductStatus::from("NEW_STATUS_FROM_VENDOR"))
    );
}

#[tokio::test]
async fn large_ids_and_offsetless_kst_timestamps_survive() {
    let h = Harness::start().await;
    let page = json!({"results": [{"orderId": 9007199254740993_i64, "orderProductId": 1, "orderedAt": "2026-07-11T20:51:39"}]});
    h.expect(
        "GET",
        "/orders/v2",
        &[("startDate", "2026-07-11"), ("endDate", "2026-07-11")],
        ok(page),
    )
    .await;
    let day = chrono::NaiveDate::from_ymd_opt(2026, 7, 11).expect("date");
    let page = h
        .client
        .list_order_products()
        .start_date(day)
        .end_date(day)
        .await
        .expect("decodes");
    let row = &page.results[0];
    assert_eq!(row.order_id, Some(9007199254740993));
    let ordered = row.ordered_at.expect("timestamp");
    assert_eq!(ordered.to_utc().to_rfc3339(), "2026-07-11T11:51:39+00:00");
}

#[tokio::test]
async fn a_slow_answer_is_a_timeout() {
    let h = Harness::start().await;
    // The answer is 20 s late and the client gives up after 200 ms: a 100x margin.
    h.expect(
        "GET",
        PENALTY,
        &[],
        ok(json!({})).set_delay(Duration::from_secs(20)),
    )
    .await;
    let client = Client::builder()
        .base_url(h.server.uri())
        .bearer_token(TOKEN)
        .timeout(Duration::from_millis(200))
        .retry(toss_shopping::RetryPolicy::none())
        .build()
        .expect("client");
    let err = client.get_penalty_summary().await.expect_err("times out");
    assert!(
        matches!(err, Error::Timeout(_)) && err.is_retryable(),
        "{err:?}"
    );
}

#[tokio::test]
async fn a_refused_connection_is_a_transport_error() {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
    let port = listener.local_addr().expect("addr").port();
    drop(listener);
    let client = Client::builder()
        .base_url(format!("http://127.0.0.1:{port}"))
        .bearer_token(TOKEN)
        .retry(toss_shopping::RetryPolicy::none())
        .build()
        .expect("client");
    let err = client.get_penalty_summary().await.expect_err("refused");
    assert!(
        matches!(err, Error::Transport(_)) && err.is_retryable(),
        "{err:?}"
    );
}

#[tokio::test]
async fn the_client_partner_name_is_sent_unless_a_request_sets_its_own() {
    let h = Harness::start().await;
    let client = Client::builder()
        .base_url(h.server.uri())
        .bearer_token(TOKEN)
        .partner_name("my-erp")
        .build()
        .expect("client");
    let summary = json!({"score": 3, "count": 1, "isPenalized": true});
    h.expect(
        "GET",
        PENALTY,
        &[("partnerName", "my-erp")],
        ok(summary.clone()),
    )
    .await;
    h.expect("GET", PENALTY, &[("partnerName", "other")], ok(summary))
        .await;
    assert_eq!(client.get_penalty_summary().await.expect("ok").score, 3);
    assert!(
        client
            .get_penalty_summary()
            .partner_name("other")
            .await
            .expect("ok")
            .is_penalized
    );
}

#[tokio::test]
async fn garbage_answers_never_panic() {
    let h = Harness::start().await;
    let mut bodies: Vec<Vec<u8>> = [
        "",
        "null",
        "[]",
        "{}",
        "0",
        "\"SUCCESS\"",
        "{\"resultType\":null}",
        "{\"resultType\":\"SUCCESS\"}",
        "{\"resultType\":\"SUCCESS\",\"success\":[]}",
        "{\"resultType\":\"FAIL\",\"error\":[]}",
        "{\"resultType\":\"FAIL\",\"error\":{\"errorCode\":{\"a\":1}}}",
        "{\"resultType\":7}",
        "{\"resultType\":\"SUCCESS\",\"success\":{\"score\":1e400}}",
        "{\"resultType\":\"SUCCESS\"",
        "\u{feff}{}",
        "\u{0}\u{1}\u{2}",
    ]
    .iter()
    .map(|s| s.as_bytes().to_vec())
    .collect();
    // A fixed pseudo-random sequence: the same bytes on every run.
    let mut state: u32 = 0x2545_f491;
    for len in [1usize, 7, 64, 300] {
        bodies.push(
            (0..len)
                .map(|_| {
                    state ^= state << 13;
                    state ^= state >> 17;
                    state ^= state << 5;
                    state as u8
                })
                .collect(),
        );
    }
    for (index, body) in bodies.iter().enumerate() {
        for status in [200u16, 400, 401, 404, 429, 500, 502] {
            h.server.reset().await;
            Mock::given(method("GET"))
                .respond_with(ResponseTemplate::new(status).set_body_bytes(body.clone()))
                .mount(&h.server)
                .await;
            let outcome = h.client.get_penalty_summary().await;
            assert!(
                outcome.is_err(),
                "body {index} with status {status} decoded as success: {outcome:?}"
            );
            let _ = format!(
                "{:?} {}",
                outcome.as_ref().err(),
                outcome
                    .as_ref()
                    .err()
                    .map(ToString::to_string)
                    .unwrap_or_default()
            );
        }
    }
}
