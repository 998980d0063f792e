//! Keys, DIDs and JWS.

use std::ffi::c_char;

use dpikit_core::ErrorCode;
use dpikit_core::did::{did_key, did_key_verification_method};
use dpikit_core::jws::{self, SignOptions, VerifyOptions, WithKeyId};
use dpikit_core::keys::{Jwk, KeyPair, KeyType, PublicKey};

use crate::dpikit_result;
use crate::ffi::{self, Failure, entry};

/// A key: a public key, with its private half when it was generated or read from a private
/// JWK. Created by `dpikit_key_generate` / `dpikit_key_from_jwk`, freed by `dpikit_key_free`.
pub struct dpikit_key {
    pub(crate) public: PublicKey,
    signer: Option<WithKeyId<KeyPair>>,
}

impl dpikit_key {
    fn new(public: PublicKey, pair: Option<KeyPair>) -> Box<Self> {
        let signer = pair.map(|signer| {
            let kid = did_key_verification_method(&public);
            WithKeyId { signer, kid }
        });
        Box::new(dpikit_key { public, signer })
    }

    /// The signing half, or `DPIKIT_ERR_MISSING_PRIVATE_KEY`.
    pub(crate) fn signer(&self) -> Result<&WithKeyId<KeyPair>, Failure> {
        self.signer.as_ref().ok_or_else(|| {
            Failure::new(ErrorCode::MissingPrivateKey, "the key has no private half")
        })
    }

    /// The key's `did:key`.
    pub(crate) fn did(&self) -> String {
        did_key(&self.public)
    }
}

/// Generates a key pair. `alg` is `"ed25519"` or `"p256"`. On success `*key_out` owns a new
/// key (free with `dpikit_key_free`); on error it is untouched.
///
/// # Safety
///
/// Pointer arguments are NULL or valid for their lengths; `key_out` is writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn dpikit_key_generate(
    alg: *const u8,
    alg_len: usize,
    key_out: *mut *mut dpikit_key,
) -> dpikit_result {
    entry!(key_out, |alg: text(alg_len)| {
        let pair = KeyPair::generate(alg.parse::<KeyType>()?)?;
        dpikit_key::new(pair.public_key(), Some(pair))
    })
}

/// Reads a key from a JWK (public or private). On success `*key_out` owns a new key (free
/// with `dpikit_key_free`); on error it is untouched.
///
/// # Safety
///
/// As `dpikit_key_generate`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn dpikit_key_from_jwk(
    jwk: *const u8,
    jwk_len: usize,
    key_out: *mut *mut dpikit_key,
) -> dpikit_result {
    entry!(key_out, |jwk: bytes(jwk_len)| {
        let jwk = Jwk::from_json(jwk)?;
        let public = PublicKey::from_jwk(&jwk.to_public())?;
        dpikit_key::new(
            public,
            if jwk.is_private() { Some(KeyPair::from_jwk(&jwk)?) } else { None },
        )
    })
}

/// Frees a key. NULL is a no-op.
///
/// # Safety
///
/// `key` is NULL or a key from this library, not yet freed.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn dpikit_key_free(key: *mut dpikit_key) {
    // SAFETY: the caller's contract.
    unsafe { ffi::free(key) };
}

/// Writes the key's public JWK (JSON) to `*jwk_out`; the caller owns it and frees it with
/// `dpikit_string_free`. On error `*jwk_out` is untouched.
///
/// # Safety
///
/// `key` is NULL or a live key; `jwk_out` is writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn dpikit_key_public_jwk(
    key: *const dpikit_key,
    jwk_out: *mut *mut c_char,
) -> dpikit_result {
    entry!(jwk_out, |key: handle| key.public.to_jwk().to_json())
}

/// Writes the key's private JWK (JSON) to `*jwk_out`; the caller owns it and frees it with
/// `dpikit_string_free`. `DPIKIT_ERR_MISSING_PRIVATE_KEY` for a public-only key; on error
/// `*jwk_out` is untouched.
///
/// # Safety
///
/// As `dpikit_key_public_jwk`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn dpikit_key_private_jwk(
    key: *const dpikit_key,
    jwk_out: *mut *mut c_char,
) -> dpikit_result {
    entry!(jwk_out, |key: handle| key.signer()?.signer.to_private_jwk().to_json())
}

/// Writes the key's `did:key` to `*did_out`; the caller owns it and frees it with
/// `dpikit_string_free`. On error `*did_out` is untouched.
///
/// # Safety
///
/// As `dpikit_key_public_jwk`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn dpikit_key_did_key(
    key: *const dpikit_key,
    did_out: *mut *mut c_char,
) -> dpikit_result {
    entry!(did_out, |key: handle| key.did())
}

/// Signs `payload` into a compact JWS (`kid` is the key's did:key verification method) and
/// writes it to `*token_out`; the caller owns it and frees it with `dpikit_string_free`. On
/// error `*token_out` is untouched.
///
/// # Safety
///
/// As `dpikit_key_public_jwk`; `payload` is valid for `payload_len` bytes.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn dpikit_jws_sign(
    key: *const dpikit_key,
    payload: *const u8,
    payload_len: usize,
    token_out: *mut *mut c_char,
) -> dpikit_result {
    entry!(token_out, |key: handle, payload: bytes(payload_len)| {
        jws::sign(payload, key.signer()?, &SignOptions::default())?
    })
}

/// Verifies a compact JWS with `key` and writes its payload to `*payload_out` /
/// `*payload_len_out`; the caller owns it and frees it with `dpikit_bytes_free(payload, len)`.
/// On error both outputs are untouched.
///
/// # Safety
///
/// As `dpikit_jws_sign`; both outputs are writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn dpikit_jws_verify(
    key: *const dpikit_key,
    token: *const u8,
    token_len: usize,
    payload_out: *mut *mut u8,
    payload_len_out: *mut usize,
) -> dpikit_result {
    entry!((payload_out, payload_len_out), |key: handle, token: text(token_len)| {
        jws::verify(token.trim(), &key.public, &VerifyOptions::default())?.payload
    })
}
