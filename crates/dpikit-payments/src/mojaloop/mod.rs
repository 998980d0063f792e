//! Mojaloop FSPIOP: party lookup, quote and transfer bodies (classic v1.x API and the
//! ISO 20022 mode of FSPIOP v2), parsed with limits and validated; ILPv4 packets and the
//! condition/fulfilment pair ([`ilp`]); transfer ⇄ pacs.008.001.08 mapping ([`map`]).
//!
//! Parsing refuses unknown fields, duplicate keys, input over the size limit and nesting
//! over the depth limit. Validation returns [`Finding`]s (empty = clean):
//!
//! | rule | code |
//! |---|---|
//! | ids (`transferId`, `quoteId`, `transactionId`…) match the API's UUID pattern; ISO-mode ids are ULIDs or UUIDs | `mojaloop_invalid` |
//! | FSP ids 1–32 characters; party id types from the API's enumeration; identifiers 1–128 | `mojaloop_invalid` |
//! | amount matches `^([0]\|([1-9][0-9]{0,17}))([.][0-9]{0,3}[1-9])?$` and has no more decimals than the currency's minor unit | `invalid_amount` |
//! | currency is ISO 4217 | `unknown_currency` |
//! | `condition`/`ExctnConf` are 32 bytes base64url; an ILPv4 packet decodes and carries the body's condition | `ilp_invalid`, `condition_mismatch` |
//! | `expiration` is a date-time; not after `now` | `mojaloop_invalid`, `transfer_expired` |
//! | ISO mode: `PmtInstrXpryDtTm` after `CreDtTm`; UETRs lowercase UUIDv4; `SttlmMtd` is `CLRG`; no JSON numbers where ISO has text | `expiry_before_creation`, `invalid_uetr`, `mojaloop_invalid` |

pub mod ilp;
pub mod map;

use dpikit_core::time::{Timestamp, parse_rfc3339};
use dpikit_core::{ErrorCode, Limits};
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::money::{Amount, Currency, is_mojaloop_amount};
use crate::{Finding, PaymentError};

/// An amount and currency (`Money`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Money {
    /// ISO 4217 code.
    pub currency: String,
    /// Amount in the Mojaloop pattern.
    pub amount: String,
}

/// A party identifier (`PartyIdInfo`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct PartyIdInfo {
    /// `MSISDN`, `EMAIL`, `PERSONAL_ID`, `BUSINESS`, `DEVICE`, `ACCOUNT_ID`, `IBAN`, `ALIAS`…
    pub party_id_type: String,
    /// The identifier (1–128 characters).
    pub party_identifier: String,
    /// Sub-identifier or type (1–128 characters).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub party_sub_id_or_type: Option<String>,
    /// The FSP holding the party (1–32 characters).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fsp_id: Option<String>,
    /// Extensions.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub extension_list: Option<ExtensionList>,
}

/// A party (`Party`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Party {
    /// The party's identifier.
    pub party_id_info: PartyIdInfo,
    /// Merchant classification code.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub merchant_classification_code: Option<String>,
    /// Display name (1–128 characters).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// Personal information (`complexName`, `dateOfBirth`), kept as JSON.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub personal_info: Option<Value>,
    /// Supported currencies (FSPIOP 1.1+).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub supported_currencies: Option<Vec<String>>,
}

/// One key/value extension.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Extension {
    /// Key (1–32 characters).
    pub key: String,
    /// Value (1–128 characters).
    pub value: String,
}

/// An `ExtensionList` (1–16 extensions).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ExtensionList {
    /// The extensions.
    pub extension: Vec<Extension>,
}

/// A transaction type (`TransactionType`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct TransactionType {
    /// `DEPOSIT`, `WITHDRAWAL`, `TRANSFER`, `PAYMENT` or `REFUND`.
    pub scenario: String,
    /// Scheme-defined sub-scenario.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sub_scenario: Option<String>,
    /// `PAYER` or `PAYEE`.
    pub initiator: String,
    /// `CONSUMER`, `AGENT`, `BUSINESS` or `DEVICE`.
    pub initiator_type: String,
    /// Refund information, kept as JSON.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub refund_info: Option<Value>,
    /// Balance of payments code.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub balance_of_payments: Option<String>,
}

