//! What a sync reports: one [`ItemOutcome`] per update, the running [`Progress`], and the
//! [`SyncReport`] at the end.

use super::update::ItemUpdate;
use crate::error::Error;

/// How one update ended.
#[derive(Debug)]
#[non_exhaustive]
pub enum ItemOutcome {
    /// This run wrote the values (all of them are now at the target, as far as the API said).
    Applied,
    /// The item already had the target values when read; nothing was written.
    Unchanged,
    /// The update did not get through: the vendor refused it, the update was invalid (then
    /// nothing was sent), or the failure lasted through every round.
    Failed(Error),
}

impl ItemOutcome {
    /// True unless the update failed.
    pub fn is_ok(&self) -> bool {
        !matches!(self, Self::Failed(_))
    }

    /// The failure, when the update failed.
    pub fn error(&self) -> Option<&Error> {
        match self {
            Self::Failed(error) => Some(error),
            _ => None,
        }
    }
}

/// One update with how it ended.
#[derive(Debug)]
#[non_exhaustive]
pub struct ItemResult {
    /// The update as given.
    pub update: ItemUpdate,
    /// How it ended.
    pub outcome: ItemOutcome,
}

/// How far a sync has got; sent on [`ItemSync::progress`](super::ItemSync::progress) each time
/// an update ends or a call is made.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct Progress {
    /// Updates in the run.
    pub total: usize,
    /// Updates that ended [`Applied`](ItemOutcome::Applied).
    pub applied: usize,
    /// Updates that ended [`Unchanged`](ItemOutcome::Unchanged).
    pub unchanged: usize,
    /// Updates that ended [`Failed`](ItemOutcome::Failed).
    pub failed: usize,
    /// Product reads made (one per product per round; each may take several attempts).
    pub reads: usize,
    /// Item writes made (each may take several attempts).
    pub writes: usize,
    /// The round under way (1 for the first); 0 before the run starts.
    pub round: u32,
}

impl Progress {
    /// Updates that have ended, whichever way.
    pub fn done(&self) -> usize {
        self.applied + self.unchanged + self.failed
    }

    /// Counts one update that ended.
    pub(crate) fn count(&mut self, outcome: &ItemOutcome) {
        match outcome {
            ItemOutcome::Applied => self.applied += 1,
            ItemOutcome::Unchanged => self.unchanged += 1,
            ItemOutcome::Failed(_) => self.failed += 1,
        }
    }
}

/// The end of a sync: one result per update, in the order the updates were given.
#[derive(Debug)]
#[non_exhaustive]
pub struct SyncReport {
    /// One result per update, in input order.
    pub results: Vec<ItemResult>,
    /// The final counts.
    pub progress: Progress,
}

impl SyncReport {
    /// The updates that failed, in input order.
    pub fn failures(&self) -> impl Iterator<Item = &ItemResult> {
        self.results.iter().filter(|result| !result.outcome.is_ok())
    }

    /// True when no update failed.
    pub fn is_complete(&self) -> bool {
        self.progress.failed == 0
    }
}
