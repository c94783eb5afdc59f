//! Requests refused before sending: which operation, which field, which rule.
//!
//! The generated builders report a bad or missing value as a message (progenitor and typify
//! only carry strings). Their messages have a fixed shape — `conversion to `X` for f failed:
//! …`, `error converting supplied value for f: …`, `f was not initialized`, `no value supplied
//! for f` — which this module reads back into a field path and a [`Problem`], so that users
//! can match on what went wrong and read a message that names it.

use std::fmt;

use crate::operation::OperationMeta;

/// The pattern of the comma-separated id lists some list operations take (`1,2,3`).
const ID_LIST_PATTERN: &str = "^[0-9]+(,[0-9]+)*$";

/// A request that was not sent because a value was missing or broke the spec's rules.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InvalidRequestError {
    /// The operation (its Rust method name, e.g. `register_product`).
    pub operation: &'static str,
    /// Where the value belongs: a builder argument (`order_ids`) or a path into the body
    /// (`body.stocks`, `body.exposure.description`).
    pub field: String,
    /// What was wrong with it.
    pub problem: Problem,
    /// The request body's type, when the operation takes one.
    pub body_type: Option<&'static str>,
}

/// What was wrong with a value.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Problem {
    /// A required value was not set.
    Missing,
    /// The text does not match the spec's pattern.
    Pattern {
        /// The regular expression from the spec.
        pattern: String,
    },
    /// Not a comma-separated list of numeric ids (`1,2,3`).
    IdList,
    /// The text is longer than the spec allows.
    TooLong {
        /// The most characters allowed.
        max: usize,
    },
    /// The text is shorter than the spec allows.
    TooShort {
        /// The fewest characters allowed.
        min: usize,
    },
    /// A list has too few or too many items.
    Count {
        /// The number of items given.
        actual: usize,
        /// The fewest items allowed.
        min: Option<usize>,
        /// The most items allowed.
        max: Option<usize>,
    },
    /// The value could not be converted to the type the spec asks for.
    Conversion {
        /// The Rust type expected.
        expected: String,
        /// Why the conversion failed.
        reason: String,
    },
    /// Any other reason, as the builder gave it.
    Other(String),
}

impl InvalidRequestError {
    /// Reads a generated builder's message for `operation`.
    pub(crate) fn from_builder(operation: &'static OperationMeta, message: &str) -> Self {
        let (field, problem) = parse(message);
        Self {
            operation: operation.operation_id,
            field,
            problem,
            body_type: operation.request_body,
        }
    }
}

impl fmt::Display for InvalidRequestError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "invalid {} request: ", self.operation)?;
        match (&self.problem, self.field.as_str(), self.body_type) {
            (Problem::Missing, "body", Some(body)) => write!(
                f,
                "the request body is missing; set it with `.body(..)`, a {}",
                body_type_name(body)
            ),
            (Problem::Missing, field, _) => write!(f, "`{field}` is required but was not set"),
            (problem, field, _) => write!(f, "`{field}` {problem}"),
        }
    }
}

impl std::error::Error for InvalidRequestError {}

fn body_type_name(schema: &str) -> String {
    if schema == "FreeFormObject" {
        "JSON object (`serde_json::Map<String, serde_json::Value>`)".to_string()
    } else {
        format!("`types::{schema}`")
    }
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Missing => f.write_str("is required but was not set"),
            Self::Pattern { pattern } => write!(f, "does not match the pattern {pattern}"),
            Self::IdList => f.write_str("must be comma-separated numeric ids, like 1,2,3"),
            Self::TooLong { max } => write!(f, "is longer than {max} characters"),
            Self::TooShort { min } => write!(f, "is shorter than {min} characters"),
            Self::Count { actual, min, max } => {
                write!(f, "has {actual} items; ")?;
                match (min, max) {
                    (Some(min), Some(max)) => write!(f, "expected {min} to {max}"),
                    (Some(min), None) => write!(f, "expected at least {min}"),
                    (None, Some(max)) => write!(f, "expected at most {max}"),
                    (None, None) => f.write_str("expected another count"),
                }
            }
            Self::Conversion { expected, reason } => {
                write!(f, "cannot be converted to `{expected}`")?;
                if reason.is_empty() {
                    Ok(())
                } else {
                    write!(f, ": {reason}")
                }
            }
            Self::Other(message) => f.write_str(message),
        }
    }
}

