//! Starting and stopping: a fixed port, and a stopped server that no longer answers.

use toss_shopping::local::LocalServer;

/// A port that was free a moment ago.
fn free_port() -> u16 {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("a free port");
    listener.local_addr().expect("an address").port()
}

#[tokio::test]
async fn a_fixed_port_is_used_and_freed_by_shutdown() {
    let port = free_port();
    let server = LocalServer::builder()
        .port(port)
        .start()
        .await
        .expect("the port is free");
    assert_eq!(server.address().port(), port);
    assert_eq!(server.base_url(), format!("http://127.0.0.1:{port}"));
    assert_eq!(server.token_url(), format!("http://127.0.0.1:{port}/token"));
    let client = server.client_builder().build().expect("client");
    client.get_penalty_summary().await.expect("served");

    server.shutdown().await;
    let again = LocalServer::builder()
        .port(port)
        .start()
        .await
        .expect("the port is free again after shutdown");
    again.shutdown().await;
}

#[tokio::test]
async fn a_dropped_server_stops_answering() {
    let server = LocalServer::start().await.expect("server");
    let url = format!("{}/token", server.base_url());
    drop(server);
    // Give the aborted task its turn to close the listener.
    tokio::task::yield_now().await;
    let answer = reqwest::Client::new()
        .post(url)
        .timeout(std::time::Duration::from_secs(5))
        .send()
        .await;
    assert!(answer.is_err(), "{answer:?}");
}
