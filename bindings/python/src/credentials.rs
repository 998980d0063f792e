//! `dpikit.credentials`: issue, verify (one or many, in parallel), present, status lists.

use std::sync::Arc;

use dpikit_core::ErrorCode;
use dpikit_core::jws::Signer;
use dpikit_core::keys::KeyType;
use dpikit_credentials::di::{self, ProofOptions};
use dpikit_credentials::jsonld::ContextStore;
use dpikit_credentials::qr::{self, Decoded, Payload};
use dpikit_credentials::sdjwt::{self, IssueOptions, SdJwt, SdJwtVerifyOptions};
use dpikit_credentials::status::{
    StatusEntry, StatusList, StatusPurpose, check_status, status_entry,
};
use dpikit_credentials::verify::envelope_jwt;
use dpikit_credentials::{VerificationReport, Verifier, jose, model};
use pyo3::prelude::*;
use pyo3::types::{PyBytes, PyDict, PyString};
use serde_json::{Value, json};

use crate::conv::{bytes_in, timestamp_or_now};
use crate::conv::{json_bytes, json_in, py_to_value, timestamp, to_py_obj, value_to_py};
use crate::errors::{raise, to_py};
use crate::keys::{PyKeyPair, public_of, resolver, signer};

/// A credential or presentation to verify: a parsed JSON value, or bytes (JSON or a JWT).
enum Input {
    Json(Value),
    Bytes(Vec<u8>),
}

impl Input {
    fn from_py(obj: &Bound<'_, PyAny>) -> PyResult<Self> {
        if let Ok(s) = obj.cast::<PyString>() {
            return Ok(Input::Bytes(s.to_cow()?.as_bytes().to_vec()));
        }
        if let Ok(b) = obj.cast::<PyBytes>() {
            return Ok(Input::Bytes(b.as_bytes().to_vec()));
        }
        Ok(Input::Json(py_to_value(obj)?))
    }
}

/// Verifies one input as the CLI's `vc verify` does: a presentation (JSON or `vp+jwt`) or
/// a credential (JSON or `vc+jwt`).
fn verify_input(verifier: &Verifier, input: &Input) -> VerificationReport {
    match input {
        Input::Json(v) => verifier.verify(v),
        Input::Bytes(bytes) => verifier.verify_bytes(bytes),
    }
}

/// The outcome of a verification: `verified`, every check that ran, and the errors.
#[pyclass(frozen, module = "dpikit.credentials", name = "VerificationReport")]
pub(crate) struct PyReport {
    inner: VerificationReport,
}

#[pymethods]
impl PyReport {
    /// Whether at least one check ran and none failed.
    #[getter]
    fn verified(&self) -> bool {
        self.inner.verified
    }

    /// Every check: `{"check", "ok", "detail"}` plus `"code"` and `"error"` when it failed.
    #[getter]
    fn checks<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        to_py_obj(py, &self.inner.checks)
    }

    /// The failed checks' errors: `{"code", "name", "message", "check"}`.
    #[getter]
    fn errors<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        to_py_obj(py, &self.inner.errors)
    }

    /// The numeric codes of the errors, in order.
    #[getter]
    fn error_codes(&self) -> Vec<u32> {
        self.inner.errors.iter().map(|e| e.code).collect()
    }

    /// The names of the errors' codes, in order.
    #[getter]
    fn error_names(&self) -> Vec<&'static str> {
        self.inner.errors.iter().map(|e| e.name).collect()
    }

    /// `{"verified", "checks", "errors"}` as plain Python objects.
    fn to_dict<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        to_py_obj(py, &self.inner)
    }

    /// The report as JSON text.
    fn to_json(&self) -> String {
        self.inner.to_json()
    }

    fn __repr__(&self) -> String {
        let verified = if self.inner.verified { "True" } else { "False" };
        format!("VerificationReport(verified={verified}, errors={:?})", self.error_names())
    }
}

/// A configured verifier: build it once, verify many credentials and presentations.
#[pyclass(frozen, module = "dpikit.credentials", name = "Verifier")]
pub(crate) struct PyVerifier {
    inner: Verifier,
}

