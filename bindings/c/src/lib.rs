//! `libdpikit_ffi`: the C ABI of dpikit.
//!
//! Conversion code only: each entry point checks its pointers, converts its inputs, calls the
//! Rust API and writes its outputs. The rules every function follows are written at the top
//! of the generated header `include/dpikit.h` (and in docs/c.md).
// The C ABI needs raw pointers and `#[unsafe(no_mangle)]`; the workspace forbids `unsafe`
// under crates/ only. Every pointer is touched in a small `// SAFETY:`-commented block in
// `ffi.rs` or a `*_free` function.
#![allow(unsafe_code)]
// C names (`dpikit_key`, `dpikit_result`) follow the header's snake_case convention.
#![allow(non_camel_case_types)]
// A C signature spells each text input as a (pointer, length) pair, so functions that take five
// strings take ten parameters.
#![allow(clippy::too_many_arguments)]

mod codes;
mod ffi;

use std::collections::HashMap;
use std::ffi::{CStr, CString, c_char};
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::sync::OnceLock;

use serde_json::Value;

use dpikit_consent::check::{Request, check};
use dpikit_consent::ledger::{Ledger, SqliteStorage};
use dpikit_consent::lifecycle::State;
use dpikit_consent::model::{Code, ConsentRecord, Party, Purpose, Scheme};
use dpikit_consent::receipt::{Receipt, verify_receipt};
use dpikit_core::ErrorCode;
use dpikit_core::did::{DidDocument, did_key, did_key_verification_method};
use dpikit_core::jws::{self, SignOptions, VerifyOptions, WithKeyId};
use dpikit_core::keys::{Jwk, KeyPair, KeyType, PublicKey};
use dpikit_core::time::{Timestamp, parse_rfc3339};
use dpikit_credentials::di::{self, ProofOptions};
use dpikit_credentials::jsonld::ContextStore;
use dpikit_credentials::status::{StatusEntry, StatusList, StatusPurpose, check_status};
use dpikit_credentials::verify::envelope_jwt;
use dpikit_credentials::{VerificationReport, Verifier, jose, model};
use dpikit_exchange::Registry;
use dpikit_exchange::envelope::{ConsentCheck, EnvelopeBuilder, VerifyPolicy, seal, sign, verify};

pub use codes::*;
use ffi::{
    Failure, Outcome, boundary, bytes, handle, handle_mut, invalid, opt_text, out_ptr, text, write,
    write_string,
};

/// A result code: `DPIKIT_OK` (0) or one of the shared dpikit error codes.
pub type dpikit_result = u32;

/// A key: a public key, with its private half when it was generated or read from a private
/// JWK. Created by `dpikit_key_generate` / `dpikit_key_from_jwk`, freed by `dpikit_key_free`.
pub struct dpikit_key {
    public: PublicKey,
    signer: Option<WithKeyId<KeyPair>>,
}

impl dpikit_key {
    fn signer(&self) -> Result<&WithKeyId<KeyPair>, Failure> {
        self.signer.as_ref().ok_or_else(|| {
            Failure::new(ErrorCode::MissingPrivateKey, "the key has no private half")
        })
    }
}

/// Verification options: DID documents, status lists, JSON-LD contexts, the clock, the
/// expected challenge and domain. Created by `dpikit_verifier_new`, freed by
/// `dpikit_verifier_free`.
#[derive(Default)]
pub struct dpikit_verifier {
    documents: Vec<DidDocument>,
    status_lists: Vec<Value>,
    contexts: Vec<(String, String)>,
    at: Option<Timestamp>,
    challenge: Option<String>,
    domain: Option<String>,
}

impl dpikit_verifier {
    fn build(&self) -> Result<Verifier, Failure> {
        let mut v = Verifier::new();
        for doc in &self.documents {
            v = v.with_did_document(doc.clone());
        }
        for (url, json) in &self.contexts {
            v = v.with_context(url, json)?;
        }
        for list in &self.status_lists {
            v = v.with_status_list(list.clone())?;
        }
        if let Some(at) = self.at {
            v = v.at(at);
        }
        if let Some(c) = &self.challenge {
            v = v.with_challenge(c.clone());
        }
        if let Some(d) = &self.domain {
            v = v.with_domain(d.clone());
        }
        Ok(v)
    }
}

/// A consent ledger on SQLite. Created by `dpikit_ledger_open`, freed by `dpikit_ledger_free`.
pub struct dpikit_ledger {
    ledger: Ledger<SqliteStorage>,
}

/// A schema registry holding the built-in schemas. Created by `dpikit_registry_new`, freed by
/// `dpikit_registry_free`.
pub struct dpikit_registry {
    registry: Registry,
}

fn parse(input: &[u8]) -> Result<Value, Failure> {
    Ok(dpikit_core::parse_json(input, &dpikit_core::Limits::default())?)
}

fn to_json<T: serde::Serialize>(value: &T) -> Result<String, Failure> {
    serde_json::to_string(value).map_err(|e| Failure::new(ErrorCode::Internal, e.to_string()))
}

fn time_or_now(at: Option<&str>) -> Result<Timestamp, Failure> {
    Ok(at.map(parse_rfc3339).transpose()?.unwrap_or_else(chrono::Utc::now))
}

fn parse_scheme(name: &str) -> Result<Scheme, Failure> {
    serde_json::from_value(Value::String(name.to_owned()))
        .map_err(|_| invalid(format!("unknown code scheme {name:?} (dpv, kantara, rebit, local)")))
}

fn state(name: &str) -> Result<State, Failure> {
    State::ALL
        .into_iter()
        .find(|s| s.name().eq_ignore_ascii_case(name))
        .ok_or_else(|| invalid(format!("unknown consent state {name:?}")))
}

