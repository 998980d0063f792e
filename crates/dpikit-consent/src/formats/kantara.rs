//! Kantara Initiative Consent Receipt Specification v1.1.0 (`KI-CR-v1.1.0`).
//!
//! | Kantara | core |
//! |---|---|
//! | `consentReceiptID` | `id` |
//! | `piiPrincipalId` | `principal` |
//! | `consentTimestamp` (epoch seconds) | a `Given` event and `validity.start` |
//! | `piiControllers[]` | `controllers` (`piiController` → name, `piiControllerUrl` → url and id, `contact`, `address` flattened to text) |
//! | `services[].purposes[]` | `purposes` (`purposeCategory` → codes of scheme `kantara`, `purpose` → text, `piiCategory` → data categories, `primaryPurpose`, `termination`, `thirdPartyName` → third parties) |
//! | `consentType` | `consent_type` |
//! | `sensitive`, `spiCat` | `DataCategory::sensitive` |
//! | `policyUrl` | `notice.url` |
//! | `jurisdiction`, `language`, `collectionMethod` | same-named fields |
//!
//! Everything else (service names, `email`, `phone`, the address object, `onBehalf`,
//! `publicKey`, per-purpose values that differ from the record's) is kept in
//! `extensions["kantara"]`, and [`export`] restores it.

use serde_json::{Map, Value, json};

use dpikit_core::time::from_unix;

use super::{
    Conversion, Fields, LossReport, apply_patches, diff, export_invalid, import_failed, parse,
    report_patches, rfc3339,
};
use crate::Result;
use crate::lifecycle::{Event, State};
use crate::model::{
    Code, ConsentRecord, DataCategory, Notice, Party, Purpose, SCHEMA_VERSION, Scheme, Validity,
    parse_time,
};

/// The format name used in errors and as the extensions key.
pub const FORMAT: &str = "kantara";
/// The `version` value of a Kantara Consent Receipt 1.1.0.
pub const VERSION: &str = "KI-CR-v1.1.0";

/// Imports a Kantara Consent Receipt 1.1.0 into a [`ConsentRecord`] in the `Given` state.
///
/// The receipt must have `version` `KI-CR-v1.1.0` and every member the 1.1.0 JSON Schema
/// requires, with the right types. Members the model does not map are listed in
/// `report.dropped` and kept in `extensions["kantara"]`.
///
/// # Errors
///
/// JSON intake errors ([`crate::ConsentError::Core`], e.g. a duplicate key);
/// [`crate::ConsentError::ImportFailed`] for another version (including the pre-1.0 MVCR
/// vocabulary), a missing or mistyped member, or a timestamp out of range.
///
/// # Examples
///
/// ```
/// use dpikit_consent::formats::kantara;
///
/// let receipt = br#"{
///   "version": "KI-CR-v1.1.0", "jurisdiction": "IN", "consentTimestamp": 1767225600,
///   "collectionMethod": "web form", "consentReceiptID": "cr-1", "piiPrincipalId": "ana",
///   "piiControllers": [{"piiController": "City", "contact": "DPO", "address": {},
///                       "email": "dpo@city.example", "phone": "100"}],
///   "policyUrl": "https://city.example/privacy",
///   "services": [{"service": "Benefits", "purposes": [{"purpose": "Eligibility",
///     "purposeCategory": ["2 - Contracted Service"], "consentType": "EXPLICIT",
///     "piiCategory": ["7 - Financial"], "termination": "on request",
///     "thirdPartyDisclosure": false}]}],
///   "sensitive": false, "spiCat": []
/// }"#;
/// let imported = kantara::import(receipt)?;
/// assert_eq!(imported.value.principal, "ana");
/// let exported = kantara::export(&imported.value)?;
/// let original: serde_json::Value = serde_json::from_slice(receipt).unwrap();
/// assert_eq!(exported.value, original);
/// # Ok::<(), dpikit_consent::ConsentError>(())
/// ```
pub fn import(bytes: &[u8]) -> Result<Conversion<ConsentRecord>> {
    let original = parse(bytes)?;
    let mut report = LossReport::default();
    let mut record = map_receipt(&original, &mut report)?;
    let derived = derive(&record, &mut LossReport::default())?;
    let mut patches = Vec::new();
    diff(&original, &derived, "", &|_| false, &mut patches);
    report_patches(&patches, &mut report);
    if !patches.is_empty() {
        if let Some(Value::Object(ext)) = record.extensions.get_mut(FORMAT) {
            ext.insert("patches".into(), Value::Array(patches));
        }
    }
    Ok(Conversion { value: record, report })
}

