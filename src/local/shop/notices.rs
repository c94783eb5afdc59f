//! The product information notices (정보제공 고시, NTC-01 and NTC-02): reference data every
//! seller shares.
//!
//! Each notice category code has a fixed list of items a product's `notice.items` must fill
//! in. The `PROCESSED_FOOD` and `HEALTH_FUNCTIONAL_FOOD` ids are the live ones (the header
//! items 319 and 1, 표시사항, come first); the other codes' ids are made up in the same style,
//! and their titles follow the statutory notice forms.

use super::Shop;
use crate::api::types::{NoticeCategoryCode, NoticeCategoryCodes, NoticeItem, NoticeItems};
use crate::local::{Call, Fail};

/// One notice category: its code, display name and items `(id, title)`.
#[derive(Debug)]
struct NoticeCategory {
    code: &'static str,
    name: &'static str,
    items: &'static [(i64, &'static str)],
}

/// 가공식품 (processed food), with the live ids 319 to 341.
const PROCESSED_FOOD: &[(i64, &str)] = &[
    (319, "표시사항"),
    (321, "제품명"),
    (323, "식품의 유형"),
    (325, "생산자 및 소재지"),
    (327, "제조연월일, 소비기한 또는 품질유지기한"),
    (329, "포장단위별 내용물의 용량(중량), 수량"),
    (331, "원재료명 및 함량"),
    (333, "영양성분"),
    (335, "유전자변형식품에 해당하는 경우의 표시"),
    (337, "소비자안전을 위한 주의사항"),
    (
        339,
        "수입식품에 해당하는 경우 \"수입식품안전관리 특별법에 따른 수입신고를 필함\"의 문구",
    ),
    (341, "소비자상담 관련 전화번호"),
];

/// 건강기능식품 (health functional food), with the live ids 1 to 25 and 467.
const HEALTH_FUNCTIONAL_FOOD: &[(i64, &str)] = &[
    (1, "표시사항"),
    (3, "제품명"),
    (5, "식품의 유형"),
    (7, "제조업소의 명칭과 소재지"),
    (9, "제조연월일, 소비기한 또는 품질유지기한"),
    (11, "포장단위별 내용물의 용량(중량), 수량"),
    (13, "원료명 및 함량"),
    (15, "영양정보"),
    (17, "기능정보"),
    (19, "섭취량, 섭취방법 및 섭취 시 주의사항 및 부작용 가능성"),
    (
        21,
        "질병의 예방 및 치료를 위한 의약품이 아니라는 내용의 표현",
    ),
    (23, "유전자변형건강기능식품에 해당하는 경우의 표시"),
    (
        25,
        "수입식품에 해당하는 경우 \"수입식품안전관리 특별법에 따른 수입신고를 필함\"의 문구",
    ),
    (467, "소비자상담 관련 전화번호"),
];

/// 농수축산물 (agricultural, marine and livestock products).
const AGRICULTURAL_FOOD: &[(i64, &str)] = &[
    (501, "포장단위별 내용물의 용량(중량), 수량, 크기"),
    (503, "생산자 및 소재지"),
    (505, "제조연월일, 소비기한 또는 품질유지기한"),
    (507, "관련법상 표시사항"),
    (509, "상품구성"),
    (511, "보관방법 또는 취급방법"),
    (513, "소비자안전을 위한 주의사항"),
    (515, "소비자상담 관련 전화번호"),
];

/// 화장품 (cosmetics).
const COSMETIC: &[(i64, &str)] = &[
    (601, "내용물의 용량 또는 중량"),
    (603, "제품 주요 사양"),
    (605, "사용기한 또는 개봉 후 사용기간"),
    (607, "사용방법"),
    (
        609,
        "화장품제조업자, 화장품책임판매업자 및 맞춤형화장품판매업자",
    ),
    (611, "제조국"),
    (613, "화장품법에 따라 기재해야 하는 모든 성분"),
    (
        615,
        "기능성 화장품의 경우 화장품법에 따른 식품의약품안전처 심사 필 유무",
    ),
    (617, "사용할 때의 주의사항"),
    (619, "품질보증기준"),
    (621, "소비자상담 관련 전화번호"),
];

/// 의류 (clothing).
const CLOTHING: &[(i64, &str)] = &[
    (701, "제품 소재"),
    (703, "색상"),
    (705, "치수"),
    (707, "제조자, 수입품의 경우 수입자를 함께 표기"),
    (709, "제조국"),
    (711, "세탁방법 및 취급시 주의사항"),
    (713, "제조연월"),
    (715, "품질보증기준"),
    (717, "A/S 책임자와 전화번호"),
];

