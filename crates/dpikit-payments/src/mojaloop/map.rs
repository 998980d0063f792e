//! Mojaloop transfer ⇄ pacs.008.001.08, with a report of what maps and what is lost.
//!
//! To pacs.008 ([`transfer_to_pacs008`]): `transferId` (a 36-character UUID, over
//! `Max35Text`) becomes `MsgId`, `EndToEndId` and `TxId` without hyphens (32 characters,
//! reversible) and the `UETR` when it is a UUIDv4; `payerFsp`/`payeeFsp` become
//! `DbtrAgt`/`CdtrAgt` (and `InstgAgt`/`InstdAgt`) `FinInstnId/Othr/Id`; `amount` becomes
//! `IntrBkSttlmAmt`; `SttlmMtd` is `CLRG`; `ChrgBr` is `SLEV`. With the quote, payer and payee
//! become `Dbtr`/`Cdtr` (`Nm`, `Id/PrvtId/Othr` with the party id type as `SchmeNm/Prtry`)
//! and `note` becomes `RmtInf/Ustrd`. pacs.008.001.08 has no place for `ilpPacket`,
//! `condition`, `expiration`, `extensionList`, `amountType`, `transactionType`: they are
//! reported as lost (FSPIOP v2 ISO mode uses pacs.008.001.13, which has `VrfctnOfTerms`).
//!
//! From pacs.008 ([`pacs008_to_transfer`]): the reverse for the first (only) transaction;
//! the ILP terms come from the caller; every other element present in the message is
//! reported as lost, by path.

use std::collections::BTreeSet;

use serde::Serialize;

use super::{Money, QuoteRequest, TransferRequest, is_fspiop_uuid};
use crate::PaymentError;
use crate::iso::generated::{
    ActiveCurrencyAndAmount, BranchAndFinancialInstitutionIdentification6,
    CreditTransferTransaction39, FIToFICustomerCreditTransferV08,
    FinancialInstitutionIdentification18, GenericFinancialIdentification1,
    GenericPersonIdentification1, GroupHeader93, Party38Choice, PartyIdentification135,
    PaymentIdentification7, PersonIdentification13, PersonIdentificationSchemeName1Choice,
    RemittanceInformation16, SettlementInstruction7, pacs_008_001_08,
};
use crate::iso::{Choice, Document, Message};
use crate::money::{Amount, Currency, encode_iso20022, encode_mojaloop};

/// One field that maps from the source to the target.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Mapped {
    /// Source field (JSON pointer or element path).
    pub from: String,
    /// Target field.
    pub to: String,
    /// How the value changes, if it does.
    pub note: Option<String>,
}

/// One source field with no place in the target.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Lost {
    /// Source field (JSON pointer or element path).
    pub field: String,
    /// Why it is lost.
    pub reason: String,
}

/// What a mapping kept and what it lost.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize)]
pub struct MappingReport {
    /// Fields that map.
    pub mapped: Vec<Mapped>,
    /// Fields that are lost.
    pub lost: Vec<Lost>,
}

impl MappingReport {
    fn map(&mut self, from: &str, to: &str, note: Option<&str>) {
        self.mapped.push(Mapped { from: from.into(), to: to.into(), note: note.map(Into::into) });
    }
    fn lose(&mut self, field: &str, reason: &str) {
        self.lost.push(Lost { field: field.into(), reason: reason.into() });
    }
}

fn agent(id: &str) -> BranchAndFinancialInstitutionIdentification6 {
    BranchAndFinancialInstitutionIdentification6 {
        fin_instn_id: FinancialInstitutionIdentification18 {
            othr: Some(GenericFinancialIdentification1 {
                id: id.to_owned(),
                ..GenericFinancialIdentification1::default()
            }),
            ..FinancialInstitutionIdentification18::default()
        },
        brnch_id: None,
    }
}

