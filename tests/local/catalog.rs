//! The catalogue reference data: the category tree, constraint templates and notices
//! (CAT-01..03, NTC-01..02), read through the SDK as an integration would before registering
//! a product.

use std::collections::BTreeSet;

use toss_shopping::local::LocalServer;
use toss_shopping::types::Category;
use toss_shopping::{Client, Error};

use crate::support::start;

/// The demo leaf (식품 > 가공식품 > 과자).
const SNACKS: i64 = 1_031_001;
/// Its constraint template.
const SNACKS_TEMPLATE: i64 = 7_001;
/// 식품, with its live id.
const FOOD: i64 = 50_995;

/// The vendor error code of a failure, empty when the API sent none.
fn code(error: &Error) -> &str {
    error.code().map(|code| code.as_str()).unwrap_or("")
}

/// The children of `id`, or the top level.
async fn children(client: &Client, id: Option<i64>) -> Vec<Category> {
    let request = client.list_child_categories();
    let request = match id {
        Some(id) => request.id(id),
        None => request,
    };
    request.await.expect("children").items
}

/// Every leaf of the tree, walking down from the top level one call per inner category.
async fn leaves(client: &Client) -> Vec<Category> {
    let mut open = children(client, None).await;
    let mut found = Vec::new();
    while let Some(category) = open.pop() {
        if category.is_leaf == Some(true) {
            found.push(category);
        } else {
            open.extend(children(client, category.id).await);
        }
    }
    found
}

#[tokio::test]
async fn the_top_level_holds_only_inner_categories_at_level_two() {
    let (_server, client) = start(LocalServer::builder()).await;
    let top = children(&client, None).await;
    assert!(top.len() >= 4, "{top:?}");
    for category in &top {
        assert_eq!(category.level, Some(2), "{category:?}");
        assert_eq!(category.parent_id, None);
        assert_eq!(category.is_leaf, Some(false));
    }
    let food = top.iter().find(|c| c.id == Some(FOOD)).expect("식품");
    assert_eq!(food.name.as_deref(), Some("식품"));
}

#[tokio::test]
async fn the_demo_leaf_is_snacks_under_processed_food() {
    let (_server, client) = start(LocalServer::builder()).await;
    let processed = children(&client, Some(FOOD))
        .await
        .into_iter()
        .find(|c| c.name.as_deref() == Some("가공식품"))
        .expect("가공식품");
    assert_eq!(
        (processed.level, processed.parent_id),
        (Some(3), Some(FOOD))
    );
    let snacks = children(&client, processed.id)
        .await
        .into_iter()
        .find(|c| c.id == Some(SNACKS))
        .expect("과자");
    assert_eq!(snacks.name.as_deref(), Some("과자"));
    assert_eq!(snacks.is_leaf, Some(true));
    assert_eq!(snacks.parent_id, processed.id);
    // A leaf has no children.
    assert!(children(&client, Some(SNACKS)).await.is_empty());
}

#[tokio::test]
async fn an_unknown_category_is_not_found() {
    let (_server, client) = start(LocalServer::builder()).await;
    let error = client.list_child_categories().id(999).await.unwrap_err();
    assert_eq!(code(&error), "NOT_FOUND", "{error:?}");
    let error = client
        .get_category_constraint_templates()
        .category_id(999)
        .await
        .unwrap_err();
    assert_eq!(code(&error), "NOT_FOUND", "{error:?}");
}

#[tokio::test]
async fn the_demo_leaf_has_required_and_one_of_option_groups() {
    let (_server, client) = start(LocalServer::builder()).await;
    let templates = client
        .get_category_constraint_templates()
        .category_id(SNACKS)
        .await
        .expect("templates");
    assert_eq!(templates.category_name.as_deref(), Some("과자"));
    assert_eq!(templates.category_search_options, Some(vec![]));
    assert!(
        templates
            .product_notice_info_template_types
            .contains(&"PROCESSED_FOOD".to_string())
    );
    let options = &templates.category_sales_options;
    let required: Vec<_> = options
        .iter()
        .filter(|o| o.is_one_of_required_group == Some(false))
        .collect();
    let one_of: Vec<_> = options
        .iter()
        .filter(|o| o.is_one_of_required_group == Some(true))
        .collect();
    assert_eq!(required.len(), 1, "{options:?}");
    assert_eq!(required[0].key.as_deref(), Some("수량"));
    assert_eq!(required[0].is_option, Some(false));
    assert!(one_of.len() >= 2, "{options:?}");
    for group in one_of {
        assert!(group.key.as_deref().is_some_and(|k| k.starts_with("(택1)")));
        assert!(group.unit_values.as_ref().is_some_and(|u| !u.is_empty()));
    }
}

