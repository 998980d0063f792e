#![no_main]
//! Any text as an SD-JWT (issuer JWT, disclosures, KB-JWT): typed errors, never a panic,
//! never accepted (the fixed key signed nothing).
use std::sync::OnceLock;

use dpikit_core::keys::{KeyPair, KeyType, PublicKey};
use dpikit_credentials::sdjwt::{SdJwt, SdJwtVerifyOptions, verify};
use libfuzzer_sys::fuzz_target;

fn key() -> &'static PublicKey {
    static K: OnceLock<PublicKey> = OnceLock::new();
    K.get_or_init(|| {
        KeyPair::from_secret_bytes(KeyType::Ed25519, &[1; 32]).expect("key").public_key()
    })
}

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    if let Ok(sd) = SdJwt::parse(text) {
        let _ = sd.unverified_payload();
    }
    let options =
        SdJwtVerifyOptions::default().with_issuer_key(key().clone()).at_unix(1_800_000_000);
    assert!(verify(text, &options).is_err());
});
