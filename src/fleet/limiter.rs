//! [`RedisRateLimiter`]: one quota per seller and class for the whole fleet, decided in Redis,
//! with this process's own [`LocalRateLimiter`] standing in while Redis is unreachable.
//!
//! The limiter keeps no per-seller state in memory: a permit is one script call on the
//! seller's key (see the `gcra` module), so 10,000 sellers cost 10,000 small Redis keys
//! that expire within one spacing of their last permit, and nothing here. Only the fallback
//! remembers sellers, and only those used during an outage (it prunes idle ones).

use std::fmt;
use std::sync::{Arc, Mutex, PoisonError};
use std::time::{Duration, Instant};

use super::gcra::{Gcra, spacing};
use super::{RedisFault, RedisLink};
use crate::auth::{BoxFuture, Clock};
use crate::limit::{LocalRateLimiter, Quotas, RateLimiter, SellerKey};
use crate::operation::RateLimitClass;

/// During an outage, Redis is asked again at most this often (by one caller at a time), so
/// a Redis that hangs costs one timeout per interval, not one per request.
const PROBE_EVERY: Duration = Duration::from_millis(500);

/// The default [`RedisRateLimiter::margin`]: a quota's permits are spread over 1.025 s, not
/// 1 s. Requests do not reach the vendor exactly at their slots (a process woken a few
/// milliseconds late, a slower connection), and with no margin one early request after a late
/// one puts `quota + 1` into some second. 25 ms costs 2.4 % of the throughput; the fleet test
/// saw no second over the quota at the server with it.
pub const DEFAULT_RATE_MARGIN: Duration = Duration::from_millis(25);

/// A permit the fleet's shared schedule granted.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SharedPermit {
    /// The slot Redis gave it: when it may be used, on Redis's clock (`TIME`), since the
    /// Unix epoch.
    pub granted_at: Duration,
    /// How long the caller was told to wait for it.
    pub waited: Duration,
}

/// A [`RateLimiter`] shared by every process of a fleet through Redis.
///
/// Each (seller, class) has one schedule in Redis, spacing permits `1 s / quota` apart on
/// Redis's clock, so the fleet as a whole never sends more than the quota in any sliding
/// second. One script call reserves the caller's slot; a caller whose slot lies ahead sleeps
/// on the injected [`Clock`] until it. The permits of one second are spread over a little
/// more than a second (see [`margin`](Self::margin)), so requests that reach the vendor a
/// little late or early against their slots still stay within its quota.
///
/// **Redis faults.** By default a fault (unreachable, slower than
/// [`RedisOptions::timeout`](super::RedisOptions::timeout), an error reply) falls back to a
/// [`LocalRateLimiter`] in this process, and Redis is asked again every half second until it
/// answers; the link logs one warning per outage. During an outage each process counts alone,
/// so a fleet of N processes may send up to N times the quota; [`outage_share`] divides the
/// local quota by N to stay within it at the price of throughput.
///
/// **Strict mode** ([`RedisOptions::strict`](super::RedisOptions::strict)) fails closed: no
/// request goes without a permit from Redis. Since [`RateLimiter::acquire`] cannot fail, a
/// strict limiter *waits* while Redis is down, asking again every half second, and the
/// request goes once Redis answers. Bound such waits with the caller's own timeout, or use
/// [`try_acquire`](Self::try_acquire), which reports the fault instead.
///
/// [`outage_share`]: Self::outage_share
pub struct RedisRateLimiter {
    link: RedisLink,
    quotas: Quotas,
    clock: Arc<dyn Clock>,
    gcra: Gcra,
    margin: Duration,
    fallback: LocalRateLimiter,
    /// During an outage: when Redis may be asked again.
    next_probe: Mutex<Option<Instant>>,
}

impl fmt::Debug for RedisRateLimiter {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("RedisRateLimiter")
            .field("link", &self.link)
            .field("quotas", &self.quotas)
            .field("margin", &self.margin)
            .field("fallback", &self.fallback)
            .finish_non_exhaustive()
    }
}

impl RedisRateLimiter {
    /// A limiter with these per-seller quotas (for the whole fleet) through `link`, sleeping
    /// on `clock`. During an outage the fallback allows the same quotas in this process.
    pub fn new(link: RedisLink, quotas: Quotas, clock: Arc<dyn Clock>) -> Self {
        Self {
            gcra: Gcra::new(),
            margin: DEFAULT_RATE_MARGIN,
            fallback: LocalRateLimiter::new(quotas, clock.clone()),
            next_probe: Mutex::new(None),
            link,
            quotas,
            clock,
        }
    }

