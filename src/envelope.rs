//! The envelope every answer of the API comes in, success and failure alike.
//!
//! `{"resultType": "SUCCESS" | "FAIL", "success": <payload> | null, "error": {...} | null}`,
//! normally with HTTP 200 even for failures. The generated client decodes answers into
//! [`Envelope<T>`]; [`Envelope::into_payload`] turns one into the payload or a [`Failure`].
//! Users of the SDK rarely see this type: awaiting a request builder does the unwrapping.

use std::collections::BTreeMap;
use std::fmt;

use serde::de::DeserializeOwned;
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use serde_json::Value;

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
        let text = String::deserialize(deserializer)?;
        Ok(match text.as_str() {
            "SUCCESS" => Self::Success,
            "FAIL" => Self::Fail,
            _ => Self::Other(text),
        })
    }
}

impl schemars::JsonSchema for ResultType {
    fn schema_name() -> String {
        "ResultType".to_string()
    }

    fn json_schema(generator: &mut schemars::r#gen::SchemaGenerator) -> schemars::schema::Schema {
        String::json_schema(generator)
    }
}

/// One answer of the API: the payload on success, the failure otherwise.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct Envelope<T> {
    /// `SUCCESS` or `FAIL`; absent in the bare error bodies some non-200 answers carry.
    // Absent `Option` fields decode as `None` without `#[serde(default)]`, which would
    // otherwise make serde require `T: Default`.
    #[serde(rename = "resultType")]
    pub result_type: Option<ResultType>,
    /// The payload; `null` or absent on failure, `{}` or `null` for most writes.
    pub success: Option<T>,
    /// The failure; `null` or absent on success.
    pub error: Option<Failure>,
    /// The error code of a bare error body (`{"errorCode", "reason"}` without `resultType`,
    /// as some non-200 answers carry).
    #[serde(
        rename = "errorCode",
        default,
        deserialize_with = "text_or_number",
        skip_serializing_if = "Option::is_none"
    )]
    pub bare_error_code: Option<String>,
    /// The reason of a bare error body.
    #[serde(rename = "reason", skip_serializing_if = "Option::is_none")]
    pub bare_reason: Option<RawReason>,
}

/// Why an envelope could not be turned into a payload.
#[derive(Debug)]
pub enum EnvelopeOutcome {
    /// The API reported a failure.
    Failed(Box<Failure>),
    /// The envelope is inconsistent (e.g. `SUCCESS` with a payload of the wrong shape).
    Malformed(String),
}

impl<T: DeserializeOwned> Envelope<T> {
    /// The payload on `SUCCESS`, the failure on `FAIL`.
    ///
    /// A `SUCCESS` without a payload (most writes answer `{}` or `null`) is read as the
    /// empty object `{}`: that works for free-form payloads and for payloads whose fields are
    /// all optional, and is reported as malformed for a payload with required fields.
    pub fn into_payload(self) -> Result<T, EnvelopeOutcome> {
        let bare =
            (self.bare_error_code.is_some() || self.bare_reason.is_some()).then(|| Failure {
                error_code: self.bare_error_code,
                reason: self.bare_reason,
                ..Failure::default()
            });
        match (self.result_type, self.error.or(bare), self.success) {
            (Some(ResultType::Success), _, Some(payload)) => Ok(payload),
            (Some(ResultType::Success), _, None) => {
                serde_json::from_value(Value::Object(Default::default())).map_err(|e| {
                    EnvelopeOutcome::Malformed(format!("SUCCESS without the expected payload: {e}"))
                })
            }
            (_, Some(failure), _) => Err(EnvelopeOutcome::Failed(Box::new(failure))),
            (Some(ResultType::Fail), None, _) => Err(EnvelopeOutcome::Failed(Box::default())),
            (Some(ResultType::Other(other)), None, _) => Err(EnvelopeOutcome::Malformed(format!(
                "unknown resultType {:?} and no error",
                truncate(&other, 40)
            ))),
            (None, None, _) => Err(EnvelopeOutcome::Malformed(
                "no resultType and no error".to_string(),
            )),
        }
    }
}

fn truncate(text: &str, chars: usize) -> String {
    text.chars().take(chars).collect()
}

/// The `error` object of a failed call.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
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
#[derive(Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
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
    Ok(match Option::<Value>::deserialize(deserializer)? {
        None | Some(Value::Null) => None,
        Some(Value::String(text)) => Some(text),
        Some(other) => Some(other.to_string()),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    type Map = serde_json::Map<String, Value>;

    fn envelope<T: DeserializeOwned>(value: Value) -> Envelope<T> {
        serde_json::from_value(value).expect("decodes")
    }

    #[test]
    fn success_yields_the_payload() {
        let e: Envelope<Map> =
            envelope(json!({"resultType":"SUCCESS","success":{"id":7},"error":null}));
        assert_eq!(e.into_payload().expect("ok")["id"], 7);
    }

    #[test]
    fn success_without_payload_is_an_empty_object() {
        let e: Envelope<Map> = envelope(json!({"resultType":"SUCCESS","success":null}));
        assert!(e.into_payload().expect("ok").is_empty());
    }

    #[test]
    fn fail_yields_the_failure_with_numeric_codes_as_text() {
        let e: Envelope<Map> = envelope(json!({"resultType":"FAIL","success":null,
            "error":{"errorType":0,"errorCode":405,"reason":"잘못된 http method 입니다."}}));
        match e.into_payload() {
            Err(EnvelopeOutcome::Failed(f)) => assert_eq!(f.error_code.as_deref(), Some("405")),
            other => panic!("unexpected {other:?}"),
        }
    }

    #[test]
    fn bare_error_bodies_and_empty_bodies_are_not_success() {
        let bare: Envelope<Map> = envelope(json!({"errorCode":"405","reason":"x"}));
        assert!(matches!(
            bare.into_payload(),
            Err(EnvelopeOutcome::Failed(_))
        ));
        let empty: Envelope<Map> = envelope(json!({}));
        assert!(matches!(
            empty.into_payload(),
            Err(EnvelopeOutcome::Malformed(_))
        ));
        let fail_without_error: Envelope<Map> = envelope(json!({"resultType":"FAIL"}));
        assert!(matches!(
            fail_without_error.into_payload(),
            Err(EnvelopeOutcome::Failed(_))
        ));
    }
}
