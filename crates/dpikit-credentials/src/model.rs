//! The W3C Verifiable Credentials Data Model 2.0, typed with serde, plus the VC 1.1 members
//! accepted on verification. Unknown members are preserved in `extra`.

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use dpikit_core::json::{Limits, parse_json};
use dpikit_core::time::{Timestamp, format_rfc3339};

use crate::{CredentialError, Result};

/// The VC Data Model 2.0 base context.
pub const CREDENTIALS_V2: &str = "https://www.w3.org/ns/credentials/v2";
/// The VC Data Model 1.1 base context (accepted on verify).
pub const CREDENTIALS_V1: &str = "https://www.w3.org/2018/credentials/v1";

/// Limits for credentials and presentations read from bytes: 1 MiB, depth 32.
pub const CREDENTIAL_LIMITS: Limits = Limits { max_bytes: 1 << 20, max_depth: 32 };

/// One value or an array of values, preserving which form was used.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum OneOrMany<T> {
    /// An array of values (tried first, so that an array is never taken as one value).
    Many(Vec<T>),
    /// A single value.
    One(T),
}

impl<T> OneOrMany<T> {
    /// Returns the values as a slice.
    #[must_use]
    pub fn as_slice(&self) -> &[T] {
        match self {
            OneOrMany::One(v) => core::slice::from_ref(v),
            OneOrMany::Many(v) => v,
        }
    }

    /// Returns the first value.
    #[must_use]
    pub fn first(&self) -> Option<&T> {
        self.as_slice().first()
    }
}

impl<T> Default for OneOrMany<T> {
    fn default() -> Self {
        OneOrMany::Many(Vec::new())
    }
}

/// The issuer: a URL (usually a DID), or an object with an `id` and more (`name`, …).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum Issuer {
    /// The issuer's id.
    Id(String),
    /// The issuer as an object.
    Object {
        /// The issuer's id.
        id: String,
        /// Other members (`name`, `description`, …).
        #[serde(flatten)]
        extra: Map<String, Value>,
    },
}

impl Issuer {
    /// Returns the issuer's id.
    #[must_use]
    pub fn id(&self) -> &str {
        match self {
            Issuer::Id(id) | Issuer::Object { id, .. } => id,
        }
    }
}

/// A verifiable credential (VC Data Model 2.0; VC 1.1 dates accepted).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Credential {
    /// `@context`: the base context first.
    #[serde(rename = "@context")]
    pub context: Vec<Value>,
    /// The credential's id.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    /// Types; includes `VerifiableCredential`.
    #[serde(rename = "type")]
    pub type_: OneOrMany<String>,
    /// The issuer.
    pub issuer: Issuer,
    /// The subject(s).
    pub credential_subject: OneOrMany<Value>,
    /// Start of validity (VC 2.0).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub valid_from: Option<String>,
    /// End of validity (VC 2.0).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub valid_until: Option<String>,
    /// Issuance date (VC 1.1).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub issuance_date: Option<String>,
    /// Expiration date (VC 1.1).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub expiration_date: Option<String>,
    /// Status entries (e.g. `BitstringStatusListEntry`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub credential_status: Option<OneOrMany<Value>>,
    /// Schemas the credential claims to follow.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub credential_schema: Option<OneOrMany<Value>>,
    /// Evidence.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub evidence: Option<OneOrMany<Value>>,
    /// Terms of use.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub terms_of_use: Option<OneOrMany<Value>>,
    /// Refresh service.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub refresh_service: Option<OneOrMany<Value>>,
    /// Embedded proof(s).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub proof: Option<OneOrMany<Value>>,
    /// Other members (`name`, `description`, …), preserved.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

fn shape(e: &serde_json::Error) -> CredentialError {
    CredentialError::MalformedCredential(e.to_string())
}

impl Credential {
    /// Parses a credential from JSON bytes through the core's bounded intake and checks the
    /// data model's required shape.
    ///
    /// # Errors
    ///
    /// JSON intake errors (size, depth, duplicate keys, UTF-8) or
    /// [`CredentialError::MalformedCredential`].
    pub fn from_json(bytes: &[u8]) -> Result<Self> {
        Self::from_value(&parse_json(bytes, &CREDENTIAL_LIMITS)?)
    }

