//! dpikit: building blocks for city Digital Public Infrastructure.
//!
//! A city that issues a resident a credential, records that resident's consent, pays a
//! subsidy and exchanges a service record can do every step with dpikit, offline and
//! verifiably. This facade re-exports the building blocks; each sits behind a cargo feature
//! of its own (all on by default).
//!
//! | module | crate | status |
//! |--------|-------|--------|
//! | [`keys`], [`did`], [`jcs`], [`jws`], [`json`], [`time`], [`encoding`] | `dpikit-core` | available |
//! | [`credentials`] | `dpikit-credentials` (feature `credentials`) | available |
//! | [`consent`] | `dpikit-consent` (feature `consent`) | available |
//! | [`payments`] | `dpikit-payments` (feature `payments`) | available |
//! | [`exchange`] | `dpikit-exchange` (feature `exchange`) | available |
//!
//! # Examples
//!
//! ```
//! use dpikit::keys::{KeyPair, KeyType};
//! use dpikit::did::{Resolver, StaticResolver};
//! use dpikit::jws::{self, SignOptions, VerifyOptions, WithKeyId};
//!
//! // The city's issuing key and its did:key.
//! let key = KeyPair::generate(KeyType::Ed25519)?;
//! let kid = dpikit::did::did_key_verification_method(&key.public_key());
//!
//! // Sign a record; anyone verifies it offline from the kid alone.
//! let signer = WithKeyId { signer: key, kid };
//! let token = jws::sign(br#"{"service":"bus-pass"}"#, &signer, &SignOptions::default())?;
//! let header = jws::decode(&token, jws::DEFAULT_MAX_TOKEN_BYTES)?.header;
//! let (_vm, public) = StaticResolver::new().resolve_key(header.kid.as_deref().unwrap_or_default())?;
//! let verified = jws::verify(&token, &public, &VerifyOptions::default())?;
//! assert_eq!(verified.payload, br#"{"service":"bus-pass"}"#);
//! # Ok::<(), dpikit::CoreError>(())
//! ```
#![forbid(unsafe_code)]

#[cfg(feature = "credentials")]
#[doc(inline)]
pub use dpikit_credentials as credentials;

#[cfg(feature = "consent")]
#[doc(inline)]
pub use dpikit_consent as consent;

#[cfg(feature = "payments")]
#[doc(inline)]
pub use dpikit_payments as payments;

#[cfg(feature = "exchange")]
#[doc(inline)]
pub use dpikit_exchange as exchange;

#[doc(inline)]
pub use dpikit_core::{
    Algorithm, CoreError, ErrorCode, KeyPair, Limits, PublicKey, did, encoding, error, jcs, json,
    jws, keys, parse_json, time,
};

/// The README's examples, compiled and run as doctests.
#[cfg(doctest)]
#[doc = include_str!("../README.md")]
struct ReadmeDoctests;