/// The prefix typify's struct builders put before a field's conversion error.
const FIELD_PREFIX: &str = "error converting supplied value for ";

/// Reads a builder message into a field path and a problem.
fn parse(message: &str) -> (String, Problem) {
    // Operation-builder argument: `conversion to `X` for f failed[: reason]`.
    if let Some(rest) = message.strip_prefix("conversion to `")
        && let Some((expected, rest)) = rest.split_once("` for ")
        && let Some((field, reason)) = rest.split_once(" failed")
    {
        let reason = reason.strip_prefix(": ").unwrap_or(reason);
        let expected = expected.replace(' ', "");
        return if field == "body" {
            nested("body", reason)
        } else {
            let problem = terminal(reason).unwrap_or(Problem::Conversion {
                expected,
                reason: reason.to_string(),
            });
            (field.to_string(), problem)
        };
    }
    if let Some(field) = message.strip_suffix(" was not initialized") {
        return (field.to_string(), Problem::Missing);
    }
    // Anything else comes from building the body at send time.
    nested("body", message)
}

/// A path below `parent` from nested struct-builder messages.
fn nested(parent: &str, message: &str) -> (String, Problem) {
    let mut path = parent.to_string();
    let mut rest = message;
    while let Some(after) = rest.strip_prefix(FIELD_PREFIX) {
        let Some((field, reason)) = after.split_once(": ") else {
            break;
        };
        path.push('.');
        path.push_str(field);
        rest = reason;
    }
    if let Some(field) = rest.strip_prefix("no value supplied for ") {
        path.push('.');
        path.push_str(field);
        return (path, Problem::Missing);
    }
    let problem = terminal(rest).unwrap_or_else(|| Problem::Other(rest.to_string()));
    (path, problem)
}

/// The rule a terminal message names, if it is one the generated code writes.
fn terminal(message: &str) -> Option<Problem> {
    if let Some(pattern) = message
        .strip_prefix("doesn't match pattern \"")
        .and_then(|p| p.strip_suffix('"'))
    {
        let pattern = pattern.to_string();
        return Some(if pattern == ID_LIST_PATTERN {
            Problem::IdList
        } else {
            Problem::Pattern { pattern }
        });
    }
    let number = |prefix: &str| {
        message
            .strip_prefix(prefix)?
            .strip_suffix(" characters")?
            .parse::<usize>()
            .ok()
    };
    if let Some(max) = number("longer than ") {
        return Some(Problem::TooLong { max });
    }
    if let Some(min) = number("shorter than ") {
        return Some(Problem::TooShort { min });
    }
    count(message)
}

/// The message [`check_item_count`] writes: `has N items; expected [A to B]`.
fn count(message: &str) -> Option<Problem> {
    let rest = message.strip_prefix("has ")?;
    let (actual, bounds) = rest.split_once(" items; expected ")?;
    let bound = |text: &str| -> Option<Option<usize>> {
        if text == "-" {
            Some(None)
        } else {
            text.parse().ok().map(Some)
        }
    };
    let (min, max) = bounds.split_once(" to ")?;
    Some(Problem::Count {
        actual: actual.parse().ok()?,
        min: bound(min)?,
        max: bound(max)?,
    })
}

