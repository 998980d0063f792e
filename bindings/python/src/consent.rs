//! `dpikit.consent`: records, state changes, access checks, receipts, formats, the ledger.

use std::sync::Mutex;

use dpikit_consent::check::{Request, check};
use dpikit_consent::formats::{self, LossReport};
use dpikit_consent::ledger::{Entry, Ledger, SqliteStorage};
use dpikit_consent::lifecycle::State;
use dpikit_consent::model::{Code, ConsentRecord, DataCategory, Party, Purpose, Scheme};
use dpikit_consent::receipt::{Receipt, verify_receipt};
use dpikit_consent::{ConsentError, Result as ConsentResult};
use dpikit_core::ErrorCode;
use dpikit_core::encoding::hex_encode;
use dpikit_core::time::format_rfc3339;
use pyo3::prelude::*;
use serde_json::{Value, json};

use crate::conv::{json_bytes, timestamp, timestamp_or_now, to_py_obj, value_to_py};
use crate::errors::{invalid_argument, raise, to_py};
use crate::keys::{PyKeyPair, public_of, signer};

fn scheme(name: &str) -> PyResult<Scheme> {
    serde_json::from_value(json!(name.to_ascii_lowercase())).map_err(|_| {
        invalid_argument(format!("unknown scheme {name:?}: dpv, kantara, rebit or local"))
    })
}

fn state(name: &str) -> PyResult<State> {
    State::ALL
        .into_iter()
        .find(|s| s.name().eq_ignore_ascii_case(name))
        .ok_or_else(|| invalid_argument(format!("unknown consent state {name:?}")))
}

/// Reads a consent record (dict or JSON text) through the core's bounded intake and checks.
fn record_in(record: &Bound<'_, PyAny>) -> PyResult<ConsentRecord> {
    ConsentRecord::from_json(&json_bytes(record)?).map_err(to_py)
}

fn record_out<'py>(py: Python<'py>, record: &ConsentRecord) -> PyResult<Bound<'py, PyAny>> {
    value_to_py(py, &record.to_value())
}

/// Starts a consent record in the `Requested` state and returns it as a dict.
#[pyfunction]
#[pyo3(signature = (id, principal, controller, purpose, *, controller_name = "", purpose_text = "", scheme = "dpv", data_categories = None, expires = None))]
#[allow(clippy::too_many_arguments)] // Python keyword arguments, one per record member.
fn new_record<'py>(
    py: Python<'py>,
    id: String,
    principal: String,
    controller: String,
    purpose: String,
    controller_name: &str,
    purpose_text: &str,
    scheme: &str,
    data_categories: Option<Vec<String>>,
    expires: Option<&Bound<'py, PyAny>>,
) -> PyResult<Bound<'py, PyAny>> {
    let scheme = self::scheme(scheme)?;
    let mut r = ConsentRecord::request(
        id,
        principal,
        Party::new(controller, controller_name),
        Purpose::new(Code::new(scheme.clone(), purpose), purpose_text),
    );
    r.data_categories = data_categories
        .unwrap_or_default()
        .into_iter()
        .map(|c| DataCategory { code: Code::new(scheme.clone(), c), sensitive: false })
        .collect();
    r.validity.expiry = expires.map(timestamp).transpose()?.map(|t| format_rfc3339(&t));
    r.validate().map_err(to_py)?;
    record_out(py, &r)
}

/// Moves a record to state `to` (`"Given"`, `"Paused"`, `"Withdrawn"`, …) and returns the
/// new record; `actor` defaults to the principal.
#[pyfunction]
#[pyo3(signature = (record, to, *, at = None, actor = None, reason = None))]
fn transition<'py>(
    py: Python<'py>,
    record: &Bound<'py, PyAny>,
    to: &str,
    at: Option<&Bound<'py, PyAny>>,
    actor: Option<String>,
    reason: Option<String>,
) -> PyResult<Bound<'py, PyAny>> {
    let (mut r, to, at) = (record_in(record)?, state(to)?, timestamp_or_now(at)?);
    let actor = actor.unwrap_or_else(|| r.principal.clone());
    r.transition(to, at, &actor, reason.as_deref()).map_err(to_py)?;
    record_out(py, &r)
}

