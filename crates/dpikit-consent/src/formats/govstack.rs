//! GovStack Consent Building Block 1.1.0-rc1: data agreements, policies, consent records,
//! revisions and signatures, from the component shapes of the OpenAPI document or from the
//! mock server's Django fixtures (`[{"model": "app.revision", "pk": 3, "fields": {...}}]`).
//!
//! Import verifies what can be verified offline and reports every mismatch as an
//! [`IntegrityFinding`] instead of passing it:
//! - each revision's `serializedHash` is SHA-1 of its `serializedSnapshot`;
//! - the snapshot names the revision's own `schemaName` and `objectId`;
//! - the `predecessorHash` / `successor` chain links revisions of one object;
//! - a consent record's `dataAgreementRevisionHash` is the hash of the revision it names;
//! - a signature's `verificationPayloadHash` is SHA-1 of its `verificationPayload`, which is
//!   the snapshot of the revision it signs.
//!
//! PGP signatures (the mock's) cannot be verified without the signer's key and are reported
//! as warnings; [`verify_revision_signature`] verifies ES256 and EdDSA compact JWS.
//!
//! | GovStack | core |
//! |---|---|
//! | `ConsentRecord.id` | `id` |
//! | `Individual.externalId` (else `id`) | `principal` |
//! | `DataAgreement.controller` {name, url} | `controllers[0]` |
//! | `DataAgreement` {id, purpose} | `purposes[0]` (code of scheme `local` = agreement id, text = purpose) |
//! | `DataAgreementAttribute` {name, sensitivity} | `data_categories` (scheme `local`) |
//! | `DataAgreement.lawfulBasis` | `legal_basis` (`dpv:Consent`, `dpv:Contract`, ...) |
//! | `Policy` {url, jurisdiction, storageLocation, dataRetentionPeriodDays} | `notice.url`, `jurisdiction`, `storage_locations`, `retention_period` (`PnD`) |
//! | `optIn` true / false / null | `state` Given / Refused / Requested |
//! | latest revision `timestamp` | the event of that state |

use std::collections::BTreeMap;

use serde::Serialize;
use serde_json::{Map, Value, json};
use sha1::{Digest, Sha1};

use dpikit_core::encoding::hex_encode;
use dpikit_core::jws::{self, VerifyOptions};
use dpikit_core::keys::{Jwk, PublicKey};
use dpikit_core::time::parse_rfc3339;
use dpikit_core::{CoreError, parse_json};

use super::{Conversion, Fields, LossReport, import_failed, parse};
use crate::lifecycle::{Event, State};
use crate::model::{
    CONSENT_LIMITS, Code, ConsentRecord, DataCategory, Notice, Party, Purpose, SCHEMA_VERSION,
    Scheme, UsageLimits, Validity,
};
use crate::{ConsentError, Result};

/// The format name used in errors and as the extensions key.
pub const FORMAT: &str = "govstack";

/// A GovStack `Revision`: a serialized snapshot of one object, hashed and chained.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Revision {
    /// The revision's id (fixture `pk`).
    pub id: String,
    /// The schema of the revisioned object (`DataAgreement`, `ConsentRecord`, `Policy`).
    pub schema_name: String,
    /// The id of the revisioned object.
    pub object_id: String,
    /// Whether `objectId` was blank when the hash was computed.
    pub signed_without_object_id: Option<bool>,
    /// The serialized snapshot (JSON text), exactly as stored.
    pub serialized_snapshot: String,
    /// SHA-1 of `serialized_snapshot`, hex.
    pub serialized_hash: String,
    /// When the revision was made (as stored).
    pub timestamp: String,
    /// The individual who authorized the revision.
    pub authorized_by_individual: Option<String>,
    /// The admin user who authorized the revision.
    pub authorized_by_other: Option<String>,
    /// The id of the revision that replaced this one.
    pub successor: Option<String>,
    /// The `serializedHash` of the previous revision of the same object.
    pub predecessor_hash: Option<String>,
    /// The signature of the previous revision.
    pub predecessor_signature: Option<String>,
}

/// A GovStack `Signature` over a revision (or another signature).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Signature {
    /// The signature's id.
    pub id: String,
    /// The signed payload (JSON text).
    pub payload: String,
    /// The signature: a compact JWS for `verificationMethod` `jws`, ASCII armour for `pgp`.
    pub signature: String,
    /// How to verify (`pgp`, `jws`, ...).
    pub verification_method: String,
    /// The serialized object signed.
    pub verification_payload: String,
    /// SHA-1 of `verification_payload`, hex.
    pub verification_payload_hash: String,
    /// Who signed (a key fingerprint, a DID, a name).
    pub verification_signed_by: String,
    /// `individual` or `delegate`.
    pub verification_signed_as: Option<String>,
    /// A JWS header, when the signature is a JWS.
    pub verification_jws_header: Option<String>,
    /// When it was signed (as stored).
    pub timestamp: String,
    /// `Revision` or `Signature`.
    pub object_type: Option<String>,
    /// The id of the signed object.
    pub object_reference: Option<String>,
}

/// A GovStack `Policy`.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Policy {
    /// The policy's id.
    pub id: String,
    /// Its name.
    pub name: String,
    /// Its version.
    pub version: String,
    /// The permanent URL of this version.
    pub url: String,
    /// Jurisdiction.
    pub jurisdiction: Option<String>,
    /// Industry sector.
    pub industry_sector: Option<String>,
    /// Retention in days.
    pub data_retention_period_days: Option<u64>,
    /// Geographic restriction.
    pub geographic_restriction: Option<String>,
    /// Storage location.
    pub storage_location: Option<String>,
}

