//! Decentralized identifiers, offline: did:key and did:jwk are created and resolved from
//! the identifier alone; any other method (did:web, …) resolves only from DID documents the
//! caller supplies to a [`StaticResolver`]. dpikit never fetches anything.

use std::collections::HashMap;
use std::sync::{Arc, RwLock};

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use crate::encoding::{b64url_decode, b64url_encode};
use crate::json::{Limits, parse_json};
use crate::keys::{Jwk, KeyType, PublicKey};
use crate::{CoreError, Result};

/// Longest DID URL accepted (a P-256 did:jwk is about 200 characters).
pub const MAX_DID_LEN: usize = 2048;

/// The DID Core v1 context.
pub const DID_V1_CONTEXT: &str = "https://www.w3.org/ns/did/v1";
/// The Multikey context.
pub const MULTIKEY_CONTEXT: &str = "https://w3id.org/security/multikey/v1";
/// The JsonWebKey2020 context (used by did:jwk documents).
pub const JWS2020_CONTEXT: &str = "https://w3id.org/security/suites/jws-2020/v1";

/// A DID URL split into its DID and optional fragment.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DidUrl<'a> {
    /// The DID (`did:method:id`).
    pub did: &'a str,
    /// The method name (`key`, `jwk`, `web`, …).
    pub method: &'a str,
    /// The fragment after `#`, if any.
    pub fragment: Option<&'a str>,
}

/// Parses and validates a DID or DID URL (DID Core §3.1 syntax; path and query are not
/// supported and rejected).
///
/// # Errors
///
/// [`CoreError::InvalidDid`] for bad syntax or a length over [`MAX_DID_LEN`].
///
/// # Examples
///
/// ```
/// let u = dpikit_core::did::parse_did_url("did:web:city.example#key-1")?;
/// assert_eq!((u.did, u.method, u.fragment), ("did:web:city.example", "web", Some("key-1")));
/// # Ok::<(), dpikit_core::CoreError>(())
/// ```
pub fn parse_did_url(text: &str) -> Result<DidUrl<'_>> {
    let bad = |why: &str| CoreError::InvalidDid(format!("{why}: {:?}", truncate(text)));
    if text.len() > MAX_DID_LEN {
        return Err(bad("longer than 2048 bytes"));
    }
    let (did, fragment) = match text.split_once('#') {
        Some((d, f)) => (d, Some(f)),
        None => (text, None),
    };
    let rest = did.strip_prefix("did:").ok_or_else(|| bad("missing did: scheme"))?;
    let (method, id) = rest.split_once(':').ok_or_else(|| bad("missing method-specific id"))?;
    if method.is_empty() || !method.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit()) {
        return Err(bad("method name must be lowercase letters and digits"));
    }
    let id_ok = !id.is_empty()
        && !id.ends_with(':')
        && id.bytes().all(|b| b.is_ascii_alphanumeric() || b".-_:%".contains(&b));
    if !id_ok {
        return Err(bad("invalid method-specific id"));
    }
    if let Some(f) = fragment {
        let frag_ok =
            f.bytes().all(|b| b.is_ascii_alphanumeric() || b"-._~!$&'()*+,;=:@/?%".contains(&b));
        if !frag_ok {
            return Err(bad("invalid fragment"));
        }
    }
    Ok(DidUrl { did, method, fragment })
}

fn truncate(s: &str) -> &str {
    match s.char_indices().nth(80) {
        Some((i, _)) => &s[..i],
        None => s,
    }
}

/// A verification method in a DID document.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct VerificationMethod {
    /// Absolute DID URL of the method.
    pub id: String,
    /// Type: `Multikey`, `JsonWebKey2020`, `JsonWebKey`, `Ed25519VerificationKey2020`, ….
    #[serde(rename = "type")]
    pub type_: String,
    /// The controller DID.
    pub controller: String,
    /// Multikey public key.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub public_key_multibase: Option<String>,
    /// JWK public key.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub public_key_jwk: Option<Jwk>,
    /// Legacy base58 public key (Ed25519VerificationKey2018).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub public_key_base58: Option<String>,
    /// Other members, preserved.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

