//! PLACEHOLDER: the `Merchant` operations, to be written.
#![allow(unused_variables)]
use super::Shop;
use crate::local::{Call, Fail};
use chrono::NaiveDateTime;

/// PLACEHOLDER state.
#[derive(Debug, Default)]
pub(crate) struct MerchantBook {}

impl Shop {
    /// Seeds the demo penalties and holidays.
    pub(crate) fn seed_merchant(&mut self, _now: NaiveDateTime) {}
}
impl crate::api::serve::Merchant for Shop {
    fn create_holiday(
        &mut self,
        call: &Call,
        body: ::serde_json::Map<::std::string::String, ::serde_json::Value>,
    ) -> ::std::result::Result<::serde_json::Map<::std::string::String, ::serde_json::Value>, Fail>
    {
        Err(Fail::internal("not implemented"))
    }
    fn delete_holiday(
        &mut self,
        call: &Call,
        holiday_id: i64,
    ) -> ::std::result::Result<::serde_json::Map<::std::string::String, ::serde_json::Value>, Fail>
    {
        Err(Fail::internal("not implemented"))
    }
    fn get_penalty_summary(
        &mut self,
        call: &Call,
    ) -> ::std::result::Result<crate::api::types::PenaltySummary, Fail> {
        Err(Fail::internal("not implemented"))
    }
    fn list_holidays(
        &mut self,
        call: &Call,
    ) -> ::std::result::Result<::serde_json::Map<::std::string::String, ::serde_json::Value>, Fail>
    {
        Err(Fail::internal("not implemented"))
    }
    fn list_penalty_impositions(
        &mut self,
        call: &Call,
    ) -> ::std::result::Result<::serde_json::Map<::std::string::String, ::serde_json::Value>, Fail>
    {
        Err(Fail::internal("not implemented"))
    }
    fn submit_penalty_appeal(
        &mut self,
        call: &Call,
        body: ::serde_json::Map<::std::string::String, ::serde_json::Value>,
    ) -> ::std::result::Result<::serde_json::Map<::std::string::String, ::serde_json::Value>, Fail>
    {
        Err(Fail::internal("not implemented"))
    }
    fn update_holiday(
        &mut self,
        call: &Call,
        holiday_id: i64,
        body: ::serde_json::Map<::std::string::String, ::serde_json::Value>,
    ) -> ::std::result::Result<::serde_json::Map<::std::string::String, ::serde_json::Value>, Fail>
    {
        Err(Fail::internal("not implemented"))
    }
}

impl MerchantBook {
    /// Imposes penalty points on the seller (a seller-initiated cancel costs points).
    pub(crate) fn impose_penalty(&mut self, now: NaiveDateTime, reason: &str, points: i64) {}
}
