//! `JsonSchema` on the generated types only with the crate's `schemars` feature.
//!
//! typify writes every extra derive of its settings into each type's `#[derive(..)]` and has
//! no setting for a conditional one. Deriving `JsonSchema` on every type of the spec costs the
//! lean core a good share of its build (the derive's expansion and `SchemaGenerator`'s generic
//! code), so this pass moves `DERIVE` out of each derive list into
//! `#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]`: without the feature
//! neither schemars nor the expansion is compiled.

use syn::punctuated::Punctuated;
use syn::visit_mut::VisitMut;
use syn::{Attribute, ItemEnum, ItemStruct, parse_quote};

/// The derive handed to typify, which this pass makes conditional.
pub const DERIVE: &str = "schemars::JsonSchema";

/// Makes every derive of [`DERIVE`] in `file` conditional on the `schemars` feature; fails
/// when there is none (typify would then have stopped writing it, and the pass is stale) or
/// when a derive list does not parse.
pub fn apply(file: &mut syn::File) -> Result<(), String> {
    let mut pass = Pass {
        made_conditional: 0,
        errors: Vec::new(),
    };
    pass.visit_file_mut(file);
    if let Some(error) = pass.errors.into_iter().next() {
        return Err(error);
    }
    if pass.made_conditional == 0 {
        return Err(format!(
            "schema derive: found no #[derive({DERIVE})]; did typify change?"
        ));
    }
    Ok(())
}

struct Pass {
    made_conditional: usize,
    errors: Vec<String>,
}

impl VisitMut for Pass {
    fn visit_item_struct_mut(&mut self, item: &mut ItemStruct) {
        self.item_attributes(&mut item.attrs, &item.ident);
        syn::visit_mut::visit_item_struct_mut(self, item);
    }

    fn visit_item_enum_mut(&mut self, item: &mut ItemEnum) {
        self.item_attributes(&mut item.attrs, &item.ident);
        syn::visit_mut::visit_item_enum_mut(self, item);
    }
}

impl Pass {
    fn item_attributes(&mut self, attrs: &mut Vec<Attribute>, ident: &syn::Ident) {
        match conditional_schema_derive(attrs) {
            Ok(true) => self.made_conditional += 1,
            Ok(false) => {}
            Err(e) => self.errors.push(format!("schema derive: {ident}: {e}")),
        }
    }
}

/// Drops [`DERIVE`] from the item's `#[derive(..)]` lists and adds the conditional derive
/// right after the list it came from (a list left empty is removed). True when it did.
fn conditional_schema_derive(attrs: &mut Vec<Attribute>) -> Result<bool, String> {
    let mut position = None;
    for (index, attr) in attrs.iter_mut().enumerate() {
        if !attr.path().is_ident("derive") {
            continue;
        }
        let paths = attr
            .parse_args_with(Punctuated::<syn::Path, syn::Token![,]>::parse_terminated)
            .map_err(|e| format!("its #[derive(..)] does not parse: {e}"))?;
        let count = paths.len();
        let kept: Vec<syn::Path> = paths.into_iter().filter(|p| !is_schema_derive(p)).collect();
        if kept.len() == count {
            continue;
        }
        *attr = parse_quote!(#[derive(#(#kept),*)]);
        position = Some((index, kept.is_empty()));
    }
    let Some((index, emptied)) = position else {
        return Ok(false);
    };
    let conditional: Attribute =
        parse_quote!(#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]);
    if emptied {
        attrs[index] = conditional;
    } else {
        attrs.insert(index + 1, conditional);
    }
    Ok(true)
}

/// Whether `path` is `schemars::JsonSchema` (with or without a leading `::`).
fn is_schema_derive(path: &syn::Path) -> bool {
    let segments: Vec<String> = path.segments.iter().map(|s| s.ident.to_string()).collect();
    segments.iter().map(String::as_str).eq(DERIVE.split("::"))
}

#[cfg(test)]
mod tests {
    use quote::ToTokens;

    use super::*;

    fn tokens(item: &impl ToTokens) -> String {
        item.to_token_stream().to_string()
    }

    #[test]
    fn the_derive_becomes_conditional_and_the_rest_stays() {
        let mut file: syn::File = parse_quote! {
            pub mod types {
                /// A row.
                #[derive(::serde::Deserialize, Clone, Debug, PartialEq, schemars::JsonSchema)]
                #[serde(deny_unknown_fields)]
                pub struct Row {
                    pub id: i64,
                }
                #[derive(Clone, ::schemars::JsonSchema, Copy)]
                pub enum Kind {
                    A,
                }
                #[derive(schemars::JsonSchema)]
                pub struct Only;
                pub mod builder {
                    #[derive(Clone, Debug)]
                    pub struct Row {
                        id: ::std::result::Result<i64, ::std::string::String>,
                    }
                }
            }
        };
        let expected: syn::File = parse_quote! {
            pub mod types {
                /// A row.
                #[derive(::serde::Deserialize, Clone, Debug, PartialEq)]
                #[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
                #[serde(deny_unknown_fields)]
                pub struct Row {
                    pub id: i64,
                }
                #[derive(Clone, Copy)]
                #[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
                pub enum Kind {
                    A,
                }
                #[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
                pub struct Only;
                pub mod builder {
                    #[derive(Clone, Debug)]
                    pub struct Row {
                        id: ::std::result::Result<i64, ::std::string::String>,
                    }
                }
            }
        };
        apply(&mut file).expect("three derives");
        assert_eq!(tokens(&file), tokens(&expected));
    }

    #[test]
    fn no_schema_derive_at_all_fails() {
        let mut file: syn::File = parse_quote! {
            #[derive(Clone, Debug)]
            pub struct Row;
        };
        let error = apply(&mut file).expect_err("nothing to make conditional");
        assert!(error.contains("did typify change"), "{error}");
    }

    #[test]
    fn other_schema_like_paths_are_kept() {
        let mut attrs: Vec<Attribute> =
            vec![parse_quote!(#[derive(JsonSchema, other::JsonSchema)])];
        assert_eq!(conditional_schema_derive(&mut attrs), Ok(false));
        assert_eq!(attrs.len(), 1);
    }
}
