//! A single-flight expiring cell: one value, loaded on demand, refreshed ahead of its expiry
//! and shared by every caller. It knows nothing about what the value is or how it is loaded;
//! the caller passes the loader, and decides elsewhere when not to load (back-off).
//!
//! What a caller gets depends on the time of the call:
//! - **fresh** (before `refresh_at`): the value.
//! - **due** (from `refresh_at` until `expires_at`): the value. A caller that finds nobody
//!   loading also runs the loader; the others do not wait for it. If that refresh fails, the
//!   value stays in use until `expires_at`.
//! - **missing or expired**: callers queue. The first runs the loader; the ones that queued
//!   while it ran take its result, the new value or its error, instead of loading again.
//!
//! A caller that gives up while loading (its future dropped) leaves the next in the queue to
//! load. [`ExpiringCell::invalidate`] drops a value only if it is still the one named, so a
//! burst of reports about one bad value drops it once.

use std::future::Future;
use std::sync::{Mutex, MutexGuard};
use std::time::Instant;

use super::clock::Clock;

/// A value with the time it should be refreshed and the time it must no longer be used.
#[derive(Debug, Clone)]
pub(crate) struct Expiring<T> {
    pub(crate) value: T,
    pub(crate) refresh_at: Instant,
    pub(crate) expires_at: Instant,
}

/// See the [module documentation](self).
pub(crate) struct ExpiringCell<T, E> {
    state: Mutex<State<T, E>>,
    /// Held by whoever runs the loader. Async, because it is held across the load.
    gate: tokio::sync::Mutex<()>,
}

struct State<T, E> {
    current: Option<Expiring<T>>,
    /// Loads finished so far: a queued caller compares it with what it saw before queueing to
    /// tell whether a load ended while it waited.
    finished: u64,
    /// The error of the last finished load, if it failed.
    failure: Option<E>,
}

enum Look<T> {
    Fresh(T),
    Due(T),
    /// No usable value, and how many loads had finished at that moment.
    Missing {
        finished: u64,
    },
}

impl<T: Clone, E: Clone> ExpiringCell<T, E> {
    /// An empty cell.
    pub(crate) fn new() -> Self {
        Self {
            state: Mutex::new(State {
                current: None,
                finished: 0,
                failure: None,
            }),
            gate: tokio::sync::Mutex::new(()),
        }
    }

    /// The value, loading it with `load` if it is missing, expired or due (see the module
    /// documentation for who loads and who waits). `load` gets the current value when it is
    /// due, `None` when there is none.
    pub(crate) async fn get_or_load<F, Fut>(&self, clock: &dyn Clock, load: F) -> Result<T, E>
    where
        F: FnOnce(Option<T>) -> Fut,
        Fut: Future<Output = Result<Expiring<T>, E>>,
    {
        let seen = match self.look(clock.now()) {
            Look::Fresh(value) => return Ok(value),
            Look::Due(value) => {
                // Someone holding the gate is already loading: keep using the value.
                let Ok(gate) = self.gate.try_lock() else {
                    return Ok(value);
                };
                return self.load_holding(gate, clock, load).await;
            }
            Look::Missing { finished } => finished,
        };
        let gate = self.gate.lock().await;
        if let Some(outcome) = self.outcome_since(seen, clock.now()) {
            return outcome;
        }
        self.load_holding(gate, clock, load).await
    }

    /// The value if it is fresh (not yet due for a refresh): what `get_or_load` would return
    /// at once, without a future.
    pub(crate) fn fresh(&self, now: Instant) -> Option<T> {
        match self.look(now) {
            Look::Fresh(value) => Some(value),
            Look::Due(_) | Look::Missing { .. } => None,
        }
    }

    /// Drops the value if it is still `value`; true if it did.
    pub(crate) fn invalidate(&self, value: &T) -> bool
    where
        T: PartialEq,
    {
        let mut state = self.state();
        let held = state.current.as_ref().is_some_and(|c| c.value == *value);
        if held {
            state.current = None;
        }
        held
    }

