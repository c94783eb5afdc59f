//! The serving side of the spec, for the built-in local server (`src/local/`): one trait per
//! spec tag with one method per operation, taking the typed path parameters and request body
//! and returning the typed payload, plus the table that routes each operation to its method.
//!
//! The local server's state implements every trait, so the compiler refuses a server that
//! leaves an operation out, and the server answers in exactly the types the client decodes.

use std::collections::BTreeMap;

use heck::{ToPascalCase, ToSnakeCase};
use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use super::spec::{FREE_FORM_TYPE, Operation, TYPES_PATH};

/// The `serve` module, compiled only with the `local-server` feature.
pub fn tokens(operations: &[Operation]) -> Result<TokenStream, String> {
    let mut by_tag: BTreeMap<&str, Vec<TokenStream>> = BTreeMap::new();
    let mut handlers = Vec::new();
    for op in operations {
        let (signature, handler) = operation(op)?;
        by_tag.entry(op.tag.as_str()).or_default().push(signature);
        handlers.push(handler);
    }
    let traits = by_tag.iter().map(|(tag, methods)| {
        let name = format_ident!("{}", tag.to_pascal_case());
        let doc = format!("The operations of the spec tag `{tag}`.");
        quote! {
            #[doc = #doc]
            pub(crate) trait #name {
                #(#methods)*
            }
        }
    });
    let names: Vec<_> = by_tag
        .keys()
        .map(|tag| format_ident!("{}", tag.to_pascal_case()))
        .collect();
    let count = operations.len();
    Ok(quote! {
        /// The serving side of every operation, for the local server: one trait per spec tag,
        /// and the handler table that routes each operation to its trait method.
        #[cfg(feature = "local-server")]
        pub(crate) mod serve {
            use crate::local::{Call, Fail, Handler};

            #(#traits)*

            /// Every tag's trait: what a stand-in for the whole API implements.
            pub(crate) trait Api: #(#names)+* {}
            impl<T: #(#names)+*> Api for T {}

            /// The handler of each operation, in the order of `OPERATIONS`: it reads the typed
            /// path parameters and body out of the checked request, calls the tag's trait
            /// method and gives the payload back as JSON.
            pub(crate) fn handlers<S: Api>() -> [Handler<S>; #count] {
                [ #(#handlers),* ]
            }
        }
    })
}

/// The trait method's signature and the handler that calls it.
fn operation(op: &Operation) -> Result<(TokenStream, TokenStream), String> {
    let method = format_ident!("{}", op.rust_method());
    let tag = format_ident!("{}", op.tag.to_pascal_case());
    let payload: syn::Type =
        syn::parse_str(&op.payload).map_err(|e| format!("payload type {}: {e}", op.payload))?;
    let mut args = Vec::new();
    let mut reads = Vec::new();
    let mut names = Vec::new();
    for param in op.params.iter().filter(|p| p.location == "path") {
        let arg = format_ident!("{}", param.name.to_snake_case());
        let ty = match param.kind.as_str() {
            "integer" => quote!(i64),
            _ => quote!(::std::string::String),
        };
        let wire = &param.name;
        args.push(quote!(#arg: #ty));
        reads.push(quote!(let #arg: #ty = call.path(#wire)?;));
        names.push(arg);
    }
    if let Some(schema) = &op.request_body {
        let ty: syn::Type =
            syn::parse_str(&body_type(schema)).map_err(|e| format!("body type {schema}: {e}"))?;
        args.push(quote!(body: #ty));
        reads.push(quote!(let body: #ty = call.body(body)?;));
        names.push(format_ident!("body"));
    } else {
        reads.push(quote!(let _ = body;));
    }
    let doc = format!("`{}` {}", op.reference_id, op.summary);
    let signature = quote! {
        #[doc = #doc]
        fn #method(&mut self, call: &Call, #(#args),*) -> ::std::result::Result<#payload, Fail>;
    };
    let handler = quote! {
        |state: &mut S, call: &Call, body: ::std::option::Option<::serde_json::Value>| {
            #(#reads)*
            let payload = <S as #tag>::#method(state, call, #(#names),*)?;
            call.payload(&payload)
        }
    };
    Ok((signature, handler))
}

fn body_type(schema: &str) -> String {
    if schema == "FreeFormObject" {
        FREE_FORM_TYPE.to_string()
    } else {
        format!("{TYPES_PATH}::{schema}")
    }
}

#[cfg(test)]
mod tests {
    use super::super::spec::tests::spec_with;
    use super::super::spec::{envelope_payloads, operations};
    use super::*;

    fn generated(spec: &serde_json::Value) -> String {
        let envelopes = envelope_payloads(spec).expect("envelopes");
        let all = operations(spec, &envelopes).expect("operations");
        tokens(&all).expect("serve code").to_string()
    }

    #[test]
    fn every_operation_gets_a_trait_method_and_a_handler() {
        let spec = spec_with("", "");
        let code = generated(&spec);
        let envelopes = envelope_payloads(&spec).expect("envelopes");
        let all = operations(&spec, &envelopes).expect("operations");
        for op in &all {
            let method = format!("fn {} (", op.rust_method());
            assert!(
                code.contains(&method),
                "no trait method for {}",
                op.operation_id
            );
        }
        assert_eq!(code.matches("| state : & mut S").count(), all.len());
        assert!(code.contains(&format!("[Handler < S > ; {}usize]", all.len())));
    }

    #[test]
    fn path_parameters_arrive_typed_and_bodies_as_their_schema() {
        let code = generated(&spec_with("", ""));
        assert!(code.contains("fn get_product (& mut self , call : & Call , product_id : i64)"));
        assert!(code.contains("body : crate :: api :: types :: ProductRegistration"));
    }
}
