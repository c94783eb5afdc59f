//! The `ProductItems` operations (ITM-01..05): an item's prices and stock, which apply at
//! once, and the two item listings. Items are named by `stocks[].itemId`; a `stocks[].id`
//! or an item of another product is `NOT_FOUND` `존재하지 않는 옵션입니다`.

use serde_json::{Map, Value};

use super::Shop;
use super::products::{ProductBook, Stage, StoredItem, StoredProduct, check_prices};
use crate::api::types::{
    GroupedProductItem, InspectionRejectReason, ItemNormalStockChangeRequest,
    ItemOriginPriceChangeRequest, ItemSalePriceChangeRequest, ProductItem, ProductItemGroup,
    ProductItemGroupPage, ProductItemPage, ProductItemStatus, ProductSummaryStatus,
};
use crate::local::{Call, Fail};

/// Items or products per page when the caller does not say.
const DEFAULT_PAGE: usize = 20;
/// The largest page served.
const MAX_PAGE: usize = 100;
/// The title of an inspection rejection in `rejectReasons`.
const REJECT_TITLE: &str = "검수 반려";

/// An item's status code in the listings (`status.code`, `itemStatuses`). `ON_SALE`,
/// `SOLD_OUT` and `REJECTED` were seen live; `INSPECTING` (waiting for inspection) is this
/// server's name for a state whose vendor code was never recorded.
fn item_status(product: &StoredProduct, item: &StoredItem) -> &'static str {
    match product.stage {
        Stage::Rejected { .. } => "REJECTED",
        Stage::Waiting { .. } => "INSPECTING",
        Stage::Complete if item.is_sold_out() => "SOLD_OUT",
        Stage::Complete => "ON_SALE",
    }
}

/// A product's overall status and its label, as `summaryStatus` shows it.
fn summary_status(product: &StoredProduct) -> ProductSummaryStatus {
    let all_sold_out = product.items.iter().all(StoredItem::is_sold_out);
    let (status, label) = match product.stage {
        Stage::Rejected { .. } => ("REJECTED", "검수 반려"),
        Stage::Waiting { .. } => ("INSPECTING", "검수중"),
        Stage::Complete if all_sold_out => ("SOLD_OUT", "품절"),
        Stage::Complete => ("ON_SALE", "판매중"),
    };
    ProductSummaryStatus {
        status: Some(status.into()),
        label: Some(label.into()),
    }
}

/// A page size parameter: absent means the default, at least 1, at most the largest page.
fn page_size(call: &Call, name: &str) -> Result<usize, Fail> {
    match call.query::<i64>(name)? {
        None => Ok(DEFAULT_PAGE),
        Some(size) if size < 1 => Err(Fail::invalid_field(name, "1 이상이어야 합니다.")),
        Some(size) => Ok(usize::try_from(size).map_or(MAX_PAGE, |size| size.min(MAX_PAGE))),
    }
}

/// The item filters both listings take: `itemIds` and `itemStatuses`.
struct ItemFilter {
    /// Only these items (`itemIds`).
    ids: Option<Vec<i64>>,
    /// Only items with these status codes (`itemStatuses`).
    statuses: Option<Vec<String>>,
}

impl ItemFilter {
    /// Reads the filters of a call.
    fn read(call: &Call) -> Result<Self, Fail> {
        Ok(Self {
            ids: call.query_ids("itemIds")?,
            statuses: call.query_text("itemStatuses").map(|text| {
                text.split(',')
                    .map(|code| code.trim().to_string())
                    .collect()
            }),
        })
    }

    /// Whether any item filter was sent.
    fn is_set(&self) -> bool {
        self.ids.is_some() || self.statuses.is_some()
    }

    /// Whether an item passes the filters.
    fn admits(&self, product: &StoredProduct, item: &StoredItem) -> bool {
        let status = item_status(product, item);
        self.ids
            .as_ref()
            .is_none_or(|ids| ids.contains(&item.item_id))
            && self
                .statuses
                .as_ref()
                .is_none_or(|codes| codes.iter().any(|code| code == status))
    }
}

