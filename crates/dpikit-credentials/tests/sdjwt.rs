//! SD-JWT (RFC 9901) and SD-JWT VC: the RFC examples, round trips with key binding, and
//! one error code per failure.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use dpikit_core::ErrorCode;
use dpikit_core::encoding::b64url_encode;
use dpikit_core::jws::{self, SignOptions};
use dpikit_core::keys::{Jwk, KeyPair, KeyType, PublicKey};
use dpikit_credentials::sdjwt::{
    Disclosure, IssueOptions, SdJwt, SdJwtVerifyOptions, issue, issue_vc, verify,
};
use serde_json::{Value, json};

const NOW: i64 = 1_900_000_000;
const NONCE: &str = "n-0S6_WzA2Mj";
const AUD: &str = "https://verifier.springfield.example";

fn rfc_key() -> Option<PublicKey> {
    let bytes = dpikit_testkit::read_vector("vc/sd-jwt", "issuer-public-jwk.json")?;
    Some(PublicKey::from_jwk(&Jwk::from_json(&bytes).unwrap()).unwrap())
}

fn check_rfc_example(file: &str, processed: &str, vc: bool) {
    let (Some(key), Some(text), Some(expected)) = (
        rfc_key(),
        common::vector_text("vc/sd-jwt", file),
        common::vector_json("vc/sd-jwt", processed),
    ) else {
        return;
    };
    let mut opts = SdJwtVerifyOptions::default().with_issuer_key(key).at_unix(1_700_000_000);
    if vc {
        opts = opts.vc();
    }
    let verified = verify(&text, &opts).unwrap();
    assert_eq!(verified.claims, expected);
    // Key order too: the processed payload is rebuilt in the issuer's order plus disclosures.
    assert_eq!(verified.claims.as_object().unwrap().len(), expected.as_object().unwrap().len());
    // A flipped signature bit is caught as the issuer proof.
    let sd = SdJwt::parse(&text).unwrap();
    let mut forged = sd.clone();
    let sig_start = forged.issuer_jwt.rfind('.').unwrap() + 1;
    let mut chars: Vec<char> = forged.issuer_jwt.chars().collect();
    chars[sig_start + 3] = if chars[sig_start + 3] == 'A' { 'B' } else { 'A' };
    forged.issuer_jwt = chars.into_iter().collect();
    assert_eq!(verify(&forged.to_string(), &opts).unwrap_err().code(), ErrorCode::ProofInvalid);
}

#[test]
fn rfc9901_a1_simple_structured_verifies_and_reconstructs() {
    check_rfc_example(
        "rfc9901-A.1-simple-structured.sd-jwt.txt",
        "rfc9901-A.1-processed-payload.json",
        false,
    );
}

#[test]
fn rfc9901_a3_sd_jwt_vc_verifies_and_reconstructs() {
    check_rfc_example(
        "rfc9901-A.3-sd-jwt-vc.sd-jwt.txt",
        "rfc9901-A.3-processed-payload.json",
        true,
    );
}

#[test]
fn rfc9901_a3_presented_subset_reconstructs_a_subset() {
    let (Some(key), Some(text)) =
        (rfc_key(), common::vector_text("vc/sd-jwt", "rfc9901-A.3-sd-jwt-vc.sd-jwt.txt"))
    else {
        return;
    };
    let sd = SdJwt::parse(&text).unwrap();
    let shown = sd.present(&["/address/locality", "/age_equal_or_over/18"]).unwrap();
    let opts = SdJwtVerifyOptions::default().with_issuer_key(key).at_unix(1_700_000_000).vc();
    let v = verify(&shown.to_string(), &opts).unwrap();
    assert_eq!(v.claims["address"], json!({"locality": "Köln"}));
    assert_eq!(v.claims["age_equal_or_over"], json!({"18": true}));
    assert!(v.claims.get("given_name").is_none());
    assert_eq!(v.vct(), Some("https://bmi.bund.example/credential/pid/1.0"));
    assert_eq!(v.iss(), Some("https://issuer.example.com"));
    // A.1 is not an SD-JWT VC: its typ is example+sd-jwt.
    if let Some(a1) = common::vector_text("vc/sd-jwt", "rfc9901-A.1-simple-structured.sd-jwt.txt") {
        let err = verify(&a1, &opts).unwrap_err();
        assert_eq!(err.code(), ErrorCode::SdJwtVcInvalid);
    }
}

