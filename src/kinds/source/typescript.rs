//! TypeScript and JavaScript: the `options` object of the Agent SDK's `query()` (a `query()`
//! without options is a session with every default), and object literals declared as the SDK's
//! `Options` type (`const options: Options = {…}`, `{…} satisfies Options`).
//!
//! `query` and `Options` count when imported from `@anthropic-ai/claude-agent-sdk` (or the older
//! `@anthropic-ai/claude-code`), by name, as a namespace (`sdk.query`), or with `require`.

use std::collections::HashMap;

use tree_sitter::Node as Ts;

use super::{Extraction, Site, Unreadable, Values, each_node, entry, named_children, number, span_of};
use crate::config::UnknownOrigin;
use crate::document::{Entry, Node, Span, Value};
use crate::kinds::Host;

const MODULES: &[&str] = &["@anthropic-ai/claude-agent-sdk", "@anthropic-ai/claude-code"];

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Sdk {
    Query,
    Options,
    Namespace,
}

pub fn extract(text: &str, path: &str) -> Result<Extraction, Unreadable> {
    let lower = path.to_ascii_lowercase();
    let language = if lower.ends_with(".ts") || lower.ends_with(".mts") || lower.ends_with(".cts") {
        tree_sitter_typescript::LANGUAGE_TYPESCRIPT
    } else {
        tree_sitter_typescript::LANGUAGE_TSX
    };
    let tree = super::parse(language.into(), text)?;
    let mut out = Extraction::default();
    let mut names: HashMap<String, Sdk> = HashMap::new();
    let mut calls = Vec::new();
    let mut typed = Vec::new();
    each_node(tree.root_node(), |node| match node.kind() {
        "comment" => out.comments.push(span_of(node)),
        "import_statement" => imports(node, text, &mut names),
        "variable_declarator" => {
            requires(node, text, &mut names);
            typed.push(node);
        }
        "call_expression" => calls.push(node),
        "satisfies_expression" | "as_expression" => typed.push(node),
        _ => {}
    });
    let mut sites: Vec<(usize, Site)> = Vec::new();
    for node in typed {
        let (value, type_node) = match node.kind() {
            "variable_declarator" => (
                node.child_by_field_name("value"),
                node.child_by_field_name("type").and_then(|t| named_children(t).into_iter().next()),
            ),
            _ => {
                let children = named_children(node);
                (children.first().copied(), children.get(1).copied())
            }
        };
        let (Some(value), Some(type_node)) = (value, type_node) else { continue };
        if value.kind() != "object" || !names_options(type_node, text, &names) {
            continue;
        }
        sites.push((value.start_byte(), options_site(text, span_of(type_node), value)));
    }
    for call in calls {
        let Some(function) = call.child_by_field_name("function") else { continue };
        if !names_query(function, text, &names) {
            continue;
        }
        let first = call.child_by_field_name("arguments").and_then(|a| named_children(a).into_iter().next());
        let Some(first) = first.filter(|f| f.kind() == "object") else { continue };
        let options = named_children(first).into_iter().find(|p| {
            p.kind() == "pair"
                && p.child_by_field_name("key").is_some_and(|k| key_text(k, text).as_deref() == Some("options"))
        });
        let shorthand = named_children(first).into_iter().any(|p| {
            matches!(p.kind(), "shorthand_property_identifier" | "spread_element") && &text[p.byte_range()] != "prompt"
        });
        match options.and_then(|p| p.child_by_field_name("value")).map(unwrap_type) {
            // An `Options`-typed literal is read once.
            Some(value) if value.kind() == "object" && !sites.iter().any(|(start, _)| *start == value.start_byte()) => {
                sites.push((value.start_byte(), options_site(text, span_of(function), value)));
            }
            Some(_) => {}
            None if !shorthand => sites.push((call.start_byte(), Site::new(span_of(function), Host::TypeScript))),
            None => {}
        }
    }
    sites.sort_by_key(|(start, _)| *start);
    out.sites = sites.into_iter().map(|(_, s)| s).collect();
    Ok(out)
}

