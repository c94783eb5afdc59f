//! Purchase-quantity limits (구매 개수 제한, PLM-01..03): at most one per product, on the
//! seller's existing products only. The vendor documents neither bodies nor answers; the
//! shape served here is the recorded answer of `getPurchaseLimit`:
//! `{productId, maxPurchaseQuantityPerOrder, maxPurchaseQuantityPerPerson}`.

use std::collections::BTreeMap;

use serde_json::{Map, Value};

use super::Shop;
use crate::local::{Call, Fail};

/// The body and answer field naming the product.
const PRODUCT_ID: &str = "productId";
/// The most units one order may hold.
const PER_ORDER: &str = "maxPurchaseQuantityPerOrder";
/// The most units one buyer may buy in all.
const PER_PERSON: &str = "maxPurchaseQuantityPerPerson";

/// One product's limit; `None` means no limit of that kind.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Limit {
    /// `maxPurchaseQuantityPerOrder`.
    pub(crate) per_order: Option<i64>,
    /// `maxPurchaseQuantityPerPerson`.
    pub(crate) per_person: Option<i64>,
}

/// The seller's purchase limits, by product id.
#[derive(Debug, Default)]
pub(crate) struct PurchaseLimits {
    /// The limit of each limited product.
    limits: BTreeMap<i64, Limit>,
}

impl PurchaseLimits {
    /// The limit of a product, if it has one (orders can check quantities against it).
    pub(crate) fn limit_for(&self, product_id: i64) -> Option<Limit> {
        self.limits.get(&product_id).copied()
    }

    /// Drops the limit of a product that was removed.
    pub(crate) fn forget(&mut self, product_id: i64) {
        self.limits.remove(&product_id);
    }
}

impl crate::api::serve::PurchaseLimits for Shop {
    /// PLM-01: sets a limit on a product that has none yet.
    fn create_purchase_limit(
        &mut self,
        _call: &Call,
        body: Map<String, Value>,
    ) -> Result<Map<String, Value>, Fail> {
        let product_id = self.limited_product(&body)?;
        let limit = read_limit(&body)?;
        if self.purchase_limits.limits.contains_key(&product_id) {
            return Err(Fail::bad_request(format!(
                "이미 구매 개수 제한이 설정된 상품입니다. ({product_id})"
            )));
        }
        self.purchase_limits.limits.insert(product_id, limit);
        Ok(Map::new())
    }

    /// PLM-03: removes a product's limit; a product without one is left as it is.
    fn delete_purchase_limit(
        &mut self,
        _call: &Call,
        body: Map<String, Value>,
    ) -> Result<Map<String, Value>, Fail> {
        let product_id = self.limited_product(&body)?;
        self.purchase_limits.forget(product_id);
        Ok(Map::new())
    }

    /// PLM-02: the product's limit, with nulls where it has none.
    fn get_purchase_limit(
        &mut self,
        _call: &Call,
        product_id: i64,
    ) -> Result<Map<String, Value>, Fail> {
        self.products.get(product_id)?;
        let limit = self.purchase_limits.limit_for(product_id);
        let mut answer = Map::new();
        answer.insert(PRODUCT_ID.into(), product_id.into());
        answer.insert(PER_ORDER.into(), limit.and_then(|l| l.per_order).into());
        answer.insert(PER_PERSON.into(), limit.and_then(|l| l.per_person).into());
        Ok(answer)
    }
}

impl Shop {
    /// The body's `productId`, which must name one of the seller's products.
    fn limited_product(&self, body: &Map<String, Value>) -> Result<i64, Fail> {
        let product_id = match body.get(PRODUCT_ID) {
            None | Some(Value::Null) => {
                return Err(Fail::invalid_field(PRODUCT_ID, "필수 값이 누락되었습니다."));
            }
            Some(value) => value
                .as_i64()
                .ok_or_else(|| Fail::invalid_field(PRODUCT_ID, "올바르지 않은 값입니다."))?,
        };
        self.products.get(product_id)?;
        Ok(product_id)
    }
}

/// The two maxima of a create body: each absent or a whole number of at least 1, and at
/// least one of them present.
fn read_limit(body: &Map<String, Value>) -> Result<Limit, Fail> {
    let limit = Limit {
        per_order: quantity(body, PER_ORDER)?,
        per_person: quantity(body, PER_PERSON)?,
    };
    if limit.per_order.is_none() && limit.per_person.is_none() {
        return Err(Fail::invalid_field(PER_ORDER, "필수 값이 누락되었습니다."));
    }
    if let (Some(order), Some(person)) = (limit.per_order, limit.per_person)
        && order > person
    {
        return Err(Fail::bad_request(
            "1회 최대 구매 수량은 1인 최대 구매 수량보다 클 수 없어요.",
        ));
    }
    Ok(limit)
}

/// One maximum of a create body.
fn quantity(body: &Map<String, Value>, field: &str) -> Result<Option<i64>, Fail> {
    match body.get(field) {
        None | Some(Value::Null) => Ok(None),
        Some(value) => value
            .as_i64()
            .filter(|quantity| *quantity >= 1)
            .map(Some)
            .ok_or_else(|| Fail::invalid_field(field, "1 이상의 정수여야 합니다.")),
    }
}
