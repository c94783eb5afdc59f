//! The business rules a product body must meet on registration and on replacement, beyond
//! the spec's schema (which the wire layer has already checked): the references it names
//! exist, exactly one main-price option, sane prices, at most one one-of (택1) option per
//! stock, and the image rules.

use crate::api::types::{ProductImage, ProductImageTypeKnown, ProductRegistration, ProductStock};
use crate::local::Fail;
use crate::local::shop::Shop;

/// The vendor's reason when two one-of (택1) option groups are sent together.
pub(crate) const ONE_OF_TWICE: &str = "택1 옵션은 한 가지만 쓸 수 있어요.";
/// The vendor's reason when a product has no description image or HTML.
pub(crate) const NO_DESCRIPTION: &str = "상세 이미지 또는 html을 찾을 수 없음";
/// The prefix the category templates give one-of (택1) option groups (`(택1) 색상`).
const ONE_OF_PREFIX: &str = "(택1)";

impl Shop {
    /// Checks everything a registration or replacement body must meet; the first broken
    /// rule is the failure, as the vendor reports one problem at a time.
    pub(crate) fn check_product_body(&self, body: &ProductRegistration) -> Result<(), Fail> {
        self.check_references(body)?;
        check_stocks(&body.stocks)?;
        check_images(&body.images)?;
        check_notice(body)
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

/// Exactly one main-price stock; each stock with valid prices and at most one one-of group.
fn check_stocks(stocks: &[ProductStock]) -> Result<(), Fail> {
    let mains = stocks.iter().filter(|stock| stock.is_main_price).count();
    if mains != 1 {
        return Err(Fail::bad_request(
            "대표 가격 옵션(isMainPrice)은 정확히 하나여야 해요.",
        ));
    }
    stocks
        .iter()
        .enumerate()
        .try_for_each(|(index, stock)| check_stock(index, stock))
}

/// One stock: prices of at least 1 won, a sale price not above the list price, at most one
/// one-of option group.
fn check_stock(index: usize, stock: &ProductStock) -> Result<(), Fail> {
    for (field, price) in [
        ("originPrice", stock.origin_price),
        ("salePrice", stock.sale_price),
    ] {
        if price < 1 {
            let field = format!("stocks[{index}].{field}");
            return Err(Fail::invalid_field(&field, "1 이상이어야 합니다."));
        }
    }
    check_prices(stock.sale_price, stock.origin_price)?;
    let one_of = stock
        .options
        .iter()
        .filter(|option| option.group_name.trim_start().starts_with(ONE_OF_PREFIX))
        .count();
    if one_of > 1 {
        return Err(Fail::bad_request(ONE_OF_TWICE));
    }
    Ok(())
}

/// A sale price may not exceed the list price (there is no separate discount field).
pub(crate) fn check_prices(sale_price: i64, origin_price: i64) -> Result<(), Fail> {
    if sale_price > origin_price {
        return Err(Fail::bad_request(format!(
            "판매가({sale_price}원)는 정상가({origin_price}원)보다 클 수 없어요."
        )));
    }
    Ok(())
}

/// At least one thumbnail; description images or description HTML, not both; HTML in
/// `html` and every other image with a `url`.
fn check_images(images: &[ProductImage]) -> Result<(), Fail> {
    for (index, image) in images.iter().enumerate() {
        check_image(index, image)?;
    }
    let has = |kind: ProductImageTypeKnown| images.iter().any(|image| image.type_ == kind);
    if !has(ProductImageTypeKnown::Thumbnail) {
        return Err(Fail::bad_request("대표 이미지(THUMBNAIL)를 찾을 수 없음"));
    }
    match (
        has(ProductImageTypeKnown::Description),
        has(ProductImageTypeKnown::DescriptionHtml),
    ) {
        (false, false) => Err(Fail::bad_request(NO_DESCRIPTION)),
        (true, true) => Err(Fail::bad_request(
            "상세 이미지와 상세 html은 함께 등록할 수 없어요.",
        )),
        _ => Ok(()),
    }
}

/// Description HTML carries its markup in `html`; every other image needs its `url`.
fn check_image(index: usize, image: &ProductImage) -> Result<(), Fail> {
    if image.type_ == ProductImageTypeKnown::DescriptionHtml {
        let html = image.html.as_deref().unwrap_or_default();
        if html.trim().is_empty() {
            return Err(Fail::bad_request(NO_DESCRIPTION));
        }
    } else if image.url.is_none() {
        let field = format!("images[{index}].url");
        return Err(Fail::invalid_field(&field, "필수 값이 누락되었습니다."));
    }
    Ok(())
}

/// Every notice item needs content, header items included (the vendor answers
/// `BAD_REQUEST` for an empty one).
fn check_notice(body: &ProductRegistration) -> Result<(), Fail> {
    match body
        .notice
        .items
        .iter()
        .find(|item| item.content.trim().is_empty())
    {
        Some(item) => Err(Fail::bad_request(format!(
            "상품정보제공고시 항목의 내용을 입력해 주세요. ({})",
            item.id
        ))),
        None => Ok(()),
    }
}