/// Exports a record as a Kantara Consent Receipt 1.1.0 that validates against the 1.1.0 JSON
/// Schema.
///
/// The receipt's `consentTimestamp` is the last `Given` event (else `validity.start`).
/// Required members the model has no value for (`email`, `phone`, `jurisdiction`, ...) are
/// written as empty strings, each with a warning; values kept in `extensions["kantara"]` by
/// [`import`] are restored where the model has not changed them since.
///
/// # Errors
///
/// [`crate::ConsentError::ExportInvalid`] when the record has no controller, no purpose or no time
/// at which consent was given, or a timestamp is not RFC 3339.
///
/// # Examples
///
/// ```
/// use dpikit_consent::formats::kantara;
/// use dpikit_consent::model::{Code, ConsentRecord, Party, Purpose, Scheme};
/// use dpikit_core::time::parse_rfc3339;
///
/// let mut record = ConsentRecord::request("cr-2", "ana", Party::new("did:web:city.example", "City"),
///     Purpose::new(Code::new(Scheme::Kantara, "2 - Contracted Service"), "Eligibility"));
/// record.give(parse_rfc3339("2026-01-01T00:00:00Z")?, "ana")?;
/// let receipt = kantara::export(&record)?;
/// assert_eq!(receipt.value["consentTimestamp"], 1767225600);
/// assert_eq!(receipt.value["version"], "KI-CR-v1.1.0");
/// # Ok::<(), dpikit_consent::ConsentError>(())
/// ```
pub fn export(record: &ConsentRecord) -> Result<Conversion<Value>> {
    let mut report = LossReport::default();
    let mut doc = derive(record, &mut report)?;
    let ext = record.extensions.get(FORMAT);
    apply_patches(FORMAT, &mut doc, ext.and_then(|e| e.get("patches")), &mut report);
    check_shape(&doc).map_err(super::into_export)?;
    Ok(Conversion { value: doc, report })
}

/// Checks the members and types the 1.1.0 JSON Schema requires.
fn check_shape(doc: &Value) -> Result<()> {
    let f = Fields::new(FORMAT, "", doc)?;
    for key in ["version", "jurisdiction", "collectionMethod", "consentReceiptID", "piiPrincipalId"]
    {
        f.req_str(key)?;
    }
    f.req_str("policyUrl")?;
    f.opt_str("language")?;
    f.opt_str("publicKey")?;
    let ts = f
        .get("consentTimestamp")
        .ok_or_else(|| import_failed(FORMAT, "/consentTimestamp is required".to_owned()))?;
    if ts.as_i64().is_none_or(|t| t < 0) {
        return Err(import_failed(FORMAT, "/consentTimestamp must be an integer >= 0"));
    }
    f.req_bool("sensitive")?;
    f.req_strings("spiCat")?;
    for (i, c) in f.req_array("piiControllers")?.iter().enumerate() {
        let c = Fields::new(FORMAT, &format!("/piiControllers/{i}"), c)?;
        for key in ["piiController", "contact", "email", "phone"] {
            c.req_str(key)?;
        }
        c.req_obj("address")?;
        c.opt_bool("onBehalf")?;
        c.opt_str("piiControllerUrl")?;
    }
    for (i, s) in f.req_array("services")?.iter().enumerate() {
        let s = Fields::new(FORMAT, &format!("/services/{i}"), s)?;
        s.req_str("service")?;
        for (j, p) in s.req_array("purposes")?.iter().enumerate() {
            let p = Fields::new(FORMAT, &format!("/services/{i}/purposes/{j}"), p)?;
            p.opt_str("purpose")?;
            p.req_str("consentType")?;
            p.req_strings("purposeCategory")?;
            p.req_strings("piiCategory")?;
            p.opt_bool("primaryPurpose")?;
            p.req_str("termination")?;
            if p.req_bool("thirdPartyDisclosure")? {
                p.req_str("thirdPartyName")?;
            } else {
                p.opt_str("thirdPartyName")?;
            }
        }
    }
    Ok(())
}

