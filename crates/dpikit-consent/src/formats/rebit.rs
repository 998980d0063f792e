//! ReBIT Account Aggregator API 2.1.0 consents (India's DEPA): `ConsentDetail`,
//! `SignedConsentDetail`, the signed-consent envelope `{"signedConsent": "<JWS>"}` and the
//! `ConsentArtefact`.
//!
//! | ReBIT | core |
//! |---|---|
//! | `ConsentArtefact.consentId` | `id` (a bare detail gets `urn:rebit:sha256:<JCS hash>`) |
//! | `Customer.id` | `principal` |
//! | `DataConsumer` {id, type} | `controllers[0]` (type → `Party::kind`) |
//! | `Purpose` {code, text} | `purposes[0]` with a code of scheme `rebit` |
//! | `fiTypes[]`, `consentTypes[]` | `data_categories` (scheme `rebit`) |
//! | `consentStart`, `consentExpiry` | `validity.start`, `validity.expiry` |
//! | `consentMode`, `fetchType`, `Frequency`, `DataLife`, `FIDataRange` | `usage` |
//! | `ConsentArtefact.status`, `createTimestamp` | `state`, a `Given` event |
//!
//! `DataProvider`, `Accounts`, `DataFilter`, `Purpose.refUri`/`Category`,
//! `Customer.Identifiers`, the artefact's `ver`/`txnid`/`ConsentUse` and the signed JWS are
//! kept in `extensions["rebit"]`; [`export`] restores the detail's members.
//!
//! Known defects of published examples are accepted with a warning and never written back:
//! `+0000` offsets, epoch-millisecond numbers, `TERM-DEPOSIT` for `TERM_DEPOSIT`, and a
//! lowercase `consentUse`. The JWS signature (RS256, keys unpublished) is decoded but **not
//! verified**; every import of a signed consent says so in `report.warnings`.

use serde_json::{Map, Value, json};
use sha2::{Digest, Sha256};

use dpikit_core::encoding::{b64url_decode, hex_encode};
use dpikit_core::jcs;
use dpikit_core::time::parse_rfc3339;

use super::{
    Conversion, Fields, LossReport, apply_patches, diff, export_invalid, import_failed,
    into_export, parse, report_patches, rfc3339,
};
use crate::Result;
use crate::lifecycle::{Event, State};
use crate::model::{
    Code, ConsentRecord, DataCategory, DateRange, FetchType, Frequency, Party, Period, PeriodUnit,
    Purpose, SCHEMA_VERSION, Scheme, UsageLimits, Validity,
};

/// The format name used in errors and as the extensions key.
pub const FORMAT: &str = "rebit";

/// The `fiTypes` enum of ReBIT AA 2.1.0.
pub const FI_TYPES: [&str; 22] = [
    "DEPOSIT",
    "TERM_DEPOSIT",
    "RECURRING_DEPOSIT",
    "SIP",
    "CP",
    "GOVT_SECURITIES",
    "EQUITIES",
    "BONDS",
    "DEBENTURES",
    "MUTUAL_FUNDS",
    "ETF",
    "IDR",
    "CIS",
    "AIF",
    "INSURANCE_POLICIES",
    "NPS",
    "INVIT",
    "REIT",
    "GSTR1_3B",
    "LIFE_INSURANCE",
    "GENERAL_INSURANCE",
    "OTHER",
];

/// The `consentTypes` enum of ReBIT AA 2.1.0.
pub const CONSENT_TYPES: [&str; 3] = ["PROFILE", "SUMMARY", "TRANSACTIONS"];

const MODES: [&str; 4] = ["VIEW", "STORE", "QUERY", "STREAM"];
const STATUSES: [&str; 4] = ["ACTIVE", "PAUSED", "REVOKED", "EXPIRED"];
const FILTER_TYPES: [&str; 2] = ["TRANSACTIONTYPE", "TRANSACTIONAMOUNT"];
const OPERATORS: [&str; 6] = ["=", "!=", ">", "<", ">=", "<="];
const TIME_PATHS: [&str; 4] =
    ["/consentStart", "/consentExpiry", "/FIDataRange/from", "/FIDataRange/to"];

