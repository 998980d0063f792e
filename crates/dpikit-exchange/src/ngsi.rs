//! NGSI-LD entity representations: normalized ⇄ keyValues (simplified), and GeoJSON.
//!
//! normalized → keyValues ([`to_key_values`]): `id`, `type`, `@context` (and `@id`,
//! `@type`, `scope`, `createdAt`, `modifiedAt`) are kept; a `Property` or `GeoProperty`
//! becomes its `value`, a `Relationship` its `object` (and `LanguageProperty`,
//! `VocabularyProperty`, `ListProperty`, `ListRelationship`, `JsonProperty` their
//! `languageMap`, `vocab`, `valueList`, `objectList`, `json`); a JSON-LD typed literal
//! (`{"@type": "DateTime", "@value": "…"}`) becomes its string. Every other member of an
//! attribute (`observedAt`, `unitCode`, `datasetId`, nested properties) is dropped and
//! reported in [`Simplified::dropped`]: keyValues is lossy.
//!
//! keyValues → normalized ([`to_normalized`]): each attribute's kind comes from the schema
//! ([`AttributeKinds::from_schema`] reads the `"Property."`, `"Relationship."`,
//! `"GeoProperty."` prefixes of the property descriptions, following `$ref` through the
//! registry, offline); a string attribute whose schema has `format: date-time` becomes a
//! typed `DateTime` literal. Attributes the schema does not describe default to `Property`
//! and are listed in [`Normalized::defaulted`].

use std::collections::{BTreeMap, BTreeSet};

use serde::Serialize;
use serde_json::{Map, Value, json};

use crate::registry::{Registry, SchemaKey, check_depth};
use crate::{ExchangeError, Result};

/// Deepest nesting accepted in an entity.
pub const MAX_ENTITY_DEPTH: usize = 64;
/// Deepest `$ref` / `allOf` chain followed when reading attribute kinds.
const MAX_SCHEMA_WALK: usize = 32;

/// Entity members that are not attributes and pass through unchanged.
const KEPT: &[&str] =
    &["id", "type", "@id", "@type", "@context", "scope", "createdAt", "modifiedAt"];

/// The kind of an NGSI-LD attribute.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[non_exhaustive]
pub enum AttributeKind {
    /// `Property` (`value`).
    Property,
    /// `Relationship` (`object`).
    Relationship,
    /// `GeoProperty` (`value` = GeoJSON geometry).
    GeoProperty,
    /// `LanguageProperty` (`languageMap`).
    LanguageProperty,
    /// `VocabularyProperty` (`vocab`).
    VocabularyProperty,
    /// `ListProperty` (`valueList`).
    ListProperty,
    /// `ListRelationship` (`objectList`).
    ListRelationship,
    /// `JsonProperty` (`json`).
    JsonProperty,
}

impl AttributeKind {
    const ALL: [AttributeKind; 8] = [
        AttributeKind::Property,
        AttributeKind::Relationship,
        AttributeKind::GeoProperty,
        AttributeKind::LanguageProperty,
        AttributeKind::VocabularyProperty,
        AttributeKind::ListProperty,
        AttributeKind::ListRelationship,
        AttributeKind::JsonProperty,
    ];

