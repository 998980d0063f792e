//! The error type of dpikit-exchange.

use dpikit_consent::ConsentError;
use dpikit_core::{CoreError, ErrorCode};

use crate::registry::ValidationIssue;

/// An error from dpikit-exchange.
///
/// Each variant maps to one [`ErrorCode`] through [`ExchangeError::code`] (5xxx for this
/// crate's own failures; wrapped core and consent errors keep their codes); the message text
/// is for people and may change between releases.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[non_exhaustive]
pub enum ExchangeError {
    /// No schema with that `$id` (and version) is registered.
    #[error("schema not found: {0}")]
    SchemaNotFound(String),
    /// A schema document is malformed, lacks `$id`, or does not compile.
    #[error("invalid schema: {0}")]
    InvalidSchema(String),
    /// A `$ref` names a URI that is not in the registry; nothing is fetched.
    #[error("unresolved $ref {0:?}: not in the registry (dpikit never fetches schemas)")]
    UnresolvedRef(String),
    /// Another schema is already registered under this `$id` and version.
    #[error("a different schema is already registered as {0}")]
    DuplicateSchema(String),
    /// The instance does not validate; every issue is listed.
    #[error("validation failed with {} issue(s)", issues.len())]
    ValidationFailed {
        /// The validation issues.
        issues: Vec<ValidationIssue>,
    },
    /// An NGSI-LD entity is malformed.
    #[error("invalid NGSI-LD entity: {0}")]
    NgsiInvalid(String),
    /// A CSV file cannot be read.
    #[error("invalid CSV: {0}")]
    CsvInvalid(String),
    /// An envelope is malformed.
    #[error("malformed envelope: {0}")]
    MalformedEnvelope(String),
    /// An envelope's signature does not verify.
    #[error("envelope signature does not verify")]
    EnvelopeSignatureInvalid,
    /// An envelope is older than the accepted age.
    #[error("envelope expired: {0}")]
    EnvelopeExpired(String),
    /// An envelope's time lies in the future beyond the allowed skew.
    #[error("envelope not yet valid: {0}")]
    EnvelopeNotYetValid(String),
    /// Personal data is being sent without a consent reference.
    #[error("personal data requires a consent reference")]
    ConsentRequired,
    /// The cited consent does not allow this use now.
    #[error("consent denied ({reason}): {detail}")]
    ConsentDenied {
        /// The consent check's reason (a 3xxx code such as `consent_not_given`).
        reason: ErrorCode,
        /// Detail for people.
        detail: String,
    },
    /// A cited consent receipt does not verify or names another consent.
    #[error("consent receipt mismatch: {0}")]
    ConsentReceiptMismatch(String),
    /// A JWE is malformed or does not decrypt.
    #[error("invalid JWE: {0}")]
    JweInvalid(String),
    /// The JWE algorithm, encryption or curve is not supported.
    #[error("unsupported JWE: {0}")]
    UnsupportedJwe(String),
    /// An X-Road identifier or header value is malformed.
    #[error("invalid X-Road identifier: {0}")]
    InvalidXRoadId(String),
    /// A pseudonym key is too short or has an empty purpose.
    #[error("invalid pseudonym key: {0}")]
    InvalidPseudonymKey(String),
    /// An error from dpikit-core (JSON intake, JWS, keys, time).
    #[error(transparent)]
    Core(#[from] CoreError),
    /// An error from dpikit-consent (receipts, records).
    #[error(transparent)]
    Consent(#[from] ConsentError),
}

impl ExchangeError {
    /// Returns the stable error code of this error.
    ///
    /// # Examples
    ///
    /// ```
    /// use dpikit_core::ErrorCode;
    /// use dpikit_exchange::ExchangeError;
    ///
    /// assert_eq!(ExchangeError::ConsentRequired.code(), ErrorCode::ConsentRequired);
    /// ```
    #[must_use]
    pub fn code(&self) -> ErrorCode {
        match self {
            Self::SchemaNotFound(_) => ErrorCode::SchemaNotFound,
            Self::InvalidSchema(_) => ErrorCode::InvalidSchema,
            Self::UnresolvedRef(_) => ErrorCode::UnresolvedRef,
            Self::DuplicateSchema(_) => ErrorCode::DuplicateSchema,
            Self::ValidationFailed { .. } => ErrorCode::ValidationFailed,
            Self::NgsiInvalid(_) => ErrorCode::NgsiInvalid,
            Self::CsvInvalid(_) => ErrorCode::CsvInvalid,
            Self::MalformedEnvelope(_) => ErrorCode::MalformedEnvelope,
            Self::EnvelopeSignatureInvalid => ErrorCode::EnvelopeSignatureInvalid,
            Self::EnvelopeExpired(_) => ErrorCode::EnvelopeExpired,
            Self::EnvelopeNotYetValid(_) => ErrorCode::EnvelopeNotYetValid,
            Self::ConsentRequired => ErrorCode::ConsentRequired,
            Self::ConsentDenied { .. } => ErrorCode::ConsentDenied,
            Self::ConsentReceiptMismatch(_) => ErrorCode::ConsentReceiptMismatch,
            Self::JweInvalid(_) => ErrorCode::JweInvalid,
            Self::UnsupportedJwe(_) => ErrorCode::UnsupportedJwe,
            Self::InvalidXRoadId(_) => ErrorCode::InvalidXRoadId,
            Self::InvalidPseudonymKey(_) => ErrorCode::InvalidPseudonymKey,
            Self::Core(e) => e.code(),
            Self::Consent(e) => e.code(),
        }
    }
}

/// A `Result` whose error is [`ExchangeError`].
pub type Result<T, E = ExchangeError> = core::result::Result<T, E>;