    /// During an outage, lets this process send only `1 / processes` of each quota (at least
    /// one per second), so a fleet of `processes` stays within the quota while it cannot
    /// share. Zero counts as one.
    pub fn outage_share(mut self, processes: u32) -> Self {
        let share = |quota: u32| match quota {
            0 => 0,
            quota => (quota / processes.max(1)).max(1),
        };
        let quotas = Quotas {
            read: share(self.quotas.read),
            write: share(self.quotas.write),
            product: share(self.quotas.product),
        };
        self.fallback = LocalRateLimiter::new(quotas, self.clock.clone());
        self
    }

    /// Spreads each quota over `1 s + margin` instead of one second (default
    /// [`DEFAULT_RATE_MARGIN`], 25 ms): a request may then reach the vendor up to `margin` later,
    /// against its slot, than the request `quota` slots after it, without a second at the
    /// vendor holding more than the quota. Raise it when the fleet's hosts are far from the
    /// vendor or heavily loaded; zero gives the whole quota and trusts the timing.
    pub fn margin(mut self, margin: Duration) -> Self {
        self.margin = margin;
        self
    }

    /// The fleet-wide quotas.
    pub fn quotas(&self) -> Quotas {
        self.quotas
    }

    /// How many (seller, class) keys the fallback holds: the limiter's only per-seller memory.
    pub fn local_keys(&self) -> usize {
        self.fallback.keys()
    }

    /// Takes a permit from Redis only: reserves the next shared slot and waits for it on
    /// the clock, or reports the fault. Returns `Ok(None)` for a class without a limit.
    /// Strict callers that would rather refuse a request than wait out an outage use this.
    pub async fn try_acquire(
        &self,
        seller: &SellerKey,
        class: RateLimitClass,
    ) -> Result<Option<SharedPermit>, RedisFault> {
        let quota = self.quotas.of(class);
        if quota == 0 {
            return Ok(None);
        }
        let key = self.link.keys().rate(seller.as_str(), class);
        let slot = self
            .gcra
            .reserve(&self.link, &key, spacing(quota, self.margin))
            .await?;
        if !slot.wait.is_zero() {
            self.clock.sleep(slot.wait).await;
        }
        Ok(Some(SharedPermit {
            granted_at: slot.at,
            waited: slot.wait,
        }))
    }

    /// The trait's permit: shared when Redis answers, local (or, strict, waiting) when not.
    async fn permit(&self, seller: &SellerKey, class: RateLimitClass) -> Duration {
        let start = self.clock.now();
        loop {
            if self.may_ask_redis() {
                match self.try_acquire(seller, class).await {
                    Ok(_) => {
                        self.redis_answered();
                        break;
                    }
                    Err(_) => self.redis_failed(),
                }
            }
            if !self.link.is_strict() {
                self.fallback.acquire(seller, class).await;
                break;
            }
            self.clock.sleep(PROBE_EVERY).await;
        }
        self.clock.now().saturating_duration_since(start)
    }

    /// Outside an outage, always; during one, only the first caller after each interval.
    fn may_ask_redis(&self) -> bool {
        let now = self.clock.now();
        let mut next = self
            .next_probe
            .lock()
            .unwrap_or_else(PoisonError::into_inner);
        match *next {
            None => true,
            Some(at) if now >= at => {
                *next = Some(now + PROBE_EVERY);
                true
            }
            Some(_) => false,
        }
    }

    fn redis_answered(&self) {
        *self
            .next_probe
            .lock()
            .unwrap_or_else(PoisonError::into_inner) = None;
    }

    fn redis_failed(&self) {
        let next = self.clock.now() + PROBE_EVERY;
        *self
            .next_probe
            .lock()
            .unwrap_or_else(PoisonError::into_inner) = Some(next);
    }
}

impl RateLimiter for RedisRateLimiter {
    fn acquire<'a>(
        &'a self,
        seller: &'a SellerKey,
        class: RateLimitClass,
    ) -> BoxFuture<'a, Duration> {
        Box::pin(self.permit(seller, class))
    }
}
