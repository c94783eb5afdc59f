//! A product as read (PRD-03) turned into the body that replaces it (PRD-02), keeping every
//! item's `id` and `itemId`.
//!
//! The read shape lacks fields the write shape requires: the vendor's answer, as recorded,
//! has no `categoryId`, `isTaxFree`, delivery or return policy, notice, per-stock
//! `isMainPrice`, per-stock images, or the markup of a `DESCRIPTION_HTML`. Those come from a
//! *base*: the body the caller last sent for the product. The rule is simple: what the read
//! carries comes from the read (it is the current state), the rest from the base; a required
//! field neither gives is reported, never invented.

use serde_json::{Map, Value, json};

use super::edit::EditError;
use crate::api::types::{InspectionStatus, Product, ProductRegistration, ProductStock};

/// The write-shape fields a read does not carry and that must come from the base.
const FROM_BASE_ONLY: [&str; 7] = [
    "categoryId",
    "isTaxFree",
    "isCultureDeduction",
    "managementCode",
    "deliveryPolicy",
    "exchangeReturnPolicy",
    "notice",
];
/// Of those, the ones a body cannot do without.
const REQUIRED_FROM_BASE: [&str; 5] = [
    "categoryId",
    "isTaxFree",
    "deliveryPolicy",
    "exchangeReturnPolicy",
    "notice",
];

/// A product read for editing: the whole replacement body, ready to change, with what it
/// was read from.
///
/// Change [`body`](Self::body), then save it with
/// [`ProductEditExt::save_product_draft`](super::ProductEditExt::save_product_draft); or let
/// [`ProductEditExt::edit_product`](super::ProductEditExt::edit_product) do both around a
/// closure.
#[derive(Debug, Clone, PartialEq)]
pub struct ProductDraft {
    product_id: i64,
    /// The body that will replace the product. Its stocks carry their `id` and `itemId`;
    /// a stock added without them becomes a new item.
    pub body: ProductRegistration,
    original: ProductRegistration,
    status: Option<InspectionStatus>,
    base: Option<ProductRegistration>,
}

impl ProductDraft {
    /// A draft of product `product_id` from its read `product` and the caller's `base`.
    pub(crate) fn new(
        product_id: i64,
        product: &Product,
        base: Option<ProductRegistration>,
    ) -> Result<Self, EditError> {
        let body = write_shape(product_id, product, base.as_ref())?;
        Ok(Self {
            product_id,
            original: body.clone(),
            body,
            status: product.inspection_status.clone(),
            base,
        })
    }

    /// The product's id.
    pub fn product_id(&self) -> i64 {
        self.product_id
    }

    /// The inspection status when the product was read (`None` when the answer had none).
    pub fn inspection_status(&self) -> Option<&InspectionStatus> {
        self.status.as_ref()
    }

    /// The body as read, before any change.
    pub fn original(&self) -> &ProductRegistration {
        &self.original
    }

    /// The stock of item `item_id` (`stocks[].itemId`, the id the `product-items` operations
    /// take), to change it.
    pub fn stock_mut(&mut self, item_id: i64) -> Option<&mut ProductStock> {
        self.body
            .stocks
            .iter_mut()
            .find(|stock| stock.item_id == Some(item_id))
    }

    /// The base the draft was completed from.
    pub(crate) fn base(&self) -> Option<&ProductRegistration> {
        self.base.as_ref()
    }
}

/// The replacement body of product `product_id` from its read shape and the base.
pub(crate) fn write_shape(
    product_id: i64,
    product: &Product,
    base: Option<&ProductRegistration>,
) -> Result<ProductRegistration, EditError> {
    let base = base.map(serde_json::to_value).transpose().ok().flatten();
    let base = base.as_ref().and_then(Value::as_object);
    let mut missing = Vec::new();
    let mut body = Map::new();
    for key in FROM_BASE_ONLY {
        match base.and_then(|base| base.get(key)) {
            Some(value) => {
                body.insert(key.to_string(), value.clone());
            }
            None if REQUIRED_FROM_BASE.contains(&key) => missing.push(key.to_string()),
            None => {}
        }
    }
    let read = |value: Option<Value>, key: &str| value.or_else(|| base?.get(key).cloned());
    match read(product.name.clone().map(Value::from), "name") {
        Some(name) => {
            body.insert("name".into(), name);
        }
        None => missing.push("name".into()),
    }
    if let Some(brand) = read(product.brand_name.clone().map(Value::from), "brandName") {
        body.insert("brandName".into(), brand);
    }
    body.insert("exposure".into(), exposure(product, base, &mut missing));
    body.insert("stocks".into(), stocks(product, base, &mut missing));
    body.insert("images".into(), images(product, base, &mut missing));
    if !missing.is_empty() {
        return Err(EditError::Unrecoverable {
            product_id,
            fields: missing,
        });
    }
    // As text, so that a refusal's path comes from its position (`json_path`) and the
    // body's decoding is the one answers and checks already compile.
    let text = serde_json::to_vec(&body).unwrap_or_default();
    serde_json::from_slice(&text).map_err(|error| {
        let path = crate::json_path::at_error(&text, &error);
        let why = crate::redact::mask_quoted(&crate::envelope::without_position(&error));
        EditError::Unrecoverable {
            product_id,
            fields: vec![format!("{path} ({why})")],
        }
    })
}

