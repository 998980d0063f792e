//! Exchange: an offline JSON Schema registry (Smart Data Models…) and NGSI-LD conversion.

use dpikit_exchange::Registry;
use dpikit_exchange::ngsi;
use wasm_bindgen::prelude::*;

use crate::conv::{json_bytes, json_in, to_js_value};
use crate::errors::to_js;

/// An offline JSON Schema registry: schemas are registered from memory, `$ref`s resolve only
/// among them (a remote `$ref` is the `unresolved_ref` error, never a fetch).
#[wasm_bindgen]
pub struct SchemaRegistry {
    inner: Registry,
}

#[wasm_bindgen]
impl SchemaRegistry {
    /// An empty registry, or with `builtin` the schemas dpikit ships.
    ///
    /// # Errors
    ///
    /// The registry's errors for the built-in schemas (not expected).
    #[wasm_bindgen(constructor)]
    pub fn new(builtin: Option<bool>) -> Result<SchemaRegistry, JsValue> {
        let inner = if builtin.unwrap_or(false) {
            Registry::with_builtin().map_err(to_js)?
        } else {
            Registry::new()
        };
        Ok(SchemaRegistry { inner })
    }

    /// Registers a schema (object, JSON text or bytes); returns its key `{id, version}`.
    ///
    /// # Errors
    ///
    /// `schema_invalid`, `malformed_json`, … by code.
    pub fn register(&mut self, schema: &JsValue) -> Result<JsValue, JsValue> {
        to_js_value(&self.inner.register_bytes(&json_bytes(schema)?).map_err(to_js)?)
    }

    /// Makes `alias` (e.g. a raw URL a `$ref` uses) name the registered `$id` `id`.
    ///
    /// # Errors
    ///
    /// `schema_not_found` when `id` is not registered.
    #[wasm_bindgen(js_name = addAlias)]
    pub fn add_alias(&mut self, alias: &str, id: &str) -> Result<(), JsValue> {
        self.inner.add_alias(alias, id).map_err(to_js)
    }

    /// Validates `instance` against schema `id` (highest version unless `version`):
    /// `{schema, issues}`, each issue with `instancePath`-style fields and a keyword `code`.
    ///
    /// # Errors
    ///
    /// `schema_not_found`, `unresolved_ref`, `schema_invalid` by code; an invalid instance is
    /// not an error but issues in the report.
    pub fn validate(
        &self,
        id: &str,
        instance: &JsValue,
        version: Option<String>,
    ) -> Result<JsValue, JsValue> {
        let key = self.inner.resolve(id, version.as_deref()).map_err(to_js)?;
        to_js_value(&self.inner.validate(&key, &json_in(instance)?).map_err(to_js)?)
    }
}

/// Converts a normalized NGSI-LD entity to keyValues: `{entity, dropped}`.
///
/// # Errors
///
/// `ngsi_invalid` and the JSON intake errors by code.
#[wasm_bindgen(js_name = ngsiToKeyValues)]
pub fn ngsi_to_key_values(entity: &JsValue) -> Result<JsValue, JsValue> {
    to_js_value(&ngsi::to_key_values(&json_in(entity)?).map_err(to_js)?)
}
