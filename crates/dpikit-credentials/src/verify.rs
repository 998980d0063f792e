//! Verifying credentials and presentations, offline, into a [`VerificationReport`].
//!
//! A [`Verifier`] holds what verification needs — a DID resolver, the JSON-LD contexts, a
//! clock, supplied status list credentials, an optional schema check — and is `Send + Sync`,
//! so one verifier serves many threads ([`Verifier::verify_many`]).

use std::collections::HashMap;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use chrono::Duration;
use serde_json::Value;

use dpikit_core::did::{CachingResolver, DidDocument, Resolver, StaticResolver};
use dpikit_core::json::parse_json;
use dpikit_core::time::{
    Clock, FixedClock, SystemClock, Timestamp, Validity, check_window, parse_rfc3339,
};
use dpikit_core::{CoreError, ErrorCode};

use crate::di::{ProofPurpose, ProofRequirements, split_proofs, verify_proof};
use crate::jose::{VerifiedJwt, verify_jwt};
use crate::jsonld::ContextStore;
use crate::model::{CREDENTIAL_LIMITS, Credential, Presentation};
use crate::report::VerificationReport;
use crate::status::{StatusEntry, check_status};
use crate::{CredentialError, Result};

/// A caller-supplied schema check for `credentialSchema` entries (dpikit-exchange provides a
/// JSON Schema 2020-12 one).
pub trait SchemaValidator: Send + Sync {
    /// Validates `credential` against one `credentialSchema` entry.
    ///
    /// # Errors
    ///
    /// A description of what does not conform.
    fn validate(&self, credential: &Value, schema: &Value) -> core::result::Result<(), String>;
}

/// Verifies credentials and presentations offline.
///
/// # Examples
///
/// ```
/// use dpikit_core::jws::WithKeyId;
/// use dpikit_core::keys::{KeyPair, KeyType};
/// use dpikit_credentials::di::{add_proof, ProofOptions};
/// use dpikit_credentials::jsonld::ContextStore;
/// use dpikit_credentials::model::CredentialBuilder;
/// use dpikit_credentials::verify::Verifier;
/// use serde_json::json;
///
/// let key = KeyPair::generate(KeyType::Ed25519)?;
/// let did = dpikit_core::did::did_key(&key.public_key());
/// let signer = WithKeyId { kid: dpikit_core::did::did_key_verification_method(&key.public_key()), signer: key };
/// let vc = CredentialBuilder::new(&did)
///     .add_type("ResidencyCredential")
///     .subject(json!({"id": "did:example:resident-1024", "residentOf": "Springfield"}))
///     .build()?;
/// let signed = add_proof(&vc.to_value(), &signer, &ProofOptions::assertion("eddsa-jcs-2022"), &ContextStore::new())?;
/// let report = Verifier::new().verify_credential(&signed);
/// assert!(report.verified, "{}", report.to_json());
/// # Ok::<(), dpikit_credentials::CredentialError>(())
/// ```
#[derive(Clone)]
pub struct Verifier {
    resolver: Arc<dyn Resolver>,
    documents: StaticResolver,
    /// Caller documents over the configured resolver, with resolved keys cached; rebuilt
    /// whenever either changes.
    layered: Arc<CachingResolver<Layered>>,
    contexts: ContextStore,
    clock: Arc<dyn Clock>,
    skew: Duration,
    status_lists: HashMap<String, Value>,
    challenge: Option<String>,
    domain: Option<String>,
    schema: Option<Arc<dyn SchemaValidator>>,
    bind_issuer: bool,
}

impl core::fmt::Debug for Verifier {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("Verifier")
            .field("documents", &self.documents.len())
            .field("now", &self.clock.now())
            .field("skew", &self.skew)
            .field("status_lists", &self.status_lists.keys().collect::<Vec<_>>())
            .field("challenge", &self.challenge)
            .field("domain", &self.domain)
            .finish_non_exhaustive()
    }
}

impl Default for Verifier {
    fn default() -> Self {
        Self::new()
    }
}

/// The default clock skew tolerance: 60 seconds.
pub const DEFAULT_SKEW_SECONDS: i64 = 60;

/// The capacity of a verifier's resolved-key cache.
const KEY_CACHE_CAPACITY: usize = 4096;

fn layered(
    documents: &StaticResolver,
    fallback: &Arc<dyn Resolver>,
) -> Arc<CachingResolver<Layered>> {
    let inner = Layered { documents: documents.clone(), fallback: Arc::clone(fallback) };
    Arc::new(CachingResolver::new(inner, KEY_CACHE_CAPACITY))
}

