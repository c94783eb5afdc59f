//! Splits arbitrary date ranges into windows of an arbitrary maximum. Ranges that cannot
//! exist are errors; the windows of any range are in order, within the maximum, share only
//! their boundary date and cover the range exactly.
#![no_main]

use std::num::NonZeroU32;

use arbitrary::Arbitrary;
use chrono::{Days, NaiveDate};
use libfuzzer_sys::fuzz_target;
use toss_shopping::window::KstRange;

/// Windows checked one by one; longer splits are checked by their count only.
const WALK: usize = 2_000;

#[derive(Debug, Arbitrary)]
struct Input {
    /// Days after chrono's first date.
    first: u32,
    /// Days after `first` (wrapping: a later `last` before `first` is a reversed range).
    length: i32,
    max_days: u32,
    days_until: u32,
}

fuzz_target!(|input: Input| {
    let Some(first) = NaiveDate::MIN.checked_add_days(Days::new(input.first.into())) else {
        return;
    };
    let last = if input.length >= 0 {
        first.checked_add_days(Days::new(input.length.unsigned_abs().into()))
    } else {
        first.checked_sub_days(Days::new(input.length.unsigned_abs().into()))
    };
    let Some(last) = last else {
        return;
    };
    let _ = KstRange::last_days_until(input.days_until, last);
    let range = match KstRange::new(first, last) {
        Ok(range) => range,
        Err(_) => {
            assert!(first > last, "{first}..={last} refused");
            return;
        }
    };
    let Some(max) = NonZeroU32::new(input.max_days) else {
        return;
    };
    let windows = range.windows(max);
    let count = windows.len();
    assert!(count >= 1);
    let mut previous: Option<KstRange> = None;
    let mut seen = 0;
    for window in windows.take(WALK) {
        seen += 1;
        assert!(window.first() <= window.last());
        assert!(window.days() <= u64::from(max.get()));
        assert!(window.first() >= first && window.last() <= last);
        match previous {
            None => assert_eq!(window.first(), first),
            Some(before) if max.get() == 1 => {
                assert_eq!(before.last().succ_opt(), Some(window.first()))
            }
            Some(before) => assert_eq!(before.last(), window.first()),
        }
        previous = Some(window);
    }
    if count <= WALK {
        assert_eq!(seen, count, "size_hint is exact");
        assert_eq!(
            previous.map(|w| w.last()),
            Some(last),
            "the windows reach the end"
        );
    }
});
