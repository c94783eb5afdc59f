//! The seller's delivery-fee bundle groups (배송비 묶음 그룹, DLG-01..03): the ids products
//! use as `deliveryPolicy.deliveryLocationId`.
//!
//! The write bodies are undocumented (free-form JSON). This store reads `id` (updates only),
//! `name`, `isMain` and `deliveryFee` from them and ignores the rest, with these rules:
//! a group needs a non-blank name no other group of the seller uses; exactly one group is the
//! main one (`isMain: true` moves the mark, the main group cannot drop it, the first group
//! gets it); a `deliveryFee` is a non-negative number of won in 10-won steps.

use chrono::NaiveDateTime;
use serde::Deserialize;
use serde_json::{Map, Value, json};

use super::Shop;
use super::demo::{DELIVERY_FEE_GROUP_ID, RETURN_LOCATION_ID};
use super::exchange_refund_locations::Address;
use crate::api::types::{DeliveryFeeGroup, DeliveryFeeGroupPage};
use crate::local::{Call, Fail};

/// One bundle group.
#[derive(Debug)]
struct FeeGroup {
    id: i64,
    name: String,
    is_main: bool,
}

/// The seller's bundle groups, oldest first.
#[derive(Debug, Default)]
pub(crate) struct FeeGroups {
    groups: Vec<FeeGroup>,
}

/// The fields of a create or update body this store understands.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
struct FeeGroupBody {
    id: Option<i64>,
    name: Option<String>,
    is_main: Option<bool>,
    delivery_fee: Option<i64>,
}

impl FeeGroupBody {
    /// The checks both writes share: a sent name is not blank, a sent fee is whole 10 won.
    fn check(&self) -> Result<(), Fail> {
        if self
            .name
            .as_deref()
            .is_some_and(|name| name.trim().is_empty())
        {
            return Err(Fail::invalid_field("name", "필수 값이 누락되었습니다."));
        }
        match self.delivery_fee {
            Some(fee) if fee < 0 || fee % 10 != 0 => Err(Fail::invalid_field(
                "deliveryFee",
                "배송비는 0원 이상, 10원 단위로 입력해 주세요.",
            )),
            _ => Ok(()),
        }
    }
}

impl FeeGroups {
    /// Whether the seller has the delivery-fee group `id` (a product's `deliveryLocationId`).
    pub(crate) fn contains(&self, id: i64) -> bool {
        self.groups.iter().any(|group| group.id == id)
    }

    /// Adds a group. The first group is the main one whatever was asked; a new main group
    /// takes the mark from the old one.
    fn add(&mut self, id: i64, name: String, is_main: bool) {
        let is_main = is_main || self.groups.is_empty();
        if is_main {
            self.clear_main();
        }
        self.groups.push(FeeGroup { id, name, is_main });
    }

    /// Takes the main mark off every group, before another one gets it.
    fn clear_main(&mut self) {
        for group in &mut self.groups {
            group.is_main = false;
        }
    }

    /// Refuses a name another group (not `except`) already uses.
    fn check_name_free(&self, name: &str, except: Option<i64>) -> Result<(), Fail> {
        let taken = self
            .groups
            .iter()
            .any(|group| group.name == name && Some(group.id) != except);
        if taken {
            return Err(Fail::bad_request(format!(
                "이미 사용 중인 묶음 그룹 이름입니다. ({name})"
            )));
        }
        Ok(())
    }

    /// Where the group `id` is, or `NOT_FOUND`.
    fn position(&self, id: i64) -> Result<usize, Fail> {
        self.groups
            .iter()
            .position(|group| group.id == id)
            .ok_or_else(|| Fail::not_found(format!("존재하지 않는 배송비 묶음 그룹입니다. ({id})")))
    }

    /// Applies an update to the group `id`.
    fn update(&mut self, id: i64, body: FeeGroupBody) -> Result<(), Fail> {
        let index = self.position(id)?;
        if let Some(name) = &body.name {
            self.check_name_free(name, Some(id))?;
        }
        let was_main = self.groups.get(index).is_some_and(|group| group.is_main);
        match body.is_main {
            Some(false) if was_main => {
                return Err(Fail::bad_request(
                    "기본 묶음 그룹은 해제할 수 없습니다. 다른 그룹을 기본 묶음 그룹으로 지정해 주세요.",
                ));
            }
            Some(true) => self.clear_main(),
            _ => {}
        }
        if let Some(group) = self.groups.get_mut(index) {
            if body.is_main == Some(true) {
                group.is_main = true;
            }
            if let Some(name) = body.name {
                group.name = name;
            }
        }
        Ok(())
    }
}

