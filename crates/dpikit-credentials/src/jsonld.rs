//! Offline JSON-LD 1.1 to RDF: expansion and deserialization to RDF ("toRdf") with every
//! context served from memory.
//!
//! dpikit never fetches a context. A [`ContextStore`] maps context URLs to context documents;
//! a document that names a context URL the store does not hold (as `@context` or through
//! `@import`) fails with [`CredentialError::UnknownContext`].
//!
//! [`to_rdf`] follows the JSON-LD 1.1 Processing Algorithms ("Deserialize JSON-LD to RDF",
//! `produceGeneralizedRdf = false`, `rdfDirection = null`). Expansion is done by the `json-ld`
//! crate; the conversion of the expanded document to RDF terms is done here, so that literals
//! come out exactly as the reference implementation (jsonld.js) writes them:
//!
//! - strings are `xsd:string` literals (or `rdf:langString` with a language, which is
//!   lower-cased as jsonld.js and pyld do);
//! - booleans are `xsd:boolean`;
//! - a number with no fractional part and a magnitude below 10^21 is an `xsd:integer` in
//!   canonical form (`5.0` → `"5"`); any other number, or any number typed `xsd:double`, is an
//!   `xsd:double` in the form `d.dddE±n` with at most 16 significant digits (JavaScript's
//!   `toExponential(15)` with trailing zeros removed, e.g. `"1.5E0"`, `"1.0E21"`);
//! - `@json` values are `rdf:JSON` literals whose lexical form is the RFC 8785 (JCS)
//!   canonical form;
//! - identical quads are emitted once (an RDF dataset is a set).
//!
//! Blank node labels in the output are arbitrary; canonicalize the quads (RDFC-1.0) before
//! hashing them.
//!
//! Known limitation (of the `json-ld` crate's expanded form, which holds the top-level nodes of
//! a graph in a set): two *identical* node objects without `@id` at the top level of the same
//! graph (document top level, `@graph`, `@included`) are merged into one blank node, where
//! the algorithm gives two. Nodes that are property values (including `@container: @graph`
//! values such as `proof` and `verifiableCredential`) are not affected.

use core::fmt;
use std::collections::HashMap;
#[cfg(feature = "rdfc")]
use std::sync::RwLock;
use std::sync::{Arc, OnceLock};

use dpikit_core::Limits;
#[cfg(feature = "rdfc")]
use json_ld::IriBuf;

use crate::{CredentialError, Result};

#[cfg(feature = "rdfc")]
mod expand;
#[cfg(feature = "rdfc")]
pub(crate) use expand::proof_config_quads;
#[cfg(feature = "rdfc")]
pub use expand::{to_rdf, to_rdf_safe};

/// URL of the W3C Verifiable Credentials 2.0 base context.
pub const CREDENTIALS_V2_URL: &str = "https://www.w3.org/ns/credentials/v2";
/// URL of the W3C Data Integrity 1.0 context.
pub const DATA_INTEGRITY_V2_URL: &str = "https://w3id.org/security/data-integrity/v2";
/// URL of the Multikey context.
pub const MULTIKEY_V1_URL: &str = "https://w3id.org/security/multikey/v1";
/// URL of the W3C DID 1.0 context.
pub const DID_V1_URL: &str = "https://www.w3.org/ns/did/v1";

/// The Multikey v1 context as currently served at <https://w3id.org/security/multikey/v1>
/// (W3C VC Data Integrity / Controlled Identifiers; W3C Software and Document License).
///
/// `ssi-contexts` 0.1.10 (its latest release) ships an older copy without the `expires` term
/// definition; this text is that copy plus `expires`, and is JSON-equal to the current text
/// (also published as npm `@digitalbazaar/multikey-context` 2.0.1). The test
/// `multikey_is_ssi_contexts_plus_expires` pins the difference.
const MULTIKEY_V1: &str = r#"{
  "@context": {
    "id": "@id",
    "type": "@type",
    "@protected": true,
    "Multikey": {
      "@id": "https://w3id.org/security#Multikey",
      "@context": {
        "@protected": true,
        "id": "@id",
        "type": "@type",
        "controller": {
          "@id": "https://w3id.org/security#controller",
          "@type": "@id"
        },
        "expires": {
          "@id": "https://w3id.org/security#expiration",
          "@type": "http://www.w3.org/2001/XMLSchema#dateTime"
        },
        "revoked": {
          "@id": "https://w3id.org/security#revoked",
          "@type": "http://www.w3.org/2001/XMLSchema#dateTime"
        },
        "publicKeyMultibase": {
          "@id": "https://w3id.org/security#publicKeyMultibase",
          "@type": "https://w3id.org/security#multibase"
        },
        "secretKeyMultibase": {
          "@id": "https://w3id.org/security#secretKeyMultibase",
          "@type": "https://w3id.org/security#multibase"
        }
      }
    }
  }
}"#;

