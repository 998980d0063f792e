#![no_main]
//! Any text as a compact JWS: verification fails with a typed error, never panics, and
//! never accepts (the key signed nothing).
use std::sync::OnceLock;

use dpikit_core::jws::{self, VerifyOptions};
use dpikit_core::keys::{KeyPair, KeyType, PublicKey};
use libfuzzer_sys::fuzz_target;

fn keys() -> &'static [PublicKey; 2] {
    static KEYS: OnceLock<[PublicKey; 2]> = OnceLock::new();
    KEYS.get_or_init(|| {
        [
            KeyPair::from_secret_bytes(KeyType::Ed25519, &[1; 32]).expect("key").public_key(),
            KeyPair::from_secret_bytes(KeyType::P256, &[1; 32]).expect("key").public_key(),
        ]
    })
}

fuzz_target!(|data: &[u8]| {
    if let Ok(token) = std::str::from_utf8(data) {
        for key in keys() {
            assert!(jws::verify(token, key, &VerifyOptions::default()).is_err());
        }
    }
});
