//! PLACEHOLDER: the buyer's and the carrier's events on the store (see `local/buyer.rs`).
#![allow(unused_variables)]

use chrono::NaiveDateTime;

use super::Shop;
use crate::local::Fail;
use crate::local::buyer::PlacedOrder;

impl Shop {
    pub(crate) fn buyer_place_order(
        &mut self,
        now: NaiveDateTime,
        item_id: i64,
        quantity: u32,
    ) -> Result<PlacedOrder, Fail> {
        Err(Fail::internal("not implemented"))
    }

    pub(crate) fn buyer_cancel(
        &mut self,
        now: NaiveDateTime,
        order_product_id: i64,
    ) -> Result<Option<i64>, Fail> {
        Err(Fail::internal("not implemented"))
    }

    pub(crate) fn buyer_request_return(
        &mut self,
        now: NaiveDateTime,
        order_product_id: i64,
        reason: &str,
    ) -> Result<i64, Fail> {
        Err(Fail::internal("not implemented"))
    }

    pub(crate) fn buyer_request_exchange(
        &mut self,
        now: NaiveDateTime,
        order_product_id: i64,
        reason: &str,
    ) -> Result<i64, Fail> {
        Err(Fail::internal("not implemented"))
    }

    pub(crate) fn buyer_withdraw_claim(
        &mut self,
        now: NaiveDateTime,
        claim_id: i64,
    ) -> Result<(), Fail> {
        Err(Fail::internal("not implemented"))
    }

    pub(crate) fn carrier_delivered(
        &mut self,
        now: NaiveDateTime,
        order_product_id: i64,
    ) -> Result<(), Fail> {
        Err(Fail::internal("not implemented"))
    }
}