    /// Returns the NGSI-LD type name (`Property`, …).
    #[must_use]
    pub const fn name(self) -> &'static str {
        match self {
            AttributeKind::Property => "Property",
            AttributeKind::Relationship => "Relationship",
            AttributeKind::GeoProperty => "GeoProperty",
            AttributeKind::LanguageProperty => "LanguageProperty",
            AttributeKind::VocabularyProperty => "VocabularyProperty",
            AttributeKind::ListProperty => "ListProperty",
            AttributeKind::ListRelationship => "ListRelationship",
            AttributeKind::JsonProperty => "JsonProperty",
        }
    }

    /// Returns the member that holds the attribute's value (`value`, `object`, …).
    #[must_use]
    pub const fn member(self) -> &'static str {
        match self {
            AttributeKind::Property | AttributeKind::GeoProperty => "value",
            AttributeKind::Relationship => "object",
            AttributeKind::LanguageProperty => "languageMap",
            AttributeKind::VocabularyProperty => "vocab",
            AttributeKind::ListProperty => "valueList",
            AttributeKind::ListRelationship => "objectList",
            AttributeKind::JsonProperty => "json",
        }
    }

    /// Parses an NGSI-LD type name.
    #[must_use]
    pub fn from_name(name: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.name() == name)
    }

    /// Reads the kind from a Smart Data Models description (`"Property. …"`).
    #[must_use]
    pub fn from_description(description: &str) -> Option<Self> {
        let head = description.trim_start().split('.').next()?;
        Self::from_name(head.trim())
    }
}

/// A sub-attribute dropped by [`to_key_values`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DroppedSubAttribute {
    /// The attribute.
    pub attribute: String,
    /// The member of the attribute that was dropped (`observedAt`, `unitCode`, …).
    pub sub_attribute: String,
}

/// The result of [`to_key_values`].
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Simplified {
    /// The keyValues entity.
    pub entity: Value,
    /// Every sub-attribute that was dropped, in document order.
    pub dropped: Vec<DroppedSubAttribute>,
}

/// The result of [`to_normalized`].
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Normalized {
    /// The normalized entity.
    pub entity: Value,
    /// Attributes the schema does not describe, written as `Property`.
    pub defaulted: Vec<String>,
}

fn entity_object(entity: &Value) -> Result<&Map<String, Value>> {
    check_depth(entity, MAX_ENTITY_DEPTH)?;
    let obj =
        entity.as_object().ok_or_else(|| ExchangeError::NgsiInvalid("not a JSON object".into()))?;
    let id = obj.get("id").or_else(|| obj.get("@id"));
    if !id.is_some_and(Value::is_string) {
        return Err(ExchangeError::NgsiInvalid("the entity has no string id".into()));
    }
    let ty = obj.get("type").or_else(|| obj.get("@type"));
    if !ty.is_some_and(|t| t.is_string() || t.is_array()) {
        return Err(ExchangeError::NgsiInvalid("the entity has no type".into()));
    }
    Ok(obj)
}

fn unwrap_typed_literal(value: Value) -> Value {
    match value {
        Value::Object(o) if o.len() == 2 && o.contains_key("@type") => match o.get("@value") {
            Some(v) => v.clone(),
            None => Value::Object(o),
        },
        other => other,
    }
}

fn simplify_attribute(
    name: &str,
    attribute: &Value,
    dropped: &mut Vec<DroppedSubAttribute>,
) -> Result<Value> {
    if let Value::Array(instances) = attribute {
        return instances.iter().map(|i| simplify_attribute(name, i, dropped)).collect();
    }
    let obj = attribute.as_object().ok_or_else(|| {
        ExchangeError::NgsiInvalid(format!("attribute {name:?} is not an NGSI-LD attribute"))
    })?;
    let kind =
        obj.get("type").and_then(Value::as_str).and_then(AttributeKind::from_name).ok_or_else(
            || ExchangeError::NgsiInvalid(format!("attribute {name:?} has no NGSI-LD type")),
        )?;
    let member = kind.member();
    let value = obj.get(member).cloned().ok_or_else(|| {
        ExchangeError::NgsiInvalid(format!("{} {name:?} has no {member}", kind.name()))
    })?;
    for key in obj.keys() {
        if key != "type" && key != member {
            dropped.push(DroppedSubAttribute {
                attribute: name.to_owned(),
                sub_attribute: key.clone(),
            });
        }
    }
    Ok(unwrap_typed_literal(value))
}

