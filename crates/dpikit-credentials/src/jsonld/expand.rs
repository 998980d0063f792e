//! JSON-LD expansion and deserialization to RDF (the `rdfc` feature): the `json-ld` crate
//! expands, and the expanded document becomes RDF terms here.

use core::cell::RefCell;
use core::fmt;
use std::collections::HashSet;
use std::sync::{Arc, PoisonError};

use json_ld::context_processing::{Options as ProcessingOptions, Process};
use json_ld::expansion::Options as ExpansionOptions;
use json_ld::object::{List, Literal as LdLiteral};
use json_ld::quad::{ObjectRef, PropertyRef, QuadRef};
use json_ld::syntax::TryFromJson;
use json_ld::{
    BlankIdBuf, Expand, ExpandedDocument, Id, Iri, IriBuf, LdQuads, LoadError, Loader, Node,
    Object, RemoteDocument, ValidId, Value as LdValue,
};
use serde_json::Value;

use super::{
    ActiveContext, CREDENTIALS_V2_URL, ContextStore, Inner, MAX_CACHED_CONTEXT_LEN,
    MAX_CACHED_CONTEXTS,
};
use crate::rdf::{Quad, Term};
use crate::{CredentialError, Result};

const RDF_TYPE: &str = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type";
const RDF_FIRST: &str = "http://www.w3.org/1999/02/22-rdf-syntax-ns#first";
const RDF_REST: &str = "http://www.w3.org/1999/02/22-rdf-syntax-ns#rest";
const RDF_NIL: &str = "http://www.w3.org/1999/02/22-rdf-syntax-ns#nil";
const RDF_JSON: &str = "http://www.w3.org/1999/02/22-rdf-syntax-ns#JSON";
const XSD_BOOLEAN: &str = "http://www.w3.org/2001/XMLSchema#boolean";
const XSD_INTEGER: &str = "http://www.w3.org/2001/XMLSchema#integer";
const XSD_DOUBLE: &str = "http://www.w3.org/2001/XMLSchema#double";

impl ContextStore {
    /// Returns the processed form of the top-level `@context` value `context`, from the cache
    /// or by processing it (and caching the result).
    fn active_context(
        &self,
        context: &Value,
        loader: &StoreLoader<'_>,
    ) -> Result<Arc<ActiveContext>> {
        let key =
            serde_json::to_string(context).map_err(|e| CredentialError::JsonLd(e.to_string()))?;
        let cache = &self.inner.processed;
        if let Some(active) = cache.read().unwrap_or_else(PoisonError::into_inner).get(&key) {
            return Ok(Arc::clone(active));
        }
        let local = json_ld::syntax::context::Context::try_from_json(to_ld_json(context))
            .map_err(|e| loader.error(&e))?;
        let processed = futures::executor::block_on(local.process_full(
            &mut (),
            &ActiveContext::new(None),
            loader,
            None,
            ProcessingOptions::default(),
            (),
        ))
        .map_err(|e| loader.error(&e))?;
        let active = Arc::new(processed.into_processed());
        if key.len() > MAX_CACHED_CONTEXT_LEN {
            return Ok(active);
        }
        let mut cache = cache.write().unwrap_or_else(PoisonError::into_inner);
        if cache.len() >= MAX_CACHED_CONTEXTS {
            cache.clear();
        }
        cache.insert(key, Arc::clone(&active));
        Ok(active)
    }
}

/// The `json-ld` crate's document loader over a store; records the first URL it lacks.
struct StoreLoader<'a> {
    store: &'a Inner,
    missing: RefCell<Option<String>>,
}

/// The error a [`StoreLoader`] reports for a URL it does not hold.
#[derive(Debug)]
struct NotInStore;

impl fmt::Display for NotInStore {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("not in the context store")
    }
}

impl std::error::Error for NotInStore {}

impl Loader for StoreLoader<'_> {
    async fn load(&self, url: &Iri) -> core::result::Result<RemoteDocument<IriBuf>, LoadError> {
        if let Some(stored) = self.store.contexts.get(url.as_str()) {
            return Ok(RemoteDocument::new(
                Some(stored.iri.clone()),
                None,
                stored.document.clone(),
            ));
        }
        self.missing.borrow_mut().get_or_insert_with(|| url.as_str().to_owned());
        Err(LoadError::new(url.to_owned(), NotInStore))
    }
}

impl StoreLoader<'_> {
    /// Maps a JSON-LD error: [`CredentialError::UnknownContext`] when a URL was missing from
    /// the store, else [`CredentialError::JsonLd`].
    fn error(&self, e: &impl fmt::Display) -> CredentialError {
        match self.missing.borrow_mut().take() {
            Some(url) => CredentialError::UnknownContext(url),
            None => CredentialError::JsonLd(e.to_string()),
        }
    }
}