/// The contexts [`ContextStore::new`] holds.
///
/// `ssi-contexts` 0.1.10's credentials v2, data-integrity v2 and DID v1 texts are JSON-equal to
/// the current W3C texts (checked 2026 against the W3C vc-data-model vector copy and the
/// npm context packages): credentials v2 is the VC 2.0 Recommendation text, without the
/// top-level `@vocab` that drafts before July 2024 had.
fn bundled_sources() -> [(&'static str, &'static str); 4] {
    [
        (CREDENTIALS_V2_URL, ssi_contexts::CREDENTIALS_V2),
        (DATA_INTEGRITY_V2_URL, ssi_contexts::W3ID_DATA_INTEGRITY_V2),
        (MULTIKEY_V1_URL, MULTIKEY_V1),
        (DID_V1_URL, ssi_contexts::DID_V1),
    ]
}

/// The bundled contexts, parsed once.
fn bundled() -> &'static HashMap<String, Arc<StoredContext>> {
    static BUNDLED: OnceLock<HashMap<String, Arc<StoredContext>>> = OnceLock::new();
    BUNDLED.get_or_init(|| {
        bundled_sources()
            .into_iter()
            .filter_map(|(url, json)| {
                // The bundled texts are valid (a test checks that all are present).
                let stored = StoredContext::parse(url, json).ok()?;
                Some((url.to_owned(), Arc::new(stored)))
            })
            .collect()
    })
}

/// Limits for a context document given to [`ContextStore::insert`].
const CONTEXT_LIMITS: Limits = Limits::new(1024 * 1024, 64);

/// How many processed `@context` values one store keeps before it starts over.
#[cfg(feature = "rdfc")]
const MAX_CACHED_CONTEXTS: usize = 128;

/// The longest `@context` JSON text that gets cached (a large inline context is processed
/// every time rather than held in memory).
#[cfg(feature = "rdfc")]
const MAX_CACHED_CONTEXT_LEN: usize = 64 * 1024;

#[cfg(feature = "rdfc")]
type ActiveContext = json_ld::Context<IriBuf, json_ld::BlankIdBuf>;

/// A context document held by a store (with the `rdfc` feature, already in the `json-ld`
/// crate's JSON form).
struct StoredContext {
    #[cfg(feature = "rdfc")]
    iri: IriBuf,
    #[cfg(feature = "rdfc")]
    document: json_ld::syntax::Value,
}

/// The shared part of a [`ContextStore`].
#[derive(Default)]
struct Inner {
    contexts: HashMap<String, Arc<StoredContext>>,
    /// Processed top-level `@context` values, keyed by their exact JSON text.
    #[cfg(feature = "rdfc")]
    processed: RwLock<HashMap<String, Arc<ActiveContext>>>,
}

/// JSON-LD contexts by URL, served from memory: JSON-LD processing never reaches the network.
///
/// [`ContextStore::new`] holds the W3C Verifiable Credentials 2.0
/// (`https://www.w3.org/ns/credentials/v2`), Data Integrity
/// (`https://w3id.org/security/data-integrity/v2`), Multikey
/// (`https://w3id.org/security/multikey/v1`) and DID 1.0 (`https://www.w3.org/ns/did/v1`)
/// contexts; add others with [`ContextStore::insert`].
///
/// The store also caches processed `@context` values, keyed by their exact JSON text, so a
/// verifier that sees the same `@context` many times processes it once. Clones share the
/// contexts and the cache (the store is an [`Arc`] inside) and can be used from several
/// threads; [`ContextStore::insert`] changes only the store it is called on.
///
/// # Examples
///
/// ```
/// use dpikit_credentials::jsonld::ContextStore;
///
/// let mut store = ContextStore::new();
/// assert!(store.contains("https://www.w3.org/ns/credentials/v2"));
/// store.insert("https://example.org/ctx", r#"{"@context": {"name": "https://schema.org/name"}}"#)?;
/// assert!(store.contains("https://example.org/ctx"));
/// # Ok::<(), dpikit_credentials::CredentialError>(())
/// ```
#[derive(Clone)]
pub struct ContextStore {
    inner: Arc<Inner>,
}

impl ContextStore {
    /// Creates a store holding the bundled contexts (credentials v2, data-integrity v2,
    /// multikey v1, DID v1).
    #[must_use]
    pub fn new() -> Self {
        let mut inner = Inner::default();
        inner.contexts.clone_from(bundled());
        Self { inner: Arc::new(inner) }
    }

    /// Returns whether `url` maps to the context dpikit bundles for it (not a replacement).
    #[cfg(feature = "rdfc")]
    fn holds_bundled(&self, url: &str) -> bool {
        match (self.inner.contexts.get(url), bundled().get(url)) {
            (Some(mine), Some(ours)) => Arc::ptr_eq(mine, ours),
            _ => false,
        }
    }

    /// Creates a store that holds no context.
    #[must_use]
    pub fn empty() -> Self {
        Self { inner: Arc::new(Inner::default()) }
    }

