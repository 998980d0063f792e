//! W3C Data Integrity proofs (VC Data Integrity 1.0) with pluggable cryptosuites.
//!
//! A cryptosuite is one file implementing [`Cryptosuite`]: its name, the key type it signs
//! with, and how it turns the unsecured document and the proof configuration into the bytes
//! that are signed (`hashData`). Creating and verifying proofs, proof sets, proof purposes,
//! `created`/`expires`, `challenge`/`domain` and verification-method resolution are shared.

use chrono::Duration;
use serde_json::{Map, Value};

use dpikit_core::did::{Relationship, Resolver, parse_did_url};
use dpikit_core::encoding::{multibase_decode, multibase_encode};
use dpikit_core::jws::Signer;
use dpikit_core::keys::{KeyType, PublicKey};
use dpikit_core::time::{Timestamp, format_rfc3339, parse_rfc3339};
use dpikit_core::{CoreError, ErrorCode};

use crate::jsonld::ContextStore;
use crate::{CredentialError, Result};

pub mod ecdsa_jcs_2019;
#[cfg(feature = "rdfc")]
pub mod ecdsa_rdfc_2019;
pub mod eddsa_jcs_2022;
#[cfg(feature = "rdfc")]
pub mod eddsa_rdfc_2022;

pub use ecdsa_jcs_2019::EcdsaJcs2019;
#[cfg(feature = "rdfc")]
pub use ecdsa_rdfc_2019::EcdsaRdfc2019;
pub use eddsa_jcs_2022::EddsaJcs2022;
#[cfg(feature = "rdfc")]
pub use eddsa_rdfc_2022::EddsaRdfc2022;

/// The proof `type` of every Data Integrity cryptosuite here.
pub const DATA_INTEGRITY_PROOF: &str = "DataIntegrityProof";

/// A Data Integrity cryptosuite.
pub trait Cryptosuite: Send + Sync {
    /// Returns the `cryptosuite` identifier (e.g. `eddsa-jcs-2022`).
    fn name(&self) -> &'static str;

    /// Returns whether a proof this suite creates carries the document's `@context` (the JCS
    /// suites: vc-di-eddsa and vc-di-ecdsa "Create Proof" set `proof.@context` to the
    /// unsecured document's `@context`, which JCS verifiers such as Digital Bazaar's then
    /// hash as the proof configuration). The RDFC suites do not.
    fn proof_carries_context(&self) -> bool {
        false
    }

    /// Returns the key type the suite signs with.
    fn key_type(&self) -> KeyType;

    /// Transforms and hashes: returns the bytes to sign (`hashData`) for an unsecured
    /// document and a proof configuration (the proof options with the document's
    /// `@context`, without `proofValue`).
    ///
    /// # Errors
    ///
    /// Canonicalization errors (JCS numbers, unknown JSON-LD contexts, RDFC limits).
    fn hash_data(
        &self,
        unsecured: &Value,
        proof_config: &Value,
        contexts: &ContextStore,
    ) -> Result<Vec<u8>>;
}

/// Every cryptosuite dpikit implements (the RDFC suites with the `rdfc` feature).
#[cfg(feature = "rdfc")]
pub static CRYPTOSUITES: &[&dyn Cryptosuite] =
    &[&EddsaJcs2022, &EddsaRdfc2022, &EcdsaJcs2019, &EcdsaRdfc2019];
/// Every cryptosuite dpikit implements (the RDFC suites with the `rdfc` feature).
#[cfg(not(feature = "rdfc"))]
pub static CRYPTOSUITES: &[&dyn Cryptosuite] = &[&EddsaJcs2022, &EcdsaJcs2019];

/// Looks a cryptosuite up by its identifier.
///
/// # Examples
///
/// ```
/// assert!(dpikit_credentials::di::cryptosuite("eddsa-jcs-2022").is_some());
/// assert!(dpikit_credentials::di::cryptosuite("bbs-2023").is_none());
/// ```
#[must_use]
pub fn cryptosuite(name: &str) -> Option<&'static dyn Cryptosuite> {
    CRYPTOSUITES.iter().copied().find(|s| s.name() == name)
}

/// The purpose of a proof, tied to a DID verification relationship.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum ProofPurpose {
    /// `assertionMethod`: an issuer asserting a credential.
    AssertionMethod,
    /// `authentication`: a holder authenticating a presentation.
    Authentication,
}

