//! A `syn` pass over progenitor's output, for what no generator setting can change:
//!
//! - typify's struct-builder setters for optional fields take `TryInto<Option<X>>`, which no
//!   `&str` or `String` satisfies; they are rewritten to take `TryInto<X>`, and each gets a
//!   `clear_<field>()` to leave the field out again;
//! - operation-builder setters drop the reason a conversion failed (`|_| "conversion to ..
//!   failed"`); they are rewritten to keep it, so a bad id list says which rule it broke;
//! - item counts (`minItems`/`maxItems`) of request bodies, which typify does not check, are
//!   checked when a body is built;
//! - the doc examples show the awaited builder instead of the envelope-level `.send()`;
//! - the flat open enums are added to the `types` module;
//! - each operation's `send` is trimmed for the hot path: no `api-version` header (the vendor
//!   defines none), optional query parameters that are unset leave the URL alone, answers
//!   decode without cloning their headers, and each `send` awaits one non-generic round trip
//!   (`hot_path`).

use std::collections::{BTreeMap, BTreeSet};

use super::hot_path;
use proc_macro2::TokenStream;
use quote::{format_ident, quote};
use syn::visit_mut::VisitMut;
use syn::{
    Attribute, Expr, GenericArgument, ImplItem, ImplItemFn, Item, ItemImpl, ItemMod, Lit,
    PathArguments, Type, TypeParamBound, WherePredicate, parse_quote,
};

/// An array property of a request body with `minItems`/`maxItems`.
pub struct ItemCount {
    /// The Rust field name typify gives the property.
    pub field: String,
    pub min: Option<u64>,
    pub max: Option<u64>,
    pub required: bool,
}

/// Everything the pass adds, keyed by the type it belongs to.
pub struct Rewrites {
    /// Request schema name → its counted arrays.
    pub counts: BTreeMap<String, Vec<ItemCount>>,
    /// Items appended to the `types` module (the open enums).
    pub types_items: Vec<TokenStream>,
}

/// Applies every rewrite to the generated file.
pub fn apply(file: &mut syn::File, rewrites: Rewrites) -> Result<(), String> {
    let mut pass = Pass {
        rewrites,
        rewritten_setters: 0,
        optional_fields: BTreeMap::new(),
        trimmed_sends: 0,
        errors: Vec::new(),
    };
    pass.visit_file_mut(file);
    if let Some(error) = pass.errors.into_iter().next() {
        return Err(error);
    }
    if pass.rewritten_setters == 0 {
        return Err("rewrite: found no optional struct-builder setter; did typify change?".into());
    }
    if pass.trimmed_sends == 0 {
        return Err("rewrite: found no operation `send` to trim; did progenitor change?".into());
    }
    Ok(())
}

struct Pass {
    rewrites: Rewrites,
    rewritten_setters: usize,
    /// Operation builder name → its fields of type `Result<Option<_>, String>`.
    optional_fields: BTreeMap<String, BTreeSet<String>>,
    trimmed_sends: usize,
    errors: Vec<String>,
}

impl VisitMut for Pass {
    fn visit_item_mod_mut(&mut self, module: &mut ItemMod) {
        if module.ident == "types"
            && let Some((_, items)) = &mut module.content
        {
            for tokens in self.rewrites.types_items.drain(..) {
                match syn::parse2::<Item>(tokens) {
                    Ok(item) => items.push(item),
                    Err(e) => self.errors.push(format!("open enum tokens: {e}")),
                }
            }
        }
        if module.ident == "builder"
            && let Some((_, items)) = &module.content
        {
            for item in items {
                if let Item::Struct(item) = item {
                    let optional = hot_path::optional_fields(item);
                    self.optional_fields
                        .insert(item.ident.to_string(), optional);
                }
            }
        }
        syn::visit_mut::visit_item_mod_mut(self, module);
    }

    fn visit_item_impl_mut(&mut self, item: &mut ItemImpl) {
        match &item.trait_ {
            None => self.inherent_impl(item),
            Some((path, _)) if path.segments.last().is_some_and(|s| s.ident == "TryFrom") => {
                self.try_from_impl(item)
            }
            Some(_) => {}
        }
        syn::visit_mut::visit_item_impl_mut(self, item);
    }

    fn visit_attribute_mut(&mut self, attribute: &mut Attribute) {
        rewrite_doc_example(attribute);
    }
}

