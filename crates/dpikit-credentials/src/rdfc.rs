//! RDF Dataset Canonicalization (W3C RDFC-1.0) and an N-Quads 1.1 parser.
//!
//! [`canonicalize`] relabels the blank nodes of a dataset with canonical identifiers
//! (`c14n0`, `c14n1`, …) exactly as <https://www.w3.org/TR/rdf-canon/> specifies, and returns
//! the quads sorted in code point order of their canonical N-Quads lines. This is the
//! canonicalization step of the `eddsa-rdfc-2022` and `ecdsa-rdfc-2019` cryptosuites.
//!
//! Hostile input is bounded: [`parse_nquads`] refuses text over [`MAX_NQUADS_BYTES`] or with
//! more than [`MAX_QUADS`] statements, and [`canonicalize`] refuses datasets whose Hash N-Degree
//! Quads work exceeds [`CanonOptions::max_work`] or nests deeper than
//! [`CanonOptions::max_depth`] ("poison graphs", RDFC-1.0 §5).

use core::cmp::Ordering;
use core::fmt::Write as _;
use std::collections::HashMap;

use dpikit_core::CoreError;
use sha2::{Digest as _, Sha256, Sha384};

use crate::error::{CredentialError, Result};
use crate::rdf::{Literal, Quad, RDF_LANG_STRING, Term, XSD_STRING};

/// The largest N-Quads text [`parse_nquads`] accepts, in bytes (16 MiB).
pub const MAX_NQUADS_BYTES: usize = 16 * 1024 * 1024;

/// The most quads [`parse_nquads`] returns and [`canonicalize`] accepts.
pub const MAX_QUADS: usize = 1_000_000;

/// The default [`CanonOptions::max_work`].
///
/// The hardest computable tests of the W3C suite ("poison – evil", test044–046) need 6 156
/// units, a quarter of it; the suite's poison clique (test074) exhausts it in about 8 ms in
/// a release build. Typical credentials need a few units, or none when every blank node has
/// a unique first-degree hash. A ring of `n` indistinguishable blank nodes needs 6–10 `n²`
/// units (2 520 for 20 nodes, 12 520 for 40, 33 600 for 60), so the default admits rings of
/// up to about 50 such nodes; raise [`CanonOptions::max_work`] for more.
pub const DEFAULT_MAX_WORK: u64 = 25_000;

/// The default [`CanonOptions::max_depth`].
pub const DEFAULT_MAX_DEPTH: usize = 256;

// ---------------------------------------------------------------------------------------------
// Options and results
// ---------------------------------------------------------------------------------------------

/// The hash function of RDFC-1.0 (SHA-256 unless a cryptosuite says otherwise).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum HashAlgorithm {
    /// SHA-256, the RDFC-1.0 default.
    #[default]
    Sha256,
    /// SHA-384 (e.g. `ecdsa-rdfc-2019` with P-384).
    Sha384,
}

/// Options of [`canonicalize`]: the hash function and the limits against poison graphs.
///
/// The work limit counts, inside the Hash N-Degree Quads algorithm (RDFC-1.0 §4.8), one unit
/// per invocation, one per related blank node hashed, and one per permutation examined plus
/// one per 16 blank nodes in the permutation and in the issuer it copies. The first-degree
/// hashing of every blank node is linear in the input and is not counted. A unit costs well
/// under a microsecond in a release build, so the default budget bounds a refusal to about
/// ten milliseconds plus the linear work.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CanonOptions {
    /// The hash function ([`HashAlgorithm::Sha256`] by default).
    pub hash: HashAlgorithm,
    /// The most work units of Hash N-Degree Quads ([`DEFAULT_MAX_WORK`] by default).
    pub max_work: u64,
    /// The deepest nesting of Hash N-Degree Quads invocations ([`DEFAULT_MAX_DEPTH`] by
    /// default); it also bounds the stack the algorithm uses.
    pub max_depth: usize,
}

impl Default for CanonOptions {
    fn default() -> Self {
        CanonOptions {
            hash: HashAlgorithm::Sha256,
            max_work: DEFAULT_MAX_WORK,
            max_depth: DEFAULT_MAX_DEPTH,
        }
    }
}

/// A canonicalized dataset: relabelled quads and the blank node identifier map.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Canonicalized {
    /// The quads with canonical blank node labels, without duplicates, sorted in code point
    /// order of their N-Quads lines.
    pub quads: Vec<Quad>,
    /// Input blank node label → canonical label (`c14n0`, …), in the order issued.
    pub issued: Vec<(String, String)>,
}

impl Canonicalized {
    /// Returns the canonical N-Quads document: every quad's line, in order.
    #[must_use]
    pub fn to_nquads(&self) -> String {
        let mut out = String::new();
        for q in &self.quads {
            q.write_nquads(&mut out);
        }
        out
    }
}

// ---------------------------------------------------------------------------------------------
// Public entry points
// ---------------------------------------------------------------------------------------------