impl ProofPurpose {
    /// Returns the `proofPurpose` value.
    #[must_use]
    pub const fn as_str(self) -> &'static str {
        match self {
            ProofPurpose::AssertionMethod => "assertionMethod",
            ProofPurpose::Authentication => "authentication",
        }
    }

    /// Returns the DID relationship that authorises this purpose.
    #[must_use]
    pub const fn relationship(self) -> Relationship {
        match self {
            ProofPurpose::AssertionMethod => Relationship::AssertionMethod,
            ProofPurpose::Authentication => Relationship::Authentication,
        }
    }
}

/// Options for a new proof.
#[derive(Debug, Clone)]
pub struct ProofOptions {
    /// The cryptosuite identifier.
    pub cryptosuite: String,
    /// The proof purpose.
    pub purpose: ProofPurpose,
    /// The verification method (DID URL); defaults to the signer's key id.
    pub verification_method: Option<String>,
    /// `created`; `None` leaves it out (the timestamp is optional in Data Integrity).
    pub created: Option<Timestamp>,
    /// `expires`.
    pub expires: Option<Timestamp>,
    /// `challenge` (presentations).
    pub challenge: Option<String>,
    /// `domain` (presentations).
    pub domain: Option<String>,
    /// `nonce`.
    pub nonce: Option<String>,
    /// The proof's own `id`.
    pub id: Option<String>,
}

impl ProofOptions {
    /// Options for an issuer's proof (`assertionMethod`) with `suite`, created now.
    #[must_use]
    pub fn assertion(suite: &str) -> Self {
        ProofOptions {
            cryptosuite: suite.to_owned(),
            purpose: ProofPurpose::AssertionMethod,
            verification_method: None,
            created: Some(now_seconds()),
            expires: None,
            challenge: None,
            domain: None,
            nonce: None,
            id: None,
        }
    }

    /// Options for a holder's proof (`authentication`) with a challenge and domain.
    #[must_use]
    pub fn authentication(suite: &str, challenge: Option<String>, domain: Option<String>) -> Self {
        ProofOptions {
            purpose: ProofPurpose::Authentication,
            challenge,
            domain,
            ..Self::assertion(suite)
        }
    }
}

fn now_seconds() -> Timestamp {
    let now = chrono::Utc::now();
    now - Duration::nanoseconds(i64::from(chrono::Timelike::nanosecond(&now)))
}

fn malformed(m: impl Into<String>) -> CredentialError {
    CredentialError::MalformedProof(m.into())
}

/// Splits a secured document into the unsecured document and its proofs.
///
/// # Errors
///
/// [`CredentialError::MalformedCredential`] if the document is not an object;
/// [`CredentialError::ProofMissing`] without a proof; [`CredentialError::MalformedProof`]
/// if a proof is not an object.
pub fn split_proofs(document: &Value) -> Result<(Value, Vec<Map<String, Value>>)> {
    let Value::Object(map) = document else {
        return Err(CredentialError::MalformedCredential("not a JSON object".into()));
    };
    let mut unsecured = map.clone();
    let proofs = match unsecured.remove("proof") {
        Some(Value::Object(p)) => vec![p],
        Some(Value::Array(items)) if !items.is_empty() => items
            .into_iter()
            .map(|p| match p {
                Value::Object(p) => Ok(p),
                _ => Err(malformed("a proof must be an object")),
            })
            .collect::<Result<_>>()?,
        None | Some(Value::Array(_)) => Vec::new(),
        Some(_) => return Err(malformed("proof must be an object or an array")),
    };
    if proofs.is_empty() {
        return Err(CredentialError::ProofMissing);
    }
    Ok((Value::Object(unsecured), proofs))
}

/// Builds the proof configuration: the proof without `proofValue`, with the document's
/// `@context` (vc-di-eddsa §3.3.5 / §3.2.5).
fn proof_config(proof: &Map<String, Value>, unsecured: &Value) -> Value {
    let mut config = proof.clone();
    config.remove("proofValue");
    if let Some(ctx) = unsecured.get("@context") {
        config.insert("@context".into(), ctx.clone());
    }
    Value::Object(config)
}