// A field-by-field mapping reads best as one list, in the format's own order.
#[allow(clippy::too_many_lines)]
fn map_receipt(doc: &Value, report: &mut LossReport) -> Result<ConsentRecord> {
    let f = Fields::new(FORMAT, "", doc)?;
    match f.get("version") {
        None if ["sub", "data_controller", "policy_uri"].iter().any(|k| f.get(k).is_some()) => {
            return Err(import_failed(
                FORMAT,
                "pre-1.0 Minimum Viable Consent Receipt vocabulary (sub, data_controller, \
                 policy_uri) is not Kantara CR 1.1.0",
            ));
        }
        Some(Value::String(v)) if v != VERSION => {
            return Err(import_failed(FORMAT, format!("/version is {v:?}, expected {VERSION:?}")));
        }
        _ => {}
    }
    check_shape(doc)?;
    let seconds = f.get("consentTimestamp").and_then(Value::as_i64).unwrap_or_default();
    let given_at = from_unix(seconds).map_err(|_| {
        import_failed(FORMAT, format!("/consentTimestamp {seconds} is out of range"))
    })?;
    let given_at = rfc3339(&given_at);
    let principal = f.req_str("piiPrincipalId")?.to_owned();

    let mut controllers = Vec::new();
    for (i, c) in f.req_array("piiControllers")?.iter().enumerate() {
        let c = Fields::new(FORMAT, &format!("/piiControllers/{i}"), c)?;
        let name = c.req_str("piiController")?;
        let url = c.opt_str("piiControllerUrl")?;
        controllers.push(Party {
            id: url.unwrap_or(name).to_owned(),
            name: Some(name.to_owned()),
            contact: Some(c.req_str("contact")?.to_owned()),
            address: flatten_address(&c.req_obj("address")?),
            kind: Some("controller".to_owned()),
            url: url.map(str::to_owned),
        });
    }

    let sensitive: Vec<&str> = f.req_strings("spiCat")?;
    let mut purposes = Vec::new();
    let mut services = Vec::new();
    let mut consent_type = None;
    for (i, s) in f.req_array("services")?.iter().enumerate() {
        let s = Fields::new(FORMAT, &format!("/services/{i}"), s)?;
        let list = s.req_array("purposes")?;
        services.push(json!({"service": s.req_str("service")?, "purposes": list.len()}));
        for (j, p) in list.iter().enumerate() {
            let p = Fields::new(FORMAT, &format!("/services/{i}/purposes/{j}"), p)?;
            consent_type.get_or_insert_with(|| p.req_str("consentType").map(str::to_owned));
            let third_parties =
                match (p.req_bool("thirdPartyDisclosure")?, p.opt_str("thirdPartyName")?) {
                    (true, Some(name)) => vec![Party {
                        kind: Some("third-party".to_owned()),
                        ..Party::new(name, name)
                    }],
                    (false, Some(_)) => {
                        report.warn(format!(
                            "{}: thirdPartyName is given while thirdPartyDisclosure is false; not \
                         mapped as a third party",
                            p.at("thirdPartyName")
                        ));
                        Vec::new()
                    }
                    _ => Vec::new(),
                };
            purposes.push(Purpose {
                codes: p
                    .req_strings("purposeCategory")?
                    .into_iter()
                    .map(|c| Code::new(Scheme::Kantara, c))
                    .collect(),
                text: p.opt_str("purpose")?.map(str::to_owned),
                data_categories: p
                    .req_strings("piiCategory")?
                    .into_iter()
                    .map(|c| DataCategory {
                        code: Code::new(Scheme::Kantara, c),
                        sensitive: sensitive.contains(&c),
                    })
                    .collect(),
                primary: p.opt_bool("primaryPurpose")?,
                termination: Some(p.req_str("termination")?.to_owned()),
                third_parties,
            });
        }
    }
    if purposes.is_empty() {
        return Err(import_failed(FORMAT, "/services has no purpose"));
    }
    if controllers.is_empty() {
        return Err(import_failed(FORMAT, "/piiControllers is empty"));
    }
    if f.req_bool("sensitive")? && sensitive.is_empty() {
        report.warn("/sensitive is true but /spiCat is empty");
    }

    let mut record = ConsentRecord {
        schema_version: SCHEMA_VERSION.to_owned(),
        id: f.req_str("consentReceiptID")?.to_owned(),
        principal: principal.clone(),
        controllers,
        recipients: Vec::new(),
        purposes,
        data_categories: Vec::new(),
        legal_basis: Some("dpv:Consent".to_owned()),
        consent_type: consent_type.transpose()?,
        notice: Some(Notice { url: f.req_str("policyUrl")?.to_owned(), sha256: None }),
        languages: f.opt_str("language")?.map(str::to_owned).into_iter().collect(),
        jurisdiction: Some(f.req_str("jurisdiction")?.to_owned()),
        collection_method: Some(f.req_str("collectionMethod")?.to_owned()),
        storage_locations: Vec::new(),
        retention_period: None,
        withdrawal_method: None,
        validity: Validity { start: Some(given_at.clone()), expiry: None, duration: None },
        usage: crate::model::UsageLimits::default(),
        delegation: None,
        state: State::Given,
        events: vec![Event { state: State::Given, at: given_at, actor: principal, reason: None }],
        extensions: std::collections::BTreeMap::new(),
    };
    record.extensions.insert(FORMAT.to_owned(), json!({ "services": services }));
    Ok(record)
}

