"""Type stubs of the `dpikit._dpikit` extension module (re-exported by the public modules)."""

import os
from collections.abc import Iterable, Mapping, Sequence
from datetime import datetime
from typing import Any, Optional, Union, final

__version__: str
__all__ = [
    "ConsentError",
    "CredentialError",
    "DpikitError",
    "ExchangeError",
    "KeyMaterialError",
    "KeyPair",
    "Ledger",
    "PaymentError",
    "PublicKey",
    "VerificationReport",
    "Verifier",
    "__version__",
    "canonicalize",
    "check_access",
    "did_jwk",
    "did_key",
    "error_codes",
    "export_record",
    "generate",
    "import_records",
    "issue",
    "jws_sign",
    "jws_verify",
    "new_record",
    "parse_json",
    "present",
    "resolve_did",
    "sign_receipt",
    "state_at",
    "status_entry",
    "status_list_check",
    "status_list_clear",
    "status_list_new",
    "status_list_set",
    "transition",
    "verify",
    "verify_many",
    "verify_receipt",
]

_JsonInput = Union[str, bytes, Mapping[str, Any]]
"""A JSON document: text, UTF-8 bytes, or a dict."""
_Instant = Union[str, datetime]
"""An RFC 3339 timestamp, or a timezone-aware datetime."""
_KeyLike = Union["KeyPair", "PublicKey", str, Mapping[str, Any]]
"""A key: a KeyPair, a PublicKey, or a JWK (text or dict)."""

class DpikitError(Exception):
    """Base of every dpikit error; `.code` and `.name` are stable, the message is not."""

    code: int
    name: str

class KeyMaterialError(DpikitError):
    """Core errors (1xxx): JSON intake, encodings, keys, DIDs, JWS, time."""

class CredentialError(DpikitError):
    """Verifiable credential errors (2xxx)."""

class ConsentError(DpikitError):
    """Consent errors (3xxx)."""

class PaymentError(DpikitError):
    """Payment errors (4xxx)."""

class ExchangeError(DpikitError):
    """Data exchange errors (5xxx)."""

def error_codes() -> dict[int, str]: ...

# ---- keys ----

@final
class KeyPair:
    @staticmethod
    def generate(key_type: str = "ed25519") -> KeyPair: ...
    @staticmethod
    def from_jwk(jwk: _JsonInput) -> KeyPair: ...
    @staticmethod
    def from_multikey(text: str) -> KeyPair: ...
    @staticmethod
    def from_secret_bytes(key_type: str, secret: bytes) -> KeyPair: ...
    @property
    def key_type(self) -> str: ...
    @property
    def algorithm(self) -> str: ...
    @property
    def did(self) -> str: ...
    @property
    def kid(self) -> str: ...
    def public_key(self) -> PublicKey: ...
    def sign(self, message: bytes) -> bytes: ...
    def to_jwk(self) -> dict[str, Any]: ...
    def to_multikey(self) -> str: ...
    def secret_bytes(self) -> bytes: ...

@final
class PublicKey:
    @staticmethod
    def from_jwk(jwk: _JsonInput) -> PublicKey: ...
    @staticmethod
    def from_multikey(text: str) -> PublicKey: ...
    @staticmethod
    def from_bytes(key_type: str, data: bytes) -> PublicKey: ...
    @staticmethod
    def from_did_key(did: str) -> PublicKey: ...
    @property
    def key_type(self) -> str: ...
    @property
    def algorithm(self) -> str: ...
    @property
    def did(self) -> str: ...
    @property
    def kid(self) -> str: ...
    def to_bytes(self) -> bytes: ...
    def to_jwk(self) -> dict[str, Any]: ...
    def thumbprint(self) -> str: ...
    def to_multikey(self) -> str: ...
    def verify(self, message: bytes, signature: bytes) -> None: ...
    def __hash__(self) -> int: ...

def generate(key_type: str = "ed25519") -> KeyPair: ...
def did_key(key: _KeyLike) -> str: ...
def did_jwk(key: _KeyLike) -> str: ...
def resolve_did(
    did: str, *, did_documents: Optional[Iterable[_JsonInput]] = None
) -> dict[str, Any]: ...
def jws_sign(
    payload: Union[bytes, str],
    key: KeyPair,
    *,
    detached: bool = False,
    typ: Optional[str] = None,
    cty: Optional[str] = None,
    kid: Optional[str] = None,
    unencoded: bool = False,
    headers: Optional[dict[str, Any]] = None,
) -> str: ...
def jws_verify(
    token: str,
    key: _KeyLike,
    *,
    payload: Union[bytes, str, None] = None,
    expected_alg: Optional[str] = None,
) -> dict[str, Any]: ...
def parse_json(text: Union[str, bytes]) -> Any: ...
def canonicalize(value: _JsonInput) -> bytes: ...

# ---- credentials ----

@final
class VerificationReport:
    @property
    def verified(self) -> bool: ...
    @property
    def checks(self) -> list[dict[str, Any]]: ...
    @property
    def errors(self) -> list[dict[str, Any]]: ...
    @property
    def error_codes(self) -> list[int]: ...
    @property
    def error_names(self) -> list[str]: ...
    def to_dict(self) -> dict[str, Any]: ...
    def to_json(self) -> str: ...

