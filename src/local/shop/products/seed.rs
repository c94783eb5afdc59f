//! The demo products: two on sale, one hidden, one rejected and one still in inspection,
//! all in the demo leaf category with the demo delivery-fee group and return address.
//! Bodies go through the same registration as the API, so they have the API's shapes.

use chrono::{Duration, NaiveDateTime};
use serde_json::{Value, json};

use super::record::Stage;
use crate::api::types::ProductRegistration;
use crate::local::shop::{Shop, demo};

/// One demo product: its body and how far it got (`None`: still in inspection).
struct DemoProduct {
    /// The registration body, as JSON.
    body: Value,
    /// The inspection outcome; `None` leaves it waiting.
    stage: Option<Stage>,
    /// Whether it is hidden.
    is_hide: bool,
    /// How many days before the server started it was registered.
    age_days: i64,
}

/// The reason the demo rejection carries (a real inspection message).
const THUMBNAIL_TOO_SMALL: &str =
    "썸네일 최소 크기 미달: 썸네일은 최소 크기(600x600) 이상이어야 해요.";

impl Shop {
    /// Seeds the demo products, registered some days before `now`.
    pub(crate) fn seed_products(&mut self, now: NaiveDateTime) {
        // The demo products use a simplified option group that their category's template
        // does not list, so they are seeded without the category rules.
        let category_rules = std::mem::replace(&mut self.settings.category_rules, false);
        for product in demo_products() {
            let registered_at = now
                .checked_sub_signed(Duration::days(product.age_days))
                .unwrap_or(now);
            let Ok(body) = serde_json::from_value::<ProductRegistration>(product.body) else {
                continue;
            };
            let Ok(id) = self.register_product_body(body, registered_at) else {
                continue;
            };
            if let Ok(stored) = self.products.get_mut(id) {
                if let Some(stage) = product.stage {
                    stored.stage = stage;
                }
                stored.is_hide = product.is_hide;
            }
        }
        self.settings.category_rules = category_rules;
    }
}

/// The demo products, oldest first.
fn demo_products() -> Vec<DemoProduct> {
    vec![
        DemoProduct {
            body: body(
                "국산 사과즙 100ml x 30포",
                "APPLE-JUICE-30",
                "사과즙",
                &[("30포", 19_900, 25_000, 120), ("60포", 35_900, 48_000, 40)],
            ),
            stage: Some(Stage::Complete),
            is_hide: false,
            age_days: 30,
        },
        DemoProduct {
            body: body(
                "제주 감귤 주스 1L x 6병",
                "TANGERINE-1L-6",
                "감귤주스",
                &[
                    ("6병", 24_900, 29_900, 80),
                    ("12병", 45_900, 59_800, 25),
                    ("18병", 64_900, 89_700, 0),
                ],
            ),
            stage: Some(Stage::Complete),
            is_hide: false,
            age_days: 21,
        },
        DemoProduct {
            body: body(
                "유기농 블루베리잼 500g",
                "BLUEBERRY-JAM-500",
                "블루베리잼",
                &[("1병", 12_900, 15_000, 35), ("2병", 23_900, 30_000, 10)],
            ),
            stage: Some(Stage::Complete),
            is_hide: true,
            age_days: 14,
        },
        DemoProduct {
            body: body(
                "수제 호두강정 300g",
                "WALNUT-300",
                "호두강정",
                &[("1봉", 15_900, 18_000, 50), ("3봉", 44_900, 54_000, 20)],
            ),
            stage: Some(Stage::Rejected {
                reasons: vec![THUMBNAIL_TOO_SMALL.into()],
            }),
            is_hide: false,
            age_days: 3,
        },
        DemoProduct {
            body: body(
                "전통 배도라지청 500g",
                "PEAR-BELLFLOWER-500",
                "배도라지청",
                &[("1병", 27_900, 32_000, 60), ("2병", 52_900, 64_000, 30)],
            ),
            stage: None,
            is_hide: false,
            age_days: 0,
        },
    ]
}

/// A registration body in the demo category; `options` are (value, sale price, list price,
/// stock), the first one the main price.
fn body(name: &str, code: &str, keyword: &str, options: &[(&str, i64, i64, i64)]) -> Value {
    let slug = code.to_lowercase();
    let stocks: Vec<Value> = options
        .iter()
        .enumerate()
        .map(|(index, (value, sale, origin, remaining))| {
            json!({
                "options": [{"groupName": "(택1) 수량", "valueName": value}],
                "remainingCount": remaining,
                "isMainPrice": index == 0,
                "originPrice": origin,
                "salePrice": sale,
                "managementCode": format!("{code}-{}", index + 1),
            })
        })
        .collect();
    json!({
        "name": name,
        "brandName": "토스농원",
        "categoryId": demo::LEAF_CATEGORY_ID,
        "isTaxFree": false,
        "managementCode": code,
        "stocks": stocks,
        "images": [
            {"type": "THUMBNAIL", "url": format!("https://static.toss-shopping.example/{slug}/thumb.jpg"), "order": 0},
            {"type": "DESCRIPTION", "url": format!("https://static.toss-shopping.example/{slug}/detail.jpg"), "order": 1},
        ],
        "exposure": {
            "searchKeywords": [keyword, "선물세트"],
            "description": format!("{name}. 국내산 원료로 정성껏 만들었습니다."),
        },
        "deliveryPolicy": {
            "deliveryType": "NORMAL",
            "deliveryMethod": "NORMAL",
            "preparationDays": 2,
            "deliveryLocationId": demo::DELIVERY_FEE_GROUP_ID,
            "deliveryCompanyId": 1,
            "deliveryFeeType": "CONDITIONALLY_FREE",
            "deliveryFee": 3000,
            "minimumPurchasePrice": 30000,
            "isJejuAndIslandsMountainsDelivery": true,
            "jejuDeliveryFee": 3000,
            "islandsMountainsDeliveryFee": 5000,
        },
        "exchangeReturnPolicy": {
            "exchangeRefundLocationId": demo::RETURN_LOCATION_ID,
            "refundOneWayDeliveryFee": 3000,
            "exchangeRoundTripDeliveryFee": 6000,
            "applicationMethodDescription": "토스쇼핑 주문 내역에서 교환 또는 반품을 신청해 주세요.",
            "applicationTermDescription": "상품 수령 후 7일 이내에 신청할 수 있습니다.",
        },
        "notice": {
            "categoryCode": demo::NOTICE_CATEGORY_CODE,
            "items": [
                {"id": 319, "content": "상품 상세페이지 참조"},
                {"id": 320, "content": format!("{name} / 토스농원")},
                {"id": 321, "content": "제조일로부터 12개월"},
            ],
        },
    })
}