#[tokio::test]
async fn an_inner_category_has_no_constraint_templates() {
    let (_server, client) = start(LocalServer::builder()).await;
    let error = client
        .get_category_constraint_templates()
        .category_id(FOOD)
        .await
        .unwrap_err();
    assert_eq!(code(&error), "BAD_REQUEST", "{error:?}");
}

#[tokio::test]
async fn a_template_is_read_by_its_id() {
    let (_server, client) = start(LocalServer::builder()).await;
    let template = client
        .get_product_constraint_template()
        .template_id(SNACKS_TEMPLATE)
        .await
        .expect("template");
    assert_eq!(template["templateId"], SNACKS_TEMPLATE);
    let rules = template["rules"].as_array().expect("rules");
    assert!(
        rules
            .iter()
            .any(|r| r["key"] == "수량" && r["required"] == true)
    );
    assert!(
        rules
            .iter()
            .any(|r| r["isOneOfRequiredGroup"] == true && r["required"] == false)
    );

    let error = client
        .get_product_constraint_template()
        .template_id(1)
        .await
        .unwrap_err();
    assert_eq!(code(&error), "NOT_FOUND", "{error:?}");
}

#[tokio::test]
async fn every_leaf_has_a_template_whose_notice_codes_exist() {
    let (_server, client) = start(LocalServer::builder()).await;
    let codes: BTreeSet<String> = client
        .list_notice_category_codes()
        .await
        .expect("codes")
        .items
        .into_iter()
        .filter_map(|item| item.category_code)
        .collect();
    let leaves = leaves(&client).await;
    assert!(leaves.len() >= 8, "{leaves:?}");
    assert!(leaves.iter().any(|leaf| leaf.id == Some(SNACKS)));
    for leaf in leaves {
        let id = leaf.id.expect("leaf id");
        let templates = client
            .get_category_constraint_templates()
            .category_id(id)
            .await
            .expect("a leaf's templates");
        assert_eq!(templates.category_name, leaf.name);
        assert!(!templates.category_sales_options.is_empty());
        for notice in &templates.product_notice_info_template_types {
            assert!(codes.contains(notice), "{notice} of {id} is not in NTC-01");
        }
    }
}

#[tokio::test]
async fn notice_codes_have_korean_names() {
    let (_server, client) = start(LocalServer::builder()).await;
    let codes = client.list_notice_category_codes().await.expect("codes");
    let pairs: Vec<_> = codes
        .items
        .iter()
        .map(|item| {
            (
                item.category_code.as_deref().unwrap_or(""),
                item.first_category_name.as_deref().unwrap_or(""),
            )
        })
        .collect();
    assert!(pairs.contains(&("PROCESSED_FOOD", "가공식품")), "{pairs:?}");
    assert!(pairs.contains(&("COSMETIC", "화장품")));
    assert!(pairs.contains(&("ETC_GOODS", "기타 재화")));
}

#[tokio::test]
async fn processed_food_notice_items_start_with_the_header_item() {
    let (_server, client) = start(LocalServer::builder()).await;
    let items = client
        .list_notice_items()
        .category_code("PROCESSED_FOOD")
        .await
        .expect("items")
        .items;
    let ids: Vec<i64> = items.iter().filter_map(|item| item.id).collect();
    assert_eq!(ids, (319..=341).step_by(2).collect::<Vec<_>>());
    assert_eq!(items[0].title.as_deref(), Some("표시사항"));

    let health = client
        .list_notice_items()
        .category_code("HEALTH_FUNCTIONAL_FOOD")
        .await
        .expect("items")
        .items;
    assert_eq!(health.first().and_then(|item| item.id), Some(1));
    assert_eq!(health.last().and_then(|item| item.id), Some(467));
}

#[tokio::test]
async fn an_unknown_notice_code_is_not_found() {
    let (_server, client) = start(LocalServer::builder()).await;
    let error = client
        .list_notice_items()
        .category_code("FOOD")
        .await
        .unwrap_err();
    assert_eq!(code(&error), "NOT_FOUND", "{error:?}");
}

#[tokio::test]
async fn an_empty_seller_still_sees_the_reference_data() {
    let (_server, client) = start(LocalServer::builder().empty_demo_seller()).await;
    assert!(!children(&client, None).await.is_empty());
    client
        .get_category_constraint_templates()
        .category_id(SNACKS)
        .await
        .expect("templates");
    assert!(
        !client
            .list_delivery_companies()
            .await
            .unwrap()
            .delivery_companies
            .is_empty()
    );
}
