//! Timestamps and dates as the API writes them: Korea Standard Time without an offset.
//!
//! [`KstDateTime`] and [`KstDate`] are read by a hand-written fixed-layout parser over bytes
//! (no allocation when the text is valid) and each publishes a JSON-Schema `pattern` that
//! accepts the same texts as its parser, so a validator reading the OpenAPI document and this
//! client agree on what is valid.

use std::fmt;
use std::str::FromStr;

use chrono::{
    DateTime, Datelike, FixedOffset, NaiveDate, NaiveDateTime, NaiveTime, TimeZone, Timelike, Utc,
};
use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::visitors::Text;

/// Korea Standard Time, UTC+9, which has no daylight saving time.
pub const KST: FixedOffset = match FixedOffset::east_opt(9 * 3600) {
    Some(offset) => offset,
    // Evaluated at compile time: 9 hours is a valid offset, so this arm cannot be reached.
    None => panic!("UTC+9 is a valid offset"),
};

/// Today's date in Korea, the calendar the API's `yyyy-MM-dd` query dates use.
///
/// Computing dates from UTC is off by one day between 00:00 and 09:00 KST.
pub fn today_kst() -> NaiveDate {
    Utc::now().with_timezone(&KST).date_naive()
}

/// The `yyyy-MM-dd` part of both patterns, as a literal so `concat!` can use it: months
/// 01-12; days 01-29 in every month, 30 in every month but February, 31 in the seven
/// 31-day months. `[0-9]` rather than `\d`, which some engines read as any Unicode digit.
macro_rules! date_pattern {
    () => {
        "[0-9]{4}-(?:(?:0[1-9]|1[0-2])-(?:0[1-9]|[12][0-9])|(?:0[13-9]|1[0-2])-30|(?:0[13578]|1[02])-31)"
    };
}

/// An instant the API sent as a local date-time in Korea Standard Time.
///
/// The wire form is `2026-07-11T20:51:39`, without an offset. The value is kept as a
/// fixed-offset date-time in KST and written back in that offset-less form, with any
/// fraction of a second kept (as 3, 6 or 9 digits).
///
/// # Accepted text
///
/// ```text
/// date-time = date ("T" / " ") hour ":" minute [":" second ["." 1*9digit]] [offset]
/// date      = year "-" month "-" day
/// offset    = "Z" / ("+" / "-") hour ":" minute
/// ```
///
/// - `year` is 4 digits (0000-9999), `month` 01-12, `day` 01 up to the month's length
///   (29 February only in leap years of the proleptic Gregorian calendar);
/// - `hour` is 00-23, `minute` and `second` 00-59 (no leap second); every field other than
///   the year and the fraction has exactly 2 digits;
/// - a fraction is allowed only after seconds and has 1 to 9 digits;
/// - without an offset the value is KST (UTC+9); with one (`Z`, `+09:00`, `-05:30`, with
///   offset hours 00-23 and minutes 00-59) it is converted to KST;
/// - digits are ASCII only, `T` and `Z` are uppercase, and nothing may come before or after
///   (no surrounding spaces).
///
/// Anything else is a [`ParseKstDateTimeError`]. [`KstDateTime::PATTERN`] is the same grammar
/// as a regular expression, with one documented difference (29 February).
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct KstDateTime(DateTime<FixedOffset>);

impl KstDateTime {
    /// The accepted text as an ECMA-262 regular expression, for the JSON-Schema `pattern`.
    ///
    /// It describes the grammar in the type's documentation, including the length of each
    /// month, with one difference: it accepts `02-29` in every year, while the parser
    /// rejects 29 February outside leap years (a regular expression cannot tell leap years
    /// apart in a readable way). It uses `[0-9]` rather than `\d`, so engines that read `\d`
    /// as any Unicode digit agree; note that Python's `re` also lets `$` match before a
    /// final newline, which ECMA-262 does not.
    ///
    /// ```
    /// # use toss_shopping::time::KstDateTime;
    /// assert_eq!(
    ///     KstDateTime::PATTERN,
    ///     r"^[0-9]{4}-(?:(?:0[1-9]|1[0-2])-(?:0[1-9]|[12][0-9])|(?:0[13-9]|1[0-2])-30|(?:0[13578]|1[02])-31)[T ](?:[01][0-9]|2[0-3]):[0-5][0-9](?::[0-5][0-9](?:\.[0-9]{1,9})?)?(?:Z|[+-](?:[01][0-9]|2[0-3]):[0-5][0-9])?$"
    /// );
    /// ```
    pub const PATTERN: &str = concat!(
        "^",
        date_pattern!(),
        r"[T ](?:[01][0-9]|2[0-3]):[0-5][0-9](?::[0-5][0-9](?:\.[0-9]{1,9})?)?",
        "(?:Z|[+-](?:[01][0-9]|2[0-3]):[0-5][0-9])?$"
    );

