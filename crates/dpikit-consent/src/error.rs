//! The consent error type.

use dpikit_core::{CoreError, ErrorCode};

/// An error from dpikit-consent.
///
/// Each variant maps to one [`ErrorCode`] in the 3xxx band through [`ConsentError::code`];
/// errors from the core keep their 1xxx code.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum ConsentError {
    /// An error from dpikit-core (JSON intake, keys, JWS, JCS, time).
    #[error(transparent)]
    Core(#[from] CoreError),
    /// A consent record is malformed.
    #[error("malformed consent record: {0}")]
    MalformedConsent(String),
    /// The lifecycle transition is not allowed.
    #[error("illegal transition from {from} to {to}")]
    IllegalTransition {
        /// The record's state.
        from: String,
        /// The requested state.
        to: String,
    },
    /// The consent has expired.
    #[error("consent expired at {0}")]
    ConsentExpired(String),
    /// No consent record with this id is known (e.g. on the ledger).
    #[error("no consent record {0}")]
    NotFound(String),
    /// A signed receipt does not verify.
    #[error("consent receipt signature does not verify")]
    ReceiptInvalid,
    /// A receipt is malformed.
    #[error("malformed consent receipt: {0}")]
    MalformedReceipt(String),
    /// A ledger entry does not match its hash or its predecessor.
    #[error("ledger tampered at entry {seq}: {reason}")]
    LedgerTampered {
        /// The sequence number of the first bad entry.
        seq: u64,
        /// What does not match.
        reason: String,
    },
    /// A ledger entry is missing.
    #[error("ledger entry {0} is missing")]
    LedgerEntryMissing(u64),
    /// A ledger checkpoint does not verify.
    #[error("ledger checkpoint at entry {0} does not verify")]
    LedgerCheckpointInvalid(u64),
    /// The ledger's storage failed.
    #[error("ledger storage: {0}")]
    LedgerStorage(String),
    /// A document in an external format cannot be imported.
    #[error("cannot import {format}: {reason}")]
    ImportFailed {
        /// The source format.
        format: &'static str,
        /// Why.
        reason: String,
    },
    /// An exported document does not conform to its schema.
    #[error("exported {format} does not conform: {reason}")]
    ExportInvalid {
        /// The target format.
        format: &'static str,
        /// Why.
        reason: String,
    },
    /// An integrity check of an imported record failed.
    #[error("integrity: {0}")]
    Integrity(String),
}

impl ConsentError {
    /// Returns the stable [`ErrorCode`] of this error.
    #[must_use]
    pub fn code(&self) -> ErrorCode {
        match self {
            ConsentError::Core(e) => e.code(),
            ConsentError::MalformedConsent(_) => ErrorCode::MalformedConsent,
            ConsentError::IllegalTransition { .. } => ErrorCode::IllegalTransition,
            ConsentError::ConsentExpired(_) => ErrorCode::ConsentExpired,
            ConsentError::NotFound(_) => ErrorCode::ConsentNotFound,
            ConsentError::ReceiptInvalid => ErrorCode::ReceiptInvalid,
            ConsentError::MalformedReceipt(_) => ErrorCode::MalformedReceipt,
            ConsentError::LedgerTampered { .. } => ErrorCode::LedgerTampered,
            ConsentError::LedgerEntryMissing(_) => ErrorCode::LedgerEntryMissing,
            ConsentError::LedgerCheckpointInvalid(_) => ErrorCode::LedgerCheckpointInvalid,
            ConsentError::LedgerStorage(_) => ErrorCode::LedgerStorage,
            ConsentError::ImportFailed { .. } => ErrorCode::ConsentImportFailed,
            ConsentError::ExportInvalid { .. } => ErrorCode::ConsentExportInvalid,
            ConsentError::Integrity(_) => ErrorCode::ConsentIntegrity,
        }
    }
}

/// A `Result` whose error is [`ConsentError`].
pub type Result<T, E = ConsentError> = core::result::Result<T, E>;
