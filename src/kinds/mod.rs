//! File kinds: what an input is, how it is recognised, and how it is read.
//!
//! A kind is a front end. It recognises its files by path ([`detect`]), parses them into the
//! span tree, validates them against its own schema (structural findings AL001–AL004 and
//! AL008), and fills the shared session model that every rule reads: one [`Agent`] per session
//! the file describes, whose `tree` holds the options every kind has in common under their
//! canonical names (`permission_mode`, `allowed_tools`, `sandbox`, `hooks`, `env`,
//! `mcp_servers`, …) with the spans of the file's own keys and values. A rule is written once
//! against that model and runs on every kind its metadata lists; what a kind does not have,
//! the rule never sees.
//!
//! | kind | files | what it describes |
//! |---|---|---|
//! | `deployment` | `agentlint.*`, `*.agent.*`, `agents/**` (YAML/JSON) | whole sessions (SDK options) |
//! | `settings` | `.claude/settings.json`, `.claude/settings.local.json`, `managed-settings.json`, `managed-settings.d/*.json` | one settings layer (user, project, local or managed scope) |
//! | `mcp` | `.mcp.json`, `managed-mcp.json` | MCP servers |
//! | `subagent` | `.claude/agents/**/*.md` | a subagent (frontmatter) |
//! | `command` | `.claude/commands/**/*.md` | a slash command (frontmatter) |
//! | `skill` | `**/skills/**/SKILL.md` | a skill (frontmatter) |
//! | `elixir` | `*.ex`, `*.exs` | sessions started in Elixir code ([`source`]) |
//! | `python` | `*.py` | sessions started in Python code |
//! | `typescript` | `*.ts`, `*.tsx`, `*.mts`, `*.cts`, `*.js`, `*.jsx`, `*.mjs`, `*.cjs` | sessions started in TypeScript or JavaScript code |
//! | `shell` | `*.sh`, `*.bash`, `Makefile`, `*.mk`, `Dockerfile`, `package.json` | `claude` command lines ([`shell`]) |
//! | `workflow` | `.github/workflows/*.{yml,yaml}` | `claude` in `run:` steps and `anthropics/claude-code-action` inputs ([`workflow`]) |
//!
//! The last five are read for the sessions they start: each call site (`ClaudeCode.start_link`,
//! `ClaudeAgentOptions(...)`, the `options` of `query()`, a `claude` command line) is one agent,
//! its literal options in the shared model and the rest recorded as unknown.

pub mod command_line;
pub(crate) mod deployment;
mod dialect;
mod frontmatter;
mod hooks;
mod mcp;
pub(crate) mod settings;
pub mod shell;
pub mod source;
pub mod workflow;

use std::fmt;

pub use dialect::{Dialect, Host, Syntax};

use crate::config::LoadedConfig;
use crate::report::Finding;

/// What kind of file an input is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Kind {
    /// agentlint's own deployment config: SDK session options, one agent or several.
    Deployment,
    /// A Claude Code settings file.
    Settings,
    /// An MCP server file (`.mcp.json`).
    Mcp,
    /// A subagent definition (Markdown with YAML frontmatter).
    Subagent,
    /// A slash-command definition (Markdown with YAML frontmatter).
    Command,
    /// A skill definition (`SKILL.md`, Markdown with YAML frontmatter).
    Skill,
    /// Elixir source: `ClaudeCode.start_link/query/stream`, supervised sessions, `config :claude_code`.
    Elixir,
    /// Python source: `ClaudeAgentOptions(...)`, `query()` and `ClaudeSDKClient` of the Agent SDK.
    Python,
    /// TypeScript or JavaScript source: the `options` of the Agent SDK's `query()`.
    TypeScript,
    /// `claude` command lines in shell scripts, Makefiles, Dockerfiles and `package.json` scripts.
    Shell,
    /// A GitHub Actions workflow: `claude` in `run:` steps, `anthropics/claude-code-action` inputs.
    Workflow,
}

