//! The hostile-input corpus (vectors/<block>/cases.json) through the C ABI: every case whose
//! op libdpikit_ffi exposes calls the `extern "C"` functions exactly as a C caller would
//! (pointer + length in, result code out, outputs freed with the library's free functions)
//! and must give the same error code name or ok value as the Rust API, within a time and a
//! memory bound (`dpikit_hostile::memory`: the growth of the peak resident set).
#![allow(unsafe_code, clippy::unwrap_used, clippy::expect_used)]

use std::ffi::{CStr, c_char};
use std::path::PathBuf;
use std::ptr;
use std::time::{Duration, Instant};

use dpikit_core::keys::PublicKey;
use dpikit_ffi::*;
use dpikit_hostile::{BLOCKS, Case, Expect, materialize, memory};
use serde_json::{Value, json};

const BOUND: Duration = Duration::from_secs(5);

/// Where the C ABI knowingly differs from the Rust API, with the reason; these cases run and
/// must give exactly the listed outcome.
const KNOWN: &[(&str, &str, &str)] = &[(
    "core/jws.verify/token-whitespace",
    "ok",
    "dpikit_jws_verify trims white space around the token; the Rust API refuses it",
)];

/// Ops the C ABI exposes, and whether their input parameter is text (`const char*` + length
/// that must be UTF-8).
const OPS: &[(&str, bool)] = &[
    ("jws.verify", true),
    ("credential.verify", false),
    ("consent.receipt.verify", true),
    ("schema.register", true),
    ("schema.validate", false),
];

fn name(result: dpikit_result) -> String {
    // SAFETY: dpikit_error_name returns a static NUL-terminated string.
    unsafe { CStr::from_ptr(dpikit_error_name(result)) }.to_str().unwrap().to_owned()
}

/// Takes ownership of a library string.
fn take(s: *mut c_char) -> String {
    // SAFETY: a string the library returned, freed once below.
    let out = unsafe { CStr::from_ptr(s) }.to_str().unwrap().to_owned();
    // SAFETY: as above.
    unsafe { dpikit_string_free(s) };
    out
}

type Outcome = Result<Value, String>;

fn check(r: dpikit_result) -> Result<(), String> {
    if r == 0 { Ok(()) } else { Err(name(r)) }
}

fn key_handle(multikey: &str) -> *mut dpikit_key {
    let jwk = PublicKey::from_multikey(multikey).unwrap().to_jwk().to_json();
    let mut key = ptr::null_mut();
    // SAFETY: valid pointer and length; key is an out pointer.
    check(unsafe { dpikit_key_from_jwk(jwk.as_ptr(), jwk.len(), &raw mut key) }).unwrap();
    key
}

fn jws_verify(data: &[u8], input: &Value) -> Outcome {
    let key = key_handle(input["key"].as_str().unwrap());
    let (mut payload, mut len) = (ptr::null_mut(), 0usize);
    // SAFETY: valid handle, pointer and length; out pointers.
    let r = unsafe {
        dpikit_jws_verify(key, data.as_ptr(), data.len(), &raw mut payload, &raw mut len)
    };
    // SAFETY: the handle is freed once.
    unsafe { dpikit_key_free(key) };
    check(r)?;
    // SAFETY: the library wrote `len` bytes at `payload`; freed once.
    let text =
        String::from_utf8_lossy(unsafe { std::slice::from_raw_parts(payload, len) }).into_owned();
    // SAFETY: as above.
    unsafe { dpikit_bytes_free(payload, len) };
    Ok(json!(text))
}

fn credential_verify(data: &[u8], input: &Value) -> Outcome {
    let mut v = ptr::null_mut();
    // SAFETY: out pointer.
    check(unsafe { dpikit_verifier_new(&raw mut v) }).unwrap();
    let now = input["now"].as_str().unwrap();
    // SAFETY: valid handle, pointer and length.
    check(unsafe { dpikit_verifier_set_time(v, now.as_ptr(), now.len()) }).unwrap();
    if let Some(list) = input.get("status_list") {
        let list = list.to_string();
        // SAFETY: as above.
        check(unsafe { dpikit_verifier_add_status_list(v, list.as_ptr(), list.len()) }).unwrap();
    }
    let mut report = ptr::null_mut();
    // SAFETY: valid handle, pointer and length; out pointer.
    let r = unsafe { dpikit_credential_verify(v, data.as_ptr(), data.len(), &raw mut report) };
    // SAFETY: freed once.
    unsafe { dpikit_verifier_free(v) };
    check(r)?;
    take(report);
    Ok(json!(true))
}

