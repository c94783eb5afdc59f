//! One poll's reading: the order list and the claim list over the look-back, through the
//! client's windowed streams, so the reads take the same rate limits, retries, token
//! handling and tracing as every other call.

use futures_util::TryStreamExt;

use super::snapshot::Snapshot;
use crate::Client;
use crate::window::KstRange;

/// Rows per page of the order list: the most it allows, for the fewest requests.
const ORDER_PAGE: i32 = 50;

/// Claims per page: what integrators use; the vendor documents no maximum.
const CLAIM_PAGE: i32 = 100;

/// Reads every order product and claim of `range`. The first failed page fails the whole
/// reading: a partial reading must not pass for the state of the look-back.
pub(crate) async fn read(client: &Client, range: KstRange) -> Result<Snapshot, crate::Error> {
    let mut snapshot = Snapshot::default();
    let mut orders = client
        .list_order_products()
        .limit(ORDER_PAGE)
        .windows(range);
    while let Some(row) = orders.try_next().await? {
        snapshot.add_order(&row);
    }
    let mut claims = client.list_claims().size(CLAIM_PAGE).windows(range);
    while let Some(row) = claims.try_next().await? {
        snapshot.add_claim(&row);
    }
    Ok(snapshot)
}
