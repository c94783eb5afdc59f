//! The seller's standing (MER-01..03: penalty summary, impositions, appeals) and holidays
//! (MER-04..07). The penalties live in [`penalties`], the holidays in [`holidays`]; this
//! module wires both to the spec's operations.
//!
//! Every payload here is undocumented; the shapes follow the captured answers
//! (`penaltyImpositionId`, `holidayId`, `startDate`/`endDate` as `yyyy-MM-dd`).

use chrono::{Days, NaiveDateTime};
use serde::Serialize;
use serde_json::{Map, Value};

use super::Shop;
use crate::api::types::PenaltySummary;
use crate::local::{Call, Fail};

/// The seller's penalties and holidays.
#[derive(Debug, Default)]
pub(crate) struct MerchantBook {
    penalties: penalties::Penalties,
    holidays: holidays::Holidays,
}

impl MerchantBook {
    /// Imposes penalty points on the seller (a seller-initiated cancel costs points).
    pub(crate) fn impose_penalty(&mut self, now: NaiveDateTime, reason: &str, points: i64) {
        self.penalties.impose(now, None, reason, points);
    }
}

/// A payload struct as the JSON object the free-form operations answer with.
fn object<T: Serialize>(payload: &T) -> Result<Map<String, Value>, Fail> {
    match serde_json::to_value(payload) {
        Ok(Value::Object(map)) => Ok(map),
        Ok(_) => Err(Fail::internal("payload is not an object")),
        Err(e) => Err(Fail::internal(&e.to_string())),
    }
}

impl Shop {
    /// Seeds the demo penalties (a late dispatch 20 days ago and a claim left unprocessed 9
    /// days ago: 4 points, not suspended) and one holiday two weeks ahead.
    pub(crate) fn seed_merchant(&mut self, now: NaiveDateTime) {
        let days_ago = |days| now.checked_sub_days(Days::new(days)).unwrap_or(now);
        let penalties = &mut self.merchant.penalties;
        penalties.impose(
            days_ago(20),
            Some("LATE_DISPATCH"),
            "발송 기한 초과 (주문일로부터 3영업일)",
            1,
        );
        penalties.impose(
            days_ago(9),
            Some("CLAIM_NOT_PROCESSED"),
            "반품 요청 3영업일 이상 미처리",
            3,
        );
        let id = self.ids.next();
        self.merchant.holidays.seed(id, now.date(), "여름 휴가");
    }
}

impl crate::api::serve::Merchant for Shop {
    /// MER-05: registers a holiday and answers with its `holidayId`.
    fn create_holiday(
        &mut self,
        call: &Call,
        body: Map<String, Value>,
    ) -> Result<Map<String, Value>, Fail> {
        let body = call.body(Some(Value::Object(body)))?;
        let id = self.ids.next();
        self.merchant.holidays.create(id, call.now().date(), body)?;
        Ok(Map::from_iter([("holidayId".to_string(), Value::from(id))]))
    }

    /// MER-07: deletes a holiday that has not ended.
    fn delete_holiday(&mut self, call: &Call, holiday_id: i64) -> Result<Map<String, Value>, Fail> {
        self.merchant
            .holidays
            .delete(holiday_id, call.now().date())?;
        Ok(Map::new())
    }

    /// MER-01: the standing computed from the impositions at the server's time.
    fn get_penalty_summary(&mut self, call: &Call) -> Result<PenaltySummary, Fail> {
        Ok(self.merchant.penalties.summary(call.now()))
    }

    /// MER-04: the holidays within the queried range.
    fn list_holidays(&mut self, call: &Call) -> Result<Map<String, Value>, Fail> {
        object(&self.merchant.holidays.list(call)?)
    }

    /// MER-02: one page of impositions, newest first.
    fn list_penalty_impositions(&mut self, call: &Call) -> Result<Map<String, Value>, Fail> {
        object(&self.merchant.penalties.page(call)?)
    }

    /// MER-03: files an appeal, once per existing imposition.
    fn submit_penalty_appeal(
        &mut self,
        call: &Call,
        body: Map<String, Value>,
    ) -> Result<Map<String, Value>, Fail> {
        let body = call.body(Some(Value::Object(body)))?;
        let id = self.ids.next();
        object(&self.merchant.penalties.appeal(id, call.now(), body)?)
    }

    /// MER-06: changes a holiday that has not ended.
    fn update_holiday(
        &mut self,
        call: &Call,
        holiday_id: i64,
        body: Map<String, Value>,
    ) -> Result<Map<String, Value>, Fail> {
        let body = call.body(Some(Value::Object(body)))?;
        self.merchant
            .holidays
            .update(holiday_id, call.now().date(), body)?;
        Ok(Map::new())
    }
}