/// `x as const`, `x satisfies T`, `(x)`, `x!`: the expression itself.
fn unwrap_type(node: Ts<'_>) -> Ts<'_> {
    match node.kind() {
        "as_expression" | "satisfies_expression" | "parenthesized_expression" | "non_null_expression" => {
            named_children(node).into_iter().next().map_or(node, unwrap_type)
        }
        _ => node,
    }
}

fn imports(node: Ts<'_>, text: &str, names: &mut HashMap<String, Sdk>) {
    let Some(source) = node.child_by_field_name("source") else { return };
    if !MODULES.contains(&string(source, text).unwrap_or_default().as_str()) {
        return;
    }
    each_node(node, |n| match n.kind() {
        "import_specifier" => {
            let imported = n.child_by_field_name("name").map(|x| &text[x.byte_range()]).unwrap_or_default();
            let local = n.child_by_field_name("alias").map_or(imported, |x| &text[x.byte_range()]);
            let sdk = match imported {
                "query" => Sdk::Query,
                "Options" => Sdk::Options,
                _ => return,
            };
            names.insert(local.to_owned(), sdk);
        }
        "namespace_import" => {
            if let Some(id) = named_children(n).into_iter().find(|c| c.kind() == "identifier") {
                names.insert(text[id.byte_range()].to_owned(), Sdk::Namespace);
            }
        }
        _ => {}
    });
}

/// `const { query } = require("@anthropic-ai/claude-agent-sdk")`, `const sdk = require(…)`.
fn requires(node: Ts<'_>, text: &str, names: &mut HashMap<String, Sdk>) {
    let Some(value) = node.child_by_field_name("value").filter(|v| v.kind() == "call_expression") else { return };
    let is_require = value.child_by_field_name("function").is_some_and(|f| &text[f.byte_range()] == "require");
    let module = value
        .child_by_field_name("arguments")
        .and_then(|a| named_children(a).into_iter().next())
        .and_then(|s| string(s, text));
    if !is_require || !module.is_some_and(|m| MODULES.contains(&m.as_str())) {
        return;
    }
    let Some(name) = node.child_by_field_name("name") else { return };
    match name.kind() {
        "identifier" => {
            names.insert(text[name.byte_range()].to_owned(), Sdk::Namespace);
        }
        "object_pattern" => {
            for p in named_children(name) {
                let (imported, local) = match p.kind() {
                    "shorthand_property_identifier_pattern" => (&text[p.byte_range()], &text[p.byte_range()]),
                    "pair_pattern" => (
                        p.child_by_field_name("key").map(|k| &text[k.byte_range()]).unwrap_or_default(),
                        p.child_by_field_name("value").map(|v| &text[v.byte_range()]).unwrap_or_default(),
                    ),
                    _ => continue,
                };
                if imported == "query" {
                    names.insert(local.to_owned(), Sdk::Query);
                }
            }
        }
        _ => {}
    }
}

fn names_query(function: Ts<'_>, text: &str, names: &HashMap<String, Sdk>) -> bool {
    match function.kind() {
        "identifier" => names.get(&text[function.byte_range()]) == Some(&Sdk::Query),
        "member_expression" => {
            let object = function.child_by_field_name("object").map(|o| &text[o.byte_range()]).unwrap_or_default();
            let property = function.child_by_field_name("property").map(|p| &text[p.byte_range()]);
            names.get(object) == Some(&Sdk::Namespace) && property == Some("query")
        }
        _ => false,
    }
}

fn names_options(type_node: Ts<'_>, text: &str, names: &HashMap<String, Sdk>) -> bool {
    let written = &text[type_node.byte_range()];
    match written.split_once('.') {
        Some((ns, "Options")) => names.get(ns) == Some(&Sdk::Namespace),
        _ => names.get(written) == Some(&Sdk::Options),
    }
}

fn options_site(text: &str, anchor: Span, object: Ts<'_>) -> Site {
    let mut site = Site::new(anchor, Host::TypeScript);
    let mut values = Values::new(text);
    for property in named_children(object) {
        match property.kind() {
            "pair" => {
                let (Some(k), Some(v)) = (property.child_by_field_name("key"), property.child_by_field_name("value"))
                else {
                    continue;
                };
                let Some(key) = key_text(k, text) else {
                    values.unknown(span_of(property), format!("the computed key {}", values.describe(span_of(k))));
                    continue;
                };
                if key == "hooks" {
                    values.unknown.push(super::RawUnknown {
                        path: vec![key],
                        span: span_of(v),
                        what: "hook callbacks of the SDK".into(),
                        origin: UnknownOrigin::Elsewhere,
                    });
                    continue;
                }
                values.path = vec![key.clone()];
                if let Some(node) = convert(&mut values, v, 0) {
                    site.written.push(entry(&key, key_span(k), node));
                }
                values.path.clear();
            }
            "shorthand_property_identifier" => {
                let key = text[property.byte_range()].to_owned();
                values.path = vec![key];
                values.unknown(span_of(property), format!("the variable {}", values.describe(span_of(property))));
                values.path.clear();
            }
            "method_definition" => {
                let key = property.child_by_field_name("name").and_then(|n| key_text(n, text)).unwrap_or_default();
                values.path = vec![key.clone()];
                if values.callback_position() {
                    site.written.push(entry(&key, span_of(property), values.callback(span_of(property))));
                } else {
                    values.unknown(span_of(property), values.describe(span_of(property)));
                }
                values.path.clear();
            }
            _ => values.unknown(span_of(property), values.describe(span_of(property))),
        }
    }
    site.unknown = values.unknown;
    site
}

/// A property key's name: `maxTurns`, `"maxTurns"`, `'max-turns'`; `None` for a computed key.
fn key_text(key: Ts<'_>, text: &str) -> Option<String> {
    match key.kind() {
        "property_identifier" | "identifier" | "number" => Some(text[key.byte_range()].to_owned()),
        "string" => string(key, text),
        _ => None,
    }
}

/// A key's span: the name without its quotes.
fn key_span(key: Ts<'_>) -> Span {
    span_of(key)
}

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
        "string" => string(node, text).map(|s| Node::new(Value::String(s), span)),
        "template_string" => {
            if named_children(node).iter().any(|c| c.kind() == "template_substitution") {
                values.unknown(span, format!("the template {}", values.describe(span)));
                return None;
            }
            let body = &text[node.start_byte() + 1..node.end_byte().saturating_sub(1).max(node.start_byte() + 1)];
            Some(Node::new(Value::String(unescape(body)), span))
        }
        "number" => number(&text[node.byte_range()], span, false),
        "true" => Some(Node::new(Value::Bool(true), span)),
        "false" => Some(Node::new(Value::Bool(false), span)),
        "null" => Some(Node::new(Value::Null, span)),
        "undefined" => None,
        "unary_expression" => {
            let argument = node.child_by_field_name("argument")?;
            let operator = node.child_by_field_name("operator").map(|o| &text[o.byte_range()]);
            match (operator, argument.kind()) {
                (Some("-"), "number") => number(&text[argument.byte_range()], span, true),
                _ => {
                    values.unknown(span, values.describe(span));
                    None
                }
            }
        }
        "as_expression" | "satisfies_expression" | "parenthesized_expression" | "non_null_expression" => {
            let inner = named_children(node).into_iter().next()?;
            convert(values, inner, depth + 1)
        }
        "array" => {
            let mut items = Vec::new();
            for item in named_children(node) {
                if item.kind() == "spread_element" {
                    values.unknown(span_of(item), values.describe(span_of(item)));
                    continue;
                }
                items.extend(convert(values, item, depth + 1));
            }
            Some(Node::new(Value::Seq(items), span))
        }
        "object" => {
            let mut entries: Vec<Entry> = Vec::new();
            for property in named_children(node) {
                match property.kind() {
                    "pair" => {
                        let (Some(k), Some(v)) =
                            (property.child_by_field_name("key"), property.child_by_field_name("value"))
                        else {
                            continue;
                        };
                        let Some(key) = key_text(k, text) else {
                            values.unknown(span_of(property), values.describe(span_of(property)));
                            continue;
                        };
                        values.path.push(key.clone());
                        let value = convert(values, v, depth + 1);
                        values.path.pop();
                        if let Some(value) = value {
                            entries.push(entry(&key, key_span(k), value));
                        }
                    }
                    _ => values.unknown(span_of(property), values.describe(span_of(property))),
                }
            }
            Some(Node::new(Value::Map(entries), span))
        }
        "member_expression" | "subscript_expression" => {
            // `process.env.NAME`, `process.env["NAME"]`
            let object = node.child_by_field_name("object").map(|o| &text[o.byte_range()]);
            let name = match node.kind() {
                "member_expression" => node.child_by_field_name("property").map(|p| text[p.byte_range()].to_owned()),
                _ => node.child_by_field_name("index").and_then(|i| string(i, text)),
            };
            match (object, name) {
                (Some("process.env" | "Bun.env" | "import.meta.env"), Some(name)) => values.env_read(&name, span),
                _ => {
                    values.unknown(span, format!("the variable {}", values.describe(span)));
                    None
                }
            }
        }
        "identifier" => {
            values.unknown(span, format!("the variable {}", values.describe(span)));
            None
        }
        "call_expression" => {
            values.unknown(span, format!("a call to {}", values.describe(span)));
            None
        }
        _ => {
            values.unknown(span, values.describe(span));
            None
        }
    }
}

