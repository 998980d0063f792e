//! Byte encodings used across dpikit: base64url (RFC 4648 §5, no padding), multibase
//! base58btc (`z…`) with multicodec varint prefixes, and hex.

use crate::{CoreError, Result};
use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;

/// Encodes bytes as unpadded base64url (RFC 4648 §5), as JOSE uses it.
///
/// # Examples
///
/// ```
/// assert_eq!(dpikit_core::encoding::b64url_encode(b"hi"), "aGk");
/// ```
#[must_use]
pub fn b64url_encode(bytes: &[u8]) -> String {
    URL_SAFE_NO_PAD.encode(bytes)
}

/// Decodes unpadded base64url strictly: no padding, no whitespace, no non-zero trailing bits.
///
/// # Errors
///
/// [`CoreError::InvalidBase64`] for any other input.
///
/// # Examples
///
/// ```
/// use dpikit_core::encoding::b64url_decode;
/// assert_eq!(b64url_decode("aGk").unwrap(), b"hi");
/// assert!(b64url_decode("aGk=").is_err());
/// assert!(b64url_decode("aGl").is_err()); // non-canonical trailing bits
/// ```
pub fn b64url_decode(text: &str) -> Result<Vec<u8>> {
    URL_SAFE_NO_PAD.decode(text.as_bytes()).map_err(|e| CoreError::InvalidBase64(e.to_string()))
}

/// A multicodec code that dpikit understands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Multicodec {
    /// Ed25519 public key (`0xed`, varint `ed 01`).
    Ed25519Pub,
    /// Ed25519 private key seed (`0x1300`, varint `80 26`).
    Ed25519Priv,
    /// P-256 compressed public key (`0x1200`, varint `80 24`).
    P256Pub,
    /// P-256 private key (`0x1306`, varint `86 26`).
    P256Priv,
}

impl Multicodec {
    const ALL: [Multicodec; 4] = [
        Multicodec::Ed25519Pub,
        Multicodec::Ed25519Priv,
        Multicodec::P256Pub,
        Multicodec::P256Priv,
    ];

    /// Returns the unsigned-varint prefix bytes of this codec.
    #[must_use]
    pub const fn prefix(self) -> &'static [u8] {
        match self {
            Multicodec::Ed25519Pub => &[0xed, 0x01],
            Multicodec::Ed25519Priv => &[0x80, 0x26],
            Multicodec::P256Pub => &[0x80, 0x24],
            Multicodec::P256Priv => &[0x86, 0x26],
        }
    }

    /// Returns the length in bytes of the key material that follows the prefix.
    #[must_use]
    pub const fn key_len(self) -> usize {
        match self {
            Multicodec::Ed25519Pub | Multicodec::Ed25519Priv | Multicodec::P256Priv => 32,
            Multicodec::P256Pub => 33,
        }
    }
}

/// Maximum length of multibase text accepted (well above any key dpikit handles).
const MAX_MULTIBASE_LEN: usize = 4096;

/// Encodes bytes as multibase base58btc (`z` + base58btc).
///
/// # Examples
///
/// ```
/// assert_eq!(dpikit_core::encoding::multibase_encode(&[0, 1]), "z12");
/// ```
#[must_use]
pub fn multibase_encode(bytes: &[u8]) -> String {
    let mut out = String::with_capacity(1 + bytes.len() * 138 / 100 + 1);
    out.push('z');
    out.push_str(&bs58::encode(bytes).into_string());
    out
}

/// Decodes multibase base58btc text (`z…`); other bases are rejected.
///
/// # Errors
///
/// [`CoreError::InvalidMultibase`] for a missing `z`, a non-base58 character, or text longer
/// than 4096 characters.
///
/// # Examples
///
/// ```
/// assert_eq!(dpikit_core::encoding::multibase_decode("z12").unwrap(), vec![0, 1]);
/// ```
pub fn multibase_decode(text: &str) -> Result<Vec<u8>> {
    if text.len() > MAX_MULTIBASE_LEN {
        return Err(CoreError::InvalidMultibase("text too long".into()));
    }
    let rest = text.strip_prefix('z').ok_or_else(|| {
        CoreError::InvalidMultibase("only base58btc ('z' prefix) is supported".into())
    })?;
    bs58::decode(rest).into_vec().map_err(|e| CoreError::InvalidMultibase(e.to_string()))
}

