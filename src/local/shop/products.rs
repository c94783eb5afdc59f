//! PLACEHOLDER: the `Products` operations, to be written.
#![allow(unused_variables)]
use super::Shop;
use crate::local::{Call, Fail};
use chrono::NaiveDateTime;

/// PLACEHOLDER state.
#[derive(Debug, Default)]
pub(crate) struct ProductBook {}

impl Shop {
    /// Seeds the demo products.
    pub(crate) fn seed_products(&mut self, _now: NaiveDateTime) {}

    /// Ends the inspections that are due.
    pub(crate) fn tick_products(&mut self, _now: NaiveDateTime) {}
}
impl crate::api::serve::Products for Shop {
    fn get_product(
        &mut self,
        call: &Call,
        product_id: i64,
    ) -> ::std::result::Result<crate::api::types::Product, Fail> {
        Err(Fail::internal("not implemented"))
    }
    fn hide_product(
        &mut self,
        call: &Call,
        body: crate::api::types::ProductIdRequest,
    ) -> ::std::result::Result<::serde_json::Map<::std::string::String, ::serde_json::Value>, Fail>
    {
        Err(Fail::internal("not implemented"))
    }
    fn list_products(
        &mut self,
        call: &Call,
    ) -> ::std::result::Result<crate::api::types::ProductPage, Fail> {
        Err(Fail::internal("not implemented"))
    }
    fn register_product(
        &mut self,
        call: &Call,
        body: crate::api::types::ProductRegistration,
    ) -> ::std::result::Result<crate::api::types::RegisteredProduct, Fail> {
        Err(Fail::internal("not implemented"))
    }
    fn remove_product(
        &mut self,
        call: &Call,
        body: crate::api::types::ProductIdRequest,
    ) -> ::std::result::Result<::serde_json::Map<::std::string::String, ::serde_json::Value>, Fail>
    {
        Err(Fail::internal("not implemented"))
    }
    fn show_product(
        &mut self,
        call: &Call,
        body: crate::api::types::ProductIdRequest,
    ) -> ::std::result::Result<::serde_json::Map<::std::string::String, ::serde_json::Value>, Fail>
    {
        Err(Fail::internal("not implemented"))
    }
    fn update_product(
        &mut self,
        call: &Call,
        product_id: i64,
        body: crate::api::types::ProductRegistration,
    ) -> ::std::result::Result<::serde_json::Map<::std::string::String, ::serde_json::Value>, Fail>
    {
        Err(Fail::internal("not implemented"))
    }
}

/// What an order needs to know about an item (A fills this in).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct OrderableItem {
    pub(crate) product_id: i64,
    pub(crate) item_id: i64,
    pub(crate) product_name: String,
    pub(crate) option_name: String,
    pub(crate) sale_price: i64,
    pub(crate) origin_price: i64,
}

impl ProductBook {
    /// The item with this `itemId`, if it exists and can be ordered (exposed, not removed,
    /// in stock or not).
    pub(crate) fn orderable_item(&self, item_id: i64) -> Option<OrderableItem> {
        None
    }

    /// Every item of every product that can be ordered, in id order (for seeding orders).
    pub(crate) fn orderable_items(&self) -> Vec<OrderableItem> {
        Vec::new()
    }

    /// Takes `quantity` from the item's stock; fails when there is not enough.
    pub(crate) fn take_stock(&mut self, item_id: i64, quantity: i64) -> Result<(), Fail> {
        Err(Fail::internal("not implemented"))
    }

    /// Puts `quantity` back into the item's stock (a cancelled or returned order).
    pub(crate) fn restore_stock(&mut self, item_id: i64, quantity: i64) {}
}
