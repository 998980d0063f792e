//! Interledger v4 `Prepare` packets (OER), and the Mojaloop condition/fulfilment pair.
//!
//! Packet layout (RFC 0027 ILPv4): type `12`, an OER length prefix, then `amount` (uint64,
//! big-endian), `expiresAt` (17 ASCII digits `YYYYMMDDHHmmssSSS`, UTC), `executionCondition`
//! (32 bytes), `destination` (OER var-octet-string, an ILP address) and `data` (OER
//! var-octet-string, ≤ 32 767 bytes).
//!
//! Mojaloop FSPIOP API definition, listing 12: fulfilment = HMAC-SHA256(secret, ILP packet),
//! condition = SHA-256(fulfilment), both 32 bytes and written base64url without padding.

use hmac::{Hmac, KeyInit, Mac};
use sha2::{Digest, Sha256};

use crate::PaymentError;

/// ILP packet type of a `Prepare`.
pub const TYPE_PREPARE: u8 = 12;
/// The largest packet [`IlpPrepare::decode`] accepts (bytes).
pub const MAX_PACKET_BYTES: usize = 65_535;
/// The largest `data` field ILPv4 allows (bytes).
pub const MAX_DATA_BYTES: usize = 32_767;

/// An ILPv4 `Prepare` packet.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IlpPrepare {
    /// Amount in the ledger's minor units.
    pub amount: u64,
    /// Expiry as 17 ASCII digits `YYYYMMDDHHmmssSSS` (UTC).
    pub expires_at: String,
    /// SHA-256 condition.
    pub execution_condition: [u8; 32],
    /// Destination ILP address, e.g. `g.mojaloop.payee`.
    pub destination: String,
    /// Application data (in Mojaloop: the base64url of the transaction JSON).
    pub data: Vec<u8>,
}

fn bad(m: impl Into<String>) -> PaymentError {
    PaymentError::IlpInvalid(m.into())
}

fn write_len(out: &mut Vec<u8>, len: usize) {
    if len < 128 {
        // Fits in 7 bits.
        out.push(u8::try_from(len).unwrap_or(0));
    } else {
        let bytes = (len as u64).to_be_bytes();
        let skip = bytes.iter().take_while(|b| **b == 0).count();
        out.push(0x80 | u8::try_from(8 - skip).unwrap_or(8));
        out.extend_from_slice(&bytes[skip..]);
    }
}

struct Reader<'a> {
    buf: &'a [u8],
    pos: usize,
}

impl<'a> Reader<'a> {
    fn take(&mut self, n: usize, what: &str) -> Result<&'a [u8], PaymentError> {
        let end = self.pos.checked_add(n).filter(|e| *e <= self.buf.len());
        let end = end.ok_or_else(|| bad(format!("truncated in {what}")))?;
        let s = &self.buf[self.pos..end];
        self.pos = end;
        Ok(s)
    }

    fn len(&mut self, what: &str) -> Result<usize, PaymentError> {
        let first = self.take(1, what)?[0];
        if first < 0x80 {
            return Ok(usize::from(first));
        }
        let n = usize::from(first & 0x7f);
        if n == 0 || n > 4 {
            return Err(bad(format!("{what}: length of length {n} not supported")));
        }
        let bytes = self.take(n, what)?;
        if bytes[0] == 0 {
            return Err(bad(format!("{what}: non-canonical length (leading zero)")));
        }
        let len = bytes.iter().fold(0usize, |acc, b| (acc << 8) | usize::from(*b));
        if len < 128 {
            return Err(bad(format!("{what}: non-canonical length (long form below 128)")));
        }
        Ok(len)
    }

    fn var_octets(&mut self, what: &str) -> Result<&'a [u8], PaymentError> {
        let n = self.len(what)?;
        self.take(n, what)
    }
}

/// Returns `true` if `s` is an ILP address (RFC 0015): a known allocation scheme, then one
/// or more `.`-separated segments of `[A-Za-z0-9_~-]`, at most 1023 characters.
#[must_use]
pub fn is_ilp_address(s: &str) -> bool {
    const SCHEMES: [&str; 9] =
        ["g", "private", "example", "peer", "self", "test", "test1", "test2", "test3"];
    if s.is_empty() || s.len() > 1023 {
        return false;
    }
    let mut parts = s.split('.');
    let scheme_ok = parts.next().is_some_and(|p| SCHEMES.contains(&p) || p == "local");
    let mut n = 0;
    let segs_ok = parts.all(|p| {
        n += 1;
        !p.is_empty()
            && p.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'~' || b == b'-')
    });
    scheme_ok && segs_ok && n >= 1
}

