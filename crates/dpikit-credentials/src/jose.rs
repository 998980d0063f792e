//! VC-JOSE-COSE: credentials and presentations secured as JWS (`application/vc+jwt`,
//! `application/vp+jwt`), EdDSA and ES256. The JWT claims set is the credential itself;
//! VC 1.1 JWTs (a `vc` claim with `iss`/`nbf`/`exp`/`jti`/`sub`) are accepted on verify.

use serde_json::{Map, Value};

use dpikit_core::did::{Resolver, parse_did_url};
use dpikit_core::json::parse_json;
use dpikit_core::jws::{self, Header, SignOptions, Signer, VerifyOptions};
use dpikit_core::time::{format_rfc3339, from_unix};
use dpikit_core::{CoreError, ErrorCode};

use crate::di::{ProofPurpose, resolve_for_purpose};
use crate::model::{CREDENTIAL_LIMITS, Credential, Presentation};
use crate::{CredentialError, Result};

/// `typ` of a VC 2.0 credential secured as a JWS.
pub const VC_JWT: &str = "vc+jwt";
/// `typ` of a VC 2.0 presentation secured as a JWS.
pub const VP_JWT: &str = "vp+jwt";
/// Largest token accepted.
pub const MAX_TOKEN_BYTES: usize = 1 << 20;

fn kid_of(signer: &dyn Signer) -> Result<String> {
    signer.key_id().ok_or_else(|| {
        CredentialError::MalformedProof("the signer needs a key id (kid), e.g. a DID URL".into())
    })
}

fn check_controller(kid: &str, controller: &str) -> Result<()> {
    if parse_did_url(kid)?.did == controller {
        Ok(())
    } else {
        Err(CredentialError::VerificationMethodMismatch(kid.to_owned()))
    }
}

/// Secures a credential as a `vc+jwt`: the payload is the credential JSON itself.
///
/// # Errors
///
/// [`CredentialError::MalformedCredential`] for a bad credential or one that already has
/// an embedded proof; [`CredentialError::MalformedProof`] for a signer without a key id;
/// [`CredentialError::VerificationMethodMismatch`] when the key id's DID is not the issuer.
pub fn issue_vc_jwt(credential: &Value, signer: &dyn Signer) -> Result<String> {
    let cred = Credential::from_value(credential)?;
    if cred.proof.is_some() {
        return Err(CredentialError::MalformedCredential(
            "a vc+jwt payload must not carry an embedded proof".into(),
        ));
    }
    let kid = kid_of(signer)?;
    check_controller(&kid, cred.issuer.id())?;
    sign_claims(credential, signer, VC_JWT)
}

fn sign_claims(claims: &Value, signer: &dyn Signer, typ: &str) -> Result<String> {
    let payload = serde_json::to_vec(claims)
        .map_err(|e| CredentialError::MalformedCredential(e.to_string()))?;
    let opts = SignOptions { typ: Some(typ.to_owned()), ..SignOptions::default() };
    Ok(jws::sign(&payload, signer, &opts)?)
}

/// Secures a presentation as a `vp+jwt`, with `nonce` (the verifier's challenge) and `aud`
/// (its domain) as claims.
///
/// # Errors
///
/// As [`issue_vc_jwt`], with the holder in place of the issuer.
pub fn issue_vp_jwt(
    presentation: &Value,
    signer: &dyn Signer,
    nonce: Option<&str>,
    aud: Option<&str>,
) -> Result<String> {
    let vp = Presentation::from_value(presentation)?;
    let kid = kid_of(signer)?;
    if let Some(holder) = &vp.holder {
        check_controller(&kid, holder.id())?;
    }
    let mut claims = presentation.clone();
    if let Value::Object(map) = &mut claims {
        if let Some(n) = nonce {
            map.insert("nonce".into(), n.into());
        }
        if let Some(a) = aud {
            map.insert("aud".into(), a.into());
        }
    }
    sign_claims(&claims, signer, VP_JWT)
}

/// A JWT-secured credential or presentation whose signature verified.
#[derive(Debug, Clone, PartialEq)]
pub struct VerifiedJwt {
    /// The protected header.
    pub header: Header,
    /// The JWT claims set as sent.
    pub claims: Value,
    /// The credential or presentation (VC 1.1 claims mapped into the data model).
    pub document: Value,
    /// The verification method that verified it.
    pub verification_method: String,
}

