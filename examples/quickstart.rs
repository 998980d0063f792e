//! Quickstart: a city key, its did:key and did:jwk, a signed record, offline verification.
//!
//! Run from the repository root: `cargo run --example quickstart`.

use dpikit::did::{Resolver, StaticResolver, did_jwk, did_key_verification_method};
use dpikit::jws::{self, SignOptions, VerifyOptions, WithKeyId};
use dpikit::keys::{KeyPair, KeyType};

fn main() -> Result<(), dpikit::CoreError> {
    for key_type in [KeyType::Ed25519, KeyType::P256] {
        let key = KeyPair::generate(key_type)?;
        let public = key.public_key();
        let kid = did_key_verification_method(&public);
        println!("{key_type}: {kid}");
        println!("  did:jwk     {}", did_jwk(&public));
        println!("  thumbprint  {}", public.jwk_thumbprint());
        println!("  public JWK  {}", public.to_jwk().to_json());

        let record = br#"{"resident":"R-1024","service":"bus-pass","granted":true}"#;
        let opts = SignOptions { typ: Some("JWT".into()), ..SignOptions::default() };
        let token = jws::sign(record, &WithKeyId { signer: key, kid }, &opts)?;
        println!("  JWS         {token}");

        // A verifier holds only the token: the kid names the key, did:key resolves offline.
        let kid = jws::decode(&token, jws::DEFAULT_MAX_TOKEN_BYTES)?.header.kid.unwrap_or_default();
        let (_vm, verifying_key) = StaticResolver::new().resolve_key(&kid)?;
        let verified = jws::verify(&token, &verifying_key, &VerifyOptions::default())?;
        println!("  verified    {}", String::from_utf8_lossy(&verified.payload));
    }
    Ok(())
}
