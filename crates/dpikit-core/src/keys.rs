//! Key pairs and public keys for Ed25519 (EdDSA) and P-256 (ES256), with JWK
//! (RFC 7517 / RFC 8037), RFC 7638 thumbprints, Multikey, and raw-byte forms.
//!
//! Secret material lives only inside [`KeyPair`] and [`Jwk::d`]: it is zeroized on drop,
//! redacted in `Debug`, compared in constant time, and serialized only through the methods
//! that say so by name ([`KeyPair::to_private_jwk`], [`KeyPair::to_private_multikey`],
//! [`KeyPair::secret_bytes`]).

use core::fmt;

use ed25519_dalek as ed;
use p256::ecdsa as es;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use subtle::ConstantTimeEq;
use zeroize::Zeroizing;

use crate::encoding::{self, Multicodec, b64url_decode, b64url_encode};
use crate::json::{Limits, parse_json_as};
use crate::{CoreError, Result};

/// A supported key type (curve).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum KeyType {
    /// Ed25519 (RFC 8032), JOSE `OKP` / `Ed25519`.
    Ed25519,
    /// NIST P-256 (secp256r1), JOSE `EC` / `P-256`.
    P256,
}

impl KeyType {
    /// Returns the signature algorithm this key type signs with.
    #[must_use]
    pub const fn algorithm(self) -> Algorithm {
        match self {
            KeyType::Ed25519 => Algorithm::EdDsa,
            KeyType::P256 => Algorithm::Es256,
        }
    }

    /// Returns the short lowercase name (`ed25519`, `p256`).
    #[must_use]
    pub const fn name(self) -> &'static str {
        match self {
            KeyType::Ed25519 => "ed25519",
            KeyType::P256 => "p256",
        }
    }
}

impl fmt::Display for KeyType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl core::str::FromStr for KeyType {
    type Err = CoreError;

    fn from_str(s: &str) -> Result<Self> {
        match s.to_ascii_lowercase().as_str() {
            "ed25519" => Ok(KeyType::Ed25519),
            "p256" | "p-256" | "secp256r1" => Ok(KeyType::P256),
            other => Err(CoreError::UnsupportedKeyType(other.to_owned())),
        }
    }
}

/// A JOSE signature algorithm that dpikit signs and verifies with.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Algorithm {
    /// `EdDSA` with Ed25519 (RFC 8037).
    EdDsa,
    /// `ES256`: ECDSA P-256 with SHA-256, signature `r ‖ s` (RFC 7518 §3.4).
    Es256,
}

impl Algorithm {
    /// Returns the JOSE `alg` name.
    #[must_use]
    pub const fn jose_name(self) -> &'static str {
        match self {
            Algorithm::EdDsa => "EdDSA",
            Algorithm::Es256 => "ES256",
        }
    }

    /// Parses a JOSE `alg` name; `none` is rejected with its own code.
    ///
    /// # Errors
    ///
    /// [`CoreError::AlgNone`] for `none` (any case), [`CoreError::UnsupportedAlgorithm`]
    /// for anything else that is not `EdDSA` or `ES256`.
    ///
    /// # Examples
    ///
    /// ```
    /// use dpikit_core::{Algorithm, ErrorCode};
    /// assert_eq!(Algorithm::from_jose("ES256").unwrap(), Algorithm::Es256);
    /// assert_eq!(Algorithm::from_jose("none").unwrap_err().code(), ErrorCode::AlgNone);
    /// ```
    pub fn from_jose(name: &str) -> Result<Self> {
        match name {
            "EdDSA" | "Ed25519" => Ok(Algorithm::EdDsa),
            "ES256" => Ok(Algorithm::Es256),
            n if n.eq_ignore_ascii_case("none") => Err(CoreError::AlgNone),
            other => Err(CoreError::UnsupportedAlgorithm(other.to_owned())),
        }
    }

    /// Returns the key type this algorithm requires.
    #[must_use]
    pub const fn key_type(self) -> KeyType {
        match self {
            Algorithm::EdDsa => KeyType::Ed25519,
            Algorithm::Es256 => KeyType::P256,
        }
    }
}