/// Converts a JSON-LD document to RDF quads, offline (JSON-LD 1.1 expansion, then
/// deserialization to RDF with `produceGeneralizedRdf = false` and `rdfDirection = null`).
///
/// Every context the document names (at any depth, or through `@import`) must be in `store`.
/// The processed form of the document's top-level `@context` is cached in `store` under its
/// exact JSON text. See the [module documentation](self) for how literals are written.
///
/// Blank node labels in the result are arbitrary; quads whose subject, predicate, object or
/// graph is not an absolute IRI or a blank node are dropped, as the algorithm requires.
///
/// # Errors
///
/// - [`CredentialError::UnknownContext`] when the document names a context URL that `store`
///   does not hold (nothing is fetched);
/// - [`CredentialError::JsonLd`] for any other JSON-LD processing error (invalid context,
///   invalid keyword value, a language tag N-Quads cannot carry, …).
///
/// # Examples
///
/// ```
/// use dpikit_credentials::jsonld::{ContextStore, to_rdf};
/// use serde_json::json;
///
/// let store = ContextStore::new();
/// let doc = json!({
///     "@context": ["https://www.w3.org/ns/credentials/v2", {"age": {"@id": "https://example.org/age"}}],
///     "id": "urn:uuid:1",
///     "type": "VerifiableCredential",
///     "issuer": "did:example:issuer",
///     "credentialSubject": {"id": "did:example:subject", "age": 42}
/// });
/// let quads = to_rdf(&doc, &store)?;
/// let lines: Vec<String> = quads.iter().map(|q| q.to_nquads()).collect();
/// assert!(lines.contains(
///     &"<did:example:subject> <https://example.org/age> \"42\"^^<http://www.w3.org/2001/XMLSchema#integer> .\n"
///         .to_owned()
/// ));
/// assert_eq!(quads.len(), 4);
///
/// let err = to_rdf(&json!({"@context": "https://example.org/unknown"}), &store).unwrap_err();
/// assert_eq!(err.code(), dpikit_core::ErrorCode::UnknownContext);
/// # Ok::<(), dpikit_credentials::CredentialError>(())
/// ```
pub fn to_rdf(document: &Value, store: &ContextStore) -> Result<Vec<Quad>> {
    to_rdf_with(document, store, ExpansionOptions::default())
}

/// Converts a JSON-LD document to RDF quads as [`to_rdf`] does, but in *safe mode*: a
/// member whose name no context defines (and which is not an absolute IRI) is an error
/// instead of being dropped.
///
/// Data Integrity suites that canonicalize RDF sign and verify in safe mode (as the W3C
/// test suites and jsonld.js's `safe: true` do): a member JSON-LD would silently drop is not
/// covered by the signature, so it could be changed without the proof failing. The VC 2.0
/// context (the Recommendation text) has no `@vocab` catch-all, so every claim's term must
/// be defined by a context.
///
/// # Errors
///
/// As [`to_rdf`], and [`CredentialError::UndefinedTerm`] naming the first undefined member.
///
/// # Examples
///
/// ```
/// use dpikit_credentials::jsonld::{ContextStore, to_rdf, to_rdf_safe};
/// use serde_json::json;
///
/// let doc = json!({
///     "@context": ["https://www.w3.org/ns/credentials/v2"],
///     "type": "VerifiableCredential",
///     "issuer": "did:example:issuer",
///     "credentialSubject": {"id": "did:example:subject", "residentOf": "City"}
/// });
/// let store = ContextStore::new();
/// assert!(to_rdf(&doc, &store).is_ok()); // `residentOf` silently dropped
/// let err = to_rdf_safe(&doc, &store).unwrap_err();
/// assert_eq!(err.code(), dpikit_core::ErrorCode::UndefinedTerm);
///
/// let mut typed = doc.clone();
/// typed["credentialSubject"] = json!({"id": "did:example:subject"});
/// typed["type"] = json!(["VerifiableCredential", "ResidencyCredential"]);
/// assert_eq!(to_rdf_safe(&typed, &store).unwrap_err().code(), dpikit_core::ErrorCode::UndefinedTerm);
/// ```
pub fn to_rdf_safe(document: &Value, store: &ContextStore) -> Result<Vec<Quad>> {
    let options = ExpansionOptions {
        policy: json_ld::expansion::Policy {
            invalid: json_ld::expansion::Action::Reject,
            vocab: json_ld::expansion::Action::Keep,
            allow_undefined: false,
        },
        ..ExpansionOptions::default()
    };
    to_rdf_with(document, store, options)
}

