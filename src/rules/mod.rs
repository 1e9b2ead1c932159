//! The rule catalogue. Each rule lives in its own file named after its id
//! (`al104_broad_tool_grant.rs`) and holds its metadata, documentation and check;
//! [`registry`] lists them all, one line each.

pub mod docs;
pub mod registry;

mod al001_syntax_error;
mod al002_duplicate_key;
mod al003_unknown_key;
mod al004_invalid_value;
mod al005_option_not_literal;
mod al006_suppression_without_reason;
mod al007_unused_suppression;
mod al008_ignored_setting;
mod al009_local_settings_committed;
mod al010_policy_test_failed;
mod al101_permission_mode_not_restrictive;
mod al102_permission_checks_bypassed;
mod al103_allowed_tools_missing;
mod al104_broad_tool_grant;
mod al105_invalid_permission_rule;
mod al106_conflicting_tool_rules;
mod al107_mode_tool_mismatch;
mod al108_dangerous_commands_not_denied;
mod al109_non_reading_tool_grant;
mod al110_subagent_inherits_all_tools;
mod al201_max_turns_missing;
mod al202_max_budget_missing;
mod al301_hardcoded_api_key;
mod al302_secret_in_config;
mod al401_sandbox_not_enabled;
mod al402_sandbox_escape_hatch;
mod al403_unrestricted_network;
mod al404_unscoped_directory_access;
mod al405_implicit_setting_sources;
mod al406_settings_file_with_sandbox;
mod al407_sandbox_fails_open;
mod al501_session_persistence_enabled;
mod al502_audit_hook_missing;
mod al503_hook_remote_script;
mod al504_repository_hook;
mod al601_fallback_model_same_as_model;
mod al602_session_id_without_fork;
mod al603_session_id_not_uuid;
mod al604_resume_not_uuid;
mod al605_agent_not_defined;
mod al606_extra_arg_rejected;
mod al607_extra_arg_widens_agent;
mod al608_option_unknown_to_cli;
mod al701_mcp_literal_credential;
mod al702_mcp_unpinned_package;
mod al703_mcp_insecure_transport;
mod al704_mcp_remote_script;
mod al705_project_mcp_auto_approved;
mod mcp_servers;
mod remote_code;
mod tool_lists;

use serde::de::DeserializeOwned;

use crate::config::{Agent, LoadedConfig};
use crate::document::{Node, Seg, SourceFile, Span};
use crate::kinds::Dialect;
use crate::report::{Finding, Location, Severity};

pub use al001_syntax_error::META as SYNTAX_ERROR;
pub use al002_duplicate_key::META as DUPLICATE_KEY;
pub use al003_unknown_key::META as UNKNOWN_KEY;
pub use al004_invalid_value::META as INVALID_VALUE;
pub use al005_option_not_literal::META as NOT_LITERAL;
pub use al006_suppression_without_reason::META as SUPPRESSION_WITHOUT_REASON;
pub use al007_unused_suppression::META as UNUSED_SUPPRESSION;
pub use al008_ignored_setting::META as IGNORED_SETTING;
pub use al010_policy_test_failed::META as POLICY_TEST_FAILED;
pub use al105_invalid_permission_rule::META as INVALID_PERMISSION_RULE;
pub use al504_repository_hook::META as REPOSITORY_HOOK;
pub use registry::{REGISTRY, find_rule};
// Literal credentials (AL301) and secrets whose place in the source is not exact (AL302): masked in snippets.
pub(crate) use al301_hardcoded_api_key::literal_credentials;
pub(crate) use al302_secret_in_config::unlocated_secret_spans;

/// Literal credentials in MCP server definitions (AL701): masked in snippets whatever their format.
pub(crate) fn mcp_credential_spans(config: &LoadedConfig) -> Vec<Span> {
    config
        .agents
        .iter()
        .flat_map(|a| mcp_servers::literal_credentials(&a.tree))
        .map(|c| {
            let raw = config.source.text.get(c.span.start..c.span.end).unwrap_or_default();
            let quoted = raw.len() >= 2 && (raw.starts_with('"') || raw.starts_with('\''));
            if quoted { Span::new(c.span.start + 1, c.span.end - 1) } else { c.span }
        })
        .collect()
}

