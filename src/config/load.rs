//! The loaded file and the sessions it describes: what every kind's front end produces
//! ([`crate::kinds`]) and every rule reads.

use crate::document::{self, Node, SourceFile, Span, Value};
use crate::kinds::{Dialect, FileKind};
use crate::report::{Finding, Location};
use crate::rules::{INVALID_VALUE, SYNTAX_ERROR};
use crate::schema::{Describe, Dropped, Outcome};

use super::AgentOptions;

/// One session's options, in the shared model: a whole agent of a deployment config, or what
/// one settings layer, MCP file, subagent, command or skill contributes.
#[derive(Debug)]
pub struct Agent {
    /// The agent's name in a several-agent file or a subagent's `name`; `None` otherwise.
    pub name: Option<String>,
    /// How messages about this session start (`agent `ci``, `project settings`), if at all.
    pub label: Option<String>,
    /// Where findings about a missing option point: the agent's name key, or the first key of the file.
    pub anchor: Span,
    /// The shared options under their canonical names (`permission_mode`, `allowed_tools`,
    /// `sandbox`, …) with `defaults:` merged in, keeping the spans of the file's own keys and values.
    pub tree: Node,
    /// The typed options, built from `tree`.
    pub options: AgentOptions,
    /// Values that were invalid (reported as AL003/AL004) and dropped, with paths relative to
    /// the session's options.
    pub invalid: Vec<Dropped>,
    /// How the file spells the shared options, for messages and fixes.
    pub dialect: Dialect,
    /// Values the file decides at run time (options read from program source or command lines
    /// that are not literals), left out of `tree` and `options`. Rules treat them as "cannot tell".
    pub unknown: Vec<Unknown>,
}

/// An option value that cannot be read from the file: a variable, a function call, an
/// environment read where a literal is expected, a `**opts` spread, or a shell expansion.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Unknown {
    /// Canonical path of the option (`permission_mode`, `sandbox`, `network`); a list with an
    /// unknown item names the list. Empty for a spread, which may set any option.
    pub path: Vec<String>,
    /// Where it is written.
    pub span: Span,
    /// What is written there, for messages: "the variable `mode`", "`os.environ[\"MODE\"]`".
    pub what: String,
    pub origin: UnknownOrigin,
}

/// Why a value is not known.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum UnknownOrigin {
    /// The file computes it (a variable, a call, an expansion): a literal would say it.
    NotLiteral,
    /// It is decided outside the file by design: the options each session of an Elixir
    /// application sets beside `config :claude_code`, a command line's working directory.
    Elsewhere,
}

impl Agent {
    /// True when the option, or a part of it, is not known (or a spread may set it).
    pub fn is_unknown(&self, option: &str) -> bool {
        self.unknown.iter().any(|u| u.path.first().is_none_or(|p| p == option))
    }

    /// True when a finding at `span` is about a value the file does not fully decide: its span
    /// holds an unknown value, or it is the key or value of an option (or of a mapping or list
    /// inside one) that holds one. Rules never see unknown values, so such a finding could be
    /// wrong ("cannot tell"). A finding at the session's anchor when something may set any
    /// option is one too.
    pub fn cannot_tell(&self, span: Span) -> bool {
        // A finding at the session itself is about an option it leaves out; a spread
        // (`**limits`, `...defaults`) or options set where each session starts may set it.
        if span == self.anchor && self.unknown.iter().any(|u| u.path.is_empty()) {
            return true;
        }
        self.unknown.iter().any(|u| {
            // A value decided elsewhere by design (a command line's working directory) is not
            // written anywhere in the file: its span is only the session's, so a finding that
            // contains it is not about it.
            if u.origin == UnknownOrigin::NotLiteral && span.contains(u.span) && !span.is_empty() {
                return true;
            }
            let mut node = Some(&self.tree);
            for key in &u.path {
                let Some(entry) = node.and_then(|n| n.entry(key)) else { break };
                if entry.key.span == span || entry.value.span == span {
                    return true;
                }
                node = Some(&entry.value);
            }
            false
        })
    }

