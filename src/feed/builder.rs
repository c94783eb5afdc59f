//! [`FeedBuilder`]: a feed's look-back, poll interval, checkpoint store and clock.

use std::sync::Arc;
use std::time::Duration;

use super::checkpoint::CheckpointKey;
use super::error::FeedError;
use super::poll::{Feed, Settings};
use super::store::{CheckpointStore, MemoryCheckpointStore};
use crate::Client;
use crate::auth::Clock;

/// The default look-back: the order list's widest window, so one order window covers it.
pub const DEFAULT_LOOK_BACK_DAYS: u32 = 31;

/// The longest look-back a feed accepts.
pub const MAX_LOOK_BACK_DAYS: u32 = 365;

/// The default pause between polls of a [`FeedStream`](super::FeedStream).
pub const DEFAULT_POLL_INTERVAL: Duration = Duration::from_secs(60);

/// Configures a [`Feed`]; start with [`Feed::builder`].
#[derive(Debug)]
pub struct FeedBuilder {
    client: Client,
    look_back_days: u32,
    poll_interval: Duration,
    store: Option<(Arc<dyn CheckpointStore>, CheckpointKey)>,
    clock: Arc<dyn Clock>,
    announce_existing: bool,
}

impl FeedBuilder {
    /// A builder with the defaults, for `client`.
    pub(crate) fn new(client: Client) -> Self {
        Self {
            clock: client.clock(),
            client,
            look_back_days: DEFAULT_LOOK_BACK_DAYS,
            poll_interval: DEFAULT_POLL_INTERVAL,
            store: None,
            announce_existing: true,
        }
    }

    /// How many days of orders and claims each poll reads again, today included (default
    /// [`DEFAULT_LOOK_BACK_DAYS`], at most [`MAX_LOOK_BACK_DAYS`]). A change to an order
    /// placed, or a claim requested, before the look-back is not seen. Orders are read in
    /// windows of 31 days and claims in windows of 7, so the default costs one order window
    /// and five claim windows per poll (see `docs/feed.md` for what that is in requests).
    pub fn look_back_days(mut self, days: u32) -> Self {
        self.look_back_days = days;
        self
    }

    /// How long a [`FeedStream`](super::FeedStream) pauses after a batch (or a failed poll)
    /// before it polls again (default [`DEFAULT_POLL_INTERVAL`]), on the feed's clock.
    pub fn poll_interval(mut self, interval: Duration) -> Self {
        self.poll_interval = interval;
        self
    }

    /// Keeps the checkpoint in `store` under `key` (default: in memory, lost with the
    /// process). Give every seller's feed its own key.
    pub fn checkpoint(mut self, store: Arc<dyn CheckpointStore>, key: CheckpointKey) -> Self {
        self.store = Some((store, key));
        self
    }

    /// Reads "today" and sleeps between polls on `clock` (default: the client's clock, see
    /// [`Client::clock`]).
    pub fn clock(mut self, clock: Arc<dyn Clock>) -> Self {
        self.clock = clock;
        self
    }

    /// Whether a feed without a checkpoint announces the rows its first poll finds (default
    /// `true`: every order product and claim of the look-back comes out as placed or opened).
    /// With `false`, the first poll only remembers them and the feed reports what changes
    /// from then on: for a job that already holds the existing orders.
    pub fn announce_existing(mut self, announce: bool) -> Self {
        self.announce_existing = announce;
        self
    }

    /// Builds the feed; nothing is read until the first poll. Fails for a look-back outside
    /// 1 to [`MAX_LOOK_BACK_DAYS`] days.
    pub fn build(self) -> Result<Feed, FeedError> {
        if !(1..=MAX_LOOK_BACK_DAYS).contains(&self.look_back_days) {
            return Err(FeedError::LookBack {
                days: self.look_back_days,
                max: MAX_LOOK_BACK_DAYS,
            });
        }
        let (store, key) = self.store.unwrap_or_else(|| {
            let memory: Arc<dyn CheckpointStore> = Arc::new(MemoryCheckpointStore::new());
            (memory, CheckpointKey::default_key())
        });
        let settings = Settings {
            look_back_days: self.look_back_days,
            poll_interval: self.poll_interval,
            clock: self.clock,
            announce_existing: self.announce_existing,
        };
        Ok(Feed::new(self.client, store, key, settings))
    }
}
