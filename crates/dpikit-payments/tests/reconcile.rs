//! Reconciliation of pacs.002, pain.002 and camt.054 answers back to a bulk batch. The
//! simulated answers are built from the typed models, checked with xmllint against the
//! official XSDs, and parsed back before reconciling.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::Answer;
use dpikit_core::ErrorCode;
use dpikit_payments::bulk::{self, Account, Batch, BatchConfig, Beneficiary};
use dpikit_payments::iso::Message;
use dpikit_payments::reconcile::{Status, reconcile, reconcile_xml};

fn batch(n: usize) -> Batch {
    let c = BatchConfig::new(
        "SUBSIDY-2026-11",
        "2026-11-29T08:00:00Z",
        "2026-12-01",
        "City of Example Treasury",
        Account::Iban("DE89370400440532013000".into()),
    );
    let ben = (0..n)
        .map(|i| Beneficiary {
            id: format!("R{i:04}"),
            name: format!("Resident {i}"),
            account: Account::Msisdn(format!("+2507880{i:05}")),
            amount: format!("{}.{:02}", 100 + i, i % 100).parse().unwrap(),
            currency: if i % 3 == 0 { "EUR" } else { "USD" }.into(),
            reference: "Nov subsidy".into(),
            execution_date: None,
            provider: None,
        })
        .collect();
    let out = bulk::build(&c, ben).unwrap();
    assert!(out.errors.is_empty());
    out.batch
}

/// Serialises, validates with xmllint and returns the XML.
fn xml(msg: &Message, name: &str) -> String {
    let xml = msg.document.to_xml().unwrap();
    if let Some(xsd) = common::xsd(msg.document.kind().id()) {
        common::xmllint(&xml, &xsd, name);
    }
    xml
}

fn e2e(b: &Batch, i: usize) -> String {
    b.payments().nth(i).unwrap().end_to_end_id.clone()
}

#[test]
fn pacs002_statuses_totals_and_unknown_references() {
    let b = batch(6);
    let answers = [
        Answer::Settled,
        Answer::Rejected("AC04"),
        Answer::Pending,
        Answer::Rejected("AM04"),
        Answer::Silent,
    ];
    let msg = common::pacs002_answer(&b, "BANK-STS-1", &answers, &["NOT-IN-BATCH"]);
    let x = xml(&msg, "sim-pacs002.xml");
    let r = reconcile_xml(&b, &[x.as_bytes()]).unwrap();
    assert_eq!(r.status_of(&e2e(&b, 0)), Some(&Status::Settled));
    assert_eq!(r.status_of(&e2e(&b, 1)), Some(&Status::Rejected { reason: Some("AC04".into()) }));
    assert_eq!(r.status_of(&e2e(&b, 2)), Some(&Status::Pending));
    assert_eq!(r.status_of(&e2e(&b, 3)), Some(&Status::Rejected { reason: Some("AM04".into()) }));
    assert_eq!(r.status_of(&e2e(&b, 4)), Some(&Status::Pending));
    assert_eq!(r.status_of(&e2e(&b, 5)), Some(&Status::Settled));
    assert_eq!((r.settled.count, r.rejected.count, r.pending.count), (2, 2, 2));
    // Exact sums per currency, recomputed independently.
    let mut want = std::collections::BTreeMap::<(u8, String), rust_decimal::Decimal>::new();
    for (p, s) in b.payments().zip(&r.payments) {
        let k = match s.status {
            Status::Settled => 0,
            Status::Rejected { .. } => 1,
            Status::Pending => 2,
        };
        *want.entry((k, p.beneficiary.currency.clone())).or_default() +=
            p.beneficiary.amount.value();
    }
    for (k, totals) in [(0, &r.settled), (1, &r.rejected), (2, &r.pending)] {
        for (ccy, amount) in &totals.amounts {
            assert_eq!(amount.value(), want[&(k, ccy.clone())], "{k} {ccy}");
        }
    }
    assert_eq!(r.unknown.len(), 1);
    assert_eq!(r.unknown[0].reference, "NOT-IN-BATCH");
    assert_eq!(r.unknown[0].source, "BANK-STS-1");
    assert_eq!(r.unknown[0].location, "/Document/FIToFIPmtStsRpt/TxInfAndSts[6]");
    assert!(r.mismatches.is_empty());
}

#[test]
fn camt054_booked_returned_pending_and_amount_mismatch() {
    let b = batch(4);
    let answers = [Answer::Settled, Answer::Rejected("AC01"), Answer::Pending, Answer::Settled];
    let msg = common::camt054_answer(&b, "NTF-1", &answers, Some((3, "1.00")));
    let x = xml(&msg, "sim-camt054.xml");
    let r = reconcile_xml(&b, &[x.as_bytes()]).unwrap();
    assert_eq!(r.status_of(&e2e(&b, 0)), Some(&Status::Settled));
    assert_eq!(r.status_of(&e2e(&b, 1)), Some(&Status::Rejected { reason: Some("AC01".into()) }));
    assert_eq!(r.status_of(&e2e(&b, 2)), Some(&Status::Pending));
    assert_eq!(r.status_of(&e2e(&b, 3)), Some(&Status::Settled));
    assert_eq!(r.mismatches.len(), 1);
    assert_eq!(r.mismatches[0].code, ErrorCode::ReconciliationMismatch);
    assert_eq!(
        r.mismatches[0].location,
        "/Document/BkToCstmrDbtCdtNtfctn/Ntfctn[1]/Ntry[4]/NtryDtls[1]/TxDtls[1]/Amt"
    );
}

