//! Reconciliation: status reports (pacs.002, pain.002) and account notifications or
//! statements (camt.054, camt.053) matched back to a [`Batch`]: a status per beneficiary,
//! totals per status, references the batch does not know, and amount mismatches.
//!
//! Matching uses the original end-to-end id, then the UETR; a pain.002 group or payment-block
//! status applies to every payment it covers unless a transaction-level status says
//! otherwise; a camt entry booked for a whole payment block (`NtryDtls/Btch/PmtInfId`, no
//! transaction details) applies to the block. A final status (settled, rejected) is never
//! replaced by a pending one; a later final status replaces an earlier one (a return after
//! settlement is a rejection).
//!
//! Status codes: `ACSC`, `ACCC` = settled; `RJCT` = rejected (reason from `StsRsnInf/Rsn`);
//! any other (`ACSP`, `ACTC`, `ACCP`, `ACWC`, `PDNG`, `RCVD`, …) = pending. camt entries:
//! `BOOK` = settled, a reversal (`RvslInd`) or return (`RtrInf`) = rejected, other = pending.

use std::collections::{BTreeMap, HashMap};

use dpikit_core::ErrorCode;
use rust_decimal::Decimal;
use serde::Serialize;

use crate::bulk::Batch;
use crate::iso::generated::{
    EntryStatus1Choice, Pagination1, ReportEntry10, ReturnReason5Choice, StatusReason6Choice,
    StatusReasonInformation12, TotalTransactions6,
};
use crate::iso::{Document, Message, ParseOptions};
use crate::money::Amount;
use crate::{Finding, PaymentError};

/// The state of one payment.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "status", rename_all = "snake_case")]
pub enum Status {
    /// Settled (booked) at the bank or switch.
    Settled,
    /// Rejected or returned, with the ISO reason code when one was given (e.g. `AC01`).
    Rejected {
        /// The reason code (`Cd` or `Prtry`).
        reason: Option<String>,
    },
    /// No final answer yet.
    Pending,
}

impl Status {
    const fn is_final(&self) -> bool {
        !matches!(self, Self::Pending)
    }
}

/// The reconciled state of one payment of the batch.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PaymentStatus {
    /// The payment's end-to-end id.
    pub end_to_end_id: String,
    /// The beneficiary's id.
    pub beneficiary_id: String,
    /// The input row of the beneficiary.
    pub row: usize,
    /// The amount in the batch.
    pub amount: Amount,
    /// The currency.
    pub currency: String,
    /// The reconciled status.
    pub status: Status,
    /// The `MsgId` of the report that set the status, if any.
    pub source: Option<String>,
}

/// Count and exact amounts (per currency) of the payments in one status.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize)]
pub struct StatusTotals {
    /// Number of payments.
    pub count: usize,
    /// Sum of the amounts per currency.
    pub amounts: BTreeMap<String, Amount>,
}

impl StatusTotals {
    fn add(&mut self, currency: &str, amount: Amount) {
        let e = self.amounts.entry(currency.to_owned()).or_default();
        // Batch amounts fit in 18 digits and a batch holds at most a few 100 000 rows, so the
        // sum stays far inside Decimal's 28 digits; saturate rather than panic regardless.
        *e = Amount::new(e.value().checked_add(amount.value()).unwrap_or(Decimal::MAX));
        self.count += 1;
    }
}

/// A reference in a report that matches no payment of the batch.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct UnknownReference {
    /// The `MsgId` of the report.
    pub source: String,
    /// The element path in the report.
    pub location: String,
    /// The unmatched end-to-end id, UETR or payment-block id.
    pub reference: String,
}

/// The result of [`reconcile`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Reconciliation {
    /// One entry per payment of the batch, in batch order.
    pub payments: Vec<PaymentStatus>,
    /// Totals of settled payments.
    pub settled: StatusTotals,
    /// Totals of rejected payments.
    pub rejected: StatusTotals,
    /// Totals of pending payments.
    pub pending: StatusTotals,
    /// References that match no payment.
    pub unknown: Vec<UnknownReference>,
    /// Disagreements between a report and the batch (amount, currency, original message
    /// id, unsupported report type), each with [`ErrorCode::ReconciliationMismatch`].
    pub mismatches: Vec<Finding>,
}

impl Reconciliation {
    /// Returns the status of the payment with this end-to-end id.
    ///
    /// # Examples
    ///
    /// See [`reconcile`].
    #[must_use]
    pub fn status_of(&self, end_to_end_id: &str) -> Option<&Status> {
        self.payments.iter().find(|p| p.end_to_end_id == end_to_end_id).map(|p| &p.status)
    }
}

