//! The state machine: every legal and every illegal transition, expiry before revoke,
//! access decisions, receipts.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use dpikit_consent::check::{Request, check};
use dpikit_consent::lifecycle::State;
use dpikit_consent::model::{
    Code, ConsentRecord, DataCategory, DateRange, FetchType, Frequency, Party, Period, PeriodUnit,
    Purpose, Scheme,
};
use dpikit_consent::receipt::{Receipt, verify_receipt};
use dpikit_core::ErrorCode;
use dpikit_core::keys::{KeyPair, KeyType};
use dpikit_core::time::{Timestamp, parse_rfc3339};

fn t(s: &str) -> Timestamp {
    parse_rfc3339(s).unwrap()
}

const CITY: &str = "did:web:housing.city.example";
const ANA: &str = "did:example:ana";

fn purpose() -> Code {
    Code::new(Scheme::Dpv, "dpv:ServiceProvision")
}

fn record() -> ConsentRecord {
    let mut r = ConsentRecord::request(
        "urn:uuid:c-1",
        ANA,
        Party::new(CITY, "Housing Department"),
        Purpose::new(purpose(), "Housing subsidy"),
    );
    r.data_categories
        .push(DataCategory { code: Code::new(Scheme::Dpv, "pd:Income"), sensitive: false });
    r
}

/// A record brought into `state` by legal transitions.
fn in_state(state: State) -> ConsentRecord {
    let mut r = record();
    let at = t("2026-01-01T00:00:00Z");
    let path: &[State] = match state {
        State::Requested => &[],
        State::Given => &[State::Given],
        State::Refused => &[State::Refused],
        State::Deferred => &[State::Deferred],
        State::Paused => &[State::Given, State::Paused],
        State::Withdrawn => &[State::Given, State::Withdrawn],
        State::Revoked => &[State::Given, State::Revoked],
        State::Expired => &[State::Given, State::Expired],
        State::Invalidated => &[State::Given, State::Invalidated],
    };
    for s in path {
        r.transition(*s, at, ANA, None).unwrap();
    }
    assert_eq!(r.state, state);
    r
}

#[test]
fn every_legal_and_illegal_transition() {
    let legal: &[(State, State)] = &[
        (State::Requested, State::Given),
        (State::Requested, State::Refused),
        (State::Requested, State::Deferred),
        (State::Deferred, State::Requested),
        (State::Given, State::Given),
        (State::Given, State::Paused),
        (State::Given, State::Withdrawn),
        (State::Given, State::Revoked),
        (State::Given, State::Expired),
        (State::Given, State::Invalidated),
        (State::Paused, State::Given),
        (State::Paused, State::Withdrawn),
        (State::Paused, State::Revoked),
        (State::Paused, State::Expired),
    ];
    let mut n_illegal = 0;
    for from in State::ALL {
        for to in State::ALL {
            let mut r = in_state(from);
            let events = r.events.len();
            let outcome = r.transition(to, t("2026-02-01T00:00:00Z"), ANA, Some("test"));
            if legal.contains(&(from, to)) {
                outcome.unwrap();
                assert_eq!(r.state, to);
                assert_eq!(r.events.len(), events + 1);
                assert_eq!(r.events.last().unwrap().reason.as_deref(), Some("test"));
            } else {
                let code = outcome.unwrap_err().code();
                let expected = if from == State::Expired {
                    ErrorCode::ConsentExpired
                } else {
                    ErrorCode::IllegalTransition
                };
                assert_eq!(code, expected, "{from} -> {to}");
                assert_eq!(r.state, from, "state unchanged on error");
                n_illegal += 1;
            }
        }
    }
    assert_eq!(n_illegal, 81 - legal.len());
    for s in State::ALL {
        assert_eq!(s.is_final(), State::ALL.iter().all(|to| !s.can_become(*to)), "{s}");
    }
}

