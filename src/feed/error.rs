//! Why a feed could not be built, poll or commit.

use super::checkpoint::CheckpointError;
use crate::window::RangeError;

/// Why a feed could not be built, poll or commit. After a failed poll or commit nothing was
/// committed: the next poll reads again (or hands out the uncommitted batch again).
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum FeedError {
    /// Reading the order or the claim list failed (after the client's own retries). No
    /// event of that poll was handed out.
    #[error("the feed could not read the lists: {0}")]
    Api(#[from] crate::Error),
    /// Loading or saving the checkpoint failed.
    #[error(transparent)]
    Checkpoint(#[from] CheckpointError),
    /// The clock's date is outside the calendar the look-back can be computed in.
    #[error("the feed cannot compute its look-back: {0}")]
    Range(#[from] RangeError),
    /// The look-back given to the builder is outside 1 to 365 days.
    #[error("a feed's look-back must be 1 to {max} days, not {days}")]
    LookBack {
        /// The look-back asked for.
        days: u32,
        /// The longest look-back allowed.
        max: u32,
    },
    /// [`Feed::commit`](super::Feed::commit) was given a batch that is not the one waiting
    /// to be committed (e.g. a batch of another feed).
    #[error("batch {batch} is not the batch waiting to be committed ({})", describe(.waiting))]
    NotPending {
        /// The batch given.
        batch: u64,
        /// The batch waiting to be committed, if any.
        waiting: Option<u64>,
    },
}

fn describe(waiting: &Option<u64>) -> String {
    waiting.map_or_else(|| "none is".to_string(), |n| format!("batch {n} is"))
}

impl FeedError {
    /// True when polling again later may succeed: the API or the store was unavailable.
    pub fn is_retryable(&self) -> bool {
        match self {
            Self::Api(error) => error.is_retryable(),
            Self::Checkpoint(CheckpointError::Io(_)) => true,
            #[cfg(feature = "redis")]
            Self::Checkpoint(CheckpointError::Redis(_)) => true,
            _ => false,
        }
    }
}
