//! Signed, consent-gated CloudEvents 1.0 envelopes.
//!
//! An [`Envelope`] is a CloudEvents 1.0 event in structured JSON mode: `specversion`, `id`,
//! `source`, `type`, `time`, `datacontenttype`, `dataschema` (the schema's `$id` and
//! version, see [`SchemaKey::to_dataschema`]), `subject`, and the extensions
//! `correlationid`, `causationid`, `consentid`, `consentreceipt` and `personaldata`.
//!
//! [`sign`] serialises the envelope once and signs those exact bytes as a compact JWS
//! (attached or detached); [`verify`] checks the signature over the bytes as received, then
//! parses them, then checks freshness against an injected `now`, then validates `data`
//! against the schema named by `dataschema` from the [`Registry`] (offline).
//!
//! Personal data (a schema marked `x-dpikit-personal-data`, or an envelope built with
//! [`EnvelopeBuilder::personal_data`]) is never signed or accepted without a `consentid`.
//! [`seal`] is how the consent gets there: it runs the dpikit-consent access check for this
//! controller, purpose and data category at this instant and refuses with
//! [`ExchangeError::ConsentDenied`]; the receiver checks the cited signed receipt with
//! [`verify_consent`].

use chrono::Duration;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use dpikit_consent::check::{Request, check};
use dpikit_consent::model::{Code, ConsentRecord};
use dpikit_consent::receipt::{VerifiedReceipt, verify_receipt};
use dpikit_core::ErrorCode;
use dpikit_core::json::{Limits, parse_json};
use dpikit_core::jws::{self, SignOptions, Signer, Verifier, VerifyOptions};
use dpikit_core::time::{Timestamp, format_rfc3339, parse_rfc3339};

use crate::registry::{Registry, SchemaKey};
use crate::{ExchangeError, Result};

/// The CloudEvents spec version written and accepted.
pub const SPEC_VERSION: &str = "1.0";
/// The JWS `cty` of a signed envelope.
pub const ENVELOPE_CTY: &str = "application/cloudevents+json";
/// The JWS `typ` of a signed envelope.
pub const ENVELOPE_TYP: &str = "dpikit-envelope+jws";
/// Limits for envelope bytes: 1 MiB, depth 64.
pub const ENVELOPE_LIMITS: Limits = Limits { max_bytes: 1 << 20, max_depth: 64 };

/// A CloudEvents 1.0 envelope (structured JSON mode).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Envelope {
    /// CloudEvents version, `1.0`.
    pub specversion: String,
    /// Event id, unique per source.
    pub id: String,
    /// The sending system (a URI reference).
    pub source: String,
    /// The event type (e.g. `org.dpikit.exchange.ServiceRequest.created`).
    #[serde(rename = "type")]
    pub event_type: String,
    /// When the event was produced (RFC 3339).
    pub time: String,
    /// Media type of `data`: `application/json`.
    pub datacontenttype: String,
    /// The schema of `data`: `$id`, with `?version=<v>` when versioned.
    pub dataschema: String,
    /// The subject of the event within the source.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub subject: Option<String>,
    /// Extension: id shared by every event of one exchange.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub correlationid: Option<String>,
    /// Extension: id of the event that caused this one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub causationid: Option<String>,
    /// Extension: id of the consent record the data is sent under.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub consentid: Option<String>,
    /// Extension: the signed consent receipt (compact JWS) for `consentid`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub consentreceipt: Option<String>,
    /// Extension: whether `data` carries personal data.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub personaldata: Option<bool>,
    /// Other extension attributes, kept as received.
    #[serde(flatten)]
    pub extensions: Map<String, Value>,
    /// The record.
    pub data: Value,
}

impl Envelope {
    /// Returns the schema key named by `dataschema`.
    #[must_use]
    pub fn schema_key(&self) -> SchemaKey {
        SchemaKey::from_dataschema(&self.dataschema)
    }

    /// Returns whether the envelope says it carries personal data.
    #[must_use]
    pub fn is_personal_data(&self) -> bool {
        self.personaldata == Some(true)
    }

    /// Serialises the envelope to compact JSON bytes (what [`sign`] signs).
    ///
    /// # Errors
    ///
    /// [`ExchangeError::MalformedEnvelope`] if serialisation fails.
    pub fn to_bytes(&self) -> Result<Vec<u8>> {
        serde_json::to_vec(self).map_err(|e| ExchangeError::MalformedEnvelope(e.to_string()))
    }