    /// The instant as a date-time at UTC+9.
    pub fn as_kst(&self) -> DateTime<FixedOffset> {
        self.0
    }

    /// The instant in UTC.
    pub fn to_utc(&self) -> DateTime<Utc> {
        self.0.with_timezone(&Utc)
    }

    /// The Korean wall-clock date and time, as the API wrote it.
    pub fn naive_kst(&self) -> NaiveDateTime {
        self.0.naive_local()
    }

    /// The Korean calendar date.
    pub fn date_kst(&self) -> NaiveDate {
        self.0.date_naive()
    }

    /// Reads a wall-clock time as Korean local time (`None` only at the edges of chrono's range).
    pub fn from_naive_kst(value: NaiveDateTime) -> Option<Self> {
        KST.from_local_datetime(&value).single().map(Self)
    }

    /// Writes the offset-less wire form into a stack buffer.
    fn render(&self) -> Rendered {
        let local = self.0.naive_local();
        let mut out = Rendered::default();
        out.date(local.date());
        out.push(b'T');
        // chrono keeps a leap second as second 59 with 1_000_000_000 or more nanoseconds.
        let (second, nanos) = match local.nanosecond().checked_sub(1_000_000_000) {
            Some(rest) => (60, rest),
            None => (local.second(), local.nanosecond()),
        };
        out.digits(local.hour(), 2);
        out.push(b':');
        out.digits(local.minute(), 2);
        out.push(b':');
        out.digits(second, 2);
        out.fraction(nanos);
        out
    }
}

impl From<DateTime<Utc>> for KstDateTime {
    fn from(value: DateTime<Utc>) -> Self {
        Self(value.with_timezone(&KST))
    }
}

/// Why a text is not a KST date-time; the message quotes at most the first 40 characters.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParseKstDateTimeError(String);

impl fmt::Display for ParseKstDateTimeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "expected a date-time like 2026-07-11T20:51:39 (KST), got {:?}",
            self.0
        )
    }
}

impl std::error::Error for ParseKstDateTimeError {}

impl FromStr for KstDateTime {
    type Err = ParseKstDateTimeError;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        parse_date_time(text.as_bytes())
            .map(Self)
            .ok_or_else(|| ParseKstDateTimeError(excerpt(text)))
    }
}

impl fmt::Display for KstDateTime {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.pad(self.render().as_str()?)
    }
}

impl fmt::Debug for KstDateTime {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{self}+09:00")
    }
}

impl Serialize for KstDateTime {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let rendered = self.render();
        serializer.serialize_str(rendered.as_str().map_err(serde::ser::Error::custom)?)
    }
}

impl<'de> Deserialize<'de> for KstDateTime {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_str(Text::new("a date-time like 2026-07-11T20:51:39 (KST)"))
    }
}

#[cfg(feature = "schemars")]
impl schemars::JsonSchema for KstDateTime {
    fn schema_name() -> String {
        "KstDateTime".to_string()
    }

    fn json_schema(_: &mut schemars::r#gen::SchemaGenerator) -> schemars::schema::Schema {
        string_schema(
            "Local date-time in Korea Standard Time without an offset, e.g. 2026-07-11T20:51:39",
            Self::PATTERN,
        )
    }
}

