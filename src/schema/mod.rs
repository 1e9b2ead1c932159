//! JSON Schema documents, and the validator every file kind shares.
//!
//! Each kind of input is described by a JSON Schema: deployment configs by the schema
//! generated from the typed options ([`crate::config::schema`]), Claude Code settings by the
//! SchemaStore schema (vendored in `schemas/vendor/`, with agentlint's annotations laid over
//! it), MCP files and Markdown frontmatter by small schemas of their own. [`validate`] walks
//! a parsed span tree against one of them in a single pass (see [`validate::Validator`]).
//!
//! Annotations agentlint adds to a schema (ignored by editors and other validators):
//! - `x-alias-of: NAME` on a property: the key is another spelling of `NAME`; the validator
//!   renames it, so rules see one canonical name.
//! - `x-ignored-keys: WHY` on an object: an unknown key there is not merely unknown, Claude
//!   Code silently drops it (reported as AL008 instead of AL003), and `WHY` says what is lost.
//! - `x-ignored: WHY` on a property: Claude Code knows the key but does not read it in this
//!   kind of file (AL008); the value is still checked and kept for the rules that scan values.
//! - `x-lenient: true` on a subschema: constraints under it that Claude Code does not
//!   enforce (`pattern`, `uniqueItems`) are skipped; rules report what matters there.

pub mod keywords;
pub mod validate;

use serde_json::Value;

pub use keywords::{Keywords, Schema};
pub use validate::{Describe, Dropped, Outcome, Problem, ProblemKind, Step, validate};

/// Annotation on an alias property naming the canonical field.
pub const ALIAS_KEYWORD: &str = "x-alias-of";
/// Annotation on an object whose unknown keys Claude Code drops without a word.
pub const IGNORED_KEYS_KEYWORD: &str = "x-ignored-keys";
/// Annotation on a property Claude Code does not read in this kind of file.
pub const IGNORED_KEYWORD: &str = "x-ignored";
/// Annotation that switches off constraints Claude Code does not enforce.
pub const LENIENT_KEYWORD: &str = "x-lenient";

/// A whole schema document; `$ref`s are resolved inside it.
#[derive(Debug)]
pub struct SchemaDoc {
    pub root: Schema,
    /// Where the `$ref`s this document does not resolve itself are looked up: the Markdown
    /// kinds' schemas use the deployment schema's definitions (hooks, MCP servers).
    pub fallback: Option<&'static SchemaDoc>,
}

impl SchemaDoc {
    /// Reads a schema from its JSON text (its subschemas are leaked, as with [`SchemaDoc::new`]).
    pub fn from_json_text(text: &str) -> serde_json::Result<Self> {
        Ok(Self { root: serde_json::from_str(text)?, fallback: None })
    }

    /// Reads a schema built as a JSON value. Panics when it is not a schema: schemas are
    /// agentlint's own. Its subschemas are leaked (see [`keywords`]): a schema is read once and
    /// kept for the whole run.
    pub fn new(root: Value) -> Self {
        Self { root: serde_json::from_value(root).expect("a schema agentlint builds is a JSON Schema"), fallback: None }
    }

    /// [`SchemaDoc::new`], resolving the `$ref`s it does not define in `fallback`.
    pub fn with_fallback(root: Value, fallback: &'static SchemaDoc) -> Self {
        Self { fallback: Some(fallback), ..Self::new(root) }
    }

    /// The subschema a local reference (`#/definitions/X`, `#/$defs/X`) points at.
    pub fn deref(&self, reference: &str) -> Option<&Schema> {
        let pointer = reference.strip_prefix('#')?;
        self.root.pointer(pointer).or_else(|| self.fallback?.root.pointer(pointer))
    }

    /// The subschema at a JSON pointer (`""` for the root).
    pub fn pointer(&self, pointer: &str) -> Option<&Schema> {
        self.root.pointer(pointer)
    }

    /// The shape of the subschema at a JSON pointer (`""` for the root).
    pub fn shape(&self, pointer: &str) -> Shape<'_> {
        let mut shape = Shape { doc: self, schemas: Vec::new() };
        if let Some(schema) = self.root.pointer(pointer) {
            shape.expand(schema);
        }
        shape
    }
}

