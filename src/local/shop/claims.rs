//! The claim book: buyers' cancel, return and exchange requests (§5.3), how the seller
//! lists them (CLM-01) and, in [`flow`], how each claim action moves the claim and its order
//! product in step.
//!
//! A claim's `status` is `REQUESTED` while it waits for the seller, `COMPLETED` once done
//! and `REVOKED_REQUEST` when the buyer withdrew it, as seen live. The steps in between are
//! not documented; this server writes `COLLECTING`, `COLLECTED`, `DELIVERING` (an exchange's
//! replacement under way) and `REJECTED`, which the SDK decodes as unknown values.

mod flow;

use std::collections::{BTreeMap, BTreeSet};

use chrono::NaiveDateTime;

use super::Shop;
use super::orders::{OrderRow, after, cursor, optional_window, page_size, stamp};
use crate::api::types::{
    Claim, ClaimOrder, ClaimPage, ClaimProduct, ClaimStatus, ClaimType, DeliveryPenaltyCharger,
    OrderProductStatus,
};
use crate::local::{Call, Fail};

/// The key the claim list's cursor names.
const CURSOR_KEY: &str = "id";

/// The request-date window's maximum length in days.
const MAX_WINDOW_DAYS: i64 = 7;

/// Where returned and exchanged items go (the demo return address).
const RETURN_ADDRESS: &str = "경기도 이천시 마장면 덕이로 154-12, 토스상회 물류센터";

/// The one-way delivery fee a return costs.
const ONE_WAY_FEE: i64 = 3_000;

/// Every claim of the seller, by claim id.
#[derive(Debug, Default)]
pub(crate) struct ClaimBook {
    /// The claims by id (ids grow with time, so the map is in request order).
    pub(crate) claims: BTreeMap<i64, ClaimRecord>,
}

/// What a buyer asks for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum ClaimKind {
    /// Cancel before shipping (`CANCEL`).
    Cancel,
    /// Send the product back for a refund (`RETURN`).
    Return,
    /// Send the product back for a replacement (`EXCHANGE`).
    Exchange,
}

impl ClaimKind {
    /// The kind as the API writes it.
    fn wire(self) -> ClaimType {
        match self {
            Self::Cancel => ClaimType::Cancel,
            Self::Return => ClaimType::Return,
            Self::Exchange => ClaimType::Exchange,
        }
    }

    /// The order product's status while the request waits.
    fn requested_status(self) -> OrderProductStatus {
        match self {
            Self::Cancel => OrderProductStatus::ClaimRequestedCancel,
            Self::Return => OrderProductStatus::RequestedReturn,
            Self::Exchange => OrderProductStatus::RequestedExchange,
        }
    }

    /// The kind's Korean name, for failure reasons.
    fn korean(self) -> &'static str {
        match self {
            Self::Cancel => "취소",
            Self::Return => "반품",
            Self::Exchange => "교환",
        }
    }
}

/// How far a claim has come.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Phase {
    /// Waits for the seller.
    Requested,
    /// Approved; the item is being collected from the buyer.
    Collecting,
    /// The item arrived back at the seller.
    Collected,
    /// An exchange's replacement is under way.
    Reshipping,
    /// Done: cancelled, refunded or exchanged.
    Completed,
    /// Refused by the seller, before or after collection.
    Rejected,
    /// Withdrawn by the buyer.
    Revoked,
}

impl Phase {
    /// The claim `status` as this server writes it (see the module docs).
    fn wire(self) -> &'static str {
        match self {
            Self::Requested => "REQUESTED",
            Self::Collecting => "COLLECTING",
            Self::Collected => "COLLECTED",
            Self::Reshipping => "DELIVERING",
            Self::Completed => "COMPLETED",
            Self::Rejected => "REJECTED",
            Self::Revoked => "REVOKED_REQUEST",
        }
    }

    /// Whether the claim is over, so the order product is free of it.
    fn is_closed(self) -> bool {
        matches!(self, Self::Completed | Self::Rejected | Self::Revoked)
    }
}

/// One claim.
#[derive(Debug, Clone)]
pub(crate) struct ClaimRecord {
    /// The claim id the claim actions take.
    pub(crate) id: i64,
    /// What the buyer asks for.
    pub(crate) kind: ClaimKind,
    /// How far the claim has come.
    pub(crate) phase: Phase,
    /// The order product the claim is about.
    pub(crate) order_product_id: i64,
    /// When the buyer asked (`requestedDt`).
    pub(crate) requested_at: NaiveDateTime,
    /// The buyer's reason (`requestReason`).
    pub(crate) reason: String,
    /// The buyer's details (`requestDetailReason`), possibly empty.
    pub(crate) detail_reason: String,
    /// The order product's status when the buyer asked, to go back to on a rejection or a
    /// withdrawal.
    pub(crate) status_before: OrderProductStatus,
}

