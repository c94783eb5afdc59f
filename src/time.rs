//! Timestamps as the API writes them: Korea Standard Time without an offset.

use std::fmt;
use std::str::FromStr;

use chrono::{DateTime, FixedOffset, NaiveDate, NaiveDateTime, TimeZone, Utc};
use serde::{Deserialize, Deserializer, Serialize, Serializer};

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

/// An instant the API sent as a local date-time in Korea Standard Time.
///
/// The wire form is `2026-07-11T20:51:39` (fractions allowed), without an offset; a value
/// with an explicit offset (`2026-07-11T20:51:39+09:00` or `...Z`) is accepted too. The
/// value is kept as a fixed-offset date-time in KST and written back in the offset-less form.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct KstDateTime(DateTime<FixedOffset>);

impl KstDateTime {
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
}

impl KstDateTime {
    /// Reads a wall-clock time as Korean local time (`None` only at the edges of chrono's range).
    pub fn from_naive_kst(value: NaiveDateTime) -> Option<Self> {
        KST.from_local_datetime(&value).single().map(Self)
    }
}

impl From<DateTime<Utc>> for KstDateTime {
    fn from(value: DateTime<Utc>) -> Self {
        Self(value.with_timezone(&KST))
    }
}

/// Why a text is not a KST date-time.
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
        if let Ok(with_offset) = DateTime::parse_from_rfc3339(text) {
            return Ok(Self(with_offset.with_timezone(&KST)));
        }
        // Some answers use a space instead of `T`; both are the same local time.
        [
            "%Y-%m-%dT%H:%M:%S%.f",
            "%Y-%m-%d %H:%M:%S%.f",
            "%Y-%m-%dT%H:%M",
        ]
        .iter()
        .find_map(|format| NaiveDateTime::parse_from_str(text, format).ok())
        .and_then(Self::from_naive_kst)
        .ok_or_else(|| ParseKstDateTimeError(text.chars().take(40).collect()))
    }
}

impl fmt::Display for KstDateTime {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.0.naive_local().format("%Y-%m-%dT%H:%M:%S%.f"))
    }
}

impl fmt::Debug for KstDateTime {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}+09:00", self)
    }
}

impl Serialize for KstDateTime {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for KstDateTime {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = <std::borrow::Cow<'de, str>>::deserialize(deserializer)?;
        text.parse().map_err(serde::de::Error::custom)
    }
}

impl schemars::JsonSchema for KstDateTime {
    fn schema_name() -> String {
        "KstDateTime".to_string()
    }

    fn json_schema(_: &mut schemars::r#gen::SchemaGenerator) -> schemars::schema::Schema {
        schemars::schema::SchemaObject {
            instance_type: Some(schemars::schema::InstanceType::String.into()),
            metadata: Some(Box::new(schemars::schema::Metadata {
                description: Some(
                    "Local date-time in Korea Standard Time without an offset, e.g. 2026-07-11T20:51:39"
                        .to_string(),
                ),
                ..Default::default()
            })),
            ..Default::default()
        }
        .into()
    }
}

/// A calendar date the API sent as `yyyy-MM-dd` (Korean calendar).
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Debug)]
pub struct KstDate(NaiveDate);

impl KstDate {
    /// The date.
    pub fn date(&self) -> NaiveDate {
        self.0
    }
}

impl FromStr for KstDate {
    type Err = ParseKstDateTimeError;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        NaiveDate::parse_from_str(text, "%Y-%m-%d")
            .map(Self)
            .map_err(|_| ParseKstDateTimeError(text.chars().take(40).collect()))
    }
}

impl fmt::Display for KstDate {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.0.format("%Y-%m-%d"))
    }
}

impl Serialize for KstDate {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for KstDate {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = <std::borrow::Cow<'de, str>>::deserialize(deserializer)?;
        text.parse().map_err(serde::de::Error::custom)
    }
}

impl schemars::JsonSchema for KstDate {
    fn schema_name() -> String {
        "KstDate".to_string()
    }

    fn json_schema(generator: &mut schemars::r#gen::SchemaGenerator) -> schemars::schema::Schema {
        String::json_schema(generator)
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
}