/// The body of `POST /quotes`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct QuoteRequest {
    /// Quote id (UUID).
    pub quote_id: String,
    /// Transaction id (UUID).
    pub transaction_id: String,
    /// Transaction request id (UUID).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub transaction_request_id: Option<String>,
    /// Payee.
    pub payee: Party,
    /// Payer.
    pub payer: Party,
    /// `SEND` or `RECEIVE`.
    pub amount_type: String,
    /// Amount.
    pub amount: Money,
    /// Fees.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fees: Option<Money>,
    /// Transaction type.
    pub transaction_type: TransactionType,
    /// Geo code, kept as JSON.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub geo_code: Option<Value>,
    /// Note (1–128 characters).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
    /// Expiration (date-time).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub expiration: Option<String>,
    /// Extensions.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub extension_list: Option<ExtensionList>,
}

/// The body of `POST /transfers`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct TransferRequest {
    /// Transfer id (UUID).
    pub transfer_id: String,
    /// Payee FSP id.
    pub payee_fsp: String,
    /// Payer FSP id.
    pub payer_fsp: String,
    /// Amount.
    pub amount: Money,
    /// ILP packet, base64url.
    pub ilp_packet: String,
    /// Condition, base64url of 32 bytes.
    pub condition: String,
    /// Expiration (date-time).
    pub expiration: String,
    /// Extensions.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub extension_list: Option<ExtensionList>,
}

/// The body of `PUT /transfers/{ID}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct TransferFulfil {
    /// Fulfilment, base64url of 32 bytes.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fulfilment: Option<String>,
    /// Completion time (date-time).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub completed_timestamp: Option<String>,
    /// `RECEIVED`, `RESERVED`, `COMMITTED` or `ABORTED`.
    pub transfer_state: String,
    /// Extensions.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub extension_list: Option<ExtensionList>,
}

/// The body of `PUT /parties/{Type}/{ID}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PartiesResponse {
    /// The party found.
    pub party: Party,
}

/// A party lookup `GET /parties/{Type}/{ID}[/{SubId}]`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PartyLookup {
    /// The party id type.
    pub party_id_type: String,
    /// The identifier.
    pub party_identifier: String,
    /// The sub-identifier, if any.
    pub party_sub_id_or_type: Option<String>,
}

/// Party id types of the FSPIOP API (v1.1 and v2.0).
pub const PARTY_ID_TYPES: [&str; 10] = [
    "MSISDN",
    "EMAIL",
    "PERSONAL_ID",
    "BUSINESS",
    "DEVICE",
    "ACCOUNT_ID",
    "IBAN",
    "ALIAS",
    "CONSENT",
    "THIRD_PARTY_LINK",
];

impl PartyLookup {
    /// Parses a lookup path such as `/parties/MSISDN/250788000001`.
    ///
    /// # Errors
    ///
    /// [`PaymentError::MojaloopInvalid`] if the path is not `/parties/{Type}/{ID}[/{SubId}]`,
    /// the type is not in [`PARTY_ID_TYPES`], or a segment is empty or over 128 characters.
    ///
    /// # Examples
    ///
    /// ```
    /// use dpikit_payments::mojaloop::PartyLookup;
    ///
    /// let l = PartyLookup::from_path("/parties/MSISDN/250788000001")?;
    /// assert_eq!(l.party_identifier, "250788000001");
    /// assert!(PartyLookup::from_path("/parties/PHONE/1").is_err());
    /// # Ok::<(), dpikit_payments::PaymentError>(())
    /// ```
    pub fn from_path(path: &str) -> Result<Self, PaymentError> {
        let bad = |m: &str| PaymentError::MojaloopInvalid(format!("{path:?}: {m}"));
        if path.len() > 512 {
            return Err(bad("path too long"));
        }
        let mut segs = path.trim_start_matches('/').split('/');
        if segs.next() != Some("parties") {
            return Err(bad("not a /parties path"));
        }
        let ty = segs.next().ok_or_else(|| bad("no type"))?;
        let id = segs.next().ok_or_else(|| bad("no identifier"))?;
        let sub = segs.next();
        if segs.next().is_some() {
            return Err(bad("too many segments"));
        }
        if !PARTY_ID_TYPES.contains(&ty) {
            return Err(bad("unknown party id type"));
        }
        for s in std::iter::once(id).chain(sub) {
            if !text_ok(s, 128) {
                return Err(bad("identifier must be 1-128 characters"));
            }
        }
        Ok(Self {
            party_id_type: ty.to_owned(),
            party_identifier: id.to_owned(),
            party_sub_id_or_type: sub.map(str::to_owned),
        })
    }
}

