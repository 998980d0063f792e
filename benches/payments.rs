//! Payments benchmarks: pacs.008.001.08 parse (+ validate) in dpikit and, side by side, the
//! same bare `Document` parsed by mx20022 0.3.2; pain.001.001.09 generation of a 10 000-
//! transaction G2P batch.
//!
//! `cargo bench -p dpikit-payments --bench payments`
#![allow(missing_docs, clippy::unwrap_used, clippy::expect_used)]

use std::hint::black_box;
use std::time::Duration;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use dpikit_payments::bulk::{self, Account, BatchConfig, Beneficiary};
use dpikit_payments::iso::{self, ParseOptions, pacs_008_001_08};
use dpikit_payments::validate::validate;
use mx20022::model::generated::pacs::pacs_008_001_08 as mx_pacs008;

const SAMPLES: [&str; 2] =
    ["pacs.008.001.08_cbprplus_envelope.xml", "pacs.008.001.08_pm4ml_mobilemoney_RWF.xml"];

fn pacs008(c: &mut Criterion) {
    let mut g = c.benchmark_group("pacs008");
    g.measurement_time(Duration::from_secs(4)).warm_up_time(Duration::from_secs(1));
    for file in SAMPLES {
        let Some(raw) = dpikit_testkit::read_vector("payments/iso20022/samples", file) else {
            return;
        };
        // Both libraries get the same bare Document (mx20022 does not read envelopes).
        let doc =
            iso::parse(&raw, &ParseOptions::default()).unwrap().message.document.to_xml().unwrap();
        let name = if file.contains("cbpr") { "cbpr" } else { "pm4ml" };
        let strict = ParseOptions::default();
        let lenient = ParseOptions { lenient: true, ..ParseOptions::default() };
        assert!(mx20022::parse::de::from_str::<mx_pacs008::Document>(&doc).is_ok());
        g.bench_function(format!("dpikit parse strict/{name}"), |b| {
            b.iter(|| iso::parse(black_box(doc.as_bytes()), &strict).unwrap());
        });
        g.bench_function(format!("dpikit parse strict+validate/{name}"), |b| {
            b.iter(|| {
                let p = iso::parse(black_box(doc.as_bytes()), &strict).unwrap();
                validate(&p.message)
            });
        });
        g.bench_function(format!("dpikit parse lenient/{name}"), |b| {
            b.iter(|| iso::parse(black_box(doc.as_bytes()), &lenient).unwrap());
        });
        // The same serde + quick-xml step with dpikit's generated model, without the
        // hardened intake and unknown-element detection that `iso::parse` adds.
        g.bench_function(format!("dpikit model serde only/{name}"), |b| {
            b.iter(|| {
                quick_xml::de::from_str::<pacs_008_001_08::Document>(black_box(&doc)).unwrap()
            });
        });
        g.bench_function(format!("mx20022 parse/{name}"), |b| {
            b.iter(|| {
                mx20022::parse::de::from_str::<mx_pacs008::Document>(black_box(&doc)).unwrap()
            });
        });
    }
    g.finish();
}

fn beneficiaries(n: usize) -> Vec<Beneficiary> {
    (0..n)
        .map(|i| Beneficiary {
            id: format!("RES-{i:06}"),
            name: format!("Resident {i}"),
            account: Account::Msisdn(format!("+2507{i:08}")),
            amount: format!("{}.{:02}", 1_000 + i % 5_000, i % 100).parse().unwrap(),
            currency: if i % 10 == 0 { "EUR" } else { "USD" }.into(),
            reference: "Housing subsidy 2026-11".into(),
            execution_date: None,
            provider: None,
        })
        .collect()
}

fn pain001(c: &mut Criterion) {
    let config = BatchConfig::new(
        "SUBSIDY-2026-11",
        "2026-11-29T08:00:00Z",
        "2026-12-01",
        "City of Example Treasury",
        Account::Iban("DE89370400440532013000".into()),
    );
    let ben = beneficiaries(10_000);
    let mut g = c.benchmark_group("pain001");
    g.sample_size(10)
        .measurement_time(Duration::from_secs(8))
        .throughput(Throughput::Elements(10_000));
    g.bench_function("build batch 10k", |b| {
        b.iter(|| bulk::build(&config, black_box(ben.clone())).unwrap());
    });
    let batch = bulk::build(&config, ben.clone()).unwrap().batch;
    g.bench_function("pain.001 XML 10k (build message, validate, serialise)", |b| {
        b.iter(|| black_box(&batch).to_pain001_xml().unwrap());
    });
    g.bench_function("end to end 10k (beneficiaries to XML)", |b| {
        b.iter(|| {
            bulk::build(&config, black_box(ben.clone())).unwrap().batch.to_pain001_xml().unwrap()
        });
    });
    g.finish();
}

criterion_group!(benches, pacs008, pain001);
criterion_main!(benches);
