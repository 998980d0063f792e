//! Core: JSON intake, JCS, JWS, JWK, DIDs, encodings, time.

use dpikit_core::did::{Resolver as _, StaticResolver, did_jwk, did_key};
use dpikit_core::encoding::{b64url_decode, b64url_encode, hex_encode, multibase_decode};
use dpikit_core::jws::{self, SignOptions, VerifyOptions};
use dpikit_core::keys::{Jwk, KeyPair, KeyType, PublicKey};
use dpikit_core::time::{format_rfc3339, parse_rfc3339};
use dpikit_core::{ErrorCode, Limits, jcs, parse_json};
use serde_json::{Value, json};

use crate::{Case, Outcome, battery_cases, bytes, case, data, err, ok, param, repeat, text};

/// The fixed Ed25519 issuer key of the corpus.
pub(crate) fn ed_key() -> KeyPair {
    #[allow(clippy::expect_used)] // A fixed 32-byte secret is always a valid Ed25519 key.
    KeyPair::from_secret_bytes(KeyType::Ed25519, &[7; 32]).expect("fixed Ed25519 key")
}

/// Another Ed25519 key (the "wrong key").
pub(crate) fn other_ed_key() -> KeyPair {
    #[allow(clippy::expect_used)] // As above.
    KeyPair::from_secret_bytes(KeyType::Ed25519, &[8; 32]).expect("fixed Ed25519 key")
}

/// The fixed P-256 key of the corpus.
pub(crate) fn p256_key() -> KeyPair {
    #[allow(clippy::expect_used)] // [9; 32] is below the P-256 group order.
    KeyPair::from_secret_bytes(KeyType::P256, &[9; 32]).expect("fixed P-256 key")
}

/// Signs `payload` as a compact JWS (deterministic: Ed25519, and RFC 6979 for P-256).
pub(crate) fn sign(payload: &[u8], key: &KeyPair, opts: &SignOptions) -> String {
    #[allow(clippy::expect_used)] // Signing with a fixed key cannot fail.
    jws::sign(payload, key, opts).expect("sign")
}

/// A compact JWS with a hand-made header and signature segment.
pub(crate) fn forge(header: &Value, payload: &[u8], signature: &[u8]) -> String {
    format!(
        "{}.{}.{}",
        b64url_encode(header.to_string().as_bytes()),
        b64url_encode(payload),
        b64url_encode(signature)
    )
}

/// Re-signs a token's header and payload segments with `key` (for headers `jws::sign` refuses).
pub(crate) fn resign(header: &Value, payload: &[u8], key: &KeyPair) -> String {
    let h = b64url_encode(header.to_string().as_bytes());
    let p = b64url_encode(payload);
    #[allow(clippy::expect_used)] // Signing with a fixed key cannot fail.
    let sig = key.sign(format!("{h}.{p}").as_bytes()).expect("sign");
    format!("{h}.{p}.{}", b64url_encode(&sig))
}

/// Changes one character of the third segment of a compact JWS.
pub(crate) fn flip_signature(token: &str) -> String {
    let cut = token.rfind('.').map_or(0, |i| i + 1);
    let mut s = token.to_owned();
    let c = if token[cut..].starts_with('A') { "B" } else { "A" };
    s.replace_range(cut..=cut, c);
    s
}

/// Replaces the payload segment of a compact JWS.
pub(crate) fn swap_payload(token: &str, payload: &[u8]) -> String {
    let parts: Vec<&str> = token.split('.').collect();
    format!("{}.{}.{}", parts[0], b64url_encode(payload), parts.get(2).unwrap_or(&""))
}

