//! Trims the generated `send` of every operation builder, for what a call costs:
//!
//! - progenitor sends the spec's `info.version` as an `api-version` header, which the vendor
//!   does not define; the header map built for it (and merged into the request) is dropped;
//! - reqwest re-encodes the whole URL on every `query(..)` call, even for an unset value, so
//!   an optional parameter goes through `crate::transport::optional_query`, which leaves the
//!   URL alone when the value is `None`;
//! - `ResponseValue::from_response` clones the answer's headers; the call layer moves them
//!   instead;
//! - the hooks, the wire and the reading of the answer (`pre`, `exec`, `post`, the body) are
//!   one non-generic future, `crate::transport::round_trip`, so each operation's `send` awaits
//!   once and only the decoding of its payload (`crate::call::decoded`) is per operation;
//! - building the request moves into a plain function, `into_request`, which `send` calls
//!   and the call layer calls too: a call sends the request through `round_trip` itself,
//!   handing it the call's scope directly, so no generated future runs inside a call.

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

/// Applies every trim to one `send` and splits it in two; `optional` names the builder's
/// optional fields. Returns the new `into_request`, which builds the request: the call layer
/// sends that through `crate::transport::round_trip` itself, with its call's scope. Fails
/// when the end of `send` is not shaped as progenitor writes it for an operation whose only
/// documented status is 200.
pub fn trim_send(
    function: &mut ImplItemFn,
    optional: &BTreeSet<String>,
) -> Result<ImplItemFn, String> {
    drop_api_version(&mut function.block.stmts);
    Calls { optional }.visit_block_mut(&mut function.block);
    let building = one_round_trip(&mut function.block.stmts)?;
    let mut into_request: ImplItemFn = parse_quote! {
        /// Builds this operation's request, checks included, without sending it.
        pub(crate) fn into_request(
            self,
        ) -> Result<(&'a super::Client, ::reqwest::Request), Error<()>> {
            Ok((client, request))
        }
    };
    let done = into_request.block.stmts.pop();
    into_request.block.stmts = building;
    into_request.block.stmts.extend(done);
    Ok(into_request)
}

/// Replaces `send`'s body with the request from `into_request`, one await of
/// `crate::transport::round_trip` and the payload's decoding; returns the statements that
/// built the request (up to the operation's `info`).
fn one_round_trip(stmts: &mut Vec<Stmt>) -> Result<Vec<Stmt>, String> {
    let progenitors: [Stmt; 5] = [
        parse_quote!(client.pre(&mut request, &info).await?;),
        parse_quote!(let result = client.exec(request, &info).await;),
        parse_quote!(client.post(&result, &info).await?;),
        parse_quote!(let response = result?;),
        parse_quote! {
            match response.status().as_u16() {
                200u16 => { ResponseValue::from_response(response).await }
                _ => Err(Error::UnexpectedResponse(response)),
            }
        },
    ];
    let text = |stmt: &Stmt| stmt.to_token_stream().to_string();
    let expected: Vec<String> = progenitors.iter().map(text).collect();
    let tail = stmts
        .len()
        .checked_sub(expected.len())
        .map(|start| &stmts[start..]);
    let found: Option<Vec<String>> = tail.map(|tail| tail.iter().map(text).collect());
    if found.as_ref() != Some(&expected) {
        return Err(format!(
            "hot path: a `send` does not end as expected (only status 200 documented?): {}",
            found.map(|f| f.join(" ")).unwrap_or_default()
        ));
    }
    stmts.truncate(stmts.len() - expected.len());
    let info = stmts
        .pop()
        .filter(|stmt| text(stmt).starts_with("let info = OperationInfo"))
        .ok_or("hot path: a `send` does not name its operation in `info` before the hooks")?;
    let building = std::mem::take(stmts);
    stmts.push(parse_quote!(let (client, request) = self.into_request()?;));
    stmts.push(info);
    stmts.push(Stmt::Expr(
        parse_quote!(crate::call::decoded(
            crate::transport::round_trip(client, request, &info, None).await?
        )),
        None,
    ));
    Ok(building)
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

/// Rewrites optional query parameters.
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

#[cfg(test)]
mod tests {
    use super::*;

    fn send(status_match: Stmt) -> ImplItemFn {
        let mut function: ImplItemFn = parse_quote! {
            pub async fn send(self) -> Result<ResponseValue<T>, Error<()>> {
                let Self { client, partner_name } = self;
                let mut request = client.client.get(url).build()?;
                let info = OperationInfo { operation_id: "get_thing" };
                client.pre(&mut request, &info).await?;
                let result = client.exec(request, &info).await;
                client.post(&result, &info).await?;
                let response = result?;
            }
        };
        function.block.stmts.push(status_match);
        function
    }

    #[test]
    fn the_end_of_send_becomes_one_round_trip_and_the_decoding() {
        let mut function = send(parse_quote! {
            match response.status().as_u16() {
                200u16 => { ResponseValue::from_response(response).await }
                _ => Err(Error::UnexpectedResponse(response)),
            }
        });
        let into_request = trim_send(&mut function, &BTreeSet::new()).unwrap();
        let text = function.block.to_token_stream().to_string();
        assert!(!text.contains("client . pre"), "{text}");
        assert_eq!(
            text,
            "{ let (client , request) = self . into_request () ? ; \
             let info = OperationInfo { operation_id : \"get_thing\" } ; \
             crate :: call :: decoded (crate :: transport :: round_trip (client , request , & info , None) . await ?) }"
        );
        let text = into_request.to_token_stream().to_string();
        assert!(
            text.ends_with(
                "{ let Self { client , partner_name } = self ; \
                 let mut request = client . client . get (url) . build () ? ; \
                 Ok ((client , request)) }"
            ),
            "{text}"
        );
    }

    #[test]
    fn a_second_documented_status_fails_the_build() {
        let mut function = send(parse_quote! {
            match response.status().as_u16() {
                200u16 => { ResponseValue::from_response(response).await }
                404u16 => { ResponseValue::from_response(response).await }
                _ => Err(Error::UnexpectedResponse(response)),
            }
        });
        let Err(error) = trim_send(&mut function, &BTreeSet::new()) else {
            panic!("a second status must fail the build");
        };
        assert!(error.contains("only status 200"), "{error}");
    }
}