/// The Data Integrity proof terms of the VC 2.0 context (`DataIntegrityProof`'s protected
/// type-scoped context): member, predicate IRI, and the literal datatype when typed.
const PROOF_TERMS: [(&str, &str, Option<&str>); 7] = [
    (
        "cryptosuite",
        "https://w3id.org/security#cryptosuite",
        Some("https://w3id.org/security#cryptosuiteString"),
    ),
    (
        "created",
        "http://purl.org/dc/terms/created",
        Some("http://www.w3.org/2001/XMLSchema#dateTime"),
    ),
    (
        "expires",
        "https://w3id.org/security#expiration",
        Some("http://www.w3.org/2001/XMLSchema#dateTime"),
    ),
    ("challenge", "https://w3id.org/security#challenge", None),
    ("domain", "https://w3id.org/security#domain", None),
    ("nonce", "https://w3id.org/security#nonce", None),
    ("verificationMethod", "https://w3id.org/security#verificationMethod", None),
];

/// The proof purposes of the VC 2.0 context and the IRIs they expand to.
const PROOF_PURPOSES: [(&str, &str); 5] = [
    ("assertionMethod", "https://w3id.org/security#assertionMethod"),
    ("authentication", "https://w3id.org/security#authenticationMethod"),
    ("capabilityDelegation", "https://w3id.org/security#capabilityDelegationMethod"),
    ("capabilityInvocation", "https://w3id.org/security#capabilityInvocationMethod"),
    ("keyAgreement", "https://w3id.org/security#keyAgreementMethod"),
];

/// Returns the RDF quads of a Data Integrity proof configuration without running JSON-LD
/// expansion, when that gives exactly what [`to_rdf_safe`] gives; `Ok(None)` otherwise.
///
/// A proof configuration has a fixed shape, and under the VC 2.0 context every term it may
/// use is defined by `DataIntegrityProof`'s protected type-scoped context, which later
/// contexts cannot redefine. The shortcut is taken only when: the store holds dpikit's
/// bundled VC 2.0 context and it comes first in `@context`; the processed `@context` sets no
/// default language or direction; `type` is `DataIntegrityProof`; every other member is one
/// of `cryptosuite`, `created`, `expires`, `challenge`, `domain`, `nonce`, `proofPurpose`
/// (a purpose the context defines) and `verificationMethod` (an absolute IRI whose scheme
/// no context defines as a prefix), each a string. Anything else falls back to expansion.
/// A test checks that both paths agree on every shape the shortcut accepts.
///
/// # Errors
///
/// The errors of processing `@context`, as [`to_rdf`].
pub(crate) fn proof_config_quads(
    config: &Value,
    store: &ContextStore,
) -> Result<Option<Vec<Quad>>> {
    let Value::Object(map) = config else { return Ok(None) };
    let Some(context) = map.get("@context") else { return Ok(None) };
    let first = match context {
        Value::Array(items) => items.first(),
        other => Some(other),
    };
    if first.and_then(Value::as_str) != Some(CREDENTIALS_V2_URL)
        || !store.holds_bundled(CREDENTIALS_V2_URL)
    {
        return Ok(None);
    }
    let loader = StoreLoader { store: &store.inner, missing: RefCell::new(None) };
    let active = store.active_context(context, &loader)?;
    if active.default_language().is_some() || active.default_base_direction().is_some() {
        return Ok(None);
    }
    let is_proof_type = match map.get("type") {
        Some(Value::String(t)) => t == "DataIntegrityProof",
        Some(Value::Array(ts)) => ts.len() == 1 && ts[0] == "DataIntegrityProof",
        _ => false,
    };
    if !is_proof_type {
        return Ok(None);
    }
    let subject = Term::blank("b0");
    let mut quads = vec![Quad {
        subject: subject.clone(),
        predicate: Term::iri(RDF_TYPE),
        object: Term::iri("https://w3id.org/security#DataIntegrityProof"),
        graph: None,
    }];
    for (key, value) in map {
        if key == "@context" || key == "type" {
            continue;
        }
        let Value::String(text) = value else { return Ok(None) };
        let (predicate, object) = if key == "proofPurpose" {
            let Some((_, iri)) = PROOF_PURPOSES.iter().find(|(name, _)| name == text) else {
                return Ok(None);
            };
            ("https://w3id.org/security#proofPurpose", Term::iri(*iri))
        } else {
            let Some((_, predicate, datatype)) =
                PROOF_TERMS.iter().find(|(name, _, _)| name == key)
            else {
                return Ok(None);
            };
            let object = match datatype {
                Some(datatype) => Term::typed(text.clone(), *datatype),
                None if key == "verificationMethod" => {
                    let scheme = text.split(':').next().unwrap_or_default();
                    if !is_plain_absolute_iri(text) || active.get(scheme).is_some() {
                        return Ok(None);
                    }
                    Term::iri(text.clone())
                }
                None => Term::string(text.clone()),
            };
            (*predicate, object)
        };
        quads.push(Quad {
            subject: subject.clone(),
            predicate: Term::iri(predicate),
            object,
            graph: None,
        });
    }
    Ok(Some(quads))
}