fn resident_claims() -> Value {
    json!({
        "iss": "https://springfield.example/residents",
        "iat": NOW - 86_400,
        "exp": NOW + 86_400 * 365,
        "vct": "https://springfield.example/credentials/residency",
        "status": {"status_list": {"idx": 412, "uri": "https://springfield.example/status/1"}},
        "given_name": "Zoë",
        "family_name": "Ñandú",
        "birth_year": 1987,
        "address": {"street": "742 Evergreen Terrace", "city": "Springfield", "postal_code": "49007"},
        "entitlements": ["transit-discount", "library", "pool"],
    })
}

const DISCLOSABLE: &[&str] = &[
    "/given_name",
    "/family_name",
    "/birth_year",
    "/address",
    "/address/street",
    "/address/postal_code",
    "/entitlements/0",
    "/entitlements/2",
];

fn issued(issuer: &KeyPair, holder: &KeyPair) -> SdJwt {
    let options = IssueOptions {
        holder_key: Some(holder.public_key()),
        decoys: 3,
        ..IssueOptions::default()
    };
    issue_vc(&resident_claims(), DISCLOSABLE, issuer, &options).unwrap()
}

fn opts(issuer: &KeyPair) -> SdJwtVerifyOptions {
    SdJwtVerifyOptions::default()
        .with_issuer_key(issuer.public_key())
        .with_key_binding(NONCE, AUD)
        .at_unix(NOW + 5)
        .vc()
}

fn round_trip(issuer_type: KeyType, holder_type: KeyType) {
    let issuer = KeyPair::generate(issuer_type).unwrap();
    let holder = KeyPair::generate(holder_type).unwrap();
    let sd = issued(&issuer, &holder);
    assert_eq!(sd.disclosures.len(), DISCLOSABLE.len());

    // Everything disclosed reconstructs the claims exactly (plus cnf).
    let all = sd.bind(&holder, AUD, NONCE, NOW).unwrap();
    let v = verify(&all.to_string(), &opts(&issuer)).unwrap();
    let mut expected = resident_claims();
    expected["cnf"] = json!({"jwk": serde_json::to_value(holder.public_key().to_jwk()).unwrap()});
    assert_eq!(v.claims, expected);
    assert_eq!(v.key_binding.as_ref().unwrap().nonce, NONCE);
    assert_eq!(v.status(), resident_claims().get("status"));

    // A chosen subset: the city and one entitlement.
    let shown = sd
        .present(&["/address/city", "/entitlements/2"])
        .unwrap()
        .bind(&holder, AUD, NONCE, NOW)
        .unwrap();
    let v = verify(&shown.to_string(), &opts(&issuer)).unwrap();
    assert_eq!(v.claims["address"], json!({"city": "Springfield"}));
    assert_eq!(v.claims["entitlements"], json!(["library", "pool"]));
    assert!(v.claims.get("given_name").is_none());
    assert!(v.claims.get("birth_year").is_none());
    assert_eq!(v.disclosures.len(), 2);

    // Nothing disclosed: only the always-visible claims.
    let none = sd.present(&[]).unwrap().bind(&holder, AUD, NONCE, NOW).unwrap();
    let v = verify(&none.to_string(), &opts(&issuer)).unwrap();
    assert_eq!(v.claims["entitlements"], json!(["library"]));
    assert!(v.claims.get("address").is_none());
}

#[test]
fn round_trip_ed25519_holder() {
    round_trip(KeyType::Ed25519, KeyType::Ed25519);
}

#[test]
fn round_trip_p256_holder() {
    round_trip(KeyType::P256, KeyType::P256);
    round_trip(KeyType::Ed25519, KeyType::P256);
}

