//! The boundary machinery: the panic boundary, the last error, input and output helpers.
//!
//! Every `unsafe` block of the crate that touches a caller's pointer lives here, so the
//! entry points in `lib.rs` read as "convert in, call the Rust API, write out".

use std::cell::RefCell;
use std::ffi::{CString, c_char};
use std::fmt::Display;
use std::panic::{AssertUnwindSafe, catch_unwind};

use dpikit_core::ErrorCode;

use crate::dpikit_result;

thread_local! {
    /// The message of the last failed call on this thread.
    static LAST_ERROR: RefCell<String> = const { RefCell::new(String::new()) };
}

/// A failed call: its code and the message kept for `dpikit_last_error_message`.
#[derive(Debug)]
pub(crate) struct Failure {
    pub(crate) code: u32,
    pub(crate) message: String,
}

impl Failure {
    /// A failure with `code` and `message`.
    pub(crate) fn new(code: ErrorCode, message: impl Into<String>) -> Self {
        Failure { code: code.value(), message: message.into() }
    }

    /// `DPIKIT_ERR_NULL_PARAMETER` naming the parameter.
    pub(crate) fn null(name: &str) -> Self {
        Failure::new(ErrorCode::NullParameter, format!("{name} is NULL"))
    }
}

macro_rules! failure_from {
    ($($t:ty),*) => {$(
        impl From<$t> for Failure {
            fn from(e: $t) -> Self {
                Failure { code: e.code().value(), message: e.to_string() }
            }
        }
    )*};
}
failure_from!(
    dpikit_core::CoreError,
    dpikit_credentials::CredentialError,
    dpikit_consent::ConsentError,
    dpikit_exchange::ExchangeError
);

/// The result of an entry point's body.
pub(crate) type Outcome = Result<(), Failure>;

/// Runs `body` inside the panic boundary: `Ok` is `DPIKIT_OK`, an error keeps its message as
/// this thread's last error, and a panic becomes `DPIKIT_ERR_PANIC`.
pub(crate) fn boundary(body: impl FnOnce() -> Outcome) -> dpikit_result {
    let failure = match catch_unwind(AssertUnwindSafe(body)) {
        Ok(Ok(())) => {
            set_last_error(String::new());
            return 0;
        }
        Ok(Err(failure)) => failure,
        Err(payload) => {
            let detail = payload
                .downcast_ref::<&str>()
                .map(|s| (*s).to_owned())
                .or_else(|| payload.downcast_ref::<String>().cloned())
                .unwrap_or_default();
            Failure::new(ErrorCode::Panic, format!("panic inside dpikit: {detail}"))
        }
    };
    set_last_error(failure.message);
    failure.code
}

/// Replaces this thread's last error message.
pub(crate) fn set_last_error(message: String) {
    LAST_ERROR.with(|cell| *cell.borrow_mut() = message);
}

/// Calls `f` with this thread's last error message.
pub(crate) fn with_last_error<T>(f: impl FnOnce(&str) -> T) -> T {
    LAST_ERROR.with(|cell| f(&cell.borrow()))
}

/// Borrows a required input buffer.
///
/// # Safety
///
/// `ptr` is NULL or points to `len` readable bytes that outlive `'a`.
pub(crate) unsafe fn bytes<'a>(
    name: &str,
    ptr: *const u8,
    len: usize,
) -> Result<&'a [u8], Failure> {
    if ptr.is_null() {
        return Err(Failure::null(name));
    }
    // SAFETY: non-NULL, and the caller promises `len` readable bytes (the header's contract).
    Ok(unsafe { std::slice::from_raw_parts(ptr, len) })
}

/// Borrows a required UTF-8 input.
///
/// # Safety
///
/// As [`bytes`].
pub(crate) unsafe fn text<'a>(name: &str, ptr: *const u8, len: usize) -> Result<&'a str, Failure> {
    // SAFETY: forwarded contract.
    let raw = unsafe { bytes(name, ptr, len) }?;
    std::str::from_utf8(raw).map_err(|e| {
        Failure::new(ErrorCode::BindingInvalidUtf8, format!("{name} is not UTF-8: {e}"))
    })
}

/// Borrows an optional UTF-8 input: NULL is `None`.
///
/// # Safety
///
/// As [`bytes`].
pub(crate) unsafe fn opt_text<'a>(
    name: &str,
    ptr: *const u8,
    len: usize,
) -> Result<Option<&'a str>, Failure> {
    if ptr.is_null() {
        return Ok(None);
    }
    // SAFETY: forwarded contract.
    unsafe { text(name, ptr, len) }.map(Some)
}

/// Borrows a handle.
///
/// # Safety
///
/// `ptr` is NULL or a live handle created by this library.
pub(crate) unsafe fn handle<'a, T>(name: &str, ptr: *const T) -> Result<&'a T, Failure> {
    // SAFETY: the caller passes a live handle or NULL.
    unsafe { ptr.as_ref() }.ok_or_else(|| Failure::null(name))
}

/// Borrows a handle mutably.
///
/// # Safety
///
/// `ptr` is NULL or a live handle created by this library, not used by another thread now.
pub(crate) unsafe fn handle_mut<'a, T>(name: &str, ptr: *mut T) -> Result<&'a mut T, Failure> {
    // SAFETY: the caller passes a live, unshared handle or NULL.
    unsafe { ptr.as_mut() }.ok_or_else(|| Failure::null(name))
}

/// Checks that an output pointer is not NULL (before any work is done).
pub(crate) fn out_ptr<T>(name: &str, ptr: *mut T) -> Result<(), Failure> {
    if ptr.is_null() { Err(Failure::null(name)) } else { Ok(()) }
}

/// Writes `value` to a checked, non-NULL output pointer.
///
/// # Safety
///
/// `ptr` was checked with [`out_ptr`] and points to writable memory for a `T`.
pub(crate) unsafe fn write<T>(ptr: *mut T, value: T) {
    // SAFETY: checked non-NULL; the caller provides writable storage.
    unsafe { ptr.write(value) };
}

/// Converts a Rust string into a library-owned C string (freed by `dpikit_string_free`).
pub(crate) fn c_string(text: impl Into<Vec<u8>>) -> Result<*mut c_char, Failure> {
    CString::new(text)
        .map(CString::into_raw)
        .map_err(|_| Failure::new(ErrorCode::Internal, "output holds a NUL byte"))
}

/// Writes a string output: allocates it, then stores it (only reached on success).
///
/// # Safety
///
/// As [`write`].
pub(crate) unsafe fn write_string(ptr: *mut *mut c_char, text: impl Into<Vec<u8>>) -> Outcome {
    let s = c_string(text)?;
    // SAFETY: forwarded contract.
    unsafe { write(ptr, s) };
    Ok(())
}

/// An invalid-argument failure.
pub(crate) fn invalid(message: impl Display) -> Failure {
    Failure::new(ErrorCode::InvalidArgument, message.to_string())
}
