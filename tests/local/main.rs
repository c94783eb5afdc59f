//! The built-in local server, driven through the SDK as a user would.
#![cfg(feature = "local-server")]

mod claims;
mod orders;
mod smoke;
mod support;
