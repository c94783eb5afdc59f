//! Time as the token cache sees it, replaceable in tests.

use std::fmt;
use std::future::{Future, poll_fn};
use std::pin::pin;
use std::task::Poll;
use std::time::{Duration, Instant, SystemTime};

use super::BoxFuture;

/// A source of time: monotonic for expiry in memory, wall-clock for tokens kept in a store,
/// and a timer for bounding how long getting a token may take.
pub trait Clock: Send + Sync + fmt::Debug {
    /// Monotonic now.
    fn now(&self) -> Instant;
    /// Wall-clock now.
    fn wall(&self) -> SystemTime;
    /// A future that completes once `duration` has passed on this clock, counted from this
    /// call (not from the first poll).
    ///
    /// The default waits on tokio's timer, which needs a tokio runtime with time enabled (as
    /// reqwest does). A clock that moves on its own terms, like [`ManualClock`], overrides it
    /// so that timeouts follow that clock.
    fn sleep(&self, duration: Duration) -> BoxFuture<'static, ()> {
        Box::pin(tokio::time::sleep(duration))
    }
}

/// The real clock.
#[derive(Debug, Clone, Copy, Default)]
pub struct SystemClock;

impl Clock for SystemClock {
    fn now(&self) -> Instant {
        Instant::now()
    }

    fn wall(&self) -> SystemTime {
        SystemTime::now()
    }

    fn sleep(&self, duration: Duration) -> BoxFuture<'static, ()> {
        Box::pin(tokio::time::sleep(duration))
    }
}

/// A clock that only moves when told to, for tests of expiry, refresh and timeouts.
///
/// Its [`sleep`](Clock::sleep) completes when [`advance`](ManualClock::advance) reaches the
/// deadline, so a test decides exactly when a timeout fires, without waiting.
#[derive(Debug)]
pub struct ManualClock {
    start: Instant,
    wall_start: SystemTime,
    /// How far the clock has been moved; a watch channel so that sleepers wake on `advance`.
    elapsed: tokio::sync::watch::Sender<Duration>,
}

impl ManualClock {
    /// A clock standing at the current time.
    pub fn new() -> Self {
        Self {
            start: Instant::now(),
            wall_start: SystemTime::now(),
            elapsed: tokio::sync::watch::Sender::new(Duration::ZERO),
        }
    }

    /// A clock whose wall time stands at `wall` (its monotonic time starts at the current
    /// instant), for tests that depend on the date, such as [`KstRange::last_days`].
    ///
    /// [`KstRange::last_days`]: crate::window::KstRange::last_days
    pub fn at(wall: SystemTime) -> Self {
        Self {
            wall_start: wall,
            ..Self::new()
        }
    }

    /// Moves the clock forward, completing every sleep whose deadline it reaches.
    pub fn advance(&self, by: Duration) {
        self.elapsed.send_modify(|elapsed| *elapsed += by);
    }

    /// How many sleeps on this clock have not finished yet (every sleep made and not yet
    /// dropped). A test that moves the clock while a call runs should move it only while
    /// something waits on it: moving it while a request is on the wire makes that request
    /// arrive "late" and bunch with the next one, which no real clock does.
    pub fn sleepers(&self) -> usize {
        self.elapsed.receiver_count()
    }

    fn elapsed(&self) -> Duration {
        *self.elapsed.borrow()
    }
}

impl Default for ManualClock {
    fn default() -> Self {
        Self::new()
    }
}

impl Clock for ManualClock {
    fn now(&self) -> Instant {
        self.start + self.elapsed()
    }

    fn wall(&self) -> SystemTime {
        self.wall_start + self.elapsed()
    }

    fn sleep(&self, duration: Duration) -> BoxFuture<'static, ()> {
        let mut elapsed = self.elapsed.subscribe();
        let deadline = *elapsed.borrow_and_update() + duration;
        Box::pin(async move {
            while *elapsed.borrow_and_update() < deadline {
                if elapsed.changed().await.is_err() {
                    // The clock is gone, so it can never reach the deadline.
                    std::future::pending::<()>().await;
                }
            }
        })
    }
}

/// Runs `work` until it finishes or `deadline` completes, whichever comes first; `None` when
/// the deadline won. `deadline` is borrowed so that several steps can share one budget.
pub(crate) async fn before<F: Future>(
    deadline: &mut BoxFuture<'static, ()>,
    work: F,
) -> Option<F::Output> {
    let mut work = pin!(work);
    poll_fn(|cx| {
        // The work goes first: an answer that is ready counts even if time is also up.
        if let Poll::Ready(output) = work.as_mut().poll(cx) {
            return Poll::Ready(Some(output));
        }
        deadline.as_mut().poll(cx).map(|()| None)
    })
    .await
}

#[cfg(test)]
mod tests {
    use std::task::{Context, Waker};

    use super::*;

    fn poll<F: Future + Unpin>(future: &mut F) -> Poll<F::Output> {
        std::pin::Pin::new(future).poll(&mut Context::from_waker(Waker::noop()))
    }

    #[test]
    fn a_manual_sleep_ends_when_the_clock_reaches_its_deadline() {
        let clock = ManualClock::new();
        let mut sleep = clock.sleep(Duration::from_secs(10));
        assert!(poll(&mut sleep).is_pending());
        clock.advance(Duration::from_secs(9));
        assert!(poll(&mut sleep).is_pending());
        clock.advance(Duration::from_secs(1));
        assert!(poll(&mut sleep).is_ready());
    }

    #[test]
    fn a_manual_sleep_counts_from_when_it_was_made() {
        let clock = ManualClock::new();
        let mut sleep = clock.sleep(Duration::from_secs(5));
        clock.advance(Duration::from_secs(5));
        // Never polled before the clock moved, yet its deadline has passed.
        assert!(poll(&mut sleep).is_ready());
        assert!(poll(&mut clock.sleep(Duration::ZERO)).is_ready());
    }

    #[test]
    fn work_that_outlasts_the_deadline_is_abandoned() {
        let clock = ManualClock::new();
        let mut deadline = clock.sleep(Duration::from_secs(3));
        let mut race = Box::pin(before(&mut deadline, std::future::pending::<u8>()));
        assert!(poll(&mut race).is_pending());
        clock.advance(Duration::from_secs(3));
        assert_eq!(poll(&mut race), Poll::Ready(None));
    }

    #[test]
    fn work_that_finishes_in_time_keeps_its_output() {
        let clock = ManualClock::new();
        let mut deadline = clock.sleep(Duration::from_secs(3));
        let mut race = Box::pin(before(&mut deadline, async { 7 }));
        assert_eq!(poll(&mut race), Poll::Ready(Some(7)));
    }
}