/// Every alternative subschema at one place in a document (`$ref`, `anyOf`, `oneOf` and
/// `allOf` expanded): what keys exist there, what they are called canonically, what types
/// a value may have.
#[derive(Clone)]
pub struct Shape<'s> {
    doc: &'s SchemaDoc,
    schemas: Vec<&'s Keywords>,
}

impl<'s> Shape<'s> {
    fn expand(&mut self, schema: &'s Schema) {
        let Some(k) = schema.keywords() else { return };
        if self.schemas.len() > 64 {
            return; // a recursive schema; the alternatives seen so far are enough
        }
        if let Some(target) = k.reference.as_deref().and_then(|r| self.doc.deref(r)) {
            self.expand(target);
        }
        self.schemas.push(k);
        for branch in k.any_of.iter().chain(k.one_of.iter()).chain(k.all_of.iter()) {
            self.expand(branch);
        }
    }

    /// JSON types the alternatives allow (`string`, `object`, …).
    pub fn types(&self) -> Vec<&'s str> {
        self.schemas.iter().flat_map(|s| s.types.iter().map(|t| t.as_ref())).collect()
    }

    /// True when some alternative declares named properties (a struct-like mapping).
    pub fn has_fields(&self) -> bool {
        self.schemas.iter().any(|s| !s.properties.is_empty())
    }

    pub fn is_field(&self, key: &str) -> bool {
        self.schemas.iter().any(|s| s.properties.get(key).is_some())
    }

    /// The canonical field a key names here: itself, or the field it is an alias of.
    pub fn canonical_field(&self, key: &str) -> Option<&'s str> {
        self.schemas.iter().find_map(|s| {
            let (name, prop) = s.properties.get_key_value(key)?;
            Some(prop.keywords().and_then(|p| p.alias_of.as_deref()).unwrap_or(name))
        })
    }

    /// Every property name declared here (canonical and alias spellings), sorted.
    pub fn field_names(&self) -> Vec<&'s str> {
        let mut names: Vec<&str> = self.schemas.iter().flat_map(|s| s.properties.names()).collect();
        names.sort_unstable();
        names.dedup();
        names
    }

    /// The shape of the value under `key`.
    pub fn field(&self, key: &str) -> Shape<'s> {
        let mut child = Shape { doc: self.doc, schemas: Vec::new() };
        for s in &self.schemas {
            if let Some(sub) = s.properties.get(key) {
                child.expand(sub);
            } else if let Some(sub @ Schema::Object(_)) = s.additional_properties {
                child.expand(sub);
            }
        }
        child
    }

    /// The shape of list items.
    pub fn items(&self) -> Shape<'s> {
        let mut child = Shape { doc: self.doc, schemas: Vec::new() };
        for s in &self.schemas {
            if let Some(sub) = s.items {
                child.expand(sub);
            }
        }
        child
    }

    /// "a string or a mapping": the alternatives' types for messages.
    pub fn describe(&self) -> String {
        let mut types: Vec<&str> = self.types().into_iter().map(type_phrase).collect();
        types.sort_unstable();
        types.dedup();
        if types.is_empty() { "a valid value".into() } else { join_or(&types) }
    }
}

/// "a string", "an integer", … for a JSON Schema type name.
pub fn type_phrase(t: &str) -> &'static str {
    match t {
        "string" => "a string",
        "integer" => "an integer",
        "number" => "a number",
        "boolean" => "`true` or `false`",
        "array" => "a list",
        "object" => "a mapping",
        "null" => "null",
        _ => "a value of another type",
    }
}

/// "a, b or c", leaving out `null` (an optional value may always be left out instead).
pub fn join_or(items: &[&str]) -> String {
    let mut items: Vec<&str> = items.iter().copied().filter(|i| *i != "null").collect();
    items.dedup();
    match items.as_slice() {
        [] => "null".into(),
        [one] => (*one).into(),
        [init @ .., last] => format!("{} or {last}", init.join(", ")),
    }
}
