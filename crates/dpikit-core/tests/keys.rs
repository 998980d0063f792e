//! Keys: the vc-di-eddsa key pair through Multikey and JWK, RFC 8037 JWKs and thumbprint,
//! P-256 round trips, and secret hygiene.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use dpikit_core::keys::{Jwk, KeyPair, KeyType, PublicKey};
use dpikit_core::{ErrorCode, parse_json};
use dpikit_testkit::read_vector;

fn json(domain: &str, file: &str) -> Option<serde_json::Value> {
    read_vector(domain, file).map(|b| parse_json(&b, &dpikit_core::Limits::default()).unwrap())
}

#[test]
fn eddsa_vector_key_pair_round_trips_through_multikey_and_jwk() {
    let Some(kp) = json("vc/eddsa", "keyPair.json") else { return };
    let public_mb = kp["publicKeyMultibase"].as_str().unwrap();
    let private_mb = kp["privateKeyMultibase"].as_str().unwrap();

    let key = KeyPair::from_private_multikey(private_mb).unwrap();
    assert_eq!(key.key_type(), KeyType::Ed25519);
    assert_eq!(key.public_key().to_multikey(), public_mb);
    assert_eq!(key.to_private_multikey().as_str(), private_mb);
    assert_eq!(
        hex::encode(key.public_key().to_bytes()),
        "b00d8d938e7f773d51565aad36a623f5344f7f5d1960f9cf3e8e12620ea2810f",
        "raw public key named in PROVENANCE.md"
    );
    let public = PublicKey::from_multikey(public_mb).unwrap();
    assert_eq!(public, key.public_key());

    // JWK: public and private round trips.
    let jwk = key.to_private_jwk();
    let text = jwk.to_json();
    let back = KeyPair::from_jwk(&Jwk::from_json(text.as_bytes()).unwrap()).unwrap();
    assert_eq!(back, key);
    let pub_jwk = public.to_jwk();
    assert!(!pub_jwk.is_private());
    assert_eq!(PublicKey::from_jwk(&pub_jwk).unwrap(), public);
    assert_eq!(PublicKey::from_multikey(&back.public_key().to_multikey()).unwrap(), public);
}

#[test]
fn rfc8037_private_jwk_derives_public_and_thumbprint() {
    let Some(a1) = read_vector("vc/rfc8037", "A.1-private-jwk.json") else { return };
    let a2 = read_vector("vc/rfc8037", "A.2-public-jwk.json").unwrap();
    let a3 = json("vc/rfc8037", "A.3-jwk-thumbprint.json").unwrap();

    let key = KeyPair::from_jwk(&Jwk::from_json(&a1).unwrap()).unwrap();
    let public = PublicKey::from_jwk(&Jwk::from_json(&a2).unwrap()).unwrap();
    assert_eq!(key.public_key(), public);
    assert_eq!(public.to_jwk().thumbprint_input(), a3["jwk_thumbprint_input"].as_str().unwrap());
    assert_eq!(public.jwk_thumbprint(), a3["thumbprint_b64url"].as_str().unwrap());
    // RFC 8032 §7.1 TEST 1 key.
    assert_eq!(
        hex::encode(key.secret_bytes().as_slice()),
        "9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60"
    );
}

#[test]
fn p256_round_trips_through_jwk_multikey_and_bytes() {
    let key = KeyPair::generate(KeyType::P256).unwrap();
    let public = key.public_key();
    assert!(public.to_multikey().starts_with("zDn"), "{}", public.to_multikey());
    assert_eq!(public.to_bytes().len(), 33);
    assert_eq!(PublicKey::from_multikey(&public.to_multikey()).unwrap(), public);
    assert_eq!(PublicKey::from_jwk(&public.to_jwk()).unwrap(), public);
    assert_eq!(KeyPair::from_jwk(&key.to_private_jwk()).unwrap(), key);
    assert_eq!(KeyPair::from_private_multikey(&key.to_private_multikey()).unwrap(), key);
    let sig = key.sign(b"city").unwrap();
    assert_eq!(sig.len(), 64);
    public.verify(b"city", &sig).unwrap();
    assert_eq!(public.verify(b"town", &sig).unwrap_err().code(), ErrorCode::InvalidSignature);
    assert_eq!(
        public.verify(b"city", &sig[..63]).unwrap_err().code(),
        ErrorCode::MalformedSignature
    );
}

