//! The generated types refuse a bad value while serde_json is still reading it.
//!
//! A `DecodeError` names the path of the value that failed, read off the position serde_json
//! gives the error (`src/json_path.rs`). serde_json stamps that position in the call that
//! returns the error, so a type must refuse inside that call, through a visitor. Two kinds of
//! typify output refuse later, after the value is read, and would be stamped after the
//! enclosing `}` or the next `,`:
//! - the pattern and length types: `String::deserialize(deserializer)?.parse()`. Their body
//!   becomes `deserializer.deserialize_str(crate::visitors::Text::<Self>::new(..))`, the same
//!   parse inside the visitor;
//! - untagged enums, which decode a copy of the value first. The spec's only one is a string
//!   or an object (`oneOf`); its derived `Deserialize` becomes one through
//!   `crate::visitors::TextOrObject`. Any other shape fails the build, so a new one is noticed.
//!
//! Any other `Deserialize` impl that decodes a value and then refuses it fails the build too.

use std::collections::BTreeSet;

use quote::ToTokens;
use syn::punctuated::Punctuated;
use syn::{Attribute, Fields, ImplItem, Item, ItemEnum, ItemImpl, Type, parse_quote};

use super::module_items;

/// What typify's pattern types do: read a `String`, then parse it.
const PARSE_AFTER_READ: &str = ":: std :: string :: String :: deserialize (deserializer) ?";

/// Rewrites the types of `file` so that every refusal happens inside serde_json's read.
pub fn apply(file: &mut syn::File) -> Result<(), String> {
    let types = module_items(&mut file.items, "types")
        .ok_or("in-place errors: progenitor's output has no `types` module")?;
    let structs: BTreeSet<String> = types
        .iter()
        .filter_map(|item| match item {
            Item::Struct(item) => Some(item.ident.to_string()),
            _ => None,
        })
        .collect();
    let mut parsed = 0;
    let mut added = Vec::new();
    for item in types.iter_mut() {
        match item {
            Item::Impl(item) if is_deserialize_impl(item) => {
                parsed += usize::from(parse_inside_visitor(item)?)
            }
            Item::Enum(item) if is_untagged(&item.attrs) => {
                added.push(text_or_object(item, &structs)?)
            }
            _ => {}
        }
    }
    if parsed == 0 {
        return Err(
            "in-place errors: no pattern type reads a String and parses it; did typify change?"
                .into(),
        );
    }
    types.extend(added);
    Ok(())
}

fn is_deserialize_impl(item: &ItemImpl) -> bool {
    item.trait_
        .as_ref()
        .and_then(|(path, _)| path.segments.last())
        .is_some_and(|segment| segment.ident == "Deserialize")
}

/// Moves a pattern type's parse into `crate::visitors::Text`. `false` for an impl that
/// already decodes through a visitor; an error for one that refuses after reading otherwise.
fn parse_inside_visitor(item: &mut ItemImpl) -> Result<bool, String> {
    let name = item.self_ty.to_token_stream().to_string();
    let Some(ImplItem::Fn(function)) = item.items.first_mut() else {
        return Err(format!(
            "in-place errors: Deserialize for {name} has no function"
        ));
    };
    let body = function.block.to_token_stream().to_string();
    if !body.contains(":: deserialize (deserializer) ?") {
        return Ok(false);
    }
    if !(body.contains(PARSE_AFTER_READ) && body.contains(". parse ()")) {
        return Err(format!(
            "in-place errors: Deserialize for {name} decodes a value and refuses it \
             afterwards, in a shape this pass does not know: {body}"
        ));
    }
    function.block = parse_quote!({
        deserializer.deserialize_str(crate::visitors::Text::<Self>::new("a string"))
    });
    Ok(true)
}

fn is_untagged(attrs: &[Attribute]) -> bool {
    attrs.iter().any(|attr| {
        attr.path().is_ident("serde")
            && attr
                .parse_args_with(Punctuated::<syn::Meta, syn::Token![,]>::parse_terminated)
                .is_ok_and(|metas| metas.iter().any(|meta| meta.path().is_ident("untagged")))
    })
}

/// Takes the derived `Deserialize` off an untagged enum of a string and an object, and gives
/// it one through `TextOrObject`. `Serialize` stays derived: untagged is right for writing.
/// The object is one of `structs`, the generated structs.
fn text_or_object(item: &mut ItemEnum, structs: &BTreeSet<String>) -> Result<Item, String> {
    let name = item.ident.clone();
    let mut text = None;
    let mut object = None;
    for variant in &item.variants {
        let Fields::Unnamed(fields) = &variant.fields else {
            return Err(untagged_shape(&name));
        };
        let [field] = fields.unnamed.iter().collect::<Vec<_>>()[..] else {
            return Err(untagged_shape(&name));
        };
        let Type::Path(ty) = &field.ty else {
            return Err(untagged_shape(&name));
        };
        let shown = ty.to_token_stream().to_string();
        let slot = if shown == ":: std :: string :: String" {
            &mut text
        } else if structs.contains(&shown) {
            &mut object
        } else {
            return Err(untagged_shape(&name));
        };
        if slot.replace((variant.ident.clone(), ty.clone())).is_some() {
            return Err(untagged_shape(&name));
        }
    }
    let (Some((text, _)), Some((object, object_type))) = (text, object) else {
        return Err(untagged_shape(&name));
    };
    if item.variants.len() != 2 || !drop_derived_deserialize(&mut item.attrs)? {
        return Err(untagged_shape(&name));
    }
    let expecting = format!("text or a {} object", object_type.to_token_stream());
    Ok(parse_quote! {
        impl<'de> ::serde::Deserialize<'de> for #name {
            fn deserialize<D>(deserializer: D) -> ::std::result::Result<Self, D::Error>
            where
                D: ::serde::Deserializer<'de>,
            {
                deserializer.deserialize_any(crate::visitors::TextOrObject::new(
                    #expecting,
                    Self::#text,
                    Self::#object,
                ))
            }
        }
    })
}

