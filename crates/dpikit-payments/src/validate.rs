//! Validation: XSD facets and ISO 20022 business rules as a list of [`Finding`]s, plus
//! pluggable scheme rules ([`SchemeRule`], first [`CbprPlus`]).

use std::collections::HashMap;
use std::fmt;

use dpikit_core::ErrorCode;
use serde::Serialize;

use crate::iso::generated::{
    BranchAndFinancialInstitutionIdentification6, NumberAndSumOfTransactions1, Pagination1,
    Party44Choice, ReportEntry10, TotalTransactions6, camt_053_001_08, camt_054_001_08,
    pacs_004_001_09, pacs_008_001_08, pain_001_001_09,
};
use crate::iso::{AppHdr, Checker, Document, Message, head_001_001_02};
use crate::money::Amount;
use crate::xml::{Element, XmlLimits, parse_tree, step};

/// One problem found by [`validate`]: a stable code, where, and a human message.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Finding {
    /// The stable error code (compare this, never the message).
    pub code: ErrorCode,
    /// Element path, e.g. `/Document/FIToFICstmrCdtTrf/CdtTrfTxInf[0]/PmtId/UETR`.
    pub location: String,
    /// Explanation for people; the text may change between releases.
    pub message: String,
}

impl fmt::Display for Finding {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} at {}: {}", self.code, self.location, self.message)
    }
}

/// A market-practice rule set applied on top of the ISO 20022 rules.
pub trait SchemeRule {
    /// Returns a short identifier of the rule set, e.g. `cbpr+`.
    fn id(&self) -> &'static str;
    /// Appends the findings of this rule set for `message` to `out`.
    fn check(&self, message: &Message, out: &mut Vec<Finding>);
}

/// Validates a message against the XSD facets and the ISO 20022 business rules.
///
/// Rules: facets (length, pattern, enumeration, digits, occurrence, date lexical forms),
/// IBAN mod-97 and per-country format, BIC pattern, ISO 4217 codes and minor units, NbOfTxs
/// and CtrlSum at group and payment-block level, camt.053/054 `TxsSummry` against the
/// entries of a report whole in one message and page numbers from 1, UETR as lowercase
/// UUIDv4, duplicate ids, and header ⇄ document consistency. An empty result means the
/// message is clean.
///
/// # Examples
///
/// ```
/// use dpikit_payments::{iso, validate};
///
/// let xml = r#"<Document xmlns="urn:iso:std:iso:20022:tech:xsd:pacs.002.001.10">
///   <FIToFIPmtStsRpt><GrpHdr><MsgId>M1</MsgId><CreDtTm>2026-01-01T00:00:00Z</CreDtTm></GrpHdr>
///   </FIToFIPmtStsRpt></Document>"#;
/// let parsed = iso::parse(xml.as_bytes(), &iso::ParseOptions::default())?;
/// assert!(validate::validate(&parsed.message).is_empty());
/// # Ok::<(), dpikit_payments::PaymentError>(())
/// ```
#[must_use]
pub fn validate(message: &Message) -> Vec<Finding> {
    validate_with(message, &[])
}

