//! Property: for random batches, the pain.001.001.09 that dpikit emits validates against the
//! official XSD (xmllint), validates clean, and parses back to an equal typed message.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use dpikit_payments::bulk::{self, Account, BatchConfig, Beneficiary};
use dpikit_payments::iso::{self, Document, ParseOptions};
use dpikit_payments::validate::validate;
use proptest::prelude::*;
use rust_decimal::Decimal;

/// A German IBAN with correct mod-97 check digits for an 18-digit BBAN.
fn iban_de(bban: &str) -> String {
    let digits = format!("{bban}131400");
    let rem = digits.bytes().fold(0u32, |acc, b| (acc * 10 + u32::from(b - b'0')) % 97);
    format!("DE{:02}{bban}", 98 - rem)
}

fn account() -> impl Strategy<Value = Account> {
    prop_oneof![
        "[0-9]{18}".prop_map(|b| Account::Iban(iban_de(&b))),
        "[1-9][0-9]{7,12}".prop_map(|d| Account::Msisdn(format!("+{d}"))),
        ("[A-Za-z0-9][A-Za-z0-9-]{0,20}", proptest::option::of("[A-Z]{2,10}"))
            .prop_map(|(id, scheme)| Account::Other { id, scheme }),
    ]
}

/// Text without control characters and without leading/trailing spaces, with XML specials.
fn text(max: usize) -> impl Strategy<Value = String> {
    proptest::string::string_regex(&format!(
        "[A-Za-z0-9&<>\"'é€ü_.-][A-Za-z0-9 &<>\"'é€ü_.-]{{0,{}}}",
        max - 2
    ))
    .unwrap()
    .prop_map(|s| s.trim_end().to_owned())
    .prop_filter("non-empty", |s| !s.is_empty())
}

fn beneficiary() -> impl Strategy<Value = Beneficiary> {
    let currency = prop_oneof![
        Just(("EUR", 2u32)),
        Just(("USD", 2)),
        Just(("RWF", 0)),
        Just(("JPY", 0)),
        Just(("KWD", 3))
    ];
    (
        "[A-Z0-9]{1,12}",
        text(60),
        account(),
        (1u64..10_000_000_000, currency),
        text(100),
        proptest::option::of(prop_oneof![
            Just("2026-12-01"),
            Just("2026-12-15"),
            Just("2027-02-28")
        ]),
    )
        .prop_map(|(id, name, account, (units, (ccy, scale)), reference, date)| Beneficiary {
            id,
            name,
            account,
            amount: Decimal::new(i64::try_from(units).unwrap(), scale).into(),
            currency: ccy.into(),
            reference,
            execution_date: date.map(str::to_owned),
            provider: None,
        })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 32, ..ProptestConfig::default() })]

    #[test]
    fn random_batches_emit_xsd_valid_pain001_that_round_trips(
        bens in proptest::collection::vec(beneficiary(), 1..25),
        batch_id in "[A-Z][A-Z0-9-]{0,29}",
    ) {
        let config = BatchConfig::new(
            &batch_id, "2026-11-29T08:00:00.123+01:00", "2026-12-01", "City <Treasury> & Co",
            Account::Iban("DE89370400440532013000".into()),
        );
        let out = bulk::build(&config, bens.clone()).unwrap();
        // Only duplicates may be refused: everything generated is otherwise valid.
        prop_assert!(out.errors.iter().all(|e| e.code == dpikit_core::ErrorCode::DuplicateId), "{:?}", out.errors);
        prop_assert_eq!(out.batch.len() + out.errors.len(), bens.len());
        let msg = out.batch.to_pain001().unwrap();
        prop_assert!(validate(&msg).is_empty());
        let xml = msg.document.to_xml().unwrap();
        if let Some(xsd) = common::xsd("pain.001.001.09") {
            common::xmllint(&xml, &xsd, "proptest-pain001.xml");
        }
        let back = iso::parse(xml.as_bytes(), &ParseOptions::default()).unwrap();
        prop_assert_eq!(&back.message.document, &msg.document);
        let Document::Pain001(d) = &msg.document else { unreachable!() };
        let g = &d.cstmr_cdt_trf_initn.grp_hdr;
        prop_assert_eq!(g.nb_of_txs.parse::<usize>().unwrap(), out.batch.len());
        let total: Decimal = out.batch.payments().map(|p| p.beneficiary.amount.value()).sum();
        prop_assert_eq!(g.ctrl_sum.unwrap().value(), total);
        // The same input gives the same bytes.
        prop_assert_eq!(bulk::build(&config, bens).unwrap().batch.to_pain001_xml().unwrap(), xml);
    }
}