fn expires_ok(s: &str) -> bool {
    s.len() == 17
        && s.bytes().all(|b| b.is_ascii_digit())
        && s[4..6].parse::<u32>().is_ok_and(|m| (1..=12).contains(&m))
        && s[6..8].parse::<u32>().is_ok_and(|d| (1..=31).contains(&d))
        && s[8..10].parse::<u32>().is_ok_and(|h| h < 24)
        && s[10..12].parse::<u32>().is_ok_and(|m| m < 60)
        && s[12..14].parse::<u32>().is_ok_and(|x| x < 61)
}

impl IlpPrepare {
    /// Encodes the packet in OER.
    ///
    /// # Errors
    ///
    /// [`PaymentError::IlpInvalid`] if `expires_at` is not 17 digits, the destination is not
    /// an ILP address, or `data` is over 32 767 bytes.
    ///
    /// # Examples
    ///
    /// ```
    /// use dpikit_payments::mojaloop::ilp::IlpPrepare;
    ///
    /// let p = IlpPrepare { amount: 100, expires_at: "20241026153448665".into(),
    ///     execution_condition: [7; 32], destination: "g.mojaloop".into(), data: b"hi".to_vec() };
    /// let bytes = p.encode()?;
    /// assert_eq!(bytes[0], 12);
    /// assert_eq!(IlpPrepare::decode(&bytes)?, p);
    /// # Ok::<(), dpikit_payments::PaymentError>(())
    /// ```
    pub fn encode(&self) -> Result<Vec<u8>, PaymentError> {
        if !expires_ok(&self.expires_at) {
            return Err(bad("expiresAt must be 17 digits YYYYMMDDHHmmssSSS"));
        }
        if !is_ilp_address(&self.destination) {
            return Err(bad(format!("{:?} is not an ILP address", self.destination)));
        }
        if self.data.len() > MAX_DATA_BYTES {
            return Err(bad("data is over 32 767 bytes"));
        }
        let mut body = Vec::with_capacity(64 + self.destination.len() + self.data.len());
        body.extend_from_slice(&self.amount.to_be_bytes());
        body.extend_from_slice(self.expires_at.as_bytes());
        body.extend_from_slice(&self.execution_condition);
        write_len(&mut body, self.destination.len());
        body.extend_from_slice(self.destination.as_bytes());
        write_len(&mut body, self.data.len());
        body.extend_from_slice(&self.data);
        let mut out = Vec::with_capacity(body.len() + 6);
        out.push(TYPE_PREPARE);
        write_len(&mut out, body.len());
        out.extend_from_slice(&body);
        Ok(out)
    }

    /// Decodes an OER `Prepare` packet, refusing trailing bytes and non-canonical lengths.
    ///
    /// # Errors
    ///
    /// [`PaymentError::IlpInvalid`] for another packet type, truncation, trailing bytes,
    /// non-canonical lengths, a bad `expiresAt`, destination or data size, or input over
    /// [`MAX_PACKET_BYTES`].
    ///
    /// # Examples
    ///
    /// ```
    /// use dpikit_core::ErrorCode;
    /// use dpikit_payments::mojaloop::ilp::IlpPrepare;
    ///
    /// assert_eq!(IlpPrepare::decode(&[12, 1]).unwrap_err().code(), ErrorCode::IlpInvalid);
    /// ```
    pub fn decode(bytes: &[u8]) -> Result<Self, PaymentError> {
        if bytes.len() > MAX_PACKET_BYTES {
            return Err(bad("packet is over 65 535 bytes"));
        }
        let mut r = Reader { buf: bytes, pos: 0 };
        let ty = r.take(1, "type")?[0];
        if ty != TYPE_PREPARE {
            return Err(bad(format!("packet type {ty} is not an ILPv4 Prepare (12)")));
        }
        let len = r.len("packet length")?;
        if r.pos + len != bytes.len() {
            return Err(bad(
                "packet length does not match the input (truncated or trailing bytes)",
            ));
        }
        let amount = r.take(8, "amount")?;
        let mut a = [0u8; 8];
        a.copy_from_slice(amount);
        let expires = r.take(17, "expiresAt")?;
        let expires_at = String::from_utf8(expires.to_vec())
            .ok()
            .filter(|s| expires_ok(s))
            .ok_or_else(|| bad("expiresAt must be 17 digits YYYYMMDDHHmmssSSS"))?;
        let mut execution_condition = [0u8; 32];
        execution_condition.copy_from_slice(r.take(32, "executionCondition")?);
        let destination = std::str::from_utf8(r.var_octets("destination")?)
            .ok()
            .filter(|s| is_ilp_address(s))
            .ok_or_else(|| bad("destination is not an ILP address"))?
            .to_owned();
        let data = r.var_octets("data")?.to_vec();
        if data.len() > MAX_DATA_BYTES {
            return Err(bad("data is over 32 767 bytes"));
        }
        if r.pos != bytes.len() {
            return Err(bad("trailing bytes after data"));
        }
        Ok(Self {
            amount: u64::from_be_bytes(a),
            expires_at,
            execution_condition,
            destination,
            data,
        })
    }

