//! Credential verification, side by side in one run:
//! raw Ed25519 verify; dpikit eddsa-jcs-2022 verify of a ~1 KB resident credential (the
//! proof alone, and the full report with syntax and validity); dpikit eddsa-rdfc-2022 verify
//! against ssi 0.16's on one credential, with raw Ed25519 as the unit;
//! batch verification of 10 000 credentials on 1 and 2 threads; `vc+jwt` (EdDSA, ES256)
//! against josekit 0.10 and ssi 0.16 (VC-JOSE).
//!
//! `cargo bench --bench credentials`; figures and ratios are in docs/benchmarks.md.
#![allow(missing_docs, clippy::unwrap_used, clippy::expect_used)]

use std::hint::black_box;
use std::time::Duration;

use criterion::{Criterion, criterion_group, criterion_main};
use dpikit_core::did::{CachingResolver, StaticResolver, did_key, did_key_verification_method};
use dpikit_core::jws::WithKeyId;
use dpikit_core::keys::{KeyPair, KeyType};
use dpikit_core::time::parse_rfc3339;
use dpikit_credentials::di::{
    ProofOptions, ProofPurpose, ProofRequirements, add_proof, split_proofs, verify_proof,
};
use dpikit_credentials::jose::issue_vc_jwt;
use dpikit_credentials::jsonld::ContextStore;
use dpikit_credentials::model::CredentialBuilder;
use dpikit_credentials::verify::Verifier;
use ed25519_dalek::{Signature, Signer as _, SigningKey, VerifyingKey};
use futures::executor::block_on;
use serde_json::{Value, json};
use ssi::claims::data_integrity::{AnySuite, DataIntegrity};
use ssi::claims::vc::v2::JsonCredential;
use ssi::claims::vc_jose_cose::JoseVc;
use ssi::claims::{JwsVec, VerificationParameters};
use ssi::dids::{DIDKey, VerificationMethodDIDResolver};
use ssi::verification_methods::AnyMethod;

