//! The couriers (CUR-01, CUR-02): reference data every seller shares.
//!
//! The API keeps two lists that must not be mixed: numeric ids for a product's
//! `deliveryPolicy.deliveryCompanyId` (CUR-01, CJ대한통운 = 1) and the Korean names an invoice's
//! `deliveryCompany` takes (CUR-02). Both are read from one table here so they can never
//! disagree about which couriers exist.

use super::Shop;
use super::demo::COURIER_NAME;
use crate::api::types::{DeliveryCompany, DeliveryCompanyList, InvoiceDeliveryCompanyList};
use crate::local::{Call, Fail};

/// One courier: its numeric id (odd numbers, as the live ids run), its Korean name and whether
/// sellers may pick it for new product delivery policies.
#[derive(Debug, Clone)]
struct Courier {
    id: i64,
    name: &'static str,
    enabled: bool,
}

/// The courier table, from the live ids (CJ대한통운 = 1, 롯데 = 3, 한진 = 5, 우체국 = 7,
/// 로젠 = 9) and further domestic couriers continuing the same numbering.
const REFERENCE: &[(i64, &str, bool)] = &[
    (1, COURIER_NAME, true),
    (3, "롯데택배", true),
    (5, "한진택배", true),
    (7, "우체국택배", true),
    (9, "로젠택배", true),
    (11, "경동택배", true),
    (13, "대신택배", true),
    (15, "일양로지스", true),
    (17, "합동택배", true),
    (19, "CU 편의점택배", true),
    (21, "GS Postbox 택배", true),
    // Closed down, so no longer offered for products; old invoices still name it.
    (23, "천일택배", false),
];

/// The couriers every seller sees.
#[derive(Debug, Default)]
pub(crate) struct Couriers {
    couriers: Vec<Courier>,
}

impl Couriers {
    /// The reference couriers.
    pub(crate) fn reference() -> Self {
        let couriers = REFERENCE
            .iter()
            .map(|&(id, name, enabled)| Courier { id, name, enabled })
            .collect();
        Self { couriers }
    }

    /// Whether invoices take this courier name (CUR-02's list, e.g. `CJ대한통운`). The match
    /// is exact: marketplace codes such as `CJGLS` are not Toss values.
    pub(crate) fn is_invoice_courier(&self, name: &str) -> bool {
        self.invoice_names().any(|known| known == name)
    }

    /// The names invoices take: every courier, including those closed to new products,
    /// because a parcel already shipped with them still needs its invoice.
    fn invoice_names(&self) -> impl Iterator<Item = &'static str> + '_ {
        self.couriers.iter().map(|courier| courier.name)
    }
}

impl crate::api::serve::Couriers for Shop {
    /// CUR-01: the couriers with their numeric ids, for product delivery policies.
    fn list_delivery_companies(&mut self, _call: &Call) -> Result<DeliveryCompanyList, Fail> {
        let delivery_companies = self
            .couriers
            .couriers
            .iter()
            .map(|courier| DeliveryCompany {
                id: Some(courier.id),
                name: Some(courier.name.to_string()),
                // The `code` field was typed by one integrator only; the live capture has none.
                code: None,
                is_enabled: Some(courier.enabled),
            })
            .collect();
        Ok(DeliveryCompanyList { delivery_companies })
    }

    /// CUR-02: the courier names invoices take.
    fn list_invoice_delivery_companies(
        &mut self,
        _call: &Call,
    ) -> Result<InvoiceDeliveryCompanyList, Fail> {
        let delivery_companies = self.couriers.invoice_names().map(str::to_string).collect();
        Ok(InvoiceDeliveryCompanyList { delivery_companies })
    }
}
