//! RDF terms and quads, and their N-Quads form (RDF 1.1 N-Quads; canonical N-Quads as
//! RDFC-1.0 §4 requires).

use core::fmt::{self, Write as _};

/// The IRI of `xsd:string`, the default datatype of a literal.
pub const XSD_STRING: &str = "http://www.w3.org/2001/XMLSchema#string";
/// The IRI of `rdf:langString`, the datatype of a language-tagged literal.
pub const RDF_LANG_STRING: &str = "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString";

/// An RDF term.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Term {
    /// An IRI (without the angle brackets).
    Iri(String),
    /// A blank node identifier (without the `_:` prefix).
    Blank(String),
    /// A literal.
    Literal(Literal),
}

/// An RDF literal: lexical form, datatype IRI, optional language tag.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Literal {
    /// The lexical form.
    pub value: String,
    /// The datatype IRI ([`XSD_STRING`] for plain strings, [`RDF_LANG_STRING`] with a language).
    pub datatype: String,
    /// The language tag, for `rdf:langString` literals.
    pub language: Option<String>,
}

/// An RDF quad; `graph` is `None` for the default graph.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Quad {
    /// Subject: an IRI or a blank node.
    pub subject: Term,
    /// Predicate: an IRI.
    pub predicate: Term,
    /// Object: any term.
    pub object: Term,
    /// Graph name: an IRI or a blank node, or `None` for the default graph.
    pub graph: Option<Term>,
}

impl Term {
    /// Creates an IRI term.
    pub fn iri(iri: impl Into<String>) -> Self {
        Term::Iri(iri.into())
    }

    /// Creates a blank node term from its identifier (without `_:`).
    pub fn blank(id: impl Into<String>) -> Self {
        Term::Blank(id.into())
    }

    /// Creates an `xsd:string` literal.
    pub fn string(value: impl Into<String>) -> Self {
        Term::Literal(Literal {
            value: value.into(),
            datatype: XSD_STRING.to_owned(),
            language: None,
        })
    }

    /// Creates a typed literal.
    pub fn typed(value: impl Into<String>, datatype: impl Into<String>) -> Self {
        Term::Literal(Literal { value: value.into(), datatype: datatype.into(), language: None })
    }

    /// Creates a language-tagged literal.
    pub fn lang_string(value: impl Into<String>, language: impl Into<String>) -> Self {
        Term::Literal(Literal {
            value: value.into(),
            datatype: RDF_LANG_STRING.to_owned(),
            language: Some(language.into()),
        })
    }

    /// Returns whether this term is a blank node.
    #[must_use]
    pub fn is_blank(&self) -> bool {
        matches!(self, Term::Blank(_))
    }
}

/// Writes `s` with canonical N-Quads string escaping (RDFC-1.0 / RDF 1.1 canonical N-Triples):
/// `\"`, `\\`, `\n`, `\r`, `\t`, `\b`, `\f` as ECHARs; other C0 controls and U+007F as `\uXXXX`
/// (uppercase hex); everything else literally.
fn write_escaped(out: &mut String, s: &str) {
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '\u{8}' => out.push_str("\\b"),
            '\u{c}' => out.push_str("\\f"),
            c if c < ' ' || c == '\u{7f}' => {
                let _ = write!(out, "\\u{:04X}", u32::from(c));
            }
            c => out.push(c),
        }
    }
}

impl Term {
    /// Appends the N-Quads form of this term.
    pub fn write_nquads(&self, out: &mut String) {
        match self {
            Term::Iri(iri) => {
                out.push('<');
                out.push_str(iri);
                out.push('>');
            }
            Term::Blank(id) => {
                out.push_str("_:");
                out.push_str(id);
            }
            Term::Literal(lit) => {
                out.push('"');
                write_escaped(out, &lit.value);
                out.push('"');
                if let Some(lang) = &lit.language {
                    out.push('@');
                    out.push_str(lang);
                } else if lit.datatype != XSD_STRING {
                    out.push_str("^^<");
                    out.push_str(&lit.datatype);
                    out.push('>');
                }
            }
        }
    }
}

impl fmt::Display for Term {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut s = String::new();
        self.write_nquads(&mut s);
        f.write_str(&s)
    }
}

impl Quad {
    /// Appends the N-Quads line of this quad, with its trailing ` .\n`.
    pub fn write_nquads(&self, out: &mut String) {
        self.subject.write_nquads(out);
        out.push(' ');
        self.predicate.write_nquads(out);
        out.push(' ');
        self.object.write_nquads(out);
        if let Some(g) = &self.graph {
            out.push(' ');
            g.write_nquads(out);
        }
        out.push_str(" .\n");
    }

    /// Returns the N-Quads line of this quad, with its trailing ` .\n`.
    #[must_use]
    pub fn to_nquads(&self) -> String {
        let mut s = String::new();
        self.write_nquads(&mut s);
        s
    }
}