/// Adds a Data Integrity proof to `document` (an existing proof makes a proof set).
///
/// # Errors
///
/// [`CredentialError::UnsupportedCryptosuite`] for an unknown suite; a core
/// [`CoreError::AlgKeyMismatch`] when the signer's key does not fit the suite;
/// [`CredentialError::MalformedProof`] without a verification method; canonicalization and
/// signer errors.
pub fn add_proof(
    document: &Value,
    signer: &dyn Signer,
    options: &ProofOptions,
    contexts: &ContextStore,
) -> Result<Value> {
    let suite = cryptosuite(&options.cryptosuite)
        .ok_or_else(|| CredentialError::UnsupportedCryptosuite(options.cryptosuite.clone()))?;
    if signer.algorithm().key_type() != suite.key_type() {
        return Err(CoreError::AlgKeyMismatch {
            alg: suite.name().to_owned(),
            key: signer.algorithm().key_type().name().to_owned(),
        }
        .into());
    }
    let vm = options
        .verification_method
        .clone()
        .or_else(|| signer.key_id())
        .ok_or_else(|| malformed("a verification method is required"))?;
    let Value::Object(map) = document else {
        return Err(CredentialError::MalformedCredential("not a JSON object".into()));
    };
    let mut unsecured = map.clone();
    let existing = unsecured.remove("proof");
    let unsecured = Value::Object(unsecured);

    let mut proof = Map::new();
    if let Some(id) = &options.id {
        proof.insert("id".into(), id.clone().into());
    }
    proof.insert("type".into(), DATA_INTEGRITY_PROOF.into());
    proof.insert("cryptosuite".into(), suite.name().into());
    if let Some(t) = &options.created {
        proof.insert("created".into(), format_rfc3339(t).into());
    }
    if let Some(t) = &options.expires {
        proof.insert("expires".into(), format_rfc3339(t).into());
    }
    proof.insert("verificationMethod".into(), vm.into());
    proof.insert("proofPurpose".into(), options.purpose.as_str().into());
    for (k, v) in
        [("challenge", &options.challenge), ("domain", &options.domain), ("nonce", &options.nonce)]
    {
        if let Some(v) = v {
            proof.insert(k.into(), v.clone().into());
        }
    }
    if suite.proof_carries_context() {
        if let Some(ctx) = unsecured.get("@context") {
            proof.insert("@context".into(), ctx.clone());
        }
    }
    let hash = suite.hash_data(&unsecured, &proof_config(&proof, &unsecured), contexts)?;
    let signature = signer.sign(&hash)?;
    proof.insert("proofValue".into(), multibase_encode(&signature).into());

    let mut out = match unsecured {
        Value::Object(m) => m,
        _ => Map::new(),
    };
    let proof = Value::Object(proof);
    let proofs = match existing {
        None => proof,
        Some(Value::Array(mut items)) => {
            items.push(proof);
            Value::Array(items)
        }
        Some(other) => Value::Array(vec![other, proof]),
    };
    out.insert("proof".into(), proofs);
    Ok(Value::Object(out))
}

/// What a verifier requires of a proof.
#[derive(Debug, Clone, Copy)]
pub struct ProofRequirements<'a> {
    /// The required purpose.
    pub purpose: ProofPurpose,
    /// The DID (issuer or holder) that must control the verification method, if any.
    pub controller: Option<&'a str>,
    /// The expected `challenge`.
    pub challenge: Option<&'a str>,
    /// The expected `domain`.
    pub domain: Option<&'a str>,
    /// The instant to check `created`/`expires` against.
    pub now: Timestamp,
    /// Allowed clock skew.
    pub skew: Duration,
}

/// What a verified proof was made with.
#[derive(Debug, Clone, PartialEq)]
pub struct VerifiedProof {
    /// The cryptosuite identifier.
    pub cryptosuite: &'static str,
    /// The verification method's DID URL.
    pub verification_method: String,
    /// The key that verified.
    pub key: PublicKey,
}

fn str_member<'a>(proof: &'a Map<String, Value>, name: &str) -> Result<&'a str> {
    proof
        .get(name)
        .and_then(Value::as_str)
        .ok_or_else(|| malformed(format!("proof has no string {name}")))
}

fn matches_expected(value: Option<&Value>, expected: &str) -> bool {
    match value {
        Some(Value::String(s)) => s == expected,
        Some(Value::Array(items)) => items.iter().any(|v| v.as_str() == Some(expected)),
        _ => false,
    }
}

/// Resolves a verification method's key, requiring that its DID document authorises it for
/// `purpose`; a method that exists but is not authorised is a purpose error.
pub(crate) fn resolve_for_purpose(
    resolver: &dyn Resolver,
    vm_id: &str,
    purpose: ProofPurpose,
) -> Result<PublicKey> {
    match resolver.resolve_key_for(vm_id, purpose.relationship()) {
        Ok((_vm, key)) => Ok(key),
        Err(e)
            if e.code() == ErrorCode::VerificationMethodNotFound
                && resolver.resolve_key(vm_id).is_ok() =>
        {
            Err(CredentialError::ProofPurposeMismatch(format!(
                "{vm_id} is not authorised for {}",
                purpose.as_str()
            )))
        }
        Err(e) => Err(e.into()),
    }
}