/// Flattens a Kantara address object into one line of text (string members, in order).
fn flatten_address(address: &Fields<'_>) -> Option<String> {
    let parts: Vec<String> = address
        .map
        .values()
        .filter_map(|v| match v {
            Value::String(s) if !s.is_empty() => Some(s.clone()),
            Value::Number(n) => Some(n.to_string()),
            _ => None,
        })
        .collect();
    (!parts.is_empty()).then(|| parts.join(", "))
}

/// The Kantara receipt the model alone gives (no restored extensions).
// A field-by-field mapping reads best as one list, in the format's own order.
#[allow(clippy::too_many_lines)]
fn derive(record: &ConsentRecord, report: &mut LossReport) -> Result<Value> {
    if record.controllers.is_empty() {
        return Err(export_invalid(FORMAT, "a receipt needs at least one controller"));
    }
    if record.purposes.is_empty() {
        return Err(export_invalid(FORMAT, "a receipt needs at least one purpose"));
    }
    let given = record
        .events
        .iter()
        .rev()
        .find(|e| e.state == State::Given)
        .map(|e| e.at.as_str())
        .or(record.validity.start.as_deref())
        .ok_or_else(|| {
            export_invalid(FORMAT, "no Given event and no validity start: no consentTimestamp")
        })?;
    let seconds = parse_time(given)
        .map_err(|e| export_invalid(FORMAT, format!("consent time: {e}")))?
        .timestamp();
    if seconds < 0 {
        return Err(export_invalid(FORMAT, "consent time is before 1970"));
    }
    if record.state != State::Given {
        report.warn(format!(
            "state {} cannot be expressed: Kantara CR 1.1 has no status member",
            record.state
        ));
    }
    let mut required = |what: &str, v: Option<&str>| -> String {
        v.map_or_else(
            || {
                report.warn(format!("no {what}: wrote an empty string"));
                String::new()
            },
            str::to_owned,
        )
    };
    let jurisdiction = required("jurisdiction", record.jurisdiction.as_deref());
    let collection = required("collectionMethod", record.collection_method.as_deref());
    let policy = required("policyUrl (notice)", record.notice.as_ref().map(|n| n.url.as_str()));

    let controllers: Vec<Value> = record
        .controllers
        .iter()
        .map(|c| {
            let name = c.name.as_deref().unwrap_or(&c.id);
            let contact = c.contact.clone().unwrap_or_else(|| {
                report.warn(format!("controller {:?} has no contact: wrote its name", c.id));
                name.to_owned()
            });
            let email = if contact.contains('@') { contact.clone() } else { String::new() };
            let mut m = Map::new();
            m.insert("piiController".into(), json!(name));
            m.insert("contact".into(), json!(contact));
            m.insert(
                "address".into(),
                c.address.as_ref().map_or_else(|| json!({}), |a| json!({"streetAddress": a})),
            );
            m.insert("email".into(), json!(email));
            m.insert("phone".into(), json!(""));
            if let Some(url) = &c.url {
                m.insert("piiControllerUrl".into(), json!(url));
            }
            Value::Object(m)
        })
        .collect();

    let consent_type = record.consent_type.as_deref().map_or_else(
        || {
            report.warn("no consent type: wrote \"N/A\"");
            "N/A".to_owned()
        },
        kantara_consent_type,
    );
    let mut spi_cat: Vec<String> = Vec::new();
    let purposes: Vec<Value> = record
        .purposes
        .iter()
        .map(|p| {
            let codes: Vec<&str> = p.codes.iter().map(|c| c.code.as_str()).collect();
            let cats: Vec<&DataCategory> =
                p.data_categories.iter().chain(&record.data_categories).collect();
            for c in cats.iter().filter(|c| c.sensitive) {
                if !spi_cat.contains(&c.code.code) {
                    spi_cat.push(c.code.code.clone());
                }
            }
            let mut m = Map::new();
            if let Some(t) = &p.text {
                m.insert("purpose".into(), json!(t));
            }
            m.insert("purposeCategory".into(), json!(codes));
            m.insert("consentType".into(), json!(consent_type));
            m.insert(
                "piiCategory".into(),
                json!(cats.iter().map(|c| c.code.code.as_str()).collect::<Vec<_>>()),
            );
            if let Some(primary) = p.primary {
                m.insert("primaryPurpose".into(), json!(primary));
            }
            m.insert("termination".into(), json!(p.termination.as_deref().unwrap_or("")));
            m.insert("thirdPartyDisclosure".into(), json!(!p.third_parties.is_empty()));
            if !p.third_parties.is_empty() {
                let names: Vec<&str> =
                    p.third_parties.iter().map(|t| t.name.as_deref().unwrap_or(&t.id)).collect();
                if names.len() > 1 {
                    report.warn("several third parties for one purpose: names joined by \"; \"");
                }
                m.insert("thirdPartyName".into(), json!(names.join("; ")));
            }
            Value::Object(m)
        })
        .collect();
    if record.purposes.iter().any(|p| p.termination.is_none()) {
        report.warn("a purpose has no termination: wrote an empty string");
    }
    let services = group_services(record, purposes, report);

    let mut doc = Map::new();
    doc.insert("version".into(), json!(VERSION));
    doc.insert("jurisdiction".into(), json!(jurisdiction));
    doc.insert("consentTimestamp".into(), json!(seconds));
    doc.insert("collectionMethod".into(), json!(collection));
    doc.insert("consentReceiptID".into(), json!(record.id));
    if let Some(lang) = record.languages.first() {
        doc.insert("language".into(), json!(lang));
        if record.languages.len() > 1 {
            report.drop_path("languages[1..]");
        }
    }
    doc.insert("piiPrincipalId".into(), json!(record.principal));
    doc.insert("piiControllers".into(), Value::Array(controllers));
    doc.insert("policyUrl".into(), json!(policy));
    doc.insert("services".into(), Value::Array(services));
    doc.insert("sensitive".into(), json!(!spi_cat.is_empty()));
    doc.insert("spiCat".into(), json!(spi_cat));
    note_unmapped(record, report);
    Ok(Value::Object(doc))
}

