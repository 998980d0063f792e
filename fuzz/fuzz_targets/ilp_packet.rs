#![no_main]
//! Any bytes as an ILPv4 Prepare packet (and as its base64url text): typed errors, never a
//! panic, no allocation from a claimed length; what decodes re-encodes to the same bytes.
use dpikit_payments::mojaloop::ilp::{IlpPrepare, decode_packet_b64, verify_fulfilment};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(p) = IlpPrepare::decode(data) {
        if let Ok(bytes) = p.encode() {
            assert_eq!(IlpPrepare::decode(&bytes).expect("re-decode"), p);
        }
    }
    if let Ok(text) = std::str::from_utf8(data) {
        if let Ok(raw) = decode_packet_b64(text) {
            let _ = IlpPrepare::decode(&raw);
        }
        let mid = (0..=text.len() / 2).rev().find(|&i| text.is_char_boundary(i)).unwrap_or(0);
        let (a, b) = text.split_at(mid);
        let _ = verify_fulfilment(a, b);
    }
});