impl Kind {
    pub const ALL: &'static [Kind] = &[
        Kind::Deployment,
        Kind::Settings,
        Kind::Mcp,
        Kind::Subagent,
        Kind::Command,
        Kind::Skill,
        Kind::Elixir,
        Kind::Python,
        Kind::TypeScript,
        Kind::Shell,
        Kind::Workflow,
    ];

    /// The kinds whose sessions are read from program source and command lines.
    pub const EXTRACTED: &'static [Kind] = &[Kind::Elixir, Kind::Python, Kind::TypeScript, Kind::Shell, Kind::Workflow];

    pub fn name(self) -> &'static str {
        match self {
            Kind::Deployment => "deployment",
            Kind::Settings => "settings",
            Kind::Mcp => "mcp",
            Kind::Subagent => "subagent",
            Kind::Command => "command",
            Kind::Skill => "skill",
            Kind::Elixir => "elixir",
            Kind::Python => "python",
            Kind::TypeScript => "typescript",
            Kind::Shell => "shell",
            Kind::Workflow => "workflow",
        }
    }

    /// True for the kinds whose sessions are read from where programs start them (source code,
    /// command lines): their options are SDK session options, so every rule of deployment
    /// configs runs on them too.
    pub fn is_extracted(self) -> bool {
        Kind::EXTRACTED.contains(&self)
    }

    /// True for kinds whose file describes a whole session, so an option it leaves out takes the
    /// SDK's default. A settings layer or a subagent leaves the rest to other files.
    pub fn is_whole_session(self) -> bool {
        matches!(self, Kind::Deployment) || self.is_extracted()
    }

    /// True for Markdown kinds, read for their YAML frontmatter only.
    pub fn is_markdown(self) -> bool {
        matches!(self, Kind::Subagent | Kind::Command | Kind::Skill)
    }
}

/// Whether a rule that lists `kinds` runs on files of `kind`: the kinds it names, and the
/// extracted kinds wherever it runs on deployment configs.
pub fn applies(kinds: &[Kind], kind: Kind) -> bool {
    kinds.contains(&kind) || (kind.is_extracted() && kinds.contains(&Kind::Deployment))
}

/// Every kind a rule that lists `kinds` runs on, in [`Kind::ALL`] order.
pub fn rule_kinds(kinds: &[Kind]) -> Vec<Kind> {
    Kind::ALL.iter().copied().filter(|k| applies(kinds, *k)).collect()
}

impl fmt::Display for Kind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// Which settings layer a settings (or MCP) file is, following from its path.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Scope {
    /// `~/.claude/settings.json`, also when kept in a dotfiles repository.
    User,
    /// `.claude/settings.json`, `.mcp.json`: committed with the project.
    Project,
    /// `.claude/settings.local.json`: personal, meant to stay out of git.
    Local,
    /// `managed-settings.json`, `managed-settings.d/*.json`, `managed-mcp.json`.
    Managed,
}

impl Scope {
    pub const ALL: &'static [Scope] = &[Scope::User, Scope::Project, Scope::Local, Scope::Managed];

    pub fn name(self) -> &'static str {
        match self {
            Scope::User => "user",
            Scope::Project => "project",
            Scope::Local => "local",
            Scope::Managed => "managed",
        }
    }
}

impl fmt::Display for Scope {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// A kind, with the scope where the kind has one.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct FileKind {
    pub kind: Kind,
    pub scope: Option<Scope>,
}

impl FileKind {
    pub const DEPLOYMENT: FileKind = FileKind { kind: Kind::Deployment, scope: None };

    pub fn new(kind: Kind, scope: Option<Scope>) -> Self {
        Self { kind, scope }
    }

    /// `settings:project`, `mcp`, `deployment`.
    pub fn spelled(&self) -> String {
        match self.scope {
            Some(scope) => format!("{}:{}", self.kind, scope),
            None => self.kind.to_string(),
        }
    }

