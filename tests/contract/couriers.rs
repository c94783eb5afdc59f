//! Courier lists.