@final
class Verifier:
    def __new__(
        cls,
        *,
        did_documents: Optional[Iterable[_JsonInput]] = None,
        status_lists: Optional[Iterable[_JsonInput]] = None,
        contexts: Optional[dict[str, _JsonInput]] = None,
        at: Optional[_Instant] = None,
        challenge: Optional[str] = None,
        domain: Optional[str] = None,
        issuer_binding: bool = True,
    ) -> Verifier: ...
    def verify(self, credential: _JsonInput) -> VerificationReport: ...
    def verify_many(
        self, credentials: Iterable[_JsonInput], *, threads: Optional[int] = None
    ) -> list[VerificationReport]: ...

def verify(
    credential: _JsonInput,
    *,
    did_documents: Optional[Iterable[_JsonInput]] = None,
    status_lists: Optional[Iterable[_JsonInput]] = None,
    contexts: Optional[dict[str, _JsonInput]] = None,
    at: Optional[_Instant] = None,
    challenge: Optional[str] = None,
    domain: Optional[str] = None,
    issuer_binding: bool = True,
) -> VerificationReport: ...
def verify_many(
    credentials: Iterable[_JsonInput],
    *,
    threads: Optional[int] = None,
    did_documents: Optional[Iterable[_JsonInput]] = None,
    status_lists: Optional[Iterable[_JsonInput]] = None,
    contexts: Optional[dict[str, _JsonInput]] = None,
    at: Optional[_Instant] = None,
    issuer_binding: bool = True,
) -> list[VerificationReport]: ...
def issue(
    credential: _JsonInput,
    key: KeyPair,
    *,
    suite: str = "eddsa-jcs-2022",
    kid: Optional[str] = None,
    contexts: Optional[dict[str, _JsonInput]] = None,
) -> Any:
    """A dict for Data Integrity suites, a str for `vc+jwt`."""

def present(
    credentials: Iterable[_JsonInput],
    key: KeyPair,
    *,
    challenge: Optional[str] = None,
    domain: Optional[str] = None,
    jwt: bool = False,
    suite: str = "eddsa-jcs-2022",
) -> Any:
    """A dict with a Data Integrity proof, or a `vp+jwt` str when `jwt`."""

def status_entry(
    list_credential: str, index: int, purpose: str = "revocation"
) -> dict[str, Any]: ...
def status_list_new(
    id: str, key: KeyPair, *, purpose: str = "revocation", size: int = 131072
) -> Any: ...
def status_list_set(list_credential: _JsonInput, key: KeyPair, index: int) -> Any: ...
def status_list_clear(list_credential: _JsonInput, key: KeyPair, index: int) -> Any: ...
def status_list_check(list_credential: _JsonInput, credential: _JsonInput) -> dict[str, Any]: ...

# ---- consent ----

def new_record(
    id: str,
    principal: str,
    controller: str,
    purpose: str,
    *,
    controller_name: str = "",
    purpose_text: str = "",
    scheme: str = "dpv",
    data_categories: Optional[Sequence[str]] = None,
    expires: Optional[_Instant] = None,
) -> dict[str, Any]: ...
def transition(
    record: _JsonInput,
    to: str,
    *,
    at: Optional[_Instant] = None,
    actor: Optional[str] = None,
    reason: Optional[str] = None,
) -> dict[str, Any]: ...
def state_at(record: _JsonInput, *, at: Optional[_Instant] = None) -> str: ...
def check_access(
    record: _JsonInput,
    controller: str,
    purpose: str,
    *,
    scheme: str = "dpv",
    data_category: Optional[str] = None,
    at: Optional[_Instant] = None,
    prior_uses: Optional[Sequence[_Instant]] = None,
) -> dict[str, Any]: ...
def sign_receipt(
    record: _JsonInput,
    key: KeyPair,
    *,
    receipt_id: Optional[str] = None,
    at: Optional[_Instant] = None,
) -> str: ...
def verify_receipt(token: str, key: _KeyLike) -> dict[str, Any]: ...
def import_records(format: str, data: _JsonInput) -> dict[str, Any]: ...
def export_record(format: str, record: _JsonInput) -> dict[str, Any]: ...

@final
class Ledger:
    def __new__(cls, path: Union[str, os.PathLike[str], None] = None) -> Ledger: ...
    def append_record(
        self, kind: str, record: _JsonInput, *, at: Optional[_Instant] = None
    ) -> dict[str, Any]: ...
    def current_record(self, record_id: str) -> Optional[dict[str, Any]]: ...
    def current_records(self, principal: Optional[str] = None) -> list[dict[str, Any]]: ...
    def active_consents(
        self,
        controller: str,
        purpose: str,
        *,
        scheme: str = "dpv",
        at: Optional[_Instant] = None,
    ) -> list[dict[str, Any]]: ...
    def history(self, record_id: str) -> list[dict[str, Any]]: ...
    def verify(self, key: Optional[_KeyLike] = None) -> dict[str, Any]: ...
    @property
    def head(self) -> str: ...
    def __len__(self) -> int: ...
