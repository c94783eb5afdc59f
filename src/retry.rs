//! When a failed call is sent again, and when it must not be.
//!
//! Three questions decide it, in this order:
//! 1. **Is the failure transient?** Throttling (`TOO_MANY_REQUEST` inside HTTP 200, or 429),
//!    a connection that never opened, a timeout, a 5xx: yes. A rejected request, a 401, a
//!    decoding error: no.
//! 2. **Is re-sending safe for this operation?** The spec's `x-toss-retry` says. Throttling is
//!    a rejection before processing and a refused connection never reached the server, so
//!    both are safe for every operation. Any other transient failure is retried only for
//!    `safe` and `idempotent` operations: a product registration that timed out may have
//!    created the product, so it is never re-sent, and its error says to check first.
//! 3. **Is there budget left?** A client-wide token bucket (AWS's standard retry mode) pays
//!    for retries and is refilled by successes, so a long outage does not become a retry
//!    storm: once it is empty, failures are returned at once.
//!
//! Delays grow exponentially with full jitter, and a `Retry-After` the server sent is
//! honoured up to a cap.

use std::hash::{BuildHasher, RandomState};
use std::sync::atomic::{AtomicU32, Ordering};
use std::time::Duration;

use crate::error::Error;
use crate::operation::RetrySafety;

/// How a client retries failed calls; see [`ClientBuilder::retry`](crate::ClientBuilder::retry)
/// and, per call, [`CallExt::retry`](crate::CallExt::retry).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RetryPolicy {
    /// Attempts in all, the first included (1 = never retry).
    pub max_attempts: u32,
    /// The delay before the first retry; it doubles with each further retry...
    pub initial_backoff: Duration,
    /// ...up to this.
    pub max_backoff: Duration,
    /// The longest `Retry-After` honoured; a longer one fails the call instead of waiting.
    pub max_retry_after: Duration,
    /// Whether delays are drawn at random between zero and the exponential delay (full
    /// jitter), so many clients do not retry in step.
    pub jitter: bool,
}

impl RetryPolicy {
    /// Three attempts, 1 s doubling up to 20 s with full jitter, `Retry-After` up to 60 s
    /// (AWS's standard mode). The default.
    pub fn standard() -> Self {
        Self {
            max_attempts: 3,
            initial_backoff: Duration::from_secs(1),
            max_backoff: Duration::from_secs(20),
            max_retry_after: Duration::from_secs(60),
            jitter: true,
        }
    }

    /// Never retry.
    pub fn none() -> Self {
        Self {
            max_attempts: 1,
            ..Self::standard()
        }
    }

    /// The delay before retry number `retry` (1 for the first retry), before `Retry-After`.
    pub fn backoff(&self, retry: u32) -> Duration {
        let exponential = self
            .initial_backoff
            .saturating_mul(1 << retry.saturating_sub(1).min(20))
            .min(self.max_backoff);
        if !self.jitter {
            return exponential;
        }
        // A fresh RandomState is randomly seeded: enough randomness to spread retries.
        let random = RandomState::new().hash_one(retry);
        let millis = exponential.as_millis().min(u128::from(u64::MAX)) as u64;
        Duration::from_millis(random % millis.saturating_add(1))
    }
}

impl Default for RetryPolicy {
    fn default() -> Self {
        Self::standard()
    }
}

/// Why a failed attempt may be sent again.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Retryable {
    /// The vendor refused the request before processing it.
    Throttled,
    /// The connection never opened: the server never saw the request.
    NotSent,
    /// Anything else transient (timeout, 5xx, a connection that broke): the server may have
    /// processed the request.
    MaybeProcessed,
}

impl Retryable {
    /// What a retry of this kind costs from the budget.
    fn cost(self) -> u32 {
        match self {
            Self::Throttled | Self::NotSent => RETRY_COST,
            Self::MaybeProcessed => TIMEOUT_COST,
        }
    }
}

/// Whether `error` from an operation with this retry safety may be sent again.
pub(crate) fn classify(error: &Error, safety: RetrySafety) -> Option<Retryable> {
    let kind = match error {
        Error::RateLimited { .. } => Retryable::Throttled,
        Error::Transport(e) if e.is_connect() => Retryable::NotSent,
        error if error.is_retryable() && !matches!(error, Error::Auth(_)) => {
            Retryable::MaybeProcessed
        }
        _ => return None,
    };
    let safe_to_resend = matches!(safety, RetrySafety::Safe | RetrySafety::Idempotent);
    (kind != Retryable::MaybeProcessed || safe_to_resend).then_some(kind)
}

