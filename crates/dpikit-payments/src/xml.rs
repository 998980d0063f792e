//! Hardened XML intake: size and depth limits, no DOCTYPE or entities, namespace-aware
//! location of `AppHdr` and `Document` inside any envelope.

use quick_xml::events::Event;
use quick_xml::name::ResolveResult;
use quick_xml::reader::NsReader;

use crate::PaymentError;

/// Limits applied while reading XML.
///
/// # Examples
///
/// ```
/// use dpikit_payments::xml::XmlLimits;
///
/// let strict = XmlLimits { max_bytes: 64 * 1024, ..XmlLimits::default() };
/// assert_eq!(strict.max_depth, 64);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct XmlLimits {
    /// Largest accepted input in bytes (default 8 MiB).
    pub max_bytes: usize,
    /// Deepest accepted element nesting (default 64). Tree walks recurse per level, so keep
    /// this modest (ISO 20022 messages nest about 15 deep).
    pub max_depth: usize,
}

impl Default for XmlLimits {
    fn default() -> Self {
        Self { max_bytes: 8 * 1024 * 1024, max_depth: 64 }
    }
}

/// An element of a parsed XML tree (comments and processing instructions dropped).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Element {
    /// Namespace URI, if the element is in one.
    pub namespace: Option<String>,
    /// Local name.
    pub name: String,
    /// Attributes that are not namespace declarations and carry no prefix, as (name, value).
    pub attributes: Vec<(String, String)>,
    /// Child elements in document order.
    pub children: Vec<Element>,
    /// Concatenated text content, trimmed.
    pub text: String,
}

/// The ISO 20022 parts found in an input: an optional header and the document.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IsoParts {
    /// The `AppHdr` element (namespace `urn:iso:std:iso:20022:tech:xsd:head.*`), if present.
    pub app_hdr: Option<Element>,
    /// The `Document` element (namespace `urn:iso:std:iso:20022:tech:xsd:*`).
    pub document: Element,
}

const ISO_NS: &str = "urn:iso:std:iso:20022:tech:xsd:";

fn malformed(e: impl std::fmt::Display) -> PaymentError {
    PaymentError::MalformedMessage(e.to_string())
}

/// Opens `input` for reading after the size and UTF-8 checks, with end names checked and
/// namespaces resolved by quick-xml (the DOM intake).
pub(crate) fn open<'a>(
    input: &'a [u8],
    limits: &XmlLimits,
) -> Result<NsReader<&'a [u8]>, PaymentError> {
    let text = check(input, limits)?;
    let mut reader = NsReader::from_str(text);
    reader.config_mut().check_end_names = true;
    Ok(reader)
}

/// Opens `input` for reading after the size and UTF-8 checks, with end names checked and
/// no namespace resolution (the streaming reader of `iso` resolves only what it needs);
/// also returns the input as the `str` it was checked to be.
pub(crate) fn open_plain<'a>(
    input: &'a [u8],
    limits: &XmlLimits,
) -> Result<(quick_xml::Reader<&'a [u8]>, &'a str), PaymentError> {
    let text = check(input, limits)?;
    let mut reader = quick_xml::Reader::from_str(text);
    reader.config_mut().check_end_names = true;
    Ok((reader, text))
}

/// The size and UTF-8 checks: the first step of both intakes.
fn check<'a>(input: &'a [u8], limits: &XmlLimits) -> Result<&'a str, PaymentError> {
    if input.len() > limits.max_bytes {
        return Err(PaymentError::XmlForbidden(format!(
            "input of {} bytes exceeds the limit of {} bytes",
            input.len(),
            limits.max_bytes
        )));
    }
    std::str::from_utf8(input).map_err(malformed)
}

