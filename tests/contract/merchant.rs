//! Seller standing (penalties) and holidays.

use serde_json::json;

use crate::support::{Harness, ok};

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
