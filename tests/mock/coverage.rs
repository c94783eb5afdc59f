//! Every operation of the spec has a generated mock constructor.

use toss_shopping::{mock, operations};

#[test]
fn every_operation_has_a_mock() {
    let mocked: Vec<&str> = mock::all().iter().map(|m| m.meta().operation_id).collect();
    let table: Vec<&str> = operations().iter().map(|op| op.operation_id).collect();
    assert_eq!(mocked, table);
    for op in operations() {
        let found = mock::for_operation(op.operation_id).unwrap();
        assert_eq!(found.meta(), op);
    }
    assert!(mock::for_operation("no_such_operation").is_none());
}

#[test]
fn a_typed_mock_reads_its_operation_from_the_table() {
    let meta = mock::get_product().meta();
    assert_eq!(meta.operation_id, "get_product");
    assert_eq!(meta.path, "/api/v3/shopping-fep/products/{productId}/v2");
}