    /// Parses `settings`, `settings:user`, `mcp:managed`, … (as given to `--kind` or in
    /// `.agentlint.yaml` `kinds:`). A scope left out stays `None`; [`FileKind::scoped_by`]
    /// fills it in from a file's path.
    pub fn parse(text: &str) -> Result<FileKind, String> {
        let (kind_text, scope_text) = match text.split_once(':') {
            Some((k, s)) => (k, Some(s)),
            None => (text, None),
        };
        let kind = Kind::ALL.iter().copied().find(|k| k.name() == kind_text).ok_or_else(|| {
            let names: Vec<&str> = Kind::ALL.iter().map(|k| k.name()).collect();
            let hint = crate::suggest::closest(kind_text, &names)
                .map(|c| format!("; did you mean `{c}`?"))
                .unwrap_or_default();
            format!("unknown kind `{kind_text}` (kinds: {}){hint}", names.join(", "))
        })?;
        let scope = match scope_text {
            None => None,
            Some(_) if !matches!(kind, Kind::Settings | Kind::Mcp) => {
                return Err(format!("the `{kind}` kind has no scope (only `settings` and `mcp` do)"));
            }
            Some(s) => Some(
                Scope::ALL
                    .iter()
                    .copied()
                    .find(|sc| sc.name() == s)
                    .ok_or_else(|| format!("unknown scope `{s}` (scopes: user, project, local, managed)"))?,
            ),
        };
        Ok(FileKind { kind, scope })
    }

    /// A settings or MCP kind without a scope takes the one `path` implies, else `project`.
    pub fn scoped_by(self, path: &str) -> FileKind {
        match (self.kind, self.scope) {
            (Kind::Settings | Kind::Mcp, None) => {
                let implied = detect(path).filter(|d| d.kind == self.kind).and_then(|d| d.scope);
                FileKind { kind: self.kind, scope: Some(implied.unwrap_or(Scope::Project)) }
            }
            _ => self,
        }
    }
}

/// The path's components, `/`-separated, without `.` and empty ones.
fn components(path: &str) -> Vec<&str> {
    path.split(['/', '\\']).filter(|c| !c.is_empty() && *c != ".").collect()
}

/// A directory that holds Claude Code's files: `.claude`, or its chezmoi spelling in dotfiles
/// repositories (`dot_claude`, `private_dot_claude`).
fn is_claude_dir(name: &str) -> bool {
    name == ".claude" || name.ends_with("dot_claude")
}

/// The kind a path has by its name alone, or `None` when it is none of the known names.
///
/// Claude Code's files have fixed names. Deployment configs are recognised by the default
/// patterns `agentlint.{yaml,yml,json}`, `*.agent.{yaml,yml,json}` and `**/agents/**/*.{yaml,yml,json}`.
pub fn detect(path: &str) -> Option<FileKind> {
    let comps = components(path);
    let (&name, dirs) = comps.split_last()?;
    let parent = dirs.last().copied().unwrap_or("");
    let ext = name.rsplit_once('.').map(|(_, e)| e.to_ascii_lowercase()).unwrap_or_default();
    let settings = |scope| Some(FileKind::new(Kind::Settings, Some(scope)));
    match name {
        "managed-settings.json" => return settings(Scope::Managed),
        "managed-mcp.json" => return Some(FileKind::new(Kind::Mcp, Some(Scope::Managed))),
        ".mcp.json" => return Some(FileKind::new(Kind::Mcp, Some(Scope::Project))),
        "settings.local.json" if is_claude_dir(parent) => return settings(Scope::Local),
        "settings.json" if is_claude_dir(parent) => return settings(user_or_project(path, dirs)),
        _ => {}
    }
    if parent == "managed-settings.d" && ext == "json" {
        return settings(Scope::Managed);
    }
    if let Some(kind) = extracted_kind(name, &ext, dirs) {
        return Some(FileKind::new(kind, None));
    }
    if ext == "md" {
        if name == "SKILL.md" && dirs.contains(&"skills") {
            return Some(FileKind::new(Kind::Skill, None));
        }
        // `.claude/agents/**/*.md`, `.claude/commands/**/*.md`
        for pair in dirs.windows(2) {
            if is_claude_dir(pair[0]) {
                match pair[1] {
                    "agents" => return Some(FileKind::new(Kind::Subagent, None)),
                    "commands" => return Some(FileKind::new(Kind::Command, None)),
                    _ => {}
                }
            }
        }
        return None;
    }
    let config_ext = matches!(ext.as_str(), "yaml" | "yml" | "json");
    let stem = name.rsplit_once('.').map_or(name, |(s, _)| s);
    if config_ext && (stem == "agentlint" || stem.ends_with(".agent") || dirs.contains(&"agents")) {
        return Some(FileKind::DEPLOYMENT);
    }
    None
}

