//! Where the day runs: the built-in local server, or the real API with the seller's keys.

use std::error::Error as StdError;
use std::time::Duration;

use toss_shopping::auth::TokenProvider;
use toss_shopping::local::{Inspection, LocalServer};
use toss_shopping::{Client, Credentials, Environment};

/// How long the local server's inspection takes: long enough to watch, short enough to wait.
const LOCAL_INSPECTION: Duration = Duration::from_secs(3);

/// The client of the day and what it may do.
pub struct Backend {
    pub client: Client,
    /// The token cache the client uses, so the day can issue its token up front.
    pub tokens: TokenProvider,
    pub credentials: Credentials,
    /// The local server, when the day runs locally (it stops when this is dropped).
    pub local: Option<LocalServer>,
    /// Whether the day may change things: always locally, only with `--write` for real.
    pub writes: bool,
}

impl Backend {
    /// The real API when `TOSS_ACCESS_KEY`/`TOSS_SECRET_KEY` are set, the local server
    /// otherwise.
    pub async fn connect(write_flag: bool) -> Result<Self, Box<dyn StdError>> {
        match Credentials::from_env() {
            Some(credentials) => Self::live(credentials, write_flag),
            None => Self::local().await,
        }
    }

    async fn local() -> Result<Self, Box<dyn StdError>> {
        let server = LocalServer::builder()
            .inspection(Inspection::approve_after(LOCAL_INSPECTION))
            .start()
            .await?;
        let tokens = TokenProvider::builder()
            .token_url(server.token_url())
            .build()?;
        let client = server
            .client_builder()
            .token_provider(tokens.clone())
            .partner_name("toss-shopping-seller-day")
            .build()?;
        Ok(Self {
            client,
            tokens,
            credentials: server.credentials(),
            local: Some(server),
            writes: true,
        })
    }

    fn live(credentials: Credentials, write_flag: bool) -> Result<Self, Box<dyn StdError>> {
        let environment = match std::env::var("TOSS_ENVIRONMENT").as_deref() {
            Ok("alpha") => Environment::Alpha,
            _ => Environment::Production,
        };
        let tokens = TokenProvider::builder().environment(environment).build()?;
        let mut builder = Client::builder()
            .environment(environment)
            .credentials_from(credentials.clone())
            .token_provider(tokens.clone());
        if let Ok(partner) = std::env::var("TOSS_PARTNER_NAME") {
            builder = builder.partner_name(partner);
        }
        Ok(Self {
            client: builder.build()?,
            tokens,
            credentials,
            local: None,
            writes: write_flag,
        })
    }

    /// One line saying where the day runs and whether it writes.
    pub fn describe(&self) -> String {
        match (&self.local, self.writes) {
            (Some(server), _) => format!(
                "No TOSS_ACCESS_KEY/TOSS_SECRET_KEY: a seller's day on the built-in local server at {}",
                server.base_url()
            ),
            (None, false) => "A seller's day on the real Toss Shopping API, read-only \
                              (pass --write to confirm paid orders)"
                .to_string(),
            (None, true) => "A seller's day on the real Toss Shopping API. --write: paid orders \
                             WILL be confirmed"
                .to_string(),
        }
    }

    /// Locally, buyers order one of each of the new product's items (the real API has real
    /// buyers, so nothing happens there).
    pub fn buyers_order(&self, items: &[i64]) -> Result<(), Box<dyn StdError>> {
        let Some(server) = &self.local else {
            return Ok(());
        };
        for &item in items {
            server.buyer().place_order(item, 1)?;
        }
        println!(
            "  (local) buyers placed {} orders for the new product",
            items.len()
        );
        Ok(())
    }

    /// Locally, the carrier delivers what was shipped today.
    pub fn carrier_delivers(&self, order_product_ids: &[i64]) -> Result<(), Box<dyn StdError>> {
        if let Some(server) = &self.local {
            for &id in order_product_ids {
                server.buyer().deliver(id)?;
            }
        }
        Ok(())
    }
}
