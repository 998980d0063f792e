//! `dpikit vc`: issue, verify, present, status lists.

use std::path::PathBuf;
use std::sync::Arc;

use clap::{Subcommand, ValueEnum};
use indicatif::{ProgressBar, ProgressStyle};
use serde_json::{Value, json};

use dpikit_core::ErrorCode;
use dpikit_core::did::did_key;
use dpikit_core::jws::Signer;
use dpikit_credentials::di::{self, ProofOptions};
use dpikit_credentials::jsonld::ContextStore;
use dpikit_credentials::status::{StatusEntry, StatusList, StatusPurpose, check_status};
use dpikit_credentials::verify::envelope_jwt;
use dpikit_credentials::{VerificationReport, Verifier, jose, model, qr};

use crate::error::{CliError, CliResult};
use crate::io::{
    Format, emit, emit_str, load_signer, parse, parse_time, read_input, read_text, read_token,
    stderr_is_tty, write_file,
};
use crate::keys::resolver_with;

/// How `vc issue` secures a credential.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub(crate) enum Suite {
    /// Data Integrity, JCS canonicalization, Ed25519.
    #[value(name = "eddsa-jcs-2022")]
    EddsaJcs2022,
    /// Data Integrity, RDFC-1.0 canonicalization, Ed25519.
    #[value(name = "eddsa-rdfc-2022")]
    EddsaRdfc2022,
    /// Data Integrity, JCS canonicalization, P-256.
    #[value(name = "ecdsa-jcs-2019")]
    EcdsaJcs2019,
    /// Data Integrity, RDFC-1.0 canonicalization, P-256.
    #[value(name = "ecdsa-rdfc-2019")]
    EcdsaRdfc2019,
    /// VC-JOSE-COSE: a compact JWS with `typ: vc+jwt`.
    #[value(name = "vc+jwt")]
    VcJwt,
}

impl Suite {
    fn cryptosuite(self) -> Option<&'static str> {
        match self {
            Suite::EddsaJcs2022 => Some("eddsa-jcs-2022"),
            Suite::EddsaRdfc2022 => Some("eddsa-rdfc-2022"),
            Suite::EcdsaJcs2019 => Some("ecdsa-jcs-2019"),
            Suite::EcdsaRdfc2019 => Some("ecdsa-rdfc-2019"),
            Suite::VcJwt => None,
        }
    }
}

/// Options that configure a [`Verifier`].
#[derive(Debug, clap::Args)]
pub(crate) struct VerifyArgs {
    /// A DID document to resolve verification methods from (e.g. did:web); repeatable.
    #[arg(long = "did-doc", value_name = "FILE")]
    did_docs: Vec<String>,
    /// A status list credential to check `credentialStatus` against; repeatable.
    #[arg(long = "status-list", value_name = "FILE")]
    status_lists: Vec<String>,
    /// An extra JSON-LD context, as URL=FILE; repeatable.
    #[arg(long = "context", value_name = "URL=FILE")]
    contexts: Vec<String>,
    /// Verify as of this instant (RFC 3339) instead of now.
    #[arg(long)]
    at: Option<String>,
    /// The challenge a presentation's proof must carry.
    #[arg(long)]
    challenge: Option<String>,
    /// The domain a presentation's proof must carry.
    #[arg(long)]
    domain: Option<String>,
}

impl VerifyArgs {
    /// Builds the verifier these options describe.
    pub(crate) fn verifier(&self) -> CliResult<Verifier> {
        let mut v = Verifier::new().with_resolver(Arc::new(resolver_with(&self.did_docs)?));
        for spec in &self.contexts {
            let (url, file) = spec
                .split_once('=')
                .ok_or_else(|| CliError::usage(format!("--context {spec}: expected URL=FILE")))?;
            v = v.with_context(url, &read_text(Some(file))?)?;
        }
        for file in &self.status_lists {
            v = v.with_status_list(parse(&read_input(Some(file))?)?)?;
        }
        if let Some(at) = &self.at {
            v = v.at(parse_time(at)?);
        }
        if let Some(c) = &self.challenge {
            v = v.with_challenge(c.clone());
        }
        if let Some(d) = &self.domain {
            v = v.with_domain(d.clone());
        }
        Ok(v)
    }
}

