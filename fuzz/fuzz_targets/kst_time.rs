//! Parses text as a KST date-time and as a date. Whatever parses must print in the wire form
//! and parse back to the same value; a date must agree with chrono's own parser.
#![no_main]

use chrono::NaiveDate;
use libfuzzer_sys::fuzz_target;
use toss_shopping::time::{KstDate, KstDateTime};

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    if let Ok(instant) = text.parse::<KstDateTime>() {
        let printed = instant.to_string();
        let again: KstDateTime = printed.parse().expect("the printed form parses");
        assert_eq!(again, instant, "{text:?} printed as {printed:?}");
        let _ = format!("{instant:?}");
    }
    if let Ok(date) = text.parse::<KstDate>() {
        assert_eq!(date.to_string(), text, "a date prints as it was written");
        let oracle = NaiveDate::parse_from_str(text, "%Y-%m-%d");
        assert_eq!(
            oracle.ok(),
            Some(date.date()),
            "chrono reads {text:?} differently"
        );
    }
    // Through serde too, as answers are read.
    let quoted = serde_json::to_string(text).expect("a string serialises");
    let _ = serde_json::from_str::<KstDateTime>(&quoted);
    let _ = serde_json::from_str::<KstDate>(&quoted);
});