/// Canonicalizes `quads` with RDFC-1.0 and the default options, as canonical N-Quads.
///
/// # Errors
///
/// As [`canonicalize`]: [`CredentialError::CanonicalizationLimit`] for a poison graph or a
/// dataset over [`MAX_QUADS`], [`CredentialError::InvalidNQuads`] for a quad that is not
/// valid RDF.
///
/// # Examples
///
/// ```
/// use dpikit_credentials::rdf::{Quad, Term};
/// use dpikit_credentials::rdfc::canonical_nquads;
///
/// let quads = vec![
///     Quad {
///         subject: Term::blank("x"),
///         predicate: Term::iri("http://example.org/name"),
///         object: Term::string("Alice"),
///         graph: None,
///     },
///     Quad {
///         subject: Term::iri("http://example.org/a"),
///         predicate: Term::iri("http://example.org/knows"),
///         object: Term::blank("x"),
///         graph: None,
///     },
/// ];
/// assert_eq!(
///     canonical_nquads(&quads)?,
///     "<http://example.org/a> <http://example.org/knows> _:c14n0 .\n\
///      _:c14n0 <http://example.org/name> \"Alice\" .\n"
/// );
/// # Ok::<(), dpikit_credentials::CredentialError>(())
/// ```
pub fn canonical_nquads(quads: &[Quad]) -> Result<String> {
    let options = CanonOptions::default();
    let prepared = Prepared::new(quads)?;
    let canon = label_blank_nodes(&prepared, &options)?;
    let lines = prepared.canonical_lines(&canon.labels);
    let mut out = String::with_capacity(lines.text.len());
    for r in &lines.order {
        out.push_str(&lines.text[r.0.clone()]);
    }
    Ok(out)
}

/// Canonicalizes `quads` with RDFC-1.0 (W3C Recommendation, 21 May 2024).
///
/// Identical quads count once (a dataset is a set). Blank nodes are relabelled `c14n0`,
/// `c14n1`, … and the quads are returned sorted in code point order of their canonical
/// N-Quads lines, which [`Canonicalized::to_nquads`] concatenates.
///
/// # Errors
///
/// - [`CredentialError::CanonicalizationLimit`] when the Hash N-Degree Quads algorithm exceeds
///   `options.max_work` or `options.max_depth` (a poison graph), or `quads` has more than
///   [`MAX_QUADS`] quads;
/// - [`CredentialError::InvalidNQuads`] when a quad could make the canonical form ambiguous:
///   a subject or graph name that is a literal, a predicate that is not an IRI, an IRI or
///   datatype with a space, a control character or `>`, or a language tag with a character
///   other than ASCII letters, digits and `-`. (Other characters the N-Quads grammar forbids
///   in IRIs, such as `{` or `|`, are written as they are, as JSON-LD processors do.)
pub fn canonicalize(quads: &[Quad], options: &CanonOptions) -> Result<Canonicalized> {
    let prepared = Prepared::new(quads)?;
    let canon = label_blank_nodes(&prepared, options)?;
    let lines = prepared.canonical_lines(&canon.labels);
    let mut out = Vec::with_capacity(lines.order.len());
    let names: Vec<String> = canon.labels.iter().map(|&n| canonical_label(n)).collect();
    for (_, qi) in &lines.order {
        let q = &quads[prepared.source[*qi]];
        let relabel = |t: &Term| match t {
            Term::Blank(b) => match prepared.blank_index.get(b.as_str()) {
                Some(&i) => Term::Blank(names[i as usize].clone()),
                None => t.clone(),
            },
            _ => t.clone(),
        };
        out.push(Quad {
            subject: relabel(&q.subject),
            predicate: q.predicate.clone(),
            object: relabel(&q.object),
            graph: q.graph.as_ref().map(relabel),
        });
    }
    let issued = canon
        .issue_order
        .iter()
        .map(|&n| (prepared.labels[n as usize].to_owned(), names[n as usize].clone()))
        .collect();
    Ok(Canonicalized { quads: out, issued })
}

// ---------------------------------------------------------------------------------------------
// Prepared dataset
// ---------------------------------------------------------------------------------------------

/// One component of a prepared quad.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Part {
    /// A non-blank term, already in N-Quads form: a byte range of `Prepared::text`.
    Text(usize, usize),
    /// A blank node, by index.
    Blank(u32),
    /// No graph name (the default graph).
    Absent,
}

/// The deduplicated dataset with its terms serialized once and blank nodes indexed.
struct Prepared<'a> {
    /// The N-Quads forms of every non-blank term, back to back.
    text: String,
    /// Subject, predicate, object and graph of every distinct quad, in input order.
    quads: Vec<[Part; 4]>,
    /// The index in the input of each entry of `quads`.
    source: Vec<usize>,
    /// Blank node labels by index, in order of first appearance.
    labels: Vec<&'a str>,
    /// Blank node label → index.
    blank_index: HashMap<&'a str, u32>,
    /// Quads of blank node `n`: `node_quads[node_start[n]..node_start[n + 1]]`.
    node_start: Vec<usize>,
    /// Quad indices, grouped by blank node (each quad once per node).
    node_quads: Vec<u32>,
}

/// Canonical lines: one text buffer and (range, quad index) in sorted order.
struct Lines {
    text: String,
    order: Vec<(core::ops::Range<usize>, usize)>,
}

fn invalid(msg: impl Into<String>) -> CredentialError {
    CredentialError::InvalidNQuads(msg.into())
}

fn limit(msg: impl Into<String>) -> CredentialError {
    CredentialError::CanonicalizationLimit(msg.into())
}

/// Returns whether `c` may appear unescaped in an N-Quads IRIREF.
fn iri_char_ok(c: char) -> bool {
    !matches!(c, '\0'..=' ' | '<' | '>' | '"' | '{' | '}' | '|' | '^' | '`' | '\\')
}

