"""dpikit.credentials SD-JWT (RFC 9901 vectors) and QR (MOSIP PixelPass vectors)."""

from __future__ import annotations

from typing import Any

import pytest

from dpikit import credentials, keys
from conftest import vector_json, vector_path

SD = "vc/sd-jwt"
RFC_NOW = "2023-11-14T22:13:20Z"  # Unix 1 700 000 000, inside the RFC examples' validity


def rfc(name: str) -> str:
    return vector_path(SD, name).read_text(encoding="utf-8").strip()


@pytest.mark.parametrize(
    ("sd_jwt", "payload", "vc"),
    [
        ("rfc9901-A.1-simple-structured.sd-jwt.txt", "rfc9901-A.1-processed-payload.json", False),
        ("rfc9901-A.3-sd-jwt-vc.sd-jwt.txt", "rfc9901-A.3-processed-payload.json", True),
    ],
)
def test_rfc9901_examples_verify_and_reconstruct(sd_jwt: str, payload: str, vc: bool) -> None:
    issuer = vector_json(SD, "issuer-public-jwk.json")
    v = credentials.sd_jwt_verify(rfc(sd_jwt), issuer_key=issuer, at=RFC_NOW, vc=vc)
    assert v["claims"] == vector_json(SD, payload)
    assert v["key_binding"] is None and v["disclosed"]


def test_rfc9901_presented_subset() -> None:
    issuer = vector_json(SD, "issuer-public-jwk.json")
    shown = credentials.sd_jwt_present(rfc("rfc9901-A.3-sd-jwt-vc.sd-jwt.txt"), ["/address/locality", "/age_equal_or_over/18"])
    claims = credentials.sd_jwt_verify(shown, issuer_key=issuer, at=RFC_NOW, vc=True)["claims"]
    assert claims["address"] == {"locality": "Köln"}
    assert claims["age_equal_or_over"] == {"18": True}
    with pytest.raises(credentials.CredentialError) as e:
        credentials.sd_jwt_verify(shown, issuer_key=keys.generate("p256"), at=RFC_NOW, vc=True)
    assert e.value.name == "proof_invalid"


def test_issue_present_with_key_binding_and_verify() -> None:
    city, resident = keys.generate(), keys.generate("p256")
    claims: dict[str, Any] = {
        "iss": "https://springfield.example/residents",
        "vct": "https://springfield.example/residency",
        "name": "Zoë Ñandú",
        "address": {"street": "742 Evergreen Terrace", "city": "Springfield"},
    }
    issued = credentials.sd_jwt_issue(
        claims, city, disclosable=["/name", "/address/street"], vc=True, holder_key=resident.public_key(), decoys=2
    )
    shown = credentials.sd_jwt_present(
        issued, ["/address/city"], holder_key=resident, audience="https://library.example", nonce="n-7f3a", at="2026-11-29T10:00:00Z"
    )
    v = credentials.sd_jwt_verify(
        shown, issuer_key=city.public_key(), nonce="n-7f3a", audience="https://library.example", at="2026-11-29T10:00:05Z", vc=True
    )
    assert v["claims"]["address"] == {"city": "Springfield"} and "name" not in v["claims"]
    assert v["key_binding"]["nonce"] == "n-7f3a"
    with pytest.raises(credentials.CredentialError) as e:
        credentials.sd_jwt_verify(shown, issuer_key=city.public_key(), nonce="other", audience="https://library.example", at="2026-11-29T10:00:05Z")
    assert e.value.code // 1000 == 2
    with pytest.raises(credentials.CredentialError) as e:
        credentials.sd_jwt_issue({"iss": "x"}, city, vc=True)
    assert e.value.name == "sd_jwt_vc_invalid"
    with pytest.raises(credentials.CredentialError) as e:
        credentials.sd_jwt_verify("not an sd-jwt")
    assert e.value.code // 1000 in (1, 2)


def test_pixelpass_vectors() -> None:
    vectors = vector_json("vc/pixelpass", "pixelpass-vectors.json")["vectors"]
    checked = 0
    for v in vectors:
        if "input_text" in v:
            assert credentials.qr_encode(v["input_text"]) == v["qr_data"]
            assert credentials.qr_decode(v["qr_data"]) == v["input_text"]
            checked += 1
        elif "input_json" in v:
            import json

            value = json.loads(v["input_json"])
            assert credentials.qr_encode(value) == v["qr_data"]
            assert credentials.qr_decode(v["qr_data"]) == value
            checked += 1
        elif "decoded_text" in v:
            assert credentials.qr_decode(v["qr_data"]) == v["decoded_text"]
            assert credentials.qr_encode(v["decoded_text"].encode()) == v["qr_data"]
            checked += 1
    assert checked == 3
    with pytest.raises(credentials.CredentialError) as e:
        credentials.qr_decode("not base45 ~~~")
    assert e.value.code // 1000 == 2


def test_qr_carries_a_verifiable_credential() -> None:
    kp = keys.generate()
    vc = credentials.issue(
        {
            "@context": ["https://www.w3.org/ns/credentials/v2"],
            "type": ["VerifiableCredential"],
            "validFrom": "2026-01-01T00:00:00Z",
            "credentialSubject": {"id": "did:example:r-1"},
        },
        kp,
        suite="eddsa-jcs-2022",
    )
    text = credentials.qr_encode(vc)
    report = credentials.qr_verify(text, at="2099-01-01T00:00:00Z")
    assert report.verified, report.errors
    assert report.checks[0]["check"] == "qr"
    assert credentials.Verifier(at="2099-01-01T00:00:00Z").verify_qr(text).verified
    bad = credentials.qr_verify("%%%")
    assert not bad.verified
