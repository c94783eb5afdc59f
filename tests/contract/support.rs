//! Shared harness for the contract tests.

use std::future::IntoFuture;

use serde_json::{Value, json};
use toss_shopping::mock::{MockOperation, OperationMock};
use toss_shopping::{
    Client, Error, ErrorCode, InvalidRequestError, RateLimits, Reason, RetryPolicy,
};
use wiremock::matchers::{any, bearer_token, method, path};
use wiremock::{Match, Mock, MockServer, Request, ResponseTemplate};

/// The fake access token every test client sends.
pub const TOKEN: &str = "contract-test-token";
/// The API path prefix.
pub const PREFIX: &str = "/api/v3/shopping-fep";

/// A fresh mock server and a fresh client pointed at it.
pub struct Harness {
    pub server: MockServer,
    pub client: Client,
}

impl Harness {
    pub async fn start() -> Self {
        let server = MockServer::start().await;
        mount_catch_all(&server).await;
        // One request per call, at once: each test checks one exact exchange. Retries and
        // rate limits have tests of their own.
        let client = Client::builder()
            .base_url(server.uri())
            .bearer_token(TOKEN)
            .retry(RetryPolicy::none())
            .rate_limits(RateLimits::Off)
            .build()
            .expect("client builds");
        Self { server, client }
    }

    /// Expects exactly one `method path` request with exactly these query pairs (besides
    /// none) and the test token, answering `answer`.
    pub async fn expect(
        &self,
        verb: &str,
        route: &str,
        query: &[(&str, &str)],
        answer: ResponseTemplate,
    ) {
        self.mock(verb, route, query)
            .respond_with(answer)
            .expect(1)
            .named(format!("{verb} {route}"))
            .mount(&self.server)
            .await;
    }

    /// Like [`expect`](Self::expect), and the JSON body must equal `body`.
    pub async fn expect_json(
        &self,
        verb: &str,
        route: &str,
        query: &[(&str, &str)],
        body: Value,
        answer: ResponseTemplate,
    ) {
        self.mock(verb, route, query)
            .and(wiremock::matchers::body_json(body))
            .and(wiremock::matchers::header(
                "content-type",
                "application/json",
            ))
            .respond_with(answer)
            .expect(1)
            .named(format!("{verb} {route} with body"))
            .mount(&self.server)
            .await;
    }

    fn mock(&self, verb: &str, route: &str, query: &[(&str, &str)]) -> wiremock::MockBuilder {
        Mock::given(method(verb))
            .and(path(format!("{PREFIX}{route}")))
            .and(ExactQuery::new(query))
            .and(bearer_token(TOKEN))
            .and(NoApiVersionHeader)
    }

    /// Expects exactly one request of `mock`'s operation with exactly the parameters it sets
    /// (no other query pairs), the test token and no `api-version` header, answering
    /// `answer`. Method and path come from the operations table through the typed mock.
    pub async fn expect_call<O: MockOperation>(
        &self,
        mock: OperationMock<O>,
        answer: ResponseTemplate,
    ) {
        strict(mock)
            .respond_with(answer)
            .expect(1)
            .mount(&self.server)
            .await;
    }

    /// Resets the server, expects `mock`'s request once, answered `NOT_FOUND` by the typed
    /// mock, and checks that `call` yields `Error::Api` with the vendor's code and reason.
    pub async fn assert_not_found<O, B, T>(&self, mock: OperationMock<O>, call: B)
    where
        O: MockOperation,
        B: IntoFuture<Output = Result<T, Error>>,
        T: std::fmt::Debug,
    {
        self.server.reset().await;
        mount_catch_all(&self.server).await;
        strict(mock)
            .respond_fail(ErrorCode::NotFound, NOT_FOUND)
            .expect(1)
            .mount(&self.server)
            .await;
        assert_api_not_found(call.await);
    }

    /// Resets the server, expects the same request once more answered with a FAIL envelope,
    /// and checks that `call` yields `Error::Api` with the vendor's code and reason.
    pub async fn assert_fail_envelope<B, T>(
        &self,
        verb: &str,
        route: &str,
        query: &[(&str, &str)],
        call: B,
    ) where
        B: IntoFuture<Output = Result<T, Error>>,
        T: std::fmt::Debug,
    {
        self.server.reset().await;
        mount_catch_all(&self.server).await;
        self.expect(verb, route, query, fail("NOT_FOUND", NOT_FOUND))
            .await;
        assert_api_not_found(call.await);
    }
}

/// The vendor's reason for a missing product.
const NOT_FOUND: &str = "존재하지 않는 상품 정보입니다. (999)";

