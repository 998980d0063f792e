"""The hostile-input corpus (vectors/<block>/cases.json) through the Python binding.

Every case whose op the binding exposes runs here with the same expectation as in Rust: the
exact error code name (``DpikitError.name`` or the first of ``VerificationReport.error_names``)
or the same ok value, within a time bound. Cases whose input is not valid UTF-8 cannot reach a
``str`` parameter and are counted apart, as are ops the binding does not expose.
"""

from __future__ import annotations

import base64
import json
import resource
import time
from pathlib import Path
from typing import Any, Callable, Optional, Union

import dpikit
from dpikit import consent, credentials, exchange, keys, payments

REPO_ROOT = Path(__file__).resolve().parents[3]
BLOCKS = ["core", "credentials", "consent", "payments", "exchange"]
BOUND_SECONDS = 5.0
# The process's peak resident set after the walk (50 MiB inputs included) bounds every case.
MAX_RSS_MIB = 1024


def materialize(data: Union[str, dict[str, Any]]) -> bytes:
    """The bytes a case's ``input.data`` describes (text, base64, or repeated text)."""
    if isinstance(data, str):
        return data.encode()
    if "base64" in data:
        return base64.b64decode(data["base64"])
    return b"".join(text.encode() * n for text, n in data["repeat"])


def text(data: bytes) -> Optional[str]:
    try:
        return data.decode()
    except UnicodeDecodeError:
        return None


def _report(report: credentials.VerificationReport) -> Any:
    if report.verified:
        return True
    raise _Failed(report.error_names[0])


class _Failed(Exception):
    def __init__(self, name: str) -> None:
        self.name = name


def _status_lists(inp: dict[str, Any]) -> Optional[list[Any]]:
    return [inp["status_list"]] if "status_list" in inp else None


# op -> (takes text?, call(data, input) -> ok value)
OPS: dict[str, tuple[bool, Callable[[Any, dict[str, Any]], Any]]] = {
    "json.parse": (False, lambda d, i: keys.parse_json(d)),
    "jcs.canonicalize": (False, lambda d, i: keys.canonicalize(keys.parse_json(d)).decode()),
    "jws.verify": (
        True,
        lambda d, i: keys.jws_verify(d, keys.PublicKey.from_multikey(i["key"]))["payload"].decode(
            errors="replace"
        ),
    ),
    "jwk.thumbprint": (False, lambda d, i: keys.PublicKey.from_jwk(d).thumbprint()),
    "multikey.decode": (True, lambda d, i: keys.PublicKey.from_multikey(d).key_type),
    "did.resolve": (True, lambda d, i: keys.resolve_did(d)["id"]),
    "credential.verify": (
        False,
        lambda d, i: _report(credentials.verify(d, at=i["now"], status_lists=_status_lists(i))),
    ),
    "consent.import": (
        False,
        lambda d, i: [r["id"] for r in consent.import_records(i["format"], d)["records"]],
    ),
    "consent.receipt.verify": (
        True,
        lambda d, i: consent.verify_receipt(d, keys.PublicKey.from_multikey(i["key"]))["receipt"][
            "record"
        ]["id"],
    ),
}

def _batch(d: bytes) -> dict[str, Any]:
    batch = payments.bulk_from_csv(
        d,
        batch_id="B-2026-11-29",
        created_at="2026-11-29T08:00:00Z",
        execution_date="2026-12-01",
        debtor_name="City of Springfield",
        debtor_account="DE89370400440532013000",
    )
    return {
        "names": [p.name for p in batch.payments],
        "errors": [[e.row, e.column, e.name] for e in batch.errors],
    }


def _mojaloop(d: bytes, inp: dict[str, Any]) -> bool:
    payments.parse_body(inp["body"], d)
    return True


def _fulfilment(t: str, inp: dict[str, Any]) -> bool:
    payments.verify_fulfilment(t, inp["condition"])
    return True


def _dataschema(key: exchange.SchemaKey) -> str:
    return f"{key.id}?version={key.version}" if key.version else key.id


