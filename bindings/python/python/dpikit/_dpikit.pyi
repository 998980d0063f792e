"""Type stubs of the `dpikit._dpikit` extension module (re-exported by the public modules)."""

import os
from collections.abc import Iterable, Mapping, Sequence
from datetime import datetime
from typing import Any, Optional, Union, final

__version__: str
__all__ = [
    "Batch",
    "ConsentError",
    "CredentialError",
    "DpikitError",
    "ExchangeError",
    "Finding",
    "KeyMaterialError",
    "KeyPair",
    "Ledger",
    "Message",
    "Payment",
    "PaymentError",
    "PaymentStatus",
    "PublicKey",
    "Reconciliation",
    "Registry",
    "RowError",
    "SchemaKey",
    "ValidationIssue",
    "ValidationReport",
    "VerificationReport",
    "Verifier",
    "__version__",
    "bulk_from_csv",
    "canonicalize",
    "check_access",
    "condition",
    "did_jwk",
    "did_key",
    "error_codes",
    "export_record",
    "fulfilment",
    "generate",
    "import_records",
    "is_normalized",
    "issue",
    "jws_sign",
    "jws_verify",
    "new_record",
    "pacs008_to_transfer",
    "parse",
    "parse_body",
    "parse_json",
    "present",
    "qr_decode",
    "qr_encode",
    "qr_verify",
    "reconcile",
    "resolve_did",
    "sd_jwt_issue",
    "sd_jwt_present",
    "sd_jwt_verify",
    "seal_envelope",
    "sign_envelope",
    "sign_receipt",
    "state_at",
    "status_entry",
    "status_list_check",
    "status_list_clear",
    "status_list_new",
    "status_list_set",
    "to_feature_collection",
    "to_key_values",
    "transfer_to_pacs008",
    "transition",
    "validate",
    "validate_body",
    "validate_iso_body",
    "verify",
    "verify_fulfilment",
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
    def verify_qr(self, text: str) -> VerificationReport: ...
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

# ---- payments ----

_Text = Union[str, bytes]
"""Text input (XML, CSV): a str or UTF-8 bytes."""

@final
class Finding:
    @property
    def code(self) -> int: ...
    @property
    def name(self) -> str: ...
    @property
    def location(self) -> str: ...
    @property
    def message(self) -> str: ...
    def to_dict(self) -> dict[str, Any]: ...

@final
class Message:
    @staticmethod
    def from_dict(data: _JsonInput) -> Message: ...
    @property
    def message_type(self) -> str: ...
    @property
    def has_header(self) -> bool: ...
    @property
    def parse_findings(self) -> list[Finding]: ...
    def validate(self, *, rules: Optional[Sequence[str]] = None) -> list[Finding]: ...
    def to_dict(self) -> dict[str, Any]: ...
    def to_xml(self) -> str: ...

@final
class Payment:
    @property
    def row(self) -> int: ...
    @property
    def end_to_end_id(self) -> str: ...
    @property
    def uetr(self) -> str: ...
    @property
    def beneficiary_id(self) -> str: ...
    @property
    def name(self) -> str: ...
    @property
    def account(self) -> str: ...
    @property
    def account_kind(self) -> str: ...
    @property
    def amount(self) -> str: ...
    @property
    def currency(self) -> str: ...
    @property
    def reference(self) -> str: ...
    @property
    def execution_date(self) -> Optional[str]: ...
    @property
    def provider(self) -> Optional[str]: ...
    def to_dict(self) -> dict[str, Any]: ...

@final
class RowError:
    @property
    def row(self) -> int: ...
    @property
    def column(self) -> str: ...
    @property
    def code(self) -> int: ...
    @property
    def name(self) -> str: ...
    @property
    def message(self) -> str: ...
    def to_dict(self) -> dict[str, Any]: ...

@final
class Batch:
    @staticmethod
    def from_pain001(message: Union[Message, _Text]) -> Batch: ...
    @property
    def batch_id(self) -> str: ...
    @property
    def payments(self) -> list[Payment]: ...
    @property
    def errors(self) -> list[RowError]: ...
    @property
    def ignored_columns(self) -> list[str]: ...
    def to_pain001(self) -> Message: ...
    def to_pain001_xml(self) -> str: ...
    def to_govstack_json(self) -> Any: ...
    def to_g2p_connect_json(self, sender_id: str = "dpikit") -> Any: ...
    def __len__(self) -> int: ...

@final
class PaymentStatus:
    @property
    def end_to_end_id(self) -> str: ...
    @property
    def beneficiary_id(self) -> str: ...
    @property
    def row(self) -> int: ...
    @property
    def amount(self) -> str: ...
    @property
    def currency(self) -> str: ...
    @property
    def status(self) -> str: ...
    @property
    def reason(self) -> Optional[str]: ...
    @property
    def source(self) -> Optional[str]: ...
    def to_dict(self) -> dict[str, Any]: ...

@final
class Reconciliation:
    @property
    def payments(self) -> list[PaymentStatus]: ...
    @property
    def mismatches(self) -> list[Finding]: ...
    @property
    def unknown(self) -> list[dict[str, Any]]: ...
    @property
    def totals(self) -> dict[str, Any]: ...
    def to_dict(self) -> dict[str, Any]: ...

def parse(xml: _Text, *, lenient: bool = False) -> Message: ...
def validate(
    xml: _Text, *, lenient: bool = False, rules: Optional[Sequence[str]] = None
) -> list[Finding]: ...
def bulk_from_csv(
    csv: _Text,
    *,
    batch_id: str,
    debtor_name: str,
    debtor_account: str,
    debtor_bic: Optional[str] = None,
    created_at: Optional[_Instant] = None,
    execution_date: Optional[str] = None,
    payment_mode: Optional[str] = None,
    provider: Optional[str] = None,
) -> Batch: ...
def reconcile(batch: Batch, reports: Sequence[_Text]) -> Reconciliation: ...
def condition(fulfilment: str) -> str: ...
def fulfilment(secret: str, packet: str) -> tuple[str, str]: ...
def verify_fulfilment(fulfilment: str, condition: str) -> None: ...
def parse_body(kind: str, body: _JsonInput) -> dict[str, Any]: ...
def validate_body(
    kind: str,
    body: _JsonInput,
    *,
    at: Optional[_Instant] = None,
    condition: Optional[str] = None,
) -> list[Finding]: ...
def validate_iso_body(
    operation: str, body: _JsonInput, *, at: Optional[_Instant] = None
) -> list[Finding]: ...
def transfer_to_pacs008(
    transfer: _JsonInput, *, created_at: Optional[_Instant] = None
) -> tuple[Message, dict[str, Any]]: ...
def pacs008_to_transfer(
    message: Union[Message, _Text], *, ilp_packet: str, condition: str, expiration: str
) -> tuple[dict[str, Any], dict[str, Any]]: ...

# ---- exchange ----

@final
class SchemaKey:
    @property
    def id(self) -> str: ...
    @property
    def version(self) -> Optional[str]: ...
    def to_dict(self) -> dict[str, Any]: ...

@final
class ValidationIssue:
    @property
    def instance_path(self) -> str: ...
    @property
    def schema_path(self) -> str: ...
    @property
    def keyword(self) -> str: ...
    @property
    def message(self) -> str: ...
    def to_dict(self) -> dict[str, Any]: ...

@final
class ValidationReport:
    @property
    def valid(self) -> bool: ...
    @property
    def schema(self) -> SchemaKey: ...
    @property
    def issues(self) -> list[ValidationIssue]: ...
    def to_dict(self) -> dict[str, Any]: ...

@final
class Registry:
    def __new__(cls, *, builtin: bool = True) -> Registry: ...
    def register(self, schema: _JsonInput) -> SchemaKey: ...
    def register_file(self, path: Union[str, os.PathLike[str]]) -> SchemaKey: ...
    def register_dir(self, path: Union[str, os.PathLike[str]]) -> list[SchemaKey]: ...
    def add_alias(self, alias: str, id: str) -> None: ...
    def keys(self) -> list[SchemaKey]: ...
    def resolve(self, id: str, version: Optional[str] = None) -> SchemaKey: ...
    def schema(self, id: str, version: Optional[str] = None) -> dict[str, Any]: ...
    def compile_all(self) -> None: ...
    def validate(
        self, schema: str, instance: Any, *, version: Optional[str] = None
    ) -> ValidationReport: ...
    def is_valid(self, schema: str, instance: Any, *, version: Optional[str] = None) -> bool: ...
    def validate_many(
        self,
        schema: str,
        instances: Iterable[Any],
        *,
        version: Optional[str] = None,
        threads: Optional[int] = None,
    ) -> list[ValidationReport]: ...
    def to_normalized(
        self, entity: _JsonInput, schema: str, *, version: Optional[str] = None
    ) -> dict[str, Any]: ...
    def import_csv(
        self,
        csv: _Text,
        schema: str,
        *,
        version: Optional[str] = None,
        default_type: Optional[str] = None,
    ) -> dict[str, Any]: ...
    def envelope(
        self,
        data: _JsonInput,
        *,
        source: str,
        type: str,
        schema: str,
        version: Optional[str] = None,
        id: Optional[str] = None,
        time: Optional[_Instant] = None,
        subject: Optional[str] = None,
        correlation_id: Optional[str] = None,
        causation_id: Optional[str] = None,
        consent_id: Optional[str] = None,
        personal_data: bool = False,
    ) -> dict[str, Any]: ...
    def open_envelope(
        self,
        token: str,
        key: _KeyLike,
        *,
        detached: Optional[bytes] = None,
        at: Optional[_Instant] = None,
        max_age: int = 300,
    ) -> dict[str, Any]: ...

def seal_envelope(
    envelope: _JsonInput,
    record: _JsonInput,
    *,
    controller: str,
    purpose: str,
    scheme: str = "dpv",
    data_category: Optional[str] = None,
    receipt: Optional[str] = None,
    at: Optional[_Instant] = None,
) -> dict[str, Any]: ...
def sign_envelope(
    envelope: _JsonInput, key: KeyPair, *, kid: Optional[str] = None, detached: bool = False
) -> tuple[str, bytes]: ...
def to_key_values(entity: _JsonInput) -> dict[str, Any]: ...
def is_normalized(entity: _JsonInput) -> bool: ...
def to_feature_collection(entities: Sequence[_JsonInput]) -> dict[str, Any]: ...

# ---- SD-JWT and QR (dpikit.credentials) ----

def sd_jwt_issue(
    claims: _JsonInput,
    key: KeyPair,
    *,
    disclosable: Optional[Sequence[str]] = None,
    vc: bool = False,
    holder_key: Optional[_KeyLike] = None,
    decoys: int = 0,
    kid: Optional[str] = None,
) -> str: ...
def sd_jwt_present(
    sd_jwt: str,
    reveal: Sequence[str],
    *,
    holder_key: Optional[KeyPair] = None,
    audience: Optional[str] = None,
    nonce: Optional[str] = None,
    at: Optional[_Instant] = None,
) -> str: ...
def sd_jwt_verify(
    sd_jwt: str,
    *,
    issuer_key: Optional[_KeyLike] = None,
    nonce: Optional[str] = None,
    audience: Optional[str] = None,
    at: Optional[_Instant] = None,
    vc: bool = False,
) -> dict[str, Any]: ...
def qr_encode(data: Any, *, cbor: bool = True) -> str: ...
def qr_decode(text: str) -> Any: ...
def qr_verify(
    text: str,
    *,
    did_documents: Optional[Iterable[_JsonInput]] = None,
    status_lists: Optional[Iterable[_JsonInput]] = None,
    contexts: Optional[dict[str, _JsonInput]] = None,
    at: Optional[_Instant] = None,
    issuer_binding: bool = True,
) -> VerificationReport: ...
