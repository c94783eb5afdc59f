//! A change feed: the order and claim lists of one seller, polled, as a stream of typed
//! events ("virtual webhooks"; the API has no webhooks).
//!
//! Behind the `feed` feature, on by default: a layer above the client, built on its public
//! API, that the core does not need.
//!
//! ```no_run
//! # async fn run(client: toss_shopping::Client) -> Result<(), Box<dyn std::error::Error>> {
//! use std::sync::Arc;
//! use toss_shopping::feed::{CheckpointKey, Feed, FileCheckpointStore};
//!
//! let store = Arc::new(FileCheckpointStore::new("/var/lib/my-job/feed"));
//! let mut feed = Feed::builder(client)
//!     .checkpoint(store, CheckpointKey::new("seller-4711")?)
//!     .build()?;
//! // From cron: one poll, process, commit, exit.
//! let batch = feed.poll().await?;
//! for event in batch.events() {
//!     println!("{} {event}", event.id);
//! }
//! feed.commit(&batch).await?;
//! # Ok(()) }
//! ```
//!
//! Or, in a long-running process, `feed.stream()` polls every
//! [`poll_interval`](FeedBuilder::poll_interval) and yields the events one by one
//! ([`FeedStream`]).
//!
//! # Events
//!
//! Each poll reads the order list and the claim list over the look-back (the last
//! [`look_back_days`](FeedBuilder::look_back_days) days, 31 by default, in KST windows
//! through the client's `.windows(range)` streams) and compares each row's status with the
//! status the feed saw last for that order product or claim:
//!
//! - an order product never seen: [`Change::OrderPlaced`]; a different status:
//!   [`Change::OrderStatusChanged`] (old → new);
//! - a claim never seen: [`Change::ClaimOpened`]; a different status:
//!   [`Change::ClaimStatusChanged`].
//!
//! Every [`Event`] has an [`EventId`] built from the order product or claim, the count of
//! changes seen on it and the new status: the same change keeps its id across polls,
//! restarts and replays, and a status that comes back (delivered, return requested,
//! delivered again) gets a new one. Events hold ids and statuses, never buyer data.
//!
//! Polling sees states, not transitions: two changes between polls come out as one (old →
//! newest). The lists filter on the order date and the claim request date only (there is no
//! "changed since"), which is why each poll reads the whole look-back again.
//!
//! # Batches and the at-least-once contract
//!
//! A poll's events form a [`Batch`]. Before the batch is handed out, the checkpoint is saved
//! with the new state and the batch marked as waiting. [`Feed::commit`] (or, in a
//! [`FeedStream`], asking for the item after the batch's last event) marks it processed.
//! Until then, [`Feed::poll`] hands out the same batch again, in this process or, through
//! the [`CheckpointStore`], after a restart. So a crash mid-batch replays that batch and
//! nothing before it, and a failed poll or save hands out nothing.
//!
//! Stores: [`MemoryCheckpointStore`] (the default), [`FileCheckpointStore`], and with the
//! `redis` feature `RedisCheckpointStore`. The checkpoint keeps, per order product and claim
//! of the look-back, the last status seen (about 70 bytes each), so it stays bounded.
//!
//! See `docs/feed.md` for the cost of a poll in requests and the limits.

mod batch;
mod builder;
mod checkpoint;
mod diff;
mod error;
mod event;
mod poll;
mod read;
#[cfg(feature = "redis")]
mod redis_store;
mod snapshot;
mod store;
mod stream;

pub use batch::Batch;
pub use builder::{DEFAULT_LOOK_BACK_DAYS, DEFAULT_POLL_INTERVAL, FeedBuilder, MAX_LOOK_BACK_DAYS};
pub use checkpoint::{CheckpointError, CheckpointKey, InvalidCheckpointKey};
pub use error::FeedError;
pub use event::{Change, ClaimRef, Event, EventId, OrderRef};
pub use poll::Feed;
#[cfg(feature = "redis")]
pub use redis_store::RedisCheckpointStore;
pub use store::{CheckpointStore, FileCheckpointStore, MemoryCheckpointStore};
pub use stream::FeedStream;
