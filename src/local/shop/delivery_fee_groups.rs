//! PLACEHOLDER: the `DeliveryFeeGroups` operations, to be written.
#![allow(unused_variables)]
use super::Shop;
use crate::local::{Call, Fail};
use chrono::NaiveDateTime;

/// PLACEHOLDER state.
#[derive(Debug, Default)]
pub(crate) struct FeeGroups {}

impl Shop {
    /// Seeds the delivery-fee group and the exchange/return address of the demo data.
    pub(crate) fn seed_logistics(&mut self, _now: NaiveDateTime) {}
}
impl crate::api::serve::DeliveryFeeGroups for Shop {
    fn create_delivery_fee_group(
        &mut self,
        call: &Call,
        body: ::serde_json::Map<::std::string::String, ::serde_json::Value>,
    ) -> ::std::result::Result<::serde_json::Map<::std::string::String, ::serde_json::Value>, Fail>
    {
        Err(Fail::internal("not implemented"))
    }
    fn list_delivery_fee_groups(
        &mut self,
        call: &Call,
    ) -> ::std::result::Result<crate::api::types::DeliveryFeeGroupPage, Fail> {
        Err(Fail::internal("not implemented"))
    }
    fn update_delivery_fee_group(
        &mut self,
        call: &Call,
        body: ::serde_json::Map<::std::string::String, ::serde_json::Value>,
    ) -> ::std::result::Result<::serde_json::Map<::std::string::String, ::serde_json::Value>, Fail>
    {
        Err(Fail::internal("not implemented"))
    }
}

impl FeeGroups {
    /// Whether the seller has the delivery-fee group `id` (a product's `deliveryLocationId`).
    pub(crate) fn contains(&self, id: i64) -> bool {
        id == super::demo::DELIVERY_FEE_GROUP_ID
    }
}
