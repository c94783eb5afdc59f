//! Project tasks. `cargo xtask gen` regenerates everything derived from the spec;
//! `cargo xtask gen --check` fails when any of it is stale; `cargo xtask bench-report` prints
//! each criterion benchmark as a ratio to its group's baseline from the last `cargo bench`;
//! `cargo xtask fuzz-seed` seeds the cargo-fuzz corpora from the contract tests' payloads.

#[allow(dead_code)]
#[path = "../../codegen/mod.rs"]
mod codegen;
mod fuzz_seed;

use std::path::{Path, PathBuf};
use std::process::ExitCode;

/// Files derived from the spec, relative to the workspace root.
const CLIENT_SNAPSHOT: &str = "spec/generated/toss_api.rs";
const OPERATIONS_TABLE: &str = "docs/operations.md";
const CLI_REFERENCE: &str = "docs/cli.md";
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
        ["bench-report"] => bench_report(),
        ["fuzz-seed"] => fuzz_seed::seed(&root()),
        _ => Err(
            "usage: cargo xtask gen [--check] | cargo xtask bench-report | cargo xtask fuzz-seed"
                .to_string(),
        ),
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

/// Prints, per criterion group, each benchmark's mean and its ratio to the group's
/// `baseline_*` benchmark (both from the same `cargo bench` run).
fn bench_report() -> Result<(), String> {
    // criterion writes into the cargo target directory, which CARGO_TARGET_DIR may move.
    let target = std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| root().join("target"));
    let criterion = target.join("criterion");
    let groups = std::fs::read_dir(&criterion)
        .map_err(|e| format!("{}: {e}; run `cargo bench` first", criterion.display()))?;
    for group in groups.flatten().filter(|g| g.path().is_dir()) {
        let mut means = Vec::new();
        for bench in std::fs::read_dir(group.path())
            .map_err(|e| e.to_string())?
            .flatten()
        {
            let estimates = bench.path().join("new/estimates.json");
            let Ok(text) = std::fs::read_to_string(&estimates) else {
                continue;
            };
            let json: serde_json::Value = serde_json::from_str(&text).map_err(|e| e.to_string())?;
            if let Some(mean) = json
                .pointer("/mean/point_estimate")
                .and_then(serde_json::Value::as_f64)
            {
                means.push((bench.file_name().to_string_lossy().into_owned(), mean));
            }
        }
        means.sort_by(|a, b| a.0.cmp(&b.0));
        let Some(&(_, baseline)) = means.iter().find(|(name, _)| name.starts_with("baseline"))
        else {
            continue;
        };
        println!("{}:", group.file_name().to_string_lossy());
        for (name, mean) in &means {
            println!(
                "  {name:<28} {mean:>10.1} ns  {:>6.1}x baseline",
                mean / baseline
            );
        }
    }
    Ok(())
}
