//! Project tasks.
//!
//! - `cargo xtask gen` regenerates everything derived from the spec; `--check` fails when any
//!   of it is stale.
//! - `cargo xtask bench [criterion args]` runs every benchmark, then prints the ratios.
//! - `cargo xtask bench-report` prints each criterion benchmark as a ratio to its group's
//!   baseline from the last `cargo bench`, with the spread.
//! - `cargo xtask build-cost [runs]` measures the crate's clean and incremental build times
//!   and the size of the generated code.
//! - `cargo xtask fuzz-seed` seeds the cargo-fuzz corpora from the contract tests' payloads.

mod bench;
mod build_cost;
mod fuzz_seed;

use std::path::{Path, PathBuf};
use std::process::ExitCode;

/// Files derived from the spec, relative to the workspace root.
const CLIENT_SNAPSHOT: &str = "spec/generated/toss_api.rs";
const OPERATIONS_TABLE: &str = "docs/operations.md";
const CLI_REFERENCE: &str = "docs/cli.md";
const SPEC: &str = "spec/toss-shopping.yaml";

const USAGE: &str = "usage: cargo xtask gen [--check] | bench [criterion args] | bench-report | build-cost [runs] | fuzz-seed";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let result = match args
        .iter()
        .map(String::as_str)
        .collect::<Vec<_>>()
        .as_slice()
    {
        ["gen"] => generate(false),
        ["gen", "--check"] => generate(true),
        ["bench", rest @ ..] => bench::run(&rest.iter().map(|s| s.to_string()).collect::<Vec<_>>()),
        ["bench-report"] => bench::report(),
        ["build-cost"] => build_cost::run(3),
        ["build-cost", runs] => runs
            .parse()
            .map_err(|_| format!("build-cost: runs must be a number, not {runs}"))
            .and_then(build_cost::run),
        ["fuzz-seed"] => fuzz_seed::seed(&root()),
        _ => Err(USAGE.to_string()),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("xtask: {message}");
            ExitCode::FAILURE
        }
    }
}

pub(crate) fn root() -> PathBuf {
    // xtask/Cargo.toml sits one level below the workspace root.
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .map(Path::to_path_buf)
        .unwrap_or_else(|| PathBuf::from("."))
}

fn generate(check: bool) -> Result<(), String> {
    let root = root();
    let spec = std::fs::read_to_string(root.join(SPEC)).map_err(|e| format!("{SPEC}: {e}"))?;
    let generated = toss_shopping_codegen::generate(&spec)?;
    let outputs = [
        (CLIENT_SNAPSHOT, generated.client),
        (OPERATIONS_TABLE, generated.operations_markdown),
        (CLI_REFERENCE, generated.cli_markdown),
    ];
    let mut stale = Vec::new();
    for (relative, content) in outputs {
        let path = root.join(relative);
        let current = std::fs::read_to_string(&path).unwrap_or_default();
        if current == content {
            continue;
        }
        if check {
            stale.push(relative);
        } else {
            if let Some(parent) = path.parent() {
                std::fs::create_dir_all(parent).map_err(|e| format!("{relative}: {e}"))?;
            }
            std::fs::write(&path, content).map_err(|e| format!("{relative}: {e}"))?;
            println!("wrote {relative}");
        }
    }
    if stale.is_empty() {
        Ok(())
    } else {
        Err(format!(
            "stale generated files: {}; run `cargo xtask gen` and commit the result",
            stale.join(", ")
        ))
    }
}