struct State<'a> {
    batch: &'a Batch,
    by_e2e: HashMap<&'a str, usize>,
    by_uetr: HashMap<&'a str, usize>,
    blocks: HashMap<&'a str, Vec<usize>>,
    out: Vec<PaymentStatus>,
    unknown: Vec<UnknownReference>,
    mismatches: Vec<Finding>,
}

/// The pages of one paginated statement or notification, joined by its `Id`.
#[derive(Default)]
struct PagedReport<'m> {
    /// Where the report was first seen (for the mismatch locations).
    location: String,
    /// Page number → (`LastPgInd`, `MsgId` of the message that carried it).
    pages: BTreeMap<u32, (bool, &'m str)>,
    /// Page numbers seen more than once, and page numbers that are not numbers.
    repeated: Vec<String>,
    summaries: Vec<(&'m TotalTransactions6, String)>,
    entries: Vec<&'m ReportEntry10>,
}

impl<'m> PagedReport<'m> {
    fn add(
        &mut self,
        pg: &'m Pagination1,
        src: &'m str,
        summary: Option<&'m TotalTransactions6>,
        entries: &'m [ReportEntry10],
        loc: String,
    ) {
        match crate::validate::page_number(pg) {
            Some(n) if !self.pages.contains_key(&n) => {
                self.pages.insert(n, (crate::validate::is_last_page(pg), src));
            }
            _ => self.repeated.push(pg.pg_nb.clone()),
        }
        if let Some(s) = summary {
            self.summaries.push((s, format!("{loc}/TxsSummry")));
        }
        if self.location.is_empty() {
            self.location = loc;
        }
        self.entries.extend(entries);
    }

    /// Mismatches of the joined pages: a page repeated, missing before the last, after the
    /// last, or no last page; when the pages are complete, `TxsSummry` against the entries
    /// of every page.
    fn check(&self, id: &str, out: &mut Vec<Finding>) {
        let mut problems = Vec::new();
        if !self.repeated.is_empty() {
            problems.push(format!("page(s) {} given more than once", self.repeated.join(", ")));
        }
        let last = self.pages.iter().find(|(_, (l, _))| *l).map(|(n, _)| *n);
        match last {
            None => problems.push("no page has LastPgInd true (more pages to come)".to_owned()),
            Some(last) => {
                let missing: Vec<String> = (1..=last)
                    .filter(|n| !self.pages.contains_key(n))
                    .map(|n| n.to_string())
                    .collect();
                if !missing.is_empty() {
                    problems.push(format!("page(s) {} missing", missing.join(", ")));
                }
                let after: Vec<String> =
                    self.pages.range(last + 1..).map(|(n, _)| n.to_string()).collect();
                if !after.is_empty() {
                    problems
                        .push(format!("page(s) {} after the last page {last}", after.join(", ")));
                }
            }
        }
        if !problems.is_empty() {
            // Totals are only meaningful over the complete report.
            out.extend(problems.into_iter().map(|p| Finding {
                code: ErrorCode::ReconciliationMismatch,
                location: self.location.clone(),
                message: format!("report {id:?}: {p}"),
            }));
            return;
        }
        for (s, loc) in &self.summaries {
            let mut found = Vec::new();
            crate::validate::summary_findings(s, self.entries.iter().copied(), loc, &mut found);
            out.extend(found.into_iter().map(|f| Finding {
                code: ErrorCode::ReconciliationMismatch,
                location: f.location,
                message: format!("report {id:?}, all pages: {}", f.message),
            }));
        }
    }
}

impl State<'_> {
    fn set(&mut self, i: usize, status: Status, source: &str) {
        let p = &mut self.out[i];
        if p.status.is_final() && !status.is_final() {
            return;
        }
        p.status = status;
        p.source = Some(source.to_owned());
    }

    fn lookup(
        &mut self,
        e2e: Option<&str>,
        uetr: Option<&str>,
        src: &str,
        loc: &str,
    ) -> Option<usize> {
        let hit = e2e
            .and_then(|e| self.by_e2e.get(e))
            .or_else(|| uetr.and_then(|u| self.by_uetr.get(u)))
            .copied();
        if hit.is_none() {
            let reference = e2e.or(uetr).unwrap_or("(none)").to_owned();
            self.unknown.push(UnknownReference {
                source: src.to_owned(),
                location: loc.to_owned(),
                reference,
            });
        }
        hit
    }

    fn mismatch(&mut self, location: String, message: String) {
        self.mismatches.push(Finding {
            code: ErrorCode::ReconciliationMismatch,
            location,
            message,
        });
    }

    fn check_amount(&mut self, i: usize, ccy: &str, amount: Amount, loc: &str) {
        let p = &self.out[i];
        if p.currency != ccy || p.amount.value() != amount.value() {
            let m = format!(
                "report says {amount} {ccy}, the batch has {} {} for {}",
                p.amount, p.currency, p.end_to_end_id
            );
            self.mismatch(loc.to_owned(), m);
        }
    }

    fn pain002(&mut self, d: &crate::iso::pain_002_001_10::Document) {
        let r = &d.cstmr_pmt_sts_rpt;
        let src = r.grp_hdr.msg_id.as_str();
        let g = &r.orgnl_grp_inf_and_sts;
        let base = "/Document/CstmrPmtStsRpt";
        if g.orgnl_msg_id != self.batch.config.batch_id {
            self.mismatch(
                format!("{base}/OrgnlGrpInfAndSts/OrgnlMsgId"),
                format!(
                    "report is about message {:?}, not batch {:?}",
                    g.orgnl_msg_id, self.batch.config.batch_id
                ),
            );
            return;
        }
        // Within one report the most specific level wins: group, then block, then transaction.
        let mut decided: BTreeMap<usize, Status> = BTreeMap::new();
        if let Some(s) = g.grp_sts.as_deref().and_then(|c| status(c, &g.sts_rsn_inf)) {
            for i in 0..self.out.len() {
                decided.insert(i, s.clone());
            }
        }
        for (k, pi) in r.orgnl_pmt_inf_and_sts.iter().enumerate() {
            let ploc = format!("{base}/OrgnlPmtInfAndSts[{}]", k + 1);
            let Some(members) = self.blocks.get(pi.orgnl_pmt_inf_id.as_str()).cloned() else {
                self.unknown.push(UnknownReference {
                    source: src.to_owned(),
                    location: format!("{ploc}/OrgnlPmtInfId"),
                    reference: pi.orgnl_pmt_inf_id.clone(),
                });
                continue;
            };
            if let Some(s) = pi.pmt_inf_sts.as_deref().and_then(|c| status(c, &pi.sts_rsn_inf)) {
                for &i in &members {
                    decided.insert(i, s.clone());
                }
            }
            for (j, tx) in pi.tx_inf_and_sts.iter().enumerate() {
                let loc = format!("{ploc}/TxInfAndSts[{}]", j + 1);
                let Some(i) = self.lookup(
                    tx.orgnl_end_to_end_id.as_deref(),
                    tx.orgnl_uetr.as_deref(),
                    src,
                    &loc,
                ) else {
                    continue;
                };
                if let Some(s) = tx.tx_sts.as_deref().and_then(|c| status(c, &tx.sts_rsn_inf)) {
                    decided.insert(i, s);
                }
            }
        }
        for (i, s) in decided {
            self.set(i, s, src);
        }
    }

    fn pacs002(&mut self, d: &crate::iso::pacs_002_001_10::Document) {
        let r = &d.fi_to_fi_pmt_sts_rpt;
        let src = r.grp_hdr.msg_id.as_str();
        for (j, tx) in r.tx_inf_and_sts.iter().enumerate() {
            let loc = format!("/Document/FIToFIPmtStsRpt/TxInfAndSts[{}]", j + 1);
            let Some(i) =
                self.lookup(tx.orgnl_end_to_end_id.as_deref(), tx.orgnl_uetr.as_deref(), src, &loc)
            else {
                continue;
            };
            if let Some(s) = tx.tx_sts.as_deref().and_then(|c| status(c, &tx.sts_rsn_inf)) {
                self.set(i, s, src);
            }
        }
    }

    fn entries<'e>(
        &mut self,
        src: &str,
        entries: impl Iterator<Item = (String, &'e ReportEntry10)>,
    ) {
        for (loc, e) in entries {
            let booked = match &e.sts.value {
                EntryStatus1Choice::Cd(c) | EntryStatus1Choice::Prtry(c) => c == "BOOK",
            };
            let reversal = e.rvsl_ind.as_deref().is_some_and(|v| v == "true" || v == "1");
            for (k, d) in e.ntry_dtls.iter().enumerate() {
                let dloc = format!("{loc}/NtryDtls[{}]", k + 1);
                if d.tx_dtls.is_empty() {
                    let Some(id) = d.btch.as_ref().and_then(|b| b.pmt_inf_id.as_deref()) else {
                        continue;
                    };
                    let Some(members) = self.blocks.get(id).cloned() else {
                        self.unknown.push(UnknownReference {
                            source: src.to_owned(),
                            location: format!("{dloc}/Btch/PmtInfId"),
                            reference: id.to_owned(),
                        });
                        continue;
                    };
                    let s = entry_status(booked, reversal, None);
                    for i in members {
                        self.set(i, s.clone(), src);
                    }
                    continue;
                }
                let single = e.ntry_dtls.len() == 1 && d.tx_dtls.len() == 1;
                for (j, tx) in d.tx_dtls.iter().enumerate() {
                    let tloc = format!("{dloc}/TxDtls[{}]", j + 1);
                    let refs = tx.refs.as_ref();
                    let Some(i) = self.lookup(
                        refs.and_then(|r| r.end_to_end_id.as_deref()),
                        refs.and_then(|r| r.uetr.as_deref()),
                        src,
                        &tloc,
                    ) else {
                        continue;
                    };
                    let reason = tx.rtr_inf.as_ref().map(|r| {
                        Returned(r.rsn.as_ref().map(|c| match &c.value {
                            ReturnReason5Choice::Cd(x) | ReturnReason5Choice::Prtry(x) => x.clone(),
                        }))
                    });
                    let s = entry_status(booked, reversal, reason);
                    if !matches!(s, Status::Rejected { .. }) {
                        match (&tx.amt, single) {
                            (Some(a), _) => {
                                self.check_amount(i, &a.ccy, a.value, &format!("{tloc}/Amt"));
                            }
                            (None, true) => {
                                self.check_amount(
                                    i,
                                    &e.amt.ccy,
                                    e.amt.value,
                                    &format!("{loc}/Amt"),
                                );
                            }
                            (None, false) => {}
                        }
                    }
                    self.set(i, s, src);
                }
            }
        }
    }
}

