//! `x-toss-personal`: buyer data never appears in the `Debug` output of the generated types.
//!
//! The spec marks each property that holds personal data of a buyer or a recipient (names,
//! phones, addresses, the buyer's own text and images) with `x-toss-personal: true`. For each
//! generated struct with such a property, and for its struct builder, this pass drops
//! `Debug` from the `#[derive(..)]` and adds an `impl Debug` that prints every field as the
//! derive would, except the personal ones: those print their shape only (`<redacted>`,
//! `Some(<redacted>)` or `None`; `Ok(..)`/`Err(<redacted>)` in builders), so a missing value
//! stays visible and no value, length or emptiness shows. Types that only hold such structs
//! (a page of order products) keep their derived `Debug`, which calls these impls.
//!
//! The marks are facts of the spec: nothing here names a field. The pass fails the build when
//! a mark is placed where it cannot be honoured (anywhere but on a property of a named
//! schema) or when a marked property has no field in the generated struct.

use std::collections::{BTreeMap, BTreeSet};

use proc_macro2::TokenStream;
use quote::quote;
use serde_json::Value;
use syn::punctuated::Punctuated;
use syn::{Attribute, Fields, Item, ItemStruct, PathArguments, Type, parse_quote};

use super::module_items;

/// The extension that marks a property as personal.
const EXTENSION: &str = "x-toss-personal";

/// What a personal value prints as.
const REDACTED: &str = "<redacted>";

/// Schema name → its properties marked `x-toss-personal` (wire names).
pub type PersonalFields = BTreeMap<String, BTreeSet<String>>;

/// Every property the spec marks `x-toss-personal: true`, by schema. Fails on a mark that is
/// not `true` or not on a property of a schema under `components/schemas`.
pub fn personal_fields(spec: &Value) -> Result<PersonalFields, String> {
    let mut marks = Vec::new();
    find_marks(spec, &mut Vec::new(), &mut marks);
    let mut personal = PersonalFields::new();
    for (at, value) in marks {
        let pointer = format!("/{}", at.join("/"));
        let [components, schemas, schema, properties, property] = at.as_slice() else {
            return Err(misplaced(&pointer));
        };
        if components != "components" || schemas != "schemas" || properties != "properties" {
            return Err(misplaced(&pointer));
        }
        if value != &Value::Bool(true) {
            return Err(format!(
                "{pointer}: {EXTENSION} must be `true` (leave it out for a property that is not personal)"
            ));
        }
        personal
            .entry(schema.clone())
            .or_default()
            .insert(property.clone());
    }
    Ok(personal)
}

fn misplaced(pointer: &str) -> String {
    format!(
        "{pointer}: {EXTENSION} is only honoured on a property of a schema under \
         components/schemas (make the object a named schema)"
    )
}

/// Every `x-toss-personal` key in `value`, with the path of the object that holds it.
fn find_marks<'a>(
    value: &'a Value,
    at: &mut Vec<String>,
    marks: &mut Vec<(Vec<String>, &'a Value)>,
) {
    match value {
        Value::Object(map) => {
            for (key, child) in map {
                if key == EXTENSION {
                    marks.push((at.clone(), child));
                    continue;
                }
                at.push(key.clone());
                find_marks(child, at, marks);
                at.pop();
            }
        }
        Value::Array(items) => {
            for (index, child) in items.iter().enumerate() {
                at.push(index.to_string());
                find_marks(child, at, marks);
                at.pop();
            }
        }
        _ => {}
    }
}

/// Gives every generated struct with personal fields, and its builder, a redacting `Debug`.
pub fn apply(file: &mut syn::File, personal: &PersonalFields) -> Result<(), String> {
    if personal.is_empty() {
        return Ok(());
    }
    let types = module_items(&mut file.items, "types")
        .ok_or("redact: progenitor's output has no `types` module")?;
    // Schema name → the Rust names of its personal fields, for the builders.
    let mut redacted: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    redact_module(types, |name, item| {
        let Some(properties) = personal.get(name) else {
            return Ok(None);
        };
        let fields = personal_idents(item, properties)?;
        redacted.insert(name.to_string(), fields.clone());
        Ok(Some(fields))
    })?;
    if let Some(schema) = personal
        .keys()
        .find(|schema| !redacted.contains_key(*schema))
    {
        return Err(format!(
            "redact: the spec marks properties of {schema} {EXTENSION}, but progenitor \
             generated no struct {schema}"
        ));
    }
    let builders = module_items(types, "builder")
        .ok_or("redact: the `types` module has no `builder` module; did typify change?")?;
    let mut built = BTreeSet::new();
    redact_module(builders, |name, _| {
        let fields = redacted.get(name).cloned();
        if fields.is_some() {
            built.insert(name.to_string());
        }
        Ok(fields)
    })?;
    if let Some(schema) = redacted.keys().find(|schema| !built.contains(*schema)) {
        return Err(format!(
            "redact: typify generated no builder for {schema}; did typify change?"
        ));
    }
    Ok(())
}

