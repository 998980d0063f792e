//! Bounded JSON intake: limits, duplicate keys, UTF-8 and syntax errors map to typed codes.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use dpikit_core::json::{from_json_value, parse_json_as, parse_json_str};
use dpikit_core::{ErrorCode, Limits, parse_json};
use serde_json::{Value, json};

fn code_of(input: &[u8]) -> ErrorCode {
    parse_json(input, &Limits::default()).unwrap_err().code()
}

fn nested_arrays(depth: usize) -> String {
    format!("{}{}", "[".repeat(depth), "]".repeat(depth))
}

fn nested_objects(depth: usize) -> String {
    format!("{}1{}", r#"{"a":"#.repeat(depth), "}".repeat(depth))
}

#[test]
fn default_limits() {
    let limits = Limits::default();
    assert_eq!(limits, Limits::new(1_048_576, 64));
}

#[test]
fn parses_ordinary_json() {
    let v = parse_json(br#" {"a": [1, -2, 3.5, "x", true, null], "b": {}} "#, &Limits::default())
        .unwrap();
    assert_eq!(v, json!({"a": [1, -2, 3.5, "x", true, null], "b": {}}));
}

#[test]
fn duplicate_keys_are_rejected() {
    assert_eq!(code_of(br#"{"a":1,"a":2}"#), ErrorCode::DuplicateKey);
    assert_eq!(code_of(br#"{"a":1,"b":{"c":1,"c":1}}"#), ErrorCode::DuplicateKey);
    assert_eq!(code_of(br#"[{"x":{}},{"y":[{"k":null,"k":null}]}]"#), ErrorCode::DuplicateKey);
    // Same key after unescaping.
    assert_eq!(code_of(br#"{"a":1,"\u0061":2}"#), ErrorCode::DuplicateKey);
    // Keys that differ only in case or normalization are distinct.
    assert!(parse_json(br#"{"a":1,"A":2,"\u00e9":3,"e\u0301":4}"#, &Limits::default()).is_ok());
}

#[test]
fn very_deep_arrays_fail_without_overflow() {
    let input = nested_arrays(10_000);
    assert_eq!(code_of(input.as_bytes()), ErrorCode::NestingTooDeep);
    // Unterminated input is still reported as too deep, not as malformed.
    assert_eq!(code_of("[".repeat(10_000).as_bytes()), ErrorCode::NestingTooDeep);
}

#[test]
fn very_deep_objects_fail_without_overflow() {
    let input = nested_objects(10_000);
    assert_eq!(code_of(input.as_bytes()), ErrorCode::NestingTooDeep);
    assert_eq!(code_of(r#"{"a":"#.repeat(10_000).as_bytes()), ErrorCode::NestingTooDeep);
}

#[test]
fn depth_64_is_accepted_and_65_rejected() {
    assert!(parse_json(nested_arrays(64).as_bytes(), &Limits::default()).is_ok());
    assert!(parse_json(nested_objects(64).as_bytes(), &Limits::default()).is_ok());
    assert_eq!(code_of(nested_arrays(65).as_bytes()), ErrorCode::NestingTooDeep);
    assert_eq!(code_of(nested_objects(65).as_bytes()), ErrorCode::NestingTooDeep);
    // Mixed nesting counts both kinds.
    let mixed = format!("{}1{}", r#"[{"a":"#.repeat(33), "}]".repeat(33));
    assert_eq!(code_of(mixed.as_bytes()), ErrorCode::NestingTooDeep);
    let mixed = format!("{}1{}", r#"[{"a":"#.repeat(32), "}]".repeat(32));
    assert!(parse_json(mixed.as_bytes(), &Limits::default()).is_ok());
}

#[test]
fn custom_depth_limit() {
    let limits = Limits::new(1024, 3);
    assert!(parse_json(b"[[[1]]]", &limits).is_ok());
    assert_eq!(parse_json(b"[[[[1]]]]", &limits).unwrap_err().code(), ErrorCode::NestingTooDeep);
}

#[test]
fn oversized_input_is_rejected_before_parsing() {
    // 10 MiB of bytes that are not even UTF-8: only the size may be looked at.
    let input = vec![0xFF_u8; 10 * 1024 * 1024];
    assert_eq!(code_of(&input), ErrorCode::InputTooLarge);
    let text = " ".repeat(10 * 1024 * 1024);
    assert_eq!(
        parse_json_str(&text, &Limits::default()).unwrap_err().code(),
        ErrorCode::InputTooLarge
    );
    // Exactly at the limit is fine.
    let at_limit = format!("{}1", " ".repeat(1_048_575));
    assert!(parse_json(at_limit.as_bytes(), &Limits::default()).is_ok());
}

#[test]
fn invalid_utf8_is_rejected() {
    assert_eq!(code_of(b"\"\xff\""), ErrorCode::InvalidUtf8);
    assert_eq!(code_of(b"{\"a\":\"\xc3\x28\"}"), ErrorCode::InvalidUtf8);
    // An encoded surrogate (CESU-8) is not UTF-8 either.
    assert_eq!(code_of(b"\"\xed\xa0\x80\""), ErrorCode::InvalidUtf8);
}

#[test]
fn lone_surrogate_escapes_are_invalid_utf8() {
    assert_eq!(code_of(br#""\ud800""#), ErrorCode::InvalidUtf8);
    assert_eq!(code_of(br#""\udfff""#), ErrorCode::InvalidUtf8);
    assert_eq!(code_of(br#"["\ud83dx"]"#), ErrorCode::InvalidUtf8);
    assert_eq!(code_of(br#"{"\ud800\u0041":1}"#), ErrorCode::InvalidUtf8);
    assert_eq!(
        parse_json(br#""\ud83d\ude02""#, &Limits::default()).unwrap(),
        Value::from("\u{1f602}")
    );
}

#[test]
fn syntax_errors_are_malformed() {
    for input in [
        &b""[..],
        b"   ",
        b"{",
        b"[1,2",
        br#"{"a":"#,
        br#""abc"#,
        b"[1,2]x",
        b"{} {}",
        b"1 2",
        b"[1,]",
        br#"{"a":1,}"#,
        b"nul",
        b"'a'",
        b"{a:1}",
        b"01",
        b"NaN",
        b"\"tab\there\"",
        br#""\x""#,
    ] {
        assert_eq!(
            code_of(input),
            ErrorCode::MalformedJson,
            "{:?}",
            String::from_utf8_lossy(input)
        );
    }
}

#[test]
fn numbers_keep_serde_json_behaviour() {
    let hundred_digits = "1".repeat(100);
    let v = parse_json(hundred_digits.as_bytes(), &Limits::default()).unwrap();
    assert!(v.is_f64());
    assert!(v.as_f64().unwrap() > 1e99);
    assert_eq!(
        parse_json(b"18446744073709551615", &Limits::default()).unwrap().as_u64(),
        Some(u64::MAX)
    );
    assert_eq!(
        parse_json(b"-9223372036854775808", &Limits::default()).unwrap().as_i64(),
        Some(i64::MIN)
    );
    assert_eq!(parse_json(b"1e-400", &Limits::default()).unwrap().as_f64(), Some(0.0));

    for input in ["1e400", "-1e400", "[1.5e999]", &format!("1{}", "0".repeat(400))] {
        let code = code_of(input.as_bytes());
        assert!(
            code == ErrorCode::NumberOutOfRange || code == ErrorCode::MalformedJson,
            "{input}: {code}"
        );
    }
}

#[test]
fn typed_deserialization() {
    #[derive(serde::Deserialize, Debug, PartialEq)]
    struct Msg {
        id: u32,
        tags: Vec<String>,
    }
    let msg: Msg = parse_json_as(br#"{"id":7,"tags":["a"]}"#, &Limits::default()).unwrap();
    assert_eq!(msg, Msg { id: 7, tags: vec!["a".to_owned()] });

    let err = parse_json_as::<Msg>(br#"{"id":"7","tags":[]}"#, &Limits::default()).unwrap_err();
    assert_eq!(err.code(), ErrorCode::UnexpectedJson);
    let err = parse_json_as::<Msg>(br#"{"tags":[]}"#, &Limits::default()).unwrap_err();
    assert_eq!(err.code(), ErrorCode::UnexpectedJson);
    // Intake checks run before the type sees the data.
    let err =
        parse_json_as::<Msg>(br#"{"id":1,"id":2,"tags":[]}"#, &Limits::default()).unwrap_err();
    assert_eq!(err.code(), ErrorCode::DuplicateKey);

    assert_eq!(from_json_value::<Vec<u8>>(json!([1, 2])).unwrap(), vec![1, 2]);
    assert_eq!(from_json_value::<u8>(json!(256)).unwrap_err().code(), ErrorCode::UnexpectedJson);
}
