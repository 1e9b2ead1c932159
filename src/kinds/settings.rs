//! The `settings` kind: Claude Code's `settings.json` in any scope (user, project, local,
//! managed).
//!
//! The file is validated against the SchemaStore schema (`schemas/vendor/`), with agentlint's
//! annotations laid over it where Claude Code is more or less tolerant than the schema (see
//! `src/kinds/settings/overlay.rs`, applied by `build.rs`); keys a file's scope does not
//! honour are reported (AL008). The shared options live in other places than in a deployment config (`permissions.defaultMode` is
//! `permission_mode`, `permissions.allow` is `allowed_tools`, …); [`view`] gathers them.

use super::{Dialect, FileKind, Kind, Scope, Syntax};
use crate::config::{Agent, LoadedConfig};
use crate::document::{Entry, Key, Node, Seg, Span, Value};
use crate::report::Finding;
use crate::schema::{Describe, Problem, ProblemKind, SchemaDoc, Step};

/// The SchemaStore settings schema (synced to CLI 2.1.220), with agentlint's overlay
/// (`src/kinds/settings/overlay.rs`): static data `build.rs` wrote from the vendored schema
/// without its annotations, so a check parses no schema before it starts.
pub static DOC: SchemaDoc = SchemaDoc { root: built::ROOT, fallback: None };

mod built {
    use std::borrow::Cow;

    use crate::schema::keywords::{Keywords, Literal, Named, Number, Schema};

    pub const ROOT: Schema = include!(concat!(env!("OUT_DIR"), "/claude-code-settings.schema.rs"));
}

/// Keys that only some scopes honour (settings reference, "All settings", Scope column).
const MANAGED_ONLY: &[&str] = &[
    "allowAllClaudeAiMcps",
    "allowedChannelPlugins",
    "allowManagedHooksOnly",
    "allowManagedMcpServersOnly",
    "allowManagedPermissionRulesOnly",
    "blockedMarketplaces",
    "browserExternalPageTools",
    "channelsEnabled",
    "claudeMd",
    "disableBrowserExternalNavigation",
    "disableCommandPluginSources",
    "disableMobileSimulatorTools",
    "disableSideloadFlags",
    "forceLoginGatewayUrl",
    "forceRemoteSettingsRefresh",
    "parentSettingsBehavior",
    "pluginSuggestionMarketplaces",
    "pluginTrustMessage",
    "policyHelper",
    "requiredMaximumVersion",
    "requiredMinimumVersion",
    "sandbox.bwrapPath",
    "sandbox.filesystem.allowManagedReadPathsOnly",
    "sandbox.network.allowManagedDomainsOnly",
    "sandbox.socatPath",
    "sshHostAllowlist",
    "strictKnownMarketplaces",
    "strictPluginOnlyCustomization",
    "wslInheritsWindowsSettings",
];
const USER_OR_MANAGED: &[&str] = &[
    "askUserQuestionTimeout",
    "autoMode",
    "dialogExpiry",
    "enableArtifact",
    "footerLinksRegexes",
    "pluginConfigs",
    "processWrapper",
    "sandbox.allowAppleEvents",
    "sandbox.credentials.allowPlaintextInject",
    "sandbox.credentials.awsPairs",
    "sandbox.credentials.sigv4",
    "sandbox.filesystem.disabled",
    "sandbox.network.strictAllowlist",
    "sandbox.network.tlsTerminate",
    "sandbox.ripgrep",
    "skipAutoPermissionPrompt",
    "spellcheck",
    "sshConfigs",
    "vimInsertModeRemaps",
];
const USER_LOCAL_OR_MANAGED: &[&str] =
    &["skipDangerousModePermissionPrompt", "syncClaudeAiSkills", "useAutoModeDuringPlan"];
/// Keys of the global config `~/.claude.json`, which no settings file sets.
const GLOBAL_CONFIG: &[&str] = &[
    "autoConnectIde",
    "autoInstallIdeExtension",
    "diffTool",
    "externalEditorContext",
    "permissionExplainerEnabled",
    "teammateDefaultModel",
];

/// Why a key at `path` (dotted, as written) is ignored in a file of `scope`, if it is.
fn ignored_in_scope(path: &str, scope: Scope) -> Option<String> {
    let (honoured_by, scopes): (&str, &[Scope]) = if MANAGED_ONLY.contains(&path) {
        ("managed settings", &[Scope::Managed])
    } else if USER_OR_MANAGED.contains(&path) {
        ("user or managed settings", &[Scope::User, Scope::Managed])
    } else if USER_LOCAL_OR_MANAGED.contains(&path) {
        ("user, local or managed settings", &[Scope::User, Scope::Local, Scope::Managed])
    } else if GLOBAL_CONFIG.contains(&path) {
        return Some(
            "Claude Code reads it only from the global config `~/.claude.json`, not from settings files".into(),
        );
    } else {
        return None;
    };
    (!scopes.contains(&scope)).then(|| format!("Claude Code honours it only in {honoured_by}, not in {scope} settings"))
}

