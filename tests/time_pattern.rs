//! `KstDateTime::PATTERN` and `KstDate::PATTERN` accept exactly what the parsers accept, run
//! through regress (the engine the generated code uses for `pattern`), with one documented
//! difference: the patterns allow 29 February in every year. Also: the parsers never panic,
//! values survive `Display` then parsing, and valid values parse and serialize without
//! touching the heap.

use std::alloc::{GlobalAlloc, Layout, System};
use std::cell::Cell;
use std::fmt::Write as _;
use std::hint::black_box;
use std::sync::OnceLock;

use chrono::{Datelike, FixedOffset, NaiveDate, NaiveDateTime};
use proptest::prelude::*;
use proptest::sample::select;
use proptest::strategy::ValueTree;
use proptest::test_runner::TestRunner;
use toss_shopping::time::{KST, KstDate, KstDateTime};

// ---------------------------------------------------------------- pattern and parser

/// A pattern compiled the way the generated code compiles it, and with the `u` flag that
/// JSON Schema 2020-12 asks for; both must give the same answer.
struct Pattern {
    plain: regress::Regex,
    unicode: regress::Regex,
}

impl Pattern {
    fn new(pattern: &str) -> Self {
        Self {
            plain: regress::Regex::new(pattern).expect("pattern compiles"),
            unicode: regress::Regex::with_flags(pattern, "u").expect("pattern compiles with u"),
        }
    }

    fn matches(&self, text: &str) -> bool {
        let plain = self.plain.find(text).is_some();
        assert_eq!(
            plain,
            self.unicode.find(text).is_some(),
            "u flag changes the answer for {text:?}"
        );
        plain
    }
}

fn date_time_pattern() -> &'static Pattern {
    static PATTERN: OnceLock<Pattern> = OnceLock::new();
    PATTERN.get_or_init(|| Pattern::new(KstDateTime::PATTERN))
}

fn date_pattern() -> &'static Pattern {
    static PATTERN: OnceLock<Pattern> = OnceLock::new();
    PATTERN.get_or_init(|| Pattern::new(KstDate::PATTERN))
}

fn parses_date_time(text: &str) -> bool {
    text.parse::<KstDateTime>().is_ok()
}

fn parses_date(text: &str) -> bool {
    text.parse::<KstDate>().is_ok()
}

/// The documented difference: `text` names 29 February of a common year, and the same text
/// with day 28 parses, so the day is the only reason the parser said no.
fn only_a_common_year_feb_29(text: &str, parses: fn(&str) -> bool) -> bool {
    let (Some(year), Some("-02-29"), Some(rest)) = (text.get(..4), text.get(4..10), text.get(10..))
    else {
        return false;
    };
    let common = year
        .parse::<i32>()
        .is_ok_and(|year| NaiveDate::from_ymd_opt(year, 2, 29).is_none());
    common && parses(&format!("{year}-02-28{rest}"))
}

/// Fails unless the pattern and the parser agree on `text` (or differ as documented).
fn assert_agree(
    pattern: &Pattern,
    parses: fn(&str) -> bool,
    text: &str,
) -> Result<(), TestCaseError> {
    let matched = pattern.matches(text);
    let parsed = parses(text);
    if matched != parsed {
        prop_assert!(
            matched && !parsed && only_a_common_year_feb_29(text, parses),
            "pattern says {matched}, parser says {parsed} for {text:?}"
        );
    }
    Ok(())
}

// ---------------------------------------------------------------- near-valid text

/// A numeric field: usually the right width, sometimes a wrong number of digits or
/// characters that are not ASCII digits.
fn field(width: usize, values: BoxedStrategy<u32>) -> BoxedStrategy<String> {
    prop_oneof![
        40 => values.prop_map(move |n| format!("{n:0width$}")),
        1 => "[0-9]{0,5}",
        1 => "[0-9a٣９ +-]{1,4}",
    ]
    .boxed()
}

fn year() -> BoxedStrategy<String> {
    let values = prop_oneof![
        3 => 0..=9999u32,
        2 => select(vec![0, 1, 1900, 2000, 2023, 2024, 2026, 2100, 9999]),
    ];
    field(4, values.boxed())
}

