//! One seller's store: everything the API lets a seller read and change, in memory, with the
//! documented state machines. Each spec tag's operations are implemented in the file of the
//! same name (the traits are generated from the spec, so none can be left out).
//!
//! Time-driven changes (inspection finishing, purchases confirming themselves) happen in
//! [`Shop::tick`], which runs with the server's clock before every request.

mod buyer;
mod categories;
mod claims;
mod couriers;
mod deliveries;
mod delivery_fee_groups;
mod exchange_refund_locations;
mod merchant;
mod notices;
mod orders;
mod product_items;
mod products;
mod purchase_limits;
mod seller_cancel;
mod settlements;

use std::time::Duration;

use chrono::NaiveDateTime;

/// The ids the demo data shares between areas (a product's category, delivery-fee group and
/// return address; an order's product and item).
pub(crate) mod demo {
    /// A leaf category with a constraint template and notice items.
    pub(crate) const LEAF_CATEGORY_ID: i64 = 1_031_001;
    /// The leaf category's constraint template.
    pub(crate) const TEMPLATE_ID: i64 = 7_001;
    /// The notice category code of the leaf category's products.
    pub(crate) const NOTICE_CATEGORY_CODE: &str = "PROCESSED_FOOD";
    /// The delivery-fee group (`deliveryLocationId`).
    pub(crate) const DELIVERY_FEE_GROUP_ID: i64 = 301;
    /// The exchange/return address (`exchangeRefundLocationId`).
    pub(crate) const RETURN_LOCATION_ID: i64 = 401;
    /// The courier of the demo invoices, by its Korean name as invoices take it.
    pub(crate) const COURIER_NAME: &str = "CJ대한통운";
}

/// How the store behaves where the vendor leaves room: set once per server.
#[derive(Debug, Clone)]
pub(crate) struct ShopSettings {
    pub(crate) inspection: Inspection,
    /// Whether product bodies must follow their category's template and notice items.
    pub(crate) category_rules: bool,
}

/// How product inspection ends and how long it takes on the server's clock. Live inspection
/// took 1 to 20 minutes; the default here is one minute, approved.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Inspection {
    pub(crate) delay: Duration,
    pub(crate) reject_reason: Option<String>,
    pub(crate) reject_names_containing: Option<String>,
}

impl Default for Inspection {
    fn default() -> Self {
        Self::approve_after(Duration::from_secs(60))
    }
}

impl Inspection {
    /// Every product passes inspection (`COMPLETE`) this long after it was registered or
    /// sent back to inspection.
    pub fn approve_after(delay: Duration) -> Self {
        Self {
            delay,
            reject_reason: None,
            reject_names_containing: None,
        }
    }

    /// Every product is rejected (`REJECT`, with `reason` as its rejection reason) this long
    /// after it was registered or sent back to inspection.
    pub fn reject_after(delay: Duration, reason: impl Into<String>) -> Self {
        Self {
            delay,
            reject_reason: Some(reason.into()),
            reject_names_containing: None,
        }
    }

    /// Rejects only products whose name contains `marker`; the others pass. With
    /// [`approve_after`](Self::approve_after), a test can have both outcomes on one server.
    pub fn reject_names_containing(
        mut self,
        marker: impl Into<String>,
        reason: impl Into<String>,
    ) -> Self {
        self.reject_names_containing = Some(marker.into());
        self.reject_reason = Some(reason.into());
        self
    }
}

/// Hands out ids for new records. Each seller counts from its own base, so an id one seller
/// was given never names something of another seller.
#[derive(Debug)]
pub(crate) struct Ids {
    next: i64,
}

impl Ids {
    fn for_seller(index: usize) -> Self {
        Self {
            next: 10_000_000 * (index as i64 + 1),
        }
    }

    /// A fresh id.
    pub(crate) fn next(&mut self) -> i64 {
        self.next += 1;
        self.next
    }
}

/// What a seller's store holds when the server starts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum Seed {
    /// The demo data: a category tree with templates and notices, a delivery-fee group, a
    /// return address, a few products, orders in several states and a return claim.
    Demo,
    /// Nothing but the shared reference data (categories, notices, couriers).
    Empty,
}

/// One seller's store.
pub(crate) struct Shop {
    pub(crate) settings: ShopSettings,
    pub(crate) ids: Ids,
    pub(crate) categories: categories::CategoryTree,
    pub(crate) notices: notices::NoticeBook,
    pub(crate) couriers: couriers::Couriers,
    pub(crate) fee_groups: delivery_fee_groups::FeeGroups,
    pub(crate) return_locations: exchange_refund_locations::ReturnLocations,
    pub(crate) merchant: merchant::MerchantBook,
    pub(crate) products: products::ProductBook,
    pub(crate) purchase_limits: purchase_limits::PurchaseLimits,
    pub(crate) orders: orders::OrderBook,
    pub(crate) claims: claims::ClaimBook,
    pub(crate) settlements: settlements::SettlementBook,
}

/// The store holds buyers' names, phones and addresses: its `Debug` shows none of it.
impl std::fmt::Debug for Shop {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Shop").finish_non_exhaustive()
    }
}

impl Shop {
    /// A store for the seller at `index`, seeded as `seed` says, at the server time `now`.
    pub(crate) fn new(
        settings: ShopSettings,
        seed: Seed,
        index: usize,
        now: NaiveDateTime,
    ) -> Self {
        let mut shop = Self {
            settings,
            ids: Ids::for_seller(index),
            categories: categories::CategoryTree::reference(),
            notices: notices::NoticeBook::reference(),
            couriers: couriers::Couriers::reference(),
            fee_groups: Default::default(),
            return_locations: Default::default(),
            merchant: Default::default(),
            products: Default::default(),
            purchase_limits: Default::default(),
            orders: Default::default(),
            claims: Default::default(),
            settlements: Default::default(),
        };
        if seed == Seed::Demo {
            shop.seed_demo(now);
        }
        shop
    }

    /// The demo data, area by area; later areas build on earlier ones (orders on products).
    fn seed_demo(&mut self, now: NaiveDateTime) {
        self.seed_logistics(now);
        self.seed_merchant(now);
        self.seed_products(now);
        self.seed_orders(now);
    }

    /// Applies every change that is due by `now`: inspections that end, deliveries that
    /// confirm themselves, claims that approve themselves.
    pub(crate) fn tick(&mut self, now: NaiveDateTime) {
        self.tick_products(now);
        self.tick_orders(now);
    }
}