/// An item as a row of `listProductItems`.
fn item_row(item: &StoredItem) -> ProductItem {
    ProductItem {
        item_id: Some(item.item_id),
        item_name: Some(item.name()),
        quantity: Some(item.remaining),
        sale_price: Some(item.sale_price),
        origin_price: Some(item.origin_price),
        is_main_option: Some(item.is_main_price),
        remaining_count: None,
    }
}

/// A product with the given items as an entry of `listItemsGroupedByProducts`.
fn group(product: &StoredProduct, items: &[&StoredItem]) -> ProductItemGroup {
    let reasons: Vec<InspectionRejectReason> = product
        .stage
        .reasons()
        .iter()
        .map(|reason| InspectionRejectReason {
            title: Some(REJECT_TITLE.into()),
            message: Some(reason.clone()),
        })
        .collect();
    ProductItemGroup {
        product_items: items
            .iter()
            .map(|item| GroupedProductItem {
                item_id: Some(item.item_id),
                status: Some(ProductItemStatus {
                    code: Some(item_status(product, item).into()),
                }),
                reject_reasons: Some(reasons.clone()),
            })
            .collect(),
        summary_status: Some(summary_status(product)),
        product_inspection_status: Some(product.stage.status()),
        product_is_hide: Some(product.is_hide),
    }
}

/// Where a `listItemsGroupedByProducts` page starts: after a product id (`nextCursor`) or
/// before one (`prevCursor`). The vendor's cursor format is not documented; here both are
/// product ids.
enum GroupCursor {
    /// The first page.
    First,
    /// The page after this product id.
    After(i64),
    /// The page before this product id.
    Before(i64),
}

impl GroupCursor {
    /// Reads the cursors of a call; only one direction at a time.
    fn read(call: &Call) -> Result<Self, Fail> {
        let next = call.query::<i64>("nextCursor")?;
        let prev = call.query::<i64>("prevCursor")?;
        match (next, prev) {
            (Some(_), Some(_)) => Err(Fail::invalid_field(
                "prevCursor",
                "nextCursor와 함께 보낼 수 없습니다.",
            )),
            (Some(after), None) => Ok(Self::After(after)),
            (None, Some(before)) => Ok(Self::Before(before)),
            (None, None) => Ok(Self::First),
        }
    }

    /// The page of `size` entries this cursor selects from entries in product id order.
    fn page<T>(&self, entries: Vec<(i64, T)>, size: usize) -> Vec<T> {
        let selected: Vec<(i64, T)> = match self {
            Self::First => entries.into_iter().take(size).collect(),
            Self::After(after) => entries
                .into_iter()
                .filter(|(id, _)| id > after)
                .take(size)
                .collect(),
            Self::Before(before) => {
                let mut earlier: Vec<(i64, T)> =
                    entries.into_iter().filter(|(id, _)| id < before).collect();
                let skip = earlier.len().saturating_sub(size);
                earlier.drain(..skip);
                earlier
            }
        };
        selected.into_iter().map(|(_, entry)| entry).collect()
    }
}

impl ProductBook {
    /// The `listProductItems` page of one product: items in item id order after
    /// `cursorItemId`, with `nextCursor` the last item id when more follow.
    fn item_page(&self, call: &Call, product_id: i64) -> Result<ProductItemPage, Fail> {
        let product = self.get(product_id)?;
        let filter = ItemFilter::read(call)?;
        let after = call.query::<i64>("cursorItemId")?;
        let size = page_size(call, "pageSize")?;
        let mut items: Vec<&StoredItem> = product
            .items
            .iter()
            .filter(|item| filter.admits(product, item))
            .filter(|item| after.is_none_or(|after| item.item_id > after))
            .collect();
        items.sort_by_key(|item| item.item_id);
        let has_next = items.len() > size;
        items.truncate(size);
        Ok(ProductItemPage {
            next_cursor: items.last().filter(|_| has_next).map(|item| item.item_id),
            items: items.into_iter().map(item_row).collect(),
            has_next: Some(has_next),
        })
    }