/// Groups purposes into services as they were on import, else into one service.
fn group_services(
    record: &ConsentRecord,
    purposes: Vec<Value>,
    report: &mut LossReport,
) -> Vec<Value> {
    let groups: Vec<(String, usize)> = record
        .extensions
        .get(FORMAT)
        .and_then(|e| e.get("services"))
        .and_then(Value::as_array)
        .map(|a| {
            a.iter()
                .filter_map(|s| {
                    Some((
                        s.get("service")?.as_str()?.to_owned(),
                        usize::try_from(s.get("purposes")?.as_u64()?).ok()?,
                    ))
                })
                .collect()
        })
        .unwrap_or_default();
    let total: usize = groups.iter().map(|g| g.1).sum();
    if groups.is_empty() || total != purposes.len() {
        if !groups.is_empty() {
            report.warn("purposes changed since import: all purposes are written in one service");
        }
        let name = groups.first().map_or_else(
            || {
                record
                    .purposes
                    .first()
                    .and_then(|p| p.text.clone())
                    .unwrap_or_else(|| record.id.clone())
            },
            |g| g.0.clone(),
        );
        return vec![json!({"service": name, "purposes": purposes})];
    }
    let mut rest = purposes.into_iter();
    groups
        .into_iter()
        .map(|(name, n)| json!({"service": name, "purposes": rest.by_ref().take(n).collect::<Vec<_>>()}))
        .collect()
}

/// Maps DPV consent types to Kantara's words; other values pass through.
fn kantara_consent_type(t: &str) -> String {
    match t {
        "dpv:ExplicitlyExpressedConsent" => "EXPLICIT".to_owned(),
        "dpv:ImpliedConsent" => "IMPLICIT".to_owned(),
        other => other.to_owned(),
    }
}

/// Reports model fields that a Kantara receipt cannot hold.
fn note_unmapped(record: &ConsentRecord, report: &mut LossReport) {
    let mut drop = |cond: bool, name: &str| {
        if cond {
            report.drop_path(name);
        }
    };
    drop(!record.recipients.is_empty(), "recipients");
    drop(record.validity.expiry.is_some() || record.validity.duration.is_some(), "validity");
    drop(record.usage != crate::model::UsageLimits::default(), "usage");
    drop(record.delegation.is_some(), "delegation");
    drop(!record.storage_locations.is_empty(), "storageLocations");
    drop(record.retention_period.is_some(), "retentionPeriod");
    drop(record.withdrawal_method.is_some(), "withdrawalMethod");
    drop(record.notice.as_ref().is_some_and(|n| n.sha256.is_some()), "notice.sha256");
    drop(record.events.len() > 1, "events");
    let foreign =
        record.purposes.iter().flat_map(|p| &p.codes).any(|c| c.scheme != Scheme::Kantara);
    drop(foreign, "purposes[].codes (scheme other than kantara, written verbatim)");
}
