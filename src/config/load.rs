//! From bytes to agents: parse, normalize key spellings, report duplicates,
//! validate against the schema, drop invalid values, merge `defaults:`, and
//! build the typed options every rule reads.

use std::borrow::Cow;
use std::collections::BTreeSet;

use crate::document::{self, Entry, Key, Node, SourceFile, Span, Value};
use crate::report::{Finding, Location};
use crate::rules::{DUPLICATE_KEY, INVALID_VALUE, SYNTAX_ERROR};

use super::AgentOptions;
use super::schema::{AGENT_VALIDATOR, FILE_VALIDATOR, Shape};
use super::validate::{Pruned, validation_findings};

/// One agent's merged, typed options.
#[derive(Debug)]
pub struct Agent {
    /// The agent's name in a several-agent file; `None` for a single-agent file.
    pub name: Option<String>,
    /// Where findings about a missing option point: the agent's name key, or the first key of the file.
    pub anchor: Span,
    /// The options with `defaults:` merged in: canonical key names, original spans.
    pub tree: Node,
    pub options: AgentOptions,
    /// Top-level options whose values were invalid (reported as AL004/AL003) and dropped.
    pub invalid: BTreeSet<String>,
}

/// A loaded file: its source, its raw tree, and its agents.
#[derive(Debug)]
pub struct LoadedConfig {
    pub source: SourceFile,
    /// The tree as written (original key spellings), for JSON pointers. `Null` when parsing failed.
    pub root: Node,
    pub agents: Vec<Agent>,
    /// True for files with `agents:`.
    pub several: bool,
    /// False when the file did not parse (no agents, no file-level rules).
    pub parsed: bool,
}

/// Reads raw bytes: size, NUL and UTF-8 checks first, then [`load`].
pub fn load_bytes(path: &str, bytes: Vec<u8>) -> (LoadedConfig, Vec<Finding>) {
    let format = document::Format::from_path(path);
    // Only the bytes before a decode error are needed to locate it; oversized files are located at 1:1.
    let raw = if bytes.len() <= document::MAX_FILE_BYTES { bytes.clone() } else { Vec::new() };
    match document::decode(bytes) {
        Ok(text) => load(SourceFile::new(path, text, format)),
        Err((message, offset)) => {
            // Position from the readable prefix; keep no text, so a binary or oversized file is never shown.
            let prefix =
                SourceFile::new(path, String::from_utf8_lossy(&prefix_bytes(&raw, offset)).into_owned(), format);
            let location = Location::new(&prefix, None, Span::new(offset, offset));
            let source = SourceFile::new(path, String::new(), format);
            let finding = Finding::new(&SYNTAX_ERROR, location, message);
            (failed(source), vec![finding])
        }
    }
}

fn prefix_bytes(raw: &[u8], offset: usize) -> Vec<u8> {
    raw[..offset.min(raw.len())].to_vec()
}

/// A placeholder source with no text, for when the real one has been moved out.
pub fn empty_source(path: &str) -> SourceFile {
    SourceFile::new(path, String::new(), document::Format::from_path(path))
}

fn failed(source: SourceFile) -> LoadedConfig {
    LoadedConfig {
        source,
        root: Node::new(Value::Null, Span::default()),
        agents: Vec::new(),
        several: false,
        parsed: false,
    }
}

/// Parses and validates one file.
pub fn load(source: SourceFile) -> (LoadedConfig, Vec<Finding>) {
    let root = match source.parse() {
        Ok(root) => root,
        Err(e) => {
            let location = Location::new(&source, None, e.span);
            let finding = Finding::new(&SYNTAX_ERROR, location, e.message);
            return (failed(source), vec![finding]);
        }
    };
    let mut findings = Vec::new();
    let several = is_several_agent_file(&root);
    let mut config = LoadedConfig { source, root, agents: Vec::new(), several, parsed: true };

    match &config.root.value {
        Value::Map(_) => {}
        Value::Null => {
            let loc = Location::new(&config.source, None, Span::new(0, 0));
            findings.push(
                Finding::new(&INVALID_VALUE, loc, "the file is empty")
                    .help("write the agent's options as a mapping, e.g. `permission_mode: plan`, or several agents under `agents:`"),
            );
            return (config, findings);
        }
        _ => {
            let loc = Location::new(&config.source, Some(&config.root), config.root.span);
            findings.push(
                Finding::new(&INVALID_VALUE, loc, format!("the top level is {}, not a mapping of options", config.root.type_name()))
                    .label("expected a mapping")
                    .help("write the agent's options as a mapping, e.g. `permission_mode: plan`, or several agents under `agents:`"),
            );
            return (config, findings);
        }
    }

    let shape = Shape::definition(if several { "DeploymentFile" } else { "AgentOptions" });
    let normalized = {
        let mut n = Normalizer { config: &config, findings: &mut findings };
        n.normalize(&config.root, &shape)
    };
    let validator = if several { &*FILE_VALIDATOR } else { &*AGENT_VALIDATOR };
    let Pruned { tree, invalid } = validation_findings(&config, &normalized, validator, &shape, &mut findings);

    config.agents = build_agents(&config, &tree, &invalid, &mut findings);
    (config, findings)
}