/// Imports a ReBIT consent: a `ConsentDetail` (or a request wrapper holding one), a
/// `SignedConsentDetail`, a signed-consent envelope `{"signedConsent": "<compact JWS>"}` or a
/// `ConsentArtefact`.
///
/// A JWS payload is decoded without verifying the signature; `report.warnings` says so. A
/// signed detail or artefact yields a `Given` record (artefact `status` PAUSED, REVOKED or
/// EXPIRED gives that state); a request `ConsentDetail` yields a `Requested` record.
///
/// # Errors
///
/// JSON intake and base64url errors ([`crate::ConsentError::Core`]);
/// [`crate::ConsentError::ImportFailed`] for any other document, a missing or mistyped
/// member, a value outside the 2.1.0 enums, or a timestamp that is neither RFC 3339, nor
/// RFC 3339 with a `+hhmm` offset, nor epoch milliseconds.
///
/// # Examples
///
/// ```
/// use dpikit_consent::formats::rebit;
/// use dpikit_consent::model::PeriodUnit;
///
/// let detail = br#"{
///   "consentStart": "2026-01-01T10:00:00+05:30", "consentExpiry": "2027-01-01T10:00:00+05:30",
///   "consentMode": "VIEW", "fetchType": "PERIODIC", "consentTypes": ["TRANSACTIONS"],
///   "fiTypes": ["DEPOSIT"], "DataConsumer": {"id": "fiu-1", "type": "FIU"},
///   "Customer": {"id": "ana@aa"}, "Purpose": {"code": "101", "text": "Wealth management"},
///   "FIDataRange": {"from": "2025-01-01T00:00:00Z", "to": "2025-12-31T00:00:00Z"},
///   "DataLife": {"unit": "MONTH", "value": 1}, "Frequency": {"unit": "DAY", "value": 4}
/// }"#;
/// let imported = rebit::import(detail)?;
/// let record = &imported.value;
/// assert_eq!(record.principal, "ana@aa");
/// assert_eq!(record.usage.frequency.unwrap().per.unit, PeriodUnit::Day);
///
/// let exported = rebit::export(record)?;
/// let original: serde_json::Value = serde_json::from_slice(detail).unwrap();
/// assert_eq!(exported.value, original);
/// # Ok::<(), dpikit_consent::ConsentError>(())
/// ```
pub fn import(bytes: &[u8]) -> Result<Conversion<ConsentRecord>> {
    let doc = parse(bytes)?;
    let mut report = LossReport::default();
    let f = Fields::new(FORMAT, "", &doc)?;
    let mut artefact = None;
    let (detail, token) = if let Some(token) = f.opt_str("signedConsent")? {
        let payload = decode_jws(token, &mut report)?;
        if f.get("consentId").is_some() {
            artefact = Some(read_artefact(&f, &mut report)?);
        } else {
            for k in f.map.keys().filter(|k| *k != "signedConsent") {
                report.drop_path(format!("/{k}"));
            }
        }
        (parse(&payload)?, Some(token))
    } else if let Some(inner) = f.get("ConsentDetail") {
        for k in f.map.keys().filter(|k| *k != "ConsentDetail") {
            report.drop_path(format!("/{k}"));
        }
        (inner.clone(), None)
    } else if f.get("consentStart").is_some() {
        (doc.clone(), None)
    } else {
        return Err(import_failed(
            FORMAT,
            "not a ConsentDetail, SignedConsentDetail, signed-consent envelope or ConsentArtefact",
        ));
    };
    let detail = normalize(&detail, &mut report)?;
    let signed = token.is_some() || is_signed(&detail);
    check_detail(&detail, signed)?;
    let mut record = map_detail(&detail, signed, artefact.as_ref())?;
    let derived = derive(&record, &mut LossReport::default())?;
    let mut patches = Vec::new();
    diff(&detail, &derived, "", &|_| false, &mut patches);
    report_patches(&patches, &mut report);
    let mut ext = Map::new();
    if let Some(a) = artefact {
        ext.insert("artefact".into(), a);
    }
    if let Some(t) = token {
        ext.insert("signedConsent".into(), json!(t));
        report.drop_path("/signedConsent (kept in extensions, not re-signed on export)");
    }
    if !patches.is_empty() {
        ext.insert("patches".into(), Value::Array(patches));
    }
    if !ext.is_empty() {
        record.extensions.insert(FORMAT.to_owned(), Value::Object(ext));
    }
    Ok(Conversion { value: record, report })
}