/// Writes a passing report, or fails with its first error code (the report JSON becomes the
/// last error message).
///
/// # Safety
///
/// `out` was checked with `out_ptr`.
unsafe fn report_outcome(report: &VerificationReport, out: *mut *mut c_char) -> Outcome {
    let json = report.to_json();
    if report.verified {
        // SAFETY: forwarded contract.
        return unsafe { write_string(out, json) };
    }
    let code = report.error_codes().first().copied().unwrap_or(ErrorCode::Internal);
    Err(Failure { code: code.value(), message: json })
}

/// Secures `credential` with a Data Integrity `suite`, or as a vc+jwt (a JSON string).
fn secure(credential: &Value, signer: &WithKeyId<KeyPair>, suite: &str) -> Result<String, Failure> {
    model::Credential::from_value(credential)?;
    if suite == "vc+jwt" {
        return Ok(jose::issue_vc_jwt(credential, signer)?);
    }
    let secured =
        di::add_proof(credential, signer, &ProofOptions::assertion(suite), &ContextStore::new())?;
    to_json(&secured)
}

fn suite_for(signer: &WithKeyId<KeyPair>) -> &'static str {
    match signer.signer.key_type() {
        KeyType::P256 => "ecdsa-jcs-2019",
        _ => "eddsa-jcs-2022",
    }
}

// ---------------------------------------------------------------------------------------
// Errors, strings, buffers
// ---------------------------------------------------------------------------------------

/// Returns the stable snake_case name of a result code (`"ok"` for 0, `"unknown"` for a code
/// this library does not know). The string is static: never free it.
#[unsafe(no_mangle)]
pub extern "C" fn dpikit_error_name(result: dpikit_result) -> *const c_char {
    static NAMES: OnceLock<HashMap<u32, CString>> = OnceLock::new();
    let lookup = || {
        let names = NAMES.get_or_init(|| {
            ErrorCode::ALL
                .iter()
                .filter_map(|c| CString::new(c.name()).ok().map(|n| (c.value(), n)))
                .collect()
        });
        match result {
            0 => c"ok".as_ptr(),
            code => names.get(&code).map_or(c"unknown".as_ptr(), |n| n.as_ptr()),
        }
    };
    catch_unwind(lookup).unwrap_or(c"unknown".as_ptr())
}

/// Returns the library version, e.g. `"0.1.0"`. The string is static: never free it.
#[unsafe(no_mangle)]
pub extern "C" fn dpikit_version() -> *const c_char {
    const VERSION: &CStr =
        match CStr::from_bytes_with_nul(concat!(env!("CARGO_PKG_VERSION"), "\0").as_bytes()) {
            Ok(v) => v,
            Err(_) => c"unknown",
        };
    VERSION.as_ptr()
}

/// Copies the message of the last failed call on this thread into `buf` as a NUL-terminated
/// string and stores its length (without the NUL) in `*written`. The message is `""` after a
/// successful call. When a verification fails, the message is the full report as JSON.
///
/// Returns `DPIKIT_ERR_BUFFER_TOO_SMALL` when the message and its NUL do not fit in `len`
/// bytes (nothing is written), `DPIKIT_ERR_NULL_PARAMETER` for a NULL `buf` or `written`.
/// This call does not change the last error.
///
/// # Safety
///
/// `buf` points to `len` writable bytes; `written` to a writable `size_t`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn dpikit_last_error_message(
    buf: *mut c_char,
    len: usize,
    written: *mut usize,
) -> dpikit_result {
    let body = AssertUnwindSafe(|| {
        if buf.is_null() || written.is_null() {
            return ErrorCode::NullParameter.value();
        }
        ffi::with_last_error(|message| {
            if message.len() >= len {
                return ErrorCode::BufferTooSmall.value();
            }
            // SAFETY: `buf` has `len` > message.len() writable bytes (caller's contract),
            // and a Rust string never overlaps the caller's buffer.
            unsafe {
                std::ptr::copy_nonoverlapping(message.as_ptr(), buf.cast::<u8>(), message.len());
                buf.add(message.len()).write(0);
                write(written, message.len());
            }
            0
        })
    });
    catch_unwind(body).unwrap_or(ErrorCode::Panic.value())
}

/// Frees a string returned by this library. NULL is a no-op.
///
/// # Safety
///
/// `s` is NULL or a string returned by this library and not yet freed.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn dpikit_string_free(s: *mut c_char) {
    if !s.is_null() {
        // SAFETY: `s` came from `CString::into_raw` in this library and is freed once.
        drop(unsafe { CString::from_raw(s) });
    }
}

/// Frees a byte buffer returned by this library, with the length returned with it. NULL is a
/// no-op.
///
/// # Safety
///
/// `ptr`/`len` are NULL or a buffer and its length returned by this library, not yet freed.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn dpikit_bytes_free(ptr: *mut u8, len: usize) {
    if !ptr.is_null() {
        // SAFETY: `ptr`/`len` came from `Box::<[u8]>::into_raw` in this library, freed once.
        drop(unsafe { Box::from_raw(std::ptr::slice_from_raw_parts_mut(ptr, len)) });
    }
}

// ---------------------------------------------------------------------------------------
// Keys and JWS
// ---------------------------------------------------------------------------------------

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
    boundary(|| {
        // SAFETY: caller's contract.
        let alg = unsafe { text("alg", alg, alg_len) }?;
        out_ptr("key_out", key_out)?;
        let pair = KeyPair::generate(alg.parse::<KeyType>()?)?;
        let key = new_key(pair.public_key(), Some(pair));
        // SAFETY: checked above.
        unsafe { write(key_out, Box::into_raw(Box::new(key))) };
        Ok(())
    })
}

