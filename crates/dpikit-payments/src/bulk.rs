//! G2P bulk disbursement: beneficiaries (from CSV or a `Vec`) to a validated batch with a
//! per-row error report, duplicate detection, deterministic end-to-end ids and payment blocks
//! per currency and execution date; emitted as pain.001.001.09, GovStack bulk-payment JSON or
//! G2P Connect disburse JSON.
//!
//! # Examples
//!
//! ```
//! use dpikit_payments::bulk::{self, Account, BatchConfig};
//!
//! let config = BatchConfig::new("SUBSIDY-2026-11", "2026-11-29T08:00:00Z", "2026-12-01",
//!     "City of Example", Account::Iban("DE89370400440532013000".into()));
//! let csv = "id,name,account,amount,currency,reference\n\
//!            R1,Ada,+250788000001,20200,RWF,Nov subsidy\n\
//!            R2,Bo,DE44500105175407324931,12.50,EUR,Nov subsidy\n\
//!            R3,Cy,DE00000000000000000000,1,EUR,Nov subsidy\n";
//! let out = bulk::from_csv(csv.as_bytes(), &config, &bulk::CsvLimits::default())?;
//! assert_eq!(out.batch.len(), 2);
//! assert_eq!(out.errors.len(), 1); // R3: bad IBAN, row 4, column "account"
//! assert_eq!((out.errors[0].row, out.errors[0].column.as_str()), (4, "account"));
//! let xml = out.batch.to_pain001_xml()?;
//! assert!(xml.contains("<NbOfTxs>2</NbOfTxs>"));
//! # Ok::<(), dpikit_payments::PaymentError>(())
//! ```

use std::collections::{BTreeMap, HashMap};
use std::fmt::Write as _;

use dpikit_core::ErrorCode;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};
use sha2::{Digest, Sha256};

use crate::PaymentError;
use crate::iso::generated::{
    AccountIdentification4Choice, AccountSchemeName1Choice, ActiveOrHistoricCurrencyAndAmount,
    AmountType4Choice, BranchAndFinancialInstitutionIdentification6, CashAccount38,
    CreditTransferTransaction34, CustomerCreditTransferInitiationV09, DateAndDateTime2Choice,
    FinancialInstitutionIdentification18, GenericAccountIdentification1,
    GenericFinancialIdentification1, GenericPersonIdentification1, GroupHeader85, Party38Choice,
    PartyIdentification135, PaymentIdentification6, PaymentInstruction30, PersonIdentification13,
    RemittanceInformation16, pain_001_001_09,
};
use crate::iso::{Choice, Document, Message};
use crate::money::{self, Amount, Currency};

/// A beneficiary's account: an IBAN, a mobile number (MSISDN) or another identifier.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(tag = "type", content = "value", rename_all = "snake_case")]
pub enum Account {
    /// An IBAN (ISO 13616), without spaces.
    Iban(String),
    /// A mobile number in international form, digits only after an optional `+`.
    Msisdn(String),
    /// Another account identifier, with an optional scheme name (e.g. `WALLET`).
    Other {
        /// The identifier (1–34 characters).
        id: String,
        /// The scheme name (1–35 characters), if any.
        scheme: Option<String>,
    },
}

impl Account {
    /// Classifies a written account: `iban:…`, `msisdn:…`/`tel:…`, `<scheme>:…`, or by shape
    /// (two letters + two digits + alphanumerics is an IBAN, `+` and 6–15 digits is an MSISDN).
    ///
    /// Spaces inside an IBAN are removed; nothing else is changed.
    ///
    /// # Examples
    ///
    /// ```
    /// use dpikit_payments::bulk::Account;
    ///
    /// assert_eq!(Account::parse("DE89 3704 0044 0532 0130 00"),
    ///            Account::Iban("DE89370400440532013000".into()));
    /// assert_eq!(Account::parse("+250788000001"), Account::Msisdn("+250788000001".into()));
    /// assert_eq!(Account::parse("wallet:W-77"),
    ///            Account::Other { id: "W-77".into(), scheme: Some("WALLET".into()) });
    /// ```
    #[must_use]
    pub fn parse(written: &str) -> Self {
        let t = written.trim();
        if let Some((scheme, id)) = t.split_once(':') {
            let id = id.trim();
            return match scheme.trim().to_ascii_lowercase().as_str() {
                "iban" => Self::Iban(id.replace(' ', "")),
                "msisdn" | "tel" => Self::Msisdn(id.to_owned()),
                s => Self::Other { id: id.to_owned(), scheme: Some(s.to_ascii_uppercase()) },
            };
        }
        let compact: String = t.chars().filter(|c| *c != ' ').collect();
        let b = compact.as_bytes();
        if b.len() >= 15
            && b.len() <= 34
            && b[..2].iter().all(u8::is_ascii_alphabetic)
            && b[2..4].iter().all(u8::is_ascii_digit)
            && b.iter().all(u8::is_ascii_alphanumeric)
        {
            return Self::Iban(compact);
        }
        if is_msisdn(t) {
            return Self::Msisdn(t.to_owned());
        }
        Self::Other { id: t.to_owned(), scheme: None }
    }

    /// Returns the identifier without its type.
    #[must_use]
    pub fn id(&self) -> &str {
        match self {
            Self::Iban(s) | Self::Msisdn(s) => s,
            Self::Other { id, .. } => id,
        }
    }

    /// Returns the account type as used in GovStack and G2P Connect addresses
    /// (`IBAN`, `MSISDN`, or the scheme name, `ACCOUNTID` when there is none).
    #[must_use]
    pub fn kind(&self) -> &str {
        match self {
            Self::Iban(_) => "IBAN",
            Self::Msisdn(_) => "MSISDN",
            Self::Other { scheme, .. } => scheme.as_deref().unwrap_or("ACCOUNTID"),
        }
    }

    fn check(&self) -> Result<(), (ErrorCode, String)> {
        match self {
            Self::Iban(s) => crate::validate::check_iban(s)
                .map_err(|e| (ErrorCode::InvalidIban, format!("IBAN {s:?}: {e}"))),
            Self::Msisdn(s) if is_msisdn(s) => Ok(()),
            Self::Msisdn(s) => Err((
                ErrorCode::BulkRowInvalid,
                format!("MSISDN {s:?} is not + and 6 to 15 digits"),
            )),
            Self::Other { id, scheme } => {
                if !text_ok(id, 34) {
                    return Err((
                        ErrorCode::BulkRowInvalid,
                        "account id must be 1-34 characters without surrounding spaces".into(),
                    ));
                }
                if scheme.as_deref().is_some_and(|s| !text_ok(s, 35)) {
                    return Err((
                        ErrorCode::BulkRowInvalid,
                        "scheme must be 1-35 characters without surrounding spaces".into(),
                    ));
                }
                Ok(())
            }
        }
    }

