//! `dpikit consent`: records on a SQLite ledger, decisions, receipts, formats.

use std::path::PathBuf;

use clap::{Subcommand, ValueEnum};
use serde_json::{Value, json};

use dpikit_consent::ConsentError;
use dpikit_consent::check::{Request, check};
use dpikit_consent::formats::{self, LossReport, dpv, kantara, rebit};
use dpikit_consent::ledger::{Ledger, SqliteStorage};
use dpikit_consent::lifecycle::State;
use dpikit_consent::model::{Code, ConsentRecord, DataCategory, Party, Purpose, Scheme};
use dpikit_consent::receipt::{Receipt, verify_receipt};
use dpikit_core::ErrorCode;
use dpikit_core::time::{Timestamp, format_rfc3339};

use crate::error::{CliError, CliResult};
use crate::io::{
    Format, emit, emit_str, load_public, load_signer, parse_time, read_input, read_token,
};

/// The default ledger database.
pub(crate) const DEFAULT_DB: &str = "./dpikit-data/ledger.sqlite";

/// A consent format.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub(crate) enum ConsentFormat {
    /// Kantara Consent Receipt 1.1.
    Kantara,
    /// ReBIT Account Aggregator 2.1.0.
    Rebit,
    /// W3C DPV serialisation of ISO/IEC TS 27560.
    Dpv,
    /// GovStack Consent Building Block 1.1.
    Govstack,
}

/// A code scheme on the command line.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub(crate) enum SchemeArg {
    /// W3C Data Privacy Vocabulary.
    Dpv,
    /// Kantara categories.
    Kantara,
    /// ReBIT codes.
    Rebit,
    /// The controller's own codes.
    Local,
}

impl From<SchemeArg> for Scheme {
    fn from(s: SchemeArg) -> Self {
        match s {
            SchemeArg::Dpv => Scheme::Dpv,
            SchemeArg::Kantara => Scheme::Kantara,
            SchemeArg::Rebit => Scheme::Rebit,
            SchemeArg::Local => Scheme::Local,
        }
    }
}

/// Who acts and when, for lifecycle commands.
#[derive(Debug, clap::Args)]
pub(crate) struct Act {
    /// The consent record's id.
    id: String,
    /// Who acts (defaults to the record's principal).
    #[arg(long)]
    actor: Option<String>,
    /// Why (kept in the record's history).
    #[arg(long)]
    reason: Option<String>,
    /// When (RFC 3339; defaults to now).
    #[arg(long)]
    at: Option<String>,
}

/// `dpikit consent …`
#[derive(Debug, clap::Args)]
pub(crate) struct ConsentArgs {
    /// The SQLite ledger.
    #[arg(long, global = true, default_value = DEFAULT_DB)]
    db: PathBuf,
    #[command(subcommand)]
    cmd: ConsentCmd,
}

/// The consent subcommands.
#[derive(Debug, Subcommand)]
pub(crate) enum ConsentCmd {
    /// Requests consent: creates a record in the `Requested` state on the ledger.
    New {
        /// The record id (e.g. `urn:uuid:…`).
        #[arg(long)]
        id: String,
        /// The data principal (the resident).
        #[arg(long)]
        principal: String,
        /// The controller asking.
        #[arg(long)]
        controller: String,
        /// The controller's name.
        #[arg(long, default_value = "")]
        controller_name: String,
        /// The purpose code.
        #[arg(long)]
        purpose: String,
        /// The purpose text shown to the principal.
        #[arg(long, default_value = "")]
        purpose_text: String,
        /// The scheme of the purpose and data-category codes.
        #[arg(long, value_enum, default_value = "dpv")]
        scheme: SchemeArg,
        /// A personal-data category code; repeatable.
        #[arg(long = "data-category")]
        data_categories: Vec<String>,
        /// When the consent expires (RFC 3339).
        #[arg(long)]
        expires: Option<String>,
        /// When (RFC 3339; defaults to now).
        #[arg(long)]
        at: Option<String>,
    },
    /// Records that the principal gave consent.
    Give(Act),
    /// Records that the principal withdrew consent.
    Withdraw(Act),
    /// Pauses use under the consent.
    Pause(Act),
    /// Resumes a paused consent.
    Resume(Act),
    /// Decides whether a controller may use data for a purpose now; exits 1 when denied.
    Check {
        /// The consent record's id.
        id: String,
        /// The party asking.
        #[arg(long)]
        controller: String,
        /// The purpose code.
        #[arg(long)]
        purpose: String,
        /// The purpose code's scheme.
        #[arg(long, value_enum, default_value = "dpv")]
        scheme: SchemeArg,
        /// The data category asked for.
        #[arg(long)]
        data_category: Option<String>,
        /// When (RFC 3339; defaults to now).
        #[arg(long)]
        at: Option<String>,
    },
    /// Shows a record's current state and its ledger history.
    Show {
        /// The consent record's id.
        id: String,
    },
    /// Signed consent receipts.
    #[command(subcommand)]
    Receipt(ReceiptCmd),
    /// Imports a record from another format (JSON with `record`, `lost`, `findings`).
    Import {
        /// The source format.
        #[arg(long, value_enum)]
        from: ConsentFormat,
        /// Also append the imported record(s) to the ledger.
        #[arg(long)]
        store: bool,
        /// The file, or `-` for stdin.
        file: Option<String>,
    },
    /// Exports a ledger record (or a record file) to another format.
    Export {
        /// The target format.
        #[arg(long, value_enum)]
        to: ConsentFormat,
        /// The record id on the ledger.
        #[arg(conflicts_with = "file")]
        id: Option<String>,
        /// A dpikit consent record file instead.
        #[arg(long)]
        file: Option<String>,
    },
    /// The ledger itself.
    #[command(subcommand)]
    Ledger(LedgerCmd),
}

