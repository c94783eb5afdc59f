//! Open enums: the values the API sends that the vendor may extend without notice.
//!
//! Each is a flat Rust enum, the way the AWS SDKs do it:
//! `OrderProductStatus::{Paid, PreparingProduct, …, Unknown(UnknownValue)}`. A value this
//! version of the SDK does not know decodes into `Unknown` instead of failing the whole
//! answer, and only the SDK can build an `Unknown`, so `OrderProductStatus::from("PAID")` is
//! always `Paid`, never an unknown that happens to read `PAID`.
//!
//! The enums are generated from the spec (`anyOf: [XKnown, string]`) as invocations of the
//! `open_enum!` macro below; their known values come from `XKnown.enum`.

use std::fmt;

/// A value of an open enum that this version of the SDK does not know, kept as sent.
///
/// Only the SDK creates these, when it decodes or converts a string it does not know. Read
/// the value with [`as_str`](Self::as_str); to test for a known value, compare with the
/// enum's variants instead.
#[derive(Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct UnknownValue(Box<str>);

impl UnknownValue {
    pub(crate) fn new(value: Box<str>) -> Self {
        Self(value)
    }

    /// The value as the API sent it.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for UnknownValue {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(&*self.0, f)
    }
}

impl fmt::Display for UnknownValue {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// Defines one flat open enum with its conversions, serde and (with the `schemars` feature)
/// JSON Schema impls.
macro_rules! open_enum {
    (
        #[doc = $doc:expr]
        $name:ident { $($variant:ident = $wire:literal),+ $(,)? }
    ) => {
        #[doc = $doc]
        ///
        /// An open enum: a value this version of the SDK does not know arrives as `Unknown`.
        #[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
        #[non_exhaustive]
        pub enum $name {
            $(
                #[doc = concat!("`", $wire, "`")]
                $variant,
            )+
            /// A value this version of the SDK does not know, kept as sent.
            Unknown($crate::open_enum::UnknownValue),
        }

        impl $name {
            /// Every value this version of the SDK knows, as the API writes them.
            pub const VALUES: &'static [&'static str] = &[$($wire),+];

            /// Every value this version of the SDK knows, as the API writes them.
            pub fn values() -> &'static [&'static str] {
                Self::VALUES
            }

            /// The value as the API writes it.
            pub fn as_str(&self) -> &str {
                match self {
                    $(Self::$variant => $wire,)+
                    Self::Unknown(value) => value.as_str(),
                }
            }

            /// True for a value this version of the SDK does not know.
            pub fn is_unknown(&self) -> bool {
                matches!(self, Self::Unknown(_))
            }

            fn known(value: &str) -> ::std::option::Option<Self> {
                match value {
                    $($wire => ::std::option::Option::Some(Self::$variant),)+
                    _ => ::std::option::Option::None,
                }
            }
        }

        impl ::std::convert::From<&str> for $name {
            fn from(value: &str) -> Self {
                Self::known(value).unwrap_or_else(|| {
                    Self::Unknown($crate::open_enum::UnknownValue::new(value.into()))
                })
            }
        }

        impl ::std::convert::From<::std::string::String> for $name {
            fn from(value: ::std::string::String) -> Self {
                Self::known(&value).unwrap_or_else(|| {
                    Self::Unknown($crate::open_enum::UnknownValue::new(value.into_boxed_str()))
                })
            }
        }

        impl ::std::str::FromStr for $name {
            type Err = ::std::convert::Infallible;

            fn from_str(value: &str) -> ::std::result::Result<Self, Self::Err> {
                ::std::result::Result::Ok(Self::from(value))
            }
        }

        impl ::std::convert::AsRef<str> for $name {
            fn as_ref(&self) -> &str {
                self.as_str()
            }
        }

        impl ::std::fmt::Display for $name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl ::serde::Serialize for $name {
            fn serialize<S: ::serde::Serializer>(
                &self,
                serializer: S,
            ) -> ::std::result::Result<S::Ok, S::Error> {
                serializer.serialize_str(self.as_str())
            }
        }