    /// Parses envelope bytes (bounded intake) and checks the required attributes.
    ///
    /// # Errors
    ///
    /// JSON intake errors; [`ExchangeError::MalformedEnvelope`].
    pub fn from_bytes(bytes: &[u8]) -> Result<Self> {
        let value = parse_json(bytes, &ENVELOPE_LIMITS)?;
        let envelope: Envelope = serde_json::from_value(value)
            .map_err(|e| ExchangeError::MalformedEnvelope(e.to_string()))?;
        envelope.check_shape()?;
        Ok(envelope)
    }

    fn check_shape(&self) -> Result<()> {
        let bad = |m: &str| Err(ExchangeError::MalformedEnvelope(m.to_owned()));
        if self.specversion != SPEC_VERSION {
            return bad("specversion must be 1.0");
        }
        if self.id.is_empty() || self.source.is_empty() || self.event_type.is_empty() {
            return bad("id, source and type must not be empty");
        }
        if self.dataschema.is_empty() {
            return bad("dataschema is required");
        }
        if self.datacontenttype != "application/json" {
            return bad("datacontenttype must be application/json");
        }
        for k in self.extensions.keys() {
            let ok = !k.is_empty()
                && k.len() <= 20
                && k.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit());
            if !ok {
                return bad("extension names are lowercase letters and digits, at most 20");
            }
        }
        parse_rfc3339(&self.time)?;
        Ok(())
    }
}

/// Builds an [`Envelope`], validating `data` against its schema.
///
/// # Examples
///
/// ```
/// use dpikit_exchange::{Registry, schemas};
/// use dpikit_exchange::envelope::EnvelopeBuilder;
/// use dpikit_core::time::parse_rfc3339;
///
/// let registry = Registry::with_builtin()?;
/// let schema = registry.resolve(schemas::PAYMENT_STATUS, None)?;
/// let data = serde_json::json!({"instructionId": "PI-1", "status": "ACSC", "statusAt": "2026-04-01T08:00:00Z"});
/// let envelope = EnvelopeBuilder::new("https://treasury.city.example", "org.dpikit.PaymentStatus", schema, data)
///     .id("evt-1")
///     .time(parse_rfc3339("2026-04-01T08:00:01Z")?)
///     .build(&registry)?;
/// assert_eq!(envelope.dataschema, format!("{}?version=1.0.0", schemas::PAYMENT_STATUS));
/// assert!(!envelope.is_personal_data());
/// # Ok::<(), dpikit_exchange::ExchangeError>(())
/// ```
#[derive(Debug, Clone)]
pub struct EnvelopeBuilder {
    source: String,
    event_type: String,
    schema: SchemaKey,
    data: Value,
    id: Option<String>,
    time: Option<Timestamp>,
    subject: Option<String>,
    correlationid: Option<String>,
    causationid: Option<String>,
    consentid: Option<String>,
    personal_data: bool,
}

impl EnvelopeBuilder {
    /// Starts an envelope for `data` of schema `schema`, from `source`, of type `event_type`.
    pub fn new(
        source: impl Into<String>,
        event_type: impl Into<String>,
        schema: SchemaKey,
        data: Value,
    ) -> Self {
        EnvelopeBuilder {
            source: source.into(),
            event_type: event_type.into(),
            schema,
            data,
            id: None,
            time: None,
            subject: None,
            correlationid: None,
            causationid: None,
            consentid: None,
            personal_data: false,
        }
    }

    /// Sets the event id (default: a random `urn:uuid:` v4).
    #[must_use]
    pub fn id(mut self, id: impl Into<String>) -> Self {
        self.id = Some(id.into());
        self
    }

    /// Sets the event time (default: the system clock).
    #[must_use]
    pub fn time(mut self, time: Timestamp) -> Self {
        self.time = Some(time);
        self
    }

    /// Sets the subject.
    #[must_use]
    pub fn subject(mut self, subject: impl Into<String>) -> Self {
        self.subject = Some(subject.into());
        self
    }

    /// Sets the correlation id.
    #[must_use]
    pub fn correlation_id(mut self, id: impl Into<String>) -> Self {
        self.correlationid = Some(id.into());
        self
    }

