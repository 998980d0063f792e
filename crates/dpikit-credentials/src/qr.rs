//! Credentials as QR codes, in the PixelPass scheme that MOSIP Inji uses: the payload
//! (JSON text, or JSON as CBOR) is compressed with zlib at level 9 and written in base45
//! (RFC 9285), whose 45 characters are exactly the QR alphanumeric set.
//!
//! - [`encode`] / [`decode`]: bytes ↔ QR text; [`encode_json`] with [`Payload::Cbor`] for the
//!   compact binary mode; [`decode_payload`] tells CBOR from text as PixelPass does.
//! - [`render_svg`], and with the default `qr-image` feature [`render_png`] /
//!   [`read_png`]; [`fit`] reports by how much a payload misses one QR symbol.
//! - [`verify_qr`]: from QR text to a [`VerificationReport`], offline.
//!
//! # Examples
//!
//! ```
//! use dpikit_credentials::qr::{decode, encode};
//! let text = encode(b"hello")?;
//! assert_eq!(text, "NCFKVPV0QSIP600GP5L0"); // PixelPass's own test vector
//! assert_eq!(decode(&text)?, b"hello");
//! # Ok::<(), dpikit_credentials::CredentialError>(())
//! ```

use std::io::{Read as _, Write as _};

use ciborium::value::Value as Cbor;
use flate2::Compression;
use flate2::read::ZlibDecoder;
use flate2::write::ZlibEncoder;
use serde_json::{Map, Number, Value};

use dpikit_core::json::parse_json;

use crate::model::CREDENTIAL_LIMITS;
use crate::report::VerificationReport;
use crate::verify::Verifier;
use crate::{CredentialError, Result};

/// The base45 alphabet (RFC 9285 §4), the QR alphanumeric character set.
pub const BASE45_ALPHABET: &[u8; 45] = b"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ $%*+-./:";
/// Largest decompressed payload accepted by [`decode`]: 1 MiB.
pub const MAX_DECOMPRESSED_BYTES: usize = 1 << 20;
/// Largest QR text accepted by [`decode`]: 64 KiB (a QR symbol holds at most 4296).
pub const MAX_QR_TEXT_BYTES: usize = 64 * 1024;
/// Deepest nesting accepted when converting CBOR to JSON.
const MAX_CBOR_DEPTH: usize = 32;

fn decode_err(why: impl Into<String>) -> CredentialError {
    CredentialError::QrDecodeFailed(why.into())
}

/// Encodes bytes as base45 (RFC 9285).
///
/// # Examples
///
/// ```
/// use dpikit_credentials::qr::base45_encode;
/// assert_eq!(base45_encode(b"AB"), "BB8"); // RFC 9285 §4.3
/// assert_eq!(base45_encode(b"Hello!!"), "%69 VD92EX0");
/// ```
#[must_use]
pub fn base45_encode(bytes: &[u8]) -> String {
    let mut out = String::with_capacity(bytes.len().div_ceil(2) * 3);
    let mut push = |n: usize| out.push(char::from(BASE45_ALPHABET[n % 45]));
    for chunk in bytes.chunks(2) {
        match *chunk {
            [a, b] => {
                let n = usize::from(a) * 256 + usize::from(b);
                push(n);
                push(n / 45);
                push(n / 2025);
            }
            [a] => {
                let n = usize::from(a);
                push(n);
                push(n / 45);
            }
            _ => {}
        }
    }
    out
}

/// Decodes base45 text (RFC 9285).
///
/// # Errors
///
/// [`CredentialError::QrDecodeFailed`] for a character outside the alphabet, a dangling
/// single character, or a group whose value exceeds its byte count.
///
/// # Examples
///
/// ```
/// use dpikit_credentials::qr::base45_decode;
/// assert_eq!(base45_decode("QED8WEX0")?, b"ietf!");
/// assert!(base45_decode("GGW").is_err()); // 65536 + … does not fit two bytes
/// # Ok::<(), dpikit_credentials::CredentialError>(())
/// ```
pub fn base45_decode(text: &str) -> Result<Vec<u8>> {
    let values =
        text.bytes()
            .map(|c| {
                BASE45_ALPHABET.iter().position(|&a| a == c).ok_or_else(|| {
                    decode_err(format!("{:?} is not a base45 character", char::from(c)))
                })
            })
            .collect::<Result<Vec<usize>>>()?;
    let mut out = Vec::with_capacity(values.len() / 3 * 2 + 1);
    for group in values.chunks(3) {
        match *group {
            [c, d, e] => {
                let n = c + d * 45 + e * 2025;
                let pair =
                    u16::try_from(n).map_err(|_| decode_err("base45 group exceeds 65535"))?;
                out.extend_from_slice(&pair.to_be_bytes());
            }
            [c, d] => {
                let n = c + d * 45;
                out.push(u8::try_from(n).map_err(|_| decode_err("base45 tail exceeds 255"))?);
            }
            _ => return Err(decode_err("base45 length leaves a single character")),
        }
    }
    Ok(out)
}

