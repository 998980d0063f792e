//! The hostile-input corpus of dpikit: code that writes `vectors/<block>/cases.json` and
//! walks every case through the public Rust API.
//!
//! A case is `{id, op, input, expect}` (docs/hostile.md lists the ops): `op` names one public entry
//! point, `input` carries the bytes under test in `input.data` plus the op's parameters, and
//! `expect` is `{"ok": value}` or `{"error": "<ErrorCode name>"}`. The bytes are described
//! compactly so that the files stay small and every binding can rebuild them:
//!
//! - a JSON string: its UTF-8 bytes;
//! - `{"base64": "…"}`: raw bytes (invalid UTF-8, binary packets), standard base64;
//! - `{"repeat": [["text", n], …]}`: each text repeated `n` times, concatenated (10 000-deep
//!   nesting, 50 MiB inputs).
//!
//! Every input is deterministic: fixed keys (`[7; 32]` Ed25519, `[9; 32]` P-256), fixed
//! instants, no random salts, so regenerating the files gives the same bytes.
#![forbid(unsafe_code)]
// The case lists are flat tables: one long function per op reads best, and short closure
// names (`c` for "case") keep each row on one line.
#![allow(clippy::too_many_lines, clippy::many_single_char_names)]

mod consent_cases;
mod core_cases;
mod credentials_cases;
mod exchange_cases;
mod payments_cases;

use base64::Engine as _;
use dpikit_core::ErrorCode;
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};

/// The building blocks, each with its own `vectors/<block>/cases.json`.
pub const BLOCKS: [&str; 5] = ["core", "credentials", "consent", "payments", "exchange"];

/// Largest input a case may describe (the 50 MiB cases sit just above 50 MiB).
pub const MAX_MATERIALIZED_BYTES: usize = 64 << 20;

/// One hostile (or control) case.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Case {
    /// Unique id, `<block>/<op>/<what>`.
    pub id: String,
    /// The public entry point the case exercises (see [`run`]).
    pub op: String,
    /// The data under test (`data`) and the op's parameters.
    pub input: Value,
    /// The expected outcome.
    pub expect: Expect,
}

/// What a case must produce.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Expect {
    /// Success with this summary value.
    Ok(Value),
    /// Failure with the ErrorCode of this snake_case name.
    Error(String),
}

/// The result of running one case: the op's summary value, or its error code.
pub type Outcome = Result<Value, ErrorCode>;

/// Returns every case of `block`, in a stable order.
///
/// # Panics
///
/// Panics on an unknown block name or when a fixed test key cannot be built (a bug here).
#[must_use]
pub fn cases(block: &str) -> Vec<Case> {
    match block {
        "core" => core_cases::cases(),
        "credentials" => credentials_cases::cases(),
        "consent" => consent_cases::cases(),
        "payments" => payments_cases::cases(),
        "exchange" => exchange_cases::cases(),
        other => panic!("unknown block {other}"),
    }
}

/// Serialises the cases of a block as the text of its `cases.json`.
///
/// # Panics
///
/// Panics if serialisation fails (it cannot for these values).
#[must_use]
pub fn render(cases: &[Case]) -> String {
    let mut out = String::from("[\n");
    for (i, c) in cases.iter().enumerate() {
        #[allow(clippy::expect_used)] // Plain JSON values always serialise.
        out.push_str(&serde_json::to_string(c).expect("serialise case"));
        out.push_str(if i + 1 == cases.len() { "\n" } else { ",\n" });
    }
    out.push_str("]\n");
    out
}

/// Runs one case's `op` on its `input` through the public Rust API.
///
/// Returns `None` for an op this runner does not know.
#[must_use]
pub fn run(op: &str, input: &Value) -> Option<Outcome> {
    core_cases::run(op, input)
        .or_else(|| credentials_cases::run(op, input))
        .or_else(|| consent_cases::run(op, input))
        .or_else(|| payments_cases::run(op, input))
        .or_else(|| exchange_cases::run(op, input))
}

