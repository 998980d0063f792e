//! The consent record, aligned with ISO/IEC TS 27560 (as serialised by W3C DPV), with the
//! usage limits of ReBIT AA consent artefacts and delegation from the Kantara ANCR drafts.
//!
//! Every external format maps into [`ConsentRecord`]; what a format carries that the model
//! does not is kept in [`ConsentRecord::extensions`] under the format's name, so that a
//! round trip loses nothing.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use serde_json::Value;

use dpikit_core::json::{Limits, parse_json};
use dpikit_core::time::{Timestamp, parse_rfc3339};

use crate::lifecycle::{Event, State};
use crate::{ConsentError, Result};

/// The schema version written by this crate.
pub const SCHEMA_VERSION: &str = "https://w3id.org/dpv/schema/dpv-27560#record";

/// Limits for consent documents read from bytes: 1 MiB, depth 32.
pub const CONSENT_LIMITS: Limits = Limits { max_bytes: 1 << 20, max_depth: 32 };

/// The vocabulary a code comes from.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Scheme {
    /// W3C Data Privacy Vocabulary (`dpv:…`, `pd:…`).
    Dpv,
    /// Kantara Consent Receipt categories.
    Kantara,
    /// ReBIT Account Aggregator codes (purpose codes, FI types).
    Rebit,
    /// The controller's own codes.
    Local,
}

/// A code tagged with its scheme, with optional human text.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Code {
    /// The scheme.
    pub scheme: Scheme,
    /// The code within the scheme.
    pub code: String,
    /// Human-readable text.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub text: Option<String>,
}

impl Code {
    /// Creates a code.
    pub fn new(scheme: Scheme, code: impl Into<String>) -> Self {
        Code { scheme, code: code.into(), text: None }
    }

    /// Adds human-readable text.
    #[must_use]
    pub fn with_text(mut self, text: impl Into<String>) -> Self {
        self.text = Some(text.into());
        self
    }

    /// Returns whether two codes name the same thing: same scheme and same code.
    #[must_use]
    pub fn matches(&self, other: &Code) -> bool {
        self.scheme == other.scheme && self.code == other.code
    }
}

/// A party: a controller, a recipient or third party, a processor.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Party {
    /// The party's identifier (a DID, URL, registry id).
    pub id: String,
    /// The party's name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// Contact: email, phone or a contact point.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub contact: Option<String>,
    /// Postal address.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub address: Option<String>,
    /// The party's type (`controller`, `processor`, `recipient`, `third-party`, a legal form).
    #[serde(default, rename = "type", skip_serializing_if = "Option::is_none")]
    pub kind: Option<String>,
    /// A URL of the party.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
}

impl Party {
    /// Creates a party with an id and a name.
    pub fn new(id: impl Into<String>, name: impl Into<String>) -> Self {
        Party { id: id.into(), name: Some(name.into()), ..Party::default() }
    }
}

/// A personal-data category, scheme-tagged.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DataCategory {
    /// The category code.
    #[serde(flatten)]
    pub code: Code,
    /// Whether the category is sensitive / special-category data.
    #[serde(default)]
    pub sensitive: bool,
}

/// A purpose of processing.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Purpose {
    /// Codes for the purpose (one per scheme it is known in).
    pub codes: Vec<Code>,
    /// The purpose in words, as shown to the principal.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub text: Option<String>,
    /// Data categories processed for this purpose (in addition to the record's).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub data_categories: Vec<DataCategory>,
    /// Whether this is the primary purpose.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub primary: Option<bool>,
    /// When or how consent for this purpose ends, in words (Kantara `termination`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub termination: Option<String>,
    /// Third parties the data is disclosed to for this purpose.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub third_parties: Vec<Party>,
}

impl Purpose {
    /// Creates a purpose with one code and its text.
    pub fn new(code: Code, text: impl Into<String>) -> Self {
        Purpose {
            codes: vec![code],
            text: Some(text.into()),
            data_categories: Vec::new(),
            primary: None,
            termination: None,
            third_parties: Vec::new(),
        }
    }