/// Returns whether `c` can be written inside `<…>` without ending the IRI or the line. Looser
/// than the N-Quads grammar (as JSON-LD processors are), but enough for the canonical form to
/// be unambiguous: no other dataset serializes to the same bytes.
fn unambiguous_iri_char(c: char) -> bool {
    c > ' ' && c != '>' && c != '\u{7f}'
}

/// Returns whether `tag` matches `[a-zA-Z]+ ('-' [a-zA-Z0-9]+)*`.
fn lang_ok(tag: &str) -> bool {
    let mut subtags = tag.split('-');
    let first_ok =
        subtags.next().is_some_and(|s| !s.is_empty() && s.bytes().all(|b| b.is_ascii_alphabetic()));
    first_ok && subtags.all(|s| !s.is_empty() && s.bytes().all(|b| b.is_ascii_alphanumeric()))
}

/// Serializes terms once and indexes blank nodes in order of first appearance.
struct Builder<'a> {
    text: String,
    labels: Vec<&'a str>,
    blank_index: HashMap<&'a str, u32>,
}

impl<'a> Builder<'a> {
    fn term(&mut self, t: &'a Term) -> Result<Part> {
        match t {
            Term::Blank(b) => {
                if let Some(&i) = self.blank_index.get(b.as_str()) {
                    return Ok(Part::Blank(i));
                }
                let i =
                    u32::try_from(self.labels.len()).map_err(|_| limit("too many blank nodes"))?;
                self.labels.push(b.as_str());
                self.blank_index.insert(b.as_str(), i);
                Ok(Part::Blank(i))
            }
            Term::Iri(iri) => {
                if !iri.chars().all(unambiguous_iri_char) {
                    return Err(invalid(format!("IRI {iri:?} has a space, control or '>'")));
                }
                Ok(self.text_part(t))
            }
            Term::Literal(lit) => {
                match &lit.language {
                    Some(lang)
                        if lang.is_empty()
                            || !lang.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-') =>
                    {
                        return Err(invalid(format!("malformed language tag {lang:?}")));
                    }
                    None if !lit.datatype.chars().all(unambiguous_iri_char) => {
                        return Err(invalid(format!(
                            "datatype IRI {:?} has a space, control or '>'",
                            lit.datatype
                        )));
                    }
                    _ => {}
                }
                Ok(self.text_part(t))
            }
        }
    }

    fn text_part(&mut self, t: &Term) -> Part {
        let start = self.text.len();
        t.write_nquads(&mut self.text);
        Part::Text(start, self.text.len())
    }

    fn quad(&mut self, q: &'a Quad) -> Result<[Part; 4]> {
        if matches!(q.subject, Term::Literal(_)) {
            return Err(invalid("a subject is a literal"));
        }
        if !matches!(q.predicate, Term::Iri(_)) {
            return Err(invalid("a predicate is not an IRI"));
        }
        if matches!(q.graph, Some(Term::Literal(_))) {
            return Err(invalid("a graph name is a literal"));
        }
        Ok([
            self.term(&q.subject)?,
            self.term(&q.predicate)?,
            self.term(&q.object)?,
            match &q.graph {
                Some(g) => self.term(g)?,
                None => Part::Absent,
            },
        ])
    }
}

/// Returns, for each quad, whether it is the first of its identical copies.
fn first_copies(parts: &[[Part; 4]], text: &str) -> Vec<bool> {
    let mut keep = vec![true; parts.len()];
    if parts.len() < 2 {
        return keep;
    }
    let key_cmp = |a: &[Part; 4], b: &[Part; 4]| -> Ordering {
        for (x, y) in a.iter().zip(b) {
            let o = match (x, y) {
                (Part::Text(s1, e1), Part::Text(s2, e2)) => text[*s1..*e1].cmp(&text[*s2..*e2]),
                (Part::Blank(m), Part::Blank(n)) => m.cmp(n),
                _ => part_rank(x).cmp(&part_rank(y)),
            };
            if o != Ordering::Equal {
                return o;
            }
        }
        Ordering::Equal
    };
    let mut idx: Vec<usize> = (0..parts.len()).collect();
    idx.sort_unstable_by(|&a, &b| key_cmp(&parts[a], &parts[b]).then(a.cmp(&b)));
    for w in idx.windows(2) {
        if key_cmp(&parts[w[0]], &parts[w[1]]) == Ordering::Equal {
            keep[w[1]] = false;
        }
    }
    keep
}

impl<'a> Prepared<'a> {
    fn new(quads: &'a [Quad]) -> Result<Self> {
        if quads.len() > MAX_QUADS {
            return Err(limit(format!("{} quads exceed the limit of {MAX_QUADS}", quads.len())));
        }
        let mut b = Builder {
            text: String::with_capacity(quads.len() * 64),
            labels: Vec::new(),
            blank_index: HashMap::new(),
        };
        let all = quads.iter().map(|q| b.quad(q)).collect::<Result<Vec<_>>>()?;

        // A dataset is a set: keep the first of identical quads, in input order.
        let keep = first_copies(&all, &b.text);
        let mut source = Vec::with_capacity(all.len());
        let mut parts = Vec::with_capacity(all.len());
        for (i, (p, k)) in all.into_iter().zip(keep).enumerate() {
            if k {
                source.push(i);
                parts.push(p);
            }
        }

        // Index quads by blank node (compressed rows), each quad once per node.
        let n = b.labels.len();
        let mut node_start = vec![0usize; n + 1];
        for p in &parts {
            for_each_blank(p, |b| node_start[b as usize + 1] += 1);
        }
        for i in 0..n {
            node_start[i + 1] += node_start[i];
        }
        let mut fill = node_start.clone();
        let mut node_quads = vec![0u32; node_start[n]];
        for (qi, p) in parts.iter().enumerate() {
            // `parts.len() <= MAX_QUADS`, so the index fits in u32.
            let qi = u32::try_from(qi).unwrap_or(u32::MAX);
            for_each_blank(p, |b| {
                node_quads[fill[b as usize]] = qi;
                fill[b as usize] += 1;
            });
        }
        Ok(Prepared {
            text: b.text,
            quads: parts,
            source,
            labels: b.labels,
            blank_index: b.blank_index,
            node_start,
            node_quads,
        })
    }

