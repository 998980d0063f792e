//! ISO 20022 messages: typed models, parsing from XML (bare, with `AppHdr`, or inside an
//! envelope) and serialising back with the right namespace.

mod facets;
pub mod generated;

use std::collections::HashMap;

use dpikit_core::ErrorCode;
use serde::Serialize;
use serde::de::DeserializeOwned;

pub use facets::{AnyContent, Choice};
pub(crate) use facets::{Check, Checker};
pub use generated::{
    camt_053_001_08, camt_054_001_08, head_001_001_02, pacs_002_001_10, pacs_004_001_09,
    pacs_008_001_08, pain_001_001_09, pain_002_001_10,
};

use crate::PaymentError;
use crate::validate::Finding;
use crate::xml::{Element, XmlLimits, find_iso_parts, parse_tree, write_canonical};

/// The business application header (head.001.001.02).
pub type AppHdr = generated::BusinessApplicationHeaderV02;

/// A supported ISO 20022 message definition.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum MessageKind {
    /// pain.001.001.09 CustomerCreditTransferInitiation.
    Pain001V09,
    /// pain.002.001.10 CustomerPaymentStatusReport.
    Pain002V10,
    /// pacs.008.001.08 FIToFICustomerCreditTransfer.
    Pacs008V08,
    /// pacs.002.001.10 FIToFIPaymentStatusReport.
    Pacs002V10,
    /// pacs.004.001.09 PaymentReturn.
    Pacs004V09,
    /// camt.053.001.08 BankToCustomerStatement.
    Camt053V08,
    /// camt.054.001.08 BankToCustomerDebitCreditNotification.
    Camt054V08,
}

impl MessageKind {
    /// All supported kinds.
    pub const ALL: [Self; 7] = [
        Self::Pain001V09,
        Self::Pain002V10,
        Self::Pacs008V08,
        Self::Pacs002V10,
        Self::Pacs004V09,
        Self::Camt053V08,
        Self::Camt054V08,
    ];

    /// Returns the message definition identifier, e.g. `pacs.008.001.08`.
    #[must_use]
    pub const fn id(self) -> &'static str {
        match self {
            Self::Pain001V09 => "pain.001.001.09",
            Self::Pain002V10 => "pain.002.001.10",
            Self::Pacs008V08 => "pacs.008.001.08",
            Self::Pacs002V10 => "pacs.002.001.10",
            Self::Pacs004V09 => "pacs.004.001.09",
            Self::Camt053V08 => "camt.053.001.08",
            Self::Camt054V08 => "camt.054.001.08",
        }
    }

    /// Returns the XML namespace of the `Document`.
    #[must_use]
    pub const fn namespace(self) -> &'static str {
        match self {
            Self::Pain001V09 => pain_001_001_09::NAMESPACE,
            Self::Pain002V10 => pain_002_001_10::NAMESPACE,
            Self::Pacs008V08 => pacs_008_001_08::NAMESPACE,
            Self::Pacs002V10 => pacs_002_001_10::NAMESPACE,
            Self::Pacs004V09 => pacs_004_001_09::NAMESPACE,
            Self::Camt053V08 => camt_053_001_08::NAMESPACE,
            Self::Camt054V08 => camt_054_001_08::NAMESPACE,
        }
    }

    /// Returns the kind whose `Document` namespace is `ns`, if supported.
    #[must_use]
    pub fn from_namespace(ns: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.namespace() == ns)
    }
}

/// A typed ISO 20022 `Document`.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub enum Document {
    /// pain.001.001.09.
    Pain001(Box<pain_001_001_09::Document>),
    /// pain.002.001.10.
    Pain002(Box<pain_002_001_10::Document>),
    /// pacs.008.001.08.
    Pacs008(Box<pacs_008_001_08::Document>),
    /// pacs.002.001.10.
    Pacs002(Box<pacs_002_001_10::Document>),
    /// pacs.004.001.09.
    Pacs004(Box<pacs_004_001_09::Document>),
    /// camt.053.001.08.
    Camt053(Box<camt_053_001_08::Document>),
    /// camt.054.001.08.
    Camt054(Box<camt_054_001_08::Document>),
}

