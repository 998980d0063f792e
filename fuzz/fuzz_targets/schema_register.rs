#![no_main]
//! Any bytes as a JSON Schema to register and compile (offline: nothing is fetched), then as
//! an instance of a built-in schema: typed errors, never a panic.
use std::sync::OnceLock;

use dpikit_exchange::{Registry, SchemaKey, schemas};
use libfuzzer_sys::fuzz_target;

fn builtin() -> &'static (Registry, SchemaKey) {
    static R: OnceLock<(Registry, SchemaKey)> = OnceLock::new();
    R.get_or_init(|| {
        let r = Registry::with_builtin().expect("built-in schemas");
        let k = r.resolve(schemas::RESIDENT_RECORD, None).expect("schema");
        (r, k)
    })
}

fuzz_target!(|data: &[u8]| {
    let mut registry = Registry::new();
    if let Ok(key) = registry.register_bytes(data) {
        let _ = registry.validator(&key);
        let _ = registry.validate_bytes(&key, b"{}");
    }
    let (r, k) = builtin();
    let _ = r.validate_bytes(k, data);
});
