//! Bitstring Status List v1.0: revocation, suspension and status messages for credentials.
//!
//! A status list is a bitstring of at least 131 072 bits (16 KiB), GZIP-compressed and
//! encoded as multibase base64url (`u…`) in a `BitstringStatusListCredential`. Each
//! credential carries a `BitstringStatusListEntry` naming the list and its index; the
//! left-most bit of the bitstring is index 0.

use std::io::{Read, Write};

use flate2::Compression;
use flate2::read::GzDecoder;
use flate2::write::GzEncoder;
use serde_json::{Map, Value, json};

use dpikit_core::encoding::{b64url_decode, b64url_encode};

use crate::model::{Credential, CredentialBuilder};
use crate::{CredentialError, Result};

/// The smallest bitstring allowed: 131 072 bits (16 KiB), for herd privacy.
pub const MIN_BITS: usize = 131_072;
/// The largest decoded bitstring accepted: 16 MiB (a zip-bomb bound).
pub const MAX_DECODED_BYTES: usize = 16 << 20;
/// The largest `encodedList` text accepted: 4 MiB.
pub const MAX_ENCODED_LEN: usize = 4 << 20;

/// The purpose of a status list.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum StatusPurpose {
    /// Permanent cancellation.
    Revocation,
    /// Temporary suspension.
    Suspension,
    /// A status message chosen by the issuer (`statusSize` bits per entry).
    Message,
    /// A signal that a fresh credential is available.
    Refresh,
}

impl StatusPurpose {
    /// Returns the `statusPurpose` value.
    #[must_use]
    pub const fn as_str(self) -> &'static str {
        match self {
            StatusPurpose::Revocation => "revocation",
            StatusPurpose::Suspension => "suspension",
            StatusPurpose::Message => "message",
            StatusPurpose::Refresh => "refresh",
        }
    }

    /// Parses a `statusPurpose` value.
    ///
    /// # Errors
    ///
    /// [`CredentialError::StatusListInvalid`] for an unknown purpose.
    pub fn parse(s: &str) -> Result<Self> {
        match s {
            "revocation" => Ok(StatusPurpose::Revocation),
            "suspension" => Ok(StatusPurpose::Suspension),
            "message" => Ok(StatusPurpose::Message),
            "refresh" => Ok(StatusPurpose::Refresh),
            other => {
                Err(CredentialError::StatusListInvalid(format!("unknown statusPurpose {other:?}")))
            }
        }
    }
}

/// A decoded status list: entries of `status_size` bits each.
///
/// # Examples
///
/// ```
/// use dpikit_credentials::status::StatusList;
///
/// let mut list = StatusList::new(1)?;
/// list.set(94_567, 1)?;
/// let encoded = list.encode()?;
/// let back = StatusList::decode(&encoded, 1)?;
/// assert_eq!(back.get(94_567)?, 1);
/// assert_eq!(back.get(94_566)?, 0);
/// # Ok::<(), dpikit_credentials::CredentialError>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StatusList {
    bytes: Vec<u8>,
    status_size: u8,
}

fn invalid(m: impl Into<String>) -> CredentialError {
    CredentialError::StatusListInvalid(m.into())
}

impl StatusList {
    /// Creates an all-zero list of the minimum size (131 072 bits) with `status_size` bits
    /// per entry (1 for revocation and suspension; 1–8 for messages).
    ///
    /// # Errors
    ///
    /// [`CredentialError::StatusListInvalid`] for a status size outside 1–8.
    pub fn new(status_size: u8) -> Result<Self> {
        Self::with_entries(MIN_BITS, status_size)
    }

    /// Creates an all-zero list with room for at least `entries` entries (and never fewer
    /// than 131 072 bits).
    ///
    /// # Errors
    ///
    /// [`CredentialError::StatusListInvalid`] for a status size outside 1–8 or a list larger
    /// than 16 MiB.
    pub fn with_entries(entries: usize, status_size: u8) -> Result<Self> {
        if !(1..=8).contains(&status_size) {
            return Err(invalid(format!("statusSize {status_size} is outside 1..=8")));
        }
        let bits = entries.saturating_mul(usize::from(status_size)).max(MIN_BITS);
        let bytes = bits.div_ceil(8);
        if bytes > MAX_DECODED_BYTES {
            return Err(invalid("status list larger than 16 MiB"));
        }
        Ok(StatusList { bytes: vec![0; bytes], status_size })
    }

    /// Returns the number of entries.
    #[must_use]
    pub fn len(&self) -> u64 {
        (self.bytes.len() as u64 * 8) / u64::from(self.status_size)
    }

