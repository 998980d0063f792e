//! Credentials: Data Integrity and VC-JOSE verification, SD-JWT, PixelPass QR, RDFC.

use std::fmt::Write as _;
use std::io::Write as _;

use dpikit_core::ErrorCode;
use dpikit_core::did::{did_key, did_key_verification_method};
use dpikit_core::encoding::b64url_encode;
use dpikit_core::jws::{SignOptions, WithKeyId};
use dpikit_core::keys::{KeyPair, PublicKey};
use dpikit_core::time::parse_rfc3339;
use dpikit_credentials::di::{ProofOptions, add_proof};
use dpikit_credentials::jose::issue_vc_jwt;
use dpikit_credentials::jsonld::ContextStore;
use dpikit_credentials::model::CredentialBuilder;
use dpikit_credentials::qr::{self, Decoded};
use dpikit_credentials::rdfc::{CanonOptions, canonicalize, parse_nquads};
use dpikit_credentials::sdjwt::{self, SdJwtVerifyOptions};
use dpikit_credentials::status::{StatusList, StatusPurpose, status_entry};
use dpikit_credentials::verify::Verifier;
use serde_json::{Value, json};
use sha2::{Digest as _, Sha256};

use crate::core_cases::{
    ed_key, flip_signature, forge, other_ed_key, p256_key, resign, sign, swap_payload,
};
use crate::{Case, Outcome, battery_cases, bytes, case, data, err, ok, param, repeat, text};

/// The instant every credential case is verified at.
pub(crate) const NOW: &str = "2027-06-01T12:00:00Z";
const STATUS_LIST_ID: &str = "https://city.example/status/1";

pub(crate) fn run(op: &str, input: &Value) -> Option<Outcome> {
    Some(match op {
        "credential.verify" => credential_verify(input),
        "sdjwt.verify" => sdjwt_verify(input),
        "qr.decode" => text(input).and_then(|t| match qr::decode_payload(&t) {
            Ok(Decoded::Cbor(v)) => Ok(json!({"cbor": v})),
            Ok(Decoded::Text(s)) => Ok(json!({"text": s})),
            Err(e) => Err(e.code()),
        }),
        "nquads.canonicalize" => text(input).and_then(|t| {
            let quads = parse_nquads(&t).map_err(|e| e.code())?;
            let c = canonicalize(&quads, &CanonOptions::default()).map_err(|e| e.code())?;
            Ok(json!(
                c.quads.iter().map(dpikit_credentials::rdf::Quad::to_nquads).collect::<String>()
            ))
        }),
        _ => return None,
    })
}

fn credential_verify(input: &Value) -> Outcome {
    let bytes = data(input)?;
    let now = parse_rfc3339(param(input, "now")?).map_err(|e| e.code())?;
    let mut verifier = Verifier::new().at(now);
    if let Some(list) = input.get("status_list") {
        verifier = verifier.with_status_list(list.clone()).map_err(|e| e.code())?;
    }
    let report = verifier.verify_bytes(&bytes);
    match report.error_codes().first() {
        None if report.verified => Ok(json!(true)),
        None => Err(ErrorCode::Internal),
        Some(code) => Err(*code),
    }
}

fn sdjwt_verify(input: &Value) -> Outcome {
    let token = text(input)?;
    let key = PublicKey::from_multikey(param(input, "issuer_key")?).map_err(|e| e.code())?;
    let now = parse_rfc3339(param(input, "now")?).map_err(|e| e.code())?;
    let mut options = SdJwtVerifyOptions::default().with_issuer_key(key).at(now);
    if input.get("key_binding").and_then(Value::as_bool) == Some(true) {
        options = options.with_key_binding("n-0S6_WzA2Mj", "https://verifier.city.example");
    }
    if input.get("vc").and_then(Value::as_bool) == Some(true) {
        options = options.vc();
    }
    let verified = sdjwt::verify(&token, &options).map_err(|e| e.code())?;
    Ok(verified.claims)
}

fn signer(key: KeyPair) -> (String, WithKeyId<KeyPair>) {
    let did = did_key(&key.public_key());
    let kid = did_key_verification_method(&key.public_key());
    (did, WithKeyId { signer: key, kid })
}

