//! The W3C RDF Dataset Canonicalization (RDFC-1.0) test suite, and unit tests of the N-Quads
//! parser and of canonicalization.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::time::{Duration, Instant};

use dpikit_core::ErrorCode;
use dpikit_credentials::rdf::{Quad, Term};
use dpikit_credentials::rdfc::{
    CanonOptions, HashAlgorithm, MAX_NQUADS_BYTES, canonical_nquads, canonicalize, parse_nquads,
};

const DOMAIN: &str = "vc/rdf-canon";

fn read(dir: &std::path::Path, file: &str) -> String {
    let path = dir.join(file);
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("read {}: {e}", path.display()))
}

#[test]
fn w3c_rdfc10_suite() {
    let Some(dir) = dpikit_testkit::vectors_dir(DOMAIN) else {
        return;
    };
    let manifest: serde_json::Value =
        serde_json::from_str(&read(&dir, "manifest.jsonld")).expect("manifest.jsonld is JSON");
    let entries = manifest["entries"].as_array().expect("manifest entries");
    assert!(!entries.is_empty());

    // The CSV lists each input once, with the kinds of test it has; cross-check the counts.
    let csv = read(&dir, "manifest.csv");
    let csv_rows: Vec<&str> = csv.lines().skip(1).filter(|l| !l.trim().is_empty()).collect();

    let (mut eval, mut map, mut negative) = (0usize, 0usize, 0usize);
    let mut failures = Vec::new();
    let mut slowest_negative = Duration::ZERO;
    for entry in entries {
        let id = entry["id"].as_str().expect("test id");
        let kind = entry["type"].as_str().expect("test type");
        let action = entry["action"].as_str().expect("test action");
        let hash = match entry.get("hashAlgorithm").and_then(serde_json::Value::as_str) {
            None | Some("SHA256") => HashAlgorithm::Sha256,
            Some("SHA384") => HashAlgorithm::Sha384,
            Some(other) => panic!("{id}: unknown hash algorithm {other}"),
        };
        let options = CanonOptions { hash, ..CanonOptions::default() };
        let input = parse_nquads(&read(&dir, action))
            .unwrap_or_else(|e| panic!("{id}: input does not parse: {e}"));
        let start = Instant::now();
        let outcome = canonicalize(&input, &options);
        let elapsed = start.elapsed();
        match kind {
            "rdfc:RDFC10EvalTest" => {
                eval += 1;
                let expected = read(&dir, entry["result"].as_str().expect("result"));
                match outcome {
                    Ok(c) if c.to_nquads() == expected => {}
                    Ok(c) => failures.push(format!(
                        "{id}: output differs\n--- got\n{}--- expected\n{expected}",
                        c.to_nquads()
                    )),
                    Err(e) => failures.push(format!("{id}: {e}")),
                }
            }
            "rdfc:RDFC10MapTest" => {
                map += 1;
                let expected: serde_json::Value =
                    serde_json::from_str(&read(&dir, entry["result"].as_str().expect("result")))
                        .expect("map is JSON");
                let expected = expected.as_object().expect("map is an object");
                match outcome {
                    Ok(c) => {
                        let got: serde_json::Map<String, serde_json::Value> = c
                            .issued
                            .iter()
                            .map(|(k, v)| (k.clone(), serde_json::Value::String(v.clone())))
                            .collect();
                        if got.len() != expected.len()
                            || got.iter().any(|(k, v)| expected.get(k) != Some(v))
                        {
                            failures.push(format!("{id}: map {got:?} != expected {expected:?}"));
                        }
                    }
                    Err(e) => failures.push(format!("{id}: {e}")),
                }
            }
            "rdfc:RDFC10NegativeEvalTest" => {
                negative += 1;
                match outcome {
                    Err(e) if e.code() == ErrorCode::CanonicalizationLimit => {
                        slowest_negative = slowest_negative.max(elapsed);
                        // A bound, not a speed claim: the poison graphs would run for hours
                        // unbounded; 10 s leaves room for a debug build on a loaded machine.
                        assert!(
                            elapsed < Duration::from_secs(10),
                            "{id}: refused only after {elapsed:?}"
                        );
                    }
                    Err(e) => failures.push(format!("{id}: wrong error {e}")),
                    Ok(_) => failures.push(format!("{id}: a poison graph was canonicalized")),
                }
            }
            other => panic!("{id}: unknown test type {other}"),
        }
    }
    assert!(failures.is_empty(), "{} failing tests:\n{}", failures.len(), failures.join("\n"));
    assert_eq!(eval + map + negative, entries.len(), "every manifest entry runs");
    // Each CSV row is one input; it has an eval or a negative test, and maybe a map test.
    assert_eq!(eval + negative, csv_rows.len(), "manifest.jsonld agrees with manifest.csv");
    let csv_maps = csv_rows.iter().filter(|r| r.trim_end().ends_with(",TRUE")).count();
    assert_eq!(map, csv_maps, "map tests agree with manifest.csv");
    let csv_negative = csv_rows.iter().filter(|r| r.contains("NegativeEvalTest")).count();
    assert_eq!(negative, csv_negative, "negative tests agree with manifest.csv");
    eprintln!("RDFC-1.0 suite: {eval} eval, {map} map, {negative} negative tests pass");
    eprintln!("slowest negative refusal: {slowest_negative:?}");
}

