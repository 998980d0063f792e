//! RFC 8785 JSON Canonicalization Scheme (JCS).
//!
//! The canonical form of a JSON value has no whitespace, object members sorted by the UTF-16
//! code units of their keys, strings escaped exactly as ECMAScript `JSON.stringify` does, and
//! numbers written as ECMAScript `Number.prototype.toString` writes them.
//!
//! Implementation choice: this is dpikit's own serializer, not the `serde_json_canonicalizer`
//! crate. That crate (0.4.1) converts every integer to `f64` silently, so
//! `9007199254740993` comes out as `9007199254740992` instead of an error, and it re-parses
//! every key and buffers every member in its own `Vec`, which makes it several times slower
//! than writing straight into one buffer as done here.
//!
//! The serializer walks the value with an explicit stack, so even a hand-built value nested
//! far deeper than [`parse_json`] admits cannot overflow the call
//! stack.

use core::cmp::Ordering;

use serde::Serialize;
use serde_json::{Number, Value};

use crate::error::{CoreError, Result};
use crate::json::{Limits, parse_json};

/// 2^53: integers up to this magnitude are all exactly representable as `f64`.
const MAX_SAFE_MAGNITUDE: u64 = 1 << 53;

/// Returns the RFC 8785 canonical form of `value` as UTF-8 bytes.
///
/// Integers are written as the IEEE-754 double they denote. An integer whose magnitude is
/// above 2^53 and whose digits differ from how the nearest double is written (such as
/// `9007199254740993`, written `9007199254740992`) would change value on the way, so it is
/// rejected: I-JSON (RFC 7493 §2.2) and RFC 8785 §3.2.2.3 require numbers to be IEEE-754
/// doubles. One whose digits are exactly that double's form (such as `2345678901234567700`,
/// which a double-based parser reads as 2345678901234567680) is written unchanged, so the
/// canonical form of canonical JSON is always itself.
///
/// # Errors
///
/// [`CoreError::NumberOutOfRange`] for an integer that a double cannot carry unchanged, or (defensively; serde_json values cannot hold one) a non-finite number.
///
/// # Examples
///
/// ```
/// use dpikit_core::jcs::canonicalize;
/// use serde_json::json;
///
/// let value = json!({"b": [1.0, 1e21, -0.0], "a": "\u{20ac}\n", "\u{1F602}": 1, "\u{FB33}": 2});
/// let canonical = canonicalize(&value)?;
/// assert_eq!(
///     String::from_utf8(canonical).unwrap(),
///     "{\"a\":\"\u{20ac}\\n\",\"b\":[1,1e+21,0],\"\u{1F602}\":1,\"\u{FB33}\":2}"
/// );
/// # Ok::<(), dpikit_core::CoreError>(())
/// ```
pub fn canonicalize(value: &Value) -> Result<Vec<u8>> {
    let mut out = Vec::with_capacity(estimate_len(value));
    write_canonical(value, &mut out)?;
    Ok(out)
}

/// Returns the RFC 8785 canonical form of `value` as a `String`.
///
/// # Errors
///
/// As [`canonicalize`].
///
/// # Examples
///
/// ```
/// use dpikit_core::jcs::canonicalize_to_string;
/// use serde_json::json;
///
/// let text = canonicalize_to_string(&json!({"z": null, "a": [true, 0.5]}))?;
/// assert_eq!(text, r#"{"a":[true,0.5],"z":null}"#);
/// # Ok::<(), dpikit_core::CoreError>(())
/// ```
pub fn canonicalize_to_string(value: &Value) -> Result<String> {
    let bytes = canonicalize(value)?;
    // The writer only ever emits complete UTF-8 sequences, so this cannot fail.
    String::from_utf8(bytes).map_err(|e| CoreError::Internal(format!("JCS output: {e}")))
}

/// Parses untrusted JSON bytes within `limits` and returns their RFC 8785 canonical form.
///
/// # Errors
///
/// Any error of [`parse_json`] (size, UTF-8, depth, duplicate keys, syntax) or of
/// [`canonicalize`] (integers not exactly representable as doubles).
///
/// # Examples
///
/// ```
/// use dpikit_core::{ErrorCode, Limits};
/// use dpikit_core::jcs::canonicalize_json;
///
/// let canonical = canonicalize_json(b"{ \"b\": 56.0, \"a\": 1E30 }", &Limits::default())?;
/// assert_eq!(canonical, br#"{"a":1e+30,"b":56}"#);
///
/// let err = canonicalize_json(b"9007199254740993", &Limits::default()).unwrap_err();
/// assert_eq!(err.code(), ErrorCode::NumberOutOfRange);
/// # Ok::<(), dpikit_core::CoreError>(())
/// ```
pub fn canonicalize_json(bytes: &[u8], limits: &Limits) -> Result<Vec<u8>> {
    let value = parse_json(bytes, limits)?;
    // Canonical output is rarely longer than the input; escapes can make it grow a little.
    let mut out = Vec::with_capacity(bytes.len().max(estimate_len(&value)));
    write_canonical(&value, &mut out)?;
    Ok(out)
}