/// `dpikit vc …`
#[derive(Debug, Subcommand)]
pub(crate) enum VcCmd {
    /// Secures a credential (JSON) with a Data Integrity proof or as a vc+jwt.
    ///
    /// Without an `issuer`, the key's did:key becomes the issuer.
    Issue {
        /// The issuer's private JWK file.
        #[arg(long)]
        key: String,
        /// How to secure it.
        #[arg(long, value_enum)]
        suite: Suite,
        /// The unsecured credential file, or `-` for stdin.
        credential: Option<String>,
    },
    /// Verifies a credential or presentation (JSON or JWT) and prints the VerificationReport.
    ///
    /// Exits 1 when anything fails to verify.
    Verify {
        /// The credential or presentation file, or `-` for stdin.
        file: Option<String>,
        /// Verify every file in this directory instead (a summary; exit 1 if any failed).
        #[arg(long, value_name = "DIR", conflicts_with = "file")]
        batch: Option<PathBuf>,
        /// Threads for --batch.
        #[arg(long, default_value_t = 2)]
        threads: usize,
        #[command(flatten)]
        opts: VerifyArgs,
    },
    /// Wraps credentials into a presentation signed by the holder.
    Present {
        /// The holder's private JWK file (its did:key is the holder).
        #[arg(long)]
        key: String,
        /// The verifier's challenge.
        #[arg(long)]
        challenge: Option<String>,
        /// The verifier's domain.
        #[arg(long)]
        domain: Option<String>,
        /// Secure as a vp+jwt instead of a Data Integrity proof.
        #[arg(long)]
        jwt: bool,
        /// The Data Integrity cryptosuite of the holder's proof.
        #[arg(long, value_enum, default_value = "eddsa-jcs-2022")]
        suite: Suite,
        /// Credential files (JSON, or a vc+jwt).
        #[arg(required = true)]
        credentials: Vec<String>,
    },
    /// Bitstring Status List credentials: create, set, clear, check.
    #[command(subcommand)]
    Status(StatusCmd),
    /// QR credentials (PixelPass: CBOR or JSON, zlib, base45): encode, decode, verify.
    #[command(subcommand)]
    Qr(QrCmd),
}

/// QR error-correction levels.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub(crate) enum Ec {
    /// ~7 % recovery.
    L,
    /// ~15 % recovery.
    M,
    /// ~25 % recovery.
    Q,
    /// ~30 % recovery.
    H,
}

impl From<Ec> for qr::EcLevel {
    fn from(e: Ec) -> Self {
        match e {
            Ec::L => qr::EcLevel::L,
            Ec::M => qr::EcLevel::M,
            Ec::Q => qr::EcLevel::Q,
            Ec::H => qr::EcLevel::H,
        }
    }
}

/// `dpikit vc qr …`
#[derive(Debug, Subcommand)]
pub(crate) enum QrCmd {
    /// Encodes a credential as QR text (printed), optionally rendering a PNG or SVG symbol.
    ///
    /// Fails with `qr_capacity_exceeded` (and by how much) when it does not fit one symbol.
    Encode {
        /// Write the QR symbol as a PNG image.
        #[arg(long, value_name = "FILE")]
        png: Option<PathBuf>,
        /// Write the QR symbol as an SVG image.
        #[arg(long, value_name = "FILE")]
        svg: Option<PathBuf>,
        /// Keep the JSON text instead of the compact CBOR form.
        #[arg(long)]
        json: bool,
        /// The error-correction level.
        #[arg(long, value_enum, default_value = "m")]
        ec: Ec,
        /// The credential file, or `-` for stdin.
        credential: Option<String>,
    },
    /// Decodes QR text and prints the payload.
    Decode {
        /// The QR text, a file holding it, or `-` for stdin.
        text: Option<String>,
    },
    /// Decodes QR text (or reads a PNG) and fully verifies the credential it carries.
    Verify {
        /// Read the QR symbol from this PNG image.
        #[arg(long, value_name = "FILE", conflicts_with = "text")]
        png: Option<String>,
        /// The QR text, a file holding it, or `-` for stdin.
        text: Option<String>,
        #[command(flatten)]
        opts: VerifyArgs,
    },
}

/// `dpikit vc status …`
#[derive(Debug, Subcommand)]
pub(crate) enum StatusCmd {
    /// Creates a signed status list credential (all entries clear).
    New {
        /// The list credential's URL (its `id`).
        #[arg(long)]
        id: String,
        /// The issuer's private JWK file.
        #[arg(long)]
        key: String,
        /// revocation, suspension, message or refresh.
        #[arg(long, default_value = "revocation")]
        purpose: String,
        /// Number of entries (at least 131 072).
        #[arg(long, default_value_t = 131_072)]
        size: usize,
    },
    /// Sets an entry (revokes or suspends) and re-signs the list.
    Set {
        /// The status list credential file.
        #[arg(long)]
        list: String,
        /// The issuer's private JWK file.
        #[arg(long)]
        key: String,
        /// The entry index.
        #[arg(long)]
        index: u64,
    },
    /// Clears an entry and re-signs the list.
    Clear {
        /// The status list credential file.
        #[arg(long)]
        list: String,
        /// The issuer's private JWK file.
        #[arg(long)]
        key: String,
        /// The entry index.
        #[arg(long)]
        index: u64,
    },
    /// Checks a credential's `credentialStatus` against a list; exits 1 when set.
    Check {
        /// The status list credential file.
        #[arg(long)]
        list: String,
        /// The credential file, or `-` for stdin.
        credential: Option<String>,
    },
}

