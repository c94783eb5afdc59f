//! [`FeedStream`]: a feed as a never-ending stream of events, committing each batch once
//! all its events have been taken.

use std::collections::VecDeque;
use std::fmt;
use std::pin::Pin;
use std::task::{Context, Poll};

use futures_core::Stream;
use futures_util::stream::{self, BoxStream, StreamExt};

use super::error::FeedError;
use super::event::Event;
use super::poll::Feed;

/// A [`Feed`] as a [`Stream`] of `Result<Event, FeedError>`, made by [`Feed::stream`].
///
/// It polls at once, hands out the batch's events one by one, and **commits the batch when
/// the item after its last event is asked for**: taking the last event is not enough, asking
/// for the next item is what says the batch was processed. It then pauses for the poll
/// interval (on the feed's clock) and polls again; a poll without changes pauses again.
///
/// Dropping the stream in the middle of a batch (or right after its last event) leaves that
/// batch uncommitted: the next feed on the same checkpoint hands out exactly that batch
/// again, and nothing before it.
///
/// The stream never ends. A failed poll or commit is yielded as an `Err`, and the stream
/// carries on after the poll interval (a failed commit hands the batch out again): use
/// `try_next` to stop at the first error, or `next` to keep going.
#[must_use = "streams do nothing unless polled"]
pub struct FeedStream {
    inner: BoxStream<'static, Result<Event, FeedError>>,
}

impl FeedStream {
    /// The stream of `feed`.
    pub(crate) fn new(feed: Feed) -> Self {
        let run = Run {
            feed,
            queue: VecDeque::new(),
            handing_out: None,
            pause: false,
        };
        Self {
            inner: stream::unfold(run, Run::next).boxed(),
        }
    }
}

impl Stream for FeedStream {
    type Item = Result<Event, FeedError>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        self.inner.poll_next_unpin(cx)
    }
}

impl fmt::Debug for FeedStream {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("FeedStream")
    }
}

/// The state of a [`FeedStream`] between items.
struct Run {
    feed: Feed,
    /// The events of the current batch not yet taken.
    queue: VecDeque<Event>,
    /// The number of the batch being handed out, to commit once its events are all taken.
    handing_out: Option<u64>,
    /// Whether to pause before the next poll (not before the first).
    pause: bool,
}

impl Run {
    async fn next(mut self) -> Option<(Result<Event, FeedError>, Self)> {
        loop {
            if let Some(event) = self.queue.pop_front() {
                return Some((Ok(event), self));
            }
            if let Some(number) = self.handing_out.take()
                && let Err(error) = self.feed.commit_number(number).await
            {
                return Some((Err(error), self));
            }
            if self.pause {
                let settings = self.feed.settings();
                settings.clock.sleep(settings.poll_interval).await;
            }
            self.pause = true;
            match self.feed.poll().await {
                Ok(batch) => {
                    self.handing_out = Some(batch.number());
                    self.queue = batch.into_events().into();
                }
                Err(error) => return Some((Err(error), self)),
            }
        }
    }
}
