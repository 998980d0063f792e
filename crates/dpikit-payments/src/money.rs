//! Exact money: one decimal type, ISO 4217 currencies with minor units, and per-format
//! encoders that refuse any lossy conversion.
//!
//! - ISO 20022: ≥ 0, ≤ 18 digits, ≤ 5 fraction digits, fraction ≤ the currency's minor unit.
//! - Mojaloop FSPIOP: the `Amount` pattern (no trailing zeros, ≤ 4 decimals, ≤ 18 integer
//!   digits; see [`is_mojaloop_amount`]), fraction ≤ minor unit.
//! - G2P Connect: `^\d{1,13}\.\d{1,2}$`; the value must need at most 2 decimals.
//! - GovStack: a JSON number; the `f64` must print back to exactly the same value.

use std::fmt;
use std::str::FromStr;

use rust_decimal::Decimal;
use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::PaymentError;

/// An exact decimal amount that keeps its written scale (`111.10` stays `111.10`).
///
/// # Examples
///
/// ```
/// use dpikit_payments::money::Amount;
///
/// let a: Amount = "111.10".parse()?;
/// assert_eq!(a.to_string(), "111.10");
/// assert_eq!(a.fraction_digits(), 1);
/// # Ok::<(), dpikit_payments::PaymentError>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Default)]
pub struct Amount(Decimal);

impl Amount {
    /// Wraps a [`Decimal`].
    #[must_use]
    pub const fn new(value: Decimal) -> Self {
        Self(value)
    }

    /// Returns the underlying [`Decimal`].
    #[must_use]
    pub const fn value(self) -> Decimal {
        self.0
    }

    /// Returns the number of significant fraction digits (trailing zeros not counted).
    #[must_use]
    pub fn fraction_digits(self) -> u32 {
        self.0.normalize().scale()
    }

    /// Returns the number of significant digits in the XSD `totalDigits` sense.
    #[must_use]
    pub fn total_digits(self) -> u32 {
        let n = self.0.normalize();
        let m = n.mantissa().unsigned_abs();
        if m == 0 {
            return 1;
        }
        let digits = u32::try_from(m.to_string().len()).unwrap_or(u32::MAX);
        // XSD: i × 10^-n with |i| < 10^t and n ≤ t, so 0.05 (5 × 10^-2) needs 2 digits.
        digits.max(n.scale())
    }

    /// Returns `true` if the amount is below zero.
    #[must_use]
    pub fn is_negative(self) -> bool {
        self.0.is_sign_negative() && !self.0.is_zero()
    }
}

impl FromStr for Amount {
    type Err = PaymentError;

    /// Parses an XSD `xs:decimal` lexical form (`[+-]?digits[.digits]`), without rounding.
    fn from_str(s: &str) -> Result<Self, PaymentError> {
        let t = s.trim();
        let body = t.strip_prefix(['+', '-']).unwrap_or(t);
        let (int, frac) = body.split_once('.').unwrap_or((body, ""));
        let ok = !body.is_empty()
            && (!int.is_empty() || !frac.is_empty())
            && int.bytes().all(|b| b.is_ascii_digit())
            && frac.bytes().all(|b| b.is_ascii_digit());
        if !ok {
            return Err(PaymentError::InvalidAmount(format!("{t:?} is not a decimal")));
        }
        let plain = t.strip_prefix('+').unwrap_or(t);
        Decimal::from_str_exact(plain)
            .map(Self)
            .map_err(|e| PaymentError::InvalidAmount(format!("{t:?}: {e}")))
    }
}

impl fmt::Display for Amount {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(&self.0, f)
    }
}

impl From<Decimal> for Amount {
    fn from(value: Decimal) -> Self {
        Self(value)
    }
}

impl Serialize for Amount {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(&self.0)
    }
}

impl<'de> Deserialize<'de> for Amount {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let s = String::deserialize(deserializer)?;
        s.parse().map_err(serde::de::Error::custom)
    }
}

