//! SD-JWT (RFC 9901) and SD-JWT VC: selective disclosure for JWTs, with key binding.
//!
//! The issuer replaces chosen claims (object members and array elements, at any depth)
//! by salted SHA-256 digests and hands the holder one disclosure per concealed claim; the
//! holder presents the issuer-signed JWT with the disclosures it chooses, bound to a
//! verifier's `nonce` and `aud` with a key binding JWT (`kb+jwt`) signed by the key in
//! `cnf.jwk`; the verifier checks the issuer signature, that every disclosure is referenced
//! exactly once, rebuilds the disclosed claims, and checks the key binding.
//!
//! Claims are addressed by JSON Pointer (RFC 6901): `/address/street_address`,
//! `/nationalities/0`. Array indices count the elements of the original array.
//!
//! # Examples
//!
//! ```
//! use dpikit_core::keys::{KeyPair, KeyType};
//! use dpikit_credentials::sdjwt::{issue_vc, verify, IssueOptions, SdJwt, SdJwtVerifyOptions};
//! use serde_json::json;
//!
//! let city = KeyPair::generate(KeyType::Ed25519)?;
//! let resident = KeyPair::generate(KeyType::P256)?;
//! let claims = json!({
//!     "iss": "https://springfield.example/residents",
//!     "vct": "https://springfield.example/residency",
//!     "name": "Zoë Ñandú",
//!     "birth_year": 1987,
//!     "address": {"street": "742 Evergreen Terrace", "city": "Springfield"},
//! });
//! let options = IssueOptions { holder_key: Some(resident.public_key()), decoys: 2, ..IssueOptions::default() };
//! let issued = issue_vc(&claims, &["/name", "/birth_year", "/address/street"], &city, &options)?;
//!
//! // The resident shows only the city part of the address to the library.
//! let shown = issued.present(&["/address/city"])?.bind(&resident, "https://library.example", "n-7f3a", 1_900_000_000)?;
//!
//! let opts = SdJwtVerifyOptions::default()
//!     .with_issuer_key(city.public_key())
//!     .with_key_binding("n-7f3a", "https://library.example")
//!     .at_unix(1_900_000_010)
//!     .vc();
//! let verified = verify(&shown.to_string(), &opts)?;
//! assert_eq!(verified.claims["address"], json!({"city": "Springfield"}));
//! assert!(verified.claims.get("name").is_none());
//! # Ok::<(), dpikit_credentials::CredentialError>(())
//! ```

use std::collections::{HashMap, HashSet};
use std::fmt;

use chrono::{Duration, Utc};
use serde_json::{Map, Value, json};
use sha2::{Digest as _, Sha256};

use dpikit_core::did::{StaticResolver, parse_did_url};
use dpikit_core::encoding::{b64url_decode, b64url_encode};
use dpikit_core::json::{Limits, parse_json};
use dpikit_core::jws::{self, Header, SignOptions, Signer, VerifyOptions};
use dpikit_core::keys::{Jwk, PublicKey};
use dpikit_core::time::Timestamp;
use dpikit_core::{CoreError, ErrorCode};

use crate::di::{ProofPurpose, resolve_for_purpose};
use crate::model::CREDENTIAL_LIMITS;
use crate::{CredentialError, Result};

/// `typ` of an SD-JWT VC.
pub const DC_SD_JWT: &str = "dc+sd-jwt";
/// The earlier `typ` of an SD-JWT VC, accepted on verify.
pub const VC_SD_JWT: &str = "vc+sd-jwt";
/// `typ` of a key binding JWT.
pub const KB_JWT: &str = "kb+jwt";
/// The only supported `_sd_alg`.
pub const SHA_256: &str = "sha-256";
/// Largest SD-JWT accepted, in bytes.
pub const MAX_SD_JWT_BYTES: usize = 1 << 20;
/// Most disclosures accepted in one SD-JWT.
pub const MAX_DISCLOSURES: usize = 4096;
/// Deepest nesting of objects, arrays and disclosures while processing.
pub const MAX_PROCESSING_DEPTH: usize = 64;
/// The default KB-JWT age accepted: 300 seconds.
pub const DEFAULT_KB_MAX_AGE_SECONDS: i64 = 300;

/// Claims of an SD-JWT VC that must never be selectively disclosable.
const VC_VISIBLE: &[&str] = &["iss", "nbf", "exp", "cnf", "vct", "vct#integrity", "status"];

const DISCLOSURE_LIMITS: Limits = Limits { max_bytes: 256 * 1024, max_depth: 32 };

fn salt() -> Result<String> {
    let mut buf = [0u8; 16];
    getrandom::fill(&mut buf).map_err(|_| CoreError::RandomnessUnavailable)?;
    Ok(b64url_encode(&buf))
}

fn random_index(bound: usize) -> Result<usize> {
    let mut buf = [0u8; 8];
    getrandom::fill(&mut buf).map_err(|_| CoreError::RandomnessUnavailable)?;
    let n = u64::from_le_bytes(buf);
    let bound = u64::try_from(bound.max(1)).unwrap_or(u64::MAX);
    Ok(usize::try_from(n % bound).unwrap_or(0))
}

fn digest_of(text: &str) -> String {
    b64url_encode(&Sha256::digest(text.as_bytes()))
}

/// Escapes one JSON Pointer reference token (RFC 6901).
fn escape(token: &str) -> String {
    token.replace('~', "~0").replace('/', "~1")
}

