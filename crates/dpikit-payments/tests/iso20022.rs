//! ISO 20022 samples and negatives from ../shared/vectors/payments (see PROVENANCE.md).
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::path::Path;
use std::process::Command;

use dpikit_core::ErrorCode;
use dpikit_payments::iso::{self, Document, MessageKind, ParseOptions};
use dpikit_payments::validate::{CbprPlus, SchemeRule, validate, validate_with};
use dpikit_payments::{Finding, PaymentError};

const DOMAIN: &str = "payments/iso20022";

fn read(dir: &str, file: &str) -> Option<Vec<u8>> {
    dpikit_testkit::read_vector(&format!("{DOMAIN}/{dir}"), file)
}

fn xsd(kind: &str) -> Option<std::path::PathBuf> {
    dpikit_testkit::vectors_dir(&format!("{DOMAIN}/xsd")).map(|d| d.join(format!("{kind}.xsd")))
}

fn strict(bytes: &[u8]) -> Result<iso::Parsed, PaymentError> {
    iso::parse(bytes, &ParseOptions::default())
}

fn lenient(bytes: &[u8]) -> iso::Parsed {
    iso::parse(bytes, &ParseOptions { lenient: true, ..ParseOptions::default() }).unwrap()
}

fn codes(findings: &[Finding]) -> Vec<(ErrorCode, &str)> {
    findings.iter().map(|f| (f.code, f.location.as_str())).collect()
}

