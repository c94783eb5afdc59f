//! `token`: issues the seller's token (or reuses the cached one) and prints when it expires;
//! the token itself only with `--show-token`, since it is a secret.

use std::process::ExitCode;
use std::sync::Arc;
use std::time::SystemTime;

use chrono::{DateTime, Utc};
use serde_json::json;

use super::config::Settings;
use super::run::CliError;
use crate::time::KstDateTime;

/// Runs `token`.
pub(crate) async fn run(settings: &Settings, show_token: bool) -> Result<ExitCode, CliError> {
    let credentials = settings.credentials()?.clone();
    let (provider, store) = settings.token_provider()?;
    let token = provider
        .source(credentials)
        .token()
        .await
        .map_err(|error| CliError::Sdk(crate::Error::Auth(Arc::new(error))))?;
    // The provider keeps what it issued in the file store; its expiry is read back from there.
    let stored = store.load(&settings.store_key()?).await.ok().flatten();
    let expires_at = stored.as_ref().map(|stored| stored.expires_at);
    let expires_in = expires_at.and_then(|at| at.duration_since(SystemTime::now()).ok());
    let mut out = json!({
        "tokenUrl": settings.token_url(),
        "expiresAt": expires_at.map(|at| KstDateTime::from(DateTime::<Utc>::from(at)).to_string()),
        "expiresInSeconds": expires_in.map(|left| left.as_secs()),
    });
    if show_token {
        out["accessToken"] = json!(token.secret());
    }
    super::output::say(out);
    Ok(ExitCode::SUCCESS)
}