/// Verifies one proof of a secured document.
///
/// # Errors
///
/// Each failure has its own code: [`CredentialError::MalformedProof`],
/// [`CredentialError::UnsupportedCryptosuite`], [`CredentialError::ProofPurposeMismatch`],
/// [`CredentialError::ContextPrefixMismatch`], [`CredentialError::ChallengeMismatch`],
/// [`CredentialError::DomainMismatch`], [`CredentialError::ProofExpired`],
/// [`CredentialError::ProofNotYetValid`], DID resolution errors,
/// [`CredentialError::VerificationMethodMismatch`], [`CredentialError::ProofInvalid`].
pub fn verify_proof(
    unsecured: &Value,
    proof: &Map<String, Value>,
    requirements: &ProofRequirements<'_>,
    resolver: &dyn Resolver,
    contexts: &ContextStore,
) -> Result<VerifiedProof> {
    let type_ = str_member(proof, "type")?;
    if type_ != DATA_INTEGRITY_PROOF {
        return Err(CredentialError::UnsupportedCryptosuite(format!("proof type {type_}")));
    }
    let suite_name = str_member(proof, "cryptosuite")?;
    let suite = cryptosuite(suite_name)
        .ok_or_else(|| CredentialError::UnsupportedCryptosuite(suite_name.to_owned()))?;
    let purpose = str_member(proof, "proofPurpose")?;
    if purpose != requirements.purpose.as_str() {
        return Err(CredentialError::ProofPurposeMismatch(format!(
            "{purpose} where {} is required",
            requirements.purpose.as_str()
        )));
    }
    let proof_value = str_member(proof, "proofValue")?;
    let signature =
        multibase_decode(proof_value).map_err(|e| malformed(format!("proofValue: {e}")))?;
    if let Some(proof_ctx) = proof.get("@context") {
        let doc_ctx = unsecured.get("@context");
        let prefix_ok = match (proof_ctx, doc_ctx) {
            (Value::Array(p), Some(Value::Array(d))) => d.starts_with(p),
            (p, Some(Value::Array(d))) => d.first() == Some(p),
            (p, Some(d)) => p == d,
            (_, None) => false,
        };
        if !prefix_ok {
            return Err(CredentialError::ContextPrefixMismatch);
        }
    }
    if let Some(expected) = requirements.challenge {
        if !matches_expected(proof.get("challenge"), expected) {
            return Err(CredentialError::ChallengeMismatch);
        }
    }
    if let Some(expected) = requirements.domain {
        if !matches_expected(proof.get("domain"), expected) {
            return Err(CredentialError::DomainMismatch);
        }
    }
    let time = |name: &str| -> Result<Option<Timestamp>> {
        proof
            .get(name)
            .map(|v| {
                let s = v.as_str().ok_or_else(|| malformed(format!("{name} is not a string")))?;
                parse_rfc3339(s).map_err(|e| malformed(format!("{name}: {e}")))
            })
            .transpose()
    };
    if let Some(created) = time("created")? {
        if created
            > requirements.now.checked_add_signed(requirements.skew).unwrap_or(requirements.now)
        {
            return Err(CredentialError::ProofNotYetValid);
        }
    }
    if let Some(expires) = time("expires")? {
        if requirements.now.checked_sub_signed(requirements.skew).unwrap_or(requirements.now)
            > expires
        {
            return Err(CredentialError::ProofExpired);
        }
    }

    let vm_id = str_member(proof, "verificationMethod")?;
    let did = parse_did_url(vm_id)?.did;
    let key = resolve_for_purpose(resolver, vm_id, requirements.purpose)?;
    if let Some(controller) = requirements.controller {
        if did != controller {
            return Err(CredentialError::VerificationMethodMismatch(vm_id.to_owned()));
        }
    }
    if key.key_type() != suite.key_type() {
        return Err(CoreError::AlgKeyMismatch {
            alg: suite.name().to_owned(),
            key: key.key_type().name().to_owned(),
        }
        .into());
    }
    let hash = suite.hash_data(unsecured, &proof_config(proof, unsecured), contexts)?;
    key.verify(&hash, &signature).map_err(|e| match e.code() {
        ErrorCode::InvalidSignature => CredentialError::ProofInvalid,
        ErrorCode::MalformedSignature => malformed(e.to_string()),
        _ => e.into(),
    })?;
    Ok(VerifiedProof { cryptosuite: suite.name(), verification_method: vm_id.to_owned(), key })
}
