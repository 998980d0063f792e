//! Keyed pseudonyms: HMAC-SHA256 of an identifier under a key held per purpose.
//!
//! Two agencies get the same pseudonym for a resident only when they hold the same purpose
//! key, so records link where a purpose is shared and nowhere else. The purpose is also
//! bound into the MAC input, so one key reused for two purposes still gives unrelated
//! pseudonyms. Keys are zeroized on drop and never printed.

use core::fmt;

use hmac::{Hmac, KeyInit, Mac};
use sha2::Sha256;
use zeroize::Zeroizing;

use dpikit_core::encoding::b64url_encode;

use crate::{ExchangeError, Result};

/// The shortest key accepted: 32 bytes.
pub const MIN_KEY_BYTES: usize = 32;
/// The longest purpose accepted: 256 bytes.
pub const MAX_PURPOSE_BYTES: usize = 256;

/// A pseudonymisation key for one purpose.
///
/// # Examples
///
/// ```
/// use dpikit_exchange::pseudonym::PseudonymKey;
///
/// let housing = PseudonymKey::new("housing-subsidy", &[7; 32])?;
/// let p = housing.pseudonym("PT-123456789");
/// assert_eq!(p, housing.pseudonym("PT-123456789"));
/// assert!(p.starts_with("psn:"));
/// let transport = PseudonymKey::new("transport-pass", &[7; 32])?;
/// assert_ne!(p, transport.pseudonym("PT-123456789"));
/// assert!(!format!("{housing:?}").contains("7, 7"));
/// # Ok::<(), dpikit_exchange::ExchangeError>(())
/// ```
pub struct PseudonymKey {
    purpose: String,
    key: Zeroizing<Vec<u8>>,
}

impl PseudonymKey {
    /// Creates a key for `purpose` from secret bytes (at least [`MIN_KEY_BYTES`]).
    ///
    /// # Errors
    ///
    /// [`ExchangeError::InvalidPseudonymKey`] for a short key or an empty or over-long
    /// purpose.
    pub fn new(purpose: impl Into<String>, key: &[u8]) -> Result<Self> {
        let purpose = purpose.into();
        if purpose.is_empty() || purpose.len() > MAX_PURPOSE_BYTES {
            return Err(ExchangeError::InvalidPseudonymKey(format!(
                "the purpose must be 1 to {MAX_PURPOSE_BYTES} bytes"
            )));
        }
        if key.len() < MIN_KEY_BYTES {
            return Err(ExchangeError::InvalidPseudonymKey(format!(
                "the key must be at least {MIN_KEY_BYTES} bytes"
            )));
        }
        Ok(PseudonymKey { purpose, key: Zeroizing::new(key.to_vec()) })
    }

    /// Generates a random 32-byte key for `purpose`.
    ///
    /// # Errors
    ///
    /// As [`PseudonymKey::new`]; [`dpikit_core::CoreError::RandomnessUnavailable`].
    pub fn generate(purpose: impl Into<String>) -> Result<Self> {
        let mut key = Zeroizing::new([0_u8; MIN_KEY_BYTES]);
        getrandom::fill(key.as_mut_slice())
            .map_err(|_| dpikit_core::CoreError::RandomnessUnavailable)?;
        Self::new(purpose, key.as_slice())
    }

    /// Returns the purpose this key is for.
    #[must_use]
    pub fn purpose(&self) -> &str {
        &self.purpose
    }

    /// Returns the pseudonym of `identifier`: `psn:` and the base64url HMAC-SHA256 of
    /// the purpose's length (4 bytes, big-endian), the purpose and the identifier.
    #[must_use]
    pub fn pseudonym(&self, identifier: &str) -> String {
        // HMAC accepts keys of any length; the constructor already checked ours.
        let Ok(mut mac) = <Hmac<Sha256> as KeyInit>::new_from_slice(&self.key) else {
            return String::new();
        };
        let len = u32::try_from(self.purpose.len()).unwrap_or(u32::MAX);
        mac.update(&len.to_be_bytes());
        mac.update(self.purpose.as_bytes());
        mac.update(identifier.as_bytes());
        format!("psn:{}", b64url_encode(&mac.finalize().into_bytes()))
    }
}

impl fmt::Debug for PseudonymKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("PseudonymKey")
            .field("purpose", &self.purpose)
            .field("key", &"<redacted>")
            .finish()
    }
}