/// Serializes `value` with serde and returns the RFC 8785 canonical form of the result.
///
/// The value goes through [`serde_json::to_value`] first, which turns a non-finite float
/// (`NaN`, infinities) into `null` as `JSON.stringify` does; reject such floats before
/// calling this if that matters.
///
/// # Errors
///
/// [`CoreError::UnexpectedJson`] when `value` cannot be represented as JSON (e.g. a map with
/// non-string keys, or a failing `Serialize` impl); any error of [`canonicalize`].
///
/// # Examples
///
/// ```
/// use dpikit_core::jcs::canonicalize_serialize;
///
/// #[derive(serde::Serialize)]
/// struct Claim<'a> {
///     sub: &'a str,
///     iat: u64,
/// }
///
/// let canonical = canonicalize_serialize(&Claim { sub: "did:example:1", iat: 1_700_000_000 })?;
/// assert_eq!(canonical, br#"{"iat":1700000000,"sub":"did:example:1"}"#);
/// # Ok::<(), dpikit_core::CoreError>(())
/// ```
pub fn canonicalize_serialize<T: Serialize + ?Sized>(value: &T) -> Result<Vec<u8>> {
    let value =
        serde_json::to_value(value).map_err(|e| CoreError::UnexpectedJson(e.to_string()))?;
    canonicalize(&value)
}

/// Compares two strings by their UTF-16 code units, as RFC 8785 §3.2.3 sorts member names.
///
/// UTF-8 byte order equals code point order, which equals UTF-16 order except between a
/// supplementary character (UTF-16 surrogates, 0xD800–0xDFFF) and a BMP character in
/// U+E000–U+FFFF. At the first differing byte both strings are at the same position within a
/// character (their prefixes are equal), so it suffices to look at that byte: lead bytes 0xEE
/// and 0xEF start U+E000–U+FFFF and lead bytes 0xF0–0xF4 start supplementary characters.
fn cmp_utf16(a: &str, b: &str) -> Ordering {
    let (a, b) = (a.as_bytes(), b.as_bytes());
    match a.iter().zip(b).find(|(x, y)| x != y) {
        None => a.len().cmp(&b.len()),
        Some((&x, &y)) => {
            if x >= 0xEE && y >= 0xEE && ((x >= 0xF0) != (y >= 0xF0)) {
                y.cmp(&x)
            } else {
                x.cmp(&y)
            }
        }
    }
}

/// A container being written: the rest of an array, or a range of sorted members.
enum Frame<'a> {
    /// Items `next..` of the array are still to be written.
    Array { items: &'a [Value], next: usize },
    /// Members `next..end` of the member arena are still to be written; the object's members
    /// start at `start` (truncated away when the object is closed).
    Object { start: usize, next: usize, end: usize },
}

/// Appends the canonical form of `value` to `out`, iteratively.
fn write_canonical(value: &Value, out: &mut Vec<u8>) -> Result<()> {
    let mut stack: Vec<Frame<'_>> = Vec::new();
    // Sorted members of every open object, innermost last.
    let mut members: Vec<(&str, &Value)> = Vec::new();
    open_value(value, out, &mut stack, &mut members)?;
    while let Some(frame) = stack.last_mut() {
        let next = match frame {
            Frame::Array { items, next } => {
                let Some(item) = items.get(*next) else {
                    out.push(b']');
                    stack.pop();
                    continue;
                };
                if *next > 0 {
                    out.push(b',');
                }
                *next += 1;
                item
            }
            Frame::Object { start, next, end } => {
                if *next < *end {
                    let Some(&(key, item)) = members.get(*next) else {
                        return Err(CoreError::Internal("JCS member index".to_owned()));
                    };
                    if *next > *start {
                        out.push(b',');
                    }
                    *next += 1;
                    write_string(key, out);
                    out.push(b':');
                    item
                } else {
                    out.push(b'}');
                    members.truncate(*start);
                    stack.pop();
                    continue;
                }
            }
        };
        open_value(next, out, &mut stack, &mut members)?;
    }
    Ok(())
}

