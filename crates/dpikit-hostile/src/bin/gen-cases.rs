//! Writes `vectors/<block>/cases.json` for every block (the hostile-input corpus).
//!
//! Usage: `cargo run -p dpikit-hostile --bin gen-cases [OUT_DIR]` (default: `vectors/` at
//! the repository root). `make hostile-drift` regenerates and fails on any difference.

use std::path::PathBuf;
use std::process::ExitCode;

fn main() -> ExitCode {
    let out = std::env::args_os().nth(1).map_or_else(
        || PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../vectors"),
        PathBuf::from,
    );
    let mut total = 0;
    for block in dpikit_hostile::BLOCKS {
        let cases = dpikit_hostile::cases(block);
        total += cases.len();
        let dir = out.join(block);
        let path = dir.join("cases.json");
        if let Err(e) = std::fs::create_dir_all(&dir)
            .and_then(|()| std::fs::write(&path, dpikit_hostile::render(&cases)))
        {
            eprintln!("gen-cases: {}: {e}", path.display());
            return ExitCode::FAILURE;
        }
        println!("{block}: {} cases", cases.len());
    }
    println!("total: {total} cases in {}", out.display());
    ExitCode::SUCCESS
}