    /// Returns whether the list has no entries (never true for a valid list).
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Returns the bits per entry.
    #[must_use]
    pub fn status_size(&self) -> u8 {
        self.status_size
    }

    fn check_index(&self, index: u64) -> Result<u64> {
        if index >= self.len() {
            return Err(CredentialError::StatusIndexOutOfRange { index, size: self.len() });
        }
        Ok(index * u64::from(self.status_size))
    }

    fn bit(&self, pos: u64) -> u8 {
        let byte = usize::try_from(pos / 8).map_or(0, |i| self.bytes.get(i).copied().unwrap_or(0));
        (byte >> (7 - (pos % 8))) & 1
    }

    fn set_bit(&mut self, pos: u64, on: bool) {
        let Ok(i) = usize::try_from(pos / 8) else { return };
        if let Some(b) = self.bytes.get_mut(i) {
            let mask = 1u8 << (7 - (pos % 8));
            if on {
                *b |= mask;
            } else {
                *b &= !mask;
            }
        }
    }

    /// Returns the value of entry `index` (most significant bit first).
    ///
    /// # Errors
    ///
    /// [`CredentialError::StatusIndexOutOfRange`].
    pub fn get(&self, index: u64) -> Result<u8> {
        let start = self.check_index(index)?;
        Ok((0..u64::from(self.status_size)).fold(0u8, |acc, k| (acc << 1) | self.bit(start + k)))
    }

    /// Sets entry `index` to `value`.
    ///
    /// # Errors
    ///
    /// [`CredentialError::StatusIndexOutOfRange`], or
    /// [`CredentialError::StatusListInvalid`] if `value` does not fit in the status size.
    pub fn set(&mut self, index: u64, value: u8) -> Result<()> {
        let start = self.check_index(index)?;
        if u16::from(value) >= 1u16 << self.status_size {
            return Err(invalid(format!(
                "value {value} does not fit in {} bits",
                self.status_size
            )));
        }
        for k in 0..u64::from(self.status_size) {
            let shift = u64::from(self.status_size) - 1 - k;
            self.set_bit(start + k, (value >> shift) & 1 == 1);
        }
        Ok(())
    }

    /// Clears entry `index` (sets it to 0).
    ///
    /// # Errors
    ///
    /// [`CredentialError::StatusIndexOutOfRange`].
    pub fn clear(&mut self, index: u64) -> Result<()> {
        self.set(index, 0)
    }

    /// Encodes the list as `encodedList`: multibase base64url (`u`) of the GZIP bitstring.
    ///
    /// # Errors
    ///
    /// [`CredentialError::StatusListInvalid`] if compression fails (it does not in memory).
    pub fn encode(&self) -> Result<String> {
        let mut gz = GzEncoder::new(Vec::new(), Compression::best());
        gz.write_all(&self.bytes).map_err(|e| invalid(e.to_string()))?;
        let compressed = gz.finish().map_err(|e| invalid(e.to_string()))?;
        Ok(format!("u{}", b64url_encode(&compressed)))
    }

    /// Decodes an `encodedList` (multibase `u` base64url, GZIP), bounding the decoded size.
    ///
    /// # Errors
    ///
    /// [`CredentialError::StatusListInvalid`] for a wrong multibase prefix, bad base64url or
    /// GZIP, a list under 131 072 bits or over 16 MiB, or a bad status size.
    pub fn decode(encoded: &str, status_size: u8) -> Result<Self> {
        if encoded.len() > MAX_ENCODED_LEN {
            return Err(invalid("encodedList longer than 4 MiB"));
        }
        let b64 = encoded
            .strip_prefix('u')
            .ok_or_else(|| invalid("encodedList must be multibase base64url ('u' prefix)"))?;
        // Issuers in the wild sometimes pad; padding carries no information.
        let compressed = b64url_decode(b64.trim_end_matches('='))
            .map_err(|e| invalid(format!("encodedList: {e}")))?;
        let mut bytes = Vec::new();
        GzDecoder::new(compressed.as_slice())
            .take(MAX_DECODED_BYTES as u64 + 1)
            .read_to_end(&mut bytes)
            .map_err(|e| invalid(format!("encodedList GZIP: {e}")))?;
        if bytes.len() > MAX_DECODED_BYTES {
            return Err(invalid("decoded status list larger than 16 MiB"));
        }
        if bytes.len() * 8 < MIN_BITS {
            return Err(invalid(format!(
                "status list of {} bits is under 131072",
                bytes.len() * 8
            )));
        }
        if !(1..=8).contains(&status_size) {
            return Err(invalid(format!("statusSize {status_size} is outside 1..=8")));
        }
        Ok(StatusList { bytes, status_size })
    }

