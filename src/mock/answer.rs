//! The answers a mock gives, shaped as the vendor sends them: the `SUCCESS` and `FAIL`
//! envelopes (throttling too arrives as a `FAIL` inside HTTP 200), a 5xx without a readable
//! body, and a 401.

use serde::Serialize;
use serde_json::{Value, json};
use wiremock::ResponseTemplate;

use crate::error::{ErrorCode, Reason};

/// The vendor's reason text when it throttles a seller.
const THROTTLED: &str = "요청량이 너무 많습니다. 잠시 후 다시 시도해 주세요.";

/// HTTP 200 with `{"resultType":"SUCCESS","success":<payload>,"error":null}`.
pub(crate) fn success<T: Serialize>(payload: &T) -> ResponseTemplate {
    match serde_json::to_value(payload) {
        Ok(payload) => json_answer(
            200,
            &json!({"resultType": "SUCCESS", "success": payload, "error": null}),
        ),
        // A generated type always serializes; should one not, the test sees why.
        Err(e) => ResponseTemplate::new(500).set_body_string(format!(
            "toss_shopping::mock cannot serialize the payload: {e}"
        )),
    }
}

/// HTTP 200 with a `FAIL` envelope carrying `code` and `reason`, as the live API sends it.
pub(crate) fn failure(code: &ErrorCode, reason: &Reason) -> ResponseTemplate {
    json_answer(200, &fail_envelope(code.as_str(), reason_json(reason)))
}

/// `TOO_MANY_REQUEST` inside HTTP 200, the way the vendor throttles.
pub(crate) fn throttled() -> ResponseTemplate {
    failure(
        &ErrorCode::TooManyRequest,
        &Reason::Text(THROTTLED.to_string()),
    )
}

/// A server error of `status` whose body is no envelope (a proxy's error page).
pub(crate) fn server_error(status: u16) -> ResponseTemplate {
    ResponseTemplate::new(status).set_body_raw(
        format!("<html><body>{status} server error</body></html>"),
        "text/html",
    )
}

/// HTTP 401 without a body: the token was rejected.
pub(crate) fn unauthorized() -> ResponseTemplate {
    ResponseTemplate::new(401)
}

/// `status` with `body` as JSON.
pub(crate) fn json_answer(status: u16, body: &Value) -> ResponseTemplate {
    ResponseTemplate::new(status).set_body_raw(body.to_string(), "application/json")
}

fn fail_envelope(code: &str, reason: Value) -> Value {
    json!({
        "resultType": "FAIL",
        "success": null,
        "error": {"errorType": 0, "errorCode": code, "reason": reason, "data": {}, "title": null}
    })
}

/// The vendor's `reason`: text, a field → message object, or `null`.
fn reason_json(reason: &Reason) -> Value {
    match reason {
        Reason::Text(text) => Value::String(text.clone()),
        Reason::Fields(fields) => json!(fields),
        Reason::None => Value::Null,
    }
}
