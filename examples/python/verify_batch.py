"""Verify every credential in a directory, in parallel in Rust, into a table.

    python examples/python/verify_batch.py DIR [--did-doc FILE]... [--at RFC3339] [--threads N]

Each file holds one credential (JSON, or a vc+jwt). The result is a pandas DataFrame when
pandas is installed, else a list of dicts (one per file); either way one row per file with
`file`, `verified`, `errors` (code names) and `checks`.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import Any, Optional, Sequence

from dpikit import credentials


def verify_dir(
    directory: Path,
    *,
    did_documents: Sequence[Path] = (),
    at: Optional[str] = None,
    threads: Optional[int] = None,
) -> list[dict[str, Any]]:
    """One row per file: file, verified, errors, checks."""
    files = sorted(p for p in directory.iterdir() if p.is_file())
    docs = [p.read_text(encoding="utf-8") for p in did_documents]
    verifier = credentials.Verifier(did_documents=docs, at=at)
    reports = verifier.verify_many([p.read_bytes() for p in files], threads=threads)
    return [
        {
            "file": p.name,
            "verified": r.verified,
            "errors": ",".join(r.error_names),
            "checks": len(r.checks),
        }
        for p, r in zip(files, reports)
    ]


def to_table(rows: list[dict[str, Any]]) -> Any:
    """A pandas DataFrame when pandas is importable, else the rows themselves."""
    try:
        import pandas as pd  # type: ignore[import-untyped, import-not-found, unused-ignore]
    except ImportError:
        return rows
    return pd.DataFrame(rows)


def main(argv: Optional[Sequence[str]] = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("directory", type=Path)
    parser.add_argument("--did-doc", type=Path, action="append", default=[])
    parser.add_argument("--at")
    parser.add_argument("--threads", type=int)
    args = parser.parse_args(argv)
    rows = verify_dir(args.directory, did_documents=args.did_doc, at=args.at, threads=args.threads)
    table = to_table(rows)
    print(table if not isinstance(table, list) else json.dumps(table, indent=2))
    failed = sum(1 for r in rows if not r["verified"])
    print(f"{len(rows) - failed} of {len(rows)} verified")
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
