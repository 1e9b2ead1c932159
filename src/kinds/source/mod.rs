//! The extracted kinds: session options read from where programs start sessions.
//!
//! Program source (Elixir, Python, TypeScript/JavaScript) is parsed with tree-sitter grammars;
//! `claude` command lines (shell scripts, Makefiles, Dockerfiles, `package.json` scripts, GitHub
//! workflow steps) are split into words with shell rules and read against the CLI's flag table
//! ([`super::command_line`]). Each call site is one [`Site`]: its literal options as a span tree
//! whose keys are spelled as the source spells them, and what is not a literal as
//! [`RawUnknown`]s. [`load`] turns the sites of a file into agents of the shared model, one per
//! site, named `FILE:LINE`, validated against the deployment schema like a deployment config.
//!
//! Values: a string, number, boolean, null, list or mapping written out is a literal. An
//! environment read (`System.fetch_env!("X")`, `os.environ["X"]`, `process.env.X`, `$X` in a
//! shell) is an environment reference where one belongs (`api_key`, `env` and MCP server
//! `env`/`headers` values: written `${X}` in the model); anywhere else, and for every variable,
//! call or spread, the value is unknown. A callback option (`can_use_tool`, `tool_callback`) is
//! known to be set whatever the function is.

pub(crate) mod elixir;
pub(crate) mod python;
pub(crate) mod render;
pub(crate) mod typescript;

use std::sync::LazyLock;
use std::time::{Duration, Instant};

use aho_corasick::AhoCorasick;

use super::{Dialect, FileKind, Host, Kind};
use crate::config::schema::DOC;
use crate::config::{Agent, LoadedConfig, Unknown, UnknownOrigin};
use crate::document::{self, Entry, Key, Node, Span, Value};
use crate::report::{Finding, Location};
use crate::rules::{RuleMeta, SYNTAX_ERROR};
use crate::schema::{Describe, Step};

/// Parsing a file stops after this long (tree-sitter recovers from errors, so pathological input
/// could otherwise take long); the file is then reported as not parsed (AL001).
pub const PARSE_TIME_LIMIT: Duration = Duration::from_secs(10);

/// Values nested deeper than this are unknown: no option is that deep, and the walk stays small.
pub const MAX_VALUE_DEPTH: usize = 32;

/// One place that starts a session (or, where `whole` is false, gives some of its options).
#[derive(Debug, Clone)]
pub struct Site {
    /// Where findings about a missing option point: the call's name, the `claude` word, the
    /// `uses:` value.
    pub anchor: Span,
    /// The options as written: keys spelled as the source spells them, literal values.
    pub written: Vec<Entry>,
    pub unknown: Vec<RawUnknown>,
    /// False for a site that gives defaults of sessions started elsewhere (`config :claude_code`).
    pub whole: bool,
    /// What reading the site found wrong (an unknown CLI flag, a flag without its value).
    pub problems: Vec<SiteProblem>,
    pub host: Host,
}

impl Site {
    pub fn new(anchor: Span, host: Host) -> Self {
        Site { anchor, written: Vec::new(), unknown: Vec::new(), whole: true, problems: Vec::new(), host }
    }
}

/// A value that is not a literal, at a path of keys as written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RawUnknown {
    pub path: Vec<String>,
    pub span: Span,
    pub what: String,
    pub origin: UnknownOrigin,
}

/// A problem found while reading a site, reported as a finding of `rule`.
#[derive(Debug, Clone)]
pub struct SiteProblem {
    pub rule: &'static RuleMeta,
    pub span: Span,
    pub message: String,
    pub label: Option<String>,
    pub help: Option<String>,
}

/// What a front end found in a file: its sites and its comments (for suppressions).
#[derive(Debug, Default)]
pub struct Extraction {
    pub sites: Vec<Site>,
    pub comments: Vec<Span>,
}

/// Why a file could not be read: the message and where.
#[derive(Debug)]
pub struct Unreadable {
    pub message: String,
    pub span: Span,
}