impl fmt::Display for Algorithm {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.jose_name())
    }
}

/// Fills a 32-byte secret buffer from the operating system's RNG.
fn random_secret() -> Result<Zeroizing<[u8; 32]>> {
    let mut buf = Zeroizing::new([0u8; 32]);
    getrandom::fill(buf.as_mut_slice()).map_err(|_| CoreError::RandomnessUnavailable)?;
    Ok(buf)
}

fn exact_32(bytes: &[u8], what: &str) -> Result<Zeroizing<[u8; 32]>> {
    let mut out = Zeroizing::new([0u8; 32]);
    if bytes.len() != 32 {
        return Err(CoreError::InvalidKey(format!("{what} must be 32 bytes, got {}", bytes.len())));
    }
    out.copy_from_slice(bytes);
    Ok(out)
}

#[derive(Clone)]
enum Secret {
    Ed25519(ed::SigningKey),
    P256(es::SigningKey),
}

/// A private/public key pair (Ed25519 or P-256).
///
/// The secret is zeroized on drop, never shown by `Debug`, compared in constant time, and
/// exported only by the methods named `private`/`secret`.
///
/// # Examples
///
/// ```
/// use dpikit_core::keys::{KeyPair, KeyType};
///
/// let key = KeyPair::generate(KeyType::Ed25519)?;
/// let sig = key.sign(b"hello")?;
/// key.public_key().verify(b"hello", &sig)?;
/// assert!(!format!("{key:?}").contains(&format!("{:?}", key.secret_bytes().as_slice())));
/// # Ok::<(), dpikit_core::CoreError>(())
/// ```
#[derive(Clone)]
pub struct KeyPair {
    secret: Secret,
}

impl KeyPair {
    /// Generates a new key pair from the operating system's RNG.
    ///
    /// # Errors
    ///
    /// [`CoreError::RandomnessUnavailable`] if the OS RNG fails.
    pub fn generate(key_type: KeyType) -> Result<Self> {
        match key_type {
            KeyType::Ed25519 => {
                Self::from_secret_bytes(KeyType::Ed25519, random_secret()?.as_slice())
            }
            KeyType::P256 => {
                // A uniformly random 32-byte string is a valid scalar except with
                // probability ~2^-32; retry the rare rejects.
                for _ in 0..64 {
                    if let Ok(key) =
                        Self::from_secret_bytes(KeyType::P256, random_secret()?.as_slice())
                    {
                        return Ok(key);
                    }
                }
                Err(CoreError::RandomnessUnavailable)
            }
        }
    }

    /// Builds a key pair from raw secret bytes: the 32-byte Ed25519 seed, or the 32-byte
    /// big-endian P-256 scalar.
    ///
    /// # Errors
    ///
    /// [`CoreError::InvalidKey`] for a wrong length or (P-256) a zero or out-of-range scalar.
    ///
    /// # Examples
    ///
    /// ```
    /// use dpikit_core::keys::{KeyPair, KeyType};
    /// let key = KeyPair::from_secret_bytes(KeyType::Ed25519, &[7u8; 32])?;
    /// assert_eq!(key.public_key().to_bytes().len(), 32);
    /// # Ok::<(), dpikit_core::CoreError>(())
    /// ```
    pub fn from_secret_bytes(key_type: KeyType, secret: &[u8]) -> Result<Self> {
        let bytes = exact_32(secret, "secret key")?;
        let secret = match key_type {
            KeyType::Ed25519 => Secret::Ed25519(ed::SigningKey::from_bytes(&bytes)),
            KeyType::P256 => {
                Secret::P256(es::SigningKey::from_slice(bytes.as_slice()).map_err(|_| {
                    CoreError::InvalidKey("P-256 scalar is zero or out of range".into())
                })?)
            }
        };
        Ok(KeyPair { secret })
    }