    fn to_cash_account(&self) -> CashAccount38 {
        let id = match self {
            Self::Iban(s) => AccountIdentification4Choice::IBAN(s.clone()),
            Self::Msisdn(s) => AccountIdentification4Choice::Othr(GenericAccountIdentification1 {
                id: s.clone(),
                schme_nm: Some(Choice::new(AccountSchemeName1Choice::Prtry("MSISDN".into()))),
                issr: None,
            }),
            Self::Other { id, scheme } => {
                AccountIdentification4Choice::Othr(GenericAccountIdentification1 {
                    id: id.clone(),
                    schme_nm: scheme
                        .as_ref()
                        .map(|s| Choice::new(AccountSchemeName1Choice::Prtry(s.clone()))),
                    issr: None,
                })
            }
        };
        CashAccount38 { id: Choice::new(id), tp: None, ccy: None, nm: None, prxy: None }
    }
}

fn is_msisdn(s: &str) -> bool {
    let digits = s.strip_prefix('+').unwrap_or(s);
    (6..=15).contains(&digits.len())
        && digits.bytes().all(|b| b.is_ascii_digit())
        && !digits.starts_with('0')
}

/// XSD `Max<n>Text`: 1..=max characters, no control characters, and no leading or trailing
/// white space (XML readers trim it, so it would not survive a round trip).
fn text_ok(s: &str, max: usize) -> bool {
    let n = s.chars().count();
    n >= 1 && n <= max && !s.chars().any(char::is_control) && s.trim() == s
}

fn date_ok(text: &str) -> bool {
    let bytes = text.as_bytes();
    if bytes.len() != 10 || bytes[4] != b'-' || bytes[7] != b'-' {
        return false;
    }
    let num = |r: std::ops::Range<usize>| {
        text.get(r).filter(|x| x.bytes().all(|c| c.is_ascii_digit()))?.parse::<u32>().ok()
    };
    match (num(0..4), num(5..7), num(8..10)) {
        (Some(year), Some(month), Some(day)) => {
            let leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
            let days = [31, if leap { 29 } else { 28 }, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
            (1..=12).contains(&month) && day >= 1 && day <= days[(month - 1) as usize]
        }
        _ => false,
    }
}

/// One person to pay.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Beneficiary {
    /// The beneficiary's identifier in the programme (1–35 characters).
    pub id: String,
    /// The beneficiary's name (1–140 characters).
    pub name: String,
    /// Where to pay.
    pub account: Account,
    /// How much (positive, exact).
    pub amount: Amount,
    /// ISO 4217 currency code with a minor unit (XAU and similar are refused).
    pub currency: String,
    /// Remittance reference shown to the beneficiary (1–140 characters).
    pub reference: String,
    /// Requested execution date (`YYYY-MM-DD`); the batch default when `None`.
    pub execution_date: Option<String>,
    /// The payment provider for G2P Connect addresses (`id-type:id@provider`); the batch
    /// default when `None`.
    pub provider: Option<String>,
}

/// Batch-level settings: identifiers, debtor and defaults.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BatchConfig {
    /// Batch identifier (1–30 characters): the pain.001 `MsgId` and the seed of every id.
    pub batch_id: String,
    /// Creation time (`xs:dateTime`, e.g. `2026-11-29T08:00:00Z`).
    pub created_at: String,
    /// Default requested execution date (`YYYY-MM-DD`).
    pub execution_date: String,
    /// Debtor (paying administration) name.
    pub debtor_name: String,
    /// Debtor account.
    pub debtor_account: Account,
    /// Debtor agent BIC; `None` writes `Othr/Id` `NOTPROVIDED`.
    pub debtor_agent_bic: Option<String>,
    /// GovStack `paymentMode` (≤ 20 characters), e.g. `MOJALOOP` or `SLCB`.
    pub payment_mode: String,
    /// Default G2P Connect provider for payee addresses, e.g. `mobile-money`.
    pub provider: String,
}

impl BatchConfig {
    /// Creates a configuration with no debtor BIC, payment mode `SLCB` and provider `bank`.
    ///
    /// # Examples
    ///
    /// ```
    /// use dpikit_payments::bulk::{Account, BatchConfig};
    ///
    /// let c = BatchConfig::new("B1", "2026-11-29T08:00:00Z", "2026-12-01", "City",
    ///     Account::Iban("DE89370400440532013000".into()));
    /// assert_eq!(c.payment_mode, "SLCB");
    /// ```
    #[must_use]
    pub fn new(
        batch_id: &str,
        created_at: &str,
        execution_date: &str,
        debtor_name: &str,
        debtor_account: Account,
    ) -> Self {
        Self {
            batch_id: batch_id.to_owned(),
            created_at: created_at.to_owned(),
            execution_date: execution_date.to_owned(),
            debtor_name: debtor_name.to_owned(),
            debtor_account,
            debtor_agent_bic: None,
            payment_mode: "SLCB".to_owned(),
            provider: "bank".to_owned(),
        }
    }

    fn check(&self) -> Result<(), PaymentError> {
        let bad = |m: &str| Err(PaymentError::BatchInvalid(m.to_owned()));
        if !text_ok(&self.batch_id, 30) {
            return bad("batch_id must be 1-30 characters without surrounding spaces");
        }
        if !date_ok(&self.execution_date) {
            return bad("execution_date must be a YYYY-MM-DD date");
        }
        if !datetime_ok(&self.created_at) {
            return bad("created_at must be an xs:dateTime such as 2026-11-29T08:00:00Z");
        }
        if !text_ok(&self.debtor_name, 140) {
            return bad("debtor_name must be 1-140 characters without surrounding spaces");
        }
        if let Err((_, m)) = self.debtor_account.check() {
            return Err(PaymentError::BatchInvalid(format!("debtor_account: {m}")));
        }
        if let Some(bic) = &self.debtor_agent_bic {
            if !crate::validate::is_bic(bic) {
                return Err(PaymentError::InvalidBic(bic.clone()));
            }
        }
        if !text_ok(&self.payment_mode, 20) {
            return bad("payment_mode must be 1-20 characters without surrounding spaces");
        }
        if !provider_ok(&self.provider) {
            return bad("provider must be [A-Za-z0-9.-]+");
        }
        Ok(())
    }
}

fn provider_ok(s: &str) -> bool {
    !s.is_empty() && s.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'.' || b == b'-')
}

