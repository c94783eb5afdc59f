//! The HTTP side: one route per operation of the spec plus the token endpoint, and the way a
//! request goes through them, in the order the vendor's server applies it:
//! faults → token (401) → quota (`TOO_MANY_REQUEST`) → parameters and body against the spec
//! (`INVALID_REQUEST` with a field map) → the seller's state → the envelope.

use std::collections::BTreeMap;
use std::sync::Arc;

use axum::Router;
use axum::body::{Body, Bytes};
use axum::extract::{Form, RawPathParams, RawQuery, State};
use axum::http::{HeaderMap, Method, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{MethodFilter, MethodRouter, post};
use serde_json::{Value, json};

use super::call::{Call, Fail};
use super::faults::Fault;
use super::state::Shared;
use super::token::{self, Bearer, TOKEN_PATH};
use crate::invalid::{InvalidRequestError, Problem};
use crate::operation::{OperationMeta, ParamLocation, operations};

/// The vendor's message for a required value that is missing.
const MISSING: &str = "필수 값이 누락되었습니다.";

/// The router of the whole server: every operation of the spec, routed by its method and
/// path template (the spec's `{name}` templates are axum's own syntax), and the token endpoint.
pub(crate) fn router(shared: Arc<Shared>) -> Router {
    let mut paths: BTreeMap<&'static str, MethodRouter<Arc<Shared>>> = BTreeMap::new();
    for (index, meta) in operations().iter().enumerate() {
        let filter = method_filter(meta.method);
        let handler = move |State(shared): State<Arc<Shared>>,
                            params: RawPathParams,
                            RawQuery(query): RawQuery,
                            headers: HeaderMap,
                            body: Bytes| async move {
            let path = params
                .iter()
                .map(|(key, value)| (key.to_string(), value.to_string()))
                .collect();
            serve(&shared, index, path, query, &headers, &body).await
        };
        let route = paths.remove(meta.path).unwrap_or_default();
        paths.insert(meta.path, route.on(filter, handler));
    }
    paths
        .into_iter()
        .fold(Router::new(), |router, (path, route)| {
            router.route(path, route.fallback(wrong_method))
        })
        .route(TOKEN_PATH, post(issue_token))
        .with_state(shared)
}

fn method_filter(method: &str) -> MethodFilter {
    match Method::from_bytes(method.as_bytes()) {
        Ok(Method::POST) => MethodFilter::POST,
        Ok(Method::PUT) => MethodFilter::PUT,
        Ok(Method::DELETE) => MethodFilter::DELETE,
        Ok(Method::PATCH) => MethodFilter::PATCH,
        _ => MethodFilter::GET,
    }
}

/// The vendor's answer to a method a path does not take: HTTP 405 with no `resultType`.
async fn wrong_method() -> Response {
    let body = json!({"errorCode": "405", "reason": "잘못된 http method 입니다."});
    (StatusCode::METHOD_NOT_ALLOWED, axum::Json(body)).into_response()
}

/// `POST /token`: client credentials in the form body, snake_case only.
async fn issue_token(
    State(shared): State<Arc<Shared>>,
    Form(form): Form<Vec<(String, String)>>,
) -> Response {
    let (access_key, secret_key) = match token::form_credentials(&form) {
        Ok(keys) => keys,
        Err(refused) => return refused.into_response(),
    };
    let now = shared.clock.now();
    let mut world = shared.world();
    let Some(seller) = world.seller_by_keys(access_key, secret_key) else {
        return token::Refusal {
            status: StatusCode::UNAUTHORIZED,
            error: "invalid_client",
            description: "unknown client_id or wrong client_secret",
        }
        .into_response();
    };
    let issued = world.tokens.issue(seller, now, shared.token_lifetime);
    token::granted(&issued, shared.token_lifetime)
}

/// One API request, start to finish.
async fn serve(
    shared: &Shared,
    index: usize,
    path: Vec<(String, String)>,
    query: Option<String>,
    headers: &HeaderMap,
    body: &[u8],
) -> Response {
    let meta = &operations()[index];
    let fault = {
        let mut world = shared.world();
        world.requests += 1;
        world.faults.pick(meta.operation_id)
    };
    match fault {
        Some(Fault::Latency(delay)) => shared.clock.sleep(delay).await,
        Some(Fault::Status(status)) => return outage(status),
        Some(Fault::DropConnection) => return dropped(),
        Some(Fault::Throttle) => return fail(shared, &Fail::too_many_requests()),
        None => {}
    }
    let authorization = headers
        .get(header::AUTHORIZATION)
        .and_then(|value| value.to_str().ok());
    let query = parse_query(query.as_deref());
    answer(shared, index, path, query, authorization, body)
}

/// Everything after the faults, under the state's lock: nothing in here waits.
fn answer(
    shared: &Shared,
    index: usize,
    path: Vec<(String, String)>,
    query: Vec<(String, String)>,
    authorization: Option<&str>,
    body: &[u8],
) -> Response {
    let meta = &operations()[index];
    let now = shared.clock.now();
    let mut world = shared.world();
    let seller = match world.tokens.check(authorization, now) {
        Bearer::Seller(seller) => seller,
        Bearer::Rejected => return unauthorized(),
    };
    if let Some(quotas) = &shared.quotas
        && !world.quota.admit(quotas, seller, meta.rate_limit, now)
    {
        return fail(shared, &Fail::too_many_requests());
    }
    if let Err(problems) = check_params(meta, &path, &query) {
        return fail(shared, &problems);
    }
    let body = match check_body(meta, body) {
        Ok(body) => body,
        Err(refusal) => return fail(shared, &refusal),
    };
    let call = Call {
        now: shared.now_kst(),
        path,
        query,
    };
    let Some(handler) = shared.handlers.get(index) else {
        return fail(shared, &Fail::internal("no handler"));
    };
    let Some(slot) = world.sellers.get_mut(seller) else {
        return unauthorized();
    };
    slot.shop.tick(call.now);
    match handler(&mut slot.shop, &call, body) {
        Ok(payload) => success(shared.quirks.payload(payload)),
        Err(refusal) => fail(shared, &refusal),
    }
}

fn parse_query(query: Option<&str>) -> Vec<(String, String)> {
    query
        .map(|query| {
            url::form_urlencoded::parse(query.as_bytes())
                .into_owned()
                .collect()
        })
        .unwrap_or_default()
}

/// The path and query parameters against the spec: required ones present, every value of
/// the kind, pattern and set the spec gives. All problems at once, as a field map.
fn check_params(
    meta: &OperationMeta,
    path: &[(String, String)],
    query: &[(String, String)],
) -> Result<(), Fail> {
    let mut problems = BTreeMap::new();
    for param in meta.params {
        let sent = match param.location {
            ParamLocation::Path => path.iter(),
            ParamLocation::Query => query.iter(),
        }
        .find(|(key, value)| key == param.name && !value.is_empty());
        match sent {
            None if param.required => {
                problems.insert(param.name.to_string(), MISSING.to_string());
            }
            None => {}
            Some((_, value)) => {
                if let Err(message) = param.check(value) {
                    problems.insert(param.name.to_string(), message);
                }
            }
        }
    }
    if problems.is_empty() {
        Ok(())
    } else {
        Err(Fail::invalid(problems))
    }
}

/// The body against the spec's type and rules, through the same check the client runs.
fn check_body(meta: &OperationMeta, body: &[u8]) -> Result<Option<Value>, Fail> {
    match crate::operation::check_request_body(meta.operation_id, body) {
        None => Ok(None),
        Some(Ok(body)) => Ok(Some(body)),
        Some(Err(refusal)) => Err(body_refusal(&refusal)),
    }
}

/// A refused body as the vendor reports it: the field (without the `body.` prefix) and
/// what is wrong with it.
fn body_refusal(refusal: &InvalidRequestError) -> Fail {
    let field = refusal
        .field
        .strip_prefix("body.")
        .unwrap_or(&refusal.field);
    let message = match &refusal.problem {
        Problem::Missing => MISSING.to_string(),
        problem => problem.to_string(),
    };
    Fail::invalid_field(field, &message)
}

fn success(payload: Value) -> Response {
    let envelope = json!({"resultType": "SUCCESS", "success": payload, "error": null});
    (StatusCode::OK, axum::Json(envelope)).into_response()
}

fn fail(shared: &Shared, refusal: &Fail) -> Response {
    let status = shared.quirks.fail_status(&refusal.code, refusal.status);
    let status = StatusCode::from_u16(status).unwrap_or(StatusCode::OK);
    (status, axum::Json(refusal.envelope())).into_response()
}

/// The live API's answer to a missing, malformed or expired token: HTTP 401, no envelope.
fn unauthorized() -> Response {
    (StatusCode::UNAUTHORIZED, "Unauthorized").into_response()
}

fn outage(status: u16) -> Response {
    let status = StatusCode::from_u16(status).unwrap_or(StatusCode::SERVICE_UNAVAILABLE);
    (status, status.canonical_reason().unwrap_or("outage")).into_response()
}

/// Headers that promise a JSON body, then a body that breaks off: the client sees the
/// connection drop mid-answer.
fn dropped() -> Response {
    let broken = futures_util::stream::iter([
        Ok(Bytes::from_static(b"{\"resultType\":\"SUCC")),
        Err(std::io::Error::new(
            std::io::ErrorKind::ConnectionReset,
            "fault injection: connection dropped",
        )),
    ]);
    Response::builder()
        .status(StatusCode::OK)
        .header(header::CONTENT_TYPE, "application/json")
        .body(Body::from_stream(broken))
        .unwrap_or_else(|_| outage(502))
}
