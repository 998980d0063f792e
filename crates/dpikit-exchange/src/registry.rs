//! An offline, versioned JSON Schema registry with cached compiled validators.
//!
//! Schemas are keyed by `$id` and version (the `$schemaVersion` member Smart Data Models
//! use, or none); several versions of one `$id` live side by side, and an alias makes one
//! schema known under a second URI. Every `$ref` is resolved from the registry only: a `$ref`
//! to a URI that is not registered is [`ExchangeError::UnresolvedRef`], never a fetch (the
//! `jsonschema` crate is built with `default-features = false`, so it has no network code).
//! A `$ref` to an `$id` resolves to the highest registered version of that `$id`.
//!
//! Validation uses JSON Schema draft 2020-12 unless the schema's `$schema` says otherwise,
//! with format assertions on, and reports every issue as (instance path, schema path,
//! keyword, message).

use std::collections::{BTreeMap, HashMap};
use std::fmt;
use std::path::Path;
use std::sync::{Arc, Mutex, PoisonError, RwLock};

use jsonschema::{Retrieve, Uri, Validator};
use serde::Serialize;
use serde_json::Value;

use dpikit_core::json::{Limits, parse_json};

use crate::{ExchangeError, Result};

/// Limits for schema documents: 4 MiB, depth 64.
pub const SCHEMA_LIMITS: Limits = Limits { max_bytes: 4 << 20, max_depth: 64 };

/// The member that marks a dpikit schema whose instances carry personal data.
pub const PERSONAL_DATA_KEYWORD: &str = "x-dpikit-personal-data";

/// Most files [`Registry::register_dir`] reads.
const MAX_DIR_FILES: usize = 10_000;

/// The identity of a registered schema: its `$id` and, when it declares one, its version.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
pub struct SchemaKey {
    /// The schema's `$id`.
    pub id: String,
    /// The schema's `$schemaVersion`, if any.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub version: Option<String>,
}

impl SchemaKey {
    /// Creates a key.
    pub fn new(id: impl Into<String>, version: Option<&str>) -> Self {
        SchemaKey { id: id.into(), version: version.map(str::to_owned) }
    }

    /// Returns the CloudEvents `dataschema` value: the `$id`, followed by `?version=<v>`
    /// when the schema has a version.
    ///
    /// # Examples
    ///
    /// ```
    /// use dpikit_exchange::registry::SchemaKey;
    /// let key = SchemaKey::new("https://example.org/s.json", Some("1.0.0"));
    /// assert_eq!(key.to_dataschema(), "https://example.org/s.json?version=1.0.0");
    /// assert_eq!(SchemaKey::from_dataschema(&key.to_dataschema()), key);
    /// ```
    #[must_use]
    pub fn to_dataschema(&self) -> String {
        match &self.version {
            Some(v) => format!("{}?version={v}", self.id),
            None => self.id.clone(),
        }
    }

    /// Parses a `dataschema` value written by [`SchemaKey::to_dataschema`].
    #[must_use]
    pub fn from_dataschema(text: &str) -> Self {
        match text.rsplit_once("?version=") {
            Some((id, v)) if !v.is_empty() => SchemaKey::new(id, Some(v)),
            _ => SchemaKey::new(text, None),
        }
    }
}

impl fmt::Display for SchemaKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.to_dataschema())
    }
}

/// One validation failure.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ValidationIssue {
    /// JSON Pointer to the failing part of the instance (`""` for the root).
    pub instance_path: String,
    /// JSON Pointer to the failing keyword in the schema.
    pub schema_path: String,
    /// The failing keyword (`type`, `required`, `format`, …).
    pub code: String,
    /// Explanation for people.
    pub message: String,
}

/// The outcome of validating one instance.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ValidationReport {
    /// The schema the instance was validated against.
    pub schema: SchemaKey,
    /// Every issue found; empty when the instance is valid.
    pub issues: Vec<ValidationIssue>,
}

impl ValidationReport {
    /// Returns whether the instance is valid.
    #[must_use]
    pub fn is_valid(&self) -> bool {
        self.issues.is_empty()
    }

    /// Turns an invalid report into [`ExchangeError::ValidationFailed`].
    ///
    /// # Errors
    ///
    /// [`ExchangeError::ValidationFailed`] when there are issues.
    pub fn into_result(self) -> Result<()> {
        if self.issues.is_empty() {
            Ok(())
        } else {
            Err(ExchangeError::ValidationFailed { issues: self.issues })
        }
    }
}