    /// Adds the context document `json` (a JSON object with an `@context` entry) under `url`,
    /// replacing any document already held for `url`.
    ///
    /// Replacing a document drops this store's processed-context cache. Other clones of the
    /// store keep the contexts they had.
    ///
    /// # Errors
    ///
    /// - [`CredentialError::Core`] when `json` is not acceptable JSON (over 1 MiB, nested
    ///   deeper than 64 levels, duplicate keys, malformed);
    /// - [`CredentialError::JsonLd`] when `url` is not an absolute IRI or `json` is not an
    ///   object with an `@context` entry.
    pub fn insert(&mut self, url: &str, json: &str) -> Result<()> {
        let stored = Arc::new(StoredContext::parse(url, json)?);
        let mut contexts = self.inner.contexts.clone();
        let replaced = contexts.insert(url.to_owned(), stored).is_some();
        // A processed context depends only on the contexts it loaded; adding a URL that was
        // missing cannot change a context that processed successfully, replacing one can.
        #[cfg(feature = "rdfc")]
        let processed = RwLock::new(if replaced {
            HashMap::new()
        } else {
            self.inner.processed.read().unwrap_or_else(std::sync::PoisonError::into_inner).clone()
        });
        #[cfg(not(feature = "rdfc"))]
        let _ = replaced;
        self.inner = Arc::new(Inner {
            contexts,
            #[cfg(feature = "rdfc")]
            processed,
        });
        Ok(())
    }

    /// Returns whether the store holds a context for `url` (compared exactly).
    #[must_use]
    pub fn contains(&self, url: &str) -> bool {
        self.inner.contexts.contains_key(url)
    }

    /// Returns the URLs of the held contexts, sorted.
    #[must_use]
    pub fn urls(&self) -> Vec<&str> {
        let mut urls: Vec<&str> = self.inner.contexts.keys().map(String::as_str).collect();
        urls.sort_unstable();
        urls
    }
}

impl Default for ContextStore {
    fn default() -> Self {
        Self::new()
    }
}

impl fmt::Debug for ContextStore {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ContextStore").field("urls", &self.urls()).finish_non_exhaustive()
    }
}

impl StoredContext {
    fn parse(url: &str, json: &str) -> Result<Self> {
        let not_iri =
            || CredentialError::JsonLd(format!("context URL {url:?} is not an absolute IRI"));
        #[cfg(feature = "rdfc")]
        let iri = IriBuf::new(url.to_owned()).map_err(|_| not_iri())?;
        // Without JSON-LD processing a context URL is only a name to look up: a scheme and
        // no characters an IRI cannot hold are enough (RFC 3987 checks come with `rdfc`).
        #[cfg(not(feature = "rdfc"))]
        if !looks_like_absolute_iri(url) {
            return Err(not_iri());
        }
        let value = dpikit_core::parse_json(json.as_bytes(), &CONTEXT_LIMITS)?;
        if !value.as_object().is_some_and(|o| o.contains_key("@context")) {
            return Err(CredentialError::JsonLd(format!(
                "context document for {url:?} is not an object with an @context entry"
            )));
        }
        Ok(Self {
            #[cfg(feature = "rdfc")]
            iri,
            #[cfg(feature = "rdfc")]
            document: expand::to_ld_json(&value),
        })
    }
}

/// Splits `text` at its RFC 3986 scheme (`ALPHA *( ALPHA / DIGIT / "+" / "-" / "." ) ":"`);
/// `None` without one or when nothing follows it.
fn split_scheme(text: &str) -> Option<(&str, &str)> {
    let (scheme, rest) = text.split_once(':')?;
    let mut chars = scheme.chars();
    let valid = chars.next().is_some_and(|c| c.is_ascii_alphabetic())
        && chars.all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'))
        && !rest.is_empty();
    valid.then_some((scheme, rest))
}

/// Whether `url` has an RFC 3986 scheme and no space, control or other character that an
/// IRI cannot hold.
#[cfg(not(feature = "rdfc"))]
fn looks_like_absolute_iri(url: &str) -> bool {
    split_scheme(url).is_some_and(|(_, rest)| {
        !rest.chars().any(|c| c.is_control() || c.is_whitespace() || "<>\"{}|\\^`".contains(c))
    })
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]

    use serde_json::Value;

    use super::*;

    #[test]
    fn bundled_contexts_are_all_present() {
        let store = ContextStore::new();
        for (url, _) in bundled_sources() {
            assert!(store.contains(url), "{url}");
        }
        assert_eq!(store.urls().len(), 4);
    }

    #[test]
    fn multikey_is_ssi_contexts_plus_expires() {
        let ours: Value = serde_json::from_str(MULTIKEY_V1).unwrap();
        let mut theirs: Value = serde_json::from_str(ssi_contexts::W3ID_MULTIKEY_V1).unwrap();
        let scoped = &mut theirs["@context"]["Multikey"]["@context"];
        scoped.as_object_mut().unwrap().insert(
            "expires".to_owned(),
            serde_json::json!({
                "@id": "https://w3id.org/security#expiration",
                "@type": "http://www.w3.org/2001/XMLSchema#dateTime"
            }),
        );
        assert_eq!(ours, theirs);
    }
}