fn datetime_ok(text: &str) -> bool {
    // YYYY-MM-DDThh:mm:ss[.f+][Z|±hh:mm]
    let Some((date, time)) = text.split_once('T') else { return false };
    if !date_ok(date) || time.len() < 8 || !time.is_char_boundary(8) {
        return false;
    }
    let bytes = time.as_bytes();
    let hms = bytes[2] == b':'
        && bytes[5] == b':'
        && [0, 1, 3, 4, 6, 7].iter().all(|&i| bytes[i].is_ascii_digit())
        && time[0..2].parse::<u32>().is_ok_and(|h| h < 24)
        && time[3..5].parse::<u32>().is_ok_and(|m| m < 60)
        && time[6..8].parse::<u32>().is_ok_and(|x| x < 60);
    if !hms {
        return false;
    }
    let mut rest = &time[8..];
    if let Some(r) = rest.strip_prefix('.') {
        let n = r.bytes().take_while(u8::is_ascii_digit).count();
        if n == 0 {
            return false;
        }
        rest = &r[n..];
    }
    rest.is_empty()
        || rest == "Z"
        || (rest.len() == 6
            && (rest.starts_with('+') || rest.starts_with('-'))
            && rest.as_bytes()[3] == b':'
            && rest.bytes().enumerate().all(|(i, c)| i == 0 || i == 3 || c.is_ascii_digit()))
}

/// One problem with one input row.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RowError {
    /// The row: the 1-based line of the record in the CSV (the header is line 1), or the
    /// 1-based position in the `Vec` given to [`build`].
    pub row: usize,
    /// The column (`id`, `name`, `account`, `amount`, `currency`, `reference`,
    /// `execution_date`, `provider`).
    pub column: String,
    /// The stable code (compare this, never the message).
    pub code: ErrorCode,
    /// Explanation for people.
    pub message: String,
}

/// One accepted payment of a batch.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Payment {
    /// The input row (see [`RowError::row`]).
    pub row: usize,
    /// Deterministic end-to-end id: 32 lowercase hex characters of
    /// SHA-256(batch id ‖ beneficiary id ‖ reference).
    pub end_to_end_id: String,
    /// Deterministic UETR (UUIDv4 form) from the same hash.
    pub uetr: String,
    /// The beneficiary.
    pub beneficiary: Beneficiary,
}

/// Payments with the same currency and execution date: one pain.001 `PmtInf`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PaymentBlock {
    /// `PmtInfId`: `<batch id>-<n>` (n from 1).
    pub id: String,
    /// The currency of every payment in the block.
    pub currency: String,
    /// The requested execution date.
    pub execution_date: String,
    /// The payments, in input order.
    pub payments: Vec<Payment>,
}

impl PaymentBlock {
    /// Returns the exact sum of the block's amounts.
    ///
    /// # Errors
    ///
    /// [`PaymentError::InvalidAmount`] if the sum overflows.
    ///
    /// # Examples
    ///
    /// ```
    /// # use dpikit_payments::bulk::{self, Account, BatchConfig, Beneficiary};
    /// # let c = BatchConfig::new("B1", "2026-11-29T08:00:00Z", "2026-12-01", "City",
    /// #     Account::Iban("DE89370400440532013000".into()));
    /// # let b = |id: &str, tel: &str, amt: &str| Beneficiary { id: id.into(), name: "N".into(),
    /// #     account: Account::parse(tel), amount: amt.parse().unwrap(),
    /// #     currency: "RWF".into(), reference: "R".into(), execution_date: None, provider: None };
    /// let out = bulk::build(&c, vec![b("A", "+250788000001", "100"), b("B", "+250788000002", "250")])?;
    /// assert_eq!(out.batch.blocks[0].control_sum()?.to_string(), "350");
    /// # Ok::<(), dpikit_payments::PaymentError>(())
    /// ```
    pub fn control_sum(&self) -> Result<Amount, PaymentError> {
        sum(self.payments.iter().map(|p| p.beneficiary.amount))
    }
}

fn sum(amounts: impl Iterator<Item = Amount>) -> Result<Amount, PaymentError> {
    let mut total = Decimal::ZERO;
    for a in amounts {
        total = total
            .checked_add(a.value())
            .ok_or_else(|| PaymentError::InvalidAmount("sum overflows".into()))?;
    }
    Ok(Amount::new(total))
}

/// A validated batch: payment blocks ordered by (currency, execution date).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Batch {
    /// The configuration the batch was built with.
    pub config: BatchConfig,
    /// The payment blocks.
    pub blocks: Vec<PaymentBlock>,
}

/// The result of [`from_csv`] or [`build`]: the batch of valid rows and the rejected rows.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct BulkOutcome {
    /// The valid payments.
    pub batch: Batch,
    /// One entry per problem; a row with an error is not in the batch.
    pub errors: Vec<RowError>,
    /// CSV columns that were present but not used.
    pub ignored_columns: Vec<String>,
}

/// Limits for [`from_csv`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CsvLimits {
    /// Maximum input size in bytes (default 32 MiB).
    pub max_bytes: usize,
    /// Maximum number of data rows (default 200 000).
    pub max_rows: usize,
}

impl Default for CsvLimits {
    fn default() -> Self {
        Self { max_bytes: 32 << 20, max_rows: 200_000 }
    }
}

const COLUMNS: [&str; 8] =
    ["id", "name", "account", "amount", "currency", "reference", "execution_date", "provider"];
const REQUIRED: usize = 6;

