//! What the checks report: each problem ([`Finding`]) with its JSON path, the [`Rule`] it
//! breaks and how sure we are of that rule ([`Severity`]); all of them together
//! ([`Validation`]); and the refusal to send ([`Refusal`]), shaped like the vendor's
//! `INVALID_REQUEST`.

use std::collections::BTreeMap;
use std::fmt;

use crate::error::Reason;
use crate::invalid::Problem;

/// How sure we are of a rule, from the evidence for it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Severity {
    /// A rule the vendor documents or that was observed against the live API: the API
    /// refuses the body. Errors stop the request before it is sent.
    Error,
    /// A rule we only suspect (one integrator's word, sources that disagree, or an outcome of
    /// inspection rather than of the call), or a consequence worth knowing. Warnings never
    /// stop a request.
    Warning,
}

/// The rule a [`Finding`] is about. `docs/products.md` lists each with its evidence.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[non_exhaustive]
pub enum Rule {
    /// The spec's own rules for the body: required fields, types, patterns, lengths, counts,
    /// ranges and allowed values.
    Schema,
    /// A field the request schema does not have (such as `isSoldOut`); the API may ignore it
    /// or refuse it.
    UnknownField,
    /// Exactly one stock has `isMainPrice: true`.
    OneMainPrice,
    /// A stock's `salePrice` is at most its `originPrice`.
    SalePriceAboveList,
    /// Prices are at least 1 won.
    PriceAtLeastOne,
    /// At least one `THUMBNAIL` image.
    Thumbnail,
    /// At least one `DESCRIPTION` image or a `DESCRIPTION_HTML`.
    Description,
    /// Description images and description HTML are not sent together.
    DescriptionImageOrHtml,
    /// A `DESCRIPTION_HTML` carries its markup in `html`, not in `url`.
    HtmlInHtml,
    /// Every image but `DESCRIPTION_HTML` has a `url`.
    ImageUrl,
    /// Thumbnails are not GIF images (inspection rejects them).
    GifThumbnail,
    /// At most 10 search keywords (one integrator's cap; the vendor documents no maximum).
    KeywordCount,
    /// The brand name avoids the banned words (없음, 중국, 기타, OEM, 협력사).
    BrandBannedWord,
    /// Every notice item has content (blank content fails the call).
    NoticeContent,
    /// At most one one-of (택1) option group per stock, told by the `(택1)` prefix of the
    /// group name when no category rules are given.
    OneOfPrefix,
    /// `deliveryPolicy.preparationDays` is sent (required since 2026-03-03 unless the
    /// product ships the same day).
    PreparationDays,
    /// A `CONDITIONALLY_FREE` delivery fee comes with its `minimumPurchasePrice`.
    MinimumPurchasePrice,
    /// A replacement carries `exposure.description`.
    DescriptionOnReplace,
    /// A replacement's stock without `id` and `itemId` becomes a new item with new ids.
    NewItemIds,
    /// The category rules given are for the body's `categoryId`.
    RulesCategory,
    /// Every option group is one of the category template's groups.
    OptionGroup,
    /// Each stock uses one of the template's one-of (택1) groups.
    OneOfGroupMissing,
    /// Each stock uses at most one of the template's one-of (택1) groups.
    OneOfGroupTwice,
    /// Each stock uses every template group that is not a one-of group.
    RequiredGroup,
    /// A value of a group with units ends with one of them (`30포`, `90정`).
    UnitValue,
    /// `notice.categoryCode` is one the category's template allows.
    NoticeCode,
    /// `notice.items` has an entry for every item of the notice code.
    NoticeItems,
    /// Every `notice.items` entry names an item of the notice code.
    UnknownNoticeItem,
    /// No notice item is filled in twice.
    DuplicateNoticeItem,
}