/// Resolves through the caller-supplied documents first, then the configured resolver.
struct Layered {
    documents: StaticResolver,
    fallback: Arc<dyn Resolver>,
}

impl Resolver for Layered {
    fn resolve(&self, did: &str) -> dpikit_core::Result<DidDocument> {
        match self.documents.resolve(did) {
            Ok(doc) => Ok(doc),
            Err(e)
                if matches!(e.code(), ErrorCode::DidNotFound | ErrorCode::UnsupportedDidMethod) =>
            {
                self.fallback.resolve(did)
            }
            Err(e) => Err(e),
        }
    }
}

impl Verifier {
    /// Creates a verifier: did:key/did:jwk resolution, the bundled contexts, the system clock,
    /// 60 s skew, no status lists, no schema check.
    #[must_use]
    pub fn new() -> Self {
        let resolver: Arc<dyn Resolver> = Arc::new(StaticResolver::new());
        let documents = StaticResolver::new();
        Verifier {
            layered: layered(&documents, &resolver),
            resolver,
            documents,
            contexts: ContextStore::new(),
            clock: Arc::new(SystemClock),
            skew: Duration::seconds(DEFAULT_SKEW_SECONDS),
            status_lists: HashMap::new(),
            challenge: None,
            domain: None,
            schema: None,
            bind_issuer: true,
        }
    }

    /// Sets whether a credential's proof must be made by a verification method of its
    /// issuer's DID (default: required). Turn it off only where the issuer is bound to the
    /// key by other means (e.g. an HTTPS issuer id vouched for out of band).
    #[must_use]
    pub fn with_issuer_binding(mut self, required: bool) -> Self {
        self.bind_issuer = required;
        self
    }

    /// Uses another DID resolver (after any documents added with [`Verifier::with_did_document`]).
    #[must_use]
    pub fn with_resolver(mut self, resolver: Arc<dyn Resolver>) -> Self {
        self.resolver = resolver;
        self.layered = layered(&self.documents, &self.resolver);
        self
    }

    /// Adds a DID document (did:web and others, offline).
    #[must_use]
    pub fn with_did_document(mut self, document: DidDocument) -> Self {
        self.documents.insert(document);
        self.layered = layered(&self.documents, &self.resolver);
        self
    }

    /// Uses this context store for JSON-LD (eddsa-rdfc-2022).
    #[must_use]
    pub fn with_contexts(mut self, contexts: ContextStore) -> Self {
        self.contexts = contexts;
        self
    }

    /// Adds a JSON-LD context document served at `url`.
    ///
    /// # Errors
    ///
    /// JSON intake errors for a malformed context.
    pub fn with_context(mut self, url: &str, json: &str) -> Result<Self> {
        self.contexts.insert(url, json)?;
        Ok(self)
    }

    /// Uses this clock.
    #[must_use]
    pub fn with_clock(mut self, clock: Arc<dyn Clock>) -> Self {
        self.clock = clock;
        self
    }

    /// Verifies as of `instant` instead of now.
    #[must_use]
    pub fn at(self, instant: Timestamp) -> Self {
        self.with_clock(Arc::new(FixedClock(instant)))
    }

    /// Sets the clock-skew tolerance.
    #[must_use]
    pub fn with_skew(mut self, skew: Duration) -> Self {
        self.skew = skew;
        self
    }

    /// Supplies a status list credential (verified before use), keyed by its `id`.
    ///
    /// # Errors
    ///
    /// [`CredentialError::StatusListInvalid`] if it has no string `id`.
    pub fn with_status_list(mut self, list_credential: Value) -> Result<Self> {
        let id = list_credential
            .get("id")
            .and_then(Value::as_str)
            .ok_or_else(|| {
                CredentialError::StatusListInvalid("status list credential has no id".into())
            })?
            .to_owned();
        self.status_lists.insert(id, list_credential);
        Ok(self)
    }

    /// Requires this challenge (Data Integrity `challenge`, JWT `nonce`) on presentations.
    #[must_use]
    pub fn with_challenge(mut self, challenge: impl Into<String>) -> Self {
        self.challenge = Some(challenge.into());
        self
    }

