//! `dpikit.payments`: ISO 20022 parse/validate/convert, bulk CSV batches (pain.001, GovStack,
//! G2P Connect), reconciliation as rows, Mojaloop helpers.

use dpikit_core::encoding::{b64url_decode, b64url_encode};
use dpikit_core::time::format_rfc3339;
use dpikit_core::{ErrorCode, Limits};
use dpikit_payments::Finding;
use dpikit_payments::bulk::{self, Account, BatchConfig, BulkOutcome, CsvLimits, Payment};
use dpikit_payments::iso::{self, Message, ParseOptions};
use dpikit_payments::mojaloop::ilp::{self, decode_packet_b64, decode32};
use dpikit_payments::mojaloop::map::{IlpTerms, MappingReport};
use dpikit_payments::mojaloop::{self as ml, IsoOperation};
use dpikit_payments::reconcile::{PaymentStatus, Reconciliation, Status, reconcile_xml};
use dpikit_payments::validate::{CbprPlus, SchemeRule, validate_with};
use pyo3::prelude::*;
use pyo3::types::PyTuple;

use crate::conv::{bytes_in, json_bytes, row_class, timestamp, to_py_obj};
use crate::errors::{invalid_argument, to_py};

row_class!(
    /// One validation finding: the stable code and its name, where, and a message for people.
    PyFinding, "Finding", "dpikit.payments" {
        code: u32,
        name: String,
        location: String,
        message: String,
    }
);

impl From<&Finding> for PyFinding {
    fn from(f: &Finding) -> Self {
        let (code, name) = (f.code.value(), f.code.name().to_owned());
        Self { code, name, location: f.location.clone(), message: f.message.clone() }
    }
}

fn findings(list: &[Finding]) -> Vec<PyFinding> {
    list.iter().map(PyFinding::from).collect()
}

/// Whether the scheme rule packs named in `rules` include CBPR+ (the only pack so far).
fn cbpr_plus(rules: Option<Vec<String>>) -> PyResult<bool> {
    let mut cbpr = false;
    for r in rules.unwrap_or_default() {
        match r.to_ascii_lowercase().as_str() {
            "cbpr+" | "cbpr-plus" | "cbprplus" => cbpr = true,
            other => return Err(invalid_argument(format!("unknown rule pack {other:?}: cbpr+"))),
        }
    }
    Ok(cbpr)
}

fn validate_message(message: &Message, cbpr: bool) -> Vec<Finding> {
    let rules: &[&dyn SchemeRule] = if cbpr { &[&CbprPlus] } else { &[] };
    validate_with(message, rules)
}

/// A parsed ISO 20022 message (the optional `AppHdr` and the `Document`).
#[pyclass(frozen, module = "dpikit.payments", name = "Message")]
pub(crate) struct PyMessage {
    inner: Message,
    findings: Vec<Finding>,
}

#[pymethods]
impl PyMessage {
    /// Reads dpikit's JSON form of a message (the output of `to_dict`) back.
    #[staticmethod]
    fn from_dict(py: Python<'_>, data: &Bound<'_, PyAny>) -> PyResult<Self> {
        let bytes = json_bytes(data)?;
        let inner = py.detach(|| Message::from_json(&bytes, &Limits::default())).map_err(to_py)?;
        Ok(Self { inner, findings: Vec::new() })
    }

