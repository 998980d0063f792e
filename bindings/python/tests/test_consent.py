"""dpikit.consent: records, transitions, checks, receipts, formats, the SQLite ledger."""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any

import pytest

import dpikit
from dpikit import consent, keys

from conftest import vector_path

CITY = "did:web:housing.city.example"
ANA = "did:example:ana"
T0 = "2026-03-01T09:00:00Z"
T1 = "2026-03-02T09:00:00Z"


def record(id: str = "urn:uuid:c-1", **kw: Any) -> dict[str, Any]:
    return consent.new_record(id, ANA, CITY, "dpv:ServiceProvision",
                              controller_name="Housing", purpose_text="Subsidy", **kw)


def test_lifecycle_and_check() -> None:
    r = record(data_categories=["pd:Income"])
    assert r["state"] == "Requested" and consent.state_at(r, at=T0) == "Requested"
    denied = consent.check_access(r, CITY, "dpv:ServiceProvision", at=T0)
    assert denied["allowed"] is False and denied["reason_name"] == "consent_not_given"
    g = consent.transition(r, "Given", at=T0)
    assert g["state"] == "Given" and g["events"][-1]["actor"] == ANA
    ok = consent.check_access(g, CITY, "dpv:ServiceProvision", data_category="pd:Income", at=T1)
    assert ok == {"allowed": True, "reason": None, "reason_name": None, "detail": ok["detail"]}
    other = consent.check_access(g, CITY, "dpv:Marketing", at=T1)
    assert (other["reason"], other["reason_name"]) == (3043, "consent_purpose_mismatch")
    w = consent.transition(g, "Withdrawn", at=T1, reason="moved away")
    with pytest.raises(dpikit.ConsentError) as info:
        consent.transition(w, "Given", at=T1)
    assert (info.value.code, info.value.name) == (3002, "illegal_transition")
    with pytest.raises(dpikit.DpikitError) as info2:
        consent.transition(w, "Happy")
    assert info2.value.name == "invalid_argument"


def test_expiry() -> None:
    g = consent.transition(record(expires="2026-04-01T00:00:00Z"), "Given", at=T0)
    assert consent.state_at(g, at="2026-05-01T00:00:00Z") == "Expired"
    late = consent.check_access(g, CITY, "dpv:ServiceProvision", at="2026-05-01T00:00:00Z")
    assert late["allowed"] is False and late["reason"] // 1000 == 3


def test_malformed_record() -> None:
    with pytest.raises(dpikit.ConsentError) as info:
        consent.transition({"id": "x"}, "Given")
    assert info.value.name == "malformed_consent"


def test_receipt_sign_verify() -> None:
    kp = keys.generate()
    g = consent.transition(record(), "Given", at=T0)
    token = consent.sign_receipt(g, kp, at=T1)
    out = consent.verify_receipt(token, kp.public_key())
    assert out["receipt"]["record"] == g and out["receipt"]["id"] == "urn:uuid:c-1#receipt"
    with pytest.raises(dpikit.ConsentError) as info:
        consent.verify_receipt(token, keys.generate())
    assert info.value.name == "receipt_invalid"


@pytest.mark.parametrize(
    ("fmt", "rel", "min_records"),
    [
        ("kantara", "kantara/kantara-cr-v1.1.0-example.json", 1),
        ("rebit", "rebit-aa/finvu-aa-v1-consent-artefact-response.json", 1),
        ("dpv", "dpv-27560/dpv27560-ex45-receipt-multiple-records.jsonld", 1),
        ("govstack", "govstack-bb-consent/govstack-bb-consent-mock-fixtures.json", 1),
    ],
)
def test_import_vectors_with_loss_report(fmt: str, rel: str, min_records: int) -> None:
    domain, name = rel.split("/")
    data = vector_path(f"consent/{domain}", name).read_bytes()
    out = consent.import_records(fmt, data)
    assert len(out["records"]) >= min_records
    assert set(out["loss"]) == {"dropped", "warnings"}
    assert isinstance(out["findings"], list)


