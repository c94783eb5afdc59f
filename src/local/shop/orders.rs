//! The order book: one row per order product (`orderProductId`), with the buyer's data, the
//! prices, the status and its timestamps, and the invoice. Serves ORD-01 (list), ORD-02
//! (get) and ORD-03 (status change with partial failure), and confirms delivered purchases
//! after seven days.

mod paging;
mod seed;
mod status;

use std::collections::BTreeMap;

use chrono::{Duration, NaiveDateTime, Timelike};

use super::Shop;
use crate::api::types::{
    DeliveryLocationType, OrderProduct, OrderProductPage, OrderProductStatus,
    OrderProductStatusChangeRequest, OrderProductStatusChangeResult, OrderStatusFilter,
};
use crate::local::{Call, Fail};
use crate::time::KstDateTime;

pub(crate) use paging::{DayWindow, after, cursor, optional_window, page_size, window};
pub(crate) use seed::demo_buyer;

/// How long after delivery a purchase confirms itself (calendar days, as the reference says
/// "7 days" without business-day rules for this step).
pub(crate) const CONFIRM_AFTER_DAYS: i64 = 7;

/// The key the order list's cursor names.
const CURSOR_KEY: &str = "orderProductId";

/// Every order product of the seller, by `orderProductId`.
#[derive(Debug, Default)]
pub(crate) struct OrderBook {
    /// The order products by `orderProductId` (ids grow with time).
    pub(crate) rows: BTreeMap<i64, OrderRow>,
}

/// One order product.
#[derive(Debug, Clone)]
pub(crate) struct OrderRow {
    /// The order (`orderId`); several order products may share one.
    pub(crate) order_id: i64,
    /// The row key every write call takes (`orderProductId`).
    pub(crate) order_product_id: i64,
    /// What was bought.
    pub(crate) item: OrderedItem,
    /// How many.
    pub(crate) quantity: i64,
    /// The buyer's personal data.
    pub(crate) buyer: BuyerInfo,
    /// The delivery-fee terms.
    pub(crate) delivery: DeliveryTerms,
    /// The status (`orderProductStatus`).
    pub(crate) status: OrderProductStatus,
    /// When the order was paid (`orderedAt`).
    pub(crate) ordered_at: NaiveDateTime,
    /// When it must ship (`shippingDeadlineAt`), the penalty clock.
    pub(crate) shipping_deadline_at: NaiveDateTime,
    /// When it was cancelled and refunded (`canceledAt`).
    pub(crate) canceled_at: Option<NaiveDateTime>,
    /// When the parcel (or an exchange's replacement) arrived; starts the confirmation clock.
    pub(crate) delivered_at: Option<NaiveDateTime>,
    /// When the purchase was confirmed (`confirmedAt`).
    pub(crate) confirmed_at: Option<NaiveDateTime>,
    /// Shipping may be delayed once per order product.
    pub(crate) delay_used: bool,
    /// The current invoice, once shipped.
    pub(crate) invoice: Option<Invoice>,
    /// The claim in progress on this order product, if any.
    pub(crate) open_claim: Option<i64>,
}

/// What was bought: the product and item (option) with their names and unit prices, as the
/// product book gave them when the order was placed.
pub(crate) type OrderedItem = super::products::OrderableItem;

/// The buyer's personal data on an order (relay and real phone numbers, the address).
/// Served to the seller as the API does; never logged.
#[derive(Clone, PartialEq, Eq)]
pub(crate) struct BuyerInfo {
    /// The orderer's name.
    pub(crate) orderer_name: String,
    /// The orderer's relay number (안심번호).
    pub(crate) orderer_phone: String,
    /// The orderer's real number.
    pub(crate) orderer_real_phone: String,
    /// The receiver's name.
    pub(crate) receiver_name: String,
    /// The receiver's relay number (안심번호).
    pub(crate) receiver_phone: String,
    /// The receiver's real number.
    pub(crate) receiver_real_phone: String,
    /// The delivery address.
    pub(crate) address: String,
    /// The address detail (building, unit).
    pub(crate) detail_address: String,
    /// The postal code.
    pub(crate) zip_code: String,
    /// The delivery memo.
    pub(crate) shipping_note: String,
}

/// Debug output leaves the personal data out, so a logged shop state cannot leak it.
impl std::fmt::Debug for BuyerInfo {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("BuyerInfo { .. }")
    }
}