#[pymethods]
impl PyVerifier {
    /// Configures a verifier: DID documents (did:web etc., offline), status list
    /// credentials, extra JSON-LD contexts (`{url: json}`), the instant to verify at, the
    /// challenge and domain presentations must carry, and issuer binding.
    #[new]
    #[pyo3(signature = (*, did_documents = None, status_lists = None, contexts = None, at = None, challenge = None, domain = None, issuer_binding = true))]
    #[allow(clippy::too_many_arguments)] // Python keyword arguments, one per option.
    fn new(
        did_documents: Option<&Bound<'_, PyAny>>,
        status_lists: Option<&Bound<'_, PyAny>>,
        contexts: Option<&Bound<'_, PyDict>>,
        at: Option<&Bound<'_, PyAny>>,
        challenge: Option<String>,
        domain: Option<String>,
        issuer_binding: bool,
    ) -> PyResult<Self> {
        let mut v = Verifier::new()
            .with_resolver(Arc::new(resolver(did_documents)?))
            .with_contexts(context_store(contexts)?)
            .with_issuer_binding(issuer_binding);
        for list in status_lists.map(PyAnyMethods::try_iter).transpose()?.into_iter().flatten() {
            v = v.with_status_list(json_in(&list?)?).map_err(to_py)?;
        }
        if let Some(at) = at.filter(|a| !a.is_none()) {
            v = v.at(timestamp(at)?);
        }
        v = challenge.into_iter().fold(v, Verifier::with_challenge);
        v = domain.into_iter().fold(v, Verifier::with_domain);
        Ok(PyVerifier { inner: v })
    }

    /// Verifies a credential or presentation: a dict, JSON text, or a `vc+jwt`/`vp+jwt`.
    fn verify(&self, py: Python<'_>, credential: &Bound<'_, PyAny>) -> PyResult<PyReport> {
        let input = Input::from_py(credential)?;
        Ok(PyReport { inner: py.detach(|| verify_input(&self.inner, &input)) })
    }

    /// Verifies the credential in a PixelPass QR text (CBOR, JSON or a JWT inside); the
    /// report's first check, `qr`, says how the payload was read.
    fn verify_qr(&self, py: Python<'_>, text: &str) -> PyReport {
        PyReport { inner: py.detach(|| qr::verify_qr(text, &self.inner)) }
    }

    /// Verifies many credentials on `threads` threads (default: every core), without the
    /// GIL; reports come back in input order.
    #[pyo3(signature = (credentials, *, threads = None))]
    fn verify_many(
        &self,
        py: Python<'_>,
        credentials: &Bound<'_, PyAny>,
        threads: Option<usize>,
    ) -> PyResult<Vec<PyReport>> {
        let inputs =
            credentials.try_iter()?.map(|c| json_bytes(&c?)).collect::<PyResult<Vec<_>>>()?;
        let threads =
            threads.unwrap_or_else(|| std::thread::available_parallelism().map_or(1, usize::from));
        let reports = py.detach(|| self.inner.verify_many(&inputs, threads));
        Ok(reports.into_iter().map(|inner| PyReport { inner }).collect())
    }
}

/// Verifies a credential or presentation (dict, JSON text or JWT) and returns its report.
#[pyfunction]
#[pyo3(signature = (credential, *, did_documents = None, status_lists = None, contexts = None, at = None, challenge = None, domain = None, issuer_binding = true))]
#[allow(clippy::too_many_arguments)] // Python keyword arguments, one per option.
fn verify(
    py: Python<'_>,
    credential: &Bound<'_, PyAny>,
    did_documents: Option<&Bound<'_, PyAny>>,
    status_lists: Option<&Bound<'_, PyAny>>,
    contexts: Option<&Bound<'_, PyDict>>,
    at: Option<&Bound<'_, PyAny>>,
    challenge: Option<String>,
    domain: Option<String>,
    issuer_binding: bool,
) -> PyResult<PyReport> {
    let v = PyVerifier::new(
        did_documents,
        status_lists,
        contexts,
        at,
        challenge,
        domain,
        issuer_binding,
    )?;
    v.verify(py, credential)
}

/// Verifies many credentials in parallel in Rust (GIL released); reports in input order.
#[pyfunction]
#[pyo3(signature = (credentials, *, threads = None, did_documents = None, status_lists = None, contexts = None, at = None, issuer_binding = true))]
#[allow(clippy::too_many_arguments)] // Python keyword arguments, one per option.
fn verify_many(
    py: Python<'_>,
    credentials: &Bound<'_, PyAny>,
    threads: Option<usize>,
    did_documents: Option<&Bound<'_, PyAny>>,
    status_lists: Option<&Bound<'_, PyAny>>,
    contexts: Option<&Bound<'_, PyDict>>,
    at: Option<&Bound<'_, PyAny>>,
    issuer_binding: bool,
) -> PyResult<Vec<PyReport>> {
    let v = PyVerifier::new(did_documents, status_lists, contexts, at, None, None, issuer_binding)?;
    v.verify_many(py, credentials, threads)
}

