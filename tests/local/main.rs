//! The built-in local server, driven through the SDK as a user would.
#![cfg(feature = "local-server")]

mod catalog;
mod logistics;
mod merchant;
mod smoke;
mod support;
