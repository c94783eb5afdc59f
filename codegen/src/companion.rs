//! The companion module emitted next to progenitor's output, from the same spec: the table of
//! per-operation vendor facts, one `IntoFuture` impl per builder (so `builder.await` yields
//! `Result<Payload, Error>` with nothing hand-written per operation), one payload decoder per
//! operation, and the registry of open enums.

use heck::ToPascalCase;
use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use super::spec::{OpenEnum, Operation, Pagination, Param, TYPES_PATH};

/// The `operations` module.
pub fn tokens(
    operations: &[Operation],
    open_enums: &[OpenEnum],
    product_body_schemas: TokenStream,
) -> Result<TokenStream, String> {
    let mut entries = Vec::new();
    let mut impls = Vec::new();
    let mut decoders = Vec::new();
    let mut body_checks = Vec::new();
    for (index, op) in operations.iter().enumerate() {
        entries.push(meta_entry(op));
        let builder = format_ident!("{}", op.builder_type());
        let payload: syn::Type =
            syn::parse_str(&op.payload).map_err(|e| format!("payload type {}: {e}", op.payload))?;
        let doc = "Sends the request; resolves to the payload or a typed [`crate::Error`].";
        let checked_body = super::product_body::checked_body_method(op)?;
        impls.push(quote! {
            impl<'a> crate::call::Operation<'a> for super::builder::#builder<'a> {
                type Payload = #payload;
                fn meta() -> &'static OperationMeta {
                    &OPERATIONS[#index]
                }
                fn client(&self) -> &'a super::Client {
                    self.client_ref()
                }
                fn build_request(
                    self,
                ) -> ::std::result::Result<::reqwest::Request, ::progenitor_client::Error<()>> {
                    self.into_request().map(|(_, request)| request)
                }
                #checked_body
            }
            impl<'a> ::std::future::IntoFuture for super::builder::#builder<'a> {
                type Output = ::std::result::Result<#payload, crate::Error>;
                type IntoFuture = crate::call::CallFuture<'a, #payload>;
                #[doc = #doc]
                fn into_future(self) -> Self::IntoFuture {
                    crate::call::Call::new(self).into_future()
                }
            }
        });
        decoders.push(quote!(crate::call::decode_answer::<#payload>));
        body_checks.push(body_check(op)?);
    }
    let count = operations.len();
    let registry = open_enum_registry(open_enums)?;
    let enum_count = open_enums.len();
    Ok(quote! {
        /// What the spec says about each operation, sorted by `operation_id`.
        pub mod operations {
            use crate::operation::{
                Confidence, OperationMeta, Paginated, Pagination, Param, ParamKind,
                ParamLocation, RateLimitClass, RetrySafety,
            };

            /// Every operation in the spec, sorted by `operation_id` (the snake_case Rust name).
            pub static OPERATIONS: [OperationMeta; #count] = [ #(#entries),* ];

            /// Decodes a whole answer of each operation (same order as [`OPERATIONS`]).
            #[cfg(feature = "wire-checks")]
            pub(crate) static DECODERS: [crate::call::AnswerDecoder; #count] = [ #(#decoders),* ];

            /// Checks a request body of each operation that takes one (same order).
            #[cfg(feature = "wire-checks")]
            pub(crate) static BODY_CHECKS: [::std::option::Option<crate::invalid::BodyCheck>; #count] =
                [ #(#body_checks),* ];

            /// Every open enum of the spec.
            pub static OPEN_ENUMS: [crate::open_enum::OpenEnumMeta; #enum_count] = [ #(#registry),* ];

            #(#impls)*

            #product_body_schemas
        }
    })
}

/// The check of an operation's request body: through the generated type and its builder (so
/// the count rules apply), or as any JSON object for a free-form body.
fn body_check(op: &Operation) -> Result<TokenStream, String> {
    Ok(match op.request_body.as_deref() {
        None => quote!(::std::option::Option::None),
        Some("FreeFormObject") => quote!(::std::option::Option::Some(
            crate::invalid::check_free_form_body
        )),
        Some(schema) => {
            let body: syn::Type = syn::parse_str(&format!("{TYPES_PATH}::{schema}"))
                .map_err(|e| format!("body type {schema}: {e}"))?;
            let builder: syn::Type = syn::parse_str(&format!("{TYPES_PATH}::builder::{schema}"))
                .map_err(|e| format!("body builder {schema}: {e}"))?;
            quote!(::std::option::Option::Some(
                crate::invalid::check_body::<#body, #builder>
            ))
        }
    })
}

fn meta_entry(op: &Operation) -> TokenStream {
    let variant = |value: &str| format_ident!("{}", value.to_pascal_case());
    let (reference_id, operation_id, method, path, tag, summary) = (
        &op.reference_id,
        op.rust_method(),
        &op.method,
        &op.path,
        &op.tag,
        &op.summary,
    );
    let confidence = variant(&op.confidence);
    let rate_limit = variant(&op.rate_limit);
    let retry = variant(&op.retry);
    let pagination = paginated(&op.pagination);
    let window = option(op.max_window_days.map(|d| quote!(#d)));
    let timeout = option(
        op.timeout_seconds
            .map(|s| quote!(::std::time::Duration::from_secs(#s))),
    );
    let empty_success = op.empty_success;
    let request_body = option(op.request_body.as_ref().map(|b| quote!(#b)));
    let params = op.params.iter().map(param_entry);
    let date_window = super::window::meta_tokens(op.window.as_ref());
    quote! {
        OperationMeta {
            reference_id: #reference_id,
            operation_id: #operation_id,
            method: #method,
            path: #path,
            tag: #tag,
            summary: #summary,
            confidence: Confidence::#confidence,
            rate_limit: RateLimitClass::#rate_limit,
            pagination: #pagination,
            retry: RetrySafety::#retry,
            max_window_days: #window,
            window: #date_window,
            timeout: #timeout,
            empty_success: #empty_success,
            request_body: #request_body,
            params: &[#(#params),*],
        }
    }
}

fn param_entry(param: &Param) -> TokenStream {
    let (name, required, description) = (&param.name, param.required, &param.description);
    let location = match param.location.as_str() {
        "path" => quote!(ParamLocation::Path),
        _ => quote!(ParamLocation::Query),
    };
    let kind = match param.kind.as_str() {
        "integer" => quote!(ParamKind::Integer),
        "date" => quote!(ParamKind::Date),
        "enum" => {
            let values = &param.values;
            quote!(ParamKind::OneOf(&[#(#values),*]))
        }
        _ => quote!(ParamKind::Text),
    };
    let pattern = option(param.pattern.as_ref().map(|p| quote!(#p)));
    quote! {
        Param {
            name: #name,
            location: #location,
            required: #required,
            kind: #kind,
            pattern: #pattern,
            description: #description,
        }
    }
}

fn paginated(paging: &Pagination) -> TokenStream {
    if paging.style == "none" {
        return quote!(Paginated::NONE);
    }
    let style = format_ident!("{}", paging.style.to_pascal_case());
    let name = |value: &Option<String>| option(value.as_ref().map(|v| quote!(#v)));
    let (input_token, output_token, items, page_size, has_next) = (
        name(&paging.input_token),
        name(&paging.output_token),
        name(&paging.items),
        name(&paging.page_size),
        name(&paging.has_next),
    );
    let resend_filters = paging.resend_filters;
    quote! {
        Paginated {
            style: Pagination::#style,
            input_token: #input_token,
            output_token: #output_token,
            items: #items,
            page_size: #page_size,
            has_next: #has_next,
            resend_filters: #resend_filters,
        }
    }
}

fn open_enum_registry(open_enums: &[OpenEnum]) -> Result<Vec<TokenStream>, String> {
    open_enums
        .iter()
        .map(|open| {
            let name = &open.name;
            let path: syn::Type = syn::parse_str(&format!("{TYPES_PATH}::{name}"))
                .map_err(|e| format!("open enum {name}: {e}"))?;
            Ok(quote! {
                crate::open_enum::OpenEnumMeta {
                    name: #name,
                    values: <#path>::VALUES,
                    probe: crate::open_enum::probe::<#path>,
                }
            })
        })
        .collect()
}

fn option(value: Option<TokenStream>) -> TokenStream {
    match value {
        Some(v) => quote!(::std::option::Option::Some(#v)),
        None => quote!(::std::option::Option::None),
    }
}
