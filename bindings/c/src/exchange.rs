//! The schema registry, validation, and signed CloudEvents envelopes.

use std::ffi::c_char;

use dpikit_consent::model::{Code, ConsentRecord};
use dpikit_exchange::Registry;
use dpikit_exchange::envelope::{ConsentCheck, EnvelopeBuilder, VerifyPolicy, seal, sign, verify};
use dpikit_exchange::jwe::{self, RecipientCurve, RecipientKeyPair};

use crate::ffi::{self, Failure, entry, invalid};
use crate::keys::dpikit_key;
use crate::{dpikit_result, parse, parse_scheme, to_json};

/// A schema registry holding the built-in schemas. Created by `dpikit_registry_new`, freed by
/// `dpikit_registry_free`.
pub struct dpikit_registry {
    registry: Registry,
}

/// Creates a schema registry holding dpikit's built-in schemas. The caller owns
/// `*registry_out` and frees it with `dpikit_registry_free`; on error it is untouched.
///
/// # Safety
///
/// `registry_out` writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn dpikit_registry_new(
    registry_out: *mut *mut dpikit_registry,
) -> dpikit_result {
    entry!(registry_out, || Box::new(dpikit_registry { registry: Registry::with_builtin()? }))
}

/// Frees a registry. NULL is a no-op.
///
/// # Safety
///
/// `registry` is NULL or from this library, not yet freed.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn dpikit_registry_free(registry: *mut dpikit_registry) {
    // SAFETY: the caller's contract.
    unsafe { ffi::free(registry) };
}

/// Registers a JSON Schema (with `$id` and `$schemaVersion`) and writes its key as a
/// CloudEvents `dataschema` URI. The caller owns `*key_out` and frees it with
/// `dpikit_string_free`; on error it is untouched and the registry unchanged.
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
    entry!(key_out, |registry: handle_mut, schema: text(schema_len)| {
        registry.registry.register_str(schema)?.to_dataschema()
    })
}

/// Lets `$ref`s to `alias` (e.g. the raw GitHub URL a Smart Data Model refers to) resolve to
/// the registered schema `id`; dpikit never fetches a schema. `DPIKIT_ERR_SCHEMA_NOT_FOUND`
/// when `id` is not registered; on error the registry is unchanged.
///
/// # Safety
///
/// `registry` NULL or live and not used by another thread during the call; inputs valid.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn dpikit_registry_add_alias(
    registry: *mut dpikit_registry,
    alias: *const u8,
    alias_len: usize,
    id: *const u8,
    id_len: usize,
) -> dpikit_result {
    entry!((), |registry: handle_mut, alias: text(alias_len), id: text(id_len)| {
        registry.registry.add_alias(alias, id)?;
    })
}

/// Validates `data` (JSON) against schema `id` (`version` NULL = the latest). When valid,
/// writes the validation report (JSON; the caller owns it and frees it with
/// `dpikit_string_free`); when not, returns the validation error code, leaves `*report_out`
/// untouched, and the report JSON is the last error message.
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
    entry!(report_out, |registry: handle,
                        id: text(id_len),
                        version: opt_text(version_len),
                        data: bytes(data_len)| {
        let key = registry.registry.resolve(id, version)?;
        let report = registry.registry.validate_bytes(&key, data)?;
        let json = to_json(&report)?;
        if let Err(e) = report.into_result() {
            return Err(Failure { code: e.code().value(), message: json });
        }
        json
    })
}

/// Builds a CloudEvents envelope from `source`, `event_type`, schema `schema_id` and `data`
/// (JSON), validates it, and signs it with `key` as a compact JWS. Personal data must be
/// consent-gated: give the consent record (JSON) and the purpose (`scheme`, `purpose`); the
/// record must allow `source` to use the data for that purpose now, else the consent's 3xxx
/// code (`DPIKIT_ERR_CONSENT_REQUIRED` without a record). `consent_record`, `scheme` and
/// `purpose` may be NULL for data that is not personal. The caller owns `*token_out` and frees
/// it with `dpikit_string_free`; on error it is untouched.
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
    entry!(token_out, |registry: handle,
                       key: handle,
                       source: text(source_len),
                       event_type: text(event_type_len),
                       schema_id: text(schema_id_len),
                       data: bytes(data_len),
                       consent_record: opt_bytes(consent_record_len),
                       scheme: opt_text(scheme_len),
                       purpose: opt_text(purpose_len)| {
        let registry = &registry.registry;
        let schema = registry.resolve(schema_id, None)?;
        let mut envelope =
            EnvelopeBuilder::new(source, event_type, schema, parse(data)?).build(registry)?;
        if let Some(record) = consent_record {
            let record = ConsentRecord::from_json(record)?;
            let purpose = purpose.ok_or_else(|| Failure::null("purpose"))?;
            let purpose = Code::new(parse_scheme(scheme.unwrap_or("dpv"))?, purpose);
            envelope =
                seal(envelope, &ConsentCheck::new(&record, source, &purpose, chrono::Utc::now()))?;
        }
        sign(&envelope, key.signer()?, false)?.token
    })
}