    /// The top-level options whose values were dropped as invalid.
    pub fn invalid_options(&self) -> std::collections::BTreeSet<&str> {
        self.invalid.iter().filter_map(|d| d.path.first().map(String::as_str)).collect()
    }
}

/// A loaded file: its source, its trees, and the sessions it describes.
#[derive(Debug)]
pub struct LoadedConfig {
    pub source: SourceFile,
    pub kind: FileKind,
    /// The tree as written (original key spellings), for JSON pointers. `Null` when parsing failed.
    pub root: Node,
    /// The validated tree in the kind's own vocabulary (aliases renamed, invalid values dropped),
    /// for checks that only one kind has. `Null` when parsing failed. Deployment files leave it
    /// empty: their agents take the options out of it (see [`Agent::tree`]).
    pub tree: Node,
    pub agents: Vec<Agent>,
    /// True for deployment files with `agents:`.
    pub several: bool,
    /// False when the file did not parse (no agents, no file-level rules).
    pub parsed: bool,
    /// Comments of a file whose comments a kind's parser found (program source, shell
    /// scripts, the scripts of workflow steps), for suppression comments; `None` for the
    /// kinds whose comments [`crate::policy::suppress`] finds itself (YAML).
    pub comments: Option<Vec<Span>>,
}

impl LoadedConfig {
    /// A file that could not be read or parsed: no trees, no sessions.
    pub fn failed(source: SourceFile, kind: FileKind) -> Self {
        LoadedConfig {
            source,
            kind,
            root: Node::new(Value::Null, Span::default()),
            tree: Node::new(Value::Null, Span::default()),
            agents: Vec::new(),
            several: false,
            parsed: false,
            comments: None,
        }
    }

    pub fn locate(&self, span: Span) -> Location {
        Location::new(&self.source, Some(&self.root), span)
    }

    /// Findings for the problems of a schema walk, worded by the kind.
    pub fn report(&self, outcome: &Outcome, describe: &dyn Describe, findings: &mut Vec<Finding>) {
        let locate = |span: Span| self.locate(span);
        findings.extend(outcome.problems.iter().map(|p| p.finding(describe, &locate)));
    }
}

/// A file that could not be read or parsed, with its AL001 finding (boxed: it is the rare path).
pub type Failed = Box<(LoadedConfig, Vec<Finding>)>;

/// Decodes raw bytes into a source file: size, byte-order mark, NUL and UTF-8 checks. On failure,
/// the failed file and its AL001 finding, located in the readable prefix and showing no text, so
/// a binary or oversized file is never echoed.
pub fn read_source(path: &str, bytes: Vec<u8>, format: document::Format, kind: FileKind) -> Result<SourceFile, Failed> {
    match document::decode_or_return(bytes) {
        Ok(text) => Ok(SourceFile::new(path, text, format)),
        // Only the bytes before the error are needed to locate it (oversized files: at 1:1).
        Err((message, offset, raw)) => {
            let prefix = String::from_utf8_lossy(&raw[..offset.min(raw.len())]).into_owned();
            let prefix = SourceFile::new(path, prefix, format);
            let location = Location::new(&prefix, None, Span::new(offset, offset));
            let finding = Finding::new(&SYNTAX_ERROR, location, message);
            Err(Box::new((LoadedConfig::failed(SourceFile::new(path, String::new(), format), kind), vec![finding])))
        }
    }
}

/// A placeholder source with no text, for when the real one has been moved out.
pub fn empty_source(path: &str) -> SourceFile {
    SourceFile::new(path, String::new(), document::Format::from_path(path))
}

/// Parses a source, or the failed file and its AL001 finding.
pub fn parse_source(source: SourceFile, kind: FileKind) -> Result<(SourceFile, Node), Failed> {
    match source.parse() {
        Ok(root) => Ok((source, root)),
        Err(e) => {
            let location = Location::new(&source, None, e.span);
            let finding = Finding::new(&SYNTAX_ERROR, location, e.message);
            Err(Box::new((LoadedConfig::failed(source, kind), vec![finding])))
        }
    }
}

