//! The envelope every answer of the API comes in, success and failure alike.
//!
//! `{"resultType": "SUCCESS" | "FAIL", "success": <payload> | null, "error": {...} | null}`,
//! normally with HTTP 200 even for failures. The generated client decodes answers into
//! [`Envelope<T>`]; [`Envelope::into_payload`] turns one into the payload or a [`Failure`].
//! Users of the SDK rarely see this type: awaiting a request builder does the unwrapping.

use std::collections::BTreeMap;
use std::fmt;

use std::marker::PhantomData;

use serde::de::{self, DeserializeOwned, DeserializeSeed, MapAccess};
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use serde_json::Value;
use serde_json::value::RawValue;

mod object_only;

use object_only::OptionalObject;

/// Whether the API says a call succeeded.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum ResultType {
    /// `SUCCESS`: the payload is in `success`.
    Success,
    /// `FAIL`: the reason is in `error`.
    Fail,
    /// A value this SDK does not know, kept as sent.
    Other(String),
}

impl ResultType {
    /// The wire value.
    pub fn as_str(&self) -> &str {
        match self {
            Self::Success => "SUCCESS",
            Self::Fail => "FAIL",
            Self::Other(other) => other,
        }
    }
}

impl Serialize for ResultType {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.as_str())
    }
}

impl<'de> Deserialize<'de> for ResultType {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct Visitor;
        impl de::Visitor<'_> for Visitor {
            type Value = ResultType;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("SUCCESS or FAIL")
            }
            fn visit_str<E: de::Error>(self, text: &str) -> Result<ResultType, E> {
                Ok(match text {
                    "SUCCESS" => ResultType::Success,
                    "FAIL" => ResultType::Fail,
                    other => ResultType::Other(other.to_string()),
                })
            }
        }
        deserializer.deserialize_str(Visitor)
    }
}

#[cfg(feature = "schemars")]
impl schemars::JsonSchema for ResultType {
    fn schema_name() -> String {
        "ResultType".to_string()
    }

    fn json_schema(generator: &mut schemars::r#gen::SchemaGenerator) -> schemars::schema::Schema {
        String::json_schema(generator)
    }
}

/// One answer of the API: the payload on success, the failure otherwise.
///
/// Decoding follows the vendor's rule that `resultType` decides the outcome:
/// - `SUCCESS` needs a payload: `success` is decoded into `T`, and a `null` or absent
///   `success` is a decoding error (a broken answer must never read as an empty page);
///   `error` is ignored.
/// - `FAIL` reads `error` whatever `success` holds (`{}`, `[]`, `""`), so the vendor's code is
///   never lost; an `error` of an unexpected shape still yields a [`Failure`].
/// - Without `resultType`, an `error` object or a bare `{errorCode, reason}` body (as some
///   non-200 answers carry) is a failure; anything else is a decoding error.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
pub struct Envelope<T> {
    /// `SUCCESS` or `FAIL`; absent in the bare error bodies some non-200 answers carry.
    #[serde(rename = "resultType")]
    pub result_type: Option<ResultType>,
    /// The payload; present exactly when `result_type` is `SUCCESS`.
    pub success: Option<T>,
    /// The failure; present exactly when the answer is not a `SUCCESS`.
    pub error: Option<Failure>,
}

/// The start of the decoding error for a `SUCCESS` that carries no payload; the call layer
/// recognises it to keep the body and to accept operations documented to answer nothing.
pub(crate) const MISSING_PAYLOAD: &str = "SUCCESS without a payload (`success` is null or absent)";

impl<T> Envelope<T> {
    /// The payload on `SUCCESS`, the failure otherwise. A value built by hand with neither
    /// reads as a failure without a code.
    pub fn into_payload(self) -> Result<T, Box<Failure>> {
        match (self.result_type, self.success, self.error) {
            (Some(ResultType::Success), Some(payload), _) => Ok(payload),
            (_, _, Some(failure)) => Err(Box::new(failure)),
            _ => Err(Box::default()),
        }
    }
}

// `DeserializeOwned`, not `Deserialize<'de>`: a `success` that comes before `resultType` is
// kept as its own JSON text and decoded from that copy later, which outlives no input.
impl<'de, T: DeserializeOwned> Deserialize<'de> for Envelope<T> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_map(EnvelopeVisitor(PhantomData))
    }
}

/// The top-level keys the envelope reads; others are skipped.
enum Key {
    ResultType,
    Success,
    Error,
    ErrorCode,
    Reason,
    Other,
}

