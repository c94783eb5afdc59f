//! The rules one leaf category adds: its constraint template's option groups (CAT-02) and the
//! items of its information notice (NTC-02). Built from those two answers, by the caller or
//! through a [`CategoryRulesCache`](super::CategoryRulesCache).

use std::collections::{BTreeMap, BTreeSet};

use serde_json::Value;

use super::finding::{Rule, Validation, join};
use super::rules::{list, text};
use crate::api::types::{CategoryConstraintTemplates, NoticeItems};

/// The rules of one leaf category: which option groups a stock may use (and must), which
/// units a value ends with, which notice codes the category allows, and the items each
/// notice code needs.
///
/// Build it from the category's constraint templates (`get_category_constraint_templates`)
/// and the notice items of the codes you use (`list_notice_items`), or let a
/// [`CategoryRulesCache`](super::CategoryRulesCache) fetch and keep them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CategoryRules {
    category_id: i64,
    groups: Vec<OptionGroup>,
    notice_codes: Vec<String>,
    /// Notice code → the ids of its items.
    notice_items: BTreeMap<String, Vec<i64>>,
}

/// One option group of the template.
#[derive(Debug, Clone, PartialEq, Eq)]
struct OptionGroup {
    key: String,
    /// `Some(true)` for a one-of (택1) group, `Some(false)` for a required group, `None`
    /// when the template does not say (such a group is allowed but never demanded).
    one_of: Option<bool>,
    /// Units a value must end with, when the template lists any.
    units: Vec<String>,
}

impl CategoryRules {
    /// The rules of leaf category `category_id` from its constraint templates. Groups without
    /// a `key` are left out (nothing could name them).
    pub fn new(category_id: i64, templates: &CategoryConstraintTemplates) -> Self {
        let groups = templates
            .category_sales_options
            .iter()
            .filter_map(|option| {
                Some(OptionGroup {
                    key: option.key.clone()?,
                    one_of: option.is_one_of_required_group,
                    units: option.unit_values.clone().unwrap_or_default(),
                })
            })
            .collect();
        Self {
            category_id,
            groups,
            notice_codes: templates.product_notice_info_template_types.clone(),
            notice_items: BTreeMap::new(),
        }
    }

    /// Adds the items of notice code `code` (`list_notice_items`). Items without an `id` are
    /// left out (they cannot be filled in).
    pub fn with_notice_items(mut self, code: impl Into<String>, items: &NoticeItems) -> Self {
        let ids = items.items.iter().filter_map(|item| item.id).collect();
        self.notice_items.insert(code.into(), ids);
        self
    }

    /// The leaf category these rules are for.
    pub fn category_id(&self) -> i64 {
        self.category_id
    }

    /// The notice codes the category allows (`notice.categoryCode`).
    pub fn notice_codes(&self) -> &[String] {
        &self.notice_codes
    }

    /// Whether the items of notice code `code` were added.
    pub fn has_notice_items(&self, code: &str) -> bool {
        self.notice_items.contains_key(code)
    }

    /// Checks `body` against these rules.
    pub(crate) fn check(&self, body: &Value, out: &mut Validation) {
        let category = body.get("categoryId").and_then(Value::as_i64);
        if category.is_some_and(|id| id != self.category_id) {
            let message = format!(
                "the category rules given are for category {}, not this one",
                self.category_id
            );
            out.add(Rule::RulesCategory, "categoryId", message);
            return;
        }
        for (index, stock) in list(body, "stocks").iter().enumerate() {
            self.check_stock(stock, &join("stocks", &format!("[{index}]")), out);
        }
        if let Some(notice) = body.get("notice") {
            self.check_notice(notice, out);
        }
    }

    fn group(&self, key: &str) -> Option<&OptionGroup> {
        self.groups.iter().find(|group| group.key == key)
    }

    /// Known groups only, every required group, exactly one one-of group, values with units.
    fn check_stock(&self, stock: &Value, at: &str, out: &mut Validation) {
        let options_at = join(at, "options");
        let mut used = BTreeSet::new();
        for (index, option) in list(stock, "options").iter().enumerate() {
            let option_at = join(&options_at, &format!("[{index}]"));
            let Some(key) = text(option, "groupName") else {
                continue;
            };
            used.insert(key);
            let Some(group) = self.group(key) else {
                let message = format!(
                    "{key} is not an option group of this category ({})",
                    self.keys()
                );
                out.add(Rule::OptionGroup, join(&option_at, "groupName"), message);
                continue;
            };
            if let Some(value) = text(option, "valueName")
                && !group.units.is_empty()
                && !group
                    .units
                    .iter()
                    .any(|unit| value.ends_with(unit.as_str()))
            {
                let message = format!(
                    "{value} must end with a unit of {key}: {}",
                    group.units.join(", ")
                );
                out.add(Rule::UnitValue, join(&option_at, "valueName"), message);
            }
        }
        for group in &self.groups {
            if group.one_of == Some(false) && !used.contains(group.key.as_str()) {
                let message = format!("needs the option group {}", group.key);
                out.add(Rule::RequiredGroup, options_at.clone(), message);
            }
        }
        let one_of: Vec<&str> = self
            .groups
            .iter()
            .filter(|group| group.one_of == Some(true))
            .map(|group| group.key.as_str())
            .collect();
        let chosen = one_of.iter().filter(|key| used.contains(*key)).count();
        if chosen > 1 {
            out.add(
                Rule::OneOfGroupTwice,
                options_at,
                format!(
                    "uses {chosen} one-of (택1) groups; exactly one of {} is allowed",
                    one_of.join(", ")
                ),
            );
        } else if chosen == 0 && !one_of.is_empty() {
            out.add(
                Rule::OneOfGroupMissing,
                options_at,
                format!(
                    "needs exactly one of the one-of (택1) groups {}",
                    one_of.join(", ")
                ),
            );
        }
    }

    fn keys(&self) -> String {
        let keys: Vec<&str> = self.groups.iter().map(|g| g.key.as_str()).collect();
        keys.join(", ")
    }

    /// An allowed code, and one entry for each of its items.
    fn check_notice(&self, notice: &Value, out: &mut Validation) {
        let Some(code) = text(notice, "categoryCode") else {
            return;
        };
        if !self.notice_codes.iter().any(|allowed| allowed == code) {
            let message = format!(
                "{code} is not a notice code of this category ({})",
                self.notice_codes.join(", ")
            );
            out.add(Rule::NoticeCode, "notice.categoryCode", message);
            return;
        }
        let Some(expected) = self.notice_items.get(code) else {
            return;
        };
        let mut seen = BTreeSet::new();
        for (index, item) in list(notice, "items").iter().enumerate() {
            let Some(id) = item.get("id").and_then(Value::as_i64) else {
                continue;
            };
            let at = format!("notice.items[{index}].id");
            if !seen.insert(id) {
                out.add(
                    Rule::DuplicateNoticeItem,
                    at,
                    format!("item {id} is filled in twice"),
                );
            } else if !expected.contains(&id) {
                out.add(
                    Rule::UnknownNoticeItem,
                    at,
                    format!("{code} has no item {id}"),
                );
            }
        }
        let missing: Vec<String> = expected
            .iter()
            .filter(|id| !seen.contains(id))
            .map(i64::to_string)
            .collect();
        if !missing.is_empty() {
            let message = format!(
                "needs an entry for every item of {code}; missing: {}",
                missing.join(", ")
            );
            out.add(Rule::NoticeItems, "notice.items", message);
        }
    }
}