fn quad(s: Term, p: &str, o: Term) -> Quad {
    Quad { subject: s, predicate: Term::iri(p), object: o, graph: None }
}

#[test]
fn parser_rejects_malformed_lines() {
    let bad = [
        "<http://a/s> <http://a/p> <http://a/o>",     // no '.'
        "<http://a/s> <http://a/p> .",                // no object
        "<http://a/s> _:p <http://a/o> .",            // blank predicate
        "\"s\" <http://a/p> <http://a/o> .",          // literal subject
        "<http://a/s> <http://a/p> \"unterminated .", // open string
        "<http://a/s> <http://a/p> \"x\\q\" .",       // bad ECHAR
        "<http://a/s> <http://a/p> \"\\u12\" .",      // short UCHAR
        "<http://a/s> <http://a/p> \"\\uD800\" .",    // surrogate
        "<http://a/s> <http://a/p> <http://a/o> <http://a/g> <http://a/x> .",
        "<http://a/s> <http://a/p> <http://a/o> . extra", // trailing text
        "<http://a/s> <http://a/p> <rel> .",              // relative IRI
        "<http://a/s> <http://a/p> <http://a/b c> .",     // space in IRI
        "<http://a/s> <http://a/p> <http://a/\\u0020> .", // escaped space in IRI
        "<http://a/s> <http://a/p> \"x\"@ .",             // empty language
        "<http://a/s> <http://a/p> \"x\"@en- .",          // bad language
        "<http://a/s> <http://a/p> \"x\"^^ .",            // no datatype
        "_: <http://a/p> <http://a/o> .",                 // empty label
        "_:-a <http://a/p> <http://a/o> .",               // bad first label char
        "<http://a/s <http://a/p> <http://a/o> .",        // unterminated IRI
        "<http://a/s> <http://a/p> <http://a/o> <http://a/g>", // graph, no '.'
    ];
    for line in bad {
        let doc = format!("<http://a/s> <http://a/p> <http://a/o> .\n{line}\n");
        let err = parse_nquads(&doc).expect_err(line);
        assert_eq!(err.code(), ErrorCode::InvalidNQuads, "{line}: {err}");
        assert!(err.to_string().contains("line 2"), "{line}: {err}");
    }
}

#[test]
fn parser_accepts_the_grammar() {
    let doc = "# comment\r\n\n  <http://a/s>\t<http://a/p> _:b0.\n\
               _:b.1 <http://a/p> \"v\"@en-GB <http://a/g> . # trailing comment\r\
               _:b0 <http://a/p> \"1\"^^<http://www.w3.org/2001/XMLSchema#integer> _:g .\n\
               <http://a/s><http://a/p>\"x\"^^<http://www.w3.org/2001/XMLSchema#string>.";
    let quads = parse_nquads(doc).unwrap();
    assert_eq!(quads.len(), 4);
    assert_eq!(quads[0].object, Term::blank("b0"));
    assert_eq!(quads[1].subject, Term::blank("b.1"));
    assert_eq!(quads[1].object, Term::lang_string("v", "en-GB"));
    assert_eq!(quads[1].graph, Some(Term::iri("http://a/g")));
    assert_eq!(quads[2].object, Term::typed("1", "http://www.w3.org/2001/XMLSchema#integer"));
    assert_eq!(quads[2].graph, Some(Term::blank("g")));
    assert_eq!(quads[3].object, Term::string("x"));
    assert_eq!(
        quads[3].to_nquads(),
        "<http://a/s> <http://a/p> \"x\" .\n",
        "xsd:string is written as a plain literal"
    );
}

