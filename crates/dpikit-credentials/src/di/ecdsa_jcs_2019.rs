//! `ecdsa-jcs-2019` (vc-di-ecdsa §3.3) with P-256: JCS canonicalization, SHA-256, ECDSA
//! P-256 over the 64-byte hash data, the signature as 64 raw bytes (`r ‖ s`).

use serde_json::Value;

use dpikit_core::keys::KeyType;

use super::Cryptosuite;
use super::eddsa_jcs_2022::jcs_hash_data;
use crate::Result;
use crate::jsonld::ContextStore;

/// The `ecdsa-jcs-2019` cryptosuite with P-256 keys (Multikey `zDn…`).
///
/// # Examples
///
/// ```
/// use dpikit_core::jws::WithKeyId;
/// use dpikit_core::keys::{KeyPair, KeyType};
/// use dpikit_credentials::di::{add_proof, ProofOptions};
/// use dpikit_credentials::jsonld::ContextStore;
/// use dpikit_credentials::Verifier;
///
/// let key = KeyPair::generate(KeyType::P256)?;
/// let kid = dpikit_core::did::did_key_verification_method(&key.public_key());
/// let issuer = kid.split('#').next().unwrap_or_default().to_owned();
/// let vc = serde_json::json!({
///     "@context": ["https://www.w3.org/ns/credentials/v2"],
///     "type": ["VerifiableCredential"], "issuer": issuer,
///     "credentialSubject": {"id": "did:example:ana"}
/// });
/// let signed = add_proof(&vc, &WithKeyId { signer: key, kid },
///     &ProofOptions::assertion("ecdsa-jcs-2019"), &ContextStore::new())?;
/// assert!(signed["proof"]["proofValue"].as_str().unwrap_or_default().starts_with('z'));
/// assert!(Verifier::new().verify_credential(&signed).verified);
/// # Ok::<(), dpikit_credentials::CredentialError>(())
/// ```
#[derive(Debug, Clone, Copy, Default)]
pub struct EcdsaJcs2019;

impl Cryptosuite for EcdsaJcs2019 {
    fn name(&self) -> &'static str {
        "ecdsa-jcs-2019"
    }

    fn proof_carries_context(&self) -> bool {
        true
    }

    fn key_type(&self) -> KeyType {
        KeyType::P256
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
