//! Consent ledger benchmarks: in-memory append of 100 000 entries, full-chain verify of
//! 100 000 entries in memory, and SQLite append of 100 000 entries in batches of 1 000.
//!
//! `cargo bench --bench consent`; criterion reports entries/s as the throughput.
#![allow(missing_docs, clippy::unwrap_used, clippy::expect_used)]

use std::hint::black_box;
use std::path::PathBuf;
use std::time::Duration;

use criterion::{BatchSize, Criterion, Throughput, criterion_group, criterion_main};
use dpikit_consent::ledger::{Ledger, MemoryStorage, NewEntry, SqliteStorage};
use dpikit_core::time::{Timestamp, parse_rfc3339};
use serde_json::json;

const BATCH: u64 = 1_000;

/// Entries per run: 100 000 when measuring, 2 000 as a `cargo test` smoke run.
fn n() -> u64 {
    dpikit_testkit::bench_size(100_000, 2_000) as u64
}

fn event(i: u64, at: Timestamp) -> NewEntry {
    NewEntry::new(
        "consent.given",
        format!("urn:uuid:c-{}", i % 1_000),
        format!("did:example:resident-{}", i % 5_000),
        json!({"purpose": "dpv:ServiceProvision", "controller": "did:web:housing.city.example", "n": i}),
        at,
    )
}

fn at() -> Timestamp {
    parse_rfc3339("2026-03-01T09:00:00Z").unwrap()
}

fn memory_ledger(n: u64) -> Ledger<MemoryStorage> {
    let at = at();
    let mut ledger = Ledger::new(MemoryStorage::new()).unwrap();
    for i in 0..n {
        let e = event(i, at);
        ledger.append(&e.kind, &e.record_id, &e.principal, e.body, e.at).unwrap();
    }
    ledger
}

/// A fresh database path under the system temp dir, its directory removed first.
fn temp_db(i: u64) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("dpikit-bench-ledger-{}-{i}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir.join("ledger.db")
}

fn ledger(c: &mut Criterion) {
    let mut group = c.benchmark_group("ledger");
    group.sample_size(10).measurement_time(Duration::from_secs(10));
    let n = n();
    group.throughput(Throughput::Elements(n));

    group.bench_function("memory_append_100k", |b| b.iter(|| black_box(memory_ledger(n))));

    let full = memory_ledger(n);
    group.bench_function("memory_verify_100k", |b| {
        b.iter(|| black_box(full.verify(None).unwrap()));
    });

    group.finish();

    // One iteration takes seconds (a synced commit per batch): give the group the time.
    let mut group = c.benchmark_group("ledger");
    group.sample_size(10).measurement_time(Duration::from_secs(60));
    group.throughput(Throughput::Elements(n));
    let at = at();
    let mut run = 0;
    group.bench_function("sqlite_append_100k_batch_1000", |b| {
        b.iter_batched(
            || {
                run += 1;
                let path = temp_db(run);
                (Ledger::new(SqliteStorage::open(&path).unwrap()).unwrap(), path)
            },
            |(mut ledger, path)| {
                for start in (0..n).step_by(usize::try_from(BATCH).unwrap()) {
                    ledger.append_batch((start..start + BATCH).map(|i| event(i, at))).unwrap();
                }
                drop(ledger);
                path
            },
            BatchSize::PerIteration,
        );
    });
    group.finish();
    if let Some(dir) = temp_db(0).parent() {
        let _ = std::fs::remove_dir_all(dir);
    }
    for i in 1..=run {
        if let Some(dir) = temp_db(i).parent() {
            let _ = std::fs::remove_dir_all(dir);
        }
    }
}

criterion_group!(benches, ledger);
criterion_main!(benches);
