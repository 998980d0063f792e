//! eddsa-jcs-2022 against the W3C vc-di-eddsa vectors, and end-to-end issue/verify.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::{did_signer, vector_json, vector_key, vector_text};
use dpikit_core::ErrorCode;
use dpikit_core::encoding::hex_encode;
use dpikit_core::jcs::canonicalize;
use dpikit_core::time::parse_rfc3339;
use dpikit_credentials::di::{ProofOptions, add_proof};
use dpikit_credentials::jsonld::ContextStore;
use dpikit_credentials::verify::Verifier;
use sha2::{Digest, Sha256};

const D: &str = "vc/eddsa-jcs-2022";

#[test]
fn reproduces_the_canonical_forms_hashes_and_signature() {
    let Some(unsigned) = vector_json("vc/eddsa", "unsigned.json") else { return };
    let proof_config = vector_json(D, "proofConfigJCS.json").unwrap();
    let canon_doc = canonicalize(&unsigned).unwrap();
    let canon_proof = canonicalize(&proof_config).unwrap();
    assert_eq!(
        String::from_utf8(canon_doc.clone()).unwrap(),
        vector_text(D, "canonDocJCS.txt").unwrap()
    );
    assert_eq!(
        String::from_utf8(canon_proof.clone()).unwrap(),
        vector_text(D, "proofCanonJCS.txt").unwrap()
    );
    let doc_hash = Sha256::digest(&canon_doc);
    let proof_hash = Sha256::digest(&canon_proof);
    assert_eq!(hex_encode(&doc_hash), vector_text(D, "docHashJCS.txt").unwrap());
    assert_eq!(hex_encode(&proof_hash), vector_text(D, "proofHashJCS.txt").unwrap());
    let combined = [proof_hash.as_slice(), doc_hash.as_slice()].concat();
    assert_eq!(hex_encode(&combined), vector_text(D, "combinedHashJCS.txt").unwrap());

    // dpikit's own proof over the same inputs signs exactly the combined hash.
    let key = vector_key().unwrap();
    let expected_sig = key.sign(&combined).unwrap();
    let (_, signer) = did_signer(key);
    let mut opts = ProofOptions::assertion("eddsa-jcs-2022");
    opts.created = Some(parse_rfc3339("2023-02-24T23:36:38Z").unwrap());
    let secured = add_proof(&unsigned, &signer, &opts, &ContextStore::new()).unwrap();
    let proof_value = secured["proof"]["proofValue"].as_str().unwrap();
    assert_eq!(proof_value, dpikit_core::encoding::multibase_encode(&expected_sig));
    assert_eq!(secured["proof"]["verificationMethod"], proof_config["verificationMethod"]);

    // And it verifies (the vector's issuer is an HTTPS URL, not the key's DID: binding off).
    let at = parse_rfc3339("2024-01-01T00:00:00Z").unwrap();
    let report = Verifier::new().at(at).with_issuer_binding(false).verify_credential(&secured);
    assert!(report.verified, "{}", report.to_json());
    let report = Verifier::new().at(at).verify_credential(&secured);
    assert_eq!(report.error_codes(), [ErrorCode::VerificationMethodMismatch]);
}
