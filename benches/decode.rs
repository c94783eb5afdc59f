//! Decoding one 50-row order page (the whole `list_order_products` answer, envelope included)
//! into the SDK's types, against two baselines measured in the same run:
//!
//! - `order_page_vs_struct/baseline_hand_written`: the struct a careful engineer writes by hand,
//!   with the same fields, timestamps and enums as `String`, every field an `Option`, in the
//!   same kind of envelope. Goal: the SDK at most 1.05× this.
//! - `order_page_vs_value/baseline_value`: `serde_json::Value`. Goal: the SDK at most 0.6× this.
//!
//! The SDK row does what a call does with the body (progenitor's `ResponseValue::from_response`,
//! then [`Envelope::into_payload`]): `serde_json::from_slice::<Envelope<OrderProductPage>>` and
//! unwrapping the payload. Every row includes dropping what it decoded, as a program does.
//!
//! The page is built from the shapes of `tests/fixtures/answers.json`, with values that vary
//! per row: Korean names and addresses, KST timestamps (some with fractions of a second),
//! `null` cancel and confirm times on most rows, known statuses and a few values the SDK does
//! not know (kept as `Unknown`, so their cost is in the figure).
//!
//! Before criterion runs, the bench prints allocations per decode (a counting global
//! allocator: they do not depend on machine load) and the median and minimum of 31
//! interleaved timing rounds, a check on criterion's sequential figures when the machine is
//! busy.
//!
//! Re-run: `cargo bench --bench decode && cargo xtask bench-report`.
//!
//! Instructions per decode, which do not depend on machine load either: run the bench binary
//! (`cargo bench --bench decode --no-run` prints its path) under
//! `valgrind --tool=callgrind --callgrind-out-file=/dev/null` with `DECODE_ONLY=sdk` (or
//! `baseline_hand_written`, `baseline_value`) and `DECODE_RUNS=0`, then `DECODE_RUNS=20`; the
//! difference of the two `Collected` totals, divided by 20, is the figure.
//!
//! Measured 2026-12-02 on the 2-vCPU machine shared with other builds (load average 2.3-3.1),
//! per decode of the 54,591-byte page:
//!
//! | row | allocations | instructions | criterion time (95% CI) | interleaved median |
//! |---|---|---|---|---|
//! | `sdk` | 745 (105,025 B) | 1,646,451 | 284 µs (268-300); 304 µs (265-347) in the `Value` group | 185 µs |
//! | `baseline_hand_written` | 944 (111,911 B) | 1,692,843 | 279 µs (262-296) | 182 µs |
//! | `baseline_value` | 3,101 (208,766 B) | 3,392,093 | 621 µs (576-669) | 414 µs |
//!
//! SDK against the hand-written struct: 0.97× the instructions, 0.79× the allocations,
//! 1.01-1.02× the time (goal ≤ 1.05×). Against `Value`: 0.49× the instructions, 0.45-0.49× the time
//! (goal ≤ 0.6×). The SDK allocates less because timestamps and known enum values decode
//! without a `String`.

use std::alloc::{GlobalAlloc, Layout, System};
use std::hint::black_box;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use criterion::Criterion;
use serde_json::{Value, json};
use toss_shopping::envelope::Envelope;
use toss_shopping::types::{OrderProductPage, OrderProductStatus};

/// Counts heap allocations (`alloc`, `alloc_zeroed` and `realloc` calls) and the bytes asked.
struct Counting;

/// Allocation calls so far, process-wide.
static CALLS: AtomicUsize = AtomicUsize::new(0);
/// Bytes asked for so far, process-wide (a `realloc` counts its new size).
static BYTES: AtomicUsize = AtomicUsize::new(0);

// SAFETY: forwards every call to the system allocator unchanged; only counts.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        CALLS.fetch_add(1, Ordering::Relaxed);
        BYTES.fetch_add(layout.size(), Ordering::Relaxed);
        // SAFETY: same layout contract as the caller's.
        unsafe { System.alloc(layout) }
    }

    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        CALLS.fetch_add(1, Ordering::Relaxed);
        BYTES.fetch_add(layout.size(), Ordering::Relaxed);
        // SAFETY: same layout contract as the caller's.
        unsafe { System.alloc_zeroed(layout) }
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        CALLS.fetch_add(1, Ordering::Relaxed);
        BYTES.fetch_add(new_size, Ordering::Relaxed);
        // SAFETY: `ptr` was allocated by this allocator with `layout`.
        unsafe { System.realloc(ptr, layout, new_size) }
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        // SAFETY: `ptr` was allocated by `System` with this layout.
        unsafe { System.dealloc(ptr, layout) }
    }
}

