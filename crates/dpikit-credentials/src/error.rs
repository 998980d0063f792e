//! The credentials error type.

use dpikit_core::{CoreError, ErrorCode};

/// An error from dpikit-credentials.
///
/// Each variant maps to one [`ErrorCode`] in the 2xxx band through
/// [`CredentialError::code`]; errors from the core keep their 1xxx code.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum CredentialError {
    /// An error from dpikit-core (JSON intake, keys, DIDs, JWS, time).
    #[error(transparent)]
    Core(#[from] CoreError),
    /// A credential or presentation is malformed.
    #[error("malformed credential: {0}")]
    MalformedCredential(String),
    /// A JSON-LD context is not in the context store.
    #[error(
        "unknown JSON-LD context {0:?} (dpikit never fetches contexts; add it to the ContextStore)"
    )]
    UnknownContext(String),
    /// A proof's `@context` is not a prefix of the document's.
    #[error("proof @context is not a prefix of the document @context")]
    ContextPrefixMismatch,
    /// JSON-LD processing failed.
    #[error("JSON-LD: {0}")]
    JsonLd(String),
    /// A member's name is defined by no context, so an RDF proof would not cover it.
    #[error("JSON-LD term {0:?} is not defined by any context (it would not be signed)")]
    UndefinedTerm(String),
    /// RDF canonicalization exceeded its work limit.
    #[error("RDF canonicalization exceeded its work limit: {0}")]
    CanonicalizationLimit(String),
    /// N-Quads text is malformed.
    #[error("invalid N-Quads: {0}")]
    InvalidNQuads(String),
    /// The document has no proof.
    #[error("the document has no proof")]
    ProofMissing,
    /// A proof's signature does not verify.
    #[error("proof signature does not verify")]
    ProofInvalid,
    /// A proof is malformed.
    #[error("malformed proof: {0}")]
    MalformedProof(String),
    /// The cryptosuite is not supported.
    #[error("unsupported cryptosuite: {0}")]
    UnsupportedCryptosuite(String),
    /// The proof purpose does not match, or the method is not authorised for it.
    #[error("proof purpose: {0}")]
    ProofPurposeMismatch(String),
    /// The challenge (nonce) does not match.
    #[error("challenge does not match")]
    ChallengeMismatch,
    /// The domain (audience) does not match.
    #[error("domain does not match")]
    DomainMismatch,
    /// The proof has expired.
    #[error("proof expired")]
    ProofExpired,
    /// The proof was created in the future.
    #[error("proof created in the future")]
    ProofNotYetValid,
    /// The verification method is not controlled by the issuer or holder.
    #[error("verification method {0:?} is not controlled by the issuer or holder")]
    VerificationMethodMismatch(String),
    /// JWT claims disagree with the credential.
    #[error("JWT claims: {0}")]
    JwtClaimsMismatch(String),
    /// The credential has expired.
    #[error("credential expired at {0}")]
    CredentialExpired(String),
    /// The credential is not yet valid.
    #[error("credential not valid before {0}")]
    CredentialNotYetValid(String),
    /// The credential is revoked.
    #[error("credential revoked (status list {list}, index {index})")]
    Revoked {
        /// The status list credential's URL.
        list: String,
        /// The credential's index in it.
        index: u64,
    },
    /// The credential is suspended.
    #[error("credential suspended (status list {list}, index {index})")]
    Suspended {
        /// The status list credential's URL.
        list: String,
        /// The credential's index in it.
        index: u64,
    },
    /// A status list or status entry is malformed.
    #[error("status list: {0}")]
    StatusListInvalid(String),
    /// A status index is outside the list.
    #[error("status index {index} is outside a list of {size} entries")]
    StatusIndexOutOfRange {
        /// The index.
        index: u64,
        /// The number of entries in the list.
        size: u64,
    },
    /// No matching status list credential was supplied.
    #[error("status list: {0}")]
    StatusListMismatch(String),
    /// The holder does not match.
    #[error("holder: {0}")]
    HolderMismatch(String),
    /// A caller-supplied schema check failed.
    #[error("schema: {0}")]
    SchemaInvalid(String),
    /// An SD-JWT is malformed.
    #[error("malformed SD-JWT: {0}")]
    MalformedSdJwt(String),
    /// A disclosure is malformed or sits where it does not fit.
    #[error("malformed disclosure: {0}")]
    MalformedDisclosure(String),
    /// The `_sd_alg` is not supported.
    #[error("unsupported _sd_alg {0:?} (only sha-256)")]
    UnsupportedSdAlg(String),
    /// A digest appears more than once in the payload.
    #[error("digest {0} appears more than once")]
    DuplicateDigest(String),
    /// The same disclosure is presented more than once.
    #[error("disclosure with digest {0} is presented more than once")]
    DuplicateDisclosure(String),
    /// A disclosure's digest is not referenced in the payload.
    #[error("disclosure with digest {0} is referenced nowhere in the payload")]
    DisclosureUnreferenced(String),
    /// Key binding is required but missing.
    #[error("key binding missing: {0}")]
    KeyBindingMissing(String),
    /// The KB-JWT is malformed or does not verify.
    #[error("key binding JWT invalid: {0}")]
    KeyBindingInvalid(String),
    /// The KB-JWT's `sd_hash` does not match the presentation.
    #[error("KB-JWT sd_hash does not match the presentation")]
    SdHashMismatch,
    /// The KB-JWT's `iat` is outside the accepted window.
    #[error("KB-JWT iat {0}")]
    KeyBindingStale(String),
    /// An SD-JWT VC breaks the SD-JWT VC rules.
    #[error("SD-JWT VC: {0}")]
    SdJwtVcInvalid(String),
    /// A payload does not fit one QR symbol.
    #[error(
        "QR payload of {size} characters exceeds the {capacity} characters of a version-40 symbol at EC level {level} by {over_by}"
    )]
    QrCapacityExceeded {
        /// Length of the QR text in characters.
        size: usize,
        /// The largest QR text that fits one symbol at this level.
        capacity: usize,
        /// `size - capacity`.
        over_by: usize,
        /// The error-correction level (`L`, `M`, `Q`, `H`).
        level: char,
    },
    /// QR text or image cannot be decoded.
    #[error("QR decode: {0}")]
    QrDecodeFailed(String),
    /// A QR image could not be rendered or read.
    #[error("QR image: {0}")]
    QrImageFailed(String),
}

