//! Credentials and presentations: issue, verify, status lists.

use std::ffi::c_char;

use serde_json::Value;

use dpikit_core::ErrorCode;
use dpikit_core::did::DidDocument;
use dpikit_core::jws::WithKeyId;
use dpikit_core::keys::{KeyPair, KeyType};
use dpikit_core::time::{Timestamp, parse_rfc3339};
use dpikit_credentials::di::{self, ProofOptions};
use dpikit_credentials::jsonld::ContextStore;
use dpikit_credentials::status::{StatusEntry, StatusList, StatusPurpose, check_status};
use dpikit_credentials::{VerificationReport, Verifier, jose, model};

use crate::ffi::{self, Failure, entry, invalid};
use crate::keys::dpikit_key;
use crate::{dpikit_result, parse, to_json};

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
    issuer_binding: Option<bool>,
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
        if let Some(required) = self.issuer_binding {
            v = v.with_issuer_binding(required);
        }
        Ok(v)
    }
}

/// The report JSON of a passing verification, or its first error code (the report JSON
/// becomes the last error message).
fn report_outcome(report: &VerificationReport) -> Result<String, Failure> {
    let json = report.to_json();
    if report.verified {
        return Ok(json);
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

/// Secures a status list credential with the key's own JCS suite.
fn secure_list(
    key: &dpikit_key,
    list: &StatusList,
    id: &str,
    purpose: StatusPurpose,
) -> Result<String, Failure> {
    let signer = key.signer()?;
    let suite = match signer.signer.key_type() {
        KeyType::P256 => "ecdsa-jcs-2019",
        _ => "eddsa-jcs-2022",
    };
    let unsigned = list.to_credential(id, &key.did(), purpose)?.to_value();
    secure(&unsigned, signer, suite)
}

/// Secures an unsigned credential (JSON) with `suite`: `eddsa-jcs-2022`, `eddsa-rdfc-2022`,
/// `ecdsa-jcs-2019`, `ecdsa-rdfc-2019` (the credential with its proof, as JSON) or `vc+jwt`
/// (a compact JWS). Without an `issuer`, the key's did:key becomes the issuer. The caller owns
/// `*secured_out` and frees it with `dpikit_string_free`; on error it is untouched.
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
    entry!(secured_out, |key: handle, suite: text(suite_len), credential: bytes(credential_len)| {
        let mut credential = parse(credential)?;
        if let Value::Object(map) = &mut credential {
            map.entry("issuer").or_insert_with(|| Value::String(key.did()));
        }
        secure(&credential, key.signer()?, suite)?
    })
}

/// Creates verification options (did:key and did:jwk resolve; bundled contexts; the system
/// clock). The caller owns `*verifier_out` and frees it with `dpikit_verifier_free`.
///
/// # Safety
///
/// `verifier_out` writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn dpikit_verifier_new(
    verifier_out: *mut *mut dpikit_verifier,
) -> dpikit_result {
    entry!(verifier_out, || Box::<dpikit_verifier>::default())
}