/// `dpikit consent receipt …`
#[derive(Debug, Subcommand)]
pub(crate) enum ReceiptCmd {
    /// Signs a receipt for a ledger record (compact JWS over its JCS bytes).
    Sign {
        /// The controller's private JWK file.
        #[arg(long)]
        key: String,
        /// The receipt id (defaults to `<record id>#receipt`).
        #[arg(long)]
        receipt_id: Option<String>,
        /// The consent record's id.
        id: String,
    },
    /// Verifies a signed receipt with the signer's JWK and prints it.
    Verify {
        /// The signer's JWK file.
        #[arg(long)]
        jwk: String,
        /// The token, a file holding it, or `-` for stdin.
        token: Option<String>,
    },
}

/// `dpikit consent ledger …`
#[derive(Debug, Subcommand)]
pub(crate) enum LedgerCmd {
    /// Walks the hash chain (and checkpoints, given the ledger key); exits 1 on tampering.
    Verify {
        /// The ledger key's JWK, to check signed checkpoints.
        #[arg(long)]
        jwk: Option<String>,
    },
}

fn open(db: &PathBuf) -> CliResult<Ledger<SqliteStorage>> {
    if let Some(parent) = db.parent().filter(|p| !p.as_os_str().is_empty()) {
        std::fs::create_dir_all(parent)
            .map_err(|e| CliError::io(&parent.display().to_string(), &e))?;
    }
    Ok(Ledger::new(SqliteStorage::open(db)?)?)
}

fn when(at: Option<&str>) -> CliResult<Timestamp> {
    at.map_or_else(|| Ok(chrono::Utc::now()), parse_time)
}

fn current(ledger: &Ledger<SqliteStorage>, id: &str) -> CliResult<ConsentRecord> {
    Ok(ledger.current_record(id)?.ok_or_else(|| ConsentError::NotFound(id.to_owned()))?)
}

fn transition(db: &PathBuf, act: &Act, to: State, kind: &str, format: Format) -> CliResult<bool> {
    let mut ledger = open(db)?;
    let mut record = current(&ledger, &act.id)?;
    let at = when(act.at.as_deref())?;
    let actor = act.actor.clone().unwrap_or_else(|| record.principal.clone());
    record.transition(to, at, &actor, act.reason.as_deref())?;
    ledger.append_record(kind, &record, at)?;
    emit(&record.to_value(), format);
    Ok(true)
}

fn loss(report: &LossReport) -> Value {
    serde_json::to_value(report).unwrap_or(Value::Null)
}