fn resident(issuer: &str) -> Value {
    CredentialBuilder::new(issuer)
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

struct Fixture {
    signed: Value,
    verifier: Verifier,
}

fn fixture(suite: &str) -> Fixture {
    let key = KeyPair::from_secret_bytes(KeyType::Ed25519, &[9; 32]).unwrap();
    let did = did_key(&key.public_key());
    let signer = WithKeyId { kid: did_key_verification_method(&key.public_key()), signer: key };
    let signed =
        add_proof(&resident(&did), &signer, &ProofOptions::assertion(suite), &ContextStore::new())
            .unwrap();
    let verifier = Verifier::new().at(parse_rfc3339("2027-01-01T00:00:00Z").unwrap());
    let report = verifier.verify_credential(&signed);
    assert!(report.verified, "{}", report.to_json());
    Fixture { signed, verifier }
}

/// The raw peer: one Ed25519 key, a 64-byte message (two SHA-256 digests, as the proofs sign)
/// and its signature.
fn raw_ed25519() -> (VerifyingKey, [u8; 64], Signature) {
    let raw = SigningKey::from_bytes(&[9; 32]);
    let msg = [7u8; 64];
    let sig = raw.sign(&msg);
    (raw.verifying_key(), msg, sig)
}

fn single(c: &mut Criterion) {
    let (raw_vk, msg, sig) = raw_ed25519();

    let jcs = fixture("eddsa-jcs-2022");
    let size = jcs.signed.to_string().len();
    assert!((900..1500).contains(&size), "credential is {size} bytes");
    let (unsecured, proofs) = split_proofs(&jcs.signed).unwrap();
    let resolver = CachingResolver::new(StaticResolver::new(), 16);
    let contexts = ContextStore::new();
    let req = ProofRequirements {
        purpose: ProofPurpose::AssertionMethod,
        controller: None,
        challenge: None,
        domain: None,
        now: parse_rfc3339("2027-01-01T00:00:00Z").unwrap(),
        skew: chrono::Duration::zero(),
    };

    let mut g = c.benchmark_group("verify-1k-credential");
    g.bench_function("raw ed25519-dalek verify_strict (64-byte message)", |b| {
        b.iter(|| raw_vk.verify_strict(black_box(&msg), &sig).unwrap());
    });
    g.bench_function("dpikit eddsa-jcs-2022 proof", |b| {
        b.iter(|| {
            verify_proof(black_box(&unsecured), &proofs[0], &req, &resolver, &contexts).unwrap()
        });
    });
    g.bench_function("dpikit eddsa-jcs-2022 full report", |b| {
        b.iter(|| assert!(jcs.verifier.verify_credential(black_box(&jcs.signed)).verified));
    });
    g.finish();
}

/// A credential whose every term is defined by the credentials v2 context: ssi 0.16 bundles
/// an older copy of that context without the `@vocab` catch-all, so a term outside it would
/// give ssi and dpikit different RDF (and ssi a different signature input).
fn v2_only(issuer: &str) -> Value {
    CredentialBuilder::new(issuer)
        .id("urn:uuid:6b1c1e2a-6a3e-4f6c-9a0e-4d8f3b2a1c55")
        .issuer_name("City of Springfield, Residents' Office")
        .valid_from_str("2026-01-01T00:00:00Z")
        .valid_until_str("2031-01-01T00:00:00Z")
        .subject(json!({
            "id": "did:example:resident-1024",
            "name": "Zoë Ñandú",
            "description": "Resident of Springfield since 2019, household of four.",
        }))
        .member("name", json!("Residency credential"))
        .member("description", json!("Proof of residence issued by the City of Springfield."))
        .build()
        .unwrap()
        .to_value()
}

/// eddsa-rdfc-2022: dpikit (bare proof and full report) and ssi 0.16 verify the same
/// dpikit-issued credential; raw Ed25519 is the unit. ssi is async-only and runs under
/// `block_on` (no runtime; did:key and contexts resolve in memory).
fn rdfc(c: &mut Criterion) {
    let key = KeyPair::from_secret_bytes(KeyType::Ed25519, &[9; 32]).unwrap();
    let did = did_key(&key.public_key());
    let signer = WithKeyId { kid: did_key_verification_method(&key.public_key()), signer: key };
    let contexts = ContextStore::new();
    let options = ProofOptions::assertion("eddsa-rdfc-2022");
    let signed = match add_proof(&v2_only(&did), &signer, &options, &contexts) {
        Ok(signed) => signed,
        Err(e) => {
            println!(
                "verify-rdfc-credential: skipped, dpikit eddsa-rdfc-2022 is not available yet ({})",
                e.code().name()
            );
            return;
        }
    };
    let now = parse_rfc3339("2027-01-01T00:00:00Z").unwrap();
    let verifier = Verifier::new().at(now);
    let report = verifier.verify_credential(&signed);
    assert!(report.verified, "{}", report.to_json());
    let (unsecured, proofs) = split_proofs(&signed).unwrap();
    let resolver = CachingResolver::new(StaticResolver::new(), 16);
    let req = ProofRequirements {
        purpose: ProofPurpose::AssertionMethod,
        controller: None,
        challenge: None,
        domain: None,
        now,
        skew: chrono::Duration::zero(),
    };
    verify_proof(&unsecured, &proofs[0], &req, &resolver, &contexts).unwrap();

    let text = signed.to_string();
    let ssi_vc: DataIntegrity<JsonCredential, AnySuite> =
        ssi::claims::data_integrity::from_json_str(&text).unwrap();
    let ssi_resolver = VerificationMethodDIDResolver::<DIDKey, AnyMethod>::new(DIDKey);
    let ssi_params = VerificationParameters::from_resolver(ssi_resolver).with_date_time(now);
    let ssi_verify = || block_on(ssi_vc.verify(&ssi_params)).unwrap().is_ok();
    assert!(ssi_verify(), "ssi rejects dpikit's eddsa-rdfc-2022 credential");

    let (raw_vk, msg, sig) = raw_ed25519();

    let mut g = c.benchmark_group("verify-rdfc-credential");
    g.warm_up_time(Duration::from_secs(1)).measurement_time(Duration::from_secs(3));
    println!("verify-rdfc-credential: one {}-byte credential", text.len());
    g.bench_function("raw ed25519-dalek verify_strict (64-byte message)", |b| {
        b.iter(|| raw_vk.verify_strict(black_box(&msg), &sig).unwrap());
    });
    g.bench_function("dpikit eddsa-rdfc-2022 proof (di::verify_proof)", |b| {
        b.iter(|| {
            verify_proof(black_box(&unsecured), &proofs[0], &req, &resolver, &contexts).unwrap()
        });
    });
    g.bench_function("dpikit eddsa-rdfc-2022 full report (Verifier)", |b| {
        b.iter(|| assert!(verifier.verify_credential(black_box(&signed)).verified));
    });
    g.bench_function("ssi 0.16 eddsa-rdfc-2022 verify", |b| {
        b.iter(|| assert!(black_box(ssi_verify())));
    });
    g.finish();
}

fn batch(c: &mut Criterion) {
    let jcs = fixture("eddsa-jcs-2022");
    let text = jcs.signed.to_string();
    // 10 000 when measuring; 100 as a `cargo test` smoke run (a debug build).
    let n = dpikit_testkit::bench_size(10_000, 100);
    let inputs: Vec<&[u8]> = (0..n).map(|_| text.as_bytes()).collect();
    let mut g = c.benchmark_group("verify-batch-10k");
    g.sample_size(10);
    // The machine's own ceiling: the same split of 10 000 raw Ed25519 verifications.
    let (raw_vk, msg, sig) = raw_ed25519();
    for threads in [1_usize, 2] {
        g.bench_function(format!("raw ed25519-dalek verify_strict, {threads} thread(s)"), |b| {
            let per = n / threads;
            b.iter(|| {
                std::thread::scope(|s| {
                    for _ in 0..threads {
                        s.spawn(|| {
                            for _ in 0..per {
                                raw_vk.verify_strict(black_box(&msg), &sig).unwrap();
                            }
                        });
                    }
                });
            });
        });
    }
    for threads in [1, 2] {
        g.bench_function(format!("dpikit eddsa-jcs-2022, {threads} thread(s)"), |b| {
            b.iter(|| {
                let reports = jcs.verifier.verify_many(black_box(&inputs), threads);
                assert!(reports.iter().all(|r| r.verified));
            });
        });
    }
    g.finish();
}

/// VC-JOSE: one ~1 KB `vc+jwt` credential (EdDSA and ES256), dpikit's full report against
/// josekit 0.10 (OpenSSL) checking the JWS signature and decoding the payload JSON, which is
/// less work than the report (no header `typ`, claim or validity checks), and against ssi
/// 0.16's VC-JOSE verification (`JoseVc`: decode into its credential model, signature with
/// the issuer's JWK, validity period).
fn vc_jwt(c: &mut Criterion) {
    let mut g = c.benchmark_group("verify-vc-jwt");
    for (key_type, alg) in [(KeyType::Ed25519, "EdDSA"), (KeyType::P256, "ES256")] {
        let key = KeyPair::generate(key_type).unwrap();
        let jwk =
            josekit::jwk::Jwk::from_bytes(key.public_key().to_jwk().to_json().as_bytes()).unwrap();
        let ssi_jwk: ssi::JWK = serde_json::from_str(&key.public_key().to_jwk().to_json()).unwrap();
        let kid = did_key_verification_method(&key.public_key());
        let vc = resident(&did_key(&key.public_key()));
        let token = issue_vc_jwt(&vc, &WithKeyId { signer: key, kid }).unwrap();
        let jws = JwsVec::new(token.clone().into_bytes()).unwrap();
        let ssi_verify = |jws: &JwsVec| {
            let decoded = JoseVc::decode_any(jws).unwrap();
            block_on(decoded.verify(VerificationParameters::from_resolver(&ssi_jwk))).unwrap()
        };
        assert_eq!(ssi_verify(&jws), Ok(()), "ssi verifies dpikit's {alg} vc+jwt");
        let verifier = Verifier::new().at(parse_rfc3339("2027-01-01T00:00:00Z").unwrap());
        assert!(verifier.verify_bytes(token.as_bytes()).verified);
        let theirs: Box<dyn josekit::jws::JwsVerifier> = match alg {
            "EdDSA" => Box::new(josekit::jws::EdDSA.verifier_from_jwk(&jwk).unwrap()),
            _ => Box::new(josekit::jws::ES256.verifier_from_jwk(&jwk).unwrap()),
        };
        g.bench_function(format!("dpikit vc+jwt {alg} full report"), |b| {
            b.iter(|| assert!(verifier.verify_bytes(black_box(token.as_bytes())).verified));
        });
        g.bench_function(format!("josekit 0.10 {alg} JWS verify + payload JSON"), |b| {
            b.iter(|| {
                let (payload, _) =
                    josekit::jws::deserialize_compact(black_box(&token), &*theirs).unwrap();
                serde_json::from_slice::<Value>(&payload).unwrap()
            });
        });
        g.bench_function(format!("ssi 0.16 {alg} VC-JOSE verify"), |b| {
            b.iter(|| assert_eq!(ssi_verify(black_box(&jws)), Ok(())));
        });
    }
    g.finish();
}

criterion_group!(benches, single, rdfc, batch, vc_jwt);
criterion_main!(benches);
