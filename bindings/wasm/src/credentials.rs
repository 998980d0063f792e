//! Credentials: issue, verify (one or many), present, QR (PixelPass) text, status entries.

use std::collections::BTreeMap;
use std::sync::Arc;

use dpikit_core::jws::Signer;
use dpikit_credentials::di::{self, ProofOptions};
use dpikit_credentials::jsonld::ContextStore;
use dpikit_credentials::verify::envelope_jwt;
use dpikit_credentials::{CredentialError, VerificationReport, jose, model, qr};
use serde::Deserialize;
use serde_json::{Value, json};
use wasm_bindgen::prelude::*;

use crate::conv::{json_bytes, json_in, options, timestamp_or_now, to_js_value};
use crate::errors::to_js;
use crate::keys::{KeyPair, resolver, signer};

/// Options of [`verify_credential`] and [`Verifier::new`].
#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase", default, deny_unknown_fields)]
struct VerifyOptions {
    /// DID documents for did:web and others (resolved offline).
    did_documents: Vec<Value>,
    /// Status list credentials, checked for `credentialStatus`.
    status_lists: Vec<Value>,
    /// Extra JSON-LD contexts: `{url: context object or JSON text}`.
    contexts: BTreeMap<String, Value>,
    /// The instant to verify at (RFC 3339); now by default.
    at: Option<String>,
    /// The challenge a presentation must carry.
    challenge: Option<String>,
    /// The domain a presentation must carry.
    domain: Option<String>,
    /// Whether the proof's key must belong to the issuer (default true).
    issuer_binding: Option<bool>,
}

/// The bundled JSON-LD contexts plus `contexts`.
fn context_store(contexts: &BTreeMap<String, Value>) -> Result<ContextStore, JsValue> {
    let mut store = ContextStore::new();
    for (url, ctx) in contexts {
        let text = ctx.as_str().map_or_else(|| ctx.to_string(), str::to_owned);
        store.insert(url, &text).map_err(to_js)?;
    }
    Ok(store)
}

/// A configured verifier: build it once, verify many credentials and presentations.
#[wasm_bindgen]
pub struct Verifier {
    inner: dpikit_credentials::Verifier,
}

#[wasm_bindgen]
impl Verifier {
    /// Configures a verifier: `{didDocuments, statusLists, contexts, at, challenge, domain,
    /// issuerBinding}`, every member optional.
    ///
    /// # Errors
    ///
    /// `invalid_argument` for an unknown option; the core's errors for a bad DID document,
    /// status list, context or instant.
    #[wasm_bindgen(constructor)]
    pub fn new(options: &JsValue) -> Result<Verifier, JsValue> {
        let o: VerifyOptions = self::options(options)?;
        let mut v = dpikit_credentials::Verifier::new()
            .with_resolver(Arc::new(resolver(&o.did_documents)?))
            .with_contexts(context_store(&o.contexts)?)
            .with_issuer_binding(o.issuer_binding.unwrap_or(true));
        for list in o.status_lists {
            v = v.with_status_list(list).map_err(to_js)?;
        }
        if let Some(at) = o.at.as_deref() {
            v = v.at(timestamp_or_now(Some(at))?);
        }
        v = o.challenge.into_iter().fold(v, dpikit_credentials::Verifier::with_challenge);
        v = o.domain.into_iter().fold(v, dpikit_credentials::Verifier::with_domain);
        Ok(Verifier { inner: v })
    }

    /// Verifies a credential or presentation: an object, JSON text, a `vc+jwt`/`vp+jwt`,
    /// or a `Uint8Array`; returns `{verified, checks, errors}`.
    ///
    /// # Errors
    ///
    /// Only for an input that is not JSON-able; verification failures are in the report.
    pub fn verify(&self, credential: &JsValue) -> Result<JsValue, JsValue> {
        let report = if credential.is_object() && !credential.is_instance_of::<js_sys::Uint8Array>()
        {
            self.inner.verify(&json_in(credential)?)
        } else {
            self.inner.verify_bytes(&json_bytes(credential)?)
        };
        report_out(&report)
    }

