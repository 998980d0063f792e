//! NGSI-LD conversions against the shared Smart Data Models pairs (PROVENANCE.md).
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::collections::BTreeSet;

use common::{DOMAIN, MODELS, sdm_base};
use dpikit_core::ErrorCode;
use dpikit_exchange::Registry;
use dpikit_exchange::ngsi::{
    AttributeKind, AttributeKinds, to_feature_collection, to_key_values, to_normalized,
};
use dpikit_testkit::{read_vector, vectors_dir};
use serde_json::{Value, json};

fn registry() -> Option<Registry> {
    let (mut registry, dir) = sdm_base()?;
    for model in MODELS {
        registry.register_file(dir.join(model).join("schema.json")).unwrap();
    }
    Some(registry)
}

fn example(model: &str, file: &str) -> Value {
    serde_json::from_slice(&read_vector(DOMAIN, &format!("{model}/examples/{file}")).unwrap())
        .unwrap()
}

fn schema_id(model: &str) -> String {
    let (subject, entity) = model.split_once('/').unwrap();
    format!("https://smart-data-models.github.io/dataModel.{subject}/{entity}/schema.json")
}

/// Members that differ between two entities: (name, "missing-left" | "missing-right" | "differs").
fn diff(left: &Value, right: &Value) -> BTreeSet<(String, &'static str)> {
    let (l, r) = (left.as_object().unwrap(), right.as_object().unwrap());
    let mut out = BTreeSet::new();
    for (k, v) in l {
        match r.get(k) {
            None => {
                out.insert((k.clone(), "missing-right"));
            }
            Some(w) if w != v => {
                out.insert((k.clone(), "differs"));
            }
            Some(_) => {}
        }
    }
    for k in r.keys() {
        if !l.contains_key(k) {
            out.insert((k.clone(), "missing-left"));
        }
    }
    out
}

/// (model, differences simplified-vs-upstream keyValues, dropped sub-attributes)
type Expected = (&'static str, BTreeSet<(String, &'static str)>, &'static [&'static str]);