fn new_key(public: PublicKey, pair: Option<KeyPair>) -> dpikit_key {
    let signer = pair.map(|signer| {
        let kid = did_key_verification_method(&public);
        WithKeyId { signer, kid }
    });
    dpikit_key { public, signer }
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
    boundary(|| {
        // SAFETY: caller's contract.
        let jwk = unsafe { bytes("jwk", jwk, jwk_len) }?;
        out_ptr("key_out", key_out)?;
        let jwk = Jwk::from_json(jwk)?;
        let public = PublicKey::from_jwk(&jwk.to_public())?;
        let pair = if jwk.is_private() { Some(KeyPair::from_jwk(&jwk)?) } else { None };
        // SAFETY: checked above.
        unsafe { write(key_out, Box::into_raw(Box::new(new_key(public, pair)))) };
        Ok(())
    })
}

/// Frees a key. NULL is a no-op.
///
/// # Safety
///
/// `key` is NULL or a key from this library, not yet freed.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn dpikit_key_free(key: *mut dpikit_key) {
    if !key.is_null() {
        // SAFETY: `key` came from `Box::into_raw` in this library and is freed once.
        drop(unsafe { Box::from_raw(key) });
    }
}

/// Writes the key's public JWK (JSON) to `*jwk_out`; free it with `dpikit_string_free`.
///
/// # Safety
///
/// `key` is NULL or a live key; `jwk_out` is writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn dpikit_key_public_jwk(
    key: *const dpikit_key,
    jwk_out: *mut *mut c_char,
) -> dpikit_result {
    boundary(|| {
        // SAFETY: caller's contract.
        let key = unsafe { handle("key", key) }?;
        out_ptr("jwk_out", jwk_out)?;
        // SAFETY: checked above.
        unsafe { write_string(jwk_out, key.public.to_jwk().to_json()) }
    })
}

/// Writes the key's private JWK (JSON) to `*jwk_out`; free it with `dpikit_string_free`.
/// `DPIKIT_ERR_MISSING_PRIVATE_KEY` for a public-only key.
///
/// # Safety
///
/// As `dpikit_key_public_jwk`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn dpikit_key_private_jwk(
    key: *const dpikit_key,
    jwk_out: *mut *mut c_char,
) -> dpikit_result {
    boundary(|| {
        // SAFETY: caller's contract.
        let key = unsafe { handle("key", key) }?;
        out_ptr("jwk_out", jwk_out)?;
        let jwk = key.signer()?.signer.to_private_jwk().to_json();
        // SAFETY: checked above.
        unsafe { write_string(jwk_out, jwk) }
    })
}

/// Writes the key's `did:key` to `*did_out`; free it with `dpikit_string_free`.
///
/// # Safety
///
/// As `dpikit_key_public_jwk`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn dpikit_key_did_key(
    key: *const dpikit_key,
    did_out: *mut *mut c_char,
) -> dpikit_result {
    boundary(|| {
        // SAFETY: caller's contract.
        let key = unsafe { handle("key", key) }?;
        out_ptr("did_out", did_out)?;
        // SAFETY: checked above.
        unsafe { write_string(did_out, did_key(&key.public)) }
    })
}

/// Signs `payload` into a compact JWS (`kid` is the key's did:key verification method) and
/// writes it to `*token_out`; free it with `dpikit_string_free`.
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
    boundary(|| {
        // SAFETY: caller's contract.
        let (key, payload) =
            unsafe { (handle("key", key)?, bytes("payload", payload, payload_len)?) };
        out_ptr("token_out", token_out)?;
        let token = jws::sign(payload, key.signer()?, &SignOptions::default())?;
        // SAFETY: checked above.
        unsafe { write_string(token_out, token) }
    })
}

/// Verifies a compact JWS with `key` and writes its payload to `*payload_out` /
/// `*payload_len_out`; free it with `dpikit_bytes_free(payload, len)`.
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
    boundary(|| {
        // SAFETY: caller's contract.
        let (key, token) = unsafe { (handle("key", key)?, text("token", token, token_len)?) };
        out_ptr("payload_out", payload_out)?;
        out_ptr("payload_len_out", payload_len_out)?;
        let verified = jws::verify(token.trim(), &key.public, &VerifyOptions::default())?;
        let payload = verified.payload.into_boxed_slice();
        let len = payload.len();
        // SAFETY: both checked above.
        unsafe {
            write(payload_out, Box::into_raw(payload).cast::<u8>());
            write(payload_len_out, len);
        }
        Ok(())
    })
}

// ---------------------------------------------------------------------------------------
// Credentials
// ---------------------------------------------------------------------------------------

/// Secures an unsigned credential (JSON) with `suite`: `eddsa-jcs-2022`, `eddsa-rdfc-2022`,
/// `ecdsa-jcs-2019`, `ecdsa-rdfc-2019` (the credential with its proof, as JSON) or `vc+jwt`
/// (a compact JWS). Without an `issuer`, the key's did:key becomes the issuer. Free
/// `*secured_out` with `dpikit_string_free`.
///
/// # Safety
///
/// As `dpikit_jws_sign`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn dpikit_credential_issue(
    key: *const dpikit_key,
    suite: *const u8,
    suite_len: usize,
    credential: *const u8,
    credential_len: usize,
    secured_out: *mut *mut c_char,
) -> dpikit_result {
    boundary(|| {
        // SAFETY: caller's contract.
        let (key, suite, credential) = unsafe {
            (
                handle("key", key)?,
                text("suite", suite, suite_len)?,
                bytes("credential", credential, credential_len)?,
            )
        };
        out_ptr("secured_out", secured_out)?;
        let signer = key.signer()?;
        let mut credential = parse(credential)?;
        if let Value::Object(map) = &mut credential {
            if !map.contains_key("issuer") {
                map.insert("issuer".into(), Value::String(did_key(&key.public)));
            }
        }
        let secured = secure(&credential, signer, suite)?;
        // SAFETY: checked above.
        unsafe { write_string(secured_out, secured) }
    })
}