/// Program source, shell scripts and workflows, by name.
fn extracted_kind(name: &str, ext: &str, dirs: &[&str]) -> Option<Kind> {
    let in_workflows = dirs.len() >= 2 && dirs[dirs.len() - 2] == ".github" && dirs[dirs.len() - 1] == "workflows";
    match ext {
        "ex" | "exs" => return Some(Kind::Elixir),
        "py" => return Some(Kind::Python),
        "ts" | "tsx" | "mts" | "cts" | "js" | "jsx" | "mjs" | "cjs" if !name.ends_with(".d.ts") => {
            return Some(Kind::TypeScript);
        }
        "sh" | "bash" | "mk" => return Some(Kind::Shell),
        "yml" | "yaml" if in_workflows => return Some(Kind::Workflow),
        _ => {}
    }
    let shell_name = matches!(name, "Makefile" | "makefile" | "GNUmakefile" | "package.json" | "Containerfile")
        || name == "Dockerfile"
        || name.starts_with("Dockerfile.")
        || name.ends_with(".Dockerfile")
        || name.ends_with(".dockerfile");
    shell_name.then_some(Kind::Shell)
}

/// `.claude/settings.json` is user settings when it is the user's own (`~/.claude`, or
/// `$CLAUDE_CONFIG_DIR`), or kept in a dotfiles repository (`dot_claude/`, or under a `home/`
/// directory); project settings otherwise.
fn user_or_project(path: &str, dirs: &[&str]) -> Scope {
    let parent = dirs.last().copied().unwrap_or("");
    if parent != ".claude" || dirs.iter().rev().skip(1).any(|d| *d == "home" || d.ends_with("dotfiles")) {
        return Scope::User;
    }
    let absolute = std::path::absolute(path).ok();
    let is_home_file = |dir: Option<std::path::PathBuf>| {
        dir.zip(absolute.as_ref()).is_some_and(|(d, p)| p.parent() == Some(d.as_path()))
    };
    let home = std::env::var_os("HOME").map(|h| std::path::PathBuf::from(h).join(".claude"));
    let config_dir = std::env::var_os("CLAUDE_CONFIG_DIR").map(std::path::PathBuf::from);
    if is_home_file(home) || is_home_file(config_dir) { Scope::User } else { Scope::Project }
}

/// The kind of a file named on the command line: what its path says, else a deployment config.
pub fn of_named_file(path: &str) -> FileKind {
    detect(path).unwrap_or(FileKind::DEPLOYMENT)
}