/// Encodes bytes as PixelPass QR text: zlib (level 9), then base45.
///
/// # Errors
///
/// [`CredentialError::QrDecodeFailed`] only if the compressor fails (it does not for
/// in-memory data).
///
/// # Examples
///
/// See the [module documentation](self).
pub fn encode(bytes: &[u8]) -> Result<String> {
    let mut z = ZlibEncoder::new(Vec::new(), Compression::best());
    z.write_all(bytes).map_err(|e| decode_err(format!("zlib: {e}")))?;
    let compressed = z.finish().map_err(|e| decode_err(format!("zlib: {e}")))?;
    Ok(base45_encode(&compressed))
}

/// Decodes PixelPass QR text to the payload bytes: base45, then zlib.
///
/// # Errors
///
/// [`CredentialError::QrDecodeFailed`] for bad base45, bad zlib data, text over
/// [`MAX_QR_TEXT_BYTES`] or a payload over [`MAX_DECOMPRESSED_BYTES`].
///
/// # Examples
///
/// See the [module documentation](self).
pub fn decode(text: &str) -> Result<Vec<u8>> {
    if text.len() > MAX_QR_TEXT_BYTES {
        return Err(decode_err(format!("QR text of {} bytes is over the limit", text.len())));
    }
    let compressed = base45_decode(text)?;
    let mut out = Vec::new();
    let limit = u64::try_from(MAX_DECOMPRESSED_BYTES + 1).unwrap_or(u64::MAX);
    ZlibDecoder::new(compressed.as_slice())
        .take(limit)
        .read_to_end(&mut out)
        .map_err(|e| decode_err(format!("zlib: {e}")))?;
    if out.len() > MAX_DECOMPRESSED_BYTES {
        return Err(decode_err("decompressed payload is over 1 MiB"));
    }
    Ok(out)
}

/// How a JSON payload is put in the QR code.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Payload {
    /// The JSON text as given (bytes unchanged).
    Json,
    /// JSON converted to CBOR first (PixelPass's default for JSON; smaller).
    #[default]
    Cbor,
}

/// Returns whether `key` is a JavaScript array index (`"0"`, `"17"`, not `"017"`), which
/// JavaScript objects order first, numerically.
fn is_js_index(key: &str) -> Option<u32> {
    if key.is_empty() || key.len() > 10 || (key.len() > 1 && key.starts_with('0')) {
        return None;
    }
    key.parse::<u32>().ok().filter(|n| *n != u32::MAX)
}

/// Orders object members as a JavaScript object does (array-index keys first, ascending;
/// then the rest in insertion order), so that CBOR matches PixelPass (which encodes a
/// parsed JavaScript object) byte for byte.
fn js_order(map: &Map<String, Value>) -> Vec<(&String, &Value)> {
    let mut index: Vec<(u32, (&String, &Value))> =
        map.iter().filter_map(|(k, v)| is_js_index(k).map(|n| (n, (k, v)))).collect();
    index.sort_by_key(|(n, _)| *n);
    index
        .into_iter()
        .map(|(_, kv)| kv)
        .chain(map.iter().filter(|(k, _)| is_js_index(k).is_none()))
        .collect()
}

