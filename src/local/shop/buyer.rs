//! The buyer's and the carrier's events on the store (see `local/buyer.rs`): placing an
//! order, cancelling it, asking for a return or an exchange, withdrawing a request, and the
//! carrier reporting a delivery. They follow the rules of §5.2 and §5.3; an event the state
//! does not allow fails like the API would.

use chrono::NaiveDateTime;

use super::Shop;
use super::claims::ClaimKind;
use crate::api::types::OrderProductStatus;
use crate::local::Fail;
use crate::local::buyer::PlacedOrder;

/// The detail a buyer's request carries when none is given.
const NO_DETAIL: &str = "";

impl Shop {
    /// A buyer pays for `quantity` of the item: a new order in `PAID`, stock taken.
    pub(crate) fn buyer_place_order(
        &mut self,
        now: NaiveDateTime,
        item_id: i64,
        quantity: u32,
    ) -> Result<PlacedOrder, Fail> {
        if quantity == 0 {
            return Err(Fail::bad_request("주문 수량은 1개 이상이어야 합니다."));
        }
        let item = self
            .products
            .orderable_item(item_id)
            .ok_or_else(|| Fail::not_found(format!("존재하지 않는 옵션입니다. ({item_id})")))?;
        let quantity = i64::from(quantity);
        self.products.take_stock(item_id, quantity)?;
        let buyer = super::orders::demo_buyer(self.orders.rows.len());
        let (order_id, order_product_id) = self.add_paid_order(None, item, quantity, buyer, now);
        Ok(PlacedOrder {
            order_id,
            order_product_id,
        })
    }

    /// The buyer cancels: in `PAID` at once with no claim (`None`); while the seller
    /// prepares (`PREPARING_PRODUCT`, `DELAY_SHIPPING`) by a CANCEL claim (its id).
    pub(crate) fn buyer_cancel(
        &mut self,
        now: NaiveDateTime,
        order_product_id: i64,
    ) -> Result<Option<i64>, Fail> {
        let row = self.orders.row(order_product_id)?;
        match row.status {
            OrderProductStatus::Paid => {
                self.cancel_payment(order_product_id, now)?;
                Ok(None)
            }
            OrderProductStatus::PreparingProduct | OrderProductStatus::DelayShipping => self
                .open_claim(
                    ClaimKind::Cancel,
                    order_product_id,
                    now,
                    "구매 의사 취소",
                    NO_DETAIL,
                )
                .map(Some),
            _ => Err(Fail::bad_request("취소할 수 없는 주문상품입니다.")),
        }
    }

    /// The buyer asks to return the product; gives the RETURN claim's id.
    pub(crate) fn buyer_request_return(
        &mut self,
        now: NaiveDateTime,
        order_product_id: i64,
        reason: &str,
    ) -> Result<i64, Fail> {
        self.request_after_delivery(now, order_product_id, ClaimKind::Return, reason)
    }

    /// The buyer asks to exchange the product; gives the EXCHANGE claim's id.
    pub(crate) fn buyer_request_exchange(
        &mut self,
        now: NaiveDateTime,
        order_product_id: i64,
        reason: &str,
    ) -> Result<i64, Fail> {
        self.request_after_delivery(now, order_product_id, ClaimKind::Exchange, reason)
    }

    /// Opens a return or exchange request: only while the product is being or has been
    /// delivered (an exchanged product counts as delivered: it may be returned or exchanged
    /// again).
    fn request_after_delivery(
        &mut self,
        now: NaiveDateTime,
        order_product_id: i64,
        kind: ClaimKind,
        reason: &str,
    ) -> Result<i64, Fail> {
        let row = self.orders.row(order_product_id)?;
        if !matches!(
            row.status,
            OrderProductStatus::Delivering
                | OrderProductStatus::Delivered
                | OrderProductStatus::CompletedExchange
        ) {
            return Err(Fail::bad_request(
                "배송중 또는 배송완료 상태에서만 반품·교환을 요청할 수 있습니다.",
            ));
        }
        self.open_claim(kind, order_product_id, now, reason, NO_DETAIL)
    }

    /// The buyer withdraws a claim that still waits for the seller.
    pub(crate) fn buyer_withdraw_claim(
        &mut self,
        now: NaiveDateTime,
        claim_id: i64,
    ) -> Result<(), Fail> {
        self.withdraw_claim(now, claim_id)
    }

    /// The carrier reports the parcel delivered: `DELIVERING` becomes `DELIVERED`, which
    /// starts the seven days to purchase confirmation.
    pub(crate) fn carrier_delivered(
        &mut self,
        now: NaiveDateTime,
        order_product_id: i64,
    ) -> Result<(), Fail> {
        let row = self.orders.row_mut(order_product_id)?;
        if row.status != OrderProductStatus::Delivering {
            return Err(Fail::bad_request("배송중인 주문상품이 아닙니다."));
        }
        row.status = OrderProductStatus::Delivered;
        row.delivered_at = Some(now);
        Ok(())
    }
}