/// For each struct of `items` for which `personal` names fields, replaces the derived `Debug`
/// with a redacting one, placed right after the struct.
fn redact_module(
    items: &mut Vec<Item>,
    mut personal: impl FnMut(&str, &ItemStruct) -> Result<Option<BTreeSet<String>>, String>,
) -> Result<(), String> {
    let mut index = 0;
    while index < items.len() {
        if let Item::Struct(item) = &mut items[index] {
            let name = item.ident.to_string();
            if let Some(fields) = personal(&name, item)? {
                remove_derived_debug(item).map_err(|e| format!("redact: {name}: {e}"))?;
                let debug = debug_impl(item, &fields)?;
                let debug: Item = syn::parse2(debug)
                    .map_err(|e| format!("redact: the Debug impl of {name} does not parse: {e}"))?;
                items.insert(index + 1, debug);
                index += 1;
            }
        }
        index += 1;
    }
    Ok(())
}

/// The Rust names of the fields of `item` whose wire names (`#[serde(rename)]`, else the
/// field's own name) are in `properties`; fails when a property has no field.
fn personal_idents(
    item: &ItemStruct,
    properties: &BTreeSet<String>,
) -> Result<BTreeSet<String>, String> {
    let name = &item.ident;
    let Fields::Named(fields) = &item.fields else {
        return Err(format!(
            "redact: {name} has {EXTENSION} properties but is not a struct with named fields"
        ));
    };
    let mut found = BTreeMap::new();
    for field in &fields.named {
        let Some(ident) = &field.ident else { continue };
        let rust = field_name(ident);
        let wire = serde_rename(&field.attrs)?.unwrap_or_else(|| rust.clone());
        if properties.contains(&wire) {
            found.insert(wire, rust);
        }
    }
    if let Some(missing) = properties.iter().find(|p| !found.contains_key(*p)) {
        return Err(format!(
            "redact: {name}.{missing} is marked {EXTENSION}, but the generated struct {name} \
             has no field for it"
        ));
    }
    Ok(found.into_values().collect())
}

/// A field's name as `#[derive(Debug)]` prints it (without `r#`).
fn field_name(ident: &syn::Ident) -> String {
    ident.to_string().trim_start_matches("r#").to_string()
}

/// The `rename = ".."` of a field's `#[serde(..)]` attributes.
fn serde_rename(attrs: &[Attribute]) -> Result<Option<String>, String> {
    let mut rename = None;
    for attr in attrs.iter().filter(|a| a.path().is_ident("serde")) {
        let metas = attr
            .parse_args_with(Punctuated::<syn::Meta, syn::Token![,]>::parse_terminated)
            .map_err(|e| format!("redact: a #[serde(..)] attribute does not parse: {e}"))?;
        for meta in metas {
            if let syn::Meta::NameValue(pair) = meta
                && pair.path.is_ident("rename")
                && let syn::Expr::Lit(syn::ExprLit {
                    lit: syn::Lit::Str(text),
                    ..
                }) = &pair.value
            {
                rename = Some(text.value());
            }
        }
    }
    Ok(rename)
}

