//! Contract tests: the real client against a fresh wiremock server on loopback per test.
//!
//! Every operation of the spec has a test named after its Rust method (enforced by
//! `coverage::every_operation_has_a_contract_test`), which checks the exact request
//! (method, path, query, JSON body, bearer token), decodes a realistic payload, and maps a
//! FAIL envelope to the typed error. Any request no mock expects fails the test.

mod support;

mod coverage;
mod decoding;
mod errors;
mod open_enums;
mod paging;
mod request_checks;
mod requests;
mod resilience;

mod categories;
mod claims;
mod client;
mod couriers;
mod deliveries;
mod delivery_fee_groups;
mod exchange_refund_locations;
mod merchant;
mod notices;
mod orders;
mod product_items;
mod products;
mod purchase_limits;
mod seller_cancel;
mod settlements;
mod windows;