/// Reads one file of the given kind from its bytes.
pub fn load(path: &str, bytes: Vec<u8>, kind: FileKind) -> (LoadedConfig, Vec<Finding>) {
    match kind.kind {
        Kind::Deployment => crate::config::load_bytes(path, bytes),
        Kind::Settings => settings::load(path, bytes, kind),
        Kind::Mcp => mcp::load(path, bytes, kind),
        Kind::Subagent | Kind::Command | Kind::Skill => frontmatter::load(path, bytes, kind),
        Kind::Elixir | Kind::Python | Kind::TypeScript | Kind::Shell | Kind::Workflow => {
            source::load(path, bytes, kind)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn spelled(path: &str) -> Option<String> {
        detect(path).map(|k| k.spelled())
    }

    #[test]
    fn claude_code_files_are_recognised_by_name() {
        assert_eq!(spelled(".claude/settings.json").as_deref(), Some("settings:project"));
        assert_eq!(spelled("backend/.claude/settings.json").as_deref(), Some("settings:project"));
        assert_eq!(spelled("./.claude/settings.local.json").as_deref(), Some("settings:local"));
        assert_eq!(spelled("home/.claude/settings.json").as_deref(), Some("settings:user"));
        assert_eq!(spelled("dot_claude/settings.json").as_deref(), Some("settings:user"));
        assert_eq!(spelled("etc/claude-code/managed-settings.json").as_deref(), Some("settings:managed"));
        assert_eq!(spelled("managed-settings.d/10-base.json").as_deref(), Some("settings:managed"));
        assert_eq!(spelled(".mcp.json").as_deref(), Some("mcp:project"));
        assert_eq!(spelled("managed-mcp.json").as_deref(), Some("mcp:managed"));
        assert_eq!(spelled(".claude/agents/reviewer.md").as_deref(), Some("subagent"));
        assert_eq!(spelled(".claude/agents/team/reviewer.md").as_deref(), Some("subagent"));
        assert_eq!(spelled(".claude/commands/deploy.md").as_deref(), Some("command"));
        assert_eq!(spelled(".claude/skills/pdf/SKILL.md").as_deref(), Some("skill"));
        assert_eq!(spelled("plugins/x/skills/pdf/SKILL.md").as_deref(), Some("skill"));
    }

    #[test]
    fn deployment_patterns_and_other_files() {
        assert_eq!(spelled("agentlint.yaml").as_deref(), Some("deployment"));
        assert_eq!(spelled("deploy/ci.agent.json").as_deref(), Some("deployment"));
        assert_eq!(spelled("agents/ci.yml").as_deref(), Some("deployment"));
        assert_eq!(spelled("settings.json"), None);
        assert_eq!(spelled("docs/agents/README.md"), None);
        assert_eq!(spelled("src/main.rs"), None);
        assert_eq!(spelled("lib/app/agent.ex").as_deref(), Some("elixir"));
        assert_eq!(spelled("config/runtime.exs").as_deref(), Some("elixir"));
        assert_eq!(spelled("agent.py").as_deref(), Some("python"));
        assert_eq!(spelled("src/run.mts").as_deref(), Some("typescript"));
        assert_eq!(spelled("types/sdk.d.ts"), None);
        assert_eq!(spelled("scripts/review.sh").as_deref(), Some("shell"));
        assert_eq!(spelled("Makefile").as_deref(), Some("shell"));
        assert_eq!(spelled("docker/Dockerfile.ci").as_deref(), Some("shell"));
        assert_eq!(spelled("web/package.json").as_deref(), Some("shell"));
        assert_eq!(spelled(".github/workflows/review.yml").as_deref(), Some("workflow"));
        assert_eq!(spelled("workflows/review.yml"), None);
        assert_eq!(of_named_file("whatever.yaml"), FileKind::DEPLOYMENT);
    }

    #[test]
    fn kinds_parse_with_scopes() {
        let settings = FileKind::parse("settings").unwrap();
        assert_eq!(settings.scoped_by("x.json").spelled(), "settings:project");
        assert_eq!(settings.scoped_by("a/.claude/settings.local.json").spelled(), "settings:local");
        assert_eq!(FileKind::parse("settings:user").unwrap().scoped_by("x.json").spelled(), "settings:user");
        assert_eq!(FileKind::parse("subagent").unwrap().scoped_by("x.md").spelled(), "subagent");
        assert!(FileKind::parse("setings").unwrap_err().contains("did you mean `settings`?"));
        assert!(FileKind::parse("skill:user").is_err());
        assert!(FileKind::parse("settings:global").is_err());
    }
}
