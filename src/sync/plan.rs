//! What to write for one update, given the item's values as last read: nothing when it is
//! already at the target, and a price change in the order that keeps the sale price at or
//! under the list price after every single write.

use std::collections::HashMap;

use super::update::Change;
use crate::api::types::ProductStockInfo;

/// An item's values as a read of its product showed them; `None` where the answer left one
/// out (an unknown value is always written).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(crate) struct Current {
    pub(crate) sale: Option<i64>,
    pub(crate) origin: Option<i64>,
    pub(crate) stock: Option<i64>,
}

impl Current {
    /// Nothing known: every value of the update is written.
    pub(crate) const UNKNOWN: Self = Self {
        sale: None,
        origin: None,
        stock: None,
    };

    /// The values of one stock of a product. The stock count is `remainingCount`, which
    /// integrators read live; `quantity` is left alone because its meaning is not documented.
    fn of(stock: &ProductStockInfo) -> Self {
        Self {
            sale: stock.sale_price,
            origin: stock.origin_price,
            stock: stock.remaining_count,
        }
    }
}

/// The items of a product by item id. Stocks without an item id cannot be matched and are
/// left out; an item id listed twice with different values counts as unknown.
pub(crate) fn items_by_id(stocks: &[ProductStockInfo]) -> HashMap<i64, Current> {
    let mut items: HashMap<i64, Current> = HashMap::new();
    for stock in stocks {
        let Some(item_id) = stock.item_id else {
            continue;
        };
        let current = Current::of(stock);
        items
            .entry(item_id)
            .and_modify(|seen| {
                if *seen != current {
                    *seen = Current::UNKNOWN;
                }
            })
            .or_insert(current);
    }
    items
}

/// One write to an item: the sale price (ITM-01), the list price (ITM-02) or the stock
/// (ITM-03).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Write {
    Sale(i64),
    Origin(i64),
    Stock(i64),
}

/// The writes that take an item from `current` to what `change` sets, in the order to send
/// them; none when it is already there.
pub(crate) fn plan(change: Change, current: Current) -> Vec<Write> {
    match change {
        Change::Stock(count) if current.stock == Some(count) => Vec::new(),
        Change::Stock(count) => vec![Write::Stock(count)],
        Change::Price { sale, origin } => plan_prices(sale, origin, current),
    }
}

fn plan_prices(sale: i64, origin: Option<i64>, current: Current) -> Vec<Write> {
    let sale_write = (current.sale != Some(sale)).then_some(Write::Sale(sale));
    let origin_write = origin
        .filter(|origin| current.origin != Some(*origin))
        .map(Write::Origin);
    match (sale_write, origin_write) {
        (Some(sale_write), Some(Write::Origin(origin))) => {
            // Lowering the list price below the current sale price would be refused, so the
            // sale price goes down first; otherwise the list price goes first, which lets a
            // raised sale price fit under it. With the sale price unknown, list price first.
            let below_current_sale = current.sale.is_some_and(|current| origin < current);
            if below_current_sale {
                vec![sale_write, Write::Origin(origin)]
            } else {
                vec![Write::Origin(origin), sale_write]
            }
        }
        (sale_write, origin_write) => sale_write.into_iter().chain(origin_write).collect(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const AT: Current = Current {
        sale: Some(9_000),
        origin: Some(10_000),
        stock: Some(5),
    };

    fn price(sale: i64, origin: Option<i64>) -> Change {
        Change::Price { sale, origin }
    }

    #[test]
    fn an_item_already_at_the_target_needs_no_write() {
        assert!(plan(Change::Stock(5), AT).is_empty());
        assert!(plan(price(9_000, None), AT).is_empty());
        assert!(plan(price(9_000, Some(10_000)), AT).is_empty());
    }

    #[test]
    fn only_the_values_that_differ_are_written() {
        assert_eq!(plan(Change::Stock(0), AT), [Write::Stock(0)]);
        assert_eq!(plan(price(8_000, Some(10_000)), AT), [Write::Sale(8_000)]);
        assert_eq!(plan(price(9_000, Some(9_500)), AT), [Write::Origin(9_500)]);
    }

    #[test]
    fn raising_both_prices_raises_the_list_price_first() {
        // A sale price of 12,000 would be refused under the current list price of 10,000.
        assert_eq!(
            plan(price(12_000, Some(15_000)), AT),
            [Write::Origin(15_000), Write::Sale(12_000)]
        );
    }

    #[test]
    fn lowering_the_list_price_under_the_current_sale_price_lowers_the_sale_price_first() {
        // A list price of 8,000 would be refused over the current sale price of 9,000.
        assert_eq!(
            plan(price(7_000, Some(8_000)), AT),
            [Write::Sale(7_000), Write::Origin(8_000)]
        );
    }

    #[test]
    fn every_order_chosen_keeps_the_sale_price_under_the_list_price_after_each_write() {
        let values = [1, 5_000, 9_000, 9_500, 10_000, 12_000, 20_000];
        for &sale in &values {
            for &origin in values.iter().filter(|&&origin| origin >= sale) {
                let (mut s, mut o) = (AT.sale.unwrap(), AT.origin.unwrap());
                for write in plan(price(sale, Some(origin)), AT) {
                    match write {
                        Write::Sale(v) => s = v,
                        Write::Origin(v) => o = v,
                        Write::Stock(_) => unreachable!(),
                    }
                    assert!(
                        s <= o,
                        "sale {s} > list {o} on the way to ({sale}, {origin})"
                    );
                }
                assert_eq!((s, o), (sale, origin));
            }
        }
    }

    #[test]
    fn unknown_values_are_written() {
        assert_eq!(plan(Change::Stock(5), Current::UNKNOWN), [Write::Stock(5)]);
        assert_eq!(
            plan(price(9_000, Some(10_000)), Current::UNKNOWN),
            [Write::Origin(10_000), Write::Sale(9_000)]
        );
    }

    fn stock(item_id: Option<i64>, remaining: i64) -> ProductStockInfo {
        ProductStockInfo {
            id: None,
            is_sold_out: None,
            item_id,
            management_code: None,
            options: Vec::new(),
            origin_price: Some(10_000),
            quantity: Some(999),
            remaining_count: Some(remaining),
            sale_price: Some(9_000),
        }
    }

    #[test]
    fn items_are_found_by_item_id_and_a_contradicting_repeat_is_unknown() {
        let items = items_by_id(&[
            stock(Some(1), 5),
            stock(None, 7),
            stock(Some(2), 3),
            stock(Some(2), 4),
        ]);
        assert_eq!(items.len(), 2);
        assert_eq!(items[&1].stock, Some(5), "remainingCount, not quantity");
        assert_eq!(items[&2], Current::UNKNOWN);
    }
}
