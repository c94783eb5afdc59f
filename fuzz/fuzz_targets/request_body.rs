//! Checks bytes as the request body of one operation that takes a body, as the client and
//! the local server check them. The first byte picks the operation from those in the
//! generated `OPERATIONS` table that take a body.
#![no_main]

use libfuzzer_sys::fuzz_target;
use toss_shopping::operation::{check_request_body, operations};

fuzz_target!(|data: &[u8]| {
    let Some((&pick, body)) = data.split_first() else {
        return;
    };
    let with_body: Vec<_> = operations()
        .iter()
        .filter(|op| op.request_body.is_some())
        .collect();
    let op = with_body[usize::from(pick) % with_body.len()];
    match check_request_body(op.operation_id, body) {
        Some(Ok(_)) => {}
        Some(Err(error)) => {
            let _ = format!("{error} {error:?}");
        }
        None => panic!("{} takes a body but has no check", op.operation_id),
    }
});
