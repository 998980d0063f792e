//! Runtime support for the generated models: XSD facets, the `Choice` wrapper and the
//! checker that walks a message and collects [`Finding`]s.

use std::collections::HashMap;
use std::sync::{LazyLock, PoisonError, RwLock};

use dpikit_core::ErrorCode;
use regex::Regex;
use serde::{Deserialize, Serialize};

use crate::money::{Amount, Currency};
use crate::validate::Finding;

/// The XSD built-in type a simple type restricts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Kind {
    Text,
    Decimal,
    Boolean,
    Date,
    DateTime,
    Time,
    YearMonth,
}

/// The facets of one XSD simple type.
#[derive(Debug)]
pub(crate) struct Facet {
    pub(crate) name: &'static str,
    pub(crate) kind: Kind,
    pub(crate) min_len: Option<usize>,
    pub(crate) max_len: Option<usize>,
    pub(crate) pattern: Option<&'static str>,
    pub(crate) enumeration: &'static [&'static str],
    pub(crate) total_digits: Option<u32>,
    pub(crate) fraction_digits: Option<u32>,
    pub(crate) min_inclusive: Option<&'static str>,
}

/// An `xs:choice`: exactly one of the enum's elements, written as a child element.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Choice<T> {
    /// The chosen element.
    #[serde(rename = "$value")]
    pub value: T,
}

impl<T> Choice<T> {
    /// Wraps a chosen element.
    pub const fn new(value: T) -> Self {
        Self { value }
    }
}

/// Content under `xs:any` (`SplmtryData/Envlp`, `AppHdr/Sgntr`): not modelled in this
/// version. Any child is reported as an unknown element on parse, and `validate` reports
/// the (then empty) element, which the XSD requires to hold one child.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct AnyContent {}

/// A node of the typed model that can be checked against its XSD facets.
pub(crate) trait Check {
    fn check(&self, v: &mut Checker);
}

impl<T: Check> Check for Choice<T> {
    fn check(&self, v: &mut Checker) {
        self.value.check(v);
    }
}

impl Check for AnyContent {
    /// The XSD requires one element under `xs:any`; this version keeps none, so an
    /// `AnyContent` is always empty and therefore reported.
    fn check(&self, v: &mut Checker) {
        v.report(
            ErrorCode::FacetViolation,
            "xs:any content is required and is not kept by this version".to_owned(),
        );
    }
}

/// Compiled XSD patterns, shared by all checkers and threads. Each is compiled once and kept
/// for the life of the process (one per distinct `&'static` pattern of the generated models,
/// so the set is bounded). Sharing one `Regex` matters: a clone gets its own empty match
/// cache, and refilling it on every `validate` call cost more than the checks themselves.
static REGEXES: LazyLock<RwLock<HashMap<&'static str, Option<&'static Regex>>>> =
    LazyLock::new(|| RwLock::new(HashMap::new()));