fn to_cbor(value: &Value) -> Cbor {
    match value {
        Value::Null => Cbor::Null,
        Value::Bool(b) => Cbor::Bool(*b),
        Value::Number(n) => {
            if let Some(i) = n.as_i64() {
                Cbor::Integer(i.into())
            } else if let Some(u) = n.as_u64() {
                Cbor::Integer(u.into())
            } else {
                let f = n.as_f64().unwrap_or(f64::NAN);
                // JavaScript has one number type: an integral value within the safe
                // range is encoded as a CBOR integer.
                #[allow(clippy::cast_possible_truncation)] // checked: integral and in range
                if f.fract() == 0.0 && f.abs() < 9_007_199_254_740_992.0 {
                    Cbor::Integer((f as i64).into())
                } else {
                    Cbor::Float(f)
                }
            }
        }
        Value::String(s) => Cbor::Text(s.clone()),
        Value::Array(a) => Cbor::Array(a.iter().map(to_cbor).collect()),
        Value::Object(m) => Cbor::Map(
            js_order(m).into_iter().map(|(k, v)| (Cbor::Text(k.clone()), to_cbor(v))).collect(),
        ),
    }
}

/// Converts JSON to CBOR (RFC 8949) as PixelPass does: maps with text keys in JavaScript
/// object order, integral numbers as integers, other numbers as the shortest exact float.
///
/// # Errors
///
/// [`CredentialError::QrDecodeFailed`] if the CBOR writer fails (it does not for in-memory
/// data).
///
/// # Examples
///
/// ```
/// use dpikit_credentials::qr::json_to_cbor;
/// let cbor = json_to_cbor(&serde_json::json!({"temp": 15}))?;
/// assert_eq!(cbor, [0xa1, 0x64, b't', b'e', b'm', b'p', 0x0f]);
/// # Ok::<(), dpikit_credentials::CredentialError>(())
/// ```
pub fn json_to_cbor(value: &Value) -> Result<Vec<u8>> {
    let mut out = Vec::new();
    ciborium::into_writer(&to_cbor(value), &mut out)
        .map_err(|e| decode_err(format!("CBOR: {e}")))?;
    Ok(out)
}

fn cbor_key(key: Cbor) -> Result<String> {
    match key {
        Cbor::Text(s) => Ok(s),
        Cbor::Integer(i) => Ok(i128::from(i).to_string()),
        _ => Err(decode_err("a CBOR map key is neither text nor an integer")),
    }
}

fn from_cbor(value: Cbor, depth: usize) -> Result<Value> {
    if depth > MAX_CBOR_DEPTH {
        return Err(decode_err("CBOR nested too deeply"));
    }
    Ok(match value {
        Cbor::Null => Value::Null,
        Cbor::Bool(b) => Value::Bool(b),
        Cbor::Integer(i) => {
            let i = i128::from(i);
            if let Ok(n) = i64::try_from(i) {
                n.into()
            } else if let Ok(n) = u64::try_from(i) {
                n.into()
            } else {
                return Err(decode_err("CBOR integer out of the JSON range"));
            }
        }
        Cbor::Float(f) => Value::Number(
            Number::from_f64(f).ok_or_else(|| decode_err("CBOR float is not finite"))?,
        ),
        Cbor::Text(s) => Value::String(s),
        Cbor::Bytes(b) => Value::String(dpikit_core::encoding::b64url_encode(&b)),
        Cbor::Tag(_, inner) => from_cbor(*inner, depth + 1)?,
        Cbor::Array(a) => {
            Value::Array(a.into_iter().map(|v| from_cbor(v, depth + 1)).collect::<Result<_>>()?)
        }
        Cbor::Map(m) => {
            let mut out = Map::new();
            for (k, v) in m {
                let key = cbor_key(k)?;
                if out.insert(key.clone(), from_cbor(v, depth + 1)?).is_some() {
                    return Err(decode_err(format!("CBOR map repeats the key {key:?}")));
                }
            }
            Value::Object(out)
        }
        _ => return Err(decode_err("unsupported CBOR value")),
    })
}

/// Converts CBOR to JSON: text or integer map keys, byte strings as base64url text, tags
/// dropped. The whole input must be one CBOR item.
///
/// # Errors
///
/// [`CredentialError::QrDecodeFailed`] for malformed or trailing data, non-finite floats,
/// integers beyond 64 bits, repeated keys, nesting deeper than 32.
///
/// # Examples
///
/// ```
/// use dpikit_credentials::qr::{cbor_to_json, json_to_cbor};
/// let v = serde_json::json!({"name": "Zoë", "household": 4});
/// assert_eq!(cbor_to_json(&json_to_cbor(&v)?)?, v);
/// # Ok::<(), dpikit_credentials::CredentialError>(())
/// ```
pub fn cbor_to_json(bytes: &[u8]) -> Result<Value> {
    let mut rest = bytes;
    let value: Cbor = ciborium::de::from_reader_with_recursion_limit(&mut rest, MAX_CBOR_DEPTH * 2)
        .map_err(|e| decode_err(format!("CBOR: {e}")))?;
    if !rest.is_empty() {
        return Err(decode_err("trailing bytes after the CBOR item"));
    }
    from_cbor(value, 0)
}

