//! The Markdown kinds: `subagent` (`.claude/agents/**/*.md`), `command`
//! (`.claude/commands/**/*.md`) and `skill` (`**/skills/**/SKILL.md`). Only the YAML
//! frontmatter between the leading `---` lines is read; spans, lines and columns are those of
//! the `.md` file. The body is the prompt, not configuration.

use std::sync::LazyLock;

use serde_json::{Value as Json, json};

use super::{Dialect, FileKind, Kind, Syntax};
use crate::config::{Agent, LoadedConfig};
use crate::document::{self, Entry, Key, Node, SourceFile, Span, Value};
use crate::report::{Finding, Location};
use crate::rules::{INVALID_VALUE, SYNTAX_ERROR};
use crate::schema::{Describe, Dropped, SchemaDoc};

/// A tool list: a YAML list, or one string of entries separated by commas (and, in skills and
/// commands, spaces).
fn tool_list() -> Json {
    json!({"anyOf": [{"type": "string"}, {"type": "array", "items": {"type": "string"}}]})
}

/// A boolean: Claude Code also takes `yes`, `no`, `on`, `off`, `1` and `0` in any case (2.1.218).
fn flag() -> Json {
    json!({"anyOf": [
        {"type": "boolean"},
        {"type": "string", "pattern": "(?i)^(true|false|yes|no|on|off|1|0)$"},
        {"type": "integer", "enum": [0, 1]}
    ]})
}

/// A schema document for one Markdown kind; its `$ref`s name the deployment schema's
/// definitions (hooks, MCP servers), so a subagent's hooks are checked like a deployment
/// config's.
fn doc(properties: Json) -> SchemaDoc {
    SchemaDoc::with_fallback(
        json!({"type": "object", "additionalProperties": false, "properties": properties}),
        &crate::config::schema::DOC,
    )
}

const EFFORTS: &[&str] = &["low", "medium", "high", "xhigh", "max"];

/// Subagent frontmatter (sub-agents docs, "Supported frontmatter fields").
static SUBAGENT: LazyLock<SchemaDoc> = LazyLock::new(|| {
    doc(json!({
        "name": {"type": "string", "minLength": 1},
        "description": {"type": "string"},
        "tools": tool_list(),
        "disallowedTools": tool_list(),
        "model": {"type": "string"},
        "permissionMode": {"enum": ["default", "acceptEdits", "auto", "dontAsk", "bypassPermissions", "plan", "manual"]},
        "maxTurns": {"type": "integer", "minimum": 1},
        "skills": tool_list(),
        "mcpServers": {"type": "array", "items": {"anyOf": [
            {"type": "string"},
            {"type": "object", "additionalProperties": {"$ref": "#/definitions/McpServer"}}
        ]}},
        "hooks": {"$ref": "#/definitions/Hooks"},
        "memory": {"enum": ["user", "project", "local"]},
        "background": flag(),
        "effort": {"enum": EFFORTS},
        "isolation": {"enum": ["worktree"]},
        "color": {"type": "string"},
        "initialPrompt": {"type": "string"},
    }))
});

/// Skill and command frontmatter (skills docs, "Frontmatter reference"; a command is a skill
/// the user invokes).
static SKILL: LazyLock<SchemaDoc> = LazyLock::new(|| {
    doc(json!({
        "name": {"type": "string", "minLength": 1},
        "description": {"type": "string"},
        "when_to_use": {"type": "string"},
        "argument-hint": {"type": "string"},
        "arguments": tool_list(),
        "disable-model-invocation": flag(),
        "user-invocable": flag(),
        "allowed-tools": tool_list(),
        "disallowed-tools": tool_list(),
        "model": {"type": "string"},
        "effort": {"enum": EFFORTS},
        "context": {"enum": ["fork"]},
        "agent": {"type": "string"},
        "background": flag(),
        "hooks": {"$ref": "#/definitions/Hooks"},
        "paths": tool_list(),
        "shell": {"enum": ["bash", "powershell"]},
        "metadata": {"type": "object"},
        "license": {"type": "string"},
        "compatibility": {"type": "string", "maxLength": 500},
    }))
});

/// The frontmatter's YAML text range, or why the file has none that can be read.
enum Frontmatter {
    /// No leading `---` line: a plain Markdown file.
    None,
    At(std::ops::Range<usize>),
    /// A leading `---` with no closing one: at the opening line.
    Unclosed(Span),
}

fn find_frontmatter(text: &str) -> Frontmatter {
    let first_end = text.find('\n').map_or(text.len(), |i| i + 1);
    if text[..first_end].trim_end() != "---" {
        return Frontmatter::None;
    }
    let mut offset = first_end;
    for line in text[first_end..].split_inclusive('\n') {
        if line.trim_end() == "---" {
            return Frontmatter::At(first_end..offset);
        }
        offset += line.len();
    }
    Frontmatter::Unclosed(Span::new(0, 3))
}

