//! Python: the Agent SDK's `ClaudeAgentOptions(...)` (and `ClaudeCodeOptions(...)` of the older
//! `claude_code_sdk`), `query()` and `ClaudeSDKClient()` without options (a session with every
//! default), and attribute assignments to a variable that holds the options
//! (`options.max_turns = 5` after `options = ClaudeAgentOptions(...)`).
//!
//! `query`, `ClaudeSDKClient` and a module alias count only when imported from
//! `claude_agent_sdk` or `claude_code_sdk`; the options classes have names of their own.

use std::collections::HashMap;

use tree_sitter::Node as Ts;

use super::{Extraction, Site, Unreadable, Values, each_node, entry, named_children, number, span_of};
use crate::config::UnknownOrigin;
use crate::document::{Entry, Node, Span, Value};
use crate::kinds::Host;

const MODULES: &[&str] = &["claude_agent_sdk", "claude_code_sdk"];
const OPTION_CLASSES: &[&str] = &["ClaudeAgentOptions", "ClaudeCodeOptions"];
/// SDK types whose keyword-only construction reads as a mapping.
const RECORD_TYPES: &[&str] = &[
    "AgentDefinition",
    "SandboxSettings",
    "SandboxNetworkConfig",
    "SandboxIgnoreViolations",
    "McpStdioServerConfig",
    "McpSSEServerConfig",
    "McpHttpServerConfig",
    "ThinkingConfigAdaptive",
    "ThinkingConfigEnabled",
    "ThinkingConfigDisabled",
    "SystemPromptPreset",
    "ToolsPreset",
    "dict",
];

/// What a local name stands for.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Sdk {
    Options,
    Query,
    Client,
    Module,
}

pub fn extract(text: &str) -> Result<Extraction, Unreadable> {
    let tree = super::parse(tree_sitter_python::LANGUAGE.into(), text)?;
    let root = tree.root_node();
    let mut out = Extraction::default();
    let mut names: HashMap<String, Sdk> = OPTION_CLASSES.iter().map(|c| ((*c).to_owned(), Sdk::Options)).collect();
    let mut calls = Vec::new();
    let mut attribute_sets = Vec::new();
    each_node(root, |node| match node.kind() {
        "comment" => out.comments.push(span_of(node)),
        "import_from_statement" => imports_from(node, text, &mut names),
        "import_statement" => imports(node, text, &mut names),
        "call" => calls.push(node),
        "assignment" | "augmented_assignment"
            if node.child_by_field_name("left").is_some_and(|l| l.kind() == "attribute" || l.kind() == "subscript") =>
        {
            attribute_sets.push(node);
        }
        _ => {}
    });
    for call in calls {
        let Some(function) = call.child_by_field_name("function") else { continue };
        let Some(sdk) = callee(function, text, &names) else { continue };
        let args = call.child_by_field_name("arguments");
        match sdk {
            Sdk::Options => {
                let mut site = options_site(text, span_of(function), args);
                attribute_assignments(text, call, &attribute_sets, &mut site);
                out.sites.push(site);
            }
            Sdk::Query | Sdk::Client => {
                // With options written elsewhere, those are the site (or come from elsewhere).
                let has_options = args.is_some_and(|a| {
                    named_children(a).iter().any(|arg| {
                        arg.kind() == "keyword_argument"
                            || arg.kind() == "dictionary_splat"
                            || (sdk == Sdk::Client && arg.kind() != "comment")
                    })
                });
                let options_kw = args.and_then(|a| {
                    named_children(a).into_iter().find(|arg| {
                        arg.kind() == "keyword_argument"
                            && arg.child_by_field_name("name").is_some_and(|n| &text[n.byte_range()] == "options")
                    })
                });
                if options_kw.is_none() && !(has_options && sdk == Sdk::Client) && !splat(args) {
                    out.sites.push(Site::new(span_of(function), Host::Python));
                }
            }
            Sdk::Module => {}
        }
    }
    Ok(out)
}

