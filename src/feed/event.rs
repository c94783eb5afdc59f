//! What the feed hands out: one [`Event`] per change it saw, with a stable [`EventId`].
//!
//! Events carry ids and statuses only, never the buyer's data, so their `Debug`, `Display`
//! and JSON are safe to log and to keep in a checkpoint. Read the order product or the claim
//! when you need more: the row may have moved on since the feed saw it.

use std::fmt;

use serde::{Deserialize, Serialize};

use crate::types::{ClaimStatus, ClaimType, OrderProductStatus};

/// Identifies one change for good: the same change has the same id on every poll, after a
/// restart and in a replayed batch, so a consumer can process events idempotently.
///
/// It is `order_product:<orderProductId>:<n>:<status>` or `claim:<claimId>:<n>:<status>`,
/// where `<n>` counts the changes the feed has seen on that order product or claim (0 when
/// it first saw it) and `<status>` is the status it moved to. The count tells apart a status
/// that comes back (delivered, return requested, delivered again after a withdrawal). Treat
/// the id as an opaque string; only its uniqueness is promised.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(transparent)]
pub struct EventId(String);

impl EventId {
    /// The id of the `seq`-th change of the entity `kind:id`, to `status`.
    pub(crate) fn new(kind: &str, id: i64, seq: u32, status: &str) -> Self {
        Self(format!("{kind}:{id}:{seq}:{status}"))
    }

    /// The id as text, e.g. to use as a message key or a database key.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for EventId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// One change the feed saw on an order product or a claim.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Event {
    /// The change's stable id (see [`EventId`]).
    pub id: EventId,
    /// What changed.
    pub change: Change,
}

impl Event {
    /// The order product the change is about: its own, or the one a claim is about (when
    /// the claim names it).
    pub fn order_product_id(&self) -> Option<i64> {
        match &self.change {
            Change::OrderPlaced { order, .. } | Change::OrderStatusChanged { order, .. } => {
                Some(order.order_product_id)
            }
            Change::ClaimOpened { claim, .. } | Change::ClaimStatusChanged { claim, .. } => {
                claim.order_product_id
            }
        }
    }
}

impl fmt::Display for Event {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.change {
            Change::OrderPlaced { order, status } => write!(f, "{order}: placed, {status}"),
            Change::OrderStatusChanged { order, from, to } => {
                write!(f, "{order}: {from} -> {to}")
            }
            Change::ClaimOpened { claim, status } => write!(f, "{claim}: opened, {status}"),
            Change::ClaimStatusChanged { claim, from, to } => {
                write!(f, "{claim}: {from} -> {to}")
            }
        }
    }
}

/// What changed. Each kind is about one order product or one claim.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
#[non_exhaustive]
pub enum Change {
    /// The feed saw this order product for the first time. `status` is the one it had then,
    /// which is later than `PAID` if it changed before the feed first looked.
    OrderPlaced {
        /// The order product.
        order: OrderRef,
        /// Its status when first seen.
        status: OrderProductStatus,
    },
    /// The order product's status differs from the one the feed saw last. Changes between
    /// two polls collapse into one: poll more often to see each step.
    OrderStatusChanged {
        /// The order product.
        order: OrderRef,
        /// The status the feed saw last.
        from: OrderProductStatus,
        /// The status now.
        to: OrderProductStatus,
    },
    /// The feed saw this claim (a cancel, return or exchange request) for the first time.
    ClaimOpened {
        /// The claim.
        claim: ClaimRef,
        /// Its status when first seen.
        status: ClaimStatus,
    },
    /// The claim's status differs from the one the feed saw last.
    ClaimStatusChanged {
        /// The claim.
        claim: ClaimRef,
        /// The status the feed saw last.
        from: ClaimStatus,
        /// The status now.
        to: ClaimStatus,
    },
}

/// Which order product an event is about.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct OrderRef {
    /// The order product (`orderProductId`), which the seller's calls take.
    pub order_product_id: i64,
    /// The order it belongs to (`orderId`), when the row named it.
    pub order_id: Option<i64>,
    /// The product ordered (`productId`), when the row named it.
    pub product_id: Option<i64>,
}

impl fmt::Display for OrderRef {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "order product {}", self.order_product_id)?;
        if let Some(order) = self.order_id {
            write!(f, " (order {order})")?;
        }
        Ok(())
    }
}

/// Which claim an event is about.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct ClaimRef {
    /// The claim (`id`), which the claim actions take.
    pub claim_id: i64,
    /// Cancel, return or exchange, when the row said.
    pub claim_type: Option<ClaimType>,
    /// The order product the claim is about, when the row named it.
    pub order_product_id: Option<i64>,
    /// The order, when the row named it.
    pub order_id: Option<i64>,
}

impl fmt::Display for ClaimRef {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "claim {}", self.claim_id)?;
        if let Some(kind) = &self.claim_type {
            write!(f, " ({kind})")?;
        }
        if let Some(order_product) = self.order_product_id {
            write!(f, " on order product {order_product}")?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn placed() -> Event {
        Event {
            id: EventId::new("order_product", 7, 0, "PAID"),
            change: Change::OrderPlaced {
                order: OrderRef {
                    order_product_id: 7,
                    order_id: Some(3),
                    product_id: None,
                },
                status: OrderProductStatus::Paid,
            },
        }
    }

    #[test]
    fn events_read_as_ids_and_statuses() {
        let event = placed();
        assert_eq!(event.id.as_str(), "order_product:7:0:PAID");
        assert_eq!(event.to_string(), "order product 7 (order 3): placed, PAID");
        let claim = Event {
            id: EventId::new("claim", 9, 1, "COMPLETED"),
            change: Change::ClaimStatusChanged {
                claim: ClaimRef {
                    claim_id: 9,
                    claim_type: Some(ClaimType::Return),
                    order_product_id: Some(7),
                    order_id: None,
                },
                from: ClaimStatus::Requested,
                to: ClaimStatus::Completed,
            },
        };
        assert_eq!(
            claim.to_string(),
            "claim 9 (RETURN) on order product 7: REQUESTED -> COMPLETED"
        );
        assert_eq!(claim.order_product_id(), Some(7));
    }

    #[test]
    fn events_round_trip_through_json() {
        let event = placed();
        let json = serde_json::to_string(&event).unwrap();
        assert!(json.contains(r#""kind":"order_placed""#), "{json}");
        assert_eq!(serde_json::from_str::<Event>(&json).unwrap(), event);
    }
}