impl Document {
    /// Returns the message definition of this document.
    #[must_use]
    pub const fn kind(&self) -> MessageKind {
        match self {
            Self::Pain001(_) => MessageKind::Pain001V09,
            Self::Pain002(_) => MessageKind::Pain002V10,
            Self::Pacs008(_) => MessageKind::Pacs008V08,
            Self::Pacs002(_) => MessageKind::Pacs002V10,
            Self::Pacs004(_) => MessageKind::Pacs004V09,
            Self::Camt053(_) => MessageKind::Camt053V08,
            Self::Camt054(_) => MessageKind::Camt054V08,
        }
    }

    /// Serialises the document as XML with its namespace as the default namespace.
    ///
    /// # Errors
    ///
    /// [`PaymentError::MalformedMessage`] if serialisation fails.
    pub fn to_xml(&self) -> Result<String, PaymentError> {
        let ns = self.kind().namespace();
        match self {
            Self::Pain001(d) => to_xml(d.as_ref(), "Document", ns),
            Self::Pain002(d) => to_xml(d.as_ref(), "Document", ns),
            Self::Pacs008(d) => to_xml(d.as_ref(), "Document", ns),
            Self::Pacs002(d) => to_xml(d.as_ref(), "Document", ns),
            Self::Pacs004(d) => to_xml(d.as_ref(), "Document", ns),
            Self::Camt053(d) => to_xml(d.as_ref(), "Document", ns),
            Self::Camt054(d) => to_xml(d.as_ref(), "Document", ns),
        }
    }

    pub(crate) fn check(&self, v: &mut Checker) {
        match self {
            Self::Pain001(d) => d.check(v),
            Self::Pain002(d) => d.check(v),
            Self::Pacs008(d) => d.check(v),
            Self::Pacs002(d) => d.check(v),
            Self::Pacs004(d) => d.check(v),
            Self::Camt053(d) => d.check(v),
            Self::Camt054(d) => d.check(v),
        }
    }
}

/// A parsed message: the optional business application header and the document.
#[derive(Debug, Clone, PartialEq)]
pub struct Message {
    /// The `AppHdr`, when the input carried one.
    pub header: Option<Box<AppHdr>>,
    /// The `Document`.
    pub document: Document,
}

impl Message {
    /// Serialises the header (if any) as an `AppHdr` element in the head.001.001.02 namespace.
    ///
    /// # Errors
    ///
    /// [`PaymentError::MalformedMessage`] if serialisation fails.
    pub fn header_to_xml(&self) -> Result<Option<String>, PaymentError> {
        self.header
            .as_deref()
            .map(|h| to_xml(h, head_001_001_02::ROOT, head_001_001_02::NAMESPACE))
            .transpose()
    }

    /// Serialises the whole message: the bare `Document`, or the `AppHdr` and the `Document`
    /// side by side in one `BizMsg` wrapper (which [`parse`] reads back).
    ///
    /// # Errors
    ///
    /// [`PaymentError::MalformedMessage`] if serialisation fails.
    ///
    /// # Examples
    ///
    /// ```
    /// use dpikit_payments::iso::{ParseOptions, parse};
    ///
    /// let xml = r#"<Document xmlns="urn:iso:std:iso:20022:tech:xsd:pacs.002.001.10">
    ///   <FIToFIPmtStsRpt><GrpHdr><MsgId>M1</MsgId><CreDtTm>2026-01-01T00:00:00Z</CreDtTm></GrpHdr>
    ///   </FIToFIPmtStsRpt></Document>"#;
    /// let msg = parse(xml.as_bytes(), &ParseOptions::default())?.message;
    /// let again = parse(msg.to_xml()?.as_bytes(), &ParseOptions::default())?.message;
    /// assert_eq!(again, msg);
    /// # Ok::<(), dpikit_payments::PaymentError>(())
    /// ```
    pub fn to_xml(&self) -> Result<String, PaymentError> {
        fn body(xml: &str) -> &str {
            match xml.strip_prefix("<?xml") {
                Some(rest) => rest.split_once("?>").map_or(xml, |(_, body)| body.trim_start()),
                None => xml,
            }
        }
        let document = self.document.to_xml()?;
        Ok(match self.header_to_xml()? {
            None => document,
            Some(header) => format!(
                "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<BizMsg>{}{}</BizMsg>\n",
                body(&header),
                body(&document)
            ),
        })
    }
}