/// Validates like [`validate`], then applies each scheme rule set in order.
///
/// # Examples
///
/// ```
/// use dpikit_payments::validate::{CbprPlus, SchemeRule, validate_with};
/// # use dpikit_payments::iso;
/// # let xml = r#"<Document xmlns="urn:iso:std:iso:20022:tech:xsd:pacs.002.001.10">
/// #  <FIToFIPmtStsRpt><GrpHdr><MsgId>M1</MsgId><CreDtTm>2026-01-01T00:00:00Z</CreDtTm></GrpHdr>
/// #  </FIToFIPmtStsRpt></Document>"#;
/// # let parsed = iso::parse(xml.as_bytes(), &iso::ParseOptions::default())?;
/// let rules: [&dyn SchemeRule; 1] = [&CbprPlus];
/// assert!(validate_with(&parsed.message, &rules).is_empty());
/// # Ok::<(), dpikit_payments::PaymentError>(())
/// ```
#[must_use]
pub fn validate_with(message: &Message, rules: &[&dyn SchemeRule]) -> Vec<Finding> {
    let mut v = Checker::with_root("Document");
    message.document.check(&mut v);
    let mut out = v.findings;
    if let Some(h) = &message.header {
        let mut v = Checker::with_root(head_001_001_02::ROOT);
        crate::iso::Check::check(h.as_ref(), &mut v);
        out.extend(v.findings);
        header_rules(h, &message.document, &mut out);
    }
    match &message.document {
        Document::Pacs008(d) => pacs008_rules(d, &mut out),
        Document::Pain001(d) => pain001_rules(d, &mut out),
        Document::Pacs004(d) => pacs004_rules(d, &mut out),
        Document::Camt053(d) => camt053_rules(d, &mut out),
        Document::Camt054(d) => camt054_rules(d, &mut out),
        Document::Pain002(_) | Document::Pacs002(_) => {}
    }
    for r in rules {
        r.check(message, &mut out);
    }
    out
}

/// Returns `true` if `s` matches the ISO 9362 BIC pattern
/// `[A-Z0-9]{4}[A-Z]{2}[A-Z0-9]{2}([A-Z0-9]{3})?`.
pub(crate) fn is_bic(s: &str) -> bool {
    let b = s.as_bytes();
    let an = |c: &u8| c.is_ascii_digit() || c.is_ascii_uppercase();
    (b.len() == 8 || b.len() == 11)
        && b[..4].iter().all(an)
        && b[4..6].iter().all(u8::is_ascii_uppercase)
        && b[6..].iter().all(an)
}

/// Returns `true` if `s` is a lowercase UUIDv4 (the XSD `UUIDv4Identifier` pattern).
pub(crate) fn is_uuid_v4(s: &str) -> bool {
    let b = s.as_bytes();
    let hex = |c: &u8| c.is_ascii_digit() || (b'a'..=b'f').contains(c);
    b.len() == 36
        && b.iter()
            .enumerate()
            .all(|(i, c)| if matches!(i, 8 | 13 | 18 | 23) { *c == b'-' } else { hex(c) })
        && b[14] == b'4'
        && matches!(b[19], b'8' | b'9' | b'a' | b'b')
}

/// Checks an IBAN's country format and mod-97 check digits.
pub(crate) fn check_iban(value: &str) -> Result<(), String> {
    value.parse::<iban::Iban>().map(|_| ()).map_err(|e| e.to_string())
}

fn finding(code: ErrorCode, location: impl Into<String>, message: impl Into<String>) -> Finding {
    Finding { code, location: location.into(), message: message.into() }
}

fn check_count(nb: &str, actual: usize, loc: &str, out: &mut Vec<Finding>) {
    // A non-numeric NbOfTxs is already a facet finding.
    if let Ok(n) = nb.parse::<usize>() {
        if n != actual {
            out.push(finding(
                ErrorCode::NumberOfTxsMismatch,
                loc,
                format!("NbOfTxs is {nb} but there are {actual} transaction(s)"),
            ));
        }
    }
}

fn check_sum(declared: Option<&Amount>, amounts: &[Amount], loc: &str, out: &mut Vec<Finding>) {
    let Some(declared) = declared else { return };
    let mut total = rust_decimal::Decimal::ZERO;
    for a in amounts {
        let Some(t) = total.checked_add(a.value()) else {
            out.push(finding(ErrorCode::ControlSumMismatch, loc, "sum of amounts overflows"));
            return;
        };
        total = t;
    }
    if total != declared.value() {
        out.push(finding(
            ErrorCode::ControlSumMismatch,
            loc,
            format!("declared {declared} but the amounts add up to {total}"),
        ));
    }
}

