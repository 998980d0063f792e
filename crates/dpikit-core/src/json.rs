//! Bounded JSON intake: the one way every dpikit crate turns untrusted bytes into JSON.
//!
//! [`parse_json`] enforces, in this order:
//!
//! 1. a size limit, checked before any parsing ([`CoreError::InputTooLarge`]);
//! 2. UTF-8 validity ([`CoreError::InvalidUtf8`]; a lone surrogate escape such as `"\ud800"`
//!    counts as invalid UTF-8 too);
//! 3. a nesting-depth limit, enforced while parsing so that hostile input such as ten
//!    thousand `[` never recurses deeply ([`CoreError::NestingTooDeep`]);
//! 4. unique object keys ([`CoreError::DuplicateKey`]), since two parsers that keep different
//!    duplicates would see different documents (I-JSON, RFC 7493 §2.3);
//! 5. well-formed JSON with nothing after the value ([`CoreError::MalformedJson`]).
//!
//! Numbers keep serde_json's usual representation: `u64`, `i64`, else `f64` (so a 100-digit
//! integer becomes an `f64`); a number too large for `f64`, such as `1e400`, is
//! [`CoreError::NumberOutOfRange`].
//!
//! Floating-point numbers are correctly rounded: the workspace enables serde_json's
//! `float_roundtrip` feature (without it serde_json reads `333333333.33333329` one ulp off,
//! which would break RFC 8785 canonicalization).

use core::cell::RefCell;
use core::fmt;

use serde::de::{self, DeserializeOwned, DeserializeSeed, MapAccess, SeqAccess, Visitor};
use serde_json::map::Entry;
use serde_json::{Map, Number, Value};

use crate::error::{CoreError, Result};

/// The deepest nesting serde_json itself accepts (its recursion limit is 128 levels, of which
/// 127 are usable); [`parse_json`] caps [`Limits::max_depth`] at this value.
pub const MAX_SUPPORTED_DEPTH: usize = 127;

/// Limits applied by [`parse_json`] to untrusted input.
///
/// The default allows 1 MiB of input nested at most 64 levels deep.
///
/// # Examples
///
/// ```
/// use dpikit_core::Limits;
///
/// let limits = Limits::default();
/// assert_eq!(limits.max_bytes, 1_048_576);
/// assert_eq!(limits.max_depth, 64);
/// assert_eq!(Limits::new(4096, 8).max_depth, 8);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// The largest accepted input, in bytes.
    pub max_bytes: usize,
    /// The deepest accepted nesting of arrays and objects: `0` admits only scalars, `1` admits
    /// `[1]` but not `[[1]]`. Values above [`MAX_SUPPORTED_DEPTH`] act as that value.
    pub max_depth: usize,
}

impl Limits {
    /// The default size limit: 1 MiB.
    pub const DEFAULT_MAX_BYTES: usize = 1_048_576;
    /// The default depth limit: 64 levels.
    pub const DEFAULT_MAX_DEPTH: usize = 64;

    /// Creates limits with the given size (bytes) and nesting depth.
    ///
    /// # Examples
    ///
    /// ```
    /// use dpikit_core::Limits;
    ///
    /// let limits = Limits::new(16 * 1024, 32);
    /// assert_eq!(limits.max_bytes, 16 * 1024);
    /// ```
    #[must_use]
    pub const fn new(max_bytes: usize, max_depth: usize) -> Self {
        Self { max_bytes, max_depth }
    }

    /// Returns these limits with another size limit.
    #[must_use]
    pub const fn with_max_bytes(mut self, max_bytes: usize) -> Self {
        self.max_bytes = max_bytes;
        self
    }

    /// Returns these limits with another depth limit.
    #[must_use]
    pub const fn with_max_depth(mut self, max_depth: usize) -> Self {
        self.max_depth = max_depth;
        self
    }
}

impl Default for Limits {
    fn default() -> Self {
        Self::new(Self::DEFAULT_MAX_BYTES, Self::DEFAULT_MAX_DEPTH)
    }
}

