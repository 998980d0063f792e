"""Data exchange: an offline, versioned JSON Schema 2020-12 registry (``$ref`` never
reaches the network), validation of one instance or many in parallel, NGSI-LD normalized
<-> keyValues and GeoJSON, CSV import with a per-row report, and signed, consent-gated
CloudEvents 1.0 envelopes.

JWE-encrypted envelopes are not in the Python wheel: the Rust crate's ``jwe`` feature links
the system OpenSSL, and the wheel stays self-contained (see docs/python.md).
"""

from ._dpikit import (
    ExchangeError as ExchangeError,
    Registry as Registry,
    SchemaKey as SchemaKey,
    ValidationIssue as ValidationIssue,
    ValidationReport as ValidationReport,
    is_normalized as is_normalized,
    seal_envelope as seal_envelope,
    sign_envelope as sign_envelope,
    to_feature_collection as to_feature_collection,
    to_key_values as to_key_values,
)

__all__ = [
    "ExchangeError",
    "Registry",
    "SchemaKey",
    "ValidationIssue",
    "ValidationReport",
    "is_normalized",
    "seal_envelope",
    "sign_envelope",
    "to_feature_collection",
    "to_key_values",
]