/// A return found in a camt entry: its reason code, if any.
struct Returned(Option<String>);

fn entry_status(booked: bool, reversal: bool, returned: Option<Returned>) -> Status {
    match returned {
        Some(Returned(reason)) => Status::Rejected { reason },
        None if reversal => Status::Rejected { reason: None },
        None if booked => Status::Settled,
        None => Status::Pending,
    }
}

fn status(code: &str, reasons: &[StatusReasonInformation12]) -> Option<Status> {
    Some(match code {
        "ACSC" | "ACCC" => Status::Settled,
        "RJCT" => Status::Rejected {
            reason: reasons.iter().find_map(|r| {
                r.rsn.as_ref().map(|c| match &c.value {
                    StatusReason6Choice::Cd(x) | StatusReason6Choice::Prtry(x) => x.clone(),
                })
            }),
        },
        "" => return None,
        _ => Status::Pending,
    })
}

/// Matches status reports and notifications back to `batch`.
///
/// Supported reports: pain.002.001.10, pacs.002.001.10, camt.054.001.08, camt.053.001.08;
/// any other document is listed in [`Reconciliation::mismatches`]. Reports are applied in the
/// order given.
///
/// A camt statement or notification split over several pages (`StmtPgntn`/`NtfctnPgntn`,
/// or the message's `MsgPgntn`) is joined by its `Id`: every page's entries count, and
/// [`Reconciliation::mismatches`] lists a page given twice, a page missing before the one
/// with `LastPgInd` true, a page after it, or no last page yet; when the pages are
/// complete, each `TxsSummry` is checked against the entries of all pages.
///
/// # Examples
///
/// ```
/// use dpikit_payments::bulk::{self, Account, BatchConfig, Beneficiary};
/// use dpikit_payments::iso::generated::{
///     FIToFIPaymentStatusReportV10, GroupHeader91, PaymentTransaction110, StatusReason6Choice,
///     StatusReasonInformation12, pacs_002_001_10,
/// };
/// use dpikit_payments::iso::{Choice, Document, Message};
/// use dpikit_payments::reconcile::{Status, reconcile};
///
/// let c = BatchConfig::new("B1", "2026-11-29T08:00:00Z", "2026-12-01", "City",
///     Account::Iban("DE89370400440532013000".into()));
/// let b = |id: &str, tel: &str| Beneficiary { id: id.into(), name: "N".into(),
///     account: Account::parse(tel), amount: "100".parse().unwrap(), currency: "RWF".into(),
///     reference: "Nov".into(), execution_date: None, provider: None };
/// let batch = bulk::build(&c, vec![b("A", "+250788000001"), b("B", "+250788000002")])?.batch;
/// let e2e: Vec<String> = batch.payments().map(|p| p.end_to_end_id.clone()).collect();
///
/// let tx = |e2e: &str, sts: &str, rsn: Option<&str>| PaymentTransaction110 {
///     orgnl_end_to_end_id: Some(e2e.into()),
///     tx_sts: Some(sts.into()),
///     sts_rsn_inf: rsn.map(|r| StatusReasonInformation12 {
///         rsn: Some(Choice::new(StatusReason6Choice::Cd(r.into()))), ..Default::default()
///     }).into_iter().collect(),
///     ..Default::default()
/// };
/// let report = pacs_002_001_10::Document { fi_to_fi_pmt_sts_rpt: FIToFIPaymentStatusReportV10 {
///     grp_hdr: GroupHeader91 { msg_id: "BANK-1".into(), cre_dt_tm: "2026-12-01T10:00:00Z".into(),
///         ..Default::default() },
///     tx_inf_and_sts: vec![tx(&e2e[0], "ACSC", None), tx(&e2e[1], "RJCT", Some("AC04"))],
///     ..Default::default()
/// }};
/// let msg = Message { header: None, document: Document::Pacs002(Box::new(report)) };
/// let r = reconcile(&batch, &[&msg]);
/// assert_eq!(r.status_of(&e2e[0]), Some(&Status::Settled));
/// assert_eq!(r.status_of(&e2e[1]), Some(&Status::Rejected { reason: Some("AC04".into()) }));
/// assert_eq!((r.settled.count, r.rejected.count, r.pending.count), (1, 1, 0));
/// assert_eq!(r.settled.amounts["RWF"].to_string(), "100");
/// # Ok::<(), dpikit_payments::PaymentError>(())
/// ```
#[must_use]
pub fn reconcile(batch: &Batch, reports: &[&Message]) -> Reconciliation {
    let mut st = State {
        batch,
        by_e2e: HashMap::new(),
        by_uetr: HashMap::new(),
        blocks: HashMap::new(),
        out: Vec::with_capacity(batch.len()),
        unknown: Vec::new(),
        mismatches: Vec::new(),
    };
    for block in &batch.blocks {
        for p in &block.payments {
            let i = st.out.len();
            st.by_e2e.insert(&p.end_to_end_id, i);
            st.by_uetr.insert(&p.uetr, i);
            st.blocks.entry(&block.id).or_default().push(i);
            st.out.push(PaymentStatus {
                end_to_end_id: p.end_to_end_id.clone(),
                beneficiary_id: p.beneficiary.id.clone(),
                row: p.row,
                amount: p.beneficiary.amount,
                currency: p.beneficiary.currency.clone(),
                status: Status::Pending,
                source: None,
            });
        }
    }
    let mut paged: BTreeMap<(&str, &str), PagedReport<'_>> = BTreeMap::new();
    for msg in reports {
        collect_pages(msg, &mut paged);
        match &msg.document {
            Document::Pain002(d) => st.pain002(d),
            Document::Pacs002(d) => st.pacs002(d),
            Document::Camt054(d) => {
                let n = &d.bk_to_cstmr_dbt_cdt_ntfctn;
                let src = n.grp_hdr.msg_id.clone();
                let entries = n.ntfctn.iter().enumerate().flat_map(|(a, x)| {
                    x.ntry.iter().enumerate().map(move |(b, e)| {
                        (
                            format!(
                                "/Document/BkToCstmrDbtCdtNtfctn/Ntfctn[{}]/Ntry[{}]",
                                a + 1,
                                b + 1
                            ),
                            e,
                        )
                    })
                });
                st.entries(&src, entries);
            }
            Document::Camt053(d) => {
                let s = &d.bk_to_cstmr_stmt;
                let src = s.grp_hdr.msg_id.clone();
                let entries = s.stmt.iter().enumerate().flat_map(|(a, x)| {
                    x.ntry.iter().enumerate().map(move |(b, e)| {
                        (format!("/Document/BkToCstmrStmt/Stmt[{}]/Ntry[{}]", a + 1, b + 1), e)
                    })
                });
                st.entries(&src, entries);
            }
            other => st.mismatch(
                "/Document".to_owned(),
                format!("{} does not carry payment statuses", other.kind().id()),
            ),
        }
    }
    for ((_, id), p) in &paged {
        p.check(id, &mut st.mismatches);
    }
    let (mut settled, mut rejected, mut pending) =
        (StatusTotals::default(), StatusTotals::default(), StatusTotals::default());
    for p in &st.out {
        match p.status {
            Status::Settled => settled.add(&p.currency, p.amount),
            Status::Rejected { .. } => rejected.add(&p.currency, p.amount),
            Status::Pending => pending.add(&p.currency, p.amount),
        }
    }
    Reconciliation {
        payments: st.out,
        settled,
        rejected,
        pending,
        unknown: st.unknown,
        mismatches: st.mismatches,
    }
}