    /// Drops the value if `matches` says it is the one to drop; the dropped value, if any.
    pub(crate) fn invalidate_matching(&self, matches: impl FnOnce(&T) -> bool) -> Option<T> {
        let mut state = self.state();
        if !state.current.as_ref().is_some_and(|c| matches(&c.value)) {
            return None;
        }
        state.current.take().map(|c| c.value)
    }

    /// Whether the cell holds `value`, expired or not.
    pub(crate) fn holds(&self, value: &T) -> bool
    where
        T: PartialEq,
    {
        self.state()
            .current
            .as_ref()
            .is_some_and(|c| c.value == *value)
    }

    /// Whether the cell holds a value still usable at `now` (fresh or due, not expired).
    pub(crate) fn holds_usable(&self, now: Instant) -> bool {
        self.state()
            .current
            .as_ref()
            .is_some_and(|c| now < c.expires_at)
    }

    /// With the gate held: look again (the value may have changed since), then load.
    async fn load_holding<F, Fut>(
        &self,
        _gate: tokio::sync::MutexGuard<'_, ()>,
        clock: &dyn Clock,
        load: F,
    ) -> Result<T, E>
    where
        F: FnOnce(Option<T>) -> Fut,
        Fut: Future<Output = Result<Expiring<T>, E>>,
    {
        let current = match self.look(clock.now()) {
            Look::Fresh(value) => return Ok(value),
            Look::Due(value) => Some(value),
            Look::Missing { .. } => None,
        };
        let outcome = load(current).await;
        self.finish(outcome, clock.now())
    }

    /// Records a load's outcome. A failure still hands out a value that has not expired (a
    /// failed refresh), and is kept for the callers that queued behind the load.
    fn finish(&self, outcome: Result<Expiring<T>, E>, now: Instant) -> Result<T, E> {
        let mut state = self.state();
        state.finished = state.finished.wrapping_add(1);
        match outcome {
            Ok(loaded) => {
                state.failure = None;
                let value = loaded.value.clone();
                state.current = Some(loaded);
                Ok(value)
            }
            Err(error) => {
                state.failure = Some(error.clone());
                match state.current.as_ref().filter(|c| now < c.expires_at) {
                    Some(current) => Ok(current.value.clone()),
                    None => Err(error),
                }
            }
        }
    }

    /// After queueing: a usable value, or the error of a load that finished while we waited.
    fn outcome_since(&self, seen: u64, now: Instant) -> Option<Result<T, E>> {
        let state = self.state();
        if let Some(current) = state.current.as_ref().filter(|c| now < c.expires_at) {
            return Some(Ok(current.value.clone()));
        }
        let failure = state.failure.as_ref().filter(|_| state.finished != seen);
        failure.map(|error| Err(error.clone()))
    }

    fn look(&self, now: Instant) -> Look<T> {
        let state = self.state();
        match &state.current {
            Some(c) if now < c.refresh_at => Look::Fresh(c.value.clone()),
            Some(c) if now < c.expires_at => Look::Due(c.value.clone()),
            _ => Look::Missing {
                finished: state.finished,
            },
        }
    }

    // The state is only touched in short sections that cannot leave it half-updated, so a
    // lock poisoned by a panic elsewhere is still usable.
    fn state(&self) -> MutexGuard<'_, State<T, E>> {
        self.state
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }
}

#[cfg(test)]
mod tests {
    //! Futures are polled by hand with a no-op waker, so every interleaving is chosen by the
    //! test: no runtime, no sleeps, no scheduling luck.

    use std::pin::Pin;
    use std::sync::atomic::{AtomicUsize, Ordering};
    use std::task::{Context, Poll, Waker};
    use std::time::Duration;

    use super::*;
    use crate::auth::BoxFuture;
    use crate::auth::clock::ManualClock;

    type Outcome = Result<Expiring<&'static str>, &'static str>;

    fn poll<F: Future + ?Sized>(future: &mut Pin<Box<F>>) -> Poll<F::Output> {
        future
            .as_mut()
            .poll(&mut Context::from_waker(Waker::noop()))
    }

