//! Walks every case of `vectors/<block>/cases.json` through the public Rust API: the exact
//! ErrorCode name or the ok value, within a time and a memory bound, never a panic.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::path::PathBuf;
use std::time::{Duration, Instant};

use dpikit_hostile::{BLOCKS, Case, Expect, cases, render, run};

/// The most one case may take, building its input included. Generous for unoptimised
/// builds on a loaded 2-core machine; the slowest case (a 50 MiB input) takes under a second.
const BOUND: Duration = Duration::from_secs(5);

/// The most memory one case may add to the process's peak resident set, beyond three times
/// its input (the input, its text form and one working copy): 64 MiB.
const MEMORY_SLACK_KIB: u64 = 64 * 1024;

/// Serializes the tests of this file: the memory bound reads the process's peak.
static ONE_AT_A_TIME: std::sync::Mutex<()> = std::sync::Mutex::new(());

/// The process's peak resident set in KiB (`VmHWM`), or None off Linux.
fn peak_kib() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

/// Resets the peak to the current resident set (Linux `clear_refs` 5); false when refused.
fn reset_peak() -> bool {
    std::fs::write("/proc/self/clear_refs", "5").is_ok()
}

/// The size in bytes of a case's input data.
fn input_len(case: &Case) -> u64 {
    case.input
        .get("data")
        .and_then(|d| dpikit_hostile::materialize(d).ok())
        .map_or(0, |d| d.len() as u64)
}

fn file(block: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../vectors").join(block).join("cases.json")
}

fn load(block: &str) -> Vec<Case> {
    let text = std::fs::read_to_string(file(block)).expect("read cases.json");
    serde_json::from_str(&text).expect("parse cases.json")
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
    let measured = reset_peak() && peak_kib().is_some();
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
            let bound_kib = 3 * input_len(case) / 1024 + MEMORY_SLACK_KIB;
            let before = if measured && reset_peak() { peak_kib() } else { None };
            let started = Instant::now();
            let outcome = run(&case.op, &case.input)
                .unwrap_or_else(|| panic!("{}: unknown op {}", case.id, case.op));
            let took = started.elapsed();
            let grew = before.zip(peak_kib()).map(|(b, a)| a.saturating_sub(b));
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