/// A GovStack `DataAgreementAttribute`: one item of personal data.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Attribute {
    /// The attribute's id.
    pub id: String,
    /// Its name (`Full name`, `age`).
    pub name: String,
    /// Its sensitivity, in the controller's words.
    pub sensitivity: String,
    /// Its category.
    pub category: String,
}

/// A GovStack `DataAgreement`: one purpose that individuals can consent to.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct DataAgreement {
    /// The agreement's id.
    pub id: String,
    /// Its version.
    pub version: String,
    /// The purpose shown to the individual.
    pub purpose: String,
    /// The lawful basis (`consent`, `contract`, `legal_obligation`, ...).
    pub lawful_basis: String,
    /// `data_source` or `data_using_service`.
    pub data_use: Option<String>,
    /// The data protection impact assessment.
    pub dpia: String,
    /// Whether new consent records can be made.
    pub active: Option<bool>,
    /// Whether a withdrawn record may be deleted.
    pub forgettable: Option<bool>,
    /// The controller.
    pub controller: Option<Party>,
    /// The governing policy.
    pub policy: Option<Policy>,
    /// The personal data.
    pub attributes: Vec<Attribute>,
    /// The lifecycle state name (`Draft`, `Complete`).
    pub lifecycle: Option<String>,
}

/// What kind of integrity check failed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum FindingKind {
    /// `serializedHash` is not SHA-1 of `serializedSnapshot`.
    HashMismatch,
    /// The snapshot names another schema or object than its revision, or is not JSON.
    SnapshotMismatch,
    /// `predecessorHash` is not the hash of the revision it follows.
    PredecessorMismatch,
    /// A `successor` link names a missing revision or one that does not point back.
    SuccessorMismatch,
    /// A consent record's `dataAgreementRevisionHash` is not its revision's hash.
    RecordRevisionHashMismatch,
    /// A signature's payload hash or payload does not match.
    SignaturePayloadMismatch,
}

/// A failed integrity check of an imported document.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct IntegrityFinding {
    /// The check that failed.
    pub kind: FindingKind,
    /// What it concerns (`revision 3`, `consent record 1`, `signature 2`).
    pub subject: String,
    /// What does not match.
    pub detail: String,
}

impl IntegrityFinding {
    /// Returns the finding as a [`ConsentError::Integrity`].
    #[must_use]
    pub fn to_error(&self) -> ConsentError {
        ConsentError::Integrity(format!("{}: {}", self.subject, self.detail))
    }
}

/// Everything read from a GovStack document, with the integrity findings.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct GovStackImport {
    /// Consent records, mapped to the core model (with their agreement, policy and individual).
    pub records: Vec<ConsentRecord>,
    /// Data agreements.
    pub agreements: Vec<DataAgreement>,
    /// Policies.
    pub policies: Vec<Policy>,
    /// Attributes given on their own (not inside an agreement).
    pub attributes: Vec<Attribute>,
    /// Revisions.
    pub revisions: Vec<Revision>,
    /// Signatures.
    pub signatures: Vec<Signature>,
    /// Every integrity check that failed; empty when all passed.
    pub findings: Vec<IntegrityFinding>,
}

impl GovStackImport {
    /// Returns `Ok` when no integrity check failed.
    ///
    /// # Errors
    ///
    /// [`ConsentError::Integrity`] for the first finding.
    pub fn ensure_intact(&self) -> Result<()> {
        self.findings.first().map_or(Ok(()), |f| Err(f.to_error()))
    }
}

/// Returns SHA-1 of a snapshot as lowercase hex, as GovStack's `serializedHash`.
#[must_use]
pub fn revision_hash(snapshot: &str) -> String {
    hex_encode(&Sha1::digest(snapshot.as_bytes()))
}

/// Imports a GovStack document: Django fixtures of the mock server, or one component
/// (`ConsentRecord`, `DataAgreement`, `Policy`, `Revision`, `Signature`, or an array of
/// `DataAgreementAttribute`), and runs the integrity checks.
///
/// Integrity failures do not fail the import: they are returned in
/// [`GovStackImport::findings`] (see [`GovStackImport::ensure_intact`]).
///
/// # Errors
///
/// JSON intake errors ([`ConsentError::Core`]); [`ConsentError::ImportFailed`] for another
/// document (an OpenAPI document, a JSON-LD data agreement of iGrant.io/MyData, ...), a
/// missing or mistyped member, or a reference to a fixture row that is not there.
///
/// # Examples
///
/// ```
/// use dpikit_consent::formats::govstack::{self, FindingKind};
///
/// let snapshot = r#"{"schemaName": "Policy", "objectId": 1}"#;
/// let revision = serde_json::json!({
///     "id": "1", "schemaName": "Policy", "objectId": "1", "serializedSnapshot": snapshot,
///     "serializedHash": govstack::revision_hash(snapshot), "timestamp": "2026-01-01T00:00:00Z"
/// });
/// let ok = govstack::import(revision.to_string().as_bytes())?;
/// assert!(ok.value.findings.is_empty());
///
/// let mut tampered = revision.clone();
/// tampered["serializedSnapshot"] = serde_json::json!(snapshot.replace('1', "2"));
/// let bad = govstack::import(tampered.to_string().as_bytes())?;
/// assert_eq!(bad.value.findings[0].kind, FindingKind::HashMismatch);
/// # Ok::<(), dpikit_consent::ConsentError>(())
/// ```
pub fn import(bytes: &[u8]) -> Result<Conversion<GovStackImport>> {
    let doc = parse(bytes)?;
    let mut report = LossReport::default();
    let mut out = GovStackImport::default();
    match &doc {
        Value::Array(rows) if !rows.is_empty() && rows.iter().all(|r| r.get("model").is_some()) => {
            read_fixtures(rows, &mut out, &mut report)?;
        }
        Value::Array(rows) if !rows.is_empty() => {
            for (i, row) in rows.iter().enumerate() {
                let f = Fields::new(FORMAT, &format!("/{i}"), row)?;
                out.attributes.push(read_attribute(&f, &mut report)?);
            }
        }
        Value::Object(_) => read_component(&doc, &mut out, &mut report)?,
        _ => {
            return Err(import_failed(FORMAT, "not a GovStack component or fixture array"));
        }
    }
    check_integrity(&mut out, &mut report);
    Ok(Conversion { value: out, report })
}