fn splat(args: Option<Ts<'_>>) -> bool {
    args.is_some_and(|a| named_children(a).iter().any(|c| c.kind() == "dictionary_splat"))
}

/// `from claude_agent_sdk import query, ClaudeAgentOptions as Opts`.
fn imports_from(node: Ts<'_>, text: &str, names: &mut HashMap<String, Sdk>) {
    let Some(module) = node.child_by_field_name("module_name") else { return };
    if !MODULES.contains(&&text[module.byte_range()]) {
        return;
    }
    let mut cursor = node.walk();
    for name in node.children_by_field_name("name", &mut cursor) {
        let (imported, local) = match name.kind() {
            "aliased_import" => {
                let imported = name.child_by_field_name("name").map(|n| &text[n.byte_range()]);
                let local = name.child_by_field_name("alias").map(|n| &text[n.byte_range()]);
                (imported.unwrap_or_default(), local.unwrap_or_default())
            }
            _ => (&text[name.byte_range()], &text[name.byte_range()]),
        };
        let sdk = match imported {
            "query" => Sdk::Query,
            "ClaudeSDKClient" => Sdk::Client,
            c if OPTION_CLASSES.contains(&c) => Sdk::Options,
            _ => continue,
        };
        names.insert(local.to_owned(), sdk);
    }
    if node.named_children(&mut node.walk()).any(|c| c.kind() == "wildcard_import") {
        names.insert("query".into(), Sdk::Query);
        names.insert("ClaudeSDKClient".into(), Sdk::Client);
    }
}

/// `import claude_agent_sdk` and `import claude_agent_sdk as sdk`.
fn imports(node: Ts<'_>, text: &str, names: &mut HashMap<String, Sdk>) {
    let mut cursor = node.walk();
    for name in node.children_by_field_name("name", &mut cursor) {
        let (module, local) = match name.kind() {
            "aliased_import" => (
                name.child_by_field_name("name").map(|n| &text[n.byte_range()]).unwrap_or_default(),
                name.child_by_field_name("alias").map(|n| &text[n.byte_range()]).unwrap_or_default(),
            ),
            _ => (&text[name.byte_range()], &text[name.byte_range()]),
        };
        if MODULES.contains(&module) {
            names.insert(local.to_owned(), Sdk::Module);
        }
    }
}

/// What a call's function names: `query`, `sdk.query`, `ClaudeAgentOptions`, ….
fn callee(function: Ts<'_>, text: &str, names: &HashMap<String, Sdk>) -> Option<Sdk> {
    match function.kind() {
        "identifier" => names.get(&text[function.byte_range()]).copied().filter(|s| *s != Sdk::Module),
        "attribute" => {
            let object = function.child_by_field_name("object")?;
            let attribute = &text[function.child_by_field_name("attribute")?.byte_range()];
            let module = &text[object.byte_range()];
            let is_module = names.get(module) == Some(&Sdk::Module) || MODULES.contains(&module);
            if !is_module {
                return None;
            }
            match attribute {
                "query" => Some(Sdk::Query),
                "ClaudeSDKClient" => Some(Sdk::Client),
                a if OPTION_CLASSES.contains(&a) => Some(Sdk::Options),
                _ => None,
            }
        }
        _ => None,
    }
}

fn options_site(text: &str, anchor: Span, args: Option<Ts<'_>>) -> Site {
    let mut site = Site::new(anchor, Host::Python);
    let mut values = Values::new(text);
    for arg in args.map(named_children).unwrap_or_default() {
        match arg.kind() {
            "keyword_argument" => {
                let (Some(name), Some(value)) = (arg.child_by_field_name("name"), arg.child_by_field_name("value"))
                else {
                    continue;
                };
                let key = &text[name.byte_range()];
                if let Some(entry) = option(&mut values, key, span_of(name), value) {
                    site.written.push(entry);
                }
            }
            "dictionary_splat" | "list_splat" => values.unknown(span_of(arg), values.describe(span_of(arg))),
            // `ClaudeAgentOptions` is a dataclass: a positional argument is some field, in order.
            _ => values.unknown(span_of(arg), format!("the positional argument {}", values.describe(span_of(arg)))),
        }
    }
    site.unknown = values.unknown;
    site
}

