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
