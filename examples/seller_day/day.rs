//! The steps of the day, each through the SDK's public API as any integration would call it:
//! pagination streams and Korean-time date windows, never hand-written paging loops.

use std::error::Error as StdError;
use std::sync::Arc;
use std::time::{Duration, Instant};

use futures_util::TryStreamExt;
use toss_shopping::CallExt;
use toss_shopping::Client;
use toss_shopping::auth::SystemClock;
use toss_shopping::couriers::CourierDirectory;
use toss_shopping::products::{BodyKind, CategoryRules};
use toss_shopping::types::{
    self, ClaimStatusKnown, ClaimTypeKnown, InspectionStatus, OrderProductStatus,
    OrderProductStatusChange,
};
use toss_shopping::window::KstRange;

use crate::backend::Backend;
use crate::summary::Summary;

type Outcome<T> = Result<T, Box<dyn StdError>>;

/// The courier our warehouse ships with, by its id in the vendor's courier list.
const CJ_LOGISTICS: i64 = 1;

/// How long to wait for inspection before moving on (live inspection takes minutes to hours).
const INSPECTION_PATIENCE: Duration = Duration::from_secs(60);

/// Issues the seller's token up front; every call of the day reuses it from the cache.
pub async fn issue_token(backend: &Backend, summary: &mut Summary) -> Outcome<()> {
    println!("[1/8] Issue a token");
    let source = backend.tokens.source(backend.credentials.clone());
    let started = Instant::now();
    source.token().await?;
    summary.record(
        "token",
        format!("issued in {} ms and cached", started.elapsed().as_millis()),
    );
    Ok(())
}

/// Walks the category tree from the top down to the first leaf that has a constraint
/// template, the kind of category a product can be registered in.
pub async fn find_leaf_category(backend: &Backend, summary: &mut Summary) -> Outcome<i64> {
    println!("[2/8] Find a leaf category");
    let client = &backend.client;
    let mut level = client.list_child_categories().await?.items;
    let mut path = Vec::new();
    while let Some(category) = level.first().cloned() {
        let (Some(id), name) = (category.id, category.name.unwrap_or_default()) else {
            break;
        };
        path.push(name);
        if category.is_leaf == Some(true) {
            summary.record("leaf category", format!("{} ({id})", path.join(" > ")));
            return Ok(id);
        }
        level = client.list_child_categories().id(id).await?.items;
    }
    Err("the category tree has no leaf".into())
}

/// What the leaf's constraint template asks of a product: its option groups and the notice
/// items to fill in.
pub struct Constraints {
    /// Option groups every item must carry, with a value each (e.g. 수량 = 1개).
    required: Vec<(String, String)>,
    /// The one-of (택1) group the items differ by, with its unit (e.g. (택1) 개당 중량, g).
    varying: Option<(String, String)>,
    notice_code: String,
    notice_items: Vec<i64>,
    /// The same template and notice items as rules the SDK checks a product body against.
    rules: Arc<CategoryRules>,
}

/// Reads the leaf's constraint template (its option groups) and the notice items its
/// products must fill in.
pub async fn read_constraints(
    backend: &Backend,
    leaf: i64,
    summary: &mut Summary,
) -> Outcome<Constraints> {
    println!("[3/8] Read the category's constraints and notice items");
    let client = &backend.client;
    let template = client
        .get_category_constraint_templates()
        .category_id(leaf)
        .await?;
    let first = |values: &Option<Vec<String>>| values.as_ref().and_then(|v| v.first().cloned());
    let mut required = Vec::new();
    let mut varying = None;
    for option in &template.category_sales_options {
        let Some(key) = option.key.clone() else {
            continue;
        };
        let unit = first(&option.unit_values).unwrap_or_default();
        if option.is_one_of_required_group == Some(true) {
            varying.get_or_insert((key, unit));
        } else {
            let value = first(&option.value_candidates).unwrap_or_else(|| format!("1{unit}"));
            required.push((key, value));
        }
    }
    let notice_code = template
        .product_notice_info_template_types
        .first()
        .cloned()
        .ok_or("the template allows no notice category")?;
    let notice = client
        .list_notice_items()
        .category_code(&notice_code)
        .await?;
    let notice_items = notice.items.iter().filter_map(|item| item.id).collect();
    let rules = CategoryRules::new(leaf, &template).with_notice_items(&notice_code, &notice);
    summary.record(
        "constraints",
        format!(
            "{} option groups; notice {notice_code} with {} items",
            template.category_sales_options.len(),
            notice.items.len()
        ),
    );
    Ok(Constraints {
        required,
        varying,
        notice_code,
        notice_items,
        rules: Arc::new(rules),
    })
}

