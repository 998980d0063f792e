//! `dpikit exchange`: schemas, validation, NGSI-LD, CSV import, envelopes, X-Road headers.

use std::path::{Path, PathBuf};

use clap::{Subcommand, ValueEnum};
use serde_json::{Value, json};

use dpikit_consent::ConsentError;
use dpikit_consent::ledger::{Ledger, SqliteStorage};
use dpikit_consent::model::{Code, Scheme};
use dpikit_exchange::csv_import::{CsvOptions, import_csv};
use dpikit_exchange::envelope::{
    ConsentCheck, ConsentExpectation, EnvelopeBuilder, VerifyPolicy, seal, sign, verify,
    verify_consent,
};
use dpikit_exchange::ngsi::{AttributeKinds, to_feature_collection, to_key_values, to_normalized};
use dpikit_exchange::registry::SchemaKey;
use dpikit_exchange::xroad::{XRoadClient, XRoadService, message_id_header};
use dpikit_exchange::{Registry, jwe};

use crate::consent::{DEFAULT_DB, SchemeArg};
use crate::error::{CliError, CliResult};
use crate::io::{
    Format, emit, emit_str, load_public, load_signer, parse, parse_time, read_input, read_text,
    read_token,
};

/// Options every `exchange` subcommand shares.
#[derive(Debug, clap::Args)]
pub(crate) struct ExchangeArgs {
    /// Register every schema file under DIR by its `$id` (besides dpikit's own); repeatable.
    #[arg(long = "registry", value_name = "DIR", global = true)]
    registries: Vec<PathBuf>,
    #[command(subcommand)]
    cmd: ExchangeCmd,
}

/// NGSI-LD representations.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub(crate) enum NgsiForm {
    /// Simplified (`options=keyValues`).
    Keyvalues,
    /// Normalized (attributes as Property / Relationship / GeoProperty objects).
    Normalized,
}

/// The exchange subcommands.
#[derive(Debug, Subcommand)]
pub(crate) enum ExchangeCmd {
    /// Lists the registered schemas, or shows one.
    Schemas {
        #[command(subcommand)]
        action: Option<SchemasAction>,
    },
    /// Validates a JSON instance against a schema (id, `id?version=v`, or a schema file).
    Validate {
        /// The schema: a registered `$id` (optionally `?version=v`) or a schema file.
        #[arg(long)]
        schema: String,
        /// The instance file, or `-` for stdin.
        data: Option<String>,
    },
    /// Converts an NGSI-LD entity between normalized and keyValues forms.
    Convert {
        /// The target form.
        #[arg(long, value_enum)]
        to: NgsiForm,
        /// The entity's schema (needed for `normalized`: it decides each attribute's kind).
        #[arg(long)]
        schema: Option<String>,
        /// The entity file, or `-` for stdin.
        file: Option<String>,
    },
    /// Imports CSV rows as entities, validating each row against a schema.
    ImportCsv {
        /// The schema of every row.
        #[arg(long)]
        schema: String,
        /// The entity `type` when the file has no `type` column.
        #[arg(long = "type")]
        entity_type: Option<String>,
        /// Print a GeoJSON FeatureCollection of the valid entities instead.
        #[arg(long)]
        geojson: bool,
        /// The CSV file, or `-` for stdin.
        file: Option<String>,
    },
    /// Builds, consent-gates, signs (and optionally encrypts) a CloudEvents envelope.
    Seal(Box<SealArgs>),
    /// Decrypts (optionally), verifies and prints an envelope; checks its cited consent.
    Open(Box<OpenArgs>),
    /// Builds X-Road `X-Road-Client`, `X-Road-Service` and `X-Road-Id` header values.
    XroadHeaders {
        /// The client: INSTANCE/CLASS/CODE[/SUBSYSTEM].
        #[arg(long)]
        client: String,
        /// The service: INSTANCE/CLASS/CODE[/SUBSYSTEM]/SERVICE.
        #[arg(long)]
        service: String,
        /// The message id.
        #[arg(long)]
        id: Option<String>,
    },
}

/// `dpikit exchange schemas …`
#[derive(Debug, Subcommand)]
pub(crate) enum SchemasAction {
    /// Lists every registered schema (id and version).
    List,
    /// Prints one schema document.
    Show {
        /// The `$id` (optionally `?version=v`).
        id: String,
    },
}

