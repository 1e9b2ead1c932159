//! Command-line definitions (clap derive).

use clap::{Args, Parser, Subcommand, ValueEnum};

use crate::report::Severity;

/// Policy-as-code linter for Claude Code and Claude Agent SDK deployment configs.
#[derive(Debug, Parser)]
#[command(name = "agentlint", version, about, long_about = None, propagate_version = true)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Check deployment configs and report findings.
    Check(CheckArgs),
    /// List the rule catalogue.
    Rules(RulesArgs),
    /// Show a rule's full documentation (by id or name).
    Explain {
        /// Rule id (`AL104`) or name (`broad-tool-grant`).
        rule: String,
    },
    /// Print the JSON Schema of deployment configs.
    Schema,
    /// Check a config, then print the exact `claude` launch arguments of one agent.
    Args(LaunchArgs),
    /// List the built-in policy packs.
    Policies(PoliciesArgs),
    /// Work with policy packs.
    Policy {
        #[command(subcommand)]
        command: PolicyCommand,
    },
    /// Show the effective session: every settings layer merged, with where each value came from.
    Effective(EffectiveArgs),
    /// Decide a tool call under the effective session's rules: allow (exit 0), deny (1), ask (3).
    Can(CanArgs),
}

/// Which session: a deployment config's agent, or plain `claude` in a directory, with the user
/// and managed settings given (none is read from this machine unless named).
#[derive(Debug, Args)]
pub struct SessionArgs {
    /// A deployment config (its agent's session), or a directory (plain `claude` run there).
    #[arg(value_name = "PATH", default_value = ".")]
    pub path: String,
    /// The agent, in a deployment config with several.
    #[arg(long, value_name = "NAME")]
    pub agent: Option<String>,
    #[command(flatten)]
    pub settings: SettingsFiles,
    /// Answer as in a trusted folder, where the project's allow rules and additional
    /// directories apply (print-mode and SDK sessions never trust a folder).
    #[arg(long)]
    pub trusted: bool,
    /// Output format.
    #[arg(long, value_enum, default_value_t = ListFormat::Human)]
    pub format: ListFormat,
    #[command(flatten)]
    pub policy: PolicyArgs,
}

/// User and managed settings files for effective sessions.
#[derive(Debug, Args, Default, Clone)]
pub struct SettingsFiles {
    /// The user settings file to read (e.g. `~/.claude/settings.json`); none is read otherwise.
    #[arg(long, value_name = "FILE")]
    pub user_settings: Option<String>,
    /// The managed settings file to read (e.g. `/etc/claude-code/managed-settings.json`); none
    /// is read otherwise.
    #[arg(long, value_name = "FILE")]
    pub managed_settings: Option<String>,
}

/// `agentlint effective`.
#[derive(Debug, Args)]
pub struct EffectiveArgs {
    #[command(flatten)]
    pub session: SessionArgs,
}

/// `agentlint can`.
#[derive(Debug, Args)]
pub struct CanArgs {
    /// The tool call: `Bash(git push origin main)`, `Read(/etc/passwd)`,
    /// `WebFetch(https://example.com/)`, `mcp__github__get_issue`.
    #[arg(value_name = "TOOL_CALL")]
    pub call: String,
    #[command(flatten)]
    pub session: SessionArgs,
    /// Decide in this permission mode instead of the session's (`default`, `acceptEdits`,
    /// `plan`, `dontAsk`, `bypassPermissions`, `auto`; SDK spellings work too).
    #[arg(long, value_name = "MODE", value_parser = parse_mode)]
    pub mode: Option<crate::config::PermissionMode>,
}

fn parse_mode(text: &str) -> Result<crate::config::PermissionMode, String> {
    serde_json::from_value(serde_json::Value::String(text.to_owned())).map_err(|_| {
        format!(
            "unknown permission mode `{text}` (modes: default, acceptEdits, plan, dontAsk, bypassPermissions, auto)"
        )
    })
}

/// `agentlint policy ...`
#[derive(Debug, Subcommand)]
pub enum PolicyCommand {
    /// Print a pack with everything it extends applied, as a pack file.
    Show {
        /// A built-in pack (`production`, `ci`, `review`, `baseline`) or a pack file's path.
        name: String,
    },
}

/// Which policy applies: by default the `.agentlint.yaml` found above each checked file
/// (up to the repository root), and the pack it names (`production` when none).
#[derive(Debug, Args, Default)]
pub struct PolicyArgs {
    /// Policy pack: a built-in name (`production`, `ci`, `review`, `baseline`) or a pack file's
    /// path; replaces the project configuration's `policy`.
    #[arg(long, value_name = "NAME_OR_PATH")]
    pub policy: Option<String>,
    /// Project configuration to use for every file instead of the `.agentlint.yaml` files found.
    #[arg(long, value_name = "PATH")]
    pub config: Option<String>,
}