    /// Verifies many credentials (objects, JSON text or JWTs), one after the other (WASM has
    /// no threads); reports in input order.
    ///
    /// # Errors
    ///
    /// `invalid_argument` when `credentials` is not an array of JSON-able values.
    #[wasm_bindgen(js_name = verifyMany)]
    pub fn verify_many(&self, credentials: &js_sys::Array) -> Result<JsValue, JsValue> {
        let inputs = credentials.iter().map(|c| json_bytes(&c)).collect::<Result<Vec<_>, _>>()?;
        to_js_value(&self.inner.verify_many(&inputs, 1))
    }

    /// Verifies a PixelPass QR text (base45 of zlib of CBOR or JSON) holding a credential.
    ///
    /// # Errors
    ///
    /// Only when the report cannot be converted; decoding failures are in the report.
    #[wasm_bindgen(js_name = verifyQr)]
    pub fn verify_qr(&self, text: &str) -> Result<JsValue, JsValue> {
        report_out(&qr::verify_qr(text, &self.inner))
    }
}

fn report_out(report: &VerificationReport) -> Result<JsValue, JsValue> {
    to_js_value(report)
}

/// Verifies a credential or presentation (object, JSON text, JWT or `Uint8Array`) and
/// returns `{verified, checks, errors}`; each error has `code` and `name`.
///
/// # Errors
///
/// As [`Verifier::new`] for bad options; verification failures are in the report.
#[wasm_bindgen(js_name = verifyCredential)]
pub fn verify_credential(credential: &JsValue, options: &JsValue) -> Result<JsValue, JsValue> {
    Verifier::new(options)?.verify(credential)
}

/// Verifies a PixelPass QR text holding a credential; options as [`verify_credential`].
///
/// # Errors
///
/// As [`Verifier::new`] for bad options; failures are in the report.
#[wasm_bindgen(js_name = verifyQr)]
pub fn verify_qr(text: &str, options: &JsValue) -> Result<JsValue, JsValue> {
    Verifier::new(options)?.verify_qr(text)
}

/// Options of [`issue_credential`].
#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase", default, deny_unknown_fields)]
struct IssueOptions {
    /// `eddsa-jcs-2022` (default), `eddsa-rdfc-2022`, `ecdsa-…`, or `vc+jwt`.
    suite: Option<String>,
    /// The verification method; the key's did:key method by default.
    kid: Option<String>,
    /// Extra JSON-LD contexts for RDFC suites.
    contexts: BTreeMap<String, Value>,
}

/// Secures `credential` with `suite`: a Data Integrity suite, or `vc+jwt`.
fn secure(
    credential: &Value,
    signer: &dyn Signer,
    suite: &str,
    contexts: &ContextStore,
) -> Result<Value, CredentialError> {
    model::Credential::from_value(credential)?;
    match suite {
        "vc+jwt" | "jwt" => Ok(Value::String(jose::issue_vc_jwt(credential, signer)?)),
        name => di::add_proof(credential, signer, &ProofOptions::assertion(name), contexts),
    }
}

/// Issues a credential signed by `key`: a Data Integrity proof (an object) or a `vc+jwt`
/// (a string). Without an `issuer`, the key's did:key becomes the issuer.
///
/// # Errors
///
/// `malformed_credential`, `unsupported_cryptosuite`, `alg_key_mismatch`, … by code.
#[wasm_bindgen(js_name = issueCredential)]
pub fn issue_credential(
    credential: &JsValue,
    key: &KeyPair,
    options: &JsValue,
) -> Result<JsValue, JsValue> {
    let (mut credential, o) = (json_in(credential)?, self::options::<IssueOptions>(options)?);
    if let Value::Object(map) = &mut credential {
        map.entry("issuer").or_insert_with(|| json!(key.did()));
    }
    let suite = o.suite.as_deref().unwrap_or("eddsa-jcs-2022");
    let secured = secure(&credential, &signer(key, o.kid), suite, &context_store(&o.contexts)?);
    to_js_value(&secured.map_err(to_js)?)
}