    /// Returns the key type.
    #[must_use]
    pub fn key_type(&self) -> KeyType {
        match self.secret {
            Secret::Ed25519(_) => KeyType::Ed25519,
            Secret::P256(_) => KeyType::P256,
        }
    }

    /// Returns the JOSE algorithm this key signs with.
    #[must_use]
    pub fn algorithm(&self) -> Algorithm {
        self.key_type().algorithm()
    }

    /// Returns the public half.
    #[must_use]
    pub fn public_key(&self) -> PublicKey {
        match &self.secret {
            Secret::Ed25519(k) => PublicKey::Ed25519(k.verifying_key()),
            Secret::P256(k) => PublicKey::P256(*k.verifying_key()),
        }
    }

    /// Signs a message: Ed25519 (64 bytes) or ECDSA P-256 with SHA-256, `r ‖ s` (64 bytes,
    /// deterministic per RFC 6979).
    ///
    /// # Errors
    ///
    /// [`CoreError::Internal`] if the underlying signer fails (it does not for valid keys).
    pub fn sign(&self, message: &[u8]) -> Result<Vec<u8>> {
        use ed::Signer as _;
        match &self.secret {
            Secret::Ed25519(k) => Ok(k.sign(message).to_bytes().to_vec()),
            Secret::P256(k) => {
                let sig: es::Signature = es::signature::Signer::try_sign(k, message)
                    .map_err(|e| CoreError::Internal(format!("ES256 signing failed: {e}")))?;
                Ok(sig.to_bytes().to_vec())
            }
        }
    }

    /// Returns a copy of the raw secret bytes (seed or scalar), zeroized when dropped.
    #[must_use]
    pub fn secret_bytes(&self) -> Zeroizing<Vec<u8>> {
        match &self.secret {
            Secret::Ed25519(k) => Zeroizing::new(k.to_bytes().to_vec()),
            Secret::P256(k) => Zeroizing::new(k.to_bytes().to_vec()),
        }
    }

    /// Exports the key pair as a private JWK (with `d`). Handle the result as a secret.
    #[must_use]
    pub fn to_private_jwk(&self) -> Jwk {
        let mut jwk = self.public_key().to_jwk();
        jwk.d = Some(Zeroizing::new(b64url_encode(&self.secret_bytes())));
        jwk
    }

    /// Imports a key pair from a private JWK; `x` (and `y`) must match `d`.
    ///
    /// # Errors
    ///
    /// [`CoreError::MissingPrivateKey`] without `d`; [`CoreError::InvalidJwk`] for a
    /// malformed JWK or a `d` that does not match the public members;
    /// [`CoreError::UnsupportedKeyType`] for other key types.
    pub fn from_jwk(jwk: &Jwk) -> Result<Self> {
        let public = PublicKey::from_jwk(jwk)?;
        let d = jwk.d.as_ref().ok_or(CoreError::MissingPrivateKey)?;
        let secret =
            Zeroizing::new(b64url_decode(d).map_err(|e| CoreError::InvalidJwk(format!("d: {e}")))?);
        let pair = Self::from_secret_bytes(public.key_type(), &secret)
            .map_err(|e| CoreError::InvalidJwk(format!("d: {e}")))?;
        if pair.public_key() != public {
            return Err(CoreError::InvalidJwk("d does not match the public key".into()));
        }
        Ok(pair)
    }

    /// Exports the secret as a Multikey `secretKeyMultibase` value (`z…`, with the
    /// `ed25519-priv` 0x1300 or `p256-priv` 0x1306 prefix). Handle the result as a secret.
    #[must_use]
    pub fn to_private_multikey(&self) -> Zeroizing<String> {
        let codec = match self.key_type() {
            KeyType::Ed25519 => Multicodec::Ed25519Priv,
            KeyType::P256 => Multicodec::P256Priv,
        };
        Zeroizing::new(encoding::multikey_encode(codec, &self.secret_bytes()))
    }

