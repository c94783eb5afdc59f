//! The checkpoint: what a feed must keep between polls and across restarts, and how it is
//! written down.
//!
//! It holds the last state seen of each order product and claim in the look-back (see
//! [`diff`](super::diff)), the number of the last batch, and the batch handed out but not yet
//! committed, if any, so that a restart hands out exactly that batch again. It holds ids,
//! statuses and dates only: no buyer data. A store keeps it as opaque bytes (versioned
//! JSON).

use std::fmt;

use serde::{Deserialize, Serialize};

use super::diff::State;
use super::event::Event;

/// The version of the checkpoint format this SDK writes and reads.
const VERSION: u32 = 1;

/// The longest [`CheckpointKey`], in characters.
const MAX_KEY_CHARS: usize = 128;

/// Names one feed's checkpoint in a store, e.g. `seller-4711-orders`. Give each seller's
/// feed its own: two feeds on one key would overwrite each other's progress.
///
/// 1 to 128 ASCII letters, digits, `-`, `_` and `.`, not starting with `.`, so it is safe
/// as a file name and in a Redis key. It is stored in clear: never put a secret in it.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct CheckpointKey(String);

impl CheckpointKey {
    /// The key `name`, or why it cannot be one.
    pub fn new(name: impl Into<String>) -> Result<Self, InvalidCheckpointKey> {
        let name = name.into();
        let allowed = |c: char| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.');
        let valid = !name.is_empty()
            && name.len() <= MAX_KEY_CHARS
            && !name.starts_with('.')
            && name.chars().all(allowed);
        if valid {
            Ok(Self(name))
        } else {
            Err(InvalidCheckpointKey {
                chars: name.chars().count(),
            })
        }
    }

    /// The key as text.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The key of a feed given no store of its own.
    pub(crate) fn default_key() -> Self {
        Self("feed".to_string())
    }
}

impl fmt::Display for CheckpointKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// A name that cannot be a [`CheckpointKey`]. The name itself is not repeated.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error(
    "a checkpoint key must be 1 to {MAX_KEY_CHARS} ASCII letters, digits, '-', '_' or '.', \
     not starting with '.' (got {chars} characters)"
)]
pub struct InvalidCheckpointKey {
    /// How many characters the refused name had.
    pub chars: usize,
}

/// Why a checkpoint could not be loaded or saved. Holds no checkpoint content.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum CheckpointError {
    /// Reading or writing a file failed.
    #[error("checkpoint I/O failed: {0}")]
    Io(#[from] std::io::Error),
    /// A Redis command failed or timed out.
    #[cfg(feature = "redis")]
    #[error("checkpoint store: {0}")]
    Redis(#[from] crate::fleet::RedisFault),
    /// The stored bytes are not a checkpoint this SDK wrote. The feed stops rather than
    /// start over, which would announce every row of the look-back again.
    #[error("the stored checkpoint is unreadable: {detail}")]
    Corrupt {
        /// Where and why decoding failed.
        detail: String,
    },
    /// The checkpoint was written by a newer version of the SDK.
    #[error("the stored checkpoint has format version {found}; this SDK reads version {VERSION}")]
    UnsupportedVersion {
        /// The version found.
        found: u32,
    },
    /// A custom store failed; the message is the store's own.
    #[error("checkpoint store failed: {0}")]
    Other(String),
}

/// A batch handed out and not yet committed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct Pending {
    /// The batch's number.
    pub(crate) number: u64,
    /// Its events, in order.
    pub(crate) events: Vec<Event>,
}

/// Everything a feed keeps between polls.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct Checkpoint {
    /// The state after the last batch (committed or pending).
    pub(crate) state: State,
    /// Whether a poll has completed: only a feed's first poll may leave new rows unannounced.
    pub(crate) polled: bool,
    /// The number of the last batch made; 0 before the first.
    pub(crate) batches: u64,
    /// The batch handed out and not yet committed.
    pub(crate) pending: Option<Pending>,
}

/// The checkpoint as it is written down.
#[derive(Serialize)]
struct Written<'a> {
    version: u32,
    #[serde(flatten)]
    checkpoint: &'a Checkpoint,
}