impl Pass {
    /// Setters of struct builders and operation builders.
    fn inherent_impl(&mut self, item: &mut ItemImpl) {
        let mut cleared = Vec::new();
        for member in &mut item.items {
            let ImplItem::Fn(function) = member else {
                continue;
            };
            if let Some(inner) = optional_setter_target(function) {
                let field = function.sig.ident.clone();
                *function = value_setter(&field, &inner);
                cleared.push(field);
                self.rewritten_setters += 1;
            } else if keeps_conversion_reason(function) {
                require_display_error(function);
            }
        }
        if !cleared.is_empty() {
            item.items.push(clear_setters(&cleared));
        }
        if sends_requests(item) {
            let optional = self_type_name(item)
                .and_then(|name| self.optional_fields.get(&name))
                .cloned()
                .unwrap_or_default();
            let mut building = Vec::new();
            for member in &mut item.items {
                if let ImplItem::Fn(function) = member
                    && function.sig.ident == "send"
                {
                    match hot_path::trim_send(function, &optional) {
                        Ok(into_request) => {
                            building.push(ImplItem::Fn(into_request));
                            self.trimmed_sends += 1;
                        }
                        Err(e) => self.errors.push(e),
                    }
                }
            }
            item.items.extend(building);
            // The call layer re-sends clones of a builder and needs its client's settings.
            item.items.push(parse_quote! {
                pub(crate) fn client_ref(&self) -> &'a super::Client {
                    self.client
                }
            });
        }
    }

    /// `impl TryFrom<builder::X> for super::X`: check item counts before `Ok(..)`.
    fn try_from_impl(&mut self, item: &mut ItemImpl) {
        let Type::Path(self_ty) = item.self_ty.as_ref() else {
            return;
        };
        let Some(name) = self_ty.path.segments.last().map(|s| s.ident.to_string()) else {
            return;
        };
        let is_builder_conversion = self_ty
            .path
            .segments
            .first()
            .is_some_and(|s| s.ident == "super");
        let Some(counts) = self
            .rewrites
            .counts
            .get(&name)
            .filter(|_| is_builder_conversion)
        else {
            return;
        };
        let checks: Vec<TokenStream> = counts.iter().map(count_check).collect();
        for member in &mut item.items {
            let ImplItem::Fn(function) = member else {
                continue;
            };
            let Some(syn::Stmt::Expr(Expr::Call(ok_call), None)) = function.block.stmts.last()
            else {
                continue;
            };
            let Some(built) = ok_call.args.first().cloned() else {
                continue;
            };
            function.block = parse_quote!({
                let built = #built;
                #(#checks)*
                Ok(built)
            });
        }
    }
}

/// The last segment of an impl's self type, e.g. `GetProduct`.
fn self_type_name(item: &ItemImpl) -> Option<String> {
    let Type::Path(self_ty) = item.self_ty.as_ref() else {
        return None;
    };
    self_ty.path.segments.last().map(|s| s.ident.to_string())
}

/// Whether `item` is an operation builder's impl (it has the envelope-level `send`).
fn sends_requests(item: &ItemImpl) -> bool {
    item.items
        .iter()
        .any(|member| matches!(member, ImplItem::Fn(f) if f.sig.ident == "send" && f.sig.asyncness.is_some()))
}

/// The `X` of a setter bounded by `T: TryInto<Option<X>>`, if `function` is one.
fn optional_setter_target(function: &ImplItemFn) -> Option<Type> {
    let clause = function.sig.generics.where_clause.as_ref()?;
    clause.predicates.iter().find_map(|predicate| {
        let WherePredicate::Type(predicate) = predicate else {
            return None;
        };
        predicate.bounds.iter().find_map(|bound| {
            let TypeParamBound::Trait(bound) = bound else {
                return None;
            };
            let segment = bound.path.segments.last()?;
            if segment.ident != "TryInto" {
                return None;
            }
            let option = single_type_argument(&segment.arguments)?;
            let Type::Path(option) = option else {
                return None;
            };
            let last = option.path.segments.last()?;
            if last.ident != "Option" {
                return None;
            }
            single_type_argument(&last.arguments).cloned()
        })
    })
}

