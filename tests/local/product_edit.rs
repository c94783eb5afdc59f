//! Safe product edits against the local server: item ids survive, frozen fields are refused
//! without a request, a concurrent change stops the write, re-inspection is reported.

use toss_shopping::local::Inspection;
use toss_shopping::products::{
    EditError, InspectionEffect, ProductDraft, ProductEditExt, ReinspectionCause, Rule,
};
use toss_shopping::types::{InspectionStatus, ItemNormalStockChangeRequest, ProductRegistration};
use toss_shopping::{Client, Reason};

use crate::product_support::{
    INSPECTION, approving, clocked, finish_inspection, product, register, registration,
};

/// A change to a draft, boxed so that different changes fit in one list.
type Change = Box<dyn FnOnce(&mut ProductDraft) + Send>;

/// Each stock's (`id`, `itemId`).
async fn ids(client: &Client, product_id: i64) -> Vec<(Option<i64>, Option<i64>)> {
    product(client, product_id)
        .await
        .stocks
        .iter()
        .map(|stock| (stock.id, stock.item_id))
        .collect()
}

/// A product that passed inspection, with the body it was registered with.
async fn passed(
    client: &Client,
    clock: &toss_shopping::auth::ManualClock,
) -> (i64, ProductRegistration) {
    let sent = registration("청송 사과즙");
    let id = register(client, sent.clone()).await;
    finish_inspection(clock);
    let status = product(client, id).await.inspection_status;
    assert_eq!(status, Some(InspectionStatus::Complete));
    (id, sent)
}

#[tokio::test]
async fn item_ids_survive_an_edit_and_the_price_changes_at_once() {
    let (_server, client, clock) = approving().await;
    let (id, sent) = passed(&client, &clock).await;
    let before = ids(&client, id).await;
    let item = before[1].1.expect("an item id");

    let edit = client
        .edit_product(id, |draft| {
            draft.stock_mut(item).expect("the item").sale_price = 49_900;
        })
        .base(sent.clone())
        .await
        .expect("edited");
    assert!(edit.sent);
    assert_eq!(edit.inspection, InspectionEffect::None);
    let new_ids = edit.warnings.iter().any(|w| w.rule == Rule::NewItemIds);
    assert!(!new_ids, "{:?}", edit.warnings);

    assert_eq!(ids(&client, id).await, before, "every item kept its ids");
    let now = product(&client, id).await;
    assert_eq!(now.stocks[1].sale_price, Some(49_900));
    assert_eq!(now.inspection_status, Some(InspectionStatus::Complete));

    // What the helper saves us from: the registration body sent back as the replacement.
    client
        .update_product()
        .product_id(id)
        .body(sent)
        .await
        .expect("replaced");
    assert_ne!(
        ids(&client, id).await,
        before,
        "without ids the items are new"
    );
}

#[tokio::test]
async fn frozen_fields_are_refused_without_a_request() {
    let (server, client, clock) = approving().await;
    let (id, sent) = passed(&client, &clock).await;
    let kept = product(&client, id).await;
    let edits: Vec<(&str, Change)> = vec![
        (
            "name",
            Box::new(|draft| draft.body.name = "청송 사과즙 골드".parse().expect("a name")),
        ),
        (
            "categoryId",
            Box::new(|draft| draft.body.category_id = 1_031_002),
        ),
        (
            "stocks[0].options",
            Box::new(|draft| {
                draft.body.stocks[0].options[0].value_name = "90포".parse().expect("a value")
            }),
        ),
    ];
    for (field, change) in edits {
        let before = server.api_requests();
        let error = client
            .edit_product(id, change)
            .base(sent.clone())
            .await
            .expect_err("refused");
        let EditError::Frozen {
            field: frozen,
            status,
            ..
        } = &error
        else {
            panic!("expected EditError::Frozen, got {error:?}");
        };
        assert_eq!(frozen, field);
        assert_eq!(status, &Some(InspectionStatus::Complete));
        assert_eq!(server.api_requests(), before + 1, "{field}: only the read");
    }
    assert_eq!(product(&client, id).await, kept, "nothing changed");
}

#[tokio::test]
async fn a_rejected_product_may_be_renamed_and_goes_back_to_inspection() {
    let policy = Inspection::reject_after(INSPECTION, "썸네일 최소 크기 미달");
    let (_server, client, clock) = clocked(policy).await;
    let sent = registration("청송 사과즙");
    let id = register(&client, sent.clone()).await;
    finish_inspection(&clock);

    let edit = client
        .edit_product(id, |draft| {
            draft.body.name = "청송 사과즙 골드".parse().expect("a name");
        })
        .base(sent)
        .await
        .expect("a rejected product may be renamed");
    assert_eq!(
        edit.inspection,
        InspectionEffect::Reinspection(ReinspectionCause::Rejected)
    );
    let now = product(&client, id).await;
    assert_eq!(now.name.as_deref(), Some("청송 사과즙 골드"));
    assert_eq!(
        now.inspection_status,
        Some(InspectionStatus::LlmInspectionReady)
    );
}

