//! Shared numeric error codes and the core error type.
//!
//! Every dpikit crate reports failures through its own error enum, and every such enum maps
//! each variant to one [`ErrorCode`]. The codes are stable across releases and across the
//! Rust, Python, WASM and C APIs: tests and callers compare codes, never message text.
//!
//! | band | owner |
//! |------|-------|
//! | 1xxx | core: JSON intake, encodings, keys, DIDs, JCS, JWS, time |
//! | 2xxx | credentials |
//! | 3xxx | consent |
//! | 4xxx | payments |
//! | 5xxx | exchange |
//! | 9xxx | bindings (Python, WASM, C) |

use core::fmt;

macro_rules! error_codes {
    ($( $(#[doc = $doc:literal])* $variant:ident = $value:literal, $name:literal; )*) => {
        /// A stable numeric error code shared by every dpikit crate and binding.
        ///
        /// The numeric value (`as u32`) and the snake_case [`name`](ErrorCode::name) of a code
        /// never change once released; new codes are only ever added.
        ///
        /// # Examples
        ///
        /// ```
        /// use dpikit_core::ErrorCode;
        ///
        /// let code = ErrorCode::DuplicateKey;
        /// assert_eq!(code as u32, 1003);
        /// assert_eq!(code.name(), "duplicate_key");
        /// assert_eq!(ErrorCode::from_u32(1003), Some(code));
        /// assert_eq!(ErrorCode::from_name("duplicate_key"), Some(code));
        /// ```
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        #[repr(u32)]
        #[non_exhaustive]
        pub enum ErrorCode {
            $( $(#[doc = $doc])* $variant = $value, )*
        }

        impl ErrorCode {
            /// Every code, in ascending numeric order.
            pub const ALL: &'static [ErrorCode] = &[ $( ErrorCode::$variant, )* ];

            /// Returns the stable snake_case name of this code.
            #[must_use]
            pub const fn name(self) -> &'static str {
                match self { $( ErrorCode::$variant => $name, )* }
            }

            /// Returns the numeric value of this code.
            #[must_use]
            pub const fn value(self) -> u32 {
                self as u32
            }

            /// Looks a code up by its numeric value.
            #[must_use]
            pub const fn from_u32(value: u32) -> Option<ErrorCode> {
                match value { $( $value => Some(ErrorCode::$variant), )* _ => None }
            }

            /// Looks a code up by its snake_case name.
            #[must_use]
            pub fn from_name(name: &str) -> Option<ErrorCode> {
                match name { $( $name => Some(ErrorCode::$variant), )* _ => None }
            }
        }
    };
}

error_codes! {
    // ---- 1xxx core: JSON intake ----
    /// The input is larger than the configured size limit.
    InputTooLarge = 1001, "input_too_large";
    /// JSON nesting is deeper than the configured depth limit.
    NestingTooDeep = 1002, "nesting_too_deep";
    /// A JSON object holds the same key twice.
    DuplicateKey = 1003, "duplicate_key";
    /// The input is not valid UTF-8 (or holds a lone surrogate escape).
    InvalidUtf8 = 1004, "invalid_utf8";
    /// The input is not well-formed JSON.
    MalformedJson = 1005, "malformed_json";
    /// A number cannot be represented exactly as required (e.g. for JCS).
    NumberOutOfRange = 1006, "number_out_of_range";
    /// A JSON value does not have the expected shape (type, required member).
    UnexpectedJson = 1007, "unexpected_json";
    // ---- 1xxx core: encodings ----
    /// Base64url text is malformed (bad alphabet, padding, or trailing bits).
    InvalidBase64 = 1010, "invalid_base64";
    /// Multibase text is malformed or uses an unsupported base.
    InvalidMultibase = 1011, "invalid_multibase";
    /// A multicodec prefix is unknown or not allowed here.
    UnsupportedMulticodec = 1012, "unsupported_multicodec";
    /// Hex text is malformed.
    InvalidHex = 1013, "invalid_hex";
    // ---- 1xxx core: keys ----
    /// Key bytes are malformed (wrong length, not a curve point, zero scalar).
    InvalidKey = 1020, "invalid_key";
    /// A JWK is malformed or inconsistent (missing member, bad `kty`/`crv` pair).
    InvalidJwk = 1021, "invalid_jwk";
    /// The key type or curve is not supported.
    UnsupportedKeyType = 1022, "unsupported_key_type";
    /// A private key was required but only a public key is available.
    MissingPrivateKey = 1023, "missing_private_key";
    /// The operating system's random number generator failed.
    RandomnessUnavailable = 1024, "randomness_unavailable";
    /// The signature does not verify with the given key.
    InvalidSignature = 1025, "invalid_signature";
    /// The signature bytes are malformed (wrong length, out-of-range scalar).
    MalformedSignature = 1026, "malformed_signature";
    // ---- 1xxx core: DIDs ----
    /// A DID or DID URL is malformed.
    InvalidDid = 1030, "invalid_did";
    /// The DID method is not supported offline.
    UnsupportedDidMethod = 1031, "unsupported_did_method";
    /// No DID document is known for the DID.
    DidNotFound = 1032, "did_not_found";
    /// The DID document has no verification method with that id.
    VerificationMethodNotFound = 1033, "verification_method_not_found";
    /// A DID document is malformed.
    InvalidDidDocument = 1034, "invalid_did_document";
    // ---- 1xxx core: JWS ----
    /// A JWS is malformed (segment count, header JSON, trailing data).
    MalformedJws = 1040, "malformed_jws";
    /// The JWS uses `alg: none`, which is never accepted.
    AlgNone = 1041, "alg_none";
    /// The JWS algorithm is not supported.
    UnsupportedAlgorithm = 1042, "unsupported_algorithm";
    /// The JWS `crit` header names an extension that is not understood, or is malformed.
    UnknownCritical = 1043, "unknown_critical";
    /// The JWS algorithm does not match the key type (alg/key confusion).
    AlgKeyMismatch = 1044, "alg_key_mismatch";
    /// A detached JWS was verified without its payload, or a payload was both attached and given.
    PayloadMismatch = 1045, "payload_mismatch";
    // ---- 1xxx core: time ----
    /// A timestamp is not valid RFC 3339.
    InvalidTimestamp = 1050, "invalid_timestamp";
    // ---- 1xxx core: other ----
    /// An internal invariant failed; this is a bug in dpikit.
    Internal = 1099, "internal";
    // ---- 2xxx credentials: syntax and JSON-LD ----
    /// A credential or presentation is malformed (missing or wrong-typed required member).
    MalformedCredential = 2001, "malformed_credential";
    /// A JSON-LD context is not in the context store (dpikit never fetches one).
    UnknownContext = 2010, "unknown_context";
    /// A proof's `@context` is not a prefix of the document's `@context`.
    ContextPrefixMismatch = 2011, "context_prefix_mismatch";
    /// JSON-LD processing failed (invalid context, term definition or value).
    JsonLdError = 2012, "json_ld_error";
    /// RDF dataset canonicalization exceeded its work limit (a poison graph).
    CanonicalizationLimit = 2013, "canonicalization_limit";
    /// N-Quads text is malformed.
    InvalidNQuads = 2014, "invalid_nquads";
    /// A JSON-LD member is defined by no context (an RDF proof would not cover it).
    UndefinedTerm = 2015, "undefined_term";
    // ---- 2xxx credentials: proofs ----
    /// The document has no proof.
    ProofMissing = 2020, "proof_missing";
    /// A proof's signature does not verify over the document (tampered or wrong key).
    ProofInvalid = 2021, "proof_invalid";
    /// A proof is malformed (missing member, bad `proofValue` encoding).
    MalformedProof = 2022, "malformed_proof";
    /// The proof's cryptosuite or type is not supported.
    UnsupportedCryptosuite = 2023, "unsupported_cryptosuite";
    /// The proof's purpose is not the one required, or the method is not authorised for it.
    ProofPurposeMismatch = 2024, "proof_purpose_mismatch";
    /// The proof's `challenge` (or JWT `nonce`) is not the expected one.
    ChallengeMismatch = 2025, "challenge_mismatch";
    /// The proof's `domain` (or JWT `aud`) is not the expected one.
    DomainMismatch = 2026, "domain_mismatch";
    /// The proof has expired (`expires` is past).
    ProofExpired = 2027, "proof_expired";
    /// The proof was created in the future (beyond the allowed clock skew).
    ProofNotYetValid = 2028, "proof_not_yet_valid";
    /// The verification method is not controlled by the issuer (or holder).
    VerificationMethodMismatch = 2030, "verification_method_mismatch";
    /// JWT claims (`iss`, `sub`, `jti`, `typ`) disagree with the credential.
    JwtClaimsMismatch = 2031, "jwt_claims_mismatch";
    // ---- 2xxx credentials: validity and status ----
    /// The credential has expired (`validUntil` / `expirationDate` is past).
    CredentialExpired = 2040, "credential_expired";
    /// The credential is not yet valid (`validFrom` / `issuanceDate` is future).
    CredentialNotYetValid = 2041, "credential_not_yet_valid";
    /// The credential's revocation status bit is set.
    Revoked = 2050, "revoked";
    /// The credential's suspension status bit is set.
    Suspended = 2051, "suspended";
    /// A status list (or status entry) is malformed or cannot be decoded.
    StatusListInvalid = 2052, "status_list_invalid";
    /// A status index is outside the status list.
    StatusIndexOutOfRange = 2053, "status_index_out_of_range";
    /// No status list credential was supplied for the credential's status entry, or its
    /// purpose does not match.
    StatusListMismatch = 2054, "status_list_mismatch";
    /// A presentation's holder does not control the key that proved it, or a credential's
    /// subject is not the holder when binding is required.
    HolderMismatch = 2060, "holder_mismatch";
    /// A credential failed a schema check supplied by the caller.
    SchemaInvalid = 2070, "schema_invalid";
    // ---- 2xxx credentials: SD-JWT and QR ----
    /// An SD-JWT is malformed (segments, `_sd`/`...` shapes, nesting beyond the limit).
    MalformedSdJwt = 2080, "malformed_sd_jwt";
    /// A disclosure is malformed (base64url, JSON array shape, salt, claim name, position).
    MalformedDisclosure = 2081, "malformed_disclosure";
    /// The `_sd_alg` is not supported (only `sha-256`).
    UnsupportedSdAlg = 2082, "unsupported_sd_alg";
    /// A digest appears more than once in the payload (directly or through disclosures).
    DuplicateDigest = 2083, "duplicate_digest";
    /// The same disclosure is presented more than once.
    DuplicateDisclosure = 2084, "duplicate_disclosure";
    /// A disclosure's digest is referenced nowhere in the payload.
    DisclosureUnreferenced = 2085, "disclosure_unreferenced";
    /// Key binding is required but there is no KB-JWT (or no `cnf` key to check it with).
    KeyBindingMissing = 2086, "key_binding_missing";
    /// The KB-JWT is malformed, has the wrong `typ`, or its signature does not verify with
    /// the `cnf` key.
    KeyBindingInvalid = 2087, "key_binding_invalid";
    /// The KB-JWT's `sd_hash` is not the hash of the presentation.
    SdHashMismatch = 2088, "sd_hash_mismatch";
    /// The KB-JWT's `iat` is outside the accepted window (too old, or in the future).
    KeyBindingStale = 2089, "key_binding_stale";
    /// An SD-JWT VC breaks the SD-JWT VC rules (`typ`, `vct`, claims that must stay visible).
    SdJwtVcInvalid = 2090, "sd_jwt_vc_invalid";
    /// A payload does not fit one QR symbol at the chosen error-correction level.
    QrCapacityExceeded = 2095, "qr_capacity_exceeded";
    /// QR text cannot be decoded (base45, zlib, CBOR, size limit) or no QR code was found
    /// in an image.
    QrDecodeFailed = 2096, "qr_decode_failed";
    /// A QR code could not be rendered or an image could not be read.
    QrImageFailed = 2097, "qr_image_failed";
    // ---- 3xxx consent ----
    /// A consent record is malformed (missing or wrong-typed member, bad value).
    MalformedConsent = 3001, "malformed_consent";
    /// The lifecycle transition is not allowed from the record's state.
    IllegalTransition = 3002, "illegal_transition";
    /// The consent has expired (evaluated before any transition or use).
    ConsentExpired = 3003, "consent_expired";
    /// No consent record with the given id is known.
    ConsentNotFound = 3004, "consent_not_found";
    /// A signed consent receipt does not verify.
    ReceiptInvalid = 3010, "receipt_invalid";
    /// A consent receipt is malformed.
    MalformedReceipt = 3011, "malformed_receipt";
    /// A ledger entry's hash does not match its content or its predecessor (tampering).
    LedgerTampered = 3020, "ledger_tampered";
    /// A ledger entry is missing (a gap in the sequence).
    LedgerEntryMissing = 3021, "ledger_entry_missing";
    /// A ledger checkpoint signature does not verify.
    LedgerCheckpointInvalid = 3022, "ledger_checkpoint_invalid";
    /// The ledger's storage failed (I/O, database).
    LedgerStorage = 3023, "ledger_storage";
    /// A consent document in an external format cannot be imported.
    ConsentImportFailed = 3030, "consent_import_failed";
    /// An exported consent document does not conform to its format's schema.
    ConsentExportInvalid = 3031, "consent_export_invalid";
    /// An integrity check of an imported record failed (hash or predecessor chain).
    ConsentIntegrity = 3032, "consent_integrity";
    /// Access denied: the consent is not in the Given state.
    ConsentNotGiven = 3040, "consent_not_given";
    /// Access denied: the request is outside the consent's validity window.
    ConsentOutsideValidity = 3041, "consent_outside_validity";
    /// Access denied: the usage frequency limit for the period is reached.
    ConsentFrequencyExceeded = 3042, "consent_frequency_exceeded";
    /// Access denied: the purpose is not covered by the consent.
    ConsentPurposeMismatch = 3043, "consent_purpose_mismatch";
    /// Access denied: the data category is not covered by the consent.
    ConsentDataMismatch = 3044, "consent_data_mismatch";
    /// Access denied: the requesting controller or recipient is not named in the consent.
    ConsentPartyMismatch = 3045, "consent_party_mismatch";
    /// Access denied: the requested data lies outside the consented data range or data life.
    ConsentDataRangeExceeded = 3046, "consent_data_range_exceeded";
    // ---- 4xxx payments ----
    /// A payment message is not well-formed XML or JSON, or lacks a required element.
    MalformedMessage = 4001, "malformed_message";
    /// A payment message holds an element the model does not know (strict mode).
    UnknownElement = 4002, "unknown_element";
    /// The message type or version (namespace) is not supported.
    UnsupportedMessage = 4003, "unsupported_message";
    /// XML with a DOCTYPE or entity declaration: refused, never expanded.
    XmlForbidden = 4004, "xml_forbidden";
    /// An amount cannot be encoded without loss (precision, digits, sign).
    InvalidAmount = 4010, "invalid_amount";
    /// The currency is not an ISO 4217 code, or not allowed here.
    UnknownCurrency = 4011, "unknown_currency";
    /// An IBAN fails its length or mod-97 check.
    InvalidIban = 4012, "invalid_iban";
    /// A BIC does not match ISO 9362.
    InvalidBic = 4013, "invalid_bic";
    /// A control sum does not equal the sum of the amounts.
    ControlSumMismatch = 4014, "control_sum_mismatch";
    /// A number of transactions does not equal the count.
    NumberOfTxsMismatch = 4015, "number_of_txs_mismatch";
    /// A message, instruction or end-to-end id is used twice.
    DuplicateId = 4016, "duplicate_id";
    /// A UETR is not a lowercase UUIDv4.
    InvalidUetr = 4017, "invalid_uetr";
    /// A value breaks an XSD facet (length, pattern, enumeration, cardinality).
    FacetViolation = 4018, "facet_violation";
    /// The business application header disagrees with the document.
    HeaderMismatch = 4019, "header_mismatch";
    /// A scheme rule (e.g. CBPR+) is broken.
    SchemeRuleViolation = 4020, "scheme_rule_violation";
    /// An expiry is not after the creation time.
    ExpiryBeforeCreation = 4021, "expiry_before_creation";
    /// A Mojaloop body is invalid.
    MojaloopInvalid = 4030, "mojaloop_invalid";
    /// An ILP packet is malformed.
    IlpInvalid = 4031, "ilp_invalid";
    /// An ILP fulfilment does not match its condition.
    ConditionMismatch = 4032, "condition_mismatch";
    /// A quote or transfer has expired (its expiration is not after the time it is checked).
    TransferExpired = 4033, "transfer_expired";
    /// A row of a bulk-payment file is invalid.
    BulkRowInvalid = 4040, "bulk_row_invalid";
    /// A status report does not match the batch it reconciles.
    ReconciliationMismatch = 4041, "reconciliation_mismatch";
    /// A bulk-payment batch or its configuration is invalid as a whole (not one row).
    BatchInvalid = 4042, "batch_invalid";
    // ---- 5xxx exchange: schemas and validation ----
    /// No schema with that `$id` (and version) is in the registry.
    SchemaNotFound = 5001, "schema_not_found";
    /// A schema document is malformed, lacks `$id`, or does not compile.
    InvalidSchema = 5002, "invalid_schema";
    /// A `$ref` names a URI that is not in the registry (dpikit never fetches one).
    UnresolvedRef = 5003, "unresolved_ref";
    /// A different schema is already registered under the same `$id` and version.
    DuplicateSchema = 5004, "duplicate_schema";
    /// An instance does not validate against its schema.
    ValidationFailed = 5005, "validation_failed";
    // ---- 5xxx exchange: NGSI-LD, CSV, GeoJSON ----
    /// An NGSI-LD entity is malformed (no `id`/`type`, an attribute without a known kind).
    NgsiInvalid = 5010, "ngsi_invalid";
    /// A CSV file cannot be read (bad quoting, too many rows or columns, bad header).
    CsvInvalid = 5011, "csv_invalid";
    // ---- 5xxx exchange: envelopes ----
    /// An envelope is malformed (missing or wrong-typed CloudEvents attribute).
    MalformedEnvelope = 5020, "malformed_envelope";
    /// An envelope's signature does not verify (tampered or wrong key).
    EnvelopeSignatureInvalid = 5021, "envelope_signature_invalid";
    /// An envelope is older than the accepted age.
    EnvelopeExpired = 5022, "envelope_expired";
    /// An envelope's time lies in the future beyond the allowed clock skew.
    EnvelopeNotYetValid = 5023, "envelope_not_yet_valid";
    /// Personal data was sent without a consent reference.
    ConsentRequired = 5024, "consent_required";
    /// The cited consent does not allow this controller, purpose or data category now.
    ConsentDenied = 5025, "consent_denied";
    /// A cited consent receipt does not verify or names another consent.
    ConsentReceiptMismatch = 5026, "consent_receipt_mismatch";
    // ---- 5xxx exchange: encryption, X-Road, pseudonyms ----
    /// A JWE is malformed or does not decrypt with the key.
    JweInvalid = 5030, "jwe_invalid";
    /// The JWE algorithm, encryption or key curve is not supported.
    UnsupportedJwe = 5031, "unsupported_jwe";
    /// An X-Road identifier or header value is malformed.
    InvalidXRoadId = 5040, "invalid_xroad_id";
    /// A pseudonym key is too short or its purpose is empty.
    InvalidPseudonymKey = 5050, "invalid_pseudonym_key";
    // ---- 9xxx bindings ----
    /// A required pointer argument was NULL.
    NullParameter = 9001, "null_parameter";
    /// Text passed through a binding is not valid UTF-8.
    BindingInvalidUtf8 = 9002, "binding_invalid_utf8";
    /// A panic was caught at the binding boundary.
    Panic = 9003, "panic";
    /// A caller-supplied output buffer is too small.
    BufferTooSmall = 9004, "buffer_too_small";
    /// An argument passed through a binding has the wrong type or value.
    InvalidArgument = 9005, "invalid_argument";
    /// A file or stream could not be read or written (CLI and bindings).
    Io = 9006, "io";
    /// A command line could not be parsed (CLI).
    Usage = 9007, "usage";
}

impl fmt::Display for ErrorCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} ({})", self.name(), self.value())
    }
}