/// The record's state at `at` (expiry evaluated), e.g. `"Given"` or `"Expired"`.
#[pyfunction]
#[pyo3(signature = (record, *, at = None))]
fn state_at(record: &Bound<'_, PyAny>, at: Option<&Bound<'_, PyAny>>) -> PyResult<&'static str> {
    record_in(record)?.state_at(timestamp_or_now(at)?).map(State::name).map_err(to_py)
}

/// Decides whether `controller` may use data for `purpose` under `record`: returns
/// `{"allowed", "reason" (3xxx code or None), "reason_name", "detail"}`; a denial is not an
/// exception.
#[pyfunction]
#[pyo3(signature = (record, controller, purpose, *, scheme = "dpv", data_category = None, at = None, prior_uses = None))]
#[allow(clippy::too_many_arguments)] // Python keyword arguments, one per request member.
fn check_access<'py>(
    py: Python<'py>,
    record: &Bound<'py, PyAny>,
    controller: &str,
    purpose: String,
    scheme: &str,
    data_category: Option<String>,
    at: Option<&Bound<'py, PyAny>>,
    prior_uses: Option<Vec<Bound<'py, PyAny>>>,
) -> PyResult<Bound<'py, PyAny>> {
    let (r, scheme) = (record_in(record)?, self::scheme(scheme)?);
    let (purpose, category) =
        (Code::new(scheme.clone(), purpose), data_category.map(|c| Code::new(scheme, c)));
    let prior =
        prior_uses.unwrap_or_default().iter().map(timestamp).collect::<PyResult<Vec<_>>>()?;
    let mut request = Request::new(controller, &purpose, timestamp_or_now(at)?);
    (request.data_category, request.prior_uses) = (category.as_ref(), &prior);
    let d = check(&r, &request).map_err(to_py)?;
    value_to_py(
        py,
        &json!({"allowed": d.allowed, "reason": d.reason.map(ErrorCode::value), "reason_name": d.reason.map(ErrorCode::name), "detail": d.detail}),
    )
}

/// Signs a consent receipt for `record` with `key` (a compact JWS, `typ:
/// consent-receipt+jws`).
#[pyfunction]
#[pyo3(signature = (record, key, *, receipt_id = None, at = None))]
fn sign_receipt(
    py: Python<'_>,
    record: &Bound<'_, PyAny>,
    key: PyRef<'_, PyKeyPair>,
    receipt_id: Option<String>,
    at: Option<&Bound<'_, PyAny>>,
) -> PyResult<String> {
    let (r, at, signer) = (record_in(record)?, timestamp_or_now(at)?, signer(&key, None));
    let receipt_id = receipt_id.unwrap_or_else(|| format!("{}#receipt", r.id));
    py.detach(|| Receipt::new(&r, receipt_id, at)?.sign(&signer)).map_err(to_py)
}

/// Verifies a consent receipt with `key` (KeyPair, PublicKey or JWK): returns
/// `{"kid", "receipt"}`.
#[pyfunction(name = "verify_receipt")]
fn verify_receipt_py<'py>(
    py: Python<'py>,
    token: &str,
    key: &Bound<'py, PyAny>,
) -> PyResult<Bound<'py, PyAny>> {
    let public = public_of(key)?;
    let v = py.detach(|| verify_receipt(token.trim(), &public)).map_err(to_py)?;
    let receipt =
        serde_json::to_value(&v.receipt).map_err(|e| raise(ErrorCode::Internal, e.to_string()))?;
    value_to_py(py, &json!({"kid": v.kid, "receipt": receipt}))
}

fn loss(report: &LossReport) -> Value {
    json!({"dropped": report.dropped, "warnings": report.warnings})
}

