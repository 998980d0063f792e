#![no_main]
//! Every consent import format (ReBIT AA, Kantara, GovStack, DPV) and the dpikit record
//! intake on the same bytes: typed errors, never a panic; imported records validate.
use dpikit_consent::formats::{dpv, govstack, kantara, rebit};
use dpikit_consent::model::ConsentRecord;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(c) = rebit::import(data) {
        let _ = rebit::export(&c.value);
    }
    if let Ok(c) = kantara::import(data) {
        let _ = kantara::export(&c.value);
    }
    if let Ok(c) = govstack::import(data) {
        let _ = govstack::verify_chain(&[]);
        drop(c);
    }
    let _ = dpv::import(data);
    if let Ok(r) = ConsentRecord::from_json(data) {
        let again = ConsentRecord::from_json(r.to_json().as_bytes()).expect("round trip");
        assert_eq!(again, r);
    }
});
