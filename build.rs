//! Generates the typed client from `spec/toss-shopping.yaml` into `OUT_DIR`.
//!
//! The generator is the `toss-shopping-codegen` crate (`codegen/`), a build dependency, so it
//! is compiled once rather than with every feature set of this crate; `cargo xtask gen` runs
//! the same code to write the reviewable snapshot.

use std::path::PathBuf;

fn main() {
    println!("cargo:rerun-if-changed=spec/toss-shopping.yaml");
    let spec = match std::fs::read_to_string("spec/toss-shopping.yaml") {
        Ok(spec) => spec,
        Err(e) => fail(&format!("cannot read spec/toss-shopping.yaml: {e}")),
    };
    let generated = match toss_shopping_codegen::generate(&spec) {
        Ok(generated) => generated,
        Err(e) => fail(&e),
    };
    // The crate version carries the spec's revision as build metadata (`0.2.0+2026-12-02`),
    // so a spec change without a version bump cannot be published by mistake.
    let version = env!("CARGO_PKG_VERSION");
    if version.split_once('+').map(|(_, meta)| meta) != Some(generated.spec_version.as_str()) {
        fail(&format!(
            "the crate version {version} must end in +{} (the spec's info.version)",
            generated.spec_version
        ));
    }
    let Some(out_dir) = std::env::var_os("OUT_DIR") else {
        fail("OUT_DIR is not set");
    };
    let out = PathBuf::from(out_dir).join("toss_api.rs");
    if let Err(e) = std::fs::write(&out, generated.client) {
        fail(&format!("cannot write {}: {e}", out.display()));
    }
}

fn fail(message: &str) -> ! {
    eprintln!("toss-shopping code generation failed: {message}");
    std::process::exit(1);
}
