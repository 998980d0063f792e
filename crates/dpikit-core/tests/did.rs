//! DIDs: the did:key vectors (seed → DID → verification method), did:jwk, static documents.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use dpikit_core::did::{
    DidDocument, Relationship, Resolver, StaticResolver, did_jwk, did_key, parse_did_url,
};
use dpikit_core::keys::{KeyPair, KeyType};
use dpikit_core::{ErrorCode, Limits, parse_json};
use dpikit_testkit::read_vector;

#[test]
fn did_key_vectors_seed_to_did_to_verification_method() {
    let Some(bytes) = read_vector("vc/did-key", "ed25519-x25519.json") else { return };
    let vectors = parse_json(&bytes, &Limits::default()).unwrap();
    let resolver = StaticResolver::new();
    let mut n = 0;
    for (did, entry) in vectors.as_object().unwrap() {
        let seed = hex::decode(entry["seed"].as_str().unwrap()).unwrap();
        let key = KeyPair::from_secret_bytes(KeyType::Ed25519, &seed).unwrap();
        assert_eq!(&did_key(&key.public_key()), did);

        let doc = resolver.resolve(did).unwrap();
        assert_eq!(&doc.id, did);
        let expected_vm = &entry["didDocument"]["verificationMethod"][0];
        let vm_id = expected_vm["id"].as_str().unwrap();
        let (vm, public) = resolver.resolve_key_for(vm_id, Relationship::AssertionMethod).unwrap();
        assert_eq!(vm.id, vm_id);
        assert_eq!(vm.controller, *did);
        assert_eq!(public, key.public_key());
        if let Some(b58) = expected_vm["publicKeyBase58"].as_str() {
            assert_eq!(bs58_encode(&public.to_bytes()), b58);
        }
        // The published document (Ed25519VerificationKey2018 / JsonWebKey2020) names the
        // same key as our Multikey resolution.
        let published =
            DidDocument::from_json(entry["didDocument"].to_string().as_bytes()).unwrap();
        assert_eq!(published.verification_method(vm_id).unwrap().public_key().unwrap(), public);
        n += 1;
    }
    assert_eq!(n, 5);
}

fn bs58_encode(bytes: &[u8]) -> String {
    // Multibase minus its 'z' is plain base58btc.
    dpikit_core::encoding::multibase_encode(bytes)[1..].to_owned()
}

#[test]
fn did_jwk_round_trips_for_both_curves() {
    for kt in [KeyType::Ed25519, KeyType::P256] {
        let key = KeyPair::generate(kt).unwrap();
        let did = did_jwk(&key.public_key());
        assert!(did.starts_with("did:jwk:ey"), "{did}");
        let (vm, public) = StaticResolver::new().resolve_key(&format!("{did}#0")).unwrap();
        assert_eq!(vm.type_, "JsonWebKey2020");
        assert_eq!(public, key.public_key());
    }
    // A did:jwk holding a private key is refused.
    let key = KeyPair::generate(KeyType::Ed25519).unwrap();
    let private = dpikit_core::encoding::b64url_encode(key.to_private_jwk().to_json().as_bytes());
    let err = StaticResolver::new().resolve(&format!("did:jwk:{private}")).unwrap_err();
    assert_eq!(err.code(), ErrorCode::InvalidDid);
}

#[test]
fn p256_did_key_resolves() {
    let key = KeyPair::generate(KeyType::P256).unwrap();
    let did = did_key(&key.public_key());
    assert!(did.starts_with("did:key:zDn"));
    let doc = StaticResolver::new().resolve(&did).unwrap();
    assert_eq!(doc.verification_method[0].public_key().unwrap(), key.public_key());
}

#[test]
fn static_documents_and_relationships() {
    let key = KeyPair::generate(KeyType::Ed25519).unwrap();
    let mk = key.public_key().to_multikey();
    let text = format!(
        r##"{{"@context":["https://www.w3.org/ns/did/v1"],"id":"did:web:city.example",
        "verificationMethod":[{{"id":"did:web:city.example#k1","type":"Multikey","controller":"did:web:city.example","publicKeyMultibase":"{mk}"}}],
        "authentication":["#k1"],
        "service":[{{"id":"#svc","type":"LinkedDomains","serviceEndpoint":"https://city.example"}}]}}"##
    );
    let doc = DidDocument::from_json(text.as_bytes()).unwrap();
    assert!(doc.extra.contains_key("service"));
    let resolver = StaticResolver::new().with_document(doc);
    resolver.resolve_key_for("did:web:city.example#k1", Relationship::Authentication).unwrap();
    let err = resolver
        .resolve_key_for("did:web:city.example#k1", Relationship::AssertionMethod)
        .unwrap_err();
    assert_eq!(err.code(), ErrorCode::VerificationMethodNotFound);
    let err = resolver.resolve_key("did:web:city.example#k2").unwrap_err();
    assert_eq!(err.code(), ErrorCode::VerificationMethodNotFound);
    assert_eq!(
        resolver.resolve("did:web:other.example").unwrap_err().code(),
        ErrorCode::DidNotFound
    );
    assert_eq!(
        resolver.resolve("did:ion:abc").unwrap_err().code(),
        ErrorCode::UnsupportedDidMethod
    );
}

#[test]
fn malformed_dids_are_typed_errors() {
    for bad in [
        "",
        "did:",
        "did:key",
        "did:KEY:z6Mk",
        "did:key:",
        "did:key:a b",
        "urn:x:y",
        "did:web:x#a b",
    ] {
        assert_eq!(parse_did_url(bad).unwrap_err().code(), ErrorCode::InvalidDid, "{bad:?}");
    }
    let long = format!("did:key:z{}", "1".repeat(5000));
    assert_eq!(parse_did_url(&long).unwrap_err().code(), ErrorCode::InvalidDid);
    let r = StaticResolver::new();
    assert_eq!(r.resolve("did:key:zQ3s").unwrap_err().code(), ErrorCode::UnsupportedMulticodec);
    assert_eq!(r.resolve("did:key:foo").unwrap_err().code(), ErrorCode::InvalidMultibase);
    assert_eq!(r.resolve("did:jwk:!!").unwrap_err().code(), ErrorCode::InvalidDid);
    assert_eq!(r.resolve("did:jwk:e30").unwrap_err().code(), ErrorCode::InvalidJwk);
    assert_eq!(
        DidDocument::from_json(br#"{"id":"not-a-did"}"#).unwrap_err().code(),
        ErrorCode::InvalidDidDocument
    );
}