/// `project settings`, `managed settings`, … for messages.
pub fn label(scope: Scope) -> String {
    format!("{scope} settings")
}

const EXAMPLE: &str = "a settings file is a JSON object, e.g. `{\"permissions\": {\"defaultMode\": \"dontAsk\"}}`";

pub fn load(path: &str, bytes: Vec<u8>, kind: FileKind) -> (LoadedConfig, Vec<Finding>) {
    let scope = kind.scope.unwrap_or(Scope::Project);
    let kind = FileKind::new(Kind::Settings, Some(scope));
    const PARSE_HELP: &str = "Claude Code reads settings files as strict JSON (no comments, no trailing commas) and ignores this whole file until it parses";
    let mut config = match crate::config::load::load_json_object(path, bytes, kind, PARSE_HELP, EXAMPLE) {
        Ok(config) => config,
        Err(failed) => return *failed,
    };
    let mut findings = Vec::new();
    let mut outcome = crate::schema::validate(&DOC, "", &config.root);
    let tree = outcome.tree.take().unwrap_or_else(|| Node::new(Value::Map(Vec::new()), config.root.span));
    scope_problems(&tree, scope, &mut Vec::new(), &mut outcome.problems);
    outcome.problems.extend(super::hooks::matcher_problems(&tree));
    config.report(&outcome, &Settings, &mut findings);
    config.tree = tree;
    let agent = session(&config, outcome.invalid, &mut findings, label(scope));
    config.agents = vec![agent];
    (config, findings)
}

/// AL008 for each key the file's scope does not honour, and for `defaultMode: auto` in a project
/// or local file (ignored there since CLI 2.1.142).
fn scope_problems<'a>(node: &'a Node, scope: Scope, path: &mut Vec<&'a str>, out: &mut Vec<Problem>) {
    let Some(entries) = node.as_map() else { return };
    for entry in entries {
        path.push(&entry.key.text);
        let dotted = path.join(".");
        let steps = || path.iter().map(|k| Step::key(k, k)).collect::<Vec<_>>();
        if let Some(why) = ignored_in_scope(&dotted, scope) {
            out.push(Problem {
                path: steps(),
                span: entry.key.span,
                kind: ProblemKind::Ignored { key: entry.key.text.clone(), why },
            });
        } else if dotted == "permissions.defaultMode"
            && entry.value.as_str() == Some("auto")
            && matches!(scope, Scope::Project | Scope::Local)
        {
            out.push(Problem {
                path: steps(),
                span: entry.key.span,
                kind: ProblemKind::Ignored {
                    key: entry.key.text.clone(),
                    why: format!("Claude Code ignores `auto` from {scope} settings (since 2.1.142); set it in user settings or on the command line"),
                },
            });
        } else if matches!(
            dotted.as_str(),
            "sandbox" | "sandbox.network" | "sandbox.filesystem" | "sandbox.credentials"
        ) {
            scope_problems(&entry.value, scope, path, out);
        }
        path.pop();
    }
}

struct Settings;

impl Describe for Settings {
    fn unknown_key_help(&self) -> &'static str {
        "remove it: Claude Code ignores settings it does not know"
    }

    fn misplaced(&self, key: &str, path: &[Step]) -> Option<String> {
        let parent = path.len().checked_sub(1).filter(|&n| n > 0)?;
        DOC.shape("").is_field(key).then(|| {
            format!(
                "`{key}` is a top-level setting: move it out of `{}`",
                crate::schema::validate::display(&path[..parent], 0).trim_matches('`')
            )
        })
    }

    /// Claude Code validates a settings file as a whole: one value of the wrong type, or outside
    /// its allowed values, and it reads none of the file. Permission rules are dropped one by
    /// one, and newer releases drop only a broken hook entry.
    fn consequence(&self, path: &[Step]) -> Option<String> {
        let keys: Vec<String> = path.iter().map(Step::canonical).collect();
        let keys: Vec<&str> = keys.iter().map(String::as_str).collect();
        Some(match keys.as_slice() {
            ["permissions", "allow" | "deny" | "ask", _, ..] => "Claude Code drops this entry".into(),
            ["hooks", _, ..] => "Claude Code 2.1.76 ignores this whole file while a hook is malformed; newer releases drop the entry".into(),
            _ => "Claude Code ignores this whole file while any value in it is invalid: its permissions, hooks and env are all lost".into(),
        })
    }
}

/// Where the shared options live in a settings tree: (canonical option, path of keys, the
/// deployment schema's definition to respell its keys with).
const PLACES: &[(&str, &[&str], Option<&str>)] = &[
    ("permission_mode", &["permissions", "defaultMode"], None),
    ("allowed_tools", &["permissions", "allow"], None),
    ("disallowed_tools", &["permissions", "deny"], None),
    ("ask_tools", &["permissions", "ask"], None),
    ("add_dir", &["permissions", "additionalDirectories"], None),
    ("env", &["env"], None),
    ("model", &["model"], None),
    ("sandbox", &["sandbox"], Some("/definitions/Sandbox")),
    ("hooks", &["hooks"], Some("/definitions/Hooks")),
    ("mcp_servers", &["mcpServers"], Some("/definitions/AgentOptions/properties/mcp_servers")),
];

