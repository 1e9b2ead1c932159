//! Human output of `agentlint effective` and `agentlint can`.

use std::fmt::Write as _;

use crate::document::{Node, Value};
use crate::report::Location;
use crate::rules::shown_text;

use super::matcher::{Basis, Call, Verdict, mode_written};
use super::merge::{Entry, Merged, Status};
use super::{Role, Session};

/// What decided, in words, and where it is written (file and location) when it is written.
pub fn basis(session: &Session, merged: &Merged, basis: &Basis) -> (String, Option<(String, Location)>) {
    match basis {
        Basis::Rule { list, entry } => {
            let e = &merged.entries[*entry];
            let text = shown_text(e.node.as_str().unwrap_or_default());
            let layer = session.layers[e.layer].describe();
            match session.locate(e.node.span) {
                Some((file, l)) => (
                    format!("the {} rule `{text}` in {layer} ({file}:{}:{})", list.id(), l.line, l.column),
                    Some((file.to_owned(), l)),
                ),
                None => (format!("the {} rule `{text}` in {layer}", list.id()), None),
            }
        }
        Basis::Mode { how, entry, .. } => {
            let place = entry.and_then(|i| session.locate(merged.entries[i].node.span)).map(|(f, l)| (f.to_owned(), l));
            (format!("the permission mode: {how}"), place)
        }
        Basis::Builtin { how } => (format!("Claude Code itself: {how}"), None),
    }
}

/// `file:line:col` of an entry.
fn place(session: &Session, entry: &Entry) -> String {
    place_of(session, entry.node.span)
}

fn place_of(session: &Session, span: crate::document::Span) -> String {
    match session.locate(span) {
        Some((file, l)) => format!("{file}:{}:{}", l.line, l.column),
        None => String::new(),
    }
}

fn status(session: &Session, merged: &Merged, entry: &Entry) -> String {
    match &entry.status {
        Status::Applies => String::new(),
        Status::NeedsTrust if merged.trusted => "  [needs workspace trust: applies, as asked with --trusted]".into(),
        Status::NeedsTrust => "  [needs workspace trust: not applied in print-mode and SDK sessions]".into(),
        Status::Overridden { by } => format!("  [overridden by {}]", session.layers[*by].describe()),
        Status::Ignored(why) => format!("  [ignored: {why}]"),
    }
}

/// A value for output: strings redacted and shortened; lists and mappings inline.
/// A string option holding a JSON object (`settings`, `mcp_config` as `--settings` and
/// `--mcp-config` take them), parsed, so that its `env` and `headers` values are left out like
/// those of a mapping.
pub(crate) fn json_text(text: &str) -> Option<Node> {
    if !text.trim_start().starts_with('{') {
        return None;
    }
    crate::document::parse_json(text).ok().filter(|n| n.as_map().is_some())
}

pub(crate) fn value_text(node: &Node) -> String {
    let text = match &node.value {
        Value::Null => "null".into(),
        Value::Bool(b) => b.to_string(),
        Value::Int(i) => i.to_string(),
        Value::Float(f) => f.to_string(),
        Value::String(s) => match json_text(s) {
            Some(parsed) => value_text(&parsed),
            None => shown_text(s),
        },
        Value::Seq(items) => format!("[{}]", items.iter().map(value_text).collect::<Vec<_>>().join(", ")),
        Value::Map(entries) => {
            let parts: Vec<String> = entries
                .iter()
                .map(|e| match e.key.text.as_str() {
                    // Names only: values of environments and headers may be credentials.
                    "env" | "headers" => format!("{}: {{…}}", e.key.text),
                    _ => format!("{}: {}", e.key.text, value_text(&e.value)),
                })
                .collect();
            format!("{{{}}}", parts.join(", "))
        }
    };
    if text.chars().count() > 100 { format!("{}…", text.chars().take(99).collect::<String>()) } else { text }
}

/// Lines of one section: value, where it is set, by which layer, and its status.
fn section(out: &mut String, title: &str, rows: Vec<(String, &Entry)>, session: &Session, merged: &Merged) {
    let rows = rows.into_iter().map(|(v, e)| (v, e, e.node.span)).collect();
    section_at(out, title, rows, session, merged);
}