/// The delivery-fee terms an order was placed under.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct DeliveryTerms {
    /// The delivery-fee bundle group (`deliveryFeeGroupId`).
    pub(crate) fee_group_id: i64,
    /// The kind of delivery area.
    pub(crate) location: DeliveryLocationType,
    /// The usual fee.
    pub(crate) normal_fee: i64,
    /// The Jeju surcharge.
    pub(crate) jeju_fee: i64,
    /// The remote-area surcharge.
    pub(crate) mountain_fee: i64,
    /// The fee the buyer paid for this order product.
    pub(crate) fee: i64,
}

/// A registered invoice: the courier by its Korean name and the digits-only tracking number.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Invoice {
    /// The courier, by its Korean name (`CJ대한통운`).
    pub(crate) company: String,
    /// The tracking number, digits only.
    pub(crate) tracking_number: String,
}

impl OrderRow {
    /// The line total (the API's `price`: the fixture's two-box row shows twice the unit
    /// price).
    pub(crate) fn price(&self) -> i64 {
        self.item.sale_price * self.quantity
    }

    /// The list-price total.
    pub(crate) fn origin_price(&self) -> i64 {
        self.item.origin_price * self.quantity
    }

    /// The row as the API writes it.
    pub(crate) fn view(&self) -> OrderProduct {
        let discount = self.origin_price() - self.price();
        let invoice = self.invoice.as_ref();
        OrderProduct {
            ordered_at: stamp(self.ordered_at),
            canceled_at: self.canceled_at.and_then(stamp),
            confirmed_at: self.confirmed_at.and_then(stamp),
            shipping_deadline_at: stamp(self.shipping_deadline_at),
            order_id: Some(self.order_id),
            order_product_id: Some(self.order_product_id),
            product_id: Some(self.item.product_id),
            stock_id: Some(self.item.item_id),
            orderer_name: Some(self.buyer.orderer_name.clone()),
            orderer_phone: Some(self.buyer.orderer_phone.clone()),
            orderer_real_phone: Some(self.buyer.orderer_real_phone.clone()),
            receiver_name: Some(self.buyer.receiver_name.clone()),
            receiver_phone: Some(self.buyer.receiver_phone.clone()),
            receiver_real_phone: Some(self.buyer.receiver_real_phone.clone()),
            address: Some(self.buyer.address.clone()),
            detail_address: Some(self.buyer.detail_address.clone()),
            zip_code: Some(self.buyer.zip_code.clone()),
            shipping_note: Some(self.buyer.shipping_note.clone()),
            product_name: Some(self.item.product_name.clone()),
            option_name: Some(self.item.option_name.clone()),
            quantity: Some(self.quantity),
            price: Some(self.price()),
            origin_price: Some(self.origin_price()),
            total_discount_price: Some(discount),
            toss_shopping_discount: Some(discount),
            toss_pay_discount: Some(0),
            toss_pay_point: Some(0),
            order_product_status: Some(self.status.clone()),
            // The live rows carry empty strings until an invoice is registered.
            delivery_company_code: Some(invoice.map(|i| i.company.clone()).unwrap_or_default()),
            shipping_tracking_number: Some(
                invoice
                    .map(|i| i.tracking_number.clone())
                    .unwrap_or_default(),
            ),
            delivery_fee_group_id: Some(self.delivery.fee_group_id),
            delivery_fee: Some(self.delivery.fee),
            delivery_location_type: Some(self.delivery.location.clone()),
            normal_delivery_fee: Some(self.delivery.normal_fee),
            jeju_delivery_fee: Some(self.delivery.jeju_fee),
            mountain_delivery_fee: Some(self.delivery.mountain_fee),
            product_management_code: None,
            product_item_management_code: None,
        }
    }
}

/// A server time as the API writes it: Korean time, whole seconds.
pub(crate) fn stamp(time: NaiveDateTime) -> Option<KstDateTime> {
    KstDateTime::from_naive_kst(time.with_nanosecond(0).unwrap_or(time))
}

/// The `NOT_FOUND` of an unknown order product.
pub(crate) fn unknown_order_product(id: i64) -> Fail {
    Fail::not_found(format!("존재하지 않는 주문상품입니다. ({id})"))
}