impl From<ErrorCode> for u32 {
    fn from(code: ErrorCode) -> u32 {
        code.value()
    }
}

/// An error from dpikit-core.
///
/// Each variant maps to one [`ErrorCode`] through [`CoreError::code`]; the message text is
/// for people and may change between releases.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum CoreError {
    /// The input is larger than the limit.
    #[error("input of {size} bytes exceeds the limit of {limit} bytes")]
    InputTooLarge {
        /// Size of the input in bytes.
        size: usize,
        /// The limit in bytes.
        limit: usize,
    },
    /// JSON nesting is deeper than the limit.
    #[error("JSON nesting exceeds the depth limit of {limit}")]
    NestingTooDeep {
        /// The depth limit.
        limit: usize,
    },
    /// A JSON object holds the same key twice.
    #[error("duplicate JSON object key {key:?}")]
    DuplicateKey {
        /// The repeated key.
        key: String,
    },
    /// The input is not valid UTF-8.
    #[error("input is not valid UTF-8: {0}")]
    InvalidUtf8(String),
    /// The input is not well-formed JSON.
    #[error("malformed JSON: {0}")]
    MalformedJson(String),
    /// A number cannot be represented as required.
    #[error("number out of range: {0}")]
    NumberOutOfRange(String),
    /// A JSON value does not have the expected shape.
    #[error("unexpected JSON: {0}")]
    UnexpectedJson(String),
    /// Base64url text is malformed.
    #[error("invalid base64url: {0}")]
    InvalidBase64(String),
    /// Multibase text is malformed.
    #[error("invalid multibase: {0}")]
    InvalidMultibase(String),
    /// A multicodec prefix is unknown or not allowed here.
    #[error("unsupported multicodec: {0}")]
    UnsupportedMulticodec(String),
    /// Hex text is malformed.
    #[error("invalid hex: {0}")]
    InvalidHex(String),
    /// Key bytes are malformed.
    #[error("invalid key: {0}")]
    InvalidKey(String),
    /// A JWK is malformed or inconsistent.
    #[error("invalid JWK: {0}")]
    InvalidJwk(String),
    /// The key type or curve is not supported.
    #[error("unsupported key type: {0}")]
    UnsupportedKeyType(String),
    /// A private key is required.
    #[error("a private key is required for this operation")]
    MissingPrivateKey,
    /// The OS random number generator failed.
    #[error("the operating system's random number generator failed")]
    RandomnessUnavailable,
    /// The signature does not verify.
    #[error("signature does not verify")]
    InvalidSignature,
    /// The signature bytes are malformed.
    #[error("malformed signature: {0}")]
    MalformedSignature(String),
    /// A DID or DID URL is malformed.
    #[error("invalid DID: {0}")]
    InvalidDid(String),
    /// The DID method is not supported offline.
    #[error("unsupported DID method: {0}")]
    UnsupportedDidMethod(String),
    /// No DID document is known for the DID.
    #[error("no DID document for {0}")]
    DidNotFound(String),
    /// The DID document has no such verification method.
    #[error("verification method not found: {0}")]
    VerificationMethodNotFound(String),
    /// A DID document is malformed.
    #[error("invalid DID document: {0}")]
    InvalidDidDocument(String),
    /// A JWS is malformed.
    #[error("malformed JWS: {0}")]
    MalformedJws(String),
    /// The JWS uses `alg: none`.
    #[error("JWS algorithm \"none\" is never accepted")]
    AlgNone,
    /// The JWS algorithm is not supported.
    #[error("unsupported JWS algorithm: {0}")]
    UnsupportedAlgorithm(String),
    /// The JWS `crit` header is malformed or names an unknown extension.
    #[error("JWS crit: {0}")]
    UnknownCritical(String),
    /// The JWS algorithm does not match the key type.
    #[error("JWS algorithm {alg} does not match key type {key}")]
    AlgKeyMismatch {
        /// The `alg` of the JWS header.
        alg: String,
        /// The key's type.
        key: String,
    },
    /// The payload of a detached JWS is missing, or given twice.
    #[error("JWS payload: {0}")]
    PayloadMismatch(String),
    /// A timestamp is not valid RFC 3339.
    #[error("invalid RFC 3339 timestamp: {0}")]
    InvalidTimestamp(String),
    /// An internal invariant failed.
    #[error("internal error: {0}")]
    Internal(String),
}