    /// The message identifier, e.g. `"pacs.008.001.08"`.
    #[getter]
    fn message_type(&self) -> &'static str {
        self.inner.document.kind().id()
    }

    /// Whether the input carried a business application header (`AppHdr`).
    #[getter]
    fn has_header(&self) -> bool {
        self.inner.header.is_some()
    }

    /// What lenient parsing dropped (unknown or out-of-order elements); empty when strict.
    #[getter]
    fn parse_findings(&self) -> Vec<PyFinding> {
        findings(&self.findings)
    }

    /// Validates against the XSD facets and ISO 20022 business rules, plus the scheme rule
    /// packs named in `rules` (`"cbpr+"`); an empty list means the message is clean.
    #[pyo3(signature = (*, rules = None))]
    fn validate(&self, py: Python<'_>, rules: Option<Vec<String>>) -> PyResult<Vec<PyFinding>> {
        let cbpr = cbpr_plus(rules)?;
        Ok(findings(&py.detach(|| validate_message(&self.inner, cbpr))))
    }

    /// dpikit's lossless JSON form: `{"message", "AppHdr"?, "Document"}`.
    fn to_dict<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        let value = py.detach(|| self.inner.to_json()).map_err(to_py)?;
        crate::conv::value_to_py(py, &value)
    }

    /// The XML: the bare `Document`, or `AppHdr` and `Document` in one `<BizMsg>` wrapper.
    fn to_xml(&self, py: Python<'_>) -> PyResult<String> {
        py.detach(|| self.inner.to_xml()).map_err(to_py)
    }

    fn __repr__(&self) -> String {
        format!("Message({:?}, has_header={})", self.message_type(), self.has_header())
    }
}

/// A message argument: a `Message`, or XML text/bytes (parsed strictly).
fn message_in(py: Python<'_>, obj: &Bound<'_, PyAny>) -> PyResult<Message> {
    match obj.cast::<PyMessage>() {
        Ok(m) => Ok(m.get().inner.clone()),
        Err(_) => parse(py, obj, false).map(|m| m.inner),
    }
}

/// Parses an ISO 20022 message (str or bytes): a bare `Document`, `AppHdr` + `Document`, or
/// either inside an envelope. With `lenient`, unknown elements become `parse_findings`.
#[pyfunction]
#[pyo3(signature = (xml, *, lenient = false))]
fn parse(py: Python<'_>, xml: &Bound<'_, PyAny>, lenient: bool) -> PyResult<PyMessage> {
    let (bytes, options) = (bytes_in(xml)?, ParseOptions { lenient, ..ParseOptions::default() });
    let parsed = py.detach(|| iso::parse(&bytes, &options)).map_err(to_py)?;
    Ok(PyMessage { inner: parsed.message, findings: parsed.findings })
}

/// Parses and validates a message: the parse findings (lenient mode) followed by the
/// validation findings. A message that cannot be read at all raises `PaymentError`.
#[pyfunction]
#[pyo3(signature = (xml, *, lenient = false, rules = None))]
fn validate(
    py: Python<'_>,
    xml: &Bound<'_, PyAny>,
    lenient: bool,
    rules: Option<Vec<String>>,
) -> PyResult<Vec<PyFinding>> {
    let (message, cbpr) = (parse(py, xml, lenient)?, cbpr_plus(rules)?);
    let more = py.detach(|| validate_message(&message.inner, cbpr));
    Ok(findings(&message.findings.iter().chain(&more).cloned().collect::<Vec<_>>()))
}

row_class!(
    /// One payment of a batch, flat (one row per payment).
    PyPayment, "Payment", "dpikit.payments" {
        row: usize,
        end_to_end_id: String,
        uetr: String,
        beneficiary_id: String,
        name: String,
        account: String,
        account_kind: String,
        amount: String,
        currency: String,
        reference: String,
        execution_date: Option<String>,
        provider: Option<String>,
    }
);

impl From<&Payment> for PyPayment {
    fn from(p: &Payment) -> Self {
        let b = &p.beneficiary;
        Self {
            row: p.row,
            end_to_end_id: p.end_to_end_id.clone(),
            uetr: p.uetr.clone(),
            beneficiary_id: b.id.clone(),
            name: b.name.clone(),
            account: b.account.id().to_owned(),
            account_kind: b.account.kind().to_owned(),
            amount: b.amount.to_string(),
            currency: b.currency.clone(),
            reference: b.reference.clone(),
            execution_date: b.execution_date.clone(),
            provider: b.provider.clone(),
        }
    }
}