    /// Allocates a random unused index, marking it used in `allocated` (a set the issuer
    /// keeps). Random allocation gives residents herd privacy.
    ///
    /// # Errors
    ///
    /// [`CredentialError::StatusListInvalid`] when the list is full or the OS RNG fails.
    pub fn allocate(&self, allocated: &mut std::collections::BTreeSet<u64>) -> Result<u64> {
        let len = self.len();
        if allocated.len() as u64 >= len {
            return Err(invalid("status list is full"));
        }
        loop {
            let mut buf = [0u8; 8];
            getrandom::fill(&mut buf).map_err(|_| invalid("OS RNG failed"))?;
            let index = u64::from_le_bytes(buf) % len;
            if allocated.insert(index) {
                return Ok(index);
            }
        }
    }

    /// Reads the list, its purpose, id and issuer back from a `BitstringStatusListCredential`
    /// (as made by [`StatusList::to_credential`]), to update and re-issue it.
    ///
    /// The credential's proof is not checked here; verify it first when it comes from
    /// elsewhere.
    ///
    /// # Errors
    ///
    /// [`CredentialError::StatusListInvalid`] when it does not carry one well-formed
    /// `BitstringStatusList` subject; decoding errors of [`StatusList::decode`].
    ///
    /// # Examples
    ///
    /// ```
    /// use dpikit_credentials::status::{StatusList, StatusPurpose};
    /// let mut list = StatusList::new(1)?;
    /// list.set(42, 1)?;
    /// let vc = list.to_credential("https://city.example/status/1", "did:web:city.example",
    ///     StatusPurpose::Revocation)?.to_value();
    /// let (back, purpose) = StatusList::from_credential(&vc)?;
    /// assert_eq!((back.get(42)?, purpose), (1, StatusPurpose::Revocation));
    /// # Ok::<(), dpikit_credentials::CredentialError>(())
    /// ```
    pub fn from_credential(list_credential: &Value) -> Result<(Self, StatusPurpose)> {
        let subject = list_subject(list_credential)?;
        let purpose = match subject.get("statusPurpose") {
            Some(Value::String(p)) => StatusPurpose::parse(p)?,
            _ => return Err(invalid("list has no single statusPurpose")),
        };
        let encoded = subject
            .get("encodedList")
            .and_then(Value::as_str)
            .ok_or_else(|| invalid("list has no encodedList"))?;
        Ok((StatusList::decode(encoded, status_size(subject)?)?, purpose))
    }

    /// Builds an unsigned `BitstringStatusListCredential` carrying this list; sign it with
    /// [`crate::di::add_proof`] or as a `vc+jwt`.
    ///
    /// # Errors
    ///
    /// [`CredentialError::MalformedCredential`] for a bad id or issuer.
    pub fn to_credential(
        &self,
        id: &str,
        issuer: &str,
        purpose: StatusPurpose,
    ) -> Result<Credential> {
        let mut subject = json!({
            "id": format!("{id}#list"),
            "type": "BitstringStatusList",
            "statusPurpose": purpose.as_str(),
            "encodedList": self.encode()?,
        });
        if self.status_size != 1 {
            subject["statusSize"] = json!(self.status_size);
        }
        CredentialBuilder::new(issuer)
            .id(id)
            .add_type("BitstringStatusListCredential")
            .subject(subject)
            .build()
    }
}

/// Builds a `BitstringStatusListEntry` for a credential's `credentialStatus`.
///
/// # Examples
///
/// ```
/// use dpikit_credentials::status::{status_entry, StatusPurpose};
/// let e = status_entry("https://city.example/status/3", 94567, StatusPurpose::Revocation);
/// assert_eq!(e["statusListIndex"], "94567");
/// ```
#[must_use]
pub fn status_entry(list_credential: &str, index: u64, purpose: StatusPurpose) -> Value {
    json!({
        "id": format!("{list_credential}#{index}"),
        "type": "BitstringStatusListEntry",
        "statusPurpose": purpose.as_str(),
        "statusListIndex": index.to_string(),
        "statusListCredential": list_credential,
    })
}

/// A credential's status entry, read from `credentialStatus`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StatusEntry {
    /// The purpose.
    pub purpose: StatusPurpose,
    /// The index in the list.
    pub index: u64,
    /// The URL of the status list credential.
    pub list_credential: String,
    /// Bits per entry.
    pub status_size: u8,
}

