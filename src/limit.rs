//! Client-side rate limits: never send a seller more requests than the vendor allows.
//!
//! The vendor counts per seller and class: reads 50/s, writes 30/s, product
//! registration/update 10/s (the spec's `x-toss-rate-limit`), and answers the excess with
//! `TOO_MANY_REQUEST`. The client takes a permit before every attempt (retries and the 401
//! replay included), keyed by seller and class and shared by every clone and every
//! `for_seller` client of that seller.
//!
//! [`LocalRateLimiter`] spaces each key's requests evenly: the k-th request of a key may go
//! at `max(now, previous + 1 s / quota)`. So any one-second window holds at most `quota`
//! requests, and a steady stream gets the whole quota. (A token bucket whose burst equals the
//! quota lets almost twice the quota through some one-second window: the trap the engineering
//! notes record for governor's default quota.) It is a few lines on the injected clock, so
//! tests drive it without real waiting. A limiter shared by many processes (Redis) plugs in
//! through the [`RateLimiter`] trait.

use std::collections::HashMap;
use std::fmt;
use std::hash::{BuildHasher, BuildHasherDefault, Hash, Hasher, RandomState};
use std::sync::{Arc, Mutex, OnceLock};
use std::time::{Duration, Instant};

use crate::auth::{BoxFuture, Clock};
use crate::operation::RateLimitClass;

/// Whose requests a limit counts: one seller (the hash of its access key, or of its fixed
/// token), never the secret itself.
///
/// It carries its own hash, computed once with a key random to the process, so the limiter
/// finds a seller on every request without hashing the text again.
#[derive(Clone)]
pub struct SellerKey {
    id: Arc<str>,
    hash: u64,
}

/// The process's random key for [`SellerKey`] hashes, so that no one can choose identities
/// that collide.
fn key_hasher() -> &'static RandomState {
    static HASHER: OnceLock<RandomState> = OnceLock::new();
    HASHER.get_or_init(RandomState::new)
}

impl SellerKey {
    /// A key from an identity that is not secret (use [`SellerKey::hashed`] for a secret).
    pub fn new(identity: impl Into<Arc<str>>) -> Self {
        let id: Arc<str> = identity.into();
        let hash = key_hasher().hash_one(&*id);
        Self { id, hash }
    }

    /// A key from the SHA-256 of `secret`, so the key itself reveals nothing.
    pub fn hashed(secret: &str) -> Self {
        use sha2::Digest;
        let digest = sha2::Sha256::digest(secret.as_bytes());
        let hex: String = digest[..12].iter().map(|b| format!("{b:02x}")).collect();
        Self::new(hex)
    }

    /// The key as text.
    pub fn as_str(&self) -> &str {
        &self.id
    }
}

impl PartialEq for SellerKey {
    fn eq(&self, other: &Self) -> bool {
        self.hash == other.hash && self.id == other.id
    }
}

impl Eq for SellerKey {}

impl PartialOrd for SellerKey {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for SellerKey {
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        self.id.cmp(&other.id)
    }
}

impl Hash for SellerKey {
    fn hash<H: Hasher>(&self, state: &mut H) {
        state.write_u64(self.hash);
    }
}

impl fmt::Debug for SellerKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "SellerKey({})", self.id)
    }
}

/// The hasher of the limiter's table: a [`SellerKey`] writes its own keyed hash, which is
/// used as it is. Anything else written is folded in (FNV-1a), so it stays a valid hasher.
#[derive(Default)]
struct PrehashedHasher(u64);

impl Hasher for PrehashedHasher {
    fn finish(&self) -> u64 {
        self.0
    }

    fn write(&mut self, bytes: &[u8]) {
        for byte in bytes {
            self.0 = (self.0 ^ u64::from(*byte)).wrapping_mul(0x0100_0000_01b3);
        }
    }

    fn write_u64(&mut self, hash: u64) {
        self.0 ^= hash;
    }
}

/// Requests per second per seller for each rate-limit class.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Quotas {
    /// Reads (`GET`).
    pub read: u32,
    /// Writes.
    pub write: u32,
    /// Product registration and update.
    pub product: u32,
}

