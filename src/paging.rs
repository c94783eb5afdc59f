//! Pagination streams: every page of a list, or every item of every page, as a
//! [`Stream`].
//!
//! Every request builder whose operation is paged (its `x-toss-pagination` style in the spec is
//! not `none`) has two generated methods:
//!
//! - `.pages()` gives a [`Pages`] stream of payloads, one request per page;
//! - `.stream()` gives an [`Items`] stream of the items of every page, where the spec documents
//!   the payload's items property.
//!
//! ```no_run
//! # async fn run(client: toss_shopping::Client) -> Result<(), toss_shopping::Error> {
//! use futures_util::TryStreamExt;
//!
//! let mut claims = client.list_claims().size(100).stream().max_items(500);
//! while let Some(claim) = claims.try_next().await? {
//!     println!("{:?} {:?}", claim.id, claim.status);
//! }
//! # Ok(()) }
//! ```
//!
//! The first request is the builder as you set it up. Each later page re-sends a clone of it,
//! with its filters and page size, and only the cursor parameter set to the cursor the previous
//! page returned (`nextCursor`, `nextToken` or `cursorItemId`, whichever the operation uses).
//! Items are handed out of the current page, and the next page is fetched only once the current
//! one is drained, so at most one page is held in memory.
//!
//! A stream ends normally when a page says no page follows: `hasNext` is `false`, or the page
//! carries no cursor (or an empty one). It ends after yielding an [`Error::Paging`] when the
//! pages contradict themselves, instead of looping or silently stopping:
//!
//! - a page returns a cursor an earlier page already returned ([`PagingError::RepeatedCursor`]);
//! - a page holds no items but says another page follows ([`PagingError::EmptyPage`]);
//! - `hasNext` is `true` but the page carries no cursor ([`PagingError::MissingCursor`]).
//!
//! A page that fails (any other [`Error`]) is yielded and ends the stream; nothing is retried
//! here. [`Pages::max_pages`] and [`Items::max_items`] end a stream early, before any further
//! request is sent.
//!
//! **Where the vendor documents no way to the next page** (`list_items_grouped_by_products`
//! has no documented response cursor, `list_penalty_impositions` has no documented payload at
//! all), `.pages()` yields the first page and then, only if asked for more, ends with
//! [`PagingError::UndocumentedCursor`]: it neither guesses a cursor nor pretends the first page
//! was the last. An empty first page (where items are documented) ends the stream normally;
//! `.max_pages(1)` reads the first page without the error. `.stream()` exists only where the
//! items are documented, so `list_penalty_impositions` has `.pages()` alone.

use std::collections::HashSet;
use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll, ready};

use futures_core::{FusedStream, Stream};

use crate::error::Error;
use crate::operation::OperationMeta;

/// A cursor (continuation token) pointing to the next page, as a page returned it.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Cursor {
    /// An opaque text token, e.g. `nextCursor` of the order list or `nextToken` of the claims.
    Text(String),
    /// A numeric cursor, e.g. `nextCursor` of a product's items, sent back as `cursorItemId`.
    Number(i64),
}

impl Cursor {
    /// True for an empty text token, which ends a stream like a missing one.
    pub fn is_empty(&self) -> bool {
        matches!(self, Self::Text(text) if text.is_empty())
    }
}

impl fmt::Display for Cursor {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Text(text) => write!(f, "{text:?}"),
            Self::Number(number) => write!(f, "{number}"),
        }
    }
}

impl From<String> for Cursor {
    fn from(text: String) -> Self {
        Self::Text(text)
    }
}

impl From<i64> for Cursor {
    fn from(number: i64) -> Self {
        Self::Number(number)
    }
}

/// A cursor as the text a text cursor parameter takes.
impl From<Cursor> for String {
    fn from(cursor: Cursor) -> Self {
        match cursor {
            Cursor::Text(text) => text,
            Cursor::Number(number) => number.to_string(),
        }
    }
}

/// A cursor as the number a numeric cursor parameter takes; a text cursor must be a number.
impl TryFrom<Cursor> for i64 {
    type Error = std::num::ParseIntError;

    fn try_from(cursor: Cursor) -> Result<Self, Self::Error> {
        match cursor {
            Cursor::Number(number) => Ok(number),
            Cursor::Text(text) => text.parse(),
        }
    }
}

