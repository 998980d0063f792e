"""Consent records (ISO/IEC TS 27560, DPV): state changes, access checks, receipts,
Kantara/ReBIT/DPV/GovStack imports and exports with loss reports, the SQLite ledger."""

from ._dpikit import (
    Ledger as Ledger,
    check_access as check_access,
    export_record as export_record,
    import_records as import_records,
    new_record as new_record,
    sign_receipt as sign_receipt,
    state_at as state_at,
    transition as transition,
    verify_receipt as verify_receipt,
)

__all__ = [
    "Ledger",
    "check_access",
    "export_record",
    "import_records",
    "new_record",
    "sign_receipt",
    "state_at",
    "transition",
    "verify_receipt",
]
