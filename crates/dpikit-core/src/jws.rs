//! JSON Web Signature (RFC 7515) in compact serialization with EdDSA (RFC 8037) and ES256,
//! detached payloads (RFC 7515 Appendix F) and unencoded payloads (RFC 7797, `b64: false`
//! listed in `crit`).
//!
//! Signing and verifying go through the [`Signer`] and [`Verifier`] traits, so a KMS or HSM
//! can sign without dpikit ever seeing the key. [`KeyPair`] and [`PublicKey`] implement them.
//!
//! Verification rejects, each with its own [`crate::ErrorCode`]: `alg: none`, unknown
//! algorithms, an `alg` that does not match the key type, unknown or malformed `crit`
//! entries, duplicate header members, malformed base64url, a wrong number of segments or
//! trailing data, and tokens over the size limit.

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use crate::encoding::{b64url_decode, b64url_encode};
use crate::json::{Limits, parse_json};
use crate::keys::{Algorithm, Jwk, KeyPair, PublicKey};
use crate::{CoreError, Result};

/// Default largest compact JWS accepted by [`verify`]: 1 MiB.
pub const DEFAULT_MAX_TOKEN_BYTES: usize = 1 << 20;

/// Limits for the protected header JSON.
const HEADER_LIMITS: Limits = Limits { max_bytes: 64 * 1024, max_depth: 16 };

/// Header parameters registered by RFC 7515/7797 that may not appear in `crit`.
const REGISTERED: &[&str] = &[
    "alg", "jku", "jwk", "kid", "x5u", "x5c", "x5t", "x5t#S256", "typ", "cty", "crit", "enc", "zip",
];

/// Extensions this implementation understands when listed in `crit`.
const UNDERSTOOD_CRIT: &[&str] = &["b64"];

/// Something that signs JWS signing input: an in-memory key, a KMS, an HSM.
pub trait Signer {
    /// Returns the JOSE algorithm of the signatures produced.
    fn algorithm(&self) -> Algorithm;

    /// Returns the key id to put in the `kid` header, if any.
    fn key_id(&self) -> Option<String> {
        None
    }

    /// Signs `message` and returns the JOSE signature bytes (64 bytes for both EdDSA and
    /// ES256).
    ///
    /// # Errors
    ///
    /// Any error of the underlying key store.
    fn sign(&self, message: &[u8]) -> Result<Vec<u8>>;
}

/// Something that verifies JWS signatures.
pub trait Verifier {
    /// Verifies `signature` over `message` for the header's `alg`.
    ///
    /// # Errors
    ///
    /// [`CoreError::AlgKeyMismatch`] if `alg` does not fit the key,
    /// [`CoreError::MalformedSignature`] or [`CoreError::InvalidSignature`] otherwise.
    fn verify(&self, alg: Algorithm, message: &[u8], signature: &[u8]) -> Result<()>;
}

impl Signer for KeyPair {
    fn algorithm(&self) -> Algorithm {
        KeyPair::algorithm(self)
    }

    fn sign(&self, message: &[u8]) -> Result<Vec<u8>> {
        KeyPair::sign(self, message)
    }
}

impl Verifier for PublicKey {
    fn verify(&self, alg: Algorithm, message: &[u8], signature: &[u8]) -> Result<()> {
        if alg.key_type() != self.key_type() {
            return Err(CoreError::AlgKeyMismatch {
                alg: alg.jose_name().to_owned(),
                key: self.key_type().name().to_owned(),
            });
        }
        PublicKey::verify(self, message, signature)
    }
}

/// A [`Signer`] that adds a `kid` to another signer.
#[derive(Debug, Clone)]
pub struct WithKeyId<S> {
    /// The wrapped signer.
    pub signer: S,
    /// The key id (e.g. a DID URL).
    pub kid: String,
}

impl<S: Signer> Signer for WithKeyId<S> {
    fn algorithm(&self) -> Algorithm {
        self.signer.algorithm()
    }

    fn key_id(&self) -> Option<String> {
        Some(self.kid.clone())
    }

    fn sign(&self, message: &[u8]) -> Result<Vec<u8>> {
        self.signer.sign(message)
    }
}