/// The shared options of a settings-shaped tree (also the inline `settings` of an SDK option).
pub fn view(tree: &Node) -> Node {
    let mut entries = Vec::new();
    for (name, path, respell) in PLACES {
        let Some(target) = tree.resolve(path.iter().map(|k| Seg::Key(k))) else { continue };
        let value = match respell {
            // Claude Code turns `env` numbers and booleans into strings.
            None if *name == "env" => stringify_scalars(target.node),
            None => target.node.clone(),
            // Respelled through the deployment schema (`allowUnsandboxedCommands` →
            // `allow_unsandboxed_commands`); the settings schema already reported the problems.
            Some(pointer) => match crate::schema::validate(&crate::config::schema::DOC, pointer, target.node).tree {
                Some(node) => node,
                None => continue,
            },
        };
        let key = Key { text: (*name).to_owned(), span: target.key_span.unwrap_or(target.node.span) };
        entries.push(Entry { key, value, merged: false });
    }
    Node::new(Value::Map(entries), tree.span)
}

/// A mapping whose number and boolean values are written as strings, spans kept.
fn stringify_scalars(node: &Node) -> Node {
    let Some(entries) = node.as_map() else { return node.clone() };
    let entries = entries
        .iter()
        .map(|e| {
            let value = match &e.value.value {
                Value::Int(i) => Node::new(Value::String(i.to_string()), e.value.span),
                Value::Float(f) => Node::new(Value::String(f.to_string()), e.value.span),
                Value::Bool(b) => Node::new(Value::String(b.to_string()), e.value.span),
                _ => e.value.clone(),
            };
            Entry { key: e.key.clone(), value, merged: e.merged }
        })
        .collect();
    Node::new(Value::Map(entries), node.span)
}

/// The session a settings file contributes: its shared options, typed.
fn session(
    config: &LoadedConfig,
    dropped: Vec<crate::schema::Dropped>,
    findings: &mut Vec<Finding>,
    label: String,
) -> Agent {
    let mut tree = view(&config.tree);
    // Dropped values keep their place under the canonical option, so rules know what was there.
    let mut invalid: Vec<crate::schema::Dropped> = dropped
        .into_iter()
        .filter_map(|d| {
            let (name, path, _) = PLACES
                .iter()
                .find(|(_, path, _)| d.path.starts_with(&path.iter().map(|s| (*s).to_owned()).collect::<Vec<_>>()))?;
            let mut rel = vec![(*name).to_owned()];
            rel.extend(d.path[path.len()..].iter().cloned());
            Some(crate::schema::Dropped { path: rel, span: d.span })
        })
        .collect();
    let anchor = config.root.as_map().and_then(|e| e.first()).map_or(Span::new(0, 0), |e| e.key.span);
    let options = crate::config::load::typed_options(config, Some(&label), anchor, &mut tree, &mut invalid, findings);
    let dialect = Dialect::new(Kind::Settings, Syntax::Json, true);
    Agent { name: None, label: Some(label), anchor, tree, options, invalid, dialect, unknown: Vec::new() }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scopes_that_do_not_honour_a_key() {
        assert!(
            ignored_in_scope("allowManagedHooksOnly", Scope::Project).unwrap().contains("only in managed settings")
        );
        assert_eq!(ignored_in_scope("allowManagedHooksOnly", Scope::Managed), None);
        assert!(ignored_in_scope("autoMode", Scope::Local).is_some());
        assert_eq!(ignored_in_scope("autoMode", Scope::User), None);
        assert!(ignored_in_scope("skipDangerousModePermissionPrompt", Scope::Project).is_some());
        assert_eq!(ignored_in_scope("skipDangerousModePermissionPrompt", Scope::Local), None);
        assert!(ignored_in_scope("sandbox.ripgrep", Scope::Project).is_some());
        assert_eq!(ignored_in_scope("permissions", Scope::Project), None);
    }

    #[test]
    fn the_overlaid_schema_loads() {
        assert!(DOC.shape("").is_field("permissions"));
        assert!(DOC.shape("").is_field("terminalTitleFromRename"));
        assert!(DOC.shape("").field("hooks").is_field("PostToolUse"));
    }

    #[test]
    fn the_built_in_schema_carries_the_overlay() {
        use crate::schema::Schema;
        let root = DOC.root.keywords().unwrap();
        assert!(matches!(root.additional_properties, Some(Schema::Bool(false))));
        let at = |pointer: &str| DOC.pointer(pointer).and_then(Schema::keywords).unwrap();
        assert!(at("/properties/permissions").lenient && at("/properties/env").lenient);
        assert!(at("/properties/mcpServers").ignored.is_some());
        assert!(at("/properties/hooks").ignored_keys.is_some());
        let modes = at("/properties/permissions/properties/defaultMode").allowed.as_deref().unwrap();
        assert!(modes.iter().all(|m| m.text() != "delegate") && modes.iter().any(|m| m.text() == "dontAsk"));
    }
}