#[derive(Debug, Args)]
pub struct PoliciesArgs {
    /// Output format.
    #[arg(long, value_enum, default_value_t = ListFormat::Human)]
    pub format: ListFormat,
}

#[derive(Debug, Args)]
pub struct CheckArgs {
    /// Files or directories to check (default `.`); `-` reads standard input. Directories
    /// are searched for Claude Code files and deployment configs, skipping gitignored files;
    /// files are always checked.
    #[arg(value_name = "PATH")]
    pub paths: Vec<String>,
    /// Name (and so kind and format) of the file read from standard input.
    #[arg(long, value_name = "PATH")]
    pub stdin_filename: Option<String>,
    /// Read the files named on the command line (and standard input) as this kind instead of
    /// the one their names imply: deployment, settings[:user|project|local|managed], mcp,
    /// subagent, command or skill.
    #[arg(long, value_name = "KIND", value_parser = parse_kind)]
    pub kind: Option<crate::kinds::FileKind>,
    #[command(flatten)]
    pub output: OutputArgs,
    /// Lowest severity that makes the run fail (exit 1).
    #[arg(long, value_enum, default_value_t = FailOn::Warning)]
    pub fail_on: FailOn,
    #[command(flatten)]
    pub policy: PolicyArgs,
    /// Also check each effective session: every agent's settings layers merged, findings at the
    /// file and line they come from (`effective: true` in `.agentlint.yaml` does the same).
    #[arg(long)]
    pub effective: bool,
    #[command(flatten)]
    pub settings: SettingsFiles,
}

fn parse_kind(text: &str) -> Result<crate::kinds::FileKind, String> {
    crate::kinds::FileKind::parse(text)
}

#[derive(Debug, Args)]
pub struct OutputArgs {
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Human)]
    pub format: Format,
    /// When to use colour in human output (`NO_COLOR` is honoured with `auto`).
    #[arg(long, value_enum, default_value_t = ColorChoice::Auto)]
    pub color: ColorChoice,
    /// Print findings only: no summary line or notes.
    #[arg(short, long)]
    pub quiet: bool,
    /// Write the report to FILE instead of standard output (the summary line still goes to standard error).
    #[arg(short = 'o', long = "output", value_name = "FILE")]
    pub output_file: Option<std::path::PathBuf>,
}

/// `agentlint args`: the config must pass the check before any argument is printed.
#[derive(Debug, Args)]
pub struct LaunchArgs {
    /// The deployment config.
    #[arg(value_name = "FILE")]
    pub file: String,
    /// The agent to launch, in a file with several agents.
    #[arg(long, value_name = "NAME")]
    pub agent: Option<String>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = LaunchFormat::Shell)]
    pub format: LaunchFormat,
    /// The `claude` executable written as argv[0] (a name on PATH or a path).
    #[arg(long, value_name = "PATH_OR_NAME", default_value = "claude")]
    pub claude: String,
    /// Lowest severity that blocks the arguments (exit 1).
    #[arg(long, value_enum, default_value_t = FailOn::Error)]
    pub fail_on: FailOn,
    #[command(flatten)]
    pub policy: PolicyArgs,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum LaunchFormat {
    /// One POSIX-quoted line.
    Shell,
    /// `{"argv": […], "cwd": …, "env": {"pass": […], "set": {…}, "from": {…}}}`.
    Json,
    /// argv elements each followed by a NUL byte, for `xargs -0`.
    Nul,
}

#[derive(Debug, Args)]
pub struct RulesArgs {
    /// Output format.
    #[arg(long, value_enum, default_value_t = ListFormat::Human)]
    pub format: ListFormat,
    #[command(flatten)]
    pub policy: PolicyArgs,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    /// Diagnostics with the source snippet, labels and a fix hint, then a summary line.
    Human,
    /// The versioned JSON report (the contract is in the README).
    Json,
    /// SARIF 2.1.0, for code scanning (GitHub, GitLab, Azure DevOps).
    Sarif,
    /// GitHub Actions workflow commands: annotations on the changed files.
    Github,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ListFormat {
    Human,
    Json,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum FailOn {
    Error,
    Warning,
    Note,
}

impl FailOn {
    pub fn severity(self) -> Severity {
        match self {
            FailOn::Error => Severity::Error,
            FailOn::Warning => Severity::Warning,
            FailOn::Note => Severity::Note,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ColorChoice {
    Auto,
    Always,
    Never,
}

impl ColorChoice {
    /// Colour only on a terminal, and never when `NO_COLOR` is set to a non-empty value.
    pub fn enabled(self, is_terminal: bool) -> bool {
        match self {
            ColorChoice::Always => true,
            ColorChoice::Never => false,
            ColorChoice::Auto => is_terminal && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty()),
        }
    }
}
