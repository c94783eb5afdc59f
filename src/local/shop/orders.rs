//! PLACEHOLDER: the `Orders` operations, to be written.
#![allow(unused_variables)]
use super::Shop;
use crate::local::{Call, Fail};
use chrono::NaiveDateTime;

/// PLACEHOLDER state.
#[derive(Debug, Default)]
pub(crate) struct OrderBook {}

impl Shop {
    /// Seeds the demo orders and the return claim.
    pub(crate) fn seed_orders(&mut self, _now: NaiveDateTime) {}

    /// Applies the order and claim changes that are due.
    pub(crate) fn tick_orders(&mut self, _now: NaiveDateTime) {}
}
impl crate::api::serve::Orders for Shop {
    fn change_order_product_status(
        &mut self,
        call: &Call,
        body: crate::api::types::OrderProductStatusChangeRequest,
    ) -> ::std::result::Result<crate::api::types::OrderProductStatusChangeResult, Fail> {
        Err(Fail::internal("not implemented"))
    }
    fn get_order_product(
        &mut self,
        call: &Call,
        order_product_id: i64,
    ) -> ::std::result::Result<::serde_json::Map<::std::string::String, ::serde_json::Value>, Fail>
    {
        Err(Fail::internal("not implemented"))
    }
    fn list_order_products(
        &mut self,
        call: &Call,
    ) -> ::std::result::Result<crate::api::types::OrderProductPage, Fail> {
        Err(Fail::internal("not implemented"))
    }
}
