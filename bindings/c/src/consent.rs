//! Consent records, decisions, receipts, the SQLite ledger, and the external formats.

use std::ffi::c_char;

use serde_json::json;

use dpikit_consent::check::{Request, check};
use dpikit_consent::formats::{self, Format};
use dpikit_consent::ledger::{Ledger, SqliteStorage};
use dpikit_consent::lifecycle::State;
use dpikit_consent::model::{Code, ConsentRecord, Party, Purpose};
use dpikit_consent::receipt::{Receipt, verify_receipt};
use dpikit_core::ErrorCode;

use crate::ffi::{self, Failure, entry, invalid};
use crate::keys::dpikit_key;
use crate::{dpikit_result, parse_scheme, time_or_now, to_json};

/// A consent ledger on SQLite. Created by `dpikit_ledger_open`, freed by `dpikit_ledger_free`.
pub struct dpikit_ledger {
    ledger: Ledger<SqliteStorage>,
}

fn state(name: &str) -> Result<State, Failure> {
    State::ALL
        .into_iter()
        .find(|s| s.name().eq_ignore_ascii_case(name))
        .ok_or_else(|| invalid(format!("unknown consent state {name:?}")))
}

fn format(name: &str) -> Result<Format, Failure> {
    Format::from_name(name).ok_or_else(|| {
        invalid(format!("unknown consent format {name:?} (kantara, rebit, dpv, govstack)"))
    })
}

/// Creates a consent record (JSON) in the `requested` state: `principal` asked by
/// `controller` for `purpose`, a code of `scheme` (`dpv`, `kantara`, `rebit`, `local`).
/// The caller owns `*record_out` and frees it with `dpikit_string_free`; on error it is
/// untouched.
///
/// # Safety
///
/// Inputs valid for their lengths; `record_out` writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn dpikit_consent_request(
    id: *const u8,
    id_len: usize,
    principal: *const u8,
    principal_len: usize,
    controller: *const u8,
    controller_len: usize,
    scheme: *const u8,
    scheme_len: usize,
    purpose: *const u8,
    purpose_len: usize,
    record_out: *mut *mut c_char,
) -> dpikit_result {
    entry!(record_out, |id: text(id_len),
                        principal: text(principal_len),
                        controller: text(controller_len),
                        scheme: text(scheme_len),
                        purpose: text(purpose_len)| {
        let purpose = Purpose::new(Code::new(parse_scheme(scheme)?, purpose), "");
        let record = ConsentRecord::request(id, principal, Party::new(controller, ""), purpose);
        record.validate()?;
        record.to_json()
    })
}

/// Moves a consent record (JSON) to state `to` (`given`, `withdrawn`, `paused`, ...) at `at`
/// (RFC 3339; NULL = now) by `actor` (NULL = the principal) for `reason` (may be NULL), and
/// writes the updated record. `DPIKIT_ERR_ILLEGAL_TRANSITION` when the lifecycle forbids it.
/// The caller owns `*record_out` and frees it with `dpikit_string_free`; on error it is
/// untouched.
///
/// # Safety
///
/// Inputs NULL (where allowed) or valid for their lengths; `record_out` writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn dpikit_consent_transition(
    record: *const u8,
    record_len: usize,
    to: *const u8,
    to_len: usize,
    at: *const u8,
    at_len: usize,
    actor: *const u8,
    actor_len: usize,
    reason: *const u8,
    reason_len: usize,
    record_out: *mut *mut c_char,
) -> dpikit_result {
    entry!(record_out, |record: bytes(record_len),
                        to: text(to_len),
                        at: opt_text(at_len),
                        actor: opt_text(actor_len),
                        reason: opt_text(reason_len)| {
        let mut record = ConsentRecord::from_json(record)?;
        let actor = actor.map_or_else(|| record.principal.clone(), str::to_owned);
        record.transition(state(to)?, time_or_now(at)?, &actor, reason)?;
        record.to_json()
    })
}

