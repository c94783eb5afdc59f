//! The claim actions (CLM-02..14) and the buyer's withdrawal: which step each claim kind
//! allows in which phase (§5.3), and what each step does to the order product. A step the
//! claim is not at fails with `BAD_REQUEST`; an unknown claim with `NOT_FOUND`.

use chrono::{Duration, NaiveDateTime};
use serde_json::{Map, Value};

use super::{ClaimKind, Phase};
use crate::api::types::OrderProductStatus;
use crate::local::Fail;
use crate::local::shop::Shop;
use crate::local::shop::orders::Invoice;

/// A claim action's request body: not documented, so free-form JSON.
pub(crate) type Body = Map<String, Value>;

/// A claim action's answer: an empty object on success.
pub(crate) type Answer = Result<Map<String, Value>, Fail>;

/// Days after which an unanswered cancel request approves itself (calendar days; the
/// reference says "7 business days", and this server keeps no business calendar).
const CANCEL_AUTO_APPROVE_DAYS: i64 = 7;

/// A seller's step on a claim.
#[derive(Debug, Clone)]
pub(crate) enum Step {
    /// Approve the request (CLM-02, CLM-04, CLM-09).
    Approve,
    /// A rejection (CLM-03, CLM-05, CLM-10); a rejected cancel may carry the invoice the
    /// product ships with.
    Reject(Option<Invoice>),
    /// The item arrived back (CLM-06, CLM-11).
    Collected,
    /// Refuse the collected item (반려; CLM-07, CLM-12).
    RejectCollection,
    /// Ship an exchange's replacement with this invoice (CLM-13).
    Ship(Invoice),
    /// Finish the return or exchange (CLM-08, CLM-14).
    Complete,
}

/// The phase a step leads to from `phase`, if the claim kind allows the step there.
fn next_phase(kind: ClaimKind, phase: Phase, step: &Step) -> Option<Phase> {
    use ClaimKind::{Cancel, Exchange, Return};
    let ships_back = matches!(kind, Return | Exchange);
    let next = match (phase, step) {
        (Phase::Requested, Step::Approve) if kind == Cancel => Phase::Completed,
        (Phase::Requested, Step::Approve) => Phase::Collecting,
        (Phase::Requested, Step::Reject(_)) => Phase::Rejected,
        (Phase::Collecting, Step::Collected) if ships_back => Phase::Collected,
        (Phase::Collected, Step::RejectCollection) if ships_back => Phase::Rejected,
        (Phase::Collected, Step::Complete) if kind == Return => Phase::Completed,
        (Phase::Collected | Phase::Reshipping, Step::Ship(_)) if kind == Exchange => {
            Phase::Reshipping
        }
        (Phase::Reshipping, Step::Complete) if kind == Exchange => Phase::Completed,
        _ => return None,
    };
    Some(next)
}

impl Shop {
    /// Applies a seller's step to the claim `claim_id` of kind `kind`.
    pub(crate) fn claim_step(
        &mut self,
        now: NaiveDateTime,
        claim_id: i64,
        kind: ClaimKind,
        step: Step,
    ) -> Answer {
        let claim =
            self.claims.claims.get(&claim_id).ok_or_else(|| {
                Fail::not_found(format!("존재하지 않는 클레임입니다. ({claim_id})"))
            })?;
        if claim.kind != kind {
            return Err(Fail::bad_request(format!(
                "{} 클레임이 아닙니다. ({claim_id})",
                kind.korean()
            )));
        }
        let next = next_phase(kind, claim.phase, &step).ok_or_else(|| {
            Fail::bad_request(format!(
                "클레임 상태가 {}이므로 처리할 수 없습니다. ({claim_id})",
                claim.phase.wire()
            ))
        })?;
        self.settle_order(now, claim_id, next, step)?;
        Ok(Map::new())
    }

