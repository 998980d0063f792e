//! `dpikit pay`: ISO 20022 validation and conversion, G2P bulk batches, reconciliation,
//! Mojaloop helpers.

use std::path::PathBuf;

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use clap::{Subcommand, ValueEnum};
use serde_json::{Value, json};

use dpikit_core::ErrorCode;
use dpikit_payments::bulk::{self, Account, Batch, BatchConfig, CsvLimits};
use dpikit_payments::iso::{self, Message, ParseOptions};
use dpikit_payments::mojaloop::ilp::{condition, decode32, fulfilment};
use dpikit_payments::mojaloop::map::{IlpTerms, pacs008_to_transfer, transfer_to_pacs008};
use dpikit_payments::mojaloop::parse_transfer_request;
use dpikit_payments::reconcile::reconcile_xml;
use dpikit_payments::validate;

use crate::error::{CliError, CliResult};
use crate::io::{Format, emit, read_input, write_file};

/// `dpikit pay …`
#[derive(Debug, Subcommand)]
pub(crate) enum PayCmd {
    /// Parses and validates an ISO 20022 message (XSD facets and business rules).
    ///
    /// Prints `{"valid", "message_type", "findings"}`; exits 1 when there are findings.
    Validate {
        /// Keep going past unknown elements (reported as findings).
        #[arg(long)]
        lenient: bool,
        /// Also apply a scheme's rule pack.
        #[arg(long, value_enum)]
        rules: Option<RulePack>,
        /// The XML file, or `-` for stdin.
        file: Option<String>,
    },
    /// Converts an ISO 20022 message between XML and dpikit's JSON form (lossless both ways).
    Convert {
        /// The target form.
        #[arg(long, value_enum)]
        to: Form,
        /// The file (XML for `--to json`, JSON for `--to xml`), or `-` for stdin.
        file: Option<String>,
    },
    /// Builds a G2P disbursement batch from a CSV of beneficiaries.
    ///
    /// Columns: id, name, account (IBAN, MSISDN or other id), amount, currency, reference
    /// [, execution_date, provider]. Prints a per-row report; exits 1 when any row is rejected.
    Bulk(Box<BulkArgs>),
    /// Reconciles status reports (pacs.002, pain.002, camt.054, camt.053) with a pain.001 batch.
    Reconcile {
        /// The pain.001 the batch was sent as.
        #[arg(long)]
        batch: String,
        /// Status report files.
        #[arg(required = true)]
        status_files: Vec<String>,
    },
    /// Mojaloop FSPIOP and ILP helpers.
    #[command(subcommand)]
    Mojaloop(MojaloopCmd),
}

/// Scheme rule packs for `pay validate --rules`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub(crate) enum RulePack {
    /// SWIFT CBPR+ usage guidelines.
    #[value(name = "cbpr-plus")]
    CbprPlus,
}

/// Message forms for `pay convert`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub(crate) enum Form {
    /// dpikit's JSON form of the typed model.
    Json,
    /// ISO 20022 XML with the right namespaces.
    Xml,
}

/// Output formats for `pay bulk`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub(crate) enum BulkTarget {
    /// pain.001.001.09 XML.
    #[value(name = "pain.001")]
    Pain001,
    /// GovStack Payments bulk-payment JSON.
    Govstack,
    /// G2P Connect disburse JSON.
    #[value(name = "g2p-connect")]
    G2pConnect,
}

/// `dpikit pay bulk`
#[derive(Debug, clap::Args)]
pub(crate) struct BulkArgs {
    /// The beneficiaries CSV file, or `-` for stdin.
    csv: Option<String>,
    /// The output format.
    #[arg(long, value_enum)]
    to: BulkTarget,
    /// The batch id (≤ 30 characters; end-to-end ids derive from it, stable across re-runs).
    #[arg(long)]
    batch_id: String,
    /// The paying agency's name.
    #[arg(long)]
    debtor_name: String,
    /// The paying agency's account (IBAN or other id).
    #[arg(long)]
    debtor_account: String,
    /// The paying agency's bank BIC.
    #[arg(long)]
    debtor_bic: Option<String>,
    /// The requested execution date (YYYY-MM-DD; defaults to today).
    #[arg(long)]
    execution_date: Option<String>,
    /// The G2P Connect sender id.
    #[arg(long, default_value = "dpikit")]
    sender_id: String,
    /// Write the message here instead of including it in the report.
    #[arg(long)]
    out: Option<PathBuf>,
}