/// Frees verification options. NULL is a no-op.
///
/// # Safety
///
/// `verifier` is NULL or from this library, not yet freed.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn dpikit_verifier_free(verifier: *mut dpikit_verifier) {
    // SAFETY: the caller's contract.
    unsafe { ffi::free(verifier) };
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
    entry!((), |verifier: handle_mut, document: bytes(document_len)| {
        verifier.documents.push(DidDocument::from_json(document)?);
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
    entry!((), |verifier: handle_mut, list: bytes(list_len)| {
        let list = parse(list)?;
        Verifier::new().with_status_list(list.clone())?;
        verifier.status_lists.push(list);
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
    entry!((), |verifier: handle_mut, url: text(url_len), context: text(context_len)| {
        Verifier::new().with_context(url, context)?;
        verifier.contexts.push((url.to_owned(), context.to_owned()));
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
    entry!((), |verifier: handle_mut, at: text(at_len)| verifier.at = Some(parse_rfc3339(at)?))
}

/// Sets the challenge a presentation's proof must carry. On error the options are unchanged.
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
    entry!((), |verifier: handle_mut, challenge: text(challenge_len)| {
        verifier.challenge = Some(challenge.to_owned());
    })
}

/// Sets the domain a presentation's proof must carry. On error the options are unchanged.
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
    entry!((), |verifier: handle_mut, domain: text(domain_len)| {
        verifier.domain = Some(domain.to_owned());
    })
}

/// Sets whether a proof's verification method must belong to the credential's issuer (on
/// by default). Turn it off only for issuers that are not DIDs, e.g. an HTTPS URL whose keys
/// you trust by other means.
///
/// # Safety
///
/// As `dpikit_verifier_add_did_document`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn dpikit_verifier_set_issuer_binding(
    verifier: *mut dpikit_verifier,
    required: bool,
) -> dpikit_result {
    entry!((), |verifier: handle_mut| verifier.issuer_binding = Some(required))
}

/// Verifies a credential (JSON with a Data Integrity proof, or a vc+jwt). When it verifies,
/// writes the VerificationReport (JSON) to `*report_out`; the caller owns it and frees it with
/// `dpikit_string_free`. When it does not, returns the code of the first failed check (e.g.
/// `DPIKIT_ERR_PROOF_INVALID` for a tampered credential), leaves `*report_out` untouched, and
/// the report JSON is the last error message.
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
    entry!(report_out, |verifier: handle, credential: bytes(credential_len)| {
        report_outcome(&verifier.build()?.verify_credential_bytes(credential))?
    })
}

/// Wraps `credentials` (a JSON array; each item a credential object or a vc+jwt string) into
/// a presentation held by the key's did:key, secured with a Data Integrity proof of `suite`
/// (`eddsa-jcs-2022`, ...) for authentication, bound to `challenge` and `domain` (each may be
/// NULL). The caller owns `*presentation_out` and frees it with `dpikit_string_free`; on error
/// it is untouched.
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
    entry!(presentation_out, |key: handle,
                              suite: text(suite_len),
                              credentials: bytes(credentials_len),
                              challenge: opt_text(challenge_len),
                              domain: opt_text(domain_len)| {
        let Value::Array(items) = parse(credentials)? else {
            return Err(invalid("credentials must be a JSON array"));
        };
        let vp = model::presentation_of(&key.did(), items);
        let options =
            ProofOptions::authentication(suite, challenge.map(Into::into), domain.map(Into::into));
        to_json(&di::add_proof(&vp, key.signer()?, &options, &ContextStore::new())?)?
    })
}

/// Verifies a presentation (JSON with a Data Integrity proof, or a vp+jwt) and the
/// credentials in it, with the verifier's challenge and domain (a credential given here is
/// verified as one). Results as `dpikit_credential_verify`.
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
    entry!(report_out, |verifier: handle, presentation: bytes(presentation_len)| {
        report_outcome(&verifier.build()?.verify_bytes(presentation))?
    })
}

/// Creates a signed Bitstring Status List credential with `entries` entries (at least
/// 131 072), all clear. `purpose` is `revocation`, `suspension`, `message` or `refresh`; `id`
/// is the list credential's URL. The caller owns `*list_out` and frees it with
/// `dpikit_string_free`; on error it is untouched.
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
    entry!(list_out, |key: handle, id: text(id_len), purpose: text(purpose_len)| {
        let list = StatusList::with_entries(entries, 1)?;
        secure_list(key, &list, id, StatusPurpose::parse(purpose)?)?
    })
}

/// Sets entry `index` of a status list credential to `value` (0 clears it) and re-signs the
/// list with `key`. The caller owns `*list_out` and frees it with `dpikit_string_free`; on
/// error it is untouched.
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
    entry!(list_out, |key: handle, list: bytes(list_len)| {
        let old = parse(list)?;
        let (mut list, purpose) = StatusList::from_credential(&old)?;
        list.set(index, value)?;
        let id = old
            .get("id")
            .and_then(Value::as_str)
            .ok_or_else(|| Failure::new(ErrorCode::StatusListInvalid, "the list has no id"))?;
        secure_list(key, &list, id, purpose)?
    })
}

/// Looks up a credential's `credentialStatus` entry in a status list credential and writes
/// the entry's value to `*value_out` (0 = not set; a set revocation or suspension bit returns
/// `DPIKIT_ERR_REVOKED` / `DPIKIT_ERR_SUSPENDED` instead, and `*value_out` is untouched).
/// Checks no signature: verify the list with `dpikit_credential_verify`, or give it to a
/// verifier with `dpikit_verifier_add_status_list`.
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
    entry!(value_out, |list: bytes(list_len), credential: bytes(credential_len)| {
        let credential = parse(credential)?;
        let entry = credential
            .get("credentialStatus")
            .ok_or_else(|| Failure::new(ErrorCode::StatusListInvalid, "no credentialStatus"))?;
        let entry = StatusEntry::from_value(entry)?.ok_or_else(|| {
            Failure::new(ErrorCode::StatusListInvalid, "no BitstringStatusListEntry")
        })?;
        check_status(&entry, &parse(list)?)?.value
    })
}
