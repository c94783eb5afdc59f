//! The automatic inspection: a product waiting (`LLM_INSPECTION_READY`) passes
//! (`COMPLETE`) or is rejected (`REJECT`, with reasons) once the policy's delay has passed
//! since it entered inspection.

use chrono::NaiveDateTime;

use super::record::{Stage, StoredProduct};
use crate::local::shop::Inspection;

/// Ends the product's inspection if it is waiting and its time has come.
pub(crate) fn settle(product: &mut StoredProduct, policy: &Inspection, now: NaiveDateTime) {
    let Stage::Waiting { since } = product.stage else {
        return;
    };
    if !is_due(since, policy, now) {
        return;
    }
    product.stage = match rejection(product.name(), policy) {
        Some(reason) => Stage::Rejected {
            reasons: vec![reason],
        },
        None => Stage::Complete,
    };
}

/// Whether an inspection that started at `since` has ended by `now`.
fn is_due(since: NaiveDateTime, policy: &Inspection, now: NaiveDateTime) -> bool {
    // A delay too long for chrono never ends, which is what such a setting asks for.
    chrono::Duration::from_std(policy.delay)
        .ok()
        .and_then(|delay| since.checked_add_signed(delay))
        .is_some_and(|due| now >= due)
}

/// The rejection reason the policy gives a product of this name, if it rejects it.
fn rejection(name: &str, policy: &Inspection) -> Option<String> {
    let reason = policy.reject_reason.clone()?;
    match &policy.reject_names_containing {
        Some(marker) if !name.contains(marker.as_str()) => None,
        _ => Some(reason),
    }
}

/// Sends a product (back) into inspection from `now`, forgetting any earlier rejection.
pub(crate) fn restart(product: &mut StoredProduct, now: NaiveDateTime) {
    product.stage = Stage::Waiting { since: now };
}
