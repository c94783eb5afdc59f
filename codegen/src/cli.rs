//! The command-line side of every operation, for the `toss-shopping` binary (`src/cli/`): one
//! runner per operation that sets the builder's parameters and body from the command line and
//! sends it as any SDK user would (`.await`, `.stream()` for `--all`, `.windows(range)` for
//! `--from`/`--to`). The commands themselves (names, flags, help) are built at run time from
//! the same operations table, so a new operation in the spec is a new command with nothing
//! written by hand.

use heck::ToSnakeCase;
use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use super::spec::{FREE_FORM_TYPE, Operation, TYPES_PATH};

/// The `cli` module, compiled only with the `cli` feature.
pub fn tokens(operations: &[Operation]) -> Result<TokenStream, String> {
    let mut runners = Vec::new();
    let mut names = Vec::new();
    for op in operations {
        let name = format_ident!("run_{}", op.rust_method());
        runners.push(runner(op, &name)?);
        names.push(name);
    }
    let count = operations.len();
    Ok(quote! {
        /// The command-line runner of every operation, for the `toss-shopping` binary.
        #[cfg(feature = "cli")]
        pub(crate) mod cli {
            use crate::cli::run::{Answer, CliError, Request, Runner};

            /// One runner per operation, in the order of `OPERATIONS`.
            pub(crate) static RUNNERS: [Runner; #count] = [ #(#names),* ];

            #(#runners)*
        }
    })
}

/// The runner of one operation.
fn runner(op: &Operation, name: &syn::Ident) -> Result<TokenStream, String> {
    let method = format_ident!("{}", op.rust_method());
    let mut sets = Vec::new();
    for param in &op.params {
        sets.push(parameter(param)?);
    }
    if let Some(schema) = &op.request_body {
        let body: syn::Type = syn::parse_str(&if schema == "FreeFormObject" {
            FREE_FORM_TYPE.to_string()
        } else {
            format!("{TYPES_PATH}::{schema}")
        })
        .map_err(|e| format!("body type {schema}: {e}"))?;
        sets.push(quote! {
            if let ::std::option::Option::Some(body) = request.body::<#body>()? {
                builder = builder.body(body);
            }
        });
    }
    let send = send(op);
    let doc = format!("Runs `{}` from the command line.", op.rust_method());
    Ok(quote! {
        #[doc = #doc]
        fn #name<'a>(
            client: &'a crate::Client,
            request: &'a Request,
        ) -> crate::cli::run::BoxFuture<'a, ::std::result::Result<Answer<'a>, CliError>> {
            ::std::boxed::Box::pin(async move {
                #[allow(unused_mut)]
                let mut builder = client.#method();
                #(#sets)*
                #send
            })
        }
    })
}

/// Sets one parameter from the command line, read as its spec kind says.
fn parameter(param: &super::spec::Param) -> Result<TokenStream, String> {
    let wire = &param.name;
    let setter = setter(wire)?;
    let read = match param.kind.as_str() {
        "integer" => quote!(request.integer(#wire)?),
        "date" => quote!(request.date(#wire)?),
        _ => quote!(request.text(#wire)),
    };
    Ok(quote! {
        if let ::std::option::Option::Some(value) = #read {
            builder = builder.#setter(value);
        }
    })
}

/// How the request is sent: a date range through `.windows(..)`, `--all` through the
/// pagination stream (items where the spec documents them, whole pages otherwise), else once.
fn send(op: &Operation) -> TokenStream {
    let once = quote!(::std::result::Result::Ok(Answer::one(builder.await?)?));
    let all = match (op.pagination.style.as_str(), &op.pagination.items) {
        ("none", _) => None,
        (_, Some(_)) => Some(quote!(Answer::lines(builder.stream()))),
        (_, None) => Some(quote!(Answer::lines(builder.pages()))),
    };
    let windowed = op
        .window
        .as_ref()
        .map(|_| quote!(Answer::lines(builder.windows(range))));
    let mut out = once;
    if let Some(all) = all {
        out = quote! {
            if request.all {
                return ::std::result::Result::Ok(#all);
            }
            #out
        };
    }
    if let Some(windowed) = windowed {
        out = quote! {
            if let ::std::option::Option::Some(range) = request.range {
                return ::std::result::Result::Ok(#windowed);
            }
            #out
        };
    }
    out
}

/// The builder's setter for a wire name (progenitor appends `_` to a Rust keyword).
fn setter(wire: &str) -> Result<syn::Ident, String> {
    let snake = wire.to_snake_case();
    syn::parse_str::<syn::Ident>(&snake)
        .or_else(|_| syn::parse_str::<syn::Ident>(&format!("{snake}_")))
        .map_err(|_| format!("parameter `{wire}` gives no Rust setter name"))
}