/// Exports a record as a ReBIT 2.1.0 consent detail: a `SignedConsentDetail` when the record
/// carries `DataProvider` and `Accounts` (from a ReBIT import), else a `ConsentDetail`.
///
/// Timestamps are written as stored when they are RFC 3339 (so `+05:30` stays), else in UTC
/// with `Z`; FI types use the enum spelling. The output is checked against the 2.1.0 shape
/// before it is returned.
///
/// # Errors
///
/// [`crate::ConsentError::ExportInvalid`] when the record lacks what the schema requires: a
/// controller, a purpose with a `rebit` code, a start and an end, an access mode, a fetch
/// type, a frequency of N per one unit, a data life, a data range, an FI type and a consent
/// type; or when a value is outside the 2.1.0 enums.
///
/// # Examples
///
/// See [`import`] for a round trip.
///
/// ```
/// use dpikit_consent::formats::rebit;
/// use dpikit_consent::model::{Code, ConsentRecord, Party, Purpose, Scheme};
///
/// let record = ConsentRecord::request("c-1", "ana@aa", Party::new("fiu-1", "FIU One"),
///     Purpose::new(Code::new(Scheme::Rebit, "101"), "Wealth management"));
/// // No usage limits: ReBIT requires them, so the export is refused.
/// let err = rebit::export(&record).unwrap_err();
/// assert_eq!(err.code(), dpikit_core::ErrorCode::ConsentExportInvalid);
/// ```
pub fn export(record: &ConsentRecord) -> Result<Conversion<Value>> {
    let mut report = LossReport::default();
    let mut doc = derive(record, &mut report)?;
    let ext = record.extensions.get(FORMAT);
    apply_patches(FORMAT, &mut doc, ext.and_then(|e| e.get("patches")), &mut report);
    let signed = is_signed(&doc);
    check_detail(&doc, signed).map_err(into_export)?;
    Ok(Conversion { value: doc, report })
}

fn is_signed(detail: &Value) -> bool {
    detail.get("DataProvider").is_some() || detail.get("Accounts").is_some()
}

/// Splits a compact JWS and decodes its payload, without verifying the signature.
fn decode_jws(token: &str, report: &mut LossReport) -> Result<Vec<u8>> {
    let mut parts = token.split('.');
    let (Some(h), Some(p), Some(_sig), None) =
        (parts.next(), parts.next(), parts.next(), parts.next())
    else {
        return Err(import_failed(FORMAT, "signedConsent is not a compact JWS (3 segments)"));
    };
    let header = parse(&b64url_decode(h)?)?;
    let alg = header.get("alg").and_then(Value::as_str).unwrap_or("(none)");
    let kid = header.get("kid").and_then(Value::as_str).unwrap_or("(none)");
    report.warn(format!(
        "signature not verified: signedConsent is {alg} with kid {kid}, and ReBIT AA signing \
         keys are not published"
    ));
    if p.is_empty() {
        return Err(import_failed(FORMAT, "signedConsent has a detached payload"));
    }
    if header.get("b64") == Some(&Value::Bool(false)) {
        if let Ok(bytes) = b64url_decode(p) {
            report.warn(
                "JWS header says b64:false but the payload is base64url-encoded (known defect); \
                 decoded as base64url",
            );
            return Ok(bytes);
        }
        return Ok(p.as_bytes().to_vec());
    }
    Ok(b64url_decode(p)?)
}