#[tokio::test]
async fn an_image_change_is_reported_as_sending_the_product_back_to_inspection() {
    let (_server, client, clock) = approving().await;
    let (id, sent) = passed(&client, &clock).await;
    let edit = client
        .edit_product(id, |draft| {
            draft.body.images[0].url = Some("https://example.com/t2.jpg".parse().expect("a url"));
        })
        .base(sent)
        .await
        .expect("edited");
    assert_eq!(
        edit.inspection,
        InspectionEffect::Reinspection(ReinspectionCause::ImagesChanged)
    );
    assert!(edit.inspection.sends_to_inspection());
    let now = product(&client, id).await;
    assert_eq!(
        now.inspection_status,
        Some(InspectionStatus::LlmInspectionReady),
        "the server agrees"
    );
}

#[tokio::test]
async fn a_change_made_since_the_read_stops_the_write_unless_forced() {
    let (server, client, clock) = approving().await;
    let (id, sent) = passed(&client, &clock).await;
    let item = ids(&client, id).await[0].1.expect("an item id");

    let mut draft = client.product_draft(id).base(sent).await.expect("a draft");
    // Meanwhile a sale (or another program) lowers the stock.
    client
        .update_item_normal_stock()
        .product_item_id(item)
        .body(ItemNormalStockChangeRequest {
            product_id: id,
            remaining_count: 1,
        })
        .await
        .expect("stock changed");
    draft.stock_mut(item).expect("the item").sale_price = 27_900;

    let before = server.api_requests();
    let error = client
        .save_product_draft(draft.clone())
        .await
        .expect_err("the product changed");
    let EditError::ChangedConcurrently { fields, .. } = &error else {
        panic!("expected EditError::ChangedConcurrently, got {error:?}");
    };
    assert_eq!(fields, &["stocks"]);
    assert_eq!(
        server.api_requests(),
        before + 1,
        "the second read, no write"
    );
    assert_eq!(
        product(&client, id).await.stocks[0].sale_price,
        Some(29_900)
    );

    let forced = client
        .save_product_draft(draft)
        .force()
        .await
        .expect("forced");
    assert!(forced.sent);
    let now = product(&client, id).await;
    assert_eq!(now.stocks[0].sale_price, Some(27_900));
    assert_eq!(
        now.stocks[0].remaining_count,
        Some(5),
        "forcing overwrote the stock change"
    );
}

#[tokio::test]
async fn a_stock_added_since_the_read_is_a_change_too() {
    let (server, client, clock) = approving().await;
    let (id, sent) = passed(&client, &clock).await;
    let mut draft = client.product_draft(id).base(sent).await.expect("a draft");

    // Another program adds an option the base knows nothing about.
    let mut theirs = draft.body.clone();
    let mut added = theirs.stocks[1].clone();
    (added.id, added.item_id, added.is_main_price) = (None, None, false);
    added.options[0].value_name = "90포".parse().expect("a value");
    theirs.stocks.push(added);
    client
        .update_product()
        .product_id(id)
        .body(theirs)
        .await
        .expect("their replacement");

    draft.body.stocks[0].sale_price = 27_900;
    let before = server.api_requests();
    let error = client
        .save_product_draft(draft)
        .await
        .expect_err("the product changed");
    let EditError::ChangedConcurrently { fields, .. } = &error else {
        panic!("expected EditError::ChangedConcurrently, got {error:?}");
    };
    assert_eq!(fields, &["stocks"]);
    assert_eq!(
        server.api_requests(),
        before + 1,
        "the second read, no write"
    );
    assert_eq!(
        product(&client, id).await.stocks.len(),
        3,
        "their stock stays"
    );
}

#[tokio::test]
async fn without_a_base_the_edit_names_what_a_read_lacks() {
    let (server, client, clock) = approving().await;
    let (id, _) = passed(&client, &clock).await;
    let before = server.api_requests();
    let error = client
        .edit_product(id, |draft| draft.body.stocks[0].sale_price = 1_000)
        .await
        .expect_err("cannot rebuild the body");
    let EditError::Unrecoverable { fields, .. } = &error else {
        panic!("expected EditError::Unrecoverable, got {error:?}");
    };
    for field in [
        "categoryId",
        "isTaxFree",
        "deliveryPolicy",
        "exchangeReturnPolicy",
        "notice",
        "stocks[0].isMainPrice",
    ] {
        assert!(fields.iter().any(|f| f == field), "{field} in {fields:?}");
    }
    assert_eq!(server.api_requests(), before + 1, "only the read");
}

#[tokio::test]
async fn an_edit_that_breaks_a_rule_is_refused_before_writing_and_a_no_op_sends_nothing() {
    let (server, client, clock) = approving().await;
    let (id, sent) = passed(&client, &clock).await;

    let before = server.api_requests();
    let error = client
        .edit_product(id, |draft| draft.body.stocks[0].sale_price = 99_900)
        .base(sent.clone())
        .await
        .expect_err("sale above list");
    let Some(Reason::Fields(fields)) = error.reason() else {
        panic!("expected a field map, got {error:?}");
    };
    assert!(fields.contains_key("stocks[0].salePrice"), "{fields:?}");
    assert_eq!(server.api_requests(), before + 1, "only the read");

    let before = server.api_requests();
    let edit = client
        .edit_product(id, |_| {})
        .base(sent)
        .await
        .expect("nothing to do");
    assert!(!edit.sent);
    assert_eq!(server.api_requests(), before + 1, "only the read");
}
