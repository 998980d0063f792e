"""dpikit.exchange over the FIWARE Smart Data Models in ../shared/vectors/exchange."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

import dpikit
from dpikit import consent, exchange, keys
from conftest import vectors_dir

DOMAIN = "exchange/smart-data-models"
ENV_RAW = "https://raw.githubusercontent.com/smart-data-models/dataModel.Environment/master/Environment-schema.json"
ENV_ID = "https://smart-data-models.github.io/dataModel.Environment/Environment-schema.json"
SDM = "https://smart-data-models.github.io/dataModel."
# (folder, $id, version, instance paths of the example's issues, as PROVENANCE.md records)
MODELS: list[tuple[str, str, str, list[str]]] = [
    ("Environment/AirQualityObserved", f"{SDM}Environment/AirQualityObserved/schema.json", "0.1.4", ["/dateObserved", "/tsp"]),
    ("Weather/WeatherObserved", f"{SDM}Weather/WeatherObserved/schema.json", "0.3.4", []),
    ("Parking/ParkingSpot", f"{SDM}Parking/ParkingSpot/schema.json", "0.1.0", []),
    ("Streetlighting/Streetlight", f"{SDM}Streetlighting/Streetlight/schema.json", "0.2.1", []),
    ("IssueTracking/service_requests", f"{SDM}IssueTracking/service_requests/schema.json", "0.1.0", []),
]
PAYMENT_STATUS = "https://schemas.dpikit.org/exchange/payment-status/1.0.0/schema.json"


def sdm() -> tuple[exchange.Registry, Path]:
    d = vectors_dir(DOMAIN)
    if d is None:
        pytest.skip("Smart Data Models vectors absent (set DPIKIT_VECTORS)")
    registry = exchange.Registry(builtin=False)
    assert len(registry.register_dir(d / "common")) == 3
    registry.add_alias(ENV_RAW, ENV_ID)
    for folder, id_, version, _ in MODELS:
        key = registry.register_file(d / folder / "schema.json")
        assert (key.id, key.version) == (id_, version)
    registry.compile_all()
    return registry, d


def example(d: Path, folder: str, name: str = "example.json") -> Any:
    return json.loads((d / folder / "examples" / name).read_text(encoding="utf-8"))


@pytest.mark.parametrize(("folder", "id_", "version", "expected"), MODELS)
def test_examples_validate_as_provenance_predicts(folder: str, id_: str, version: str, expected: list[str]) -> None:
    registry, d = sdm()
    report = registry.validate(id_, example(d, folder))
    assert sorted(i.instance_path for i in report.issues) == expected
    assert report.valid == (not expected)
    assert (report.schema.id, report.schema.version) == (id_, version)
    text = (d / folder / "examples" / "example.json").read_text(encoding="utf-8")
    assert registry.validate(id_, text, version=version).to_dict() == report.to_dict()
    assert registry.is_valid(id_, example(d, folder)) == report.valid
    assert registry.is_valid(id_, text, version=version) == report.valid


def test_air_quality_issues_by_keyword_and_validate_many_in_order() -> None:
    registry, d = sdm()
    folder, id_, _, _ = MODELS[0]
    report = registry.validate(id_, example(d, folder))
    assert sorted((i.instance_path, i.keyword) for i in report.issues) == [
        ("/dateObserved", "format"),
        ("/tsp", "type"),
    ]
    instances = [example(d, folder) if i % 3 == 0 else {"id": f"x{i}", "type": "AirQualityObserved"} for i in range(50)]
    many = registry.validate_many(id_, instances, threads=2)
    assert [r.to_dict() for r in many] == [registry.validate(id_, i).to_dict() for i in instances]
    assert registry.validate_many(id_, []) == []


def test_offline_refs_and_typed_errors() -> None:
    registry = exchange.Registry(builtin=False)
    key = registry.register({"$id": "https://city.example/s.json", "$ref": "https://evil.example/remote.json#/x"})
    with pytest.raises(exchange.ExchangeError) as e:
        registry.validate(key.id, {})
    assert e.value.name == "unresolved_ref"
    with pytest.raises(exchange.ExchangeError) as e:
        registry.validate("https://nowhere.example/s.json", {})
    assert e.value.name == "schema_not_found"
    with pytest.raises(exchange.ExchangeError) as e:
        registry.register({"type": "object"})
    assert e.value.name == "invalid_schema"
    builtin = exchange.Registry()
    deep = "[" * 10_000 + "]" * 10_000
    with pytest.raises(dpikit.DpikitError) as e2:
        builtin.validate(PAYMENT_STATUS, deep)
    assert e2.value.name == "nesting_too_deep"
    with pytest.raises(dpikit.DpikitError) as e2:
        builtin.is_valid(PAYMENT_STATUS, deep)
    assert e2.value.name == "nesting_too_deep"
    with pytest.raises(exchange.ExchangeError) as e:
        registry.is_valid("https://nowhere.example/s.json", {})
    assert e.value.name == "schema_not_found"


def test_dict_intake_limits_and_types() -> None:
    """A dict instance meets the limits and type rules of the JSON text intake."""
    import collections
    import enum

    class Status(str, enum.Enum):
        ACSC = "ACSC"

    registry = exchange.Registry()
    ok = {"instructionId": "PI-1", "status": "ACSC", "statusAt": "2026-04-01T08:00:00Z"}
    text = json.dumps(ok)
    assert registry.validate(PAYMENT_STATUS, ok).to_dict() == registry.validate(PAYMENT_STATUS, text).to_dict()
    # Subclasses of the JSON types and tuples convert like their bases.
    assert registry.validate(PAYMENT_STATUS, collections.OrderedDict(ok, status=Status.ACSC)).valid
    assert not registry.validate(PAYMENT_STATUS, {**ok, "status": ("ACSC",)}).valid
    cases: list[tuple[Any, str]] = [
        ({**ok, "x": float("nan")}, "number_out_of_range"),
        ({**ok, "x": [float("inf")]}, "number_out_of_range"),
        ({**ok, "x": 2**64}, "number_out_of_range"),
        ({**ok, 1: "one"}, "invalid_argument"),
        ({**ok, "x": {1, 2}}, "invalid_argument"),
        ({**ok, "x": b"bytes"}, "invalid_argument"),
        ({**ok, "x": "a" * (1 << 20)}, "input_too_large"),
        ({**ok, "x": ["ab"] * 400_000}, "input_too_large"),
    ]
    deep: Any = []
    for _ in range(63):
        deep = [deep]  # 64 nested lists; inside the instance object, 65 levels (the limit is 64)
    cases.append(({**ok, "x": deep}, "nesting_too_deep"))
    for instance, name in cases:
        with pytest.raises(dpikit.DpikitError) as e:
            registry.validate(PAYMENT_STATUS, instance)
        assert e.value.name == name
        if name in ("input_too_large", "nesting_too_deep"):  # as for the same JSON text
            with pytest.raises(dpikit.DpikitError) as e:
                registry.validate(PAYMENT_STATUS, json.dumps(instance))
            assert e.value.name == name
    assert registry.validate(PAYMENT_STATUS, {**ok, "x": deep[0]}).valid
    assert registry.validate(PAYMENT_STATUS, {**ok, "x": 2**64 - 1}).valid


def test_builtin_registry_and_schema_documents() -> None:
    registry = exchange.Registry()
    ids = {k.id for k in registry.keys()}
    assert PAYMENT_STATUS in ids and len(ids) >= 7
    assert registry.resolve(PAYMENT_STATUS).version == "1.0.0"
    assert registry.schema(PAYMENT_STATUS)["$id"] == PAYMENT_STATUS


def test_ngsi_ld_conversions() -> None:
    registry, d = sdm()
    folder, id_, _, _ = MODELS[2]  # ParkingSpot simplifies exactly (PROVENANCE.md)
    normalized = example(d, folder, "example-normalized.jsonld")
    assert exchange.is_normalized(normalized)
    simple = exchange.to_key_values(normalized)
    assert not exchange.is_normalized(simple["entity"])
    assert simple["entity"] == example(d, folder, "example.jsonld")
    back = registry.to_normalized(simple["entity"], id_)
    assert exchange.to_key_values(back["entity"])["entity"] == simple["entity"]
    assert back["entity"]["refParkingSite"]["type"] == "Relationship"
    fc = exchange.to_feature_collection([simple["entity"]])
    assert fc["type"] == "FeatureCollection" and len(fc["features"]) == 1
    with pytest.raises(exchange.ExchangeError) as e:
        exchange.to_key_values([1])
    assert e.value.code // 1000 == 5


@pytest.mark.parametrize("folder", [m[0] for m in MODELS])
def test_csv_flattenings_import(folder: str) -> None:
    registry, d = sdm()
    id_ = next(m[1] for m in MODELS if m[0] == folder)
    imported = registry.import_csv((d / folder / "examples" / "example.json.csv").read_bytes(), id_)
    [row] = imported["rows"]
    assert row["row"] == 1 and row["entity"] == 0
    assert imported["entities"][0]["id"] == example(d, folder)["id"]


def test_csv_row_reports_and_limits() -> None:
    registry = exchange.Registry()
    csv = (
        "instructionId,status,statusAt\n"
        "PI-1,ACSC,2026-04-01T08:00:00Z\n"
        "PI-2,DONE,2026-04-01T08:00:00Z\n"
    )
    imported = registry.import_csv(csv, PAYMENT_STATUS)
    assert [r["issues"] == [] for r in imported["rows"]] == [True, False]
    assert imported["rows"][1]["issues"][0]["instance_path"] == "/status"
    with pytest.raises(exchange.ExchangeError) as e:
        registry.import_csv("x____y,b\n1,2\n", PAYMENT_STATUS)
    assert e.value.name == "csv_invalid"


def status(at: str = "2026-04-01T08:00:00Z") -> dict[str, Any]:
    return {"instructionId": "PI-1", "status": "ACSC", "statusAt": at}


def test_envelopes_sign_and_open() -> None:
    registry, key = exchange.Registry(), keys.generate("Ed25519")
    env = registry.envelope(
        status(), source="https://treasury.city.example", type="org.dpikit.PaymentStatus",
        schema=PAYMENT_STATUS, time="2026-04-01T08:00:01Z", correlation_id="batch-7",
    )
    assert env["dataschema"].startswith(PAYMENT_STATUS) and env["correlationid"] == "batch-7"
    token, signed = exchange.sign_envelope(env, key, kid="treasury#1")
    opened = registry.open_envelope(token, key, at="2026-04-01T08:01:00Z")
    assert opened["envelope"] == env and opened["kid"] == "treasury#1"
    assert json.loads(signed) == env
    detached, body = exchange.sign_envelope(env, key, detached=True)
    assert registry.open_envelope(detached, key.public_key(), detached=body, at="2026-04-01T08:01:00Z")["envelope"] == env
    for at, name in [("2026-04-01T09:00:00Z", "envelope_expired"), ("2026-04-01T07:00:00Z", "envelope_not_yet_valid")]:
        with pytest.raises(exchange.ExchangeError) as e:
            registry.open_envelope(token, key, at=at)
        assert e.value.name == name
    with pytest.raises(exchange.ExchangeError) as e:
        registry.open_envelope(token, keys.generate("Ed25519"), at="2026-04-01T08:01:00Z")
    assert e.value.name == "envelope_signature_invalid"
    with pytest.raises(exchange.ExchangeError) as e:
        registry.envelope({"status": "DONE"}, source="s", type="t", schema=PAYMENT_STATUS)
    assert e.value.name == "validation_failed"


def test_personal_data_needs_a_consent_and_seal_checks_it() -> None:
    registry, key = exchange.Registry(), keys.generate("Ed25519")
    env = registry.envelope(
        status(), source="https://treasury.city.example", type="org.dpikit.PaymentStatus",
        schema=PAYMENT_STATUS, time="2026-04-01T08:00:01Z", personal_data=True,
    )
    with pytest.raises(exchange.ExchangeError) as e:
        exchange.sign_envelope(env, key)
    assert e.value.name == "consent_required"
    record = consent.new_record("c-1", "did:example:resident", "did:example:treasury", "ServiceProvision")
    with pytest.raises(exchange.ExchangeError) as e:
        exchange.seal_envelope(env, record, controller="did:example:treasury", purpose="ServiceProvision", at="2026-04-01T08:00:00Z")
    assert e.value.name == "consent_denied"
    given = consent.transition(record, "Given", at="2026-03-01T00:00:00Z")
    sealed = exchange.seal_envelope(env, given, controller="did:example:treasury", purpose="ServiceProvision", at="2026-04-01T08:00:00Z")
    assert sealed["consentid"] == "c-1"
    token, _ = exchange.sign_envelope(sealed, key)
    assert registry.open_envelope(token, key, at="2026-04-01T08:00:30Z")["envelope"]["consentid"] == "c-1"
