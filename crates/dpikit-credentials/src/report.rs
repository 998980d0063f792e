//! The verification report: every check that ran, with its error code, so that one failing
//! check never hides another.

use serde::Serialize;

use dpikit_core::ErrorCode;

use crate::CredentialError;

/// One check in a [`VerificationReport`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Check {
    /// What was checked: `syntax`, `proof[0]`, `validity`, `status[0]`, `schema[0]`,
    /// `credential[1].proof[0]`, ….
    pub check: String,
    /// Whether it passed.
    pub ok: bool,
    /// The error code when it failed.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub code: Option<u32>,
    /// The error code's name when it failed.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error: Option<&'static str>,
    /// What passed, or why it failed.
    pub detail: String,
}

/// An error listed in a [`VerificationReport`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ReportError {
    /// The numeric error code.
    pub code: u32,
    /// The code's stable name.
    pub name: &'static str,
    /// A message for people.
    pub message: String,
    /// The check that failed.
    pub check: String,
}

/// The outcome of verifying a credential or presentation.
///
/// `verified` is true only when at least one check ran and none failed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Default)]
pub struct VerificationReport {
    /// Whether everything verified.
    pub verified: bool,
    /// Every check, in the order run.
    pub checks: Vec<Check>,
    /// The failed checks' errors.
    pub errors: Vec<ReportError>,
}

impl VerificationReport {
    /// Records a passed check.
    pub fn pass(&mut self, check: impl Into<String>, detail: impl Into<String>) {
        self.checks.push(Check {
            check: check.into(),
            ok: true,
            code: None,
            error: None,
            detail: detail.into(),
        });
        self.settle();
    }

    /// Records a failed check.
    pub fn fail(&mut self, check: impl Into<String>, error: &CredentialError) {
        let check = check.into();
        let code = error.code();
        self.checks.push(Check {
            check: check.clone(),
            ok: false,
            code: Some(code.value()),
            error: Some(code.name()),
            detail: error.to_string(),
        });
        self.errors.push(ReportError {
            code: code.value(),
            name: code.name(),
            message: error.to_string(),
            check,
        });
        self.settle();
    }

    /// Records the outcome of a check.
    pub fn record<T>(
        &mut self,
        check: impl Into<String>,
        outcome: &Result<T, CredentialError>,
        detail: impl FnOnce(&T) -> String,
    ) {
        match outcome {
            Ok(v) => self.pass(check, detail(v)),
            Err(e) => self.fail(check, e),
        }
    }

    /// Appends another report's checks under a prefix (e.g. an embedded credential's).
    pub fn absorb(&mut self, prefix: &str, other: VerificationReport) {
        for mut c in other.checks {
            c.check = format!("{prefix}.{}", c.check);
            self.checks.push(c);
        }
        for mut e in other.errors {
            e.check = format!("{prefix}.{}", e.check);
            self.errors.push(e);
        }
        self.settle();
    }

    fn settle(&mut self) {
        self.verified = !self.checks.is_empty() && self.errors.is_empty();
    }

    /// Returns whether some check failed with `code`.
    #[must_use]
    pub fn has_error(&self, code: ErrorCode) -> bool {
        self.errors.iter().any(|e| e.code == code.value())
    }

    /// Returns the codes of the failed checks, in order.
    #[must_use]
    pub fn error_codes(&self) -> Vec<ErrorCode> {
        self.errors.iter().filter_map(|e| ErrorCode::from_u32(e.code)).collect()
    }

    /// Returns the report as JSON (`{"verified": …, "checks": […], "errors": […]}`).
    #[must_use]
    pub fn to_json(&self) -> String {
        serde_json::to_string(self).unwrap_or_default()
    }
}
