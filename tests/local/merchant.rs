//! The seller's standing and holidays (MER-01..07) through the SDK, on a server whose clock
//! stands at 2026-07-10 12:00 KST so the dates in the demo data are known.

use std::sync::Arc;
use std::time::{Duration, SystemTime};

use serde_json::{Map, Value, json};
use toss_shopping::auth::ManualClock;
use toss_shopping::local::LocalServer;
use toss_shopping::{Client, Error, RateLimits, RetryPolicy};

/// 2026-07-10T03:00:00Z, noon in Korea.
const NOON_KST_2026_07_10: u64 = 1_783_652_400;
/// One day on the manual clock.
const DAY: Duration = Duration::from_secs(24 * 60 * 60);

/// The vendor error code of a failure, empty when the API sent none.
fn code(error: &Error) -> &str {
    error.code().map(|code| code.as_str()).unwrap_or("")
}

/// A `json!` object as the map free-form bodies take.
fn object(value: Value) -> Map<String, Value> {
    value.as_object().cloned().expect("a JSON object")
}

/// A demo server and a client sharing a manual clock at 2026-07-10 12:00 KST.
async fn start() -> (LocalServer, Client, Arc<ManualClock>) {
    let clock = Arc::new(ManualClock::at(
        SystemTime::UNIX_EPOCH + Duration::from_secs(NOON_KST_2026_07_10),
    ));
    let server = LocalServer::builder()
        .clock(clock.clone())
        .start()
        .await
        .expect("the local server starts");
    let client = server
        .client_builder()
        .clock(clock.clone())
        .rate_limits(RateLimits::Off)
        .retry(RetryPolicy::none())
        .build()
        .expect("a client");
    (server, client, clock)
}

/// The holidays of a date range (MER-04).
async fn holidays(client: &Client, from: &str, to: &str) -> Vec<Value> {
    let answer = client
        .list_holidays()
        .start_date(from)
        .end_date(to)
        .await
        .expect("holidays");
    answer["items"].as_array().cloned().unwrap_or_default()
}

/// MER-05 with a JSON body.
async fn create_holiday(client: &Client, body: Value) -> Result<Map<String, Value>, Error> {
    client.create_holiday().body(object(body)).await
}

/// MER-06 with a JSON body.
async fn update_holiday(
    client: &Client,
    id: i64,
    body: Value,
) -> Result<Map<String, Value>, Error> {
    client
        .update_holiday()
        .holiday_id(id)
        .body(object(body))
        .await
}

/// MER-03 with a JSON body.
async fn appeal(client: &Client, body: Value) -> Result<Map<String, Value>, Error> {
    client.submit_penalty_appeal().body(object(body)).await
}

/// The first page of impositions (MER-02).
async fn impositions(client: &Client) -> Vec<Value> {
    let page = client
        .list_penalty_impositions()
        .await
        .expect("impositions");
    page["items"].as_array().cloned().unwrap_or_default()
}

// ---------------------------------------------------------------- penalties

#[tokio::test]
async fn the_demo_summary_adds_up_the_impositions() {
    let (_server, client, _clock) = start().await;
    let summary = client.get_penalty_summary().await.expect("summary");
    assert_eq!(
        (summary.score, summary.count, summary.is_penalized),
        (4, 2, false)
    );
    let listed = impositions(&client).await;
    let total: i64 = listed.iter().map(|i| i["score"].as_i64().unwrap()).sum();
    assert_eq!((listed.len(), total), (2, 4));
}

#[tokio::test]
async fn impositions_are_listed_newest_first_and_page_by_cursor_id() {
    let (_server, client, _clock) = start().await;
    let all = impositions(&client).await;
    assert_eq!(all[0]["penaltyType"], "CLAIM_NOT_PROCESSED");
    assert_eq!(all[0]["imposedAt"], "2026-07-01T12:00:00");
    assert_eq!(all[1]["penaltyType"], "LATE_DISPATCH");
    assert_eq!(all[1]["imposedAt"], "2026-06-20T12:00:00");
    assert!(all[0]["appealStatus"].is_null());

    let first = client.list_penalty_impositions().size(1).await.unwrap();
    assert_eq!(first["hasNext"], true);
    assert_eq!(first["items"][0], all[0]);
    let cursor = first["nextCursorId"].as_i64().expect("a cursor");
    let second = client
        .list_penalty_impositions()
        .size(1)
        .cursor_id(cursor)
        .await
        .unwrap();
    assert_eq!(second["items"].as_array().map(Vec::len), Some(1));
    assert_eq!(second["items"][0], all[1]);
    assert_eq!(second["hasNext"], false);
    assert!(second["nextCursorId"].is_null());
}

