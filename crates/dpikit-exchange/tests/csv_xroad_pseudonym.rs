//! CSV import (with the Smart Data Models flattenings), X-Road headers, pseudonyms.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::{DOMAIN, MODELS, sdm_base};
use dpikit_core::ErrorCode;
use dpikit_exchange::Registry;
use dpikit_exchange::csv_import::{CsvOptions, import_csv};
use dpikit_exchange::pseudonym::PseudonymKey;
use dpikit_exchange::registry::SchemaKey;
use dpikit_exchange::schemas;
use dpikit_exchange::xroad::{XRoadClient, XRoadService, message_id_header, parse_message_id};
use dpikit_testkit::read_vector;
use serde_json::Value;

#[test]
fn smart_data_models_csv_flattenings_import_as_their_examples() {
    let Some((mut registry, dir)) = sdm_base() else { return };
    for model in MODELS {
        let key = registry.register_file(dir.join(model).join("schema.json")).unwrap();
        let csv = read_vector(DOMAIN, &format!("{model}/examples/example.json.csv")).unwrap();
        let import = import_csv(&csv, &registry, &key, &CsvOptions::default()).unwrap();
        assert_eq!(import.rows.len(), 1, "{model}");
        let upstream: Value = serde_json::from_slice(
            &read_vector(DOMAIN, &format!("{model}/examples/example.json")).unwrap(),
        )
        .unwrap();
        let mut entity = import.entities[0].clone();
        if *model == "Streetlighting/Streetlight" {
            // The schema does not type deviceInfo.rfId, so its digits import as a number.
            assert_eq!(entity["deviceInfo"]["rfId"], 5_634_684);
            entity["deviceInfo"]["rfId"] = Value::String("5634684".into());
        }
        assert_eq!(entity, upstream, "{model}");
        // The per-row report agrees with validating example.json (PROVENANCE.md).
        let mut paths: Vec<&str> =
            import.rows[0].issues.iter().map(|i| i.instance_path.as_str()).collect();
        paths.sort_unstable();
        let expected: &[&str] = if *model == MODELS[0] { &["/dateObserved", "/tsp"] } else { &[] };
        assert_eq!(paths, expected, "{model}");
        assert_eq!(import.valid_entities().len(), usize::from(expected.is_empty()));
    }
}

#[test]
fn csv_rows_and_limits() {
    let registry = Registry::with_builtin().unwrap();
    let key = registry.resolve(schemas::SENSOR_OBSERVATION, None).unwrap();
    let csv = "id,dateObserved,location.type,location.coordinates.0,location.coordinates.1,temperature,refDevice\n\
               urn:ngsi-ld:SensorObservation:1,2026-03-01T10:00:00Z,Point,-9.1,38.7,14.2,urn:ngsi-ld:Device:1\n\
               urn:ngsi-ld:SensorObservation:2,yesterday,Point,-9.1,38.7,warm,\n\
               urn:ngsi-ld:SensorObservation:3,2026-03-01T10:00:00Z\n";
    let options =
        CsvOptions { default_type: Some("SensorObservation".into()), ..CsvOptions::default() };
    let import = import_csv(csv.as_bytes(), &registry, &key, &options).unwrap();
    assert_eq!(import.rows.len(), 3);
    assert!(import.rows[0].is_valid(), "{:?}", import.rows[0]);
    assert_eq!(import.entities[0]["type"], "SensorObservation");
    assert_eq!(import.entities[0]["location"]["coordinates"][1], 38.7);
    let mut bad: Vec<&str> =
        import.rows[1].issues.iter().map(|i| i.instance_path.as_str()).collect();
    bad.sort_unstable();
    assert_eq!(bad, ["/dateObserved", "/temperature"]);
    assert_eq!(import.rows[2].error, Some(ErrorCode::CsvInvalid));
    assert_eq!(import.rows[2].entity, None);
    assert_eq!(import.entities.len(), 2);
    assert_eq!(import.valid_entities().len(), 1);

    let code = |csv: &str, options: &CsvOptions| {
        import_csv(csv.as_bytes(), &registry, &key, options).unwrap_err().code()
    };
    let small = CsvOptions { max_bytes: 10, ..CsvOptions::default() };
    assert_eq!(code(csv, &small), ErrorCode::InputTooLarge);
    let narrow = CsvOptions { max_columns: 2, ..CsvOptions::default() };
    assert_eq!(code(csv, &narrow), ErrorCode::CsvInvalid);
    let short = CsvOptions { max_rows: 1, ..CsvOptions::default() };
    assert_eq!(code(csv, &short), ErrorCode::CsvInvalid);
    assert_eq!(code("x____y,b\n1,2\n", &CsvOptions::default()), ErrorCode::CsvInvalid);
    assert_eq!(code("a.99999\n1\n", &CsvOptions::default()), ErrorCode::CsvInvalid);
    assert_eq!(code("", &CsvOptions::default()), ErrorCode::CsvInvalid);
    // Two columns writing one member is a row error.
    let import = import_csv(b"a,a\n1,2\n", &registry, &key, &CsvOptions::default()).unwrap();
    assert_eq!(import.rows[0].error, Some(ErrorCode::CsvInvalid));
    let unknown = SchemaKey::new("https://nowhere.example/s.json", None);
    let err = import_csv(b"a\n1\n", &registry, &unknown, &CsvOptions::default()).unwrap_err();
    assert_eq!(err.code(), ErrorCode::SchemaNotFound);
}