/// A calendar date the API sent as `yyyy-MM-dd`, such as a settlement payout date.
///
/// The date is a day of the Korean calendar; it carries no time or offset.
///
/// # Accepted text
///
/// Exactly `yyyy-MM-dd`: a 4-digit year (0000-9999), `-`, month 01-12, `-`, and a 2-digit
/// day from 01 up to the month's length (29 February only in leap years of the proleptic
/// Gregorian calendar). Digits are ASCII only and nothing may come before or after. Anything
/// else is a [`ParseKstDateError`]. [`KstDate::PATTERN`] is the same grammar as a regular
/// expression, with one documented difference (29 February).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct KstDate(NaiveDate);

impl KstDate {
    /// The accepted text as an ECMA-262 regular expression, for the JSON-Schema `pattern`.
    ///
    /// Months 01-12 and days up to each month's length, except that it accepts `02-29` in
    /// every year while the parser rejects 29 February outside leap years.
    ///
    /// ```
    /// # use toss_shopping::time::KstDate;
    /// assert_eq!(
    ///     KstDate::PATTERN,
    ///     "^[0-9]{4}-(?:(?:0[1-9]|1[0-2])-(?:0[1-9]|[12][0-9])|(?:0[13-9]|1[0-2])-30|(?:0[13578]|1[02])-31)$"
    /// );
    /// ```
    pub const PATTERN: &str = concat!("^", date_pattern!(), "$");

    /// The calendar date.
    pub fn date(&self) -> NaiveDate {
        self.0
    }

    /// Writes `yyyy-MM-dd` into a stack buffer.
    fn render(&self) -> Rendered {
        let mut out = Rendered::default();
        out.date(self.0);
        out
    }
}

impl From<NaiveDate> for KstDate {
    fn from(value: NaiveDate) -> Self {
        Self(value)
    }
}

/// Why a text is not a `yyyy-MM-dd` date; the message quotes at most the first 40 characters.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParseKstDateError(String);

impl fmt::Display for ParseKstDateError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "expected a date like 2026-07-11 (yyyy-MM-dd), got {:?}",
            self.0
        )
    }
}

impl std::error::Error for ParseKstDateError {}

impl FromStr for KstDate {
    type Err = ParseKstDateError;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        <[u8; 10]>::try_from(text.as_bytes())
            .ok()
            .and_then(parse_date)
            .map(Self)
            .ok_or_else(|| ParseKstDateError(excerpt(text)))
    }
}

impl fmt::Display for KstDate {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.pad(self.render().as_str()?)
    }
}

impl Serialize for KstDate {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let rendered = self.render();
        serializer.serialize_str(rendered.as_str().map_err(serde::ser::Error::custom)?)
    }
}

impl<'de> Deserialize<'de> for KstDate {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_str(Text::new("a date like 2026-07-11 (yyyy-MM-dd)"))
    }
}

#[cfg(feature = "schemars")]
impl schemars::JsonSchema for KstDate {
    fn schema_name() -> String {
        "KstDate".to_string()
    }

    fn json_schema(_: &mut schemars::r#gen::SchemaGenerator) -> schemars::schema::Schema {
        string_schema(
            "Calendar date in Korea as yyyy-MM-dd, e.g. 2026-07-11",
            Self::PATTERN,
        )
    }
}

/// A string schema with a description and a pattern.
#[cfg(feature = "schemars")]
fn string_schema(description: &str, pattern: &str) -> schemars::schema::Schema {
    schemars::schema::SchemaObject {
        instance_type: Some(schemars::schema::InstanceType::String.into()),
        metadata: Some(Box::new(schemars::schema::Metadata {
            description: Some(description.to_string()),
            ..Default::default()
        })),
        string: Some(Box::new(schemars::schema::StringValidation {
            pattern: Some(pattern.to_string()),
            ..Default::default()
        })),
        ..Default::default()
    }
    .into()
}

/// The start of a rejected text, for an error message that cannot echo a whole payload.
fn excerpt(text: &str) -> String {
    text.chars().take(40).collect()
}

/// Powers of ten, `POW10[n] == 10^n`.
const POW10: [u32; 10] = [
    1,
    10,
    100,
    1_000,
    10_000,
    100_000,
    1_000_000,
    10_000_000,
    100_000_000,
    1_000_000_000,
];

