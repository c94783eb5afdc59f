//! `x-toss-window`: the date window a list operation takes, read and checked from the spec,
//! and the code that lets `src/window.rs` walk a long date range one window at a time.
//!
//! ```yaml
//! x-toss-window: {max-days: 31, from: startDate, to: endDate, item-id: orderProductId}
//! ```
//!
//! `from` and `to` must be `format: date` query parameters of the operation, and `item-id` an
//! integer property of one item of the page's `items` (`x-toss-pagination.items`), so a typo
//! fails the build. For each windowed operation this emits the `WindowedRequest` impl (set the
//! window through the builder's public setters, take a window's items, key a row) and the
//! builder's `.windows(range)`, a thin call into the one hand-written `window::stream_items`.

use heck::ToSnakeCase;
use proc_macro2::TokenStream;
use quote::{format_ident, quote};
use serde_json::Value;

use super::spec::{Operation, OperationReader, Pagination};

/// An operation's `x-toss-window`, checked.
pub struct Window {
    /// The widest window the vendor accepts, in calendar days.
    pub max_days: u32,
    /// The query parameter taking the window's first day.
    pub from: String,
    /// The query parameter taking the window's last day.
    pub to: String,
    /// The item property that identifies a row; `None`: the whole row does.
    pub item_id: Option<String>,
    /// Whether every item carries `item_id` (it is `required`).
    pub item_id_required: bool,
    /// The item's schema, which is also its Rust type name (`OrderProduct`).
    pub item_type: String,
}

const KEYS: [&str; 4] = ["max-days", "from", "to", "item-id"];

/// Reads `x-toss-window` of one operation, checking every name against its query parameters
/// and its payload.
pub fn read(
    reader: &OperationReader<'_>,
    payload: &str,
    paging: &Pagination,
) -> Result<Option<Window>, String> {
    let at = &reader.at;
    if reader.op.get("x-toss-max-window-days").is_some() {
        return Err(format!(
            "{at}: x-toss-max-window-days is replaced by x-toss-window: {{max-days, from, to, item-id}}"
        ));
    }
    let Some(window) = reader.op.get("x-toss-window") else {
        return Ok(None);
    };
    let object = window
        .as_object()
        .ok_or_else(|| format!("{at}: x-toss-window must be an object"))?;
    if let Some(unknown) = object.keys().find(|k| !KEYS.contains(&k.as_str())) {
        return Err(format!(
            "{at}: x-toss-window has an unknown key `{unknown}`"
        ));
    }
    let max_days = object
        .get("max-days")
        .and_then(Value::as_u64)
        .and_then(|days| u32::try_from(days).ok())
        .filter(|days| *days >= 1)
        .ok_or_else(|| {
            format!("{at}: x-toss-window.max-days must be a whole number of days, at least 1")
        })?;
    let name = |key: &str| -> Result<Option<String>, String> {
        match object.get(key) {
            None => Ok(None),
            Some(Value::String(name)) => Ok(Some(name.clone())),
            Some(_) => Err(format!("{at}: x-toss-window.{key} must be a name")),
        }
    };
    let from = name("from")?.ok_or_else(|| format!("{at}: x-toss-window needs `from`"))?;
    let to = name("to")?.ok_or_else(|| format!("{at}: x-toss-window needs `to`"))?;
    if from == to {
        return Err(format!(
            "{at}: x-toss-window.from and .to are both `{from}`"
        ));
    }
    for (key, param) in [("from", &from), ("to", &to)] {
        date_parameter(reader, key, param)?;
    }
    let items = paging.items.clone().ok_or_else(|| {
        format!("{at}: x-toss-window needs x-toss-pagination.items (where a window's rows are)")
    })?;
    let (item_type, item) = item_schema(reader, payload, &items)?;
    let item_id = name("item-id")?;
    let mut item_id_required = false;
    if let Some(id) = &item_id {
        let property = item
            .get("properties")
            .and_then(|p| p.get(id))
            .ok_or_else(|| {
                format!("{at}: x-toss-window.item-id `{id}` is not a property of {item_type}")
            })?;
        if property.get("type").and_then(Value::as_str) != Some("integer") {
            return Err(format!(
                "{at}: x-toss-window.item-id `{id}` must be an integer"
            ));
        }
        item_id_required = item
            .get("required")
            .and_then(Value::as_array)
            .is_some_and(|required| required.iter().any(|r| r.as_str() == Some(id.as_str())));
    }
    Ok(Some(Window {
        max_days,
        from,
        to,
        item_id,
        item_id_required,
        item_type,
    }))
}

