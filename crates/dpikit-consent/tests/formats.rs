//! The format mappings against every public consent vector: imports succeed or fail as
//! `PROVENANCE.md` predicts, exports validate against the formats' own schemas, the Kantara
//! and ReBIT round trips are lossless, and GovStack revision chains verify (and a tampered
//! snapshot is found).
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::path::Path;

use serde_json::{Value, json};

use dpikit_consent::formats::dpv::{self, DpvDocument};
use dpikit_consent::formats::govstack::{self, FindingKind, Revision, Signature};
use dpikit_consent::formats::{LossReport, kantara, rebit};
use dpikit_consent::lifecycle::State;
use dpikit_consent::model::{
    Code, ConsentRecord, DataCategory, DateRange, FetchType, Frequency, Party, Period, PeriodUnit,
    Purpose, Scheme,
};
use dpikit_consent::{ConsentError, Result};
use dpikit_core::ErrorCode;
use dpikit_core::jws::{SignOptions, sign};
use dpikit_core::keys::{KeyPair, KeyType};
use dpikit_core::time::{format_rfc3339, parse_rfc3339};
use dpikit_testkit::{read_vector, vectors_dir};

const DOMAIN: &str = "consent";

/// Which importer a vector goes to, and what it must give.
#[derive(Debug, Clone, Copy)]
enum Importer {
    Kantara,
    Rebit,
    Dpv,
    GovStack,
}

#[derive(Debug, Clone, Copy)]
enum Expect {
    Ok,
    Err(ErrorCode),
}

/// The expected outcome of every vector file, decided from `PROVENANCE.md`. A file that is
/// not listed here fails the walk, so a new vector forces a decision.
// One arm per file, each with the reason for its outcome, even where outcomes coincide.
#[allow(clippy::match_same_arms)]
fn expectation(rel: &str) -> Option<(Importer, Expect)> {
    use Expect::{Err, Ok};
    use Importer::{Dpv, GovStack, Kantara, Rebit};
    let failed = Err(ErrorCode::ConsentImportFailed);
    Some(match rel {
        // The spec's example validates against its schema: a real receipt.
        "kantara/kantara-cr-v1.1.0-example.json" => (Kantara, Ok),
        // The schema itself is not a receipt.
        "kantara/kantara-cr-v1.1.0-schema.json" => (Kantara, failed),
        // Schema-valid filler ("schema validation alone is not enough"): its `version` is
        // lorem ipsum, not KI-CR-v1.1.0, so the importer refuses it.
        "kantara/kantara-cr-v1.1.0-schema-generated-lorem-example.json" => (Kantara, failed),
        // Pre-1.0 MVCR vocabulary: a legacy, negative input.
        "kantara/kantara-mvcr-0.x-exampleinput.json" => (Kantara, failed),

        // Ex. 46 repeats "dpv:hasProcess": strict intake rejects the duplicate key.
        "dpv-27560/dpv27560-ex46-receipt-with-required-record-fields.jsonld" => {
            (Dpv, Err(ErrorCode::DuplicateKey))
        }
        // Every other guide example is a fragment: it imports, with warnings.
        f if f.starts_with("dpv-27560/") => (Dpv, Ok),

        // Signed consents and decoded payloads import with their known defects accepted.
        "rebit-aa/finvu-aa-v1-consent-artefact-response.json"
        | "rebit-aa/finvu-aa-v1-signedConsent.payload.decoded.json"
        | "rebit-aa/finvu-aa-v1-signedConsent.payload.readme-formatted.json"
        | "rebit-aa/rebit-aa-api-2.1.0-signedConsent-example.json"
        | "rebit-aa/rebit-aa-api-2.1.0-signedConsent-example.payload.json" => (Rebit, Ok),
        // The Swagger definitions and a bare JWS header are not consents.
        "rebit-aa/rebit-aa-api-2.1.0-definitions.swagger2.json"
        | "rebit-aa/rebit-aa-api-2.1.0-signedConsent-example.header.json" => (Rebit, failed),

        // The fixture chain, and the mock server's static responses (snake_case, read with
        // warnings): a data agreement, its attributes, a policy.
        "govstack-bb-consent/govstack-bb-consent-mock-fixtures.json"
        | "govstack-bb-consent/govstack-bb-consent-mock-static-service-agreement-123456-agreementdata.json"
        | "govstack-bb-consent/govstack-bb-consent-mock-static-service-agreement-123456-mcc.json"
        | "govstack-bb-consent/govstack-bb-consent-mock-static-service-policy-123456.json" => {
            (GovStack, Ok)
        }
        // The OpenAPI components are the schema, not an object.
        "govstack-bb-consent/govstack-bb-consent-openapi-1.1.0-rc1-components.json" => {
            (GovStack, failed)
        }

        // iGrant.io / MyData Data Agreements are a fifth format (JSON-LD with a remote
        // @context that dpikit never fetches, placeholder proofs, and a `dpia` object where
        // GovStack has text). The GovStack importer, their nearest relative, refuses them
        // clearly instead of half-mapping them; a dedicated mapping would be new work.
        f if f.starts_with("data-agreements/") => (GovStack, failed),
        _ => return None,
    })
}

