//! Safe product edits: read, change, check, guard, replace.
//!
//! The update replaces the whole product. Sent carelessly it mints new item ids (breaking
//! stock sync), touches fields frozen by inspection, or overwrites a change someone made in
//! between (a stock count lowered by a sale). An edit here reads the product into a complete
//! body with every item's ids ([`ProductDraft`]), applies the caller's change, refuses frozen
//! fields, runs the product checks, reads the product again right before writing and stops if
//! it changed, then replaces it, and says whether the change sends the product back to
//! inspection. Everything goes through the public client: the same rate limits, retries,
//! token handling and tracing as any call.

use std::fmt;
use std::future::{Future, IntoFuture};
use std::pin::Pin;
use std::sync::Arc;

use super::draft::{ProductDraft, write_shape};
use super::finding::{Finding, Refusal};
use super::{BodyKind, CategoryRules, CategoryRulesCache, Validation};
use crate::api::Client;
use crate::api::builder::UpdateProduct;
use crate::api::types::{InspectionStatus, ProductRegistration};
use crate::call::{CallExt, Operation};
use crate::error::{Error, Reason};

/// The future of an edit step.
type EditFuture<'a, T> = Pin<Box<dyn Future<Output = Result<T, EditError>> + Send + 'a>>;

/// Safe edits on the client: `use toss_shopping::products::ProductEditExt;`.
pub trait ProductEditExt {
    /// Edits product `product_id`: reads it, hands its complete replacement body to
    /// `change`, and saves the result as [`SaveDraft`] does. Give the body you last sent for
    /// the product with [`EditProduct::base`]: a read lacks fields the replacement needs.
    ///
    /// ```no_run
    /// # async fn run(client: toss_shopping::Client, last_sent: toss_shopping::types::ProductRegistration) -> Result<(), toss_shopping::products::EditError> {
    /// use toss_shopping::products::ProductEditExt;
    ///
    /// let edit = client
    ///     .edit_product(42, |draft| {
    ///         if let Some(stock) = draft.stock_mut(990_021) {
    ///             stock.sale_price = 27_900;
    ///         }
    ///     })
    ///     .base(last_sent)
    ///     .await?;
    /// println!("back to inspection: {}", edit.inspection.sends_to_inspection());
    /// # Ok(()) }
    /// ```
    fn edit_product<F>(&self, product_id: i64, change: F) -> EditProduct<'_, F>
    where
        F: FnOnce(&mut ProductDraft) + Send;

    /// Reads product `product_id` into a [`ProductDraft`], for an edit in two steps (change
    /// the draft in between, awaiting whatever you need).
    fn product_draft(&self, product_id: i64) -> ReadDraft<'_>;

    /// Saves a changed draft: refuses frozen fields, checks the body, makes sure the product
    /// did not change since it was read, and replaces it.
    fn save_product_draft(&self, draft: ProductDraft) -> SaveDraft<'_>;
}

impl ProductEditExt for Client {
    fn edit_product<F>(&self, product_id: i64, change: F) -> EditProduct<'_, F>
    where
        F: FnOnce(&mut ProductDraft) + Send,
    {
        EditProduct {
            read: self.product_draft(product_id),
            change,
            save: SaveOptions::default(),
        }
    }

    fn product_draft(&self, product_id: i64) -> ReadDraft<'_> {
        ReadDraft {
            client: self,
            product_id,
            base: None,
        }
    }

    fn save_product_draft(&self, draft: ProductDraft) -> SaveDraft<'_> {
        SaveDraft {
            client: self,
            draft,
            options: SaveOptions::default(),
        }
    }
}

/// Reading a product into a [`ProductDraft`]; await it.
#[must_use = "a read does nothing unless awaited"]
#[derive(Debug)]
pub struct ReadDraft<'a> {
    client: &'a Client,
    product_id: i64,
    base: Option<ProductRegistration>,
}

impl ReadDraft<'_> {
    /// The body last sent for the product (its registration, or the `body` of the last
    /// [`ProductEdit`]): it gives what a read lacks (category, tax flag, delivery and
    /// return policies, notice, which stock is the main price, description HTML).
    pub fn base(mut self, base: ProductRegistration) -> Self {
        self.base = Some(base);
        self
    }
}

impl<'a> IntoFuture for ReadDraft<'a> {
    type Output = Result<ProductDraft, EditError>;
    type IntoFuture = EditFuture<'a, ProductDraft>;

    fn into_future(self) -> Self::IntoFuture {
        Box::pin(async move {
            let product = read(self.client, self.product_id).await?;
            ProductDraft::new(self.product_id, &product, self.base)
        })
    }
}

