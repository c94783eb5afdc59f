//! The product rules the spec's schema cannot say: one main price, sane prices, the image
//! rules, notice content, and the rules of a replacement. Each rule's severity comes from
//! the evidence for it (see [`Rule::severity`] and `docs/products.md`).
//!
//! The rules read the body as JSON, leniently: a field that is missing or of the wrong type
//! is the schema's finding, and a rule simply finds nothing there. So a body with a bad name
//! and two main prices gets both findings at once.

use serde_json::Value;

use super::BodyKind;
use super::finding::{Rule, Validation, join};

/// The words a brand name may not contain (the docs, as one integrator quotes them).
const BANNED_BRAND_WORDS: [&str; 5] = ["없음", "중국", "기타", "OEM", "협력사"];
/// The keyword count one integrator caps at; the vendor documents no maximum.
const KEYWORD_CAP: usize = 10;
/// The prefix the live templates give one-of (택1) option groups (`(택1) 색상`).
pub(crate) const ONE_OF_PREFIX: &str = "(택1)";

/// Checks every rule of this module on `body`, a product body of `kind`.
pub(crate) fn check(body: &Value, kind: BodyKind, one_of_by_prefix: bool, out: &mut Validation) {
    let stocks = list(body, "stocks");
    main_price(stocks, out);
    for (index, stock) in stocks.iter().enumerate() {
        let at = join("stocks", &format!("[{index}]"));
        prices(stock, &at, out);
        if one_of_by_prefix {
            one_of_prefix(stock, &at, out);
        }
        if kind == BodyKind::Replacement {
            kept_ids(stock, &at, out);
        }
    }
    images(list(body, "images"), out);
    exposure(body.get("exposure"), kind, out);
    brand(body, out);
    notice_content(body, out);
    delivery(body.get("deliveryPolicy"), out);
}

/// The list at `key` of `value`; empty when missing or not a list.
pub(crate) fn list<'a>(value: &'a Value, key: &str) -> &'a [Value] {
    value
        .get(key)
        .and_then(Value::as_array)
        .map_or(&[], Vec::as_slice)
}

/// The text at `key` of `value`, if it is text.
pub(crate) fn text<'a>(value: &'a Value, key: &str) -> Option<&'a str> {
    value.get(key).and_then(Value::as_str)
}

/// Exactly one stock is the main price.
fn main_price(stocks: &[Value], out: &mut Validation) {
    let mains: Vec<String> = stocks
        .iter()
        .enumerate()
        .filter(|(_, stock)| stock.get("isMainPrice").and_then(Value::as_bool) == Some(true))
        .map(|(index, _)| format!("stocks[{index}]"))
        .collect();
    if stocks.is_empty() || mains.len() == 1 {
        return;
    }
    let message = if mains.is_empty() {
        "no stock has isMainPrice: true; exactly one must".to_string()
    } else {
        format!(
            "exactly one stock may have isMainPrice: true, not {} ({})",
            mains.len(),
            mains.join(", ")
        )
    };
    out.add(Rule::OneMainPrice, "stocks", message);
}

/// Prices of at least 1 won, and a sale price no higher than the list price.
fn prices(stock: &Value, at: &str, out: &mut Validation) {
    let price = |key: &str| stock.get(key).and_then(Value::as_i64);
    let (origin, sale) = (price("originPrice"), price("salePrice"));
    for (key, value) in [("originPrice", origin), ("salePrice", sale)] {
        if let Some(value) = value.filter(|value| *value < 1) {
            let message = format!("is {value}; prices are at least 1 won");
            out.add(Rule::PriceAtLeastOne, join(at, key), message);
        }
    }
    if let (Some(origin), Some(sale)) = (origin, sale)
        && sale > origin
    {
        let message = format!(
            "{sale} is above the list price originPrice {origin}; there is no separate discount field"
        );
        out.add(Rule::SalePriceAboveList, join(at, "salePrice"), message);
    }
}

/// Without category rules, a group named `(택1) …` is taken to be a one-of group.
fn one_of_prefix(stock: &Value, at: &str, out: &mut Validation) {
    let one_of = list(stock, "options")
        .iter()
        .filter_map(|option| text(option, "groupName"))
        .filter(|group| group.trim_start().starts_with(ONE_OF_PREFIX))
        .count();
    if one_of > 1 {
        let message = format!(
            "uses {one_of} one-of ({ONE_OF_PREFIX}) option groups; a stock may use only one"
        );
        out.add(Rule::OneOfPrefix, join(at, "options"), message);
    }
}

/// A replacement's stock without its ids becomes a new item.
fn kept_ids(stock: &Value, at: &str, out: &mut Validation) {
    let has = |key: &str| stock.get(key).is_some_and(Value::is_i64);
    if !has("id") && !has("itemId") {
        let message = "has no id or itemId, so it becomes a new item with new ids; send both \
                       to keep an existing item (stock sync keyed by itemId breaks otherwise)";
        out.add(Rule::NewItemIds, at, message);
    }
}

