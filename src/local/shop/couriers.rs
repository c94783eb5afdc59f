//! PLACEHOLDER: the `Couriers` operations, to be written.
#![allow(unused_variables)]
use super::Shop;
use crate::local::{Call, Fail};

/// PLACEHOLDER state.
#[derive(Debug, Default)]
pub(crate) struct Couriers {}

impl Couriers {
    pub(crate) fn reference() -> Self {
        Self {}
    }
}

impl crate::api::serve::Couriers for Shop {
    fn list_delivery_companies(
        &mut self,
        call: &Call,
    ) -> ::std::result::Result<crate::api::types::DeliveryCompanyList, Fail> {
        Err(Fail::internal("not implemented"))
    }
    fn list_invoice_delivery_companies(
        &mut self,
        call: &Call,
    ) -> ::std::result::Result<crate::api::types::InvoiceDeliveryCompanyList, Fail> {
        Err(Fail::internal("not implemented"))
    }
}

impl Couriers {
    /// Whether invoices take this courier name (CUR-02's list, e.g. `CJ대한통운`).
    pub(crate) fn is_invoice_courier(&self, name: &str) -> bool {
        // Until the couriers area lands, the demo courier is the one invoices take.
        name == super::demo::COURIER_NAME
    }
}