/// Options of [`present_credentials`].
#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase", default, deny_unknown_fields)]
struct PresentOptions {
    challenge: Option<String>,
    domain: Option<String>,
    /// A `vp+jwt` instead of a Data Integrity proof.
    jwt: bool,
    /// The Data Integrity suite (default `eddsa-jcs-2022`).
    suite: Option<String>,
}

/// Wraps credentials (objects, or `vc+jwt` strings) into a presentation signed by the holder
/// `key`: a Data Integrity proof (object) or a `vp+jwt` (string) with `{jwt: true}`.
///
/// # Errors
///
/// `invalid_argument` for bad inputs; the core's signing errors by code.
#[wasm_bindgen(js_name = presentCredentials)]
pub fn present_credentials(
    credentials: &js_sys::Array,
    key: &KeyPair,
    options: &JsValue,
) -> Result<JsValue, JsValue> {
    let o: PresentOptions = self::options(options)?;
    let embedded = credentials.iter().map(|c| embeddable(&c)).collect::<Result<Vec<_>, _>>()?;
    let (vp, signer) = (model::presentation(&key.did(), &embedded), signer(key, None));
    let (challenge, domain) = (o.challenge, o.domain);
    let secured = if o.jwt {
        jose::issue_vp_jwt(&vp, &signer, challenge.as_deref(), domain.as_deref()).map(Value::String)
    } else {
        let suite = o.suite.as_deref().unwrap_or("eddsa-jcs-2022");
        let opts = ProofOptions::authentication(suite, challenge, domain);
        di::add_proof(&vp, &signer, &opts, &ContextStore::new())
    };
    to_js_value(&secured.map_err(to_js)?)
}

/// A credential to embed in a presentation: JSON as is, a `vc+jwt` enveloped.
fn embeddable(c: &JsValue) -> Result<Value, JsValue> {
    match c.as_string() {
        Some(text) if !text.trim_start().starts_with('{') => Ok(envelope_jwt(text.trim())),
        _ => json_in(c),
    }
}

/// Encodes a credential as PixelPass QR text: CBOR inside (default) or `{json: true}`.
///
/// # Errors
///
/// `qr_encode_failed` and the JSON intake errors.
#[wasm_bindgen(js_name = encodeQr)]
pub fn encode_qr(credential: &JsValue, json: Option<bool>) -> Result<String, JsValue> {
    let payload = if json.unwrap_or(false) { qr::Payload::Json } else { qr::Payload::Cbor };
    qr::encode_json(&json_in(credential)?, payload).map_err(to_js)
}

/// Decodes PixelPass QR text: the JSON value (CBOR payload, or JSON text) or the text.
///
/// # Errors
///
/// `qr_decode_failed` for text that is not base45 of zlib data.
#[wasm_bindgen(js_name = decodeQr)]
pub fn decode_qr(text: &str) -> Result<JsValue, JsValue> {
    match qr::decode_payload(text).map_err(to_js)? {
        qr::Decoded::Cbor(value) => to_js_value(&value),
        qr::Decoded::Text(text) => Ok(JsValue::from_str(&text)),
    }
}

/// Renders QR text as an SVG image (error correction `L`, `M` (default), `Q` or `H`).
///
/// # Errors
///
/// `qr_encode_failed` when the text does not fit in a QR code.
#[wasm_bindgen(js_name = renderQrSvg)]
pub fn render_qr_svg(text: &str, level: Option<String>) -> Result<String, JsValue> {
    let level = match level.as_deref().unwrap_or("M") {
        "L" => qr::EcLevel::L,
        "Q" => qr::EcLevel::Q,
        "H" => qr::EcLevel::H,
        _ => qr::EcLevel::M,
    };
    qr::render_svg(text, level).map_err(to_js)
}
