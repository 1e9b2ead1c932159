//! JSON Schema generation (schemars) and the compiled validators.
//!
//! The schema is generated from the types in [`super::types`], then every object
//! gains its alias spellings as extra properties so editors complete and accept
//! both `allowed_tools` and `allowedTools`.

use std::sync::LazyLock;

use schemars::generate::SchemaSettings;
use serde_json::{Map, Value, json};

use super::aliases;
use super::types::{AgentOptions, DeploymentFile};

/// Annotation on an alias property naming the canonical field (ignored by validators and editors).
pub const ALIAS_KEYWORD: &str = "x-alias-of";

/// The deployment-config schema, generated once.
pub static SCHEMA: LazyLock<Value> = LazyLock::new(generate);

/// Validator for a whole several-agents file.
pub static FILE_VALIDATOR: LazyLock<jsonschema::Validator> = LazyLock::new(|| compile("DeploymentFile"));
/// Validator for one agent's options (single-agent files).
pub static AGENT_VALIDATOR: LazyLock<jsonschema::Validator> = LazyLock::new(|| compile("AgentOptions"));

fn compile(definition: &str) -> jsonschema::Validator {
    let mut root = SCHEMA.clone();
    let obj = root.as_object_mut().expect("schema is an object");
    for k in ["if", "then", "else", "title", "description", "$id"] {
        obj.remove(k);
    }
    obj.insert("$ref".into(), Value::String(format!("#/definitions/{definition}")));
    jsonschema::draft7::new(&root).expect("the generated schema compiles")
}

/// Generates the schema: `DeploymentFile` when the file has `agents:` and nothing
/// but `version`/`defaults`/`$schema` beside it, otherwise one agent's `AgentOptions`.
pub fn generate() -> Value {
    let mut generator = SchemaSettings::draft07().into_generator();
    generator.subschema_for::<DeploymentFile>();
    generator.subschema_for::<AgentOptions>();
    let mut definitions: Map<String, Value> = generator.take_definitions(true).into_iter().collect();
    for schema in definitions.values_mut() {
        add_aliases(schema);
    }
    json!({
        "$schema": "http://json-schema.org/draft-07/schema#",
        "title": "agentlint deployment config",
        "description": "Claude Code / Claude Agent SDK session options for one agent, or several agents under `agents:` with shared `defaults:`.",
        "if": {
            "type": "object",
            "required": ["agents"],
            "propertyNames": { "enum": ["$schema", "version", "defaults", "agents"] }
        },
        "then": { "$ref": "#/definitions/DeploymentFile" },
        "else": { "$ref": "#/definitions/AgentOptions" },
        "definitions": definitions,
    })
}

/// Adds alias spellings beside every object property (recursively).
fn add_aliases(schema: &mut Value) {
    match schema {
        Value::Object(obj) => {
            if let Some(Value::Object(props)) = obj.get_mut("properties") {
                let extra: Vec<(String, Value)> = props
                    .iter()
                    .flat_map(|(name, sub)| {
                        aliases::aliases_of(name).filter(|a| !props.contains_key(a)).map(move |alias| {
                            let mut alias_schema = sub.clone();
                            if let Value::Object(o) = &mut alias_schema {
                                o.insert("description".into(), Value::String(format!("Alias of `{name}`.")));
                                o.insert(ALIAS_KEYWORD.into(), Value::String(name.clone()));
                            }
                            (alias, alias_schema)
                        })
                    })
                    .collect();
                props.extend(extra);
            }
            for (key, value) in obj.iter_mut() {
                if key != "enum" && key != "const" {
                    add_aliases(value);
                }
            }
        }
        Value::Array(items) => items.iter_mut().for_each(add_aliases),
        _ => {}
    }
}

/// The schema as pretty JSON with a trailing newline, as committed in `schemas/`.
pub fn to_pretty_string() -> String {
    let mut s = serde_json::to_string_pretty(&*SCHEMA).expect("schema serializes");
    s.push('\n');
    s
}

/// A set of alternative subschemas at one place in the document (after `$ref`,
/// `anyOf`/`oneOf`/`allOf` are expanded), used to find which keys exist there.
#[derive(Clone, Default)]
pub struct Shape<'s> {
    schemas: Vec<&'s Value>,
}

