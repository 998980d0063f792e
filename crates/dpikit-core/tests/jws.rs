//! JWS: RFC 8037 A.4 with the A.2 key, every flipped byte, detached and unencoded payloads,
//! and the attacks a verifier must refuse, each with its own code.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use dpikit_core::encoding::b64url_encode;
use dpikit_core::jws::{self, SignOptions, VerifyOptions, WithKeyId};
use dpikit_core::keys::{Jwk, KeyPair, KeyType, PublicKey};
use dpikit_core::{Algorithm, ErrorCode};
use dpikit_testkit::read_vector;

/// RFC 8037 Appendix A.4: the JWS of "Example of Ed25519 signing" with the A.1 key.
const RFC8037_A4: &str = "eyJhbGciOiJFZERTQSJ9.RXhhbXBsZSBvZiBFZDI1NTE5IHNpZ25pbmc.hgyY0il_MGCjP0JzlnLWG1PPOt7-09PGcvMg3AIbQR6dWbhijcNR4ki4iylGjg5BhVsPt9g7sVvpAr_MuM0KAg";

fn rfc8037_keys() -> Option<(KeyPair, PublicKey)> {
    let a1 = read_vector("vc/rfc8037", "A.1-private-jwk.json")?;
    let a2 = read_vector("vc/rfc8037", "A.2-public-jwk.json")?;
    Some((
        KeyPair::from_jwk(&Jwk::from_json(&a1).unwrap()).unwrap(),
        PublicKey::from_jwk(&Jwk::from_json(&a2).unwrap()).unwrap(),
    ))
}

fn code(r: Result<jws::VerifiedJws, dpikit_core::CoreError>) -> ErrorCode {
    r.unwrap_err().code()
}

#[test]
fn rfc8037_a4_verifies_and_signing_reproduces_it() {
    let Some((key, public)) = rfc8037_keys() else { return };
    let v = jws::verify(RFC8037_A4, &public, &VerifyOptions::default()).unwrap();
    assert_eq!(v.payload, b"Example of Ed25519 signing");
    assert_eq!(v.header.alg, "EdDSA");
    // Ed25519 is deterministic: the A.1 key reproduces the A.4 token exactly.
    let token = jws::sign(b"Example of Ed25519 signing", &key, &SignOptions::default()).unwrap();
    assert_eq!(token, RFC8037_A4);
}

#[test]
fn rfc8037_a4_any_flipped_byte_fails_with_its_segment_code() {
    let Some((_, public)) = rfc8037_keys() else { return };
    let dots: Vec<usize> = RFC8037_A4.match_indices('.').map(|(i, _)| i).collect();
    for i in 0..RFC8037_A4.len() {
        let mut bytes = RFC8037_A4.as_bytes().to_vec();
        bytes[i] ^= 0x01;
        let Ok(token) = String::from_utf8(bytes) else { continue };
        let got = code(jws::verify(&token, &public, &VerifyOptions::default()));
        let allowed: &[ErrorCode] = if dots.contains(&i) {
            &[ErrorCode::MalformedJws, ErrorCode::InvalidBase64]
        } else if i < dots[0] {
            // Header: broken base64, broken JSON, another alg, or a different signing input.
            &[
                ErrorCode::InvalidBase64,
                ErrorCode::InvalidUtf8,
                ErrorCode::MalformedJson,
                ErrorCode::MalformedJws,
                ErrorCode::UnsupportedAlgorithm,
                ErrorCode::InvalidSignature,
            ]
        } else {
            // Payload or signature.
            &[ErrorCode::InvalidSignature, ErrorCode::InvalidBase64]
        };
        assert!(allowed.contains(&got), "byte {i}: {got:?}");
    }
}

#[test]
fn both_algorithms_round_trip_with_kid_typ_and_detached_payload() {
    for kt in [KeyType::Ed25519, KeyType::P256] {
        let key = KeyPair::generate(kt).unwrap();
        let signer = WithKeyId { signer: key.clone(), kid: "did:example:city#k1".into() };
        let opts = SignOptions { typ: Some("JWT".into()), ..SignOptions::default() };
        let token = jws::sign(b"{\"a\":1}", &signer, &opts).unwrap();
        let v = jws::verify(&token, &key.public_key(), &VerifyOptions::default()).unwrap();
        assert_eq!(v.header.kid.as_deref(), Some("did:example:city#k1"));
        assert_eq!(v.header.typ.as_deref(), Some("JWT"));
        assert_eq!(v.header.alg, kt.algorithm().jose_name());

        let detached =
            jws::sign(b"payload", &key, &SignOptions { detached: true, ..SignOptions::default() })
                .unwrap();
        assert!(detached.contains(".."));
        let opts = VerifyOptions { detached_payload: Some(b"payload"), ..VerifyOptions::default() };
        assert_eq!(jws::verify(&detached, &key.public_key(), &opts).unwrap().payload, b"payload");
        let wrong =
            VerifyOptions { detached_payload: Some(b"payloaD"), ..VerifyOptions::default() };
        assert_eq!(
            code(jws::verify(&detached, &key.public_key(), &wrong)),
            ErrorCode::InvalidSignature
        );
        // A detached payload offered for an attached JWS is refused.
        assert_eq!(code(jws::verify(&token, &key.public_key(), &opts)), ErrorCode::PayloadMismatch);
    }
}

