//! Reading inputs, writing outputs, loading keys.

use std::io::{IsTerminal, Read, Write};
use std::path::Path;

use clap::ValueEnum;
use serde_json::Value;

use dpikit_core::ErrorCode;
use dpikit_core::did::did_key_verification_method;
use dpikit_core::jws::WithKeyId;
use dpikit_core::keys::{Jwk, KeyPair};

use crate::error::{CliError, CliResult};

/// The largest input the CLI reads from a file or stdin (64 MiB).
pub(crate) const MAX_INPUT_BYTES: u64 = 64 << 20;

/// How results are printed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum, Default)]
pub(crate) enum Format {
    /// JSON (the default; stable, for programs).
    #[default]
    Json,
    /// Lines for people.
    Text,
}

/// Reads a file, or stdin for `-` or no argument, up to [`MAX_INPUT_BYTES`].
pub(crate) fn read_input(arg: Option<&str>) -> CliResult<Vec<u8>> {
    let mut buf = Vec::new();
    match arg {
        None | Some("-") => {
            std::io::stdin()
                .lock()
                .take(MAX_INPUT_BYTES + 1)
                .read_to_end(&mut buf)
                .map_err(|e| CliError::io("<stdin>", &e))?;
        }
        Some(path) => {
            std::fs::File::open(path)
                .and_then(|f| f.take(MAX_INPUT_BYTES + 1).read_to_end(&mut buf))
                .map_err(|e| CliError::io(path, &e))?;
        }
    }
    if buf.len() as u64 > MAX_INPUT_BYTES {
        return Err(CliError::invalid(
            ErrorCode::InputTooLarge,
            format!("input exceeds {MAX_INPUT_BYTES} bytes"),
        ));
    }
    Ok(buf)
}

/// Reads a file as UTF-8 text.
pub(crate) fn read_text(arg: Option<&str>) -> CliResult<String> {
    String::from_utf8(read_input(arg)?)
        .map_err(|_| CliError::invalid(ErrorCode::InvalidUtf8, "input is not UTF-8"))
}

/// Reads a compact token given inline, from a file of that name, or from stdin (`-`/none).
pub(crate) fn read_token(arg: Option<&str>) -> CliResult<String> {
    let text = match arg {
        Some(t) if t != "-" && !Path::new(t).is_file() => t.to_owned(),
        other => read_text(other)?,
    };
    Ok(text.trim().to_owned())
}

/// Parses JSON with dpikit's bounded intake.
pub(crate) fn parse(bytes: &[u8]) -> CliResult<Value> {
    Ok(dpikit_core::parse_json(bytes, &dpikit_core::Limits::default())?)
}

/// Writes bytes to a file (creating parent directories).
pub(crate) fn write_file(path: &Path, bytes: &[u8]) -> CliResult {
    let name = path.display().to_string();
    if let Some(parent) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
        std::fs::create_dir_all(parent).map_err(|e| CliError::io(&name, &e))?;
    }
    std::fs::write(path, bytes).map_err(|e| CliError::io(&name, &e))
}

/// Writes a secret to a new file readable by its owner only.
pub(crate) fn write_secret(path: &Path, bytes: &[u8]) -> CliResult {
    let name = path.display().to_string();
    if let Some(parent) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
        std::fs::create_dir_all(parent).map_err(|e| CliError::io(&name, &e))?;
    }
    let mut opts = std::fs::OpenOptions::new();
    opts.write(true).create(true).truncate(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        opts.mode(0o600);
    }
    opts.open(path).and_then(|mut f| f.write_all(bytes)).map_err(|e| CliError::io(&name, &e))
}

/// Writes `text` to stdout; a closed pipe (`dpikit … | head`) ends the process quietly
/// instead of panicking.
pub(crate) fn out(text: &str) {
    let mut stdout = std::io::stdout().lock();
    if let Err(e) = stdout.write_all(text.as_bytes()).and_then(|()| stdout.flush()) {
        if e.kind() == std::io::ErrorKind::BrokenPipe {
            std::process::exit(0);
        }
    }
}