/// An ISO 4217 currency with its minor unit (from the maintained `iso_currency` table).
///
/// # Examples
///
/// ```
/// use dpikit_payments::money::Currency;
///
/// assert_eq!(Currency::from_code("RWF")?.minor_units(), Some(0));
/// assert_eq!(Currency::from_code("KWD")?.minor_units(), Some(3));
/// assert_eq!(Currency::from_code("XAU")?.minor_units(), None);
/// assert!(Currency::from_code("JLU").is_err());
/// # Ok::<(), dpikit_payments::PaymentError>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Currency(iso_currency::Currency);

impl Currency {
    /// Looks up an upper-case three-letter ISO 4217 code.
    ///
    /// # Errors
    ///
    /// [`PaymentError::UnknownCurrency`] when the code is not in ISO 4217.
    pub fn from_code(code: &str) -> Result<Self, PaymentError> {
        iso_currency::Currency::from_code(code)
            .map(Self)
            .ok_or_else(|| PaymentError::UnknownCurrency(code.to_owned()))
    }

    /// Returns the three-letter code.
    #[must_use]
    pub fn code(self) -> &'static str {
        self.0.code()
    }

    /// Returns the number of minor-unit digits, or `None` for codes without one (XAU, XTS…).
    #[must_use]
    pub fn minor_units(self) -> Option<u32> {
        self.0.exponent().map(u32::from)
    }
}

fn check_minor_units(amount: Amount, currency: Currency) -> Result<(), PaymentError> {
    match currency.minor_units() {
        Some(mu) if amount.fraction_digits() > mu => Err(PaymentError::InvalidAmount(format!(
            "{amount} has more decimals than the {} minor unit ({mu})",
            currency.code()
        ))),
        _ => Ok(()),
    }
}

fn check_non_negative(amount: Amount) -> Result<(), PaymentError> {
    if amount.is_negative() {
        return Err(PaymentError::InvalidAmount(format!("{amount} is negative")));
    }
    Ok(())
}

/// Encodes an amount as an ISO 20022 `ActiveCurrencyAndAmount` value.
///
/// # Errors
///
/// [`PaymentError::InvalidAmount`] if the amount is negative, has more than 18 digits, more
/// than 5 fraction digits, or more fraction digits than the currency's minor unit.
///
/// # Examples
///
/// ```
/// use dpikit_payments::money::{Amount, Currency, encode_iso20022};
///
/// let eur = Currency::from_code("EUR")?;
/// assert_eq!(encode_iso20022("750000".parse()?, eur)?, "750000");
/// assert!(encode_iso20022("1.005".parse()?, eur).is_err());
/// # Ok::<(), dpikit_payments::PaymentError>(())
/// ```
pub fn encode_iso20022(amount: Amount, currency: Currency) -> Result<String, PaymentError> {
    check_non_negative(amount)?;
    if amount.total_digits() > 18 || amount.fraction_digits() > 5 {
        return Err(PaymentError::InvalidAmount(format!(
            "{amount} exceeds 18 total or 5 fraction digits"
        )));
    }
    check_minor_units(amount, currency)?;
    Ok(amount.to_string())
}

/// Encodes an amount as a Mojaloop FSPIOP `Amount` string (no trailing zeros).
///
/// # Errors
///
/// [`PaymentError::InvalidAmount`] if the amount is negative, has more than 18 integer digits,
/// more than 4 decimals, or more decimals than the currency's minor unit.
///
/// # Examples
///
/// ```
/// use dpikit_payments::money::{Currency, encode_mojaloop};
///
/// let usd = Currency::from_code("USD")?;
/// assert_eq!(encode_mojaloop("100.50".parse()?, usd)?, "100.5");
/// assert_eq!(encode_mojaloop("0.00".parse()?, usd)?, "0");
/// # Ok::<(), dpikit_payments::PaymentError>(())
/// ```
pub fn encode_mojaloop(amount: Amount, currency: Currency) -> Result<String, PaymentError> {
    check_non_negative(amount)?;
    check_minor_units(amount, currency)?;
    let s = amount.value().normalize().to_string();
    if is_mojaloop_amount(&s) {
        Ok(s)
    } else {
        Err(PaymentError::InvalidAmount(format!(
            "{amount} does not fit the Mojaloop Amount pattern"
        )))
    }
}