    /// Sets the causation id.
    #[must_use]
    pub fn causation_id(mut self, id: impl Into<String>) -> Self {
        self.causationid = Some(id.into());
        self
    }

    /// Cites a consent id directly (prefer [`seal`], which checks the consent first).
    #[must_use]
    pub fn consent_id(mut self, id: impl Into<String>) -> Self {
        self.consentid = Some(id.into());
        self
    }

    /// Marks the data as personal even if its schema does not.
    #[must_use]
    pub fn personal_data(mut self, yes: bool) -> Self {
        self.personal_data = yes;
        self
    }

    /// Validates `data` against the schema in `registry` and builds the envelope.
    ///
    /// # Errors
    ///
    /// [`ExchangeError::SchemaNotFound`] and the other errors of
    /// [`Registry::validate`]; [`ExchangeError::ValidationFailed`] when `data` is invalid;
    /// [`ExchangeError::MalformedEnvelope`] for an empty source or type;
    /// [`dpikit_core::CoreError::RandomnessUnavailable`] when no id is given and the OS RNG
    /// fails.
    pub fn build(self, registry: &Registry) -> Result<Envelope> {
        let schema = registry.resolve(&self.schema.id, self.schema.version.as_deref())?;
        registry.validate(&schema, &self.data)?.into_result()?;
        let personal = self.personal_data || registry.is_personal_data(&schema)?;
        let id = match self.id {
            Some(id) => id,
            None => random_urn_uuid()?,
        };
        let time = self.time.unwrap_or_else(chrono::Utc::now);
        let envelope = Envelope {
            specversion: SPEC_VERSION.to_owned(),
            id,
            source: self.source,
            event_type: self.event_type,
            time: format_rfc3339(&time),
            datacontenttype: "application/json".to_owned(),
            dataschema: schema.to_dataschema(),
            subject: self.subject,
            correlationid: self.correlationid,
            causationid: self.causationid,
            consentid: self.consentid,
            consentreceipt: None,
            personaldata: personal.then_some(true),
            extensions: Map::new(),
            data: self.data,
        };
        envelope.check_shape()?;
        Ok(envelope)
    }
}

fn random_urn_uuid() -> Result<String> {
    let mut b = [0_u8; 16];
    getrandom::fill(&mut b).map_err(|_| dpikit_core::CoreError::RandomnessUnavailable)?;
    b[6] = (b[6] & 0x0f) | 0x40;
    b[8] = (b[8] & 0x3f) | 0x80;
    let h = dpikit_core::encoding::hex_encode(&b);
    Ok(format!("urn:uuid:{}-{}-{}-{}-{}", &h[0..8], &h[8..12], &h[12..16], &h[16..20], &h[20..32]))
}

/// A signed envelope: the compact JWS and the exact bytes it signs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SignedEnvelope {
    /// The compact JWS (payload segment empty when detached).
    pub token: String,
    /// The serialised envelope, exactly as signed.
    pub bytes: Vec<u8>,
}

/// Signs an envelope: serialises it once and signs those bytes as a compact JWS
/// (`typ` `dpikit-envelope+jws`, `cty` `application/cloudevents+json`).
///
/// # Errors
///
/// [`ExchangeError::ConsentRequired`] for personal data without `consentid`;
/// [`ExchangeError::MalformedEnvelope`] for a malformed envelope; signer errors.
///
/// # Examples
///
/// See [`verify`].
pub fn sign(envelope: &Envelope, signer: &dyn Signer, detached: bool) -> Result<SignedEnvelope> {
    envelope.check_shape()?;
    if envelope.is_personal_data() && envelope.consentid.is_none() {
        return Err(ExchangeError::ConsentRequired);
    }
    let bytes = envelope.to_bytes()?;
    let options = SignOptions {
        typ: Some(ENVELOPE_TYP.to_owned()),
        cty: Some(ENVELOPE_CTY.to_owned()),
        detached,
        ..SignOptions::default()
    };
    let token = jws::sign(&bytes, signer, &options)?;
    Ok(SignedEnvelope { token, bytes })
}

