//! Product items (options): prices, stock, listing.
