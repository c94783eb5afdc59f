//! Categories, constraint templates.

use serde_json::json;

use crate::support::{Harness, ok};

#[tokio::test]
async fn list_child_categories() {
    let h = Harness::start().await;
    let children = json!({"items": [
        {"id": 50996, "name": "신선식품", "level": 3, "parentId": 50995, "isLeaf": false, "policy": {"adult": false}},
        {"id": 51001, "name": "과일", "level": 4, "parentId": 50995, "isLeaf": true, "policy": null}
    ]});
    h.expect(
        "GET",
        "/products/categories/children",
        &[("id", "50995")],
        ok(children),
    )
    .await;
    let page = h
        .client
        .list_child_categories()
        .id(50995)
        .await
        .expect("children");
    assert_eq!(page.items.len(), 2);
    assert_eq!(page.items[0].parent_id, Some(50995));
    assert_eq!(page.items[1].is_leaf, Some(true));
    assert!(
        page.items[0]
            .policy
            .as_ref()
            .is_some_and(|p| p["adult"] == false)
    );

    h.assert_fail_envelope(
        "GET",
        "/products/categories/children",
        &[],
        h.client.list_child_categories(),
    )
    .await;
}

#[tokio::test]
async fn get_category_constraint_templates() {
    let h = Harness::start().await;
    let templates = json!({
        "categoryName": "비타민/미네랄",
        "categorySalesOptions": [
            {
                "key": "수량", "isOption": false, "isOneOfRequiredGroup": false,
                "valueCandidates": ["1개", "2개", "3개"], "unitValues": ["개"]
            },
            {
                "key": "(택1) 색상", "isOption": true, "isOneOfRequiredGroup": true,
                "valueCandidates": ["화이트", "블랙"], "unitValues": null
            },
            {
                "key": "(택1) 개당 캡슐/정", "isOption": true, "isOneOfRequiredGroup": true,
                "valueCandidates": [], "unitValues": ["개", "정", "mg"], "displayOrder": 3
            }
        ],
        "categorySearchOptions": [{"key": "성분", "values": ["비타민C"]}],
        "productNoticeInfoTemplateTypes": ["HEALTH_FUNCTIONAL_FOOD", "ETC_GOODS"],
        "templateUpdatedAt": "2026-03-26T00:00:00"
    });
    h.expect(
        "GET",
        "/category/51234/constraint-templates",
        &[("partnerName", "my-erp")],
        ok(templates),
    )
    .await;
    let templates = h
        .client
        .get_category_constraint_templates()
        .category_id(51234)
        .partner_name("my-erp")
        .await
        .expect("templates");
    assert_eq!(templates.category_name.as_deref(), Some("비타민/미네랄"));
    let options = &templates.category_sales_options;
    assert_eq!(options.len(), 3);
    assert_eq!(options[0].key.as_deref(), Some("수량"));
    assert_eq!(
        (options[0].is_option, options[0].is_one_of_required_group),
        (Some(false), Some(false))
    );
    assert_eq!(options[0].unit_values, Some(vec!["개".to_string()]));
    assert_eq!(options[1].key.as_deref(), Some("(택1) 색상"));
    assert_eq!(options[1].is_one_of_required_group, Some(true));
    assert_eq!(options[1].unit_values, None);
    assert_eq!(
        options[1].value_candidates.as_deref(),
        Some(&["화이트".to_string(), "블랙".to_string()][..])
    );
    assert_eq!(
        options[2].unit_values.as_deref(),
        Some(&["개".to_string(), "정".to_string(), "mg".to_string()][..])
    );
    let search = templates
        .category_search_options
        .as_ref()
        .expect("search options");
    assert_eq!(search[0]["key"], "성분");
    assert_eq!(
        templates.product_notice_info_template_types,
        ["HEALTH_FUNCTIONAL_FOOD", "ETC_GOODS"]
    );

    h.assert_fail_envelope(
        "GET",
        "/category/51234/constraint-templates",
        &[],
        h.client
            .get_category_constraint_templates()
            .category_id(51234),
    )
    .await;
}

#[tokio::test]
async fn constraint_templates_with_null_arrays_decode_as_none() {
    // `categorySearchOptions`, `valueCandidates` and `unitValues` are nullable arrays.
    let h = Harness::start().await;
    let templates = json!({
        "categoryName": "사과",
        "categorySalesOptions": [
            {"key": "수량", "isOption": false, "isOneOfRequiredGroup": false, "valueCandidates": null, "unitValues": null}
        ],
        "categorySearchOptions": null,
        "productNoticeInfoTemplateTypes": ["AGRICULTURAL_PRODUCT"]
    });
    h.expect(
        "GET",
        "/category/51001/constraint-templates",
        &[],
        ok(templates),
    )
    .await;
    let templates = h
        .client
        .get_category_constraint_templates()
        .category_id(51001)
        .await
        .expect("templates");
    assert_eq!(templates.category_search_options, None);
    let quantity = &templates.category_sales_options[0];
    assert_eq!(quantity.key.as_deref(), Some("수량"));
    assert_eq!(
        (&quantity.value_candidates, &quantity.unit_values),
        (&None, &None)
    );
}

#[tokio::test]
async fn get_product_constraint_template() {
    let h = Harness::start().await;
    let template = json!({
        "id": 1021,
        "name": "건강기능식품 옵션 템플릿",
        "options": [
            {"key": "(택1) 개당 캡슐/정", "unitValues": ["개", "정", "mg"], "required": false},
            {"key": "수량", "unitValues": ["개"], "required": true}
        ],
        "updatedAt": "2026-03-26T10:00:00",
        "deprecated": null
    });
    h.expect(
        "GET",
        "/product-constraint-templates/1021",
        &[("partnerName", "my-erp")],
        ok(template),
    )
    .await;
    let template = h
        .client
        .get_product_constraint_template()
        .template_id(1021)
        .partner_name("my-erp")
        .await
        .expect("template");
    assert_eq!(template["id"], 1021);
    assert_eq!(template["name"], "건강기능식품 옵션 템플릿");
    assert_eq!(
        template["options"][0]["unitValues"],
        json!(["개", "정", "mg"])
    );
    assert!(template["deprecated"].is_null());

    h.assert_fail_envelope(
        "GET",
        "/product-constraint-templates/1021",
        &[],
        h.client.get_product_constraint_template().template_id(1021),
    )
    .await;
}
