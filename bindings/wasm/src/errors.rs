//! Errors: a real JS `Error` with `code` (number) and `name` (the code's stable name).

use std::fmt::Display;

use dpikit_core::ErrorCode;
use js_sys::{Object, Reflect};
use wasm_bindgen::prelude::*;

/// An error of a dpikit crate: something with a stable [`ErrorCode`].
pub(crate) trait Coded: Display {
    /// The error's stable code.
    fn error_code(&self) -> ErrorCode;
}

macro_rules! coded {
    ($($t:ty),*) => {$(
        impl Coded for $t {
            fn error_code(&self) -> ErrorCode {
                self.code()
            }
        }
    )*};
}

coded!(dpikit_core::CoreError, dpikit_credentials::CredentialError);
#[cfg(feature = "consent")]
coded!(dpikit_consent::ConsentError);
#[cfg(feature = "payments")]
coded!(dpikit_payments::PaymentError);
#[cfg(feature = "exchange")]
coded!(dpikit_exchange::ExchangeError);

/// Builds the JS `Error` for `code`: `message`, `code` and `name` set.
pub(crate) fn raise(code: ErrorCode, message: &str) -> JsValue {
    let err = js_sys::Error::new(message);
    err.set_name(code.name());
    // Setting a data property on a fresh Error object cannot fail.
    let _ = Reflect::set(&err, &JsValue::from_str("code"), &JsValue::from(code.value()));
    err.into()
}

/// Maps a dpikit error to its JS `Error`.
pub(crate) fn to_js<E: Coded>(e: E) -> JsValue {
    raise(e.error_code(), &e.to_string())
}

/// An `invalid_argument` (9005) error for a JS argument of the wrong shape.
pub(crate) fn invalid_argument(message: impl Display) -> JsValue {
    raise(ErrorCode::InvalidArgument, &message.to_string())
}

/// Returns `{code: name}` for every stable error code.
#[wasm_bindgen(js_name = errorCodes)]
#[must_use]
pub fn error_codes() -> Object {
    let out = Object::new();
    for c in ErrorCode::ALL {
        let _ = Reflect::set(&out, &JsValue::from(c.value()), &JsValue::from_str(c.name()));
    }
    out
}