/// Whether `text` is an absolute IRI made only of characters that need no escaping and
/// that JSON-LD keeps as they are (scheme, then unreserved and reserved characters other
/// than `[` `]`, one `#` at most, and well-formed `%XX` escapes).
fn is_plain_absolute_iri(text: &str) -> bool {
    let Some((_, rest)) = super::split_scheme(text) else { return false };
    rest.bytes().all(|b| b.is_ascii_alphanumeric() || b"-._~:/?#@!$&'()*+,;=%".contains(&b))
        && rest.matches('#').count() <= 1
        && rest.split('%').skip(1).all(|after| {
            after.len() >= 2 && after.as_bytes()[..2].iter().all(u8::is_ascii_hexdigit)
        })
}

/// Whether any member name or string in `document` holds a percent-escape run that does not
/// decode to UTF-8 (`%88`). Such text can become an IRI (through `@vocab` or `@id`), and
/// the `json-ld` crate's IRI types panic when they hash it (iref 3.2 / pct-str 2.0, found by
/// the `credential_verify` fuzz target), so it is refused before expansion.
fn has_invalid_percent_utf8(document: &Value) -> bool {
    fn bad(text: &str) -> bool {
        if !text.contains('%') {
            return false;
        }
        let bytes = text.as_bytes();
        let mut decoded = Vec::with_capacity(bytes.len());
        let mut i = 0;
        while i < bytes.len() {
            let hex = bytes.get(i + 1..i + 3).and_then(|h| std::str::from_utf8(h).ok());
            match (bytes[i], hex.and_then(|h| u8::from_str_radix(h, 16).ok())) {
                (b'%', Some(byte)) => {
                    decoded.push(byte);
                    i += 3;
                }
                (b, _) => {
                    decoded.push(b);
                    i += 1;
                }
            }
        }
        std::str::from_utf8(&decoded).is_err()
    }
    let mut stack = vec![document];
    while let Some(value) = stack.pop() {
        match value {
            Value::String(s) if bad(s) => return true,
            Value::Array(items) => stack.extend(items),
            Value::Object(members) => {
                for (key, member) in members {
                    if bad(key) {
                        return true;
                    }
                    stack.push(member);
                }
            }
            _ => {}
        }
    }
    false
}

fn to_rdf_with(
    document: &Value,
    store: &ContextStore,
    options: ExpansionOptions,
) -> Result<Vec<Quad>> {
    if has_invalid_percent_utf8(document) {
        return Err(CredentialError::JsonLd(
            "a member name or string percent-encodes bytes that are not UTF-8".to_owned(),
        ));
    }
    let loader = StoreLoader { store: &store.inner, missing: RefCell::new(None) };
    let top_context = document.as_object().and_then(|o| o.get("@context"));
    let (input, active) = match (document, top_context) {
        (Value::Object(object), Some(context)) => {
            let active = store.active_context(context, &loader)?;
            let mut body = json_ld::syntax::Object::new();
            for (key, value) in object.iter().filter(|(key, _)| *key != "@context") {
                body.push(key.as_str().into(), to_ld_json(value));
            }
            (json_ld::syntax::Value::Object(body), ActiveContext::clone(&active))
        }
        _ => (to_ld_json(document), ActiveContext::new(None)),
    };
    let mut expanded: ExpandedDocument =
        futures::executor::block_on(input.expand_full(&mut (), active, None, &loader, options, ()))
            .map_err(|e| match e {
                json_ld::expansion::Error::KeyExpansionFailed(term) => {
                    CredentialError::UndefinedTerm(term)
                }
                // Only safe mode rejects a type that expands to no IRI: no context defines it.
                json_ld::expansion::Error::InvalidTypeValue if !options.policy.allow_undefined => {
                    CredentialError::UndefinedTerm("a `type` value".to_owned())
                }
                other => loader.error(&other),
            })?;
    // Give every node an identifier; without it nodes lacking `@id` produce no quads.
    expanded.relabel(&mut json_ld::rdf_types::generator::Blank::new_with_prefix("b".to_owned()));
    quads_of(&expanded)
}

/// Converts a `serde_json` value to the `json-ld` crate's JSON value, keeping member order.
pub(super) fn to_ld_json(value: &Value) -> json_ld::syntax::Value {
    use json_ld::syntax::Value as J;
    match value {
        Value::Null => J::Null,
        Value::Bool(b) => J::Boolean(*b),
        // serde_json writes finite numbers as valid JSON numbers, so this cannot fail.
        Value::Number(n) => n.to_string().parse().map_or(J::Null, J::Number),
        Value::String(s) => J::String(s.as_str().into()),
        Value::Array(items) => J::Array(items.iter().map(to_ld_json).collect()),
        Value::Object(members) => {
            let mut object = json_ld::syntax::Object::new();
            for (key, value) in members {
                object.push(key.as_str().into(), to_ld_json(value));
            }
            J::Object(object)
        }
    }
}

