//! Walks every case of `vectors/<block>/cases.json` through the public Rust API: the exact
//! ErrorCode name or the ok value, within a time and a memory bound, never a panic.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::path::PathBuf;
use std::time::{Duration, Instant};

use dpikit_hostile::{BLOCKS, Case, Expect, cases, memory, render, run};

/// The most one case may take, building its input included. Generous for unoptimised
/// builds on a loaded 2-core machine; the slowest case (a 50 MiB input) takes under a second.
const BOUND: Duration = Duration::from_secs(5);

/// Serializes the tests of this file: the memory bound reads the process's peak.
static ONE_AT_A_TIME: std::sync::Mutex<()> = std::sync::Mutex::new(());

fn file(block: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../vectors").join(block).join("cases.json")
}

fn load(block: &str) -> Vec<Case> {
    let text = std::fs::read_to_string(file(block)).expect("read cases.json");
    serde_json::from_str(&text).expect("parse cases.json")
}

/// The size in bytes of a case's input data.
fn input_len(case: &Case) -> usize {
    case.input.get("data").and_then(|d| dpikit_hostile::materialize(d).ok()).map_or(0, |d| d.len())
}

#[test]
fn files_match_the_generator() {
    let _one = ONE_AT_A_TIME.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
    for block in BLOCKS {
        let text = std::fs::read_to_string(file(block)).expect("read cases.json");
        assert!(
            text == render(&cases(block)),
            "vectors/{block}/cases.json is stale: run `cargo run -p dpikit-hostile --bin gen-cases`"
        );
    }
}

#[test]
fn every_case_gives_its_expected_outcome_in_bounded_time_and_memory() {
    let _one = ONE_AT_A_TIME.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
    let measured = memory::reset_peak().is_some();
    let mut largest = (0u64, String::new());
    let (mut total, mut passed) = (0, 0);
    let mut failures = Vec::new();
    let mut ids = std::collections::HashSet::new();
    let mut slowest = (Duration::ZERO, String::new());
    for block in BLOCKS {
        let list = load(block);
        let mut block_passed = 0;
        for case in &list {
            assert!(ids.insert(case.id.clone()), "duplicate id {}", case.id);
            let bound_kib = memory::bound_kib(input_len(case));
            let before = if measured { memory::reset_peak() } else { None };
            let started = Instant::now();
            let outcome = run(&case.op, &case.input)
                .unwrap_or_else(|| panic!("{}: unknown op {}", case.id, case.op));
            let took = started.elapsed();
            let grew = memory::growth_kib(before);
            if let Some(kib) = grew.filter(|&kib| kib > largest.0) {
                largest = (kib, case.id.clone());
            }
            if took > slowest.0 {
                slowest = (took, case.id.clone());
            }
            let got = match &outcome {
                Ok(v) => Expect::Ok(v.clone()),
                Err(code) => Expect::Error(code.name().to_owned()),
            };
            let mut why = Vec::new();
            if got != case.expect {
                let shown = serde_json::to_string(&got).unwrap();
                why.push(format!("got {}", &shown[..shown.len().min(300)]));
            }
            if took > BOUND {
                why.push(format!("took {took:?}"));
            }
            if let Some(kib) = grew.filter(|&kib| kib > bound_kib) {
                why.push(format!("peak memory grew {kib} KiB (bound {bound_kib} KiB)"));
            }
            if why.is_empty() {
                block_passed += 1;
            } else {
                failures.push(format!(
                    "{}: expected {:?}: {}",
                    case.id,
                    case.expect,
                    why.join(", ")
                ));
            }
        }
        println!("{block}: {block_passed}/{} passed", list.len());
        total += list.len();
        passed += block_passed;
    }
    println!(
        "hostile corpus (Rust API): {passed}/{total} passed; slowest {} in {:?}; {}",
        slowest.1,
        slowest.0,
        if measured {
            format!("largest peak-memory growth {} KiB ({})", largest.0, largest.1)
        } else {
            "peak memory not measurable here (no /proc/self/clear_refs)".to_owned()
        }
    );
    assert!(failures.is_empty(), "{} failures:\n{}", failures.len(), failures.join("\n"));
    assert!(total >= 300, "only {total} cases");
}