fn party(
    p: Option<&super::Party>,
    base: &str,
    to: &str,
    r: &mut MappingReport,
) -> PartyIdentification135 {
    let Some(p) = p else { return PartyIdentification135::default() };
    let info = &p.party_id_info;
    r.map(&format!("{base}/partyIdInfo/partyIdentifier"), &format!("{to}/Id/PrvtId/Othr/Id"), None);
    r.map(
        &format!("{base}/partyIdInfo/partyIdType"),
        &format!("{to}/Id/PrvtId/Othr/SchmeNm/Prtry"),
        None,
    );
    if info.party_sub_id_or_type.is_some() {
        r.lose(
            &format!("{base}/partyIdInfo/partySubIdOrType"),
            "no place in PartyIdentification135",
        );
    }
    if info.fsp_id.is_some() {
        r.map(&format!("{base}/partyIdInfo/fspId"), "(same as payerFsp/payeeFsp agent)", None);
    }
    let name = p.name.clone().or_else(|| {
        let c = p.personal_info.as_ref()?.get("complexName")?;
        let parts: Vec<&str> = ["firstName", "middleName", "lastName"]
            .iter()
            .filter_map(|k| c.get(k).and_then(serde_json::Value::as_str))
            .collect();
        (!parts.is_empty()).then(|| parts.join(" "))
    });
    if name.is_some() {
        r.map(
            &format!("{base}/name|personalInfo/complexName"),
            &format!("{to}/Nm"),
            Some("joined with spaces"),
        );
    }
    if p.personal_info.as_ref().and_then(|x| x.get("dateOfBirth")).is_some() {
        r.lose(
            &format!("{base}/personalInfo/dateOfBirth"),
            "PrvtId/Othr is used for the party id (DtAndPlcOfBirth needs a place of birth)",
        );
    }
    if p.merchant_classification_code.is_some() {
        r.lose(&format!("{base}/merchantClassificationCode"), "no place in pacs.008");
    }
    PartyIdentification135 {
        nm: name,
        id: Some(Choice::new(Party38Choice::PrvtId(PersonIdentification13 {
            dt_and_plc_of_birth: None,
            othr: vec![GenericPersonIdentification1 {
                id: info.party_identifier.clone(),
                schme_nm: Some(Choice::new(PersonIdentificationSchemeName1Choice::Prtry(
                    info.party_id_type.clone(),
                ))),
                issr: None,
            }],
        }))),
        ..PartyIdentification135::default()
    }
}