/// Parses XML into an [`Element`] tree under the given limits.
///
/// # Errors
///
/// [`PaymentError::XmlForbidden`] for input over the size or depth limit, a DOCTYPE (and so any
/// ENTITY declaration) or a reference to an entity other than the five predefined ones;
/// [`PaymentError::MalformedMessage`] for XML that is not well-formed or not UTF-8.
///
/// # Examples
///
/// ```
/// use dpikit_core::ErrorCode;
/// use dpikit_payments::xml::{XmlLimits, parse_tree};
///
/// let bomb = br#"<!DOCTYPE d [<!ENTITY a "aaaa">]><d>&a;</d>"#;
/// let err = parse_tree(bomb, &XmlLimits::default()).unwrap_err();
/// assert_eq!(err.code(), ErrorCode::XmlForbidden);
/// ```
pub fn parse_tree(input: &[u8], limits: &XmlLimits) -> Result<Element, PaymentError> {
    let mut reader = open(input, limits)?;
    let mut stack: Vec<Element> = Vec::new();
    let mut root: Option<Element> = None;
    loop {
        let (ns, event) = reader.read_resolved_event().map_err(malformed)?;
        match event {
            Event::DocType(_) => {
                return Err(PaymentError::XmlForbidden("DOCTYPE is not allowed".into()));
            }
            Event::Start(ref e) | Event::Empty(ref e) => {
                if root.is_some() {
                    return Err(malformed("content after the root element"));
                }
                if stack.len() >= limits.max_depth {
                    return Err(PaymentError::XmlForbidden(format!(
                        "nesting exceeds the depth limit of {}",
                        limits.max_depth
                    )));
                }
                let el = start_element(&ns, e)?;
                if matches!(event, Event::Empty(_)) {
                    attach(&mut stack, &mut root, el);
                } else {
                    stack.push(el);
                }
            }
            Event::End(_) => {
                let mut el = stack.pop().ok_or_else(|| malformed("unbalanced end tag"))?;
                el.text.truncate(el.text.trim_end().len());
                let start = el.text.len() - el.text.trim_start().len();
                el.text.drain(..start);
                attach(&mut stack, &mut root, el);
            }
            Event::Text(t) => {
                let s = t.decode().map_err(malformed)?;
                push_text(&mut stack, &s)?;
            }
            Event::CData(t) => {
                let s = t.decode().map_err(malformed)?;
                push_text(&mut stack, &s)?;
            }
            Event::GeneralRef(r) => {
                let c = if r.is_char_ref() {
                    r.resolve_char_ref()
                        .map_err(malformed)?
                        .ok_or_else(|| malformed("bad character reference"))?
                } else {
                    let name = r.decode().map_err(malformed)?;
                    match name.as_ref() {
                        "amp" => '&',
                        "lt" => '<',
                        "gt" => '>',
                        "quot" => '"',
                        "apos" => '\'',
                        other => return Err(entity_error(other)),
                    }
                };
                push_text(&mut stack, c.encode_utf8(&mut [0; 4]))?;
            }
            Event::Eof => break,
            Event::Decl(_) | Event::PI(_) | Event::Comment(_) => {}
        }
    }
    if !stack.is_empty() {
        return Err(malformed("unexpected end of input"));
    }
    root.ok_or_else(|| malformed("no root element"))
}

fn start_element(
    ns: &ResolveResult<'_>,
    e: &quick_xml::events::BytesStart<'_>,
) -> Result<Element, PaymentError> {
    let namespace = match ns {
        ResolveResult::Bound(n) => {
            Some(std::str::from_utf8(n.as_ref()).map_err(malformed)?.to_owned())
        }
        ResolveResult::Unbound => None,
        ResolveResult::Unknown(p) => {
            return Err(malformed(format!("undeclared prefix {:?}", String::from_utf8_lossy(p))));
        }
    };
    let name = std::str::from_utf8(e.local_name().as_ref()).map_err(malformed)?.to_owned();
    let mut attributes = Vec::new();
    for a in e.attributes() {
        let a = a.map_err(malformed)?;
        let key = std::str::from_utf8(a.key.as_ref()).map_err(malformed)?;
        if key.contains(':') || key == "xmlns" {
            continue;
        }
        let value = a
            .normalized_value(quick_xml::XmlVersion::Implicit1_0)
            .map_err(|e| entity_error(&e.to_string()))?;
        attributes.push((key.to_owned(), value.into_owned()));
    }
    Ok(Element { namespace, name, attributes, ..Element::default() })
}

fn entity_error(name: &str) -> PaymentError {
    PaymentError::XmlForbidden(format!("entity reference {name:?} is not allowed"))
}

fn push_text(stack: &mut [Element], s: &str) -> Result<(), PaymentError> {
    match stack.last_mut() {
        Some(el) => {
            el.text.push_str(s);
            Ok(())
        }
        None if s.trim().is_empty() => Ok(()),
        None => Err(malformed("text outside the root element")),
    }
}

fn attach(stack: &mut [Element], root: &mut Option<Element>, el: Element) {
    match stack.last_mut() {
        Some(parent) => parent.children.push(el),
        None => *root = Some(el),
    }
}

