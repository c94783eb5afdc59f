//! Date windows: reading a long date range (the last 90 days, a quarter) from lists that
//! accept only a short one.
//!
//! The order, claim and settlement lists take a window of whole days in Korean time (KST,
//! UTC+9), at most 31 days for orders and settlements and 7 for claims. Their builders have
//! `.windows(range)`, which splits a [`KstRange`] into such windows, sends them one after the
//! other, in order, and streams every item, with the rows that two adjacent windows both
//! return coming out once:
//!
//! ```no_run
//! # async fn run(client: toss_shopping::Client) -> Result<(), Box<dyn std::error::Error>> {
//! use futures_util::TryStreamExt;
//! use toss_shopping::auth::SystemClock;
//! use toss_shopping::window::KstRange;
//!
//! // The last 90 days up to today in Korea, whatever the machine's time zone.
//! let range = KstRange::last_days(90, &SystemClock)?;
//! let mut rows = client.list_order_products().limit(50).windows(range);
//! while let Some(row) = rows.try_next().await? {
//!     println!("{:?}", row.order_product_id);
//! }
//! # Ok(()) }
//! ```
//!
//! The pieces are usable on their own: [`KstRange::windows`] splits a range, and
//! [`BoundaryDedup`] drops repeated rows for callers who send the windows themselves.
//!
//! Each window is read to its end through the operation's pagination stream (`.stream()`),
//! which follows the cursor and sends the window's filters again with every page.
//!
//! # Korean calendar dates
//!
//! The API's query dates are `yyyy-MM-dd` days of the Korean calendar. "Today" is read from a
//! [`Clock`]'s wall time and turned into a Korean date with the fixed UTC+9 offset; the
//! machine's time zone is never consulted. Between 00:00 and 09:00 KST the UTC date (and the
//! date in most other zones) is still the day before: at 2026-07-10T15:30Z it is already
//! 11 July in Korea.
//!
//! # Why adjacent windows share their boundary date
//!
//! The vendor does not document whether a window's last day (`endDate`, `toRequestDate`,
//! `toDate`) is included. Starting each window on the previous window's last day is right
//! either way: if the last day is included, the rows of the shared date come twice and the
//! second copy is dropped; if it is not, nothing is missed, where windows that merely touched
//! would lose the last day of each. The range's own last day is sent as the last window's
//! end, as a single call would send it.
//!
//! # Window length
//!
//! The reference reads "`endDate` at most 31 days after `startDate`". A window here spans at
//! most `max_days` calendar dates (its last date at most `max_days - 1` days after its
//! first), which is inside the limit whether the vendor counts the days or the dates. With
//! `max_days` 1 every window is a single date and no two share one.
//!
//! # Dropping repeated rows, in bounded memory
//!
//! Each date lies in at most two windows, and those two are adjacent, so a row can only come
//! twice from two consecutive windows; a key needs to be remembered for one window after the
//! one that returned it, never for the whole export. The rows worth remembering are those of
//! the shared date, but a row does not say which of its dates the window filters on (for
//! orders the reference says it is not documented whether it is the order or the payment
//! date; for settlements the caller chooses it with `dateCondition`). So [`BoundaryDedup`]
//! keeps the keys of the previous window and of the current one and forgets everything
//! older: memory is bounded by two windows' rows, whatever the length of the range.
//!
//! A row is keyed by the spec's `x-toss-window.item-id` (`orderProductId`, the claim's `id`);
//! a row without that id, and every settlement line (which has no key of its own), is keyed
//! by a SHA-256 digest of its whole content ([`RowKey`]). Rows are only ever dropped across
//! two windows, never within one, so two identical settlement lines of one window both come
//! out.

use std::collections::HashSet;
use std::fmt;
use std::hash::Hash;
use std::iter::FusedIterator;
use std::num::NonZeroU32;
use std::pin::Pin;
use std::task::{Context, Poll};
use std::time::{SystemTime, UNIX_EPOCH};