impl Rule {
    /// How sure we are of the rule.
    pub fn severity(self) -> Severity {
        match self {
            Self::Schema
            | Self::OneMainPrice
            | Self::SalePriceAboveList
            | Self::Description
            | Self::DescriptionImageOrHtml
            | Self::HtmlInHtml
            | Self::ImageUrl
            | Self::NoticeContent
            | Self::RulesCategory
            | Self::OptionGroup
            | Self::OneOfGroupMissing
            | Self::OneOfGroupTwice
            | Self::RequiredGroup
            | Self::UnitValue
            | Self::NoticeCode
            | Self::NoticeItems => Severity::Error,
            Self::UnknownField
            | Self::PriceAtLeastOne
            | Self::Thumbnail
            | Self::GifThumbnail
            | Self::KeywordCount
            | Self::BrandBannedWord
            | Self::OneOfPrefix
            | Self::PreparationDays
            | Self::MinimumPurchasePrice
            | Self::DescriptionOnReplace
            | Self::NewItemIds
            | Self::UnknownNoticeItem
            | Self::DuplicateNoticeItem => Severity::Warning,
        }
    }
}

/// One problem with a body: where, which rule, and what is wrong.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct Finding {
    /// Where in the body, as a JSON path in the vendor's style: `stocks[3].salePrice`,
    /// `exposure.searchKeywords[1]`, `images`. Empty for the body as a whole.
    pub path: String,
    /// The rule it breaks.
    pub rule: Rule,
    /// How sure we are of that rule.
    pub severity: Severity,
    /// What is wrong, in English.
    pub message: String,
    /// For a [`Rule::Schema`] finding, the spec's rule it breaks.
    pub problem: Option<Problem>,
}

impl Finding {
    /// The finding's place as a JSON Pointer (`/stocks/3/salePrice`), for
    /// `serde_json::Value::pointer`.
    pub fn pointer(&self) -> String {
        let mut pointer = String::new();
        for segment in self.path.split('.').filter(|s| !s.is_empty()) {
            let (key, indexes) = segment.split_once('[').unwrap_or((segment, ""));
            push_token(&mut pointer, key);
            for index in indexes.split('[') {
                let index = index.trim_end_matches(']');
                if !index.is_empty() {
                    push_token(&mut pointer, index);
                }
            }
        }
        pointer
    }
}

fn push_token(pointer: &mut String, token: &str) {
    pointer.push('/');
    pointer.push_str(&token.replace('~', "~0").replace('/', "~1"));
}

impl fmt::Display for Finding {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.path.as_str() {
            "" => f.write_str(&self.message),
            path => write!(f, "{path}: {}", self.message),
        }
    }
}

/// A child (a field name or `[index]`) joined onto a parent path: `stocks` + `[3]`,
/// `stocks[3]` + `salePrice`.
pub(crate) fn join(parent: &str, child: &str) -> String {
    match (parent, child.starts_with('[')) {
        ("", _) | (_, true) => format!("{parent}{child}"),
        _ => format!("{parent}.{child}"),
    }
}

/// Everything the checks found in one body, errors and warnings, in the order found.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Validation {
    findings: Vec<Finding>,
}

impl Validation {
    /// Every finding, errors and warnings.
    pub fn findings(&self) -> &[Finding] {
        &self.findings
    }

    /// The findings that stop the request.
    pub fn errors(&self) -> impl Iterator<Item = &Finding> {
        self.of(Severity::Error)
    }

    /// The findings that do not stop the request.
    pub fn warnings(&self) -> impl Iterator<Item = &Finding> {
        self.of(Severity::Warning)
    }

    /// True when nothing stops the request (warnings may remain).
    pub fn is_ok(&self) -> bool {
        self.errors().next().is_none()
    }

    /// The errors as the vendor reports a refused request: field path → message, messages
    /// on one path joined by `; `.
    pub fn error_reason(&self) -> Reason {
        Reason::Fields(fields(self.errors()))
    }

    /// The warnings in the same field path → message shape.
    pub fn warning_reason(&self) -> Reason {
        Reason::Fields(fields(self.warnings()))
    }