impl Message {
    /// Converts the message to JSON: `{"message": "<id>", "AppHdr": {…}?, "Document": {…}}`,
    /// with the serde form of the typed model (element names as keys, attributes as `@Ccy`,
    /// element text as `$text`, amounts as strings). [`Message::from_json`] reads it back to
    /// an equal message, so XML → JSON → XML loses nothing the model keeps.
    ///
    /// # Errors
    ///
    /// [`PaymentError::MalformedMessage`] if serialisation fails.
    ///
    /// # Examples
    ///
    /// ```
    /// use dpikit_core::Limits;
    /// use dpikit_payments::iso::{Message, ParseOptions, parse};
    ///
    /// let xml = r#"<Document xmlns="urn:iso:std:iso:20022:tech:xsd:pacs.002.001.10">
    ///   <FIToFIPmtStsRpt><GrpHdr><MsgId>M1</MsgId><CreDtTm>2026-01-01T00:00:00Z</CreDtTm></GrpHdr>
    ///   </FIToFIPmtStsRpt></Document>"#;
    /// let msg = parse(xml.as_bytes(), &ParseOptions::default())?.message;
    /// let json = msg.to_json()?;
    /// assert_eq!(json["message"], "pacs.002.001.10");
    /// assert_eq!(json["Document"]["FIToFIPmtStsRpt"]["GrpHdr"]["MsgId"], "M1");
    /// let back = Message::from_json(json.to_string().as_bytes(), &Limits::default())?;
    /// assert_eq!(back, msg);
    /// # Ok::<(), dpikit_payments::PaymentError>(())
    /// ```
    pub fn to_json(&self) -> Result<serde_json::Value, PaymentError> {
        let err = |e: serde_json::Error| PaymentError::MalformedMessage(e.to_string());
        let doc = match &self.document {
            Document::Pain001(d) => serde_json::to_value(d.as_ref()),
            Document::Pain002(d) => serde_json::to_value(d.as_ref()),
            Document::Pacs008(d) => serde_json::to_value(d.as_ref()),
            Document::Pacs002(d) => serde_json::to_value(d.as_ref()),
            Document::Pacs004(d) => serde_json::to_value(d.as_ref()),
            Document::Camt053(d) => serde_json::to_value(d.as_ref()),
            Document::Camt054(d) => serde_json::to_value(d.as_ref()),
        }
        .map_err(err)?;
        let mut obj = serde_json::Map::new();
        obj.insert("message".into(), self.document.kind().id().into());
        if let Some(h) = &self.header {
            obj.insert("AppHdr".into(), serde_json::to_value(h.as_ref()).map_err(err)?);
        }
        obj.insert("Document".into(), doc);
        Ok(serde_json::Value::Object(obj))
    }

