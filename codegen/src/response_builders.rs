//! Struct builders of the types no request sends only with the `response-builders` feature.
//!
//! progenitor's builder interface turns on typify's struct builders for every type of the
//! spec: `types::builder::X`, `X::builder()` and the conversions both ways. The operation
//! builders need them only for request bodies (`body_map`). For the types that only arrive in
//! answers they are a convenience for building test values, and they cost the lean core a good
//! share of its build: about 7,000 of its generated lines and their conversions' code. This
//! pass keeps the builders of the types some operation sends as its body and puts every other
//! builder behind `#[cfg(feature = "response-builders")]` (on by default, and with `mock`).
//!
//! Which types are bodies is read off progenitor's own output (the operation builders'
//! references to `types::builder::X`), so nothing here names a type.

use std::collections::BTreeSet;

use syn::visit::Visit;
use syn::{Attribute, GenericArgument, ImplItem, Item, PathArguments, Type, parse_quote};

use super::module_items;

/// The attribute that makes an answer type's builder depend on the feature.
fn gate() -> Attribute {
    parse_quote!(#[cfg(feature = "response-builders")])
}

/// Gates the builders of every type no operation sends as its body; fails when the output is
/// not shaped as this pass expects (typify or progenitor changed).
pub fn apply(file: &mut syn::File) -> Result<(), String> {
    let bodies = request_bodies(file);
    if bodies.is_empty() {
        return Err(
            "response builders: no operation builder names a `types::builder` type; \
                    did progenitor change?"
                .into(),
        );
    }
    let types = module_items(&mut file.items, "types")
        .ok_or("response builders: progenitor's output has no `types` module")?;
    let builders = module_items(types, "builder")
        .ok_or("response builders: `types` has no `builder` module; did typify change?")?;
    let gated = gate_builders(builders, &bodies)?;
    if let Some(body) = bodies.iter().find(|body| !gated.kept.contains(*body)) {
        return Err(format!(
            "response builders: operations send {body}, but typify generated no builder for it"
        ));
    }
    gate_builder_fns(types, &gated.gated)
}

/// The names `X` of every `types::builder::X` that the code outside `types` refers to: the
/// bodies of the operation builders.
fn request_bodies(file: &syn::File) -> BTreeSet<String> {
    let mut finder = BodyFinder::default();
    for item in &file.items {
        match item {
            Item::Mod(module) if module.ident == "types" => {}
            item => finder.visit_item(item),
        }
    }
    finder.bodies
}

#[derive(Default)]
struct BodyFinder {
    bodies: BTreeSet<String>,
}

impl<'ast> Visit<'ast> for BodyFinder {
    fn visit_path(&mut self, path: &'ast syn::Path) {
        let names: Vec<String> = path.segments.iter().map(|s| s.ident.to_string()).collect();
        if let [.., types, builder, name] = names.as_slice()
            && types == "types"
            && builder == "builder"
        {
            self.bodies.insert(name.clone());
        }
        syn::visit::visit_path(self, path);
    }
}

/// What [`gate_builders`] did: the builders kept and those put behind the feature.
struct Gated {
    kept: BTreeSet<String>,
    gated: BTreeSet<String>,
}

/// Puts every item of `types::builder` that belongs to a builder not in `bodies` behind the
/// feature: the struct, its `Default`, its setters, its `Debug` and both conversions.
fn gate_builders(items: &mut [Item], bodies: &BTreeSet<String>) -> Result<Gated, String> {
    let mut gated = Gated {
        kept: BTreeSet::new(),
        gated: BTreeSet::new(),
    };
    for item in items.iter_mut() {
        let (name, attrs) = match item {
            Item::Struct(s) => (s.ident.to_string(), &mut s.attrs),
            Item::Impl(i) => (builder_of_impl(i)?, &mut i.attrs),
            other => {
                return Err(format!(
                    "response builders: unexpected item in `types::builder`: {}; did typify \
                     change?",
                    quote::quote!(#other)
                ));
            }
        };
        if bodies.contains(&name) {
            gated.kept.insert(name);
        } else {
            attrs.push(gate());
            gated.gated.insert(name);
        }
    }
    Ok(gated)
}

/// The builder an impl in `types::builder` belongs to: its self type, or, for the conversion
/// into the built type (`impl TryFrom<X> for super::X`), the trait's type argument.
fn builder_of_impl(item: &syn::ItemImpl) -> Result<String, String> {
    let self_path = type_path(&item.self_ty);
    let Some(self_path) = self_path else {
        return Err("response builders: an impl in `types::builder` is not for a path".into());
    };
    let first = self_path.segments.first().map(|s| s.ident.to_string());
    let last = self_path.segments.last().map(|s| s.ident.to_string());
    if first.as_deref() != Some("super") {
        return last.ok_or_else(|| "response builders: an impl for an empty path".into());
    }
    let argument = item
        .trait_
        .as_ref()
        .and_then(|(trait_path, _)| trait_path.segments.last())
        .and_then(|segment| match &segment.arguments {
            PathArguments::AngleBracketed(args) => args.args.first(),
            _ => None,
        });
    match argument {
        Some(GenericArgument::Type(ty)) => type_path(ty)
            .and_then(|path| path.segments.last())
            .map(|s| s.ident.to_string())
            .ok_or_else(|| "response builders: a conversion's argument is not a path".into()),
        _ => Err(format!(
            "response builders: an impl for super::{} that is not a conversion; did typify \
             change?",
            last.unwrap_or_default()
        )),
    }
}

fn type_path(ty: &Type) -> Option<&syn::Path> {
    match ty {
        Type::Path(path) => Some(&path.path),
        _ => None,
    }
}

/// Puts `X::builder()` behind the feature for every gated builder `X`; fails unless each one
/// was found.
fn gate_builder_fns(types: &mut [Item], gated: &BTreeSet<String>) -> Result<(), String> {
    let mut found = BTreeSet::new();
    for item in types.iter_mut() {
        let Item::Impl(block) = item else { continue };
        if block.trait_.is_some() {
            continue;
        }
        let Some(name) = type_path(&block.self_ty)
            .and_then(|path| path.segments.last())
            .map(|s| s.ident.to_string())
        else {
            continue;
        };
        if !gated.contains(&name) {
            continue;
        }
        for member in &mut block.items {
            if let ImplItem::Fn(function) = member
                && function.sig.ident == "builder"
            {
                function.attrs.push(gate());
                found.insert(name.clone());
            }
        }
    }
    match gated.iter().find(|name| !found.contains(*name)) {
        Some(name) => Err(format!(
            "response builders: no `{name}::builder()` found; did typify change?"
        )),
        None => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn file() -> syn::File {
        parse_quote! {
            pub mod types {
                pub struct Answer { pub a: i64 }
                impl Answer {
                    pub fn builder() -> builder::Answer { Default::default() }
                }
                pub struct Body { pub b: i64 }
                impl Body {
                    pub fn builder() -> builder::Body { Default::default() }
                }
                pub mod builder {
                    pub struct Answer { a: Result<i64, String> }
                    impl ::std::default::Default for Answer {
                        fn default() -> Self { todo!() }
                    }
                    impl Answer {
                        pub fn a<T>(self, value: T) -> Self { self }
                    }
                    impl ::std::convert::TryFrom<Answer> for super::Answer {
                        type Error = String;
                        fn try_from(value: Answer) -> Result<Self, String> { todo!() }
                    }
                    impl ::std::convert::From<super::Answer> for Answer {
                        fn from(value: super::Answer) -> Self { todo!() }
                    }
                    pub struct Body { b: Result<i64, String> }
                    impl ::std::convert::TryFrom<Body> for super::Body {
                        type Error = String;
                        fn try_from(value: Body) -> Result<Self, String> { todo!() }
                    }
                }
            }
            pub mod builder {
                pub struct SendBody<'a> {
                    body: Result<types::builder::Body, String>,
                }
            }
        }
    }

    fn gated(item: &Item) -> bool {
        let attrs = match item {
            Item::Struct(s) => &s.attrs,
            Item::Impl(i) => &i.attrs,
            _ => return false,
        };
        attrs.iter().any(is_gate)
    }

    fn is_gate(attr: &Attribute) -> bool {
        let gate = gate();
        quote::quote!(#attr).to_string() == quote::quote!(#gate).to_string()
    }

    #[test]
    fn gates_every_item_of_an_answer_builder_and_keeps_the_body_builder() {
        let mut file = file();
        apply(&mut file).unwrap();
        let types = module_items(&mut file.items, "types").unwrap();
        let builders = module_items(types, "builder").unwrap().clone();
        let flags: Vec<bool> = builders.iter().map(gated).collect();
        assert_eq!(flags, [true, true, true, true, true, false, false]);
        let fns: Vec<bool> = types
            .iter()
            .filter_map(|item| match item {
                Item::Impl(block) => match &block.items[0] {
                    ImplItem::Fn(f) => Some(f.attrs.iter().any(is_gate)),
                    _ => None,
                },
                _ => None,
            })
            .collect();
        assert_eq!(fns, [true, false]);
    }

    #[test]
    fn fails_when_no_operation_sends_a_builder_type() {
        let mut file: syn::File = parse_quote! { pub mod types { pub mod builder {} } };
        assert!(
            apply(&mut file)
                .unwrap_err()
                .contains("did progenitor change")
        );
    }

    #[test]
    fn fails_when_a_body_has_no_builder() {
        let mut file: syn::File = parse_quote! {
            pub mod types { pub mod builder {} }
            pub mod builder { pub struct S { body: types::builder::Missing } }
        };
        assert!(apply(&mut file).unwrap_err().contains("Missing"));
    }
}