impl VerificationMethod {
    /// Extracts the public key, whichever of the supported representations holds it.
    ///
    /// # Errors
    ///
    /// [`CoreError::InvalidDidDocument`] when no key member is present or a JWK holds a
    /// private part; key-decoding errors otherwise.
    pub fn public_key(&self) -> Result<PublicKey> {
        if let Some(jwk) = &self.public_key_jwk {
            if jwk.is_private() {
                return Err(CoreError::InvalidDidDocument(
                    "publicKeyJwk holds a private key".into(),
                ));
            }
            return PublicKey::from_jwk(jwk);
        }
        if let Some(mb) = &self.public_key_multibase {
            if self.type_ == "Ed25519VerificationKey2020" && !mb.starts_with("z6Mk") {
                // 2020 suite keys are multicodec-prefixed like Multikey.
                return Err(CoreError::InvalidDidDocument(
                    "Ed25519VerificationKey2020 must hold an Ed25519 key".into(),
                ));
            }
            return PublicKey::from_multikey(mb);
        }
        if let Some(b58) = &self.public_key_base58 {
            if b58.len() > 128 {
                return Err(CoreError::InvalidKey("publicKeyBase58 too long".into()));
            }
            let bytes = bs58::decode(b58)
                .into_vec()
                .map_err(|e| CoreError::InvalidKey(format!("publicKeyBase58: {e}")))?;
            return PublicKey::from_bytes(KeyType::Ed25519, &bytes);
        }
        Err(CoreError::InvalidDidDocument(format!(
            "verification method {} has no public key",
            self.id
        )))
    }
}

/// An entry of a verification relationship: a reference or an embedded method.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum VerificationReference {
    /// A DID URL (absolute or `#fragment`) naming a method.
    Reference(String),
    /// A method embedded in the relationship.
    Embedded(Box<VerificationMethod>),
}

/// A verification relationship (DID Core §5.3): what a key may be used for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Relationship {
    /// `authentication`
    Authentication,
    /// `assertionMethod` (issuing credentials)
    AssertionMethod,
    /// `keyAgreement`
    KeyAgreement,
    /// `capabilityInvocation`
    CapabilityInvocation,
    /// `capabilityDelegation`
    CapabilityDelegation,
}

impl Relationship {
    /// Returns the DID Core property name (`assertionMethod`, …).
    #[must_use]
    pub const fn property(self) -> &'static str {
        match self {
            Relationship::Authentication => "authentication",
            Relationship::AssertionMethod => "assertionMethod",
            Relationship::KeyAgreement => "keyAgreement",
            Relationship::CapabilityInvocation => "capabilityInvocation",
            Relationship::CapabilityDelegation => "capabilityDelegation",
        }
    }
}

/// A DID document (DID Core v1), with unknown members preserved.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct DidDocument {
    /// `@context`.
    #[serde(rename = "@context", default, skip_serializing_if = "Value::is_null")]
    pub context: Value,
    /// The DID.
    pub id: String,
    /// Controllers.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub controller: Option<Value>,
    /// Verification methods.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub verification_method: Vec<VerificationMethod>,
    /// `authentication`.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub authentication: Vec<VerificationReference>,
    /// `assertionMethod`.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub assertion_method: Vec<VerificationReference>,
    /// `keyAgreement`.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub key_agreement: Vec<VerificationReference>,
    /// `capabilityInvocation`.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub capability_invocation: Vec<VerificationReference>,
    /// `capabilityDelegation`.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub capability_delegation: Vec<VerificationReference>,
    /// Other members (`service`, `alsoKnownAs`, …), preserved.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// Limits for DID documents parsed from text.
