//! ISO/IEC TS 27560 consent records and receipts in the W3C DPV JSON-LD profile
//! ("DPV-27560", the DPVCG guide of 2026-02-15).
//!
//! | DPV-27560 | core |
//! |---|---|
//! | `@id` / `dct:identifier` | `id` |
//! | `dct:conformsTo` | `schema_version` |
//! | `dpv:hasDataSubject` | `principal` (`@id`) |
//! | `dpv:hasDataController`, `dpv:hasEntity` of type `dpv:DataController` | `controllers` |
//! | `dpv:hasDataProcessor`, `dpv:hasRecipient` (record) | `recipients` |
//! | `dpv:hasProcess` (`dpv:hasPurpose`, `dpv:hasPersonalData`, `dpv:hasRecipient`) | `purposes` (scheme `dpv`; one purpose per `dpv:hasPurpose` value) |
//! | `dpv:hasPurpose`, `dpv:hasPersonalData` (record) | `purposes`, `data_categories` |
//! | `dpv:hasStorageCondition` (`StorageLocation`, `StorageDuration`) | `storage_locations`, `retention_period` |
//! | `dpv:hasLegalBasis` | `legal_basis` |
//! | `dpv:hasJurisdiction` (`loc:XX`) | `jurisdiction` |
//! | `dpv:hasNotice` (`@id`, `dct:language`) | `notice.url`, `languages` |
//! | `dpv:hasConsentControl` (`dpv:WithdrawConsent`, `dpv:isExercisedAt`) | `withdrawal_method` |
//! | `dpv:hasConsentStatus` (type, `isIndicatedAtTime`, `isIndicatedBy`, `hasIndicationMethod`, `hasDuration`) | `state`, `events`, `consent_type`, `collection_method`, `validity`, `delegation` |
//!
//! The guide's examples are fragments without `@context`; [`import`] takes what a fragment
//! carries and lists the missing mandatory fields in `report.warnings`. Members it cannot map
//! (`dpv:hasRight`, `dpv:hasApplicableLaw`, ...) are kept in `extensions["dpv"]`.

use std::collections::BTreeMap;

use serde_json::{Map, Value, json};

use dpikit_core::time::parse_rfc3339;

use super::{
    Conversion, Fields, LossReport, as_list, escape_pointer, export_invalid, import_failed, parse,
    whole_u32,
};
use crate::Result;
use crate::lifecycle::{Event, State};
use crate::model::{
    Code, ConsentRecord, DataCategory, Delegation, Frequency, GivenBy, Notice, Party, Period,
    PeriodUnit, Purpose, SCHEMA_VERSION, Scheme, UsageLimits, Validity,
};

/// The format name used in errors and as the extensions key.
pub const FORMAT: &str = "dpv";
/// The `dct:conformsTo` of a DPV-27560 receipt.
pub const RECEIPT_SCHEMA: &str = "https://w3id.org/dpv/schema/dpv-27560#receipt";
/// The consent state written for `Paused`, which DPV has no term for.
pub const PAUSED_TERM: &str = "dpikit:ConsentPaused";

/// The `@context` written on export: the prefixes the guide's examples use.
#[must_use]
pub fn context() -> Value {
    json!({
        "dpv": "https://w3id.org/dpv#",
        "pd": "https://w3id.org/dpv/pd#",
        "loc": "https://w3id.org/dpv/loc#",
        "eu-gdpr": "https://w3id.org/dpv/legal/eu/gdpr#",
        "dct": "http://purl.org/dc/terms/",
        "skos": "http://www.w3.org/2004/02/skos/core#",
        "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
        "schema": "https://schema.org/",
        "dpikit": "urn:dpikit:vocab:"
    })
}

/// A document read by [`import`]: a consent record or a consent receipt.
// One value per import, never stored in bulk: boxing the record would only add a deref to
// every caller.
#[allow(clippy::large_enum_variant)]
#[derive(Debug, Clone, PartialEq)]
pub enum DpvDocument {
    /// A `dpv:ConsentRecord`.
    Record(ConsentRecord),
    /// A `dpv:ConsentReceipt`.
    Receipt(DpvReceipt),
}

/// A DPV-27560 consent receipt: receipt metadata and the records it reports.
#[derive(Debug, Clone, PartialEq)]
pub struct DpvReceipt {
    /// The receipt's `@id`.
    pub id: String,
    /// `dct:identifier`.
    pub identifier: Option<String>,
    /// `dct:conformsTo`.
    pub schema_version: Option<String>,
    /// `dct:created` (as written).
    pub created: Option<String>,
    /// `dct:publisher`.
    pub publisher: Option<String>,
    /// `schema:recipient`.
    pub recipient: Option<String>,
    /// `dpv:hasRecordOfActivity`.
    pub records: Vec<ConsentRecord>,
}

