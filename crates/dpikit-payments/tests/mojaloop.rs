//! Mojaloop FSPIOP: sample bodies (classic and ISO 20022 mode) from ../shared/vectors, ILPv4
//! packets, condition/fulfilment against an independent HMAC, and pacs.008 mapping.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use dpikit_core::encoding::b64url_encode;
use dpikit_core::time::parse_rfc3339;
use dpikit_core::{ErrorCode, Limits};
use dpikit_payments::iso::{self, ParseOptions};
use dpikit_payments::mojaloop::ilp::{self, IlpPrepare};
use dpikit_payments::mojaloop::map::{IlpTerms, pacs008_to_transfer, transfer_to_pacs008};
use dpikit_payments::mojaloop::{
    IsoOperation, PartyLookup, parse_iso_body, parse_quote_request, parse_transfer_request,
    validate_iso, validate_quote, validate_transfer,
};
use dpikit_payments::validate::validate;
use sha2::{Digest, Sha256};

fn read(file: &str) -> Option<Vec<u8>> {
    dpikit_testkit::read_vector("payments/mojaloop", file)
}

fn codes(f: &[dpikit_payments::Finding]) -> Vec<(ErrorCode, &str)> {
    f.iter().map(|f| (f.code, f.location.as_str())).collect()
}

#[test]
fn classic_quote_and_transfer_samples_parse_and_validate() {
    let Some(q) = read("fspiop-v1/POST_quotes.sdk-scheme-adapter.json") else { return };
    let q = parse_quote_request(&q, &Limits::default()).unwrap();
    let before = parse_rfc3339("2020-01-20T11:00:00Z").ok();
    assert!(validate_quote(&q, before).is_empty(), "{:?}", validate_quote(&q, before));
    let later = parse_rfc3339("2026-11-29T00:00:00Z").ok();
    assert_eq!(codes(&validate_quote(&q, later)), [(ErrorCode::TransferExpired, "/expiration")]);

    let Some(t) = read("fspiop-v1/POST_transfers.sdk-scheme-adapter.json") else { return };
    let t = parse_transfer_request(&t, &Limits::default()).unwrap();
    assert!(validate_transfer(&t, before).is_empty(), "{:?}", validate_transfer(&t, before));
    assert_eq!(codes(&validate_transfer(&t, later)), [(ErrorCode::TransferExpired, "/expiration")]);
}

#[test]
fn classic_bodies_are_refused_with_typed_errors() {
    let Some(t) = read("fspiop-v1/POST_transfers.sdk-scheme-adapter.json") else { return };
    let text = String::from_utf8(t.clone()).unwrap();
    let code = |b: &[u8], l: &Limits| parse_transfer_request(b, l).unwrap_err().code();
    let extra = text.replacen('{', r#"{"surprise": 1,"#, 1);
    assert_eq!(code(extra.as_bytes(), &Limits::default()), ErrorCode::MojaloopInvalid);
    let dup = text.replacen('{', r#"{"payeeFsp": "x","#, 1);
    assert_eq!(code(dup.as_bytes(), &Limits::default()), ErrorCode::DuplicateKey);
    assert_eq!(code(&t, &Limits::new(100, 64)), ErrorCode::InputTooLarge);
    assert_eq!(code(b"{", &Limits::default()), ErrorCode::MalformedJson);

    let mut body = parse_transfer_request(&t, &Limits::default()).unwrap();
    body.transfer_id = "00000000-0000-1000-8000-00000000000Z".into();
    body.amount.amount = "100.10".into();
    body.amount.currency = "ABC".into();
    body.condition = "short".into();
    body.expiration = "tomorrow".into();
    assert_eq!(
        codes(&validate_transfer(&body, None)),
        [
            (ErrorCode::MojaloopInvalid, "/transferId"),
            (ErrorCode::UnknownCurrency, "/amount/currency"),
            (ErrorCode::InvalidAmount, "/amount/amount"),
            (ErrorCode::IlpInvalid, "/condition"),
            (ErrorCode::MojaloopInvalid, "/expiration"),
        ]
    );
}

type Expected = &'static [(ErrorCode, &'static str)];

