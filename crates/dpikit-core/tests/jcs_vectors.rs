//! RFC 8785 conformance: the cyberphone/json-canonicalization test data and number samples.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use dpikit_core::jcs::{
    canonicalize, canonicalize_json, canonicalize_serialize, canonicalize_to_string,
};
use dpikit_core::{ErrorCode, Limits};
use serde_json::{Number, Value};

const DOMAIN: &str = "vc/jcs-rfc8785";

/// Decodes whitespace-separated hex byte pairs (the `outhex/*.txt` format).
fn decode_hex(text: &str) -> Vec<u8> {
    text.split_whitespace()
        .map(|pair| {
            assert_eq!(pair.len(), 2, "hex token {pair:?}");
            u8::from_str_radix(pair, 16).unwrap()
        })
        .collect()
}

#[test]
fn canonicalizes_every_input_vector() {
    let Some(dir) = dpikit_testkit::vectors_dir(DOMAIN) else {
        return;
    };
    let mut stems: Vec<String> = std::fs::read_dir(dir.join("input"))
        .unwrap()
        .map(|entry| entry.unwrap().path())
        .filter(|path| path.extension().is_some_and(|ext| ext == "json"))
        .map(|path| path.file_stem().unwrap().to_str().unwrap().to_owned())
        .collect();
    stems.sort();
    for stem in &stems {
        let name = format!("{stem}.json");
        let input = dpikit_testkit::read_vector(DOMAIN, &format!("input/{name}")).unwrap();
        let expected = dpikit_testkit::read_vector(DOMAIN, &format!("output/{name}")).unwrap();
        let hex =
            dpikit_testkit::read_vector_string(DOMAIN, &format!("outhex/{stem}.txt")).unwrap();

        let actual =
            canonicalize_json(&input, &Limits::default()).unwrap_or_else(|e| panic!("{name}: {e}"));
        assert_eq!(
            String::from_utf8_lossy(&actual),
            String::from_utf8_lossy(&expected),
            "{name}: output/"
        );
        assert_eq!(actual, expected, "{name}: output/ bytes");
        assert_eq!(actual, decode_hex(&hex), "{name}: outhex/");

        // Canonical output is a fixed point.
        let again = canonicalize_json(&actual, &Limits::default()).unwrap();
        assert_eq!(again, actual, "{name}: canonicalizing twice");
    }
    assert!(stems.len() >= 6, "only {} JCS vectors ran: {stems:?}", stems.len());
}

#[test]
fn es6_number_samples() {
    let Some(csv) = dpikit_testkit::read_vector_string(DOMAIN, "es6-number-samples.csv") else {
        return;
    };
    let mut lines = csv.lines();
    assert_eq!(lines.next(), Some("hex-ieee,expected"), "CSV header");
    let mut checked = 0;
    for line in lines.filter(|l| !l.trim().is_empty()) {
        let (hex, expected) = line.split_once(',').unwrap();
        let f = f64::from_bits(u64::from_str_radix(hex.trim(), 16).unwrap());
        let expected = expected.trim();
        if !f.is_finite() {
            // NaN and the infinities are not JSON numbers: serde_json cannot hold them.
            assert!(Number::from_f64(f).is_none(), "{line}");
            assert!(matches!(expected, "NaN" | "Infinity" | "-Infinity"), "{line}");
            continue;
        }
        let value = Value::Number(Number::from_f64(f).unwrap());
        assert_eq!(canonicalize_to_string(&value).unwrap(), expected, "{line}");
        // The expected text parses back to the same double (except that -0 reads as 0).
        let back: f64 = expected.parse().unwrap();
        assert!(back.to_bits() == f.to_bits() || (f == 0.0 && back == 0.0), "{line}");
        checked += 1;
    }
    assert!(checked >= 5, "only {checked} number samples ran");
}

fn number_text(f: f64) -> String {
    canonicalize_to_string(&Value::Number(Number::from_f64(f).unwrap())).unwrap()
}

#[test]
fn ecmascript_number_forms() {
    let cases: &[(f64, &str)] = &[
        (-0.0, "0"),
        (0.0, "0"),
        (1.0, "1"),
        (-1.5, "-1.5"),
        (1e21, "1e+21"),
        (1e20, "100000000000000000000"),
        (1e-6, "0.000001"),
        (1e-7, "1e-7"),
        (123_456_789_012_345_680_000.0, "123456789012345680000"),
        (0.1 + 0.2, "0.30000000000000004"),
        (5e-324, "5e-324"),
        (f64::MAX, "1.7976931348623157e+308"),
        (f64::MIN_POSITIVE, "2.2250738585072014e-308"),
        (333_333_333.333_333_3, "333333333.3333333"),
        (9_007_199_254_740_994.0, "9007199254740994"),
    ];
    for &(f, expected) in cases {
        assert_eq!(number_text(f), expected, "{f:e}");
    }
}

