//! The main job: a seller's whole day, end to end.
//!
//! ```text
//! cargo run --example seller_day --features local-server
//! ```
//!
//! Without credentials it starts the built-in local server (`toss_shopping::local`) and runs
//! the whole day against it: a token, a leaf category with its constraints and notice items,
//! a product body checked against them and registered through inspection, new orders confirmed and shipped, a return claim handled to
//! the end, the settlement rows, and a summary. Along the way the change feed reports each
//! change to the seller's orders and claims, as the events an integration would process.
//!
//! With `TOSS_ACCESS_KEY` and `TOSS_SECRET_KEY` set it runs against the real API
//! (`TOSS_ENVIRONMENT=alpha` for the test environment), read-only unless `--write` is given.
//! Even with `--write` it only confirms paid orders there: registering a product, shipping
//! and settling claims need a real product and real parcels, which only the seller has.

mod backend;
mod day;
mod feed;
mod summary;

use std::error::Error as StdError;

use summary::Summary;

#[tokio::main]
async fn main() -> Result<(), Box<dyn StdError>> {
    let write_flag = std::env::args().skip(1).any(|arg| arg == "--write");
    let backend = backend::Backend::connect(write_flag).await?;
    println!("{}\n", backend.describe());
    let mut summary = Summary::default();

    day::issue_token(&backend, &mut summary).await?;
    let mut feed = feed::DayFeed::open(&backend).await?;
    let leaf = day::find_leaf_category(&backend, &mut summary).await?;
    let constraints = day::read_constraints(&backend, leaf, &mut summary).await?;
    let items = day::list_a_product(&backend, leaf, &constraints, &mut summary).await?;
    backend.buyers_order(&items)?;
    let paid = day::receive_orders(&backend, &mut summary).await?;
    feed.catch_up().await?;
    day::confirm_and_ship(&backend, &paid, &mut summary).await?;
    feed.catch_up().await?;
    day::handle_returns(&backend, &mut summary).await?;
    feed.catch_up().await?;
    day::read_settlements(&backend, &mut summary).await?;
    feed.record(&mut summary);

    summary.print();
    Ok(())
}
