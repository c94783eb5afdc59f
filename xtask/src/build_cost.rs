//! `cargo xtask build-cost [runs]`: what the crate costs to build, measured the same way
//! every time, so `docs/performance.md` can be re-measured by anyone.
//!
//! - The crate alone, clean: dependencies stay built, `cargo clean -p toss-shopping` removes
//!   the crate and its build script's output, then `cargo build --lib` is timed. Once per
//!   feature set: the lean core, the defaults (with the CLI), and every optional layer. Each
//!   run builds it twice, interleaved: as a workspace member (incremental, as we build it
//!   while working on it) and as a dependency (`CARGO_INCREMENTAL=0`: cargo never builds a
//!   dependency incrementally, so this is what the crate adds to a user's clean build).
//! - The generator crate alone, clean (`toss-shopping-codegen`, the build script's only
//!   dependency of our own): compiled once per machine and profile, shared by every feature
//!   set, so it is not part of the crate's figures; measured so it is not hidden either.
//! - Incremental after a spec edit: an operation's summary gains a word, the library is
//!   rebuilt (the build script regenerates the client), then the edit is undone and the
//!   library rebuilt again; both builds are timed.
//! - The size of the generated code.
//!
//! - A reference: clean builds of `serde_json` alone, the same work on any machine, so figures
//!   taken on machines of different speeds compare as ratios.
//!
//! Wall times move with the machine's load, so the load average is printed with them.

use std::path::Path;
use std::process::Command;
use std::time::Instant;

/// The feature sets measured, as `cargo build` arguments.
const FEATURE_SETS: [(&str, &[&str]); 3] = [
    (
        "lean core (`--no-default-features --features rustls`)",
        &["--no-default-features", "--features", "rustls"],
    ),
    (
        "defaults (`rustls`, `cli`, `schemars`, `response-builders`, `feed`, `sync`, `couriers`)",
        &[],
    ),
    (
        "every layer (`--features local-server,mock,redis`)",
        &["--features", "local-server,mock,redis"],
    ),
];

/// Runs every measurement `runs` times and prints a Markdown table.
pub fn run(runs: usize) -> Result<(), String> {
    let root = crate::root();
    println!("machine: {} CPUs, load average {}", cpus(), load_average());
    println!("{}", output(&root, "rustc", &["--version"])?.trim());
    println!();
    println!("| what | runs | min | median | max |");
    println!("|---|---|---|---|---|");
    row(
        "reference: `serde_json` alone, clean (the machine's speed)",
        &reference(&root, runs)?,
    );
    row(
        "the generator alone, clean (`toss-shopping-codegen`, once for every feature set)",
        &generator(&root, runs)?,
    );
    for (name, args) in FEATURE_SETS {
        cargo(
            &root,
            &[&["build", "--locked", "-p", "toss-shopping", "--lib"], args].concat(),
        )?;
        let mut member = Vec::new();
        let mut dependency = Vec::new();
        for _ in 0..runs {
            member.push(clean_build(&root, args, "1")?);
            dependency.push(clean_build(&root, args, "0")?);
        }
        row(&format!("the crate alone, clean: {name}"), &member);
        row(
            &format!("the same, as a dependency (`CARGO_INCREMENTAL=0`): {name}"),
            &dependency,
        );
    }
    let mut edited = Vec::new();
    let mut undone = Vec::new();
    for _ in 0..runs {
        let (a, b) = spec_edit_round(&root)?;
        edited.push(a);
        undone.push(b);
    }
    row("`cargo build --lib` after a spec edit (defaults)", &edited);
    row("`cargo build --lib` after undoing it (defaults)", &undone);
    println!("| load average after | | {} | | |", load_average());
    println!();
    generated_size(&root)
}

/// One timed clean build of the crate's library with `args`, `CARGO_INCREMENTAL` set to
/// `incremental` (so neither row depends on the caller's environment).
fn clean_build(root: &Path, args: &[&str], incremental: &str) -> Result<f64, String> {
    cargo(root, &["clean", "-p", "toss-shopping"])?;
    let build = [&["build", "--locked", "-p", "toss-shopping", "--lib"], args].concat();
    timed(|| cargo_with(root, &build, &[("CARGO_INCREMENTAL", incremental)]))
}

/// Clean builds of a well-known dependency, `serde_json` with its default features: the same
/// work on every machine, so the crate's figures can be compared across machines as ratios.
/// Its dependents are rebuilt by the untimed build before each feature set's timed runs.
fn reference(root: &Path, runs: usize) -> Result<Vec<f64>, String> {
    let build = || cargo(root, &["build", "-p", "serde_json", "--lib"]);
    build()?;
    (0..runs)
        .map(|_| {
            cargo(root, &["clean", "-p", "serde_json"])?;
            timed(build)
        })
        .collect()
}