/// Converts the `json-ld` crate's JSON value back to a `serde_json` value.
fn from_ld_json(value: &json_ld::syntax::Value) -> Result<Value> {
    use json_ld::syntax::Value as J;
    Ok(match value {
        J::Null => Value::Null,
        J::Boolean(b) => Value::Bool(*b),
        J::Number(n) => Value::Number(
            n.as_str()
                .parse()
                .map_err(|_| CredentialError::JsonLd(format!("number {n} out of range")))?,
        ),
        J::String(s) => Value::String(s.as_str().to_owned()),
        J::Array(items) => Value::Array(items.iter().map(from_ld_json).collect::<Result<_>>()?),
        J::Object(members) => {
            let mut object = serde_json::Map::with_capacity(members.len());
            for entry in members {
                object.insert(entry.key.as_str().to_owned(), from_ld_json(&entry.value)?);
            }
            Value::Object(object)
        }
    })
}

/// Emits the RDF quads of an expanded (and relabelled) document.
struct QuadWriter {
    quads: Vec<Quad>,
    seen: HashSet<Quad>,
    list_nodes: usize,
}

fn quads_of(expanded: &ExpandedDocument) -> Result<Vec<Quad>> {
    let mut writer = QuadWriter { quads: Vec::new(), seen: HashSet::new(), list_nodes: 0 };
    for QuadRef(graph, subject, property, object) in expanded.quads() {
        let graph = match graph {
            None => None,
            Some(id) => match id_term(id)? {
                Some(term) => Some(term),
                None => continue,
            },
        };
        let Some(subject) = id_term(subject)? else { continue };
        let predicate = match property {
            PropertyRef::Type => Term::iri(RDF_TYPE),
            PropertyRef::Ref(Id::Valid(ValidId::Iri(iri))) => iri_term(iri)?,
            // Blank node predicates (generalized RDF) and relative IRIs are dropped.
            PropertyRef::Ref(_) => continue,
        };
        let object = match object {
            ObjectRef::Object(object) => writer.object_term(object, graph.as_ref())?,
            ObjectRef::Node(node) => node_term(node)?,
            ObjectRef::Ref(id) => id_term(id)?,
        };
        if let Some(object) = object {
            writer.push(Quad { subject, predicate, object, graph });
        }
    }
    Ok(writer.quads)
}

impl QuadWriter {
    fn push(&mut self, quad: Quad) {
        if self.seen.insert(quad.clone()) {
            self.quads.push(quad);
        }
    }

    /// The RDF term of a list, value or node object; `None` when the algorithm drops it.
    fn object_term(&mut self, object: &Object, graph: Option<&Term>) -> Result<Option<Term>> {
        match object {
            Object::Value(value) => value_term(value),
            Object::Node(node) => node_term(node),
            Object::List(list) => self.list_term(list, graph).map(Some),
        }
    }

    /// Writes a list as an RDF collection and returns its head.
    fn list_term(&mut self, list: &List<IriBuf, BlankIdBuf>, graph: Option<&Term>) -> Result<Term> {
        let items = list.as_slice();
        let cells: Vec<Term> = items
            .iter()
            .map(|_| {
                self.list_nodes += 1;
                Term::blank(format!("l{}", self.list_nodes))
            })
            .collect();
        for (index, item) in items.iter().enumerate() {
            let cell = cells[index].clone();
            if let Some(first) = self.object_term(item.inner(), graph)? {
                self.push(Quad {
                    subject: cell.clone(),
                    predicate: Term::iri(RDF_FIRST),
                    object: first,
                    graph: graph.cloned(),
                });
            }
            let rest = cells.get(index + 1).cloned().unwrap_or_else(|| Term::iri(RDF_NIL));
            self.push(Quad {
                subject: cell,
                predicate: Term::iri(RDF_REST),
                object: rest,
                graph: graph.cloned(),
            });
        }
        Ok(cells.into_iter().next().unwrap_or_else(|| Term::iri(RDF_NIL)))
    }
}

fn node_term(node: &Node) -> Result<Option<Term>> {
    node.id.as_ref().map_or(Ok(None), id_term)
}

/// The term of a node identifier; `None` for an identifier that is neither an absolute IRI
/// nor a blank node.
fn id_term(id: &Id) -> Result<Option<Term>> {
    match id {
        Id::Valid(ValidId::Iri(iri)) => iri_term(iri).map(Some),
        Id::Valid(ValidId::Blank(blank)) => {
            Ok(Some(Term::blank(blank.as_str().strip_prefix("_:").unwrap_or(blank.as_str()))))
        }
        Id::Invalid(_) => Ok(None),
    }
}

