//! A subschema as the validator reads it: the keywords it implements, typed, in one struct.
//!
//! Schemas are read straight into these types, not into a `serde_json::Value`, whose maps hash
//! every key on the way in and again at every lookup: building the deployment schema as a
//! `Value` was half of what a one-file check cost. Keywords the validator does not implement
//! (`if`, `format`, `default`, …) are skipped while reading.

use std::fmt;

use serde::Deserialize;
use serde::de::{self, Deserializer, MapAccess, Visitor};
use serde_json::{Number, Value as Json};

/// A schema: `true` (anything), `false` (nothing), or an object of keywords.
#[derive(Debug)]
pub enum Schema {
    Bool(bool),
    Object(Box<Keywords>),
}

impl Schema {
    /// The keywords, for an object schema.
    pub fn keywords(&self) -> Option<&Keywords> {
        match self {
            Schema::Object(k) => Some(k),
            Schema::Bool(_) => None,
        }
    }

    /// The subschema at a JSON pointer below this one (`/definitions/X/properties/y`); only
    /// the keywords that hold schemas are followed.
    pub fn pointer(&self, pointer: &str) -> Option<&Schema> {
        if pointer.is_empty() {
            return Some(self);
        }
        let mut steps = pointer.strip_prefix('/')?.split('/').map(|s| s.replace("~1", "/").replace("~0", "~"));
        let mut here = self;
        while let Some(step) = steps.next() {
            let k = here.keywords()?;
            here = match step.as_str() {
                "definitions" | "$defs" => k.definitions.get(&steps.next()?)?,
                "properties" => k.properties.get(&steps.next()?)?,
                "patternProperties" => k.pattern_properties.get(&steps.next()?)?,
                "items" => k.items.as_deref()?,
                "additionalProperties" => k.additional_properties.as_deref()?,
                "allOf" => k.all_of.get(steps.next()?.parse::<usize>().ok()?)?,
                "anyOf" => k.any_of.get(steps.next()?.parse::<usize>().ok()?)?,
                "oneOf" => k.one_of.get(steps.next()?.parse::<usize>().ok()?)?,
                _ => return None,
            };
        }
        Some(here)
    }
}

/// The keywords of an object schema that the validator and [`super::Shape`] read.
#[derive(Debug, Default, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct Keywords {
    #[serde(rename = "$ref")]
    pub reference: Option<String>,
    pub all_of: Vec<Schema>,
    pub any_of: Vec<Schema>,
    pub one_of: Vec<Schema>,
    /// `type`, as one name or a list of names.
    #[serde(rename = "type", deserialize_with = "one_or_many")]
    pub types: Vec<String>,
    #[serde(rename = "enum")]
    pub allowed: Option<Vec<Json>>,
    /// `const` (a `null` constant is `Some(Json::Null)`).
    #[serde(rename = "const", deserialize_with = "present")]
    pub constant: Option<Json>,
    pub properties: Named,
    pub pattern_properties: Named,
    pub additional_properties: Option<Box<Schema>>,
    pub property_names: Option<Box<Schema>>,
    pub required: Vec<String>,
    pub items: Option<Box<Schema>>,
    pub min_items: Option<u64>,
    pub max_items: Option<u64>,
    pub unique_items: bool,
    pub min_length: Option<u64>,
    pub max_length: Option<u64>,
    pub pattern: Option<String>,
    pub minimum: Option<Number>,
    pub maximum: Option<Number>,
    pub exclusive_minimum: Option<Number>,
    pub exclusive_maximum: Option<Number>,
    #[serde(alias = "$defs")]
    pub definitions: Named,
    /// `x-alias-of` ([`super::ALIAS_KEYWORD`]).
    #[serde(rename = "x-alias-of")]
    pub alias_of: Option<String>,
    /// `x-ignored-keys` ([`super::IGNORED_KEYS_KEYWORD`]).
    #[serde(rename = "x-ignored-keys")]
    pub ignored_keys: Option<String>,
    /// `x-ignored` ([`super::IGNORED_KEYWORD`]).
    #[serde(rename = "x-ignored")]
    pub ignored: Option<String>,
    /// `x-lenient` ([`super::LENIENT_KEYWORD`]).
    #[serde(rename = "x-lenient")]
    pub lenient: bool,
}

/// Named subschemas (`properties`, `definitions`, …) in the order written, with an index
/// sorted by name for lookups.
#[derive(Debug, Default)]
pub struct Named {
    entries: Vec<(String, Schema)>,
    /// Positions in `entries`, sorted by name; of a name written twice, the last one (as a
    /// JSON object keeps it).
    sorted: Vec<u32>,
}

impl Named {
    fn new(entries: Vec<(String, Schema)>) -> Self {
        let mut sorted: Vec<u32> = (0..entries.len() as u32).collect();
        sorted.sort_by(|&a, &b| entries[a as usize].0.cmp(&entries[b as usize].0).then(b.cmp(&a)));
        sorted.dedup_by(|later, first| entries[*later as usize].0 == entries[*first as usize].0);
        Named { entries, sorted }
    }

    pub fn get(&self, name: &str) -> Option<&Schema> {
        self.get_key_value(name).map(|(_, s)| s)
    }

    /// The name as the schema writes it, and its schema.
    pub fn get_key_value(&self, name: &str) -> Option<(&str, &Schema)> {
        let at = self.sorted.binary_search_by(|&i| self.entries[i as usize].0.as_str().cmp(name)).ok()?;
        let (key, schema) = &self.entries[self.sorted[at] as usize];
        Some((key, schema))
    }