use chrono::{DateTime, Days, NaiveDate, TimeDelta, Utc};
use futures_util::stream::{self, BoxStream, Stream, StreamExt};
use serde::Serialize;
use sha2::{Digest, Sha256};

use crate::Error;
use crate::auth::Clock;
use crate::operation::DateWindow;
use crate::time::KST;

/// An inclusive range of Korean calendar dates, e.g. the last 90 days.
///
/// The first date is never after the last.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct KstRange {
    first: NaiveDate,
    last: NaiveDate,
}

impl KstRange {
    /// The dates from `first` to `last`, both included.
    pub fn new(first: NaiveDate, last: NaiveDate) -> Result<Self, RangeError> {
        if first > last {
            return Err(RangeError::Reversed { first, last });
        }
        Ok(Self { first, last })
    }

    /// The `days` dates ending with `last`: `last_days_until(7, d)` is `d - 6 ..= d`.
    pub fn last_days_until(days: u32, last: NaiveDate) -> Result<Self, RangeError> {
        let back = days.checked_sub(1).ok_or(RangeError::NoDays)?;
        let first = last
            .checked_sub_days(Days::new(back.into()))
            .ok_or(RangeError::OutOfRange)?;
        Ok(Self { first, last })
    }

    /// The last `days` dates up to and including today in Korea, today being read from the
    /// clock's wall time (never from the machine's time zone).
    ///
    /// Pass [`SystemClock`](crate::auth::SystemClock) for the real time, or
    /// [`ManualClock::at`](crate::auth::ManualClock::at) in tests.
    pub fn last_days(days: u32, clock: &dyn Clock) -> Result<Self, RangeError> {
        Self::last_days_until(days, kst_date(clock.wall())?)
    }

    /// The first date.
    pub fn first(&self) -> NaiveDate {
        self.first
    }

    /// The last date (included).
    pub fn last(&self) -> NaiveDate {
        self.last
    }

    /// How many dates the range holds (at least 1).
    pub fn days(&self) -> u64 {
        (self.last - self.first).num_days().unsigned_abs() + 1
    }

    /// Splits the range into consecutive windows of at most `max_days` dates, in order and
    /// without gaps; each window starts on the previous window's last date (see the
    /// [module documentation](self) for why), except when `max_days` is 1.
    pub fn windows(&self, max_days: NonZeroU32) -> Windows {
        Windows {
            next_first: Some(self.first),
            last: self.last,
            span: u64::from(max_days.get() - 1),
        }
    }
}

/// The Korean calendar date at a wall-clock instant.
fn kst_date(wall: SystemTime) -> Result<NaiveDate, RangeError> {
    let utc: Option<DateTime<Utc>> = match wall.duration_since(UNIX_EPOCH) {
        Ok(after) => TimeDelta::from_std(after)
            .ok()
            .and_then(|after| DateTime::UNIX_EPOCH.checked_add_signed(after)),
        Err(before) => TimeDelta::from_std(before.duration())
            .ok()
            .and_then(|before| DateTime::UNIX_EPOCH.checked_sub_signed(before)),
    };
    utc.map(|instant| instant.with_timezone(&KST).date_naive())
        .ok_or(RangeError::OutOfRange)
}

/// Why a [`KstRange`] could not be made.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum RangeError {
    /// The first date is after the last.
    #[error("a date range cannot end ({last}) before it starts ({first})")]
    Reversed {
        /// The first date asked for.
        first: NaiveDate,
        /// The last date asked for.
        last: NaiveDate,
    },
    /// A range of zero days was asked for.
    #[error("a date range needs at least one day")]
    NoDays,
    /// The date or the clock's time is outside the calendar chrono can represent.
    #[error("the date is outside the supported calendar")]
    OutOfRange,
}

/// The windows of a [`KstRange`], in order: see [`KstRange::windows`].
#[derive(Debug, Clone)]
pub struct Windows {
    /// The first date of the next window; `None` once the range's last date was reached.
    next_first: Option<NaiveDate>,
    /// The range's last date.
    last: NaiveDate,
    /// Days from a window's first date to its last (`max_days - 1`).
    span: u64,
}