/// Reads beneficiaries from CSV (header row with `id,name,account,amount,currency,reference`
/// and optionally `execution_date`, `provider`, in any order, case-insensitive) and builds a
/// batch with [`build`]'s rules. Other columns are ignored and listed.
///
/// # Errors
///
/// - [`PaymentError::BulkRowInvalid`]: input over the limits, not UTF-8, not CSV, or a
///   required column missing from the header (row problems are in [`BulkOutcome::errors`]).
/// - [`PaymentError::BatchInvalid`], [`PaymentError::InvalidBic`]: the configuration.
///
/// # Examples
///
/// ```
/// use dpikit_core::ErrorCode;
/// use dpikit_payments::bulk::{self, Account, BatchConfig, CsvLimits};
///
/// let c = BatchConfig::new("B1", "2026-11-29T08:00:00Z", "2026-12-01", "City",
///     Account::Iban("DE89370400440532013000".into()));
/// let err = bulk::from_csv(b"id,name\nA,B\n", &c, &CsvLimits::default()).unwrap_err();
/// assert_eq!(err.code(), ErrorCode::BulkRowInvalid);
/// ```
pub fn from_csv(
    input: &[u8],
    config: &BatchConfig,
    limits: &CsvLimits,
) -> Result<BulkOutcome, PaymentError> {
    config.check()?;
    if input.len() > limits.max_bytes {
        return Err(PaymentError::BulkRowInvalid(format!(
            "input is {} bytes, over the {} limit",
            input.len(),
            limits.max_bytes
        )));
    }
    let input = input.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(input);
    let mut reader =
        csv::ReaderBuilder::new().flexible(true).trim(csv::Trim::All).from_reader(input);
    let header =
        reader.headers().map_err(|e| PaymentError::BulkRowInvalid(format!("header: {e}")))?.clone();
    let mut index = [None; COLUMNS.len()];
    let mut ignored = Vec::new();
    for (i, h) in header.iter().enumerate() {
        let h = h.to_ascii_lowercase();
        match COLUMNS.iter().position(|c| *c == h) {
            Some(k) if index[k].is_none() => index[k] = Some(i),
            Some(_) => {
                return Err(PaymentError::BulkRowInvalid(format!("column {h:?} appears twice")));
            }
            None => ignored.push(h),
        }
    }
    if let Some(k) = (0..REQUIRED).find(|&k| index[k].is_none()) {
        return Err(PaymentError::BulkRowInvalid(format!(
            "required column {:?} is missing",
            COLUMNS[k]
        )));
    }
    let mut rows = Vec::new();
    let mut errors = Vec::new();
    for (n, record) in reader.records().enumerate() {
        if n >= limits.max_rows {
            return Err(PaymentError::BulkRowInvalid(format!(
                "more than {} rows",
                limits.max_rows
            )));
        }
        let record = record.map_err(|e| PaymentError::BulkRowInvalid(format!("CSV: {e}")))?;
        let row = record.position().map_or(n + 2, |p| usize::try_from(p.line()).unwrap_or(n + 2));
        if let Some(k) = (0..REQUIRED).find(|&k| index[k].is_some_and(|i| i >= record.len())) {
            errors.push(row_error(
                row,
                COLUMNS[k],
                ErrorCode::BulkRowInvalid,
                "the row has fewer fields than the header".into(),
            ));
            continue;
        }
        let field = |k: usize| index[k].and_then(|i| record.get(i)).unwrap_or("");
        let amount = match field(3).parse::<Amount>() {
            Ok(a) => a,
            Err(e) => {
                errors.push(row_error(row, "amount", e.code(), e.to_string()));
                continue;
            }
        };
        let opt = |k: usize| Some(field(k).to_owned()).filter(|s| !s.is_empty());
        rows.push((
            row,
            Beneficiary {
                id: field(0).to_owned(),
                name: field(1).to_owned(),
                account: Account::parse(field(2)),
                amount,
                currency: field(4).to_owned(),
                reference: field(5).to_owned(),
                execution_date: opt(6),
                provider: opt(7),
            },
        ));
    }
    let mut out = build_rows(config, rows);
    errors.append(&mut out.errors);
    errors.sort_by_key(|e| e.row);
    out.errors = errors;
    out.ignored_columns = ignored;
    Ok(out)
}

/// Builds a batch from beneficiaries: validates each (lengths, IBAN mod-97, MSISDN shape,
/// positive amount encodable in ISO 20022 with the currency's minor unit, ISO 4217 currency
/// with a minor unit, dates), rejects duplicates (same beneficiary id and reference, or the
/// same account under another beneficiary id), derives deterministic ids and groups payments
/// into blocks by (currency, execution date).
///
/// # Errors
///
/// [`PaymentError::BatchInvalid`] or [`PaymentError::InvalidBic`] if the configuration is
/// invalid (row problems are in [`BulkOutcome::errors`], never an `Err`).
///
/// # Examples
///
/// ```
/// use dpikit_core::ErrorCode;
/// use dpikit_payments::bulk::{self, Account, BatchConfig, Beneficiary};
///
/// let c = BatchConfig::new("B1", "2026-11-29T08:00:00Z", "2026-12-01", "City",
///     Account::Iban("DE89370400440532013000".into()));
/// let b = |id: &str| Beneficiary { id: id.into(), name: "N".into(),
///     account: Account::parse("+250788000001"), amount: "100".parse().unwrap(),
///     currency: "RWF".into(), reference: "Nov".into(), execution_date: None, provider: None };
/// let out = bulk::build(&c, vec![b("A"), b("A")])?;
/// assert_eq!(out.batch.len(), 1);
/// assert_eq!(out.errors[0].code, ErrorCode::DuplicateId);
/// // Re-running gives the same ids.
/// let again = bulk::build(&c, vec![b("A")])?;
/// assert_eq!(again.batch.blocks[0].payments[0].end_to_end_id,
///            out.batch.blocks[0].payments[0].end_to_end_id);
/// # Ok::<(), dpikit_payments::PaymentError>(())
/// ```
pub fn build(
    config: &BatchConfig,
    beneficiaries: Vec<Beneficiary>,
) -> Result<BulkOutcome, PaymentError> {
    config.check()?;
    Ok(build_rows(config, beneficiaries.into_iter().enumerate().map(|(i, b)| (i + 1, b)).collect()))
}

fn row_error(row: usize, column: &str, code: ErrorCode, message: String) -> RowError {
    RowError { row, column: column.to_owned(), code, message }
}

fn check_beneficiary(b: &Beneficiary) -> Result<(), (&'static str, ErrorCode, String)> {
    let facet = |col: &'static str, m: &str| Err((col, ErrorCode::BulkRowInvalid, m.to_owned()));
    if !text_ok(&b.id, 35) {
        return facet("id", "id must be 1-35 characters without surrounding spaces");
    }
    if !text_ok(&b.name, 140) {
        return facet("name", "name must be 1-140 characters without surrounding spaces");
    }
    b.account.check().map_err(|(c, m)| ("account", c, m))?;
    let currency =
        Currency::from_code(&b.currency).map_err(|e| ("currency", e.code(), e.to_string()))?;
    if currency.minor_units().is_none() {
        return Err((
            "currency",
            ErrorCode::UnknownCurrency,
            format!("{} has no minor unit (commodity or test code)", b.currency),
        ));
    }
    if b.amount.value() <= Decimal::ZERO {
        return Err(("amount", ErrorCode::InvalidAmount, "amount must be positive".into()));
    }
    money::encode_iso20022(b.amount, currency).map_err(|e| ("amount", e.code(), e.to_string()))?;
    if !text_ok(&b.reference, 140) {
        return facet("reference", "reference must be 1-140 characters without surrounding spaces");
    }
    if b.execution_date.as_deref().is_some_and(|d| !date_ok(d)) {
        return facet("execution_date", "execution_date must be a YYYY-MM-DD date");
    }
    if b.provider.as_deref().is_some_and(|p| !provider_ok(p)) {
        return facet("provider", "provider must be [A-Za-z0-9.-]+");
    }
    Ok(())
}

