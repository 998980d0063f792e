//! Consent: records, the four import formats, signed receipts.

use dpikit_consent::formats::{dpv, govstack, kantara, rebit};
use dpikit_consent::model::{Code, ConsentRecord, Party, Purpose, Scheme};
use dpikit_consent::receipt::{Receipt, verify_receipt};
use dpikit_core::ErrorCode;
use dpikit_core::jws::SignOptions;
use dpikit_core::keys::PublicKey;
use dpikit_core::time::parse_rfc3339;
use serde_json::{Value, json};

use crate::core_cases::{ed_key, flip_signature, forge, other_ed_key, resign, sign, swap_payload};
use crate::{Case, Outcome, battery_cases, case, data, err, ok, param, text};

/// The consent import formats, as named in `input.format`.
pub(crate) const FORMATS: [&str; 4] = ["rebit", "kantara", "govstack", "dpv"];

pub(crate) fn run(op: &str, input: &Value) -> Option<Outcome> {
    Some(match op {
        "consent.record" => data(input)
            .and_then(|d| ConsentRecord::from_json(&d).map(|r| json!(r.id)).map_err(|e| e.code())),
        "consent.import" => consent_import(input),
        "consent.receipt.verify" => text(input).and_then(|t| {
            let key = PublicKey::from_multikey(param(input, "key")?).map_err(|e| e.code())?;
            verify_receipt(&t, &key).map(|v| json!(v.receipt.record.id)).map_err(|e| e.code())
        }),
        _ => return None,
    })
}

fn consent_import(input: &Value) -> Outcome {
    let d = data(input)?;
    let ids = |r: &[ConsentRecord]| json!(r.iter().map(|r| r.id.clone()).collect::<Vec<_>>());
    match param(input, "format")? {
        "rebit" => rebit::import(&d).map(|c| ids(&[c.value])),
        "kantara" => kantara::import(&d).map(|c| ids(&[c.value])),
        "govstack" => govstack::import(&d).map(|c| ids(&c.value.records)),
        "dpv" => dpv::import(&d).map(|_| json!([])),
        _ => return Err(ErrorCode::InvalidArgument),
    }
    .map_err(|e| e.code())
}

fn record() -> ConsentRecord {
    let mut r = ConsentRecord::request(
        "urn:uuid:9a6c0f1e-3b1d-4c55-8f0e-2d1c3b4a5e6f",
        "did:example:resident-1024",
        Party::new("did:web:housing.city.example", "Housing Department"),
        Purpose::new(
            Code::new(Scheme::Dpv, "dpv:ServiceProvision"),
            "Process your housing subsidy",
        ),
    );
    #[allow(clippy::expect_used)] // A fixed instant.
    let at = parse_rfc3339("2026-03-01T09:00:00Z").expect("instant");
    #[allow(clippy::expect_used)] // Requested -> Given is allowed.
    r.give(at, "did:example:resident-1024").expect("give");
    r
}