pub fn load(path: &str, bytes: Vec<u8>, kind: FileKind) -> (LoadedConfig, Vec<Finding>) {
    let source = match crate::config::load::read_source(path, bytes, document::Format::Yaml, kind) {
        Ok(source) => source,
        Err(failed) => return *failed,
    };
    let range = match find_frontmatter(&source.text) {
        Frontmatter::None => return (empty(source, kind), Vec::new()),
        Frontmatter::Unclosed(span) => {
            let finding = Finding::new(
                &SYNTAX_ERROR,
                Location::new(&source, None, span),
                "the frontmatter is not closed: no `---` line follows the opening one",
            )
            .help("end the frontmatter with a line `---`; until then Claude Code reads no field of this file");
            return (LoadedConfig::failed(source, kind), vec![finding]);
        }
        Frontmatter::At(range) => range,
    };
    let root = match document::parse_yaml(&source.text[range.clone()]) {
        Ok(mut root) => {
            root.shift(range.start);
            root
        }
        Err(mut e) => {
            e.span = Span::new(e.span.start + range.start, e.span.end + range.start);
            let finding = Finding::new(&SYNTAX_ERROR, Location::new(&source, None, e.span), e.message)
                .help("Claude Code then reads each field's raw text as a plain string, so lists and other values may not mean what they say");
            return (LoadedConfig::failed(source, kind), vec![finding]);
        }
    };
    let mut config = empty(source, kind);
    config.root = root;
    let mut findings = Vec::new();
    match &config.root.value {
        Value::Map(_) => {}
        Value::Null => return (config, findings),
        _ => {
            findings.push(
                Finding::new(
                    &INVALID_VALUE,
                    config.locate(config.root.span),
                    format!("the frontmatter is {}, not a mapping of fields", config.root.type_name()),
                )
                .label("expected `field: value` lines"),
            );
            return (config, findings);
        }
    }
    let schema = if kind.kind == Kind::Subagent { &*SUBAGENT } else { &*SKILL };
    let mut outcome = crate::schema::validate(schema, "", &config.root);
    if let Some(tree) = &outcome.tree {
        outcome.problems.extend(super::hooks::matcher_problems(tree));
    }
    config.report(&outcome, &Markdown, &mut findings);
    config.tree = outcome.tree.unwrap_or_else(|| Node::new(Value::Map(Vec::new()), config.root.span));
    if kind.kind == Kind::Subagent {
        subagent_name_problems(&config, &mut findings);
    }
    config.agents = vec![session(&config, outcome.invalid, &mut findings)];
    (config, findings)
}

fn empty(source: SourceFile, kind: FileKind) -> LoadedConfig {
    let mut config = LoadedConfig::failed(source, kind);
    config.parsed = true;
    config
}

/// Subagent files Claude Code skips without a word in the session (only the debug log says so).
fn subagent_name_problems(config: &LoadedConfig, findings: &mut Vec<Finding>) {
    let name = config.root.entry("name");
    match name.and_then(|e| e.value.as_str()) {
        // No name: Claude Code takes the file for documentation kept beside the agents.
        None => {}
        Some(text) if text.starts_with('-') || text.contains(':') => {
            let entry = name.expect("a name was found");
            findings.push(
                Finding::new(
                    &INVALID_VALUE,
                    config.locate(entry.value.span),
                    "the subagent's `name` starts with `-` or contains `:`, so Claude Code skips the file (since 2.1.218)",
                )
                .label("not loaded")
                .help("use lowercase letters, digits and hyphens, e.g. `name: code-reviewer`"),
            );
        }
        Some(_) if config.root.get("description").is_none() => {
            let entry = name.expect("a name was found");
            findings.push(
                Finding::new(
                    &INVALID_VALUE,
                    config.locate(entry.key.span),
                    "the subagent has a `name` but no `description`, so Claude Code skips the file",
                )
                .label("not loaded")
                .help("add `description:` saying when Claude should delegate to this subagent"),
            );
        }
        Some(_) => {}
    }
}

struct Markdown;

impl Describe for Markdown {
    fn unknown_key_help(&self) -> &'static str {
        "remove it: Claude Code ignores frontmatter fields it does not know"
    }
}

/// Where the shared options live in each Markdown kind's frontmatter.
fn places(kind: Kind) -> &'static [(&'static str, &'static str)] {
    match kind {
        Kind::Subagent => &[
            ("permission_mode", "permissionMode"),
            ("tools", "tools"),
            ("disallowed_tools", "disallowedTools"),
            ("model", "model"),
            ("max_turns", "maxTurns"),
            ("hooks", "hooks"),
            ("mcp_servers", "mcpServers"),
        ],
        _ => &[
            ("allowed_tools", "allowed-tools"),
            ("disallowed_tools", "disallowed-tools"),
            ("model", "model"),
            ("hooks", "hooks"),
        ],
    }
}

