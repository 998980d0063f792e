//! Access decisions: may this controller use this data for this purpose, now?

use serde::Serialize;

use dpikit_core::ErrorCode;
use dpikit_core::time::{Timestamp, format_rfc3339};

use crate::Result;
use crate::lifecycle::State;
use crate::model::{Code, ConsentRecord, FetchType, parse_time};

/// A request to use data under a consent.
#[derive(Debug, Clone)]
pub struct Request<'a> {
    /// The party asking (must be a controller, recipient or third party of the record).
    pub controller: &'a str,
    /// The purpose of the use.
    pub purpose: &'a Code,
    /// The data category, if the use is about one.
    pub data_category: Option<&'a Code>,
    /// When.
    pub at: Timestamp,
    /// Earlier uses under this consent (for frequency limits).
    pub prior_uses: &'a [Timestamp],
    /// The range of the data asked for, if any (checked against the consented data range).
    pub data_from: Option<Timestamp>,
    /// The end of the range of the data asked for.
    pub data_to: Option<Timestamp>,
    /// Until when the requester will keep the data (checked against the data life).
    pub retain_until: Option<Timestamp>,
}

impl<'a> Request<'a> {
    /// A request by `controller` for `purpose` at `at`, with no further detail.
    #[must_use]
    pub fn new(controller: &'a str, purpose: &'a Code, at: Timestamp) -> Self {
        Request {
            controller,
            purpose,
            data_category: None,
            at,
            prior_uses: &[],
            data_from: None,
            data_to: None,
            retain_until: None,
        }
    }
}

/// The answer to a [`Request`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Decision {
    /// Whether the use is allowed.
    pub allowed: bool,
    /// Why not: a 3xxx error code.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reason: Option<ErrorCode>,
    /// Detail for people.
    pub detail: String,
}

impl Decision {
    fn allow(detail: String) -> Self {
        Decision { allowed: true, reason: None, detail }
    }

    fn deny(reason: ErrorCode, detail: impl Into<String>) -> Self {
        Decision { allowed: false, reason: Some(reason), detail: detail.into() }
    }
}

/// Decides whether `request` is allowed under `record`: state (with expiry evaluated
/// first), validity window, party, purpose and data category (scheme-aware), frequency
/// within the period, fetch type, data range and data life.
///
/// # Errors
///
/// [`crate::ConsentError::MalformedConsent`] when the record's own timestamps are invalid;
/// a denial is a [`Decision`], not an error.
///
/// # Examples
///
/// ```
/// use dpikit_consent::check::{check, Request};
/// use dpikit_consent::model::{Code, ConsentRecord, Party, Purpose, Scheme};
/// use dpikit_core::time::parse_rfc3339;
///
/// let purpose = Code::new(Scheme::Dpv, "dpv:ServiceProvision");
/// let mut r = ConsentRecord::request("c-1", "did:example:ana", Party::new("did:web:city.example", "City"),
///     Purpose::new(purpose.clone(), "Housing subsidy"));
/// let t = parse_rfc3339("2026-03-01T09:00:00Z")?;
/// r.give(t, "did:example:ana")?;
/// assert!(check(&r, &Request::new("did:web:city.example", &purpose, t))?.allowed);
/// let other = Code::new(Scheme::Dpv, "dpv:Marketing");
/// assert!(!check(&r, &Request::new("did:web:city.example", &other, t))?.allowed);
/// # Ok::<(), dpikit_consent::ConsentError>(())
/// ```
pub fn check(record: &ConsentRecord, request: &Request<'_>) -> Result<Decision> {
    let at = request.at;
    match record.state_at(at)? {
        State::Given => {}
        State::Expired => {
            return Ok(Decision::deny(ErrorCode::ConsentExpired, "the consent has expired"));
        }
        other => {
            return Ok(Decision::deny(
                ErrorCode::ConsentNotGiven,
                format!("the consent is {other}"),
            ));
        }
    }
    if let Some(start) = record.validity.start_at()? {
        if at < start {
            return Ok(Decision::deny(
                ErrorCode::ConsentOutsideValidity,
                "before the consent's start",
            ));
        }
    }
    if !record.names_party(request.controller) {
        return Ok(Decision::deny(
            ErrorCode::ConsentPartyMismatch,
            format!("{} is not named in the consent", request.controller),
        ));
    }
    let Some(purpose) = record.purposes.iter().find(|p| p.matches(request.purpose)) else {
        return Ok(Decision::deny(
            ErrorCode::ConsentPurposeMismatch,
            format!(
                "purpose {:?}:{} is not consented",
                request.purpose.scheme, request.purpose.code
            ),
        ));
    };
    if let Some(cat) = request.data_category {
        let covered = record
            .data_categories
            .iter()
            .chain(&purpose.data_categories)
            .any(|d| d.code.matches(cat));
        if !covered {
            return Ok(Decision::deny(
                ErrorCode::ConsentDataMismatch,
                format!("data category {} is not consented", cat.code),
            ));
        }
    }
    let usage = &record.usage;
    if usage.fetch_type == Some(FetchType::Onetime) && !request.prior_uses.is_empty() {
        return Ok(Decision::deny(
            ErrorCode::ConsentFrequencyExceeded,
            "a one-time consent was already used",
        ));
    }
    if let Some(freq) = &usage.frequency {
        let used = match freq.per.duration() {
            Some(window) => {
                let from = at.checked_sub_signed(window).unwrap_or(at);
                request.prior_uses.iter().filter(|t| **t > from && **t <= at).count()
            }
            None => request.prior_uses.len(),
        };
        if used >= freq.count as usize {
            return Ok(Decision::deny(
                ErrorCode::ConsentFrequencyExceeded,
                format!("{used} uses already in the period; {} allowed", freq.count),
            ));
        }
    }
    if let Some(range) = &usage.data_range {
        let (from, to) = (parse_time(&range.from)?, parse_time(&range.to)?);
        let outside =
            request.data_from.is_some_and(|f| f < from) || request.data_to.is_some_and(|t| t > to);
        if outside {
            return Ok(Decision::deny(
                ErrorCode::ConsentDataRangeExceeded,
                "the data asked for is outside the consented range",
            ));
        }
    }
    if let (Some(life), Some(until)) =
        (usage.data_life.as_ref().and_then(crate::model::Period::duration), request.retain_until)
    {
        if until > at.checked_add_signed(life).unwrap_or(at) {
            return Ok(Decision::deny(
                ErrorCode::ConsentDataRangeExceeded,
                "the data would be kept longer than the consented data life",
            ));
        }
    }
    Ok(Decision::allow(format!("allowed at {}", format_rfc3339(&at))))
}
