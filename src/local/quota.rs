//! The vendor's per-seller quotas, counted on the server's clock: within any one second a
//! seller may send at most the class's quota of requests; the next one gets
//! `TOO_MANY_REQUEST` in an HTTP 200 FAIL, as the live API answers.

use std::collections::{HashMap, VecDeque};
use std::time::{Duration, Instant};

use crate::limit::Quotas;
use crate::operation::RateLimitClass;

/// The window the vendor counts in.
const WINDOW: Duration = Duration::from_secs(1);

/// Recent requests per (seller, class), as a sliding one-second window.
#[derive(Debug, Default)]
pub(crate) struct QuotaCounter {
    recent: HashMap<(usize, RateLimitClass), VecDeque<Instant>>,
    /// How many requests were refused so far.
    refused: u64,
}

impl QuotaCounter {
    /// Counts a request of `seller` in `class` at `now`, unless it is over the quota; says
    /// whether it may go through. A refused request does not count.
    pub(crate) fn admit(
        &mut self,
        quotas: &Quotas,
        seller: usize,
        class: RateLimitClass,
        now: Instant,
    ) -> bool {
        let quota = quotas.of(class) as usize;
        if quota == 0 {
            return true;
        }
        let recent = self.recent.entry((seller, class)).or_default();
        while recent
            .front()
            .is_some_and(|&at| now.saturating_duration_since(at) >= WINDOW)
        {
            recent.pop_front();
        }
        if recent.len() >= quota {
            self.refused += 1;
            return false;
        }
        recent.push_back(now);
        true
    }

    /// How many requests were refused for being over a quota.
    pub(crate) fn refused(&self) -> u64 {
        self.refused
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_quota_plus_one_in_a_second_is_refused_and_a_second_later_admitted() {
        let quotas = Quotas {
            read: 3,
            write: 1,
            product: 1,
        };
        let mut counter = QuotaCounter::default();
        let start = Instant::now();
        for _ in 0..3 {
            assert!(counter.admit(&quotas, 0, RateLimitClass::Read, start));
        }
        assert!(!counter.admit(&quotas, 0, RateLimitClass::Read, start));
        assert_eq!(counter.refused(), 1);
        // Another seller and another class have their own counts.
        assert!(counter.admit(&quotas, 1, RateLimitClass::Read, start));
        assert!(counter.admit(&quotas, 0, RateLimitClass::Write, start));
        let later = start + WINDOW;
        assert!(counter.admit(&quotas, 0, RateLimitClass::Read, later));
    }

    #[test]
    fn a_zero_quota_means_no_limit() {
        let quotas = Quotas {
            read: 0,
            write: 0,
            product: 0,
        };
        let mut counter = QuotaCounter::default();
        let now = Instant::now();
        assert!((0..1000).all(|_| counter.admit(&quotas, 0, RateLimitClass::Read, now)));
    }
}