#[derive(Debug, Clone)]
struct Entry {
    document: Arc<Value>,
    personal_data: bool,
}

/// An offline registry of JSON Schemas.
///
/// # Examples
///
/// ```
/// use dpikit_exchange::Registry;
/// use serde_json::json;
///
/// let mut registry = Registry::new();
/// let key = registry.register_str(r#"{
///     "$id": "https://example.org/point.json", "$schemaVersion": "1.0.0",
///     "type": "object", "required": ["x"], "properties": {"x": {"type": "number"}}
/// }"#)?;
/// assert!(registry.validate(&key, &json!({"x": 1}))?.is_valid());
/// let report = registry.validate(&key, &json!({"x": "one"}))?;
/// assert_eq!(report.issues[0].instance_path, "/x");
/// assert_eq!(report.issues[0].code, "type");
/// # Ok::<(), dpikit_exchange::ExchangeError>(())
/// ```
pub struct Registry {
    schemas: BTreeMap<String, BTreeMap<VersionOrd, Entry>>,
    aliases: BTreeMap<String, String>,
    /// Compiled validators, under the key each was asked for (so that a repeated call skips
    /// resolution) and under the key it resolved to (so that two ways of naming one schema
    /// share one compilation). A key with a `#fragment` is resolved each time and not cached
    /// under its own name, or an attacker's fragments could grow the cache without bound.
    cache: RwLock<HashMap<SchemaKey, Arc<Compiled>, foldhash::fast::RandomState>>,
    instance_limits: Limits,
}

/// A resolved key and its compiled validator.
#[derive(Debug)]
struct Compiled {
    resolved: SchemaKey,
    validator: Arc<Validator>,
}

impl fmt::Debug for Registry {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Registry")
            .field("schemas", &self.keys())
            .field("aliases", &self.aliases)
            .finish_non_exhaustive()
    }
}

impl Default for Registry {
    fn default() -> Self {
        Registry::new()
    }
}

/// A version ordered numerically by its dot-separated parts (`0.10.0` > `0.9.1`); no
/// version sorts first.
#[derive(Debug, Clone, PartialEq, Eq)]
struct VersionOrd(Option<String>);

impl Ord for VersionOrd {
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        fn parts(v: &str) -> Vec<(u64, &str)> {
            v.split(['.', '-', '+']).map(|p| (p.parse::<u64>().unwrap_or(u64::MAX), p)).collect()
        }
        match (&self.0, &other.0) {
            (None, None) => std::cmp::Ordering::Equal,
            (None, Some(_)) => std::cmp::Ordering::Less,
            (Some(_), None) => std::cmp::Ordering::Greater,
            (Some(a), Some(b)) => parts(a).cmp(&parts(b)),
        }
    }
}

impl PartialOrd for VersionOrd {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

impl Registry {
    /// Creates an empty registry.
    #[must_use]
    pub fn new() -> Self {
        Registry {
            schemas: BTreeMap::new(),
            aliases: BTreeMap::new(),
            cache: RwLock::new(HashMap::default()),
            instance_limits: Limits::default(),
        }
    }

    /// Creates a registry holding dpikit's own data-exchange schemas
    /// ([`crate::schemas::BUILTIN`]).
    ///
    /// # Errors
    ///
    /// None in practice: the built-in schemas are tested; an error here is a bug.
    ///
    /// # Examples
    ///
    /// ```
    /// use dpikit_exchange::{Registry, schemas};
    /// let registry = Registry::with_builtin()?;
    /// let key = registry.resolve(schemas::SERVICE_REQUEST, None)?;
    /// assert_eq!(key.version.as_deref(), Some("1.0.0"));
    /// # Ok::<(), dpikit_exchange::ExchangeError>(())
    /// ```
    pub fn with_builtin() -> Result<Self> {
        let mut registry = Registry::new();
        for schema in crate::schemas::BUILTIN {
            registry.register_str(schema.json)?;
        }
        Ok(registry)
    }

    /// Sets the limits applied to instances read from bytes (default 1 MiB, depth 64).
    #[must_use]
    pub fn with_instance_limits(mut self, limits: Limits) -> Self {
        self.instance_limits = limits;
        self
    }