    /// Reads a credential from a JSON value and checks the data model's required shape:
    /// a base context first, `VerifiableCredential` among the types, an issuer id, at least
    /// one subject.
    ///
    /// # Errors
    ///
    /// [`CredentialError::MalformedCredential`].
    pub fn from_value(value: &Value) -> Result<Self> {
        if !value.is_object() {
            return Err(CredentialError::MalformedCredential("not a JSON object".into()));
        }
        let cred: Credential = Credential::deserialize(value).map_err(|e| shape(&e))?;
        cred.check_shape()?;
        Ok(cred)
    }

    fn check_shape(&self) -> Result<()> {
        let bad = |m: &str| Err(CredentialError::MalformedCredential(m.to_owned()));
        match self.context.first().and_then(Value::as_str) {
            Some(CREDENTIALS_V2 | CREDENTIALS_V1) => {}
            _ => return bad("@context must start with the credentials v2 (or v1) context"),
        }
        if !self.type_.as_slice().iter().any(|t| t == "VerifiableCredential") {
            return bad("type must include VerifiableCredential");
        }
        if self.issuer.id().is_empty() {
            return bad("issuer id is empty");
        }
        if self.credential_subject.as_slice().is_empty() {
            return bad("credentialSubject is empty");
        }
        if self.is_v2() && (self.issuance_date.is_some() || self.expiration_date.is_some()) {
            return bad("issuanceDate/expirationDate are VC 1.1 members; use validFrom/validUntil");
        }
        Ok(())
    }

    /// Returns whether this is a VC 2.0 credential (by its base context).
    #[must_use]
    pub fn is_v2(&self) -> bool {
        self.context.first().and_then(Value::as_str) == Some(CREDENTIALS_V2)
    }

    /// Returns the start of validity: `validFrom` (2.0) or `issuanceDate` (1.1).
    #[must_use]
    pub fn starts(&self) -> Option<&str> {
        self.valid_from.as_deref().or(self.issuance_date.as_deref())
    }

    /// Returns the end of validity: `validUntil` (2.0) or `expirationDate` (1.1).
    #[must_use]
    pub fn ends(&self) -> Option<&str> {
        self.valid_until.as_deref().or(self.expiration_date.as_deref())
    }

    /// Returns the subjects' ids, where they have one.
    pub fn subject_ids(&self) -> impl Iterator<Item = &str> {
        self.credential_subject
            .as_slice()
            .iter()
            .filter_map(|s| s.get("id").and_then(Value::as_str))
    }

    /// Returns the credential as a JSON value.
    #[must_use]
    pub fn to_value(&self) -> Value {
        serde_json::to_value(self).unwrap_or(Value::Null)
    }
}

/// A verifiable presentation.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Presentation {
    /// `@context`.
    #[serde(rename = "@context")]
    pub context: Vec<Value>,
    /// The presentation's id.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    /// Types; includes `VerifiablePresentation`.
    #[serde(rename = "type")]
    pub type_: OneOrMany<String>,
    /// The holder.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub holder: Option<Issuer>,
    /// The credentials: embedded (Data Integrity) or enveloped (`EnvelopedVerifiableCredential`
    /// with a `data:application/vc+jwt,…` id).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub verifiable_credential: Option<OneOrMany<Value>>,
    /// Embedded proof(s).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub proof: Option<OneOrMany<Value>>,
    /// Other members, preserved.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

impl Presentation {
    /// Reads a presentation from a JSON value and checks its required shape.
    ///
    /// # Errors
    ///
    /// [`CredentialError::MalformedCredential`].
    pub fn from_value(value: &Value) -> Result<Self> {
        if !value.is_object() {
            return Err(CredentialError::MalformedCredential("not a JSON object".into()));
        }
        let p: Presentation = Presentation::deserialize(value).map_err(|e| shape(&e))?;
        match p.context.first().and_then(Value::as_str) {
            Some(CREDENTIALS_V2 | CREDENTIALS_V1) => {}
            _ => {
                return Err(CredentialError::MalformedCredential(
                    "@context must start with the credentials v2 (or v1) context".into(),
                ));
            }
        }
        if !p.type_.as_slice().iter().any(|t| t == "VerifiablePresentation") {
            return Err(CredentialError::MalformedCredential(
                "type must include VerifiablePresentation".into(),
            ));
        }
        Ok(p)
    }

