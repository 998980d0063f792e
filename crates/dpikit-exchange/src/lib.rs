//! dpikit-exchange: records that cross agency boundaries, with a schema, a signature and a
//! consent.
//!
//! - [`registry`]: an offline, versioned JSON Schema 2020-12 [`Registry`]; `$ref` resolves
//!   only from the registry, never from the network.
//! - [`schemas`]: dpikit's own schemas (`ResidentRecord`, `ServiceRequest`, `SubsidyClaim`,
//!   `PaymentInstruction`, `PaymentStatus`, `ConsentReference`, `SensorObservation`).
//! - [`ngsi`]: NGSI-LD normalized ⇄ keyValues, driven by the schema's attribute kinds, and
//!   GeoJSON output.
//! - [`csv_import`]: CSV rows → entities with a per-row validation report.
//! - [`envelope`]: signed CloudEvents 1.0 envelopes, consent-gated with [`envelope::seal`].
//! - `jwe` (feature `jwe`): encrypted envelopes, ECDH-ES+A256KW with A256GCM.
//! - [`xroad`]: `X-Road-Client`, `X-Road-Service`, `X-Road-Id` header values.
//! - [`pseudonym`]: keyed HMAC-SHA256 pseudonyms, one key per purpose.
//!
//! Nothing here touches the network.
#![forbid(unsafe_code)]

pub mod csv_import;
pub mod envelope;
pub mod error;
#[cfg(all(feature = "jwe", not(target_arch = "wasm32")))]
pub mod jwe;
pub mod ngsi;
pub mod pseudonym;
pub mod registry;
pub mod schemas;
pub mod xroad;

pub use error::{ExchangeError, Result};
pub use registry::{Registry, SchemaKey, ValidationIssue, ValidationReport};

/// The README's examples, compiled and run as doctests.
#[cfg(doctest)]
#[doc = include_str!("../README.md")]
struct ReadmeDoctests;
