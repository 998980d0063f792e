//! JWE interop with josekit's own API, both ways, X25519 and P-256; negative cases.
#![cfg(all(feature = "jwe", not(target_arch = "wasm32")))]
#![allow(clippy::unwrap_used, clippy::expect_used)]

use dpikit_core::ErrorCode;
use dpikit_core::keys::{KeyPair, KeyType};
use dpikit_core::time::parse_rfc3339;
use dpikit_exchange::envelope::{EnvelopeBuilder, VerifyPolicy, sign};
use dpikit_exchange::jwe::{
    RecipientCurve, RecipientKeyPair, decrypt, encrypt, open_envelope, seal_envelope,
};
use dpikit_exchange::{Registry, schemas};
use josekit::jwe::{self, ECDH_ES, ECDH_ES_A256KW, JweHeader};
use josekit::jwk::KeyPair as _;
use josekit::jwk::alg::ec::EcCurve;
use josekit::jwk::alg::ecx::EcxCurve;

const PAYLOAD: &[u8] = br#"{"residentId":"1024","familyName":"Silva"}"#;

#[test]
fn dpikit_to_josekit() {
    for curve in [RecipientCurve::X25519, RecipientCurve::P256] {
        let recipient = RecipientKeyPair::generate(curve).unwrap();
        let token = encrypt(PAYLOAD, recipient.public_jwk(), Some("application/json")).unwrap();
        // josekit, with its own decrypter built from the private JWK.
        let jwk = josekit::jwk::Jwk::from_bytes(recipient.private_jwk().as_bytes()).unwrap();
        let decrypter = ECDH_ES_A256KW.decrypter_from_jwk(&jwk).unwrap();
        let (payload, header) = jwe::deserialize_compact(&token, &decrypter).unwrap();
        assert_eq!(payload, PAYLOAD);
        assert_eq!(header.algorithm(), Some("ECDH-ES+A256KW"));
        assert_eq!(header.content_encryption(), Some("A256GCM"));
        assert_eq!(header.content_type(), Some("application/json"));
    }
}

#[test]
fn josekit_to_dpikit() {
    let x = ECDH_ES_A256KW.generate_ecx_key_pair(EcxCurve::X25519).unwrap();
    let p = ECDH_ES_A256KW.generate_ec_key_pair(EcCurve::P256).unwrap();
    let keys = [
        (x.to_jwk_public_key(), x.to_jwk_private_key()),
        (p.to_jwk_public_key(), p.to_jwk_private_key()),
    ];
    for (public, private) in keys {
        let mut header = JweHeader::new();
        header.set_content_encryption("A256GCM");
        let encrypter = ECDH_ES_A256KW.encrypter_from_jwk(&public).unwrap();
        let token = jwe::serialize_compact(PAYLOAD, &header, &encrypter).unwrap();
        assert_eq!(decrypt(&token, &private.to_string()).unwrap(), PAYLOAD);
        let recipient = RecipientKeyPair::from_private_jwk(&private.to_string()).unwrap();
        assert_eq!(decrypt(&token, &recipient.private_jwk()).unwrap(), PAYLOAD);
    }
}

#[test]
fn tampered_wrong_key_and_other_algorithms_are_refused() {
    let recipient = RecipientKeyPair::generate(RecipientCurve::X25519).unwrap();
    let token = encrypt(PAYLOAD, recipient.public_jwk(), None).unwrap();
    // Flip one ciphertext character.
    let mut parts: Vec<String> = token.split('.').map(str::to_owned).collect();
    let c = parts[3].remove(0);
    parts[3].insert(0, if c == 'A' { 'B' } else { 'A' });
    let tampered = parts.join(".");
    assert_eq!(
        decrypt(&tampered, &recipient.private_jwk()).unwrap_err().code(),
        ErrorCode::JweInvalid
    );
    let other = RecipientKeyPair::generate(RecipientCurve::X25519).unwrap();
    assert_eq!(decrypt(&token, &other.private_jwk()).unwrap_err().code(), ErrorCode::JweInvalid);
    assert_eq!(
        decrypt("a.b.c", &recipient.private_jwk()).unwrap_err().code(),
        ErrorCode::JweInvalid
    );
    // ECDH-ES direct key agreement: not accepted.
    let kp = ECDH_ES.generate_ecx_key_pair(EcxCurve::X25519).unwrap();
    let mut header = JweHeader::new();
    header.set_content_encryption("A256GCM");
    let encrypter = ECDH_ES.encrypter_from_jwk(&kp.to_jwk_public_key()).unwrap();
    let direct = jwe::serialize_compact(PAYLOAD, &header, &encrypter).unwrap();
    let err = decrypt(&direct, &kp.to_jwk_private_key().to_string()).unwrap_err();
    assert_eq!(err.code(), ErrorCode::UnsupportedJwe);
    // An Ed25519 signing key is not a recipient key.
    let ed = r#"{"kty":"OKP","crv":"Ed25519","x":"11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo"}"#;
    assert_eq!(encrypt(PAYLOAD, ed, None).unwrap_err().code(), ErrorCode::UnsupportedJwe);
    assert_eq!(encrypt(PAYLOAD, "{", None).unwrap_err().code(), ErrorCode::MalformedJson);
    let huge = "a".repeat(5 << 20);
    assert_eq!(
        decrypt(&huge, &recipient.private_jwk()).unwrap_err().code(),
        ErrorCode::InputTooLarge
    );
    assert!(!format!("{recipient:?}").contains("\"d\""));
}

#[test]
fn encrypted_signed_envelope_round_trip() {
    let registry = Registry::with_builtin().unwrap();
    let schema = registry.resolve(schemas::SENSOR_OBSERVATION, None).unwrap();
    let t = parse_rfc3339("2026-03-01T10:00:05Z").unwrap();
    let data: serde_json::Value = serde_json::from_str(
        r#"{"id":"urn:ngsi-ld:SensorObservation:1","type":"SensorObservation","dateObserved":"2026-03-01T10:00:00Z","no2":22.5}"#,
    )
    .unwrap();
    let envelope = EnvelopeBuilder::new(
        "https://env.city.example",
        "org.dpikit.SensorObservation",
        schema,
        data,
    )
    .time(t)
    .build(&registry)
    .unwrap();
    let sender = KeyPair::generate(KeyType::P256).unwrap();
    let signed = sign(&envelope, &sender, false).unwrap();
    for curve in [RecipientCurve::X25519, RecipientCurve::P256] {
        let recipient = RecipientKeyPair::generate(curve).unwrap();
        let sealed = seal_envelope(&signed, recipient.public_jwk()).unwrap();
        let opened = open_envelope(
            &sealed,
            &recipient.private_jwk(),
            &sender.public_key(),
            &registry,
            &VerifyPolicy::at(t),
        )
        .unwrap();
        assert_eq!(opened.envelope, envelope);
        // Encrypted without the envelope cty: refused.
        let plain = encrypt(signed.token.as_bytes(), recipient.public_jwk(), None).unwrap();
        let err = open_envelope(
            &plain,
            &recipient.private_jwk(),
            &sender.public_key(),
            &registry,
            &VerifyPolicy::at(t),
        )
        .unwrap_err();
        assert_eq!(err.code(), ErrorCode::MalformedEnvelope);
    }
    let detached = sign(&envelope, &sender, true).unwrap();
    let recipient = RecipientKeyPair::generate(RecipientCurve::X25519).unwrap();
    assert_eq!(
        seal_envelope(&detached, recipient.public_jwk()).unwrap_err().code(),
        ErrorCode::MalformedEnvelope
    );
}