/// Keywords and description: the read's, else the base's.
fn exposure(
    product: &Product,
    base: Option<&Map<String, Value>>,
    missing: &mut Vec<String>,
) -> Value {
    let read = product.exposure.as_ref();
    let base = base.and_then(|base| base.get("exposure"));
    let keywords = read
        .and_then(|e| e.search_keywords.clone())
        .map(Value::from)
        .or_else(|| base?.get("searchKeywords").cloned());
    let description = read
        .and_then(|e| e.description.clone())
        .map(Value::from)
        .or_else(|| base?.get("description").cloned());
    let mut exposure = Map::new();
    match keywords {
        Some(keywords) => {
            exposure.insert("searchKeywords".into(), keywords);
        }
        None => missing.push("exposure.searchKeywords".into()),
    }
    if let Some(description) = description {
        exposure.insert("description".into(), description);
    }
    Value::Object(exposure)
}

/// The read's stocks with their ids; what the read lacks (`isMainPrice`, images, flags)
/// from the base stock that is the same item.
fn stocks(
    product: &Product,
    base: Option<&Map<String, Value>>,
    missing: &mut Vec<String>,
) -> Value {
    let base_stocks: &[Value] = base
        .and_then(|base| base.get("stocks"))
        .and_then(Value::as_array)
        .map_or(&[], Vec::as_slice);
    if product.stocks.is_empty() {
        missing.push("stocks".into());
    }
    let stocks = product.stocks.iter().enumerate().map(|(index, stock)| {
        let options: Vec<Value> = stock
            .options
            .iter()
            .map(|o| json!({"groupName": o.group_name, "valueName": o.value_name}))
            .collect();
        let same = base_stocks
            .iter()
            .find(|b| same_item(b, stock.id, stock.item_id, &options));
        let at = format!("stocks[{index}]");
        let mut out = Map::new();
        for (key, value) in [("id", stock.id), ("itemId", stock.item_id)] {
            if let Some(value) = value {
                out.insert(key.into(), value.into());
            }
        }
        out.insert("options".into(), options.into());
        let numbers = [
            ("remainingCount", stock.remaining_count),
            ("originPrice", stock.origin_price),
            ("salePrice", stock.sale_price),
        ];
        for (key, value) in numbers {
            match value.map(Value::from).or_else(|| same?.get(key).cloned()) {
                Some(value) => {
                    out.insert(key.into(), value);
                }
                None => missing.push(format!("{at}.{key}")),
            }
        }
        match same.and_then(|s| s.get("isMainPrice")) {
            Some(main) => {
                out.insert("isMainPrice".into(), main.clone());
            }
            None => missing.push(format!("{at}.isMainPrice")),
        }
        let code = stock.management_code.clone().map(Value::from);
        if let Some(code) = code.or_else(|| same?.get("managementCode").cloned()) {
            out.insert("managementCode".into(), code);
        }
        for key in ["images", "isHide", "isPurchasableAlone"] {
            if let Some(value) = same.and_then(|s| s.get(key)) {
                out.insert(key.into(), value.clone());
            }
        }
        Value::Object(out)
    });
    Value::Array(stocks.collect())
}

/// Whether the base stock `base` is the same item: the same `itemId`, else the same `id`,
/// else (a base from a registration has no ids) the same options.
fn same_item(base: &Value, id: Option<i64>, item_id: Option<i64>, options: &[Value]) -> bool {
    let base_id = |key: &str| base.get(key).and_then(Value::as_i64);
    match (base_id("itemId"), item_id, base_id("id"), id) {
        (Some(a), Some(b), _, _) => a == b,
        (_, _, Some(a), Some(b)) => a == b,
        _ => base
            .get("options")
            .and_then(Value::as_array)
            .is_some_and(|o| o == options),
    }
}

/// The read's images; the markup of a `DESCRIPTION_HTML` (which reads carry no trace of)
/// from the base's image of the same position, or its only one.
fn images(
    product: &Product,
    base: Option<&Map<String, Value>>,
    missing: &mut Vec<String>,
) -> Value {
    let base_images: &[Value] = base
        .and_then(|base| base.get("images"))
        .and_then(Value::as_array)
        .map_or(&[], Vec::as_slice);
    if product.images.is_empty() {
        missing.push("images".into());
    }
    let images = product.images.iter().enumerate().map(|(index, image)| {
        let at = format!("images[{index}]");
        let mut out = Map::new();
        let kind = image.type_.as_ref().map(|kind| kind.to_string());
        match &kind {
            Some(kind) => {
                out.insert("type".into(), kind.clone().into());
            }
            None => missing.push(format!("{at}.type")),
        }
        match image.order.or(image.index_order) {
            Some(order) => {
                out.insert("order".into(), order.into());
            }
            None => missing.push(format!("{at}.order")),
        }
        if let Some(url) = &image.url {
            out.insert("url".into(), url.clone().into());
        }
        if kind.as_deref() == Some("DESCRIPTION_HTML") {
            match html(base_images, image.order.or(image.index_order)) {
                Some(html) => {
                    out.insert("html".into(), html);
                }
                None => missing.push(format!("{at}.html")),
            }
        }
        Value::Object(out)
    });
    Value::Array(images.collect())
}

/// The base's description markup: of the `DESCRIPTION_HTML` at `order`, or of the only one.
fn html(base_images: &[Value], order: Option<i64>) -> Option<Value> {
    let htmls: Vec<&Value> = base_images
        .iter()
        .filter(|image| image.get("type").and_then(Value::as_str) == Some("DESCRIPTION_HTML"))
        .collect();
    let at_order = htmls
        .iter()
        .find(|image| image.get("order").and_then(Value::as_i64) == order);
    let chosen = match (at_order, htmls.as_slice()) {
        (Some(image), _) => image,
        (None, [only]) => only,
        _ => return None,
    };
    chosen.get("html").cloned()
}