/// Runs an importer and returns its report, or the error.
fn run(importer: Importer, bytes: &[u8]) -> Result<LossReport> {
    match importer {
        Importer::Kantara => kantara::import(bytes).map(|c| c.report),
        Importer::Rebit => rebit::import(bytes).map(|c| c.report),
        Importer::Dpv => dpv::import(bytes).map(|c| c.report),
        Importer::GovStack => govstack::import(bytes).map(|c| c.report),
    }
}

/// Every vector file under the consent folder, as `folder/file` (PROVENANCE.md excluded).
fn vector_files() -> Option<Vec<String>> {
    let dir = vectors_dir(DOMAIN)?;
    let mut out = Vec::new();
    let mut folders: Vec<_> = std::fs::read_dir(&dir).unwrap().map(|e| e.unwrap().path()).collect();
    folders.sort();
    for folder in folders.iter().filter(|p| p.is_dir()) {
        let name = folder.file_name().unwrap().to_str().unwrap().to_owned();
        let mut files: Vec<_> =
            std::fs::read_dir(folder).unwrap().map(|e| e.unwrap().path()).collect();
        files.sort();
        for file in files.iter().filter(|p| p.is_file()) {
            out.push(format!("{name}/{}", file.file_name().unwrap().to_str().unwrap()));
        }
    }
    assert!(dir.join("PROVENANCE.md").is_file());
    Some(out)
}

fn vector(rel: &str) -> Option<Vec<u8>> {
    read_vector(DOMAIN, rel)
}

fn json_of(bytes: &[u8]) -> Value {
    serde_json::from_slice(bytes).unwrap()
}

#[test]
fn every_vector_imports_as_provenance_predicts() {
    let Some(files) = vector_files() else { return };
    assert!(files.len() >= 30, "expected the full consent vector set, found {}", files.len());
    for rel in &files {
        let (importer, expect) =
            expectation(rel).unwrap_or_else(|| panic!("{rel}: no expectation; decide one"));
        let bytes = vector(rel).unwrap();
        match (expect, run(importer, &bytes)) {
            (Expect::Ok, Ok(report)) => {
                if matches!(importer, Importer::Rebit) && rel.contains("signedConsent-example.json")
                    || rel.contains("artefact")
                {
                    assert!(
                        report.warnings.iter().any(|w| w.contains("signature not verified")),
                        "{rel}: must say the signature was not verified"
                    );
                }
            }
            (Expect::Err(code), Err(e)) => assert_eq!(e.code(), code, "{rel}: {e}"),
            (Expect::Ok, Err(e)) => panic!("{rel}: expected an import, got {:?}: {e}", e.code()),
            (Expect::Err(code), Ok(_)) => panic!("{rel}: expected {code}, got an import"),
        }
    }
}

#[test]
fn truncated_and_hostile_inputs_fail_cleanly() {
    let Some(files) = vector_files() else { return };
    let importers = [Importer::Kantara, Importer::Rebit, Importer::Dpv, Importer::GovStack];
    for rel in &files {
        let bytes = vector(rel).unwrap();
        let step = (bytes.len() / 40).max(1);
        for cut in (0..bytes.len()).step_by(step) {
            for importer in importers {
                // Must return, never panic.
                let _ = run(importer, &bytes[..cut]);
            }
        }
    }
    let deep = format!("{}{}", "[".repeat(100), "]".repeat(100));
    for importer in importers {
        assert_eq!(run(importer, deep.as_bytes()).unwrap_err().code(), ErrorCode::NestingTooDeep);
        let big = vec![b' '; (1 << 20) + 1];
        assert_eq!(run(importer, &big).unwrap_err().code(), ErrorCode::InputTooLarge);
        for doc in ["null", "42", "\"x\"", "{}", "[]", "[1]"] {
            let err = run(importer, doc.as_bytes()).unwrap_err();
            assert_eq!(err.code(), ErrorCode::ConsentImportFailed, "{importer:?} {doc}");
        }
    }
}

// ---- Kantara ---------------------------------------------------------------------------------

fn kantara_validator() -> Option<jsonschema::Validator> {
    let schema = json_of(&vector("kantara/kantara-cr-v1.1.0-schema.json")?);
    Some(jsonschema::draft4::options().should_validate_formats(true).build(&schema).unwrap())
}

fn assert_valid(validator: &jsonschema::Validator, doc: &Value, what: &str) {
    let errors: Vec<String> = validator.iter_errors(doc).map(|e| e.to_string()).collect();
    assert!(errors.is_empty(), "{what} does not validate: {errors:#?}\n{doc:#}");
}

