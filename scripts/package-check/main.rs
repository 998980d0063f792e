//! Built by `make package-check` outside the repository, against the unpacked `.crate` files:
//! proves the packaged `dpikit` crates build on their own and work together.

use dpikit::credentials::Verifier;
use dpikit::credentials::di::{ProofOptions, add_proof};
use dpikit::credentials::jsonld::ContextStore;
use dpikit::credentials::model::CredentialBuilder;
use dpikit::did::{did_key, did_key_verification_method};
use dpikit::jws::WithKeyId;
use dpikit::keys::{KeyPair, KeyType};
use serde_json::json;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let key = KeyPair::generate(KeyType::Ed25519)?;
    let city = did_key(&key.public_key());
    let signer = WithKeyId { kid: did_key_verification_method(&key.public_key()), signer: key };
    // An inline `@vocab` defines the city's own terms: the RDFC suite refuses undefined ones.
    let vc = CredentialBuilder::new(&city)
        .context(json!({"@vocab": "https://city.example/vocab#"}))
        .add_type("ResidencyCredential")
        .subject(json!({"id": "did:example:resident-1024", "name": "Ana"}))
        .build()?;
    for suite in ["eddsa-jcs-2022", "eddsa-rdfc-2022"] {
        let signed =
            add_proof(&vc.to_value(), &signer, &ProofOptions::assertion(suite), &ContextStore::new())?;
        let report = Verifier::new().verify_credential(&signed);
        if !report.verified {
            return Err(format!("{suite}: {}", report.to_json()).into());
        }
        let mut tampered = signed.clone();
        tampered["credentialSubject"]["name"] = json!("Eve");
        if Verifier::new().verify_credential(&tampered).verified {
            return Err(format!("{suite}: a tampered credential verified").into());
        }
        println!("{suite}: issued and verified with the packaged crates");
    }
    Ok(())
}
