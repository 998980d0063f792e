//! Encrypted envelopes: compact JWE with ECDH-ES+A256KW key agreement and A256GCM content
//! encryption, for X25519 and P-256 recipients, through josekit (OpenSSL).
//!
//! Native targets only (feature `jwe`, on by default; off for wasm32). Keys travel as JWK
//! JSON. [`seal_envelope`] encrypts a signed envelope (sign, then encrypt: the JWS stays
//! verifiable by whoever decrypts it); [`open_envelope`] decrypts and verifies it. Only
//! `ECDH-ES+A256KW` / `A256GCM` is accepted when decrypting; anything else is
//! [`ExchangeError::UnsupportedJwe`] before any key is used.

use josekit::jwe::{self, ECDH_ES_A256KW, JweHeader};
use josekit::jwk::Jwk as JoseJwk;
use josekit::jwk::KeyPair as _;
use josekit::jwk::alg::ec::EcCurve;
use josekit::jwk::alg::ecx::EcxCurve;
use serde_json::Value;
use zeroize::Zeroizing;

use dpikit_core::encoding::b64url_decode;
use dpikit_core::json::{Limits, parse_json};
use dpikit_core::jws::Verifier;

use crate::envelope::{self, ENVELOPE_LIMITS, SignedEnvelope, VerifiedEnvelope, VerifyPolicy};
use crate::registry::Registry;
use crate::{ExchangeError, Result};

/// The key-management algorithm written and accepted.
pub const ALG: &str = "ECDH-ES+A256KW";
/// The content-encryption algorithm written and accepted.
pub const ENC: &str = "A256GCM";
/// The JWE `cty` of an encrypted signed envelope.
pub const SIGNED_ENVELOPE_CTY: &str = "dpikit-envelope+jws";
/// Largest compact JWE accepted: 4 MiB.
pub const MAX_JWE_BYTES: usize = 4 << 20;
const KEY_LIMITS: Limits = Limits { max_bytes: 16 * 1024, max_depth: 4 };
const HEADER_LIMITS: Limits = Limits { max_bytes: 16 * 1024, max_depth: 8 };

/// The curve of a recipient key.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RecipientCurve {
    /// X25519 (`OKP`).
    X25519,
    /// NIST P-256 (`EC`).
    P256,
}

/// A recipient's key pair, as JWK JSON (the private JWK is zeroized on drop).
pub struct RecipientKeyPair {
    private_jwk: Zeroizing<String>,
    public_jwk: String,
}

impl core::fmt::Debug for RecipientKeyPair {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("RecipientKeyPair")
            .field("public_jwk", &self.public_jwk)
            .finish_non_exhaustive()
    }
}

fn jose_err(e: &josekit::JoseError) -> ExchangeError {
    ExchangeError::JweInvalid(e.to_string())
}

impl RecipientKeyPair {
    /// Generates a key pair on `curve`.
    ///
    /// # Errors
    ///
    /// [`ExchangeError::JweInvalid`] if key generation fails.
    pub fn generate(curve: RecipientCurve) -> Result<Self> {
        let (private, public) = match curve {
            RecipientCurve::X25519 => {
                let kp = ECDH_ES_A256KW
                    .generate_ecx_key_pair(EcxCurve::X25519)
                    .map_err(|e| jose_err(&e))?;
                (kp.to_jwk_private_key(), kp.to_jwk_public_key())
            }
            RecipientCurve::P256 => {
                let kp =
                    ECDH_ES_A256KW.generate_ec_key_pair(EcCurve::P256).map_err(|e| jose_err(&e))?;
                (kp.to_jwk_private_key(), kp.to_jwk_public_key())
            }
        };
        Ok(RecipientKeyPair {
            private_jwk: Zeroizing::new(private.to_string()),
            public_jwk: public.to_string(),
        })
    }

    /// Reads a private JWK (X25519 `OKP` or P-256 `EC`).
    ///
    /// # Errors
    ///
    /// JSON intake errors; [`ExchangeError::UnsupportedJwe`] for another key type or curve;
    /// [`ExchangeError::JweInvalid`] for a malformed key.
    pub fn from_private_jwk(jwk: &str) -> Result<Self> {
        let parsed = parse_jwk(jwk)?;
        if parsed.parameter("d").is_none() {
            return Err(ExchangeError::JweInvalid("the JWK has no private part".into()));
        }
        let mut public = parsed.as_ref().clone();
        public.remove("d");
        Ok(RecipientKeyPair {
            private_jwk: Zeroizing::new(jwk.to_owned()),
            public_jwk: Value::Object(public).to_string(),
        })
    }

