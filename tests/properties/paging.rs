//! The page streams of every paged operation against a loopback wiremock server that plays a
//! random script of pages: any number of items per page, fresh cursors (any text, spaces and
//! `&` included, or numbers), repeated cursors, empty and missing cursors, `hasNext` true,
//! false or absent. A model written from the paging rules in `src/paging.rs`'s documentation
//! says what must come out: every item once and in order, then the end or the documented
//! guard, after exactly the requests the pages lead to, never more.

use std::collections::{HashMap, HashSet};

use chrono::NaiveDate;
use futures_util::stream::BoxStream;
use futures_util::{StreamExt, TryStreamExt};
use proptest::prelude::*;
use proptest::sample::Index;
use proptest::test_runner::TestCaseError;
use serde::Serialize;
use serde_json::{Map, Value, json};
use toss_shopping::operation::Pagination;
use toss_shopping::paging::PagingError;
use toss_shopping::{Client, Error, OperationMeta, RateLimits, RetryPolicy, operations};
use wiremock::matchers::any as any_request;
use wiremock::{Mock, MockServer, Request, Respond, ResponseTemplate};

use crate::support::runner;

/// Scripts per paged operation.
const CASES: u32 = 48;

/// What a stream under test yields: an item (`.stream()`) or, where the spec documents no
/// items property, a whole page (`.pages()`), as JSON.
type Units<'a> = BoxStream<'a, Result<Value, Error>>;

fn to_json<T: Serialize>(value: T) -> Value {
    serde_json::to_value(value).expect("a decoded value serialises")
}

fn items<'a, T: Serialize + 'a>(
    stream: impl futures_util::Stream<Item = Result<T, Error>> + Send + 'a,
) -> Units<'a> {
    stream.map_ok(to_json).boxed()
}

fn day(d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 7, d).expect("a July date")
}

/// The stream of a paged operation, its required parameters set. The operations come from
/// the table; a paged operation missing here fails `every_paged_operation_is_driven`.
fn stream_of<'a>(client: &'a Client, operation_id: &str) -> Option<Units<'a>> {
    Some(match operation_id {
        "list_claims" => items(client.list_claims().stream()),
        "list_delivery_fee_groups" => items(client.list_delivery_fee_groups().stream()),
        "list_exchange_refund_locations" => items(client.list_exchange_refund_locations().stream()),
        "list_items_grouped_by_products" => items(client.list_items_grouped_by_products().stream()),
        "list_order_products" => items(
            client
                .list_order_products()
                .start_date(day(1))
                .end_date(day(7))
                .stream(),
        ),
        "list_penalty_impositions" => items(client.list_penalty_impositions().pages()),
        "list_product_items" => items(client.list_product_items().product_id(51_230_887).stream()),
        "list_products" => items(client.list_products().stream()),
        "list_settlement_steps" => items(
            client
                .list_settlement_steps()
                .date_condition("PAYOUT_BASE_DATE")
                .from_date(day(1))
                .to_date(day(31))
                .size(100)
                .stream(),
        ),
        _ => return None,
    })
}

fn paged_operations() -> impl Iterator<Item = &'static OperationMeta> {
    operations()
        .iter()
        .filter(|op| op.pagination.style != Pagination::None)
}

#[test]
fn every_paged_operation_is_driven() {
    let server_uri = "http://127.0.0.1:9";
    let client = test_client(server_uri);
    let missing: Vec<_> = paged_operations()
        .filter(|op| stream_of(&client, op.operation_id).is_none())
        .map(|op| op.operation_id)
        .collect();
    assert!(
        missing.is_empty(),
        "paged operations without a stream here: {missing:?}"
    );
}

// ---------------------------------------------------------------- the script

/// What a page says about the next one.
#[derive(Debug, Clone)]
enum CursorChoice {
    /// A cursor no page returned before.
    Fresh(String),
    /// The cursor an earlier page returned (the nth fresh one, if any).
    Repeat(Index),
    /// `""`.
    Empty,
    /// No cursor property.
    Missing,
}

#[derive(Debug, Clone)]
struct PageScript {
    items: usize,
    cursor: CursorChoice,
    has_next: Option<bool>,
}

/// Cursor text: anything a vendor might send, including what a query string must escape.
fn cursor_text() -> impl Strategy<Value = String> {
    prop_oneof![
        3 => "[A-Za-z0-9+/=_-]{1,16}",
        1 => "[ -~가-힣]{1,12}",
    ]
}

fn page_script() -> impl Strategy<Value = PageScript> {
    let cursor = prop_oneof![
        6 => cursor_text().prop_map(CursorChoice::Fresh),
        1 => any::<Index>().prop_map(CursorChoice::Repeat),
        1 => Just(CursorChoice::Empty),
        1 => Just(CursorChoice::Missing),
    ];
    let has_next = prop_oneof![2 => Just(Some(true)), 1 => Just(Some(false)), 1 => Just(None)];
    (
        prop_oneof![1 => Just(0usize), 6 => 1..4usize],
        cursor,
        has_next,
    )
        .prop_map(|(items, cursor, has_next)| PageScript {
            items,
            cursor,
            has_next,
        })
}

