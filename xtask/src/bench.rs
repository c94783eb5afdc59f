//! `cargo xtask bench`: runs every benchmark of the crate in one command, then prints each
//! criterion benchmark as a ratio to its group's baseline, with the spread.

use std::path::{Path, PathBuf};
use std::process::Command;

/// The features that switch on every benchmark (the loopback server needs `local-server`,
/// the fleet rows `redis`; a benchmark that needs a `redis-server` skips without one).
const BENCH_FEATURES: &str = "local-server,redis";

/// Runs `cargo bench` over every benchmark, passing `criterion_args` to criterion (for
/// example `--warm-up-time 1 --measurement-time 3`), then prints the ratios.
pub fn run(criterion_args: &[String]) -> Result<(), String> {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_string());
    let mut command = Command::new(cargo);
    command.current_dir(crate::root()).args([
        "bench",
        "--locked",
        // The benchmark targets only: `--benches` would also run the library's test harness,
        // which refuses criterion's options.
        "--bench",
        "*",
        "--features",
        BENCH_FEATURES,
    ]);
    if !criterion_args.is_empty() {
        command.arg("--").args(criterion_args);
    }
    let status = command
        .status()
        .map_err(|e| format!("cannot run cargo bench: {e}"))?;
    if !status.success() {
        return Err(format!("cargo bench failed: {status}"));
    }
    println!("\n== ratios to each group's baseline (95 % confidence interval of the means)");
    report()
}

/// One benchmark's mean and the bounds of its 95 % confidence interval, in nanoseconds.
#[derive(Debug, Clone, Copy)]
struct Estimate {
    mean: f64,
    low: f64,
    high: f64,
}

/// Prints, per criterion group, each benchmark's mean and its ratio to the group's
/// `baseline_*` benchmark (both from the last `cargo bench` run). The spread of a ratio
/// pairs the worst ends of the two intervals, so it is never narrower than the truth.
pub fn report() -> Result<(), String> {
    // criterion writes into the cargo target directory, which CARGO_TARGET_DIR may move.
    let target = std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| crate::root().join("target"));
    let criterion = target.join("criterion");
    let mut groups: Vec<PathBuf> = std::fs::read_dir(&criterion)
        .map_err(|e| format!("{}: {e}; run `cargo bench` first", criterion.display()))?
        .flatten()
        .map(|entry| entry.path())
        .filter(|path| path.is_dir() && path.file_name().is_some_and(|n| n != "report"))
        .collect();
    groups.sort();
    for group in groups {
        let mut benches = Vec::new();
        collect(&group, &group, &mut benches)?;
        benches.sort_by(|a, b| a.0.cmp(&b.0));
        let Some(&(_, baseline)) = benches.iter().find(|(name, _)| is_baseline(name)) else {
            continue;
        };
        println!(
            "{}:",
            group.file_name().unwrap_or_default().to_string_lossy()
        );
        for (name, estimate) in &benches {
            println!(
                "  {name:<40} {:>12}  {:>6.2}x baseline  ({:.2}x to {:.2}x)",
                nanos(estimate.mean),
                estimate.mean / baseline.mean,
                estimate.low / baseline.high,
                estimate.high / baseline.low,
            );
        }
    }
    Ok(())
}

/// A benchmark is its group's baseline when its own name (the first path part) says so.
fn is_baseline(name: &str) -> bool {
    name.split('/')
        .next()
        .is_some_and(|first| first.starts_with("baseline"))
}

/// Finds every `new/estimates.json` under `dir`, named by its path below the group, so
/// parameterised benchmarks (`group/function/parameter`) are reported too.
fn collect(group: &Path, dir: &Path, out: &mut Vec<(String, Estimate)>) -> Result<(), String> {
    let estimates = dir.join("new/estimates.json");
    if let Ok(text) = std::fs::read_to_string(&estimates) {
        let json: serde_json::Value =
            serde_json::from_str(&text).map_err(|e| format!("{}: {e}", estimates.display()))?;
        let field = |pointer: &str| json.pointer(pointer).and_then(serde_json::Value::as_f64);
        if let (Some(mean), Some(low), Some(high)) = (
            field("/mean/point_estimate"),
            field("/mean/confidence_interval/lower_bound"),
            field("/mean/confidence_interval/upper_bound"),
        ) {
            let name = dir
                .strip_prefix(group)
                .unwrap_or(dir)
                .to_string_lossy()
                .into_owned();
            out.push((name, Estimate { mean, low, high }));
        }
        return Ok(());
    }
    for entry in std::fs::read_dir(dir).map_err(|e| e.to_string())?.flatten() {
        let path = entry.path();
        let skip = path
            .file_name()
            .is_some_and(|n| n == "report" || n == "new" || n == "base");
        if path.is_dir() && !skip {
            collect(group, &path, out)?;
        }
    }
    Ok(())
}

/// A time in the unit that reads best.
fn nanos(ns: f64) -> String {
    match ns {
        ns if ns >= 1e6 => format!("{:.2} ms", ns / 1e6),
        ns if ns >= 1e3 => format!("{:.2} µs", ns / 1e3),
        ns => format!("{ns:.1} ns"),
    }
}
