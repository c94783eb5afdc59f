//! PLACEHOLDER: the `SellerCancel` operations, to be written.
#![allow(unused_variables)]
use super::Shop;
use crate::local::{Call, Fail};

impl crate::api::serve::SellerCancel for Shop {
    fn seller_cancel_order_product(
        &mut self,
        call: &Call,
        order_product_id: i64,
        body: crate::api::types::SellerCancelRequest,
    ) -> ::std::result::Result<::serde_json::Map<::std::string::String, ::serde_json::Value>, Fail>
    {
        Err(Fail::internal("not implemented"))
    }
}
