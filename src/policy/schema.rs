//! JSON Schemas of the project configuration (`schemas/agentlint-config.schema.json`) and
//! of policy packs (`schemas/agentlint-policy.schema.json`), generated from the serde types
//! in [`super::project`] and [`super::pack`].

use schemars::JsonSchema;
use schemars::generate::SchemaSettings;
use serde_json::Value;

use super::pack::PackFile;
use super::project::ProjectConfigFile;

/// No `$id`: the schemas are used by path (`# yaml-language-server: $schema=…`), not from a registry.
fn generate<T: JsonSchema>() -> Value {
    let generator = SchemaSettings::draft07().into_generator();
    let schema = generator.into_root_schema_for::<T>();
    let mut value = serde_json::to_value(schema).expect("schema serializes");
    drop_null_defaults(&mut value);
    value
}

/// Optional strings are typed `string` (null is rejected by the loader), so their serde
/// default (`null`) would contradict the type: drop it.
fn drop_null_defaults(value: &mut Value) {
    match value {
        Value::Object(obj) => {
            if obj.get("default").is_some_and(Value::is_null) {
                obj.remove("default");
            }
            obj.values_mut().for_each(drop_null_defaults);
        }
        Value::Array(items) => items.iter_mut().for_each(drop_null_defaults),
        _ => {}
    }
}

/// The schema of `.agentlint.yaml`.
pub fn config_schema() -> Value {
    generate::<ProjectConfigFile>()
}

/// The schema of a policy pack.
pub fn policy_schema() -> Value {
    generate::<PackFile>()
}

/// Pretty JSON with a trailing newline, as committed in `schemas/`.
pub fn to_pretty_string(schema: &Value) -> String {
    let mut s = serde_json::to_string_pretty(schema).expect("schema serializes");
    s.push('\n');
    s
}