row_class!(
    /// One problem with one CSV row (the header is line 1); the row is not in the batch.
    PyRowError, "RowError", "dpikit.payments" {
        row: usize,
        column: String,
        code: u32,
        name: String,
        message: String,
    }
);

/// A disbursement batch: the accepted payments, the rejected rows, and its encodings.
#[pyclass(frozen, module = "dpikit.payments", name = "Batch")]
pub(crate) struct PyBatch {
    inner: BulkOutcome,
}

#[pymethods]
impl PyBatch {
    /// Rebuilds the batch a pain.001 (Message, str or bytes) was generated from.
    #[staticmethod]
    fn from_pain001(py: Python<'_>, message: &Bound<'_, PyAny>) -> PyResult<Self> {
        let batch = bulk::Batch::from_pain001(&message_in(py, message)?).map_err(to_py)?;
        Ok(Self { inner: BulkOutcome { batch, errors: Vec::new(), ignored_columns: Vec::new() } })
    }

    /// The batch identifier (the pain.001 `MsgId`).
    #[getter]
    fn batch_id(&self) -> &str {
        &self.inner.batch.config.batch_id
    }

    /// The accepted payments, in batch order.
    #[getter]
    fn payments(&self) -> Vec<PyPayment> {
        self.inner.batch.payments().map(PyPayment::from).collect()
    }

    /// The rejected rows.
    #[getter]
    fn errors(&self) -> Vec<PyRowError> {
        let e = &self.inner.errors;
        e.iter()
            .map(|e| PyRowError {
                row: e.row,
                column: e.column.clone(),
                code: e.code.value(),
                name: e.code.name().to_owned(),
                message: e.message.clone(),
            })
            .collect()
    }

    /// CSV columns that were present but not used.
    #[getter]
    fn ignored_columns(&self) -> Vec<String> {
        self.inner.ignored_columns.clone()
    }

    /// The batch as a pain.001.001.09 message.
    fn to_pain001(&self, py: Python<'_>) -> PyResult<PyMessage> {
        let inner = py.detach(|| self.inner.batch.to_pain001()).map_err(to_py)?;
        Ok(PyMessage { inner, findings: Vec::new() })
    }

    /// The batch as pain.001.001.09 XML.
    fn to_pain001_xml(&self, py: Python<'_>) -> PyResult<String> {
        py.detach(|| self.inner.batch.to_pain001_xml()).map_err(to_py)
    }

    /// The batch as a GovStack Payments bulk-payment body.
    fn to_govstack_json<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        let value = self.inner.batch.to_govstack_json().map_err(to_py)?;
        crate::conv::value_to_py(py, &value)
    }

    /// The batch as a G2P Connect disburse request from `sender_id`.
    #[pyo3(signature = (sender_id = "dpikit"))]
    fn to_g2p_connect_json<'py>(
        &self,
        py: Python<'py>,
        sender_id: &str,
    ) -> PyResult<Bound<'py, PyAny>> {
        let value = self.inner.batch.to_g2p_connect_json(sender_id).map_err(to_py)?;
        crate::conv::value_to_py(py, &value)
    }

    fn __len__(&self) -> usize {
        self.inner.batch.len()
    }
}

