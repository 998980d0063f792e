//! QR credentials: the PixelPass vectors both ways, sizes, capacity, and the loop from a
//! printed PNG back to a verification report.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use dpikit_core::ErrorCode;
use dpikit_core::encoding::hex_encode;
use dpikit_core::keys::KeyType;
use dpikit_credentials::di::{ProofOptions, add_proof};
use dpikit_credentials::jsonld::ContextStore;
use dpikit_credentials::qr::{
    Decoded, EcLevel, Payload, decode, decode_payload, encode, encode_json, fit, json_to_cbor,
    map_keys, measure, render_svg, verify_qr,
};
use dpikit_credentials::verify::Verifier;
use serde_json::{Value, json};

#[test]
fn pixelpass_vectors_encode_and_decode_exactly() {
    let Some(file) = common::vector_json("vc/pixelpass", "pixelpass-vectors.json") else {
        return;
    };
    let vectors = file["vectors"].as_array().unwrap();
    assert_eq!(vectors.len(), 4);
    let mut checked = 0;
    for v in vectors {
        if let Some(text) = v["input_text"].as_str() {
            let qr = v["qr_data"].as_str().unwrap();
            assert_eq!(hex_encode(text.as_bytes()), v["zlib_payload_hex"].as_str().unwrap());
            assert_eq!(encode(text.as_bytes()).unwrap(), qr);
            assert_eq!(decode(qr).unwrap(), text.as_bytes());
            assert_eq!(decode_payload(qr).unwrap(), Decoded::Text(text.to_owned()));
            checked += 1;
        } else if let Some(input) = v["input_json"].as_str() {
            let qr = v["qr_data"].as_str().unwrap();
            let value: Value = serde_json::from_str(input).unwrap();
            let cbor = json_to_cbor(&value).unwrap();
            assert_eq!(hex_encode(&cbor), v["zlib_payload_hex"].as_str().unwrap());
            assert_eq!(encode_json(&value, Payload::Cbor).unwrap(), qr);
            assert_eq!(decode(qr).unwrap(), cbor);
            assert_eq!(decode_payload(qr).unwrap(), Decoded::Cbor(value));
            checked += 1;
        } else if let Some(text) = v["decoded_text"].as_str() {
            let qr = v["qr_data"].as_str().unwrap();
            assert_eq!(decode_payload(qr).unwrap(), Decoded::Text(text.to_owned()));
            assert_eq!(encode(text.as_bytes()).unwrap(), qr);
            // JSON mode produces the same QR text from the parsed JSON.
            let value: Value = serde_json::from_str(text).unwrap();
            assert_eq!(encode_json(&value, Payload::Json).unwrap(), qr);
            checked += 1;
        } else {
            let mapper: Vec<(String, String)> = v["mapper"]
                .as_object()
                .unwrap()
                .iter()
                .map(|(k, m)| (k.clone(), m.as_str().unwrap().to_owned()))
                .collect();
            let pairs: Vec<(&str, &str)> =
                mapper.iter().map(|(a, b)| (a.as_str(), b.as_str())).collect();
            let mapped = map_keys(&v["getMappedData_input"], &pairs).unwrap();
            let cbor = json_to_cbor(&mapped).unwrap();
            assert_eq!(hex_encode(&cbor), v["expected_cbor_hex"].as_str().unwrap());
            checked += 1;
        }
    }
    assert_eq!(checked, 4);
}

#[test]
fn malformed_qr_text_is_typed() {
    for bad in ["", "a", "NCFKVPV0QSIP600GP5L", "NCF~", "GGW", "NCFKVPV0QSIP600GP5L1"] {
        assert_eq!(decode(bad).unwrap_err().code(), ErrorCode::QrDecodeFailed, "{bad:?}");
    }
    // A decompression bomb stops at the limit.
    let bomb = encode(&vec![0u8; 2 << 20]).unwrap();
    assert_eq!(decode(&bomb).unwrap_err().code(), ErrorCode::QrDecodeFailed);
    let report = verify_qr("not base45 ~", &Verifier::new());
    assert!(!report.verified);
    assert_eq!(report.error_codes(), vec![ErrorCode::QrDecodeFailed]);
    // Garbage inside a valid QR envelope fails verification with the credential's code.
    let report = verify_qr(&encode(b"{\"a\":1}").unwrap(), &Verifier::new());
    assert!(report.has_error(ErrorCode::MalformedCredential), "{}", report.to_json());
}