/// Mostly `low..=high`, now and then a value just outside it.
fn around(low: u32, high: u32) -> BoxedStrategy<u32> {
    prop_oneof![
        20 => low..=high,
        1 => select(vec![low.saturating_sub(1), high + 1, high + 2]),
    ]
    .boxed()
}

fn month() -> BoxedStrategy<String> {
    field(2, prop_oneof![3 => around(1, 12), 1 => Just(2)].boxed())
}

fn day() -> BoxedStrategy<String> {
    field(2, prop_oneof![around(1, 31), 28..=31u32].boxed())
}

/// A two-digit field whose valid values are `0..=max`.
fn up_to(max: u32) -> BoxedStrategy<String> {
    field(2, around(0, max))
}

/// One of a few separators, usually the valid one (listed first).
fn separator(valid: &'static str, others: &[&'static str]) -> BoxedStrategy<String> {
    prop_oneof![
        25 => Just(valid.to_string()),
        1 => select(others.to_vec()).prop_map(String::from),
    ]
    .boxed()
}

/// `yyyy-MM-dd`-like text.
fn near_date() -> BoxedStrategy<String> {
    let dash = || separator("-", &["/", "", "--", "_", "\u{2010}"]);
    (year(), dash(), month(), dash(), day())
        .prop_map(|(y, s1, m, s2, d)| format!("{y}{s1}{m}{s2}{d}"))
        .boxed()
}

/// Text shaped like a KST date-time, every optional part present or absent.
fn near_date_time() -> BoxedStrategy<String> {
    let between = prop_oneof![
        9 => Just("T".to_string()),
        6 => Just(" ".to_string()),
        1 => select(vec!["t", "", "  ", "_", "\t", "T "]).prop_map(String::from),
    ];
    let colon = || separator(":", &["", ".", "::", "-"]);
    let seconds = proptest::option::weighted(0.8, (colon(), up_to(59)));
    let digits = prop_oneof![8 => "[0-9]{1,9}", 1 => "[0-9]{10,11}", 1 => Just(String::new())];
    let fraction = proptest::option::weighted(0.3, (separator(".", &[",", "", ":"]), digits));
    let offset = proptest::option::weighted(
        0.4,
        prop_oneof![
            3 => Just("Z".to_string()),
            1 => select(vec!["z", " Z", "+", "UTC"]).prop_map(String::from),
            6 => (separator("+", &["-", "\u{2212}"]), up_to(23), separator(":", &["", "."]), up_to(59))
                .prop_map(|(sign, h, colon, m)| format!("{sign}{h}{colon}{m}")),
            2 => (Just("-"), up_to(23), colon(), up_to(59))
                .prop_map(|(sign, h, colon, m)| format!("{sign}{h}{colon}{m}")),
        ],
    );
    let edges = prop_oneof![
        20 => Just((String::new(), String::new())),
        1 => (select(vec![" ", "+", "0", "\u{feff}"]), Just(""))
            .prop_map(|(a, b)| (a.to_string(), b.to_string())),
        1 => (Just(""), select(vec![" ", "\n", "x", "Z", "0", ".5", ":00"]))
            .prop_map(|(a, b)| (a.to_string(), b.to_string())),
    ];
    (
        near_date(),
        between,
        up_to(23),
        colon(),
        up_to(59),
        seconds,
        fraction,
        offset,
        edges,
    )
        .prop_map(
            |(date, between, hour, colon, minute, seconds, fraction, offset, (lead, trail))| {
                let mut text = format!("{lead}{date}{between}{hour}{colon}{minute}");
                if let Some((colon, second)) = seconds {
                    text.push_str(&colon);
                    text.push_str(&second);
                }
                // A fraction is generated with or without seconds, so both cases are seen.
                if let Some((dot, digits)) = fraction {
                    text.push_str(&dot);
                    text.push_str(&digits);
                }
                text.push_str(offset.as_deref().unwrap_or(""));
                text.push_str(&trail);
                text
            },
        )
        .boxed()
}

/// `near_date` with, now and then, something before or after it.
fn near_date_with_edges() -> BoxedStrategy<String> {
    let edge = prop_oneof![
        20 => Just(""),
        1 => select(vec![" ", "\n", "T", "0", "Z", "T00:00"]),
    ];
    (edge.clone(), near_date(), edge)
        .prop_map(|(lead, date, trail)| format!("{lead}{date}{trail}"))
        .boxed()
}