impl CoreError {
    /// Returns the stable [`ErrorCode`] of this error.
    ///
    /// # Examples
    ///
    /// ```
    /// use dpikit_core::{CoreError, ErrorCode};
    ///
    /// assert_eq!(CoreError::AlgNone.code(), ErrorCode::AlgNone);
    /// ```
    #[must_use]
    pub fn code(&self) -> ErrorCode {
        match self {
            CoreError::InputTooLarge { .. } => ErrorCode::InputTooLarge,
            CoreError::NestingTooDeep { .. } => ErrorCode::NestingTooDeep,
            CoreError::DuplicateKey { .. } => ErrorCode::DuplicateKey,
            CoreError::InvalidUtf8(_) => ErrorCode::InvalidUtf8,
            CoreError::MalformedJson(_) => ErrorCode::MalformedJson,
            CoreError::NumberOutOfRange(_) => ErrorCode::NumberOutOfRange,
            CoreError::UnexpectedJson(_) => ErrorCode::UnexpectedJson,
            CoreError::InvalidBase64(_) => ErrorCode::InvalidBase64,
            CoreError::InvalidMultibase(_) => ErrorCode::InvalidMultibase,
            CoreError::UnsupportedMulticodec(_) => ErrorCode::UnsupportedMulticodec,
            CoreError::InvalidHex(_) => ErrorCode::InvalidHex,
            CoreError::InvalidKey(_) => ErrorCode::InvalidKey,
            CoreError::InvalidJwk(_) => ErrorCode::InvalidJwk,
            CoreError::UnsupportedKeyType(_) => ErrorCode::UnsupportedKeyType,
            CoreError::MissingPrivateKey => ErrorCode::MissingPrivateKey,
            CoreError::RandomnessUnavailable => ErrorCode::RandomnessUnavailable,
            CoreError::InvalidSignature => ErrorCode::InvalidSignature,
            CoreError::MalformedSignature(_) => ErrorCode::MalformedSignature,
            CoreError::InvalidDid(_) => ErrorCode::InvalidDid,
            CoreError::UnsupportedDidMethod(_) => ErrorCode::UnsupportedDidMethod,
            CoreError::DidNotFound(_) => ErrorCode::DidNotFound,
            CoreError::VerificationMethodNotFound(_) => ErrorCode::VerificationMethodNotFound,
            CoreError::InvalidDidDocument(_) => ErrorCode::InvalidDidDocument,
            CoreError::MalformedJws(_) => ErrorCode::MalformedJws,
            CoreError::AlgNone => ErrorCode::AlgNone,
            CoreError::UnsupportedAlgorithm(_) => ErrorCode::UnsupportedAlgorithm,
            CoreError::UnknownCritical(_) => ErrorCode::UnknownCritical,
            CoreError::AlgKeyMismatch { .. } => ErrorCode::AlgKeyMismatch,
            CoreError::PayloadMismatch(_) => ErrorCode::PayloadMismatch,
            CoreError::InvalidTimestamp(_) => ErrorCode::InvalidTimestamp,
            CoreError::Internal(_) => ErrorCode::Internal,
        }
    }
}

/// A `Result` whose error is [`CoreError`].
pub type Result<T, E = CoreError> = core::result::Result<T, E>;

impl serde::Serialize for ErrorCode {
    /// Serializes as the stable numeric value.
    fn serialize<S: serde::Serializer>(
        &self,
        serializer: S,
    ) -> core::result::Result<S::Ok, S::Error> {
        serializer.serialize_u32(self.value())
    }
}
