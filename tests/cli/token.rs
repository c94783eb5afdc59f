//! `token`: prints the expiry and keeps the token itself secret unless `--show-token`, and
//! the file cache lets a second process reuse the first one's token.

use serde_json::Value;
use toss_shopping::local::LocalServer;

use crate::support::Cli;

#[tokio::test(flavor = "multi_thread")]
async fn token_prints_the_expiry_and_shows_the_token_only_when_asked() {
    let server = LocalServer::start().await.unwrap();
    let cli = Cli::local(&server, "token");
    let quiet = cli.run(&["token"]).await;
    let info = quiet.json();
    assert_eq!(info["tokenUrl"], server.token_url().as_str(), "{quiet}");
    assert!(info["expiresAt"].is_string(), "{quiet}");
    let left = info["expiresInSeconds"].as_u64().unwrap();
    assert!((3000..=3599).contains(&left), "{quiet}");
    assert!(info.get("accessToken").is_none(), "{quiet}");

    let shown = cli.run(&["token", "--show-token"]).await;
    let token = shown.json()["accessToken"].as_str().unwrap().to_string();
    assert!(token.len() >= 16, "{shown}");
    assert!(
        !quiet.stdout.contains(&token) && !quiet.stderr.contains(&token),
        "the token leaked without --show-token: {quiet}"
    );
    // The second process reused the first one's token from the file cache.
    assert_eq!(server.tokens_issued(), 1);
}

#[tokio::test(flavor = "multi_thread")]
async fn the_token_cache_is_shared_by_processes_and_only_the_user_can_read_it() {
    let server = LocalServer::start().await.unwrap();
    let cli = Cli::local(&server, "token-cache");
    cli.run(&["token"]).await.json();
    cli.run(&["get-penalty-summary"]).await.json();
    cli.run(&["list-claims"]).await.json();
    assert_eq!(server.tokens_issued(), 1, "three processes, one token");
    assert_eq!(server.api_requests(), 2);

    let files: Vec<_> = std::fs::read_dir(cli.cache_dir())
        .unwrap()
        .map(|entry| entry.unwrap().path())
        .collect();
    assert_eq!(files.len(), 1, "{files:?}");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&files[0]).unwrap().permissions().mode();
        assert_eq!(mode & 0o777, 0o600, "{mode:o}");
    }
    // The cached file holds no secret key.
    let text = std::fs::read_to_string(&files[0]).unwrap();
    assert!(!text.contains(toss_shopping::local::DEMO_SECRET_KEY));
    let _: Value = serde_json::from_str(&text).unwrap();
}
