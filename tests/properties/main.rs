//! Property tests: random valid values generated from the spec's schemas, and mutations of
//! them, fed through the public seams the client itself uses. They run on stable inside the
//! ordinary test command; `PROPTEST_CASES` scales every property (see `support::config`).
//!
//! - `schema_values`: a proptest `Strategy` built from an OpenAPI schema of the spec.
//! - `answers`: every operation's answer, valid and mutated, through `decode_answer`.
//! - `kst_time`: the KST date and date-time parsers against chrono as the oracle.
//! - `paging`: the page streams of every paging dialect against a loopback server.
//! - `windows`: the date-window splitter over the whole calendar and every windowed list.
//! - `requests`: request bodies, valid and mutated, through the spec's body checks.
//! - `regressions`: the inputs that once failed, as plain tests.

mod answers;
mod kst_time;
mod paging;
mod regressions;
mod requests;
mod schema_values;
mod support;
mod windows;