#[test]
fn parser_limits_input_size() {
    let big = " ".repeat(MAX_NQUADS_BYTES + 1);
    assert_eq!(parse_nquads(&big).unwrap_err().code(), ErrorCode::InputTooLarge);
}

#[test]
fn literal_with_every_escape_round_trips() {
    let doc = "<http://a/s> <http://a/p> \
               \"t\\tb\\bn\\nr\\rf\\fq\\\"a\\'s\\\\u\\u00e9U\\U0001F600c\\u0001d\\u007F\" .\n";
    let quads = parse_nquads(doc).unwrap();
    let Term::Literal(lit) = &quads[0].object else { panic!("literal expected") };
    assert_eq!(lit.value, "t\tb\u{8}n\nr\rf\u{c}q\"a's\\u\u{e9}U\u{1F600}c\u{1}d\u{7f}");
    let canonical = quads[0].to_nquads();
    assert_eq!(
        canonical,
        "<http://a/s> <http://a/p> \
         \"t\\tb\\bn\\nr\\rf\\fq\\\"a's\\\\u\u{e9}U\u{1F600}c\\u0001d\\u007F\" .\n"
    );
    assert_eq!(parse_nquads(&canonical).unwrap(), quads);
    assert_eq!(canonical_nquads(&quads).unwrap(), canonical);
}

#[test]
fn duplicate_quads_are_deduplicated() {
    let doc = "_:x <http://a/p> _:y .\n_:x <http://a/p> _:y .\n\
               _:y <http://a/q> \"v\" .\n_:y <http://a/q> \"v\" .\n";
    let quads = parse_nquads(doc).unwrap();
    let once = parse_nquads("_:x <http://a/p> _:y .\n_:y <http://a/q> \"v\" .\n").unwrap();
    let c = canonicalize(&quads, &CanonOptions::default()).unwrap();
    assert_eq!(c.quads.len(), 2);
    assert_eq!(c.to_nquads(), canonical_nquads(&once).unwrap());
    assert_eq!(c.issued.len(), 2);
}

#[test]
fn canonicalization_ignores_labels_and_order() {
    let a = parse_nquads(
        "_:a <http://a/p> _:b .\n_:b <http://a/p> _:c .\n_:c <http://a/p> _:a .\n\
         _:a <http://a/name> \"x\" .\n",
    )
    .unwrap();
    let b = parse_nquads(
        "_:n3 <http://a/name> \"x\" .\n_:n1 <http://a/p> _:n3 .\n_:n2 <http://a/p> _:n1 .\n\
         _:n3 <http://a/p> _:n2 .\n",
    )
    .unwrap();
    assert_eq!(canonical_nquads(&a).unwrap(), canonical_nquads(&b).unwrap());
}

#[test]
fn sha384_changes_the_hashes_not_the_form() {
    // Two indistinguishable nodes: Hash N-Degree Quads runs with the chosen hash.
    let quads = parse_nquads("_:a <http://a/p> _:b .\n_:b <http://a/p> _:a .\n").unwrap();
    let opts = CanonOptions { hash: HashAlgorithm::Sha384, ..CanonOptions::default() };
    let c = canonicalize(&quads, &opts).unwrap();
    assert_eq!(c.to_nquads(), "_:c14n0 <http://a/p> _:c14n1 .\n_:c14n1 <http://a/p> _:c14n0 .\n");
}

#[test]
fn invalid_terms_are_refused() {
    let cases = [
        quad(Term::iri("http://a/s"), "http://a/p", Term::iri("http://a/o> <http://a/x")),
        quad(Term::string("s"), "http://a/p", Term::iri("http://a/o")),
        quad(Term::iri("http://a/s"), "http://a/p", Term::lang_string("x", "en .")),
        quad(Term::iri("http://a/s"), "http://a/p", Term::typed("x", "http://a/t>")),
        quad(Term::iri("http://a/s"), "http://a/p", Term::iri("http://a/o\n")),
        quad(Term::iri("http://a/s"), "http://a/p", Term::iri("http://a/ o")),
    ];
    for q in cases {
        let err = canonical_nquads(std::slice::from_ref(&q)).unwrap_err();
        assert_eq!(err.code(), ErrorCode::InvalidNQuads, "{q:?}");
    }
    let blank_predicate = Quad {
        subject: Term::iri("http://a/s"),
        predicate: Term::blank("p"),
        object: Term::iri("http://a/o"),
        graph: None,
    };
    assert_eq!(canonical_nquads(&[blank_predicate]).unwrap_err().code(), ErrorCode::InvalidNQuads);
}