pub(crate) fn cases() -> Vec<Case> {
    let mut out = Vec::new();
    let rec = record();
    let rec_json = rec.to_json();
    let op = "consent.record";
    out.push(case(
        "consent/consent.record/control",
        op,
        json!({"data": rec_json}),
        ok(json!(rec.id)),
    ));
    out.extend(battery_cases("consent/consent.record", op, &json!({}), |_, c| c));
    let mut v: Value = serde_json::from_str(&rec_json).unwrap_or_default();
    v["state"] = json!("Exploded");
    out.push(case(
        "consent/consent.record/unknown-state",
        op,
        json!({"data": v.to_string()}),
        err(ErrorCode::MalformedConsent),
    ));
    let mut v: Value = serde_json::from_str(&rec_json).unwrap_or_default();
    v["purposes"] = json!([]);
    out.push(case(
        "consent/consent.record/no-purpose",
        op,
        json!({"data": v.to_string()}),
        err(ErrorCode::MalformedConsent),
    ));
    let mut v: Value = serde_json::from_str(&rec_json).unwrap_or_default();
    v["id"] = json!(12);
    out.push(case(
        "consent/consent.record/id-number",
        op,
        json!({"data": v.to_string()}),
        err(ErrorCode::MalformedConsent),
    ));
    let mut v: Value = serde_json::from_str(&rec_json).unwrap_or_default();
    v["validity"] = json!({"start": "2026-13-01T00:00:00Z"});
    out.push(case(
        "consent/consent.record/bad-validity-date",
        op,
        json!({"data": v.to_string()}),
        err(ErrorCode::MalformedConsent),
    ));
    let mut v: Value = serde_json::from_str(&rec_json).unwrap_or_default();
    v["usage"] = json!({"frequency": {"count": 0, "per": "P1D"}});
    let text = v.to_string().replace("\"count\":0", &format!("\"count\":{}", "9".repeat(100)));
    out.push(case(
        "consent/consent.record/usage-count-100-digits",
        op,
        json!({"data": text}),
        err(ErrorCode::MalformedConsent),
    ));

    // Every import format: the JSON battery, a wrong-shape document, and exports as controls.
    for format in FORMATS {
        let params = json!({"format": format});
        out.extend(battery_cases(
            &format!("consent/consent.import/{format}"),
            "consent.import",
            &params,
            |_, c| c,
        ));
        out.push(case(
            &format!("consent/consent.import/{format}/wrong-shape"),
            "consent.import",
            json!({"format": format, "data": "{\"hello\": [\"city\"]}"}),
            err(ErrorCode::ConsentImportFailed),
        ));
        out.push(case(
            &format!("consent/consent.import/{format}/top-level-array"),
            "consent.import",
            json!({"format": format, "data": "[]"}),
            err(ErrorCode::ConsentImportFailed),
        ));
    }
    let exports = [
        ("rebit", rebit::export(&rec).map(|c| c.value)),
        ("kantara", kantara::export(&rec).map(|c| c.value)),
    ];
    for (format, doc) in exports {
        if let Ok(doc) = doc {
            out.push(case(
                &format!("consent/consent.import/{format}/control-export"),
                "consent.import",
                json!({"format": format, "data": doc.to_string()}),
                ok(json!([rec.id])),
            ));
        }
    }

    // Signed receipts.
    let ed = ed_key();
    let key = json!(ed.public_key().to_multikey());
    #[allow(clippy::expect_used)] // A fixed record and instant.
    let receipt =
        Receipt::new(&rec, "urn:uuid:receipt-1", parse_rfc3339("2026-03-01T09:00:01Z").expect("t"))
            .expect("receipt");
    #[allow(clippy::expect_used)]
    let token = receipt.sign(&ed).expect("sign receipt");
    let op = "consent.receipt.verify";
    let c = |id: &str, t: String, k: &Value, expect| {
        case(&format!("consent/{op}/{id}"), op, json!({"data": t, "key": k}), expect)
    };
    out.push(c("control", token.clone(), &key, ok(json!(rec.id))));
    out.push(c("tampered-signature", flip_signature(&token), &key, err(ErrorCode::ReceiptInvalid)));
    let other = json!(other_ed_key().public_key().to_multikey());
    out.push(c("wrong-key", token.clone(), &other, err(ErrorCode::ReceiptInvalid)));
    let mut payload = serde_json::to_value(&receipt).unwrap_or_default();
    payload["record"]["principal"] = json!("did:example:mallory");
    let typ = json!({"alg": "EdDSA", "typ": "consent-receipt+jws"});
    out.push(c(
        "tampered-payload",
        swap_payload(&token, payload.to_string().as_bytes()),
        &key,
        err(ErrorCode::ReceiptInvalid),
    ));
    out.push(c(
        "record-hash-mismatch-resigned",
        resign(&typ, payload.to_string().as_bytes(), &ed),
        &key,
        err(ErrorCode::ReceiptInvalid),
    ));
    out.push(c(
        "alg-none",
        forge(
            &json!({"alg": "none", "typ": "consent-receipt+jws"}),
            payload.to_string().as_bytes(),
            b"",
        ),
        &key,
        err(ErrorCode::AlgNone),
    ));
    out.push(c(
        "alg-es256-with-ed25519-key",
        resign(
            &json!({"alg": "ES256", "typ": "consent-receipt+jws"}),
            payload.to_string().as_bytes(),
            &ed,
        ),
        &key,
        err(ErrorCode::AlgKeyMismatch),
    ));
    out.push(c(
        "wrong-typ",
        sign(
            serde_json::to_vec(&receipt).unwrap_or_default().as_slice(),
            &ed,
            &SignOptions { typ: Some("JWT".into()), ..SignOptions::default() },
        ),
        &key,
        err(ErrorCode::MalformedReceipt),
    ));
    let mut v2 = serde_json::to_value(&receipt).unwrap_or_default();
    v2["receiptVersion"] = json!("99");
    out.push(c(
        "unknown-version",
        resign(&typ, v2.to_string().as_bytes(), &ed),
        &key,
        err(ErrorCode::MalformedReceipt),
    ));
    out.push(c(
        "payload-duplicate-key",
        resign(&typ, br#"{"id":"a","id":"b"}"#, &ed),
        &key,
        err(ErrorCode::DuplicateKey),
    ));
    out.push(c(
        "payload-nesting-10000",
        resign(&typ, format!("{}{}", "[".repeat(10_000), "]".repeat(10_000)).as_bytes(), &ed),
        &key,
        err(ErrorCode::NestingTooDeep),
    ));
    out.push(c(
        "payload-lone-surrogate",
        resign(&typ, br#"{"id":"\ud800"}"#, &ed),
        &key,
        err(ErrorCode::InvalidUtf8),
    ));
    out
}
