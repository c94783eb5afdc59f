//! One checked request as a handler sees it ([`Call`]), and the vendor-style failure a
//! handler answers with ([`Fail`]).

use std::collections::BTreeMap;
use std::str::FromStr;

use chrono::NaiveDateTime;
use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::Value;

/// The handler of one operation: the seller's state, the checked request and its body as
/// JSON in, the payload as JSON out. Generated per operation (`api::serve::handlers`).
pub(crate) type Handler<S> = fn(&mut S, &Call, Option<Value>) -> Result<Value, Fail>;

/// A request that passed the spec's checks (token, parameters, body), with the server's time.
#[derive(Debug)]
pub(crate) struct Call {
    /// The server clock's wall time, in Korean time.
    pub(crate) now: NaiveDateTime,
    pub(crate) path: Vec<(String, String)>,
    pub(crate) query: Vec<(String, String)>,
}

impl Call {
    /// The server's time, in Korean time (the API's timestamps carry no offset).
    pub(crate) fn now(&self) -> NaiveDateTime {
        self.now
    }

    /// A path parameter, already checked against the spec.
    pub(crate) fn path<T: FromStr>(&self, name: &str) -> Result<T, Fail> {
        let value = self
            .path
            .iter()
            .find(|(key, _)| key == name)
            .map(|(_, value)| value.as_str())
            .ok_or_else(|| Fail::invalid_field(name, "필수 값이 누락되었습니다."))?;
        value
            .parse()
            .map_err(|_| Fail::invalid_field(name, "올바르지 않은 값입니다."))
    }

    /// A query parameter as text, when it was sent (an empty value counts as not sent).
    pub(crate) fn query_text(&self, name: &str) -> Option<&str> {
        self.query
            .iter()
            .find(|(key, value)| key == name && !value.is_empty())
            .map(|(_, value)| value.as_str())
    }

    /// A query parameter parsed into `T`, when it was sent.
    pub(crate) fn query<T: FromStr>(&self, name: &str) -> Result<Option<T>, Fail> {
        self.query_text(name)
            .map(|text| {
                text.parse()
                    .map_err(|_| Fail::invalid_field(name, "올바르지 않은 값입니다."))
            })
            .transpose()
    }

    /// A comma-separated id list (`1,2,3`), when it was sent.
    pub(crate) fn query_ids(&self, name: &str) -> Result<Option<Vec<i64>>, Fail> {
        self.query_text(name)
            .map(|text| {
                text.split(',')
                    .map(|id| {
                        id.trim()
                            .parse()
                            .map_err(|_| Fail::invalid_field(name, "올바르지 않은 값입니다."))
                    })
                    .collect()
            })
            .transpose()
    }

    /// The request body as the operation's generated type. The body was already checked
    /// against the spec, so a failure here is a field the type cannot hold.
    pub(crate) fn body<T: DeserializeOwned>(&self, body: Option<Value>) -> Result<T, Fail> {
        let body = body.ok_or_else(|| Fail::invalid_field("body", "필수 값이 누락되었습니다."))?;
        serde_path_to_error::deserialize(body).map_err(|e| {
            let field = e.path().to_string();
            Fail::invalid_field(&field, &e.into_inner().to_string())
        })
    }

    /// The payload as JSON. The generated types always serialize; the failure is kept as a
    /// 500 rather than a panic.
    pub(crate) fn payload<T: Serialize>(&self, payload: &T) -> Result<Value, Fail> {
        serde_json::to_value(payload).map_err(|e| Fail::internal(&e.to_string()))
    }
}

impl std::fmt::Display for Fail {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match &self.reason {
            Value::String(text) => write!(f, "{}: {text}", self.code),
            other => write!(f, "{}: {other}", self.code),
        }
    }
}

impl std::error::Error for Fail {}

/// A vendor-style failure: HTTP 200 with `resultType: FAIL` (or another status where the
/// vendor answers with one), an `errorCode` and a `reason` that is text or a field map.
#[derive(Debug, Clone, PartialEq)]
pub struct Fail {
    pub(crate) status: u16,
    pub(crate) code: String,
    pub(crate) reason: Value,
}

impl Fail {
    /// A failure with the vendor's `errorCode` and a text reason, in HTTP 200.
    pub fn new(code: impl Into<String>, reason: impl Into<String>) -> Self {
        Self {
            status: 200,
            code: code.into(),
            reason: Value::String(reason.into()),
        }
    }

    /// `NOT_FOUND`, as for an unknown product (`존재하지 않는 상품 정보입니다. (id)`).
    pub fn not_found(reason: impl Into<String>) -> Self {
        Self::new("NOT_FOUND", reason)
    }

    /// `BAD_REQUEST`: a request the state does not allow, such as a forbidden transition.
    pub fn bad_request(reason: impl Into<String>) -> Self {
        Self::new("BAD_REQUEST", reason)
    }

    /// `INVALID_REQUEST` with a field → message map, as the vendor reports broken requests.
    pub fn invalid(fields: BTreeMap<String, String>) -> Self {
        let map = fields
            .into_iter()
            .map(|(field, message)| (field, Value::String(message)))
            .collect();
        Self {
            status: 200,
            code: "INVALID_REQUEST".into(),
            reason: Value::Object(map),
        }
    }

    /// `INVALID_REQUEST` for one field.
    pub fn invalid_field(field: &str, message: &str) -> Self {
        Self::invalid(BTreeMap::from([(field.to_string(), message.to_string())]))
    }

    /// `TOO_MANY_REQUEST`: the seller went over a rate-limit class's quota.
    pub fn too_many_requests() -> Self {
        Self::new(
            "TOO_MANY_REQUEST",
            "요청량이 너무 많습니다. 잠시 후 다시 시도해 주세요.",
        )
    }

    /// The vendor's wrapped server error: FAIL with `errorCode` `"500"`.
    pub fn internal(reason: &str) -> Self {
        Self::new("500", format!("Internal Server Error: {reason}"))
    }

    /// The vendor's `errorCode`.
    pub fn code(&self) -> &str {
        &self.code
    }

    /// The vendor's `reason`: text, or a field → message map for a refused request.
    pub fn reason(&self) -> &Value {
        &self.reason
    }

    /// The vendor envelope of this failure.
    pub(crate) fn envelope(&self) -> Value {
        serde_json::json!({
            "resultType": "FAIL",
            "success": null,
            "error": {
                "errorType": 0,
                "errorCode": self.code,
                "reason": self.reason,
                "data": {},
                "title": null,
            },
        })
    }
}