/// The checkpoint as it is read back.
#[derive(Deserialize)]
struct Read {
    version: u32,
    #[serde(flatten)]
    checkpoint: serde_json::Value,
}

impl Checkpoint {
    /// The checkpoint after a poll that found `events` and left `state`: a poll with events
    /// makes the next batch, waiting to be committed.
    pub(crate) fn after_poll(&self, state: State, events: &[Event]) -> Self {
        let pending = (!events.is_empty()).then(|| Pending {
            number: self.batches + 1,
            events: events.to_vec(),
        });
        Self {
            state,
            polled: true,
            batches: pending.as_ref().map_or(self.batches, |p| p.number),
            pending,
        }
    }

    /// The bytes a store keeps.
    pub(crate) fn encode(&self) -> Result<Vec<u8>, CheckpointError> {
        let written = Written {
            version: VERSION,
            checkpoint: self,
        };
        serde_json::to_vec(&written).map_err(|error| CheckpointError::Corrupt {
            detail: error.to_string(),
        })
    }

    /// The checkpoint in `bytes`, as [`encode`](Self::encode) wrote them.
    pub(crate) fn decode(bytes: &[u8]) -> Result<Self, CheckpointError> {
        let corrupt = |error: serde_json::Error| CheckpointError::Corrupt {
            detail: error.to_string(),
        };
        let read: Read = serde_json::from_slice(bytes).map_err(corrupt)?;
        if read.version != VERSION {
            return Err(CheckpointError::UnsupportedVersion {
                found: read.version,
            });
        }
        serde_json::from_value(read.checkpoint).map_err(corrupt)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::feed::diff::Seen;
    use crate::feed::event::{Change, EventId, OrderRef};
    use crate::types::OrderProductStatus;

    fn sample() -> Checkpoint {
        let mut checkpoint = Checkpoint::default();
        checkpoint.state.order_products.insert(
            7,
            Seen {
                status: "PAID".into(),
                seq: 2,
                date: chrono::NaiveDate::from_ymd_opt(2026, 7, 20).unwrap(),
            },
        );
        checkpoint.batches = 4;
        checkpoint.pending = Some(Pending {
            number: 4,
            events: vec![Event {
                id: EventId::new("order_product", 7, 2, "PAID"),
                change: Change::OrderPlaced {
                    order: OrderRef {
                        order_product_id: 7,
                        order_id: None,
                        product_id: None,
                    },
                    status: OrderProductStatus::Paid,
                },
            }],
        });
        checkpoint
    }

    #[test]
    fn a_checkpoint_reads_back_as_written() {
        let checkpoint = sample();
        let bytes = checkpoint.encode().unwrap();
        assert!(bytes.starts_with(br#"{"version":1,"#));
        assert_eq!(Checkpoint::decode(&bytes).unwrap(), checkpoint);
    }

    #[test]
    fn foreign_bytes_and_newer_versions_are_refused() {
        assert!(matches!(
            Checkpoint::decode(b"not json"),
            Err(CheckpointError::Corrupt { .. })
        ));
        assert!(matches!(
            Checkpoint::decode(br#"{"version":1,"state":7}"#),
            Err(CheckpointError::Corrupt { .. })
        ));
        assert!(matches!(
            Checkpoint::decode(br#"{"version":2}"#),
            Err(CheckpointError::UnsupportedVersion { found: 2 })
        ));
    }

    #[test]
    fn keys_are_safe_file_and_redis_names() {
        assert_eq!(
            CheckpointKey::new("seller-4711.orders_v2")
                .unwrap()
                .as_str(),
            "seller-4711.orders_v2"
        );
        for bad in ["", ".hidden", "a/b", "a b", "키", &"x".repeat(129)] {
            assert!(CheckpointKey::new(bad).is_err(), "{bad:?}");
        }
        assert_eq!(
            CheckpointKey::new("a/b").unwrap_err().to_string(),
            "a checkpoint key must be 1 to 128 ASCII letters, digits, '-', '_' or '.', \
             not starting with '.' (got 3 characters)"
        );
    }
}