#[test]
fn integers_must_be_exact_doubles() {
    let limits = Limits::default();
    assert_eq!(canonicalize_json(b"9007199254740992", &limits).unwrap(), b"9007199254740992");
    assert_eq!(canonicalize_json(b"-9007199254740992", &limits).unwrap(), b"-9007199254740992");
    // 2^53 + 2 is a double; it prints as JavaScript prints it.
    assert_eq!(canonicalize_json(b"9007199254740994", &limits).unwrap(), b"9007199254740994");
    assert_eq!(canonicalize_json(b"-0", &limits).unwrap(), b"0");
    assert_eq!(canonicalize_json(b"[-0.0, 1.0]", &limits).unwrap(), b"[0,1]");

    for text in [
        "9007199254740993",
        "-9007199254740993",
        "18446744073709551615",
        "[1,{\"a\":9223372036854775807}]",
    ] {
        let err = canonicalize_json(text.as_bytes(), &limits).unwrap_err();
        assert_eq!(err.code(), ErrorCode::NumberOutOfRange, "{text}");
    }
    let err = canonicalize(&Value::from(9_007_199_254_740_993_u64)).unwrap_err();
    assert_eq!(err.code(), ErrorCode::NumberOutOfRange);
    assert!(canonicalize(&Value::from(9_007_199_254_740_992_u64)).is_ok());
}

/// Found by the `jcs` fuzz target (fuzz/targets.txt): `2345678901234567800E000` is the
/// double 2345678901234567680, written `2345678901234567700`; that integer text must
/// canonicalize to itself (it was refused as inexact, so JCS was not idempotent), while
/// integers whose digits a double cannot keep stay refused.
#[test]
fn canonical_numbers_canonicalize_to_themselves() {
    let limits = Limits::default();
    let once = canonicalize_json(br#"{"x": 2345678901234567800E000}"#, &limits).unwrap();
    assert_eq!(once, br#"{"x":2345678901234567700}"#);
    assert_eq!(canonicalize_json(&once, &limits).unwrap(), once);
    for text in ["2345678901234567700", "-2345678901234567700"] {
        assert_eq!(canonicalize_json(text.as_bytes(), &limits).unwrap(), text.as_bytes(), "{text}");
    }
    // The exact double itself is written in its shortest form, as before.
    assert_eq!(canonicalize_json(b"2345678901234567680", &limits).unwrap(), b"2345678901234567700");
    for text in ["2345678901234567701", "12345678901234567890"] {
        let err = canonicalize_json(text.as_bytes(), &limits).unwrap_err();
        assert_eq!(err.code(), ErrorCode::NumberOutOfRange, "{text}");
    }
}

#[test]
fn string_escapes_follow_json_stringify() {
    let input = br#""\u0001\u001f\u007f\u2028\b\f\n\r\t\"\\\/\u00e9\ud83d\ude02""#;
    let out = canonicalize_json(input, &Limits::default()).unwrap();
    assert_eq!(
        String::from_utf8(out).unwrap(),
        "\"\\u0001\\u001f\u{7f}\u{2028}\\b\\f\\n\\r\\t\\\"\\\\/\u{e9}\u{1f602}\""
    );
    let all_controls: String = (0u8..0x20).map(char::from).collect();
    let out = canonicalize_to_string(&Value::String(all_controls)).unwrap();
    assert_eq!(
        out,
        "\"\\u0000\\u0001\\u0002\\u0003\\u0004\\u0005\\u0006\\u0007\\b\\t\\n\\u000b\\f\\r\\u000e\\u000f\
         \\u0010\\u0011\\u0012\\u0013\\u0014\\u0015\\u0016\\u0017\\u0018\\u0019\\u001a\\u001b\\u001c\\u001d\\u001e\\u001f\""
    );
}

#[test]
fn keys_sort_by_utf16_code_units() {
    // U+1F602 (surrogates D83D DE02) sorts before U+FB33, although its UTF-8 bytes sort after.
    let input = "{\"\u{fb33}\":1,\"\u{1f602}\":2,\"\u{e9}\":3,\"b\":4,\"a\":5,\"\":6,\"aa\":7}";
    let out = canonicalize_json(input.as_bytes(), &Limits::default()).unwrap();
    assert_eq!(
        String::from_utf8(out).unwrap(),
        "{\"\":6,\"a\":5,\"aa\":7,\"b\":4,\"\u{e9}\":3,\"\u{1f602}\":2,\"\u{fb33}\":1}"
    );
}

#[test]
fn intake_errors_pass_through() {
    let err = canonicalize_json(br#"{"a":1,"a":1}"#, &Limits::default()).unwrap_err();
    assert_eq!(err.code(), ErrorCode::DuplicateKey);
    let err = canonicalize_json(b"[1,", &Limits::default()).unwrap_err();
    assert_eq!(err.code(), ErrorCode::MalformedJson);
}

#[test]
fn serialize_convenience() {
    #[derive(serde::Serialize)]
    struct Doc {
        z: Vec<u8>,
        a: Option<&'static str>,
        m: std::collections::BTreeMap<u32, bool>,
    }
    let doc = Doc { z: vec![3, 1], a: None, m: [(10, true), (9, false)].into_iter().collect() };
    assert_eq!(
        canonicalize_serialize(&doc).unwrap(),
        br#"{"a":null,"m":{"10":true,"9":false},"z":[3,1]}"#
    );
    let err = canonicalize_serialize(&u64::MAX).unwrap_err();
    assert_eq!(err.code(), ErrorCode::NumberOutOfRange);
}