    /// Requires this domain (Data Integrity `domain`, JWT `aud`) on presentations.
    #[must_use]
    pub fn with_domain(mut self, domain: impl Into<String>) -> Self {
        self.domain = Some(domain.into());
        self
    }

    /// Checks `credentialSchema` entries with this validator.
    #[must_use]
    pub fn with_schema_validator(mut self, validator: Arc<dyn SchemaValidator>) -> Self {
        self.schema = Some(validator);
        self
    }

    /// Returns the context store.
    #[must_use]
    pub fn contexts(&self) -> &ContextStore {
        &self.contexts
    }

    fn resolver(&self) -> &CachingResolver<Layered> {
        &self.layered
    }

    /// Verifies a credential or a presentation given as JSON: a presentation when its `type`
    /// includes `VerifiablePresentation`, a credential otherwise.
    ///
    /// # Examples
    ///
    /// ```
    /// let report = dpikit_credentials::Verifier::new()
    ///     .verify(&serde_json::json!({"type": ["VerifiablePresentation"]}));
    /// assert!(!report.verified);
    /// ```
    #[must_use]
    pub fn verify(&self, document: &Value) -> VerificationReport {
        if is_presentation(document) {
            self.verify_presentation(document)
        } else {
            self.verify_credential(document)
        }
    }

    /// Verifies a credential or a presentation given as JSON bytes or a compact JWT: JSON as
    /// [`Verifier::verify`], a JWT with `typ` `vp+jwt` as a presentation, any other JWT as a
    /// credential.
    #[must_use]
    pub fn verify_bytes(&self, input: &[u8]) -> VerificationReport {
        // Refuse oversize input before looking at it at all (trimming 50 MiB of white space
        // is itself work); the size limit counts surrounding white space.
        let limit = CREDENTIAL_LIMITS.max_bytes.max(dpikit_core::jws::DEFAULT_MAX_TOKEN_BYTES);
        if input.len() > limit {
            let e = CoreError::InputTooLarge { size: input.len(), limit };
            return syntax_failure(&e.into());
        }
        let trimmed = input.trim_ascii();
        if trimmed.first() == Some(&b'{') {
            return match parse_json(input, &CREDENTIAL_LIMITS) {
                Ok(v) => self.verify(&v),
                Err(e) => syntax_failure(&e.into()),
            };
        }
        let Ok(token) = core::str::from_utf8(trimmed) else {
            return syntax_failure(&CoreError::InvalidUtf8("input is not UTF-8".into()).into());
        };
        let typ = dpikit_core::jws::decode(token, dpikit_core::jws::DEFAULT_MAX_TOKEN_BYTES)
            .ok()
            .and_then(|d| d.header.typ);
        match typ.as_deref() {
            Some("vp+jwt") => self.verify_presentation_jwt(token),
            _ => self.verify_credential_jwt(token),
        }
    }

    /// Verifies a credential given as JSON bytes or a compact JWT.
    #[must_use]
    pub fn verify_credential_bytes(&self, input: &[u8]) -> VerificationReport {
        // As `verify_bytes`: oversize input is refused before it is scanned, and white space
        // around the document or token counts toward the limit.
        let limit = CREDENTIAL_LIMITS.max_bytes.max(dpikit_core::jws::DEFAULT_MAX_TOKEN_BYTES);
        if input.len() > limit {
            let e = CoreError::InputTooLarge { size: input.len(), limit };
            return syntax_failure(&e.into());
        }
        match input.iter().find(|b| !b.is_ascii_whitespace()) {
            Some(b'{') => match parse_json(input, &CREDENTIAL_LIMITS) {
                Ok(v) => self.verify_credential(&v),
                Err(e) => syntax_failure(&e.into()),
            },
            _ => match core::str::from_utf8(input.trim_ascii()) {
                Ok(token) => self.verify_credential_jwt(token),
                Err(_) => {
                    syntax_failure(&CoreError::InvalidUtf8("input is not UTF-8".into()).into())
                }
            },
        }
    }

    /// Verifies a credential with embedded Data Integrity proof(s).
    #[must_use]
    pub fn verify_credential(&self, credential: &Value) -> VerificationReport {
        let mut report = VerificationReport::default();
        let Some(cred) = syntax(&mut report, credential) else { return report };
        self.credential_proofs(&mut report, &cred, credential);
        self.claims(&mut report, &cred, credential);
        report
    }