/// Renames the top-level members of a JSON object with `mapper` (PixelPass
/// `getMappedData`): members not in the mapper keep their name; the result has JavaScript
/// object order (so `{"1":…,"2":…}` comes out sorted as PixelPass's does).
///
/// # Errors
///
/// [`CredentialError::QrDecodeFailed`] when `data` is not an object.
///
/// # Examples
///
/// ```
/// use dpikit_credentials::qr::map_keys;
/// use serde_json::json;
/// let mapped = map_keys(&json!({"name": "Jhon", "id": "207"}), &[("id", "1"), ("name", "2")])?;
/// assert_eq!(serde_json::to_string(&mapped).unwrap(), r#"{"1":"207","2":"Jhon"}"#);
/// # Ok::<(), dpikit_credentials::CredentialError>(())
/// ```
pub fn map_keys(data: &Value, mapper: &[(&str, &str)]) -> Result<Value> {
    let Value::Object(map) = data else {
        return Err(decode_err("mapped data must be a JSON object"));
    };
    let mut renamed = Map::new();
    for (k, v) in map {
        let key = mapper.iter().find(|(from, _)| from == k).map_or(k.as_str(), |(_, to)| to);
        renamed.insert(key.to_owned(), v.clone());
    }
    Ok(Value::Object(js_order(&renamed).into_iter().map(|(k, v)| (k.clone(), v.clone())).collect()))
}

/// Encodes a JSON payload as QR text, as its JSON text or as CBOR.
///
/// # Errors
///
/// As [`encode`] and [`json_to_cbor`]; serialization errors as
/// [`CredentialError::MalformedCredential`].
///
/// # Examples
///
/// ```
/// use dpikit_credentials::qr::{encode_json, Payload};
/// let text = encode_json(&serde_json::json!({"temp": 15}), Payload::Cbor)?;
/// assert_eq!(text, "NCF3QBXJA5NJRCOC004 QN4"); // PixelPass's own test vector
/// # Ok::<(), dpikit_credentials::CredentialError>(())
/// ```
pub fn encode_json(value: &Value, payload: Payload) -> Result<String> {
    let bytes = match payload {
        Payload::Json => serde_json::to_vec(value)
            .map_err(|e| CredentialError::MalformedCredential(e.to_string()))?,
        Payload::Cbor => json_to_cbor(value)?,
    };
    encode(&bytes)
}

/// A decoded QR payload.
#[derive(Debug, Clone, PartialEq)]
pub enum Decoded {
    /// The payload was CBOR; here as JSON.
    Cbor(Value),
    /// The payload was text (JSON text, a JWT, anything else).
    Text(String),
}

/// Decodes QR text and, as PixelPass does, reads the payload as CBOR when it is exactly one
/// CBOR item, and as UTF-8 text otherwise.
///
/// # Errors
///
/// As [`decode`]; [`CredentialError::QrDecodeFailed`] when the payload is neither CBOR nor
/// UTF-8.
///
/// # Examples
///
/// ```
/// use dpikit_credentials::qr::{decode_payload, Decoded};
/// let d = decode_payload("NCFWTL$PPB$PN$AWGAE%5UW5A%ADFAHR9 IE:GG6ZJJCL2.AJKAMHA100+8S.1")?;
/// assert_eq!(d, Decoded::Text(r#"{"name":"Steve","id":"1","l_name":"jobs"}"#.into()));
/// # Ok::<(), dpikit_credentials::CredentialError>(())
/// ```
pub fn decode_payload(text: &str) -> Result<Decoded> {
    let bytes = decode(text)?;
    if let Ok(v) = cbor_to_json(&bytes) {
        // A lone CBOR text string or number is more likely text that happens to parse.
        if v.is_object() || v.is_array() {
            return Ok(Decoded::Cbor(v));
        }
    }
    String::from_utf8(bytes)
        .map(Decoded::Text)
        .map_err(|_| decode_err("payload is neither CBOR nor UTF-8"))
}

