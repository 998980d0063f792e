"""Keys (Ed25519, P-256), JWK, Multikey, did:key, did:jwk, JWS (RFC 7515/7797), JCS."""

from ._dpikit import (
    KeyPair as KeyPair,
    PublicKey as PublicKey,
    canonicalize as canonicalize,
    did_jwk as did_jwk,
    did_key as did_key,
    generate as generate,
    jws_sign as jws_sign,
    jws_verify as jws_verify,
    parse_json as parse_json,
    resolve_did as resolve_did,
)

__all__ = [
    "KeyPair",
    "PublicKey",
    "canonicalize",
    "did_jwk",
    "did_key",
    "generate",
    "jws_sign",
    "jws_verify",
    "parse_json",
    "resolve_did",
]
