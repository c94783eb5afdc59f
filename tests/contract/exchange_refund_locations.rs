//! Exchange/return locations.
