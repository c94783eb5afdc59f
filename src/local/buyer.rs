//! The buyer's and the carrier's side of the store, which the API does not offer: place an
//! order, cancel it, ask for a return or an exchange, withdraw a request, report a delivery.
//! Tests and the main job use it to make things happen that a seller then handles through
//! the SDK.

use super::call::Fail;
use super::server::LocalServer;

/// An order a buyer placed: the order and its one order product.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PlacedOrder {
    /// The order id (`orderId`).
    pub order_id: i64,
    /// The order product id (`orderProductId`), which the seller's calls take.
    pub order_product_id: i64,
}

/// The buyers and carriers of one seller's store; see [`LocalServer::buyer`].
#[derive(Debug)]
pub struct Buyer<'a> {
    server: &'a LocalServer,
    seller: usize,
}

impl LocalServer {
    /// The buyers of the demo seller's store.
    pub fn buyer(&self) -> Buyer<'_> {
        Buyer {
            server: self,
            seller: 0,
        }
    }

    /// The buyers of the store of the seller with this access key, if the server has one.
    pub fn buyer_of(&self, access_key: &str) -> Option<Buyer<'_>> {
        let seller = self
            .sellers()
            .iter()
            .position(|credentials| credentials.access_key() == access_key)?;
        Some(Buyer {
            server: self,
            seller,
        })
    }
}

impl Buyer<'_> {
    /// Runs `event` on the seller's store at the server's time, after the changes due by then.
    fn with_shop<T>(
        &self,
        event: impl FnOnce(&mut super::shop::Shop, chrono::NaiveDateTime) -> Result<T, Fail>,
    ) -> Result<T, Fail> {
        let shared = &self.server.shared;
        let now = shared.now_kst();
        let mut world = shared.world();
        let slot = world
            .sellers
            .get_mut(self.seller)
            .ok_or_else(|| Fail::not_found("no such seller"))?;
        slot.shop.tick(now);
        event(&mut slot.shop, now)
    }

    /// A buyer pays for `quantity` of the item `item_id` (`stocks[].itemId`): a new order
    /// product in `PAID`, and the item's stock goes down.
    pub fn place_order(&self, item_id: i64, quantity: u32) -> Result<PlacedOrder, Fail> {
        self.with_shop(|shop, now| shop.buyer_place_order(now, item_id, quantity))
    }

    /// The buyer cancels. In `PAID` the order is cancelled at once with no claim (`None`);
    /// in `PREPARING_PRODUCT` or `DELAY_SHIPPING` a CANCEL claim is opened for the seller.
    pub fn cancel(&self, order_product_id: i64) -> Result<Option<i64>, Fail> {
        self.with_shop(|shop, now| shop.buyer_cancel(now, order_product_id))
    }

    /// The buyer asks to return a product that is being or has been delivered; gives the
    /// RETURN claim's id.
    pub fn request_return(&self, order_product_id: i64, reason: &str) -> Result<i64, Fail> {
        self.with_shop(|shop, now| shop.buyer_request_return(now, order_product_id, reason))
    }

    /// The buyer asks to exchange a product that is being or has been delivered; gives the
    /// EXCHANGE claim's id.
    pub fn request_exchange(&self, order_product_id: i64, reason: &str) -> Result<i64, Fail> {
        self.with_shop(|shop, now| shop.buyer_request_exchange(now, order_product_id, reason))
    }

    /// The buyer withdraws an open claim (`REVOKED_REQUEST`).
    pub fn withdraw_claim(&self, claim_id: i64) -> Result<(), Fail> {
        self.with_shop(|shop, now| shop.buyer_withdraw_claim(now, claim_id))
    }

    /// The carrier reports the parcel delivered: `DELIVERING` becomes `DELIVERED`.
    pub fn deliver(&self, order_product_id: i64) -> Result<(), Fail> {
        self.with_shop(|shop, now| shop.carrier_delivered(now, order_product_id))
    }
}