/// `dpikit pay mojaloop …`
#[derive(Debug, Subcommand)]
pub(crate) enum MojaloopCmd {
    /// Computes the condition (SHA-256, base64url) of a fulfilment.
    Condition {
        /// The fulfilment, base64url.
        #[arg(long, allow_hyphen_values = true)]
        fulfilment: String,
    },
    /// Computes the fulfilment HMAC-SHA256(secret, packet) and its condition.
    Fulfil {
        /// The shared secret, base64url.
        #[arg(long, allow_hyphen_values = true)]
        secret: String,
        /// The ILP packet, base64url.
        #[arg(long, allow_hyphen_values = true)]
        packet: String,
        /// Check the fulfilment against this condition (exit 1 when it does not match).
        #[arg(long, allow_hyphen_values = true)]
        check: Option<String>,
    },
    /// Maps a Mojaloop transfer request to pacs.008.001.08 (with a report of what is lost).
    ToPacs008 {
        /// The creation time of the pacs.008 (defaults to now).
        #[arg(long)]
        created_at: Option<String>,
        /// The transfer request JSON file, or `-` for stdin.
        file: Option<String>,
    },
    /// Maps a pacs.008.001.08 back to a Mojaloop transfer request (with the ILP terms).
    FromPacs008 {
        /// The ILP packet, base64url.
        #[arg(long, allow_hyphen_values = true)]
        ilp_packet: String,
        /// The condition, base64url.
        #[arg(long, allow_hyphen_values = true)]
        condition: String,
        /// The expiration (date-time).
        #[arg(long)]
        expiration: String,
        /// The pacs.008 XML file, or `-` for stdin.
        file: Option<String>,
    },
}

impl From<dpikit_payments::PaymentError> for CliError {
    fn from(e: dpikit_payments::PaymentError) -> Self {
        CliError::invalid(e.code(), e.to_string())
    }
}

/// Serialises a message as XML: the bare `Document`, or `AppHdr` + `Document` in one wrapper.
pub(crate) fn message_xml(message: &Message) -> CliResult<String> {
    Ok(message.to_xml()?)
}

fn b64(bytes: &[u8]) -> String {
    URL_SAFE_NO_PAD.encode(bytes)
}

fn unb64(what: &str, text: &str) -> CliResult<Vec<u8>> {
    URL_SAFE_NO_PAD
        .decode(text.trim_end_matches('='))
        .map_err(|e| CliError::invalid(ErrorCode::InvalidBase64, format!("{what}: {e}")))
}

fn to_json<T: serde::Serialize>(value: &T) -> CliResult<Value> {
    Ok(serde_json::to_value(value)?)
}

/// Runs `dpikit pay …`; returns false when the content is invalid.
pub(crate) fn run(cmd: PayCmd, format: Format) -> CliResult<bool> {
    match cmd {
        PayCmd::Validate { lenient, rules, file } => {
            let options = ParseOptions { lenient, ..ParseOptions::default() };
            let parsed = iso::parse(&read_input(file.as_deref())?, &options)?;
            let mut findings = parsed.findings;
            findings.extend(match rules {
                Some(RulePack::CbprPlus) => {
                    validate::validate_with(&parsed.message, &[&validate::CbprPlus])
                }
                None => validate::validate(&parsed.message),
            });
            let valid = findings.is_empty();
            emit(
                &json!({
                    "valid": valid,
                    "message_type": parsed.message.document.kind().id(),
                    "findings": to_json(&findings)?,
                }),
                format,
            );
            Ok(valid)
        }
        PayCmd::Convert { to, file } => {
            let bytes = read_input(file.as_deref())?;
            match to {
                Form::Json => {
                    let parsed = iso::parse(&bytes, &ParseOptions::default())?;
                    emit(&parsed.message.to_json()?, format);
                }
                Form::Xml => {
                    let message = Message::from_json(&bytes, &dpikit_core::Limits::default())?;
                    crate::io::out(&message_xml(&message)?);
                }
            }
            Ok(true)
        }
        PayCmd::Bulk(args) => run_bulk(&args, format),
        PayCmd::Reconcile { batch, status_files } => {
            let parsed = iso::parse(&read_input(Some(&batch))?, &ParseOptions::default())?;
            let batch = Batch::from_pain001(&parsed.message)?;
            let reports =
                status_files.iter().map(|f| read_input(Some(f))).collect::<CliResult<Vec<_>>>()?;
            let refs: Vec<&[u8]> = reports.iter().map(Vec::as_slice).collect();
            emit(&to_json(&reconcile_xml(&batch, &refs)?)?, format);
            Ok(true)
        }
        PayCmd::Mojaloop(cmd) => run_mojaloop(cmd, format),
    }
}