/// What [`verify`] accepts: the instant to judge freshness at, the largest age and the
/// allowed clock skew.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct VerifyPolicy {
    /// "Now" (inject a fixed instant in tests and replays).
    pub now: Timestamp,
    /// The oldest envelope accepted, measured from its `time`.
    pub max_age: Duration,
    /// Tolerance for a sender clock ahead of ours.
    pub skew: Duration,
}

impl VerifyPolicy {
    /// A policy at `now` with a 5-minute maximum age and 60 seconds of skew.
    #[must_use]
    pub fn at(now: Timestamp) -> Self {
        VerifyPolicy { now, max_age: Duration::minutes(5), skew: Duration::seconds(60) }
    }

    /// Returns this policy with another maximum age.
    #[must_use]
    pub fn with_max_age(mut self, max_age: Duration) -> Self {
        self.max_age = max_age;
        self
    }
}

/// An envelope whose signature, freshness and data schema verified.
#[derive(Debug, Clone, PartialEq)]
pub struct VerifiedEnvelope {
    /// The envelope.
    pub envelope: Envelope,
    /// The exact bytes that were signed.
    pub bytes: Vec<u8>,
    /// The JWS `kid`, if any.
    pub kid: Option<String>,
}

/// Verifies a signed envelope: signature over the exact bytes, then shape, then freshness
/// at `policy.now`, then the consent reference for personal data, then `data` against the
/// schema named by `dataschema` (from `registry`, offline).
///
/// # Errors
///
/// Core JWS errors for a malformed token; [`ExchangeError::EnvelopeSignatureInvalid`];
/// [`ExchangeError::MalformedEnvelope`]; [`ExchangeError::EnvelopeExpired`];
/// [`ExchangeError::EnvelopeNotYetValid`]; [`ExchangeError::ConsentRequired`];
/// [`ExchangeError::SchemaNotFound`]; [`ExchangeError::ValidationFailed`].
///
/// # Examples
///
/// ```
/// use dpikit_core::keys::{KeyPair, KeyType};
/// use dpikit_core::time::parse_rfc3339;
/// use dpikit_exchange::{Registry, schemas};
/// use dpikit_exchange::envelope::{sign, verify, EnvelopeBuilder, VerifyPolicy};
///
/// let registry = Registry::with_builtin()?;
/// let schema = registry.resolve(schemas::PAYMENT_STATUS, Some("1.0.0"))?;
/// let t = parse_rfc3339("2026-04-01T08:00:01Z")?;
/// let data = serde_json::json!({"instructionId": "PI-1", "status": "ACSC", "statusAt": "2026-04-01T08:00:00Z"});
/// let envelope = EnvelopeBuilder::new("https://treasury.city.example", "org.dpikit.PaymentStatus", schema, data)
///     .time(t).build(&registry)?;
/// let key = KeyPair::generate(KeyType::Ed25519)?;
/// let signed = sign(&envelope, &key, false)?;
/// let ok = verify(&signed.token, None, &key.public_key(), &registry, &VerifyPolicy::at(t))?;
/// assert_eq!(ok.envelope, envelope);
/// # Ok::<(), dpikit_exchange::ExchangeError>(())
/// ```
pub fn verify(
    token: &str,
    detached_bytes: Option<&[u8]>,
    verifier: &dyn Verifier,
    registry: &Registry,
    policy: &VerifyPolicy,
) -> Result<VerifiedEnvelope> {
    let options = VerifyOptions {
        detached_payload: detached_bytes,
        max_token_bytes: ENVELOPE_LIMITS.max_bytes * 2,
        expected_alg: None,
    };
    let verified = jws::verify(token, verifier, &options).map_err(|e| match e.code() {
        ErrorCode::InvalidSignature => ExchangeError::EnvelopeSignatureInvalid,
        _ => ExchangeError::Core(e),
    })?;
    if verified.header.cty.as_deref() != Some(ENVELOPE_CTY) {
        return Err(ExchangeError::MalformedEnvelope(format!("cty must be {ENVELOPE_CTY}")));
    }
    let envelope = Envelope::from_bytes(&verified.payload)?;
    check_freshness(&envelope, policy)?;
    let schema = envelope.schema_key();
    let personal = envelope.is_personal_data() || registry.is_personal_data(&schema)?;
    if personal && envelope.consentid.is_none() {
        return Err(ExchangeError::ConsentRequired);
    }
    registry.validate(&schema, &envelope.data)?.into_result()?;
    Ok(VerifiedEnvelope { envelope, bytes: verified.payload, kid: verified.header.kid })
}

