//! Turning a poll into events: each row's status against the status the feed saw last for
//! that order product or claim.
//!
//! The state is what the checkpoint keeps: per order product and per claim, the last status
//! seen, how many changes were seen (the `<n>` of an [`EventId`]) and a date that says when
//! the entry may be forgotten. It holds no buyer data.

use std::collections::BTreeMap;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::event::{Change, Event, EventId};
use super::snapshot::Snapshot;
use crate::types::{ClaimStatus, OrderProductStatus};

/// The [`EventId`] kind of order products.
const ORDER_PRODUCT: &str = "order_product";
/// The [`EventId`] kind of claims.
const CLAIM: &str = "claim";

/// What the feed remembers of one order product or claim.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct Seen {
    /// The last status seen, as the API writes it.
    pub(crate) status: String,
    /// How many changes were seen after the first sighting.
    pub(crate) seq: u32,
    /// The date the list filters the row on (or the last day it was seen, for a row without
    /// that date); the entry is forgotten once this falls out of the look-back.
    pub(crate) date: NaiveDate,
}

/// The last state seen of every order product and claim still in the look-back.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct State {
    /// By `orderProductId`.
    pub(crate) order_products: BTreeMap<i64, Seen>,
    /// By claim id.
    pub(crate) claims: BTreeMap<i64, Seen>,
}

/// The dates a diff needs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Dates {
    /// Today in Korea: the date of rows that carry none.
    pub(crate) today: NaiveDate,
    /// Entries dated before this are forgotten.
    pub(crate) forget_before: NaiveDate,
}

/// Follows one row in `entries`: updates its entry, and gives the id of the event the row
/// makes with the status seen before it (`None` for a row never seen), or `None` when the
/// row makes no event.
fn track(
    entries: &mut BTreeMap<i64, Seen>,
    kind: &str,
    id: i64,
    status: &str,
    date: NaiveDate,
    announce_new: bool,
) -> Option<(EventId, Option<String>)> {
    let previous = entries.get(&id).map(|seen| (seen.status.clone(), seen.seq));
    let (seq, from, event) = match previous {
        None => (0, None, announce_new),
        Some((last, seq)) if last == status => (seq, None, false),
        // u32 changes of one row would take centuries of polling; saturate rather than wrap.
        Some((last, seq)) => (seq.saturating_add(1), Some(last), true),
    };
    let seen = Seen {
        status: status.to_string(),
        seq,
        date,
    };
    entries.insert(id, seen);
    event.then(|| (EventId::new(kind, id, seq, status), from))
}

impl State {
    /// The events `snapshot` shows against this state, in order (order products by id, then
    /// claims by id), and the state after them. With `announce_new` false, rows never seen
    /// are remembered without an event (a feed that starts from now).
    pub(crate) fn diff(
        &self,
        snapshot: &Snapshot,
        dates: Dates,
        announce_new: bool,
    ) -> (Vec<Event>, State) {
        let mut next = self.clone();
        let mut events = next.diff_orders(snapshot, dates.today, announce_new);
        events.extend(next.diff_claims(snapshot, dates.today, announce_new));
        next.forget_before(dates.forget_before, snapshot);
        (events, next)
    }

    /// Follows the order products of `snapshot`, giving their events.
    fn diff_orders(
        &mut self,
        snapshot: &Snapshot,
        today: NaiveDate,
        announce_new: bool,
    ) -> Vec<Event> {
        let mut events = Vec::new();
        for (&id, row) in &snapshot.orders {
            let date = row.date.unwrap_or(today);
            let status = row.status.as_str();
            let tracked = track(
                &mut self.order_products,
                ORDER_PRODUCT,
                id,
                status,
                date,
                announce_new,
            );
            let Some((event_id, from)) = tracked else {
                continue;
            };
            let order = row.order.clone();
            let to = row.status.clone();
            let change = match from {
                None => Change::OrderPlaced { order, status: to },
                Some(from) => Change::OrderStatusChanged {
                    order,
                    from: OrderProductStatus::from(from),
                    to,
                },
            };
            events.push(Event {
                id: event_id,
                change,
            });
        }
        events
    }