#[test]
fn kantara_round_trip_is_lossless_and_valid() {
    let (Some(bytes), Some(validator)) =
        (vector("kantara/kantara-cr-v1.1.0-example.json"), kantara_validator())
    else {
        return;
    };
    let imported = kantara::import(&bytes).unwrap();
    let record = &imported.value;
    record.validate().unwrap();
    assert_eq!(record.id, "c1befd3e-b7e5-4ea6-8688-e9a565aade21");
    assert_eq!(record.principal, "Bowden Jeffries");
    assert_eq!(record.state, State::Given);
    assert_eq!(record.validity.start.as_deref(), Some("2017-11-13T17:00:00Z"));
    assert_eq!(record.purposes.len(), 4);
    let first = &record.purposes[0];
    assert!(first.matches(&Code::new(Scheme::Kantara, "2 - Contracted Service")));
    assert_eq!(first.third_parties[0].id, "The Ankh-morpork Deadbeat Debt Collectors Society");
    let financial = first.data_categories.iter().find(|c| c.code.code == "7 - Financial").unwrap();
    assert!(financial.sensitive);
    assert!(imported.report.dropped.iter().any(|d| d == "/publicKey"));
    assert!(imported.report.dropped.iter().any(|d| d == "/piiControllers/0/email"));

    let exported = kantara::export(record).unwrap();
    assert_eq!(exported.value, json_of(&bytes), "Kantara -> core -> Kantara must be lossless");
    assert!(exported.report.is_clean(), "{:?}", exported.report);
    assert_valid(&validator, &exported.value, "the round-tripped receipt");
    let mut broken = exported.value.clone();
    broken.as_object_mut().unwrap().remove("spiCat");
    assert!(!validator.is_valid(&broken), "the validator must catch a missing member");

    // Through the record's own JSON too (what a store would keep).
    let stored = ConsentRecord::from_json(record.to_json().as_bytes()).unwrap();
    assert_eq!(kantara::export(&stored).unwrap().value, json_of(&bytes));
}

#[test]
fn kantara_export_follows_model_changes() {
    let Some(bytes) = vector("kantara/kantara-cr-v1.1.0-example.json") else { return };
    let mut record = kantara::import(&bytes).unwrap().value;
    record.jurisdiction = Some("IN".into());
    record.purposes[3].termination = Some("after the case closes".into());
    let out = kantara::export(&record).unwrap().value;
    assert_eq!(out["jurisdiction"], "IN");
    assert_eq!(out["services"][0]["purposes"][3]["termination"], "after the case closes");
    // Unchanged members still come back from the extensions.
    assert_eq!(out["piiControllers"][0]["email"], "william@times.ankh-morpork.xyz");
    assert_eq!(out["services"][0]["purposes"][3]["consentType"], "N/A");
}

fn city_record() -> ConsentRecord {
    let mut r = ConsentRecord::request(
        "urn:uuid:c-1",
        "did:example:ana",
        Party::new("did:web:housing.city.example", "Housing Department"),
        Purpose::new(Code::new(Scheme::Dpv, "dpv:ServiceProvision"), "Housing subsidy"),
    );
    r.data_categories
        .push(DataCategory { code: Code::new(Scheme::Dpv, "pd:Income"), sensitive: true });
    r.give(parse_rfc3339("2026-03-01T09:00:00Z").unwrap(), "did:example:ana").unwrap();
    r
}

#[test]
fn kantara_exports_from_other_formats_validate() {
    let Some(validator) = kantara_validator() else { return };
    let mut records = vec![city_record()];
    for rel in [
        "rebit-aa/finvu-aa-v1-consent-artefact-response.json",
        "rebit-aa/rebit-aa-api-2.1.0-signedConsent-example.json",
    ] {
        records.push(rebit::import(&vector(rel).unwrap()).unwrap().value);
    }
    let fixtures = vector("govstack-bb-consent/govstack-bb-consent-mock-fixtures.json").unwrap();
    let mut gov = govstack::import(&fixtures).unwrap().value.records.remove(0);
    gov.give(parse_rfc3339("2026-03-01T09:00:00Z").unwrap(), "12345678").unwrap();
    records.push(gov);
    for record in &records {
        let out = kantara::export(record).unwrap();
        assert_valid(&validator, &out.value, &format!("Kantara export of {}", record.id));
        assert_eq!(out.value["consentReceiptID"], record.id.as_str());
    }
    // A record that was never given has no consent time.
    let requested = ConsentRecord::request(
        "c-2",
        "ana",
        Party::new("city", "City"),
        Purpose::new(Code::new(Scheme::Local, "x"), "x"),
    );
    let err = kantara::export(&requested).unwrap_err();
    assert_eq!(err.code(), ErrorCode::ConsentExportInvalid);
}

// ---- ReBIT -----------------------------------------------------------------------------------

