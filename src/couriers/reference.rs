//! [`CourierRef`]: a courier as a caller names it.

use std::fmt;

/// A courier as the caller holds it: Toss's numeric id, a code, or a name. A
/// [`CourierDirectory`](super::CourierDirectory) resolves it to the value the invoice call
/// takes.
///
/// A `&str` or `String` converts to [`CourierRef::Name`] and an `i64` to [`CourierRef::Id`].
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum CourierRef {
    /// The numeric id of `list_delivery_companies` (the one a product's
    /// `deliveryPolicy.deliveryCompanyId` takes), e.g. 1 for CJ대한통운.
    Id(i64),
    /// A code: a value of `list_invoice_delivery_companies` exactly as listed (the docs call
    /// those values courier codes; order rows show them as `deliveryCompanyCode`), or the
    /// `code` of a `list_delivery_companies` entry, compared ignoring ASCII case.
    Code(String),
    /// A name, e.g. `CJ대한통운`: a value of `list_invoice_delivery_companies`, compared
    /// ignoring case and white space (`cj 대한통운` finds `CJ대한통운`).
    Name(String),
}

impl fmt::Display for CourierRef {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Id(id) => write!(f, "courier id {id}"),
            Self::Code(code) => write!(f, "courier code {code:?}"),
            Self::Name(name) => write!(f, "courier name {name:?}"),
        }
    }
}

impl From<i64> for CourierRef {
    fn from(id: i64) -> Self {
        Self::Id(id)
    }
}

impl From<&str> for CourierRef {
    fn from(name: &str) -> Self {
        Self::Name(name.to_string())
    }
}

impl From<String> for CourierRef {
    fn from(name: String) -> Self {
        Self::Name(name)
    }
}

impl From<&CourierRef> for CourierRef {
    fn from(courier: &CourierRef) -> Self {
        courier.clone()
    }
}