/// The bundled JSON-LD contexts plus `contexts` (`{url: JSON text or dict}`).
fn context_store(contexts: Option<&Bound<'_, PyDict>>) -> PyResult<ContextStore> {
    let mut store = ContextStore::new();
    for (url, ctx) in contexts.map(PyDictMethods::iter).into_iter().flatten() {
        let text = String::from_utf8(json_bytes(&ctx)?)
            .map_err(|_| raise(ErrorCode::InvalidUtf8, "context"))?;
        store.insert(&url.extract::<String>()?, &text).map_err(to_py)?;
    }
    Ok(store)
}

/// Secures `credential` with `suite`: a Data Integrity suite, or `vc+jwt`.
fn secure(
    credential: &Value,
    signer: &dyn Signer,
    suite: &str,
    contexts: &ContextStore,
) -> Result<Value, dpikit_credentials::CredentialError> {
    model::Credential::from_value(credential)?;
    match suite {
        "vc+jwt" | "jwt" => Ok(Value::String(jose::issue_vc_jwt(credential, signer)?)),
        name => di::add_proof(credential, signer, &ProofOptions::assertion(name), contexts),
    }
}

fn secured_to_py<'py>(py: Python<'py>, secured: &Value) -> PyResult<Bound<'py, PyAny>> {
    match secured {
        Value::String(token) => Ok(PyString::new(py, token).into_any()),
        other => value_to_py(py, other),
    }
}

/// Issues a credential (dict or JSON text) signed by `key`: a Data Integrity proof
/// (`eddsa-jcs-2022`, `eddsa-rdfc-2022`) as a dict, or a `vc+jwt` str. Without an
/// `issuer`, the key's did:key becomes the issuer.
#[pyfunction]
#[pyo3(signature = (credential, key, *, suite = "eddsa-jcs-2022", kid = None, contexts = None))]
fn issue<'py>(
    py: Python<'py>,
    credential: &Bound<'py, PyAny>,
    key: PyRef<'py, PyKeyPair>,
    suite: &str,
    kid: Option<String>,
    contexts: Option<&Bound<'py, PyDict>>,
) -> PyResult<Bound<'py, PyAny>> {
    let (mut credential, store, signer) =
        (json_in(credential)?, context_store(contexts)?, signer(&key, kid));
    if let Value::Object(map) = &mut credential {
        map.entry("issuer").or_insert_with(|| json!(key.did()));
    }
    let secured = py.detach(|| secure(&credential, &signer, suite, &store)).map_err(to_py)?;
    secured_to_py(py, &secured)
}

/// A credential to embed in a presentation: JSON as is, a `vc+jwt` enveloped.
fn embeddable(c: &Bound<'_, PyAny>) -> PyResult<Value> {
    match c.cast::<PyString>().map(|s| s.to_cow().map(|t| t.trim().to_owned())) {
        Ok(text) if !text.as_deref().is_ok_and(|t| t.starts_with('{')) => Ok(envelope_jwt(&text?)),
        _ => json_in(c),
    }
}

/// Wraps credentials (dicts, or `vc+jwt` strs) into a presentation signed by the holder
/// `key` (its did:key is the holder): a Data Integrity proof, or a `vp+jwt` when `jwt`.
#[pyfunction]
#[pyo3(signature = (credentials, key, *, challenge = None, domain = None, jwt = false, suite = "eddsa-jcs-2022"))]
fn present<'py>(
    py: Python<'py>,
    credentials: &Bound<'py, PyAny>,
    key: PyRef<'py, PyKeyPair>,
    challenge: Option<String>,
    domain: Option<String>,
    jwt: bool,
    suite: &str,
) -> PyResult<Bound<'py, PyAny>> {
    let embedded =
        credentials.try_iter()?.map(|c| embeddable(&c?)).collect::<PyResult<Vec<_>>>()?;
    let (vp, signer) = (model::presentation(&key.did(), &embedded), signer(&key, None));
    let secured = py
        .detach(|| {
            if jwt {
                jose::issue_vp_jwt(&vp, &signer, challenge.as_deref(), domain.as_deref())
                    .map(Value::String)
            } else {
                di::add_proof(
                    &vp,
                    &signer,
                    &ProofOptions::authentication(suite, challenge, domain),
                    &ContextStore::new(),
                )
            }
        })
        .map_err(to_py)?;
    secured_to_py(py, &secured)
}

