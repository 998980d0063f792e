"""The exception hierarchy: a class per code band, stable `.code` and `.name`."""

from __future__ import annotations

import pytest

import dpikit
from dpikit import consent, credentials, keys


def test_hierarchy() -> None:
    for cls in (
        dpikit.KeyMaterialError,
        dpikit.CredentialError,
        dpikit.ConsentError,
        dpikit.PaymentError,
        dpikit.ExchangeError,
    ):
        assert issubclass(cls, dpikit.DpikitError)
    assert issubclass(dpikit.DpikitError, Exception)


def test_error_codes_table_is_stable() -> None:
    codes = dpikit.error_codes()
    assert codes[1003] == "duplicate_key"
    assert codes[2021] == "proof_invalid"
    assert codes[3002] == "illegal_transition"
    assert codes[9005] == "invalid_argument"
    assert len(set(codes.values())) == len(codes)


@pytest.mark.parametrize(
    ("call", "cls", "code", "name"),
    [
        (lambda: keys.PublicKey.from_multikey("not-a-key"), dpikit.KeyMaterialError, 1011, "invalid_multibase"),
        (lambda: keys.parse_json('{"a": 1, "a": 2}'), dpikit.KeyMaterialError, 1003, "duplicate_key"),
        (lambda: keys.generate("rsa"), dpikit.KeyMaterialError, 1022, "unsupported_key_type"),
        (lambda: credentials.status_entry("https://x.example/1", 1, "bogus"), dpikit.CredentialError, 2052, "status_list_invalid"),
        (lambda: consent.transition(consent.new_record("c", "p", "ctl", "dpv:X"), "Withdrawn"), dpikit.ConsentError, 3002, "illegal_transition"),
        (lambda: keys.parse_json(b"\xff"), dpikit.KeyMaterialError, 1004, "invalid_utf8"),
        (lambda: credentials.issue({"x": object()}, keys.generate()), dpikit.DpikitError, 9005, "invalid_argument"),
    ],
)
def test_codes_by_band(call: object, cls: type, code: int, name: str) -> None:
    with pytest.raises(dpikit.DpikitError) as info:
        call()  # type: ignore[operator]
    assert type(info.value) is cls
    assert (info.value.code, info.value.name) == (code, name)
    assert dpikit.error_codes()[code] == name
