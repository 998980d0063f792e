//! Payments: ISO 20022 validation and conversion, G2P bulk batches, reconciliation, Mojaloop.

use std::ffi::c_char;

use serde_json::json;

use dpikit_core::Limits;
use dpikit_core::encoding::b64url_encode;
use dpikit_payments::bulk::{self, Account, Batch, BatchConfig, CsvLimits};
use dpikit_payments::iso::{self, Message, ParseOptions};
use dpikit_payments::mojaloop::ilp;
use dpikit_payments::mojaloop::map::{IlpTerms, pacs008_to_transfer, transfer_to_pacs008};
use dpikit_payments::mojaloop::parse_transfer_request;
use dpikit_payments::reconcile::reconcile_xml;
use dpikit_payments::validate::{self, CbprPlus, SchemeRule};

use crate::ffi::{entry, invalid};
use crate::{dpikit_result, to_json};

/// `value`, or the current UTC time written with `format`.
fn or_now(value: Option<&str>, format: &str) -> String {
    value.map_or_else(|| chrono::Utc::now().format(format).to_string(), str::to_owned)
}

fn rule_packs(rules: Option<&str>) -> Result<Vec<&'static dyn SchemeRule>, crate::ffi::Failure> {
    match rules {
        None => Ok(Vec::new()),
        Some("cbpr-plus") => Ok(vec![&CbprPlus]),
        Some(other) => Err(invalid(format!("unknown rule pack {other:?} (cbpr-plus)"))),
    }
}

/// Parses an ISO 20022 message (a bare `Document`, an `AppHdr` + `Document` pair, or either in
/// an envelope) and validates it: XSD facets, business rules, and the scheme rule pack `rules`
/// (`cbpr-plus`, or NULL for none). With `lenient`, unknown elements are findings instead of
/// errors. Writes the code of the first finding to `*first_finding_out` (0 when there is none)
/// and `{"valid", "message_type", "findings": [{"code", "location", "message"}]}` to
/// `*report_out`: findings are an answer, the call returns `DPIKIT_OK`. A message that cannot
/// be read returns its 4xxx code (`DPIKIT_ERR_XML_FORBIDDEN`, `DPIKIT_ERR_UNKNOWN_ELEMENT`, ...).
/// The caller owns `*report_out` and frees it with `dpikit_string_free`; on error both outputs
/// are untouched.
///
/// # Safety
///
/// Inputs NULL (where allowed) or valid for their lengths; both outputs writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn dpikit_iso20022_validate(
    xml: *const u8,
    xml_len: usize,
    lenient: bool,
    rules: *const u8,
    rules_len: usize,
    first_finding_out: *mut dpikit_result,
    report_out: *mut *mut c_char,
) -> dpikit_result {
    entry!((first_finding_out, report_out), |xml: bytes(xml_len), rules: opt_text(rules_len)| {
        let rules = rule_packs(rules)?;
        let parsed = iso::parse(xml, &ParseOptions { lenient, ..ParseOptions::default() })?;
        let mut findings = parsed.findings;
        findings.extend(validate::validate_with(&parsed.message, &rules));
        let first = findings.first().map_or(0, |f| f.code.value());
        let kind = parsed.message.document.kind().id();
        let valid = findings.is_empty();
        (first, to_json(&json!({"valid": valid, "message_type": kind, "findings": findings}))?)
    })
}

/// Converts an ISO 20022 XML message to dpikit's JSON form (`{"message", "AppHdr"?,
/// "Document"}`, amounts as strings), which `dpikit_iso20022_to_xml` reads back losslessly.
/// The caller owns `*json_out` and frees it with `dpikit_string_free`; on error it is
/// untouched.
///
/// # Safety
///
/// `xml` valid for its length; `json_out` writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn dpikit_iso20022_to_json(
    xml: *const u8,
    xml_len: usize,
    json_out: *mut *mut c_char,
) -> dpikit_result {
    entry!(json_out, |xml: bytes(xml_len)| {
        to_json(&iso::parse(xml, &ParseOptions::default())?.message.to_json()?)?
    })
}

/// Serialises dpikit's JSON form of an ISO 20022 message as XML with the right namespaces
/// (the bare `Document`, or `AppHdr` + `Document` in one `BizMsg` wrapper). The caller owns
/// `*xml_out` and frees it with `dpikit_string_free`; on error it is untouched.
///
/// # Safety
///
/// `json` valid for its length; `xml_out` writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn dpikit_iso20022_to_xml(
    json: *const u8,
    json_len: usize,
    xml_out: *mut *mut c_char,
) -> dpikit_result {
    entry!(xml_out, |json: bytes(json_len)| Message::from_json(json, &Limits::default())?
        .to_xml()?)
}

