//! The live API's quirks that a test may want to switch off, to see how an integration copes
//! with the other way round: failures inside HTTP 200, and timestamps without an offset.
//!
//! Two quirks are not switches. Expired tokens get HTTP 401 (set the lifetime with
//! [`LocalServerBuilder::token_lifetime`](super::LocalServerBuilder::token_lifetime)), and
//! throttling follows the quotas ([`quotas`](super::LocalServerBuilder::quotas)). The payload
//! keys (`results` for orders, `items` elsewhere) are the spec's, because the server answers
//! in the generated types.

use serde_json::Value;

/// Which live quirks the server reproduces; [`Quirks::live`] (all of them) by default.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Quirks {
    pub(crate) failures_in_http_200: bool,
    pub(crate) offset_less_timestamps: bool,
}

impl Default for Quirks {
    fn default() -> Self {
        Self::live()
    }
}

impl Quirks {
    /// As the live API: every FAIL in HTTP 200, every timestamp without an offset
    /// (`2026-05-28T10:00:00`, meant as Korean time).
    pub fn live() -> Self {
        Self {
            failures_in_http_200: true,
            offset_less_timestamps: true,
        }
    }

    /// Sends each FAIL with the HTTP status its code suggests (400, 404, 429, 500), as some
    /// relays and future API versions may. The envelope stays the same.
    pub fn failures_with_http_status(mut self) -> Self {
        self.failures_in_http_200 = false;
        self
    }

    /// Writes every timestamp with its `+09:00` offset.
    pub fn timestamps_with_offset(mut self) -> Self {
        self.offset_less_timestamps = false;
        self
    }

    /// The HTTP status of a FAIL with this `errorCode`.
    pub(crate) fn fail_status(&self, code: &str, status: u16) -> u16 {
        if self.failures_in_http_200 || status != 200 {
            return status;
        }
        match code {
            "NOT_FOUND" => 404,
            "TOO_MANY_REQUEST" => 429,
            "500" => 500,
            _ => 400,
        }
    }

    /// The payload as the quirks say: timestamps given their offset when that is asked for.
    pub(crate) fn payload(&self, mut payload: Value) -> Value {
        if !self.offset_less_timestamps {
            add_offsets(&mut payload);
        }
        payload
    }
}

/// Appends `+09:00` to every text that is a timestamp without an offset.
fn add_offsets(value: &mut Value) {
    match value {
        Value::String(text) if is_offset_less_timestamp(text) => text.push_str("+09:00"),
        Value::Array(items) => items.iter_mut().for_each(add_offsets),
        Value::Object(fields) => fields.values_mut().for_each(add_offsets),
        _ => {}
    }
}

/// `yyyy-MM-ddTHH:mm:ss` with optional fractions, and nothing after.
fn is_offset_less_timestamp(text: &str) -> bool {
    let bytes = text.as_bytes();
    let layout = b"dddd-dd-ddTdd:dd:dd";
    bytes.len() >= layout.len()
        && layout.iter().zip(bytes).all(|(want, got)| match want {
            b'd' => got.is_ascii_digit(),
            other => other == got,
        })
        && bytes.get(layout.len()..).is_some_and(|rest| {
            rest.is_empty()
                || (rest.first() == Some(&b'.') && rest.iter().skip(1).all(u8::is_ascii_digit))
        })
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn only_timestamps_without_an_offset_get_one() {
        let mut payload = json!({
            "orderedAt": "2026-05-28T10:00:00",
            "rows": [{"at": "2026-05-28T10:00:00.123"}],
            "date": "2026-05-28",
            "done": "2026-05-28T10:00:00+09:00",
            "name": "2026-05-28T10:00:00 사과",
        });
        add_offsets(&mut payload);
        assert_eq!(payload["orderedAt"], "2026-05-28T10:00:00+09:00");
        assert_eq!(payload["rows"][0]["at"], "2026-05-28T10:00:00.123+09:00");
        assert_eq!(payload["date"], "2026-05-28");
        assert_eq!(payload["done"], "2026-05-28T10:00:00+09:00");
        assert_eq!(payload["name"], "2026-05-28T10:00:00 사과");
    }

    #[test]
    fn live_failures_stay_in_http_200_and_others_get_their_status() {
        let live = Quirks::live();
        assert_eq!(live.fail_status("NOT_FOUND", 200), 200);
        let statuses = Quirks::live().failures_with_http_status();
        assert_eq!(statuses.fail_status("NOT_FOUND", 200), 404);
        assert_eq!(statuses.fail_status("TOO_MANY_REQUEST", 200), 429);
        assert_eq!(statuses.fail_status("INVALID_REQUEST", 200), 400);
        assert_eq!(statuses.fail_status("500", 200), 500);
    }
}