/// The image rules: a thumbnail, a description (images or HTML, not both), HTML in `html`,
/// a `url` on every other image.
fn images(images: &[Value], out: &mut Validation) {
    let kinds: Vec<&str> = images
        .iter()
        .enumerate()
        .map(|(index, image)| image_fields(index, image, out))
        .collect();
    let has = |kind: &str| kinds.contains(&kind);
    if !has("THUMBNAIL") {
        out.add(Rule::Thumbnail, "images", "needs at least one THUMBNAIL");
    }
    match (has("DESCRIPTION"), has("DESCRIPTION_HTML")) {
        (false, false) => out.add(
            Rule::Description,
            "images",
            "needs at least one DESCRIPTION image or a DESCRIPTION_HTML",
        ),
        (true, true) => out.add(
            Rule::DescriptionImageOrHtml,
            "images",
            "has both DESCRIPTION images and a DESCRIPTION_HTML; send one or the other",
        ),
        _ => {}
    }
}

/// One image's own fields: markup where it belongs, a `url`, no GIF thumbnail. Gives the
/// image's type.
fn image_fields<'a>(index: usize, image: &'a Value, out: &mut Validation) -> &'a str {
    let at = join("images", &format!("[{index}]"));
    let kind = text(image, "type").unwrap_or_default();
    let url = text(image, "url");
    if kind == "DESCRIPTION_HTML" {
        if text(image, "html").is_none_or(|html| html.trim().is_empty()) {
            let message = if url.is_some() {
                "DESCRIPTION_HTML carries its markup in `html`, not in `url`"
            } else {
                "DESCRIPTION_HTML needs its markup in `html`"
            };
            out.add(Rule::HtmlInHtml, join(&at, "html"), message);
        }
    } else if url.is_none() && !kind.is_empty() {
        let message = format!("a {kind} image needs a url");
        out.add(Rule::ImageUrl, join(&at, "url"), message);
    }
    if kind == "THUMBNAIL" && url.is_some_and(is_gif) {
        let message = "looks like a GIF; inspection rejects GIF thumbnails (use a square \
                       image of at least 600×600)";
        out.add(Rule::GifThumbnail, join(&at, "url"), message);
    }
    kind
}

/// Whether a URL names a `.gif` file (query and fragment aside).
fn is_gif(url: &str) -> bool {
    let path = url.split(['?', '#']).next().unwrap_or(url);
    path.to_ascii_lowercase().ends_with(".gif")
}

/// The keyword count, and a replacement's description.
fn exposure(exposure: Option<&Value>, kind: BodyKind, out: &mut Validation) {
    let Some(exposure) = exposure.filter(|e| e.is_object()) else {
        return;
    };
    let keywords = list(exposure, "searchKeywords").len();
    if keywords > KEYWORD_CAP {
        let message = format!(
            "has {keywords} keywords; the maximum is not documented and one integrator caps at {KEYWORD_CAP}"
        );
        out.add(Rule::KeywordCount, "exposure.searchKeywords", message);
    }
    if kind == BodyKind::Replacement && exposure.get("description").is_none_or(Value::is_null) {
        out.add(
            Rule::DescriptionOnReplace,
            "exposure.description",
            "is required when replacing a product (one integrator's finding)",
        );
    }
}

/// The brand name's banned words.
fn brand(body: &Value, out: &mut Validation) {
    let Some(brand) = text(body, "brandName") else {
        return;
    };
    let upper = brand.to_uppercase();
    for word in BANNED_BRAND_WORDS {
        if upper.contains(word) {
            let message = format!("contains {word}, a word the docs ban in brand names");
            out.add(Rule::BrandBannedWord, "brandName", message);
        }
    }
}

/// Blank notice content fails the call, header items included.
fn notice_content(body: &Value, out: &mut Validation) {
    let Some(notice) = body.get("notice") else {
        return;
    };
    for (index, item) in list(notice, "items").iter().enumerate() {
        if text(item, "content").is_some_and(|content| content.trim().is_empty()) {
            let id = item.get("id").map_or_else(String::new, Value::to_string);
            let at = format!("notice.items[{index}].content");
            out.add(
                Rule::NoticeContent,
                at,
                format!("notice item {id} has no content"),
            );
        }
    }
}

/// The delivery fields the vendor asks for in some cases only.
fn delivery(policy: Option<&Value>, out: &mut Validation) {
    let Some(policy) = policy.filter(|p| p.is_object()) else {
        return;
    };
    if policy.get("preparationDays").is_none_or(Value::is_null) {
        out.add(
            Rule::PreparationDays,
            "deliveryPolicy.preparationDays",
            "is required since 2026-03-03 unless the product ships the same day (whose fields are not documented)",
        );
    }
    if text(policy, "deliveryFeeType") == Some("CONDITIONALLY_FREE")
        && policy
            .get("minimumPurchasePrice")
            .is_none_or(Value::is_null)
    {
        out.add(
            Rule::MinimumPurchasePrice,
            "deliveryPolicy.minimumPurchasePrice",
            "says from which order amount delivery is free; CONDITIONALLY_FREE needs it",
        );
    }
}