fn single_type_argument(arguments: &PathArguments) -> Option<&Type> {
    let PathArguments::AngleBracketed(arguments) = arguments else {
        return None;
    };
    match arguments.args.iter().collect::<Vec<_>>().as_slice() {
        [GenericArgument::Type(ty)] => Some(ty),
        _ => None,
    }
}

/// `.field(value)` for an optional field: takes the value itself.
fn value_setter(field: &syn::Ident, inner: &Type) -> ImplItemFn {
    let message = format!("error converting supplied value for {field}: {{e}}");
    parse_quote! {
        pub fn #field<T>(mut self, value: T) -> Self
        where
            T: ::std::convert::TryInto<#inner>,
            T::Error: ::std::fmt::Display,
        {
            self.#field = value.try_into().map(Some).map_err(|e| format!(#message));
            self
        }
    }
}

/// `.clear_field()` for each optional field, through the hand-written `clear_fields!`.
fn clear_setters(fields: &[syn::Ident]) -> ImplItem {
    let pairs = fields.iter().map(|field| {
        let clear = format_ident!("clear_{}", field.to_string().trim_start_matches("r#"));
        quote!(#field => #clear)
    });
    parse_quote!(crate::setters::clear_fields!(#(#pairs),*);)
}

/// Rewrites `.map_err(|_| "conversion to `X` for f failed".to_string())` to keep the reason.
/// True when the function had such a closure.
fn keeps_conversion_reason(function: &mut ImplItemFn) -> bool {
    struct Closures(bool);
    impl VisitMut for Closures {
        fn visit_expr_mut(&mut self, expr: &mut Expr) {
            if let Expr::Closure(closure) = expr
                && matches!(closure.inputs.first(), Some(syn::Pat::Wild(_)))
                && let Some(message) = conversion_message(&closure.body)
            {
                let message = format!("{message}: {{e}}");
                *expr = parse_quote!(|e| format!(#message));
                self.0 = true;
                return;
            }
            syn::visit_mut::visit_expr_mut(self, expr);
        }
    }
    let mut closures = Closures(false);
    closures.visit_block_mut(&mut function.block);
    closures.0
}

/// The text of `"conversion to ... failed".to_string()`.
fn conversion_message(body: &Expr) -> Option<String> {
    let Expr::MethodCall(call) = body else {
        return None;
    };
    let Expr::Lit(literal) = call.receiver.as_ref() else {
        return None;
    };
    let Lit::Str(text) = &literal.lit else {
        return None;
    };
    let text = text.value();
    (call.method == "to_string" && text.starts_with("conversion to ")).then_some(text)
}

/// Adds `V::Error: Display` for the setter's type parameter, so the reason can be printed.
fn require_display_error(function: &mut ImplItemFn) {
    let Some(syn::GenericParam::Type(param)) = function.sig.generics.params.first() else {
        return;
    };
    let param = param.ident.clone();
    function
        .sig
        .generics
        .make_where_clause()
        .predicates
        .push(parse_quote!(#param::Error: ::std::fmt::Display));
}

fn count_check(count: &ItemCount) -> TokenStream {
    let field = format_ident!("{}", count.field);
    let name = &count.field;
    let min = option_tokens(count.min.map(|m| m as usize));
    let max = option_tokens(count.max.map(|m| m as usize));
    let required = count.required;
    quote! {
        crate::invalid::check_item_count(#name, built.#field.len(), #required, #min, #max)?;
    }
}

fn option_tokens(value: Option<usize>) -> TokenStream {
    match value {
        Some(v) => quote!(::std::option::Option::Some(#v)),
        None => quote!(::std::option::Option::None),
    }
}

/// The generated examples end in `.send().await;`, the raw envelope-level call; the SDK's
/// way is to await the builder.
fn rewrite_doc_example(attribute: &mut Attribute) {
    if !attribute.path().is_ident("doc") {
        return;
    }
    let syn::Meta::NameValue(meta) = &mut attribute.meta else {
        return;
    };
    let Expr::Lit(literal) = &mut meta.value else {
        return;
    };
    let Lit::Str(text) = &literal.lit else { return };
    let value = text.value();
    if !value.contains("    .send()\n    .await;") {
        return;
    }
    let value = value
        .replace("let response = client.", "let payload = client.")
        .replace("    .send()\n    .await;", "    .await?;");
    literal.lit = Lit::Str(syn::LitStr::new(&value, text.span()));
}