/// `dpikit exchange seal`
#[derive(Debug, clap::Args)]
pub(crate) struct SealArgs {
    /// The sender's private JWK file.
    #[arg(long)]
    key: String,
    /// The sending system (CloudEvents `source`).
    #[arg(long)]
    source: String,
    /// The event type (CloudEvents `type`).
    #[arg(long = "type")]
    event_type: String,
    /// The schema of `data`.
    #[arg(long)]
    schema: String,
    /// The subject within the source.
    #[arg(long)]
    subject: Option<String>,
    /// The consent the data is sent under (required for personal data).
    #[arg(long)]
    consent_id: Option<String>,
    /// The consent ledger to check the consent on.
    #[arg(long, default_value = DEFAULT_DB)]
    db: PathBuf,
    /// The controller sending (must be allowed by the consent).
    #[arg(long)]
    controller: Option<String>,
    /// The purpose code of the use.
    #[arg(long)]
    purpose: Option<String>,
    /// The data category code.
    #[arg(long)]
    data_category: Option<String>,
    /// The scheme of the purpose and data-category codes.
    #[arg(long, value_enum, default_value = "dpv")]
    scheme: SchemeArg,
    /// A signed consent receipt file to attach.
    #[arg(long)]
    receipt: Option<String>,
    /// Encrypt the signed envelope to this recipient public JWK (X25519 or P-256).
    #[arg(long, value_name = "JWK_FILE")]
    encrypt_to: Option<String>,
    /// Sign detached (the envelope bytes are then printed as JSON with the token).
    #[arg(long)]
    detached: bool,
    /// The record file, or `-` for stdin.
    data: Option<String>,
}

/// `dpikit exchange open`
#[derive(Debug, clap::Args)]
pub(crate) struct OpenArgs {
    /// The sender's JWK file.
    #[arg(long)]
    jwk: String,
    /// The recipient's private JWK, to decrypt an encrypted envelope.
    #[arg(long, value_name = "JWK_FILE")]
    decrypt_key: Option<String>,
    /// The envelope bytes of a detached JWS.
    #[arg(long)]
    payload: Option<String>,
    /// Verify freshness as of this instant (RFC 3339) instead of now.
    #[arg(long)]
    at: Option<String>,
    /// Largest accepted envelope age, in seconds.
    #[arg(long, default_value_t = 300)]
    max_age: u64,
    /// The JWK of the consent receipt's signer: check the cited receipt.
    #[arg(long)]
    receipt_jwk: Option<String>,
    /// The controller the consent must name (with --receipt-jwk; defaults to the source).
    #[arg(long)]
    controller: Option<String>,
    /// The purpose the receiver uses the data for (with --receipt-jwk).
    #[arg(long)]
    purpose: Option<String>,
    /// The scheme of the purpose code.
    #[arg(long, value_enum, default_value = "dpv")]
    scheme: SchemeArg,
    /// The token, a file holding it, or `-` for stdin.
    token: Option<String>,
}

fn registry(dirs: &[PathBuf]) -> CliResult<Registry> {
    let mut registry = Registry::with_builtin()?;
    for dir in dirs {
        registry.register_dir(dir)?;
    }
    Ok(registry)
}

/// Resolves `--schema`: a file is registered first; otherwise an id, `?version=` allowed.
fn schema_key(registry: &mut Registry, schema: &str) -> CliResult<SchemaKey> {
    if Path::new(schema).is_file() {
        return Ok(registry.register_file(schema)?);
    }
    let key = SchemaKey::from_dataschema(schema);
    Ok(registry.resolve(&key.id, key.version.as_deref())?)
}

fn to_json<T: serde::Serialize>(value: &T) -> CliResult<Value> {
    Ok(serde_json::to_value(value)?)
}

/// Runs `dpikit exchange …`; returns false when data is invalid.
pub(crate) fn run(args: ExchangeArgs, format: Format) -> CliResult<bool> {
    let mut registry = registry(&args.registries)?;
    match args.cmd {
        ExchangeCmd::Schemas { action } => match action.unwrap_or(SchemasAction::List) {
            SchemasAction::List => {
                let keys: Vec<Value> = registry
                    .keys()
                    .iter()
                    .map(|k| json!({"id": k.id, "version": k.version, "dataschema": k.to_dataschema()}))
                    .collect();
                emit(&Value::Array(keys), format);
                Ok(true)
            }
            SchemasAction::Show { id } => {
                let key = schema_key(&mut registry, &id)?;
                emit(registry.document(&key)?.as_ref(), format);
                Ok(true)
            }
        },
        ExchangeCmd::Validate { schema, data } => {
            let key = schema_key(&mut registry, &schema)?;
            let report = registry.validate_bytes(&key, &read_input(data.as_deref())?)?;
            let valid = report.is_valid();
            emit(
                &json!({"valid": valid, "schema": key.to_dataschema(), "issues": to_json(&report)?["issues"]}),
                format,
            );
            Ok(valid)
        }
        ExchangeCmd::Convert { to, schema, file } => {
            let entity = parse(&read_input(file.as_deref())?)?;
            let out = match to {
                NgsiForm::Keyvalues => to_json(&to_key_values(&entity)?)?,
                NgsiForm::Normalized => {
                    let schema = schema.ok_or_else(|| {
                        CliError::usage("--to normalized needs --schema to decide attribute kinds")
                    })?;
                    let key = schema_key(&mut registry, &schema)?;
                    let kinds = AttributeKinds::from_schema(&registry, &key)?;
                    to_json(&to_normalized(&entity, &kinds)?)?
                }
            };
            emit(&out, format);
            Ok(true)
        }
        ExchangeCmd::ImportCsv { schema, entity_type, geojson, file } => {
            let key = schema_key(&mut registry, &schema)?;
            let options = CsvOptions { default_type: entity_type, ..CsvOptions::default() };
            let imported = import_csv(&read_input(file.as_deref())?, &registry, &key, &options)?;
            let all_valid =
                imported.rows.iter().all(dpikit_exchange::csv_import::RowReport::is_valid);
            if geojson {
                emit(&to_feature_collection(&imported.entities)?, format);
            } else {
                emit(&to_json(&imported)?, format);
            }
            Ok(all_valid)
        }
        ExchangeCmd::Seal(a) => run_seal(&a, &mut registry, format),
        ExchangeCmd::Open(a) => run_open(&a, &registry, format),
        ExchangeCmd::XroadHeaders { client, service, id } => {
            let client = XRoadClient::parse(&client)?;
            let service = XRoadService::parse(&service)?;
            let mut out = json!({
                "X-Road-Client": client.to_header()?,
                "X-Road-Service": service.to_header()?,
            });
            if let Some(id) = id {
                out["X-Road-Id"] = json!(message_id_header(&id)?);
            }
            emit(&out, format);
            Ok(true)
        }
    }
}

