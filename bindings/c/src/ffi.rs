//! The boundary machinery: the panic boundary, the last error, input and output helpers.
//!
//! Every `unsafe` block of the crate that touches a caller's pointer lives here or in the
//! [`entry!`] macro, so an entry point reads as "name its inputs, call the Rust API, return the
//! output": [`call`] checks the output pointers, runs the body inside the panic boundary and
//! writes the outputs only when the body succeeded.

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
    dpikit_exchange::ExchangeError,
    dpikit_payments::PaymentError
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

/// One entry point: fails with `DPIKIT_ERR_NULL_PARAMETER` when an output pointer is NULL, runs
/// `body` inside the panic boundary, and writes its value to `out` only when it succeeded.
pub(crate) fn call<O: Output>(
    name: &str,
    out: O::Ptr,
    body: impl FnOnce() -> Result<O, Failure>,
) -> dpikit_result {
    boundary(|| {
        O::check(out, name)?;
        let raw = body()?.into_raw()?;
        // SAFETY: `check` found every pointer non-NULL; the caller provides writable storage
        // behind each (the header's contract).
        unsafe { O::store(raw, out) };
        Ok(())
    })
}

/// Declares an entry point's body: each listed parameter is converted in place (a kind from
/// this module: `bytes(len)`, `opt_bytes(len)`, `text(len)`, `opt_text(len)`,
/// `bytes_list(lens, count)`, `handle`, `handle_mut`, `opt_handle`), then the body's value is written to the output pointer(s) `$out` (`()` for
/// none, `(a, b)` for two) through [`call`].
macro_rules! entry {
    ($out:tt, || $body:expr) => {
        $crate::ffi::entry!($out, | | $body)
    };
    ($out:tt, |$($arg:ident: $kind:ident $(($($len:ident),+))?),*| $body:expr) => {
        $crate::ffi::call(stringify!($out), $out, || {
            $(
                // SAFETY: the header's contract: a pointer input is NULL or valid for its
                // length, a handle is NULL or live (and unshared when mutable).
                let $arg = unsafe { $crate::ffi::$kind(stringify!($arg), $arg $($(, $len)+)?) }?;
            )*
            Ok($body)
        })
    };
}
pub(crate) use entry;

/// What an entry point writes on success, and through which pointer(s).
pub(crate) trait Output: Sized {
    /// The caller's output pointer(s).
    type Ptr: Copy;
    /// The value ready to store: converting it may fail, storing it does not.
    type Raw;
    /// Fails when an output pointer is NULL.
    fn check(ptr: Self::Ptr, name: &str) -> Outcome;
    /// Converts the value for C (allocations happen here, before anything is written).
    fn into_raw(self) -> Result<Self::Raw, Failure>;
    /// Stores the converted value.
    ///
    /// # Safety
    ///
    /// `ptr` passed [`Output::check`] and points to writable storage.
    unsafe fn store(raw: Self::Raw, ptr: Self::Ptr);
}

fn non_null<T>(ptr: *mut T, name: &str) -> Outcome {
    if ptr.is_null() { Err(Failure::null(name)) } else { Ok(()) }
}

impl Output for () {
    type Ptr = ();
    type Raw = ();
    fn check((): (), _: &str) -> Outcome {
        Ok(())
    }
    fn into_raw(self) -> Result<(), Failure> {
        Ok(())
    }
    unsafe fn store((): (), (): ()) {}
}

macro_rules! plain_output {
    ($($t:ty),*) => {$(
        impl Output for $t {
            type Ptr = *mut $t;
            type Raw = $t;
            fn check(ptr: Self::Ptr, name: &str) -> Outcome {
                non_null(ptr, name)
            }
            fn into_raw(self) -> Result<$t, Failure> {
                Ok(self)
            }
            unsafe fn store(raw: $t, ptr: Self::Ptr) {
                // SAFETY: checked non-NULL; the caller provides writable storage.
                unsafe { ptr.write(raw) };
            }
        }
    )*};
}
plain_output!(u8, u32, u64, usize);

/// A library-owned NUL-terminated string, freed with `dpikit_string_free`.
impl Output for String {
    type Ptr = *mut *mut c_char;
    type Raw = *mut c_char;
    fn check(ptr: Self::Ptr, name: &str) -> Outcome {
        non_null(ptr, name)
    }
    fn into_raw(self) -> Result<*mut c_char, Failure> {
        CString::new(self)
            .map(CString::into_raw)
            .map_err(|_| Failure::new(ErrorCode::Internal, "output holds a NUL byte"))
    }
    unsafe fn store(raw: *mut c_char, ptr: Self::Ptr) {
        // SAFETY: checked non-NULL; the caller provides writable storage.
        unsafe { ptr.write(raw) };
    }
}