/// Writes a scalar or an empty container whole; for a non-empty container writes the opening
/// bracket and pushes a frame.
fn open_value<'a>(
    value: &'a Value,
    out: &mut Vec<u8>,
    stack: &mut Vec<Frame<'a>>,
    members: &mut Vec<(&'a str, &'a Value)>,
) -> Result<()> {
    match value {
        Value::Null => out.extend_from_slice(b"null"),
        Value::Bool(true) => out.extend_from_slice(b"true"),
        Value::Bool(false) => out.extend_from_slice(b"false"),
        Value::Number(n) => write_number(n, out)?,
        Value::String(s) => write_string(s, out),
        Value::Array(items) => {
            if items.is_empty() {
                out.extend_from_slice(b"[]");
            } else {
                out.push(b'[');
                stack.push(Frame::Array { items, next: 0 });
            }
        }
        Value::Object(map) => {
            if map.is_empty() {
                out.extend_from_slice(b"{}");
            } else {
                out.push(b'{');
                let start = members.len();
                members.extend(map.iter().map(|(k, v)| (k.as_str(), v)));
                if let Some(new) = members.get_mut(start..) {
                    new.sort_unstable_by(|a, b| cmp_utf16(a.0, b.0));
                }
                stack.push(Frame::Object { start, next: start, end: members.len() });
            }
        }
    }
    Ok(())
}

/// Writes a number as ECMAScript `Number.prototype.toString` does.
fn write_number(n: &Number, out: &mut Vec<u8>) -> Result<()> {
    if let Some(u) = n.as_u64() {
        write_integer(false, u, out)
    } else if let Some(i) = n.as_i64() {
        write_integer(i < 0, i.unsigned_abs(), out)
    } else if let Some(f) = n.as_f64() {
        write_f64(f, out)
    } else {
        Err(CoreError::NumberOutOfRange(format!("{n} is not a number JCS can represent")))
    }
}

/// Writes the integer `-magnitude` (when `negative`) or `magnitude` as its IEEE-754 double.
fn write_integer(negative: bool, magnitude: u64, out: &mut Vec<u8>) -> Result<()> {
    if magnitude <= MAX_SAFE_MAGNITUDE {
        // Every integer up to 2^53 is a double whose shortest form is its decimal digits.
        if negative && magnitude != 0 {
            out.push(b'-');
        }
        write_decimal(magnitude, out);
        return Ok(());
    }
    #[allow(clippy::cast_precision_loss)] // checked below
    let f = magnitude as f64;
    let f = if negative { -f } else { f };
    // Exactly representable iff its significant bits fit in the 53-bit significand.
    let significant_bits = 64 - magnitude.leading_zeros() - magnitude.trailing_zeros();
    if significant_bits <= 53 {
        return write_f64(f, out);
    }
    // Not exact, but still safe when the digits are exactly how the nearest double is
    // written (`2345678901234567700` is the double 2345678901234567680, written back as
    // `2345678901234567700`): the canonical text equals the input, and canonicalizing it
    // again gives the same bytes. Any other integer would change on the way.
    let start = out.len();
    write_f64(f, out)?;
    let mut digits = Vec::with_capacity(21);
    if negative {
        digits.push(b'-');
    }
    write_decimal(magnitude, &mut digits);
    if out[start..] == digits[..] {
        return Ok(());
    }
    out.truncate(start);
    let sign = if negative { "-" } else { "" };
    Err(CoreError::NumberOutOfRange(format!(
        "integer {sign}{magnitude} is not exactly representable as an IEEE-754 double \
         (RFC 8785 §3.2.2.3)"
    )))
}

/// Writes an unsigned integer in decimal.
fn write_decimal(mut n: u64, out: &mut Vec<u8>) {
    let mut buf = [0u8; 20];
    let mut pos = buf.len();
    loop {
        pos -= 1;
        // `n % 10` is below 10, so the cast is exact.
        #[allow(clippy::cast_possible_truncation)]
        let digit = (n % 10) as u8;
        if let Some(slot) = buf.get_mut(pos) {
            *slot = b'0' + digit;
        }
        n /= 10;
        if n == 0 || pos == 0 {
            break;
        }
    }
    out.extend_from_slice(buf.get(pos..).unwrap_or_default());
}

/// Writes a finite double in ECMAScript form; `-0` is written as `0`.
fn write_f64(f: f64, out: &mut Vec<u8>) -> Result<()> {
    if !f.is_finite() {
        return Err(CoreError::NumberOutOfRange(format!(
            "{f} is not a finite number (RFC 8785 §3.2.2.2)"
        )));
    }
    if f == 0.0 {
        out.push(b'0');
        return Ok(());
    }
    let mut buf = ryu_js::Buffer::new();
    out.extend_from_slice(buf.format_finite(f).as_bytes());
    Ok(())
}

/// How each byte is written inside a JSON string: 0 as is, `u` as `\u00xx`, else `\` + byte.
static ESCAPE: [u8; 256] = {
    let mut table = [0u8; 256];
    let mut i = 0;
    while i < 0x20 {
        table[i] = b'u';
        i += 1;
    }
    table[0x08] = b'b';
    table[0x09] = b't';
    table[0x0a] = b'n';
    table[0x0c] = b'f';
    table[0x0d] = b'r';
    table[b'"' as usize] = b'"';
    table[b'\\' as usize] = b'\\';
    table
};

