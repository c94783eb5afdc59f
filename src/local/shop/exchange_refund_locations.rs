//! The seller's exchange/return addresses (교환반품지, ERL-01..03): the ids products use as
//! `exchangeReturnPolicy.exchangeRefundLocationId`.
//!
//! Rules: a `zipCode` is a five-digit Korean postal code and an `address` is not blank
//! (`detailAddress` may be empty); exactly one location is the main one (`isMain: true` moves
//! the mark, the main location cannot drop it, the first location gets it). The update body
//! is undocumented: this store reads `id` (required) and the create fields, all optional.

use serde::Deserialize;
use serde_json::{Map, Value};

use super::Shop;
use super::delivery_fee_groups::pages;
use crate::api::types::{
    CreatedExchangeRefundLocation, ExchangeRefundLocation, ExchangeRefundLocationCreateRequest,
    ExchangeRefundLocationPage,
};
use crate::local::{Call, Fail};

/// A postal address.
#[derive(Debug, Clone)]
pub(super) struct Address {
    zip_code: String,
    address: String,
    detail_address: String,
}

impl Address {
    /// An address from its postal code, street address and detail.
    pub(super) fn new(zip_code: &str, address: &str, detail_address: &str) -> Self {
        Self {
            zip_code: zip_code.into(),
            address: address.into(),
            detail_address: detail_address.into(),
        }
    }
}

/// One exchange/return location.
#[derive(Debug)]
struct Location {
    id: i64,
    address: Address,
    is_main: bool,
}

/// The seller's exchange/return locations, oldest first.
#[derive(Debug, Default)]
pub(crate) struct ReturnLocations {
    locations: Vec<Location>,
}

/// The fields of an update body this store understands.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
struct LocationUpdate {
    id: Option<i64>,
    zip_code: Option<String>,
    address: Option<String>,
    detail_address: Option<String>,
    is_main: Option<bool>,
}

/// Refuses a postal code that is not five digits.
fn check_zip_code(zip_code: &str) -> Result<(), Fail> {
    if zip_code.len() == 5 && zip_code.bytes().all(|byte| byte.is_ascii_digit()) {
        Ok(())
    } else {
        Err(Fail::invalid_field(
            "zipCode",
            "우편번호는 5자리 숫자로 입력해 주세요.",
        ))
    }
}

/// Refuses a blank street address.
fn check_address(address: &str) -> Result<(), Fail> {
    if address.trim().is_empty() {
        Err(Fail::invalid_field("address", "필수 값이 누락되었습니다."))
    } else {
        Ok(())
    }
}

impl ReturnLocations {
    /// Whether the seller has the exchange/return address `id`.
    pub(crate) fn contains(&self, id: i64) -> bool {
        self.locations.iter().any(|location| location.id == id)
    }

    /// Adds a location. The first location is the main one whatever was asked; a new main
    /// location takes the mark from the old one.
    pub(super) fn add(&mut self, id: i64, address: Address, is_main: bool) {
        let is_main = is_main || self.locations.is_empty();
        if is_main {
            self.clear_main();
        }
        self.locations.push(Location {
            id,
            address,
            is_main,
        });
    }

    /// Takes the main mark off every location, before another one gets it.
    fn clear_main(&mut self) {
        for location in &mut self.locations {
            location.is_main = false;
        }
    }

    /// Where the location `id` is, or `NOT_FOUND`.
    fn position(&self, id: i64) -> Result<usize, Fail> {
        self.locations
            .iter()
            .position(|location| location.id == id)
            .ok_or_else(|| Fail::not_found(format!("존재하지 않는 교환/반품지입니다. ({id})")))
    }

    /// Applies an update to the location `id`.
    fn update(&mut self, id: i64, change: LocationUpdate) -> Result<(), Fail> {
        let index = self.position(id)?;
        let was_main = self.locations.get(index).is_some_and(|place| place.is_main);
        match change.is_main {
            Some(false) if was_main => {
                return Err(Fail::bad_request(
                    "기본 교환/반품지는 해제할 수 없습니다. 다른 주소를 기본 교환/반품지로 지정해 주세요.",
                ));
            }
            Some(true) => self.clear_main(),
            _ => {}
        }
        if let Some(location) = self.locations.get_mut(index) {
            location.is_main |= change.is_main == Some(true);
            let address = &mut location.address;
            if let Some(zip_code) = change.zip_code {
                address.zip_code = zip_code;
            }
            if let Some(street) = change.address {
                address.address = street;
            }
            if let Some(detail) = change.detail_address {
                address.detail_address = detail;
            }
        }
        Ok(())
    }
}

impl LocationUpdate {
    /// The address checks, on the fields that were sent.
    fn check(&self) -> Result<(), Fail> {
        if let Some(zip_code) = &self.zip_code {
            check_zip_code(zip_code)?;
        }
        if let Some(address) = &self.address {
            check_address(address)?;
        }
        Ok(())
    }
}

impl crate::api::serve::ExchangeRefundLocations for Shop {
    /// ERL-02: a new location with a fresh id, after the address checks.
    fn create_exchange_refund_location(
        &mut self,
        _call: &Call,
        body: ExchangeRefundLocationCreateRequest,
    ) -> Result<CreatedExchangeRefundLocation, Fail> {
        check_zip_code(&body.zip_code)?;
        check_address(&body.address)?;
        let id = self.ids.next();
        let address = Address::new(&body.zip_code, &body.address, &body.detail_address);
        self.return_locations
            .add(id, address, body.is_main.unwrap_or(false));
        Ok(CreatedExchangeRefundLocation { id: Some(id) })
    }

    /// ERL-01: one page of locations, oldest first.
    fn list_exchange_refund_locations(
        &mut self,
        call: &Call,
    ) -> Result<ExchangeRefundLocationPage, Fail> {
        let page = pages::page(call, &self.return_locations.locations, |place| place.id)?;
        Ok(ExchangeRefundLocationPage {
            items: page
                .items
                .iter()
                .map(|place| ExchangeRefundLocation {
                    id: Some(place.id),
                    zip_code: Some(place.address.zip_code.clone()),
                    address: Some(place.address.address.clone()),
                    detail_address: Some(place.address.detail_address.clone()),
                    is_main: Some(place.is_main),
                })
                .collect(),
            next_token: page.next_token,
            has_next: Some(page.has_next),
        })
    }

    /// ERL-03: changes the location the body's `id` names; `NOT_FOUND` for an unknown one.
    fn update_exchange_refund_location(
        &mut self,
        call: &Call,
        body: Map<String, Value>,
    ) -> Result<Map<String, Value>, Fail> {
        let change: LocationUpdate = call.body(Some(Value::Object(body)))?;
        change.check()?;
        let id = change
            .id
            .ok_or_else(|| Fail::invalid_field("id", "필수 값이 누락되었습니다."))?;
        self.return_locations.update(id, change)?;
        Ok(Map::new())
    }
}
