//! ORD-03: moving order products to a status of the write set, one id at a time, with the
//! ids that may not move reported inside a SUCCESS answer (the vendor's partial failure).

use chrono::{Duration, NaiveDate, NaiveDateTime, NaiveTime};

use super::OrderRow;
use crate::api::types::{
    FailedReason, FailedReasonDetail, OrderProductStatus, OrderProductStatusChange,
    OrderProductStatusChangeRequest, OrderProductStatusChangeResult,
};
use crate::local::Fail;
use crate::local::shop::Shop;

/// The most ids one call may carry.
const MAX_IDS: usize = 100;

/// How far a shipping delay may push the deadline.
const MAX_DELAY_DAYS: i64 = 14;

/// The reason for an order product whose status does not allow the change (the fixture's).
const WRONG_STATE: &str = "주문상품의 상태를 변경할 수 없습니다.";

/// The reason for cancelling an order product that is already cancelled (the fixture's).
const ALREADY_CANCELED: &str = "이미 취소된 주문상품입니다.";

/// The reason for a second shipping delay.
const DELAY_USED: &str = "발송 지연은 주문상품당 한 번만 할 수 있습니다.";

/// The reason for a delay beyond the limit.
const DELAY_TOO_LONG: &str = "발송 지연은 최대 14일까지 가능합니다.";

/// The change a request asks for, with the new deadline of a delay.
#[derive(Debug, Clone, Copy)]
enum Change {
    /// `PREPARING_PRODUCT`: the seller confirms the order (발주확인).
    Prepare,
    /// `DELAY_SHIPPING` with the new deadline.
    Delay(NaiveDateTime),
    /// `DELIVERED`.
    Deliver,
    /// `CANCELED_PAYMENT`.
    Cancel,
}

impl Shop {
    /// Applies one ORD-03 request: checks the request as a whole, then each id.
    pub(crate) fn change_statuses(
        &mut self,
        now: NaiveDateTime,
        body: OrderProductStatusChangeRequest,
    ) -> Result<OrderProductStatusChangeResult, Fail> {
        let count = body.order_product_ids.len();
        if count == 0 || count > MAX_IDS {
            return Err(Fail::invalid_field(
                "orderProductIds",
                "1개 이상 100개 이하로 입력해 주세요.",
            ));
        }
        let change = change_of(&body, now)?;
        let failed_reasons: Vec<FailedReason> = body
            .order_product_ids
            .iter()
            .filter_map(|&id| {
                self.change_one(id, change, now).err().map(|reason| {
                    FailedReason::FailedReasonDetail(FailedReasonDetail {
                        order_product_id: Some(id),
                        reason: Some(reason),
                    })
                })
            })
            .collect();
        Ok(OrderProductStatusChangeResult {
            total_count: Some(count as i64),
            failed_count: Some(failed_reasons.len() as i64),
            failed_reasons,
        })
    }

    /// Changes one order product, or says why it may not change.
    fn change_one(&mut self, id: i64, change: Change, now: NaiveDateTime) -> Result<(), String> {
        let Some(row) = self.orders.rows.get_mut(&id) else {
            return Err(format!("존재하지 않는 주문상품입니다. ({id})"));
        };
        allowed(row, change)?;
        match change {
            Change::Prepare => row.status = OrderProductStatus::PreparingProduct,
            Change::Delay(deadline) => {
                row.status = OrderProductStatus::DelayShipping;
                row.shipping_deadline_at = deadline;
                row.delay_used = true;
            }
            Change::Deliver => {
                row.status = OrderProductStatus::Delivered;
                row.delivered_at = Some(now);
            }
            Change::Cancel => return self.cancel_payment(id, now).map_err(|_| WRONG_STATE.into()),
        }
        Ok(())
    }
}

/// Whether the row may take the change (§5.2): confirm from `PAID`; delay from `PAID` or
/// `PREPARING_PRODUCT`, once, by at most 14 days; delivered from `DELIVERING`; cancel from
/// `PAID`, `PREPARING_PRODUCT`, `DELAY_SHIPPING` or `DELIVERED`.
fn allowed(row: &OrderRow, change: Change) -> Result<(), String> {
    use OrderProductStatus as S;
    let from_ok = match change {
        Change::Prepare => matches!(row.status, S::Paid),
        Change::Delay(_) => matches!(row.status, S::Paid | S::PreparingProduct),
        Change::Deliver => matches!(row.status, S::Delivering),
        Change::Cancel => matches!(
            row.status,
            S::Paid | S::PreparingProduct | S::DelayShipping | S::Delivered
        ),
    };
    if matches!(change, Change::Cancel) && row.status == S::CanceledPayment {
        return Err(ALREADY_CANCELED.into());
    }
    if !from_ok {
        return Err(WRONG_STATE.into());
    }
    if let Change::Delay(deadline) = change {
        if row.delay_used {
            return Err(DELAY_USED.into());
        }
        if deadline > row.shipping_deadline_at + Duration::days(MAX_DELAY_DAYS) {
            return Err(DELAY_TOO_LONG.into());
        }
    }
    Ok(())
}

/// The change a request asks for. A delay needs `shippingDeadlineAt` (a date, meaning its
/// last second, or a date-time) in the future; without one the whole request is invalid.
fn change_of(body: &OrderProductStatusChangeRequest, now: NaiveDateTime) -> Result<Change, Fail> {
    Ok(match body.status {
        OrderProductStatusChange::PreparingProduct => Change::Prepare,
        OrderProductStatusChange::Delivered => Change::Deliver,
        OrderProductStatusChange::CanceledPayment => Change::Cancel,
        OrderProductStatusChange::DelayShipping => Change::Delay(delay_deadline(body, now)?),
    })
}

/// The new shipping deadline of a delay request.
fn delay_deadline(
    body: &OrderProductStatusChangeRequest,
    now: NaiveDateTime,
) -> Result<NaiveDateTime, Fail> {
    const FIELD: &str = "shippingDeadlineAt";
    let text = body
        .shipping_deadline_at
        .as_deref()
        .ok_or_else(|| Fail::invalid_field(FIELD, "발송 지연에는 필수 값입니다."))?;
    let deadline = parse_deadline(text)
        .ok_or_else(|| Fail::invalid_field(FIELD, "올바르지 않은 날짜입니다."))?;
    if deadline <= now {
        return Err(Fail::invalid_field(FIELD, "현재 이후의 날짜여야 합니다."));
    }
    Ok(deadline)
}

/// `yyyy-MM-dd` (the day's last second) or `yyyy-MM-ddTHH:mm:ss`.
fn parse_deadline(text: &str) -> Option<NaiveDateTime> {
    if let Ok(day) = text.parse::<NaiveDate>() {
        return NaiveTime::from_hms_opt(23, 59, 59).map(|end| day.and_time(end));
    }
    text.parse::<NaiveDateTime>().ok()
}
