//! The rules a product body must meet on registration and on replacement, beyond the spec's
//! schema (which the wire layer has already checked): the references it names exist, and
//! the product rules of [`crate::products`], the very checks the client runs before sending,
//! so the server and the client never disagree. The server reports the first problem, as the
//! vendor does, in the vendor's words.
//!
//! The server is stricter than the client: besides the errors it refuses the warnings that
//! are suspected rules of the API itself (a price below 1 won, no thumbnail, two `(택1)`
//! groups, a replacement without description), so tests against it catch them. Warnings
//! about inspection outcomes and advice (new item ids, a GIF thumbnail) pass.

use serde_json::Value;

use crate::api::types::ProductRegistration;
use crate::local::Fail;
use crate::local::shop::Shop;
use crate::products::{BodyKind, CategoryRules, Finding, Rule};

/// The vendor's reason when two one-of (택1) option groups are sent together.
pub(crate) const ONE_OF_TWICE: &str = "택1 옵션은 한 가지만 쓸 수 있어요.";
/// The vendor's reason when a product has no description image or HTML.
pub(crate) const NO_DESCRIPTION: &str = "상세 이미지 또는 html을 찾을 수 없음";
/// The vendor's message for a required value that is missing.
const MISSING: &str = "필수 값이 누락되었습니다.";

impl Shop {
    /// Checks everything a registration or replacement body must meet; the first broken
    /// rule is the failure, as the vendor reports one problem at a time.
    pub(crate) fn check_product_body(
        &self,
        body: &ProductRegistration,
        kind: BodyKind,
    ) -> Result<(), Fail> {
        self.check_references(body)?;
        let validation = match self.category_rules_of(body) {
            Some(rules) => body.validate_with(kind, &rules),
            None => body.validate(kind),
        };
        let json = serde_json::to_value(body).unwrap_or_default();
        match validation
            .findings()
            .iter()
            .find_map(|finding| refusal(finding, &json))
        {
            Some(fail) => Err(fail),
            None => Ok(()),
        }
    }

    /// The category rules of the body's leaf, when the server enforces them.
    fn category_rules_of(&self, body: &ProductRegistration) -> Option<CategoryRules> {
        if !self.settings.category_rules {
            return None;
        }
        let templates = self.categories.leaf_templates(body.category_id).ok()?;
        let rules = CategoryRules::new(body.category_id, &templates);
        let code = body.notice.category_code.as_str();
        Some(match self.notices.items(code) {
            Ok(items) => rules.with_notice_items(code, &items),
            Err(_) => rules,
        })
    }

    /// The category must be a leaf, and the delivery-fee group and the return address must
    /// be the seller's.
    fn check_references(&self, body: &ProductRegistration) -> Result<(), Fail> {
        if !self.categories.is_leaf(body.category_id) {
            return Err(Fail::bad_request(format!(
                "최하위 카테고리에만 상품을 등록할 수 있어요. ({})",
                body.category_id
            )));
        }
        if let Some(group) = body.delivery_policy.delivery_location_id
            && !self.fee_groups.contains(group)
        {
            return Err(Fail::not_found(format!(
                "존재하지 않는 배송비 묶음 그룹입니다. ({group})"
            )));
        }
        let location = body.exchange_return_policy.exchange_refund_location_id;
        if !self.return_locations.contains(location) {
            return Err(Fail::not_found(format!(
                "존재하지 않는 교환/반품지입니다. ({location})"
            )));
        }
        Ok(())
    }
}

/// How the server refuses a finding, in the vendor's words; `None` for the findings it lets
/// pass. `body` is the body as JSON, for the values a message names.
fn refusal(finding: &Finding, body: &Value) -> Option<Fail> {
    let path = finding.path.as_str();
    let sibling = |key: &str| {
        let pointer = finding.pointer();
        let parent = pointer.rsplit_once('/').map_or("", |(parent, _)| parent);
        body.pointer(&format!("{parent}/{key}"))
            .map(Value::to_string)
            .unwrap_or_default()
    };
    Some(match finding.rule {
        Rule::Schema | Rule::ImageUrl | Rule::DescriptionOnReplace => {
            let missing = matches!(finding.problem, Some(crate::invalid::Problem::Missing))
                || finding.rule != Rule::Schema;
            let message = if missing { MISSING } else { &finding.message };
            Fail::invalid_field(path, message)
        }
        Rule::PriceAtLeastOne => Fail::invalid_field(path, "1 이상이어야 합니다."),
        Rule::OneMainPrice => {
            Fail::bad_request("대표 가격 옵션(isMainPrice)은 정확히 하나여야 해요.")
        }
        Rule::SalePriceAboveList => Fail::bad_request(sale_above_list(
            &sibling("salePrice"),
            &sibling("originPrice"),
        )),
        Rule::Thumbnail => Fail::bad_request("대표 이미지(THUMBNAIL)를 찾을 수 없음"),
        Rule::Description | Rule::HtmlInHtml => Fail::bad_request(NO_DESCRIPTION),
        Rule::DescriptionImageOrHtml => {
            Fail::bad_request("상세 이미지와 상세 html은 함께 등록할 수 없어요.")
        }
        Rule::NoticeContent => Fail::bad_request(format!(
            "상품정보제공고시 항목의 내용을 입력해 주세요. ({})",
            sibling("id")
        )),
        Rule::OneOfPrefix | Rule::OneOfGroupTwice => Fail::bad_request(ONE_OF_TWICE),
        Rule::OneOfGroupMissing => Fail::bad_request("택1 옵션 중 한 가지를 선택해 주세요."),
        Rule::OptionGroup => Fail::bad_request(format!(
            "카테고리에서 사용할 수 없는 옵션입니다. ({})",
            sibling("groupName").trim_matches('"')
        )),
        Rule::RequiredGroup => Fail::bad_request(format!("필수 옵션이 빠져 있어요. ({path})")),
        Rule::UnitValue => Fail::bad_request(format!(
            "옵션값은 단위로 끝나야 해요. ({})",
            sibling("valueName").trim_matches('"')
        )),
        Rule::NoticeCode => {
            Fail::bad_request("카테고리에서 사용할 수 없는 상품정보제공고시입니다.")
        }
        Rule::NoticeItems => Fail::bad_request("상품정보제공고시 항목이 모두 입력되지 않았어요."),
        Rule::UnknownField
        | Rule::GifThumbnail
        | Rule::KeywordCount
        | Rule::BrandBannedWord
        | Rule::PreparationDays
        | Rule::MinimumPurchasePrice
        | Rule::NewItemIds
        | Rule::RulesCategory
        | Rule::UnknownNoticeItem
        | Rule::DuplicateNoticeItem => return None,
    })
}

/// A sale price may not exceed the list price (there is no separate discount field).
pub(crate) fn check_prices(sale_price: i64, origin_price: i64) -> Result<(), Fail> {
    if sale_price > origin_price {
        return Err(Fail::bad_request(sale_above_list(
            &sale_price.to_string(),
            &origin_price.to_string(),
        )));
    }
    Ok(())
}

fn sale_above_list(sale_price: &str, origin_price: &str) -> String {
    format!("판매가({sale_price}원)는 정상가({origin_price}원)보다 클 수 없어요.")
}