    /// Returns the limits applied to instances.
    #[must_use]
    pub fn instance_limits(&self) -> Limits {
        self.instance_limits
    }

    /// Registers a schema from JSON text (bounded intake, [`SCHEMA_LIMITS`]).
    ///
    /// # Errors
    ///
    /// JSON intake errors; [`ExchangeError::InvalidSchema`] when the document is not an
    /// object with a string `$id`; [`ExchangeError::DuplicateSchema`] when another document
    /// is registered under the same `$id` and version (the same document again is accepted).
    pub fn register_str(&mut self, text: &str) -> Result<SchemaKey> {
        self.register_bytes(text.as_bytes())
    }

    /// Registers a schema from JSON bytes, as [`Registry::register_str`].
    ///
    /// # Errors
    ///
    /// As [`Registry::register_str`].
    pub fn register_bytes(&mut self, bytes: &[u8]) -> Result<SchemaKey> {
        let value = parse_json(bytes, &SCHEMA_LIMITS)?;
        self.register_value(value)
    }

    /// Registers a schema document already parsed.
    ///
    /// # Errors
    ///
    /// As [`Registry::register_str`], plus [`dpikit_core::CoreError::NestingTooDeep`] for a
    /// document deeper than [`SCHEMA_LIMITS`].
    pub fn register_value(&mut self, document: Value) -> Result<SchemaKey> {
        check_depth(&document, SCHEMA_LIMITS.max_depth)?;
        let Some(obj) = document.as_object() else {
            return Err(ExchangeError::InvalidSchema("a schema must be a JSON object".into()));
        };
        let Some(id) = obj.get("$id").and_then(Value::as_str) else {
            return Err(ExchangeError::InvalidSchema("the schema has no string $id".into()));
        };
        let id = strip_fragment(id).to_owned();
        if id.is_empty() {
            return Err(ExchangeError::InvalidSchema("the schema's $id is empty".into()));
        }
        let version = match obj.get("$schemaVersion") {
            None => None,
            Some(Value::String(v)) if !v.is_empty() => Some(v.clone()),
            Some(_) => {
                return Err(ExchangeError::InvalidSchema(
                    "$schemaVersion must be a non-empty string".into(),
                ));
            }
        };
        let personal_data = obj.get(PERSONAL_DATA_KEYWORD) == Some(&Value::Bool(true));
        let key = SchemaKey { id: id.clone(), version: version.clone() };
        let versions = self.schemas.entry(id).or_default();
        if let Some(existing) = versions.get(&VersionOrd(version.clone())) {
            if *existing.document == document {
                return Ok(key);
            }
            return Err(ExchangeError::DuplicateSchema(key.to_string()));
        }
        versions.insert(VersionOrd(version), Entry { document: Arc::new(document), personal_data });
        self.clear_cache();
        Ok(key)
    }

    /// Registers a schema from a file.
    ///
    /// # Errors
    ///
    /// [`ExchangeError::InvalidSchema`] when the file cannot be read; otherwise as
    /// [`Registry::register_str`].
    pub fn register_file(&mut self, path: impl AsRef<Path>) -> Result<SchemaKey> {
        let path = path.as_ref();
        let meta = std::fs::metadata(path)
            .map_err(|e| ExchangeError::InvalidSchema(format!("{}: {e}", path.display())))?;
        let size = usize::try_from(meta.len()).unwrap_or(usize::MAX);
        if size > SCHEMA_LIMITS.max_bytes {
            return Err(dpikit_core::CoreError::InputTooLarge {
                size,
                limit: SCHEMA_LIMITS.max_bytes,
            }
            .into());
        }
        let bytes = std::fs::read(path)
            .map_err(|e| ExchangeError::InvalidSchema(format!("{}: {e}", path.display())))?;
        self.register_bytes(&bytes)
    }