/// What a rule is: identity, default severity and documentation.
#[derive(Debug)]
pub struct RuleMeta {
    /// Stable id, e.g. `AL104`.
    pub id: &'static str,
    /// Kebab-case name, e.g. `broad-tool-grant`.
    pub name: &'static str,
    pub severity: Severity,
    /// The kinds of file the rule runs on (what it checks exists only there).
    pub kinds: &'static [crate::kinds::Kind],
    /// One line for `agentlint rules`.
    pub summary: &'static str,
    /// Markdown with the sections "What it checks", "Why it matters",
    /// "Failing example", "Passing example", "How to fix" (and "Parameters" where any).
    pub docs: &'static str,
}

/// A configured rule. Checks run per agent on the merged config, or once per file.
pub trait Rule: Send + Sync {
    fn meta(&self) -> &'static RuleMeta;

    /// Called once per agent (defaults merged in).
    fn check_agent(&self, _ctx: &AgentContext<'_>, _out: &mut Vec<Finding>) {}

    /// Called once per file that parsed.
    fn check_file(&self, _ctx: &FileContext<'_>, _out: &mut Vec<Finding>) {}
}

/// A catalogue line: metadata plus how to build the rule from its policy parameters.
pub struct RuleEntry {
    pub meta: &'static RuleMeta,
    pub build: fn(&serde_json::Value) -> Result<Box<dyn Rule>, ParamError>,
}

/// A bad rule parameter: where (JSON pointer inside the parameters) and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParamError {
    pub pointer: String,
    pub message: String,
}

/// Parses a rule's parameters (`null` means "all defaults"); unknown parameters are errors.
pub fn parse_params<P: DeserializeOwned + Default>(params: &serde_json::Value) -> Result<P, ParamError> {
    if params.is_null() {
        return Ok(P::default());
    }
    serde_path_to_error::deserialize(params).map_err(|e| {
        let mut pointer = String::new();
        for seg in e.path().iter() {
            match seg {
                serde_path_to_error::Segment::Seq { index } => pointer.push_str(&format!("/{index}")),
                serde_path_to_error::Segment::Map { key } => crate::document::push_token(&mut pointer, key),
                serde_path_to_error::Segment::Enum { variant } => crate::document::push_token(&mut pointer, variant),
                serde_path_to_error::Segment::Unknown => {}
            }
        }
        ParamError { pointer, message: e.into_inner().to_string() }
    })
}

/// For rules without parameters: any parameter is an error.
pub fn no_params(params: &serde_json::Value) -> Result<(), ParamError> {
    match params {
        serde_json::Value::Null => Ok(()),
        serde_json::Value::Object(m) if m.is_empty() => Ok(()),
        serde_json::Value::Object(m) => Err(ParamError {
            pointer: format!("/{}", m.keys().next().map(String::as_str).unwrap_or_default()),
            message: "this rule takes no parameters".into(),
        }),
        _ => Err(ParamError { pointer: String::new(), message: "parameters must be a mapping".into() }),
    }
}

/// A rule whose check lives in the loader (AL001–AL004): nothing to run per agent.
pub struct Structural(pub &'static RuleMeta);

impl Rule for Structural {
    fn meta(&self) -> &'static RuleMeta {
        self.0
    }
}

/// What a file-level rule sees.
pub struct FileContext<'a> {
    pub config: &'a LoadedConfig,
}

impl FileContext<'_> {
    pub fn source(&self) -> &SourceFile {
        &self.config.source
    }

    /// Location of a span in this file.
    pub fn locate(&self, span: Span) -> Location {
        Location::new(&self.config.source, Some(&self.config.root), span)
    }
}

/// What a per-agent rule sees: the merged typed options and the merged span tree.
pub struct AgentContext<'a> {
    pub config: &'a LoadedConfig,
    pub agent: &'a Agent,
    /// The parsed entries of each rule list (`tool_lists::entries`), built by the first rule
    /// that reads one: half a dozen rules read the same lists of every agent.
    tool_entries: [std::cell::OnceCell<Vec<tool_lists::ToolEntry<'a>>>; 4],
}

/// A place named as the file writes it ([`AgentContext::key`], [`AgentContext::named`]),
/// written out only when displayed.
#[derive(Clone, Copy)]
pub struct Named<'s, 'a> {
    ctx: &'s AgentContext<'a>,
    place: Place<'s>,
}

#[derive(Clone, Copy)]
enum Place<'s> {
    Option(&'s str),
    Path(&'s [Seg<'s>]),
}

impl std::fmt::Display for Named<'_, '_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let text = match self.place {
            Place::Option(option) => self.ctx.path(&[Seg::Key(option)]),
            Place::Path(path) => self.ctx.path(path),
        };
        f.write_str(&text)
    }
}