/// Builds a batch from a beneficiaries CSV (str or bytes; columns `id, name, account, amount,
/// currency, reference[, execution_date, provider]`). Rejected rows are in `Batch.errors`.
#[pyfunction]
#[pyo3(signature = (csv, *, batch_id, debtor_name, debtor_account, debtor_bic = None, created_at = None, execution_date = None, payment_mode = None, provider = None))]
#[allow(clippy::too_many_arguments)] // Python keyword arguments, one per batch setting.
fn bulk_from_csv(
    py: Python<'_>,
    csv: &Bound<'_, PyAny>,
    batch_id: &str,
    debtor_name: &str,
    debtor_account: &str,
    debtor_bic: Option<String>,
    created_at: Option<&Bound<'_, PyAny>>,
    execution_date: Option<String>,
    payment_mode: Option<String>,
    provider: Option<String>,
) -> PyResult<PyBatch> {
    let now = chrono::Utc::now();
    let created = created_at.map(timestamp).transpose()?.unwrap_or(now);
    let execution = execution_date.unwrap_or_else(|| now.format("%Y-%m-%d").to_string());
    let account = Account::parse(debtor_account);
    let mut c =
        BatchConfig::new(batch_id, &format_rfc3339(&created), &execution, debtor_name, account);
    c.debtor_agent_bic = debtor_bic;
    (c.payment_mode, c.provider) =
        (payment_mode.unwrap_or(c.payment_mode), provider.unwrap_or(c.provider));
    let input = bytes_in(csv)?;
    let inner = py.detach(|| bulk::from_csv(&input, &c, &CsvLimits::default())).map_err(to_py)?;
    Ok(PyBatch { inner })
}

row_class!(
    /// The reconciled state of one payment: `status` is `settled`, `rejected` (with the ISO
    /// `reason`, e.g. `AC01`) or `pending`; `source` is the `MsgId` of the deciding report.
    PyPaymentStatus, "PaymentStatus", "dpikit.payments" {
        end_to_end_id: String,
        beneficiary_id: String,
        row: usize,
        amount: String,
        currency: String,
        status: String,
        reason: Option<String>,
        source: Option<String>,
    }
);

impl From<&PaymentStatus> for PyPaymentStatus {
    fn from(p: &PaymentStatus) -> Self {
        let (status, reason) = match &p.status {
            Status::Settled => ("settled", None),
            Status::Rejected { reason } => ("rejected", reason.clone()),
            Status::Pending => ("pending", None),
        };
        Self {
            end_to_end_id: p.end_to_end_id.clone(),
            beneficiary_id: p.beneficiary_id.clone(),
            row: p.row,
            amount: p.amount.to_string(),
            currency: p.currency.clone(),
            status: status.to_owned(),
            reason,
            source: p.source.clone(),
        }
    }
}

/// Status reports matched against a batch: one row per payment, totals, unknown references
/// and mismatches.
#[pyclass(frozen, module = "dpikit.payments", name = "Reconciliation")]
pub(crate) struct PyReconciliation {
    inner: Reconciliation,
}

#[pymethods]
impl PyReconciliation {
    /// One row per payment of the batch, in batch order.
    #[getter]
    fn payments(&self) -> Vec<PyPaymentStatus> {
        self.inner.payments.iter().map(PyPaymentStatus::from).collect()
    }

    /// Disagreements between a report and the batch (`reconciliation_mismatch`).
    #[getter]
    fn mismatches(&self) -> Vec<PyFinding> {
        findings(&self.inner.mismatches)
    }

    /// References that match no payment: `[{"source", "location", "reference"}]`.
    #[getter]
    fn unknown<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        to_py_obj(py, &self.inner.unknown)
    }

    /// Count and exact amounts per currency: `{"settled": {"count", "amounts"}, "rejected":
    /// ..., "pending": ...}`.
    #[getter]
    fn totals<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        let r = &self.inner;
        to_py_obj(
            py,
            &serde_json::json!({"settled": r.settled, "rejected": r.rejected, "pending": r.pending}),
        )
    }

    /// Everything as plain dicts and lists.
    fn to_dict<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        to_py_obj(py, &self.inner)
    }
}

/// Reconciles status reports (pacs.002, pain.002, camt.054, camt.053; str or bytes) with a
/// batch.
#[pyfunction]
fn reconcile(
    py: Python<'_>,
    batch: PyRef<'_, PyBatch>,
    reports: Vec<Bound<'_, PyAny>>,
) -> PyResult<PyReconciliation> {
    let reports = reports.iter().map(bytes_in).collect::<PyResult<Vec<_>>>()?;
    let refs: Vec<&[u8]> = reports.iter().map(Vec::as_slice).collect();
    let batch = &batch.inner.batch;
    let inner = py.detach(|| reconcile_xml(batch, &refs)).map_err(to_py)?;
    Ok(PyReconciliation { inner })
}