#[test]
fn salts_are_128_bit_and_fresh() {
    let issuer = KeyPair::generate(KeyType::Ed25519).unwrap();
    let holder = KeyPair::generate(KeyType::Ed25519).unwrap();
    let a = issued(&issuer, &holder);
    let b = issued(&issuer, &holder);
    for (x, y) in a.disclosures.iter().zip(&b.disclosures) {
        assert_eq!(x.salt.len(), 22, "16 bytes base64url");
        assert_ne!(x.salt, y.salt);
    }
    // Decoys: more digests than disclosures in each _sd.
    let payload = a.unverified_payload().unwrap();
    assert_eq!(payload["_sd"].as_array().unwrap().len(), 4 + 3);
    assert_eq!(payload["_sd_alg"], "sha-256");
}

/// Re-signs an edited issuer payload with the issuer key (as a buggy or hostile issuer would).
fn resign(sd: &SdJwt, issuer: &KeyPair, edit: impl FnOnce(&mut Value)) -> SdJwt {
    let mut payload = sd.unverified_payload().unwrap();
    edit(&mut payload);
    let token = jws::sign(
        &serde_json::to_vec(&payload).unwrap(),
        issuer,
        &SignOptions { typ: Some("dc+sd-jwt".into()), ..SignOptions::default() },
    )
    .unwrap();
    SdJwt { issuer_jwt: token, ..sd.clone() }
}

fn code_of(sd: &SdJwt, holder: &KeyPair, issuer: &KeyPair) -> ErrorCode {
    let bound = sd.bind(holder, AUD, NONCE, NOW).unwrap();
    verify(&bound.to_string(), &opts(issuer)).unwrap_err().code()
}

fn setup() -> (KeyPair, KeyPair, SdJwt) {
    let issuer = KeyPair::generate(KeyType::Ed25519).unwrap();
    let holder = KeyPair::generate(KeyType::P256).unwrap();
    let sd = issued(&issuer, &holder);
    (issuer, holder, sd)
}

#[test]
fn tampered_disclosure_is_unreferenced() {
    let (issuer, holder, sd) = setup();
    let mut t = sd.clone();
    let i = t.disclosures.iter().position(|d| d.name.as_deref() == Some("birth_year")).unwrap();
    // Same salt, other value: the digest no longer matches.
    let text = serde_json::to_string(&json!([t.disclosures[i].salt, "birth_year", 1957])).unwrap();
    t.disclosures[i] = Disclosure::parse(&b64url_encode(text.as_bytes())).unwrap();
    assert_eq!(code_of(&t, &holder, &issuer), ErrorCode::DisclosureUnreferenced);
    // Bytes that no longer decode to a disclosure are malformed.
    let mut text = sd.bind(&holder, AUD, NONCE, NOW).unwrap().to_string();
    let d = sd.disclosures[0].encoded.clone();
    text = text.replacen(&d, &format!("{}!", &d[..d.len() - 1]), 1);
    assert_eq!(verify(&text, &opts(&issuer)).unwrap_err().code(), ErrorCode::MalformedDisclosure);
}

#[test]
fn reordered_digests_break_the_issuer_signature() {
    let (issuer, holder, sd) = setup();
    let mut t = sd.clone();
    let (h, rest) = t.issuer_jwt.split_once('.').unwrap();
    let (p, s) = rest.split_once('.').unwrap();
    let mut payload: Value =
        serde_json::from_slice(&dpikit_core::encoding::b64url_decode(p).unwrap()).unwrap();
    payload["_sd"].as_array_mut().unwrap().reverse();
    t.issuer_jwt = format!("{h}.{}.{s}", b64url_encode(&serde_json::to_vec(&payload).unwrap()));
    assert_eq!(code_of(&t, &holder, &issuer), ErrorCode::ProofInvalid);
    // Re-signed by the issuer, the order of digests does not matter.
    let t = resign(&sd, &issuer, |p| p["_sd"].as_array_mut().unwrap().reverse());
    let bound = t.bind(&holder, AUD, NONCE, NOW).unwrap();
    assert!(verify(&bound.to_string(), &opts(&issuer)).is_ok());
    // Presented disclosures in another order: the KB-JWT still covers the exact string.
    let bound = sd.bind(&holder, AUD, NONCE, NOW).unwrap();
    let mut swapped = bound.clone();
    swapped.disclosures.swap(0, 1);
    assert_eq!(
        verify(&swapped.to_string(), &opts(&issuer)).unwrap_err().code(),
        ErrorCode::SdHashMismatch
    );
}

