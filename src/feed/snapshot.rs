//! What one poll saw: every order product and claim of the look-back, reduced at once to
//! what the feed follows (ids, statuses, the date the list filters on), so no buyer data is
//! kept past the page it came in.

use std::collections::BTreeMap;

use chrono::NaiveDate;

use super::event::{ClaimRef, OrderRef};
use crate::types::{Claim, ClaimStatus, OrderProduct, OrderProductStatus};

/// One order product as a poll saw it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct OrderSighting {
    /// Which order product.
    pub(crate) order: OrderRef,
    /// Its status.
    pub(crate) status: OrderProductStatus,
    /// The KST date of `orderedAt`, when the row had one.
    pub(crate) date: Option<NaiveDate>,
}

/// One claim as a poll saw it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct ClaimSighting {
    /// Which claim.
    pub(crate) claim: ClaimRef,
    /// Its status.
    pub(crate) status: ClaimStatus,
    /// The KST date of `requestedDt`, when the row had one.
    pub(crate) date: Option<NaiveDate>,
}

/// Every row one poll read, by id.
#[derive(Debug, Clone, Default)]
pub(crate) struct Snapshot {
    /// The order products by `orderProductId`.
    pub(crate) orders: BTreeMap<i64, OrderSighting>,
    /// The claims by claim id.
    pub(crate) claims: BTreeMap<i64, ClaimSighting>,
    /// Rows without the id or the status the feed needs to follow them.
    pub(crate) skipped: usize,
}

impl Snapshot {
    /// Adds an order product row; a row read twice in one poll keeps the later reading.
    pub(crate) fn add_order(&mut self, row: &OrderProduct) {
        let (Some(order_product_id), Some(status)) =
            (row.order_product_id, row.order_product_status.clone())
        else {
            self.skipped += 1;
            return;
        };
        let order = OrderRef {
            order_product_id,
            order_id: row.order_id,
            product_id: row.product_id,
        };
        let date = row.ordered_at.as_ref().map(|at| at.date_kst());
        self.orders.insert(
            order_product_id,
            OrderSighting {
                order,
                status,
                date,
            },
        );
    }

    /// Adds a claim row; a row read twice in one poll keeps the later reading.
    pub(crate) fn add_claim(&mut self, row: &Claim) {
        let (Some(claim_id), Some(status)) = (row.id, row.status.clone()) else {
            self.skipped += 1;
            return;
        };
        let order = row.order.as_ref();
        let claim = ClaimRef {
            claim_id,
            claim_type: row.type_.clone(),
            order_product_id: order.and_then(|order| order.order_product_id),
            order_id: order.and_then(|order| order.id),
        };
        let date = row.requested_dt.as_ref().map(|at| at.date_kst());
        self.claims.insert(
            claim_id,
            ClaimSighting {
                claim,
                status,
                date,
            },
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rows_without_an_id_or_a_status_are_counted_not_followed() {
        let mut snapshot = Snapshot::default();
        snapshot.add_order(&OrderProduct {
            order_product_id: Some(1),
            order_product_status: Some(OrderProductStatus::Paid),
            ..OrderProduct::default()
        });
        snapshot.add_order(&OrderProduct {
            order_product_status: Some(OrderProductStatus::Paid),
            ..OrderProduct::default()
        });
        snapshot.add_order(&OrderProduct {
            order_product_id: Some(2),
            ..OrderProduct::default()
        });
        snapshot.add_claim(&Claim::default());
        assert_eq!(snapshot.orders.len(), 1);
        assert_eq!(snapshot.skipped, 3);
        assert_eq!(snapshot.orders[&1].date, None);
    }
}
