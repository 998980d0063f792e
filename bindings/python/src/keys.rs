//! `dpikit.keys`: key pairs, public keys, JWK, Multikey, did:key, did:jwk, JWS.

use dpikit_core::did::{
    DidDocument, Resolver, StaticResolver, did_jwk, did_key, did_key_verification_method,
};
use dpikit_core::jws::{self, SignOptions, Signer, VerifyOptions, WithKeyId};
use dpikit_core::keys::{Algorithm, Jwk, KeyPair, KeyType, PublicKey};
use pyo3::prelude::*;
use pyo3::types::{PyBytes, PyDict, PyString};

use crate::conv::{json_bytes, json_in, to_py_obj, value_to_py};
use crate::errors::{invalid_argument, to_py};

fn key_type(name: &str) -> PyResult<KeyType> {
    name.parse().map_err(to_py)
}

fn parse_jwk(jwk: &Bound<'_, PyAny>) -> PyResult<Jwk> {
    Jwk::from_json(&json_bytes(jwk)?).map_err(to_py)
}

fn jwk_dict<'py>(py: Python<'py>, jwk: &Jwk) -> PyResult<Bound<'py, PyAny>> {
    to_py_obj(py, jwk)
}

/// A key pair (Ed25519 or P-256); the secret never shows in `repr`.
#[pyclass(frozen, module = "dpikit.keys", name = "KeyPair")]
pub(crate) struct PyKeyPair {
    pub(crate) inner: KeyPair,
}

#[pymethods]
impl PyKeyPair {
    /// Generates a key pair from the OS RNG: `"ed25519"` or `"p256"`.
    #[staticmethod]
    #[pyo3(signature = (key_type = "ed25519"))]
    fn generate(py: Python<'_>, key_type: &str) -> PyResult<Self> {
        let kt = self::key_type(key_type)?;
        let inner = py.detach(|| KeyPair::generate(kt)).map_err(to_py)?;
        Ok(PyKeyPair { inner })
    }

    /// Reads a private JWK (str or dict).
    #[staticmethod]
    fn from_jwk(jwk: &Bound<'_, PyAny>) -> PyResult<Self> {
        KeyPair::from_jwk(&parse_jwk(jwk)?).map(|inner| PyKeyPair { inner }).map_err(to_py)
    }

    /// Reads a private Multikey (`z…`).
    #[staticmethod]
    fn from_multikey(text: &str) -> PyResult<Self> {
        KeyPair::from_private_multikey(text).map(|inner| PyKeyPair { inner }).map_err(to_py)
    }

    /// Builds a key pair from its raw 32-byte secret.
    #[staticmethod]
    fn from_secret_bytes(key_type: &str, secret: &[u8]) -> PyResult<Self> {
        let kt = self::key_type(key_type)?;
        KeyPair::from_secret_bytes(kt, secret).map(|inner| PyKeyPair { inner }).map_err(to_py)
    }

    /// `"ed25519"` or `"p256"`.
    #[getter]
    fn key_type(&self) -> &'static str {
        self.inner.key_type().name()
    }

    /// The JOSE algorithm: `"EdDSA"` or `"ES256"`.
    #[getter]
    fn algorithm(&self) -> &'static str {
        self.inner.algorithm().jose_name()
    }

    /// The public half.
    fn public_key(&self) -> PyPublicKey {
        PyPublicKey { inner: self.inner.public_key() }
    }

    /// The did:key of the public key.
    #[getter]
    pub(crate) fn did(&self) -> String {
        did_key(&self.inner.public_key())
    }

    /// The did:key verification method (`did:key:z…#z…`), the default `kid`.
    #[getter]
    fn kid(&self) -> String {
        did_key_verification_method(&self.inner.public_key())
    }

    /// Signs `message`; returns the 64-byte JOSE signature.
    fn sign<'py>(&self, py: Python<'py>, message: &[u8]) -> PyResult<Bound<'py, PyBytes>> {
        let sig = py.detach(|| self.inner.sign(message)).map_err(to_py)?;
        Ok(PyBytes::new(py, &sig))
    }

    /// The private JWK as a dict (holds the secret `d`).
    fn to_jwk<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        jwk_dict(py, &self.inner.to_private_jwk())
    }

    /// The private Multikey text (holds the secret).
    fn to_multikey(&self) -> String {
        self.inner.to_private_multikey().to_string()
    }

    /// The raw secret bytes.
    fn secret_bytes<'py>(&self, py: Python<'py>) -> Bound<'py, PyBytes> {
        PyBytes::new(py, &self.inner.secret_bytes())
    }

    fn __repr__(&self) -> String {
        format!("KeyPair({}, {})", self.inner.key_type().name(), self.kid())
    }
}

