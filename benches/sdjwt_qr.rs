//! SD-JWT present/verify and QR encode/decode of a ~1 KB resident credential.
//!
//! `cargo bench -p dpikit-credentials --bench sdjwt_qr`; figures are in docs/benchmarks.md.
#![allow(missing_docs, clippy::unwrap_used, clippy::expect_used)]

use std::hint::black_box;
use std::time::Duration;

use criterion::{Criterion, criterion_group, criterion_main};
use dpikit_core::did::{did_key, did_key_verification_method};
use dpikit_core::jws::WithKeyId;
use dpikit_core::keys::{KeyPair, KeyType};
use dpikit_credentials::di::{ProofOptions, add_proof};
use dpikit_credentials::jsonld::ContextStore;
use dpikit_credentials::model::CredentialBuilder;
use dpikit_credentials::qr::{self, EcLevel, Payload};
use dpikit_credentials::sdjwt::{IssueOptions, SdJwtVerifyOptions, issue_vc, verify};
use dpikit_credentials::verify::Verifier;
use serde_json::json;

const NOW: i64 = 1_900_000_000;

fn sdjwt(c: &mut Criterion) {
    let issuer = KeyPair::generate(KeyType::Ed25519).unwrap();
    let holder = KeyPair::generate(KeyType::P256).unwrap();
    let claims = json!({
        "iss": "https://springfield.example/residents",
        "vct": "https://springfield.example/credentials/residency",
        "exp": NOW + 86_400,
        "given_name": "Zoë", "family_name": "Ñandú", "birth_year": 1987,
        "address": {"street": "742 Evergreen Terrace", "city": "Springfield", "postal_code": "49007"},
        "entitlements": ["transit-discount", "library", "pool"],
    });
    let disclosable = [
        "/given_name",
        "/family_name",
        "/birth_year",
        "/address",
        "/address/street",
        "/address/city",
        "/address/postal_code",
        "/entitlements/0",
        "/entitlements/1",
        "/entitlements/2",
    ];
    let options = IssueOptions {
        holder_key: Some(holder.public_key()),
        decoys: 2,
        ..IssueOptions::default()
    };
    let sd = issue_vc(&claims, &disclosable, &issuer, &options).unwrap();
    let mut g = c.benchmark_group("sdjwt");
    g.measurement_time(Duration::from_secs(4));
    g.bench_function("issue (10 disclosures, Ed25519)", |b| {
        b.iter(|| issue_vc(black_box(&claims), &disclosable, &issuer, &options).unwrap());
    });
    g.bench_function("present 2 of 10 + KB-JWT (P-256)", |b| {
        b.iter(|| {
            sd.present(black_box(&["/address/city", "/entitlements/2"]))
                .unwrap()
                .bind(&holder, "https://v.example", "n", NOW)
                .unwrap()
        });
    });
    let shown = sd
        .present(&["/address/city", "/entitlements/2"])
        .unwrap()
        .bind(&holder, "https://v.example", "n", NOW)
        .unwrap()
        .to_string();
    let vopts = SdJwtVerifyOptions::default()
        .with_issuer_key(issuer.public_key())
        .with_key_binding("n", "https://v.example")
        .at_unix(NOW)
        .vc();
    g.bench_function("verify presentation + KB-JWT", |b| {
        b.iter(|| verify(black_box(&shown), &vopts).unwrap());
    });
    g.finish();
}

fn qr_bench(c: &mut Criterion) {
    let key = KeyPair::generate(KeyType::Ed25519).unwrap();
    let did = did_key(&key.public_key());
    let signer = WithKeyId { kid: did_key_verification_method(&key.public_key()), signer: key };
    let vc = CredentialBuilder::new(&did)
        .id("urn:uuid:6b1c1e2a-6a3e-4f6c-9a0e-4d8f3b2a1c55")
        .add_type("ResidencyCredential")
        .issuer_name("City of Springfield, Residents' Office")
        .valid_from_str("2026-01-01T00:00:00Z")
        .valid_until_str("2031-01-01T00:00:00Z")
        .subject(json!({
            "id": "did:example:resident-1024", "type": "Resident", "name": "Zoë Ñandú",
            "birthYear": 1987,
            "address": {"street": "742 Evergreen Terrace", "city": "Springfield", "postalCode": "49007"},
            "householdSize": 4, "incomeBand": "B2",
            "entitlements": ["transit-discount", "library", "pool"],
        }))
        .build()
        .unwrap();
    let signed = add_proof(
        &vc.to_value(),
        &signer,
        &ProofOptions::assertion("eddsa-jcs-2022"),
        &ContextStore::new(),
    )
    .unwrap();
    let text = qr::encode_json(&signed, Payload::Cbor).unwrap();
    let verifier = Verifier::new();
    let mut g = c.benchmark_group("qr");
    g.measurement_time(Duration::from_secs(4));
    g.bench_function("encode (CBOR, zlib-9, base45)", |b| {
        b.iter(|| qr::encode_json(black_box(&signed), Payload::Cbor).unwrap());
    });
    g.bench_function("decode to JSON", |b| {
        b.iter(|| qr::decode_payload(black_box(&text)).unwrap());
    });
    g.bench_function("verify_qr (decode + eddsa-jcs-2022 verify)", |b| {
        b.iter(|| assert!(qr::verify_qr(black_box(&text), &verifier).verified));
    });
    g.bench_function("render SVG (EC M)", |b| {
        b.iter(|| qr::render_svg(black_box(&text), EcLevel::M).unwrap());
    });
    let png = qr::render_png(&text, EcLevel::M, 3).unwrap();
    g.bench_function("render PNG (EC M, 3 px)", |b| {
        b.iter(|| qr::render_png(black_box(&text), EcLevel::M, 3).unwrap());
    });
    g.sample_size(20);
    g.bench_function("read PNG (rqrr)", |b| b.iter(|| qr::read_png(black_box(&png)).unwrap()));
    g.finish();
}

criterion_group!(benches, sdjwt, qr_bench);
criterion_main!(benches);
