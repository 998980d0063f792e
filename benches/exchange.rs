//! Benchmarks of dpikit-exchange: schema validation (each shared Smart Data Model example and
//! each built-in schema's example), NGSI-LD simplification, envelope sign/verify.
#![allow(missing_docs, clippy::unwrap_used, clippy::expect_used)]

use std::hint::black_box;
use std::time::Duration;

use criterion::{Criterion, criterion_group, criterion_main};
use dpikit_core::keys::{KeyPair, KeyType};
use dpikit_core::time::parse_rfc3339;
use dpikit_exchange::envelope::{EnvelopeBuilder, VerifyPolicy, sign, verify};
use dpikit_exchange::ngsi::to_key_values;
use dpikit_exchange::{Registry, schemas};
use serde_json::Value;

#[path = "../crates/dpikit-exchange/tests/common/mod.rs"]
mod common;

use common::{MODELS, sdm_base};

fn read_json(dir: &std::path::Path, file: &str) -> Value {
    serde_json::from_slice(&std::fs::read(dir.join(file)).unwrap()).unwrap()
}

fn smart_data_models(c: &mut Criterion) {
    let Some((mut registry, dir)) = sdm_base() else { return };
    for model in MODELS {
        let key = registry.register_file(dir.join(model).join("schema.json")).unwrap();
        let example = read_json(&dir, &format!("{model}/examples/example.json"));
        registry.validator(&key).unwrap();
        let name = model.rsplit('/').next().unwrap_or(model);
        c.bench_function(&format!("validate/sdm/{name}"), |b| {
            b.iter(|| black_box(registry.validate(&key, black_box(&example)).unwrap()));
        });
        let normalized = read_json(&dir, &format!("{model}/examples/example-normalized.jsonld"));
        c.bench_function(&format!("ngsi/to_key_values/{name}"), |b| {
            b.iter(|| black_box(to_key_values(black_box(&normalized)).unwrap()));
        });
    }
}

fn builtin_validation(c: &mut Criterion) {
    let registry = Registry::with_builtin().unwrap();
    for builtin in schemas::BUILTIN {
        let doc: Value = serde_json::from_str(builtin.json).unwrap();
        let key = registry.resolve(builtin.id, None).unwrap();
        let example = doc["examples"][0].clone();
        c.bench_function(&format!("validate/dpikit/{}", builtin.name), |b| {
            b.iter(|| black_box(registry.validate(&key, black_box(&example)).unwrap()));
        });
    }
}

fn envelopes(c: &mut Criterion) {
    let registry = Registry::with_builtin().unwrap();
    let schema = registry.resolve(schemas::SENSOR_OBSERVATION, None).unwrap();
    let doc: Value = serde_json::from_str(schemas::BUILTIN[6].json).unwrap();
    let t = parse_rfc3339("2026-03-01T10:00:05Z").unwrap();
    let envelope = EnvelopeBuilder::new(
        "https://env.city.example",
        "org.dpikit.SensorObservation",
        schema,
        doc["examples"][0].clone(),
    )
    .id("evt-1")
    .time(t)
    .build(&registry)
    .unwrap();
    let policy = VerifyPolicy::at(t);
    for (name, kt) in [("ed25519", KeyType::Ed25519), ("p256", KeyType::P256)] {
        let key = KeyPair::generate(kt).unwrap();
        let public = key.public_key();
        c.bench_function(&format!("envelope/sign/{name}"), |b| {
            b.iter(|| black_box(sign(black_box(&envelope), &key, false).unwrap()));
        });
        let signed = sign(&envelope, &key, false).unwrap();
        c.bench_function(&format!("envelope/verify/{name}"), |b| {
            b.iter(|| {
                black_box(
                    verify(black_box(&signed.token), None, &public, &registry, &policy).unwrap(),
                )
            });
        });
    }
}

criterion_group! {
    name = benches;
    config = Criterion::default()
        .warm_up_time(Duration::from_millis(500))
        .measurement_time(Duration::from_secs(2))
        .sample_size(30);
    targets = smart_data_models, builtin_validation, envelopes
}
criterion_main!(benches);