// ---- Mojaloop ----

/// The condition (SHA-256, base64url) of a base64url fulfilment.
#[pyfunction]
fn condition(fulfilment: &str) -> PyResult<String> {
    Ok(b64url_encode(&ilp::condition(&decode32(fulfilment).map_err(to_py)?)))
}

/// The fulfilment HMAC-SHA256(secret, packet) of a base64url secret and ILP packet:
/// `(fulfilment, condition)`, both base64url.
#[pyfunction]
fn fulfilment(secret: &str, packet: &str) -> PyResult<(String, String)> {
    let secret = b64url_decode(secret.trim_end_matches('=')).map_err(to_py)?;
    let f = ilp::fulfilment(&secret, &decode_packet_b64(packet).map_err(to_py)?);
    Ok((b64url_encode(&f), b64url_encode(&ilp::condition(&f))))
}

/// Checks that a base64url fulfilment hashes to the condition; raises `PaymentError`
/// (`condition_mismatch`) when it does not.
#[pyfunction]
fn verify_fulfilment(fulfilment: &str, condition: &str) -> PyResult<()> {
    ilp::verify_fulfilment(fulfilment, condition).map_err(to_py)
}

/// The Mojaloop FSPIOP bodies this module reads.
const BODIES: &str = "quote, transfer, fulfil or parties";

/// Parses a Mojaloop FSPIOP body (`kind`: `quote`, `transfer`, `fulfil`, `parties`) from
/// JSON text or a dict into its normalized dict; unknown members are an error.
#[pyfunction]
fn parse_body<'py>(
    py: Python<'py>,
    kind: &str,
    body: &Bound<'py, PyAny>,
) -> PyResult<Bound<'py, PyAny>> {
    let (bytes, l) = (json_bytes(body)?, Limits::default());
    let value = match kind {
        "quote" => serde_json::to_value(ml::parse_quote_request(&bytes, &l).map_err(to_py)?),
        "transfer" => serde_json::to_value(ml::parse_transfer_request(&bytes, &l).map_err(to_py)?),
        "fulfil" => serde_json::to_value(ml::parse_transfer_fulfil(&bytes, &l).map_err(to_py)?),
        "parties" => serde_json::to_value(ml::parse_parties_response(&bytes, &l).map_err(to_py)?),
        other => return Err(invalid_argument(format!("unknown body {other:?}: {BODIES}"))),
    };
    to_py_obj(py, &value.map_err(|e| crate::errors::raise(ErrorCode::Internal, e.to_string()))?)
}

/// Validates a Mojaloop FSPIOP body (`kind` as in `parse_body`); `at` enables expiry checks
/// and `condition` checks a fulfilment. A body that cannot be read raises `PaymentError`.
#[pyfunction]
#[pyo3(signature = (kind, body, *, at = None, condition = None))]
fn validate_body(
    kind: &str,
    body: &Bound<'_, PyAny>,
    at: Option<&Bound<'_, PyAny>>,
    condition: Option<&str>,
) -> PyResult<Vec<PyFinding>> {
    let (bytes, l, now) = (json_bytes(body)?, Limits::default(), at.map(timestamp).transpose()?);
    Ok(findings(&match kind {
        "quote" => ml::validate_quote(&ml::parse_quote_request(&bytes, &l).map_err(to_py)?, now),
        "transfer" => {
            ml::validate_transfer(&ml::parse_transfer_request(&bytes, &l).map_err(to_py)?, now)
        }
        "fulfil" => {
            ml::validate_fulfil(&ml::parse_transfer_fulfil(&bytes, &l).map_err(to_py)?, condition)
        }
        "parties" => {
            ml::validate_party(&ml::parse_parties_response(&bytes, &l).map_err(to_py)?.party)
        }
        other => return Err(invalid_argument(format!("unknown body {other:?}: {BODIES}"))),
    }))
}

