//! [`ItemSync`]: runs many item updates through the client, a bounded number at a time, in
//! rounds that each read the products first and write only what differs.

use std::collections::HashMap;
use std::fmt;

use futures_util::stream::{self, StreamExt};
use tokio::sync::{OnceCell, watch};
use tracing::Instrument;

use super::outcome::{ItemOutcome, ItemResult, Progress, SyncReport};
use super::plan::{Current, Write, items_by_id, plan};
use super::recovery::{Recovery, after_failure};
use super::update::{ItemUpdate, origin_meta, repeat_error, repeats, sale_meta, stock_meta};
use crate::api::Client;
use crate::api::types::{
    ItemNormalStockChangeRequest, ItemOriginPriceChangeRequest, ItemSalePriceChangeRequest,
};
use crate::error::Error;
use crate::operation::OperationMeta;

/// Calls in flight at once, unless told otherwise: enough to keep the write quota (30/s)
/// busy at a few hundred milliseconds per call. The client's limiter, not this number, sets
/// the pace.
const DEFAULT_CONCURRENCY: usize = 16;
/// Rounds unless told otherwise: the first, and two more for transient failures.
const DEFAULT_ROUNDS: u32 = 3;

/// A bulk price and stock sync for one seller's client; see the [module docs](super).
///
/// Set it up, take a [`progress`](Self::progress) receiver if you want one, then
/// [`run`](Self::run) it once.
pub struct ItemSync<'a> {
    client: &'a Client,
    concurrency: usize,
    max_rounds: u32,
    progress: watch::Sender<Progress>,
}

impl fmt::Debug for ItemSync<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ItemSync")
            .field("concurrency", &self.concurrency)
            .field("max_rounds", &self.max_rounds)
            .field("progress", &*self.progress.borrow())
            .finish_non_exhaustive()
    }
}

impl Client {
    /// A bulk price and stock sync through this client: [`ItemSync`].
    pub fn sync_items(&self) -> ItemSync<'_> {
        ItemSync::new(self)
    }
}

/// An update still under way, with what earlier rounds left behind.
struct Pending {
    /// Its position in the input.
    index: usize,
    update: ItemUpdate,
    /// A write was sent for it in this run, so finding it at the target means applied.
    touched: bool,
    /// The transient failure of the last round, reported if no round is left.
    retry: Option<Retry>,
}

struct Retry {
    error: Error,
    /// The failed write may not be sent again before a read shows the item.
    read_first: bool,
}

/// How one update's turn in a round ended.
enum Step {
    /// For good.
    Ended(Pending, ItemOutcome),
    /// To be tried again in the next round.
    Again(Pending),
}

/// The items of the products one round touches: each product is read once, when the first of
/// its updates comes up. `None` where the read failed.
struct Reads(HashMap<i64, OnceCell<Option<HashMap<i64, Current>>>>);

impl Reads {
    fn of(pending: &[Pending]) -> Self {
        Self(
            pending
                .iter()
                .map(|item| (item.update.product_id, OnceCell::new()))
                .collect(),
        )
    }
}

impl<'a> ItemSync<'a> {
    /// A sync through `client`, 16 calls at a time, in at most 3 rounds.
    pub fn new(client: &'a Client) -> Self {
        Self {
            client,
            concurrency: DEFAULT_CONCURRENCY,
            max_rounds: DEFAULT_ROUNDS,
            progress: watch::Sender::new(Progress::default()),
        }
    }

    /// At most this many calls in flight at once (at least 1). The pace is the client's rate
    /// limiter's; this only bounds the waiting calls and open connections.
    pub fn concurrency(mut self, calls: usize) -> Self {
        self.concurrency = calls.max(1);
        self
    }

    /// At most this many rounds (at least 1). Each round after the first re-reads the products
    /// of the updates a transient failure left unfinished and writes what is still missing.
    pub fn max_rounds(mut self, rounds: u32) -> Self {
        self.max_rounds = rounds.max(1);
        self
    }

    /// A receiver of the running [`Progress`]: it sees the latest counts whenever an update
    /// ends or a call is made. Take it before [`run`](Self::run).
    pub fn progress(&self) -> watch::Receiver<Progress> {
        self.progress.subscribe()
    }

