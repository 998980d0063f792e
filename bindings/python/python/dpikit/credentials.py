"""W3C Verifiable Credentials 2.0: issue, verify (one or many), present, status lists."""

from ._dpikit import (
    VerificationReport as VerificationReport,
    Verifier as Verifier,
    issue as issue,
    present as present,
    status_entry as status_entry,
    status_list_check as status_list_check,
    status_list_clear as status_list_clear,
    status_list_new as status_list_new,
    status_list_set as status_list_set,
    verify as verify,
    verify_many as verify_many,
)

__all__ = [
    "VerificationReport",
    "Verifier",
    "issue",
    "present",
    "status_entry",
    "status_list_check",
    "status_list_clear",
    "status_list_new",
    "status_list_set",
    "verify",
    "verify_many",
]