const ISO_EXPECTED: [(&str, IsoOperation, Expected); 8] = [
    (
        "postQuotesRequest",
        IsoOperation::PostQuotes,
        &[(ErrorCode::ExpiryBeforeCreation, "/GrpHdr/PmtInstrXpryDtTm")],
    ),
    ("putQuotesRequest", IsoOperation::PutQuotes, &[]),
    ("postTransfersRequest", IsoOperation::PostTransfers, &[]),
    (
        "putTransfersRequest",
        IsoOperation::PutTransfers,
        &[(ErrorCode::InvalidUetr, "/TxInfAndSts/OrgnlUETR")],
    ),
    (
        "patchTransfersRequest",
        IsoOperation::PatchTransfers,
        &[(ErrorCode::InvalidUetr, "/TxInfAndSts/OrgnlUETR")],
    ),
    ("putPartiesRequest", IsoOperation::PutParties, &[]),
    // Not recorded in PROVENANCE.md, but true of the data: the amounts are JSON numbers.
    (
        "postFxQuotesRequest",
        IsoOperation::PostFxQuotes,
        &[
            (
                ErrorCode::MojaloopInvalid,
                "/CdtTrfTxInf/UndrlygCstmrCdtTrf/InstdAmt/ActiveOrHistoricCurrencyAndAmount",
            ),
            (ErrorCode::MojaloopInvalid, "/CdtTrfTxInf/IntrBkSttlmAmt/ActiveCurrencyAndAmount"),
        ],
    ),
    ("postFxTransfersRequest", IsoOperation::PostFxTransfers, &[]),
];

#[test]
fn iso_mode_samples_validate_with_exactly_the_recorded_oddities() {
    let Some(bytes) = read("fspiop-iso20022/isoBodies.sdk-scheme-adapter.json") else { return };
    let all: serde_json::Value = serde_json::from_slice(&bytes).unwrap();
    for (key, op, expected) in ISO_EXPECTED {
        let body = serde_json::to_vec(&all[key]).unwrap();
        let body = parse_iso_body(&body, &Limits::default()).unwrap();
        let findings = validate_iso(op, &body, None);
        let got = codes(&findings);
        if key == "postFxTransfersRequest" {
            // PROVENANCE: JSON numbers for MsgId and amounts.
            assert!(
                !got.is_empty() && got.iter().all(|(c, _)| *c == ErrorCode::MojaloopInvalid),
                "{key}: {findings:#?}"
            );
            assert!(
                got.contains(&(ErrorCode::MojaloopInvalid, "/GrpHdr/MsgId")),
                "{key}: {findings:#?}"
            );
        } else {
            assert_eq!(got, expected, "{key}: {findings:#?}");
        }
    }
}

/// RFC 2104 HMAC-SHA256 written out, independent of the `hmac` crate used by dpikit.
fn hmac_sha256(key: &[u8], msg: &[u8]) -> [u8; 32] {
    let mut k = [0u8; 64];
    if key.len() > 64 {
        k[..32].copy_from_slice(&Sha256::digest(key));
    } else {
        k[..key.len()].copy_from_slice(key);
    }
    let ipad: Vec<u8> = k.iter().map(|b| b ^ 0x36).collect();
    let opad: Vec<u8> = k.iter().map(|b| b ^ 0x5c).collect();
    let inner = Sha256::new().chain_update(&ipad).chain_update(msg).finalize();
    Sha256::new().chain_update(&opad).chain_update(inner).finalize().into()
}

#[test]
fn independent_hmac_matches_rfc_4231() {
    let mac = hmac_sha256(b"Jefe", b"what do ya want for nothing?");
    assert_eq!(
        dpikit_core::encoding::hex_encode(&mac),
        "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"
    );
}

#[test]
fn sample_ilp_v4_packet_decodes_re_encodes_and_matches_the_sample_fulfilment() {
    let Some(bytes) = read("fspiop-iso20022/isoBodies.sdk-scheme-adapter.json") else { return };
    let all: serde_json::Value = serde_json::from_slice(&bytes).unwrap();
    let text = all["postTransfersRequest"]["CdtTrfTxInf"]["VrfctnOfTerms"]["IlpV4PrepPacket"]
        .as_str()
        .unwrap();
    let raw = ilp::decode_packet_b64(text).unwrap();
    let p = IlpPrepare::decode(&raw).unwrap();
    assert_eq!(p.amount, 100);
    assert_eq!(p.destination, "g.mojaloop");
    assert_eq!(p.expires_at_rfc3339(), "2024-10-26T15:34:48.665Z");
    assert_eq!(p.encode().unwrap(), raw, "byte-exact re-encoding");
    // The payee's PUT /transfers carries the fulfilment of this very packet.
    let f = all["putTransfersRequest"]["TxInfAndSts"]["ExctnConf"].as_str().unwrap();
    let f32 = ilp::decode32(f).unwrap();
    let independent: [u8; 32] = Sha256::digest(f32).into();
    assert_eq!(independent, p.execution_condition);
    ilp::verify_fulfilment(f, &b64url_encode(&p.execution_condition)).unwrap();
}

