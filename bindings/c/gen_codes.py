#!/usr/bin/env python3
"""Regenerates bindings/c/src/codes.rs from the ErrorCode list in crates/dpikit-core/src/error.rs.

Run from the repository root: python3 bindings/c/gen_codes.py
(`tests::codes_match_core` fails when the two disagree.)
"""
import pathlib
import re

root = pathlib.Path(__file__).resolve().parents[2]
source = (root / "crates/dpikit-core/src/error.rs").read_text()
body = source[source.index("error_codes! {"):]
body = body[: body.index("\n}\n")]
out = [
    "//! The result codes: one constant per shared `ErrorCode`, value and name pinned by a test.",
    "//!",
    "//! Written out literally so cbindgen sees them; `tests::codes_match_core` fails when core",
    "//! gains a code this list lacks (or the two disagree). Regenerate with",
    "//! `python3 bindings/c/gen_codes.py`.",
    "",
    "use crate::dpikit_result;",
    "",
    "/// Success.",
    "pub const DPIKIT_OK: dpikit_result = 0;",
]
docs = []
for line in body.splitlines():
    line = line.strip()
    if line.startswith("///"):
        docs.append(line)
        continue
    m = re.match(r'(\w+) = (\d+), "(\w+)";', line)
    if m:
        out.extend(docs)
        out.append(f"pub const DPIKIT_ERR_{m.group(3).upper()}: dpikit_result = {m.group(2)};")
    docs = []
(root / "bindings/c/src/codes.rs").write_text("\n".join(out) + "\n")
