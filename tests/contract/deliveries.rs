//! Invoices (delivery registration).