/// The value of one ASCII digit.
fn digit(byte: u8) -> Option<u32> {
    let value = byte.wrapping_sub(b'0');
    (value < 10).then_some(u32::from(value))
}

/// Two ASCII digits as a number from 0 to `max`.
fn two_digits(tens: u8, ones: u8, max: u32) -> Option<u32> {
    let value = digit(tens)? * 10 + digit(ones)?;
    (value <= max).then_some(value)
}

/// `yyyy-MM-dd` with a day that exists in that month and year.
fn parse_date(text: [u8; 10]) -> Option<NaiveDate> {
    let [y0, y1, y2, y3, b'-', m0, m1, b'-', d0, d1] = text else {
        return None;
    };
    let year = digit(y0)? * 1000 + digit(y1)? * 100 + digit(y2)? * 10 + digit(y3)?;
    let month = two_digits(m0, m1, 12)?;
    let day = two_digits(d0, d1, 31)?;
    NaiveDate::from_ymd_opt(i32::try_from(year).ok()?, month, day)
}

/// 1 to 9 ASCII digits (not followed by a tenth) as nanoseconds, and what follows them.
fn parse_fraction(text: &[u8]) -> Option<(u32, &[u8])> {
    let count = text
        .iter()
        .take(10)
        .take_while(|byte| byte.is_ascii_digit())
        .count();
    if count == 0 {
        return None;
    }
    // A tenth digit leaves no power of ten to scale by.
    let scale = POW10.get(9usize.checked_sub(count)?)?;
    let (digits, rest) = text.split_at_checked(count)?;
    let value = digits
        .iter()
        .fold(0, |value, &byte| value * 10 + u32::from(byte - b'0'));
    Some((value * scale, rest))
}

/// The whole grammar of [`KstDateTime`]; `None` for anything else.
fn parse_date_time(text: &[u8]) -> Option<DateTime<FixedOffset>> {
    // The fixed part, `yyyy-MM-ddTHH:mm`.
    let (&[date @ .., between, h0, h1, b':', m0, m1], mut rest) = text.split_first_chunk::<16>()?
    else {
        return None;
    };
    if between != b'T' && between != b' ' {
        return None;
    }
    let date = parse_date(date)?;
    let hour = two_digits(h0, h1, 23)?;
    let minute = two_digits(m0, m1, 59)?;
    let (mut second, mut nanos) = (0, 0);
    if let Some((&[b':', s0, s1], after)) = rest.split_first_chunk::<3>() {
        second = two_digits(s0, s1, 59)?;
        rest = after;
        if let Some((b'.', after)) = rest.split_first() {
            (nanos, rest) = parse_fraction(after)?;
        }
    }
    let offset = match *rest {
        [] => None,
        [b'Z'] => Some(0),
        [sign @ (b'+' | b'-'), h0, h1, b':', m0, m1] => {
            let hours = two_digits(h0, h1, 23)?;
            let minutes = two_digits(m0, m1, 59)?;
            let seconds = i32::try_from(hours * 3600 + minutes * 60).ok()?;
            Some(if sign == b'-' { -seconds } else { seconds })
        }
        _ => return None,
    };
    let local = date.and_time(NaiveTime::from_hms_nano_opt(hour, minute, second, nanos)?);
    let utc = local.checked_sub_offset(match offset {
        None => KST,
        Some(seconds) => FixedOffset::east_opt(seconds)?,
    })?;
    Some(DateTime::from_naive_utc_and_offset(utc, KST))
}

/// A rendered date or date-time on the stack: 32 bytes hold the longest, a signed 6-digit
/// year, `-MM-DDTHH:MM:SS` and a 9-digit fraction.
#[derive(Default)]
struct Rendered {
    bytes: [u8; 32],
    len: usize,
}

impl Rendered {
    /// Appends one byte (dropped if the buffer were full, which the sizes above rule out).
    fn push(&mut self, byte: u8) {
        if let Some(slot) = self.bytes.get_mut(self.len) {
            *slot = byte;
            self.len += 1;
        }
    }

