//! `dpikit key`, `dpikit did`, `dpikit jws`.

use std::path::PathBuf;

use clap::{Subcommand, ValueEnum};
use serde_json::{Value, json};

use dpikit_core::ErrorCode;
use dpikit_core::did::{
    DidDocument, Resolver, StaticResolver, did_jwk, did_key, did_key_verification_method,
};
use dpikit_core::jws::{self, SignOptions, VerifyOptions};
use dpikit_core::keys::{KeyPair, KeyType, PublicKey};

use crate::error::{CliError, CliResult};
use crate::io::{
    Format, emit, emit_str, load_public, load_signer, read_input, read_token, write_secret,
};

/// Key algorithms `key new` generates.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub(crate) enum Alg {
    /// Ed25519 (EdDSA).
    Ed25519,
    /// NIST P-256 (ES256).
    P256,
}

/// `dpikit key …`
#[derive(Debug, Subcommand)]
pub(crate) enum KeyCmd {
    /// Generates a key pair; writes the private JWK to --out (mode 0600) or prints it.
    New {
        /// The key algorithm.
        #[arg(long, value_enum, default_value = "ed25519")]
        alg: Alg,
        /// Where to write the private JWK; without it the private JWK is printed.
        #[arg(long)]
        out: Option<PathBuf>,
    },
    /// Shows a key file's public JWK, did:key, did:jwk and thumbprint.
    Show {
        /// A JWK file.
        file: String,
        /// Also print the private JWK.
        #[arg(long)]
        private: bool,
    },
}

/// `dpikit did …`
#[derive(Debug, Subcommand)]
pub(crate) enum DidCmd {
    /// Resolves a DID offline (did:key, did:jwk, or a document given with --did-doc).
    Resolve {
        /// The DID (or DID URL) to resolve.
        did: String,
        /// A DID document to resolve from (e.g. a did:web document); repeatable.
        #[arg(long = "did-doc", value_name = "FILE")]
        did_docs: Vec<String>,
    },
}

/// `dpikit jws …`
#[derive(Debug, Subcommand)]
pub(crate) enum JwsCmd {
    /// Signs a payload into a compact JWS (kid = the key's did:key verification method).
    Sign {
        /// The private JWK file.
        #[arg(long)]
        key: String,
        /// Leave the payload out of the token (RFC 7515 Appendix F).
        #[arg(long)]
        detached: bool,
        /// The `typ` header.
        #[arg(long)]
        typ: Option<String>,
        /// The payload file, or `-` for stdin.
        payload: Option<String>,
    },
    /// Verifies a compact JWS with a JWK and prints its header and payload.
    Verify {
        /// The signer's JWK file (public or private).
        #[arg(long)]
        jwk: String,
        /// The payload file of a detached JWS.
        #[arg(long)]
        payload: Option<String>,
        /// The token, a file holding it, or `-` for stdin.
        token: Option<String>,
    },
}

fn public_view(public: &PublicKey) -> Value {
    json!({
        "type": public.key_type().name(),
        "alg": public.algorithm().jose_name(),
        "did": did_key(public),
        "kid": did_key_verification_method(public),
        "didJwk": did_jwk(public),
        "multikey": public.to_multikey(),
        "thumbprint": public.jwk_thumbprint(),
        "publicJwk": serde_json::from_str::<Value>(&public.to_jwk().to_json()).unwrap_or(Value::Null),
    })
}

/// Runs `dpikit key …`.
pub(crate) fn run_key(cmd: KeyCmd, format: Format) -> CliResult {
    match cmd {
        KeyCmd::New { alg, out } => {
            let key_type = match alg {
                Alg::Ed25519 => KeyType::Ed25519,
                Alg::P256 => KeyType::P256,
            };
            let key = KeyPair::generate(key_type)?;
            let private = key.to_private_jwk().to_json();
            match out {
                Some(path) => {
                    write_secret(&path, private.as_bytes())?;
                    let mut view = public_view(&key.public_key());
                    view["file"] = json!(path.display().to_string());
                    emit(&view, format);
                }
                None => emit_str(&private),
            }
            Ok(())
        }
        KeyCmd::Show { file, private } => {
            let bytes = read_input(Some(&file))?;
            let jwk = dpikit_core::keys::Jwk::from_json(&bytes)?;
            let public = PublicKey::from_jwk(&jwk.to_public())?;
            let mut view = public_view(&public);
            if private {
                if !jwk.is_private() {
                    return Err(CliError::invalid(
                        ErrorCode::MissingPrivateKey,
                        "the file holds no private key",
                    ));
                }
                view["privateJwk"] = serde_json::from_str(&jwk.to_json())?;
            }
            emit(&view, format);
            Ok(())
        }
    }
}

/// Builds a resolver holding the given DID documents (did:key and did:jwk always resolve).
pub(crate) fn resolver_with(did_docs: &[String]) -> CliResult<StaticResolver> {
    let mut resolver = StaticResolver::new();
    for path in did_docs {
        resolver.insert(DidDocument::from_json(&read_input(Some(path))?)?);
    }
    Ok(resolver)
}

/// Runs `dpikit did …`.
pub(crate) fn run_did(cmd: DidCmd, format: Format) -> CliResult {
    let DidCmd::Resolve { did, did_docs } = cmd;
    let resolver = resolver_with(&did_docs)?;
    let did_only = did.split('#').next().unwrap_or_default();
    let doc = resolver.resolve(did_only)?;
    emit(&doc.to_json_value(), format);
    Ok(())
}

/// Runs `dpikit jws …`; a JWS that fails to verify exits 1.
pub(crate) fn run_jws(cmd: JwsCmd, format: Format) -> CliResult {
    match cmd {
        JwsCmd::Sign { key, detached, typ, payload } => {
            let signer = load_signer(&key)?;
            let payload = read_input(payload.as_deref())?;
            let opts = SignOptions { typ, detached, ..SignOptions::default() };
            emit_str(&jws::sign(&payload, &signer, &opts)?);
            Ok(())
        }
        JwsCmd::Verify { jwk, payload, token } => {
            let public = load_public(&jwk)?;
            let token = read_token(token.as_deref())?;
            let detached = payload.as_deref().map(|p| read_input(Some(p))).transpose()?;
            let opts =
                VerifyOptions { detached_payload: detached.as_deref(), ..VerifyOptions::default() };
            let verified = jws::verify(&token, &public, &opts)?;
            let payload = match serde_json::from_slice::<Value>(&verified.payload) {
                Ok(v) => v,
                Err(_) => Value::String(String::from_utf8_lossy(&verified.payload).into_owned()),
            };
            let header = serde_json::to_value(&verified.header)?;
            emit(&json!({"verified": true, "header": header, "payload": payload}), format);
            Ok(())
        }
    }
}