/// A JWS protected header.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Header {
    /// Algorithm.
    pub alg: String,
    /// Media type of the whole JWS.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub typ: Option<String>,
    /// Media type of the payload.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cty: Option<String>,
    /// Key id.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub kid: Option<String>,
    /// Embedded public key.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub jwk: Option<Jwk>,
    /// RFC 7797: `false` signs the payload unencoded.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub b64: Option<bool>,
    /// Critical extensions.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub crit: Option<Vec<String>>,
    /// Other members, preserved.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

impl Header {
    /// Creates a header with only `alg`.
    #[must_use]
    pub fn new(alg: Algorithm) -> Self {
        Header {
            alg: alg.jose_name().to_owned(),
            typ: None,
            cty: None,
            kid: None,
            jwk: None,
            b64: None,
            crit: None,
            extra: Map::new(),
        }
    }

    /// Returns whether the payload is base64url-encoded (true unless `b64: false`).
    #[must_use]
    pub fn payload_encoded(&self) -> bool {
        self.b64 != Some(false)
    }
}

/// Options for [`sign`].
#[derive(Debug, Clone, Default)]
pub struct SignOptions {
    /// `typ` header (e.g. `vc+jwt`).
    pub typ: Option<String>,
    /// `cty` header.
    pub cty: Option<String>,
    /// Leave the payload out of the token (RFC 7515 Appendix F).
    pub detached: bool,
    /// Sign the payload unencoded (RFC 7797; adds `b64: false` and `crit: ["b64"]`).
    pub unencoded: bool,
    /// Extra header members (must not collide with registered ones).
    pub extra_headers: Map<String, Value>,
}

/// Signs `payload` into a compact JWS.
///
/// # Errors
///
/// Errors of the signer; [`CoreError::PayloadMismatch`] for an attached unencoded payload
/// that is not valid UTF-8 text without `.`; [`CoreError::UnexpectedJson`] when an extra
/// header collides with a registered one.
///
/// # Examples
///
/// ```
/// use dpikit_core::jws::{sign, verify, SignOptions, VerifyOptions};
/// use dpikit_core::keys::{KeyPair, KeyType};
///
/// let key = KeyPair::generate(KeyType::P256)?;
/// let token = sign(b"{\"hello\":\"city\"}", &key, &SignOptions::default())?;
/// let verified = verify(&token, &key.public_key(), &VerifyOptions::default())?;
/// assert_eq!(verified.payload, b"{\"hello\":\"city\"}");
/// # Ok::<(), dpikit_core::CoreError>(())
/// ```
pub fn sign(payload: &[u8], signer: &dyn Signer, options: &SignOptions) -> Result<String> {
    let mut header = Header::new(signer.algorithm());
    header.typ.clone_from(&options.typ);
    header.cty.clone_from(&options.cty);
    header.kid = signer.key_id();
    if options.unencoded {
        header.b64 = Some(false);
        header.crit = Some(vec!["b64".to_owned()]);
    }
    for (k, v) in &options.extra_headers {
        if REGISTERED.contains(&k.as_str()) || k == "b64" {
            return Err(CoreError::UnexpectedJson(format!("extra header {k:?} is reserved")));
        }
        header.extra.insert(k.clone(), v.clone());
    }
    sign_with_header(payload, signer, &header, options.detached)
}

/// Signs `payload` with a caller-built header (its `alg` must be the signer's).
///
/// # Errors
///
/// As [`sign`], plus [`CoreError::AlgKeyMismatch`] when `header.alg` is not the signer's.
pub fn sign_with_header(
    payload: &[u8],
    signer: &dyn Signer,
    header: &Header,
    detached: bool,
) -> Result<String> {
    if header.alg != signer.algorithm().jose_name() {
        return Err(CoreError::AlgKeyMismatch {
            alg: header.alg.clone(),
            key: signer.algorithm().key_type().name().to_owned(),
        });
    }
    let header_json =
        serde_json::to_vec(header).map_err(|e| CoreError::Internal(format!("header: {e}")))?;
    let header_b64 = b64url_encode(&header_json);
    let encoded = header.payload_encoded();
    let payload_part: std::borrow::Cow<'_, str> = if encoded {
        b64url_encode(payload).into()
    } else {
        let text = std::str::from_utf8(payload)
            .map_err(|_| CoreError::PayloadMismatch("unencoded payload must be UTF-8".into()))?;
        if !detached && text.contains('.') {
            return Err(CoreError::PayloadMismatch(
                "an attached unencoded payload must not contain '.'".into(),
            ));
        }
        text.into()
    };
    let mut signing_input = Vec::with_capacity(header_b64.len() + 1 + payload_part.len());
    signing_input.extend_from_slice(header_b64.as_bytes());
    signing_input.push(b'.');
    signing_input.extend_from_slice(payload_part.as_bytes());
    let signature = signer.sign(&signing_input)?;
    let sig_b64 = b64url_encode(&signature);
    let body = if detached { "" } else { &payload_part };
    Ok(format!("{header_b64}.{body}.{sig_b64}"))
}