#[global_allocator]
static ALLOCATOR: Counting = Counting;

/// Rows on the page: the size an integration asks for (`limit=50`).
const ROWS: usize = 50;

/// The hand-written baseline: what a careful engineer decodes the same answer into.
// The fields are decoded, not read: decoding them is the work measured.
#[allow(dead_code)]
mod hand_written {
    use serde::Deserialize;
    use serde_json::Value;

    /// The envelope, with the failure kept loosely (the page has none).
    #[derive(Deserialize)]
    #[serde(rename_all = "camelCase")]
    pub struct Envelope {
        pub result_type: Option<String>,
        pub success: Option<Page>,
        pub error: Option<Failure>,
    }

    /// The failure of a `FAIL` answer.
    #[derive(Deserialize)]
    #[serde(rename_all = "camelCase")]
    pub struct Failure {
        pub error_code: Option<String>,
        pub reason: Option<Value>,
    }

    /// One page of order products.
    #[derive(Deserialize)]
    #[serde(rename_all = "camelCase")]
    pub struct Page {
        #[serde(default)]
        pub results: Vec<Row>,
        pub next_cursor: Option<String>,
    }

    /// One order product: the SDK's fields, timestamps and enums as text.
    #[derive(Deserialize)]
    #[serde(rename_all = "camelCase")]
    pub struct Row {
        pub ordered_at: Option<String>,
        pub canceled_at: Option<String>,
        pub confirmed_at: Option<String>,
        pub shipping_deadline_at: Option<String>,
        pub order_id: Option<i64>,
        pub order_product_id: Option<i64>,
        pub product_id: Option<i64>,
        pub stock_id: Option<i64>,
        pub orderer_name: Option<String>,
        pub orderer_phone: Option<String>,
        pub orderer_real_phone: Option<String>,
        pub receiver_name: Option<String>,
        pub receiver_phone: Option<String>,
        pub receiver_real_phone: Option<String>,
        pub address: Option<String>,
        pub detail_address: Option<String>,
        pub zip_code: Option<String>,
        pub shipping_note: Option<String>,
        pub product_name: Option<String>,
        pub option_name: Option<String>,
        pub quantity: Option<i64>,
        pub price: Option<i64>,
        pub origin_price: Option<i64>,
        pub total_discount_price: Option<i64>,
        pub toss_shopping_discount: Option<i64>,
        pub toss_pay_discount: Option<i64>,
        pub toss_pay_point: Option<i64>,
        pub order_product_status: Option<String>,
        pub delivery_company_code: Option<String>,
        pub shipping_tracking_number: Option<String>,
        pub delivery_fee_group_id: Option<i64>,
        pub delivery_fee: Option<i64>,
        pub delivery_location_type: Option<String>,
        pub normal_delivery_fee: Option<i64>,
        pub jeju_delivery_fee: Option<i64>,
        pub mountain_delivery_fee: Option<i64>,
        pub product_management_code: Option<String>,
        pub product_item_management_code: Option<String>,
    }
}

/// Statuses in rotation: mostly known ones, every tenth row one the SDK does not know.
const STATUSES: [&str; 10] = [
    "PAID",
    "PREPARING_PRODUCT",
    "DELIVERING",
    "DELIVERED",
    "CONFIRMED_ORDER",
    "PAID",
    "CLAIM_REQUESTED_CANCEL",
    "DELIVERING",
    "REQUESTED_RETURN",
    "HOLD_FOR_REVIEW",
];
/// Where a parcel goes; `ISLAND` is a value the SDK does not know.
const LOCATIONS: [&str; 7] = [
    "NORMAL", "NORMAL", "JEJU", "NORMAL", "MOUNTAIN", "NORMAL", "ISLAND",
];
const NAMES: [&str; 6] = ["홍길동", "김철수", "이영희", "박민준", "최서연", "정하은"];
const CITIES: [&str; 4] = [
    "서울특별시 중구 테스트로",
    "부산광역시 해운대구 예시대로",
    "제주특별자치도 제주시 예시로",
    "강원특별자치도 평창군 산골길",
];
const PRODUCTS: [(&str, &str, i64); 3] = [
    ("부사 사과 2kg", "APPLE-2KG", 19_900),
    ("성주 참외 3kg 선물용", "MELON-3KG", 32_000),
    ("제주 감귤 5kg (로얄과)", "TANGERINE-5KG", 27_500),
];