/// Builds a G2P disbursement batch from a CSV of beneficiaries (columns `id`, `name`,
/// `account` (IBAN, MSISDN or other id), `amount`, `currency`, `reference` [,
/// `execution_date`, `provider`]) and writes it as pain.001.001.09 XML to `*xml_out`, paid
/// from `debtor_account` of `debtor_name` (`debtor_bic` may be NULL) on `execution_date`
/// (YYYY-MM-DD; NULL = today), created at `created_at` (xs:dateTime; NULL = now). Rows with
/// errors are left out of the batch and reported: `*report_out` is `{"batch_id", "payments",
/// "blocks", "errors": [{"row", "column", "code", "message"}], "ignored_columns"}`. A bad
/// configuration is `DPIKIT_ERR_BATCH_INVALID`, an unreadable CSV
/// `DPIKIT_ERR_BULK_ROW_INVALID`. The caller owns both outputs and frees each with
/// `dpikit_string_free`; on error both are untouched.
///
/// # Safety
///
/// Inputs NULL (where allowed) or valid for their lengths; both outputs writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn dpikit_payments_bulk_pain001(
    csv: *const u8,
    csv_len: usize,
    batch_id: *const u8,
    batch_id_len: usize,
    debtor_name: *const u8,
    debtor_name_len: usize,
    debtor_account: *const u8,
    debtor_account_len: usize,
    debtor_bic: *const u8,
    debtor_bic_len: usize,
    execution_date: *const u8,
    execution_date_len: usize,
    created_at: *const u8,
    created_at_len: usize,
    xml_out: *mut *mut c_char,
    report_out: *mut *mut c_char,
) -> dpikit_result {
    entry!(
        (xml_out, report_out),
        |csv: bytes(csv_len),
         batch_id: text(batch_id_len),
         debtor_name: text(debtor_name_len),
         debtor_account: text(debtor_account_len),
         debtor_bic: opt_text(debtor_bic_len),
         execution_date: opt_text(execution_date_len),
         created_at: opt_text(created_at_len)| {
            let created = or_now(created_at, "%Y-%m-%dT%H:%M:%SZ");
            let date = or_now(execution_date, "%Y-%m-%d");
            let mut config = BatchConfig::new(
                batch_id,
                &created,
                &date,
                debtor_name,
                Account::parse(debtor_account),
            );
            config.debtor_agent_bic = debtor_bic.map(Into::into);
            let o = bulk::from_csv(csv, &config, &CsvLimits::default())?;
            let (payments, blocks) = (o.batch.len(), o.batch.blocks.len());
            let report = json!({"batch_id": batch_id, "payments": payments, "blocks": blocks,
            "errors": o.errors, "ignored_columns": o.ignored_columns});
            (o.batch.to_pain001_xml()?, to_json(&report)?)
        }
    )
}

/// Reconciles status reports (pacs.002, pain.002, camt.054, camt.053: `count` XML documents,
/// report `i` at `reports[i]` with `report_lens[i]` bytes) with the pain.001 batch they answer,
/// and writes the reconciliation (JSON): one row per payment in batch order (`end_to_end_id`,
/// `beneficiary_id`, `row`, `amount`, `currency`, `status`), totals of settled, rejected and
/// pending payments, references that match no payment, and mismatches. The caller owns
/// `*reconciliation_out` and frees it with `dpikit_string_free`; on error it is untouched.
///
/// # Safety
///
/// `batch` valid for its length; `reports` and `report_lens` NULL (when `count` is 0) or
/// `count` elements long, each report valid for its length; `reconciliation_out` writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn dpikit_payments_reconcile(
    batch: *const u8,
    batch_len: usize,
    reports: *const *const u8,
    report_lens: *const usize,
    count: usize,
    reconciliation_out: *mut *mut c_char,
) -> dpikit_result {
    entry!(
        reconciliation_out,
        |batch: bytes(batch_len), reports: bytes_list(report_lens, count)| {
            let batch = Batch::from_pain001(&iso::parse(batch, &ParseOptions::default())?.message)?;
            to_json(&reconcile_xml(&batch, &reports)?)?
        }
    )
}

/// Computes the Mojaloop condition, SHA-256 of a fulfilment (both 32 bytes as base64url
/// without padding, as in FSPIOP bodies). A fulfilment that is not 43 base64url characters is
/// `DPIKIT_ERR_ILP_INVALID`. The caller owns `*condition_out` and frees it with
/// `dpikit_string_free`; on error it is untouched.
///
/// # Safety
///
/// `fulfilment` valid for its length; `condition_out` writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn dpikit_mojaloop_condition(
    fulfilment: *const u8,
    fulfilment_len: usize,
    condition_out: *mut *mut c_char,
) -> dpikit_result {
    entry!(condition_out, |fulfilment: text(fulfilment_len)| {
        b64url_encode(&ilp::condition(&ilp::decode32(fulfilment)?))
    })
}