/// Imports a DPV-27560 consent record or receipt (JSON-LD in compact form, with or without
/// `@context`).
///
/// Fragments import: missing mandatory fields are listed in `report.warnings` and left
/// empty in the record (so [`ConsentRecord::validate`] may fail on a fragment). Dates
/// without a time or an offset are read as UTC midnight / UTC, with a warning.
///
/// # Errors
///
/// JSON intake errors ([`crate::ConsentError::Core`]; a repeated key such as the guide's
/// Ex. 46 gives [`dpikit_core::ErrorCode::DuplicateKey`]); [`crate::ConsentError::ImportFailed`]
/// for a document that is not a `dpv:ConsentRecord` or `dpv:ConsentReceipt`, a record without
/// any identifier, a member of the wrong type, or an unreadable timestamp.
///
/// # Examples
///
/// ```
/// use dpikit_consent::formats::dpv::{self, DpvDocument};
/// use dpikit_consent::lifecycle::State;
///
/// let fragment = br#"{"@id": "https://example.com/r1", "@type": "dpv:ConsentRecord",
///   "dpv:hasConsentStatus": {"@type": "dpv:ConsentGiven", "dpv:isIndicatedAtTime": "2024-01-01"}}"#;
/// let imported = dpv::import(fragment)?;
/// let DpvDocument::Record(record) = imported.value else { panic!("a record") };
/// assert_eq!(record.state, State::Given);
/// assert!(!imported.report.warnings.is_empty()); // a fragment: mandatory fields missing
///
/// let exported = dpv::export(&record)?;
/// assert!(exported.value.get("@context").is_some());
/// assert_eq!(exported.value["dpv:hasConsentStatus"][0]["@type"], "dpv:ConsentGiven");
/// # Ok::<(), dpikit_consent::ConsentError>(())
/// ```
pub fn import(bytes: &[u8]) -> Result<Conversion<DpvDocument>> {
    let doc = parse(bytes)?;
    let mut report = LossReport::default();
    let f = Fields::new(FORMAT, "", &doc)?;
    let types = type_names(f.get("@type"));
    if types.iter().any(|t| t == "dpv:ConsentReceipt") {
        let receipt = import_receipt(&f, &mut report)?;
        return Ok(Conversion { value: DpvDocument::Receipt(receipt), report });
    }
    let record = import_record(&f, None, &mut report)?;
    Ok(Conversion { value: DpvDocument::Record(record), report })
}

/// Exports a record as a DPV-27560 consent record with an `@context` naming the prefixes.
///
/// # Errors
///
/// [`crate::ConsentError::ExportInvalid`] when the record has no identifier.
///
/// # Examples
///
/// See [`import`]; a full record exports with every mandatory field it holds:
///
/// ```
/// use dpikit_consent::formats::dpv;
/// use dpikit_consent::model::{Code, ConsentRecord, Party, Purpose, Scheme};
///
/// let record = ConsentRecord::request("urn:uuid:c-1", "did:example:ana",
///     Party::new("did:web:city.example", "City"),
///     Purpose::new(Code::new(Scheme::Dpv, "dpv:ServiceProvision"), "Housing subsidy"));
/// let out = dpv::export(&record)?;
/// assert_eq!(out.value["dpv:hasProcess"][0]["dpv:hasPurpose"], "dpv:ServiceProvision");
/// assert_eq!(out.value["dpv:hasConsentStatus"][0]["@type"], "dpv:ConsentRequested");
/// # Ok::<(), dpikit_consent::ConsentError>(())
/// ```
pub fn export(record: &ConsentRecord) -> Result<Conversion<Value>> {
    let mut report = LossReport::default();
    let mut doc = export_record(record, &mut report)?;
    if let Value::Object(m) = &mut doc {
        let mut with_context = Map::new();
        with_context.insert("@context".into(), context());
        with_context.append(m);
        *m = with_context;
    }
    Ok(Conversion { value: doc, report })
}

/// Exports a DPV-27560 consent receipt holding its records, with an `@context`.
///
/// # Errors
///
/// [`crate::ConsentError::ExportInvalid`] when the receipt or one of its records has no
/// identifier.
///
/// # Examples
///
/// ```
/// use dpikit_consent::formats::dpv::{self, DpvDocument, DpvReceipt};
/// use dpikit_consent::model::{Code, ConsentRecord, Party, Purpose, Scheme};
///
/// let record = ConsentRecord::request("urn:uuid:c-1", "did:example:ana",
///     Party::new("did:web:city.example", "City"),
///     Purpose::new(Code::new(Scheme::Dpv, "dpv:ServiceProvision"), "Housing subsidy"));
/// let receipt = DpvReceipt { id: "urn:uuid:rc-1".into(), identifier: Some("rc-1".into()),
///     schema_version: None, created: Some("2026-01-01T00:00:00Z".into()),
///     publisher: Some("did:web:city.example".into()), recipient: None, records: vec![record] };
/// let out = dpv::export_receipt(&receipt)?;
/// let back = dpv::import(out.value.to_string().as_bytes())?;
/// let DpvDocument::Receipt(again) = back.value else { panic!("a receipt") };
/// assert_eq!(again.records[0].id, "urn:uuid:c-1");
/// # Ok::<(), dpikit_consent::ConsentError>(())
/// ```
pub fn export_receipt(receipt: &DpvReceipt) -> Result<Conversion<Value>> {
    if receipt.id.is_empty() {
        return Err(export_invalid(FORMAT, "the receipt has no identifier"));
    }
    let mut report = LossReport::default();
    let mut m = Map::new();
    m.insert("@context".into(), context());
    m.insert("@id".into(), json!(receipt.id));
    m.insert("@type".into(), json!("dpv:ConsentReceipt"));
    m.insert("dct:identifier".into(), json!(receipt.identifier.as_deref().unwrap_or(&receipt.id)));
    m.insert(
        "dct:conformsTo".into(),
        json!(receipt.schema_version.as_deref().unwrap_or(RECEIPT_SCHEMA)),
    );
    for (key, v) in [
        ("dct:created", &receipt.created),
        ("dct:publisher", &receipt.publisher),
        ("schema:recipient", &receipt.recipient),
    ] {
        if let Some(v) = v {
            m.insert(key.into(), json!(v));
        }
    }
    let records: Vec<Value> =
        receipt.records.iter().map(|r| export_record(r, &mut report)).collect::<Result<_>>()?;
    m.insert("dpv:hasRecordOfActivity".into(), Value::Array(records));
    Ok(Conversion { value: Value::Object(m), report })
}

// ---- import ------------------------------------------------------------------------------

/// `@type` as a list of names.
fn type_names(v: Option<&Value>) -> Vec<String> {
    as_list(v).into_iter().filter_map(|t| t.as_str().map(str::to_owned)).collect()
}

