//! Consent: records, state changes, access checks, receipts, formats, and an in-memory
//! ledger whose chain exports to and imports from JSON.

use dpikit_consent::Result as ConsentResult;
use dpikit_consent::check::{Request, check};
use dpikit_consent::formats::{self, LossReport};
use dpikit_consent::ledger::{Entry, Ledger, MemoryStorage, Storage};
use dpikit_consent::lifecycle::State;
use dpikit_consent::model::{Code, ConsentRecord, DataCategory, Party, Purpose, Scheme};
use dpikit_consent::receipt::{Receipt, verify_receipt};
use dpikit_core::ErrorCode;
use dpikit_core::encoding::hex_encode;
use dpikit_core::time::format_rfc3339;
use serde::Deserialize;
use serde_json::{Value, json};
use wasm_bindgen::prelude::*;

use crate::conv::{json_bytes, json_in, options, timestamp_or_now, to_js_value};
use crate::errors::{invalid_argument, to_js};
use crate::keys::{KeyPair, public_of, signer};

fn scheme(name: Option<&str>) -> Result<Scheme, JsValue> {
    let name = name.unwrap_or("dpv");
    serde_json::from_value(json!(name.to_ascii_lowercase())).map_err(|_| {
        invalid_argument(format!("unknown scheme {name:?}: dpv, kantara, rebit or local"))
    })
}

fn state(name: &str) -> Result<State, JsValue> {
    State::ALL
        .into_iter()
        .find(|s| s.name().eq_ignore_ascii_case(name))
        .ok_or_else(|| invalid_argument(format!("unknown consent state {name:?}")))
}

fn record_in(record: &JsValue) -> Result<ConsentRecord, JsValue> {
    ConsentRecord::from_json(&json_bytes(record)?).map_err(to_js)
}

fn record_out(record: &ConsentRecord) -> Result<JsValue, JsValue> {
    to_js_value(&record.to_value())
}

/// The fields of a new consent record ([`new_consent_record`]).
#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase", default, deny_unknown_fields)]
struct NewRecord {
    id: String,
    principal: String,
    controller: String,
    purpose: String,
    controller_name: String,
    purpose_text: String,
    scheme: Option<String>,
    data_categories: Vec<String>,
    expires: Option<String>,
}

/// Starts a consent record in the `Requested` state: `{id, principal, controller, purpose,
/// controllerName?, purposeText?, scheme? ("dpv"), dataCategories?, expires?}`.
///
/// # Errors
///
/// `invalid_argument` for unknown members; `malformed_consent` for an invalid record.
#[wasm_bindgen(js_name = newConsentRecord)]
pub fn new_consent_record(fields: &JsValue) -> Result<JsValue, JsValue> {
    let f: NewRecord = options(fields)?;
    let scheme = scheme(f.scheme.as_deref())?;
    let controller = Party::new(f.controller, f.controller_name);
    let purpose = Purpose::new(Code::new(scheme.clone(), f.purpose), f.purpose_text);
    let mut r = ConsentRecord::request(f.id, f.principal, controller, purpose);
    r.data_categories = f
        .data_categories
        .into_iter()
        .map(|c| DataCategory { code: Code::new(scheme.clone(), c), sensitive: false })
        .collect();
    r.validity.expiry =
        f.expires.map(|t| timestamp_or_now(Some(&t))).transpose()?.map(|t| format_rfc3339(&t));
    r.validate().map_err(to_js)?;
    record_out(&r)
}

/// Options of [`transition_consent`].
#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase", default, deny_unknown_fields)]
struct TransitionOptions {
    at: Option<String>,
    actor: Option<String>,
    reason: Option<String>,
}

/// Moves a record to state `to` (`"Given"`, `"Withdrawn"`, …) and returns the new record;
/// options `{at, actor (default: the principal), reason}`.
///
/// # Errors
///
/// `illegal_transition`, `malformed_consent`, `invalid_argument` by code.
#[wasm_bindgen(js_name = transitionConsent)]
pub fn transition_consent(record: &JsValue, to: &str, opts: &JsValue) -> Result<JsValue, JsValue> {
    let (mut r, to, o) = (record_in(record)?, state(to)?, options::<TransitionOptions>(opts)?);
    let actor = o.actor.unwrap_or_else(|| r.principal.clone());
    r.transition(to, timestamp_or_now(o.at.as_deref())?, &actor, o.reason.as_deref())
        .map_err(to_js)?;
    record_out(&r)
}

