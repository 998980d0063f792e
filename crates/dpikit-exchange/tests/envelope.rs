//! Signed envelopes: round trips, tampering, freshness, consent gating and receipts.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use chrono::Duration;
use dpikit_consent::model::{Code, ConsentRecord, DataCategory, Party, Purpose, Scheme};
use dpikit_consent::receipt::Receipt;
use dpikit_core::ErrorCode;
use dpikit_core::encoding::{b64url_decode, b64url_encode};
use dpikit_core::keys::{KeyPair, KeyType};
use dpikit_core::time::{Timestamp, parse_rfc3339};
use dpikit_exchange::envelope::{
    ConsentCheck, ConsentExpectation, Envelope, EnvelopeBuilder, VerifyPolicy, seal, sign, verify,
    verify_consent,
};
use dpikit_exchange::{Registry, schemas};
use serde_json::{Value, json};

const HOUSING: &str = "did:web:housing.city.example";

fn t(s: &str) -> Timestamp {
    parse_rfc3339(s).unwrap()
}

fn claim() -> Value {
    json!({"id": "urn:ngsi-ld:SubsidyClaim:city:c-77", "type": "SubsidyClaim", "claimId": "c-77",
        "claimant": "urn:ngsi-ld:ResidentRecord:city:1024", "programme": "HOUSING-2026",
        "amount": {"value": "250.00", "currency": "EUR"}, "status": "submitted",
        "submittedAt": "2026-03-02T10:00:00Z"})
}

fn status_envelope(registry: &Registry, at: Timestamp) -> Envelope {
    let schema = registry.resolve(schemas::PAYMENT_STATUS, None).unwrap();
    let data =
        json!({"instructionId": "PI-1", "status": "ACSC", "statusAt": "2026-04-01T08:00:00Z"});
    EnvelopeBuilder::new("https://treasury.city.example", "org.dpikit.PaymentStatus", schema, data)
        .id("evt-1")
        .subject("PI-1")
        .correlation_id("corr-1")
        .causation_id("evt-0")
        .time(at)
        .build(registry)
        .unwrap()
}

fn purpose() -> Code {
    Code::new(Scheme::Dpv, "dpv:ServiceProvision")
}

fn income() -> Code {
    Code::new(Scheme::Dpv, "pd:Income")
}

fn given_record(at: Timestamp) -> ConsentRecord {
    let mut record = ConsentRecord::request(
        "urn:uuid:9a6c",
        "did:example:ana",
        Party::new(HOUSING, "Housing Department"),
        Purpose::new(purpose(), "Process your housing subsidy"),
    );
    record.data_categories.push(DataCategory { code: income(), sensitive: false });
    record.give(at, "did:example:ana").unwrap();
    record
}

#[test]
fn attached_and_detached_round_trip_both_key_types() {
    let registry = Registry::with_builtin().unwrap();
    let at = t("2026-04-01T08:00:01Z");
    let envelope = status_envelope(&registry, at);
    let value: Value = serde_json::from_slice(&envelope.to_bytes().unwrap()).unwrap();
    for member in [
        "specversion",
        "id",
        "source",
        "type",
        "time",
        "datacontenttype",
        "dataschema",
        "subject",
        "correlationid",
        "causationid",
        "data",
    ] {
        assert!(value.get(member).is_some(), "{member}");
    }
    assert_eq!(value["specversion"], "1.0");
    for kt in [KeyType::Ed25519, KeyType::P256] {
        let key = KeyPair::generate(kt).unwrap();
        let policy = VerifyPolicy::at(at + Duration::seconds(30));
        let signed = sign(&envelope, &key, false).unwrap();
        let ok = verify(&signed.token, None, &key.public_key(), &registry, &policy).unwrap();
        assert_eq!(ok.envelope, envelope);
        assert_eq!(ok.bytes, signed.bytes);
        let detached = sign(&envelope, &key, true).unwrap();
        assert!(detached.token.contains(".."));
        let ok =
            verify(&detached.token, Some(&detached.bytes), &key.public_key(), &registry, &policy)
                .unwrap();
        assert_eq!(ok.envelope, envelope);
    }
}

#[test]
fn tampered_envelope_is_refused() {
    let registry = Registry::with_builtin().unwrap();
    let at = t("2026-04-01T08:00:01Z");
    let envelope = status_envelope(&registry, at);
    let key = KeyPair::generate(KeyType::Ed25519).unwrap();
    let policy = VerifyPolicy::at(at);
    let signed = sign(&envelope, &key, false).unwrap();
    // Change one byte of the payload: "ACSC" → "RJCT".
    let parts: Vec<&str> = signed.token.split('.').collect();
    let bytes = b64url_decode(parts[1]).unwrap();
    let tampered_bytes = String::from_utf8(bytes).unwrap().replace("ACSC", "RJCT");
    let tampered =
        format!("{}.{}.{}", parts[0], b64url_encode(tampered_bytes.as_bytes()), parts[2]);
    let err = verify(&tampered, None, &key.public_key(), &registry, &policy).unwrap_err();
    assert_eq!(err.code(), ErrorCode::EnvelopeSignatureInvalid);
    // Detached: the bytes given differ from those signed.
    let detached = sign(&envelope, &key, true).unwrap();
    let err = verify(
        &detached.token,
        Some(tampered_bytes.as_bytes()),
        &key.public_key(),
        &registry,
        &policy,
    )
    .unwrap_err();
    assert_eq!(err.code(), ErrorCode::EnvelopeSignatureInvalid);
    // Another key.
    let other = KeyPair::generate(KeyType::Ed25519).unwrap();
    let err = verify(&signed.token, None, &other.public_key(), &registry, &policy).unwrap_err();
    assert_eq!(err.code(), ErrorCode::EnvelopeSignatureInvalid);
    // Garbage token.
    let err = verify("a.b", None, &key.public_key(), &registry, &policy).unwrap_err();
    assert_eq!(err.code(), ErrorCode::MalformedJws);
}

