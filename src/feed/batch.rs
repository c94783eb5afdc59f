//! [`Batch`]: the events one poll found, handed out together and committed together.

use super::event::Event;

/// The events of one poll, in order: order products by id, then claims by id, at most one
/// event per order product and per claim.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Batch {
    number: u64,
    events: Vec<Event>,
    replayed: bool,
    skipped_rows: usize,
}

impl Batch {
    /// A batch handed out for the first time.
    pub(crate) fn new(number: u64, events: Vec<Event>, skipped_rows: usize) -> Self {
        Self {
            number,
            events,
            replayed: false,
            skipped_rows,
        }
    }

    /// A batch handed out again because it was not committed.
    pub(crate) fn replay(number: u64, events: Vec<Event>) -> Self {
        Self {
            number,
            events,
            replayed: true,
            skipped_rows: 0,
        }
    }

    /// The events, in order.
    pub fn events(&self) -> &[Event] {
        &self.events
    }

    /// The events, taken out of the batch. Keep its [`number`](Self::number) to commit it
    /// with [`Feed::commit_number`](super::Feed::commit_number).
    pub fn into_events(self) -> Vec<Event> {
        self.events
    }

    /// Whether the poll saw no change.
    pub fn is_empty(&self) -> bool {
        self.events.is_empty()
    }

    /// The batch's number, counting from 1 per checkpoint; 0 for an empty batch, which
    /// needs no commit.
    pub fn number(&self) -> u64 {
        self.number
    }

    /// Whether this batch was handed out before and not committed (the process stopped, or
    /// [`Feed::commit`](super::Feed::commit) was not called): some of its events may have
    /// been processed already.
    pub fn is_replay(&self) -> bool {
        self.replayed
    }

    /// How many rows the poll could not follow because they lacked their id
    /// (`orderProductId`, the claim's `id`) or their status. Their changes are not reported;
    /// the feed also logs a warning. Always 0 for a replayed batch.
    pub fn skipped_rows(&self) -> usize {
        self.skipped_rows
    }
}