    /// Appends the last `width` decimal digits of `value`, zero-padded.
    fn digits(&mut self, value: u32, width: usize) {
        for power in POW10.iter().take(width).rev() {
            // `% 10` keeps the digit below 10, so it fits in a byte.
            self.push(b'0' + (value / power % 10) as u8);
        }
    }

    /// Appends `yyyy-MM-dd`; years outside 0000-9999 get a sign, as chrono writes them.
    fn date(&mut self, date: NaiveDate) {
        let year = date.year();
        let magnitude = year.unsigned_abs();
        if !(0..=9999).contains(&year) {
            self.push(if year < 0 { b'-' } else { b'+' });
        }
        let width = magnitude.checked_ilog10().map_or(1, |log| log as usize + 1);
        self.digits(magnitude, width.max(4));
        self.push(b'-');
        self.digits(date.month(), 2);
        self.push(b'-');
        self.digits(date.day(), 2);
    }

    /// Appends `.` and the fraction as 3, 6 or 9 digits (nothing for a whole second).
    fn fraction(&mut self, nanos: u32) {
        if nanos == 0 {
            return;
        }
        self.push(b'.');
        if nanos.is_multiple_of(1_000_000) {
            self.digits(nanos / 1_000_000, 3);
        } else if nanos.is_multiple_of(1_000) {
            self.digits(nanos / 1_000, 6);
        } else {
            self.digits(nanos, 9);
        }
    }