def _schema_register(d: bytes, inp: dict[str, Any]) -> str:
    return _dataschema(exchange.Registry(builtin=False).register(d))


def _schema_validate(d: bytes, inp: dict[str, Any]) -> Any:
    registry = exchange.Registry(builtin=False)
    key = registry.register(inp["schema"])
    if registry.validate(key.id, d, version=key.version).valid:
        return True
    raise _Failed("validation_failed")


def _csv_import(d: bytes) -> dict[str, Any]:
    imported = exchange.Registry().import_csv(d, PAYMENT_STATUS)
    rows = imported["rows"]
    valid = [r for r in rows if "error" not in r and not r["issues"] and "entity" in r]
    return {"entities": imported["entities"], "valid": len(valid)}


def _envelope(t: str, inp: dict[str, Any]) -> Any:
    key = keys.PublicKey.from_multikey(inp["key"])
    return exchange.Registry().open_envelope(t, key, at=inp["now"])["envelope"]["data"]


PAYMENT_STATUS = "https://schemas.dpikit.org/exchange/payment-status/1.0.0/schema.json"

OPS.update(
    {
        "iso20022.parse": (False, lambda d, i: payments.parse(d).message_type),
        "mojaloop.parse": (False, _mojaloop),
        "ilp.verify_fulfilment": (True, _fulfilment),
        "bulk.from_csv": (False, lambda d, i: _batch(d)),
        "schema.register": (False, _schema_register),
        "schema.validate": (False, _schema_validate),
        "ngsi.to_key_values": (False, lambda d, i: exchange.to_key_values(d)["entity"]),
        "csv.import": (False, lambda d, i: _csv_import(d)),
        "envelope.verify": (True, _envelope),
    }
)

# Ops whose ok value the binding cannot reproduce exactly (dpv import: Rust reports no ids).
SKIP_OK = {("consent.import", "dpv")}


def run(case: dict[str, Any]) -> dict[str, Any]:
    takes_text, call = OPS[case["op"]]
    data: Any = materialize(case["input"]["data"])
    if takes_text:
        data = text(data)
    try:
        return {"ok": call(data, case["input"])}
    except dpikit.DpikitError as e:
        return {"error": e.name}
    except _Failed as e:
        return {"error": e.name}


def test_hostile_corpus_through_python() -> None:
    counts = {"cases": 0, "ran": 0, "passed": 0, "not_exposed": 0, "not_utf8": 0}
    failures = []
    for block in BLOCKS:
        cases = json.loads((REPO_ROOT / "vectors" / block / "cases.json").read_text())
        for case in cases:
            counts["cases"] += 1
            if case["op"] not in OPS:
                counts["not_exposed"] += 1
                continue
            takes_text = OPS[case["op"]][0]
            if takes_text and text(materialize(case["input"]["data"])) is None:
                counts["not_utf8"] += 1
                continue
            if "ok" in case["expect"] and (case["op"], case["input"].get("format")) in SKIP_OK:
                counts["not_exposed"] += 1
                continue
            counts["ran"] += 1
            started = time.monotonic()
            got = run(case)
            took = time.monotonic() - started
            if got == case["expect"] and took <= BOUND_SECONDS:
                counts["passed"] += 1
            else:
                failures.append(f"{case['id']}: expected {case['expect']}, got {str(got)[:200]} in {took:.2f}s")
    max_rss_mib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024
    print(
        f"hostile corpus (Python): {counts['passed']}/{counts['ran']} passed; "
        f"{counts['not_exposed']} cases of ops the binding does not expose, "
        f"{counts['not_utf8']} with non-UTF-8 input for a str parameter, of {counts['cases']}; "
        f"peak resident set {max_rss_mib} MiB"
    )
    assert not failures, "\n".join(failures)
    assert max_rss_mib <= MAX_RSS_MIB, f"peak resident set {max_rss_mib} MiB"
    assert counts["ran"] >= 450
