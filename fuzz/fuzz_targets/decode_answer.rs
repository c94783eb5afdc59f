//! Decodes bytes as the answer of one operation, exactly as a call would. The first byte
//! picks the operation from the generated `OPERATIONS` table, the rest is the body.
//!
//! Beyond "never panics": a body whose `resultType` is `FAIL` must never decode as a success,
//! and errors must render (their `Display` and `Debug` run the redaction code).
#![no_main]

use libfuzzer_sys::fuzz_target;
use toss_shopping::operation::{decode_answer, operations};

fuzz_target!(|data: &[u8]| {
    let Some((&pick, body)) = data.split_first() else {
        return;
    };
    let all = operations();
    let op = &all[usize::from(pick) % all.len()];
    let Some(outcome) = decode_answer(op.operation_id, body) else {
        panic!("{} is in the table but has no decoder", op.operation_id);
    };
    match outcome {
        Ok(_) => {
            let said_fail = serde_json::from_slice::<serde_json::Value>(body)
                .ok()
                .and_then(|v| v.get("resultType").cloned())
                .is_some_and(|t| t == "FAIL");
            assert!(
                !said_fail,
                "{}: a FAIL answer decoded as a success",
                op.operation_id
            );
        }
        Err(error) => {
            let _ = format!("{error} {error:?}");
        }
    }
});
