//! Seller standing (penalties) and holidays.

use serde_json::{Map, Value, json};
use toss_shopping::Error;

use crate::support::{Harness, ok};

fn object(value: Value) -> Map<String, Value> {
    value.as_object().cloned().expect("a JSON object")
}

#[tokio::test]
async fn get_penalty_summary() {
    let h = Harness::start().await;
    h.expect(
        "GET",
        "/merchants/penalty/summary",
        &[],
        ok(json!({"score": 4, "count": 2, "isPenalized": false})),
    )
    .await;
    let summary = h.client.get_penalty_summary().await.expect("summary");
    assert_eq!(
        (summary.score, summary.count, summary.is_penalized),
        (4, 2, false)
    );

    h.assert_fail_envelope(
        "GET",
        "/merchants/penalty/summary",
        &[],
        h.client.get_penalty_summary(),
    )
    .await;
}

#[tokio::test]
async fn list_penalty_impositions() {
    let h = Harness::start().await;
    let page = json!({
        "items": [
            {
                "id": 88121, "penaltyType": "SHIPPING_DELAY", "score": 2,
                "orderProductId": 271684435, "reason": "발송 기한 초과",
                "imposedAt": "2026-07-02T10:00:00", "appealStatus": null
            },
            {
                "id": 88140, "penaltyType": "CLAIM_DELAY", "score": 1,
                "orderProductId": null, "reason": "반품 처리 지연",
                "imposedAt": "2026-07-05T10:00:00", "appealStatus": "REJECTED"
            }
        ],
        "hasNext": false,
        "nextCursorId": null
    });
    h.expect(
        "GET",
        "/merchants/penalty/impositions",
        &[
            ("cursorId", "88120"),
            ("size", "20"),
            ("partnerName", "my-erp"),
        ],
        ok(page),
    )
    .await;
    let page = h
        .client
        .list_penalty_impositions()
        .cursor_id(88120)
        .size(20)
        .partner_name("my-erp")
        .await
        .expect("impositions");
    let items = page["items"].as_array().expect("items");
    assert_eq!(items.len(), 2);
    assert_eq!(items[0]["id"], 88121);
    assert_eq!(items[0]["orderProductId"], 271684435_i64);
    assert_eq!(items[1]["reason"], "반품 처리 지연");
    assert!(items[1]["orderProductId"].is_null());
    assert_eq!(page["hasNext"], false);

    h.assert_fail_envelope(
        "GET",
        "/merchants/penalty/impositions",
        &[],
        h.client.list_penalty_impositions(),
    )
    .await;
}

#[tokio::test]
async fn submit_penalty_appeal() {
    let h = Harness::start().await;
    let body = json!({
        "penaltyImpositionId": 88121,
        "description": "택배사 집하 지연으로 발송이 늦어졌습니다. 집하 요청 기록을 첨부합니다."
    });
    h.expect_json(
        "POST",
        "/merchants/penalty/appeals",
        &[("partnerName", "my-erp")],
        body.clone(),
        ok(json!({"appealId": 501, "status": "REQUESTED", "requestedAt": "2026-07-06T09:00:00"})),
    )
    .await;
    let answer = h
        .client
        .submit_penalty_appeal()
        .partner_name("my-erp")
        .body(object(body.clone()))
        .await
        .expect("appealed");
    assert_eq!(answer["appealId"], 501);
    assert_eq!(answer["status"], "REQUESTED");

    h.assert_fail_envelope(
        "POST",
        "/merchants/penalty/appeals",
        &[],
        h.client.submit_penalty_appeal().body(object(body)),
    )
    .await;
}

