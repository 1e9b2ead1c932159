//! Elixir (`guess/claude_code`): `ClaudeCode.start_link(opts)`, `ClaudeCode.query(prompt, opts)`,
//! the option overrides of `ClaudeCode.stream(session, prompt, opts)`, sessions under
//! `ClaudeCode.Supervisor` (`{ClaudeCode.Supervisor, [[…], […]]}`,
//! `ClaudeCode.Supervisor.start_link([[…]])`, `ClaudeCode.Supervisor.start_session(sup, […])`),
//! and `config :claude_code, …` (defaults of every session, not a session of its own).
//!
//! Atoms are strings (`:plan` is `plan`), keyword lists and maps are mappings, `~w(…)` is a list
//! of words; `tools: :default` is the `claude_code` preset, `thinking: :adaptive` and
//! `{:enabled, budget_tokens: n}` are the thinking settings they stand for.

use tree_sitter::Node as Ts;

use super::{Extraction, Site, Unreadable, Values, each_node, entry, named_children, number, span_of};
use crate::config::UnknownOrigin;
use crate::document::{Entry, Node, Span, Value};
use crate::kinds::Host;

pub fn extract(text: &str) -> Result<Extraction, Unreadable> {
    let tree = super::parse(tree_sitter_elixir::LANGUAGE.into(), text)?;
    let mut out = Extraction::default();
    let mut sites = Vec::new();
    each_node(tree.root_node(), |node| match node.kind() {
        "comment" => out.comments.push(span_of(node)),
        "call" => call_sites(text, node, &mut sites),
        "tuple" => child_spec(text, node, &mut sites),
        _ => {}
    });
    sites.sort_by_key(|s: &Site| s.anchor.start);
    out.sites = sites;
    Ok(out)
}