const DID_DOC_LIMITS: Limits = Limits { max_bytes: 256 * 1024, max_depth: 16 };

impl DidDocument {
    /// Parses a DID document from JSON (at most 256 KiB, depth 16) and checks its `id`.
    ///
    /// # Errors
    ///
    /// JSON intake errors, or [`CoreError::InvalidDidDocument`] for a wrong shape or an
    /// invalid `id`.
    pub fn from_json(bytes: &[u8]) -> Result<Self> {
        let value = parse_json(bytes, &DID_DOC_LIMITS)?;
        let doc: DidDocument = serde_json::from_value(value)
            .map_err(|e| CoreError::InvalidDidDocument(e.to_string()))?;
        let url = parse_did_url(&doc.id)
            .map_err(|e| CoreError::InvalidDidDocument(format!("id: {e}")))?;
        if url.fragment.is_some() {
            return Err(CoreError::InvalidDidDocument("id must not have a fragment".into()));
        }
        Ok(doc)
    }

    /// Returns the document as a JSON value.
    #[must_use]
    pub fn to_json_value(&self) -> Value {
        serde_json::to_value(self).unwrap_or(Value::Null)
    }

    fn absolute(&self, id: &str) -> String {
        if id.starts_with('#') { format!("{}{id}", self.id) } else { id.to_owned() }
    }

    fn relationship(&self, rel: Relationship) -> &[VerificationReference] {
        match rel {
            Relationship::Authentication => &self.authentication,
            Relationship::AssertionMethod => &self.assertion_method,
            Relationship::KeyAgreement => &self.key_agreement,
            Relationship::CapabilityInvocation => &self.capability_invocation,
            Relationship::CapabilityDelegation => &self.capability_delegation,
        }
    }

    /// Finds a verification method by DID URL (absolute, or `#fragment` relative to this
    /// document), in `verificationMethod` or embedded in a relationship.
    ///
    /// # Errors
    ///
    /// [`CoreError::VerificationMethodNotFound`] when no method has that id.
    pub fn verification_method(&self, id: &str) -> Result<&VerificationMethod> {
        let want = self.absolute(id);
        let embedded = [
            &self.authentication,
            &self.assertion_method,
            &self.key_agreement,
            &self.capability_invocation,
            &self.capability_delegation,
        ]
        .into_iter()
        .flatten()
        .filter_map(|r| match r {
            VerificationReference::Embedded(vm) => Some(&**vm),
            VerificationReference::Reference(_) => None,
        });
        self.verification_method
            .iter()
            .chain(embedded)
            .find(|vm| self.absolute(&vm.id) == want)
            .ok_or(CoreError::VerificationMethodNotFound(want))
    }

    /// Finds a verification method by DID URL and checks that the document authorises it
    /// for `relationship` (e.g. `assertionMethod` for issuing credentials).
    ///
    /// # Errors
    ///
    /// [`CoreError::VerificationMethodNotFound`] when the method is absent or not listed
    /// under the relationship.
    pub fn verification_method_for(
        &self,
        id: &str,
        relationship: Relationship,
    ) -> Result<&VerificationMethod> {
        let want = self.absolute(id);
        let listed = self.relationship(relationship).iter().any(|r| match r {
            VerificationReference::Reference(s) => self.absolute(s) == want,
            VerificationReference::Embedded(vm) => self.absolute(&vm.id) == want,
        });
        if !listed {
            return Err(CoreError::VerificationMethodNotFound(format!(
                "{want} is not authorised for {}",
                relationship.property()
            )));
        }
        self.verification_method(&want)
    }
}

