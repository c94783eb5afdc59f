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

/// The paging dialect of a list operation (the API has several).
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

/// How a list operation is paged: the dialect and the names of its paging fields, from the
/// spec's `x-toss-pagination` (modelled on Smithy's `@paginated`). The build checks every
/// name against the operation's parameters and payload, so these are never typos.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Paginated {
    /// The dialect.
    pub style: Pagination,
    /// The query parameter that takes the previous page's cursor, e.g. `nextToken`.
    pub input_token: Option<&'static str>,
    /// The payload property holding the next page's cursor; `None` where it is not documented.
    pub output_token: Option<&'static str>,
    /// The payload property holding the page's items; `None` where it is not documented.
    pub items: Option<&'static str>,
    /// The query parameter that sets the page size, e.g. `size`.
    pub page_size: Option<&'static str>,
    /// The payload property that says whether another page follows, where there is one.
    pub has_next: Option<&'static str>,
    /// Whether later pages must carry the first request's filters again with the cursor.
    pub resend_filters: bool,
}

impl Paginated {
    /// An operation that is not paged.
    pub const NONE: Self = Self {
        style: Pagination::None,
        input_token: None,
        output_token: None,
        items: None,
        page_size: None,
        has_next: None,
        resend_filters: false,
    };
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

/// How a list operation takes a date window: whole days in Korean time, sent as `yyyy-MM-dd`
/// query parameters, from the spec's `x-toss-window`. The build checks every name against
/// the operation's parameters and items, so these are never typos.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct DateWindow {
    /// The widest window the vendor accepts, in calendar days (31 for orders, 7 for claims).
    pub max_days: u32,
    /// The query parameter taking the window's first day, e.g. `startDate`.
    pub from: &'static str,
    /// The query parameter taking the window's last day, e.g. `endDate`.
    pub to: &'static str,
    /// The item property that identifies a row, e.g. `orderProductId`, used to drop a row
    /// that two adjacent windows both return. `None` where no single property does (settlement
    /// lines): a row is then identified by its whole content.
    pub item_id: Option<&'static str>,
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
    /// How the operation is paged.
    pub pagination: Paginated,
    /// Whether re-sending is safe.
    pub retry: RetrySafety,
    /// The widest date window (in days) a list accepts, where one applies (the same number
    /// as [`DateWindow::max_days`] of [`window`](Self::window)).
    pub max_window_days: Option<u64>,
    /// Where the list takes a date window, from the spec's `x-toss-window`; see
    /// [`crate::window`].
    pub window: Option<DateWindow>,
    /// A documented unusually long duration (product registration can take 30 minutes).
    pub timeout: Option<Duration>,
    /// Whether the vendor documents that a `SUCCESS` may come without a payload (some writes
    /// answer `{}` or nothing). For every other operation a missing payload is a decode error.
    pub empty_success: bool,
    /// The schema of the request body, when the operation takes one (`FreeFormObject` for a
    /// raw JSON object).
    pub request_body: Option<&'static str>,
    /// The path and query parameters, as the spec lists them.
    pub params: &'static [Param],
}

/// One path or query parameter of an operation, as the spec describes it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Param {
    /// The name on the wire, e.g. `startDate`.
    pub name: &'static str,
    /// Where it goes.
    pub location: ParamLocation,
    /// Whether a request without it is refused.
    pub required: bool,
    /// What kind of value it takes.
    pub kind: ParamKind,
    /// The spec's regular expression for a text value, e.g. the id lists' `^[0-9]+(,[0-9]+)*$`.
    pub pattern: Option<&'static str>,
    /// The spec's description, for help texts.
    pub description: &'static str,
}

/// Where a parameter goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ParamLocation {
    /// A segment of the path, e.g. `{productId}`.
    Path,
    /// The query string.
    Query,
}

/// What kind of value a parameter takes, from its schema.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ParamKind {
    /// Any text (subject to [`Param::pattern`]).
    Text,
    /// A whole number.
    Integer,
    /// A calendar day, `yyyy-MM-dd`.
    Date,
    /// One of a fixed set of values.
    OneOf(&'static [&'static str]),
}