fn ids(batch_id: &str, b: &Beneficiary) -> (String, String) {
    let mut h = Sha256::new();
    for part in [batch_id, &b.id, &b.reference] {
        h.update((part.len() as u64).to_be_bytes());
        h.update(part.as_bytes());
    }
    let d = h.finalize();
    let mut e2e = String::with_capacity(32);
    for byte in &d[..16] {
        let _ = write!(e2e, "{byte:02x}");
    }
    let mut u = [0u8; 16];
    u.copy_from_slice(&d[16..32]);
    u[6] = (u[6] & 0x0f) | 0x40;
    u[8] = (u[8] & 0x3f) | 0x80;
    let mut uetr = String::with_capacity(36);
    for (i, byte) in u.iter().enumerate() {
        if matches!(i, 4 | 6 | 8 | 10) {
            uetr.push('-');
        }
        let _ = write!(uetr, "{byte:02x}");
    }
    (e2e, uetr)
}

fn build_rows(config: &BatchConfig, rows: Vec<(usize, Beneficiary)>) -> BulkOutcome {
    let mut errors = Vec::new();
    let mut seen_ref: HashMap<(String, String), usize> = HashMap::new();
    let mut seen_account: HashMap<Account, (String, usize)> = HashMap::new();
    let mut groups: BTreeMap<(String, String), Vec<Payment>> = BTreeMap::new();
    for (row, b) in rows {
        if let Err((col, code, message)) = check_beneficiary(&b) {
            errors.push(row_error(row, col, code, message));
            continue;
        }
        if let Some(first) = seen_ref.get(&(b.id.clone(), b.reference.clone())) {
            errors.push(row_error(
                row,
                "reference",
                ErrorCode::DuplicateId,
                format!("beneficiary {:?} with this reference is already in row {first}", b.id),
            ));
            continue;
        }
        if let Some((other, first)) = seen_account.get(&b.account) {
            if *other != b.id {
                errors.push(row_error(
                    row,
                    "account",
                    ErrorCode::DuplicateId,
                    format!("account already used by beneficiary {other:?} in row {first}"),
                ));
                continue;
            }
        }
        seen_ref.insert((b.id.clone(), b.reference.clone()), row);
        seen_account.entry(b.account.clone()).or_insert_with(|| (b.id.clone(), row));
        let (end_to_end_id, uetr) = ids(&config.batch_id, &b);
        let date = b.execution_date.clone().unwrap_or_else(|| config.execution_date.clone());
        groups.entry((b.currency.clone(), date)).or_default().push(Payment {
            row,
            end_to_end_id,
            uetr,
            beneficiary: b,
        });
    }
    let blocks = groups
        .into_iter()
        .enumerate()
        .map(|(i, ((currency, execution_date), payments))| PaymentBlock {
            id: format!("{}-{}", config.batch_id, i + 1),
            currency,
            execution_date,
            payments,
        })
        .collect();
    BulkOutcome {
        batch: Batch { config: config.clone(), blocks },
        errors,
        ignored_columns: Vec::new(),
    }
}

impl Batch {
    /// Returns the number of payments.
    #[must_use]
    pub fn len(&self) -> usize {
        self.blocks.iter().map(|b| b.payments.len()).sum()
    }