impl Iterator for Windows {
    type Item = KstRange;

    fn next(&mut self) -> Option<KstRange> {
        let first = self.next_first.take()?;
        let last = match first.checked_add_days(Days::new(self.span)) {
            Some(end) if end < self.last => end,
            _ => self.last,
        };
        if last < self.last {
            // The next window starts on this one's last date; a one-date window cannot
            // share its date, or the walk would not move.
            self.next_first = if self.span == 0 {
                last.succ_opt()
            } else {
                Some(last)
            };
        }
        Some(KstRange { first, last })
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        let count = self.next_first.map_or(0, |first| {
            let dates = (self.last - first).num_days().unsigned_abs() + 1;
            let width = self.span + 1;
            // After the first window, each one adds `span` new dates (one when `span` is 0).
            let step = self.span.max(1);
            1 + dates.saturating_sub(width).div_ceil(step)
        });
        let count = usize::try_from(count).ok();
        (count.unwrap_or(usize::MAX), count)
    }
}

impl ExactSizeIterator for Windows {}

impl FusedIterator for Windows {}

/// What identifies a row when dropping the rows two adjacent windows both return.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum RowKey {
    /// The row's id (the spec's `x-toss-window.item-id`).
    Id(i64),
    /// A SHA-256 digest of the row's JSON, for rows without an id of their own.
    Content([u8; 32]),
}

impl RowKey {
    /// The id when the row has one, otherwise its content.
    pub fn of_id_or_row<T: Serialize>(id: Option<i64>, row: &T) -> Option<Self> {
        match id {
            Some(id) => Some(Self::Id(id)),
            None => Self::of_row(row),
        }
    }

    /// The digest of the row's whole content as JSON; `None` if it cannot be written as JSON
    /// (then the row is never dropped).
    pub fn of_row<T: Serialize>(row: &T) -> Option<Self> {
        let mut digest = Sha256::new();
        serde_json::to_writer(&mut digest, row).ok()?;
        Some(Self::Content(digest.finalize().into()))
    }
}

/// Drops a row that the previous window already returned, remembering the keys of the
/// previous and the current window only (see the [module documentation](self)).
///
/// ```
/// use toss_shopping::window::BoundaryDedup;
///
/// let mut dedup = BoundaryDedup::new();
/// dedup.start_window();
/// assert!(dedup.keep(1) && dedup.keep(2));
/// dedup.start_window();
/// assert!(!dedup.keep(2)); // also returned by the previous window
/// assert!(dedup.keep(3));
/// dedup.start_window();
/// assert!(dedup.keep(1)); // two windows back: forgotten (and never repeated that far)
/// ```
#[derive(Debug, Clone)]
pub struct BoundaryDedup<K> {
    previous: HashSet<K>,
    current: HashSet<K>,
}

impl<K: Eq + Hash> BoundaryDedup<K> {
    /// Remembers nothing yet.
    pub fn new() -> Self {
        Self {
            previous: HashSet::new(),
            current: HashSet::new(),
        }
    }

    /// Call before the rows of each window: the window just finished becomes the previous
    /// one, and the keys of the one before it are forgotten.
    pub fn start_window(&mut self) {
        std::mem::swap(&mut self.previous, &mut self.current);
        self.current.clear();
    }

    /// Whether to keep a row of the current window: `false` when the previous window
    /// returned a row with the same key.
    pub fn keep(&mut self, key: K) -> bool {
        let repeated = self.previous.contains(&key);
        self.current.insert(key);
        !repeated
    }

    /// How many keys are remembered: those of the previous and the current window.
    pub fn remembered(&self) -> usize {
        self.previous.len() + self.current.len()
    }
}

impl<K: Eq + Hash> Default for BoundaryDedup<K> {
    fn default() -> Self {
        Self::new()
    }
}

/// A boxed stream of a list's items, or the error that ended it.
pub type ItemStream<'a, T> = BoxStream<'a, Result<T, Error>>;