/// Maps a Mojaloop transfer (and optionally its quote) to a pacs.008.001.08 message.
///
/// `created_at` becomes `CreDtTm` (the transfer body has no creation time).
///
/// # Errors
///
/// - [`PaymentError::MojaloopInvalid`]: `transferId` is not a UUID.
/// - [`PaymentError::UnknownCurrency`], [`PaymentError::InvalidAmount`]: the amount cannot be
///   written exactly as an ISO 20022 amount.
///
/// # Examples
///
/// ```
/// use dpikit_payments::mojaloop::{Money, TransferRequest, map::transfer_to_pacs008};
///
/// let t = TransferRequest { transfer_id: "00000000-0000-1000-8000-000000000005".into(),
///     payee_fsp: "sim".into(), payer_fsp: "mojaloop-sdk".into(),
///     amount: Money { currency: "USD".into(), amount: "100".into() },
///     ilp_packet: "AQ".into(), condition: "f5sqb7tBTWPd5Y8BDFdMm9BJR_MNI4isf8p8n4D5pHA".into(),
///     expiration: "2020-01-20T11:31:49.325Z".into(), extension_list: None };
/// let (msg, report) = transfer_to_pacs008(&t, None, "2020-01-20T11:30:00Z")?;
/// assert!(dpikit_payments::validate::validate(&msg).is_empty());
/// assert!(report.lost.iter().any(|l| l.field == "/ilpPacket"));
/// # Ok::<(), dpikit_payments::PaymentError>(())
/// ```
pub fn transfer_to_pacs008(
    t: &TransferRequest,
    quote: Option<&QuoteRequest>,
    created_at: &str,
) -> Result<(Message, MappingReport), PaymentError> {
    let mut r = MappingReport::default();
    if !is_fspiop_uuid(&t.transfer_id) {
        return Err(PaymentError::MojaloopInvalid(format!(
            "transferId {:?} is not a UUID",
            t.transfer_id
        )));
    }
    let compact: String = t.transfer_id.chars().filter(|c| *c != '-').collect();
    let uetr = crate::validate::is_uuid_v4(&t.transfer_id).then(|| t.transfer_id.clone());
    r.map(
        "/transferId",
        "GrpHdr/MsgId, CdtTrfTxInf/PmtId/EndToEndId, CdtTrfTxInf/PmtId/TxId",
        Some("hyphens removed (36 > Max35Text)"),
    );
    if uetr.is_some() {
        r.map("/transferId", "CdtTrfTxInf/PmtId/UETR", None);
    } else {
        r.lose("/transferId (as UETR)", "not a UUIDv4, so it cannot be the UETR");
    }
    let currency = Currency::from_code(&t.amount.currency)?;
    let amount: Amount = t.amount.amount.parse()?;
    let value: Amount = encode_iso20022(amount, currency)?.parse()?;
    r.map("/amount", "CdtTrfTxInf/IntrBkSttlmAmt", None);
    r.map("/payerFsp", "CdtTrfTxInf/DbtrAgt/FinInstnId/Othr/Id, CdtTrfTxInf/InstgAgt", None);
    r.map("/payeeFsp", "CdtTrfTxInf/CdtrAgt/FinInstnId/Othr/Id, CdtTrfTxInf/InstdAgt", None);
    r.map("(created_at)", "GrpHdr/CreDtTm", Some("given by the caller"));
    for (f, why) in [
        ("/ilpPacket", "pacs.008.001.08 has no VrfctnOfTerms (pacs.008.001.13 does)"),
        ("/condition", "pacs.008.001.08 has no VrfctnOfTerms (pacs.008.001.13 does)"),
        ("/expiration", "pacs.008.001.08 has no expiry element"),
    ] {
        r.lose(f, why);
    }
    if t.extension_list.is_some() {
        r.lose("/extensionList", "SplmtryData content (xs:any) is not kept by this version");
    }
    let (dbtr, cdtr, rmt) = if let Some(q) = quote {
        let d = party(Some(&q.payer), "/quote/payer", "CdtTrfTxInf/Dbtr", &mut r);
        let c = party(Some(&q.payee), "/quote/payee", "CdtTrfTxInf/Cdtr", &mut r);
        let rmt = q.note.as_ref().filter(|n| n.chars().count() <= 140).map(|n| {
            r.map("/quote/note", "CdtTrfTxInf/RmtInf/Ustrd", None);
            RemittanceInformation16 { ustrd: vec![n.clone()], strd: Vec::new() }
        });
        for f in [
            "/quote/amountType",
            "/quote/transactionType",
            "/quote/fees",
            "/quote/geoCode",
            "/quote/extensionList",
        ] {
            r.lose(f, "no place in pacs.008.001.08");
        }
        (d, c, rmt)
    } else {
        r.lose("(payer, payee)", "not in the transfer body; pass the quote to map them");
        (PartyIdentification135::default(), PartyIdentification135::default(), None)
    };
    let tx = CreditTransferTransaction39 {
        pmt_id: PaymentIdentification7 {
            instr_id: None,
            end_to_end_id: compact.clone(),
            tx_id: Some(compact.clone()),
            uetr,
            clr_sys_ref: None,
        },
        intr_bk_sttlm_amt: ActiveCurrencyAndAmount { ccy: t.amount.currency.clone(), value },
        chrg_br: "SLEV".into(),
        instg_agt: Some(agent(&t.payer_fsp)),
        instd_agt: Some(agent(&t.payee_fsp)),
        dbtr,
        dbtr_agt: agent(&t.payer_fsp),
        cdtr_agt: agent(&t.payee_fsp),
        cdtr,
        rmt_inf: rmt,
        ..CreditTransferTransaction39::default()
    };
    let doc = pacs_008_001_08::Document {
        fi_to_fi_cstmr_cdt_trf: FIToFICustomerCreditTransferV08 {
            grp_hdr: GroupHeader93 {
                msg_id: compact,
                cre_dt_tm: created_at.to_owned(),
                nb_of_txs: "1".into(),
                sttlm_inf: SettlementInstruction7 {
                    sttlm_mtd: "CLRG".into(),
                    ..SettlementInstruction7::default()
                },
                ..GroupHeader93::default()
            },
            cdt_trf_tx_inf: vec![tx],
            splmtry_data: Vec::new(),
        },
    };
    Ok((Message { header: None, document: Document::Pacs008(Box::new(doc)) }, r))
}

/// The ILP terms a pacs.008.001.08 cannot carry, supplied for [`pacs008_to_transfer`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IlpTerms {
    /// ILP packet, base64url.
    pub ilp_packet: String,
    /// Condition, base64url.
    pub condition: String,
    /// Expiration (date-time).
    pub expiration: String,
}

fn fsp(a: &BranchAndFinancialInstitutionIdentification6) -> Option<&str> {
    let f = &a.fin_instn_id;
    f.othr.as_ref().map(|o| o.id.as_str()).or(f.bicfi.as_deref())
}

fn with_hyphens(hex32: &str) -> String {
    format!(
        "{}-{}-{}-{}-{}",
        &hex32[0..8],
        &hex32[8..12],
        &hex32[12..16],
        &hex32[16..20],
        &hex32[20..32]
    )
}

