//! Bulk price and stock sync: thousands of `(item, price or stock)` updates for one seller,
//! run concurrently within the seller's write quota, with one outcome per update and re-runs
//! that skip what is already done.
//!
//! Behind the `sync` feature, on by default: a layer above the client, built on its public
//! API, that the core does not need.
//!
//! ```no_run
//! # async fn run(client: toss_shopping::Client) {
//! use toss_shopping::sync::ItemUpdate;
//!
//! let updates = vec![
//!     ItemUpdate::stock(1001, 5001, 12),
//!     ItemUpdate::prices(1001, 5002, 19_900, 25_000),
//!     ItemUpdate::sale_price(1002, 5101, 8_900),
//! ];
//! let sync = client.sync_items();
//! let mut progress = sync.progress();
//! tokio::spawn(async move {
//!     while progress.changed().await.is_ok() {
//!         let now = *progress.borrow();
//!         eprintln!("{}/{} ({} failed)", now.done(), now.total, now.failed);
//!     }
//! });
//! let report = sync.run(updates).await;
//! for failure in report.failures() {
//!     eprintln!("{:?}: {:?}", failure.update, failure.outcome.error());
//! }
//! # }
//! ```
//!
//! Everything goes through the client's public calls, so its rate limiter, retries, token
//! handling and tracing apply: the sync adds no limiter of its own, and its writes share the
//! seller's write quota (30/s) with everything else the client does. How it works:
//!
//! - **Read first.** Each round reads the products of its updates (`get_product`, one read per
//!   product, as each product's first update comes up) and writes only the values that
//!   differ; an item already at its target is [`ItemOutcome::Unchanged`]. So a run that
//!   crashed or was stopped can simply be run again: what it applied is skipped.
//! - **Order.** When both prices change, the list price is written first unless the new list
//!   price is below the current sale price; the sale price never exceeds the list price on
//!   the way.
//! - **Failures.** The client re-sends each write as its retry policy and the operation's
//!   retry safety allow (`x-toss-retry`: the item writes are `idempotent`). A write that still
//!   fails transiently (throttling, an outage, a timeout) is tried again in the next round,
//!   after a fresh read, up to [`ItemSync::max_rounds`]. For an operation marked
//!   `verify-first` the next write waits for a read that succeeds; `unsafe` operations are
//!   never re-sent. Other failures are reported at once. No failure stops the other updates.
//! - **Input.** An update the vendor would refuse for any item (a negative stock, a price
//!   under 1 won, a sale price above the list price given with it) and a second update of the
//!   same item and value in one run fail with [`Error::InvalidRequest`](crate::Error) before
//!   anything is sent.
//!
//! The guide is `docs/sync.md`.

mod item_sync;
mod outcome;
mod plan;
mod recovery;
mod update;

pub use item_sync::ItemSync;
pub use outcome::{ItemOutcome, ItemResult, Progress, SyncReport};
pub use update::{Change, ItemUpdate};