/// `agents:` plus only `version`/`defaults`/`$schema` (or other keys that are not agent options) → several agents.
/// A single-agent file may use the `agents` option (subagent definitions) beside its other options.
fn is_several_agent_file(root: &Node) -> bool {
    let Some(entries) = root.as_map() else { return false };
    if !entries.iter().any(|e| e.key.text == "agents") {
        return false;
    }
    let agent = Shape::definition("AgentOptions");
    !entries.iter().any(|e| {
        !matches!(e.key.text.as_str(), "agents" | "version" | "defaults" | "$schema")
            && !is_extension_key(&e.key.text)
            && agent.is_field(&e.key.text)
    })
}

/// `x-…` keys hold YAML anchors and are otherwise ignored.
pub(crate) fn is_extension_key(key: &str) -> bool {
    key.starts_with("x-")
}

/// Rewrites keys to their canonical names (keeping spans) and reports duplicates.
struct Normalizer<'a> {
    config: &'a LoadedConfig,
    findings: &'a mut Vec<Finding>,
}

impl Normalizer<'_> {
    fn normalize(&mut self, node: &Node, shape: &Shape<'_>) -> Node {
        let value = match &node.value {
            Value::Map(entries) => Value::Map(self.normalize_map(entries, shape)),
            Value::Seq(items) => {
                let item_shape = shape.items();
                Value::Seq(items.iter().map(|i| self.normalize(i, &item_shape)).collect())
            }
            other => other.clone(),
        };
        Node::new(value, node.span)
    }

    fn normalize_map(&mut self, entries: &[Entry], shape: &Shape<'_>) -> Vec<Entry> {
        let structured = shape.has_fields();
        let mut out: Vec<Entry> = Vec::with_capacity(entries.len());
        // (canonical name, index in `out`, key as written, key span, merged)
        let mut seen: Vec<(Cow<'_, str>, usize, &str, Span, bool)> = Vec::with_capacity(entries.len());
        for entry in entries {
            let canonical: Cow<'_, str> = if structured {
                shape.canonical_field(&entry.key.text).map_or(Cow::Borrowed(entry.key.text.as_str()), Cow::Borrowed)
            } else {
                Cow::Borrowed(&entry.key.text)
            };
            let value = self.normalize(&entry.value, &shape.field(&canonical));
            let key = Key { text: canonical.clone().into_owned(), span: entry.key.span };
            let new_entry = Entry { key, value, merged: entry.merged };
            match seen.iter_mut().find(|s| s.0 == canonical) {
                Some(prev) => {
                    // A pair written here always wins over one that came from a `<<` merge.
                    if entry.merged && !prev.4 {
                        continue;
                    }
                    if !entry.merged && !prev.4 {
                        self.report_duplicate(prev.2, prev.3, &entry.key, &canonical);
                    }
                    out[prev.1] = new_entry;
                    prev.2 = &entry.key.text;
                    prev.3 = entry.key.span;
                    prev.4 = entry.merged;
                }
                None => {
                    seen.push((canonical, out.len(), &entry.key.text, entry.key.span, entry.merged));
                    out.push(new_entry);
                }
            }
        }
        out
    }

    fn report_duplicate(&mut self, first_text: &str, first_span: Span, second: &Key, canonical: &str) {
        let source = &self.config.source;
        let root = Some(&self.config.root);
        let first = Location::new(source, root, first_span);
        let second_loc = Location::new(source, root, second.span);
        let message = if first_text == second.text {
            format!("duplicate key `{}`", second.text)
        } else {
            format!("`{}` and `{first_text}` both set `{canonical}`", second.text)
        };
        self.findings.push(
            Finding::new(&DUPLICATE_KEY, second_loc, message)
                .label("the SDKs use this value")
                .related(first, format!("`{first_text}` first set here; this value is ignored"))
                .help(format!("keep one `{canonical}` key and delete the other")),
        );
    }
}

