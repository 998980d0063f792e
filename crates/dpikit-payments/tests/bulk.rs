//! G2P bulk disbursement: CSV intake, row errors, ids, pain.001 (XSD-valid via xmllint),
//! GovStack and G2P Connect JSON (keys checked against the specs in ../shared/vectors).
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use dpikit_core::ErrorCode;
use dpikit_payments::bulk::{self, Account, BatchConfig, Beneficiary, CsvLimits};
use dpikit_payments::iso::{self, Document, ParseOptions};
use dpikit_payments::validate::validate;

fn config() -> BatchConfig {
    let mut c = BatchConfig::new(
        "SUBSIDY-2026-11",
        "2026-11-29T08:00:00Z",
        "2026-12-01",
        "City of Example Treasury",
        Account::Iban("DE89370400440532013000".into()),
    );
    c.debtor_agent_bic = Some("COBADEFFXXX".into());
    c
}

const CSV: &str = "\u{feff}ID,Name,Account,Amount,Currency,Reference,execution_date,district\n\
R001,Ada Uwase,+250788000001,20200,RWF,Nov subsidy,,North\n\
R002,Bo Li,DE44 5001 0517 5407 3249 31,12.50,EUR,Nov subsidy,,South\n\
R003,Cy Ng,DE00000000000000000000,1,EUR,Nov subsidy,,East\n\
R004,Di Ko,+250788000004,20200.5,RWF,Nov subsidy,,West\n\
R005,Ed Mu,+250788000005,100,XAU,Nov subsidy,,West\n\
R006,Fa Ze,+250788000006,100,JLU,Nov subsidy,,West\n\
R001,Ada Uwase,+250788000001,20200,RWF,Nov subsidy,,North\n\
R007,Gi Ha,+250788000001,5000,RWF,Nov subsidy,,North\n\
R008,\"Ho, Ja\",wallet:W-8,7000,RWF,Nov subsidy,2026-12-15,North\n\
R009,Io Ka,+250788000009,abc,RWF,Nov subsidy,,North\n\
R010,Ju Le,+250788000010,-5,RWF,Nov subsidy,,North\n\
R011,Ki Ma,+250788000011,5,RWF,,,North\n\
R012,Lu No,+250788000012,5,RWF,Nov subsidy,2026-02-30,North\n\
R013,Mo Pe\n\
R014,Ny Qu,+250788000014,3000,RWF,Nov subsidy,,North\n";

#[test]
fn csv_rows_are_validated_with_row_column_and_code() {
    let out = bulk::from_csv(CSV.as_bytes(), &config(), &CsvLimits::default()).unwrap();
    let got: Vec<(usize, &str, ErrorCode)> =
        out.errors.iter().map(|e| (e.row, e.column.as_str(), e.code)).collect();
    assert_eq!(
        got,
        [
            (4, "account", ErrorCode::InvalidIban),
            (5, "amount", ErrorCode::InvalidAmount),
            (6, "currency", ErrorCode::UnknownCurrency),
            (7, "currency", ErrorCode::UnknownCurrency),
            (8, "reference", ErrorCode::DuplicateId),
            (9, "account", ErrorCode::DuplicateId),
            (11, "amount", ErrorCode::InvalidAmount),
            (12, "amount", ErrorCode::InvalidAmount),
            (13, "reference", ErrorCode::BulkRowInvalid),
            (14, "execution_date", ErrorCode::BulkRowInvalid),
            (15, "account", ErrorCode::BulkRowInvalid),
        ]
    );
    assert_eq!(out.ignored_columns, ["district"]);
    let batch = &out.batch;
    assert_eq!(batch.len(), 4);
    let blocks: Vec<(&str, &str, &str, usize)> = batch
        .blocks
        .iter()
        .map(|b| (b.id.as_str(), b.currency.as_str(), b.execution_date.as_str(), b.payments.len()))
        .collect();
    assert_eq!(
        blocks,
        [
            ("SUBSIDY-2026-11-1", "EUR", "2026-12-01", 1),
            ("SUBSIDY-2026-11-2", "RWF", "2026-12-01", 2),
            ("SUBSIDY-2026-11-3", "RWF", "2026-12-15", 1),
        ]
    );
    assert_eq!(batch.blocks[1].control_sum().unwrap().to_string(), "23200");
    assert_eq!(
        batch.blocks[0].payments[0].beneficiary.account,
        Account::Iban("DE44500105175407324931".into())
    );
    assert_eq!(
        batch.blocks[2].payments[0].beneficiary.account,
        Account::Other { id: "W-8".into(), scheme: Some("WALLET".into()) }
    );
}