/// A `BitstringStatusListEntry` for a credential's `credentialStatus`.
#[pyfunction(name = "status_entry")]
#[pyo3(signature = (list_credential, index, purpose = "revocation"))]
fn status_entry_py<'py>(
    py: Python<'py>,
    list_credential: &str,
    index: u64,
    purpose: &str,
) -> PyResult<Bound<'py, PyAny>> {
    let purpose = StatusPurpose::parse(purpose).map_err(to_py)?;
    value_to_py(py, &status_entry(list_credential, index, purpose))
}

fn suite_for(key: &PyKeyPair) -> &'static str {
    match key.inner.key_type() {
        KeyType::P256 => "vc+jwt",
        _ => "eddsa-jcs-2022",
    }
}

/// Signs a status list credential for `list` (eddsa-jcs-2022, or vc+jwt for P-256 keys).
fn sign_list<'py>(
    py: Python<'py>,
    list: &StatusList,
    id: &str,
    key: &PyKeyPair,
    purpose: StatusPurpose,
) -> PyResult<Bound<'py, PyAny>> {
    let unsigned = list.to_credential(id, &key.did(), purpose).map_err(to_py)?.to_value();
    let signer = signer(key, None);
    let secured = py
        .detach(|| secure(&unsigned, &signer, suite_for(key), &ContextStore::new()))
        .map_err(to_py)?;
    secured_to_py(py, &secured)
}

/// Creates a signed status list credential with `size` entries (at least 131 072), all clear.
#[pyfunction]
#[pyo3(signature = (id, key, *, purpose = "revocation", size = 131_072))]
fn status_list_new<'py>(
    py: Python<'py>,
    id: &str,
    key: PyRef<'py, PyKeyPair>,
    purpose: &str,
    size: usize,
) -> PyResult<Bound<'py, PyAny>> {
    let purpose = StatusPurpose::parse(purpose).map_err(to_py)?;
    let list = StatusList::with_entries(size, 1).map_err(to_py)?;
    sign_list(py, &list, id, &key, purpose)
}

/// Changes one entry of a status list credential and re-signs it with `key`.
fn update_list<'py>(
    py: Python<'py>,
    list_credential: &Bound<'py, PyAny>,
    key: &PyKeyPair,
    update: impl FnOnce(&mut StatusList) -> dpikit_credentials::Result<()>,
) -> PyResult<Bound<'py, PyAny>> {
    let old = json_in(list_credential)?;
    let (mut list, purpose) = StatusList::from_credential(&old).map_err(to_py)?;
    update(&mut list).map_err(to_py)?;
    let id = old
        .get("id")
        .and_then(Value::as_str)
        .ok_or_else(|| raise(ErrorCode::StatusListInvalid, "the list credential has no id"))?;
    sign_list(py, &list, id, key, purpose)
}

/// Sets entry `index` (revokes or suspends) and returns the re-signed list credential.
#[pyfunction]
fn status_list_set<'py>(
    py: Python<'py>,
    list_credential: &Bound<'py, PyAny>,
    key: PyRef<'py, PyKeyPair>,
    index: u64,
) -> PyResult<Bound<'py, PyAny>> {
    update_list(py, list_credential, &key, |l| l.set(index, 1))
}

/// Clears entry `index` and returns the re-signed list credential.
#[pyfunction]
fn status_list_clear<'py>(
    py: Python<'py>,
    list_credential: &Bound<'py, PyAny>,
    key: PyRef<'py, PyKeyPair>,
    index: u64,
) -> PyResult<Bound<'py, PyAny>> {
    update_list(py, list_credential, &key, |l| l.clear(index))
}

