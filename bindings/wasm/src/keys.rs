//! Keys: `KeyPair` (Ed25519, P-256), DIDs, JCS.

use dpikit_core::did::{DidDocument, StaticResolver, did_key, did_key_verification_method};
use dpikit_core::jcs;
use dpikit_core::jws::WithKeyId;
use dpikit_core::keys::{Jwk, KeyType};
use wasm_bindgen::prelude::*;

use crate::conv::{json_bytes, json_in, to_js_value};
use crate::errors::to_js;

/// A key pair (Ed25519 or P-256); the secret stays inside the module unless exported.
#[wasm_bindgen]
pub struct KeyPair {
    pub(crate) inner: dpikit_core::KeyPair,
}

#[wasm_bindgen]
impl KeyPair {
    /// Generates a key pair from `crypto.getRandomValues`: `"ed25519"` (default) or `"p256"`.
    ///
    /// # Errors
    ///
    /// `unsupported_key_type` for another name; `randomness_unavailable`.
    pub fn generate(key_type: Option<String>) -> Result<KeyPair, JsValue> {
        let kt: KeyType = key_type.as_deref().unwrap_or("ed25519").parse().map_err(to_js)?;
        dpikit_core::KeyPair::generate(kt).map(|inner| KeyPair { inner }).map_err(to_js)
    }

    /// Reads a private JWK (object or JSON text).
    ///
    /// # Errors
    ///
    /// The core's JWK errors (`invalid_jwk`, …).
    #[wasm_bindgen(js_name = fromJwk)]
    pub fn from_jwk(jwk: &JsValue) -> Result<KeyPair, JsValue> {
        let jwk = Jwk::from_json(&json_bytes(jwk)?).map_err(to_js)?;
        dpikit_core::KeyPair::from_jwk(&jwk).map(|inner| KeyPair { inner }).map_err(to_js)
    }

    /// Reads a private Multikey (`z…`).
    ///
    /// # Errors
    ///
    /// The core's Multikey errors (`invalid_multibase`, …).
    #[wasm_bindgen(js_name = fromMultikey)]
    pub fn from_multikey(text: &str) -> Result<KeyPair, JsValue> {
        dpikit_core::KeyPair::from_private_multikey(text)
            .map(|inner| KeyPair { inner })
            .map_err(to_js)
    }

    /// Builds a key pair from its raw 32-byte secret.
    ///
    /// # Errors
    ///
    /// `unsupported_key_type`; the core's key errors for a bad secret.
    #[wasm_bindgen(js_name = fromSecretBytes)]
    pub fn from_secret_bytes(key_type: &str, secret: &[u8]) -> Result<KeyPair, JsValue> {
        let kt: KeyType = key_type.parse().map_err(to_js)?;
        dpikit_core::KeyPair::from_secret_bytes(kt, secret)
            .map(|inner| KeyPair { inner })
            .map_err(to_js)
    }

    /// The RFC 7638 JWK thumbprint of the public key (base64url SHA-256).
    #[must_use]
    pub fn thumbprint(&self) -> String {
        self.inner.public_key().jwk_thumbprint()
    }

    /// `"ed25519"` or `"p256"`.
    #[wasm_bindgen(getter, js_name = keyType)]
    #[must_use]
    pub fn key_type(&self) -> String {
        self.inner.key_type().name().to_owned()
    }

    /// The did:key of the public key.
    #[wasm_bindgen(getter)]
    #[must_use]
    pub fn did(&self) -> String {
        did_key(&self.inner.public_key())
    }

    /// The did:key verification method (`did:key:z…#z…`), the default `kid`.
    #[wasm_bindgen(getter)]
    #[must_use]
    pub fn kid(&self) -> String {
        did_key_verification_method(&self.inner.public_key())
    }

    /// The public JWK as an object.
    ///
    /// # Errors
    ///
    /// `internal` if the JWK cannot be converted.
    #[wasm_bindgen(js_name = publicJwk)]
    pub fn public_jwk(&self) -> Result<JsValue, JsValue> {
        to_js_value(&self.inner.public_key().to_jwk())
    }

    /// The private JWK as an object (holds the secret `d`).
    ///
    /// # Errors
    ///
    /// `internal` if the JWK cannot be converted.
    #[wasm_bindgen(js_name = privateJwk)]
    pub fn private_jwk(&self) -> Result<JsValue, JsValue> {
        to_js_value(&self.inner.to_private_jwk())
    }

    /// The public Multikey text (`z6Mk…`, `zDn…`).
    #[wasm_bindgen(js_name = publicMultikey)]
    #[must_use]
    pub fn public_multikey(&self) -> String {
        self.inner.public_key().to_multikey()
    }
}

/// A signer for `key` whose `kid` is `kid`, or the key's did:key verification method.
pub(crate) fn signer(key: &KeyPair, kid: Option<String>) -> WithKeyId<dpikit_core::KeyPair> {
    let kid = kid.unwrap_or_else(|| did_key_verification_method(&key.inner.public_key()));
    WithKeyId { signer: key.inner.clone(), kid }
}

/// The public key of a JWK (object or JSON text) or a did:key / Multikey string.
#[cfg(feature = "consent")]
pub(crate) fn public_of(key: &JsValue) -> Result<dpikit_core::PublicKey, JsValue> {
    use dpikit_core::PublicKey;
    match key.as_string() {
        Some(text) if text.starts_with("did:key:") => {
            let did = text.split('#').next().unwrap_or_default();
            let doc = dpikit_core::did::resolve_did_key(did).map_err(to_js)?;
            let vm = doc.verification_method.first();
            vm.ok_or_else(|| crate::errors::invalid_argument("no key"))?.public_key().map_err(to_js)
        }
        Some(text) if text.starts_with('z') => PublicKey::from_multikey(&text).map_err(to_js),
        _ => {
            let jwk = Jwk::from_json(&json_bytes(key)?).map_err(to_js)?.to_public();
            PublicKey::from_jwk(&jwk).map_err(to_js)
        }
    }
}

/// An offline resolver with did:key, did:jwk and `documents` (DID documents).
pub(crate) fn resolver(documents: &[serde_json::Value]) -> Result<StaticResolver, JsValue> {
    let mut resolver = StaticResolver::new();
    for doc in documents {
        let bytes = serde_json::to_vec(doc).map_err(crate::errors::invalid_argument)?;
        resolver.insert(DidDocument::from_json(&bytes).map_err(to_js)?);
    }
    Ok(resolver)
}

/// The RFC 8785 (JCS) canonical form of a JSON value, as text.
///
/// # Errors
///
/// `malformed_json`, `duplicate_key`, `number_out_of_range`, … from the bounded intake.
#[wasm_bindgen]
pub fn canonicalize(value: &JsValue) -> Result<String, JsValue> {
    jcs::canonicalize_to_string(&json_in(value)?).map_err(to_js)
}
