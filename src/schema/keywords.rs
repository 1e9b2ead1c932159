//! A subschema as the validator reads it: the keywords it implements, typed, in one struct.
//!
//! The same types serve two ways of getting a schema:
//! - the deployment schema is built into the binary as static data: `build.rs` reads it into
//!   these types and writes them out as Rust (see [`Schema::to_rust`]), so a check builds
//!   nothing before it starts (building it as a `serde_json::Value`, whose maps hash every
//!   key, was half of what a one-file check cost);
//! - schemas made at run time (the settings schema with its overlay, the Markdown kinds',
//!   tests') are read from JSON with serde. Their subschemas are leaked: a schema lives as
//!   long as the process.
//!
//! Text and lists are `Cow`s: borrowed in static data, owned when read. Keywords the validator
//! does not implement (`if`, `format`, `default`, …) are skipped while reading.

use std::borrow::Cow;
use std::fmt;

use serde::Deserialize;
use serde::de::{self, Deserializer, MapAccess, Visitor};
use serde_json::Value as Json;

/// Text of a schema: a name, a pattern, a message.
pub type Text = Cow<'static, str>;

/// A schema: `true` (anything), `false` (nothing), or an object of keywords.
#[derive(Debug, Clone, Copy)]
pub enum Schema {
    Bool(bool),
    Object(&'static Keywords),
}

impl Schema {
    /// The keywords, for an object schema.
    pub fn keywords(&self) -> Option<&'static Keywords> {
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
        let mut steps = pointer.strip_prefix('/')?.split('/').map(unescape);
        let mut here = self;
        while let Some(step) = steps.next() {
            let k = here.keywords()?;
            here = match &*step {
                "definitions" | "$defs" => k.definitions.get(&steps.next()?)?,
                "properties" => k.properties.get(&steps.next()?)?,
                "patternProperties" => k.pattern_properties.get(&steps.next()?)?,
                "items" => k.items?,
                "additionalProperties" => k.additional_properties?,
                "allOf" => k.all_of.get(steps.next()?.parse::<usize>().ok()?)?,
                "anyOf" => k.any_of.get(steps.next()?.parse::<usize>().ok()?)?,
                "oneOf" => k.one_of.get(steps.next()?.parse::<usize>().ok()?)?,
                _ => return None,
            };
        }
        Some(here)
    }
}

/// One step of a JSON pointer with `~1` and `~0` read as `/` and `~`; copied only when it has them.
/// (`crate::document::pointer_token` does the same; `build.rs` compiles this file on its own.)
fn unescape(step: &str) -> Cow<'_, str> {
    if step.contains('~') { Cow::Owned(step.replace("~1", "/").replace("~0", "~")) } else { Cow::Borrowed(step) }
}

/// The keywords of an object schema that the validator and [`super::Shape`] read.
#[derive(Debug, Clone, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct Keywords {
    #[serde(rename = "$ref")]
    pub reference: Option<Text>,
    pub all_of: Cow<'static, [Schema]>,
    pub any_of: Cow<'static, [Schema]>,
    pub one_of: Cow<'static, [Schema]>,
    /// `type`, as one name or a list of names.
    #[serde(rename = "type", deserialize_with = "one_or_many")]
    pub types: Cow<'static, [Text]>,
    #[serde(rename = "enum")]
    pub allowed: Option<Cow<'static, [Literal]>>,
    /// `const` (a `null` constant is `Some(Literal::Null)`).
    #[serde(rename = "const", deserialize_with = "present")]
    pub constant: Option<Literal>,
    pub properties: Named,
    pub pattern_properties: Named,
    #[serde(deserialize_with = "leaked")]
    pub additional_properties: Option<&'static Schema>,
    #[serde(deserialize_with = "leaked")]
    pub property_names: Option<&'static Schema>,
    pub required: Cow<'static, [Text]>,
    #[serde(deserialize_with = "leaked")]
    pub items: Option<&'static Schema>,
    pub min_items: Option<u64>,
    pub max_items: Option<u64>,
    pub unique_items: bool,
    pub min_length: Option<u64>,
    pub max_length: Option<u64>,
    pub pattern: Option<Text>,
    pub minimum: Option<Number>,
    pub maximum: Option<Number>,
    pub exclusive_minimum: Option<Number>,
    pub exclusive_maximum: Option<Number>,
    #[serde(alias = "$defs")]
    pub definitions: Named,
    /// `x-alias-of` ([`super::ALIAS_KEYWORD`]).
    #[serde(rename = "x-alias-of")]
    pub alias_of: Option<Text>,
    /// `x-ignored-keys` ([`super::IGNORED_KEYS_KEYWORD`]).
    #[serde(rename = "x-ignored-keys")]
    pub ignored_keys: Option<Text>,
    /// `x-ignored` ([`super::IGNORED_KEYWORD`]).
    #[serde(rename = "x-ignored")]
    pub ignored: Option<Text>,
    /// `x-lenient` ([`super::LENIENT_KEYWORD`]).
    #[serde(rename = "x-lenient")]
    pub lenient: bool,
}