/// Maps a pacs.008.001.08 with one transaction to a Mojaloop `POST /transfers` body.
///
/// `transferId` comes from the UETR, else from a 32-hex `EndToEndId` or `TxId` (hyphens put
/// back), else from an id that already is a UUID. Every element of the message that is not
/// mapped is listed in the report's `lost`, by path.
///
/// # Errors
///
/// - [`PaymentError::UnsupportedMessage`]: not a pacs.008.
/// - [`PaymentError::MojaloopInvalid`]: not exactly one transaction, no UUID-shaped id, or an
///   agent without an `Othr/Id` or BIC.
/// - [`PaymentError::InvalidAmount`], [`PaymentError::UnknownCurrency`]: the amount cannot be
///   written in the Mojaloop pattern.
///
/// # Examples
///
/// ```
/// use dpikit_payments::mojaloop::{Money, TransferRequest};
/// use dpikit_payments::mojaloop::map::{IlpTerms, pacs008_to_transfer, transfer_to_pacs008};
///
/// let t = TransferRequest { transfer_id: "00000000-0000-1000-8000-000000000005".into(),
///     payee_fsp: "sim".into(), payer_fsp: "mojaloop-sdk".into(),
///     amount: Money { currency: "USD".into(), amount: "100".into() },
///     ilp_packet: "AQ".into(), condition: "f5sqb7tBTWPd5Y8BDFdMm9BJR_MNI4isf8p8n4D5pHA".into(),
///     expiration: "2020-01-20T11:31:49.325Z".into(), extension_list: None };
/// let (msg, _) = transfer_to_pacs008(&t, None, "2020-01-20T11:30:00Z")?;
/// let terms = IlpTerms { ilp_packet: t.ilp_packet.clone(), condition: t.condition.clone(),
///     expiration: t.expiration.clone() };
/// let (back, report) = pacs008_to_transfer(&msg, terms)?;
/// assert_eq!(back, t);
/// assert!(report.lost.iter().any(|l| l.field.ends_with("/ChrgBr")));
/// # Ok::<(), dpikit_payments::PaymentError>(())
/// ```
pub fn pacs008_to_transfer(
    msg: &Message,
    terms: IlpTerms,
) -> Result<(TransferRequest, MappingReport), PaymentError> {
    let Document::Pacs008(doc) = &msg.document else {
        return Err(PaymentError::UnsupportedMessage(format!(
            "{} is not pacs.008",
            msg.document.kind().id()
        )));
    };
    let ct = &doc.fi_to_fi_cstmr_cdt_trf;
    let [tx] = ct.cdt_trf_tx_inf.as_slice() else {
        return Err(PaymentError::MojaloopInvalid(
            "a Mojaloop transfer maps one transaction".into(),
        ));
    };
    let mut r = MappingReport::default();
    let mut used: BTreeSet<&str> = BTreeSet::new();
    let hex32 = |s: &str| {
        s.len() == 32 && s.bytes().all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
    };
    let id = &tx.pmt_id;
    let transfer_id = if let Some(u) = id.uetr.as_deref().filter(|u| is_fspiop_uuid(u)) {
        used.insert("CdtTrfTxInf/PmtId/UETR");
        r.map("CdtTrfTxInf/PmtId/UETR", "/transferId", None);
        u.to_owned()
    } else if hex32(&id.end_to_end_id) {
        used.insert("CdtTrfTxInf/PmtId/EndToEndId");
        r.map("CdtTrfTxInf/PmtId/EndToEndId", "/transferId", Some("hyphens put back"));
        with_hyphens(&id.end_to_end_id)
    } else if let Some(t) = id.tx_id.as_deref().filter(|t| hex32(t)) {
        used.insert("CdtTrfTxInf/PmtId/TxId");
        r.map("CdtTrfTxInf/PmtId/TxId", "/transferId", Some("hyphens put back"));
        with_hyphens(t)
    } else if let Some(t) = [Some(id.end_to_end_id.as_str()), id.tx_id.as_deref()]
        .into_iter()
        .flatten()
        .find(|t| is_fspiop_uuid(t))
    {
        r.map("CdtTrfTxInf/PmtId/EndToEndId|TxId", "/transferId", None);
        t.to_owned()
    } else {
        return Err(PaymentError::MojaloopInvalid(
            "no UETR, EndToEndId or TxId can be a transferId".into(),
        ));
    };
    let transfer_id = if is_fspiop_uuid(&transfer_id) {
        transfer_id
    } else {
        return Err(PaymentError::MojaloopInvalid(format!("{transfer_id:?} is not a FSPIOP UUID")));
    };
    // Ids that only repeat the transfer id are not lost.
    for (p, v) in [
        ("GrpHdr/MsgId", Some(ct.grp_hdr.msg_id.as_str())),
        ("CdtTrfTxInf/PmtId/EndToEndId", Some(id.end_to_end_id.as_str())),
        ("CdtTrfTxInf/PmtId/TxId", id.tx_id.as_deref()),
        ("CdtTrfTxInf/PmtId/UETR", id.uetr.as_deref()),
    ] {
        if v.is_some_and(|v| v.replace('-', "") == transfer_id.replace('-', "")) {
            used.insert(p);
        }
    }
    let payer_fsp = fsp(&tx.dbtr_agt)
        .ok_or_else(|| PaymentError::MojaloopInvalid("DbtrAgt has no id".into()))?;
    let payee_fsp = fsp(&tx.cdtr_agt)
        .ok_or_else(|| PaymentError::MojaloopInvalid("CdtrAgt has no id".into()))?;
    used.extend(["CdtTrfTxInf/DbtrAgt/FinInstnId/Othr/Id", "CdtTrfTxInf/DbtrAgt/FinInstnId/BICFI"]);
    used.extend(["CdtTrfTxInf/CdtrAgt/FinInstnId/Othr/Id", "CdtTrfTxInf/CdtrAgt/FinInstnId/BICFI"]);
    r.map("CdtTrfTxInf/DbtrAgt/FinInstnId/Othr/Id|BICFI", "/payerFsp", None);
    r.map("CdtTrfTxInf/CdtrAgt/FinInstnId/Othr/Id|BICFI", "/payeeFsp", None);
    if fsp_opt(tx.instg_agt.as_ref()) == Some(payer_fsp) {
        used.extend([
            "CdtTrfTxInf/InstgAgt/FinInstnId/Othr/Id",
            "CdtTrfTxInf/InstgAgt/FinInstnId/BICFI",
        ]);
    }
    if fsp_opt(tx.instd_agt.as_ref()) == Some(payee_fsp) {
        used.extend([
            "CdtTrfTxInf/InstdAgt/FinInstnId/Othr/Id",
            "CdtTrfTxInf/InstdAgt/FinInstnId/BICFI",
        ]);
    }
    let a = &tx.intr_bk_sttlm_amt;
    let amount = encode_mojaloop(a.value, Currency::from_code(&a.ccy)?)?;
    used.extend(["CdtTrfTxInf/IntrBkSttlmAmt", "CdtTrfTxInf/IntrBkSttlmAmt/@Ccy"]);
    r.map("CdtTrfTxInf/IntrBkSttlmAmt", "/amount", Some("trailing zeros removed"));
    used.extend(["GrpHdr/NbOfTxs", "GrpHdr/SttlmInf/SttlmMtd"]);
    for f in ["/ilpPacket", "/condition", "/expiration"] {
        r.map("(caller's ILP terms)", f, None);
    }
    report_unmapped(msg, &used, &mut r);
    let t = TransferRequest {
        transfer_id,
        payee_fsp: payee_fsp.to_owned(),
        payer_fsp: payer_fsp.to_owned(),
        amount: Money { currency: a.ccy.clone(), amount },
        ilp_packet: terms.ilp_packet,
        condition: terms.condition,
        expiration: terms.expiration,
        extension_list: None,
    };
    Ok((t, r))
}