#[derive(Default)]
struct Unique<'a> {
    seen: HashMap<(&'static str, &'a str), String>,
}

impl<'a> Unique<'a> {
    fn add(
        &mut self,
        kind: &'static str,
        id: Option<&'a str>,
        loc: String,
        out: &mut Vec<Finding>,
    ) {
        let Some(id) = id.filter(|s| !s.is_empty()) else { return };
        if let Some(first) = self.seen.get(&(kind, id)) {
            out.push(finding(
                ErrorCode::DuplicateId,
                loc,
                format!("{kind} {id:?} already used at {first}"),
            ));
        } else {
            self.seen.insert((kind, id), loc);
        }
    }
}

fn pacs008_rules(d: &pacs_008_001_08::Document, out: &mut Vec<Finding>) {
    let m = &d.fi_to_fi_cstmr_cdt_trf;
    let g = "/Document/FIToFICstmrCdtTrf/GrpHdr";
    check_count(&m.grp_hdr.nb_of_txs, m.cdt_trf_tx_inf.len(), &format!("{g}/NbOfTxs"), out);
    let amounts: Vec<Amount> = m.cdt_trf_tx_inf.iter().map(|t| t.intr_bk_sttlm_amt.value).collect();
    check_sum(m.grp_hdr.ctrl_sum.as_ref(), &amounts, &format!("{g}/CtrlSum"), out);
    if let Some(t) = &m.grp_hdr.ttl_intr_bk_sttlm_amt {
        check_sum(Some(&t.value), &amounts, &format!("{g}/TtlIntrBkSttlmAmt"), out);
    }
    let mut u = Unique::default();
    for (i, t) in m.cdt_trf_tx_inf.iter().enumerate() {
        let loc = format!(
            "/Document/FIToFICstmrCdtTrf/{}/PmtId",
            step("CdtTrfTxInf", i, m.cdt_trf_tx_inf.len())
        );
        u.add("InstrId", t.pmt_id.instr_id.as_deref(), format!("{loc}/InstrId"), out);
        u.add("TxId", t.pmt_id.tx_id.as_deref(), format!("{loc}/TxId"), out);
        u.add("UETR", t.pmt_id.uetr.as_deref(), format!("{loc}/UETR"), out);
    }
}

fn pain001_rules(d: &pain_001_001_09::Document, out: &mut Vec<Finding>) {
    let m = &d.cstmr_cdt_trf_initn;
    let root = "/Document/CstmrCdtTrfInitn";
    let mut all = Vec::new();
    let mut u = Unique::default();
    for (i, p) in m.pmt_inf.iter().enumerate() {
        let ploc = format!("{root}/{}", step("PmtInf", i, m.pmt_inf.len()));
        u.add("PmtInfId", Some(p.pmt_inf_id.as_str()), format!("{ploc}/PmtInfId"), out);
        let amounts: Vec<Amount> = p
            .cdt_trf_tx_inf
            .iter()
            .map(|t| match &t.amt.value {
                crate::iso::generated::AmountType4Choice::InstdAmt(a) => a.value,
                crate::iso::generated::AmountType4Choice::EqvtAmt(e) => e.amt.value,
            })
            .collect();
        if let Some(nb) = &p.nb_of_txs {
            check_count(nb, p.cdt_trf_tx_inf.len(), &format!("{ploc}/NbOfTxs"), out);
        }
        check_sum(p.ctrl_sum.as_ref(), &amounts, &format!("{ploc}/CtrlSum"), out);
        for (j, t) in p.cdt_trf_tx_inf.iter().enumerate() {
            let loc = format!("{ploc}/{}/PmtId", step("CdtTrfTxInf", j, p.cdt_trf_tx_inf.len()));
            u.add("InstrId", t.pmt_id.instr_id.as_deref(), format!("{loc}/InstrId"), out);
            u.add("UETR", t.pmt_id.uetr.as_deref(), format!("{loc}/UETR"), out);
        }
        all.extend(amounts);
    }
    check_count(&m.grp_hdr.nb_of_txs, all.len(), &format!("{root}/GrpHdr/NbOfTxs"), out);
    check_sum(m.grp_hdr.ctrl_sum.as_ref(), &all, &format!("{root}/GrpHdr/CtrlSum"), out);
}

