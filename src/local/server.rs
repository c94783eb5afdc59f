//! [`LocalServer`]: binds a loopback port, serves the token endpoint and every operation of
//! the spec from in-memory state, and hands out what a client needs to reach it.

use std::io;
use std::net::{Ipv4Addr, SocketAddr};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use tokio::sync::oneshot;
use tokio::task::JoinHandle;

use super::faults::{FaultState, Faults};
use super::quirks::Quirks;
use super::quota::QuotaCounter;
use super::shop::{Inspection, Seed, Shop, ShopSettings};
use super::state::{SellerSlot, Shared, World, kst_now};
use super::token::TokenLedger;
use crate::auth::{Clock, SystemClock};
use crate::limit::Quotas;
use crate::{ClientBuilder, Credentials};

/// The demo seller's Access Key.
pub const DEMO_ACCESS_KEY: &str = "local-demo-access-key";
/// The demo seller's Secret Key (a local stand-in; it opens nothing real).
pub const DEMO_SECRET_KEY: &str = "local-demo-secret-key";

/// An in-memory, stateful stand-in for the Toss Shopping API and its token endpoint, on
/// 127.0.0.1. See the [module docs](super) for what it does.
///
/// It stops when dropped, or with [`shutdown`](Self::shutdown).
#[derive(Debug)]
pub struct LocalServer {
    address: SocketAddr,
    sellers: Vec<Credentials>,
    pub(crate) shared: Arc<Shared>,
    stop: Option<oneshot::Sender<()>>,
    task: JoinHandle<()>,
}

impl LocalServer {
    /// Starts a server on a free port with the demo seller and its demo data, the vendor's
    /// quotas, 3599-second tokens and the system clock.
    pub async fn start() -> io::Result<Self> {
        Self::builder().start().await
    }

    /// A builder to seed sellers, set quirks and faults, inject a clock or fix the port.
    pub fn builder() -> LocalServerBuilder {
        LocalServerBuilder::default()
    }

    /// The API base URL to give [`ClientBuilder::base_url`], e.g. `http://127.0.0.1:41234`.
    pub fn base_url(&self) -> String {
        format!("http://{}", self.address)
    }

    /// The token endpoint to give [`ClientBuilder::token_url`].
    pub fn token_url(&self) -> String {
        format!("http://{}{}", self.address, super::token::TOKEN_PATH)
    }

    /// The address the server listens on.
    pub fn address(&self) -> SocketAddr {
        self.address
    }

    /// The demo seller's credentials (the first seller).
    pub fn credentials(&self) -> Credentials {
        // The builder always starts with the demo seller; the fallback is never taken.
        self.sellers
            .first()
            .cloned()
            .unwrap_or_else(|| Credentials::new(DEMO_ACCESS_KEY, DEMO_SECRET_KEY))
    }

    /// Every seller's credentials, the demo seller first, then in the order they were added.
    pub fn sellers(&self) -> &[Credentials] {
        &self.sellers
    }

    /// A client builder pointed at this server with the demo seller's credentials; add a
    /// clock, limits or retries and build.
    pub fn client_builder(&self) -> ClientBuilder {
        self.client_builder_for(&self.credentials())
    }

    /// A client builder pointed at this server with `credentials`.
    pub fn client_builder_for(&self, credentials: &Credentials) -> ClientBuilder {
        crate::Client::builder()
            .base_url(self.base_url())
            .token_url(self.token_url())
            .credentials_from(credentials.clone())
    }

    /// How many tokens the token endpoint has issued.
    pub fn tokens_issued(&self) -> u64 {
        self.shared.world().tokens.issued()
    }

    /// How many API requests (not token requests) reached the server, faults and refusals
    /// included.
    pub fn api_requests(&self) -> u64 {
        self.shared.world().requests
    }

    /// How many API requests the quotas refused with `TOO_MANY_REQUEST` (injected throttle
    /// faults not counted): zero means no seller ever went over a quota.
    pub fn throttled(&self) -> u64 {
        self.shared.world().quota.refused()
    }

    /// Replaces the injected faults, e.g. to end a storm in the middle of a test.
    pub fn set_faults(&self, faults: Faults) {
        self.shared.world().faults.replace(faults);
    }

    /// Forgets every issued token, so the next API calls get HTTP 401.
    pub fn revoke_tokens(&self) {
        self.shared.world().tokens.revoke_all();
    }

    /// Stops the server and waits until it has stopped.
    pub async fn shutdown(mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        let task = std::mem::replace(&mut self.task, tokio::spawn(async {}));
        // Open keep-alive connections would hold a graceful shutdown open; cut them.
        task.abort();
        let _ = task.await;
    }
}

impl Drop for LocalServer {
    fn drop(&mut self) {
        self.task.abort();
    }
}

