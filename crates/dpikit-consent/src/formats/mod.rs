//! Mappings between [`ConsentRecord`](crate::model::ConsentRecord) and external consent
//! formats: Kantara Consent Receipt 1.1 ([`kantara`]), ReBIT Account Aggregator 2.1.0
//! ([`rebit`]), the W3C DPV serialisation of ISO/IEC TS 27560 ([`dpv`]) and the GovStack
//! Consent Building Block 1.1.0-rc1 ([`govstack`]).
//!
//! Every conversion returns a [`Conversion`]: the value plus a [`LossReport`] that names what
//! the core model does not map (`dropped`) and which defects of the input were accepted
//! (`warnings`). Nothing is lost silently: members an importer cannot map are kept in
//! [`ConsentRecord::extensions`](crate::model::ConsentRecord::extensions) under the format's
//! name, and the same format's exporter puts them back.
//!
//! Input is read with [`dpikit_core::parse_json`] under
//! [`CONSENT_LIMITS`]: size and depth are bounded and
//! duplicate keys are rejected ([`dpikit_core::ErrorCode::DuplicateKey`]).

use serde::Serialize;
use serde_json::{Map, Value};

use dpikit_core::parse_json;
use dpikit_core::time::{Timestamp, format_rfc3339};

use crate::model::{CONSENT_LIMITS, ConsentRecord};
use crate::{ConsentError, Result};

pub mod dpv;
pub mod govstack;
pub mod kantara;
pub mod rebit;

/// The result of a conversion: the converted value and what the conversion could not carry.
#[derive(Debug, Clone, PartialEq)]
pub struct Conversion<T> {
    /// The converted value.
    pub value: T,
    /// What was not mapped, and which input defects were accepted.
    pub report: LossReport,
}

/// What a conversion could not carry over, and which defects it accepted.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct LossReport {
    /// JSON pointers (or field names) of members the target does not map. On import they are
    /// kept in the record's `extensions` under the format's name, so the same format's export
    /// restores them; on export they are members the target format cannot hold.
    pub dropped: Vec<String>,
    /// Accepted defects and approximations (a normalised timestamp, an unverified signature,
    /// a default written for a required member).
    pub warnings: Vec<String>,
}

impl LossReport {
    /// Returns whether nothing was dropped and nothing was approximated.
    #[must_use]
    pub fn is_clean(&self) -> bool {
        self.dropped.is_empty() && self.warnings.is_empty()
    }

    pub(crate) fn drop_path(&mut self, path: impl Into<String>) {
        let path = path.into();
        if !self.dropped.contains(&path) {
            self.dropped.push(path);
        }
    }

    pub(crate) fn warn(&mut self, message: impl Into<String>) {
        let message = message.into();
        if !self.warnings.contains(&message) {
            self.warnings.push(message);
        }
    }
}

/// An external format, for callers that choose one at run time (the CLI, the bindings).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// Kantara Consent Receipt 1.1 ([`kantara`]).
    Kantara,
    /// ReBIT Account Aggregator 2.1.0 consent artefact ([`rebit`]).
    Rebit,
    /// W3C DPV serialisation of ISO/IEC TS 27560 ([`dpv`]).
    Dpv,
    /// GovStack Consent Building Block 1.1.0-rc1 ([`govstack`]; import only).
    GovStack,
}

impl Format {
    /// Every format, in the order of [`Format::name`]s listed in messages.
    pub const ALL: [Format; 4] = [Format::Kantara, Format::Rebit, Format::Dpv, Format::GovStack];

