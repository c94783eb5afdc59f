//! The wiremock matchers a mock is made of: the operation's path template (with any path
//! parameters the test pinned), its query parameters, its JSON body, a form field of the
//! token request, and the matcher of a mock that must match nothing.

use serde_json::Value;
use wiremock::{Match, Request};

use crate::operation::{OperationMeta, ParamKind, ParamLocation};

/// One segment of a path template.
#[derive(Debug, Clone)]
enum Segment {
    /// Must be exactly this text.
    Literal(String),
    /// A `{name}` parameter: any one segment (digits only for a whole number), or exactly
    /// `expected` once the test pins it.
    Param {
        name: String,
        integer: bool,
        expected: Option<String>,
    },
}

/// Matches a request whose path fits the operation's path template, such as
/// `/api/v3/shopping-fep/products/{productId}/v2` for any product id.
#[derive(Debug, Clone)]
pub(crate) struct PathTemplate {
    segments: Vec<Segment>,
}

impl PathTemplate {
    /// The template of `meta`, with every path parameter open.
    pub(crate) fn of(meta: &OperationMeta) -> Self {
        let integer = |name: &str| {
            meta.params.iter().any(|p| {
                p.name == name && p.location == ParamLocation::Path && p.kind == ParamKind::Integer
            })
        };
        let segments = meta
            .path
            .split('/')
            .map(
                |segment| match segment.strip_prefix('{').and_then(|s| s.strip_suffix('}')) {
                    Some(name) => Segment::Param {
                        name: name.to_string(),
                        integer: integer(name),
                        expected: None,
                    },
                    None => Segment::Literal(segment.to_string()),
                },
            )
            .collect();
        Self { segments }
    }

    /// Pins the path parameter `name` to `value`; false when the template has no such
    /// parameter.
    pub(crate) fn pin(&mut self, name: &str, value: &str) -> bool {
        let mut found = false;
        for segment in &mut self.segments {
            if let Segment::Param {
                name: n, expected, ..
            } = segment
                && n == name
            {
                *expected = Some(value.to_string());
                found = true;
            }
        }
        found
    }
}

impl Match for PathTemplate {
    fn matches(&self, request: &Request) -> bool {
        let actual: Vec<&str> = request.url.path().split('/').collect();
        actual.len() == self.segments.len()
            && self
                .segments
                .iter()
                .zip(actual)
                .all(|(segment, actual)| segment_matches(segment, actual))
    }
}

fn segment_matches(segment: &Segment, actual: &str) -> bool {
    match segment {
        Segment::Literal(text) => text == actual,
        Segment::Param {
            expected: Some(value),
            ..
        } => value == actual || encoded_segment(value).is_some_and(|encoded| encoded == actual),
        Segment::Param { integer: true, .. } => actual.parse::<i64>().is_ok(),
        Segment::Param { .. } => !actual.is_empty(),
    }
}

/// `text` percent-encoded as one path segment, as it appears in a request's URL.
fn encoded_segment(text: &str) -> Option<String> {
    let mut url = url::Url::parse("http://segment.invalid/").ok()?;
    url.path_segments_mut().ok()?.clear().push(text);
    Some(url.path().trim_start_matches('/').to_string())
}

/// Matches a request whose query string holds these pairs; with `exact`, nothing else.
#[derive(Debug, Clone, Default)]
pub(crate) struct QueryPairs {
    pub(crate) pairs: Vec<(String, String)>,
    pub(crate) exact: bool,
}

impl Match for QueryPairs {
    fn matches(&self, request: &Request) -> bool {
        let mut actual: Vec<(String, String)> = request
            .url
            .query_pairs()
            .map(|(k, v)| (k.into_owned(), v.into_owned()))
            .collect();
        if self.exact {
            let mut expected = self.pairs.clone();
            expected.sort();
            actual.sort();
            return actual == expected;
        }
        self.pairs.iter().all(|pair| actual.contains(pair))
    }
}

/// Matches a request whose body is JSON equal to this value (key order aside).
#[derive(Debug, Clone)]
pub(crate) struct JsonBody(pub(crate) Value);

impl Match for JsonBody {
    fn matches(&self, request: &Request) -> bool {
        serde_json::from_slice::<Value>(&request.body).is_ok_and(|body| body == self.0)
    }
}

/// Matches a form-encoded request body with this field set to this value.
#[derive(Debug, Clone)]
pub(crate) struct FormField {
    pub(crate) name: &'static str,
    pub(crate) value: String,
}

impl Match for FormField {
    fn matches(&self, request: &Request) -> bool {
        url::form_urlencoded::parse(&request.body)
            .any(|(name, value)| name == self.name && value == self.value)
    }
}

/// Matches nothing: the mock of a test that set a value the client could never send (a
/// conversion that failed, a parameter the operation does not have). The unmatched request
/// then fails the test where it is made, instead of a mock matching too much.
#[derive(Debug, Clone)]
pub(crate) struct Nothing;

impl Match for Nothing {
    fn matches(&self, _: &Request) -> bool {
        false
    }
}