fn run_seal(a: &SealArgs, registry: &mut Registry, format: Format) -> CliResult<bool> {
    let signer = load_signer(&a.key)?;
    let key = schema_key(registry, &a.schema)?;
    let data = parse(&read_input(a.data.as_deref())?)?;
    let mut builder = EnvelopeBuilder::new(&a.source, &a.event_type, key, data);
    if let Some(s) = &a.subject {
        builder = builder.subject(s.clone());
    }
    let mut envelope = builder.build(registry)?;
    if let Some(consent_id) = &a.consent_id {
        let ledger = Ledger::new(SqliteStorage::open(&a.db)?)?;
        let record = ledger
            .current_record(consent_id)?
            .ok_or_else(|| ConsentError::NotFound(consent_id.clone()))?;
        let controller = a.controller.as_deref().unwrap_or(&a.source);
        let purpose = Code::new(Scheme::from(a.scheme), a.purpose.clone().unwrap_or_default());
        let category = a.data_category.clone().map(|c| Code::new(Scheme::from(a.scheme), c));
        let receipt = a.receipt.as_deref().map(|f| read_token(Some(f))).transpose()?;
        let mut check = ConsentCheck::new(&record, controller, &purpose, chrono::Utc::now());
        if let Some(c) = &category {
            check = check.with_data_category(c);
        }
        if let Some(r) = &receipt {
            check = check.with_receipt(r);
        }
        envelope = seal(envelope, &check)?;
    }
    let signed = sign(&envelope, &signer, a.detached)?;
    if let Some(recipient) = &a.encrypt_to {
        let jwk = read_text(Some(recipient))?;
        emit_str(&jwe::seal_envelope(&signed, &jwk)?);
    } else if a.detached {
        let bytes = String::from_utf8_lossy(&signed.bytes).into_owned();
        emit(&json!({"token": signed.token, "envelope": bytes}), format);
    } else {
        emit_str(&signed.token);
    }
    Ok(true)
}

fn run_open(a: &OpenArgs, registry: &Registry, format: Format) -> CliResult<bool> {
    let sender = load_public(&a.jwk)?;
    let now = a.at.as_deref().map_or_else(|| Ok(chrono::Utc::now()), parse_time)?;
    let max_age = chrono::Duration::seconds(i64::try_from(a.max_age).unwrap_or(i64::MAX / 1000));
    let policy = VerifyPolicy::at(now).with_max_age(max_age);
    let token = read_token(a.token.as_deref())?;
    let verified = if let Some(private) = &a.decrypt_key {
        jwe::open_envelope(&token, &read_text(Some(private))?, &sender, registry, &policy)?
    } else {
        let detached = a.payload.as_deref().map(|p| read_input(Some(p))).transpose()?;
        verify(&token, detached.as_deref(), &sender, registry, &policy)?
    };
    let mut out =
        json!({"verified": true, "kid": verified.kid, "envelope": to_json(&verified.envelope)?});
    if let Some(jwk) = &a.receipt_jwk {
        let receipt_key = load_public(jwk)?;
        let controller = a.controller.as_deref().unwrap_or(&verified.envelope.source);
        let purpose = Code::new(Scheme::from(a.scheme), a.purpose.clone().unwrap_or_default());
        let expectation = ConsentExpectation { controller, purpose: &purpose, data_category: None };
        let receipt = verify_consent(&verified.envelope, None, &receipt_key, &expectation)?;
        out["consent"] = json!({"verified": true, "record": receipt.receipt.record.id});
    }
    emit(&out, format);
    Ok(true)
}