/// Parses untrusted bytes as JSON within `limits`.
///
/// Checks the size first, then UTF-8, then parses while enforcing the depth limit and
/// rejecting duplicate object keys. Object members keep their document order.
///
/// # Errors
///
/// - [`CoreError::InputTooLarge`] when `bytes` is longer than `limits.max_bytes` (nothing is
///   parsed);
/// - [`CoreError::InvalidUtf8`] when `bytes` is not UTF-8 or a string holds a lone surrogate
///   escape;
/// - [`CoreError::NestingTooDeep`] when arrays/objects nest deeper than `limits.max_depth`
///   (capped at [`MAX_SUPPORTED_DEPTH`]);
/// - [`CoreError::DuplicateKey`] when an object holds the same key twice;
/// - [`CoreError::NumberOutOfRange`] when a number overflows `f64` (e.g. `1e400`);
/// - [`CoreError::MalformedJson`] for any other syntax error, trailing data or early end of
///   input (the message carries line and column).
///
/// # Examples
///
/// ```
/// use dpikit_core::{ErrorCode, Limits, parse_json};
///
/// let value = parse_json(br#"{"b": [1, 2.5, "x"], "a": null}"#, &Limits::default())?;
/// assert_eq!(value["b"][1], 2.5);
///
/// let err = parse_json(br#"{"a": 1, "a": 2}"#, &Limits::default()).unwrap_err();
/// assert_eq!(err.code(), ErrorCode::DuplicateKey);
///
/// let err = parse_json(b"[[[1]]]", &Limits::new(1024, 2)).unwrap_err();
/// assert_eq!(err.code(), ErrorCode::NestingTooDeep);
/// # Ok::<(), dpikit_core::CoreError>(())
/// ```
pub fn parse_json(bytes: &[u8], limits: &Limits) -> Result<Value> {
    check_size(bytes.len(), limits)?;
    let text = core::str::from_utf8(bytes).map_err(|e| CoreError::InvalidUtf8(e.to_string()))?;
    parse_checked_str(text, limits)
}

/// Parses untrusted text as JSON within `limits`, like [`parse_json`] for input that is
/// already a `&str`.
///
/// # Errors
///
/// As [`parse_json`] (the text is UTF-8 already, but a lone surrogate escape is still
/// [`CoreError::InvalidUtf8`]).
///
/// # Examples
///
/// ```
/// use dpikit_core::Limits;
/// use dpikit_core::json::parse_json_str;
///
/// let value = parse_json_str(r#"{"n": 18446744073709551615}"#, &Limits::default())?;
/// assert_eq!(value["n"].as_u64(), Some(u64::MAX));
/// # Ok::<(), dpikit_core::CoreError>(())
/// ```
pub fn parse_json_str(text: &str, limits: &Limits) -> Result<Value> {
    check_size(text.len(), limits)?;
    parse_checked_str(text, limits)
}

/// Deserializes a parsed JSON value into `T`.
///
/// # Errors
///
/// [`CoreError::UnexpectedJson`] when the value does not have the shape `T` expects (wrong
/// type, missing member, unknown variant, ...).
///
/// # Examples
///
/// ```
/// use dpikit_core::ErrorCode;
/// use dpikit_core::json::from_json_value;
/// use serde_json::json;
///
/// let pair: (u8, String) = from_json_value(json!([7, "seven"]))?;
/// assert_eq!(pair, (7, "seven".to_owned()));
///
/// let err = from_json_value::<u8>(json!("seven")).unwrap_err();
/// assert_eq!(err.code(), ErrorCode::UnexpectedJson);
/// # Ok::<(), dpikit_core::CoreError>(())
/// ```
pub fn from_json_value<T: DeserializeOwned>(value: Value) -> Result<T> {
    serde_json::from_value(value).map_err(|e| CoreError::UnexpectedJson(e.to_string()))
}

/// Parses untrusted bytes within `limits`, then deserializes the value into `T`.
///
/// All intake checks of [`parse_json`] run before `T` sees the data, so duplicate keys or deep
/// nesting are rejected even where `T` would ignore them.
///
/// # Errors
///
/// Any error of [`parse_json`]; [`CoreError::UnexpectedJson`] when the well-formed value
/// does not have the shape `T` expects.
///
/// # Examples
///
/// ```
/// use dpikit_core::{ErrorCode, Limits};
/// use dpikit_core::json::parse_json_as;
///
/// #[derive(Debug, serde::Deserialize)]
/// struct Point {
///     x: i32,
///     y: i32,
/// }
///
/// let p: Point = parse_json_as(br#"{"x": 1, "y": -2}"#, &Limits::default())?;
/// assert_eq!((p.x, p.y), (1, -2));
///
/// let err = parse_json_as::<Point>(br#"{"x": 1}"#, &Limits::default()).unwrap_err();
/// assert_eq!(err.code(), ErrorCode::UnexpectedJson);
/// # Ok::<(), dpikit_core::CoreError>(())
/// ```
pub fn parse_json_as<T: DeserializeOwned>(bytes: &[u8], limits: &Limits) -> Result<T> {
    from_json_value(parse_json(bytes, limits)?)
}

fn check_size(size: usize, limits: &Limits) -> Result<()> {
    if size > limits.max_bytes {
        return Err(CoreError::InputTooLarge { size, limit: limits.max_bytes });
    }
    Ok(())
}