/// An IRI term, refusing characters that N-Quads cannot carry in an IRIREF.
fn iri_term(iri: &Iri) -> Result<Term> {
    let text = iri.as_str();
    if text.chars().any(|c| c <= ' ' || "<>\"{}|^`\\".contains(c)) {
        return Err(CredentialError::JsonLd(format!("IRI {text:?} cannot be written as N-Quads")));
    }
    Ok(Term::iri(text))
}

/// The literal of a value object (JSON-LD 1.1 "Object to RDF Conversion").
fn value_term(value: &LdValue) -> Result<Option<Term>> {
    Ok(Some(match value {
        LdValue::Json(json) => {
            let canonical = dpikit_core::jcs::canonicalize(&from_ld_json(json)?)?;
            let lexical = String::from_utf8(canonical)
                .map_err(|e| CredentialError::JsonLd(format!("JSON literal: {e}")))?;
            Term::typed(lexical, RDF_JSON)
        }
        LdValue::LangString(string) => {
            let (text, language, _direction) = string.parts();
            match language {
                Some(language) => Term::lang_string(text, language_tag(language.as_str())?),
                None => Term::string(text),
            }
        }
        LdValue::Literal(literal, datatype) => {
            let datatype = datatype.as_ref().map(|iri| iri_term(iri)).transpose()?;
            let datatype = datatype.as_ref().and_then(|t| match t {
                Term::Iri(iri) => Some(iri.as_str()),
                _ => None,
            });
            match literal {
                LdLiteral::Null => return Ok(None),
                LdLiteral::Boolean(b) => {
                    Term::typed(if *b { "true" } else { "false" }, datatype.unwrap_or(XSD_BOOLEAN))
                }
                LdLiteral::String(s) => match datatype {
                    Some(datatype) => Term::typed(s.as_str(), datatype),
                    None => Term::string(s.as_str()),
                },
                LdLiteral::Number(n) => number_term(n.as_str(), datatype)?,
            }
        }
    }))
}

/// A language tag, lower-cased as jsonld.js and pyld do.
///
/// Tags are not checked against BCP 47 (jsonld.js only warns, so `en_US` appears in signed
/// data as `en_us`), but a tag must be non-empty ASCII letters, digits, `-` or `_`, so that
/// it cannot alter the N-Quads text that gets hashed.
fn language_tag(tag: &str) -> Result<String> {
    if !tag.is_empty() && tag.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_') {
        Ok(tag.to_ascii_lowercase())
    } else {
        Err(CredentialError::JsonLd(format!("language tag {tag:?} cannot be written as N-Quads")))
    }
}

/// The literal of a JSON number (JSON-LD 1.1 toRdf steps for numbers, written as jsonld.js
/// writes them).
fn number_term(lexical: &str, datatype: Option<&str>) -> Result<Term> {
    let value: f64 = lexical
        .parse()
        .map_err(|_| CredentialError::JsonLd(format!("number {lexical} is not a double")))?;
    if !value.is_finite() {
        return Err(CredentialError::JsonLd(format!("number {lexical} is out of range")));
    }
    let is_double = datatype == Some(XSD_DOUBLE) || value.fract() != 0.0 || value.abs() >= 1e21;
    if is_double {
        return Ok(Term::typed(double_lexical(value), datatype.unwrap_or(XSD_DOUBLE)));
    }
    let integer_syntax = lexical.bytes().all(|b| b.is_ascii_digit() || b == b'-');
    let canonical = if integer_syntax {
        // Keep the exact digits of an integer (serde_json holds u64/i64 exactly).
        let (sign, digits) = lexical.strip_prefix('-').map_or(("", lexical), |d| ("-", d));
        let digits = digits.trim_start_matches('0');
        if digits.is_empty() { "0".to_owned() } else { format!("{sign}{digits}") }
    } else if value == 0.0 {
        "0".to_owned()
    } else {
        // A whole number below 10^21: `{:.0}` prints it exactly.
        format!("{value:.0}")
    };
    Ok(Term::typed(canonical, datatype.unwrap_or(XSD_INTEGER)))
}