#[test]
fn condition_and_fulfilment_match_an_independent_computation() {
    let p = IlpPrepare {
        amount: 2_020_000,
        expires_at: "20261201120000000".into(),
        execution_condition: [0; 32],
        destination: "g.mojaloop.payeefsp.250788000001".into(),
        data: b"{\"transactionId\":\"x\"}".to_vec(),
    };
    let packet = p.encode().unwrap();
    for secret in [b"s3cr3t".as_slice(), &[0xAB; 100]] {
        let f = ilp::fulfilment(secret, &packet);
        assert_eq!(f, hmac_sha256(secret, &packet));
        let c = ilp::condition(&f);
        assert_eq!(c, <[u8; 32]>::from(Sha256::digest(f)));
        let (fb, cb) = (b64url_encode(&f), b64url_encode(&c));
        assert_eq!((fb.len(), cb.len()), (43, 43));
        ilp::verify_fulfilment(&fb, &cb).unwrap();
        let mut other = f;
        other[0] ^= 1;
        let err = ilp::verify_fulfilment(&b64url_encode(&other), &cb).unwrap_err();
        assert_eq!(err.code(), ErrorCode::ConditionMismatch);
    }
}

#[test]
fn hostile_ilp_packets_are_typed_errors() {
    let p = IlpPrepare {
        amount: 1,
        expires_at: "20261201120000000".into(),
        execution_condition: [9; 32],
        destination: "g.x".into(),
        data: vec![7; 300],
    };
    let good = p.encode().unwrap();
    assert_eq!(IlpPrepare::decode(&good).unwrap(), p);
    for n in 0..good.len() {
        assert_eq!(
            IlpPrepare::decode(&good[..n]).unwrap_err().code(),
            ErrorCode::IlpInvalid,
            "{n}"
        );
    }
    let mut trailing = good.clone();
    trailing.push(0);
    assert_eq!(IlpPrepare::decode(&trailing).unwrap_err().code(), ErrorCode::IlpInvalid);
    let mut wrong_type = good.clone();
    wrong_type[0] = 13;
    assert_eq!(IlpPrepare::decode(&wrong_type).unwrap_err().code(), ErrorCode::IlpInvalid);
    // Non-canonical long-form length for a short destination.
    let mut bad = vec![12, 0x3f];
    bad.extend_from_slice(&1u64.to_be_bytes());
    bad.extend_from_slice(b"20261201120000000");
    bad.extend_from_slice(&[0; 32]);
    bad.extend_from_slice(&[0x81, 0x03]);
    bad.extend_from_slice(b"g.x");
    bad.push(0);
    bad[1] = u8::try_from(bad.len() - 2).unwrap();
    assert_eq!(IlpPrepare::decode(&bad).unwrap_err().code(), ErrorCode::IlpInvalid);
    let bad_dest = IlpPrepare { destination: "nowhere".into(), ..p.clone() };
    assert_eq!(bad_dest.encode().unwrap_err().code(), ErrorCode::IlpInvalid);
    let bad_time = IlpPrepare { expires_at: "2026-12-01".into(), ..p };
    assert_eq!(bad_time.encode().unwrap_err().code(), ErrorCode::IlpInvalid);
    assert_eq!(ilp::decode32("!!").unwrap_err().code(), ErrorCode::IlpInvalid);
}

