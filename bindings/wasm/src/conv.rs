//! JS ⇄ JSON conversions: every JSON input is JSON text, a `Uint8Array` of JSON, or a plain
//! object/array, and goes through the core's bounded intake (size, depth, duplicate keys).

use dpikit_core::time::{Timestamp, parse_rfc3339};
use dpikit_core::{ErrorCode, Limits, parse_json};
use js_sys::Uint8Array;
use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::Value;
use wasm_bindgen::prelude::*;

use crate::errors::{invalid_argument, raise, to_js};

/// The bytes of a JSON input: a string, a `Uint8Array`, or a structure (`JSON.stringify`).
pub(crate) fn json_bytes(input: &JsValue) -> Result<Vec<u8>, JsValue> {
    if let Some(text) = input.as_string() {
        return Ok(text.into_bytes());
    }
    if let Some(bytes) = input.dyn_ref::<Uint8Array>() {
        return Ok(bytes.to_vec());
    }
    if input.is_undefined() || input.is_function() || input.is_symbol() {
        return Err(invalid_argument("expected JSON text, a Uint8Array or a plain object"));
    }
    let text = js_sys::JSON::stringify(input).map_err(|_| invalid_argument("not JSON-able"))?;
    Ok(String::from(text).into_bytes())
}

/// A JSON input parsed through the core's bounded intake.
pub(crate) fn json_in(input: &JsValue) -> Result<Value, JsValue> {
    parse_json(&json_bytes(input)?, &Limits::default()).map_err(to_js)
}

/// Anything serde can serialize, as plain JS objects (maps become objects).
pub(crate) fn to_js_value<T: Serialize + ?Sized>(value: &T) -> Result<JsValue, JsValue> {
    value
        .serialize(&serde_wasm_bindgen::Serializer::json_compatible())
        .map_err(|e| raise(ErrorCode::Internal, &e.to_string()))
}

/// An options object (`undefined`/`null` is the default) read into `T`.
pub(crate) fn options<T: DeserializeOwned + Default>(input: &JsValue) -> Result<T, JsValue> {
    if input.is_undefined() || input.is_null() {
        return Ok(T::default());
    }
    serde_wasm_bindgen::from_value(input.clone()).map_err(|e| invalid_argument(e.to_string()))
}

/// An RFC 3339 instant, or now (JS `Date`) when absent.
pub(crate) fn timestamp_or_now(at: Option<&str>) -> Result<Timestamp, JsValue> {
    at.map_or_else(|| Ok(chrono_now()), |t| parse_rfc3339(t).map_err(to_js))
}

fn chrono_now() -> Timestamp {
    dpikit_core::time::Clock::now(&dpikit_core::time::SystemClock)
}