impl Quotas {
    /// The vendor's documented limits: 50 reads, 30 writes, 10 product writes per second.
    pub const VENDOR: Self = Self {
        read: 50,
        write: 30,
        product: 10,
    };

    /// The quota of `class` (0 means no limit).
    pub fn of(&self, class: RateLimitClass) -> u32 {
        match class {
            RateLimitClass::Read => self.read,
            RateLimitClass::Write => self.write,
            RateLimitClass::Product => self.product,
        }
    }
}

/// How a client limits its own rate; see [`ClientBuilder::rate_limits`](crate::ClientBuilder::rate_limits).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
#[non_exhaustive]
pub enum RateLimits {
    /// No client-side limit: every request goes at once.
    Off,
    /// The vendor's documented limits ([`Quotas::VENDOR`]), the default.
    #[default]
    Vendor,
    /// Other limits per class, e.g. lower ones when several processes share a seller.
    Custom(Quotas),
}

impl RateLimits {
    /// The quotas in force, if any.
    pub fn quotas(&self) -> Option<Quotas> {
        match self {
            Self::Off => None,
            Self::Vendor => Some(Quotas::VENDOR),
            Self::Custom(quotas) => Some(*quotas),
        }
    }
}

/// Hands out permits to send: one per attempt. Implement it to share limits between
/// processes (e.g. in Redis); the client calls it before every request it sends.
pub trait RateLimiter: Send + Sync + fmt::Debug {
    /// Waits until `seller` may send one more request of `class`, and says how long it
    /// waited.
    fn acquire<'a>(
        &'a self,
        seller: &'a SellerKey,
        class: RateLimitClass,
    ) -> BoxFuture<'a, Duration>;

    /// Like [`acquire`](Self::acquire), but says so at once when the permit is free now, so
    /// the usual unthrottled request allocates no future. The client calls this one; a
    /// limiter that can tell without waiting should override it.
    fn reserve<'a>(&'a self, seller: &'a SellerKey, class: RateLimitClass) -> Reservation<'a> {
        Reservation::Wait(self.acquire(seller, class))
    }
}

/// A permit from [`RateLimiter::reserve`]: granted now, or a wait to await first.
#[must_use = "a reservation that must wait does nothing unless awaited"]
pub enum Reservation<'a> {
    /// The caller may send now; it waited for nothing.
    Now,
    /// The caller may send once this resolves, to how long it waited.
    Wait(BoxFuture<'a, Duration>),
}

impl fmt::Debug for Reservation<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::Now => "Reservation::Now",
            Self::Wait(_) => "Reservation::Wait",
        })
    }
}

/// Keys not used for this long are pruned, so 10,000 idle sellers cost nothing.
const IDLE: Duration = Duration::from_secs(60);
/// Pruning runs at most this often.
const PRUNE_EVERY: Duration = Duration::from_secs(30);

/// The in-process [`RateLimiter`]: even spacing per (seller, class), on an injected clock.
pub struct LocalRateLimiter {
    quotas: Quotas,
    clock: Arc<dyn Clock>,
    state: Mutex<Slots>,
}

/// How many rate-limit classes there are: one schedule slot each per seller.
const CLASSES: usize = 3;

struct Slots {
    /// The next free send time of each seller, per class (indexed by [`slot_of`]). One
    /// entry per seller rather than per (seller, class) keeps 10,000 sellers' state in a
    /// third of the hash-table slots.
    next: HashMap<SellerKey, [Option<Instant>; CLASSES], BuildHasherDefault<PrehashedHasher>>,
    last_prune: Instant,
}

impl fmt::Debug for LocalRateLimiter {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("LocalRateLimiter")
            .field("quotas", &self.quotas)
            .field("keys", &self.keys())
            .finish()
    }
}

impl LocalRateLimiter {
    /// A limiter with these quotas on this clock.
    pub fn new(quotas: Quotas, clock: Arc<dyn Clock>) -> Self {
        let now = clock.now();
        Self {
            quotas,
            clock,
            state: Mutex::new(Slots {
                next: HashMap::default(),
                last_prune: now,
            }),
        }
    }