    /// Registers every `*.json` file directly inside `dir`, in file-name order.
    ///
    /// # Errors
    ///
    /// [`ExchangeError::InvalidSchema`] when the directory cannot be read or holds more than
    /// 10 000 files; the first error of [`Registry::register_file`].
    pub fn register_dir(&mut self, dir: impl AsRef<Path>) -> Result<Vec<SchemaKey>> {
        let dir = dir.as_ref();
        let read_err =
            |e: std::io::Error| ExchangeError::InvalidSchema(format!("{}: {e}", dir.display()));
        let mut files = Vec::new();
        for entry in std::fs::read_dir(dir).map_err(read_err)? {
            let path = entry.map_err(read_err)?.path();
            if path.is_file() && path.extension().is_some_and(|e| e == "json") {
                files.push(path);
                if files.len() > MAX_DIR_FILES {
                    return Err(ExchangeError::InvalidSchema(format!(
                        "{} holds more than {MAX_DIR_FILES} files",
                        dir.display()
                    )));
                }
            }
        }
        files.sort();
        files.iter().map(|f| self.register_file(f)).collect()
    }

    /// Makes the schema registered as `id` also known as `alias` (for `$ref` and lookups).
    ///
    /// # Errors
    ///
    /// [`ExchangeError::SchemaNotFound`] when `id` is not registered;
    /// [`ExchangeError::DuplicateSchema`] when `alias` is already a registered `$id`.
    pub fn add_alias(&mut self, alias: &str, id: &str) -> Result<()> {
        let id = self.canonical_id(strip_fragment(id));
        if !self.schemas.contains_key(&id) {
            return Err(ExchangeError::SchemaNotFound(id));
        }
        let alias = strip_fragment(alias).to_owned();
        if self.schemas.contains_key(&alias) {
            return Err(ExchangeError::DuplicateSchema(alias));
        }
        self.aliases.insert(alias, id);
        self.clear_cache();
        Ok(())
    }

    /// Returns every registered key, sorted.
    #[must_use]
    pub fn keys(&self) -> Vec<SchemaKey> {
        self.schemas
            .iter()
            .flat_map(|(id, versions)| {
                versions.keys().map(|v| SchemaKey { id: id.clone(), version: v.0.clone() })
            })
            .collect()
    }

    fn canonical_id(&self, id: &str) -> String {
        self.aliases.get(id).cloned().unwrap_or_else(|| id.to_owned())
    }

    /// Finds a registered schema by `$id` (or alias) and version; without a version, the
    /// highest registered one.
    ///
    /// # Errors
    ///
    /// [`ExchangeError::SchemaNotFound`].
    pub fn resolve(&self, id: &str, version: Option<&str>) -> Result<SchemaKey> {
        let id = self.canonical_id(strip_fragment(id));
        let versions =
            self.schemas.get(&id).ok_or_else(|| ExchangeError::SchemaNotFound(id.clone()))?;
        let found = match version {
            Some(v) => versions.get_key_value(&VersionOrd(Some(v.to_owned()))),
            None => versions.iter().next_back(),
        };
        let (v, _) = found.ok_or_else(|| {
            ExchangeError::SchemaNotFound(SchemaKey::new(id.clone(), version).to_string())
        })?;
        Ok(SchemaKey { id, version: v.0.clone() })
    }

    fn entry(&self, key: &SchemaKey) -> Result<&Entry> {
        let resolved = self.resolve(&key.id, key.version.as_deref())?;
        self.schemas
            .get(&resolved.id)
            .and_then(|v| v.get(&VersionOrd(resolved.version.clone())))
            .ok_or_else(|| ExchangeError::SchemaNotFound(key.to_string()))
    }

    /// Returns the schema document registered under `key`.
    ///
    /// # Errors
    ///
    /// [`ExchangeError::SchemaNotFound`].
    pub fn document(&self, key: &SchemaKey) -> Result<Arc<Value>> {
        Ok(Arc::clone(&self.entry(key)?.document))
    }

    /// Returns the document a `$ref` base URI (no fragment) resolves to: the highest version
    /// of that `$id` or alias.
    #[must_use]
    pub fn document_by_uri(&self, uri: &str) -> Option<Arc<Value>> {
        let id = self.canonical_id(strip_fragment(uri));
        self.schemas.get(&id).and_then(|v| v.values().next_back()).map(|e| Arc::clone(&e.document))
    }

    /// Returns whether the schema marks its instances as personal data
    /// (`"x-dpikit-personal-data": true`).
    ///
    /// # Errors
    ///
    /// [`ExchangeError::SchemaNotFound`].
    pub fn is_personal_data(&self, key: &SchemaKey) -> Result<bool> {
        Ok(self.entry(key)?.personal_data)
    }

    fn clear_cache(&self) {
        self.cache.write().unwrap_or_else(PoisonError::into_inner).clear();
    }