/// An IRI from a string or an object's `@id`.
fn iri(v: &Value) -> Option<&str> {
    match v {
        Value::String(s) => Some(s),
        Value::Object(m) => m.get("@id").and_then(Value::as_str),
        _ => None,
    }
}

fn import_receipt(f: &Fields<'_>, report: &mut LossReport) -> Result<DpvReceipt> {
    let id = f
        .opt_str("@id")?
        .or(f.opt_str("dct:identifier")?)
        .ok_or_else(|| import_failed(FORMAT, "the receipt has neither @id nor dct:identifier"))?;
    let mut missing = Vec::new();
    for key in ["dct:identifier", "dct:conformsTo", "dct:created"] {
        if f.get(key).is_none() {
            missing.push(key);
        }
    }
    let records_value = f.get("dpv:hasRecordOfActivity");
    if records_value.is_none() {
        missing.push("dpv:hasRecordOfActivity");
    }
    if !missing.is_empty() {
        report.warn(format!("partial receipt: missing {}", missing.join(", ")));
    }
    let is_list = matches!(records_value, Some(Value::Array(_)));
    let mut records = Vec::new();
    for (i, r) in as_list(records_value).into_iter().enumerate() {
        let path = if is_list {
            format!("/dpv:hasRecordOfActivity/{i}")
        } else {
            "/dpv:hasRecordOfActivity".to_owned()
        };
        let rf = Fields::new(FORMAT, &path, r)?;
        let fallback = format!("{id}#record-{i}");
        records.push(import_record(&rf, Some(&fallback), report)?);
    }
    let known = [
        "@context",
        "@id",
        "@type",
        "dct:identifier",
        "dct:conformsTo",
        "dct:created",
        "dct:publisher",
        "schema:recipient",
        "dpv:hasRecordOfActivity",
    ];
    for k in f.map.keys().filter(|k| !known.contains(&k.as_str())) {
        report.drop_path(f.at(k));
    }
    Ok(DpvReceipt {
        id: id.to_owned(),
        identifier: f.opt_str("dct:identifier")?.map(str::to_owned),
        schema_version: f.opt_str("dct:conformsTo")?.map(str::to_owned),
        created: f.opt_str("dct:created")?.map(str::to_owned),
        publisher: f.get("dct:publisher").and_then(iri).map(str::to_owned),
        recipient: f.get("schema:recipient").and_then(iri).map(str::to_owned),
        records,
    })
}

/// Builds a record as the importer fills it.
fn empty_record(id: String) -> ConsentRecord {
    ConsentRecord {
        schema_version: String::new(),
        id,
        principal: String::new(),
        controllers: Vec::new(),
        recipients: Vec::new(),
        purposes: Vec::new(),
        data_categories: Vec::new(),
        legal_basis: None,
        consent_type: None,
        notice: None,
        languages: Vec::new(),
        jurisdiction: None,
        collection_method: None,
        storage_locations: Vec::new(),
        retention_period: None,
        withdrawal_method: None,
        validity: Validity::default(),
        usage: UsageLimits::default(),
        delegation: None,
        state: State::Requested,
        events: Vec::new(),
        extensions: BTreeMap::new(),
    }
}

const RECORD_KEYS: [&str; 20] = [
    "@context",
    "@id",
    "@type",
    "dct:identifier",
    "dct:conformsTo",
    "dpv:hasDataSubject",
    "dpv:hasDataController",
    "dpv:hasDataProcessor",
    "dpv:hasRecipient",
    "dpv:hasEntity",
    "dpv:hasJurisdiction",
    "dpv:hasLegalBasis",
    "dpv:hasProcess",
    "dpv:hasPurpose",
    "dpv:hasPersonalData",
    "dpv:hasStorageCondition",
    "dpv:hasNotice",
    "dpv:hasConsentControl",
    "dpv:hasConsentStatus",
    "dct:description",
];

fn import_record(
    f: &Fields<'_>,
    fallback_id: Option<&str>,
    report: &mut LossReport,
) -> Result<ConsentRecord> {
    let types = type_names(f.get("@type"));
    if !types.is_empty() && !types.iter().any(|t| t == "dpv:ConsentRecord") {
        return Err(import_failed(
            FORMAT,
            format!("{} has @type {types:?}, not dpv:ConsentRecord", f.at("@type")),
        ));
    }
    let id = match (f.opt_str("@id")?, f.opt_str("dct:identifier")?, fallback_id) {
        (Some(id), _, _) | (None, Some(id), _) => id.to_owned(),
        (None, None, Some(fallback)) => {
            report.warn(format!("{}: record has no @id: named {fallback}", show(&f.path)));
            fallback.to_owned()
        }
        (None, None, None) => {
            return Err(import_failed(FORMAT, "the record has neither @id nor dct:identifier"));
        }
    };
    let mut r = empty_record(id);
    let mut unmapped = Map::new();
    for (k, v) in f.map {
        if !RECORD_KEYS.contains(&k.as_str()) {
            report.drop_path(f.at(k));
            unmapped.insert(k.clone(), v.clone());
        }
    }
    if let (Some(at_id), Some(ident)) = (f.opt_str("@id")?, f.opt_str("dct:identifier")?) {
        if at_id != ident {
            unmapped.insert("dct:identifier".into(), json!(ident));
            report.drop_path(f.at("dct:identifier"));
        }
    }
    f.opt_str("dct:conformsTo")?.unwrap_or_default().clone_into(&mut r.schema_version);
    if let Some(subject) = f.get("dpv:hasDataSubject") {
        iri(subject)
            .ok_or_else(|| {
                import_failed(FORMAT, format!("{} has no @id", f.at("dpv:hasDataSubject")))
            })?
            .clone_into(&mut r.principal);
        if let Value::Object(m) = subject {
            if m.keys().any(|k| k != "@id") {
                unmapped.insert("dpv:hasDataSubject".into(), subject.clone());
                report.drop_path(format!("{} (subject type)", f.at("dpv:hasDataSubject")));
            }
        }
    }
    read_parties(f, &mut r, &mut unmapped, report)?;
    read_common(f, &mut r, report)?;
    read_processes(f, &mut r, &mut unmapped, report)?;
    read_notice(f, &mut r, &mut unmapped, report)?;
    read_status(f, &mut r, &mut unmapped, report)?;
    warn_missing(f, &r, report);
    if !unmapped.is_empty() {
        r.extensions.insert(FORMAT.to_owned(), json!({ "unmapped": unmapped }));
    }
    Ok(r)
}

