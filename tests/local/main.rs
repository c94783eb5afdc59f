//! The built-in local server, driven through the SDK as a user would: its routes and checks,
//! tokens, quotas, faults, sellers, and each area's state machines.

mod support;

mod auth;
mod coverage;
mod faults;
mod quirks;
mod quotas;
mod sellers;
mod validation;