    /// Imports a key pair from a Multikey secret (`secretKeyMultibase`).
    ///
    /// # Errors
    ///
    /// [`CoreError::InvalidMultibase`], [`CoreError::UnsupportedMulticodec`] (including a
    /// public-key prefix), or [`CoreError::InvalidKey`].
    ///
    /// # Examples
    ///
    /// ```
    /// use dpikit_core::keys::KeyPair;
    /// // vc-di-eddsa test vector key pair
    /// let key = KeyPair::from_private_multikey("z3u2en7t5LR2WtQH5PfFqMqwVHBeXouLzo6haApm8XHqvjxq")?;
    /// assert_eq!(key.public_key().to_multikey(), "z6MkrJVnaZkeFzdQyMZu1cgjg7k1pZZ6pvBQ7XJPt4swbTQ2");
    /// # Ok::<(), dpikit_core::CoreError>(())
    /// ```
    pub fn from_private_multikey(text: &str) -> Result<Self> {
        let (codec, key) = encoding::multikey_decode(text)?;
        match codec {
            Multicodec::Ed25519Priv => Self::from_secret_bytes(KeyType::Ed25519, &key),
            Multicodec::P256Priv => Self::from_secret_bytes(KeyType::P256, &key),
            other => {
                Err(CoreError::UnsupportedMulticodec(format!("{other:?} is not a private key")))
            }
        }
    }
}

impl fmt::Debug for KeyPair {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("KeyPair")
            .field("key_type", &self.key_type())
            .field("public", &self.public_key().to_multikey())
            .field("secret", &"<redacted>")
            .finish()
    }
}

impl PartialEq for KeyPair {
    /// Compares the secrets in constant time.
    fn eq(&self, other: &Self) -> bool {
        self.key_type() == other.key_type()
            && bool::from(self.secret_bytes().as_slice().ct_eq(other.secret_bytes().as_slice()))
    }
}

impl Eq for KeyPair {}

/// A public key (Ed25519 or P-256).
#[derive(Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum PublicKey {
    /// An Ed25519 public key.
    Ed25519(ed::VerifyingKey),
    /// A P-256 public key.
    P256(es::VerifyingKey),
}

impl PublicKey {
    /// Parses raw public-key bytes: 32 bytes for Ed25519; SEC1 compressed (33) or
    /// uncompressed (65) bytes for P-256.
    ///
    /// # Errors
    ///
    /// [`CoreError::InvalidKey`] for a wrong length or a point not on the curve.
    pub fn from_bytes(key_type: KeyType, bytes: &[u8]) -> Result<Self> {
        match key_type {
            KeyType::Ed25519 => {
                let arr: [u8; 32] = bytes.try_into().map_err(|_| {
                    CoreError::InvalidKey(format!(
                        "Ed25519 public key must be 32 bytes, got {}",
                        bytes.len()
                    ))
                })?;
                ed::VerifyingKey::from_bytes(&arr)
                    .map(PublicKey::Ed25519)
                    .map_err(|_| CoreError::InvalidKey("not an Ed25519 point".into()))
            }
            KeyType::P256 => es::VerifyingKey::from_sec1_bytes(bytes)
                .map(PublicKey::P256)
                .map_err(|_| CoreError::InvalidKey("not a P-256 SEC1 point".into())),
        }
    }

    /// Returns the raw bytes: 32 for Ed25519, SEC1 compressed (33) for P-256.
    #[must_use]
    pub fn to_bytes(&self) -> Vec<u8> {
        match self {
            PublicKey::Ed25519(k) => k.to_bytes().to_vec(),
            PublicKey::P256(k) => k.to_sec1_point(true).as_bytes().to_vec(),
        }
    }