    /// Returns the public JWK JSON, to give to senders.
    #[must_use]
    pub fn public_jwk(&self) -> &str {
        &self.public_jwk
    }

    /// Returns the private JWK JSON.
    #[must_use]
    pub fn private_jwk(&self) -> Zeroizing<String> {
        self.private_jwk.clone()
    }
}

fn parse_jwk(jwk: &str) -> Result<JoseJwk> {
    let value = parse_json(jwk.as_bytes(), &KEY_LIMITS)?;
    let Value::Object(map) = value else {
        return Err(ExchangeError::JweInvalid("a JWK is a JSON object".into()));
    };
    let parsed = JoseJwk::from_map(map).map_err(|e| jose_err(&e))?;
    match (parsed.key_type(), parsed.curve()) {
        ("OKP", Some("X25519")) | ("EC", Some("P-256")) => Ok(parsed),
        (kty, crv) => Err(ExchangeError::UnsupportedJwe(format!(
            "recipient key {kty}/{}; X25519 or P-256 only",
            crv.unwrap_or("-")
        ))),
    }
}

/// Encrypts `payload` to the recipient's public JWK: compact JWE, `ECDH-ES+A256KW`,
/// `A256GCM`, with `cty` when given.
///
/// # Errors
///
/// JSON intake errors for the key; [`ExchangeError::UnsupportedJwe`] for a key that is not
/// X25519 or P-256; [`ExchangeError::JweInvalid`] when encryption fails.
///
/// # Examples
///
/// ```
/// use dpikit_exchange::jwe::{decrypt, encrypt, RecipientCurve, RecipientKeyPair};
///
/// let recipient = RecipientKeyPair::generate(RecipientCurve::X25519)?;
/// let token = encrypt(b"{\"secret\":1}", recipient.public_jwk(), None)?;
/// assert_eq!(decrypt(&token, &recipient.private_jwk())?, b"{\"secret\":1}");
/// # Ok::<(), dpikit_exchange::ExchangeError>(())
/// ```
pub fn encrypt(payload: &[u8], recipient_public_jwk: &str, cty: Option<&str>) -> Result<String> {
    let jwk = parse_jwk(recipient_public_jwk)?;
    let encrypter = ECDH_ES_A256KW.encrypter_from_jwk(&jwk).map_err(|e| jose_err(&e))?;
    let mut header = JweHeader::new();
    header.set_content_encryption(ENC);
    if let Some(cty) = cty {
        header.set_content_type(cty);
    }
    jwe::serialize_compact(payload, &header, &encrypter).map_err(|e| jose_err(&e))
}

/// Decrypts a compact JWE with the recipient's private JWK.
///
/// # Errors
///
/// [`dpikit_core::CoreError::InputTooLarge`] over [`MAX_JWE_BYTES`];
/// [`ExchangeError::UnsupportedJwe`] for another `alg`/`enc` or key type;
/// [`ExchangeError::JweInvalid`] for a malformed or tampered token or the wrong key.
pub fn decrypt(token: &str, private_jwk: &str) -> Result<Vec<u8>> {
    decrypt_with_header(token, private_jwk).map(|(payload, _)| payload)
}

fn decrypt_with_header(token: &str, private_jwk: &str) -> Result<(Vec<u8>, JweHeader)> {
    if token.len() > MAX_JWE_BYTES {
        return Err(dpikit_core::CoreError::InputTooLarge {
            size: token.len(),
            limit: MAX_JWE_BYTES,
        }
        .into());
    }
    let parts: Vec<&str> = token.split('.').collect();
    if parts.len() != 5 {
        return Err(ExchangeError::JweInvalid("a compact JWE has 5 segments".into()));
    }
    let header = parse_json(&b64url_decode(parts[0])?, &HEADER_LIMITS)?;
    let alg = header.get("alg").and_then(Value::as_str);
    let enc = header.get("enc").and_then(Value::as_str);
    if alg != Some(ALG) || enc != Some(ENC) {
        return Err(ExchangeError::UnsupportedJwe(format!(
            "alg {} enc {}; only {ALG} with {ENC}",
            alg.unwrap_or("-"),
            enc.unwrap_or("-")
        )));
    }
    let jwk = parse_jwk(private_jwk)?;
    let decrypter = ECDH_ES_A256KW.decrypter_from_jwk(&jwk).map_err(|e| jose_err(&e))?;
    jwe::deserialize_compact(token, &decrypter).map_err(|e| jose_err(&e))
}