/// One option `key=value`: the entry, or `None` when the value is unknown (recorded).
fn option(values: &mut Values<'_>, key: &str, key_span: Span, value: Ts<'_>) -> Option<Entry> {
    if key == "hooks" {
        values.unknown.push(super::RawUnknown {
            path: vec![key.to_owned()],
            span: span_of(value),
            what: "hook callbacks of the SDK".into(),
            origin: UnknownOrigin::Elsewhere,
        });
        return None;
    }
    values.path = vec![key.to_owned()];
    let node = convert(values, value, 0);
    values.path.clear();
    node.map(|n| entry(key, key_span, n))
}

/// `options.max_turns = 5` (and `options.allowed_tools += […]`) for the variable the options
/// call is assigned to, in the same function or module.
fn attribute_assignments(text: &str, call: Ts<'_>, sets: &[Ts<'_>], site: &mut Site) {
    let Some(parent) = call.parent().filter(|p| p.kind() == "assignment") else { return };
    let Some(left) = parent.child_by_field_name("left").filter(|l| l.kind() == "identifier") else { return };
    let variable = &text[left.byte_range()];
    let scope = scope_of(call);
    let mut values = Values::new(text);
    for set in sets {
        if scope_of(*set) != scope {
            continue;
        }
        let Some(target) = set.child_by_field_name("left") else { continue };
        // `options.x = …`, or `options.x[…] = …` / `options.x += …` (a change, unknown).
        let attribute = if target.kind() == "subscript" { target.child_by_field_name("value") } else { Some(target) };
        let Some(attribute) = attribute.filter(|a| a.kind() == "attribute") else { continue };
        let Some(object) = attribute.child_by_field_name("object") else { continue };
        if &text[object.byte_range()] != variable {
            continue;
        }
        let Some(name) = attribute.child_by_field_name("attribute") else { continue };
        let key = &text[name.byte_range()];
        let Some(value) = set.child_by_field_name("right") else { continue };
        if set.kind() == "augmented_assignment" || target.kind() == "subscript" {
            values.path = vec![key.to_owned()];
            values.unknown(span_of(*set), values.describe(span_of(*set)));
            continue;
        }
        site.written.retain(|e| e.key.text != key);
        site.unknown.retain(|u| u.path.first().is_none_or(|p| p != key));
        if let Some(entry) = option(&mut values, key, span_of(name), value) {
            site.written.push(entry);
        }
    }
    site.unknown.extend(values.unknown);
}

/// The function (or module) a node is in.
fn scope_of(node: Ts<'_>) -> usize {
    let mut current = node.parent();
    while let Some(n) = current {
        if matches!(n.kind(), "function_definition" | "module" | "lambda") {
            return n.id();
        }
        current = n.parent();
    }
    0
}