    /// The format's name: `kantara`, `rebit`, `dpv` or `govstack`.
    #[must_use]
    pub fn name(self) -> &'static str {
        match self {
            Format::Kantara => "kantara",
            Format::Rebit => "rebit",
            Format::Dpv => "dpv",
            Format::GovStack => "govstack",
        }
    }

    /// Finds a format by its [`Format::name`] (ASCII case ignored).
    ///
    /// # Examples
    ///
    /// ```
    /// use dpikit_consent::formats::Format;
    ///
    /// assert_eq!(Format::from_name("DPV"), Some(Format::Dpv));
    /// assert_eq!(Format::from_name("xml"), None);
    /// ```
    #[must_use]
    pub fn from_name(name: &str) -> Option<Format> {
        Format::ALL.into_iter().find(|f| f.name().eq_ignore_ascii_case(name))
    }

    /// Finds a format [`export`] writes by its exact [`Format::name`] (`kantara`, `rebit`,
    /// `dpv`; GovStack is import-only).
    ///
    /// # Examples
    ///
    /// ```
    /// use dpikit_consent::formats::Format;
    ///
    /// assert_eq!(Format::for_export("rebit"), Some(Format::Rebit));
    /// assert_eq!(Format::for_export("govstack"), None);
    /// assert_eq!(Format::for_export("DPV"), None);
    /// ```
    #[must_use]
    pub fn for_export(name: &str) -> Option<Format> {
        Format::ALL.into_iter().find(|f| f.name() == name && *f != Format::GovStack)
    }
}

/// What [`import`] read: the consent records, and the integrity findings (GovStack only).
#[derive(Debug, Clone, PartialEq, Default, Serialize)]
pub struct Imported {
    /// The records: one for Kantara and ReBIT, one or a receipt's records for DPV, every
    /// consent record of a GovStack document.
    pub records: Vec<ConsentRecord>,
    /// GovStack integrity checks that failed; empty for the other formats.
    pub findings: Vec<govstack::IntegrityFinding>,
}

/// Imports a document of `format` as consent records, with the loss report.
///
/// # Errors
///
/// As the format's own `import` ([`kantara::import`], [`rebit::import`], [`dpv::import`],
/// [`govstack::import`]).
///
/// # Examples
///
/// ```
/// use dpikit_consent::formats::{self, Format};
///
/// let fragment = br#"{"@id": "https://example.com/r1", "@type": "dpv:ConsentRecord"}"#;
/// let imported = formats::import(Format::Dpv, fragment)?;
/// assert_eq!(imported.value.records.len(), 1);
/// assert!(!imported.report.warnings.is_empty());
/// # Ok::<(), dpikit_consent::ConsentError>(())
/// ```
pub fn import(format: Format, bytes: &[u8]) -> Result<Conversion<Imported>> {
    let (records, findings, report) = match format {
        Format::Kantara => kantara::import(bytes).map(|c| (vec![c.value], Vec::new(), c.report))?,
        Format::Rebit => rebit::import(bytes).map(|c| (vec![c.value], Vec::new(), c.report))?,
        Format::Dpv => {
            let c = dpv::import(bytes)?;
            let records = match c.value {
                dpv::DpvDocument::Record(r) => vec![r],
                dpv::DpvDocument::Receipt(r) => r.records,
            };
            (records, Vec::new(), c.report)
        }
        Format::GovStack => {
            let c = govstack::import(bytes)?;
            (c.value.records, c.value.findings, c.report)
        }
    };
    Ok(Conversion { value: Imported { records, findings }, report })
}

/// Exports a record to `format`, with the loss report.
///
/// # Errors
///
/// As the format's own `export`; [`ConsentError::ExportInvalid`] for GovStack, which dpikit
/// only imports.
///
/// # Examples
///
/// ```
/// use dpikit_consent::formats::{self, Format};
///
/// let fragment = br#"{"@id": "https://example.com/r1", "@type": "dpv:ConsentRecord"}"#;
/// let record = formats::import(Format::Dpv, fragment)?.value.records.remove(0);
/// let exported = formats::export(Format::Dpv, &record)?;
/// assert_eq!(exported.value["@id"], "https://example.com/r1");
/// # Ok::<(), dpikit_consent::ConsentError>(())
/// ```
pub fn export(format: Format, record: &ConsentRecord) -> Result<Conversion<Value>> {
    match format {
        Format::Kantara => kantara::export(record),
        Format::Rebit => rebit::export(record),
        Format::Dpv => dpv::export(record),
        Format::GovStack => Err(ConsentError::ExportInvalid {
            format: "govstack",
            reason: "dpikit imports GovStack documents but does not write them".into(),
        }),
    }
}