/// Reads an id that may be a string or a number.
fn id_of(f: &Fields<'_>, key: &str) -> Result<Option<String>> {
    match f.get(key) {
        None => Ok(None),
        Some(Value::String(s)) => Ok(Some(s.clone())),
        Some(Value::Number(n)) => Ok(Some(n.to_string())),
        Some(_) => {
            Err(import_failed(FORMAT, format!("{} must be a string or a number", f.at(key))))
        }
    }
}

fn req_id(f: &Fields<'_>, key: &str) -> Result<String> {
    id_of(f, key)?.ok_or_else(|| import_failed(FORMAT, format!("{} is required", f.at(key))))
}

/// Reads `camel` or, with a warning, its snake_case spelling (the mock server's).
fn member<'a>(f: &Fields<'a>, camel: &str, report: &mut LossReport) -> Option<&'a Value> {
    if let Some(v) = f.get(camel) {
        return Some(v);
    }
    let snake: String =
        camel
            .chars()
            .flat_map(|c| {
                if c.is_ascii_uppercase() { vec!['_', c.to_ascii_lowercase()] } else { vec![c] }
            })
            .collect();
    let v = f.get(&snake)?;
    report.warn(format!("{}: snake_case {snake:?} read as {camel:?}", f.path));
    Some(v)
}

fn member_str(f: &Fields<'_>, camel: &str, report: &mut LossReport) -> Result<Option<String>> {
    match member(f, camel, report) {
        None => Ok(None),
        Some(Value::String(s)) => Ok(Some(s.clone())),
        Some(Value::Number(n)) => Ok(Some(n.to_string())),
        Some(_) => Err(import_failed(FORMAT, format!("{} must be a string", f.at(camel)))),
    }
}

fn req_member_str(f: &Fields<'_>, camel: &str, report: &mut LossReport) -> Result<String> {
    member_str(f, camel, report)?
        .ok_or_else(|| import_failed(FORMAT, format!("{} is required", f.at(camel))))
}

fn read_component(doc: &Value, out: &mut GovStackImport, report: &mut LossReport) -> Result<()> {
    let f = Fields::new(FORMAT, "", doc)?;
    if f.get("@context").is_some() {
        return Err(import_failed(
            FORMAT,
            "a JSON-LD document (iGrant.io/MyData data agreement), not a GovStack 1.1.0-rc1 object",
        ));
    }
    if f.get("openapi").is_some() || f.get("components").is_some() {
        return Err(import_failed(FORMAT, "an OpenAPI document, not a GovStack object"));
    }
    if f.get("serializedSnapshot").is_some() {
        out.revisions.push(read_revision(&f, "")?);
    } else if f.get("dataAgreementRevisionHash").is_some() {
        read_record_component(&f, out, report)?;
    } else if f.get("verificationPayload").is_some() {
        out.signatures.push(read_signature(&f, "")?);
    } else if member(&f, "lawfulBasis", report).is_some() {
        let da = read_agreement(&f, None, None, None, report)?;
        out.agreements.push(da);
    } else if f.get("url").is_some() && f.get("name").is_some() {
        out.policies.push(read_policy(&f, None, report)?);
    } else {
        return Err(import_failed(
            FORMAT,
            "not a GovStack ConsentRecord, DataAgreement, Policy, Revision or Signature",
        ));
    }
    Ok(())
}

fn read_revision(f: &Fields<'_>, pk: &str) -> Result<Revision> {
    let id = id_of(f, "id")?.unwrap_or_else(|| pk.to_owned());
    if id.is_empty() {
        return Err(import_failed(FORMAT, format!("{} is required", f.at("id"))));
    }
    Ok(Revision {
        id,
        schema_name: f.req_str("schemaName")?.to_owned(),
        object_id: req_id(f, "objectId")?,
        signed_without_object_id: f.opt_bool("signedWithoutObjectId")?,
        serialized_snapshot: f.req_str("serializedSnapshot")?.to_owned(),
        serialized_hash: f.req_str("serializedHash")?.to_owned(),
        timestamp: f.req_str("timestamp")?.to_owned(),
        authorized_by_individual: id_of(f, "authorizedByIndividual")?,
        authorized_by_other: f.opt_str("authorizedByOther")?.map(str::to_owned),
        successor: id_of(f, "successor")?,
        predecessor_hash: f.opt_str("predecessorHash")?.map(str::to_owned),
        predecessor_signature: f.opt_str("predecessorSignature")?.map(str::to_owned),
    })
}

fn read_signature(f: &Fields<'_>, pk: &str) -> Result<Signature> {
    let s = |k: &str| -> Result<String> { Ok(f.req_str(k)?.to_owned()) };
    let o = |k: &str| -> Result<Option<String>> { Ok(f.opt_str(k)?.map(str::to_owned)) };
    Ok(Signature {
        id: id_of(f, "id")?.unwrap_or_else(|| pk.to_owned()),
        payload: s("payload")?,
        signature: s("signature")?,
        verification_method: s("verificationMethod")?,
        verification_payload: s("verificationPayload")?,
        verification_payload_hash: s("verificationPayloadHash")?,
        verification_signed_by: s("verificationSignedBy")?,
        verification_signed_as: o("verificationSignedAs")?,
        verification_jws_header: o("verificationJwsHeader")?,
        timestamp: s("timestamp")?,
        object_type: o("objectType")?,
        object_reference: id_of(f, "objectReference")?,
    })
}