/// One disclosure: a salt, an optional claim name (absent for array elements) and a value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Disclosure {
    /// The disclosure as it appears in the SD-JWT (base64url of the JSON array).
    pub encoded: String,
    /// The salt.
    pub salt: String,
    /// The claim name; `None` for an array element.
    pub name: Option<String>,
    /// The claim value, as the issuer put it (it may itself hold `_sd` digests).
    pub value: Value,
    /// base64url(SHA-256(`encoded`)): what the payload references.
    pub digest: String,
}

impl Disclosure {
    /// Creates a disclosure with a fresh 128-bit salt from the OS RNG.
    ///
    /// # Errors
    ///
    /// [`CoreError::RandomnessUnavailable`]; [`CredentialError::MalformedDisclosure`] for
    /// the reserved names `_sd` and `...`.
    ///
    /// # Examples
    ///
    /// ```
    /// use dpikit_credentials::sdjwt::Disclosure;
    /// let d = Disclosure::new(Some("city"), serde_json::json!("Springfield"))?;
    /// assert_eq!(Disclosure::parse(&d.encoded)?, d);
    /// # Ok::<(), dpikit_credentials::CredentialError>(())
    /// ```
    pub fn new(name: Option<&str>, value: Value) -> Result<Self> {
        if let Some(n) = name {
            check_name(n)?;
        }
        let salt = salt()?;
        let array = match name {
            Some(n) => json!([salt, n, value]),
            None => json!([salt, value]),
        };
        let text = serde_json::to_string(&array)
            .map_err(|e| CredentialError::MalformedDisclosure(e.to_string()))?;
        let encoded = b64url_encode(text.as_bytes());
        let digest = digest_of(&encoded);
        Ok(Disclosure { encoded, salt, name: name.map(str::to_owned), value, digest })
    }

    /// Parses one encoded disclosure.
    ///
    /// # Errors
    ///
    /// [`CredentialError::MalformedDisclosure`] unless it is base64url of a JSON array
    /// `[salt, name, value]` or `[salt, value]` with string salt and name (not `_sd`/`...`).
    ///
    /// # Examples
    ///
    /// The `region` disclosure of RFC 9901 Appendix A.1:
    ///
    /// ```
    /// use dpikit_credentials::sdjwt::Disclosure;
    /// let d = Disclosure::parse("WyJHMDJOU3JRZmpGWFE3SW8wOXN5YWpBIiwgInJlZ2lvbiIsICJcdTZlMmZcdTUzM2EiXQ")?;
    /// assert_eq!(d.name.as_deref(), Some("region"));
    /// assert_eq!(d.value, "港区");
    /// # Ok::<(), dpikit_credentials::CredentialError>(())
    /// ```
    pub fn parse(encoded: &str) -> Result<Self> {
        let bad = |why: String| CredentialError::MalformedDisclosure(why);
        let bytes = b64url_decode(encoded).map_err(|e| bad(e.to_string()))?;
        let value = parse_json(&bytes, &DISCLOSURE_LIMITS).map_err(|e| bad(e.to_string()))?;
        let Value::Array(items) = value else {
            return Err(bad("not a JSON array".into()));
        };
        let (salt, name, value) = match items.as_slice() {
            [Value::String(s), v] => (s.clone(), None, v.clone()),
            [Value::String(s), Value::String(n), v] => (s.clone(), Some(n.clone()), v.clone()),
            [_, _] | [_, _, _] => return Err(bad("salt and claim name must be strings".into())),
            _ => return Err(bad(format!("{} elements where 2 or 3 are required", items.len()))),
        };
        if let Some(n) = &name {
            check_name(n)?;
        }
        Ok(Disclosure {
            encoded: encoded.to_owned(),
            salt,
            name,
            value,
            digest: digest_of(encoded),
        })
    }
}

fn check_name(name: &str) -> Result<()> {
    if name == "_sd" || name == "..." {
        return Err(CredentialError::MalformedDisclosure(format!(
            "claim name {name:?} is reserved"
        )));
    }
    Ok(())
}

/// An SD-JWT: the issuer-signed JWT, disclosures, and an optional key binding JWT.
///
/// [`fmt::Display`] gives the compact form `<jwt>~<d1>~…~<dn>~[<kb-jwt>]`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SdJwt {
    /// The issuer-signed JWT (compact JWS).
    pub issuer_jwt: String,
    /// The disclosures, in order.
    pub disclosures: Vec<Disclosure>,
    /// The key binding JWT, if any.
    pub kb_jwt: Option<String>,
}

impl fmt::Display for SdJwt {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.without_key_binding())?;
        if let Some(kb) = &self.kb_jwt {
            f.write_str(kb)?;
        }
        Ok(())
    }
}

/// Options for [`issue`] and [`issue_vc`].
#[derive(Debug, Clone)]
pub struct IssueOptions {
    /// The JWT `typ` (default `dc+sd-jwt`).
    pub typ: String,
    /// Decoy digests added to every `_sd` array and every array with concealed elements.
    pub decoys: usize,
    /// The holder's public key, put in `cnf.jwk` for key binding.
    pub holder_key: Option<PublicKey>,
}

impl Default for IssueOptions {
    fn default() -> Self {
        IssueOptions { typ: DC_SD_JWT.to_owned(), decoys: 0, holder_key: None }
    }
}

struct Concealer<'a> {
    targets: &'a HashSet<String>,
    used: HashSet<String>,
    disclosures: Vec<Disclosure>,
    decoys: usize,
}

