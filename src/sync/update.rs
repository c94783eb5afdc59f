//! [`ItemUpdate`]: one change to one item, and the checks an update must pass before anything
//! is sent.

use std::collections::HashMap;

use crate::api::builder::{UpdateItemNormalStock, UpdateItemOriginPrice, UpdateItemSalePrice};
use crate::call::Operation;
use crate::error::Error;
use crate::invalid::{InvalidRequestError, Problem};
use crate::operation::OperationMeta;

/// One change to one item (option) of a product.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct ItemUpdate {
    /// The product the item belongs to.
    pub product_id: i64,
    /// The item: `stocks[].itemId` of the product (not `stocks[].id`).
    pub item_id: i64,
    /// What to set.
    pub change: Change,
}

/// What an [`ItemUpdate`] sets.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Change {
    /// The sale price in KRW, and with it the list price when `origin` is given. The sale price
    /// may not exceed the list price; the sync writes the two in the order that keeps it so.
    Price {
        /// The sale price (`salePrice`), at least 1.
        sale: i64,
        /// The list price (`originPrice`), when it changes too.
        origin: Option<i64>,
    },
    /// The normal stock count (`remainingCount`): 0 marks the item sold out.
    Stock(i64),
}

impl ItemUpdate {
    /// Sets the item's stock count.
    pub fn stock(product_id: i64, item_id: i64, count: i64) -> Self {
        Self {
            product_id,
            item_id,
            change: Change::Stock(count),
        }
    }

    /// Sets the item's sale price, keeping its list price.
    pub fn sale_price(product_id: i64, item_id: i64, sale: i64) -> Self {
        Self {
            product_id,
            item_id,
            change: Change::Price { sale, origin: None },
        }
    }

    /// Sets the item's sale price and list price.
    pub fn prices(product_id: i64, item_id: i64, sale: i64, origin: i64) -> Self {
        Self {
            product_id,
            item_id,
            change: Change::Price {
                sale,
                origin: Some(origin),
            },
        }
    }

    /// Refuses what the vendor refuses for any item: a negative stock, a price under 1 won, a
    /// sale price above the list price given with it.
    pub(crate) fn check(&self) -> Result<(), Error> {
        match self.change {
            Change::Stock(count) if count < 0 => Err(invalid(
                stock_meta(),
                "body.remainingCount",
                format!("must be 0 or more, not {count}"),
            )),
            Change::Stock(_) => Ok(()),
            Change::Price { sale, origin } => check_prices(sale, origin),
        }
    }

    /// Which of the item's values the update sets: two updates of the same item and field in
    /// one run would race.
    fn field(&self) -> (i64, Field) {
        let field = match self.change {
            Change::Price { .. } => Field::Price,
            Change::Stock(_) => Field::Stock,
        };
        (self.item_id, field)
    }
}

/// The value of an item an update sets.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
enum Field {
    Price,
    Stock,
}

fn check_prices(sale: i64, origin: Option<i64>) -> Result<(), Error> {
    if sale < 1 {
        return Err(invalid(
            sale_meta(),
            "body.salePrice",
            format!("must be at least 1 won, not {sale}"),
        ));
    }
    match origin {
        Some(origin) if origin < 1 => Err(invalid(
            origin_meta(),
            "body.originPrice",
            format!("must be at least 1 won, not {origin}"),
        )),
        Some(origin) if sale > origin => Err(invalid(
            sale_meta(),
            "body.salePrice",
            format!(
                "{sale} is above the list price {origin} given with it; a sale price may not exceed the list price"
            ),
        )),
        _ => Ok(()),
    }
}

/// For every update that sets a value an earlier update of the same run already sets, its
/// position and the earlier one's: the later one is refused rather than raced.
pub(crate) fn repeats(updates: &[ItemUpdate]) -> Vec<(usize, usize)> {
    let mut first: HashMap<(i64, Field), usize> = HashMap::new();
    let mut repeats = Vec::new();
    for (index, update) in updates.iter().enumerate() {
        match first.get(&update.field()) {
            Some(&earlier) => repeats.push((index, earlier)),
            None => {
                first.insert(update.field(), index);
            }
        }
    }
    repeats
}

/// The error for an update that repeats the update at position `earlier`.
pub(crate) fn repeat_error(update: &ItemUpdate, earlier: usize) -> Error {
    let (meta, what) = match update.change {
        Change::Price { .. } => (sale_meta(), "price"),
        Change::Stock(_) => (stock_meta(), "stock"),
    };
    invalid(
        meta,
        "productItemId",
        format!(
            "item {} has its {what} set by update {earlier} of this run already; give one change per item and value",
            update.item_id
        ),
    )
}

fn invalid(meta: &'static OperationMeta, field: &str, message: String) -> Error {
    Error::InvalidRequest(Box::new(InvalidRequestError {
        operation: meta.operation_id,
        field: field.to_string(),
        problem: Problem::Other(message),
        body_type: meta.request_body,
    }))
}

pub(crate) fn sale_meta() -> &'static OperationMeta {
    <UpdateItemSalePrice<'static> as Operation<'static>>::meta()
}

pub(crate) fn origin_meta() -> &'static OperationMeta {
    <UpdateItemOriginPrice<'static> as Operation<'static>>::meta()
}

pub(crate) fn stock_meta() -> &'static OperationMeta {
    <UpdateItemNormalStock<'static> as Operation<'static>>::meta()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn refused_field(update: ItemUpdate) -> String {
        match update.check() {
            Err(Error::InvalidRequest(invalid)) => {
                format!("{}.{}", invalid.operation, invalid.field)
            }
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn updates_the_vendor_would_refuse_for_any_item_are_refused_naming_the_field() {
        assert_eq!(
            refused_field(ItemUpdate::stock(1, 2, -1)),
            "update_item_normal_stock.body.remainingCount"
        );
        assert_eq!(
            refused_field(ItemUpdate::sale_price(1, 2, 0)),
            "update_item_sale_price.body.salePrice"
        );
        assert_eq!(
            refused_field(ItemUpdate::prices(1, 2, 100, 0)),
            "update_item_origin_price.body.originPrice"
        );
        assert_eq!(
            refused_field(ItemUpdate::prices(1, 2, 101, 100)),
            "update_item_sale_price.body.salePrice"
        );
    }

    #[test]
    fn sane_updates_pass() {
        for update in [
            ItemUpdate::stock(1, 2, 0),
            ItemUpdate::sale_price(1, 2, 1),
            ItemUpdate::prices(1, 2, 100, 100),
        ] {
            assert!(update.check().is_ok(), "{update:?}");
        }
    }

    #[test]
    fn a_second_change_of_the_same_item_and_value_is_a_repeat_but_price_and_stock_are_not() {
        let updates = [
            ItemUpdate::stock(1, 10, 5),
            ItemUpdate::sale_price(1, 10, 900),
            ItemUpdate::stock(1, 11, 5),
            ItemUpdate::stock(1, 10, 6),
            ItemUpdate::prices(1, 10, 800, 1000),
        ];
        assert_eq!(repeats(&updates), [(3, 0), (4, 1)]);
        let error = repeat_error(&updates[3], 0).to_string();
        assert!(
            error.contains("item 10 has its stock set by update 0"),
            "{error}"
        );
    }
}