    fn quads_of(&self, node: u32) -> &[u32] {
        let n = node as usize;
        &self.node_quads[self.node_start[n]..self.node_start[n + 1]]
    }

    /// Appends the N-Quads line of quad `q`, writing blank node `b` with `blank(b, out)`.
    fn write_line(&self, q: usize, out: &mut String, mut blank: impl FnMut(u32, &mut String)) {
        for (i, part) in self.quads[q].iter().enumerate() {
            match part {
                Part::Text(s, e) => {
                    if i > 0 {
                        out.push(' ');
                    }
                    out.push_str(&self.text[*s..*e]);
                }
                Part::Blank(b) => {
                    if i > 0 {
                        out.push(' ');
                    }
                    blank(*b, out);
                }
                Part::Absent => {}
            }
        }
        out.push_str(" .\n");
    }

    /// Serializes every quad with canonical labels and sorts the lines.
    fn canonical_lines(&self, labels: &[u32]) -> Lines {
        let mut text = String::with_capacity(self.text.len() + self.quads.len() * 24);
        let mut order = Vec::with_capacity(self.quads.len());
        for q in 0..self.quads.len() {
            let start = text.len();
            self.write_line(q, &mut text, |b, out| {
                out.push_str("_:c14n");
                push_u32(out, labels[b as usize]);
            });
            order.push((start..text.len(), q));
        }
        order.sort_unstable_by(|a, b| text[a.0.clone()].cmp(&text[b.0.clone()]));
        Lines { text, order }
    }
}

fn part_rank(p: &Part) -> u8 {
    match p {
        Part::Text(..) => 0,
        Part::Blank(_) => 1,
        Part::Absent => 2,
    }
}

/// Calls `f` once for each distinct blank node among a quad's subject, object and graph.
fn for_each_blank(p: &[Part; 4], mut f: impl FnMut(u32)) {
    let mut seen: [u32; 3] = [u32::MAX; 3];
    let mut k = 0;
    for i in [0, 2, 3] {
        if let Part::Blank(b) = p[i] {
            if !seen[..k].contains(&b) {
                seen[k] = b;
                k += 1;
                f(b);
            }
        }
    }
}

fn push_u32(out: &mut String, n: u32) {
    let _ = write!(out, "{n}");
}

fn canonical_label(n: u32) -> String {
    format!("c14n{n}")
}

// ---------------------------------------------------------------------------------------------
// Hashing
// ---------------------------------------------------------------------------------------------

/// A hash value (32 or 48 bytes); its order is the code point order of its hex form.
#[derive(Clone, Copy, PartialEq, Eq)]
struct HashValue {
    bytes: [u8; 48],
    len: u8,
}

impl HashValue {
    fn as_bytes(&self) -> &[u8] {
        &self.bytes[..usize::from(self.len)]
    }

    /// Writes the lowercase hex form into `buf`, returning it.
    fn hex<'b>(&self, buf: &'b mut [u8; 96]) -> &'b [u8] {
        const HEX: &[u8; 16] = b"0123456789abcdef";
        let bytes = self.as_bytes();
        for (i, b) in bytes.iter().enumerate() {
            buf[2 * i] = HEX[usize::from(b >> 4)];
            buf[2 * i + 1] = HEX[usize::from(b & 0xf)];
        }
        &buf[..2 * bytes.len()]
    }

    fn push_hex(&self, out: &mut String) {
        let mut buf = [0u8; 96];
        for &b in self.hex(&mut buf) {
            out.push(char::from(b));
        }
    }
}

impl PartialOrd for HashValue {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for HashValue {
    fn cmp(&self, other: &Self) -> Ordering {
        self.as_bytes().cmp(other.as_bytes())
    }
}

enum Hasher {
    Sha256(Sha256),
    Sha384(Sha384),
}

impl Hasher {
    fn new(alg: HashAlgorithm) -> Self {
        match alg {
            HashAlgorithm::Sha256 => Hasher::Sha256(Sha256::new()),
            HashAlgorithm::Sha384 => Hasher::Sha384(Sha384::new()),
        }
    }

    fn update(&mut self, data: &[u8]) {
        match self {
            Hasher::Sha256(h) => h.update(data),
            Hasher::Sha384(h) => h.update(data),
        }
    }

    fn update_hex(&mut self, h: &HashValue) {
        let mut buf = [0u8; 96];
        self.update(h.hex(&mut buf));
    }

    fn update_u32(&mut self, n: u32) {
        let mut buf = [0u8; 10];
        let mut i = buf.len();
        let mut n = n;
        loop {
            i -= 1;
            // `n % 10 < 10`, so the cast is exact.
            buf[i] = b'0' + (n % 10) as u8;
            n /= 10;
            if n == 0 {
                break;
            }
        }
        self.update(&buf[i..]);
    }

