//! ISO 20022 payment messages, exact money and validation for dpikit.
//!
//! - [`iso`]: typed models (generated from the XSDs) for pain.001.001.09, pain.002.001.10,
//!   pacs.008.001.08, pacs.002.001.10, pacs.004.001.09, camt.053.001.08, camt.054.001.08 and
//!   head.001.001.02; parsing of a bare
//!   `Document`, an `AppHdr` + `Document` pair, or either inside an envelope; serialisation
//!   with the right namespaces. Unknown elements are an error unless parsing is lenient.
//! - [`money`]: one exact decimal [`money::Amount`], ISO 4217 [`money::Currency`] with minor
//!   units, and per-format encoders (ISO 20022, Mojaloop, G2P Connect, GovStack) that refuse
//!   lossy conversion.
//! - [`xml`]: hardened XML intake (size and depth limits, no DOCTYPE or entities).
//! - [`validate`]: XSD facets and business rules as a list of [`Finding`]s, with pluggable
//!   scheme rules ([`validate::CbprPlus`]).
//!
//! # Examples
//!
//! ```
//! use dpikit_core::ErrorCode;
//! use dpikit_payments::{iso, validate};
//!
//! let xml = r#"<Document xmlns="urn:iso:std:iso:20022:tech:xsd:pacs.002.001.10">
//!   <FIToFIPmtStsRpt><GrpHdr><MsgId>M1</MsgId><CreDtTm>2026-13-01</CreDtTm></GrpHdr>
//!   </FIToFIPmtStsRpt></Document>"#;
//! let parsed = iso::parse(xml.as_bytes(), &iso::ParseOptions::default())?;
//! let findings = validate::validate(&parsed.message);
//! assert_eq!(findings[0].code, ErrorCode::FacetViolation);
//! assert_eq!(findings[0].location, "/Document/FIToFIPmtStsRpt/GrpHdr/CreDtTm");
//! # Ok::<(), dpikit_payments::PaymentError>(())
//! ```
#![forbid(unsafe_code)]

pub mod bulk;
mod error;
pub mod iso;
pub mod mojaloop;
pub mod money;
pub mod reconcile;
pub mod validate;
pub mod xml;

/// The README's example, compiled as a doctest (it reads a file, so it is not run).
#[cfg(doctest)]
#[doc = include_str!("../README.md")]
struct ReadmeDoctests;

pub use error::PaymentError;
pub use validate::Finding;
