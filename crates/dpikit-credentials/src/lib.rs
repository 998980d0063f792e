//! dpikit-credentials: W3C Verifiable Credentials 2.0 for cities, verified offline.
//!
//! A city issues a resident a credential (residency, age, income band, an entitlement), the
//! resident presents it, any service verifies it with no network, and the city can revoke it.
//!
//! - [`model`]: the VC Data Model 2.0 ([`model::Credential`], [`model::Presentation`],
//!   [`model::CredentialBuilder`]); VC 1.1 dates accepted on verify.
//! - [`di`]: Data Integrity proofs with the `eddsa-jcs-2022` and `eddsa-rdfc-2022`
//!   cryptosuites behind one [`di::Cryptosuite`] trait; proof sets, purposes, challenge
//!   and domain.
//! - [`jose`]: VC-JOSE-COSE `vc+jwt` / `vp+jwt` (EdDSA, ES256), VC 1.1 JWTs on verify.
//! - [`sdjwt`]: SD-JWT (RFC 9901) and SD-JWT VC with key binding.
//! - [`qr`]: credentials as QR codes in the PixelPass scheme (CBOR, zlib, base45), SVG and
//!   PNG, [`qr::verify_qr`].
//! - [`status`]: Bitstring Status List v1.0 (revocation, suspension, messages).
//! - [`verify`]: the [`verify::Verifier`], producing a [`report::VerificationReport`] that
//!   lists every check with its error code.
//! - [`jsonld`], [`rdf`], [`rdfc`]: offline JSON-LD to RDF with bundled contexts, and
//!   RDFC-1.0 canonicalization.
//!
//! # Examples
//!
//! ```
//! use dpikit_core::did::{did_key, did_key_verification_method};
//! use dpikit_core::jws::WithKeyId;
//! use dpikit_core::keys::{KeyPair, KeyType};
//! use dpikit_credentials::di::{add_proof, ProofOptions};
//! use dpikit_credentials::jsonld::ContextStore;
//! use dpikit_credentials::model::CredentialBuilder;
//! use dpikit_credentials::verify::Verifier;
//! use serde_json::json;
//!
//! // The city's issuing key, as a did:key.
//! let key = KeyPair::generate(KeyType::Ed25519)?;
//! let city = did_key(&key.public_key());
//! let signer = WithKeyId { kid: did_key_verification_method(&key.public_key()), signer: key };
//!
//! // Issue a residency credential with an eddsa-jcs-2022 proof.
//! let vc = CredentialBuilder::new(&city)
//!     .add_type("ResidencyCredential")
//!     .subject(json!({"id": "did:example:resident-1024", "residentOf": "Springfield"}))
//!     .build()?;
//! let signed = add_proof(&vc.to_value(), &signer, &ProofOptions::assertion("eddsa-jcs-2022"), &ContextStore::new())?;
//!
//! // Any service verifies it offline.
//! let report = Verifier::new().verify_credential(&signed);
//! assert!(report.verified);
//!
//! // A change to any claim breaks the proof, with its own error code.
//! let mut forged = signed.clone();
//! forged["credentialSubject"]["residentOf"] = json!("Shelbyville");
//! let report = Verifier::new().verify_credential(&forged);
//! assert!(report.has_error(dpikit_core::ErrorCode::ProofInvalid));
//! # Ok::<(), dpikit_credentials::CredentialError>(())
//! ```
#![forbid(unsafe_code)]

pub mod di;
pub mod error;
pub mod jose;
pub mod jsonld;
pub mod model;
pub mod qr;
pub mod rdf;
pub mod rdfc;
pub mod report;
pub mod sdjwt;
pub mod status;
pub mod verify;

pub use error::{CredentialError, Result};
pub use report::VerificationReport;
pub use verify::Verifier;

/// The README's examples, compiled and run as doctests.
#[cfg(doctest)]
#[doc = include_str!("../README.md")]
struct ReadmeDoctests;

/// docs/credentials.md's examples, compiled and run as doctests.
#[cfg(doctest)]
#[doc = include_str!("../../../docs/credentials.md")]
struct CredentialsGuideDoctests;

/// docs/qr.md's examples, compiled and run as doctests.
#[cfg(doctest)]
#[doc = include_str!("../../../docs/qr.md")]
struct QrGuideDoctests;