/// Imports `data` (dict, JSON text or bytes) from `format` (`kantara`, `rebit`, `dpv`,
/// `govstack`): returns `{"records": [...], "loss": {"dropped", "warnings"}, "findings"}`.
#[pyfunction]
fn import_records<'py>(
    py: Python<'py>,
    format: &str,
    data: &Bound<'py, PyAny>,
) -> PyResult<Bound<'py, PyAny>> {
    let bytes = json_bytes(data)?;
    let (records, report, findings) = py.detach(|| import(format, &bytes)).map_err(to_py)?;
    let records: Vec<Value> = records.iter().map(ConsentRecord::to_value).collect();
    value_to_py(py, &json!({"records": records, "loss": loss(&report), "findings": findings}))
}

fn import(format: &str, bytes: &[u8]) -> ConsentResult<(Vec<ConsentRecord>, LossReport, Value)> {
    let c = formats::import_named(format, bytes)?;
    let findings = serde_json::to_value(&c.value.findings).unwrap_or_default();
    Ok((c.value.records, c.report, findings))
}

/// Exports `record` to `format` (`kantara`, `rebit`, `dpv`; GovStack is import-only):
/// returns `{"value": dict, "loss": {"dropped", "warnings"}}`.
#[pyfunction]
fn export_record<'py>(
    py: Python<'py>,
    format: &str,
    record: &Bound<'py, PyAny>,
) -> PyResult<Bound<'py, PyAny>> {
    let r = record_in(record)?;
    let format = formats::Format::for_export(format).ok_or_else(|| {
        invalid_argument(format!("cannot export to {format:?}: kantara, rebit or dpv"))
    })?;
    let c = formats::export(format, &r).map_err(to_py)?;
    value_to_py(py, &json!({"value": c.value, "loss": loss(&c.report)}))
}

fn entry_out<'py>(py: Python<'py>, e: &Entry) -> PyResult<Bound<'py, PyAny>> {
    to_py_obj(py, e)
}

/// A tamper-evident consent ledger stored in SQLite (`path`, or in memory when `None`).
#[pyclass(frozen, module = "dpikit.consent", name = "Ledger")]
pub(crate) struct PyLedger {
    inner: Mutex<Ledger<SqliteStorage>>,
}

impl PyLedger {
    /// Runs `f` on the ledger. It touches no Python object (the GIL may be released), and
    /// the caller maps errors to exceptions after the lock is let go.
    fn with<T>(
        &self,
        f: impl FnOnce(&mut Ledger<SqliteStorage>) -> ConsentResult<T>,
    ) -> ConsentResult<T> {
        let mut guard =
            self.inner.lock().map_err(|_| ConsentError::LedgerStorage("lock poisoned".into()))?;
        f(&mut guard)
    }
}

#[pymethods]
impl PyLedger {
    /// Opens (or creates) the ledger at `path`; `None` keeps it in memory.
    #[new]
    #[pyo3(signature = (path = None))]
    fn new(py: Python<'_>, path: Option<std::path::PathBuf>) -> PyResult<Self> {
        let storage = py
            .detach(|| path.map_or_else(SqliteStorage::open_in_memory, SqliteStorage::open))
            .map_err(to_py)?;
        Ledger::new(storage).map(|l| PyLedger { inner: Mutex::new(l) }).map_err(to_py)
    }