    /// Returns the key type.
    #[must_use]
    pub fn key_type(&self) -> KeyType {
        match self {
            PublicKey::Ed25519(_) => KeyType::Ed25519,
            PublicKey::P256(_) => KeyType::P256,
        }
    }

    /// Returns the JOSE algorithm this key verifies.
    #[must_use]
    pub fn algorithm(&self) -> Algorithm {
        self.key_type().algorithm()
    }

    /// Verifies a signature made by [`KeyPair::sign`].
    ///
    /// Ed25519 uses strict verification (RFC 8032 §5.1.7 with canonical `S` and no
    /// small-order keys); P-256 takes the 64-byte `r ‖ s` form.
    ///
    /// # Errors
    ///
    /// [`CoreError::MalformedSignature`] for a signature of the wrong length or with
    /// out-of-range scalars; [`CoreError::InvalidSignature`] if it does not verify.
    pub fn verify(&self, message: &[u8], signature: &[u8]) -> Result<()> {
        match self {
            PublicKey::Ed25519(k) => {
                let sig = ed::Signature::from_slice(signature).map_err(|_| {
                    CoreError::MalformedSignature(format!(
                        "Ed25519 signature must be 64 bytes, got {}",
                        signature.len()
                    ))
                })?;
                k.verify_strict(message, &sig).map_err(|_| CoreError::InvalidSignature)
            }
            PublicKey::P256(k) => {
                if signature.len() != 64 {
                    return Err(CoreError::MalformedSignature(format!(
                        "ES256 signature must be 64 bytes, got {}",
                        signature.len()
                    )));
                }
                let sig = es::Signature::from_slice(signature).map_err(|_| {
                    CoreError::MalformedSignature("ES256 r or s out of range".into())
                })?;
                es::signature::Verifier::verify(k, message, &sig)
                    .map_err(|_| CoreError::InvalidSignature)
            }
        }
    }

    /// Returns the public JWK (no `d`).
    #[must_use]
    pub fn to_jwk(&self) -> Jwk {
        match self {
            PublicKey::Ed25519(k) => Jwk::new("OKP", "Ed25519", b64url_encode(k.as_bytes()), None),
            PublicKey::P256(k) => {
                let point = k.to_sec1_point(false);
                let x = point.x().map(|x| b64url_encode(x)).unwrap_or_default();
                let y = point.y().map(|y| b64url_encode(y));
                Jwk::new("EC", "P-256", x, y)
            }
        }
    }

    /// Imports the public part of a JWK (`d`, if present, is ignored here).
    ///
    /// # Errors
    ///
    /// [`CoreError::InvalidJwk`] for missing or malformed members or a point not on the
    /// curve; [`CoreError::UnsupportedKeyType`] for other `kty`/`crv` values.
    ///
    /// # Examples
    ///
    /// ```
    /// use dpikit_core::keys::{Jwk, PublicKey};
    /// // RFC 8037 Appendix A.2
    /// let jwk = Jwk::from_json(br#"{"kty":"OKP","crv":"Ed25519","x":"11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo"}"#)?;
    /// let key = PublicKey::from_jwk(&jwk)?;
    /// assert_eq!(key.jwk_thumbprint(), "kPrK_qmxVWaYVA9wwBF6Iuo3vVzz7TxHCTwXBygrS4k");
    /// # Ok::<(), dpikit_core::CoreError>(())
    /// ```
    pub fn from_jwk(jwk: &Jwk) -> Result<Self> {
        let coord = |name: &str, v: Option<&String>| -> Result<Vec<u8>> {
            let text = v.ok_or_else(|| CoreError::InvalidJwk(format!("missing {name}")))?;
            let bytes =
                b64url_decode(text).map_err(|e| CoreError::InvalidJwk(format!("{name}: {e}")))?;
            if bytes.len() != 32 {
                return Err(CoreError::InvalidJwk(format!(
                    "{name} must be 32 bytes, got {}",
                    bytes.len()
                )));
            }
            Ok(bytes)
        };
        match (jwk.kty.as_str(), jwk.crv.as_deref()) {
            ("OKP", Some("Ed25519")) => {
                let x = coord("x", jwk.x.as_ref())?;
                Self::from_bytes(KeyType::Ed25519, &x)
                    .map_err(|e| CoreError::InvalidJwk(e.to_string()))
            }
            ("EC", Some("P-256")) => {
                let x = coord("x", jwk.x.as_ref())?;
                let y = coord("y", jwk.y.as_ref())?;
                let mut sec1 = Vec::with_capacity(65);
                sec1.push(0x04);
                sec1.extend_from_slice(&x);
                sec1.extend_from_slice(&y);
                Self::from_bytes(KeyType::P256, &sec1)
                    .map_err(|e| CoreError::InvalidJwk(e.to_string()))
            }
            ("OKP" | "EC", crv) => Err(CoreError::UnsupportedKeyType(format!(
                "{} curve {}",
                jwk.kty,
                crv.unwrap_or("(none)")
            ))),
            (kty, _) => Err(CoreError::UnsupportedKeyType(format!("kty {kty}"))),
        }
    }

