//! JSON Schemas of the project configuration (`schemas/agentlint-config.schema.json`) and
//! of policy packs (`schemas/agentlint-policy.schema.json`), generated from the serde types
//! in [`super::project`] and [`super::pack`].

use schemars::JsonSchema;
use schemars::generate::SchemaSettings;
use serde_json::Value;

use super::pack::PackFile;
use super::project::ProjectConfigFile;

/// The `$id` of the project-configuration schema.
pub const CONFIG_SCHEMA_ID: &str = "https://agentlint.dev/schemas/agentlint-config.schema.json";
/// The `$id` of the policy-pack schema.
pub const POLICY_SCHEMA_ID: &str = "https://agentlint.dev/schemas/agentlint-policy.schema.json";

fn generate<T: JsonSchema>(id: &str) -> Value {
    let generator = SchemaSettings::draft07().into_generator();
    let schema = generator.into_root_schema_for::<T>();
    let mut value = serde_json::to_value(schema).expect("schema serializes");
    drop_null_defaults(&mut value);
    let Value::Object(obj) = value else { return value };
    // `$schema` and `$id` first, as in the deployment-config schema.
    let mut out = serde_json::Map::new();
    if let Some(draft) = obj.get("$schema") {
        out.insert("$schema".into(), draft.clone());
    }
    out.insert("$id".into(), Value::String(id.into()));
    out.extend(obj.into_iter().filter(|(k, _)| k != "$schema"));
    Value::Object(out)
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
    generate::<ProjectConfigFile>(CONFIG_SCHEMA_ID)
}

/// The schema of a policy pack.
pub fn policy_schema() -> Value {
    generate::<PackFile>(POLICY_SCHEMA_ID)
}

/// Pretty JSON with a trailing newline, as committed in `schemas/`.
pub fn to_pretty_string(schema: &Value) -> String {
    let mut s = serde_json::to_string_pretty(schema).expect("schema serializes");
    s.push('\n');
    s
}
