//! The mock of one operation without its types: what it matches (read from the operation's
//! [`OperationMeta`]) and how it answers. [`OperationMock`](super::OperationMock) is the
//! typed face of the same thing; [`all`](super::all) and [`for_operation`](super::for_operation)
//! hand these out by operation id.

use std::fmt;

use serde::Serialize;
use serde_json::Value;
use wiremock::matchers::{bearer_token, method};
use wiremock::{Match, Mock, MockBuilder, ResponseTemplate};

use super::answer;
use super::matching::{JsonBody, Nothing, PathTemplate, QueryPairs};
use super::values::{Expected, wire_text};
use crate::error::{ErrorCode, Reason};
use crate::operation::{OperationMeta, ParamLocation};

/// A mock of one operation, matching its method and path template, and any parameters,
/// body and bearer token the test asks for. Answering it (`respond_*`) gives the
/// [`wiremock::Mock`] to mount.
pub struct AnyOperationMock {
    meta: &'static OperationMeta,
    path: PathTemplate,
    query: QueryPairs,
    body: Option<Value>,
    bearer: Option<String>,
    extra: Vec<Box<dyn Match>>,
    /// Why the mock can match nothing, when a test set a value the client cannot send.
    problem: Option<String>,
}

impl fmt::Debug for AnyOperationMock {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // The extra matchers are opaque; the bearer token is a secret even in tests' logs.
        f.debug_struct("AnyOperationMock")
            .field("operation", &self.meta.operation_id)
            .field("path", &self.path)
            .field("query", &self.query)
            .field("body", &self.body)
            .field("bearer", &self.bearer.as_ref().map(|_| "<redacted>"))
            .field("extra_matchers", &self.extra.len())
            .field("problem", &self.problem)
            .finish()
    }
}

impl AnyOperationMock {
    /// A mock of the operation `meta`, matching its method and path template only.
    pub fn new(meta: &'static OperationMeta) -> Self {
        Self {
            meta,
            path: PathTemplate::of(meta),
            query: QueryPairs::default(),
            body: None,
            bearer: None,
            extra: Vec::new(),
            problem: None,
        }
    }

    /// What the spec says about the mocked operation.
    pub fn meta(&self) -> &'static OperationMeta {
        self.meta
    }

    /// Matches only requests whose parameter `name` (a path or query parameter, by its wire
    /// name such as `productId`) is `value`.
    pub fn param(mut self, name: &str, value: impl fmt::Display) -> Self {
        self.pin(name, &value.to_string());
        self
    }

    /// Matches only requests with every parameter in `expected`; the generated typed
    /// matchers hand over their values this way. A conversion that failed makes the mock
    /// match nothing.
    pub(crate) fn expect_params(mut self, expected: Result<Expected, String>) -> Self {
        match expected {
            Ok(values) => {
                for (name, value) in values {
                    match wire_text(name, &value) {
                        Ok(text) => self.pin(name, &text),
                        Err(problem) => self.problem = Some(problem),
                    }
                }
            }
            Err(problem) => self.problem = Some(problem),
        }
        self
    }

    fn pin(&mut self, name: &str, text: &str) {
        let location = self.meta.params.iter().find(|p| p.name == name);
        match location.map(|p| p.location) {
            Some(ParamLocation::Path) if self.path.pin(name, text) => {}
            Some(ParamLocation::Query) => {
                self.query.pairs.push((name.to_string(), text.to_string()));
            }
            _ => {
                self.problem = Some(format!(
                    "{} has no parameter {name:?}",
                    self.meta.operation_id
                ));
            }
        }
    }

    /// Matches only requests whose query string holds nothing but the parameters the test
    /// set (by default other parameters are allowed).
    pub fn exact_query(mut self) -> Self {
        self.query.exact = true;
        self
    }

    /// Matches only requests whose JSON body equals `body` (key order aside).
    pub fn body_json(mut self, body: &impl Serialize) -> Self {
        match serde_json::to_value(body) {
            Ok(body) => self.body = Some(body),
            Err(e) => self.problem = Some(format!("the body does not serialize: {e}")),
        }
        self
    }

    /// Matches only requests carrying `Authorization: Bearer <token>`.
    pub fn bearer_token(mut self, token: impl Into<String>) -> Self {
        self.bearer = Some(token.into());
        self
    }

    /// Matches only requests `matcher` also accepts, for anything the typed setters do not
    /// cover (a header, a body predicate).
    pub fn and(mut self, matcher: impl Match + 'static) -> Self {
        self.extra.push(Box::new(matcher));
        self
    }

    /// Answers a `SUCCESS` envelope around `payload`, as JSON.
    pub fn respond_ok_json(self, payload: &impl Serialize) -> Mock {
        self.respond_with(answer::success(payload))
    }

    /// Answers a `FAIL` envelope inside HTTP 200 with the vendor's `code` and `reason`,
    /// which the client reports as [`Error::Api`](crate::Error::Api).
    pub fn respond_fail(self, code: ErrorCode, reason: impl Into<Reason>) -> Mock {
        self.respond_with(answer::failure(&code, &reason.into()))
    }

    /// Answers `TOO_MANY_REQUEST` inside HTTP 200, as the vendor throttles; the client
    /// reports [`Error::RateLimited`](crate::Error::RateLimited).
    pub fn respond_throttled(self) -> Mock {
        self.respond_with(answer::throttled())
    }

    /// Answers HTTP `status` (a 5xx) with a body that is no envelope; the client reports
    /// [`Error::Server`](crate::Error::Server).
    pub fn respond_server_error(self, status: u16) -> Mock {
        self.respond_with(answer::server_error(status))
    }

    /// Answers HTTP 401; the client reports [`Error::Unauthorized`](crate::Error::Unauthorized)
    /// (after one token refresh and replay when it has credentials).
    pub fn respond_unauthorized(self) -> Mock {
        self.respond_with(answer::unauthorized())
    }

    /// Answers with `template`, for an answer the other methods do not give.
    pub fn respond_with(self, template: ResponseTemplate) -> Mock {
        let name = self.name();
        self.into_builder().respond_with(template).named(name)
    }

    /// The wiremock builder with every matcher of this mock, to answer with your own
    /// [`wiremock::Respond`].
    pub fn into_builder(self) -> MockBuilder {
        let mut builder = Mock::given(method(self.meta.method)).and(self.path);
        if !self.query.pairs.is_empty() || self.query.exact {
            builder = builder.and(self.query);
        }
        if let Some(body) = self.body {
            builder = builder.and(JsonBody(body));
        }
        if let Some(token) = self.bearer {
            builder = builder.and(bearer_token(token));
        }
        for matcher in self.extra {
            builder = builder.and(BoxedMatch(matcher));
        }
        if self.problem.is_some() {
            builder = builder.and(Nothing);
        }
        builder
    }

    /// The mock's default name in wiremock's reports: the operation, its method and path,
    /// and why it matches nothing when it does not.
    fn name(&self) -> String {
        let base = format!(
            "{} ({} {})",
            self.meta.operation_id, self.meta.method, self.meta.path
        );
        match &self.problem {
            Some(problem) => format!("{base}, matching nothing: {problem}"),
            None => base,
        }
    }
}

/// A boxed matcher, since wiremock takes matchers by type.
struct BoxedMatch(Box<dyn Match>);

impl Match for BoxedMatch {
    fn matches(&self, request: &wiremock::Request) -> bool {
        self.0.matches(request)
    }
}