/// Returns the did:key DID of a public key (`did:key:` + Multikey).
///
/// # Examples
///
/// ```
/// use dpikit_core::keys::{KeyPair, KeyType};
/// let key = KeyPair::from_secret_bytes(KeyType::Ed25519, &[0u8; 32])?;
/// assert_eq!(
///     dpikit_core::did::did_key(&key.public_key()),
///     "did:key:z6MkiTBz1ymuepAQ4HEHYSF1H8quG5GLVVQR3djdX3mDooWp"
/// );
/// # Ok::<(), dpikit_core::CoreError>(())
/// ```
#[must_use]
pub fn did_key(key: &PublicKey) -> String {
    format!("did:key:{}", key.to_multikey())
}

/// Returns the did:key DID URL of the key's verification method (`did:key:z…#z…`).
#[must_use]
pub fn did_key_verification_method(key: &PublicKey) -> String {
    let mk = key.to_multikey();
    format!("did:key:{mk}#{mk}")
}

/// Returns the did:jwk DID of a public key (base64url of the public JWK's JCS form).
#[must_use]
pub fn did_jwk(key: &PublicKey) -> String {
    let jwk = serde_json::to_value(key.to_jwk()).unwrap_or(Value::Null);
    let canonical = crate::jcs::canonicalize(&jwk).unwrap_or_default();
    format!("did:jwk:{}", b64url_encode(&canonical))
}

fn relationships_all(id: &str, with_key_agreement: bool) -> [Vec<VerificationReference>; 5] {
    let r = || vec![VerificationReference::Reference(id.to_owned())];
    let ka = if with_key_agreement { r() } else { Vec::new() };
    [r(), r(), ka, r(), r()]
}

fn document(did: &str, context: Value, vm: VerificationMethod, key_agreement: bool) -> DidDocument {
    let [
        authentication,
        assertion_method,
        key_agreement,
        capability_invocation,
        capability_delegation,
    ] = relationships_all(&vm.id, key_agreement);
    DidDocument {
        context,
        id: did.to_owned(),
        controller: None,
        verification_method: vec![vm],
        authentication,
        assertion_method,
        key_agreement,
        capability_invocation,
        capability_delegation,
        extra: Map::new(),
    }
}

/// Resolves a did:key (Ed25519 `z6Mk…` or P-256 `zDn…`) to its DID document with one
/// `Multikey` verification method.
///
/// # Errors
///
/// [`CoreError::InvalidDid`] for bad syntax or a non-did:key DID; Multikey decoding errors.
pub fn resolve_did_key(did: &str) -> Result<DidDocument> {
    let url = parse_did_url(did)?;
    let mk = url
        .did
        .strip_prefix("did:key:")
        .ok_or_else(|| CoreError::InvalidDid(format!("not a did:key: {}", truncate(did))))?;
    // Decoding validates the key; the canonical text is the identifier itself.
    PublicKey::from_multikey(mk)?;
    let vm = VerificationMethod {
        id: format!("{}#{mk}", url.did),
        type_: "Multikey".into(),
        controller: url.did.to_owned(),
        public_key_multibase: Some(mk.to_owned()),
        public_key_jwk: None,
        public_key_base58: None,
        extra: Map::new(),
    };
    let ctx = Value::from(vec![DID_V1_CONTEXT, MULTIKEY_CONTEXT]);
    Ok(document(url.did, ctx, vm, false))
}

/// Resolves a did:jwk to its DID document with one `JsonWebKey2020` method `#0`.
///
/// # Errors
///
/// [`CoreError::InvalidDid`] for bad syntax, bad base64url, or a JWK holding a private key;
/// JWK errors for an unsupported or malformed key.
pub fn resolve_did_jwk(did: &str) -> Result<DidDocument> {
    let url = parse_did_url(did)?;
    let enc = url
        .did
        .strip_prefix("did:jwk:")
        .ok_or_else(|| CoreError::InvalidDid(format!("not a did:jwk: {}", truncate(did))))?;
    let bytes = b64url_decode(enc).map_err(|e| CoreError::InvalidDid(format!("did:jwk: {e}")))?;
    let jwk = Jwk::from_json(&bytes)?;
    if jwk.is_private() {
        return Err(CoreError::InvalidDid("did:jwk must not hold a private key".into()));
    }
    PublicKey::from_jwk(&jwk)?;
    let key_agreement = jwk.use_.as_deref() != Some("sig");
    let vm = VerificationMethod {
        id: format!("{}#0", url.did),
        type_: "JsonWebKey2020".into(),
        controller: url.did.to_owned(),
        public_key_multibase: None,
        public_key_jwk: Some(jwk),
        public_key_base58: None,
        extra: Map::new(),
    };
    let ctx = Value::from(vec![DID_V1_CONTEXT, JWS2020_CONTEXT]);
    Ok(document(url.did, ctx, vm, key_agreement))
}