    /// Reads the JSON form written by [`Message::to_json`], with the core JSON intake limits.
    ///
    /// # Errors
    ///
    /// - Core JSON intake errors (size, depth, duplicate keys, syntax).
    /// - [`PaymentError::UnsupportedMessage`]: `message` names no supported definition.
    /// - [`PaymentError::MalformedMessage`]: the content does not match the typed model.
    ///
    /// # Examples
    ///
    /// See [`Message::to_json`].
    pub fn from_json(bytes: &[u8], limits: &dpikit_core::Limits) -> Result<Self, PaymentError> {
        let mut v = dpikit_core::parse_json(bytes, limits)?;
        let id =
            v.get("message").and_then(serde_json::Value::as_str).unwrap_or_default().to_owned();
        let kind = MessageKind::ALL
            .into_iter()
            .find(|k| k.id() == id)
            .ok_or_else(|| PaymentError::UnsupportedMessage(format!("message {id:?}")))?;
        let err = |e: serde_json::Error| PaymentError::MalformedMessage(e.to_string());
        let obj = v
            .as_object_mut()
            .ok_or_else(|| PaymentError::MalformedMessage("not a JSON object".into()))?;
        if let Some(k) =
            obj.keys().find(|k| !["message", "AppHdr", "Document"].contains(&k.as_str()))
        {
            return Err(PaymentError::UnknownElement(format!("/{k}")));
        }
        let header = match obj.remove("AppHdr") {
            Some(h) => Some(Box::new(serde_json::from_value::<AppHdr>(h).map_err(err)?)),
            None => None,
        };
        let d = obj
            .remove("Document")
            .ok_or_else(|| PaymentError::MalformedMessage("no Document".into()))?;
        let document = match kind {
            MessageKind::Pain001V09 => {
                Document::Pain001(Box::new(serde_json::from_value(d).map_err(err)?))
            }
            MessageKind::Pain002V10 => {
                Document::Pain002(Box::new(serde_json::from_value(d).map_err(err)?))
            }
            MessageKind::Pacs008V08 => {
                Document::Pacs008(Box::new(serde_json::from_value(d).map_err(err)?))
            }
            MessageKind::Pacs002V10 => {
                Document::Pacs002(Box::new(serde_json::from_value(d).map_err(err)?))
            }
            MessageKind::Pacs004V09 => {
                Document::Pacs004(Box::new(serde_json::from_value(d).map_err(err)?))
            }
            MessageKind::Camt053V08 => {
                Document::Camt053(Box::new(serde_json::from_value(d).map_err(err)?))
            }
            MessageKind::Camt054V08 => {
                Document::Camt054(Box::new(serde_json::from_value(d).map_err(err)?))
            }
        };
        Ok(Self { header, document })
    }
}

/// Options for [`parse`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct ParseOptions {
    /// Size and depth limits.
    pub limits: XmlLimits,
    /// Report unknown elements as findings instead of failing.
    pub lenient: bool,
}

/// The result of [`parse`]: the message and, in lenient mode, what was dropped.
#[derive(Debug, Clone, PartialEq)]
pub struct Parsed {
    /// The typed message.
    pub message: Message,
    /// Unknown or out-of-order elements (only in lenient mode; strict mode fails instead).
    pub findings: Vec<Finding>,
}

