//! Each product rule on a body that passes and on one that breaks it, with the path the
//! finding names.

use serde_json::{Value, json};

use super::*;
use crate::api::types::{
    CategoryConstraintTemplates, CategorySalesOption, NoticeItem, NoticeItems,
};
use crate::error::Reason;

/// A body that breaks no rule, with category rules or without: two stocks of the demo
/// template's groups, a thumbnail and a description image, every notice item.
pub(crate) fn valid_registration() -> Value {
    let stock = |value: &str, main: bool, id: i64| {
        json!({
            "id": id, "itemId": id + 1,
            "options": [{"groupName": "수량", "valueName": "1개"},
                        {"groupName": "(택1) 개당 중량", "valueName": value}],
            "remainingCount": 5, "isMainPrice": main, "originPrice": 39_900, "salePrice": 29_900,
        })
    };
    json!({
        "name": "청송 사과즙 100ml x 30포 [무첨가]",
        "brandName": "토스팜",
        "categoryId": 1_031_001,
        "isTaxFree": false,
        "stocks": [stock("300g", true, 10), stock("600g", false, 20)],
        "images": [
            {"type": "THUMBNAIL", "url": "https://example.com/t.jpg", "order": 0},
            {"type": "DESCRIPTION", "url": "https://example.com/d.jpg", "order": 1},
        ],
        "exposure": {"searchKeywords": ["사과즙", "선물"], "description": "청송 사과로 만든 사과즙"},
        "deliveryPolicy": {"deliveryCompanyId": 1, "deliveryFeeType": "FREE", "preparationDays": 2},
        "exchangeReturnPolicy": {
            "exchangeRefundLocationId": 401, "refundOneWayDeliveryFee": 3000,
            "exchangeRoundTripDeliveryFee": 6000,
            "applicationMethodDescription": "고객센터", "applicationTermDescription": "7일 이내",
        },
        "notice": {"categoryCode": "PROCESSED_FOOD",
                   "items": [{"id": 319, "content": "상세페이지 참조"}, {"id": 321, "content": "사과즙"}]},
    })
}

/// The rules of the demo category: 수량 required, two one-of weight/count groups with units,
/// notice code `PROCESSED_FOOD` with items 319 and 321.
fn category_rules() -> CategoryRules {
    let group = |key: &str, one_of: bool, units: &[&str]| CategorySalesOption {
        key: Some(key.to_string()),
        is_option: Some(one_of),
        is_one_of_required_group: Some(one_of),
        value_candidates: None,
        unit_values: Some(units.iter().map(|u| u.to_string()).collect()),
    };
    let templates = CategoryConstraintTemplates {
        category_name: Some("과자".into()),
        category_sales_options: vec![
            group("수량", false, &["개"]),
            group("(택1) 개당 중량", true, &["g", "kg"]),
            group("(택1) 개당 수량", true, &["개", "봉"]),
        ],
        category_search_options: None,
        product_notice_info_template_types: vec!["PROCESSED_FOOD".into(), "ETC_GOODS".into()],
    };
    let items = NoticeItems {
        items: [319, 321]
            .map(|id| NoticeItem {
                id: Some(id),
                title: None,
            })
            .to_vec(),
    };
    CategoryRules::new(1_031_001, &templates).with_notice_items("PROCESSED_FOOD", &items)
}

/// The body with the value at each JSON pointer replaced (or removed, for `Value::Null` at
/// a key that the body has as an object field).
fn with(changes: &[(&str, Value)]) -> Value {
    let mut body = valid_registration();
    for (pointer, value) in changes {
        let (parent, key) = pointer.rsplit_once('/').expect("a pointer");
        match body.pointer_mut(parent).expect("the parent") {
            Value::Object(map) if value.is_null() => {
                map.remove(key);
            }
            Value::Object(map) => {
                map.insert(key.to_string(), value.clone());
            }
            Value::Array(items) => {
                let index: usize = key.parse().expect("an index");
                if index == items.len() {
                    items.push(value.clone());
                } else {
                    items[index] = value.clone();
                }
            }
            other => panic!("cannot set {pointer} in {other}"),
        }
    }
    body
}

/// One case: its name, the changes to the valid body, and the rule and path expected.
type Case<'a> = (&'a str, Vec<(&'a str, Value)>, Rule, &'a str);

/// (rule, path) of every finding.
fn found(validation: &Validation) -> Vec<(Rule, String)> {
    validation
        .findings()
        .iter()
        .map(|f| (f.rule, f.path.clone()))
        .collect()
}

fn check(body: &Value, kind: BodyKind, rules: Option<&CategoryRules>) -> Vec<(Rule, String)> {
    found(&validate_json(body, kind, rules))
}

