#![no_main]
//! Any bytes: parse_json returns a value or a typed error, never panics.
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let _ = dpikit_core::parse_json(data, &dpikit_core::Limits::default());
});
