//! dpikit-py: the Python binding of dpikit, the `dpikit._dpikit` extension module.
//!
//! Conversion code only: each function converts its arguments, calls the core crates and
//! maps their errors to `dpikit.DpikitError` subclasses carrying the stable `.code` and
//! `.name`. The public Python modules (`dpikit.keys`, `dpikit.credentials`,
//! `dpikit.consent`, `dpikit.payments`, `dpikit.exchange`) re-export these names; see `python/dpikit/_dpikit.pyi` for the types.
//!
//! The GIL is released (`Python::detach`) around signing, verification, canonicalisation,
//! ledger I/O and batch work.

// pyo3 hands `PyRef`, `Vec` and error arguments over by value; borrowing them instead is
// not possible in `#[pyfunction]` signatures.
#![allow(clippy::needless_pass_by_value)]

mod alloc;
mod consent;
mod conv;
mod credentials;
mod errors;
mod exchange;
mod keys;
mod payments;

use pyo3::prelude::*;

/// The extension's Rust allocations go to mimalloc (see Cargo.toml and `alloc.rs`).
#[global_allocator]
static ALLOCATOR: alloc::MiMalloc = alloc::MiMalloc;

/// The `dpikit._dpikit` extension module.
#[pymodule]
fn _dpikit(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add("__version__", env!("CARGO_PKG_VERSION"))?;
    errors::register(m)?;
    keys::register(m)?;
    credentials::register(m)?;
    consent::register(m)?;
    payments::register(m)?;
    exchange::register(m)?;
    Ok(())
}