fn signed_resident() -> Value {
    let (did, signer) = common::issuer(KeyType::Ed25519);
    let vc = common::resident_credential(&did);
    add_proof(&vc, &signer, &ProofOptions::assertion("eddsa-jcs-2022"), &ContextStore::new())
        .unwrap()
}

#[test]
fn resident_credential_sizes() {
    let signed = signed_resident();
    let s = measure(&signed).unwrap();
    println!(
        "resident credential (eddsa-jcs-2022): JSON {} bytes; QR text from JSON {} chars; CBOR {} bytes; QR text from CBOR {} chars",
        s.json, s.qr_json, s.cbor, s.qr_cbor
    );
    let text = encode_json(&signed, Payload::Cbor).unwrap();
    for level in [EcLevel::L, EcLevel::M, EcLevel::Q, EcLevel::H] {
        let f = fit(&text, level).unwrap();
        println!(
            "  EC {level:?}: QR version {} ({} x {} modules), {} of {} characters",
            f.version, f.modules, f.modules, f.size, f.capacity
        );
    }
    assert!(s.cbor < s.json);
    assert!(s.qr_cbor <= s.qr_json);
    // Both fit one symbol at level M.
    assert!(fit(&encode_json(&signed, Payload::Cbor).unwrap(), EcLevel::M).is_ok());
    assert!(s.qr_cbor <= EcLevel::M.alphanumeric_capacity());
}

#[test]
fn both_modes_verify_and_tampering_is_caught() {
    let signed = signed_resident();
    for mode in [Payload::Cbor, Payload::Json] {
        let text = encode_json(&signed, mode).unwrap();
        let report = verify_qr(&text, &Verifier::new());
        assert!(report.verified, "{mode:?}: {}", report.to_json());
        let mut forged = signed.clone();
        forged["credentialSubject"]["incomeBand"] = json!("A1");
        let report = verify_qr(&encode_json(&forged, mode).unwrap(), &Verifier::new());
        assert!(report.has_error(ErrorCode::ProofInvalid), "{}", report.to_json());
    }
}

#[test]
fn too_large_for_one_symbol_says_by_how_much() {
    let mut signed = signed_resident();
    // Incompressible filler: fresh public keys, ~3.8 KB of random base58.
    let filler: String = (0..80)
        .map(|_| {
            dpikit_core::keys::KeyPair::generate(KeyType::Ed25519)
                .unwrap()
                .public_key()
                .to_multikey()
        })
        .collect();
    signed["credentialSubject"]["note"] = json!(filler);
    let text = encode_json(&signed, Payload::Cbor).unwrap();
    let err = fit(&text, EcLevel::H).unwrap_err();
    assert_eq!(err.code(), ErrorCode::QrCapacityExceeded);
    match err {
        dpikit_credentials::CredentialError::QrCapacityExceeded {
            size,
            capacity,
            over_by,
            level,
        } => {
            assert_eq!(size, text.len());
            assert_eq!(capacity, 1852);
            assert_eq!(over_by, size - 1852);
            assert_eq!(level, 'H');
        }
        other => panic!("{other:?}"),
    }
    assert_eq!(render_svg(&text, EcLevel::H).unwrap_err().code(), ErrorCode::QrCapacityExceeded);
}

#[test]
fn svg_renders() {
    let text = encode_json(&signed_resident(), Payload::Cbor).unwrap();
    let svg = render_svg(&text, EcLevel::M).unwrap();
    assert!(svg.contains("<svg") && svg.contains("</svg>"));
}

#[cfg(feature = "qr-image")]
#[test]
fn printed_png_decodes_and_verifies() {
    use dpikit_credentials::qr::{read_png, render_png};
    let signed = signed_resident();
    let text = encode_json(&signed, Payload::Cbor).unwrap();
    for level in [EcLevel::L, EcLevel::M] {
        let png = render_png(&text, level, 3).unwrap();
        let read = read_png(&png).unwrap();
        assert_eq!(read, text);
        let report = verify_qr(&read, &Verifier::new());
        assert!(report.verified, "{}", report.to_json());
        if level == EcLevel::M {
            let out = std::env::temp_dir().join("dpikit-resident-qr.png");
            std::fs::write(&out, &png).unwrap();
            println!("resident credential QR ({} bytes PNG): {}", png.len(), out.display());
        }
    }
    // Not a PNG; a truncated PNG.
    assert_eq!(read_png(b"not a png").unwrap_err().code(), ErrorCode::QrImageFailed);
    let mut img = render_png("A", EcLevel::L, 1).unwrap();
    img.truncate(40);
    assert_eq!(read_png(&img).unwrap_err().code(), ErrorCode::QrImageFailed);
}
