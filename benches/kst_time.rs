//! The cost of reading one KST timestamp or date, against the cheapest thing a JSON client
//! does with the same text: `serde_json::from_str::<String>` of the same JSON string, measured
//! in the same run. `cargo xtask bench-report` prints the ratios.
//!
//! `chrono_fallback_chain` is the parser this crate used before (RFC 3339, then strftime
//! patterns), kept here only to show what the fixed-layout parser replaced.

use std::hint::black_box;

use chrono::{DateTime, NaiveDateTime};
use criterion::{Criterion, criterion_group, criterion_main};
use toss_shopping::time::{KST, KstDate, KstDateTime};

const DATE_TIME: &str = "2026-07-11T20:51:39";
const DATE_TIME_JSON: &str = "\"2026-07-11T20:51:39\"";
const DATE_TIME_FULL: &str = "2026-07-11T11:51:39.123+00:00";
const DATE: &str = "2026-07-11";
const DATE_JSON: &str = "\"2026-07-11\"";

/// The previous `FromStr` for `KstDateTime`, success path only.
fn chrono_fallback_chain(text: &str) -> Option<DateTime<chrono::FixedOffset>> {
    if let Ok(with_offset) = DateTime::parse_from_rfc3339(text) {
        return Some(with_offset.with_timezone(&KST));
    }
    [
        "%Y-%m-%dT%H:%M:%S%.f",
        "%Y-%m-%d %H:%M:%S%.f",
        "%Y-%m-%dT%H:%M",
    ]
    .iter()
    .find_map(|format| NaiveDateTime::parse_from_str(text, format).ok())
    .and_then(|naive| naive.and_local_timezone(KST).single())
}

fn parse(c: &mut Criterion) {
    let mut group = c.benchmark_group("kst_time");
    group.bench_function("baseline_string", |b| {
        b.iter(|| serde_json::from_str::<String>(black_box(DATE_TIME_JSON)))
    });
    group.bench_function("string_of_the_date", |b| {
        b.iter(|| serde_json::from_str::<String>(black_box(DATE_JSON)))
    });
    group.bench_function("kst_date_time_json", |b| {
        b.iter(|| serde_json::from_str::<KstDateTime>(black_box(DATE_TIME_JSON)))
    });
    group.bench_function("kst_date_time_from_str", |b| {
        b.iter(|| black_box(DATE_TIME).parse::<KstDateTime>())
    });
    group.bench_function("kst_date_time_offset_from_str", |b| {
        b.iter(|| black_box(DATE_TIME_FULL).parse::<KstDateTime>())
    });
    group.bench_function("kst_date_json", |b| {
        b.iter(|| serde_json::from_str::<KstDate>(black_box(DATE_JSON)))
    });
    group.bench_function("kst_date_from_str", |b| {
        b.iter(|| black_box(DATE).parse::<KstDate>())
    });
    group.bench_function("chrono_fallback_chain", |b| {
        b.iter(|| chrono_fallback_chain(black_box(DATE_TIME)))
    });
    group.finish();
}

criterion_group!(benches, parse);
criterion_main!(benches);
