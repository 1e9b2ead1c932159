//! Fixes written in the host language: `permission_mode: :dont_ask` (Elixir keyword),
//! `permission_mode="dontAsk"` (Python keyword argument), `permissionMode: "dontAsk"`
//! (TypeScript property), `--permission-mode dontAsk` (command line).

use serde_json::Value as Json;

use super::super::{Dialect, Host};
use crate::config::env_reference;
use crate::document::Seg;

/// "set `path` to `value`" as the host writes it. A nested path is written as the top-level
/// option holding only that key (`sandbox: %{enabled: true}`).
pub(crate) fn set(d: &Dialect, path: &[Seg<'_>], value: &Json) -> String {
    if d.host == Host::CommandLine {
        return super::super::command_line::set(path, value);
    }
    let rendered = value_at(d, value);
    set_raw(d, path, &rendered)
}

/// [`set`] with the value already written.
pub(crate) fn set_raw(d: &Dialect, path: &[Seg<'_>], raw: &str) -> String {
    if d.host == Host::CommandLine {
        return super::super::command_line::set_raw(path, raw);
    }
    let Some((first, rest)) = path.split_first() else { return raw.to_owned() };
    let name = match first {
        Seg::Key(k) => d.option(k),
        Seg::Index(i) => i.to_string(),
    };
    // Wrap the value in one mapping per nested key, innermost first.
    let mut value = raw.to_owned();
    for (i, seg) in rest.iter().enumerate().rev() {
        let Seg::Key(k) = seg else { continue };
        let key = if free_form(path, i + 1) { (*k).to_owned() } else { nested_key(d, path, k) };
        value = match d.host {
            Host::Elixir => format!("%{{{}: {value}}}", elixir_key(&key)),
            Host::Python => format!("{{{}: {value}}}", json_string(&key)),
            _ => format!("{{ {}: {value} }}", ts_key(&key)),
        };
    }
    match d.host {
        Host::Python => format!("{name}={value}"),
        _ => format!("{name}: {value}"),
    }
}

/// A value in the host's syntax: `nil`/`None`/`null`, `True`, an Elixir atom for a string
/// written `:name`, an environment read for a `${NAME}` reference.
pub(crate) fn value(d: &Dialect, value: &Json) -> String {
    value_at(d, value)
}

fn value_at(d: &Dialect, value: &Json) -> String {
    if d.host == Host::CommandLine {
        return super::super::command_line::word_for(value);
    }
    match value {
        Json::Null => match d.host {
            Host::Elixir => "nil".into(),
            Host::Python => "None".into(),
            _ => "null".into(),
        },
        Json::Bool(b) => match (d.host, b) {
            (Host::Python, true) => "True".into(),
            (Host::Python, false) => "False".into(),
            (_, b) => b.to_string(),
        },
        Json::Number(n) => n.to_string(),
        Json::String(s) => {
            if let Some(name) = env_reference(s) {
                return env_read(d.host, name);
            }
            let atom = d.host == Host::Elixir
                && s.len() > 1
                && s.starts_with(':')
                && s[1..].chars().all(|c| c.is_ascii_alphanumeric() || c == '_');
            if atom { s.clone() } else { json_string(s) }
        }
        Json::Array(items) => {
            let parts: Vec<String> = items.iter().map(|i| value_at(d, i)).collect();
            format!("[{}]", parts.join(", "))
        }
        Json::Object(map) => {
            let parts: Vec<String> = map
                .iter()
                .map(|(k, v)| {
                    let v = value_at(d, v);
                    match d.host {
                        Host::Elixir => format!("{}: {v}", elixir_key(k)),
                        Host::Python => format!("{}: {v}", json_string(k)),
                        _ => format!("{}: {v}", ts_key(k)),
                    }
                })
                .collect();
            match d.host {
                Host::Elixir => format!("%{{{}}}", parts.join(", ")),
                Host::Python => format!("{{{}}}", parts.join(", ")),
                _ if parts.is_empty() => "{}".into(),
                _ => format!("{{ {} }}", parts.join(", ")),
            }
        }
    }
}

/// Keys under `env`, `mcp_servers`, `headers` or `hooks` are names: written as they are.
fn free_form(path: &[Seg<'_>], i: usize) -> bool {
    matches!(path.get(i.wrapping_sub(1)), Some(Seg::Key("env" | "mcp_servers" | "headers" | "hooks" | "agents")))
}

/// A nested key: Python writes sandbox settings in camelCase and everything else in snake_case.
fn nested_key(d: &Dialect, path: &[Seg<'_>], key: &str) -> String {
    if d.host == Host::Python && path.first() != Some(&Seg::Key("sandbox")) { key.to_owned() } else { d.key(key) }
}

fn json_string(s: &str) -> String {
    serde_json::to_string(s).unwrap_or_default()
}

/// `name:` for an atom-safe key, else `"name" =>`'s left side as a quoted atom key.
fn elixir_key(key: &str) -> String {
    let plain = key.chars().next().is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        && key.chars().all(|c| c.is_ascii_alphanumeric() || c == '_');
    if plain { key.to_owned() } else { json_string(key) }
}

fn ts_key(key: &str) -> String {
    let plain = key.chars().next().is_some_and(|c| c.is_ascii_alphabetic() || c == '_' || c == '$')
        && key.chars().all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '$');
    if plain { key.to_owned() } else { json_string(key) }
}

/// Reading the launcher's environment variable `name`.
fn env_read(host: Host, name: &str) -> String {
    match host {
        Host::Elixir => format!("System.fetch_env!({})", json_string(name)),
        Host::Python => format!("os.environ[{}]", json_string(name)),
        Host::CommandLine => format!("\"${name}\""),
        _ => format!("process.env.{name}"),
    }
}

/// An `env` or `headers` entry whose value reads `name` after `prefix`.
pub(crate) fn env_entry(host: Host, key: &str, prefix: &str, name: &str) -> String {
    let read = env_read(host, name);
    match host {
        Host::Elixir if prefix.is_empty() => format!("{} => {read}", json_string(key)),
        Host::Elixir => format!("{} => {} <> {read}", json_string(key), json_string(prefix)),
        Host::Python if prefix.is_empty() => format!("{}: {read}", json_string(key)),
        Host::Python => format!("{}: {} + {read}", json_string(key), json_string(prefix)),
        Host::CommandLine => format!("{key}=\"{prefix}${name}\""),
        _ if prefix.is_empty() => format!("{}: {read}", ts_key(key)),
        _ => format!("{}: `{prefix}${{{read}}}`", ts_key(key)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::PermissionMode;
    use crate::kinds::Kind;
    use serde_json::json;

    #[test]
    fn fixes_in_each_language() {
        let ex = Dialect::host(Kind::Elixir, Host::Elixir);
        let py = Dialect::host(Kind::Python, Host::Python);
        let ts = Dialect::host(Kind::TypeScript, Host::TypeScript);
        let mode = [Seg::Key("permission_mode")];
        assert_eq!(ex.set(&mode, &json!(ex.mode(PermissionMode::DontAsk))), "permission_mode: :dont_ask");
        assert_eq!(py.set(&mode, &json!(py.mode(PermissionMode::DontAsk))), "permission_mode=\"dontAsk\"");
        assert_eq!(ts.set(&mode, &json!(ts.mode(PermissionMode::DontAsk))), "permissionMode: \"dontAsk\"");
        let sandbox = [Seg::Key("sandbox"), Seg::Key("enabled")];
        assert_eq!(ex.set(&sandbox, &json!(true)), "sandbox: %{enabled: true}");
        assert_eq!(py.set(&sandbox, &json!(true)), "sandbox={\"enabled\": True}");
        assert_eq!(ts.set(&sandbox, &json!(true)), "sandbox: { enabled: true }");
        let key = [Seg::Key("api_key")];
        assert_eq!(ex.set(&key, &json!("${ANTHROPIC_API_KEY}")), "api_key: System.fetch_env!(\"ANTHROPIC_API_KEY\")");
        assert_eq!(py.option("add_dir"), "add_dirs");
        assert_eq!(ts.set(&[Seg::Key("add_dir")], &json!(["/srv"])), "additionalDirectories: [\"/srv\"]");
        assert_eq!(py.set_raw(&[Seg::Key("max_budget_usd")], "5.00"), "max_budget_usd=5.00");
        assert_eq!(env_entry(Host::Python, "K", "Bearer ", "T"), "\"K\": \"Bearer \" + os.environ[\"T\"]");
    }
}