fn text_ok(s: &str, max: usize) -> bool {
    let n = s.chars().count();
    n >= 1 && n <= max && !s.chars().any(char::is_control)
}

fn parse_body<T: DeserializeOwned>(bytes: &[u8], limits: &Limits) -> Result<T, PaymentError> {
    let value = dpikit_core::parse_json(bytes, limits)?;
    serde_json::from_value(value).map_err(|e| PaymentError::MojaloopInvalid(e.to_string()))
}

/// Parses a `POST /quotes` body.
///
/// # Errors
///
/// Core JSON intake errors (size, depth, duplicate keys, syntax), or
/// [`PaymentError::MojaloopInvalid`] for a missing, unknown or mistyped field.
///
/// # Examples
///
/// ```
/// use dpikit_core::{ErrorCode, Limits};
/// use dpikit_payments::mojaloop::parse_quote_request;
///
/// let err = parse_quote_request(br#"{"quoteId": "x"}"#, &Limits::default()).unwrap_err();
/// assert_eq!(err.code(), ErrorCode::MojaloopInvalid);
/// ```
pub fn parse_quote_request(bytes: &[u8], limits: &Limits) -> Result<QuoteRequest, PaymentError> {
    parse_body(bytes, limits)
}

/// Parses a `POST /transfers` body.
///
/// # Errors
///
/// As [`parse_quote_request`].
///
/// # Examples
///
/// ```
/// use dpikit_core::{ErrorCode, Limits};
/// use dpikit_payments::mojaloop::parse_transfer_request;
///
/// let err = parse_transfer_request(b"[]", &Limits::default()).unwrap_err();
/// assert_eq!(err.code(), ErrorCode::MojaloopInvalid);
/// ```
pub fn parse_transfer_request(
    bytes: &[u8],
    limits: &Limits,
) -> Result<TransferRequest, PaymentError> {
    parse_body(bytes, limits)
}

/// Parses a `PUT /transfers/{ID}` body.
///
/// # Errors
///
/// As [`parse_quote_request`].
///
/// # Examples
///
/// ```
/// use dpikit_core::Limits;
/// use dpikit_payments::mojaloop::parse_transfer_fulfil;
///
/// let f = parse_transfer_fulfil(br#"{"transferState": "COMMITTED"}"#, &Limits::default())?;
/// assert_eq!(f.transfer_state, "COMMITTED");
/// # Ok::<(), dpikit_payments::PaymentError>(())
/// ```
pub fn parse_transfer_fulfil(
    bytes: &[u8],
    limits: &Limits,
) -> Result<TransferFulfil, PaymentError> {
    parse_body(bytes, limits)
}

/// Parses a `PUT /parties/{Type}/{ID}` body.
///
/// # Errors
///
/// As [`parse_quote_request`].
///
/// # Examples
///
/// ```
/// use dpikit_core::Limits;
/// use dpikit_payments::mojaloop::parse_parties_response;
///
/// let body = br#"{"party": {"partyIdInfo": {"partyIdType": "MSISDN", "partyIdentifier": "1"}}}"#;
/// assert_eq!(parse_parties_response(body, &Limits::default())?.party.party_id_info.party_identifier, "1");
/// # Ok::<(), dpikit_payments::PaymentError>(())
/// ```
pub fn parse_parties_response(
    bytes: &[u8],
    limits: &Limits,
) -> Result<PartiesResponse, PaymentError> {
    parse_body(bytes, limits)
}

struct V {
    out: Vec<Finding>,
}

impl V {
    fn push(&mut self, code: ErrorCode, loc: &str, msg: impl Into<String>) {
        self.out.push(Finding { code, location: loc.to_owned(), message: msg.into() });
    }

    fn uuid(&mut self, loc: &str, s: &str) {
        if !is_fspiop_uuid(s) {
            self.push(ErrorCode::MojaloopInvalid, loc, format!("{s:?} is not a UUID"));
        }
    }

    fn text(&mut self, loc: &str, s: &str, max: usize) {
        if !text_ok(s, max) {
            self.push(ErrorCode::MojaloopInvalid, loc, format!("must be 1-{max} characters"));
        }
    }