/// Converts a normalized NGSI-LD entity to keyValues, reporting the dropped sub-attributes.
///
/// # Errors
///
/// [`ExchangeError::NgsiInvalid`] for an entity without `id`/`type` or an attribute without
/// a known NGSI-LD type or its value member;
/// [`dpikit_core::CoreError::NestingTooDeep`] beyond [`MAX_ENTITY_DEPTH`].
///
/// # Examples
///
/// ```
/// use dpikit_exchange::ngsi::to_key_values;
/// use serde_json::json;
///
/// let normalized = json!({"id": "urn:ngsi-ld:ParkingSpot:1", "type": "ParkingSpot",
///     "status": {"type": "Property", "value": "free", "observedAt": "2018-09-21T12:00:00Z"},
///     "refParkingSite": {"type": "Relationship", "object": "urn:ngsi-ld:ParkingSite:7"}});
/// let simple = to_key_values(&normalized)?;
/// assert_eq!(simple.entity, json!({"id": "urn:ngsi-ld:ParkingSpot:1", "type": "ParkingSpot",
///     "status": "free", "refParkingSite": "urn:ngsi-ld:ParkingSite:7"}));
/// assert_eq!(simple.dropped[0].sub_attribute, "observedAt");
/// # Ok::<(), dpikit_exchange::ExchangeError>(())
/// ```
pub fn to_key_values(normalized: &Value) -> Result<Simplified> {
    let obj = entity_object(normalized)?;
    let mut out = Map::new();
    let mut dropped = Vec::new();
    for (name, value) in obj {
        if KEPT.contains(&name.as_str()) {
            out.insert(name.clone(), value.clone());
        } else {
            out.insert(name.clone(), simplify_attribute(name, value, &mut dropped)?);
        }
    }
    Ok(Simplified { entity: Value::Object(out), dropped })
}

/// The NGSI-LD kind of each attribute of an entity type, read from its schema.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AttributeKinds {
    kinds: BTreeMap<String, AttributeKind>,
    date_times: BTreeSet<String>,
    types: BTreeMap<String, BTreeSet<String>>,
}

impl AttributeKinds {
    /// Creates an empty table.
    #[must_use]
    pub fn new() -> Self {
        Self::default()
    }

    /// Sets the kind of `attribute`.
    pub fn insert(&mut self, attribute: impl Into<String>, kind: AttributeKind) {
        self.kinds.insert(attribute.into(), kind);
    }

    /// Returns the kind of `attribute`, if known.
    #[must_use]
    pub fn kind(&self, attribute: &str) -> Option<AttributeKind> {
        self.kinds.get(attribute).copied()
    }

    /// Returns whether the schema declares `attribute` as a `date-time` string.
    #[must_use]
    pub fn is_date_time(&self, attribute: &str) -> bool {
        self.date_times.contains(attribute)
    }

    /// Returns whether the schema types the member at `path` (`/`-separated, array
    /// indexes left out: `address/postalCode`) as a string and never as a number or boolean.
    #[must_use]
    pub fn is_string(&self, path: &str) -> bool {
        self.types.get(path).is_some_and(|t| {
            t.contains("string") && !["number", "integer", "boolean"].iter().any(|n| t.contains(*n))
        })
    }

    /// Iterates over the known attributes and kinds, sorted by name.
    pub fn iter(&self) -> impl Iterator<Item = (&str, AttributeKind)> {
        self.kinds.iter().map(|(k, v)| (k.as_str(), *v))
    }