/// Creates verification options (did:key and did:jwk resolve; bundled contexts; the system
/// clock). Free with `dpikit_verifier_free`.
///
/// # Safety
///
/// `verifier_out` is writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn dpikit_verifier_new(
    verifier_out: *mut *mut dpikit_verifier,
) -> dpikit_result {
    boundary(|| {
        out_ptr("verifier_out", verifier_out)?;
        let verifier = Box::new(dpikit_verifier::default());
        // SAFETY: checked above.
        unsafe { write(verifier_out, Box::into_raw(verifier)) };
        Ok(())
    })
}

/// Frees verification options. NULL is a no-op.
///
/// # Safety
///
/// `verifier` is NULL or from this library, not yet freed.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn dpikit_verifier_free(verifier: *mut dpikit_verifier) {
    if !verifier.is_null() {
        // SAFETY: from `Box::into_raw` in this library, freed once.
        drop(unsafe { Box::from_raw(verifier) });
    }
}

/// Adds a DID document (JSON, e.g. a did:web document) to resolve verification methods from.
/// On error the options are unchanged.
///
/// # Safety
///
/// `verifier` is NULL or live and not used by another thread during the call.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn dpikit_verifier_add_did_document(
    verifier: *mut dpikit_verifier,
    document: *const u8,
    document_len: usize,
) -> dpikit_result {
    boundary(|| {
        // SAFETY: caller's contract.
        let (v, doc) = unsafe {
            (handle_mut("verifier", verifier)?, bytes("document", document, document_len)?)
        };
        v.documents.push(DidDocument::from_json(doc)?);
        Ok(())
    })
}

/// Adds a status list credential (JSON) to check `credentialStatus` against. On error the
/// options are unchanged.
///
/// # Safety
///
/// As `dpikit_verifier_add_did_document`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn dpikit_verifier_add_status_list(
    verifier: *mut dpikit_verifier,
    list: *const u8,
    list_len: usize,
) -> dpikit_result {
    boundary(|| {
        // SAFETY: caller's contract.
        let (v, list) =
            unsafe { (handle_mut("verifier", verifier)?, bytes("list", list, list_len)?) };
        let list = parse(list)?;
        Verifier::new().with_status_list(list.clone())?;
        v.status_lists.push(list);
        Ok(())
    })
}

/// Adds a JSON-LD context document served at `url` (dpikit never fetches contexts). On error
/// the options are unchanged.
///
/// # Safety
///
/// As `dpikit_verifier_add_did_document`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn dpikit_verifier_add_context(
    verifier: *mut dpikit_verifier,
    url: *const u8,
    url_len: usize,
    context: *const u8,
    context_len: usize,
) -> dpikit_result {
    boundary(|| {
        // SAFETY: caller's contract.
        let (v, url, context) = unsafe {
            (
                handle_mut("verifier", verifier)?,
                text("url", url, url_len)?,
                text("context", context, context_len)?,
            )
        };
        Verifier::new().with_context(url, context)?;
        v.contexts.push((url.to_owned(), context.to_owned()));
        Ok(())
    })
}

/// Verifies as of `at` (RFC 3339) instead of the system clock. On error the options are
/// unchanged.
///
/// # Safety
///
/// As `dpikit_verifier_add_did_document`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn dpikit_verifier_set_time(
    verifier: *mut dpikit_verifier,
    at: *const u8,
    at_len: usize,
) -> dpikit_result {
    boundary(|| {
        // SAFETY: caller's contract.
        let (v, at) = unsafe { (handle_mut("verifier", verifier)?, text("at", at, at_len)?) };
        v.at = Some(parse_rfc3339(at)?);
        Ok(())
    })
}

/// Sets the challenge a presentation's proof must carry.
///
/// # Safety
///
/// As `dpikit_verifier_add_did_document`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn dpikit_verifier_set_challenge(
    verifier: *mut dpikit_verifier,
    challenge: *const u8,
    challenge_len: usize,
) -> dpikit_result {
    boundary(|| {
        // SAFETY: caller's contract.
        let (v, c) = unsafe {
            (handle_mut("verifier", verifier)?, text("challenge", challenge, challenge_len)?)
        };
        v.challenge = Some(c.to_owned());
        Ok(())
    })
}

/// Sets the domain a presentation's proof must carry.
///
/// # Safety
///
/// As `dpikit_verifier_add_did_document`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn dpikit_verifier_set_domain(
    verifier: *mut dpikit_verifier,
    domain: *const u8,
    domain_len: usize,
) -> dpikit_result {
    boundary(|| {
        // SAFETY: caller's contract.
        let (v, d) =
            unsafe { (handle_mut("verifier", verifier)?, text("domain", domain, domain_len)?) };
        v.domain = Some(d.to_owned());
        Ok(())
    })
}

/// Verifies a credential (JSON with a Data Integrity proof, or a vc+jwt). When it verifies,
/// writes the VerificationReport (JSON) to `*report_out` (free with `dpikit_string_free`).
/// When it does not, returns the code of the first failed check (e.g.
/// `DPIKIT_ERR_PROOF_INVALID` for a tampered credential) and the report JSON is the last
/// error message.
///
/// # Safety
///
/// `verifier` is NULL or live; `credential` valid for its length; `report_out` writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn dpikit_credential_verify(
    verifier: *const dpikit_verifier,
    credential: *const u8,
    credential_len: usize,
    report_out: *mut *mut c_char,
) -> dpikit_result {
    boundary(|| {
        // SAFETY: caller's contract.
        let (v, input) = unsafe {
            (handle("verifier", verifier)?, bytes("credential", credential, credential_len)?)
        };
        out_ptr("report_out", report_out)?;
        let report = v.build()?.verify_credential_bytes(input);
        // SAFETY: checked above.
        unsafe { report_outcome(&report, report_out) }
    })
}