/// Reads the artefact members around `signedConsent`, fixing a lowercase `consentUse`.
fn read_artefact(f: &Fields<'_>, report: &mut LossReport) -> Result<Value> {
    let mut out = Map::new();
    for key in ["ver", "txnid", "consentId"] {
        out.insert(key.into(), json!(f.req_str(key)?));
    }
    let created = f
        .get("createTimestamp")
        .ok_or_else(|| import_failed(FORMAT, "/createTimestamp is required"))?;
    out.insert("createTimestamp".into(), json!(fix_time("/createTimestamp", created, report)?));
    let status = f.req_str("status")?;
    if !STATUSES.contains(&status) {
        return Err(import_failed(FORMAT, format!("/status {status:?} is not in the 2.1.0 enum")));
    }
    out.insert("status".into(), json!(status));
    let usage = match (f.get("ConsentUse"), f.get("consentUse")) {
        (Some(u), _) => u,
        (None, Some(u)) => {
            report.warn("consentUse (lowercase c) read as ConsentUse (v1 spelling)");
            u
        }
        (None, None) => return Err(import_failed(FORMAT, "/ConsentUse is required")),
    };
    let u = Fields::new(FORMAT, "/ConsentUse", usage)?;
    u.req_str("logUri")?;
    if !u.get("count").is_some_and(Value::is_number) {
        return Err(import_failed(FORMAT, "/ConsentUse/count must be a number"));
    }
    let mut use_out = u.map.clone();
    if let Some(last) = u.get("lastUseDateTime") {
        use_out.insert(
            "lastUseDateTime".into(),
            json!(fix_time("/ConsentUse/lastUseDateTime", last, report)?),
        );
    }
    out.insert("ConsentUse".into(), Value::Object(use_out));
    for k in f.map.keys() {
        if !["signedConsent", "consentId", "status", "createTimestamp"].contains(&k.as_str()) {
            report.drop_path(format!("/{k}"));
        }
    }
    Ok(Value::Object(out))
}

/// Returns a copy of the detail with the known defects fixed, each with a warning.
fn normalize(detail: &Value, report: &mut LossReport) -> Result<Value> {
    let mut out = detail.clone();
    for path in TIME_PATHS {
        if let Some(v) = detail.pointer(path) {
            let fixed = fix_time(path, v, report)?;
            if let Some(slot) = out.pointer_mut(path) {
                *slot = Value::String(fixed);
            }
        }
    }
    if let Some(Value::Array(types)) = out.get_mut("fiTypes") {
        for t in types.iter_mut() {
            if let Some(s) = t.as_str() {
                let canonical = s.replace('-', "_");
                if s != canonical && FI_TYPES.contains(&canonical.as_str()) {
                    report.warn(format!("fiType {s:?} read as {canonical:?}"));
                    *t = Value::String(canonical);
                }
            }
        }
    }
    Ok(out)
}

/// Accepts RFC 3339, `±hhmm` offsets (rewritten as `Z` or `±hh:mm`) and epoch milliseconds.
fn fix_time(path: &str, v: &Value, report: &mut LossReport) -> Result<String> {
    let bad = || import_failed(FORMAT, format!("{path} is not an RFC 3339 date-time: {v}"));
    match v {
        Value::String(s) => {
            if parse_rfc3339(s).is_ok() {
                return Ok(s.clone());
            }
            let fixed = fix_offset(s).ok_or_else(bad)?;
            parse_rfc3339(&fixed).map_err(|_| bad())?;
            report.warn(format!("{path}: offset without a colon {s:?} read as {fixed:?}"));
            Ok(fixed)
        }
        Value::Number(n) => {
            let ms = n.as_i64().ok_or_else(bad)?;
            let t = chrono::DateTime::from_timestamp_millis(ms).ok_or_else(bad)?;
            let fixed = rfc3339(&t);
            report.warn(format!("{path}: epoch milliseconds {ms} read as {fixed:?}"));
            Ok(fixed)
        }
        _ => Err(bad()),
    }
}

/// Rewrites a trailing `±hhmm` as `Z` (for `+0000`) or `±hh:mm`.
fn fix_offset(s: &str) -> Option<String> {
    let split = s.len().checked_sub(5)?;
    let (head, tail) = (s.get(..split)?, s.get(split..)?);
    let (sign, digits) = (tail.get(..1)?, tail.get(1..)?);
    if !matches!(sign, "+" | "-") || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    if digits == "0000" {
        return Some(format!("{head}Z"));
    }
    Some(format!("{head}{sign}{}:{}", digits.get(..2)?, digits.get(2..)?))
}

