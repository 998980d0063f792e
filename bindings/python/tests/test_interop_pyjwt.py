"""Interop with PyJWT (pyjwt[crypto]): dpikit's JWS verifies there, and PyJWT's here."""

from __future__ import annotations

import base64
import json
from typing import Any

import jwt
import pytest
from cryptography.hazmat.primitives.asymmetric import ec, ed25519

import dpikit
from dpikit import keys


def _b64(n: int, size: int) -> str:
    return base64.urlsafe_b64encode(n.to_bytes(size, "big")).rstrip(b"=").decode()


def _pyjwt_private_key(kp: keys.KeyPair) -> Any:
    if kp.key_type == "ed25519":
        return ed25519.Ed25519PrivateKey.from_private_bytes(kp.secret_bytes())
    return ec.derive_private_key(int.from_bytes(kp.secret_bytes(), "big"), ec.SECP256R1())


@pytest.mark.parametrize("key_type", ["ed25519", "p256"])
def test_dpikit_jws_verifies_with_pyjwt(key_type: str) -> None:
    kp = keys.generate(key_type)
    claims = {"iss": kp.did, "sub": "did:example:ana", "n": 1}
    token = keys.jws_sign(json.dumps(claims), kp, typ="JWT", kid=kp.kid)
    public = jwt.PyJWK(kp.public_key().to_jwk()).key
    assert jwt.decode(token, public, algorithms=[kp.algorithm]) == claims
    header = jwt.get_unverified_header(token)
    assert (header["alg"], header["kid"]) == (kp.algorithm, kp.kid)


@pytest.mark.parametrize("key_type", ["ed25519", "p256"])
def test_pyjwt_token_verifies_with_dpikit(key_type: str) -> None:
    kp = keys.generate(key_type)
    token = jwt.encode({"sub": "did:example:ana"}, _pyjwt_private_key(kp), algorithm=kp.algorithm,
                       headers={"kid": "k-1"})
    out = keys.jws_verify(token, kp.public_key())
    assert json.loads(out["payload"]) == {"sub": "did:example:ana"}
    assert out["header"]["kid"] == "k-1"
    # A PyJWT token under another key fails with the stable code, not a message.
    other = keys.generate(key_type)
    with pytest.raises(dpikit.KeyMaterialError) as info:
        keys.jws_verify(token, other)
    assert (info.value.code, info.value.name) == (1025, "invalid_signature")


def test_pyjwt_public_jwk_is_read_by_dpikit() -> None:
    sk = ec.generate_private_key(ec.SECP256R1())
    nums = sk.public_key().public_numbers()
    jwk = {"kty": "EC", "crv": "P-256", "x": _b64(nums.x, 32), "y": _b64(nums.y, 32)}
    token = jwt.encode({"a": 1}, sk, algorithm="ES256")
    assert keys.jws_verify(token, jwk)["header"]["alg"] == "ES256"