/// How a draft is saved.
#[derive(Debug, Clone, Default)]
struct SaveOptions<'a> {
    force: bool,
    skip_validation: bool,
    rules: Option<Arc<CategoryRules>>,
    cache: Option<&'a CategoryRulesCache>,
}

/// Saving a changed [`ProductDraft`]; await it.
#[must_use = "a save does nothing unless awaited"]
#[derive(Debug)]
pub struct SaveDraft<'a> {
    client: &'a Client,
    draft: ProductDraft,
    options: SaveOptions<'a>,
}

/// Options shared by [`SaveDraft`] and [`EditProduct`].
macro_rules! save_options {
    ($($field:ident).+) => {
        /// Writes without reading the product again first: a change made since the read is
        /// overwritten. For when you know nobody else edits the product.
        pub fn force(mut self) -> Self {
            self.$($field).+.force = true;
            self
        }

        /// Writes without the product checks (frozen fields are still refused).
        pub fn skip_validation(mut self) -> Self {
            self.$($field).+.skip_validation = true;
            self
        }

        /// Checks the body against these category rules too.
        pub fn category_rules(mut self, rules: Arc<CategoryRules>) -> Self {
            self.$($field).+.rules = Some(rules);
            self
        }

        /// Checks the body against its category's rules too, from `cache` (fetched through
        /// the client when missing or old).
        pub fn fetch_category_rules(mut self, cache: &'a CategoryRulesCache) -> Self {
            self.$($field).+.cache = Some(cache);
            self
        }
    };
}

impl<'a> SaveDraft<'a> {
    save_options!(options);
}

impl<'a> IntoFuture for SaveDraft<'a> {
    type Output = Result<ProductEdit, EditError>;
    type IntoFuture = EditFuture<'a, ProductEdit>;

    fn into_future(self) -> Self::IntoFuture {
        Box::pin(save(self.client, self.draft, self.options))
    }
}

/// An edit in one go: read, change, save; await it.
#[must_use = "an edit does nothing unless awaited"]
pub struct EditProduct<'a, F> {
    read: ReadDraft<'a>,
    change: F,
    save: SaveOptions<'a>,
}

impl<F> fmt::Debug for EditProduct<'_, F> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("EditProduct")
            .field("read", &self.read)
            .field("save", &self.save)
            .finish_non_exhaustive()
    }
}

impl<'a, F> EditProduct<'a, F> {
    /// The body last sent for the product; see [`ReadDraft::base`].
    pub fn base(mut self, base: ProductRegistration) -> Self {
        self.read = self.read.base(base);
        self
    }

    save_options!(save);
}

impl<'a, F> IntoFuture for EditProduct<'a, F>
where
    F: FnOnce(&mut ProductDraft) + Send + 'a,
{
    type Output = Result<ProductEdit, EditError>;
    type IntoFuture = EditFuture<'a, ProductEdit>;

    fn into_future(self) -> Self::IntoFuture {
        Box::pin(async move {
            let client = self.read.client;
            let mut draft = self.read.await?;
            (self.change)(&mut draft);
            save(client, draft, self.save).await
        })
    }
}

/// What an edit did.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct ProductEdit {
    /// The product's id.
    pub product_id: i64,
    /// The whole body sent (or, when nothing changed, the body as read). Keep it: it is the
    /// base of the next edit.
    pub body: ProductRegistration,
    /// Whether the replacement was sent; false when the change changed nothing.
    pub sent: bool,
    /// Whether the change sends the product back to inspection.
    pub inspection: InspectionEffect,
    /// What the checks warned about (rules we only suspect, new item ids).
    pub warnings: Vec<Finding>,
}

/// What a change does to the product's inspection.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum InspectionEffect {
    /// The change applies at once and the inspection status stays as it was (price, stock
    /// and delivery changes of a product that passed).
    None,
    /// The change sends the product (back) to inspection.
    Reinspection(ReinspectionCause),
    /// The product's inspection status was missing or not one this SDK knows, so the effect
    /// cannot be told.
    Unknown,
}

impl InspectionEffect {
    /// Whether the change sends the product (back) to inspection.
    pub fn sends_to_inspection(self) -> bool {
        matches!(self, Self::Reinspection(_))
    }
}

/// Why a change sends the product back to inspection.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum ReinspectionCause {
    /// Its images changed (the vendor documents this for products that passed; the local
    /// server also restarts an inspection still under way).
    ImagesChanged,
    /// The product was rejected, and any change to a rejected product restarts inspection.
    Rejected,
}

