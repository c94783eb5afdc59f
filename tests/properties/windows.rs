//! The date-window splitter (`toss_shopping::window`), beyond the unit properties in
//! `src/window.rs` (ranges of 2000-2054, maxima below 40): the whole calendar chrono can
//! represent, any maximum up to `u32::MAX`, the maxima the spec gives each windowed list,
//! ranges counted back from a date or from a clock at any instant, and the dedup of rows
//! across adjacent windows.

use std::collections::HashSet;
use std::num::NonZeroU32;
use std::time::{Duration, UNIX_EPOCH};

use chrono::{DateTime, Days, NaiveDate, Utc};
use proptest::prelude::*;
use toss_shopping::auth::ManualClock;
use toss_shopping::operations;
use toss_shopping::time::KST;
use toss_shopping::window::{BoundaryDedup, KstRange, RangeError};

use crate::support::config;

/// Windows checked one by one; a longer split is checked by its count.
const WALK: usize = 5_000;

/// Days from chrono's first date to its last.
fn calendar_days() -> u64 {
    (NaiveDate::MAX - NaiveDate::MIN).num_days().unsigned_abs()
}

/// A date anywhere in chrono's calendar, the ends included.
fn any_date() -> impl Strategy<Value = NaiveDate> {
    prop_oneof![
        1 => Just(NaiveDate::MIN),
        1 => Just(NaiveDate::MAX),
        8 => (0..=calendar_days()).prop_map(|d| NaiveDate::MIN + Days::new(d)),
    ]
}

/// A maximum window length: the usual small ones, and any up to `u32::MAX`.
fn max_days() -> impl Strategy<Value = NonZeroU32> {
    prop_oneof![3 => 1..=40u32, 1 => 1..=u32::MAX]
        .prop_map(|n| NonZeroU32::new(n).expect("not zero"))
}

/// Checks the split of `range` into windows of at most `max` dates: in order, each inside
/// the range and the maximum, each starting on the previous one's last date (the next date
/// when `max` is 1), the first starting on the range's first date and the last ending on
/// its last date, and `len()` exact.
fn check_split(range: KstRange, max: NonZeroU32) -> Result<(), TestCaseError> {
    let windows = range.windows(max);
    let count = windows.len();
    prop_assert!(count >= 1);
    let mut previous: Option<KstRange> = None;
    let mut walked = 0;
    for window in windows.take(WALK) {
        walked += 1;
        prop_assert!(window.first() <= window.last());
        prop_assert!(
            window.days() <= u64::from(max.get()),
            "{window:?} over {max}"
        );
        prop_assert!(window.first() >= range.first() && window.last() <= range.last());
        match previous {
            None => prop_assert_eq!(window.first(), range.first()),
            Some(before) if max.get() == 1 => {
                prop_assert_eq!(before.last().succ_opt(), Some(window.first()))
            }
            Some(before) => {
                prop_assert_eq!(before.last(), window.first());
                // Every window before the last is full.
                prop_assert_eq!(before.days(), u64::from(max.get()));
            }
        }
        previous = Some(window);
    }
    if count <= WALK {
        prop_assert_eq!(walked, count, "len() is exact");
        prop_assert_eq!(previous.map(|w| w.last()), Some(range.last()));
    } else {
        // The windows advance by `max - 1` dates (1 when max is 1): the count follows.
        let step = u64::from(max.get() - 1).max(1);
        let width = u64::from(max.get());
        let expected = 1 + range.days().saturating_sub(width).div_ceil(step);
        prop_assert_eq!(count as u64, expected);
    }
    Ok(())
}