/// Adds the paginated statements and notifications of `msg` to `paged`, keyed by report
/// kind and `Id` (the pagination is the report's own, or else the message's).
fn collect_pages<'m>(msg: &'m Message, paged: &mut BTreeMap<(&'m str, &'m str), PagedReport<'m>>) {
    match &msg.document {
        Document::Camt054(d) => {
            let n = &d.bk_to_cstmr_dbt_cdt_ntfctn;
            let msg_pg = n.grp_hdr.msg_pgntn.as_ref();
            for (a, x) in n.ntfctn.iter().enumerate() {
                if let Some(pg) = x.ntfctn_pgntn.as_ref().or(msg_pg) {
                    let loc = format!("/Document/BkToCstmrDbtCdtNtfctn/Ntfctn[{}]", a + 1);
                    paged.entry(("camt.054", x.id.as_str())).or_default().add(
                        pg,
                        &n.grp_hdr.msg_id,
                        x.txs_summry.as_ref(),
                        &x.ntry,
                        loc,
                    );
                }
            }
        }
        Document::Camt053(d) => {
            let s = &d.bk_to_cstmr_stmt;
            let msg_pg = s.grp_hdr.msg_pgntn.as_ref();
            for (a, x) in s.stmt.iter().enumerate() {
                if let Some(pg) = x.stmt_pgntn.as_ref().or(msg_pg) {
                    let loc = format!("/Document/BkToCstmrStmt/Stmt[{}]", a + 1);
                    paged.entry(("camt.053", x.id.as_str())).or_default().add(
                        pg,
                        &s.grp_hdr.msg_id,
                        x.txs_summry.as_ref(),
                        &x.ntry,
                        loc,
                    );
                }
            }
        }
        _ => {}
    }
}

