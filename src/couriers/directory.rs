//! [`CourierDirectory`]: Toss's courier lists, read through the client, cached for a while,
//! and the invoice call with a courier given any way the caller holds it.

use std::fmt;
use std::future::IntoFuture;
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::time::{Duration, Instant};

use super::table::CourierTable;
use super::{CourierError, CourierRef};
use crate::api::Client;
use crate::api::builder::UpdateOrderProductDelivery;
use crate::auth::Clock;
use crate::call::Operation;
use crate::error::Error;
use crate::invalid::{InvalidRequestError, Problem};

/// How long the lists are used before they are read again, unless told otherwise. Couriers
/// come and go over months; an hour keeps a new one from waiting long.
const DEFAULT_TTL: Duration = Duration::from_secs(60 * 60);

/// Toss's two courier lists, read on first use through the client (so its rate limits,
/// retries, token handling and tracing apply), cached for a time to live, and refreshed by one
/// caller at a time while the others wait for that refresh.
///
/// Create one per client and share it (e.g. in an `Arc`); it is cheap to keep.
pub struct CourierDirectory {
    client: Client,
    clock: Arc<dyn Clock>,
    ttl: Duration,
    cached: Mutex<Option<Cached>>,
    /// Held while the lists are being read, so that only one caller reads them.
    refreshing: tokio::sync::Mutex<()>,
}

/// The joined lists and when they were read.
#[derive(Clone)]
struct Cached {
    table: Arc<CourierTable>,
    read_at: Instant,
}

impl fmt::Debug for CourierDirectory {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("CourierDirectory")
            .field("ttl", &self.ttl)
            .field("cached", &self.cache().is_some())
            .finish_non_exhaustive()
    }
}

impl CourierDirectory {
    /// A directory that reads the lists through `client`, keeps them for an hour, and tells
    /// time by the client's clock ([`Client::clock`]).
    pub fn new(client: Client) -> Self {
        Self {
            clock: client.clock(),
            client,
            ttl: DEFAULT_TTL,
            cached: Mutex::new(None),
            refreshing: tokio::sync::Mutex::new(()),
        }
    }

    /// Keeps the lists this long before reading them again.
    pub fn ttl(mut self, ttl: Duration) -> Self {
        self.ttl = ttl;
        self
    }

    /// Tells the age of the lists by `clock` instead of the client's.
    pub fn clock(mut self, clock: Arc<dyn Clock>) -> Self {
        self.clock = clock;
        self
    }

    /// The exact value the invoice call's `deliveryCompany` takes for `courier`, from the
    /// cached lists (read first when there are none or they are older than the time to live).
    pub async fn resolve(&self, courier: impl Into<CourierRef>) -> Result<String, CourierError> {
        let courier = courier.into();
        self.table().await?.resolve(&courier)
    }

    /// Reads both lists now, whatever the cache holds (e.g. after Toss added a courier).
    pub async fn refresh(&self) -> Result<(), CourierError> {
        let _turn = self.refreshing.lock().await;
        self.read().await.map(drop)
    }

    /// Registers (or changes) the invoice of one order product: `courier` resolved to the
    /// value Toss takes, and `tracking_number` without its hyphens (Toss strips them too).
    ///
    /// A courier that does not resolve is an [`Error::InvalidRequest`] on `deliveryCompany`
    /// that says why (and lists near matches); nothing is sent. The invoice call's retry
    /// safety is `verify-first`: a failure that may have been applied comes back as
    /// [`Error::Unconfirmed`]; read the order product before shipping it again.
    pub async fn ship(
        &self,
        order_product_id: i64,
        courier: impl Into<CourierRef>,
        tracking_number: &str,
    ) -> Result<(), Error> {
        let company = self.resolve(courier).await.map_err(into_call_error)?;
        let digits: String = tracking_number.chars().filter(|c| *c != '-').collect();
        self.client
            .update_order_product_delivery()
            .body_map(|body| {
                body.order_product_id(order_product_id)
                    .delivery_company(company)
                    .tracking_number(digits)
            })
            .await
            .map(drop)
    }

    /// The joined lists, read first when the cache holds none that are fresh.
    async fn table(&self) -> Result<Arc<CourierTable>, CourierError> {
        if let Some(table) = self.fresh() {
            return Ok(table);
        }
        let _turn = self.refreshing.lock().await;
        // Whoever held the turn before may have just read them.
        if let Some(table) = self.fresh() {
            return Ok(table);
        }
        self.read().await
    }

    /// Reads both lists and caches them; a failure leaves the cache as it was.
    async fn read(&self) -> Result<Arc<CourierTable>, CourierError> {
        let listed = self.client.list_delivery_companies().into_future();
        let invoice = self.client.list_invoice_delivery_companies().into_future();
        let (listed, invoice) = futures_util::future::try_join(listed, invoice)
            .await
            .map_err(CourierError::Lookup)?;
        let table = Arc::new(CourierTable::new(listed, invoice)?);
        *self.cache() = Some(Cached {
            table: table.clone(),
            read_at: self.clock.now(),
        });
        Ok(table)
    }

    /// The cached table, if it is younger than the time to live.
    fn fresh(&self) -> Option<Arc<CourierTable>> {
        let cached = self.cache().clone()?;
        let age = self.clock.now().saturating_duration_since(cached.read_at);
        (age < self.ttl).then_some(cached.table)
    }

    // Only short, panic-free sections hold the lock, so a poisoned one is still consistent.
    fn cache(&self) -> MutexGuard<'_, Option<Cached>> {
        self.cached.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

/// A courier that did not resolve, as the invoice call's error: a failed read stays the
/// read's error; anything else is a `deliveryCompany` the request cannot be sent with.
fn into_call_error(error: CourierError) -> Error {
    if let CourierError::Lookup(error) = error {
        return error;
    }
    let meta = <UpdateOrderProductDelivery<'static> as Operation<'static>>::meta();
    Error::InvalidRequest(Box::new(InvalidRequestError {
        operation: meta.operation_id,
        field: "body.deliveryCompany".into(),
        problem: Problem::Other(format!("cannot be resolved: {error}")),
        body_type: meta.request_body,
    }))
}