    /// Returns whether any of this purpose's codes matches `code`.
    #[must_use]
    pub fn matches(&self, code: &Code) -> bool {
        self.codes.iter().any(|c| c.matches(code))
    }
}

/// The notice the principal was shown.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Notice {
    /// Where the notice is published.
    pub url: String,
    /// SHA-256 of the notice text, lowercase hex.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sha256: Option<String>,
}

/// When the consent is valid: from `start`, until `expiry` or for `duration`.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Validity {
    /// Start (RFC 3339).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub start: Option<String>,
    /// Expiry (RFC 3339).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub expiry: Option<String>,
    /// Duration from `start` (ISO 8601, e.g. `P6M`), used when there is no `expiry`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub duration: Option<String>,
}

impl Validity {
    /// Returns the start instant, if any.
    ///
    /// # Errors
    ///
    /// [`ConsentError::MalformedConsent`] for a bad timestamp.
    pub fn start_at(&self) -> Result<Option<Timestamp>> {
        self.start.as_deref().map(parse_time).transpose()
    }

    /// Returns the end instant: `expiry`, else `start + duration`, else none.
    ///
    /// # Errors
    ///
    /// [`ConsentError::MalformedConsent`] for a bad timestamp or duration.
    pub fn end_at(&self) -> Result<Option<Timestamp>> {
        if let Some(e) = &self.expiry {
            return parse_time(e).map(Some);
        }
        match (self.start_at()?, &self.duration) {
            (Some(start), Some(d)) => add_duration(start, d).map(Some),
            _ => Ok(None),
        }
    }
}

/// Parses an RFC 3339 timestamp into a consent error on failure.
pub(crate) fn parse_time(s: &str) -> Result<Timestamp> {
    parse_rfc3339(s).map_err(|e| ConsentError::MalformedConsent(e.to_string()))
}

/// Adds an ISO 8601 duration (`PnYnMnWnDTnHnMnS`, integer fields) to an instant, calendar-aware
/// for years and months.
///
/// # Errors
///
/// [`ConsentError::MalformedConsent`] for anything else, or an overflow.
pub fn add_duration(start: Timestamp, duration: &str) -> Result<Timestamp> {
    let bad = || ConsentError::MalformedConsent(format!("invalid ISO 8601 duration {duration:?}"));
    let rest = duration.strip_prefix('P').ok_or_else(bad)?;
    if rest.is_empty() || duration.len() > 64 {
        return Err(bad());
    }
    let (mut t, mut in_time, mut num, mut any) = (start, false, String::new(), false);
    for c in rest.chars() {
        match c {
            '0'..='9' => num.push(c),
            'T' if !in_time && num.is_empty() => in_time = true,
            unit => {
                let n: u32 = num.parse().map_err(|_| bad())?;
                num.clear();
                any = true;
                let secs = |k: i64| chrono::Duration::try_seconds(i64::from(n) * k).ok_or_else(bad);
                t = match (unit, in_time) {
                    ('Y', false) => t.checked_add_months(chrono::Months::new(
                        n.checked_mul(12).ok_or_else(bad)?,
                    )),
                    ('M', false) => t.checked_add_months(chrono::Months::new(n)),
                    ('W', false) => t.checked_add_signed(secs(7 * 86_400)?),
                    ('D', false) => t.checked_add_signed(secs(86_400)?),
                    ('H', true) => t.checked_add_signed(secs(3_600)?),
                    ('M', true) => t.checked_add_signed(secs(60)?),
                    ('S', true) => t.checked_add_signed(secs(1)?),
                    _ => None,
                }
                .ok_or_else(bad)?;
            }
        }
    }
    if !num.is_empty() || !any {
        return Err(bad());
    }
    Ok(t)
}

/// A period unit for frequency limits and data life.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "UPPERCASE")]
pub enum PeriodUnit {
    /// An hour.
    Hour,
    /// A day.
    Day,
    /// A month (30 days for rolling windows).
    Month,
    /// A year (365 days for rolling windows).
    Year,
    /// No limit.
    Inf,
}

/// `value` × `unit`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Period {
    /// The unit.
    pub unit: PeriodUnit,
    /// How many units.
    pub value: u32,
}

