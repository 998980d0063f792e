//! Driver for instruction counts of the pacs.008 parse, dpikit against mx20022 0.3.2 on the
//! same bare `Document` (the criterion bench `benches/payments.rs` measures wall-clock).
//!
//! ```text
//! cargo build --release -p dpikit-payments --example callgrind_pacs008
//! valgrind --tool=callgrind --callgrind-out-file=/dev/null \
//!     target/release/examples/callgrind_pacs008 <dpikit|dpikit-validate|mx20022> <file> <n>
//! ```
//!
//! The per-parse figure is (count at n = 101 − count at n = 1) / 100, which removes the
//! set-up (reading the sample and making the bare `Document`).
#![allow(clippy::unwrap_used, clippy::expect_used, missing_docs)]

use std::hint::black_box;

use dpikit_payments::iso::{self, ParseOptions};
use dpikit_payments::validate::validate;
use mx20022::model::generated::pacs::pacs_008_001_08 as mx_pacs008;

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let [_, which, file, n] = args.as_slice() else {
        eprintln!("usage: callgrind_pacs008 <dpikit|dpikit-validate|mx20022> <file> <n>");
        std::process::exit(2);
    };
    let n: usize = n.parse().expect("n");
    let raw = dpikit_testkit::read_vector("payments/iso20022/samples", file).expect("sample");
    let doc =
        iso::parse(&raw, &ParseOptions::default()).unwrap().message.document.to_xml().unwrap();
    let strict = ParseOptions::default();
    for _ in 0..n {
        match which.as_str() {
            "dpikit" => drop(black_box(iso::parse(black_box(doc.as_bytes()), &strict).unwrap())),
            "dpikit-validate" => {
                let p = iso::parse(black_box(doc.as_bytes()), &strict).unwrap();
                drop(black_box(validate(&p.message)));
            }
            "mx20022" => drop(black_box(
                mx20022::parse::de::from_str::<mx_pacs008::Document>(black_box(&doc)).unwrap(),
            )),
            other => panic!("unknown parser {other}"),
        }
    }
}
