//! Validates JSON as a product body, for registration and for replacement, with the
//! product rules (`products::validate_json`), and again through the typed body when it fits.
#![no_main]

use libfuzzer_sys::fuzz_target;
use serde_json::Value;
use toss_shopping::products::{BodyKind, validate_json};
use toss_shopping::types::ProductRegistration;

fuzz_target!(|data: &[u8]| {
    let Ok(body) = serde_json::from_slice::<Value>(data) else {
        return;
    };
    for kind in [BodyKind::Registration, BodyKind::Replacement] {
        let validation = validate_json(&body, kind, None);
        for finding in validation.findings() {
            let _ = (finding.pointer(), format!("{finding:?}"));
        }
        let _ = (validation.error_reason(), validation.warning_reason());
    }
    if let Ok(typed) = serde_json::from_value::<ProductRegistration>(body) {
        let _ = typed.validate(BodyKind::Registration);
    }
});