/// Rebuilds the bytes a data description stands for (see the crate documentation).
///
/// # Errors
///
/// [`ErrorCode::InvalidArgument`] for a malformed description or one over
/// [`MAX_MATERIALIZED_BYTES`].
pub fn materialize(data: &Value) -> Result<Vec<u8>, ErrorCode> {
    match data {
        Value::String(s) => Ok(s.as_bytes().to_vec()),
        Value::Object(m) if m.len() == 1 => {
            if let Some(b) = m.get("base64").and_then(Value::as_str) {
                return base64::engine::general_purpose::STANDARD
                    .decode(b)
                    .map_err(|_| ErrorCode::InvalidArgument);
            }
            let parts =
                m.get("repeat").and_then(Value::as_array).ok_or(ErrorCode::InvalidArgument)?;
            let mut out = Vec::new();
            for part in parts {
                let (Some(text), Some(n)) = (
                    part.get(0).and_then(Value::as_str),
                    part.get(1).and_then(Value::as_u64).and_then(|n| usize::try_from(n).ok()),
                ) else {
                    return Err(ErrorCode::InvalidArgument);
                };
                let size = text.len().checked_mul(n).ok_or(ErrorCode::InvalidArgument)?;
                if out.len() + size > MAX_MATERIALIZED_BYTES {
                    return Err(ErrorCode::InvalidArgument);
                }
                out.extend(text.as_bytes().repeat(n));
            }
            Ok(out)
        }
        _ => Err(ErrorCode::InvalidArgument),
    }
}

// ---- helpers shared by the block modules ----

/// The bytes of `input.data`.
pub(crate) fn data(input: &Value) -> Result<Vec<u8>, ErrorCode> {
    materialize(input.get("data").ok_or(ErrorCode::InvalidArgument)?)
}

/// `input.data` as text: bytes that are not UTF-8 cannot reach a `&str` API, and a caller
/// converting them reports `invalid_utf8`, as this does.
pub(crate) fn text(input: &Value) -> Result<String, ErrorCode> {
    String::from_utf8(data(input)?).map_err(|_| ErrorCode::InvalidUtf8)
}

/// A string parameter of the input.
pub(crate) fn param<'a>(input: &'a Value, name: &str) -> Result<&'a str, ErrorCode> {
    input.get(name).and_then(Value::as_str).ok_or(ErrorCode::InvalidArgument)
}

pub(crate) fn case(id: &str, op: &str, input: Value, expect: Expect) -> Case {
    Case { id: id.to_owned(), op: op.to_owned(), input, expect }
}

pub(crate) fn err(code: ErrorCode) -> Expect {
    Expect::Error(code.name().to_owned())
}

pub(crate) fn ok(value: Value) -> Expect {
    Expect::Ok(value)
}

/// Raw bytes as a data description.
pub(crate) fn bytes(b: &[u8]) -> Value {
    json!({"base64": base64::engine::general_purpose::STANDARD.encode(b)})
}

/// Repeated text as a data description.
pub(crate) fn repeat(parts: &[(&str, usize)]) -> Value {
    json!({"repeat": parts.iter().map(|(t, n)| json!([t, n])).collect::<Vec<_>>()})
}

/// `input` with `data` added to the given parameters.
pub(crate) fn with_data(data: Value, params: &Value) -> Value {
    let mut input = params.clone();
    if let Value::Object(m) = &mut input {
        m.insert("data".to_owned(), data);
        input
    } else {
        json!({ "data": data })
    }
}

