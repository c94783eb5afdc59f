//! Typed [wiremock](https://docs.rs/wiremock) mocks of every operation and of the token
//! endpoint, for the tests of code that uses this SDK (the `mock` feature).
//!
//! Each operation has a constructor named after its client method, such as
//! [`list_order_products`], returning an [`OperationMock`] that matches the operation's
//! method and path template (`/products/{productId}/v2` matches any product id). Narrow it
//! with [`when`](OperationMock::when), whose closure receives the operation's parameter
//! matcher with the request builder's own setters, [`body`](OperationMock::body) (the
//! operation's request body type) and [`bearer_token`](OperationMock::bearer_token). Then
//! pick the answer, which gives a plain [`wiremock::Mock`] to `.expect(n)`, `.named(..)` and
//! mount:
//!
//! | method | the client yields |
//! |---|---|
//! | [`respond_ok(payload)`](OperationMock::respond_ok) (the operation's payload type) | `Ok(payload)` |
//! | [`respond_fail(code, reason)`](OperationMock::respond_fail) | [`Error::Api`](crate::Error::Api) with that code and reason |
//! | [`respond_throttled()`](OperationMock::respond_throttled) | [`Error::RateLimited`](crate::Error::RateLimited) (from inside HTTP 200) |
//! | [`respond_server_error(503)`](OperationMock::respond_server_error) | [`Error::Server`](crate::Error::Server) |
//! | [`respond_unauthorized()`](OperationMock::respond_unauthorized) | [`Error::Unauthorized`](crate::Error::Unauthorized) |
//!
//! [`token`] mocks the OAuth2 token endpoint, for clients built with credentials.
//!
//! ```
//! use toss_shopping::types::{OrderProduct, OrderProductPage, OrderStatusFilter};
//! use toss_shopping::{Client, Error, ErrorCode, RetryPolicy, mock};
//! use wiremock::MockServer;
//!
//! # #[tokio::main(flavor = "current_thread")]
//! # async fn main() -> Result<(), Box<dyn std::error::Error>> {
//! let server = MockServer::start().await;
//! let client = Client::builder()
//!     .base_url(server.uri())
//!     .credentials("access-key", "secret-key")
//!     .token_url(format!("{}{}", server.uri(), mock::TOKEN_PATH))
//!     .retry(RetryPolicy::none())
//!     .build()?;
//! let first = chrono::NaiveDate::from_ymd_opt(2026, 7, 1).ok_or("a day")?;
//!
//! mock::token().client_id("access-key").respond_ok("token-1").mount(&server).await;
//! let page = OrderProductPage {
//!     results: vec![OrderProduct { order_product_id: Some(271684435), ..Default::default() }],
//!     next_cursor: None,
//! };
//! mock::list_order_products()
//!     .when(|p| p.start_date(first).status(OrderStatusFilter::Paid))
//!     .bearer_token("token-1")
//!     .respond_ok(page)
//!     .expect(1)
//!     .mount(&server)
//!     .await;
//! mock::get_product()
//!     .when(|p| p.product_id(999))
//!     .respond_fail(ErrorCode::NotFound, "존재하지 않는 상품 정보입니다.")
//!     .mount(&server)
//!     .await;
//!
//! let page = client
//!     .list_order_products()
//!     .start_date(first)
//!     .end_date(first)
//!     .status(OrderStatusFilter::Paid)
//!     .await?;
//! assert_eq!(page.results[0].order_product_id, Some(271684435));
//! let missing = client.get_product().product_id(999).await;
//! assert!(matches!(missing, Err(Error::Api(api)) if api.code == ErrorCode::NotFound));
//! # Ok(())
//! # }
//! ```
//!
//! Nothing here is written per operation by hand: the constructors and the parameter
//! matchers in [`params`] are generated from the spec, and the matching reads the
//! [`operations`](crate::operations()) table. [`all`] and [`for_operation`] give every
//! operation's mock untyped, as an [`AnyOperationMock`] answering JSON.

mod answer;
mod any;
mod matching;
mod token;
mod typed;
#[doc(hidden)]
pub mod values;

pub use crate::api::mocks::*;
pub use any::AnyOperationMock;
pub use token::{TOKEN_PATH, TokenMock, token};
pub use typed::{MockOperation, NoBody, OperationMock};

/// The untyped mock of the operation `operation_id` (its client method name, such as
/// `get_product`), or `None` when the spec has no such operation.
pub fn for_operation(operation_id: &str) -> Option<AnyOperationMock> {
    all()
        .into_iter()
        .find(|mock| mock.meta().operation_id == operation_id)
}
