//! Product information notices (정보제공 고시).

use serde_json::json;
use toss_shopping::{Error, mock};

use crate::support::{Harness, ok};

#[tokio::test]
async fn list_notice_category_codes() {
    let h = Harness::start().await;
    let codes = json!({"items": [
        {"categoryCode": "COSMETIC", "firstCategoryName": "화장품", "sortOrder": 7},
        {"categoryCode": "PROCESSED_FOOD", "firstCategoryName": "가공식품", "sortOrder": 19},
        {"categoryCode": "HEALTH_FUNCTIONAL_FOOD", "firstCategoryName": "건강기능식품", "sortOrder": 20},
        {"categoryCode": "ETC_GOODS", "firstCategoryName": "기타 재화", "sortOrder": 35}
    ]});
    let request = mock::list_notice_category_codes().when(|p| p.partner_name("my-erp"));
    h.expect_call(request, ok(codes)).await;
    let codes = h
        .client
        .list_notice_category_codes()
        .partner_name("my-erp")
        .await
        .expect("codes");
    assert_eq!(codes.items.len(), 4);
    assert_eq!(codes.items[0].category_code.as_deref(), Some("COSMETIC"));
    assert_eq!(
        codes.items[0].first_category_name.as_deref(),
        Some("화장품")
    );
    assert_eq!(codes.items[3].category_code.as_deref(), Some("ETC_GOODS"));
    assert_eq!(
        codes.items[3].first_category_name.as_deref(),
        Some("기타 재화")
    );

    h.assert_not_found(
        mock::list_notice_category_codes(),
        h.client.list_notice_category_codes(),
    )
    .await;
}

#[tokio::test]
async fn list_notice_items() {
    let h = Harness::start().await;
    let items = json!({"items": [
        {"id": 319, "title": "표시사항", "isHeader": true},
        {"id": 321, "title": "식품의 유형"},
        {"id": 323, "title": "생산자 및 소재지 (수입품의 경우 생산자, 수입자 및 제조국)"},
        {"id": 325, "title": "제조연월일, 소비기한 또는 품질유지기한"},
        {"id": 327, "title": "포장단위별 내용물의 용량(중량), 수량"},
        {"id": 329, "title": "원재료명 및 함량"},
        {"id": 331, "title": "영양성분"},
        {"id": 333, "title": "유전자변형식품에 해당하는 경우의 표시"},
        {"id": 335, "title": "소비자안전을 위한 주의사항"},
        {"id": 337, "title": "수입식품에 해당하는 경우 \"수입식품안전관리 특별법에 따른 수입신고를 필함\"의 문구"},
        {"id": 339, "title": "소비자상담 관련 전화번호"},
        {"id": 341, "title": null}
    ]});
    let request = mock::list_notice_items()
        .when(|p| p.category_code("PROCESSED_FOOD").partner_name("my-erp"));
    h.expect_call(request, ok(items)).await;
    let notice = h
        .client
        .list_notice_items()
        .category_code("PROCESSED_FOOD")
        .partner_name("my-erp")
        .await
        .expect("items");
    assert_eq!(notice.items.len(), 12);
    assert_eq!(notice.items[0].id, Some(319));
    assert_eq!(notice.items[0].title.as_deref(), Some("표시사항"));
    assert_eq!(notice.items[11].id, Some(341));
    assert_eq!(notice.items[11].title, None);
    let ids: Vec<i64> = notice.items.iter().filter_map(|item| item.id).collect();
    assert_eq!(
        ids,
        [319, 321, 323, 325, 327, 329, 331, 333, 335, 337, 339, 341]
    );

    h.assert_not_found(
        mock::list_notice_items().when(|p| p.category_code("PROCESSED_FOOD")),
        h.client.list_notice_items().category_code("PROCESSED_FOOD"),
    )
    .await;
}

#[tokio::test]
async fn the_notice_code_is_required_and_nothing_is_sent_without_it() {
    // `categoryCode` is a required query parameter: the builder refuses before sending
    // (the harness's catch-all fails the test if any request arrives).
    let h = Harness::start().await;
    let err = h
        .client
        .list_notice_items()
        .await
        .expect_err("categoryCode is required");
    assert!(
        matches!(&err, Error::InvalidRequest(why) if why.to_string().contains("category_code")),
        "{err:?}"
    );
}