impl<'s> Shape<'s> {
    pub fn definition(name: &str) -> Shape<'static> {
        let mut shape = Shape::default();
        if let Some(def) = SCHEMA.pointer(&format!("/definitions/{name}")) {
            shape.expand(def);
        }
        shape
    }

    fn expand(&mut self, schema: &'s Value) {
        let Some(obj) = schema.as_object() else { return };
        if let Some(target) =
            obj.get("$ref").and_then(Value::as_str).and_then(|r| r.strip_prefix('#')).and_then(|p| SCHEMA.pointer(p))
        {
            // SCHEMA is 'static; `'s` never outlives it.
            let target: &'s Value = target;
            self.expand(target);
        }
        self.schemas.push(schema);
        for key in ["anyOf", "oneOf", "allOf"] {
            if let Some(Value::Array(branches)) = obj.get(key) {
                for b in branches {
                    self.expand(b);
                }
            }
        }
    }

    /// True when some alternative declares named properties (a struct-like mapping).
    /// JSON types the alternatives allow (`string`, `object`, …).
    pub fn types(&self) -> Vec<&'s str> {
        let mut out = Vec::new();
        for s in &self.schemas {
            match s.get("type") {
                Some(Value::String(t)) => out.push(t.as_str()),
                Some(Value::Array(ts)) => out.extend(ts.iter().filter_map(Value::as_str)),
                _ => {}
            }
        }
        out
    }

    pub fn has_fields(&self) -> bool {
        self.schemas.iter().any(|s| s.get("properties").is_some_and(Value::is_object))
    }

    pub fn is_field(&self, key: &str) -> bool {
        self.schemas.iter().any(|s| s.get("properties").and_then(|p| p.get(key)).is_some())
    }

    /// The canonical field a key names here: itself, or the field it is an alias of.
    pub fn canonical_field(&self, key: &str) -> Option<&'s str> {
        self.schemas.iter().find_map(|s| {
            let (name, prop) = s.get("properties")?.as_object()?.get_key_value(key)?;
            Some(prop.get(ALIAS_KEYWORD).and_then(Value::as_str).unwrap_or(name.as_str()))
        })
    }

    /// Every property name declared here (canonical and alias spellings).
    pub fn field_names(&self) -> Vec<&'s str> {
        let mut names: Vec<&str> = self
            .schemas
            .iter()
            .filter_map(|s| s.get("properties").and_then(Value::as_object))
            .flat_map(|p| p.keys().map(String::as_str))
            .collect();
        names.sort_unstable();
        names.dedup();
        names
    }

    /// The shape of the value under `key`.
    pub fn field(&self, key: &str) -> Shape<'s> {
        let mut child = Shape::default();
        for s in &self.schemas {
            if let Some(sub) = s.get("properties").and_then(|p| p.get(key)) {
                child.expand(sub);
            } else if let Some(sub @ Value::Object(_)) = s.get("additionalProperties") {
                child.expand(sub);
            }
        }
        child
    }

    /// The shape of list items.
    pub fn items(&self) -> Shape<'s> {
        let mut child = Shape::default();
        for s in &self.schemas {
            if let Some(sub) = s.get("items") {
                child.expand(sub);
            }
        }
        child
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn aliases_are_in_the_schema() {
        let props = SCHEMA.pointer("/definitions/AgentOptions/properties").unwrap();
        for key in ["allowed_tools", "allowedTools", "maxBudgetUsd", "additionalDirectories", "add_dirs"] {
            assert!(props.get(key).is_some(), "{key}");
        }
        let sandbox = SCHEMA.pointer("/definitions/Sandbox/properties").unwrap();
        assert!(sandbox.get("allowUnsandboxedCommands").is_some());
    }

    #[test]
    fn shape_follows_refs_and_unions() {
        let agent = Shape::definition("AgentOptions");
        assert!(agent.is_field("sandbox"));
        assert!(agent.field("sandbox").field("network").is_field("allowed_domains"));
        assert!(agent.field("thinking").is_field("budget_tokens"));
        let hook = agent.field("hooks").field("PostToolUse").items().field("hooks").items();
        assert!(hook.is_field("status_message"));
        assert!(!agent.field("env").has_fields());
    }

    #[test]
    fn validators_compile() {
        assert!(AGENT_VALIDATOR.is_valid(&json!({"max_turns": 3})));
        assert!(!AGENT_VALIDATOR.is_valid(&json!({"max_turns": "x"})));
        assert!(FILE_VALIDATOR.is_valid(&json!({"agents": {"a": {}}})));
    }
}