#[test]
fn expiry_is_evaluated_before_revoke_and_use() {
    let mut r = record();
    r.validity.duration = Some("P6M".into());
    r.give(t("2026-01-01T00:00:00Z"), ANA).unwrap();
    assert_eq!(r.validity.start.as_deref(), Some("2026-01-01T00:00:00Z"));
    assert_eq!(r.state_at(t("2026-06-30T23:59:59Z")).unwrap(), State::Given);
    assert_eq!(r.state_at(t("2026-07-01T00:00:00Z")).unwrap(), State::Expired);
    // A use after expiry is denied with the expiry code.
    let p = purpose();
    let d = check(&r, &Request::new(CITY, &p, t("2026-08-01T00:00:00Z"))).unwrap();
    assert_eq!(d.reason, Some(ErrorCode::ConsentExpired));
    // Revoking an expired consent is refused, and the expiry is recorded first.
    let err = r.revoke(t("2026-08-01T00:00:00Z"), CITY, None).unwrap_err();
    assert_eq!(err.code(), ErrorCode::ConsentExpired);
    assert_eq!(r.state, State::Expired);
    let last = r.events.last().unwrap();
    assert_eq!(
        (last.state, last.at.as_str(), last.actor.as_str()),
        (State::Expired, "2026-07-01T00:00:00Z", "system")
    );
    // Renewal before expiry extends it.
    let mut r = record();
    r.validity.expiry = Some("2026-03-01T00:00:00Z".into());
    r.give(t("2026-01-01T00:00:00Z"), ANA).unwrap();
    r.renew(t("2026-02-01T00:00:00Z"), ANA, t("2027-03-01T00:00:00Z")).unwrap();
    assert_eq!(r.state_at(t("2026-06-01T00:00:00Z")).unwrap(), State::Given);
    let mut paused = in_state(State::Paused);
    assert_eq!(
        paused.renew(t("2026-02-01T00:00:00Z"), ANA, t("2027-01-01T00:00:00Z")).unwrap_err().code(),
        ErrorCode::IllegalTransition
    );
}

#[test]
fn decisions_each_have_their_reason() {
    let p = purpose();
    let income = Code::new(Scheme::Dpv, "pd:Income");
    let health = Code::new(Scheme::Dpv, "pd:HealthRecord");
    let now = t("2026-02-01T10:00:00Z");
    let mut r = record();
    r.usage.frequency =
        Some(Frequency { count: 2, per: Period { unit: PeriodUnit::Day, value: 1 } });
    r.usage.data_range =
        Some(DateRange { from: "2025-01-01T00:00:00Z".into(), to: "2025-12-31T23:59:59Z".into() });
    r.usage.data_life = Some(Period { unit: PeriodUnit::Month, value: 1 });
    let reason = |r: &ConsentRecord, req: &Request<'_>| check(r, req).unwrap().reason;

    assert_eq!(reason(&r, &Request::new(CITY, &p, now)), Some(ErrorCode::ConsentNotGiven));
    r.give(t("2026-01-01T00:00:00Z"), ANA).unwrap();
    assert_eq!(reason(&r, &Request::new(CITY, &p, now)), None);
    assert_eq!(
        reason(&r, &Request::new(CITY, &p, t("2025-12-01T00:00:00Z"))),
        Some(ErrorCode::ConsentOutsideValidity)
    );
    assert_eq!(
        reason(&r, &Request::new("did:web:ads.example", &p, now)),
        Some(ErrorCode::ConsentPartyMismatch)
    );
    let marketing = Code::new(Scheme::Dpv, "dpv:Marketing");
    assert_eq!(
        reason(&r, &Request::new(CITY, &marketing, now)),
        Some(ErrorCode::ConsentPurposeMismatch)
    );
    // Scheme-aware: the same code string in another scheme is another purpose.
    let local = Code::new(Scheme::Local, "dpv:ServiceProvision");
    assert_eq!(
        reason(&r, &Request::new(CITY, &local, now)),
        Some(ErrorCode::ConsentPurposeMismatch)
    );
    let mut req = Request::new(CITY, &p, now);
    req.data_category = Some(&income);
    assert_eq!(reason(&r, &req), None);
    req.data_category = Some(&health);
    assert_eq!(reason(&r, &req), Some(ErrorCode::ConsentDataMismatch));
    // Frequency: two uses per rolling day.
    let uses = [t("2026-02-01T01:00:00Z"), t("2026-02-01T02:00:00Z")];
    let mut req = Request::new(CITY, &p, now);
    req.prior_uses = &uses[..1];
    assert_eq!(reason(&r, &req), None);
    req.prior_uses = &uses;
    assert_eq!(reason(&r, &req), Some(ErrorCode::ConsentFrequencyExceeded));
    req.at = t("2026-02-02T03:00:00Z");
    assert_eq!(reason(&r, &req), None, "the window rolls");
    // Data range and data life.
    let mut req = Request::new(CITY, &p, now);
    req.data_from = Some(t("2024-06-01T00:00:00Z"));
    assert_eq!(reason(&r, &req), Some(ErrorCode::ConsentDataRangeExceeded));
    let mut req = Request::new(CITY, &p, now);
    req.retain_until = Some(t("2026-06-01T00:00:00Z"));
    assert_eq!(reason(&r, &req), Some(ErrorCode::ConsentDataRangeExceeded));
    // One-time fetch.
    r.usage.fetch_type = Some(FetchType::Onetime);
    let mut req = Request::new(CITY, &p, now);
    req.prior_uses = &uses[..1];
    assert_eq!(reason(&r, &req), Some(ErrorCode::ConsentFrequencyExceeded));
    // Withdrawal is honoured at once.
    r.withdraw(now, ANA, None).unwrap();
    assert_eq!(reason(&r, &Request::new(CITY, &p, now)), Some(ErrorCode::ConsentNotGiven));
}

