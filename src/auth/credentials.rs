//! A seller's API keys.

use std::fmt;
use std::sync::Arc;

/// A seller's Access Key (the OAuth2 client id) and Secret Key (the client secret).
///
/// `Debug` shows the access key and never the secret. Cheap to clone.
#[derive(Clone, PartialEq, Eq, Hash)]
pub struct Credentials {
    access_key: Arc<str>,
    secret_key: Arc<str>,
}

impl Credentials {
    /// Credentials from the seller's Access Key and Secret Key.
    pub fn new(access_key: impl Into<Arc<str>>, secret_key: impl Into<Arc<str>>) -> Self {
        Self {
            access_key: access_key.into(),
            secret_key: secret_key.into(),
        }
    }

    /// Reads `TOSS_ACCESS_KEY` and `TOSS_SECRET_KEY`; `None` unless both are set and non-empty.
    pub fn from_env() -> Option<Self> {
        let read = |name: &str| {
            std::env::var(name)
                .ok()
                .filter(|value| !value.trim().is_empty())
        };
        Some(Self::new(
            read("TOSS_ACCESS_KEY")?,
            read("TOSS_SECRET_KEY")?,
        ))
    }

    /// The Access Key (OAuth2 client id); not a secret.
    pub fn access_key(&self) -> &str {
        &self.access_key
    }

    pub(crate) fn secret_key(&self) -> &str {
        &self.secret_key
    }
}

impl fmt::Debug for Credentials {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Credentials")
            .field("access_key", &self.access_key)
            .field("secret_key", &"[redacted]")
            .finish()
    }
}
