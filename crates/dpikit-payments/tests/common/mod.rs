//! Helpers shared by the integration tests: XSD paths and the xmllint oracle.
#![allow(dead_code, clippy::unwrap_used, clippy::expect_used, clippy::too_many_lines)]

use std::path::{Path, PathBuf};
use std::process::Command;

/// The XSD of `kind` (e.g. `pain.001.001.09`) from ../shared/vectors, if present.
pub(crate) fn xsd(kind: &str) -> Option<PathBuf> {
    dpikit_testkit::vectors_dir("payments/iso20022/xsd").map(|d| d.join(format!("{kind}.xsd")))
}

/// Validates `xml` against `xsd` with xmllint; skips (with a note) when xmllint is missing,
/// unless DPIKIT_REQUIRE_XMLLINT is set (CI).
pub(crate) fn xmllint(xml: &str, xsd: &Path, name: &str) {
    let dir = std::env::temp_dir().join(format!("dpikit-payments-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join(name);
    std::fs::write(&file, xml).unwrap();
    match Command::new("xmllint").arg("--noout").arg("--schema").arg(xsd).arg(&file).output() {
        Ok(out) => assert!(
            out.status.success(),
            "xmllint rejected {name}: {}\n{}",
            String::from_utf8_lossy(&out.stderr),
            &xml[..xml.len().min(4000)]
        ),
        Err(e) => {
            assert!(std::env::var_os("DPIKIT_REQUIRE_XMLLINT").is_none(), "xmllint: {e}");
            eprintln!("xmllint not available ({e}); skipped XSD check of {name}");
        }
    }
}

use dpikit_payments::bulk::Batch;
use dpikit_payments::iso::generated::{
    AccountIdentification4Choice, AccountNotification17, ActiveOrHistoricCurrencyAndAmount,
    BankToCustomerDebitCreditNotificationV08, BankTransactionCodeStructure4,
    BankTransactionCodeStructure5, BankTransactionCodeStructure6, CashAccount39, EntryDetails9,
    EntryStatus1Choice, EntryTransaction10, FIToFIPaymentStatusReportV10, GroupHeader81,
    GroupHeader91, PaymentReturnReason5, PaymentTransaction110, ReportEntry10, ReturnReason5Choice,
    StatusReason6Choice, StatusReasonInformation12, TransactionReferences6, camt_054_001_08,
    pacs_002_001_10,
};
use dpikit_payments::iso::{Choice, Document, Message};

/// A simulated bank answer for one payment.
#[derive(Clone, Copy)]
pub(crate) enum Answer<'a> {
    /// Settled (pacs.002 `ACSC`, camt.054 booked debit).
    Settled,
    /// Rejected (pacs.002 `RJCT` with this reason; camt.054 return with this reason).
    Rejected(&'a str),
    /// Pending (pacs.002 `ACSP`, camt.054 entry status `PDNG`).
    Pending,
    /// No answer.
    Silent,
}

/// Builds a pacs.002.001.10 answer: `answers[i]` for the i-th payment of the batch
/// (missing = settled), plus `extra` unknown end-to-end ids.
pub(crate) fn pacs002_answer(
    batch: &Batch,
    msg_id: &str,
    answers: &[Answer<'_>],
    extra: &[&str],
) -> Message {
    let mut txs = Vec::new();
    let tx = |e2e: &str, sts: &str, rsn: Option<&str>| PaymentTransaction110 {
        orgnl_end_to_end_id: Some(e2e.to_owned()),
        tx_sts: Some(sts.to_owned()),
        sts_rsn_inf: rsn
            .map(|r| StatusReasonInformation12 {
                rsn: Some(Choice::new(StatusReason6Choice::Cd(r.to_owned()))),
                ..StatusReasonInformation12::default()
            })
            .into_iter()
            .collect(),
        ..PaymentTransaction110::default()
    };
    for (i, p) in batch.payments().enumerate() {
        match answers.get(i).copied().unwrap_or(Answer::Settled) {
            Answer::Settled => txs.push(tx(&p.end_to_end_id, "ACSC", None)),
            Answer::Rejected(r) => txs.push(tx(&p.end_to_end_id, "RJCT", Some(r))),
            Answer::Pending => txs.push(tx(&p.end_to_end_id, "ACSP", None)),
            Answer::Silent => {}
        }
    }
    for e in extra {
        txs.push(tx(e, "ACSC", None));
    }
    let doc = pacs_002_001_10::Document {
        fi_to_fi_pmt_sts_rpt: FIToFIPaymentStatusReportV10 {
            grp_hdr: GroupHeader91 {
                msg_id: msg_id.to_owned(),
                cre_dt_tm: "2026-12-01T10:00:00Z".to_owned(),
                ..GroupHeader91::default()
            },
            tx_inf_and_sts: txs,
            ..FIToFIPaymentStatusReportV10::default()
        },
    };
    Message { header: None, document: Document::Pacs002(Box::new(doc)) }
}

/// Builds a camt.054.001.08 debit notification on the debtor account: one entry per payment
/// (`answers[i]`, missing = settled); `amount_override` replaces the booked amount of one
/// payment (to simulate a mismatch).
pub(crate) fn camt054_answer(
    batch: &Batch,
    msg_id: &str,
    answers: &[Answer<'_>],
    amount_override: Option<(usize, &str)>,
) -> Message {
    let mut entries = Vec::new();
    for (i, p) in batch.payments().enumerate() {
        let answer = answers.get(i).copied().unwrap_or(Answer::Settled);
        if matches!(answer, Answer::Silent) {
            continue;
        }
        let amount = match amount_override {
            Some((k, a)) if k == i => a.parse().unwrap(),
            _ => p.beneficiary.amount,
        };
        let amt = ActiveOrHistoricCurrencyAndAmount {
            ccy: p.beneficiary.currency.clone(),
            value: amount,
        };
        let (cd, cdt_dbt, rtr) = match answer {
            Answer::Rejected(r) => (
                "BOOK",
                "CRDT",
                Some(PaymentReturnReason5 {
                    rsn: Some(Choice::new(ReturnReason5Choice::Cd(r.to_owned()))),
                    ..PaymentReturnReason5::default()
                }),
            ),
            Answer::Pending => ("PDNG", "DBIT", None),
            _ => ("BOOK", "DBIT", None),
        };
        entries.push(ReportEntry10 {
            ntry_ref: None,
            amt: amt.clone(),
            cdt_dbt_ind: cdt_dbt.to_owned(),
            rvsl_ind: None,
            sts: Choice::new(EntryStatus1Choice::Cd(cd.to_owned())),
            bookg_dt: None,
            val_dt: None,
            acct_svcr_ref: None,
            avlbty: Vec::new(),
            bk_tx_cd: BankTransactionCodeStructure4 {
                domn: Some(BankTransactionCodeStructure5 {
                    cd: "PMNT".to_owned(),
                    fmly: BankTransactionCodeStructure6 {
                        cd: "ICDT".to_owned(),
                        sub_fmly_cd: "ESCT".to_owned(),
                    },
                }),
                prtry: None,
            },
            comssn_wvr_ind: None,
            addtl_inf_ind: None,
            amt_dtls: None,
            chrgs: None,
            tech_inpt_chanl: None,
            intrst: None,
            card_tx: None,
            ntry_dtls: vec![EntryDetails9 {
                btch: None,
                tx_dtls: vec![EntryTransaction10 {
                    refs: Some(TransactionReferences6 {
                        end_to_end_id: Some(p.end_to_end_id.clone()),
                        uetr: Some(p.uetr.clone()),
                        ..TransactionReferences6::default()
                    }),
                    amt: Some(amt),
                    cdt_dbt_ind: Some(cdt_dbt.to_owned()),
                    rtr_inf: rtr,
                    ..EntryTransaction10::default()
                }],
            }],
            addtl_ntry_inf: None,
        });
    }
    let acct = CashAccount39 {
        id: Choice::new(AccountIdentification4Choice::IBAN(
            batch.config.debtor_account.id().to_owned(),
        )),
        tp: None,
        ccy: None,
        nm: None,
        prxy: None,
        ownr: None,
        svcr: None,
    };
    let doc = camt_054_001_08::Document {
        bk_to_cstmr_dbt_cdt_ntfctn: BankToCustomerDebitCreditNotificationV08 {
            grp_hdr: GroupHeader81 {
                msg_id: msg_id.to_owned(),
                cre_dt_tm: "2026-12-01T18:00:00Z".to_owned(),
                ..GroupHeader81::default()
            },
            ntfctn: vec![AccountNotification17 {
                id: format!("{msg_id}-1"),
                ntfctn_pgntn: None,
                elctrnc_seq_nb: None,
                rptg_seq: None,
                lgl_seq_nb: None,
                cre_dt_tm: None,
                fr_to_dt: None,
                cpy_dplct_ind: None,
                rptg_src: None,
                acct,
                rltd_acct: None,
                intrst: Vec::new(),
                txs_summry: None,
                ntry: entries,
                addtl_ntfctn_inf: None,
            }],
            ..BankToCustomerDebitCreditNotificationV08::default()
        },
    };
    Message { header: None, document: Document::Camt054(Box::new(doc)) }
}
