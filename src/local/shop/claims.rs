//! PLACEHOLDER: the `Claims` operations, to be written.
#![allow(unused_variables)]
use super::Shop;
use crate::local::{Call, Fail};

/// PLACEHOLDER state.
#[derive(Debug, Default)]
pub(crate) struct ClaimBook {}

impl crate::api::serve::Claims for Shop {
    fn approve_cancel_claim(
        &mut self,
        call: &Call,
        claim_id: i64,
    ) -> ::std::result::Result<::serde_json::Map<::std::string::String, ::serde_json::Value>, Fail>
    {
        Err(Fail::internal("not implemented"))
    }
    fn approve_exchange_claim(
        &mut self,
        call: &Call,
        claim_id: i64,
    ) -> ::std::result::Result<::serde_json::Map<::std::string::String, ::serde_json::Value>, Fail>
    {
        Err(Fail::internal("not implemented"))
    }
    fn approve_return_claim(
        &mut self,
        call: &Call,
        claim_id: i64,
    ) -> ::std::result::Result<::serde_json::Map<::std::string::String, ::serde_json::Value>, Fail>
    {
        Err(Fail::internal("not implemented"))
    }
    fn complete_exchange_claim(
        &mut self,
        call: &Call,
        claim_id: i64,
    ) -> ::std::result::Result<::serde_json::Map<::std::string::String, ::serde_json::Value>, Fail>
    {
        Err(Fail::internal("not implemented"))
    }
    fn complete_return_claim(
        &mut self,
        call: &Call,
        claim_id: i64,
    ) -> ::std::result::Result<::serde_json::Map<::std::string::String, ::serde_json::Value>, Fail>
    {
        Err(Fail::internal("not implemented"))
    }
    fn list_claims(
        &mut self,
        call: &Call,
    ) -> ::std::result::Result<crate::api::types::ClaimPage, Fail> {
        Err(Fail::internal("not implemented"))
    }
    fn mark_exchange_collected(
        &mut self,
        call: &Call,
        claim_id: i64,
    ) -> ::std::result::Result<::serde_json::Map<::std::string::String, ::serde_json::Value>, Fail>
    {
        Err(Fail::internal("not implemented"))
    }
    fn mark_return_collected(
        &mut self,
        call: &Call,
        claim_id: i64,
    ) -> ::std::result::Result<::serde_json::Map<::std::string::String, ::serde_json::Value>, Fail>
    {
        Err(Fail::internal("not implemented"))
    }
    fn reject_cancel_claim(
        &mut self,
        call: &Call,
        claim_id: i64,
        body: ::serde_json::Map<::std::string::String, ::serde_json::Value>,
    ) -> ::std::result::Result<::serde_json::Map<::std::string::String, ::serde_json::Value>, Fail>
    {
        Err(Fail::internal("not implemented"))
    }
    fn reject_exchange_claim(
        &mut self,
        call: &Call,
        claim_id: i64,
        body: ::serde_json::Map<::std::string::String, ::serde_json::Value>,
    ) -> ::std::result::Result<::serde_json::Map<::std::string::String, ::serde_json::Value>, Fail>
    {
        Err(Fail::internal("not implemented"))
    }
    fn reject_exchange_collection(
        &mut self,
        call: &Call,
        claim_id: i64,
        body: ::serde_json::Map<::std::string::String, ::serde_json::Value>,
    ) -> ::std::result::Result<::serde_json::Map<::std::string::String, ::serde_json::Value>, Fail>
    {
        Err(Fail::internal("not implemented"))
    }
    fn reject_return_claim(
        &mut self,
        call: &Call,
        claim_id: i64,
        body: ::serde_json::Map<::std::string::String, ::serde_json::Value>,
    ) -> ::std::result::Result<::serde_json::Map<::std::string::String, ::serde_json::Value>, Fail>
    {
        Err(Fail::internal("not implemented"))
    }
    fn reject_return_collection(
        &mut self,
        call: &Call,
        claim_id: i64,
        body: ::serde_json::Map<::std::string::String, ::serde_json::Value>,
    ) -> ::std::result::Result<::serde_json::Map<::std::string::String, ::serde_json::Value>, Fail>
    {
        Err(Fail::internal("not implemented"))
    }
    fn ship_exchange_replacement(
        &mut self,
        call: &Call,
        claim_id: i64,
        body: ::serde_json::Map<::std::string::String, ::serde_json::Value>,
    ) -> ::std::result::Result<::serde_json::Map<::std::string::String, ::serde_json::Value>, Fail>
    {
        Err(Fail::internal("not implemented"))
    }
}
