//! Pins the numeric values and names of every ErrorCode, and their uniqueness.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::collections::HashSet;

use dpikit_core::ErrorCode;

#[test]
fn values_and_names_are_unique() {
    let mut values = HashSet::new();
    let mut names = HashSet::new();
    for code in ErrorCode::ALL {
        assert!(values.insert(code.value()), "duplicate value {}", code.value());
        assert!(names.insert(code.name()), "duplicate name {}", code.name());
        assert_eq!(ErrorCode::from_u32(code.value()), Some(*code));
        assert_eq!(ErrorCode::from_name(code.name()), Some(*code));
        assert!(
            code.name().bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_')
        );
    }
}

#[test]
fn codes_are_sorted_and_banded() {
    let all: Vec<u32> = ErrorCode::ALL.iter().map(|c| c.value()).collect();
    let mut sorted = all.clone();
    sorted.sort_unstable();
    assert_eq!(all, sorted, "ALL must stay in ascending order");
    for v in all {
        assert!(
            (1000..6000).contains(&v) || (9000..10000).contains(&v),
            "code {v} is outside the bands"
        );
    }
}

/// Released values never change. Add a row for every new code; never edit a row.
#[test]
#[allow(clippy::too_many_lines)] // one row per code, by design
fn values_are_pinned() {
    let pinned: &[(ErrorCode, u32, &str)] = &[
        (ErrorCode::InputTooLarge, 1001, "input_too_large"),
        (ErrorCode::NestingTooDeep, 1002, "nesting_too_deep"),
        (ErrorCode::DuplicateKey, 1003, "duplicate_key"),
        (ErrorCode::InvalidUtf8, 1004, "invalid_utf8"),
        (ErrorCode::MalformedJson, 1005, "malformed_json"),
        (ErrorCode::NumberOutOfRange, 1006, "number_out_of_range"),
        (ErrorCode::UnexpectedJson, 1007, "unexpected_json"),
        (ErrorCode::InvalidBase64, 1010, "invalid_base64"),
        (ErrorCode::InvalidMultibase, 1011, "invalid_multibase"),
        (ErrorCode::UnsupportedMulticodec, 1012, "unsupported_multicodec"),
        (ErrorCode::InvalidHex, 1013, "invalid_hex"),
        (ErrorCode::InvalidKey, 1020, "invalid_key"),
        (ErrorCode::InvalidJwk, 1021, "invalid_jwk"),
        (ErrorCode::UnsupportedKeyType, 1022, "unsupported_key_type"),
        (ErrorCode::MissingPrivateKey, 1023, "missing_private_key"),
        (ErrorCode::RandomnessUnavailable, 1024, "randomness_unavailable"),
        (ErrorCode::InvalidSignature, 1025, "invalid_signature"),
        (ErrorCode::MalformedSignature, 1026, "malformed_signature"),
        (ErrorCode::InvalidDid, 1030, "invalid_did"),
        (ErrorCode::UnsupportedDidMethod, 1031, "unsupported_did_method"),
        (ErrorCode::DidNotFound, 1032, "did_not_found"),
        (ErrorCode::VerificationMethodNotFound, 1033, "verification_method_not_found"),
        (ErrorCode::InvalidDidDocument, 1034, "invalid_did_document"),
        (ErrorCode::MalformedJws, 1040, "malformed_jws"),
        (ErrorCode::AlgNone, 1041, "alg_none"),
        (ErrorCode::UnsupportedAlgorithm, 1042, "unsupported_algorithm"),
        (ErrorCode::UnknownCritical, 1043, "unknown_critical"),
        (ErrorCode::AlgKeyMismatch, 1044, "alg_key_mismatch"),
        (ErrorCode::PayloadMismatch, 1045, "payload_mismatch"),
        (ErrorCode::InvalidTimestamp, 1050, "invalid_timestamp"),
        (ErrorCode::Internal, 1099, "internal"),
        (ErrorCode::MalformedCredential, 2001, "malformed_credential"),
        (ErrorCode::UnknownContext, 2010, "unknown_context"),
        (ErrorCode::ContextPrefixMismatch, 2011, "context_prefix_mismatch"),
        (ErrorCode::JsonLdError, 2012, "json_ld_error"),
        (ErrorCode::CanonicalizationLimit, 2013, "canonicalization_limit"),
        (ErrorCode::InvalidNQuads, 2014, "invalid_nquads"),
        (ErrorCode::UndefinedTerm, 2015, "undefined_term"),
        (ErrorCode::ProofMissing, 2020, "proof_missing"),
        (ErrorCode::ProofInvalid, 2021, "proof_invalid"),
        (ErrorCode::MalformedProof, 2022, "malformed_proof"),
        (ErrorCode::UnsupportedCryptosuite, 2023, "unsupported_cryptosuite"),
        (ErrorCode::ProofPurposeMismatch, 2024, "proof_purpose_mismatch"),
        (ErrorCode::ChallengeMismatch, 2025, "challenge_mismatch"),
        (ErrorCode::DomainMismatch, 2026, "domain_mismatch"),
        (ErrorCode::ProofExpired, 2027, "proof_expired"),
        (ErrorCode::ProofNotYetValid, 2028, "proof_not_yet_valid"),
        (ErrorCode::VerificationMethodMismatch, 2030, "verification_method_mismatch"),
        (ErrorCode::JwtClaimsMismatch, 2031, "jwt_claims_mismatch"),
        (ErrorCode::CredentialExpired, 2040, "credential_expired"),
        (ErrorCode::CredentialNotYetValid, 2041, "credential_not_yet_valid"),
        (ErrorCode::Revoked, 2050, "revoked"),
        (ErrorCode::Suspended, 2051, "suspended"),
        (ErrorCode::StatusListInvalid, 2052, "status_list_invalid"),
        (ErrorCode::StatusIndexOutOfRange, 2053, "status_index_out_of_range"),
        (ErrorCode::StatusListMismatch, 2054, "status_list_mismatch"),
        (ErrorCode::HolderMismatch, 2060, "holder_mismatch"),
        (ErrorCode::SchemaInvalid, 2070, "schema_invalid"),
        (ErrorCode::MalformedSdJwt, 2080, "malformed_sd_jwt"),
        (ErrorCode::MalformedDisclosure, 2081, "malformed_disclosure"),
        (ErrorCode::UnsupportedSdAlg, 2082, "unsupported_sd_alg"),
        (ErrorCode::DuplicateDigest, 2083, "duplicate_digest"),
        (ErrorCode::DuplicateDisclosure, 2084, "duplicate_disclosure"),
        (ErrorCode::DisclosureUnreferenced, 2085, "disclosure_unreferenced"),
        (ErrorCode::KeyBindingMissing, 2086, "key_binding_missing"),
        (ErrorCode::KeyBindingInvalid, 2087, "key_binding_invalid"),
        (ErrorCode::SdHashMismatch, 2088, "sd_hash_mismatch"),
        (ErrorCode::KeyBindingStale, 2089, "key_binding_stale"),
        (ErrorCode::SdJwtVcInvalid, 2090, "sd_jwt_vc_invalid"),
        (ErrorCode::QrCapacityExceeded, 2095, "qr_capacity_exceeded"),
        (ErrorCode::QrDecodeFailed, 2096, "qr_decode_failed"),
        (ErrorCode::QrImageFailed, 2097, "qr_image_failed"),
        (ErrorCode::MalformedConsent, 3001, "malformed_consent"),
        (ErrorCode::IllegalTransition, 3002, "illegal_transition"),
        (ErrorCode::ConsentExpired, 3003, "consent_expired"),
        (ErrorCode::ConsentNotFound, 3004, "consent_not_found"),
        (ErrorCode::ReceiptInvalid, 3010, "receipt_invalid"),
        (ErrorCode::MalformedReceipt, 3011, "malformed_receipt"),
        (ErrorCode::LedgerTampered, 3020, "ledger_tampered"),
        (ErrorCode::LedgerEntryMissing, 3021, "ledger_entry_missing"),
        (ErrorCode::LedgerCheckpointInvalid, 3022, "ledger_checkpoint_invalid"),
        (ErrorCode::LedgerStorage, 3023, "ledger_storage"),
        (ErrorCode::ConsentImportFailed, 3030, "consent_import_failed"),
        (ErrorCode::ConsentExportInvalid, 3031, "consent_export_invalid"),
        (ErrorCode::ConsentIntegrity, 3032, "consent_integrity"),
        (ErrorCode::ConsentNotGiven, 3040, "consent_not_given"),
        (ErrorCode::ConsentOutsideValidity, 3041, "consent_outside_validity"),
        (ErrorCode::ConsentFrequencyExceeded, 3042, "consent_frequency_exceeded"),
        (ErrorCode::ConsentPurposeMismatch, 3043, "consent_purpose_mismatch"),
        (ErrorCode::ConsentDataMismatch, 3044, "consent_data_mismatch"),
        (ErrorCode::ConsentPartyMismatch, 3045, "consent_party_mismatch"),
        (ErrorCode::ConsentDataRangeExceeded, 3046, "consent_data_range_exceeded"),
        (ErrorCode::MalformedMessage, 4001, "malformed_message"),
        (ErrorCode::UnknownElement, 4002, "unknown_element"),
        (ErrorCode::UnsupportedMessage, 4003, "unsupported_message"),
        (ErrorCode::XmlForbidden, 4004, "xml_forbidden"),
        (ErrorCode::InvalidAmount, 4010, "invalid_amount"),
        (ErrorCode::UnknownCurrency, 4011, "unknown_currency"),
        (ErrorCode::InvalidIban, 4012, "invalid_iban"),
        (ErrorCode::InvalidBic, 4013, "invalid_bic"),
        (ErrorCode::ControlSumMismatch, 4014, "control_sum_mismatch"),
        (ErrorCode::NumberOfTxsMismatch, 4015, "number_of_txs_mismatch"),
        (ErrorCode::DuplicateId, 4016, "duplicate_id"),
        (ErrorCode::InvalidUetr, 4017, "invalid_uetr"),
        (ErrorCode::FacetViolation, 4018, "facet_violation"),
        (ErrorCode::HeaderMismatch, 4019, "header_mismatch"),
        (ErrorCode::SchemeRuleViolation, 4020, "scheme_rule_violation"),
        (ErrorCode::ExpiryBeforeCreation, 4021, "expiry_before_creation"),
        (ErrorCode::MojaloopInvalid, 4030, "mojaloop_invalid"),
        (ErrorCode::IlpInvalid, 4031, "ilp_invalid"),
        (ErrorCode::ConditionMismatch, 4032, "condition_mismatch"),
        (ErrorCode::TransferExpired, 4033, "transfer_expired"),
        (ErrorCode::BulkRowInvalid, 4040, "bulk_row_invalid"),
        (ErrorCode::ReconciliationMismatch, 4041, "reconciliation_mismatch"),
        (ErrorCode::BatchInvalid, 4042, "batch_invalid"),
        (ErrorCode::SchemaNotFound, 5001, "schema_not_found"),
        (ErrorCode::InvalidSchema, 5002, "invalid_schema"),
        (ErrorCode::UnresolvedRef, 5003, "unresolved_ref"),
        (ErrorCode::DuplicateSchema, 5004, "duplicate_schema"),
        (ErrorCode::ValidationFailed, 5005, "validation_failed"),
        (ErrorCode::NgsiInvalid, 5010, "ngsi_invalid"),
        (ErrorCode::CsvInvalid, 5011, "csv_invalid"),
        (ErrorCode::MalformedEnvelope, 5020, "malformed_envelope"),
        (ErrorCode::EnvelopeSignatureInvalid, 5021, "envelope_signature_invalid"),
        (ErrorCode::EnvelopeExpired, 5022, "envelope_expired"),
        (ErrorCode::EnvelopeNotYetValid, 5023, "envelope_not_yet_valid"),
        (ErrorCode::ConsentRequired, 5024, "consent_required"),
        (ErrorCode::ConsentDenied, 5025, "consent_denied"),
        (ErrorCode::ConsentReceiptMismatch, 5026, "consent_receipt_mismatch"),
        (ErrorCode::JweInvalid, 5030, "jwe_invalid"),
        (ErrorCode::UnsupportedJwe, 5031, "unsupported_jwe"),
        (ErrorCode::InvalidXRoadId, 5040, "invalid_xroad_id"),
        (ErrorCode::InvalidPseudonymKey, 5050, "invalid_pseudonym_key"),
        (ErrorCode::NullParameter, 9001, "null_parameter"),
        (ErrorCode::BindingInvalidUtf8, 9002, "binding_invalid_utf8"),
        (ErrorCode::Panic, 9003, "panic"),
        (ErrorCode::BufferTooSmall, 9004, "buffer_too_small"),
        (ErrorCode::InvalidArgument, 9005, "invalid_argument"),
        (ErrorCode::Io, 9006, "io"),
        (ErrorCode::Usage, 9007, "usage"),
    ];
    for (code, value, name) in pinned {
        assert_eq!(code.value(), *value, "{name}");
        assert_eq!(code.name(), *name);
    }
    assert_eq!(pinned.len(), ErrorCode::ALL.len(), "pin every code");
}