/// Checks the members, types and enums of `ConsentDetail` (or `SignedConsentDetail`).
fn check_detail(doc: &Value, signed: bool) -> Result<()> {
    let f = Fields::new(FORMAT, "", doc)?;
    for path in TIME_PATHS {
        let text = doc
            .pointer(path)
            .and_then(Value::as_str)
            .ok_or_else(|| import_failed(FORMAT, format!("{path} is required as a string")))?;
        parse_rfc3339(text).map_err(|_| {
            import_failed(FORMAT, format!("{path} is not an RFC 3339 date-time: {text:?}"))
        })?;
    }
    one_of(&f, "consentMode", &MODES)?;
    one_of(&f, "fetchType", &["ONETIME", "PERIODIC"])?;
    all_of(&f, "consentTypes", &CONSENT_TYPES)?;
    all_of(&f, "fiTypes", &FI_TYPES)?;
    let dc = f.req_obj("DataConsumer")?;
    dc.req_str("id")?;
    one_of(&dc, "type", &["FIU", "USER", "AA"])?;
    let customer = f.req_obj("Customer")?;
    customer.req_str("id")?;
    let purpose = f.req_obj("Purpose")?;
    purpose.req_str("code")?;
    purpose.opt_str("refUri")?;
    purpose.opt_str("text")?;
    let life = f.req_obj("DataLife")?;
    one_of(&life, "unit", &["DAY", "MONTH", "YEAR", "INF"])?;
    life.req_u32("value")?;
    let freq = f.req_obj("Frequency")?;
    let units: &[&str] = if signed {
        &["HOUR", "DAY", "MONTH", "YEAR"]
    } else {
        &["HOUR", "DAY", "MONTH", "YEAR", "INF"]
    };
    one_of(&freq, "unit", units)?;
    freq.req_u32("value")?;
    if let Some(filters) = f.opt_array("DataFilter")? {
        for (i, flt) in filters.iter().enumerate() {
            let flt = Fields::new(FORMAT, &format!("/DataFilter/{i}"), flt)?;
            one_of(&flt, "type", &FILTER_TYPES)?;
            one_of(&flt, "operator", &OPERATORS)?;
            flt.req_str("value")?;
        }
    }
    if signed {
        let dp = f.req_obj("DataProvider")?;
        dp.req_str("id")?;
        one_of(&dp, "type", &["FIP", "AA"])?;
        for (i, a) in f.req_array("Accounts")?.iter().enumerate() {
            let a = Fields::new(FORMAT, &format!("/Accounts/{i}"), a)?;
            for key in ["fiType", "fipId", "accType", "linkRefNumber", "maskedAccNumber"] {
                a.req_str(key)?;
            }
        }
    }
    Ok(())
}

fn one_of<'a>(f: &Fields<'a>, key: &str, allowed: &[&str]) -> Result<&'a str> {
    let v = f.req_str(key)?;
    if allowed.contains(&v) {
        Ok(v)
    } else {
        Err(import_failed(FORMAT, format!("{} {v:?} is not in the 2.1.0 enum", f.at(key))))
    }
}

fn all_of<'a>(f: &Fields<'a>, key: &str, allowed: &[&str]) -> Result<Vec<&'a str>> {
    let items = f.req_strings(key)?;
    if items.is_empty() {
        return Err(import_failed(FORMAT, format!("{} must not be empty", f.at(key))));
    }
    if let Some(bad) = items.iter().find(|v| !allowed.contains(v)) {
        return Err(import_failed(
            FORMAT,
            format!("{} {bad:?} is not in the 2.1.0 enum", f.at(key)),
        ));
    }
    Ok(items)
}

fn unit(name: &str) -> PeriodUnit {
    match name {
        "HOUR" => PeriodUnit::Hour,
        "DAY" => PeriodUnit::Day,
        "MONTH" => PeriodUnit::Month,
        "YEAR" => PeriodUnit::Year,
        _ => PeriodUnit::Inf,
    }
}

fn unit_name(unit: PeriodUnit) -> &'static str {
    match unit {
        PeriodUnit::Hour => "HOUR",
        PeriodUnit::Day => "DAY",
        PeriodUnit::Month => "MONTH",
        PeriodUnit::Year => "YEAR",
        PeriodUnit::Inf => "INF",
    }
}