impl Period {
    /// Returns the period as a duration, or `None` for `INF`.
    #[must_use]
    pub fn duration(&self) -> Option<chrono::Duration> {
        let day = 86_400i64;
        let unit = match self.unit {
            PeriodUnit::Hour => 3_600,
            PeriodUnit::Day => day,
            PeriodUnit::Month => 30 * day,
            PeriodUnit::Year => 365 * day,
            PeriodUnit::Inf => return None,
        };
        chrono::Duration::try_seconds(unit * i64::from(self.value))
    }
}

/// How often data may be fetched: `count` times per `period` (ReBIT `Frequency`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Frequency {
    /// Uses allowed per period.
    pub count: u32,
    /// The period.
    pub per: Period,
}

/// Whether data is fetched once or periodically.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "UPPERCASE")]
pub enum FetchType {
    /// One fetch only.
    Onetime,
    /// Repeated fetches within the frequency limit.
    Periodic,
}

/// A date range of the data itself (ReBIT `FIDataRange`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DateRange {
    /// From (RFC 3339).
    pub from: String,
    /// To (RFC 3339).
    pub to: String,
}

/// Limits on the use of the data.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct UsageLimits {
    /// How often.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub frequency: Option<Frequency>,
    /// How long a recipient may keep fetched data.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub data_life: Option<Period>,
    /// Once or periodic.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fetch_type: Option<FetchType>,
    /// The range of the data that may be fetched.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub data_range: Option<DateRange>,
    /// Access modes (`VIEW`, `STORE`, `QUERY`, `STREAM`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub modes: Vec<String>,
}

/// Who gave the consent.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum GivenBy {
    /// The principal.
    #[default]
    #[serde(rename = "self")]
    Principal,
    /// A parent or legal guardian (e.g. for a child).
    Guardian,
    /// An agent acting under a mandate.
    Agent,
}

/// Delegation: consent given on the principal's behalf.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Delegation {
    /// Who gave it.
    pub given_by: GivenBy,
    /// The guardian's or agent's identifier.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub actor: Option<String>,
    /// A reference to the mandate (agents) or legal basis of guardianship.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub mandate: Option<String>,
    /// Until when the delegation holds (e.g. the child's majority), RFC 3339.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub until: Option<String>,
}

/// A consent record (ISO/IEC TS 27560), with its lifecycle state and history.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ConsentRecord {
    /// The schema this record conforms to.
    pub schema_version: String,
    /// The record's identifier.
    pub id: String,
    /// The principal (data subject) identifier.
    pub principal: String,
    /// The controllers.
    pub controllers: Vec<Party>,
    /// Recipients and third parties.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub recipients: Vec<Party>,
    /// The purposes.
    pub purposes: Vec<Purpose>,
    /// The personal-data categories.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub data_categories: Vec<DataCategory>,
    /// Legal basis (e.g. `dpv:Consent`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub legal_basis: Option<String>,
    /// Consent type (`explicit`, `expressed`, `implied`, `opt-in`, …).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub consent_type: Option<String>,
    /// The notice shown.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub notice: Option<Notice>,
    /// Language tags of the notice and interaction (BCP 47).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub languages: Vec<String>,
    /// Jurisdiction (e.g. `IN`, `EU`, `US-CA`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub jurisdiction: Option<String>,
    /// How consent was collected (`web form`, `in person`, …).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub collection_method: Option<String>,
    /// Where data is stored.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub storage_locations: Vec<String>,
    /// How long data is retained (ISO 8601 duration or words).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub retention_period: Option<String>,
    /// How the principal withdraws.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub withdrawal_method: Option<String>,
    /// Validity.
    #[serde(default)]
    pub validity: Validity,
    /// Usage limits.
    #[serde(default)]
    pub usage: UsageLimits,
    /// Delegation, when not given by the principal.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub delegation: Option<Delegation>,
    /// The current lifecycle state.
    pub state: State,
    /// The lifecycle history.
    #[serde(default)]
    pub events: Vec<Event>,
    /// Members of source formats that the model does not map, keyed by format name.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub extensions: BTreeMap<String, Value>,
}