fn check_freshness(envelope: &Envelope, policy: &VerifyPolicy) -> Result<()> {
    let time = parse_rfc3339(&envelope.time)?;
    if time > policy.now.checked_add_signed(policy.skew).unwrap_or(policy.now) {
        return Err(ExchangeError::EnvelopeNotYetValid(format!(
            "time {} is after {}",
            envelope.time,
            format_rfc3339(&policy.now)
        )));
    }
    let oldest = policy.now.checked_sub_signed(policy.max_age).unwrap_or(policy.now);
    if time < oldest {
        return Err(ExchangeError::EnvelopeExpired(format!(
            "time {} is older than {}",
            envelope.time,
            format_rfc3339(&oldest)
        )));
    }
    Ok(())
}

/// The consent question a sender must answer before sealing: may `controller` send this
/// data for `purpose` (and `data_category`) at `at`, under `record`?
#[derive(Debug, Clone)]
pub struct ConsentCheck<'a> {
    /// The consent record cited.
    pub record: &'a ConsentRecord,
    /// The sending controller (must be named in the record).
    pub controller: &'a str,
    /// The purpose of the exchange.
    pub purpose: &'a Code,
    /// The data category sent, if the consent is about categories.
    pub data_category: Option<&'a Code>,
    /// The instant of the send.
    pub at: Timestamp,
    /// Earlier uses under this consent (for frequency limits).
    pub prior_uses: &'a [Timestamp],
    /// The signed receipt of the record, to cite in the envelope.
    pub receipt: Option<&'a str>,
}

impl<'a> ConsentCheck<'a> {
    /// A check of `record` for `controller` and `purpose` at `at`.
    #[must_use]
    pub fn new(
        record: &'a ConsentRecord,
        controller: &'a str,
        purpose: &'a Code,
        at: Timestamp,
    ) -> Self {
        ConsentCheck {
            record,
            controller,
            purpose,
            data_category: None,
            at,
            prior_uses: &[],
            receipt: None,
        }
    }

    /// Adds the data category.
    #[must_use]
    pub fn with_data_category(mut self, category: &'a Code) -> Self {
        self.data_category = Some(category);
        self
    }

    /// Adds the signed receipt to cite.
    #[must_use]
    pub fn with_receipt(mut self, receipt: &'a str) -> Self {
        self.receipt = Some(receipt);
        self
    }

    fn decide(&self, record: &ConsentRecord, at: Timestamp) -> Result<()> {
        let mut request = Request::new(self.controller, self.purpose, at);
        request.data_category = self.data_category;
        request.prior_uses = self.prior_uses;
        let decision = check(record, &request)?;
        if decision.allowed {
            Ok(())
        } else {
            Err(ExchangeError::ConsentDenied {
                reason: decision.reason.unwrap_or(ErrorCode::ConsentNotGiven),
                detail: decision.detail,
            })
        }
    }
}