/// Verifies the signature and key binding of a `vc+jwt` / `vp+jwt` (or VC 1.1 JWT) and
/// returns its claims; validity, status and embedded credentials are the caller's next
/// steps (see [`crate::verify::Verifier`]).
///
/// # Errors
///
/// Core JWS errors (malformed, `alg: none`, alg/key mismatch, bad signature → mapped to
/// [`CredentialError::ProofInvalid`]); DID resolution errors;
/// [`CredentialError::ProofPurposeMismatch`] if the key is not authorised;
/// [`CredentialError::JwtClaimsMismatch`] for a wrong `typ`/`cty`/`iss`;
/// [`CredentialError::VerificationMethodMismatch`] if the `kid` is not the issuer's (holder's).
pub fn verify_jwt(
    token: &str,
    expect_presentation: bool,
    resolver: &dyn Resolver,
) -> Result<VerifiedJwt> {
    let decoded = jws::decode(token.trim(), MAX_TOKEN_BYTES)?;
    let header = decoded.header.clone();
    let (expected_typ, purpose) = if expect_presentation {
        (VP_JWT, ProofPurpose::Authentication)
    } else {
        (VC_JWT, ProofPurpose::AssertionMethod)
    };
    let legacy = match header.typ.as_deref() {
        Some(t) if t == expected_typ || t == format!("application/{expected_typ}") => false,
        None | Some("JWT") => true,
        Some(other) => {
            return Err(CredentialError::JwtClaimsMismatch(format!(
                "typ {other} where {expected_typ} is required"
            )));
        }
    };
    if let Some(cty) = header.cty.as_deref() {
        let want = if expect_presentation { "vp" } else { "vc" };
        if cty != want && cty != format!("application/{want}") {
            return Err(CredentialError::JwtClaimsMismatch(format!("cty {cty}")));
        }
    }
    let kid = header
        .kid
        .clone()
        .ok_or_else(|| CredentialError::MalformedProof("JWT header has no kid".into()))?;
    let key = resolve_for_purpose(resolver, &kid, purpose)?;
    let verified = jws::verify(
        token.trim(),
        &key,
        &VerifyOptions { max_token_bytes: MAX_TOKEN_BYTES, ..VerifyOptions::default() },
    )
    .map_err(|e| match e.code() {
        ErrorCode::InvalidSignature => CredentialError::ProofInvalid,
        _ => CredentialError::Core(e),
    })?;
    let claims = parse_json(&verified.payload, &CREDENTIAL_LIMITS)?;
    let document =
        if legacy { legacy_document(&claims, expect_presentation)? } else { claims.clone() };
    let controller = if expect_presentation {
        document
            .get("holder")
            .and_then(|h| h.as_str().or_else(|| h.get("id").and_then(Value::as_str)))
    } else {
        document
            .get("issuer")
            .and_then(|h| h.as_str().or_else(|| h.get("id").and_then(Value::as_str)))
    };
    if let Some(iss) = claims.get("iss").and_then(Value::as_str) {
        if controller.is_some_and(|c| c != iss) {
            return Err(CredentialError::JwtClaimsMismatch(format!(
                "iss {iss} is not the issuer/holder"
            )));
        }
    }
    match controller {
        Some(c) => check_controller(&kid, c)?,
        None if !expect_presentation => {
            return Err(CredentialError::MalformedCredential("credential has no issuer".into()));
        }
        None => {}
    }
    Ok(VerifiedJwt { header, claims, document, verification_method: kid })
}

/// Maps a VC 1.1 JWT claims set (`vc`/`vp` claim plus registered claims) into a document.
fn legacy_document(claims: &Value, presentation: bool) -> Result<Value> {
    let key = if presentation { "vp" } else { "vc" };
    let Some(Value::Object(inner)) = claims.get(key) else {
        return Err(CredentialError::MalformedCredential(format!(
            "JWT without typ has no {key} claim"
        )));
    };
    let mut doc: Map<String, Value> = inner.clone();
    let claim = |n: &str| claims.get(n);
    if let Some(iss) = claim("iss").and_then(Value::as_str) {
        let field = if presentation { "holder" } else { "issuer" };
        match doc.get(field) {
            None => {
                doc.insert(field.into(), iss.into());
            }
            Some(v)
                if v.as_str() == Some(iss) || v.get("id").and_then(Value::as_str) == Some(iss) => {}
            Some(_) => {
                return Err(CredentialError::JwtClaimsMismatch(format!(
                    "iss {iss} disagrees with {field}"
                )));
            }
        }
    }
    if let Some(jti) = claim("jti").and_then(Value::as_str) {
        doc.entry("id").or_insert_with(|| jti.into());
    }
    for (claim_name, field) in [("nbf", "issuanceDate"), ("exp", "expirationDate")] {
        if let Some(n) = claim(claim_name) {
            let secs = n.as_i64().ok_or_else(|| {
                CredentialError::JwtClaimsMismatch(format!("{claim_name} is not an integer"))
            })?;
            let t = from_unix(secs)
                .map_err(|e: CoreError| CredentialError::JwtClaimsMismatch(e.to_string()))?;
            doc.insert(field.into(), format_rfc3339(&t).into());
        }
    }
    if let (Some(sub), Some(Value::Object(subject))) =
        (claim("sub").and_then(Value::as_str), doc.get_mut("credentialSubject"))
    {
        subject.entry("id").or_insert_with(|| sub.into());
    }
    Ok(Value::Object(doc))
}
