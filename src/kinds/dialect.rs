//! How a file spells the shared options: rules name an option by its canonical path
//! (`permission_mode`, `sandbox.allow_unsandboxed_commands`), and the dialect turns that into
//! the file's own words (`permissions.defaultMode` in a settings file, `permissionMode` in a
//! camelCase deployment config or a subagent) and writes fixes in the file's own syntax. Options
//! read from program source and command lines are named in the host language
//! (`permission_mode: :plan` in Elixir, `permission_mode="plan"` in Python,
//! `permissionMode: "plan"` in TypeScript, `--permission-mode plan` on a command line).

use serde_json::Value as Json;

use super::Kind;
use crate::config::PermissionMode;
use crate::config::aliases::snake_to_camel;
use crate::document::Seg;

/// The syntax fixes are written in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Syntax {
    Yaml,
    Json,
}

/// The language options are written in: a config file (YAML or JSON, see [`Syntax`]), program
/// source, or a `claude` command line.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Host {
    Config,
    Elixir,
    Python,
    TypeScript,
    CommandLine,
}

/// One file's way of naming the shared options.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Dialect {
    pub kind: Kind,
    /// For program source and command lines, the closest config syntax (JSON: quoted strings,
    /// `[…]` lists), for the few texts that are written in it.
    pub syntax: Syntax,
    /// Deployment configs written with the TypeScript SDK's camelCase keys.
    pub camel: bool,
    pub host: Host,
}

impl Dialect {
    pub fn new(kind: Kind, syntax: Syntax, camel: bool) -> Self {
        Self { kind, syntax, camel, host: Host::Config }
    }

    /// The dialect of options read from program source or a command line.
    pub fn host(kind: Kind, host: Host) -> Self {
        Self { kind, syntax: Syntax::Json, camel: host == Host::TypeScript, host }
    }

    /// The snake_case deployment dialect of the documentation.
    pub const DEFAULT: Dialect =
        Dialect { kind: Kind::Deployment, syntax: Syntax::Yaml, camel: false, host: Host::Config };

    /// True when messages name an option by the key the file writes (deployment configs and
    /// program source may mix spellings); otherwise by [`Dialect::path`].
    pub fn keys_as_written(&self) -> bool {
        self.kind == Kind::Deployment || matches!(self.host, Host::Elixir | Host::Python | Host::TypeScript)
    }

    /// Where a top-level shared option lives in this kind of file, as dotted keys.
    pub fn option(&self, canonical: &str) -> String {
        match self.host {
            Host::Config => {}
            // The Elixir SDK has both: `tool_callback` is the audit callback of the guide's
            // checklist ("Enable `tool_callback` for auditing"), which is what AL502 asks for.
            Host::Elixir => return canonical.into(),
            Host::Python => {
                return match canonical {
                    "add_dir" => "add_dirs".into(),
                    "permission_prompt_tool" => "permission_prompt_tool_name".into(),
                    "continue" => "continue_conversation".into(),
                    "tool_callback" => "can_use_tool".into(),
                    _ => canonical.into(),
                };
            }
            Host::TypeScript => {
                return match canonical {
                    "add_dir" => "additionalDirectories".into(),
                    "permission_prompt_tool" => "permissionPromptToolName".into(),
                    "tool_callback" => "canUseTool".into(),
                    _ => snake_to_camel(canonical),
                };
            }
            Host::CommandLine => return super::command_line::option_name(canonical),
        }
        let fixed = match (self.kind, canonical) {
            (Kind::Settings, "permission_mode") => "permissions.defaultMode",
            (Kind::Settings, "allowed_tools") => "permissions.allow",
            (Kind::Settings, "disallowed_tools") => "permissions.deny",
            (Kind::Settings, "ask_tools") => "permissions.ask",
            (Kind::Settings, "add_dir") => "permissions.additionalDirectories",
            (Kind::Command | Kind::Skill, "allowed_tools") => "allowed-tools",
            (Kind::Deployment, "ask_tools") => "ask",
            _ => "",
        };
        if !fixed.is_empty() {
            return fixed.to_owned();
        }
        self.key(canonical)
    }

    /// A nested key in this file's spelling.
    pub fn key(&self, canonical: &str) -> String {
        match self.host {
            Host::Elixir => canonical.to_owned(),
            // Python's sandbox settings are a TypedDict with camelCase keys.
            Host::Python | Host::TypeScript | Host::CommandLine => snake_to_camel(canonical),
            Host::Config if self.kind == Kind::Deployment && !self.camel => canonical.to_owned(),
            Host::Config => snake_to_camel(canonical),
        }
    }