    fn one_of(&mut self, loc: &str, s: &str, allowed: &[&str]) {
        if !allowed.contains(&s) {
            self.push(ErrorCode::MojaloopInvalid, loc, format!("{s:?} is not one of {allowed:?}"));
        }
    }

    fn money(&mut self, loc: &str, m: &Money) {
        self.amount(&format!("{loc}/amount"), &m.amount, &format!("{loc}/currency"), &m.currency);
    }

    fn amount(&mut self, aloc: &str, amount: &str, cloc: &str, ccy: &str) {
        let currency = match Currency::from_code(ccy) {
            Ok(c) => Some(c),
            Err(e) => {
                self.push(e.code(), cloc, e.to_string());
                None
            }
        };
        if !is_mojaloop_amount(amount) {
            self.push(
                ErrorCode::InvalidAmount,
                aloc,
                format!("{amount:?} breaks the Amount pattern"),
            );
            return;
        }
        if let (Some(c), Ok(a)) = (currency, amount.parse::<Amount>()) {
            if let Some(mu) = c.minor_units() {
                if a.fraction_digits() > mu {
                    self.push(
                        ErrorCode::InvalidAmount,
                        aloc,
                        format!("{amount} has more decimals than the {ccy} minor unit ({mu})"),
                    );
                }
            }
        }
    }

    fn time(&mut self, loc: &str, s: &str) -> Option<Timestamp> {
        if let Ok(t) = parse_rfc3339(s) {
            Some(t)
        } else {
            self.push(ErrorCode::MojaloopInvalid, loc, format!("{s:?} is not a date-time"));
            None
        }
    }

    fn expiry(&mut self, loc: &str, s: &str, now: Option<Timestamp>) {
        if let (Some(t), Some(now)) = (self.time(loc, s), now) {
            if t <= now {
                self.push(ErrorCode::TransferExpired, loc, format!("expired at {s}"));
            }
        }
    }

    fn extensions(&mut self, loc: &str, l: Option<&ExtensionList>) {
        let Some(l) = l else { return };
        if l.extension.is_empty() || l.extension.len() > 16 {
            self.push(ErrorCode::MojaloopInvalid, loc, "1 to 16 extensions");
        }
        for (i, e) in l.extension.iter().enumerate() {
            self.text(&format!("{loc}/extension/{i}/key"), &e.key, 32);
            self.text(&format!("{loc}/extension/{i}/value"), &e.value, 128);
        }
    }

    fn party_id(&mut self, loc: &str, p: &PartyIdInfo) {
        self.one_of(&format!("{loc}/partyIdType"), &p.party_id_type, &PARTY_ID_TYPES);
        self.text(&format!("{loc}/partyIdentifier"), &p.party_identifier, 128);
        if let Some(s) = &p.party_sub_id_or_type {
            self.text(&format!("{loc}/partySubIdOrType"), s, 128);
        }
        if let Some(s) = &p.fsp_id {
            self.text(&format!("{loc}/fspId"), s, 32);
        }
        self.extensions(&format!("{loc}/extensionList"), p.extension_list.as_ref());
    }

    fn party(&mut self, loc: &str, p: &Party) {
        self.party_id(&format!("{loc}/partyIdInfo"), &p.party_id_info);
        if let Some(n) = &p.name {
            self.text(&format!("{loc}/name"), n, 128);
        }
    }
}

/// Returns `true` if `s` matches the FSPIOP `CorrelationId` pattern
/// `^[0-9a-f]{8}-[0-9a-f]{4}-[1-5][0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$`.
#[must_use]
pub fn is_fspiop_uuid(s: &str) -> bool {
    let b = s.as_bytes();
    let hex = |c: &u8| c.is_ascii_digit() || (b'a'..=b'f').contains(c);
    b.len() == 36
        && b.iter().enumerate().all(
            |(i, c)| {
                if matches!(i, 8 | 13 | 18 | 23) { *c == b'-' } else { hex(c) }
            },
        )
        && (b'1'..=b'5').contains(&b[14])
        && matches!(b[19], b'8' | b'9' | b'a' | b'b')
}

/// Returns `true` if `s` is a ULID (26 Crockford base32 characters, first ≤ `7`).
#[must_use]
pub fn is_ulid(s: &str) -> bool {
    let b = s.as_bytes();
    b.len() == 26
        && b[0] <= b'7'
        && b.iter().all(|c| c.is_ascii_digit() || (c.is_ascii_uppercase() && !b"ILOU".contains(c)))
}