/// Why a page stream stopped with an error of its own rather than one from a page's request.
///
/// Each variant names the operation (its Rust method name) and, where it applies, the number
/// of the page (1 for the first) whose answer stopped the stream.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum PagingError {
    /// A page returned a cursor that an earlier page had already returned: following it would
    /// read the same pages again, possibly forever.
    #[error(
        "paging {operation}: page {page} returned the cursor {cursor}, which an earlier page \
         already returned; stopped instead of reading the same pages again"
    )]
    RepeatedCursor {
        /// The operation being paged.
        operation: &'static str,
        /// The page that returned the cursor again (1 for the first page).
        page: usize,
        /// The repeated cursor.
        cursor: Cursor,
    },

    /// A page held no items but said another page follows (`hasNext: true`, or a cursor).
    #[error(
        "paging {operation}: page {page} holds no items but says another page follows; \
         stopped instead of requesting empty pages"
    )]
    EmptyPage {
        /// The operation being paged.
        operation: &'static str,
        /// The empty page (1 for the first page).
        page: usize,
    },

    /// A page said another page follows (`hasNext: true`) but carried no cursor to reach it.
    #[error(
        "paging {operation}: page {page} says another page follows (hasNext is true) but \
         carries no cursor to request it"
    )]
    MissingCursor {
        /// The operation being paged.
        operation: &'static str,
        /// The page without a cursor (1 for the first page).
        page: usize,
    },

    /// The vendor does not document how an answer of this operation points to the next page,
    /// so only the first page can be read. Use `.max_pages(1)` to read it without this error,
    /// or set the cursor parameter yourself on a new request.
    #[error(
        "paging {operation}: the vendor does not document how to reach the page after page \
         {page}, so the stream cannot go further"
    )]
    UndocumentedCursor {
        /// The operation being paged.
        operation: &'static str,
        /// The last page that could be read (1, the first page).
        page: usize,
    },
}

impl PagingError {
    /// The operation being paged (its Rust method name, e.g. `list_claims`).
    pub fn operation(&self) -> &'static str {
        match self {
            Self::RepeatedCursor { operation, .. }
            | Self::EmptyPage { operation, .. }
            | Self::MissingCursor { operation, .. }
            | Self::UndocumentedCursor { operation, .. } => operation,
        }
    }
}

/// What one page says about the next one, read from the payload properties the spec names in
/// the operation's `x-toss-pagination`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct PageFacts {
    /// The cursor for the next page (the `output-token` property); `None` when the page
    /// carries none or the spec documents none.
    pub cursor: Option<Cursor>,
    /// Whether another page follows (the `has-next` property); `None` when the page does not
    /// say or the spec documents no such property.
    pub has_next: Option<bool>,
    /// How many items the page holds (the `items` property); `None` when the spec documents
    /// no items property.
    pub items: Option<usize>,
}

pub(crate) mod sealed {
    /// Keeps [`Paged`](super::Paged) implemented by the generated builders only.
    pub trait Sealed {}
}

/// A request builder of a paged operation, as the generic pager sees it.
///
/// Implemented by the generated code for every paged operation's builder, from the spec's
/// `x-toss-pagination`; it cannot be implemented outside this crate. You use it through the
/// builders' `.pages()` and `.stream()` methods rather than directly.
pub trait Paged: sealed::Sealed + Clone + Send + Unpin {
    /// The operation's payload: one page.
    type Page: Send;
    /// The future that sends one request (the builder's [`CallFuture`](crate::CallFuture)).
    type Fetch: Future<Output = Result<Self::Page, Error>> + Send + Unpin;

    /// The operation's entry in [`operations()`](crate::operations), with its paging names.
    fn operation() -> &'static OperationMeta;

    /// Sends the request as it is.
    fn fetch(self) -> Self::Fetch;

    /// The same request with its cursor parameter set to `cursor`.
    fn with_cursor(self, cursor: Cursor) -> Self;

    /// What `page` says about the next page.
    fn page_facts(page: &Self::Page) -> PageFacts;
}

/// A paged operation whose payload documents its items, so that it can be streamed item by
/// item. Implemented by the generated code; see [`Paged`].
pub trait PagedItems: Paged {
    /// One item of a page, e.g. an order product or a claim.
    type Item: Send;

    /// The page's items, in the order the API sent them.
    fn into_items(page: Self::Page) -> Vec<Self::Item>;
}

/// Reads a cursor property of a payload, whether the spec makes it optional or not.
pub(crate) trait CursorField {
    /// The cursor the property holds, if any.
    fn cursor(&self) -> Option<Cursor>;
}

impl CursorField for String {
    fn cursor(&self) -> Option<Cursor> {
        Some(Cursor::Text(self.clone()))
    }
}

impl CursorField for i64 {
    fn cursor(&self) -> Option<Cursor> {
        Some(Cursor::Number(*self))
    }
}

