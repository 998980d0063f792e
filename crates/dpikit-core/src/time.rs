//! RFC 3339 timestamps and an injectable clock, so that verification "as of" an instant is
//! testable and clock skew is an explicit parameter.

use chrono::{DateTime, SecondsFormat, Utc};

use crate::{CoreError, Result};

/// A UTC instant.
pub type Timestamp = DateTime<Utc>;

/// Parses an RFC 3339 / XML Schema `dateTime` with an offset (`Z` or `±hh:mm`) into UTC.
///
/// # Errors
///
/// [`CoreError::InvalidTimestamp`] for anything else, including a missing offset and
/// text longer than 64 bytes.
///
/// # Examples
///
/// ```
/// use dpikit_core::time::{parse_rfc3339, format_rfc3339};
/// let t = parse_rfc3339("2026-01-02T03:04:05+01:00")?;
/// assert_eq!(format_rfc3339(&t), "2026-01-02T02:04:05Z");
/// # Ok::<(), dpikit_core::CoreError>(())
/// ```
pub fn parse_rfc3339(text: &str) -> Result<Timestamp> {
    if text.len() > 64 {
        return Err(CoreError::InvalidTimestamp("longer than 64 bytes".into()));
    }
    DateTime::parse_from_rfc3339(text)
        .map(|t| t.with_timezone(&Utc))
        .map_err(|e| CoreError::InvalidTimestamp(format!("{text:?}: {e}")))
}

/// Formats an instant as RFC 3339 in UTC with `Z`, with fractional seconds only when
/// non-zero.
#[must_use]
pub fn format_rfc3339(t: &Timestamp) -> String {
    t.to_rfc3339_opts(SecondsFormat::AutoSi, true)
}

/// Converts Unix seconds into an instant.
///
/// # Errors
///
/// [`CoreError::InvalidTimestamp`] when out of chrono's range.
pub fn from_unix(seconds: i64) -> Result<Timestamp> {
    DateTime::from_timestamp(seconds, 0)
        .ok_or_else(|| CoreError::InvalidTimestamp(format!("unix time {seconds} out of range")))
}

/// A source of the current time.
///
/// Verifiers take a `&dyn Clock` so that tests and "as of" checks can fix the instant.
pub trait Clock: Send + Sync {
    /// Returns the current instant.
    fn now(&self) -> Timestamp;
}

/// The system clock.
#[derive(Debug, Clone, Copy, Default)]
pub struct SystemClock;

impl Clock for SystemClock {
    fn now(&self) -> Timestamp {
        Utc::now()
    }
}

/// A clock fixed at one instant.
///
/// # Examples
///
/// ```
/// use dpikit_core::time::{Clock, FixedClock, parse_rfc3339};
/// let t = parse_rfc3339("2030-01-01T00:00:00Z")?;
/// assert_eq!(FixedClock(t).now(), t);
/// # Ok::<(), dpikit_core::CoreError>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FixedClock(pub Timestamp);

impl Clock for FixedClock {
    fn now(&self) -> Timestamp {
        self.0
    }
}

/// Where an instant lies relative to a validity window, allowing for clock skew.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Validity {
    /// Within the window.
    Valid,
    /// Before the start, even allowing for the skew.
    NotYetValid,
    /// After the end, even allowing for the skew.
    Expired,
}

/// Checks `now` against an optional `[not_before, not_after]` window with `skew` tolerance
/// on both sides.
///
/// # Examples
///
/// ```
/// use chrono::Duration;
/// use dpikit_core::time::{check_window, parse_rfc3339, Validity};
/// let start = parse_rfc3339("2030-01-01T00:00:00Z")?;
/// let now = parse_rfc3339("2029-12-31T23:59:30Z")?;
/// assert_eq!(check_window(now, Some(start), None, Duration::seconds(60)), Validity::Valid);
/// assert_eq!(check_window(now, Some(start), None, Duration::zero()), Validity::NotYetValid);
/// # Ok::<(), dpikit_core::CoreError>(())
/// ```
#[must_use]
pub fn check_window(
    now: Timestamp,
    not_before: Option<Timestamp>,
    not_after: Option<Timestamp>,
    skew: chrono::Duration,
) -> Validity {
    if let Some(start) = not_before {
        if now.checked_add_signed(skew).unwrap_or(now) < start {
            return Validity::NotYetValid;
        }
    }
    if let Some(end) = not_after {
        if now.checked_sub_signed(skew).unwrap_or(now) > end {
            return Validity::Expired;
        }
    }
    Validity::Valid
}