    /// A canonical path (`sandbox`, `allow_unsandboxed_commands`) as the file writes it
    /// (`sandbox.allowUnsandboxedCommands`), indices as `[2]`.
    pub fn path(&self, path: &[Seg<'_>]) -> String {
        if self.host == Host::CommandLine {
            return super::command_line::path_name(path);
        }
        let mut out = String::new();
        for (i, seg) in path.iter().enumerate() {
            match seg {
                Seg::Key(k) if i == 0 => out.push_str(&self.option(k)),
                Seg::Key(k) if is_free_form(path, i) => {
                    out.push('.');
                    out.push_str(k);
                }
                Seg::Key(k) if self.host == Host::Python && path.first() != Some(&Seg::Key("sandbox")) => {
                    out.push('.');
                    out.push_str(k);
                }
                Seg::Key(k) => {
                    out.push('.');
                    out.push_str(&self.key(k));
                }
                Seg::Index(n) => out.push_str(&format!("[{n}]")),
            }
        }
        out
    }

    /// `permission_mode` values as this file spells them.
    pub fn mode(&self, mode: PermissionMode) -> &'static str {
        match self.host {
            Host::Elixir => match mode {
                PermissionMode::Plan => ":plan",
                PermissionMode::DontAsk => ":dont_ask",
                PermissionMode::AcceptEdits => ":accept_edits",
                PermissionMode::Default => ":default",
                PermissionMode::BypassPermissions => ":bypass_permissions",
                PermissionMode::Auto => ":auto",
                PermissionMode::Manual => ":manual",
            },
            Host::Python | Host::TypeScript | Host::CommandLine => mode.cli_name(),
            Host::Config if self.kind == Kind::Deployment && !self.camel => mode.sdk_name(),
            Host::Config => mode.cli_name(),
        }
    }