/// A list request that takes a date window: implemented by the generated builders of the
/// windowed lists (`list_order_products`, `list_claims`, `list_settlement_steps`), from the
/// spec's `x-toss-window`.
pub trait WindowedRequest<'a>: Clone + Send + 'a {
    /// One row of the list.
    type Item: Send + 'a;

    /// Where the list takes its window; the same as the operation's
    /// [`OperationMeta::window`](crate::OperationMeta::window).
    const DATE_WINDOW: DateWindow;

    /// The request for one window: its first and last date set through the builder's own
    /// setters.
    fn with_window(self, window: KstRange) -> Self;

    /// The items of the window this request was set to.
    ///
    /// Every page of it, through the operation's pagination stream.
    fn window_items(self) -> ItemStream<'a, Self::Item>;

    /// What identifies a row across two windows; `None` keeps the row in any case.
    fn row_key(item: &Self::Item) -> Option<RowKey>;
}

/// Streams the items of every window of `range` for `request`, in order, dropping the rows
/// that two adjacent windows both return. The generated `.windows(range)` of each windowed
/// builder calls this.
///
/// Windows are sent one after the other, each once the previous one's items are read; every
/// filter set on `request` goes with each window, whose dates replace any set on it. The
/// first error is the stream's last item: a later window must not hide a gap.
pub fn stream_items<'a, R: WindowedRequest<'a>>(
    request: R,
    range: KstRange,
) -> WindowStream<'a, R::Item> {
    // The build refuses `max-days` below 1, so the fallback is never taken.
    let max_days = NonZeroU32::new(R::DATE_WINDOW.max_days).unwrap_or(NonZeroU32::MIN);
    let walk = Walk {
        request,
        windows: range.windows(max_days),
        current: None,
        dedup: BoundaryDedup::new(),
        failed: false,
    };
    WindowStream {
        inner: stream::unfold(walk, Walk::next).boxed(),
    }
}

/// The state of [`stream_items`] between items.
struct Walk<'a, R: WindowedRequest<'a>> {
    request: R,
    windows: Windows,
    /// The items of the window being read.
    current: Option<ItemStream<'a, R::Item>>,
    dedup: BoundaryDedup<RowKey>,
    failed: bool,
}

impl<'a, R: WindowedRequest<'a>> Walk<'a, R> {
    async fn next(mut self) -> Option<(Result<R::Item, Error>, Self)> {
        loop {
            if self.failed {
                return None;
            }
            if let Some(items) = self.current.as_mut() {
                match items.next().await {
                    Some(Ok(item)) => {
                        let keep = R::row_key(&item).is_none_or(|key| self.dedup.keep(key));
                        if keep {
                            return Some((Ok(item), self));
                        }
                        continue;
                    }
                    Some(Err(error)) => {
                        self.failed = true;
                        self.current = None;
                        return Some((Err(error), self));
                    }
                    None => self.current = None,
                }
            }
            let window = self.windows.next()?;
            tracing::debug!(
                from = R::DATE_WINDOW.from,
                first = %window.first(),
                last = %window.last(),
                "toss-shopping: requesting a date window"
            );
            self.dedup.start_window();
            self.current = Some(self.request.clone().with_window(window).window_items());
        }
    }
}

/// The items of every window of a range, in order, each row once: see [`stream_items`].
#[must_use = "streams do nothing unless polled"]
pub struct WindowStream<'a, T> {
    inner: ItemStream<'a, T>,
}

impl<T> Stream for WindowStream<'_, T> {
    type Item = Result<T, Error>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        self.inner.poll_next_unpin(cx)
    }
}