/// Fails unless `name` is a query parameter of the operation with `type: string, format: date`.
fn date_parameter(reader: &OperationReader<'_>, key: &str, name: &str) -> Result<(), String> {
    let at = &reader.at;
    for parameter in reader
        .op
        .get("parameters")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
    {
        let parameter = reader.resolve(parameter, "parameters")?;
        if parameter.get("in").and_then(Value::as_str) != Some("query")
            || parameter.get("name").and_then(Value::as_str) != Some(name)
        {
            continue;
        }
        let schema = parameter.get("schema").unwrap_or(&Value::Null);
        if schema.get("type").and_then(Value::as_str) == Some("string")
            && schema.get("format").and_then(Value::as_str) == Some("date")
        {
            return Ok(());
        }
        return Err(format!(
            "{at}: x-toss-window.{key} `{name}` must be a `format: date` string"
        ));
    }
    Err(format!(
        "{at}: x-toss-window.{key} `{name}` is not a query parameter"
    ))
}

/// The schema name and the schema of one item of the payload's `items` array.
fn item_schema<'r>(
    reader: &'r OperationReader<'_>,
    payload: &str,
    items: &str,
) -> Result<(String, &'r Value), String> {
    let at = &reader.at;
    let array = reader
        .payload_properties(payload)?
        .and_then(|properties| properties.get(items))
        .ok_or_else(|| format!("{at}: x-toss-window: `{items}` is not a payload property"))?;
    let reference = array
        .pointer("/items/$ref")
        .and_then(Value::as_str)
        .ok_or_else(|| {
            format!("{at}: x-toss-window: the items of `{items}` must reference a schema")
        })?;
    let name = reference
        .strip_prefix("#/components/schemas/")
        .ok_or_else(|| format!("{at}: unsupported reference {reference}"))?;
    let schema = reader
        .spec
        .pointer(&format!("/components/schemas/{name}"))
        .ok_or_else(|| format!("{at}: unknown schema {name}"))?;
    Ok((name.to_string(), schema))
}

/// The Rust name progenitor gives a parameter or property, checked to be a plain identifier.
fn rust_name(at: &str, name: &str) -> Result<syn::Ident, String> {
    syn::parse_str::<syn::Ident>(&name.to_snake_case())
        .map_err(|_| format!("{at}: x-toss-window: `{name}` needs a plain Rust name"))
}