/// Penalty impositions, the summary computed from them, and appeals.
mod penalties {
    use std::collections::BTreeMap;

    use chrono::{Days, NaiveDateTime, Timelike};
    use serde::{Deserialize, Serialize};

    use crate::api::types::PenaltySummary;
    use crate::local::{Call, Fail};
    use crate::time::KstDateTime;

    /// Points within [`SUSPENSION_DAYS`] that put a penalty (suspension) in force (§3.10:
    /// 10 points within 30 days).
    const SUSPENSION_POINTS: i64 = 10;
    /// The window of [`SUSPENSION_POINTS`], in days.
    const SUSPENSION_DAYS: u64 = 30;
    /// The first imposition id of a seller. Impositions are numbered by the book itself,
    /// because other areas impose penalties without access to the store's id source.
    const FIRST_ID: i64 = 7_001;
    /// Impositions per page when `size` is not sent.
    const DEFAULT_SIZE: usize = 20;
    /// The largest `size` accepted; the vendor's maximum is undocumented.
    const MAX_SIZE: usize = 100;
    /// The longest appeal text accepted (a guess; the vendor documents no limit).
    const MAX_DESCRIPTION: usize = 1_000;

    /// One imposed penalty.
    #[derive(Debug)]
    struct Imposition {
        id: i64,
        /// The vendor's penalty kind where known (demo data); other areas impose penalties
        /// by reason text only, so theirs have none.
        penalty_type: Option<&'static str>,
        reason: String,
        score: i64,
        imposed_at: NaiveDateTime,
        appeal: Option<Appeal>,
    }

    /// The appeal filed against an imposition; the API allows one per imposition.
    #[derive(Debug)]
    struct Appeal {
        id: i64,
        requested_at: NaiveDateTime,
    }

    /// The seller's impositions, oldest first.
    #[derive(Debug, Default)]
    pub(super) struct Penalties {
        impositions: Vec<Imposition>,
    }

    /// The fields of an appeal body (MER-03); both are required.
    #[derive(Debug, Deserialize)]
    #[serde(rename_all = "camelCase")]
    pub(super) struct AppealBody {
        penalty_imposition_id: Option<i64>,
        description: Option<String>,
    }

    /// The answer to an accepted appeal.
    #[derive(Debug, Serialize)]
    #[serde(rename_all = "camelCase")]
    pub(super) struct AppealReceipt {
        appeal_id: i64,
        penalty_imposition_id: i64,
        status: &'static str,
        requested_at: Option<KstDateTime>,
    }

