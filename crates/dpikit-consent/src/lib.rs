//! dpikit-consent: consent records a city can prove, honour and exchange.
//!
//! - [`model`]: [`model::ConsentRecord`], aligned with ISO/IEC TS 27560.
//! - [`lifecycle`]: the state machine; expiry is evaluated before every transition.
//! - [`check`]: access decisions with a reason code.
//! - [`receipt`]: signed receipts (compact JWS over JCS) that anyone can verify.
//! - [`ledger`]: a hash-chained, checkpointed ledger on memory or SQLite.
//! - [`formats`]: Kantara CR 1.1, ReBIT AA 2.1.0, DPV/ISO 27560 and GovStack mappings.
#![forbid(unsafe_code)]

pub mod check;
pub mod error;
pub mod formats;
pub mod ledger;
pub mod lifecycle;
pub mod model;
pub mod receipt;

pub use error::{ConsentError, Result};

/// The README's examples, compiled and run as doctests.
#[cfg(doctest)]
#[doc = include_str!("../README.md")]
struct ReadmeDoctests;
