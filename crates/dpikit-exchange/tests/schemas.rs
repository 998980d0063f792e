//! dpikit's built-in schemas: every example validates; registry behaviour.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use dpikit_core::ErrorCode;
use dpikit_exchange::registry::SchemaKey;
use dpikit_exchange::{Registry, schemas};
use serde_json::{Value, json};

#[test]
fn every_builtin_example_validates() {
    let registry = Registry::with_builtin().unwrap();
    registry.compile_all().unwrap();
    assert_eq!(schemas::BUILTIN.len(), 7);
    for builtin in schemas::BUILTIN {
        let doc: Value = serde_json::from_str(builtin.json).unwrap();
        assert_eq!(doc["$id"], builtin.id);
        assert_eq!(doc["$schemaVersion"], builtin.version);
        assert!(builtin.id.contains(builtin.version), "{} embeds its version", builtin.name);
        assert!(schemas::CHANGELOG.contains(&format!("`{}` {}", builtin.name, builtin.version)));
        let key = registry.resolve(builtin.id, Some(builtin.version)).unwrap();
        let examples = doc["examples"].as_array().unwrap();
        assert!(!examples.is_empty(), "{} has examples", builtin.name);
        for example in examples {
            let report = registry.validate(&key, example).unwrap();
            assert!(report.is_valid(), "{}: {:?}", builtin.name, report.issues);
        }
    }
}

#[test]
fn invalid_instances_list_every_issue() {
    let registry = Registry::with_builtin().unwrap();
    let key = registry.resolve(schemas::PAYMENT_STATUS, None).unwrap();
    let report = registry
        .validate(&key, &json!({"instructionId": "", "status": "DONE", "statusAt": "yesterday"}))
        .unwrap();
    let mut got: Vec<(String, String)> =
        report.issues.iter().map(|i| (i.instance_path.clone(), i.code.clone())).collect();
    got.sort();
    assert_eq!(
        got,
        vec![
            ("/instructionId".to_owned(), "minLength".to_owned()),
            ("/status".to_owned(), "enum".to_owned()),
            ("/statusAt".to_owned(), "format".to_owned()),
        ]
    );
    assert!(report.issues.iter().all(|i| i.schema_path.starts_with("/properties/")));
    assert_eq!(report.into_result().unwrap_err().code(), ErrorCode::ValidationFailed);
}

#[test]
fn personal_data_markers() {
    let registry = Registry::with_builtin().unwrap();
    let personal = |id| registry.is_personal_data(&SchemaKey::new(id, None)).unwrap();
    assert!(personal(schemas::RESIDENT_RECORD));
    assert!(personal(schemas::SUBSIDY_CLAIM));
    assert!(personal(schemas::SERVICE_REQUEST));
    assert!(personal(schemas::PAYMENT_INSTRUCTION));
    assert!(!personal(schemas::PAYMENT_STATUS));
    assert!(!personal(schemas::SENSOR_OBSERVATION));
    assert!(!personal(schemas::CONSENT_REFERENCE));
}

#[test]
fn versions_side_by_side_aliases_and_duplicates() {
    let mut registry = Registry::new();
    let v1 = registry
        .register_str(r#"{"$id":"https://ex.org/a.json","$schemaVersion":"1.0.0","type":"string"}"#)
        .unwrap();
    let v2 = registry
        .register_str(
            r#"{"$id":"https://ex.org/a.json","$schemaVersion":"1.10.0","type":"integer"}"#,
        )
        .unwrap();
    registry
        .register_str(
            r#"{"$id":"https://ex.org/a.json","$schemaVersion":"1.9.0","type":"boolean"}"#,
        )
        .unwrap();
    // Same document again is accepted; a different one under the same key is not.
    registry
        .register_str(r#"{"$id":"https://ex.org/a.json","$schemaVersion":"1.0.0","type":"string"}"#)
        .unwrap();
    let err = registry
        .register_str(r#"{"$id":"https://ex.org/a.json","$schemaVersion":"1.0.0","type":"null"}"#)
        .unwrap_err();
    assert_eq!(err.code(), ErrorCode::DuplicateSchema);
    // Latest is numeric, not lexical.
    assert_eq!(registry.resolve("https://ex.org/a.json", None).unwrap(), v2);
    assert!(registry.validate(&v1, &json!("x")).unwrap().is_valid());
    assert!(!registry.validate(&v2, &json!("x")).unwrap().is_valid());
    registry.add_alias("https://mirror.ex.org/a.json", "https://ex.org/a.json").unwrap();
    assert_eq!(registry.resolve("https://mirror.ex.org/a.json", Some("1.0.0")).unwrap(), v1);
    let err = registry.resolve("https://ex.org/a.json", Some("2.0.0")).unwrap_err();
    assert_eq!(err.code(), ErrorCode::SchemaNotFound);
    let err = registry.add_alias("https://x.org/b", "https://ex.org/none.json").unwrap_err();
    assert_eq!(err.code(), ErrorCode::SchemaNotFound);
    // A $ref through the alias resolves offline.
    let r = registry
        .register_str(r#"{"$id":"https://ex.org/r.json","$ref":"https://mirror.ex.org/a.json"}"#)
        .unwrap();
    assert!(registry.validate(&r, &json!(3)).unwrap().is_valid());
    assert!(!registry.validate(&r, &json!("3")).unwrap().is_valid());
}

#[test]
fn malformed_schemas_are_typed_errors() {
    let mut registry = Registry::new();
    let code = |r: &mut Registry, s: &str| r.register_str(s).unwrap_err().code();
    assert_eq!(code(&mut registry, r#"{"type":"string"}"#), ErrorCode::InvalidSchema);
    assert_eq!(code(&mut registry, r"[]"), ErrorCode::InvalidSchema);
    assert_eq!(code(&mut registry, r#"{"$id": 3}"#), ErrorCode::InvalidSchema);
    assert_eq!(code(&mut registry, r#"{"$id":"a","$id":"b"}"#), ErrorCode::DuplicateKey);
    assert_eq!(code(&mut registry, "{"), ErrorCode::MalformedJson);
    let key = registry.register_str(r#"{"$id":"https://ex.org/bad.json","type":17}"#).unwrap();
    assert_eq!(registry.validator(&key).unwrap_err().code(), ErrorCode::InvalidSchema);
    let err =
        registry.validate(&SchemaKey::new("https://ex.org/none", None), &json!(1)).unwrap_err();
    assert_eq!(err.code(), ErrorCode::SchemaNotFound);
}

#[test]
fn validators_are_cached() {
    let registry = Registry::with_builtin().unwrap();
    let key = registry.resolve(schemas::SENSOR_OBSERVATION, None).unwrap();
    let a = registry.validator(&key).unwrap();
    let b = registry.validator(&key).unwrap();
    assert!(std::sync::Arc::ptr_eq(&a, &b));
}