    /// How many (seller, class) keys the limiter holds now.
    pub fn keys(&self) -> usize {
        self.slots()
            .next
            .values()
            .map(|classes| classes.iter().flatten().count())
            .sum()
    }

    /// Reserves the next send time of a key: when the caller may send.
    #[cfg(test)]
    fn reserve_at(&self, seller: &SellerKey, class: RateLimitClass) -> Option<Instant> {
        self.schedule(seller, class).map(|(at, _)| at)
    }

    /// Reserves the next send time of a key: when the caller may send, and the time it was
    /// reserved at.
    fn schedule(&self, seller: &SellerKey, class: RateLimitClass) -> Option<(Instant, Instant)> {
        let quota = self.quotas.of(class);
        if quota == 0 {
            return None;
        }
        // Rounded up: 30/s spaced by a truncated 33.333333 ms would fit 31 in one second.
        let spacing = Duration::from_nanos(1_000_000_000_u64.div_ceil(u64::from(quota)));
        let now = self.clock.now();
        let mut slots = self.slots();
        slots.prune(now);
        let take = |next: &mut Option<Instant>| {
            let at = next.map_or(now, |next| next.max(now));
            *next = Some(at + spacing);
            at
        };
        // A known seller (the usual case) is found without cloning its key.
        let at = match slots.next.get_mut(seller) {
            Some(classes) => take(&mut classes[slot_of(class)]),
            None => take(&mut slots.next.entry(seller.clone()).or_default()[slot_of(class)]),
        };
        Some((at, now))
    }

    // Only short, panic-free sections hold the lock, so a poisoned one is still consistent.
    fn slots(&self) -> std::sync::MutexGuard<'_, Slots> {
        self.state
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }
}

/// The schedule slot of `class` in a seller's entry; a new class fails to compile here
/// instead of indexing out of bounds.
const fn slot_of(class: RateLimitClass) -> usize {
    match class {
        RateLimitClass::Read => 0,
        RateLimitClass::Write => 1,
        RateLimitClass::Product => 2,
    }
}

impl Slots {
    fn prune(&mut self, now: Instant) {
        if now.duration_since(self.last_prune) < PRUNE_EVERY {
            return;
        }
        self.last_prune = now;
        let busy = |next: &Instant| next.checked_add(IDLE).is_none_or(|idle| idle > now);
        self.next
            .retain(|_, classes| classes.iter().flatten().any(busy));
    }
}