#[test]
fn unencoded_payload_rfc7797() {
    let key = KeyPair::generate(KeyType::Ed25519).unwrap();
    let payload = b"$.02";
    let opts = SignOptions { unencoded: true, detached: true, ..SignOptions::default() };
    let token = jws::sign(payload, &key, &opts).unwrap();
    let header = token.split('.').next().unwrap();
    let header_json = dpikit_core::encoding::b64url_decode(header).unwrap();
    assert_eq!(header_json, br#"{"alg":"EdDSA","b64":false,"crit":["b64"]}"#);
    let vo = VerifyOptions { detached_payload: Some(payload), ..VerifyOptions::default() };
    assert_eq!(jws::verify(&token, &key.public_key(), &vo).unwrap().payload, payload);
    // Attached unencoded payload with a '.' cannot be represented.
    let attached = SignOptions { unencoded: true, ..SignOptions::default() };
    assert_eq!(jws::sign(payload, &key, &attached).unwrap_err().code(), ErrorCode::PayloadMismatch);
    let token = jws::sign(b"no dots", &key, &attached).unwrap();
    assert_eq!(
        jws::verify(&token, &key.public_key(), &VerifyOptions::default()).unwrap().payload,
        b"no dots"
    );
}

/// Builds a token with an arbitrary header, signed by `key` over the standard input.
fn forge(header: &str, payload: &[u8], key: &KeyPair) -> String {
    let h = b64url_encode(header.as_bytes());
    let p = b64url_encode(payload);
    let sig = key.sign(format!("{h}.{p}").as_bytes()).unwrap();
    format!("{h}.{p}.{}", b64url_encode(&sig))
}

#[test]
fn hostile_tokens_are_refused_with_their_own_codes() {
    let ed = KeyPair::generate(KeyType::Ed25519).unwrap();
    let p256 = KeyPair::generate(KeyType::P256).unwrap();
    let vo = VerifyOptions::default();
    let good = jws::sign(b"x", &ed, &SignOptions::default()).unwrap();
    let (h, rest) = good.split_once('.').unwrap();
    let (p, s) = rest.split_once('.').unwrap();

    // alg none, with and without a signature.
    // The unsecured form (empty signature, RFC 7519 §6) gets its own code too.
    let none = format!("{}.{p}.", b64url_encode(br#"{"alg":"none"}"#));
    assert_eq!(code(jws::verify(&none, &ed.public_key(), &vo)), ErrorCode::AlgNone);
    let none = format!("{}.{p}.{s}", b64url_encode(br#"{"alg":"none"}"#));
    assert_eq!(code(jws::verify(&none, &ed.public_key(), &vo)), ErrorCode::AlgNone);
    let none = format!("{}.{p}.{s}", b64url_encode(br#"{"alg":"NONE"}"#));
    assert_eq!(code(jws::verify(&none, &ed.public_key(), &vo)), ErrorCode::AlgNone);
    // alg confusion: an EdDSA header checked against a P-256 key, and the reverse.
    assert_eq!(code(jws::verify(&good, &p256.public_key(), &vo)), ErrorCode::AlgKeyMismatch);
    let es = jws::sign(b"x", &p256, &SignOptions::default()).unwrap();
    assert_eq!(code(jws::verify(&es, &ed.public_key(), &vo)), ErrorCode::AlgKeyMismatch);
    let forged = forge(r#"{"alg":"ES256"}"#, b"x", &ed);
    assert_eq!(code(jws::verify(&forged, &ed.public_key(), &vo)), ErrorCode::AlgKeyMismatch);
    let hs = forge(r#"{"alg":"HS256"}"#, b"x", &ed);
    assert_eq!(code(jws::verify(&hs, &ed.public_key(), &vo)), ErrorCode::UnsupportedAlgorithm);
    let strict = VerifyOptions { expected_alg: Some(Algorithm::Es256), ..VerifyOptions::default() };
    assert_eq!(
        code(jws::verify(&good, &ed.public_key(), &strict)),
        ErrorCode::UnsupportedAlgorithm
    );
    // Truncated signatures.
    let truncated = &good[..good.len() - 2]; // 84 base64url characters: 63 bytes
    assert_eq!(code(jws::verify(truncated, &ed.public_key(), &vo)), ErrorCode::MalformedSignature);
    let short = format!("{h}.{p}.{}", b64url_encode(&[1u8; 63]));
    assert_eq!(code(jws::verify(&short, &ed.public_key(), &vo)), ErrorCode::MalformedSignature);
    let short = format!("{}.{}", &es[..es.rfind('.').unwrap()], b64url_encode(&[1u8; 32]));
    assert_eq!(code(jws::verify(&short, &p256.public_key(), &vo)), ErrorCode::MalformedSignature);
    // Segments and trailing garbage.
    for bad in [
        format!("{good}."),
        format!("{good}.x"),
        format!("{h}.{p}"),
        String::new(),
        format!(".{p}.{s}"),
    ] {
        assert_eq!(
            code(jws::verify(&bad, &ed.public_key(), &vo)),
            ErrorCode::MalformedJws,
            "{bad}"
        );
    }
    for bad in [format!("{good}="), format!("{good} "), format!("{h}.{p}+.{s}"), format!(" {good}")]
    {
        assert_eq!(
            code(jws::verify(&bad, &ed.public_key(), &vo)),
            ErrorCode::InvalidBase64,
            "{bad}"
        );
    }
    // Duplicate header members, non-object header, deep header.
    let dup = forge(r#"{"alg":"EdDSA","alg":"EdDSA"}"#, b"x", &ed);
    assert_eq!(code(jws::verify(&dup, &ed.public_key(), &vo)), ErrorCode::DuplicateKey);
    let arr = forge(r#"["EdDSA"]"#, b"x", &ed);
    assert_eq!(code(jws::verify(&arr, &ed.public_key(), &vo)), ErrorCode::MalformedJws);
    let deep = format!(r#"{{"alg":"EdDSA","x":{}1{}}}"#, "[".repeat(10_000), "]".repeat(10_000));
    assert_eq!(
        code(jws::verify(&forge(&deep, b"x", &ed), &ed.public_key(), &vo)),
        ErrorCode::NestingTooDeep
    );
    let deep = format!(r#"{{"alg":"EdDSA","x":{}1{}}}"#, "[".repeat(40_000), "]".repeat(40_000));
    assert_eq!(
        code(jws::verify(&forge(&deep, b"x", &ed), &ed.public_key(), &vo)),
        ErrorCode::InputTooLarge
    );
    let deep = format!(r#"{{"alg":"EdDSA","x":{}1{}}}"#, "[".repeat(100), "]".repeat(100));
    assert_eq!(
        code(jws::verify(&forge(&deep, b"x", &ed), &ed.public_key(), &vo)),
        ErrorCode::NestingTooDeep
    );
    // crit games.
    for (header, expect) in [
        (r#"{"alg":"EdDSA","crit":["exp"],"exp":1}"#, ErrorCode::UnknownCritical),
        (r#"{"alg":"EdDSA","crit":[]}"#, ErrorCode::UnknownCritical),
        (r#"{"alg":"EdDSA","crit":["alg"]}"#, ErrorCode::UnknownCritical),
        (r#"{"alg":"EdDSA","crit":["b64"]}"#, ErrorCode::UnknownCritical),
        (r#"{"alg":"EdDSA","b64":false}"#, ErrorCode::UnknownCritical),
        (r#"{"alg":"EdDSA","b64":true,"crit":["b64","b64"]}"#, ErrorCode::UnknownCritical),
        (r#"{"alg":"EdDSA","crit":"b64","b64":true}"#, ErrorCode::MalformedJws),
    ] {
        let t = forge(header, b"x", &ed);
        assert_eq!(code(jws::verify(&t, &ed.public_key(), &vo)), expect, "{header}");
    }
    // Oversize input: 10 MiB.
    let huge = format!("{h}.{}.{s}", "A".repeat(10 << 20));
    assert_eq!(code(jws::verify(&huge, &ed.public_key(), &vo)), ErrorCode::InputTooLarge);
    // Wrong key.
    let other = KeyPair::generate(KeyType::Ed25519).unwrap();
    assert_eq!(code(jws::verify(&good, &other.public_key(), &vo)), ErrorCode::InvalidSignature);
}