/// Decides whether `controller` may use data under a consent record (JSON) for `purpose` (a
/// code of `scheme`) at `at` (RFC 3339; NULL = now). Writes 0 to `*reason_out` when allowed,
/// else the 3xxx code saying why not, and the decision (JSON) to `*decision_out` (the caller
/// owns it and frees it with `dpikit_string_free`). A denial is an answer, not an error: the
/// call returns `DPIKIT_OK`. On error both outputs are untouched.
///
/// # Safety
///
/// As `dpikit_consent_transition`; both outputs writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn dpikit_consent_check(
    record: *const u8,
    record_len: usize,
    controller: *const u8,
    controller_len: usize,
    scheme: *const u8,
    scheme_len: usize,
    purpose: *const u8,
    purpose_len: usize,
    at: *const u8,
    at_len: usize,
    reason_out: *mut dpikit_result,
    decision_out: *mut *mut c_char,
) -> dpikit_result {
    entry!(
        (reason_out, decision_out),
        |record: bytes(record_len),
         controller: text(controller_len),
         scheme: text(scheme_len),
         purpose: text(purpose_len),
         at: opt_text(at_len)| {
            let record = ConsentRecord::from_json(record)?;
            let purpose = Code::new(parse_scheme(scheme)?, purpose);
            let decision = check(&record, &Request::new(controller, &purpose, time_or_now(at)?))?;
            (decision.reason.map_or(0, ErrorCode::value), to_json(&decision)?)
        }
    )
}

/// Signs a consent receipt for a record (JSON) as a compact JWS, issued now with id
/// `receipt_id`. The caller owns `*token_out` and frees it with `dpikit_string_free`; on error
/// it is untouched.
///
/// # Safety
///
/// As `dpikit_jws_sign`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn dpikit_consent_receipt_sign(
    key: *const dpikit_key,
    record: *const u8,
    record_len: usize,
    receipt_id: *const u8,
    receipt_id_len: usize,
    token_out: *mut *mut c_char,
) -> dpikit_result {
    entry!(token_out, |key: handle, record: bytes(record_len), receipt_id: text(receipt_id_len)| {
        let record = ConsentRecord::from_json(record)?;
        Receipt::new(&record, receipt_id, chrono::Utc::now())?.sign(key.signer()?)?
    })
}

/// Verifies a signed consent receipt with `key` and writes the receipt (JSON). A wrong key
/// or a tampered receipt is `DPIKIT_ERR_RECEIPT_INVALID`. The caller owns `*receipt_out` and
/// frees it with `dpikit_string_free`; on error it is untouched.
///
/// # Safety
///
/// As `dpikit_jws_sign`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn dpikit_consent_receipt_verify(
    key: *const dpikit_key,
    token: *const u8,
    token_len: usize,
    receipt_out: *mut *mut c_char,
) -> dpikit_result {
    entry!(receipt_out, |key: handle, token: text(token_len)| {
        to_json(&verify_receipt(token.trim(), &key.public)?.receipt)?
    })
}

/// Imports a consent document of `format` (`kantara`, `rebit`, `dpv` or `govstack`) and writes
/// `{"records": [...], "loss": {"dropped": [...], "warnings": [...]}, "findings": [...]}`:
/// the records in dpikit's model, what the mapping could not carry (kept in each record's
/// `extensions`), and GovStack's failed integrity checks (a failed check does not fail the
/// call). An unknown format is `DPIKIT_ERR_INVALID_ARGUMENT`; a document the format cannot
/// read is `DPIKIT_ERR_CONSENT_IMPORT_FAILED` (or the JSON intake's 1xxx code). The caller owns
/// `*imported_out` and frees it with `dpikit_string_free`; on error it is untouched.
///
/// # Safety
///
/// Inputs valid for their lengths; `imported_out` writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn dpikit_consent_import(
    format_name: *const u8,
    format_name_len: usize,
    document: *const u8,
    document_len: usize,
    imported_out: *mut *mut c_char,
) -> dpikit_result {
    entry!(imported_out, |format_name: text(format_name_len), document: bytes(document_len)| {
        let c = formats::import(format(format_name)?, document)?;
        let (records, findings) = (c.value.records, c.value.findings);
        to_json(&json!({"records": records, "loss": c.report, "findings": findings}))?
    })
}