impl StatusEntry {
    /// Reads a `BitstringStatusListEntry`; `Ok(None)` for other status types.
    ///
    /// # Errors
    ///
    /// [`CredentialError::StatusListInvalid`] for a malformed entry.
    pub fn from_value(entry: &Value) -> Result<Option<Self>> {
        let Value::Object(map) = entry else {
            return Err(invalid("credentialStatus entry is not an object"));
        };
        if map.get("type").and_then(Value::as_str) != Some("BitstringStatusListEntry") {
            return Ok(None);
        }
        let s = |k: &str| {
            map.get(k)
                .and_then(Value::as_str)
                .ok_or_else(|| invalid(format!("entry has no string {k}")))
        };
        let index_text = s("statusListIndex")?;
        let index = if index_text.len() <= 20 && index_text.bytes().all(|b| b.is_ascii_digit()) {
            index_text.parse::<u64>().map_err(|e| invalid(format!("statusListIndex: {e}")))?
        } else {
            return Err(invalid("statusListIndex must be a decimal string"));
        };
        Ok(Some(StatusEntry {
            purpose: StatusPurpose::parse(s("statusPurpose")?)?,
            index,
            list_credential: s("statusListCredential")?.to_owned(),
            status_size: status_size(map)?,
        }))
    }
}

/// The one `BitstringStatusList` subject of a status list credential.
fn list_subject(list_credential: &Value) -> Result<&Map<String, Value>> {
    let subject = match list_credential.get("credentialSubject") {
        Some(Value::Array(items)) if items.len() == 1 => &items[0],
        Some(s @ Value::Object(_)) => s,
        _ => return Err(invalid("list credential must have one credentialSubject")),
    };
    let Value::Object(subject) = subject else {
        return Err(invalid("credentialSubject is not an object"));
    };
    if subject.get("type").and_then(Value::as_str) != Some("BitstringStatusList") {
        return Err(invalid("credentialSubject.type must be BitstringStatusList"));
    }
    Ok(subject)
}

fn status_size(map: &Map<String, Value>) -> Result<u8> {
    match map.get("statusSize") {
        None => Ok(1),
        Some(v) => v
            .as_u64()
            .and_then(|n| u8::try_from(n).ok())
            .filter(|n| (1..=8).contains(n))
            .ok_or_else(|| invalid("statusSize must be an integer in 1..=8")),
    }
}

/// The status of a credential in one list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StatusValue {
    /// The purpose.
    pub purpose: StatusPurpose,
    /// The index.
    pub index: u64,
    /// The entry's value (0 = not set).
    pub value: u8,
}

/// Checks a credential's status entry against a status list credential (whose proof the
/// caller has verified).
///
/// # Errors
///
/// [`CredentialError::Revoked`] / [`CredentialError::Suspended`] when the bit is set;
/// [`CredentialError::StatusListMismatch`] when the list credential is not the one named or
/// its purpose differs; [`CredentialError::StatusListInvalid`] and
/// [`CredentialError::StatusIndexOutOfRange`] for malformed lists and indexes.
pub fn check_status(entry: &StatusEntry, list_credential: &Value) -> Result<StatusValue> {
    let id = list_credential.get("id").and_then(Value::as_str);
    if id != Some(entry.list_credential.as_str()) {
        return Err(CredentialError::StatusListMismatch(format!(
            "entry names {} but the list credential is {}",
            entry.list_credential,
            id.unwrap_or("(no id)")
        )));
    }
    let subject = list_subject(list_credential)?;
    let purposes: Vec<&str> = match subject.get("statusPurpose") {
        Some(Value::String(p)) => vec![p.as_str()],
        Some(Value::Array(items)) => items.iter().filter_map(Value::as_str).collect(),
        _ => return Err(invalid("list has no statusPurpose")),
    };
    if !purposes.contains(&entry.purpose.as_str()) {
        return Err(CredentialError::StatusListMismatch(format!(
            "list purpose {purposes:?} does not include {}",
            entry.purpose.as_str()
        )));
    }
    let encoded = subject
        .get("encodedList")
        .and_then(Value::as_str)
        .ok_or_else(|| invalid("list has no encodedList"))?;
    let list = StatusList::decode(encoded, status_size(subject)?.max(entry.status_size))?;
    let value = list.get(entry.index)?;
    match (entry.purpose, value) {
        (StatusPurpose::Revocation, v) if v != 0 => Err(CredentialError::Revoked {
            list: entry.list_credential.clone(),
            index: entry.index,
        }),
        (StatusPurpose::Suspension, v) if v != 0 => Err(CredentialError::Suspended {
            list: entry.list_credential.clone(),
            index: entry.index,
        }),
        (purpose, value) => Ok(StatusValue { purpose, index: entry.index, value }),
    }
}
