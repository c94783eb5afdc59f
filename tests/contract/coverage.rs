//! Coverage cannot silently drop: every operation in the spec needs a contract test.

use std::collections::BTreeSet;

/// Test function names found in this directory's sources.
fn contract_test_names() -> BTreeSet<String> {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/contract");
    let mut names = BTreeSet::new();
    for entry in std::fs::read_dir(dir).expect("tests/contract is readable") {
        let file = entry.expect("directory entry").path();
        if file.extension().is_some_and(|ext| ext == "rs") {
            let source = std::fs::read_to_string(&file).expect("test source is readable");
            let mut lines = source.lines().peekable();
            while let Some(line) = lines.next() {
                if line.trim() == "#[tokio::test]" {
                    let signature = lines.peek().map(|l| l.trim()).unwrap_or_default();
                    if let Some(rest) = signature.strip_prefix("async fn ") {
                        names.insert(rest.split('(').next().unwrap_or_default().to_string());
                    }
                }
            }
        }
    }
    names
}

#[test]
fn every_operation_has_a_contract_test() {
    let tests = contract_test_names();
    let missing: Vec<&str> = toss_shopping::operations()
        .iter()
        .map(|op| op.operation_id)
        .filter(|id| !tests.contains(*id))
        .collect();
    assert!(
        missing.is_empty(),
        "operations without a contract test named after them: {missing:?}"
    );
}

#[test]
fn the_spec_is_complete() {
    let operations = toss_shopping::operations();
    assert!(
        operations.len() >= 55,
        "the spec holds {} operations, expected at least 55",
        operations.len()
    );
    for op in operations {
        assert!(
            op.path.starts_with("/api/v3/shopping-fep/"),
            "{}: {}",
            op.operation_id,
            op.path
        );
        assert_eq!(toss_shopping::operation::find(op.operation_id), Some(op));
    }
}
