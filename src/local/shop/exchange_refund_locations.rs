//! PLACEHOLDER: the `ExchangeRefundLocations` operations, to be written.
#![allow(unused_variables)]
use super::Shop;
use crate::local::{Call, Fail};

/// PLACEHOLDER state.
#[derive(Debug, Default)]
pub(crate) struct ReturnLocations {}

impl crate::api::serve::ExchangeRefundLocations for Shop {
    fn create_exchange_refund_location(
        &mut self,
        call: &Call,
        body: crate::api::types::ExchangeRefundLocationCreateRequest,
    ) -> ::std::result::Result<crate::api::types::CreatedExchangeRefundLocation, Fail> {
        Err(Fail::internal("not implemented"))
    }
    fn list_exchange_refund_locations(
        &mut self,
        call: &Call,
    ) -> ::std::result::Result<crate::api::types::ExchangeRefundLocationPage, Fail> {
        Err(Fail::internal("not implemented"))
    }
    fn update_exchange_refund_location(
        &mut self,
        call: &Call,
        body: ::serde_json::Map<::std::string::String, ::serde_json::Value>,
    ) -> ::std::result::Result<::serde_json::Map<::std::string::String, ::serde_json::Value>, Fail>
    {
        Err(Fail::internal("not implemented"))
    }
}

impl ReturnLocations {
    /// Whether the seller has the exchange/return address `id`.
    pub(crate) fn contains(&self, id: i64) -> bool {
        id == super::demo::RETURN_LOCATION_ID
    }
}