    fn finish(self) -> HashValue {
        let mut out = HashValue { bytes: [0; 48], len: 0 };
        match self {
            Hasher::Sha256(h) => {
                out.bytes[..32].copy_from_slice(&h.finalize());
                out.len = 32;
            }
            Hasher::Sha384(h) => {
                out.bytes.copy_from_slice(&h.finalize());
                out.len = 48;
            }
        }
        out
    }
}

// ---------------------------------------------------------------------------------------------
// The canonicalization algorithm (RDFC-1.0 §4.4–§4.8)
// ---------------------------------------------------------------------------------------------

/// The canonical labelling: `labels[n]` is the canonical number of blank node `n`.
struct Labelling {
    labels: Vec<u32>,
    issue_order: Vec<u32>,
}

/// A temporary identifier issuer (prefix `b`): the nodes in issue order, with a hash index
/// once it holds more than [`Issuer::SMALL`] nodes (small issuers are scanned).
#[derive(Clone, Default)]
struct Issuer {
    order: Vec<u32>,
    index: HashMap<u32, u32>,
}

impl Issuer {
    const SMALL: usize = 32;

    fn get(&self, node: u32) -> Option<u32> {
        if self.order.len() > Self::SMALL {
            return self.index.get(&node).copied();
        }
        // The position is below `order.len()`, which never exceeds the u32 node count.
        self.order.iter().position(|&n| n == node).map(|p| u32::try_from(p).unwrap_or(u32::MAX))
    }

    /// Issues (or returns) the identifier number of `node`, and whether it was new.
    fn issue(&mut self, node: u32) -> (u32, bool) {
        if let Some(i) = self.get(node) {
            return (i, false);
        }
        let i = u32::try_from(self.order.len()).unwrap_or(u32::MAX);
        self.order.push(node);
        if self.order.len() > Self::SMALL {
            if self.index.is_empty() {
                self.index.extend(self.order.iter().zip(0..).map(|(&n, i)| (n, i)));
            } else {
                self.index.insert(node, i);
            }
        }
        (i, true)
    }
}

struct State<'p, 'a> {
    data: &'p Prepared<'a>,
    alg: HashAlgorithm,
    first_degree: Vec<HashValue>,
    /// Canonical number of each blank node, `u32::MAX` while unissued.
    canon: Vec<u32>,
    issue_order: Vec<u32>,
    work: u64,
    max_work: u64,
    max_depth: usize,
}

const UNISSUED: u32 = u32::MAX;

fn label_blank_nodes(data: &Prepared<'_>, options: &CanonOptions) -> Result<Labelling> {
    let n = data.labels.len();
    let mut st = State {
        data,
        alg: options.hash,
        first_degree: Vec::with_capacity(n),
        canon: vec![UNISSUED; n],
        issue_order: Vec::with_capacity(n),
        work: 0,
        max_work: options.max_work,
        max_depth: options.max_depth,
    };

    // §4.4.3 step 3: first-degree hashes.
    let mut buf = String::new();
    let mut ranges: Vec<core::ops::Range<usize>> = Vec::new();
    for node in 0..n {
        // `n` came from a u32 counter.
        let node = u32::try_from(node).unwrap_or(UNISSUED);
        let h = st.hash_first_degree(node, &mut buf, &mut ranges);
        st.first_degree.push(h);
    }

    // Group blank nodes by first-degree hash, in code point order of the hash; within a
    // group, in order of first appearance.
    let mut by_hash: Vec<u32> = (0..n).map(|i| u32::try_from(i).unwrap_or(UNISSUED)).collect();
    by_hash.sort_by(|&a, &b| st.first_degree[a as usize].cmp(&st.first_degree[b as usize]));
    let groups: Vec<&[u32]> = by_hash
        .chunk_by(|&a, &b| st.first_degree[a as usize] == st.first_degree[b as usize])
        .collect();

    // Step 4: unique hashes get canonical identifiers.
    for g in &groups {
        if let [node] = g {
            st.issue_canonical(*node);
        }
    }

    // Step 5: the rest, through Hash N-Degree Quads.
    for g in groups.iter().filter(|g| g.len() > 1) {
        let mut results: Vec<(HashValue, Issuer)> = Vec::new();
        for &node in *g {
            if st.canon[node as usize] != UNISSUED {
                continue;
            }
            let mut issuer = Issuer::default();
            issuer.issue(node);
            results.push(st.hash_n_degree(node, issuer, 1)?);
        }
        results.sort_by_key(|r| r.0);
        for (_, issuer) in results {
            for node in issuer.order {
                st.issue_canonical(node);
            }
        }
    }

    Ok(Labelling { labels: st.canon, issue_order: st.issue_order })
}

impl State<'_, '_> {
    fn issue_canonical(&mut self, node: u32) {
        if self.canon[node as usize] == UNISSUED {
            // At most `labels.len()` identifiers are issued, which fits in u32.
            self.canon[node as usize] = u32::try_from(self.issue_order.len()).unwrap_or(UNISSUED);
            self.issue_order.push(node);
        }
    }

    fn charge(&mut self, units: u64) -> Result<()> {
        self.work = self.work.saturating_add(units);
        if self.work > self.max_work {
            return Err(limit(format!(
                "Hash N-Degree Quads exceeded the work limit of {} units",
                self.max_work
            )));
        }
        Ok(())
    }

