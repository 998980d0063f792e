//! `dpikit.exchange`: the offline schema registry, validation (one or many, in parallel),
//! NGSI-LD conversion, CSV import, signed and consent-gated CloudEvents envelopes.

use std::sync::{PoisonError, RwLock, RwLockReadGuard, RwLockWriteGuard};

use chrono::Duration;
use dpikit_consent::model::{Code, ConsentRecord, Scheme};
use dpikit_exchange::csv_import::{CsvOptions, import_csv};
use dpikit_exchange::envelope::{self, ConsentCheck, Envelope, EnvelopeBuilder, VerifyPolicy};
use dpikit_exchange::ngsi::{self, AttributeKinds};
use dpikit_exchange::{Registry, SchemaKey, ValidationReport};
use pyo3::prelude::*;
use pyo3::types::{PyBytes, PyString};
use serde_json::{Value, json};

use crate::conv::{
    bytes_in, json_bytes, json_in, row_class, text_of, timestamp_or_now, to_py_obj, value_to_py,
};
use crate::errors::{invalid_argument, to_py};
use crate::keys::{PyKeyPair, public_of, signer};

row_class!(
    /// A registered schema: its `$id` and its `$schemaVersion` (None when unversioned).
    PySchemaKey, "SchemaKey", "dpikit.exchange" {
        id: String,
        version: Option<String>,
    }
);

impl From<SchemaKey> for PySchemaKey {
    fn from(k: SchemaKey) -> Self {
        Self { id: k.id, version: k.version }
    }
}

row_class!(
    /// One validation failure: where in the instance, which schema keyword, and a message.
    PyValidationIssue, "ValidationIssue", "dpikit.exchange" {
        instance_path: String,
        schema_path: String,
        keyword: String,
        message: String,
    }
);

/// The outcome of validating one instance.
#[pyclass(frozen, module = "dpikit.exchange", name = "ValidationReport")]
pub(crate) struct PyValidationReport {
    inner: ValidationReport,
}

#[pymethods]
impl PyValidationReport {
    /// Whether the instance is valid (no issues).
    #[getter]
    fn valid(&self) -> bool {
        self.inner.is_valid()
    }

    /// The schema the instance was validated against.
    #[getter]
    fn schema(&self) -> PySchemaKey {
        self.inner.schema.clone().into()
    }

    /// Every issue found, in schema order.
    #[getter]
    fn issues(&self) -> Vec<PyValidationIssue> {
        let issue = |i: &dpikit_exchange::ValidationIssue| PyValidationIssue {
            instance_path: i.instance_path.clone(),
            schema_path: i.schema_path.clone(),
            keyword: i.code.clone(),
            message: i.message.clone(),
        };
        self.inner.issues.iter().map(issue).collect()
    }

    /// `{"schema": {"id", "version"?}, "issues": [{"instance_path", "schema_path", "code",
    /// "message"}]}`.
    fn to_dict<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        to_py_obj(py, &self.inner)
    }

    fn __repr__(&self) -> String {
        format!("ValidationReport(valid={}, issues={})", self.valid(), self.inner.issues.len())
    }
}

/// An offline, versioned JSON Schema 2020-12 registry: `$ref` resolves only from what is
/// registered, never from the network.
#[pyclass(frozen, module = "dpikit.exchange", name = "Registry")]
pub(crate) struct PyRegistry {
    inner: RwLock<Registry>,
}

impl PyRegistry {
    fn read(&self) -> RwLockReadGuard<'_, Registry> {
        self.inner.read().unwrap_or_else(PoisonError::into_inner)
    }

    fn write(&self) -> RwLockWriteGuard<'_, Registry> {
        self.inner.write().unwrap_or_else(PoisonError::into_inner)
    }

    fn key(&self, schema: &str, version: Option<&str>) -> PyResult<SchemaKey> {
        self.read().resolve(schema, version).map_err(to_py)
    }

    /// Converts a schema id and an instance, then runs `check` on them without the GIL.
    fn check_one<T: Send>(
        &self,
        py: Python<'_>,
        (schema, instance, version): (&Bound<'_, PyString>, &Bound<'_, PyAny>, Option<&str>),
        check: impl FnOnce(&Registry, &SchemaKey, &Value) -> dpikit_exchange::Result<T> + Send,
    ) -> PyResult<T> {
        let (key, instance) = (SchemaKey::new(text_of(schema)?, version), json_in(instance)?);
        let registry = self.read();
        py.detach(|| check(&registry, &key, &instance)).map_err(to_py)
    }
}

