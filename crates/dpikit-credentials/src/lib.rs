//! dpikit-credentials: W3C Verifiable Credentials 2.0 for cities.
#![forbid(unsafe_code)]

pub mod error;
pub mod rdf;

pub use error::{CredentialError, Result};
