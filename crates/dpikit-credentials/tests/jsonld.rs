//! Offline JSON-LD → RDF: the W3C vc-di-eddsa (eddsa-rdfc-2022) vectors, errors, the
//! processed-context cache, and the toRdf literal rules.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use dpikit_core::{ErrorCode, Limits, parse_json};
use dpikit_credentials::CredentialError;
use dpikit_credentials::jsonld::{ContextStore, to_rdf};
use dpikit_credentials::rdf::{Quad, Term};
use serde_json::{Value, json};

const CREDENTIALS_V2: &str = "https://www.w3.org/ns/credentials/v2";
const EXAMPLES_V2: &str = "https://www.w3.org/ns/credentials/examples/v2";

/// The bundled contexts plus the two vector contexts (the current W3C texts), or `None`
/// when the vectors are absent outside CI.
fn vector_store() -> Option<ContextStore> {
    let mut store = ContextStore::new();
    for (url, file) in [
        (CREDENTIALS_V2, "contexts/credentials-v2.jsonld"),
        (EXAMPLES_V2, "contexts/credentials-examples-v2.jsonld"),
    ] {
        let text = dpikit_testkit::read_vector_string("vc/eddsa", file)?;
        store.insert(url, &text).unwrap();
    }
    Some(store)
}

fn vector_json(domain: &str, file: &str) -> Option<Value> {
    let bytes = dpikit_testkit::read_vector(domain, file)?;
    Some(parse_json(&bytes, &Limits::default()).unwrap())
}

/// The quads as N-Quads lines, sorted and concatenated.
fn sorted_nquads(quads: &[Quad]) -> String {
    let mut lines: Vec<String> = quads.iter().map(Quad::to_nquads).collect();
    lines.sort();
    lines.concat()
}

/// Expands `doc` with a store holding `contexts` (URL, JSON) and returns sorted N-Quads.
fn nquads_with(contexts: &[(&str, &str)], doc: &Value) -> String {
    let mut store = ContextStore::empty();
    for (url, json) in contexts {
        store.insert(url, json).unwrap();
    }
    sorted_nquads(&to_rdf(doc, &store).unwrap())
}

#[test]
fn unsigned_credential_matches_canon_doc_vector() {
    let Some(store) = vector_store() else { return };
    let Some(doc) = vector_json("vc/eddsa", "unsigned.json") else { return };
    let Some(expected) =
        dpikit_testkit::read_vector_string("vc/eddsa-rdfc-2022", "canonDocDataInt.txt")
    else {
        return;
    };
    let quads = to_rdf(&doc, &store).unwrap();
    assert!(quads.iter().all(|q| !q.subject.is_blank() && !q.object.is_blank()));
    assert_eq!(sorted_nquads(&quads), expected);
}

/// Relabels every blank node to `c14n0` (for datasets with one blank node).
fn single_blank_to_c14n0(quads: &mut [Quad]) {
    for quad in quads {
        for term in [&mut quad.subject, &mut quad.object] {
            if term.is_blank() {
                *term = Term::blank("c14n0");
            }
        }
    }
}

#[test]
fn cached_and_uncached_routes_agree() {
    // A top-level array is expanded without the processed-context cache.
    let Some(store) = vector_store() else { return };
    for (domain, file) in
        [("vc/eddsa", "unsigned.json"), ("vc/eddsa-rdfc-2022", "proofConfigDataInt.json")]
    {
        let Some(doc) = vector_json(domain, file) else { return };
        let mut cached = to_rdf(&doc, &store).unwrap();
        let mut uncached = to_rdf(&Value::Array(vec![doc]), &store).unwrap();
        single_blank_to_c14n0(&mut cached);
        single_blank_to_c14n0(&mut uncached);
        assert_eq!(sorted_nquads(&cached), sorted_nquads(&uncached), "{file}");
    }
}

