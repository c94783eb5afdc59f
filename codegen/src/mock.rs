//! The generated half of `toss_shopping::mock` (the `mock` feature): per operation, a typed
//! parameter matcher and a constructor returning `OperationMock<params::X>`, whose payload
//! and body types are the operation's own. Everything generic (matching, answering,
//! mounting) is hand-written in `src/mock/` and reads the operations table.
//!
//! The matcher's setters take the same types as the request builder's setters, read from
//! progenitor's own builder structs, so a mock cannot ask for a value the client would send
//! differently.

use std::collections::BTreeMap;

use heck::ToSnakeCase;
use proc_macro2::TokenStream;
use quote::{format_ident, quote};
use syn::{Fields, GenericArgument, Item, PathArguments, Type};

use super::spec::{FREE_FORM_TYPE, Operation, TYPES_PATH};

/// The `mocks` module, compiled only with the `mock` feature.
pub fn tokens(operations: &[Operation], client: &syn::File) -> Result<TokenStream, String> {
    let builders = builder_fields(client)?;
    let mut structs = Vec::new();
    let mut constructors = Vec::new();
    let mut erased = Vec::new();
    for (index, op) in operations.iter().enumerate() {
        let fields = builders
            .get(&op.builder_type())
            .ok_or_else(|| format!("mock: no builder struct {}", op.builder_type()))?;
        structs.push(params_struct(op, index, fields)?);
        let (constructor, name) = constructor(op);
        constructors.push(constructor);
        erased.push(quote!(#name().erase()));
    }
    let count = operations.len();
    Ok(quote! {
        /// Typed mocks of every operation; re-exported as `toss_shopping::mock`.
        #[cfg(feature = "mock")]
        pub mod mocks {
            use crate::mock::{AnyOperationMock, OperationMock};

            /// What a mock of each operation can match: its path and query parameters, set
            /// with the same names and types as on the operation's request builder.
            pub mod params {
                use crate::api::types;

                #(#structs)*
            }

            #(#constructors)*

            /// A mock of every operation, untyped, in the order of
            /// [`operations()`](crate::operations()).
            pub fn all() -> ::std::vec::Vec<AnyOperationMock> {
                let all: [AnyOperationMock; #count] = [ #(#erased),* ];
                all.into()
            }
        }
    })
}

/// The constructor of one operation's mock, and its name.
fn constructor(op: &Operation) -> (TokenStream, syn::Ident) {
    let name = format_ident!("{}", op.rust_method());
    let params = format_ident!("{}", op.builder_type());
    let doc = format!(
        "A mock of `{}` ({} `{}`): {}",
        op.rust_method(),
        op.method,
        op.path,
        op.summary.trim()
    );
    let tokens = quote! {
        #[doc = #doc]
        pub fn #name() -> OperationMock<params::#params> {
            OperationMock::new()
        }
    };
    (tokens, name)
}

/// The parameter matcher of one operation and its `MockOperation` impl.
fn params_struct(
    op: &Operation,
    index: usize,
    builder: &BTreeMap<String, Type>,
) -> Result<TokenStream, String> {
    let name = format_ident!("{}", op.builder_type());
    let (mut fields, mut defaults, mut setters, mut pushes) =
        (Vec::new(), Vec::new(), Vec::new(), Vec::new());
    for param in &op.params {
        // progenitor escapes a keyword with a trailing underscore (`type` → `type_`).
        let snake = param.name.to_snake_case();
        let (field_name, ty) = [snake.clone(), format!("{snake}_")]
            .into_iter()
            .find_map(|name| Some((name.clone(), builder.get(&name)?)))
            .ok_or_else(|| {
                format!(
                    "mock: builder {} has no field {snake} for {}",
                    op.builder_type(),
                    param.name
                )
            })?;
        let field = format_ident!("{field_name}");
        let wire = &param.name;
        fields.push(quote!(#field: ::std::result::Result<::std::option::Option<#ty>, ::std::string::String>));
        defaults.push(quote!(#field: ::std::result::Result::Ok(::std::option::Option::None)));
        setters.push(setter(&field, wire, &param.location, ty));
        pushes.push(quote!(crate::mock::values::push(&mut values, #wire, &self.#field)?;));
    }
    let payload: Type =
        syn::parse_str(&op.payload).map_err(|e| format!("payload type {}: {e}", op.payload))?;
    let body = body_type(op.request_body.as_deref())?;
    let doc = format!(
        "The parameters a mock of `{}` can match (see [`{}`](super::{})).",
        op.rust_method(),
        op.rust_method(),
        op.rust_method()
    );
    let fields_tokens = if fields.is_empty() {
        quote!(;)
    } else {
        quote!({ #(#fields),* })
    };
    let default_tokens = if defaults.is_empty() {
        quote!(Self)
    } else {
        quote!(Self { #(#defaults),* })
    };
    Ok(quote! {
        #[doc = #doc]
        #[derive(Debug, Clone)]
        pub struct #name #fields_tokens

        impl ::std::default::Default for #name {
            fn default() -> Self {
                #default_tokens
            }
        }

        impl #name {
            #(#setters)*
        }

        impl crate::mock::MockOperation for #name {
            type Payload = #payload;
            type Body = #body;
            fn meta() -> &'static crate::operation::OperationMeta {
                &crate::api::operations::OPERATIONS[#index]
            }
            fn expected(&self) -> ::std::result::Result<crate::mock::values::Expected, ::std::string::String> {
                #[allow(unused_mut)]
                let mut values = crate::mock::values::Expected::new();
                #(#pushes)*
                ::std::result::Result::Ok(values)
            }
        }
    })
}

/// One setter, with the bounds of the request builder's setter for the same parameter.
fn setter(field: &syn::Ident, wire: &str, location: &str, ty: &Type) -> TokenStream {
    let doc = format!(
        "Matches only requests whose {location} parameter `{wire}` is this value, as the \
         request builder's `{field}` would send it."
    );
    let failure = format!("conversion for {field} failed: {{e}}");
    quote! {
        #[doc = #doc]
        pub fn #field<V>(mut self, value: V) -> Self
        where
            V: ::std::convert::TryInto<#ty>,
            V::Error: ::std::fmt::Display,
        {
            self.#field = value
                .try_into()
                .map(::std::option::Option::Some)
                .map_err(|e| format!(#failure));
            self
        }
    }
}

/// The request body type; `NoBody` (which has no values) for an operation without one, so `.body(..)` cannot
/// be called on its mock.
fn body_type(schema: Option<&str>) -> Result<Type, String> {
    let path = match schema {
        None => "crate::mock::NoBody".to_string(),
        Some("FreeFormObject") => FREE_FORM_TYPE.to_string(),
        Some(schema) => format!("{TYPES_PATH}::{schema}"),
    };
    syn::parse_str(&path).map_err(|e| format!("body type {path}: {e}"))
}

/// Every operation builder's fields, by builder name, with the value type each setter takes
/// (the field type without its `Result<Option<..>, String>` wrapping).
fn builder_fields(client: &syn::File) -> Result<BTreeMap<String, BTreeMap<String, Type>>, String> {
    let module = client
        .items
        .iter()
        .find_map(|item| match item {
            Item::Mod(m) if m.ident == "builder" => m.content.as_ref(),
            _ => None,
        })
        .ok_or("mock: progenitor's output has no `builder` module")?;
    let mut builders = BTreeMap::new();
    for item in &module.1 {
        let Item::Struct(s) = item else { continue };
        let Fields::Named(named) = &s.fields else {
            continue;
        };
        let fields = named
            .named
            .iter()
            .filter_map(|f| Some((f.ident.as_ref()?.to_string(), f.ty.clone())))
            .filter_map(|(name, ty)| Some((name, unwrap_value(&ty)?)))
            .collect();
        builders.insert(s.ident.to_string(), fields);
    }
    Ok(builders)
}

/// `Result<T, String>` or `Result<Option<T>, String>` → `T`.
fn unwrap_value(ty: &Type) -> Option<Type> {
    let inner = generic_argument(ty, "Result")?;
    Some(generic_argument(&inner, "Option").unwrap_or(inner))
}

/// The first type argument of `ty` when its last path segment is `name`.
fn generic_argument(ty: &Type, name: &str) -> Option<Type> {
    let Type::Path(path) = ty else { return None };
    let segment = path.path.segments.last()?;
    if segment.ident != name {
        return None;
    }
    let PathArguments::AngleBracketed(args) = &segment.arguments else {
        return None;
    };
    args.args.iter().find_map(|arg| match arg {
        GenericArgument::Type(t) => Some(t.clone()),
        _ => None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn builder_value_types_are_unwrapped() {
        let optional: Type = syn::parse_quote!(Result<Option<i32>, String>);
        let required: Type = syn::parse_quote!(Result<::chrono::naive::NaiveDate, String>);
        let unwrapped = unwrap_value(&optional).expect("optional");
        assert_eq!(quote!(#unwrapped).to_string(), "i32");
        let unwrapped = unwrap_value(&required).expect("required");
        assert_eq!(
            quote!(#unwrapped).to_string(),
            ":: chrono :: naive :: NaiveDate"
        );
    }
}