impl ClaimRecord {
    /// Who bears the delivery cost: the seller when the buyer reports a fault of the
    /// product or the delivery, the buyer otherwise (a change of mind).
    fn charger(&self) -> DeliveryPenaltyCharger {
        let seller_fault = ["불량", "파손", "오배송", "누락"]
            .iter()
            .any(|word| self.reason.contains(word));
        if seller_fault {
            DeliveryPenaltyCharger::Merchant
        } else {
            DeliveryPenaltyCharger::User
        }
    }

    /// The claim as the API writes it, with its order product's data.
    fn view(&self, row: &OrderRow) -> Claim {
        let ships_back = self.kind != ClaimKind::Cancel;
        let fee = |amount: i64| if ships_back { amount } else { 0 };
        let charger = self.charger();
        let seller_pays = charger == DeliveryPenaltyCharger::Merchant;
        let invoice = row.invoice.as_ref();
        Claim {
            id: Some(self.id),
            requested_dt: stamp(self.requested_at),
            type_: Some(self.kind.wire()),
            status: Some(ClaimStatus::from(self.phase.wire())),
            request_reason: Some(self.reason.clone()),
            request_detail_reason: Some(self.detail_reason.clone()),
            request_images: Some(Vec::new()),
            request_delivery_penalty_charger: Some(charger),
            refund_one_way_delivery_fee: Some(fee(ONE_WAY_FEE)),
            round_trip_delivery_fee: Some(fee(2 * ONE_WAY_FEE)),
            return_address: Some(if ships_back { RETURN_ADDRESS } else { "" }.to_string()),
            order: Some(ClaimOrder {
                id: Some(row.order_id),
                order_product_id: Some(row.order_product_id),
                orderer_name: Some(row.buyer.orderer_name.clone()),
                orderer_phone_number: Some(row.buyer.orderer_phone.clone()),
                receiver_name: Some(row.buyer.receiver_name.clone()),
                receiver_phone_number: Some(row.buyer.receiver_phone.clone()),
                delivery_company: invoice.map(|i| i.company.clone()),
                shipping_tracking_number: invoice.map(|i| i.tracking_number.clone()),
                address: Some(format!(
                    "{} {}",
                    row.buyer.address, row.buyer.detail_address
                )),
                price: Some(row.price()),
                created_dt: stamp(row.ordered_at),
            }),
            product: Some(ClaimProduct {
                id: Some(row.item.product_id),
                name: Some(row.item.product_name.clone()),
                option_name: Some(row.item.option_name.clone()),
                quantity: Some(row.quantity),
            }),
            claim_delivery_payment_amount: (ships_back && seller_pays).then_some(2 * ONE_WAY_FEE),
        }
    }
}

/// The claim list's filters.
struct ClaimFilter {
    /// `type` and `status`, when sent (always together).
    kind_and_status: Option<(String, String)>,
    /// `orderIds`, when sent.
    order_ids: Option<BTreeSet<i64>>,
    /// The request-date window, when sent.
    window: Option<super::orders::DayWindow>,
}

impl ClaimFilter {
    /// The filters of a CLM-01 call. `type` and `status` go together or not at all, as the
    /// live API insists.
    fn of(call: &Call) -> Result<Self, Fail> {
        let kind_and_status = match (call.query_text("type"), call.query_text("status")) {
            (Some(kind), Some(status)) => Some((kind.to_string(), status.to_string())),
            (None, None) => None,
            (kind, _) => {
                let missing = if kind.is_none() { "type" } else { "status" };
                return Err(Fail::invalid_field(
                    missing,
                    "type과 status는 함께 보내야 합니다.",
                ));
            }
        };
        Ok(Self {
            kind_and_status,
            order_ids: call
                .query_ids("orderIds")?
                .map(|ids| ids.into_iter().collect()),
            window: optional_window(call, "fromRequestDate", "toRequestDate", MAX_WINDOW_DAYS)?,
        })
    }

    /// Whether a claim on `row` passes the filters.
    fn keeps(&self, claim: &ClaimRecord, row: &OrderRow) -> bool {
        let kind_ok = self.kind_and_status.as_ref().is_none_or(|(kind, status)| {
            claim.kind.wire().as_str() == kind && claim.phase.wire() == status
        });
        let order_ok = self
            .order_ids
            .as_ref()
            .is_none_or(|ids| ids.contains(&row.order_id));
        let date_ok = self
            .window
            .is_none_or(|window| window.contains(claim.requested_at.date()));
        kind_ok && order_ok && date_ok
    }
}

impl Shop {
    /// Opens a claim on an order product the caller already found eligible: the claim is
    /// `REQUESTED` and the order product shows the request. Fails while another claim is
    /// open.
    pub(crate) fn open_claim(
        &mut self,
        kind: ClaimKind,
        order_product_id: i64,
        at: NaiveDateTime,
        reason: &str,
        detail_reason: &str,
    ) -> Result<i64, Fail> {
        let id = self.ids.next();
        let row = self.orders.row_mut(order_product_id)?;
        if row.open_claim.is_some() {
            return Err(Fail::bad_request(super::deliveries::CLAIM_IN_PROGRESS));
        }
        let status_before = std::mem::replace(&mut row.status, kind.requested_status());
        row.open_claim = Some(id);
        let record = ClaimRecord {
            id,
            kind,
            phase: Phase::Requested,
            order_product_id,
            requested_at: at,
            reason: reason.to_string(),
            detail_reason: detail_reason.to_string(),
            status_before,
        };
        self.claims.claims.insert(id, record);
        Ok(id)
    }

