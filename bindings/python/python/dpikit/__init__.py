"""dpikit: Digital Public Infrastructure building blocks, from Rust.

Submodules: :mod:`dpikit.keys` (keys, DIDs, JWS), :mod:`dpikit.credentials` (W3C
verifiable credentials, presentations, status lists, SD-JWT, QR), :mod:`dpikit.consent`
(consent records, checks, receipts, formats, the SQLite ledger), :mod:`dpikit.payments`
(ISO 20022, bulk batches, reconciliation, Mojaloop) and :mod:`dpikit.exchange` (schema
registry, validation, NGSI-LD, CSV import, envelopes).

Every failure raises :class:`DpikitError` (or a subclass per building block) whose ``.code``
(int) and ``.name`` (str) are stable across releases and across the Rust, Python, WASM and C
APIs; compare those, never the message text.
"""

from ._dpikit import (
    ConsentError as ConsentError,
    CredentialError as CredentialError,
    DpikitError as DpikitError,
    ExchangeError as ExchangeError,
    KeyMaterialError as KeyMaterialError,
    PaymentError as PaymentError,
    __version__ as __version__,
    error_codes as error_codes,
)
from . import consent as consent, credentials as credentials, exchange as exchange, keys as keys, payments as payments

__all__ = [
    "ConsentError",
    "CredentialError",
    "DpikitError",
    "ExchangeError",
    "KeyMaterialError",
    "PaymentError",
    "__version__",
    "consent",
    "credentials",
    "error_codes",
    "exchange",
    "keys",
    "payments",
]
