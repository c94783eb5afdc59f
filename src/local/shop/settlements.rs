//! PLACEHOLDER: the `Settlements` operations, to be written.
#![allow(unused_variables)]
use super::Shop;
use crate::local::{Call, Fail};

/// PLACEHOLDER state.
#[derive(Debug, Default)]
pub(crate) struct SettlementBook {}

impl crate::api::serve::Settlements for Shop {
    fn list_settlement_steps(
        &mut self,
        call: &Call,
    ) -> ::std::result::Result<crate::api::types::SettlementPage, Fail> {
        Err(Fail::internal("not implemented"))
    }
}