/// Imports `bytes` in the format named `name` ([`Format::from_name`]), as [`import`] does.
///
/// # Errors
///
/// [`ConsentError::ImportFailed`] (format `unknown`) when `name` is no format; otherwise as
/// [`import`].
///
/// # Examples
///
/// ```
/// use dpikit_consent::formats;
///
/// let fragment = br#"{"@id": "https://example.com/r1", "@type": "dpv:ConsentRecord"}"#;
/// assert_eq!(formats::import_named("dpv", fragment)?.value.records.len(), 1);
/// let err = formats::import_named("xml", fragment).unwrap_err();
/// assert_eq!(err.code(), dpikit_core::ErrorCode::ConsentImportFailed);
/// # Ok::<(), dpikit_consent::ConsentError>(())
/// ```
pub fn import_named(name: &str, bytes: &[u8]) -> Result<Conversion<Imported>> {
    let Some(format) = Format::from_name(name) else {
        let reason = format!("unknown format {name:?}: kantara, rebit, dpv or govstack");
        return Err(ConsentError::ImportFailed { format: "unknown", reason });
    };
    import(format, bytes)
}

/// Parses input bytes with the consent limits; intake errors keep their core code.
pub(crate) fn parse(bytes: &[u8]) -> Result<Value> {
    Ok(parse_json(bytes, &CONSENT_LIMITS)?)
}

/// An [`ConsentError::ImportFailed`] for `format`.
pub(crate) fn import_failed(format: &'static str, reason: impl Into<String>) -> ConsentError {
    ConsentError::ImportFailed { format, reason: reason.into() }
}

/// An [`ConsentError::ExportInvalid`] for `format`.
pub(crate) fn export_invalid(format: &'static str, reason: impl Into<String>) -> ConsentError {
    ConsentError::ExportInvalid { format, reason: reason.into() }
}

/// Turns an import-side shape error into an [`ConsentError::ExportInvalid`] (for checks that
/// run the importer's validation over an exported document).
pub(crate) fn into_export(e: ConsentError) -> ConsentError {
    match e {
        ConsentError::ImportFailed { format, reason } => {
            ConsentError::ExportInvalid { format, reason }
        }
        other => other,
    }
}

/// Reads typed members of a JSON object, naming the JSON pointer in errors.
pub(crate) struct Fields<'a> {
    pub(crate) format: &'static str,
    pub(crate) path: String,
    pub(crate) map: &'a Map<String, Value>,
}

impl<'a> Fields<'a> {
    /// Wraps `value`, which must be an object.
    pub(crate) fn new(format: &'static str, path: &str, value: &'a Value) -> Result<Self> {
        match value {
            Value::Object(map) => Ok(Fields { format, path: path.to_owned(), map }),
            _ => Err(import_failed(format, format!("{} must be an object", show(path)))),
        }
    }

    pub(crate) fn at(&self, key: &str) -> String {
        format!("{}/{}", self.path, escape_pointer(key))
    }

    fn wrong(&self, key: &str, what: &str) -> ConsentError {
        import_failed(self.format, format!("{} must be {what}", self.at(key)))
    }

    fn missing(&self, key: &str) -> ConsentError {
        import_failed(self.format, format!("{} is required", self.at(key)))
    }