/// The `crate::operation::DateWindow` literal of an operation's window, for the operations
/// table and the operation's `WindowedRequest::DATE_WINDOW` alike.
pub fn meta_tokens(window: Option<&Window>) -> TokenStream {
    let Some(window) = window else {
        return quote!(::std::option::Option::None);
    };
    let literal = date_window(window);
    quote!(::std::option::Option::Some(#literal))
}

fn date_window(window: &Window) -> TokenStream {
    let (max_days, from, to) = (window.max_days, &window.from, &window.to);
    let item_id = match &window.item_id {
        Some(id) => quote!(::std::option::Option::Some(#id)),
        None => quote!(::std::option::Option::None),
    };
    quote! {
        crate::operation::DateWindow {
            max_days: #max_days,
            from: #from,
            to: #to,
            item_id: #item_id,
        }
    }
}

/// The `windows` module: for each windowed operation, its `WindowedRequest` impl and the
/// builder's `.windows(range)`.
pub fn tokens(operations: &[Operation]) -> Result<TokenStream, String> {
    let mut impls = Vec::new();
    for op in operations {
        let Some(window) = &op.window else { continue };
        let at = op.rust_method();
        let builder = format_ident!("{}", op.builder_type());
        let item = format_ident!("{}", window.item_type);
        let date_window = date_window(window);
        let from = rust_name(&at, &window.from)?;
        let to = rust_name(&at, &window.to)?;
        let key = match &window.item_id {
            None => quote!(crate::window::RowKey::of_row(item)),
            Some(id) => {
                let field = rust_name(&at, id)?;
                let id = if window.item_id_required {
                    quote!(::std::option::Option::Some(item.#field))
                } else {
                    quote!(item.#field)
                };
                quote! {
                    crate::window::RowKey::of_id_or_row(#id.map(::std::primitive::i64::from), item)
                }
            }
        };
        let keyed_by = match &window.item_id {
            Some(id) => format!("keyed by `{id}`, or by its whole content when it has none"),
            None => "keyed by its whole content".to_string(),
        };
        let method_doc = format!(
            "Streams the items of every date window of `range`, in order.\n\n\
             The range is split into windows of at most {max} Korean calendar days, sent one \
             after the other as `{from}`..`{to}`; adjacent windows share their boundary date, \
             and a row that both return comes out once ({keyed_by}). Every other filter set on \
             this builder is sent with each window. The first error ends the stream.\n\n\
             Each window yields the rows of its first page only until the pagination streams \
             land; see [`crate::window`].",
            max = window.max_days,
            from = window.from,
            to = window.to,
        );
        impls.push(quote! {
            impl<'a> crate::window::WindowedRequest<'a> for super::builder::#builder<'a> {
                type Item = super::types::#item;

                const DATE_WINDOW: crate::operation::DateWindow = #date_window;

                fn with_window(self, window: crate::window::KstRange) -> Self {
                    self.#from(window.first()).#to(window.last())
                }

                fn window_items(self) -> crate::window::ItemStream<'a, Self::Item> {
                    // Every page of the window: the operation's pagination stream chains the
                    // cursor and re-sends the window's filters.
                    ::futures_util::StreamExt::boxed(self.stream())
                }

                fn row_key(item: &Self::Item) -> ::std::option::Option<crate::window::RowKey> {
                    #key
                }
            }

            impl<'a> super::builder::#builder<'a> {
                #[doc = #method_doc]
                pub fn windows(
                    self,
                    range: crate::window::KstRange,
                ) -> crate::window::WindowStream<'a, super::types::#item> {
                    crate::window::stream_items(self, range)
                }
            }
        });
    }
    Ok(quote! {
        /// Date windows: each windowed list's `WindowedRequest` impl and `.windows(range)`.
        mod windows {
            #(#impls)*
        }
    })
}

#[cfg(test)]
mod tests {
    use super::super::spec::tests::{operations_error, spec_with};
    use super::super::spec::{envelope_payloads, operations};

    #[test]
    fn the_real_spec_windows_three_lists() {
        let spec = spec_with("", "");
        let envelopes = envelope_payloads(&spec).expect("envelopes");
        let all = operations(&spec, &envelopes).expect("operations");
        let windows: Vec<_> = all
            .iter()
            .filter_map(|op| {
                let w = op.window.as_ref()?;
                Some((
                    op.operation_id.as_str(),
                    w.max_days,
                    w.from.as_str(),
                    w.to.as_str(),
                    w.item_id.as_deref(),
                    w.item_type.as_str(),
                ))
            })
            .collect();
        assert_eq!(
            windows,
            [
                (
                    "listClaims",
                    7,
                    "fromRequestDate",
                    "toRequestDate",
                    Some("id"),
                    "Claim"
                ),
                (
                    "listOrderProducts",
                    31,
                    "startDate",
                    "endDate",
                    Some("orderProductId"),
                    "OrderProduct"
                ),
                (
                    "listSettlementSteps",
                    31,
                    "fromDate",
                    "toDate",
                    None,
                    "SettlementLine"
                ),
            ]
        );
        for op in &all {
            let days = op.window.as_ref().map(|w| u64::from(w.max_days));
            assert_eq!(op.max_window_days, days, "{}", op.operation_id);
        }
    }

    fn refused(from: &str, to: &str, expected: &str) {
        let error = operations_error(&spec_with(from, to));
        assert!(error.contains(expected), "{error}");
    }

    #[test]
    fn a_window_parameter_that_is_no_query_parameter_fails() {
        refused(
            "from: startDate,",
            "from: startDat,",
            "x-toss-window.from `startDat` is not a query parameter",
        );
        refused(
            "to: toRequestDate,",
            "to: toRequestDat,",
            "x-toss-window.to `toRequestDat` is not a query parameter",
        );
    }

    #[test]
    fn a_window_parameter_must_be_a_date() {
        refused(
            "to: toRequestDate,",
            "to: orderIds,",
            "x-toss-window.to `orderIds` must be a `format: date` string",
        );
        refused(
            "to: toDate}",
            "to: fromDate}",
            "x-toss-window.from and .to are both `fromDate`",
        );
    }

    #[test]
    fn an_item_id_that_is_no_item_property_fails() {
        refused(
            "item-id: orderProductId}",
            "item-id: orderProductID}",
            "x-toss-window.item-id `orderProductID` is not a property of OrderProduct",
        );
        refused(
            "item-id: id}",
            "item-id: requestReason}",
            "x-toss-window.item-id `requestReason` must be an integer",
        );
    }

    #[test]
    fn a_malformed_window_fails() {
        refused("max-days: 7,", "max-day: 7,", "unknown key `max-day`");
        refused(
            "max-days: 7,",
            "max-days: 0,",
            "max-days must be a whole number",
        );
        refused(
            "x-toss-window: {max-days: 31, from: fromDate",
            "x-toss-max-window-days: 31\n      x-toss-window: {max-days: 31, from: fromDate",
            "x-toss-max-window-days is replaced by x-toss-window",
        );
    }

    #[test]
    fn a_window_needs_the_page_items() {
        refused(
            "        items: results\n        page-size: limit\n",
            "        page-size: limit\n",
            "x-toss-window needs x-toss-pagination.items",
        );
    }
}