/// Maps a checked, normalised detail into a record.
fn map_detail(detail: &Value, signed: bool, artefact: Option<&Value>) -> Result<ConsentRecord> {
    let f = Fields::new(FORMAT, "", detail)?;
    let text = |p: &str| detail.pointer(p).and_then(Value::as_str).unwrap_or_default().to_owned();
    let principal = f.req_obj("Customer")?.req_str("id")?.to_owned();
    let dc = f.req_obj("DataConsumer")?;
    let purpose = f.req_obj("Purpose")?;
    let mut categories: Vec<DataCategory> = Vec::new();
    for code in f.req_strings("fiTypes")?.into_iter().chain(f.req_strings("consentTypes")?) {
        categories.push(DataCategory { code: Code::new(Scheme::Rebit, code), sensitive: false });
    }
    let life = f.req_obj("DataLife")?;
    let freq = f.req_obj("Frequency")?;
    let usage = UsageLimits {
        frequency: Some(Frequency {
            count: freq.req_u32("value")?,
            per: Period { unit: unit(freq.req_str("unit")?), value: 1 },
        }),
        data_life: Some(Period {
            unit: unit(life.req_str("unit")?),
            value: life.req_u32("value")?,
        }),
        fetch_type: Some(if f.req_str("fetchType")? == "ONETIME" {
            FetchType::Onetime
        } else {
            FetchType::Periodic
        }),
        data_range: Some(DateRange {
            from: text("/FIDataRange/from"),
            to: text("/FIDataRange/to"),
        }),
        modes: vec![f.req_str("consentMode")?.to_owned()],
    };
    let (id, state, events) = if let Some(a) = artefact {
        let status = a["status"].as_str().unwrap_or("ACTIVE");
        let state = match status {
            "PAUSED" => State::Paused,
            "REVOKED" => State::Revoked,
            "EXPIRED" => State::Expired,
            _ => State::Given,
        };
        let at = a["createTimestamp"].as_str().unwrap_or_default().to_owned();
        let given = Event { state: State::Given, at, actor: principal.clone(), reason: None };
        (a["consentId"].as_str().unwrap_or_default().to_owned(), state, vec![given])
    } else {
        let hash = Sha256::digest(jcs::canonicalize(detail)?);
        let state = if signed { State::Given } else { State::Requested };
        (format!("urn:rebit:sha256:{}", hex_encode(&hash)), state, Vec::new())
    };
    Ok(ConsentRecord {
        schema_version: SCHEMA_VERSION.to_owned(),
        id,
        principal,
        controllers: vec![Party {
            id: dc.req_str("id")?.to_owned(),
            kind: Some(dc.req_str("type")?.to_owned()),
            ..Party::default()
        }],
        recipients: Vec::new(),
        purposes: vec![Purpose {
            codes: vec![Code::new(Scheme::Rebit, purpose.req_str("code")?)],
            text: purpose.opt_str("text")?.map(str::to_owned),
            data_categories: Vec::new(),
            primary: None,
            termination: None,
            third_parties: Vec::new(),
        }],
        data_categories: categories,
        legal_basis: Some("dpv:Consent".to_owned()),
        consent_type: None,
        notice: None,
        languages: Vec::new(),
        jurisdiction: Some("IN".to_owned()),
        collection_method: None,
        storage_locations: Vec::new(),
        retention_period: None,
        withdrawal_method: None,
        validity: Validity {
            start: Some(text("/consentStart")),
            expiry: Some(text("/consentExpiry")),
            duration: None,
        },
        usage,
        delegation: None,
        state,
        events,
        extensions: std::collections::BTreeMap::new(),
    })
}

/// Writes a stored timestamp as is when it is RFC 3339, else in UTC.
fn time_out(what: &str, text: &str) -> Result<String> {
    parse_rfc3339(text)
        .map(|_| text.to_owned())
        .map_err(|_| export_invalid(FORMAT, format!("{what} is not RFC 3339: {text:?}")))
}