    /// Lists claims, newest first, a page at a time.
    fn claim_page(&self, call: &Call) -> Result<ClaimPage, Fail> {
        let filter = ClaimFilter::of(call)?;
        let size = page_size(call, "size", 20, 1_000)?;
        let after = after(call, "nextToken", CURSOR_KEY)?;
        let mut claims = self
            .claims
            .claims
            .values()
            .rev()
            .filter(|claim| after.is_none_or(|cursor| claim.id < cursor))
            .filter_map(|claim| Some((claim, self.orders.rows.get(&claim.order_product_id)?)))
            .filter(|(claim, row)| filter.keeps(claim, row));
        let items: Vec<Claim> = claims
            .by_ref()
            .take(size)
            .map(|(claim, row)| claim.view(row))
            .collect();
        let has_next = claims.next().is_some();
        let next_token = items
            .last()
            .and_then(|claim| claim.id)
            .filter(|_| has_next)
            .map(|id| cursor(CURSOR_KEY, id));
        Ok(ClaimPage {
            has_next: Some(has_next),
            items,
            next_token,
        })
    }
}

impl crate::api::serve::Claims for Shop {
    fn list_claims(&mut self, call: &Call) -> Result<ClaimPage, Fail> {
        self.claim_page(call)
    }

    fn approve_cancel_claim(&mut self, call: &Call, claim_id: i64) -> flow::Answer {
        self.claim_step(call.now(), claim_id, ClaimKind::Cancel, flow::Step::Approve)
    }

    fn reject_cancel_claim(
        &mut self,
        call: &Call,
        claim_id: i64,
        body: flow::Body,
    ) -> flow::Answer {
        let invoice = self.optional_invoice(&body)?;
        self.claim_step(
            call.now(),
            claim_id,
            ClaimKind::Cancel,
            flow::Step::Reject(invoice),
        )
    }

    fn approve_return_claim(&mut self, call: &Call, claim_id: i64) -> flow::Answer {
        self.claim_step(call.now(), claim_id, ClaimKind::Return, flow::Step::Approve)
    }

    fn reject_return_claim(
        &mut self,
        call: &Call,
        claim_id: i64,
        _body: flow::Body,
    ) -> flow::Answer {
        self.claim_step(
            call.now(),
            claim_id,
            ClaimKind::Return,
            flow::Step::Reject(None),
        )
    }

    fn mark_return_collected(&mut self, call: &Call, claim_id: i64) -> flow::Answer {
        self.claim_step(
            call.now(),
            claim_id,
            ClaimKind::Return,
            flow::Step::Collected,
        )
    }

    fn reject_return_collection(
        &mut self,
        call: &Call,
        claim_id: i64,
        _body: flow::Body,
    ) -> flow::Answer {
        let step = flow::Step::RejectCollection;
        self.claim_step(call.now(), claim_id, ClaimKind::Return, step)
    }

    fn complete_return_claim(&mut self, call: &Call, claim_id: i64) -> flow::Answer {
        self.claim_step(
            call.now(),
            claim_id,
            ClaimKind::Return,
            flow::Step::Complete,
        )
    }

    fn approve_exchange_claim(&mut self, call: &Call, claim_id: i64) -> flow::Answer {
        self.claim_step(
            call.now(),
            claim_id,
            ClaimKind::Exchange,
            flow::Step::Approve,
        )
    }

    fn reject_exchange_claim(
        &mut self,
        call: &Call,
        claim_id: i64,
        _body: flow::Body,
    ) -> flow::Answer {
        self.claim_step(
            call.now(),
            claim_id,
            ClaimKind::Exchange,
            flow::Step::Reject(None),
        )
    }

    fn mark_exchange_collected(&mut self, call: &Call, claim_id: i64) -> flow::Answer {
        self.claim_step(
            call.now(),
            claim_id,
            ClaimKind::Exchange,
            flow::Step::Collected,
        )
    }

    fn reject_exchange_collection(
        &mut self,
        call: &Call,
        claim_id: i64,
        _body: flow::Body,
    ) -> flow::Answer {
        let step = flow::Step::RejectCollection;
        self.claim_step(call.now(), claim_id, ClaimKind::Exchange, step)
    }

    fn ship_exchange_replacement(
        &mut self,
        call: &Call,
        claim_id: i64,
        body: flow::Body,
    ) -> flow::Answer {
        let invoice = self.required_invoice(&body)?;
        self.claim_step(
            call.now(),
            claim_id,
            ClaimKind::Exchange,
            flow::Step::Ship(invoice),
        )
    }

    fn complete_exchange_claim(&mut self, call: &Call, claim_id: i64) -> flow::Answer {
        self.claim_step(
            call.now(),
            claim_id,
            ClaimKind::Exchange,
            flow::Step::Complete,
        )
    }
}