/// Reads controllers, recipients and the jurisdiction.
fn read_parties(
    f: &Fields<'_>,
    r: &mut ConsentRecord,
    unmapped: &mut Map<String, Value>,
    report: &mut LossReport,
) -> Result<()> {
    for v in as_list(f.get("dpv:hasDataController")) {
        r.controllers.push(entity(f, v, "controller")?);
    }
    for v in as_list(f.get("dpv:hasEntity")) {
        let is_controller = v
            .get("@type")
            .map(|t| type_names(Some(t)))
            .is_some_and(|t| t.iter().any(|n| n == "dpv:DataController"));
        if is_controller {
            let p = entity(f, v, "controller")?;
            if !r.controllers.iter().any(|c| c.id == p.id) {
                r.controllers.push(p);
            }
        } else {
            r.recipients.push(entity(f, v, "entity")?);
        }
    }
    for v in as_list(f.get("dpv:hasDataProcessor")) {
        r.recipients.push(entity(f, v, "processor")?);
    }
    for v in as_list(f.get("dpv:hasRecipient")) {
        r.recipients.push(entity(f, v, "recipient")?);
    }
    let jurisdictions: Vec<&str> =
        as_list(f.get("dpv:hasJurisdiction")).into_iter().filter_map(iri).collect();
    if let Some(j) = jurisdictions.first() {
        r.jurisdiction = Some(j.strip_prefix("loc:").unwrap_or(j).to_owned());
        if jurisdictions.len() > 1 {
            report.drop_path(format!("{}/1..", f.at("dpv:hasJurisdiction")));
            unmapped.insert(
                "dpv:hasJurisdiction".into(),
                f.get("dpv:hasJurisdiction").cloned().unwrap_or_default(),
            );
        }
    }
    Ok(())
}

/// Reads `dpv:hasProcess`: one purpose per `dpv:hasPurpose` value, with the process's data
/// and recipients.
fn read_processes(
    f: &Fields<'_>,
    r: &mut ConsentRecord,
    unmapped: &mut Map<String, Value>,
    report: &mut LossReport,
) -> Result<()> {
    let processes = as_list(f.get("dpv:hasProcess"));
    for (i, p) in processes.iter().enumerate() {
        let path = if matches!(f.get("dpv:hasProcess"), Some(Value::Array(_))) {
            format!("{}/{i}", f.at("dpv:hasProcess"))
        } else {
            f.at("dpv:hasProcess")
        };
        let pf = Fields::new(FORMAT, &path, p)?;
        let before = r.purposes.len();
        read_common(&pf, r, report)?;
        let recipients: Vec<Party> = as_list(pf.get("dpv:hasRecipient"))
            .into_iter()
            .map(|v| entity(&pf, v, "recipient"))
            .collect::<Result<_>>()?;
        for purpose in &mut r.purposes[before..] {
            purpose.third_parties.clone_from(&recipients);
        }
        for (k, v) in pf.map {
            let known = [
                "@type",
                "@id",
                "dpv:hasPurpose",
                "dpv:hasPersonalData",
                "dpv:hasRecipient",
                "dpv:hasStorageCondition",
                "dpv:hasLegalBasis",
                "dpv:hasConsentControl",
                "dct:description",
            ];
            if !known.contains(&k.as_str()) {
                report.drop_path(pf.at(k));
                unmapped.insert(pf.at(k), v.clone());
            }
        }
    }
    Ok(())
}

/// Reads `dpv:hasNotice`: its `@id` and language; the rest is kept unmapped.
fn read_notice(
    f: &Fields<'_>,
    r: &mut ConsentRecord,
    unmapped: &mut Map<String, Value>,
    report: &mut LossReport,
) -> Result<()> {
    if let Some(notice) = f.get("dpv:hasNotice") {
        let nf_path = f.at("dpv:hasNotice");
        let url =
            iri(notice).ok_or_else(|| import_failed(FORMAT, format!("{nf_path} has no @id")))?;
        r.notice = Some(Notice { url: url.to_owned(), sha256: None });
        if let Value::Object(m) = notice {
            if let Some(lang) = m.get("dct:language").and_then(Value::as_str) {
                r.languages.push(lang.to_owned());
            }
            let extra: Map<String, Value> = m
                .iter()
                .filter(|(k, _)| !["@id", "dct:language"].contains(&k.as_str()))
                .map(|(k, v)| (k.clone(), v.clone()))
                .collect();
            for k in extra.keys().filter(|k| *k != "@type") {
                report.drop_path(format!("{nf_path}/{}", escape_pointer(k)));
            }
            if !extra.is_empty() {
                unmapped.insert("dpv:hasNotice".into(), Value::Object(extra));
            }
        }
    }
    Ok(())
}

fn show(path: &str) -> &str {
    if path.is_empty() { "/" } else { path }
}

