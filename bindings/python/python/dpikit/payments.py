"""Payments: ISO 20022 (pain.001/.002, pacs.008/.002/.004, camt.053/.054, head.001) parsing,
validation and XML/JSON conversion; G2P disbursement batches from CSV (pain.001, GovStack,
G2P Connect); reconciliation of status reports as rows; Mojaloop FSPIOP helpers (ILP
condition and fulfilment, body parsing and validation, transfer <-> pacs.008 with a loss
report).

Results are small frozen classes with ``to_dict()``, so
``pandas.DataFrame([r.to_dict() for r in rows])`` takes them as they are.
"""

from ._dpikit import (
    Batch as Batch,
    Finding as Finding,
    Message as Message,
    Payment as Payment,
    PaymentError as PaymentError,
    PaymentStatus as PaymentStatus,
    Reconciliation as Reconciliation,
    RowError as RowError,
    bulk_from_csv as bulk_from_csv,
    condition as condition,
    fulfilment as fulfilment,
    pacs008_to_transfer as pacs008_to_transfer,
    parse as parse,
    parse_body as parse_body,
    reconcile as reconcile,
    transfer_to_pacs008 as transfer_to_pacs008,
    validate as validate,
    validate_body as validate_body,
    validate_iso_body as validate_iso_body,
    verify_fulfilment as verify_fulfilment,
)

__all__ = [
    "Batch",
    "Finding",
    "Message",
    "Payment",
    "PaymentError",
    "PaymentStatus",
    "Reconciliation",
    "RowError",
    "bulk_from_csv",
    "condition",
    "fulfilment",
    "pacs008_to_transfer",
    "parse",
    "parse_body",
    "reconcile",
    "transfer_to_pacs008",
    "validate",
    "validate_body",
    "validate_iso_body",
    "verify_fulfilment",
]