fn untagged_shape(name: &syn::Ident) -> String {
    format!(
        "in-place errors: the untagged enum {name} is not a string or an object (one \
         variant each); teach codegen/src/in_place_errors.rs its shape"
    )
}

/// Removes `Deserialize` from the item's derive lists; whether it was there.
fn drop_derived_deserialize(attrs: &mut [Attribute]) -> Result<bool, String> {
    let mut dropped = false;
    for attr in attrs
        .iter_mut()
        .filter(|attr| attr.path().is_ident("derive"))
    {
        let paths = attr
            .parse_args_with(Punctuated::<syn::Path, syn::Token![,]>::parse_terminated)
            .map_err(|e| format!("in-place errors: a #[derive(..)] does not parse: {e}"))?;
        let count = paths.len();
        let kept: Vec<syn::Path> = paths
            .into_iter()
            .filter(|path| {
                path.segments
                    .last()
                    .is_none_or(|s| s.ident != "Deserialize")
            })
            .collect();
        dropped |= kept.len() != count;
        *attr = parse_quote!(#[derive(#(#kept),*)]);
    }
    Ok(dropped)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn types(items: proc_macro2::TokenStream) -> syn::File {
        parse_quote!(pub mod types { #items })
    }

    fn text(file: &syn::File) -> String {
        file.to_token_stream().to_string()
    }

    fn pattern_type() -> proc_macro2::TokenStream {
        quote::quote! {
            impl<'de> ::serde::Deserialize<'de> for Code {
                fn deserialize<D>(deserializer: D) -> ::std::result::Result<Self, D::Error>
                where
                    D: ::serde::Deserializer<'de>,
                {
                    ::std::string::String::deserialize(deserializer)?
                        .parse()
                        .map_err(|e: self::error::ConversionError| {
                            <D::Error as ::serde::de::Error>::custom(e.to_string())
                        })
                }
            }
        }
    }

    #[test]
    fn a_pattern_type_parses_inside_the_visitor() {
        let mut file = types(pattern_type());
        apply(&mut file).expect("rewritten");
        let out = text(&file);
        assert!(out.contains("deserializer . deserialize_str (crate :: visitors :: Text :: < Self > :: new (\"a string\"))"), "{out}");
        assert!(!out.contains(". parse ()"), "{out}");
    }

    #[test]
    fn an_untagged_text_or_object_gets_a_visitor_and_keeps_serialize() {
        let pattern = pattern_type();
        let mut file = types(quote::quote! {
            #pattern
            pub struct Detail { pub id: i64 }
            #[derive(::serde::Deserialize, ::serde::Serialize, Clone, Debug)]
            #[serde(untagged)]
            pub enum Reason {
                String(::std::string::String),
                Detail(Detail),
            }
        });
        apply(&mut file).expect("rewritten");
        let out = text(&file);
        assert!(
            out.contains("# [derive (:: serde :: Serialize , Clone , Debug)] # [serde (untagged)] pub enum Reason"),
            "{out}"
        );
        assert!(out.contains("crate :: visitors :: TextOrObject :: new (\"text or a Detail object\" , Self :: String , Self :: Detail ,)"), "{out}");
    }

    #[test]
    fn unknown_shapes_fail_the_build() {
        let pattern = pattern_type();
        let mut untagged = types(quote::quote! {
            #pattern
            #[derive(::serde::Deserialize)]
            #[serde(untagged)]
            pub enum Amount { Number(i64), Text(::std::string::String) }
        });
        let error = apply(&mut untagged).expect_err("a number variant");
        assert!(error.contains("Amount"), "{error}");

        let mut refuses_late = types(quote::quote! {
            impl<'de> ::serde::Deserialize<'de> for Even {
                fn deserialize<D>(deserializer: D) -> ::std::result::Result<Self, D::Error>
                where D: ::serde::Deserializer<'de>,
                { let n = u8::deserialize(deserializer)?; Even::new(n) }
            }
        });
        let error = apply(&mut refuses_late).expect_err("refuses after reading");
        assert!(error.contains("Even"), "{error}");

        let mut stale = types(quote::quote! { pub struct Row; });
        assert!(apply(&mut stale).is_err(), "no pattern type at all");
    }
}