/// Parses `text` with a tree-sitter grammar, within [`PARSE_TIME_LIMIT`].
pub(crate) fn parse(language: tree_sitter::Language, text: &str) -> Result<tree_sitter::Tree, Unreadable> {
    let mut parser = tree_sitter::Parser::new();
    parser
        .set_language(&language)
        .map_err(|e| Unreadable { message: format!("the grammar cannot be loaded: {e}"), span: Span::default() })?;
    let start = Instant::now();
    let mut progress = |_: &tree_sitter::ParseState| start.elapsed() > PARSE_TIME_LIMIT;
    let options = tree_sitter::ParseOptions::new().progress_callback(&mut progress);
    let bytes = text.as_bytes();
    let mut read = |offset: usize, _: tree_sitter::Point| -> &[u8] { bytes.get(offset..).unwrap_or_default() };
    parser.parse_with_options(&mut read, None, Some(options)).ok_or_else(|| Unreadable {
        message: format!(
            "the file could not be parsed within {} seconds, so its sessions were not read",
            PARSE_TIME_LIMIT.as_secs()
        ),
        span: Span::default(),
    })
}

/// Calls `f` on every node of the tree, in document order, without recursion.
pub(crate) fn each_node<'t>(root: tree_sitter::Node<'t>, mut f: impl FnMut(tree_sitter::Node<'t>)) {
    let mut cursor = root.walk();
    loop {
        f(cursor.node());
        if cursor.goto_first_child() {
            continue;
        }
        loop {
            if cursor.goto_next_sibling() {
                break;
            }
            if !cursor.goto_parent() {
                return;
            }
        }
    }
}

/// The span of a tree-sitter node.
pub(crate) fn span_of(node: tree_sitter::Node<'_>) -> Span {
    Span::new(node.start_byte(), node.end_byte())
}

/// The named children of a node, without comments.
pub(crate) fn named_children<'t>(node: tree_sitter::Node<'t>) -> Vec<tree_sitter::Node<'t>> {
    let mut cursor = node.walk();
    node.named_children(&mut cursor).filter(|c| c.kind() != "comment").collect()
}

/// Words that mark a file as possibly starting a session, per kind: a file without any is not
/// parsed (and a directory search skips it).
fn needles(kind: Kind) -> &'static [&'static str] {
    match kind {
        Kind::Elixir => &["ClaudeCode", ":claude_code"],
        Kind::Python => &["claude_agent_sdk", "claude_code_sdk"],
        Kind::TypeScript => &["@anthropic-ai/claude-agent-sdk", "@anthropic-ai/claude-code"],
        Kind::Shell | Kind::Workflow => &["claude"],
        _ => &[],
    }
}

/// The length of the longest of [`needles`]: a reader that searches a file in chunks keeps
/// this many bytes less one from the end of a chunk, so a name split across reads is found.
pub const LONGEST_NAME: usize = 32;

static SEARCHERS: LazyLock<Vec<(Kind, AhoCorasick)>> = LazyLock::new(|| {
    Kind::EXTRACTED
        .iter()
        .map(|k| (*k, AhoCorasick::new(needles(*k)).expect("the needles are valid patterns")))
        .collect()
});

/// True when `bytes` may hold a call site of `kind` (a byte search for the SDK's names, no
/// parsing). Always true for the other kinds.
pub fn may_have_sites(kind: Kind, bytes: &[u8]) -> bool {
    match SEARCHERS.iter().find(|(k, _)| *k == kind) {
        Some((_, searcher)) => searcher.is_match(bytes),
        None => true,
    }
}

/// Directories that hold other people's code: a directory search never reads source files in
/// them for sessions (a file named explicitly still is).
pub const VENDORED_DIRS: &[&str] =
    &["node_modules", ".venv", "venv", "site-packages", "__pycache__", "deps", "_build", "vendor", "dist"];