impl<T> fmt::Debug for WindowStream<'_, T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("WindowStream")
    }
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use proptest::prelude::*;

    use super::*;
    use crate::auth::ManualClock;

    fn date(year: i32, month: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(year, month, day).expect("valid date")
    }

    fn days(max: u32) -> NonZeroU32 {
        NonZeroU32::new(max).expect("not zero")
    }

    /// The windows as `(first, last)` pairs.
    fn split(first: NaiveDate, last: NaiveDate, max: u32) -> Vec<(NaiveDate, NaiveDate)> {
        let range = KstRange::new(first, last).expect("ordered");
        let windows = range.windows(days(max));
        let expected_len = windows.len();
        let all: Vec<_> = windows.map(|w| (w.first(), w.last())).collect();
        assert_eq!(all.len(), expected_len, "size_hint is exact");
        all
    }

    /// A manual clock standing at an RFC 3339 instant.
    fn at(instant: &str) -> ManualClock {
        let instant = DateTime::parse_from_rfc3339(instant).expect("RFC 3339");
        ManualClock::at(SystemTime::from(instant.with_timezone(&Utc)))
    }

    #[test]
    fn a_range_shorter_than_the_maximum_is_one_window() {
        assert_eq!(
            split(date(2026, 7, 1), date(2026, 7, 5), 31),
            [(date(2026, 7, 1), date(2026, 7, 5))]
        );
        let one_day = date(2026, 7, 9);
        assert_eq!(split(one_day, one_day, 7), [(one_day, one_day)]);
    }

    #[test]
    fn a_range_of_exactly_the_maximum_is_one_window() {
        assert_eq!(
            split(date(2026, 7, 1), date(2026, 7, 31), 31),
            [(date(2026, 7, 1), date(2026, 7, 31))]
        );
        assert_eq!(
            split(date(2026, 7, 1), date(2026, 7, 7), 7),
            [(date(2026, 7, 1), date(2026, 7, 7))]
        );
    }

    #[test]
    fn a_longer_range_is_split_with_shared_boundary_dates() {
        // One date more than the maximum: a second window of two dates.
        assert_eq!(
            split(date(2026, 7, 1), date(2026, 8, 1), 31),
            [
                (date(2026, 7, 1), date(2026, 7, 31)),
                (date(2026, 7, 31), date(2026, 8, 1)),
            ]
        );
        // Claims: 20 days in windows of 7 dates.
        assert_eq!(
            split(date(2026, 7, 1), date(2026, 7, 20), 7),
            [
                (date(2026, 7, 1), date(2026, 7, 7)),
                (date(2026, 7, 7), date(2026, 7, 13)),
                (date(2026, 7, 13), date(2026, 7, 19)),
                (date(2026, 7, 19), date(2026, 7, 20)),
            ]
        );
    }

    #[test]
    fn windows_cross_month_and_year_ends() {
        assert_eq!(
            split(date(2026, 1, 20), date(2026, 3, 5), 31),
            [
                (date(2026, 1, 20), date(2026, 2, 19)),
                (date(2026, 2, 19), date(2026, 3, 5)),
            ]
        );
        assert_eq!(
            split(date(2026, 12, 28), date(2027, 1, 8), 7),
            [
                (date(2026, 12, 28), date(2027, 1, 3)),
                (date(2027, 1, 3), date(2027, 1, 8)),
            ]
        );
    }

    #[test]
    fn windows_count_the_leap_day() {
        // 2028 is a leap year: 23 February + 6 days is 29 February.
        assert_eq!(
            split(date(2028, 2, 23), date(2028, 3, 7), 7),
            [
                (date(2028, 2, 23), date(2028, 2, 29)),
                (date(2028, 2, 29), date(2028, 3, 6)),
                (date(2028, 3, 6), date(2028, 3, 7)),
            ]
        );
        // 2027 is not: the same dates reach into March a day earlier.
        assert_eq!(
            split(date(2027, 2, 23), date(2027, 3, 7), 7),
            [
                (date(2027, 2, 23), date(2027, 3, 1)),
                (date(2027, 3, 1), date(2027, 3, 7)),
            ]
        );
    }

    #[test]
    fn one_date_windows_do_not_share_a_date() {
        assert_eq!(
            split(date(2026, 7, 30), date(2026, 8, 1), 1),
            [
                (date(2026, 7, 30), date(2026, 7, 30)),
                (date(2026, 7, 31), date(2026, 7, 31)),
                (date(2026, 8, 1), date(2026, 8, 1)),
            ]
        );
    }

    #[test]
    fn the_split_stops_at_the_end_of_the_calendar() {
        let last = NaiveDate::MAX;
        let first = last - Days::new(40);
        let windows = split(first, last, 31);
        assert_eq!(windows.len(), 2);
        assert_eq!(windows[1].1, last);
    }

    proptest! {
        /// Any range, any maximum: consecutive windows in order, each at most `max` dates,
        /// each starting on the previous one's last date (the next date when `max` is 1),
        /// together covering exactly the range.
        #[test]
        fn windows_cover_the_range_without_gaps(
            start in 0i64..20_000,
            length in 1u64..400,
            max in 1u32..40,
        ) {
            let first = date(2000, 1, 1) + Days::new(start.unsigned_abs());
            let last = first + Days::new(length - 1);
            let windows = split(first, last, max);
            prop_assert_eq!(windows[0].0, first);
            prop_assert_eq!(windows[windows.len() - 1].1, last);
            for (from, to) in &windows {
                prop_assert!(from <= to);
                prop_assert!((*to - *from).num_days() < i64::from(max));
            }
            for pair in windows.windows(2) {
                let expected = if max == 1 { pair[0].1.succ_opt() } else { Some(pair[0].1) };
                prop_assert_eq!(Some(pair[1].0), expected);
                // Every window but the last is full.
                prop_assert_eq!((pair[0].1 - pair[0].0).num_days(), i64::from(max) - 1);
            }
        }
    }

    #[test]
    fn today_is_the_korean_date_even_before_9_in_the_morning() {
        // 15:30 UTC on 10 July is 00:30 on 11 July in Korea.
        let range = KstRange::last_days(1, &at("2026-07-10T15:30:00Z")).expect("range");
        assert_eq!(
            (range.first(), range.last()),
            (date(2026, 7, 11), date(2026, 7, 11))
        );
        // One second before midnight in Korea it is still 10 July there.
        let clock = at("2026-07-10T14:59:59Z");
        assert_eq!(
            KstRange::last_days(1, &clock).expect("range").last(),
            date(2026, 7, 10)
        );
        clock.advance(Duration::from_secs(1));
        assert_eq!(
            KstRange::last_days(1, &clock).expect("range").last(),
            date(2026, 7, 11)
        );
        // 08:59 KST on 11 July, still 10 July in UTC.
        let range = KstRange::last_days(1, &at("2026-07-10T23:59:00Z")).expect("range");
        assert_eq!(range.last(), date(2026, 7, 11));
    }

    #[test]
    fn the_last_90_days_end_today_in_korea() {
        let range = KstRange::last_days(90, &at("2026-07-10T15:30:00Z")).expect("range");
        assert_eq!(
            (range.first(), range.last()),
            (date(2026, 4, 13), date(2026, 7, 11))
        );
        assert_eq!(range.days(), 90);
        let windows: Vec<_> = range.windows(days(31)).collect();
        assert_eq!(
            windows
                .iter()
                .map(|w| (w.first(), w.last()))
                .collect::<Vec<_>>(),
            [
                (date(2026, 4, 13), date(2026, 5, 13)),
                (date(2026, 5, 13), date(2026, 6, 12)),
                (date(2026, 6, 12), date(2026, 7, 11)),
            ]
        );
    }

    #[test]
    fn the_last_days_around_a_leap_day_and_a_year_end() {
        // 00:00 KST on 1 March 2028 (still 29 February in UTC).
        let range = KstRange::last_days(2, &at("2028-02-29T15:00:00Z")).expect("range");
        assert_eq!(
            (range.first(), range.last()),
            (date(2028, 2, 29), date(2028, 3, 1))
        );
        let range = KstRange::last_days(30, &at("2028-02-29T14:59:59Z")).expect("range");
        assert_eq!(
            (range.first(), range.last()),
            (date(2028, 1, 31), date(2028, 2, 29))
        );
        // New Year in Korea while it is still 31 December in UTC.
        let range = KstRange::last_days(7, &at("2026-12-31T15:00:00Z")).expect("range");
        assert_eq!(
            (range.first(), range.last()),
            (date(2026, 12, 26), date(2027, 1, 1))
        );
    }

    #[test]
    fn a_manual_clock_moves_today_by_whole_days() {
        let clock = ManualClock::new();
        let today = KstRange::last_days(1, &clock).expect("range").last();
        clock.advance(Duration::from_secs(24 * 3600));
        let tomorrow = KstRange::last_days(1, &clock).expect("range").last();
        assert_eq!(tomorrow, today + Days::new(1));
        clock.advance(Duration::from_secs(31 * 24 * 3600));
        let later = KstRange::last_days(1, &clock).expect("range").last();
        assert_eq!(later, today + Days::new(32));
    }

    #[test]
    fn a_clock_before_1970_still_gives_a_date() {
        // 23:59:59 UTC on 31 December 1969 is 08:59:59 on 1 January 1970 in Korea.
        let clock = ManualClock::at(UNIX_EPOCH - Duration::from_secs(1));
        let range = KstRange::last_days(1, &clock).expect("range");
        assert_eq!(range.last(), date(1970, 1, 1));
    }

    #[test]
    fn bad_ranges_are_refused() {
        assert_eq!(
            KstRange::new(date(2026, 7, 2), date(2026, 7, 1)),
            Err(RangeError::Reversed {
                first: date(2026, 7, 2),
                last: date(2026, 7, 1)
            })
        );
        assert_eq!(
            KstRange::last_days_until(0, date(2026, 7, 1)),
            Err(RangeError::NoDays)
        );
        assert_eq!(
            KstRange::last_days_until(2, NaiveDate::MIN),
            Err(RangeError::OutOfRange)
        );
        assert_eq!(
            KstRange::last_days_until(1, NaiveDate::MIN).map(|r| r.days()),
            Ok(1)
        );
    }

    #[derive(Serialize)]
    struct Row {
        id: Option<i64>,
        name: &'static str,
    }

    #[test]
    fn rows_are_keyed_by_id_or_by_content() {
        let with_id = |id, name| Row { id: Some(id), name };
        let without_id = |name| Row { id: None, name };
        let key = |row: &Row| RowKey::of_id_or_row(row.id, row).expect("serializable");
        assert_eq!(key(&with_id(7, "a")), RowKey::Id(7));
        assert_eq!(key(&with_id(7, "a")), key(&with_id(7, "b")));
        assert_eq!(key(&without_id("a")), key(&without_id("a")));
        assert_ne!(key(&without_id("a")), key(&without_id("b")));
        assert!(matches!(key(&without_id("a")), RowKey::Content(_)));
    }

    #[test]
    fn the_dedup_drops_rows_of_the_previous_window_only() {
        let mut dedup = BoundaryDedup::new();
        dedup.start_window();
        assert!(dedup.keep("a"));
        assert!(dedup.keep("b"));
        // Within one window nothing is dropped: identical rows there are distinct rows.
        assert!(dedup.keep("b"));
        dedup.start_window();
        assert!(!dedup.keep("b"));
        assert!(dedup.keep("c"));
        dedup.start_window();
        assert!(!dedup.keep("c"));
        // "a" was two windows back: forgotten.
        assert!(dedup.keep("a"));
        // The previous window's "b" and "c", the current one's "c" and "a".
        assert_eq!(dedup.remembered(), 4);
    }

    #[test]
    fn the_dedup_remembers_at_most_two_windows() {
        let mut dedup = BoundaryDedup::new();
        for window in 0..100u64 {
            dedup.start_window();
            for row in 0..50 {
                assert!(dedup.keep(window * 1000 + row));
            }
            assert!(dedup.remembered() <= 100);
        }
    }
}