    /// Reads the kinds from the schema `key`: the description prefixes of its `properties`,
    /// through `allOf`/`anyOf`/`oneOf` and `$ref` (resolved from the registry only).
    ///
    /// # Errors
    ///
    /// [`ExchangeError::SchemaNotFound`]; [`ExchangeError::UnresolvedRef`] for a `$ref`
    /// outside the registry.
    ///
    /// # Examples
    ///
    /// ```
    /// use dpikit_exchange::{Registry, schemas};
    /// use dpikit_exchange::ngsi::{AttributeKind, AttributeKinds};
    ///
    /// let registry = Registry::with_builtin()?;
    /// let key = registry.resolve(schemas::SENSOR_OBSERVATION, None)?;
    /// let kinds = AttributeKinds::from_schema(&registry, &key)?;
    /// assert_eq!(kinds.kind("refDevice"), Some(AttributeKind::Relationship));
    /// assert_eq!(kinds.kind("location"), Some(AttributeKind::GeoProperty));
    /// assert!(kinds.is_date_time("dateObserved"));
    /// # Ok::<(), dpikit_exchange::ExchangeError>(())
    /// ```
    pub fn from_schema(registry: &Registry, key: &SchemaKey) -> Result<Self> {
        let resolved = registry.resolve(&key.id, key.version.as_deref())?;
        let document = registry.document(&resolved)?;
        let mut kinds = AttributeKinds::new();
        let mut walker = Walker { registry, kinds: &mut kinds, budget: MAX_TYPE_NODES };
        walker.schema(&document, &resolved.id, 0)?;
        walker.types(&document, &resolved.id, "", 0)?;
        Ok(kinds)
    }
}

struct Walker<'a> {
    registry: &'a Registry,
    kinds: &'a mut AttributeKinds,
    budget: usize,
}

/// Most schema nodes visited when collecting member types.
const MAX_TYPE_NODES: usize = 20_000;

impl Walker<'_> {
    /// Records the `type` of every member path, through `$ref`, combinators and `items`.
    fn types(&mut self, schema: &Value, base: &str, prefix: &str, depth: usize) -> Result<()> {
        if depth > MAX_SCHEMA_WALK || self.budget == 0 {
            return Ok(());
        }
        self.budget -= 1;
        let Some(obj) = schema.as_object() else { return Ok(()) };
        if !prefix.is_empty() {
            let names: Vec<&str> = match obj.get("type") {
                Some(Value::String(t)) => vec![t.as_str()],
                Some(Value::Array(ts)) => ts.iter().filter_map(Value::as_str).collect(),
                _ => Vec::new(),
            };
            if !names.is_empty() {
                let entry = self.kinds.types.entry(prefix.to_owned()).or_default();
                entry.extend(names.into_iter().map(str::to_owned));
            }
        }
        if let Some(r) = obj.get("$ref").and_then(Value::as_str) {
            let (target, base) = self.resolve(r, base)?;
            self.types(&target, &base, prefix, depth + 1)?;
        }
        for key in ["allOf", "anyOf", "oneOf"] {
            for sub in obj.get(key).and_then(Value::as_array).into_iter().flatten() {
                self.types(sub, base, prefix, depth + 1)?;
            }
        }
        if let Some(items) = obj.get("items") {
            self.types(items, base, prefix, depth + 1)?;
        }
        if let Some(props) = obj.get("properties").and_then(Value::as_object) {
            for (name, sub) in props {
                let path =
                    if prefix.is_empty() { name.clone() } else { format!("{prefix}/{name}") };
                self.types(sub, base, &path, depth + 1)?;
            }
        }
        Ok(())
    }

    fn resolve(&self, reference: &str, base: &str) -> Result<(Value, String)> {
        let (uri, fragment) = reference.split_once('#').unwrap_or((reference, ""));
        let uri = if uri.is_empty() {
            base.to_owned()
        } else if uri.contains("://") || uri.starts_with("urn:") {
            uri.to_owned()
        } else {
            match base.rsplit_once('/') {
                Some((dir, _)) => format!("{dir}/{uri}"),
                None => uri.to_owned(),
            }
        };
        let doc = self
            .registry
            .document_by_uri(&uri)
            .ok_or_else(|| ExchangeError::UnresolvedRef(uri.clone()))?;
        let target = if fragment.is_empty() { Some(&*doc) } else { doc.pointer(fragment) };
        let target = target.ok_or_else(|| ExchangeError::UnresolvedRef(reference.to_owned()))?;
        Ok((target.clone(), uri))
    }

    fn schema(&mut self, schema: &Value, base: &str, depth: usize) -> Result<()> {
        if depth > MAX_SCHEMA_WALK {
            return Ok(());
        }
        let Some(obj) = schema.as_object() else { return Ok(()) };
        if let Some(r) = obj.get("$ref").and_then(Value::as_str) {
            let (target, base) = self.resolve(r, base)?;
            self.schema(&target, &base, depth + 1)?;
        }
        for key in ["allOf", "anyOf", "oneOf"] {
            for sub in obj.get(key).and_then(Value::as_array).into_iter().flatten() {
                self.schema(sub, base, depth + 1)?;
            }
        }
        if let Some(props) = obj.get("properties").and_then(Value::as_object) {
            for (name, sub) in props {
                if name == "id" || name == "type" || self.kinds.kinds.contains_key(name) {
                    continue;
                }
                let found = self.describe(sub, base, depth + 1)?;
                if let Some(kind) = found.kind {
                    self.kinds.kinds.insert(name.clone(), kind);
                }
                if found.date_time {
                    self.kinds.date_times.insert(name.clone());
                }
            }
        }
        Ok(())
    }

    /// Returns the kind (from `description`), whether the property is a date-time string
    /// and whether it is a string, looking through `$ref` and `anyOf`/`oneOf`/`allOf`
    /// branches.
    fn describe(&self, schema: &Value, base: &str, depth: usize) -> Result<Described> {
        let mut found = Described::default();
        if depth > MAX_SCHEMA_WALK {
            return Ok(found);
        }
        let Some(obj) = schema.as_object() else { return Ok(found) };
        found.kind = obj
            .get("description")
            .and_then(Value::as_str)
            .and_then(AttributeKind::from_description);
        found.date_time = obj.get("format").and_then(Value::as_str) == Some("date-time");

        let mut branches: Vec<(Value, String)> = Vec::new();
        if let Some(r) = obj.get("$ref").and_then(Value::as_str) {
            branches.push(self.resolve(r, base)?);
        }
        for key in ["allOf", "anyOf", "oneOf"] {
            for sub in obj.get(key).and_then(Value::as_array).into_iter().flatten() {
                branches.push((sub.clone(), base.to_owned()));
            }
        }
        for (sub, sub_base) in branches {
            let inner = self.describe(&sub, &sub_base, depth + 1)?;
            found.kind = found.kind.or(inner.kind);
            found.date_time |= inner.date_time;
        }
        Ok(found)
    }
}