/// The record's state at `at` (default now; expiry evaluated), e.g. `"Given"`.
///
/// # Errors
///
/// `malformed_consent`, `invalid_timestamp`.
#[wasm_bindgen(js_name = consentStateAt)]
pub fn consent_state_at(record: &JsValue, at: Option<String>) -> Result<String, JsValue> {
    let r = record_in(record)?;
    r.state_at(timestamp_or_now(at.as_deref())?).map(|s| s.name().to_owned()).map_err(to_js)
}

/// Options of [`check_access`].
#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase", default, deny_unknown_fields)]
struct CheckOptions {
    scheme: Option<String>,
    data_category: Option<String>,
    at: Option<String>,
    prior_uses: Vec<String>,
}

/// Decides whether `controller` may use data for `purpose` under `record`: `{allowed,
/// reason (3xxx code or null), reasonName, detail}`; a denial is not an exception.
///
/// # Errors
///
/// `malformed_consent`, `invalid_timestamp`, `invalid_argument`.
#[wasm_bindgen(js_name = checkAccess)]
pub fn check_access(
    record: &JsValue,
    controller: &str,
    purpose: &str,
    opts: &JsValue,
) -> Result<JsValue, JsValue> {
    let (r, o) = (record_in(record)?, options::<CheckOptions>(opts)?);
    let scheme = scheme(o.scheme.as_deref())?;
    let purpose = Code::new(scheme.clone(), purpose);
    let category = o.data_category.map(|c| Code::new(scheme, c));
    let prior =
        o.prior_uses.iter().map(|t| timestamp_or_now(Some(t))).collect::<Result<Vec<_>, _>>()?;
    let mut request = Request::new(controller, &purpose, timestamp_or_now(o.at.as_deref())?);
    (request.data_category, request.prior_uses) = (category.as_ref(), &prior);
    let d = check(&r, &request).map_err(to_js)?;
    to_js_value(&json!({"allowed": d.allowed, "reason": d.reason.map(ErrorCode::value),
        "reasonName": d.reason.map(ErrorCode::name), "detail": d.detail}))
}

/// Signs a consent receipt for `record` with `key` (a compact JWS); `at` defaults to now.
///
/// # Errors
///
/// `malformed_consent`, signing errors by code.
#[wasm_bindgen(js_name = signConsentReceipt)]
pub fn sign_consent_receipt(
    record: &JsValue,
    key: &KeyPair,
    at: Option<String>,
) -> Result<String, JsValue> {
    let (r, at) = (record_in(record)?, timestamp_or_now(at.as_deref())?);
    let id = format!("{}#receipt", r.id);
    Receipt::new(&r, id, at).and_then(|rc| rc.sign(&signer(key, None))).map_err(to_js)
}

/// Verifies a consent receipt with a public key (JWK, did:key or Multikey): `{kid, receipt}`.
///
/// # Errors
///
/// `receipt_invalid` and the JWS errors by code.
#[wasm_bindgen(js_name = verifyConsentReceipt)]
pub fn verify_consent_receipt(token: &str, key: &JsValue) -> Result<JsValue, JsValue> {
    let v = verify_receipt(token.trim(), &public_of(key)?).map_err(to_js)?;
    to_js_value(&json!({"kid": v.kid, "receipt": v.receipt}))
}

fn loss(report: &LossReport) -> Value {
    json!({"dropped": report.dropped, "warnings": report.warnings})
}

/// Imports `data` (object, JSON text or bytes) from `format` (`kantara`, `rebit`, `dpv`,
/// `govstack`): `{records, loss: {dropped, warnings}, findings}`.
///
/// # Errors
///
/// `consent_import_failed`, `duplicate_key`, … by code.
#[wasm_bindgen(js_name = importConsent)]
pub fn import_consent(format: &str, data: &JsValue) -> Result<JsValue, JsValue> {
    let (records, report, findings) = import(format, &json_bytes(data)?).map_err(to_js)?;
    let records: Vec<Value> = records.iter().map(ConsentRecord::to_value).collect();
    to_js_value(&json!({"records": records, "loss": loss(&report), "findings": findings}))
}

fn import(format: &str, bytes: &[u8]) -> ConsentResult<(Vec<ConsentRecord>, LossReport, Value)> {
    let c = formats::import_named(format, bytes)?;
    let findings = serde_json::to_value(&c.value.findings).unwrap_or_default();
    Ok((c.value.records, c.report, findings))
}