/// Reads a party from an IRI or an entity object.
fn entity(f: &Fields<'_>, v: &Value, kind: &str) -> Result<Party> {
    let id = iri(v)
        .ok_or_else(|| import_failed(FORMAT, format!("{}: an entity needs an @id", f.path)))?;
    let text = |k: &str| v.get(k).and_then(Value::as_str).map(str::to_owned);
    Ok(Party {
        id: id.to_owned(),
        name: text("dpv:hasName").or_else(|| text("dct:title")),
        contact: text("dpv:hasContact"),
        address: text("dpv:hasAddress"),
        kind: Some(kind.to_owned()),
        url: text("foaf:homepage"),
    })
}

/// Reads the members a record and a process share.
fn read_common(f: &Fields<'_>, r: &mut ConsentRecord, report: &mut LossReport) -> Result<()> {
    let mut categories = Vec::new();
    for v in as_list(f.get("dpv:hasPersonalData")) {
        let code = iri(v).ok_or_else(|| {
            import_failed(FORMAT, format!("{} must be IRIs", f.at("dpv:hasPersonalData")))
        })?;
        categories.push(DataCategory { code: Code::new(Scheme::Dpv, code), sensitive: false });
    }
    let purposes = as_list(f.get("dpv:hasPurpose"));
    let text = f.opt_str("dct:description")?.map(str::to_owned);
    if purposes.is_empty() {
        r.data_categories.extend(categories);
    } else {
        for v in purposes {
            r.purposes.push(Purpose {
                codes: vec![purpose_code(f, v)?],
                text: text.clone(),
                data_categories: categories.clone(),
                primary: None,
                termination: None,
                third_parties: Vec::new(),
            });
        }
    }
    if let Some(lb) = f.get("dpv:hasLegalBasis") {
        let lb = iri(lb).ok_or_else(|| {
            import_failed(FORMAT, format!("{} must be an IRI", f.at("dpv:hasLegalBasis")))
        })?;
        r.legal_basis = Some(lb.to_owned());
    }
    for c in as_list(f.get("dpv:hasConsentControl")) {
        let withdraw = type_names(c.get("@type")).iter().any(|t| t == "dpv:WithdrawConsent");
        if let (true, Some(at)) = (withdraw, c.get("dpv:isExercisedAt").and_then(Value::as_str)) {
            r.withdrawal_method = Some(at.to_owned());
        }
    }
    for (i, s) in as_list(f.get("dpv:hasStorageCondition")).into_iter().enumerate() {
        let types = type_names(s.get("@type"));
        if types.iter().any(|t| t == "dpv:StorageLocation") {
            for loc in as_list(s.get("dpv:hasLocation")).into_iter().filter_map(iri) {
                if !r.storage_locations.iter().any(|l| l == loc) {
                    r.storage_locations.push(loc.to_owned());
                }
            }
        } else if types.iter().any(|t| t == "dpv:StorageDuration") {
            let d = match s.get("dpv:hasDuration") {
                Some(Value::String(d)) => Some(d.clone()),
                Some(obj) => obj.get("rdf:value").and_then(Value::as_str).map(str::to_owned),
                None => None,
            };
            match (&r.retention_period, d) {
                (None, Some(d)) => r.retention_period = Some(d),
                (Some(old), Some(d)) if *old != d => {
                    report.drop_path(format!(
                        "{}/{i} (a second retention period)",
                        f.at("dpv:hasStorageCondition")
                    ));
                }
                _ => {}
            }
        } else {
            report.drop_path(format!("{}/{i}", f.at("dpv:hasStorageCondition")));
        }
    }
    Ok(())
}

/// A purpose code: a DPV IRI, or an object with `skos:notation` and `skos:inScheme`.
fn purpose_code(f: &Fields<'_>, v: &Value) -> Result<Code> {
    if let Some(code) = v.get("skos:notation").and_then(Value::as_str) {
        let scheme = match v.get("skos:inScheme").and_then(Value::as_str) {
            Some("kantara") => Scheme::Kantara,
            Some("rebit") => Scheme::Rebit,
            Some("dpv") => Scheme::Dpv,
            _ => Scheme::Local,
        };
        return Ok(Code::new(scheme, code));
    }
    let code = iri(v)
        .ok_or_else(|| import_failed(FORMAT, format!("{} must be IRIs", f.at("dpv:hasPurpose"))))?;
    Ok(Code::new(Scheme::Dpv, code))
}

fn state_of(term: &str) -> Option<State> {
    Some(match term {
        "dpv:ConsentRequested" => State::Requested,
        "dpv:ConsentRequestDeferred" => State::Deferred,
        "dpv:ConsentGiven" | "dpv:RenewedConsentGiven" => State::Given,
        "dpv:ConsentRefused" => State::Refused,
        "dpv:ConsentWithdrawn" => State::Withdrawn,
        "dpv:ConsentRevoked" => State::Revoked,
        "dpv:ConsentExpired" => State::Expired,
        "dpv:ConsentInvalidated" => State::Invalidated,
        PAUSED_TERM => State::Paused,
        _ => return None,
    })
}

fn term_of(state: State) -> &'static str {
    match state {
        State::Requested => "dpv:ConsentRequested",
        State::Deferred => "dpv:ConsentRequestDeferred",
        State::Given => "dpv:ConsentGiven",
        State::Refused => "dpv:ConsentRefused",
        State::Withdrawn => "dpv:ConsentWithdrawn",
        State::Revoked => "dpv:ConsentRevoked",
        State::Expired => "dpv:ConsentExpired",
        State::Invalidated => "dpv:ConsentInvalidated",
        State::Paused => PAUSED_TERM,
    }
}

const CONSENT_TYPES: [&str; 5] = [
    "dpv:ExpressedConsent",
    "dpv:ExplicitlyExpressedConsent",
    "dpv:ImpliedConsent",
    "dpv:InformedConsent",
    "dpv:UninformedConsent",
];