#[test]
fn duplicated_digest_is_rejected() {
    let (issuer, holder, sd) = setup();
    let t = resign(&sd, &issuer, |p| {
        let sd = p["_sd"].as_array_mut().unwrap();
        let first = sd[0].clone();
        sd.push(first);
    });
    assert_eq!(code_of(&t, &holder, &issuer), ErrorCode::DuplicateDigest);
    // The same array-element digest twice in one array.
    let t = resign(&sd, &issuer, |p| {
        let list = p["entitlements"].as_array_mut().unwrap();
        let first = list.iter().find(|e| e.get("...").is_some()).unwrap().clone();
        list.push(first);
    });
    assert_eq!(code_of(&t, &holder, &issuer), ErrorCode::DuplicateDigest);
    // The same digest in two places: street's digest (inside the address disclosure) also
    // at the top level.
    let street = sd.disclosures.iter().find(|d| d.name.as_deref() == Some("street")).unwrap();
    let digest = street.digest.clone();
    let t = resign(&sd, &issuer, |p| p["_sd"].as_array_mut().unwrap().push(json!(digest)));
    assert_eq!(code_of(&t, &holder, &issuer), ErrorCode::DuplicateDigest);
}

#[test]
fn duplicated_disclosure_is_rejected() {
    let (issuer, holder, sd) = setup();
    let mut t = sd.clone();
    t.disclosures.push(t.disclosures[0].clone());
    assert_eq!(code_of(&t, &holder, &issuer), ErrorCode::DuplicateDisclosure);
}

#[test]
fn dropped_digest_leaves_its_disclosure_unreferenced() {
    let (issuer, holder, sd) = setup();
    let given = sd.disclosures.iter().find(|d| d.name.as_deref() == Some("given_name")).unwrap();
    let digest = given.digest.clone();
    let t = resign(&sd, &issuer, |p| {
        p["_sd"].as_array_mut().unwrap().retain(|d| d.as_str() != Some(digest.as_str()));
    });
    assert_eq!(code_of(&t, &holder, &issuer), ErrorCode::DisclosureUnreferenced);
    // Dropped without re-signing: the issuer signature fails.
    let mut t = sd.clone();
    let (h, rest) = t.issuer_jwt.split_once('.').unwrap();
    let (_, s) = rest.split_once('.').unwrap();
    let mut payload = sd.unverified_payload().unwrap();
    payload["_sd"].as_array_mut().unwrap().retain(|d| d.as_str() != Some(given.digest.as_str()));
    t.issuer_jwt = format!("{h}.{}.{s}", b64url_encode(&serde_json::to_vec(&payload).unwrap()));
    assert_eq!(code_of(&t, &holder, &issuer), ErrorCode::ProofInvalid);
}

#[test]
fn disclosure_for_no_digest_is_rejected() {
    let (issuer, holder, sd) = setup();
    let mut t = sd.clone();
    t.disclosures.push(Disclosure::new(Some("income_band"), json!("B2")).unwrap());
    assert_eq!(code_of(&t, &holder, &issuer), ErrorCode::DisclosureUnreferenced);
}

