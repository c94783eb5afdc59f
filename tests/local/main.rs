//! The built-in local server, driven through the SDK as a user would.
#![cfg(feature = "local-server")]

mod catalog;
mod product_items;
mod products;
mod purchase_limits;
mod smoke;
mod support;
