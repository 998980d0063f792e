//! dpikit's own data-exchange schemas (JSON Schema 2020-12), shipped inside the crate.
//!
//! Each schema's `$id` embeds its version and `$schemaVersion` repeats it; the schemas
//! changelog is `schemas/CHANGELOG.md`. Schemas whose instances carry personal data say so
//! with `"x-dpikit-personal-data": true` (see [`crate::Registry::is_personal_data`]); an
//! envelope for such data needs a consent reference.

/// A built-in schema.
#[derive(Debug, Clone, Copy)]
pub struct BuiltinSchema {
    /// The schema's name (`ResidentRecord`, …).
    pub name: &'static str,
    /// The schema's `$id`.
    pub id: &'static str,
    /// The schema's version.
    pub version: &'static str,
    /// The schema document.
    pub json: &'static str,
}

/// `$id` of `ResidentRecord` 1.0.0.
pub const RESIDENT_RECORD: &str =
    "https://schemas.dpikit.org/exchange/resident-record/1.0.0/schema.json";
/// `$id` of `ServiceRequest` 1.0.0 (Open311 GeoReport v2 field names).
pub const SERVICE_REQUEST: &str =
    "https://schemas.dpikit.org/exchange/service-request/1.0.0/schema.json";
/// `$id` of `SubsidyClaim` 1.0.0.
pub const SUBSIDY_CLAIM: &str =
    "https://schemas.dpikit.org/exchange/subsidy-claim/1.0.0/schema.json";
/// `$id` of `PaymentInstruction` 1.0.0.
pub const PAYMENT_INSTRUCTION: &str =
    "https://schemas.dpikit.org/exchange/payment-instruction/1.0.0/schema.json";
/// `$id` of `PaymentStatus` 1.0.0.
pub const PAYMENT_STATUS: &str =
    "https://schemas.dpikit.org/exchange/payment-status/1.0.0/schema.json";
/// `$id` of `ConsentReference` 1.0.0.
pub const CONSENT_REFERENCE: &str =
    "https://schemas.dpikit.org/exchange/consent-reference/1.0.0/schema.json";
/// `$id` of `SensorObservation` 1.0.0 (FIWARE Smart Data Models attribute names).
pub const SENSOR_OBSERVATION: &str =
    "https://schemas.dpikit.org/exchange/sensor-observation/1.0.0/schema.json";

/// Every built-in schema.
pub const BUILTIN: &[BuiltinSchema] = &[
    BuiltinSchema {
        name: "ResidentRecord",
        id: RESIDENT_RECORD,
        version: "1.0.0",
        json: include_str!("../schemas/resident-record.json"),
    },
    BuiltinSchema {
        name: "ServiceRequest",
        id: SERVICE_REQUEST,
        version: "1.0.0",
        json: include_str!("../schemas/service-request.json"),
    },
    BuiltinSchema {
        name: "SubsidyClaim",
        id: SUBSIDY_CLAIM,
        version: "1.0.0",
        json: include_str!("../schemas/subsidy-claim.json"),
    },
    BuiltinSchema {
        name: "PaymentInstruction",
        id: PAYMENT_INSTRUCTION,
        version: "1.0.0",
        json: include_str!("../schemas/payment-instruction.json"),
    },
    BuiltinSchema {
        name: "PaymentStatus",
        id: PAYMENT_STATUS,
        version: "1.0.0",
        json: include_str!("../schemas/payment-status.json"),
    },
    BuiltinSchema {
        name: "ConsentReference",
        id: CONSENT_REFERENCE,
        version: "1.0.0",
        json: include_str!("../schemas/consent-reference.json"),
    },
    BuiltinSchema {
        name: "SensorObservation",
        id: SENSOR_OBSERVATION,
        version: "1.0.0",
        json: include_str!("../schemas/sensor-observation.json"),
    },
];

/// The schemas changelog.
pub const CHANGELOG: &str = include_str!("../schemas/CHANGELOG.md");
