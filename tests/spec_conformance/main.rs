//! Spec conformance: checks that keep `spec/toss-shopping.yaml` honest about the answers.
//!
//! - `evidence`: a property of a response schema may be `required` only with recorded
//!   `docs` or `live` evidence (`x-toss-required-evidence`); a walker over every schema an
//!   operation's HTTP 200 answer can reach enforces it.
//! - `schema`: turns the spec's OpenAPI 3.0 response schemas into JSON Schema (2020-12).
//! - `envelopes`: the envelope's `success` and `error` accept `null` as OpenAPI 3.0.3 (and
//!   prism) read the spec.
//! - `answers`: `tests/fixtures/answers.json` holds one realistic answer per operation;
//!   each must validate against the spec's own schema and decode with the client.
//!
//! Everything is read from files in the repository; nothing is sent over the network.

mod answers;
mod envelopes;
mod evidence;
mod formats;
mod schema;
mod spec;
