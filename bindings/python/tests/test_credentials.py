"""dpikit.credentials: issue, verify (W3C vectors too), batch, present, status lists."""

from __future__ import annotations

import copy
import json
import threading
from datetime import datetime, timezone
from typing import Any

import pytest

import dpikit
from dpikit import credentials, keys

from conftest import vector_json, vector_path

# After the proofs these tests create (`created` is now) and inside validFrom.
AT = "2099-01-01T00:00:00Z"


def unsigned(subject: str = "did:example:resident-1024") -> dict[str, Any]:
    return {
        "@context": ["https://www.w3.org/ns/credentials/v2"],
        "type": ["VerifiableCredential"],
        "validFrom": "2026-01-01T00:00:00Z",
        "credentialSubject": {"id": subject},
    }


@pytest.mark.parametrize("suite", ["eddsa-jcs-2022", "eddsa-rdfc-2022", "vc+jwt"])
def test_issue_and_verify_each_suite(suite: str) -> None:
    kp = keys.generate()
    secured = credentials.issue(unsigned(), kp, suite=suite)
    if suite == "vc+jwt":
        assert isinstance(secured, str) and secured.count(".") == 2
    else:
        assert secured["issuer"] == kp.did
        assert secured["proof"]["cryptosuite"] == suite
    report = credentials.verify(secured, at=AT)
    assert report.verified, report.errors
    assert {"syntax", "proof[0]"} <= {c["check"] for c in report.checks}
    d = report.to_dict()
    assert d["verified"] is True and d["errors"] == [] and json.loads(report.to_json()) == d
    # Text input works as well as a dict.
    text = secured if isinstance(secured, str) else json.dumps(secured)
    assert credentials.verify(text, at=AT).verified


def test_p256_signs_vc_jwt() -> None:
    kp = keys.generate("p256")
    assert credentials.verify(credentials.issue(unsigned(), kp, suite="vc+jwt"), at=AT).verified
    with pytest.raises(dpikit.DpikitError) as info:
        credentials.issue(unsigned(), kp, suite="eddsa-jcs-2022")
    assert info.value.name == "alg_key_mismatch"


def test_tampering_expiry_and_unknown_suite_report_codes() -> None:
    kp = keys.generate()
    vc = credentials.issue(unsigned(), kp)
    bad = copy.deepcopy(vc)
    bad["credentialSubject"]["id"] = "did:example:mallory"
    report = credentials.verify(bad, at=AT)
    assert not report.verified and report.error_names == ["proof_invalid"]
    assert report.error_codes == [2021]
    early = credentials.verify(vc, at=datetime(2025, 1, 1, tzinfo=timezone.utc))
    assert "credential_not_yet_valid" in early.error_names
    with pytest.raises(dpikit.CredentialError) as info:
        credentials.issue(unsigned(), kp, suite="bbs-2023")
    assert info.value.name == "unsupported_cryptosuite"
    with pytest.raises(dpikit.KeyMaterialError) as info2:
        credentials.verify(vc, at=datetime(2025, 1, 1))  # naive datetime: refused
    assert info2.value.name == "invalid_timestamp"
    assert credentials.verify("{not json").error_names == ["malformed_json"]


def test_issuer_binding_and_did_documents() -> None:
    kp = keys.generate()
    web = "did:web:housing.city.example"
    vm = {"id": f"{web}#key-1", "type": "Multikey", "controller": web,
          "publicKeyMultibase": kp.public_key().to_multikey()}
    doc = {"@context": ["https://www.w3.org/ns/did/v1", "https://w3id.org/security/multikey/v1"],
           "id": web, "verificationMethod": [vm], "assertionMethod": [vm["id"]]}
    vc = credentials.issue({**unsigned(), "issuer": web}, kp, kid=vm["id"])
    assert not credentials.verify(vc, at=AT).verified
    assert credentials.verify(vc, at=AT, did_documents=[doc]).verified
    # A did:key proof on a did:web issuer is refused unless binding is off.
    other = credentials.issue({**unsigned(), "issuer": web}, kp)
    assert "verification_method_mismatch" in credentials.verify(other, at=AT, did_documents=[doc]).error_names
    assert credentials.verify(other, at=AT, issuer_binding=False).verified