/// Clean builds of the generator crate, as the crate's build script needs it (no tests).
fn generator(root: &Path, runs: usize) -> Result<Vec<f64>, String> {
    let build = || {
        cargo(
            root,
            &["build", "--locked", "-p", "toss-shopping-codegen", "--lib"],
        )
    };
    build()?;
    (0..runs)
        .map(|_| {
            cargo(root, &["clean", "-p", "toss-shopping-codegen"])?;
            timed(build)
        })
        .collect()
}

/// One edit of the spec and its undoing, each followed by a timed library build. The spec
/// is restored even when a build fails.
fn spec_edit_round(root: &Path) -> Result<(f64, f64), String> {
    let path = root.join(crate::SPEC);
    let original = std::fs::read_to_string(&path).map_err(|e| format!("{}: {e}", crate::SPEC))?;
    let edited = edit_a_summary(&original)?;
    std::fs::write(&path, &edited).map_err(|e| e.to_string())?;
    let build = || cargo(root, &["build", "--locked", "-p", "toss-shopping", "--lib"]);
    let after_edit = timed(build);
    std::fs::write(&path, &original).map_err(|e| format!("restoring {}: {e}", crate::SPEC))?;
    let after_undo = timed(build);
    Ok((after_edit?, after_undo?))
}

/// The spec with one word added to the first operation summary: a change that reaches the
/// generated code (the builder's doc comment) without changing its shape.
fn edit_a_summary(spec: &str) -> Result<String, String> {
    let line = spec
        .lines()
        .find(|line| line.trim_start().starts_with("summary: ") && line.starts_with("      "))
        .ok_or("no operation summary found in the spec")?;
    Ok(spec.replacen(line, &format!("{line} (edited)"), 1))
}

/// Lines and bytes of the generated client, against the hand-written library.
fn generated_size(root: &Path) -> Result<(), String> {
    let generated = std::fs::read_to_string(root.join(crate::CLIENT_SNAPSHOT))
        .map_err(|e| format!("{}: {e}", crate::CLIENT_SNAPSHOT))?;
    let (lines, bytes) = rust_lines(&root.join("src"))?;
    println!("| code | lines | bytes |");
    println!("|---|---|---|");
    println!(
        "| generated client `{}` | {} | {} |",
        crate::CLIENT_SNAPSHOT,
        generated.lines().count(),
        generated.len()
    );
    println!("| hand-written library `src/` | {lines} | {bytes} |");
    Ok(())
}

/// Lines and bytes of every `.rs` file under `dir`.
fn rust_lines(dir: &Path) -> Result<(usize, usize), String> {
    let mut total = (0, 0);
    for entry in std::fs::read_dir(dir).map_err(|e| e.to_string())?.flatten() {
        let path = entry.path();
        if path.is_dir() {
            let (l, b) = rust_lines(&path)?;
            total = (total.0 + l, total.1 + b);
        } else if path.extension().is_some_and(|e| e == "rs") {
            let text = std::fs::read_to_string(&path).map_err(|e| e.to_string())?;
            total = (total.0 + text.lines().count(), total.1 + text.len());
        }
    }
    Ok(total)
}

fn row(what: &str, times: &[f64]) {
    let mut sorted = times.to_vec();
    sorted.sort_by(f64::total_cmp);
    let (min, max) = (sorted[0], sorted[sorted.len() - 1]);
    let median = sorted[sorted.len() / 2];
    println!(
        "| {what} | {} | {min:.1} s | {median:.1} s | {max:.1} s |",
        times.len()
    );
}

fn timed(f: impl FnOnce() -> Result<(), String>) -> Result<f64, String> {
    let started = Instant::now();
    f()?;
    Ok(started.elapsed().as_secs_f64())
}

fn cargo(root: &Path, args: &[&str]) -> Result<(), String> {
    cargo_with(root, args, &[])
}

fn cargo_with(root: &Path, args: &[&str], env: &[(&str, &str)]) -> Result<(), String> {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_string());
    let status = Command::new(&cargo)
        .current_dir(root)
        .envs(env.iter().copied())
        .args(args)
        .arg("--quiet")
        .status()
        .map_err(|e| format!("cannot run cargo: {e}"))?;
    if status.success() {
        Ok(())
    } else {
        Err(format!("cargo {} failed: {status}", args.join(" ")))
    }
}

fn output(root: &Path, program: &str, args: &[&str]) -> Result<String, String> {
    let out = Command::new(program)
        .current_dir(root)
        .args(args)
        .output()
        .map_err(|e| format!("cannot run {program}: {e}"))?;
    Ok(String::from_utf8_lossy(&out.stdout).into_owned())
}

fn load_average() -> String {
    std::fs::read_to_string("/proc/loadavg")
        .map(|text| {
            text.split_whitespace()
                .take(3)
                .collect::<Vec<_>>()
                .join(" ")
        })
        .unwrap_or_else(|_| "unknown".to_string())
}

fn cpus() -> usize {
    std::thread::available_parallelism().map_or(0, usize::from)
}