/// The canonical `xsd:double` form JSON-LD processors write: JavaScript's
/// `value.toExponential(15)` (16 significant digits, ties rounded away from zero), trailing
/// zeros of the mantissa removed but one kept after the point, no `+` in the exponent
/// (`1.0E0`, `1.5E-7`, `1.234567890123457E15`).
fn double_lexical(value: f64) -> String {
    let sign = if value < 0.0 { "-" } else { "" };
    let magnitude = value.abs();
    if magnitude == 0.0 {
        return "0.0E0".to_owned();
    }
    // Exact decimal expansion (a double has at most 767 significant digits), then round to 16
    // significant digits, half away from zero as ECMAScript requires.
    let exact = format!("{magnitude:.800e}");
    let (mantissa, exponent) = exact.split_once('e').unwrap_or((exact.as_str(), "0"));
    let mut exponent: i32 = exponent.parse().unwrap_or(0);
    let all: Vec<u8> = mantissa.bytes().filter(u8::is_ascii_digit).collect();
    let mut digits: Vec<u8> = all.iter().take(16).map(|d| d - b'0').collect();
    if all.get(16).is_some_and(|d| *d >= b'5') {
        let mut i = digits.len();
        loop {
            if i == 0 {
                digits.insert(0, 1);
                digits.pop();
                exponent += 1;
                break;
            }
            i -= 1;
            if digits[i] == 9 {
                digits[i] = 0;
            } else {
                digits[i] += 1;
                break;
            }
        }
    }
    while digits.len() > 1 && digits.last() == Some(&0) {
        digits.pop();
    }
    let first = digits.first().copied().unwrap_or(0);
    let rest: String = digits.iter().skip(1).map(|d| char::from(b'0' + d)).collect();
    let rest = if rest.is_empty() { "0".to_owned() } else { rest };
    format!("{sign}{first}.{rest}E{exponent}")
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]

    use super::*;

    /// Found by the `credential_verify` fuzz target: a member name expanded through `@vocab`
    /// into an IRI fragment holding `%88` made the `json-ld` crate panic while hashing it.
    #[test]
    fn percent_encoded_non_utf8_is_refused_not_a_panic() {
        let doc = serde_json::json!({
            "@context": {"@vocab": "https://city.example/vocab#"},
            "@id": "urn:uuid:1",
            "validFrom888%888": "x"
        });
        let err = to_rdf(&doc, &ContextStore::new()).unwrap_err();
        assert_eq!(err.code(), dpikit_core::ErrorCode::JsonLdError);
        let fine = serde_json::json!({
            "@context": {"@vocab": "https://city.example/vocab#"},
            "@id": "urn:uuid:1",
            "discount": "50%", "name%C3%A9": "caf%C3%A9"
        });
        assert!(to_rdf(&fine, &ContextStore::new()).is_ok());
    }

    #[test]
    fn doubles_are_written_as_jsonld_processors_write_them() {
        for (value, expected) in [
            (1.0, "1.0E0"),
            (1.5, "1.5E0"),
            (-1.5, "-1.5E0"),
            (0.1, "1.0E-1"),
            (1e21, "1.0E21"),
            (0.1 + 0.2, "3.0E-1"),
            (123.456, "1.23456E2"),
            (1_234_567_890_123_456.5, "1.234567890123457E15"),
            (1_234_567_890_123_457.5, "1.234567890123458E15"),
            (2.999_999_999_999_999_6, "3.0E0"),
            (1.299_999_999_999_999_8, "1.3E0"),
            (1.000_000_000_000_000_2, "1.0E0"),
            (1e23, "9.999999999999999E22"),
            (5e-324, "4.940656458412465E-324"),
            (f64::MAX, "1.797693134862316E308"),
            (-0.0, "0.0E0"),
        ] {
            assert_eq!(double_lexical(value), expected, "{value:e}");
        }
    }

    #[test]
    fn numbers_follow_the_tordf_rules() {
        let lex = |lexical: &str, datatype: Option<&str>| match number_term(lexical, datatype) {
            Ok(Term::Literal(l)) => (l.value, l.datatype),
            other => panic!("{other:?}"),
        };
        assert_eq!(lex("5", None), ("5".into(), XSD_INTEGER.into()));
        assert_eq!(lex("-0", None), ("0".into(), XSD_INTEGER.into()));
        assert_eq!(lex("5.0", None), ("5".into(), XSD_INTEGER.into()));
        assert_eq!(lex("-0.0", None), ("0".into(), XSD_INTEGER.into()));
        assert_eq!(lex("1e20", None), ("100000000000000000000".into(), XSD_INTEGER.into()));
        assert_eq!(
            lex("18446744073709551615", None),
            ("18446744073709551615".into(), XSD_INTEGER.into())
        );
        assert_eq!(lex("1e21", None), ("1.0E21".into(), XSD_DOUBLE.into()));
        assert_eq!(lex("2.5", None), ("2.5E0".into(), XSD_DOUBLE.into()));
        assert_eq!(lex("5", Some(XSD_DOUBLE)), ("5.0E0".into(), XSD_DOUBLE.into()));
        let other = "https://example.org/t";
        assert_eq!(lex("5", Some(other)), ("5".into(), other.into()));
        assert_eq!(lex("5.5", Some(other)), ("5.5E0".into(), other.into()));
    }

    #[test]
    fn language_tags_are_lowercased_and_checked() {
        assert_eq!(language_tag("en-US").unwrap(), "en-us");
        assert_eq!(language_tag("zh-Hant-TW").unwrap(), "zh-hant-tw");
        assert_eq!(language_tag("en_US").unwrap(), "en_us");
        for bad in ["", "en US", "en\"", "en.", "en>", "en\n", "é"] {
            assert!(language_tag(bad).is_err(), "{bad:?}");
        }
    }
}