def test_w3c_eddsa_rdfc_2022_signed_vector() -> None:
    signed = vector_json("vc/eddsa-rdfc-2022", "signedDataInt.json")
    contexts = {
        "https://www.w3.org/ns/credentials/v2":
            vector_path("vc/eddsa/contexts", "credentials-v2.jsonld").read_text(encoding="utf-8"),
        "https://www.w3.org/ns/credentials/examples/v2":
            vector_path("vc/eddsa/contexts", "credentials-examples-v2.jsonld").read_text(encoding="utf-8"),
    }
    # Its issuer is an HTTPS URL: issuer binding off, as in the Rust test.
    opts: dict[str, Any] = {"contexts": contexts, "at": "2024-01-01T00:00:00Z", "issuer_binding": False}
    report = credentials.verify(signed, **opts)
    assert report.verified, report.errors
    tampered = copy.deepcopy(signed)
    tampered["credentialSubject"]["alumniOf"] = "The School of Forgery"
    assert credentials.verify(tampered, **opts).error_names == ["proof_invalid"]
    unknown = copy.deepcopy(signed)
    unknown["@context"][1] = "https://unknown.example/context"
    assert "unknown_context" in credentials.verify(unknown, **opts).error_names


def test_verify_many_parallel_in_order_and_releases_gil() -> None:
    kp = keys.generate()
    good = [credentials.issue(unsigned(f"did:example:{i}"), kp) for i in range(40)]
    bad = copy.deepcopy(good[7])
    bad["credentialSubject"]["id"] = "did:example:x"
    inputs: list[Any] = [*good, bad, json.dumps(good[0]), credentials.issue(unsigned(), kp, suite="vc+jwt")]
    ticks = 0
    stop = threading.Event()

    def spin() -> None:
        nonlocal ticks
        while not stop.is_set():
            ticks += 1

    t = threading.Thread(target=spin)
    t.start()
    try:
        reports = credentials.verify_many(inputs * 5, threads=2, at=AT)
    finally:
        stop.set()
        t.join()
    assert len(reports) == len(inputs) * 5
    assert [r.verified for r in reports[: len(inputs)]] == [True] * 40 + [False, True, True]
    assert reports[40].error_names == ["proof_invalid"]
    assert ticks > 0
    v = credentials.Verifier(at=AT)
    assert [r.verified for r in v.verify_many(good[:3])] == [True] * 3
    assert v.verify(good[0]).verified


@pytest.mark.parametrize("jwt", [False, True])
def test_present_with_challenge_and_domain(jwt: bool) -> None:
    issuer, holder = keys.generate(), keys.generate()
    vc_di = credentials.issue(unsigned(holder.did), issuer)
    vc_jwt = credentials.issue(unsigned(holder.did), issuer, suite="vc+jwt")
    vp = credentials.present([vc_di, vc_jwt], holder, challenge="n-1", domain="city.example", jwt=jwt)
    ok = credentials.verify(vp, challenge="n-1", domain="city.example", at=AT)
    assert ok.verified, ok.errors
    wrong = credentials.verify(vp, challenge="n-2", domain="city.example", at=AT)
    assert "challenge_mismatch" in wrong.error_names or "jwt_claims_mismatch" in wrong.error_names


def test_status_lists_new_set_check_clear_and_verify() -> None:
    kp = keys.generate()
    url = "https://city.example/status/1"
    lst = credentials.status_list_new(url, kp)
    assert lst["id"] == url and lst["proof"]["cryptosuite"] == "eddsa-jcs-2022"
    vc = credentials.issue({**unsigned(), "credentialStatus": credentials.status_entry(url, 42)}, kp)
    assert credentials.status_list_check(lst, vc) == {"purpose": "revocation", "index": 42, "value": 0, "set": False}
    assert credentials.verify(vc, status_lists=[lst], at=AT).verified
    revoked = credentials.status_list_set(lst, kp, 42)
    with pytest.raises(dpikit.CredentialError) as set_info:
        credentials.status_list_check(revoked, vc)
    assert (set_info.value.code, set_info.value.name) == (2050, "revoked")
    assert "revoked" in credentials.verify(vc, status_lists=[revoked], at=AT).error_names
    cleared = credentials.status_list_clear(revoked, kp, 42)
    assert credentials.status_list_check(cleared, vc)["set"] is False
    with pytest.raises(dpikit.CredentialError) as info:
        credentials.status_list_set(lst, kp, 10_000_000)
    assert info.value.name == "status_index_out_of_range"


def test_bitstring_status_list_vector() -> None:
    lst = vector_json("vc/bitstring-status-list", "status-list-credential.json")
    vc = vector_json("vc/bitstring-status-list", "revocable-credential.json")
    out = credentials.status_list_check(lst, vc)
    assert out["purpose"] == "revocation" and isinstance(out["set"], bool)
