//! eddsa-rdfc-2022 against the W3C vc-di-eddsa vectors: canonical N-Quads byte for byte,
//! both hashes, the exact proofValue, and verification of the signed credential.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::{did_signer, vector_json, vector_key, vector_text};
use dpikit_core::ErrorCode;
use dpikit_core::encoding::hex_encode;
use dpikit_core::time::parse_rfc3339;
use dpikit_credentials::di::eddsa_rdfc_2022::canonical_document;
use dpikit_credentials::di::{ProofOptions, add_proof};
use dpikit_credentials::jsonld::ContextStore;
use dpikit_credentials::verify::Verifier;
use serde_json::json;
use sha2::{Digest, Sha256};

const D: &str = "vc/eddsa-rdfc-2022";

/// The bundled contexts plus the two the vectors use, registered from the vector files.
fn contexts() -> Option<ContextStore> {
    let mut store = ContextStore::new();
    for (url, file) in [
        ("https://www.w3.org/ns/credentials/v2", "credentials-v2.jsonld"),
        ("https://www.w3.org/ns/credentials/examples/v2", "credentials-examples-v2.jsonld"),
    ] {
        let text = dpikit_testkit::read_vector_string("vc/eddsa/contexts", file)?;
        store.insert(url, &text).unwrap();
    }
    Some(store)
}

#[test]
fn reproduces_nquads_hashes_and_proof_value_and_verifies() {
    let Some(store) = contexts() else { return };
    let unsigned = vector_json("vc/eddsa", "unsigned.json").unwrap();
    let proof_config = vector_json(D, "proofConfigDataInt.json").unwrap();
    let doc_nq = canonical_document(&unsigned, &store).unwrap();
    let proof_nq = canonical_document(&proof_config, &store).unwrap();
    let raw = |f: &str| dpikit_testkit::read_vector_string(D, f).unwrap();
    assert_eq!(doc_nq, raw("canonDocDataInt.txt"));
    assert_eq!(proof_nq, raw("proofCanonDataInt.txt"));
    let doc_hash = Sha256::digest(doc_nq.as_bytes());
    let proof_hash = Sha256::digest(proof_nq.as_bytes());
    assert_eq!(hex_encode(&doc_hash), vector_text(D, "docHashDataInt.txt").unwrap());
    assert_eq!(hex_encode(&proof_hash), vector_text(D, "proofHashDataInt.txt").unwrap());

    // dpikit's own proof reproduces the published proofValue exactly.
    let (_, signer) = did_signer(vector_key().unwrap());
    let mut opts = ProofOptions::assertion("eddsa-rdfc-2022");
    opts.created = Some(parse_rfc3339("2023-02-24T23:36:38Z").unwrap());
    let secured = add_proof(&unsigned, &signer, &opts, &store).unwrap();
    let published = vector_json(D, "signedDataInt.json").unwrap();
    assert_eq!(secured["proof"]["proofValue"], published["proof"]["proofValue"]);
    assert_eq!(
        secured["proof"]["proofValue"].as_str().unwrap(),
        vector_text(D, "sigBTC58DataInt.txt").unwrap()
    );

    // The published signed credential verifies (its issuer is an HTTPS URL: binding off).
    let at = parse_rfc3339("2024-01-01T00:00:00Z").unwrap();
    let verifier = Verifier::new().with_contexts(store.clone()).at(at).with_issuer_binding(false);
    let report = verifier.verify_credential(&published);
    assert!(report.verified, "{}", report.to_json());

    // Tampering fails with the proof code; an unknown context with its own code.
    let mut t = published.clone();
    t["credentialSubject"]["alumniOf"] = json!("The School of Forgery");
    assert_eq!(verifier.verify_credential(&t).error_codes(), [ErrorCode::ProofInvalid]);
    let mut t = published.clone();
    t["@context"][1] = json!("https://unknown.example/context");
    assert!(verifier.verify_credential(&t).has_error(ErrorCode::UnknownContext));
}

/// Safe mode: with the VC 2.0 context alone (no `@vocab`), a claim no context defines is
/// refused when signing, and one added to a signed credential fails verification with its
/// own code instead of being silently dropped from what the signature covers.
#[test]
fn undefined_terms_are_refused_not_dropped() {
    let (_, signer) = did_signer(vector_key().unwrap());
    let issuer = signer.kid.split('#').next().unwrap().to_owned();
    let store = ContextStore::new();
    let defined = json!({
        "@context": ["https://www.w3.org/ns/credentials/v2", {"residentOf": "https://city.example/vocab#residentOf"}],
        "type": ["VerifiableCredential"],
        "issuer": issuer,
        "credentialSubject": {"id": "did:example:ana", "residentOf": "City of Example"}
    });
    let opts = ProofOptions::assertion("eddsa-rdfc-2022");
    let signed = add_proof(&defined, &signer, &opts, &store).unwrap();
    let verifier = Verifier::new();
    assert!(verifier.verify_credential(&signed).verified);

    let mut undefined = defined.clone();
    undefined["credentialSubject"]["incomeBand"] = json!("low");
    let err = add_proof(&undefined, &signer, &opts, &store).unwrap_err();
    assert_eq!(err.code(), ErrorCode::UndefinedTerm);

    let mut added = signed.clone();
    added["credentialSubject"]["incomeBand"] = json!("high");
    assert!(verifier.verify_credential(&added).has_error(ErrorCode::UndefinedTerm));
}