    /// Returns `true` if the batch has no payment.
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.blocks.iter().all(|b| b.payments.is_empty())
    }

    /// Returns every payment, block by block.
    pub fn payments(&self) -> impl Iterator<Item = &Payment> {
        self.blocks.iter().flat_map(|b| b.payments.iter())
    }

    /// Builds the pain.001.001.09 message (group header, one `PmtInf` per block, NbOfTxs and
    /// CtrlSum computed exactly) and checks it with [`crate::validate::validate`].
    ///
    /// # Errors
    ///
    /// - [`PaymentError::BatchInvalid`]: the batch is empty, or has more than 9 999 blocks.
    /// - The code of the first validation finding (e.g. [`PaymentError::FacetViolation`]) if
    ///   the built message is not clean; this does not happen for a batch from [`build`].
    ///
    /// # Examples
    ///
    /// ```
    /// # use dpikit_payments::bulk::{self, Account, BatchConfig, Beneficiary};
    /// # use dpikit_payments::iso::Document;
    /// # let c = BatchConfig::new("B1", "2026-11-29T08:00:00Z", "2026-12-01", "City",
    /// #     Account::Iban("DE89370400440532013000".into()));
    /// # let b = Beneficiary { id: "A".into(), name: "N".into(),
    /// #     account: Account::parse("+250788000001"), amount: "100".parse().unwrap(),
    /// #     currency: "RWF".into(), reference: "Nov".into(), execution_date: None, provider: None };
    /// let batch = bulk::build(&c, vec![b])?.batch;
    /// let msg = batch.to_pain001()?;
    /// let Document::Pain001(doc) = &msg.document else { unreachable!() };
    /// assert_eq!(doc.cstmr_cdt_trf_initn.grp_hdr.nb_of_txs, "1");
    /// # Ok::<(), dpikit_payments::PaymentError>(())
    /// ```
    pub fn to_pain001(&self) -> Result<Message, PaymentError> {
        let msg = self.pain001_unchecked()?;
        if let Some(f) = crate::validate::validate(&msg).into_iter().next() {
            return Err(finding_error(&f));
        }
        Ok(msg)
    }

    /// Serialises [`Batch::to_pain001`] as XML (`Document` with its namespace).
    ///
    /// # Errors
    ///
    /// As [`Batch::to_pain001`].
    ///
    /// # Examples
    ///
    /// ```
    /// # use dpikit_payments::bulk::{self, Account, BatchConfig, Beneficiary};
    /// # let c = BatchConfig::new("B1", "2026-11-29T08:00:00Z", "2026-12-01", "City",
    /// #     Account::Iban("DE89370400440532013000".into()));
    /// # let b = Beneficiary { id: "A".into(), name: "N".into(),
    /// #     account: Account::parse("+250788000001"), amount: "100".parse().unwrap(),
    /// #     currency: "RWF".into(), reference: "Nov".into(), execution_date: None, provider: None };
    /// let xml = bulk::build(&c, vec![b])?.batch.to_pain001_xml()?;
    /// assert!(xml.starts_with(
    ///     r#"<Document xmlns="urn:iso:std:iso:20022:tech:xsd:pain.001.001.09">"#));
    /// # Ok::<(), dpikit_payments::PaymentError>(())
    /// ```
    pub fn to_pain001_xml(&self) -> Result<String, PaymentError> {
        self.to_pain001()?.document.to_xml()
    }

    fn pain001_unchecked(&self) -> Result<Message, PaymentError> {
        if self.is_empty() {
            return Err(PaymentError::BatchInvalid("the batch has no payment".into()));
        }
        if self.blocks.len() > 9_999 {
            return Err(PaymentError::BatchInvalid("more than 9 999 payment blocks".into()));
        }
        let c = &self.config;
        let party = |name: &str| PartyIdentification135 {
            nm: Some(name.to_owned()),
            ..PartyIdentification135::default()
        };
        let agent = BranchAndFinancialInstitutionIdentification6 {
            fin_instn_id: match &c.debtor_agent_bic {
                Some(bic) => FinancialInstitutionIdentification18 {
                    bicfi: Some(bic.clone()),
                    ..FinancialInstitutionIdentification18::default()
                },
                None => FinancialInstitutionIdentification18 {
                    othr: Some(GenericFinancialIdentification1 {
                        id: "NOTPROVIDED".into(),
                        ..GenericFinancialIdentification1::default()
                    }),
                    ..FinancialInstitutionIdentification18::default()
                },
            },
            brnch_id: None,
        };
        let mut pmt_inf = Vec::with_capacity(self.blocks.len());
        let mut all = Vec::with_capacity(self.len());
        for block in &self.blocks {
            let txs: Vec<CreditTransferTransaction34> =
                block.payments.iter().map(|p| credit_transfer(p, &block.currency)).collect();
            all.extend(block.payments.iter().map(|p| p.beneficiary.amount));
            pmt_inf.push(PaymentInstruction30 {
                pmt_inf_id: block.id.clone(),
                pmt_mtd: "TRF".into(),
                btch_bookg: None,
                nb_of_txs: Some(block.payments.len().to_string()),
                ctrl_sum: Some(block.control_sum()?),
                pmt_tp_inf: None,
                reqd_exctn_dt: Choice::new(DateAndDateTime2Choice::Dt(
                    block.execution_date.clone(),
                )),
                poolg_adjstmnt_dt: None,
                dbtr: party(&c.debtor_name),
                dbtr_acct: c.debtor_account.to_cash_account(),
                dbtr_agt: agent.clone(),
                dbtr_agt_acct: None,
                instr_for_dbtr_agt: None,
                ultmt_dbtr: None,
                chrg_br: None,
                chrgs_acct: None,
                chrgs_acct_agt: None,
                cdt_trf_tx_inf: txs,
            });
        }
        let doc = pain_001_001_09::Document {
            cstmr_cdt_trf_initn: CustomerCreditTransferInitiationV09 {
                grp_hdr: GroupHeader85 {
                    msg_id: c.batch_id.clone(),
                    cre_dt_tm: c.created_at.clone(),
                    nb_of_txs: all.len().to_string(),
                    ctrl_sum: Some(sum(all.into_iter())?),
                    initg_pty: party(&c.debtor_name),
                    ..GroupHeader85::default()
                },
                pmt_inf,
                splmtry_data: Vec::new(),
            },
        };
        Ok(Message { header: None, document: Document::Pain001(Box::new(doc)) })
    }

    /// Builds the GovStack Payments BB bulk-payment body (`POST /batchtransactions?type=raw`):
    /// an array of `{requestId, creditParty, debitParty, paymentMode, amount, currency,
    /// descriptionText}`. `requestId` is the first 16 characters of the end-to-end id;
    /// `amount` is a JSON number that must represent the amount exactly.
    ///
    /// # Errors
    ///
    /// - [`PaymentError::InvalidAmount`]: an amount is not exact as a JSON float.
    /// - [`PaymentError::BulkRowInvalid`]: a reference over the 50 characters of
    ///   `descriptionText` (never truncated).
    ///
    /// # Examples
    ///
    /// ```
    /// # use dpikit_payments::bulk::{self, Account, BatchConfig, Beneficiary};
    /// # let c = BatchConfig::new("B1", "2026-11-29T08:00:00Z", "2026-12-01", "City",
    /// #     Account::Iban("DE89370400440532013000".into()));
    /// # let b = Beneficiary { id: "A".into(), name: "N".into(),
    /// #     account: Account::parse("+250788000001"), amount: "100".parse().unwrap(),
    /// #     currency: "RWF".into(), reference: "Nov".into(), execution_date: None, provider: None };
    /// let body = bulk::build(&c, vec![b])?.batch.to_govstack_json()?;
    /// assert_eq!(body[0]["creditParty"][0]["key"], "MSISDN");
    /// assert_eq!(body[0]["amount"], 100.0);
    /// # Ok::<(), dpikit_payments::PaymentError>(())
    /// ```
    pub fn to_govstack_json(&self) -> Result<Value, PaymentError> {
        let c = &self.config;
        let debit = json!([{ "key": c.debtor_account.kind(), "value": c.debtor_account.id() }]);
        let mut items = Vec::with_capacity(self.len());
        for p in self.payments() {
            let b = &p.beneficiary;
            let currency = Currency::from_code(&b.currency)?;
            let amount = money::encode_govstack(b.amount, currency)?;
            if b.reference.chars().count() > 50 {
                return Err(PaymentError::BulkRowInvalid(format!(
                    "row {}: reference is longer than the 50 characters of descriptionText",
                    p.row
                )));
            }
            items.push(json!({
                "requestId": &p.end_to_end_id[..16],
                "creditParty": [{ "key": b.account.kind(), "value": b.account.id() }],
                "debitParty": debit,
                "paymentMode": c.payment_mode,
                "amount": amount,
                "currency": b.currency,
                "descriptionText": b.reference,
            }));
        }
        Ok(Value::Array(items))
    }

    /// Builds the G2P Connect disburse request (`POST /disburse`, v1.0.0): `header`
    /// (`message_id` = batch id, `action` `disburse`, `total_count`) and `message`
    /// (`transaction_id` = batch id, one `disbursements[]` item per payment with
    /// `reference_id` = end-to-end id, `payer_fa`/`payee_fa` as `type:id@provider`, `amount`
    /// as a 2-decimal string, `currency_code`, `scheduled_timestamp`, `note`).
    ///
    /// # Errors
    ///
    /// - [`PaymentError::InvalidAmount`]: an amount needs more than 2 decimals or 13 digits.
    /// - [`PaymentError::BulkRowInvalid`]: a reference over the 99 characters of `note`.
    ///
    /// # Examples
    ///
    /// ```
    /// # use dpikit_payments::bulk::{self, Account, BatchConfig, Beneficiary};
    /// # let c = BatchConfig::new("B1", "2026-11-29T08:00:00Z", "2026-12-01", "City",
    /// #     Account::Iban("DE89370400440532013000".into()));
    /// # let b = Beneficiary { id: "A".into(), name: "N".into(),
    /// #     account: Account::parse("+250788000001"), amount: "100".parse().unwrap(),
    /// #     currency: "RWF".into(), reference: "Nov".into(), execution_date: None, provider: None };
    /// let body = bulk::build(&c, vec![b])?.batch.to_g2p_connect_json("city-treasury")?;
    /// let d = &body["message"]["disbursements"][0];
    /// assert_eq!(d["payee_fa"], "msisdn:+250788000001@bank");
    /// assert_eq!(d["amount"], "100.00");
    /// # Ok::<(), dpikit_payments::PaymentError>(())
    /// ```
    pub fn to_g2p_connect_json(&self, sender_id: &str) -> Result<Value, PaymentError> {
        let c = &self.config;
        let payer_fa = format!(
            "{}:{}@{}",
            c.debtor_account.kind().to_ascii_lowercase(),
            c.debtor_account.id(),
            c.provider
        );
        let mut items = Vec::with_capacity(self.len());
        for block in &self.blocks {
            for p in &block.payments {
                let b = &p.beneficiary;
                let currency = Currency::from_code(&b.currency)?;
                if b.reference.chars().count() > 99 {
                    return Err(PaymentError::BulkRowInvalid(format!(
                        "row {}: reference is longer than the 99 characters of note",
                        p.row
                    )));
                }
                items.push(json!({
                    "reference_id": p.end_to_end_id,
                    "payer_fa": payer_fa,
                    "payee_fa": format!("{}:{}@{}", b.account.kind().to_ascii_lowercase(),
                        b.account.id(), b.provider.as_deref().unwrap_or(&c.provider)),
                    "amount": money::encode_g2p_connect(b.amount, currency)?,
                    "scheduled_timestamp": format!("{}T00:00:00Z", block.execution_date),
                    "payer_name": c.debtor_name,
                    "payee_name": b.name,
                    "note": b.reference,
                    "currency_code": b.currency,
                }));
            }
        }
        Ok(json!({
            "header": {
                "version": "1.0.0",
                "message_id": c.batch_id,
                "message_ts": c.created_at,
                "action": "disburse",
                "sender_id": sender_id,
                "total_count": items.len(),
                "is_msg_encrypted": false,
            },
            "message": { "transaction_id": c.batch_id, "disbursements": items },
        }))
    }

    /// Rebuilds a batch from a pain.001.001.09 message (for example one written by
    /// [`Batch::to_pain001`] and stored), so that status reports can be reconciled against
    /// it. Rows are numbered by position (1-based) across blocks; the beneficiary id is
    /// `Cdtr/Id/PrvtId/Othr[1]/Id` (else the end-to-end id), the reference
    /// `RmtInf/Ustrd[1]`.
    ///
    /// # Errors
    ///
    /// - [`PaymentError::UnsupportedMessage`]: not a pain.001.
    /// - [`PaymentError::BatchInvalid`]: an `EqvtAmt` instead of an `InstdAmt`, or a block
    ///   whose transactions mix currencies.
    ///
    /// # Examples
    ///
    /// ```
    /// # use dpikit_payments::bulk::{self, Account, Batch, BatchConfig, Beneficiary};
    /// # let c = BatchConfig::new("B1", "2026-11-29T08:00:00Z", "2026-12-01", "City",
    /// #     Account::Iban("DE89370400440532013000".into()));
    /// # let b = Beneficiary { id: "A".into(), name: "N".into(),
    /// #     account: Account::parse("+250788000001"), amount: "100".parse().unwrap(),
    /// #     currency: "RWF".into(), reference: "Nov".into(), execution_date: None, provider: None };
    /// let batch = bulk::build(&c, vec![b])?.batch;
    /// let again = Batch::from_pain001(&batch.to_pain001()?)?;
    /// assert_eq!(again.payments().next().unwrap().end_to_end_id,
    ///            batch.payments().next().unwrap().end_to_end_id);
    /// # Ok::<(), dpikit_payments::PaymentError>(())
    /// ```
    pub fn from_pain001(msg: &Message) -> Result<Self, PaymentError> {
        let Document::Pain001(d) = &msg.document else {
            return Err(PaymentError::UnsupportedMessage(format!(
                "{} is not pain.001",
                msg.document.kind().id()
            )));
        };
        let m = &d.cstmr_cdt_trf_initn;
        let first = m.pmt_inf.first();
        let account = |a: &CashAccount38| match &a.id.value {
            AccountIdentification4Choice::IBAN(i) => Account::Iban(i.clone()),
            AccountIdentification4Choice::Othr(o) => {
                let scheme = o.schme_nm.as_ref().map(|s| match &s.value {
                    AccountSchemeName1Choice::Cd(x) | AccountSchemeName1Choice::Prtry(x) => {
                        x.clone()
                    }
                });
                match scheme.as_deref() {
                    Some("MSISDN") => Account::Msisdn(o.id.clone()),
                    _ => Account::Other { id: o.id.clone(), scheme },
                }
            }
        };
        let date = |p: &PaymentInstruction30| match &p.reqd_exctn_dt.value {
            DateAndDateTime2Choice::Dt(x) => x.clone(),
            DateAndDateTime2Choice::DtTm(x) => x.get(..10).unwrap_or(x).to_owned(),
        };
        let config = BatchConfig {
            batch_id: m.grp_hdr.msg_id.clone(),
            created_at: m.grp_hdr.cre_dt_tm.clone(),
            execution_date: first.map(date).unwrap_or_default(),
            debtor_name: first.and_then(|p| p.dbtr.nm.clone()).unwrap_or_default(),
            debtor_account: first.map_or(Account::Other { id: String::new(), scheme: None }, |p| {
                account(&p.dbtr_acct)
            }),
            debtor_agent_bic: first.and_then(|p| p.dbtr_agt.fin_instn_id.bicfi.clone()),
            payment_mode: "SLCB".to_owned(),
            provider: "bank".to_owned(),
        };
        let mut row = 0;
        let mut blocks = Vec::with_capacity(m.pmt_inf.len());
        for p in &m.pmt_inf {
            let mut currency: Option<String> = None;
            let mut payments = Vec::with_capacity(p.cdt_trf_tx_inf.len());
            for tx in &p.cdt_trf_tx_inf {
                row += 1;
                let AmountType4Choice::InstdAmt(a) = &tx.amt.value else {
                    return Err(PaymentError::BatchInvalid(format!(
                        "{}: EqvtAmt is not supported",
                        tx.pmt_id.end_to_end_id
                    )));
                };
                if currency.get_or_insert_with(|| a.ccy.clone()) != &a.ccy {
                    return Err(PaymentError::BatchInvalid(format!(
                        "block {} mixes currencies",
                        p.pmt_inf_id
                    )));
                }
                let cdtr = tx.cdtr.as_ref();
                let id = cdtr
                    .and_then(|c| c.id.as_ref())
                    .and_then(|i| match &i.value {
                        Party38Choice::PrvtId(p) => p.othr.first().map(|o| o.id.clone()),
                        Party38Choice::OrgId(_) => None,
                    })
                    .unwrap_or_else(|| tx.pmt_id.end_to_end_id.clone());
                payments.push(Payment {
                    row,
                    end_to_end_id: tx.pmt_id.end_to_end_id.clone(),
                    uetr: tx.pmt_id.uetr.clone().unwrap_or_default(),
                    beneficiary: Beneficiary {
                        id,
                        name: cdtr.and_then(|c| c.nm.clone()).unwrap_or_default(),
                        account: tx
                            .cdtr_acct
                            .as_ref()
                            .map_or(Account::Other { id: String::new(), scheme: None }, account),
                        amount: a.value,
                        currency: a.ccy.clone(),
                        reference: tx
                            .rmt_inf
                            .as_ref()
                            .and_then(|r| r.ustrd.first().cloned())
                            .unwrap_or_default(),
                        execution_date: Some(date(p)),
                        provider: None,
                    },
                });
            }
            blocks.push(PaymentBlock {
                id: p.pmt_inf_id.clone(),
                currency: currency.unwrap_or_default(),
                execution_date: date(p),
                payments,
            });
        }
        Ok(Self { config, blocks })
    }

    /// Finds a payment by its end-to-end id.
    ///
    /// # Examples
    ///
    /// ```
    /// # use dpikit_payments::bulk::{self, Account, BatchConfig, Beneficiary};
    /// # let c = BatchConfig::new("B1", "2026-11-29T08:00:00Z", "2026-12-01", "City",
    /// #     Account::Iban("DE89370400440532013000".into()));
    /// # let b = Beneficiary { id: "A".into(), name: "N".into(),
    /// #     account: Account::parse("+250788000001"), amount: "100".parse().unwrap(),
    /// #     currency: "RWF".into(), reference: "Nov".into(), execution_date: None, provider: None };
    /// let batch = bulk::build(&c, vec![b])?.batch;
    /// let e2e = batch.blocks[0].payments[0].end_to_end_id.clone();
    /// assert_eq!(batch.find(&e2e).map(|p| p.beneficiary.id.as_str()), Some("A"));
    /// # Ok::<(), dpikit_payments::PaymentError>(())
    /// ```
    #[must_use]
    pub fn find(&self, end_to_end_id: &str) -> Option<&Payment> {
        self.payments().find(|p| p.end_to_end_id == end_to_end_id)
    }
}