pub(crate) fn run(op: &str, input: &Value) -> Option<Outcome> {
    Some(match op {
        "json.parse" => {
            data(input).and_then(|d| parse_json(&d, &Limits::default()).map_err(|e| e.code()))
        }
        "jcs.canonicalize" => data(input).and_then(|d| {
            let c = jcs::canonicalize_json(&d, &Limits::default()).map_err(|e| e.code())?;
            Ok(Value::String(String::from_utf8_lossy(&c).into_owned()))
        }),
        "jws.verify" => jws_verify(input),
        "jwk.thumbprint" => data(input).and_then(|d| {
            let jwk = Jwk::from_json(&d).map_err(|e| e.code())?;
            Ok(Value::String(PublicKey::from_jwk(&jwk).map_err(|e| e.code())?.jwk_thumbprint()))
        }),
        "multikey.decode" => text(input).and_then(|t| {
            let key = PublicKey::from_multikey(&t).map_err(|e| e.code())?;
            Ok(json!(key.key_type().name()))
        }),
        "did.resolve" => text(input).and_then(|t| {
            let doc = StaticResolver::new().resolve(&t).map_err(|e| e.code())?;
            Ok(json!(doc.id))
        }),
        "b64url.decode" => text(input)
            .and_then(|t| b64url_decode(&t).map(|b| json!(hex_encode(&b))).map_err(|e| e.code())),
        "multibase.decode" => text(input).and_then(|t| {
            multibase_decode(&t).map(|b| json!(hex_encode(&b))).map_err(|e| e.code())
        }),
        "time.parse" => text(input).and_then(|t| {
            parse_rfc3339(&t).map(|t| json!(format_rfc3339(&t))).map_err(|e| e.code())
        }),
        _ => return None,
    })
}

fn jws_verify(input: &Value) -> Outcome {
    let token = text(input)?;
    let key = PublicKey::from_multikey(param(input, "key")?).map_err(|e| e.code())?;
    let verified = jws::verify(&token, &key, &VerifyOptions::default()).map_err(|e| e.code())?;
    Ok(json!(String::from_utf8_lossy(&verified.payload)))
}

pub(crate) fn cases() -> Vec<Case> {
    let mut out = Vec::new();
    json_cases(&mut out);
    jws_cases(&mut out);
    key_cases(&mut out);
    out
}

