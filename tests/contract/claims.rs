//! Claims: list and the seller's actions on cancel, return and exchange requests.
