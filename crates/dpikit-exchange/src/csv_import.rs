//! CSV → entities, with a per-row validation report.
//!
//! The header names each column's place in the entity: `a__b__0_` (the Smart Data Models
//! flattening: `__` between levels, a trailing `_`, numbers are array indexes) or `a.b.0`.
//! Cells are trimmed; an empty cell leaves its member out; `true`/`false` become booleans and
//! JSON numbers become numbers, except for `id`, `type` and members the schema types only as
//! strings (at any depth), which stay strings. Spaces between a delimiter and an opening quote (`"a", "b"`,
//! as the Smart Data Models CSV files have) are ignored. Each entity is validated against
//! the schema; a row that cannot be read is reported, not fatal.

use serde::Serialize;
use serde_json::{Map, Number, Value};

use dpikit_core::ErrorCode;

use crate::ngsi::AttributeKinds;
use crate::registry::{Registry, SchemaKey, ValidationIssue};
use crate::{ExchangeError, Result};

/// Limits and defaults for [`import_csv`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CsvOptions {
    /// The entity `type` to set when the file has no `type` column.
    pub default_type: Option<String>,
    /// Largest input, in bytes (default 16 MiB).
    pub max_bytes: usize,
    /// Most data rows (default 100 000).
    pub max_rows: usize,
    /// Most columns (default 1 024).
    pub max_columns: usize,
    /// Largest array index in a header (default 1 023).
    pub max_index: usize,
}

impl Default for CsvOptions {
    fn default() -> Self {
        CsvOptions {
            default_type: None,
            max_bytes: 16 << 20,
            max_rows: 100_000,
            max_columns: 1024,
            max_index: 1023,
        }
    }
}

/// What happened to one data row.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RowReport {
    /// The data row, 1-based (the header is row 0).
    pub row: usize,
    /// The entity id, when the row has one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    /// Index of the entity in [`CsvImport::entities`], when one was built.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub entity: Option<usize>,
    /// Validation issues of the entity.
    pub issues: Vec<ValidationIssue>,
    /// Why no entity could be built from the row.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error: Option<ErrorCode>,
    /// Detail of `error`, for people.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub detail: Option<String>,
}

impl RowReport {
    /// Returns whether the row gave a valid entity.
    #[must_use]
    pub fn is_valid(&self) -> bool {
        self.error.is_none() && self.issues.is_empty()
    }
}

/// The result of [`import_csv`].
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CsvImport {
    /// The entities built, valid or not, in row order.
    pub entities: Vec<Value>,
    /// One report per data row.
    pub rows: Vec<RowReport>,
}

