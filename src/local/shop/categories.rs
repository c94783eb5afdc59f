//! PLACEHOLDER: the `Categories` operations, to be written.
#![allow(unused_variables)]
use super::Shop;
use crate::local::{Call, Fail};

/// PLACEHOLDER state.
#[derive(Debug, Default)]
pub(crate) struct CategoryTree {}

impl CategoryTree {
    pub(crate) fn reference() -> Self {
        Self {}
    }
}

impl crate::api::serve::Categories for Shop {
    fn get_category_constraint_templates(
        &mut self,
        call: &Call,
        category_id: i64,
    ) -> ::std::result::Result<crate::api::types::CategoryConstraintTemplates, Fail> {
        Err(Fail::internal("not implemented"))
    }
    fn get_product_constraint_template(
        &mut self,
        call: &Call,
        template_id: i64,
    ) -> ::std::result::Result<::serde_json::Map<::std::string::String, ::serde_json::Value>, Fail>
    {
        Err(Fail::internal("not implemented"))
    }
    fn list_child_categories(
        &mut self,
        call: &Call,
    ) -> ::std::result::Result<crate::api::types::ChildCategories, Fail> {
        Err(Fail::internal("not implemented"))
    }
}

impl CategoryTree {
    /// Whether `category_id` is a leaf category (products may only go in leaves).
    pub(crate) fn is_leaf(&self, category_id: i64) -> bool {
        category_id == super::demo::LEAF_CATEGORY_ID
    }
}