/// Reads an xsd date or dateTime: RFC 3339 as is; no offset means UTC; a date means midnight.
fn read_time(path: &str, text: &str, report: &mut LossReport) -> Result<String> {
    if parse_rfc3339(text).is_ok() {
        return Ok(text.to_owned());
    }
    let candidate = if text.len() == 10 { format!("{text}T00:00:00Z") } else { format!("{text}Z") };
    if parse_rfc3339(&candidate).is_ok() {
        report.warn(format!("{path}: {text:?} has no offset; read as {candidate:?} (UTC)"));
        return Ok(candidate);
    }
    Err(import_failed(FORMAT, format!("{path} is not an xsd:dateTime or xsd:date: {text:?}")))
}

/// Reads `dpv:isIndicatedBy`: the first IRI is the actor; a parent, guardian or other
/// representative becomes the record's delegation.
fn read_indicated_by(status: &Map<String, Value>, record: &mut ConsentRecord) -> Option<String> {
    let mut actor = None;
    for by in as_list(status.get("dpv:isIndicatedBy")) {
        match by {
            Value::String(iri) if actor.is_none() => actor = Some(iri.clone()),
            Value::Object(entity) => {
                let types = type_names(entity.get("@type"));
                let guardian = types
                    .iter()
                    .any(|t| t == "dpv:ParentOfDataSubject" || t == "dpv:GuardianOfDataSubject");
                record.delegation = Some(Delegation {
                    given_by: if guardian { GivenBy::Guardian } else { GivenBy::Agent },
                    actor: entity.get("@id").and_then(Value::as_str).map(str::to_owned),
                    mandate: entity
                        .get("dpv:hasJustification")
                        .and_then(Value::as_str)
                        .map(str::to_owned),
                    until: None,
                });
            }
            _ => {}
        }
    }
    actor
}

fn read_status(
    f: &Fields<'_>,
    r: &mut ConsentRecord,
    unmapped: &mut Map<String, Value>,
    report: &mut LossReport,
) -> Result<()> {
    let key = "dpv:hasConsentStatus";
    let list = matches!(f.get(key), Some(Value::Array(_)));
    let mut state = None;
    for (i, s) in as_list(f.get(key)).into_iter().enumerate() {
        let path = if list { format!("{}/{i}", f.at(key)) } else { f.at(key) };
        let types = match s {
            Value::String(t) => vec![t.clone()],
            _ => type_names(s.get("@type")),
        };
        let mut this = None;
        for t in &types {
            if let Some(st) = state_of(t) {
                this = Some(st);
            } else if CONSENT_TYPES.contains(&t.as_str()) {
                r.consent_type = Some(t.clone());
            } else {
                report.warn(format!("{path}: unknown consent status {t:?} ignored"));
            }
        }
        let Some(this) = this else { continue };
        state = Some(this);
        let Value::Object(m) = s else { continue };
        let actor = read_indicated_by(m, r);
        if let Some(method) = m.get("dpv:hasIndicationMethod").and_then(Value::as_str) {
            r.collection_method.get_or_insert_with(|| method.to_owned());
        }
        let at = match m.get("dpv:isIndicatedAtTime").and_then(Value::as_str) {
            Some(t) => Some(read_time(&format!("{path}/dpv:isIndicatedAtTime"), t, report)?),
            None => None,
        };
        if let Some(d) = m.get("dpv:hasDuration") {
            read_duration(&format!("{path}/dpv:hasDuration"), d, r, unmapped, report)?;
            if r.validity.start.is_none() {
                r.validity.start.clone_from(&at);
            }
        }
        if this == State::Given && r.validity.start.is_none() {
            r.validity.start.clone_from(&at);
        }
        match at {
            Some(at) => r.events.push(Event {
                state: this,
                at,
                actor: actor.unwrap_or_else(|| "unspecified".to_owned()),
                reason: m.get("dct:description").and_then(Value::as_str).map(str::to_owned),
            }),
            None => report.warn(format!(
                "{path}: status without dpv:isIndicatedAtTime is not recorded as an event"
            )),
        }
    }
    r.state = state.unwrap_or(State::Requested);
    Ok(())
}

fn read_duration(
    path: &str,
    d: &Value,
    r: &mut ConsentRecord,
    unmapped: &mut Map<String, Value>,
    report: &mut LossReport,
) -> Result<()> {
    if let Value::String(iso) = d {
        r.validity.duration = Some(iso.clone());
        return Ok(());
    }
    let types = type_names(d.get("@type"));
    let value = d.get("rdf:value").and_then(Value::as_str).unwrap_or_default();
    if types.iter().any(|t| t == "dpv:TemporalDuration") {
        r.validity.duration = Some(value.to_owned());
    } else if types.iter().any(|t| t == "dpv:UntilTimeDuration") {
        r.validity.expiry = Some(read_time(&format!("{path}/rdf:value"), value, report)?);
    } else if types.iter().any(|t| t == "dpv:FixedOccurrencesDuration") {
        let n = value
            .parse::<u32>()
            .ok()
            .or_else(|| d.get("rdf:value").and_then(whole_u32))
            .ok_or_else(|| {
                import_failed(FORMAT, format!("{path}/rdf:value must be a whole number"))
            })?;
        r.usage.frequency =
            Some(Frequency { count: n, per: Period { unit: PeriodUnit::Inf, value: 0 } });
    } else {
        report.drop_path(path.to_owned());
        unmapped.insert(path.to_owned(), d.clone());
    }
    Ok(())
}