#[test]
fn ids_are_stable_across_runs_and_input_order() {
    let a = bulk::from_csv(CSV.as_bytes(), &config(), &CsvLimits::default()).unwrap();
    let b = bulk::from_csv(CSV.as_bytes(), &config(), &CsvLimits::default()).unwrap();
    assert_eq!(a.batch, b.batch);
    assert_eq!(a.batch.to_pain001_xml().unwrap(), b.batch.to_pain001_xml().unwrap());
    // Reversed input: the same beneficiary gets the same end-to-end id and UETR.
    let ben: Vec<Beneficiary> = a.batch.payments().map(|p| p.beneficiary.clone()).collect();
    let rev = bulk::build(&config(), ben.into_iter().rev().collect()).unwrap();
    for p in a.batch.payments() {
        let q = rev.batch.find(&p.end_to_end_id).unwrap();
        assert_eq!(q.beneficiary, p.beneficiary);
        assert_eq!(q.uetr, p.uetr);
    }
    // Another batch id gives other ids.
    let mut other = config();
    other.batch_id = "SUBSIDY-2026-12".into();
    let c = bulk::from_csv(CSV.as_bytes(), &other, &CsvLimits::default()).unwrap();
    assert!(c.batch.payments().all(|p| a.batch.find(&p.end_to_end_id).is_none()));
}

#[test]
fn pain001_is_xsd_valid_clean_and_round_trips() {
    let out = bulk::from_csv(CSV.as_bytes(), &config(), &CsvLimits::default()).unwrap();
    let msg = out.batch.to_pain001().unwrap();
    assert!(validate(&msg).is_empty());
    let xml = msg.document.to_xml().unwrap();
    if let Some(xsd) = common::xsd("pain.001.001.09") {
        common::xmllint(&xml, &xsd, "bulk-pain001.xml");
    }
    let back = iso::parse(xml.as_bytes(), &ParseOptions::default()).unwrap();
    assert_eq!(back.message.document, msg.document);
    let Document::Pain001(d) = &msg.document else { panic!() };
    let g = &d.cstmr_cdt_trf_initn.grp_hdr;
    assert_eq!((g.msg_id.as_str(), g.nb_of_txs.as_str()), ("SUBSIDY-2026-11", "4"));
    assert_eq!(g.ctrl_sum.unwrap().to_string(), "30212.50");
}

#[test]
fn govstack_json_matches_the_bulk_payment_schema() {
    let out = bulk::from_csv(CSV.as_bytes(), &config(), &CsvLimits::default()).unwrap();
    let body = out.batch.to_govstack_json().unwrap();
    let items = body.as_array().unwrap();
    assert_eq!(items.len(), 4);
    let spec = dpikit_testkit::read_vector_string("payments/govstack", "BulkPayment.openapi.yml");
    for item in items {
        let obj = item.as_object().unwrap();
        for key in ["requestId", "creditParty", "debitParty", "paymentMode", "amount", "currency"] {
            assert!(obj.contains_key(key), "{key}");
        }
        for key in obj.keys() {
            if let Some(spec) = &spec {
                assert!(spec.contains(&format!("{key}:")), "{key} is not in the GovStack spec");
            }
        }
        assert!(obj["requestId"].as_str().unwrap().len() <= 16);
        assert!(obj["currency"].as_str().unwrap().len() <= 3);
        assert!(obj["amount"].is_number());
        assert!(obj["descriptionText"].as_str().unwrap().len() <= 50);
    }
    assert_eq!(items[0]["creditParty"][0]["key"], "IBAN");
    assert_eq!(items[0]["amount"], 12.5);
    assert_eq!(items[1]["creditParty"][0]["value"], "+250788000001");
    assert_eq!(items[1]["debitParty"][0]["value"], "DE89370400440532013000");
}

#[test]
fn g2p_connect_json_matches_the_disburse_schema() {
    let out = bulk::from_csv(CSV.as_bytes(), &config(), &CsvLimits::default()).unwrap();
    let body = out.batch.to_g2p_connect_json("city-treasury").unwrap();
    let spec =
        dpikit_testkit::read_vector_string("payments/g2p-connect", "disburse_core_api_v1.0.0.yaml");
    let header = body["header"].as_object().unwrap();
    for key in ["message_id", "message_ts", "action", "sender_id", "total_count"] {
        assert!(header.contains_key(key), "{key}");
    }
    assert_eq!(header["total_count"], 4);
    assert_eq!(header["action"], "disburse");
    let ds = body["message"]["disbursements"].as_array().unwrap();
    let amount = regex_lite(r"^\d{1,13}\.\d{1,2}$");
    for d in ds {
        let obj = d.as_object().unwrap();
        for key in ["reference_id", "payer_fa", "payee_fa", "amount"] {
            assert!(obj.contains_key(key), "{key}");
        }
        for key in obj.keys() {
            if let Some(spec) = &spec {
                assert!(spec.contains(&format!("{key}:")), "{key} is not in the G2P Connect spec");
            }
        }
        assert!(amount(obj["amount"].as_str().unwrap()), "{}", obj["amount"]);
        assert!(obj["note"].as_str().unwrap().len() <= 99);
    }
    assert_eq!(ds[1]["payee_fa"], "msisdn:+250788000001@bank");
    assert_eq!(ds[1]["amount"], "20200.00");
    assert_eq!(ds[3]["payee_fa"], "wallet:W-8@bank");
    assert_eq!(ds[0]["payer_fa"], "iban:DE89370400440532013000@bank");
}