/// Lists every element of `msg` not in `used` as lost.
fn report_unmapped(msg: &Message, used: &BTreeSet<&str>, r: &mut MappingReport) {
    let Ok(xml) = msg.document.to_xml() else { return };
    let Ok(tree) = crate::xml::parse_tree(xml.as_bytes(), &crate::xml::XmlLimits::default()) else {
        return;
    };
    let mut leaves = Vec::new();
    for c in &tree.children {
        for c2 in &c.children {
            leaf_paths(c2, "", &mut leaves);
        }
    }
    for p in leaves {
        if p != "GrpHdr/CreDtTm" && !used.contains(p.as_str()) {
            r.lose(&p, "no place in a Mojaloop transfer body");
        }
    }
}

fn fsp_opt(a: Option<&BranchAndFinancialInstitutionIdentification6>) -> Option<&str> {
    a.and_then(fsp)
}

fn leaf_paths(el: &crate::xml::Element, prefix: &str, out: &mut Vec<String>) {
    let p = if prefix.is_empty() { el.name.clone() } else { format!("{prefix}/{}", el.name) };
    for (k, _) in &el.attributes {
        if k != "xmlns" {
            out.push(format!("{p}/@{k}"));
        }
    }
    if el.children.is_empty() {
        out.push(p);
    } else {
        for c in &el.children {
            leaf_paths(c, &p, out);
        }
    }
}