/// A few characters a mutation may write over one position of a text.
fn mutation_char() -> BoxedStrategy<char> {
    prop_oneof![
        3 => proptest::char::range('0', '9'),
        1 => select(vec!['-', ':', '.', 'T', ' ', 'Z', '+', 't', '٣', '９', 'é']),
    ]
    .boxed()
}

/// `text` with the character at `index` (wrapped) replaced by `with`.
fn mutate(text: &str, index: prop::sample::Index, with: char) -> String {
    let count = text.chars().count();
    if count == 0 {
        return with.to_string();
    }
    let at = index.index(count);
    text.chars()
        .enumerate()
        .map(|(i, c)| if i == at { with } else { c })
        .collect()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(4096))]

    #[test]
    fn date_time_pattern_agrees_with_the_parser(text in near_date_time()) {
        assert_agree(date_time_pattern(), parses_date_time, &text)?;
    }

    #[test]
    fn date_pattern_agrees_with_the_parser(text in near_date_with_edges()) {
        assert_agree(date_pattern(), parses_date, &text)?;
    }

    #[test]
    fn every_prefix_agrees(text in near_date_time()) {
        for (end, _) in text.char_indices() {
            assert_agree(date_time_pattern(), parses_date_time, &text[..end])?;
            assert_agree(date_pattern(), parses_date, &text[..end])?;
        }
    }

    #[test]
    fn one_character_mutations_agree(
        text in near_date_time(),
        index in any::<prop::sample::Index>(),
        with in mutation_char(),
    ) {
        let mutated = mutate(&text, index, with);
        assert_agree(date_time_pattern(), parses_date_time, &mutated)?;
        let date = mutate(text.get(..10).unwrap_or(&text), index, with);
        assert_agree(date_pattern(), parses_date, &date)?;
    }

    #[test]
    fn parsers_never_panic_on_arbitrary_text(text in any::<String>()) {
        let _ = black_box(text.parse::<KstDateTime>());
        let _ = black_box(text.parse::<KstDate>());
        let _ = black_box(serde_json::from_value::<KstDateTime>(serde_json::Value::String(text.clone())));
        let _ = black_box(serde_json::from_value::<KstDate>(serde_json::Value::String(text)));
    }

    #[test]
    fn parsers_never_panic_on_arbitrary_bytes(bytes in proptest::collection::vec(any::<u8>(), 0..40)) {
        let text = String::from_utf8_lossy(&bytes);
        let _ = black_box(text.parse::<KstDateTime>());
        let _ = black_box(text.parse::<KstDate>());
        let _ = black_box(serde_json::from_slice::<KstDateTime>(&bytes));
        let _ = black_box(serde_json::from_slice::<KstDate>(&bytes));
    }
}

/// Texts drawn from `strategy` with a fixed seed.
fn sample(strategy: &BoxedStrategy<String>, count: usize) -> Vec<String> {
    let mut runner = TestRunner::deterministic();
    (0..count)
        .map(|_| strategy.new_tree(&mut runner).expect("a value").current())
        .collect()
}

#[test]
fn the_generators_produce_both_accepted_and_rejected_texts() {
    let texts = sample(&near_date_time(), 4000);
    let accepted: Vec<_> = texts.iter().filter(|t| parses_date_time(t)).collect();
    let share = accepted.len() * 100 / texts.len();
    assert!(
        (20..=80).contains(&share),
        "{share}% of date-times accepted"
    );
    for shape in [" ", "Z", "+", "-0", "."] {
        assert!(
            accepted
                .iter()
                .any(|t| t.get(10..).is_some_and(|t| t.contains(shape))),
            "no accepted date-time contains {shape:?} after the date"
        );
    }
    assert!(
        accepted.iter().any(|t| t.len() == 16),
        "no accepted date-time without seconds"
    );
    let feb_29 = texts
        .iter()
        .filter(|t| only_a_common_year_feb_29(t, parses_date_time))
        .count();
    assert!(feb_29 > 0, "the documented difference is never exercised");

    let dates = sample(&near_date_with_edges(), 4000);
    let share = dates.iter().filter(|t| parses_date(t)).count() * 100 / dates.len();
    assert!((20..=80).contains(&share), "{share}% of dates accepted");
}