    /// One page of MER-02, newest first.
    #[derive(Debug, Serialize)]
    #[serde(rename_all = "camelCase")]
    pub(super) struct ImpositionPage<'a> {
        items: Vec<ImpositionRow<'a>>,
        has_next: bool,
        /// The `cursorId` of the next page: the last imposition of this one.
        next_cursor_id: Option<i64>,
    }

    /// One imposition as MER-02 shows it.
    #[derive(Debug, Serialize)]
    #[serde(rename_all = "camelCase")]
    struct ImpositionRow<'a> {
        penalty_imposition_id: i64,
        penalty_type: Option<&'a str>,
        reason: &'a str,
        score: i64,
        imposed_at: Option<KstDateTime>,
        appeal_id: Option<i64>,
        appeal_status: Option<&'static str>,
        appealed_at: Option<KstDateTime>,
    }

    /// The status of an appeal: nobody reviews appeals here, so they stay requested.
    const REQUESTED: &str = "REQUESTED";

    /// A time without its fraction of a second, as the API writes timestamps.
    fn timestamp(at: NaiveDateTime) -> Option<KstDateTime> {
        KstDateTime::from_naive_kst(at.with_nanosecond(0).unwrap_or(at))
    }

    impl Penalties {
        /// Records a penalty of `score` points imposed at `at`.
        pub(super) fn impose(
            &mut self,
            at: NaiveDateTime,
            penalty_type: Option<&'static str>,
            reason: &str,
            score: i64,
        ) {
            let id = FIRST_ID.saturating_add(self.impositions.len() as i64);
            self.impositions.push(Imposition {
                id,
                penalty_type,
                reason: reason.to_string(),
                score,
                imposed_at: at,
                appeal: None,
            });
        }

        /// The standing at `now`: every imposition counts towards the score; a penalty is in
        /// force while the points of the last 30 days reach the suspension threshold.
        pub(super) fn summary(&self, now: NaiveDateTime) -> PenaltySummary {
            let since = now
                .checked_sub_days(Days::new(SUSPENSION_DAYS))
                .unwrap_or(now);
            let total: i64 = self.impositions.iter().map(|penalty| penalty.score).sum();
            let recent: i64 = self
                .impositions
                .iter()
                .filter(|penalty| penalty.imposed_at > since && penalty.imposed_at <= now)
                .map(|penalty| penalty.score)
                .sum();
            PenaltySummary {
                score: i32::try_from(total).unwrap_or(i32::MAX),
                count: i32::try_from(self.impositions.len()).unwrap_or(i32::MAX),
                is_penalized: recent >= SUSPENSION_POINTS,
            }
        }

        /// The page `call` asks for: newest first, after its `cursorId`, `size` at most.
        pub(super) fn page(&self, call: &Call) -> Result<ImpositionPage<'_>, Fail> {
            let cursor = call.query::<i64>("cursorId")?;
            let size = page_size(call)?;
            let mut rest = self
                .impositions
                .iter()
                .rev()
                .filter(|penalty| cursor.is_none_or(|cursor| penalty.id < cursor));
            let items: Vec<&Imposition> = rest.by_ref().take(size).collect();
            let has_next = rest.next().is_some();
            let next_cursor_id = items.last().filter(|_| has_next).map(|last| last.id);
            Ok(ImpositionPage {
                items: items.into_iter().map(Imposition::row).collect(),
                has_next,
                next_cursor_id,
            })
        }

        /// Files the appeal `id` against the imposition the body names: it must exist and
        /// not have been appealed before.
        pub(super) fn appeal(
            &mut self,
            id: i64,
            now: NaiveDateTime,
            body: AppealBody,
        ) -> Result<AppealReceipt, Fail> {
            let target = body.check()?;
            let penalty = self
                .impositions
                .iter_mut()
                .find(|penalty| penalty.id == target)
                .ok_or_else(|| {
                    Fail::not_found(format!("존재하지 않는 페널티 부과 내역입니다. ({target})"))
                })?;
            if penalty.appeal.is_some() {
                return Err(Fail::bad_request(format!(
                    "이미 소명을 제출한 페널티입니다. ({target})"
                )));
            }
            penalty.appeal = Some(Appeal {
                id,
                requested_at: now,
            });
            Ok(AppealReceipt {
                appeal_id: id,
                penalty_imposition_id: target,
                status: REQUESTED,
                requested_at: timestamp(now),
            })
        }
    }

    impl Imposition {
        /// The imposition as MER-02 shows it.
        fn row(&self) -> ImpositionRow<'_> {
            ImpositionRow {
                penalty_imposition_id: self.id,
                penalty_type: self.penalty_type,
                reason: &self.reason,
                score: self.score,
                imposed_at: timestamp(self.imposed_at),
                appeal_id: self.appeal.as_ref().map(|appeal| appeal.id),
                appeal_status: self.appeal.as_ref().map(|_| REQUESTED),
                appealed_at: self
                    .appeal
                    .as_ref()
                    .and_then(|appeal| timestamp(appeal.requested_at)),
            }
        }
    }

    impl AppealBody {
        /// The imposition appealed, once both fields are present and the text is usable;
        /// every problem at once, as a field map.
        fn check(&self) -> Result<i64, Fail> {
            let mut problems = BTreeMap::new();
            if self.penalty_imposition_id.is_none() {
                problems.insert("penaltyImpositionId".into(), MISSING.into());
            }
            match self.description.as_deref().map(str::trim) {
                None | Some("") => {
                    problems.insert("description".into(), MISSING.into());
                }
                Some(text) if text.chars().count() > MAX_DESCRIPTION => {
                    problems.insert(
                        "description".into(),
                        format!("{MAX_DESCRIPTION}자 이하로 입력해 주세요."),
                    );
                }
                Some(_) => {}
            }
            match self.penalty_imposition_id {
                Some(id) if problems.is_empty() => Ok(id),
                _ => Err(Fail::invalid(problems)),
            }
        }
    }

    /// The vendor's message for a missing value.
    const MISSING: &str = "필수 값이 누락되었습니다.";

    /// The page size asked for, within 1 to [`MAX_SIZE`].
    fn page_size(call: &Call) -> Result<usize, Fail> {
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

/// The seller's holidays: date ranges that do not overlap and are not in the past when they
/// are registered.
mod holidays {
    use std::str::FromStr;

    use chrono::{Days, NaiveDate};
    use serde::{Deserialize, Serialize};

    use crate::local::{Call, Fail};
    use crate::time::KstDate;

    /// What a holiday is called when the body gives no description.
    const DEFAULT_DESCRIPTION: &str = "휴무";

    /// One holiday: the days from `start` to `end`, both included.
    #[derive(Debug)]
    struct Holiday {
        id: i64,
        start: NaiveDate,
        end: NaiveDate,
        description: String,
    }

    /// The seller's holidays, in the order they were registered.
    #[derive(Debug, Default)]
    pub(super) struct Holidays {
        holidays: Vec<Holiday>,
    }

    /// The fields of a create or update body (MER-05, MER-06). Creating needs both dates;
    /// an update changes the fields it sends.
    #[derive(Debug, Deserialize)]
    #[serde(rename_all = "camelCase")]
    pub(super) struct HolidayBody {
        start_date: Option<String>,
        end_date: Option<String>,
        description: Option<String>,
    }

    /// The answer of MER-04.
    #[derive(Debug, Serialize)]
    pub(super) struct HolidayList<'a> {
        items: Vec<HolidayRow<'a>>,
    }

    /// One holiday as MER-04 shows it.
    #[derive(Debug, Serialize)]
    #[serde(rename_all = "camelCase")]
    struct HolidayRow<'a> {
        holiday_id: i64,
        start_date: KstDate,
        end_date: KstDate,
        description: &'a str,
    }

    /// A `yyyy-MM-dd` date, or `INVALID_REQUEST` naming `field`.
    fn date(field: &str, text: &str) -> Result<NaiveDate, Fail> {
        KstDate::from_str(text)
            .map(|date| date.date())
            .map_err(|_| Fail::invalid_field(field, "yyyy-MM-dd 형식으로 입력해 주세요."))
    }

    /// An optional body date.
    fn sent_date(field: &str, text: Option<&str>) -> Result<Option<NaiveDate>, Fail> {
        text.map(|text| date(field, text)).transpose()
    }

    /// The vendor's refusal of a missing required field.
    fn missing(field: &str) -> Fail {
        Fail::invalid_field(field, "필수 값이 누락되었습니다.")
    }

    impl HolidayBody {
        /// The `startDate` sent, checked.
        fn start(&self) -> Result<Option<NaiveDate>, Fail> {
            sent_date("startDate", self.start_date.as_deref())
        }

        /// The `endDate` sent, checked.
        fn end(&self) -> Result<Option<NaiveDate>, Fail> {
            sent_date("endDate", self.end_date.as_deref())
        }

        /// The description, or the default when none (or a blank one) was sent.
        fn description(&self) -> Option<String> {
            self.description
                .as_deref()
                .map(str::trim)
                .filter(|text| !text.is_empty())
                .map(str::to_string)
        }
    }

    impl Holidays {
        /// The demo holiday: three days starting two weeks after `today`.
        pub(super) fn seed(&mut self, id: i64, today: NaiveDate, description: &str) {
            let start = today.checked_add_days(Days::new(14)).unwrap_or(today);
            let end = start.checked_add_days(Days::new(2)).unwrap_or(start);
            self.holidays.push(Holiday {
                id,
                start,
                end,
                description: description.to_string(),
            });
        }

        /// Registers the holiday `id` from a body with both dates.
        pub(super) fn create(
            &mut self,
            id: i64,
            today: NaiveDate,
            body: HolidayBody,
        ) -> Result<(), Fail> {
            let start = body.start()?.ok_or_else(|| missing("startDate"))?;
            let end = body.end()?.ok_or_else(|| missing("endDate"))?;
            self.check_range(None, start, end, today)?;
            let description = body
                .description()
                .unwrap_or_else(|| DEFAULT_DESCRIPTION.to_string());
            self.holidays.push(Holiday {
                id,
                start,
                end,
                description,
            });
            Ok(())
        }

        /// Changes the fields the body sends, under the same rules as registering; a holiday
        /// in progress keeps its start date.
        pub(super) fn update(
            &mut self,
            id: i64,
            today: NaiveDate,
            body: HolidayBody,
        ) -> Result<(), Fail> {
            let current = self.current(id, today, "수정")?;
            let start = body.start()?.unwrap_or(current.start);
            let end = body.end()?.unwrap_or(current.end);
            self.check_range(Some(current), start, end, today)?;
            if let Some(holiday) = self.holidays.iter_mut().find(|holiday| holiday.id == id) {
                holiday.start = start;
                holiday.end = end;
                if let Some(description) = body.description() {
                    holiday.description = description;
                }
            }
            Ok(())
        }

        /// Deletes a holiday that has not ended yet.
        pub(super) fn delete(&mut self, id: i64, today: NaiveDate) -> Result<(), Fail> {
            self.current(id, today, "삭제")?;
            self.holidays.retain(|holiday| holiday.id != id);
            Ok(())
        }

        /// The holidays that share at least one day with the `startDate`..`endDate` range of
        /// the query, earliest first.
        pub(super) fn list(&self, call: &Call) -> Result<HolidayList<'_>, Fail> {
            let from = query_date(call, "startDate")?;
            let to = query_date(call, "endDate")?;
            if to < from {
                return Err(Fail::invalid_field(
                    "endDate",
                    "종료일은 시작일보다 빠를 수 없습니다.",
                ));
            }
            let mut found: Vec<&Holiday> = self
                .holidays
                .iter()
                .filter(|holiday| holiday.start <= to && from <= holiday.end)
                .collect();
            found.sort_by_key(|holiday| (holiday.start, holiday.id));
            Ok(HolidayList {
                items: found.into_iter().map(Holiday::row).collect(),
            })
        }

        /// The holiday `id`, if it exists and has not ended (an ended holiday is history:
        /// it can be neither changed nor deleted, the `action` named in the refusal).
        fn current(&self, id: i64, today: NaiveDate, action: &str) -> Result<&Holiday, Fail> {
            let holiday = self
                .holidays
                .iter()
                .find(|holiday| holiday.id == id)
                .ok_or_else(|| Fail::not_found(format!("존재하지 않는 휴무일입니다. ({id})")))?;
            if holiday.end < today {
                return Err(Fail::bad_request(format!(
                    "이미 지난 휴무일은 {action}할 수 없습니다. ({id})"
                )));
            }
            Ok(holiday)
        }

        /// The rules of a range: it runs forwards, does not reach into the past (a holiday in
        /// progress, `current`, may keep its start) and overlaps no other holiday.
        fn check_range(
            &self,
            current: Option<&Holiday>,
            start: NaiveDate,
            end: NaiveDate,
            today: NaiveDate,
        ) -> Result<(), Fail> {
            if end < start {
                return Err(Fail::invalid_field(
                    "endDate",
                    "종료일은 시작일보다 빠를 수 없습니다.",
                ));
            }
            let keeps_start = current.is_some_and(|holiday| holiday.start == start);
            if end < today || (start < today && !keeps_start) {
                return Err(Fail::bad_request(
                    "오늘 이전 날짜는 휴무일로 등록할 수 없습니다.",
                ));
            }
            let own = current.map(|holiday| holiday.id);
            match self
                .holidays
                .iter()
                .find(|other| Some(other.id) != own && other.start <= end && start <= other.end)
            {
                Some(other) => Err(Fail::bad_request(format!(
                    "이미 등록된 휴무일과 기간이 겹칩니다. ({})",
                    other.id
                ))),
                None => Ok(()),
            }
        }
    }

    impl Holiday {
        /// The holiday as MER-04 shows it.
        fn row(&self) -> HolidayRow<'_> {
            HolidayRow {
                holiday_id: self.id,
                start_date: self.start.into(),
                end_date: self.end.into(),
                description: &self.description,
            }
        }
    }

    /// A required `yyyy-MM-dd` query date.
    fn query_date(call: &Call, name: &str) -> Result<NaiveDate, Fail> {
        let text = call.query_text(name).ok_or_else(|| missing(name))?;
        date(name, text)
    }
}