/// Checks a request body of one operation; see [`crate::operation::check_request_body`].
#[cfg(feature = "wire-checks")]
pub(crate) type BodyCheck =
    fn(&'static OperationMeta, &[u8]) -> Result<serde_json::Value, InvalidRequestError>;

/// A body of the generated type `T`: decoded (required fields, patterns, lengths), then
/// passed through its builder `B`, which checks the item counts as when the client sends it.
#[cfg(feature = "wire-checks")]
pub(crate) fn check_body<T, B>(
    operation: &'static OperationMeta,
    body: &[u8],
) -> Result<serde_json::Value, InvalidRequestError>
where
    T: serde::de::DeserializeOwned + serde::Serialize + TryFrom<B>,
    <T as TryFrom<B>>::Error: fmt::Display,
    B: From<T>,
{
    let decoded: T =
        serde_json::from_slice(body).map_err(|error| decoding_refusal(operation, body, &error))?;
    let checked = T::try_from(B::from(decoded))
        .map_err(|error| InvalidRequestError::from_builder(operation, &error.to_string()))?;
    serde_json::to_value(checked).map_err(|error| InvalidRequestError {
        operation: operation.operation_id,
        field: "body".to_string(),
        problem: Problem::Other(error.to_string()),
        body_type: operation.request_body,
    })
}

/// A free-form body: any JSON object.
#[cfg(feature = "wire-checks")]
pub(crate) fn check_free_form_body(
    operation: &'static OperationMeta,
    body: &[u8],
) -> Result<serde_json::Value, InvalidRequestError> {
    check_body::<
        serde_json::Map<String, serde_json::Value>,
        serde_json::Map<String, serde_json::Value>,
    >(operation, body)
}

/// Why a body did not decode, at its JSON path.
#[cfg(feature = "wire-checks")]
fn decoding_refusal(
    operation: &'static OperationMeta,
    body: &[u8],
    error: &serde_json::Error,
) -> InvalidRequestError {
    let path = crate::json_path::at_error(body, error);
    // serde_json appends the position; the path already says where.
    let message = crate::envelope::without_position(error);
    let message = message.as_str();
    let mut field = if path == "." {
        "body".to_string()
    } else {
        format!("body.{path}")
    };
    let problem = if let Some(missing) = message
        .strip_prefix("missing field `")
        .and_then(|m| m.strip_suffix('`'))
    {
        field.push('.');
        field.push_str(missing);
        Problem::Missing
    } else {
        terminal(message).unwrap_or_else(|| Problem::Other(message.to_string()))
    };
    InvalidRequestError {
        operation: operation.operation_id,
        field,
        problem,
        body_type: operation.request_body,
    }
}

/// Checks a list's length against the spec's `minItems`/`maxItems` while a body is built
/// (typify does not check them). An optional list left empty is not sent, so it passes.
#[doc(hidden)]
pub fn check_item_count(
    field: &str,
    actual: usize,
    required: bool,
    min: Option<usize>,
    max: Option<usize>,
) -> Result<(), String> {
    if !required && actual == 0 {
        return Ok(());
    }
    let too_few = min.is_some_and(|min| actual < min);
    let too_many = max.is_some_and(|max| actual > max);
    if !too_few && !too_many {
        return Ok(());
    }
    let bound = |b: Option<usize>| b.map_or_else(|| "-".to_string(), |b| b.to_string());
    Err(format!(
        "{FIELD_PREFIX}{field}: has {actual} items; expected {} to {}",
        bound(min),
        bound(max)
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn missing_arguments_and_body_fields() {
        assert_eq!(
            parse("product_id was not initialized"),
            ("product_id".into(), Problem::Missing)
        );
        assert_eq!(
            parse("no value supplied for name"),
            ("body.name".into(), Problem::Missing)
        );
        assert_eq!(
            parse(
                "error converting supplied value for exposure: no value supplied for description"
            ),
            ("body.exposure.description".into(), Problem::Missing)
        );
    }

    #[test]
    fn rules_are_read_back() {
        let (field, problem) = parse(
            "conversion to `ListClaimsOrderIds` for order_ids failed: doesn't match pattern \"^[0-9]+(,[0-9]+)*$\"",
        );
        assert_eq!((field.as_str(), problem), ("order_ids", Problem::IdList));
        let (field, problem) = parse(
            "conversion to `ProductRegistration` for body failed: error converting supplied value for brand_name: longer than 50 characters",
        );
        assert_eq!(field, "body.brand_name");
        assert_eq!(problem, Problem::TooLong { max: 50 });
        let message = check_item_count("stocks", 301, true, Some(1), Some(300)).unwrap_err();
        assert_eq!(
            parse(&message),
            (
                "body.stocks".into(),
                Problem::Count {
                    actual: 301,
                    min: Some(1),
                    max: Some(300)
                }
            )
        );
        assert!(check_item_count("images", 0, false, Some(1), None).is_ok());
    }

    #[test]
    fn unknown_messages_are_kept() {
        let (field, problem) = parse("something new");
        assert_eq!(field, "body");
        assert_eq!(problem, Problem::Other("something new".into()));
    }
}