/// A validator for `#/definitions/<pointer>` of the Swagger document, with the document as
/// the root so that its `#/definitions/...` references resolve.
fn rebit_validator(pointer: &str) -> Option<jsonschema::Validator> {
    let mut root = json_of(&vector("rebit-aa/rebit-aa-api-2.1.0-definitions.swagger2.json")?);
    root["$ref"] = json!(format!("#/definitions/{pointer}"));
    Some(jsonschema::draft4::options().should_validate_formats(true).build(&root).unwrap())
}

fn rebit_detail_validator(detail: &Value) -> jsonschema::Validator {
    let signed = detail.get("DataProvider").is_some();
    let pointer = if signed {
        "SignedConsentDetail"
    } else {
        "ConsentsRequestWrapper/properties/ConsentDetail"
    };
    rebit_validator(pointer).unwrap()
}

/// The detail a ReBIT vector carries, with its known defects fixed the way the importer
/// documents (epoch ms and `+0000` → RFC 3339 UTC, `TERM-DEPOSIT` → `TERM_DEPOSIT`).
fn expected_detail(rel: &str) -> Value {
    let doc = json_of(&vector(rel).unwrap());
    let mut detail = match doc.get("signedConsent").and_then(Value::as_str) {
        Some(token) => {
            let payload = token.split('.').nth(1).unwrap();
            json_of(&dpikit_core::encoding::b64url_decode(payload).unwrap())
        }
        None => doc,
    };
    for path in ["/consentStart", "/consentExpiry", "/FIDataRange/from", "/FIDataRange/to"] {
        let slot = detail.pointer_mut(path).unwrap();
        let fixed = match &*slot {
            Value::Number(n) => {
                let t = chrono::DateTime::from_timestamp_millis(n.as_i64().unwrap()).unwrap();
                format_rfc3339(&t)
            }
            Value::String(s) => s.replace("+0000", "Z"),
            other => panic!("{other}"),
        };
        *slot = json!(fixed);
    }
    for t in detail["fiTypes"].as_array_mut().unwrap() {
        *t = json!(t.as_str().unwrap().replace('-', "_"));
    }
    detail
}

#[test]
fn rebit_round_trips_are_lossless_and_valid() {
    if vectors_dir(DOMAIN).is_none() {
        return;
    }
    for rel in [
        "rebit-aa/finvu-aa-v1-consent-artefact-response.json",
        "rebit-aa/finvu-aa-v1-signedConsent.payload.decoded.json",
        "rebit-aa/finvu-aa-v1-signedConsent.payload.readme-formatted.json",
        "rebit-aa/rebit-aa-api-2.1.0-signedConsent-example.json",
        "rebit-aa/rebit-aa-api-2.1.0-signedConsent-example.payload.json",
    ] {
        let imported = rebit::import(&vector(rel).unwrap()).unwrap();
        imported.value.validate().unwrap();
        let out = rebit::export(&imported.value).unwrap();
        assert_eq!(out.value, expected_detail(rel), "{rel}: ReBIT -> core -> ReBIT");
        let text = out.value.to_string();
        assert!(!text.contains("+0000") && !text.contains("TERM-DEPOSIT"), "{rel}: {text}");
        assert_valid(&rebit_detail_validator(&out.value), &out.value, rel);
    }
}

#[test]
fn rebit_spec_example_fails_its_own_schema_but_imports() {
    let Some(bytes) = vector("rebit-aa/rebit-aa-api-2.1.0-signedConsent-example.payload.json")
    else {
        return;
    };
    // The validator is strict: the published payload has 5 errors (+0000 and TERM-DEPOSIT).
    let raw = json_of(&bytes);
    let errors = rebit_validator("SignedConsentDetail").unwrap().iter_errors(&raw).count();
    assert_eq!(errors, 5);
    let imported = rebit::import(&bytes).unwrap();
    let r = &imported.value;
    assert_eq!(r.state, State::Given);
    assert_eq!(r.principal, "demo@finvu");
    assert!(r.purposes[0].matches(&Code::new(Scheme::Rebit, "101")));
    assert_eq!(r.usage.fetch_type, Some(FetchType::Onetime));
    assert_eq!(
        r.usage.frequency,
        Some(Frequency { count: 4, per: Period { unit: PeriodUnit::Hour, value: 1 } })
    );
    assert_eq!(r.usage.data_life, Some(Period { unit: PeriodUnit::Month, value: 4 }));
    assert_eq!(r.validity.start.as_deref(), Some("2019-05-28T11:38:20.380Z"));
    assert!(r.data_categories.iter().any(|c| c.code.code == "TERM_DEPOSIT"));
    let warnings = imported.report.warnings.join("\n");
    assert!(warnings.contains("TERM-DEPOSIT") && warnings.contains("+0000"), "{warnings}");
}