fn session(config: &LoadedConfig, dropped: Vec<Dropped>, findings: &mut Vec<Finding>) -> Agent {
    let kind = config.kind.kind;
    let mut entries = Vec::new();
    for (name, field) in places(kind) {
        let Some(entry) = config.tree.entry(field) else { continue };
        let value = match *name {
            "tools" | "disallowed_tools" | "allowed_tools" => split_tool_list(&config.source.text, &entry.value, kind),
            // Inline server definitions (`- github: {type: http, …}`) as a `mcp_servers` map.
            "mcp_servers" => inline_servers(&entry.value),
            _ => entry.value.clone(),
        };
        entries.push(Entry { key: Key { text: (*name).to_owned(), span: entry.key.span }, value, merged: false });
    }
    let mut tree = Node::new(Value::Map(entries), config.tree.span);
    let mut invalid: Vec<Dropped> = dropped
        .into_iter()
        .filter_map(|d| {
            let (name, _) = places(kind).iter().find(|(_, field)| d.path.first().is_some_and(|f| f == field))?;
            let path = std::iter::once((*name).to_owned()).chain(d.path[1..].iter().cloned()).collect();
            Some(Dropped { path, span: d.span })
        })
        .collect();
    let name = config.tree.get("name").and_then(Node::as_str).map(str::to_owned);
    let anchor = config
        .root
        .entry("name")
        .or_else(|| config.root.as_map().and_then(|e| e.first()))
        .map_or(Span::new(0, 0), |e| e.key.span);
    let options = crate::config::load::typed_options(config, None, anchor, &mut tree, &mut invalid, findings);
    let dialect = Dialect::new(kind, Syntax::Yaml, true);
    Agent { name, label: None, anchor, tree, options, invalid, dialect, unknown: Vec::new() }
}

/// A tool list as a list node: a YAML list as it is; a string split into its entries, each with
/// the span of its characters when the string is written verbatim (the whole string otherwise).
/// Entries are separated by commas, and in skills and commands also by spaces, outside
/// parentheses (`Bash(git add:*), Read`).
fn split_tool_list(text: &str, node: &Node, kind: Kind) -> Node {
    let Some(s) = node.as_str() else { return node.clone() };
    let spaces = kind != Kind::Subagent;
    let base = document::verbatim_offset(text, node.span, s);
    let mut items = Vec::new();
    let mut depth = 0usize;
    let mut start = 0usize;
    let mut push = |from: usize, to: usize| {
        let raw = &s[from..to];
        let trimmed = raw.trim();
        if trimmed.is_empty() {
            return;
        }
        let lead = raw.len() - raw.trim_start().len();
        let span = match base {
            Some(b) => Span::new(b + from + lead, b + from + lead + trimmed.len()),
            None => node.span,
        };
        items.push(Node::new(Value::String(trimmed.to_owned()), span));
    };
    for (i, c) in s.char_indices() {
        match c {
            '(' => depth += 1,
            ')' => depth = depth.saturating_sub(1),
            ',' if depth == 0 => {
                push(start, i);
                start = i + 1;
            }
            c if spaces && depth == 0 && c.is_whitespace() => {
                push(start, i);
                start = i + c.len_utf8();
            }
            _ => {}
        }
    }
    push(start, s.len());
    Node::new(Value::Seq(items), node.span)
}

/// The inline definitions of a subagent's `mcpServers` list as one map (names that refer to
/// servers configured elsewhere are left out).
fn inline_servers(node: &Node) -> Node {
    let entries =
        node.as_seq().unwrap_or_default().iter().filter_map(Node::as_map).flat_map(|m| m.iter().cloned()).collect();
    Node::new(Value::Map(entries), node.span)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hooks_are_checked_with_the_deployment_definitions() {
        let node = document::parse_yaml(
            "hooks:\n  PostToolUse:\n    - hooks:\n        - type: command\n          command: 3\n",
        )
        .unwrap();
        let outcome = crate::schema::validate(&SUBAGENT, "", &node);
        let paths: Vec<String> = outcome.invalid.iter().map(|d| d.path.join(".")).collect();
        assert_eq!(paths, ["hooks.PostToolUse.0.hooks.0.command"]);
    }

    #[test]
    fn frontmatter_is_found_between_the_dashes() {
        let text = "---\nname: a\n---\nbody\n";
        let Frontmatter::At(r) = find_frontmatter(text) else { panic!("frontmatter") };
        assert_eq!(&text[r], "name: a\n");
        assert!(matches!(find_frontmatter("# title\n"), Frontmatter::None));
        assert!(matches!(find_frontmatter("---\nname: a\n"), Frontmatter::Unclosed(_)));
        let Frontmatter::At(r) = find_frontmatter("---\r\nname: a\r\n---\r\n") else { panic!("CRLF") };
        assert_eq!(r, 5..14);
    }

    #[test]
    fn tool_strings_split_outside_parentheses_with_spans() {
        let text = "allowed-tools: Bash(git add:*), Read Grep\n";
        let value = Node::new(Value::String("Bash(git add:*), Read Grep".into()), Span::new(15, 41));
        let list = split_tool_list(text, &value, Kind::Skill);
        let got: Vec<&str> = list.as_seq().unwrap().iter().map(|n| &text[n.span.start..n.span.end]).collect();
        assert_eq!(got, ["Bash(git add:*)", "Read", "Grep"]);
        let list = split_tool_list(text, &value, Kind::Subagent);
        let got: Vec<&str> = list.as_seq().unwrap().iter().map(|n| n.as_str().unwrap()).collect();
        assert_eq!(got, ["Bash(git add:*)", "Read Grep"]);
    }
}
