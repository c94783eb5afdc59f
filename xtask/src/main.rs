//! Project tasks. `cargo xtask gen` regenerates everything derived from the spec;
//! `cargo xtask gen --check` fails when any of it is stale.

mod codegen;

use std::path::{Path, PathBuf};
use std::process::ExitCode;

/// Files derived from the spec, relative to the workspace root.
const CLIENT_SNAPSHOT: &str = "spec/generated/toss_api.rs";
const OPERATIONS_TABLE: &str = "docs/operations.md";
const SPEC: &str = "spec/toss-shopping.yaml";

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
        _ => Err("usage: cargo xtask gen [--check]".to_string()),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("xtask: {message}");
            ExitCode::FAILURE
        }
    }
}

fn root() -> PathBuf {
    // xtask/Cargo.toml sits one level below the workspace root.
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .map(Path::to_path_buf)
        .unwrap_or_else(|| PathBuf::from("."))
}

fn generate(check: bool) -> Result<(), String> {
    let root = root();
    let spec = std::fs::read_to_string(root.join(SPEC)).map_err(|e| format!("{SPEC}: {e}"))?;
    let generated = codegen::generate(&spec)?;
    let outputs = [
        (CLIENT_SNAPSHOT, generated.client),
        (OPERATIONS_TABLE, generated.operations_markdown),
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
