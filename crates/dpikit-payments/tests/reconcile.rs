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

// Short names (b: batch, m: message, d: document, x: notification, s: summary) keep each
// step of these edits on one line.
#[allow(clippy::many_single_char_names)]
mod pages {
    use super::{batch, common, e2e, xml};
    use common::Answer;
    use dpikit_core::ErrorCode;
    use dpikit_payments::iso::generated::{
        AmountAndDirection35, NumberAndSumOfTransactions1, NumberAndSumOfTransactions4,
        Pagination1, TotalTransactions6,
    };
    use dpikit_payments::iso::{self, Document, Message};
    use dpikit_payments::reconcile::{Status, reconcile_xml};
    use dpikit_payments::validate::validate;

    /// The totals of `n` debit entries of `b`'s first `n` payments, as a bank writes them.
    fn summary(b: &dpikit_payments::bulk::Batch, n: usize) -> TotalTransactions6 {
        let sum: rust_decimal::Decimal =
            b.payments().take(n).map(|p| p.beneficiary.amount.value()).sum();
        let sum: dpikit_payments::money::Amount = sum.to_string().parse().unwrap();
        TotalTransactions6 {
            ttl_ntries: Some(NumberAndSumOfTransactions4 {
                nb_of_ntries: Some(n.to_string()),
                sum: Some(sum),
                ttl_net_ntry: Some(AmountAndDirection35 { amt: sum, cdt_dbt_ind: "DBIT".into() }),
            }),
            ttl_dbt_ntries: Some(NumberAndSumOfTransactions1 {
                nb_of_ntries: Some(n.to_string()),
                sum: Some(sum),
            }),
            ..TotalTransactions6::default()
        }
    }

    /// A camt.054 notification `NTF-P` of every payment of `b` (all booked), split into
    /// pages of `per_page` entries, each page its own message; the last page carries the
    /// summary. Each page is XSD-checked with xmllint.
    fn paged(b: &dpikit_payments::bulk::Batch, per_page: usize) -> Vec<(Message, String)> {
        let whole = common::camt054_answer(b, "ALL", &[], None);
        let Document::Camt054(d) = &whole.document else { unreachable!() };
        let entries = d.bk_to_cstmr_dbt_cdt_ntfctn.ntfctn[0].ntry.clone();
        let chunks: Vec<_> = entries.chunks(per_page).collect();
        let last = chunks.len();
        let mut out = Vec::new();
        for (i, chunk) in chunks.into_iter().enumerate() {
            let mut m = whole.clone();
            let Document::Camt054(d) = &mut m.document else { unreachable!() };
            let n = &mut d.bk_to_cstmr_dbt_cdt_ntfctn;
            n.grp_hdr.msg_id = format!("PAGE-{}", i + 1);
            let x = &mut n.ntfctn[0];
            x.id = "NTF-P".into();
            x.ntfctn_pgntn = Some(Pagination1 {
                pg_nb: (i + 1).to_string(),
                last_pg_ind: (i + 1 == last).to_string(),
            });
            x.ntry = chunk.to_vec();
            x.txs_summry = (i + 1 == last).then(|| summary(b, entries.len()));
            let s = xml(&m, &format!("camt054-page-{}.xml", i + 1));
            out.push((m, s));
        }
        out
    }

    fn codes(f: &[dpikit_payments::Finding]) -> Vec<(ErrorCode, &str)> {
        f.iter().map(|f| (f.code, f.location.as_str())).collect()
    }

    #[test]
    fn a_statement_over_three_pages_reconciles_and_each_page_validates_clean() {
        let b = batch(7);
        let pages = paged(&b, 3);
        assert_eq!(pages.len(), 3);
        for (_, s) in &pages {
            let p = iso::parse(s.as_bytes(), &iso::ParseOptions::default()).unwrap();
            assert!(validate(&p.message).is_empty(), "{:?}", validate(&p.message));
        }
        // Any page order: pages are joined by the notification id.
        let xs: Vec<&[u8]> = pages.iter().rev().map(|(_, s)| s.as_bytes()).collect();
        let r = reconcile_xml(&b, &xs).unwrap();
        assert!(r.mismatches.is_empty(), "{:?}", r.mismatches);
        assert_eq!((r.settled.count, r.pending.count), (7, 0));
    }