impl<'de> Deserialize<'de> for Key {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct Visitor;
        impl de::Visitor<'_> for Visitor {
            type Value = Key;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("an envelope key")
            }
            fn visit_str<E: de::Error>(self, key: &str) -> Result<Key, E> {
                Ok(match key {
                    "resultType" => Key::ResultType,
                    "success" => Key::Success,
                    "error" => Key::Error,
                    "errorCode" => Key::ErrorCode,
                    "reason" => Key::Reason,
                    _ => Key::Other,
                })
            }
        }
        deserializer.deserialize_identifier(Visitor)
    }
}

struct EnvelopeVisitor<T>(PhantomData<T>);

/// What the envelope's keys held, before `resultType` decides.
struct Parts<T> {
    result_type: Option<ResultType>,
    success: Option<T>,
    /// `success` seen before `resultType`, kept as JSON text until the outcome is known.
    /// Text rather than a `Value`: decoding `T` from a `Value` would compile every payload
    /// type's decoding a second time, for `Value`'s deserializer; from the text it reuses
    /// the copy the usual order uses (see [`decode_early`]).
    early_success: Option<Box<RawValue>>,
    error: Option<Value>,
    bare_code: Option<Value>,
    bare_reason: Option<Value>,
}

impl<'de, T: DeserializeOwned> de::Visitor<'de> for EnvelopeVisitor<T> {
    type Value = Envelope<T>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a Toss Shopping envelope object")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Envelope<T>, A::Error> {
        let mut parts = Parts {
            result_type: None,
            success: None,
            early_success: None,
            error: None,
            bare_code: None,
            bare_reason: None,
        };
        while let Some(key) = map.next_key::<Key>()? {
            let decided = parts.result_type.as_ref();
            match key {
                Key::ResultType => parts.result_type = map.next_value()?,
                // The usual order puts `resultType` first: decode the payload in one pass.
                Key::Success if decided == Some(&ResultType::Success) => {
                    parts.success = map.next_value_seed(OptionalObject::new())?
                }
                Key::Success if decided.is_none() => parts.early_success = map.next_value()?,
                Key::Error if decided != Some(&ResultType::Success) => {
                    parts.error = map.next_value()?
                }
                Key::ErrorCode => parts.bare_code = map.next_value()?,
                Key::Reason => parts.bare_reason = map.next_value()?,
                _ => {
                    map.next_value::<de::IgnoredAny>()?;
                }
            }
        }
        parts.resolve()
    }
}

impl<T: DeserializeOwned> Parts<T> {
    fn resolve<E: de::Error>(mut self) -> Result<Envelope<T>, E> {
        if self.result_type == Some(ResultType::Success) {
            if let Some(early) = self.early_success.take() {
                self.success = decode_early(&early).map_err(E::custom)?;
            }
            return match self.success {
                Some(payload) => Ok(Envelope {
                    result_type: self.result_type,
                    success: Some(payload),
                    error: None,
                }),
                None => Err(E::custom(MISSING_PAYLOAD)),
            };
        }
        let bare = (self.bare_code.is_some() || self.bare_reason.is_some()).then(|| Failure {
            error_code: self.bare_code.and_then(text_or_number_value),
            reason: self.bare_reason.and_then(raw_reason),
            ..Failure::default()
        });
        let failure = self
            .error
            .filter(|e| !e.is_null())
            .map(Failure::lenient)
            .or(bare);
        match (self.result_type, failure) {
            (Some(ResultType::Fail), failure) => Ok(Envelope {
                result_type: Some(ResultType::Fail),
                success: None,
                error: Some(failure.unwrap_or_default()),
            }),
            (result_type, Some(failure)) => Ok(Envelope {
                result_type,
                success: None,
                error: Some(failure),
            }),
            (Some(other), None) => Err(E::custom(format_args!(
                "unknown resultType {:?} and no error",
                truncate(other.as_str(), 40)
            ))),
            (None, None) => Err(E::custom(
                "neither resultType nor error: not a Toss Shopping envelope",
            )),
        }
    }
}

/// Decodes a `success` kept as text. Through serde_json's slice deserializer, the one the
/// call layer decodes answers with, so this reuses that compiled copy of `T`'s decoding.
/// The error's message loses its position, which is relative to the payload's text; the
/// envelope's deserializer adds its own.
fn decode_early<T: DeserializeOwned>(raw: &RawValue) -> Result<Option<T>, String> {
    let text = raw.get();
    let mut deserializer = serde_json::Deserializer::from_slice(text.as_bytes());
    OptionalObject::new()
        .deserialize(&mut deserializer)
        .and_then(|payload| deserializer.end().map(|()| payload))
        .map_err(|error| without_position(&error))
}