#[test]
fn key_binding_failures_each_have_their_code() {
    let (issuer, holder, sd) = setup();
    let shown = sd.present(&["/address/city"]).unwrap();
    // Wrong sd_hash: a KB-JWT made for another presentation.
    let other = sd.present(&["/given_name"]).unwrap().bind(&holder, AUD, NONCE, NOW).unwrap();
    let mixed = SdJwt { kb_jwt: other.kb_jwt.clone(), ..shown.clone() };
    assert_eq!(
        verify(&mixed.to_string(), &opts(&issuer)).unwrap_err().code(),
        ErrorCode::SdHashMismatch
    );
    // Wrong nonce, wrong aud.
    let t = shown.bind(&holder, AUD, "another-nonce", NOW).unwrap();
    assert_eq!(
        verify(&t.to_string(), &opts(&issuer)).unwrap_err().code(),
        ErrorCode::ChallengeMismatch
    );
    let t = shown.bind(&holder, "https://elsewhere.example", NONCE, NOW).unwrap();
    assert_eq!(
        verify(&t.to_string(), &opts(&issuer)).unwrap_err().code(),
        ErrorCode::DomainMismatch
    );
    // Stale iat (10 minutes old, 300 s window + 60 s skew), and iat in the future.
    let t = shown.bind(&holder, AUD, NONCE, NOW - 600).unwrap();
    assert_eq!(
        verify(&t.to_string(), &opts(&issuer)).unwrap_err().code(),
        ErrorCode::KeyBindingStale
    );
    let t = shown.bind(&holder, AUD, NONCE, NOW + 600).unwrap();
    assert_eq!(
        verify(&t.to_string(), &opts(&issuer)).unwrap_err().code(),
        ErrorCode::KeyBindingStale
    );
    // Signed by a key other than cnf.jwk.
    let thief = KeyPair::generate(KeyType::P256).unwrap();
    let t = shown.bind(&thief, AUD, NONCE, NOW).unwrap();
    assert_eq!(
        verify(&t.to_string(), &opts(&issuer)).unwrap_err().code(),
        ErrorCode::KeyBindingInvalid
    );
    // Missing when required.
    assert_eq!(
        verify(&shown.to_string(), &opts(&issuer)).unwrap_err().code(),
        ErrorCode::KeyBindingMissing
    );
    // Wrong typ on the KB-JWT.
    let claims = json!({"iat": NOW, "aud": AUD, "nonce": NONCE, "sd_hash": shown.sd_hash()});
    let kb = jws::sign(
        &serde_json::to_vec(&claims).unwrap(),
        &holder,
        &SignOptions { typ: Some("JWT".into()), ..SignOptions::default() },
    )
    .unwrap();
    let t = SdJwt { kb_jwt: Some(kb), ..shown.clone() };
    assert_eq!(
        verify(&t.to_string(), &opts(&issuer)).unwrap_err().code(),
        ErrorCode::KeyBindingInvalid
    );
}

#[test]
fn sd_jwt_vc_rules() {
    let issuer = KeyPair::generate(KeyType::Ed25519).unwrap();
    let mut claims = resident_claims();
    claims.as_object_mut().unwrap().remove("vct");
    let err = issue_vc(&claims, &[], &issuer, &IssueOptions::default()).unwrap_err();
    assert_eq!(err.code(), ErrorCode::SdJwtVcInvalid);
    let err =
        issue_vc(&resident_claims(), &["/status"], &issuer, &IssueOptions::default()).unwrap_err();
    assert_eq!(err.code(), ErrorCode::SdJwtVcInvalid);
    // A plain SD-JWT that conceals iss is refused as an SD-JWT VC.
    let sd = issue(&resident_claims(), &["/iss"], &issuer, &IssueOptions::default()).unwrap();
    let opts = SdJwtVerifyOptions::default().with_issuer_key(issuer.public_key()).at_unix(NOW).vc();
    assert_eq!(verify(&sd.to_string(), &opts).unwrap_err().code(), ErrorCode::SdJwtVcInvalid);
    // vc+sd-jwt is accepted; another typ is not.
    for (typ, ok) in [("vc+sd-jwt", true), ("dc+sd-jwt", true), ("example+sd-jwt", false)] {
        let o = IssueOptions { typ: typ.into(), ..IssueOptions::default() };
        let sd = issue(&resident_claims(), &["/given_name"], &issuer, &o).unwrap();
        assert_eq!(verify(&sd.to_string(), &opts).is_ok(), ok, "{typ}");
    }
    // Expired.
    let late = SdJwtVerifyOptions::default()
        .with_issuer_key(issuer.public_key())
        .at_unix(NOW + 86_400 * 400)
        .vc();
    let sd = issue_vc(&resident_claims(), &[], &issuer, &IssueOptions::default()).unwrap();
    assert_eq!(verify(&sd.to_string(), &late).unwrap_err().code(), ErrorCode::CredentialExpired);
}

