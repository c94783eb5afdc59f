//! [`CourierError`]: why a courier did not resolve to an invoice value.

use super::CourierRef;
use crate::error::Error;

/// Why a [`CourierRef`] could not be turned into the value the invoice call takes.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum CourierError {
    /// Reading Toss's courier lists failed (the call's own typed error).
    #[error("reading Toss's courier lists failed: {0}")]
    Lookup(#[source] Error),

    /// Toss lists no such courier.
    #[error("Toss lists no {courier}{}", near_text(.near))]
    Unknown {
        /// The courier asked for.
        courier: CourierRef,
        /// The invoice values closest to it, nearest first (at most three).
        near: Vec<String>,
    },

    /// A code was given, but neither Toss's invoice values nor any entry of its numeric-id list
    /// carries it, and that list carries no codes at all: Toss gives no way to look codes up.
    #[error(
        "Toss's courier lists carry no code {code:?} (marketplace codes such as CJGLS are not \
         Toss values); pass the courier's name as Toss lists it or its numeric id{}",
        near_text(.near)
    )]
    NoCodes {
        /// The code asked for.
        code: String,
        /// The invoice values closest to it, nearest first (at most three).
        near: Vec<String>,
    },

    /// The courier is in the numeric-id list, but its name is not among the values invoices
    /// take.
    #[error("{courier} ({}) is not among the couriers Toss takes for invoices", name.as_deref().unwrap_or("no name listed"))]
    NotInvoiceable {
        /// The courier asked for.
        courier: CourierRef,
        /// Its name in the numeric-id list, when it has one.
        name: Option<String>,
    },

    /// The courier matches several invoice values once case and white space are ignored, and
    /// none exactly.
    #[error("{courier} matches several invoice couriers: {}", candidates.join(", "))]
    Ambiguous {
        /// The courier asked for.
        courier: CourierRef,
        /// The invoice values it matches.
        candidates: Vec<String>,
    },

    /// Toss answered with an empty list of invoice couriers, so nothing can be resolved. The
    /// answer is not cached; the next lookup asks again.
    #[error("Toss listed no couriers for invoices")]
    NoInvoiceCouriers,
}

fn near_text(near: &[String]) -> String {
    if near.is_empty() {
        String::new()
    } else {
        format!("; did you mean {}?", near.join(", "))
    }
}
