//! What the spec says about each operation beyond its shape: the vendor facts kept as
//! `x-toss-*` extensions (evidence, rate-limit class, pagination, date window, retry safety).
//!
//! The table is generated from `spec/toss-shopping.yaml`, so code, docs and tests read these
//! facts from one place.

use std::time::Duration;

/// How strong the evidence is for an operation's existence and path.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Confidence {
    /// Seen in the official documentation.
    Docs,
    /// Observed against the live API by integrators.
    Live,
    /// Several independent integrators call it the same way.
    Clients,
    /// One integrator only.
    Client,
    /// Inferred, unconfirmed.
    Guess,
}

/// The vendor's rate-limit class, counted per seller and API.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum RateLimitClass {
    /// Reads: 50 requests per second.
    Read,
    /// Writes: 30 requests per second.
    Write,
    /// Product registration and update: 10 requests per second.
    Product,
}

impl RateLimitClass {
    /// The vendor's documented limit in requests per second.
    pub fn requests_per_second(self) -> u32 {
        match self {
            Self::Read => 50,
            Self::Write => 30,
            Self::Product => 10,
        }
    }
}

/// How a list operation is paged (the API has several dialects).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Pagination {
    /// Not paged.
    None,
    /// `nextCursor` + `limit`; the last page has no `nextCursor`.
    NextCursorLimit,
    /// `nextToken` + `size`, with `hasNext`.
    NextTokenSize,
    /// `nextToken` + `size`, without `hasNext`.
    NextTokenSizeNoHasNext,
    /// `nextCursor` / `prevCursor` + `pageSize`.
    TwoWayCursorPageSize,
    /// `cursorItemId` + `pageSize`.
    ItemCursorPageSize,
    /// `cursorId` + `size`.
    IdCursorSize,
    /// `page` + `size`, with `hasNext`.
    PageNumber,
}

/// Whether sending the same request again is safe.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum RetrySafety {
    /// A read: sending it again changes nothing.
    Safe,
    /// Sending the same request again converges to the same state.
    Idempotent,
    /// A failure may still have been applied: read the state before sending again.
    VerifyFirst,
    /// Sending it again can create a duplicate (e.g. a second product): never retry blindly.
    Unsafe,
}

/// One operation of the spec.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OperationMeta {
    /// The id in the project's API reference, e.g. `PRD-01`.
    pub reference_id: &'static str,
    /// The Rust method name on [`Client`](crate::Client), e.g. `register_product`.
    pub operation_id: &'static str,
    /// The HTTP method.
    pub method: &'static str,
    /// The path template, e.g. `/api/v3/shopping-fep/products/{productId}/v2`.
    pub path: &'static str,
    /// The spec tag (area) the operation belongs to.
    pub tag: &'static str,
    /// A one-line summary.
    pub summary: &'static str,
    /// The evidence for the operation's existence and path.
    pub confidence: Confidence,
    /// The rate-limit class.
    pub rate_limit: RateLimitClass,
    /// The paging dialect.
    pub pagination: Pagination,
    /// Whether re-sending is safe.
    pub retry: RetrySafety,
    /// The widest date window (in days) a list accepts, where one applies.
    pub max_window_days: Option<u64>,
    /// A documented unusually long duration (product registration can take 30 minutes).
    pub timeout: Option<Duration>,
}

/// Every operation in the spec, sorted by `operation_id`.
pub fn operations() -> &'static [OperationMeta] {
    &crate::api::operations::OPERATIONS
}

/// The operation with this Rust method name (`operation_id`), if the spec has it.
pub fn find(operation_id: &str) -> Option<&'static OperationMeta> {
    let all = operations();
    all.binary_search_by(|op| op.operation_id.cmp(operation_id))
        .ok()
        .and_then(|index| all.get(index))
}