impl Concealer<'_> {
    fn decoy() -> Result<String> {
        Ok(digest_of(&salt()?))
    }

    fn conceal(&mut self, value: &Value, path: &str, depth: usize) -> Result<Value> {
        if depth > MAX_PROCESSING_DEPTH {
            return Err(CredentialError::MalformedSdJwt("claims nested too deeply".into()));
        }
        match value {
            Value::Object(map) => {
                let mut out = Map::new();
                let mut sd = Vec::new();
                for (k, v) in map {
                    if k == "_sd" || k == "..." || k == "_sd_alg" {
                        return Err(CredentialError::MalformedSdJwt(format!(
                            "claim name {k:?} is reserved by SD-JWT"
                        )));
                    }
                    let p = format!("{path}/{}", escape(k));
                    let processed = self.conceal(v, &p, depth + 1)?;
                    if self.targets.contains(&p) {
                        self.used.insert(p);
                        let d = Disclosure::new(Some(k), processed)?;
                        sd.push(d.digest.clone());
                        self.disclosures.push(d);
                    } else {
                        out.insert(k.clone(), processed);
                    }
                }
                if !sd.is_empty() {
                    for _ in 0..self.decoys {
                        sd.push(Self::decoy()?);
                    }
                    sd.sort_unstable();
                    out.insert("_sd".into(), sd.into());
                }
                Ok(Value::Object(out))
            }
            Value::Array(items) => {
                let mut out = Vec::with_capacity(items.len());
                let mut concealed = false;
                for (i, v) in items.iter().enumerate() {
                    let p = format!("{path}/{i}");
                    let processed = self.conceal(v, &p, depth + 1)?;
                    if self.targets.contains(&p) {
                        self.used.insert(p);
                        concealed = true;
                        let d = Disclosure::new(None, processed)?;
                        out.push(json!({"...": d.digest}));
                        self.disclosures.push(d);
                    } else {
                        out.push(processed);
                    }
                }
                if concealed {
                    for _ in 0..self.decoys {
                        let at = random_index(out.len() + 1)?;
                        out.insert(at, json!({"...": Self::decoy()?}));
                    }
                }
                Ok(Value::Array(out))
            }
            other => Ok(other.clone()),
        }
    }
}

/// Issues an SD-JWT: the claims at the JSON Pointers in `disclosable` become selectively
/// disclosable (a pointer under another one nests the disclosures), `_sd_alg` is
/// `sha-256`, and `cnf.jwk` carries the holder key when one is given.
///
/// # Errors
///
/// [`CredentialError::MalformedSdJwt`] when the claims are not an object, use a reserved
/// name (`_sd`, `_sd_alg`, `...`), or a pointer names no claim (or the root);
/// [`CoreError::RandomnessUnavailable`]; signer errors.
///
/// # Examples
///
/// ```
/// use dpikit_core::keys::{KeyPair, KeyType};
/// use dpikit_credentials::sdjwt::{issue, IssueOptions};
/// let key = KeyPair::generate(KeyType::Ed25519)?;
/// let claims = serde_json::json!({"iss": "https://city.example", "entitlements": ["pool", "library"]});
/// let sd = issue(&claims, &["/entitlements/1"], &key, &IssueOptions::default())?;
/// assert_eq!(sd.disclosures.len(), 1);
/// assert!(sd.to_string().ends_with('~'));
/// # Ok::<(), dpikit_credentials::CredentialError>(())
/// ```
pub fn issue(
    claims: &Value,
    disclosable: &[&str],
    signer: &dyn Signer,
    options: &IssueOptions,
) -> Result<SdJwt> {
    if !claims.is_object() {
        return Err(CredentialError::MalformedSdJwt("claims must be a JSON object".into()));
    }
    let targets: HashSet<String> = disclosable.iter().map(|p| (*p).to_owned()).collect();
    if targets.contains("") {
        return Err(CredentialError::MalformedSdJwt("the root cannot be disclosable".into()));
    }
    let mut concealer = Concealer {
        targets: &targets,
        used: HashSet::new(),
        disclosures: Vec::new(),
        decoys: options.decoys,
    };
    let mut payload = concealer.conceal(claims, "", 0)?;
    if let Some(missing) = disclosable.iter().find(|p| !concealer.used.contains(**p)) {
        return Err(CredentialError::MalformedSdJwt(format!("no claim at pointer {missing:?}")));
    }
    if let Value::Object(map) = &mut payload {
        map.insert("_sd_alg".into(), SHA_256.into());
        if let Some(holder) = &options.holder_key {
            let jwk = serde_json::to_value(holder.to_jwk())
                .map_err(|e| CredentialError::MalformedSdJwt(e.to_string()))?;
            map.insert("cnf".into(), json!({ "jwk": jwk }));
        }
    }
    let bytes =
        serde_json::to_vec(&payload).map_err(|e| CredentialError::MalformedSdJwt(e.to_string()))?;
    let opts = SignOptions { typ: Some(options.typ.clone()), ..SignOptions::default() };
    let issuer_jwt = jws::sign(&bytes, signer, &opts)?;
    Ok(SdJwt { issuer_jwt, disclosures: concealer.disclosures, kb_jwt: None })
}