#[test]
fn expired_and_future_envelopes_are_refused() {
    let registry = Registry::with_builtin().unwrap();
    let at = t("2026-04-01T08:00:00Z");
    let envelope = status_envelope(&registry, at);
    let key = KeyPair::generate(KeyType::P256).unwrap();
    let signed = sign(&envelope, &key, false).unwrap();
    let pk = key.public_key();
    let late = VerifyPolicy::at(at + Duration::minutes(6));
    assert_eq!(
        verify(&signed.token, None, &pk, &registry, &late).unwrap_err().code(),
        ErrorCode::EnvelopeExpired
    );
    let lenient = late.with_max_age(Duration::hours(1));
    assert!(verify(&signed.token, None, &pk, &registry, &lenient).is_ok());
    let early = VerifyPolicy::at(at - Duration::minutes(2));
    assert_eq!(
        verify(&signed.token, None, &pk, &registry, &early).unwrap_err().code(),
        ErrorCode::EnvelopeNotYetValid
    );
    let within_skew = VerifyPolicy::at(at - Duration::seconds(30));
    assert!(verify(&signed.token, None, &pk, &registry, &within_skew).is_ok());
}

#[test]
fn invalid_data_is_refused_at_build_and_at_verify() {
    let registry = Registry::with_builtin().unwrap();
    let schema = registry.resolve(schemas::PAYMENT_STATUS, None).unwrap();
    let err = EnvelopeBuilder::new("s", "t", schema.clone(), json!({"status": "DONE"}))
        .build(&registry)
        .unwrap_err();
    assert_eq!(err.code(), ErrorCode::ValidationFailed);
    // A sender that skips the builder: verify still validates data.
    let at = t("2026-04-01T08:00:00Z");
    let mut envelope = status_envelope(&registry, at);
    envelope.data = json!({"status": "DONE"});
    let key = KeyPair::generate(KeyType::Ed25519).unwrap();
    let signed = sign(&envelope, &key, false).unwrap();
    let err = verify(&signed.token, None, &key.public_key(), &registry, &VerifyPolicy::at(at))
        .unwrap_err();
    assert_eq!(err.code(), ErrorCode::ValidationFailed);
    // Unknown schema.
    envelope.dataschema = "https://unknown.example/s.json".into();
    let signed = sign(&envelope, &key, false).unwrap();
    let err = verify(&signed.token, None, &key.public_key(), &registry, &VerifyPolicy::at(at))
        .unwrap_err();
    assert_eq!(err.code(), ErrorCode::SchemaNotFound);
    // Not CloudEvents 1.0.
    envelope.specversion = "0.3".into();
    assert_eq!(sign(&envelope, &key, false).unwrap_err().code(), ErrorCode::MalformedEnvelope);
}

