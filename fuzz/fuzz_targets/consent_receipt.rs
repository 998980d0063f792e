#![no_main]
//! Any text as a signed consent receipt: typed errors, never a panic, never accepted.
use std::sync::OnceLock;

use dpikit_consent::receipt::verify_receipt;
use dpikit_core::keys::{KeyPair, KeyType, PublicKey};
use libfuzzer_sys::fuzz_target;

fn key() -> &'static PublicKey {
    static K: OnceLock<PublicKey> = OnceLock::new();
    K.get_or_init(|| {
        KeyPair::from_secret_bytes(KeyType::Ed25519, &[1; 32]).expect("key").public_key()
    })
}

fuzz_target!(|data: &[u8]| {
    if let Ok(text) = std::str::from_utf8(data) {
        assert!(verify_receipt(text, key()).is_err());
    }
});