/// Parses an ISO 20022 message: a bare `Document`, an `AppHdr` + `Document` pair, or either
/// inside an envelope (`Envelope`, `RequestPayload`, SWIFTNet `Request`, …).
///
/// # Errors
///
/// - [`PaymentError::XmlForbidden`]: DOCTYPE/ENTITY, or input over the limits.
/// - [`PaymentError::MalformedMessage`]: not well-formed, or not matching the model.
/// - [`PaymentError::UnsupportedMessage`]: a `Document` namespace this crate does not model.
/// - [`PaymentError::UnknownElement`] (strict mode): an element the XSD does not define.
/// - [`PaymentError::FacetViolation`] (strict mode): elements out of XSD order.
///
/// # Examples
///
/// ```
/// use dpikit_payments::iso::{Document, ParseOptions, parse};
///
/// let xml = r#"<Document xmlns="urn:iso:std:iso:20022:tech:xsd:pacs.002.001.10">
///   <FIToFIPmtStsRpt><GrpHdr><MsgId>M1</MsgId><CreDtTm>2026-01-01T00:00:00Z</CreDtTm></GrpHdr>
///   </FIToFIPmtStsRpt></Document>"#;
/// let parsed = parse(xml.as_bytes(), &ParseOptions::default())?;
/// let Document::Pacs002(doc) = &parsed.message.document else { unreachable!() };
/// assert_eq!(doc.fi_to_fi_pmt_sts_rpt.grp_hdr.msg_id, "M1");
/// assert!(parsed.message.document.to_xml()?.starts_with(
///     r#"<Document xmlns="urn:iso:std:iso:20022:tech:xsd:pacs.002.001.10">"#));
/// # Ok::<(), dpikit_payments::PaymentError>(())
/// ```
pub fn parse(input: &[u8], options: &ParseOptions) -> Result<Parsed, PaymentError> {
    let parts = find_iso_parts(parse_tree(input, &options.limits)?)?;
    let ns = parts.document.namespace.clone().unwrap_or_default();
    let kind = MessageKind::from_namespace(&ns)
        .ok_or_else(|| PaymentError::UnsupportedMessage(format!("Document namespace {ns:?}")))?;
    let mut findings = Vec::new();
    let header = match parts.app_hdr {
        Some(h) => {
            let hns = h.namespace.clone().unwrap_or_default();
            if hns != head_001_001_02::NAMESPACE {
                return Err(PaymentError::UnsupportedMessage(format!("AppHdr namespace {hns:?}")));
            }
            Some(Box::new(typed::<AppHdr>(h, head_001_001_02::ROOT, &mut findings)?))
        }
        None => None,
    };
    let d = parts.document;
    let document = match kind {
        MessageKind::Pain001V09 => {
            Document::Pain001(Box::new(typed(d, "Document", &mut findings)?))
        }
        MessageKind::Pain002V10 => {
            Document::Pain002(Box::new(typed(d, "Document", &mut findings)?))
        }
        MessageKind::Pacs008V08 => {
            Document::Pacs008(Box::new(typed(d, "Document", &mut findings)?))
        }
        MessageKind::Pacs002V10 => {
            Document::Pacs002(Box::new(typed(d, "Document", &mut findings)?))
        }
        MessageKind::Pacs004V09 => {
            Document::Pacs004(Box::new(typed(d, "Document", &mut findings)?))
        }
        MessageKind::Camt053V08 => {
            Document::Camt053(Box::new(typed(d, "Document", &mut findings)?))
        }
        MessageKind::Camt054V08 => {
            Document::Camt054(Box::new(typed(d, "Document", &mut findings)?))
        }
    };
    if !options.lenient {
        if let Some(f) = findings.first() {
            return Err(match f.code {
                ErrorCode::UnknownElement => PaymentError::UnknownElement(f.location.clone()),
                _ => PaymentError::FacetViolation(format!("{}: {}", f.location, f.message)),
            });
        }
    }
    Ok(Parsed { message: Message { header, document }, findings })
}

fn to_xml<T: Serialize>(value: &T, root: &str, ns: &str) -> Result<String, PaymentError> {
    let s = quick_xml::se::to_string_with_root(root, value)
        .map_err(|e| PaymentError::MalformedMessage(e.to_string()))?;
    let open = format!("<{root}");
    match s.strip_prefix(&open) {
        Some(rest) => Ok(format!("{open} xmlns=\"{ns}\"{rest}")),
        None => Err(PaymentError::MalformedMessage("serialiser output has no root".into())),
    }
}

/// Moves elements from a foreign namespace out of `el`, reporting each as unknown.
fn strip_foreign(el: &mut Element, ns: Option<&str>, path: &str, out: &mut Vec<Finding>) {
    let mut kept = Vec::with_capacity(el.children.len());
    let steps = crate::xml::child_steps(el);
    for (mut c, step) in std::mem::take(&mut el.children).into_iter().zip(steps) {
        let p = format!("{path}/{step}");
        if c.namespace.as_deref() == ns {
            strip_foreign(&mut c, ns, &p, out);
            kept.push(c);
        } else {
            out.push(Finding {
                code: ErrorCode::UnknownElement,
                location: p,
                message: format!("element in foreign namespace {:?}", c.namespace),
            });
        }
    }
    el.children = kept;
}

