//! Where the tool talks to and as whom: flags or environment, and the client built from them,
//! with tokens cached in a file only the user can read.

use std::path::PathBuf;
use std::sync::Arc;

use clap::ArgMatches;

use super::run::CliError;
use crate::auth::{DEFAULT_SCOPE, FileTokenStore, StoreKey, TokenProvider, TokenStore};
use crate::{Client, Credentials, Environment};

/// The settings every command shares.
#[derive(Debug)]
pub(crate) struct Settings {
    credentials: Option<Credentials>,
    environment: Environment,
    base_url: Option<String>,
    token_url: Option<String>,
    partner_name: Option<String>,
    cache_dir: Option<PathBuf>,
    /// `--output table`.
    pub(crate) table: bool,
}

impl Settings {
    /// Reads the global flags (clap has already filled them in from the environment).
    pub(crate) fn from_matches(matches: &ArgMatches) -> Self {
        let text = |id: &str| {
            matches
                .get_one::<String>(id)
                .map(|value| value.trim().to_string())
                .filter(|value| !value.is_empty())
        };
        let credentials = match (text("access-key"), text("secret-key")) {
            (Some(access), Some(secret)) => Some(Credentials::new(access, secret)),
            _ => None,
        };
        let environment = match text("env").as_deref() {
            Some("alpha") => Environment::Alpha,
            _ => Environment::Production,
        };
        Self {
            credentials,
            environment,
            base_url: text("base-url"),
            token_url: text("token-url"),
            partner_name: text("partner-name"),
            cache_dir: text("cache-dir").map(PathBuf::from),
            table: text("output").as_deref() == Some("table"),
        }
    }

    /// The seller's keys, or the error that says how to give them.
    pub(crate) fn credentials(&self) -> Result<&Credentials, CliError> {
        self.credentials.as_ref().ok_or_else(|| {
            CliError::Auth(
                "no credentials: set TOSS_ACCESS_KEY and TOSS_SECRET_KEY, or pass --access-key \
                 and --secret-key"
                    .to_string(),
            )
        })
    }

    /// The token endpoint in use.
    pub(crate) fn token_url(&self) -> String {
        self.token_url
            .clone()
            .unwrap_or_else(|| self.environment.token_url().to_string())
    }

    /// The API base URL in use.
    pub(crate) fn base_url(&self) -> String {
        self.base_url
            .clone()
            .unwrap_or_else(|| self.environment.api_base_url().to_string())
    }

    /// The token cache: a directory under the user's cache directory, files mode 0600.
    pub(crate) fn token_store(&self) -> Result<FileTokenStore, CliError> {
        let dir = match &self.cache_dir {
            Some(dir) => dir.clone(),
            None => user_cache_dir()
                .ok_or_else(|| {
                    CliError::Other(
                        "no cache directory: set TOSS_CACHE_DIR or --cache-dir".to_string(),
                    )
                })?
                .join("toss-shopping")
                .join("tokens"),
        };
        Ok(FileTokenStore::new(dir))
    }

    /// The store key of this seller's token.
    pub(crate) fn store_key(&self) -> Result<StoreKey, CliError> {
        let credentials = self.credentials()?;
        Ok(StoreKey::new(
            &self.token_url(),
            credentials.access_key(),
            DEFAULT_SCOPE,
        ))
    }

    /// A token provider on the file cache, and the store it uses.
    pub(crate) fn token_provider(&self) -> Result<(TokenProvider, Arc<dyn TokenStore>), CliError> {
        let store: Arc<dyn TokenStore> = Arc::new(self.token_store()?);
        let provider = TokenProvider::builder()
            .token_url(self.token_url())
            .shared_store(store.clone())
            .build()
            .map_err(|e| CliError::Other(format!("the token provider: {e}")))?;
        Ok((provider, store))
    }

    /// The client of the seller.
    pub(crate) fn client(&self) -> Result<Client, CliError> {
        let (provider, _) = self.token_provider()?;
        let mut builder = Client::builder()
            .environment(self.environment)
            .base_url(self.base_url())
            .token_url(self.token_url())
            .token_provider(provider)
            .credentials_from(self.credentials()?.clone());
        if let Some(partner) = &self.partner_name {
            builder = builder.partner_name(partner.clone());
        }
        builder
            .build()
            .map_err(|e| CliError::Other(format!("the client: {e}")))
    }
}

/// The user's cache directory: `$XDG_CACHE_HOME`, else `~/Library/Caches` on macOS,
/// `%LOCALAPPDATA%` on Windows and `~/.cache` elsewhere.
fn user_cache_dir() -> Option<PathBuf> {
    let var = |name: &str| {
        std::env::var_os(name)
            .filter(|value| !value.is_empty())
            .map(PathBuf::from)
    };
    if cfg!(windows) {
        return var("LOCALAPPDATA");
    }
    if let Some(xdg) = var("XDG_CACHE_HOME") {
        return Some(xdg);
    }
    let home = var("HOME")?;
    Some(if cfg!(target_os = "macos") {
        home.join("Library").join("Caches")
    } else {
        home.join(".cache")
    })
}