impl Keywords {
    /// No keyword: the schema `{}`.
    pub const EMPTY: Keywords = Keywords {
        reference: None,
        all_of: Cow::Borrowed(&[]),
        any_of: Cow::Borrowed(&[]),
        one_of: Cow::Borrowed(&[]),
        types: Cow::Borrowed(&[]),
        allowed: None,
        constant: None,
        properties: Named::EMPTY,
        pattern_properties: Named::EMPTY,
        additional_properties: None,
        property_names: None,
        required: Cow::Borrowed(&[]),
        items: None,
        min_items: None,
        max_items: None,
        unique_items: false,
        min_length: None,
        max_length: None,
        pattern: None,
        minimum: None,
        maximum: None,
        exclusive_minimum: None,
        exclusive_maximum: None,
        definitions: Named::EMPTY,
        alias_of: None,
        ignored_keys: None,
        ignored: None,
        lenient: false,
    };
}

impl Default for Keywords {
    fn default() -> Self {
        Self::EMPTY
    }
}

/// A number in a schema (`minimum`, an `enum` value), with its JSON text for messages.
#[derive(Debug, Clone, PartialEq)]
pub struct Number {
    pub value: f64,
    /// The value, when it is an integer that fits.
    pub int: Option<i64>,
    pub text: Text,
}

impl Number {
    fn of(n: &serde_json::Number) -> Self {
        Number { value: n.as_f64().unwrap_or(0.0), int: n.as_i64(), text: n.to_string().into() }
    }
}

impl<'de> Deserialize<'de> for Number {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        serde_json::Number::deserialize(deserializer).map(|n| Number::of(&n))
    }
}

/// A value of `enum` or `const`.
#[derive(Debug, Clone, PartialEq)]
pub enum Literal {
    Null,
    Bool(bool),
    Number(Number),
    String(Text),
    /// A list or a mapping, as JSON text: never equal to a scalar.
    Other(Text),
}

impl Literal {
    fn of(value: Json) -> Self {
        match value {
            Json::Null => Literal::Null,
            Json::Bool(b) => Literal::Bool(b),
            Json::Number(n) => Literal::Number(Number::of(&n)),
            Json::String(s) => Literal::String(s.into()),
            other => Literal::Other(other.to_string().into()),
        }
    }

    /// The value for messages: a string as it is, anything else as JSON.
    pub fn text(&self) -> String {
        match self {
            Literal::Null => "null".into(),
            Literal::Bool(b) => b.to_string(),
            Literal::Number(n) => n.text.to_string(),
            Literal::String(s) | Literal::Other(s) => s.to_string(),
        }
    }
}

impl<'de> Deserialize<'de> for Literal {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        Json::deserialize(deserializer).map(Literal::of)
    }
}

/// Named subschemas (`properties`, `definitions`, …) in the order written, with an index
/// sorted by name for lookups.
#[derive(Debug, Clone)]
pub struct Named {
    pub entries: Cow<'static, [(Text, Schema)]>,
    /// Positions in `entries`, sorted by name; of a name written twice, the last one (as a
    /// JSON object keeps it).
    pub sorted: Cow<'static, [u32]>,
}

impl Named {
    pub const EMPTY: Named = Named { entries: Cow::Borrowed(&[]), sorted: Cow::Borrowed(&[]) };

    fn new(entries: Vec<(Text, Schema)>) -> Self {
        let mut sorted: Vec<u32> = (0..entries.len() as u32).collect();
        sorted.sort_by(|&a, &b| entries[a as usize].0.cmp(&entries[b as usize].0).then(b.cmp(&a)));
        sorted.dedup_by(|later, first| entries[*later as usize].0 == entries[*first as usize].0);
        Named { entries: entries.into(), sorted: sorted.into() }
    }

    pub fn get(&self, name: &str) -> Option<&Schema> {
        self.get_key_value(name).map(|(_, s)| s)
    }

    /// The name as the schema writes it, and its schema.
    pub fn get_key_value(&self, name: &str) -> Option<(&str, &Schema)> {
        let at = self.sorted.binary_search_by(|&i| self.entries[i as usize].0.as_ref().cmp(name)).ok()?;
        let (key, schema) = &self.entries[self.sorted[at] as usize];
        Some((key, schema))
    }