/// Issues an SD-JWT VC: as [`issue`], and requires a string `vct`, a `typ` of `dc+sd-jwt`
/// (or `vc+sd-jwt`), and keeps `iss`, `nbf`, `exp`, `cnf`, `vct`, `status` always visible.
///
/// # Errors
///
/// As [`issue`], plus [`CredentialError::SdJwtVcInvalid`] for a missing `vct`, another
/// `typ`, or one of those claims listed as disclosable.
///
/// # Examples
///
/// See the [module documentation](self).
pub fn issue_vc(
    claims: &Value,
    disclosable: &[&str],
    signer: &dyn Signer,
    options: &IssueOptions,
) -> Result<SdJwt> {
    if !claims.get("vct").is_some_and(Value::is_string) {
        return Err(CredentialError::SdJwtVcInvalid("vct (a string) is required".into()));
    }
    if options.typ != DC_SD_JWT && options.typ != VC_SD_JWT {
        return Err(CredentialError::SdJwtVcInvalid(format!(
            "typ {} is not dc+sd-jwt",
            options.typ
        )));
    }
    for name in VC_VISIBLE {
        let pointer = format!("/{}", escape(name));
        if disclosable.iter().any(|p| *p == pointer || p.starts_with(&format!("{pointer}/"))) {
            return Err(CredentialError::SdJwtVcInvalid(format!(
                "{name} must not be selectively disclosable"
            )));
        }
    }
    issue(claims, disclosable, signer, options)
}

impl SdJwt {
    /// Parses the compact form `<jwt>~<d1>~…~<dn>~[<kb-jwt>]` (signatures not checked).
    ///
    /// # Errors
    ///
    /// [`CoreError::InputTooLarge`] over [`MAX_SD_JWT_BYTES`];
    /// [`CredentialError::MalformedSdJwt`] for a wrong shape (no `~`, empty parts, a JWT
    /// that is not three segments, too many disclosures);
    /// [`CredentialError::MalformedDisclosure`] for a bad disclosure.
    ///
    /// # Examples
    ///
    /// ```
    /// use dpikit_credentials::sdjwt::SdJwt;
    /// use dpikit_core::ErrorCode;
    /// assert_eq!(SdJwt::parse("a.b.c").unwrap_err().code(), ErrorCode::MalformedSdJwt);
    /// let sd = SdJwt::parse("a.b.c~")?;
    /// assert!(sd.disclosures.is_empty() && sd.kb_jwt.is_none());
    /// # Ok::<(), dpikit_credentials::CredentialError>(())
    /// ```
    pub fn parse(text: &str) -> Result<Self> {
        let text = text.trim();
        if text.len() > MAX_SD_JWT_BYTES {
            return Err(
                CoreError::InputTooLarge { size: text.len(), limit: MAX_SD_JWT_BYTES }.into()
            );
        }
        let bad = |why: &str| CredentialError::MalformedSdJwt(why.to_owned());
        let parts: Vec<&str> = text.split('~').collect();
        let (Some((first, rest)), true) = (parts.split_first(), parts.len() >= 2) else {
            return Err(bad("an SD-JWT has at least one '~'"));
        };
        let Some((last, middle)) = rest.split_last() else {
            return Err(bad("an SD-JWT has at least one '~'"));
        };
        let segments: Vec<&str> = first.split('.').collect();
        // An empty signature segment is left to the JWS check, so that an unsecured
        // (`alg: none`) issuer JWT is reported as such.
        if segments.len() != 3 || segments[0].is_empty() {
            return Err(bad("the issuer-signed JWT must be a compact JWS of three segments"));
        }
        if middle.len() > MAX_DISCLOSURES {
            return Err(bad("too many disclosures"));
        }
        let disclosures = middle
            .iter()
            .map(|d| {
                if d.is_empty() {
                    Err(bad("empty disclosure (two '~' in a row)"))
                } else {
                    Disclosure::parse(d)
                }
            })
            .collect::<Result<Vec<_>>>()?;
        let kb_jwt = if last.is_empty() {
            None
        } else if last.split('.').count() == 3 {
            Some((*last).to_owned())
        } else {
            return Err(bad("the key binding JWT must be a compact JWS of three segments"));
        };
        Ok(SdJwt { issuer_jwt: (*first).to_owned(), disclosures, kb_jwt })
    }

    /// Returns the compact form without the key binding JWT (ending in `~`): the input of
    /// `sd_hash`.
    #[must_use]
    pub fn without_key_binding(&self) -> String {
        let mut s = self.issuer_jwt.clone();
        s.push('~');
        for d in &self.disclosures {
            s.push_str(&d.encoded);
            s.push('~');
        }
        s
    }

    /// Returns `sd_hash`: base64url(SHA-256) of [`SdJwt::without_key_binding`].
    #[must_use]
    pub fn sd_hash(&self) -> String {
        digest_of(&self.without_key_binding())
    }

    /// Reads the issuer-signed payload without verifying the signature (for the holder).
    ///
    /// # Errors
    ///
    /// Core JWS and JSON intake errors.
    pub fn unverified_payload(&self) -> Result<Value> {
        let decoded = jws::decode(&self.issuer_jwt, MAX_SD_JWT_BYTES)?;
        let bytes = b64url_decode(decoded.payload_segment)?;
        let payload = parse_json(&bytes, &CREDENTIAL_LIMITS)?;
        if payload.is_object() {
            Ok(payload)
        } else {
            Err(CredentialError::MalformedSdJwt("payload is not a JSON object".into()))
        }
    }