fn read_policy(f: &Fields<'_>, pk: Option<&str>, report: &mut LossReport) -> Result<Policy> {
    let id = match (id_of(f, "id")?, pk) {
        (Some(id), _) => id,
        (None, Some(pk)) => pk.to_owned(),
        (None, None) => return Err(import_failed(FORMAT, format!("{} is required", f.at("id")))),
    };
    let days = match member(f, "dataRetentionPeriodDays", report) {
        None => None,
        Some(v) => Some(v.as_u64().ok_or_else(|| {
            import_failed(
                FORMAT,
                format!("{} must be a whole number", f.at("dataRetentionPeriodDays")),
            )
        })?),
    };
    Ok(Policy {
        id,
        name: req_member_str(f, "name", report)?,
        version: req_member_str(f, "version", report)?,
        url: req_member_str(f, "url", report)?,
        jurisdiction: member_str(f, "jurisdiction", report)?,
        industry_sector: member_str(f, "industrySector", report)?,
        data_retention_period_days: days,
        geographic_restriction: member_str(f, "geographicRestriction", report)?,
        storage_location: member_str(f, "storageLocation", report)?,
    })
}

fn read_attribute(f: &Fields<'_>, report: &mut LossReport) -> Result<Attribute> {
    Ok(Attribute {
        id: req_id(f, "id")?,
        name: req_member_str(f, "name", report)?,
        sensitivity: req_member_str(f, "sensitivity", report)?,
        category: req_member_str(f, "category", report)?,
    })
}

fn read_controller(v: &Value, path: &str) -> Result<Party> {
    if let Value::String(name) = v {
        return Ok(Party {
            kind: Some("controller".into()),
            ..Party::new(name.as_str(), name.as_str())
        });
    }
    let c = Fields::new(FORMAT, path, v)?;
    let name = c.req_str("name")?;
    let url = c.opt_str("url")?;
    let id = match url {
        Some(u) => u.to_owned(),
        None => id_of(&c, "id")?.unwrap_or_else(|| name.to_owned()),
    };
    Ok(Party {
        id,
        name: Some(name.to_owned()),
        url: url.map(str::to_owned),
        kind: Some("controller".into()),
        ..Party::default()
    })
}

/// Reads a data agreement; fixture rows pass the resolved controller, policy and lifecycle.
fn read_agreement(
    f: &Fields<'_>,
    pk: Option<&str>,
    resolved: Option<(Option<Party>, Option<Policy>)>,
    lifecycle: Option<String>,
    report: &mut LossReport,
) -> Result<DataAgreement> {
    let id = match (id_of(f, "id")?, pk) {
        (Some(id), _) => id,
        (None, Some(pk)) => pk.to_owned(),
        (None, None) => return Err(import_failed(FORMAT, format!("{} is required", f.at("id")))),
    };
    let (controller, policy) = resolved.map_or_else(|| read_links(f, report), Ok)?;
    let lifecycle = lifecycle.or(match member(f, "lifecycle", report) {
        Some(Value::Object(m)) => m.get("name").and_then(Value::as_str).map(str::to_owned),
        Some(Value::String(s)) => Some(s.clone()),
        _ => None,
    });
    let mut attributes = Vec::new();
    for key in ["dataAgreementAttributes", "dataagreementattribute"] {
        if let Some(list) = f.opt_array(key)? {
            for (i, a) in list.iter().enumerate() {
                attributes.push(read_attribute(
                    &Fields::new(FORMAT, &format!("{}/{i}", f.at(key)), a)?,
                    report,
                )?);
            }
        }
    }
    let dpia = match member(f, "dpia", report) {
        Some(Value::String(s)) => s.clone(),
        Some(_) => return Err(import_failed(FORMAT, format!("{} must be a string", f.at("dpia")))),
        None => return Err(import_failed(FORMAT, format!("{} is required", f.at("dpia")))),
    };
    if f.get("signature").is_some() {
        report.drop_path(f.at("signature"));
    }
    Ok(DataAgreement {
        id,
        version: req_member_str(f, "version", report)?,
        purpose: req_member_str(f, "purpose", report)?,
        lawful_basis: req_member_str(f, "lawfulBasis", report)?,
        data_use: member_str(f, "dataUse", report)?,
        dpia,
        active: f.opt_bool("active")?,
        forgettable: f.opt_bool("forgettable")?,
        controller,
        policy,
        attributes,
        lifecycle,
    })
}

/// Reads the controller and policy an agreement component embeds.
fn read_links(f: &Fields<'_>, report: &mut LossReport) -> Result<(Option<Party>, Option<Policy>)> {
    let controller = match member(f, "controller", report) {
        Some(v) => Some(read_controller(v, &f.at("controller"))?),
        None => None,
    };
    let policy = match member(f, "policy", report) {
        Some(v @ Value::Object(_)) => {
            Some(read_policy(&Fields::new(FORMAT, &f.at("policy"), v)?, None, report)?)
        }
        Some(_) => {
            report.drop_path(f.at("policy"));
            None
        }
        None => None,
    };
    Ok((controller, policy))
}

/// The parts of a consent record before mapping.
struct RawRecord {
    id: String,
    agreement: Option<DataAgreement>,
    revision_id: Option<String>,
    revision_hash: String,
    individual: Option<Map<String, Value>>,
    opt_in: Option<bool>,
    state: String,
    signature_id: Option<String>,
}

