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
    /// The `claude` CLI release to encode for (oldest supported: 2.1.76). An option, value or
    /// `extra_args` flag that release lacks is refused with the release that introduced it.
    #[arg(long, value_name = "X.Y.Z", default_value_t = crate::launch::flags::BASELINE, value_parser = parse_cli_version)]
    pub cli_version: crate::launch::flags::CliVersion,
    /// Lowest severity that blocks the arguments (exit 1), the same default as `check`.
    #[arg(long, value_enum, default_value_t = FailOn::Warning)]
    pub fail_on: FailOn,
    #[command(flatten)]
    pub policy: PolicyArgs,
}

/// `--cli-version`: a release agentlint supports (2.1.76 or later).
fn parse_cli_version(text: &str) -> Result<crate::launch::flags::CliVersion, String> {
    use crate::launch::flags::OLDEST_SUPPORTED;
    let version: crate::launch::flags::CliVersion = text.parse()?;
    if version < OLDEST_SUPPORTED {
        return Err(format!("agentlint supports CLI {OLDEST_SUPPORTED} and later"));
    }
    Ok(version)
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum LaunchFormat {
    /// POSIX-quoted words on one line (a value with a newline keeps it, inside quotes).
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
