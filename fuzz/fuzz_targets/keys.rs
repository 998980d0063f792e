#![no_main]
//! JWK and Multikey parsing: typed errors, never panics; what parses round-trips.
use dpikit_core::keys::{Jwk, PublicKey};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(jwk) = Jwk::from_json(data) {
        if let Ok(key) = PublicKey::from_jwk(&jwk) {
            assert_eq!(PublicKey::from_jwk(&key.to_jwk()).expect("round trip"), key);
        }
    }
    if let Ok(text) = std::str::from_utf8(data) {
        if let Ok(key) = PublicKey::from_multikey(text) {
            assert_eq!(PublicKey::from_multikey(&key.to_multikey()).expect("round trip"), key);
        }
    }
});