#[derive(Debug, Default)]
struct Described {
    kind: Option<AttributeKind>,
    date_time: bool,
}

/// Converts a keyValues entity to normalized NGSI-LD, each attribute's kind taken from
/// `kinds` (unknown attributes become `Property` and are listed).
///
/// # Errors
///
/// [`ExchangeError::NgsiInvalid`] for an entity without `id`/`type`;
/// [`dpikit_core::CoreError::NestingTooDeep`] beyond [`MAX_ENTITY_DEPTH`].
///
/// # Examples
///
/// ```
/// use dpikit_exchange::ngsi::{to_normalized, AttributeKind, AttributeKinds};
/// use serde_json::json;
///
/// let mut kinds = AttributeKinds::new();
/// kinds.insert("refParkingSite", AttributeKind::Relationship);
/// let kv = json!({"id": "urn:ngsi-ld:ParkingSpot:1", "type": "ParkingSpot",
///     "name": "A-13", "refParkingSite": "urn:ngsi-ld:ParkingSite:7"});
/// let n = to_normalized(&kv, &kinds)?;
/// assert_eq!(n.entity["refParkingSite"], json!({"type": "Relationship", "object": "urn:ngsi-ld:ParkingSite:7"}));
/// assert_eq!(n.entity["name"], json!({"type": "Property", "value": "A-13"}));
/// assert_eq!(n.defaulted, ["name"]);
/// # Ok::<(), dpikit_exchange::ExchangeError>(())
/// ```
pub fn to_normalized(key_values: &Value, kinds: &AttributeKinds) -> Result<Normalized> {
    let obj = entity_object(key_values)?;
    let mut out = Map::new();
    let mut defaulted = Vec::new();
    for (name, value) in obj {
        if KEPT.contains(&name.as_str()) {
            out.insert(name.clone(), value.clone());
            continue;
        }
        let kind = kinds.kind(name).unwrap_or_else(|| {
            defaulted.push(name.clone());
            AttributeKind::Property
        });
        let value = match value {
            Value::String(s) if kind == AttributeKind::Property && kinds.is_date_time(name) => {
                json!({"@type": "DateTime", "@value": s})
            }
            other => other.clone(),
        };
        let mut attribute = Map::new();
        attribute.insert("type".to_owned(), Value::String(kind.name().to_owned()));
        attribute.insert(kind.member().to_owned(), value);
        out.insert(name.clone(), Value::Object(attribute));
    }
    Ok(Normalized { entity: Value::Object(out), defaulted })
}

