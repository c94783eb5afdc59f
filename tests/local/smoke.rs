use toss_shopping::local::LocalServer;

use crate::support::start;

#[tokio::test]
async fn a_wrong_method_gets_the_vendors_405() {
    let (server, _client) = start(LocalServer::builder()).await;
    let url = format!(
        "{}/api/v3/shopping-fep/merchants/group-delivery/exchange-refund-location/v2",
        server.base_url()
    );
    let answer = reqwest::Client::new().post(url).send().await.unwrap();
    assert_eq!(answer.status(), 405);
    let body: serde_json::Value = answer.json().await.unwrap();
    assert_eq!(body["errorCode"], "405");
}

#[tokio::test]
async fn a_call_gets_a_token_and_reaches_the_store() {
    let (server, client) = start(LocalServer::builder()).await;
    let result = client.get_penalty_summary().await;
    println!("{result:?}");
    assert_eq!(server.tokens_issued(), 1);
}