fn ilp_packet(v: &mut V, loc: &str, packet: &str, condition: Option<&str>) {
    let bytes = match ilp::decode_packet_b64(packet) {
        Ok(b) => b,
        Err(e) => return v.push(e.code(), loc, e.to_string()),
    };
    // FSPIOP v1.x carries the older ILP payment packet (type 1); only v4 Prepare is decoded.
    if bytes.first() != Some(&ilp::TYPE_PREPARE) {
        return;
    }
    match ilp::IlpPrepare::decode(&bytes) {
        Ok(p) => {
            if let Some(c) = condition.and_then(|c| ilp::decode32(c).ok()) {
                if c != p.execution_condition {
                    v.push(
                        ErrorCode::ConditionMismatch,
                        loc,
                        "the packet's executionCondition differs from the body's condition",
                    );
                }
            }
        }
        Err(e) => v.push(e.code(), loc, e.to_string()),
    }
}

/// Validates a `POST /transfers` body; `now` enables the expiry check.
///
/// # Examples
///
/// ```
/// use dpikit_core::ErrorCode;
/// use dpikit_payments::mojaloop::{Money, TransferRequest, validate_transfer};
///
/// let t = TransferRequest { transfer_id: "not-a-uuid".into(), payee_fsp: "b".into(),
///     payer_fsp: "a".into(), amount: Money { currency: "USD".into(), amount: "1.50".into() },
///     ilp_packet: "AQ".into(), condition: "f5sqb7tBTWPd5Y8BDFdMm9BJR_MNI4isf8p8n4D5pHA".into(),
///     expiration: "2030-01-01T00:00:00.000Z".into(), extension_list: None };
/// let codes: Vec<_> = validate_transfer(&t, None).into_iter().map(|f| f.code).collect();
/// assert_eq!(codes, [ErrorCode::MojaloopInvalid, ErrorCode::InvalidAmount]);
/// ```
#[must_use]
pub fn validate_transfer(t: &TransferRequest, now: Option<Timestamp>) -> Vec<Finding> {
    let mut v = V { out: Vec::new() };
    v.uuid("/transferId", &t.transfer_id);
    v.text("/payeeFsp", &t.payee_fsp, 32);
    v.text("/payerFsp", &t.payer_fsp, 32);
    v.money("/amount", &t.amount);
    if let Err(e) = ilp::decode32(&t.condition) {
        v.push(e.code(), "/condition", e.to_string());
    }
    ilp_packet(&mut v, "/ilpPacket", &t.ilp_packet, Some(&t.condition));
    v.expiry("/expiration", &t.expiration, now);
    v.extensions("/extensionList", t.extension_list.as_ref());
    v.out
}

/// Validates a `POST /quotes` body; `now` enables the expiry check.
///
/// # Examples
///
/// ```
/// use dpikit_core::Limits;
/// use dpikit_payments::mojaloop::{parse_quote_request, validate_quote};
///
/// let body = br#"{"quoteId": "00000000-0000-1000-8000-000000000002",
///   "transactionId": "00000000-0000-1000-8000-000000000001",
///   "payee": {"partyIdInfo": {"partyIdType": "MSISDN", "partyIdentifier": "1"}},
///   "payer": {"partyIdInfo": {"partyIdType": "MSISDN", "partyIdentifier": "2"}},
///   "amountType": "SEND", "amount": {"currency": "USD", "amount": "100"},
///   "transactionType": {"scenario": "TRANSFER", "initiator": "PAYER", "initiatorType": "CONSUMER"}}"#;
/// let q = parse_quote_request(body, &Limits::default())?;
/// assert!(validate_quote(&q, None).is_empty());
/// # Ok::<(), dpikit_payments::PaymentError>(())
/// ```
#[must_use]
pub fn validate_quote(q: &QuoteRequest, now: Option<Timestamp>) -> Vec<Finding> {
    let mut v = V { out: Vec::new() };
    v.uuid("/quoteId", &q.quote_id);
    v.uuid("/transactionId", &q.transaction_id);
    if let Some(id) = &q.transaction_request_id {
        v.uuid("/transactionRequestId", id);
    }
    v.party("/payee", &q.payee);
    v.party("/payer", &q.payer);
    v.one_of("/amountType", &q.amount_type, &["SEND", "RECEIVE"]);
    v.money("/amount", &q.amount);
    if let Some(f) = &q.fees {
        v.money("/fees", f);
    }
    let tt = &q.transaction_type;
    v.one_of(
        "/transactionType/scenario",
        &tt.scenario,
        &["DEPOSIT", "WITHDRAWAL", "TRANSFER", "PAYMENT", "REFUND"],
    );
    v.one_of("/transactionType/initiator", &tt.initiator, &["PAYER", "PAYEE"]);
    v.one_of(
        "/transactionType/initiatorType",
        &tt.initiator_type,
        &["CONSUMER", "AGENT", "BUSINESS", "DEVICE"],
    );
    if let Some(n) = &q.note {
        v.text("/note", n, 128);
    }
    if let Some(e) = &q.expiration {
        v.expiry("/expiration", e, now);
    }
    v.extensions("/extensionList", q.extension_list.as_ref());
    v.out
}