fn parse_checked_str(text: &str, limits: &Limits) -> Result<Value> {
    let ctx =
        Ctx { max_depth: limits.max_depth.min(MAX_SUPPORTED_DEPTH), error: RefCell::new(None) };
    let mut de = serde_json::Deserializer::from_str(text);
    let parsed = ValueSeed { depth: 0, ctx: &ctx }
        .deserialize(&mut de)
        .and_then(|value| de.end().map(|()| value));
    parsed.map_err(|e| ctx.error.take().unwrap_or_else(|| map_serde_error(&e, &ctx)))
}

/// Maps an error that serde_json raised itself (not one of ours) to a typed error.
///
/// serde_json does not expose its error kinds beyond [`serde_json::error::Category`], so the
/// few kinds that need their own code are told apart by serde_json's fixed message text.
fn map_serde_error(e: &serde_json::Error, ctx: &Ctx) -> CoreError {
    let msg = e.to_string();
    if msg.starts_with("lone leading surrogate")
        || msg.starts_with("unexpected end of hex escape")
        || msg.starts_with("invalid unicode code point")
    {
        CoreError::InvalidUtf8(msg)
    } else if msg.starts_with("recursion limit exceeded") {
        CoreError::NestingTooDeep { limit: ctx.max_depth }
    } else if msg.starts_with("number out of range") {
        CoreError::NumberOutOfRange(msg)
    } else {
        CoreError::MalformedJson(msg)
    }
}

/// State shared by every seed of one parse: the depth limit and the first typed error.
struct Ctx {
    max_depth: usize,
    /// The typed error behind the `serde_json::Error` that a visitor returned; it is preferred
    /// over serde_json's error when the parse fails.
    error: RefCell<Option<CoreError>>,
}

impl Ctx {
    fn fail<E: de::Error>(&self, err: CoreError) -> E {
        let msg = err.to_string();
        let mut slot = self.error.borrow_mut();
        if slot.is_none() {
            *slot = Some(err);
        }
        E::custom(msg)
    }
}

/// Deserializes one JSON value at nesting `depth` (the number of enclosing arrays/objects).
#[derive(Clone, Copy)]
struct ValueSeed<'c> {
    depth: usize,
    ctx: &'c Ctx,
}

impl ValueSeed<'_> {
    /// Returns the seed for the children of a container at this seed's level.
    fn enter<E: de::Error>(self) -> core::result::Result<Self, E> {
        let depth = self.depth + 1;
        if depth > self.ctx.max_depth {
            return Err(self.ctx.fail(CoreError::NestingTooDeep { limit: self.ctx.max_depth }));
        }
        Ok(Self { depth, ..self })
    }
}