/// A library-owned byte buffer and its length, freed with `dpikit_bytes_free(ptr, len)`.
impl Output for Vec<u8> {
    type Ptr = (*mut *mut u8, *mut usize);
    type Raw = (*mut u8, usize);
    fn check((buf, len): Self::Ptr, name: &str) -> Outcome {
        non_null(buf, name).and_then(|()| non_null(len, name))
    }
    fn into_raw(self) -> Result<(*mut u8, usize), Failure> {
        let len = self.len();
        Ok((Box::into_raw(self.into_boxed_slice()).cast::<u8>(), len))
    }
    unsafe fn store((buf, len): (*mut u8, usize), (buf_out, len_out): Self::Ptr) {
        // SAFETY: both checked non-NULL; the caller provides writable storage.
        unsafe {
            buf_out.write(buf);
            len_out.write(len);
        }
    }
}

/// A new handle, freed with its `dpikit_<type>_free`.
impl<T> Output for Box<T> {
    type Ptr = *mut *mut T;
    type Raw = *mut T;
    fn check(ptr: Self::Ptr, name: &str) -> Outcome {
        non_null(ptr, name)
    }
    fn into_raw(self) -> Result<*mut T, Failure> {
        Ok(Box::into_raw(self))
    }
    unsafe fn store(raw: *mut T, ptr: Self::Ptr) {
        // SAFETY: checked non-NULL; the caller provides writable storage.
        unsafe { ptr.write(raw) };
    }
}

/// Two outputs, both written or neither.
impl<A: Output, B: Output> Output for (A, B) {
    type Ptr = (A::Ptr, B::Ptr);
    type Raw = (A::Raw, B::Raw);
    fn check((a, b): Self::Ptr, name: &str) -> Outcome {
        A::check(a, name)?;
        B::check(b, name)
    }
    fn into_raw(self) -> Result<Self::Raw, Failure> {
        Ok((self.0.into_raw()?, self.1.into_raw()?))
    }
    unsafe fn store((a, b): Self::Raw, (pa, pb): Self::Ptr) {
        // SAFETY: forwarded contract.
        unsafe {
            A::store(a, pa);
            B::store(b, pb);
        }
    }
}

/// Frees a handle created by this library (NULL is a no-op), inside a panic boundary.
///
/// # Safety
///
/// `ptr` is NULL or came from `Box::into_raw` in this library and was not freed yet.
pub(crate) unsafe fn free<T: ?Sized>(ptr: *mut T) {
    if !ptr.is_null() {
        // SAFETY: the caller's contract; a panicking destructor must not unwind into C.
        let _ = catch_unwind(AssertUnwindSafe(|| drop(unsafe { Box::from_raw(ptr) })));
    }
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

/// Borrows an optional input buffer: NULL is `None`.
///
/// # Safety
///
/// As [`bytes`].
pub(crate) unsafe fn opt_bytes<'a>(
    name: &str,
    ptr: *const u8,
    len: usize,
) -> Result<Option<&'a [u8]>, Failure> {
    if ptr.is_null() {
        return Ok(None);
    }
    // SAFETY: forwarded contract.
    unsafe { bytes(name, ptr, len) }.map(Some)
}

/// Borrows `count` required input buffers: `ptrs[i]` holds `lens[i]` bytes. With `count` 0
/// the arrays may be NULL.
///
/// # Safety
///
/// `ptrs` and `lens` are NULL or point to `count` readable elements; each `ptrs[i]` is NULL or
/// points to `lens[i]` readable bytes that outlive `'a`.
pub(crate) unsafe fn bytes_list<'a>(
    name: &str,
    ptrs: *const *const u8,
    lens: *const usize,
    count: usize,
) -> Result<Vec<&'a [u8]>, Failure> {
    if count == 0 {
        return Ok(Vec::new());
    }
    if ptrs.is_null() || lens.is_null() {
        return Err(Failure::null(name));
    }
    // SAFETY: non-NULL, and the caller promises `count` readable elements in each array.
    let (ptrs, lens) = unsafe {
        (std::slice::from_raw_parts(ptrs, count), std::slice::from_raw_parts(lens, count))
    };
    // SAFETY: forwarded contract for each element.
    ptrs.iter().zip(lens).map(|(&p, &len)| unsafe { bytes(name, p, len) }).collect()
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

/// Borrows an optional handle: NULL is `None`.
///
/// Never fails; it returns a `Result` to share the shape of the other kinds in [`entry!`].
///
/// # Safety
///
/// As [`handle`].
#[allow(clippy::unnecessary_wraps)]
pub(crate) unsafe fn opt_handle<'a, T>(_: &str, ptr: *const T) -> Result<Option<&'a T>, Failure> {
    // SAFETY: the caller passes a live handle or NULL.
    Ok(unsafe { ptr.as_ref() })
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

/// An invalid-argument failure.
pub(crate) fn invalid(message: impl Display) -> Failure {
    Failure::new(ErrorCode::InvalidArgument, message.to_string())
}