fn read_record_component(
    f: &Fields<'_>,
    out: &mut GovStackImport,
    report: &mut LossReport,
) -> Result<()> {
    let agreement = match f.get("dataAgreement") {
        Some(v @ Value::Object(_)) => {
            let da = read_agreement(
                &Fields::new(FORMAT, &f.at("dataAgreement"), v)?,
                None,
                None,
                None,
                report,
            )?;
            out.agreements.push(da.clone());
            Some(da)
        }
        Some(_) => {
            report.drop_path(f.at("dataAgreement"));
            None
        }
        None => None,
    };
    let revision_id = match f.get("dataAgreementRevision") {
        Some(v @ Value::Object(_)) => {
            let rev = read_revision(&Fields::new(FORMAT, &f.at("dataAgreementRevision"), v)?, "")?;
            let id = rev.id.clone();
            out.revisions.push(rev);
            Some(id)
        }
        _ => id_of(f, "dataAgreementRevision")?,
    };
    let signature_id = match f.get("signature") {
        Some(v @ Value::Object(_)) => {
            let sig = read_signature(&Fields::new(FORMAT, &f.at("signature"), v)?, "")?;
            let id = sig.id.clone();
            out.signatures.push(sig);
            Some(id)
        }
        _ => id_of(f, "signature")?,
    };
    let individual = match f.get("individual") {
        Some(Value::Object(m)) => Some(m.clone()),
        Some(v) => Some(json!({"id": v}).as_object().cloned().unwrap_or_default()),
        None => None,
    };
    let raw = RawRecord {
        id: req_id(f, "id")?,
        agreement,
        revision_id,
        revision_hash: f.req_str("dataAgreementRevisionHash")?.to_owned(),
        individual,
        opt_in: f.opt_bool("optIn")?,
        state: f.req_str("state")?.to_owned(),
        signature_id,
    };
    let record = map_record(&raw, &out.revisions, report);
    out.records.push(record);
    Ok(())
}

// A field-by-field mapping reads best as one list, in the format's own order.
#[allow(clippy::too_many_lines)]
fn read_fixtures(rows: &[Value], out: &mut GovStackImport, report: &mut LossReport) -> Result<()> {
    let mut by_model: BTreeMap<String, Vec<(String, Fields<'_>)>> = BTreeMap::new();
    for (i, row) in rows.iter().enumerate() {
        let r = Fields::new(FORMAT, &format!("/{i}"), row)?;
        let model = r.req_str("model")?.to_owned();
        let pk = req_id(&r, "pk")?;
        let fields = r.req_obj("fields")?;
        by_model.entry(model).or_default().push((pk, fields));
    }
    let find = |model: &str, pk: &str| -> Option<&Fields<'_>> {
        by_model.get(model)?.iter().find(|(p, _)| p == pk).map(|(_, f)| f)
    };
    let known = [
        "app.individual",
        "app.dataagreement",
        "app.policy",
        "app.consentrecord",
        "app.revision",
        "app.controller",
        "app.signature",
        "app.dataagreementlifecycle",
        "app.dataagreementattribute",
    ];
    for model in by_model.keys().filter(|m| !known.contains(&m.as_str())) {
        report.drop_path(format!("model {model}"));
    }
    for (pk, f) in by_model.get("app.revision").into_iter().flatten() {
        out.revisions.push(read_revision(f, pk)?);
    }
    for (pk, f) in by_model.get("app.signature").into_iter().flatten() {
        out.signatures.push(read_signature(f, pk)?);
    }
    for (pk, f) in by_model.get("app.policy").into_iter().flatten() {
        out.policies.push(read_policy(f, Some(pk), report)?);
    }
    let missing =
        |what: &str, pk: &str| import_failed(FORMAT, format!("no {what} row with pk {pk}"));
    for (pk, f) in by_model.get("app.dataagreement").into_iter().flatten() {
        let controller = match id_of(f, "controller")? {
            Some(c) => Some(read_controller(
                &Value::Object(
                    find("app.controller", &c)
                        .ok_or_else(|| missing("app.controller", &c))?
                        .map
                        .clone(),
                ),
                &f.at("controller"),
            )?),
            None => None,
        };
        let policy = match id_of(f, "policy")? {
            Some(p) => Some(
                out.policies
                    .iter()
                    .find(|x| x.id == p)
                    .cloned()
                    .ok_or_else(|| missing("app.policy", &p))?,
            ),
            None => None,
        };
        let lifecycle = match id_of(f, "lifecycle")? {
            Some(l) => Some(
                find("app.dataagreementlifecycle", &l)
                    .ok_or_else(|| missing("app.dataagreementlifecycle", &l))?
                    .req_str("name")?
                    .to_owned(),
            ),
            None => None,
        };
        let mut da = read_agreement(f, Some(pk), Some((controller, policy)), lifecycle, report)?;
        for (apk, a) in by_model.get("app.dataagreementattribute").into_iter().flatten() {
            if id_of(a, "dataAgreement")?.as_deref() == Some(pk.as_str()) {
                let mut attr = read_attribute_row(a, apk, report)?;
                attr.id.clone_from(apk);
                da.attributes.push(attr);
            }
        }
        out.agreements.push(da);
    }
    for (pk, f) in by_model.get("app.consentrecord").into_iter().flatten() {
        let agreement = match id_of(f, "dataAgreement")? {
            Some(d) => Some(
                out.agreements
                    .iter()
                    .find(|a| a.id == d)
                    .cloned()
                    .ok_or_else(|| missing("app.dataagreement", &d))?,
            ),
            None => None,
        };
        let individual = match id_of(f, "individual")? {
            Some(i) => {
                let mut m = find("app.individual", &i)
                    .ok_or_else(|| missing("app.individual", &i))?
                    .map
                    .clone();
                m.insert("id".into(), json!(i));
                Some(m)
            }
            None => None,
        };
        let raw = RawRecord {
            id: pk.clone(),
            agreement,
            revision_id: id_of(f, "dataAgreementRevision")?,
            revision_hash: f.req_str("dataAgreementRevisionHash")?.to_owned(),
            individual,
            opt_in: f.opt_bool("optIn")?,
            state: f.req_str("state")?.to_owned(),
            signature_id: id_of(f, "signature")?,
        };
        out.records.push(map_record(&raw, &out.revisions, report));
    }
    Ok(())
}