/// Reads one file of an extracted kind.
pub fn load(path: &str, bytes: Vec<u8>, kind: FileKind) -> (LoadedConfig, Vec<Finding>) {
    let kind = FileKind::new(kind.kind, None);
    let format = match kind.kind {
        Kind::Workflow => document::Format::Yaml,
        _ => document::Format::from_path(path),
    };
    let source = match crate::config::load::read_source(path, bytes, format, kind) {
        Ok(source) => source,
        Err(failed) => return *failed,
    };
    let mut config = LoadedConfig::failed(source, kind);
    config.parsed = true;
    config.root = Node::new(Value::Map(Vec::new()), Span::default());
    config.tree = config.root.clone();
    config.comments = Some(Vec::new());
    if !may_have_sites(kind.kind, config.source.text.as_bytes()) {
        return (config, Vec::new());
    }
    let text = config.source.text.as_str();
    let extracted = match kind.kind {
        Kind::Elixir => elixir::extract(text),
        Kind::Python => python::extract(text),
        Kind::TypeScript => typescript::extract(text, path),
        Kind::Shell => super::shell::extract(text, path),
        _ => super::workflow::extract(text),
    };
    let extraction = match extracted {
        Ok(extraction) => extraction,
        Err(e) => {
            let finding = Finding::new(&SYNTAX_ERROR, Location::new(&config.source, None, e.span), e.message);
            config.parsed = false;
            return (config, vec![finding]);
        }
    };
    let mut findings = Vec::new();
    build(&mut config, extraction, &mut findings);
    (config, findings)
}

/// Agent names: `FILE:LINE`, or `FILE:LINE:COLUMN` when two sites start on one line.
fn site_keys(config: &LoadedConfig, sites: &[Site]) -> Vec<String> {
    let positions: Vec<(usize, usize)> =
        sites.iter().map(|s| config.source.lines.position(&config.source.text, s.anchor.start)).collect();
    positions
        .iter()
        .map(|(line, column)| {
            if positions.iter().filter(|(l, _)| l == line).count() > 1 {
                format!("{line}:{column}")
            } else {
                line.to_string()
            }
        })
        .collect()
}

fn build(config: &mut LoadedConfig, extraction: Extraction, findings: &mut Vec<Finding>) {
    let Extraction { sites, comments } = extraction;
    config.comments = Some(comments);
    let keys = site_keys(config, &sites);
    config.several = sites.len() > 1;
    // The tree as written: one entry per site, keyed by its line.
    let root_entries: Vec<Entry> = sites
        .iter()
        .zip(&keys)
        .map(|(site, key)| {
            let span = site_span(site);
            Entry {
                key: Key { text: key.clone(), span: site.anchor },
                value: Node::new(Value::Map(site.written.clone()), span),
                merged: false,
            }
        })
        .collect();
    let root_span = Span::new(0, config.source.text.len());
    config.root = Node::new(Value::Map(root_entries), root_span);
    let mut trees = Vec::new();
    let mut agents = Vec::new();
    for (site, key) in sites.into_iter().zip(keys) {
        let name = format!("{}:{key}", config.source.path);
        let agent = agent(config, site, name, findings);
        trees.push(Entry { key: Key { text: key, span: agent.anchor }, value: agent.tree.clone(), merged: false });
        agents.push(agent);
    }
    config.tree = Node::new(Value::Map(trees), root_span);
    config.agents = agents;
}

/// The span of everything a site wrote (its anchor when it wrote nothing).
fn site_span(site: &Site) -> Span {
    let mut span = site.anchor;
    for e in &site.written {
        span.start = span.start.min(e.key.span.start);
        span.end = span.end.max(e.value.span.end);
    }
    span
}