    /// Moves the claim to `next` and its order product in step with it.
    fn settle_order(
        &mut self,
        now: NaiveDateTime,
        claim_id: i64,
        next: Phase,
        step: Step,
    ) -> Result<(), Fail> {
        let claim =
            self.claims.claims.get_mut(&claim_id).ok_or_else(|| {
                Fail::not_found(format!("존재하지 않는 클레임입니다. ({claim_id})"))
            })?;
        claim.phase = next;
        let (kind, id, before) = (
            claim.kind,
            claim.order_product_id,
            claim.status_before.clone(),
        );
        if next == Phase::Completed && kind == ClaimKind::Cancel {
            self.cancel_payment(id, now)?;
        }
        let row = self.orders.row_mut(id)?;
        if next.is_closed() {
            row.open_claim = None;
        }
        match (next, step) {
            (Phase::Rejected, Step::Reject(Some(invoice))) => {
                row.status = OrderProductStatus::Delivering;
                row.invoice = Some(invoice);
            }
            (Phase::Rejected | Phase::Revoked, _) => row.status = before,
            (Phase::Collecting, _) => row.status = OrderProductStatus::ClaimCollecting,
            (Phase::Collected, _) => row.status = OrderProductStatus::ClaimCollected,
            (Phase::Reshipping, Step::Ship(invoice)) => {
                row.status = OrderProductStatus::ClaimDelivering;
                row.invoice = Some(invoice);
            }
            (Phase::Completed, _) if kind == ClaimKind::Return => {
                row.status = OrderProductStatus::CompletedReturn;
                let (item_id, quantity) = (row.item.item_id, row.quantity);
                self.products.restore_stock(item_id, quantity);
            }
            (Phase::Completed, _) if kind == ClaimKind::Exchange => {
                // The replacement arrived: the purchase-confirmation clock starts again.
                row.status = OrderProductStatus::CompletedExchange;
                row.delivered_at = Some(now);
            }
            _ => {}
        }
        Ok(())
    }

    /// The buyer withdraws a claim that still waits for the seller (`REVOKED_REQUEST`); the
    /// order product goes back to its status before the request.
    pub(crate) fn withdraw_claim(&mut self, now: NaiveDateTime, claim_id: i64) -> Result<(), Fail> {
        let claim =
            self.claims.claims.get(&claim_id).ok_or_else(|| {
                Fail::not_found(format!("존재하지 않는 클레임입니다. ({claim_id})"))
            })?;
        if claim.phase != Phase::Requested {
            return Err(Fail::bad_request(format!(
                "철회할 수 없는 클레임입니다. ({claim_id})"
            )));
        }
        self.settle_order(now, claim_id, Phase::Revoked, Step::Approve)
    }

    /// Approves every cancel request left unanswered for seven days, as of the day it fell
    /// due.
    pub(crate) fn approve_stale_cancel_claims(&mut self, now: NaiveDateTime) {
        let due: Vec<(i64, NaiveDateTime)> = self
            .claims
            .claims
            .values()
            .filter(|claim| claim.kind == ClaimKind::Cancel && claim.phase == Phase::Requested)
            .map(|claim| {
                (
                    claim.id,
                    claim.requested_at + Duration::days(CANCEL_AUTO_APPROVE_DAYS),
                )
            })
            .filter(|(_, at)| *at <= now)
            .collect();
        for (id, at) in due {
            // A claim found just above is there, in the phase that allows approval.
            let _ = self.claim_step(at, id, ClaimKind::Cancel, Step::Approve);
        }
    }

    /// The invoice a rejected cancel request may carry (`deliveryCompany` and
    /// `trackingNumber`, both or neither): with it, the product ships at once.
    pub(crate) fn optional_invoice(&self, body: &Body) -> Result<Option<Invoice>, Fail> {
        let company = text_field(body, "deliveryCompany");
        let tracking = text_field(body, "trackingNumber");
        match (company, tracking) {
            (None, None) => Ok(None),
            (Some(company), Some(tracking)) => self.checked_invoice(company, tracking).map(Some),
            (None, Some(_)) => Err(missing("deliveryCompany")),
            (Some(_), None) => Err(missing("trackingNumber")),
        }
    }

    /// The invoice an exchange's replacement ships with (`deliveryCompany` and
    /// `trackingNumber`, both required).
    pub(crate) fn required_invoice(&self, body: &Body) -> Result<Invoice, Fail> {
        self.optional_invoice(body)?
            .ok_or_else(|| missing("deliveryCompany"))
    }
}

/// A text field of a free-form body.
fn text_field<'a>(body: &'a Body, name: &str) -> Option<&'a str> {
    body.get(name)
        .and_then(Value::as_str)
        .filter(|text| !text.is_empty())
}

/// The `INVALID_REQUEST` of a missing body field.
fn missing(field: &str) -> Fail {
    Fail::invalid_field(field, "필수 값이 누락되었습니다.")
}