/// Options for [`verify`].
#[derive(Debug, Clone, Copy)]
pub struct VerifyOptions<'a> {
    /// The payload of a detached JWS (the token's middle segment must then be empty).
    pub detached_payload: Option<&'a [u8]>,
    /// Largest token accepted, in bytes.
    pub max_token_bytes: usize,
    /// An algorithm the caller requires (rejects any other even if the key would fit).
    pub expected_alg: Option<Algorithm>,
}

impl Default for VerifyOptions<'_> {
    fn default() -> Self {
        VerifyOptions {
            detached_payload: None,
            max_token_bytes: DEFAULT_MAX_TOKEN_BYTES,
            expected_alg: None,
        }
    }
}

/// A JWS whose signature has been verified.
#[derive(Debug, Clone, PartialEq)]
pub struct VerifiedJws {
    /// The protected header.
    pub header: Header,
    /// The payload bytes (decoded from base64url unless `b64: false`).
    pub payload: Vec<u8>,
}

/// A compact JWS split and decoded, not yet verified.
#[derive(Debug, Clone, PartialEq)]
pub struct DecodedJws<'a> {
    /// The protected header.
    pub header: Header,
    /// The header's algorithm.
    pub alg: Algorithm,
    /// The base64url header segment.
    pub header_b64: &'a str,
    /// The payload segment as it appears in the token (empty when detached).
    pub payload_segment: &'a str,
    /// The signature bytes.
    pub signature: Vec<u8>,
}

/// Splits and decodes a compact JWS and checks its header, without verifying the signature.
///
/// Use it to read `kid` before choosing a key; never trust the payload from here.
///
/// # Errors
///
/// [`CoreError::InputTooLarge`], [`CoreError::MalformedJws`], [`CoreError::InvalidBase64`],
/// JSON intake errors for the header, [`CoreError::AlgNone`],
/// [`CoreError::UnsupportedAlgorithm`], [`CoreError::UnknownCritical`].
pub fn decode(token: &str, max_token_bytes: usize) -> Result<DecodedJws<'_>> {
    if token.len() > max_token_bytes {
        return Err(CoreError::InputTooLarge { size: token.len(), limit: max_token_bytes });
    }
    let mut parts = token.split('.');
    let (Some(header_b64), Some(payload_segment), Some(sig_b64), None) =
        (parts.next(), parts.next(), parts.next(), parts.next())
    else {
        return Err(CoreError::MalformedJws("compact JWS must have exactly 3 segments".into()));
    };
    if header_b64.is_empty() {
        return Err(CoreError::MalformedJws("empty header segment".into()));
    }
    let header_bytes = b64url_decode(header_b64)?;
    let header_value = parse_json(&header_bytes, &HEADER_LIMITS)?;
    if !header_value.is_object() {
        return Err(CoreError::MalformedJws("header is not a JSON object".into()));
    }
    // Check alg first so that `none` gets its own code whatever else is wrong.
    let alg_name = header_value
        .get("alg")
        .and_then(Value::as_str)
        .ok_or_else(|| CoreError::MalformedJws("header has no string alg".into()))?;
    let alg = Algorithm::from_jose(alg_name)?;
    // After alg: an unsecured JWS (`alg: none`) has an empty signature and must get its own
    // code, not `malformed_jws`.
    if sig_b64.is_empty() {
        return Err(CoreError::MalformedJws("empty signature segment".into()));
    }
    let header: Header = serde_json::from_value(header_value)
        .map_err(|e| CoreError::MalformedJws(format!("header: {e}")))?;
    check_crit(&header)?;
    let signature = b64url_decode(sig_b64)?;
    Ok(DecodedJws { header, alg, header_b64, payload_segment, signature })
}

