#![no_main]
//! Any bytes as each Mojaloop FSPIOP body (quote, transfer, fulfil, parties) and as an
//! ISO 20022 JSON body: typed errors, never a panic; what parses validates.
use dpikit_core::Limits;
use dpikit_payments::mojaloop::{
    parse_iso_body, parse_parties_response, parse_quote_request, parse_transfer_fulfil,
    parse_transfer_request, validate_fulfil, validate_party, validate_quote, validate_transfer,
};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let l = Limits::default();
    if let Ok(q) = parse_quote_request(data, &l) {
        let _ = validate_quote(&q, None);
    }
    if let Ok(t) = parse_transfer_request(data, &l) {
        let _ = validate_transfer(&t, None);
    }
    if let Ok(f) = parse_transfer_fulfil(data, &l) {
        let _ = validate_fulfil(&f, None);
    }
    if let Ok(p) = parse_parties_response(data, &l) {
        let _ = validate_party(&p.party);
    }
    let _ = parse_iso_body(data, &l);
});