    /// The output of a future that must finish without waiting.
    fn ready<F: Future>(future: F) -> F::Output {
        match poll(&mut Box::pin(future)) {
            Poll::Ready(output) => output,
            Poll::Pending => panic!("the call waited"),
        }
    }

    /// `value`, due in `refresh_in` seconds and expiring in `expires_in` seconds.
    fn expiring(
        clock: &ManualClock,
        value: &'static str,
        refresh_in: u64,
        expires_in: u64,
    ) -> Outcome {
        let now = clock.now();
        Ok(Expiring {
            value,
            refresh_at: now + Duration::from_secs(refresh_in),
            expires_at: now + Duration::from_secs(expires_in),
        })
    }

    /// Counts loads and holds each one until the test releases it.
    struct Loader {
        calls: AtomicUsize,
        given: Mutex<Vec<Option<&'static str>>>,
        release: tokio::sync::Semaphore,
    }

    impl Loader {
        fn new() -> Self {
            Self {
                calls: AtomicUsize::new(0),
                given: Mutex::new(Vec::new()),
                release: tokio::sync::Semaphore::new(0),
            }
        }

        fn calls(&self) -> usize {
            self.calls.load(Ordering::SeqCst)
        }

        /// Lets one waiting (or future) load finish.
        fn release_one(&self) {
            self.release.add_permits(1);
        }