/// [`section`] with the place of each row given.
fn section_at(
    out: &mut String,
    title: &str,
    rows: Vec<(String, &Entry, crate::document::Span)>,
    session: &Session,
    merged: &Merged,
) {
    if rows.is_empty() {
        return;
    }
    let _ = writeln!(out, "\n{title}:");
    let width = rows.iter().map(|(v, ..)| v.chars().count()).max().unwrap_or(0).min(48);
    for (value, entry, span) in rows {
        let layer = session.layers[entry.layer].describe();
        let _ =
            writeln!(out, "  {value:<width$}  {}  {layer}{}", place_of(session, span), status(session, merged, entry));
    }
}

/// The options `agentlint effective` shows in sections of their own, in order.
const SECTIONS: &[(&str, &str)] = &[
    ("disallowed_tools", "Deny rules (checked first)"),
    ("ask_tools", "Ask rules (checked next)"),
    ("allowed_tools", "Allow rules"),
    ("tools", "Tools"),
    ("add_dir", "Additional directories"),
];

/// Options not shown at all: the session's own plumbing, shown as layers.
const HIDDEN: &[&str] =
    &["settings", "setting_sources", "cwd", "$schema", "agents", "system_prompt", "append_system_prompt"];

/// `agentlint effective`, for people.
pub fn effective(session: &Session, merged: &Merged) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "Effective session: {}", session.title);
    let _ = writeln!(out, "  directory: {}", session.dir_shown);
    let trust = if merged.trusted {
        "trusted (as asked with --trusted): the project's allow rules and additional directories apply"
    } else {
        "not trusted, as in print-mode and SDK sessions: the project's allow rules and additional directories do not apply (--trusted shows a trusted folder)"
    };
    let _ = writeln!(out, "  trust: {trust}");

    let _ = writeln!(out, "\nLayers, highest precedence first:");
    for (i, layer) in session.layers.iter().enumerate() {
        let file = &session.files[layer.file].config.source.path;
        let pulled = layer.pulled_by.map(|s| format!(" ({})", session.at(s))).unwrap_or_default();
        let _ = writeln!(out, "  {}. {:<34} {file}", i + 1, layer.describe());
        let _ = writeln!(out, "     {}{pulled}", layer.reason);
    }
    for skipped in &session.skipped {
        let _ = writeln!(out, "  -  {:<34} not read: {}", skipped.what, skipped.why);
    }

    let (mode, entry) = merged.mode();
    let _ = writeln!(out, "\nPermission mode: {}", mode.cli_name());
    match entry {
        Some(i) => {
            let e = &merged.entries[i];
            let written = mode_written(merged, Some(i)).unwrap_or_default();
            let _ = writeln!(out, "  {written}  {}  {}", place(session, e), session.layers[e.layer].describe());
        }
        None => {
            let _ = writeln!(out, "  no layer sets one that applies, so the session starts in `default`");
        }
    }
    for (_, e) in merged.of("permission_mode").chain(merged.of("dangerously_skip_permissions")) {
        if Some(e as *const Entry) == entry.map(|i| &merged.entries[i] as *const Entry) {
            continue;
        }
        let _ = writeln!(
            out,
            "  {}  {}  {}{}",
            value_text(&e.node),
            place(session, e),
            session.layers[e.layer].describe(),
            status(session, merged, e)
        );
    }

    for (option, title) in SECTIONS {
        let rows = merged.of(option).map(|(_, e)| (value_text(&e.node), e)).collect();
        section(&mut out, title, rows, session, merged);
    }
    let sandbox = merged
        .under("sandbox")
        .map(|(_, e)| (format!("{}: {}", e.path[1..].join("."), value_text(&e.node)), e))
        .collect();
    section(&mut out, "Sandbox", sandbox, session, merged);

    let mut hooks: Vec<(String, &Entry, crate::document::Span)> = Vec::new();
    for (_, e) in merged.under("hooks").filter(|(_, e)| e.path.len() == 2) {
        let matcher = e.node.get("matcher").and_then(Node::as_str).filter(|m| !m.is_empty());
        let when = match matcher {
            Some(m) => format!("{} `{}`", e.path[1], shown_text(m)),
            None => e.path[1].clone(),
        };
        for hook in e.node.get("hooks").and_then(Node::as_seq).unwrap_or_default() {
            let what =
                ["command", "url", "prompt", "tool"].iter().find_map(|k| hook.get(k).filter(|n| n.as_str().is_some()));
            let text = what.and_then(Node::as_str).map(shown_text).unwrap_or_default();
            let kind = hook.get("type").and_then(Node::as_str).unwrap_or("command");
            hooks.push((format!("{when}: {kind} {text}"), e, what.map_or(hook.span, |n| n.span)));
        }
    }
    section_at(&mut out, "Hooks (they run without workspace trust)", hooks, session, merged);
    if !merged.helpers.is_empty() {
        let _ = writeln!(out, "\nHelper commands (they run without workspace trust):");
        for h in &merged.helpers {
            let at = session.at(h.node.span);
            let text = h.node.as_str().map(shown_text).unwrap_or_default();
            let _ = writeln!(out, "  {}: {text}  {at}  {}", h.name, session.layers[h.layer].describe());
        }
    }

    let env = merged.under("env").filter(|(_, e)| e.path.len() == 2).map(|(_, e)| (e.path[1].clone(), e)).collect();
    section(&mut out, "Environment (names only)", env, session, merged);
    let mcp = merged
        .under("mcp_servers")
        .filter(|(_, e)| e.path.len() == 2)
        .map(|(_, e)| {
            let transport = e.node.get("type").and_then(Node::as_str).unwrap_or(if e.node.get("url").is_some() {
                "http"
            } else {
                "stdio"
            });
            (format!("{} ({transport})", e.path[1]), e)
        })
        .collect();
    section(&mut out, "MCP servers", mcp, session, merged);
    let limits = merged
        .entries
        .iter()
        .filter(|e| e.path.len() == 1 && matches!(e.path[0].as_str(), "max_turns" | "max_budget_usd"))
        .map(|e| (format!("{}: {}", e.path[0], value_text(&e.node)), e))
        .collect();
    section(&mut out, "Limits", limits, session, merged);
    let shown: Vec<&str> = SECTIONS.iter().map(|(o, _)| *o).collect();
    let other = merged
        .entries
        .iter()
        .filter(|e| {
            let first = e.path[0].as_str();
            !shown.contains(&first)
                && !HIDDEN.contains(&first)
                && !matches!(
                    first,
                    "sandbox"
                        | "hooks"
                        | "env"
                        | "mcp_servers"
                        | "permission_mode"
                        | "dangerously_skip_permissions"
                        | "max_turns"
                        | "max_budget_usd"
                )
                && !first.starts_with("x-")
        })
        .map(|e| (format!("{}: {}", e.option(), value_text(&e.node)), e))
        .collect();
    section(&mut out, "Other options", other, session, merged);

    let locks = merged.locks.list();
    if !locks.is_empty() {
        let _ = writeln!(out, "\nLocks:");
        let width = locks.iter().map(|(name, ..)| name.len()).max().unwrap_or(0);
        for (name, layer, span) in locks {
            let _ = writeln!(out, "  {name:<width$}  {}  {}", session.at(span), session.layers[layer].describe());
        }
    }
    if !session.notes.is_empty() {
        let _ = writeln!(out, "\nNotes:");
        for note in &session.notes {
            let _ = writeln!(out, "  - {note}");
        }
    }
    out
}

