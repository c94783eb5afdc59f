//! Decodes bytes as the envelope alone (`Envelope<serde_json::Value>`), then unwraps it.
//! A `FAIL` must never give a payload.
#![no_main]

use libfuzzer_sys::fuzz_target;
use serde_json::Value;
use toss_shopping::envelope::{Envelope, ResultType};

fuzz_target!(|data: &[u8]| {
    let Ok(envelope) = serde_json::from_slice::<Envelope<Value>>(data) else {
        return;
    };
    let failed = envelope.result_type == Some(ResultType::Fail);
    let _ = format!("{envelope:?}");
    match envelope.into_payload() {
        Ok(_) => assert!(!failed, "a FAIL envelope gave a payload"),
        Err(failure) => {
            let _ = format!("{failure:?}");
        }
    }
});