/// Lists the DPV-27560 mandatory record fields a fragment lacks.
fn warn_missing(f: &Fields<'_>, r: &ConsentRecord, report: &mut LossReport) {
    let checks = [
        (r.schema_version.is_empty(), "dct:conformsTo"),
        (r.principal.is_empty(), "dpv:hasDataSubject"),
        (r.notice.is_none(), "dpv:hasNotice"),
        (r.languages.is_empty(), "notice language"),
        (r.purposes.is_empty(), "dpv:hasPurpose"),
        (
            r.data_categories.is_empty() && r.purposes.iter().all(|p| p.data_categories.is_empty()),
            "dpv:hasPersonalData",
        ),
        (r.controllers.is_empty(), "dpv:hasDataController"),
        (r.storage_locations.is_empty() && r.retention_period.is_none(), "dpv:hasStorageCondition"),
        (
            r.recipients.is_empty() && r.purposes.iter().all(|p| p.third_parties.is_empty()),
            "dpv:hasRecipient",
        ),
        (r.withdrawal_method.is_none(), "dpv:hasConsentControl"),
        (r.jurisdiction.is_none(), "dpv:hasJurisdiction"),
        (f.get("dpv:hasConsentStatus").is_none(), "dpv:hasConsentStatus"),
    ];
    let missing: Vec<&str> = checks.iter().filter(|c| c.0).map(|c| c.1).collect();
    if !missing.is_empty() {
        report.warn(format!("{}: partial record: missing {}", show(&f.path), missing.join(", ")));
    }
}

// ---- export ------------------------------------------------------------------------------

fn party_out(p: &Party, default_type: &str) -> Value {
    let mut m = Map::new();
    m.insert("@id".into(), json!(p.id));
    m.insert("@type".into(), json!(default_type));
    for (k, v) in [
        ("dpv:hasName", &p.name),
        ("dpv:hasContact", &p.contact),
        ("dpv:hasAddress", &p.address),
        ("foaf:homepage", &p.url),
    ] {
        if let Some(v) = v {
            m.insert(k.into(), json!(v));
        }
    }
    if m.len() == 2 { json!(p.id) } else { Value::Object(m) }
}

fn code_out(c: &Code) -> Value {
    match c.scheme {
        Scheme::Dpv => json!(c.code),
        Scheme::Kantara => {
            json!({"@type": "dpv:Purpose", "skos:notation": c.code, "skos:inScheme": "kantara"})
        }
        Scheme::Rebit => {
            json!({"@type": "dpv:Purpose", "skos:notation": c.code, "skos:inScheme": "rebit"})
        }
        Scheme::Local => {
            json!({"@type": "dpv:Purpose", "skos:notation": c.code, "skos:inScheme": "local"})
        }
    }
}

fn one_or_many(mut items: Vec<Value>) -> Value {
    if items.len() == 1 { items.remove(0) } else { Value::Array(items) }
}

// A field-by-field mapping reads best as one list, in the format's own order.
#[allow(clippy::too_many_lines)]
fn export_record(r: &ConsentRecord, report: &mut LossReport) -> Result<Value> {
    if r.id.is_empty() {
        return Err(export_invalid(FORMAT, "the record has no identifier"));
    }
    let unmapped =
        r.extensions.get(FORMAT).and_then(|e| e.get("unmapped")).and_then(Value::as_object);
    let mut m = Map::new();
    m.insert("@id".into(), json!(r.id));
    m.insert("@type".into(), json!("dpv:ConsentRecord"));
    let ident = unmapped.and_then(|u| u.get("dct:identifier")).cloned();
    m.insert("dct:identifier".into(), ident.unwrap_or_else(|| json!(r.id)));
    let schema = if r.schema_version.is_empty() { SCHEMA_VERSION } else { &r.schema_version };
    m.insert("dct:conformsTo".into(), json!(schema));
    if !r.principal.is_empty() {
        let subject = unmapped.and_then(|u| u.get("dpv:hasDataSubject")).cloned();
        m.insert(
            "dpv:hasDataSubject".into(),
            subject.unwrap_or_else(|| json!({"@id": r.principal})),
        );
    }
    if !r.controllers.is_empty() {
        let cs = r.controllers.iter().map(|c| party_out(c, "dpv:DataController")).collect();
        m.insert("dpv:hasDataController".into(), one_or_many(cs));
    }
    if !r.recipients.is_empty() {
        let rs = r.recipients.iter().map(|c| party_out(c, "dpv:Recipient")).collect();
        m.insert("dpv:hasRecipient".into(), one_or_many(rs));
    }
    if let Some(j) = &r.jurisdiction {
        let all = unmapped.and_then(|u| u.get("dpv:hasJurisdiction")).cloned();
        m.insert("dpv:hasJurisdiction".into(), all.unwrap_or_else(|| json!(format!("loc:{j}"))));
    }
    if let Some(lb) = &r.legal_basis {
        m.insert("dpv:hasLegalBasis".into(), json!(lb));
    }
    let record_categories: Vec<Value> =
        r.data_categories.iter().map(|c| json!(c.code.code)).collect();
    let mut storage = Vec::new();
    if !r.storage_locations.is_empty() {
        storage.push(json!({"@type": "dpv:StorageLocation", "dpv:hasLocation": one_or_many(r.storage_locations.iter().map(|l| json!(l)).collect())}));
    }
    if let Some(d) = &r.retention_period {
        storage.push(json!({"@type": "dpv:StorageDuration", "dpv:hasDuration": d}));
    }
    let processes: Vec<Value> = r
        .purposes
        .iter()
        .map(|p| {
            let mut pm = Map::new();
            pm.insert("@type".into(), json!("dpv:Process"));
            pm.insert("dpv:hasPurpose".into(), one_or_many(p.codes.iter().map(code_out).collect()));
            if p.codes.len() > 1 {
                report.warn(
                    "a purpose with several codes is written as several dpv:hasPurpose values",
                );
            }
            if let Some(t) = &p.text {
                pm.insert("dct:description".into(), json!(t));
            }
            let mut cats: Vec<Value> =
                p.data_categories.iter().map(|c| json!(c.code.code)).collect();
            cats.extend(record_categories.iter().cloned());
            if !cats.is_empty() {
                pm.insert("dpv:hasPersonalData".into(), one_or_many(cats));
            }
            if !p.third_parties.is_empty() {
                let tp = p.third_parties.iter().map(|t| party_out(t, "dpv:Recipient")).collect();
                pm.insert("dpv:hasRecipient".into(), one_or_many(tp));
            }
            if !storage.is_empty() {
                pm.insert("dpv:hasStorageCondition".into(), Value::Array(storage.clone()));
            }
            if p.primary.is_some() || p.termination.is_some() {
                report.drop_path("purposes[].primary / termination");
            }
            Value::Object(pm)
        })
        .collect();
    if !processes.is_empty() {
        m.insert("dpv:hasProcess".into(), Value::Array(processes));
    }
    if let Some(n) = &r.notice {
        let mut nm = unmapped
            .and_then(|u| u.get("dpv:hasNotice"))
            .and_then(Value::as_object)
            .cloned()
            .unwrap_or_default();
        nm.insert("@id".into(), json!(n.url));
        nm.entry("@type").or_insert_with(|| json!("dpv:ConsentNotice"));
        if let Some(lang) = r.languages.first() {
            nm.insert("dct:language".into(), json!(lang));
        }
        if n.sha256.is_some() {
            report.drop_path("notice.sha256");
        }
        m.insert("dpv:hasNotice".into(), Value::Object(nm));
    }
    if let Some(w) = &r.withdrawal_method {
        m.insert(
            "dpv:hasConsentControl".into(),
            json!({"@type": "dpv:WithdrawConsent", "dpv:isExercisedAt": w}),
        );
    }
    m.insert("dpv:hasConsentStatus".into(), Value::Array(statuses(r, report)));
    if r.usage.fetch_type.is_some()
        || r.usage.data_life.is_some()
        || r.usage.data_range.is_some()
        || !r.usage.modes.is_empty()
    {
        report.drop_path("usage (DPV-27560 has no usage limits)");
    }
    if let Some(u) = unmapped {
        for (k, v) in u {
            if !k.starts_with('/')
                && !m.contains_key(k)
                && !["dct:identifier", "dpv:hasDataSubject", "dpv:hasJurisdiction", "dpv:hasNotice"]
                    .contains(&k.as_str())
            {
                m.insert(k.clone(), v.clone());
            } else if k.starts_with('/') {
                report.drop_path(k.clone());
            }
        }
    }
    for (name, _) in r.extensions.iter().filter(|(k, _)| k.as_str() != FORMAT) {
        report.drop_path(format!("extensions.{name}"));
    }
    Ok(Value::Object(m))
}