/// A KST timestamp as the API writes it, `minutes` after 2026-07-01T00:00:00; every seventh
/// one carries milliseconds, as some answers do.
fn kst(minutes: usize, millis: bool) -> String {
    let (day, rest) = (1 + minutes / 1440, minutes % 1440);
    let (hour, minute) = (rest / 60, rest % 60);
    let second = (minutes * 7) % 60;
    let fraction = if millis {
        format!(".{:03}", (minutes * 37) % 1000)
    } else {
        String::new()
    };
    format!("2026-07-{day:02}T{hour:02}:{minute:02}:{second:02}{fraction}")
}

/// Row `i` of the page, its keys in the order of the vendor's answers.
fn row(i: usize) -> Vec<(&'static str, Value)> {
    let (product, code, price) = PRODUCTS[i % PRODUCTS.len()];
    let quantity = 1 + (i % 3) as i64;
    let status = STATUSES[i % STATUSES.len()];
    let location = LOCATIONS[i % LOCATIONS.len()];
    let ordered = 97 * i + 13;
    let shipped = matches!(status, "DELIVERING" | "DELIVERED" | "CONFIRMED_ORDER");
    let canceled = (status == "CLAIM_REQUESTED_CANCEL").then(|| kst(ordered + 180, false));
    let confirmed = (status == "CONFIRMED_ORDER").then(|| kst(ordered + 4000, false));
    let delivery_fee = match location {
        "JEJU" => 3000,
        "MOUNTAIN" | "ISLAND" => 5000,
        _ => 0,
    };
    vec![
        ("orderedAt", json!(kst(ordered, i % 7 == 3))),
        ("canceledAt", json!(canceled)),
        ("confirmedAt", json!(confirmed)),
        ("shippingDeadlineAt", json!(kst(ordered + 3 * 1440, false))),
        ("orderId", json!(98_700 + i as i64)),
        ("orderProductId", json!(271_684_435 + 17 * i as i64)),
        ("productId", json!(51_230_887 + (i % 3) as i64)),
        ("stockId", json!(88_120_001 + i as i64)),
        ("ordererName", json!(NAMES[i % NAMES.len()])),
        ("ordererPhone", json!(format!("0504-{:04}-{:04}", i, 7 * i))),
        (
            "ordererRealPhone",
            json!(format!("010-{:04}-{:04}", 3 * i, i)),
        ),
        ("receiverName", json!(NAMES[(i + 2) % NAMES.len()])),
        (
            "receiverPhone",
            json!(format!("0504-{:04}-{:04}", i + 1, 5 * i)),
        ),
        (
            "receiverRealPhone",
            json!(format!("010-{:04}-{:04}", 2 * i, i + 9)),
        ),
        (
            "address",
            json!(format!("{} {}", CITIES[i % CITIES.len()], i + 1)),
        ),
        (
            "detailAddress",
            json!(format!("{}동 {}호 (예시)", 100 + i % 9, 101 + i)),
        ),
        ("zipCode", json!(format!("{:05}", 4500 + 1217 * i % 60000))),
        (
            "shippingNote",
            json!(if i.is_multiple_of(4) {
                ""
            } else {
                "문 앞에 놓아 주세요"
            }),
        ),
        ("productName", json!(product)),
        (
            "optionName",
            json!(format!(
                "{}박스,{}",
                quantity,
                ["중과", "대과", "특과"][i % 3]
            )),
        ),
        ("quantity", json!(quantity)),
        ("price", json!(price * quantity)),
        ("originPrice", json!((price + 5100) * quantity)),
        ("totalDiscountPrice", json!(5100 * quantity)),
        ("tossShoppingDiscount", json!(3000 * quantity)),
        ("tossPayDiscount", json!(1000 * quantity)),
        ("tossPayPoint", json!(1100 * quantity)),
        ("orderProductStatus", json!(status)),
        (
            "deliveryCompanyCode",
            json!(if shipped { "CJ대한통운" } else { "" }),
        ),
        (
            "shippingTrackingNumber",
            json!(if shipped {
                format!("6012{:08}", 31 * i)
            } else {
                String::new()
            }),
        ),
        ("deliveryFeeGroupId", json!(310_021)),
        ("deliveryFee", json!(delivery_fee)),
        ("deliveryLocationType", json!(location)),
        ("normalDeliveryFee", json!(0)),
        ("jejuDeliveryFee", json!(3000)),
        ("mountainDeliveryFee", json!(5000)),
        ("productManagementCode", json!(code)),
        (
            "productItemManagementCode",
            json!(format!("{code}-{}", i % 5)),
        ),
    ]
}