    /// The fix "set `path` to `value`", in the file's syntax: `permission_mode: dont_ask` (YAML),
    /// `"permissions": {"defaultMode": "dontAsk"}` (JSON), `allowed-tools: Read, Grep` (a command).
    pub fn set(&self, path: &[Seg<'_>], value: &Json) -> String {
        if self.host != Host::Config {
            return super::source::render::set(self, path, value);
        }
        let rendered = match self.syntax {
            Syntax::Yaml => yaml_value(value),
            Syntax::Json => json_inline(value),
        };
        self.set_raw(path, &rendered)
    }

    /// [`Dialect::set`] with the value already written in the file's syntax (`5.00`).
    pub fn set_raw(&self, path: &[Seg<'_>], value: &str) -> String {
        if self.host != Host::Config {
            return super::source::render::set_raw(self, path, value);
        }
        match self.syntax {
            Syntax::Yaml => format!("{}: {value}", self.path(path)),
            Syntax::Json => {
                let written = self.path(path);
                let mut out = value.to_owned();
                for key in written.split('.').rev() {
                    out = format!("{{\"{key}\": {out}}}");
                }
                // The outermost braces belong to the file, not to the fix.
                out[1..out.len() - 1].to_owned()
            }
        }
    }

    /// A list value as the file writes it (`[Read, Grep]`, `["Read", "Grep"]`).
    pub fn list(&self, items: &[&str]) -> String {
        let value = Json::Array(items.iter().map(|s| Json::String((*s).to_owned())).collect());
        if self.host != Host::Config {
            return super::source::render::value(self, &value);
        }
        match self.syntax {
            Syntax::Yaml => yaml_value(&value),
            Syntax::Json => json_inline(&value),
        }
    }

    /// An entry of an `env` (or `headers`) mapping whose value reads the launcher's variable
    /// `name` after `prefix`, in the host language (`"KEY" => System.fetch_env!("NAME")`,
    /// `"KEY": os.environ["NAME"]`, `KEY: process.env.NAME`); `None` in config files, which write
    /// `${NAME}`.
    pub fn env_entry(&self, key: &str, prefix: &str, name: &str) -> Option<String> {
        (self.host != Host::Config).then(|| super::source::render::env_entry(self.host, key, prefix, name))
    }

    /// A string value as the file writes it (`dont_ask`, `"dontAsk"`).
    pub fn string(&self, text: &str) -> String {
        if self.host != Host::Config {
            return super::source::render::value(self, &Json::String(text.to_owned()));
        }
        match self.syntax {
            Syntax::Yaml => yaml_value(&Json::String(text.to_owned())),
            Syntax::Json => serde_json::to_string(text).unwrap_or_default(),
        }
    }
}

/// JSON on one line, spaced as people write it: `{"enabled": true, "network": ["a", "b"]}`.
fn json_inline(value: &Json) -> String {
    match value {
        Json::Array(items) => format!("[{}]", items.iter().map(json_inline).collect::<Vec<_>>().join(", ")),
        Json::Object(map) => {
            let parts: Vec<String> =
                map.iter().map(|(k, v)| format!("{}: {}", Json::String(k.clone()), json_inline(v))).collect();
            format!("{{{}}}", parts.join(", "))
        }
        other => other.to_string(),
    }
}

/// Keys under `env`, `mcp_servers`, `hooks` or `headers` are names, not options: never respelled.
fn is_free_form(path: &[Seg<'_>], i: usize) -> bool {
    matches!(path.get(i.wrapping_sub(1)), Some(Seg::Key("env" | "mcp_servers" | "headers" | "hooks" | "agents")))
}

/// A JSON value in YAML syntax, quoting strings only where YAML needs it.
fn yaml_value(value: &Json) -> String {
    yaml_in(value, false)
}

/// `flow`: inside `[…]` or `{…}`, where `,[]{}` end a plain scalar.
fn yaml_in(value: &Json, flow: bool) -> String {
    match value {
        Json::String(s) => yaml_string(s, flow),
        Json::Array(items) => format!("[{}]", items.iter().map(|i| yaml_in(i, true)).collect::<Vec<_>>().join(", ")),
        Json::Object(map) => {
            let parts: Vec<String> =
                map.iter().map(|(k, v)| format!("{}: {}", yaml_string(k, true), yaml_in(v, true))).collect();
            format!("{{{}}}", parts.join(", "))
        }
        other => other.to_string(),
    }
}

fn yaml_string(s: &str, flow: bool) -> String {
    let plain = !s.is_empty()
        && !s.starts_with(|c: char| "!&*?|>'\"%@`#,[]{}-: ".contains(c))
        && !s.contains(": ")
        && !s.contains(" #")
        && (!flow || !s.contains([',', '[', ']', '{', '}']))
        && !s.ends_with([':', ' '])
        && !matches!(s, "true" | "false" | "null" | "~" | "yes" | "no")
        && s.parse::<f64>().is_err();
    if plain { s.to_owned() } else { serde_json::to_string(s).unwrap_or_default() }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn settings_name_options_by_their_place() {
        let d = Dialect::new(Kind::Settings, Syntax::Json, false);
        assert_eq!(d.path(&[Seg::Key("permission_mode")]), "permissions.defaultMode");
        assert_eq!(d.path(&[Seg::Key("allowed_tools"), Seg::Index(2)]), "permissions.allow[2]");
        assert_eq!(
            d.path(&[Seg::Key("sandbox"), Seg::Key("allow_unsandboxed_commands")]),
            "sandbox.allowUnsandboxedCommands"
        );
        assert_eq!(d.path(&[Seg::Key("env"), Seg::Key("ANTHROPIC_API_KEY")]), "env.ANTHROPIC_API_KEY");
        assert_eq!(d.mode(PermissionMode::DontAsk), "dontAsk");
        assert_eq!(
            d.set(&[Seg::Key("permission_mode")], &json!("dontAsk")),
            r#""permissions": {"defaultMode": "dontAsk"}"#
        );
        assert_eq!(d.set(&[Seg::Key("sandbox"), Seg::Key("enabled")], &json!(true)), r#""sandbox": {"enabled": true}"#);
    }

    #[test]
    fn deployment_files_keep_their_style() {
        let snake = Dialect::DEFAULT;
        assert_eq!(snake.set(&[Seg::Key("permission_mode")], &json!("dont_ask")), "permission_mode: dont_ask");
        assert_eq!(snake.set(&[Seg::Key("sandbox"), Seg::Key("enabled")], &json!(true)), "sandbox.enabled: true");
        assert_eq!(snake.list(&["Read", "Bash(git diff *)"]), "[Read, Bash(git diff *)]");
        let camel = Dialect::new(Kind::Deployment, Syntax::Json, true);
        assert_eq!(camel.set(&[Seg::Key("max_turns")], &json!(20)), r#""maxTurns": 20"#);
        assert_eq!(camel.mode(PermissionMode::BypassPermissions), "bypassPermissions");
        let command = Dialect::new(Kind::Command, Syntax::Yaml, false);
        assert_eq!(command.path(&[Seg::Key("allowed_tools")]), "allowed-tools");
    }

    #[test]
    fn yaml_strings_are_quoted_only_when_needed() {
        assert_eq!(yaml_string("Read", true), "Read");
        assert_eq!(yaml_string("${ANTHROPIC_API_KEY}", false), "${ANTHROPIC_API_KEY}");
        assert_eq!(yaml_string("${ANTHROPIC_API_KEY}", true), "\"${ANTHROPIC_API_KEY}\"");
        assert_eq!(yaml_string("*", false), "\"*\"");
        assert_eq!(yaml_string("a: b", false), "\"a: b\"");
        assert_eq!(yaml_string("true", false), "\"true\"");
        assert_eq!(yaml_string("10", false), "\"10\"");
    }
}