    /// Hash First Degree Quads (§4.6).
    fn hash_first_degree(
        &self,
        node: u32,
        buf: &mut String,
        ranges: &mut Vec<core::ops::Range<usize>>,
    ) -> HashValue {
        buf.clear();
        ranges.clear();
        for &q in self.data.quads_of(node) {
            let start = buf.len();
            self.data.write_line(q as usize, buf, |b, out| {
                out.push_str(if b == node { "_:a" } else { "_:z" });
            });
            ranges.push(start..buf.len());
        }
        ranges.sort_unstable_by(|a, b| buf[a.clone()].cmp(&buf[b.clone()]));
        let mut h = Hasher::new(self.alg);
        for r in ranges.iter() {
            h.update(&buf.as_bytes()[r.clone()]);
        }
        h.finish()
    }

    /// Hash Related Blank Node (§4.7).
    fn hash_related(&self, related: u32, q: u32, issuer: &Issuer, position: u8) -> HashValue {
        let mut h = Hasher::new(self.alg);
        h.update(&[position]);
        if position != b'g' {
            if let Part::Text(s, e) = &self.data.quads[q as usize][1] {
                h.update(&self.data.text.as_bytes()[*s..*e]);
            }
        }
        let canon = self.canon[related as usize];
        if canon != UNISSUED {
            h.update(b"_:c14n");
            h.update_u32(canon);
        } else if let Some(t) = issuer.get(related) {
            h.update(b"_:b");
            h.update_u32(t);
        } else {
            h.update_hex(&self.first_degree[related as usize]);
        }
        h.finish()
    }

    /// Hash N-Degree Quads (§4.8).
    fn hash_n_degree(
        &mut self,
        node: u32,
        mut issuer: Issuer,
        depth: usize,
    ) -> Result<(HashValue, Issuer)> {
        if depth > self.max_depth {
            return Err(limit(format!(
                "Hash N-Degree Quads nested deeper than the limit of {}",
                self.max_depth
            )));
        }
        self.charge(1)?;

        // Steps 1–3: hash to related blank nodes.
        let mut related: Vec<(HashValue, u32)> = Vec::new();
        let data = self.data;
        for &q in data.quads_of(node) {
            let parts = &data.quads[q as usize];
            for (i, position) in [(0, b's'), (2, b'o'), (3, b'g')] {
                if let Part::Blank(b) = parts[i] {
                    if b != node {
                        self.charge(1)?;
                        related.push((self.hash_related(b, q, &issuer, position), b));
                    }
                }
            }
        }
        related.sort_by_key(|r| r.0);

        // Steps 4–5.
        let mut data_to_hash = Hasher::new(self.alg);
        let mut list: Vec<u32> = Vec::new();
        for group in related.chunk_by(|a, b| a.0 == b.0) {
            data_to_hash.update_hex(&group[0].0);
            list.clear();
            list.extend(group.iter().map(|r| r.1));
            let mut chosen_path = String::new();
            let mut chosen_issuer: Option<Issuer> = None;
            let mut perm: Vec<usize> = (0..list.len()).collect();
            loop {
                self.charge(1 + (issuer.order.len() + list.len()) as u64 / 16)?;
                if let Some((path, issuer_copy)) =
                    self.try_permutation(&list, &perm, &issuer, &chosen_path, depth)?
                {
                    chosen_path = path;
                    chosen_issuer = Some(issuer_copy);
                }
                if !next_permutation(&mut perm) {
                    break;
                }
            }
            data_to_hash.update(chosen_path.as_bytes());
            if let Some(c) = chosen_issuer {
                issuer = c;
            }
        }
        Ok((data_to_hash.finish(), issuer))
    }