fn credential(issuer: &str, valid_from: &str, valid_until: &str, status: Option<Value>) -> Value {
    let mut b = CredentialBuilder::new(issuer)
        .id("urn:uuid:6b1c1e2a-6a3e-4f6c-9a0e-4d8f3b2a1c55")
        .add_type("ResidencyCredential")
        .valid_from_str(valid_from)
        .valid_until_str(valid_until)
        .subject(
            json!({"id": "did:example:resident-1024", "name": "Zoë Ñandú", "householdSize": 4}),
        );
    if let Some(s) = status {
        b = b.status(s);
    }
    #[allow(clippy::expect_used)] // A fixed, well-formed credential.
    let mut v = b.build().expect("credential").to_value();
    if let Some(ctx) = v.get_mut("@context").and_then(Value::as_array_mut) {
        ctx.push(json!({"@vocab": "https://city.example/vocab#"}));
    }
    v
}

fn prove(doc: &Value, signer: &WithKeyId<KeyPair>, suite: &str) -> Value {
    let mut opts = ProofOptions::assertion(suite);
    opts.created = parse_rfc3339("2026-01-01T00:00:00Z").ok();
    #[allow(clippy::expect_used)] // Fixed inputs sign.
    add_proof(doc, signer, &opts, &ContextStore::new()).expect("add_proof")
}

pub(crate) fn cases() -> Vec<Case> {
    let mut out = Vec::new();
    credential_cases(&mut out);
    sdjwt_cases(&mut out);
    qr_cases(&mut out);
    nquads_cases(&mut out);
    out
}