fn check_crit(header: &Header) -> Result<()> {
    let listed_b64 = match &header.crit {
        None => false,
        Some(crit) => {
            if crit.is_empty() {
                return Err(CoreError::UnknownCritical("crit must not be empty".into()));
            }
            for (i, name) in crit.iter().enumerate() {
                if REGISTERED.contains(&name.as_str()) {
                    return Err(CoreError::UnknownCritical(format!(
                        "{name:?} is a registered header"
                    )));
                }
                if !UNDERSTOOD_CRIT.contains(&name.as_str()) {
                    return Err(CoreError::UnknownCritical(format!("{name:?} is not understood")));
                }
                if crit[..i].contains(name) {
                    return Err(CoreError::UnknownCritical(format!("{name:?} listed twice")));
                }
                let present =
                    name == "b64" && header.b64.is_some() || header.extra.contains_key(name);
                if !present {
                    return Err(CoreError::UnknownCritical(format!(
                        "{name:?} is not in the header"
                    )));
                }
            }
            crit.iter().any(|c| c == "b64")
        }
    };
    if header.b64.is_some() && !listed_b64 {
        return Err(CoreError::UnknownCritical("b64 must be listed in crit (RFC 7797 §6)".into()));
    }
    Ok(())
}

/// Verifies a compact JWS with `verifier` and returns its header and payload.
///
/// # Errors
///
/// Everything [`decode`] rejects, plus [`CoreError::PayloadMismatch`] (detached payload
/// missing, or given for an attached JWS), [`CoreError::AlgKeyMismatch`],
/// [`CoreError::UnsupportedAlgorithm`] for an `expected_alg` mismatch,
/// [`CoreError::MalformedSignature`] and [`CoreError::InvalidSignature`].
///
/// # Examples
///
/// RFC 8037 Appendix A.4 (Ed25519 JWS) verified with the A.2 public key:
///
/// ```
/// use dpikit_core::jws::{verify, VerifyOptions};
/// use dpikit_core::keys::{Jwk, PublicKey};
///
/// let jwk = Jwk::from_json(br#"{"kty":"OKP","crv":"Ed25519","x":"11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo"}"#)?;
/// let token = "eyJhbGciOiJFZERTQSJ9.RXhhbXBsZSBvZiBFZDI1NTE5IHNpZ25pbmc.\
///              hgyY0il_MGCjP0JzlnLWG1PPOt7-09PGcvMg3AIbQR6dWbhijcNR4ki4iylGjg5BhVsPt9g7sVvpAr_MuM0KAg";
/// let v = verify(token, &PublicKey::from_jwk(&jwk)?, &VerifyOptions::default())?;
/// assert_eq!(v.payload, b"Example of Ed25519 signing");
/// # Ok::<(), dpikit_core::CoreError>(())
/// ```
pub fn verify(
    token: &str,
    verifier: &dyn Verifier,
    options: &VerifyOptions<'_>,
) -> Result<VerifiedJws> {
    let decoded = decode(token, options.max_token_bytes)?;
    if let Some(expected) = options.expected_alg {
        if expected != decoded.alg {
            return Err(CoreError::UnsupportedAlgorithm(format!(
                "{} where {} is required",
                decoded.alg, expected
            )));
        }
    }
    let encoded = decoded.header.payload_encoded();
    let payload: Vec<u8> = match (options.detached_payload, decoded.payload_segment.is_empty()) {
        (Some(p), true) => p.to_vec(),
        (Some(_), false) => {
            return Err(CoreError::PayloadMismatch(
                "detached payload given for an attached JWS".into(),
            ));
        }
        (None, _) if encoded => b64url_decode(decoded.payload_segment)?,
        (None, _) => decoded.payload_segment.as_bytes().to_vec(),
    };
    let mut signing_input =
        Vec::with_capacity(decoded.header_b64.len() + 1 + payload.len() * 4 / 3 + 4);
    signing_input.extend_from_slice(decoded.header_b64.as_bytes());
    signing_input.push(b'.');
    if encoded {
        if decoded.payload_segment.is_empty() {
            signing_input.extend_from_slice(b64url_encode(&payload).as_bytes());
        } else {
            signing_input.extend_from_slice(decoded.payload_segment.as_bytes());
        }
    } else {
        signing_input.extend_from_slice(&payload);
    }
    verifier.verify(decoded.alg, &signing_input, &decoded.signature)?;
    Ok(VerifiedJws { header: decoded.header, payload })
}