#[pymethods]
impl PyRegistry {
    /// A registry holding dpikit's own schemas (`builtin=True`) or nothing.
    #[new]
    #[pyo3(signature = (*, builtin = true))]
    fn new(builtin: bool) -> PyResult<Self> {
        let registry =
            if builtin { Registry::with_builtin().map_err(to_py)? } else { Registry::new() };
        Ok(Self { inner: RwLock::new(registry) })
    }

    /// Registers a schema (JSON text, bytes or dict with a string `$id`).
    fn register(&self, schema: &Bound<'_, PyAny>) -> PyResult<PySchemaKey> {
        let bytes = json_bytes(schema)?;
        self.write().register_bytes(&bytes).map(PySchemaKey::from).map_err(to_py)
    }

    /// Registers the schema in a file.
    fn register_file(&self, path: std::path::PathBuf) -> PyResult<PySchemaKey> {
        self.write().register_file(path).map(PySchemaKey::from).map_err(to_py)
    }

    /// Registers every `*.json` schema of a directory (not recursive).
    fn register_dir(&self, path: std::path::PathBuf) -> PyResult<Vec<PySchemaKey>> {
        let keys = self.write().register_dir(path).map_err(to_py)?;
        Ok(keys.into_iter().map(PySchemaKey::from).collect())
    }

    /// Lets `$ref`s to `alias` resolve to the registered schema `id`.
    fn add_alias(&self, alias: &str, id: &str) -> PyResult<()> {
        self.write().add_alias(alias, id).map_err(to_py)
    }

    /// Every registered schema, ordered by id then version.
    fn keys(&self) -> Vec<PySchemaKey> {
        self.read().keys().into_iter().map(PySchemaKey::from).collect()
    }

    /// The key of schema `id` at `version` (default: the highest registered).
    #[pyo3(signature = (id, version = None))]
    fn resolve(&self, id: &str, version: Option<&str>) -> PyResult<PySchemaKey> {
        self.key(id, version).map(PySchemaKey::from)
    }