    /// Compiles (or returns the cached) validator for `key`.
    ///
    /// # Errors
    ///
    /// [`ExchangeError::SchemaNotFound`]; [`ExchangeError::UnresolvedRef`] for a `$ref` to a
    /// URI not in the registry; [`ExchangeError::InvalidSchema`] when the schema does not
    /// compile.
    pub fn validator(&self, key: &SchemaKey) -> Result<Arc<Validator>> {
        Ok(Arc::clone(&self.compiled(key)?.validator))
    }

    /// The resolved key and compiled validator of `key`: from the cache, else resolved,
    /// compiled (unless the resolved key is cached) and cached.
    fn compiled(&self, key: &SchemaKey) -> Result<Arc<Compiled>> {
        let cached = |k: &SchemaKey| {
            self.cache.read().unwrap_or_else(PoisonError::into_inner).get(k).map(Arc::clone)
        };
        if let Some(c) = cached(key) {
            return Ok(c);
        }
        let resolved = self.resolve(&key.id, key.version.as_deref())?;
        let compiled = match cached(&resolved) {
            Some(c) => c,
            None => Arc::new(Compiled { validator: self.compile(&resolved)?, resolved }),
        };
        let mut cache = self.cache.write().unwrap_or_else(PoisonError::into_inner);
        cache.entry(compiled.resolved.clone()).or_insert_with(|| Arc::clone(&compiled));
        if !key.id.contains('#') {
            cache.insert(key.clone(), Arc::clone(&compiled));
        }
        Ok(compiled)
    }

    /// Compiles the schema of a key [`Registry::resolve`] returned.
    fn compile(&self, resolved: &SchemaKey) -> Result<Arc<Validator>> {
        let document = self.document(resolved)?;
        let mut docs = HashMap::new();
        for id in self.schemas.keys().chain(self.aliases.keys()) {
            if let Some(doc) = self.document_by_uri(id) {
                docs.insert(id.clone(), doc);
            }
        }
        let misses = Arc::new(Mutex::new(Vec::new()));
        let retriever = RegistryRetriever { docs, misses: Arc::clone(&misses) };
        let built = jsonschema::options()
            .should_validate_formats(true)
            .with_retriever(retriever)
            .build(&document);
        built.map(Arc::new).map_err(|e| {
            let missed = misses.lock().unwrap_or_else(PoisonError::into_inner).first().cloned();
            match missed {
                Some(uri) => ExchangeError::UnresolvedRef(uri),
                None => ExchangeError::InvalidSchema(format!("{resolved}: {e}")),
            }
        })
    }

    /// Compiles every registered schema, so that a missing `$ref` shows at load time.
    ///
    /// # Errors
    ///
    /// The first error of [`Registry::validator`].
    pub fn compile_all(&self) -> Result<()> {
        for key in self.keys() {
            self.validator(&key)?;
        }
        Ok(())
    }

    /// Validates `instance` against the schema `key` and lists every issue.
    ///
    /// # Errors
    ///
    /// The errors of [`Registry::validator`];
    /// [`dpikit_core::CoreError::NestingTooDeep`] for an instance deeper than the instance
    /// limits (checked without recursion). An invalid instance is a report, not an error.
    pub fn validate(&self, key: &SchemaKey, instance: &Value) -> Result<ValidationReport> {
        let compiled = self.checked_validator(key, instance)?;
        Ok(Self::report(&compiled.validator, compiled.resolved.clone(), instance))
    }

    /// The depth check of `instance`, then the resolved key and compiled validator of `key`.
    fn checked_validator(&self, key: &SchemaKey, instance: &Value) -> Result<Arc<Compiled>> {
        check_depth(instance, self.instance_limits.max_depth)?;
        self.compiled(key)
    }

    /// Returns whether `instance` is valid against the schema `key`, without collecting the
    /// issues: the check alone, for filters and counts ([`Registry::validate`] says what is
    /// wrong).
    ///
    /// # Errors
    ///
    /// The same as [`Registry::validate`]: an invalid instance is `Ok(false)`.
    ///
    /// # Examples
    ///
    /// ```
    /// use dpikit_exchange::{Registry, schemas};
    /// use serde_json::json;
    ///
    /// let registry = Registry::with_builtin()?;
    /// let key = registry.resolve(schemas::PAYMENT_STATUS, None)?;
    /// let ok = json!({"instructionId": "PI-1", "status": "ACSC", "statusAt": "2026-04-01T08:00:00Z"});
    /// assert!(registry.is_valid(&key, &ok)?);
    /// assert!(!registry.is_valid(&key, &json!({"instructionId": "PI-2"}))?);
    /// # Ok::<(), dpikit_exchange::ExchangeError>(())
    /// ```
    pub fn is_valid(&self, key: &SchemaKey, instance: &Value) -> Result<bool> {
        Ok(self.checked_validator(key, instance)?.validator.is_valid(instance))
    }