#[test]
fn rebit_artefact_carries_status_and_envelope() {
    let Some(bytes) = vector("rebit-aa/finvu-aa-v1-consent-artefact-response.json") else {
        return;
    };
    let imported = rebit::import(&bytes).unwrap();
    let r = &imported.value;
    assert_eq!(r.id, "XXXX-XXXX-XXXX-XXXX");
    assert_eq!(r.events[0].at, "2018-12-06T11:39:57.153Z");
    let ext = &r.extensions["rebit"];
    assert!(ext["artefact"].get("ConsentUse").is_some(), "consentUse stored as ConsentUse");
    assert!(ext["artefact"].get("consentUse").is_none());
    assert!(ext["signedConsent"].as_str().unwrap().starts_with("eyJ"));
    let warnings = imported.report.warnings.join("\n");
    assert!(warnings.contains("epoch milliseconds") && warnings.contains("consentUse"));

    let mut revoked = json_of(&bytes);
    revoked["status"] = json!("REVOKED");
    let r = rebit::import(revoked.to_string().as_bytes()).unwrap().value;
    assert_eq!(r.state, State::Revoked);
}

fn clean_detail() -> Value {
    json!({
        "consentStart": "2026-01-01T10:00:00+05:30",
        "consentExpiry": "2027-01-01T10:00:00+05:30",
        "consentMode": "STORE",
        "fetchType": "PERIODIC",
        "consentTypes": ["PROFILE", "TRANSACTIONS"],
        "fiTypes": ["DEPOSIT", "TERM_DEPOSIT", "MUTUAL_FUNDS"],
        "DataConsumer": {"id": "fiu-city-housing", "type": "FIU"},
        "Customer": {"id": "ana@aa", "Identifiers": [{"type": "MOBILE", "value": "919800000000"}]},
        "Purpose": {"code": "103", "refUri": "https://api.rebit.org.in/aa/purpose/103.xml",
                    "text": "Income verification", "Category": {"type": "string"}},
        "FIDataRange": {"from": "2025-04-01T00:00:00+05:30", "to": "2026-03-31T23:59:59+05:30"},
        "DataLife": {"unit": "INF", "value": 0},
        "Frequency": {"unit": "INF", "value": 10},
        "DataFilter": [{"type": "TRANSACTIONAMOUNT", "operator": ">=", "value": "5000"}]
    })
}

#[test]
fn rebit_clean_request_round_trips_exactly() {
    let Some(validator) = rebit_validator("ConsentsRequestWrapper/properties/ConsentDetail") else {
        return;
    };
    let detail = clean_detail();
    assert_valid(&validator, &detail, "the clean ConsentDetail");
    let imported = rebit::import(detail.to_string().as_bytes()).unwrap();
    assert!(imported.report.warnings.is_empty(), "{:?}", imported.report);
    let r = &imported.value;
    assert_eq!(r.state, State::Requested);
    assert!(r.id.starts_with("urn:rebit:sha256:"));
    assert_eq!(r.usage.modes, ["STORE"]);
    assert_eq!(
        r.usage.data_range,
        Some(DateRange {
            from: "2025-04-01T00:00:00+05:30".into(),
            to: "2026-03-31T23:59:59+05:30".into()
        })
    );
    let out = rebit::export(r).unwrap();
    assert_eq!(out.value, detail);
    assert_valid(&validator, &out.value, "the exported ConsentDetail");
}

#[test]
fn rebit_export_refuses_what_the_schema_cannot_hold() {
    let detail = clean_detail();
    let mut r = rebit::import(detail.to_string().as_bytes()).unwrap().value;
    r.usage.frequency =
        Some(Frequency { count: 3, per: Period { unit: PeriodUnit::Day, value: 2 } });
    assert_eq!(rebit::export(&r).unwrap_err().code(), ErrorCode::ConsentExportInvalid);
    let kantara_like = city_record();
    assert_eq!(rebit::export(&kantara_like).unwrap_err().code(), ErrorCode::ConsentExportInvalid);
    // A value outside the enums is refused on import, with the importer's code.
    let mut bad = detail.clone();
    bad["consentMode"] = json!("SELL");
    let err = rebit::import(bad.to_string().as_bytes()).unwrap_err();
    assert_eq!(err.code(), ErrorCode::ConsentImportFailed);
    bad = detail;
    bad["consentStart"] = json!("yesterday");
    let err = rebit::import(bad.to_string().as_bytes()).unwrap_err();
    assert_eq!(err.code(), ErrorCode::ConsentImportFailed);
}

// ---- DPV -------------------------------------------------------------------------------------

fn dpv_record(rel: &str) -> (ConsentRecord, LossReport) {
    let c = dpv::import(&vector(rel).unwrap()).unwrap();
    match c.value {
        DpvDocument::Record(r) => (r, c.report),
        DpvDocument::Receipt(_) => panic!("{rel}: expected a record"),
    }
}

