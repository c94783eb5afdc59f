//! SCN-01: the seller cancels an order product on their own initiative. It becomes
//! `CANCELED_PAYMENT` at once, without a claim, and the seller takes penalty points.

use super::Shop;
use crate::api::types::{OrderProductStatus, SellerCancelRequest};
use crate::local::{Call, Fail};

/// Penalty points a seller cancel costs. Sources say 3 or 4; the one citing the docs says 4.
const PENALTY_POINTS: i64 = 4;

impl Shop {
    /// Cancels as the seller: allowed in almost any status, except before payment, after a
    /// completed return, once cancelled, and while a claim is in progress (the claim calls
    /// handle those).
    fn seller_cancel(
        &mut self,
        call: &Call,
        id: i64,
        body: &SellerCancelRequest,
    ) -> Result<(), Fail> {
        let row = self.orders.row(id)?;
        if row.open_claim.is_some() {
            return Err(Fail::bad_request(super::deliveries::CLAIM_IN_PROGRESS));
        }
        match row.status {
            OrderProductStatus::CanceledPayment => {
                return Err(Fail::bad_request("이미 취소된 주문상품입니다."));
            }
            OrderProductStatus::BeforePayment | OrderProductStatus::CompletedReturn => {
                return Err(Fail::bad_request(
                    "판매자 취소를 할 수 없는 주문상품입니다.",
                ));
            }
            _ => {}
        }
        self.cancel_payment(id, call.now())?;
        let reason = format!("판매자 취소: {}", body.reason.as_str());
        self.merchant
            .impose_penalty(call.now(), &reason, PENALTY_POINTS);
        Ok(())
    }
}

impl crate::api::serve::SellerCancel for Shop {
    fn seller_cancel_order_product(
        &mut self,
        call: &Call,
        order_product_id: i64,
        body: SellerCancelRequest,
    ) -> Result<serde_json::Map<String, serde_json::Value>, Fail> {
        self.seller_cancel(call, order_product_id, &body)?;
        Ok(serde_json::Map::new())
    }
}
