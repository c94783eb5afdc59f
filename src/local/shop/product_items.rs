//! PLACEHOLDER: the `ProductItems` operations, to be written.
#![allow(unused_variables)]
use super::Shop;
use crate::local::{Call, Fail};

impl crate::api::serve::ProductItems for Shop {
    fn list_items_grouped_by_products(
        &mut self,
        call: &Call,
    ) -> ::std::result::Result<crate::api::types::ProductItemGroupPage, Fail> {
        Err(Fail::internal("not implemented"))
    }
    fn list_product_items(
        &mut self,
        call: &Call,
        product_id: i64,
    ) -> ::std::result::Result<crate::api::types::ProductItemPage, Fail> {
        Err(Fail::internal("not implemented"))
    }
    fn update_item_normal_stock(
        &mut self,
        call: &Call,
        product_item_id: i64,
        body: crate::api::types::ItemNormalStockChangeRequest,
    ) -> ::std::result::Result<::serde_json::Map<::std::string::String, ::serde_json::Value>, Fail>
    {
        Err(Fail::internal("not implemented"))
    }
    fn update_item_origin_price(
        &mut self,
        call: &Call,
        product_item_id: i64,
        body: crate::api::types::ItemOriginPriceChangeRequest,
    ) -> ::std::result::Result<::serde_json::Map<::std::string::String, ::serde_json::Value>, Fail>
    {
        Err(Fail::internal("not implemented"))
    }
    fn update_item_sale_price(
        &mut self,
        call: &Call,
        product_item_id: i64,
        body: crate::api::types::ItemSalePriceChangeRequest,
    ) -> ::std::result::Result<::serde_json::Map<::std::string::String, ::serde_json::Value>, Fail>
    {
        Err(Fail::internal("not implemented"))
    }
}
