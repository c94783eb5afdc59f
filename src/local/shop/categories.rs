//! The category tree and the product constraint templates (CAT-01..03): reference data every
//! seller shares.
//!
//! The top level is level 2, as on the live API, and 식품 keeps its live id `50995`. Every leaf
//! points at a constraint template: the option groups a product in it may use (each group
//! that is not a one-of group is required; of the one-of (택1) groups exactly one is sent)
//! and the notice codes it accepts. Several leaves may share one template.

use serde_json::{Map, Value, json};

use super::Shop;
use super::demo::{LEAF_CATEGORY_ID, NOTICE_CATEGORY_CODE, TEMPLATE_ID};
use crate::api::types::{
    Category, CategoryConstraintTemplates, CategorySalesOption, ChildCategories,
};
use crate::local::{Call, Fail};

/// One node of the tree. Leaves carry their template; inner nodes carry none.
#[derive(Debug)]
struct Node {
    id: i64,
    parent: Option<i64>,
    level: i32,
    name: &'static str,
    template: Option<i64>,
}

/// One option group of a template.
#[derive(Debug)]
struct SalesOption {
    key: &'static str,
    /// A one-of (택1) group: exactly one of the template's one-of groups is sent.
    one_of: bool,
    candidates: Option<&'static [&'static str]>,
    units: Option<&'static [&'static str]>,
}

/// A product constraint template: the rules of the leaves that point at it.
#[derive(Debug)]
struct Template {
    id: i64,
    name: &'static str,
    options: &'static [SalesOption],
    notice_codes: &'static [&'static str],
}

/// A group every product must use.
const fn required(
    key: &'static str,
    candidates: Option<&'static [&'static str]>,
    units: Option<&'static [&'static str]>,
) -> SalesOption {
    SalesOption {
        key,
        one_of: false,
        candidates,
        units,
    }
}

/// A one-of (택1) group.
const fn one_of(
    key: &'static str,
    candidates: Option<&'static [&'static str]>,
    units: Option<&'static [&'static str]>,
) -> SalesOption {
    SalesOption {
        key,
        one_of: true,
        candidates,
        units,
    }
}

/// `수량` (quantity), required in most food and household templates.
const QUANTITY: SalesOption = required(
    "수량",
    Some(&["1개", "2개", "3개", "5개", "10개"]),
    Some(&["개"]),
);

/// The templates; the demo leaf's comes first.
const TEMPLATES: &[Template] = &[
    Template {
        id: TEMPLATE_ID,
        name: "가공식품(과자/라면) 옵션 제약",
        options: &[
            QUANTITY,
            one_of("(택1) 개당 중량", None, Some(&["g", "kg"])),
            one_of("(택1) 개당 수량", None, Some(&["개", "봉"])),
        ],
        notice_codes: &[NOTICE_CATEGORY_CODE, "ETC_GOODS"],
    },
    Template {
        id: 7_002,
        name: "음료 옵션 제약",
        options: &[
            QUANTITY,
            one_of("(택1) 개당 용량", None, Some(&["ml", "L"])),
            one_of("(택1) 개당 수량", None, Some(&["개", "병", "캔"])),
        ],
        notice_codes: &["PROCESSED_FOOD"],
    },
    Template {
        id: 7_003,
        name: "신선식품 옵션 제약",
        options: &[
            required("중량", Some(&["1kg", "2kg", "5kg"]), Some(&["kg", "g"])),
            one_of("(택1) 크기", Some(&["소과", "중과", "대과"]), None),
            one_of("(택1) 개당 수량", None, Some(&["개"])),
        ],
        notice_codes: &["AGRICULTURAL_FOOD", "ETC_GOODS"],
    },
    Template {
        id: 7_004,
        name: "건강기능식품 옵션 제약",
        options: &[
            QUANTITY,
            one_of("(택1) 개당 캡슐/정", None, Some(&["개", "정", "mg"])),
            one_of("(택1) 개당 수량", None, Some(&["개", "포", "스틱"])),
        ],
        notice_codes: &["HEALTH_FUNCTIONAL_FOOD"],
    },
    Template {
        id: 7_005,
        name: "세제 옵션 제약",
        options: &[
            QUANTITY,
            one_of("(택1) 개당 용량", None, Some(&["ml", "L"])),
            one_of("(택1) 개당 중량", None, Some(&["g", "kg"])),
        ],
        notice_codes: &["HOUSEHOLD_CHEMICAL", "ETC_GOODS"],
    },
    Template {
        id: 7_006,
        name: "스킨케어 옵션 제약",
        options: &[QUANTITY, one_of("(택1) 개당 용량", None, Some(&["ml"]))],
        notice_codes: &["COSMETIC"],
    },
    Template {
        id: 7_007,
        name: "의류 옵션 제약",
        options: &[
            required("색상", Some(&["블랙", "화이트", "네이비", "그레이"]), None),
            required(
                "패션의류/잡화 사이즈",
                Some(&["S", "M", "L", "XL", "FREE"]),
                None,
            ),
        ],
        notice_codes: &["CLOTHING"],
    },
    Template {
        id: 7_008,
        name: "생활가전 옵션 제약",
        options: &[required("색상", Some(&["화이트", "블랙"]), None), QUANTITY],
        notice_codes: &["ETC_GOODS"],
    },
];