// ---------------------------------------------------------------- tables

#[test]
fn edge_table_for_pattern_and_parser() {
    // (text, KstDateTime parses, KstDate parses); a mismatch with the pattern is allowed only
    // for a common year's 29 February.
    let table = [
        ("2026-07-11T20:51:39", true, false),
        ("2026-07-11 20:51:39", true, false),
        ("2026-07-11T20:51", true, false),
        ("2026-07-11T20:51:39.1", true, false),
        ("2026-07-11T20:51:39.123456789", true, false),
        ("2026-07-11T20:51:39.1234567890", false, false),
        ("2026-07-11T20:51:39.", false, false),
        ("2026-07-11T20:51.1", false, false),
        ("2026-07-11T20:51:39Z", true, false),
        ("2026-07-11T20:51:39+09:00", true, false),
        ("2026-07-11T20:51:39-23:59", true, false),
        ("2026-07-11T20:51:39+24:00", false, false),
        ("2026-07-11T20:51:39+0900", false, false),
        ("2026-07-11T20:51:39z", false, false),
        ("2026-07-11t20:51:39", false, false),
        ("2026-07-11T20:51:39 ", false, false),
        ("2026-07-11T24:00", false, false),
        ("2026-07-11T23:60", false, false),
        ("2024-02-29T00:00", true, false),
        ("2026-02-29T00:00", false, false),
        ("2026-04-31T00:00", false, false),
        ("2026-04-30T00:00", true, false),
        ("2026-07-11", false, true),
        ("2024-02-29", false, true),
        ("2026-02-29", false, false),
        ("2026-02-30", false, false),
        ("2026-04-31", false, false),
        ("2026-05-31", false, true),
        ("2026-7-11", false, false),
        ("2026-07-11 ", false, false),
        ("", false, false),
    ];
    for (text, date_time, date) in table {
        assert_eq!(parses_date_time(text), date_time, "KstDateTime {text:?}");
        assert_eq!(parses_date(text), date, "KstDate {text:?}");
        assert_agree(date_time_pattern(), parses_date_time, text).expect(text);
        assert_agree(date_pattern(), parses_date, text).expect(text);
    }
    // The documented difference, spelled out.
    assert!(
        date_time_pattern().matches("2026-02-29T00:00") && !parses_date_time("2026-02-29T00:00")
    );
    assert!(date_pattern().matches("2026-02-29") && !parses_date("2026-02-29"));
}

// ---------------------------------------------------------------- round trips

fn naive_date_time() -> impl Strategy<Value = NaiveDateTime> {
    let nanos = prop_oneof![
        Just(0u32),
        (0..1000u32).prop_map(|ms| ms * 1_000_000),
        (0..1_000_000u32).prop_map(|us| us * 1_000),
        0..1_000_000_000u32,
    ];
    (0..=9999i32, 1..=366u32, 0..24u32, 0..60u32, 0..60u32, nanos)
        .prop_filter_map("day of year exists", |(y, doy, h, m, s, n)| {
            NaiveDate::from_yo_opt(y, doy)?.and_hms_nano_opt(h, m, s, n)
        })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2048))]

    #[test]
    fn display_then_parse_is_the_identity(local in naive_date_time()) {
        let value = KstDateTime::from_naive_kst(local).expect("in range");
        let text = value.to_string();
        prop_assert!(date_time_pattern().matches(&text), "{text}");
        prop_assert_eq!(text.parse::<KstDateTime>(), Ok(value));
        let json = serde_json::to_string(&value).expect("serializes");
        prop_assert_eq!(serde_json::from_str::<KstDateTime>(&json).expect("deserializes"), value);

        let date = KstDate::from(local.date());
        let text = date.to_string();
        prop_assert!(date_pattern().matches(&text), "{text}");
        prop_assert_eq!(text.parse::<KstDate>(), Ok(date));
        prop_assert_eq!(date.date(), local.date());
        let json = serde_json::to_string(&date).expect("serializes");
        prop_assert_eq!(serde_json::from_str::<KstDate>(&json).expect("deserializes"), date);
    }

    #[test]
    fn any_offset_reads_as_the_same_instant(
        local in naive_date_time(),
        minutes in -(23 * 60 + 59)..=(23 * 60 + 59i32),
    ) {
        let value = KstDateTime::from_naive_kst(local).expect("in range");
        let offset = FixedOffset::east_opt(minutes * 60).expect("valid offset");
        let shifted = value.as_kst().with_timezone(&offset);
        let text = shifted.format("%Y-%m-%dT%H:%M:%S%.f%:z").to_string();
        // Shifting can leave four-digit years at the ends of the range; those texts must be
        // rejected by both, the rest read back as the same instant, in KST.
        assert_agree(date_time_pattern(), parses_date_time, &text)?;
        if let Ok(read) = text.parse::<KstDateTime>() {
            prop_assert_eq!(read, value);
            prop_assert_eq!(*read.as_kst().offset(), KST);
        } else {
            prop_assert!(!(0..=9999).contains(&shifted.year()), "{text}");
        }
    }
}

