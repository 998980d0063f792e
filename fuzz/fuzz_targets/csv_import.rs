#![no_main]
//! Any bytes as a CSV file imported against a built-in schema (header paths, quoting, row
//! and column limits): typed errors or row reports, never a panic.
use std::sync::OnceLock;

use dpikit_exchange::csv_import::{CsvOptions, import_csv};
use dpikit_exchange::{Registry, SchemaKey, schemas};
use libfuzzer_sys::fuzz_target;

fn builtin() -> &'static (Registry, SchemaKey) {
    static R: OnceLock<(Registry, SchemaKey)> = OnceLock::new();
    R.get_or_init(|| {
        let r = Registry::with_builtin().expect("built-in schemas");
        let k = r.resolve(schemas::SENSOR_OBSERVATION, None).expect("schema");
        (r, k)
    })
}

fuzz_target!(|data: &[u8]| {
    let (r, k) = builtin();
    if let Ok(import) = import_csv(data, r, k, &CsvOptions::default()) {
        // A row that fails before its entity is built (invalid UTF-8, a bad path) has no
        // entity; every entity belongs to exactly one row, in order.
        let indices: Vec<usize> = import.rows.iter().filter_map(|row| row.entity).collect();
        assert_eq!(indices, (0..import.entities.len()).collect::<Vec<_>>());
    }
});