fn credential_cases(out: &mut Vec<Case>) {
    let (did, ed) = signer(ed_key());
    let (p_did, p) = signer(p256_key());
    let (_, wrong) = signer(other_ed_key());
    let op = "credential.verify";
    let c = |id: &str, doc: Value| {
        let id = format!("credentials/{op}/{id}");
        move |expect| case(&id, op, json!({"data": doc, "now": NOW}), expect)
    };
    let cred = credential(&did, "2026-01-01T00:00:00Z", "2031-01-01T00:00:00Z", None);
    let jcs = prove(&cred, &ed, "eddsa-jcs-2022");
    let rdfc = prove(&cred, &ed, "eddsa-rdfc-2022");
    let p_cred = credential(&p_did, "2026-01-01T00:00:00Z", "2031-01-01T00:00:00Z", None);
    let ecdsa = prove(&p_cred, &p, "ecdsa-jcs-2019");
    let ecdsa_rdfc = prove(&p_cred, &p, "ecdsa-rdfc-2019");
    for (name, doc) in
        [("jcs", &jcs), ("rdfc", &rdfc), ("ecdsa-jcs", &ecdsa), ("ecdsa-rdfc", &ecdsa_rdfc)]
    {
        out.push(c(&format!("control-{name}"), json!(doc.to_string()))(ok(json!(true))));
        let mut t = doc.clone();
        t["credentialSubject"]["name"] = json!("Eve");
        out.push(c(&format!("tampered-subject-{name}"), json!(t.to_string()))(err(
            ErrorCode::ProofInvalid,
        )));
        let mut t = doc.clone();
        t["credentialSubject"]["householdSize"] = json!(40);
        out.push(c(&format!("tampered-number-{name}"), json!(t.to_string()))(err(
            ErrorCode::ProofInvalid,
        )));
        let mut t = doc.clone();
        let pv = t["proof"]["proofValue"].as_str().unwrap_or_default().to_owned();
        let flipped =
            format!("{}{}", &pv[..5], if &pv[5..6] == "A" { "B" } else { "A" }) + &pv[6..];
        t["proof"]["proofValue"] = json!(flipped);
        out.push(c(&format!("tampered-proof-value-{name}"), json!(t.to_string()))(err(
            ErrorCode::ProofInvalid,
        )));
        let mut t = doc.clone();
        if let Some(m) = t.as_object_mut() {
            m.remove("proof");
        }
        out.push(c(&format!("proof-removed-{name}"), json!(t.to_string()))(err(
            ErrorCode::ProofMissing,
        )));
    }
    // Wrong key: signed by another key that claims the issuer's verification method.
    let forged_signer = WithKeyId { signer: other_ed_key(), kid: ed.kid.clone() };
    out.push(c(
        "wrong-key-claims-issuer-method",
        json!(prove(&cred, &forged_signer, "eddsa-jcs-2022").to_string()),
    )(err(ErrorCode::ProofInvalid)));
    // Wrong key: signed by another did:key that is not the issuer.
    out.push(c("wrong-key-not-issuer", json!(prove(&cred, &wrong, "eddsa-jcs-2022").to_string()))(
        err(ErrorCode::VerificationMethodMismatch),
    ));
    // alg/key confusion: an Ed25519 suite naming the P-256 issuer's key.
    let mut t = jcs.clone();
    t["proof"]["verificationMethod"] = json!(p.kid);
    t["issuer"] = json!(p_did);
    out.push(c("suite-key-confusion", json!(t.to_string()))(err(ErrorCode::AlgKeyMismatch)));
    let mut t = jcs.clone();
    t["proof"]["cryptosuite"] = json!("eddsa-2022");
    out.push(c("cryptosuite-unknown", json!(t.to_string()))(err(
        ErrorCode::UnsupportedCryptosuite,
    )));
    let mut t = jcs.clone();
    t["proof"]["cryptosuite"] = json!("none");
    out.push(c("cryptosuite-none", json!(t.to_string()))(err(ErrorCode::UnsupportedCryptosuite)));
    let mut t = jcs.clone();
    t["proof"]["proofValue"] = json!("not-multibase");
    out.push(c("proof-value-not-multibase", json!(t.to_string()))(err(ErrorCode::MalformedProof)));
    let mut t = jcs.clone();
    t["proof"]["proofPurpose"] = json!("authentication");
    out.push(c("proof-purpose-changed", json!(t.to_string()))(err(
        ErrorCode::ProofPurposeMismatch,
    )));
    // Validity window, signed correctly.
    let expired = prove(
        &credential(&did, "2020-01-01T00:00:00Z", "2021-01-01T00:00:00Z", None),
        &ed,
        "eddsa-jcs-2022",
    );
    out.push(c("expired", json!(expired.to_string()))(err(ErrorCode::CredentialExpired)));
    let future = prove(
        &credential(&did, "2099-01-01T00:00:00Z", "2100-01-01T00:00:00Z", None),
        &ed,
        "eddsa-jcs-2022",
    );
    out.push(c("not-yet-valid", json!(future.to_string()))(err(ErrorCode::CredentialNotYetValid)));
    // Context games.
    let mut t = rdfc.clone();
    if let Some(ctx) = t["@context"].as_array_mut() {
        ctx.insert(1, json!("https://unknown.city.example/context/v1"));
    }
    out.push(c("unknown-context-rdfc", json!(t.to_string()))(err(ErrorCode::UnknownContext)));
    let mut t = jcs.clone();
    t["proof"]["@context"] = json!([
        "https://www.w3.org/ns/credentials/v2",
        "https://w3id.org/security/data-integrity/v2"
    ]);
    out.push(c("context-prefix-mismatch", json!(t.to_string()))(err(
        ErrorCode::ContextPrefixMismatch,
    )));
    let mut t = rdfc.clone();
    t["@context"] = json!(["https://www.w3.org/ns/credentials/v2"]);
    t["credentialSubject"]["undefinedTerm"] = json!(1);
    out.push(c("undefined-term-rdfc", json!(t.to_string()))(err(ErrorCode::UndefinedTerm)));
    // Status: revoked, suspended, and a list that is not the one referenced.
    let entry = status_entry(STATUS_LIST_ID, 42, StatusPurpose::Revocation);
    let with_status = prove(
        &credential(&did, "2026-01-01T00:00:00Z", "2031-01-01T00:00:00Z", Some(entry)),
        &ed,
        "eddsa-jcs-2022",
    );
    let list = |set: bool, purpose| {
        #[allow(clippy::expect_used)] // Fixed list operations.
        let mut l = StatusList::new(1).expect("list");
        if set {
            #[allow(clippy::expect_used)]
            l.set(42, 1).expect("set");
        }
        #[allow(clippy::expect_used)]
        let cred =
            l.to_credential(STATUS_LIST_ID, &did, purpose).expect("list credential").to_value();
        prove(&cred, &ed, "eddsa-jcs-2022")
    };
    let st = |id: &str, list: Value, expect| {
        case(
            &format!("credentials/{op}/{id}"),
            op,
            json!({"data": with_status.to_string(), "now": NOW, "status_list": list}),
            expect,
        )
    };
    out.push(st("status-control", list(false, StatusPurpose::Revocation), ok(json!(true))));
    out.push(st("revoked", list(true, StatusPurpose::Revocation), err(ErrorCode::Revoked)));
    let mut tampered_list = list(false, StatusPurpose::Revocation);
    tampered_list["credentialSubject"]["encodedList"] =
        list(true, StatusPurpose::Revocation)["credentialSubject"]["encodedList"].clone();
    out.push(st("revocation-list-tampered", tampered_list, err(ErrorCode::StatusListInvalid)));
    out.push(st(
        "status-list-wrong-purpose",
        list(true, StatusPurpose::Suspension),
        err(ErrorCode::StatusListMismatch),
    ));
    out.push(c("status-list-missing", json!(with_status.to_string()))(err(
        ErrorCode::StatusListMismatch,
    )));
    // VC-JOSE.
    let vc_jwt = {
        #[allow(clippy::expect_used)] // Fixed inputs sign.
        issue_vc_jwt(&cred, &ed).expect("vc+jwt")
    };
    let payload = cred.to_string();
    out.push(c("jwt-control", json!(vc_jwt))(ok(json!(true))));
    let mut t = cred.clone();
    t["credentialSubject"]["name"] = json!("Eve");
    out.push(c("jwt-tampered-payload", json!(swap_payload(&vc_jwt, t.to_string().as_bytes())))(
        err(ErrorCode::ProofInvalid),
    ));
    out.push(c("jwt-tampered-signature", json!(flip_signature(&vc_jwt)))(err(
        ErrorCode::ProofInvalid,
    )));
    out.push(c(
        "jwt-alg-none",
        json!(forge(
            &json!({"alg": "none", "typ": "vc+jwt", "kid": ed.kid}),
            payload.as_bytes(),
            b""
        )),
    )(err(ErrorCode::AlgNone)));
    out.push(c(
        "jwt-alg-es256-ed25519-key",
        json!(resign(
            &json!({"alg": "ES256", "typ": "vc+jwt", "kid": ed.kid}),
            payload.as_bytes(),
            &ed.signer
        )),
    )(err(ErrorCode::AlgKeyMismatch)));
    out.push(c(
        "jwt-alg-hs256",
        json!(forge(
            &json!({"alg": "HS256", "typ": "vc+jwt", "kid": ed.kid}),
            payload.as_bytes(),
            &[0; 32]
        )),
    )(err(ErrorCode::UnsupportedAlgorithm)));
    out.push(c(
        "jwt-wrong-key",
        json!(resign(
            &json!({"alg": "EdDSA", "typ": "vc+jwt", "kid": ed.kid}),
            payload.as_bytes(),
            &other_ed_key()
        )),
    )(err(ErrorCode::ProofInvalid)));
    let exp_payload =
        credential(&did, "2020-01-01T00:00:00Z", "2021-01-01T00:00:00Z", None).to_string();
    out.push(c(
        "jwt-expired",
        json!(resign(
            &json!({"alg": "EdDSA", "typ": "vc+jwt", "kid": ed.kid}),
            exp_payload.as_bytes(),
            &ed.signer
        )),
    )(err(ErrorCode::CredentialExpired)));
    // Whole-document intake.
    // Input that does not start with `{` is read as a compact JWT.
    out.extend(battery_cases(
        "credentials/credential.verify",
        op,
        &json!({"now": NOW}),
        |name, c| {
            if matches!(name, "nesting-10000-arrays" | "nesting-unclosed" | "empty") {
                ErrorCode::MalformedJws
            } else {
                c
            }
        },
    ));
    out.push(c("not-a-credential", json!("{\"hello\": \"city\"}"))(err(
        ErrorCode::MalformedCredential,
    )));
    out.push(c("number-100-digits", json!(format!("{{\"@context\": [\"https://www.w3.org/ns/credentials/v2\"], \"type\": [\"VerifiableCredential\"], \"issuer\": \"{did}\", \"credentialSubject\": {{\"n\": {}}}}}", "9".repeat(100))))(err(ErrorCode::ProofMissing)));
}

