//! Benchmarks of dpikit-exchange: schema validation and envelope sign/verify.
#![allow(missing_docs, clippy::unwrap_used, clippy::expect_used)]

use criterion::{Criterion, criterion_group, criterion_main};
use dpikit_exchange::{Registry, schemas};
use serde_json::Value;

fn builtin_validation(c: &mut Criterion) {
    let registry = Registry::with_builtin().unwrap();
    for builtin in schemas::BUILTIN {
        let doc: Value = serde_json::from_str(builtin.json).unwrap();
        let key = registry.resolve(builtin.id, None).unwrap();
        let example = doc["examples"][0].clone();
        c.bench_function(&format!("validate/dpikit/{}", builtin.name), |b| {
            b.iter(|| registry.validate(&key, &example).unwrap());
        });
    }
}

criterion_group!(benches, builtin_validation);
criterion_main!(benches);