    fn of(&self, severity: Severity) -> impl Iterator<Item = &Finding> {
        self.findings.iter().filter(move |f| f.severity == severity)
    }

    /// Adds a finding of `rule` at `path`.
    pub(crate) fn add(&mut self, rule: Rule, path: impl Into<String>, message: impl Into<String>) {
        self.findings.push(Finding {
            path: path.into(),
            rule,
            severity: rule.severity(),
            message: message.into(),
            problem: None,
        });
    }

    /// Adds a [`Rule::Schema`] finding (or a [`Rule::UnknownField`] one) for a spec rule.
    pub(crate) fn add_problem(&mut self, rule: Rule, path: String, problem: Problem) {
        self.findings.push(Finding {
            path,
            rule,
            severity: rule.severity(),
            message: problem.to_string(),
            problem: Some(problem),
        });
    }
}

fn fields<'a>(findings: impl Iterator<Item = &'a Finding>) -> BTreeMap<String, String> {
    let mut map: BTreeMap<String, String> = BTreeMap::new();
    for finding in findings {
        map.entry(finding.path.clone())
            .and_modify(|message| {
                message.push_str("; ");
                message.push_str(&finding.message);
            })
            .or_insert_with(|| finding.message.clone());
    }
    map
}

/// A request the SDK did not send because its body breaks the product rules.
///
/// Its [`reason`](Self::reason) has the shape of the vendor's `INVALID_REQUEST` reason (field
/// path → message), so code that handles the vendor's refusals handles this one too.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct Refusal {
    /// The operation that was not sent (its Rust method name, e.g. `register_product`).
    pub operation: &'static str,
    /// The errors, field path → message.
    pub reason: Reason,
    /// Everything the checks found, warnings included.
    pub validation: Validation,
}

impl Refusal {
    /// A refusal of `operation` for the errors of `validation`.
    pub(crate) fn new(operation: &'static str, validation: Validation) -> Self {
        Self {
            operation,
            reason: validation.error_reason(),
            validation,
        }
    }
}

impl fmt::Display for Refusal {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let count = self.validation.errors().count();
        let problems = if count == 1 { "problem" } else { "problems" };
        write!(
            f,
            "{} was not sent: the body has {count} {problems}: {}",
            self.operation, self.reason
        )
    }
}

impl std::error::Error for Refusal {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_become_json_pointers() {
        let mut validation = Validation::default();
        validation.add(Rule::SalePriceAboveList, "stocks[3].salePrice", "too high");
        validation.add(Rule::Thumbnail, "images", "none");
        validation.add(Rule::Schema, "", "not an object");
        let pointers: Vec<String> = validation.findings().iter().map(Finding::pointer).collect();
        assert_eq!(pointers, ["/stocks/3/salePrice", "/images", ""]);
    }

    #[test]
    fn errors_become_the_vendors_field_map_and_warnings_stay_apart() {
        let mut validation = Validation::default();
        validation.add(Rule::OneMainPrice, "stocks", "two main prices");
        validation.add(Rule::SalePriceAboveList, "stocks", "and more");
        validation.add(Rule::KeywordCount, "exposure.searchKeywords", "many");
        assert!(!validation.is_ok());
        let Reason::Fields(errors) = validation.error_reason() else {
            panic!("a field map");
        };
        assert_eq!(errors["stocks"], "two main prices; and more");
        assert!(!errors.contains_key("exposure.searchKeywords"));
        assert_eq!(validation.warnings().count(), 1);
        let refusal = Refusal::new("register_product", validation);
        assert!(refusal.to_string().contains("2 problems"), "{refusal}");
    }

    #[test]
    fn paths_join_fields_and_indexes() {
        assert_eq!(join("", "name"), "name");
        assert_eq!(join("stocks", "[3]"), "stocks[3]");
        assert_eq!(join("stocks[3]", "salePrice"), "stocks[3].salePrice");
    }
}