#[test]
fn dpv_fragments_import_what_they_carry() {
    if vectors_dir(DOMAIN).is_none() {
        return;
    }
    let (r, report) = dpv_record("dpv-27560/dpv27560-ex01a-record-schema-version.jsonld");
    assert_eq!(r.schema_version, "https://w3id.org/dpv/schema/dpv-27560#record");
    assert!(report.warnings.iter().any(|w| w.contains("partial record")));

    let (r, _) = dpv_record("dpv-27560/dpv27560-ex19a-consent-change-withdrawal.jsonld");
    assert_eq!(r.withdrawal_method.as_deref(), Some("https://example.com/manage-consent"));

    let (r, _) = dpv_record("dpv-27560/dpv27560-ex34b-consent-state-typed.jsonld");
    assert_eq!(r.state, State::Given);
    assert_eq!(r.consent_type.as_deref(), Some("dpv:ExplicitlyExpressedConsent"));

    let (r, _) = dpv_record("dpv-27560/dpv27560-ex36a-duration-temporal-P6M.jsonld");
    assert_eq!(r.validity.duration.as_deref(), Some("P6M"));
    let end = r.validity.end_at().unwrap().unwrap();
    assert_eq!(format_rfc3339(&end), "2024-05-05T16:18:25Z");

    let (r, _) = dpv_record("dpv-27560/dpv27560-ex36b-duration-until-time.jsonld");
    assert_eq!(r.validity.expiry.as_deref(), Some("2023-12-31T23:59:59Z"));

    let (r, report) = dpv_record("dpv-27560/dpv27560-ex36c-duration-until-event.jsonld");
    assert!(report.dropped.iter().any(|d| d.ends_with("dpv:hasDuration")));
    assert!(r.extensions.contains_key("dpv"));

    let (r, _) = dpv_record("dpv-27560/dpv27560-ex36d-duration-fixed-occurrences.jsonld");
    assert_eq!(r.usage.frequency.unwrap().count, 1);

    let (r, _) = dpv_record("dpv-27560/dpv27560-ex37a-expressed-by-entity.jsonld");
    assert_eq!(r.state, State::Withdrawn);
    assert_eq!(r.controllers[0].id, "ex:AcmeInc");

    let (r, _) = dpv_record("dpv-27560/dpv27560-ex37c-child-with-parent-consent.jsonld");
    assert_eq!(r.principal, "0760c9ba");
    let delegation = r.delegation.unwrap();
    assert_eq!(delegation.given_by, dpikit_consent::model::GivenBy::Guardian);

    let c = dpv::import(&vector("dpv-27560/dpv27560-ex47-receipt-summary-profile.jsonld").unwrap())
        .unwrap();
    let DpvDocument::Receipt(receipt) = c.value else { panic!("a receipt") };
    assert_eq!(receipt.identifier.as_deref(), Some("receipt-a1masdln1"));
    assert_eq!(receipt.records.len(), 2);
    assert_eq!(receipt.records[1].state, State::Withdrawn);
    assert!(receipt.records[0].purposes[0].matches(&Code::new(Scheme::Dpv, "dpv:Marketing")));
}

#[test]
fn dpv_rejects_the_duplicate_key_of_ex46() {
    let Some(bytes) = vector("dpv-27560/dpv27560-ex46-receipt-with-required-record-fields.jsonld")
    else {
        return;
    };
    let err = dpv::import(&bytes).unwrap_err();
    assert_eq!(err.code(), ErrorCode::DuplicateKey);
    assert!(matches!(err, ConsentError::Core(_)));
}

/// The DPV-27560 MUST fields of a record, as compact keys.
const DPV_MUST: [&str; 11] = [
    "dct:conformsTo",
    "dct:identifier",
    "dpv:hasDataSubject",
    "dpv:hasNotice",
    "dpv:hasProcess",
    "dpv:hasDataController",
    "dpv:hasRecipient",
    "dpv:hasConsentControl",
    "dpv:hasJurisdiction",
    "dpv:hasConsentStatus",
    "@context",
];

