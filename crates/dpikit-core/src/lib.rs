//! dpikit-core: the foundation every dpikit building block stands on.
//!
//! - [`keys`]: Ed25519 and P-256 key pairs; JWK (RFC 7517/8037) with RFC 7638 thumbprints;
//!   Multikey; secrets zeroized on drop and never printed.
//! - [`did`]: did:key and did:jwk, offline, and a [`did::Resolver`] trait with a
//!   [`did::StaticResolver`] for caller-supplied documents (did:web offline).
//! - [`jcs`]: RFC 8785 JSON Canonicalization Scheme.
//! - [`jws`]: RFC 7515 compact JWS with EdDSA and ES256, detached and unencoded (RFC 7797)
//!   payloads, behind [`jws::Signer`] / [`jws::Verifier`] traits.
//! - [`json`]: [`json::parse_json`], the bounded JSON intake every crate uses.
//! - [`time`]: RFC 3339 timestamps and an injectable [`time::Clock`].
//! - [`error`]: the shared [`ErrorCode`] and [`CoreError`].
//!
//! dpikit has no network code: everything here works offline.
#![forbid(unsafe_code)]

pub mod did;
pub mod encoding;
pub mod error;
pub mod jcs;
pub mod json;
pub mod jws;
pub mod keys;
pub mod time;

pub use error::{CoreError, ErrorCode, Result};
pub use json::{Limits, parse_json};
pub use keys::{Algorithm, KeyPair, PublicKey};

/// The README's examples, compiled and run as doctests.
#[cfg(doctest)]
#[doc = include_str!("../README.md")]
struct ReadmeDoctests;