    /// Runs every update and reports each one's outcome, in input order. Failures never stop
    /// the others; an invalid update fails with [`Error::InvalidRequest`] and is not sent.
    ///
    /// Dropping the future stops the run; writes in flight may or may not land, and a new run
    /// with the same updates finds out by reading first.
    pub async fn run(self, updates: impl IntoIterator<Item = ItemUpdate>) -> SyncReport {
        let updates: Vec<ItemUpdate> = updates.into_iter().collect();
        let span = tracing::info_span!(
            "toss_shopping.sync_items",
            total = updates.len(),
            applied = tracing::field::Empty,
            unchanged = tracing::field::Empty,
            failed = tracing::field::Empty,
            writes = tracing::field::Empty,
        );
        let results = self.rounds(&updates).instrument(span.clone()).await;
        let progress = *self.progress.borrow();
        span.record("applied", progress.applied);
        span.record("unchanged", progress.unchanged);
        span.record("failed", progress.failed);
        span.record("writes", progress.writes);
        SyncReport { results, progress }
    }

    /// Refuses the invalid updates, then runs rounds until every update has ended.
    async fn rounds(&self, updates: &[ItemUpdate]) -> Vec<ItemResult> {
        self.progress.send_replace(Progress {
            total: updates.len(),
            ..Progress::default()
        });
        let mut ended = Vec::with_capacity(updates.len());
        let mut pending = self.admit(updates, &mut ended);
        for round in 1..=self.max_rounds {
            if pending.is_empty() {
                break;
            }
            self.progress.send_modify(|progress| progress.round = round);
            tracing::debug!(round, updates = pending.len(), "toss-shopping: sync round");
            pending = self
                .round(pending, round == self.max_rounds, &mut ended)
                .await;
        }
        ended.sort_by_key(|(index, _)| *index);
        ended.into_iter().map(|(_, result)| result).collect()
    }

    /// The updates that may be sent, grouped by product; the others end here as failed.
    fn admit(&self, updates: &[ItemUpdate], ended: &mut Vec<(usize, ItemResult)>) -> Vec<Pending> {
        let repeats: HashMap<usize, usize> = repeats(updates).into_iter().collect();
        let mut pending = Vec::with_capacity(updates.len());
        for (index, update) in updates.iter().enumerate() {
            let item = Pending {
                index,
                update: *update,
                touched: false,
                retry: None,
            };
            let admitted = match repeats.get(&index) {
                Some(&earlier) => Err(repeat_error(update, earlier)),
                None => update.check(),
            };
            match admitted {
                Ok(()) => pending.push(item),
                Err(error) => self.end(ended, item, ItemOutcome::Failed(error)),
            }
        }
        // A product's updates together, so its read comes just before its writes.
        pending.sort_by_key(|item| item.update.product_id);
        pending
    }

    /// One round: every pending update, a bounded number at a time. Gives back those to try
    /// again; in the last round there are none.
    async fn round(
        &self,
        pending: Vec<Pending>,
        last: bool,
        ended: &mut Vec<(usize, ItemResult)>,
    ) -> Vec<Pending> {
        let reads = Reads::of(&pending);
        let mut steps = stream::iter(pending)
            .map(|item| self.step(item, &reads, last))
            .buffer_unordered(self.concurrency);
        let mut again = Vec::new();
        while let Some(step) = steps.next().await {
            match step {
                Step::Ended(item, outcome) => self.end(ended, item, outcome),
                Step::Again(item) => again.push(item),
            }
        }
        again.sort_by_key(|item| item.update.product_id);
        again
    }

    /// One update's turn: compare with the round's read, write what differs.
    async fn step(&self, mut item: Pending, reads: &Reads, last: bool) -> Step {
        let update = item.update;
        let current = self.current(reads, update.product_id, update.item_id).await;
        if current.is_none()
            && let Some(retry) = item.retry.take_if(|retry| retry.read_first)
        {
            return wait_for_read(item, retry, last);
        }
        let writes = plan(update.change, current.unwrap_or(Current::UNKNOWN));
        if writes.is_empty() {
            let outcome = if item.touched {
                ItemOutcome::Applied
            } else {
                ItemOutcome::Unchanged
            };
            return Step::Ended(item, outcome);
        }
        self.write(item, writes, last).await
    }

    /// Sends an update's writes in order; the first failure ends the turn.
    async fn write(&self, mut item: Pending, writes: Vec<Write>, last: bool) -> Step {
        item.touched = true;
        for write in writes {
            self.progress.send_modify(|progress| progress.writes += 1);
            let Err(error) = self.send(item.update, write).await else {
                continue;
            };
            return match after_failure(operation(write).retry, &error) {
                Recovery::Retry { read_first } if !last => {
                    item.retry = Some(Retry { error, read_first });
                    Step::Again(item)
                }
                Recovery::Retry { .. } | Recovery::Report => {
                    Step::Ended(item, ItemOutcome::Failed(error))
                }
            };
        }
        Step::Ended(item, ItemOutcome::Applied)
    }