/// `agentlint can`, for people.
pub fn verdict(session: &Session, merged: &Merged, call: &Call, verdict: &Verdict) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "{}: {}", verdict.decision.id(), shown_text(&call.text));
    let (why, _) = basis(session, merged, &verdict.basis);
    let _ = writeln!(out, "  decided by {why}");
    for part in &verdict.parts {
        let (why, _) = basis(session, merged, &part.basis);
        let _ = writeln!(out, "  part `{}`: {}, by {why}", shown_text(&part.command), part.decision.id());
    }
    let mode = match verdict.mode_entry {
        Some(i) => {
            let e = &merged.entries[i];
            format!("`{}` ({}, {})", verdict.mode.cli_name(), session.layers[e.layer].describe(), place(session, e))
        }
        None => format!("`{}`", verdict.mode.cli_name()),
    };
    let _ = writeln!(out, "  mode: {mode}");
    let trust =
        if merged.trusted { "trusted folder (--trusted)" } else { "not trusted, as print-mode and SDK sessions run" };
    let _ = writeln!(out, "  session: {}, {trust}", session.title);
    for note in &verdict.notes {
        let _ = writeln!(out, "  note: {note}");
    }
    out
}

/// The layer role's name in the JSON contract.
pub(crate) fn role_id(role: Role) -> &'static str {
    match role {
        Role::Deployment => "deployment",
        Role::Settings => "settings",
        Role::InlineSettings => "inline-settings",
        Role::Mcp => "mcp",
    }
}
