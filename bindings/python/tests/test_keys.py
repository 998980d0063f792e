"""dpikit.keys: key pairs, JWK, Multikey, DIDs, JWS, JCS."""

from __future__ import annotations

import hashlib
import json

import pytest

import dpikit
from dpikit import keys

from conftest import vector_json


@pytest.mark.parametrize("key_type", ["ed25519", "p256"])
def test_generate_sign_verify_roundtrip(key_type: str) -> None:
    kp = keys.generate(key_type)
    assert kp.key_type == key_type
    assert kp.algorithm == ("EdDSA" if key_type == "ed25519" else "ES256")
    sig = kp.sign(b"hello")
    assert isinstance(sig, bytes) and len(sig) == 64
    kp.public_key().verify(b"hello", sig)
    with pytest.raises(dpikit.KeyMaterialError) as info:
        kp.public_key().verify(b"hellO", sig)
    assert info.value.name == "invalid_signature"
    # JWK, Multikey and raw bytes round-trip.
    assert keys.KeyPair.from_jwk(kp.to_jwk()).public_key() == kp.public_key()
    assert keys.KeyPair.from_jwk(json.dumps(kp.to_jwk())).public_key() == kp.public_key()
    assert keys.KeyPair.from_multikey(kp.to_multikey()).public_key() == kp.public_key()
    assert keys.KeyPair.from_secret_bytes(key_type, kp.secret_bytes()).public_key() == kp.public_key()
    pub = kp.public_key()
    assert keys.PublicKey.from_multikey(pub.to_multikey()) == pub
    assert keys.PublicKey.from_bytes(key_type, pub.to_bytes()) == pub
    assert keys.PublicKey.from_jwk(pub.to_jwk()) == pub
    assert keys.PublicKey.from_did_key(kp.kid) == pub
    assert "d" not in pub.to_jwk() and "d" in kp.to_jwk()
    assert kp.to_jwk()["d"] not in repr(kp)
    assert len({pub, keys.PublicKey.from_jwk(pub.to_jwk())}) == 1


def test_rfc8037_thumbprint_and_dids() -> None:
    jwk = vector_json("vc/rfc8037", "A.1-private-jwk.json")
    expected = vector_json("vc/rfc8037", "A.3-jwk-thumbprint.json")
    kp = keys.KeyPair.from_jwk(jwk)
    assert kp.public_key().thumbprint() == expected["thumbprint_b64url"]
    assert keys.did_key(kp).startswith("did:key:z6Mk")
    assert keys.did_key(jwk) == kp.did == keys.did_key(kp.public_key())
    assert keys.did_jwk(kp).startswith("did:jwk:")
    doc = keys.resolve_did(kp.kid)
    assert doc["id"] == kp.did
    assert keys.resolve_did(keys.did_jwk(kp))["id"] == keys.did_jwk(kp)


def test_eddsa_vector_multikey() -> None:
    pair = vector_json("vc/eddsa", "keyPair.json")
    kp = keys.KeyPair.from_multikey(pair["privateKeyMultibase"])
    assert kp.public_key().to_multikey() == pair["publicKeyMultibase"]


def test_resolve_did_web_from_documents() -> None:
    kp = keys.generate()
    vm = {"id": "did:web:city.example#k1", "type": "Multikey", "controller": "did:web:city.example",
          "publicKeyMultibase": kp.public_key().to_multikey()}
    doc = {"@context": ["https://www.w3.org/ns/did/v1"], "id": "did:web:city.example",
           "verificationMethod": [vm], "assertionMethod": ["did:web:city.example#k1"]}
    assert keys.resolve_did("did:web:city.example", did_documents=[doc])["id"] == "did:web:city.example"
    with pytest.raises(dpikit.KeyMaterialError) as info:
        keys.resolve_did("did:web:other.example", did_documents=[doc])
    assert info.value.name in ("did_not_found", "unsupported_did_method")


@pytest.mark.parametrize("key_type", ["ed25519", "p256"])
def test_jws_attached_detached_unencoded(key_type: str) -> None:
    kp = keys.generate(key_type)
    token = keys.jws_sign(b'{"hello":"city"}', kp, typ="example+jwt", kid=kp.kid)
    out = keys.jws_verify(token, kp.public_key())
    assert out["payload"] == b'{"hello":"city"}'
    assert out["header"]["kid"] == kp.kid and out["header"]["typ"] == "example+jwt"
    detached = keys.jws_sign("payload text", kp, detached=True)
    assert detached.split(".")[1] == ""
    assert keys.jws_verify(detached, kp, payload="payload text")["payload"] == b"payload text"
    with pytest.raises(dpikit.KeyMaterialError) as info:
        keys.jws_verify(detached, kp, payload="other text")
    assert info.value.name == "invalid_signature"
    with pytest.raises(dpikit.KeyMaterialError) as info:
        keys.jws_verify(token, kp, payload=b"{}")  # a payload given twice
    assert info.value.name == "payload_mismatch"
    unenc = keys.jws_sign(b"$.02", kp, detached=True, unencoded=True)
    assert keys.jws_verify(unenc, kp.to_jwk(), payload=b"$.02")["header"]["b64"] is False


def test_jws_rejects_alg_none_and_wrong_key() -> None:
    kp, other = keys.generate(), keys.generate("p256")
    token = keys.jws_sign(b"x", kp)
    with pytest.raises(dpikit.KeyMaterialError) as info:
        keys.jws_verify(token, other)
    assert info.value.name == "alg_key_mismatch"
    none = "eyJhbGciOiJub25lIn0." + token.split(".")[1] + "."
    with pytest.raises(dpikit.KeyMaterialError) as info:
        keys.jws_verify(none + "AA", kp)
    assert info.value.name == "alg_none"
    with pytest.raises(dpikit.KeyMaterialError) as info:
        keys.jws_verify(token, kp, expected_alg="ES256")
    assert info.value.code // 1000 == 1


def test_canonicalize_jcs() -> None:
    assert keys.canonicalize({"b": 1, "a": [True, None, 1.5]}) == b'{"a":[true,null,1.5],"b":1}'
    assert keys.canonicalize('{"z":"\\u00e9","a":1e2}') == '{"a":100,"z":"é"}'.encode()
    assert hashlib.sha256(keys.canonicalize({"a": 1})).hexdigest()