#[test]
fn personal_data_needs_a_consent_and_consent_withdrawn_between_two_sends() {
    let registry = Registry::with_builtin().unwrap();
    let t0 = t("2026-03-01T09:00:00Z");
    let t1 = t("2026-03-02T10:00:00Z");
    let t2 = t("2026-03-03T10:00:00Z");
    let mut record = given_record(t0);
    let schema = registry.resolve(schemas::SUBSIDY_CLAIM, None).unwrap();
    let build = |at| {
        EnvelopeBuilder::new(HOUSING, "org.dpikit.SubsidyClaim", schema.clone(), claim())
            .time(at)
            .build(&registry)
            .unwrap()
    };
    let key = KeyPair::generate(KeyType::Ed25519).unwrap();
    let envelope = build(t1);
    assert!(envelope.is_personal_data());
    // Unsealed personal data is never signed.
    assert_eq!(sign(&envelope, &key, false).unwrap_err().code(), ErrorCode::ConsentRequired);

    // First send: consent given.
    let p = purpose();
    let cat = income();
    let check = ConsentCheck::new(&record, HOUSING, &p, t1).with_data_category(&cat);
    let sealed = seal(envelope.clone(), &check).unwrap();
    assert_eq!(sealed.consentid.as_deref(), Some("urn:uuid:9a6c"));
    let signed = sign(&sealed, &key, false).unwrap();
    assert!(
        verify(&signed.token, None, &key.public_key(), &registry, &VerifyPolicy::at(t1)).is_ok()
    );

    // The resident withdraws; the second send is refused.
    record.withdraw(t1 + Duration::hours(1), "did:example:ana", Some("moved away")).unwrap();
    let check = ConsentCheck::new(&record, HOUSING, &p, t2).with_data_category(&cat);
    let err = seal(build(t2), &check).unwrap_err();
    assert_eq!(err.code(), ErrorCode::ConsentDenied);
    match err {
        dpikit_exchange::ExchangeError::ConsentDenied { reason, .. } => {
            assert_eq!(reason, ErrorCode::ConsentNotGiven);
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn consent_gate_checks_controller_purpose_and_category() {
    let registry = Registry::with_builtin().unwrap();
    let t1 = t("2026-03-02T10:00:00Z");
    let record = given_record(t("2026-03-01T09:00:00Z"));
    let schema = registry.resolve(schemas::SUBSIDY_CLAIM, None).unwrap();
    let envelope = EnvelopeBuilder::new(HOUSING, "org.dpikit.SubsidyClaim", schema, claim())
        .time(t1)
        .build(&registry)
        .unwrap();
    let reason = |check: &ConsentCheck<'_>| match seal(envelope.clone(), check).unwrap_err() {
        dpikit_exchange::ExchangeError::ConsentDenied { reason, .. } => reason,
        other => panic!("{other:?}"),
    };
    let p = purpose();
    let marketing = Code::new(Scheme::Dpv, "dpv:Marketing");
    let health = Code::new(Scheme::Dpv, "pd:HealthRecord");
    assert_eq!(
        reason(&ConsentCheck::new(&record, "did:web:police.example", &p, t1)),
        ErrorCode::ConsentPartyMismatch
    );
    assert_eq!(
        reason(&ConsentCheck::new(&record, HOUSING, &marketing, t1)),
        ErrorCode::ConsentPurposeMismatch
    );
    assert_eq!(
        reason(&ConsentCheck::new(&record, HOUSING, &p, t1).with_data_category(&health)),
        ErrorCode::ConsentDataMismatch
    );
    // Citing another consent is refused.
    let mut other = envelope.clone();
    other.consentid = Some("urn:uuid:other".into());
    let err = seal(other, &ConsentCheck::new(&record, HOUSING, &p, t1)).unwrap_err();
    assert_eq!(err.code(), ErrorCode::ConsentReceiptMismatch);
}

#[test]
fn receiver_verifies_the_cited_signed_receipt() {
    let registry = Registry::with_builtin().unwrap();
    let t0 = t("2026-03-01T09:00:00Z");
    let t1 = t("2026-03-02T10:00:00Z");
    let record = given_record(t0);
    let consent_key = KeyPair::generate(KeyType::Ed25519).unwrap();
    let receipt =
        Receipt::new(&record, "urn:uuid:receipt-1", t0).unwrap().sign(&consent_key).unwrap();
    let schema = registry.resolve(schemas::SUBSIDY_CLAIM, None).unwrap();
    let envelope = EnvelopeBuilder::new(HOUSING, "org.dpikit.SubsidyClaim", schema, claim())
        .time(t1)
        .build(&registry)
        .unwrap();
    let p = purpose();
    let cat = income();
    let check =
        ConsentCheck::new(&record, HOUSING, &p, t1).with_data_category(&cat).with_receipt(&receipt);
    let sealed = seal(envelope, &check).unwrap();
    let key = KeyPair::generate(KeyType::Ed25519).unwrap();
    let signed = sign(&sealed, &key, false).unwrap();
    let got =
        verify(&signed.token, None, &key.public_key(), &registry, &VerifyPolicy::at(t1)).unwrap();
    let expect = ConsentExpectation { controller: HOUSING, purpose: &p, data_category: Some(&cat) };
    let verified = verify_consent(&got.envelope, None, &consent_key.public_key(), &expect).unwrap();
    assert_eq!(verified.receipt.record.id, "urn:uuid:9a6c");

    // Wrong receipt key.
    let other = KeyPair::generate(KeyType::Ed25519).unwrap();
    let err = verify_consent(&got.envelope, None, &other.public_key(), &expect).unwrap_err();
    assert_eq!(err.code(), ErrorCode::ReceiptInvalid);
    // A receipt of another consent.
    let mut other_record = record.clone();
    other_record.id = "urn:uuid:other".into();
    let other_receipt =
        Receipt::new(&other_record, "urn:uuid:r-2", t0).unwrap().sign(&consent_key).unwrap();
    let err =
        verify_consent(&got.envelope, Some(&other_receipt), &consent_key.public_key(), &expect)
            .unwrap_err();
    assert_eq!(err.code(), ErrorCode::ConsentReceiptMismatch);
    // The receiver's purpose is not the consented one.
    let marketing = Code::new(Scheme::Dpv, "dpv:Marketing");
    let expect =
        ConsentExpectation { controller: HOUSING, purpose: &marketing, data_category: None };
    let err = verify_consent(&got.envelope, None, &consent_key.public_key(), &expect).unwrap_err();
    assert_eq!(err.code(), ErrorCode::ConsentDenied);
}