impl Shop {
    /// Seeds the delivery-fee groups and the exchange/return addresses of the demo data: the
    /// default group and return address the demo products use, and one more of each.
    pub(crate) fn seed_logistics(&mut self, _now: NaiveDateTime) {
        self.fee_groups
            .add(DELIVERY_FEE_GROUP_ID, "기본 묶음 그룹".into(), true);
        let island = self.ids.next();
        self.fee_groups
            .add(island, "제주/도서산간 묶음".into(), false);
        self.return_locations.add(
            RETURN_LOCATION_ID,
            Address::new(
                "17400",
                "경기도 이천시 부발읍 경충대로 2091",
                "토스상회 물류센터 2층",
            ),
            true,
        );
        let second = self.ids.next();
        self.return_locations.add(
            second,
            Address::new(
                "22161",
                "인천광역시 미추홀구 인하로 100",
                "토스상회 반품센터",
            ),
            false,
        );
    }
}

impl crate::api::serve::DeliveryFeeGroups for Shop {
    /// DLG-02: a new group with a fresh id (`{"id": …}`), under the rules of the module.
    fn create_delivery_fee_group(
        &mut self,
        call: &Call,
        body: Map<String, Value>,
    ) -> Result<Map<String, Value>, Fail> {
        let body: FeeGroupBody = call.body(Some(Value::Object(body)))?;
        body.check()?;
        let name = body
            .name
            .ok_or_else(|| Fail::invalid_field("name", "필수 값이 누락되었습니다."))?;
        self.fee_groups.check_name_free(&name, None)?;
        let id = self.ids.next();
        self.fee_groups.add(id, name, body.is_main.unwrap_or(false));
        Ok(Map::from_iter([("id".to_string(), json!(id))]))
    }

    /// DLG-01: one page of groups, oldest first.
    fn list_delivery_fee_groups(&mut self, call: &Call) -> Result<DeliveryFeeGroupPage, Fail> {
        let page = pages::page(call, &self.fee_groups.groups, |group| group.id)?;
        Ok(DeliveryFeeGroupPage {
            items: page
                .items
                .iter()
                .map(|group| DeliveryFeeGroup {
                    id: Some(group.id),
                    is_main: Some(group.is_main),
                })
                .collect(),
            next_token: page.next_token,
            has_next: Some(page.has_next),
        })
    }

    /// DLG-03: changes the group the body's `id` names; `NOT_FOUND` for an unknown one.
    fn update_delivery_fee_group(
        &mut self,
        call: &Call,
        body: Map<String, Value>,
    ) -> Result<Map<String, Value>, Fail> {
        let body: FeeGroupBody = call.body(Some(Value::Object(body)))?;
        body.check()?;
        let id = body
            .id
            .ok_or_else(|| Fail::invalid_field("id", "필수 값이 누락되었습니다."))?;
        self.fee_groups.update(id, body)?;
        Ok(Map::new())
    }
}

/// The `nextToken`/`size` paging of the seller's logistics lists (DLG-01, ERL-01).
///
/// Rows are listed oldest first (by id). The token is the id of the last row of the page, so
/// a row created while a client pages through still shows up, and none is listed twice.
pub(super) mod pages {
    use crate::local::{Call, Fail};

    /// Rows per page when `size` is not sent.
    const DEFAULT_SIZE: usize = 20;
    /// The largest `size` accepted; the vendor's maximum is undocumented.
    const MAX_SIZE: usize = 100;

    /// One page of rows.
    pub(in crate::local::shop) struct Page<'a, T> {
        pub(in crate::local::shop) items: Vec<&'a T>,
        pub(in crate::local::shop) next_token: Option<String>,
        pub(in crate::local::shop) has_next: bool,
    }

    /// The page `call` asks for (its `nextToken` and `size`) out of `rows`, which are in
    /// ascending `id_of` order.
    pub(in crate::local::shop) fn page<'a, T>(
        call: &Call,
        rows: &'a [T],
        id_of: impl Fn(&T) -> i64,
    ) -> Result<Page<'a, T>, Fail> {
        let after = token(call)?;
        let size = size(call)?;
        let mut rest = rows
            .iter()
            .filter(|row| after.is_none_or(|after| id_of(row) > after));
        let items: Vec<&T> = rest.by_ref().take(size).collect();
        let has_next = rest.next().is_some();
        let next_token = items
            .last()
            .filter(|_| has_next)
            .map(|last| id_of(last).to_string());
        Ok(Page {
            items,
            next_token,
            has_next,
        })
    }

    /// The id after which the page starts, from `nextToken`.
    fn token(call: &Call) -> Result<Option<i64>, Fail> {
        call.query::<i64>("nextToken")
            .map_err(|_| Fail::invalid_field("nextToken", "유효하지 않은 nextToken 입니다."))
    }

    /// The page size asked for, within 1 to [`MAX_SIZE`].
    fn size(call: &Call) -> Result<usize, Fail> {
        match call.query::<usize>("size")? {
            None => Ok(DEFAULT_SIZE),
            Some(size) if (1..=MAX_SIZE).contains(&size) => Ok(size),
            Some(_) => Err(Fail::invalid_field(
                "size",
                "1 이상 100 이하로 입력해 주세요.",
            )),
        }
    }
}