    /// Returns a presentation that discloses only the claims at the JSON Pointers in
    /// `reveal` (with what they contain, and the disclosures of their parents), without a
    /// key binding JWT.
    ///
    /// # Errors
    ///
    /// [`CredentialError::MalformedSdJwt`] for a pointer that names no claim; payload
    /// errors as [`SdJwt::unverified_payload`].
    ///
    /// # Examples
    ///
    /// See the [module documentation](self).
    pub fn present(&self, reveal: &[&str]) -> Result<SdJwt> {
        let payload = self.unverified_payload()?;
        let by_digest: HashMap<&str, usize> =
            self.disclosures.iter().enumerate().map(|(i, d)| (d.digest.as_str(), i)).collect();
        let mut selector = Selector {
            reveal,
            by_digest: &by_digest,
            disclosures: &self.disclosures,
            chosen: HashSet::new(),
            matched: HashSet::new(),
        };
        selector.walk(&payload, "", 0)?;
        if let Some(missing) = reveal.iter().find(|p| !selector.matched.contains(**p)) {
            return Err(CredentialError::MalformedSdJwt(format!(
                "no claim at pointer {missing:?}"
            )));
        }
        let disclosures = self
            .disclosures
            .iter()
            .enumerate()
            .filter(|(i, _)| selector.chosen.contains(i))
            .map(|(_, d)| d.clone())
            .collect();
        Ok(SdJwt { issuer_jwt: self.issuer_jwt.clone(), disclosures, kb_jwt: None })
    }

    /// Adds (or replaces) the key binding JWT: `typ: kb+jwt`, with `iat` (Unix seconds),
    /// `aud`, `nonce` and `sd_hash`, signed by the holder.
    ///
    /// # Errors
    ///
    /// Signer errors.
    ///
    /// # Examples
    ///
    /// See the [module documentation](self).
    pub fn bind(
        &self,
        holder: &dyn Signer,
        audience: &str,
        nonce: &str,
        iat: i64,
    ) -> Result<SdJwt> {
        let claims =
            json!({ "iat": iat, "aud": audience, "nonce": nonce, "sd_hash": self.sd_hash() });
        let bytes = serde_json::to_vec(&claims)
            .map_err(|e| CredentialError::MalformedSdJwt(e.to_string()))?;
        let opts = SignOptions { typ: Some(KB_JWT.to_owned()), ..SignOptions::default() };
        let kb = jws::sign(&bytes, holder, &opts)?;
        Ok(SdJwt { kb_jwt: Some(kb), ..self.clone() })
    }
}

struct Selector<'a> {
    reveal: &'a [&'a str],
    by_digest: &'a HashMap<&'a str, usize>,
    disclosures: &'a [Disclosure],
    chosen: HashSet<usize>,
    matched: HashSet<String>,
}

impl Selector<'_> {
    fn wanted(&self, path: &str) -> bool {
        self.reveal.iter().any(|r| {
            *r == path
                || r.strip_prefix(path).is_some_and(|rest| rest.starts_with('/'))
                || path.strip_prefix(*r).is_some_and(|rest| rest.starts_with('/'))
        })
    }

    fn mark(&mut self, path: &str) {
        if self.reveal.contains(&path) {
            self.matched.insert(path.to_owned());
        }
    }

    fn disclosed(&mut self, digest: &Value, path: &str, depth: usize) -> Result<bool> {
        let Some(&i) = digest.as_str().and_then(|d| self.by_digest.get(d)) else {
            return Ok(false);
        };
        if self.wanted(path) {
            self.chosen.insert(i);
        }
        self.mark(path);
        let disclosures = self.disclosures;
        self.walk(&disclosures[i].value, path, depth + 1)?;
        Ok(true)
    }

    fn walk(&mut self, value: &Value, path: &str, depth: usize) -> Result<()> {
        if depth > MAX_PROCESSING_DEPTH {
            return Err(CredentialError::MalformedSdJwt("nested too deeply".into()));
        }
        match value {
            Value::Object(map) => {
                for (k, v) in map {
                    if k == "_sd" {
                        continue;
                    }
                    let p = format!("{path}/{}", escape(k));
                    self.mark(&p);
                    self.walk(v, &p, depth + 1)?;
                }
                if let Some(Value::Array(digests)) = map.get("_sd") {
                    for d in digests {
                        let Some(i) = d.as_str().and_then(|d| self.by_digest.get(d)) else {
                            continue;
                        };
                        let Some(name) = self.disclosures[*i].name.clone() else { continue };
                        let p = format!("{path}/{}", escape(&name));
                        self.disclosed(d, &p, depth)?;
                    }
                }
            }
            Value::Array(items) => {
                let mut index = 0usize;
                for item in items {
                    if let Some(d) = array_digest(item) {
                        let p = format!("{path}/{index}");
                        if self.disclosed(d, &p, depth)? {
                            index += 1;
                        }
                    } else {
                        let p = format!("{path}/{index}");
                        self.mark(&p);
                        self.walk(item, &p, depth + 1)?;
                        index += 1;
                    }
                }
            }
            _ => {}
        }
        Ok(())
    }
}

/// The digest of an array element `{"...": digest}`.
fn array_digest(item: &Value) -> Option<&Value> {
    match item {
        Value::Object(m) if m.len() == 1 => m.get("..."),
        _ => None,
    }
}

