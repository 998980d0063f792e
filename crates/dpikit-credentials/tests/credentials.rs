//! Issue and verify end to end: proofs, tampering, validity, status, JWT, presentations.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::{issuer, resident_credential, vector_json};
use dpikit_core::ErrorCode;
use dpikit_core::keys::KeyType;
use dpikit_core::time::parse_rfc3339;
use dpikit_credentials::di::{ProofOptions, add_proof};
use dpikit_credentials::jose::{issue_vc_jwt, issue_vp_jwt};
use dpikit_credentials::jsonld::ContextStore;
use dpikit_credentials::model::presentation;
use dpikit_credentials::status::{
    StatusEntry, StatusList, StatusPurpose, check_status, status_entry,
};
use dpikit_credentials::verify::{Verifier, envelope_jwt};
use serde_json::{Value, json};

fn at(t: &str) -> Verifier {
    Verifier::new().at(parse_rfc3339(t).unwrap())
}

const NOW: &str = "2027-06-01T12:00:00Z";

fn sign_jcs(doc: &Value, signer: &dpikit_core::jws::WithKeyId<dpikit_core::KeyPair>) -> Value {
    let mut opts = ProofOptions::assertion("eddsa-jcs-2022");
    opts.created = Some(parse_rfc3339("2026-01-01T00:00:00Z").unwrap());
    add_proof(doc, signer, &opts, &ContextStore::new()).unwrap()
}

#[test]
fn issue_and_verify_jcs() {
    let (did, signer) = issuer(KeyType::Ed25519);
    let signed = sign_jcs(&resident_credential(&did), &signer);
    let report = at(NOW).verify_credential(&signed);
    assert!(report.verified, "{}", report.to_json());
    assert!(report.checks.iter().any(|c| c.check == "proof[0]" && c.ok));
    assert!(report.checks.iter().any(|c| c.check == "validity" && c.ok));
}

/// Every suite: changing, dropping or adding any member of a signed credential fails with
/// the proof code (rdfc suites: an added undefined member fails with `undefined_term`).
#[test]
fn every_changed_field_fails_with_the_proof_code() {
    for (suite, kt) in [
        ("eddsa-jcs-2022", KeyType::Ed25519),
        ("eddsa-rdfc-2022", KeyType::Ed25519),
        ("ecdsa-jcs-2019", KeyType::P256),
        ("ecdsa-rdfc-2019", KeyType::P256),
    ] {
        let (did, signer) = issuer(kt);
        let mut unsigned = resident_credential(&did);
        unsigned["@context"]
            .as_array_mut()
            .unwrap()
            .push(json!({"@vocab": "https://city.example/vocab#"}));
        let mut opts = ProofOptions::assertion(suite);
        opts.created = Some(parse_rfc3339("2026-01-01T00:00:00Z").unwrap());
        let signed = add_proof(&unsigned, &signer, &opts, &ContextStore::new()).unwrap();
        assert_eq!(signed["proof"]["cryptosuite"], suite);
        assert!(at(NOW).verify_credential(&signed).verified, "{suite}");
        let mut paths: Vec<Vec<String>> = Vec::new();
        collect_paths(&signed, &mut Vec::new(), &mut paths);
        let mut n = 0;
        for path in
            paths.iter().filter(|p| p[0] != "proof" && p[0] != "@context" && p[0] != "issuer")
        {
            let mut t = signed.clone();
            let slot = path.iter().fold(&mut t, |v, k| match v {
                Value::Array(a) => &mut a[k.parse::<usize>().unwrap()],
                other => &mut other[k.as_str()],
            });
            *slot = match slot {
                Value::String(s) => Value::String(format!("{s}x")),
                Value::Number(n) => json!(n.as_f64().unwrap() + 1.0),
                Value::Bool(b) => Value::Bool(!*b),
                _ => Value::Null,
            };
            let report = at(NOW).verify_credential(&t);
            assert!(!report.verified, "{suite} {path:?}");
            assert!(
                report.has_error(ErrorCode::ProofInvalid)
                    || report.has_error(ErrorCode::MalformedCredential),
                "{suite} {path:?}: {}",
                report.to_json()
            );
            n += 1;
        }
        assert!(n >= 15, "only {n} fields");
        // Dropping or adding a member also breaks the proof.
        let mut t = signed.clone();
        t.as_object_mut().unwrap().remove("description");
        assert!(at(NOW).verify_credential(&t).has_error(ErrorCode::ProofInvalid), "{suite}");
        let mut t = signed.clone();
        t["extra"] = json!(1);
        assert!(at(NOW).verify_credential(&t).has_error(ErrorCode::ProofInvalid), "{suite}");
        // The other curve's key does not fit the suite.
        let other = if kt == KeyType::P256 { KeyType::Ed25519 } else { KeyType::P256 };
        let (_, wrong) = issuer(other);
        let err = add_proof(&unsigned, &wrong, &opts, &ContextStore::new()).unwrap_err();
        assert_eq!(err.code(), ErrorCode::AlgKeyMismatch, "{suite}");
        // A proof whose verification method is the other curve's key fails.
        let mut t = signed.clone();
        t["proof"]["verificationMethod"] = json!(wrong.kid);
        assert!(!at(NOW).verify_credential(&t).verified, "{suite}");
    }
}