fn credit_transfer(p: &Payment, currency: &str) -> CreditTransferTransaction34 {
    let b = &p.beneficiary;
    CreditTransferTransaction34 {
        pmt_id: PaymentIdentification6 {
            instr_id: None,
            end_to_end_id: p.end_to_end_id.clone(),
            uetr: Some(p.uetr.clone()),
        },
        pmt_tp_inf: None,
        amt: Choice::new(AmountType4Choice::InstdAmt(ActiveOrHistoricCurrencyAndAmount {
            ccy: currency.to_owned(),
            value: b.amount,
        })),
        xchg_rate_inf: None,
        chrg_br: None,
        chq_instr: None,
        ultmt_dbtr: None,
        intrmy_agt1: None,
        intrmy_agt1_acct: None,
        intrmy_agt2: None,
        intrmy_agt2_acct: None,
        intrmy_agt3: None,
        intrmy_agt3_acct: None,
        cdtr_agt: None,
        cdtr_agt_acct: None,
        cdtr: Some(PartyIdentification135 {
            nm: Some(b.name.clone()),
            id: Some(Choice::new(Party38Choice::PrvtId(PersonIdentification13 {
                dt_and_plc_of_birth: None,
                othr: vec![GenericPersonIdentification1 {
                    id: b.id.clone(),
                    schme_nm: None,
                    issr: None,
                }],
            }))),
            ..PartyIdentification135::default()
        }),
        cdtr_acct: Some(b.account.to_cash_account()),
        ultmt_cdtr: None,
        instr_for_cdtr_agt: Vec::new(),
        instr_for_dbtr_agt: None,
        purp: None,
        rgltry_rptg: Vec::new(),
        tax: None,
        rltd_rmt_inf: Vec::new(),
        rmt_inf: Some(RemittanceInformation16 {
            ustrd: vec![b.reference.clone()],
            strd: Vec::new(),
        }),
        splmtry_data: Vec::new(),
    }
}

