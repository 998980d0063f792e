//! `eddsa-jcs-2022` (vc-di-eddsa §3.3): JCS canonicalization, SHA-256, Ed25519.

use serde_json::Value;
use sha2::{Digest, Sha256};

use dpikit_core::jcs;
use dpikit_core::keys::KeyType;

use super::Cryptosuite;
use crate::Result;
use crate::jsonld::ContextStore;

/// The `eddsa-jcs-2022` cryptosuite.
#[derive(Debug, Clone, Copy, Default)]
pub struct EddsaJcs2022;

/// Returns `SHA-256(JCS(proof_config)) ‖ SHA-256(JCS(document))`, shared by the JCS suites.
pub(crate) fn jcs_hash_data(unsecured: &Value, proof_config: &Value) -> Result<Vec<u8>> {
    let mut out = Vec::with_capacity(64);
    out.extend_from_slice(&Sha256::digest(jcs::canonicalize(proof_config)?));
    out.extend_from_slice(&Sha256::digest(jcs::canonicalize(unsecured)?));
    Ok(out)
}

impl Cryptosuite for EddsaJcs2022 {
    fn name(&self) -> &'static str {
        "eddsa-jcs-2022"
    }

    fn proof_carries_context(&self) -> bool {
        true
    }

    fn key_type(&self) -> KeyType {
        KeyType::Ed25519
    }

    fn hash_data(
        &self,
        unsecured: &Value,
        proof_config: &Value,
        _contexts: &ContextStore,
    ) -> Result<Vec<u8>> {
        jcs_hash_data(unsecured, proof_config)
    }
}
