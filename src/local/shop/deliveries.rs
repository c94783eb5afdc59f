//! PLACEHOLDER: the `Deliveries` operations, to be written.
#![allow(unused_variables)]
use super::Shop;
use crate::local::{Call, Fail};

impl crate::api::serve::Deliveries for Shop {
    fn update_order_product_delivery(
        &mut self,
        call: &Call,
        body: crate::api::types::OrderProductInvoiceRequest,
    ) -> ::std::result::Result<::serde_json::Map<::std::string::String, ::serde_json::Value>, Fail>
    {
        Err(Fail::internal("not implemented"))
    }
}