/// Validates a `PUT /parties` body.
///
/// # Examples
///
/// ```
/// use dpikit_core::{ErrorCode, Limits};
/// use dpikit_payments::mojaloop::{parse_parties_response, validate_party};
///
/// let body = br#"{"party": {"partyIdInfo": {"partyIdType": "PHONE", "partyIdentifier": "1"}}}"#;
/// let p = parse_parties_response(body, &Limits::default())?;
/// assert_eq!(validate_party(&p.party)[0].code, ErrorCode::MojaloopInvalid);
/// # Ok::<(), dpikit_payments::PaymentError>(())
/// ```
#[must_use]
pub fn validate_party(p: &Party) -> Vec<Finding> {
    let mut v = V { out: Vec::new() };
    v.party("/party", p);
    v.out
}

/// Validates a `PUT /transfers/{ID}` body; with `condition` (base64url), checks that the
/// fulfilment hashes to it.
///
/// # Examples
///
/// ```
/// use dpikit_core::ErrorCode;
/// use dpikit_payments::mojaloop::{TransferFulfil, validate_fulfil};
///
/// let f = TransferFulfil { fulfilment: Some("yc8z3j2C5RQofE0XEP5acBylI-hzWK7Zo6KMw2cxElk".into()),
///     completed_timestamp: None, transfer_state: "COMMITTED".into(), extension_list: None };
/// let c = "oby5oOB1RyhzEaysddpEoIEYDiBQzjsWvDdR64WHCK4";
/// assert!(validate_fulfil(&f, Some(c)).is_empty());
/// let wrong = "f5sqb7tBTWPd5Y8BDFdMm9BJR_MNI4isf8p8n4D5pHA";
/// assert_eq!(validate_fulfil(&f, Some(wrong))[0].code, ErrorCode::ConditionMismatch);
/// ```
#[must_use]
pub fn validate_fulfil(f: &TransferFulfil, condition: Option<&str>) -> Vec<Finding> {
    let mut v = V { out: Vec::new() };
    v.one_of(
        "/transferState",
        &f.transfer_state,
        &["RECEIVED", "RESERVED", "COMMITTED", "ABORTED"],
    );
    if let Some(t) = &f.completed_timestamp {
        v.time("/completedTimestamp", t);
    }
    if let Some(ful) = &f.fulfilment {
        match (ilp::decode32(ful), condition) {
            (Err(e), _) => v.push(e.code(), "/fulfilment", e.to_string()),
            (Ok(_), Some(c)) => {
                if let Err(e) = ilp::verify_fulfilment(ful, c) {
                    v.push(e.code(), "/fulfilment", e.to_string());
                }
            }
            (Ok(_), None) => {}
        }
    }
    v.out
}

/// An operation of the FSPIOP ISO 20022 mode (the body's message).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum IsoOperation {
    /// `PUT /parties` (acmt.024).
    PutParties,
    /// `POST /quotes` (pacs.081).
    PostQuotes,
    /// `PUT /quotes` (pacs.082).
    PutQuotes,
    /// `POST /transfers` (pacs.008).
    PostTransfers,
    /// `PUT /transfers` (pacs.002).
    PutTransfers,
    /// `PATCH /transfers` (pacs.002).
    PatchTransfers,
    /// `POST /fxQuotes` (pacs.091).
    PostFxQuotes,
    /// `POST /fxTransfers` (pacs.009).
    PostFxTransfers,
}