/// Wraps `credentials` (a JSON array; each item a credential object or a vc+jwt string) into
/// a presentation held by the key's did:key, secured with a Data Integrity proof of `suite`
/// (`eddsa-jcs-2022`, ...) for authentication, bound to `challenge` and `domain` (each may be
/// NULL). Free `*presentation_out` with `dpikit_string_free`.
///
/// # Safety
///
/// As `dpikit_jws_sign`; optional inputs NULL or valid.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn dpikit_presentation_issue(
    key: *const dpikit_key,
    suite: *const u8,
    suite_len: usize,
    credentials: *const u8,
    credentials_len: usize,
    challenge: *const u8,
    challenge_len: usize,
    domain: *const u8,
    domain_len: usize,
    presentation_out: *mut *mut c_char,
) -> dpikit_result {
    boundary(|| {
        // SAFETY: caller's contract.
        let (key, suite, credentials, challenge, domain) = unsafe {
            (
                handle("key", key)?,
                text("suite", suite, suite_len)?,
                bytes("credentials", credentials, credentials_len)?,
                opt_text("challenge", challenge, challenge_len)?,
                opt_text("domain", domain, domain_len)?,
            )
        };
        out_ptr("presentation_out", presentation_out)?;
        let signer = key.signer()?;
        let Value::Array(items) = parse(credentials)? else {
            return Err(invalid("credentials must be a JSON array"));
        };
        let embedded: Vec<Value> = items
            .into_iter()
            .map(|c| match c {
                Value::String(token) => envelope_jwt(&token),
                other => other,
            })
            .collect();
        let vp = model::presentation(&did_key(&key.public), &embedded);
        let options = ProofOptions::authentication(
            suite,
            challenge.map(str::to_owned),
            domain.map(str::to_owned),
        );
        let secured = di::add_proof(&vp, signer, &options, &ContextStore::new())?;
        // SAFETY: checked above.
        unsafe { write_string(presentation_out, to_json(&secured)?) }
    })
}

/// Verifies a presentation (JSON with a Data Integrity proof, or a vp+jwt) and the
/// credentials in it, with the verifier's challenge and domain. Results as
/// `dpikit_credential_verify`.
///
/// # Safety
///
/// As `dpikit_credential_verify`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn dpikit_presentation_verify(
    verifier: *const dpikit_verifier,
    presentation: *const u8,
    presentation_len: usize,
    report_out: *mut *mut c_char,
) -> dpikit_result {
    boundary(|| {
        // SAFETY: caller's contract.
        let (v, input) = unsafe {
            (handle("verifier", verifier)?, bytes("presentation", presentation, presentation_len)?)
        };
        out_ptr("report_out", report_out)?;
        let verifier = v.build()?;
        let input = input.trim_ascii();
        let report = if input.first() == Some(&b'{') {
            verifier.verify_presentation(&parse(input)?)
        } else {
            let token = std::str::from_utf8(input).map_err(|_| {
                Failure::new(ErrorCode::BindingInvalidUtf8, "presentation is not UTF-8")
            })?;
            verifier.verify_presentation_jwt(token)
        };
        // SAFETY: checked above.
        unsafe { report_outcome(&report, report_out) }
    })
}

// ---------------------------------------------------------------------------------------
// Status lists
// ---------------------------------------------------------------------------------------

/// Creates a signed Bitstring Status List credential with `entries` entries (at least
/// 131 072), all clear. `purpose` is `revocation`, `suspension`, `message` or `refresh`; `id`
/// is the list credential's URL. Free `*list_out` with `dpikit_string_free`.
///
/// # Safety
///
/// As `dpikit_jws_sign`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn dpikit_status_list_new(
    key: *const dpikit_key,
    id: *const u8,
    id_len: usize,
    purpose: *const u8,
    purpose_len: usize,
    entries: usize,
    list_out: *mut *mut c_char,
) -> dpikit_result {
    boundary(|| {
        // SAFETY: caller's contract.
        let (key, id, purpose) = unsafe {
            (handle("key", key)?, text("id", id, id_len)?, text("purpose", purpose, purpose_len)?)
        };
        out_ptr("list_out", list_out)?;
        let signer = key.signer()?;
        let purpose = StatusPurpose::parse(purpose)?;
        let list = StatusList::with_entries(entries, 1)?;
        let unsigned = list.to_credential(id, &did_key(&key.public), purpose)?.to_value();
        let secured = secure(&unsigned, signer, suite_for(signer))?;
        // SAFETY: checked above.
        unsafe { write_string(list_out, secured) }
    })
}

/// Sets entry `index` of a status list credential to `value` (0 clears it) and re-signs the
/// list with `key`. Free `*list_out` with `dpikit_string_free`.
///
/// # Safety
///
/// As `dpikit_jws_sign`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn dpikit_status_list_set(
    key: *const dpikit_key,
    list: *const u8,
    list_len: usize,
    index: u64,
    value: u8,
    list_out: *mut *mut c_char,
) -> dpikit_result {
    boundary(|| {
        // SAFETY: caller's contract.
        let (key, old) = unsafe { (handle("key", key)?, bytes("list", list, list_len)?) };
        out_ptr("list_out", list_out)?;
        let signer = key.signer()?;
        let old = parse(old)?;
        let (mut list, purpose) = StatusList::from_credential(&old)?;
        list.set(index, value)?;
        let id = old
            .get("id")
            .and_then(Value::as_str)
            .ok_or_else(|| Failure::new(ErrorCode::StatusListInvalid, "the list has no id"))?;
        let unsigned = list.to_credential(id, &did_key(&key.public), purpose)?.to_value();
        let secured = secure(&unsigned, signer, suite_for(signer))?;
        // SAFETY: checked above.
        unsafe { write_string(list_out, secured) }
    })
}