    /// One permutation of §4.8 step 5.4: returns its path and issuer when the path is
    /// smaller than `chosen_path` (or `chosen_path` is empty).
    fn try_permutation(
        &mut self,
        list: &[u32],
        perm: &[usize],
        issuer: &Issuer,
        chosen_path: &str,
        depth: usize,
    ) -> Result<Option<(String, Issuer)>> {
        let worse = |path: &str| {
            !chosen_path.is_empty() && path.len() >= chosen_path.len() && path > chosen_path
        };
        let mut issuer_copy = issuer.clone();
        let mut path = String::new();
        let mut recursion: Vec<u32> = Vec::new();
        for &i in perm {
            let related = list[i];
            let canon = self.canon[related as usize];
            if canon == UNISSUED {
                let (t, new) = issuer_copy.issue(related);
                if new {
                    recursion.push(related);
                }
                path.push_str("_:b");
                push_u32(&mut path, t);
            } else {
                path.push_str("_:c14n");
                push_u32(&mut path, canon);
            }
            if worse(&path) {
                return Ok(None);
            }
        }
        for related in recursion {
            let (h, returned) = self.hash_n_degree(related, issuer_copy, depth + 1)?;
            issuer_copy = returned;
            let (t, _) = issuer_copy.issue(related);
            path.push_str("_:b");
            push_u32(&mut path, t);
            path.push('<');
            h.push_hex(&mut path);
            path.push('>');
            if worse(&path) {
                return Ok(None);
            }
        }
        if chosen_path.is_empty() || path.as_str() < chosen_path {
            Ok(Some((path, issuer_copy)))
        } else {
            Ok(None)
        }
    }
}

/// Advances `p` to the next permutation in lexicographic order; false after the last.
fn next_permutation(p: &mut [usize]) -> bool {
    let n = p.len();
    if n < 2 {
        return false;
    }
    let mut i = n - 1;
    while i > 0 && p[i - 1] >= p[i] {
        i -= 1;
    }
    if i == 0 {
        return false;
    }
    let mut j = n - 1;
    while p[j] <= p[i - 1] {
        j -= 1;
    }
    p.swap(i - 1, j);
    p[i..].reverse();
    true
}

// ---------------------------------------------------------------------------------------------
// N-Quads parser
// ---------------------------------------------------------------------------------------------

/// Parses an N-Quads 1.1 document into quads, in document order.
///
/// Supports IRIs with `\u`/`\U` escapes, blank nodes `_:label`, literals with ECHAR and UCHAR
/// escapes, language tags and datatypes, an optional graph label, `#` comments and blank
/// lines; `\n`, `\r` and `\r\n` end lines. IRIs must be absolute. A literal typed
/// `xsd:string` is the plain string it denotes.
///
/// # Errors
///
/// - [`CredentialError::Core`] ([`CoreError::InputTooLarge`]) when `text` is longer than
///   [`MAX_NQUADS_BYTES`];
/// - [`CredentialError::InvalidNQuads`] for a syntax error (with its line number) or more than
///   [`MAX_QUADS`] statements.
pub fn parse_nquads(text: &str) -> Result<Vec<Quad>> {
    if text.len() > MAX_NQUADS_BYTES {
        return Err(CoreError::InputTooLarge { size: text.len(), limit: MAX_NQUADS_BYTES }.into());
    }
    let mut quads = Vec::new();
    for (n, physical) in text.split('\n').enumerate() {
        for line in physical.split('\r') {
            let mut p = LineParser { s: line, pos: 0 };
            if let Some(q) = p.statement().map_err(|e| invalid(format!("line {}: {e}", n + 1)))? {
                if quads.len() == MAX_QUADS {
                    return Err(invalid(format!("more than {MAX_QUADS} quads")));
                }
                quads.push(q);
            }
        }
    }
    Ok(quads)
}

struct LineParser<'a> {
    s: &'a str,
    pos: usize,
}

type ParseResult<T> = core::result::Result<T, String>;

impl LineParser<'_> {
    fn peek(&self) -> Option<char> {
        self.s[self.pos..].chars().next()
    }

    fn bump(&mut self) -> Option<char> {
        let c = self.peek()?;
        self.pos += c.len_utf8();
        Some(c)
    }

    fn eat(&mut self, c: char) -> bool {
        if self.peek() == Some(c) {
            self.pos += c.len_utf8();
            true
        } else {
            false
        }
    }

    fn skip_ws(&mut self) {
        while matches!(self.peek(), Some(' ' | '\t')) {
            self.pos += 1;
        }
    }

    fn at_end_or_comment(&self) -> bool {
        matches!(self.peek(), None | Some('#'))
    }

    fn err<T>(&self, what: &str) -> ParseResult<T> {
        Err(format!("{what} at column {}", self.s[..self.pos].chars().count() + 1))
    }

    /// Parses one line: `None` for a blank or comment line.
    fn statement(&mut self) -> ParseResult<Option<Quad>> {
        self.skip_ws();
        if self.at_end_or_comment() {
            return Ok(None);
        }
        let subject = match self.peek() {
            Some('<') => Term::Iri(self.iri()?),
            Some('_') => Term::Blank(self.blank()?),
            _ => return self.err("expected an IRI or blank node as subject"),
        };
        self.skip_ws();
        let predicate = match self.peek() {
            Some('<') => Term::Iri(self.iri()?),
            _ => return self.err("expected an IRI as predicate"),
        };
        self.skip_ws();
        let object = match self.peek() {
            Some('<') => Term::Iri(self.iri()?),
            Some('_') => Term::Blank(self.blank()?),
            Some('"') => Term::Literal(self.literal()?),
            _ => return self.err("expected an IRI, blank node or literal as object"),
        };
        self.skip_ws();
        let graph = match self.peek() {
            Some('<') => Some(Term::Iri(self.iri()?)),
            Some('_') => Some(Term::Blank(self.blank()?)),
            _ => None,
        };
        self.skip_ws();
        if !self.eat('.') {
            return self.err("expected '.'");
        }
        self.skip_ws();
        if !self.at_end_or_comment() {
            return self.err("unexpected text after '.'");
        }
        Ok(Some(Quad { subject, predicate, object, graph }))
    }

    fn hex_escape(&mut self) -> ParseResult<char> {
        let digits = match self.bump() {
            Some('u') => 4,
            Some('U') => 8,
            _ => return self.err("invalid escape"),
        };
        let start = self.pos;
        let hex = self.s.get(start..start + digits).unwrap_or("");
        if hex.len() != digits || !hex.bytes().all(|b| b.is_ascii_hexdigit()) {
            return self.err("invalid \\u or \\U escape");
        }
        self.pos += digits;
        match u32::from_str_radix(hex, 16).ok().and_then(char::from_u32) {
            Some(c) => Ok(c),
            None => self.err("escape is not a Unicode scalar value"),
        }
    }

    fn iri(&mut self) -> ParseResult<String> {
        self.bump(); // '<'
        let mut out = String::new();
        loop {
            let c = match self.bump() {
                None => return self.err("unterminated IRI"),
                Some('>') => break,
                Some('\\') => {
                    let c = self.hex_escape()?;
                    if !iri_char_ok(c) {
                        return self.err("escaped character not allowed in an IRI");
                    }
                    c
                }
                Some(c) if iri_char_ok(c) => c,
                Some(_) => return self.err("character not allowed in an IRI"),
            };
            out.push(c);
        }
        if !has_scheme(&out) {
            return self.err("IRI is not absolute");
        }
        Ok(out)
    }

    fn blank(&mut self) -> ParseResult<String> {
        self.bump(); // '_'
        if !self.eat(':') {
            return self.err("expected ':' after '_'");
        }
        let start = self.pos;
        match self.peek() {
            Some(c) if pn_chars_u(c) || c.is_ascii_digit() => {
                self.bump();
            }
            _ => return self.err("invalid blank node label"),
        }
        while let Some(c) = self.peek() {
            if pn_chars(c) || c == '.' {
                self.bump();
            } else {
                break;
            }
        }
        // A label cannot end with '.': give trailing dots back (the statement's end).
        while self.s[start..self.pos].ends_with('.') {
            self.pos -= 1;
        }
        Ok(self.s[start..self.pos].to_owned())
    }

    fn literal(&mut self) -> ParseResult<Literal> {
        self.bump(); // '"'
        let mut value = String::new();
        loop {
            match self.bump() {
                None => return self.err("unterminated string literal"),
                Some('"') => break,
                Some('\\') => {
                    let c = match self.peek() {
                        Some('t') => '\t',
                        Some('b') => '\u{8}',
                        Some('n') => '\n',
                        Some('r') => '\r',
                        Some('f') => '\u{c}',
                        Some('"') => '"',
                        Some('\'') => '\'',
                        Some('\\') => '\\',
                        Some('u' | 'U') => {
                            value.push(self.hex_escape()?);
                            continue;
                        }
                        _ => return self.err("invalid escape in string literal"),
                    };
                    self.pos += 1;
                    value.push(c);
                }
                Some(c) => value.push(c),
            }
        }
        if self.eat('@') {
            let start = self.pos;
            while matches!(self.peek(), Some(c) if c.is_ascii_alphanumeric() || c == '-') {
                self.pos += 1;
            }
            let tag = &self.s[start..self.pos];
            if !lang_ok(tag) {
                return self.err("invalid language tag");
            }
            return Ok(Literal {
                value,
                datatype: RDF_LANG_STRING.to_owned(),
                language: Some(tag.to_owned()),
            });
        }
        if self.s[self.pos..].starts_with("^^") {
            self.pos += 2;
            if self.peek() != Some('<') {
                return self.err("expected a datatype IRI after '^^'");
            }
            let datatype = self.iri()?;
            if datatype == RDF_LANG_STRING {
                return self.err("rdf:langString literal without a language tag");
            }
            return Ok(Literal { value, datatype, language: None });
        }
        Ok(Literal { value, datatype: XSD_STRING.to_owned(), language: None })
    }
}