/// Sets up a [`LocalServer`].
#[derive(Debug)]
pub struct LocalServerBuilder {
    port: u16,
    clock: Arc<dyn Clock>,
    token_lifetime: Duration,
    quotas: Option<Quotas>,
    faults: Faults,
    quirks: Quirks,
    inspection: Inspection,
    category_rules: bool,
    sellers: Vec<(Credentials, Seed)>,
}

impl Default for LocalServerBuilder {
    fn default() -> Self {
        Self {
            port: 0,
            clock: Arc::new(SystemClock),
            token_lifetime: Duration::from_secs(3599),
            quotas: Some(Quotas::VENDOR),
            faults: Faults::default(),
            quirks: Quirks::live(),
            inspection: Inspection::default(),
            category_rules: false,
            sellers: vec![(
                Credentials::new(DEMO_ACCESS_KEY, DEMO_SECRET_KEY),
                Seed::Demo,
            )],
        }
    }
}

impl LocalServerBuilder {
    /// Listens on this port of 127.0.0.1 instead of a free one.
    pub fn port(mut self, port: u16) -> Self {
        self.port = port;
        self
    }

    /// The server's clock: token expiry, quotas, inspection and every timestamp follow it.
    /// Give the client the same [`ManualClock`](crate::auth::ManualClock) to move both.
    pub fn clock(mut self, clock: Arc<dyn Clock>) -> Self {
        self.clock = clock;
        self
    }

    /// How long issued tokens live (the vendor's 3599 s by default).
    pub fn token_lifetime(mut self, lifetime: Duration) -> Self {
        self.token_lifetime = lifetime;
        self
    }

    /// Per-seller quotas per rate-limit class (the vendor's 50/30/10 per second by default).
    pub fn quotas(mut self, quotas: Quotas) -> Self {
        self.quotas = Some(quotas);
        self
    }

    /// No quotas: never answers `TOO_MANY_REQUEST` on its own.
    pub fn without_quotas(mut self) -> Self {
        self.quotas = None;
        self
    }

    /// Faults to inject.
    pub fn faults(mut self, faults: Faults) -> Self {
        self.faults = faults;
        self
    }

    /// Which live quirks to reproduce (all of them by default).
    pub fn quirks(mut self, quirks: Quirks) -> Self {
        self.quirks = quirks;
        self
    }

    /// How product inspection ends, and how long it takes.
    pub fn inspection(mut self, inspection: Inspection) -> Self {
        self.inspection = inspection;
        self
    }

    /// Refuses product bodies that break their category's rules: option groups of the leaf's
    /// constraint template, one one-of (택1) group per stock, units, the notice code and one
    /// entry per notice item, as the live API does (see `toss_shopping::products`). Off by
    /// default because the demo products use a simplified option group; they are seeded
    /// without these rules.
    pub fn enforce_category_rules(mut self) -> Self {
        self.category_rules = true;
        self
    }

    /// Adds a seller with its own keys and its own data.
    pub fn seller(mut self, credentials: Credentials, seed: Seed) -> Self {
        self.sellers.push((credentials, seed));
        self
    }

    /// Gives the demo seller (the first seller) no demo data.
    pub fn empty_demo_seller(mut self) -> Self {
        if let Some(first) = self.sellers.first_mut() {
            first.1 = Seed::Empty;
        }
        self
    }

    /// Binds the port and starts serving.
    pub async fn start(self) -> io::Result<LocalServer> {
        let listener = tokio::net::TcpListener::bind((Ipv4Addr::LOCALHOST, self.port)).await?;
        let address = listener.local_addr()?;
        let settings = ShopSettings {
            inspection: self.inspection,
            category_rules: self.category_rules,
        };
        let now = kst_now(self.clock.as_ref());
        let slots: Vec<SellerSlot> = self
            .sellers
            .iter()
            .enumerate()
            .map(|(index, (credentials, seed))| SellerSlot {
                credentials: credentials.clone(),
                shop: Shop::new(settings.clone(), *seed, index, now),
            })
            .collect();
        let shared = Arc::new(Shared {
            clock: self.clock,
            token_lifetime: self.token_lifetime,
            quotas: self.quotas,
            quirks: self.quirks,
            handlers: crate::api::serve::handlers::<Shop>().to_vec(),
            world: Mutex::new(World {
                sellers: slots,
                tokens: TokenLedger::default(),
                quota: QuotaCounter::default(),
                faults: FaultState::new(self.faults),
                requests: 0,
            }),
        });
        let router = super::wire::router(Arc::clone(&shared));
        let (stop, stopped) = oneshot::channel::<()>();
        let task = tokio::spawn(async move {
            let serve = axum::serve(listener, router).with_graceful_shutdown(async {
                let _ = stopped.await;
            });
            if let Err(error) = serve.await {
                tracing::warn!(%error, "the local server stopped");
            }
        });
        Ok(LocalServer {
            address,
            sellers: self.sellers.into_iter().map(|(c, _)| c).collect(),
            shared,
            stop: Some(stop),
            task,
        })
    }
}