/// Parses each report (strict [`crate::iso::parse`]) and reconciles them with [`reconcile`].
///
/// # Errors
///
/// The parse error of the first report that does not parse (its index is in the message).
///
/// # Examples
///
/// ```
/// # use dpikit_payments::bulk::{self, Account, BatchConfig, Beneficiary};
/// use dpikit_payments::reconcile::reconcile_xml;
/// # let c = BatchConfig::new("B1", "2026-11-29T08:00:00Z", "2026-12-01", "City",
/// #     Account::Iban("DE89370400440532013000".into()));
/// # let b = Beneficiary { id: "A".into(), name: "N".into(), account: Account::parse("+250788000001"),
/// #     amount: "100".parse().unwrap(), currency: "RWF".into(), reference: "Nov".into(),
/// #     execution_date: None, provider: None };
/// let batch = bulk::build(&c, vec![b])?.batch;
/// let e2e = &batch.blocks[0].payments[0].end_to_end_id;
/// let xml = format!(r#"<Document xmlns="urn:iso:std:iso:20022:tech:xsd:pacs.002.001.10">
///   <FIToFIPmtStsRpt><GrpHdr><MsgId>S1</MsgId><CreDtTm>2026-12-01T10:00:00Z</CreDtTm></GrpHdr>
///   <TxInfAndSts><OrgnlEndToEndId>{e2e}</OrgnlEndToEndId><TxSts>ACSP</TxSts></TxInfAndSts>
///   </FIToFIPmtStsRpt></Document>"#);
/// let r = reconcile_xml(&batch, &[xml.as_bytes()])?;
/// assert_eq!(r.pending.count, 1);
/// # Ok::<(), dpikit_payments::PaymentError>(())
/// ```
pub fn reconcile_xml(batch: &Batch, reports: &[&[u8]]) -> Result<Reconciliation, PaymentError> {
    let parsed = reports
        .iter()
        .map(|r| crate::iso::parse(r, &ParseOptions::default()).map(|p| p.message))
        .collect::<Result<Vec<_>, _>>()?;
    let refs: Vec<&Message> = parsed.iter().collect();
    Ok(reconcile(batch, &refs))
}