    /// Returns the RFC 7638 JWK thumbprint (SHA-256, base64url).
    #[must_use]
    pub fn jwk_thumbprint(&self) -> String {
        self.to_jwk().thumbprint()
    }

    /// Returns the Multikey `publicKeyMultibase` value (`z6Mk…` for Ed25519, `zDn…` for
    /// P-256 compressed).
    #[must_use]
    pub fn to_multikey(&self) -> String {
        let codec = match self {
            PublicKey::Ed25519(_) => Multicodec::Ed25519Pub,
            PublicKey::P256(_) => Multicodec::P256Pub,
        };
        encoding::multikey_encode(codec, &self.to_bytes())
    }

    /// Parses a Multikey `publicKeyMultibase` value.
    ///
    /// # Errors
    ///
    /// [`CoreError::InvalidMultibase`], [`CoreError::UnsupportedMulticodec`] (including a
    /// private-key prefix), or [`CoreError::InvalidKey`].
    pub fn from_multikey(text: &str) -> Result<Self> {
        let (codec, key) = encoding::multikey_decode(text)?;
        match codec {
            Multicodec::Ed25519Pub => Self::from_bytes(KeyType::Ed25519, &key),
            Multicodec::P256Pub => Self::from_bytes(KeyType::P256, &key),
            other => {
                Err(CoreError::UnsupportedMulticodec(format!("{other:?} is not a public key")))
            }
        }
    }
}

impl fmt::Debug for PublicKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "PublicKey({}, {})", self.key_type(), self.to_multikey())
    }
}

/// A JSON Web Key (RFC 7517) for `OKP`/`Ed25519` (RFC 8037) or `EC`/`P-256`.
///
/// `d` is the private part; it is zeroized on drop and redacted in `Debug`. It is present
/// only in JWKs parsed with it or made by [`KeyPair::to_private_jwk`].
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Jwk {
    /// Key type: `OKP` or `EC`.
    pub kty: String,
    /// Curve: `Ed25519` or `P-256`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub crv: Option<String>,
    /// Public x (base64url).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub x: Option<String>,
    /// Public y for EC keys (base64url).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub y: Option<String>,
    /// Private part (base64url); secret.
    #[serde(default, skip_serializing_if = "Option::is_none", with = "secret_string")]
    pub d: Option<Zeroizing<String>>,
    /// Key id.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub kid: Option<String>,
    /// Intended algorithm.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub alg: Option<String>,
    /// Intended use (`sig`).
    #[serde(default, rename = "use", skip_serializing_if = "Option::is_none")]
    pub use_: Option<String>,
}