/// Drops `Debug` from the struct's `#[derive(..)]`; fails when it derives no `Debug`.
fn remove_derived_debug(item: &mut ItemStruct) -> Result<(), String> {
    let mut removed = false;
    for attr in item
        .attrs
        .iter_mut()
        .filter(|a| a.path().is_ident("derive"))
    {
        let paths = attr
            .parse_args_with(Punctuated::<syn::Path, syn::Token![,]>::parse_terminated)
            .map_err(|e| format!("its #[derive(..)] does not parse: {e}"))?;
        let kept: Vec<&syn::Path> = paths
            .iter()
            .filter(|path| path.segments.last().is_none_or(|s| s.ident != "Debug"))
            .collect();
        if kept.len() < paths.len() {
            removed = true;
            *attr = parse_quote!(#[derive(#(#kept),*)]);
        }
    }
    item.attrs.retain(|attr| {
        !(attr.path().is_ident("derive")
            && matches!(&attr.meta, syn::Meta::List(list) if list.tokens.is_empty()))
    });
    if removed {
        Ok(())
    } else {
        Err("it derives no Debug to replace; did typify change?".to_string())
    }
}

/// `impl Debug` printing every field in order, the personal ones by their shape only.
fn debug_impl(item: &ItemStruct, personal: &BTreeSet<String>) -> Result<TokenStream, String> {
    let ident = &item.ident;
    let name = ident.to_string();
    let Fields::Named(fields) = &item.fields else {
        return Err(format!("redact: {name} is not a struct with named fields"));
    };
    // A builder has the struct's fields; should typify ever name one differently, fail
    // rather than print it.
    let names: BTreeSet<String> = fields
        .named
        .iter()
        .filter_map(|field| field.ident.as_ref().map(field_name))
        .collect();
    if let Some(missing) = personal.iter().find(|field| !names.contains(*field)) {
        return Err(format!(
            "redact: {name} has no field {missing} to redact; did typify change?"
        ));
    }
    let entries = fields.named.iter().filter_map(|field| {
        let member = field.ident.as_ref()?;
        let label = field_name(member);
        if !personal.contains(&label) {
            return Some(quote!(.field(#label, &self.#member)));
        }
        let (patterns, texts): (Vec<TokenStream>, Vec<String>) =
            shapes(&field.ty).into_iter().unzip();
        Some(quote! {
            .field(#label, &crate::redact::Masked(match &self.#member {
                #(#patterns => #texts,)*
            }))
        })
    });
    let doc = format!(
        "Prints every field as `#[derive(Debug)]` would, except the personal ones \
         (`{EXTENSION}` in the spec), which show only whether they are present."
    );
    Ok(quote! {
        #[doc = #doc]
        impl ::std::fmt::Debug for #ident {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.debug_struct(#name)
                    #(#entries)*
                    .finish()
            }
        }
    })
}

