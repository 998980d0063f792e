//! Helpers shared by the integration tests: XSD paths and the xmllint oracle.
#![allow(dead_code, clippy::unwrap_used, clippy::expect_used)]

use std::path::{Path, PathBuf};
use std::process::Command;

/// The XSD of `kind` (e.g. `pain.001.001.09`) from ../shared/vectors, if present.
pub(crate) fn xsd(kind: &str) -> Option<PathBuf> {
    dpikit_testkit::vectors_dir("payments/iso20022/xsd").map(|d| d.join(format!("{kind}.xsd")))
}

/// Validates `xml` against `xsd` with xmllint; skips (with a note) when xmllint is missing,
/// unless DPIKIT_REQUIRE_XMLLINT is set (CI).
pub(crate) fn xmllint(xml: &str, xsd: &Path, name: &str) {
    let dir = std::env::temp_dir().join(format!("dpikit-payments-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join(name);
    std::fs::write(&file, xml).unwrap();
    match Command::new("xmllint").arg("--noout").arg("--schema").arg(xsd).arg(&file).output() {
        Ok(out) => assert!(
            out.status.success(),
            "xmllint rejected {name}: {}\n{}",
            String::from_utf8_lossy(&out.stderr),
            &xml[..xml.len().min(4000)]
        ),
        Err(e) => {
            assert!(std::env::var_os("DPIKIT_REQUIRE_XMLLINT").is_none(), "xmllint: {e}");
            eprintln!("xmllint not available ({e}); skipped XSD check of {name}");
        }
    }
}