/// Looks up a credential's `credentialStatus` entry in a status list credential and writes
/// the entry's value to `*value_out` (0 = not set; a set revocation or suspension bit returns
/// `DPIKIT_ERR_REVOKED` / `DPIKIT_ERR_SUSPENDED` instead). Checks no signature: verify the list with
/// `dpikit_credential_verify`, or give it to a verifier with `dpikit_verifier_add_status_list`.
///
/// # Safety
///
/// Inputs valid for their lengths; `value_out` writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn dpikit_status_check(
    list: *const u8,
    list_len: usize,
    credential: *const u8,
    credential_len: usize,
    value_out: *mut u8,
) -> dpikit_result {
    boundary(|| {
        // SAFETY: caller's contract.
        let (list, credential) = unsafe {
            (bytes("list", list, list_len)?, bytes("credential", credential, credential_len)?)
        };
        out_ptr("value_out", value_out)?;
        let (list, credential) = (parse(list)?, parse(credential)?);
        let entry = credential
            .get("credentialStatus")
            .ok_or_else(|| Failure::new(ErrorCode::StatusListInvalid, "no credentialStatus"))?;
        let entry = StatusEntry::from_value(entry)?.ok_or_else(|| {
            Failure::new(ErrorCode::StatusListInvalid, "no BitstringStatusListEntry")
        })?;
        let status = check_status(&entry, &list)?;
        // SAFETY: checked above.
        unsafe { write(value_out, status.value) };
        Ok(())
    })
}

// ---------------------------------------------------------------------------------------
// Consent
// ---------------------------------------------------------------------------------------

/// Creates a consent record (JSON) in the `requested` state: `principal` asked by
/// `controller` for `purpose`, a code of `scheme` (`dpv`, `kantara`, `rebit`, `local`).
/// Free `*record_out` with `dpikit_string_free`.
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
    boundary(|| {
        // SAFETY: caller's contract.
        let (id, principal, controller, scheme_name, purpose) = unsafe {
            (
                text("id", id, id_len)?,
                text("principal", principal, principal_len)?,
                text("controller", controller, controller_len)?,
                text("scheme", scheme, scheme_len)?,
                text("purpose", purpose, purpose_len)?,
            )
        };
        out_ptr("record_out", record_out)?;
        let record = ConsentRecord::request(
            id,
            principal,
            Party::new(controller, ""),
            Purpose::new(Code::new(parse_scheme(scheme_name)?, purpose), ""),
        );
        record.validate()?;
        // SAFETY: checked above.
        unsafe { write_string(record_out, record.to_json()) }
    })
}

/// Moves a consent record (JSON) to state `to` (`given`, `withdrawn`, `paused`, ...) at `at`
/// (RFC 3339; NULL = now) by `actor` (NULL = the principal) for `reason` (may be NULL), and
/// writes the updated record. `DPIKIT_ERR_ILLEGAL_TRANSITION` when the lifecycle forbids it.
/// Free `*record_out` with `dpikit_string_free`.
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
    boundary(|| {
        // SAFETY: caller's contract.
        let (record, to, at, actor, reason) = unsafe {
            (
                bytes("record", record, record_len)?,
                text("to", to, to_len)?,
                opt_text("at", at, at_len)?,
                opt_text("actor", actor, actor_len)?,
                opt_text("reason", reason, reason_len)?,
            )
        };
        out_ptr("record_out", record_out)?;
        let mut record = ConsentRecord::from_json(record)?;
        let to = state(to)?;
        let at = time_or_now(at)?;
        let actor = actor.map_or_else(|| record.principal.clone(), str::to_owned);
        record.transition(to, at, &actor, reason)?;
        // SAFETY: checked above.
        unsafe { write_string(record_out, record.to_json()) }
    })
}

/// Decides whether `controller` may use data under a consent record (JSON) for `purpose` (a
/// code of `scheme`) at `at` (RFC 3339; NULL = now). Writes 0 to `*reason_out` when allowed,
/// else the 3xxx code saying why not, and the decision (JSON) to `*decision_out` (free with
/// `dpikit_string_free`). A denial is an answer, not an error: the call returns `DPIKIT_OK`.
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
    boundary(|| {
        // SAFETY: caller's contract.
        let (record, controller, scheme_name, purpose, at) = unsafe {
            (
                bytes("record", record, record_len)?,
                text("controller", controller, controller_len)?,
                text("scheme", scheme, scheme_len)?,
                text("purpose", purpose, purpose_len)?,
                opt_text("at", at, at_len)?,
            )
        };
        out_ptr("reason_out", reason_out)?;
        out_ptr("decision_out", decision_out)?;
        let record = ConsentRecord::from_json(record)?;
        let purpose = Code::new(parse_scheme(scheme_name)?, purpose);
        let decision = check(&record, &Request::new(controller, &purpose, time_or_now(at)?))?;
        let json = ffi::c_string(to_json(&decision)?)?;
        // SAFETY: both checked above.
        unsafe {
            write(reason_out, decision.reason.map_or(0, ErrorCode::value));
            write(decision_out, json);
        }
        Ok(())
    })
}

/// Signs a consent receipt for a record (JSON) as a compact JWS, issued now with id
/// `receipt_id`. Free `*token_out` with `dpikit_string_free`.
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
    boundary(|| {
        // SAFETY: caller's contract.
        let (key, record, receipt_id) = unsafe {
            (
                handle("key", key)?,
                bytes("record", record, record_len)?,
                text("receipt_id", receipt_id, receipt_id_len)?,
            )
        };
        out_ptr("token_out", token_out)?;
        let record = ConsentRecord::from_json(record)?;
        let token = Receipt::new(&record, receipt_id, chrono::Utc::now())?.sign(key.signer()?)?;
        // SAFETY: checked above.
        unsafe { write_string(token_out, token) }
    })
}

/// Verifies a signed consent receipt with `key` and writes the receipt (JSON). A wrong key
/// or a tampered receipt is `DPIKIT_ERR_RECEIPT_INVALID`. Free `*receipt_out` with
/// `dpikit_string_free`.
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
    boundary(|| {
        // SAFETY: caller's contract.
        let (key, token) = unsafe { (handle("key", key)?, text("token", token, token_len)?) };
        out_ptr("receipt_out", receipt_out)?;
        let verified = verify_receipt(token.trim(), &key.public)?;
        let json = to_json(&verified.receipt)?;
        // SAFETY: checked above.
        unsafe { write_string(receipt_out, json) }
    })
}