impl Param {
    /// Checks one value against the spec's rules for this parameter: the kind, the pattern
    /// and the allowed values. The error says what the spec asks for.
    pub fn check(&self, value: &str) -> Result<(), String> {
        match self.kind {
            ParamKind::Integer if value.parse::<i64>().is_err() => {
                return Err(format!("must be a whole number, not {value:?}"));
            }
            ParamKind::Date if value.parse::<crate::time::KstDate>().is_err() => {
                return Err(format!("must be a day as yyyy-MM-dd, not {value:?}"));
            }
            ParamKind::OneOf(values) if !values.contains(&value) => {
                return Err(format!(
                    "must be one of {}, not {value:?}",
                    values.join(", ")
                ));
            }
            _ => {}
        }
        match self.pattern {
            Some(pattern) if !pattern_matches(pattern, value) => {
                Err(format!("does not match the pattern {pattern}"))
            }
            _ => Ok(()),
        }
    }
}

fn pattern_matches(pattern: &str, value: &str) -> bool {
    // An unparsable pattern is the spec's fault, caught by the build's own use of it; accept.
    regress::Regex::new(pattern).map_or(true, |re| re.find(value).is_some())
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

/// Checks a request body for the operation `operation_id` against the spec's rules, as the
/// client checks the bodies it builds: the generated type (required fields, patterns,
/// lengths) and the item counts. Gives the body back as JSON when it passes. `None` when the
/// spec has no such operation or the operation takes no body. For servers and tools that
/// receive requests, such as a local stand-in for the API. Field paths in the error are JSON
/// paths (`body.stocks[0].valueName`). Behind the `wire-checks` feature.
#[cfg(feature = "wire-checks")]
pub fn check_request_body(
    operation_id: &str,
    body: &[u8],
) -> Option<Result<serde_json::Value, crate::invalid::InvalidRequestError>> {
    let all = operations();
    let index = all
        .binary_search_by(|op| op.operation_id.cmp(operation_id))
        .ok()?;
    let check = crate::api::operations::BODY_CHECKS
        .get(index)
        .copied()
        .flatten()?;
    Some(check(&all[index], body))
}

/// Decodes a whole answer (the envelope, as received) of the operation `operation_id`
/// exactly as a call would, and gives the payload back as JSON. `None` when the spec has no
/// such operation. For tools and tests that check recorded answers against the client. Behind
/// the `wire-checks` feature.
#[cfg(feature = "wire-checks")]
pub fn decode_answer(
    operation_id: &str,
    body: &[u8],
) -> Option<Result<serde_json::Value, crate::Error>> {
    let all = operations();
    let index = all
        .binary_search_by(|op| op.operation_id.cmp(operation_id))
        .ok()?;
    let decode = crate::api::operations::DECODERS.get(index)?;
    Some(decode(&all[index], body))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A query parameter of the real table.
    fn param(operation_id: &str, name: &str) -> Param {
        let op = find(operation_id).expect("the operation");
        *op.params
            .iter()
            .find(|p| p.name == name)
            .expect("the parameter")
    }

    #[test]
    fn parameter_values_are_checked_against_the_spec() {
        let size = param("list_products", "size");
        assert_eq!(size.kind, ParamKind::Integer);
        assert!(size.check("20").is_ok());
        assert!(size.check("twenty").is_err());

        let start = param("list_order_products", "startDate");
        assert!(start.required);
        assert!(start.check("2026-12-02").is_ok());
        assert!(start.check("2026-02-30").is_err());

        let status = param("list_order_products", "status");
        assert!(status.check("PAID").is_ok());
        let refusal = status.check("SHIPPING").expect_err("not in the filter set");
        assert!(refusal.contains("PREPARING_PRODUCT"), "{refusal}");

        let ids = param("list_products", "productIds");
        assert!(ids.check("1,2,3").is_ok());
        assert!(ids.check("1,,2").is_err());
    }
}