#[test]
fn dpv_full_record_exports_with_context_and_round_trips() {
    let mut r = city_record();
    r.notice = Some(dpikit_consent::model::Notice {
        url: "https://housing.city.example/notice/v3".into(),
        sha256: None,
    });
    r.languages = vec!["en".into()];
    r.jurisdiction = Some("IN".into());
    r.recipients.push(Party::new("did:web:audit.city.example", "City Audit"));
    r.storage_locations.push("loc:IN".into());
    r.retention_period = Some("P2Y".into());
    r.withdrawal_method = Some("https://housing.city.example/consents".into());
    r.consent_type = Some("dpv:ExplicitlyExpressedConsent".into());
    r.validity.duration = Some("P1Y".into());
    r.withdraw(parse_rfc3339("2026-04-01T09:00:00Z").unwrap(), "did:example:ana", Some("moved"))
        .unwrap();

    let out = dpv::export(&r).unwrap();
    let doc = &out.value;
    for key in DPV_MUST {
        assert!(doc.get(key).is_some(), "missing {key}: {doc:#}");
    }
    for prefix in ["dpv", "pd", "loc", "dct", "rdf"] {
        assert!(doc["@context"].get(prefix).is_some(), "@context lacks {prefix}");
    }

    let back = dpv::import(doc.to_string().as_bytes()).unwrap();
    assert!(
        !back.report.warnings.iter().any(|w| w.contains("partial")),
        "{:?}",
        back.report.warnings
    );
    let DpvDocument::Record(again) = back.value else { panic!("a record") };
    again.validate().unwrap();
    assert_eq!(again.id, r.id);
    assert_eq!(again.principal, r.principal);
    assert_eq!(again.state, State::Withdrawn);
    assert_eq!(again.events, r.events);
    assert_eq!(again.validity, r.validity);
    assert_eq!(again.purposes[0].codes, r.purposes[0].codes);
    assert_eq!(again.notice, r.notice);
    assert_eq!(again.languages, r.languages);
    assert_eq!(again.jurisdiction, r.jurisdiction);
    assert_eq!(again.withdrawal_method, r.withdrawal_method);
    assert_eq!(again.consent_type, r.consent_type);
    assert_eq!(again.retention_period, r.retention_period);
    assert_eq!(again.storage_locations, r.storage_locations);
    assert_eq!(again.controllers[0].name, r.controllers[0].name);
}

// ---- GovStack --------------------------------------------------------------------------------

const FIXTURES: &str = "govstack-bb-consent/govstack-bb-consent-mock-fixtures.json";

#[test]
fn govstack_fixture_chain_verifies() {
    let Some(bytes) = vector(FIXTURES) else { return };
    let imported = govstack::import(&bytes).unwrap();
    let g = &imported.value;
    assert!(g.findings.is_empty(), "{:#?}", g.findings);
    g.ensure_intact().unwrap();
    assert_eq!(g.revisions.len(), 5);
    assert!(govstack::verify_chain(&g.revisions).is_empty());
    let rev3 = g.revisions.iter().find(|r| r.id == "3").unwrap();
    assert_eq!(rev3.predecessor_hash.as_deref(), Some("795491d47f4fc1b32e0daf8b21ed1fb3b61697d2"));
    let r = &g.records[0];
    assert_eq!(r.principal, "12345678");
    assert_eq!(r.controllers[0].name.as_deref(), Some("Ministry of Health"));
    assert_eq!(r.purposes[0].text.as_deref(), Some("Registration in Health App"));
    assert_eq!(r.legal_basis.as_deref(), Some("dpv:Consent"));
    assert_eq!(r.retention_period.as_deref(), Some("P365D"));
    assert_eq!(r.notice.as_ref().unwrap().url, "https://example.com/policy/1.0");
    assert!(imported.report.warnings.iter().any(|w| w.contains("pgp signature")));
}

fn tampered(edit: impl Fn(&mut Value)) -> govstack::GovStackImport {
    let mut doc = json_of(&vector(FIXTURES).unwrap());
    for row in doc.as_array_mut().unwrap() {
        edit(row);
    }
    govstack::import(doc.to_string().as_bytes()).unwrap().value
}

#[test]
fn govstack_tampering_yields_findings() {
    if vector(FIXTURES).is_none() {
        return;
    }
    // A changed snapshot (the agreement's purpose) no longer matches its hash.
    let g = tampered(|row| {
        if row["model"] == "app.revision" && row["pk"] == 3 {
            let snap = row["fields"]["serializedSnapshot"].as_str().unwrap();
            row["fields"]["serializedSnapshot"] =
                json!(snap.replace("Registration in Health App", "Sale of Health Data"));
        }
    });
    assert!(
        g.findings.iter().any(|f| f.kind == FindingKind::HashMismatch && f.subject == "revision 3")
    );
    assert_eq!(g.ensure_intact().unwrap_err().code(), ErrorCode::ConsentIntegrity);

    // A recomputed hash breaks the chain and the consent record's copy instead.
    let g = tampered(|row| {
        if row["model"] == "app.revision" && row["pk"] == 3 {
            let snap =
                row["fields"]["serializedSnapshot"].as_str().unwrap().replace("Complete", "Draft");
            row["fields"]["serializedHash"] = json!(govstack::revision_hash(&snap));
            row["fields"]["serializedSnapshot"] = json!(snap);
        }
    });
    let kinds: Vec<FindingKind> = g.findings.iter().map(|f| f.kind).collect();
    assert!(kinds.contains(&FindingKind::RecordRevisionHashMismatch), "{kinds:?}");
    assert!(!kinds.contains(&FindingKind::HashMismatch));

    // A forged predecessor link.
    let g = tampered(|row| {
        if row["model"] == "app.revision" && row["pk"] == 5 {
            row["fields"]["predecessorHash"] = json!("0000000000000000000000000000000000000000");
        }
    });
    let kinds: Vec<FindingKind> = g.findings.iter().map(|f| f.kind).collect();
    assert!(kinds.contains(&FindingKind::PredecessorMismatch), "{kinds:?}");
    assert!(kinds.contains(&FindingKind::SuccessorMismatch), "{kinds:?}");

    // A signature whose payload is not the revision it names.
    let g = tampered(|row| {
        if row["model"] == "app.signature" && row["pk"] == 1 {
            row["fields"]["verificationPayload"] = json!("{}");
        }
    });
    assert!(g.findings.iter().any(|f| f.kind == FindingKind::SignaturePayloadMismatch));
}