/// Registers a product in the leaf and waits for inspection; gives the new product's item
/// ids. Read-only runs skip it.
pub async fn list_a_product(
    backend: &Backend,
    leaf: i64,
    constraints: &Constraints,
    summary: &mut Summary,
) -> Outcome<Vec<i64>> {
    println!("[4/8] Register a product and wait for inspection");
    if !backend.writes {
        summary.record("product", "skipped (read-only)");
        return Ok(Vec::new());
    }
    let client = &backend.client;
    let registration = registration(client, leaf, constraints).await?;
    catch_mistakes(&registration, constraints);
    // The SDK checks the body again before sending (on by default), now with the category's
    // rules too; a body with errors would come back as `Error::Validation`, unsent.
    let id = client
        .register_product()
        .body(registration)
        .category_rules(constraints.rules.clone())
        .await?
        .id
        .ok_or("the registration answer has no product id")?;
    println!("  registered product {id}; inspection runs");
    let product = wait_for_inspection(client, id).await?;
    let items: Vec<i64> = product.stocks.iter().filter_map(|s| s.item_id).collect();
    let status = product
        .inspection_status
        .map_or_else(|| "unknown".to_string(), |s| s.to_string());
    summary.record("product", format!("{id}: {status}, {} items", items.len()));
    Ok(items)
}

/// Checks the body before spending an inspection cycle on it: first a copy with two typical
/// mistakes, to show what the checks report (every problem at once, by field), then the body
/// itself.
fn catch_mistakes(registration: &types::ProductRegistration, constraints: &Constraints) {
    let mut careless = registration.clone();
    for stock in &mut careless.stocks {
        stock.is_main_price = true;
    }
    if let Some(stock) = careless.stocks.last_mut() {
        stock.sale_price = stock.origin_price + 1_000;
    }
    let checked = careless.validate_with(BodyKind::Registration, &constraints.rules);
    println!("  a careless draft, checked before sending:");
    for finding in checked.errors() {
        println!("    ✗ {}: {}", finding.path, finding.message);
    }
    let checked = registration.validate_with(BodyKind::Registration, &constraints.rules);
    println!(
        "  the real body: {} errors, {} warnings",
        checked.errors().count(),
        checked.warnings().count()
    );
    for finding in checked.warnings() {
        println!("    ! {}: {}", finding.path, finding.message);
    }
}

/// The options of one item: every required group, and the varying group at `amount`.
fn options(constraints: &Constraints, amount: u32) -> serde_json::Value {
    let mut options: Vec<serde_json::Value> = constraints
        .required
        .iter()
        .map(|(group, value)| serde_json::json!({"groupName": group, "valueName": value}))
        .collect();
    if let Some((group, unit)) = &constraints.varying {
        options
            .push(serde_json::json!({"groupName": group, "valueName": format!("{amount}{unit}")}));
    }
    serde_json::Value::Array(options)
}

/// A registration body for the demo product: the template's options, every notice item, and
/// the seller's own delivery-fee group and return address.
async fn registration(
    client: &Client,
    leaf: i64,
    constraints: &Constraints,
) -> Outcome<types::ProductRegistration> {
    let fee_group = client
        .list_delivery_fee_groups()
        .stream()
        .try_next()
        .await?
        .and_then(|group| group.id)
        .ok_or("the seller has no delivery-fee group")?;
    let return_location = client
        .list_exchange_refund_locations()
        .stream()
        .try_next()
        .await?
        .and_then(|location| location.id)
        .ok_or("the seller has no exchange/return address")?;
    let notice: Vec<_> = constraints
        .notice_items
        .iter()
        .map(|id| serde_json::json!({"id": id, "content": "상세페이지 참조"}))
        .collect();
    let body = serde_json::json!({
        "name": "수제 쌀과자 선물세트", "brandName": "토스팜", "categoryId": leaf, "isTaxFree": false,
        "stocks": [
            {"options": options(constraints, 120), "remainingCount": 40,
             "isMainPrice": true, "originPrice": 15900, "salePrice": 12900},
            {"options": options(constraints, 240), "remainingCount": 25,
             "isMainPrice": false, "originPrice": 27900, "salePrice": 23900}
        ],
        "images": [
            {"type": "THUMBNAIL", "order": 1, "url": "https://example.com/rice-cracker.jpg"},
            {"type": "DESCRIPTION", "order": 2, "url": "https://example.com/rice-cracker-detail.jpg"}
        ],
        "exposure": {"searchKeywords": ["쌀과자", "수제과자"], "description": "국산 쌀로 구운 수제 쌀과자"},
        "deliveryPolicy": {"deliveryCompanyId": 1, "deliveryFeeType": "FREE", "deliveryLocationId": fee_group,
                           "preparationDays": 2},
        "exchangeReturnPolicy": {"exchangeRefundLocationId": return_location,
            "refundOneWayDeliveryFee": 3000, "exchangeRoundTripDeliveryFee": 6000,
            "applicationMethodDescription": "고객센터", "applicationTermDescription": "수령 후 7일 이내"},
        "notice": {"categoryCode": constraints.notice_code, "items": notice}
    });
    Ok(serde_json::from_value(body)?)
}