/// A page number (`PgNb`), if it is a number.
pub(crate) fn page_number(p: &Pagination1) -> Option<u32> {
    p.pg_nb.parse().ok()
}

/// Whether `LastPgInd` says this is the last page.
pub(crate) fn is_last_page(p: &Pagination1) -> bool {
    matches!(p.last_pg_ind.as_str(), "true" | "1")
}

/// Checks a statement's or notification's page number (its own pagination `own`, named
/// `pg_name`) and, when it is the whole report (no pagination, or page 1 that is also the
/// last; its own pagination or else the message's `msg`), its `TxsSummry` against its
/// entries. The totals of a report split over several pages are checked across the pages
/// by [`crate::reconcile::reconcile`], which joins them.
fn camt_report_rules(
    (own, msg): (Option<&Pagination1>, Option<&Pagination1>),
    summary: Option<&TotalTransactions6>,
    entries: &[ReportEntry10],
    (loc, pg_name): (&str, &str),
    out: &mut Vec<Finding>,
) {
    if own.is_some_and(|p| page_number(p) == Some(0)) {
        out.push(finding(
            ErrorCode::FacetViolation,
            format!("{loc}/{pg_name}/PgNb"),
            "page numbers start at 1",
        ));
    }
    let whole = own.or(msg).is_none_or(|p| page_number(p) == Some(1) && is_last_page(p));
    if let (true, Some(s)) = (whole, summary) {
        summary_findings(s, entries.iter(), &format!("{loc}/TxsSummry"), out);
    }
}

fn message_page_rules(msg: Option<&Pagination1>, root: &str, out: &mut Vec<Finding>) {
    if msg.is_some_and(|p| page_number(p) == Some(0)) {
        out.push(finding(
            ErrorCode::FacetViolation,
            format!("/Document/{root}/GrpHdr/MsgPgntn/PgNb"),
            "page numbers start at 1",
        ));
    }
}

#[derive(Default)]
struct Tally {
    n: usize,
    sum: rust_decimal::Decimal,
}

impl Tally {
    fn add(&mut self, a: &Amount) -> Option<()> {
        self.n += 1;
        self.sum = self.sum.checked_add(a.value())?;
        Some(())
    }
}

