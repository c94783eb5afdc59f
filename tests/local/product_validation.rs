//! The product checks before sending, against the local server: on by default (a bad body
//! never reaches the server), off per call (it does, and the server refuses it the same way),
//! warnings that do not block, and the category rules fetched once and kept.

use std::sync::Arc;
use std::time::Duration;

use serde_json::{Value, json};
use toss_shopping::auth::ManualClock;
use toss_shopping::local::LocalServer;
use toss_shopping::products::{CategoryRulesCache, Rule};
use toss_shopping::types::ProductRegistration;
use toss_shopping::{CallExt, Client, Error, Reason};

use crate::product_support::{LEAF_CATEGORY_ID, body, registration_json};
use crate::support::start_on;

/// The field paths of a refusal, whether the SDK or the server refused: both come as the
/// vendor's field → message map.
fn field_paths(error: &Error) -> Vec<String> {
    match error.reason() {
        Some(Reason::Fields(fields)) => fields.keys().cloned().collect(),
        other => panic!("expected a field map, got {other:?} from {error:?}"),
    }
}

/// The product checks' findings of a refusal, as (rule, path).
fn findings(error: &Error) -> Vec<(Rule, String)> {
    let Error::Validation(refusal) = error else {
        panic!("expected Error::Validation, got {error:?}");
    };
    refusal
        .validation
        .findings()
        .iter()
        .map(|f| (f.rule, f.path.clone()))
        .collect()
}

/// A registration of the demo category with the values at some JSON pointers replaced.
fn with(changes: &[(&str, Value)]) -> ProductRegistration {
    let mut json = registration_json(
        "청송 사과즙",
        &[("30포", 29_900, 39_900, 5), ("60포", 55_900, 79_800, 3)],
    );
    for (pointer, value) in changes {
        *json.pointer_mut(pointer).expect("the field exists") = value.clone();
    }
    body(json)
}

/// A registration that follows the demo category's template: the required 수량 group, one
/// one-of group with its unit, and every item of the `PROCESSED_FOOD` notice.
fn by_the_template() -> ProductRegistration {
    let stock = |count: &str, main: bool| {
        json!({"options": [{"groupName": "수량", "valueName": "1개"},
                           {"groupName": "(택1) 개당 수량", "valueName": count}],
               "remainingCount": 10, "isMainPrice": main, "originPrice": 5_000, "salePrice": 4_500})
    };
    let notice: Vec<Value> = (319..=341)
        .step_by(2)
        .map(|id| json!({"id": id, "content": "상세페이지 참조"}))
        .collect();
    let mut json = registration_json("꿀꽈배기", &[("1봉", 1, 1, 1)]);
    json["stocks"] = json!([stock("5봉", true), stock("10봉", false)]);
    json["notice"]["items"] = Value::Array(notice);
    json["deliveryPolicy"]["preparationDays"] = json!(2);
    body(json)
}

async fn server_on(clock: &Arc<ManualClock>, category_rules: bool) -> (LocalServer, Client) {
    let mut builder = LocalServer::builder().without_quotas();
    if category_rules {
        builder = builder.enforce_category_rules();
    }
    start_on(clock, builder).await
}

#[tokio::test]
async fn a_body_that_breaks_rules_never_reaches_the_server_and_every_problem_is_named() {
    let (server, client) = server_on(&Arc::new(ManualClock::new()), false).await;
    let bad = with(&[
        ("/stocks/1/isMainPrice", json!(true)),
        ("/stocks/0/salePrice", json!(49_900)),
        ("/images/1/type", json!("AD")),
    ]);
    let before = server.api_requests();
    let reported = client.register_product().body(bad).reported().await;
    let error = reported.result.expect_err("refused before sending");
    assert_eq!(server.api_requests(), before, "nothing was sent");
    assert_eq!(reported.attempts, 0);
    assert_eq!(
        field_paths(&error),
        ["images", "stocks", "stocks[0].salePrice"]
    );
    assert!(
        error.to_string().contains("register_product was not sent"),
        "{error}"
    );
}

#[tokio::test]
async fn switched_off_for_one_call_the_body_reaches_the_server_which_refuses_it_alike() {
    let (server, client) = server_on(&Arc::new(ManualClock::new()), false).await;
    let bad = with(&[("/images/0", json!({"type": "THUMBNAIL", "order": 0}))]);

    let before = server.api_requests();
    let checked = client
        .register_product()
        .body(bad.clone())
        .await
        .expect_err("refused");
    assert_eq!(server.api_requests(), before);
    assert!(matches!(checked, Error::Validation(_)));

    let sent = client
        .register_product()
        .body(bad)
        .skip_validation()
        .await
        .expect_err("refused");
    assert_eq!(server.api_requests(), before + 1, "sent this time");
    assert!(matches!(sent, Error::Api(_)), "{sent:?}");
    // Either way the caller reads the same field map.
    assert_eq!(field_paths(&checked), ["images[0].url"]);
    assert_eq!(field_paths(&sent), ["images[0].url"]);
}