/// Returns `true` if `s` matches the Mojaloop FSPIOP `Amount` pattern
/// `^([0]|([1-9][0-9]{0,17}))([.][0-9]{0,3}[1-9])?$`.
#[must_use]
pub fn is_mojaloop_amount(s: &str) -> bool {
    let (int, frac) = match s.split_once('.') {
        Some((i, f)) => (i, Some(f)),
        None => (s, None),
    };
    let int_ok = int == "0"
        || (!int.is_empty()
            && int.len() <= 18
            && !int.starts_with('0')
            && int.bytes().all(|b| b.is_ascii_digit()));
    let frac_ok = frac.is_none_or(|f| {
        !f.is_empty() && f.len() <= 4 && f.bytes().all(|b| b.is_ascii_digit()) && !f.ends_with('0')
    });
    int_ok && frac_ok
}

/// Encodes an amount as a G2P Connect `Amount` string (`^\d{1,13}\.\d{1,2}$`).
///
/// # Errors
///
/// [`PaymentError::InvalidAmount`] if the amount is negative, needs more than 2 decimals or
/// more than 13 integer digits, or has more decimals than the currency's minor unit.
///
/// # Examples
///
/// ```
/// use dpikit_payments::money::{Currency, encode_g2p_connect};
///
/// assert_eq!(encode_g2p_connect("20200".parse()?, Currency::from_code("RWF")?)?, "20200.00");
/// assert!(encode_g2p_connect("1.125".parse()?, Currency::from_code("KWD")?).is_err());
/// # Ok::<(), dpikit_payments::PaymentError>(())
/// ```
pub fn encode_g2p_connect(amount: Amount, currency: Currency) -> Result<String, PaymentError> {
    check_non_negative(amount)?;
    check_minor_units(amount, currency)?;
    if amount.fraction_digits() > 2 {
        return Err(PaymentError::InvalidAmount(format!(
            "{amount} needs more than the 2 decimals G2P Connect allows"
        )));
    }
    let mut d = amount.value().normalize();
    d.rescale(2);
    let s = d.to_string();
    let int_len = s.split('.').next().map_or(0, str::len);
    if int_len > 13 {
        return Err(PaymentError::InvalidAmount(format!(
            "{amount} has more than 13 integer digits"
        )));
    }
    Ok(s)
}

/// Encodes an amount as a GovStack Payments JSON number (`number`/`float`).
///
/// # Errors
///
/// [`PaymentError::InvalidAmount`] if the amount is negative, breaks the currency's minor unit,
/// or the nearest `f64` does not print back to exactly the same decimal value.
///
/// # Examples
///
/// ```
/// use dpikit_payments::money::{Currency, encode_govstack};
///
/// let usd = Currency::from_code("USD")?;
/// assert_eq!(encode_govstack("0.10".parse()?, usd)?, 0.1);
/// assert!(encode_govstack("12345678901234567.89".parse()?, usd).is_err());
/// # Ok::<(), dpikit_payments::PaymentError>(())
/// ```
pub fn encode_govstack(amount: Amount, currency: Currency) -> Result<f64, PaymentError> {
    check_non_negative(amount)?;
    check_minor_units(amount, currency)?;
    let s = amount.value().normalize().to_string();
    let f: f64 =
        s.parse().map_err(|_| PaymentError::InvalidAmount(format!("{amount} is not a number")))?;
    let back = Decimal::from_str_exact(&f.to_string()).ok();
    if back.map(|d| d.normalize()) == Some(amount.value().normalize()) {
        Ok(f)
    } else {
        Err(PaymentError::InvalidAmount(format!("{amount} is not exact as a JSON float")))
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::float_cmp)]
mod tests {
    use super::*;
    use dpikit_core::ErrorCode;