/// serde_json's message without the ` at line L column C` it appends.
pub(crate) fn without_position(error: &serde_json::Error) -> String {
    let message = error.to_string();
    let position = format!(" at line {} column {}", error.line(), error.column());
    match message.strip_suffix(&position) {
        Some(bare) => bare.to_string(),
        None => message,
    }
}

fn truncate(text: &str, chars: usize) -> String {
    text.chars().take(chars).collect()
}

/// The `error` object of a failed call.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
pub struct Failure {
    /// A number (`0`) in every sample; kept as raw JSON because its type is unclear.
    #[serde(rename = "errorType", default, skip_serializing_if = "Option::is_none")]
    pub error_type: Option<Value>,
    /// The vendor's error code (`INVALID_REQUEST`, `NOT_FOUND`, `"500"`, ...); numbers are
    /// read as their text.
    #[serde(
        rename = "errorCode",
        default,
        deserialize_with = "text_or_number",
        skip_serializing_if = "Option::is_none"
    )]
    pub error_code: Option<String>,
    /// Why the call failed: text, or a map of field name to message.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<RawReason>,
    /// Extra data about the failure; kept as raw JSON.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub data: Option<Value>,
    /// A short title; usually null.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
}

/// The `reason` of a failure as sent: text or a JSON object.
#[derive(Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
#[serde(untagged)]
pub enum RawReason {
    /// A human-readable reason, usually Korean.
    Text(String),
    /// Field name → message, for validation failures.
    Fields(BTreeMap<String, Value>),
    /// Any other JSON value.
    Other(Value),
}

impl fmt::Debug for RawReason {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Text(text) => write!(f, "{text:?}"),
            Self::Fields(fields) => f.debug_map().entries(fields).finish(),
            Self::Other(value) => write!(f, "{value}"),
        }
    }
}

fn text_or_number<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Option<String>, D::Error> {
    Ok(Option::<Value>::deserialize(deserializer)?.and_then(text_or_number_value))
}

fn text_or_number_value(value: Value) -> Option<String> {
    match value {
        Value::Null => None,
        Value::String(text) => Some(text),
        other => Some(other.to_string()),
    }
}

fn raw_reason(value: Value) -> Option<RawReason> {
    match value {
        Value::Null => None,
        Value::String(text) => Some(RawReason::Text(text)),
        Value::Object(fields) => Some(RawReason::Fields(fields.into_iter().collect())),
        other => Some(RawReason::Other(other)),
    }
}