/// SDK options that are not session options of the shared model (process handling, callbacks
/// for output, client-side settings): read, and left out of the checks.
fn sdk_only(host: Host, key: &str) -> bool {
    let keys: &[&str] = match host {
        Host::Elixir => &[
            "name",
            "timeout",
            "control_timeout",
            "cli_path",
            "adapter",
            "inherit_env",
            "replay_user_messages",
            "file",
            "from_pr",
            "debug",
            "debug_file",
            "worktree",
            "prompt_suggestions",
            "resume_session_at",
            "tool_config",
            "max_buffer_size",
            "filter",
        ],
        Host::Python => &[
            "cli_path",
            "stderr",
            "debug_stderr",
            "max_buffer_size",
            "user",
            "include_hook_events",
            "task_budget",
            "skills",
            "session_store",
            "forward_subagent_text",
            "resume_session_at",
            "resume_drops_turn",
            "fork_session_id",
        ],
        Host::TypeScript => &[
            "abortController",
            "executable",
            "executableArgs",
            "pathToClaudeCodeExecutable",
            "stderr",
            "spawnClaudeCodeProcess",
            "onElicitation",
            "toolConfig",
            "promptSuggestions",
            "agentProgressSummaries",
            "includeHookEvents",
            "taskBudget",
            "skills",
            "sessionMirror",
            "managedSettings",
            "resumeSessionAt",
            "debug",
            "debugFile",
            "forwardSubagentText",
            "prompt",
        ],
        _ => &[],
    };
    keys.contains(&key)
}

/// The options a site gives, ready for validation: SDK-only options left out, SDK hook callbacks
/// recorded as set elsewhere, Python's `mcp_servers="file.json"` read as `mcp_config`.
fn prepare(site: &mut Site) -> Vec<Entry> {
    let mut out = Vec::new();
    for entry in &site.written {
        let key = entry.key.text.as_str();
        if sdk_only(site.host, key) {
            continue;
        }
        let canonical = DOC.shape("/definitions/AgentOptions").canonical_field(key).unwrap_or(key).to_owned();
        if canonical == "hooks" && site.host != Host::CommandLine {
            site.unknown.push(RawUnknown {
                path: vec![key.to_owned()],
                span: entry.value.span,
                what: "hook callbacks of the SDK".into(),
                origin: UnknownOrigin::Elsewhere,
            });
            continue;
        }
        let mut entry = entry.clone();
        if canonical == "mcp_servers" && matches!(entry.value.value, Value::String(_)) {
            entry.key.text = "mcp_config".into();
        }
        if canonical == "extra_args" && site.host == Host::Python {
            no_persistence_flag(&mut entry, &mut out);
            if matches!(&entry.value.value, Value::Map(m) if m.is_empty()) {
                continue;
            }
        }
        out.push(entry);
    }
    out
}

/// Python's `ClaudeAgentOptions` has no field for `--no-session-persistence`; the SDK's way to
/// pass it is `extra_args={"no-session-persistence": None}`. That entry is read as the option
/// it stands for (`no_session_persistence: true`), so AL501 sees it and AL606 does not take it
/// for a flag that repeats a typed option.
fn no_persistence_flag(extra_args: &mut Entry, out: &mut Vec<Entry>) {
    let Value::Map(flags) = &mut extra_args.value.value else { return };
    let Some(i) = flags.iter().position(|e| e.key.text == "no-session-persistence" && e.value.value == Value::Null)
    else {
        return;
    };
    let flag = flags.remove(i);
    let value = Node::new(Value::Bool(true), flag.value.span);
    out.push(entry("no_session_persistence", flag.key.span, value));
}

/// Canonical option path for a path of keys as written (`additionalDirectories` → `add_dir`,
/// `sandbox.allowLocalBinding` → `sandbox.allow_local_binding`); names of servers, variables and
/// events stay as written.
fn canonical_path(written: &[String]) -> Vec<String> {
    let mut shape = DOC.shape("/definitions/AgentOptions");
    let mut out = Vec::with_capacity(written.len());
    for key in written {
        let canonical = shape.canonical_field(key).unwrap_or(key).to_owned();
        shape = shape.field(&canonical);
        out.push(canonical);
    }
    out
}

/// How findings about a site's options are worded: which agent, in a file of several.
struct Sites {
    name: Option<String>,
    host: Host,
}

impl Describe for Sites {
    fn scope(&self, _path: &[Step]) -> (String, usize, Option<String>) {
        match &self.name {
            Some(name) => (format!("agent `{name}`: "), 0, Some(name.clone())),
            None => (String::new(), 0, None),
        }
    }