    /// Appends a snapshot of `record` as event `kind` (e.g. `"consent.given"`); returns the entry.
    #[pyo3(signature = (kind, record, *, at = None))]
    fn append_record<'py>(
        &self,
        py: Python<'py>,
        kind: &str,
        record: &Bound<'py, PyAny>,
        at: Option<&Bound<'py, PyAny>>,
    ) -> PyResult<Bound<'py, PyAny>> {
        let (r, at) = (record_in(record)?, timestamp_or_now(at)?);
        let entry = py.detach(|| self.with(|l| l.append_record(kind, &r, at))).map_err(to_py)?;
        entry_out(py, &entry)
    }

    /// The latest snapshot of record `record_id`, or `None`.
    fn current_record<'py>(
        &self,
        py: Python<'py>,
        record_id: &str,
    ) -> PyResult<Option<Bound<'py, PyAny>>> {
        let r = py.detach(|| self.with(|l| l.current_record(record_id))).map_err(to_py)?;
        r.map(|r| record_out(py, &r)).transpose()
    }

    /// The latest snapshot of every record of `principal` (all records when `None`).
    #[pyo3(signature = (principal = None))]
    fn current_records<'py>(
        &self,
        py: Python<'py>,
        principal: Option<&str>,
    ) -> PyResult<Vec<Bound<'py, PyAny>>> {
        let rs = py.detach(|| self.with(|l| l.current_records(principal))).map_err(to_py)?;
        rs.iter().map(|r| record_out(py, r)).collect()
    }

    /// The current records under which `controller` may use data for `purpose` at `at`.
    #[pyo3(signature = (controller, purpose, *, scheme = "dpv", at = None))]
    fn active_consents<'py>(
        &self,
        py: Python<'py>,
        controller: &str,
        purpose: String,
        scheme: &str,
        at: Option<&Bound<'py, PyAny>>,
    ) -> PyResult<Vec<Bound<'py, PyAny>>> {
        let (code, at) = (Code::new(self::scheme(scheme)?, purpose), timestamp_or_now(at)?);
        let rs =
            py.detach(|| self.with(|l| l.active_consents(controller, &code, at))).map_err(to_py)?;
        rs.iter().map(|r| record_out(py, r)).collect()
    }

    /// Every entry about record `record_id`, oldest first.
    fn history<'py>(&self, py: Python<'py>, record_id: &str) -> PyResult<Vec<Bound<'py, PyAny>>> {
        let es = py.detach(|| self.with(|l| l.history(record_id))).map_err(to_py)?;
        es.iter().map(|e| entry_out(py, e)).collect()
    }

    /// Walks the whole hash chain (and checks signed checkpoints given `key`); raises
    /// `ConsentError` (`ledger_tampered`, `ledger_entry_missing`, …) on the first mismatch,
    /// else returns `{"entries", "checkpoints", "head"}`.
    #[pyo3(signature = (key = None))]
    fn verify<'py>(
        &self,
        py: Python<'py>,
        key: Option<&Bound<'py, PyAny>>,
    ) -> PyResult<Bound<'py, PyAny>> {
        let public = key.map(public_of).transpose()?;
        let (report, head) = py
            .detach(|| {
                let verifier = public.as_ref().map(|p| p as &dyn dpikit_core::jws::Verifier);
                self.with(|l| Ok((l.verify(verifier)?, l.head_hash())))
            })
            .map_err(to_py)?;
        value_to_py(
            py,
            &json!({"entries": report.entries, "checkpoints": report.checkpoints, "head": hex_encode(&head)}),
        )
    }

    /// The hash of the last entry (hex; zeros when empty).
    #[getter]
    fn head(&self) -> PyResult<String> {
        self.with(|l| Ok(hex_encode(&l.head_hash()))).map_err(to_py)
    }

    fn __len__(&self) -> PyResult<usize> {
        self.with(|l| Ok(usize::try_from(l.len()).unwrap_or(usize::MAX))).map_err(to_py)
    }
}

pub(crate) fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_class::<PyLedger>()?;
    m.add_function(wrap_pyfunction!(new_record, m)?)?;
    m.add_function(wrap_pyfunction!(transition, m)?)?;
    m.add_function(wrap_pyfunction!(state_at, m)?)?;
    m.add_function(wrap_pyfunction!(check_access, m)?)?;
    m.add_function(wrap_pyfunction!(sign_receipt, m)?)?;
    m.add_function(wrap_pyfunction!(verify_receipt_py, m)?)?;
    m.add_function(wrap_pyfunction!(import_records, m)?)?;
    m.add_function(wrap_pyfunction!(export_record, m)?)?;
    Ok(())
}
