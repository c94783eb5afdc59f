//! The built-in local server, driven through the SDK as a user would: its routes and checks,
//! tokens, quotas, faults, sellers, and each area's state machines.

mod product_support;
mod support;

mod auth;
#[cfg(feature = "sync")]
mod bulk_sync;
mod catalog;
mod claims;
#[cfg(feature = "couriers")]
mod couriers;
mod coverage;
mod faults;
#[cfg(feature = "feed")]
mod feed;
mod lifecycle;
mod logistics;
mod merchant;
mod orders;
mod product_edit;
mod product_items;
mod product_validation;
mod products;
mod purchase_limits;
mod quirks;
mod quotas;
mod sellers;
mod validation;
