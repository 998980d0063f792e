//! `libdpikit_ffi`: the C ABI of dpikit.
//!
//! Conversion code only: each entry point names its inputs, calls the Rust API and returns
//! its output through [`ffi::call`] (the `entry!` macro), which checks the pointers, runs the
//! panic boundary and writes outputs only on success. The rules every function follows are
//! written at the top of the generated header `include/dpikit.h` (and in docs/c.md).
//!
//! The entry points live in one module per building block and are re-exported here, so Rust
//! callers (tests, the hostile-input runner) reach them as `dpikit_ffi::dpikit_…`.
// The C ABI needs raw pointers and `#[unsafe(no_mangle)]`; the workspace forbids `unsafe`
// under crates/ only. Every pointer is touched in a small `// SAFETY:`-commented block in
// `ffi.rs` (or the `entry!` macro there).
#![allow(unsafe_code)]
// C names (`dpikit_key`, `dpikit_result`) follow the header's snake_case convention.
#![allow(non_camel_case_types)]
// A C signature spells each text input as a (pointer, length) pair, so functions that take five
// strings take ten parameters.
#![allow(clippy::too_many_arguments)]
// Every entry point's `# Safety` section is the header's contract: pointers NULL or valid for
// their lengths, handles NULL or live, outputs writable.
#![allow(clippy::missing_safety_doc)]

mod codes;
mod consent;
mod credentials;
mod exchange;
mod ffi;
mod keys;
mod payments;

use std::collections::HashMap;
use std::ffi::{CStr, CString, c_char};
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::sync::OnceLock;

use serde_json::Value;

use dpikit_consent::model::Scheme;
use dpikit_core::ErrorCode;
use dpikit_core::time::{Timestamp, parse_rfc3339};

pub use codes::*;
pub use consent::*;
pub use credentials::*;
pub use exchange::*;
pub use keys::*;
pub use payments::*;

use ffi::{Failure, invalid};

/// A result code: `DPIKIT_OK` (0) or one of the shared dpikit error codes.
pub type dpikit_result = u32;

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
                written.write(message.len());
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
    // SAFETY: `ptr`/`len` came from `Box::<[u8]>::into_raw` in this library, freed once.
    unsafe { ffi::free(std::ptr::slice_from_raw_parts_mut(ptr, len)) };
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
        let code = ffi::boundary(|| panic!("boom"));
        assert_eq!(code, DPIKIT_ERR_PANIC);
        assert!(ffi::with_last_error(|m| m.contains("boom")));
    }
}