/// Exports a consent record (dpikit's JSON) to `format` (`kantara`, `rebit` or `dpv`;
/// GovStack is import-only: `DPIKIT_ERR_CONSENT_EXPORT_INVALID`) and writes
/// `{"value": {...}, "loss": {"dropped": [...], "warnings": [...]}}`. The caller owns
/// `*exported_out` and frees it with `dpikit_string_free`; on error it is untouched.
///
/// # Safety
///
/// Inputs valid for their lengths; `exported_out` writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn dpikit_consent_export(
    format_name: *const u8,
    format_name_len: usize,
    record: *const u8,
    record_len: usize,
    exported_out: *mut *mut c_char,
) -> dpikit_result {
    entry!(exported_out, |format_name: text(format_name_len), record: bytes(record_len)| {
        let c = formats::export(format(format_name)?, &ConsentRecord::from_json(record)?)?;
        to_json(&json!({"value": c.value, "loss": c.report}))?
    })
}

/// Opens (or creates) a SQLite consent ledger at `path` (UTF-8; `:memory:` for an in-memory
/// one). The caller owns `*ledger_out` and frees it with `dpikit_ledger_free`; on error it is
/// untouched.
///
/// # Safety
///
/// `path` valid for its length; `ledger_out` writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn dpikit_ledger_open(
    path: *const u8,
    path_len: usize,
    ledger_out: *mut *mut dpikit_ledger,
) -> dpikit_result {
    entry!(ledger_out, |path: text(path_len)| {
        let storage = if path == ":memory:" {
            SqliteStorage::open_in_memory()?
        } else {
            SqliteStorage::open(path)?
        };
        Box::new(dpikit_ledger { ledger: Ledger::new(storage)? })
    })
}

/// Closes a ledger. NULL is a no-op.
///
/// # Safety
///
/// `ledger` is NULL or from this library, not yet freed.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn dpikit_ledger_free(ledger: *mut dpikit_ledger) {
    // SAFETY: the caller's contract.
    unsafe { ffi::free(ledger) };
}

/// Appends a snapshot of a consent record (JSON) to the ledger as an entry of `kind` (e.g.
/// `consent.given`) at `at` (RFC 3339; NULL = now). On error the ledger is unchanged.
///
/// # Safety
///
/// `ledger` NULL or live and not used by another thread during the call; inputs valid.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn dpikit_ledger_append(
    ledger: *mut dpikit_ledger,
    kind: *const u8,
    kind_len: usize,
    record: *const u8,
    record_len: usize,
    at: *const u8,
    at_len: usize,
) -> dpikit_result {
    entry!((), |ledger: handle_mut,
                kind: text(kind_len),
                record: bytes(record_len),
                at: opt_text(at_len)| {
        let record = ConsentRecord::from_json(record)?;
        ledger.ledger.append_record(kind, &record, time_or_now(at)?)?;
    })
}

/// Writes the latest snapshot of consent record `id` (JSON); `DPIKIT_ERR_CONSENT_NOT_FOUND`
/// when the ledger holds none. The caller owns `*record_out` and frees it with
/// `dpikit_string_free`; on error it is untouched.
///
/// # Safety
///
/// `ledger` NULL or live; `id` valid; `record_out` writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn dpikit_ledger_current(
    ledger: *const dpikit_ledger,
    id: *const u8,
    id_len: usize,
    record_out: *mut *mut c_char,
) -> dpikit_result {
    entry!(record_out, |ledger: handle, id: text(id_len)| {
        let record = ledger.ledger.current_record(id)?;
        record.ok_or_else(|| dpikit_consent::ConsentError::NotFound(id.to_owned()))?.to_json()
    })
}

/// Walks the ledger's hash chain (and its signed checkpoints when `key` is not NULL) and
/// writes the number of entries checked. A broken chain returns its 3xxx code and leaves
/// `*entries_out` untouched.
///
/// # Safety
///
/// `ledger` NULL or live; `key` NULL or live; `entries_out` writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn dpikit_ledger_verify(
    ledger: *const dpikit_ledger,
    key: *const dpikit_key,
    entries_out: *mut u64,
) -> dpikit_result {
    entry!(entries_out, |ledger: handle, key: opt_handle| {
        let verifier = key.map(|k| &k.public as &dyn dpikit_core::jws::Verifier);
        ledger.ledger.verify(verifier)?.entries
    })
}