/// Validates an FSPIOP ISO 20022-mode body for `operation` (`"POST /transfers"`, `"PUT
/// /quotes"`, …); `at` enables expiry checks.
#[pyfunction]
#[pyo3(signature = (operation, body, *, at = None))]
fn validate_iso_body(
    operation: &str,
    body: &Bound<'_, PyAny>,
    at: Option<&Bound<'_, PyAny>>,
) -> PyResult<Vec<PyFinding>> {
    let op = IsoOperation::from_name(operation).map_err(to_py)?;
    let body = ml::parse_iso_body(&json_bytes(body)?, &Limits::default()).map_err(to_py)?;
    Ok(findings(&ml::validate_iso(op, &body, at.map(timestamp).transpose()?)))
}

fn report_out<'py>(py: Python<'py>, report: &MappingReport) -> PyResult<Bound<'py, PyAny>> {
    to_py_obj(py, report)
}

/// Maps a `POST /transfers` body to a pacs.008.001.08: `(Message, report)`, where the report
/// lists what `mapped` and what is `lost`.
#[pyfunction]
#[pyo3(signature = (transfer, *, created_at = None))]
fn transfer_to_pacs008<'py>(
    py: Python<'py>,
    transfer: &Bound<'py, PyAny>,
    created_at: Option<&Bound<'py, PyAny>>,
) -> PyResult<(PyMessage, Bound<'py, PyAny>)> {
    let t =
        ml::parse_transfer_request(&json_bytes(transfer)?, &Limits::default()).map_err(to_py)?;
    let created =
        format_rfc3339(&created_at.map(timestamp).transpose()?.unwrap_or_else(chrono::Utc::now));
    let (inner, report) = ml::map::transfer_to_pacs008(&t, None, &created).map_err(to_py)?;
    Ok((PyMessage { inner, findings: Vec::new() }, report_out(py, &report)?))
}

/// Maps a pacs.008.001.08 (Message, str or bytes) with one transaction back to a `POST
/// /transfers` body, given the ILP terms a pacs.008 cannot carry: `(transfer, report)`.
#[pyfunction]
#[pyo3(signature = (message, *, ilp_packet, condition, expiration))]
fn pacs008_to_transfer<'py>(
    py: Python<'py>,
    message: &Bound<'py, PyAny>,
    ilp_packet: String,
    condition: String,
    expiration: String,
) -> PyResult<Bound<'py, PyTuple>> {
    let terms = IlpTerms { ilp_packet, condition, expiration };
    let (t, report) =
        ml::map::pacs008_to_transfer(&message_in(py, message)?, terms).map_err(to_py)?;
    PyTuple::new(py, [to_py_obj(py, &t)?, report_out(py, &report)?])
}

pub(crate) fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_class::<PyFinding>()?;
    m.add_class::<PyMessage>()?;
    m.add_class::<PyPayment>()?;
    m.add_class::<PyRowError>()?;
    m.add_class::<PyBatch>()?;
    m.add_class::<PyPaymentStatus>()?;
    m.add_class::<PyReconciliation>()?;
    for f in [
        wrap_pyfunction!(parse, m)?,
        wrap_pyfunction!(validate, m)?,
        wrap_pyfunction!(bulk_from_csv, m)?,
        wrap_pyfunction!(reconcile, m)?,
        wrap_pyfunction!(condition, m)?,
        wrap_pyfunction!(fulfilment, m)?,
        wrap_pyfunction!(verify_fulfilment, m)?,
        wrap_pyfunction!(parse_body, m)?,
        wrap_pyfunction!(validate_body, m)?,
        wrap_pyfunction!(validate_iso_body, m)?,
        wrap_pyfunction!(transfer_to_pacs008, m)?,
        wrap_pyfunction!(pacs008_to_transfer, m)?,
    ] {
        m.add_function(f)?;
    }
    Ok(())
}
