//! What orders need from products: which items can be ordered, and taking stock from them
//! and putting it back.

use super::record::{Stage, StoredItem, StoredProduct};
use super::{ProductBook, no_such_item};
use crate::local::Fail;

/// What an order needs to know about an item.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct OrderableItem {
    /// The product.
    pub(crate) product_id: i64,
    /// The item (`stocks[].itemId`).
    pub(crate) item_id: i64,
    /// The product's name.
    pub(crate) product_name: String,
    /// The item's option values, as `itemName` shows them.
    pub(crate) option_name: String,
    /// The price buyers pay, in KRW.
    pub(crate) sale_price: i64,
    /// The list price, in KRW.
    pub(crate) origin_price: i64,
}

impl OrderableItem {
    /// The item of a product as an order sees it.
    fn of(product: &StoredProduct, item: &StoredItem) -> Self {
        Self {
            product_id: product.id,
            item_id: item.item_id,
            product_name: product.name().to_string(),
            option_name: item.name(),
            sale_price: item.sale_price,
            origin_price: item.origin_price,
        }
    }
}

/// Whether buyers can order from a product: it passed inspection and is shown.
fn on_sale(product: &StoredProduct) -> bool {
    product.stage == Stage::Complete && !product.is_hide
}

impl ProductBook {
    /// The product and item that `item_id` names, in any product.
    pub(crate) fn find_item(&self, item_id: i64) -> Option<(&StoredProduct, &StoredItem)> {
        self.products.values().find_map(|product| {
            product
                .items
                .iter()
                .find(|item| item.item_id == item_id)
                .map(|item| (product, item))
        })
    }

    /// The item `item_id`, in any product, to change it.
    pub(crate) fn find_item_mut(&mut self, item_id: i64) -> Option<&mut StoredItem> {
        self.products
            .values_mut()
            .flat_map(|product| product.items.iter_mut())
            .find(|item| item.item_id == item_id)
    }

    /// The item with this `itemId`, if it exists and can be ordered (its product passed
    /// inspection, is shown and was not removed), in stock or not.
    pub(crate) fn orderable_item(&self, item_id: i64) -> Option<OrderableItem> {
        self.find_item(item_id)
            .filter(|(product, _)| on_sale(product))
            .map(|(product, item)| OrderableItem::of(product, item))
    }

    /// Every item of every product that can be ordered, in item id order (for seeding
    /// orders).
    pub(crate) fn orderable_items(&self) -> Vec<OrderableItem> {
        let mut items: Vec<OrderableItem> = self
            .iter()
            .filter(|product| on_sale(product))
            .flat_map(|product| {
                product
                    .items
                    .iter()
                    .map(move |item| OrderableItem::of(product, item))
            })
            .collect();
        items.sort_by_key(|item| item.item_id);
        items
    }

    /// Takes `quantity` from the item's stock; fails when there is not enough (the stock
    /// is left as it was).
    pub(crate) fn take_stock(&mut self, item_id: i64, quantity: i64) -> Result<(), Fail> {
        let item = self.find_item_mut(item_id).ok_or_else(no_such_item)?;
        if quantity < 1 {
            return Err(Fail::invalid_field("quantity", "1 이상이어야 합니다."));
        }
        if item.remaining < quantity {
            return Err(Fail::bad_request(format!(
                "재고가 부족합니다. (남은 수량 {}개)",
                item.remaining
            )));
        }
        item.remaining -= quantity;
        Ok(())
    }

    /// Puts `quantity` back into the item's stock (a cancelled or returned order). An item
    /// that no longer exists (replaced or removed since) has nothing to put it back into.
    pub(crate) fn restore_stock(&mut self, item_id: i64, quantity: i64) {
        if let Some(item) = self.find_item_mut(item_id) {
            item.remaining = item.remaining.saturating_add(quantity.max(0));
        }
    }
}

#[cfg(test)]
mod tests {
    use chrono::NaiveDate;

    use crate::local::Seed;
    use crate::local::shop::{Shop, ShopSettings};

    /// A demo store at a fixed time.
    fn shop() -> Shop {
        let now = NaiveDate::from_ymd_opt(2026, 7, 1)
            .and_then(|date| date.and_hms_opt(10, 0, 0))
            .unwrap();
        let settings = ShopSettings {
            inspection: Default::default(),
            category_rules: true,
        };
        Shop::new(settings, Seed::Demo, 0, now)
    }

    #[test]
    fn only_items_of_passed_shown_products_can_be_ordered() {
        let shop = shop();
        let items = shop.products.orderable_items();
        assert_eq!(
            items.len(),
            5,
            "the two demo products on sale have 2 and 3 items"
        );
        assert!(
            items
                .windows(2)
                .all(|pair| pair[0].item_id < pair[1].item_id)
        );
        let first = &items[0];
        assert_eq!(
            shop.products.orderable_item(first.item_id).as_ref(),
            Some(first)
        );
        assert_eq!(first.option_name, "30포");
        let hidden = shop
            .products
            .iter()
            .find(|product| product.is_hide)
            .unwrap();
        assert_eq!(shop.products.orderable_item(hidden.items[0].item_id), None);
        assert_eq!(shop.products.orderable_item(hidden.items[0].stock_id), None);
    }

    #[test]
    fn stock_is_taken_only_when_there_is_enough_and_can_be_restored() {
        let mut shop = shop();
        let item = shop.products.orderable_items()[0].item_id;
        let remaining = |shop: &Shop| shop.products.find_item(item).unwrap().1.remaining;
        let before = remaining(&shop);
        shop.products.take_stock(item, 2).unwrap();
        assert_eq!(remaining(&shop), before - 2);
        let refused = shop.products.take_stock(item, before).unwrap_err();
        assert_eq!(refused.code(), "BAD_REQUEST");
        assert_eq!(remaining(&shop), before - 2);
        shop.products.restore_stock(item, 2);
        assert_eq!(remaining(&shop), before);
        assert_eq!(
            shop.products.take_stock(42, 1).unwrap_err().code(),
            "NOT_FOUND"
        );
    }
}