impl<'a> AgentContext<'a> {
    pub fn new(config: &'a LoadedConfig, agent: &'a Agent) -> Self {
        Self { config, agent, tool_entries: Default::default() }
    }

    pub fn options(&self) -> &'a crate::config::AgentOptions {
        &self.agent.options
    }

    /// The agent's name in files with several agents.
    pub fn name(&self) -> Option<&'a str> {
        self.agent.name.as_deref()
    }

    /// What kind of file the session comes from.
    pub fn kind(&self) -> crate::kinds::FileKind {
        self.config.kind
    }

    /// How the file spells the shared options, for messages and fixes.
    pub fn dialect(&self) -> &'a Dialect {
        &self.agent.dialect
    }

    /// A canonical path as the file writes it: `permissions.defaultMode`, `allowedTools`. In a
    /// deployment config, keys the file has are named as written (a file may mix spellings).
    pub fn path(&self, path: &[Seg<'_>]) -> String {
        let dialect = &self.agent.dialect;
        if !dialect.keys_as_written() {
            return dialect.path(path);
        }
        let mut out = String::new();
        let mut node = Some(&self.agent.tree);
        for (i, seg) in path.iter().enumerate() {
            match seg {
                Seg::Index(n) => {
                    out.push_str(&format!("[{n}]"));
                    node = node.and_then(|n| n.as_seq()).and_then(|items| items.get(*n));
                }
                Seg::Key(k) => {
                    let entry = node.and_then(|n| n.entry(k));
                    let written = entry
                        .and_then(|e| self.config.source.text.get(e.key.span.start..e.key.span.end))
                        .map(|t| t.trim_matches(|c| c == '"' || c == '\''))
                        .filter(|t| !t.is_empty());
                    let name = match written {
                        Some(w) => w.to_owned(),
                        None => dialect.path(&path[i..=i]).trim_start_matches('.').to_owned(),
                    };
                    if i > 0 {
                        out.push('.');
                    }
                    out.push_str(&name);
                    node = entry.map(|e| &e.value);
                }
            }
        }
        out
    }

    /// A top-level option as the file names it: `permissions.allow` for `allowed_tools` in a
    /// settings file, `allowedTools` in a camelCase deployment config.
    ///
    /// Worked out when it is shown: rules name the option up front, and most agents get no
    /// finding.
    pub fn key<'s>(&'s self, option: &'s str) -> Named<'s, 'a> {
        Named { ctx: self, place: Place::Option(option) }
    }

    /// [`AgentContext::path`] worked out when it is shown.
    pub fn named<'s>(&'s self, path: &'s [Seg<'s>]) -> Named<'s, 'a> {
        Named { ctx: self, place: Place::Path(path) }
    }

    /// The fix "set `path` to `value`" in the file's own syntax.
    pub fn set(&self, path: &[Seg<'_>], value: serde_json::Value) -> String {
        self.agent.dialect.set(path, &value)
    }

    /// [`AgentContext::set`] with the value already written (`5.00`).
    pub fn set_raw(&self, path: &[Seg<'_>], value: &str) -> String {
        self.agent.dialect.set_raw(path, value)
    }

    /// True when the option is not set at all (an option whose value was invalid
    /// is reported by AL004 and does not count as absent, so it is not reported twice).
    pub fn absent(&self, option: &str) -> bool {
        self.agent.tree.get(option).is_none() && !self.invalid(option) && !self.unknown(option)
    }

    /// True when an option is not set in a file that describes the whole session, so the SDK's
    /// default applies. A settings layer or a subagent that leaves an option out leaves it to
    /// other files, so nothing is missing there.
    pub fn missing(&self, option: &str) -> bool {
        self.config.kind.kind.is_whole_session() && self.agent.tree.get(option).is_none() && !self.unknown(option)
    }

    /// True when the file does not decide the option: its value (or a part of it) is not a
    /// literal, or a spread may set it. Rules treat it as "cannot tell".
    pub fn unknown(&self, option: &str) -> bool {
        self.agent.is_unknown(option)
    }

    /// True when the option's value was invalid: already reported (AL003/AL004) and dropped.
    pub fn invalid(&self, option: &str) -> bool {
        self.agent.invalid.iter().any(|d| d.path.first().is_some_and(|p| p == option))
    }

    /// Where an invalid value at exactly `path` (canonical keys) is written, when it was dropped.
    /// Rules judge such a value as the SDK would use it: not at all.
    pub fn invalid_at(&self, path: &[&str]) -> Option<Location> {
        self.agent
            .invalid
            .iter()
            .find(|d| d.path.len() == path.len() && d.path.iter().zip(path).all(|(a, b)| a == b))
            .map(|d| self.locate(d.span))
    }

    /// The merged node at a path of canonical keys and indices.
    pub fn node(&self, path: &[Seg<'_>]) -> Option<&'a Node> {
        self.agent.tree.resolve(path.iter().copied()).map(|t| t.node)
    }

    /// Location of the value at `path`; falls back to the nearest existing ancestor, then the agent.
    pub fn at_value(&self, path: &[Seg<'_>]) -> Location {
        for len in (1..=path.len()).rev() {
            if let Some(t) = self.agent.tree.resolve(path[..len].iter().copied()) {
                return self.locate(t.node.span);
            }
        }
        self.at_agent()
    }

    /// Location of the key of the option at `path` (e.g. to point at `permission_mode:`).
    pub fn at_key(&self, path: &[Seg<'_>]) -> Location {
        match self.agent.tree.resolve(path.iter().copied()) {
            Some(t) => self.locate(t.key_span.unwrap_or(t.node.span)),
            None => self.at_value(path),
        }
    }

    /// Where findings about a missing option point: the agent's name key, or the first key of a single-agent file.
    pub fn at_agent(&self) -> Location {
        self.locate(self.agent.anchor)
    }

    /// Where a finding about the missing top-level `option` points: at a misspelling of it that
    /// was reported as an unknown key (`max_tunrs` for `max_turns`), else at the agent.
    pub fn at_missing(&self, option: &str) -> Location {
        // Most agents have no dropped top-level key: then there is no near miss to look for.
        if !self.agent.invalid.iter().any(|d| d.path.len() == 1) {
            return self.at_agent();
        }
        let shape = crate::config::schema::DOC.shape("/definitions/AgentOptions");
        let names = &crate::config::schema::OPTION_NAMES;
        let near_miss = self.agent.invalid.iter().find(|d| {
            let [key] = d.path.as_slice() else { return false };
            !crate::config::schema::is_option_name(key)
                && crate::suggest::closest(key, names).and_then(|c| shape.canonical_field(c)) == Some(option)
        });
        match near_miss {
            Some(d) => self.locate(d.span),
            None => self.at_agent(),
        }
    }

    pub fn locate(&self, span: Span) -> Location {
        Location::new(&self.config.source, Some(&self.config.root), span)
    }

    /// A finding about this session: the message is prefixed with its label (`agent `ci``,
    /// `project settings`) where the file has one.
    pub fn finding(&self, rule: &'static RuleMeta, location: Location, message: impl AsRef<str>) -> Finding {
        let message = match &self.agent.label {
            Some(label) => format!("{label}: {}", message.as_ref()),
            None => message.as_ref().to_owned(),
        };
        let mut f = Finding::new(rule, location, message);
        f.agent = self.name().map(str::to_owned).filter(|_| self.config.several);
        f
    }
}

/// A value from a file for a message: trimmed, control characters escaped, credentials redacted.
pub fn shown_text(text: &str) -> String {
    tool_lists::shown(text)
}

/// Environment variable names that carry credentials and must never hold literal values
/// (limits-and-secrets.md §6.1 and settings-schema.md §3.5).
pub const CREDENTIAL_ENV_NAMES: &[&str] = &[
    "ANTHROPIC_API_KEY",
    "ANTHROPIC_AUTH_TOKEN",
    "CLAUDE_CODE_OAUTH_TOKEN",
    "CLAUDE_CODE_OAUTH_REFRESH_TOKEN",
    "ANTHROPIC_FOUNDRY_API_KEY",
    "ANTHROPIC_FOUNDRY_AUTH_TOKEN",
    "ANTHROPIC_AWS_API_KEY",
    "AWS_BEARER_TOKEN_BEDROCK",
    "CLAUDE_CODE_CLIENT_KEY",
    "CLAUDE_CODE_CLIENT_KEY_PASSPHRASE",
    "MCP_CLIENT_SECRET",
    "OTEL_EXPORTER_OTLP_HEADERS",
    "ANTHROPIC_CUSTOM_HEADERS",
];

pub fn is_credential_env(name: &str) -> bool {
    CREDENTIAL_ENV_NAMES.contains(&name)
}