/// Finds `AppHdr` and `Document` by namespace, whatever envelope wraps them
/// (`urn:swift:xsd:envelope` `Envelope`, `RequestPayload`, `SWIFTNetBusinessEnvelope`
/// `Request`, or none).
///
/// # Errors
///
/// [`PaymentError::MalformedMessage`] if there is no ISO 20022 `Document`, or more than one
/// `Document` or `AppHdr`.
pub fn find_iso_parts(root: Element) -> Result<IsoParts, PaymentError> {
    let mut docs = Vec::new();
    let mut hdrs = Vec::new();
    collect(root, &mut docs, &mut hdrs);
    if docs.len() > 1 || hdrs.len() > 1 {
        return Err(malformed("more than one Document or AppHdr"));
    }
    let document = docs.pop().ok_or_else(|| malformed("no ISO 20022 Document element"))?;
    Ok(IsoParts { app_hdr: hdrs.pop(), document })
}

fn collect(el: Element, docs: &mut Vec<Element>, hdrs: &mut Vec<Element>) {
    let iso = el.namespace.as_deref().is_some_and(|n| n.starts_with(ISO_NS));
    if iso && el.name == "Document" {
        docs.push(el);
    } else if iso && el.name == "AppHdr" {
        hdrs.push(el);
    } else {
        for c in el.children {
            collect(c, docs, hdrs);
        }
    }
}

/// Returns the path step of the `i`-th of `len` sibling elements named `name`.
pub(crate) fn step(name: &str, i: usize, len: usize) -> String {
    if len > 1 { format!("{name}[{i}]") } else { name.to_owned() }
}

/// Returns the path step of each child: `Name`, or `Name[i]` when the name repeats.
pub(crate) fn child_steps(el: &Element) -> Vec<String> {
    let mut total: std::collections::HashMap<&str, usize> = std::collections::HashMap::new();
    for c in &el.children {
        *total.entry(c.name.as_str()).or_insert(0) += 1;
    }
    let mut seen: std::collections::HashMap<&str, usize> = std::collections::HashMap::new();
    el.children
        .iter()
        .map(|c| {
            let n = seen.entry(c.name.as_str()).or_insert(0);
            let step = step(&c.name, *n, total.get(c.name.as_str()).copied().unwrap_or(0));
            *n += 1;
            step
        })
        .collect()
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use dpikit_core::ErrorCode;

    fn code(input: &[u8]) -> ErrorCode {
        parse_tree(input, &XmlLimits::default()).unwrap_err().code()
    }

    #[test]
    fn refuses_doctype_entities_and_limits() {
        assert_eq!(
            code(b"<!DOCTYPE d SYSTEM \"file:///etc/passwd\"><d/>"),
            ErrorCode::XmlForbidden
        );
        assert_eq!(code(b"<d>&xxe;</d>"), ErrorCode::XmlForbidden);
        let deep = "<a>".repeat(100) + &"</a>".repeat(100);
        assert_eq!(code(deep.as_bytes()), ErrorCode::XmlForbidden);
        let small = XmlLimits { max_bytes: 4, ..XmlLimits::default() };
        assert_eq!(parse_tree(b"<abcdef/>", &small).unwrap_err().code(), ErrorCode::XmlForbidden);
        assert_eq!(code(b"<a><b></a>"), ErrorCode::MalformedMessage);
        assert_eq!(code(b"<p:a/>"), ErrorCode::MalformedMessage);
        assert_eq!(code(b""), ErrorCode::MalformedMessage);
    }

    #[test]
    fn resolves_predefined_and_char_refs() {
        let t = parse_tree(b"<a>x &amp; &#65;&#x42;</a>", &XmlLimits::default()).unwrap();
        assert_eq!(t.text, "x & AB");
    }

    #[test]
    fn finds_parts_by_namespace() {
        let xml = br#"<Envelope xmlns="urn:swift:xsd:envelope"><h:AppHdr xmlns:h="urn:iso:std:iso:20022:tech:xsd:head.001.001.02"/><Document xmlns="urn:iso:std:iso:20022:tech:xsd:pacs.008.001.08"><X>1</X></Document></Envelope>"#;
        let parts = find_iso_parts(parse_tree(xml, &XmlLimits::default()).unwrap()).unwrap();
        assert!(parts.app_hdr.is_some());
        assert_eq!(parts.document.name, "Document");
        assert_eq!(parts.document.children[0].text, "1");
    }
}