    #[test]
    fn missing_repeated_and_unfinished_pages_are_mismatches() {
        let b = batch(7);
        let pages = paged(&b, 3);
        let loc = "/Document/BkToCstmrDbtCdtNtfctn/Ntfctn[1]";
        // Page 2 missing: its payments stay pending.
        let r = reconcile_xml(&b, &[pages[0].1.as_bytes(), pages[2].1.as_bytes()]).unwrap();
        assert_eq!(codes(&r.mismatches), [(ErrorCode::ReconciliationMismatch, loc)]);
        assert_eq!(r.status_of(&e2e(&b, 3)), Some(&Status::Pending));
        assert_eq!(r.settled.count, 4);
        // No page with LastPgInd true yet.
        let r = reconcile_xml(&b, &[pages[0].1.as_bytes(), pages[1].1.as_bytes()]).unwrap();
        assert_eq!(codes(&r.mismatches), [(ErrorCode::ReconciliationMismatch, loc)]);
        // A page given twice.
        let all: Vec<&[u8]> = [0, 1, 1, 2].iter().map(|&i| pages[i].1.as_bytes()).collect();
        let r = reconcile_xml(&b, &all).unwrap();
        assert_eq!(codes(&r.mismatches), [(ErrorCode::ReconciliationMismatch, loc)]);
        // A page after the last one.
        let mut extra = pages[1].0.clone();
        let Document::Camt054(d) = &mut extra.document else { unreachable!() };
        d.bk_to_cstmr_dbt_cdt_ntfctn.ntfctn[0].ntfctn_pgntn.as_mut().unwrap().pg_nb = "4".into();
        let extra = xml(&extra, "camt054-page-4.xml");
        let all: Vec<&[u8]> =
            pages.iter().map(|(_, s)| s.as_bytes()).chain([extra.as_bytes()]).collect();
        let r = reconcile_xml(&b, &all).unwrap();
        assert_eq!(codes(&r.mismatches), [(ErrorCode::ReconciliationMismatch, loc)]);
    }

    #[test]
    fn summary_totals_are_checked_across_pages() {
        let b = batch(7);
        let mut pages = paged(&b, 3);
        let (m, _) = &mut pages[2];
        let Document::Camt054(d) = &mut m.document else { unreachable!() };
        let s = d.bk_to_cstmr_dbt_cdt_ntfctn.ntfctn[0].txs_summry.as_mut().unwrap();
        s.ttl_ntries.as_mut().unwrap().nb_of_ntries = Some("6".into());
        pages[2].1 = xml(&pages[2].0, "camt054-page-3-bad.xml");
        let xs: Vec<&[u8]> = pages.iter().map(|(_, s)| s.as_bytes()).collect();
        let r = reconcile_xml(&b, &xs).unwrap();
        assert_eq!(
            codes(&r.mismatches),
            [(
                ErrorCode::ReconciliationMismatch,
                "/Document/BkToCstmrDbtCdtNtfctn/Ntfctn[1]/TxsSummry/TtlNtries/NbOfNtries"
            )]
        );
        // Page 3 alone is not the whole report: validate does not check its totals.
        assert!(validate(&pages[2].0).is_empty());
    }

    #[test]
    fn a_single_page_summary_and_page_number_are_validated() {
        let b = batch(4);
        let mut m = common::camt054_answer(&b, "ONE", &[Answer::Settled; 4], None);
        let Document::Camt054(d) = &mut m.document else { unreachable!() };
        let x = &mut d.bk_to_cstmr_dbt_cdt_ntfctn.ntfctn[0];
        x.txs_summry = Some(summary(&b, 4));
        let clean = xml(&m, "camt054-summary.xml");
        let p = iso::parse(clean.as_bytes(), &iso::ParseOptions::default()).unwrap();
        assert!(validate(&p.message).is_empty());

        let Document::Camt054(d) = &mut m.document else { unreachable!() };
        let x = &mut d.bk_to_cstmr_dbt_cdt_ntfctn.ntfctn[0];
        let s = x.txs_summry.as_mut().unwrap();
        let t = s.ttl_ntries.as_mut().unwrap();
        t.nb_of_ntries = Some("5".into());
        t.ttl_net_ntry.as_mut().unwrap().cdt_dbt_ind = "CRDT".into();
        s.ttl_dbt_ntries.as_mut().unwrap().sum = Some("1.00".parse().unwrap());
        x.ntfctn_pgntn = Some(Pagination1 { pg_nb: "0".into(), last_pg_ind: "true".into() });
        let bad = xml(&m, "camt054-summary-bad.xml");
        let p = iso::parse(bad.as_bytes(), &iso::ParseOptions::default()).unwrap();
        let loc = "/Document/BkToCstmrDbtCdtNtfctn/Ntfctn";
        let f = validate(&p.message);
        assert_eq!(
            codes(&f),
            [(ErrorCode::FacetViolation, format!("{loc}/NtfctnPgntn/PgNb").as_str())],
            "page 0 is not the whole report, so its totals are not checked: {f:?}"
        );
        // As page 1 of 1 the totals are checked.
        let Document::Camt054(d) = &mut m.document else { unreachable!() };
        d.bk_to_cstmr_dbt_cdt_ntfctn.ntfctn[0].ntfctn_pgntn.as_mut().unwrap().pg_nb = "1".into();
        let f = validate(&m);
        let want = [
            (ErrorCode::NumberOfTxsMismatch, format!("{loc}/TxsSummry/TtlNtries/NbOfNtries")),
            (ErrorCode::ControlSumMismatch, format!("{loc}/TxsSummry/TtlNtries/TtlNetNtry")),
            (ErrorCode::ControlSumMismatch, format!("{loc}/TxsSummry/TtlDbtNtries/Sum")),
        ];
        let got: Vec<(ErrorCode, String)> =
            f.iter().map(|f| (f.code, f.location.clone())).collect();
        assert_eq!(got, want);
    }
}