/// Why an edit did not go through.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum EditError {
    /// Reading the product (or its category rules) failed; nothing was written.
    #[error("reading the product failed: {0}")]
    Read(#[source] Error),
    /// The product as read lacks fields the replacement needs, and no base gave them. Nothing
    /// was written; pass the body last sent for the product with `.base(..)`.
    #[error(
        "product {product_id} cannot be rebuilt from what was read; these fields are missing: {}; pass the body last sent for it with .base(..)",
        fields.join(", ")
    )]
    Unrecoverable {
        /// The product.
        product_id: i64,
        /// The missing fields, as JSON paths (with why, when a value was unusable).
        fields: Vec<String>,
    },
    /// The change touches a field the product's inspection status freezes; nothing was
    /// written.
    #[error(
        "{field} of product {product_id} cannot change while its inspection status is {}: {why}",
        status_text(.status)
    )]
    Frozen {
        /// The product.
        product_id: i64,
        /// The field, as a JSON path (`name`, `categoryId`, `stocks[2].options`).
        field: String,
        /// The inspection status when the product was read (`None` when the answer had none).
        status: Option<InspectionStatus>,
        /// What the vendor allows instead.
        why: &'static str,
    },
    /// The changed body breaks product rules; nothing was written. The refusal has the same
    /// field → message shape as the vendor's `INVALID_REQUEST`.
    #[error(transparent)]
    Invalid(Box<Refusal>),
    /// The product changed between the read and the write; nothing was written. Read it
    /// again and redo the change, or save with `.force()` to overwrite.
    #[error("product {product_id} changed since it was read (in {}); nothing was written", fields.join(", "))]
    ChangedConcurrently {
        /// The product.
        product_id: i64,
        /// The top-level fields that differ, e.g. `stocks`.
        fields: Vec<String>,
    },
    /// The replacement itself failed.
    #[error("replacing the product failed: {0}")]
    Write(#[source] Error),
}

fn status_text(status: &Option<InspectionStatus>) -> String {
    status
        .as_ref()
        .map_or_else(|| "unknown".to_string(), ToString::to_string)
}

impl EditError {
    /// The reason in the vendor's shape, when there is one: the field map of a body the checks
    /// refused, or the vendor's reason for a failed call.
    pub fn reason(&self) -> Option<&Reason> {
        match self {
            Self::Invalid(refusal) => Some(&refusal.reason),
            Self::Read(error) | Self::Write(error) => error.reason(),
            _ => None,
        }
    }
}

async fn read(client: &Client, product_id: i64) -> Result<crate::api::types::Product, EditError> {
    client
        .get_product()
        .product_id(product_id)
        .await
        .map_err(EditError::Read)
}

/// Saves a draft: frozen fields, checks, guard, replacement.
async fn save(
    client: &Client,
    draft: ProductDraft,
    options: SaveOptions<'_>,
) -> Result<ProductEdit, EditError> {
    let product_id = draft.product_id();
    if draft.body == *draft.original() {
        return Ok(ProductEdit {
            product_id,
            body: draft.body,
            sent: false,
            inspection: InspectionEffect::None,
            warnings: Vec::new(),
        });
    }
    refuse_frozen(&draft)?;
    let validation = check(client, &draft.body, &options).await?;
    if !options.force {
        guard(client, &draft).await?;
    }
    client
        .update_product()
        .product_id(product_id)
        .body(draft.body.clone())
        // Checked above, with the category's rules when asked for.
        .skip_validation()
        .await
        .map_err(EditError::Write)?;
    Ok(ProductEdit {
        product_id,
        inspection: inspection_effect(&draft),
        body: draft.body,
        sent: true,
        warnings: validation.warnings().cloned().collect(),
    })
}

/// The product checks of the changed body, as a replacement.
async fn check(
    client: &Client,
    body: &ProductRegistration,
    options: &SaveOptions<'_>,
) -> Result<Validation, EditError> {
    if options.skip_validation {
        return Ok(Validation::default());
    }
    let rules = match (&options.rules, options.cache) {
        (Some(rules), _) => Some(rules.clone()),
        (None, Some(cache)) => {
            let code = Some(body.notice.category_code.as_str());
            let rules = cache.rules(client, body.category_id, code).await;
            Some(rules.map_err(EditError::Read)?)
        }
        (None, None) => None,
    };
    let validation = match &rules {
        Some(rules) => body.validate_with(BodyKind::Replacement, rules),
        None => body.validate(BodyKind::Replacement),
    };
    if validation.is_ok() {
        Ok(validation)
    } else {
        let operation = <UpdateProduct<'_> as Operation<'_>>::meta().operation_id;
        Err(EditError::Invalid(Box::new(Refusal::new(
            operation, validation,
        ))))
    }
}