    /// Validates against a compiled validator: `is_valid` first, the issues only when invalid.
    fn report(validator: &Validator, resolved: SchemaKey, instance: &Value) -> ValidationReport {
        // `is_valid` stops at nothing to report and builds no errors: the common case, valid
        // data, pays only for the check.
        if validator.is_valid(instance) {
            return ValidationReport { schema: resolved, issues: Vec::new() };
        }
        let issues = validator
            .iter_errors(instance)
            .map(|e| ValidationIssue {
                instance_path: e.instance_path().as_str().to_owned(),
                schema_path: e.schema_path().as_str().to_owned(),
                code: e.kind().keyword().to_owned(),
                message: e.to_string(),
            })
            .collect();
        ValidationReport { schema: resolved, issues }
    }

    /// Validates many instances against the schema `key` on up to `threads` threads (at least
    /// one), compiling the schema once; the reports come back in input order, each instance
    /// failing or passing on its own.
    ///
    /// # Errors
    ///
    /// The errors of [`Registry::validator`] (the schema is resolved and compiled before any
    /// instance is looked at); an instance that is too deep gets its error in its slot.
    ///
    /// # Examples
    ///
    /// ```
    /// use dpikit_exchange::{Registry, schemas};
    /// use serde_json::json;
    ///
    /// let registry = Registry::with_builtin()?;
    /// let key = registry.resolve(schemas::PAYMENT_STATUS, None)?;
    /// let ok = json!({"instructionId": "PI-1", "status": "ACSC", "statusAt": "2026-04-01T08:00:00Z"});
    /// let bad = json!({"instructionId": "PI-2", "status": "DONE", "statusAt": "2026-04-01T08:00:00Z"});
    /// let reports = registry.validate_many(&key, &[ok, bad], 2)?;
    /// assert!(reports[0].as_ref().is_ok_and(|r| r.is_valid()));
    /// assert_eq!(reports[1].as_ref().map(|r| r.issues[0].instance_path.as_str()).ok(), Some("/status"));
    /// # Ok::<(), dpikit_exchange::ExchangeError>(())
    /// ```
    pub fn validate_many(
        &self,
        key: &SchemaKey,
        instances: &[Value],
        threads: usize,
    ) -> Result<Vec<Result<ValidationReport>>> {
        let compiled = self.compiled(key)?;
        let (resolved, validator) = (&compiled.resolved, &*compiled.validator);
        let chunk = instances.len().div_ceil(threads.max(1)).max(1);
        let max_depth = self.instance_limits.max_depth;
        let validate_chunk = |part: &[Value]| -> Vec<Result<ValidationReport>> {
            let one = |instance| {
                check_depth(instance, max_depth)?;
                Ok(Self::report(validator, resolved.clone(), instance))
            };
            part.iter().map(one).collect()
        };
        if instances.len() <= chunk {
            return Ok(validate_chunk(instances));
        }
        Ok(std::thread::scope(|scope| {
            let handles: Vec<_> = instances
                .chunks(chunk)
                .map(|part| scope.spawn(move || validate_chunk(part)))
                .collect();
            handles
                .into_iter()
                .flat_map(|h| h.join().unwrap_or_else(|p| std::panic::resume_unwind(p)))
                .collect()
        }))
    }