    /// Returns the presentation as a JSON value.
    #[must_use]
    pub fn to_value(&self) -> Value {
        serde_json::to_value(self).unwrap_or(Value::Null)
    }
}

/// Builds a VC 2.0 credential for an issuer.
///
/// # Examples
///
/// ```
/// use dpikit_credentials::model::CredentialBuilder;
/// use serde_json::json;
///
/// let vc = CredentialBuilder::new("did:web:city.example")
///     .id("urn:uuid:0f3c7f5e-3b1a-4f7e-9a55-2d0c1b8e4a11")
///     .add_type("ResidencyCredential")
///     .valid_from_str("2026-01-01T00:00:00Z")
///     .subject(json!({"id": "did:example:resident-1024", "residentOf": "Springfield"}))
///     .build()?;
/// assert_eq!(vc.type_.as_slice(), ["VerifiableCredential", "ResidencyCredential"]);
/// # Ok::<(), dpikit_credentials::CredentialError>(())
/// ```
#[derive(Debug, Clone)]
pub struct CredentialBuilder {
    context: Vec<Value>,
    id: Option<String>,
    types: Vec<String>,
    issuer: Issuer,
    subjects: Vec<Value>,
    valid_from: Option<String>,
    valid_until: Option<String>,
    status: Vec<Value>,
    schema: Vec<Value>,
    evidence: Vec<Value>,
    extra: Map<String, Value>,
}

impl CredentialBuilder {
    /// Starts a credential issued by `issuer` (a DID or URL), with the v2 context and the
    /// `VerifiableCredential` type.
    #[must_use]
    pub fn new(issuer: impl Into<String>) -> Self {
        CredentialBuilder {
            context: vec![Value::from(CREDENTIALS_V2)],
            id: None,
            types: vec!["VerifiableCredential".into()],
            issuer: Issuer::Id(issuer.into()),
            subjects: Vec::new(),
            valid_from: None,
            valid_until: None,
            status: Vec::new(),
            schema: Vec::new(),
            evidence: Vec::new(),
            extra: Map::new(),
        }
    }

    /// Gives the issuer a display name (the issuer becomes an object).
    #[must_use]
    pub fn issuer_name(mut self, name: impl Into<String>) -> Self {
        let id = self.issuer.id().to_owned();
        let mut extra = match self.issuer {
            Issuer::Object { extra, .. } => extra,
            Issuer::Id(_) => Map::new(),
        };
        extra.insert("name".into(), Value::from(name.into()));
        self.issuer = Issuer::Object { id, extra };
        self
    }

    /// Appends a context (URL or inline object) after the base context.
    #[must_use]
    pub fn context(mut self, context: impl Into<Value>) -> Self {
        self.context.push(context.into());
        self
    }

    /// Sets the credential's id.
    #[must_use]
    pub fn id(mut self, id: impl Into<String>) -> Self {
        self.id = Some(id.into());
        self
    }

    /// Adds a type after `VerifiableCredential`.
    #[must_use]
    pub fn add_type(mut self, type_: impl Into<String>) -> Self {
        self.types.push(type_.into());
        self
    }

    /// Adds a credential subject (a JSON object, usually with an `id`).
    #[must_use]
    pub fn subject(mut self, subject: Value) -> Self {
        self.subjects.push(subject);
        self
    }

    /// Sets `validFrom`.
    #[must_use]
    pub fn valid_from(mut self, t: Timestamp) -> Self {
        self.valid_from = Some(format_rfc3339(&t));
        self
    }

    /// Sets `validFrom` from RFC 3339 text (checked in [`CredentialBuilder::build`]).
    #[must_use]
    pub fn valid_from_str(mut self, t: impl Into<String>) -> Self {
        self.valid_from = Some(t.into());
        self
    }

    /// Sets `validUntil`.
    #[must_use]
    pub fn valid_until(mut self, t: Timestamp) -> Self {
        self.valid_until = Some(format_rfc3339(&t));
        self
    }