#[test]
fn receipts_verify_and_detect_tampering() {
    let mut r = record();
    r.give(t("2026-01-01T00:00:00Z"), ANA).unwrap();
    for kt in [KeyType::Ed25519, KeyType::P256] {
        let key = KeyPair::generate(kt).unwrap();
        let receipt = Receipt::new(&r, "urn:uuid:r-1", t("2026-01-01T00:00:05Z")).unwrap();
        let token = receipt.sign(&key).unwrap();
        let v = verify_receipt(&token, &key.public_key()).unwrap();
        assert_eq!(v.receipt, receipt);
        assert_eq!(v.payload, receipt.canonical_bytes().unwrap());
        // Wrong key, tampered payload.
        let other = KeyPair::generate(kt).unwrap();
        assert_eq!(
            verify_receipt(&token, &other.public_key()).unwrap_err().code(),
            ErrorCode::ReceiptInvalid
        );
        let parts: Vec<&str> = token.split('.').collect();
        let mut forged = receipt.clone();
        forged.record.principal = "did:example:mallory".into();
        let body = dpikit_core::encoding::b64url_encode(&forged.canonical_bytes().unwrap());
        let token2 = format!("{}.{body}.{}", parts[0], parts[2]);
        assert_eq!(
            verify_receipt(&token2, &key.public_key()).unwrap_err().code(),
            ErrorCode::ReceiptInvalid
        );
    }
    // A receipt signed with a record hash that does not match its record.
    let key = KeyPair::generate(KeyType::Ed25519).unwrap();
    let mut bad = Receipt::new(&r, "urn:uuid:r-2", t("2026-01-01T00:00:05Z")).unwrap();
    bad.record_hash = "00".repeat(32);
    assert_eq!(
        verify_receipt(&bad.sign(&key).unwrap(), &key.public_key()).unwrap_err().code(),
        ErrorCode::ReceiptInvalid
    );
}

#[test]
fn receipt_as_a_verifiable_credential() {
    use dpikit_core::did::{did_key, did_key_verification_method};
    use dpikit_core::jws::WithKeyId;
    let mut r = record();
    r.give(t("2026-01-01T00:00:00Z"), ANA).unwrap();
    let key = KeyPair::generate(KeyType::Ed25519).unwrap();
    let did = did_key(&key.public_key());
    let signer = WithKeyId { kid: did_key_verification_method(&key.public_key()), signer: key };
    let vc = Receipt::new(&r, "urn:uuid:r-3", t("2026-01-01T00:00:05Z"))
        .unwrap()
        .to_credential(&did)
        .unwrap();
    let token = dpikit_credentials::jose::issue_vc_jwt(&vc.to_value(), &signer).unwrap();
    let report = dpikit_credentials::Verifier::new()
        .at(t("2026-02-01T00:00:00Z"))
        .verify_credential_jwt(&token);
    assert!(report.verified, "{}", report.to_json());
}

#[test]
fn records_round_trip_and_reject_bad_input() {
    let mut r = record();
    r.validity.duration = Some("P1Y2M3DT4H".into());
    r.give(t("2026-01-01T00:00:00Z"), ANA).unwrap();
    let back = ConsentRecord::from_json(r.to_json().as_bytes()).unwrap();
    assert_eq!(back, r);
    assert_eq!(back.validity.end_at().unwrap(), Some(t("2027-03-04T04:00:00Z")));
    for bad in ["P", "P1", "1Y", "PT", "P1H", "PT1D", "P99999999999Y"] {
        let mut x = r.clone();
        x.validity.duration = Some(bad.into());
        assert_eq!(x.validate().unwrap_err().code(), ErrorCode::MalformedConsent, "{bad}");
    }
    let mut x = r.clone();
    x.controllers.clear();
    assert_eq!(
        ConsentRecord::from_json(x.to_json().as_bytes()).unwrap_err().code(),
        ErrorCode::MalformedConsent
    );
    assert_eq!(
        ConsentRecord::from_json(br#"{"id":"a","id":"b"}"#).unwrap_err().code(),
        ErrorCode::DuplicateKey
    );
}