#[test]
fn the_valid_body_passes_every_rule_in_both_kinds() {
    let body = valid_registration();
    let rules = category_rules();
    for kind in [BodyKind::Registration, BodyKind::Replacement] {
        assert_eq!(check(&body, kind, None), [], "{kind:?}");
        assert_eq!(check(&body, kind, Some(&rules)), [], "{kind:?} with rules");
    }
    let typed: ProductRegistration = serde_json::from_value(body).expect("a typed body");
    assert!(typed.validate(BodyKind::Registration).findings().is_empty());
    assert!(
        typed
            .validate_with(BodyKind::Replacement, &rules)
            .findings()
            .is_empty()
    );
}

#[test]
fn each_rule_without_category_rules_fails_with_its_path() {
    let html = json!({"type": "DESCRIPTION_HTML", "order": 2, "html": "<p>상세</p>"});
    let cases: Vec<Case> = vec![
        (
            "two main prices",
            vec![("/stocks/1/isMainPrice", json!(true))],
            Rule::OneMainPrice,
            "stocks",
        ),
        (
            "no main price",
            vec![("/stocks/0/isMainPrice", json!(false))],
            Rule::OneMainPrice,
            "stocks",
        ),
        (
            "sale above list",
            vec![("/stocks/1/salePrice", json!(49_900))],
            Rule::SalePriceAboveList,
            "stocks[1].salePrice",
        ),
        (
            "zero list price",
            vec![
                ("/stocks/0/originPrice", json!(0)),
                ("/stocks/0/salePrice", json!(0)),
            ],
            Rule::PriceAtLeastOne,
            "stocks[0].originPrice",
        ),
        (
            "no thumbnail",
            vec![("/images/0/type", json!("AD"))],
            Rule::Thumbnail,
            "images",
        ),
        (
            "no description",
            vec![("/images/1/type", json!("AD"))],
            Rule::Description,
            "images",
        ),
        (
            "image and html",
            vec![("/images/2", html)],
            Rule::DescriptionImageOrHtml,
            "images",
        ),
        (
            "html in url",
            vec![(
                "/images/1",
                json!({"type": "DESCRIPTION_HTML", "order": 1, "url": "https://example.com/d.html"}),
            )],
            Rule::HtmlInHtml,
            "images[1].html",
        ),
        (
            "image without url",
            vec![("/images/0/url", Value::Null)],
            Rule::ImageUrl,
            "images[0].url",
        ),
        (
            "gif thumbnail",
            vec![("/images/0/url", json!("https://example.com/t.GIF?v=2"))],
            Rule::GifThumbnail,
            "images[0].url",
        ),
        (
            "eleven keywords",
            vec![(
                "/exposure/searchKeywords",
                json!([
                    "가", "나", "다", "라", "마", "바", "사", "아", "자", "차", "카"
                ]),
            )],
            Rule::KeywordCount,
            "exposure.searchKeywords",
        ),
        (
            "banned brand word",
            vec![("/brandName", json!("oem 공장"))],
            Rule::BrandBannedWord,
            "brandName",
        ),
        (
            "blank notice",
            vec![("/notice/items/1/content", json!("  "))],
            Rule::NoticeContent,
            "notice.items[1].content",
        ),
        (
            "two one-of prefixes",
            vec![("/stocks/0/options/0/groupName", json!("(택1) 맛"))],
            Rule::OneOfPrefix,
            "stocks[0].options",
        ),
        (
            "no preparation days",
            vec![("/deliveryPolicy/preparationDays", Value::Null)],
            Rule::PreparationDays,
            "deliveryPolicy.preparationDays",
        ),
        (
            "free above nothing",
            vec![(
                "/deliveryPolicy/deliveryFeeType",
                json!("CONDITIONALLY_FREE"),
            )],
            Rule::MinimumPurchasePrice,
            "deliveryPolicy.minimumPurchasePrice",
        ),
        (
            "bad name",
            vec![("/name", json!("최고@상품"))],
            Rule::Schema,
            "name",
        ),
        (
            "bad keyword",
            vec![("/exposure/searchKeywords/1", json!("선물 세트"))],
            Rule::Schema,
            "exposure.searchKeywords[1]",
        ),
        (
            "301 stocks",
            vec![(
                "/stocks",
                Value::Array(vec![valid_registration()["stocks"][1].clone(); 301]),
            )],
            Rule::Schema,
            "stocks",
        ),
        (
            "isSoldOut sent",
            vec![("/stocks/0/isSoldOut", json!(false))],
            Rule::UnknownField,
            "stocks[0].isSoldOut",
        ),
    ];
    for (case, changes, rule, path) in cases {
        let findings = check(&with(&changes), BodyKind::Registration, None);
        assert!(
            findings.contains(&(rule, path.to_string())),
            "{case}: expected {rule:?} at {path} in {findings:?}"
        );
    }
}