/// Returns whether an entity looks normalized (some attribute is an object with an NGSI-LD
/// attribute `type`).
#[must_use]
pub fn is_normalized(entity: &Value) -> bool {
    entity.as_object().is_some_and(|o| {
        o.iter().filter(|(k, _)| !KEPT.contains(&k.as_str())).any(|(_, v)| {
            v.get("type").and_then(Value::as_str).and_then(AttributeKind::from_name).is_some()
        })
    })
}

/// Renders entities (keyValues or normalized) as an RFC 7946 GeoJSON FeatureCollection:
/// `geometry` is the `location` geometry (or `null`), `id` the entity id, `properties` the
/// other keyValues attributes (with `type`).
///
/// # Errors
///
/// The errors of [`to_key_values`]; [`ExchangeError::NgsiInvalid`] when `location` is not a
/// GeoJSON geometry.
///
/// # Examples
///
/// ```
/// use dpikit_exchange::ngsi::to_feature_collection;
/// use serde_json::json;
///
/// let e = json!({"id": "urn:ngsi-ld:Streetlight:1", "type": "Streetlight", "status": "ok",
///     "location": {"type": "Point", "coordinates": [-3.8, 43.46]}});
/// let fc = to_feature_collection(&[e])?;
/// assert_eq!(fc["features"][0]["geometry"]["type"], "Point");
/// assert_eq!(fc["features"][0]["properties"]["status"], "ok");
/// # Ok::<(), dpikit_exchange::ExchangeError>(())
/// ```
pub fn to_feature_collection(entities: &[Value]) -> Result<Value> {
    const GEOMETRIES: &[&str] = &[
        "Point",
        "MultiPoint",
        "LineString",
        "MultiLineString",
        "Polygon",
        "MultiPolygon",
        "GeometryCollection",
    ];
    let mut features = Vec::with_capacity(entities.len());
    for entity in entities {
        let kv = if is_normalized(entity) { to_key_values(entity)?.entity } else { entity.clone() };
        let obj = entity_object(&kv)?;
        let geometry = match obj.get("location") {
            None | Some(Value::Null) => Value::Null,
            Some(g) => {
                let ok =
                    g.get("type").and_then(Value::as_str).is_some_and(|t| GEOMETRIES.contains(&t));
                if !ok {
                    return Err(ExchangeError::NgsiInvalid(
                        "location is not a GeoJSON geometry".into(),
                    ));
                }
                g.clone()
            }
        };
        let id = obj.get("id").or_else(|| obj.get("@id")).cloned().unwrap_or(Value::Null);
        let properties: Map<String, Value> = obj
            .iter()
            .filter(|(k, _)| !matches!(k.as_str(), "id" | "@id" | "location" | "@context"))
            .map(|(k, v)| (k.clone(), v.clone()))
            .collect();
        features.push(
            json!({"type": "Feature", "id": id, "geometry": geometry, "properties": properties}),
        );
    }
    Ok(json!({"type": "FeatureCollection", "features": features}))
}
