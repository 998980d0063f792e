//! Exchange: schema registration and validation, NGSI-LD, CSV import, signed envelopes.

use dpikit_core::jws::SignOptions;
use dpikit_core::keys::PublicKey;
use dpikit_core::time::parse_rfc3339;
use dpikit_core::{ErrorCode, Limits, parse_json};
use dpikit_exchange::csv_import::{CsvOptions, import_csv};
use dpikit_exchange::envelope::{self, EnvelopeBuilder, VerifyPolicy};
use dpikit_exchange::{Registry, ngsi, schemas};
use serde_json::{Value, json};

use crate::core_cases::{
    ed_key, flip_signature, forge, other_ed_key, p256_key, resign, sign, swap_payload,
};
use crate::{Case, Outcome, battery_cases, bytes, case, data, err, ok, param, repeat, text};

const T0: &str = "2026-04-01T08:00:01Z";

fn registry() -> Result<Registry, ErrorCode> {
    Registry::with_builtin().map_err(|e| e.code())
}

pub(crate) fn run(op: &str, input: &Value) -> Option<Outcome> {
    Some(match op {
        "schema.register" => data(input).and_then(|d| {
            let key = Registry::new().register_bytes(&d).map_err(|e| e.code())?;
            Ok(json!(key.to_dataschema()))
        }),
        "schema.validate" => data(input).and_then(|d| {
            let mut reg = Registry::new();
            let key = reg.register_str(param(input, "schema")?).map_err(|e| e.code())?;
            let report = reg.validate_bytes(&key, &d).map_err(|e| e.code())?;
            report.into_result().map(|()| json!(true)).map_err(|e| e.code())
        }),
        "ngsi.to_key_values" => data(input).and_then(|d| {
            let v = parse_json(&d, &Limits::default()).map_err(|e| e.code())?;
            ngsi::to_key_values(&v).map(|s| s.entity).map_err(|e| e.code())
        }),
        "csv.import" => data(input).and_then(|d| {
            let reg = registry()?;
            let key = reg.resolve(schemas::PAYMENT_STATUS, None).map_err(|e| e.code())?;
            let import =
                import_csv(&d, &reg, &key, &CsvOptions::default()).map_err(|e| e.code())?;
            Ok(json!({"entities": import.entities, "valid": import.valid_entities().len()}))
        }),
        "envelope.verify" => text(input).and_then(|t| {
            let key = PublicKey::from_multikey(param(input, "key")?).map_err(|e| e.code())?;
            let now = parse_rfc3339(param(input, "now")?).map_err(|e| e.code())?;
            let reg = registry()?;
            let v = envelope::verify(&t, None, &key, &reg, &VerifyPolicy::at(now))
                .map_err(|e| e.code())?;
            Ok(json!(v.envelope.data))
        }),
        _ => return None,
    })
}

pub(crate) fn cases() -> Vec<Case> {
    let mut out = Vec::new();
    schema_cases(&mut out);
    ngsi_cases(&mut out);
    csv_cases(&mut out);
    envelope_cases(&mut out);
    out
}