impl<'de> DeserializeSeed<'de> for ValueSeed<'_> {
    type Value = Value;

    fn deserialize<D: de::Deserializer<'de>>(
        self,
        deserializer: D,
    ) -> core::result::Result<Value, D::Error> {
        deserializer.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for ValueSeed<'_> {
    type Value = Value;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("any JSON value")
    }

    fn visit_bool<E: de::Error>(self, v: bool) -> core::result::Result<Value, E> {
        Ok(Value::Bool(v))
    }

    fn visit_i64<E: de::Error>(self, v: i64) -> core::result::Result<Value, E> {
        Ok(Value::Number(v.into()))
    }

    fn visit_u64<E: de::Error>(self, v: u64) -> core::result::Result<Value, E> {
        Ok(Value::Number(v.into()))
    }

    fn visit_f64<E: de::Error>(self, v: f64) -> core::result::Result<Value, E> {
        match Number::from_f64(v) {
            Some(n) => Ok(Value::Number(n)),
            None => Err(self
                .ctx
                .fail(CoreError::NumberOutOfRange(format!("{v} is not a finite number")))),
        }
    }

    fn visit_str<E: de::Error>(self, v: &str) -> core::result::Result<Value, E> {
        Ok(Value::String(v.to_owned()))
    }

    fn visit_string<E: de::Error>(self, v: String) -> core::result::Result<Value, E> {
        Ok(Value::String(v))
    }

    fn visit_unit<E: de::Error>(self) -> core::result::Result<Value, E> {
        Ok(Value::Null)
    }

    fn visit_none<E: de::Error>(self) -> core::result::Result<Value, E> {
        Ok(Value::Null)
    }

    fn visit_some<D: de::Deserializer<'de>>(
        self,
        deserializer: D,
    ) -> core::result::Result<Value, D::Error> {
        deserializer.deserialize_any(self)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> core::result::Result<Value, A::Error> {
        let inner = self.enter()?;
        let mut items = Vec::new();
        while let Some(item) = seq.next_element_seed(inner)? {
            items.push(item);
        }
        Ok(Value::Array(items))
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> core::result::Result<Value, A::Error> {
        let inner = self.enter()?;
        let mut members = Map::new();
        while let Some(key) = map.next_key::<String>()? {
            match members.entry(key) {
                Entry::Occupied(entry) => {
                    return Err(self
                        .ctx
                        .fail(CoreError::DuplicateKey { key: entry.key().clone() }));
                }
                Entry::Vacant(entry) => {
                    entry.insert(map.next_value_seed(inner)?);
                }
            }
        }
        Ok(Value::Object(members))
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]

    use super::*;
    use crate::ErrorCode;

    fn code(input: &str, limits: &Limits) -> ErrorCode {
        parse_json(input.as_bytes(), limits).unwrap_err().code()
    }

    #[test]
    fn depth_zero_admits_only_scalars() {
        let limits = Limits::new(1024, 0);
        assert_eq!(parse_json(b"7", &limits).unwrap(), Value::from(7));
        assert_eq!(code("[]", &limits), ErrorCode::NestingTooDeep);
        assert_eq!(code("{}", &limits), ErrorCode::NestingTooDeep);
    }

    #[test]
    fn depth_above_serde_limit_is_capped() {
        let limits = Limits::new(usize::MAX, 10_000);
        let ok = format!("{}{}", "[".repeat(127), "]".repeat(127));
        assert!(parse_json(ok.as_bytes(), &limits).is_ok());
        let deep = format!("{}{}", "[".repeat(128), "]".repeat(128));
        let err = parse_json(deep.as_bytes(), &limits).unwrap_err();
        assert_eq!(err, CoreError::NestingTooDeep { limit: MAX_SUPPORTED_DEPTH });
    }

    #[test]
    fn duplicate_key_names_the_key() {
        let err = parse_json(br#"{"a":{"k":1,"k":[]}}"#, &Limits::default()).unwrap_err();
        assert_eq!(err, CoreError::DuplicateKey { key: "k".to_owned() });
    }

    #[test]
    fn escaped_duplicate_key_is_detected() {
        assert_eq!(code(r#"{"a":1,"\u0061":2}"#, &Limits::default()), ErrorCode::DuplicateKey);
    }

    #[test]
    fn surrogate_errors_are_invalid_utf8() {
        for input in
            [r#""\ud800""#, r#""\udc00""#, r#""\ud800\u0041""#, r#""\ud800x""#, r#"{"\ud83d":1}"#]
        {
            assert_eq!(code(input, &Limits::default()), ErrorCode::InvalidUtf8, "{input}");
        }
        let pair = parse_json(br#""\ud83d\ude02""#, &Limits::default()).unwrap();
        assert_eq!(pair, Value::from("\u{1F602}"));
    }

    #[test]
    fn size_limit_is_inclusive() {
        let limits = Limits::new(3, 64);
        assert!(parse_json(b"123", &limits).is_ok());
        assert_eq!(code("1234", &limits), ErrorCode::InputTooLarge);
        assert_eq!(parse_json_str("1234", &limits).unwrap_err().code(), ErrorCode::InputTooLarge);
    }

    #[test]
    fn floats_are_correctly_rounded() {
        let input = br#"[333333333.33333329, "x\"9.9\\", {"k-1": -7, "2": 1e2}, 0.1, -0, 1E-400,
            1111111111111111111111111, 5e-324, 2.2250738585072011e-308, 18446744073709551616]"#;
        let v = parse_json(input, &Limits::default()).unwrap();
        let floats: Vec<f64> = v.as_array().unwrap().iter().filter_map(Value::as_f64).collect();
        let expected: [f64; 8] = [
            333_333_333.333_333_3,
            0.1,
            -0.0,
            0.0,
            1.111_111_111_111_111_1e24,
            5e-324,
            2.225_073_858_507_201e-308,
            18_446_744_073_709_551_616.0,
        ];
        assert_eq!(floats.len(), expected.len());
        for (got, want) in floats.iter().zip(expected) {
            assert_eq!(got.to_bits(), want.to_bits(), "{got:e} vs {want:e}");
        }
        assert_eq!(v[2]["2"].as_f64(), Some(100.0));
        assert_eq!(v[2]["k-1"].as_i64(), Some(-7));
        assert_eq!(v[1], Value::from("x\"9.9\\"));
    }

    #[test]
    fn member_order_is_kept() {
        let v = parse_json(br#"{"b":1,"a":2}"#, &Limits::default()).unwrap();
        let keys: Vec<&str> = v.as_object().unwrap().keys().map(String::as_str).collect();
        assert_eq!(keys, ["b", "a"]);
    }
}
