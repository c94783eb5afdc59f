//! The day as a change feed: a first poll before the day's work notes where every order and
//! claim stands; a poll after each step that changes orders reports what changed, as the
//! events an integration would process (the API has no webhooks; `toss_shopping::feed`
//! polls the lists and diffs them).

use std::error::Error as StdError;

use toss_shopping::feed::{Change, Event, Feed};

use crate::backend::Backend;
use crate::summary::Summary;

type Outcome<T> = Result<T, Box<dyn StdError>>;

/// The seller's feed and the events it reported today.
pub struct DayFeed {
    feed: Feed,
    seen: Vec<Event>,
}

impl DayFeed {
    /// Opens the seller's feed and takes the first poll as the baseline: the orders and
    /// claims that exist now are not announced, only what changes from here on.
    pub async fn open(backend: &Backend) -> Outcome<Self> {
        let mut feed = Feed::builder(backend.client.clone())
            .announce_existing(false)
            .build()?;
        let baseline = feed.poll().await?;
        feed.commit(&baseline).await?;
        Ok(Self {
            feed,
            seen: Vec::new(),
        })
    }

    /// Polls once and prints the new events, committing them once printed (a consumer that
    /// crashed before the commit would be handed the same batch again).
    pub async fn catch_up(&mut self) -> Outcome<()> {
        let batch = self.feed.poll().await?;
        for event in batch.events() {
            println!("  ⇢ feed: {event}");
        }
        self.feed.commit(&batch).await?;
        self.seen.extend(batch.into_events());
        Ok(())
    }

    /// Counts the day's events by kind for the summary.
    pub fn record(&self, summary: &mut Summary) {
        let count = |wanted: fn(&Change) -> bool| {
            self.seen
                .iter()
                .filter(|event| wanted(&event.change))
                .count()
        };
        summary.record(
            "feed",
            format!(
                "{} events: {} orders placed, {} order status changes, {} claims opened, {} claim status changes",
                self.seen.len(),
                count(|c| matches!(c, Change::OrderPlaced { .. })),
                count(|c| matches!(c, Change::OrderStatusChanged { .. })),
                count(|c| matches!(c, Change::ClaimOpened { .. })),
                count(|c| matches!(c, Change::ClaimStatusChanged { .. })),
            ),
        );
    }
}
