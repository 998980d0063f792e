//! Test support shared by every dpikit crate: one way to find the public test vectors.
//!
//! The vectors live outside the repository, in `../shared/vectors/<domain>/` (each folder
//! with a `PROVENANCE.md`). [`vectors_dir`] honours `DPIKIT_VECTORS` and otherwise looks for
//! `../shared/vectors` beside the repository root. When `CI=true` and the folder is missing,
//! it panics (a test must fail, never skip silently); elsewhere it returns `None` and the
//! caller skips with a message.
#![forbid(unsafe_code)]
#![allow(clippy::missing_panics_doc)]

use std::path::PathBuf;

/// The repository root: two levels above the manifest of the crate under test (every
/// workspace member sits at `crates/<name>` or `bindings/<name>`).
///
/// The manifest directory is read when the test runs (cargo sets `CARGO_MANIFEST_DIR` for
/// `cargo test`), so a build cache shared between two checkouts still finds each checkout's
/// own root; this crate's compile-time path is the fallback.
#[must_use]
pub fn repo_root() -> PathBuf {
    std::env::var_os("CARGO_MANIFEST_DIR")
        .map_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")), PathBuf::from)
        .join("../..")
}

/// Returns the folder of shared vectors for `domain` (e.g. `"vc/jcs-rfc8785"`), if present.
///
/// # Panics
///
/// Panics when `CI=true` and the folder does not exist, so that CI fails instead of skipping.
#[must_use]
pub fn vectors_dir(domain: &str) -> Option<PathBuf> {
    let base = std::env::var_os("DPIKIT_VECTORS")
        .map_or_else(|| repo_root().join("../shared/vectors"), PathBuf::from);
    let dir = base.join(domain);
    if dir.is_dir() {
        return Some(dir);
    }
    let ci = std::env::var("CI").is_ok_and(|v| v == "true" || v == "1");
    assert!(!ci, "test vectors missing: {} (set DPIKIT_VECTORS); CI must not skip", dir.display());
    eprintln!("skipping: test vectors not found at {}", dir.display());
    None
}

/// Reads a vector file as bytes; `None` when the vectors are absent outside CI.
///
/// # Panics
///
/// Panics when the folder exists but the file cannot be read, or as [`vectors_dir`] does.
#[must_use]
pub fn read_vector(domain: &str, file: &str) -> Option<Vec<u8>> {
    let dir = vectors_dir(domain)?;
    let path = dir.join(file);
    Some(std::fs::read(&path).unwrap_or_else(|e| panic!("read {}: {e}", path.display())))
}

/// Reads a vector file as UTF-8 text; `None` when the vectors are absent outside CI.
///
/// # Panics
///
/// Panics when the file is unreadable or not UTF-8, or as [`vectors_dir`] does.
#[must_use]
pub fn read_vector_string(domain: &str, file: &str) -> Option<String> {
    read_vector(domain, file)
        .map(|b| String::from_utf8(b).unwrap_or_else(|e| panic!("{file} is not UTF-8: {e}")))
}

/// Returns `full` when a criterion bench measures (`cargo bench` passes `--bench`), else
/// `smoke`: `cargo test --all-targets` runs every bench once as a smoke test, in a debug
/// build, where the full workload (10 000 verifications, 100 000 ledger entries) takes minutes.
///
/// # Examples
///
/// ```
/// // A doctest is not a measuring bench.
/// assert_eq!(dpikit_testkit::bench_size(10_000, 100), 100);
/// ```
#[must_use]
pub fn bench_size(full: usize, smoke: usize) -> usize {
    if std::env::args().any(|a| a == "--bench") { full } else { smoke }
}
