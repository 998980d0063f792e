#![no_main]
//! DID URLs and DID documents: typed errors, never panics.
use dpikit_core::did::{DidDocument, Resolver, StaticResolver};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(text) = std::str::from_utf8(data) {
        let _ = StaticResolver::new().resolve_key(text);
    }
    if let Ok(doc) = DidDocument::from_json(data) {
        let id = doc.id.clone();
        let _ = StaticResolver::new().with_document(doc).resolve(&id);
    }
});
