//! The stored form of a product and its items, and how they read back in the API's shapes.

use chrono::NaiveDateTime;

use crate::api::types::{
    ExposureStatus, InspectionStatus, Product, ProductExposureInfo, ProductImageInfo,
    ProductImageType, ProductRegistration, ProductStockInfo, ProductSummary, StockImage,
    StockOption, StockOptionInfo,
};

/// How `regTs` and other product timestamps are written (no offset, like the live API).
const TIMESTAMP: &str = "%Y-%m-%dT%H:%M:%S";

/// Where a product stands in the automatic inspection.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Stage {
    /// `LLM_INSPECTION_READY`: waiting for the inspection, which started at `since`.
    Waiting { since: NaiveDateTime },
    /// `COMPLETE`: passed.
    Complete,
    /// `REJECT`: failed, with the inspector's reasons.
    Rejected { reasons: Vec<String> },
}

impl Stage {
    /// The stage as the API reports it in `inspectionStatus`.
    pub(crate) fn status(&self) -> InspectionStatus {
        match self {
            Self::Waiting { .. } => InspectionStatus::LlmInspectionReady,
            Self::Complete => InspectionStatus::Complete,
            Self::Rejected { .. } => InspectionStatus::Reject,
        }
    }

    /// The rejection reasons (none unless rejected).
    pub(crate) fn reasons(&self) -> &[String] {
        match self {
            Self::Rejected { reasons } => reasons,
            _ => &[],
        }
    }
}

/// One option of a product (a "product item"). `stock_id` is `stocks[].id` and `item_id`
/// is `stocks[].itemId`: two different numbers, and only the latter names the item in the
/// `product-items` paths.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct StoredItem {
    /// `stocks[].id`.
    pub(crate) stock_id: i64,
    /// `stocks[].itemId`, the id the `product-items` paths take.
    pub(crate) item_id: i64,
    /// The option values (group and value names).
    pub(crate) options: Vec<StockOption>,
    /// Whether this is the product's main-price option.
    pub(crate) is_main_price: bool,
    /// The price buyers pay, in KRW.
    pub(crate) sale_price: i64,
    /// The list price, in KRW; never below the sale price.
    pub(crate) origin_price: i64,
    /// The normal stock; 0 is sold out.
    pub(crate) remaining: i64,
    /// The seller's own item code.
    pub(crate) management_code: Option<String>,
    /// Per-option images.
    pub(crate) images: Vec<StockImage>,
}

impl StoredItem {
    /// The item's display name: its option values joined as the seller centre shows them
    /// (`2kg / 중과`).
    pub(crate) fn name(&self) -> String {
        self.options
            .iter()
            .map(|option| option.value_name.as_str())
            .collect::<Vec<_>>()
            .join(" / ")
    }

    /// Whether the item is sold out (its normal stock is zero).
    pub(crate) fn is_sold_out(&self) -> bool {
        self.remaining <= 0
    }

    /// The item as a `stocks[]` entry of `getProduct`.
    fn stock_info(&self) -> ProductStockInfo {
        ProductStockInfo {
            id: Some(self.stock_id),
            item_id: Some(self.item_id),
            options: self.options.iter().map(option_info).collect(),
            remaining_count: Some(self.remaining),
            is_sold_out: Some(self.is_sold_out()),
            sale_price: Some(self.sale_price),
            origin_price: Some(self.origin_price),
            management_code: self.management_code.clone(),
            quantity: None,
        }
    }
}

/// An option value as `getProduct` reports it.
fn option_info(option: &StockOption) -> StockOptionInfo {
    StockOptionInfo {
        group_name: Some(option.group_name.clone()),
        value_name: Some(option.value_name.to_string()),
    }
}

/// One product of the seller, as the store keeps it.
#[derive(Debug, Clone)]
pub(crate) struct StoredProduct {
    /// The product id.
    pub(crate) id: i64,
    /// The body it was last registered or replaced with; its `stocks` are kept in `items`
    /// instead (with their ids), so this copy has none.
    pub(crate) body: ProductRegistration,
    /// The items, in the order the body listed them.
    pub(crate) items: Vec<StoredItem>,
    /// Where it stands in inspection.
    pub(crate) stage: Stage,
    /// Whether it is hidden from buyers (PRD-07).
    pub(crate) is_hide: bool,
    /// When it was registered (`regTs`).
    pub(crate) registered_at: NaiveDateTime,
}

impl StoredProduct {
    /// The product's name.
    pub(crate) fn name(&self) -> &str {
        &self.body.name
    }

    /// The item buyers see first: the one marked `isMainPrice`.
    pub(crate) fn main_item(&self) -> Option<&StoredItem> {
        self.items
            .iter()
            .find(|item| item.is_main_price)
            .or_else(|| self.items.first())
    }

    /// `exposureStatus`: `EXPOSURE` while shown. The vendor's value for a hidden product was
    /// never recorded, so a hidden product has none (its `isHide` says it).
    fn exposure_status(&self) -> Option<ExposureStatus> {
        (!self.is_hide).then_some(ExposureStatus::Exposure)
    }

    /// The registration timestamp as `regTs` writes it.
    pub(crate) fn reg_ts(&self) -> String {
        self.registered_at.format(TIMESTAMP).to_string()
    }

    /// The images as `getProduct` reports them, each with the product's inspection state.
    fn image_infos(&self) -> Vec<ProductImageInfo> {
        let status = self.stage.status().to_string();
        self.body
            .images
            .iter()
            .map(|image| ProductImageInfo {
                type_: Some(ProductImageType::from(image.type_.to_string())),
                url: image.url.as_ref().map(|url| url.to_string()),
                order: Some(i64::from(image.order)),
                index_order: None,
                inspection_status: Some(status.clone()),
            })
            .collect()
    }

    /// The product as `getProduct` answers it.
    pub(crate) fn to_product(&self) -> Product {
        let exposure = &self.body.exposure;
        Product {
            id: Some(self.id),
            name: Some(self.name().to_string()),
            brand_name: self.body.brand_name.as_ref().map(|brand| brand.to_string()),
            merchant_id: None,
            category_name: None,
            inspection_status: Some(self.stage.status()),
            exposure_status: self.exposure_status(),
            is_hide: Some(self.is_hide),
            rejection_reasons: Some(
                self.stage
                    .reasons()
                    .iter()
                    .map(|reason| serde_json::Value::String(reason.clone()))
                    .collect(),
            ),
            exposure: Some(ProductExposureInfo {
                search_keywords: Some(
                    exposure
                        .search_keywords
                        .iter()
                        .map(|keyword| keyword.to_string())
                        .collect(),
                ),
                description: exposure.description.as_ref().map(|text| text.to_string()),
            }),
            stocks: self.items.iter().map(StoredItem::stock_info).collect(),
            images: self.image_infos(),
        }
    }

    /// The product as a row of `listProducts`.
    pub(crate) fn to_summary(&self) -> ProductSummary {
        ProductSummary {
            id: Some(self.id),
            name: Some(self.name().to_string()),
            brand_name: self.body.brand_name.as_ref().map(|brand| brand.to_string()),
            sale_price: self.main_item().map(|item| item.sale_price),
            inspection_status: Some(self.stage.status()),
            exposure_status: self.exposure_status(),
            reg_ts: Some(self.reg_ts()),
            images: self
                .body
                .images
                .iter()
                .filter_map(|image| image.url.as_ref())
                .map(|url| ProductImageInfo {
                    url: Some(url.to_string()),
                    ..Default::default()
                })
                .collect(),
        }
    }
}