    fn a(s: &str) -> Amount {
        s.parse().unwrap()
    }
    fn c(s: &str) -> Currency {
        Currency::from_code(s).unwrap()
    }

    #[test]
    fn parse_keeps_scale_and_refuses_non_decimals() {
        assert_eq!(a("111.10").to_string(), "111.10");
        assert_eq!(a("+5").to_string(), "5");
        assert_eq!(a(".5").to_string(), "0.5");
        for bad in ["", "1e5", "1,5", "NaN", "0x10", "1.2.3", "-", "."] {
            assert_eq!(
                bad.parse::<Amount>().unwrap_err().code(),
                ErrorCode::InvalidAmount,
                "{bad}"
            );
        }
    }

    #[test]
    fn digits() {
        assert_eq!(a("750000").total_digits(), 6);
        assert_eq!(a("0.05").total_digits(), 2);
        assert_eq!(a("1.50").fraction_digits(), 1);
        assert_eq!(a("0").total_digits(), 1);
    }

    #[test]
    fn iso20022_encoder() {
        assert_eq!(encode_iso20022(a("20200"), c("RWF")).unwrap(), "20200");
        assert!(encode_iso20022(a("20200.5"), c("RWF")).is_err());
        assert!(encode_iso20022(a("1.123"), c("EUR")).is_err());
        assert_eq!(encode_iso20022(a("1.125"), c("KWD")).unwrap(), "1.125");
        assert!(encode_iso20022(a("1234567890123456789"), c("EUR")).is_err());
        assert!(encode_iso20022(a("-1"), c("EUR")).is_err());
        assert!(encode_iso20022(a("0.000001"), c("XAU")).is_err());
    }

    #[test]
    fn mojaloop_encoder() {
        assert_eq!(encode_mojaloop(a("100"), c("USD")).unwrap(), "100");
        assert_eq!(encode_mojaloop(a("100.10"), c("USD")).unwrap(), "100.1");
        assert!(encode_mojaloop(a("1.12345"), c("XTS")).is_err());
        assert!(encode_mojaloop(a("1.5"), c("RWF")).is_err());
        assert!(encode_mojaloop(a("1000000000000000000"), c("USD")).is_err());
        for ok in ["0", "1", "123456789012345678", "0.1", "1.0001"] {
            assert!(is_mojaloop_amount(ok), "{ok}");
        }
        for bad in ["00", "01", "1.", "1.10", "1.00001", "-1", "1234567890123456789", ""] {
            assert!(!is_mojaloop_amount(bad), "{bad}");
        }
    }

    #[test]
    fn g2p_connect_encoder() {
        assert_eq!(encode_g2p_connect(a("1.5"), c("USD")).unwrap(), "1.50");
        assert_eq!(encode_g2p_connect(a("1.500"), c("KWD")).unwrap(), "1.50");
        assert!(encode_g2p_connect(a("1.005"), c("KWD")).is_err());
        assert!(encode_g2p_connect(a("12345678901234"), c("USD")).is_err());
    }

    #[test]
    fn govstack_encoder() {
        assert_eq!(encode_govstack(a("38.00"), c("CHF")).unwrap(), 38.0);
        assert!(encode_govstack(a("9007199254740993"), c("JPY")).is_err());
    }

    #[test]
    fn currencies() {
        assert_eq!(c("JPY").minor_units(), Some(0));
        assert_eq!(c("EUR").minor_units(), Some(2));
        assert_eq!(Currency::from_code("eur").unwrap_err().code(), ErrorCode::UnknownCurrency);
    }
}