    fn unknown_key_help(&self) -> &'static str {
        match self.host {
            Host::Elixir => "remove it: `ClaudeCode` rejects options it does not know",
            Host::Python => {
                "remove it: `ClaudeAgentOptions` has no such field, so the program fails with a `TypeError`"
            }
            Host::TypeScript => "remove it: the SDK ignores options it does not know",
            _ => "remove it: the SDKs ignore keys they do not know",
        }
    }
}

fn agent(config: &LoadedConfig, mut site: Site, name: String, findings: &mut Vec<Finding>) -> Agent {
    let prepared = prepare(&mut site);
    let options = Node::new(Value::Map(prepared), site_span(&site));
    let label = config.several.then(|| format!("agent `{name}`"));
    let describe = Sites { name: config.several.then(|| name.clone()), host: site.host };
    let outcome = crate::schema::validate(&DOC, "/definitions/AgentOptions", &options);
    config.report(&outcome, &describe, findings);
    let mut tree = outcome.tree.unwrap_or_else(|| Node::new(Value::Map(Vec::new()), options.span));
    let mut invalid = outcome.invalid;
    for problem in &site.problems {
        let mut finding = Finding::new(problem.rule, config.locate(problem.span), &problem.message);
        if let Some(label) = &label {
            finding.message = format!("{label}: {}", finding.message);
            finding.agent = Some(name.clone());
        }
        finding.label = problem.label.clone();
        finding.help = problem.help.clone();
        findings.push(finding);
    }
    let options =
        crate::config::load::typed_options(config, label.as_deref(), site.anchor, &mut tree, &mut invalid, findings);
    let mut unknown: Vec<Unknown> = site
        .unknown
        .iter()
        .map(|u| Unknown { path: canonical_path(&u.path), span: u.span, what: u.what.clone(), origin: u.origin })
        .collect();
    if !site.whole {
        unknown.push(Unknown {
            path: Vec::new(),
            span: site.anchor,
            what: "the options each session sets".into(),
            origin: UnknownOrigin::Elsewhere,
        });
    }
    let dialect = Dialect::host(config.kind.kind, site.host);
    Agent { name: Some(name), label, anchor: site.anchor, tree, options, invalid, dialect, unknown }
}

/// Why an agent read from source cannot be launched from its options alone: one line per value
/// the source does not decide (empty when every needed option is a literal). A command line's
/// working directory is the launcher's business and never counts.
pub fn undecided(agent: &Agent) -> Vec<String> {
    agent
        .unknown
        .iter()
        .filter(|u| u.origin != UnknownOrigin::Elsewhere || u.path.is_empty())
        .map(|u| {
            let what = crate::rules::shown_text(&u.what);
            match (u.path.is_empty(), u.origin) {
                (true, UnknownOrigin::Elsewhere) => {
                    format!("this is not a whole session: {what} are set where each session starts")
                }
                (true, _) => format!("{what} may set any option"),
                _ => {
                    let path: Vec<crate::document::Seg<'_>> =
                        u.path.iter().take(1).map(|k| crate::document::Seg::Key(k)).collect();
                    format!("`{}` is {what}", agent.dialect.path(&path))
                }
            }
        })
        .collect()
}

/// Builds the values of one site: literal nodes, and unknowns recorded at the current path.
pub(crate) struct Values<'t> {
    pub text: &'t str,
    pub unknown: Vec<RawUnknown>,
    pub path: Vec<String>,
}

impl<'t> Values<'t> {
    pub fn new(text: &'t str) -> Self {
        Values { text, unknown: Vec::new(), path: Vec::new() }
    }

    /// Records that the value at the current path (or an item of the list there) is `what`.
    pub fn unknown(&mut self, span: Span, what: impl Into<String>) {
        self.unknown.push(RawUnknown {
            path: self.path.clone(),
            span,
            what: what.into(),
            origin: UnknownOrigin::NotLiteral,
        });
    }

    /// The source text of a span, shortened for messages.
    pub fn describe(&self, span: Span) -> String {
        let text = self.text.get(span.start..span.end).unwrap_or_default();
        let one_line: String = text.split_whitespace().collect::<Vec<_>>().join(" ");
        let short: String = one_line.chars().take(60).collect();
        if short.len() < one_line.len() { format!("`{short}…`") } else { format!("`{short}`") }
    }