/// Validates `xml` against `xsd` with xmllint; skips (with a note) when xmllint is missing,
/// unless DPIKIT_REQUIRE_XMLLINT is set (CI).
fn xmllint(xml: &str, xsd: &Path, name: &str) {
    let dir = std::env::temp_dir().join(format!("dpikit-payments-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join(name);
    std::fs::write(&file, xml).unwrap();
    match Command::new("xmllint").arg("--noout").arg("--schema").arg(xsd).arg(&file).output() {
        Ok(out) => assert!(
            out.status.success(),
            "xmllint rejected {name}: {}\n{xml}",
            String::from_utf8_lossy(&out.stderr)
        ),
        Err(e) => {
            assert!(std::env::var_os("DPIKIT_REQUIRE_XMLLINT").is_none(), "xmllint: {e}");
            eprintln!("xmllint not available ({e}); skipped XSD check of {name}");
        }
    }
}

const POSITIVE: [(&str, MessageKind, bool); 8] = [
    ("camt.054.001.08_cbprplus_envelope.xml", MessageKind::Camt054V08, true),
    ("pain.001.001.09_cbprplus_envelope.xml", MessageKind::Pain001V09, true),
    ("pacs.008.001.08_cbprplus_envelope.xml", MessageKind::Pacs008V08, true),
    ("pacs.008.001.08_pm4ml_mobilemoney_RWF.xml", MessageKind::Pacs008V08, false),
    ("pacs.002.001.10_cbprplus_envelope.xml", MessageKind::Pacs002V10, true),
    ("pacs.002.001.10_pm4ml_accepted.xml", MessageKind::Pacs002V10, false),
    ("pacs.002.001.10_pm4ml_rejected.xml", MessageKind::Pacs002V10, false),
    ("pacs.004.001.09_cbprplus_envelope.xml", MessageKind::Pacs004V09, true),
];

#[test]
fn positive_samples_parse_validate_and_round_trip() {
    for (file, kind, has_header) in POSITIVE {
        let Some(bytes) = read("samples", file) else { return };
        let parsed = strict(&bytes).unwrap_or_else(|e| panic!("{file}: {e}"));
        assert!(parsed.findings.is_empty(), "{file}");
        let msg = &parsed.message;
        assert_eq!(msg.document.kind(), kind, "{file}");
        assert_eq!(msg.header.is_some(), has_header, "{file}");
        let rules: [&dyn SchemeRule; 1] = [&CbprPlus];
        let findings = validate_with(msg, &rules);
        assert!(findings.is_empty(), "{file}: {findings:#?}");

        let doc_xml = msg.document.to_xml().unwrap();
        assert!(doc_xml.starts_with(&format!("<Document xmlns=\"{}\">", kind.namespace())));
        xmllint(&doc_xml, &xsd(kind.id()).unwrap(), file);
        let back = strict(doc_xml.as_bytes()).unwrap();
        assert_eq!(back.message.document, msg.document, "{file}: document round trip");

        if let Some(hdr_xml) = msg.header_to_xml().unwrap() {
            xmllint(&hdr_xml, &xsd("head.001.001.02").unwrap(), &format!("hdr-{file}"));
            let pair = format!("<RequestPayload>{hdr_xml}{doc_xml}</RequestPayload>");
            let back = strict(pair.as_bytes()).unwrap();
            assert_eq!(&back.message, msg, "{file}: header + document round trip");
        }
    }
}

#[test]
fn positive_samples_round_trip_through_json() {
    for (file, _, _) in POSITIVE {
        let Some(bytes) = read("samples", file) else { return };
        let msg = strict(&bytes).unwrap().message;
        let json = msg.to_json().unwrap();
        let text = serde_json::to_string(&json).unwrap();
        let back = iso::Message::from_json(text.as_bytes(), &dpikit_core::Limits::default())
            .unwrap_or_else(|e| panic!("{file}: {e}"));
        assert_eq!(back, msg, "{file}: XML -> JSON -> typed");
        assert_eq!(back.document.to_xml().unwrap(), msg.document.to_xml().unwrap(), "{file}");
    }
    let bad = br#"{"message": "pacs.008.001.13", "Document": {}}"#;
    let err = iso::Message::from_json(bad, &dpikit_core::Limits::default()).unwrap_err();
    assert_eq!(err.code(), ErrorCode::UnsupportedMessage);
    let extra = br#"{"message": "pacs.002.001.10", "Document": {}, "X": 1}"#;
    let err = iso::Message::from_json(extra, &dpikit_core::Limits::default()).unwrap_err();
    assert_eq!(err.code(), ErrorCode::UnknownElement);
}

#[test]
fn known_values_survive_parsing() {
    let Some(bytes) = read("samples", "pacs.008.001.08_pm4ml_mobilemoney_RWF.xml") else { return };
    let parsed = strict(&bytes).unwrap();
    let Document::Pacs008(d) = &parsed.message.document else { panic!("not pacs.008") };
    let tx = &d.fi_to_fi_cstmr_cdt_trf.cdt_trf_tx_inf[0];
    assert_eq!(tx.intr_bk_sttlm_amt.ccy, "RWF");
    assert_eq!(tx.intr_bk_sttlm_amt.value.to_string(), "20200");

    let Some(bytes) = read("samples", "pacs.008.001.08_cbprplus_envelope.xml") else { return };
    let parsed = strict(&bytes).unwrap();
    let Document::Pacs008(d) = &parsed.message.document else { panic!("not pacs.008") };
    let pmt_id = &d.fi_to_fi_cstmr_cdt_trf.cdt_trf_tx_inf[0].pmt_id;
    assert_eq!(pmt_id.uetr.as_deref(), Some("a1b2c3d4-e5f6-4890-abcd-ef1234567890"));
    assert_eq!(parsed.message.header.unwrap().msg_def_idr, "pacs.008.001.08");
}

#[test]
fn unsupported_versions_are_refused() {
    for file in [
        "pain.001.001.03_moov_international_USD.xml",
        "camt.053.001.02_moov_statement_1.xml",
        "camt.053.001.04_moov_postfinance.xml",
    ] {
        let Some(bytes) = read("samples", file) else { return };
        assert_eq!(strict(&bytes).unwrap_err().code(), ErrorCode::UnsupportedMessage, "{file}");
    }
}

#[test]
fn extra_cndtn_element_is_unknown() {
    let Some(bytes) = read("negative", "pacs.008.001.08_pm4ml_invalid_extra_Cndtn.xml") else {
        return;
    };
    let err = strict(&bytes).unwrap_err();
    assert_eq!(err.code(), ErrorCode::UnknownElement);
    let parsed = lenient(&bytes);
    assert_eq!(
        codes(&parsed.findings),
        [(ErrorCode::UnknownElement, "/Document/FIToFICstmrCdtTrf/CdtTrfTxInf/Cndtn")]
    );
    let findings = validate(&parsed.message);
    assert!(codes(&findings).contains(&(
        ErrorCode::FacetViolation,
        "/Document/FIToFICstmrCdtTrf/CdtTrfTxInf/PmtId/EndToEndId"
    )));
}

#[test]
fn uuid_over_max35text_is_a_facet_violation() {
    let file = "pacs.008.001.08_pm4ml_template_uuid_exceeds_Max35Text.xml";
    let Some(bytes) = read("negative", file) else { return };
    let findings = validate(&strict(&bytes).unwrap().message);
    assert_eq!(
        codes(&findings),
        [
            (ErrorCode::FacetViolation, "/Document/FIToFICstmrCdtTrf/GrpHdr/MsgId"),
            (ErrorCode::FacetViolation, "/Document/FIToFICstmrCdtTrf/CdtTrfTxInf/PmtId/EndToEndId"),
        ]
    );
}

#[test]
fn pain002_empty_required_fields() {
    let file = "pain.002.001.10_pm4ml_empty_required_fields.xml";
    let Some(bytes) = read("negative", file) else { return };
    let findings = validate(&strict(&bytes).unwrap().message);
    let g = "/Document/CstmrPmtStsRpt/OrgnlGrpInfAndSts";
    assert_eq!(
        codes(&findings),
        [
            (ErrorCode::FacetViolation, format!("{g}/OrgnlMsgId").as_str()),
            (ErrorCode::FacetViolation, format!("{g}/OrgnlCreDtTm").as_str()),
            (ErrorCode::FacetViolation, format!("{g}/OrgnlNbOfTxs").as_str()),
            (ErrorCode::FacetViolation, "/Document/CstmrPmtStsRpt/OrgnlPmtInfAndSts/OrgnlPmtInfId"),
        ]
    );
}

#[test]
fn pain001_rule_violations() {
    let file = "pain.001.001.09_rustiso_generated_many_rule_violations.xml";
    let Some(bytes) = read("negative", file) else { return };
    let findings = validate(&strict(&bytes).unwrap().message);
    let got = codes(&findings);
    let r = "/Document/CstmrCdtTrfInitn";
    for want in [
        (ErrorCode::InvalidIban, format!("{r}/PmtInf[0]/DbtrAcct/Id/IBAN")),
        (ErrorCode::UnknownCurrency, format!("{r}/PmtInf[0]/CdtTrfTxInf/Amt/InstdAmt/@Ccy")),
        (ErrorCode::UnknownCurrency, format!("{r}/PmtInf[1]/CdtTrfTxInf/Amt/InstdAmt/@Ccy")),
        (ErrorCode::NumberOfTxsMismatch, format!("{r}/GrpHdr/NbOfTxs")),
        (ErrorCode::FacetViolation, format!("{r}/SplmtryData[0]/Envlp")),
        (ErrorCode::FacetViolation, format!("{r}/SplmtryData[1]/Envlp")),
    ] {
        assert!(got.contains(&(want.0, want.1.as_str())), "missing {want:?} in {findings:#?}");
    }
}

#[test]
fn bad_iban_and_header_mismatch() {
    let Some(bytes) = read("negative", "pacs.008.001.08_cbprplus_bad_IBAN_BIC_mismatch.xml") else {
        return;
    };
    let findings = validate(&strict(&bytes).unwrap().message);
    let got = codes(&findings);
    assert!(got.contains(&(
        ErrorCode::InvalidIban,
        "/Document/FIToFICstmrCdtTrf/CdtTrfTxInf/DbtrAcct/Id/IBAN"
    )));
    assert!(got.contains(&(ErrorCode::HeaderMismatch, "/AppHdr/Fr/FIId/FinInstnId/BICFI")));
}

#[test]
fn xau_violates_cbpr_plus_r41_only() {
    let Some(bytes) = read("negative", "pacs.008.001.08_cbprplus_violates_R41_XAU.xml") else {
        return;
    };
    let msg = strict(&bytes).unwrap().message;
    assert!(validate(&msg).is_empty(), "XAU is a valid ISO 4217 code");
    let rules: [&dyn SchemeRule; 1] = [&CbprPlus];
    assert_eq!(
        codes(&validate_with(&msg, &rules)),
        [(
            ErrorCode::SchemeRuleViolation,
            "/Document/FIToFICstmrCdtTrf/CdtTrfTxInf/IntrBkSttlmAmt"
        )]
    );
}

#[test]
fn envelopes_and_prefixes_are_equivalent() {
    let Some(bytes) = read("samples", "pacs.002.001.10_cbprplus_envelope.xml") else { return };
    let msg = strict(&bytes).unwrap().message;
    let doc = msg.document.to_xml().unwrap();
    let hdr = msg.header_to_xml().unwrap().unwrap();
    for wrapped in [
        doc.clone(),
        format!(r#"<Request xmlns="urn:swift:xsd:SWIFTNetBusinessEnvelope">{hdr}{doc}</Request>"#),
        format!(r#"<Envelope xmlns="urn:swift:xsd:envelope">{doc}</Envelope>"#),
    ] {
        assert_eq!(strict(wrapped.as_bytes()).unwrap().message.document, msg.document);
    }
}

#[test]
fn hostile_and_mismatched_inputs() {
    let ns = MessageKind::Pacs002V10.namespace();
    let cases: [(String, ErrorCode); 5] = [
        (
            format!(
                r#"<!DOCTYPE Document [<!ENTITY x "y">]><Document xmlns="{ns}">&x;</Document>"#
            ),
            ErrorCode::XmlForbidden,
        ),
        (format!(r#"<Document xmlns="{ns}"><FIToFIPmtStsRpt>"#), ErrorCode::MalformedMessage),
        (
            format!(
                r#"<Document xmlns="{ns}"><FIToFIPmtStsRpt><GrpHdr><MsgId>M</MsgId><CreDtTm>2026-01-01T00:00:00Z</CreDtTm><x:Y xmlns:x="urn:other"/></GrpHdr></FIToFIPmtStsRpt></Document>"#
            ),
            ErrorCode::UnknownElement,
        ),
        (
            // A pacs.008 body under the pacs.002 namespace.
            format!(r#"<Document xmlns="{ns}"><FIToFICstmrCdtTrf/></Document>"#),
            ErrorCode::MalformedMessage,
        ),
        (
            r#"<Document xmlns="urn:iso:std:iso:20022:tech:xsd:pacs.999.001.01"/>"#.to_owned(),
            ErrorCode::UnsupportedMessage,
        ),
    ];
    for (xml, code) in cases {
        assert_eq!(strict(xml.as_bytes()).unwrap_err().code(), code, "{xml}");
    }
}

#[test]
fn out_of_order_elements_are_reported() {
    let ns = MessageKind::Pacs002V10.namespace();
    let xml = format!(
        r#"<Document xmlns="{ns}"><FIToFIPmtStsRpt><GrpHdr><CreDtTm>2026-01-01T00:00:00Z</CreDtTm><MsgId>M</MsgId></GrpHdr></FIToFIPmtStsRpt></Document>"#
    );
    assert_eq!(strict(xml.as_bytes()).unwrap_err().code(), ErrorCode::FacetViolation);
    let parsed = lenient(xml.as_bytes());
    assert_eq!(codes(&parsed.findings), [(ErrorCode::FacetViolation, "/Document")]);
}

fn pacs008_with(edit: impl Fn(String) -> String) -> Option<Vec<Finding>> {
    let text = dpikit_testkit::read_vector_string(
        &format!("{DOMAIN}/samples"),
        "pacs.008.001.08_cbprplus_envelope.xml",
    )?;
    let edited = edit(text);
    Some(validate(&strict(edited.as_bytes()).unwrap().message))
}

#[test]
fn uppercase_uetr_is_invalid() {
    let Some(f) = pacs008_with(|t| {
        t.replace("a1b2c3d4-e5f6-4890-abcd-ef1234567890", "A1B2C3D4-E5F6-4890-ABCD-EF1234567890")
    }) else {
        return;
    };
    assert_eq!(
        codes(&f),
        [(ErrorCode::InvalidUetr, "/Document/FIToFICstmrCdtTrf/CdtTrfTxInf/PmtId/UETR")]
    );
}

#[test]
fn group_counts_sums_and_duplicates() {
    let Some(f) = pacs008_with(|t| {
        let tx_start = t.find("<pacs:CdtTrfTxInf>").unwrap();
        let tx_end = t.find("</pacs:CdtTrfTxInf>").unwrap() + "</pacs:CdtTrfTxInf>".len();
        let tx = t[tx_start..tx_end].to_owned();
        let mut t = t.replacen(&tx, &format!("{tx}{tx}"), 1);
        t = t.replacen(
            "<pacs:NbOfTxs>1</pacs:NbOfTxs>",
            "<pacs:NbOfTxs>3</pacs:NbOfTxs><pacs:CtrlSum>1</pacs:CtrlSum>",
            1,
        );
        t
    }) else {
        return;
    };
    let g = "/Document/FIToFICstmrCdtTrf";
    assert_eq!(
        codes(&f),
        [
            (ErrorCode::NumberOfTxsMismatch, format!("{g}/GrpHdr/NbOfTxs").as_str()),
            (ErrorCode::ControlSumMismatch, format!("{g}/GrpHdr/CtrlSum").as_str()),
            (ErrorCode::DuplicateId, format!("{g}/CdtTrfTxInf[1]/PmtId/InstrId").as_str()),
            (ErrorCode::DuplicateId, format!("{g}/CdtTrfTxInf[1]/PmtId/UETR").as_str()),
        ]
    );
}

#[test]
fn minor_units_are_enforced() {
    let Some(f) = pacs008_with(|t| t.replace(">750000<", ">750000.001<")) else { return };
    assert_eq!(
        codes(&f),
        [(ErrorCode::InvalidAmount, "/Document/FIToFICstmrCdtTrf/CdtTrfTxInf/IntrBkSttlmAmt")]
    );
}

#[test]
fn large_batches_parse_in_linear_time() {
    let Some(text) = dpikit_testkit::read_vector_string(
        &format!("{DOMAIN}/samples"),
        "pacs.008.001.08_cbprplus_envelope.xml",
    ) else {
        return;
    };
    let tx_start = text.find("<pacs:CdtTrfTxInf>").unwrap();
    let tx_end = text.find("</pacs:CdtTrfTxInf>").unwrap() + "</pacs:CdtTrfTxInf>".len();
    let tx = &text[tx_start..tx_end];
    let many = text.replacen(tx, &tx.repeat(2000), 1);
    let start = std::time::Instant::now();
    let parsed = strict(many.as_bytes()).unwrap();
    let findings = validate(&parsed.message);
    assert!(start.elapsed() < std::time::Duration::from_secs(20), "{:?}", start.elapsed());
    assert!(findings.iter().any(|f| f.code == ErrorCode::NumberOfTxsMismatch));
}

/// No public camt.053.001.08 sample exists (PROVENANCE.md); this minimal statement was
/// written for the test and checked with xmllint against camt.053.001.08.xsd.
const CAMT053: &str = r#"<Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.053.001.08"><BkToCstmrStmt><GrpHdr><MsgId>STMT-1</MsgId><CreDtTm>2026-04-13T10:30:00Z</CreDtTm></GrpHdr><Stmt><Id>S1</Id><CreDtTm>2026-04-13T10:30:00Z</CreDtTm><Acct><Id><IBAN>GB29NWBK60161331926819</IBAN></Id></Acct><Bal><Tp><CdOrPrtry><Cd>OPBD</Cd></CdOrPrtry></Tp><Amt Ccy="GBP">100.50</Amt><CdtDbtInd>CRDT</CdtDbtInd><Dt><Dt>2026-04-13</Dt></Dt></Bal><Ntry><Amt Ccy="GBP">20</Amt><CdtDbtInd>DBIT</CdtDbtInd><Sts><Cd>BOOK</Cd></Sts><BkTxCd><Prtry><Cd>X</Cd></Prtry></BkTxCd></Ntry></Stmt></BkToCstmrStmt></Document>"#;

#[test]
fn camt053_round_trips() {
    let parsed = strict(CAMT053.as_bytes()).unwrap();
    assert_eq!(parsed.message.document.kind(), MessageKind::Camt053V08);
    assert!(validate(&parsed.message).is_empty());
    let xml = parsed.message.document.to_xml().unwrap();
    assert_eq!(xml, CAMT053);
    if let Some(x) = xsd("camt.053.001.08") {
        xmllint(&xml, &x, "camt053.xml");
    }
    let bad = CAMT053.replace(">100.50<", ">100.505<").replace("OPBD", "OPENING");
    let findings = validate(&strict(bad.as_bytes()).unwrap().message);
    let b = "/Document/BkToCstmrStmt/Stmt/Bal";
    assert_eq!(
        codes(&findings),
        [
            (ErrorCode::FacetViolation, format!("{b}/Tp/CdOrPrtry/Cd").as_str()),
            (ErrorCode::InvalidAmount, format!("{b}/Amt").as_str()),
        ]
    );
}

#[test]
fn truncated_and_corrupted_inputs_never_panic() {
    let Some(bytes) = read("samples", "pacs.008.001.08_cbprplus_envelope.xml") else { return };
    let lenient_opts = ParseOptions { lenient: true, ..ParseOptions::default() };
    for i in (0..bytes.len()).step_by(3) {
        let _ = strict(&bytes[..i]);
        let mut corrupted = bytes.clone();
        corrupted[i] = match corrupted[i] {
            b'<' => b'>',
            b'>' => b'<',
            b'0'..=b'9' => b'x',
            b'a'..=b'z' => b'Q',
            _ => b'&',
        };
        if let Ok(p) = iso::parse(&corrupted, &lenient_opts) {
            let _ = validate_with(&p.message, &[&CbprPlus]);
            let _ = p.message.document.to_xml();
        }
    }
}

type Expect = Result<&'static [(&'static str, &'static str)], &'static str>;

fn outcome(
    r: Result<iso::Parsed, PaymentError>,
) -> Result<Vec<(&'static str, String)>, &'static str> {
    r.map(|p| p.findings.into_iter().map(|f| (f.code.name(), f.location)).collect())
        .map_err(|e| e.code().name())
}

/// Edge cases of the intake, with the results the DOM intake (quick-xml serde plus a diff of
/// the input against the model written back) gave before the streaming reader replaced it:
/// the streaming reader must keep every one (codes and locations; messages may differ).
#[test]
fn intake_edge_cases_keep_their_codes_and_locations() {
    let ns = "urn:iso:std:iso:20022:tech:xsd:pacs.002.001.10";
    let gh = |inner: &str| {
        format!(
            r#"<Document xmlns="{ns}"><FIToFIPmtStsRpt><GrpHdr>{inner}</GrpHdr></FIToFIPmtStsRpt></Document>"#
        )
    };
    let ok = "<MsgId>M</MsgId><CreDtTm>2026-01-01T00:00:00Z</CreDtTm>";
    let p8 = "urn:iso:std:iso:20022:tech:xsd:pacs.008.001.08";
    let tx = |inner: &str| {
        format!(
            r#"<Document xmlns="{p8}"><FIToFICstmrCdtTrf><GrpHdr><MsgId>M</MsgId><CreDtTm>2026-01-01T00:00:00Z</CreDtTm><NbOfTxs>1</NbOfTxs><SttlmInf><SttlmMtd>INDA</SttlmMtd></SttlmInf></GrpHdr>{inner}</FIToFICstmrCdtTrf></Document>"#
        )
    };
    let t1 = r#"<CdtTrfTxInf><PmtId><EndToEndId>E</EndToEndId></PmtId><IntrBkSttlmAmt Ccy="EUR">AMT</IntrBkSttlmAmt><ChrgBr>SHAR</ChrgBr><Dbtr/><DbtrAgt><FinInstnId/></DbtrAgt><CdtrAgt><FinInstnId/></CdtrAgt><Cdtr/>XTRA</CdtTrfTxInf>"#;
    let t = |amt: &str, extra: &str| t1.replace("AMT", amt).replace("XTRA", extra);
    let cases: Vec<(&str, String, Expect, Expect)> = vec![
        ("ok", gh(ok), Ok(&[]), Ok(&[])),
        ("dup MsgId", gh(&format!("<MsgId>A</MsgId>{ok}")), Err("malformed_message"), Err("malformed_message")),
        ("missing MsgId", gh("<CreDtTm>2026-01-01T00:00:00Z</CreDtTm>"), Ok(&[]), Ok(&[])),
        ("text in GrpHdr", gh(&format!("{ok}hello")), Err("facet_violation"), Ok(&[("facet_violation", "/Document/FIToFIPmtStsRpt/GrpHdr")])),
        ("text in GrpHdr + unknown", gh(&format!("<Foo/>{ok}hello")), Err("facet_violation"), Ok(&[("facet_violation", "/Document/FIToFIPmtStsRpt/GrpHdr")])),
        ("attr on GrpHdr", gh(ok).replace("<GrpHdr>", "<GrpHdr a=\"1\">"), Err("facet_violation"), Ok(&[("facet_violation", "/Document/FIToFIPmtStsRpt/GrpHdr")])),
        ("attr on MsgId", gh(ok).replace("<MsgId>", "<MsgId a=\"1\">"), Err("facet_violation"), Ok(&[("facet_violation", "/Document/FIToFIPmtStsRpt/GrpHdr/MsgId")])),
        ("child in MsgId", gh(ok).replace("<MsgId>M", "<MsgId>M<X/>"), Err("malformed_message"), Err("malformed_message")),
        ("child only in MsgId", gh(ok).replace("<MsgId>M", "<MsgId><X/>"), Err("malformed_message"), Err("malformed_message")),
        ("two unknown same name", gh(&format!("{ok}<Foo/><Foo><Bar/></Foo>")), Err("unknown_element"), Ok(&[("unknown_element", "/Document/FIToFIPmtStsRpt/GrpHdr/Foo[0]"), ("unknown_element", "/Document/FIToFIPmtStsRpt/GrpHdr/Foo[1]")])),
        ("unknown then foreign inside", gh(&format!("{ok}<Foo><x:B xmlns:x=\"urn:x\"/></Foo>")), Err("unknown_element"), Ok(&[("unknown_element", "/Document/FIToFIPmtStsRpt/GrpHdr/Foo/B"), ("unknown_element", "/Document/FIToFIPmtStsRpt/GrpHdr/Foo")])),
        ("unprefixed no-ns child", gh(ok).replace("<MsgId>M</MsgId>", "<MsgId xmlns=\"\">M</MsgId>"), Err("unknown_element"), Ok(&[("unknown_element", "/Document/FIToFIPmtStsRpt/GrpHdr/MsgId")])),
        ("order + unknown", gh("<CreDtTm>2026-01-01T00:00:00Z</CreDtTm><MsgId>M</MsgId><Foo/>"), Err("unknown_element"), Ok(&[("unknown_element", "/Document/FIToFIPmtStsRpt/GrpHdr/Foo")])),
        ("order + missing", tx(&t("1", "")).replace("<MsgId>M</MsgId><CreDtTm>2026-01-01T00:00:00Z</CreDtTm>", "<CreDtTm>2026-01-01T00:00:00Z</CreDtTm>"), Ok(&[]), Ok(&[])),
        ("tx ok", tx(&t("1", "")), Ok(&[]), Ok(&[])),
        ("amt +5", tx(&t("+5", "")), Err("facet_violation"), Ok(&[("facet_violation", "/Document/FIToFICstmrCdtTrf/CdtTrfTxInf/IntrBkSttlmAmt")])),
        ("amt 05", tx(&t("05", "")), Err("facet_violation"), Ok(&[("facet_violation", "/Document/FIToFICstmrCdtTrf/CdtTrfTxInf/IntrBkSttlmAmt")])),
        ("amt 1.50", tx(&t("1.50", "")), Ok(&[]), Ok(&[])),
        ("amt empty", tx(&t("", "")), Err("malformed_message"), Err("malformed_message")),
        ("amt abc", tx(&t("abc", "")), Err("malformed_message"), Err("malformed_message")),
        ("amt ' 5 '", tx(&t(" 5 ", "")), Ok(&[]), Ok(&[])),
        ("amt no ccy", tx(&t("5", "")).replace(" Ccy=\"EUR\"", ""), Err("malformed_message"), Err("malformed_message")),
        ("amt extra attr", tx(&t("5", "")).replace(" Ccy=\"EUR\"", " Ccy=\"EUR\" X=\"1\""), Err("facet_violation"), Ok(&[("facet_violation", "/Document/FIToFICstmrCdtTrf/CdtTrfTxInf/IntrBkSttlmAmt")])),
        ("amt child", tx(&t("5<A/>", "")), Err("unknown_element"), Ok(&[("unknown_element", "/Document/FIToFICstmrCdtTrf/CdtTrfTxInf/IntrBkSttlmAmt/A")])),
        ("two tx", tx(&format!("{}{}", t("1", ""), t("2", ""))), Ok(&[]), Ok(&[])),
        ("two tx unknown between", tx(&format!("{}<Foo/>{}", t("1", ""), t("2", ""))), Err("malformed_message"), Err("malformed_message")),
        ("two tx foreign between", tx(&format!("{}<x:Foo xmlns:x=\"u:x\"/>{}", t("1", ""), t("2", ""))), Err("unknown_element"), Ok(&[("unknown_element", "/Document/FIToFICstmrCdtTrf/Foo")])),
        ("two tx unknown in second", tx(&format!("{}{}", t("1", ""), t("2", "<Cndtn/>"))), Err("unknown_element"), Ok(&[("unknown_element", "/Document/FIToFICstmrCdtTrf/CdtTrfTxInf[1]/Cndtn")])),
        ("choice two", tx(&t("1", "<DbtrAcct><Id><IBAN>X</IBAN><Othr><Id>1</Id></Othr></Id></DbtrAcct>")).replace("<Cdtr/>", ""), Err("malformed_message"), Err("malformed_message")),
        ("choice unknown first", tx(&t("1", "<DbtrAcct><Id><Foo/><IBAN>X</IBAN></Id></DbtrAcct>")), Err("malformed_message"), Err("malformed_message")),
        ("choice unknown after", tx(&t("1", "<DbtrAcct><Id><IBAN>X</IBAN><Foo/></Id></DbtrAcct>")), Err("malformed_message"), Err("malformed_message")),
        ("choice empty", tx(&t("1", "<DbtrAcct><Id></Id></DbtrAcct>")), Err("malformed_message"), Err("malformed_message")),
        ("choice text", tx(&t("1", "<DbtrAcct><Id>hi<IBAN>X</IBAN></Id></DbtrAcct>")), Err("malformed_message"), Err("malformed_message")),
        ("choice foreign", tx(&t("1", "<DbtrAcct><Id><x:Y xmlns:x=\"u:x\"/><IBAN>X</IBAN></Id></DbtrAcct>")), Err("unknown_element"), Ok(&[("unknown_element", "/Document/FIToFICstmrCdtTrf/CdtTrfTxInf/DbtrAcct/Id/Y"), ("facet_violation", "/Document")])),
        ("choice attr", tx(&t("1", "<DbtrAcct><Id a=\"1\"><IBAN>X</IBAN></Id></DbtrAcct>")), Err("facet_violation"), Ok(&[("facet_violation", "/Document/FIToFICstmrCdtTrf/CdtTrfTxInf/DbtrAcct/Id")])),
        ("choice order", tx(&t("1", "<DbtrAcct><Id><IBAN>X</IBAN></Id></DbtrAcct>")).replace("<Cdtr/>", ""), Err("malformed_message"), Err("malformed_message")),
        ("misordered fields", tx(&t("1", "")).replace("<ChrgBr>SHAR</ChrgBr><Dbtr/>", "<Dbtr/><ChrgBr>SHAR</ChrgBr>"), Err("facet_violation"), Ok(&[("facet_violation", "/Document")])),
        ("string leaf cdata+ref", gh(ok).replace("<MsgId>M", "<MsgId> <![CDATA[a<b]]>&amp;&#65; "), Ok(&[]), Ok(&[])),
        ("string leaf comment", gh(ok).replace("<MsgId>M", "<MsgId>a<!-- x -->b"), Ok(&[]), Ok(&[])),
        ("empty complex required", tx(&t("1","")).replace("<SttlmInf><SttlmMtd>INDA</SttlmMtd></SttlmInf>", ""), Err("malformed_message"), Err("malformed_message")),
        ("doc attr", gh(ok).replace("<Document ", "<Document a=\"1\" "), Err("facet_violation"), Ok(&[("facet_violation", "/Document")])),
        ("doc xsi attr", gh(ok).replace("<Document ", "<Document xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\" xsi:schemaLocation=\"x\" "), Ok(&[]), Ok(&[])),
        ("two docs", format!("<E>{}{}</E>", gh(ok), gh(ok)), Err("malformed_message"), Err("malformed_message")),
        ("apphdr bad ns", format!("<E><AppHdr xmlns=\"urn:iso:std:iso:20022:tech:xsd:head.001.001.01\"/>{}</E>", gh(ok)), Err("unsupported_message"), Err("unsupported_message")),
        ("apphdr empty", format!("<E><AppHdr xmlns=\"urn:iso:std:iso:20022:tech:xsd:head.001.001.02\"/>{}</E>", gh(ok)), Err("malformed_message"), Err("malformed_message")),
        ("unknown with text", gh(&format!("{ok}<Foo>1</Foo>")), Err("unknown_element"), Ok(&[("unknown_element", "/Document/FIToFIPmtStsRpt/GrpHdr/Foo")])),
        ("nested doc in doc", gh(&format!("{ok}<Document/>")), Err("unknown_element"), Ok(&[("unknown_element", "/Document/FIToFIPmtStsRpt/GrpHdr/Document")])),
        ("boolean", gh(ok), Ok(&[]), Ok(&[])),
        ("empty leaf", gh("<MsgId/><CreDtTm>2026-01-01T00:00:00Z</CreDtTm>"), Ok(&[]), Ok(&[])),
        ("env text", format!("<E>hi{}</E>", gh(ok)), Ok(&[]), Ok(&[])),
        ("env attr entity", format!("<E a=\"&foo;\">{}</E>", gh(ok)), Err("xml_forbidden"), Err("xml_forbidden")),
        ("ws Document", format!("  {}  ", gh(ok)), Ok(&[]), Ok(&[])),
        ("Envlp child", tx(&t("1","")).replace("</FIToFICstmrCdtTrf>", "<SplmtryData><Envlp><A><B/></A><C/></Envlp></SplmtryData></FIToFICstmrCdtTrf>"), Err("unknown_element"), Ok(&[("unknown_element", "/Document/FIToFICstmrCdtTrf/SplmtryData/Envlp/A"), ("unknown_element", "/Document/FIToFICstmrCdtTrf/SplmtryData/Envlp/C")])),
        ("Envlp text", tx(&t("1","")).replace("</FIToFICstmrCdtTrf>", "<SplmtryData><Envlp>x</Envlp></SplmtryData></FIToFICstmrCdtTrf>"), Err("facet_violation"), Ok(&[("facet_violation", "/Document/FIToFICstmrCdtTrf/SplmtryData/Envlp")])),
    ];
    for (name, xml, strict_want, lenient_want) in cases {
        for (lenient, want) in [(false, strict_want), (true, lenient_want)] {
            let got = outcome(iso::parse(
                xml.as_bytes(),
                &ParseOptions { lenient, ..ParseOptions::default() },
            ));
            let want =
                want.map(|w| w.iter().map(|(c, l)| (*c, (*l).to_owned())).collect::<Vec<_>>());
            assert_eq!(got, want, "{name} (lenient: {lenient})");
        }
    }
}

/// The reader resolves namespaces itself (bindings pushed only where declared, the root's
/// prefix cached): a prefixed root, and a default or prefix redeclared to another
/// namespace inside it and then out of scope again.
#[test]
fn namespace_bindings_follow_their_scope() {
    let ns = MessageKind::Pacs002V10.namespace();
    let dt = "<p:CreDtTm>2026-01-01T00:00:00Z</p:CreDtTm>";
    let prefixed = format!(
        r#"<p:Document xmlns:p="{ns}"><p:FIToFIPmtStsRpt><p:GrpHdr><p:MsgId>M</p:MsgId>{dt}</p:GrpHdr></p:FIToFIPmtStsRpt></p:Document>"#
    );
    let parsed = strict(prefixed.as_bytes()).unwrap();
    let Document::Pacs002(doc) = &parsed.message.document else { panic!("not pacs.002") };
    assert_eq!(doc.fi_to_fi_pmt_sts_rpt.grp_hdr.msg_id, "M");
    assert_eq!(doc.fi_to_fi_pmt_sts_rpt.grp_hdr.cre_dt_tm, "2026-01-01T00:00:00Z");

    let cases = [
        // A prefix rebound on an empty element, then used again in the root's namespace.
        prefixed.replace("<p:MsgId>M</p:MsgId>", r#"<p:MsgId>M</p:MsgId><p:X xmlns:p="urn:x"/>"#),
        // The default namespace rebound on an element with content.
        format!(
            r#"<Document xmlns="{ns}"><FIToFIPmtStsRpt><GrpHdr><MsgId>M</MsgId><X xmlns="urn:x"><MsgId>Z</MsgId></X>{}</GrpHdr></FIToFIPmtStsRpt></Document>"#,
            dt.replace("p:", "")
        ),
    ];
    for xml in cases {
        assert_eq!(strict(xml.as_bytes()).unwrap_err().code(), ErrorCode::UnknownElement, "{xml}");
        let parsed = lenient(xml.as_bytes());
        assert_eq!(
            codes(&parsed.findings),
            [(ErrorCode::UnknownElement, "/Document/FIToFIPmtStsRpt/GrpHdr/X")],
            "{xml}"
        );
        let Document::Pacs002(doc) = &parsed.message.document else { panic!("not pacs.002") };
        assert_eq!(doc.fi_to_fi_pmt_sts_rpt.grp_hdr.msg_id, "M");
        assert_eq!(doc.fi_to_fi_pmt_sts_rpt.grp_hdr.cre_dt_tm, "2026-01-01T00:00:00Z");
    }
    // An undeclared prefix is malformed, as before.
    let undeclared = prefixed.replace("<p:MsgId>M</p:MsgId>", "<p:MsgId>M</p:MsgId><q:X/>");
    assert_eq!(strict(undeclared.as_bytes()).unwrap_err().code(), ErrorCode::MalformedMessage);
}