/// Options for [`verify`].
#[derive(Debug, Clone)]
pub struct SdJwtVerifyOptions {
    /// The issuer's public key; when `None`, the JWT's `kid` (a did:key or did:jwk URL) is
    /// resolved and its DID must be `iss`.
    pub issuer_key: Option<PublicKey>,
    /// Require a key binding JWT.
    pub require_key_binding: bool,
    /// The `nonce` the KB-JWT must carry.
    pub nonce: Option<String>,
    /// The `aud` the KB-JWT must carry.
    pub audience: Option<String>,
    /// The instant to verify at (default: the system clock).
    pub now: Option<Timestamp>,
    /// Clock skew tolerance (default 60 s).
    pub skew: Duration,
    /// Oldest KB-JWT `iat` accepted, before the skew (default 300 s).
    pub kb_max_age: Duration,
    /// Apply the SD-JWT VC rules (`typ`, `vct`, visible claims).
    pub vc: bool,
}

impl Default for SdJwtVerifyOptions {
    fn default() -> Self {
        SdJwtVerifyOptions {
            issuer_key: None,
            require_key_binding: false,
            nonce: None,
            audience: None,
            now: None,
            skew: Duration::seconds(crate::verify::DEFAULT_SKEW_SECONDS),
            kb_max_age: Duration::seconds(DEFAULT_KB_MAX_AGE_SECONDS),
            vc: false,
        }
    }
}

impl SdJwtVerifyOptions {
    /// Verifies the issuer signature with this key.
    #[must_use]
    pub fn with_issuer_key(mut self, key: PublicKey) -> Self {
        self.issuer_key = Some(key);
        self
    }

    /// Requires a key binding JWT with this `nonce` and `aud`.
    #[must_use]
    pub fn with_key_binding(
        mut self,
        nonce: impl Into<String>,
        audience: impl Into<String>,
    ) -> Self {
        self.require_key_binding = true;
        self.nonce = Some(nonce.into());
        self.audience = Some(audience.into());
        self
    }

    /// Verifies as of this instant.
    #[must_use]
    pub fn at(mut self, now: Timestamp) -> Self {
        self.now = Some(now);
        self
    }

    /// Verifies as of these Unix seconds (ignored when out of range).
    #[must_use]
    pub fn at_unix(self, seconds: i64) -> Self {
        match dpikit_core::time::from_unix(seconds) {
            Ok(t) => self.at(t),
            Err(_) => self,
        }
    }

    /// Applies the SD-JWT VC rules.
    #[must_use]
    pub fn vc(mut self) -> Self {
        self.vc = true;
        self
    }
}

/// What a verified key binding JWT said.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KeyBinding {
    /// `aud`.
    pub audience: String,
    /// `nonce`.
    pub nonce: String,
    /// `iat`, Unix seconds.
    pub iat: i64,
}

/// A verified SD-JWT: the processed payload and what was disclosed.
#[derive(Debug, Clone, PartialEq)]
pub struct VerifiedSdJwt {
    /// The issuer JWT's protected header.
    pub header: Header,
    /// The processed payload: disclosed claims in place, `_sd`, `_sd_alg` and undisclosed
    /// digests removed.
    pub claims: Value,
    /// The disclosures presented.
    pub disclosures: Vec<Disclosure>,
    /// The key binding, when a KB-JWT was presented.
    pub key_binding: Option<KeyBinding>,
}

impl VerifiedSdJwt {
    /// Returns `vct` (SD-JWT VC credential type).
    #[must_use]
    pub fn vct(&self) -> Option<&str> {
        self.claims.get("vct").and_then(Value::as_str)
    }

    /// Returns `iss`.
    #[must_use]
    pub fn iss(&self) -> Option<&str> {
        self.claims.get("iss").and_then(Value::as_str)
    }

    /// Returns the `status` claim (a Token Status List reference, kept, not fetched).
    #[must_use]
    pub fn status(&self) -> Option<&Value> {
        self.claims.get("status")
    }
}

struct Processor<'a> {
    by_digest: HashMap<&'a str, &'a Disclosure>,
    seen: HashSet<String>,
    used: HashSet<&'a str>,
    top_level_disclosed: Vec<String>,
}

impl<'a> Processor<'a> {
    fn reference(&mut self, digest: &Value) -> Result<Option<&'a Disclosure>> {
        let Some(d) = digest.as_str() else {
            return Err(CredentialError::MalformedSdJwt("a digest is not a string".into()));
        };
        if !self.seen.insert(d.to_owned()) {
            return Err(CredentialError::DuplicateDigest(d.to_owned()));
        }
        let found = self.by_digest.get(d).copied();
        if let Some(disc) = found {
            self.used.insert(disc.digest.as_str());
        }
        Ok(found)
    }

    fn process(&mut self, value: &Value, depth: usize) -> Result<Value> {
        if depth > MAX_PROCESSING_DEPTH {
            return Err(CredentialError::MalformedSdJwt("nested too deeply".into()));
        }
        match value {
            Value::Object(map) => {
                let mut out = Map::new();
                for (k, v) in map {
                    if k == "_sd" || (depth == 0 && k == "_sd_alg") {
                        continue;
                    }
                    if k == "..." {
                        return Err(CredentialError::MalformedSdJwt(
                            "\"...\" outside an array element".into(),
                        ));
                    }
                    out.insert(k.clone(), self.process(v, depth + 1)?);
                }
                match map.get("_sd") {
                    None => {}
                    Some(Value::Array(digests)) => {
                        for digest in digests {
                            let Some(disc) = self.reference(digest)? else { continue };
                            let Some(name) = &disc.name else {
                                return Err(CredentialError::MalformedDisclosure(
                                    "an array-element disclosure is referenced from _sd".into(),
                                ));
                            };
                            if out.contains_key(name) {
                                return Err(CredentialError::MalformedDisclosure(format!(
                                    "claim {name:?} already exists"
                                )));
                            }
                            if depth == 0 {
                                self.top_level_disclosed.push(name.clone());
                            }
                            let v = self.process(&disc.value, depth + 1)?;
                            out.insert(name.clone(), v);
                        }
                    }
                    Some(_) => {
                        return Err(CredentialError::MalformedSdJwt("_sd is not an array".into()));
                    }
                }
                Ok(Value::Object(out))
            }
            Value::Array(items) => {
                let mut out = Vec::with_capacity(items.len());
                for item in items {
                    if let Some(digest) = array_digest(item) {
                        let Some(disc) = self.reference(digest)? else { continue };
                        if disc.name.is_some() {
                            return Err(CredentialError::MalformedDisclosure(
                                "an object-property disclosure is referenced from an array".into(),
                            ));
                        }
                        out.push(self.process(&disc.value, depth + 1)?);
                    } else if item.as_object().is_some_and(|m| m.contains_key("...")) {
                        return Err(CredentialError::MalformedSdJwt(
                            "an array element with \"...\" must have no other member".into(),
                        ));
                    } else {
                        out.push(self.process(item, depth + 1)?);
                    }
                }
                Ok(Value::Array(out))
            }
            other => Ok(other.clone()),
        }
    }
}