/// Prints a JSON value (pretty) or its text rendering on stdout.
pub(crate) fn emit(value: &Value, format: Format) {
    let mut text = match format {
        Format::Json => serde_json::to_string_pretty(value).unwrap_or_default(),
        Format::Text => {
            let mut text = String::new();
            render_text(value, "", &mut text);
            text
        }
    };
    if !text.ends_with('\n') {
        text.push('\n');
    }
    out(&text);
}

/// Prints a plain string (a token, a QR text) on stdout.
pub(crate) fn emit_str(text: &str) {
    out(&format!("{text}\n"));
}

fn render_text(value: &Value, indent: &str, out: &mut String) {
    use std::fmt::Write as _;
    let deeper = format!("{indent}  ");
    match value {
        Value::Object(map) => {
            for (k, v) in map {
                if matches!(v, Value::Object(_) | Value::Array(_)) {
                    let _ = writeln!(out, "{indent}{k}:");
                    render_text(v, &deeper, out);
                } else {
                    let _ = writeln!(out, "{indent}{k}: {}", scalar(v));
                }
            }
        }
        Value::Array(items) => {
            for v in items {
                match v {
                    Value::Object(map) if map.contains_key("check") => {
                        let ok = map.get("ok").and_then(Value::as_bool).unwrap_or(false);
                        let _ = writeln!(
                            out,
                            "{indent}{} {:<24} {}",
                            if ok { "ok  " } else { "FAIL" },
                            scalar(map.get("check").unwrap_or(&Value::Null)),
                            scalar(map.get("detail").unwrap_or(&Value::Null)),
                        );
                    }
                    Value::Object(_) | Value::Array(_) => {
                        let _ = writeln!(out, "{indent}-");
                        render_text(v, &deeper, out);
                    }
                    _ => {
                        let _ = writeln!(out, "{indent}- {}", scalar(v));
                    }
                }
            }
        }
        _ => {
            let _ = writeln!(out, "{indent}{}", scalar(value));
        }
    }
}

fn scalar(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

/// Whether stderr is a terminal (progress bars are drawn only then).
pub(crate) fn stderr_is_tty() -> bool {
    std::io::stderr().is_terminal()
}

/// Loads a private JWK file as a key pair.
pub(crate) fn load_key(path: &str) -> CliResult<KeyPair> {
    let bytes = read_input(Some(path))?;
    let jwk = Jwk::from_json(&bytes)?;
    if !jwk.is_private() {
        return Err(CliError::invalid(
            ErrorCode::MissingPrivateKey,
            format!("{path} holds a public key; signing needs the private JWK"),
        ));
    }
    Ok(KeyPair::from_jwk(&jwk)?)
}

/// Loads a private JWK file as a signer whose `kid` is its did:key verification method.
pub(crate) fn load_signer(path: &str) -> CliResult<WithKeyId<KeyPair>> {
    let key = load_key(path)?;
    Ok(signer_for(key))
}

/// Wraps a key pair as a signer whose `kid` is its did:key verification method.
pub(crate) fn signer_for(key: KeyPair) -> WithKeyId<KeyPair> {
    let kid = did_key_verification_method(&key.public_key());
    WithKeyId { signer: key, kid }
}

/// Loads a JWK file (public or private) as a public key.
pub(crate) fn load_public(path: &str) -> CliResult<dpikit_core::PublicKey> {
    let bytes = read_input(Some(path))?;
    let jwk = Jwk::from_json(&bytes)?;
    Ok(dpikit_core::PublicKey::from_jwk(&jwk.to_public())?)
}

/// Parses an RFC 3339 instant given on the command line.
pub(crate) fn parse_time(text: &str) -> CliResult<dpikit_core::time::Timestamp> {
    Ok(dpikit_core::time::parse_rfc3339(text)?)
}