/// `mock` as strict as a contract test wants it: exactly its query, the test token, and
/// none of progenitor's `api-version` header.
fn strict<O: MockOperation>(mock: OperationMock<O>) -> OperationMock<O> {
    mock.exact_query()
        .bearer_token(TOKEN)
        .and(NoApiVersionHeader)
}

fn assert_api_not_found<T: std::fmt::Debug>(outcome: Result<T, Error>) {
    match outcome {
        Err(Error::Api(api)) => {
            assert_eq!(api.status, 200);
            assert_eq!(api.code, ErrorCode::NotFound);
            assert_eq!(api.reason, Reason::Text(NOT_FOUND.into()));
        }
        other => panic!("expected Error::Api(NOT_FOUND), got {other:?}"),
    }
}

/// The refusal of a call that must not reach the server.
pub async fn refused<T: std::fmt::Debug>(
    h: &Harness,
    call: impl std::future::IntoFuture<Output = Result<T, Error>>,
) -> Box<InvalidRequestError> {
    let outcome = call.await;
    assert_nothing_sent(h).await;
    match outcome {
        Err(Error::InvalidRequest(invalid)) => invalid,
        other => panic!("expected Error::InvalidRequest, got {other:?}"),
    }
}

/// Fails unless the server received no request at all.
pub async fn assert_nothing_sent(h: &Harness) {
    let sent = h.server.received_requests().await.expect("recording on");
    assert!(sent.is_empty(), "nothing may be sent: {sent:?}");
}

/// Any request no other mock matched fails the test when the server is dropped.
async fn mount_catch_all(server: &MockServer) {
    Mock::given(any())
        .respond_with(ResponseTemplate::new(599))
        .with_priority(255)
        .expect(0)
        .named("unexpected request")
        .mount(server)
        .await;
}

/// A SUCCESS envelope around `payload`.
pub fn ok(payload: Value) -> ResponseTemplate {
    ResponseTemplate::new(200)
        .set_body_json(json!({"resultType": "SUCCESS", "success": payload, "error": null}))
}

/// A FAIL envelope as the live API sends it.
pub fn fail(code: &str, reason: &str) -> ResponseTemplate {
    ResponseTemplate::new(200).set_body_json(json!({
        "resultType": "FAIL",
        "success": null,
        "error": {"errorType": 0, "errorCode": code, "reason": reason, "data": {}, "title": null}
    }))
}

/// Matches when the query string holds exactly these pairs, in any order.
pub struct ExactQuery(Vec<(String, String)>);

impl ExactQuery {
    pub fn new(pairs: &[(&str, &str)]) -> Self {
        let mut pairs: Vec<(String, String)> = pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        pairs.sort();
        Self(pairs)
    }
}

impl Match for ExactQuery {
    fn matches(&self, request: &Request) -> bool {
        let mut actual: Vec<(String, String)> = request
            .url
            .query_pairs()
            .map(|(k, v)| (k.into_owned(), v.into_owned()))
            .collect();
        actual.sort();
        actual == self.0
    }
}

/// progenitor adds an `api-version` header the vendor does not define; the client strips it.
pub struct NoApiVersionHeader;

impl Match for NoApiVersionHeader {
    fn matches(&self, request: &Request) -> bool {
        !request.headers.contains_key("api-version")
    }
}

/// A small product registration, as JSON, that passes every rule of the spec and the
/// product checks the client runs before sending.
pub fn registration_json() -> Value {
    json!({
        "name": "청송 사과즙", "brandName": "토스팜", "categoryId": 51120, "isTaxFree": false,
        "stocks": [{"options": [{"groupName": "수량", "valueName": "30포"}], "remainingCount": 5,
                    "isMainPrice": true, "originPrice": 39900, "salePrice": 29900}],
        "images": [{"type": "THUMBNAIL", "order": 1, "url": "https://example.com/t.jpg"},
                   {"type": "DESCRIPTION", "order": 2, "url": "https://example.com/d.jpg"}],
        "exposure": {"searchKeywords": ["사과즙"]},
        "deliveryPolicy": {"deliveryCompanyId": 1, "deliveryFeeType": "FREE"},
        "exchangeReturnPolicy": {"exchangeRefundLocationId": 1520171, "refundOneWayDeliveryFee": 3000,
            "exchangeRoundTripDeliveryFee": 6000, "applicationMethodDescription": "고객센터",
            "applicationTermDescription": "7일 이내"},
        "notice": {"categoryCode": "PROCESSED_FOOD", "items": [{"id": 319, "content": "상세페이지 참조"}]}
    })
}