    /// Follows the claims of `snapshot`, giving their events.
    fn diff_claims(
        &mut self,
        snapshot: &Snapshot,
        today: NaiveDate,
        announce_new: bool,
    ) -> Vec<Event> {
        let mut events = Vec::new();
        for (&id, row) in &snapshot.claims {
            let date = row.date.unwrap_or(today);
            let status = row.status.as_str();
            let tracked = track(&mut self.claims, CLAIM, id, status, date, announce_new);
            let Some((event_id, from)) = tracked else {
                continue;
            };
            let claim = row.claim.clone();
            let to = row.status.clone();
            let change = match from {
                None => Change::ClaimOpened { claim, status: to },
                Some(from) => Change::ClaimStatusChanged {
                    claim,
                    from: ClaimStatus::from(from),
                    to,
                },
            };
            events.push(Event {
                id: event_id,
                change,
            });
        }
        events
    }

    /// Drops the entries dated before `oldest` that this poll did not return: the look-back
    /// no longer reads their rows. A row the list still returns is kept whatever its date
    /// (the list may filter on another date than the one kept), or it would be announced
    /// again on every poll.
    fn forget_before(&mut self, oldest: NaiveDate, snapshot: &Snapshot) {
        self.order_products
            .retain(|id, seen| seen.date >= oldest || snapshot.orders.contains_key(id));
        self.claims
            .retain(|id, seen| seen.date >= oldest || snapshot.claims.contains_key(id));
    }
}

#[cfg(test)]
mod tests {
    use chrono::Days;

    use super::*;
    use crate::feed::event::{ClaimRef, OrderRef};
    use crate::feed::snapshot::{ClaimSighting, OrderSighting};
    use crate::types::ClaimType;