#[test]
fn xroad_headers_round_trip_and_reject_malformed_values() {
    let member = XRoadClient::member("FI-TEST", "GOV", "0245437-2");
    assert_eq!(member.to_header().unwrap(), "FI-TEST/GOV/0245437-2");
    let client = member.clone().with_subsystem("sosiaali/tuki ä");
    let header = client.to_header().unwrap();
    assert_eq!(header, "FI-TEST/GOV/0245437-2/sosiaali%2Ftuki%20%C3%A4");
    assert_eq!(XRoadClient::parse(&header).unwrap(), client);
    assert_eq!(XRoadClient::parse("FI-TEST/GOV/0245437-2").unwrap(), member);
    let service = XRoadService::new(client.clone(), "getResident");
    let header = service.to_header().unwrap();
    assert_eq!(XRoadService::parse(&header).unwrap(), service);
    let no_subsystem = XRoadService::new(member, "getResident");
    assert_eq!(XRoadService::parse("FI-TEST/GOV/0245437-2/getResident").unwrap(), no_subsystem);
    for bad in ["", "EE", "EE/GOV", "EE//X", "EE/GOV/1/2/3", "EE/GOV/%FF"] {
        assert_eq!(XRoadClient::parse(bad).unwrap_err().code(), ErrorCode::InvalidXRoadId, "{bad}");
    }
    for bad in ["EE/GOV/1", "EE/GOV/1/a/b/c", "EE/GOV//svc"] {
        assert_eq!(
            XRoadService::parse(bad).unwrap_err().code(),
            ErrorCode::InvalidXRoadId,
            "{bad}"
        );
    }
    assert_eq!(
        XRoadClient::parse(&"a/".repeat(5000)).unwrap_err().code(),
        ErrorCode::InvalidXRoadId
    );
    assert_eq!(
        XRoadClient::member("EE", "", "1").to_header().unwrap_err().code(),
        ErrorCode::InvalidXRoadId
    );
    let id = "7f8a0e4c-2b71-4d0e-9a55-0c1b2d3e4f50";
    assert_eq!(message_id_header(id).unwrap(), id);
    assert_eq!(parse_message_id(&message_id_header("a b/c").unwrap()).unwrap(), "a b/c");
    assert_eq!(message_id_header("").unwrap_err().code(), ErrorCode::InvalidXRoadId);
    assert_eq!(parse_message_id("%C3").unwrap_err().code(), ErrorCode::InvalidXRoadId);
}

#[test]
fn pseudonyms_link_only_within_a_purpose() {
    let key_a = [0x11_u8; 32];
    let key_b = [0x22_u8; 32];
    let housing_1 = PseudonymKey::new("housing", &key_a).unwrap();
    let housing_2 = PseudonymKey::new("housing", &key_a).unwrap();
    let transport = PseudonymKey::new("transport", &key_b).unwrap();
    let same_key_other_purpose = PseudonymKey::new("transport", &key_a).unwrap();
    let id = "PT-123456789";
    assert_eq!(housing_1.pseudonym(id), housing_2.pseudonym(id));
    assert_ne!(housing_1.pseudonym(id), transport.pseudonym(id));
    assert_ne!(housing_1.pseudonym(id), same_key_other_purpose.pseudonym(id));
    assert_ne!(housing_1.pseudonym(id), housing_1.pseudonym("PT-123456780"));
    // psn: + 43 base64url characters (32 bytes).
    assert_eq!(housing_1.pseudonym(id).len(), 4 + 43);
    // Known answer, computed with Python's hmac: HMAC-SHA256(key, be32(len(purpose)) ||
    // purpose || id), base64url without padding.
    assert_eq!(housing_1.pseudonym(id), "psn:8mU71IPiw0h1KaQe2wVApZjI4SWPvX0XMERuayZjKjo");
    let debug = format!("{housing_1:?}");
    assert!(debug.contains("housing") && debug.contains("redacted") && !debug.contains("17"));
    assert_eq!(
        PseudonymKey::new("x", &[0; 31]).unwrap_err().code(),
        ErrorCode::InvalidPseudonymKey
    );
    assert_eq!(PseudonymKey::new("", &key_a).unwrap_err().code(), ErrorCode::InvalidPseudonymKey);
    let random = PseudonymKey::generate("housing").unwrap();
    assert_ne!(random.pseudonym(id), housing_1.pseudonym(id));
    assert_eq!(random.purpose(), "housing");
}
