//! Inputs that once failed a property or crashed a fuzz target, kept as plain tests so they
//! run on every build whatever the random seeds pick.

use toss_shopping::Error;

fn decode(operation_id: &str, body: &str) -> Result<serde_json::Value, Error> {
    toss_shopping::operation::decode_answer(operation_id, body.as_bytes()).expect("an operation")
}

/// Found by `answers::a_value_of_the_wrong_type_is_a_decode_error`: serde's derived structs
/// also read a JSON array field by field, so `"success": ["x"]` decoded as an order page with
/// `nextCursor: "x"`, and `"success": []` as an empty page. Fixed in `src/envelope/object_only.rs`.
#[test]
fn a_page_sent_as_an_array_is_a_decode_error_not_an_empty_page() {
    for body in [
        r#"{"resultType":"SUCCESS","success":["not an object"],"error":null}"#,
        r#"{"resultType":"SUCCESS","success":[],"error":null}"#,
        r#"{"success":[],"error":null,"resultType":"SUCCESS"}"#,
    ] {
        let outcome = decode("list_order_products", body);
        assert!(
            matches!(outcome, Err(Error::Decode(_))),
            "{body}: {outcome:?}"
        );
    }
}

/// Found by `kst_time::near_date_times_are_accepted_exactly_when_chrono_accepts_them`: chrono
/// reads second 60 as a leap second; the client's grammar has none and refuses it (the
/// oracle was corrected, the parser was right).
#[test]
fn second_60_is_refused() {
    use toss_shopping::time::KstDateTime;
    assert!("0000-01-01T00:00:60".parse::<KstDateTime>().is_err());
    assert!("2026-07-11T23:59:60".parse::<KstDateTime>().is_err());
}