fn collect_paths(v: &Value, here: &mut Vec<String>, out: &mut Vec<Vec<String>>) {
    match v {
        Value::Object(m) => {
            for (k, v) in m {
                here.push(k.clone());
                collect_paths(v, here, out);
                here.pop();
            }
        }
        Value::Array(a) => {
            for (i, v) in a.iter().enumerate() {
                here.push(i.to_string());
                collect_paths(v, here, out);
                here.pop();
            }
        }
        _ => out.push(here.clone()),
    }
}

#[test]
fn each_failure_has_its_own_code() {
    let (did, signer) = issuer(KeyType::Ed25519);
    let signed = sign_jcs(&resident_credential(&did), &signer);

    // Wrong key: the proof names another key's verification method.
    let (_, other) = issuer(KeyType::Ed25519);
    let mut t = signed.clone();
    t["proof"]["verificationMethod"] = json!(other.kid);
    assert!(at(NOW).verify_credential(&t).has_error(ErrorCode::VerificationMethodMismatch));
    let mut t = signed.clone();
    t["issuer"]["id"] = json!(dpikit_core::did::did_key(&other.signer.public_key()));
    t["proof"]["verificationMethod"] = json!(other.kid);
    assert!(at(NOW).verify_credential(&t).has_error(ErrorCode::ProofInvalid));
    // Expired, not yet valid.
    assert_eq!(
        at("2032-01-01T00:00:00Z").verify_credential(&signed).error_codes(),
        [ErrorCode::CredentialExpired]
    );
    assert_eq!(
        at("2025-06-01T00:00:00Z").verify_credential(&signed).error_codes(),
        [ErrorCode::ProofNotYetValid, ErrorCode::CredentialNotYetValid],
        "one failing check does not hide another"
    );
    // Context prefix mismatch.
    let mut t = signed.clone();
    t["proof"]["@context"] =
        json!(["https://www.w3.org/ns/credentials/v2", "https://example.org/other"]);
    assert_eq!(at(NOW).verify_credential(&t).error_codes(), [ErrorCode::ContextPrefixMismatch]);
    // Proof missing, unknown suite, wrong purpose, malformed proofValue.
    let mut t = signed.clone();
    t.as_object_mut().unwrap().remove("proof");
    assert_eq!(at(NOW).verify_credential(&t).error_codes(), [ErrorCode::ProofMissing]);
    let mut t = signed.clone();
    t["proof"]["cryptosuite"] = json!("bbs-2023");
    assert_eq!(at(NOW).verify_credential(&t).error_codes(), [ErrorCode::UnsupportedCryptosuite]);
    let mut t = signed.clone();
    t["proof"]["proofPurpose"] = json!("authentication");
    assert_eq!(at(NOW).verify_credential(&t).error_codes(), [ErrorCode::ProofPurposeMismatch]);
    let mut t = signed.clone();
    t["proof"]["proofValue"] = json!("uAAAA");
    assert_eq!(at(NOW).verify_credential(&t).error_codes(), [ErrorCode::MalformedProof]);
    // Proof expiry.
    let mut opts = ProofOptions::assertion("eddsa-jcs-2022");
    opts.created = Some(parse_rfc3339("2026-01-01T00:00:00Z").unwrap());
    opts.expires = Some(parse_rfc3339("2027-01-01T00:00:00Z").unwrap());
    let short =
        add_proof(&resident_credential(&did), &signer, &opts, &ContextStore::new()).unwrap();
    assert_eq!(at(NOW).verify_credential(&short).error_codes(), [ErrorCode::ProofExpired]);
    // Malformed credential.
    let mut t = signed.clone();
    t["type"] = json!(["ResidencyCredential"]);
    assert!(at(NOW).verify_credential(&t).has_error(ErrorCode::MalformedCredential));
    let report = at(NOW).verify_credential_bytes(br#"{"a":1,"a":2}"#);
    assert_eq!(report.error_codes(), [ErrorCode::DuplicateKey]);
}

#[test]
fn proof_sets_verify_each_proof() {
    let (did, signer) = issuer(KeyType::Ed25519);
    let once = sign_jcs(&resident_credential(&did), &signer);
    let twice = sign_jcs(&once, &signer);
    assert_eq!(twice["proof"].as_array().unwrap().len(), 2);
    let report = at(NOW).verify_credential(&twice);
    assert!(report.verified, "{}", report.to_json());
    let mut t = twice.clone();
    t["proof"][1]["proofValue"] = t["proof"][0]["proofValue"].clone();
    t["proof"][1]["created"] = json!("2026-01-01T00:00:01Z");
    let report = at(NOW).verify_credential(&t);
    assert_eq!(report.error_codes(), [ErrorCode::ProofInvalid]);
}

#[test]
fn bitstring_status_list_vector_decodes_and_revocation_is_detected() {
    let Some(expected) = vector_json("vc/bitstring-status-list", "expected-decoding.json") else {
        return;
    };
    let list_vc = vector_json("vc/bitstring-status-list", "status-list-credential.json").unwrap();
    let revocable = vector_json("vc/bitstring-status-list", "revocable-credential.json").unwrap();
    let list = StatusList::decode(expected["encodedList"].as_str().unwrap(), 1).unwrap();
    assert_eq!(list.len(), expected["decodedLengthBits"].as_u64().unwrap());
    let index = expected["statusListIndexFromRevocableCredential"].as_u64().unwrap();
    assert_eq!(
        u64::from(list.get(index).unwrap()),
        expected["bitAtIndex_msbFirst"].as_u64().unwrap()
    );
    let entry = StatusEntry::from_value(&revocable["credentialStatus"]).unwrap().unwrap();
    assert_eq!(entry.index, index);
    assert_eq!(check_status(&entry, &list_vc).unwrap().value, 0);

    // Set the credential's bit: the same check now fails with the revocation code.
    let mut revoked = list.clone();
    revoked.set(index, 1).unwrap();
    let mut list_vc2 = list_vc.clone();
    list_vc2["credentialSubject"]["encodedList"] = json!(revoked.encode().unwrap());
    assert_eq!(check_status(&entry, &list_vc2).unwrap_err().code(), ErrorCode::Revoked);
    assert_eq!(list.get(list.len()).unwrap_err().code(), ErrorCode::StatusIndexOutOfRange);
    assert_eq!(StatusList::decode("zabc", 1).unwrap_err().code(), ErrorCode::StatusListInvalid);
    assert_eq!(
        StatusList::decode("uH4sIAAAAAAAAA", 1).unwrap_err().code(),
        ErrorCode::StatusListInvalid
    );
}

#[test]
fn status_end_to_end_revoke_suspend_and_list_checks() {
    let (did, signer) = issuer(KeyType::Ed25519);
    let url = "https://city.example/status/1";
    let mut list = StatusList::new(1).unwrap();
    let mut used = std::collections::BTreeSet::new();
    let index = list.allocate(&mut used).unwrap();
    let mut vc = resident_credential(&did);
    vc["credentialStatus"] = status_entry(url, index, StatusPurpose::Revocation);
    let signed = sign_jcs(&vc, &signer);
    let list_vc = |l: &StatusList| {
        sign_jcs(
            &l.to_credential(url, &did, StatusPurpose::Revocation).unwrap().to_value(),
            &signer,
        )
    };

    let report = at(NOW).with_status_list(list_vc(&list)).unwrap().verify_credential(&signed);
    assert!(report.verified, "{}", report.to_json());
    // No list supplied.
    assert_eq!(at(NOW).verify_credential(&signed).error_codes(), [ErrorCode::StatusListMismatch]);
    // Revoked.
    list.set(index, 1).unwrap();
    let report = at(NOW).with_status_list(list_vc(&list)).unwrap().verify_credential(&signed);
    assert_eq!(report.error_codes(), [ErrorCode::Revoked]);
    // A forged (unsigned or tampered) list is refused.
    let mut forged = list_vc(&StatusList::new(1).unwrap());
    forged["credentialSubject"]["encodedList"] =
        json!(StatusList::new(1).unwrap().encode().unwrap());
    forged["validFrom"] = json!("2026-01-01T00:00:01Z");
    let report = at(NOW).with_status_list(forged).unwrap().verify_credential(&signed);
    assert_eq!(report.error_codes(), [ErrorCode::StatusListInvalid]);
    // Suspension is its own code; clearing lifts it.
    let mut vc = resident_credential(&did);
    vc["credentialStatus"] = status_entry(url, 7, StatusPurpose::Suspension);
    let signed = sign_jcs(&vc, &signer);
    let mut susp = StatusList::new(1).unwrap();
    susp.set(7, 1).unwrap();
    let sl = |l: &StatusList| {
        sign_jcs(
            &l.to_credential(url, &did, StatusPurpose::Suspension).unwrap().to_value(),
            &signer,
        )
    };
    assert_eq!(
        at(NOW).with_status_list(sl(&susp)).unwrap().verify_credential(&signed).error_codes(),
        [ErrorCode::Suspended]
    );
    susp.clear(7).unwrap();
    assert!(at(NOW).with_status_list(sl(&susp)).unwrap().verify_credential(&signed).verified);
}

#[test]
fn vc_jwt_both_algorithms() {
    for kt in [KeyType::Ed25519, KeyType::P256] {
        let (did, signer) = issuer(kt);
        let token = issue_vc_jwt(&resident_credential(&did), &signer).unwrap();
        let report = at(NOW).verify_credential_bytes(token.as_bytes());
        assert!(report.verified, "{}", report.to_json());
        // Tampered payload.
        let parts: Vec<&str> = token.split('.').collect();
        let mut claims = resident_credential(&did);
        claims["credentialSubject"]["incomeBand"] = json!("A1");
        let forged = format!(
            "{}.{}.{}",
            parts[0],
            dpikit_core::encoding::b64url_encode(claims.to_string().as_bytes()),
            parts[2]
        );
        assert_eq!(at(NOW).verify_credential_jwt(&forged).error_codes(), [ErrorCode::ProofInvalid]);
        assert_eq!(
            at("2032-01-01T00:00:00Z").verify_credential_jwt(&token).error_codes(),
            [ErrorCode::CredentialExpired]
        );
    }
    // The kid must be the issuer's.
    let (did, _) = issuer(KeyType::Ed25519);
    let (_, other) = issuer(KeyType::Ed25519);
    assert_eq!(
        issue_vc_jwt(&resident_credential(&did), &other).unwrap_err().code(),
        ErrorCode::VerificationMethodMismatch
    );
    assert_eq!(at(NOW).verify_credential_jwt("e30.e30.").error_codes(), [ErrorCode::MalformedJws]);
}

#[test]
fn vc_1_1_jwt_is_accepted_on_verify() {
    let (did, signer) = issuer(KeyType::P256);
    let claims = json!({
        "iss": did, "sub": "did:example:resident-1024", "jti": "urn:uuid:1", "nbf": 1_767_225_600, "exp": 1_924_992_000,
        "vc": {
            "@context": ["https://www.w3.org/2018/credentials/v1"],
            "type": ["VerifiableCredential", "ResidencyCredential"],
            "credentialSubject": {"residentOf": "Springfield"}
        }
    });
    let token = dpikit_core::jws::sign(
        claims.to_string().as_bytes(),
        &signer,
        &dpikit_core::jws::SignOptions { typ: Some("JWT".into()), ..Default::default() },
    )
    .unwrap();
    let report = at(NOW).verify_credential_jwt(&token);
    assert!(report.verified, "{}", report.to_json());
    assert_eq!(
        at("2031-02-01T00:00:00Z").verify_credential_jwt(&token).error_codes(),
        [ErrorCode::CredentialExpired, ErrorCode::CredentialExpired]
    );
}

#[test]
fn presentations_data_integrity_and_jwt() {
    let (issuer_did, issuer_signer) = issuer(KeyType::Ed25519);
    let (holder_did, holder_signer) = issuer(KeyType::Ed25519);
    let vc = sign_jcs(&resident_credential(&issuer_did), &issuer_signer);
    let jwt_vc = issue_vc_jwt(&resident_credential(&issuer_did), &issuer_signer).unwrap();
    let vp = presentation(&holder_did, &[vc.clone(), envelope_jwt(&jwt_vc)]);
    let mut opts = ProofOptions::authentication(
        "eddsa-jcs-2022",
        Some("c-123".into()),
        Some("https://transit.city.example".into()),
    );
    opts.created = Some(parse_rfc3339("2027-06-01T11:59:00Z").unwrap());
    let signed = add_proof(&vp, &holder_signer, &opts, &ContextStore::new()).unwrap();
    let verifier = || at(NOW).with_challenge("c-123").with_domain("https://transit.city.example");
    let report = verifier().verify_presentation(&signed);
    assert!(report.verified, "{}", report.to_json());
    assert!(report.checks.iter().any(|c| c.check == "credential[1].proof[0]" && c.ok));

    assert_eq!(
        at(NOW).with_challenge("other").verify_presentation(&signed).error_codes(),
        [ErrorCode::ChallengeMismatch]
    );
    assert_eq!(
        at(NOW).with_domain("https://evil.example").verify_presentation(&signed).error_codes(),
        [ErrorCode::DomainMismatch]
    );
    // Holder binding: the holder's proof made by someone else.
    let (_, thief) = issuer(KeyType::Ed25519);
    let stolen = add_proof(&vp, &thief, &opts, &ContextStore::new()).unwrap();
    assert_eq!(verifier().verify_presentation(&stolen).error_codes(), [ErrorCode::HolderMismatch]);
    // An issuer's assertion proof is not an authentication proof.
    let wrong = add_proof(
        &vp,
        &holder_signer,
        &ProofOptions::assertion("eddsa-jcs-2022"),
        &ContextStore::new(),
    )
    .unwrap();
    assert!(at(NOW).verify_presentation(&wrong).has_error(ErrorCode::ProofPurposeMismatch));
    // A tampered embedded credential fails inside the presentation.
    let mut bad_vc = vc.clone();
    bad_vc["credentialSubject"]["incomeBand"] = json!("A1");
    let vp2 = presentation(&holder_did, &[bad_vc]);
    let signed2 = add_proof(&vp2, &holder_signer, &opts, &ContextStore::new()).unwrap();
    let report = verifier().verify_presentation(&signed2);
    assert_eq!(report.error_codes(), [ErrorCode::ProofInvalid]);
    assert_eq!(report.errors[0].check, "credential[0].proof[0]");

    // vp+jwt with nonce and aud.
    let token =
        issue_vp_jwt(&vp, &holder_signer, Some("c-123"), Some("https://transit.city.example"))
            .unwrap();
    let report = verifier().verify_presentation_jwt(&token);
    assert!(report.verified, "{}", report.to_json());
    assert_eq!(
        at(NOW).with_challenge("x").verify_presentation_jwt(&token).error_codes(),
        [ErrorCode::ChallengeMismatch]
    );
    assert_eq!(
        at(NOW).with_domain("x").verify_presentation_jwt(&token).error_codes(),
        [ErrorCode::DomainMismatch]
    );
    let stolen = issue_vp_jwt(&presentation(&holder_did, &[]), &thief, None, None);
    assert_eq!(stolen.unwrap_err().code(), ErrorCode::VerificationMethodMismatch);
}

#[test]
fn verify_many_matches_one_by_one() {
    let (did, signer) = issuer(KeyType::Ed25519);
    let good = sign_jcs(&resident_credential(&did), &signer).to_string();
    let mut bad: Value = serde_json::from_str(&good).unwrap();
    bad["credentialSubject"]["name"] = json!("X");
    let bad = bad.to_string();
    let v = at(NOW);
    // Sizes around the block arithmetic, thread counts above and below the input count;
    // most inputs fail fast (not JSON) so the debug build stays quick.
    for n in [0_usize, 1, 2, 20, 97] {
        let inputs: Vec<&str> = (0..n)
            .map(|i| match i % 16 {
                0 => good.as_str(),
                5 => bad.as_str(),
                _ => "{\"not\": json",
            })
            .collect();
        let single: Vec<Vec<ErrorCode>> =
            inputs.iter().map(|i| v.verify_credential_bytes(i.as_bytes()).error_codes()).collect();
        for threads in [0, 1, 2, 3, 7] {
            let many: Vec<_> = v
                .verify_many(&inputs, threads)
                .iter()
                .map(dpikit_credentials::VerificationReport::error_codes)
                .collect();
            assert_eq!(many, single, "{n} inputs on {threads} threads");
        }
        assert_eq!(single.iter().filter(|c| c.is_empty()).count(), n.div_ceil(16));
    }
}

#[test]
fn vector_credential_shapes_parse() {
    let Some(v) = vector_json("vc/bitstring-status-list", "revocable-credential.json") else {
        return;
    };
    let c = dpikit_credentials::model::Credential::from_value(&v).unwrap();
    assert_eq!(c.issuer.id(), "did:example:12345");
    assert!(c.credential_status.is_some());
}
