#![no_main]
//! Any bytes as a bulk-payment CSV: typed errors or row errors, never a panic; an accepted
//! batch serialises to pain.001 that parses back.
use dpikit_payments::bulk::{self, Account, BatchConfig, CsvLimits};
use dpikit_payments::iso::{ParseOptions, parse};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let config = BatchConfig::new(
        "B1",
        "2026-11-29T08:00:00Z",
        "2026-12-01",
        "City",
        Account::Iban("DE89370400440532013000".into()),
    );
    if let Ok(outcome) = bulk::from_csv(data, &config, &CsvLimits::default()) {
        if outcome.batch.payments().next().is_some() {
            let xml = outcome.batch.to_pain001_xml().expect("pain.001 of an accepted batch");
            parse(xml.as_bytes(), &ParseOptions::default()).expect("pain.001 parses back");
        }
    }
});