/// Sizes of one JSON payload in the QR pipeline, in bytes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct QrSizes {
    /// The JSON text (compact serialization).
    pub json: usize,
    /// QR text of the JSON text (zlib + base45).
    pub qr_json: usize,
    /// The CBOR encoding.
    pub cbor: usize,
    /// QR text of the CBOR (zlib + base45).
    pub qr_cbor: usize,
}

/// Measures a JSON payload as JSON, as CBOR, and as QR text in both modes.
///
/// # Errors
///
/// As [`encode_json`].
///
/// # Examples
///
/// ```
/// use dpikit_credentials::qr::measure;
/// let s = measure(&serde_json::json!({"temp": 15}))?;
/// assert_eq!((s.json, s.cbor, s.qr_cbor), (11, 7, 23));
/// # Ok::<(), dpikit_credentials::CredentialError>(())
/// ```
pub fn measure(value: &Value) -> Result<QrSizes> {
    let json = serde_json::to_vec(value)
        .map_err(|e| CredentialError::MalformedCredential(e.to_string()))?;
    let cbor = json_to_cbor(value)?;
    Ok(QrSizes {
        json: json.len(),
        qr_json: encode(&json)?.len(),
        cbor: cbor.len(),
        qr_cbor: encode(&cbor)?.len(),
    })
}

/// QR error-correction level.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum EcLevel {
    /// ~7 % of the symbol can be restored.
    L,
    /// ~15 % (the default).
    #[default]
    M,
    /// ~25 %.
    Q,
    /// ~30 %.
    H,
}

impl EcLevel {
    /// Returns the most alphanumeric characters (base45 text) one QR symbol (version 40)
    /// holds at this level.
    #[must_use]
    pub const fn alphanumeric_capacity(self) -> usize {
        match self {
            EcLevel::L => 4296,
            EcLevel::M => 3391,
            EcLevel::Q => 2420,
            EcLevel::H => 1852,
        }
    }

    /// Returns the level's letter.
    #[must_use]
    pub const fn letter(self) -> char {
        match self {
            EcLevel::L => 'L',
            EcLevel::M => 'M',
            EcLevel::Q => 'Q',
            EcLevel::H => 'H',
        }
    }

    const fn to_qrcode(self) -> qrcode::EcLevel {
        match self {
            EcLevel::L => qrcode::EcLevel::L,
            EcLevel::M => qrcode::EcLevel::M,
            EcLevel::Q => qrcode::EcLevel::Q,
            EcLevel::H => qrcode::EcLevel::H,
        }
    }
}

/// How QR text fits one symbol.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct QrFit {
    /// The QR version chosen (1–40).
    pub version: i16,
    /// Modules per side.
    pub modules: usize,
    /// Length of the text in characters.
    pub size: usize,
    /// The most characters one symbol holds at this level.
    pub capacity: usize,
}

/// Checks that `text` fits one QR symbol at `level` and says which version it needs.
///
/// # Errors
///
/// [`CredentialError::QrCapacityExceeded`] with the size, the capacity and the excess when
/// the text does not fit one symbol.
///
/// # Examples
///
/// ```
/// use dpikit_credentials::qr::{fit, EcLevel};
/// use dpikit_core::ErrorCode;
/// assert!(fit("NCFKVPV0QSIP600GP5L0", EcLevel::H).is_ok());
/// let err = fit(&"A".repeat(2000), EcLevel::H).unwrap_err();
/// assert_eq!(err.code(), ErrorCode::QrCapacityExceeded);
/// ```
pub fn fit(text: &str, level: EcLevel) -> Result<QrFit> {
    let code = symbol(text, level)?;
    let version = match code.version() {
        qrcode::Version::Normal(v) | qrcode::Version::Micro(v) => v,
    };
    Ok(QrFit {
        version,
        modules: code.width(),
        size: text.len(),
        capacity: level.alphanumeric_capacity(),
    })
}

