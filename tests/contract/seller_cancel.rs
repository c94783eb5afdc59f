//! Seller-initiated cancel.