impl<T: CursorField> CursorField for Option<T> {
    fn cursor(&self) -> Option<Cursor> {
        self.as_ref().and_then(CursorField::cursor)
    }
}

/// What the page stream does when it is next polled with no request in flight.
#[derive(Debug)]
enum Next {
    /// Send the first request as the caller built it.
    First,
    /// Send the request again with this cursor.
    Page(Cursor),
    /// Yield this error, then end.
    Fail(PagingError),
    /// End.
    Done,
}

/// Every page of a paged operation, one request per page: a [`Stream`] of
/// `Result<Payload, Error>` made by a builder's `.pages()`.
///
/// Nothing is sent until the stream is polled. See the [module documentation](self) for when
/// it ends and which errors end it.
#[must_use = "streams do nothing unless polled"]
pub struct Pages<B: Paged> {
    /// The first request; every page sends a clone of it.
    request: B,
    /// The request in flight, if any.
    fetching: Option<B::Fetch>,
    next: Next,
    /// Every cursor a page has returned, to stop on a repeated one.
    seen: HashSet<Cursor>,
    /// Pages received so far.
    received: usize,
    max_pages: Option<usize>,
}

impl<B: Paged> Pages<B> {
    /// A stream of the pages `request` starts. Used by the generated `.pages()` methods.
    pub fn new(request: B) -> Self {
        Self {
            request,
            fetching: None,
            next: Next::First,
            seen: HashSet::new(),
            received: 0,
            max_pages: None,
        }
    }

    /// Ends the stream after `max` pages without sending another request. `max_pages(0)`
    /// sends nothing.
    pub fn max_pages(mut self, max: usize) -> Self {
        self.max_pages = Some(max);
        self
    }

    /// How many pages have been received so far.
    pub fn pages_received(&self) -> usize {
        self.received
    }

    /// What to do after page number `self.received`.
    fn after(&mut self, facts: PageFacts) -> Next {
        let operation = B::operation();
        let (name, page) = (operation.operation_id, self.received);
        if operation.pagination.output_token.is_none() {
            // Nothing after nothing; otherwise there may be more, but no documented way there.
            return if facts.items == Some(0) {
                Next::Done
            } else {
                Next::Fail(PagingError::UndocumentedCursor {
                    operation: name,
                    page,
                })
            };
        }
        let cursor = facts.cursor.filter(|cursor| !cursor.is_empty());
        let says_more = match facts.has_next {
            Some(has_next) => has_next,
            None => cursor.is_some(),
        };
        if !says_more {
            return Next::Done;
        }
        if facts.items == Some(0) {
            return Next::Fail(PagingError::EmptyPage {
                operation: name,
                page,
            });
        }
        let Some(cursor) = cursor else {
            return Next::Fail(PagingError::MissingCursor {
                operation: name,
                page,
            });
        };
        if !self.seen.insert(cursor.clone()) {
            return Next::Fail(PagingError::RepeatedCursor {
                operation: name,
                page,
                cursor,
            });
        }
        Next::Page(cursor)
    }
}

impl<B: Paged> Stream for Pages<B> {
    type Item = Result<B::Page, Error>;

    fn poll_next(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        let this = self.get_mut();
        loop {
            if let Some(fetching) = &mut this.fetching {
                let result = ready!(Pin::new(fetching).poll(cx));
                this.fetching = None;
                return Poll::Ready(Some(match result {
                    Ok(page) => {
                        this.received += 1;
                        this.next = this.after(B::page_facts(&page));
                        Ok(page)
                    }
                    Err(error) => {
                        this.next = Next::Done;
                        Err(error)
                    }
                }));
            }
            if this.max_pages.is_some_and(|max| this.received >= max) {
                this.next = Next::Done;
            }
            let request = match std::mem::replace(&mut this.next, Next::Done) {
                Next::Done => return Poll::Ready(None),
                Next::Fail(error) => return Poll::Ready(Some(Err(Error::Paging(Box::new(error))))),
                Next::First => this.request.clone(),
                Next::Page(cursor) => this.request.clone().with_cursor(cursor),
            };
            this.fetching = Some(request.fetch());
        }
    }
}

impl<B: Paged> FusedStream for Pages<B> {
    fn is_terminated(&self) -> bool {
        let limited = self.max_pages.is_some_and(|max| self.received >= max);
        self.fetching.is_none() && (limited || matches!(self.next, Next::Done))
    }
}

impl<B: Paged> fmt::Debug for Pages<B> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Pages")
            .field("operation", &B::operation().operation_id)
            .field("received", &self.received)
            .field("max_pages", &self.max_pages)
            .field("in_flight", &self.fetching.is_some())
            .field("next", &self.next)
            .finish_non_exhaustive()
    }
}

