//! Courier names for invoices: pass a courier by its numeric id, by a code or by its name,
//! and get the exact value the invoice call (`update_order_product_delivery`) takes.
//!
//! Behind the `couriers` feature, on by default: a layer above the client, built on its public
//! API, that the core does not need.
//!
//! Toss keeps two courier lists that must not be mixed: `list_delivery_companies` (CUR-01)
//! gives numeric ids for product delivery policies (CJ대한통운 = 1), and
//! `list_invoice_delivery_companies` (CUR-02) gives the values an invoice's
//! `deliveryCompany` takes, which in practice are Korean names such as `CJ대한통운`. A
//! [`CourierDirectory`] reads both through the client, joins them by name, caches the result
//! for a while, and resolves a [`CourierRef`] to the invoice value:
//!
//! ```no_run
//! # async fn run(client: toss_shopping::Client) -> Result<(), toss_shopping::Error> {
//! use toss_shopping::couriers::{CourierDirectory, CourierRef};
//!
//! let couriers = CourierDirectory::new(client);
//! // By the numeric id a product's delivery policy uses, or by the name Toss lists.
//! couriers.ship(271_684_435, CourierRef::Id(1), "6012-3456-7890").await?;
//! couriers.ship(271_684_436, "롯데택배", "246813579").await?;
//! # Ok(()) }
//! ```
//!
//! There is no hand-written list of couriers here: what resolves is what Toss lists. The
//! marketplace codes integrators often hold (`CJGLS`, `HANJIN`, `EPOST`, ...) are not Toss
//! values and Toss gives no mapping for them, so they resolve only if Toss itself lists them
//! (as an invoice value, or as the `code` of a CUR-01 entry, which one integrator typed but no
//! live answer has shown). An unknown courier is a [`CourierError`] that lists the nearest
//! names Toss does list.

mod directory;
mod error;
mod reference;
mod table;

pub use directory::CourierDirectory;
pub use error::CourierError;
pub use reference::CourierRef;