/// Resolves DIDs to DID documents, offline.
///
/// Implement it to plug in a cache, a registry snapshot, or an HSM-backed key store.
pub trait Resolver: Send + Sync {
    /// Returns the DID document of `did` (no fragment).
    ///
    /// # Errors
    ///
    /// [`CoreError::DidNotFound`], [`CoreError::UnsupportedDidMethod`], or a parse error.
    fn resolve(&self, did: &str) -> Result<DidDocument>;

    /// Resolves a DID URL with a fragment to its verification method's public key.
    ///
    /// # Errors
    ///
    /// As [`Resolver::resolve`], plus [`CoreError::VerificationMethodNotFound`].
    fn resolve_key(&self, did_url: &str) -> Result<(VerificationMethod, PublicKey)> {
        let url = parse_did_url(did_url)?;
        let doc = self.resolve(url.did)?;
        let vm = doc.verification_method(did_url)?.clone();
        let key = vm.public_key()?;
        Ok((vm, key))
    }

    /// Resolves a DID URL to its public key, requiring that the document authorises it for
    /// `relationship`.
    ///
    /// # Errors
    ///
    /// As [`Resolver::resolve_key`].
    fn resolve_key_for(
        &self,
        did_url: &str,
        relationship: Relationship,
    ) -> Result<(VerificationMethod, PublicKey)> {
        let url = parse_did_url(did_url)?;
        let doc = self.resolve(url.did)?;
        let vm = doc.verification_method_for(did_url, relationship)?.clone();
        let key = vm.public_key()?;
        Ok((vm, key))
    }
}

/// An offline resolver: did:key and did:jwk from the identifier itself, and any other DID
/// (did:web, …) from documents the caller supplies.
///
/// # Examples
///
/// ```
/// use dpikit_core::did::{Resolver, StaticResolver, DidDocument};
///
/// let doc = DidDocument::from_json(br##"{
///   "@context": "https://www.w3.org/ns/did/v1",
///   "id": "did:web:city.example",
///   "verificationMethod": [{"id": "#k1", "type": "Multikey", "controller": "did:web:city.example",
///     "publicKeyMultibase": "z6MkrJVnaZkeFzdQyMZu1cgjg7k1pZZ6pvBQ7XJPt4swbTQ2"}],
///   "assertionMethod": ["#k1"]
/// }"##)?;
/// let resolver = StaticResolver::new().with_document(doc);
/// let (_vm, key) = resolver.resolve_key("did:web:city.example#k1")?;
/// assert_eq!(key.to_multikey(), "z6MkrJVnaZkeFzdQyMZu1cgjg7k1pZZ6pvBQ7XJPt4swbTQ2");
/// assert!(resolver.resolve("did:key:z6MkrJVnaZkeFzdQyMZu1cgjg7k1pZZ6pvBQ7XJPt4swbTQ2").is_ok());
/// # Ok::<(), dpikit_core::CoreError>(())
/// ```
#[derive(Debug, Clone, Default)]
pub struct StaticResolver {
    documents: HashMap<String, Arc<DidDocument>>,
}

