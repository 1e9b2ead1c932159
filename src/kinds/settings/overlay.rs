//! Where Claude Code is more tolerant, or stricter, than the SchemaStore settings schema:
//! agentlint's changes to it. `build.rs` applies them (it includes this file) before it builds
//! the schema into the binary, so this file uses nothing but `serde_json`.

use serde_json::{Value as Json, json};

/// Keys Claude Code reads but the vendored schema does not declare (TS SDK `Settings` type and
/// the settings reference's index), so they are not reported as unknown.
const UNDECLARED_KEYS: &[&str] = &[
    "autoCompactWindow",
    "crossSessionInbound",
    "dialogExpiry",
    "disableCommandPluginSources",
    "enableWorkflows",
    "isolatePeerMachines",
    "keybindingFlavor",
    "promptSuggestionEnabled",
    "remote",
    "skipAutoPermissionPrompt",
    "spellcheck",
    "switchModelsOnFlag",
    "syncClaudeAiSkills",
    "terminalTitleFromRename",
    "ultracode",
];

/// Applies the overlay to the vendored schema.
pub fn overlay(root: &mut Json) {
    let props = root.pointer_mut("/properties").and_then(Json::as_object_mut).expect("schema has properties");
    for key in UNDECLARED_KEYS {
        props.entry(*key).or_insert_with(|| json!({}));
    }
    // MCP servers live in `.mcp.json` and `~/.claude.json`; a settings file's are never started.
    props.insert(
        "mcpServers".into(),
        json!({
            "type": "object",
            "x-ignored": "Claude Code does not read MCP servers from settings files; define them in `.mcp.json` (project) or with `claude mcp add` (user, local)",
        }),
    );
    // Rule syntax is AL105's business, with the CLI's grammar (the schema's regex is stricter
    // than the CLI); duplicates are harmless.
    if let Some(permissions) = props.get_mut("permissions").and_then(Json::as_object_mut) {
        permissions.insert("x-lenient".into(), Json::Bool(true));
    }
    // Lower-case names are exported and numbers are turned into strings: both work.
    if let Some(env) = props.get_mut("env").and_then(Json::as_object_mut) {
        env.insert("x-lenient".into(), Json::Bool(true));
        let scalar = json!({"type": ["string", "number", "boolean"]});
        env.insert("additionalProperties".into(), scalar.clone());
        if let Some(Json::Object(declared)) = env.get_mut("properties") {
            declared.values_mut().for_each(|p| *p = scalar.clone());
        }
    }
    // `delegate` is in the schema, but no released CLI accepts it: the file is dropped.
    if let Some(Json::Array(modes)) =
        props.get_mut("permissions").and_then(|p| p.pointer_mut("/properties/defaultMode/enum"))
    {
        modes.retain(|m| m != "delegate");
    }
    if let Some(hooks) = props.get_mut("hooks").and_then(Json::as_object_mut) {
        hooks.insert(
            "x-ignored-keys".into(),
            Json::String("Claude Code runs no hook registered under an event name it does not know".into()),
        );
    }
    // Unknown keys are worth a warning: the CLI tolerates them, but a misspelt key is a setting lost.
    if let Some(obj) = root.as_object_mut() {
        obj.insert("additionalProperties".into(), Json::Bool(false));
    }
}
