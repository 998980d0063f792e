#![no_main]
//! Any text as a signed envelope (and any bytes as envelope JSON): typed errors, never a
//! panic, never accepted (the fixed key signed nothing).
use std::sync::OnceLock;

use dpikit_core::keys::{KeyPair, KeyType, PublicKey};
use dpikit_core::time::parse_rfc3339;
use dpikit_exchange::Registry;
use dpikit_exchange::envelope::{Envelope, VerifyPolicy, verify};
use libfuzzer_sys::fuzz_target;

fn fixture() -> &'static (PublicKey, Registry) {
    static F: OnceLock<(PublicKey, Registry)> = OnceLock::new();
    F.get_or_init(|| {
        let key = KeyPair::from_secret_bytes(KeyType::Ed25519, &[1; 32]).expect("key");
        (key.public_key(), Registry::with_builtin().expect("built-in schemas"))
    })
}

fuzz_target!(|data: &[u8]| {
    let (key, registry) = fixture();
    let policy = VerifyPolicy::at(parse_rfc3339("2026-04-01T08:00:00Z").expect("instant"));
    if let Ok(text) = std::str::from_utf8(data) {
        assert!(verify(text, None, key, registry, &policy).is_err());
    }
    if let Ok(envelope) = Envelope::from_bytes(data) {
        let _ = envelope.to_bytes();
    }
});