        impl<'de> ::serde::Deserialize<'de> for $name {
            fn deserialize<D: ::serde::Deserializer<'de>>(
                deserializer: D,
            ) -> ::std::result::Result<Self, D::Error> {
                deserializer.deserialize_str($crate::open_enum::Visitor::<Self>::new())
            }
        }

        // The macro expands inside this crate, so the feature is this crate's.
        #[cfg(feature = "schemars")]
        impl ::schemars::JsonSchema for $name {
            fn schema_name() -> ::std::string::String {
                ::std::string::String::from(stringify!($name))
            }

            fn json_schema(
                _: &mut ::schemars::r#gen::SchemaGenerator,
            ) -> ::schemars::schema::Schema {
                $crate::open_enum::string_schema($doc, Self::VALUES)
            }
        }

        impl $crate::open_enum::OpenEnum for $name {
            fn values() -> &'static [&'static str] {
                Self::VALUES
            }

            fn as_str(&self) -> &str {
                self.as_str()
            }

            fn is_unknown(&self) -> bool {
                self.is_unknown()
            }
        }
    };
}

pub(crate) use open_enum;

/// What every open enum can do, for code that handles them generically.
pub trait OpenEnum:
    for<'a> From<&'a str> + serde::Serialize + serde::de::DeserializeOwned + PartialEq + fmt::Debug
{
    /// Every value this version of the SDK knows.
    fn values() -> &'static [&'static str];
    /// The value as the API writes it.
    fn as_str(&self) -> &str;
    /// True for a value this version of the SDK does not know.
    fn is_unknown(&self) -> bool;
}

/// Reads an open enum from a borrowed or owned string without copying known values.
#[doc(hidden)]
pub struct Visitor<T>(std::marker::PhantomData<T>);

impl<T> Visitor<T> {
    #[doc(hidden)]
    pub fn new() -> Self {
        Self(std::marker::PhantomData)
    }
}

impl<T> Default for Visitor<T> {
    fn default() -> Self {
        Self::new()
    }
}

impl<T: for<'a> From<&'a str> + From<String>> serde::de::Visitor<'_> for Visitor<T> {
    type Value = T;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a string")
    }

    fn visit_str<E: serde::de::Error>(self, value: &str) -> Result<T, E> {
        Ok(T::from(value))
    }

    fn visit_string<E: serde::de::Error>(self, value: String) -> Result<T, E> {
        Ok(T::from(value))
    }
}

/// The JSON Schema of an open enum: a string, with the known values in its description.
#[cfg(feature = "schemars")]
#[doc(hidden)]
pub fn string_schema(description: &str, values: &[&str]) -> schemars::schema::Schema {
    schemars::schema::SchemaObject {
        instance_type: Some(schemars::schema::InstanceType::String.into()),
        metadata: Some(Box::new(schemars::schema::Metadata {
            description: Some(format!(
                "{} Known values: {}; other values may appear.",
                description.trim(),
                values.join(", ")
            )),
            ..Default::default()
        })),
        ..Default::default()
    }
    .into()
}

/// One open enum of the spec, for tests and tools that check every enum at once.
#[derive(Debug, Clone, Copy)]
pub struct OpenEnumMeta {
    /// The enum's name, as in the spec and in [`crate::types`].
    pub name: &'static str,
    /// The values this version of the SDK knows.
    pub values: &'static [&'static str],
    /// Runs one wire value through the enum's conversions.
    pub probe: fn(&str) -> Probe,
}

/// What the conversions of an open enum made of one wire value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Probe {
    /// Whether the value decoded (as a JSON string) into a known variant.
    pub known: bool,
    /// `as_str()` of the decoded value.
    pub as_str: String,
    /// The decoded value encoded again as JSON.
    pub reencoded: String,
    /// Whether `From<&str>` gave a value equal to the decoded one.
    pub from_str_equal: bool,
    /// Why decoding failed, if it did.
    pub error: Option<String>,
}

/// Runs `value` through decoding, `From<&str>`, `as_str()` and encoding.
pub fn probe<E: OpenEnum>(value: &str) -> Probe {
    let json = serde_json::Value::String(value.to_string()).to_string();
    match serde_json::from_str::<E>(&json) {
        Ok(decoded) => Probe {
            known: !decoded.is_unknown(),
            as_str: decoded.as_str().to_string(),
            reencoded: serde_json::to_string(&decoded).unwrap_or_default(),
            from_str_equal: E::from(value) == decoded,
            error: None,
        },
        Err(error) => Probe {
            known: false,
            as_str: String::new(),
            reencoded: String::new(),
            from_str_equal: false,
            error: Some(error.to_string()),
        },
    }
}

/// Every open enum of the spec.
pub fn open_enums() -> &'static [OpenEnumMeta] {
    &crate::api::operations::OPEN_ENUMS
}