    /// The item as this round's read of its product shows it; `None` when the read failed or
    /// the product has no such item.
    async fn current(&self, reads: &Reads, product_id: i64, item_id: i64) -> Option<Current> {
        let read = reads.0.get(&product_id)?;
        let items = read.get_or_init(|| self.read_product(product_id)).await;
        items.as_ref()?.get(&item_id).copied()
    }

    /// Reads a product's items (`get_product`: all of them in one answer, with the prices
    /// and `remainingCount` integrators read live).
    async fn read_product(&self, product_id: i64) -> Option<HashMap<i64, Current>> {
        self.progress.send_modify(|progress| progress.reads += 1);
        match self.client.get_product().product_id(product_id).await {
            Ok(product) => Some(items_by_id(&product.stocks)),
            Err(error) => {
                tracing::warn!(
                    product_id,
                    error = %error,
                    "toss-shopping: reading the product failed; its items are written without comparing"
                );
                None
            }
        }
    }

    /// Sends one write through the client.
    async fn send(&self, update: ItemUpdate, write: Write) -> Result<(), Error> {
        let ItemUpdate {
            product_id,
            item_id,
            ..
        } = update;
        let sent = match write {
            Write::Sale(sale_price) => {
                let body = ItemSalePriceChangeRequest {
                    product_id,
                    sale_price,
                };
                let call = self.client.update_item_sale_price();
                call.product_item_id(item_id).body(body).await
            }
            Write::Origin(origin_price) => {
                let body = ItemOriginPriceChangeRequest {
                    product_id,
                    origin_price,
                };
                let call = self.client.update_item_origin_price();
                call.product_item_id(item_id).body(body).await
            }
            Write::Stock(remaining_count) => {
                let body = ItemNormalStockChangeRequest {
                    product_id,
                    remaining_count,
                };
                let call = self.client.update_item_normal_stock();
                call.product_item_id(item_id).body(body).await
            }
        };
        sent.map(drop)
    }

    /// Records an ended update and counts it in the progress.
    fn end(&self, ended: &mut Vec<(usize, ItemResult)>, item: Pending, outcome: ItemOutcome) {
        self.progress
            .send_modify(|progress| progress.count(&outcome));
        let result = ItemResult {
            update: item.update,
            outcome,
        };
        ended.push((item.index, result));
    }
}

/// An update whose last write may have been applied and may not be re-sent unread, in a
/// round that could not read its item: it waits for a round whose read succeeds, or in the
/// last round fails with that write's failure.
fn wait_for_read(mut item: Pending, retry: Retry, last: bool) -> Step {
    if last {
        return Step::Ended(item, ItemOutcome::Failed(retry.error));
    }
    item.retry = Some(retry);
    Step::Again(item)
}

/// The operation a write is sent with, for what the spec says about it.
fn operation(write: Write) -> &'static OperationMeta {
    match write {
        Write::Sale(_) => sale_meta(),
        Write::Origin(_) => origin_meta(),
        Write::Stock(_) => stock_meta(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn waiting() -> (Pending, Retry) {
        let item = Pending {
            index: 0,
            update: ItemUpdate::stock(1, 2, 3),
            touched: true,
            retry: None,
        };
        let retry = Retry {
            error: Error::Server {
                status: 503,
                snippet: String::new(),
                retry_after: None,
            },
            read_first: true,
        };
        (item, retry)
    }

    #[test]
    fn an_unread_item_whose_write_needs_a_read_waits_and_keeps_its_failure() {
        let (item, retry) = waiting();
        match wait_for_read(item, retry, false) {
            Step::Again(item) => assert!(item.retry.is_some_and(|retry| retry.read_first)),
            Step::Ended(_, outcome) => panic!("{outcome:?}"),
        }
    }

    #[test]
    fn in_the_last_round_it_fails_with_the_failure_of_its_write() {
        let (item, retry) = waiting();
        match wait_for_read(item, retry, true) {
            Step::Ended(_, ItemOutcome::Failed(error)) => assert_eq!(error.status(), Some(503)),
            Step::Ended(_, outcome) => panic!("{outcome:?}"),
            Step::Again(_) => panic!("the last round left it pending"),
        }
    }
}