    /// Parses untrusted bytes within the instance limits and validates them.
    ///
    /// # Errors
    ///
    /// JSON intake errors, and those of [`Registry::validate`].
    pub fn validate_bytes(&self, key: &SchemaKey, bytes: &[u8]) -> Result<ValidationReport> {
        let instance = parse_json(bytes, &self.instance_limits)?;
        self.validate(key, &instance)
    }
}

/// Fails with [`dpikit_core::CoreError::NestingTooDeep`] when `value` nests deeper than
/// `max_depth`, walking without recursion.
///
/// # Errors
///
/// [`dpikit_core::CoreError::NestingTooDeep`].
///
/// # Examples
///
/// ```
/// use dpikit_exchange::registry::check_depth;
/// use serde_json::json;
///
/// assert!(check_depth(&json!(1), 0).is_ok());
/// assert!(check_depth(&json!([[1], {"a": 2}]), 2).is_ok());
/// assert!(check_depth(&json!([[]]), 1).is_err()); // an empty array still counts
/// assert!(check_depth(&json!({"a": [1, {}]}), 2).is_err());
/// ```
pub fn check_depth(value: &Value, max_depth: usize) -> Result<()> {
    // Containers still to look into, with their depth; scalars are never pushed, and no
    // iterator is boxed per container.
    let mut stack: Vec<(&Value, usize)> = Vec::new();
    let mut next = Some((value, 0));
    while let Some((v, depth)) = next.take().or_else(|| stack.pop()) {
        let children: &mut dyn Iterator<Item = &Value> = match v {
            Value::Array(a) => &mut a.iter(),
            Value::Object(o) => &mut o.values(),
            _ => continue,
        };
        if depth >= max_depth {
            return Err(dpikit_core::CoreError::NestingTooDeep { limit: max_depth }.into());
        }
        stack.extend(
            children
                .filter(|c| matches!(c, Value::Array(_) | Value::Object(_)))
                .map(|c| (c, depth + 1)),
        );
    }
    Ok(())
}

fn strip_fragment(uri: &str) -> &str {
    uri.split_once('#').map_or(uri, |(base, _)| base)
}

/// Serves `$ref` targets from a snapshot of the registry and records every miss.
struct RegistryRetriever {
    docs: HashMap<String, Arc<Value>>,
    misses: Arc<Mutex<Vec<String>>>,
}

impl Retrieve for RegistryRetriever {
    fn retrieve(
        &self,
        uri: &Uri<String>,
    ) -> core::result::Result<Value, Box<dyn std::error::Error + Send + Sync>> {
        let base = strip_fragment(uri.as_str());
        if let Some(doc) = self.docs.get(base) {
            return Ok((**doc).clone());
        }
        self.misses.lock().unwrap_or_else(PoisonError::into_inner).push(base.to_owned());
        Err(format!("{base} is not in the registry; dpikit never fetches schemas").into())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn cached(registry: &Registry) -> Vec<SchemaKey> {
        let mut keys: Vec<_> =
            registry.cache.read().unwrap_or_else(PoisonError::into_inner).keys().cloned().collect();
        keys.sort();
        keys
    }

    #[test]
    fn the_cache_holds_asked_and_resolved_keys_but_no_fragments() -> Result<()> {
        let mut registry = Registry::new();
        let schema = json!({"$id": "https://example.org/s.json", "$schemaVersion": "1.0.0",
            "type": "object", "required": ["a"]});
        let resolved = registry.register_value(schema)?;
        registry.add_alias("https://example.org/alias.json", "https://example.org/s.json")?;
        for i in 0..100 {
            let key = SchemaKey::new(format!("https://example.org/s.json#/f{i}"), None);
            assert!(registry.is_valid(&key, &json!({"a": 1}))?);
        }
        // Fragments are resolved each time and leave only the resolved key behind.
        assert_eq!(cached(&registry), std::slice::from_ref(&resolved));
        let by_alias = SchemaKey::new("https://example.org/alias.json", None);
        let compiled = registry.compiled(&by_alias)?;
        assert!(!registry.is_valid(&by_alias, &json!({}))?);
        assert_eq!(compiled.resolved, resolved);
        // The alias shares the resolved key's compilation.
        assert!(Arc::ptr_eq(&registry.compiled(&resolved)?, &compiled));
        assert_eq!(cached(&registry), [by_alias, resolved.clone()]);
        // Registering clears the cache: the unversioned key now resolves to 2.0.0.
        let newer = json!({"$id": "https://example.org/s.json", "$schemaVersion": "2.0.0",
            "type": "object", "required": ["b"]});
        registry.register_value(newer)?;
        let latest = SchemaKey::new("https://example.org/s.json", None);
        assert!(registry.is_valid(&latest, &json!({"b": 1}))?);
        assert!(!registry.is_valid(&resolved, &json!({"b": 1}))?);
        Ok(())
    }
}