/// Encrypts a signed envelope's JWS to a recipient (`cty` `dpikit-envelope+jws`); an
/// attached JWS only, so that the recipient gets the bytes with their signature.
///
/// # Errors
///
/// [`ExchangeError::MalformedEnvelope`] for a detached JWS; the errors of [`encrypt`].
pub fn seal_envelope(signed: &SignedEnvelope, recipient_public_jwk: &str) -> Result<String> {
    seal_envelope_token(&signed.token, recipient_public_jwk)
}

/// Encrypts a signed envelope given as its compact JWS, as [`seal_envelope`] (for callers
/// that hold only the token, such as the C binding).
///
/// # Errors
///
/// As [`seal_envelope`].
///
/// # Examples
///
/// ```
/// use dpikit_core::ErrorCode;
/// use dpikit_exchange::jwe::{seal_envelope_token, RecipientCurve, RecipientKeyPair};
///
/// let recipient = RecipientKeyPair::generate(RecipientCurve::X25519)?;
/// let err = seal_envelope_token("e30..c2ln", recipient.public_jwk()).unwrap_err();
/// assert_eq!(err.code(), ErrorCode::MalformedEnvelope);
/// # Ok::<(), dpikit_exchange::ExchangeError>(())
/// ```
pub fn seal_envelope_token(token: &str, recipient_public_jwk: &str) -> Result<String> {
    if token.contains("..") {
        return Err(ExchangeError::MalformedEnvelope(
            "encrypt an attached JWS, not a detached one".into(),
        ));
    }
    encrypt(token.as_bytes(), recipient_public_jwk, Some(SIGNED_ENVELOPE_CTY))
}

/// Decrypts an encrypted envelope and verifies the signed envelope inside
/// ([`envelope::verify`]).
///
/// # Errors
///
/// The errors of [`decrypt`]; [`ExchangeError::MalformedEnvelope`] for a wrong `cty` or a
/// payload that is not a JWS; the errors of [`envelope::verify`].
///
/// # Examples
///
/// ```
/// use dpikit_core::keys::{KeyPair, KeyType};
/// use dpikit_core::time::parse_rfc3339;
/// use dpikit_exchange::{Registry, schemas};
/// use dpikit_exchange::envelope::{sign, EnvelopeBuilder, VerifyPolicy};
/// use dpikit_exchange::jwe::{open_envelope, seal_envelope, RecipientCurve, RecipientKeyPair};
///
/// let registry = Registry::with_builtin()?;
/// let schema = registry.resolve(schemas::PAYMENT_STATUS, None)?;
/// let t = parse_rfc3339("2026-04-01T08:00:01Z")?;
/// let data = serde_json::json!({"instructionId": "PI-1", "status": "ACSC", "statusAt": "2026-04-01T08:00:00Z"});
/// let envelope = EnvelopeBuilder::new("https://treasury.city.example", "org.dpikit.PaymentStatus", schema, data)
///     .time(t).build(&registry)?;
/// let sender = KeyPair::generate(KeyType::Ed25519)?;
/// let recipient = RecipientKeyPair::generate(RecipientCurve::P256)?;
/// let jwe = seal_envelope(&sign(&envelope, &sender, false)?, recipient.public_jwk())?;
/// let opened = open_envelope(&jwe, &recipient.private_jwk(), &sender.public_key(), &registry, &VerifyPolicy::at(t))?;
/// assert_eq!(opened.envelope, envelope);
/// # Ok::<(), dpikit_exchange::ExchangeError>(())
/// ```
pub fn open_envelope(
    token: &str,
    private_jwk: &str,
    verifier: &dyn Verifier,
    registry: &Registry,
    policy: &VerifyPolicy,
) -> Result<VerifiedEnvelope> {
    let (payload, header) = decrypt_with_header(token, private_jwk)?;
    if header.content_type() != Some(SIGNED_ENVELOPE_CTY) {
        return Err(ExchangeError::MalformedEnvelope(format!("cty must be {SIGNED_ENVELOPE_CTY}")));
    }
    if payload.len() > ENVELOPE_LIMITS.max_bytes * 2 {
        return Err(dpikit_core::CoreError::InputTooLarge {
            size: payload.len(),
            limit: ENVELOPE_LIMITS.max_bytes * 2,
        }
        .into());
    }
    let jws = std::str::from_utf8(&payload).map_err(|_| {
        ExchangeError::MalformedEnvelope("the decrypted payload is not a JWS".into())
    })?;
    envelope::verify(jws, None, verifier, registry, policy)
}
