//! The seller's products and their items (options): registration, full replacement,
//! exposure, removal and the automatic inspection, plus what orders need from them.
//!
//! Each concern has its own file: the stored records ([`record`]), the body rules
//! ([`rules`]), replacement ([`replace`]), the inspection clock ([`inspection`]), listing
//! ([`listing`]), the operations ([`handlers`]), stock for orders ([`stock`]) and the demo
//! data ([`seed`]).

mod handlers;
mod inspection;
mod listing;
mod record;
mod replace;
mod rules;
mod seed;
mod stock;

use std::collections::BTreeMap;

use chrono::NaiveDateTime;

use super::Shop;
use crate::api::types::{ProductRegistration, ProductStock};
use crate::local::Fail;
use crate::products::BodyKind;

pub(crate) use record::{Stage, StoredItem, StoredProduct};
pub(crate) use rules::check_prices;
#[allow(
    unused_imports,
    reason = "the cross-area interface used by the orders area"
)]
pub(crate) use stock::OrderableItem;

/// The vendor's reason for an item id that names no item (also when `stocks[].id` is sent
/// where `stocks[].itemId` belongs).
pub(crate) const NO_SUCH_ITEM: &str = "존재하지 않는 옵션입니다";

/// The vendor's `NOT_FOUND` for a product id that names no product of the seller.
pub(crate) fn no_such_product(product_id: i64) -> Fail {
    Fail::not_found(format!("존재하지 않는 상품 정보입니다. ({product_id})"))
}

/// The vendor's `NOT_FOUND` for an unknown item.
pub(crate) fn no_such_item() -> Fail {
    Fail::not_found(NO_SUCH_ITEM)
}

/// Every product of one seller, by id (so listings come out in registration order).
#[derive(Debug, Default)]
pub(crate) struct ProductBook {
    /// The products, by id.
    products: BTreeMap<i64, StoredProduct>,
}

impl ProductBook {
    /// The product with this id.
    pub(crate) fn get(&self, product_id: i64) -> Result<&StoredProduct, Fail> {
        self.products
            .get(&product_id)
            .ok_or_else(|| no_such_product(product_id))
    }

    /// The product with this id, to change it.
    pub(crate) fn get_mut(&mut self, product_id: i64) -> Result<&mut StoredProduct, Fail> {
        self.products
            .get_mut(&product_id)
            .ok_or_else(|| no_such_product(product_id))
    }

    /// Every product, in id order.
    pub(crate) fn iter(&self) -> impl Iterator<Item = &StoredProduct> {
        self.products.values()
    }

    /// Every product, in id order, to change them.
    pub(crate) fn iter_mut(&mut self) -> impl Iterator<Item = &mut StoredProduct> {
        self.products.values_mut()
    }

    /// Removes a product for good.
    pub(crate) fn remove(&mut self, product_id: i64) -> Option<StoredProduct> {
        self.products.remove(&product_id)
    }

    /// The item `item_id` of product `product_id`, to change it. An unknown product is
    /// `존재하지 않는 상품 정보입니다`, an item of another product (or a `stocks[].id`)
    /// `존재하지 않는 옵션입니다`.
    pub(crate) fn item_mut(
        &mut self,
        product_id: i64,
        item_id: i64,
    ) -> Result<&mut StoredItem, Fail> {
        self.get_mut(product_id)?
            .items
            .iter_mut()
            .find(|item| item.item_id == item_id)
            .ok_or_else(no_such_item)
    }

    /// Adds a product under its id.
    fn insert(&mut self, product: StoredProduct) {
        self.products.insert(product.id, product);
    }
}

impl Shop {
    /// Registers a product from a checked body: new ids for it and its items, waiting for
    /// inspection from `now`, shown (`isHide` false).
    pub(crate) fn register_product_body(
        &mut self,
        mut body: ProductRegistration,
        now: NaiveDateTime,
    ) -> Result<i64, Fail> {
        self.check_product_body(&body, BodyKind::Registration)?;
        let stocks = std::mem::take(&mut body.stocks);
        let id = self.ids.next();
        let items = stocks
            .into_iter()
            .map(|stock| self.new_item(stock))
            .collect();
        self.products.insert(StoredProduct {
            id,
            body,
            items,
            stage: Stage::Waiting { since: now },
            is_hide: false,
            registered_at: now,
        });
        Ok(id)
    }

    /// A new item from a stock, with a fresh `id` and a fresh, different `itemId`.
    pub(crate) fn new_item(&mut self, stock: ProductStock) -> StoredItem {
        let stock_id = self.ids.next();
        let item_id = self.ids.next();
        item_from_stock(stock_id, item_id, stock)
    }

    /// Ends the inspections that are due by `now`.
    pub(crate) fn tick_products(&mut self, now: NaiveDateTime) {
        let policy = self.settings.inspection.clone();
        for product in self.products.iter_mut() {
            inspection::settle(product, &policy, now);
        }
    }
}

/// A stored item with the given ids from a stock of a request body.
pub(crate) fn item_from_stock(stock_id: i64, item_id: i64, stock: ProductStock) -> StoredItem {
    StoredItem {
        stock_id,
        item_id,
        options: stock.options,
        is_main_price: stock.is_main_price,
        sale_price: stock.sale_price,
        origin_price: stock.origin_price,
        remaining: stock.remaining_count,
        management_code: stock.management_code,
        images: stock.images,
    }
}