/// The suspension rule, which no operation of this area can trigger on its own (penalties
/// come from other areas, such as seller cancels).
#[cfg(test)]
mod tests {
    use chrono::{Days, NaiveDate, NaiveDateTime};

    use super::MerchantBook;

    fn noon(day: u32) -> NaiveDateTime {
        NaiveDate::from_ymd_opt(2026, 7, day)
            .and_then(|date| date.and_hms_opt(12, 0, 0))
            .unwrap()
    }

    #[test]
    fn ten_points_within_thirty_days_put_a_penalty_in_force_until_they_age_out() {
        let mut book = MerchantBook::default();
        book.impose_penalty(noon(1), "판매자 직접 취소", 4);
        book.impose_penalty(noon(2), "판매자 직접 취소", 4);
        assert!(!book.penalties.summary(noon(3)).is_penalized);
        book.impose_penalty(noon(3), "가송장 등록", 3);
        let summary = book.penalties.summary(noon(3));
        assert_eq!((summary.score, summary.count), (11, 3));
        assert!(summary.is_penalized);
        // Thirty days after the first, only 7 recent points remain; the score stays.
        let later = noon(1).checked_add_days(Days::new(30)).unwrap();
        let summary = book.penalties.summary(later);
        assert_eq!(summary.score, 11);
        assert!(!summary.is_penalized);
    }
}