impl IsoOperation {
    /// Every operation, in declaration order.
    pub const ALL: [Self; 8] = [
        Self::PutParties,
        Self::PostQuotes,
        Self::PutQuotes,
        Self::PostTransfers,
        Self::PutTransfers,
        Self::PatchTransfers,
        Self::PostFxQuotes,
        Self::PostFxTransfers,
    ];

    /// Returns the HTTP method and resource, e.g. `POST /transfers`.
    #[must_use]
    pub const fn name(self) -> &'static str {
        match self {
            Self::PutParties => "PUT /parties",
            Self::PostQuotes => "POST /quotes",
            Self::PutQuotes => "PUT /quotes",
            Self::PostTransfers => "POST /transfers",
            Self::PutTransfers => "PUT /transfers",
            Self::PatchTransfers => "PATCH /transfers",
            Self::PostFxQuotes => "POST /fxQuotes",
            Self::PostFxTransfers => "POST /fxTransfers",
        }
    }

    /// Finds an operation by its [`name`](Self::name), ignoring ASCII case and repeated
    /// spaces.
    ///
    /// # Errors
    ///
    /// [`PaymentError::MojaloopInvalid`] for a name that is not an operation.
    ///
    /// # Examples
    ///
    /// ```
    /// use dpikit_payments::mojaloop::IsoOperation;
    ///
    /// assert_eq!(IsoOperation::from_name("post  /Transfers")?, IsoOperation::PostTransfers);
    /// assert!(IsoOperation::from_name("DELETE /transfers").is_err());
    /// # Ok::<(), dpikit_payments::PaymentError>(())
    /// ```
    pub fn from_name(name: &str) -> Result<Self, PaymentError> {
        let wanted = name.split_whitespace().collect::<Vec<_>>().join(" ");
        Self::ALL.into_iter().find(|op| op.name().eq_ignore_ascii_case(&wanted)).ok_or_else(|| {
            PaymentError::MojaloopInvalid(format!("unknown FSPIOP ISO 20022 operation {name:?}"))
        })
    }

    /// Returns the JSON pointers this operation's body must contain.
    #[must_use]
    pub const fn required(self) -> &'static [&'static str] {
        match self {
            Self::PutParties => &["/Assgnmt", "/Rpt"],
            Self::PostQuotes => &["/GrpHdr", "/CdtTrfTxInf/IntrBkSttlmAmt"],
            Self::PutQuotes | Self::PostTransfers => &[
                "/GrpHdr",
                "/CdtTrfTxInf/IntrBkSttlmAmt",
                "/CdtTrfTxInf/VrfctnOfTerms/IlpV4PrepPacket",
            ],
            Self::PutTransfers | Self::PatchTransfers => &["/GrpHdr", "/TxInfAndSts/TxSts"],
            Self::PostFxQuotes | Self::PostFxTransfers => &["/GrpHdr", "/CdtTrfTxInf"],
        }
    }
}

/// Parses an ISO 20022-mode body as JSON (with the core intake limits).
///
/// # Errors
///
/// Core JSON intake errors, or [`PaymentError::MojaloopInvalid`] if the body is not an
/// object.
///
/// # Examples
///
/// ```
/// use dpikit_core::Limits;
/// use dpikit_payments::mojaloop::parse_iso_body;
///
/// assert!(parse_iso_body(b"[]", &Limits::default()).is_err());
/// ```
pub fn parse_iso_body(bytes: &[u8], limits: &Limits) -> Result<Value, PaymentError> {
    let v = dpikit_core::parse_json(bytes, limits)?;
    if v.is_object() {
        Ok(v)
    } else {
        Err(PaymentError::MojaloopInvalid("an ISO 20022-mode body is a JSON object".into()))
    }
}

