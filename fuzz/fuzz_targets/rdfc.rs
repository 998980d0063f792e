#![no_main]
//! N-Quads parsing and RDF dataset canonicalization (RDFC-1.0) with the default work limits:
//! typed errors, bounded work, and a canonical form that is a fixed point.
use dpikit_credentials::rdfc::{CanonOptions, canonical_nquads, canonicalize, parse_nquads};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let Ok(quads) = parse_nquads(text) else { return };
    if let Ok(c) = canonicalize(&quads, &CanonOptions::default()) {
        let once = canonical_nquads(&c.quads).expect("canonical quads serialise");
        let again = parse_nquads(&once).expect("canonical N-Quads parse");
        assert_eq!(canonical_nquads(&again).expect("serialise"), once);
    }
});
