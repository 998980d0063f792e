//! The consent lifecycle as an explicit state machine.
//!
//! ```text
//! Requested → Given | Refused | Deferred
//! Deferred  → Requested
//! Given     → Given (renewed) | Paused | Withdrawn | Revoked | Expired | Invalidated
//! Paused    → Given | Withdrawn | Revoked | Expired
//! Refused, Withdrawn, Revoked, Expired, Invalidated are final.
//! ```
//!
//! Expiry is evaluated on every read and before every transition: a consent whose validity
//! has ended is `Expired` first, so it can neither be used nor revoked.

use core::fmt;

use serde::{Deserialize, Serialize};

use dpikit_core::time::{Timestamp, format_rfc3339};

use crate::model::ConsentRecord;
use crate::{ConsentError, Result};

/// A lifecycle state (the DPV consent states).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub enum State {
    /// Consent has been asked for.
    Requested,
    /// The principal agreed.
    Given,
    /// The principal declined (final).
    Refused,
    /// The principal postponed the decision.
    Deferred,
    /// Use is suspended, by the principal or the controller.
    Paused,
    /// The principal withdrew (final).
    Withdrawn,
    /// Another party revoked it (final).
    Revoked,
    /// Its validity ended (final).
    Expired,
    /// It was found invalid, e.g. given without capacity (final).
    Invalidated,
}

impl State {
    /// Every state.
    pub const ALL: [State; 9] = [
        State::Requested,
        State::Given,
        State::Refused,
        State::Deferred,
        State::Paused,
        State::Withdrawn,
        State::Revoked,
        State::Expired,
        State::Invalidated,
    ];

    /// Returns whether no transition leaves this state.
    #[must_use]
    pub const fn is_final(self) -> bool {
        matches!(
            self,
            State::Refused
                | State::Withdrawn
                | State::Revoked
                | State::Expired
                | State::Invalidated
        )
    }

    /// Returns whether the machine allows `self → to`.
    ///
    /// # Examples
    ///
    /// ```
    /// use dpikit_consent::lifecycle::State;
    /// assert!(State::Given.can_become(State::Withdrawn));
    /// assert!(!State::Withdrawn.can_become(State::Given));
    /// ```
    #[must_use]
    pub const fn can_become(self, to: State) -> bool {
        use State::{
            Deferred, Expired, Given, Invalidated, Paused, Refused, Requested, Revoked, Withdrawn,
        };
        matches!(
            (self, to),
            (Requested, Given | Refused | Deferred)
                | (Deferred, Requested)
                | (Given, Given | Paused | Withdrawn | Revoked | Expired | Invalidated)
                | (Paused, Given | Withdrawn | Revoked | Expired)
        )
    }

    /// Returns the state's name.
    #[must_use]
    pub const fn name(self) -> &'static str {
        match self {
            State::Requested => "Requested",
            State::Given => "Given",
            State::Refused => "Refused",
            State::Deferred => "Deferred",
            State::Paused => "Paused",
            State::Withdrawn => "Withdrawn",
            State::Revoked => "Revoked",
            State::Expired => "Expired",
            State::Invalidated => "Invalidated",
        }
    }
}

impl fmt::Display for State {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// A lifecycle event: the state entered, when, by whom, why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Event {
    /// The state entered.
    pub state: State,
    /// When (RFC 3339).
    pub at: String,
    /// Who caused it (the principal, a guardian, the controller, `system` for expiry).
    pub actor: String,
    /// Why, in words.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
}

/// The actor recorded when the system expires a consent.
pub const SYSTEM_ACTOR: &str = "system";

impl ConsentRecord {
    /// Returns the state as of `at`: `Expired` if the validity ended while the consent was
    /// `Given` or `Paused`, else the stored state. Does not change the record.
    ///
    /// # Errors
    ///
    /// [`ConsentError::MalformedConsent`] for bad validity timestamps.
    pub fn state_at(&self, at: Timestamp) -> Result<State> {
        if matches!(self.state, State::Given | State::Paused) {
            if let Some(end) = self.validity.end_at()? {
                if at >= end {
                    return Ok(State::Expired);
                }
            }
        }
        Ok(self.state)
    }