#[tokio::test]
async fn list_holidays() {
    let h = Harness::start().await;
    let holidays = json!({
        "holidays": [
            {"id": 77, "startDate": "2026-09-24", "endDate": "2026-09-27", "reason": "추석 연휴", "createdAt": "2026-07-01T10:00:00"},
            {"id": 78, "startDate": "2026-10-09", "endDate": "2026-10-09", "reason": "한글날", "createdAt": null}
        ]
    });
    let query = [
        ("startDate", "2026-09-01"),
        ("endDate", "2026-10-31"),
        ("partnerName", "my-erp"),
    ];
    h.expect("GET", "/merchants/holidays", &query, ok(holidays))
        .await;
    let answer = h
        .client
        .list_holidays()
        .start_date("2026-09-01")
        .end_date("2026-10-31")
        .partner_name("my-erp")
        .await
        .expect("holidays");
    let holidays = answer["holidays"].as_array().expect("holidays");
    assert_eq!(holidays.len(), 2);
    assert_eq!(holidays[0]["id"], 77);
    assert_eq!(holidays[0]["reason"], "추석 연휴");
    assert!(holidays[1]["createdAt"].is_null());

    h.assert_fail_envelope(
        "GET",
        "/merchants/holidays",
        &[("startDate", "2026-09-01"), ("endDate", "2026-10-31")],
        h.client
            .list_holidays()
            .start_date("2026-09-01")
            .end_date("2026-10-31"),
    )
    .await;
}

#[tokio::test]
async fn create_holiday() {
    let h = Harness::start().await;
    let body = json!({"startDate": "2026-09-24", "endDate": "2026-09-27", "reason": "추석 연휴"});
    h.expect_json(
        "POST",
        "/merchants/holidays",
        &[("partnerName", "my-erp")],
        body.clone(),
        ok(json!({"id": 77, "createdAt": "2026-07-01T10:00:00"})),
    )
    .await;
    let created = h
        .client
        .create_holiday()
        .partner_name("my-erp")
        .body(object(body.clone()))
        .await
        .expect("created");
    assert_eq!(created["id"], 77);

    h.assert_fail_envelope(
        "POST",
        "/merchants/holidays",
        &[],
        h.client.create_holiday().body(object(body)),
    )
    .await;
}

#[tokio::test]
async fn a_free_form_write_without_a_body_is_rejected_before_sending() {
    // The body is required even though its shape is undocumented; the catch-all proves
    // nothing is sent.
    let h = Harness::start().await;
    let err = h
        .client
        .create_holiday()
        .await
        .expect_err("the body is required");
    assert!(
        matches!(&err, Error::InvalidRequest(why) if why.to_string().contains("body")),
        "{err:?}"
    );
}

#[tokio::test]
async fn update_holiday() {
    let h = Harness::start().await;
    let body = json!({"startDate": "2026-09-24", "endDate": "2026-09-28", "reason": "추석 연휴 (대체공휴일 포함)"});
    h.expect_json(
        "PUT",
        "/merchants/holidays/77",
        &[("partnerName", "my-erp")],
        body.clone(),
        ok(json!({"id": 77, "endDate": "2026-09-28"})),
    )
    .await;
    let answer = h
        .client
        .update_holiday()
        .holiday_id(77)
        .partner_name("my-erp")
        .body(object(body.clone()))
        .await
        .expect("updated");
    assert_eq!(answer["id"], 77);
    assert_eq!(answer["endDate"], "2026-09-28");

    h.assert_fail_envelope(
        "PUT",
        "/merchants/holidays/77",
        &[],
        h.client.update_holiday().holiday_id(77).body(object(body)),
    )
    .await;
}

#[tokio::test]
async fn delete_holiday() {
    let h = Harness::start().await;
    h.expect(
        "DELETE",
        "/merchants/holidays/78",
        &[("partnerName", "my-erp")],
        ok(json!({})),
    )
    .await;
    let answer = h
        .client
        .delete_holiday()
        .holiday_id(78)
        .partner_name("my-erp")
        .await
        .expect("deleted");
    assert!(answer.is_empty());

    h.assert_fail_envelope(
        "DELETE",
        "/merchants/holidays/78",
        &[],
        h.client.delete_holiday().holiday_id(78),
    )
    .await;
}
