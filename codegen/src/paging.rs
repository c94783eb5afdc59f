//! `.pages()` and `.stream()` on every paged operation's request builder, from its
//! `x-toss-pagination` object.
//!
//! The generated glue only names things: the payload and item types, the setter that takes the
//! cursor, and the payload fields holding the next cursor, `hasNext` and the items. The pager
//! itself is hand-written once, generically, in `src/paging.rs`. `.stream()` is generated only
//! where the spec names the payload's items property; where it names no response cursor,
//! the pager reads the first page only (see `src/paging.rs`).

use heck::ToSnakeCase;
use proc_macro2::TokenStream;
use quote::{format_ident, quote};
use serde_json::Value;

use super::spec::{Operation, TYPES_PATH, payload_type};

/// The glue for every paged operation, as one private module of the generated file.
pub fn tokens(spec: &Value, operations: &[Operation]) -> Result<TokenStream, String> {
    let mut impls = Vec::new();
    for (index, op) in operations.iter().enumerate() {
        if op.pagination.style != "none" {
            impls.push(glue(spec, op, index)?);
        }
    }
    Ok(quote! {
        /// `.pages()` and `.stream()` for every paged operation (see [`crate::paging`]).
        mod paged {
            #(#impls)*
        }
    })
}

/// The `Paged` (and, with documented items, `PagedItems`) impl and the two methods of one
/// operation's builder. `index` is the operation's place in `OPERATIONS`.
fn glue(spec: &Value, op: &Operation, index: usize) -> Result<TokenStream, String> {
    let at = format!("{} {}", op.method, op.path);
    let paging = &op.pagination;
    if paging.style == "page-number" {
        return Err(format!(
            "{at}: page-number paging has no pager yet (the pager follows cursors)"
        ));
    }
    if !paging.resend_filters {
        return Err(format!(
            "{at}: x-toss-pagination.resend-filters false is not supported: the pager re-sends \
             the first request, filters included, with only the cursor changed"
        ));
    }
    let input = paging
        .input_token
        .as_deref()
        .ok_or_else(|| format!("{at}: a paged operation needs `input-token`"))?;
    let setter = field(&at, input)?;
    let builder = format_ident!("{}", op.builder_type());
    let page: syn::Type =
        syn::parse_str(&op.payload).map_err(|e| format!("{at}: payload {}: {e}", op.payload))?;

    let read = |name: &Option<String>| name.as_deref().map(|n| field(&at, n)).transpose();
    let (cursor, has_next, items) = (
        read(&paging.output_token)?,
        read(&paging.has_next)?,
        read(&paging.items)?,
    );
    let reads_page = cursor.is_some() || has_next.is_some() || items.is_some();
    let page_arg = if reads_page {
        format_ident!("page")
    } else {
        format_ident!("_page")
    };
    let none = quote!(::std::option::Option::None);
    let cursor_fact = cursor.as_ref().map_or_else(
        || none.clone(),
        |f| quote!(crate::paging::CursorField::cursor(&page.#f)),
    );
    let has_next_fact = has_next.as_ref().map_or_else(
        || none.clone(),
        |f| quote!(::std::option::Option::<bool>::from(page.#f)),
    );
    let items_fact = items.as_ref().map_or_else(
        || none.clone(),
        |f| quote!(::std::option::Option::Some(page.#f.len())),
    );

    let mut out = quote! {
        impl<'a> crate::paging::sealed::Sealed for super::builder::#builder<'a> {}

        impl<'a> crate::paging::Paged for super::builder::#builder<'a> {
            type Page = #page;
            type Fetch = crate::call::CallFuture<'a, #page>;

            fn operation() -> &'static crate::operation::OperationMeta {
                &super::operations::OPERATIONS[#index]
            }

            fn fetch(self) -> Self::Fetch {
                ::std::future::IntoFuture::into_future(self)
            }

            fn with_cursor(self, cursor: crate::paging::Cursor) -> Self {
                self.#setter(cursor)
            }

            fn page_facts(#page_arg: &Self::Page) -> crate::paging::PageFacts {
                crate::paging::PageFacts {
                    cursor: #cursor_fact,
                    has_next: #has_next_fact,
                    items: #items_fact,
                }
            }
        }
    };

    let pages_doc = pages_doc(op);
    let mut methods = vec![quote! {
        #[doc = #pages_doc]
        pub fn pages(self) -> crate::paging::Pages<Self> {
            crate::paging::Pages::new(self)
        }
    }];
    if let (Some(items_field), Some(items_name)) = (&items, &paging.items) {
        let item = item_type(spec, op, items_name)?;
        let item_type: syn::Type =
            syn::parse_str(&item).map_err(|e| format!("{at}: item type {item}: {e}"))?;
        out.extend(quote! {
            impl<'a> crate::paging::PagedItems for super::builder::#builder<'a> {
                type Item = #item_type;

                fn into_items(page: Self::Page) -> ::std::vec::Vec<Self::Item> {
                    page.#items_field
                }
            }
        });
        let stream_doc = stream_doc(op, items_name);
        methods.push(quote! {
            #[doc = #stream_doc]
            pub fn stream(self) -> crate::paging::Items<Self> {
                crate::paging::Items::new(self)
            }
        });
    }
    out.extend(quote! {
        impl<'a> super::builder::#builder<'a> {
            #(#methods)*
        }
    });
    Ok(out)
}

/// The Rust name typify and progenitor give a property or parameter (`nextToken` →
/// `next_token`); names that would need escaping are refused rather than guessed.
fn field(at: &str, name: &str) -> Result<syn::Ident, String> {
    syn::parse_str(&name.to_snake_case()).map_err(|_| {
        format!("{at}: x-toss-pagination name `{name}` gives no plain Rust field or setter name")
    })
}

/// The Rust type of one element of the payload's items property, which must be an array of a
/// named schema.
fn item_type(spec: &Value, op: &Operation, items: &str) -> Result<String, String> {
    let at = format!("{} {}", op.method, op.path);
    let schema = op
        .payload
        .strip_prefix(&format!("{TYPES_PATH}::"))
        .ok_or_else(|| format!("{at}: a free-form payload documents no items"))?;
    let reference = spec
        .pointer(&format!(
            "/components/schemas/{schema}/properties/{items}/items/$ref"
        ))
        .and_then(Value::as_str)
        .ok_or_else(|| {
            format!("{at}: paged items `{schema}.{items}` must be an array of a named schema")
        })?;
    let name = reference
        .strip_prefix("#/components/schemas/")
        .ok_or_else(|| format!("{at}: unsupported reference {reference}"))?;
    Ok(payload_type(name))
}

/// How the next page is reached, in words, for the docs of `.pages()`.
fn pages_doc(op: &Operation) -> String {
    let paging = &op.pagination;
    let input = paging.input_token.as_deref().unwrap_or_default();
    let kept = match &paging.page_size {
        Some(size) => format!("filters and `{size}` kept"),
        None => "filters kept".to_string(),
    };
    let Some(output) = &paging.output_token else {
        return format!(
            "The first page of this list as a [`Pages`](crate::paging::Pages) stream.\n\n\
             The vendor does not document how an answer points to the next page, so the \
             stream yields this request's page and then, if asked for more, ends with \
             [`PagingError::UndocumentedCursor`](crate::paging::PagingError::UndocumentedCursor) \
             instead of guessing (an empty first page just ends it). `.max_pages(1)` reads the \
             first page without the error; to read further, set `{input}` yourself on a new \
             request."
        );
    };
    let last = match &paging.has_next {
        Some(has_next) => format!("`{has_next}` is false or a page has no `{output}`"),
        None => format!("a page has no `{output}`"),
    };
    format!(
        "Every page of this list as a [`Pages`](crate::paging::Pages) stream of payloads.\n\n\
         Sends this request, then for each later page a clone of it ({kept}) with `{input}` \
         set to the previous page's `{output}`, until {last}. A repeated cursor or an empty page that says more \
         follow ends the stream with [`Error::Paging`](crate::Error::Paging); a failed page is \
         yielded and ends it. [`max_pages`](crate::paging::Pages::max_pages) stops earlier. \
         See [`crate::paging`]."
    )
}

/// The docs of `.stream()`.
fn stream_doc(op: &Operation, items: &str) -> String {
    let more = if op.pagination.output_token.is_some() {
        "Pages are requested as by [`pages`](Self::pages)"
    } else {
        "Only the first page can be read (see [`pages`](Self::pages))"
    };
    format!(
        "Every item (`{items}`) of every page of this list as an \
         [`Items`](crate::paging::Items) stream.\n\n\
         Items are handed out of the current page, and the next page is requested only once \
         it is drained, so at most one page is held in memory. {more}; \
         [`max_items`](crate::paging::Items::max_items) stops after that many items."
    )
}

#[cfg(test)]
mod tests {
    use super::super::spec;
    use super::*;

    fn real_spec() -> Value {
        let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../spec/toss-shopping.yaml");
        let text = std::fs::read_to_string(path).expect("spec readable");
        serde_norway::from_str(&text).expect("YAML")
    }

    fn generated(spec: &Value) -> Result<String, String> {
        let envelopes = spec::envelope_payloads(spec).expect("envelopes");
        let operations = spec::operations(spec, &envelopes).expect("operations");
        tokens(spec, &operations).map(|t| t.to_string())
    }

    /// Builder names with a generated method `name`.
    fn with_method(code: &str, name: &str) -> Vec<String> {
        let marker = format!("pub fn {name} (self)");
        code.split("impl < 'a > super :: builder :: ")
            .filter(|block| block.contains(&marker))
            .filter_map(|block| block.split(' ').next().map(str::to_string))
            .collect()
    }

    #[test]
    fn every_paged_operation_gets_pages_and_documented_items_get_stream() {
        let code = generated(&real_spec()).expect("glue");
        let pages = with_method(&code, "pages");
        assert_eq!(pages.len(), 9, "{pages:?}");
        let streams = with_method(&code, "stream");
        assert_eq!(streams.len(), 8, "{streams:?}");
        assert!(!streams.contains(&"ListPenaltyImpositions".to_string()));
        assert!(pages.contains(&"ListPenaltyImpositions".to_string()));
        assert!(streams.contains(&"ListItemsGroupedByProducts".to_string()));
    }

    #[test]
    fn cursor_setters_and_fields_come_from_the_spec() {
        let code = generated(&real_spec()).expect("glue");
        assert!(code.contains("self . cursor_item_id (cursor)"), "{code}");
        assert!(code.contains("CursorField :: cursor (& page . next_cursor)"));
        assert!(code.contains("type Item = crate :: api :: types :: OrderProduct ;"));
    }

    #[test]
    fn paging_without_resent_filters_is_refused() {
        let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../spec/toss-shopping.yaml");
        let text = std::fs::read_to_string(path).expect("spec readable");
        let edited = text.replacen("resend-filters: true", "resend-filters: false", 1);
        let spec: Value = serde_norway::from_str(&edited).expect("YAML");
        let error = generated(&spec).expect_err("refused");
        assert!(
            error.contains("resend-filters false is not supported"),
            "{error}"
        );
    }
}
