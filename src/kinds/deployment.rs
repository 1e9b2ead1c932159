//! The `deployment` kind: agentlint's own config of SDK session options, one agent per file
//! or several under `agents:` with shared `defaults:`.

use std::collections::HashMap;

use super::{Dialect, FileKind, Kind, Syntax};
use crate::config::schema::DOC;
use crate::config::{Agent, LoadedConfig, PermissionMode, load::is_extension_key, load::not_a_mapping};
use crate::document::{self, Entry, Node, SourceFile, Span, Value};
use crate::report::Finding;
use crate::schema::{Describe, Dropped, Step};
use crate::suggest::closest;

const EXAMPLE: &str =
    "write the agent's options as a mapping, e.g. `permission_mode: plan`, or several agents under `agents:`";

/// Reads raw bytes: size, NUL and UTF-8 checks first, then [`load`].
pub fn load_bytes(path: &str, bytes: Vec<u8>) -> (LoadedConfig, Vec<Finding>) {
    match crate::config::load::read_source(path, bytes, document::Format::from_path(path), FileKind::DEPLOYMENT) {
        Ok(source) => load(source),
        Err(failed) => *failed,
    }
}

/// Parses and validates one deployment file.
pub fn load(source: SourceFile) -> (LoadedConfig, Vec<Finding>) {
    let (source, root) = match crate::config::load::parse_source(source, FileKind::DEPLOYMENT) {
        Ok(parsed) => parsed,
        Err(failed) => return *failed,
    };
    let several = is_several_agent_file(&root);
    let mut config = LoadedConfig::failed(source, FileKind::DEPLOYMENT);
    config.root = root;
    config.parsed = true;
    config.several = several;
    let mut findings = Vec::new();
    if let Some(finding) = not_a_mapping(&config, EXAMPLE) {
        findings.push(finding);
        return (config, findings);
    }
    let pointer = if several { "/definitions/DeploymentFile" } else { "/definitions/AgentOptions" };
    let mut outcome = crate::schema::validate(&DOC, pointer, &config.root);
    if let Some(tree) = &outcome.tree {
        outcome.problems.extend(super::hooks::matcher_problems(tree));
    }
    config.report(&outcome, &Deployment { several }, &mut findings);
    // The agents take their options out of the validated tree; no rule reads a deployment
    // file's `tree`, so it is left an empty mapping rather than copied.
    let tree = outcome.tree.unwrap_or_else(|| Node::new(Value::Map(Vec::new()), config.root.span));
    config.tree = Node::new(Value::Map(Vec::new()), config.root.span);
    config.agents = build_agents(&config, tree, &outcome.invalid, &mut findings);
    (config, findings)
}

/// `agents:` plus only `version`/`defaults`/`$schema` (or other keys that are not agent options) → several agents.
/// A single-agent file may use the `agents` option (subagent definitions) beside its other options.
fn is_several_agent_file(root: &Node) -> bool {
    let Some(entries) = root.as_map() else { return false };
    if !entries.iter().any(|e| e.key.text == "agents") {
        return false;
    }
    let agent = DOC.shape("/definitions/AgentOptions");
    !entries.iter().any(|e| {
        !matches!(e.key.text.as_str(), "agents" | "version" | "defaults" | "$schema")
            && !is_extension_key(&e.key.text)
            && agent.is_field(&e.key.text)
    })
}

/// How deployment files word the schema's problems: which agent a path belongs to.
struct Deployment {
    several: bool,
}

impl Describe for Deployment {
    fn scope(&self, path: &[Step]) -> (String, usize, Option<String>) {
        if !self.several {
            return (String::new(), 0, None);
        }
        match path {
            [Step::Key { canonical: a, .. }, Step::Key { written: name, .. }, _, ..] if a == "agents" => {
                (format!("agent `{name}`: "), 2, Some(name.clone()))
            }
            [Step::Key { canonical: a, .. }, Step::Key { written: name, .. }] if a == "agents" => {
                (String::new(), 2, Some(name.clone()))
            }
            [Step::Key { canonical: d, .. }, _, ..] if d == "defaults" => ("defaults: ".into(), 1, None),
            _ => (String::new(), 0, None),
        }
    }

    fn wrong_type(&self, path: &[Step], found: &str) -> Option<String> {
        match path {
            [Step::Key { canonical: a, .. }, Step::Key { written: name, .. }] if self.several && a == "agents" => {
                Some(format!("agent `{name}` must be a mapping of options, not {found}"))
            }
            _ => None,
        }
    }