fn set(items: &[(&str, &'static str)]) -> BTreeSet<(String, &'static str)> {
    items.iter().map(|(k, v)| ((*k).to_owned(), *v)).collect()
}

#[test]
fn normalized_to_key_values_reports_exactly_the_upstream_inconsistencies() {
    if vectors_dir(DOMAIN).is_none() {
        return;
    }
    // (model, differences simplified-vs-upstream keyValues, dropped sub-attributes)
    let expected: [Expected; 5] = [
        (
            MODELS[0],
            set(&[
                ("charge", "missing-right"),
                ("pm4", "missing-right"),
                ("pressure", "missing-right"),
                ("tpc", "missing-right"),
                ("tsp", "missing-right"),
                ("windDirection", "differs"),
            ]),
            &["co.unitCode", "no.unitCode", "no2.unitCode", "nox.unitCode", "so2.unitCode"],
        ),
        // Typed DateTime literals become strings, so only the @context arrays differ.
        (MODELS[1], set(&[("@context", "differs")]), &[]),
        // The exact round trip.
        (MODELS[2], set(&[]), &["status.observedAt", "status.parkingPermit"]),
        // keyValues has attributes normalized lacks; cityId vs cityID inside municipalityInfo.
        (
            MODELS[3],
            set(&[
                ("deviceInfo", "missing-left"),
                ("lifetimeMotionDetected", "missing-left"),
                ("lifetimePowerConsumption", "missing-left"),
                ("municipalityInfo", "differs"),
            ]),
            &["municipalityInfo.deviceInfo"],
        ),
        // id prefix, and the stray `Z` after an offset in expected_datetime.
        (MODELS[4], set(&[("expected_datetime", "differs"), ("id", "differs")]), &[]),
    ];
    for (model, differences, dropped) in expected {
        let simple = to_key_values(&example(model, "example-normalized.jsonld")).unwrap();
        let upstream = example(model, "example.jsonld");
        assert_eq!(diff(&simple.entity, &upstream), differences, "{model}");
        let got: Vec<String> =
            simple.dropped.iter().map(|d| format!("{}.{}", d.attribute, d.sub_attribute)).collect();
        assert_eq!(got, dropped, "{model}");
    }
    // Spot checks of the reported values.
    let sr = to_key_values(&example(MODELS[4], "example-normalized.jsonld")).unwrap().entity;
    assert_eq!(sr["id"], "urn:ngsi-ld:Open311ServiceRequest:service-request:638344");
    assert_eq!(example(MODELS[4], "example.jsonld")["id"], "service-request:638344");
    assert!(sr["expected_datetime"].as_str().unwrap().ends_with("-08:00Z"));
}

#[test]
fn schema_kinds_match_upstream_normalized_except_where_upstream_disagrees() {
    let Some(registry) = registry() else { return };
    let mut mismatches = Vec::new();
    for model in MODELS {
        let key = registry.resolve(&schema_id(model), None).unwrap();
        let kinds = AttributeKinds::from_schema(&registry, &key).unwrap();
        let normalized = example(model, "example-normalized.jsonld");
        for (name, attribute) in normalized.as_object().unwrap() {
            if let Some(upstream) = attribute.get("type").and_then(Value::as_str) {
                let ours = kinds.kind(name).map(AttributeKind::name);
                if ours != Some(upstream) {
                    mismatches.push(format!("{model}.{name}: {upstream} vs {ours:?}"));
                }
            }
        }
    }
    // AirQualityObserved's example says typeOfLocation, its schema typeofLocation;
    // Streetlight's schema calls feederID a Relationship, its example a Property.
    assert_eq!(
        mismatches,
        [
            "Environment/AirQualityObserved.typeOfLocation: Property vs None",
            "Streetlighting/Streetlight.feederID: Property vs Some(\"Relationship\")",
        ]
    );
}

#[test]
fn key_values_round_trip_through_normalized_with_schema_kinds() {
    let Some(registry) = registry() else { return };
    for model in MODELS {
        let key = registry.resolve(&schema_id(model), None).unwrap();
        let kinds = AttributeKinds::from_schema(&registry, &key).unwrap();
        let kv = example(model, "example.jsonld");
        let normalized = to_normalized(&kv, &kinds).unwrap();
        let back = to_key_values(&normalized.entity).unwrap();
        assert_eq!(back.entity, kv, "{model}");
        assert!(back.dropped.is_empty());
        let expected_defaulted: &[&str] =
            if *model == MODELS[0] { &["typeOfLocation"] } else { &[] };
        assert_eq!(normalized.defaulted, expected_defaulted, "{model}");
    }
    // ParkingSpot: keyValues → normalized gives upstream's normalized minus its sub-attributes.
    let model = MODELS[2];
    let key = registry.resolve(&schema_id(model), None).unwrap();
    let kinds = AttributeKinds::from_schema(&registry, &key).unwrap();
    let ours = to_normalized(&example(model, "example.jsonld"), &kinds).unwrap().entity;
    let mut upstream = example(model, "example-normalized.jsonld");
    let status = upstream["status"].as_object_mut().unwrap();
    status.remove("observedAt");
    status.remove("parkingPermit");
    assert_eq!(ours, upstream);
    // Date-times become typed literals, as upstream writes them.
    let model = MODELS[1];
    let key = registry.resolve(&schema_id(model), None).unwrap();
    let kinds = AttributeKinds::from_schema(&registry, &key).unwrap();
    let ours = to_normalized(&example(model, "example.jsonld"), &kinds).unwrap().entity;
    let upstream = example(model, "example-normalized.jsonld");
    assert_eq!(ours["dateObserved"], upstream["dateObserved"]);
    assert_eq!(ours["dateObserved"]["value"]["@type"], "DateTime");
}

#[test]
fn geojson_feature_collection() {
    if vectors_dir(DOMAIN).is_none() {
        return;
    }
    let entities: Vec<Value> = MODELS
        .iter()
        .map(|m| example(m, "example-normalized.jsonld"))
        .chain([json!({"id": "urn:x:1", "type": "Thing", "name": "no location"})])
        .collect();
    let fc = to_feature_collection(&entities).unwrap();
    assert_eq!(fc["type"], "FeatureCollection");
    let features = fc["features"].as_array().unwrap();
    assert_eq!(features.len(), 6);
    for f in &features[..5] {
        assert_eq!(f["type"], "Feature");
        assert!(f["geometry"]["coordinates"].is_array(), "{f}");
        assert!(f["properties"].get("location").is_none());
        assert!(f["properties"].get("@context").is_none());
    }
    assert_eq!(features[5]["geometry"], Value::Null);
    // Upstream's geojsonfeature wraps the geometry in a GeoProperty; ours is bare RFC 7946.
    let upstream = example(MODELS[2], "example-geojsonfeature.json");
    assert_eq!(upstream["geometry"]["type"], "GeoProperty");
    assert_eq!(features[2]["geometry"], upstream["geometry"]["value"]);
    // A location that is not a geometry is refused.
    let bad = json!({"id": "urn:x:2", "type": "Thing", "location": {"type": "Nowhere"}});
    assert_eq!(to_feature_collection(&[bad]).unwrap_err().code(), ErrorCode::NgsiInvalid);
}

#[test]
fn malformed_entities_are_typed_errors() {
    let code = |v: Value| to_key_values(&v).unwrap_err().code();
    assert_eq!(code(json!([])), ErrorCode::NgsiInvalid);
    assert_eq!(code(json!({"type": "T"})), ErrorCode::NgsiInvalid);
    assert_eq!(code(json!({"id": "urn:x", "type": "T", "a": 1})), ErrorCode::NgsiInvalid);
    assert_eq!(
        code(json!({"id": "urn:x", "type": "T", "a": {"type": "Magic", "value": 1}})),
        ErrorCode::NgsiInvalid
    );
    assert_eq!(
        code(json!({"id": "urn:x", "type": "T", "a": {"type": "Relationship", "value": 1}})),
        ErrorCode::NgsiInvalid
    );
    let mut deep = json!(1);
    for _ in 0..100 {
        deep = json!([deep]);
    }
    assert_eq!(
        code(json!({"id": "urn:x", "type": "T", "a": {"type": "Property", "value": deep}})),
        ErrorCode::NestingTooDeep
    );
    // Multi-attributes (datasetId) keep one value per instance and report their datasetIds.
    let multi = json!({"id": "urn:x", "type": "T", "speed": [
        {"type": "Property", "value": 55, "datasetId": "urn:ds:gps"},
        {"type": "Property", "value": 54.5, "datasetId": "urn:ds:radar"}]});
    let s = to_key_values(&multi).unwrap();
    assert_eq!(s.entity["speed"], json!([55, 54.5]));
    assert_eq!(s.dropped.len(), 2);
}
