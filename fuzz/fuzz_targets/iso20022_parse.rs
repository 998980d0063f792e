#![no_main]
//! Any bytes as an ISO 20022 message (pain.001/002, pacs.002/004/008, camt.053/054, with or
//! without AppHdr and envelopes), strict and lenient: typed errors, never a panic, nothing
//! expanded; what parses serialises and validates.
use dpikit_payments::iso::{ParseOptions, parse};
use dpikit_payments::validate::validate;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let _ = parse(data, &ParseOptions::default());
    let lenient = ParseOptions { lenient: true, ..ParseOptions::default() };
    if let Ok(parsed) = parse(data, &lenient) {
        let _ = validate(&parsed.message);
        let _ = parsed.message.to_xml();
        let _ = parsed.message.to_json();
    }
});
