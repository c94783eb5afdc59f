//! PLACEHOLDER: the `Notices` operations, to be written.
#![allow(unused_variables)]
use super::Shop;
use crate::local::{Call, Fail};

/// PLACEHOLDER state.
#[derive(Debug, Default)]
pub(crate) struct NoticeBook {}

impl NoticeBook {
    pub(crate) fn reference() -> Self {
        Self {}
    }
}

impl crate::api::serve::Notices for Shop {
    fn list_notice_category_codes(
        &mut self,
        call: &Call,
    ) -> ::std::result::Result<crate::api::types::NoticeCategoryCodes, Fail> {
        Err(Fail::internal("not implemented"))
    }
    fn list_notice_items(
        &mut self,
        call: &Call,
    ) -> ::std::result::Result<crate::api::types::NoticeItems, Fail> {
        Err(Fail::internal("not implemented"))
    }
}
