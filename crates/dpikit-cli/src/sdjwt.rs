//! `dpikit sdjwt`: issue, present and verify SD-JWT / SD-JWT VC.

use clap::Subcommand;
use serde_json::{Value, json};

use dpikit_credentials::sdjwt::{self, IssueOptions, SdJwt, SdJwtVerifyOptions};

use crate::error::CliResult;
use crate::io::{
    Format, emit, emit_str, load_public, load_signer, parse, parse_time, read_input, read_token,
};

/// `dpikit sdjwt …`
#[derive(Debug, Subcommand)]
pub(crate) enum SdJwtCmd {
    /// Issues an SD-JWT (an SD-JWT VC when the claims carry `vct`) with chosen claims
    /// selectively disclosable.
    Issue {
        /// The issuer's private JWK file.
        #[arg(long)]
        key: String,
        /// A JSON Pointer of a disclosable claim (object member or array element); repeatable.
        #[arg(long = "disclose", value_name = "POINTER")]
        disclose: Vec<String>,
        /// The holder's JWK file, bound as `cnf.jwk` for key binding.
        #[arg(long)]
        holder_jwk: Option<String>,
        /// Decoy digests per `_sd` array.
        #[arg(long, default_value_t = 0)]
        decoys: usize,
        /// The claims JSON file, or `-` for stdin.
        claims: Option<String>,
    },
    /// Presents a subset of the disclosures, optionally with a key-binding JWT.
    Present {
        /// A JSON Pointer of a claim to reveal; repeatable.
        #[arg(long = "reveal", value_name = "POINTER")]
        reveal: Vec<String>,
        /// The holder's private JWK file: adds a KB-JWT (needs --nonce and --aud).
        #[arg(long, requires_all = ["nonce", "aud"])]
        holder_key: Option<String>,
        /// The verifier's nonce.
        #[arg(long)]
        nonce: Option<String>,
        /// The verifier (the KB-JWT `aud`).
        #[arg(long)]
        aud: Option<String>,
        /// The SD-JWT, a file holding it, or `-` for stdin.
        sd_jwt: Option<String>,
    },
    /// Verifies an SD-JWT and prints the processed claims; exits 1 when it does not verify.
    Verify {
        /// The issuer's JWK file (else the `kid` must be a did:key or did:jwk naming `iss`).
        #[arg(long)]
        issuer_jwk: Option<String>,
        /// Require a key-binding JWT with this nonce (and --aud).
        #[arg(long, requires = "aud")]
        nonce: Option<String>,
        /// The audience the key-binding JWT must name.
        #[arg(long, requires = "nonce")]
        aud: Option<String>,
        /// Verify as an SD-JWT VC (`typ` `dc+sd-jwt` or `vc+sd-jwt`, `vct` required).
        #[arg(long)]
        vc: bool,
        /// Verify as of this instant (RFC 3339) instead of now.
        #[arg(long)]
        at: Option<String>,
        /// The SD-JWT, a file holding it, or `-` for stdin.
        sd_jwt: Option<String>,
    },
}

/// Runs `dpikit sdjwt …`.
pub(crate) fn run(cmd: SdJwtCmd, format: Format) -> CliResult<bool> {
    match cmd {
        SdJwtCmd::Issue { key, disclose, holder_jwk, decoys, claims } => {
            let signer = load_signer(&key)?;
            let claims = parse(&read_input(claims.as_deref())?)?;
            let holder_key = holder_jwk.as_deref().map(load_public).transpose()?;
            let options = IssueOptions { decoys, holder_key, ..IssueOptions::default() };
            let pointers: Vec<&str> = disclose.iter().map(String::as_str).collect();
            let issued = if claims.get("vct").is_some() {
                sdjwt::issue_vc(&claims, &pointers, &signer, &options)?
            } else {
                sdjwt::issue(&claims, &pointers, &signer, &options)?
            };
            emit_str(&issued.to_string());
            Ok(true)
        }
        SdJwtCmd::Present { reveal, holder_key, nonce, aud, sd_jwt } => {
            let full = SdJwt::parse(&read_token(sd_jwt.as_deref())?)?;
            let pointers: Vec<&str> = reveal.iter().map(String::as_str).collect();
            let mut presented = full.present(&pointers)?;
            if let (Some(key), Some(nonce), Some(aud)) = (holder_key, nonce, aud) {
                let holder = load_signer(&key)?;
                presented =
                    presented.bind(&holder, &aud, &nonce, chrono::Utc::now().timestamp())?;
            }
            emit_str(&presented.to_string());
            Ok(true)
        }
        SdJwtCmd::Verify { issuer_jwk, nonce, aud, vc, at, sd_jwt } => {
            let mut options = SdJwtVerifyOptions::default();
            if let Some(jwk) = issuer_jwk {
                options = options.with_issuer_key(load_public(&jwk)?);
            }
            if let (Some(nonce), Some(aud)) = (nonce, aud) {
                options = options.with_key_binding(nonce, aud);
            }
            if vc {
                options = options.vc();
            }
            if let Some(at) = at {
                options = options.at(parse_time(&at)?);
            }
            let verified = sdjwt::verify(&read_token(sd_jwt.as_deref())?, &options)?;
            let key_binding = verified
                .key_binding
                .as_ref()
                .map(|kb| json!({"audience": kb.audience, "nonce": kb.nonce, "iat": kb.iat}));
            emit(
                &json!({
                    "verified": true,
                    "claims": verified.claims,
                    "disclosures": verified.disclosures.len(),
                    "key_binding": key_binding.unwrap_or(Value::Null),
                }),
                format,
            );
            Ok(true)
        }
    }
}