/// Permits in a full budget, and what a retry takes from it (AWS's standard mode).
const BUDGET_CAPACITY: u32 = 500;
const RETRY_COST: u32 = 5;
const TIMEOUT_COST: u32 = 10;
/// A call that succeeds at once returns this many permits.
const SUCCESS_REFUND: u32 = 1;

/// The client-wide retry budget: a token bucket shared by every clone and `for_seller` client.
///
/// An atomic rather than a lock: every successful call deposits, so at 64 concurrent calls a
/// lock would be taken on every answer; a full budget (the usual state) is only read.
#[derive(Debug)]
pub struct RetryBudget {
    capacity: u32,
    available: AtomicU32,
}

impl RetryBudget {
    /// A full budget of `capacity` permits (a retry costs 5, one after a timeout or 5xx 10).
    pub fn new(capacity: u32) -> Self {
        Self {
            capacity,
            available: AtomicU32::new(capacity),
        }
    }

    /// Permits left.
    pub fn available(&self) -> u32 {
        self.available.load(Ordering::Relaxed)
    }

    /// Takes the cost of one retry; false when the budget cannot pay for it.
    pub(crate) fn withdraw(&self, kind: Retryable) -> bool {
        self.available
            .fetch_update(Ordering::Relaxed, Ordering::Relaxed, |available| {
                available.checked_sub(kind.cost())
            })
            .is_ok()
    }

    /// A call succeeded: it returns what its last retry cost, or a little when it needed none.
    pub(crate) fn deposit(&self, last_retry: Option<Retryable>) {
        let refund = last_retry.map_or(SUCCESS_REFUND, Retryable::cost);
        let capacity = self.capacity;
        // `fetch_update` gives up (without writing) when the budget is already full.
        let _ = self
            .available
            .fetch_update(Ordering::Relaxed, Ordering::Relaxed, |available| {
                (available < capacity).then(|| available.saturating_add(refund).min(capacity))
            });
    }
}

impl Default for RetryBudget {
    fn default() -> Self {
        Self::new(BUDGET_CAPACITY)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn throttled() -> Error {
        Error::RateLimited {
            status: 200,
            retry_after: None,
            api: None,
        }
    }

    fn server() -> Error {
        Error::Server {
            status: 503,
            snippet: String::new(),
            retry_after: None,
        }
    }

    #[test]
    fn throttling_is_retried_for_every_operation() {
        for safety in [
            RetrySafety::Safe,
            RetrySafety::Idempotent,
            RetrySafety::VerifyFirst,
            RetrySafety::Unsafe,
        ] {
            assert_eq!(classify(&throttled(), safety), Some(Retryable::Throttled));
        }
    }

    #[test]
    fn a_server_error_is_retried_only_where_resending_is_safe() {
        assert_eq!(
            classify(&server(), RetrySafety::Safe),
            Some(Retryable::MaybeProcessed)
        );
        assert_eq!(
            classify(&server(), RetrySafety::Idempotent),
            Some(Retryable::MaybeProcessed)
        );
        assert_eq!(classify(&server(), RetrySafety::VerifyFirst), None);
        assert_eq!(classify(&server(), RetrySafety::Unsafe), None);
    }

    #[test]
    fn backoff_doubles_up_to_the_cap() {
        let policy = RetryPolicy {
            jitter: false,
            ..RetryPolicy::standard()
        };
        let delays: Vec<u64> = (1..=7).map(|n| policy.backoff(n).as_secs()).collect();
        assert_eq!(delays, [1, 2, 4, 8, 16, 20, 20]);
        let jittered = RetryPolicy::standard();
        for n in 1..=7 {
            assert!(jittered.backoff(n) <= policy.backoff(n));
        }
    }

    #[test]
    fn the_budget_stops_retries_and_successes_refill_it() {
        let budget = RetryBudget::new(12);
        assert!(budget.withdraw(Retryable::Throttled));
        assert!(budget.withdraw(Retryable::Throttled));
        assert!(
            !budget.withdraw(Retryable::Throttled),
            "2 left, a retry costs 5"
        );
        budget.deposit(Some(Retryable::Throttled));
        assert_eq!(budget.available(), 7);
        budget.deposit(None);
        assert_eq!(budget.available(), 8);
        for _ in 0..10 {
            budget.deposit(Some(Retryable::MaybeProcessed));
        }
        assert_eq!(budget.available(), 12, "never above capacity");
    }
}