/// A public key (Ed25519 or P-256).
#[pyclass(frozen, module = "dpikit.keys", name = "PublicKey")]
pub(crate) struct PyPublicKey {
    pub(crate) inner: PublicKey,
}

#[pymethods]
impl PyPublicKey {
    /// Reads a JWK (str or dict; a private member is ignored).
    #[staticmethod]
    fn from_jwk(jwk: &Bound<'_, PyAny>) -> PyResult<Self> {
        let jwk = parse_jwk(jwk)?.to_public();
        PublicKey::from_jwk(&jwk).map(|inner| PyPublicKey { inner }).map_err(to_py)
    }

    /// Reads a public Multikey (`z6Mk…`, `zDn…`).
    #[staticmethod]
    fn from_multikey(text: &str) -> PyResult<Self> {
        PublicKey::from_multikey(text).map(|inner| PyPublicKey { inner }).map_err(to_py)
    }

    /// Reads raw public key bytes (Ed25519: 32; P-256: SEC1, compressed or not).
    #[staticmethod]
    fn from_bytes(key_type: &str, data: &[u8]) -> PyResult<Self> {
        let kt = self::key_type(key_type)?;
        PublicKey::from_bytes(kt, data).map(|inner| PyPublicKey { inner }).map_err(to_py)
    }

    /// Reads the key of a did:key (or a did:key verification method).
    #[staticmethod]
    fn from_did_key(did: &str) -> PyResult<Self> {
        let did = did.split('#').next().unwrap_or_default();
        let doc = dpikit_core::did::resolve_did_key(did).map_err(to_py)?;
        let vm = doc.verification_method.first().ok_or_else(|| invalid_argument("no key"))?;
        vm.public_key().map(|inner| PyPublicKey { inner }).map_err(to_py)
    }

    /// `"ed25519"` or `"p256"`.
    #[getter]
    fn key_type(&self) -> &'static str {
        self.inner.key_type().name()
    }

    /// The JOSE algorithm: `"EdDSA"` or `"ES256"`.
    #[getter]
    fn algorithm(&self) -> &'static str {
        self.inner.algorithm().jose_name()
    }

    /// The did:key.
    #[getter]
    fn did(&self) -> String {
        did_key(&self.inner)
    }

    /// The did:key verification method (`did:key:z…#z…`).
    #[getter]
    fn kid(&self) -> String {
        did_key_verification_method(&self.inner)
    }

    /// The raw public key bytes.
    fn to_bytes<'py>(&self, py: Python<'py>) -> Bound<'py, PyBytes> {
        PyBytes::new(py, &self.inner.to_bytes())
    }

    /// The public JWK as a dict.
    fn to_jwk<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        jwk_dict(py, &self.inner.to_jwk())
    }

    /// The RFC 7638 JWK thumbprint (base64url SHA-256).
    fn thumbprint(&self) -> String {
        self.inner.jwk_thumbprint()
    }

    /// The public Multikey text.
    fn to_multikey(&self) -> String {
        self.inner.to_multikey()
    }

    /// Verifies `signature` over `message`; raises `KeyMaterialError` (`invalid_signature`).
    fn verify(&self, py: Python<'_>, message: &[u8], signature: &[u8]) -> PyResult<()> {
        py.detach(|| self.inner.verify(message, signature)).map_err(to_py)
    }

    fn __eq__(&self, other: &Bound<'_, PyAny>) -> bool {
        other.cast::<PyPublicKey>().is_ok_and(|o| o.get().inner == self.inner)
    }

    fn __hash__(&self) -> u64 {
        self.inner.to_bytes().iter().fold(0xcbf2_9ce4_8422_2325_u64, |h, b| {
            (h ^ u64::from(*b)).wrapping_mul(0x0100_0000_01b3)
        })
    }

    fn __repr__(&self) -> String {
        format!("PublicKey({}, {})", self.inner.key_type().name(), self.kid())
    }
}