/// A node of the tree, in table form.
const fn node(
    id: i64,
    parent: Option<i64>,
    level: i32,
    name: &'static str,
    template: Option<i64>,
) -> Node {
    Node {
        id,
        parent,
        level,
        name,
        template,
    }
}

/// The tree, parents before children; the top level lists in this order.
const TREE: &[Node] = &[
    node(50_995, None, 2, "식품", None),
    node(51_020, None, 2, "생활/건강", None),
    node(51_077, None, 2, "화장품/미용", None),
    node(50_000, None, 2, "패션의류", None),
    node(50_007, None, 2, "디지털/가전", None),
    // 식품
    node(51_001, Some(50_995), 3, "가공식품", None),
    node(LEAF_CATEGORY_ID, Some(51_001), 4, "과자", Some(TEMPLATE_ID)),
    node(1_031_002, Some(51_001), 4, "라면", Some(TEMPLATE_ID)),
    node(51_002, Some(51_001), 4, "음료", None),
    node(1_031_011, Some(51_002), 5, "생수", Some(7_002)),
    node(1_031_012, Some(51_002), 5, "탄산음료", Some(7_002)),
    node(51_005, Some(50_995), 3, "신선식품", None),
    node(1_031_101, Some(51_005), 4, "사과", Some(7_003)),
    node(1_031_102, Some(51_005), 4, "감귤", Some(7_003)),
    node(51_006, Some(50_995), 3, "건강식품", None),
    node(1_031_201, Some(51_006), 4, "비타민", Some(7_004)),
    // 생활/건강
    node(51_021, Some(51_020), 3, "세제/세정제", None),
    node(1_032_001, Some(51_021), 4, "주방세제", Some(7_005)),
    node(1_032_002, Some(51_021), 4, "세탁세제", Some(7_005)),
    // 화장품/미용
    node(51_078, Some(51_077), 3, "스킨케어", None),
    node(1_033_001, Some(51_078), 4, "스킨/토너", Some(7_006)),
    node(1_033_002, Some(51_078), 4, "로션", Some(7_006)),
    // 패션의류
    node(50_001, Some(50_000), 3, "여성의류", None),
    node(1_034_001, Some(50_001), 4, "티셔츠", Some(7_007)),
    // 디지털/가전
    node(50_008, Some(50_007), 3, "생활가전", None),
    node(1_035_001, Some(50_008), 4, "가습기", Some(7_008)),
];

/// The category tree and its templates.
#[derive(Debug, Default)]
pub(crate) struct CategoryTree {
    nodes: &'static [Node],
    templates: &'static [Template],
}

impl CategoryTree {
    /// The reference tree.
    pub(crate) fn reference() -> Self {
        Self {
            nodes: TREE,
            templates: TEMPLATES,
        }
    }

    /// Whether `category_id` is a leaf category (products may only go in leaves).
    pub(crate) fn is_leaf(&self, category_id: i64) -> bool {
        self.find(category_id).is_some() && !self.has_children(category_id)
    }

    /// The node `id`, if the tree has it.
    fn find(&self, id: i64) -> Option<&Node> {
        self.nodes.iter().find(|node| node.id == id)
    }

    /// Whether some node names `id` as its parent.
    fn has_children(&self, id: i64) -> bool {
        self.nodes.iter().any(|node| node.parent == Some(id))
    }

    /// The category, or `NOT_FOUND`.
    fn category(&self, id: i64) -> Result<&Node, Fail> {
        self.find(id)
            .ok_or_else(|| Fail::not_found(format!("존재하지 않는 카테고리입니다. ({id})")))
    }