// One arm per subcommand, each a few lines: the dispatcher is long but flat.
#[allow(clippy::too_many_lines)]
/// Runs `dpikit consent …`; returns false when a check is denied or the ledger is tampered.
pub(crate) fn run(args: ConsentArgs, format: Format) -> CliResult<bool> {
    let db = &args.db;
    match args.cmd {
        ConsentCmd::New {
            id,
            principal,
            controller,
            controller_name,
            purpose,
            purpose_text,
            scheme,
            data_categories,
            expires,
            at,
        } => {
            let at = when(at.as_deref())?;
            let scheme = Scheme::from(scheme);
            let mut record = ConsentRecord::request(
                id,
                principal,
                Party::new(controller, controller_name),
                Purpose::new(Code::new(scheme.clone(), purpose), purpose_text),
            );
            record.data_categories = data_categories
                .into_iter()
                .map(|c| DataCategory { code: Code::new(scheme.clone(), c), sensitive: false })
                .collect();
            record.validity.expiry =
                expires.as_deref().map(parse_time).transpose()?.map(|t| format_rfc3339(&t));
            record.validate()?;
            let mut ledger = open(db)?;
            if ledger.current_record(&record.id)?.is_some() {
                return Err(CliError::invalid(
                    ErrorCode::MalformedConsent,
                    format!("consent record {} already exists", record.id),
                ));
            }
            ledger.append_record("consent.requested", &record, at)?;
            emit(&record.to_value(), format);
            Ok(true)
        }
        ConsentCmd::Give(act) => transition(db, &act, State::Given, "consent.given", format),
        ConsentCmd::Withdraw(act) => {
            transition(db, &act, State::Withdrawn, "consent.withdrawn", format)
        }
        ConsentCmd::Pause(act) => transition(db, &act, State::Paused, "consent.paused", format),
        ConsentCmd::Resume(act) => transition(db, &act, State::Given, "consent.resumed", format),
        ConsentCmd::Check { id, controller, purpose, scheme, data_category, at } => {
            let ledger = open(db)?;
            let record = current(&ledger, &id)?;
            let purpose = Code::new(scheme.into(), purpose);
            let category = data_category.map(|c| Code::new(scheme.into(), c));
            let mut request = Request::new(&controller, &purpose, when(at.as_deref())?);
            request.data_category = category.as_ref();
            let decision = check(&record, &request)?;
            let mut out = serde_json::to_value(&decision)?;
            if let Some(code) = decision.reason {
                out["reasonName"] = json!(code.name());
            }
            emit(&out, format);
            Ok(decision.allowed)
        }
        ConsentCmd::Show { id } => {
            let ledger = open(db)?;
            let record = current(&ledger, &id)?;
            let history: Vec<Value> = ledger
                .history(&id)?
                .iter()
                .map(|e| json!({"seq": e.seq, "at": e.at, "kind": e.kind, "hash": e.hash_hex()}))
                .collect();
            emit(&json!({"record": record.to_value(), "history": history}), format);
            Ok(true)
        }
        ConsentCmd::Receipt(ReceiptCmd::Sign { key, receipt_id, id }) => {
            let signer = load_signer(&key)?;
            let record = current(&open(db)?, &id)?;
            let receipt_id = receipt_id.unwrap_or_else(|| format!("{id}#receipt"));
            let receipt = Receipt::new(&record, receipt_id, chrono::Utc::now())?;
            emit_str(&receipt.sign(&signer)?);
            Ok(true)
        }
        ConsentCmd::Receipt(ReceiptCmd::Verify { jwk, token }) => {
            let public = load_public(&jwk)?;
            let verified = verify_receipt(&read_token(token.as_deref())?, &public)?;
            emit(
                &json!({"verified": true, "kid": verified.kid, "receipt": serde_json::to_value(&verified.receipt)?}),
                format,
            );
            Ok(true)
        }
        ConsentCmd::Import { from, store, file } => {
            let bytes = read_input(file.as_deref())?;
            let (records, lost, findings) = import(from, &bytes)?;
            if store {
                let mut ledger = open(db)?;
                let now = chrono::Utc::now();
                for r in &records {
                    ledger.append_record("consent.imported", r, now)?;
                }
            }
            let mut out = json!({
                "record": records.first().map(ConsentRecord::to_value),
                "lost": lost,
                "findings": findings,
            });
            if records.len() > 1 {
                out["records"] = records.iter().map(ConsentRecord::to_value).collect();
            }
            emit(&out, format);
            Ok(true)
        }
        ConsentCmd::Export { to, id, file } => {
            let record = match (id, file) {
                (_, Some(file)) => ConsentRecord::from_json(&read_input(Some(&file))?)?,
                (Some(id), None) => current(&open(db)?, &id)?,
                (None, None) => return Err(CliError::usage("give a record id or --file")),
            };
            let converted = match to {
                ConsentFormat::Kantara => kantara::export(&record)?,
                ConsentFormat::Rebit => rebit::export(&record)?,
                ConsentFormat::Dpv => dpv::export(&record)?,
                ConsentFormat::Govstack => {
                    return Err(CliError::invalid(
                        ErrorCode::InvalidArgument,
                        "GovStack is import-only: its records live in the GovStack consent service",
                    ));
                }
            };
            emit(&json!({"value": converted.value, "lost": loss(&converted.report)}), format);
            Ok(true)
        }
        ConsentCmd::Ledger(LedgerCmd::Verify { jwk }) => {
            let ledger = open(db)?;
            let public = jwk.as_deref().map(load_public).transpose()?;
            let verifier = public.as_ref().map(|p| p as &dyn dpikit_core::jws::Verifier);
            match ledger.verify(verifier) {
                Ok(report) => {
                    emit(
                        &json!({"verified": true, "entries": report.entries, "checkpoints": report.checkpoints, "head": dpikit_core::encoding::hex_encode(&ledger.head_hash())}),
                        format,
                    );
                    Ok(true)
                }
                Err(e) => {
                    emit(
                        &json!({"verified": false, "code": e.code().value(), "name": e.code().name(), "message": e.to_string()}),
                        format,
                    );
                    Ok(false)
                }
            }
        }
    }
}

/// Imports `bytes` from `from`: the records, the loss report, integrity findings.
fn import(from: ConsentFormat, bytes: &[u8]) -> CliResult<(Vec<ConsentRecord>, Value, Value)> {
    let format = match from {
        ConsentFormat::Kantara => formats::Format::Kantara,
        ConsentFormat::Rebit => formats::Format::Rebit,
        ConsentFormat::Dpv => formats::Format::Dpv,
        ConsentFormat::Govstack => formats::Format::GovStack,
    };
    let c = formats::import(format, bytes)?;
    Ok((c.value.records, loss(&c.report), serde_json::to_value(&c.value.findings)?))
}
