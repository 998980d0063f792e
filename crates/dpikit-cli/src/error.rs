//! The CLI's error: a dpikit [`ErrorCode`], a message, and the process exit code.

use std::fmt;
use std::process::ExitCode;

use dpikit_core::ErrorCode;
use serde_json::json;

/// Exit code: verification failed, or the input's content is invalid.
pub(crate) const EXIT_FAILED: u8 = 1;
/// Exit code: the command line could not be parsed.
pub(crate) const EXIT_USAGE: u8 = 2;
/// Exit code: a file or stream could not be read or written.
pub(crate) const EXIT_IO: u8 = 3;

/// An error the CLI prints as `{"code", "name", "message"}` on stderr before exiting.
#[derive(Debug)]
pub(crate) struct CliError {
    pub(crate) code: ErrorCode,
    pub(crate) message: String,
    pub(crate) exit: u8,
}

impl CliError {
    /// An invalid-content error (exit 1) with `code`.
    pub(crate) fn invalid(code: ErrorCode, message: impl Into<String>) -> Self {
        CliError { code, message: message.into(), exit: EXIT_FAILED }
    }

    /// A usage error (exit 2).
    pub(crate) fn usage(message: impl Into<String>) -> Self {
        CliError { code: ErrorCode::Usage, message: message.into(), exit: EXIT_USAGE }
    }

    /// An I/O error (exit 3) about `path`.
    pub(crate) fn io(path: &str, e: &std::io::Error) -> Self {
        CliError { code: ErrorCode::Io, message: format!("{path}: {e}"), exit: EXIT_IO }
    }

    /// Prints the error as JSON on stderr and returns the exit code.
    pub(crate) fn report(&self) -> ExitCode {
        let body = json!({
            "code": self.code.value(),
            "name": self.code.name(),
            "message": self.message,
        });
        eprintln!("{body}");
        ExitCode::from(self.exit)
    }
}

impl fmt::Display for CliError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.code, self.message)
    }
}

macro_rules! from_crate_error {
    ($($ty:ty),*) => {$(
        impl From<$ty> for CliError {
            fn from(e: $ty) -> Self {
                CliError::invalid(e.code(), e.to_string())
            }
        }
    )*};
}

from_crate_error!(
    dpikit_core::CoreError,
    dpikit_credentials::CredentialError,
    dpikit_consent::ConsentError,
    dpikit_exchange::ExchangeError
);

impl From<serde_json::Error> for CliError {
    fn from(e: serde_json::Error) -> Self {
        CliError::invalid(ErrorCode::MalformedJson, e.to_string())
    }
}

/// The result type of every command.
pub(crate) type CliResult<T = ()> = Result<T, CliError>;
