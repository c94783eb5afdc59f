//! New order rows (for the demo data and for a buyer's order) and the demo orders: a few
//! buyers and order products in every common status over the last three weeks, with one
//! open return request and the settlement of the confirmed ones.

use chrono::{Duration, NaiveDateTime, NaiveTime};

use super::{BuyerInfo, DeliveryTerms, Invoice, OrderRow, OrderedItem};
use crate::api::types::{DeliveryLocationType, OrderProductStatus};
use crate::local::shop::claims::ClaimKind;
use crate::local::shop::{Shop, demo};

/// The usual delivery fee, waived from [`FREE_DELIVERY_FROM`] on.
const NORMAL_FEE: i64 = 3_000;
/// The line total from which delivery is free (a common "3만원 이상 무료배송" policy).
const FREE_DELIVERY_FROM: i64 = 30_000;
/// The surcharge to Jeju.
const JEJU_FEE: i64 = 3_000;
/// The surcharge to remote mountain and island areas.
const MOUNTAIN_FEE: i64 = 5_000;
/// Days from payment to the shipping deadline (the fixture: ordered the 11th, due the 14th).
const SHIPPING_DAYS: i64 = 3;

/// One demo buyer: orderer, receiver, address, delivery memo. Relay numbers (안심번호) are
/// 0504-…, real numbers 010-….
struct DemoBuyer {
    /// Name, relay number, real number.
    orderer: (&'static str, &'static str, &'static str),
    /// Name, relay number, real number.
    receiver: (&'static str, &'static str, &'static str),
    /// Address, detail, zip code.
    address: (&'static str, &'static str, &'static str),
    /// The delivery memo.
    note: &'static str,
}

/// The demo buyers; orders cycle through them.
const BUYERS: [DemoBuyer; 6] = [
    DemoBuyer {
        orderer: ("김민준", "0504-2231-4518", "010-3928-4411"),
        receiver: ("김민준", "0504-2231-4518", "010-3928-4411"),
        address: ("서울특별시 강남구 테헤란로 131", "12층 1203호", "06133"),
        note: "부재 시 문 앞에 놓아 주세요",
    },
    DemoBuyer {
        orderer: ("이서연", "0504-3372-1190", "010-5521-7830"),
        receiver: ("박지훈", "0504-3372-1191", "010-8812-0934"),
        address: ("부산광역시 해운대구 센텀중앙로 79", "1501호", "48058"),
        note: "경비실에 맡겨 주세요",
    },
    DemoBuyer {
        orderer: ("최유진", "0504-4410-2876", "010-2290-6645"),
        receiver: ("최유진", "0504-4410-2876", "010-2290-6645"),
        address: ("제주특별자치도 제주시 첨단로 242", "201호", "63309"),
        note: "",
    },
    DemoBuyer {
        orderer: ("정하늘", "0504-5128-3307", "010-7734-1028"),
        receiver: ("정하늘", "0504-5128-3307", "010-7734-1028"),
        address: ("대전광역시 유성구 대학로 99", "공학관 3층", "34134"),
        note: "배송 전 연락 바랍니다",
    },
    DemoBuyer {
        orderer: ("강도윤", "0504-6620-9184", "010-4183-5572"),
        receiver: ("강도윤", "0504-6620-9184", "010-4183-5572"),
        address: ("경기도 성남시 분당구 판교역로 166", "B동 4층", "13529"),
        note: "",
    },
    DemoBuyer {
        orderer: ("윤지아", "0504-7731-5063", "010-6657-2391"),
        receiver: ("윤지아", "0504-7731-5063", "010-6657-2391"),
        address: ("인천광역시 연수구 컨벤시아대로 165", "22층", "21998"),
        note: "문 앞",
    },
];

/// The demo buyer for the `n`-th order (cycling).
pub(crate) fn demo_buyer(n: usize) -> BuyerInfo {
    // The remainder is always below the length, so this cannot go out of bounds.
    let buyer = &BUYERS[n % BUYERS.len()];
    BuyerInfo {
        orderer_name: buyer.orderer.0.into(),
        orderer_phone: buyer.orderer.1.into(),
        orderer_real_phone: buyer.orderer.2.into(),
        receiver_name: buyer.receiver.0.into(),
        receiver_phone: buyer.receiver.1.into(),
        receiver_real_phone: buyer.receiver.2.into(),
        address: buyer.address.0.into(),
        detail_address: buyer.address.1.into(),
        zip_code: buyer.address.2.into(),
        shipping_note: buyer.note.into(),
    }
}

/// The delivery terms of an order of `price` to `buyer`'s address.
fn delivery_terms(price: i64, buyer: &BuyerInfo) -> DeliveryTerms {
    let location = if buyer.address.starts_with("제주") {
        DeliveryLocationType::Jeju
    } else {
        DeliveryLocationType::Normal
    };
    let base = if price >= FREE_DELIVERY_FROM {
        0
    } else {
        NORMAL_FEE
    };
    let surcharge = if location == DeliveryLocationType::Jeju {
        JEJU_FEE
    } else {
        0
    };
    DeliveryTerms {
        fee_group_id: demo::DELIVERY_FEE_GROUP_ID,
        location,
        normal_fee: NORMAL_FEE,
        jeju_fee: JEJU_FEE,
        mountain_fee: MOUNTAIN_FEE,
        fee: base + surcharge,
    }
}

/// A tracking number for a demo invoice, derived from the order product id (12 digits, like
/// CJ대한통운's).
pub(crate) fn demo_tracking_number(order_product_id: i64) -> String {
    format!("6{:011}", order_product_id.rem_euclid(100_000_000_000))
}

impl Shop {
    /// Adds a paid order product to the order `order_id` (a new order when `None`): status
    /// `PAID`, shipping due three days after payment. Gives the order id and the order
    /// product id.
    pub(crate) fn add_paid_order(
        &mut self,
        order_id: Option<i64>,
        item: OrderedItem,
        quantity: i64,
        buyer: BuyerInfo,
        at: NaiveDateTime,
    ) -> (i64, i64) {
        let order_id = order_id.unwrap_or_else(|| self.ids.next());
        let order_product_id = self.ids.next();
        let end_of_day = NaiveTime::from_hms_opt(23, 59, 59).unwrap_or_default();
        let deadline = (at.date() + Duration::days(SHIPPING_DAYS)).and_time(end_of_day);
        let delivery = delivery_terms(item.sale_price * quantity, &buyer);
        let row = OrderRow {
            order_id,
            order_product_id,
            item,
            quantity,
            buyer,
            delivery,
            status: OrderProductStatus::Paid,
            ordered_at: at,
            shipping_deadline_at: deadline,
            canceled_at: None,
            delivered_at: None,
            confirmed_at: None,
            delay_used: false,
            invoice: None,
            open_claim: None,
        };
        self.orders.rows.insert(order_product_id, row);
        (order_id, order_product_id)
    }

    /// Seeds the demo orders and the return claim, oldest first (so ids grow with time, as
    /// live), then lets the due purchases confirm themselves, which books their settlement.
    pub(crate) fn seed_orders(&mut self, now: NaiveDateTime) {
        let items = self.demo_items();
        let pick = |n: usize| items.get(n % items.len().max(1)).cloned();
        let plan: [(i64, usize, usize, i64, Stage); 9] = [
            (20 * 24, 0, 2, 2, Stage::Delivered(16 * 24)),
            (14 * 24, 1, 0, 1, Stage::Delivered(11 * 24)),
            (6 * 24, 0, 3, 1, Stage::Returning(3 * 24, 20)),
            (5 * 24, 2, 4, 1, Stage::Delivered(24)),
            (2 * 24, 1, 5, 1, Stage::Shipped),
            (24, 0, 1, 3, Stage::Preparing),
            (5, 0, 0, 1, Stage::Paid),
            (5, 2, 0, 1, Stage::PreparingSameOrder),
            (2, 2, 2, 1, Stage::Paid),
        ];
        let mut previous_order = None;
        for (n, (hours_ago, item, buyer, quantity, stage)) in plan.into_iter().enumerate() {
            let Some(item) = pick(item) else { return };
            let at = now - Duration::hours(hours_ago) - Duration::minutes(7 * n as i64);
            let order = matches!(stage, Stage::PreparingSameOrder)
                .then_some(previous_order)
                .flatten();
            let (order_id, id) = self.add_paid_order(order, item, quantity, demo_buyer(buyer), at);
            previous_order = Some(order_id);
            self.advance_demo_row(id, stage, now);
        }
        self.tick_orders(now);
    }

    /// The items the demo orders use: the demo products' (seeded before the orders).
    fn demo_items(&self) -> Vec<OrderedItem> {
        self.products.orderable_items()
    }

    /// Moves a freshly seeded `PAID` row on to its demo stage.
    fn advance_demo_row(&mut self, id: i64, stage: Stage, now: NaiveDateTime) {
        let Some(row) = self.orders.rows.get_mut(&id) else {
            return;
        };
        let shipped = Invoice {
            company: demo::COURIER_NAME.into(),
            tracking_number: demo_tracking_number(id),
        };
        match stage {
            Stage::Paid => {}
            Stage::Preparing | Stage::PreparingSameOrder => {
                row.status = OrderProductStatus::PreparingProduct;
            }
            Stage::Shipped => {
                row.status = OrderProductStatus::Delivering;
                row.invoice = Some(shipped);
            }
            Stage::Delivered(hours_ago) | Stage::Returning(hours_ago, _) => {
                row.status = OrderProductStatus::Delivered;
                row.invoice = Some(shipped);
                row.delivered_at = Some(now - Duration::hours(hours_ago));
            }
        }
        if let Stage::Returning(_, hours_ago) = stage {
            let at = now - Duration::hours(hours_ago);
            // The seeded row is DELIVERED, so opening the request cannot fail.
            let _ = self.open_claim(
                ClaimKind::Return,
                id,
                at,
                "상품 불량",
                "사과 몇 개가 멍들어 왔어요.",
            );
        }
    }
}

/// How far a demo order product has come.
#[derive(Debug, Clone, Copy)]
enum Stage {
    /// Paid, waiting for the seller.
    Paid,
    /// Confirmed by the seller.
    Preparing,
    /// Preparing, as the second product of the previous row's order.
    PreparingSameOrder,
    /// Shipped with a demo invoice.
    Shipped,
    /// Delivered this many hours ago.
    Delivered(i64),
    /// Delivered this many hours ago, with a return requested this many hours ago.
    Returning(i64, i64),
}
