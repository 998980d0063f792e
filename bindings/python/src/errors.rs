//! Exceptions: `dpikit.DpikitError` with `.code` and `.name`, one subclass per code band.

use std::collections::BTreeMap;
use std::fmt::Display;

use dpikit_core::ErrorCode;
use pyo3::create_exception;
use pyo3::exceptions::PyException;
use pyo3::prelude::*;

create_exception!(
    dpikit,
    DpikitError,
    PyException,
    "Base of every dpikit error; `.code` (int) and `.name` (str) are stable, the message is not."
);
create_exception!(
    dpikit,
    KeyMaterialError,
    DpikitError,
    "Core errors (1xxx): JSON intake, encodings, keys, DIDs, JWS, time."
);
create_exception!(dpikit, CredentialError, DpikitError, "Verifiable credential errors (2xxx).");
create_exception!(dpikit, ConsentError, DpikitError, "Consent errors (3xxx).");
create_exception!(dpikit, PaymentError, DpikitError, "Payment errors (4xxx).");
create_exception!(dpikit, ExchangeError, DpikitError, "Data exchange errors (5xxx).");

/// An error of a dpikit crate: something with a stable [`ErrorCode`].
pub(crate) trait Coded: Display {
    /// The error's stable code.
    fn error_code(&self) -> ErrorCode;
}

impl Coded for dpikit_core::CoreError {
    fn error_code(&self) -> ErrorCode {
        self.code()
    }
}

impl Coded for dpikit_credentials::CredentialError {
    fn error_code(&self) -> ErrorCode {
        self.code()
    }
}

impl Coded for dpikit_consent::ConsentError {
    fn error_code(&self) -> ErrorCode {
        self.code()
    }
}

impl Coded for dpikit_payments::PaymentError {
    fn error_code(&self) -> ErrorCode {
        self.code()
    }
}

impl Coded for dpikit_exchange::ExchangeError {
    fn error_code(&self) -> ErrorCode {
        self.code()
    }
}

/// Builds the exception for `code`: the subclass of its band, with `.code` and `.name` set.
pub(crate) fn raise(code: ErrorCode, message: impl Into<String>) -> PyErr {
    let message = message.into();
    let err = match code.value() / 1000 {
        1 => KeyMaterialError::new_err(message),
        2 => CredentialError::new_err(message),
        3 => ConsentError::new_err(message),
        4 => PaymentError::new_err(message),
        5 => ExchangeError::new_err(message),
        _ => DpikitError::new_err(message),
    };
    Python::attach(|py| {
        let value = err.value(py);
        value.setattr("code", code.value()).and_then(|()| value.setattr("name", code.name()))
    })
    .map_or_else(|e| e, |()| err)
}

/// Maps a dpikit error to its Python exception.
pub(crate) fn to_py<E: Coded>(e: E) -> PyErr {
    raise(e.error_code(), e.to_string())
}

/// An `invalid_argument` (9005) error for a Python argument of the wrong shape.
pub(crate) fn invalid_argument(message: impl Into<String>) -> PyErr {
    raise(ErrorCode::InvalidArgument, message)
}

/// Returns `{code: name}` for every stable error code.
#[pyfunction]
fn error_codes() -> BTreeMap<u32, &'static str> {
    ErrorCode::ALL.iter().map(|c| (c.value(), c.name())).collect()
}

pub(crate) fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    let py = m.py();
    m.add("DpikitError", py.get_type::<DpikitError>())?;
    m.add("KeyMaterialError", py.get_type::<KeyMaterialError>())?;
    m.add("CredentialError", py.get_type::<CredentialError>())?;
    m.add("ConsentError", py.get_type::<ConsentError>())?;
    m.add("PaymentError", py.get_type::<PaymentError>())?;
    m.add("ExchangeError", py.get_type::<ExchangeError>())?;
    m.add_function(wrap_pyfunction!(error_codes, m)?)?;
    Ok(())
}