/// A disclosure `[salt, name, value]` (or `[salt, value]`) and its digest.
fn disclosure(parts: &Value) -> (String, String) {
    let d = b64url_encode(parts.to_string().as_bytes());
    let digest = b64url_encode(&Sha256::digest(d.as_bytes()));
    (d, digest)
}

fn sdjwt_cases(out: &mut Vec<Case>) {
    let ed = ed_key();
    let key = json!(ed.public_key().to_multikey());
    let (d_name, h_name) = disclosure(&json!(["c2FsdC1uYW1l", "given_name", "Zoë"]));
    let (d_year, h_year) = disclosure(&json!(["c2FsdC15ZWFy", "birth_year", 1987]));
    let (d_el, h_el) = disclosure(&json!(["c2FsdC1lbGVt", "library"]));
    let (d_sd, h_sd) = disclosure(&json!(["c2FsdC1zZA", "_sd", ["x"]]));
    let (d_iss, h_iss) = disclosure(&json!(["c2FsdC1pc3M", "iss", "did:example:evil"]));
    let (d_two, h_two) = disclosure(&json!(["c2FsdC10d28", "x"]));
    let base = |sd: Value, extra: Value| {
        let mut p = json!({
            "iss": "https://city.example/issuer",
            "iat": 1_767_225_600,
            "exp": 1_924_992_000,
            "_sd_alg": "sha-256",
            "_sd": sd,
            "entitlements": [{"...": h_el}],
        });
        if let (Some(m), Value::Object(e)) = (p.as_object_mut(), extra) {
            m.extend(e);
        }
        p
    };
    let jwt = |payload: &Value| {
        sign(
            payload.to_string().as_bytes(),
            &ed,
            &SignOptions { typ: Some("example+sd-jwt".into()), ..SignOptions::default() },
        )
    };
    let good = jwt(&base(json!([h_name, h_year]), json!({})));
    let op = "sdjwt.verify";
    let c = |id: &str, text: Value, expect| {
        case(
            &format!("credentials/{op}/{id}"),
            op,
            json!({"data": text, "issuer_key": key, "now": NOW}),
            expect,
        )
    };
    let claims_all = json!({"iss": "https://city.example/issuer", "iat": 1_767_225_600, "exp": 1_924_992_000, "entitlements": ["library"], "given_name": "Zoë", "birth_year": 1987});
    out.push(c(
        "control-all-disclosed",
        json!(format!("{good}~{d_name}~{d_year}~{d_el}~")),
        ok(claims_all),
    ));
    out.push(c("control-one-disclosed", json!(format!("{good}~{d_year}~")), ok(json!({"iss": "https://city.example/issuer", "iat": 1_767_225_600, "exp": 1_924_992_000, "entitlements": [], "birth_year": 1987}))));
    out.push(c(
        "disclosure-unreferenced",
        json!(format!("{good}~{d_name}~{d_iss}~")),
        err(ErrorCode::DisclosureUnreferenced),
    ));
    out.push(c(
        "disclosure-duplicated",
        json!(format!("{good}~{d_name}~{d_name}~")),
        err(ErrorCode::DuplicateDisclosure),
    ));
    let dup = jwt(&base(json!([h_name, h_name]), json!({})));
    out.push(c(
        "digest-duplicated-in-sd",
        json!(format!("{dup}~{d_name}~")),
        err(ErrorCode::DuplicateDigest),
    ));
    let dup2 = jwt(&base(json!([h_el]), json!({})));
    out.push(c(
        "digest-in-sd-and-array",
        json!(format!("{dup2}~{d_el}~")),
        err(ErrorCode::DuplicateDigest),
    ));
    let sd_name = jwt(&base(json!([h_sd]), json!({})));
    out.push(c(
        "disclosure-claim-named-sd",
        json!(format!("{sd_name}~{d_sd}~")),
        err(ErrorCode::MalformedDisclosure),
    ));
    let over = jwt(&base(json!([h_iss]), json!({})));
    out.push(c(
        "disclosure-overrides-visible-claim",
        json!(format!("{over}~{d_iss}~")),
        err(ErrorCode::MalformedDisclosure),
    ));
    let two_in_obj = jwt(&base(json!([h_two]), json!({})));
    out.push(c(
        "array-disclosure-in-object",
        json!(format!("{two_in_obj}~{d_two}~")),
        err(ErrorCode::MalformedDisclosure),
    ));
    let obj_in_arr = jwt(&base(json!([]), json!({"entitlements": [{"...": h_name}]})));
    out.push(c(
        "object-disclosure-in-array",
        json!(format!("{obj_in_arr}~{d_name}~")),
        err(ErrorCode::MalformedDisclosure),
    ));
    let dots_extra = jwt(&base(json!([]), json!({"entitlements": [{"...": h_el, "x": 1}]})));
    out.push(c(
        "array-digest-with-extra-member",
        json!(format!("{dots_extra}~{d_el}~")),
        err(ErrorCode::MalformedSdJwt),
    ));
    let sha1 = jwt(&base(json!([h_name]), json!({"_sd_alg": "sha-1"})));
    out.push(c(
        "sd-alg-sha1",
        json!(format!("{sha1}~{d_name}~")),
        err(ErrorCode::UnsupportedSdAlg),
    ));
    let not_array = jwt(&base(json!(h_name), json!({})));
    out.push(c("sd-not-an-array", json!(format!("{not_array}~")), err(ErrorCode::MalformedSdJwt)));
    let sd_number = jwt(&base(json!([1]), json!({})));
    out.push(c(
        "sd-digest-not-a-string",
        json!(format!("{sd_number}~")),
        err(ErrorCode::MalformedSdJwt),
    ));
    out.push(c(
        "disclosure-not-base64",
        json!(format!("{good}~***~")),
        err(ErrorCode::MalformedDisclosure),
    ));
    out.push(c(
        "disclosure-object",
        json!(format!("{good}~{}~", b64url_encode(br#"{"a":1}"#))),
        err(ErrorCode::MalformedDisclosure),
    ));
    out.push(c(
        "disclosure-four-elements",
        json!(format!("{good}~{}~", b64url_encode(br#"["s","a",1,2]"#))),
        err(ErrorCode::MalformedDisclosure),
    ));
    out.push(c(
        "disclosure-salt-number",
        json!(format!("{good}~{}~", b64url_encode(br#"[1,"a",1]"#))),
        err(ErrorCode::MalformedDisclosure),
    ));
    out.push(c(
        "disclosure-duplicate-key-value",
        json!(format!("{good}~{}~", b64url_encode(br#"["s","a",{"k":1,"k":2}]"#))),
        err(ErrorCode::MalformedDisclosure),
    ));
    out.push(c(
        "disclosure-lone-surrogate",
        json!(format!("{good}~{}~", b64url_encode(br#"["s","a","\ud800"]"#))),
        err(ErrorCode::MalformedDisclosure),
    ));
    let deep = format!("[\"s\",\"a\",{}1{}]", "[".repeat(10_000), "]".repeat(10_000));
    out.push(c(
        "disclosure-nesting-10000",
        json!(format!("{good}~{}~", b64url_encode(deep.as_bytes()))),
        err(ErrorCode::MalformedDisclosure),
    ));
    out.push(c(
        "no-trailing-tilde",
        json!(format!("{good}~{d_name}")),
        err(ErrorCode::MalformedSdJwt),
    ));
    out.push(c("jwt-only-no-tilde", json!(good.clone()), err(ErrorCode::MalformedSdJwt)));
    out.push(c(
        "tampered-issuer-payload",
        json!(format!(
            "{}~{d_name}~",
            swap_payload(&good, base(json!([h_name, h_iss]), json!({})).to_string().as_bytes())
        )),
        err(ErrorCode::ProofInvalid),
    ));
    out.push(c(
        "tampered-issuer-signature",
        json!(format!("{}~{d_name}~", flip_signature(&good))),
        err(ErrorCode::ProofInvalid),
    ));
    out.push(c(
        "wrong-issuer-key",
        json!(format!(
            "{}~",
            resign(
                &json!({"alg": "EdDSA"}),
                base(json!([h_name]), json!({})).to_string().as_bytes(),
                &other_ed_key()
            )
        )),
        err(ErrorCode::ProofInvalid),
    ));
    out.push(c(
        "alg-none",
        json!(format!(
            "{}~",
            forge(&json!({"alg": "none"}), base(json!([]), json!({})).to_string().as_bytes(), b"")
        )),
        err(ErrorCode::AlgNone),
    ));
    out.push(c(
        "alg-es256-with-ed25519-key",
        json!(format!(
            "{}~",
            resign(
                &json!({"alg": "ES256"}),
                base(json!([]), json!({})).to_string().as_bytes(),
                &ed
            )
        )),
        err(ErrorCode::AlgKeyMismatch),
    ));
    let expired = jwt(&base(json!([]), json!({"exp": 1_600_000_000})));
    out.push(c("expired", json!(format!("{expired}~")), err(ErrorCode::CredentialExpired)));
    let future = jwt(&base(json!([]), json!({"nbf": 4_000_000_000_i64})));
    out.push(c(
        "not-yet-valid",
        json!(format!("{future}~")),
        err(ErrorCode::CredentialNotYetValid),
    ));
    let exp_100 = format!("{{\"iss\":\"x\",\"exp\":{}}}", "9".repeat(100));
    out.push(c(
        "exp-100-digits",
        json!(format!("{}~", sign(exp_100.as_bytes(), &ed, &SignOptions::default()))),
        err(ErrorCode::JwtClaimsMismatch),
    ));
    out.push(case("credentials/sdjwt.verify/key-binding-missing", op, json!({"data": format!("{good}~{d_name}~"), "issuer_key": key, "now": NOW, "key_binding": true}), err(ErrorCode::KeyBindingMissing)));
    out.push(case("credentials/sdjwt.verify/key-binding-garbage", op, json!({"data": format!("{good}~{d_name}~e30.e30.AAAA"), "issuer_key": key, "now": NOW, "key_binding": true}), err(ErrorCode::KeyBindingMissing)));
    out.push(case(
        "credentials/sdjwt.verify/vc-without-vct",
        op,
        json!({"data": format!("{good}~"), "issuer_key": key, "now": NOW, "vc": true}),
        err(ErrorCode::SdJwtVcInvalid),
    ));
    out.push(c(
        "size-50mib",
        repeat(&[(&good, 1), ("~", 1), ("A", 50 << 20), ("~", 1)]),
        err(ErrorCode::InputTooLarge),
    ));
    out.push(c(
        "tildes-100000",
        repeat(&[(&good, 1), ("~", 100_000)]),
        err(ErrorCode::MalformedSdJwt),
    ));
    out.push(c(
        "invalid-utf8",
        bytes(&[good.as_bytes(), b"~\xff~"].concat()),
        err(ErrorCode::InvalidUtf8),
    ));
}

fn qr_cases(out: &mut Vec<Case>) {
    let op = "qr.decode";
    let c = |id: &str, text: Value, expect| {
        case(&format!("credentials/{op}/{id}"), op, json!({"data": text}), expect)
    };
    let zlib = |raw: &[u8]| {
        let mut e = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::best());
        #[allow(clippy::expect_used)] // Writing to a Vec cannot fail.
        e.write_all(raw).expect("zlib");
        #[allow(clippy::expect_used)]
        e.finish().expect("zlib")
    };
    out.push(c(
        "control-text",
        json!(qr::base45_encode(&zlib(b"{\"name\":\"Zo\xc3\xab\"}"))),
        ok(json!({"text": "{\"name\":\"Zoë\"}"})),
    ));
    out.push(c(
        "control-cbor",
        json!(qr::base45_encode(&zlib(&[0xa1, 0x61, 0x61, 0x01]))),
        ok(json!({"cbor": {"a": 1}})),
    ));
    out.push(c("base45-bad-char", json!("ABC*abc"), err(ErrorCode::QrDecodeFailed)));
    out.push(c("base45-triple-overflow", json!("GGW"), err(ErrorCode::QrDecodeFailed)));
    out.push(c("base45-dangling-char", json!("ABCD"), err(ErrorCode::QrDecodeFailed)));
    out.push(c(
        "zlib-bomb-50mib",
        json!(qr::base45_encode(&zlib(&vec![0; 50 << 20]))),
        err(ErrorCode::QrDecodeFailed),
    ));
    out.push(c(
        "zlib-truncated",
        json!(qr::base45_encode(&zlib(b"hello city")[..6])),
        err(ErrorCode::QrDecodeFailed),
    ));
    out.push(c(
        "not-zlib",
        json!(qr::base45_encode(b"hello city")),
        err(ErrorCode::QrDecodeFailed),
    ));
    let mut deep = vec![0x81; 10_000];
    deep.push(0x01);
    out.push(c(
        "cbor-nesting-10000",
        json!(qr::base45_encode(&zlib(&deep))),
        err(ErrorCode::QrDecodeFailed),
    ));
    out.push(c(
        "cbor-huge-length",
        json!(qr::base45_encode(&zlib(&[0x5b, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff]))),
        err(ErrorCode::QrDecodeFailed),
    ));
    out.push(c("size-50mib", repeat(&[("0", 50 << 20)]), err(ErrorCode::QrDecodeFailed)));
    out.push(c("invalid-utf8-text", bytes(b"\xff\xfe"), err(ErrorCode::InvalidUtf8)));
}

fn nquads_cases(out: &mut Vec<Case>) {
    let op = "nquads.canonicalize";
    let c = |id: &str, text: Value, expect| {
        case(&format!("credentials/{op}/{id}"), op, json!({"data": text}), expect)
    };
    out.push(c(
        "control",
        json!("_:b0 <http://example.org/p> _:b1 .\n_:b1 <http://example.org/p> \"x\" .\n"),
        ok(json!(
            "_:c14n0 <http://example.org/p> \"x\" .\n_:c14n1 <http://example.org/p> _:c14n0 .\n"
        )),
    ));
    // A poison graph: a clique of blank nodes forces exponential Hash N-Degree Quads work.
    let mut clique = String::new();
    for i in 0..10 {
        for j in 0..10 {
            if i != j {
                let _ = writeln!(clique, "_:b{i} <http://example.org/p> _:b{j} .");
            }
        }
    }
    out.push(c("poison-clique-10", json!(clique), err(ErrorCode::CanonicalizationLimit)));
    out.push(c(
        "malformed-missing-dot",
        json!("<http://a> <http://b> <http://c>\n"),
        err(ErrorCode::InvalidNQuads),
    ));
    out.push(c(
        "malformed-relative-iri",
        json!("<a> <http://b> <http://c> .\n"),
        err(ErrorCode::InvalidNQuads),
    ));
    out.push(c(
        "literal-lone-surrogate-escape",
        json!("<http://a> <http://b> \"\\uD800\" .\n"),
        err(ErrorCode::InvalidNQuads),
    ));
    out.push(c(
        "literal-100-digits",
        json!(format!(
            "<http://a> <http://b> \"{}\"^^<http://www.w3.org/2001/XMLSchema#integer> .\n",
            "9".repeat(100)
        )),
        ok(json!(format!(
            "<http://a> <http://b> \"{}\"^^<http://www.w3.org/2001/XMLSchema#integer> .\n",
            "9".repeat(100)
        ))),
    ));
    out.push(c(
        "size-50mib",
        repeat(&[("<http://a> <http://b> \"", 1), ("x", 50 << 20), ("\" .\n", 1)]),
        err(ErrorCode::InputTooLarge),
    ));
    out.push(c(
        "invalid-utf8",
        bytes(b"<http://a> <http://b> \"\xff\" .\n"),
        err(ErrorCode::InvalidUtf8),
    ));
}
