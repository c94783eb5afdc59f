//! KST date and date-time parsing with chrono as the oracle. `tests/time_pattern.rs` already
//! checks the parsers against their regular expressions, arbitrary text, and the `Display`
//! round trip; here every accepted layout is checked against chrono: a valid date-time
//! written in any layout reads back as the same value, and near-valid text is accepted
//! exactly when chrono (with a strict shape check) accepts it.

use chrono::{NaiveDate, NaiveDateTime, Timelike};
use proptest::prelude::*;
use toss_shopping::time::{KstDate, KstDateTime};

use crate::schema_values::{naive_date, naive_date_time};
use crate::support::config;

/// The accepted offset-less layouts as chrono formats, and how many fraction digits each
/// keeps (`None`: seconds dropped, `Some(0)`: whole seconds).
const LAYOUTS: [(&str, Option<u32>); 8] = [
    ("%Y-%m-%dT%H:%M:%S", Some(0)),
    ("%Y-%m-%d %H:%M:%S", Some(0)),
    ("%Y-%m-%dT%H:%M", None),
    ("%Y-%m-%d %H:%M", None),
    ("%Y-%m-%dT%H:%M:%S%.3f", Some(3)),
    ("%Y-%m-%d %H:%M:%S%.6f", Some(6)),
    ("%Y-%m-%dT%H:%M:%S%.9f", Some(9)),
    ("%Y-%m-%dT%H:%M:%S%.f", Some(9)),
];

/// `time` as a layout keeping `digits` fraction digits writes it.
fn as_written(time: NaiveDateTime, digits: Option<u32>) -> NaiveDateTime {
    let nanos = time.nanosecond();
    let (second, nanos) = match digits {
        None => (0, 0),
        Some(d) => {
            let unit = 10u32.pow(9 - d);
            (time.second(), nanos - nanos % unit)
        }
    };
    time.with_second(second)
        .and_then(|t| t.with_nanosecond(nanos))
        .expect("a truncated time exists")
}

/// Text shaped like a date-time: each field two digits (four for the year), values that may
/// be out of range, either separator, optional seconds and a 1-9 digit fraction.
fn near_date_time() -> impl Strategy<Value = String> {
    let field = |max: u32| (0..=max).prop_map(|n| format!("{n:02}"));
    (
        (0..=9999u32).prop_map(|y| format!("{y:04}")),
        field(13),
        field(32),
        prop_oneof![Just('T'), Just(' '), Just('t'), Just('_')],
        field(25),
        field(61),
        proptest::option::of((field(61), proptest::option::of("[0-9]{1,10}"))),
    )
        .prop_map(|(y, mo, d, sep, h, mi, rest)| {
            let mut text = format!("{y}-{mo}-{d}{sep}{h}:{mi}");
            if let Some((s, fraction)) = rest {
                text.push(':');
                text.push_str(&s);
                if let Some(fraction) = fraction {
                    text.push('.');
                    text.push_str(&fraction);
                }
            }
            text
        })
}

/// The oracle: the fixed widths of the grammar (checked by hand, since chrono's `%Y` and
/// `%.f` take other widths too) and chrono's calendar and clock checks.
fn oracle(text: &str) -> Option<NaiveDateTime> {
    let bytes = text.as_bytes();
    let digits = |range: std::ops::Range<usize>| {
        bytes
            .get(range)
            .is_some_and(|b| b.iter().all(u8::is_ascii_digit))
    };
    let shape = bytes.len() >= 16
        && digits(0..4)
        && bytes[4] == b'-'
        && digits(5..7)
        && bytes[7] == b'-'
        && digits(8..10)
        && matches!(bytes[10], b'T' | b' ')
        && digits(11..13)
        && bytes[13] == b':'
        && digits(14..16);
    // chrono reads second 60 as a leap second; the grammar has none.
    if !shape || text.get(17..19) == Some("60") {
        return None;
    }
    let normalised = format!("{}T{}", &text[..10], &text[11..]);
    match bytes.len() {
        16 => NaiveDateTime::parse_from_str(&normalised, "%Y-%m-%dT%H:%M").ok(),
        19 if bytes[16] == b':' && digits(17..19) => {
            NaiveDateTime::parse_from_str(&normalised, "%Y-%m-%dT%H:%M:%S").ok()
        }
        21..=29
            if bytes[16] == b':'
                && digits(17..19)
                && bytes[19] == b'.'
                && digits(20..bytes.len()) =>
        {
            NaiveDateTime::parse_from_str(&normalised, "%Y-%m-%dT%H:%M:%S%.f").ok()
        }
        _ => None,
    }
}

proptest! {
    #![proptest_config(config(1024))]

    #[test]
    fn every_layout_reads_back_the_value_it_wrote(time in naive_date_time()) {
        for (layout, digits) in LAYOUTS {
            let text = time.format(layout).to_string();
            let read: KstDateTime = text.parse().map_err(|e| TestCaseError::fail(format!("{layout}: {e}")))?;
            prop_assert_eq!(read.naive_kst(), as_written(time, digits), "{} as {}", text, layout);
        }
    }

    #[test]
    fn a_date_reads_back_the_value_it_wrote(date in naive_date()) {
        let text = date.format("%Y-%m-%d").to_string();
        prop_assert_eq!(text.parse::<KstDate>().map(|d| d.date()), Ok(date));
        let time: KstDateTime = format!("{text}T00:00").parse().expect("midnight");
        prop_assert_eq!(time.date_kst(), date);
    }

    #[test]
    fn near_date_times_are_accepted_exactly_when_chrono_accepts_them(text in near_date_time()) {
        let ours = text.parse::<KstDateTime>().ok().map(|t| t.naive_kst());
        prop_assert_eq!(ours, oracle(&text), "{:?}", text);
    }

    #[test]
    fn near_dates_are_accepted_exactly_when_chrono_accepts_them(
        y in 0..=9999u32, m in 0..=13u32, d in 0..=32u32,
    ) {
        let text = format!("{y:04}-{m:02}-{d:02}");
        let ours = text.parse::<KstDate>().ok().map(|d| d.date());
        prop_assert_eq!(ours, NaiveDate::parse_from_str(&text, "%Y-%m-%d").ok(), "{:?}", text);
    }

    #[test]
    fn arbitrary_text_through_serde_never_panics(text in any::<String>()) {
        let quoted = serde_json::to_string(&text).expect("a string serialises");
        let _ = serde_json::from_str::<KstDateTime>(&quoted);
        let _ = serde_json::from_str::<KstDate>(&quoted);
    }
}