#[tokio::test]
async fn an_imposition_can_be_appealed_once() {
    let (_server, client, _clock) = start().await;
    let target = impositions(&client).await[1]["penaltyImpositionId"].clone();
    let receipt = appeal(
        &client,
        json!({"penaltyImpositionId": target, "description": "택배사 집하 지연으로 발송이 늦어졌습니다."}),
    )
    .await
    .expect("appealed");
    assert_eq!(receipt["status"], "REQUESTED");
    assert_eq!(receipt["penaltyImpositionId"], target);
    assert_eq!(receipt["requestedAt"], "2026-07-10T12:00:00");

    let listed = impositions(&client).await;
    let appealed = listed
        .iter()
        .find(|i| i["penaltyImpositionId"] == target)
        .unwrap();
    assert_eq!(appealed["appealStatus"], "REQUESTED");
    assert_eq!(appealed["appealId"], receipt["appealId"]);

    let again = appeal(
        &client,
        json!({"penaltyImpositionId": target, "description": "재소명"}),
    )
    .await
    .unwrap_err();
    assert_eq!(code(&again), "BAD_REQUEST", "{again:?}");
    // An appeal changes nothing in the standing until it is decided.
    assert_eq!(client.get_penalty_summary().await.unwrap().score, 4);
}

#[tokio::test]
async fn appeals_name_an_existing_imposition_and_explain_it() {
    let (_server, client, _clock) = start().await;
    let unknown = appeal(
        &client,
        json!({"penaltyImpositionId": 1, "description": "소명"}),
    )
    .await
    .unwrap_err();
    assert_eq!(code(&unknown), "NOT_FOUND", "{unknown:?}");

    let empty = appeal(&client, json!({})).await.unwrap_err();
    assert_eq!(code(&empty), "INVALID_REQUEST");
    let fields = format!("{:?}", empty.api_error().unwrap().reason);
    assert!(
        fields.contains("penaltyImpositionId") && fields.contains("description"),
        "{fields}"
    );

    let target = impositions(&client).await[0]["penaltyImpositionId"].clone();
    let blank = appeal(
        &client,
        json!({"penaltyImpositionId": target, "description": "   "}),
    )
    .await
    .unwrap_err();
    assert_eq!(code(&blank), "INVALID_REQUEST");
    let long = "가".repeat(1_001);
    let too_long = appeal(
        &client,
        json!({"penaltyImpositionId": target, "description": long}),
    )
    .await
    .unwrap_err();
    assert_eq!(code(&too_long), "INVALID_REQUEST");
}

#[tokio::test]
async fn the_standing_does_not_change_with_time_alone() {
    let (_server, client, clock) = start().await;
    clock.advance(DAY * 40);
    let summary = client.get_penalty_summary().await.unwrap();
    assert_eq!(
        (summary.score, summary.count, summary.is_penalized),
        (4, 2, false)
    );
}

// ---------------------------------------------------------------- holidays

#[tokio::test]
async fn the_demo_holiday_is_two_weeks_ahead() {
    let (_server, client, _clock) = start().await;
    let july = holidays(&client, "2026-07-01", "2026-07-31").await;
    assert_eq!(july.len(), 1, "{july:?}");
    assert_eq!(july[0]["startDate"], "2026-07-24");
    assert_eq!(july[0]["endDate"], "2026-07-26");
    assert!(july[0]["holidayId"].is_i64());
    // A range touching only its last day still finds it; one before it does not.
    assert_eq!(holidays(&client, "2026-07-26", "2026-08-10").await.len(), 1);
    assert!(
        holidays(&client, "2026-07-10", "2026-07-23")
            .await
            .is_empty()
    );
}

#[tokio::test]
async fn a_holiday_is_created_updated_and_deleted() {
    let (_server, client, _clock) = start().await;
    let created = create_holiday(
        &client,
        json!({"startDate": "2026-09-24", "endDate": "2026-09-26", "description": "추석 연휴"}),
    )
    .await
    .expect("created");
    let id = created["holidayId"].as_i64().expect("an id");
    let listed = holidays(&client, "2026-09-01", "2026-09-30").await;
    assert_eq!(listed.len(), 1);
    assert_eq!(listed[0]["description"], "추석 연휴");

    update_holiday(&client, id, json!({"endDate": "2026-09-28"}))
        .await
        .expect("updated");
    let listed = holidays(&client, "2026-09-01", "2026-09-30").await;
    assert_eq!(
        (
            &listed[0]["startDate"],
            &listed[0]["endDate"],
            &listed[0]["description"]
        ),
        (
            &json!("2026-09-24"),
            &json!("2026-09-28"),
            &json!("추석 연휴")
        )
    );

    client
        .delete_holiday()
        .holiday_id(id)
        .await
        .expect("deleted");
    assert!(
        holidays(&client, "2026-09-01", "2026-09-30")
            .await
            .is_empty()
    );
    let error = client.delete_holiday().holiday_id(id).await.unwrap_err();
    assert_eq!(code(&error), "NOT_FOUND", "{error:?}");
}

