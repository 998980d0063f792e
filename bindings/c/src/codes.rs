//! The result codes: one constant per shared `ErrorCode`, value and name pinned by a test.
//!
//! Written out literally so cbindgen sees them; `tests::codes_match_core` fails when core
//! gains a code this list lacks (or the two disagree). Regenerate with
//! `python3 bindings/c/gen_codes.py`.

use crate::dpikit_result;

/// Success.
pub const DPIKIT_OK: dpikit_result = 0;
/// The input is larger than the configured size limit.
pub const DPIKIT_ERR_INPUT_TOO_LARGE: dpikit_result = 1001;
/// JSON nesting is deeper than the configured depth limit.
pub const DPIKIT_ERR_NESTING_TOO_DEEP: dpikit_result = 1002;
/// A JSON object holds the same key twice.
pub const DPIKIT_ERR_DUPLICATE_KEY: dpikit_result = 1003;
/// The input is not valid UTF-8 (or holds a lone surrogate escape).
pub const DPIKIT_ERR_INVALID_UTF8: dpikit_result = 1004;
/// The input is not well-formed JSON.
pub const DPIKIT_ERR_MALFORMED_JSON: dpikit_result = 1005;
/// A number cannot be represented exactly as required (e.g. for JCS).
pub const DPIKIT_ERR_NUMBER_OUT_OF_RANGE: dpikit_result = 1006;
/// A JSON value does not have the expected shape (type, required member).
pub const DPIKIT_ERR_UNEXPECTED_JSON: dpikit_result = 1007;
/// Base64url text is malformed (bad alphabet, padding, or trailing bits).
pub const DPIKIT_ERR_INVALID_BASE64: dpikit_result = 1010;
/// Multibase text is malformed or uses an unsupported base.
pub const DPIKIT_ERR_INVALID_MULTIBASE: dpikit_result = 1011;
/// A multicodec prefix is unknown or not allowed here.
pub const DPIKIT_ERR_UNSUPPORTED_MULTICODEC: dpikit_result = 1012;
/// Hex text is malformed.
pub const DPIKIT_ERR_INVALID_HEX: dpikit_result = 1013;
/// Key bytes are malformed (wrong length, not a curve point, zero scalar).
pub const DPIKIT_ERR_INVALID_KEY: dpikit_result = 1020;
/// A JWK is malformed or inconsistent (missing member, bad `kty`/`crv` pair).
pub const DPIKIT_ERR_INVALID_JWK: dpikit_result = 1021;
/// The key type or curve is not supported.
pub const DPIKIT_ERR_UNSUPPORTED_KEY_TYPE: dpikit_result = 1022;
/// A private key was required but only a public key is available.
pub const DPIKIT_ERR_MISSING_PRIVATE_KEY: dpikit_result = 1023;
/// The operating system's random number generator failed.
pub const DPIKIT_ERR_RANDOMNESS_UNAVAILABLE: dpikit_result = 1024;
/// The signature does not verify with the given key.
pub const DPIKIT_ERR_INVALID_SIGNATURE: dpikit_result = 1025;
/// The signature bytes are malformed (wrong length, out-of-range scalar).
pub const DPIKIT_ERR_MALFORMED_SIGNATURE: dpikit_result = 1026;
/// A DID or DID URL is malformed.
pub const DPIKIT_ERR_INVALID_DID: dpikit_result = 1030;
/// The DID method is not supported offline.
pub const DPIKIT_ERR_UNSUPPORTED_DID_METHOD: dpikit_result = 1031;
/// No DID document is known for the DID.
pub const DPIKIT_ERR_DID_NOT_FOUND: dpikit_result = 1032;
/// The DID document has no verification method with that id.
pub const DPIKIT_ERR_VERIFICATION_METHOD_NOT_FOUND: dpikit_result = 1033;
/// A DID document is malformed.
pub const DPIKIT_ERR_INVALID_DID_DOCUMENT: dpikit_result = 1034;
/// A JWS is malformed (segment count, header JSON, trailing data).
pub const DPIKIT_ERR_MALFORMED_JWS: dpikit_result = 1040;
/// The JWS uses `alg: none`, which is never accepted.
pub const DPIKIT_ERR_ALG_NONE: dpikit_result = 1041;
/// The JWS algorithm is not supported.
pub const DPIKIT_ERR_UNSUPPORTED_ALGORITHM: dpikit_result = 1042;
/// The JWS `crit` header names an extension that is not understood, or is malformed.
pub const DPIKIT_ERR_UNKNOWN_CRITICAL: dpikit_result = 1043;
/// The JWS algorithm does not match the key type (alg/key confusion).
pub const DPIKIT_ERR_ALG_KEY_MISMATCH: dpikit_result = 1044;
/// A detached JWS was verified without its payload, or a payload was both attached and given.
pub const DPIKIT_ERR_PAYLOAD_MISMATCH: dpikit_result = 1045;
/// A timestamp is not valid RFC 3339.
pub const DPIKIT_ERR_INVALID_TIMESTAMP: dpikit_result = 1050;
/// An internal invariant failed; this is a bug in dpikit.
pub const DPIKIT_ERR_INTERNAL: dpikit_result = 1099;
/// A credential or presentation is malformed (missing or wrong-typed required member).
pub const DPIKIT_ERR_MALFORMED_CREDENTIAL: dpikit_result = 2001;
/// A JSON-LD context is not in the context store (dpikit never fetches one).
pub const DPIKIT_ERR_UNKNOWN_CONTEXT: dpikit_result = 2010;
/// A proof's `@context` is not a prefix of the document's `@context`.
pub const DPIKIT_ERR_CONTEXT_PREFIX_MISMATCH: dpikit_result = 2011;
/// JSON-LD processing failed (invalid context, term definition or value).
pub const DPIKIT_ERR_JSON_LD_ERROR: dpikit_result = 2012;
/// RDF dataset canonicalization exceeded its work limit (a poison graph).
pub const DPIKIT_ERR_CANONICALIZATION_LIMIT: dpikit_result = 2013;
/// N-Quads text is malformed.
pub const DPIKIT_ERR_INVALID_NQUADS: dpikit_result = 2014;
/// A JSON-LD member is defined by no context (an RDF proof would not cover it).
pub const DPIKIT_ERR_UNDEFINED_TERM: dpikit_result = 2015;
/// The document has no proof.
pub const DPIKIT_ERR_PROOF_MISSING: dpikit_result = 2020;
/// A proof's signature does not verify over the document (tampered or wrong key).
pub const DPIKIT_ERR_PROOF_INVALID: dpikit_result = 2021;
/// A proof is malformed (missing member, bad `proofValue` encoding).
pub const DPIKIT_ERR_MALFORMED_PROOF: dpikit_result = 2022;
/// The proof's cryptosuite or type is not supported.
pub const DPIKIT_ERR_UNSUPPORTED_CRYPTOSUITE: dpikit_result = 2023;
/// The proof's purpose is not the one required, or the method is not authorised for it.
pub const DPIKIT_ERR_PROOF_PURPOSE_MISMATCH: dpikit_result = 2024;
/// The proof's `challenge` (or JWT `nonce`) is not the expected one.
pub const DPIKIT_ERR_CHALLENGE_MISMATCH: dpikit_result = 2025;
/// The proof's `domain` (or JWT `aud`) is not the expected one.
pub const DPIKIT_ERR_DOMAIN_MISMATCH: dpikit_result = 2026;
/// The proof has expired (`expires` is past).
pub const DPIKIT_ERR_PROOF_EXPIRED: dpikit_result = 2027;
/// The proof was created in the future (beyond the allowed clock skew).
pub const DPIKIT_ERR_PROOF_NOT_YET_VALID: dpikit_result = 2028;
/// The verification method is not controlled by the issuer (or holder).
pub const DPIKIT_ERR_VERIFICATION_METHOD_MISMATCH: dpikit_result = 2030;
/// JWT claims (`iss`, `sub`, `jti`, `typ`) disagree with the credential.
pub const DPIKIT_ERR_JWT_CLAIMS_MISMATCH: dpikit_result = 2031;
/// The credential has expired (`validUntil` / `expirationDate` is past).
pub const DPIKIT_ERR_CREDENTIAL_EXPIRED: dpikit_result = 2040;
/// The credential is not yet valid (`validFrom` / `issuanceDate` is future).
pub const DPIKIT_ERR_CREDENTIAL_NOT_YET_VALID: dpikit_result = 2041;
/// The credential's revocation status bit is set.
pub const DPIKIT_ERR_REVOKED: dpikit_result = 2050;
/// The credential's suspension status bit is set.
pub const DPIKIT_ERR_SUSPENDED: dpikit_result = 2051;
/// A status list (or status entry) is malformed or cannot be decoded.
pub const DPIKIT_ERR_STATUS_LIST_INVALID: dpikit_result = 2052;
/// A status index is outside the status list.
pub const DPIKIT_ERR_STATUS_INDEX_OUT_OF_RANGE: dpikit_result = 2053;
/// No status list credential was supplied for the credential's status entry, or its
/// purpose does not match.
pub const DPIKIT_ERR_STATUS_LIST_MISMATCH: dpikit_result = 2054;
/// A presentation's holder does not control the key that proved it, or a credential's
/// subject is not the holder when binding is required.
pub const DPIKIT_ERR_HOLDER_MISMATCH: dpikit_result = 2060;
/// A credential failed a schema check supplied by the caller.
pub const DPIKIT_ERR_SCHEMA_INVALID: dpikit_result = 2070;
/// An SD-JWT is malformed (segments, `_sd`/`...` shapes, nesting beyond the limit).
pub const DPIKIT_ERR_MALFORMED_SD_JWT: dpikit_result = 2080;
/// A disclosure is malformed (base64url, JSON array shape, salt, claim name, position).
pub const DPIKIT_ERR_MALFORMED_DISCLOSURE: dpikit_result = 2081;
/// The `_sd_alg` is not supported (only `sha-256`).
pub const DPIKIT_ERR_UNSUPPORTED_SD_ALG: dpikit_result = 2082;
/// A digest appears more than once in the payload (directly or through disclosures).
pub const DPIKIT_ERR_DUPLICATE_DIGEST: dpikit_result = 2083;
/// The same disclosure is presented more than once.
pub const DPIKIT_ERR_DUPLICATE_DISCLOSURE: dpikit_result = 2084;
/// A disclosure's digest is referenced nowhere in the payload.
pub const DPIKIT_ERR_DISCLOSURE_UNREFERENCED: dpikit_result = 2085;
/// Key binding is required but there is no KB-JWT (or no `cnf` key to check it with).
pub const DPIKIT_ERR_KEY_BINDING_MISSING: dpikit_result = 2086;
/// The KB-JWT is malformed, has the wrong `typ`, or its signature does not verify with
/// the `cnf` key.
pub const DPIKIT_ERR_KEY_BINDING_INVALID: dpikit_result = 2087;
/// The KB-JWT's `sd_hash` is not the hash of the presentation.
pub const DPIKIT_ERR_SD_HASH_MISMATCH: dpikit_result = 2088;
/// The KB-JWT's `iat` is outside the accepted window (too old, or in the future).
pub const DPIKIT_ERR_KEY_BINDING_STALE: dpikit_result = 2089;
/// An SD-JWT VC breaks the SD-JWT VC rules (`typ`, `vct`, claims that must stay visible).
pub const DPIKIT_ERR_SD_JWT_VC_INVALID: dpikit_result = 2090;
/// A payload does not fit one QR symbol at the chosen error-correction level.
pub const DPIKIT_ERR_QR_CAPACITY_EXCEEDED: dpikit_result = 2095;
/// QR text cannot be decoded (base45, zlib, CBOR, size limit) or no QR code was found
/// in an image.
pub const DPIKIT_ERR_QR_DECODE_FAILED: dpikit_result = 2096;
/// A QR code could not be rendered or an image could not be read.
pub const DPIKIT_ERR_QR_IMAGE_FAILED: dpikit_result = 2097;
/// A consent record is malformed (missing or wrong-typed member, bad value).
pub const DPIKIT_ERR_MALFORMED_CONSENT: dpikit_result = 3001;
/// The lifecycle transition is not allowed from the record's state.
pub const DPIKIT_ERR_ILLEGAL_TRANSITION: dpikit_result = 3002;
/// The consent has expired (evaluated before any transition or use).
pub const DPIKIT_ERR_CONSENT_EXPIRED: dpikit_result = 3003;
/// No consent record with the given id is known.
pub const DPIKIT_ERR_CONSENT_NOT_FOUND: dpikit_result = 3004;
/// A signed consent receipt does not verify.
pub const DPIKIT_ERR_RECEIPT_INVALID: dpikit_result = 3010;
/// A consent receipt is malformed.
pub const DPIKIT_ERR_MALFORMED_RECEIPT: dpikit_result = 3011;
/// A ledger entry's hash does not match its content or its predecessor (tampering).
pub const DPIKIT_ERR_LEDGER_TAMPERED: dpikit_result = 3020;
/// A ledger entry is missing (a gap in the sequence).
pub const DPIKIT_ERR_LEDGER_ENTRY_MISSING: dpikit_result = 3021;
/// A ledger checkpoint signature does not verify.
pub const DPIKIT_ERR_LEDGER_CHECKPOINT_INVALID: dpikit_result = 3022;
/// The ledger's storage failed (I/O, database).
pub const DPIKIT_ERR_LEDGER_STORAGE: dpikit_result = 3023;
/// A consent document in an external format cannot be imported.
pub const DPIKIT_ERR_CONSENT_IMPORT_FAILED: dpikit_result = 3030;
/// An exported consent document does not conform to its format's schema.
pub const DPIKIT_ERR_CONSENT_EXPORT_INVALID: dpikit_result = 3031;
/// An integrity check of an imported record failed (hash or predecessor chain).
pub const DPIKIT_ERR_CONSENT_INTEGRITY: dpikit_result = 3032;
/// Access denied: the consent is not in the Given state.
pub const DPIKIT_ERR_CONSENT_NOT_GIVEN: dpikit_result = 3040;
/// Access denied: the request is outside the consent's validity window.
pub const DPIKIT_ERR_CONSENT_OUTSIDE_VALIDITY: dpikit_result = 3041;
/// Access denied: the usage frequency limit for the period is reached.
pub const DPIKIT_ERR_CONSENT_FREQUENCY_EXCEEDED: dpikit_result = 3042;
/// Access denied: the purpose is not covered by the consent.
pub const DPIKIT_ERR_CONSENT_PURPOSE_MISMATCH: dpikit_result = 3043;
/// Access denied: the data category is not covered by the consent.
pub const DPIKIT_ERR_CONSENT_DATA_MISMATCH: dpikit_result = 3044;
/// Access denied: the requesting controller or recipient is not named in the consent.
pub const DPIKIT_ERR_CONSENT_PARTY_MISMATCH: dpikit_result = 3045;
/// Access denied: the requested data lies outside the consented data range or data life.
pub const DPIKIT_ERR_CONSENT_DATA_RANGE_EXCEEDED: dpikit_result = 3046;
/// A payment message is not well-formed XML or JSON, or lacks a required element.
pub const DPIKIT_ERR_MALFORMED_MESSAGE: dpikit_result = 4001;
/// A payment message holds an element the model does not know (strict mode).
pub const DPIKIT_ERR_UNKNOWN_ELEMENT: dpikit_result = 4002;
/// The message type or version (namespace) is not supported.
pub const DPIKIT_ERR_UNSUPPORTED_MESSAGE: dpikit_result = 4003;
/// XML with a DOCTYPE or entity declaration: refused, never expanded.
pub const DPIKIT_ERR_XML_FORBIDDEN: dpikit_result = 4004;
/// An amount cannot be encoded without loss (precision, digits, sign).
pub const DPIKIT_ERR_INVALID_AMOUNT: dpikit_result = 4010;
/// The currency is not an ISO 4217 code, or not allowed here.
pub const DPIKIT_ERR_UNKNOWN_CURRENCY: dpikit_result = 4011;
/// An IBAN fails its length or mod-97 check.
pub const DPIKIT_ERR_INVALID_IBAN: dpikit_result = 4012;
/// A BIC does not match ISO 9362.
pub const DPIKIT_ERR_INVALID_BIC: dpikit_result = 4013;
/// A control sum does not equal the sum of the amounts.
pub const DPIKIT_ERR_CONTROL_SUM_MISMATCH: dpikit_result = 4014;
/// A number of transactions does not equal the count.
pub const DPIKIT_ERR_NUMBER_OF_TXS_MISMATCH: dpikit_result = 4015;
/// A message, instruction or end-to-end id is used twice.
pub const DPIKIT_ERR_DUPLICATE_ID: dpikit_result = 4016;
/// A UETR is not a lowercase UUIDv4.
pub const DPIKIT_ERR_INVALID_UETR: dpikit_result = 4017;
/// A value breaks an XSD facet (length, pattern, enumeration, cardinality).
pub const DPIKIT_ERR_FACET_VIOLATION: dpikit_result = 4018;
/// The business application header disagrees with the document.
pub const DPIKIT_ERR_HEADER_MISMATCH: dpikit_result = 4019;
/// A scheme rule (e.g. CBPR+) is broken.
pub const DPIKIT_ERR_SCHEME_RULE_VIOLATION: dpikit_result = 4020;
/// An expiry is not after the creation time.
pub const DPIKIT_ERR_EXPIRY_BEFORE_CREATION: dpikit_result = 4021;
/// A Mojaloop body is invalid.
pub const DPIKIT_ERR_MOJALOOP_INVALID: dpikit_result = 4030;
/// An ILP packet is malformed.
pub const DPIKIT_ERR_ILP_INVALID: dpikit_result = 4031;
/// An ILP fulfilment does not match its condition.
pub const DPIKIT_ERR_CONDITION_MISMATCH: dpikit_result = 4032;
/// A quote or transfer has expired (its expiration is not after the time it is checked).
pub const DPIKIT_ERR_TRANSFER_EXPIRED: dpikit_result = 4033;
/// A row of a bulk-payment file is invalid.
pub const DPIKIT_ERR_BULK_ROW_INVALID: dpikit_result = 4040;
/// A status report does not match the batch it reconciles.
pub const DPIKIT_ERR_RECONCILIATION_MISMATCH: dpikit_result = 4041;
/// A bulk-payment batch or its configuration is invalid as a whole (not one row).
pub const DPIKIT_ERR_BATCH_INVALID: dpikit_result = 4042;
/// No schema with that `$id` (and version) is in the registry.
pub const DPIKIT_ERR_SCHEMA_NOT_FOUND: dpikit_result = 5001;
/// A schema document is malformed, lacks `$id`, or does not compile.
pub const DPIKIT_ERR_INVALID_SCHEMA: dpikit_result = 5002;
/// A `$ref` names a URI that is not in the registry (dpikit never fetches one).
pub const DPIKIT_ERR_UNRESOLVED_REF: dpikit_result = 5003;
/// A different schema is already registered under the same `$id` and version.
pub const DPIKIT_ERR_DUPLICATE_SCHEMA: dpikit_result = 5004;
/// An instance does not validate against its schema.
pub const DPIKIT_ERR_VALIDATION_FAILED: dpikit_result = 5005;
/// An NGSI-LD entity is malformed (no `id`/`type`, an attribute without a known kind).
pub const DPIKIT_ERR_NGSI_INVALID: dpikit_result = 5010;
/// A CSV file cannot be read (bad quoting, too many rows or columns, bad header).
pub const DPIKIT_ERR_CSV_INVALID: dpikit_result = 5011;
/// An envelope is malformed (missing or wrong-typed CloudEvents attribute).
pub const DPIKIT_ERR_MALFORMED_ENVELOPE: dpikit_result = 5020;
/// An envelope's signature does not verify (tampered or wrong key).
pub const DPIKIT_ERR_ENVELOPE_SIGNATURE_INVALID: dpikit_result = 5021;
/// An envelope is older than the accepted age.
pub const DPIKIT_ERR_ENVELOPE_EXPIRED: dpikit_result = 5022;
/// An envelope's time lies in the future beyond the allowed clock skew.
pub const DPIKIT_ERR_ENVELOPE_NOT_YET_VALID: dpikit_result = 5023;
/// Personal data was sent without a consent reference.
pub const DPIKIT_ERR_CONSENT_REQUIRED: dpikit_result = 5024;
/// The cited consent does not allow this controller, purpose or data category now.
pub const DPIKIT_ERR_CONSENT_DENIED: dpikit_result = 5025;
/// A cited consent receipt does not verify or names another consent.
pub const DPIKIT_ERR_CONSENT_RECEIPT_MISMATCH: dpikit_result = 5026;
/// A JWE is malformed or does not decrypt with the key.
pub const DPIKIT_ERR_JWE_INVALID: dpikit_result = 5030;
/// The JWE algorithm, encryption or key curve is not supported.
pub const DPIKIT_ERR_UNSUPPORTED_JWE: dpikit_result = 5031;
/// An X-Road identifier or header value is malformed.
pub const DPIKIT_ERR_INVALID_XROAD_ID: dpikit_result = 5040;
/// A pseudonym key is too short or its purpose is empty.
pub const DPIKIT_ERR_INVALID_PSEUDONYM_KEY: dpikit_result = 5050;
/// A required pointer argument was NULL.
pub const DPIKIT_ERR_NULL_PARAMETER: dpikit_result = 9001;
/// Text passed through a binding is not valid UTF-8.
pub const DPIKIT_ERR_BINDING_INVALID_UTF8: dpikit_result = 9002;
/// A panic was caught at the binding boundary.
pub const DPIKIT_ERR_PANIC: dpikit_result = 9003;
/// A caller-supplied output buffer is too small.
pub const DPIKIT_ERR_BUFFER_TOO_SMALL: dpikit_result = 9004;
/// An argument passed through a binding has the wrong type or value.
pub const DPIKIT_ERR_INVALID_ARGUMENT: dpikit_result = 9005;
/// A file or stream could not be read or written (CLI and bindings).
pub const DPIKIT_ERR_IO: dpikit_result = 9006;
/// A command line could not be parsed (CLI).
pub const DPIKIT_ERR_USAGE: dpikit_result = 9007;