    /// Sets `validUntil` from RFC 3339 text (checked in [`CredentialBuilder::build`]).
    #[must_use]
    pub fn valid_until_str(mut self, t: impl Into<String>) -> Self {
        self.valid_until = Some(t.into());
        self
    }

    /// Adds a `credentialStatus` entry (see [`crate::status::StatusEntry`]).
    #[must_use]
    pub fn status(mut self, entry: Value) -> Self {
        self.status.push(entry);
        self
    }

    /// Adds a `credentialSchema` entry.
    #[must_use]
    pub fn schema(mut self, schema: Value) -> Self {
        self.schema.push(schema);
        self
    }

    /// Adds an `evidence` entry.
    #[must_use]
    pub fn evidence(mut self, evidence: Value) -> Self {
        self.evidence.push(evidence);
        self
    }

    /// Sets any other top-level member (`name`, `description`, `termsOfUse`, …).
    #[must_use]
    pub fn member(mut self, name: impl Into<String>, value: Value) -> Self {
        self.extra.insert(name.into(), value);
        self
    }

    /// Builds the credential, checking its shape and dates.
    ///
    /// # Errors
    ///
    /// [`CredentialError::MalformedCredential`] without a subject, with a reserved member in
    /// `member`, or with a date that is not RFC 3339.
    pub fn build(self) -> Result<Credential> {
        for t in self.valid_from.iter().chain(self.valid_until.iter()) {
            dpikit_core::time::parse_rfc3339(t)
                .map_err(|e| CredentialError::MalformedCredential(e.to_string()))?;
        }
        let many = |v: Vec<Value>| if v.is_empty() { None } else { Some(OneOrMany::Many(v)) };
        let subjects = match self.subjects.len() {
            1 => OneOrMany::One(self.subjects.into_iter().next().unwrap_or_default()),
            _ => OneOrMany::Many(self.subjects),
        };
        let status = match self.status.len() {
            1 => Some(OneOrMany::One(self.status.into_iter().next().unwrap_or_default())),
            _ => many(self.status),
        };
        let cred = Credential {
            context: self.context,
            id: self.id,
            type_: OneOrMany::Many(self.types),
            issuer: self.issuer,
            credential_subject: subjects,
            valid_from: self.valid_from,
            valid_until: self.valid_until,
            issuance_date: None,
            expiration_date: None,
            credential_status: status,
            credential_schema: many(self.schema),
            evidence: many(self.evidence),
            terms_of_use: None,
            refresh_service: None,
            proof: None,
            extra: self.extra,
        };
        // Round-trip through JSON so that reserved names set through `member` are caught.
        Credential::from_value(&cred.to_value())
    }
}

/// Builds an unsigned VC 2.0 presentation by `holder` of `credentials` (embedded credentials,
/// or [`crate::verify::envelope_jwt`] envelopes); secure it with [`crate::di::add_proof`]
/// (`authentication`) or [`crate::jose::issue_vp_jwt`].
#[must_use]
pub fn presentation(holder: &str, credentials: &[Value]) -> Value {
    serde_json::json!({
        "@context": [CREDENTIALS_V2],
        "type": ["VerifiablePresentation"],
        "holder": holder,
        "verifiableCredential": credentials,
    })
}

/// Builds an unsigned presentation as [`presentation`] from mixed items: a JSON string is a
/// vc+jwt and becomes its [`crate::verify::envelope_jwt`] envelope, any other value is an
/// embedded credential.
///
/// # Examples
///
/// ```
/// use dpikit_credentials::model::presentation_of;
/// use serde_json::json;
///
/// let vp = presentation_of("did:example:ana", vec![json!("eyJ.e30.c2ln"), json!({"type": ["VerifiableCredential"]})]);
/// assert_eq!(vp["verifiableCredential"][0]["type"], "EnvelopedVerifiableCredential");
/// assert_eq!(vp["verifiableCredential"][1]["type"][0], "VerifiableCredential");
/// ```
#[must_use]
pub fn presentation_of(holder: &str, items: Vec<Value>) -> Value {
    let embedded: Vec<Value> = items
        .into_iter()
        .map(|c| if let Value::String(token) = c { crate::verify::envelope_jwt(&token) } else { c })
        .collect();
    presentation(holder, &embedded)
}
