//! `eddsa-rdfc-2022` (vc-di-eddsa §3.2): JSON-LD → RDF → RDFC-1.0 canonical N-Quads,
//! SHA-256, Ed25519. Fully offline: contexts come from the [`ContextStore`].

use serde_json::Value;
use sha2::{Digest, Sha256};

use dpikit_core::keys::KeyType;

use super::Cryptosuite;
use crate::Result;
use crate::jsonld::{ContextStore, proof_config_quads, to_rdf_safe};
use crate::rdfc::canonical_nquads;

/// The `eddsa-rdfc-2022` cryptosuite.
#[derive(Debug, Clone, Copy, Default)]
pub struct EddsaRdfc2022;

/// Returns the RDFC-1.0 canonical N-Quads of a JSON-LD document, expanded in safe mode
/// (see [`crate::jsonld::to_rdf_safe`]).
///
/// # Errors
///
/// [`crate::CredentialError::UnknownContext`], [`crate::CredentialError::JsonLd`],
/// [`crate::CredentialError::UndefinedTerm`],
/// [`crate::CredentialError::CanonicalizationLimit`].
pub fn canonical_document(document: &Value, contexts: &ContextStore) -> Result<String> {
    canonical_nquads(&to_rdf_safe(document, contexts)?)
}

/// Returns `SHA-256(RDFC(proof_config)) ‖ SHA-256(RDFC(document))`, shared by the RDFC suites.
pub(crate) fn rdfc_hash_data(
    unsecured: &Value,
    proof_config: &Value,
    contexts: &ContextStore,
) -> Result<Vec<u8>> {
    // The document first: the proof configuration shortcut relies on the shared `@context`
    // having processed without error.
    let document_hash = Sha256::digest(canonical_document(unsecured, contexts)?);
    let proof_nquads = match proof_config_quads(proof_config, contexts)? {
        Some(quads) => canonical_nquads(&quads)?,
        None => canonical_document(proof_config, contexts)?,
    };
    let mut out = Vec::with_capacity(64);
    out.extend_from_slice(&Sha256::digest(proof_nquads));
    out.extend_from_slice(&document_hash);
    Ok(out)
}

impl Cryptosuite for EddsaRdfc2022 {
    fn name(&self) -> &'static str {
        "eddsa-rdfc-2022"
    }

    fn key_type(&self) -> KeyType {
        KeyType::Ed25519
    }

    fn hash_data(
        &self,
        unsecured: &Value,
        proof_config: &Value,
        contexts: &ContextStore,
    ) -> Result<Vec<u8>> {
        rdfc_hash_data(unsecured, proof_config, contexts)
    }
}