/// The ReBIT detail the model alone gives (no restored extensions).
// A field-by-field mapping reads best as one list, in the format's own order.
#[allow(clippy::too_many_lines)]
fn derive(record: &ConsentRecord, report: &mut LossReport) -> Result<Value> {
    let missing = |what: &str| export_invalid(FORMAT, format!("the record has no {what}"));
    let controller = record.controllers.first().ok_or_else(|| missing("controller"))?;
    let purpose = record
        .purposes
        .iter()
        .find(|p| p.codes.iter().any(|c| c.scheme == Scheme::Rebit))
        .ok_or_else(|| missing("purpose with a rebit code"))?;
    let code = purpose.codes.iter().find(|c| c.scheme == Scheme::Rebit).map(|c| c.code.clone());
    if record.purposes.len() > 1 {
        report.drop_path("purposes[1..] (ReBIT has one purpose)");
    }
    let start = record.validity.start.as_deref().ok_or_else(|| missing("validity start"))?;
    let expiry = match &record.validity.expiry {
        Some(e) => time_out("validity.expiry", e)?,
        None => rfc3339(
            &record.validity.end_at().ok().flatten().ok_or_else(|| missing("validity end"))?,
        ),
    };
    let usage = &record.usage;
    let mode = usage.modes.first().ok_or_else(|| missing("access mode (usage.modes)"))?;
    if usage.modes.len() > 1 {
        report.drop_path("usage.modes[1..] (ReBIT has one consentMode)");
    }
    let fetch = match usage.fetch_type.ok_or_else(|| missing("fetch type"))? {
        FetchType::Onetime => "ONETIME",
        FetchType::Periodic => "PERIODIC",
    };
    let freq = usage.frequency.ok_or_else(|| missing("frequency"))?;
    if freq.per.value != 1 {
        return Err(export_invalid(
            FORMAT,
            format!(
                "frequency per {} units cannot be expressed (ReBIT counts per one unit)",
                freq.per.value
            ),
        ));
    }
    let life = usage.data_life.ok_or_else(|| missing("data life"))?;
    if life.unit == PeriodUnit::Hour {
        return Err(export_invalid(FORMAT, "a data life in hours cannot be expressed"));
    }
    let range = usage.data_range.as_ref().ok_or_else(|| missing("data range"))?;
    let codes = || {
        record
            .data_categories
            .iter()
            .chain(record.purposes.iter().flat_map(|p| &p.data_categories))
            .filter(|c| c.code.scheme == Scheme::Rebit)
            .map(|c| c.code.code.as_str())
    };
    let fi_types: Vec<&str> = codes().filter(|c| FI_TYPES.contains(c)).collect();
    let consent_types: Vec<&str> = codes().filter(|c| CONSENT_TYPES.contains(c)).collect();
    let other = record
        .data_categories
        .iter()
        .chain(record.purposes.iter().flat_map(|p| &p.data_categories))
        .any(|c| c.code.scheme != Scheme::Rebit);
    if other {
        report.drop_path("data categories of schemes other than rebit");
    }
    let dc_type = if let Some(t @ ("FIU" | "USER" | "AA")) = controller.kind.as_deref() {
        t
    } else {
        report.warn(format!("controller {:?} has no ReBIT type: written as FIU", controller.id));
        "FIU"
    };
    if record.controllers.len() > 1 {
        report.drop_path("controllers[1..] (ReBIT has one DataConsumer)");
    }
    let mut purpose_out = Map::new();
    purpose_out.insert("code".into(), json!(code));
    if let Some(t) = &purpose.text {
        purpose_out.insert("text".into(), json!(t));
    }
    Ok(json!({
        "consentStart": time_out("validity.start", start)?,
        "consentExpiry": expiry,
        "consentMode": mode,
        "fetchType": fetch,
        "consentTypes": consent_types,
        "fiTypes": fi_types,
        "DataConsumer": {"id": controller.id, "type": dc_type},
        "Customer": {"id": record.principal},
        "Purpose": purpose_out,
        "FIDataRange": {
            "from": time_out("usage.dataRange.from", &range.from)?,
            "to": time_out("usage.dataRange.to", &range.to)?,
        },
        "DataLife": {"unit": unit_name(life.unit), "value": life.value},
        "Frequency": {"unit": unit_name(freq.per.unit), "value": freq.count},
    }))
}