/// Reads the product again and fails if what a replacement would carry, or the inspection
/// status, differs from the first read. The API has no version to send with the write, so a
/// change between this read and the write itself is still possible, if unlikely.
async fn guard(client: &Client, draft: &ProductDraft) -> Result<(), EditError> {
    let product_id = draft.product_id();
    let now = read(client, product_id).await?;
    let mut fields = match write_shape(product_id, &now, draft.base()) {
        Ok(current) => differing_fields(&current, draft.original()),
        // The first read rebuilt with this base, so what keeps this one from it changed
        // (typically a stock someone added).
        Err(EditError::Unrecoverable { fields, .. }) => top_level(fields),
        Err(other) => return Err(other),
    };
    if now.inspection_status.as_ref() != draft.inspection_status() {
        fields.push("inspectionStatus".to_string());
    }
    if fields.is_empty() {
        Ok(())
    } else {
        Err(EditError::ChangedConcurrently { product_id, fields })
    }
}

/// The top-level field of each path (`stocks` of `stocks[2].isMainPrice`), once each.
fn top_level(paths: Vec<String>) -> Vec<String> {
    let mut fields: Vec<String> = paths
        .iter()
        .map(|path| {
            path.split(['.', '[', ' '])
                .next()
                .unwrap_or(path)
                .to_string()
        })
        .collect();
    fields.sort();
    fields.dedup();
    fields
}

/// The top-level fields in which two bodies differ.
fn differing_fields(a: &ProductRegistration, b: &ProductRegistration) -> Vec<String> {
    let (a, b) = (serde_json::to_value(a), serde_json::to_value(b));
    let (Ok(serde_json::Value::Object(a)), Ok(serde_json::Value::Object(b))) = (a, b) else {
        return vec!["body".to_string()];
    };
    let mut keys: Vec<&String> = a.keys().chain(b.keys()).collect();
    keys.sort();
    keys.dedup();
    keys.into_iter()
        .filter(|key| a.get(*key) != b.get(*key))
        .cloned()
        .collect()
}

/// The vendor's words on what may change after inspection.
const NAME_FROZEN: &str = "the name changes only while the product is REJECT (or at registration)";
const CATEGORY_FROZEN: &str =
    "after inspection passed the category cannot change; delete the product and register it again";
const OPTIONS_FROZEN: &str = "after inspection passed an item's options cannot change; add a new stock (without ids) instead";

/// Refuses a change to a field the inspection status freezes. An unknown status freezes
/// what any status might: the edit cannot know it is allowed.
fn refuse_frozen(draft: &ProductDraft) -> Result<(), EditError> {
    let status = draft.inspection_status();
    let (before, after) = (draft.original(), &draft.body);
    let is = |known: InspectionStatus| status == Some(&known);
    let frozen = |field: String, why: &'static str| EditError::Frozen {
        product_id: draft.product_id(),
        field,
        status: status.cloned(),
        why,
    };
    if before.name != after.name && !is(InspectionStatus::Reject) {
        return Err(frozen("name".into(), NAME_FROZEN));
    }
    let category_free = is(InspectionStatus::Reject) || is(InspectionStatus::LlmInspectionReady);
    if before.category_id != after.category_id && !category_free {
        return Err(frozen("categoryId".into(), CATEGORY_FROZEN));
    }
    if !category_free {
        for (index, stock) in after.stocks.iter().enumerate() {
            let kept = before.stocks.iter().find(|old| {
                old.item_id.is_some() && old.item_id == stock.item_id
                    || old.id.is_some() && old.id == stock.id
            });
            if kept.is_some_and(|old| old.options != stock.options) {
                return Err(frozen(format!("stocks[{index}].options"), OPTIONS_FROZEN));
            }
        }
    }
    Ok(())
}

/// Whether the saved change sends the product back to inspection (the vendor's rules for
/// the status it had when read).
fn inspection_effect(draft: &ProductDraft) -> InspectionEffect {
    let images_changed = draft.original().images != draft.body.images;
    match draft.inspection_status() {
        Some(InspectionStatus::Reject) => {
            InspectionEffect::Reinspection(ReinspectionCause::Rejected)
        }
        Some(InspectionStatus::Complete | InspectionStatus::LlmInspectionReady)
            if images_changed =>
        {
            InspectionEffect::Reinspection(ReinspectionCause::ImagesChanged)
        }
        Some(InspectionStatus::Complete | InspectionStatus::LlmInspectionReady) => {
            InspectionEffect::None
        }
        _ => InspectionEffect::Unknown,
    }
}