/// 1 to 6 pages; the last one says no page follows, so the script never runs out.
fn script() -> impl Strategy<Value = Vec<PageScript>> {
    proptest::collection::vec(page_script(), 1..6).prop_map(|mut pages| {
        if let Some(last) = pages.last_mut() {
            last.cursor = CursorChoice::Missing;
            last.has_next = last.has_next.filter(|more| !more);
        }
        pages
    })
}

/// A cursor as sent on the page and as the pager sends it back.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
enum Token {
    Text(String),
    Number(i64),
}

impl Token {
    fn json(&self) -> Value {
        match self {
            Self::Text(text) => json!(text),
            Self::Number(n) => json!(n),
        }
    }

    fn query(&self) -> String {
        match self {
            Self::Text(text) => text.clone(),
            Self::Number(n) => n.to_string(),
        }
    }
}

/// The script made concrete for one operation: each page's cursor, with numeric cursors
/// where the operation's cursor is a number.
fn tokens(script: &[PageScript], numeric: bool) -> Vec<Option<Token>> {
    let mut fresh: Vec<Token> = Vec::new();
    script
        .iter()
        .enumerate()
        .map(|(page, p)| match &p.cursor {
            CursorChoice::Fresh(text) => {
                let token = if numeric {
                    Token::Number(1000 + page as i64)
                } else {
                    // Unique per page, whatever the generated text.
                    Token::Text(format!("{text}~{page}"))
                };
                fresh.push(token.clone());
                Some(token)
            }
            CursorChoice::Repeat(which) if !fresh.is_empty() => {
                Some(fresh[which.index(fresh.len())].clone())
            }
            CursorChoice::Repeat(_) | CursorChoice::Missing => None,
            CursorChoice::Empty if numeric => None,
            CursorChoice::Empty => Some(Token::Text(String::new())),
        })
        .collect()
}

// ---------------------------------------------------------------- the model

/// What the stream must do: the units (item numbers, or page numbers where items are not
/// documented) in order, how many requests, and how it ends.
#[derive(Debug, PartialEq)]
struct Expected {
    units: Vec<u64>,
    requests: usize,
    error: Option<&'static str>,
}

fn model(op: &OperationMeta, script: &[PageScript], tokens: &[Option<Token>]) -> Expected {
    let paging = op.pagination;
    let mut units = Vec::new();
    let mut seen = HashSet::new();
    let mut next_item = 0u64;
    for (i, page) in script.iter().enumerate() {
        let requests = i + 1;
        if paging.items.is_some() {
            units.extend(next_item..next_item + page.items as u64);
            next_item += page.items as u64;
        } else {
            units.push(i as u64);
        }
        let end = |error| Expected {
            units: units.clone(),
            requests,
            error,
        };
        if paging.output_token.is_none() {
            return end((paging.items.is_none() || page.items > 0).then_some("UndocumentedCursor"));
        }
        let cursor = tokens[i]
            .clone()
            .filter(|t| *t != Token::Text(String::new()));
        let has_next = paging.has_next.and(page.has_next);
        if !has_next.unwrap_or(cursor.is_some()) {
            return end(None);
        }
        if page.items == 0 {
            return end(Some("EmptyPage"));
        }
        let Some(cursor) = cursor else {
            return end(Some("MissingCursor"));
        };
        if !seen.insert(cursor) {
            return end(Some("RepeatedCursor"));
        }
    }
    unreachable!("the last page of a script ends the stream")
}

fn error_kind(error: &Error) -> &'static str {
    match error {
        Error::Paging(paging) => match **paging {
            PagingError::RepeatedCursor { .. } => "RepeatedCursor",
            PagingError::EmptyPage { .. } => "EmptyPage",
            PagingError::MissingCursor { .. } => "MissingCursor",
            PagingError::UndocumentedCursor { .. } => "UndocumentedCursor",
            _ => "another PagingError",
        },
        _ => "not a PagingError",
    }
}

// ---------------------------------------------------------------- the server

/// The first JSON integer in `value` (depth first), as a JSON pointer: the place an item's
/// number is written, to read it back from what the stream yields.
fn integer_leaf(value: &Value, pointer: String) -> Option<String> {
    match value {
        Value::Number(n) if n.is_i64() => Some(pointer),
        Value::Object(fields) => fields
            .iter()
            .find_map(|(k, v)| integer_leaf(v, format!("{pointer}/{k}"))),
        Value::Array(items) => items
            .iter()
            .enumerate()
            .find_map(|(i, v)| integer_leaf(v, format!("{pointer}/{i}"))),
        _ => None,
    }
}

/// An operation's recorded answer (`tests/fixtures/answers.json`), the template for pages.
fn recorded_payload(op: &OperationMeta) -> Map<String, Value> {
    static ANSWERS: std::sync::LazyLock<Value> = std::sync::LazyLock::new(|| {
        let path = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/answers.json");
        serde_json::from_str(&std::fs::read_to_string(path).expect("answers.json")).expect("JSON")
    });
    let camel: String = op
        .operation_id
        .split('_')
        .enumerate()
        .map(|(i, word)| {
            if i == 0 {
                word.to_string()
            } else {
                word[..1].to_uppercase() + &word[1..]
            }
        })
        .collect();
    match &ANSWERS[camel.as_str()]["success"] {
        Value::Object(payload) => payload.clone(),
        other => panic!("{}: the recorded payload is {other}", op.operation_id),
    }
}