/// The public key of a `KeyPair`, a `PublicKey`, or a JWK (str or dict).
pub(crate) fn public_of(obj: &Bound<'_, PyAny>) -> PyResult<PublicKey> {
    if let Ok(k) = obj.cast::<PyKeyPair>() {
        return Ok(k.get().inner.public_key());
    }
    if let Ok(k) = obj.cast::<PyPublicKey>() {
        return Ok(k.get().inner);
    }
    PyPublicKey::from_jwk(obj).map(|k| k.inner)
}

/// A signer for `key` whose `kid` is `kid`, or the key's did:key verification method.
pub(crate) fn signer(key: &PyKeyPair, kid: Option<String>) -> WithKeyId<KeyPair> {
    let kid = kid.unwrap_or_else(|| did_key_verification_method(&key.inner.public_key()));
    WithKeyId { signer: key.inner.clone(), kid }
}

/// Generates a key pair: `"ed25519"` (default) or `"p256"`.
#[pyfunction]
#[pyo3(signature = (key_type = "ed25519"))]
fn generate(py: Python<'_>, key_type: &str) -> PyResult<PyKeyPair> {
    PyKeyPair::generate(py, key_type)
}

/// The did:key of a key (KeyPair, PublicKey or JWK).
#[pyfunction(name = "did_key")]
fn did_key_of(key: &Bound<'_, PyAny>) -> PyResult<String> {
    Ok(did_key(&public_of(key)?))
}

/// The did:jwk of a key (KeyPair, PublicKey or JWK).
#[pyfunction(name = "did_jwk")]
fn did_jwk_of(key: &Bound<'_, PyAny>) -> PyResult<String> {
    Ok(did_jwk(&public_of(key)?))
}

/// Builds an offline resolver from DID documents (str or dict each).
pub(crate) fn resolver(documents: Option<&Bound<'_, PyAny>>) -> PyResult<StaticResolver> {
    let mut resolver = StaticResolver::new();
    for doc in documents.map(PyAnyMethods::try_iter).transpose()?.into_iter().flatten() {
        resolver.insert(DidDocument::from_json(&json_bytes(&doc?)?).map_err(to_py)?);
    }
    Ok(resolver)
}

/// Resolves a DID offline (did:key, did:jwk, or one of `did_documents`) to its document.
#[pyfunction]
#[pyo3(signature = (did, *, did_documents = None))]
fn resolve_did<'py>(
    py: Python<'py>,
    did: &str,
    did_documents: Option<&Bound<'py, PyAny>>,
) -> PyResult<Bound<'py, PyAny>> {
    let did = did.split('#').next().unwrap_or_default();
    let doc = resolver(did_documents)?.resolve(did).map_err(to_py)?;
    value_to_py(py, &doc.to_json_value())
}

fn payload_bytes(payload: &Bound<'_, PyAny>) -> PyResult<Vec<u8>> {
    if let Ok(s) = payload.cast::<PyString>() {
        return Ok(s.to_cow()?.as_bytes().to_vec());
    }
    payload.extract::<Vec<u8>>().map_err(|_| invalid_argument("payload must be bytes or str"))
}