#[test]
fn a_replacement_wants_a_description_and_warns_about_new_item_ids() {
    let body = with(&[
        ("/exposure/description", Value::Null),
        ("/stocks/1/id", Value::Null),
        ("/stocks/1/itemId", Value::Null),
    ]);
    assert_eq!(check(&body, BodyKind::Registration, None), []);
    let validation = validate_json(&body, BodyKind::Replacement, None);
    assert_eq!(
        found(&validation),
        [
            (Rule::NewItemIds, "stocks[1]".to_string()),
            (
                Rule::DescriptionOnReplace,
                "exposure.description".to_string()
            ),
        ]
    );
    assert!(validation.is_ok(), "both are warnings");
}

#[test]
fn each_category_rule_fails_with_its_path() {
    let rules = category_rules();
    let cases: Vec<Case> = vec![
        (
            "other category",
            vec![("/categoryId", json!(1_031_002))],
            Rule::RulesCategory,
            "categoryId",
        ),
        (
            "unknown group",
            vec![("/stocks/1/options/1/groupName", json!("맛"))],
            Rule::OptionGroup,
            "stocks[1].options[1].groupName",
        ),
        (
            "no one-of group",
            vec![(
                "/stocks/0/options",
                json!([{"groupName": "수량", "valueName": "1개"}]),
            )],
            Rule::OneOfGroupMissing,
            "stocks[0].options",
        ),
        (
            "two one-of groups",
            vec![(
                "/stocks/0/options/2",
                json!({"groupName": "(택1) 개당 수량", "valueName": "3봉"}),
            )],
            Rule::OneOfGroupTwice,
            "stocks[0].options",
        ),
        (
            "required group missing",
            vec![(
                "/stocks/1/options",
                json!([{"groupName": "(택1) 개당 중량", "valueName": "600g"}]),
            )],
            Rule::RequiredGroup,
            "stocks[1].options",
        ),
        (
            "no unit",
            vec![("/stocks/0/options/1/valueName", json!("300"))],
            Rule::UnitValue,
            "stocks[0].options[1].valueName",
        ),
        (
            "code not allowed",
            vec![("/notice/categoryCode", json!("COSMETIC"))],
            Rule::NoticeCode,
            "notice.categoryCode",
        ),
        (
            "item missing",
            vec![(
                "/notice/items",
                json!([{"id": 319, "content": "상세페이지 참조"}]),
            )],
            Rule::NoticeItems,
            "notice.items",
        ),
        (
            "unknown item",
            vec![("/notice/items/2", json!({"id": 320, "content": "무엇"}))],
            Rule::UnknownNoticeItem,
            "notice.items[2].id",
        ),
        (
            "item twice",
            vec![("/notice/items/2", json!({"id": 321, "content": "또"}))],
            Rule::DuplicateNoticeItem,
            "notice.items[2].id",
        ),
    ];
    for (case, changes, rule, path) in cases {
        let body = with(&changes);
        let findings = check(&body, BodyKind::Registration, Some(&rules));
        assert!(
            findings.contains(&(rule, path.to_string())),
            "{case}: expected {rule:?} at {path} in {findings:?}"
        );
        assert!(
            !check(&body, BodyKind::Registration, None)
                .iter()
                .any(|(r, _)| *r == rule),
            "{case}: needs the category rules"
        );
    }
}

#[test]
fn with_category_rules_the_prefix_guess_gives_way_to_the_template() {
    let rules = category_rules();
    let body = with(&[
        ("/stocks/0/options/0/groupName", json!("(택1) 개당 수량")),
        ("/stocks/0/options/0/valueName", json!("3봉")),
    ]);
    let findings = check(&body, BodyKind::Registration, Some(&rules));
    assert!(
        findings
            .iter()
            .any(|(rule, _)| *rule == Rule::OneOfGroupTwice)
    );
    assert!(!findings.iter().any(|(rule, _)| *rule == Rule::OneOfPrefix));
}

#[test]
fn every_problem_comes_at_once_in_the_vendors_shape() {
    let body = with(&[
        ("/name", json!("최고@상품")),
        ("/stocks/1/isMainPrice", json!(true)),
        ("/stocks/0/salePrice", json!(49_900)),
        ("/images/1/type", json!("AD")),
    ]);
    let validation = validate_json(&body, BodyKind::Registration, None);
    let Reason::Fields(fields) = validation.error_reason() else {
        panic!("a field map");
    };
    let paths: Vec<&str> = fields.keys().map(String::as_str).collect();
    assert_eq!(paths, ["images", "name", "stocks", "stocks[0].salePrice"]);
}

#[test]
fn severities_follow_the_evidence() {
    for rule in [
        Rule::OneMainPrice,
        Rule::SalePriceAboveList,
        Rule::Description,
        Rule::OptionGroup,
        Rule::Schema,
    ] {
        assert_eq!(rule.severity(), Severity::Error, "{rule:?}");
    }
    for rule in [
        Rule::Thumbnail,
        Rule::PriceAtLeastOne,
        Rule::OneOfPrefix,
        Rule::KeywordCount,
        Rule::NewItemIds,
    ] {
        assert_eq!(rule.severity(), Severity::Warning, "{rule:?}");
    }
}