    /// Verifies a credential's embedded proofs (`assertionMethod`, bound to the issuer).
    fn credential_proofs(
        &self,
        report: &mut VerificationReport,
        cred: &Credential,
        credential: &Value,
    ) {
        match split_proofs(credential) {
            Err(e) => report.fail("proof", &e),
            Ok((unsecured, proofs)) => {
                let issuer = self.bind_issuer.then(|| cred.issuer.id());
                let req = self.requirements(ProofPurpose::AssertionMethod, issuer, false);
                for (i, proof) in proofs.iter().enumerate() {
                    let outcome =
                        verify_proof(&unsecured, proof, &req, self.resolver(), &self.contexts);
                    report.record(format!("proof[{i}]"), &outcome, |p| {
                        format!("{} by {}", p.cryptosuite, p.verification_method)
                    });
                }
            }
        }
    }

    /// Verifies a `vc+jwt` (or VC 1.1 JWT).
    #[must_use]
    pub fn verify_credential_jwt(&self, token: &str) -> VerificationReport {
        let mut report = VerificationReport::default();
        let verified = verify_jwt(token, false, self.resolver());
        let Some(jwt) = record_jwt(&mut report, verified) else { return report };
        let Some(cred) = syntax(&mut report, &jwt.document) else { return report };
        if cred.proof.is_some() {
            report.fail(
                "syntax",
                &CredentialError::MalformedCredential("a vc+jwt must not embed a proof".into()),
            );
        }
        self.jwt_window(&mut report, &jwt);
        self.claims(&mut report, &cred, &jwt.document);
        report
    }

    fn jwt_window(&self, report: &mut VerificationReport, jwt: &VerifiedJwt) {
        let secs = |n: &str| {
            jwt.claims
                .get(n)
                .and_then(Value::as_i64)
                .and_then(|s| dpikit_core::time::from_unix(s).ok())
        };
        match check_window(self.clock.now(), secs("nbf"), secs("exp"), self.skew) {
            Validity::Valid => {}
            Validity::NotYetValid => {
                report.fail("jwt", &CredentialError::CredentialNotYetValid("JWT nbf".into()));
            }
            Validity::Expired => {
                report.fail("jwt", &CredentialError::CredentialExpired("JWT exp".into()));
            }
        }
    }

