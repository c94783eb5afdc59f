//! Typed async client for the Toss Shopping (토스쇼핑) seller API.
//!
//! Products, categories, shipping and return addresses, orders, invoices, claims and seller
//! standing, generated from the OpenAPI description in `spec/toss-shopping.yaml`.
//!
//! ```no_run
//! # async fn run() -> Result<(), Box<dyn std::error::Error>> {
//! use toss_shopping::{Client, Environment};
//!
//! let client = Client::builder()
//!     .environment(Environment::Production)
//!     .bearer_token(std::env::var("TOSS_ACCESS_TOKEN")?)
//!     .build()?;
//! // Awaiting a request builder sends it and yields the payload or a typed error;
//! // the vendor's HTTP-200 failure envelope never reaches your code.
//! let top = client.list_child_categories().await?;
//! for category in &top.items {
//!     println!("{:?} {:?}", category.id, category.name);
//! }
//! # Ok(()) }
//! ```
//!
//! Every failure is a [`Error`]: the vendor's `FAIL` answers become [`Error::Api`] with the
//! vendor's [`ErrorCode`] and [`Reason`]; throttling becomes [`Error::RateLimited`] even when
//! it arrives inside HTTP 200; 401, 5xx, timeouts, transport failures and undecodable answers
//! each have their own variant.
//!
//! On the way to the network every call keeps within the seller's rate limits ([`limit`]),
//! is retried where that is safe ([`retry`]) and runs in one `tracing` span ([`call`]). Paged
//! lists stream their pages and items ([`paging`]); the windowed lists walk any date range in
//! Korean calendar windows ([`window`]). Product bodies are checked against the product rules
//! before sending, and products are edited safely ([`products`]).

#![forbid(unsafe_code)]
#![warn(missing_docs)]

pub mod api;
pub mod auth;
pub mod call;
#[cfg(feature = "cli")]
pub mod cli;
mod client;
#[cfg(feature = "couriers")]
pub mod couriers;
pub mod envelope;
mod error;
#[cfg(feature = "feed")]
pub mod feed;
#[cfg(feature = "redis")]
pub mod fleet;
pub mod invalid;
mod json_path;
pub mod limit;
#[cfg(feature = "local-server")]
pub mod local;
#[cfg(feature = "mock")]
pub mod mock;
pub mod open_enum;
pub mod operation;
pub mod paging;
pub mod products;
mod redact;
pub mod retry;
mod setters;
#[cfg(feature = "sync")]
pub mod sync;
pub mod time;
mod transport;
mod visitors;
pub mod window;

pub use api::{Client, types};
pub use auth::{AuthError, BearerToken, Credentials, StaticToken, TokenProvider, TokenSource};
pub use call::{Call, CallExt, CallFuture, Operation, Reported};
pub use client::{BuildError, ClientBuilder, Environment};
pub use error::{ApiError, DecodeError, Error, ErrorCode, Reason};
pub use invalid::{InvalidRequestError, Problem};
pub use limit::{RateLimiter, RateLimits};
pub use operation::{OperationMeta, operations};
pub use paging::PagingError;
pub use retry::RetryPolicy;
pub use transport::Context;