/// Checks `TxsSummry` (`TtlNtries` number, sum and net amount with its direction,
/// `TtlCdtNtries`, `TtlDbtNtries`) against `entries`: counts are `number_of_txs_mismatch`,
/// sums and the net entry `control_sum_mismatch`, located under `loc`.
pub(crate) fn summary_findings<'e>(
    s: &TotalTransactions6,
    entries: impl Iterator<Item = &'e ReportEntry10>,
    loc: &str,
    out: &mut Vec<Finding>,
) {
    let (mut all, mut cdt, mut dbt) = (Tally::default(), Tally::default(), Tally::default());
    for e in entries {
        let side = if e.cdt_dbt_ind == "CRDT" { &mut cdt } else { &mut dbt };
        if all.add(&e.amt.value).is_none() || side.add(&e.amt.value).is_none() {
            out.push(finding(ErrorCode::ControlSumMismatch, loc, "sum of entries overflows"));
            return;
        }
    }
    let count = |nb: Option<&String>, t: &Tally, l: String, out: &mut Vec<Finding>| {
        if let Some(n) = nb.and_then(|nb| nb.parse::<usize>().ok()) {
            if n != t.n {
                let m = format!("NbOfNtries is {n} but there are {} entries", t.n);
                out.push(finding(ErrorCode::NumberOfTxsMismatch, l, m));
            }
        }
    };
    let sum = |declared: Option<&Amount>, t: &Tally, l: String, out: &mut Vec<Finding>| {
        if let Some(d) = declared {
            if d.value() != t.sum {
                let m = format!("Sum is {d} but the entries add up to {}", t.sum);
                out.push(finding(ErrorCode::ControlSumMismatch, l, m));
            }
        }
    };
    if let Some(t) = &s.ttl_ntries {
        count(t.nb_of_ntries.as_ref(), &all, format!("{loc}/TtlNtries/NbOfNtries"), out);
        sum(t.sum.as_ref(), &all, format!("{loc}/TtlNtries/Sum"), out);
        if let (Some(net), Some(diff)) = (&t.ttl_net_ntry, cdt.sum.checked_sub(dbt.sum)) {
            let dir_ok = match net.cdt_dbt_ind.as_str() {
                "CRDT" => diff >= rust_decimal::Decimal::ZERO,
                "DBIT" => diff <= rust_decimal::Decimal::ZERO,
                _ => true, // not a CreditDebitCode: a facet finding already
            };
            if net.amt.value() != diff.abs() || !dir_ok {
                let m = format!(
                    "TtlNetNtry is {} {} but credits minus debits is {diff}",
                    net.amt, net.cdt_dbt_ind
                );
                out.push(finding(
                    ErrorCode::ControlSumMismatch,
                    format!("{loc}/TtlNtries/TtlNetNtry"),
                    m,
                ));
            }
        }
    }
    let side =
        |x: Option<&NumberAndSumOfTransactions1>, t: &Tally, name: &str, out: &mut Vec<Finding>| {
            if let Some(x) = x {
                count(x.nb_of_ntries.as_ref(), t, format!("{loc}/{name}/NbOfNtries"), out);
                sum(x.sum.as_ref(), t, format!("{loc}/{name}/Sum"), out);
            }
        };
    side(s.ttl_cdt_ntries.as_ref(), &cdt, "TtlCdtNtries", out);
    side(s.ttl_dbt_ntries.as_ref(), &dbt, "TtlDbtNtries", out);
}

fn camt053_rules(d: &camt_053_001_08::Document, out: &mut Vec<Finding>) {
    let m = &d.bk_to_cstmr_stmt;
    let msg = m.grp_hdr.msg_pgntn.as_ref();
    message_page_rules(msg, "BkToCstmrStmt", out);
    for (i, st) in m.stmt.iter().enumerate() {
        let loc = format!("/Document/BkToCstmrStmt/{}", step("Stmt", i, m.stmt.len()));
        let pages = (st.stmt_pgntn.as_ref(), msg);
        camt_report_rules(pages, st.txs_summry.as_ref(), &st.ntry, (&loc, "StmtPgntn"), out);
    }
}

fn camt054_rules(d: &camt_054_001_08::Document, out: &mut Vec<Finding>) {
    let m = &d.bk_to_cstmr_dbt_cdt_ntfctn;
    let msg = m.grp_hdr.msg_pgntn.as_ref();
    message_page_rules(msg, "BkToCstmrDbtCdtNtfctn", out);
    for (i, n) in m.ntfctn.iter().enumerate() {
        let loc = format!("/Document/BkToCstmrDbtCdtNtfctn/{}", step("Ntfctn", i, m.ntfctn.len()));
        let pages = (n.ntfctn_pgntn.as_ref(), msg);
        camt_report_rules(pages, n.txs_summry.as_ref(), &n.ntry, (&loc, "NtfctnPgntn"), out);
    }
}