proptest! {
    #![proptest_config(config(512))]

    #[test]
    fn any_range_of_the_calendar_splits_exactly(
        a in any_date(),
        length in prop_oneof![3 => 0..400u64, 1 => 0..u64::from(u32::MAX)],
        max in max_days(),
    ) {
        let last = a.checked_add_days(Days::new(length)).unwrap_or(NaiveDate::MAX);
        let range = KstRange::new(a, last).expect("ordered");
        prop_assert_eq!(range.days(), (last - a).num_days().unsigned_abs() + 1);
        // Only splits that the walk can check in full or by count: a huge range in one-date
        // windows would take billions of steps for no new information.
        prop_assume!(range.days() / u64::from(max.get()) < 1_000_000);
        check_split(range, max)?;
    }

    #[test]
    fn reversed_ranges_are_errors(a in any_date(), b in any_date()) {
        match KstRange::new(a, b) {
            Ok(range) => prop_assert!(a <= b && range.first() == a && range.last() == b),
            Err(RangeError::Reversed { first, last }) => prop_assert!(a > b && first == a && last == b),
            Err(other) => prop_assert!(false, "{other:?}"),
        }
    }

    #[test]
    fn ranges_counted_back_from_a_date(days in prop_oneof![0..100u32, any::<u32>()], last in any_date()) {
        match KstRange::last_days_until(days, last) {
            Ok(range) => {
                prop_assert_eq!(range.days(), u64::from(days));
                prop_assert_eq!(range.last(), last);
            }
            Err(RangeError::NoDays) => prop_assert_eq!(days, 0),
            Err(RangeError::OutOfRange) => {
                prop_assert!(days > 0);
                prop_assert!(last.checked_sub_days(Days::new(u64::from(days) - 1)).is_none());
            }
            Err(other) => prop_assert!(false, "{other:?}"),
        }
    }

    /// "Today" is the Korean date of the clock's instant, at any instant a clock can hold.
    #[test]
    fn ranges_counted_back_from_a_clock_end_on_the_korean_date(
        seconds in prop_oneof![
            3 => -4_000_000_000i64..4_000_000_000,
            1 => -300_000_000_000_000i64..300_000_000_000_000,
        ],
        days in 1..400u32,
    ) {
        let offset = Duration::from_secs(seconds.unsigned_abs());
        let wall = if seconds >= 0 { UNIX_EPOCH.checked_add(offset) } else { UNIX_EPOCH.checked_sub(offset) };
        let Some(wall) = wall else { return Ok(()) };
        let oracle = DateTime::<Utc>::from_timestamp(seconds, 0)
            .map(|t| t.with_timezone(&KST).date_naive());
        match (KstRange::last_days(days, &ManualClock::at(wall)), oracle) {
            (Ok(range), Some(today)) => {
                prop_assert_eq!(range.last(), today);
                prop_assert_eq!(range.days(), u64::from(days));
            }
            (Err(RangeError::OutOfRange), _) => {}
            (outcome, oracle) => prop_assert!(false, "{outcome:?} against {oracle:?}"),
        }
    }

    /// Rows that two adjacent windows both return come out once, in the order first seen;
    /// rows of one window are never dropped.
    #[test]
    fn rows_shared_by_adjacent_windows_come_out_once(
        windows in proptest::collection::vec((0..6usize, 0..4usize), 1..12),
    ) {
        // Window i holds `overlap` rows of window i-1's tail and `fresh` new rows. A row's
        // date lies in at most two adjacent windows, so only window i-1's own new rows can
        // come again.
        let mut next_id = 0u64;
        let mut previous: Vec<u64> = Vec::new();
        let mut expected: Vec<u64> = Vec::new();
        let mut dedup = BoundaryDedup::new();
        let mut kept: Vec<u64> = Vec::new();
        for (fresh, overlap) in windows {
            let shared: Vec<u64> = previous.iter().rev().take(overlap).rev().copied().collect();
            let new: Vec<u64> = (0..fresh).map(|_| { next_id += 1; next_id }).collect();
            expected.extend(&new);
            dedup.start_window();
            for row in shared.iter().chain(&new) {
                if dedup.keep(*row) {
                    kept.push(*row);
                }
            }
            previous = new;
        }
        prop_assert_eq!(kept, expected);
    }
}

/// Every windowed list of the spec: its windows stay within the maximum it documents.
#[test]
fn every_windowed_list_splits_within_its_documented_maximum() {
    let windowed: Vec<_> = operations()
        .iter()
        .filter_map(|op| Some((op, op.window?)))
        .collect();
    assert!(
        !windowed.is_empty(),
        "the spec lost its x-toss-window lists"
    );
    for (op, window) in windowed {
        assert_eq!(
            op.max_window_days,
            Some(u64::from(window.max_days)),
            "{}",
            op.operation_id
        );
        let max = NonZeroU32::new(window.max_days).expect("a maximum of at least one day");
        let mut runner = proptest::test_runner::TestRunner::new(config(128));
        runner
            .run(&(any_date(), 0..1200u64), |(first, length)| {
                let last = first
                    .checked_add_days(Days::new(length))
                    .unwrap_or(NaiveDate::MAX);
                check_split(KstRange::new(first, last).expect("ordered"), max)
            })
            .unwrap_or_else(|failure| panic!("{}: {failure}", op.operation_id));
    }
}

/// Distinct rows of one window are all kept, whatever came before.
#[test]
fn the_dedup_keeps_every_distinct_row_of_a_first_window() {
    let mut dedup = BoundaryDedup::new();
    dedup.start_window();
    let rows: HashSet<u32> = (0..1000).collect();
    assert!(rows.iter().all(|row| dedup.keep(*row)));
}
