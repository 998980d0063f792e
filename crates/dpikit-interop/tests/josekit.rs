//! Interoperability with josekit 0.10 (Rust, OpenSSL): dpikit's `vc+jwt` (EdDSA and ES256)
//! verifies in josekit with the issuer's public JWK, the payload josekit decodes is the
//! credential JSON, and the header carries `typ: vc+jwt` and the did:key `kid`.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use dpikit_core::did::{did_key, did_key_verification_method};
use dpikit_core::jws::WithKeyId;
use dpikit_core::keys::{KeyPair, KeyType};
use dpikit_credentials::jose::issue_vc_jwt;
use dpikit_credentials::model::CredentialBuilder;
use josekit::jwk::Jwk;
use josekit::jws::{self, JwsVerifier};
use serde_json::{Value, json};

fn credential(issuer: &str, subject_name: &str) -> Value {
    CredentialBuilder::new(issuer)
        .id("urn:uuid:6b1c1e2a-6a3e-4f6c-9a0e-4d8f3b2a1c55")
        .add_type("ResidencyCredential")
        .issuer_name("City of Springfield, Residents' Office")
        .valid_from_str("2026-01-01T00:00:00Z")
        .valid_until_str("2036-01-01T00:00:00Z")
        .subject(json!({
            "id": "did:example:resident-1024",
            "name": subject_name,
            "birthYear": 1987,
            "entitlements": ["transit-discount", "library"],
        }))
        .build()
        .unwrap()
        .to_value()
}

/// Issues with dpikit, verifies with josekit, checks header and payload.
fn round_trip(key_type: KeyType, alg: &str, verifier: impl Fn(&Jwk) -> Box<dyn JwsVerifier>) {
    let key = KeyPair::generate(key_type).unwrap();
    let public_jwk = key.public_key().to_jwk().to_json();
    let kid = did_key_verification_method(&key.public_key());
    let issuer = did_key(&key.public_key());
    let vc = credential(&issuer, "Zoë Ñandú");
    let signer = WithKeyId { signer: key, kid: kid.clone() };
    let token = issue_vc_jwt(&vc, &signer).unwrap();

    let jwk = Jwk::from_bytes(public_jwk.as_bytes()).unwrap();
    let verifier = verifier(&jwk);
    let (payload, header) = jws::deserialize_compact(&token, &*verifier).unwrap();
    assert_eq!(header.algorithm(), Some(alg));
    assert_eq!(header.token_type(), Some("vc+jwt"));
    assert_eq!(header.key_id(), Some(kid.as_str()));
    let decoded: Value = serde_json::from_slice(&payload).unwrap();
    assert_eq!(decoded, vc);

    // Another token's payload under this token's signature must fail in josekit.
    let other = issue_vc_jwt(&credential(&issuer, "Someone Else"), &signer).unwrap();
    let mut parts: Vec<&str> = token.split('.').collect();
    parts[1] = other.split('.').nth(1).unwrap();
    assert!(jws::deserialize_compact(parts.join("."), &*verifier).is_err());
}

#[test]
fn dpikit_vc_jwt_eddsa_verifies_in_josekit() {
    round_trip(KeyType::Ed25519, "EdDSA", |jwk| {
        Box::new(jws::EdDSA.verifier_from_jwk(jwk).unwrap())
    });
}

#[test]
fn dpikit_vc_jwt_es256_verifies_in_josekit() {
    round_trip(KeyType::P256, "ES256", |jwk| Box::new(jws::ES256.verifier_from_jwk(jwk).unwrap()));
}