/// The patterns a personal value of type `ty` can match, each with what it prints: `Option`
/// and `Result` show which variant they are, any other value is `<redacted>`, and so is a
/// builder's conversion error (it may quote the value).
fn shapes(ty: &Type) -> Vec<(TokenStream, String)> {
    match wrapper(ty) {
        Some(Wrapper::Option(inner)) => {
            let mut shapes = vec![(quote!(::std::option::Option::None), "None".to_string())];
            shapes.extend(shapes_inside(
                inner,
                |p| quote!(::std::option::Option::Some(#p)),
                "Some",
            ));
            shapes
        }
        Some(Wrapper::Result(ok)) => {
            let mut shapes = shapes_inside(ok, |p| quote!(::std::result::Result::Ok(#p)), "Ok");
            shapes.push((
                quote!(::std::result::Result::Err(_)),
                format!("Err({REDACTED})"),
            ));
            shapes
        }
        None => vec![(quote!(_), REDACTED.to_string())],
    }
}

/// The shapes of `inner` inside a variant: `wrap` makes the pattern, `label(..)` the text.
fn shapes_inside(
    inner: &Type,
    wrap: impl Fn(TokenStream) -> TokenStream,
    label: &str,
) -> Vec<(TokenStream, String)> {
    shapes(inner)
        .into_iter()
        .map(|(pattern, text)| (wrap(pattern), format!("{label}({text})")))
        .collect()
}

/// A type whose variant a redacted value still shows.
enum Wrapper<'a> {
    /// `Option<T>`, with `T`.
    Option(&'a Type),
    /// `Result<T, E>` (a builder's field), with `T`.
    Result(&'a Type),
}

fn wrapper(ty: &Type) -> Option<Wrapper<'_>> {
    let Type::Path(path) = ty else { return None };
    let last = path.path.segments.last()?;
    let PathArguments::AngleBracketed(arguments) = &last.arguments else {
        return None;
    };
    let types: Vec<&Type> = arguments
        .args
        .iter()
        .filter_map(|argument| match argument {
            syn::GenericArgument::Type(ty) => Some(ty),
            _ => None,
        })
        .collect();
    match (last.ident.to_string().as_str(), types.as_slice()) {
        ("Option", [inner]) => Some(Wrapper::Option(inner)),
        ("Result", [ok, _]) => Some(Wrapper::Result(ok)),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::super::spec::tests::spec_with;
    use super::*;

    /// A `types` module as typify writes it: one struct with a personal field, its builder.
    fn generated() -> syn::File {
        parse_quote! {
            pub mod types {
                #[derive(::serde::Deserialize, Clone, Debug, PartialEq)]
                pub struct Row {
                    pub id: ::std::option::Option<i64>,
                    #[serde(rename = "buyerName", skip_serializing_if = "::std::option::Option::is_none")]
                    pub buyer_name: ::std::option::Option<::std::string::String>,
                    #[serde(rename = "zipCode")]
                    pub zip_code: ::std::string::String,
                }
                #[derive(Clone, Debug)]
                pub struct Other {
                    pub name: ::std::string::String,
                }
                pub mod builder {
                    #[derive(Clone, Debug)]
                    pub struct Row {
                        id: ::std::result::Result<::std::option::Option<i64>, ::std::string::String>,
                        buyer_name: ::std::result::Result<
                            ::std::option::Option<::std::string::String>,
                            ::std::string::String,
                        >,
                        zip_code: ::std::result::Result<::std::string::String, ::std::string::String>,
                    }
                }
            }
        }
    }

    fn marks(schema: &str, properties: &[&str]) -> PersonalFields {
        let mut personal = PersonalFields::new();
        personal.insert(
            schema.to_string(),
            properties.iter().map(|p| p.to_string()).collect(),
        );
        personal
    }

    #[test]
    fn the_real_spec_marks_order_and_claim_fields() {
        let spec = spec_with("openapi: 3.0.3", "openapi: 3.0.3");
        let personal = personal_fields(&spec).expect("marks are well placed");
        let order = &personal["OrderProduct"];
        assert!(order.contains("ordererName") && order.contains("receiverRealPhone"));
        assert!(!order.contains("orderProductId") && !order.contains("productName"));
        assert!(personal["ClaimOrder"].contains("receiverPhoneNumber"));
    }

    #[test]
    fn a_mark_off_a_named_schemas_property_or_not_true_fails() {
        let spec = spec_with(
            "    x-toss-retry: safe",
            "    x-toss-retry: safe\n      x-toss-personal: true",
        );
        let error = personal_fields(&spec).expect_err("refused");
        assert!(
            error.contains("only honoured on a property of a schema"),
            "{error}"
        );
        let spec = spec_with(
            "ordererName: {type: string, x-toss-personal: true,",
            "ordererName: {type: string, x-toss-personal: yes please,",
        );
        let error = personal_fields(&spec).expect_err("refused");
        assert!(error.contains("must be `true`"), "{error}");
    }

    #[test]
    fn personal_fields_print_their_shape_in_the_struct_and_its_builder() {
        let mut file = generated();
        apply(&mut file, &marks("Row", &["buyerName", "zipCode"])).expect("applied");
        // The tokens, compared without whitespace.
        let compact = |text: &str| text.split_whitespace().collect::<String>();
        let text = compact(&quote!(#file).to_string());
        let has = |expected: &str| text.contains(&compact(expected));
        // The derive keeps everything but Debug; the untouched struct keeps its Debug.
        assert!(
            has("#[derive(::serde::Deserialize, Clone, PartialEq)] pub struct Row"),
            "{text}"
        );
        assert!(has("#[derive(Clone, Debug)] pub struct Other"), "{text}");
        assert!(has("#[derive(Clone)] pub struct Row"), "{text}");
        for expected in [
            "impl ::std::fmt::Debug for Row",
            r#".field("id", &self.id)"#,
            r#".field("buyer_name", &crate::redact::Masked(match &self.buyer_name {"#,
            r#"::std::option::Option::Some(_) => "Some(<redacted>)""#,
            r#"::std::option::Option::None => "None""#,
            r#"_ => "<redacted>""#,
            r#"::std::result::Result::Ok(::std::option::Option::Some(_)) => "Ok(Some(<redacted>))""#,
            r#"::std::result::Result::Ok(::std::option::Option::None) => "Ok(None)""#,
            r#"::std::result::Result::Ok(_) => "Ok(<redacted>)""#,
            r#"::std::result::Result::Err(_) => "Err(<redacted>)""#,
        ] {
            assert!(has(expected), "{expected} in {text}");
        }
        assert_eq!(
            text.matches("impl::std::fmt::DebugforRow").count(),
            2,
            "{text}"
        );
    }

    #[test]
    fn a_mark_the_generated_code_cannot_honour_fails() {
        let error = apply(&mut generated(), &marks("Row", &["buyerPhone"])).expect_err("refused");
        assert!(error.contains("Row.buyerPhone is marked"), "{error}");
        let error = apply(&mut generated(), &marks("Missing", &["name"])).expect_err("refused");
        assert!(error.contains("generated no struct Missing"), "{error}");
        // A builder that lost the field fails too.
        let mut file = generated();
        let code = quote!(#file).to_string().replace(
            "buyer_name : :: std :: result",
            "purchaser_name : :: std :: result",
        );
        file = syn::parse_str(&code).expect("still Rust");
        let error = apply(&mut file, &marks("Row", &["buyerName"])).expect_err("refused");
        assert!(error.contains("Row has no field buyer_name"), "{error}");
    }
}