#[test]
fn transfer_maps_to_an_xsd_valid_pacs008_and_back() {
    let (Some(t), Some(q)) = (
        read("fspiop-v1/POST_transfers.sdk-scheme-adapter.json"),
        read("fspiop-v1/POST_quotes.sdk-scheme-adapter.json"),
    ) else {
        return;
    };
    let t = parse_transfer_request(&t, &Limits::default()).unwrap();
    let q = parse_quote_request(&q, &Limits::default()).unwrap();
    let (msg, report) = transfer_to_pacs008(&t, Some(&q), "2020-01-20T11:30:00.000Z").unwrap();
    assert!(validate(&msg).is_empty(), "{:#?}", validate(&msg));
    let xml = msg.document.to_xml().unwrap();
    if let Some(xsd) = common::xsd("pacs.008.001.08") {
        common::xmllint(&xml, &xsd, "mojaloop-pacs008.xml");
    }
    let parsed = iso::parse(xml.as_bytes(), &ParseOptions::default()).unwrap();
    assert_eq!(parsed.message, msg);
    let lost: Vec<&str> = report.lost.iter().map(|l| l.field.as_str()).collect();
    for f in ["/ilpPacket", "/condition", "/expiration", "/extensionList", "/transferId (as UETR)"]
    {
        assert!(lost.contains(&f), "{f} in {lost:?}");
    }
    assert!(xml.contains("<Nm>John Someone Doe</Nm>"));
    assert!(xml.contains("<EndToEndId>00000000000010008000000000000005</EndToEndId>"));

    let terms = IlpTerms {
        ilp_packet: t.ilp_packet.clone(),
        condition: t.condition.clone(),
        expiration: t.expiration.clone(),
    };
    let (back, report) = pacs008_to_transfer(&parsed.message, terms).unwrap();
    let mut want = t.clone();
    want.extension_list = None;
    assert_eq!(back, want);
    let lost: Vec<&str> = report.lost.iter().map(|l| l.field.as_str()).collect();
    assert!(lost.contains(&"CdtTrfTxInf/Dbtr/Nm"), "{lost:?}");
    assert!(lost.contains(&"CdtTrfTxInf/ChrgBr"), "{lost:?}");
    assert!(!lost.contains(&"GrpHdr/MsgId"), "{lost:?}");
}

#[test]
fn pacs008_samples_map_to_transfers_or_say_why_not() {
    let Some(x) = dpikit_testkit::read_vector(
        "payments/iso20022/samples",
        "pacs.008.001.08_cbprplus_envelope.xml",
    ) else {
        return;
    };
    let m = iso::parse(&x, &ParseOptions::default()).unwrap().message;
    let terms = IlpTerms {
        ilp_packet: "AQ".into(),
        condition: "f5sqb7tBTWPd5Y8BDFdMm9BJR_MNI4isf8p8n4D5pHA".into(),
        expiration: "2030-01-01T00:00:00.000Z".into(),
    };
    let (t, report) = pacs008_to_transfer(&m, terms.clone()).unwrap();
    assert_eq!(t.transfer_id, "a1b2c3d4-e5f6-4890-abcd-ef1234567890");
    assert_eq!(t.amount.amount, "750000");
    assert!(!report.lost.is_empty());
    let Some(x) = dpikit_testkit::read_vector(
        "payments/iso20022/samples",
        "pacs.002.001.10_pm4ml_accepted.xml",
    ) else {
        return;
    };
    let m = iso::parse(&x, &ParseOptions::default()).unwrap().message;
    assert_eq!(pacs008_to_transfer(&m, terms).unwrap_err().code(), ErrorCode::UnsupportedMessage);
}

#[test]
fn iso_mode_required_fields() {
    let body = serde_json::json!({"GrpHdr": {"MsgId": "01JB251SK2SJHT3YZBDACJQVV8",
        "CreDtTm": "2024-10-25T15:34:49.187Z"}});
    assert_eq!(
        codes(&validate_iso(IsoOperation::PostTransfers, &body, None)),
        [
            (ErrorCode::MojaloopInvalid, "/CdtTrfTxInf/IntrBkSttlmAmt"),
            (ErrorCode::MojaloopInvalid, "/CdtTrfTxInf/VrfctnOfTerms/IlpV4PrepPacket"),
        ]
    );
}

#[test]
fn party_lookup_paths() {
    let l = PartyLookup::from_path("/parties/MSISDN/250788000001/WALLET").unwrap();
    assert_eq!(l.party_sub_id_or_type.as_deref(), Some("WALLET"));
    for bad in [
        "/parties/MSISDN",
        "/quotes/MSISDN/1",
        "/parties/MSISDN//",
        "/parties/X/1",
        "/parties/MSISDN/1/2/3",
    ] {
        assert_eq!(
            PartyLookup::from_path(bad).unwrap_err().code(),
            ErrorCode::MojaloopInvalid,
            "{bad}"
        );
    }
}