/// A string literal's value.
fn string(node: Ts<'_>, text: &str) -> Option<String> {
    if node.kind() != "string" {
        return None;
    }
    let raw = &text[node.byte_range()];
    let body = raw.get(1..raw.len().saturating_sub(1)).unwrap_or_default();
    Some(unescape(body))
}

/// JavaScript string escapes.
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
            Some('x') => {
                let hex: String = chars.by_ref().take(2).collect();
                out.extend(u32::from_str_radix(&hex, 16).ok().and_then(char::from_u32));
            }
            Some('u') => {
                let hex: String = if chars.peek() == Some(&'{') {
                    chars.next();
                    chars.by_ref().take_while(|c| *c != '}').collect()
                } else {
                    chars.by_ref().take(4).collect()
                };
                out.extend(u32::from_str_radix(&hex, 16).ok().and_then(char::from_u32));
            }
            Some(other) => out.push(other),
            None => {}
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sites(text: &str, path: &str) -> Vec<(String, Vec<String>)> {
        extract(text, path)
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
    fn query_options_and_typed_objects() {
        let text = r#"import { query, type Options } from "@anthropic-ai/claude-agent-sdk";
const base: Options = { permissionMode: "plan", env: { ANTHROPIC_API_KEY: process.env.ANTHROPIC_API_KEY }, ...shared };
for await (const m of query({ prompt: "hi", options: { maxTurns: 3, allowedTools: ["Read"] as const, canUseTool: async () => ({ behavior: "allow" }) } })) {}
query({ prompt: "x" });
query({ prompt, options: base });
"#;
        let found = sites(text, "a.ts");
        assert_eq!(found.len(), 3, "{found:?}");
        assert_eq!(found[0].0, "Options : `...shared`");
        assert_eq!(found[0].1, ["permissionMode=\"plan\"", "env={\"ANTHROPIC_API_KEY\":\"${ANTHROPIC_API_KEY}\"}"]);
        assert_eq!(found[1].1[..2], ["maxTurns=3".to_owned(), "allowedTools=[\"Read\"]".to_owned()]);
        assert_eq!(found[2].0, "query ");
    }

    #[test]
    fn javascript_requires() {
        let text = "const { query } = require('@anthropic-ai/claude-agent-sdk');\nquery({ prompt: 'x', options: { permissionMode: mode } });\n";
        let found = sites(text, "a.cjs");
        assert_eq!(found[0].0, "query permissionMode: the variable `mode`");
    }
}
