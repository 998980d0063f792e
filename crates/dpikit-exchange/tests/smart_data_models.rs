//! FIWARE Smart Data Models from the shared vectors, registered offline with their common
//! schemas; every example checked as PROVENANCE.md predicts. Also the hostile cases: a remote
//! `$ref` and a 10 000-deep instance.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::{DOMAIN, ENV_ID, ENV_RAW};
use dpikit_core::ErrorCode;
use dpikit_exchange::Registry;
use dpikit_exchange::registry::SchemaKey;
use dpikit_testkit::{read_vector, vectors_dir};
use serde_json::{Value, json};

/// (directory, `$id`, `$schemaVersion`, expected error instance paths with format assertion on)
const MODELS: &[(&str, &str, &str, &[&str])] = &[
    (
        "Environment/AirQualityObserved",
        "https://smart-data-models.github.io/dataModel.Environment/AirQualityObserved/schema.json",
        "0.1.4",
        &["/dateObserved", "/tsp"],
    ),
    (
        "Weather/WeatherObserved",
        "https://smart-data-models.github.io/dataModel.Weather/WeatherObserved/schema.json",
        "0.3.4",
        &[],
    ),
    (
        "Parking/ParkingSpot",
        "https://smart-data-models.github.io/dataModel.Parking/ParkingSpot/schema.json",
        "0.1.0",
        &[],
    ),
    (
        "Streetlighting/Streetlight",
        "https://smart-data-models.github.io/dataModel.Streetlighting/Streetlight/schema.json",
        "0.2.1",
        &[],
    ),
    (
        "IssueTracking/service_requests",
        "https://smart-data-models.github.io/dataModel.IssueTracking/service_requests/schema.json",
        "0.1.0",
        &[],
    ),
];

fn sdm_registry() -> Option<Registry> {
    let dir = vectors_dir(DOMAIN)?;
    let mut registry = Registry::new();
    let common = registry.register_dir(dir.join("common")).unwrap();
    assert_eq!(common.len(), 3);
    registry.add_alias(ENV_RAW, ENV_ID).unwrap();
    for (model, id, version, _) in MODELS {
        let key = registry.register_file(dir.join(model).join("schema.json")).unwrap();
        assert_eq!(key, SchemaKey::new(*id, Some(version)));
    }
    registry.compile_all().unwrap();
    Some(registry)
}

fn example(model: &str, file: &str) -> Value {
    serde_json::from_slice(&read_vector(DOMAIN, &format!("{model}/examples/{file}")).unwrap())
        .unwrap()
}

#[test]
fn every_example_validates_as_provenance_predicts() {
    let Some(registry) = sdm_registry() else { return };
    for (model, id, version, expected) in MODELS {
        let key = SchemaKey::new(*id, Some(version));
        let report = registry.validate(&key, &example(model, "example.json")).unwrap();
        let mut paths: Vec<&str> = report.issues.iter().map(|i| i.instance_path.as_str()).collect();
        paths.sort_unstable();
        assert_eq!(paths, *expected, "{model}");
    }
    // The AirQualityObserved failures, by keyword.
    let key = registry.resolve(MODELS[0].1, None).unwrap();
    let report = registry.validate(&key, &example(MODELS[0].0, "example.json")).unwrap();
    let mut codes: Vec<(&str, &str)> =
        report.issues.iter().map(|i| (i.instance_path.as_str(), i.code.as_str())).collect();
    codes.sort_unstable();
    assert_eq!(codes, [("/dateObserved", "format"), ("/tsp", "type")]);
}

#[test]
fn validate_many_matches_one_by_one_in_input_order() {
    let Some(registry) = sdm_registry() else { return };
    let (model, id, version, _) = MODELS[0];
    let key = SchemaKey::new(id, Some(version));
    let good = example(MODELS[1].0, "example.json");
    let mut instances = Vec::new();
    for i in 0..37 {
        instances.push(if i % 3 == 0 { example(model, "example.json") } else { json!({"id": i}) });
    }
    instances.push(good);
    for threads in [0, 1, 2, 5, 64] {
        let many = registry.validate_many(&key, &instances, threads).unwrap();
        assert_eq!(many.len(), instances.len());
        for (instance, report) in instances.iter().zip(&many) {
            assert_eq!(report.as_ref().unwrap(), &registry.validate(&key, instance).unwrap());
        }
    }
    let missing = SchemaKey::new("https://nowhere.example/s.json", None);
    assert_eq!(
        registry.validate_many(&missing, &instances, 2).unwrap_err().code(),
        ErrorCode::SchemaNotFound
    );
}

#[test]
fn without_the_alias_the_raw_github_ref_is_unresolved_not_fetched() {
    let Some(dir) = vectors_dir(DOMAIN) else { return };
    let mut registry = Registry::new();
    registry.register_dir(dir.join("common")).unwrap();
    let key = registry.register_file(dir.join(MODELS[0].0).join("schema.json")).unwrap();
    let err = registry.validator(&key).unwrap_err();
    assert_eq!(err.code(), ErrorCode::UnresolvedRef);
    assert!(matches!(err, dpikit_exchange::ExchangeError::UnresolvedRef(ref u) if u == ENV_RAW));
}

#[test]
fn remote_ref_is_a_typed_error() {
    let mut registry = Registry::new();
    let key = registry
        .register_str(
            r#"{"$id":"https://city.example/s.json","$ref":"https://evil.example/remote.json#/x"}"#,
        )
        .unwrap();
    let err = registry.validate(&key, &json!({})).unwrap_err();
    assert_eq!(err.code(), ErrorCode::UnresolvedRef);
    // Also nested inside properties, and relative to the $id.
    let key = registry
        .register_str(
            r#"{"$id":"https://city.example/t.json","properties":{"a":{"$ref":"other.json"}}}"#,
        )
        .unwrap();
    assert_eq!(
        registry.validate(&key, &json!({"a": 1})).unwrap_err().code(),
        ErrorCode::UnresolvedRef
    );
}

#[test]
fn ten_thousand_deep_instance_is_a_typed_error() {
    let registry = Registry::with_builtin().unwrap();
    let key = registry.resolve(dpikit_exchange::schemas::SENSOR_OBSERVATION, None).unwrap();
    let depth = 10_000;
    let text = format!("{}{}", "[".repeat(depth), "]".repeat(depth));
    let err = registry.validate_bytes(&key, text.as_bytes()).unwrap_err();
    assert_eq!(err.code(), ErrorCode::NestingTooDeep);
    // A deep value built in memory (not from bytes) is refused without recursion too; built
    // and dropped on a thread with room for serde_json's recursive drop.
    let handle = std::thread::Builder::new()
        .stack_size(256 << 20)
        .spawn(move || {
            let mut v = json!(1);
            for _ in 0..depth {
                v = Value::Array(vec![v]);
            }
            registry.validate(&key, &v).unwrap_err().code()
        })
        .unwrap();
    assert_eq!(handle.join().unwrap(), ErrorCode::NestingTooDeep);
}
