//! Interoperability tests and benchmarks of dpikit against peer libraries.
//!
//! This crate has no API: its tests (`tests/`) check that what dpikit issues, peers accept,
//! and the reverse; `benches/credentials.rs` at the repository root measures dpikit and the
//! peers side by side in one run.
#![forbid(unsafe_code)]