fn pacs004_rules(d: &pacs_004_001_09::Document, out: &mut Vec<Finding>) {
    let m = &d.pmt_rtr;
    let g = "/Document/PmtRtr/GrpHdr";
    check_count(&m.grp_hdr.nb_of_txs, m.tx_inf.len(), &format!("{g}/NbOfTxs"), out);
    let amounts: Vec<Amount> = m.tx_inf.iter().map(|t| t.rtrd_intr_bk_sttlm_amt.value).collect();
    check_sum(m.grp_hdr.ctrl_sum.as_ref(), &amounts, &format!("{g}/CtrlSum"), out);
    if let Some(t) = &m.grp_hdr.ttl_rtrd_intr_bk_sttlm_amt {
        check_sum(Some(&t.value), &amounts, &format!("{g}/TtlRtrdIntrBkSttlmAmt"), out);
    }
    let mut u = Unique::default();
    for (i, t) in m.tx_inf.iter().enumerate() {
        let loc = format!("/Document/PmtRtr/{}/RtrId", step("TxInf", i, m.tx_inf.len()));
        u.add("RtrId", t.rtr_id.as_deref(), loc, out);
    }
}

fn fi_bic(p: &Party44Choice) -> Option<&str> {
    match p {
        Party44Choice::FIId(f) => f.fin_instn_id.bicfi.as_deref(),
        Party44Choice::OrgId(_) => None,
    }
}

fn agent_bic(a: Option<&BranchAndFinancialInstitutionIdentification6>) -> Option<&str> {
    a.and_then(|a| a.fin_instn_id.bicfi.as_deref())
}

/// Compares two BICs, treating an 8-character BIC as the `XXX` branch of itself.
fn same_bic(a: &str, b: &str) -> bool {
    let norm = |s: &str| if s.len() == 8 { format!("{s}XXX") } else { s.to_owned() };
    norm(a) == norm(b)
}

/// Returns the instructing and instructed agents of the first transaction / group header.
fn document_agents(d: &Document) -> (Option<&str>, Option<&str>) {
    match d {
        Document::Pacs008(d) => {
            let m = &d.fi_to_fi_cstmr_cdt_trf;
            let t = m.cdt_trf_tx_inf.first();
            (
                agent_bic(m.grp_hdr.instg_agt.as_ref())
                    .or(agent_bic(t.and_then(|t| t.instg_agt.as_ref()))),
                agent_bic(m.grp_hdr.instd_agt.as_ref())
                    .or(agent_bic(t.and_then(|t| t.instd_agt.as_ref()))),
            )
        }
        Document::Pacs002(d) => {
            let g = &d.fi_to_fi_pmt_sts_rpt.grp_hdr;
            (agent_bic(g.instg_agt.as_ref()), agent_bic(g.instd_agt.as_ref()))
        }
        Document::Pacs004(d) => {
            let m = &d.pmt_rtr;
            let t = m.tx_inf.first();
            (
                agent_bic(m.grp_hdr.instg_agt.as_ref())
                    .or(agent_bic(t.and_then(|t| t.instg_agt.as_ref()))),
                agent_bic(m.grp_hdr.instd_agt.as_ref())
                    .or(agent_bic(t.and_then(|t| t.instd_agt.as_ref()))),
            )
        }
        Document::Pain001(_)
        | Document::Pain002(_)
        | Document::Camt053(_)
        | Document::Camt054(_) => (None, None),
    }
}

fn header_rules(h: &AppHdr, d: &Document, out: &mut Vec<Finding>) {
    if h.msg_def_idr != d.kind().id() {
        out.push(finding(
            ErrorCode::HeaderMismatch,
            "/AppHdr/MsgDefIdr",
            format!("{:?} but the Document is {}", h.msg_def_idr, d.kind().id()),
        ));
    }
    let (instg, instd) = document_agents(d);
    for (hdr, agent, loc, name) in [
        (fi_bic(&h.fr.value), instg, "/AppHdr/Fr", "InstgAgt"),
        (fi_bic(&h.to.value), instd, "/AppHdr/To", "InstdAgt"),
    ] {
        if let (Some(a), Some(b)) = (hdr, agent) {
            if !same_bic(a, b) {
                out.push(finding(
                    ErrorCode::HeaderMismatch,
                    format!("{loc}/FIId/FinInstnId/BICFI"),
                    format!("{a} differs from the Document's {name} {b}"),
                ));
            }
        }
    }
}

