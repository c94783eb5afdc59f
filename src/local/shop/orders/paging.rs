//! The paging and date-window rules the order, claim and settlement lists share: opaque
//! cursors that name the last row handed out, and windows of whole KST days with a maximum
//! length.

use std::collections::BTreeMap;

use chrono::NaiveDate;
use serde_json::Value;

use crate::local::{Call, Fail};

/// The message the lists answer with for a value they cannot use.
const NOT_VALID: &str = "올바르지 않은 값입니다.";

/// An opaque cursor that points after the row `id`. Hex of a small JSON object, so it looks
/// like the vendor's (base64 JSON) without promising callers anything about its content.
pub(crate) fn cursor(key: &str, id: i64) -> String {
    let json = serde_json::json!({ key: id }).to_string();
    json.bytes().map(|byte| format!("{byte:02x}")).collect()
}

/// The row id a cursor from [`cursor`] points after, read from the query parameter `param`;
/// `None` when it was not sent. A cursor this server did not hand out is an
/// `INVALID_REQUEST` on that parameter.
pub(crate) fn after(call: &Call, param: &str, key: &str) -> Result<Option<i64>, Fail> {
    let Some(text) = call.query_text(param) else {
        return Ok(None);
    };
    decode(text, key)
        .map(Some)
        .ok_or_else(|| Fail::invalid_field(param, NOT_VALID))
}

/// Reads a cursor back; `None` for anything [`cursor`] would not have written.
fn decode(text: &str, key: &str) -> Option<i64> {
    let bytes = text
        .as_bytes()
        .chunks(2)
        .map(|pair| u8::from_str_radix(std::str::from_utf8(pair).ok()?, 16).ok())
        .collect::<Option<Vec<u8>>>()?;
    let json: Value = serde_json::from_slice(&bytes).ok()?;
    json.get(key)?.as_i64()
}

/// The page size from the query parameter `param`: `default` when not sent, and an
/// `INVALID_REQUEST` below 1 or above `max`.
pub(crate) fn page_size(
    call: &Call,
    param: &str,
    default: usize,
    max: usize,
) -> Result<usize, Fail> {
    let Some(size) = call.query::<i64>(param)? else {
        return Ok(default);
    };
    usize::try_from(size)
        .ok()
        .filter(|size| (1..=max).contains(size))
        .ok_or_else(|| Fail::invalid_field(param, &format!("1 이상 {max} 이하여야 합니다.")))
}

/// A window of whole KST days, first and last day included.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct DayWindow {
    /// The first day.
    pub(crate) first: NaiveDate,
    /// The last day.
    pub(crate) last: NaiveDate,
}

impl DayWindow {
    /// Whether the day lies inside the window.
    pub(crate) fn contains(&self, day: NaiveDate) -> bool {
        self.first <= day && day <= self.last
    }
}

/// The window between the date parameters `from` and `to`, both required. A last day before
/// the first, or more than `max_days` days after it, is an `INVALID_REQUEST` naming `to`
/// (the vendor reads "at most N days after the first day").
pub(crate) fn window(call: &Call, from: &str, to: &str, max_days: i64) -> Result<DayWindow, Fail> {
    let first = required_date(call, from)?;
    let last = required_date(call, to)?;
    checked(first, last, to, max_days)
}

/// The window of optional date parameters: neither sent means no window; one missing is
/// taken as `max_days` away from the other.
pub(crate) fn optional_window(
    call: &Call,
    from: &str,
    to: &str,
    max_days: i64,
) -> Result<Option<DayWindow>, Fail> {
    let first = call.query::<NaiveDate>(from)?;
    let last = call.query::<NaiveDate>(to)?;
    let span = chrono::Duration::days(max_days);
    let (first, last) = match (first, last) {
        (None, None) => return Ok(None),
        (Some(first), Some(last)) => (first, last),
        (Some(first), None) => (first, first + span),
        (None, Some(last)) => (last - span, last),
    };
    checked(first, last, to, max_days).map(Some)
}

/// Checks the order and length of a window.
fn checked(first: NaiveDate, last: NaiveDate, to: &str, max_days: i64) -> Result<DayWindow, Fail> {
    let days = (last - first).num_days();
    if days < 0 {
        return Err(Fail::invalid_field(
            to,
            "종료일은 시작일보다 빠를 수 없습니다.",
        ));
    }
    if days > max_days {
        return Err(Fail::invalid_field(
            to,
            &format!("조회 기간은 최대 {max_days}일입니다."),
        ));
    }
    Ok(DayWindow { first, last })
}

/// A required date parameter (the wire already checked its presence and format; this keeps
/// a vendor-style failure rather than a panic should it ever be missing).
fn required_date(call: &Call, name: &str) -> Result<NaiveDate, Fail> {
    call.query::<NaiveDate>(name)?.ok_or_else(|| {
        Fail::invalid(BTreeMap::from([(
            name.to_string(),
            "필수 값이 누락되었습니다.".to_string(),
        )]))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_cursor_reads_back_and_a_foreign_one_does_not() {
        let text = cursor("orderProductId", 271_690_012);
        assert_eq!(decode(&text, "orderProductId"), Some(271_690_012));
        assert_eq!(decode(&text, "id"), None);
        assert_eq!(decode("zz", "id"), None);
        assert_eq!(decode("abc", "id"), None);
    }
}