/// The kinds of malformed JSON every JSON intake must reject, as `(name, data, code)`.
/// `big` is the size of the oversize case (just over 50 MiB).
pub(crate) fn json_battery() -> Vec<(&'static str, Value, ErrorCode)> {
    const FIFTY_MIB: usize = 50 << 20;
    vec![
        ("duplicate-key", json!(r#"{"a": 1, "a": 2}"#), ErrorCode::DuplicateKey),
        (
            "duplicate-key-nested",
            json!(r#"{"x": {"id": "a", "id": "b"}}"#),
            ErrorCode::DuplicateKey,
        ),
        ("duplicate-key-escaped", json!(r#"{"id": 1, "\u0069d": 2}"#), ErrorCode::DuplicateKey),
        (
            "nesting-10000-arrays",
            repeat(&[("[", 10_000), ("]", 10_000)]),
            ErrorCode::NestingTooDeep,
        ),
        (
            "nesting-10000-objects",
            repeat(&[("{\"a\":", 10_000), ("1", 1), ("}", 10_000)]),
            ErrorCode::NestingTooDeep,
        ),
        ("nesting-unclosed", repeat(&[("[", 100_000)]), ErrorCode::NestingTooDeep),
        ("lone-high-surrogate", json!(r#"{"a": "\ud800"}"#), ErrorCode::InvalidUtf8),
        ("lone-low-surrogate", json!(r#"{"a": "x\udc00y"}"#), ErrorCode::InvalidUtf8),
        ("invalid-utf8-byte", bytes(b"{\"a\": \"\xff\"}"), ErrorCode::InvalidUtf8),
        ("invalid-utf8-overlong", bytes(b"{\"a\": \"\xc0\xaf\"}"), ErrorCode::InvalidUtf8),
        (
            "invalid-utf8-encoded-surrogate",
            bytes(b"{\"a\": \"\xed\xa0\x80\"}"),
            ErrorCode::InvalidUtf8,
        ),
        (
            "size-50mib-string",
            repeat(&[("{\"a\": \"", 1), ("A", FIFTY_MIB), ("\"}", 1)]),
            ErrorCode::InputTooLarge,
        ),
        ("size-50mib-whitespace", repeat(&[(" ", FIFTY_MIB), ("{}", 1)]), ErrorCode::InputTooLarge),
        ("number-1e400", json!(r#"{"a": 1e400}"#), ErrorCode::NumberOutOfRange),
        ("truncated", json!(r#"{"a": [1, 2"#), ErrorCode::MalformedJson),
        ("trailing-data", json!(r#"{"a": 1} {"b": 2}"#), ErrorCode::MalformedJson),
        ("single-quotes", json!("{'a': 1}"), ErrorCode::MalformedJson),
        ("nan-literal", json!(r#"{"a": NaN}"#), ErrorCode::MalformedJson),
        ("empty", json!(""), ErrorCode::MalformedJson),
    ]
}

/// The same battery as cases of `op` (the parameters are added to each input), with the
/// expected code mapped through `map(name, code)` (an op may report a core code under its own).
pub(crate) fn battery_cases(
    prefix: &str,
    op: &str,
    params: &Value,
    map: impl Fn(&str, ErrorCode) -> ErrorCode,
) -> Vec<Case> {
    json_battery()
        .into_iter()
        .map(|(name, d, code)| {
            case(&format!("{prefix}/{name}"), op, with_data(d, params), err(map(name, code)))
        })
        .collect()
}

/// The memory bound of a runner: how much one case may grow the process's peak resident set.
pub mod memory {
    /// What one case may add to the peak resident set beyond three times its input (the
    /// input, its text form and one working copy): 64 MiB.
    pub const SLACK_KIB: u64 = 64 * 1024;

    /// The most one case with an input of `input_len` bytes may grow the peak, in KiB.
    #[must_use]
    pub fn bound_kib(input_len: usize) -> u64 {
        3 * (input_len as u64) / 1024 + SLACK_KIB
    }

    /// The process's peak resident set in KiB (Linux `VmHWM`), or `None` where unavailable.
    #[must_use]
    pub fn peak_kib() -> Option<u64> {
        let status = std::fs::read_to_string("/proc/self/status").ok()?;
        let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
        line.split_whitespace().nth(1)?.parse().ok()
    }

    /// Resets the peak to the current resident set (Linux `clear_refs` 5) and returns it;
    /// `None` where refused, and then no case's memory can be measured.
    #[must_use]
    pub fn reset_peak() -> Option<u64> {
        std::fs::write("/proc/self/clear_refs", "5").ok()?;
        peak_kib()
    }

    /// How much the peak grew since [`reset_peak`] returned `before`.
    #[must_use]
    pub fn growth_kib(before: Option<u64>) -> Option<u64> {
        before.zip(peak_kib()).map(|(b, a)| a.saturating_sub(b))
    }
}