/// The arguments of a call, without parentheses and commas.
fn arguments(call: Ts<'_>) -> Vec<Ts<'_>> {
    named_children(call).into_iter().find(|c| c.kind() == "arguments").map(named_children).unwrap_or_default()
}

fn call_sites(text: &str, call: Ts<'_>, sites: &mut Vec<Site>) {
    let Some(target) = call.child_by_field_name("target") else { return };
    let args = arguments(call);
    if target.kind() == "identifier" {
        // `config :claude_code, api_key: …`
        if &text[target.byte_range()] == "config"
            && args.first().is_some_and(|a| &text[a.byte_range()] == ":claude_code")
        {
            let mut site = options_site(text, span_of(target), args.get(1).copied());
            site.whole = false;
            sites.push(site);
        }
        return;
    }
    if target.kind() != "dot" {
        return;
    }
    let module = target.child_by_field_name("left").map(|l| &text[l.byte_range()]).unwrap_or_default();
    let function = target.child_by_field_name("right").map(|r| &text[r.byte_range()]).unwrap_or_default();
    let anchor = span_of(target);
    match (module, function) {
        ("ClaudeCode", "start_link") => sites.push(options_site(text, anchor, args.first().copied())),
        // `query(prompt, opts)`: a one-off session. A first argument that is not a string is a
        // session's name (an older API), whose options are elsewhere.
        ("ClaudeCode", "query") if args.first().is_none_or(|a| !matches!(a.kind(), "atom" | "keywords")) => {
            sites.push(options_site(text, anchor, args.get(1).copied()));
        }
        ("ClaudeCode", "stream") => {
            if let Some(opts) = args.get(2) {
                let mut site = options_site(text, anchor, Some(*opts));
                site.written.retain(|e| !matches!(e.key.text.as_str(), "timeout" | "filter"));
                if !site.written.is_empty() || !site.unknown.is_empty() {
                    site.whole = false;
                    sites.push(site);
                }
            }
        }
        ("ClaudeCode.Supervisor", "start_link") => {
            if let Some(list) = args.first() {
                session_lists(text, *list, sites);
            }
        }
        ("ClaudeCode.Supervisor", "start_session") => sites.push(options_site(text, anchor, args.get(1).copied())),
        _ => {}
    }
}

/// `{ClaudeCode.Supervisor, [[…], […]]}` and `{ClaudeCode, […]}` in a children list.
fn child_spec(text: &str, tuple: Ts<'_>, sites: &mut Vec<Site>) {
    let items = named_children(tuple);
    let [module, opts] = items.as_slice() else { return };
    match &text[module.byte_range()] {
        "ClaudeCode.Supervisor" => session_lists(text, *opts, sites),
        "ClaudeCode" => sites.push(options_site(text, span_of(*module), Some(*opts))),
        _ => {}
    }
}

/// A list of keyword lists: one session each.
fn session_lists(text: &str, list: Ts<'_>, sites: &mut Vec<Site>) {
    if list.kind() != "list" {
        return;
    }
    for item in named_children(list) {
        if item.kind() == "list" {
            let anchor = Span::new(item.start_byte(), item.start_byte() + 1);
            sites.push(options_site(text, anchor, Some(item)));
        }
    }
}

/// The `keywords` of a keyword-list argument (`f(a: 1)` or `f([a: 1])`).
fn keywords(node: Ts<'_>) -> Option<Ts<'_>> {
    match node.kind() {
        "keywords" => Some(node),
        "list" => match named_children(node).as_slice() {
            [only] if only.kind() == "keywords" => Some(*only),
            [] => None,
            _ => None,
        },
        _ => None,
    }
}

fn options_site(text: &str, anchor: Span, opts: Option<Ts<'_>>) -> Site {
    let mut site = Site::new(anchor, Host::Elixir);
    let mut values = Values::new(text);
    match opts {
        None => {}
        Some(opts) if opts.kind() == "list" && named_children(opts).is_empty() => {}
        Some(opts) => match keywords(opts) {
            Some(kw) => {
                for pair in named_children(kw) {
                    let (Some(k), Some(v)) = (pair.child_by_field_name("key"), pair.child_by_field_name("value"))
                    else {
                        continue;
                    };
                    let (key, key_span) = keyword(k, text);
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
                    let node = convert(&mut values, v, 0).map(|n| special(&key, n));
                    values.path.clear();
                    if let Some(node) = node {
                        site.written.push(entry(&key, key_span, node));
                    }
                }
            }
            None => values.unknown(span_of(opts), values.describe(span_of(opts))),
        },
    }
    site.unknown = values.unknown;
    site
}

/// A keyword's name and the span of the name (without `:` and the blank after it).
fn keyword(k: Ts<'_>, text: &str) -> (String, Span) {
    let raw = &text[k.byte_range()];
    let name = raw.trim_end().trim_end_matches(':');
    let unquoted = name.trim_matches('"');
    (unquoted.to_owned(), Span::new(k.start_byte(), k.start_byte() + name.len()))
}

/// Elixir spellings of values with a shape of their own.
fn special(key: &str, node: Node) -> Node {
    let span = node.span;
    let map = |pairs: Vec<(&str, Node)>| {
        Node::new(Value::Map(pairs.into_iter().map(|(k, v)| entry(k, span, v)).collect()), span)
    };
    let string = |s: &str| Node::new(Value::String(s.to_owned()), span);
    match (key, &node.value) {
        ("tools", Value::String(s)) if s == "default" => {
            map(vec![("type", string("preset")), ("preset", string("claude_code"))])
        }
        ("thinking", Value::String(s)) => map(vec![("type", string(s))]),
        // `{:enabled, budget_tokens: n}` read as the list `["enabled", {budget_tokens: n}]`.
        ("thinking", Value::Seq(items)) => match items.as_slice() {
            [kind, options] if kind.as_str().is_some() => {
                let mut entries = vec![entry("type", kind.span, kind.clone())];
                entries.extend(options.as_map().unwrap_or_default().iter().cloned());
                Node::new(Value::Map(entries), span)
            }
            _ => node,
        },
        _ => node,
    }
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
        "string" | "charlist" => match string(node, text) {
            Some(s) => Some(Node::new(Value::String(s), span)),
            None => {
                values.unknown(span, format!("the interpolated string {}", values.describe(span)));
                None
            }
        },
        "atom" => Some(Node::new(Value::String(text[node.byte_range()].trim_start_matches(':').to_owned()), span)),
        "quoted_atom" => {
            let inner = string(node, text).unwrap_or_default();
            Some(Node::new(Value::String(inner), span))
        }
        "integer" | "float" => number(&text[node.byte_range()], span, false),
        "boolean" => Some(Node::new(Value::Bool(&text[node.byte_range()] == "true"), span)),
        "nil" => Some(Node::new(Value::Null, span)),
        "unary_operator" => {
            let operand = node.child_by_field_name("operand");
            let operator = node.child_by_field_name("operator").map(|o| &text[o.byte_range()]);
            match (operator, operand.map(|o| o.kind())) {
                (Some("-"), Some("integer" | "float")) => number(&text[operand?.byte_range()], span, true),
                (Some("@"), _) => {
                    values.unknown(span, format!("the module attribute {}", values.describe(span)));
                    None
                }
                _ => {
                    values.unknown(span, values.describe(span));
                    None
                }
            }
        }
        "block" => {
            let inner = named_children(node).into_iter().last()?;
            convert(values, inner, depth + 1)
        }
        "sigil" => sigil(values, node),
        "list" => {
            let children = named_children(node);
            if let [only] = children.as_slice()
                && only.kind() == "keywords"
            {
                return Some(keyword_map(values, *only, span, depth));
            }
            let mut items = Vec::new();
            for item in children {
                if item.kind() == "keywords" {
                    values.unknown(span_of(item), values.describe(span_of(item)));
                    continue;
                }
                items.extend(convert(values, item, depth + 1));
            }
            Some(Node::new(Value::Seq(items), span))
        }
        "tuple" => {
            // `{:enabled, budget_tokens: 5000}` for `thinking`.
            let mut items = Vec::new();
            for item in named_children(node) {
                let converted = if item.kind() == "keywords" {
                    Some(keyword_map(values, item, span_of(item), depth))
                } else {
                    convert(values, item, depth + 1)
                };
                items.push(converted?);
            }
            Some(Node::new(Value::Seq(items), span))
        }
        "map" => {
            let mut entries: Vec<Entry> = Vec::new();
            for child in named_children(node) {
                match child.kind() {
                    "struct" => {}
                    "map_content" => {
                        for item in named_children(child) {
                            match item.kind() {
                                "keywords" => {
                                    if let Value::Map(more) = keyword_map(values, item, span_of(item), depth).value {
                                        entries.extend(more);
                                    }
                                }
                                "binary_operator"
                                    if item
                                        .child_by_field_name("operator")
                                        .is_some_and(|o| &text[o.byte_range()] == "=>") =>
                                {
                                    let (Some(k), Some(v)) =
                                        (item.child_by_field_name("left"), item.child_by_field_name("right"))
                                    else {
                                        continue;
                                    };
                                    let key = match k.kind() {
                                        "string" => string(k, text),
                                        "atom" => Some(text[k.byte_range()].trim_start_matches(':').to_owned()),
                                        _ => None,
                                    };
                                    let Some(key) = key else {
                                        values
                                            .unknown(span_of(item), format!("the key {}", values.describe(span_of(k))));
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
                    }
                    _ => values.unknown(span_of(child), values.describe(span_of(child))),
                }
            }
            Some(Node::new(Value::Map(entries), span))
        }
        "call" => {
            // `System.fetch_env!("NAME")`, `System.get_env("NAME")`
            let target = node.child_by_field_name("target").map(|t| &text[t.byte_range()]).unwrap_or_default();
            let name = arguments(node).first().filter(|a| a.kind() == "string").and_then(|a| string(*a, text));
            match (target, name) {
                ("System.fetch_env!" | "System.get_env" | "System.fetch_env", Some(name)) => {
                    values.env_read(&name, span)
                }
                _ => {
                    values.unknown(span, format!("a call to {}", values.describe(span)));
                    None
                }
            }
        }
        "identifier" => {
            values.unknown(span, format!("the variable {}", values.describe(span)));
            None
        }
        _ => {
            values.unknown(span, values.describe(span));
            None
        }
    }
}

fn keyword_map(values: &mut Values<'_>, keywords: Ts<'_>, span: Span, depth: usize) -> Node {
    let text = values.text;
    let mut entries = Vec::new();
    for pair in named_children(keywords) {
        let (Some(k), Some(v)) = (pair.child_by_field_name("key"), pair.child_by_field_name("value")) else { continue };
        let (key, key_span) = keyword(k, text);
        values.path.push(key.clone());
        let value = convert(values, v, depth + 1);
        values.path.pop();
        if let Some(value) = value {
            entries.push(entry(&key, key_span, value));
        }
    }
    Node::new(Value::Map(entries), span)
}

/// `~w(Read Grep)` (a list of words) and `~s(…)`/`~S(…)` (a string).
fn sigil(values: &mut Values<'_>, node: Ts<'_>) -> Option<Node> {
    let text = values.text;
    let span = span_of(node);
    let children = named_children(node);
    let name = children.iter().find(|c| c.kind() == "sigil_name").map(|n| &text[n.byte_range()]).unwrap_or_default();
    if children.iter().any(|c| c.kind() == "interpolation") {
        values.unknown(span, format!("the interpolated sigil {}", values.describe(span)));
        return None;
    }
    let content: String =
        children.iter().filter(|c| c.kind() == "quoted_content").map(|c| &text[c.byte_range()]).collect();
    match name {
        "w" | "W" => {
            let mut items = Vec::new();
            let base = children.iter().find(|c| c.kind() == "quoted_content").map_or(span.start, |c| c.start_byte());
            let mut offset = 0;
            for word in content.split_whitespace() {
                let at = content[offset..].find(word).map_or(offset, |i| offset + i);
                items.push(Node::new(Value::String(word.to_owned()), Span::new(base + at, base + at + word.len())));
                offset = at + word.len();
            }
            Some(Node::new(Value::Seq(items), span))
        }
        "s" | "S" => Some(Node::new(Value::String(content), span)),
        _ => {
            values.unknown(span, values.describe(span));
            None
        }
    }
}

/// A string or charlist's value; `None` when it interpolates.
fn string(node: Ts<'_>, text: &str) -> Option<String> {
    let mut out = String::new();
    for child in named_children(node) {
        match child.kind() {
            "quoted_content" => out.push_str(&text[child.byte_range()]),
            "escape_sequence" => out.push_str(&escape(&text[child.byte_range()])),
            "interpolation" => return None,
            _ => {}
        }
    }
    Some(out)
}

fn escape(seq: &str) -> String {
    match seq {
        "\\n" => "\n".into(),
        "\\t" => "\t".into(),
        "\\r" => "\r".into(),
        "\\e" => "\u{1b}".into(),
        "\\0" => "\0".into(),
        s if s.starts_with("\\u{") => s[3..s.len() - 1]
            .split_whitespace()
            .filter_map(|h| u32::from_str_radix(h, 16).ok().and_then(char::from_u32))
            .collect(),
        s if s.starts_with("\\u") || s.starts_with("\\x") => {
            u32::from_str_radix(&s[2..], 16).ok().and_then(char::from_u32).map(String::from).unwrap_or_default()
        }
        s => s.chars().nth(1).map(String::from).unwrap_or_default(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sites(text: &str) -> Vec<(String, bool, Vec<String>)> {
        extract(text)
            .unwrap()
            .sites
            .iter()
            .map(|s| {
                let opts = s.written.iter().map(|e| format!("{}={}", e.key.text, e.value.to_json())).collect();
                let unknown = s.unknown.iter().map(|u| format!("{}: {}", u.path.join("."), u.what)).collect::<Vec<_>>();
                (format!("{} {}", &text[s.anchor.start..s.anchor.end], unknown.join("; ")), s.whole, opts)
            })
            .collect()
    }

    #[test]
    fn sessions_and_config() {
        let text = r#"
config :claude_code, api_key: System.fetch_env!("ANTHROPIC_API_KEY")
{:ok, s} = ClaudeCode.start_link(permission_mode: :plan, allowed_tools: ~w(Read Grep), sandbox: %{"enabled" => true, network: [allow_local_binding: false]}, tools: :default, thinking: {:enabled, budget_tokens: 5000}, tool_callback: fn e -> Logger.info(e) end, model: @model)
children = [{ClaudeCode.Supervisor, [[name: :a, max_turns: 3], [name: :b, max_budget_usd: 1.00]]}]
ClaudeCode.query("hi")
"#;
        let found = sites(text);
        assert_eq!(found.len(), 5, "{found:?}");
        assert_eq!(found[0], ("config ".into(), false, vec!["api_key=\"${ANTHROPIC_API_KEY}\"".to_owned()]));
        assert_eq!(found[1].0, "ClaudeCode.start_link model: the module attribute `@model`");
        assert_eq!(
            found[1].2,
            [
                "permission_mode=\"plan\"",
                "allowed_tools=[\"Read\",\"Grep\"]",
                "sandbox={\"enabled\":true,\"network\":{\"allow_local_binding\":false}}",
                "tools={\"type\":\"preset\",\"preset\":\"claude_code\"}",
                "thinking={\"type\":\"enabled\",\"budget_tokens\":5000}",
                "tool_callback=\"fn e -> Logger.info(e) end\""
            ]
        );
        assert_eq!(found[2].2, ["name=\"a\"", "max_turns=3"]);
        assert_eq!(found[3].2, ["name=\"b\"", "max_budget_usd=1.0"]);
        assert_eq!(found[4].0, "ClaudeCode.query ");
    }
}