impl OrderBook {
    /// The order product with this id, or `NOT_FOUND`.
    pub(crate) fn row(&self, id: i64) -> Result<&OrderRow, Fail> {
        self.rows.get(&id).ok_or_else(|| unknown_order_product(id))
    }

    /// The order product with this id for a change, or `NOT_FOUND`.
    pub(crate) fn row_mut(&mut self, id: i64) -> Result<&mut OrderRow, Fail> {
        self.rows
            .get_mut(&id)
            .ok_or_else(|| unknown_order_product(id))
    }
}

impl Shop {
    /// Applies the order and claim changes that are due: cancel requests left for seven
    /// days approve themselves, and delivered purchases confirm themselves after seven days
    /// (both counted in calendar days).
    pub(crate) fn tick_orders(&mut self, now: NaiveDateTime) {
        self.approve_stale_cancel_claims(now);
        self.confirm_due_purchases(now);
    }

    /// Confirms every delivered purchase (also a completed exchange) without an open claim
    /// whose seven days have passed, at the moment they passed, and books its settlement.
    fn confirm_due_purchases(&mut self, now: NaiveDateTime) {
        let due: Vec<(i64, NaiveDateTime)> = self
            .orders
            .rows
            .values()
            .filter(|row| {
                matches!(
                    row.status,
                    OrderProductStatus::Delivered | OrderProductStatus::CompletedExchange
                ) && row.open_claim.is_none()
            })
            .filter_map(|row| {
                let at = row.delivered_at? + Duration::days(CONFIRM_AFTER_DAYS);
                (at <= now).then_some((row.order_product_id, at))
            })
            .collect();
        for (id, at) in due {
            if let Some(row) = self.orders.rows.get_mut(&id) {
                row.status = OrderProductStatus::ConfirmedOrder;
                row.confirmed_at = Some(at);
                let row = row.clone();
                self.settlements.book_confirmed(&row, at);
            }
        }
    }

    /// Cancels an order product with a refund: `CANCELED_PAYMENT` at `now`, stock back.
    pub(crate) fn cancel_payment(&mut self, id: i64, now: NaiveDateTime) -> Result<(), Fail> {
        let row = self.orders.row_mut(id)?;
        row.status = OrderProductStatus::CanceledPayment;
        row.canceled_at = Some(now);
        let (item_id, quantity) = (row.item.item_id, row.quantity);
        self.products.restore_stock(item_id, quantity);
        Ok(())
    }
}

impl crate::api::serve::Orders for Shop {
    fn change_order_product_status(
        &mut self,
        call: &Call,
        body: OrderProductStatusChangeRequest,
    ) -> Result<OrderProductStatusChangeResult, Fail> {
        self.change_statuses(call.now(), body)
    }

    fn get_order_product(
        &mut self,
        _call: &Call,
        order_product_id: i64,
    ) -> Result<serde_json::Map<String, serde_json::Value>, Fail> {
        let view = self.orders.row(order_product_id)?.view();
        match serde_json::to_value(view) {
            Ok(serde_json::Value::Object(map)) => Ok(map),
            _ => Err(Fail::internal("an order product did not serialize")),
        }
    }

    fn list_order_products(&mut self, call: &Call) -> Result<OrderProductPage, Fail> {
        let window = window(call, "startDate", "endDate", 31)?;
        let status = call.query::<OrderStatusFilter>("status")?;
        let limit = page_size(call, "limit", 20, 50)?;
        let after = after(call, "nextCursor", CURSOR_KEY)?;
        // Newest first; ids grow with time, so "older than the cursor" is "smaller id".
        let mut rows = self
            .orders
            .rows
            .values()
            .rev()
            .filter(|row| after.is_none_or(|cursor| row.order_product_id < cursor))
            .filter(|row| window.contains(row.ordered_at.date()))
            .filter(|row| {
                status
                    .as_ref()
                    .is_none_or(|wanted| wanted.to_string() == row.status.as_str())
            });
        let results: Vec<OrderProduct> = rows.by_ref().take(limit).map(OrderRow::view).collect();
        let more = rows.next().is_some();
        let next_cursor = results
            .last()
            .and_then(|row| row.order_product_id)
            .filter(|_| more)
            .map(|id| cursor(CURSOR_KEY, id));
        Ok(OrderProductPage {
            next_cursor,
            results,
        })
    }
}