/// Computes the fulfilment HMAC-SHA256(`secret`, ILP packet) of a Mojaloop transfer and its
/// condition; `packet` is the `ilpPacket` of the transfer (base64url, padding tolerated).
/// Writes both as base64url. The caller owns both outputs and frees each with
/// `dpikit_string_free`; on error both are untouched.
///
/// # Safety
///
/// Inputs valid for their lengths; both outputs writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn dpikit_mojaloop_fulfil(
    secret: *const u8,
    secret_len: usize,
    packet: *const u8,
    packet_len: usize,
    fulfilment_out: *mut *mut c_char,
    condition_out: *mut *mut c_char,
) -> dpikit_result {
    entry!(
        (fulfilment_out, condition_out),
        |secret: bytes(secret_len), packet: text(packet_len)| {
            let f = ilp::fulfilment(secret, &ilp::decode_packet_b64(packet)?);
            (b64url_encode(&f), b64url_encode(&ilp::condition(&f)))
        }
    )
}

/// Checks that a fulfilment hashes to a condition (both base64url): `DPIKIT_OK` when it does,
/// `DPIKIT_ERR_CONDITION_MISMATCH` when not, `DPIKIT_ERR_ILP_INVALID` for a malformed value.
///
/// # Safety
///
/// Inputs valid for their lengths.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn dpikit_mojaloop_verify_fulfilment(
    fulfilment: *const u8,
    fulfilment_len: usize,
    condition: *const u8,
    condition_len: usize,
) -> dpikit_result {
    entry!((), |fulfilment: text(fulfilment_len), condition: text(condition_len)| {
        ilp::verify_fulfilment(fulfilment, condition)?;
    })
}

/// Maps a Mojaloop FSPIOP transfer request (`POST /transfers` body, JSON) to a pacs.008.001.08
/// created at `created_at` (xs:dateTime; NULL = now) and writes the XML and the mapping report
/// (JSON: what pacs.008 cannot carry, such as the ILP packet, under `lost`). The caller owns
/// both outputs and frees each with `dpikit_string_free`; on error both are untouched.
///
/// # Safety
///
/// Inputs NULL (where allowed) or valid for their lengths; both outputs writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn dpikit_mojaloop_to_pacs008(
    transfer: *const u8,
    transfer_len: usize,
    created_at: *const u8,
    created_at_len: usize,
    xml_out: *mut *mut c_char,
    report_out: *mut *mut c_char,
) -> dpikit_result {
    entry!(
        (xml_out, report_out),
        |transfer: bytes(transfer_len), created_at: opt_text(created_at_len)| {
            let t = parse_transfer_request(transfer, &Limits::default())?;
            let (message, report) =
                transfer_to_pacs008(&t, None, &or_now(created_at, "%Y-%m-%dT%H:%M:%SZ"))?;
            (message.to_xml()?, to_json(&report)?)
        }
    )
}

/// Maps a pacs.008.001.08 (XML) back to a Mojaloop transfer request, with the ILP terms the
/// pacs.008 does not carry (`ilp_packet` and `condition` base64url, `expiration` date-time),
/// and writes the transfer (JSON) and the mapping report (JSON). Another message type is
/// `DPIKIT_ERR_UNSUPPORTED_MESSAGE`. The caller owns both outputs and frees each with
/// `dpikit_string_free`; on error both are untouched.
///
/// # Safety
///
/// Inputs valid for their lengths; both outputs writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn dpikit_mojaloop_from_pacs008(
    xml: *const u8,
    xml_len: usize,
    ilp_packet: *const u8,
    ilp_packet_len: usize,
    condition: *const u8,
    condition_len: usize,
    expiration: *const u8,
    expiration_len: usize,
    transfer_out: *mut *mut c_char,
    report_out: *mut *mut c_char,
) -> dpikit_result {
    entry!(
        (transfer_out, report_out),
        |xml: bytes(xml_len),
         ilp_packet: text(ilp_packet_len),
         condition: text(condition_len),
         expiration: text(expiration_len)| {
            let message = iso::parse(xml, &ParseOptions::default())?.message;
            let terms = IlpTerms {
                ilp_packet: ilp_packet.into(),
                condition: condition.into(),
                expiration: expiration.into(),
            };
            let (transfer, report) = pacs008_to_transfer(&message, terms)?;
            (to_json(&transfer)?, to_json(&report)?)
        }
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use dpikit_core::ErrorCode;

    #[test]
    fn rule_packs_are_named() {
        assert_eq!(rule_packs(None).map(|r| r.len()).ok(), Some(0));
        assert_eq!(rule_packs(Some("cbpr-plus")).map(|r| r.len()).ok(), Some(1));
        assert_eq!(
            rule_packs(Some("sepa")).err().map(|f| f.code),
            Some(ErrorCode::InvalidArgument.value())
        );
    }
}