    /// The template, or `NOT_FOUND`.
    fn template(&self, id: i64) -> Result<&Template, Fail> {
        self.templates
            .iter()
            .find(|template| template.id == id)
            .ok_or_else(|| {
                Fail::not_found(format!("존재하지 않는 상품 제약 조건 템플릿입니다. ({id})"))
            })
    }

    /// The template of a leaf. An inner category has none: the API wants a leaf here.
    fn leaf_template(&self, node: &Node) -> Result<&Template, Fail> {
        match node.template {
            Some(template) if self.is_leaf(node.id) => self.template(template),
            _ => Err(Fail::bad_request(format!(
                "최하위 카테고리가 아닙니다. 하위 카테고리를 선택해 주세요. ({})",
                node.id
            ))),
        }
    }

    /// CAT-02's answer for leaf `category_id`: `NOT_FOUND` for an unknown category,
    /// `BAD_REQUEST` for an inner one.
    pub(crate) fn leaf_templates(
        &self,
        category_id: i64,
    ) -> Result<CategoryConstraintTemplates, Fail> {
        let node = self.category(category_id)?;
        let template = self.leaf_template(node)?;
        Ok(CategoryConstraintTemplates {
            category_name: Some(node.name.to_string()),
            category_sales_options: template.options.iter().map(SalesOption::view).collect(),
            category_search_options: Some(Vec::new()),
            product_notice_info_template_types: texts(template.notice_codes),
        })
    }

    /// The category as the API shows it.
    fn view(&self, node: &Node) -> Category {
        Category {
            id: Some(node.id),
            name: Some(node.name.to_string()),
            level: Some(node.level),
            parent_id: node.parent,
            is_leaf: Some(!self.has_children(node.id)),
            policy: Some(Map::new()),
        }
    }
}

impl SalesOption {
    /// The group as CAT-02 shows it. `isOption` follows the live answers: `false` on the
    /// required groups, `true` on the one-of groups.
    fn view(&self) -> CategorySalesOption {
        CategorySalesOption {
            key: Some(self.key.to_string()),
            is_option: Some(self.one_of),
            is_one_of_required_group: Some(self.one_of),
            value_candidates: self.candidates.map(texts),
            unit_values: self.units.map(texts),
        }
    }

    /// The group as a rule of CAT-03's undocumented payload.
    fn rule(&self) -> Value {
        json!({
            "key": self.key,
            "required": !self.one_of,
            "isOneOfRequiredGroup": self.one_of,
            "unitValues": self.units,
        })
    }
}

/// Owned copies of a static text list, for the generated types.
fn texts(values: &[&str]) -> Vec<String> {
    values.iter().map(|value| value.to_string()).collect()
}

impl crate::api::serve::Categories for Shop {
    /// CAT-02: the template of a leaf; `NOT_FOUND` for an unknown category, `BAD_REQUEST` for an inner one.
    fn get_category_constraint_templates(
        &mut self,
        _call: &Call,
        category_id: i64,
    ) -> Result<CategoryConstraintTemplates, Fail> {
        self.categories.leaf_templates(category_id)
    }

    /// CAT-03: a template by its id (undocumented payload: id, name, rules, notice codes).
    fn get_product_constraint_template(
        &mut self,
        _call: &Call,
        template_id: i64,
    ) -> Result<Map<String, Value>, Fail> {
        let template = self.categories.template(template_id)?;
        let rules: Vec<Value> = template.options.iter().map(SalesOption::rule).collect();
        let mut payload = Map::new();
        payload.insert("templateId".into(), json!(template.id));
        payload.insert("name".into(), json!(template.name));
        payload.insert("rules".into(), Value::Array(rules));
        payload.insert(
            "productNoticeInfoTemplateTypes".into(),
            json!(template.notice_codes),
        );
        Ok(payload)
    }

    /// CAT-01: the top level without `id`, the children of `id` otherwise (none for a leaf).
    fn list_child_categories(&mut self, call: &Call) -> Result<ChildCategories, Fail> {
        let tree = &self.categories;
        let parent = match call.query::<i64>("id")? {
            Some(id) => Some(tree.category(id)?.id),
            None => None,
        };
        let items = tree
            .nodes
            .iter()
            .filter(|node| node.parent == parent)
            .map(|node| tree.view(node))
            .collect();
        Ok(ChildCategories { items })
    }
}
