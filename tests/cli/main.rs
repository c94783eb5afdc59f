//! The `toss-shopping` binary end to end: each test spawns the real tool against a local
//! server started inside the test (or a small loopback server built to fail one way), with a
//! clean environment and a token cache of its own, and checks its exit code and its output.

mod support;

mod doctor;
mod failures;
mod lists;
mod operations;
mod shop;
mod token;
mod tool;