#[test]
fn final_statuses_are_not_undone_by_pending_but_a_return_wins() {
    let b = batch(2);
    let sts = common::pacs002_answer(&b, "S1", &[Answer::Settled, Answer::Settled], &[]);
    let pending = common::camt054_answer(&b, "N1", &[Answer::Pending, Answer::Pending], None);
    let returned =
        common::camt054_answer(&b, "N2", &[Answer::Silent, Answer::Rejected("MD07")], None);
    let r = reconcile(&b, &[&sts, &pending, &returned]);
    assert_eq!(r.payments[0].status, Status::Settled);
    assert_eq!(r.payments[0].source.as_deref(), Some("S1"));
    assert_eq!(r.payments[1].status, Status::Rejected { reason: Some("MD07".into()) });
    assert_eq!(r.payments[1].source.as_deref(), Some("N2"));
}

fn pain002(b: &Batch, orgnl_msg_id: &str, grp: &str, blocks: &str) -> String {
    let first_block = &b.blocks[0];
    let tx = &first_block.payments[0].end_to_end_id;
    let xml = format!(
        r#"<Document xmlns="urn:iso:std:iso:20022:tech:xsd:pain.002.001.10"><CstmrPmtStsRpt>
<GrpHdr><MsgId>P2-1</MsgId><CreDtTm>2026-11-30T09:00:00Z</CreDtTm></GrpHdr>
<OrgnlGrpInfAndSts><OrgnlMsgId>{orgnl_msg_id}</OrgnlMsgId><OrgnlMsgNmId>pain.001.001.09</OrgnlMsgNmId><GrpSts>{grp}</GrpSts></OrgnlGrpInfAndSts>
<OrgnlPmtInfAndSts><OrgnlPmtInfId>{}</OrgnlPmtInfId><PmtInfSts>{blocks}</PmtInfSts><StsRsnInf><Rsn><Cd>AM05</Cd></Rsn></StsRsnInf>
<TxInfAndSts><OrgnlEndToEndId>{tx}</OrgnlEndToEndId><TxSts>ACCP</TxSts></TxInfAndSts></OrgnlPmtInfAndSts>
<OrgnlPmtInfAndSts><OrgnlPmtInfId>NO-SUCH-BLOCK</OrgnlPmtInfId><PmtInfSts>RJCT</PmtInfSts></OrgnlPmtInfAndSts>
</CstmrPmtStsRpt></Document>"#,
        first_block.id
    );
    if let Some(xsd) = common::xsd("pain.002.001.10") {
        common::xmllint(&xml, &xsd, "sim-pain002.xml");
    }
    xml
}

#[test]
fn pain002_group_block_and_transaction_levels() {
    let b = batch(6);
    assert_eq!(b.blocks.len(), 2);
    let x = pain002(&b, "SUBSIDY-2026-11", "PART", "RJCT");
    let r = reconcile_xml(&b, &[x.as_bytes()]).unwrap();
    let first = &b.blocks[0];
    for (k, p) in first.payments.iter().enumerate() {
        let want =
            if k == 0 { Status::Pending } else { Status::Rejected { reason: Some("AM05".into()) } };
        assert_eq!(r.status_of(&p.end_to_end_id), Some(&want), "{k}");
    }
    for p in &b.blocks[1].payments {
        assert_eq!(r.status_of(&p.end_to_end_id), Some(&Status::Pending));
    }
    assert_eq!(r.unknown.len(), 1);
    assert_eq!(r.unknown[0].reference, "NO-SUCH-BLOCK");

    // A report about another message changes nothing and is reported.
    let other = pain002(&b, "SOMETHING-ELSE", "RJCT", "RJCT");
    let r = reconcile_xml(&b, &[other.as_bytes()]).unwrap();
    assert_eq!(r.pending.count, 6);
    assert_eq!(r.mismatches[0].code, ErrorCode::ReconciliationMismatch);
    assert_eq!(r.mismatches[0].location, "/Document/CstmrPmtStsRpt/OrgnlGrpInfAndSts/OrgnlMsgId");
}

#[test]
fn a_stored_pain001_reconciles_like_the_batch() {
    let b = batch(5);
    let xml = b.to_pain001_xml().unwrap();
    let parsed =
        dpikit_payments::iso::parse(xml.as_bytes(), &dpikit_payments::iso::ParseOptions::default())
            .unwrap();
    let stored = Batch::from_pain001(&parsed.message).unwrap();
    let answers = [Answer::Settled, Answer::Rejected("AC04"), Answer::Pending];
    let msg = common::pacs002_answer(&b, "S", &answers, &[]);
    let (r1, r2) = (reconcile(&b, &[&msg]), reconcile(&stored, &[&msg]));
    let st = |r: &dpikit_payments::reconcile::Reconciliation| {
        r.payments.iter().map(|p| (p.end_to_end_id.clone(), p.status.clone())).collect::<Vec<_>>()
    };
    assert_eq!(st(&r1), st(&r2));
    assert_eq!(r1.settled, r2.settled);
    assert_eq!(r1.rejected, r2.rejected);
    assert_eq!(stored.payments().next().unwrap().beneficiary.id, "R0000");
}

#[test]
fn non_status_documents_are_reported_and_bad_xml_is_an_error() {
    let b = batch(1);
    let pain001 = b.to_pain001().unwrap();
    let r = reconcile(&b, &[&pain001]);
    assert_eq!(r.mismatches.len(), 1);
    assert_eq!(r.pending.count, 1);
    let err = reconcile_xml(&b, &[b"<Document>".as_slice()]).unwrap_err();
    assert_eq!(err.code(), ErrorCode::MalformedMessage);
}