/// Seals an envelope under a consent: checks that the consent allows this controller,
/// purpose and data category at `check.at`, then cites it (`consentid`, and
/// `consentreceipt` when a receipt is given).
///
/// # Errors
///
/// [`ExchangeError::ConsentDenied`] (its `reason` is the consent check's 3xxx code, e.g.
/// `consent_not_given` after a withdrawal); [`ExchangeError::ConsentReceiptMismatch`] when
/// the envelope already cites another consent.
///
/// # Examples
///
/// ```
/// use dpikit_consent::model::{Code, ConsentRecord, Party, Purpose, Scheme};
/// use dpikit_core::time::parse_rfc3339;
/// use dpikit_core::ErrorCode;
/// use dpikit_exchange::{Registry, schemas};
/// use dpikit_exchange::envelope::{seal, ConsentCheck, EnvelopeBuilder};
///
/// let purpose = Code::new(Scheme::Dpv, "dpv:ServiceProvision");
/// let mut record = ConsentRecord::request("urn:uuid:c-1", "did:example:ana",
///     Party::new("did:web:housing.city.example", "Housing"), Purpose::new(purpose.clone(), "Subsidy"));
/// let t = parse_rfc3339("2026-03-02T10:00:00Z")?;
/// record.give(t, "did:example:ana")?;
///
/// let registry = Registry::with_builtin()?;
/// let schema = registry.resolve(schemas::SUBSIDY_CLAIM, None)?;
/// let data: serde_json::Value = serde_json::from_str(r#"{"id": "urn:ngsi-ld:SubsidyClaim:c-1",
///     "type": "SubsidyClaim", "claimId": "c-1", "claimant": "urn:ngsi-ld:ResidentRecord:1",
///     "programme": "HOUSING", "amount": {"value": "250.00", "currency": "EUR"},
///     "status": "submitted", "submittedAt": "2026-03-02T10:00:00Z"}"#).unwrap();
/// let envelope = EnvelopeBuilder::new("did:web:housing.city.example", "org.dpikit.SubsidyClaim", schema, data)
///     .time(t).build(&registry)?;
/// let check = ConsentCheck::new(&record, "did:web:housing.city.example", &purpose, t);
/// let sealed = seal(envelope.clone(), &check)?;
/// assert_eq!(sealed.consentid.as_deref(), Some("urn:uuid:c-1"));
///
/// record.withdraw(t, "did:example:ana", None)?;
/// let check = ConsentCheck::new(&record, "did:web:housing.city.example", &purpose, t);
/// let err = seal(envelope, &check).unwrap_err();
/// assert_eq!(err.code(), ErrorCode::ConsentDenied);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn seal(mut envelope: Envelope, check: &ConsentCheck<'_>) -> Result<Envelope> {
    if let Some(cited) = &envelope.consentid {
        if *cited != check.record.id {
            return Err(ExchangeError::ConsentReceiptMismatch(format!(
                "the envelope cites consent {cited}, the check is of {}",
                check.record.id
            )));
        }
    }
    check.decide(check.record, check.at)?;
    envelope.consentid = Some(check.record.id.clone());
    if let Some(receipt) = check.receipt {
        envelope.consentreceipt = Some(receipt.to_owned());
    }
    Ok(envelope)
}

/// What a receiver requires of the consent an envelope cites.
#[derive(Debug, Clone)]
pub struct ConsentExpectation<'a> {
    /// The sender, who must be named in the consent.
    pub controller: &'a str,
    /// The purpose the receiver will use the data for.
    pub purpose: &'a Code,
    /// The data category, if any.
    pub data_category: Option<&'a Code>,
}

/// Verifies the signed consent receipt an envelope cites (from `consentreceipt`, or
/// `receipt` when given separately): the receipt's signature, that it is the receipt of the
/// envelope's `consentid`, and that the consent as receipted allows the expectation at the
/// envelope's `time`.
///
/// A receipt is a snapshot: a withdrawal after the receipt was made is seen only by asking
/// the consent ledger.
///
/// # Errors
///
/// [`ExchangeError::ConsentRequired`] when the envelope cites no consent;
/// [`ExchangeError::ConsentReceiptMismatch`] when no receipt is available or it is the
/// receipt of another consent; consent receipt errors (`receipt_invalid`,
/// `malformed_receipt`); [`ExchangeError::ConsentDenied`].
pub fn verify_consent(
    envelope: &Envelope,
    receipt: Option<&str>,
    receipt_verifier: &dyn Verifier,
    expectation: &ConsentExpectation<'_>,
) -> Result<VerifiedReceipt> {
    let Some(consent_id) = &envelope.consentid else {
        return Err(ExchangeError::ConsentRequired);
    };
    let token = receipt.or(envelope.consentreceipt.as_deref()).ok_or_else(|| {
        ExchangeError::ConsentReceiptMismatch("no consent receipt was given".into())
    })?;
    let verified = verify_receipt(token, receipt_verifier)?;
    if verified.receipt.record.id != *consent_id {
        return Err(ExchangeError::ConsentReceiptMismatch(format!(
            "the receipt is for consent {}, the envelope cites {consent_id}",
            verified.receipt.record.id
        )));
    }
    let at = parse_rfc3339(&envelope.time)?;
    let check = ConsentCheck {
        record: &verified.receipt.record,
        controller: expectation.controller,
        purpose: expectation.purpose,
        data_category: expectation.data_category,
        at,
        prior_uses: &[],
        receipt: None,
    };
    check.decide(&verified.receipt.record, at)?;
    Ok(verified)
}