impl ConsentRecord {
    /// Starts a record in the `Requested` state.
    ///
    /// # Examples
    ///
    /// ```
    /// use dpikit_consent::model::{Code, ConsentRecord, Party, Purpose, Scheme};
    /// let record = ConsentRecord::request(
    ///     "urn:uuid:9a6c",
    ///     "did:example:resident-1024",
    ///     Party::new("did:web:housing.city.example", "Housing Department"),
    ///     Purpose::new(Code::new(Scheme::Dpv, "dpv:ServiceProvision"), "Process your housing subsidy"),
    /// );
    /// assert_eq!(record.state, dpikit_consent::lifecycle::State::Requested);
    /// ```
    pub fn request(
        id: impl Into<String>,
        principal: impl Into<String>,
        controller: Party,
        purpose: Purpose,
    ) -> Self {
        ConsentRecord {
            schema_version: SCHEMA_VERSION.to_owned(),
            id: id.into(),
            principal: principal.into(),
            controllers: vec![controller],
            recipients: Vec::new(),
            purposes: vec![purpose],
            data_categories: Vec::new(),
            legal_basis: Some("dpv:Consent".to_owned()),
            consent_type: None,
            notice: None,
            languages: Vec::new(),
            jurisdiction: None,
            collection_method: None,
            storage_locations: Vec::new(),
            retention_period: None,
            withdrawal_method: None,
            validity: Validity::default(),
            usage: UsageLimits::default(),
            delegation: None,
            state: State::Requested,
            events: Vec::new(),
            extensions: BTreeMap::new(),
        }
    }

    /// Parses a record from JSON bytes (bounded intake) and checks it.
    ///
    /// # Errors
    ///
    /// JSON intake errors, or [`ConsentError::MalformedConsent`].
    pub fn from_json(bytes: &[u8]) -> Result<Self> {
        let value = parse_json(bytes, &CONSENT_LIMITS)?;
        let record: ConsentRecord = serde_json::from_value(value)
            .map_err(|e| ConsentError::MalformedConsent(e.to_string()))?;
        record.validate()?;
        Ok(record)
    }

    /// Returns the record as JSON.
    #[must_use]
    pub fn to_json(&self) -> String {
        serde_json::to_string(self).unwrap_or_default()
    }

    /// Returns the record as a JSON value.
    #[must_use]
    pub fn to_value(&self) -> Value {
        serde_json::to_value(self).unwrap_or(Value::Null)
    }

    /// Checks the record's invariants: ids present, at least one controller and purpose,
    /// valid timestamps and durations, a start before the end.
    ///
    /// # Errors
    ///
    /// [`ConsentError::MalformedConsent`].
    pub fn validate(&self) -> Result<()> {
        let bad = |m: &str| Err(ConsentError::MalformedConsent(m.to_owned()));
        if self.id.is_empty() || self.principal.is_empty() {
            return bad("id and principal are required");
        }
        if self.controllers.is_empty() || self.controllers.iter().any(|c| c.id.is_empty()) {
            return bad("at least one controller with an id is required");
        }
        if self.purposes.is_empty()
            || self.purposes.iter().any(|p| p.codes.is_empty() && p.text.is_none())
        {
            return bad("at least one purpose with a code or text is required");
        }
        if let (Some(s), Some(e)) = (self.validity.start_at()?, self.validity.end_at()?) {
            if e <= s {
                return bad("validity ends before it starts");
            }
        }
        if let Some(r) = &self.usage.data_range {
            if parse_time(&r.to)? < parse_time(&r.from)? {
                return bad("data range ends before it starts");
            }
        }
        for e in &self.events {
            parse_time(&e.at)?;
        }
        Ok(())
    }

    /// Returns whether `party` is a controller or recipient of this record.
    #[must_use]
    pub fn names_party(&self, party: &str) -> bool {
        self.controllers.iter().chain(&self.recipients).any(|p| p.id == party)
            || self.purposes.iter().flat_map(|p| &p.third_parties).any(|p| p.id == party)
    }
}