    fn requirements<'a>(
        &'a self,
        purpose: ProofPurpose,
        controller: Option<&'a str>,
        presentation: bool,
    ) -> ProofRequirements<'a> {
        ProofRequirements {
            purpose,
            controller,
            challenge: if presentation { self.challenge.as_deref() } else { None },
            domain: if presentation { self.domain.as_deref() } else { None },
            now: self.clock.now(),
            skew: self.skew,
        }
    }

    /// Validity window, status and schema: the checks after the proof.
    fn claims(&self, report: &mut VerificationReport, cred: &Credential, credential: &Value) {
        report.record("validity", &self.validity(cred), Clone::clone);
        if let Some(entries) = &cred.credential_status {
            for (i, entry) in entries.as_slice().iter().enumerate() {
                let outcome = self.status(entry);
                report.record(format!("status[{i}]"), &outcome, Clone::clone);
            }
        }
        if let (Some(validator), Some(schemas)) = (&self.schema, &cred.credential_schema) {
            for (i, schema) in schemas.as_slice().iter().enumerate() {
                let outcome =
                    validator.validate(credential, schema).map_err(CredentialError::SchemaInvalid);
                report.record(format!("schema[{i}]"), &outcome, |()| "conforms".to_owned());
            }
        }
    }

    fn validity(&self, cred: &Credential) -> Result<String> {
        let parse = |t: Option<&str>| {
            t.map(|s| {
                parse_rfc3339(s).map_err(|e| CredentialError::MalformedCredential(e.to_string()))
            })
            .transpose()
        };
        let (start, end) = (parse(cred.starts())?, parse(cred.ends())?);
        let now = self.clock.now();
        match check_window(now, start, end, self.skew) {
            Validity::Valid => Ok(format!("valid at {}", dpikit_core::time::format_rfc3339(&now))),
            Validity::NotYetValid => Err(CredentialError::CredentialNotYetValid(
                cred.starts().unwrap_or_default().to_owned(),
            )),
            Validity::Expired => {
                Err(CredentialError::CredentialExpired(cred.ends().unwrap_or_default().to_owned()))
            }
        }
    }

    fn status(&self, entry: &Value) -> Result<String> {
        let Some(entry) = StatusEntry::from_value(entry)? else {
            return Ok("status type not checked".to_owned());
        };
        let list = self.status_lists.get(&entry.list_credential).ok_or_else(|| {
            CredentialError::StatusListMismatch(format!(
                "no status list credential supplied for {}",
                entry.list_credential
            ))
        })?;
        // The list credential must itself verify (proof and validity), without its own status.
        let mut list_report = VerificationReport::default();
        if let Some(list_cred) = syntax(&mut list_report, list) {
            self.credential_proofs(&mut list_report, &list_cred, list);
            list_report.record("validity", &self.validity(&list_cred), Clone::clone);
        }
        if let Some(err) = list_report.errors.first() {
            return Err(CredentialError::StatusListInvalid(format!(
                "status list credential {} does not verify: {} ({})",
                entry.list_credential, err.name, err.message
            )));
        }
        let value = check_status(&entry, list)?;
        Ok(format!("{} index {} = {}", value.purpose.as_str(), value.index, value.value))
    }

    /// Verifies a presentation with embedded Data Integrity proof(s) (`authentication`,
    /// `challenge`, `domain`), holder binding, and every credential in it.
    #[must_use]
    pub fn verify_presentation(&self, presentation: &Value) -> VerificationReport {
        let mut report = VerificationReport::default();
        let parsed = Presentation::from_value(presentation);
        report.record("syntax", &parsed, |p| {
            format!("presentation by {}", p.holder.as_ref().map_or("(no holder)", |h| h.id()))
        });
        let Ok(vp) = parsed else { return report };
        let holder = vp.holder.as_ref().map(crate::model::Issuer::id);
        match split_proofs(presentation) {
            Err(e) => report.fail("proof", &e),
            Ok((unsecured, proofs)) => {
                let req = self.requirements(ProofPurpose::Authentication, holder, true);
                for (i, proof) in proofs.iter().enumerate() {
                    let outcome =
                        verify_proof(&unsecured, proof, &req, self.resolver(), &self.contexts)
                            .map_err(holder_error);
                    report.record(format!("proof[{i}]"), &outcome, |p| {
                        format!("{} by {}", p.cryptosuite, p.verification_method)
                    });
                }
            }
        }
        self.embedded(&mut report, &vp);
        report
    }

    /// Verifies a `vp+jwt` (`nonce` = challenge, `aud` = domain) and every credential in it.
    #[must_use]
    pub fn verify_presentation_jwt(&self, token: &str) -> VerificationReport {
        let mut report = VerificationReport::default();
        let verified = verify_jwt(token, true, self.resolver()).map_err(holder_error);
        let Some(jwt) = record_jwt(&mut report, verified) else { return report };
        let parsed = Presentation::from_value(&jwt.document);
        report.record("syntax", &parsed, |_| "presentation".to_owned());
        let Ok(vp) = parsed else { return report };
        if let Some(expected) = &self.challenge {
            if jwt.claims.get("nonce").and_then(Value::as_str) != Some(expected) {
                report.fail("nonce", &CredentialError::ChallengeMismatch);
            }
        }
        if let Some(expected) = &self.domain {
            let ok = match jwt.claims.get("aud") {
                Some(Value::String(a)) => a == expected,
                Some(Value::Array(a)) => a.iter().any(|v| v.as_str() == Some(expected)),
                _ => false,
            };
            if !ok {
                report.fail("aud", &CredentialError::DomainMismatch);
            }
        }
        self.jwt_window(&mut report, &jwt);
        self.embedded(&mut report, &vp);
        report
    }

    fn embedded(&self, report: &mut VerificationReport, vp: &Presentation) {
        let Some(creds) = &vp.verifiable_credential else { return };
        for (i, c) in creds.as_slice().iter().enumerate() {
            let sub = match enveloped_jwt(c) {
                Some(Ok(token)) => self.verify_credential_jwt(token),
                Some(Err(e)) => syntax_failure(&e),
                None => self.verify_credential(c),
            };
            report.absorb(&format!("credential[{i}]"), sub);
        }
    }

    /// Verifies many credentials (JSON or JWT bytes) on `threads` threads; reports come
    /// back in input order.
    ///
    /// The calling thread works too, and threads take blocks of inputs from a shared
    /// counter, so a slow credential or a busy core does not leave the others idle at the
    /// end. Where threads are unavailable (`wasm32-unknown-unknown`), the work runs on the calling thread.
    #[must_use]
    pub fn verify_many<T: AsRef<[u8]> + Sync>(
        &self,
        inputs: &[T],
        threads: usize,
    ) -> Vec<VerificationReport> {
        let threads = if cfg!(all(target_arch = "wasm32", target_os = "unknown")) {
            1
        } else {
            threads.clamp(1, 256)
        };
        let verify_one = |i: &T| self.verify_credential_bytes(i.as_ref());
        if threads == 1 || inputs.len() < 2 {
            return inputs.iter().map(verify_one).collect();
        }
        // Blocks small enough to balance the tail, large enough that the shared counter is
        // touched rarely (one atomic add per block).
        let block = (inputs.len() / (threads * 16)).clamp(1, 64);
        let next = AtomicUsize::new(0);
        let work = || {
            let mut done = Vec::new();
            loop {
                let start = next.fetch_add(block, Ordering::Relaxed);
                if start >= inputs.len() {
                    return done;
                }
                let end = (start + block).min(inputs.len());
                done.push((start, inputs[start..end].iter().map(verify_one).collect::<Vec<_>>()));
            }
        };
        let mut blocks = std::thread::scope(|scope| {
            let helpers: Vec<_> = (1..threads).map(|_| scope.spawn(work)).collect();
            let mut blocks = work();
            for h in helpers {
                // A panicking helper loses only its own blocks; each of their inputs
                // still gets its own (failed) report below.
                blocks.extend(h.join().unwrap_or_default());
            }
            blocks
        });
        blocks.sort_unstable_by_key(|(start, _)| *start);
        let lost =
            || syntax_failure(&CoreError::Internal("verification thread panicked".into()).into());
        let mut out = Vec::with_capacity(inputs.len());
        for (start, reports) in blocks {
            out.resize_with(start, lost);
            out.extend(reports);
        }
        out.resize_with(inputs.len(), lost);
        out
    }
}

