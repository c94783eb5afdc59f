//! Every operation of the spec is served: routed by its method and path, past the token and
//! the spec checks, into the seller's store. (The compiler already refuses a store that
//! leaves an operation out; this proves the routes reach them.)

use toss_shopping::local::LocalServer;
use toss_shopping::operations;

use crate::support::raw_token;

/// The operation's path with every `{parameter}` filled in.
fn concrete(path: &str) -> String {
    let mut out = String::new();
    let mut rest = path;
    while let Some(open) = rest.find('{') {
        out.push_str(&rest[..open]);
        let close = rest[open..].find('}').expect("a closed template") + open;
        out.push('1');
        rest = &rest[close + 1..];
    }
    out.push_str(rest);
    out
}

#[tokio::test]
async fn every_operation_of_the_spec_is_served_by_the_store() {
    let server = LocalServer::builder()
        .without_quotas()
        .start()
        .await
        .expect("server");
    let token = raw_token(&server).await;
    let http = reqwest::Client::new();
    let mut unserved = Vec::new();
    for op in operations() {
        let url = format!("{}{}", server.base_url(), concrete(op.path));
        let method = reqwest::Method::from_bytes(op.method.as_bytes()).expect("a method");
        let mut request = http.request(method, url).bearer_auth(&token);
        if op.request_body.is_some() {
            request = request
                .header("content-type", "application/json")
                .body("{}");
        }
        let answer = request.send().await.expect("an answer");
        let status = answer.status().as_u16();
        let body: serde_json::Value = answer.json().await.unwrap_or_default();
        let served = status == 200
            && matches!(body["resultType"].as_str(), Some("SUCCESS" | "FAIL"))
            && body["error"]["errorCode"] != "500";
        if !served {
            unserved.push(format!(
                "{} {} {}: {status} {body}",
                op.operation_id, op.method, op.path
            ));
        }
    }
    assert!(unserved.is_empty(), "not served:\n{}", unserved.join("\n"));
}

#[tokio::test]
async fn a_path_outside_the_spec_is_not_found() {
    let server = LocalServer::start().await.expect("server");
    let token = raw_token(&server).await;
    let answer = reqwest::Client::new()
        .get(format!(
            "{}/api/v3/shopping-fep/orders/claims",
            server.base_url()
        ))
        .bearer_auth(&token)
        .send()
        .await
        .expect("an answer");
    assert_eq!(answer.status(), 404);
}

#[tokio::test]
async fn a_wrong_method_gets_the_vendors_405_without_an_envelope() {
    let server = LocalServer::start().await.expect("server");
    let url = format!(
        "{}/api/v3/shopping-fep/merchants/group-delivery/exchange-refund-location/v2",
        server.base_url()
    );
    let answer = reqwest::Client::new()
        .post(url)
        .send()
        .await
        .expect("an answer");
    assert_eq!(answer.status(), 405);
    let body: serde_json::Value = answer.json().await.expect("JSON");
    assert_eq!(body["errorCode"], "405");
    assert!(body.get("resultType").is_none());
}