fn fixture_revision_and_signature() -> Option<(Revision, Signature)> {
    let g = govstack::import(&vector(FIXTURES)?).unwrap().value;
    let revision = g.revisions.iter().find(|r| r.id == "5").unwrap().clone();
    let signature = g.signatures.iter().find(|s| s.id == "2").unwrap().clone();
    Some((revision, signature))
}

#[test]
fn govstack_revision_signatures_verify() {
    let Some((revision, pgp)) = fixture_revision_and_signature() else { return };
    for key_type in [KeyType::P256, KeyType::Ed25519] {
        let key = KeyPair::generate(key_type).unwrap();
        let jwk = key.public_key().to_jwk();
        let snapshot = revision.serialized_snapshot.as_bytes();
        let attached = sign(snapshot, &key, &SignOptions::default()).unwrap();
        let detached =
            sign(snapshot, &key, &SignOptions { detached: true, ..SignOptions::default() })
                .unwrap();
        for token in [attached.clone(), detached] {
            let sig =
                Signature { signature: token, verification_method: "jws".into(), ..pgp.clone() };
            govstack::verify_revision_signature(&revision, &sig, &jwk).unwrap();
        }

        // Tampered snapshot: the revision no longer matches its own hash.
        let mut bad = revision.clone();
        bad.serialized_snapshot = bad.serialized_snapshot.replace("signed", "unsigned");
        let sig = Signature { signature: attached.clone(), ..pgp.clone() };
        let err = govstack::verify_revision_signature(&bad, &sig, &jwk).unwrap_err();
        assert_eq!(err.code(), ErrorCode::ConsentIntegrity);

        // Another key.
        let other = KeyPair::generate(key_type).unwrap().public_key().to_jwk();
        let err = govstack::verify_revision_signature(&revision, &sig, &other).unwrap_err();
        assert_eq!(err.code(), ErrorCode::InvalidSignature);

        // A JWS over other bytes.
        let sig = Signature {
            signature: sign(b"{}", &key, &SignOptions::default()).unwrap(),
            ..pgp.clone()
        };
        let err = govstack::verify_revision_signature(&revision, &sig, &jwk).unwrap_err();
        assert_eq!(err.code(), ErrorCode::ConsentIntegrity);

        // The signature belongs to another revision.
        let sig =
            Signature { object_reference: Some("4".into()), signature: attached, ..pgp.clone() };
        let err = govstack::verify_revision_signature(&revision, &sig, &jwk).unwrap_err();
        assert_eq!(err.code(), ErrorCode::ConsentIntegrity);
    }
    // The mock's PGP signature is not a JWS.
    let key = KeyPair::generate(KeyType::P256).unwrap().public_key().to_jwk();
    let err = govstack::verify_revision_signature(&revision, &pgp, &key).unwrap_err();
    assert_eq!(err.code(), ErrorCode::UnsupportedAlgorithm);
}

#[test]
fn govstack_static_mocks_read_with_warnings() {
    let dir = "govstack-bb-consent/govstack-bb-consent-mock-static-";
    let Some(bytes) = vector(&format!("{dir}service-policy-123456.json")) else { return };
    let c = govstack::import(&bytes).unwrap();
    assert_eq!(c.value.policies[0].data_retention_period_days, Some(200));
    assert!(c.report.warnings.iter().any(|w| w.contains("snake_case")));
    let c = govstack::import(&vector(&format!("{dir}service-agreement-123456-mcc.json")).unwrap())
        .unwrap();
    assert_eq!(
        c.value.agreements[0].controller.as_ref().unwrap().id,
        "Ministry of Health, Government of Utopia"
    );
    let c = govstack::import(
        &vector(&format!("{dir}service-agreement-123456-agreementdata.json")).unwrap(),
    )
    .unwrap();
    assert_eq!(c.value.attributes.len(), 2);
}

#[test]
fn vector_walk_covers_every_folder() {
    let Some(files) = vector_files() else { return };
    for folder in ["kantara", "dpv-27560", "rebit-aa", "govstack-bb-consent", "data-agreements"] {
        assert!(files.iter().any(|f| f.starts_with(folder)), "{folder} missing");
    }
    assert!(Path::new(&vectors_dir(DOMAIN).unwrap()).join("PROVENANCE.md").is_file());
}