def test_import_refusals_by_code() -> None:
    dup = vector_path("consent/dpv-27560", "dpv27560-ex46-receipt-with-required-record-fields.jsonld")
    with pytest.raises(dpikit.KeyMaterialError) as info:
        consent.import_records("dpv", dup.read_bytes())
    assert info.value.name == "duplicate_key"
    schema = vector_path("consent/kantara", "kantara-cr-v1.1.0-schema.json")
    with pytest.raises(dpikit.ConsentError) as info2:
        consent.import_records("kantara", schema.read_text(encoding="utf-8"))
    assert info2.value.name == "consent_import_failed"
    with pytest.raises(dpikit.ConsentError) as info3:
        consent.import_records("xml", "{}")
    assert info3.value.name == "consent_import_failed"


@pytest.mark.parametrize("fmt", ["kantara", "dpv"])
def test_export_with_loss_report(fmt: str) -> None:
    g = consent.transition(record(), "Given", at=T0)
    out = consent.export_record(fmt, g)
    assert isinstance(out["value"], dict)
    assert isinstance(out["loss"]["dropped"], list) and isinstance(out["loss"]["warnings"], list)


def test_rebit_roundtrip_and_refusal() -> None:
    # A DPV-coded record has no ReBIT purpose code: refused with its own code.
    with pytest.raises(dpikit.ConsentError) as info:
        consent.export_record("rebit", record())
    assert info.value.name == "consent_export_invalid"
    data = vector_path("consent/rebit-aa", "finvu-aa-v1-consent-artefact-response.json").read_bytes()
    imported = consent.import_records("rebit", data)["records"][0]
    out = consent.export_record("rebit", imported)
    assert isinstance(out["value"], dict) and set(out["loss"]) == {"dropped", "warnings"}


def test_export_govstack_is_refused() -> None:
    with pytest.raises(dpikit.DpikitError) as info:
        consent.export_record("govstack", record())
    assert info.value.name == "invalid_argument"


def test_sqlite_ledger(tmp_path: Path) -> None:
    db = tmp_path / "ledger.sqlite"
    ledger = consent.Ledger(db)
    r = record()
    e0 = ledger.append_record("consent.requested", r, at=T0)
    assert e0["seq"] == 0 and len(e0["hash"]) == 64
    g = consent.transition(r, "Given", at=T0)
    ledger.append_record("consent.given", g, at=T0)
    ledger.append_record("consent.requested", record("urn:uuid:c-2"), at=T0)
    assert len(ledger) == 3
    assert ledger.current_record("urn:uuid:c-1") == g
    assert ledger.current_record("nope") is None
    assert [x["id"] for x in ledger.current_records(ANA)] == ["urn:uuid:c-1", "urn:uuid:c-2"]
    assert [x["id"] for x in ledger.active_consents(CITY, "dpv:ServiceProvision", at=T1)] == ["urn:uuid:c-1"]
    assert [e["kind"] for e in ledger.history("urn:uuid:c-1")] == ["consent.requested", "consent.given"]
    v = ledger.verify()
    assert v["entries"] == 3 and v["head"] == ledger.head
    del ledger
    # Reopening reads the same chain; editing a stored row is detected.
    assert len(consent.Ledger(str(db))) == 3
    con = sqlite3.connect(db)
    tables = [t for (t,) in con.execute("select name from sqlite_master where type='table'")]
    table = next(t for t in tables if "entr" in t)
    con.execute(f"update {table} set kind = 'consent.forged' where seq = 1")
    con.commit()
    con.close()
    with pytest.raises(dpikit.ConsentError) as info:
        consent.Ledger(db).verify()
    assert info.value.name == "ledger_tampered"


def test_memory_ledger() -> None:
    ledger = consent.Ledger()
    ledger.append_record("consent.requested", record(), at=T0)
    assert len(ledger) == 1 and ledger.verify()["entries"] == 1
