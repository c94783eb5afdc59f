//! The typed mock of one operation: the generated parameter matcher of the operation picks
//! its path and query values with the request builder's own setters, `.body` takes the
//! operation's request body type and `.respond_ok` its payload type.

use std::fmt;
use std::marker::PhantomData;

use serde::Serialize;
use serde::de::DeserializeOwned;
use wiremock::{Match, Mock, MockBuilder, ResponseTemplate};

use super::any::AnyOperationMock;
use super::values::Expected;
use crate::error::{ErrorCode, Reason};
use crate::operation::OperationMeta;

/// One operation, as its mock sees it. Implemented by the generated parameter matcher of
/// every operation (in [`params`](super::params)); there is nothing to implement by hand.
pub trait MockOperation: Default + Send + 'static {
    /// What a successful call of the operation yields.
    type Payload: Serialize + DeserializeOwned;
    /// The operation's request body; [`NoBody`] when it takes none.
    type Body: Serialize;
    /// What the spec says about the operation.
    fn meta() -> &'static OperationMeta;
    /// The parameters set on this matcher, by wire name, or why one could not be converted.
    fn expected(&self) -> Result<Expected, String>;
}

/// The request body of an operation that takes none. It has no values, so
/// [`OperationMock::body`] cannot be called on such an operation's mock.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NoBody {}

impl Serialize for NoBody {
    fn serialize<S: serde::Serializer>(&self, _: S) -> Result<S::Ok, S::Error> {
        match *self {}
    }
}

/// A typed mock of one operation, made by the operation's constructor such as
/// [`list_order_products`](super::list_order_products). Narrow what it matches with
/// [`when`](Self::when), [`body`](Self::body) and [`bearer_token`](Self::bearer_token), then
/// pick its answer with a `respond_*` method, which gives the [`wiremock::Mock`] to mount.
pub struct OperationMock<O: MockOperation> {
    inner: AnyOperationMock,
    operation: PhantomData<fn() -> O>,
}

impl<O: MockOperation> fmt::Debug for OperationMock<O> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.inner.fmt(f)
    }
}

impl<O: MockOperation> Default for OperationMock<O> {
    fn default() -> Self {
        Self::new()
    }
}

impl<O: MockOperation> OperationMock<O> {
    /// A mock matching the operation's method and path template only.
    pub fn new() -> Self {
        Self {
            inner: AnyOperationMock::new(O::meta()),
            operation: PhantomData,
        }
    }

    /// What the spec says about the mocked operation.
    pub fn meta(&self) -> &'static OperationMeta {
        O::meta()
    }

    /// Matches only requests with the path and query parameters set by `params`, which
    /// receives the operation's parameter matcher: its setters have the request builder's
    /// names and types (`.when(|p| p.product_id(1234))`). Parameters left unset match
    /// anything, as do query parameters the test did not set unless
    /// [`exact_query`](Self::exact_query).
    pub fn when(self, params: impl FnOnce(O) -> O) -> Self {
        let expected = params(O::default()).expected();
        self.map(|inner| inner.expect_params(expected))
    }

    /// Matches only requests whose query string holds nothing but the parameters set with
    /// [`when`](Self::when).
    pub fn exact_query(self) -> Self {
        self.map(AnyOperationMock::exact_query)
    }

    /// Matches only requests whose JSON body equals `body`.
    pub fn body(self, body: &O::Body) -> Self {
        self.map(|inner| inner.body_json(body))
    }

    /// Matches only requests carrying `Authorization: Bearer <token>`.
    pub fn bearer_token(self, token: impl Into<String>) -> Self {
        self.map(|inner| inner.bearer_token(token))
    }

    /// Matches only requests `matcher` also accepts.
    pub fn and(self, matcher: impl Match + 'static) -> Self {
        self.map(|inner| inner.and(matcher))
    }

    /// Answers a `SUCCESS` envelope around `payload`, which the client yields as `Ok`.
    pub fn respond_ok(self, payload: O::Payload) -> Mock {
        self.inner.respond_ok_json(&payload)
    }

    /// Answers a `FAIL` envelope inside HTTP 200 with the vendor's `code` and `reason`,
    /// which the client reports as [`Error::Api`](crate::Error::Api).
    pub fn respond_fail(self, code: ErrorCode, reason: impl Into<Reason>) -> Mock {
        self.inner.respond_fail(code, reason)
    }

    /// Answers `TOO_MANY_REQUEST` inside HTTP 200; the client reports
    /// [`Error::RateLimited`](crate::Error::RateLimited).
    pub fn respond_throttled(self) -> Mock {
        self.inner.respond_throttled()
    }

    /// Answers HTTP `status` (a 5xx) with a body that is no envelope; the client reports
    /// [`Error::Server`](crate::Error::Server).
    pub fn respond_server_error(self, status: u16) -> Mock {
        self.inner.respond_server_error(status)
    }

    /// Answers HTTP 401; the client reports [`Error::Unauthorized`](crate::Error::Unauthorized).
    pub fn respond_unauthorized(self) -> Mock {
        self.inner.respond_unauthorized()
    }

    /// Answers with `template`, for an answer the other methods do not give.
    pub fn respond_with(self, template: ResponseTemplate) -> Mock {
        self.inner.respond_with(template)
    }

    /// The wiremock builder with every matcher of this mock.
    pub fn into_builder(self) -> MockBuilder {
        self.inner.into_builder()
    }

    /// The same mock without its types.
    pub fn erase(self) -> AnyOperationMock {
        self.inner
    }

    fn map(self, f: impl FnOnce(AnyOperationMock) -> AnyOperationMock) -> Self {
        Self {
            inner: f(self.inner),
            operation: PhantomData,
        }
    }
}