    /// The text written so far (always ASCII).
    fn as_str(&self) -> Result<&str, fmt::Error> {
        let bytes = self.bytes.get(..self.len).ok_or(fmt::Error)?;
        std::str::from_utf8(bytes).map_err(|_| fmt::Error)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn offsetless_values_are_korean_time() {
        let t: KstDateTime = "2026-07-11T20:51:39".parse().expect("valid");
        assert_eq!(t.to_utc().to_rfc3339(), "2026-07-11T11:51:39+00:00");
        assert_eq!(t.to_string(), "2026-07-11T20:51:39");
    }

    #[test]
    fn explicit_offsets_and_fractions_are_accepted() {
        let z: KstDateTime = "2026-07-11T11:51:39Z".parse().expect("valid");
        let frac: KstDateTime = "2026-07-11T20:51:39.250".parse().expect("valid");
        assert_eq!(z.naive_kst().to_string(), "2026-07-11 20:51:39");
        assert_eq!(frac.to_string(), "2026-07-11T20:51:39.250");
    }

    #[test]
    fn garbage_is_an_error_not_a_panic() {
        for text in ["", "yesterday", "2026-13-40T99:99:99", "２０２６"] {
            assert!(text.parse::<KstDateTime>().is_err(), "{text}");
        }
    }

    #[test]
    fn serde_round_trip_keeps_the_wire_form() {
        let t: KstDateTime = serde_json::from_str("\"2026-05-28T10:00:00\"").expect("valid");
        assert_eq!(
            serde_json::to_string(&t).expect("serializes"),
            "\"2026-05-28T10:00:00\""
        );
    }

    /// Wall-clock KST text of a parsed value, with the `Debug` offset, or `None` if rejected.
    fn kst(text: &str) -> Option<String> {
        text.parse::<KstDateTime>().ok().map(|t| format!("{t:?}"))
    }

    #[test]
    fn date_time_table() {
        let accepted = [
            ("2026-07-11T20:51:39", "2026-07-11T20:51:39+09:00"),
            ("2026-07-11 20:51:39", "2026-07-11T20:51:39+09:00"),
            ("2026-07-11T20:51", "2026-07-11T20:51:00+09:00"),
            ("2026-07-11T20:51:39.5", "2026-07-11T20:51:39.500+09:00"),
            (
                "2026-07-11T20:51:39.123456789",
                "2026-07-11T20:51:39.123456789+09:00",
            ),
            ("2026-07-11T20:51:39.000", "2026-07-11T20:51:39+09:00"),
            ("2026-07-11T11:51:39Z", "2026-07-11T20:51:39+09:00"),
            ("2026-07-11T20:51:39+09:00", "2026-07-11T20:51:39+09:00"),
            ("2026-07-11T06:21:39-05:30", "2026-07-11T20:51:39+09:00"),
            ("2026-07-11T11:51-00:00", "2026-07-11T20:51:00+09:00"),
            (
                "2026-07-11T20:51:39.25+09:00",
                "2026-07-11T20:51:39.250+09:00",
            ),
            ("2026-07-11T00:00+23:59", "2026-07-10T09:01:00+09:00"),
            ("2026-12-31T23:59:59Z", "2027-01-01T08:59:59+09:00"),
            ("2024-02-29T00:00:00", "2024-02-29T00:00:00+09:00"),
            ("2000-02-29T00:00:00", "2000-02-29T00:00:00+09:00"),
            ("2026-04-30T00:00:00", "2026-04-30T00:00:00+09:00"),
            ("2026-01-31T00:00:00", "2026-01-31T00:00:00+09:00"),
            ("0000-01-01T09:00:00", "0000-01-01T09:00:00+09:00"),
            (
                "9999-12-31T23:59:59.999999999",
                "9999-12-31T23:59:59.999999999+09:00",
            ),
        ];
        for (text, expected) in accepted {
            assert_eq!(kst(text).as_deref(), Some(expected), "{text}");
        }
        let rejected = [
            "",
            "2026-07-11",
            "2026-07-11T",
            "2026-07-11T20",
            "2026-07-11T20:5",
            "2026-02-29T00:00:00",
            "1900-02-29T00:00:00",
            "2026-02-30T00:00:00",
            "2026-04-31T00:00:00",
            "2026-06-31T00:00:00",
            "2026-00-10T00:00:00",
            "2026-13-10T00:00:00",
            "2026-07-00T00:00:00",
            "2026-07-32T00:00:00",
            "2026-07-11T24:00:00",
            "2026-07-11T20:60:00",
            "2026-07-11T20:51:60",
            "2026-07-11T20:51:39.",
            "2026-07-11T20:51:39.1234567890",
            "2026-07-11T20:51.5",
            "2026-07-11T20:51:39,5",
            "2026-07-11t20:51:39",
            "2026-07-11T20:51:39z",
            "2026-07-11T20:51:39+0900",
            "2026-07-11T20:51:39+09",
            "2026-07-11T20:51:39+24:00",
            "2026-07-11T20:51:39+09:60",
            "2026-07-11T20:51:39 +09:00",
            "2026-07-11T20:51:39 ",
            " 2026-07-11T20:51:39",
            "2026-07-11T20:51:39\n",
            "2026-07-11T20:51:39Zx",
            "2026-07-11  20:51:39",
            "2026-07-11_20:51:39",
            "2026/07/11T20:51:39",
            "2026-7-11T20:51:39",
            "2026-07-1T20:51:39",
            "2026-07-11T2:51:39",
            "26-07-11T20:51:39",
            "+2026-07-11T20:51:39",
            "12026-07-11T20:51:39",
            "２０２６-07-11T20:51:39",
            "2026-07-11T20:51:3９",
            "2026-07-11T20:51:39.１",
        ];
        for text in rejected {
            assert_eq!(kst(text), None, "{text:?}");
        }
    }

    #[test]
    fn date_table() {
        let accepted = [
            "2026-07-11",
            "2024-02-29",
            "2000-02-29",
            "2026-02-28",
            "2026-04-30",
            "2026-12-31",
            "0000-01-01",
            "9999-12-31",
        ];
        for text in accepted {
            let date: KstDate = text.parse().expect(text);
            assert_eq!(date.to_string(), text);
        }
        let rejected = [
            "",
            "2026-02-29",
            "1900-02-29",
            "2026-04-31",
            "2026-09-31",
            "2026-02-30",
            "2026-00-01",
            "2026-13-01",
            "2026-01-00",
            "2026-01-32",
            "2026-7-11",
            "2026/07/11",
            "20260711",
            "2026-07-11 ",
            " 2026-07-11",
            "2026-07-11T00:00:00",
            "2026-07-1",
            "２０２６-07-11",
        ];
        for text in rejected {
            assert!(text.parse::<KstDate>().is_err(), "{text:?}");
        }
    }

    #[test]
    fn errors_quote_at_most_forty_characters() {
        let long = format!("2026-07-11T20:51:39{}", "x".repeat(100));
        let message = long.parse::<KstDateTime>().expect_err("junk").to_string();
        assert!(message.contains(&long[..40]) && !message.contains(&long[..41]));
        let message = long.parse::<KstDate>().expect_err("junk").to_string();
        assert!(message.contains(&long[..40]) && !message.contains(&long[..41]));
        assert!(message.starts_with("expected a date like 2026-07-11 (yyyy-MM-dd)"));
    }

    #[test]
    fn display_keeps_fractions_and_writes_years_outside_four_digits_like_chrono() {
        let parse = |text: &str| NaiveDateTime::parse_from_str(text, "%Y-%m-%dT%H:%M:%S%.f");
        for text in [
            "2026-07-11T20:51:39.120",
            "2026-07-11T20:51:39.000120",
            "2026-07-11T20:51:39.000000120",
            "2026-07-11T20:51:39",
        ] {
            let naive = parse(text).expect(text);
            let value = KstDateTime::from_naive_kst(naive).expect("in range");
            assert_eq!(value.to_string(), text);
        }
        for year in [-262_000, -1, 10_000, 262_000] {
            let date = NaiveDate::from_ymd_opt(year, 3, 4).expect("in range");
            assert_eq!(KstDate::from(date).to_string(), date.to_string());
            let value = KstDateTime::from_naive_kst(date.and_hms_opt(5, 6, 7).expect("valid"))
                .expect("in range");
            assert_eq!(
                value.to_string(),
                value.naive_kst().format("%Y-%m-%dT%H:%M:%S%.f").to_string()
            );
        }
    }

    #[test]
    fn leap_seconds_are_written_as_second_sixty_like_chrono() {
        let leap = NaiveDate::from_ymd_opt(2016, 12, 31)
            .and_then(|d| d.and_hms_nano_opt(23, 59, 59, 1_500_000_000))
            .expect("leap second");
        let value = KstDateTime::from(leap.and_utc());
        assert_eq!(value.to_string(), "2017-01-01T08:59:60.500");
        assert!(value.to_string().parse::<KstDateTime>().is_err());
    }

    #[test]
    fn kst_date_serde() {
        let date: KstDate = serde_json::from_str("\"2026-07-11\"").expect("valid");
        assert_eq!(
            date.date(),
            NaiveDate::from_ymd_opt(2026, 7, 11).expect("valid")
        );
        assert_eq!(
            serde_json::to_string(&date).expect("serializes"),
            "\"2026-07-11\""
        );
        let owned: KstDate =
            serde_json::from_value(serde_json::json!("2026-07-11")).expect("owned string");
        assert_eq!(owned, date);
        let error = serde_json::from_str::<KstDate>("\"2026-02-29\"").expect_err("no such day");
        assert!(error.to_string().contains("yyyy-MM-dd"), "{error}");
        let error = serde_json::from_str::<KstDate>("20260711").expect_err("a number");
        assert!(
            error.to_string().contains("a date like 2026-07-11"),
            "{error}"
        );
    }

    #[cfg(feature = "schemars")]
    #[test]
    fn kst_schemas_carry_the_patterns() {
        let schema = serde_json::to_value(schemars::schema_for!(KstDate)).expect("schema");
        assert_eq!(schema["type"], "string");
        assert_eq!(schema["pattern"], KstDate::PATTERN);
        assert!(schema["description"].is_string());
        let schema = serde_json::to_value(schemars::schema_for!(KstDateTime)).expect("schema");
        assert_eq!(schema["type"], "string");
        assert_eq!(schema["pattern"], KstDateTime::PATTERN);
    }

    #[test]
    fn owned_strings_deserialize_too() {
        let t: KstDateTime =
            serde_json::from_value(serde_json::json!("2026-07-11T20:51:39")).expect("valid");
        assert_eq!(t.to_string(), "2026-07-11T20:51:39");
        // An escaped string cannot be lent and reaches the visitor as a copy.
        let t: KstDateTime =
            serde_json::from_str("\"2026-07-11T20\\u003a51:39\"").expect("escaped colon");
        assert_eq!(t.to_string(), "2026-07-11T20:51:39");
    }
}