#[test]
fn proof_config_matches_proof_canon_vector() {
    let Some(store) = vector_store() else { return };
    let Some(doc) = vector_json("vc/eddsa-rdfc-2022", "proofConfigDataInt.json") else { return };
    let Some(expected) =
        dpikit_testkit::read_vector_string("vc/eddsa-rdfc-2022", "proofCanonDataInt.txt")
    else {
        return;
    };
    let mut quads = to_rdf(&doc, &store).unwrap();
    let mut blanks: Vec<String> = quads
        .iter()
        .flat_map(|q| [&q.subject, &q.object])
        .filter_map(|t| match t {
            Term::Blank(label) => Some(label.clone()),
            _ => None,
        })
        .collect();
    blanks.dedup();
    assert_eq!(blanks.len(), 1, "exactly one blank node: {blanks:?}");
    single_blank_to_c14n0(&mut quads);
    assert_eq!(sorted_nquads(&quads), expected);
}

#[test]
fn bundled_contexts_alone_handle_a_credential_with_an_inline_context() {
    let store = ContextStore::new();
    assert_eq!(
        store.urls(),
        [
            "https://w3id.org/security/data-integrity/v2",
            "https://w3id.org/security/multikey/v1",
            "https://www.w3.org/ns/credentials/v2",
            "https://www.w3.org/ns/did/v1",
        ]
    );
    let doc = json!({
        "@context": [CREDENTIALS_V2, {"alumniOf": "https://example.org/alumniOf"}],
        "id": "urn:uuid:1",
        "type": ["VerifiableCredential"],
        "issuer": "did:example:issuer",
        "validFrom": "2023-01-01T00:00:00Z",
        "credentialSubject": {"id": "did:example:s", "alumniOf": "The School"}
    });
    let nq = sorted_nquads(&to_rdf(&doc, &store).unwrap());
    assert_eq!(
        nq,
        "<did:example:s> <https://example.org/alumniOf> \"The School\" .\n\
         <urn:uuid:1> <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> <https://www.w3.org/2018/credentials#VerifiableCredential> .\n\
         <urn:uuid:1> <https://www.w3.org/2018/credentials#credentialSubject> <did:example:s> .\n\
         <urn:uuid:1> <https://www.w3.org/2018/credentials#issuer> <did:example:issuer> .\n\
         <urn:uuid:1> <https://www.w3.org/2018/credentials#validFrom> \"2023-01-01T00:00:00Z\"^^<http://www.w3.org/2001/XMLSchema#dateTime> .\n"
    );
}

#[test]
fn multikey_and_did_contexts_are_usable() {
    let store = ContextStore::new();
    let doc = json!({
        "@context": ["https://www.w3.org/ns/did/v1", "https://w3id.org/security/multikey/v1"],
        "id": "did:example:123",
        "verificationMethod": [{
            "id": "did:example:123#k",
            "type": "Multikey",
            "controller": "did:example:123",
            "expires": "2030-01-01T00:00:00Z",
            "publicKeyMultibase": "z6Mk"
        }],
        "assertionMethod": ["did:example:123#k"]
    });
    let nq = sorted_nquads(&to_rdf(&doc, &store).unwrap());
    assert!(nq.contains(
        "<did:example:123#k> <https://w3id.org/security#expiration> \"2030-01-01T00:00:00Z\"^^<http://www.w3.org/2001/XMLSchema#dateTime> .\n"
    ));
    assert!(nq.contains(
        "<did:example:123> <https://w3id.org/security#assertionMethod> <did:example:123#k> .\n"
    ));
    assert_eq!(nq.lines().count(), 6, "{nq}");
}

#[test]
fn unknown_context_urls_are_reported_not_fetched() {
    let store = ContextStore::new();
    let unknown = "https://example.org/unknown/v1";
    let docs = [
        json!({"@context": unknown, "name": "x"}),
        json!({"@context": [CREDENTIALS_V2, unknown], "id": "urn:x"}),
        json!({"@context": {"@version": 1.1, "@import": unknown}, "name": "x"}),
        json!({"@context": {"@vocab": "https://example.org/"}, "p": {"@context": unknown, "q": 1}}),
        json!([{"@context": unknown, "name": "x"}]),
        json!({"@context": {"T": {"@id": "https://example.org/T", "@context": unknown}}, "@type": "T", "p": 1}),
    ];
    for doc in docs {
        let err = to_rdf(&doc, &store).unwrap_err();
        assert_eq!(err.code(), ErrorCode::UnknownContext, "{doc}: {err}");
        assert!(matches!(&err, CredentialError::UnknownContext(url) if url == unknown), "{err:?}");
    }
    // An empty store knows nothing, not even the credentials context.
    let err = to_rdf(&json!({"@context": CREDENTIALS_V2}), &ContextStore::empty()).unwrap_err();
    assert_eq!(err.code(), ErrorCode::UnknownContext);
}