fn json_cases(out: &mut Vec<Case>) {
    out.extend(battery_cases("core/json.parse", "json.parse", &json!({}), |_, c| c));
    out.extend(battery_cases("core/jcs.canonicalize", "jcs.canonicalize", &json!({}), |_, c| c));
    let hundred = "1234567890".repeat(10);
    out.push(case(
        "core/json.parse/number-100-digits",
        "json.parse",
        json!({"data": format!("{{\"n\": {hundred}}}")}),
        ok(json!({"n": 1.234_567_890_123_456_8e99})),
    ));
    out.push(case(
        "core/json.parse/number-100-digit-fraction",
        "json.parse",
        json!({"data": format!("[0.{hundred}]")}),
        ok(json!([0.123_456_789_012_345_68])),
    ));
    out.push(case(
        "core/json.parse/control-nesting-64",
        "json.parse",
        json!({"data": repeat(&[("[", 64), ("]", 64)])}),
        ok(nested(64)),
    ));
    out.push(case(
        "core/json.parse/nesting-65",
        "json.parse",
        json!({"data": repeat(&[("[", 65), ("]", 65)])}),
        err(ErrorCode::NestingTooDeep),
    ));
    out.push(case(
        "core/json.parse/control-surrogate-pair",
        "json.parse",
        json!({"data": r#"{"a": "\ud83d\ude00"}"#}),
        ok(json!({"a": "\u{1F600}"})),
    ));
    out.push(case(
        "core/json.parse/reversed-surrogate-pair",
        "json.parse",
        json!({"data": r#"{"a": "\ude00\ud83d"}"#}),
        err(ErrorCode::InvalidUtf8),
    ));
    out.push(case(
        "core/json.parse/utf8-bom",
        "json.parse",
        json!({"data": bytes(b"\xef\xbb\xbf{}")}),
        err(ErrorCode::MalformedJson),
    ));
    out.push(case(
        "core/json.parse/nul-in-string",
        "json.parse",
        json!({"data": bytes(b"{\"a\": \"x\x00y\"}")}),
        err(ErrorCode::MalformedJson),
    ));
    out.push(case(
        "core/json.parse/size-1mib-plus-one",
        "json.parse",
        json!({"data": repeat(&[("\"", 1), ("a", (1 << 20) - 1), ("\"", 1)])}),
        err(ErrorCode::InputTooLarge),
    ));
    let hundred_jcs = format!("{{\"b\": {hundred}, \"a\": 1E3}}");
    out.push(case(
        "core/jcs.canonicalize/number-100-digits",
        "jcs.canonicalize",
        json!({"data": hundred_jcs}),
        ok(json!("{\"a\":1000,\"b\":1.2345678901234567e+99}")),
    ));
    out.push(case(
        "core/jcs.canonicalize/control-order-and-escapes",
        "jcs.canonicalize",
        json!({"data": "{\"\u{20ac}\": \"\\u00e9\", \"\\r\": [1e21, 0.1, -0, \"\\u001f\"], \"a\": true}"}),
        ok(json!("{\"\\r\":[1e+21,0.1,0,\"\\u001f\"],\"a\":true,\"\u{20ac}\":\"\u{e9}\"}")),
    ));
    out.push(case(
        "core/jcs.canonicalize/number-1e-400-underflow",
        "jcs.canonicalize",
        json!({"data": "[1e-400]"}),
        ok(json!("[0]")),
    ));
}

/// `[[[…]]]` with `depth` levels.
fn nested(depth: usize) -> Value {
    (1..depth).fold(json!([]), |v, _| json!([v]))
}

fn jws_cases(out: &mut Vec<Case>) {
    let ed = ed_key();
    let p = p256_key();
    let ed_pub = json!(ed.public_key().to_multikey());
    let p_pub = json!(p.public_key().to_multikey());
    let wrong = json!(other_ed_key().public_key().to_multikey());
    let payload = br#"{"iss":"did:example:city","amount":"100.00"}"#;
    let good = sign(payload, &ed, &SignOptions::default());
    let good_p = sign(payload, &p, &SignOptions::default());
    let text_payload = String::from_utf8_lossy(payload).into_owned();
    let op = "jws.verify";
    let c = |id: &str, token: Value, key: &Value, expect| {
        case(&format!("core/jws.verify/{id}"), op, json!({"data": token, "key": key}), expect)
    };
    out.push(c("control-ed25519", json!(good), &ed_pub, ok(json!(text_payload))));
    out.push(c("control-p256", json!(good_p), &p_pub, ok(json!(text_payload))));
    out.push(c(
        "tampered-payload",
        json!(swap_payload(&good, br#"{"iss":"did:example:city","amount":"900.00"}"#)),
        &ed_pub,
        err(ErrorCode::InvalidSignature),
    ));
    out.push(c(
        "tampered-payload-p256",
        json!(swap_payload(&good_p, br#"{"iss":"did:example:city","amount":"900.00"}"#)),
        &p_pub,
        err(ErrorCode::InvalidSignature),
    ));
    out.push(c(
        "tampered-signature",
        json!(flip_signature(&good)),
        &ed_pub,
        err(ErrorCode::InvalidSignature),
    ));
    out.push(c(
        "tampered-signature-p256",
        json!(flip_signature(&good_p)),
        &p_pub,
        err(ErrorCode::InvalidSignature),
    ));
    out.push(c(
        "tampered-header-kid",
        json!(resign(&json!({"alg": "EdDSA", "kid": "x"}), payload, &other_ed_key())),
        &ed_pub,
        err(ErrorCode::InvalidSignature),
    ));
    out.push(c("wrong-key", json!(good), &wrong, err(ErrorCode::InvalidSignature)));
    out.push(c(
        "signature-truncated",
        json!(&good[..good.len() - 4]),
        &ed_pub,
        err(ErrorCode::InvalidBase64),
    ));
    out.push(c(
        "signature-empty",
        json!(&good[..=good.rfind('.').unwrap_or(0)]),
        &ed_pub,
        err(ErrorCode::MalformedJws),
    ));
    out.push(c(
        "p256-signature-zero-scalars",
        json!(forge(&json!({"alg": "ES256"}), payload, &[0; 64])),
        &p_pub,
        err(ErrorCode::MalformedSignature),
    ));
    out.push(c(
        "p256-signature-der-encoded",
        json!(forge(&json!({"alg": "ES256"}), payload, &[0x30; 70])),
        &p_pub,
        err(ErrorCode::MalformedSignature),
    ));
    out.push(c(
        "alg-none-unsigned",
        json!(forge(&json!({"alg": "none"}), payload, b"")),
        &ed_pub,
        err(ErrorCode::AlgNone),
    ));
    out.push(c(
        "alg-none-with-signature",
        json!(forge(&json!({"alg": "none"}), payload, &[1; 64])),
        &ed_pub,
        err(ErrorCode::AlgNone),
    ));
    out.push(c(
        "alg-none-uppercase",
        json!(forge(&json!({"alg": "NONE"}), payload, b"")),
        &ed_pub,
        err(ErrorCode::AlgNone),
    ));
    out.push(c(
        "alg-hs256-public-key-as-secret",
        json!(forge(&json!({"alg": "HS256"}), payload, &[1; 32])),
        &ed_pub,
        err(ErrorCode::UnsupportedAlgorithm),
    ));
    out.push(c(
        "alg-es256-with-ed25519-key",
        json!(resign(&json!({"alg": "ES256"}), payload, &ed)),
        &ed_pub,
        err(ErrorCode::AlgKeyMismatch),
    ));
    out.push(c(
        "alg-eddsa-with-p256-key",
        json!(resign(&json!({"alg": "EdDSA"}), payload, &p)),
        &p_pub,
        err(ErrorCode::AlgKeyMismatch),
    ));
    out.push(c(
        "alg-missing",
        json!(resign(&json!({"typ": "JWT"}), payload, &ed)),
        &ed_pub,
        err(ErrorCode::MalformedJws),
    ));
    out.push(c(
        "alg-not-a-string",
        json!(resign(&json!({"alg": ["EdDSA"]}), payload, &ed)),
        &ed_pub,
        err(ErrorCode::MalformedJws),
    ));
    out.push(c(
        "crit-unknown",
        json!(resign(&json!({"alg": "EdDSA", "crit": ["exp"], "exp": 1}), payload, &ed)),
        &ed_pub,
        err(ErrorCode::UnknownCritical),
    ));
    out.push(c(
        "crit-empty",
        json!(resign(&json!({"alg": "EdDSA", "crit": []}), payload, &ed)),
        &ed_pub,
        err(ErrorCode::UnknownCritical),
    ));
    let dup_header = format!(
        "{}.{}.{}",
        b64url_encode(br#"{"alg":"EdDSA","alg":"none"}"#),
        b64url_encode(payload),
        b64url_encode(&[0; 64])
    );
    out.push(c("header-duplicate-alg", json!(dup_header), &ed_pub, err(ErrorCode::DuplicateKey)));
    let deep = format!("{}{}", "[".repeat(10_000), "]".repeat(10_000));
    let deep_header = format!("{}.{}.", b64url_encode(deep.as_bytes()), b64url_encode(payload));
    out.push(c(
        "header-nesting-10000",
        json!(deep_header),
        &ed_pub,
        err(ErrorCode::NestingTooDeep),
    ));
    let surrogate = format!(
        "{}.{}.",
        b64url_encode(br#"{"alg":"EdDSA","kid":"\ud800"}"#),
        b64url_encode(payload)
    );
    out.push(c("header-lone-surrogate", json!(surrogate), &ed_pub, err(ErrorCode::InvalidUtf8)));
    let bad_utf8 = format!(
        "{}.{}.",
        b64url_encode(b"{\"alg\":\"EdDSA\",\"kid\":\"\xff\"}"),
        b64url_encode(payload)
    );
    out.push(c("header-invalid-utf8", json!(bad_utf8), &ed_pub, err(ErrorCode::InvalidUtf8)));
    out.push(c(
        "header-not-json",
        json!(format!("{}.e30.", b64url_encode(b"alg=EdDSA"))),
        &ed_pub,
        err(ErrorCode::MalformedJson),
    ));
    out.push(c(
        "header-array",
        json!(format!("{}.e30.", b64url_encode(b"[\"EdDSA\"]"))),
        &ed_pub,
        err(ErrorCode::MalformedJws),
    ));
    out.push(c(
        "segments-two",
        json!("eyJhbGciOiJFZERTQSJ9.e30"),
        &ed_pub,
        err(ErrorCode::MalformedJws),
    ));
    out.push(c(
        "segments-four",
        json!(format!("{good}.AAAA")),
        &ed_pub,
        err(ErrorCode::MalformedJws),
    ));
    out.push(c("segments-empty", json!(""), &ed_pub, err(ErrorCode::MalformedJws)));
    out.push(c("segments-dots", json!(".."), &ed_pub, err(ErrorCode::MalformedJws)));
    out.push(c(
        "base64-padding",
        json!(format!("{good}==")),
        &ed_pub,
        err(ErrorCode::InvalidBase64),
    ));
    out.push(c(
        "base64-standard-alphabet",
        json!(good.replace('-', "+").replace('_', "/") + "+"),
        &ed_pub,
        err(ErrorCode::InvalidBase64),
    ));
    out.push(c(
        "token-whitespace",
        json!(format!(" {good}\n")),
        &ed_pub,
        err(ErrorCode::InvalidBase64),
    ));
    out.push(c(
        "token-50mib",
        repeat(&[("eyJhbGciOiJFZERTQSJ9.", 1), ("A", 50 << 20), (".AAAA", 1)]),
        &ed_pub,
        err(ErrorCode::InputTooLarge),
    ));
    out.push(c(
        "token-invalid-utf8",
        bytes(b"eyJhbGciOiJFZERTQSJ9.\xff.AAAA"),
        &ed_pub,
        err(ErrorCode::InvalidUtf8),
    ));
    // Detached and unencoded payloads must not slip through.
    let detached = sign(payload, &ed, &SignOptions { detached: true, ..SignOptions::default() });
    out.push(c(
        "detached-without-payload",
        json!(detached),
        &ed_pub,
        err(ErrorCode::InvalidSignature),
    ));
    let unencoded = resign(&json!({"alg": "EdDSA", "b64": false}), payload, &ed);
    out.push(c(
        "b64-false-without-crit",
        json!(unencoded),
        &ed_pub,
        err(ErrorCode::UnknownCritical),
    ));
}

fn key_cases(out: &mut Vec<Case>) {
    let ed = ed_key().public_key();
    let p = p256_key().public_key();
    let jwk = |v: Value| json!({"data": v.to_string()});
    let t = "jwk.thumbprint";
    let ed_jwk = ed.to_jwk().to_json();
    let p_jwk = p.to_jwk().to_json();
    out.push(case(
        "core/jwk.thumbprint/control-ed25519",
        t,
        json!({"data": ed_jwk}),
        ok(json!(ed.jwk_thumbprint())),
    ));
    out.push(case(
        "core/jwk.thumbprint/control-p256",
        t,
        json!({"data": p_jwk}),
        ok(json!(p.jwk_thumbprint())),
    ));
    let pv: Value = serde_json::from_str(&p.to_jwk().to_json()).unwrap_or_default();
    let x = pv["x"].clone();
    out.push(case(
        "core/jwk.thumbprint/p256-point-not-on-curve",
        t,
        jwk(json!({"kty": "EC", "crv": "P-256", "x": x, "y": b64url_encode(&[1; 32])})),
        err(ErrorCode::InvalidJwk),
    ));
    out.push(case(
        "core/jwk.thumbprint/p256-missing-y",
        t,
        jwk(json!({"kty": "EC", "crv": "P-256", "x": x})),
        err(ErrorCode::InvalidJwk),
    ));
    out.push(case(
        "core/jwk.thumbprint/ed25519-short-x",
        t,
        jwk(json!({"kty": "OKP", "crv": "Ed25519", "x": b64url_encode(&[1; 31])})),
        err(ErrorCode::InvalidJwk),
    ));
    out.push(case(
        "core/jwk.thumbprint/kty-crv-confusion",
        t,
        jwk(json!({"kty": "EC", "crv": "Ed25519", "x": b64url_encode(&[1; 32])})),
        err(ErrorCode::UnsupportedKeyType),
    ));
    out.push(case(
        "core/jwk.thumbprint/kty-oct",
        t,
        jwk(json!({"kty": "oct", "k": "AAAA"})),
        err(ErrorCode::UnsupportedKeyType),
    ));
    out.push(case(
        "core/jwk.thumbprint/crv-secp256k1",
        t,
        jwk(json!({"kty": "EC", "crv": "secp256k1", "x": x, "y": x})),
        err(ErrorCode::UnsupportedKeyType),
    ));
    out.push(case(
        "core/jwk.thumbprint/duplicate-x",
        t,
        json!({"data": r#"{"kty":"OKP","crv":"Ed25519","x":"AAAA","x":"BBBB"}"#}),
        err(ErrorCode::DuplicateKey),
    ));
    out.push(case(
        "core/jwk.thumbprint/nesting-10000",
        t,
        json!({"data": repeat(&[("{\"kty\":", 10_000), ("1", 1), ("}", 10_000)])}),
        err(ErrorCode::InputTooLarge),
    ));
    out.push(case(
        "core/jwk.thumbprint/nesting-200",
        t,
        json!({"data": repeat(&[("{\"kty\":", 1), ("[", 200), ("]", 200), ("}", 1)])}),
        err(ErrorCode::NestingTooDeep),
    ));
    out.push(case(
        "core/jwk.thumbprint/size-50mib",
        t,
        json!({"data": repeat(&[("{\"kty\":\"", 1), ("A", 50 << 20), ("\"}", 1)])}),
        err(ErrorCode::InputTooLarge),
    ));
    let m = "multikey.decode";
    out.push(case(
        "core/multikey.decode/control-ed25519",
        m,
        json!({"data": ed.to_multikey()}),
        ok(json!("ed25519")),
    ));
    out.push(case(
        "core/multikey.decode/control-p256",
        m,
        json!({"data": p.to_multikey()}),
        ok(json!("p256")),
    ));
    out.push(case(
        "core/multikey.decode/not-base58btc",
        m,
        json!({"data": "uAAAA"}),
        err(ErrorCode::InvalidMultibase),
    ));
    out.push(case(
        "core/multikey.decode/base58-zero-alphabet",
        m,
        json!({"data": "z0OIl"}),
        err(ErrorCode::InvalidMultibase),
    ));
    out.push(case(
        "core/multikey.decode/unknown-codec",
        m,
        json!({"data": "zQ3s"}),
        err(ErrorCode::UnsupportedMulticodec),
    ));
    out.push(case(
        "core/multikey.decode/size-50mib",
        m,
        json!({"data": repeat(&[("z6Mk", 1), ("1", 50 << 20)])}),
        err(ErrorCode::InvalidMultibase),
    ));
    out.push(case(
        "core/multikey.decode/empty",
        m,
        json!({"data": ""}),
        err(ErrorCode::InvalidMultibase),
    ));
    let d = "did.resolve";
    out.push(case(
        "core/did.resolve/control-did-key",
        d,
        json!({"data": did_key(&ed)}),
        ok(json!(did_key(&ed))),
    ));
    out.push(case(
        "core/did.resolve/control-did-jwk",
        d,
        json!({"data": did_jwk(&p)}),
        ok(json!(did_jwk(&p))),
    ));
    out.push(case(
        "core/did.resolve/did-web-offline",
        d,
        json!({"data": "did:web:city.example"}),
        err(ErrorCode::DidNotFound),
    ));
    out.push(case(
        "core/did.resolve/did-unknown-method",
        d,
        json!({"data": "did:ion:abc"}),
        err(ErrorCode::UnsupportedDidMethod),
    ));
    out.push(case(
        "core/did.resolve/not-a-did",
        d,
        json!({"data": "urn:uuid:1"}),
        err(ErrorCode::InvalidDid),
    ));
    out.push(case(
        "core/did.resolve/did-key-truncated",
        d,
        json!({"data": "did:key:z6Mk"}),
        err(ErrorCode::UnsupportedMulticodec),
    ));
    out.push(case("core/did.resolve/did-jwk-nested-10000", d, json!({"data": format!("did:jwk:{}", b64url_encode(format!("{}{}", "[".repeat(10_000), "]".repeat(10_000)).as_bytes()))}), err(ErrorCode::InvalidDid)));
    out.push(case("core/did.resolve/did-jwk-private-key", d, json!({"data": format!("did:jwk:{}", b64url_encode(ed_key().to_private_jwk().to_json().as_bytes()))}), err(ErrorCode::InvalidDid)));
    out.push(case(
        "core/did.resolve/size-50mib",
        d,
        json!({"data": repeat(&[("did:key:z", 1), ("6", 50 << 20)])}),
        err(ErrorCode::InvalidDid),
    ));
    let b = "b64url.decode";
    out.push(case("core/b64url.decode/control", b, json!({"data": "AQID"}), ok(json!("010203"))));
    out.push(case(
        "core/b64url.decode/trailing-bits",
        b,
        json!({"data": "AQJ"}),
        err(ErrorCode::InvalidBase64),
    ));
    out.push(case(
        "core/b64url.decode/padding",
        b,
        json!({"data": "AQI="}),
        err(ErrorCode::InvalidBase64),
    ));
    out.push(case(
        "core/b64url.decode/standard-alphabet",
        b,
        json!({"data": "+/+/"}),
        err(ErrorCode::InvalidBase64),
    ));
    out.push(case(
        "core/b64url.decode/length-mod-4-is-1",
        b,
        json!({"data": "AAAAA"}),
        err(ErrorCode::InvalidBase64),
    ));
    out.push(case(
        "core/multibase.decode/unknown-base",
        "multibase.decode",
        json!({"data": "\u{1F600}abc"}),
        err(ErrorCode::InvalidMultibase),
    ));
    let tp = "time.parse";
    out.push(case(
        "core/time.parse/control",
        tp,
        json!({"data": "2026-11-29T08:00:00Z"}),
        ok(json!("2026-11-29T08:00:00Z")),
    ));
    out.push(case(
        "core/time.parse/leap-second-61",
        tp,
        json!({"data": "2026-12-31T23:59:61Z"}),
        err(ErrorCode::InvalidTimestamp),
    ));
    out.push(case(
        "core/time.parse/february-30",
        tp,
        json!({"data": "2026-02-30T00:00:00Z"}),
        err(ErrorCode::InvalidTimestamp),
    ));
    out.push(case(
        "core/time.parse/no-offset",
        tp,
        json!({"data": "2026-11-29T08:00:00"}),
        err(ErrorCode::InvalidTimestamp),
    ));
    out.push(case(
        "core/time.parse/year-100-digits",
        tp,
        json!({"data": format!("{}-01-01T00:00:00Z", "9".repeat(100))}),
        err(ErrorCode::InvalidTimestamp),
    ));
    out.push(case(
        "core/time.parse/fraction-100-digits",
        tp,
        json!({"data": format!("2026-01-01T00:00:00.{}Z", "9".repeat(100))}),
        err(ErrorCode::InvalidTimestamp),
    ));
}