mod secret_string {
    use serde::{Deserialize, Deserializer, Serializer};
    use zeroize::Zeroizing;

    #[allow(clippy::ref_option)] // serde's `with` passes `&Option<T>`.
    pub(super) fn serialize<S: Serializer>(
        v: &Option<Zeroizing<String>>,
        s: S,
    ) -> Result<S::Ok, S::Error> {
        match v {
            Some(d) => s.serialize_str(d),
            None => s.serialize_none(),
        }
    }

    pub(super) fn deserialize<'de, D: Deserializer<'de>>(
        d: D,
    ) -> Result<Option<Zeroizing<String>>, D::Error> {
        Ok(Option::<String>::deserialize(d)?.map(Zeroizing::new))
    }
}

/// Largest JWK text accepted by [`Jwk::from_json`].
const MAX_JWK_BYTES: usize = 16 * 1024;

impl Jwk {
    fn new(kty: &str, crv: &str, x: String, y: Option<String>) -> Self {
        Jwk {
            kty: kty.to_owned(),
            crv: Some(crv.to_owned()),
            x: Some(x),
            y,
            d: None,
            kid: None,
            alg: None,
            use_: None,
        }
    }

    /// Parses a JWK from JSON text (at most 16 KiB, depth 8; duplicate keys rejected).
    ///
    /// # Errors
    ///
    /// The JSON intake errors of [`crate::parse_json`], or [`CoreError::InvalidJwk`] when
    /// the members have the wrong types.
    pub fn from_json(bytes: &[u8]) -> Result<Self> {
        let limits = Limits { max_bytes: MAX_JWK_BYTES, max_depth: 8 };
        parse_json_as(bytes, &limits).map_err(|e| match e {
            CoreError::UnexpectedJson(m) => CoreError::InvalidJwk(m),
            other => other,
        })
    }

    /// Returns the JWK as compact JSON. Includes `d` only if this JWK holds it.
    #[must_use]
    pub fn to_json(&self) -> String {
        // Serializing a struct of strings cannot fail.
        serde_json::to_string(self).unwrap_or_default()
    }

    /// Returns a copy without the private member `d`.
    #[must_use]
    pub fn to_public(&self) -> Jwk {
        Jwk { d: None, ..self.clone() }
    }

    /// Returns whether this JWK holds a private part.
    #[must_use]
    pub fn is_private(&self) -> bool {
        self.d.is_some()
    }

    /// Returns the RFC 7638 thumbprint input: the required members in lexicographic order,
    /// no whitespace.
    #[must_use]
    pub fn thumbprint_input(&self) -> String {
        // JSON string literals with RFC 8259 escaping; a well-formed key never needs any.
        let q = |v: Option<&str>| {
            serde_json::to_string(v.unwrap_or_default()).unwrap_or_else(|_| "\"\"".into())
        };
        if self.kty == "EC" {
            format!(
                r#"{{"crv":{},"kty":"EC","x":{},"y":{}}}"#,
                q(self.crv.as_deref()),
                q(self.x.as_deref()),
                q(self.y.as_deref())
            )
        } else {
            format!(
                r#"{{"crv":{},"kty":{},"x":{}}}"#,
                q(self.crv.as_deref()),
                q(Some(&self.kty)),
                q(self.x.as_deref())
            )
        }
    }

    /// Returns the RFC 7638 thumbprint (SHA-256 of [`Jwk::thumbprint_input`], base64url).
    #[must_use]
    pub fn thumbprint(&self) -> String {
        b64url_encode(&Sha256::digest(self.thumbprint_input().as_bytes()))
    }
}

impl fmt::Debug for Jwk {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Jwk")
            .field("kty", &self.kty)
            .field("crv", &self.crv)
            .field("x", &self.x)
            .field("y", &self.y)
            .field("d", &self.d.as_ref().map(|_| "<redacted>"))
            .field("kid", &self.kid)
            .finish_non_exhaustive()
    }
}
