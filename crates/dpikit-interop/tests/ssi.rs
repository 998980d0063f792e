//! Interoperability with SpruceID's ssi 0.16 (Rust): Data Integrity `eddsa-rdfc-2022` (did:key
//! Ed25519 issuers) and `ecdsa-rdfc-2019` (did:key P-256 issuers), both ways.
//!
//! - dpikit issues, ssi verifies; ssi issues, dpikit verifies; each side also rejects a
//!   credential changed after signing.
//! - `eddsa-jcs-2022` has no peer here: ssi 0.16 does not implement that cryptosuite.
//!
//! No network: did:key resolves offline in both libraries (ssi's `DIDKey` alone, not
//! `AnyDidMethod`, whose did:web/did:ion resolvers make HTTP calls), ssi loads JSON-LD
//! contexts from its static in-memory loader (`ContextLoader::default()`), and ssi's async
//! API is driven by `futures::executor::block_on`, with no runtime or I/O reactor.
//!
//! The credential uses only terms of the credentials v2 context: ssi bundles an older copy of
//! that context without the `@vocab` catch-all, so a term outside it would expand to
//! different RDF in ssi and in dpikit.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use dpikit_core::ErrorCode;
use dpikit_core::did::{did_key, did_key_verification_method};
use dpikit_core::jws::WithKeyId;
use dpikit_core::keys::{KeyPair, KeyType};
use dpikit_credentials::Verifier;
use dpikit_credentials::di::{ProofOptions, add_proof};
use dpikit_credentials::jsonld::ContextStore;
use dpikit_credentials::model::CredentialBuilder;
use futures::executor::block_on;
use serde_json::{Value, json};
use ssi::JWK;
use ssi::claims::VerificationParameters;
use ssi::claims::data_integrity::{AnySuite, CryptographicSuite, DataIntegrity};
use ssi::claims::vc::v2::JsonCredential;
use ssi::dids::{DIDKey, VerificationMethodDIDResolver};
use ssi::verification_methods::{AnyMethod, SingleSecretSigner};

const SUITE: &str = "eddsa-rdfc-2022";

/// A residency credential whose every term is defined by the credentials v2 context.
fn credential(issuer: &str) -> Value {
    CredentialBuilder::new(issuer)
        .id("urn:uuid:6b1c1e2a-6a3e-4f6c-9a0e-4d8f3b2a1c55")
        .issuer_name("City of Springfield, Residents' Office")
        .valid_from_str("2026-01-01T00:00:00Z")
        .valid_until_str("2036-01-01T00:00:00Z")
        .subject(json!({
            "id": "did:example:resident-1024",
            "name": "Zoë Ñandú",
            "description": "Resident of Springfield since 2019",
        }))
        .member("name", json!("Residency credential"))
        .member("description", json!("Proof of residence issued by the City of Springfield."))
        .build()
        .unwrap()
        .to_value()
}

/// ssi's verification-method resolver for did:key only (offline).
fn ssi_resolver() -> VerificationMethodDIDResolver<DIDKey, AnyMethod> {
    VerificationMethodDIDResolver::new(DIDKey)
}

/// Verifies a Data Integrity credential with ssi: `Ok(())` when ssi accepts it.
fn ssi_verify(signed: &Value) -> Result<(), String> {
    let vc: DataIntegrity<JsonCredential, AnySuite> =
        ssi::claims::data_integrity::from_json_str(&signed.to_string())
            .map_err(|e| format!("ssi could not decode the credential: {e}"))?;
    let params = VerificationParameters::from_resolver(ssi_resolver());
    block_on(vc.verify(params))
        .map_err(|e| format!("ssi proof validation error: {e}"))?
        .map_err(|e| format!("ssi: invalid: {e}"))
}

fn dpikit_issue(secret: u8, kt: KeyType, suite: &str) -> Value {
    let key = KeyPair::from_secret_bytes(kt, &[secret; 32]).unwrap();
    let issuer = did_key(&key.public_key());
    let signer = WithKeyId { kid: did_key_verification_method(&key.public_key()), signer: key };
    add_proof(&credential(&issuer), &signer, &ProofOptions::assertion(suite), &ContextStore::new())
        .unwrap_or_else(|e| panic!("dpikit add_proof({suite}) failed: {} ({e})", e.code().name()))
}

/// dpikit issues with `suite`, ssi verifies, and ssi rejects the credential once changed.
fn dpikit_to_ssi(secret: u8, kt: KeyType, suite: &str) -> Value {
    let signed = dpikit_issue(secret, kt, suite);
    let report = Verifier::new().verify_credential(&signed);
    assert!(report.verified, "dpikit rejects its own credential: {}", report.to_json());

    ssi_verify(&signed).unwrap();

    let mut forged = signed.clone();
    forged["credentialSubject"]["name"] = json!("Someone Else");
    assert!(ssi_verify(&forged).is_err(), "ssi accepted a changed credential");
    signed
}

/// ssi issues with `ssi_suite` (named `suite`), dpikit verifies, and dpikit rejects the
/// credential once changed with the proof code. The same key is used in both libraries,
/// through its private JWK.
fn ssi_to_dpikit(secret: u8, kt: KeyType, ssi_suite: &AnySuite, suite: &str) {
    let key = KeyPair::from_secret_bytes(kt, &[secret; 32]).unwrap();
    let jwk: JWK = serde_json::from_str(&key.to_private_jwk().to_json()).unwrap();
    let vm = DIDKey::generate_url(&jwk.to_public()).unwrap();
    assert_eq!(vm.as_str(), did_key_verification_method(&key.public_key()));

    let unsecured: JsonCredential =
        serde_json::from_value(credential(&did_key(&key.public_key()))).unwrap();
    let signed = block_on(ssi_suite.sign(
        unsecured,
        ssi_resolver(),
        SingleSecretSigner::new(jwk).into_local(),
        ssi::claims::data_integrity::ProofOptions::from_method(vm.into_iri().into()),
    ))
    .unwrap();
    let value = serde_json::to_value(&signed).unwrap();
    assert_eq!(value["proof"]["type"], "DataIntegrityProof");
    assert_eq!(value["proof"]["cryptosuite"], suite);
    // ssi checks its own output, so a failure below is dpikit's.
    ssi_verify(&value).unwrap();

    let report = Verifier::new().verify_credential(&value);
    assert!(report.verified, "dpikit rejects ssi's credential: {}", report.to_json());

    let mut forged = value.clone();
    forged["credentialSubject"]["name"] = json!("Someone Else");
    let report = Verifier::new().verify_credential(&forged);
    assert!(!report.verified);
    assert!(report.has_error(ErrorCode::ProofInvalid), "{}", report.to_json());
}

#[test]
fn dpikit_issues_eddsa_rdfc_2022_ssi_verifies() {
    dpikit_to_ssi(7, KeyType::Ed25519, SUITE);
}

#[test]
fn ssi_issues_eddsa_rdfc_2022_dpikit_verifies() {
    ssi_to_dpikit(8, KeyType::Ed25519, &AnySuite::EdDsaRdfc2022, SUITE);
}

#[test]
fn dpikit_issues_ecdsa_rdfc_2019_ssi_verifies() {
    let signed = dpikit_to_ssi(9, KeyType::P256, "ecdsa-rdfc-2019");
    assert!(signed["proof"]["verificationMethod"].as_str().unwrap().starts_with("did:key:zDn"));
}

#[test]
fn ssi_issues_ecdsa_rdfc_2019_dpikit_verifies() {
    ssi_to_dpikit(10, KeyType::P256, &AnySuite::EcdsaRdfc2019, "ecdsa-rdfc-2019");
}