#[test]
fn invalid_contexts_and_documents_are_json_ld_errors() {
    let store = ContextStore::new();
    let docs = [
        json!({"@context": {"name": 5}, "name": "x"}),
        json!({"@context": {"@vocab": 5}}),
        json!({"@context": {"@protected": "yes"}}),
        json!({"@context": [CREDENTIALS_V2, {"id": "https://example.org/id"}], "id": "urn:x"}),
        json!({"@context": {"@vocab": "https://example.org/"}, "@id": 5}),
        json!({"@context": {"@vocab": "https://example.org/"}, "p": {"@value": "x", "@language": "en US"}}),
    ];
    for doc in docs {
        let err = to_rdf(&doc, &store).unwrap_err();
        assert_eq!(err.code(), ErrorCode::JsonLdError, "{doc}: {err}");
    }
    // The same invalid context served from the store.
    let mut store = ContextStore::empty();
    store.insert("https://example.org/bad", r#"{"@context": {"name": true}}"#).unwrap();
    let err = to_rdf(&json!({"@context": "https://example.org/bad"}), &store).unwrap_err();
    assert_eq!(err.code(), ErrorCode::JsonLdError);
}

#[test]
fn insert_checks_its_input() {
    let mut store = ContextStore::empty();
    let cases = [
        ("https://example.org/a", "{", ErrorCode::MalformedJson),
        ("https://example.org/a", r#"{"@context": {}, "@context": {}}"#, ErrorCode::DuplicateKey),
        ("https://example.org/a", r#"{"name": "x"}"#, ErrorCode::JsonLdError),
        ("https://example.org/a", "[]", ErrorCode::JsonLdError),
        ("not a url", r#"{"@context": {}}"#, ErrorCode::JsonLdError),
    ];
    for (url, json, code) in cases {
        assert_eq!(store.insert(url, json).unwrap_err().code(), code, "{json}");
    }
    let deep = format!("{}{}", "{\"@context\":".repeat(70), "{}".to_owned() + &"}".repeat(70));
    assert_eq!(
        store.insert("https://example.org/a", &deep).unwrap_err().code(),
        ErrorCode::NestingTooDeep
    );
    assert!(store.urls().is_empty());
}

#[test]
fn cache_gives_identical_output_and_is_invalidated_by_replacement() {
    let Some(store) = vector_store() else { return };
    let Some(doc) = vector_json("vc/eddsa", "unsigned.json") else { return };
    let first = to_rdf(&doc, &store).unwrap();
    let second = to_rdf(&doc, &store).unwrap();
    assert_eq!(first, second);
    assert_eq!(to_rdf(&doc, &store.clone()).unwrap(), first);

    let url = "https://example.org/ctx";
    let mut store = ContextStore::empty();
    store.insert(url, r#"{"@context": {"name": "https://example.org/v1#name"}}"#).unwrap();
    let doc = json!({"@context": url, "@id": "urn:a", "name": "x"});
    let before = sorted_nquads(&to_rdf(&doc, &store).unwrap());
    assert_eq!(before, "<urn:a> <https://example.org/v1#name> \"x\" .\n");
    assert_eq!(sorted_nquads(&to_rdf(&doc, &store).unwrap()), before);

    // A clone keeps the old context when the original is changed.
    let old = store.clone();
    store.insert(url, r#"{"@context": {"name": "https://example.org/v2#name"}}"#).unwrap();
    assert_eq!(
        sorted_nquads(&to_rdf(&doc, &store).unwrap()),
        "<urn:a> <https://example.org/v2#name> \"x\" .\n"
    );
    assert_eq!(sorted_nquads(&to_rdf(&doc, &old).unwrap()), before);

    // Adding a context that a failed document needed makes it work.
    let mut store = ContextStore::empty();
    let doc = json!({"@context": [url, "https://example.org/other"], "@id": "urn:a", "name": "x"});
    assert_eq!(to_rdf(&doc, &store).unwrap_err().code(), ErrorCode::UnknownContext);
    store.insert(url, r#"{"@context": {"name": "https://example.org/v1#name"}}"#).unwrap();
    store.insert("https://example.org/other", r#"{"@context": {}}"#).unwrap();
    assert_eq!(sorted_nquads(&to_rdf(&doc, &store).unwrap()), before);
}

#[test]
fn a_store_is_shared_across_threads() {
    fn assert_send_sync<T: Send + Sync>() {}
    assert_send_sync::<ContextStore>();

    let Some(store) = vector_store() else { return };
    let Some(doc) = vector_json("vc/eddsa", "unsigned.json") else { return };
    let expected = sorted_nquads(&to_rdf(&doc, &store).unwrap());
    let fresh = store.clone();
    std::thread::scope(|s| {
        let handles: Vec<_> = (0..2)
            .map(|_| {
                s.spawn(|| {
                    (0..20)
                        .map(|_| sorted_nquads(&to_rdf(&doc, &fresh).unwrap()))
                        .collect::<Vec<_>>()
                })
            })
            .collect();
        for handle in handles {
            for nq in handle.join().unwrap() {
                assert_eq!(nq, expected);
            }
        }
    });
}

const VOCAB: &str = "https://example.org/";

fn with_vocab(context: Value, body: Value) -> Value {
    let mut context = context;
    context.as_object_mut().unwrap().insert("@vocab".into(), VOCAB.into());
    let mut doc = body;
    doc.as_object_mut().unwrap().insert("@context".into(), context);
    doc
}

#[test]
fn literals_follow_the_tordf_rules() {
    let doc = with_vocab(
        json!({"d": {"@id": "https://example.org/d", "@type": "http://www.w3.org/2001/XMLSchema#double"}}),
        json!({
            "@id": "urn:s",
            "int": 5,
            "whole": 5.0,
            "big": 1e21,
            "frac": 2.5,
            "tiny": 1.5e-7,
            "neg": -7,
            "d": 3,
            "t": true,
            "s": "a \"quoted\"\nline",
            "l": {"@value": "Hallo", "@language": "de-DE"},
            "dir": {"@value": "x", "@direction": "rtl"},
            "dt": {"@value": "2020", "@type": "http://www.w3.org/2001/XMLSchema#gYear"}
        }),
    );
    let x = "http://www.w3.org/2001/XMLSchema#";
    let expected = [
        format!("<urn:s> <{VOCAB}big> \"1.0E21\"^^<{x}double> .\n"),
        format!("<urn:s> <{VOCAB}d> \"3.0E0\"^^<{x}double> .\n"),
        format!("<urn:s> <{VOCAB}dir> \"x\" .\n"),
        format!("<urn:s> <{VOCAB}dt> \"2020\"^^<{x}gYear> .\n"),
        format!("<urn:s> <{VOCAB}frac> \"2.5E0\"^^<{x}double> .\n"),
        format!("<urn:s> <{VOCAB}int> \"5\"^^<{x}integer> .\n"),
        format!("<urn:s> <{VOCAB}l> \"Hallo\"@de-de .\n"),
        format!("<urn:s> <{VOCAB}neg> \"-7\"^^<{x}integer> .\n"),
        format!("<urn:s> <{VOCAB}s> \"a \\\"quoted\\\"\\nline\" .\n"),
        format!("<urn:s> <{VOCAB}t> \"true\"^^<{x}boolean> .\n"),
        format!("<urn:s> <{VOCAB}tiny> \"1.5E-7\"^^<{x}double> .\n"),
        format!("<urn:s> <{VOCAB}whole> \"5\"^^<{x}integer> .\n"),
    ]
    .concat();
    assert_eq!(nquads_with(&[], &doc), expected);
}

#[test]
fn json_literals_are_jcs_canonical() {
    let doc = with_vocab(
        json!({"j": {"@id": "https://example.org/j", "@type": "@json"}}),
        json!({"@id": "urn:s", "j": {"b": [1.0, 2.50, "\u{20ac}"], "a": {"z": null, "y": true}}}),
    );
    assert_eq!(
        nquads_with(&[], &doc),
        "<urn:s> <https://example.org/j> \"{\\\"a\\\":{\\\"y\\\":true,\\\"z\\\":null},\\\"b\\\":[1,2.5,\\\"\u{20ac}\\\"]}\"^^<http://www.w3.org/1999/02/22-rdf-syntax-ns#JSON> .\n"
    );
}

#[test]
fn lists_graphs_and_blank_nodes() {
    let doc = with_vocab(
        json!({"l": {"@id": "https://example.org/l", "@container": "@list"},
               "g": {"@id": "https://example.org/g", "@type": "@id", "@container": "@graph"}}),
        json!({
            "@id": "urn:s",
            "l": ["a", ["b"], {"p": "c"}],
            "empty": {"@list": []},
            "g": {"p": "in graph"},
            "anon": [{"p": "x"}, {"p": "x"}]
        }),
    );
    let quads = to_rdf(&doc, &ContextStore::empty()).unwrap();
    let nq = sorted_nquads(&quads);
    let rdf = "http://www.w3.org/1999/02/22-rdf-syntax-ns#";
    assert!(nq.contains(&format!("<urn:s> <{VOCAB}empty> <{rdf}nil> .\n")), "{nq}");
    assert_eq!(nq.matches(&format!("<{rdf}first>")).count(), 4, "{nq}");
    assert_eq!(nq.matches(&format!("<{rdf}rest> <{rdf}nil>")).count(), 2, "{nq}");
    // Two anonymous property values stay two blank nodes.
    assert_eq!(nq.matches(&format!("<{VOCAB}p> \"x\" .\n")).count(), 2, "{nq}");
    // The `@graph` container puts its node in a named graph labelled by a blank node.
    let in_graph: Vec<&Quad> = quads.iter().filter(|q| q.graph.is_some()).collect();
    assert_eq!(in_graph.len(), 1, "{nq}");
    assert!(in_graph[0].graph.as_ref().unwrap().is_blank());
    assert!(quads.iter().any(|q| Some(&q.object) == in_graph[0].graph.as_ref()));
    // Every blank node label is well-formed for N-Quads.
    for q in &quads {
        for t in [&q.subject, &q.object] {
            if let Term::Blank(label) = t {
                assert!(label.chars().all(|c| c.is_ascii_alphanumeric()), "{label}");
            }
        }
    }
}

#[test]
fn relative_iris_blank_predicates_and_duplicates_are_dropped() {
    let doc = with_vocab(
        json!({"bp": "_:pred"}),
        json!({
            "@id": "urn:s",
            "p": ["x", "x", {"@id": "relative"}],
            "bp": "dropped",
            "@reverse": {"q": {"@id": "urn:r"}}
        }),
    );
    assert_eq!(
        nquads_with(&[], &doc),
        format!("<urn:r> <{VOCAB}q> <urn:s> .\n<urn:s> <{VOCAB}p> \"x\" .\n")
    );
    let doc = json!([{"@id": "relative", "https://example.org/p": "x"}, {"@id": "urn:a", "https://example.org/p": "y"}]);
    assert_eq!(nquads_with(&[], &doc), "<urn:a> <https://example.org/p> \"y\" .\n");
}

#[test]
fn scoped_and_imported_contexts_come_from_the_store() {
    let contexts = [
        ("https://example.org/base", r#"{"@context": {"@vocab": "https://example.org/v#"}}"#),
        (
            "https://example.org/importer",
            r#"{"@context": {"@version": 1.1, "@import": "https://example.org/base", "n": "https://example.org/n"}}"#,
        ),
    ];
    let doc = json!({
        "@context": "https://example.org/importer",
        "@id": "urn:s",
        "n": 1,
        "other": {"@context": "https://example.org/base", "@id": "urn:o", "k": "v"}
    });
    assert_eq!(
        nquads_with(&contexts, &doc),
        "<urn:o> <https://example.org/v#k> \"v\" .\n\
         <urn:s> <https://example.org/n> \"1\"^^<http://www.w3.org/2001/XMLSchema#integer> .\n\
         <urn:s> <https://example.org/v#other> <urn:o> .\n"
    );
}