// ---------------------------------------------------------------------------------------
// Ledger
// ---------------------------------------------------------------------------------------

/// Opens (or creates) a SQLite consent ledger at `path` (UTF-8; `:memory:` for an in-memory
/// one). Free `*ledger_out` with `dpikit_ledger_free`.
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
    boundary(|| {
        // SAFETY: caller's contract.
        let path = unsafe { text("path", path, path_len) }?;
        out_ptr("ledger_out", ledger_out)?;
        let storage = if path == ":memory:" {
            SqliteStorage::open_in_memory()?
        } else {
            SqliteStorage::open(path)?
        };
        let ledger = Box::new(dpikit_ledger { ledger: Ledger::new(storage)? });
        // SAFETY: checked above.
        unsafe { write(ledger_out, Box::into_raw(ledger)) };
        Ok(())
    })
}

/// Closes a ledger. NULL is a no-op.
///
/// # Safety
///
/// `ledger` is NULL or from this library, not yet freed.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn dpikit_ledger_free(ledger: *mut dpikit_ledger) {
    if !ledger.is_null() {
        // SAFETY: from `Box::into_raw` in this library, freed once.
        drop(unsafe { Box::from_raw(ledger) });
    }
}

/// Appends a snapshot of a consent record (JSON) to the ledger as an entry of `kind` (e.g.
/// `consent.given`) at `at` (RFC 3339; NULL = now).
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
    boundary(|| {
        // SAFETY: caller's contract.
        let (ledger, kind, record, at) = unsafe {
            (
                handle_mut("ledger", ledger)?,
                text("kind", kind, kind_len)?,
                bytes("record", record, record_len)?,
                opt_text("at", at, at_len)?,
            )
        };
        let record = ConsentRecord::from_json(record)?;
        ledger.ledger.append_record(kind, &record, time_or_now(at)?)?;
        Ok(())
    })
}

/// Writes the latest snapshot of consent record `id` (JSON); `DPIKIT_ERR_CONSENT_NOT_FOUND`
/// when the ledger holds none. Free `*record_out` with `dpikit_string_free`.
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
    boundary(|| {
        // SAFETY: caller's contract.
        let (ledger, id) = unsafe { (handle("ledger", ledger)?, text("id", id, id_len)?) };
        out_ptr("record_out", record_out)?;
        let record = ledger
            .ledger
            .current_record(id)?
            .ok_or_else(|| dpikit_consent::ConsentError::NotFound(id.to_owned()))?;
        // SAFETY: checked above.
        unsafe { write_string(record_out, record.to_json()) }
    })
}

/// Walks the ledger's hash chain (and its signed checkpoints when `key` is not NULL) and
/// writes the number of entries checked. A broken chain returns its 3xxx code.
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
    boundary(|| {
        // SAFETY: caller's contract.
        let (ledger, key) = unsafe { (handle("ledger", ledger)?, key.as_ref()) };
        out_ptr("entries_out", entries_out)?;
        let verifier = key.map(|k| &k.public as &dyn dpikit_core::jws::Verifier);
        let report = ledger.ledger.verify(verifier)?;
        // SAFETY: checked above.
        unsafe { write(entries_out, report.entries) };
        Ok(())
    })
}

// ---------------------------------------------------------------------------------------
// Schema registry and envelopes
// ---------------------------------------------------------------------------------------

/// Creates a schema registry holding dpikit's built-in schemas. Free `*registry_out` with
/// `dpikit_registry_free`.
///
/// # Safety
///
/// `registry_out` writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn dpikit_registry_new(
    registry_out: *mut *mut dpikit_registry,
) -> dpikit_result {
    boundary(|| {
        out_ptr("registry_out", registry_out)?;
        let registry = Box::new(dpikit_registry { registry: Registry::with_builtin()? });
        // SAFETY: checked above.
        unsafe { write(registry_out, Box::into_raw(registry)) };
        Ok(())
    })
}

/// Frees a registry. NULL is a no-op.
///
/// # Safety
///
/// `registry` is NULL or from this library, not yet freed.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn dpikit_registry_free(registry: *mut dpikit_registry) {
    if !registry.is_null() {
        // SAFETY: from `Box::into_raw` in this library, freed once.
        drop(unsafe { Box::from_raw(registry) });
    }
}

/// Registers a JSON Schema (with `$id` and `$schemaVersion`) and writes its key as a
/// CloudEvents `dataschema` URI. Free `*key_out` with `dpikit_string_free`.
///
/// # Safety
///
/// `registry` NULL or live and not used by another thread during the call; inputs valid.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn dpikit_registry_register(
    registry: *mut dpikit_registry,
    schema: *const u8,
    schema_len: usize,
    key_out: *mut *mut c_char,
) -> dpikit_result {
    boundary(|| {
        // SAFETY: caller's contract.
        let (registry, schema) =
            unsafe { (handle_mut("registry", registry)?, text("schema", schema, schema_len)?) };
        out_ptr("key_out", key_out)?;
        let key = registry.registry.register_str(schema)?;
        // SAFETY: checked above.
        unsafe { write_string(key_out, key.to_dataschema()) }
    })
}