/// Writes a string literal escaped as ECMAScript `JSON.stringify` does (RFC 8785 §3.2.2.2).
fn write_string(s: &str, out: &mut Vec<u8>) {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    let bytes = s.as_bytes();
    out.reserve(bytes.len() + 2);
    out.push(b'"');
    let mut run_start = 0;
    for (i, &byte) in bytes.iter().enumerate() {
        let escape = ESCAPE[usize::from(byte)];
        if escape == 0 {
            continue;
        }
        out.extend_from_slice(bytes.get(run_start..i).unwrap_or_default());
        run_start = i + 1;
        if escape == b'u' {
            out.extend_from_slice(&[
                b'\\',
                b'u',
                b'0',
                b'0',
                HEX[usize::from(byte >> 4)],
                HEX[usize::from(byte & 0xf)],
            ]);
        } else {
            out.extend_from_slice(&[b'\\', escape]);
        }
    }
    out.extend_from_slice(bytes.get(run_start..).unwrap_or_default());
    out.push(b'"');
}

/// A quick lower-bound guess of the canonical length, to size the output buffer once.
fn estimate_len(value: &Value) -> usize {
    match value {
        Value::Array(items) => 2 + items.len() * 8,
        Value::Object(map) => 2 + map.len() * 16,
        Value::String(s) => s.len() + 2,
        _ => 24,
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]

    use super::*;
    use crate::ErrorCode;

    #[test]
    fn utf16_order_matches_reference() {
        let samples = [
            "",
            "a",
            "ab",
            "b",
            "\u{7f}",
            "\u{80}",
            "\u{7ff}",
            "\u{800}",
            "\u{d7ff}",
            "\u{e000}",
            "\u{fb33}",
            "\u{ffff}",
            "\u{10000}",
            "\u{1f602}",
            "\u{10ffff}",
            "a\u{e000}",
            "a\u{10000}",
            "a\u{ffff}b",
            "a\u{1f602}",
            "\u{ee}",
            "\u{f0}",
            "\u{3a0}",
        ];
        for a in samples {
            for b in samples {
                assert_eq!(
                    cmp_utf16(a, b),
                    a.encode_utf16().cmp(b.encode_utf16()),
                    "{a:?} vs {b:?}"
                );
            }
        }
    }

    #[test]
    fn decimal_writer() {
        for n in [0, 1, 9, 10, 99, 100, 1 << 53, u64::MAX] {
            let mut out = Vec::new();
            write_decimal(n, &mut out);
            assert_eq!(out, n.to_string().as_bytes());
        }
    }

    #[test]
    fn large_integers() {
        let ok = |v: Value| canonicalize_to_string(&v).unwrap();
        let code = |v: Value| canonicalize(&v).unwrap_err().code();
        assert_eq!(ok(Value::from(1u64 << 60)), "1152921504606847000");
        assert_eq!(ok(Value::from(-(1i64 << 60))), "-1152921504606847000");
        assert_eq!(ok(Value::from(i64::MIN)), "-9223372036854776000");
        assert_eq!(ok(Value::from(-9_007_199_254_740_992i64)), "-9007199254740992");
        assert_eq!(code(Value::from(u64::MAX)), ErrorCode::NumberOutOfRange);
        assert_eq!(code(Value::from(i64::MAX)), ErrorCode::NumberOutOfRange);
        assert_eq!(code(Value::from(-9_007_199_254_740_993i64)), ErrorCode::NumberOutOfRange);
    }

    #[test]
    fn deep_value_does_not_overflow() {
        let mut v = Value::from(1);
        for i in 0..100_000 {
            v = if i % 2 == 0 {
                Value::Array(vec![v])
            } else {
                let mut m = serde_json::Map::new();
                m.insert("k".to_owned(), v);
                Value::Object(m)
            };
        }
        let out = canonicalize(&v).unwrap();
        assert_eq!(out.len(), 1 + 50_000 * 2 + 50_000 * 6);
        // serde_json drops values recursively; unwind it by hand to keep the test stack small.
        let mut cur = Some(v);
        while let Some(node) = cur.take() {
            cur = match node {
                Value::Array(mut items) => items.pop(),
                Value::Object(mut m) => m.shift_remove("k"),
                _ => None,
            };
        }
    }

    #[test]
    fn nested_empty_and_mixed() {
        let v: Value = serde_json::from_str(r#"[[],{},[{}],{"b":[],"a":{}},[1,[2,[3]]]]"#).unwrap();
        assert_eq!(
            canonicalize_to_string(&v).unwrap(),
            r#"[[],{},[{}],{"a":{},"b":[]},[1,[2,[3]]]]"#
        );
    }
}
