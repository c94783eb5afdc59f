//! Delivery-fee bundle groups.