fn receipt_verify(data: &[u8], input: &Value) -> Outcome {
    let key = key_handle(input["key"].as_str().unwrap());
    let mut out = ptr::null_mut();
    // SAFETY: valid handle, pointer and length; out pointer.
    let r = unsafe { dpikit_consent_receipt_verify(key, data.as_ptr(), data.len(), &raw mut out) };
    // SAFETY: freed once.
    unsafe { dpikit_key_free(key) };
    check(r)?;
    let receipt: Value = serde_json::from_str(&take(out)).unwrap();
    Ok(receipt["record"]["id"].clone())
}

fn register(registry: *mut dpikit_registry, schema: &[u8]) -> Result<String, String> {
    let mut key = ptr::null_mut();
    // SAFETY: valid handle, pointer and length; out pointer.
    check(unsafe {
        dpikit_registry_register(registry, schema.as_ptr(), schema.len(), &raw mut key)
    })?;
    Ok(take(key))
}

fn schema_op(op: &str, data: &[u8], input: &Value) -> Outcome {
    let mut registry = ptr::null_mut();
    // SAFETY: out pointer.
    check(unsafe { dpikit_registry_new(&raw mut registry) }).unwrap();
    let result = (|| {
        if op == "schema.register" {
            return register(registry, data).map(Value::String);
        }
        let schema = input["schema"].as_str().unwrap();
        register(registry, schema.as_bytes())?;
        let id = serde_json::from_str::<Value>(schema).unwrap()["$id"].as_str().unwrap().to_owned();
        let mut report = ptr::null_mut();
        // SAFETY: valid handle, pointers and lengths (no version); out pointer.
        let r = unsafe {
            dpikit_registry_validate(
                registry,
                id.as_ptr(),
                id.len(),
                ptr::null(),
                0,
                data.as_ptr(),
                data.len(),
                &raw mut report,
            )
        };
        check(r)?;
        take(report);
        Ok(json!(true))
    })();
    // SAFETY: freed once.
    unsafe { dpikit_registry_free(registry) };
    result
}

fn run(case: &Case, data: &[u8]) -> Outcome {
    match case.op.as_str() {
        "jws.verify" => jws_verify(data, &case.input),
        "credential.verify" => credential_verify(data, &case.input),
        "consent.receipt.verify" => receipt_verify(data, &case.input),
        op => schema_op(op, data, &case.input),
    }
}

#[test]
fn hostile_corpus_through_the_c_abi() {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../vectors");
    let (mut ran, mut passed, mut not_exposed, mut not_utf8, mut total) = (0, 0, 0, 0, 0);
    let mut failures = Vec::new();
    let measured = memory::reset_peak().is_some();
    let mut largest = 0;
    for block in BLOCKS {
        let text = std::fs::read_to_string(root.join(block).join("cases.json")).unwrap();
        let cases: Vec<Case> = serde_json::from_str(&text).unwrap();
        for case in &cases {
            total += 1;
            let Some(&(_, takes_text)) = OPS.iter().find(|(op, _)| *op == case.op) else {
                not_exposed += 1;
                continue;
            };
            let data = materialize(&case.input["data"]).unwrap();
            if takes_text && std::str::from_utf8(&data).is_err() {
                not_utf8 += 1;
                continue;
            }
            ran += 1;
            let before = if measured { memory::reset_peak() } else { None };
            let started = Instant::now();
            let got = match run(case, &data) {
                Ok(v) => Expect::Ok(v),
                Err(name) => Expect::Error(name),
            };
            let took = started.elapsed();
            let grew = memory::growth_kib(before).unwrap_or(0);
            largest = largest.max(grew);
            let known = KNOWN.iter().find(|(id, ..)| *id == case.id);
            let expected_here = match known {
                Some((_, "ok", _)) => matches!(got, Expect::Ok(_)),
                Some((_, code, _)) => got == Expect::Error((*code).to_owned()),
                None => got == case.expect,
            };
            if expected_here && took <= BOUND && grew <= memory::bound_kib(data.len()) {
                passed += 1;
            } else {
                failures.push(format!(
                    "{}: expected {:?}, got {got:?} in {took:?}, peak memory grew {grew} KiB",
                    case.id, case.expect
                ));
            }
        }
    }
    println!(
        "hostile corpus (C ABI): {passed}/{ran} passed ({} a known difference); {not_exposed} cases of ops the C ABI does not expose, {not_utf8} with non-UTF-8 input for a text parameter, of {total}; {}",
        KNOWN.len(),
        if measured {
            format!("largest peak-memory growth {largest} KiB")
        } else {
            "peak memory not measurable here".to_owned()
        }
    );
    assert!(failures.is_empty(), "{} failures:\n{}", failures.len(), failures.join("\n"));
}