fn typed<T: DeserializeOwned + Serialize>(
    mut el: Element,
    root: &str,
    findings: &mut Vec<Finding>,
) -> Result<T, PaymentError> {
    let ns = el.namespace.clone();
    strip_foreign(&mut el, ns.as_deref(), &format!("/{root}"), findings);
    let mut canonical = String::new();
    write_canonical(&el, &mut canonical);
    let value: T = quick_xml::de::from_str(&canonical)
        .map_err(|e| PaymentError::MalformedMessage(format!("{root}: {e}")))?;
    // Anything the typed model did not keep is an element the XSD does not define.
    let back = to_xml(&value, root, ns.as_deref().unwrap_or_default())?;
    // Fast path: the model wrote back exactly what it read, so nothing was dropped or
    // reordered. Only when the texts differ (an unknown element, a changed value, or merely
    // another escaping of the same text) are both trees compared leaf by leaf.
    if back == canonical {
        return Ok(value);
    }
    let back = parse_tree(back.as_bytes(), &XmlLimits { max_bytes: usize::MAX, max_depth: 256 })?;
    compare(&el, &back, root, findings);
    Ok(value)
}

struct Leaf {
    key: String,
    path: String,
    location: String,
}

fn flatten(el: &Element, path: &str, location: &str, out: &mut Vec<Leaf>) {
    let mut key = format!("{path}={}", el.text);
    for (k, v) in &el.attributes {
        key.push_str(" @");
        key.push_str(k);
        key.push('=');
        key.push_str(v);
    }
    out.push(Leaf { key, path: path.to_owned(), location: location.to_owned() });
    for (c, step) in el.children.iter().zip(crate::xml::child_steps(el)) {
        flatten(c, &format!("{path}/{}", c.name), &format!("{location}/{step}"), out);
    }
}

fn compare(input: &Element, output: &Element, root: &str, findings: &mut Vec<Finding>) {
    let (mut a, mut b) = (Vec::new(), Vec::new());
    flatten(input, &format!("/{root}"), &format!("/{root}"), &mut a);
    flatten(output, &format!("/{root}"), &format!("/{root}"), &mut b);
    let mut counts: HashMap<&str, i64> = HashMap::new();
    for l in &b {
        *counts.entry(&l.key).or_insert(0) += 1;
    }
    let input_keys: std::collections::HashSet<&str> = a.iter().map(|l| l.key.as_str()).collect();
    let changed_paths: std::collections::HashSet<&str> = b
        .iter()
        .filter(|l| !input_keys.contains(l.key.as_str()))
        .map(|l| l.path.as_str())
        .collect();
    // Leaves are in document order, so an unknown element's descendants follow it directly.
    let mut last_reported: Option<&str> = None;
    let mut lost = false;
    for l in &a {
        let c = counts.entry(&l.key).or_insert(0);
        if *c > 0 {
            *c -= 1;
            continue;
        }
        lost = true;
        if last_reported
            .is_some_and(|r| l.location.strip_prefix(r).is_some_and(|rest| rest.starts_with('/')))
        {
            continue;
        }
        last_reported = Some(&l.location);
        let (code, message) = if changed_paths.contains(l.path.as_str()) {
            (ErrorCode::FacetViolation, format!("value not kept as written: {}", l.key))
        } else {
            (ErrorCode::UnknownElement, "element not defined by the XSD at this place".to_owned())
        };
        findings.push(Finding { code, location: l.location.clone(), message });
    }
    // Extra output elements come from defaulted required text (reported by `validate`);
    // the order can only be compared when both sides hold the same elements.
    if !lost && a.len() == b.len() && a.iter().map(|l| &l.key).ne(b.iter().map(|l| &l.key)) {
        findings.push(Finding {
            code: ErrorCode::FacetViolation,
            location: format!("/{root}"),
            message: "elements are not in XSD sequence order".to_owned(),
        });
    }
}