/// Polls the product until inspection ends or patience runs out.
async fn wait_for_inspection(client: &Client, id: i64) -> Outcome<types::Product> {
    let started = Instant::now();
    loop {
        let product = client.get_product().product_id(id).await?;
        let done = matches!(
            product.inspection_status,
            Some(InspectionStatus::Complete | InspectionStatus::Reject)
        );
        if done || started.elapsed() > INSPECTION_PATIENCE {
            return Ok(product);
        }
        println!(
            "  … still in inspection after {} s",
            started.elapsed().as_secs()
        );
        tokio::time::sleep(Duration::from_secs(1)).await;
    }
}

/// Reads the last week's orders, window by window and page by page, and keeps the paid ones
/// (waiting for the seller's confirmation).
pub async fn receive_orders(backend: &Backend, summary: &mut Summary) -> Outcome<Vec<i64>> {
    println!("[5/8] Receive new orders");
    let range = KstRange::last_days(7, &SystemClock)?;
    let rows: Vec<types::OrderProduct> = backend
        .client
        .list_order_products()
        .limit(50)
        .windows(range)
        .try_collect()
        .await?;
    let paid: Vec<i64> = rows
        .iter()
        .filter(|row| row.order_product_status == Some(OrderProductStatus::Paid))
        .filter_map(|row| row.order_product_id)
        .collect();
    summary.record(
        "orders",
        format!(
            "{} order products this week, {} paid and waiting",
            rows.len(),
            paid.len()
        ),
    );
    Ok(paid)
}

/// Confirms the paid orders, registers their invoices and (locally) has them delivered.
pub async fn confirm_and_ship(
    backend: &Backend,
    paid: &[i64],
    summary: &mut Summary,
) -> Outcome<()> {
    println!("[6/8] Confirm the orders and register invoices");
    if !backend.writes || paid.is_empty() {
        let why = if paid.is_empty() {
            "nothing to confirm"
        } else {
            "skipped (read-only)"
        };
        summary.record("confirmed", why);
        return Ok(());
    }
    let client = &backend.client;
    let change = types::OrderProductStatusChangeRequest {
        order_product_ids: paid.to_vec(),
        status: OrderProductStatusChange::PreparingProduct,
        delay_reason_type: None,
        shipping_deadline_at: None,
    };
    let result = client.change_order_product_status().body(change).await?;
    let failed = result.failed_count.unwrap_or(0);
    summary.record(
        "confirmed",
        format!("{} confirmed, {failed} failed", paid.len() as i64 - failed),
    );
    if backend.local.is_none() {
        summary.record(
            "invoices",
            "not registered: real parcels need real tracking numbers",
        );
        return Ok(());
    }
    // Our warehouse knows couriers by Toss's numeric id (1 is CJ대한통운); the directory turns
    // it into the name the invoice call takes, from the vendor's own lists.
    let couriers = CourierDirectory::new(client.clone());
    let courier = couriers.resolve(CJ_LOGISTICS).await?;
    for (n, &id) in paid.iter().enumerate() {
        let tracking_number = format!("5580-0000-{:04}", n + 1);
        couriers.ship(id, CJ_LOGISTICS, &tracking_number).await?;
    }
    backend.carrier_delivers(paid)?;
    summary.record(
        "invoices",
        format!("{} registered with {courier}, delivered", paid.len()),
    );
    Ok(())
}

/// Handles the week's open return requests: approve, collect, complete (and refund).
pub async fn handle_returns(backend: &Backend, summary: &mut Summary) -> Outcome<()> {
    println!("[7/8] Handle return claims");
    let range = KstRange::last_days(7, &SystemClock)?;
    let claims: Vec<types::Claim> = backend
        .client
        .list_claims()
        .type_(ClaimTypeKnown::Return)
        .status(ClaimStatusKnown::Requested)
        .size(50)
        .windows(range)
        .try_collect()
        .await?;
    let ids: Vec<i64> = claims.iter().filter_map(|claim| claim.id).collect();
    if backend.local.is_none() {
        summary.record(
            "returns",
            format!("{} open (handle them once the parcels are back)", ids.len()),
        );
        return Ok(());
    }
    for &id in &ids {
        let client = &backend.client;
        client.approve_return_claim().claim_id(id).await?;
        client.mark_return_collected().claim_id(id).await?;
        client.complete_return_claim().claim_id(id).await?;
        println!("  return claim {id}: approved → collected → completed");
    }
    summary.record("returns", format!("{} handled to completion", ids.len()));
    Ok(())
}

/// Reads the last month's settlement rows and adds them up.
pub async fn read_settlements(backend: &Backend, summary: &mut Summary) -> Outcome<()> {
    println!("[8/8] Read settlements");
    let range = KstRange::last_days(31, &SystemClock)?;
    let lines: Vec<types::SettlementLine> = backend
        .client
        .list_settlement_steps()
        .date_condition("PAYOUT_BASE_DATE")
        .size(100)
        .windows(range)
        .try_collect()
        .await?;
    let total: i64 = lines.iter().filter_map(|line| line.settlement_amount).sum();
    summary.record(
        "settlements",
        format!(
            "{} rows this month, {total} KRW to be paid out",
            lines.len()
        ),
    );
    Ok(())
}
