//! `dpikit`: the command line of the dpikit SDK.
//!
//! JSON on stdin/stdout by default (`--format text` for people). Exit codes: 0 ok / verified /
//! valid, 1 verification failed or invalid input content, 2 usage error, 3 I/O error. Errors
//! are printed on stderr as `{"code": N, "name": "...", "message": "..."}`.
#![forbid(unsafe_code)]

use std::process::ExitCode;

use clap::{Parser, Subcommand};

mod consent;
mod demo;
mod error;
mod io;
mod keys;
mod vc;

use error::{CliError, EXIT_FAILED};
use io::Format;

/// Building blocks for city Digital Public Infrastructure: keys and DIDs, verifiable
/// credentials, consent, payments and data exchange, offline and verifiable.
#[derive(Debug, Parser)]
#[command(name = "dpikit", version, about, long_about = None, propagate_version = true)]
struct Cli {
    /// Output format.
    #[arg(long, value_enum, global = true, default_value = "json")]
    format: Format,
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Key pairs (Ed25519, P-256) as JWK files.
    #[command(subcommand)]
    Key(keys::KeyCmd),
    /// DID resolution (did:key, did:jwk, supplied documents), offline.
    #[command(subcommand)]
    Did(keys::DidCmd),
    /// Compact JWS: sign and verify.
    #[command(subcommand)]
    Jws(keys::JwsCmd),
    /// W3C Verifiable Credentials: issue, verify, present, status lists.
    #[command(subcommand)]
    Vc(vc::VcCmd),
    /// Consent records on a tamper-evident ledger, decisions, receipts, formats.
    Consent(consent::ConsentArgs),
    /// The end-to-end city scenario, offline, on embedded defaults.
    Demo(demo::DemoArgs),
}

fn run(cli: Cli) -> Result<bool, CliError> {
    let format = cli.format;
    match cli.command {
        Command::Key(cmd) => keys::run_key(cmd, format).map(|()| true),
        Command::Did(cmd) => keys::run_did(cmd, format).map(|()| true),
        Command::Jws(cmd) => keys::run_jws(cmd, format).map(|()| true),
        Command::Vc(cmd) => vc::run(cmd, format),
        Command::Consent(args) => consent::run(args, format),
        Command::Demo(args) => demo::run(&args, format),
    }
}

fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            use clap::error::ErrorKind;
            return match e.kind() {
                ErrorKind::DisplayHelp
                | ErrorKind::DisplayVersion
                | ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand => {
                    let _ = e.print();
                    if e.kind() == ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand {
                        ExitCode::from(error::EXIT_USAGE)
                    } else {
                        ExitCode::SUCCESS
                    }
                }
                _ => CliError::usage(e.render().to_string().trim().to_owned()).report(),
            };
        }
    };
    match run(cli) {
        Ok(true) => ExitCode::SUCCESS,
        Ok(false) => ExitCode::from(EXIT_FAILED),
        Err(e) => e.report(),
    }
}
