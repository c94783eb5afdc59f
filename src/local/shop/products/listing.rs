//! PRD-04: the product list, in id (registration) order, narrowed by product ids and a
//! registration-date range, in pages chained by `nextToken` while `hasNext`.

use chrono::{NaiveDate, NaiveDateTime};

use super::ProductBook;
use super::record::StoredProduct;
use crate::api::types::ProductPage;
use crate::local::{Call, Fail};

/// Products per page when the caller does not say.
const DEFAULT_SIZE: usize = 20;
/// The largest page served; integrators use up to 100.
const MAX_SIZE: usize = 100;
/// The message for a parameter value the server cannot read.
const BAD_VALUE: &str = "올바르지 않은 값입니다.";

/// What a `listProducts` call asks for.
struct Filter {
    /// Only these products (`productIds`).
    product_ids: Option<Vec<i64>>,
    /// Registered at or after this (`regStartDate`).
    from: Option<NaiveDateTime>,
    /// Registered at or before this (`regEndDate`).
    until: Option<NaiveDateTime>,
    /// Continue after this product id (from `nextToken`).
    after: Option<i64>,
    /// Products per page (`size`).
    size: usize,
}

impl Filter {
    /// Reads the query of a call.
    fn read(call: &Call) -> Result<Self, Fail> {
        Ok(Self {
            product_ids: call.query_ids("productIds")?,
            from: date_bound(call, "regStartDate", false)?,
            until: date_bound(call, "regEndDate", true)?,
            after: token(call)?,
            size: page_size(call.query::<i64>("size")?, "size")?,
        })
    }

    /// Whether a product passes the filters (paging aside).
    fn admits(&self, product: &StoredProduct) -> bool {
        self.product_ids
            .as_ref()
            .is_none_or(|ids| ids.contains(&product.id))
            && self.from.is_none_or(|from| product.registered_at >= from)
            && self
                .until
                .is_none_or(|until| product.registered_at <= until)
    }
}

/// A page size: absent means the default, it must be at least 1, and pages stop at the
/// largest size served.
fn page_size(size: Option<i64>, field: &str) -> Result<usize, Fail> {
    match size {
        None => Ok(DEFAULT_SIZE),
        Some(size) if size < 1 => Err(Fail::invalid_field(field, "1 이상이어야 합니다.")),
        Some(size) => Ok(usize::try_from(size).map_or(MAX_SIZE, |size| size.min(MAX_SIZE))),
    }
}

/// A registration-date bound: `yyyy-MM-dd` (the whole day) or a date-time without offset.
fn date_bound(call: &Call, name: &str, end: bool) -> Result<Option<NaiveDateTime>, Fail> {
    let Some(text) = call.query_text(name) else {
        return Ok(None);
    };
    if let Ok(moment) = text.parse::<NaiveDateTime>() {
        return Ok(Some(moment));
    }
    let date: NaiveDate = text
        .parse()
        .map_err(|_| Fail::invalid_field(name, BAD_VALUE))?;
    let time = if end {
        date.and_hms_opt(23, 59, 59)
    } else {
        date.and_hms_opt(0, 0, 0)
    };
    Ok(time)
}

/// The `nextToken` of a previous page: the id of its last product, as `p<id>`.
fn token(call: &Call) -> Result<Option<i64>, Fail> {
    call.query_text("nextToken")
        .map(|text| {
            text.strip_prefix('p')
                .and_then(|id| id.parse().ok())
                .ok_or_else(|| Fail::invalid_field("nextToken", BAD_VALUE))
        })
        .transpose()
}

impl ProductBook {
    /// The page of products a `listProducts` call asks for.
    pub(crate) fn list(&self, call: &Call) -> Result<ProductPage, Fail> {
        let filter = Filter::read(call)?;
        let mut matching = self
            .iter()
            .filter(|product| filter.admits(product))
            .filter(|product| filter.after.is_none_or(|after| product.id > after));
        let page: Vec<&StoredProduct> = matching.by_ref().take(filter.size).collect();
        let has_next = matching.next().is_some();
        let next_token = page
            .last()
            .filter(|_| has_next)
            .map(|last| format!("p{}", last.id));
        Ok(ProductPage {
            products: page.iter().map(|product| product.to_summary()).collect(),
            next_token,
            has_next: Some(has_next),
        })
    }
}