/// A Python expression as a literal node, or `None` (recorded as unknown).
fn convert(values: &mut Values<'_>, node: Ts<'_>, depth: usize) -> Option<Node> {
    let span = span_of(node);
    if values.callback_position() {
        return Some(values.callback(span));
    }
    if depth > super::MAX_VALUE_DEPTH {
        values.unknown(span, "a value nested too deeply to read");
        return None;
    }
    let text = values.text;
    match node.kind() {
        "string" => match string(node, text) {
            Some(s) => Some(Node::new(Value::String(s), span)),
            None => {
                values.unknown(span, format!("the f-string {}", values.describe(span)));
                None
            }
        },
        "concatenated_string" => {
            let mut out = String::new();
            for part in named_children(node) {
                match string(part, text) {
                    Some(s) => out.push_str(&s),
                    None => {
                        values.unknown(span, format!("the f-string {}", values.describe(span)));
                        return None;
                    }
                }
            }
            Some(Node::new(Value::String(out), span))
        }
        "integer" | "float" => number(&text[node.byte_range()], span, false),
        "true" => Some(Node::new(Value::Bool(true), span)),
        "false" => Some(Node::new(Value::Bool(false), span)),
        "none" => Some(Node::new(Value::Null, span)),
        "unary_operator" => {
            let argument = node.child_by_field_name("argument")?;
            let operator = node.child_by_field_name("operator").map(|o| &text[o.byte_range()]);
            match (operator, argument.kind()) {
                (Some("-"), "integer" | "float") => number(&text[argument.byte_range()], span, true),
                _ => {
                    values.unknown(span, values.describe(span));
                    None
                }
            }
        }
        "parenthesized_expression" => {
            let inner = named_children(node).into_iter().next()?;
            convert(values, inner, depth + 1)
        }
        "list" | "tuple" | "set" => {
            let mut items = Vec::new();
            for item in named_children(node) {
                if item.kind() == "list_splat" {
                    values.unknown(span_of(item), values.describe(span_of(item)));
                    continue;
                }
                items.extend(convert(values, item, depth + 1));
            }
            Some(Node::new(Value::Seq(items), span))
        }
        "dictionary" => {
            let mut entries = Vec::new();
            for item in named_children(node) {
                match item.kind() {
                    "pair" => {
                        let (Some(k), Some(v)) = (item.child_by_field_name("key"), item.child_by_field_name("value"))
                        else {
                            continue;
                        };
                        let Some(key) = (k.kind() == "string").then(|| string(k, text)).flatten() else {
                            values.unknown(span_of(item), format!("the key {}", values.describe(span_of(k))));
                            continue;
                        };
                        values.path.push(key.clone());
                        let value = convert(values, v, depth + 1);
                        values.path.pop();
                        if let Some(value) = value {
                            entries.push(entry(&key, span_of(k), value));
                        }
                    }
                    _ => values.unknown(span_of(item), values.describe(span_of(item))),
                }
            }
            Some(Node::new(Value::Map(entries), span))
        }
        "subscript" => {
            // `os.environ["NAME"]`
            let object = node.child_by_field_name("value").map(|v| &text[v.byte_range()]);
            let index =
                node.child_by_field_name("subscript").filter(|s| s.kind() == "string").and_then(|s| string(s, text));
            match (object, index) {
                (Some("os.environ" | "environ"), Some(name)) => values.env_read(&name, span),
                _ => {
                    values.unknown(span, values.describe(span));
                    None
                }
            }
        }
        "call" => call(values, node, depth),
        "identifier" | "attribute" => {
            values.unknown(span, format!("the variable {}", values.describe(span)));
            None
        }
        _ => {
            values.unknown(span, values.describe(span));
            None
        }
    }
}

fn call(values: &mut Values<'_>, node: Ts<'_>, depth: usize) -> Option<Node> {
    let text = values.text;
    let span = span_of(node);
    let function = node.child_by_field_name("function").map(|f| &text[f.byte_range()]).unwrap_or_default();
    let args: Vec<Ts<'_>> = node.child_by_field_name("arguments").map(named_children).unwrap_or_default();
    // `os.getenv("NAME")`, `os.environ.get("NAME")`
    if matches!(function, "os.getenv" | "getenv" | "os.environ.get" | "environ.get")
        && let Some(name) = args.first().filter(|a| a.kind() == "string").and_then(|a| string(*a, text))
    {
        return values.env_read(&name, span);
    }
    let class = function.rsplit('.').next().unwrap_or(function);
    if RECORD_TYPES.contains(&class) && args.iter().all(|a| a.kind() == "keyword_argument") {
        let mut entries = Vec::new();
        for arg in args {
            let (Some(k), Some(v)) = (arg.child_by_field_name("name"), arg.child_by_field_name("value")) else {
                continue;
            };
            let key = text[k.byte_range()].to_owned();
            values.path.push(key.clone());
            let value = convert(values, v, depth + 1);
            values.path.pop();
            if let Some(value) = value {
                entries.push(entry(&key, span_of(k), value));
            }
        }
        return Some(Node::new(Value::Map(entries), span));
    }
    values.unknown(span, format!("a call to {}", values.describe(span)));
    None
}