/// Secures `credential` with `suite`, signed by `signer`: a JSON credential, or a JWT string.
///
/// # Errors
///
/// Model, signing and canonicalization errors.
pub(crate) fn secure(
    credential: &Value,
    signer: &dyn Signer,
    suite: Suite,
    contexts: &ContextStore,
) -> CliResult<Value> {
    model::Credential::from_value(credential)?;
    match suite.cryptosuite() {
        Some(name) => {
            Ok(di::add_proof(credential, signer, &ProofOptions::assertion(name), contexts)?)
        }
        None => Ok(Value::String(jose::issue_vc_jwt(credential, signer)?)),
    }
}

fn emit_secured(secured: &Value, format: Format) {
    match secured {
        Value::String(token) => emit_str(token),
        other => emit(other, format),
    }
}

fn report_value(report: &VerificationReport) -> Value {
    serde_json::to_value(report).unwrap_or(Value::Null)
}

/// Runs `dpikit vc …`; returns whether everything verified (for the exit code).
pub(crate) fn run(cmd: VcCmd, format: Format) -> CliResult<bool> {
    match cmd {
        VcCmd::Issue { key, suite, credential } => {
            let signer = load_signer(&key)?;
            let mut credential = parse(&read_input(credential.as_deref())?)?;
            if let Value::Object(map) = &mut credential {
                if !map.contains_key("issuer") {
                    map.insert("issuer".into(), json!(did_key(&signer.signer.public_key())));
                }
            }
            emit_secured(&secure(&credential, &signer, suite, &ContextStore::new())?, format);
            Ok(true)
        }
        VcCmd::Verify { file, batch, threads, opts } => {
            let verifier = opts.verifier()?;
            if let Some(dir) = batch {
                return verify_batch(&verifier, &dir, threads, format);
            }
            let report = verifier.verify_bytes(&read_input(file.as_deref())?);
            emit(&report_value(&report), format);
            Ok(report.verified)
        }
        VcCmd::Present { key, challenge, domain, jwt, suite, credentials } => {
            let signer = load_signer(&key)?;
            let holder = did_key(&signer.signer.public_key());
            let mut embedded = Vec::with_capacity(credentials.len());
            for file in &credentials {
                let bytes = read_input(Some(file))?;
                embedded.push(if bytes.trim_ascii().first() == Some(&b'{') {
                    parse(&bytes)?
                } else {
                    envelope_jwt(String::from_utf8_lossy(bytes.trim_ascii()).as_ref())
                });
            }
            let vp = model::presentation(&holder, &embedded);
            if jwt {
                let token =
                    jose::issue_vp_jwt(&vp, &signer, challenge.as_deref(), domain.as_deref())?;
                emit_str(&token);
            } else {
                let name = suite.cryptosuite().ok_or_else(|| {
                    CliError::usage("--suite vc+jwt is not a Data Integrity suite; use --jwt")
                })?;
                let opts = ProofOptions::authentication(name, challenge, domain);
                emit(&di::add_proof(&vp, &signer, &opts, &ContextStore::new())?, format);
            }
            Ok(true)
        }
        VcCmd::Status(cmd) => run_status(cmd, format),
        VcCmd::Qr(cmd) => run_qr(cmd, format),
    }
}

fn run_qr(cmd: QrCmd, format: Format) -> CliResult<bool> {
    match cmd {
        QrCmd::Encode { png, svg, json, ec, credential } => {
            let value = parse(&read_input(credential.as_deref())?)?;
            let payload = if json { qr::Payload::Json } else { qr::Payload::Cbor };
            let text = qr::encode_json(&value, payload)?;
            qr::fit(&text, ec.into())?;
            if let Some(path) = png {
                write_file(&path, &qr::render_png(&text, ec.into(), 4)?)?;
            }
            if let Some(path) = svg {
                write_file(&path, qr::render_svg(&text, ec.into())?.as_bytes())?;
            }
            emit_str(&text);
            Ok(true)
        }
        QrCmd::Decode { text } => {
            let decoded = qr::decode_payload(&read_token(text.as_deref())?)?;
            match decoded {
                qr::Decoded::Cbor(value) => emit(&value, format),
                qr::Decoded::Text(text) => match serde_json::from_str::<Value>(&text) {
                    Ok(value) => emit(&value, format),
                    Err(_) => emit_str(&text),
                },
            }
            Ok(true)
        }
        QrCmd::Verify { png, text, opts } => {
            let text = match png {
                Some(file) => qr::read_png(&read_input(Some(&file))?)?,
                None => read_token(text.as_deref())?,
            };
            let report = qr::verify_qr(&text, &opts.verifier()?);
            emit(&report_value(&report), format);
            Ok(report.verified)
        }
    }
}

