#![no_main]
//! PixelPass QR text (base45, zlib, CBOR): typed errors and a bounded output, never a panic;
//! CBOR that decodes converts to JSON and back.
use dpikit_credentials::qr::{base45_decode, cbor_to_json, decode, decode_payload};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        let _ = cbor_to_json(data);
        return;
    };
    let _ = base45_decode(text);
    let _ = decode(text);
    let _ = decode_payload(text);
    let _ = cbor_to_json(data);
});