    /// Returns `expires_at` as an RFC 3339 instant, e.g. `2024-10-26T15:34:48.665Z`.
    #[must_use]
    pub fn expires_at_rfc3339(&self) -> String {
        let s = &self.expires_at;
        format!(
            "{}-{}-{}T{}:{}:{}.{}Z",
            &s[0..4],
            &s[4..6],
            &s[6..8],
            &s[8..10],
            &s[10..12],
            &s[12..14],
            &s[14..17]
        )
    }
}

/// Computes the fulfilment HMAC-SHA256(`secret`, `packet`).
///
/// # Examples
///
/// ```
/// use dpikit_payments::mojaloop::ilp::{condition, fulfilment};
///
/// let f = fulfilment(b"secret", b"packet");
/// assert_eq!(condition(&f).len(), 32);
/// ```
#[must_use]
pub fn fulfilment(secret: &[u8], packet: &[u8]) -> [u8; 32] {
    // HMAC accepts keys of any length, so `new_from_slice` cannot fail.
    let Ok(mut mac) = <Hmac<Sha256> as KeyInit>::new_from_slice(secret) else {
        return [0; 32];
    };
    mac.update(packet);
    mac.finalize().into_bytes().into()
}

/// Computes the condition SHA-256(`fulfilment`).
#[must_use]
pub fn condition(fulfilment: &[u8; 32]) -> [u8; 32] {
    Sha256::digest(fulfilment).into()
}

/// Decodes a base64url (no padding) 32-byte value: a condition or a fulfilment.
///
/// # Errors
///
/// [`PaymentError::IlpInvalid`] if the text is not 43 base64url characters decoding to 32
/// bytes.
///
/// # Examples
///
/// ```
/// use dpikit_payments::mojaloop::ilp::decode32;
///
/// assert_eq!(decode32("f5sqb7tBTWPd5Y8BDFdMm9BJR_MNI4isf8p8n4D5pHA")?.len(), 32);
/// assert!(decode32("f5sqb7tBTWPd5Y8B").is_err());
/// # Ok::<(), dpikit_payments::PaymentError>(())
/// ```
pub fn decode32(text: &str) -> Result<[u8; 32], PaymentError> {
    if text.len() != 43 {
        return Err(bad(format!("expected 43 base64url characters, got {}", text.len())));
    }
    let v = dpikit_core::encoding::b64url_decode(text).map_err(|e| bad(e.to_string()))?;
    v.try_into().map_err(|_| bad("does not decode to 32 bytes"))
}

/// Checks that a base64url fulfilment hashes to a base64url condition.
///
/// # Errors
///
/// - [`PaymentError::IlpInvalid`] if either is not a base64url 32-byte value.
/// - [`PaymentError::ConditionMismatch`] if SHA-256(fulfilment) ≠ condition.
///
/// # Examples
///
/// ```
/// use dpikit_payments::mojaloop::ilp::{condition, fulfilment, verify_fulfilment};
/// use dpikit_core::encoding::b64url_encode;
///
/// let f = fulfilment(b"secret", b"packet");
/// verify_fulfilment(&b64url_encode(&f), &b64url_encode(&condition(&f)))?;
/// assert!(verify_fulfilment(&b64url_encode(&f), &b64url_encode(&[0; 32])).is_err());
/// # Ok::<(), dpikit_payments::PaymentError>(())
/// ```
pub fn verify_fulfilment(fulfilment_b64: &str, condition_b64: &str) -> Result<(), PaymentError> {
    let f = decode32(fulfilment_b64)?;
    let c = decode32(condition_b64)?;
    if condition(&f) == c {
        Ok(())
    } else {
        Err(PaymentError::ConditionMismatch(
            "SHA-256(fulfilment) differs from the condition".into(),
        ))
    }
}

/// Decodes a base64url packet (padding tolerated, as some Mojaloop implementations add it).
///
/// # Errors
///
/// [`PaymentError::IlpInvalid`] if the text is empty, over the size limit or not base64url.
///
/// # Examples
///
/// ```
/// use dpikit_payments::mojaloop::ilp::decode_packet_b64;
///
/// assert_eq!(decode_packet_b64("DAE")?, vec![12, 1]);
/// # Ok::<(), dpikit_payments::PaymentError>(())
/// ```
pub fn decode_packet_b64(text: &str) -> Result<Vec<u8>, PaymentError> {
    let t = text.trim_end_matches('=');
    if t.is_empty() || t.len() > MAX_PACKET_BYTES * 4 / 3 + 4 {
        return Err(bad("packet text is empty or too long"));
    }
    dpikit_core::encoding::b64url_decode(t).map_err(|e| bad(e.to_string()))
}
