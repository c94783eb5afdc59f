//! Formats the client parses carry, in the spec, exactly the pattern the parser accepts, so
//! an independent validator and the client agree on what a valid value is.

use toss_shopping::time::{KstDate, KstDateTime};

use crate::spec::SPEC;

fn spec_pattern(schema: &str) -> &'static str {
    SPEC["components"]["schemas"][schema]["pattern"]
        .as_str()
        .unwrap_or_else(|| panic!("{schema} has a pattern in the spec"))
}

#[test]
fn the_spec_carries_the_parsers_patterns() {
    assert_eq!(spec_pattern("KstDateTime"), KstDateTime::PATTERN);
    assert_eq!(spec_pattern("KstDate"), KstDate::PATTERN);
}

#[test]
fn random_text_is_no_valid_timestamp_under_the_spec() {
    let pattern = regress::Regex::new(spec_pattern("KstDateTime")).expect("the pattern compiles");
    for text in [
        "2026-13-45T00:00:00",
        "abc",
        "2026-07-11",
        "2026-07-11T24:00:00",
    ] {
        assert!(pattern.find(text).is_none(), "{text} must not validate");
        assert!(
            text.parse::<KstDateTime>().is_err(),
            "{text} must not parse"
        );
    }
    for text in [
        "2026-07-11T20:51:39",
        "2026-07-11 20:51",
        "2026-07-11T20:51:39.5+09:00",
    ] {
        assert!(pattern.find(text).is_some(), "{text} validates");
        assert!(text.parse::<KstDateTime>().is_ok(), "{text} parses");
    }
}