    /// Brings the stored state up to date as of `at`, recording an `Expired` event when the
    /// validity has ended. Returns the current state.
    ///
    /// # Errors
    ///
    /// [`ConsentError::MalformedConsent`] for bad validity timestamps.
    pub fn refresh(&mut self, at: Timestamp) -> Result<State> {
        let now = self.state_at(at)?;
        if now == State::Expired && self.state != State::Expired {
            let end = self.validity.end_at()?.unwrap_or(at);
            self.push(State::Expired, end, SYSTEM_ACTOR, Some("validity ended"));
        }
        Ok(self.state)
    }

    fn push(&mut self, state: State, at: Timestamp, actor: &str, reason: Option<&str>) {
        self.state = state;
        self.events.push(Event {
            state,
            at: format_rfc3339(&at),
            actor: actor.to_owned(),
            reason: reason.map(str::to_owned),
        });
    }

    /// Moves the record to `to` at `at`, recording the event. Expiry is evaluated first.
    ///
    /// # Errors
    ///
    /// [`ConsentError::ConsentExpired`] when the consent has expired (it cannot be revoked,
    /// withdrawn, paused or renewed any more); [`ConsentError::IllegalTransition`] for any
    /// other transition the machine does not allow.
    ///
    /// # Examples
    ///
    /// ```
    /// use dpikit_consent::lifecycle::State;
    /// use dpikit_consent::model::{Code, ConsentRecord, Party, Purpose, Scheme};
    /// use dpikit_core::time::parse_rfc3339;
    ///
    /// let mut r = ConsentRecord::request("c-1", "did:example:ana", Party::new("did:web:city.example", "City"),
    ///     Purpose::new(Code::new(Scheme::Local, "benefits"), "Benefits eligibility"));
    /// let t = parse_rfc3339("2026-03-01T09:00:00Z")?;
    /// r.transition(State::Given, t, "did:example:ana", None)?;
    /// r.transition(State::Withdrawn, t, "did:example:ana", Some("moved away"))?;
    /// assert!(r.transition(State::Given, t, "did:example:ana", None).is_err());
    /// # Ok::<(), dpikit_consent::ConsentError>(())
    /// ```
    pub fn transition(
        &mut self,
        to: State,
        at: Timestamp,
        actor: &str,
        reason: Option<&str>,
    ) -> Result<()> {
        let from = self.refresh(at)?;
        if from == State::Expired {
            let end = self.validity.end_at()?.map(|t| format_rfc3339(&t)).unwrap_or_default();
            return Err(ConsentError::ConsentExpired(end));
        }
        if !from.can_become(to) {
            return Err(ConsentError::IllegalTransition {
                from: from.name().to_owned(),
                to: to.name().to_owned(),
            });
        }
        if to == State::Given && from == State::Requested && self.validity.start.is_none() {
            self.validity.start = Some(format_rfc3339(&at));
        }
        self.push(to, at, actor, reason);
        Ok(())
    }

    /// Gives consent (from `Requested`, or resumes from `Paused`, or renews when `Given`).
    ///
    /// # Errors
    ///
    /// As [`ConsentRecord::transition`].
    pub fn give(&mut self, at: Timestamp, actor: &str) -> Result<()> {
        self.transition(State::Given, at, actor, None)
    }

    /// Renews a given consent with a new expiry.
    ///
    /// # Errors
    ///
    /// As [`ConsentRecord::transition`]; an expired consent cannot be renewed.
    pub fn renew(&mut self, at: Timestamp, actor: &str, new_expiry: Timestamp) -> Result<()> {
        let current = self.state_at(at)?;
        if !matches!(current, State::Given | State::Expired) {
            return Err(ConsentError::IllegalTransition {
                from: current.name().to_owned(),
                to: "Given (renewed)".to_owned(),
            });
        }
        self.transition(State::Given, at, actor, Some("renewed"))?;
        self.validity.expiry = Some(format_rfc3339(&new_expiry));
        self.validity.duration = None;
        Ok(())
    }

    /// Withdraws consent, at once (by the principal).
    ///
    /// # Errors
    ///
    /// As [`ConsentRecord::transition`].
    pub fn withdraw(&mut self, at: Timestamp, actor: &str, reason: Option<&str>) -> Result<()> {
        self.transition(State::Withdrawn, at, actor, reason)
    }

    /// Revokes consent (by a party other than the principal).
    ///
    /// # Errors
    ///
    /// As [`ConsentRecord::transition`].
    pub fn revoke(&mut self, at: Timestamp, actor: &str, reason: Option<&str>) -> Result<()> {
        self.transition(State::Revoked, at, actor, reason)
    }
}