/// Returns whether `iri` starts with a scheme (`[A-Za-z][A-Za-z0-9+.-]*:`).
fn has_scheme(iri: &str) -> bool {
    let Some((scheme, _)) = iri.split_once(':') else {
        return false;
    };
    let mut b = scheme.bytes();
    b.next().is_some_and(|c| c.is_ascii_alphabetic())
        && b.all(|c| c.is_ascii_alphanumeric() || matches!(c, b'+' | b'-' | b'.'))
}

fn pn_chars_base(c: char) -> bool {
    matches!(c,
        'A'..='Z' | 'a'..='z'
        | '\u{C0}'..='\u{D6}' | '\u{D8}'..='\u{F6}' | '\u{F8}'..='\u{2FF}'
        | '\u{370}'..='\u{37D}' | '\u{37F}'..='\u{1FFF}' | '\u{200C}'..='\u{200D}'
        | '\u{2070}'..='\u{218F}' | '\u{2C00}'..='\u{2FEF}' | '\u{3001}'..='\u{D7FF}'
        | '\u{F900}'..='\u{FDCF}' | '\u{FDF0}'..='\u{FFFD}' | '\u{10000}'..='\u{EFFFF}')
}

fn pn_chars_u(c: char) -> bool {
    pn_chars_base(c) || c == '_' || c == ':'
}

fn pn_chars(c: char) -> bool {
    pn_chars_u(c)
        || c == '-'
        || c.is_ascii_digit()
        || c == '\u{B7}'
        || ('\u{300}'..='\u{36F}').contains(&c)
        || ('\u{203F}'..='\u{2040}').contains(&c)
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]

    use super::*;

    #[test]
    fn permutations_are_lexicographic() {
        let mut p = vec![0, 1, 2];
        let mut all = vec![p.clone()];
        while next_permutation(&mut p) {
            all.push(p.clone());
        }
        assert_eq!(all.len(), 6);
        assert_eq!(all[1], vec![0, 2, 1]);
        assert_eq!(all[5], vec![2, 1, 0]);
    }

    #[test]
    fn language_tags() {
        assert!(lang_ok("en"));
        assert!(lang_ok("en-US"));
        assert!(lang_ok("zh-Hant-1990"));
        assert!(!lang_ok(""));
        assert!(!lang_ok("1en"));
        assert!(!lang_ok("en-"));
        assert!(!lang_ok("en US"));
    }
}