fn schema_cases(out: &mut Vec<Case>) {
    let op = "schema.register";
    let c = |id: &str, d: Value, expect| {
        case(&format!("exchange/{op}/{id}"), op, json!({"data": d}), expect)
    };
    let good = json!({"$schema": "https://json-schema.org/draft/2020-12/schema", "$id": "https://city.example/schemas/x", "type": "object"});
    out.push(c("control", json!(good.to_string()), ok(json!("https://city.example/schemas/x"))));
    out.extend(battery_cases("exchange/schema.register", op, &json!({}), |_, c| c));
    out.push(c("no-id", json!(r#"{"type": "object"}"#), err(ErrorCode::InvalidSchema)));
    let op = "schema.validate";
    let v = |id: &str, schema: &Value, d: Value, expect| {
        case(
            &format!("exchange/{op}/{id}"),
            op,
            json!({"schema": schema.to_string(), "data": d}),
            expect,
        )
    };
    // Registration stores the document; compiling (first validation) resolves `$ref`s and
    // regexes, offline.
    let compile = |id: &str, schema: &str, expect| {
        case(&format!("exchange/{op}/{id}"), op, json!({"schema": schema, "data": "{}"}), expect)
    };
    out.push(compile(
        "ref-remote-http",
        r#"{"$id": "https://city.example/s", "$ref": "https://attacker.example/s.json"}"#,
        err(ErrorCode::UnresolvedRef),
    ));
    out.push(compile(
        "ref-file-url",
        r#"{"$id": "https://city.example/s", "properties": {"a": {"$ref": "file:///etc/passwd"}}}"#,
        err(ErrorCode::UnresolvedRef),
    ));
    out.push(compile("ref-cycle", r##"{"$id": "https://city.example/s", "$defs": {"a": {"$ref": "#/$defs/b"}, "b": {"$ref": "#/$defs/a"}}, "$ref": "#/$defs/a"}"##, ok(json!(true))));
    out.push(compile(
        "type-not-a-type",
        r#"{"$id": "https://city.example/s", "type": "banana"}"#,
        err(ErrorCode::InvalidSchema),
    ));
    out.push(compile(
        "pattern-invalid-regex",
        r#"{"$id": "https://city.example/s", "pattern": "(unclosed"}"#,
        err(ErrorCode::InvalidSchema),
    ));
    out.push(compile(
        "nesting-30-allof",
        &format!(
            "{{\"$id\": \"https://city.example/s\", \"allOf\": [{}{}]}}",
            "{\"allOf\": [".repeat(30),
            "]}".repeat(30)
        ),
        err(ErrorCode::InvalidSchema),
    ));
    let redos =
        json!({"$id": "https://city.example/redos", "type": "string", "pattern": "^(a+)+$"});
    out.push(v(
        "regex-redos-pattern",
        &redos,
        json!(format!("\"{}!\"", "a".repeat(5000))),
        err(ErrorCode::ValidationFailed),
    ));
    let redos2 =
        json!({"$id": "https://city.example/redos2", "type": "string", "pattern": "^(a|a)*$"});
    out.push(v(
        "regex-redos-alternation",
        &redos2,
        json!(format!("\"{}b\"", "a".repeat(5000))),
        err(ErrorCode::ValidationFailed),
    ));
    let num = json!({"$id": "https://city.example/n", "type": "integer", "maximum": 100});
    out.push(v(
        "number-100-digits",
        &num,
        json!("9".repeat(100)),
        err(ErrorCode::ValidationFailed),
    ));
    out.push(v("number-control", &num, json!("42"), ok(json!(true))));
    let obj = json!({"$id": "https://city.example/o", "type": "object", "properties": {"a": {"type": "string"}}});
    out.push(v(
        "instance-duplicate-key",
        &obj,
        json!(r#"{"a": "x", "a": 1}"#),
        err(ErrorCode::DuplicateKey),
    ));
    out.push(v(
        "instance-nesting-10000",
        &obj,
        repeat(&[("{\"a\":", 10_000), ("1", 1), ("}", 10_000)]),
        err(ErrorCode::NestingTooDeep),
    ));
    out.push(v(
        "instance-size-50mib",
        &obj,
        repeat(&[("{\"a\": \"", 1), ("A", 50 << 20), ("\"}", 1)]),
        err(ErrorCode::InputTooLarge),
    ));
    out.push(v(
        "instance-lone-surrogate",
        &obj,
        json!(r#"{"a": "\udfff"}"#),
        err(ErrorCode::InvalidUtf8),
    ));
    out.push(v(
        "instance-invalid-utf8",
        &obj,
        bytes(b"{\"a\": \"\xc3\"}"),
        err(ErrorCode::InvalidUtf8),
    ));
}

fn ngsi_cases(out: &mut Vec<Case>) {
    let op = "ngsi.to_key_values";
    let c = |id: &str, d: Value, expect| {
        case(&format!("exchange/{op}/{id}"), op, json!({"data": d.to_string()}), expect)
    };
    let a = "urn:ngsi-ld:Building:a";
    let b = "urn:ngsi-ld:Building:b";
    out.push(c(
        "control",
        json!({"id": a, "type": "Building", "name": {"type": "Property", "value": "Town hall"}}),
        ok(json!({"id": a, "type": "Building", "name": "Town hall"})),
    ));
    // Relationships are references, never followed: cycles convert in bounded time.
    out.push(c(
        "cyclic-self-relationship",
        json!({"id": a, "type": "Building", "partOf": {"type": "Relationship", "object": a}}),
        ok(json!({"id": a, "type": "Building", "partOf": a})),
    ));
    out.push(c(
        "cyclic-two-entities",
        json!({"id": a, "type": "Building", "next": {"type": "Relationship", "object": [b, a, b]}}),
        ok(json!({"id": a, "type": "Building", "next": [b, a, b]})),
    ));
    out.push(c("cyclic-relationship-of-relationship", json!({"id": a, "type": "Building", "r": {"type": "Relationship", "object": b, "r": {"type": "Relationship", "object": a, "r": {"type": "Relationship", "object": b}}}}), ok(json!({"id": a, "type": "Building", "r": b}))));
    let mut deep = json!({"type": "Relationship", "object": a});
    for _ in 0..70 {
        deep = json!({"type": "Relationship", "object": a, "r": deep});
    }
    out.push(c(
        "relationship-nesting-70",
        json!({"id": a, "type": "Building", "r": deep}),
        err(ErrorCode::NestingTooDeep),
    ));
    out.push(c("no-id", json!({"type": "Building"}), err(ErrorCode::NgsiInvalid)));
    out.push(c(
        "attribute-without-kind",
        json!({"id": a, "type": "Building", "x": {"value": 1}}),
        err(ErrorCode::NgsiInvalid),
    ));
    out.push(c(
        "relationship-without-object",
        json!({"id": a, "type": "Building", "r": {"type": "Relationship"}}),
        err(ErrorCode::NgsiInvalid),
    ));
    out.push(c(
        "value-100-digits",
        json!({"id": a, "type": "Building", "n": {"type": "Property", "value": 1}})
            .to_string()
            .replace("\"value\":1", &format!("\"value\":{}", "9".repeat(100)))
            .parse::<Value>()
            .unwrap_or(Value::Null),
        ok(json!({"id": a, "type": "Building", "n": 1e100})),
    ));
    out.extend(battery_cases("exchange/ngsi.to_key_values", op, &json!({}), |_, c| c));
}

fn csv_cases(out: &mut Vec<Case>) {
    let op = "csv.import";
    let c = |id: &str, d: Value, expect| {
        case(&format!("exchange/{op}/{id}"), op, json!({"data": d}), expect)
    };
    let header = "instructionId,status,statusAt\n";
    out.push(c("control", json!(format!("{header}PI-1,ACSC,2026-04-01T08:00:00Z\n")), ok(json!({"entities": [{"instructionId": "PI-1", "status": "ACSC", "statusAt": "2026-04-01T08:00:00Z"}], "valid": 1}))));
    // CSV injection: cells are data, kept verbatim; the schema decides (its id pattern
    // refuses `=` and `"`).
    for (id, cell, valid) in [
        ("csv-injection-equals", "=HYPERLINK(\"http://attacker.example\")", 0),
        ("csv-injection-plus", "+cmd|' /C calc'!A0", 1),
        ("csv-injection-at", "@SUM(1+1)", 1),
    ] {
        out.push(c(id, json!(format!("{header}\"{}\",ACSC,2026-04-01T08:00:00Z\n", cell.replace('"', "\"\""))), ok(json!({"entities": [{"instructionId": cell, "status": "ACSC", "statusAt": "2026-04-01T08:00:00Z"}], "valid": valid}))));
    }
    out.push(c(
        "unbalanced-quote",
        json!(format!("{header}\"PI-1,ACSC,2026-04-01T08:00:00Z\n")),
        ok(json!({"entities": [], "valid": 0})),
    ));
    out.push(c(
        "invalid-utf8",
        bytes(&[header.as_bytes(), b"PI-\xff,ACSC,2026-04-01T08:00:00Z\n"].concat()),
        ok(json!({"entities": [], "valid": 0})),
    ));
    out.push(c(
        "size-50mib",
        repeat(&[(header, 1), ("PI-1,ACSC,2026-04-01T08:00:00Z\n", (50 << 20) / 31)]),
        err(ErrorCode::InputTooLarge),
    ));
    out.push(c(
        "columns-100000",
        repeat(&[("a", 1), (",a", 100_000), ("\n", 1)]),
        err(ErrorCode::CsvInvalid),
    ));
    out.push(c(
        "header-path-index-huge",
        json!("items[99999999999].id\nx\n"),
        ok(json!({"entities": [{"items[99999999999]": {"id": "x"}}], "valid": 0})),
    ));
    out.push(c("empty", json!(""), err(ErrorCode::CsvInvalid)));
}

fn envelope_cases(out: &mut Vec<Case>) {
    let ed = ed_key();
    let key = json!(ed.public_key().to_multikey());
    let Ok(reg) = registry() else { return };
    let Ok(schema) = reg.resolve(schemas::PAYMENT_STATUS, Some("1.0.0")) else { return };
    let Ok(t) = parse_rfc3339(T0) else { return };
    let data =
        json!({"instructionId": "PI-1", "status": "ACSC", "statusAt": "2026-04-01T08:00:00Z"});
    let Ok(env) = EnvelopeBuilder::new(
        "https://treasury.city.example",
        "org.dpikit.PaymentStatus",
        schema,
        data.clone(),
    )
    .id("urn:uuid:0b7c1e2a-6a3e-4f6c-9a0e-4d8f3b2a1c55")
    .time(t)
    .build(&reg) else {
        return;
    };
    let Ok(signed) = envelope::sign(&env, &ed, false) else { return };
    let token = signed.token;
    let op = "envelope.verify";
    let c = |id: &str, tok: String, now: &str, k: &Value, expect| {
        case(&format!("exchange/{op}/{id}"), op, json!({"data": tok, "key": k, "now": now}), expect)
    };
    out.push(c("control", token.clone(), T0, &key, ok(data.clone())));
    out.push(c(
        "tampered-signature",
        flip_signature(&token),
        T0,
        &key,
        err(ErrorCode::EnvelopeSignatureInvalid),
    ));
    let other = json!(other_ed_key().public_key().to_multikey());
    out.push(c("wrong-key", token.clone(), T0, &other, err(ErrorCode::EnvelopeSignatureInvalid)));
    let p = json!(p256_key().public_key().to_multikey());
    out.push(c("alg-key-confusion", token.clone(), T0, &p, err(ErrorCode::AlgKeyMismatch)));
    let Ok(bytes_) = env.to_bytes() else { return };
    let mut tampered: Value = serde_json::from_slice(&bytes_).unwrap_or_default();
    tampered["data"]["status"] = json!("RJCT");
    out.push(c(
        "tampered-payload",
        swap_payload(&token, tampered.to_string().as_bytes()),
        T0,
        &key,
        err(ErrorCode::EnvelopeSignatureInvalid),
    ));
    out.push(c(
        "alg-none",
        forge(&json!({"alg": "none"}), &bytes_, b""),
        T0,
        &key,
        err(ErrorCode::AlgNone),
    ));
    out.push(c(
        "expired",
        token.clone(),
        "2026-04-01T09:00:00Z",
        &key,
        err(ErrorCode::EnvelopeExpired),
    ));
    out.push(c(
        "not-yet-valid",
        token.clone(),
        "2026-04-01T07:00:00Z",
        &key,
        err(ErrorCode::EnvelopeNotYetValid),
    ));
    // The real header (typ and cty of an envelope), re-signed over changed payloads.
    let h: Value = token
        .split('.')
        .next()
        .and_then(|s| dpikit_core::encoding::b64url_decode(s).ok())
        .and_then(|b| serde_json::from_slice(&b).ok())
        .unwrap_or_default();
    let mut bad = tampered.clone();
    bad["data"]["status"] = json!("NOT-A-STATUS");
    out.push(c(
        "data-fails-schema-resigned",
        resign(&h, bad.to_string().as_bytes(), &ed),
        T0,
        &key,
        err(ErrorCode::ValidationFailed),
    ));
    let mut unknown = tampered.clone();
    unknown["dataschema"] = json!("https://attacker.example/schema.json");
    out.push(c(
        "dataschema-unknown-resigned",
        resign(&h, unknown.to_string().as_bytes(), &ed),
        T0,
        &key,
        err(ErrorCode::SchemaNotFound),
    ));
    let mut personal = tampered.clone();
    personal["personaldata"] = json!(true);
    out.push(c(
        "personal-data-without-consent",
        resign(&h, personal.to_string().as_bytes(), &ed),
        T0,
        &key,
        err(ErrorCode::ConsentRequired),
    ));
    out.push(c(
        "payload-duplicate-key",
        resign(&h, br#"{"id":"a","id":"b"}"#, &ed),
        T0,
        &key,
        err(ErrorCode::DuplicateKey),
    ));
    out.push(c(
        "payload-nesting-10000",
        resign(&h, format!("{}{}", "[".repeat(10_000), "]".repeat(10_000)).as_bytes(), &ed),
        T0,
        &key,
        err(ErrorCode::NestingTooDeep),
    ));
    out.push(c(
        "payload-not-an-envelope",
        sign(b"{}", &ed, &SignOptions::default()),
        T0,
        &key,
        err(ErrorCode::MalformedEnvelope),
    ));
    out.push(c(
        "segments-two",
        format!("{}{}", "eyJhbGciOiJFZERTQSJ9.", "A".repeat(16)),
        T0,
        &key,
        err(ErrorCode::MalformedJws),
    ));
    out.push(case(&format!("exchange/{op}/token-50mib"), op, json!({"data": repeat(&[("eyJhbGciOiJFZERTQSJ9.", 1), ("A", 50 << 20), (".AAAA", 1)]), "key": key, "now": T0}), err(ErrorCode::InputTooLarge)));
}