#[test]
fn secrets_are_not_printed_or_serialized_by_default() {
    let key = KeyPair::from_secret_bytes(KeyType::Ed25519, &[0x42; 32]).unwrap();
    let d = key.to_private_jwk().d.unwrap();
    let debug = format!("{key:?} {:?}", key.to_private_jwk());
    assert!(!debug.contains(d.as_str()), "{debug}");
    assert!(debug.contains("redacted"));
    assert!(!key.public_key().to_jwk().to_json().contains("\"d\""));
    assert!(key.to_private_jwk().to_json().contains("\"d\""));
}

#[test]
fn bad_keys_are_typed_errors() {
    let cases: &[(&str, ErrorCode)] = &[
        (r#"{"kty":"OKP","crv":"Ed25519"}"#, ErrorCode::InvalidJwk),
        (r#"{"kty":"OKP","crv":"Ed25519","x":"AAAA"}"#, ErrorCode::InvalidJwk),
        (
            r#"{"kty":"OKP","crv":"X25519","x":"11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo"}"#,
            ErrorCode::UnsupportedKeyType,
        ),
        (r#"{"kty":"RSA","n":"AQAB","e":"AQAB"}"#, ErrorCode::UnsupportedKeyType),
        (
            r#"{"kty":"EC","crv":"P-256","x":"AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA","y":"AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"}"#,
            ErrorCode::InvalidJwk,
        ),
        (r#"{"kty":"OKP","kty":"OKP","crv":"Ed25519"}"#, ErrorCode::DuplicateKey),
        (r#"{"kty":1}"#, ErrorCode::InvalidJwk),
    ];
    for (text, code) in cases {
        let got = Jwk::from_json(text.as_bytes()).and_then(|j| PublicKey::from_jwk(&j));
        assert_eq!(got.unwrap_err().code(), *code, "{text}");
    }
    // A private JWK whose d does not match x.
    let mut jwk = KeyPair::generate(KeyType::Ed25519).unwrap().to_private_jwk();
    jwk.x = KeyPair::generate(KeyType::Ed25519).unwrap().public_key().to_jwk().x;
    assert_eq!(KeyPair::from_jwk(&jwk).unwrap_err().code(), ErrorCode::InvalidJwk);
    assert_eq!(
        KeyPair::from_jwk(&jwk.to_public()).unwrap_err().code(),
        ErrorCode::MissingPrivateKey
    );
    assert_eq!(PublicKey::from_multikey("f00").unwrap_err().code(), ErrorCode::InvalidMultibase);
    assert_eq!(PublicKey::from_multikey("z0OIl").unwrap_err().code(), ErrorCode::InvalidMultibase);
    assert_eq!(
        PublicKey::from_multikey("z111111").unwrap_err().code(),
        ErrorCode::UnsupportedMulticodec
    );
    // A private-key prefix is not a public key.
    assert_eq!(
        PublicKey::from_multikey("z3u2en7t5LR2WtQH5PfFqMqwVHBeXouLzo6haApm8XHqvjxq")
            .unwrap_err()
            .code(),
        ErrorCode::UnsupportedMulticodec
    );
    assert_eq!(
        KeyPair::from_secret_bytes(KeyType::P256, &[0u8; 32]).unwrap_err().code(),
        ErrorCode::InvalidKey
    );
    assert_eq!(
        KeyPair::from_secret_bytes(KeyType::P256, &[0xff; 32]).unwrap_err().code(),
        ErrorCode::InvalidKey
    );
    assert_eq!(
        KeyPair::from_secret_bytes(KeyType::Ed25519, &[1; 31]).unwrap_err().code(),
        ErrorCode::InvalidKey
    );
}

#[test]
fn generated_keys_differ_and_compare_by_secret() {
    let a = KeyPair::generate(KeyType::Ed25519).unwrap();
    let b = KeyPair::generate(KeyType::Ed25519).unwrap();
    assert_ne!(a, b);
    assert_eq!(a.clone(), a);
}
