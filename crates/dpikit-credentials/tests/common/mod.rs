//! Shared helpers for the credentials tests.
#![allow(dead_code, clippy::unwrap_used, clippy::expect_used)]

use dpikit_core::did::{did_key, did_key_verification_method};
use dpikit_core::jws::WithKeyId;
use dpikit_core::keys::{KeyPair, KeyType};
use dpikit_core::{Limits, parse_json};
use dpikit_credentials::model::CredentialBuilder;
use dpikit_testkit::read_vector;
use serde_json::{Value, json};

/// Reads a JSON vector file.
pub(crate) fn vector_json(domain: &str, file: &str) -> Option<Value> {
    read_vector(domain, file).map(|b| parse_json(&b, &Limits::default()).unwrap())
}

/// Reads a text vector file, trimmed.
pub(crate) fn vector_text(domain: &str, file: &str) -> Option<String> {
    dpikit_testkit::read_vector_string(domain, file).map(|s| s.trim().to_owned())
}

/// The vc-di-eddsa test key pair.
pub(crate) fn vector_key() -> Option<KeyPair> {
    let kp = vector_json("vc/eddsa", "keyPair.json")?;
    Some(KeyPair::from_private_multikey(kp["privateKeyMultibase"].as_str().unwrap()).unwrap())
}

/// A signer with its did:key verification method as key id.
pub(crate) fn did_signer(key: KeyPair) -> (String, WithKeyId<KeyPair>) {
    let did = did_key(&key.public_key());
    let kid = did_key_verification_method(&key.public_key());
    (did, WithKeyId { signer: key, kid })
}

/// A fresh Ed25519 (or P-256) issuer.
pub(crate) fn issuer(kt: KeyType) -> (String, WithKeyId<KeyPair>) {
    did_signer(KeyPair::generate(kt).unwrap())
}

/// A ~1 KB city residency credential, unsigned.
pub(crate) fn resident_credential(issuer_did: &str) -> Value {
    CredentialBuilder::new(issuer_did)
        .id("urn:uuid:6b1c1e2a-6a3e-4f6c-9a0e-4d8f3b2a1c55")
        .add_type("ResidencyCredential")
        .issuer_name("City of Springfield, Residents' Office")
        .valid_from_str("2026-01-01T00:00:00Z")
        .valid_until_str("2031-01-01T00:00:00Z")
        .subject(json!({
            "id": "did:example:resident-1024",
            "type": "Resident",
            "name": "Zoë Ñandú",
            "birthYear": 1987,
            "address": {"street": "742 Evergreen Terrace", "city": "Springfield", "postalCode": "49007"},
            "householdSize": 4,
            "incomeBand": "B2",
            "entitlements": ["transit-discount", "library", "pool"],
        }))
        .member("name", json!("Residency credential"))
        .member("description", json!("Proof of residence issued by the City of Springfield."))
        .build()
        .unwrap()
        .to_value()
}