    /// The names in the order written.
    pub fn names(&self) -> impl Iterator<Item = &str> {
        self.entries.iter().map(|(name, _)| name.as_ref())
    }

    pub fn iter(&self) -> impl Iterator<Item = (&str, &Schema)> {
        self.entries.iter().map(|(name, schema)| (name.as_ref(), schema))
    }

    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }
}

impl Default for Named {
    fn default() -> Self {
        Self::EMPTY
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
                let keywords = Keywords::deserialize(de::value::MapAccessDeserializer::new(map))?;
                Ok(Schema::Object(Box::leak(Box::new(keywords))))
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
                while let Some((name, schema)) = map.next_entry::<String, Schema>()? {
                    entries.push((Text::Owned(name), schema));
                }
                Ok(Named::new(entries))
            }
        }
        deserializer.deserialize_map(NamedVisitor)
    }
}

/// A subschema in its own place (`items`, `additionalProperties`), leaked like every
/// subschema read at run time.
fn leaked<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Option<&'static Schema>, D::Error> {
    Schema::deserialize(deserializer).map(|s| Some(&*Box::leak(Box::new(s))))
}

/// `type`: a name or a list of names.
fn one_or_many<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Cow<'static, [Text]>, D::Error> {
    struct Names;
    impl<'de> Visitor<'de> for Names {
        type Value = Vec<Text>;
        fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str("a type name or a list of type names")
        }
        fn visit_str<E: de::Error>(self, name: &str) -> Result<Vec<Text>, E> {
            Ok(vec![Text::Owned(name.to_owned())])
        }
        fn visit_seq<A: de::SeqAccess<'de>>(self, mut seq: A) -> Result<Vec<Text>, A::Error> {
            let mut names = Vec::new();
            while let Some(name) = seq.next_element::<String>()? {
                names.push(Text::Owned(name));
            }
            Ok(names)
        }
    }
    deserializer.deserialize_any(Names).map(Cow::Owned)
}

/// A keyword whose value may be `null` and still be present (`const: null`).
fn present<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Option<Literal>, D::Error> {
    Json::deserialize(deserializer).map(|v| Some(Literal::of(v)))
}

/// Writing a schema out as a Rust expression of these types (`build.rs` builds the deployment
/// schema into the binary this way). Only keywords that differ from [`Keywords::EMPTY`] are
/// written.
impl Schema {
    pub fn to_rust(self) -> String {
        let mut out = String::new();
        write_schema(&self, &mut out);
        out
    }
}

fn write_schema(schema: &Schema, out: &mut String) {
    match schema {
        Schema::Bool(b) => out.push_str(&format!("Schema::Bool({b})")),
        Schema::Object(k) => {
            out.push_str("Schema::Object(&Keywords {");
            write_keywords(k, out);
            out.push_str("..Keywords::EMPTY })");
        }
    }
}

fn write_keywords(k: &Keywords, out: &mut String) {
    let text = |t: &str| format!("Cow::Borrowed({t:?})");
    let texts = |ts: &[Text]| format!("Cow::Borrowed(&[{}])", ts.iter().map(|t| text(t) + ",").collect::<String>());
    let option = |o: Option<String>| o.map_or_else(|| "None".to_owned(), |v| format!("Some({v})"));
    let mut field = |name: &str, value: String| out.push_str(&format!("{name}: {value},"));
    if let Some(r) = &k.reference {
        field("reference", option(Some(text(r))));
    }
    for (name, list) in [("all_of", &k.all_of), ("any_of", &k.any_of), ("one_of", &k.one_of)] {
        if !list.is_empty() {
            field(name, schemas(list));
        }
    }
    if !k.types.is_empty() {
        field("types", texts(&k.types));
    }
    if let Some(allowed) = &k.allowed {
        let items: String = allowed.iter().map(|l| literal(l) + ",").collect();
        field("allowed", format!("Some(Cow::Borrowed(&[{items}]))"));
    }
    if let Some(c) = &k.constant {
        field("constant", option(Some(literal(c))));
    }
    for (name, named) in
        [("properties", &k.properties), ("pattern_properties", &k.pattern_properties), ("definitions", &k.definitions)]
    {
        if !named.is_empty() {
            field(name, write_named(named));
        }
    }
    for (name, sub) in
        [("additional_properties", k.additional_properties), ("property_names", k.property_names), ("items", k.items)]
    {
        if let Some(s) = sub {
            field(name, format!("Some(&{})", s.to_rust()));
        }
    }
    if !k.required.is_empty() {
        field("required", texts(&k.required));
    }
    for (name, n) in [
        ("min_items", k.min_items),
        ("max_items", k.max_items),
        ("min_length", k.min_length),
        ("max_length", k.max_length),
    ] {
        if n.is_some() {
            field(name, format!("{n:?}"));
        }
    }
    if k.unique_items {
        field("unique_items", "true".into());
    }
    if let Some(p) = &k.pattern {
        field("pattern", option(Some(text(p))));
    }
    for (name, n) in [
        ("minimum", &k.minimum),
        ("maximum", &k.maximum),
        ("exclusive_minimum", &k.exclusive_minimum),
        ("exclusive_maximum", &k.exclusive_maximum),
    ] {
        if let Some(n) = n {
            field(name, option(Some(number(n))));
        }
    }
    for (name, t) in [("alias_of", &k.alias_of), ("ignored_keys", &k.ignored_keys), ("ignored", &k.ignored)] {
        if let Some(t) = t {
            field(name, option(Some(text(t))));
        }
    }
    if k.lenient {
        field("lenient", "true".into());
    }
}