    fn day(n: u64) -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 7, 1).unwrap() + Days::new(n)
    }

    fn dates() -> Dates {
        Dates {
            today: day(30),
            forget_before: day(0),
        }
    }

    fn order(id: i64, status: OrderProductStatus, date: Option<NaiveDate>) -> OrderSighting {
        OrderSighting {
            order: OrderRef {
                order_product_id: id,
                order_id: Some(id * 10),
                product_id: None,
            },
            status,
            date,
        }
    }

    fn claim(id: i64, status: &str) -> ClaimSighting {
        ClaimSighting {
            claim: ClaimRef {
                claim_id: id,
                claim_type: Some(ClaimType::Return),
                order_product_id: Some(1),
                order_id: None,
            },
            status: ClaimStatus::from(status),
            date: Some(day(20)),
        }
    }

    fn snapshot(orders: &[(i64, OrderProductStatus)], claims: &[(i64, &str)]) -> Snapshot {
        let mut snapshot = Snapshot::default();
        for (id, status) in orders {
            snapshot
                .orders
                .insert(*id, order(*id, status.clone(), Some(day(10))));
        }
        for (id, status) in claims {
            snapshot.claims.insert(*id, claim(*id, status));
        }
        snapshot
    }

    fn ids(events: &[Event]) -> Vec<&str> {
        events.iter().map(|event| event.id.as_str()).collect()
    }

    #[test]
    fn new_rows_are_placed_or_opened_and_the_same_rows_again_are_nothing() {
        use OrderProductStatus::*;
        let seen = snapshot(&[(2, Paid), (1, Delivering)], &[(5, "REQUESTED")]);
        let (events, state) = State::default().diff(&seen, dates(), true);
        assert_eq!(
            ids(&events),
            [
                "order_product:1:0:DELIVERING",
                "order_product:2:0:PAID",
                "claim:5:0:REQUESTED"
            ]
        );
        assert!(matches!(
            &events[0].change,
            Change::OrderPlaced { order, status: Delivering } if order.order_id == Some(10)
        ));
        assert!(matches!(&events[2].change, Change::ClaimOpened { .. }));
        let (again, same) = state.diff(&seen, dates(), true);
        assert!(again.is_empty());
        assert_eq!(same, state);
    }

    #[test]
    fn a_changed_status_comes_out_once_from_old_to_new() {
        use OrderProductStatus::*;
        let (_, state) = State::default().diff(&snapshot(&[(1, Paid)], &[]), dates(), true);
        let moved = snapshot(&[(1, PreparingProduct)], &[(5, "REQUESTED")]);
        let (events, state) = state.diff(&moved, dates(), true);
        assert_eq!(
            ids(&events),
            ["order_product:1:1:PREPARING_PRODUCT", "claim:5:0:REQUESTED"]
        );
        assert!(matches!(
            &events[0].change,
            Change::OrderStatusChanged {
                from: Paid,
                to: PreparingProduct,
                ..
            }
        ));
        let (events, _) = state.diff(&snapshot(&[], &[(5, "COMPLETED")]), dates(), true);
        assert_eq!(ids(&events), ["claim:5:1:COMPLETED"]);
        assert!(matches!(
            &events[0].change,
            Change::ClaimStatusChanged {
                from: ClaimStatus::Requested,
                to: ClaimStatus::Completed,
                ..
            }
        ));
    }

    #[test]
    fn a_status_that_comes_back_gets_a_new_id() {
        use OrderProductStatus::*;
        let mut state = State::default();
        let mut all = Vec::new();
        for status in [Delivered, RequestedReturn, Delivered, RequestedReturn] {
            let (events, next) = state.diff(&snapshot(&[(1, status)], &[]), dates(), true);
            all.extend(events);
            state = next;
        }
        assert_eq!(
            ids(&all),
            [
                "order_product:1:0:DELIVERED",
                "order_product:1:1:REQUESTED_RETURN",
                "order_product:1:2:DELIVERED",
                "order_product:1:3:REQUESTED_RETURN",
            ]
        );
    }

    #[test]
    fn unknown_statuses_are_followed_like_known_ones() {
        let (_, state) = State::default().diff(&snapshot(&[], &[(5, "REQUESTED")]), dates(), true);
        let (events, _) = state.diff(&snapshot(&[], &[(5, "COLLECTING")]), dates(), true);
        assert_eq!(ids(&events), ["claim:5:1:COLLECTING"]);
        assert!(matches!(
            &events[0].change,
            Change::ClaimStatusChanged { to, .. } if to.is_unknown() && to.as_str() == "COLLECTING"
        ));
    }

    #[test]
    fn starting_from_now_remembers_without_events_then_follows_changes() {
        use OrderProductStatus::*;
        let (events, state) =
            State::default().diff(&snapshot(&[(1, Paid)], &[(5, "REQUESTED")]), dates(), false);
        assert!(events.is_empty());
        assert_eq!(state.order_products.len() + state.claims.len(), 2);
        let (events, _) = state.diff(&snapshot(&[(1, PreparingProduct)], &[]), dates(), false);
        assert_eq!(ids(&events), ["order_product:1:1:PREPARING_PRODUCT"]);
    }

    #[test]
    fn entries_are_forgotten_once_their_date_leaves_the_look_back() {
        use OrderProductStatus::*;
        let mut seen = Snapshot::default();
        seen.orders.insert(1, order(1, Paid, Some(day(3))));
        seen.orders.insert(2, order(2, Paid, Some(day(5))));
        // No date: dated today, and again each day it is seen.
        seen.orders.insert(3, order(3, Paid, None));
        let (_, state) = State::default().diff(&seen, dates(), true);
        assert_eq!(state.order_products[&3].date, day(30));
        let later = Dates {
            today: day(33),
            forget_before: day(4),
        };
        // Rows missing from a poll are kept while they are in the look-back.
        let (events, state) = state.diff(&Snapshot::default(), later, true);
        assert!(events.is_empty());
        assert_eq!(
            state.order_products.keys().copied().collect::<Vec<_>>(),
            [2, 3]
        );
    }

    #[test]
    fn a_row_the_list_still_returns_is_kept_and_not_announced_again() {
        use OrderProductStatus::*;
        // Dated before the look-back, yet returned (the list filters on another date).
        let mut seen = Snapshot::default();
        seen.orders.insert(1, order(1, Paid, Some(day(0))));
        let later = Dates {
            today: day(40),
            forget_before: day(5),
        };
        let (events, state) = State::default().diff(&seen, later, true);
        assert_eq!(ids(&events), ["order_product:1:0:PAID"]);
        let (events, state) = state.diff(&seen, later, true);
        assert!(events.is_empty(), "announced again: {:?}", ids(&events));
        // Once the list stops returning it, it is forgotten.
        let (_, state) = state.diff(&Snapshot::default(), later, true);
        assert!(state.order_products.is_empty());
    }
}