    /// The schema document of `id` at `version`.
    #[pyo3(signature = (id, version = None))]
    fn schema<'py>(
        &self,
        py: Python<'py>,
        id: &str,
        version: Option<&str>,
    ) -> PyResult<Bound<'py, PyAny>> {
        let key = self.key(id, version)?;
        value_to_py(py, &*self.read().document(&key).map_err(to_py)?)
    }

    /// Compiles every schema now, so that a `$ref` to something missing shows at load time.
    fn compile_all(&self, py: Python<'_>) -> PyResult<()> {
        let registry = self.read();
        py.detach(|| registry.compile_all()).map_err(to_py)
    }

    /// Validates an instance (dict, JSON text or bytes) against schema `schema` (its `$id`)
    /// at `version`; an invalid instance is a report, not an exception.
    #[pyo3(signature = (schema, instance, *, version = None))]
    fn validate(
        &self,
        py: Python<'_>,
        schema: &Bound<'_, PyString>,
        instance: &Bound<'_, PyAny>,
        version: Option<&str>,
    ) -> PyResult<PyValidationReport> {
        let inner = self.check_one(py, (schema, instance, version), Registry::validate)?;
        Ok(PyValidationReport { inner })
    }

    /// Returns whether an instance (dict, JSON text or bytes) is valid against schema
    /// `schema` at `version`, without collecting the issues (`validate` says what is wrong).
    #[pyo3(signature = (schema, instance, *, version = None))]
    fn is_valid(
        &self,
        py: Python<'_>,
        schema: &Bound<'_, PyString>,
        instance: &Bound<'_, PyAny>,
        version: Option<&str>,
    ) -> PyResult<bool> {
        self.check_one(py, (schema, instance, version), Registry::is_valid)
    }

    /// Validates many instances against one schema on `threads` threads (default: every
    /// core) without the GIL; reports come back in input order.
    #[pyo3(signature = (schema, instances, *, version = None, threads = None))]
    fn validate_many(
        &self,
        py: Python<'_>,
        schema: &str,
        instances: &Bound<'_, PyAny>,
        version: Option<&str>,
        threads: Option<usize>,
    ) -> PyResult<Vec<PyValidationReport>> {
        let values = instances.try_iter()?.map(|i| json_in(&i?)).collect::<PyResult<Vec<_>>>()?;
        let threads =
            threads.unwrap_or_else(|| std::thread::available_parallelism().map_or(1, usize::from));
        let (key, registry) = (self.key(schema, version)?, self.read());
        let reports =
            py.detach(|| registry.validate_many(&key, &values, threads)).map_err(to_py)?;
        reports
            .into_iter()
            .map(|r| r.map(|inner| PyValidationReport { inner }).map_err(to_py))
            .collect()
    }

    /// Converts a keyValues entity to NGSI-LD normalized form, with the attribute kinds of
    /// schema `schema`: `{"entity", "defaulted"}` (attributes written as `Property` because
    /// the schema does not describe them).
    #[pyo3(signature = (entity, schema, *, version = None))]
    fn to_normalized<'py>(
        &self,
        py: Python<'py>,
        entity: &Bound<'py, PyAny>,
        schema: &str,
        version: Option<&str>,
    ) -> PyResult<Bound<'py, PyAny>> {
        let (key, entity) = (self.key(schema, version)?, json_in(entity)?);
        let kinds = AttributeKinds::from_schema(&self.read(), &key).map_err(to_py)?;
        to_py_obj(py, &ngsi::to_normalized(&entity, &kinds).map_err(to_py)?)
    }

    /// Builds entities of schema `schema` from CSV (str or bytes) and validates each:
    /// `{"entities": [...], "rows": [{"row", "id"?, "entity"?, "issues", "error"?, "detail"?}]}`.
    #[pyo3(signature = (csv, schema, *, version = None, default_type = None))]
    fn import_csv<'py>(
        &self,
        py: Python<'py>,
        csv: &Bound<'py, PyAny>,
        schema: &str,
        version: Option<&str>,
        default_type: Option<String>,
    ) -> PyResult<Bound<'py, PyAny>> {
        let (key, input, registry) = (self.key(schema, version)?, bytes_in(csv)?, self.read());
        let options = CsvOptions { default_type, ..CsvOptions::default() };
        let imported =
            py.detach(|| import_csv(&input, &registry, &key, &options)).map_err(to_py)?;
        to_py_obj(py, &imported)
    }

    /// Builds a CloudEvents 1.0 envelope for `data` of schema `schema` (validated now) and
    /// returns it as a dict; `time` defaults to now and `id` to a random `urn:uuid:`.
    #[pyo3(signature = (data, *, source, r#type, schema, version = None, id = None, time = None, subject = None, correlation_id = None, causation_id = None, consent_id = None, personal_data = false))]
    #[allow(clippy::too_many_arguments)] // Python keyword arguments, one per attribute.
    fn envelope<'py>(
        &self,
        py: Python<'py>,
        data: &Bound<'py, PyAny>,
        source: String,
        r#type: String,
        schema: &str,
        version: Option<&str>,
        id: Option<String>,
        time: Option<&Bound<'py, PyAny>>,
        subject: Option<String>,
        correlation_id: Option<String>,
        causation_id: Option<String>,
        consent_id: Option<String>,
        personal_data: bool,
    ) -> PyResult<Bound<'py, PyAny>> {
        let key = self.key(schema, version)?;
        let b = EnvelopeBuilder::new(source, r#type, key, json_in(data)?)
            .time(timestamp_or_now(time)?)
            .personal_data(personal_data);
        let b = id.into_iter().fold(b, EnvelopeBuilder::id);
        let b = subject.into_iter().fold(b, EnvelopeBuilder::subject);
        let b = correlation_id.into_iter().fold(b, EnvelopeBuilder::correlation_id);
        let b = causation_id.into_iter().fold(b, EnvelopeBuilder::causation_id);
        let b = consent_id.into_iter().fold(b, EnvelopeBuilder::consent_id);
        to_py_obj(py, &b.build(&self.read()).map_err(to_py)?)
    }

    /// Verifies a signed envelope (compact JWS) with `key`: signature over the exact bytes,
    /// freshness at `at` (default now; at most `max_age` seconds old), the consent reference
    /// for personal data, and `data` against its `dataschema`. Returns `{"envelope", "kid"}`.
    #[pyo3(signature = (token, key, *, detached = None, at = None, max_age = 300))]
    fn open_envelope<'py>(
        &self,
        py: Python<'py>,
        token: &str,
        key: &Bound<'py, PyAny>,
        detached: Option<&[u8]>,
        at: Option<&Bound<'py, PyAny>>,
        max_age: i64,
    ) -> PyResult<Bound<'py, PyAny>> {
        let (public, registry) = (public_of(key)?, self.read());
        let policy =
            VerifyPolicy::at(timestamp_or_now(at)?).with_max_age(Duration::seconds(max_age));
        let v = py
            .detach(|| envelope::verify(token.trim(), detached, &public, &registry, &policy))
            .map_err(to_py)?;
        to_py_obj(py, &json!({"envelope": v.envelope, "kid": v.kid}))
    }
}

