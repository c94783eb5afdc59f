//! PRD-02: replacing a product with a whole new body. Stocks sent with their ids keep their
//! items; stocks without get new ids, and items left out vanish. What may change depends on
//! the inspection stage, and some changes send the product back to inspection.

use std::collections::BTreeSet;

use chrono::NaiveDateTime;

use super::record::{Stage, StoredItem, StoredProduct};
use super::{inspection, item_from_stock, no_such_item};
use crate::api::types::{ProductRegistration, ProductStock};
use crate::local::Fail;
use crate::local::shop::Shop;
use crate::products::BodyKind;

/// The ids (`id`, `itemId`) of the existing item a replacement stock keeps, if any.
type Kept = Option<(i64, i64)>;

impl Shop {
    /// Replaces product `product_id` with `body` at `now`. Prices and stock apply at once;
    /// an image change, or any change to a rejected product, restarts inspection.
    pub(crate) fn replace_product(
        &mut self,
        product_id: i64,
        mut body: ProductRegistration,
        now: NaiveDateTime,
    ) -> Result<(), Fail> {
        self.check_product_body(&body, BodyKind::Replacement)?;
        let stocks = std::mem::take(&mut body.stocks);
        let current = self.products.get(product_id)?;
        check_frozen(current, &body)?;
        let kept = keep_items(current, &stocks)?;
        let restart =
            matches!(current.stage, Stage::Rejected { .. }) || current.body.images != body.images;
        let items = stocks
            .into_iter()
            .zip(kept)
            .map(|(stock, kept)| match kept {
                Some((stock_id, item_id)) => item_from_stock(stock_id, item_id, stock),
                None => self.new_item(stock),
            })
            .collect();
        let product = self.products.get_mut(product_id)?;
        product.body = body;
        product.items = items;
        if restart {
            inspection::restart(product, now);
        }
        Ok(())
    }
}

/// The name changes only while the product is rejected; the category no longer changes
/// once the product passed inspection.
fn check_frozen(current: &StoredProduct, body: &ProductRegistration) -> Result<(), Fail> {
    let rejected = matches!(current.stage, Stage::Rejected { .. });
    if current.name() != body.name.as_str() && !rejected {
        return Err(Fail::bad_request(
            "상품명은 검수 반려 상태에서만 변경할 수 있어요.",
        ));
    }
    if current.body.category_id != body.category_id && current.stage == Stage::Complete {
        return Err(Fail::bad_request(
            "검수 완료된 상품의 카테고리는 변경할 수 없어요. 삭제 후 다시 등록해 주세요.",
        ));
    }
    Ok(())
}

/// For each stock, the existing item it keeps (by its `id` and/or `itemId`) or none. An id
/// that names no item of this product, or one item kept twice, fails.
fn keep_items(current: &StoredProduct, stocks: &[ProductStock]) -> Result<Vec<Kept>, Fail> {
    let mut seen = BTreeSet::new();
    stocks
        .iter()
        .map(|stock| {
            let kept = kept_item(current, stock)?;
            if let Some((_, item_id)) = kept
                && !seen.insert(item_id)
            {
                return Err(Fail::bad_request(format!(
                    "같은 옵션이 두 번 들어 있어요. ({item_id})"
                )));
            }
            Ok(kept)
        })
        .collect()
}

/// The existing item one stock names. After inspection passed, a kept item's option names
/// and values cannot change (delete and register again instead).
fn kept_item(current: &StoredProduct, stock: &ProductStock) -> Result<Kept, Fail> {
    if stock.id.is_none() && stock.item_id.is_none() {
        return Ok(None);
    }
    let item = current
        .items
        .iter()
        .find(|item| names(item, stock))
        .ok_or_else(no_such_item)?;
    if current.stage == Stage::Complete && item.options != stock.options {
        return Err(Fail::bad_request(format!(
            "검수 완료된 상품의 옵션은 변경할 수 없어요. ({})",
            item.item_id
        )));
    }
    Ok(Some((item.stock_id, item.item_id)))
}

/// Whether the stock's ids (each one that was sent) are this item's.
fn names(item: &StoredItem, stock: &ProductStock) -> bool {
    stock.id.is_none_or(|id| id == item.stock_id)
        && stock.item_id.is_none_or(|id| id == item.item_id)
}