/// Signs `payload` (bytes or str) into a compact JWS (RFC 7515; RFC 7797 when `unencoded`).
#[pyfunction]
#[pyo3(signature = (payload, key, *, detached = false, typ = None, cty = None, kid = None, unencoded = false, headers = None))]
#[allow(clippy::too_many_arguments)] // Python keyword arguments, one per JWS option.
fn jws_sign(
    py: Python<'_>,
    payload: &Bound<'_, PyAny>,
    key: PyRef<'_, PyKeyPair>,
    detached: bool,
    typ: Option<String>,
    cty: Option<String>,
    kid: Option<String>,
    unencoded: bool,
    headers: Option<&Bound<'_, PyDict>>,
) -> PyResult<String> {
    let payload = payload_bytes(payload)?;
    let extra_headers = match headers.map(|h| crate::conv::py_to_value(h.as_any())) {
        Some(v) => v?.as_object().cloned().unwrap_or_default(),
        None => serde_json::Map::new(),
    };
    let opts = SignOptions { typ, cty, detached, unencoded, extra_headers };
    let signer: Box<dyn Signer + Send + Sync> = match kid {
        Some(kid) => Box::new(WithKeyId { signer: key.inner.clone(), kid }),
        None => Box::new(key.inner.clone()),
    };
    py.detach(|| jws::sign(&payload, signer.as_ref(), &opts)).map_err(to_py)
}

/// Verifies a compact JWS with `key`; returns `{"header": dict, "payload": bytes}`.
#[pyfunction]
#[pyo3(signature = (token, key, *, payload = None, expected_alg = None))]
fn jws_verify<'py>(
    py: Python<'py>,
    token: &str,
    key: &Bound<'py, PyAny>,
    payload: Option<&Bound<'py, PyAny>>,
    expected_alg: Option<&str>,
) -> PyResult<Bound<'py, PyDict>> {
    let public = public_of(key)?;
    let detached = payload.map(payload_bytes).transpose()?;
    let expected_alg = expected_alg.map(Algorithm::from_jose).transpose().map_err(to_py)?;
    let opts = VerifyOptions {
        detached_payload: detached.as_deref(),
        expected_alg,
        ..VerifyOptions::default()
    };
    let verified = py.detach(|| jws::verify(token, &public, &opts)).map_err(to_py)?;
    let out = PyDict::new(py);
    out.set_item("header", to_py_obj(py, &verified.header)?)?;
    out.set_item("payload", PyBytes::new(py, &verified.payload))?;
    Ok(out)
}

/// Parses a JSON text (bounded intake, duplicate keys refused) to Python objects.
#[pyfunction]
fn parse_json<'py>(py: Python<'py>, text: &Bound<'py, PyAny>) -> PyResult<Bound<'py, PyAny>> {
    value_to_py(py, &json_in(text)?)
}

/// The RFC 8785 (JCS) canonical form of a JSON value (str or dict), as bytes.
#[pyfunction]
fn canonicalize<'py>(py: Python<'py>, value: &Bound<'py, PyAny>) -> PyResult<Bound<'py, PyBytes>> {
    let value = json_in(value)?;
    let bytes = py.detach(|| dpikit_core::jcs::canonicalize(&value)).map_err(to_py)?;
    Ok(PyBytes::new(py, &bytes))
}

pub(crate) fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_class::<PyKeyPair>()?;
    m.add_class::<PyPublicKey>()?;
    m.add_function(wrap_pyfunction!(generate, m)?)?;
    m.add_function(wrap_pyfunction!(did_key_of, m)?)?;
    m.add_function(wrap_pyfunction!(did_jwk_of, m)?)?;
    m.add_function(wrap_pyfunction!(resolve_did, m)?)?;
    m.add_function(wrap_pyfunction!(jws_sign, m)?)?;
    m.add_function(wrap_pyfunction!(jws_verify, m)?)?;
    m.add_function(wrap_pyfunction!(parse_json, m)?)?;
    m.add_function(wrap_pyfunction!(canonicalize, m)?)?;
    Ok(())
}