/// Exports `record` to `format` (`kantara`, `rebit`, `dpv`): `{value, loss}`.
///
/// # Errors
///
/// `consent_export_invalid`; `invalid_argument` for another format.
#[wasm_bindgen(js_name = exportConsent)]
pub fn export_consent(format: &str, record: &JsValue) -> Result<JsValue, JsValue> {
    let r = record_in(record)?;
    let format = formats::Format::for_export(format).ok_or_else(|| {
        invalid_argument(format!("cannot export to {format:?}: kantara, rebit or dpv"))
    })?;
    let c = formats::export(format, &r).map_err(to_js)?;
    to_js_value(&json!({"value": c.value, "loss": loss(&c.report)}))
}

/// A tamper-evident consent ledger kept in memory; `exportJson`/`importJson` carry the
/// hash chain between sessions (e.g. to IndexedDB or a server).
#[wasm_bindgen]
pub struct ConsentLedger {
    inner: Ledger<MemoryStorage>,
}

#[wasm_bindgen]
impl ConsentLedger {
    /// An empty ledger.
    ///
    /// # Errors
    ///
    /// `ledger_storage` (not expected for memory storage).
    #[wasm_bindgen(constructor)]
    pub fn new() -> Result<ConsentLedger, JsValue> {
        Ledger::new(MemoryStorage::new()).map(|inner| ConsentLedger { inner }).map_err(to_js)
    }

    /// Reads a chain exported by [`ConsentLedger::export_json`] (array of entries, or its
    /// JSON text) and checks every link.
    ///
    /// # Errors
    ///
    /// `ledger_tampered` when a link does not fit; `malformed_json`, `invalid_argument`.
    #[wasm_bindgen(js_name = importJson)]
    pub fn import_json(entries: &JsValue) -> Result<ConsentLedger, JsValue> {
        let entries: Vec<Entry> =
            serde_json::from_value(json_in(entries)?).map_err(invalid_argument)?;
        let mut storage = MemoryStorage::new();
        storage.append_batch(&entries).map_err(to_js)?;
        let inner = Ledger::new(storage).map_err(to_js)?;
        inner.verify(None).map_err(to_js)?;
        Ok(ConsentLedger { inner })
    }

    /// Appends a snapshot of `record` under `kind` (e.g. `consent.given`) at `at` (default
    /// now); returns the new entry.
    ///
    /// # Errors
    ///
    /// `malformed_consent`, `ledger_storage` by code.
    #[wasm_bindgen(js_name = appendRecord)]
    pub fn append_record(
        &mut self,
        kind: &str,
        record: &JsValue,
        at: Option<String>,
    ) -> Result<JsValue, JsValue> {
        let (r, at) = (record_in(record)?, timestamp_or_now(at.as_deref())?);
        to_js_value(&self.inner.append_record(kind, &r, at).map_err(to_js)?)
    }

    /// The number of entries.
    #[wasm_bindgen(getter)]
    #[must_use]
    pub fn length(&self) -> f64 {
        // Sequence numbers stop at 2^53, exact in a JS number.
        #[allow(clippy::cast_precision_loss)]
        let n = self.inner.len() as f64;
        n
    }

    /// The latest state of record `id`, or `null`.
    ///
    /// # Errors
    ///
    /// `ledger_storage` by code.
    #[wasm_bindgen(js_name = currentRecord)]
    pub fn current_record(&self, id: &str) -> Result<JsValue, JsValue> {
        match self.inner.current_record(id).map_err(to_js)? {
            Some(r) => record_out(&r),
            None => Ok(JsValue::NULL),
        }
    }

    /// Checks the whole chain: `{entries, head}` (head: the last hash, hex).
    ///
    /// # Errors
    ///
    /// `ledger_tampered` naming the first entry that does not fit.
    pub fn verify(&self) -> Result<JsValue, JsValue> {
        let report = self.inner.verify(None).map_err(to_js)?;
        let head = hex_encode(&self.inner.head_hash());
        to_js_value(&json!({"entries": report.entries, "head": head}))
    }

    /// The whole chain as JSON text (an array of entries), for [`ConsentLedger::import_json`].
    ///
    /// # Errors
    ///
    /// `ledger_storage` by code.
    #[wasm_bindgen(js_name = exportJson)]
    pub fn export_json(&self) -> Result<String, JsValue> {
        let entries = self.inner.storage().range(0, self.inner.len()).map_err(to_js)?;
        serde_json::to_string(&entries).map_err(invalid_argument)
    }
}