    pub(crate) fn get(&self, key: &str) -> Option<&'a Value> {
        self.map.get(key).filter(|v| !v.is_null())
    }

    pub(crate) fn opt_str(&self, key: &str) -> Result<Option<&'a str>> {
        match self.get(key) {
            None => Ok(None),
            Some(Value::String(s)) => Ok(Some(s)),
            Some(_) => Err(self.wrong(key, "a string")),
        }
    }

    pub(crate) fn req_str(&self, key: &str) -> Result<&'a str> {
        self.opt_str(key)?.ok_or_else(|| self.missing(key))
    }

    pub(crate) fn opt_bool(&self, key: &str) -> Result<Option<bool>> {
        match self.get(key) {
            None => Ok(None),
            Some(Value::Bool(b)) => Ok(Some(*b)),
            Some(_) => Err(self.wrong(key, "a boolean")),
        }
    }

    pub(crate) fn req_bool(&self, key: &str) -> Result<bool> {
        self.opt_bool(key)?.ok_or_else(|| self.missing(key))
    }

    pub(crate) fn opt_array(&self, key: &str) -> Result<Option<&'a Vec<Value>>> {
        match self.get(key) {
            None => Ok(None),
            Some(Value::Array(a)) => Ok(Some(a)),
            Some(_) => Err(self.wrong(key, "an array")),
        }
    }

    pub(crate) fn req_array(&self, key: &str) -> Result<&'a Vec<Value>> {
        self.opt_array(key)?.ok_or_else(|| self.missing(key))
    }

    /// A required array of strings.
    pub(crate) fn req_strings(&self, key: &str) -> Result<Vec<&'a str>> {
        self.req_array(key)?
            .iter()
            .map(|v| v.as_str().ok_or_else(|| self.wrong(key, "an array of strings")))
            .collect()
    }

    pub(crate) fn req_obj(&self, key: &str) -> Result<Fields<'a>> {
        let value = self.get(key).ok_or_else(|| self.missing(key))?;
        Fields::new(self.format, &self.at(key), value)
    }

    /// A non-negative whole number that fits in `u32` (`1` and `1.0` both qualify).
    pub(crate) fn req_u32(&self, key: &str) -> Result<u32> {
        let v = self.get(key).ok_or_else(|| self.missing(key))?;
        whole_u32(v).ok_or_else(|| self.wrong(key, "a whole number from 0 to 4294967295"))
    }
}

/// A JSON number that is a whole number in `u32` range.
pub(crate) fn whole_u32(v: &Value) -> Option<u32> {
    if let Some(n) = v.as_u64() {
        return u32::try_from(n).ok();
    }
    let f = v.as_f64()?;
    if f.fract() == 0.0 && (0.0..=f64::from(u32::MAX)).contains(&f) {
        // In range and whole, so the cast is exact.
        #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
        return Some(f as u32);
    }
    None
}

/// A pointer for messages: the root is shown as `/`.
fn show(path: &str) -> &str {
    if path.is_empty() { "/" } else { path }
}

/// Escapes a JSON pointer segment (RFC 6901).
pub(crate) fn escape_pointer(segment: &str) -> String {
    segment.replace('~', "~0").replace('/', "~1")
}

fn unescape_pointer(segment: &str) -> String {
    segment.replace("~1", "/").replace("~0", "~")
}

/// Formats an instant as RFC 3339 UTC.
pub(crate) fn rfc3339(t: &Timestamp) -> String {
    format_rfc3339(t)
}

// ---- Round-trip patches ------------------------------------------------------------------
//
// An importer maps what it can into the model, then derives the export the model alone would
// give and records, per JSON pointer, where the original differs: `{path, derived, original}`
// (a missing `derived` or `original` means "absent"). The exporter derives again and applies
// a patch only where its derived value is still the recorded one; where the model has changed
// since the import, the model wins and the stale patch is reported.

/// Collects patches where `original` differs from `derived`, skipping paths `skip` accepts.
pub(crate) fn diff(
    original: &Value,
    derived: &Value,
    path: &str,
    skip: &dyn Fn(&str) -> bool,
    out: &mut Vec<Value>,
) {
    if original == derived || skip(path) {
        return;
    }
    match (original, derived) {
        (Value::Object(o), Value::Object(d)) => {
            for (k, ov) in o {
                let p = format!("{path}/{}", escape_pointer(k));
                match d.get(k) {
                    Some(dv) => diff(ov, dv, &p, skip, out),
                    None if !skip(&p) => out.push(patch(&p, None, Some(ov))),
                    None => {}
                }
            }
            for (k, dv) in d {
                let p = format!("{path}/{}", escape_pointer(k));
                if !o.contains_key(k) && !skip(&p) {
                    out.push(patch(&p, Some(dv), None));
                }
            }
        }
        (Value::Array(o), Value::Array(d)) if o.len() == d.len() => {
            for (i, (ov, dv)) in o.iter().zip(d).enumerate() {
                diff(ov, dv, &format!("{path}/{i}"), skip, out);
            }
        }
        _ => out.push(patch(path, Some(derived), Some(original))),
    }
}