fn read_attribute_row(f: &Fields<'_>, pk: &str, report: &mut LossReport) -> Result<Attribute> {
    Ok(Attribute {
        id: pk.to_owned(),
        name: req_member_str(f, "name", report)?,
        sensitivity: req_member_str(f, "sensitivity", report)?,
        category: req_member_str(f, "category", report)?,
    })
}

/// Maps GovStack lawful bases to DPV legal bases.
fn legal_basis(basis: &str) -> String {
    match basis.to_ascii_lowercase().replace([' ', '-'], "_").as_str() {
        "consent" => "dpv:Consent".to_owned(),
        "contract" => "dpv:Contract".to_owned(),
        "legal_obligation" => "dpv:LegalObligation".to_owned(),
        "vital_interest" => "dpv:VitalInterest".to_owned(),
        "public_task" => "dpv:PublicTask".to_owned(),
        "legitimate_interest" => "dpv:LegitimateInterest".to_owned(),
        _ => basis.to_owned(),
    }
}

/// A stored GovStack timestamp (`2023-10-31 21:52:26.991893+00:00`) as RFC 3339.
fn to_rfc3339(ts: &str) -> Option<String> {
    let t = ts.replacen(' ', "T", 1);
    parse_rfc3339(&t).ok().map(|_| t)
}

// A field-by-field mapping reads best as one list, in the format's own order.
#[allow(clippy::too_many_lines)]
fn map_record(raw: &RawRecord, revisions: &[Revision], report: &mut LossReport) -> ConsentRecord {
    let subject = format!("consent record {}", raw.id);
    let principal = raw
        .individual
        .as_ref()
        .and_then(|m| {
            m.get("externalId").and_then(Value::as_str).map(str::to_owned).or_else(|| {
                match m.get("id") {
                    Some(Value::String(s)) => Some(s.clone()),
                    Some(Value::Number(n)) => Some(n.to_string()),
                    _ => None,
                }
            })
        })
        .unwrap_or_default();
    if principal.is_empty() {
        report.warn(format!("{subject}: no individual; the principal is empty"));
    }
    let state = match raw.opt_in {
        Some(true) => State::Given,
        Some(false) => State::Refused,
        None => {
            report.warn(format!(
                "{subject}: optIn is null (signature state {:?}); state set to Requested",
                raw.state
            ));
            State::Requested
        }
    };
    let latest = revisions
        .iter()
        .filter(|r| {
            r.schema_name == "ConsentRecord" && r.object_id == raw.id && r.successor.is_none()
        })
        .filter_map(|r| to_rfc3339(&r.timestamp))
        .next_back();
    let events = match (&latest, state) {
        (Some(at), State::Given | State::Refused) => {
            vec![Event { state, at: at.clone(), actor: principal.clone(), reason: None }]
        }
        _ => Vec::new(),
    };
    let mut ext = Map::new();
    ext.insert("state".into(), json!(raw.state));
    ext.insert("dataAgreementRevisionHash".into(), json!(raw.revision_hash));
    if let Some(r) = &raw.revision_id {
        ext.insert("dataAgreementRevision".into(), json!(r));
    }
    if let Some(s) = &raw.signature_id {
        ext.insert("signature".into(), json!(s));
    }
    if let Some(i) = &raw.individual {
        ext.insert("individual".into(), Value::Object(i.clone()));
    }
    for k in ext.keys() {
        report.drop_path(format!("{subject}: {k}"));
    }
    let mut r = ConsentRecord {
        schema_version: SCHEMA_VERSION.to_owned(),
        id: raw.id.clone(),
        principal,
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
        validity: Validity {
            start: if state == State::Given { latest.clone() } else { None },
            ..Validity::default()
        },
        usage: UsageLimits::default(),
        delegation: None,
        state,
        events,
        extensions: BTreeMap::new(),
    };
    match &raw.agreement {
        Some(da) => {
            r.controllers.extend(da.controller.clone());
            r.purposes.push(Purpose {
                codes: vec![Code::new(Scheme::Local, da.id.clone())],
                text: Some(da.purpose.clone()),
                data_categories: Vec::new(),
                primary: None,
                termination: None,
                third_parties: Vec::new(),
            });
            r.legal_basis = Some(legal_basis(&da.lawful_basis));
            r.data_categories = da
                .attributes
                .iter()
                .map(|a| DataCategory {
                    code: Code::new(Scheme::Local, a.name.clone()),
                    sensitive: ["high", "sensitive", "special", "true"]
                        .iter()
                        .any(|s| a.sensitivity.eq_ignore_ascii_case(s)),
                })
                .collect();
            if let Some(p) = &da.policy {
                r.notice = Some(Notice { url: p.url.clone(), sha256: None });
                r.jurisdiction.clone_from(&p.jurisdiction);
                r.storage_locations.extend(p.storage_location.clone());
                r.retention_period = p.data_retention_period_days.map(|d| format!("P{d}D"));
            }
            let agreement = serde_json::to_value(da).unwrap_or(Value::Null);
            ext.insert("dataAgreement".into(), agreement);
            for k in [
                "version",
                "dataUse",
                "dpia",
                "active",
                "forgettable",
                "lifecycle",
                "policy.name",
                "policy.industrySector",
                "policy.geographicRestriction",
            ] {
                report.drop_path(format!("{subject}: dataAgreement.{k}"));
            }
            if da.controller.is_none() {
                report.warn(format!("{subject}: the data agreement names no controller"));
            }
        }
        None => report.warn(format!("{subject}: no data agreement; no purpose or controller")),
    }
    r.extensions.insert(FORMAT.to_owned(), Value::Object(ext));
    r
}

