//! Generates the typed client from `spec/toss-shopping.yaml` into `OUT_DIR`.
//!
//! The generator settings live in `xtask/src/codegen.rs`, shared with `cargo xtask gen`,
//! which writes the same output to `spec/generated/` for review.

// build.rs only needs the client; the docs table is written by `cargo xtask gen`.
#[allow(dead_code)]
#[path = "xtask/src/codegen.rs"]
mod codegen;

use std::path::PathBuf;

fn main() {
    println!("cargo:rerun-if-changed=spec/toss-shopping.yaml");
    println!("cargo:rerun-if-changed=xtask/src/codegen.rs");
    let spec = match std::fs::read_to_string("spec/toss-shopping.yaml") {
        Ok(spec) => spec,
        Err(e) => fail(&format!("cannot read spec/toss-shopping.yaml: {e}")),
    };
    let generated = match codegen::generate(&spec) {
        Ok(generated) => generated,
        Err(e) => fail(&e),
    };
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
