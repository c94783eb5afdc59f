//! The parameter values a mock expects, as the generated parameter matchers hand them over:
//! the wire name and the value as JSON, turned into the text the client puts on the wire.

use serde::Serialize;
use serde_json::Value;

/// The parameters a mock expects: wire name → value as JSON, in the spec's order.
pub type Expected = Vec<(&'static str, Value)>;

/// Adds one parameter the user set on a generated matcher; an unset one adds nothing. A
/// value that could not be converted is the user's mistake in the test, reported as `Err`
/// so the mock matches nothing instead of matching too much.
pub fn push<T: Serialize>(
    values: &mut Expected,
    name: &'static str,
    field: &Result<Option<T>, String>,
) -> Result<(), String> {
    match field {
        Ok(None) => Ok(()),
        Ok(Some(value)) => {
            let json = serde_json::to_value(value).map_err(|e| format!("{name}: {e}"))?;
            values.push((name, json));
            Ok(())
        }
        Err(problem) => Err(problem.clone()),
    }
}

/// The text of a parameter value on the wire. Query and path parameters of this API are
/// scalars (text, numbers, days, enum values), which serialize to JSON strings and numbers
/// and are written as their plain text, as the client's query serializer writes them.
pub(crate) fn wire_text(name: &str, value: &Value) -> Result<String, String> {
    match value {
        Value::String(text) => Ok(text.clone()),
        Value::Number(number) => Ok(number.to_string()),
        Value::Bool(flag) => Ok(flag.to_string()),
        other => Err(format!("{name}: {other} is not a single value")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scalars_become_their_wire_text() {
        let day = chrono::NaiveDate::from_ymd_opt(2026, 7, 1).map(serde_json::to_value);
        assert_eq!(
            wire_text("startDate", &day.unwrap().unwrap()).unwrap(),
            "2026-07-01"
        );
        assert_eq!(wire_text("limit", &Value::from(50)).unwrap(), "50");
        assert!(wire_text("x", &Value::Null).is_err());
    }

    #[test]
    fn unset_values_add_nothing_and_bad_ones_are_reported() {
        let mut values = Expected::new();
        push::<i32>(&mut values, "limit", &Ok(None)).unwrap();
        push(&mut values, "size", &Ok(Some(20))).unwrap();
        assert_eq!(values, vec![("size", Value::from(20))]);
        assert!(push::<i32>(&mut values, "size", &Err("bad".into())).is_err());
    }
}