fn issuer_key(decoded_kid: Option<&str>, options: &SdJwtVerifyOptions) -> Result<PublicKey> {
    if let Some(key) = &options.issuer_key {
        return Ok(*key);
    }
    let kid = decoded_kid.ok_or_else(|| {
        CredentialError::MalformedProof("no issuer key given and the JWT has no kid".into())
    })?;
    resolve_for_purpose(&StaticResolver::new(), kid, ProofPurpose::AssertionMethod)
}

/// Verifies an SD-JWT (or SD-JWT VC) presentation and returns the processed payload.
///
/// Checks, in order: shape and size; the issuer signature (EdDSA or ES256); `_sd_alg`;
/// every disclosure presented once and referenced exactly once, no digest twice; the
/// processed payload; `exp`/`nbf`; with [`SdJwtVerifyOptions::vc`] the SD-JWT VC rules;
/// the key binding JWT when present or required.
///
/// # Errors
///
/// Each failure has its own code: [`CredentialError::MalformedSdJwt`],
/// [`CredentialError::MalformedDisclosure`], [`CredentialError::ProofInvalid`] (issuer
/// signature), [`CredentialError::UnsupportedSdAlg`], [`CredentialError::DuplicateDigest`],
/// [`CredentialError::DuplicateDisclosure`], [`CredentialError::DisclosureUnreferenced`],
/// [`CredentialError::CredentialExpired`], [`CredentialError::CredentialNotYetValid`],
/// [`CredentialError::SdJwtVcInvalid`], [`CredentialError::KeyBindingMissing`],
/// [`CredentialError::KeyBindingInvalid`], [`CredentialError::SdHashMismatch`],
/// [`CredentialError::ChallengeMismatch`] (nonce), [`CredentialError::DomainMismatch`]
/// (aud), [`CredentialError::KeyBindingStale`] (iat); core JWS errors.
///
/// # Examples
///
/// See the [module documentation](self).
pub fn verify(text: &str, options: &SdJwtVerifyOptions) -> Result<VerifiedSdJwt> {
    let sd = SdJwt::parse(text)?;
    let decoded = jws::decode(&sd.issuer_jwt, MAX_SD_JWT_BYTES)?;
    let key = issuer_key(decoded.header.kid.as_deref(), options)?;
    let verified = jws::verify(
        &sd.issuer_jwt,
        &key,
        &VerifyOptions { max_token_bytes: MAX_SD_JWT_BYTES, ..VerifyOptions::default() },
    )
    .map_err(|e| match e.code() {
        ErrorCode::InvalidSignature => CredentialError::ProofInvalid,
        _ => CredentialError::Core(e),
    })?;
    let header = verified.header;
    let payload = parse_json(&verified.payload, &CREDENTIAL_LIMITS)?;
    if !payload.is_object() {
        return Err(CredentialError::MalformedSdJwt("payload is not a JSON object".into()));
    }
    if options.issuer_key.is_none() {
        if let (Some(iss), Some(kid)) = (payload.get("iss").and_then(Value::as_str), &header.kid) {
            if parse_did_url(kid)?.did != iss {
                return Err(CredentialError::VerificationMethodMismatch(kid.clone()));
            }
        }
    }
    match payload.get("_sd_alg") {
        None => {}
        Some(Value::String(a)) if a == SHA_256 => {}
        Some(other) => return Err(CredentialError::UnsupportedSdAlg(other.to_string())),
    }
    let mut by_digest = HashMap::new();
    for d in &sd.disclosures {
        if by_digest.insert(d.digest.as_str(), d).is_some() {
            return Err(CredentialError::DuplicateDisclosure(d.digest.clone()));
        }
    }
    let mut processor = Processor {
        by_digest,
        seen: HashSet::new(),
        used: HashSet::new(),
        top_level_disclosed: Vec::new(),
    };
    let claims = processor.process(&payload, 0)?;
    if let Some(d) = sd.disclosures.iter().find(|d| !processor.used.contains(d.digest.as_str())) {
        return Err(CredentialError::DisclosureUnreferenced(d.digest.clone()));
    }
    let now = options.now.unwrap_or_else(Utc::now);
    check_validity(&claims, now, options.skew)?;
    if options.vc {
        check_vc(&header, &claims, &processor.top_level_disclosed)?;
    }
    let key_binding = match &sd.kb_jwt {
        Some(kb) => Some(check_key_binding(&sd, kb, &claims, now, options)?),
        None if options.require_key_binding => {
            return Err(CredentialError::KeyBindingMissing("no key binding JWT presented".into()));
        }
        None => None,
    };
    Ok(VerifiedSdJwt { header, claims, disclosures: sd.disclosures, key_binding })
}