impl CredentialError {
    /// Returns the stable [`ErrorCode`] of this error.
    #[must_use]
    pub fn code(&self) -> ErrorCode {
        match self {
            CredentialError::Core(e) => e.code(),
            CredentialError::MalformedCredential(_) => ErrorCode::MalformedCredential,
            CredentialError::UnknownContext(_) => ErrorCode::UnknownContext,
            CredentialError::ContextPrefixMismatch => ErrorCode::ContextPrefixMismatch,
            CredentialError::JsonLd(_) => ErrorCode::JsonLdError,
            CredentialError::UndefinedTerm(_) => ErrorCode::UndefinedTerm,
            CredentialError::CanonicalizationLimit(_) => ErrorCode::CanonicalizationLimit,
            CredentialError::InvalidNQuads(_) => ErrorCode::InvalidNQuads,
            CredentialError::ProofMissing => ErrorCode::ProofMissing,
            CredentialError::ProofInvalid => ErrorCode::ProofInvalid,
            CredentialError::MalformedProof(_) => ErrorCode::MalformedProof,
            CredentialError::UnsupportedCryptosuite(_) => ErrorCode::UnsupportedCryptosuite,
            CredentialError::ProofPurposeMismatch(_) => ErrorCode::ProofPurposeMismatch,
            CredentialError::ChallengeMismatch => ErrorCode::ChallengeMismatch,
            CredentialError::DomainMismatch => ErrorCode::DomainMismatch,
            CredentialError::ProofExpired => ErrorCode::ProofExpired,
            CredentialError::ProofNotYetValid => ErrorCode::ProofNotYetValid,
            CredentialError::VerificationMethodMismatch(_) => ErrorCode::VerificationMethodMismatch,
            CredentialError::JwtClaimsMismatch(_) => ErrorCode::JwtClaimsMismatch,
            CredentialError::CredentialExpired(_) => ErrorCode::CredentialExpired,
            CredentialError::CredentialNotYetValid(_) => ErrorCode::CredentialNotYetValid,
            CredentialError::Revoked { .. } => ErrorCode::Revoked,
            CredentialError::Suspended { .. } => ErrorCode::Suspended,
            CredentialError::StatusListInvalid(_) => ErrorCode::StatusListInvalid,
            CredentialError::StatusIndexOutOfRange { .. } => ErrorCode::StatusIndexOutOfRange,
            CredentialError::StatusListMismatch(_) => ErrorCode::StatusListMismatch,
            CredentialError::HolderMismatch(_) => ErrorCode::HolderMismatch,
            CredentialError::SchemaInvalid(_) => ErrorCode::SchemaInvalid,
            CredentialError::MalformedSdJwt(_) => ErrorCode::MalformedSdJwt,
            CredentialError::MalformedDisclosure(_) => ErrorCode::MalformedDisclosure,
            CredentialError::UnsupportedSdAlg(_) => ErrorCode::UnsupportedSdAlg,
            CredentialError::DuplicateDigest(_) => ErrorCode::DuplicateDigest,
            CredentialError::DuplicateDisclosure(_) => ErrorCode::DuplicateDisclosure,
            CredentialError::DisclosureUnreferenced(_) => ErrorCode::DisclosureUnreferenced,
            CredentialError::KeyBindingMissing(_) => ErrorCode::KeyBindingMissing,
            CredentialError::KeyBindingInvalid(_) => ErrorCode::KeyBindingInvalid,
            CredentialError::SdHashMismatch => ErrorCode::SdHashMismatch,
            CredentialError::KeyBindingStale(_) => ErrorCode::KeyBindingStale,
            CredentialError::SdJwtVcInvalid(_) => ErrorCode::SdJwtVcInvalid,
            CredentialError::QrCapacityExceeded { .. } => ErrorCode::QrCapacityExceeded,
            CredentialError::QrDecodeFailed(_) => ErrorCode::QrDecodeFailed,
            CredentialError::QrImageFailed(_) => ErrorCode::QrImageFailed,
        }
    }
}

/// A `Result` whose error is [`CredentialError`].
pub type Result<T, E = CredentialError> = core::result::Result<T, E>;
