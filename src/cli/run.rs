//! One operation run from the command line: the values the user gave ([`Request`]), what the
//! generated runner gives back ([`Answer`]), and what can go wrong ([`CliError`]).

use std::future::Future;
use std::pin::Pin;

use chrono::NaiveDate;
use futures_core::Stream;
use futures_util::StreamExt;
use futures_util::stream::BoxStream;
use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::Value;

use crate::window::KstRange;

/// A boxed future, as the generated runners return.
pub(crate) type BoxFuture<'a, T> = Pin<Box<dyn Future<Output = T> + Send + 'a>>;

/// The generated runner of one operation (`api::cli::RUNNERS`).
pub(crate) type Runner =
    for<'a> fn(&'a crate::Client, &'a Request) -> BoxFuture<'a, Result<Answer<'a>, CliError>>;

/// What the user asked for one operation: parameter values by wire name, the body, and how
/// to read a list.
#[derive(Debug, Default)]
pub(crate) struct Request {
    /// Parameter values by their wire name (`startDate`), as typed.
    pub(crate) values: Vec<(String, String)>,
    /// The request body, already read from `--body`.
    pub(crate) body: Option<Value>,
    /// `--all`: every item of every page.
    pub(crate) all: bool,
    /// `--from`/`--to`: the date range to walk in the vendor's windows.
    pub(crate) range: Option<KstRange>,
}

impl Request {
    fn value(&self, wire: &str) -> Option<&str> {
        self.values
            .iter()
            .find(|(name, _)| name == wire)
            .map(|(_, value)| value.as_str())
    }

    /// A text value, handed to the builder, which checks it against the spec.
    pub(crate) fn text(&self, wire: &str) -> Option<String> {
        self.value(wire).map(str::to_string)
    }

    /// A whole-number value.
    pub(crate) fn integer(&self, wire: &str) -> Result<Option<i64>, CliError> {
        self.value(wire)
            .map(|text| {
                text.parse().map_err(|_| {
                    CliError::usage(format!("--{}: {text:?} is not a whole number", kebab(wire)))
                })
            })
            .transpose()
    }

    /// A `yyyy-MM-dd` day.
    pub(crate) fn date(&self, wire: &str) -> Result<Option<NaiveDate>, CliError> {
        self.value(wire)
            .map(|text| {
                text.parse().map_err(|_| {
                    CliError::usage(format!(
                        "--{}: {text:?} is not a day like 2026-12-02",
                        kebab(wire)
                    ))
                })
            })
            .transpose()
    }

    /// The body as the operation's type; a mismatch names the JSON path.
    pub(crate) fn body<T: DeserializeOwned>(&self) -> Result<Option<T>, CliError> {
        self.body
            .clone()
            .map(|body| {
                serde_path_to_error::deserialize(body).map_err(|error| {
                    let path = error.path().to_string();
                    CliError::usage(format!("--body: at {path}: {}", error.into_inner()))
                })
            })
            .transpose()
    }
}

/// What an operation gave back: one payload, or a stream of items (or pages) for `--all` and
/// date ranges, printed one JSON line each.
pub(crate) enum Answer<'a> {
    /// The success payload.
    One(Value),
    /// Items, one at a time, as they are read.
    Lines(BoxStream<'a, Result<Value, CliError>>),
}

impl<'a> Answer<'a> {
    /// A payload, as JSON.
    pub(crate) fn one<T: Serialize>(payload: T) -> Result<Self, CliError> {
        Ok(Self::One(to_json(&payload)?))
    }

    /// A stream of items or pages, each turned into JSON as it comes.
    pub(crate) fn lines<T, S>(items: S) -> Self
    where
        T: Serialize,
        S: Stream<Item = Result<T, crate::Error>> + Send + 'a,
    {
        let json = items.map(|item| item.map_err(CliError::Sdk).and_then(|item| to_json(&item)));
        Self::Lines(json.boxed())
    }
}

/// The generated types always serialize; a failure is still reported, never a panic.
fn to_json<T: Serialize>(payload: &T) -> Result<Value, CliError> {
    serde_json::to_value(payload).map_err(|e| CliError::Other(format!("printing the answer: {e}")))
}

/// Why a command failed; each kind has its own exit code (see [`super::exit`]).
#[derive(Debug)]
pub(crate) enum CliError {
    /// The command line was wrong: a missing or malformed value.
    Usage(String),
    /// The SDK's error: from the API, the network, the token, or a refused request.
    Sdk(crate::Error),
    /// No usable credentials or token, found before anything was sent.
    Auth(String),
    /// Anything else, with what was being done.
    Other(String),
    /// Whoever read the output stopped reading (`| head`): not a failure.
    OutputClosed,
}

impl CliError {
    /// A usage error with its message.
    pub(crate) fn usage(message: impl Into<String>) -> Self {
        Self::Usage(message.into())
    }
}

impl From<crate::Error> for CliError {
    fn from(error: crate::Error) -> Self {
        Self::Sdk(error)
    }
}

/// A wire name as a flag: `startDate` → `start-date`.
pub(crate) fn kebab(wire: &str) -> String {
    let mut out = String::with_capacity(wire.len() + 4);
    for (index, ch) in wire.chars().enumerate() {
        if ch.is_ascii_uppercase() {
            if index > 0 {
                out.push('-');
            }
            out.push(ch.to_ascii_lowercase());
        } else if ch == '_' {
            out.push('-');
        } else {
            out.push(ch);
        }
    }
    out
}
