#![no_main]
//! JCS is idempotent: canonicalizing canonical bytes gives the same bytes.
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let limits = dpikit_core::Limits::default();
    if let Ok(value) = dpikit_core::parse_json(data, &limits) {
        if let Ok(once) = dpikit_core::jcs::canonicalize(&value) {
            let again = dpikit_core::parse_json(&once, &limits).expect("canonical JSON parses");
            assert_eq!(dpikit_core::jcs::canonicalize(&again).expect("re-canonicalize"), once);
        }
    }
});
