//! `serve-local`: runs the built-in local server until Ctrl-C, after printing what a client
//! needs to reach it.

use std::io::Write;
use std::process::ExitCode;

use serde_json::json;

use super::run::CliError;
use crate::local::LocalServer;

/// Runs `serve-local`.
pub(crate) async fn run(port: Option<u16>) -> Result<ExitCode, CliError> {
    let mut builder = LocalServer::builder();
    if let Some(port) = port {
        builder = builder.port(port);
    }
    let server = builder
        .start()
        .await
        .map_err(|e| CliError::Other(format!("starting the local server: {e}")))?;
    let credentials = server.credentials();
    // The demo keys open nothing but this local server, so they are printed.
    let info = json!({
        "baseUrl": server.base_url(),
        "tokenUrl": server.token_url(),
        "accessKey": credentials.access_key(),
        "secretKey": crate::local::DEMO_SECRET_KEY,
        "environment": {
            "TOSS_API_BASE_URL": server.base_url(),
            "TOSS_TOKEN_URL": server.token_url(),
            "TOSS_ACCESS_KEY": credentials.access_key(),
            "TOSS_SECRET_KEY": crate::local::DEMO_SECRET_KEY,
        },
    });
    let mut stdout = std::io::stdout().lock();
    writeln!(stdout, "{info}")
        .and_then(|()| stdout.flush())
        .map_err(|e| CliError::Other(e.to_string()))?;
    drop(stdout);
    super::output::warn(format!(
        "The local server runs at {}; Ctrl-C stops it.",
        server.base_url()
    ));
    tokio::signal::ctrl_c()
        .await
        .map_err(|e| CliError::Other(format!("waiting for Ctrl-C: {e}")))?;
    server.shutdown().await;
    Ok(ExitCode::SUCCESS)
}