/// Reads a credential's `credentialStatus` entry from the list (the list's proof is not
/// checked here; `verify` with `status_lists` does): `{"purpose", "index", "value", "set"}`
/// for a clear entry; raises `CredentialError` (`revoked`, `suspended`) for a set one.
#[pyfunction]
fn status_list_check<'py>(
    py: Python<'py>,
    list_credential: &Bound<'py, PyAny>,
    credential: &Bound<'py, PyAny>,
) -> PyResult<Bound<'py, PyAny>> {
    let (list, credential) = (json_in(list_credential)?, json_in(credential)?);
    let entry = credential
        .get("credentialStatus")
        .ok_or_else(|| raise(ErrorCode::StatusListInvalid, "no credentialStatus"))?;
    let entry = StatusEntry::from_value(entry)
        .map_err(to_py)?
        .ok_or_else(|| raise(ErrorCode::StatusListInvalid, "no BitstringStatusListEntry"))?;
    let s = check_status(&entry, &list).map_err(to_py)?;
    value_to_py(
        py,
        &json!({"purpose": s.purpose.as_str(), "index": s.index, "value": s.value, "set": s.value != 0}),
    )
}

/// Issues an SD-JWT (RFC 9901) signed with `key`: the claims at the JSON Pointers in
/// `disclosable` become selectively disclosable; `vc=True` applies the SD-JWT VC rules
/// (`vct` required); `holder_key` goes in `cnf.jwk` for key binding.
#[pyfunction]
#[pyo3(signature = (claims, key, *, disclosable = None, vc = false, holder_key = None, decoys = 0, kid = None))]
#[allow(clippy::too_many_arguments)] // Python keyword arguments, one per option.
fn sd_jwt_issue(
    py: Python<'_>,
    claims: &Bound<'_, PyAny>,
    key: PyRef<'_, PyKeyPair>,
    disclosable: Option<Vec<String>>,
    vc: bool,
    holder_key: Option<&Bound<'_, PyAny>>,
    decoys: usize,
    kid: Option<String>,
) -> PyResult<String> {
    let (claims, s, paths) = (json_in(claims)?, signer(&key, kid), disclosable.unwrap_or_default());
    let options = IssueOptions {
        holder_key: holder_key.map(public_of).transpose()?,
        decoys,
        ..IssueOptions::default()
    };
    let paths: Vec<&str> = paths.iter().map(String::as_str).collect();
    let issue = if vc { sdjwt::issue_vc } else { sdjwt::issue };
    py.detach(|| issue(&claims, &paths, &s, &options)).map(|sd| sd.to_string()).map_err(to_py)
}

/// Presents an SD-JWT revealing only the claims at the JSON Pointers in `reveal`; with
/// `holder_key` (a KeyPair), binds it to the verifier's `audience` and `nonce` (KB-JWT `iat`
/// = `at`, default now).
#[pyfunction]
#[pyo3(signature = (sd_jwt, reveal, *, holder_key = None, audience = None, nonce = None, at = None))]
fn sd_jwt_present(
    py: Python<'_>,
    sd_jwt: &str,
    reveal: Vec<String>,
    holder_key: Option<PyRef<'_, PyKeyPair>>,
    audience: Option<&str>,
    nonce: Option<&str>,
    at: Option<&Bound<'_, PyAny>>,
) -> PyResult<String> {
    let (reveal, iat) =
        (reveal.iter().map(String::as_str).collect::<Vec<_>>(), timestamp_or_now(at)?.timestamp());
    let shown = SdJwt::parse(sd_jwt.trim()).and_then(|sd| sd.present(&reveal)).map_err(to_py)?;
    let Some(holder) = holder_key else { return Ok(shown.to_string()) };
    let s = signer(&holder, None);
    let bound =
        py.detach(|| shown.bind(&s, audience.unwrap_or_default(), nonce.unwrap_or_default(), iat));
    bound.map(|sd| sd.to_string()).map_err(to_py)
}