/// Encodes key bytes as a Multikey value: multibase base58btc of multicodec prefix ‖ key.
///
/// # Examples
///
/// ```
/// use dpikit_core::encoding::{multikey_encode, Multicodec};
/// assert!(multikey_encode(Multicodec::Ed25519Pub, &[0u8; 32]).starts_with("z6Mk"));
/// ```
#[must_use]
pub fn multikey_encode(codec: Multicodec, key: &[u8]) -> String {
    let mut buf = Vec::with_capacity(codec.prefix().len() + key.len());
    buf.extend_from_slice(codec.prefix());
    buf.extend_from_slice(key);
    multibase_encode(&buf)
}

/// Decodes a Multikey value into its codec and key bytes, checking the key length.
///
/// The returned bytes may be secret (private-key codecs); the caller zeroizes them.
///
/// # Errors
///
/// [`CoreError::InvalidMultibase`] for bad multibase text, [`CoreError::UnsupportedMulticodec`]
/// for an unknown prefix, [`CoreError::InvalidKey`] for a wrong key length.
pub fn multikey_decode(text: &str) -> Result<(Multicodec, zeroize::Zeroizing<Vec<u8>>)> {
    let bytes = zeroize::Zeroizing::new(multibase_decode(text)?);
    let codec =
        Multicodec::ALL.into_iter().find(|c| bytes.starts_with(c.prefix())).ok_or_else(|| {
            let head: Vec<String> = bytes.iter().take(2).map(|b| format!("{b:02x}")).collect();
            CoreError::UnsupportedMulticodec(format!("prefix {}", head.join(" ")))
        })?;
    let key = &bytes[codec.prefix().len()..];
    if key.len() != codec.key_len() {
        return Err(CoreError::InvalidKey(format!(
            "{codec:?} key is {} bytes, expected {}",
            key.len(),
            codec.key_len()
        )));
    }
    Ok((codec, zeroize::Zeroizing::new(key.to_vec())))
}

/// Encodes bytes as lowercase hex.
///
/// # Examples
///
/// ```
/// assert_eq!(dpikit_core::encoding::hex_encode(&[0xab, 1]), "ab01");
/// ```
#[must_use]
pub fn hex_encode(bytes: &[u8]) -> String {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    let mut out = String::with_capacity(bytes.len() * 2);
    for b in bytes {
        out.push(char::from(DIGITS[usize::from(b >> 4)]));
        out.push(char::from(DIGITS[usize::from(b & 0x0f)]));
    }
    out
}

/// Decodes hex text (either case, even length).
///
/// # Errors
///
/// [`CoreError::InvalidHex`] for odd length or a non-hex character.
///
/// # Examples
///
/// ```
/// assert_eq!(dpikit_core::encoding::hex_decode("AB01").unwrap(), vec![0xab, 1]);
/// ```
pub fn hex_decode(text: &str) -> Result<Vec<u8>> {
    fn nibble(c: u8) -> Option<u8> {
        match c {
            b'0'..=b'9' => Some(c - b'0'),
            b'a'..=b'f' => Some(c - b'a' + 10),
            b'A'..=b'F' => Some(c - b'A' + 10),
            _ => None,
        }
    }
    let bytes = text.as_bytes();
    if !bytes.len().is_multiple_of(2) {
        return Err(CoreError::InvalidHex("odd length".into()));
    }
    bytes
        .chunks_exact(2)
        .map(|pair| match (nibble(pair[0]), nibble(pair[1])) {
            (Some(hi), Some(lo)) => Ok(hi << 4 | lo),
            _ => Err(CoreError::InvalidHex("non-hex character".into())),
        })
        .collect()
}
