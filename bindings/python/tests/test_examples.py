"""The examples run: the quickstart, and verify_batch over a directory of credentials."""

from __future__ import annotations

import importlib.util
import json
import runpy
import sys
from pathlib import Path
from types import ModuleType

import pytest

from dpikit import credentials, keys, payments

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


SUBSIDY_CSV = (
    "id,name,account,amount,currency,reference\n"
    "R001,Ada Uwase,DE44 5001 0517 5407 3249 31,120.00,EUR,Winter subsidy\n"
    "R002,Bo Li,DE00000000000000000000,80,EUR,Winter subsidy\n"
    "R003,Cy Ng,+250788000003,20200,RWF,Winter subsidy\n"
    "R004,Di Ko,+250788000004,15.5,EUR,Winter subsidy\n"
)


def test_subsidy_batch(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    sub = load(REPO_ROOT / "examples/python/subsidy_batch.py")
    xml, report = sub.build(
        SUBSIDY_CSV.encode(),
        batch_id="WINTER-2026",
        debtor_name="City Treasury",
        debtor_account="DE89370400440532013000",
        debtor_bic="COBADEFFXXX",
        execution_date="2026-12-01",
        created_at="2026-11-29T08:00:00Z",
    )
    assert report.payments == 3 and report.totals == {"EUR": "135.50", "RWF": "20200"}
    assert [(r["row"], r["name"]) for r in report.rejected] == [(3, "invalid_iban")]
    assert report.findings == [] and not report.clean
    assert payments.parse(xml).message_type == "pain.001.001.09"
    csv = tmp_path / "b.csv"
    csv.write_text(SUBSIDY_CSV.replace("DE00000000000000000000", "DE89370400440532013000"))
    out, rep = tmp_path / "p.xml", tmp_path / "r.json"
    args = [str(csv), "--batch-id", "W1", "--debtor-name", "City", "--debtor-account", "DE89370400440532013000"]
    assert sub.main([*args, "--out", str(out), "--report", str(rep)]) == 0
    assert json.loads(rep.read_text())["clean"] is True
    assert payments.validate(out.read_bytes()) == []
    assert "4 payments" in capsys.readouterr().out