/// A ring of identical blank nodes deeper than the depth limit is refused (not a stack
/// overflow, even at the default limit on a test thread's stack); a shallower one
/// canonicalizes.
#[test]
fn deep_rings_hit_the_depth_limit() {
    let ring = |n: usize| {
        (0..n)
            .map(|i| {
                quad(
                    Term::blank(format!("r{i}")),
                    "http://a/next",
                    Term::blank(format!("r{}", (i + 1) % n)),
                )
            })
            .collect::<Vec<_>>()
    };
    let opts = CanonOptions { max_work: u64::MAX, max_depth: 40, ..CanonOptions::default() };
    let ok = canonicalize(&ring(30), &opts).unwrap();
    assert_eq!(ok.issued.len(), 30);
    let err = canonicalize(&ring(50), &opts).unwrap_err();
    assert_eq!(err.code(), ErrorCode::CanonicalizationLimit);

    let deep = CanonOptions { max_work: u64::MAX, ..CanonOptions::default() };
    let err = canonicalize(&ring(deep.max_depth + 20), &deep).unwrap_err();
    assert_eq!(err.code(), ErrorCode::CanonicalizationLimit);
    // With the default work limit, the quadratic work stops long rings first.
    let err = canonicalize(&ring(200), &CanonOptions::default()).unwrap_err();
    assert_eq!(err.code(), ErrorCode::CanonicalizationLimit);
}

/// Canonical output does not depend on input labels or order, also when temporary issuers
/// grow past their small-size representation (a ring of 40 identical nodes).
#[test]
fn large_issuers_are_label_and_order_independent() {
    let n = 40;
    let ring = |label: &dyn Fn(usize) -> String, reverse: bool| {
        let mut quads: Vec<Quad> = (0..n)
            .map(|i| quad(Term::blank(label(i)), "http://a/next", Term::blank(label((i + 1) % n))))
            .collect();
        quads.push(quad(Term::blank(label(7)), "http://a/name", Term::string("seven")));
        if reverse {
            quads.reverse();
        }
        quads
    };
    let opts = CanonOptions { max_work: u64::MAX, ..CanonOptions::default() };
    let a = canonicalize(&ring(&|i| format!("a{i}"), false), &opts).unwrap();
    let b = canonicalize(&ring(&|i| format!("z{}", 3 * i + 1), true), &opts).unwrap();
    assert_eq!(a.to_nquads(), b.to_nquads());
    assert_eq!(a.issued.len(), n);
    // With no distinguishing literal, every node is alike: one Hash N-Degree Quads walk
    // issues the whole ring.
    let plain: Vec<Quad> = (0..n)
        .map(|i| {
            quad(
                Term::blank(format!("r{i}")),
                "http://a/next",
                Term::blank(format!("r{}", (i + 1) % n)),
            )
        })
        .collect();
    let mut shuffled = plain.clone();
    shuffled.rotate_left(13);
    assert_eq!(
        canonicalize(&plain, &opts).unwrap().to_nquads(),
        canonicalize(&shuffled, &opts).unwrap().to_nquads()
    );
}

/// Two identical stars with many leaves need factorially many permutations: refused fast.
#[test]
fn wide_permutations_hit_the_work_limit() {
    let mut quads = Vec::new();
    for star in 0..2 {
        for leaf in 0..12 {
            quads.push(quad(
                Term::blank(format!("c{star}")),
                "http://a/p",
                Term::blank(format!("l{star}_{leaf}")),
            ));
            quads.push(quad(
                Term::blank(format!("l{star}_{leaf}")),
                "http://a/q",
                Term::blank(format!("c{}", 1 - star)),
            ));
        }
    }
    let start = Instant::now();
    let err = canonicalize(&quads, &CanonOptions::default()).unwrap_err();
    assert_eq!(err.code(), ErrorCode::CanonicalizationLimit);
    assert!(start.elapsed() < Duration::from_secs(10));
}