pub(crate) fn finding_error(f: &crate::Finding) -> PaymentError {
    let m = format!("{}: {}", f.location, f.message);
    match f.code {
        ErrorCode::InvalidIban => PaymentError::InvalidIban(m),
        ErrorCode::InvalidBic => PaymentError::InvalidBic(m),
        ErrorCode::InvalidAmount => PaymentError::InvalidAmount(m),
        ErrorCode::UnknownCurrency => PaymentError::UnknownCurrency(m),
        ErrorCode::ControlSumMismatch => PaymentError::ControlSumMismatch(m),
        ErrorCode::NumberOfTxsMismatch => PaymentError::NumberOfTxsMismatch(m),
        ErrorCode::DuplicateId => PaymentError::DuplicateId(m),
        ErrorCode::InvalidUetr => PaymentError::InvalidUetr(m),
        _ => PaymentError::FacetViolation(m),
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn account_classification() {
        assert_eq!(Account::parse("250788000001"), Account::Msisdn("250788000001".into()));
        assert_eq!(Account::parse("msisdn:+1234567"), Account::Msisdn("+1234567".into()));
        assert_eq!(Account::parse("X-1"), Account::Other { id: "X-1".into(), scheme: None });
        assert_eq!(
            Account::parse("gb29 nwbk 6016 1331 9268 19"),
            Account::Iban("gb29nwbk60161331926819".into())
        );
    }

    #[test]
    fn dates() {
        assert!(date_ok("2024-02-29"));
        assert!(!date_ok("2023-02-29"));
        assert!(!date_ok("2023-13-01"));
        assert!(datetime_ok("2026-11-29T08:00:00Z"));
        assert!(datetime_ok("2026-11-29T08:00:00.123+01:00"));
        assert!(!datetime_ok("2026-11-29 08:00:00"));
        assert!(!datetime_ok("2026-11-29T25:00:00"));
    }

    #[test]
    fn ids_are_deterministic_and_distinct() {
        let b = |id: &str, r: &str| Beneficiary {
            id: id.into(),
            name: "n".into(),
            account: Account::parse("+250788000001"),
            amount: "1".parse().unwrap(),
            currency: "RWF".into(),
            reference: r.into(),
            execution_date: None,
            provider: None,
        };
        assert_eq!(ids("B", &b("A", "R")), ids("B", &b("A", "R")));
        assert_ne!(ids("B", &b("A", "R")).0, ids("B", &b("AR", "")).0);
        assert_ne!(ids("B", &b("A", "R")).0, ids("C", &b("A", "R")).0);
        let (e2e, uetr) = ids("B", &b("A", "R"));
        assert_eq!(e2e.len(), 32);
        assert_eq!(&uetr[14..15], "4");
    }
}