fn record_jwt(
    report: &mut VerificationReport,
    outcome: Result<VerifiedJwt>,
) -> Option<VerifiedJwt> {
    report
        .record("proof[0]", &outcome, |j| format!("{} by {}", j.header.alg, j.verification_method));
    outcome.ok()
}

fn syntax(report: &mut VerificationReport, credential: &Value) -> Option<Credential> {
    let parsed = Credential::from_value(credential);
    report.record("syntax", &parsed, |c| {
        format!("VC {} credential from {}", if c.is_v2() { "2.0" } else { "1.1" }, c.issuer.id())
    });
    parsed.ok()
}

/// A controller mismatch on a presentation is a holder mismatch.
fn holder_error(e: CredentialError) -> CredentialError {
    match e {
        CredentialError::VerificationMethodMismatch(vm) => {
            CredentialError::HolderMismatch(format!("{vm} is not controlled by the holder"))
        }
        other => other,
    }
}

/// Reads an `EnvelopedVerifiableCredential` (`data:application/vc+jwt,<token>`).
fn enveloped_jwt(c: &Value) -> Option<Result<&str>> {
    let types = c.get("type")?;
    let is_env = types.as_str() == Some("EnvelopedVerifiableCredential")
        || types
            .as_array()
            .is_some_and(|a| a.iter().any(|t| t.as_str() == Some("EnvelopedVerifiableCredential")));
    if !is_env {
        return None;
    }
    let id = c.get("id").and_then(Value::as_str).unwrap_or_default();
    Some(id.strip_prefix("data:application/vc+jwt,").ok_or_else(|| {
        CredentialError::MalformedCredential(
            "enveloped credential id must be data:application/vc+jwt,…".into(),
        )
    }))
}

/// Wraps a credential secured as a `vc+jwt` for a presentation.
#[must_use]
pub fn envelope_jwt(token: &str) -> Value {
    serde_json::json!({
        "@context": crate::model::CREDENTIALS_V2,
        "id": format!("data:application/vc+jwt,{token}"),
        "type": "EnvelopedVerifiableCredential",
    })
}

fn syntax_failure(e: &CredentialError) -> VerificationReport {
    let mut report = VerificationReport::default();
    report.fail("syntax", e);
    report
}

/// Whether a JSON document's `type` includes `VerifiablePresentation`.
fn is_presentation(value: &Value) -> bool {
    match value.get("type") {
        Some(Value::String(t)) => t == "VerifiablePresentation",
        Some(Value::Array(ts)) => ts.iter().any(|t| t == "VerifiablePresentation"),
        _ => false,
    }
}
