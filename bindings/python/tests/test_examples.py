"""The examples run: the quickstart, and verify_batch over a directory of credentials."""

from __future__ import annotations

import importlib.util
import json
import runpy
import sys
from pathlib import Path
from types import ModuleType

import pytest

from dpikit import credentials, keys

from conftest import REPO_ROOT


def load(path: Path) -> ModuleType:
    spec = importlib.util.spec_from_file_location(path.stem, path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[path.stem] = module
    spec.loader.exec_module(module)
    return module


def test_quickstart_runs(capsys: pytest.CaptureFixture[str]) -> None:
    runpy.run_path(str(REPO_ROOT / "bindings/python/examples/quickstart.py"), run_name="__main__")
    out = capsys.readouterr().out
    assert "credential verified: True" in out and "presentation verified: True" in out
    assert "wrong key: 1025 invalid_signature" in out


def test_verify_batch(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    kp = keys.generate()
    base = {"@context": ["https://www.w3.org/ns/credentials/v2"], "type": ["VerifiableCredential"]}
    for i in range(5):
        vc = credentials.issue({**base, "credentialSubject": {"id": f"did:example:{i}"}}, kp)
        (tmp_path / f"vc{i}.json").write_text(json.dumps(vc))
    (tmp_path / "vc5.jwt").write_text(credentials.issue({**base, "credentialSubject": {"id": "x:y"}}, kp, suite="vc+jwt"))
    (tmp_path / "broken.json").write_text('{"@context": 1}')
    batch = load(REPO_ROOT / "examples/python/verify_batch.py")
    rows = batch.verify_dir(tmp_path, threads=2)
    assert [r["file"] for r in rows][:2] == ["broken.json", "vc0.json"]
    assert [r["verified"] for r in rows] == [False] + [True] * 6
    assert rows[0]["errors"] == "malformed_credential"
    table = batch.to_table(rows)
    assert len(table) == 7
    assert batch.main([str(tmp_path)]) == 1
    assert "6 of 7 verified" in capsys.readouterr().out