    /// The names in the order written.
    pub fn names(&self) -> impl Iterator<Item = &str> {
        self.entries.iter().map(|(name, _)| name.as_str())
    }

    pub fn iter(&self) -> impl Iterator<Item = (&str, &Schema)> {
        self.entries.iter().map(|(name, schema)| (name.as_str(), schema))
    }

    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }
}

impl<'de> Deserialize<'de> for Schema {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct SchemaVisitor;
        impl<'de> Visitor<'de> for SchemaVisitor {
            type Value = Schema;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a JSON Schema (an object or a boolean)")
            }
            fn visit_bool<E: de::Error>(self, b: bool) -> Result<Schema, E> {
                Ok(Schema::Bool(b))
            }
            fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Schema, A::Error> {
                Keywords::deserialize(de::value::MapAccessDeserializer::new(map)).map(|k| Schema::Object(Box::new(k)))
            }
            // Anything else where a schema may stand (a list of `items` for tuples) constrains
            // nothing here: the validator does not implement it.
            fn visit_seq<A: de::SeqAccess<'de>>(self, mut seq: A) -> Result<Schema, A::Error> {
                while seq.next_element::<de::IgnoredAny>()?.is_some() {}
                Ok(Schema::Bool(true))
            }
            fn visit_str<E: de::Error>(self, _: &str) -> Result<Schema, E> {
                Ok(Schema::Bool(true))
            }
            fn visit_i64<E: de::Error>(self, _: i64) -> Result<Schema, E> {
                Ok(Schema::Bool(true))
            }
            fn visit_u64<E: de::Error>(self, _: u64) -> Result<Schema, E> {
                Ok(Schema::Bool(true))
            }
            fn visit_f64<E: de::Error>(self, _: f64) -> Result<Schema, E> {
                Ok(Schema::Bool(true))
            }
            fn visit_unit<E: de::Error>(self) -> Result<Schema, E> {
                Ok(Schema::Bool(true))
            }
        }
        deserializer.deserialize_any(SchemaVisitor)
    }
}

impl<'de> Deserialize<'de> for Named {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct NamedVisitor;
        impl<'de> Visitor<'de> for NamedVisitor {
            type Value = Named;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("an object of named schemas")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Named, A::Error> {
                let mut entries = Vec::with_capacity(map.size_hint().unwrap_or(0));
                while let Some(entry) = map.next_entry::<String, Schema>()? {
                    entries.push(entry);
                }
                Ok(Named::new(entries))
            }
        }
        deserializer.deserialize_map(NamedVisitor)
    }
}

/// `type`: a name or a list of names.
fn one_or_many<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Vec<String>, D::Error> {
    struct Names;
    impl<'de> Visitor<'de> for Names {
        type Value = Vec<String>;
        fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str("a type name or a list of type names")
        }
        fn visit_str<E: de::Error>(self, name: &str) -> Result<Vec<String>, E> {
            Ok(vec![name.to_owned()])
        }
        fn visit_seq<A: de::SeqAccess<'de>>(self, mut seq: A) -> Result<Vec<String>, A::Error> {
            let mut names = Vec::new();
            while let Some(name) = seq.next_element()? {
                names.push(name);
            }
            Ok(names)
        }
    }
    deserializer.deserialize_any(Names)
}

/// A keyword whose value may be `null` and still be present (`const: null`).
fn present<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Option<Json>, D::Error> {
    Json::deserialize(deserializer).map(Some)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn keywords_are_read_and_others_skipped() {
        let schema: Schema = serde_json::from_value(json!({
            "type": ["string", "null"], "const": null, "format": "uri", "if": {"type": "object"},
            "properties": {"b": true, "a": {"type": "integer", "minimum": 1}, "b": false},
            "$defs": {"X": {"x-alias-of": "y", "x-lenient": true}}
        }))
        .unwrap();
        let k = schema.keywords().unwrap();
        assert_eq!(k.types, ["string", "null"]);
        assert_eq!(k.constant, Some(Json::Null));
        assert!(matches!(k.properties.get("b"), Some(Schema::Bool(false))));
        assert_eq!(k.properties.names().collect::<Vec<_>>(), ["b", "a"]);
        assert_eq!(schema.pointer("/properties/a").and_then(Schema::keywords).unwrap().minimum, Some(1.into()));
        let x = schema.pointer("/definitions/X").and_then(Schema::keywords).unwrap();
        assert_eq!((x.alias_of.as_deref(), x.lenient), (Some("y"), true));
        assert!(schema.pointer("/properties/c").is_none());
    }

    #[test]
    fn what_the_validator_does_not_implement_constrains_nothing() {
        let schema: Schema = serde_json::from_value(json!({"items": [{"type": "string"}], "not": {}})).unwrap();
        assert!(matches!(schema.pointer("/items"), Some(Schema::Bool(true))));
    }

    #[test]
    fn a_name_written_twice_is_found_with_its_last_schema() {
        let schema: Schema = serde_json::from_str(r#"{"properties": {"b": true, "a": {}, "b": false}}"#).unwrap();
        let properties = &schema.keywords().unwrap().properties;
        assert!(matches!(properties.get("b"), Some(Schema::Bool(false))));
        assert!(matches!(properties.get("a"), Some(Schema::Object(_))));
    }
}
