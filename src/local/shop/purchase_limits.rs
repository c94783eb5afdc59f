//! PLACEHOLDER: the `PurchaseLimits` operations, to be written.
#![allow(unused_variables)]
use super::Shop;
use crate::local::{Call, Fail};

/// PLACEHOLDER state.
#[derive(Debug, Default)]
pub(crate) struct PurchaseLimits {}

impl crate::api::serve::PurchaseLimits for Shop {
    fn create_purchase_limit(
        &mut self,
        call: &Call,
        body: ::serde_json::Map<::std::string::String, ::serde_json::Value>,
    ) -> ::std::result::Result<::serde_json::Map<::std::string::String, ::serde_json::Value>, Fail>
    {
        Err(Fail::internal("not implemented"))
    }
    fn delete_purchase_limit(
        &mut self,
        call: &Call,
        body: ::serde_json::Map<::std::string::String, ::serde_json::Value>,
    ) -> ::std::result::Result<::serde_json::Map<::std::string::String, ::serde_json::Value>, Fail>
    {
        Err(Fail::internal("not implemented"))
    }
    fn get_purchase_limit(
        &mut self,
        call: &Call,
        product_id: i64,
    ) -> ::std::result::Result<::serde_json::Map<::std::string::String, ::serde_json::Value>, Fail>
    {
        Err(Fail::internal("not implemented"))
    }
}
