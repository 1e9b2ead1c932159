//! JSON Schema generation (schemars): the deployment schema, as committed in `schemas/` and as
//! the document the validator walks.
//!
//! The schema is generated from the types in [`super::types`], then every object
//! gains its alias spellings as extra properties so editors complete and accept
//! both `allowed_tools` and `allowedTools`.

use std::sync::LazyLock;

use schemars::generate::SchemaSettings;
use serde_json::{Map, Value, json};

use crate::schema::SchemaDoc;

use super::aliases;
use super::types::{AgentOptions, DeploymentFile, McpFile};

pub use crate::schema::ALIAS_KEYWORD;

/// The committed schema, as the document the validator walks: static data `build.rs` wrote
/// from it (without its annotations), so nothing is generated or parsed at start;
/// `tests/generated.rs` keeps the committed schema equal to [`generate`].
pub static DOC: SchemaDoc = SchemaDoc { root: built::ROOT, fallback: None };

/// The deployment schema as static data, written by `build.rs` from the committed schema
/// without its annotations.
mod built {
    use std::borrow::Cow;

    use crate::schema::keywords::{Keywords, Literal, Named, Number, Schema};

    pub const ROOT: Schema = include!(concat!(env!("OUT_DIR"), "/agent-config.schema.rs"));
}

/// Every name an agent option may be written under (canonical and alias spellings), sorted,
/// for suggestions; [`is_option_name`] looks names up in a set made from it.
pub static OPTION_NAMES: LazyLock<Vec<&'static str>> =
    LazyLock::new(|| DOC.shape("/definitions/AgentOptions").field_names());

/// [`OPTION_NAMES`] as a set: asked for every key of every agent, where a hash of a short key
/// costs less than the string comparisons of a binary search.
static OPTION_SET: LazyLock<std::collections::HashSet<&'static str>> =
    LazyLock::new(|| OPTION_NAMES.iter().copied().collect());

/// True when `key` names an agent option (in either spelling).
pub fn is_option_name(key: &str) -> bool {
    OPTION_SET.contains(key)
}

/// `schemas/agent-config.schema.json`, built into the binary.
pub const COMMITTED: &str = include_str!("../../schemas/agent-config.schema.json");

/// Generates the schema: `DeploymentFile` when the file has `agents:` and nothing
/// but `version`/`defaults`/`$schema` beside it, otherwise one agent's `AgentOptions`.
pub fn generate() -> Value {
    let mut generator = SchemaSettings::draft07().into_generator();
    generator.subschema_for::<DeploymentFile>();
    generator.subschema_for::<AgentOptions>();
    generator.subschema_for::<McpFile>();
    let mut definitions: Map<String, Value> = generator.take_definitions(true).into_iter().collect();
    for schema in definitions.values_mut() {
        add_aliases(schema);
    }
    // The CLI runs no hook registered under an event name it does not know.
    if let Some(Value::Object(hooks)) = definitions.get_mut("Hooks") {
        hooks.insert(
            crate::schema::IGNORED_KEYS_KEYWORD.into(),
            Value::String("the CLI runs no hook registered under an event name it does not know".into()),
        );
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
    let mut s = serde_json::to_string_pretty(&generate()).expect("schema serializes");
    s.push('\n');
    s
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::schema::Schema;

    #[test]
    fn aliases_are_in_the_schema() {
        let props = &DOC.pointer("/definitions/AgentOptions").and_then(Schema::keywords).unwrap().properties;
        for key in ["allowed_tools", "allowedTools", "maxBudgetUsd", "additionalDirectories", "add_dirs"] {
            assert!(props.get(key).is_some(), "{key}");
        }
        let sandbox = DOC.pointer("/definitions/Sandbox/properties/allowUnsandboxedCommands");
        assert!(sandbox.is_some());
    }

    #[test]
    fn the_built_in_schema_is_the_committed_one() {
        // `build.rs` wrote `DOC` as Rust; reading the same JSON at run time gives the same schema.
        let read = SchemaDoc::from_json_text(include_str!(concat!(env!("OUT_DIR"), "/agent-config.runtime.json")));
        let read = read.unwrap();
        assert_eq!(DOC.root.to_rust(), read.root.to_rust());
        assert!(DOC.root.to_rust().len() > 20_000);
    }

    #[test]
    fn shape_follows_refs_and_unions() {
        let agent = DOC.shape("/definitions/AgentOptions");
        assert!(agent.is_field("sandbox"));
        assert!(agent.field("sandbox").field("network").is_field("allowed_domains"));
        assert!(agent.field("thinking").is_field("budget_tokens"));
        let hook = agent.field("hooks").field("PostToolUse").items().field("hooks").items();
        assert!(hook.is_field("status_message"));
        assert!(!agent.field("env").has_fields());
    }

    #[test]
    fn the_validator_reads_the_generated_schema() {
        let valid = crate::document::parse_yaml("max_turns: 3\n").unwrap();
        assert!(crate::schema::validate(&DOC, "/definitions/AgentOptions", &valid).problems.is_empty());
        let invalid = crate::document::parse_yaml("max_turns: x\n").unwrap();
        assert_eq!(crate::schema::validate(&DOC, "/definitions/AgentOptions", &invalid).problems.len(), 1);
        let file = crate::document::parse_yaml("agents: {a: {}}\n").unwrap();
        assert!(crate::schema::validate(&DOC, "/definitions/DeploymentFile", &file).problems.is_empty());
    }
}