#[tokio::test]
async fn warnings_do_not_stop_a_registration() {
    let (_server, client) = server_on(&Arc::new(ManualClock::new()), false).await;
    let keywords: Vec<String> = (1..=11).map(|n| format!("사과{n}")).collect();
    let body = with(&[
        ("/exposure/searchKeywords", json!(keywords)),
        ("/images/0/url", json!("https://example.com/t.gif")),
    ]);
    let warnings: Vec<Rule> = body
        .validate(toss_shopping::products::BodyKind::Registration)
        .warnings()
        .map(|f| f.rule)
        .collect();
    assert!(
        warnings.contains(&Rule::KeywordCount) && warnings.contains(&Rule::GifThumbnail),
        "{warnings:?}"
    );
    let registered = client
        .register_product()
        .body(body)
        .await
        .expect("registered");
    assert!(registered.id.is_some());
}

#[tokio::test]
async fn the_server_refuses_every_body_the_checks_refuse() {
    let (server, client) = server_on(&Arc::new(ManualClock::new()), true).await;
    let cache = CategoryRulesCache::new(Duration::from_secs(60));
    let rules = cache
        .rules(&client, LEAF_CATEGORY_ID, Some("PROCESSED_FOOD"))
        .await
        .expect("the rules");
    let good = serde_json::to_value(by_the_template()).expect("json");
    let cases: Vec<(&str, &str, Value)> = vec![
        ("two main prices", "/stocks/1/isMainPrice", json!(true)),
        ("sale above list", "/stocks/0/salePrice", json!(9_000)),
        ("no description", "/images/1/type", json!("AD")),
        (
            "html without markup",
            "/images/1",
            json!({"type": "DESCRIPTION_HTML", "order": 1}),
        ),
        ("blank notice", "/notice/items/3/content", json!(" ")),
        (
            "four option groups",
            "/stocks/0/options",
            json!([
            {"groupName": "수량", "valueName": "1개"}, {"groupName": "(택1) 개당 수량", "valueName": "5봉"},
            {"groupName": "수량", "valueName": "2개"}, {"groupName": "수량", "valueName": "3개"}]),
        ),
        (
            "unknown group",
            "/stocks/0/options/1/groupName",
            json!("(택1) 맛"),
        ),
        ("no unit", "/stocks/1/options/1/valueName", json!("10")),
        (
            "required group missing",
            "/stocks/1/options",
            json!([{"groupName": "(택1) 개당 수량", "valueName": "10봉"}]),
        ),
        ("notice code", "/notice/categoryCode", json!("COSMETIC")),
        (
            "notice items missing",
            "/notice/items",
            json!([{"id": 319, "content": "상세페이지 참조"}]),
        ),
    ];
    for (case, pointer, value) in cases {
        let mut json = good.clone();
        *json.pointer_mut(pointer).expect("the field") = value;
        let bad = body(json);
        let before = server.api_requests();
        let checked = client
            .register_product()
            .body(bad.clone())
            .category_rules(rules.clone())
            .await;
        assert!(
            matches!(checked, Err(Error::Validation(_))),
            "{case}: {checked:?}"
        );
        assert_eq!(server.api_requests(), before, "{case}: not sent");
        let sent = client.register_product().body(bad).skip_validation().await;
        assert!(
            matches!(sent, Err(Error::Api(_))),
            "{case}: the server accepted it: {sent:?}"
        );
    }
    let registered = client
        .register_product()
        .body(by_the_template())
        .category_rules(rules)
        .await;
    assert!(
        registered.is_ok(),
        "a body by the template passes both: {registered:?}"
    );
}

#[tokio::test]
async fn category_rules_are_fetched_once_and_again_after_their_time() {
    let clock = Arc::new(ManualClock::new());
    let (server, client) = server_on(&clock, true).await;
    let cache = CategoryRulesCache::new(Duration::from_secs(60));
    let fetch = || cache.rules(&client, LEAF_CATEGORY_ID, Some("PROCESSED_FOOD"));

    let before = server.api_requests();
    let rules = fetch().await.expect("the rules");
    assert_eq!(
        server.api_requests(),
        before + 2,
        "the template and the notice items"
    );
    assert_eq!(rules.category_id(), LEAF_CATEGORY_ID);
    assert!(rules.has_notice_items("PROCESSED_FOOD"));

    clock.advance(Duration::from_secs(59));
    fetch().await.expect("the rules");
    assert_eq!(server.api_requests(), before + 2, "kept");

    clock.advance(Duration::from_secs(1));
    fetch().await.expect("the rules");
    assert_eq!(server.api_requests(), before + 4, "fetched again once old");

    // The demo registration names a group the template does not have.
    let error = client
        .register_product()
        .body(with(&[]))
        .category_rules(rules)
        .await
        .expect_err("refused");
    assert!(
        findings(&error).contains(&(Rule::OptionGroup, "stocks[0].options[0].groupName".into())),
        "{:?}",
        findings(&error)
    );
}
