//! The `Products` operations (PRD-01..07), on the seller's store.

use serde_json::{Map, Value};

use crate::api::types::{
    Product, ProductIdRequest, ProductPage, ProductRegistration, RegisteredProduct,
};
use crate::local::shop::Shop;
use crate::local::{Call, Fail};

/// The vendor's reason for removing a product that is still shown.
pub(crate) const REMOVE_SHOWN: &str =
    "노출 중인 상품은 삭제할 수 없어요. 상품을 숨긴 뒤 다시 시도해 주세요.";

impl crate::api::serve::Products for Shop {
    /// PRD-03: the product, or `NOT_FOUND` with the vendor's wording.
    fn get_product(&mut self, _call: &Call, product_id: i64) -> Result<Product, Fail> {
        Ok(self.products.get(product_id)?.to_product())
    }

    /// PRD-07: hides the product (`isHide` true); hiding a hidden product changes nothing.
    fn hide_product(
        &mut self,
        _call: &Call,
        body: ProductIdRequest,
    ) -> Result<Map<String, Value>, Fail> {
        self.products.get_mut(body.product_id)?.is_hide = true;
        Ok(Map::new())
    }

    /// PRD-04: a page of products.
    fn list_products(&mut self, call: &Call) -> Result<ProductPage, Fail> {
        self.products.list(call)
    }

    /// PRD-01: registers the product; it waits for inspection from now.
    fn register_product(
        &mut self,
        call: &Call,
        body: ProductRegistration,
    ) -> Result<RegisteredProduct, Fail> {
        let id = self.register_product_body(body, call.now())?;
        Ok(RegisteredProduct { id: Some(id) })
    }

    /// PRD-05: removes a hidden product (and its purchase limit); a shown one must be
    /// hidden first.
    fn remove_product(
        &mut self,
        _call: &Call,
        body: ProductIdRequest,
    ) -> Result<Map<String, Value>, Fail> {
        if !self.products.get(body.product_id)?.is_hide {
            return Err(Fail::bad_request(REMOVE_SHOWN));
        }
        self.products.remove(body.product_id);
        self.purchase_limits.forget(body.product_id);
        Ok(Map::new())
    }

    /// PRD-06: shows the product again (`isHide` false); showing a shown product changes
    /// nothing.
    fn show_product(
        &mut self,
        _call: &Call,
        body: ProductIdRequest,
    ) -> Result<Map<String, Value>, Fail> {
        self.products.get_mut(body.product_id)?.is_hide = false;
        Ok(Map::new())
    }

    /// PRD-02: replaces the product with the whole body.
    fn update_product(
        &mut self,
        call: &Call,
        product_id: i64,
        body: ProductRegistration,
    ) -> Result<Map<String, Value>, Fail> {
        self.replace_product(product_id, body, call.now())?;
        Ok(Map::new())
    }
}