fn symbol(text: &str, level: EcLevel) -> Result<qrcode::QrCode> {
    let capacity = level.alphanumeric_capacity();
    let too_large = || CredentialError::QrCapacityExceeded {
        size: text.len(),
        capacity,
        over_by: text.len().saturating_sub(capacity),
        level: level.letter(),
    };
    if text.len() > capacity {
        return Err(too_large());
    }
    qrcode::QrCode::with_error_correction_level(text.as_bytes(), level.to_qrcode()).map_err(|e| {
        match e {
            qrcode::types::QrError::DataTooLong => too_large(),
            other => CredentialError::QrImageFailed(other.to_string()),
        }
    })
}

/// Renders `text` as an SVG QR code at `level` (4-module quiet zone).
///
/// # Errors
///
/// As [`fit`].
///
/// # Examples
///
/// ```
/// use dpikit_credentials::qr::{render_svg, EcLevel};
/// let svg = render_svg("NCFKVPV0QSIP600GP5L0", EcLevel::M)?;
/// assert!(svg.starts_with("<?xml"));
/// # Ok::<(), dpikit_credentials::CredentialError>(())
/// ```
pub fn render_svg(text: &str, level: EcLevel) -> Result<String> {
    let code = symbol(text, level)?;
    Ok(code
        .render::<qrcode::render::svg::Color<'_>>()
        .quiet_zone(true)
        .min_dimensions(256, 256)
        .build())
}

/// Renders `text` as a greyscale PNG QR code at `level`, `module_px` pixels per module,
/// with a 4-module quiet zone.
///
/// # Errors
///
/// As [`fit`]; [`CredentialError::QrImageFailed`] if PNG encoding fails or `module_px` is
/// 0 or over 64.
///
/// # Examples
///
/// ```
/// use dpikit_credentials::qr::{read_png, render_png, EcLevel};
/// let png = render_png("NCFKVPV0QSIP600GP5L0", EcLevel::Q, 4)?;
/// assert_eq!(read_png(&png)?, "NCFKVPV0QSIP600GP5L0");
/// # Ok::<(), dpikit_credentials::CredentialError>(())
/// ```
#[cfg(feature = "qr-image")]
pub fn render_png(text: &str, level: EcLevel, module_px: u32) -> Result<Vec<u8>> {
    let image_err = |e: &dyn std::fmt::Display| CredentialError::QrImageFailed(e.to_string());
    if module_px == 0 || module_px > 64 {
        return Err(CredentialError::QrImageFailed("module_px must be 1..=64".into()));
    }
    let code = symbol(text, level)?;
    let colors = code.to_colors();
    let modules = code.width();
    let quiet = 4usize;
    let scale = module_px as usize;
    let side = (modules + 2 * quiet) * scale;
    let mut pixels = vec![255u8; side * side];
    for (i, color) in colors.iter().enumerate() {
        if *color == qrcode::Color::Dark {
            let (mx, my) = (i % modules + quiet, i / modules + quiet);
            for y in my * scale..(my + 1) * scale {
                pixels[y * side + mx * scale..y * side + (mx + 1) * scale].fill(0);
            }
        }
    }
    let side_u32 = u32::try_from(side).map_err(|e| image_err(&e))?;
    let mut out = Vec::new();
    {
        let mut encoder = png::Encoder::new(&mut out, side_u32, side_u32);
        encoder.set_color(png::ColorType::Grayscale);
        encoder.set_depth(png::BitDepth::Eight);
        let mut writer = encoder.write_header().map_err(|e| image_err(&e))?;
        writer.write_image_data(&pixels).map_err(|e| image_err(&e))?;
        writer.finish().map_err(|e| image_err(&e))?;
    }
    Ok(out)
}

