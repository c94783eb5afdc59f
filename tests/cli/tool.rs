//! The tool's own commands: `serve-local` prints what a client needs as its first line and
//! serves until stopped; `operations` lists every operation of the spec.

use std::collections::BTreeSet;
use std::process::Stdio;

use serde_json::Value;
use tokio::io::{AsyncBufReadExt, BufReader};
use toss_shopping::operations;

use crate::support::Cli;

#[tokio::test(flavor = "multi_thread")]
async fn serve_local_prints_its_urls_and_demo_keys_then_serves() {
    let cli = Cli::bare("serve-local");
    let mut child = cli
        .command(&["serve-local"])
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let stdout = child.stdout.take().unwrap();
    // The first line is written once the port is bound: no waiting on time.
    let mut first = String::new();
    BufReader::new(stdout).read_line(&mut first).await.unwrap();
    let info: Value = serde_json::from_str(&first).unwrap();
    let base = info["baseUrl"].as_str().unwrap();
    assert!(base.starts_with("http://127.0.0.1:"), "{info}");
    assert_eq!(info["tokenUrl"], format!("{base}/token"));
    assert_eq!(info["accessKey"], toss_shopping::local::DEMO_ACCESS_KEY);
    assert_eq!(info["secretKey"], toss_shopping::local::DEMO_SECRET_KEY);

    // Its environment block is all another process needs.
    let mut client = Cli::bare("serve-local-client");
    for (name, value) in info["environment"].as_object().unwrap() {
        client = client.with(name, value.as_str().unwrap());
    }
    let summary = client.run(&["get-penalty-summary"]).await.json();
    assert!(summary["isPenalized"].is_boolean(), "{summary}");

    child.kill().await.unwrap();
}

#[tokio::test(flavor = "multi_thread")]
async fn operations_lists_every_operation_of_the_spec() {
    let run = Cli::bare("operations").run(&["operations"]).await;
    let rows = run.json();
    let rows = rows.as_array().unwrap();
    assert_eq!(rows.len(), operations().len());
    let ids: BTreeSet<&str> = rows.iter().map(|r| r["id"].as_str().unwrap()).collect();
    let spec: BTreeSet<&str> = operations().iter().map(|op| op.reference_id).collect();
    assert_eq!(ids, spec);
    for row in rows {
        for key in ["command", "method", "path", "limit", "retry", "confidence"] {
            assert!(row[key].is_string(), "{key} in {row}");
        }
    }

    let table = Cli::bare("operations-table")
        .run(&["operations", "--output", "table"])
        .await;
    assert_eq!(table.code, Some(0), "{table}");
    assert!(
        table
            .stdout
            .contains(&format!("({} rows)", operations().len())),
        "{table}"
    );
}
