//! Trims the generated `send` of every operation builder, for what a call costs:
//!
//! - progenitor sends the spec's `info.version` as an `api-version` header, which the vendor
//!   does not define; the header map built for it (and merged into the request) is dropped;
//! - reqwest re-encodes the whole URL on every `query(..)` call, even for an unset value, so
//!   an optional parameter goes through `crate::transport::optional_query`, which leaves the
//!   URL alone when the value is `None`;
//! - `ResponseValue::from_response` clones the answer's headers; `crate::call::decode_response`
//!   moves them instead.

use std::collections::BTreeSet;

use quote::ToTokens;
use syn::visit_mut::VisitMut;
use syn::{
    Expr, GenericArgument, ImplItemFn, ItemStruct, Lit, PathArguments, Stmt, Type, parse_quote,
};

/// The fields of an operation builder holding an optional value (`Result<Option<_>, String>`).
pub fn optional_fields(item: &ItemStruct) -> BTreeSet<String> {
    item.fields
        .iter()
        .filter(|field| is_result_of_option(&field.ty))
        .filter_map(|field| field.ident.as_ref().map(ToString::to_string))
        .collect()
}

fn is_result_of_option(ty: &Type) -> bool {
    let Some(result) = last_segment(ty).filter(|s| s.ident == "Result") else {
        return false;
    };
    let PathArguments::AngleBracketed(arguments) = &result.arguments else {
        return false;
    };
    matches!(
        arguments.args.first(),
        Some(GenericArgument::Type(inner)) if last_segment(inner).is_some_and(|s| s.ident == "Option")
    )
}

fn last_segment(ty: &Type) -> Option<&syn::PathSegment> {
    let Type::Path(path) = ty else {
        return None;
    };
    path.path.segments.last()
}

/// Applies every trim to one `send`; `optional` names the builder's optional fields.
pub fn trim_send(function: &mut ImplItemFn, optional: &BTreeSet<String>) {
    drop_api_version(&mut function.block.stmts);
    Calls { optional }.visit_block_mut(&mut function.block);
}

/// Removes `header_map.append(.. "api-version" ..)`, and the header map itself when nothing
/// else goes in it.
fn drop_api_version(stmts: &mut Vec<Stmt>) {
    stmts.retain(|stmt| {
        let text = stmt.to_token_stream().to_string();
        !(text.starts_with("header_map . append") && text.contains("\"api-version\""))
    });
    let uses = stmts
        .iter()
        .map(|stmt| stmt.to_token_stream().to_string())
        .map(|text| text.matches("header_map").count())
        .sum::<usize>();
    // Left: `let mut header_map = ..;` and `.headers(header_map)`, nothing else.
    if uses != 2 {
        return;
    }
    stmts.retain(|stmt| {
        !matches!(stmt, Stmt::Local(local) if local.pat.to_token_stream().to_string() == "mut header_map")
    });
    for stmt in stmts.iter_mut() {
        DropHeaders.visit_stmt_mut(stmt);
    }
}

/// Unlinks `.headers(header_map)` from the request chain.
struct DropHeaders;

impl VisitMut for DropHeaders {
    fn visit_expr_mut(&mut self, expr: &mut Expr) {
        syn::visit_mut::visit_expr_mut(self, expr);
        if let Expr::MethodCall(call) = expr
            && call.method == "headers"
            && call.args.len() == 1
            && call.args.to_token_stream().to_string() == "header_map"
        {
            *expr = (*call.receiver).clone();
        }
    }
}

/// Rewrites optional query parameters and the decoding of the answer.
struct Calls<'a> {
    optional: &'a BTreeSet<String>,
}

impl VisitMut for Calls<'_> {
    fn visit_expr_mut(&mut self, expr: &mut Expr) {
        syn::visit_mut::visit_expr_mut(self, expr);
        match expr {
            Expr::MethodCall(call) if call.method == "query" && call.args.len() == 1 => {
                let Some((name, field)) = call.args.first().and_then(query_param) else {
                    return;
                };
                if self.optional.contains(&field.to_string()) {
                    let receiver = &call.receiver;
                    *expr =
                        parse_quote!(crate::transport::optional_query(#receiver, #name, &#field));
                }
            }
            Expr::Call(call)
                if call.args.len() == 1
                    && call.func.to_token_stream().to_string()
                        == "ResponseValue :: from_response" =>
            {
                call.func = parse_quote!(crate::call::decode_response);
            }
            _ => {}
        }
    }
}

/// `&progenitor_client::QueryParam::new("name", &field)` → its name and field.
fn query_param(arg: &Expr) -> Option<(syn::LitStr, syn::Ident)> {
    let Expr::Reference(reference) = arg else {
        return None;
    };
    let Expr::Call(call) = reference.expr.as_ref() else {
        return None;
    };
    if !call
        .func
        .to_token_stream()
        .to_string()
        .ends_with("QueryParam :: new")
    {
        return None;
    }
    let mut args = call.args.iter();
    let (Some(Expr::Lit(name)), Some(Expr::Reference(field)), None) =
        (args.next(), args.next(), args.next())
    else {
        return None;
    };
    let (Lit::Str(name), Expr::Path(field)) = (&name.lit, field.expr.as_ref()) else {
        return None;
    };
    Some((name.clone(), field.path.get_ident()?.clone()))
}