fn schemas(list: &[Schema]) -> String {
    format!("Cow::Borrowed(&[{}])", list.iter().map(|s| s.to_rust() + ",").collect::<String>())
}

fn write_named(named: &Named) -> String {
    let entries: String =
        named.entries.iter().map(|(name, s)| format!("(Cow::Borrowed({name:?}), {}),", s.to_rust())).collect();
    let sorted: String = named.sorted.iter().map(|i| format!("{i},")).collect();
    format!("Named {{ entries: Cow::Borrowed(&[{entries}]), sorted: Cow::Borrowed(&[{sorted}]) }}")
}

fn number(n: &Number) -> String {
    // `{:?}` writes every f64 so that it reads back the same (`1.0`, `1e100`, `inf` is not JSON).
    format!("Number {{ value: {:?}, int: {:?}, text: Cow::Borrowed({:?}) }}", n.value, n.int, n.text)
}

fn literal(l: &Literal) -> String {
    match l {
        Literal::Null => "Literal::Null".into(),
        Literal::Bool(b) => format!("Literal::Bool({b})"),
        Literal::Number(n) => format!("Literal::Number({})", number(n)),
        Literal::String(s) => format!("Literal::String(Cow::Borrowed({s:?}))"),
        Literal::Other(s) => format!("Literal::Other(Cow::Borrowed({s:?}))"),
    }
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
        assert_eq!(k.types.iter().map(|t| t.as_ref()).collect::<Vec<_>>(), ["string", "null"]);
        assert_eq!(k.constant, Some(Literal::Null));
        assert!(matches!(k.properties.get("b"), Some(Schema::Bool(false))));
        assert_eq!(k.properties.names().collect::<Vec<_>>(), ["b", "a"]);
        assert_eq!(
            schema.pointer("/properties/a").and_then(Schema::keywords).unwrap().minimum.as_ref().map(|n| n.int),
            Some(Some(1))
        );
        let x = schema.pointer("/definitions/X").and_then(Schema::keywords).unwrap();
        assert_eq!((x.alias_of.as_deref(), x.lenient), (Some("y"), true));
        assert!(schema.pointer("/properties/c").is_none());
    }

    #[test]
    fn schemas_are_written_as_rust() {
        let schema: Schema = serde_json::from_value(json!({
            "type": "object", "properties": {"b": {"enum": ["x", 1.5, null]}, "a": false},
            "required": ["a"], "minimum": 0, "x-lenient": true
        }))
        .unwrap();
        assert_eq!(
            schema.to_rust(),
            "Schema::Object(&Keywords {types: Cow::Borrowed(&[Cow::Borrowed(\"object\"),]),\
             properties: Named { entries: Cow::Borrowed(&[(Cow::Borrowed(\"b\"), Schema::Object(&Keywords {\
             allowed: Some(Cow::Borrowed(&[Literal::String(Cow::Borrowed(\"x\")),Literal::Number(Number { value: 1.5, \
             int: None, text: Cow::Borrowed(\"1.5\") }),Literal::Null,])),..Keywords::EMPTY })),(Cow::Borrowed(\"a\"), \
             Schema::Bool(false)),]), sorted: Cow::Borrowed(&[1,0,]) },required: Cow::Borrowed(&[Cow::Borrowed(\"a\"),]),\
             minimum: Some(Number { value: 0.0, int: Some(0), text: Cow::Borrowed(\"0\") }),lenient: true,..Keywords::EMPTY })"
        );
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
