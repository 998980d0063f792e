//! Core benchmarks: Ed25519 sign/verify raw (ed25519-dalek) vs through dpikit's JWS, and
//! JCS of a 1 KB document, dpikit vs the `serde_json_canonicalizer` crate, in one run.
//!
//! `cargo bench --bench core`; the ratios are in docs/benchmarks.md.
#![allow(missing_docs, clippy::unwrap_used, clippy::expect_used)]

use criterion::{Criterion, criterion_group, criterion_main};
use dpikit::jws::{self, SignOptions, VerifyOptions};
use dpikit::keys::{KeyPair, KeyType};
use ed25519_dalek::{Signer as _, SigningKey};
use std::hint::black_box;

/// A ~1 KB VC-like document with nested objects, arrays, numbers and non-ASCII text.
fn document_1k() -> serde_json::Value {
    serde_json::json!({
        "@context": ["https://www.w3.org/ns/credentials/v2", "https://www.w3.org/ns/credentials/examples/v2"],
        "id": "urn:uuid:58172aac-d8ba-11ed-83dd-0b3aef56cc33",
        "type": ["VerifiableCredential", "ResidencyCredential"],
        "issuer": {"id": "did:key:z6MkrJVnaZkeFzdQyMZu1cgjg7k1pZZ6pvBQ7XJPt4swbTQ2", "name": "Ville de Montréal — Services aux résidents"},
        "validFrom": "2026-01-01T00:00:00Z",
        "validUntil": "2027-01-01T00:00:00Z",
        "credentialSubject": {
            "id": "did:key:z6MkjchhfUsD6mmvni8mCdXHw216Xrm9bQe2mBH1P5RDjVJG",
            "name": "Zoë Ñandú",
            "birthYear": 1987,
            "address": {"street": "1234 rue Sainte-Catherine O.", "city": "Montréal", "postalCode": "H3G 1P1", "country": "CA"},
            "entitlements": [
                {"service": "transit", "discount": 0.5, "zones": [1, 2, 3]},
                {"service": "library", "discount": 1.0, "zones": []},
                {"service": "pool", "discount": 0.25, "zones": [7]}
            ],
            "incomeBand": "B2",
            "householdSize": 4,
            "score": 1.5e-7,
            "verified": true,
            "notes": null
        },
        "credentialStatus": {
            "id": "https://city.example/status/3#94567",
            "type": "BitstringStatusListEntry",
            "statusPurpose": "revocation",
            "statusListIndex": "94567",
            "statusListCredential": "https://city.example/status/3"
        },
        "evidence": [{"type": ["DocumentVerification"], "verifier": "https://city.example/clerk/17", "evidenceDocument": "DriversLicense"}]
    })
}

fn ed25519(c: &mut Criterion) {
    let seed = [7u8; 32];
    let raw = SigningKey::from_bytes(&seed);
    let raw_vk = raw.verifying_key();
    let key = KeyPair::from_secret_bytes(KeyType::Ed25519, &seed).unwrap();
    let public = key.public_key();
    let payload = serde_json::to_vec(&document_1k()).unwrap();
    let raw_sig = raw.sign(&payload);
    let token = jws::sign(&payload, &key, &SignOptions::default()).unwrap();

    let mut g = c.benchmark_group("ed25519");
    g.bench_function("sign/raw ed25519-dalek", |b| b.iter(|| raw.sign(black_box(&payload))));
    g.bench_function("sign/dpikit jws", |b| {
        b.iter(|| jws::sign(black_box(&payload), &key, &SignOptions::default()).unwrap());
    });
    g.bench_function("verify/raw ed25519-dalek", |b| {
        b.iter(|| raw_vk.verify_strict(black_box(&payload), &raw_sig).unwrap());
    });
    g.bench_function("verify/dpikit jws", |b| {
        b.iter(|| jws::verify(black_box(&token), &public, &VerifyOptions::default()).unwrap());
    });
    g.finish();
}

fn jcs(c: &mut Criterion) {
    let doc = document_1k();
    let size = serde_json::to_vec(&doc).unwrap().len();
    assert!((900..1600).contains(&size), "document is {size} bytes");
    assert_eq!(
        dpikit::jcs::canonicalize(&doc).unwrap(),
        serde_json_canonicalizer::to_vec(&doc).unwrap()
    );
    let mut g = c.benchmark_group("jcs-1k");
    g.bench_function("dpikit", |b| b.iter(|| dpikit::jcs::canonicalize(black_box(&doc)).unwrap()));
    g.bench_function("serde_json_canonicalizer", |b| {
        b.iter(|| serde_json_canonicalizer::to_vec(black_box(&doc)).unwrap());
    });
    g.finish();
}

criterion_group!(benches, ed25519, jcs);
criterion_main!(benches);
