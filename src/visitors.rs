//! Visitors the types decode through, so that a value its type refuses is refused while
//! serde_json is still reading it.
//!
//! serde_json stamps an error with its position in the deserializer call that returns it. A
//! type that first decodes a `String` and then refuses it (typify's pattern types do) raises
//! its error after that call, so the error is stamped later: after the enclosing `}` or the
//! next `,`. The path of a [`crate::DecodeError`] is read off that position
//! ([`crate::json_path`]), so such a refusal would name the enclosing object. Refused inside a
//! visitor, the error is stamped right after the value, and the path names the value itself.
//! `codegen/src/in_place_errors.rs` makes the generated types decode through these.

use std::fmt;
use std::marker::PhantomData;
use std::str::FromStr;

use serde::Deserialize;
use serde::de::{self, MapAccess, Visitor};

/// Reads a JSON string and parses it as `T`; a text `T` refuses is an error at the string.
pub(crate) struct Text<T> {
    expecting: &'static str,
    target: PhantomData<fn() -> T>,
}

impl<T> Text<T> {
    /// A visitor that says it expected `expecting` when the value is not a string.
    pub(crate) fn new(expecting: &'static str) -> Self {
        Self {
            expecting,
            target: PhantomData,
        }
    }
}

impl<T> Visitor<'_> for Text<T>
where
    T: FromStr,
    T::Err: fmt::Display,
{
    type Value = T;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.expecting)
    }

    fn visit_str<E: de::Error>(self, text: &str) -> Result<T, E> {
        text.parse().map_err(E::custom)
    }

    fn visit_borrowed_str<E: de::Error>(self, text: &str) -> Result<T, E> {
        self.visit_str(text)
    }

    fn visit_string<E: de::Error>(self, text: String) -> Result<T, E> {
        self.visit_str(&text)
    }
}

/// Reads a value that is either a JSON string or a JSON object (the spec's `oneOf` of a
/// string and an object), as `T` built by `text` or by `object` from the decoded `O`.
///
/// Any other JSON type is an error at the value. serde's untagged enums decode a copy of
/// the value first and refuse it after serde_json is done with it, which loses the position.
pub(crate) struct TextOrObject<T, O> {
    expecting: &'static str,
    text: fn(String) -> T,
    object: fn(O) -> T,
}

impl<T, O> TextOrObject<T, O> {
    /// A visitor that builds `T` from a string with `text` and from an object with `object`.
    pub(crate) fn new(expecting: &'static str, text: fn(String) -> T, object: fn(O) -> T) -> Self {
        Self {
            expecting,
            text,
            object,
        }
    }
}

impl<'de, T, O: Deserialize<'de>> Visitor<'de> for TextOrObject<T, O> {
    type Value = T;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.expecting)
    }

    fn visit_str<E: de::Error>(self, text: &str) -> Result<T, E> {
        Ok((self.text)(text.to_string()))
    }

    fn visit_string<E: de::Error>(self, text: String) -> Result<T, E> {
        Ok((self.text)(text))
    }

    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<T, A::Error> {
        O::deserialize(de::value::MapAccessDeserializer::new(map)).map(self.object)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug, PartialEq)]
    struct Even(u8);

    impl FromStr for Even {
        type Err = String;
        fn from_str(text: &str) -> Result<Self, String> {
            match text.parse::<u8>() {
                Ok(n) if n % 2 == 0 => Ok(Even(n)),
                _ => Err(format!("{text:?} is no even number")),
            }
        }
    }

    impl<'de> Deserialize<'de> for Even {
        fn deserialize<D: de::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
            d.deserialize_str(Text::new("an even number as text"))
        }
    }

    #[derive(Debug, PartialEq, Deserialize)]
    struct Detail {
        id: u32,
    }

    #[derive(Debug, PartialEq)]
    enum Reason {
        Text(String),
        Detail(Detail),
    }

    impl<'de> Deserialize<'de> for Reason {
        fn deserialize<D: de::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
            d.deserialize_any(TextOrObject::new(
                "text or an object",
                Reason::Text,
                Reason::Detail,
            ))
        }
    }

    #[test]
    fn text_is_refused_at_the_string() {
        let ok: Vec<Even> = serde_json::from_str(r#"["2","4"]"#).expect("even");
        assert_eq!(ok, [Even(2), Even(4)]);
        let error = serde_json::from_str::<Vec<Even>>(r#"["2", "3" ]"#).expect_err("odd");
        assert_eq!(
            error.to_string(),
            "\"3\" is no even number at line 1 column 9"
        );
        let error = serde_json::from_str::<Vec<Even>>("[2]").expect_err("a number");
        assert!(
            error
                .to_string()
                .contains("expected an even number as text"),
            "{error}"
        );
    }

    #[test]
    fn text_or_object_reads_both_and_refuses_the_rest_at_the_value() {
        let read: Vec<Reason> =
            serde_json::from_str(r#"["gone", {"id": 7}]"#).expect("text and object");
        assert_eq!(
            read,
            [
                Reason::Text("gone".into()),
                Reason::Detail(Detail { id: 7 })
            ]
        );
        for (text, column) in [(r#"[1 ]"#, 2), (r#"[[1] ]"#, 2), (r#"[{"id":"x"} ]"#, 10)] {
            let error = serde_json::from_str::<Vec<Reason>>(text).expect_err(text);
            assert_eq!(error.column(), column, "{text}: {error}");
        }
        let missing = serde_json::from_str::<Vec<Reason>>(r#"[{} ]"#).expect_err("no id");
        assert_eq!(missing.column(), 3, "{missing}");
    }
}