fn statuses(r: &ConsentRecord, report: &mut LossReport) -> Vec<Value> {
    let duration = duration_out(r, report);
    let types = |state: State| -> Value {
        match &r.consent_type {
            Some(t) if state == State::Given => json!([term_of(state), t]),
            _ => json!(term_of(state)),
        }
    };
    let last_given = r.events.iter().rposition(|e| e.state == State::Given);
    let mut out: Vec<Value> = r
        .events
        .iter()
        .enumerate()
        .map(|(i, e)| {
            let mut s = Map::new();
            s.insert("@type".into(), types(e.state));
            s.insert("dpv:isIndicatedAtTime".into(), json!(e.at));
            let mut by = vec![json!(e.actor)];
            if Some(i) == last_given {
                if let Some(d) = &r.delegation {
                    let t = match d.given_by {
                        GivenBy::Guardian => "dpv:ParentOfDataSubject",
                        _ => "dpv:Representative",
                    };
                    let mut o = Map::new();
                    o.insert("@type".into(), json!(t));
                    if let Some(a) = &d.actor {
                        o.insert("@id".into(), json!(a));
                    }
                    if let Some(j) = &d.mandate {
                        o.insert("dpv:hasJustification".into(), json!(j));
                    }
                    by.push(Value::Object(o));
                }
                if let Some(method) = &r.collection_method {
                    s.insert("dpv:hasIndicationMethod".into(), json!(method));
                }
                if let Some(d) = &duration {
                    s.insert("dpv:hasDuration".into(), d.clone());
                }
            }
            s.insert("dpv:isIndicatedBy".into(), one_or_many(by));
            if let Some(reason) = &e.reason {
                s.insert("dct:description".into(), json!(reason));
            }
            Value::Object(s)
        })
        .collect();
    if r.events.last().map(|e| e.state) != Some(r.state) {
        let mut s = Map::new();
        s.insert("@type".into(), types(r.state));
        if last_given.is_none() {
            if let Some(d) = &duration {
                s.insert("dpv:hasDuration".into(), d.clone());
            }
        }
        out.push(Value::Object(s));
    }
    if r.state == State::Paused || r.events.iter().any(|e| e.state == State::Paused) {
        report.warn(format!("Paused has no DPV term: written as {PAUSED_TERM}"));
    }
    out
}

/// The `dpv:hasDuration` of the consent: an expiry, a duration or a fixed number of uses.
fn duration_out(r: &ConsentRecord, report: &mut LossReport) -> Option<Value> {
    if let Some(e) = &r.validity.expiry {
        return Some(json!({"@type": "dpv:UntilTimeDuration", "rdf:value": e}));
    }
    if let Some(d) = &r.validity.duration {
        return Some(json!({"@type": "dpv:TemporalDuration", "rdf:value": d}));
    }
    match r.usage.frequency {
        Some(Frequency { count, per: Period { unit: PeriodUnit::Inf, .. } }) => {
            Some(json!({"@type": "dpv:FixedOccurrencesDuration", "rdf:value": count.to_string()}))
        }
        Some(_) => {
            report.drop_path("usage.frequency (DPV-27560 has no frequency limit)");
            None
        }
        None => None,
    }
}