#[cfg(test)]
mod proof_config_tests {
    #![allow(clippy::unwrap_used)]

    use serde_json::{Value, json};

    use super::{CREDENTIALS_V2_URL, ContextStore, proof_config_quads, to_rdf_safe};
    use crate::rdfc::canonical_nquads;

    /// The proof configuration shortcut gives exactly what full JSON-LD expansion gives,
    /// on every shape it accepts, and declines every shape where they could differ.
    #[test]
    fn proof_config_shortcut_matches_expansion() {
        let vms = [
            "did:key:z6MkqNqjvk1UHXAVt8ugyeBYrqwR9kByeFDQaf1VLMGAE5Gq#z6MkqNqjvk1UHXAVt8ugyeBYrqwR9kByeFDQaf1VLMGAE5Gq",
            "did:web:city.example:dept#key-1",
            "https://issuer.example/keys/1",
            "https://issuer.example/keys/a%20b",
            "https://issuer.example/keys/a%zz",
            "https://[::1]/k",
            "urn:uuid:58172aac-d8ba-11ed-83dd-0b3aef56cc33",
            "key-1",
            "_:b1",
            "did:example:a b",
            "did:example:a#b#c",
        ];
        let contexts = [
            json!([CREDENTIALS_V2_URL]),
            json!(CREDENTIALS_V2_URL),
            json!([CREDENTIALS_V2_URL, {"@vocab": "https://city.example/vocab#"}]),
            json!([CREDENTIALS_V2_URL, {"@language": "en"}]),
            json!([CREDENTIALS_V2_URL, {"did": "https://prefix.example/"}]),
            json!([CREDENTIALS_V2_URL, "https://w3id.org/security/data-integrity/v2"]),
            json!([CREDENTIALS_V2_URL, {"@base": "https://base.example/"}]),
        ];
        let purposes =
            ["assertionMethod", "authentication", "capabilityInvocation", "keyAgreement", "other"];
        let odd = "quote \" backslash \\ newline \n tab \t unicode ü \u{1F600}";
        let store = ContextStore::new();
        let mut replaced = ContextStore::new();
        // The same text, registered by the caller: no longer dpikit's bundled copy.
        replaced.insert(CREDENTIALS_V2_URL, ssi_contexts::CREDENTIALS_V2).unwrap();
        let (mut taken, mut total) = (0, 0);
        for context in &contexts {
            for (i, vm) in vms.iter().enumerate() {
                let purpose = purposes[i % purposes.len()];
                let mut config = json!({
                    "@context": context,
                    "type": "DataIntegrityProof",
                    "cryptosuite": "eddsa-rdfc-2022",
                    "created": "2026-01-01T00:00:00Z",
                    "verificationMethod": vm,
                    "proofPurpose": purpose,
                });
                let mut variants = vec![config.clone()];
                config["challenge"] = json!(odd);
                config["domain"] = json!("welfare.city.example");
                config["nonce"] = json!("n-1");
                config["expires"] = json!("2027-01-01T00:00:00Z");
                variants.push(config.clone());
                let mut typed = config.clone();
                typed["type"] = json!(["DataIntegrityProof"]);
                variants.push(typed);
                let mut extra = config.clone();
                extra["previousProof"] = json!("urn:uuid:1");
                variants.push(extra);
                let mut numeric = config.clone();
                numeric["nonce"] = json!(7);
                variants.push(numeric);
                let mut other_type = config.clone();
                other_type["type"] = json!("Ed25519Signature2020");
                variants.push(other_type);
                for v in &variants {
                    for s in [&store, &replaced] {
                        total += 1;
                        let general = to_rdf_safe(v, s).and_then(|q| canonical_nquads(&q));
                        match proof_config_quads(v, s) {
                            Ok(Some(quads)) => {
                                taken += 1;
                                assert_eq!(
                                    canonical_nquads(&quads).unwrap(),
                                    general.unwrap(),
                                    "{v}"
                                );
                            }
                            Ok(None) => {}
                            Err(e) => {
                                assert_eq!(Some(e.code()), general.err().map(|g| g.code()), "{v}");
                            }
                        }
                    }
                }
            }
        }
        assert!(taken >= 60, "shortcut taken {taken} of {total}");
        // A replaced VC 2.0 context never takes the shortcut.
        let config = json!({"@context": [CREDENTIALS_V2_URL], "type": "DataIntegrityProof",
            "cryptosuite": "eddsa-rdfc-2022", "proofPurpose": "assertionMethod",
            "verificationMethod": vms[0]});
        assert!(proof_config_quads(&config, &replaced).unwrap().is_none());
        assert!(proof_config_quads(&config, &store).unwrap().is_some());
        assert!(proof_config_quads(&Value::Null, &store).unwrap().is_none());
    }
}