fn compiled(pattern: &'static str, anchored: bool) -> Option<&'static Regex> {
    if let Some(r) = REGEXES.read().unwrap_or_else(PoisonError::into_inner).get(pattern) {
        return *r;
    }
    let mut map = REGEXES.write().unwrap_or_else(PoisonError::into_inner);
    *map.entry(pattern).or_insert_with(|| {
        let r =
            if anchored { Regex::new(pattern) } else { Regex::new(&format!("^(?:{pattern})$")) };
        r.ok().map(|r| &*Box::leak(Box::new(r)))
    })
}

/// Walks a message, tracking the element path and collecting findings.
#[derive(Default)]
pub(crate) struct Checker {
    /// Path steps; element names are the generated `&'static str`s, so only an indexed
    /// step (`Name[i]`) allocates.
    path: Vec<std::borrow::Cow<'static, str>>,
    pub(crate) findings: Vec<Finding>,
    regexes: HashMap<&'static str, Option<&'static Regex>>,
}

const DATE: &str = r"^-?[0-9]{4,}-[0-9]{2}-[0-9]{2}(Z|[+-][0-9]{2}:[0-9]{2})?$";
const DATE_TIME: &str = r"^-?[0-9]{4,}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}(\.[0-9]+)?(Z|[+-][0-9]{2}:[0-9]{2})?$";
const YEAR_MONTH: &str = r"^-?[0-9]{4,}-[0-9]{2}(Z|[+-][0-9]{2}:[0-9]{2})?$";
const TIME: &str = r"^[0-9]{2}:[0-9]{2}:[0-9]{2}(\.[0-9]+)?(Z|[+-][0-9]{2}:[0-9]{2})?$";

impl Checker {
    pub(crate) fn with_root(root: &'static str) -> Self {
        Self { path: vec![root.into()], ..Self::default() }
    }

    pub(crate) fn enter(&mut self, name: &'static str) {
        self.path.push(name.into());
    }

    pub(crate) fn enter_indexed(&mut self, name: &'static str, i: usize, len: usize) {
        self.path.push(if len > 1 { crate::xml::step(name, i, len).into() } else { name.into() });
    }

    pub(crate) fn leave(&mut self) {
        self.path.pop();
    }

    pub(crate) fn location(&self) -> String {
        let mut s = String::new();
        for p in &self.path {
            s.push('/');
            s.push_str(p);
        }
        s
    }

    pub(crate) fn report(&mut self, code: ErrorCode, message: String) {
        let location = self.location();
        self.findings.push(Finding { code, location, message });
    }

    fn matches(&mut self, pattern: &'static str, anchored: bool, value: &str) -> bool {
        let re = self.regexes.entry(pattern).or_insert_with(|| compiled(pattern, anchored));
        // A pattern that does not compile cannot be checked; a unit test keeps them compiling.
        re.as_ref().is_none_or(|r| r.is_match(value))
    }

    pub(crate) fn count(&mut self, name: &'static str, n: usize, min: usize, max: Option<usize>) {
        if n < min || max.is_some_and(|m| n > m) {
            self.enter(name);
            self.report(
                ErrorCode::FacetViolation,
                format!(
                    "{n} occurrence(s), expected {min}..{}",
                    max.map_or("n".into(), |m| m.to_string())
                ),
            );
            self.leave();
        }
    }

    /// Reports a choice (with repeated alternatives) that holds other than one alternative.
    pub(crate) fn choice_count(&mut self, present: usize) {
        if present != 1 {
            self.report(
                ErrorCode::FacetViolation,
                format!("{present} alternatives of an xs:choice present, expected exactly 1"),
            );
        }
    }

    /// Checks a text value against its facets, with the semantic checks of identifier types.
    pub(crate) fn text(&mut self, value: &str, f: &Facet) {
        let code = match f.name {
            "IBAN2007Identifier" => ErrorCode::InvalidIban,
            "BICFIDec2014Identifier" | "AnyBICDec2014Identifier" => ErrorCode::InvalidBic,
            "UUIDv4Identifier" => ErrorCode::InvalidUetr,
            _ => ErrorCode::FacetViolation,
        };
        let len = value.chars().count();
        let mut problems = Vec::new();
        if f.min_len.is_some_and(|m| len < m) || (len == 0 && f.kind != Kind::Text) {
            problems.push(if len == 0 {
                "empty or missing".to_owned()
            } else {
                format!("shorter than {:?}", f.min_len)
            });
        }
        if let Some(m) = f.max_len.filter(|m| len > *m) {
            problems.push(format!("{len} characters, more than {m}"));
        }
        if let Some(p) = f.pattern {
            if !self.matches(p, false, value) {
                problems.push(format!("does not match pattern {p}"));
            }
        }
        if !f.enumeration.is_empty() && !f.enumeration.contains(&value) {
            problems.push("not one of the enumerated codes".to_owned());
        }
        let lexical = match f.kind {
            Kind::Date => Some(DATE),
            Kind::DateTime => Some(DATE_TIME),
            Kind::Time => Some(TIME),
            Kind::YearMonth => Some(YEAR_MONTH),
            Kind::Text | Kind::Decimal | Kind::Boolean => None,
        };
        if let Some(l) = lexical {
            if len > 0 && !self.matches(l, true, value) {
                problems.push(format!("not a valid {:?}", f.kind));
            }
        }
        if f.kind == Kind::Boolean && !matches!(value, "true" | "false" | "1" | "0") {
            problems.push("not a boolean".to_owned());
        }
        if problems.is_empty() && code == ErrorCode::InvalidIban {
            if let Err(e) = crate::validate::check_iban(value) {
                problems.push(e);
            }
        }
        if !problems.is_empty() {
            self.report(code, format!("{value:?} ({}): {}", f.name, problems.join("; ")));
        }
        if problems.is_empty()
            && matches!(f.name, "ActiveCurrencyCode" | "ActiveOrHistoricCurrencyCode")
            && Currency::from_code(value).is_err()
        {
            self.report(ErrorCode::UnknownCurrency, format!("{value:?} is not an ISO 4217 code"));
        }
    }

    /// Checks a decimal value against its facets.
    pub(crate) fn decimal(&mut self, value: &Amount, f: &Facet) {
        let mut problems = Vec::new();
        if let Some(t) = f.total_digits.filter(|t| value.total_digits() > *t) {
            problems.push(format!("more than {t} digits"));
        }
        if let Some(t) = f.fraction_digits.filter(|t| value.fraction_digits() > *t) {
            problems.push(format!("more than {t} fraction digits"));
        }
        if let Some(min) = f.min_inclusive.and_then(|m| m.parse::<Amount>().ok()) {
            if *value < min {
                problems.push(format!("below {min}"));
            }
        }
        if !problems.is_empty() {
            self.report(
                ErrorCode::FacetViolation,
                format!("{value} ({}): {}", f.name, problems.join("; ")),
            );
        }
    }

    /// Checks an amount's decimals against its currency's ISO 4217 minor unit.
    pub(crate) fn currency_amount(&mut self, value: &Amount, ccy: &str) {
        if let Ok(c) = Currency::from_code(ccy) {
            if let Some(mu) = c.minor_units() {
                if value.fraction_digits() > mu {
                    self.report(
                        ErrorCode::InvalidAmount,
                        format!("{value} has more decimals than the {ccy} minor unit ({mu})"),
                    );
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_xsd_pattern_compiles() {
        for f in crate::iso::generated::ALL_FACETS {
            if let Some(p) = f.pattern {
                assert!(compiled(p, false).is_some(), "{}: {p}", f.name);
            }
        }
        for p in [DATE, DATE_TIME, TIME, YEAR_MONTH] {
            assert!(compiled(p, true).is_some(), "{p}");
        }
    }

    #[test]
    fn facets_and_identifier_codes() {
        let f =
            |name: &str| crate::iso::generated::ALL_FACETS.iter().find(|f| f.name == name).copied();
        let mut v = Checker::with_root("T");
        v.text("ABCDGB2L", f("BICFIDec2014Identifier").unwrap_or(&F_NONE));
        v.text("abcdgb2l", f("BICFIDec2014Identifier").unwrap_or(&F_NONE));
        v.text("2026-04-13T10:30:00.123+02:00", f("ISODateTime").unwrap_or(&F_NONE));
        v.text("2026-04-13 10:30", f("ISODateTime").unwrap_or(&F_NONE));
        v.text("XXX", f("ActiveOrHistoricCurrencyCode").unwrap_or(&F_NONE));
        v.text("JLU", f("ActiveOrHistoricCurrencyCode").unwrap_or(&F_NONE));
        let codes: Vec<ErrorCode> = v.findings.iter().map(|x| x.code).collect();
        assert_eq!(
            codes,
            [ErrorCode::InvalidBic, ErrorCode::FacetViolation, ErrorCode::UnknownCurrency]
        );
    }

    const F_NONE: Facet = Facet {
        name: "none",
        kind: Kind::Text,
        min_len: None,
        max_len: None,
        pattern: None,
        enumeration: &[],
        total_digits: None,
        fraction_digits: None,
        min_inclusive: None,
    };
}