/// Writes an object with its keys in the given order (serde_json's `Map` would sort them).
fn object(pairs: &[(&str, Value)]) -> String {
    let fields: Vec<String> = pairs
        .iter()
        .map(|(key, value)| format!("{}:{value}", Value::from(*key)))
        .collect();
    format!("{{{}}}", fields.join(","))
}

/// The whole answer, as the API sends it: `resultType` first, then the payload, then `error`.
fn answer() -> Vec<u8> {
    let rows: Vec<String> = (0..ROWS).map(|i| object(&row(i))).collect();
    format!(
        r#"{{"resultType":"SUCCESS","success":{{"results":[{}],"nextCursor":"eyJvcmRlclByb2R1Y3RJZCI6MjcxNjkwMDEyfQ"}},"error":null}}"#,
        rows.join(",")
    )
    .into_bytes()
}

/// What a call does with the body: decode the envelope and unwrap the payload.
fn sdk(body: &[u8]) -> OrderProductPage {
    serde_json::from_slice::<Envelope<OrderProductPage>>(body)
        .expect("the page decodes")
        .into_payload()
        .expect("a SUCCESS")
}

/// The hand-written baseline.
fn hand_written(body: &[u8]) -> hand_written::Page {
    let envelope: hand_written::Envelope = serde_json::from_slice(body).expect("the page decodes");
    assert!(envelope.error.is_none() && envelope.result_type.is_some());
    envelope.success.expect("a SUCCESS")
}

/// The untyped baseline.
fn value(body: &[u8]) -> Value {
    serde_json::from_slice(body).expect("the page decodes")
}

/// Fails loudly if the page does not decode into what it holds, in both typed forms.
fn check(body: &[u8]) {
    let page = sdk(body);
    assert_eq!(page.results.len(), ROWS);
    let unknown = page
        .results
        .iter()
        .filter(|row| matches!(&row.order_product_status, Some(s) if s.is_unknown()))
        .count();
    assert_eq!(unknown, ROWS / STATUSES.len(), "unknown statuses are kept");
    assert_eq!(
        page.results[0].order_product_status,
        Some(OrderProductStatus::Paid)
    );
    assert!(page.results.iter().all(|row| row.ordered_at.is_some()));
    let baseline = hand_written(body);
    assert_eq!(baseline.results.len(), ROWS);
    assert!(baseline.next_cursor.is_some());
    let row = &baseline.results[ROWS - 1];
    // Read every kind of field once, so none is dead to the compiler or to a reader.
    let _ = (
        &row.ordered_at,
        row.order_id,
        &row.orderer_name,
        &row.delivery_location_type,
    );
}

/// Allocation calls and bytes of one run of `decode`, dropping included.
fn allocations<T>(body: &[u8], decode: fn(&[u8]) -> T) -> (usize, usize) {
    let (calls, bytes) = (CALLS.load(Ordering::Relaxed), BYTES.load(Ordering::Relaxed));
    drop(black_box(decode(black_box(body))));
    (
        CALLS.load(Ordering::Relaxed) - calls,
        BYTES.load(Ordering::Relaxed) - bytes,
    )
}

/// Nanoseconds per decode over `runs` decodes.
fn time<T>(body: &[u8], decode: fn(&[u8]) -> T, runs: u32) -> f64 {
    let start = Instant::now();
    for _ in 0..runs {
        drop(black_box(decode(black_box(body))));
    }
    start.elapsed().as_nanos() as f64 / f64::from(runs)
}

