//! DLV-01: registering or changing the invoice of an order product, which ships it
//! (`PREPARING_PRODUCT` → `DELIVERING`) or changes the invoice of a parcel under way. The
//! invoice checks (a courier invoices take, a digits-only tracking number) are shared with
//! the exchange's reshipment.

use super::Shop;
use super::orders::Invoice;
use crate::api::types::{OrderProductInvoiceRequest, OrderProductStatus};
use crate::local::{Call, Fail};

/// The recorded live reason for an invoice on an order product in the wrong state.
pub(crate) const NOT_SHIPPABLE: &str = "주문상품의 상태가 '상품준비중' 혹은 '배송중'이 아닙니다";

/// The reason for an invoice while a claim is in progress.
pub(crate) const CLAIM_IN_PROGRESS: &str = "클레임이 진행 중인 주문상품입니다.";

impl Shop {
    /// An invoice from a courier name and a tracking number as a caller sent them: the
    /// courier must be one invoices take (CUR-02's names), and the tracking number keeps
    /// its digits only, as the vendor strips hyphens.
    pub(crate) fn checked_invoice(
        &self,
        company: &str,
        tracking_number: &str,
    ) -> Result<Invoice, Fail> {
        if !self.couriers.is_invoice_courier(company) {
            return Err(Fail::invalid_field(
                "deliveryCompany",
                "지원하지 않는 택배사입니다.",
            ));
        }
        let digits: String = tracking_number.chars().filter(|c| *c != '-').collect();
        if digits.is_empty() || !digits.chars().all(|c| c.is_ascii_digit()) {
            return Err(Fail::invalid_field(
                "trackingNumber",
                "숫자만 입력해 주세요.",
            ));
        }
        Ok(Invoice {
            company: company.to_string(),
            tracking_number: digits,
        })
    }

    /// Registers or changes an invoice. A delayed order product ships too: the reference
    /// marks that edge as a guess, but without it a delayed order could never ship.
    fn register_invoice(&mut self, body: &OrderProductInvoiceRequest) -> Result<(), Fail> {
        let invoice = self.checked_invoice(&body.delivery_company, &body.tracking_number)?;
        let row = self.orders.row_mut(body.order_product_id)?;
        if row.open_claim.is_some() {
            return Err(Fail::bad_request(CLAIM_IN_PROGRESS));
        }
        if !matches!(
            row.status,
            OrderProductStatus::PreparingProduct
                | OrderProductStatus::DelayShipping
                | OrderProductStatus::Delivering
        ) {
            return Err(Fail::bad_request(NOT_SHIPPABLE));
        }
        row.status = OrderProductStatus::Delivering;
        row.invoice = Some(invoice);
        Ok(())
    }
}

impl crate::api::serve::Deliveries for Shop {
    fn update_order_product_delivery(
        &mut self,
        _call: &Call,
        body: OrderProductInvoiceRequest,
    ) -> Result<serde_json::Map<String, serde_json::Value>, Fail> {
        self.register_invoice(&body)?;
        Ok(serde_json::Map::new())
    }
}