impl RateLimiter for LocalRateLimiter {
    fn acquire<'a>(
        &'a self,
        seller: &'a SellerKey,
        class: RateLimitClass,
    ) -> BoxFuture<'a, Duration> {
        match self.reserve(seller, class) {
            Reservation::Now => Box::pin(std::future::ready(Duration::ZERO)),
            Reservation::Wait(wait) => wait,
        }
    }

    fn reserve<'a>(&'a self, seller: &'a SellerKey, class: RateLimitClass) -> Reservation<'a> {
        let Some((at, reserved_at)) = self.schedule(seller, class) else {
            return Reservation::Now;
        };
        // A slot that was free when reserved needs no second look at the clock.
        if at <= reserved_at {
            return Reservation::Now;
        }
        Reservation::Wait(Box::pin(async move {
            let wait = at.saturating_duration_since(self.clock.now());
            if !wait.is_zero() {
                self.clock.sleep(wait).await;
            }
            wait
        }))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::auth::ManualClock;

    fn limiter(clock: &Arc<ManualClock>) -> LocalRateLimiter {
        LocalRateLimiter::new(Quotas::VENDOR, clock.clone())
    }

    #[test]
    fn reservations_are_spaced_by_the_quota() {
        let clock = Arc::new(ManualClock::new());
        let limiter = limiter(&clock);
        let seller = SellerKey::new("a");
        let start = clock.now();
        let slots: Vec<Duration> = (0..25)
            .map(|_| {
                limiter
                    .reserve_at(&seller, RateLimitClass::Product)
                    .expect("limited")
                    - start
            })
            .collect();
        for (k, slot) in slots.iter().enumerate() {
            assert_eq!(*slot, Duration::from_millis(100) * k as u32);
        }
        // Any one-second window holds at most 10 of them.
        for first in 0..slots.len() {
            let in_window = slots[first..]
                .iter()
                .take_while(|s| **s < slots[first] + Duration::from_secs(1))
                .count();
            assert!(in_window <= 10, "{in_window} in the window from {first}");
        }
    }

    #[test]
    fn keys_and_classes_are_independent() {
        let clock = Arc::new(ManualClock::new());
        let limiter = limiter(&clock);
        let (a, b) = (SellerKey::new("a"), SellerKey::new("b"));
        let now = clock.now();
        assert_eq!(limiter.reserve_at(&a, RateLimitClass::Product), Some(now));
        assert_eq!(limiter.reserve_at(&b, RateLimitClass::Product), Some(now));
        assert_eq!(limiter.reserve_at(&a, RateLimitClass::Read), Some(now));
        assert_eq!(
            limiter.reserve_at(&a, RateLimitClass::Product),
            Some(now + Duration::from_millis(100))
        );
    }

    #[test]
    fn an_idle_key_starts_afresh_and_is_pruned() {
        let clock = Arc::new(ManualClock::new());
        let limiter = limiter(&clock);
        let a = SellerKey::new("a");
        for _ in 0..10 {
            limiter.reserve_at(&a, RateLimitClass::Read);
        }
        clock.advance(Duration::from_secs(120));
        assert_eq!(
            limiter.reserve_at(&SellerKey::new("b"), RateLimitClass::Read),
            Some(clock.now())
        );
        assert_eq!(limiter.keys(), 1, "the idle key was pruned");
        assert_eq!(
            limiter.reserve_at(&a, RateLimitClass::Read),
            Some(clock.now())
        );
    }

    #[tokio::test]
    async fn a_free_permit_is_granted_without_a_wait_and_a_taken_one_waits() {
        let clock = Arc::new(ManualClock::new());
        let limiter = limiter(&clock);
        let seller = SellerKey::new("a");
        assert!(matches!(
            limiter.reserve(&seller, RateLimitClass::Product),
            Reservation::Now
        ));
        let Reservation::Wait(wait) = limiter.reserve(&seller, RateLimitClass::Product) else {
            panic!("the second product permit within 100 ms must wait");
        };
        // The wait sleeps on the manual clock, which moves only once the sleep is waiting.
        let (waited, ()) = tokio::join!(wait, async {
            while clock.sleepers() == 0 {
                tokio::task::yield_now().await;
            }
            clock.advance(Duration::from_millis(100));
        });
        assert_eq!(waited, Duration::from_millis(100));
        assert_eq!(
            limiter.acquire(&seller, RateLimitClass::Read).await,
            Duration::ZERO,
            "another class is free"
        );
    }

    #[test]
    fn a_zero_quota_means_no_limit() {
        let clock = Arc::new(ManualClock::new());
        let limiter = LocalRateLimiter::new(
            Quotas {
                read: 0,
                write: 30,
                product: 10,
            },
            clock,
        );
        assert_eq!(
            limiter.reserve_at(&SellerKey::new("a"), RateLimitClass::Read),
            None
        );
    }

    #[test]
    fn keys_compare_by_text_and_carry_one_hash_per_text() {
        let a = SellerKey::new("seller-a");
        let again = SellerKey::new(String::from("seller-a"));
        let b = SellerKey::new("seller-b");
        assert_eq!(a, again);
        assert_eq!(a.hash, again.hash);
        assert_ne!(a, b);
        assert!(a < b);
        let mut table: HashMap<SellerKey, u8, BuildHasherDefault<PrehashedHasher>> =
            HashMap::default();
        table.insert(a, 1);
        table.insert(b, 2);
        assert_eq!(table.get(&again), Some(&1));
        // Any other key type still hashes through the fallback.
        let mut hasher = PrehashedHasher::default();
        hasher.write(b"other");
        assert_ne!(hasher.finish(), 0);
    }

    #[test]
    fn hashed_keys_hide_the_secret() {
        let key = SellerKey::hashed("secret-token-value");
        assert!(!key.as_str().contains("secret"));
        assert_eq!(key, SellerKey::hashed("secret-token-value"));
        assert_eq!(key.as_str().len(), 24);
    }
}