/// CBPR+ (SWIFT cross-border payments and reporting plus) usage rules.
///
/// Implemented: R41 (no commodity currency XAU, XAG, XPD, XPT in any amount or currency
/// element) and `BizMsgIdr` = `GrpHdr/MsgId`.
#[derive(Debug, Clone, Copy, Default)]
pub struct CbprPlus;

const COMMODITIES: [&str; 4] = ["XAU", "XAG", "XPD", "XPT"];

impl SchemeRule for CbprPlus {
    fn id(&self) -> &'static str {
        "cbpr+"
    }

    fn check(&self, message: &Message, out: &mut Vec<Finding>) {
        let tree = message.document.to_xml().ok().and_then(|x| {
            parse_tree(x.as_bytes(), &XmlLimits { max_bytes: usize::MAX, max_depth: 256 }).ok()
        });
        if let Some(t) = tree {
            walk_currencies(&t, "/Document", out);
        }
        if let Some(h) = &message.header {
            let msg_id = group_msg_id(&message.document);
            {
                if h.biz_msg_idr != msg_id {
                    out.push(finding(
                        ErrorCode::SchemeRuleViolation,
                        "/AppHdr/BizMsgIdr",
                        format!(
                            "CBPR+: BizMsgIdr {:?} differs from GrpHdr/MsgId {msg_id:?}",
                            h.biz_msg_idr
                        ),
                    ));
                }
            }
        }
    }
}

fn group_msg_id(d: &Document) -> &str {
    match d {
        Document::Pacs008(d) => &d.fi_to_fi_cstmr_cdt_trf.grp_hdr.msg_id,
        Document::Pacs002(d) => &d.fi_to_fi_pmt_sts_rpt.grp_hdr.msg_id,
        Document::Pacs004(d) => &d.pmt_rtr.grp_hdr.msg_id,
        Document::Pain001(d) => &d.cstmr_cdt_trf_initn.grp_hdr.msg_id,
        Document::Pain002(d) => &d.cstmr_pmt_sts_rpt.grp_hdr.msg_id,
        Document::Camt053(d) => &d.bk_to_cstmr_stmt.grp_hdr.msg_id,
        Document::Camt054(d) => &d.bk_to_cstmr_dbt_cdt_ntfctn.grp_hdr.msg_id,
    }
}

fn walk_currencies(el: &Element, path: &str, out: &mut Vec<Finding>) {
    let mut codes: Vec<&str> =
        el.attributes.iter().filter(|(k, _)| k == "Ccy").map(|(_, v)| v.as_str()).collect();
    if el.name.ends_with("Ccy") {
        codes.push(&el.text);
    }
    for c in codes {
        if COMMODITIES.contains(&c) {
            out.push(finding(
                ErrorCode::SchemeRuleViolation,
                path,
                format!("CBPR+ R41: commodity currency {c} is not allowed"),
            ));
        }
    }
    for (c, step) in el.children.iter().zip(crate::xml::child_steps(el)) {
        walk_currencies(c, &format!("{path}/{step}"), out);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn iban_checks() {
        assert!(check_iban("GB29NWBK60161331926819").is_ok());
        assert!(check_iban("GB29NWBK60161331926818").is_err());
        assert!(check_iban("UH78zp918oPDmxuD5Y").is_err());
        assert!(check_iban("GB29NWBK6016133192681").is_err());
    }

    #[test]
    fn bic_comparison() {
        assert!(same_bic("ABCDGB2L", "ABCDGB2LXXX"));
        assert!(!same_bic("ABCDGB2LXXX", "GGGGGB2LXXX"));
    }
}
