//! Payments: ISO 20022 parsing and validation (scheme rules).

use dpikit_payments::iso::{self, ParseOptions};
use dpikit_payments::validate::{self, CbprPlus};
use serde_json::json;
use wasm_bindgen::prelude::*;

use crate::conv::{json_bytes, to_js_value};
use crate::errors::to_js;

/// Parses and validates an ISO 20022 message (XML text or `Uint8Array`): `{kind, findings,
/// parseFindings}`; `findings` are the validation findings (each `{code, location,
/// message}`), with the CBPR+ rules when `cbprPlus` is true. `lenient` reports unknown
/// elements in `parseFindings` instead of failing.
///
/// # Errors
///
/// `xml_forbidden`, `malformed_message`, `unsupported_message`, `unknown_element`, … by code.
#[wasm_bindgen(js_name = validateIso20022)]
pub fn validate_iso20022(
    xml: &JsValue,
    cbpr_plus: Option<bool>,
    lenient: Option<bool>,
) -> Result<JsValue, JsValue> {
    let options = ParseOptions { lenient: lenient.unwrap_or(false), ..ParseOptions::default() };
    let parsed = iso::parse(&json_bytes(xml)?, &options).map_err(to_js)?;
    let findings = if cbpr_plus.unwrap_or(false) {
        validate::validate_with(&parsed.message, &[&CbprPlus])
    } else {
        validate::validate(&parsed.message)
    };
    let kind = parsed.message.document.kind().id();
    to_js_value(&json!({"kind": kind, "findings": findings, "parseFindings": parsed.findings}))
}