/// 생활화학제품 (household chemical products).
const HOUSEHOLD_CHEMICAL: &[(i64, &str)] = &[
    (801, "품명 및 모델명"),
    (803, "용도 및 제형"),
    (805, "제조연월 및 유통기한"),
    (807, "중량·용량·매수"),
    (809, "효과·효능"),
    (811, "수입자, 제조국 및 제조사"),
    (813, "어린이보호포장 대상 제품 유무"),
    (815, "제품에 사용된 화학물질 명칭"),
    (817, "사용상 주의사항"),
    (
        819,
        "안전기준 적합확인 신고번호 또는 안전확인대상 생활화학제품 승인번호",
    ),
    (821, "소비자상담 관련 전화번호"),
];

/// 기타 재화 (other goods).
const ETC_GOODS: &[(i64, &str)] = &[
    (901, "품명 및 모델명"),
    (
        903,
        "법에 의한 인증·허가 등을 받았음을 확인할 수 있는 경우 그에 대한 사항",
    ),
    (905, "제조국 또는 원산지"),
    (907, "제조자, 수입품의 경우 수입자를 함께 표기"),
    (909, "A/S 책임자와 전화번호 또는 소비자상담 관련 전화번호"),
];

/// The notice categories every seller sees, in the order NTC-01 lists them.
const REFERENCE: &[NoticeCategory] = &[
    NoticeCategory {
        code: "PROCESSED_FOOD",
        name: "가공식품",
        items: PROCESSED_FOOD,
    },
    NoticeCategory {
        code: "HEALTH_FUNCTIONAL_FOOD",
        name: "건강기능식품",
        items: HEALTH_FUNCTIONAL_FOOD,
    },
    NoticeCategory {
        code: "AGRICULTURAL_FOOD",
        name: "농수축산물",
        items: AGRICULTURAL_FOOD,
    },
    NoticeCategory {
        code: "COSMETIC",
        name: "화장품",
        items: COSMETIC,
    },
    NoticeCategory {
        code: "CLOTHING",
        name: "의류",
        items: CLOTHING,
    },
    NoticeCategory {
        code: "HOUSEHOLD_CHEMICAL",
        name: "생활화학제품",
        items: HOUSEHOLD_CHEMICAL,
    },
    NoticeCategory {
        code: "ETC_GOODS",
        name: "기타 재화",
        items: ETC_GOODS,
    },
];

/// The notice categories and their items.
#[derive(Debug, Default)]
pub(crate) struct NoticeBook {
    categories: &'static [NoticeCategory],
}

impl NoticeBook {
    /// The reference notice categories.
    pub(crate) fn reference() -> Self {
        Self {
            categories: REFERENCE,
        }
    }

    /// NTC-02's answer for `code`: its items, header item first; `NOT_FOUND` for an
    /// unknown code.
    pub(crate) fn items(&self, code: &str) -> Result<NoticeItems, Fail> {
        let items = self
            .category(code)?
            .items
            .iter()
            .map(|&(id, title)| NoticeItem {
                id: Some(id),
                title: Some(title.to_string()),
            })
            .collect();
        Ok(NoticeItems { items })
    }

    /// The category with this code, or `NOT_FOUND` as for any unknown key.
    fn category(&self, code: &str) -> Result<&NoticeCategory, Fail> {
        self.categories
            .iter()
            .find(|category| category.code == code)
            .ok_or_else(|| Fail::not_found(format!("존재하지 않는 고시 카테고리입니다. ({code})")))
    }
}

impl crate::api::serve::Notices for Shop {
    /// NTC-01: every notice code with its Korean name.
    fn list_notice_category_codes(&mut self, _call: &Call) -> Result<NoticeCategoryCodes, Fail> {
        let items = self
            .notices
            .categories
            .iter()
            .map(|category| NoticeCategoryCode {
                category_code: Some(category.code.to_string()),
                first_category_name: Some(category.name.to_string()),
            })
            .collect();
        Ok(NoticeCategoryCodes { items })
    }

    /// NTC-02: the items of one code, header item first; `NOT_FOUND` for an unknown code.
    fn list_notice_items(&mut self, call: &Call) -> Result<NoticeItems, Fail> {
        let code = call
            .query_text("categoryCode")
            .ok_or_else(|| Fail::invalid_field("categoryCode", "필수 값이 누락되었습니다."))?;
        self.notices.items(code)
    }
}