fn envelope_in(obj: &Bound<'_, PyAny>) -> PyResult<Envelope> {
    Envelope::from_bytes(&json_bytes(obj)?).map_err(to_py)
}

fn scheme_code(scheme: &str, code: String) -> PyResult<Code> {
    let scheme: Scheme =
        serde_json::from_value(json!(scheme.to_ascii_lowercase())).map_err(|_| {
            invalid_argument(format!("unknown scheme {scheme:?}: dpv, kantara, rebit or local"))
        })?;
    Ok(Code::new(scheme, code))
}

/// Seals an envelope under a consent record: checks that `controller` may send the data for
/// `purpose` (and `data_category`) at `at`, then sets `consentid` (and `consentreceipt`).
/// A refusal raises `ExchangeError` (`consent_denied`).
#[pyfunction]
#[pyo3(signature = (envelope, record, *, controller, purpose, scheme = "dpv", data_category = None, receipt = None, at = None))]
#[allow(clippy::too_many_arguments)] // Python keyword arguments, one per check member.
fn seal_envelope<'py>(
    py: Python<'py>,
    envelope: &Bound<'py, PyAny>,
    record: &Bound<'py, PyAny>,
    controller: &str,
    purpose: String,
    scheme: &str,
    data_category: Option<String>,
    receipt: Option<&str>,
    at: Option<&Bound<'py, PyAny>>,
) -> PyResult<Bound<'py, PyAny>> {
    let (e, r) =
        (envelope_in(envelope)?, ConsentRecord::from_json(&json_bytes(record)?).map_err(to_py)?);
    let (purpose, category) =
        (scheme_code(scheme, purpose)?, data_category.map(|c| scheme_code(scheme, c)).transpose()?);
    let mut check = ConsentCheck::new(&r, controller, &purpose, timestamp_or_now(at)?);
    (check.data_category, check.receipt) = (category.as_ref(), receipt);
    to_py_obj(py, &envelope::seal(e, &check).map_err(to_py)?)
}

/// Signs an envelope with `key` as a compact JWS (`typ` `dpikit-envelope+jws`): returns
/// `(token, signed_bytes)`; with `detached`, the token's payload segment is empty.
#[pyfunction]
#[pyo3(signature = (envelope, key, *, kid = None, detached = false))]
fn sign_envelope<'py>(
    py: Python<'py>,
    envelope: &Bound<'py, PyAny>,
    key: PyRef<'py, PyKeyPair>,
    kid: Option<String>,
    detached: bool,
) -> PyResult<(String, Bound<'py, PyBytes>)> {
    let (e, s) = (envelope_in(envelope)?, signer(&key, kid));
    let signed = py.detach(|| envelope::sign(&e, &s, detached)).map_err(to_py)?;
    Ok((signed.token, PyBytes::new(py, &signed.bytes)))
}

/// Converts a normalized NGSI-LD entity to keyValues: `{"entity", "dropped"}` where
/// `dropped` lists the sub-attributes (`observedAt`, `unitCode`, ...) that were lost.
#[pyfunction]
fn to_key_values<'py>(py: Python<'py>, entity: &Bound<'py, PyAny>) -> PyResult<Bound<'py, PyAny>> {
    to_py_obj(py, &ngsi::to_key_values(&json_in(entity)?).map_err(to_py)?)
}

/// Whether an entity is in NGSI-LD normalized form.
#[pyfunction]
fn is_normalized(entity: &Bound<'_, PyAny>) -> PyResult<bool> {
    Ok(ngsi::is_normalized(&json_in(entity)?))
}

/// Writes entities (keyValues or normalized) as a GeoJSON FeatureCollection.
#[pyfunction]
fn to_feature_collection<'py>(
    py: Python<'py>,
    entities: Vec<Bound<'py, PyAny>>,
) -> PyResult<Bound<'py, PyAny>> {
    let entities = entities.iter().map(json_in).collect::<PyResult<Vec<Value>>>()?;
    value_to_py(py, &ngsi::to_feature_collection(&entities).map_err(to_py)?)
}

pub(crate) fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_class::<PySchemaKey>()?;
    m.add_class::<PyValidationIssue>()?;
    m.add_class::<PyValidationReport>()?;
    m.add_class::<PyRegistry>()?;
    m.add_function(wrap_pyfunction!(seal_envelope, m)?)?;
    m.add_function(wrap_pyfunction!(sign_envelope, m)?)?;
    m.add_function(wrap_pyfunction!(to_key_values, m)?)?;
    m.add_function(wrap_pyfunction!(is_normalized, m)?)?;
    m.add_function(wrap_pyfunction!(to_feature_collection, m)?)?;
    Ok(())
}