/// `^\d{1,13}\.\d{1,2}$` without a regex dependency in the tests.
fn regex_lite(_pattern: &str) -> impl Fn(&str) -> bool {
    |s: &str| {
        s.split_once('.').is_some_and(|(i, f)| {
            (1..=13).contains(&i.len())
                && (1..=2).contains(&f.len())
                && i.bytes().chain(f.bytes()).all(|b| b.is_ascii_digit())
        })
    }
}

#[test]
fn structural_csv_problems_are_errors() {
    let c = config();
    let l = CsvLimits::default();
    let code = |input: &[u8], l: &CsvLimits| bulk::from_csv(input, &c, l).unwrap_err().code();
    assert_eq!(code(b"id,name,account,amount,currency\n", &l), ErrorCode::BulkRowInvalid);
    assert_eq!(
        code(b"id,id,name,account,amount,currency,reference\n", &l),
        ErrorCode::BulkRowInvalid
    );
    assert_eq!(
        code(b"id,name,account,amount,currency,reference\n\xff,a,b,1,EUR,r\n", &l),
        ErrorCode::BulkRowInvalid
    );
    let small = CsvLimits { max_bytes: 10, ..l };
    assert_eq!(code(CSV.as_bytes(), &small), ErrorCode::BulkRowInvalid);
    let few = CsvLimits { max_rows: 2, ..l };
    assert_eq!(code(CSV.as_bytes(), &few), ErrorCode::BulkRowInvalid);
}

#[test]
fn bad_configuration_is_refused() {
    type Change = fn(&mut BatchConfig);
    let b = bulk::from_csv(CSV.as_bytes(), &config(), &CsvLimits::default()).unwrap();
    let ben: Vec<Beneficiary> = b.batch.payments().map(|p| p.beneficiary.clone()).collect();
    let cases: [(Change, ErrorCode); 5] = [
        (|c| c.batch_id = "X".repeat(31), ErrorCode::BatchInvalid),
        (|c| c.created_at = "yesterday".into(), ErrorCode::BatchInvalid),
        (|c| c.execution_date = "2026-13-01".into(), ErrorCode::BatchInvalid),
        (|c| c.debtor_agent_bic = Some("cobadeff".into()), ErrorCode::InvalidBic),
        (
            |c| c.debtor_account = Account::Iban("DE00370400440532013000".into()),
            ErrorCode::BatchInvalid,
        ),
    ];
    for (change, code) in cases {
        let mut c = config();
        change(&mut c);
        assert_eq!(bulk::build(&c, ben.clone()).unwrap_err().code(), code);
    }
    let empty = bulk::build(&config(), Vec::new()).unwrap();
    assert_eq!(empty.batch.to_pain001().unwrap_err().code(), ErrorCode::BatchInvalid);
}

#[test]
fn lossy_json_encodings_are_refused() {
    let ben = |amount: &str, currency: &str, reference: &str| Beneficiary {
        id: "A".into(),
        name: "N".into(),
        account: Account::parse("+250788000001"),
        amount: amount.parse().unwrap(),
        currency: currency.into(),
        reference: reference.into(),
        execution_date: None,
        provider: None,
    };
    let kwd = bulk::build(&config(), vec![ben("1.125", "KWD", "r")]).unwrap().batch;
    assert!(kwd.to_pain001().is_ok());
    assert_eq!(kwd.to_g2p_connect_json("s").unwrap_err().code(), ErrorCode::InvalidAmount);
    let spaced = bulk::build(&config(), vec![ben("1", "EUR", " r")]).unwrap();
    assert_eq!(spaced.errors[0].code, ErrorCode::BulkRowInvalid);
    assert_eq!(spaced.errors[0].column, "reference");
    let long = bulk::build(&config(), vec![ben("1", "EUR", &"r".repeat(60))]).unwrap().batch;
    assert_eq!(long.to_govstack_json().unwrap_err().code(), ErrorCode::BulkRowInvalid);
    assert!(long.to_g2p_connect_json("s").is_ok());
}