/// The start every strict-JSON Claude Code file shares (settings, `.mcp.json`): read, parse, and
/// a top level that is an object. A syntax error gets `parse_help`, which says what the CLI does
/// with such a file; a top level that is not an object gets `example` as the fix.
pub fn load_json_object(
    path: &str,
    bytes: Vec<u8>,
    kind: FileKind,
    parse_help: &str,
    example: &str,
) -> Result<LoadedConfig, Failed> {
    let source = read_source(path, bytes, document::Format::Json, kind)?;
    let (source, root) = parse_source(source, kind).map_err(|mut failed| {
        for f in &mut failed.1 {
            f.help = Some(parse_help.to_owned());
        }
        failed
    })?;
    let mut config = LoadedConfig::failed(source, kind);
    config.root = root;
    config.parsed = true;
    match not_a_mapping(&config, example) {
        Some(finding) => Err(Box::new((config, vec![finding]))),
        None => Ok(config),
    }
}

/// AL004 for a file whose top level is not a mapping (or that is empty), with `example` as the
/// fix; `None` when it is a mapping.
pub fn not_a_mapping(config: &LoadedConfig, example: &str) -> Option<Finding> {
    match &config.root.value {
        Value::Map(_) => None,
        Value::Null => Some(
            Finding::new(&INVALID_VALUE, Location::new(&config.source, None, Span::new(0, 0)), "the file is empty")
                .help(example.to_owned()),
        ),
        _ => Some(
            Finding::new(
                &INVALID_VALUE,
                config.locate(config.root.span),
                format!("the top level is {}, not a mapping", config.root.type_name()),
            )
            .label("expected a mapping")
            .help(example.to_owned()),
        ),
    }
}

/// `x-…` keys hold YAML anchors and are otherwise ignored.
pub(crate) fn is_extension_key(key: &str) -> bool {
    key.starts_with("x-")
}

/// Deserializes the typed options from a session's shared tree. Only keys that are options are
/// read (a kind's view may hold shared facts the typed options have no field for). Validation
/// already rejected what serde would, so this normally succeeds first time; if not, the
/// offending option is reported and dropped.
pub fn typed_options(
    config: &LoadedConfig,
    label: Option<&str>,
    anchor: Span,
    tree: &mut Node,
    invalid: &mut Vec<Dropped>,
    findings: &mut Vec<Finding>,
) -> AgentOptions {
    use super::schema::is_option_name;
    // Only the options: a kind's shared tree may hold facts the typed options have no field for.
    if let Value::Map(entries) = &mut tree.value
        && entries.iter().any(|e| is_extension_key(&e.key.text) || !is_option_name(&e.key.text))
    {
        let (options, rest): (Vec<_>, Vec<_>) = std::mem::take(entries)
            .into_iter()
            .partition(|e| !is_extension_key(&e.key.text) && is_option_name(&e.key.text));
        *entries = options;
        let typed = typed_options(config, label, anchor, tree, invalid, findings);
        if let Value::Map(entries) = &mut tree.value {
            entries.extend(rest);
        }
        return typed;
    }
    loop {
        // Most options deserialize at the first try; only a failure needs the path of the bad
        // value, and tracking it costs an allocation per key.
        if let Ok(options) = serde::Deserialize::deserialize(&*tree) {
            return options;
        }
        match serde_path_to_error::deserialize::<_, AgentOptions>(&*tree) {
            Ok(options) => return options,
            Err(e) => {
                let key = e.path().iter().find_map(|s| match s {
                    serde_path_to_error::Segment::Map { key } => Some(key.clone()),
                    _ => None,
                });
                let present = key.as_ref().is_some_and(|k| tree.get(k).is_some());
                let Some(key) = key.filter(|_| present) else { return AgentOptions::default() };
                let span = tree.get(&key).map_or(anchor, |n| n.span);
                let who = label.map(|l| format!("{l}: ")).unwrap_or_default();
                findings.push(Finding::new(
                    &INVALID_VALUE,
                    config.locate(span),
                    format!("{who}`{key}` has an invalid value"),
                ));
                if let Value::Map(entries) = &mut tree.value {
                    entries.retain(|e| e.key.text != key);
                }
                invalid.push(Dropped { path: vec![key], span });
            }
        }
    }
}
