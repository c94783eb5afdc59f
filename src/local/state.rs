//! The state every request shares: the clock, the quotas and quirks, the handler table, and
//! under one lock the sellers' stores, the issued tokens, the quota counts and the faults.

use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::time::Duration;

use chrono::{DateTime, NaiveDateTime, Utc};

use super::call::Handler;
use super::faults::FaultState;
use super::quirks::Quirks;
use super::quota::QuotaCounter;
use super::shop::Shop;
use super::token::TokenLedger;
use crate::Credentials;
use crate::auth::Clock;
use crate::limit::Quotas;

/// Everything the server's handlers share.
#[derive(Debug)]
pub(crate) struct Shared {
    pub(crate) clock: Arc<dyn Clock>,
    pub(crate) token_lifetime: Duration,
    pub(crate) quotas: Option<Quotas>,
    pub(crate) quirks: Quirks,
    /// One handler per operation, in the order of [`crate::operations`].
    pub(crate) handlers: Vec<Handler<Shop>>,
    pub(crate) world: Mutex<World>,
}

impl Shared {
    /// The mutable state. A handler that panicked cannot leave it half-written in a way a
    /// later request must not see (each handler checks before it writes), so a poisoned lock
    /// is taken over rather than turned into a panic.
    pub(crate) fn world(&self) -> MutexGuard<'_, World> {
        self.world.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// The server's wall time in Korean time.
    pub(crate) fn now_kst(&self) -> NaiveDateTime {
        kst_now(self.clock.as_ref())
    }
}

/// The mutable state of the server.
#[derive(Debug)]
pub(crate) struct World {
    pub(crate) sellers: Vec<SellerSlot>,
    pub(crate) tokens: TokenLedger,
    pub(crate) quota: QuotaCounter,
    pub(crate) faults: FaultState,
    pub(crate) requests: u64,
}

impl World {
    /// The seller whose keys these are, if the secret matches.
    pub(crate) fn seller_by_keys(&self, access_key: &str, secret_key: &str) -> Option<usize> {
        self.sellers.iter().position(|slot| {
            slot.credentials.access_key() == access_key
                && slot.credentials.secret_key() == secret_key
        })
    }
}

/// One seller: its keys and its store.
#[derive(Debug)]
pub(crate) struct SellerSlot {
    pub(crate) credentials: Credentials,
    pub(crate) shop: Shop,
}

pub(crate) fn kst_now(clock: &dyn Clock) -> NaiveDateTime {
    let utc: DateTime<Utc> = clock.wall().into();
    crate::time::KstDateTime::from(utc).naive_kst()
}
