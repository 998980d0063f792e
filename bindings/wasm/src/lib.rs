//! dpikit-wasm: the WebAssembly binding of dpikit, published to npm as `dpikit`.
//!
//! Conversion code only: each export converts its JavaScript arguments (JSON text, plain
//! objects, `Uint8Array`), calls the core crates, and maps their errors to a real JS `Error`
//! whose `code` (number) and `name` (the code's stable snake_case name) come from
//! [`dpikit_core::ErrorCode`]. Names are camelCase for JavaScript (`verifyCredential`).
//!
//! The credentials-only build (`--no-default-features`) has keys, JWS, JCS, credentials in
//! the JCS and JOSE suites, SD-JWT and QR text; the default build adds the RDFC suites
//! (JSON-LD), consent (with an in-memory ledger), payments and exchange.
//! No WASM build has SQLite or JWE (native code), and nothing here touches the network.

// wasm-bindgen hands `Option<String>` arguments over by value, and the error mappers are
// used as `map_err(to_js)`; borrowing instead is not possible in those signatures.
#![allow(clippy::needless_pass_by_value)]

mod conv;
mod credentials;
mod errors;
mod keys;

#[cfg(feature = "consent")]
mod consent;
#[cfg(feature = "exchange")]
mod exchange;
#[cfg(feature = "payments")]
mod payments;

pub use credentials::*;
pub use errors::error_codes;
pub use keys::*;

#[cfg(feature = "consent")]
pub use consent::*;
#[cfg(feature = "exchange")]
pub use exchange::*;
#[cfg(feature = "payments")]
pub use payments::*;

use wasm_bindgen::prelude::*;

/// The package version (the Rust crates' version).
#[wasm_bindgen]
#[must_use]
pub fn version() -> String {
    env!("CARGO_PKG_VERSION").to_owned()
}

/// The building blocks compiled into this module: `credentials` always, then `consent`,
/// `payments` and `exchange` in the full build.
#[wasm_bindgen]
#[must_use]
pub fn features() -> Vec<String> {
    let mut out = vec!["credentials".to_owned()];
    if cfg!(feature = "rdfc") {
        out.push("rdfc".to_owned());
    }
    if cfg!(feature = "consent") {
        out.push("consent".to_owned());
    }
    if cfg!(feature = "payments") {
        out.push("payments".to_owned());
    }
    if cfg!(feature = "exchange") {
        out.push("exchange".to_owned());
    }
    out
}
