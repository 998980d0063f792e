//! dpikit-credentials: W3C Verifiable Credentials 2.0 for cities.
#![forbid(unsafe_code)]

pub mod di;
pub mod error;
pub mod jose;
pub mod jsonld;
pub mod model;
pub mod rdf;
pub mod rdfc;
pub mod report;
pub mod status;
pub mod verify;

pub use error::{CredentialError, Result};
