//! Signed consent receipts: a compact JWS (EdDSA or ES256) over the JCS bytes of the
//! receipt, or a W3C Verifiable Credential of type `ConsentReceiptCredential`.
//!
//! Verification checks the signature over the bytes exactly as signed, then parses them;
//! nothing is re-serialised before it is verified.

use serde::{Deserialize, Serialize};
use serde_json::{Value, json};
use sha2::{Digest, Sha256};

use dpikit_core::ErrorCode;
use dpikit_core::encoding::hex_encode;
use dpikit_core::jcs;
use dpikit_core::json::parse_json;
use dpikit_core::jws::{self, SignOptions, Signer, Verifier, VerifyOptions};
use dpikit_core::time::{Timestamp, format_rfc3339};
use dpikit_credentials::model::{Credential, CredentialBuilder};

use crate::model::{CONSENT_LIMITS, ConsentRecord};
use crate::{ConsentError, Result};

/// The receipt format written by this crate.
pub const RECEIPT_VERSION: &str = "dpikit-consent-receipt/1";
/// The JWS `typ` of a signed receipt.
pub const RECEIPT_TYP: &str = "consent-receipt+jws";

/// A consent receipt: a snapshot of the record, its hash, and when the receipt was made.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Receipt {
    /// The receipt format.
    pub receipt_version: String,
    /// The receipt's identifier.
    pub id: String,
    /// When the receipt was created (RFC 3339).
    pub created: String,
    /// The consent record as it stood.
    pub record: ConsentRecord,
    /// SHA-256 of the JCS bytes of `record`, lowercase hex.
    pub record_hash: String,
}

/// Returns SHA-256 of the JCS bytes of a record, lowercase hex.
///
/// # Errors
///
/// JCS errors (numbers beyond I-JSON range in extensions).
pub fn record_hash(record: &ConsentRecord) -> Result<String> {
    Ok(hex_encode(&Sha256::digest(jcs::canonicalize(&record.to_value())?)))
}

impl Receipt {
    /// Makes a receipt for `record` as it stands at `at`.
    ///
    /// # Errors
    ///
    /// [`ConsentError::MalformedConsent`] for an invalid record; JCS errors.
    pub fn new(record: &ConsentRecord, id: impl Into<String>, at: Timestamp) -> Result<Self> {
        record.validate()?;
        Ok(Receipt {
            receipt_version: RECEIPT_VERSION.to_owned(),
            id: id.into(),
            created: format_rfc3339(&at),
            record: record.clone(),
            record_hash: record_hash(record)?,
        })
    }

    /// Returns the JCS bytes that are signed.
    ///
    /// # Errors
    ///
    /// JCS errors.
    pub fn canonical_bytes(&self) -> Result<Vec<u8>> {
        let value = serde_json::to_value(self)
            .map_err(|e| ConsentError::MalformedReceipt(e.to_string()))?;
        Ok(jcs::canonicalize(&value)?)
    }

    /// Signs the receipt: a compact JWS over its JCS bytes, `typ` `consent-receipt+jws`.
    ///
    /// # Errors
    ///
    /// JCS and signer errors.
    ///
    /// # Examples
    ///
    /// ```
    /// use dpikit_consent::model::{Code, ConsentRecord, Party, Purpose, Scheme};
    /// use dpikit_consent::receipt::{Receipt, verify_receipt};
    /// use dpikit_core::keys::{KeyPair, KeyType};
    /// use dpikit_core::time::parse_rfc3339;
    ///
    /// let mut r = ConsentRecord::request("c-1", "did:example:ana", Party::new("did:web:city.example", "City"),
    ///     Purpose::new(Code::new(Scheme::Local, "benefits"), "Benefits eligibility"));
    /// let t = parse_rfc3339("2026-03-01T09:00:00Z")?;
    /// r.give(t, "did:example:ana")?;
    /// let key = KeyPair::generate(KeyType::Ed25519)?;
    /// let token = Receipt::new(&r, "urn:uuid:r-1", t)?.sign(&key)?;
    /// let verified = verify_receipt(&token, &key.public_key())?;
    /// assert_eq!(verified.receipt.record, r);
    /// # Ok::<(), dpikit_consent::ConsentError>(())
    /// ```
    pub fn sign(&self, signer: &dyn Signer) -> Result<String> {
        let opts = SignOptions { typ: Some(RECEIPT_TYP.to_owned()), ..SignOptions::default() };
        Ok(jws::sign(&self.canonical_bytes()?, signer, &opts)?)
    }

    /// Returns an unsigned `ConsentReceiptCredential` whose subject is the principal and
    /// carries this receipt; sign it with dpikit-credentials (Data Integrity or `vc+jwt`).
    ///
    /// # Errors
    ///
    /// [`ConsentError::MalformedReceipt`] if the credential cannot be built.
    pub fn to_credential(&self, issuer: &str) -> Result<Credential> {
        let receipt = serde_json::to_value(self)
            .map_err(|e| ConsentError::MalformedReceipt(e.to_string()))?;
        CredentialBuilder::new(issuer)
            .id(self.id.clone())
            .add_type("ConsentReceiptCredential")
            .valid_from_str(self.created.clone())
            .subject(json!({"id": self.record.principal, "consentReceipt": receipt}))
            .build()
            .map_err(|e| ConsentError::MalformedReceipt(e.to_string()))
    }
}

/// A receipt whose signature verified, with the exact bytes that were signed.
#[derive(Debug, Clone, PartialEq)]
pub struct VerifiedReceipt {
    /// The receipt.
    pub receipt: Receipt,
    /// The signed payload bytes.
    pub payload: Vec<u8>,
    /// The JWS header's key id, if any.
    pub kid: Option<String>,
}

/// Verifies a signed receipt, then parses the signed bytes and checks the record hash.
///
/// # Errors
///
/// Core JWS errors (malformed, `alg: none`, alg/key mismatch);
/// [`ConsentError::ReceiptInvalid`] when the signature does not verify or the record hash
/// does not match; [`ConsentError::MalformedReceipt`] for a wrong `typ` or shape.
pub fn verify_receipt(token: &str, verifier: &dyn Verifier) -> Result<VerifiedReceipt> {
    let verified =
        jws::verify(token, verifier, &VerifyOptions::default()).map_err(|e| match e.code() {
            ErrorCode::InvalidSignature => ConsentError::ReceiptInvalid,
            _ => ConsentError::Core(e),
        })?;
    if verified.header.typ.as_deref() != Some(RECEIPT_TYP) {
        return Err(ConsentError::MalformedReceipt(format!("typ must be {RECEIPT_TYP}")));
    }
    let value: Value = parse_json(&verified.payload, &CONSENT_LIMITS)?;
    let receipt: Receipt =
        serde_json::from_value(value).map_err(|e| ConsentError::MalformedReceipt(e.to_string()))?;
    if receipt.receipt_version != RECEIPT_VERSION {
        return Err(ConsentError::MalformedReceipt(format!(
            "unknown receipt version {}",
            receipt.receipt_version
        )));
    }
    if record_hash(&receipt.record)? != receipt.record_hash {
        return Err(ConsentError::ReceiptInvalid);
    }
    Ok(VerifiedReceipt { receipt, payload: verified.payload, kid: verified.header.kid })
}