/// Every item of every page of a paged operation: a [`Stream`] of `Result<Item, Error>` made
/// by a builder's `.stream()`.
///
/// Items are handed out of the current page; the next page is requested only when the
/// current one is drained. It ends like [`Pages`], and also after [`max_items`](Self::max_items)
/// items.
#[must_use = "streams do nothing unless polled"]
pub struct Items<B: PagedItems> {
    pages: Pages<B>,
    /// The rest of the current page.
    current: std::vec::IntoIter<B::Item>,
    /// Items yielded so far.
    yielded: usize,
    max_items: Option<usize>,
}

impl<B: PagedItems> Items<B> {
    /// A stream of the items of the pages `request` starts. Used by the generated
    /// `.stream()` methods.
    pub fn new(request: B) -> Self {
        Self {
            pages: Pages::new(request),
            current: Vec::new().into_iter(),
            yielded: 0,
            max_items: None,
        }
    }

    /// Ends the stream after `max` items without requesting another page. `max_items(0)`
    /// sends nothing.
    pub fn max_items(mut self, max: usize) -> Self {
        self.max_items = Some(max);
        self
    }

    /// Ends the stream after the items of `max` pages without requesting another page.
    pub fn max_pages(mut self, max: usize) -> Self {
        self.pages = self.pages.max_pages(max);
        self
    }

    /// How many pages have been received so far.
    pub fn pages_received(&self) -> usize {
        self.pages.pages_received()
    }

    fn reached_max(&self) -> bool {
        self.max_items.is_some_and(|max| self.yielded >= max)
    }
}

// Items are moved out of the page, never pinned, so the stream need not stay in place.
impl<B: PagedItems> Unpin for Items<B> {}

impl<B: PagedItems> Stream for Items<B> {
    type Item = Result<B::Item, Error>;

    fn poll_next(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        let this = self.get_mut();
        loop {
            if this.reached_max() {
                return Poll::Ready(None);
            }
            if let Some(item) = this.current.next() {
                this.yielded += 1;
                return Poll::Ready(Some(Ok(item)));
            }
            match ready!(Pin::new(&mut this.pages).poll_next(cx)) {
                Some(Ok(page)) => this.current = B::into_items(page).into_iter(),
                Some(Err(error)) => return Poll::Ready(Some(Err(error))),
                None => return Poll::Ready(None),
            }
        }
    }
}

impl<B: PagedItems> FusedStream for Items<B> {
    fn is_terminated(&self) -> bool {
        self.reached_max() || (self.current.len() == 0 && self.pages.is_terminated())
    }
}

