"""Shared fixtures: the public test vectors (``DPIKIT_VECTORS`` or ``../shared/vectors``)."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import pytest

REPO_ROOT = Path(__file__).resolve().parents[3]


def vectors_dir(domain: str) -> Path | None:
    """The vectors of ``domain``; ``None`` when absent (a failure under ``CI=true``)."""
    base = Path(os.environ.get("DPIKIT_VECTORS") or REPO_ROOT.parent / "shared" / "vectors")
    path = base / domain
    if path.is_dir():
        return path
    if os.environ.get("CI") in ("true", "1"):
        pytest.fail(f"test vectors missing: {path} (set DPIKIT_VECTORS); CI must not skip")
    return None


def vector_path(domain: str, name: str) -> Path:
    """A vector file, or skip the test (outside CI) when the vectors are absent."""
    d = vectors_dir(domain)
    if d is None:
        pytest.skip(f"vectors {domain} absent (set DPIKIT_VECTORS)")
    return d / name


def vector_json(domain: str, name: str) -> Any:
    return json.loads(vector_path(domain, name).read_text(encoding="utf-8"))
