//! The error type of dpikit-payments.

use dpikit_core::{CoreError, ErrorCode};

/// An error from dpikit-payments.
///
/// Each variant maps to one [`ErrorCode`] in the 4xxx band through [`PaymentError::code`];
/// the message text is for people and may change between releases.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum PaymentError {
    /// The message is not well-formed XML or does not match the typed model.
    #[error("malformed message: {0}")]
    MalformedMessage(String),
    /// The message holds an element the model does not know (strict mode).
    #[error("unknown element at {0}")]
    UnknownElement(String),
    /// The message type or version is not supported.
    #[error("unsupported message: {0}")]
    UnsupportedMessage(String),
    /// The XML uses a forbidden construct (DOCTYPE, ENTITY, too large or too deep).
    #[error("forbidden XML: {0}")]
    XmlForbidden(String),
    /// An amount cannot be represented exactly in the requested format.
    #[error("invalid amount: {0}")]
    InvalidAmount(String),
    /// A currency code is not an ISO 4217 code.
    #[error("unknown currency {0:?}")]
    UnknownCurrency(String),
    /// An IBAN fails its format or mod-97 check.
    #[error("invalid IBAN: {0}")]
    InvalidIban(String),
    /// A BIC does not match the ISO 9362 pattern.
    #[error("invalid BIC: {0}")]
    InvalidBic(String),
    /// A control sum differs from the sum of the amounts.
    #[error("control sum mismatch: {0}")]
    ControlSumMismatch(String),
    /// A number of transactions differs from the count of transactions.
    #[error("number of transactions mismatch: {0}")]
    NumberOfTxsMismatch(String),
    /// An identifier that must be unique appears twice.
    #[error("duplicate identifier: {0}")]
    DuplicateId(String),
    /// A UETR is not a lowercase UUIDv4.
    #[error("invalid UETR: {0}")]
    InvalidUetr(String),
    /// A value breaks an XSD facet (length, pattern, enumeration, digits, occurrence).
    #[error("facet violation: {0}")]
    FacetViolation(String),
    /// The business application header disagrees with the document.
    #[error("header mismatch: {0}")]
    HeaderMismatch(String),
    /// A market-practice (scheme) rule is broken.
    #[error("scheme rule violation: {0}")]
    SchemeRuleViolation(String),
    /// An expiry is not after the creation time.
    #[error("expiry before creation: {0}")]
    ExpiryBeforeCreation(String),
    /// A Mojaloop FSPIOP body is invalid (shape, identifier, amount or field value).
    #[error("invalid Mojaloop body: {0}")]
    MojaloopInvalid(String),
    /// An ILP packet is malformed (OER encoding, lengths, base64url).
    #[error("invalid ILP packet: {0}")]
    IlpInvalid(String),
    /// An ILP fulfilment does not hash to its condition.
    #[error("condition mismatch: {0}")]
    ConditionMismatch(String),
    /// A quote or transfer has expired.
    #[error("expired: {0}")]
    TransferExpired(String),
    /// A bulk-payment input row or file is invalid.
    #[error("invalid bulk row: {0}")]
    BulkRowInvalid(String),
    /// A status report does not match the batch it reconciles.
    #[error("reconciliation mismatch: {0}")]
    ReconciliationMismatch(String),
    /// A bulk-payment batch or its configuration is invalid as a whole.
    #[error("invalid batch: {0}")]
    BatchInvalid(String),
    /// An error from dpikit-core.
    #[error(transparent)]
    Core(#[from] CoreError),
}

impl PaymentError {
    /// Returns the stable error code of this error.
    ///
    /// # Examples
    ///
    /// ```
    /// use dpikit_core::ErrorCode;
    /// use dpikit_payments::PaymentError;
    ///
    /// let err = PaymentError::InvalidIban("GB00".into());
    /// assert_eq!(err.code(), ErrorCode::InvalidIban);
    /// ```
    #[must_use]
    pub fn code(&self) -> ErrorCode {
        match self {
            Self::MalformedMessage(_) => ErrorCode::MalformedMessage,
            Self::UnknownElement(_) => ErrorCode::UnknownElement,
            Self::UnsupportedMessage(_) => ErrorCode::UnsupportedMessage,
            Self::XmlForbidden(_) => ErrorCode::XmlForbidden,
            Self::InvalidAmount(_) => ErrorCode::InvalidAmount,
            Self::UnknownCurrency(_) => ErrorCode::UnknownCurrency,
            Self::InvalidIban(_) => ErrorCode::InvalidIban,
            Self::InvalidBic(_) => ErrorCode::InvalidBic,
            Self::ControlSumMismatch(_) => ErrorCode::ControlSumMismatch,
            Self::NumberOfTxsMismatch(_) => ErrorCode::NumberOfTxsMismatch,
            Self::DuplicateId(_) => ErrorCode::DuplicateId,
            Self::InvalidUetr(_) => ErrorCode::InvalidUetr,
            Self::FacetViolation(_) => ErrorCode::FacetViolation,
            Self::HeaderMismatch(_) => ErrorCode::HeaderMismatch,
            Self::SchemeRuleViolation(_) => ErrorCode::SchemeRuleViolation,
            Self::ExpiryBeforeCreation(_) => ErrorCode::ExpiryBeforeCreation,
            Self::MojaloopInvalid(_) => ErrorCode::MojaloopInvalid,
            Self::IlpInvalid(_) => ErrorCode::IlpInvalid,
            Self::ConditionMismatch(_) => ErrorCode::ConditionMismatch,
            Self::TransferExpired(_) => ErrorCode::TransferExpired,
            Self::BulkRowInvalid(_) => ErrorCode::BulkRowInvalid,
            Self::ReconciliationMismatch(_) => ErrorCode::ReconciliationMismatch,
            Self::BatchInvalid(_) => ErrorCode::BatchInvalid,
            Self::Core(e) => e.code(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_in_the_payments_band() {
        let all = [
            PaymentError::MalformedMessage(String::new()),
            PaymentError::UnknownElement(String::new()),
            PaymentError::UnsupportedMessage(String::new()),
            PaymentError::XmlForbidden(String::new()),
            PaymentError::InvalidAmount(String::new()),
            PaymentError::UnknownCurrency(String::new()),
            PaymentError::InvalidIban(String::new()),
            PaymentError::InvalidBic(String::new()),
            PaymentError::ControlSumMismatch(String::new()),
            PaymentError::NumberOfTxsMismatch(String::new()),
            PaymentError::DuplicateId(String::new()),
            PaymentError::InvalidUetr(String::new()),
            PaymentError::FacetViolation(String::new()),
            PaymentError::HeaderMismatch(String::new()),
            PaymentError::SchemeRuleViolation(String::new()),
            PaymentError::ExpiryBeforeCreation(String::new()),
            PaymentError::MojaloopInvalid(String::new()),
            PaymentError::IlpInvalid(String::new()),
            PaymentError::ConditionMismatch(String::new()),
            PaymentError::TransferExpired(String::new()),
            PaymentError::BulkRowInvalid(String::new()),
            PaymentError::ReconciliationMismatch(String::new()),
            PaymentError::BatchInvalid(String::new()),
        ];
        let mut seen = std::collections::HashSet::new();
        for e in &all {
            let v = e.code().value();
            assert!((4000..5000).contains(&v), "{e:?}");
            assert!(seen.insert(v), "duplicate {v}");
        }
    }
}