fn run_bulk(a: &BulkArgs, format: Format) -> CliResult<bool> {
    let today = chrono::Utc::now();
    let created = today.format("%Y-%m-%dT%H:%M:%SZ").to_string();
    let execution =
        a.execution_date.clone().unwrap_or_else(|| today.format("%Y-%m-%d").to_string());
    let mut config = BatchConfig::new(
        &a.batch_id,
        &created,
        &execution,
        &a.debtor_name,
        Account::parse(&a.debtor_account),
    );
    config.debtor_agent_bic.clone_from(&a.debtor_bic);
    let input = read_input(a.csv.as_deref())?;
    let bar = crate::vc::progress(1, "building batch");
    bar.enable_steady_tick(std::time::Duration::from_millis(120));
    let outcome = bulk::from_csv(&input, &config, &CsvLimits::default());
    bar.finish_and_clear();
    let outcome = outcome?;
    let message = match a.to {
        BulkTarget::Pain001 => Value::String(outcome.batch.to_pain001_xml()?),
        BulkTarget::Govstack => outcome.batch.to_govstack_json()?,
        BulkTarget::G2pConnect => outcome.batch.to_g2p_connect_json(&a.sender_id)?,
    };
    let mut report = json!({
        "batch_id": a.batch_id,
        "format": a.to.to_possible_value().map(|v| v.get_name().to_owned()),
        "payments": outcome.batch.len(),
        "blocks": outcome.batch.blocks.len(),
        "errors": to_json(&outcome.errors)?,
        "ignored_columns": outcome.ignored_columns,
    });
    match &a.out {
        Some(path) => {
            let text = match &message {
                Value::String(xml) => xml.clone(),
                other => serde_json::to_string_pretty(other)?,
            };
            write_file(path, text.as_bytes())?;
            report["file"] = json!(path.display().to_string());
        }
        None => report["message"] = message,
    }
    emit(&report, format);
    Ok(outcome.errors.is_empty())
}

fn run_mojaloop(cmd: MojaloopCmd, format: Format) -> CliResult<bool> {
    match cmd {
        MojaloopCmd::Condition { fulfilment } => {
            let f = decode32(&fulfilment)?;
            emit(&json!({"fulfilment": fulfilment, "condition": b64(&condition(&f))}), format);
            Ok(true)
        }
        MojaloopCmd::Fulfil { secret, packet, check } => {
            let f = fulfilment(&unb64("secret", &secret)?, &unb64("packet", &packet)?);
            let c = b64(&condition(&f));
            let matches = check.as_deref().is_none_or(|expected| expected == c);
            emit(
                &json!({"fulfilment": b64(&f), "condition": c, "matches": check.map(|_| matches)}),
                format,
            );
            Ok(matches)
        }
        MojaloopCmd::ToPacs008 { created_at, file } => {
            let t = parse_transfer_request(
                &read_input(file.as_deref())?,
                &dpikit_core::Limits::default(),
            )?;
            let created = created_at
                .unwrap_or_else(|| chrono::Utc::now().format("%Y-%m-%dT%H:%M:%SZ").to_string());
            let (message, report) = transfer_to_pacs008(&t, None, &created)?;
            emit(&json!({"xml": message_xml(&message)?, "report": to_json(&report)?}), format);
            Ok(true)
        }
        MojaloopCmd::FromPacs008 { ilp_packet, condition, expiration, file } => {
            let parsed = iso::parse(&read_input(file.as_deref())?, &ParseOptions::default())?;
            let terms = IlpTerms { ilp_packet, condition, expiration };
            let (transfer, report) = pacs008_to_transfer(&parsed.message, terms)?;
            emit(&json!({"transfer": to_json(&transfer)?, "report": to_json(&report)?}), format);
            Ok(true)
        }
    }
}