fn verify_batch(
    verifier: &Verifier,
    dir: &PathBuf,
    threads: usize,
    format: Format,
) -> CliResult<bool> {
    let name = dir.display().to_string();
    let mut paths: Vec<PathBuf> = std::fs::read_dir(dir)
        .map_err(|e| CliError::io(&name, &e))?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.is_file())
        .collect();
    paths.sort();
    let bar = progress(paths.len() as u64, "verifying");
    let mut failed = Vec::new();
    let mut verified = 0u64;
    for chunk in paths.chunks(256) {
        let inputs = chunk.iter().map(|p| read_input(p.to_str())).collect::<CliResult<Vec<_>>>()?;
        for (path, report) in chunk.iter().zip(verifier.verify_many(&inputs, threads)) {
            if report.verified {
                verified += 1;
            } else {
                failed.push(json!({
                    "file": path.display().to_string(),
                    "errors": report.errors,
                }));
            }
        }
        bar.inc(chunk.len() as u64);
    }
    bar.finish_and_clear();
    let ok = failed.is_empty();
    emit(
        &json!({"verified": ok, "total": paths.len(), "passed": verified, "failed": failed}),
        format,
    );
    Ok(ok)
}

/// A progress bar on stderr when it is a terminal, hidden otherwise.
pub(crate) fn progress(len: u64, message: &'static str) -> ProgressBar {
    if !stderr_is_tty() {
        return ProgressBar::hidden();
    }
    let bar = ProgressBar::new(len).with_message(message);
    if let Ok(style) = ProgressStyle::with_template("{msg:>12} [{bar:30}] {pos}/{len} {elapsed}") {
        bar.set_style(style.progress_chars("=> "));
    }
    bar
}

/// Re-issues a status list credential after `update` changed its list.
fn reissue_list(
    list_file: &str,
    key: &str,
    update: impl FnOnce(&mut StatusList) -> dpikit_credentials::Result<()>,
    format: Format,
) -> CliResult<bool> {
    let signer = load_signer(key)?;
    let old = parse(&read_input(Some(list_file))?)?;
    let (mut list, purpose) = StatusList::from_credential(&old)?;
    update(&mut list)?;
    let id = old.get("id").and_then(Value::as_str).ok_or_else(|| {
        CliError::invalid(ErrorCode::StatusListInvalid, "the list credential has no id")
    })?;
    let issuer = did_key(&signer.signer.public_key());
    let unsigned = list.to_credential(id, &issuer, purpose)?.to_value();
    emit(&secure(&unsigned, &signer, suite_for_key(&signer), &ContextStore::new())?, format);
    Ok(true)
}

fn run_status(cmd: StatusCmd, format: Format) -> CliResult<bool> {
    match cmd {
        StatusCmd::New { id, key, purpose, size } => {
            let signer = load_signer(&key)?;
            let purpose = StatusPurpose::parse(&purpose)?;
            let list = StatusList::with_entries(size, 1)?;
            let issuer = did_key(&signer.signer.public_key());
            let unsigned = list.to_credential(&id, &issuer, purpose)?.to_value();
            let suite = suite_for_key(&signer);
            emit(&secure(&unsigned, &signer, suite, &ContextStore::new())?, format);
            Ok(true)
        }
        StatusCmd::Set { list, key, index } => {
            reissue_list(&list, &key, |l| l.set(index, 1), format)
        }
        StatusCmd::Clear { list, key, index } => {
            reissue_list(&list, &key, |l| l.clear(index), format)
        }
        StatusCmd::Check { list, credential } => {
            let list = parse(&read_input(Some(&list))?)?;
            let credential = parse(&read_input(credential.as_deref())?)?;
            let entry = credential.get("credentialStatus").ok_or_else(|| {
                CliError::invalid(ErrorCode::StatusListInvalid, "no credentialStatus")
            })?;
            let entry = StatusEntry::from_value(entry)?.ok_or_else(|| {
                CliError::invalid(ErrorCode::StatusListInvalid, "no BitstringStatusListEntry")
            })?;
            let status = check_status(&entry, &list)?;
            emit(
                &json!({
                    "purpose": status.purpose.as_str(),
                    "index": status.index,
                    "value": status.value,
                    "set": status.value != 0,
                }),
                format,
            );
            Ok(true)
        }
    }
}

fn suite_for_key(signer: &dyn Signer) -> Suite {
    match signer.algorithm().key_type() {
        dpikit_core::keys::KeyType::P256 => Suite::EcdsaJcs2019,
        _ => Suite::EddsaJcs2022,
    }
}