impl CsvImport {
    /// Returns the entities that validated.
    #[must_use]
    pub fn valid_entities(&self) -> Vec<&Value> {
        self.rows
            .iter()
            .filter(|r| r.is_valid())
            .filter_map(|r| r.entity.and_then(|i| self.entities.get(i)))
            .collect()
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum Segment {
    Key(String),
    Index(usize),
}

fn parse_header(name: &str, options: &CsvOptions) -> Result<Vec<Segment>> {
    let name = name.trim();
    let parts: Vec<&str> = if name.contains("__") || name.ends_with('_') {
        name.strip_suffix('_').unwrap_or(name).split("__").collect()
    } else {
        name.split('.').collect()
    };
    let mut segments = Vec::with_capacity(parts.len());
    for (i, part) in parts.iter().enumerate() {
        if part.is_empty() {
            return Err(ExchangeError::CsvInvalid(format!("empty segment in column {name:?}")));
        }
        match part.parse::<usize>() {
            Ok(index) if i > 0 => {
                if index > options.max_index {
                    return Err(ExchangeError::CsvInvalid(format!(
                        "index {index} in column {name:?} exceeds {}",
                        options.max_index
                    )));
                }
                segments.push(Segment::Index(index));
            }
            _ => segments.push(Segment::Key((*part).to_owned())),
        }
    }
    Ok(segments)
}

/// Drops spaces between a delimiter and an opening quote, outside quoted fields.
fn normalize_quote_spacing(input: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(input.len());
    let mut in_quotes = false;
    let mut i = 0;
    while i < input.len() {
        let b = input[i];
        if b == b'"' {
            in_quotes = !in_quotes;
        }
        out.push(b);
        if b == b',' && !in_quotes {
            let mut j = i + 1;
            while j < input.len() && input[j] == b' ' {
                j += 1;
            }
            if j < input.len() && input[j] == b'"' {
                i = j;
                continue;
            }
        }
        i += 1;
    }
    out
}

fn coerce(cell: &str, keep_string: bool) -> Value {
    if keep_string {
        return Value::String(cell.to_owned());
    }
    match cell {
        "true" => Value::Bool(true),
        "false" => Value::Bool(false),
        _ => match serde_json::from_str::<Number>(cell) {
            Ok(n) => Value::Number(n),
            Err(_) => Value::String(cell.to_owned()),
        },
    }
}

fn insert(target: &mut Value, path: &[Segment], value: Value) -> core::result::Result<(), String> {
    let Some((first, rest)) = path.split_first() else {
        return Err("empty path".into());
    };
    let slot: &mut Value = match first {
        Segment::Key(k) => {
            let Value::Object(map) = target else {
                return Err(format!("{k:?} under a non-object"));
            };
            map.entry(k.clone()).or_insert(Value::Null)
        }
        Segment::Index(i) => {
            let Value::Array(items) = target else {
                return Err(format!("[{i}] under a non-array"));
            };
            if items.len() <= *i {
                items.resize(i + 1, Value::Null);
            }
            &mut items[*i]
        }
    };
    match rest.first() {
        None => {
            if !slot.is_null() {
                return Err("two columns write the same member".into());
            }
            *slot = value;
            Ok(())
        }
        Some(next) => {
            if slot.is_null() {
                *slot = match next {
                    Segment::Key(_) => Value::Object(Map::new()),
                    Segment::Index(_) => Value::Array(Vec::new()),
                };
            }
            insert(slot, rest, value)
        }
    }
}

/// Imports CSV rows as entities of schema `schema` and validates each one.
///
/// # Errors
///
/// [`dpikit_core::CoreError::InputTooLarge`]; [`ExchangeError::CsvInvalid`] for a bad or
/// missing header, too many columns or rows; [`ExchangeError::SchemaNotFound`] and the
/// other errors of [`Registry::validator`]. Problems with one row are in its
/// [`RowReport`].
///
/// # Examples
///
/// ```
/// use dpikit_exchange::{Registry, schemas};
/// use dpikit_exchange::csv_import::{import_csv, CsvOptions};
///
/// let registry = Registry::with_builtin()?;
/// let schema = registry.resolve(schemas::PAYMENT_STATUS, None)?;
/// let csv = "instructionId,status,statusAt\nPI-1,ACSC,2026-04-01T08:00:00Z\nPI-2,DONE,2026-04-01T08:00:00Z\n";
/// let import = import_csv(csv.as_bytes(), &registry, &schema, &CsvOptions::default())?;
/// assert_eq!(import.entities.len(), 2);
/// assert!(import.rows[0].is_valid());
/// assert_eq!(import.rows[1].issues[0].instance_path, "/status");
/// # Ok::<(), dpikit_exchange::ExchangeError>(())
/// ```
pub fn import_csv(
    input: &[u8],
    registry: &Registry,
    schema: &SchemaKey,
    options: &CsvOptions,
) -> Result<CsvImport> {
    if input.len() > options.max_bytes {
        return Err(dpikit_core::CoreError::InputTooLarge {
            size: input.len(),
            limit: options.max_bytes,
        }
        .into());
    }
    let schema = registry.resolve(&schema.id, schema.version.as_deref())?;
    registry.validator(&schema)?;
    let kinds = AttributeKinds::from_schema(registry, &schema)?;
    let input = normalize_quote_spacing(input);
    let mut reader = csv::ReaderBuilder::new().has_headers(true).from_reader(input.as_slice());
    let headers =
        reader.headers().map_err(|e| ExchangeError::CsvInvalid(format!("header: {e}")))?.clone();
    if headers.is_empty() || headers.iter().all(|h| h.trim().is_empty()) {
        return Err(ExchangeError::CsvInvalid("the file has no header".into()));
    }
    if headers.len() > options.max_columns {
        return Err(ExchangeError::CsvInvalid(format!(
            "{} columns; at most {}",
            headers.len(),
            options.max_columns
        )));
    }
    let paths: Vec<Vec<Segment>> =
        headers.iter().map(|h| parse_header(h, options)).collect::<Result<_>>()?;
    let has_type = paths.iter().any(|p| p.first() == Some(&Segment::Key("type".into())));
    let mut import = CsvImport { entities: Vec::new(), rows: Vec::new() };
    for (n, record) in reader.records().enumerate() {
        let row = n + 1;
        if row > options.max_rows {
            return Err(ExchangeError::CsvInvalid(format!("more than {} rows", options.max_rows)));
        }
        let mut report = RowReport {
            row,
            id: None,
            entity: None,
            issues: Vec::new(),
            error: None,
            detail: None,
        };
        let built = record.map_err(|e| e.to_string()).and_then(|record| {
            let mut entity = Value::Object(Map::new());
            for (path, cell) in paths.iter().zip(record.iter()) {
                let cell = cell.trim();
                if cell.is_empty() {
                    continue;
                }
                let member: Vec<&str> = path
                    .iter()
                    .filter_map(|s| match s {
                        Segment::Key(k) => Some(k.as_str()),
                        Segment::Index(_) => None,
                    })
                    .collect();
                let member = member.join("/");
                let keep_string = member == "id" || member == "type" || kinds.is_string(&member);
                insert(&mut entity, path, coerce(cell, keep_string))?;
            }
            if let (false, Some(t), Value::Object(map)) =
                (has_type, &options.default_type, &mut entity)
            {
                map.insert("type".to_owned(), Value::String(t.clone()));
            }
            Ok(entity)
        });
        match built {
            Ok(entity) => {
                report.id = entity.get("id").and_then(Value::as_str).map(str::to_owned);
                match registry.validate(&schema, &entity) {
                    Ok(r) => report.issues = r.issues,
                    Err(e) => {
                        report.error = Some(e.code());
                        report.detail = Some(e.to_string());
                    }
                }
                report.entity = Some(import.entities.len());
                import.entities.push(entity);
            }
            Err(detail) => {
                report.error = Some(ErrorCode::CsvInvalid);
                report.detail = Some(detail);
            }
        }
        import.rows.push(report);
    }
    Ok(import)
}
