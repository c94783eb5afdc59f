//! [`Feed`]: one seller's feed, polled by hand ([`Feed::poll`], [`Feed::commit`]) or as a
//! stream ([`Feed::stream`]).

use std::sync::Arc;
use std::time::Duration;

use chrono::Days;
use tracing::Instrument;

use super::batch::Batch;
use super::builder::FeedBuilder;
use super::checkpoint::{Checkpoint, CheckpointKey};
use super::diff::Dates;
use super::error::FeedError;
use super::read::read;
use super::store::CheckpointStore;
use super::stream::FeedStream;
use crate::Client;
use crate::auth::Clock;
use crate::window::KstRange;

/// Entries the list stops returning are kept this many days past the look-back, in case it
/// filters on a date a little later than the one the feed keeps (payment after ordering).
const FORGET_MARGIN_DAYS: u64 = 2;

/// A feed's settings, as the builder left them.
#[derive(Debug, Clone)]
pub(crate) struct Settings {
    /// Days each poll reads again.
    pub(crate) look_back_days: u32,
    /// The pause between polls of a stream.
    pub(crate) poll_interval: Duration,
    /// Where "today" and the pauses come from.
    pub(crate) clock: Arc<dyn Clock>,
    /// Whether a first poll announces the rows it finds.
    pub(crate) announce_existing: bool,
}

/// One seller's change feed: polls the order and claim lists through the client and reports
/// each change as an [`Event`](super::Event), at least once, resuming from its checkpoint.
///
/// See the [module documentation](super) for the events, the look-back and when a batch is
/// committed.
pub struct Feed {
    client: Client,
    store: Arc<dyn CheckpointStore>,
    key: CheckpointKey,
    settings: Settings,
    /// The checkpoint as last saved; `None` until the first poll loads it.
    checkpoint: Option<Checkpoint>,
}

impl std::fmt::Debug for Feed {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // The checkpoint can hold thousands of entries: show where the feed stands instead.
        let checkpoint = self.checkpoint.as_ref();
        f.debug_struct("Feed")
            .field("key", &self.key)
            .field("store", &self.store)
            .field("settings", &self.settings)
            .field("batches", &checkpoint.map(|c| c.batches))
            .field(
                "waiting",
                &checkpoint.and_then(|c| c.pending.as_ref().map(|p| p.number)),
            )
            .finish_non_exhaustive()
    }
}

impl Feed {
    /// Starts configuring a feed on `client` (the seller's client; the feed sends every
    /// request through it).
    pub fn builder(client: Client) -> FeedBuilder {
        FeedBuilder::new(client)
    }

    /// A feed with these parts; see [`FeedBuilder::build`].
    pub(crate) fn new(
        client: Client,
        store: Arc<dyn CheckpointStore>,
        key: CheckpointKey,
        settings: Settings,
    ) -> Self {
        Self {
            client,
            store,
            key,
            settings,
            checkpoint: None,
        }
    }

    /// The next batch: the batch handed out before and not committed, if there is one;
    /// otherwise a new poll of the look-back. A new batch with events is saved in the
    /// checkpoint, as waiting, before it is returned. Call [`commit`](Self::commit) once its
    /// events are processed; until then every poll returns the same batch again.
    pub async fn poll(&mut self) -> Result<Batch, FeedError> {
        let checkpoint = self.loaded().await?;
        if let Some(pending) = &checkpoint.pending {
            tracing::info!(
                batch = pending.number,
                events = pending.events.len(),
                "toss-shopping: the feed hands out an uncommitted batch again"
            );
            return Ok(Batch::replay(pending.number, pending.events.clone()));
        }
        let span = tracing::info_span!(
            "toss_shopping.feed.poll",
            look_back_days = self.settings.look_back_days
        );
        self.poll_lists().instrument(span).await
    }

    /// Marks `batch` processed: the checkpoint moves past it, and the next poll reads the
    /// lists again. Committing an empty batch, or one already committed, does nothing.
    pub async fn commit(&mut self, batch: &Batch) -> Result<(), FeedError> {
        self.commit_number(batch.number()).await
    }

    /// [`commit`](Self::commit) by the batch's [`number`](Batch::number).
    pub async fn commit_number(&mut self, number: u64) -> Result<(), FeedError> {
        let checkpoint = self.loaded().await?;
        let waiting = checkpoint.pending.as_ref().map(|pending| pending.number);
        // A batch is only made once the one before it is committed.
        let committed = waiting.map_or(checkpoint.batches, |w| w.saturating_sub(1));
        if waiting != Some(number) {
            return if number <= committed {
                Ok(())
            } else {
                Err(FeedError::NotPending {
                    batch: number,
                    waiting,
                })
            };
        }
        let next = Checkpoint {
            pending: None,
            ..checkpoint.clone()
        };
        self.save(next).await?;
        tracing::debug!(batch = number, "toss-shopping: feed batch committed");
        Ok(())
    }

    /// The feed as a never-ending [`Stream`](futures_core::Stream) of events; see
    /// [`FeedStream`].
    pub fn stream(self) -> FeedStream {
        FeedStream::new(self)
    }

    /// The feed's settings.
    pub(crate) fn settings(&self) -> &Settings {
        &self.settings
    }

    /// Reads the lists, diffs them against the checkpoint and saves the result.
    async fn poll_lists(&mut self) -> Result<Batch, FeedError> {
        let checkpoint = self.loaded().await?.clone();
        let clock = self.settings.clock.as_ref();
        let range = KstRange::last_days(self.settings.look_back_days, clock)?;
        let snapshot = read(&self.client, range).await?;
        if snapshot.skipped > 0 {
            tracing::warn!(
                rows = snapshot.skipped,
                "toss-shopping: the feed skipped rows without an id or a status"
            );
        }
        let dates = Dates {
            today: range.last(),
            forget_before: range.first() - Days::new(FORGET_MARGIN_DAYS),
        };
        let announce_new = self.settings.announce_existing || checkpoint.polled;
        let (events, state) = checkpoint.state.diff(&snapshot, dates, announce_new);
        let next = checkpoint.after_poll(state, &events);
        if next != checkpoint {
            self.save(next.clone()).await?;
        }
        let number = next.pending.map_or(0, |pending| pending.number);
        if events.is_empty() {
            tracing::debug!("toss-shopping: the feed polled; no change");
        } else {
            tracing::info!(
                batch = number,
                events = events.len(),
                "toss-shopping: the feed polled"
            );
        }
        Ok(Batch::new(number, events, snapshot.skipped))
    }

    /// The checkpoint, loaded from the store on first use.
    async fn loaded(&mut self) -> Result<&Checkpoint, FeedError> {
        if self.checkpoint.is_none() {
            let checkpoint = match self.store.load(&self.key).await? {
                Some(bytes) => Checkpoint::decode(&bytes)?,
                None => Checkpoint::default(),
            };
            self.checkpoint = Some(checkpoint);
        }
        Ok(self.checkpoint.get_or_insert_with(Checkpoint::default))
    }

    /// Saves `checkpoint`, and only then takes it as the feed's own: after a failed save the
    /// feed still diffs against what the store holds, so no change is lost.
    async fn save(&mut self, checkpoint: Checkpoint) -> Result<(), FeedError> {
        let bytes = checkpoint.encode()?;
        self.store.save(&self.key, &bytes).await?;
        self.checkpoint = Some(checkpoint);
        Ok(())
    }
}