/// Validates an ISO 20022-mode body (see the module table); `now` enables expiry checks.
///
/// # Examples
///
/// ```
/// use dpikit_core::ErrorCode;
/// use dpikit_payments::mojaloop::{IsoOperation, validate_iso};
///
/// let body = serde_json::json!({"GrpHdr": {"MsgId": "01JB251SK2SJHT3YZBDACJQVV8",
///     "CreDtTm": "2024-10-25T15:34:49.187Z", "PmtInstrXpryDtTm": "2017-11-15T22:17:28.985-01:00"},
///     "CdtTrfTxInf": {"IntrBkSttlmAmt": {"Ccy": "USD", "ActiveCurrencyAndAmount": "100"}}});
/// let f = validate_iso(IsoOperation::PostQuotes, &body, None);
/// assert_eq!(f.len(), 1);
/// assert_eq!(f[0].code, ErrorCode::ExpiryBeforeCreation);
/// ```
#[must_use]
pub fn validate_iso(op: IsoOperation, body: &Value, now: Option<Timestamp>) -> Vec<Finding> {
    let mut v = V { out: Vec::new() };
    for path in op.required() {
        if body.pointer(path).is_none() {
            v.push(ErrorCode::MojaloopInvalid, path, "required by this operation");
        }
    }
    walk(&mut v, body, "");
    if let Some(h) = body.get("GrpHdr").or_else(|| body.get("Assgnmt")) {
        let base = if body.get("GrpHdr").is_some() { "/GrpHdr" } else { "/Assgnmt" };
        let cre = h.get("CreDtTm").and_then(Value::as_str);
        let cre_t = cre.and_then(|c| v.time(&format!("{base}/CreDtTm"), c));
        if cre.is_none() {
            v.push(ErrorCode::MojaloopInvalid, &format!("{base}/CreDtTm"), "CreDtTm is required");
        }
        if h.get("MsgId").is_none() {
            v.push(ErrorCode::MojaloopInvalid, &format!("{base}/MsgId"), "MsgId is required");
        }
        if let Some(x) = h.get("PmtInstrXpryDtTm").and_then(Value::as_str) {
            let loc = format!("{base}/PmtInstrXpryDtTm");
            if let Some(t) = v.time(&loc, x) {
                if cre_t.is_some_and(|c| t <= c) {
                    v.push(ErrorCode::ExpiryBeforeCreation, &loc, "expiry is not after CreDtTm");
                }
                if now.is_some_and(|n| t <= n) {
                    v.push(ErrorCode::TransferExpired, &loc, format!("expired at {x}"));
                }
            }
        }
    }
    v.out
}

/// Walks an ISO-mode body: ids, amounts, UETRs, ILP fields, settlement method, numbers.
fn walk(v: &mut V, value: &Value, path: &str) {
    match value {
        Value::Object(map) => {
            if let (Some(a), Some(c)) = (map.get("ActiveCurrencyAndAmount"), map.get("Ccy")) {
                if let (Some(a), Some(c)) = (a.as_str(), c.as_str()) {
                    v.amount(
                        &format!("{path}/ActiveCurrencyAndAmount"),
                        a,
                        &format!("{path}/Ccy"),
                        c,
                    );
                }
            }
            for (k, x) in map {
                let p = format!("{path}/{k}");
                match (k.as_str(), x) {
                    (_, Value::Number(_)) => {
                        v.push(
                            ErrorCode::MojaloopInvalid,
                            &p,
                            "ISO 20022 JSON writes text, not numbers",
                        );
                    }
                    ("MsgId" | "TxId" | "StsId", Value::String(s)) => {
                        if !is_ulid(s) && !is_fspiop_uuid(s) {
                            v.push(
                                ErrorCode::MojaloopInvalid,
                                &p,
                                format!("{s:?} is not a ULID or UUID"),
                            );
                        }
                    }
                    ("UETR" | "OrgnlUETR", Value::String(s)) => {
                        if !crate::validate::is_uuid_v4(s) {
                            v.push(
                                ErrorCode::InvalidUetr,
                                &p,
                                format!("{s:?} is not a lowercase UUIDv4"),
                            );
                        }
                    }
                    ("IlpV4PrepPacket", Value::String(s)) => ilp_packet(v, &p, s, None),
                    ("ExctnConf", Value::String(s)) => {
                        if let Err(e) = ilp::decode32(s) {
                            v.push(e.code(), &p, e.to_string());
                        }
                    }
                    ("SttlmMtd", Value::String(s)) if s != "CLRG" => {
                        v.push(
                            ErrorCode::MojaloopInvalid,
                            &p,
                            "Mojaloop supports SttlmMtd CLRG only",
                        );
                    }
                    _ => walk(v, x, &p),
                }
            }
        }
        Value::Array(items) => {
            for (i, x) in items.iter().enumerate() {
                walk(v, x, &format!("{path}/{i}"));
            }
        }
        _ => {}
    }
}