// ---- integrity ----------------------------------------------------------------------------

fn check_integrity(out: &mut GovStackImport, report: &mut LossReport) {
    let mut findings = verify_chain(&out.revisions);
    for r in &out.records {
        let Some(ext) = r.extensions.get(FORMAT) else { continue };
        let hash = ext["dataAgreementRevisionHash"].as_str().unwrap_or_default();
        let subject = format!("consent record {}", r.id);
        match ext.get("dataAgreementRevision").and_then(Value::as_str) {
            Some(rev_id) => match out.revisions.iter().find(|x| x.id == rev_id) {
                Some(rev) if !rev.serialized_hash.eq_ignore_ascii_case(hash) => {
                    findings.push(IntegrityFinding {
                        kind: FindingKind::RecordRevisionHashMismatch,
                        subject,
                        detail: format!(
                            "dataAgreementRevisionHash {hash} but revision {rev_id} has {}",
                            rev.serialized_hash
                        ),
                    });
                }
                Some(_) => {}
                None => report.warn(format!(
                    "{subject}: revision {rev_id} is not in the input; its hash is not checked"
                )),
            },
            None => {
                if !out.revisions.iter().any(|x| x.serialized_hash.eq_ignore_ascii_case(hash)) {
                    report.warn(format!("{subject}: no revision with hash {hash} in the input"));
                }
            }
        }
    }
    for s in &out.signatures {
        let subject = format!("signature {}", s.id);
        let computed = revision_hash(&s.verification_payload);
        if !computed.eq_ignore_ascii_case(&s.verification_payload_hash) {
            findings.push(IntegrityFinding {
                kind: FindingKind::SignaturePayloadMismatch,
                subject: subject.clone(),
                detail: format!(
                    "verificationPayloadHash {} but SHA-1 of verificationPayload is {computed}",
                    s.verification_payload_hash
                ),
            });
        }
        let signs_revision =
            s.object_type.as_deref().is_some_and(|t| t.eq_ignore_ascii_case("revision"));
        if let (true, Some(reference)) = (signs_revision, &s.object_reference) {
            match out.revisions.iter().find(|r| &r.id == reference) {
                Some(rev) if rev.serialized_snapshot != s.verification_payload => {
                    findings.push(IntegrityFinding {
                        kind: FindingKind::SignaturePayloadMismatch,
                        subject: subject.clone(),
                        detail: format!(
                            "verificationPayload is not the snapshot of revision {reference}"
                        ),
                    });
                }
                Some(_) => {}
                None => report.warn(format!("{subject}: revision {reference} is not in the input")),
            }
        }
        report.warn(format!(
            "{subject}: {} signature by {} not verified (no key in the input)",
            s.verification_method, s.verification_signed_by
        ));
    }
    out.findings = findings;
}

/// Checks revision hashes, snapshots and the predecessor/successor chain; returns every
/// mismatch.
///
/// A predecessor or successor that is not among `revisions` is not a finding (it cannot be
/// checked); a link that resolves to a revision whose hash differs is.
///
/// # Examples
///
/// ```
/// use dpikit_consent::formats::govstack::{revision_hash, verify_chain, FindingKind, Revision};
///
/// let rev = |id: &str, snap: &str, pred: Option<String>, succ: Option<&str>| Revision {
///     id: id.into(), schema_name: "Policy".into(), object_id: "1".into(),
///     signed_without_object_id: None, serialized_snapshot: snap.into(),
///     serialized_hash: revision_hash(snap), timestamp: "2026-01-01T00:00:00Z".into(),
///     authorized_by_individual: None, authorized_by_other: None,
///     successor: succ.map(Into::into), predecessor_hash: pred, predecessor_signature: None };
/// let first = rev("1", r#"{"v":1}"#, None, Some("2"));
/// let second = rev("2", r#"{"v":2}"#, Some(first.serialized_hash.clone()), None);
/// assert!(verify_chain(&[first.clone(), second.clone()]).is_empty());
///
/// // A forged link is found from both ends.
/// let forged = rev("2", r#"{"v":2}"#, Some(revision_hash("other")), None);
/// let kinds: Vec<_> = verify_chain(&[first, forged]).iter().map(|f| f.kind).collect();
/// assert_eq!(kinds, [FindingKind::SuccessorMismatch, FindingKind::PredecessorMismatch]);
/// ```
#[must_use]
pub fn verify_chain(revisions: &[Revision]) -> Vec<IntegrityFinding> {
    let mut findings = Vec::new();
    let mut push = |kind, r: &Revision, detail: String| {
        findings.push(IntegrityFinding { kind, subject: format!("revision {}", r.id), detail });
    };
    for r in revisions {
        let computed = revision_hash(&r.serialized_snapshot);
        if !computed.eq_ignore_ascii_case(&r.serialized_hash) {
            push(
                FindingKind::HashMismatch,
                r,
                format!(
                    "serializedHash {} but SHA-1 of serializedSnapshot is {computed}",
                    r.serialized_hash
                ),
            );
        }
        match parse_json(r.serialized_snapshot.as_bytes(), &CONSENT_LIMITS) {
            Ok(snap) => {
                let name = snap.get("schemaName").and_then(Value::as_str);
                let object = snap.get("objectId").map(|v| match v {
                    Value::String(s) => s.clone(),
                    other => other.to_string(),
                });
                if name.is_some_and(|n| n != r.schema_name) {
                    push(
                        FindingKind::SnapshotMismatch,
                        r,
                        format!("snapshot schemaName {name:?} is not {:?}", r.schema_name),
                    );
                }
                let blank_ok = r.signed_without_object_id == Some(true);
                if let Some(o) = object
                    .filter(|o| o != &r.object_id && !(blank_ok && (o == "null" || o.is_empty())))
                {
                    push(
                        FindingKind::SnapshotMismatch,
                        r,
                        format!("snapshot objectId {o} is not {}", r.object_id),
                    );
                }
            }
            Err(e) => push(
                FindingKind::SnapshotMismatch,
                r,
                format!("serializedSnapshot is not JSON: {e}"),
            ),
        }
        let same_object = |o: &&Revision| {
            o.schema_name == r.schema_name && o.object_id == r.object_id && o.id != r.id
        };
        if let Some(pred_hash) = &r.predecessor_hash {
            let by_link = revisions
                .iter()
                .filter(same_object)
                .find(|o| o.successor.as_deref() == Some(r.id.as_str()));
            if let Some(p) = by_link {
                if !p.serialized_hash.eq_ignore_ascii_case(pred_hash) {
                    push(
                        FindingKind::PredecessorMismatch,
                        r,
                        format!(
                            "predecessorHash {pred_hash} but revision {} has {}",
                            p.id, p.serialized_hash
                        ),
                    );
                }
            }
        }
        if let Some(next) = &r.successor {
            match revisions.iter().find(|o| &o.id == next) {
                Some(n) if n.schema_name != r.schema_name || n.object_id != r.object_id => {
                    push(
                        FindingKind::SuccessorMismatch,
                        r,
                        format!("successor {next} revisions another object"),
                    );
                }
                Some(n)
                    if !n
                        .predecessor_hash
                        .as_deref()
                        .is_some_and(|h| h.eq_ignore_ascii_case(&r.serialized_hash)) =>
                {
                    push(
                        FindingKind::SuccessorMismatch,
                        r,
                        format!(
                            "successor {next} does not name this revision's hash as its predecessor"
                        ),
                    );
                }
                _ => {}
            }
        }
    }
    findings
}