    /// True where an environment reference is a value of its own: `api_key`, `env` values, and
    /// an MCP server's `env` and `headers` values.
    pub fn env_position(&self) -> bool {
        let norm: Vec<String> = self.path.iter().map(|k| k.replace('_', "").to_ascii_lowercase()).collect();
        match norm.as_slice() {
            [key] => key == "apikey",
            [env, _] => env == "env",
            [servers, _, place, _] => servers == "mcpservers" && (place == "env" || place == "headers"),
            _ => false,
        }
    }

    /// True for a callback option: any expression there sets it.
    pub fn callback_position(&self) -> bool {
        matches!(self.path.as_slice(), [key] if matches!(key.as_str(), "can_use_tool" | "canUseTool" | "tool_callback"))
    }

    /// An environment read of `name` at `span`: a reference where one belongs, else unknown.
    pub fn env_read(&mut self, name: &str, span: Span) -> Option<Node> {
        if self.env_position() {
            return Some(Node::new(Value::String(format!("${{{name}}}")), span));
        }
        self.unknown(span, format!("the environment variable `{name}`"));
        None
    }

    /// A callable at a callback option: its text, shortened.
    pub fn callback(&self, span: Span) -> Node {
        let text = self.describe(span);
        Node::new(Value::String(text.trim_matches('`').to_owned()), span)
    }
}

/// An entry with a key as written.
pub(crate) fn entry(key: &str, key_span: Span, value: Node) -> Entry {
    Entry { key: Key { text: key.to_owned(), span: key_span }, value, merged: false }
}

/// A number as a node: an integer when it is one, else a float; `None` when it is not a number.
pub(crate) fn number(text: &str, span: Span, negative: bool) -> Option<Node> {
    let clean: String = text.chars().filter(|c| *c != '_').collect();
    let sign = if negative { -1 } else { 1 };
    if let Ok(i) = clean.parse::<i64>() {
        return Some(Node::new(Value::Int(sign * i), span));
    }
    let hex = clean.strip_prefix("0x").or_else(|| clean.strip_prefix("0X"));
    if let Some(i) = hex.and_then(|h| i64::from_str_radix(h, 16).ok()) {
        return Some(Node::new(Value::Int(sign * i), span));
    }
    let f = clean.trim_end_matches(['n']).parse::<f64>().ok().filter(|f| f.is_finite())?;
    Some(Node::new(Value::Float(f * sign as f64), span))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn prefilter_finds_the_sdk_names() {
        assert!(may_have_sites(Kind::Python, b"from claude_agent_sdk import query"));
        assert!(!may_have_sites(Kind::Python, b"import os\nprint('claude')\n"));
        assert!(may_have_sites(Kind::Elixir, b"config :claude_code, api_key: x"));
        assert!(may_have_sites(Kind::TypeScript, b"import {query} from '@anthropic-ai/claude-agent-sdk'"));
        assert!(may_have_sites(Kind::Shell, b"claude -p hi"));
        assert!(may_have_sites(Kind::Settings, b""));
    }

    #[test]
    fn longest_name_bounds_the_needles() {
        for kind in Kind::EXTRACTED {
            assert!(needles(*kind).iter().all(|n| n.len() <= LONGEST_NAME), "{kind:?}");
        }
    }

    #[test]
    fn canonical_paths_follow_the_schema() {
        let path = |p: &[&str]| canonical_path(&p.iter().map(|s| s.to_string()).collect::<Vec<_>>());
        assert_eq!(path(&["additionalDirectories"]), ["add_dir"]);
        assert_eq!(path(&["sandbox", "allowUnsandboxedCommands"]), ["sandbox", "allow_unsandboxed_commands"]);
        assert_eq!(path(&["env", "MY_VAR"]), ["env", "MY_VAR"]);
        assert_eq!(path(&["mcpServers", "gh", "env", "X"]), ["mcp_servers", "gh", "env", "X"]);
    }
}
