//! Support for the generated struct builders: clearing optional fields.
//!
//! The generator rewrites typify's setters for optional fields to take the value itself
//! (`.brand_name("토스")`), so leaving a field out again needs its own call. One macro
//! invocation per builder adds a `clear_<field>()` for each optional field, which keeps the
//! generated file short.

/// Adds `clear_<field>()` methods to a struct builder, one per `field => clear_field` pair.
macro_rules! clear_fields {
    ($($field:ident => $clear:ident),* $(,)?) => {
        $(
            #[doc = concat!("Leaves `", stringify!($field), "` out (the default).")]
            pub fn $clear(mut self) -> Self {
                self.$field = Ok(None);
                self
            }
        )*
    };
}

pub(crate) use clear_fields;