/// Verifies a signed envelope with the sender's `key` (signature, freshness now, schema) and
/// writes the envelope (JSON). The caller owns `*envelope_out` and frees it with
/// `dpikit_string_free`; on error it is untouched.
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
    entry!(envelope_out, |registry: handle, key: handle, token: text(token_len)| {
        let policy = VerifyPolicy::at(chrono::Utc::now());
        to_json(&verify(token.trim(), None, &key.public, &registry.registry, &policy)?.envelope)?
    })
}

/// Generates a recipient key pair for encrypted envelopes (ECDH-ES+A256KW with A256GCM) on
/// `curve` (`x25519` or `p256`) and writes its private and public JWK (JSON). The caller owns
/// both outputs and frees each with `dpikit_string_free` (wipe the private JWK first if the
/// memory may be reused); on error both are untouched.
///
/// # Safety
///
/// `curve` valid for its length; both outputs writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn dpikit_jwe_key_generate(
    curve: *const u8,
    curve_len: usize,
    private_jwk_out: *mut *mut c_char,
    public_jwk_out: *mut *mut c_char,
) -> dpikit_result {
    entry!((private_jwk_out, public_jwk_out), |curve: text(curve_len)| {
        let curve = match curve {
            "x25519" => RecipientCurve::X25519,
            "p256" => RecipientCurve::P256,
            other => return Err(invalid(format!("unknown curve {other:?} (x25519, p256)"))),
        };
        let pair = RecipientKeyPair::generate(curve)?;
        (pair.private_jwk().to_string(), pair.public_jwk().to_owned())
    })
}

/// Encrypts a signed envelope (the compact JWS written by `dpikit_envelope_seal`) to a
/// recipient's public JWK as a compact JWE (`cty` `dpikit-envelope+jws`). The caller owns
/// `*jwe_out` and frees it with `dpikit_string_free`; on error it is untouched.
///
/// # Safety
///
/// Inputs valid for their lengths; `jwe_out` writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn dpikit_envelope_encrypt(
    token: *const u8,
    token_len: usize,
    recipient_public_jwk: *const u8,
    recipient_public_jwk_len: usize,
    jwe_out: *mut *mut c_char,
) -> dpikit_result {
    entry!(jwe_out, |token: text(token_len),
                     recipient_public_jwk: text(recipient_public_jwk_len)| {
        jwe::seal_envelope_token(token.trim(), recipient_public_jwk)?
    })
}

/// Decrypts an encrypted envelope with the recipient's private JWK, then verifies the signed
/// envelope inside with the sender's `key` (signature, freshness now, schema) and writes the
/// envelope (JSON). A wrong recipient key is `DPIKIT_ERR_JWE_INVALID`. The caller owns
/// `*envelope_out` and frees it with `dpikit_string_free`; on error it is untouched.
///
/// # Safety
///
/// `registry` and `key` NULL or live; inputs valid; `envelope_out` writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn dpikit_envelope_decrypt(
    registry: *const dpikit_registry,
    key: *const dpikit_key,
    jwe: *const u8,
    jwe_len: usize,
    recipient_private_jwk: *const u8,
    recipient_private_jwk_len: usize,
    envelope_out: *mut *mut c_char,
) -> dpikit_result {
    entry!(
        envelope_out,
        |registry: handle,
         key: handle,
         jwe: text(jwe_len),
         recipient_private_jwk: text(recipient_private_jwk_len)| {
            let policy = VerifyPolicy::at(chrono::Utc::now());
            let opened = jwe::open_envelope(
                jwe.trim(),
                recipient_private_jwk,
                &key.public,
                &registry.registry,
                &policy,
            )?;
            to_json(&opened.envelope)?
        }
    )
}