/// The pages of a script as the server sends them, and which page each cursor leads to.
struct Pages {
    bodies: Vec<Value>,
    after: HashMap<String, usize>,
    input: &'static str,
}

impl Pages {
    fn build(
        op: &OperationMeta,
        script: &[PageScript],
        tokens: &[Option<Token>],
    ) -> (Self, Option<String>) {
        let paging = op.pagination;
        let template = recorded_payload(op);
        let item = paging
            .items
            .and_then(|name| template.get(name)?.as_array()?.first().cloned());
        let marker = item
            .as_ref()
            .and_then(|item| integer_leaf(item, String::new()));
        let mut next_item = 0i64;
        let mut bodies = Vec::new();
        let mut after = HashMap::new();
        for (i, page) in script.iter().enumerate() {
            let mut payload = template.clone();
            for name in [paging.items, paging.output_token, paging.has_next]
                .into_iter()
                .flatten()
            {
                payload.remove(name);
            }
            if let (Some(name), Some(item), Some(marker)) = (paging.items, &item, &marker) {
                let list: Vec<Value> = (0..page.items)
                    .map(|_| {
                        let mut item = item.clone();
                        *item.pointer_mut(marker).expect("the marker") = json!(next_item);
                        next_item += 1;
                        item
                    })
                    .collect();
                payload.insert(name.to_string(), Value::Array(list));
            }
            if let (Some(name), Some(token)) = (paging.output_token, &tokens[i]) {
                payload.insert(name.to_string(), token.json());
                after.entry(token.query()).or_insert(i + 1);
            }
            if let (Some(name), Some(more)) = (paging.has_next, page.has_next) {
                payload.insert(name.to_string(), json!(more));
            }
            bodies.push(json!({"resultType": "SUCCESS", "success": payload, "error": null}));
        }
        let input = paging
            .input_token
            .expect("a paged operation takes a cursor");
        (
            Self {
                bodies,
                after,
                input,
            },
            marker,
        )
    }
}

impl Respond for Pages {
    fn respond(&self, request: &Request) -> ResponseTemplate {
        let cursor = request
            .url
            .query_pairs()
            .find(|(name, _)| name == self.input)
            .map(|(_, value)| value.into_owned());
        let page = match cursor {
            None => Some(0),
            Some(cursor) => self.after.get(&cursor).copied(),
        };
        match page.and_then(|page| self.bodies.get(page)) {
            Some(body) => ResponseTemplate::new(200).set_body_json(body),
            // A cursor no page returned: the pager made it up.
            None => ResponseTemplate::new(599),
        }
    }
}

fn test_client(uri: &str) -> Client {
    Client::builder()
        .base_url(uri)
        .bearer_token("paging-property-token")
        .retry(RetryPolicy::none())
        .rate_limits(RateLimits::Off)
        .build()
        .expect("client builds")
}

async fn run_script(
    server: &MockServer,
    client: &Client,
    op: &OperationMeta,
    script: &[PageScript],
) -> Result<(), TestCaseError> {
    let numeric = op.pagination.style == Pagination::ItemCursorPageSize;
    let tokens = tokens(script, numeric);
    let expected = model(op, script, &tokens);
    let (pages, marker) = Pages::build(op, script, &tokens);
    server.reset().await;
    Mock::given(any_request())
        .respond_with(pages)
        .mount(server)
        .await;

    let mut stream = stream_of(client, op.operation_id).expect("driven");
    let mut units = Vec::new();
    let mut error = None;
    while let Some(next) = stream.next().await {
        match next {
            Ok(unit) => units.push(match &marker {
                Some(marker) if op.pagination.items.is_some() => unit
                    .pointer(marker)
                    .and_then(Value::as_u64)
                    .ok_or_else(|| TestCaseError::fail(format!("no number at {marker}: {unit}")))?,
                _ => units.len() as u64,
            }),
            Err(e) => {
                prop_assert!(error.is_none(), "a second error after {error:?}: {e}");
                error = Some(error_kind(&e));
            }
        }
        prop_assert!(units.len() <= 100, "the stream does not end");
    }
    let requests = server.received_requests().await.map_or(0, |r| r.len());
    let got = Expected {
        units,
        requests,
        error,
    };
    prop_assert_eq!(got, expected, "script {:?}", script);
    Ok(())
}

#[test]
fn every_dialect_yields_each_item_once_and_stops_on_its_guards() {
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("runtime");
    let server = rt.block_on(MockServer::start());
    let client = test_client(&server.uri());
    for op in paged_operations() {
        runner(CASES)
            .run(&script(), |script| {
                rt.block_on(run_script(&server, &client, op, &script))
            })
            .unwrap_or_else(|failure| panic!("{}: {failure}", op.operation_id));
    }
}