fn patch(path: &str, derived: Option<&Value>, original: Option<&Value>) -> Value {
    let mut m = Map::new();
    m.insert("path".into(), Value::String(path.to_owned()));
    if let Some(d) = derived {
        m.insert("derived".into(), d.clone());
    }
    if let Some(o) = original {
        m.insert("original".into(), o.clone());
    }
    Value::Object(m)
}

/// Lists the patches whose original carries data the model did not map.
pub(crate) fn report_patches(patches: &[Value], report: &mut LossReport) {
    for p in patches {
        if let (Some(path), Some(_)) = (p["path"].as_str(), p.get("original")) {
            report.drop_path(path);
        }
    }
}

/// Applies recorded patches to a freshly derived document.
pub(crate) fn apply_patches(
    format: &str,
    doc: &mut Value,
    patches: Option<&Value>,
    report: &mut LossReport,
) {
    let Some(Value::Array(patches)) = patches else { return };
    for p in patches {
        let Some(path) = p.get("path").and_then(Value::as_str) else {
            report.warn(format!("extensions.{format}: a patch without a path was ignored"));
            continue;
        };
        if doc.pointer(path) != p.get("derived") {
            report.warn(format!(
                "extensions.{format}: the model changed at {path} since import; the model's value wins"
            ));
            continue;
        }
        if !set_pointer(doc, path, p.get("original").cloned()) {
            report.warn(format!("extensions.{format}: cannot restore {path}"));
        }
    }
}

/// Sets (or with `None` removes) the member at `path`; returns whether it could.
fn set_pointer(doc: &mut Value, path: &str, value: Option<Value>) -> bool {
    if path.is_empty() {
        return match value {
            Some(v) => {
                *doc = v;
                true
            }
            None => false,
        };
    }
    let Some((parent, last)) = path.rsplit_once('/') else { return false };
    let key = unescape_pointer(last);
    match doc.pointer_mut(parent) {
        Some(Value::Object(m)) => {
            match value {
                Some(v) => {
                    m.insert(key, v);
                }
                None => {
                    m.shift_remove(&key);
                }
            }
            true
        }
        Some(Value::Array(a)) => match (key.parse::<usize>(), value) {
            (Ok(i), Some(v)) if i < a.len() => {
                a[i] = v;
                true
            }
            _ => false,
        },
        _ => false,
    }
}

/// Returns `value` as a list: an array's items, nothing for null/absent, else the value.
pub(crate) fn as_list(value: Option<&Value>) -> Vec<&Value> {
    match value {
        None | Some(Value::Null) => Vec::new(),
        Some(Value::Array(a)) => a.iter().collect(),
        Some(v) => vec![v],
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn patches_restore_and_go_stale() {
        let original = json!({"a": 1, "b": {"c": [1, 2], "d": "x"}, "e": true});
        let derived = json!({"a": 1, "b": {"c": [1, 3]}, "f": 0});
        let mut patches = Vec::new();
        diff(&original, &derived, "", &|_| false, &mut patches);
        let mut doc = derived.clone();
        let mut report = LossReport::default();
        apply_patches("t", &mut doc, Some(&Value::Array(patches.clone())), &mut report);
        assert_eq!(doc, original);
        assert!(report.is_clean());

        let mut changed = json!({"a": 1, "b": {"c": [1, 4]}, "f": 0});
        apply_patches("t", &mut changed, Some(&Value::Array(patches)), &mut report);
        assert_eq!(changed["b"]["c"], json!([1, 4]));
        assert_eq!(report.warnings.len(), 1);
    }

    #[test]
    fn whole_numbers() {
        assert_eq!(whole_u32(&json!(1.0)), Some(1));
        assert_eq!(whole_u32(&json!(4)), Some(4));
        assert_eq!(whole_u32(&json!(1.5)), None);
        assert_eq!(whole_u32(&json!(-1)), None);
        assert_eq!(whole_u32(&json!(5_000_000_000_u64)), None);
    }
}