/// Verifies an SD-JWT: the issuer signature (with `issuer_key`, or the `kid`'s did:key /
/// did:jwk, which must be `iss`), the disclosures, and a key binding to `nonce` and
/// `audience` when given. Returns `{"claims", "header", "disclosed", "key_binding"}`.
#[pyfunction]
#[pyo3(signature = (sd_jwt, *, issuer_key = None, nonce = None, audience = None, at = None, vc = false))]
fn sd_jwt_verify<'py>(
    py: Python<'py>,
    sd_jwt: &str,
    issuer_key: Option<&Bound<'py, PyAny>>,
    nonce: Option<String>,
    audience: Option<String>,
    at: Option<&Bound<'py, PyAny>>,
    vc: bool,
) -> PyResult<Bound<'py, PyAny>> {
    let mut o = SdJwtVerifyOptions {
        issuer_key: issuer_key.map(public_of).transpose()?,
        vc,
        now: Some(timestamp_or_now(at)?),
        ..SdJwtVerifyOptions::default()
    };
    (o.require_key_binding, o.nonce, o.audience) =
        (nonce.is_some() || audience.is_some(), nonce, audience);
    let v = py.detach(|| sdjwt::verify(sd_jwt.trim(), &o)).map_err(to_py)?;
    let disclosed: Vec<Value> =
        v.disclosures.iter().map(|d| json!({"name": d.name, "value": d.value})).collect();
    let kb = v.key_binding.map(|k| json!({"audience": k.audience, "nonce": k.nonce, "iat": k.iat}));
    to_py_obj(
        py,
        &json!({"claims": v.claims, "header": v.header, "disclosed": disclosed, "key_binding": kb}),
    )
}

/// Encodes a QR text as MOSIP PixelPass does (zlib, then base45): a dict or list goes
/// through CBOR first (`cbor=False` keeps its JSON text); str and bytes go as they are.
#[pyfunction]
#[pyo3(signature = (data, *, cbor = true))]
fn qr_encode(py: Python<'_>, data: &Bound<'_, PyAny>, cbor: bool) -> PyResult<String> {
    if data.is_instance_of::<PyString>() || data.is_instance_of::<PyBytes>() {
        let bytes = bytes_in(data)?;
        return py.detach(|| qr::encode(&bytes)).map_err(to_py);
    }
    let (value, payload) = (py_to_value(data)?, if cbor { Payload::Cbor } else { Payload::Json });
    py.detach(|| qr::encode_json(&value, payload)).map_err(to_py)
}

/// Decodes a PixelPass QR text: a CBOR payload comes back as a dict or list, anything else
/// as str.
#[pyfunction]
fn qr_decode<'py>(py: Python<'py>, text: &str) -> PyResult<Bound<'py, PyAny>> {
    match py.detach(|| qr::decode_payload(text.trim())).map_err(to_py)? {
        Decoded::Cbor(value) => value_to_py(py, &value),
        Decoded::Text(t) => Ok(PyString::new(py, &t).into_any()),
    }
}

/// Verifies the credential in a PixelPass QR text with the options of `verify`.
#[pyfunction]
#[pyo3(signature = (text, *, did_documents = None, status_lists = None, contexts = None, at = None, issuer_binding = true))]
fn qr_verify(
    py: Python<'_>,
    text: &str,
    did_documents: Option<&Bound<'_, PyAny>>,
    status_lists: Option<&Bound<'_, PyAny>>,
    contexts: Option<&Bound<'_, PyDict>>,
    at: Option<&Bound<'_, PyAny>>,
    issuer_binding: bool,
) -> PyResult<PyReport> {
    let v = PyVerifier::new(did_documents, status_lists, contexts, at, None, None, issuer_binding)?;
    Ok(v.verify_qr(py, text))
}

pub(crate) fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_function(wrap_pyfunction!(sd_jwt_issue, m)?)?;
    m.add_function(wrap_pyfunction!(sd_jwt_present, m)?)?;
    m.add_function(wrap_pyfunction!(sd_jwt_verify, m)?)?;
    m.add_function(wrap_pyfunction!(qr_encode, m)?)?;
    m.add_function(wrap_pyfunction!(qr_decode, m)?)?;
    m.add_function(wrap_pyfunction!(qr_verify, m)?)?;
    m.add_class::<PyReport>()?;
    m.add_class::<PyVerifier>()?;
    m.add_function(wrap_pyfunction!(verify, m)?)?;
    m.add_function(wrap_pyfunction!(verify_many, m)?)?;
    m.add_function(wrap_pyfunction!(issue, m)?)?;
    m.add_function(wrap_pyfunction!(present, m)?)?;
    m.add_function(wrap_pyfunction!(status_entry_py, m)?)?;
    m.add_function(wrap_pyfunction!(status_list_new, m)?)?;
    m.add_function(wrap_pyfunction!(status_list_set, m)?)?;
    m.add_function(wrap_pyfunction!(status_list_clear, m)?)?;
    m.add_function(wrap_pyfunction!(status_list_check, m)?)?;
    Ok(())
}