    /// The `listItemsGroupedByProducts` page: products (by id) narrowed by ids and name,
    /// each with its items that pass the item filters.
    fn grouped_page(&self, call: &Call) -> Result<ProductItemGroupPage, Fail> {
        let product_ids = call.query_ids("productIds")?;
        let name = call.query_text("productName");
        let filter = ItemFilter::read(call)?;
        let cursor = GroupCursor::read(call)?;
        let size = page_size(call, "pageSize")?;
        let entries = self
            .iter()
            .filter(|product| {
                product_ids
                    .as_ref()
                    .is_none_or(|ids| ids.contains(&product.id))
            })
            .filter(|product| name.is_none_or(|name| product.name().contains(name)))
            .filter_map(|product| {
                let items: Vec<&StoredItem> = product
                    .items
                    .iter()
                    .filter(|item| filter.admits(product, item))
                    .collect();
                let empty = items.is_empty() && filter.is_set();
                (!empty).then(|| (product.id, group(product, &items)))
            })
            .collect();
        Ok(ProductItemGroupPage {
            items: cursor.page(entries, size),
        })
    }
}

impl crate::api::serve::ProductItems for Shop {
    /// ITM-05: items across products, one entry per product.
    fn list_items_grouped_by_products(
        &mut self,
        call: &Call,
    ) -> Result<ProductItemGroupPage, Fail> {
        self.products.grouped_page(call)
    }

    /// ITM-04: the items of one product.
    fn list_product_items(
        &mut self,
        call: &Call,
        product_id: i64,
    ) -> Result<ProductItemPage, Fail> {
        self.products.item_page(call, product_id)
    }

    /// ITM-03: sets the item's normal stock; 0 makes it sold out, more puts it back on sale.
    fn update_item_normal_stock(
        &mut self,
        _call: &Call,
        product_item_id: i64,
        body: ItemNormalStockChangeRequest,
    ) -> Result<Map<String, Value>, Fail> {
        if body.remaining_count < 0 {
            return Err(Fail::invalid_field(
                "remainingCount",
                "0 이상이어야 합니다.",
            ));
        }
        let item = self.products.item_mut(body.product_id, product_item_id)?;
        item.remaining = body.remaining_count;
        Ok(Map::new())
    }

    /// ITM-02: sets the item's list price, which may not fall below its sale price.
    fn update_item_origin_price(
        &mut self,
        _call: &Call,
        product_item_id: i64,
        body: ItemOriginPriceChangeRequest,
    ) -> Result<Map<String, Value>, Fail> {
        check_positive("originPrice", body.origin_price)?;
        let item = self.products.item_mut(body.product_id, product_item_id)?;
        check_prices(item.sale_price, body.origin_price)?;
        item.origin_price = body.origin_price;
        Ok(Map::new())
    }

    /// ITM-01: sets the item's sale price, which may not exceed its list price.
    fn update_item_sale_price(
        &mut self,
        _call: &Call,
        product_item_id: i64,
        body: ItemSalePriceChangeRequest,
    ) -> Result<Map<String, Value>, Fail> {
        check_positive("salePrice", body.sale_price)?;
        let item = self.products.item_mut(body.product_id, product_item_id)?;
        check_prices(body.sale_price, item.origin_price)?;
        item.sale_price = body.sale_price;
        Ok(Map::new())
    }
}

/// A price must be at least 1 won.
fn check_positive(field: &str, price: i64) -> Result<(), Fail> {
    if price < 1 {
        return Err(Fail::invalid_field(field, "1 이상이어야 합니다."));
    }
    Ok(())
}