    fn enum_help(&self, found: Option<&str>, allowed: &[String]) -> Option<String> {
        let found = found?;
        if let Some(stripped) = found.strip_prefix(':')
            && allowed.iter().any(|a| a == stripped)
        {
            return Some(format!(
                "write `{stripped}`: an Elixir atom such as `{found}` is a plain string with a colon in YAML"
            ));
        }
        let names: Vec<&str> = allowed.iter().map(String::as_str).collect();
        if allowed.len() == PermissionMode::SPELLINGS.len() && allowed.iter().any(|a| a == "bypass_permissions") {
            return Some(closest(found, &names).map_or_else(
                || "restrictive modes are `plan`, `dont_ask` and `accept_edits`".into(),
                |c| format!("did you mean `{c}`?"),
            ));
        }
        closest(found, &names).map(|c| format!("did you mean `{c}`?"))
    }
}

fn build_agents(config: &LoadedConfig, mut tree: Node, invalid: &[Dropped], findings: &mut Vec<Finding>) -> Vec<Agent> {
    let syntax = if config.source.format == document::Format::Json { Syntax::Json } else { Syntax::Yaml };
    if !config.several {
        let anchor = config.root.as_map().and_then(|e| e.first()).map_or(config.root.span, |e| e.key.span);
        let bad = invalid.to_vec();
        let dialect = Dialect::new(Kind::Deployment, syntax, is_camel(&config.root));
        return vec![agent(config, None, anchor, tree, bad, dialect, findings)];
    }
    // Values dropped as invalid, grouped once by where they sit (`defaults` or one agent), so a
    // file with many agents is not searched again for each of them.
    let mut default_bad = Vec::new();
    let mut agent_bad: HashMap<&str, Vec<Dropped>> = HashMap::new();
    for d in invalid {
        match d.path.as_slice() {
            [top, rest @ ..] if top == "defaults" && !rest.is_empty() => {
                default_bad.push(Dropped { path: rest.to_vec(), span: d.span });
            }
            [top, name, rest @ ..] if top == "agents" && !rest.is_empty() => {
                agent_bad.entry(name.as_str()).or_default().push(Dropped { path: rest.to_vec(), span: d.span });
            }
            _ => {}
        }
    }
    let agents = match tree.entry_mut("agents").map(|e| std::mem::replace(&mut e.value.value, Value::Null)) {
        Some(Value::Map(agents)) => agents,
        _ => return Vec::new(),
    };
    let defaults = tree.get("defaults").filter(|d| d.as_map().is_some());
    // The agents as written (before normalising), by name; the last of a repeated name wins, as
    // `Node::get` has it.
    let written: HashMap<&str, &Node> = config
        .root
        .get("agents")
        .and_then(Node::as_map)
        .unwrap_or_default()
        .iter()
        .map(|e| (e.key.text.as_str(), &e.value))
        .collect();
    agents
        .into_iter()
        .filter(|entry| entry.value.as_map().is_some())
        .map(|entry| {
            let name = entry.key.text;
            let mut bad = default_bad.clone();
            bad.extend(agent_bad.get(name.as_str()).into_iter().flatten().cloned());
            let merged = match defaults {
                Some(d) => merge(d, entry.value),
                None => entry.value,
            };
            let camel = written.get(name.as_str()).is_some_and(|w| is_camel(w));
            let dialect = Dialect::new(Kind::Deployment, syntax, camel);
            agent(config, Some(name), entry.key.span, merged, bad, dialect, findings)
        })
        .collect()
}

fn agent(
    config: &LoadedConfig,
    name: Option<String>,
    anchor: Span,
    mut tree: Node,
    mut invalid: Vec<Dropped>,
    dialect: Dialect,
    findings: &mut Vec<Finding>,
) -> Agent {
    let label = name.as_ref().map(|n| format!("agent `{n}`"));
    let options =
        crate::config::load::typed_options(config, label.as_deref(), anchor, &mut tree, &mut invalid, findings);
    Agent { name, label, anchor, tree, options, invalid, dialect, unknown: Vec::new() }
}

/// True when the options are written with the TypeScript SDK's camelCase keys (more keys with
/// an upper-case letter than with an underscore).
fn is_camel(options: &Node) -> bool {
    let keys = options.as_map().unwrap_or_default();
    let camel = keys.iter().filter(|e| e.key.text.chars().any(|c| c.is_ascii_uppercase())).count();
    let snake = keys.iter().filter(|e| e.key.text.contains('_')).count();
    camel > snake
}

/// Deep merge: mappings merge key by key (the agent's keys win); lists and scalars replace.
pub(crate) fn merge(base: &Node, over: Node) -> Node {
    match (&base.value, over.value) {
        (Value::Map(b), Value::Map(o)) => {
            let mut entries = b.clone();
            for e in o {
                match entries.iter().position(|x| x.key.text == e.key.text) {
                    Some(i) => {
                        let value = merge(&entries[i].value, e.value);
                        entries[i] = Entry { key: e.key, value, merged: e.merged };
                    }
                    None => entries.push(e),
                }
            }
            Node::new(Value::Map(entries), over.span)
        }
        (_, value) => Node::new(value, over.span),
    }
}
