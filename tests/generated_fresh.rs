//! The reviewable snapshot in `spec/generated/` must match what build.rs generates, so even a
//! bare `cargo test` catches a spec edit without `cargo xtask gen`.

#[test]
fn snapshot_matches_the_generated_client() {
    let generated = include_str!(concat!(env!("OUT_DIR"), "/toss_api.rs"));
    let snapshot = include_str!("../spec/generated/toss_api.rs");
    assert!(
        generated == snapshot,
        "spec/generated/toss_api.rs is stale: run `cargo xtask gen` and commit the result"
    );
}