impl StaticResolver {
    /// Creates a resolver that knows only did:key and did:jwk.
    #[must_use]
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds a caller-supplied document (replacing one with the same id).
    #[must_use]
    pub fn with_document(mut self, doc: DidDocument) -> Self {
        self.insert(doc);
        self
    }

    /// Adds a caller-supplied document (replacing one with the same id).
    pub fn insert(&mut self, doc: DidDocument) {
        self.documents.insert(doc.id.clone(), Arc::new(doc));
    }

    /// Returns how many caller-supplied documents are held.
    #[must_use]
    pub fn len(&self) -> usize {
        self.documents.len()
    }

    /// Returns whether no caller-supplied document is held.
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.documents.is_empty()
    }
}

impl Resolver for StaticResolver {
    fn resolve(&self, did: &str) -> Result<DidDocument> {
        let url = parse_did_url(did)?;
        if let Some(doc) = self.documents.get(url.did) {
            return Ok((**doc).clone());
        }
        match url.method {
            "key" => resolve_did_key(url.did),
            "jwk" => resolve_did_jwk(url.did),
            "web" => Err(CoreError::DidNotFound(format!(
                "{} (did:web is resolved offline only from a supplied DID document)",
                url.did
            ))),
            other => Err(CoreError::UnsupportedDidMethod(format!(
                "did:{other} (supply its DID document)"
            ))),
        }
    }
}

/// Resolved keys kept by a [`CachingResolver`], keyed by DID URL and relationship.
type KeyCache = HashMap<(String, Relationship), (VerificationMethod, PublicKey)>;

/// A resolver that remembers the keys it resolved, so that verifying many documents from
/// the same issuers resolves (and decompresses) each key once.
///
/// Only successful look-ups are kept; at `capacity` entries the cache starts afresh.
///
/// # Examples
///
/// ```
/// use dpikit_core::did::{CachingResolver, Relationship, Resolver, StaticResolver};
/// let r = CachingResolver::new(StaticResolver::new(), 1024);
/// let vm = "did:key:z6MkrJVnaZkeFzdQyMZu1cgjg7k1pZZ6pvBQ7XJPt4swbTQ2#z6MkrJVnaZkeFzdQyMZu1cgjg7k1pZZ6pvBQ7XJPt4swbTQ2";
/// let (_, a) = r.resolve_key_for(vm, Relationship::AssertionMethod)?;
/// let (_, b) = r.resolve_key_for(vm, Relationship::AssertionMethod)?; // from the cache
/// assert_eq!(a, b);
/// # Ok::<(), dpikit_core::CoreError>(())
/// ```
#[derive(Debug)]
pub struct CachingResolver<R> {
    inner: R,
    capacity: usize,
    keys: RwLock<KeyCache>,
}

impl<R: Resolver> CachingResolver<R> {
    /// Wraps `inner`, keeping at most `capacity` resolved keys.
    pub fn new(inner: R, capacity: usize) -> Self {
        CachingResolver { inner, capacity: capacity.max(1), keys: RwLock::new(HashMap::new()) }
    }

    /// Returns the wrapped resolver.
    pub fn inner(&self) -> &R {
        &self.inner
    }
}

impl<R: Resolver> Resolver for CachingResolver<R> {
    fn resolve(&self, did: &str) -> Result<DidDocument> {
        self.inner.resolve(did)
    }

    fn resolve_key_for(
        &self,
        did_url: &str,
        relationship: Relationship,
    ) -> Result<(VerificationMethod, PublicKey)> {
        let key = (did_url.to_owned(), relationship);
        if let Ok(cache) = self.keys.read() {
            if let Some(hit) = cache.get(&key) {
                return Ok(hit.clone());
            }
        }
        let found = self.inner.resolve_key_for(did_url, relationship)?;
        if let Ok(mut cache) = self.keys.write() {
            if cache.len() >= self.capacity {
                cache.clear();
            }
            cache.insert(key, found.clone());
        }
        Ok(found)
    }
}