impl<B: PagedItems> fmt::Debug for Items<B> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Items")
            .field("pages", &self.pages)
            .field("left_in_page", &self.current.len())
            .field("yielded", &self.yielded)
            .field("max_items", &self.max_items)
            .finish()
    }
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;
    use std::sync::atomic::{AtomicUsize, Ordering};

    use futures_util::{StreamExt, TryStreamExt};

    use super::*;

    /// One scripted page: items, the next cursor, `hasNext`.
    type Script = (Vec<u32>, Option<&'static str>, Option<bool>);

    /// A paged "builder" whose cursor is the index of the scripted page it fetches.
    #[derive(Clone)]
    struct Fake {
        cursor: Option<Cursor>,
        script: Arc<Vec<Script>>,
        sent: Arc<AtomicUsize>,
    }

    impl Fake {
        fn new(script: Vec<Script>) -> Self {
            Self {
                cursor: None,
                script: Arc::new(script),
                sent: Arc::new(AtomicUsize::new(0)),
            }
        }
    }

    impl sealed::Sealed for Fake {}

    impl Paged for Fake {
        type Page = Script;
        type Fetch = std::future::Ready<Result<Script, Error>>;

        fn operation() -> &'static OperationMeta {
            crate::operation::find("list_claims").expect("a paged operation")
        }

        fn fetch(self) -> Self::Fetch {
            self.sent.fetch_add(1, Ordering::SeqCst);
            let index = self
                .cursor
                .map_or(Ok(0), i64::try_from)
                .expect("numeric cursor");
            let page = usize::try_from(index)
                .ok()
                .and_then(|i| self.script.get(i).cloned())
                .expect("a scripted page");
            std::future::ready(Ok(page))
        }

        fn with_cursor(mut self, cursor: Cursor) -> Self {
            self.cursor = Some(cursor);
            self
        }

        fn page_facts(page: &Script) -> PageFacts {
            PageFacts {
                cursor: page.1.map(|c| Cursor::Text(c.to_string())),
                has_next: page.2,
                items: Some(page.0.len()),
            }
        }
    }

    impl PagedItems for Fake {
        type Item = u32;

        fn into_items(page: Script) -> Vec<u32> {
            page.0
        }
    }

    /// The items until the stream ends, and the error that ended it, if any.
    async fn run(script: Vec<Script>) -> (Vec<u32>, Option<PagingError>, usize) {
        let fake = Fake::new(script);
        let sent = fake.sent.clone();
        let mut items = Items::new(fake);
        let mut seen = Vec::new();
        let mut error = None;
        while let Some(item) = items.next().await {
            match item {
                Ok(item) => seen.push(item),
                Err(Error::Paging(paging)) => error = Some(*paging),
                Err(other) => panic!("unexpected {other:?}"),
            }
        }
        assert!(items.next().await.is_none(), "stays ended");
        (seen, error, sent.load(Ordering::SeqCst))
    }

    #[tokio::test]
    async fn ends_on_a_missing_or_empty_cursor_or_has_next_false() {
        let (items, error, sent) =
            run(vec![(vec![1, 2], Some("1"), None), (vec![3], None, None)]).await;
        assert_eq!((items, error, sent), (vec![1, 2, 3], None, 2));
        let (items, error, sent) = run(vec![(vec![1], Some(""), None)]).await;
        assert_eq!((items, error, sent), (vec![1], None, 1));
        let (items, error, sent) = run(vec![(vec![1], Some("1"), Some(false))]).await;
        assert_eq!((items, error, sent), (vec![1], None, 1));
    }

    #[tokio::test]
    async fn a_cycle_through_an_earlier_cursor_is_caught() {
        // 0 → "1" → "0" → "1" again: the third page repeats the first page's cursor.
        let script = vec![
            (vec![1], Some("1"), Some(true)),
            (vec![2], Some("0"), Some(true)),
        ];
        let (items, error, sent) = run(script).await;
        assert_eq!(items, [1, 2, 1]);
        assert_eq!(sent, 3);
        assert!(matches!(
            error,
            Some(PagingError::RepeatedCursor { page: 3, ref cursor, .. }) if *cursor == Cursor::Text("1".into())
        ));
    }

    #[tokio::test]
    async fn contradictory_pages_end_with_an_error() {
        let (_, error, sent) = run(vec![(vec![], Some("1"), None)]).await;
        assert!(matches!(
            error,
            Some(PagingError::EmptyPage { page: 1, .. })
        ));
        assert_eq!(sent, 1);
        let (_, error, _) = run(vec![(vec![], None, Some(true))]).await;
        assert!(matches!(
            error,
            Some(PagingError::EmptyPage { page: 1, .. })
        ));
        let (items, error, _) = run(vec![(vec![1], None, Some(true))]).await;
        assert_eq!(items, [1]);
        assert!(matches!(
            error,
            Some(PagingError::MissingCursor { page: 1, .. })
        ));
    }

    #[tokio::test]
    async fn limits_send_nothing_more() {
        let script = vec![
            (vec![1, 2], Some("1"), None),
            (vec![3, 4], Some("2"), None),
            (vec![5], None, None),
        ];
        let fake = Fake::new(script);
        let sent = fake.sent.clone();
        let items: Vec<u32> = Items::new(fake.clone())
            .max_items(2)
            .try_collect()
            .await
            .expect("items");
        assert_eq!((items, sent.load(Ordering::SeqCst)), (vec![1, 2], 1));
        let pages: Vec<Script> = Pages::new(fake.clone())
            .max_pages(2)
            .try_collect()
            .await
            .expect("pages");
        assert_eq!((pages.len(), sent.load(Ordering::SeqCst)), (2, 3));
        let none: Vec<u32> = Items::new(fake)
            .max_items(0)
            .try_collect()
            .await
            .expect("none");
        assert_eq!((none.len(), sent.load(Ordering::SeqCst)), (0, 3));
    }

    #[test]
    fn cursors_convert_to_the_parameter_types() {
        assert_eq!(String::from(Cursor::Number(990022)), "990022");
        assert_eq!(String::from(Cursor::Text("c2".into())), "c2");
        assert_eq!(i64::try_from(Cursor::Text("42".into())), Ok(42));
        assert!(i64::try_from(Cursor::Text("eyJ".into())).is_err());
        assert!(Cursor::Text(String::new()).is_empty() && !Cursor::Number(0).is_empty());
        assert_eq!(Cursor::Text("c2".into()).to_string(), "\"c2\"");
        let error = PagingError::EmptyPage {
            operation: "list_claims",
            page: 2,
        };
        assert_eq!(error.operation(), "list_claims");
    }
}
