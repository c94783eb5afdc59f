//! A built-in local Toss Shopping server, for developing and testing an integration without
//! the real API (enable the `local-server` feature).
//!
//! [`LocalServer`] is an in-memory, stateful stand-in for the API and its token endpoint on
//! 127.0.0.1. It serves every operation of the spec from the same generated types the client
//! decodes, checks each request against the spec's rules as the client does, and keeps one
//! store per seller that follows the documented state machines: products through inspection,
//! orders from payment to delivery, and cancel, return and exchange claims.
//!
//! It reproduces the live API's quirks: failures inside HTTP 200, HTTP 401 for an expired
//! token, `TOO_MANY_REQUEST` over a seller's quota, timestamps without an offset, and HTTP 405
//! for a wrong method; [`Quirks`] switches some of them off. [`Faults`] adds latency, outages, dropped connections and throttling
//! storms, decided by a seeded generator. Its clock can be injected, so a test moves a product
//! through inspection or a token past its expiry without sleeping.
//!
//! ```no_run
//! # async fn run() -> Result<(), Box<dyn std::error::Error>> {
//! use toss_shopping::local::LocalServer;
//!
//! let server = LocalServer::start().await?;
//! let client = server.client_builder().build()?;
//! let standing = client.get_penalty_summary().await?;
//! # let _ = standing;
//! # Ok(()) }
//! ```
//!
//! The guide in `docs/local-server.md` shows how to seed it, inject faults and move time.

mod buyer;
mod call;
mod faults;
mod quirks;
mod quota;
mod server;
mod shop;
mod state;
mod token;
mod wire;

pub use buyer::{Buyer, PlacedOrder};
pub use call::Fail;
pub(crate) use call::{Call, Handler};
pub use faults::{Fault, FaultRule, Faults};
pub use quirks::Quirks;
pub use server::{DEMO_ACCESS_KEY, DEMO_SECRET_KEY, LocalServer, LocalServerBuilder};
pub use shop::{Inspection, Seed};
