//! Products: the body checks that run before a product is registered or replaced, and a safe
//! way to edit a product.
//!
//! **Checks.** Registering a product is the most expensive call (10 per second, up to 30
//! minutes, and a rejection costs an inspection cycle), and many of its failures are rules
//! that can be checked first. [`ProductRegistration::validate`] reports every problem at
//! once, each with its JSON path, as errors (rules the vendor documents or that were seen
//! live) and warnings (rules we only suspect). The client runs the same checks before
//! sending `register_product` and `update_product` and refuses a body with errors as
//! [`Error::Validation`], whose [`reason`](crate::Error::reason) has the shape of the
//! vendor's `INVALID_REQUEST`; [`CallExt::skip_validation`](crate::CallExt::skip_validation)
//! turns them off for one call. With a category's rules ([`CategoryRules`], fetched and kept
//! by a [`CategoryRulesCache`]) the checks also cover its option groups and notice items.
//!
//! **Edits.** The update replaces the whole product, and getting it wrong mints new item ids
//! or touches frozen fields. [`ProductEditExt::edit_product`] reads the product, hands a
//! complete replacement body to your change, refuses frozen fields, checks the result, makes
//! sure nobody changed the product meanwhile, and says whether the change sends the product
//! back to inspection.
//!
//! `docs/products.md` lists every rule with its evidence.

mod cache;
mod category;
mod draft;
mod edit;
mod finding;
mod rules;
mod schema;

use std::sync::Arc;

use serde_json::Value;

pub use cache::CategoryRulesCache;
pub use category::CategoryRules;
pub use draft::ProductDraft;
pub use edit::{
    EditError, EditProduct, InspectionEffect, ProductEdit, ProductEditExt, ReadDraft,
    ReinspectionCause, SaveDraft,
};
pub use finding::{Finding, Refusal, Rule, Severity, Validation};

use crate::api::operations::product_body_schemas;
use crate::api::types::ProductRegistration;
use crate::error::Error;
use crate::operation::OperationMeta;

/// What a product body is for: the rules differ a little.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum BodyKind {
    /// A new product (`register_product`).
    Registration,
    /// A product replaced in full (`update_product`): its stocks should carry their ids and
    /// `exposure.description` is required.
    Replacement,
}

impl BodyKind {
    /// The spec's schema of the body, resolved, as JSON text.
    pub(crate) fn schema(self) -> &'static str {
        // Both kinds send the same schema; `update_product` replaces with what registers.
        product_body_schemas::PRODUCT_REGISTRATION
    }
}

impl ProductRegistration {
    /// Checks this body as a body of `kind` against the product rules, without category
    /// rules. Never sends anything.
    pub fn validate(&self, kind: BodyKind) -> Validation {
        validate_json(&to_json(self), kind, None)
    }

    /// Checks this body as a body of `kind` against the product rules and the rules of its
    /// category.
    pub fn validate_with(&self, kind: BodyKind, rules: &CategoryRules) -> Validation {
        validate_json(&to_json(self), kind, Some(rules))
    }
}

/// Checks a product body given as JSON (a `ProductRegistration`, as it goes on the wire)
/// against the spec's rules for it and the product rules, and against `rules` when given:
/// every problem at once, with its JSON path.
pub fn validate_json(body: &Value, kind: BodyKind, rules: Option<&CategoryRules>) -> Validation {
    checks(kind.schema(), body, kind, rules)
}

fn checks(
    schema: &'static str,
    body: &Value,
    kind: BodyKind,
    category: Option<&CategoryRules>,
) -> Validation {
    let mut out = Validation::default();
    schema::check(schema, body, &mut out);
    rules::check(body, kind, category.is_none(), &mut out);
    if let Some(category) = category {
        category.check(body, &mut out);
    }
    out
}

fn to_json(body: &ProductRegistration) -> Value {
    // The generated types always serialize; a failure would show up as a schema finding.
    serde_json::to_value(body).unwrap_or(Value::Null)
}

/// A request body on its way to the checks before sending; built by the generated code of
/// the operations the spec marks with `x-toss-product-body`.
#[doc(hidden)]
#[derive(Debug)]
pub struct CheckedBody {
    kind: BodyKind,
    schema: &'static str,
    json: Value,
}

impl CheckedBody {
    /// The body a generated builder holds, completed into its type `T` and written as JSON;
    /// `None` when the builder cannot complete it (sending then reports why).
    pub(crate) fn from_builder<T, B>(
        kind: BodyKind,
        schema: &'static str,
        built: Option<B>,
    ) -> Option<Self>
    where
        T: TryFrom<B> + serde::Serialize,
    {
        let body = T::try_from(built?).ok()?;
        let json = serde_json::to_value(body).ok()?;
        Some(Self { kind, schema, json })
    }
}

/// The per-call settings of the checks before sending.
#[derive(Debug, Clone, Default)]
pub(crate) struct BodyChecks {
    off: bool,
    rules: Option<Arc<CategoryRules>>,
}

impl BodyChecks {
    /// No checks for this call.
    pub(crate) fn off(mut self) -> Self {
        self.off = true;
        self
    }

    /// The category's rules too.
    pub(crate) fn with_rules(mut self, rules: Arc<CategoryRules>) -> Self {
        self.rules = Some(rules);
        self
    }

    /// Refuses `body` of `operation` if it breaks a rule; logs the warnings.
    pub(crate) fn check(
        &self,
        operation: &'static OperationMeta,
        body: CheckedBody,
    ) -> Result<(), Error> {
        if self.off {
            return Ok(());
        }
        let validation = checks(body.schema, &body.json, body.kind, self.rules.as_deref());
        let warnings: Vec<String> = validation.warnings().map(Finding::to_string).collect();
        if !warnings.is_empty() {
            tracing::warn!(
                operation = operation.operation_id,
                warnings = %warnings.join("; "),
                "toss-shopping: the product body breaks rules we suspect; sending it anyway"
            );
        }
        if validation.is_ok() {
            Ok(())
        } else {
            Err(Error::Validation(Box::new(Refusal::new(
                operation.operation_id,
                validation,
            ))))
        }
    }
}

#[cfg(test)]
pub(crate) mod tests;
