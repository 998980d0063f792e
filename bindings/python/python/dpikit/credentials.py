"""W3C Verifiable Credentials 2.0: issue, verify (one or many), present, status lists;
SD-JWT (RFC 9901, SD-JWT VC) issue/present/verify; PixelPass QR encode/decode/verify."""

from ._dpikit import (
    CredentialError as CredentialError,
    VerificationReport as VerificationReport,
    Verifier as Verifier,
    issue as issue,
    present as present,
    qr_decode as qr_decode,
    qr_encode as qr_encode,
    qr_verify as qr_verify,
    sd_jwt_issue as sd_jwt_issue,
    sd_jwt_present as sd_jwt_present,
    sd_jwt_verify as sd_jwt_verify,
    status_entry as status_entry,
    status_list_check as status_list_check,
    status_list_clear as status_list_clear,
    status_list_new as status_list_new,
    status_list_set as status_list_set,
    verify as verify,
    verify_many as verify_many,
)

__all__ = [
    "CredentialError",
    "VerificationReport",
    "Verifier",
    "issue",
    "present",
    "qr_decode",
    "qr_encode",
    "qr_verify",
    "sd_jwt_issue",
    "sd_jwt_present",
    "sd_jwt_verify",
    "status_entry",
    "status_list_check",
    "status_list_clear",
    "status_list_new",
    "status_list_set",
    "verify",
    "verify_many",
]