/// A string literal's value (escapes decoded); `None` for an f-string with replacement fields.
fn string(node: Ts<'_>, text: &str) -> Option<String> {
    let children = named_children(node);
    if children.iter().any(|c| c.kind() == "interpolation") {
        return None;
    }
    let start = children.iter().find(|c| c.kind() == "string_start")?;
    let end = children.iter().find(|c| c.kind() == "string_end")?;
    let opening = &text[start.byte_range()];
    let raw = opening.to_ascii_lowercase().contains('r');
    let body = &text[start.end_byte()..end.start_byte()];
    Some(if raw { body.to_owned() } else { unescape(body) })
}

/// Python string escapes.
fn unescape(s: &str) -> String {
    if !s.contains('\\') {
        return s.to_owned();
    }
    let mut out = String::with_capacity(s.len());
    let mut chars = s.chars().peekable();
    while let Some(c) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        match chars.next() {
            Some('n') => out.push('\n'),
            Some('t') => out.push('\t'),
            Some('r') => out.push('\r'),
            Some('0') => out.push('\0'),
            Some('\n') => {}
            Some(e @ ('x' | 'u' | 'U')) => {
                let len = match e {
                    'x' => 2,
                    'u' => 4,
                    _ => 8,
                };
                let hex: String = chars.by_ref().take(len).collect();
                match u32::from_str_radix(&hex, 16).ok().and_then(char::from_u32) {
                    Some(ch) => out.push(ch),
                    None => {
                        out.push('\\');
                        out.push(e);
                        out.push_str(&hex);
                    }
                }
            }
            Some(other @ ('\\' | '\'' | '"')) => out.push(other),
            Some(other) => {
                out.push('\\');
                out.push(other);
            }
            None => out.push('\\'),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sites(text: &str) -> Vec<(String, Vec<String>)> {
        extract(text)
            .unwrap()
            .sites
            .iter()
            .map(|s| {
                let opts = s.written.iter().map(|e| format!("{}={}", e.key.text, e.value.to_json())).collect();
                let unknown = s.unknown.iter().map(|u| format!("{}: {}", u.path.join("."), u.what)).collect::<Vec<_>>();
                (format!("{} {}", &text[s.anchor.start..s.anchor.end], unknown.join("; ")), opts)
            })
            .collect()
    }

    #[test]
    fn options_and_queries() {
        let text = r#"
import os
from claude_agent_sdk import query, ClaudeAgentOptions, ClaudeSDKClient
from db import query as sql

opts = ClaudeAgentOptions(permission_mode="dontAsk", allowed_tools=["Read", r"Bash(git:*)"], max_budget_usd=1.5,
                          env={"ANTHROPIC_API_KEY": os.environ["ANTHROPIC_API_KEY"]}, cwd=workdir)
opts.max_turns = 10
query(prompt="x", options=opts)
query(prompt="y")
sql("select 1")
"#;
        let found = sites(text);
        assert_eq!(found.len(), 2, "{found:?}");
        assert_eq!(found[0].0, "ClaudeAgentOptions cwd: the variable `workdir`");
        assert_eq!(
            found[0].1,
            [
                "permission_mode=\"dontAsk\"",
                "allowed_tools=[\"Read\",\"Bash(git:*)\"]",
                "max_budget_usd=1.5",
                "env={\"ANTHROPIC_API_KEY\":\"${ANTHROPIC_API_KEY}\"}",
                "max_turns=10"
            ]
        );
        assert_eq!(found[1].0, "query ");
    }

    #[test]
    fn unknowns() {
        let text = "from claude_agent_sdk import ClaudeAgentOptions\nClaudeAgentOptions(model=os.environ['M'], allowed_tools=[*base, 'Read'], **extra, can_use_tool=check)\n";
        let found = sites(text);
        assert_eq!(
            found[0].0,
            "ClaudeAgentOptions model: the environment variable `M`; allowed_tools: `*base`; : `**extra`"
        );
        assert_eq!(found[0].1, ["allowed_tools=[\"Read\"]", "can_use_tool=\"check\""]);
    }
}