fn build_agents(
    config: &LoadedConfig,
    tree: &Node,
    invalid: &[Vec<String>],
    findings: &mut Vec<Finding>,
) -> Vec<Agent> {
    if !config.several {
        let anchor = config.root.as_map().and_then(|e| e.first()).map_or(config.root.span, |e| e.key.span);
        let bad: BTreeSet<String> = invalid.iter().filter_map(|p| p.first().cloned()).collect();
        return vec![typed_agent(config, None, anchor, tree.clone(), bad, findings)];
    }
    let defaults = tree.get("defaults").filter(|d| d.as_map().is_some());
    let default_bad: BTreeSet<String> =
        invalid.iter().filter(|p| p.len() > 1 && p[0] == "defaults").map(|p| p[1].clone()).collect();
    let Some(agents) = tree.get("agents").and_then(Node::as_map) else { return Vec::new() };
    agents
        .iter()
        .filter(|entry| entry.value.as_map().is_some())
        .map(|entry| {
            let name = &entry.key.text;
            let mut bad = default_bad.clone();
            bad.extend(
                invalid.iter().filter(|p| p.len() > 2 && p[0] == "agents" && &p[1] == name).map(|p| p[2].clone()),
            );
            let merged = match defaults {
                Some(d) => merge(d, &entry.value),
                None => entry.value.clone(),
            };
            typed_agent(config, Some(name.clone()), entry.key.span, merged, bad, findings)
        })
        .collect()
}

/// Deep merge: mappings merge key by key (the agent's keys win); lists and scalars replace.
pub(crate) fn merge(base: &Node, over: &Node) -> Node {
    match (&base.value, &over.value) {
        (Value::Map(b), Value::Map(o)) => {
            let mut entries = b.clone();
            for e in o {
                match entries.iter().position(|x| x.key.text == e.key.text) {
                    Some(i) => {
                        let value = merge(&entries[i].value, &e.value);
                        entries[i] = Entry { key: e.key.clone(), value, merged: e.merged };
                    }
                    None => entries.push(e.clone()),
                }
            }
            Node::new(Value::Map(entries), over.span)
        }
        _ => over.clone(),
    }
}

/// Deserializes the typed options. The schema already rejected what serde would, so
/// this normally succeeds first time; if not, the offending option is reported and dropped.
fn typed_agent(
    config: &LoadedConfig,
    name: Option<String>,
    anchor: Span,
    mut tree: Node,
    mut invalid: BTreeSet<String>,
    findings: &mut Vec<Finding>,
) -> Agent {
    let mut json = tree.to_json();
    if let Some(obj) = json.as_object_mut() {
        obj.retain(|k, _| !is_extension_key(k));
    }
    let options = loop {
        match serde_path_to_error::deserialize::<_, AgentOptions>(&json) {
            Ok(options) => break options,
            Err(e) => {
                let key = e.path().iter().find_map(|s| match s {
                    serde_path_to_error::Segment::Map { key } => Some(key.clone()),
                    _ => None,
                });
                let removed = key.as_ref().and_then(|k| json.as_object_mut().and_then(|o| o.remove(k)));
                let Some(key) = key.filter(|_| removed.is_some()) else { break AgentOptions::default() };
                let span = tree.get(&key).map_or(anchor, |n| n.span);
                let loc = Location::new(&config.source, Some(&config.root), span);
                let who = name.as_ref().map(|n| format!("agent `{n}`: ")).unwrap_or_default();
                findings.push(Finding::new(&INVALID_VALUE, loc, format!("{who}`{key}` has an invalid value")));
                if let Value::Map(entries) = &mut tree.value {
                    entries.retain(|e| e.key.text != key);
                }
                invalid.insert(key);
            }
        }
    };
    Agent { name, anchor, tree, options, invalid }
}