#[tokio::test]
async fn holidays_are_listed_in_date_order() {
    let (_server, client, _clock) = start().await;
    create_holiday(
        &client,
        json!({"startDate": "2026-12-31", "endDate": "2027-01-01"}),
    )
    .await
    .unwrap();
    create_holiday(
        &client,
        json!({"startDate": "2026-10-09", "endDate": "2026-10-09", "description": "한글날"}),
    )
    .await
    .unwrap();
    let listed = holidays(&client, "2026-07-01", "2027-12-31").await;
    let starts: Vec<_> = listed.iter().map(|h| h["startDate"].clone()).collect();
    assert_eq!(
        starts,
        vec![
            json!("2026-07-24"),
            json!("2026-10-09"),
            json!("2026-12-31")
        ]
    );
    assert_eq!(listed[2]["description"], "휴무");
}

#[tokio::test]
async fn holidays_that_overlap_or_lie_in_the_past_are_refused() {
    let (_server, client, _clock) = start().await;
    let cases = [
        (
            json!({"startDate": "2026-07-25", "endDate": "2026-07-30"}),
            "BAD_REQUEST",
        ),
        (
            json!({"startDate": "2026-07-20", "endDate": "2026-07-24"}),
            "BAD_REQUEST",
        ),
        (
            json!({"startDate": "2026-07-09", "endDate": "2026-07-11"}),
            "BAD_REQUEST",
        ),
        (
            json!({"startDate": "2026-08-05", "endDate": "2026-08-01"}),
            "INVALID_REQUEST",
        ),
        (
            json!({"startDate": "2026/08/01", "endDate": "2026-08-02"}),
            "INVALID_REQUEST",
        ),
        (json!({"endDate": "2026-08-02"}), "INVALID_REQUEST"),
        (json!({"startDate": "2026-08-01"}), "INVALID_REQUEST"),
    ];
    for (body, expected) in cases {
        let error = create_holiday(&client, body.clone()).await.unwrap_err();
        assert_eq!(code(&error), expected, "{body}: {error:?}");
    }
    // Today itself may be a holiday.
    create_holiday(
        &client,
        json!({"startDate": "2026-07-10", "endDate": "2026-07-10"}),
    )
    .await
    .expect("today is allowed");
    assert_eq!(holidays(&client, "2026-07-01", "2026-07-31").await.len(), 2);
}

#[tokio::test]
async fn holiday_updates_follow_the_same_rules() {
    let (_server, client, _clock) = start().await;
    let demo = holidays(&client, "2026-07-01", "2026-07-31").await[0]["holidayId"]
        .as_i64()
        .unwrap();
    let other = create_holiday(
        &client,
        json!({"startDate": "2026-08-10", "endDate": "2026-08-12"}),
    )
    .await
    .unwrap()["holidayId"]
        .as_i64()
        .unwrap();
    let cases = [
        (demo, json!({"endDate": "2026-08-10"}), "BAD_REQUEST"),
        (demo, json!({"startDate": "2026-07-01"}), "BAD_REQUEST"),
        (demo, json!({"endDate": "2026-07-20"}), "INVALID_REQUEST"),
        (demo, json!({"startDate": "24-07-2026"}), "INVALID_REQUEST"),
        (999, json!({"endDate": "2026-08-20"}), "NOT_FOUND"),
    ];
    for (id, body, expected) in cases {
        let error = update_holiday(&client, id, body.clone()).await.unwrap_err();
        assert_eq!(code(&error), expected, "{body}: {error:?}");
    }
    // Moving a holiday onto its own days is no overlap.
    update_holiday(
        &client,
        other,
        json!({"startDate": "2026-08-11", "endDate": "2026-08-13"}),
    )
    .await
    .expect("moved");
}

#[tokio::test]
async fn a_holiday_in_progress_keeps_its_start_and_an_ended_one_is_history() {
    let (_server, client, clock) = start().await;
    let demo = holidays(&client, "2026-07-01", "2026-07-31").await[0]["holidayId"]
        .as_i64()
        .unwrap();
    clock.advance(DAY * 15); // 2026-07-25, inside 07-24..07-26
    update_holiday(&client, demo, json!({"endDate": "2026-07-27"}))
        .await
        .expect("extended while in progress");
    let error = update_holiday(&client, demo, json!({"startDate": "2026-07-23"}))
        .await
        .unwrap_err();
    assert_eq!(code(&error), "BAD_REQUEST", "{error:?}");

    clock.advance(DAY * 5); // 2026-07-30, after it ended
    let error = update_holiday(&client, demo, json!({"description": "연장"}))
        .await
        .unwrap_err();
    assert_eq!(code(&error), "BAD_REQUEST", "{error:?}");
    let error = client.delete_holiday().holiday_id(demo).await.unwrap_err();
    assert_eq!(code(&error), "BAD_REQUEST", "{error:?}");
    assert_eq!(holidays(&client, "2026-07-01", "2026-07-31").await.len(), 1);
}

#[tokio::test]
async fn a_holiday_range_query_must_be_two_ordered_dates() {
    let (_server, client, _clock) = start().await;
    for (from, to) in [("2026-07-31", "2026-07-01"), ("20260701", "2026-07-31")] {
        let error = client
            .list_holidays()
            .start_date(from)
            .end_date(to)
            .await
            .unwrap_err();
        assert_eq!(code(&error), "INVALID_REQUEST", "{from}..{to}: {error:?}");
    }
}