/// Verifies an ES256 or EdDSA compact JWS over a revision's snapshot.
///
/// The JWS in `signature.signature` must sign the revision's `serializedSnapshot` bytes,
/// attached or detached. The revision's own hash, the signature's `verificationPayloadHash`
/// and its `objectReference` must all agree with the revision first.
///
/// # Errors
///
/// [`ConsentError::Integrity`] when the revision or the signature does not match the
/// revision; [`ConsentError::Core`] for JWS and key errors (e.g.
/// [`dpikit_core::ErrorCode::InvalidSignature`], [`dpikit_core::ErrorCode::AlgKeyMismatch`],
/// [`dpikit_core::ErrorCode::UnsupportedAlgorithm`] for a PGP signature).
///
/// # Examples
///
/// ```
/// use dpikit_consent::formats::govstack::{revision_hash, verify_revision_signature, Revision, Signature};
/// use dpikit_core::jws::{sign, SignOptions};
/// use dpikit_core::keys::{KeyPair, KeyType};
///
/// let snap = r#"{"schemaName":"ConsentRecord","objectId":"7"}"#;
/// let revision = Revision { id: "5".into(), schema_name: "ConsentRecord".into(), object_id: "7".into(),
///     signed_without_object_id: None, serialized_snapshot: snap.into(),
///     serialized_hash: revision_hash(snap), timestamp: "2026-01-01T00:00:00Z".into(),
///     authorized_by_individual: None, authorized_by_other: None, successor: None,
///     predecessor_hash: None, predecessor_signature: None };
/// let key = KeyPair::generate(KeyType::P256)?;
/// let signature = Signature { id: "1".into(), payload: snap.into(),
///     signature: sign(snap.as_bytes(), &key, &SignOptions::default())?,
///     verification_method: "jws".into(), verification_payload: snap.into(),
///     verification_payload_hash: revision_hash(snap), verification_signed_by: "ana".into(),
///     verification_signed_as: None, verification_jws_header: None,
///     timestamp: "2026-01-01T00:00:00Z".into(), object_type: Some("Revision".into()),
///     object_reference: Some("5".into()) };
/// verify_revision_signature(&revision, &signature, &key.public_key().to_jwk())?;
/// # Ok::<(), dpikit_consent::ConsentError>(())
/// ```
pub fn verify_revision_signature(
    revision: &Revision,
    signature: &Signature,
    jwk: &Jwk,
) -> Result<()> {
    let fail = |m: String| Err(ConsentError::Integrity(format!("revision {}: {m}", revision.id)));
    let computed = revision_hash(&revision.serialized_snapshot);
    if !computed.eq_ignore_ascii_case(&revision.serialized_hash) {
        return fail(format!("serializedHash is not SHA-1 of serializedSnapshot ({computed})"));
    }
    if !signature.verification_payload_hash.is_empty()
        && !signature.verification_payload_hash.eq_ignore_ascii_case(&revision.serialized_hash)
    {
        return fail(format!(
            "signature {} covers hash {}",
            signature.id, signature.verification_payload_hash
        ));
    }
    if let Some(reference) = &signature.object_reference {
        if reference != &revision.id {
            return fail(format!("signature {} refers to object {reference}", signature.id));
        }
    }
    let token = signature.signature.trim();
    if token.starts_with("-----BEGIN PGP") {
        return Err(
            CoreError::UnsupportedAlgorithm("PGP signatures are not supported".into()).into()
        );
    }
    let key = PublicKey::from_jwk(jwk)?;
    let snapshot = revision.serialized_snapshot.as_bytes();
    let detached = token.split('.').nth(1).is_some_and(str::is_empty);
    let options = VerifyOptions {
        detached_payload: detached.then_some(snapshot),
        ..VerifyOptions::default()
    };
    let verified = jws::verify(token, &key, &options)?;
    if verified.payload != snapshot {
        return fail(format!("signature {} signs other bytes than the snapshot", signature.id));
    }
    Ok(())
}