/// Validates `data` (JSON) against schema `id` (`version` NULL = the latest). When valid,
/// writes the validation report (JSON); when not, returns the validation error code and the
/// report JSON is the last error message. Free `*report_out` with `dpikit_string_free`.
///
/// # Safety
///
/// `registry` NULL or live; inputs NULL (where allowed) or valid; `report_out` writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn dpikit_registry_validate(
    registry: *const dpikit_registry,
    id: *const u8,
    id_len: usize,
    version: *const u8,
    version_len: usize,
    data: *const u8,
    data_len: usize,
    report_out: *mut *mut c_char,
) -> dpikit_result {
    boundary(|| {
        // SAFETY: caller's contract.
        let (registry, id, version, data) = unsafe {
            (
                handle("registry", registry)?,
                text("id", id, id_len)?,
                opt_text("version", version, version_len)?,
                bytes("data", data, data_len)?,
            )
        };
        out_ptr("report_out", report_out)?;
        let key = registry.registry.resolve(id, version)?;
        let report = registry.registry.validate_bytes(&key, data)?;
        let json = to_json(&report)?;
        if let Err(e) = report.into_result() {
            return Err(Failure { code: e.code().value(), message: json });
        }
        // SAFETY: checked above.
        unsafe { write_string(report_out, json) }
    })
}

/// Builds a CloudEvents envelope from `source`, `event_type`, schema `schema_id` and `data`
/// (JSON), validates it, and signs it with `key` as a compact JWS. Personal data must be
/// consent-gated: give the consent record (JSON) and the purpose (`scheme`, `purpose`); the
/// record must allow `source` to use the data for that purpose now, else the consent's 3xxx
/// code (`DPIKIT_ERR_CONSENT_REQUIRED` without a record). `consent_record`, `scheme` and
/// `purpose` may be NULL for data that is not personal. Free `*token_out` with
/// `dpikit_string_free`.
///
/// # Safety
///
/// `registry` and `key` NULL or live; inputs NULL (where allowed) or valid; `token_out`
/// writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn dpikit_envelope_seal(
    registry: *const dpikit_registry,
    key: *const dpikit_key,
    source: *const u8,
    source_len: usize,
    event_type: *const u8,
    event_type_len: usize,
    schema_id: *const u8,
    schema_id_len: usize,
    data: *const u8,
    data_len: usize,
    consent_record: *const u8,
    consent_record_len: usize,
    scheme: *const u8,
    scheme_len: usize,
    purpose: *const u8,
    purpose_len: usize,
    token_out: *mut *mut c_char,
) -> dpikit_result {
    boundary(|| {
        // SAFETY: caller's contract.
        let (registry, key, source, event_type, schema_id, data) = unsafe {
            (
                handle("registry", registry)?,
                handle("key", key)?,
                text("source", source, source_len)?,
                text("event_type", event_type, event_type_len)?,
                text("schema_id", schema_id, schema_id_len)?,
                bytes("data", data, data_len)?,
            )
        };
        // SAFETY: caller's contract.
        let (record, scheme_name, purpose) = unsafe {
            (
                opt_text("consent_record", consent_record, consent_record_len)?,
                opt_text("scheme", scheme, scheme_len)?,
                opt_text("purpose", purpose, purpose_len)?,
            )
        };
        out_ptr("token_out", token_out)?;
        let signer = key.signer()?;
        let registry = &registry.registry;
        let schema = registry.resolve(schema_id, None)?;
        let mut envelope =
            EnvelopeBuilder::new(source, event_type, schema, parse(data)?).build(registry)?;
        if let Some(record) = record {
            let record = ConsentRecord::from_json(record.as_bytes())?;
            let purpose = Code::new(
                parse_scheme(scheme_name.unwrap_or("dpv"))?,
                purpose.ok_or_else(|| Failure::null("purpose"))?,
            );
            let gate = ConsentCheck::new(&record, source, &purpose, chrono::Utc::now());
            envelope = seal(envelope, &gate)?;
        }
        let signed = sign(&envelope, signer, false)?;
        // SAFETY: checked above.
        unsafe { write_string(token_out, signed.token) }
    })
}

/// Verifies a signed envelope with the sender's `key` (signature, freshness now, schema) and
/// writes the envelope (JSON). Free `*envelope_out` with `dpikit_string_free`.
///
/// # Safety
///
/// `registry` and `key` NULL or live; `token` valid; `envelope_out` writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn dpikit_envelope_open(
    registry: *const dpikit_registry,
    key: *const dpikit_key,
    token: *const u8,
    token_len: usize,
    envelope_out: *mut *mut c_char,
) -> dpikit_result {
    boundary(|| {
        // SAFETY: caller's contract.
        let (registry, key, token) = unsafe {
            (handle("registry", registry)?, handle("key", key)?, text("token", token, token_len)?)
        };
        out_ptr("envelope_out", envelope_out)?;
        let policy = VerifyPolicy::at(chrono::Utc::now());
        let verified = verify(token.trim(), None, &key.public, &registry.registry, &policy)?;
        let json = to_json(&verified.envelope)?;
        // SAFETY: checked above.
        unsafe { write_string(envelope_out, json) }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_match_core() {
        let source = include_str!("codes.rs");
        let mut listed = Vec::new();
        for line in source.lines() {
            if let Some(rest) = line.strip_prefix("pub const DPIKIT_ERR_") {
                let (name, value) = rest.split_once(": dpikit_result = ").unwrap_or_default();
                let value: u32 = value.trim_end_matches(';').parse().unwrap_or_default();
                listed.push((name.to_ascii_lowercase(), value));
            }
        }
        let core: Vec<(String, u32)> =
            ErrorCode::ALL.iter().map(|c| (c.name().to_owned(), c.value())).collect();
        assert_eq!(listed, core);
        assert_eq!(DPIKIT_ERR_NULL_PARAMETER, 9001);
        assert_eq!(DPIKIT_ERR_PANIC, 9003);
    }

    /// The header promises that const calls on these handles may run on several threads.
    #[test]
    fn shared_handles_are_sync() {
        fn sync<T: Sync>() {}
        sync::<dpikit_key>();
        sync::<dpikit_verifier>();
        sync::<dpikit_registry>();
    }

    #[test]
    fn a_panic_becomes_the_panic_code() {
        let code = boundary(|| panic!("boom"));
        assert_eq!(code, DPIKIT_ERR_PANIC);
        assert!(ffi::with_last_error(|m| m.contains("boom")));
    }
}