#[test]
fn issuer_found_from_did_key() {
    let (did, signer) = common::issuer(KeyType::P256);
    let mut claims = resident_claims();
    claims["iss"] = json!(did);
    let sd = issue_vc(&claims, &["/given_name"], &signer, &IssueOptions::default()).unwrap();
    let opts = SdJwtVerifyOptions::default().at_unix(NOW).vc();
    let v = verify(&sd.to_string(), &opts).unwrap();
    assert_eq!(v.claims["given_name"], "Zoë");
    // Another DID's key is not the issuer's.
    claims["iss"] = json!("did:example:someone-else");
    let sd = issue_vc(&claims, &[], &signer, &IssueOptions::default()).unwrap();
    assert_eq!(
        verify(&sd.to_string(), &opts).unwrap_err().code(),
        ErrorCode::VerificationMethodMismatch
    );
}

#[test]
fn malformed_input_is_typed_never_a_panic() {
    let issuer = KeyPair::generate(KeyType::Ed25519).unwrap();
    let opts = SdJwtVerifyOptions::default().with_issuer_key(issuer.public_key()).at_unix(NOW);
    let cases: &[(&str, ErrorCode)] = &[
        ("", ErrorCode::MalformedSdJwt),
        ("~", ErrorCode::MalformedSdJwt),
        ("a.b~", ErrorCode::MalformedSdJwt),
        ("a.b.c~~", ErrorCode::MalformedSdJwt),
        ("a.b.c~WyJ4Il0~", ErrorCode::MalformedDisclosure),
        ("a.b.c~e30~", ErrorCode::MalformedDisclosure),
        ("a.b.c~WyJzIiwgIl9zZCIsIDFd~", ErrorCode::MalformedDisclosure),
        ("a.b.c~%%~", ErrorCode::MalformedDisclosure),
        ("a.b.c~x.y", ErrorCode::MalformedSdJwt),
    ];
    for (input, code) in cases {
        assert_eq!(verify(input, &opts).unwrap_err().code(), *code, "{input:?}");
    }
    // Unsupported _sd_alg, _sd not an array, "..." beside other members.
    let base =
        issue(&json!({"a": 1, "l": [1]}), &["/a"], &issuer, &IssueOptions::default()).unwrap();
    for (edit, code) in [
        (json!({"_sd_alg": "sha-1"}), ErrorCode::UnsupportedSdAlg),
        (json!({"_sd": "x"}), ErrorCode::MalformedSdJwt),
        (json!({"l": [{"...": "x", "b": 1}]}), ErrorCode::MalformedSdJwt),
    ] {
        let t = resign(&base, &issuer, |p| {
            for (k, v) in edit.as_object().unwrap() {
                p[k] = v.clone();
            }
        });
        assert_eq!(verify(&t.to_string(), &opts).unwrap_err().code(), code, "{edit}");
    }
    // Random bytes around the separators never panic.
    let text = base.to_string();
    for i in 0..text.len() {
        let mut b = text.clone().into_bytes();
        b[i] = b'~';
        let s = String::from_utf8_lossy(&b).into_owned();
        let _ = verify(&s, &opts);
        let _ = SdJwt::parse(&s).and_then(|sd| sd.present(&["/a"]));
    }
    // Issue-side errors.
    assert_eq!(
        issue(&json!([1]), &[], &issuer, &IssueOptions::default()).unwrap_err().code(),
        ErrorCode::MalformedSdJwt
    );
    assert_eq!(
        issue(&json!({"a": 1}), &["/b"], &issuer, &IssueOptions::default()).unwrap_err().code(),
        ErrorCode::MalformedSdJwt
    );
    assert_eq!(
        issue(&json!({"_sd": 1}), &[], &issuer, &IssueOptions::default()).unwrap_err().code(),
        ErrorCode::MalformedSdJwt
    );
    assert_eq!(base.present(&["/zz"]).unwrap_err().code(), ErrorCode::MalformedSdJwt);
}