/// The median and the minimum of some figures.
fn median_and_min(mut figures: Vec<f64>) -> (f64, f64) {
    figures.sort_by(f64::total_cmp);
    (figures[figures.len() / 2], figures[0])
}

/// Rounds of interleaved timing, and decodes per round.
const ROUNDS: usize = 31;
const RUNS: u32 = 50;

/// Median and minimum over `ROUNDS` rounds, each timing the three decoders back to back, so
/// a busy spell of the machine hits all three alike. The minimum is the round least disturbed
/// by other processes.
fn interleaved(body: &[u8]) -> [(f64, f64); 3] {
    let mut figures = [Vec::new(), Vec::new(), Vec::new()];
    for _ in 0..ROUNDS {
        figures[0].push(time(body, sdk, RUNS));
        figures[1].push(time(body, hand_written, RUNS));
        figures[2].push(time(body, value, RUNS));
    }
    figures.map(median_and_min)
}

/// Prints allocations per decode and the interleaved timings with their ratios.
fn report(body: &[u8]) {
    // Warm up lazily initialised state (none is expected, but it must not count).
    let _ = (sdk(body), hand_written(body), value(body));
    let sdk_allocs = allocations(body, sdk);
    let hand_allocs = allocations(body, hand_written);
    let value_allocs = allocations(body, value);
    println!("order page: {ROWS} rows, {} bytes", body.len());
    println!("allocations per decode (calls, bytes):");
    for (name, (calls, bytes)) in [
        ("sdk", sdk_allocs),
        ("baseline_hand_written", hand_allocs),
        ("baseline_value", value_allocs),
    ] {
        println!("  {name:<24} {calls:>6} calls {bytes:>8} bytes");
    }
    let [sdk_ns, hand_ns, value_ns] = interleaved(body);
    println!("interleaved ({ROUNDS} rounds of {RUNS} decodes): median, minimum per decode");
    println!(
        "  sdk                      {:>9.0} ns {:>9.0} ns",
        sdk_ns.0, sdk_ns.1
    );
    for (name, baseline, goal) in [
        ("baseline_hand_written", hand_ns, 1.05),
        ("baseline_value", value_ns, 0.6),
    ] {
        println!(
            "  {name:<24} {:>9.0} ns {:>9.0} ns  sdk ratio: median {:.3}, minimum {:.3} (goal <= {goal})",
            baseline.0,
            baseline.1,
            sdk_ns.0 / baseline.0,
            sdk_ns.1 / baseline.1,
        );
    }
}

/// The criterion groups: one per baseline, so `cargo xtask bench-report` prints each ratio.
fn bench(c: &mut Criterion, body: &[u8]) {
    let mut group = c.benchmark_group("order_page_vs_struct");
    group.measurement_time(Duration::from_secs(8));
    group.bench_function("baseline_hand_written", |b| {
        b.iter(|| hand_written(black_box(body)))
    });
    group.bench_function("sdk", |b| b.iter(|| sdk(black_box(body))));
    group.finish();

    let mut group = c.benchmark_group("order_page_vs_value");
    group.measurement_time(Duration::from_secs(8));
    group.bench_function("baseline_value", |b| b.iter(|| value(black_box(body))));
    group.bench_function("sdk", |b| b.iter(|| sdk(black_box(body))));
    group.finish();
}

/// `DECODE_ONLY=<row> DECODE_RUNS=<n>`: only decodes the page `n` times with one row's
/// decoder, for an instruction count under `valgrind --tool=callgrind` (see the module docs).
fn only(body: &[u8], row: &str) {
    let runs: u32 = std::env::var("DECODE_RUNS")
        .ok()
        .and_then(|runs| runs.parse().ok())
        .unwrap_or(100);
    let _ = match row {
        "sdk" => time(body, sdk, runs),
        "baseline_hand_written" => time(body, hand_written, runs),
        "baseline_value" => time(body, value, runs),
        other => {
            panic!("DECODE_ONLY={other}: expected sdk, baseline_hand_written or baseline_value")
        }
    };
}

fn main() {
    let body = answer();
    check(&body);
    if let Ok(row) = std::env::var("DECODE_ONLY") {
        only(&body, &row);
        return;
    }
    report(&body);
    let mut criterion = Criterion::default().configure_from_args();
    bench(&mut criterion, &body);
    criterion.final_summary();
}