fn unix_claim(claims: &Value, name: &str) -> Result<Option<Timestamp>> {
    match claims.get(name) {
        None => Ok(None),
        Some(v) => {
            let secs = v.as_i64().ok_or_else(|| {
                CredentialError::JwtClaimsMismatch(format!("{name} is not an integer"))
            })?;
            Ok(Some(
                dpikit_core::time::from_unix(secs)
                    .map_err(|e| CredentialError::JwtClaimsMismatch(e.to_string()))?,
            ))
        }
    }
}

fn check_validity(claims: &Value, now: Timestamp, skew: Duration) -> Result<()> {
    use dpikit_core::time::{Validity, check_window};
    let (nbf, exp) = (unix_claim(claims, "nbf")?, unix_claim(claims, "exp")?);
    match check_window(now, nbf, exp, skew) {
        Validity::Valid => Ok(()),
        Validity::NotYetValid => Err(CredentialError::CredentialNotYetValid("nbf".into())),
        Validity::Expired => Err(CredentialError::CredentialExpired("exp".into())),
    }
}

fn check_vc(header: &Header, claims: &Value, top_level_disclosed: &[String]) -> Result<()> {
    match header.typ.as_deref() {
        Some(DC_SD_JWT | VC_SD_JWT) => {}
        other => {
            return Err(CredentialError::SdJwtVcInvalid(format!(
                "typ {other:?} where dc+sd-jwt is required"
            )));
        }
    }
    if !claims.get("vct").is_some_and(Value::is_string) {
        return Err(CredentialError::SdJwtVcInvalid("vct (a string) is required".into()));
    }
    if let Some(name) = top_level_disclosed.iter().find(|n| VC_VISIBLE.contains(&n.as_str())) {
        return Err(CredentialError::SdJwtVcInvalid(format!(
            "{name} must not be selectively disclosable"
        )));
    }
    Ok(())
}

fn check_key_binding(
    sd: &SdJwt,
    kb: &str,
    claims: &Value,
    now: Timestamp,
    options: &SdJwtVerifyOptions,
) -> Result<KeyBinding> {
    let invalid = |why: String| CredentialError::KeyBindingInvalid(why);
    let jwk_value = claims
        .get("cnf")
        .and_then(|c| c.get("jwk"))
        .ok_or_else(|| CredentialError::KeyBindingMissing("the payload has no cnf.jwk".into()))?;
    let jwk: Jwk =
        serde_json::from_value(jwk_value.clone()).map_err(|e| invalid(format!("cnf.jwk: {e}")))?;
    let holder = PublicKey::from_jwk(&jwk).map_err(|e| invalid(format!("cnf.jwk: {e}")))?;
    let decoded = jws::decode(kb, MAX_SD_JWT_BYTES).map_err(|e| invalid(e.to_string()))?;
    if decoded.header.typ.as_deref() != Some(KB_JWT) {
        return Err(invalid(format!("typ {:?} where kb+jwt is required", decoded.header.typ)));
    }
    let verified =
        jws::verify(kb, &holder, &VerifyOptions::default()).map_err(|e| invalid(e.to_string()))?;
    let kb_claims = parse_json(&verified.payload, &Limits { max_bytes: 64 * 1024, max_depth: 8 })
        .map_err(|e| invalid(e.to_string()))?;
    let text = |name: &str| {
        kb_claims
            .get(name)
            .and_then(Value::as_str)
            .map(str::to_owned)
            .ok_or_else(|| invalid(format!("{name} (a string) is required")))
    };
    if text("sd_hash")? != sd.sd_hash() {
        return Err(CredentialError::SdHashMismatch);
    }
    let nonce = text("nonce")?;
    if options.nonce.as_ref().is_some_and(|n| *n != nonce) {
        return Err(CredentialError::ChallengeMismatch);
    }
    let audience = text("aud")?;
    if options.audience.as_ref().is_some_and(|a| *a != audience) {
        return Err(CredentialError::DomainMismatch);
    }
    let iat = kb_claims
        .get("iat")
        .and_then(Value::as_i64)
        .ok_or_else(|| invalid("iat (an integer) is required".into()))?;
    let issued = dpikit_core::time::from_unix(iat).map_err(|e| invalid(e.to_string()))?;
    let oldest = now
        .checked_sub_signed(options.kb_max_age)
        .and_then(|t| t.checked_sub_signed(options.skew))
        .unwrap_or(Timestamp::MIN_UTC);
    let newest = now.checked_add_signed(options.skew).unwrap_or(Timestamp::MAX_UTC);
    if issued < oldest {
        return Err(CredentialError::KeyBindingStale(format!("{iat} is older than the window")));
    }
    if issued > newest {
        return Err(CredentialError::KeyBindingStale(format!("{iat} is in the future")));
    }
    Ok(KeyBinding { audience, nonce, iat })
}