        fn load<'a>(
            &'a self,
            outcome: Outcome,
        ) -> impl FnOnce(Option<&'static str>) -> BoxFuture<'a, Outcome> + 'a {
            move |current| {
                self.calls.fetch_add(1, Ordering::SeqCst);
                self.given.lock().expect("not poisoned").push(current);
                Box::pin(async move {
                    self.release.acquire().await.expect("never closed").forget();
                    outcome
                })
            }
        }
    }

    type Cell = ExpiringCell<&'static str, &'static str>;

    /// A cell holding `v1`, due in 50 s, expiring in 100 s.
    fn seeded(clock: &ManualClock, loader: &Loader) -> Cell {
        let cell = Cell::new();
        loader.release_one();
        let seed = cell.get_or_load(clock, loader.load(expiring(clock, "v1", 50, 100)));
        assert_eq!(ready(seed), Ok("v1"));
        cell
    }

    #[test]
    fn concurrent_misses_share_one_load() {
        let (clock, loader, cell) = (ManualClock::new(), Loader::new(), Cell::new());
        let mut callers: Vec<_> = (0..8)
            .map(|_| {
                let load = loader.load(expiring(&clock, "v1", 50, 100));
                Box::pin(cell.get_or_load(&clock, load))
            })
            .collect();
        for caller in &mut callers {
            assert!(poll(caller).is_pending());
        }
        assert_eq!(loader.calls(), 1, "one load for every caller");

        loader.release_one();
        for caller in &mut callers {
            assert_eq!(poll(caller), Poll::Ready(Ok("v1")));
        }
        assert_eq!(loader.calls(), 1);
        assert_eq!(*loader.given.lock().expect("not poisoned"), [None]);
        let later = cell.get_or_load(&clock, loader.load(Err("unused")));
        assert_eq!(ready(later), Ok("v1"));
        assert_eq!(loader.calls(), 1, "a fresh value is not loaded again");
    }

    #[test]
    fn a_failed_load_is_shared_with_its_waiters_and_the_next_caller_tries_again() {
        let (clock, loader, cell) = (ManualClock::new(), Loader::new(), Cell::new());
        let mut first = Box::pin(cell.get_or_load(&clock, loader.load(Err("down"))));
        let mut queued = Box::pin(cell.get_or_load(&clock, loader.load(Err("other"))));
        assert!(poll(&mut first).is_pending());
        assert!(poll(&mut queued).is_pending());

        loader.release_one();
        assert_eq!(poll(&mut first), Poll::Ready(Err("down")));
        assert_eq!(poll(&mut queued), Poll::Ready(Err("down")), "reused");
        assert_eq!(loader.calls(), 1);

        loader.release_one();
        let next = cell.get_or_load(&clock, loader.load(expiring(&clock, "v1", 50, 100)));
        assert_eq!(ready(next), Ok("v1"));
        assert_eq!(loader.calls(), 2, "a caller after the failure loads again");
    }

    #[test]
    fn a_due_value_is_refreshed_by_one_caller_while_the_others_use_it() {
        let (clock, loader) = (ManualClock::new(), Loader::new());
        let cell = seeded(&clock, &loader);
        clock.advance(Duration::from_secs(60));

        let mut refresher =
            Box::pin(cell.get_or_load(&clock, loader.load(expiring(&clock, "v2", 50, 100))));
        assert!(poll(&mut refresher).is_pending());
        for _ in 0..3 {
            let other = cell.get_or_load(&clock, loader.load(Err("unused")));
            assert_eq!(ready(other), Ok("v1"), "not held up by the refresh");
        }
        assert_eq!(loader.calls(), 2, "one refresh");
        assert_eq!(
            *loader.given.lock().expect("not poisoned"),
            [None, Some("v1")]
        );

        loader.release_one();
        assert_eq!(poll(&mut refresher), Poll::Ready(Ok("v2")));
        let after = cell.get_or_load(&clock, loader.load(Err("unused")));
        assert_eq!(ready(after), Ok("v2"));
        assert_eq!(loader.calls(), 2);
    }

    #[test]
    fn a_failed_refresh_keeps_the_value_until_it_expires() {
        let (clock, loader) = (ManualClock::new(), Loader::new());
        let cell = seeded(&clock, &loader);
        clock.advance(Duration::from_secs(60));

        loader.release_one();
        let refresh = cell.get_or_load(&clock, loader.load(Err("down")));
        assert_eq!(ready(refresh), Ok("v1"), "the failed refresh keeps v1");
        assert_eq!(loader.calls(), 2);

        clock.advance(Duration::from_secs(39));
        loader.release_one();
        let last_second = cell.get_or_load(&clock, loader.load(Err("down")));
        assert_eq!(ready(last_second), Ok("v1"));

        clock.advance(Duration::from_secs(1));
        loader.release_one();
        let expired = cell.get_or_load(&clock, loader.load(Err("down")));
        assert_eq!(ready(expired), Err("down"), "never handed out at expiry");
        assert_eq!(loader.calls(), 4);
    }

    #[test]
    fn invalidate_drops_only_the_value_it_names() {
        let (clock, loader) = (ManualClock::new(), Loader::new());
        let cell = seeded(&clock, &loader);
        assert!(cell.holds(&"v1"));
        assert!(!cell.invalidate(&"v0"), "another value is left alone");
        assert!(cell.holds(&"v1"));

        assert!(cell.invalidate(&"v1"));
        assert!(!cell.invalidate(&"v1"), "a second report drops nothing");
        assert!(!cell.holds(&"v1"));

        loader.release_one();
        let next = cell.get_or_load(&clock, loader.load(expiring(&clock, "v2", 50, 100)));
        assert_eq!(ready(next), Ok("v2"));
        assert!(
            !cell.invalidate(&"v1"),
            "a late report spares the new value"
        );
        assert!(cell.holds(&"v2"));
        assert_eq!(loader.calls(), 2);
    }

    #[test]
    fn a_cancelled_load_leaves_the_next_waiter_to_load() {
        let (clock, loader, cell) = (ManualClock::new(), Loader::new(), Cell::new());
        let mut first = Box::pin(cell.get_or_load(&clock, loader.load(Err("unused"))));
        let mut queued =
            Box::pin(cell.get_or_load(&clock, loader.load(expiring(&clock, "v1", 50, 100))));
        assert!(poll(&mut first).is_pending());
        assert!(poll(&mut queued).is_pending());

        drop(first);
        assert!(poll(&mut queued).is_pending(), "now loading itself");
        assert_eq!(loader.calls(), 2);
        loader.release_one();
        assert_eq!(poll(&mut queued), Poll::Ready(Ok("v1")));
    }
}