// ---------------------------------------------------------------- no allocation

/// Counts this thread's heap allocations, so parallel tests do not disturb each other.
struct CountingAllocator;

thread_local! {
    static ALLOCATIONS: Cell<usize> = const { Cell::new(0) };
}

fn count_one() {
    // `try_with` fails only while the thread is being torn down; nothing to count then.
    let _ = ALLOCATIONS.try_with(|count| count.set(count.get() + 1));
}

// SAFETY: every call is forwarded unchanged to the system allocator.
unsafe impl GlobalAlloc for CountingAllocator {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        count_one();
        // SAFETY: the caller's contract for `alloc` is passed on unchanged.
        unsafe { System.alloc(layout) }
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        // SAFETY: `ptr` came from `System` through this allocator, with this layout.
        unsafe { System.dealloc(ptr, layout) }
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        count_one();
        // SAFETY: the caller's contract for `realloc` is passed on unchanged.
        unsafe { System.realloc(ptr, layout, new_size) }
    }
}

#[global_allocator]
static GLOBAL: CountingAllocator = CountingAllocator;

fn allocations_during(work: impl FnOnce()) -> usize {
    let before = ALLOCATIONS.with(Cell::get);
    work();
    ALLOCATIONS.with(Cell::get) - before
}

#[derive(serde::Deserialize)]
#[serde(rename_all = "camelCase")]
struct Row {
    #[allow(dead_code)]
    ordered_at: KstDateTime,
    #[allow(dead_code)]
    payout_date: KstDate,
}

#[test]
fn valid_values_parse_and_serialize_without_allocating() {
    let texts = [
        "2026-07-11T20:51:39",
        "2026-07-11 20:51",
        "2026-07-11T20:51:39.123456789",
        "2026-07-11T11:51:39Z",
        "2026-07-11T06:21:39.5-05:30",
    ];
    for text in texts {
        let json = format!("\"{text}\"");
        let mut out = Vec::with_capacity(64);
        let mut display = String::with_capacity(64);
        let allocations = allocations_during(|| {
            let value: KstDateTime = black_box(text).parse().expect("valid");
            let from_json: KstDateTime = serde_json::from_str(black_box(&json)).expect("valid");
            assert_eq!(value, from_json);
            serde_json::to_writer(&mut out, &value).expect("serializes");
            write!(display, "{value}").expect("displays");
        });
        assert_eq!(allocations, 0, "{text}");
    }
    let mut out = Vec::with_capacity(64);
    let allocations = allocations_during(|| {
        let date: KstDate = black_box("2026-07-11").parse().expect("valid");
        let from_json: KstDate = serde_json::from_str(black_box("\"2026-07-11\"")).expect("valid");
        assert_eq!(date, from_json);
        serde_json::to_writer(&mut out, &date).expect("serializes");
        let row: Row = serde_json::from_str(black_box(
            r#"{"orderedAt":"2026-07-11T20:51:39","payoutDate":"2026-07-20"}"#,
        ))
        .expect("valid row");
        black_box(row);
    });
    assert_eq!(allocations, 0);
    // The counter works: a rejected text allocates its error message.
    assert!(allocations_during(|| drop(black_box("nope").parse::<KstDate>())) > 0);
}