/// Reads the text of the first QR code found in a PNG image.
///
/// # Errors
///
/// [`CredentialError::QrImageFailed`] for an unreadable PNG or one over 8192 × 8192;
/// [`CredentialError::QrDecodeFailed`] when no QR code decodes.
///
/// # Examples
///
/// See [`render_png`].
#[cfg(feature = "qr-image")]
pub fn read_png(png_bytes: &[u8]) -> Result<String> {
    let image_err = |e: &dyn std::fmt::Display| CredentialError::QrImageFailed(e.to_string());
    let mut decoder = png::Decoder::new(std::io::Cursor::new(png_bytes));
    decoder.set_transformations(png::Transformations::EXPAND | png::Transformations::STRIP_16);
    let mut reader = decoder.read_info().map_err(|e| image_err(&e))?;
    let (w, h) = {
        let info = reader.info();
        (info.width as usize, info.height as usize)
    };
    if w == 0 || h == 0 || w > 8192 || h > 8192 {
        return Err(CredentialError::QrImageFailed(format!("image of {w} × {h} pixels")));
    }
    let size = reader
        .output_buffer_size()
        .ok_or_else(|| CredentialError::QrImageFailed("image too large".into()))?;
    let mut buf = vec![0u8; size];
    let info = reader.next_frame(&mut buf).map_err(|e| image_err(&e))?;
    let channels = match info.color_type {
        png::ColorType::Grayscale => 1,
        png::ColorType::GrayscaleAlpha => 2,
        png::ColorType::Rgb => 3,
        png::ColorType::Rgba => 4,
        png::ColorType::Indexed => {
            return Err(CredentialError::QrImageFailed("indexed colour after expansion".into()));
        }
    };
    let line = info.line_size;
    let luma = |x: usize, y: usize| -> u8 {
        let at = y * line + x * channels;
        match channels {
            1 | 2 => buf.get(at).copied().unwrap_or(255),
            _ => {
                let px = buf.get(at..at + 3).unwrap_or(&[255, 255, 255]);
                let sum = u16::from(px[0]) * 3 + u16::from(px[1]) * 6 + u16::from(px[2]);
                u8::try_from(sum / 10).unwrap_or(255)
            }
        }
    };
    let mut prepared = rqrr::PreparedImage::prepare_from_greyscale(w, h, luma);
    for grid in prepared.detect_grids() {
        if let Ok((_, content)) = grid.decode() {
            return Ok(content);
        }
    }
    Err(decode_err("no QR code found in the image"))
}

/// Decodes QR text and verifies the credential in it, offline: a JSON credential (from
/// CBOR or text) with its Data Integrity proofs, or a `vc+jwt`.
///
/// The report's first check, `qr`, says how the payload was read; a QR text that does not
/// decode gives a report with one failed `qr` check.
///
/// # Examples
///
/// ```
/// use dpikit_core::jws::WithKeyId;
/// use dpikit_core::keys::{KeyPair, KeyType};
/// use dpikit_credentials::di::{add_proof, ProofOptions};
/// use dpikit_credentials::jsonld::ContextStore;
/// use dpikit_credentials::model::CredentialBuilder;
/// use dpikit_credentials::qr::{encode_json, verify_qr, Payload};
/// use dpikit_credentials::verify::Verifier;
/// use serde_json::json;
///
/// let key = KeyPair::generate(KeyType::Ed25519)?;
/// let city = dpikit_core::did::did_key(&key.public_key());
/// let signer = WithKeyId { kid: dpikit_core::did::did_key_verification_method(&key.public_key()), signer: key };
/// let vc = CredentialBuilder::new(&city).subject(json!({"id": "did:example:r-1", "residentOf": "Springfield"})).build()?;
/// let signed = add_proof(&vc.to_value(), &signer, &ProofOptions::assertion("eddsa-jcs-2022"), &ContextStore::new())?;
/// let text = encode_json(&signed, Payload::Cbor)?;
/// assert!(verify_qr(&text, &Verifier::new()).verified);
/// # Ok::<(), dpikit_credentials::CredentialError>(())
/// ```
#[must_use]
pub fn verify_qr(text: &str, verifier: &Verifier) -> VerificationReport {
    let fail = |e: &CredentialError| {
        let mut report = VerificationReport::default();
        report.fail("qr", e);
        report
    };
    let decoded = match decode_payload(text.trim()) {
        Ok(d) => d,
        Err(e) => return fail(&e),
    };
    let mut report = VerificationReport::default();
    match decoded {
        Decoded::Cbor(value) => {
            report.pass("qr", "CBOR payload");
            report.absorb("credential", verifier.verify_credential(&value));
        }
        Decoded::Text(t) => {
            if t.trim_start().starts_with('{') {
                match parse_json(t.as_bytes(), &CREDENTIAL_LIMITS) {
                    Ok(v) => {
                        report.pass("qr", "JSON payload");
                        report.absorb("credential", verifier.verify_credential(&v));
                    }
                    Err(e) => return fail(&e.into()),
                }
            } else {
                report.pass("qr", "text payload (JWT)");
                report.absorb("credential", verifier.verify_credential_jwt(t.trim()));
            }
        }
    }
    report
}
