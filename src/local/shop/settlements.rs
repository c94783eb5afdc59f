//! Settlement lines (STL-01): when a purchase is confirmed, the seller is owed its price
//! minus the sales commission and the payment fee (each with 10% VAT), and a delivery-fee
//! line for the fee the buyer paid (`orderProductId` null, name `배송비`), paid out a few
//! days later. Listed by payout date in windows of at most 31 days.

use chrono::{Duration, NaiveDate, NaiveDateTime};

use super::Shop;
use super::orders::{DayWindow, OrderRow, after, cursor, page_size, stamp, window};
use crate::api::types::{OrderProductStatus, SettlementLine, SettlementPage};
use crate::local::{Call, Fail};

/// The sales commission, in percent of the price.
const PRODUCT_FEE_PERCENT: i64 = 8;
/// The payment fee, in percent of the amount paid.
const PAY_FEE_PERCENT: i64 = 3;
/// VAT on the fees, in percent.
const VAT_PERCENT: i64 = 10;
/// Days from confirmation to the payout base date (the fixture: confirmed the 20th, base the
/// 22nd) and from there to the payout (the 24th). Calendar days: no business calendar here.
const BASE_DATE_DAYS: i64 = 2;
/// See [`BASE_DATE_DAYS`].
const PAYOUT_DAYS: i64 = 2;
/// The key the settlement list's cursor names.
const CURSOR_KEY: &str = "line";
/// The name of delivery-fee lines.
const DELIVERY_FEE_NAME: &str = "배송비";

/// Every settlement line of the seller, in booking order.
#[derive(Debug, Default)]
pub(crate) struct SettlementBook {
    /// The lines; a line's position is its cursor.
    lines: Vec<SettlementLine>,
}

/// `percent` of `amount`, rounded half up, as a deduction (negative), like the vendor's fee
/// fields.
fn deduction(amount: i64, percent: i64) -> i64 {
    -((amount * percent + 50) / 100)
}

/// Which of a line's dates the window applies to (`dateCondition`).
#[derive(Debug, Clone, Copy)]
enum DateCondition {
    /// `PAYOUT_BASE_DATE`: the payout base date.
    PayoutBase,
    /// `PAYOUT_DATE`: the payout date.
    Payout,
}

impl DateCondition {
    /// The condition a call names. Only `PAYOUT_BASE_DATE` has been seen live; this server
    /// also takes `PAYOUT_DATE` and refuses anything else.
    fn of(call: &Call) -> Result<Self, Fail> {
        match call.query_text("dateCondition") {
            Some("PAYOUT_BASE_DATE") => Ok(Self::PayoutBase),
            Some("PAYOUT_DATE") => Ok(Self::Payout),
            _ => Err(Fail::invalid_field(
                "dateCondition",
                "올바르지 않은 값입니다.",
            )),
        }
    }

    /// The line's date this condition reads.
    fn date_of(self, line: &SettlementLine) -> Option<NaiveDate> {
        let date = match self {
            Self::PayoutBase => line.payout_base_date,
            Self::Payout => line.payout_date,
        };
        date.map(|date| date.date())
    }
}

impl SettlementBook {
    /// Books the lines of a purchase confirmed at `at`: the product line, and a delivery-fee
    /// line when the buyer paid one.
    pub(crate) fn book_confirmed(&mut self, row: &OrderRow, at: NaiveDateTime) {
        let price = row.price();
        let mut product = line(row, at, price, row.item.product_name.clone());
        product.order_product_id = Some(row.order_product_id);
        product.stock_price = Some(row.item.sale_price);
        let product_fee = deduction(price, PRODUCT_FEE_PERCENT);
        product.product_fee = Some(product_fee);
        product.product_vat = Some(deduction(-product_fee, VAT_PERCENT));
        self.push(product);
        if row.delivery.fee > 0 {
            let mut fee = line(row, at, row.delivery.fee, DELIVERY_FEE_NAME.into());
            fee.order_product_price = Some(0);
            fee.stock_price = Some(0);
            fee.delivery_fee_amount = Some(row.delivery.fee);
            self.push(fee);
        }
    }

    /// Adds a line with its settlement amount (the amount minus every deduction).
    fn push(&mut self, mut line: SettlementLine) {
        let parts = [
            line.order_product_price.unwrap_or(0) + line.delivery_fee_amount.unwrap_or(0),
            line.pay_fee.unwrap_or(0),
            line.pay_vat.unwrap_or(0),
            line.product_fee.unwrap_or(0),
            line.product_vat.unwrap_or(0),
        ];
        line.settlement_amount = Some(parts.iter().sum());
        self.lines.push(line);
    }

    /// The lines whose date (per `condition`) is in `window`, after the cursor, with their
    /// positions.
    fn matching(
        &self,
        condition: DateCondition,
        window: DayWindow,
        after: Option<i64>,
    ) -> impl Iterator<Item = (i64, &SettlementLine)> {
        self.lines
            .iter()
            .enumerate()
            .map(|(index, line)| (index as i64, line))
            .filter(move |(index, _)| after.is_none_or(|cursor| *index > cursor))
            .filter(move |(_, line)| {
                condition
                    .date_of(line)
                    .is_some_and(|day| window.contains(day))
            })
    }
}

/// A line of `amount` for `row` confirmed at `at`, with the payment fee and its VAT.
fn line(row: &OrderRow, at: NaiveDateTime, amount: i64, name: String) -> SettlementLine {
    let base = at.date() + Duration::days(BASE_DATE_DAYS);
    let pay_fee = deduction(amount, PAY_FEE_PERCENT);
    SettlementLine {
        order_id: Some(row.order_id),
        display_product_name: Some(name),
        order_product_id: None,
        stock_price: None,
        order_product_price: Some(amount),
        pay_fee: Some(pay_fee),
        product_fee: Some(0),
        pay_vat: Some(deduction(-pay_fee, VAT_PERCENT)),
        product_vat: Some(0),
        settlement_amount: None,
        delivery_fee_amount: Some(0),
        payout_date: Some((base + Duration::days(PAYOUT_DAYS)).into()),
        payout_base_date: Some(base.into()),
        confirmed_at: stamp(at),
        transaction_ts: stamp(at),
        order_product_status: Some(OrderProductStatus::ConfirmedOrder),
        step_type: Some("SETTLEMENT".into()),
    }
}

impl crate::api::serve::Settlements for Shop {
    fn list_settlement_steps(&mut self, call: &Call) -> Result<SettlementPage, Fail> {
        let condition = DateCondition::of(call)?;
        let window = window(call, "fromDate", "toDate", 31)?;
        let size = page_size(call, "size", 100, 1_000)?;
        let after = after(call, "nextToken", CURSOR_KEY)?;
        let mut lines = self.settlements.matching(condition, window, after);
        let page: Vec<(i64, SettlementLine)> = lines
            .by_ref()
            .take(size)
            .map(|(index, line)| (index, line.clone()))
            .collect();
        let more = lines.next().is_some();
        let next_token = page
            .last()
            .filter(|_| more)
            .map(|(index, _)| cursor(CURSOR_KEY, *index));
        Ok(SettlementPage {
            items: page.into_iter().map(|(_, line)| line).collect(),
            next_token,
        })
    }
}