impl Failure {
    /// Reads an `error` value of any shape: the known fields of an object, or the value
    /// itself as the reason. A failure is never lost to an unexpected shape.
    fn lenient(value: Value) -> Self {
        let Value::Object(mut fields) = value else {
            return Self {
                reason: raw_reason(value),
                ..Self::default()
            };
        };
        let mut take = |key: &str| fields.remove(key).filter(|v| !v.is_null());
        Self {
            error_type: take("errorType"),
            error_code: take("errorCode").and_then(text_or_number_value),
            reason: take("reason").and_then(raw_reason),
            data: take("data"),
            title: take("title").and_then(text_or_number_value),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    type Map = serde_json::Map<String, Value>;

    #[derive(Debug, Deserialize)]
    struct Page {
        #[allow(dead_code)]
        items: Vec<u64>,
    }

    fn decode<T: serde::de::DeserializeOwned>(text: &str) -> Result<Envelope<T>, String> {
        serde_json::from_str(text).map_err(|e| e.to_string())
    }

    #[test]
    fn success_yields_the_payload_in_any_key_order() {
        for text in [
            r#"{"resultType":"SUCCESS","success":{"id":7},"error":null}"#,
            r#"{"success":{"id":7},"error":null,"resultType":"SUCCESS"}"#,
        ] {
            let e: Envelope<Map> = decode(text).expect("decodes");
            assert_eq!(e.into_payload().expect("ok")["id"], 7);
        }
    }

    #[test]
    fn success_without_payload_is_an_error_not_an_empty_page() {
        for text in [
            r#"{"resultType":"SUCCESS","success":null}"#,
            r#"{"resultType":"SUCCESS"}"#,
            r#"{"success":null,"resultType":"SUCCESS"}"#,
        ] {
            let error = decode::<Page>(text).expect_err(text);
            assert!(error.starts_with(MISSING_PAYLOAD), "{error}");
        }
    }

    #[test]
    fn fail_reads_the_error_whatever_success_holds() {
        for success in ["null", "{}", "[]", "\"\"", "{\"items\":\"x\"}"] {
            for text in [
                format!(
                    r#"{{"resultType":"FAIL","success":{success},"error":{{"errorType":0,"errorCode":"TOO_MANY_REQUEST","reason":"x"}}}}"#
                ),
                format!(
                    r#"{{"success":{success},"resultType":"FAIL","error":{{"errorCode":"TOO_MANY_REQUEST"}}}}"#
                ),
            ] {
                let e: Envelope<Page> = decode(&text).expect(&text);
                let failure = e.into_payload().expect_err("a failure");
                assert_eq!(
                    failure.error_code.as_deref(),
                    Some("TOO_MANY_REQUEST"),
                    "{text}"
                );
            }
        }
    }

    #[test]
    fn numeric_codes_odd_errors_and_bare_bodies_are_failures() {
        let e: Envelope<Map> =
            decode(r#"{"resultType":"FAIL","error":{"errorCode":405,"reason":"잘못된 http method 입니다."}}"#)
                .expect("decodes");
        assert_eq!(
            e.into_payload().expect_err("fail").error_code.as_deref(),
            Some("405")
        );
        let odd: Envelope<Map> =
            decode(r#"{"resultType":"FAIL","error":"boom"}"#).expect("decodes");
        assert_eq!(
            odd.into_payload().expect_err("fail").reason,
            Some(RawReason::Text("boom".into()))
        );
        let bare: Envelope<Map> = decode(r#"{"errorCode":"405","reason":"x"}"#).expect("decodes");
        assert_eq!(
            bare.into_payload().expect_err("fail").error_code.as_deref(),
            Some("405")
        );
        let no_error: Envelope<Map> = decode(r#"{"resultType":"FAIL"}"#).expect("decodes");
        assert!(no_error.into_payload().is_err());
    }

    /// serde's derived structs also read a JSON array field by field; as a payload that
    /// would turn `[]` into an empty page. Found by `tests/properties` (answers).
    #[test]
    fn a_struct_payload_sent_as_an_array_is_an_error_in_any_key_order() {
        for text in [
            r#"{"resultType":"SUCCESS","success":[]}"#,
            r#"{"resultType":"SUCCESS","success":[[1,2]]}"#,
            r#"{"success":[],"resultType":"SUCCESS"}"#,
        ] {
            let error = decode::<Page>(text).expect_err(text);
            assert!(error.contains("invalid type: sequence"), "{text}: {error}");
        }
        // Payloads that are lists are still read as lists.
        let list: Envelope<Vec<u64>> =
            decode(r#"{"resultType":"SUCCESS","success":[1,2]}"#).expect("a list payload");
        assert_eq!(list.into_payload().expect("ok"), [1, 2]);
    }

    /// A `success` before `resultType` is kept as text and decoded later; that must work
    /// through every deserializer the crate decodes envelopes with, not only serde_json's.
    #[test]
    fn an_early_success_decodes_through_other_deserializers() {
        let text = r#"{"success":{"items":[1,2]},"error":null,"resultType":"SUCCESS"}"#;
        let from_value: Envelope<Vec<u64>> = serde_json::from_value(serde_json::json!({
            "success": [1, 2], "resultType": "SUCCESS"
        }))
        .expect("from a Value");
        assert_eq!(from_value.into_payload().expect("ok"), [1, 2]);
        let mut deserializer = serde_json::Deserializer::from_slice(text.as_bytes());
        let tracked: Envelope<Map> =
            serde_path_to_error::deserialize(&mut deserializer).expect("through path_to_error");
        assert_eq!(tracked.into_payload().expect("ok")["items"][1], 2);
        let from_reader: Envelope<Map> =
            serde_json::from_reader(text.as_bytes()).expect("from a reader");
        assert!(from_reader.into_payload().is_ok());
    }

    /// The early payload's error reads as before: one position, the envelope's.
    #[test]
    fn an_early_success_that_does_not_decode_names_one_position() {
        let error = decode::<Page>(r#"{"success":{"items":"x"},"resultType":"SUCCESS"}"#)
            .expect_err("items is no list");
        assert_eq!(
            error,
            "invalid type: string \"x\", expected a sequence at line 1 column 48"
        );
    }

    #[test]
    fn answers_that_are_no_envelope_are_errors() {
        assert!(decode::<Map>("{}").is_err());
        assert!(decode::<Map>(r#"{"resultType":"PARTIAL"}"#).is_err());
        assert!(decode::<Map>("[]").is_err());
    }
}
