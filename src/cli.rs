//! Command-line definitions (clap derive).

use clap::{ArgAction, Args, Parser, Subcommand, ValueEnum};

use crate::report::Severity;

/// Policy-as-code linter for Claude Code and Claude Agent SDK deployment configs.
#[derive(Debug, Parser)]
#[command(
    name = "agentlint",
    version,
    about,
    long_about = None,
    disable_version_flag = true,
    arg_required_else_help = true
)]
pub struct Cli {
    /// Print the version; with `-v`, also the commit it was built from and the Claude Code CLI
    /// release it is checked against.
    #[arg(short = 'V', long, action = ArgAction::SetTrue)]
    pub version: bool,
    /// With `--version`: print the detailed version.
    #[arg(short, long, requires = "version")]
    pub verbose: bool,
    #[command(subcommand)]
    pub command: Option<Command>,
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
    /// Print a shell completion script (e.g. `agentlint completions bash > ~/.local/share/bash-completion/completions/agentlint`).
    Completions {
        /// The shell to complete in.
        #[arg(value_enum)]
        shell: clap_complete::Shell,
    },
    /// Print the man page in roff (e.g. `agentlint man | man -l -`, or `agentlint man check`).
    Man {
        /// A command's own page (`agentlint-check(1)`) instead of `agentlint(1)`.
        #[arg(value_name = "COMMAND")]
        command: Option<String>,
    },
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
    /// Output format (`json` is a versioned contract: README "JSON output of `effective` and `can`").
    #[arg(short = 'f', long, visible_alias = "output-format", value_enum, default_value_t = ListFormat::Human)]
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
    #[arg(long, value_name = "PATH", conflicts_with = "no_config")]
    pub config: Option<String>,
    /// Ignore every `.agentlint.yaml`: the policy pack (`--policy`, or `production`) alone
    /// applies, with no project `rules`, `ignore`, `include` or `exclude`.
    #[arg(long, visible_alias = "isolated")]
    pub no_config: bool,
}

#[derive(Debug, Args)]
pub struct PoliciesArgs {
    /// Output format.
    #[arg(short = 'f', long, visible_alias = "output-format", value_enum, default_value_t = ListFormat::Human)]
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
    /// Exit 0 even when findings reach `--fail-on` (usage errors still exit 2).
    #[arg(long)]
    pub exit_zero: bool,
    #[command(flatten)]
    pub policy: PolicyArgs,
    /// Also check each effective session: every agent's settings layers merged, findings at the
    /// file and line they come from (`effective: true` in `.agentlint.yaml` does the same).
    #[arg(long)]
    pub effective: bool,
    #[command(flatten)]
    pub settings: SettingsFiles,
    #[command(flatten)]
    pub select: SelectArgs,
}

/// Rule selection on top of the policy, as ruff does it. Each takes rule ids (`AL104`), names
/// (`broad-tool-grant`), id prefixes (`AL1`, `AL10`) or `ALL`, separated by commas or repeated.
#[derive(Debug, Args, Default, Clone)]
pub struct SelectArgs {
    /// Run only these rules: ids (`AL104`), names (`broad-tool-grant`), id prefixes (`AL1`) or
    /// `ALL`, comma-separated or repeated. The policy's severities and parameters still apply;
    /// a rule the policy turns off runs, at its default severity, when named by id or name.
    #[arg(long, value_name = "RULES", value_delimiter = ',')]
    pub select: Option<Vec<String>>,
    /// Also run these rules (e.g. the opt-in AL109, by id or name).
    #[arg(long, value_name = "RULES", value_delimiter = ',')]
    pub extend_select: Vec<String>,
    /// Do not run these rules. The most specific selector wins (`--ignore AL1 --select AL104`
    /// keeps AL104); between equally specific ones, `--ignore` wins.
    #[arg(long, value_name = "RULES", value_delimiter = ',')]
    pub ignore: Vec<String>,
}

fn parse_kind(text: &str) -> Result<crate::kinds::FileKind, String> {
    crate::kinds::FileKind::parse(text)
}

#[derive(Debug, Args)]
pub struct OutputArgs {
    /// Output format.
    #[arg(short = 'f', long, visible_alias = "output-format", value_enum, default_value_t = Format::Human)]
    pub format: Format,
    /// When to use colour in human output. With `auto`, `NO_COLOR` turns it off, and
    /// `FORCE_COLOR` or `CLICOLOR_FORCE` turn it on when not writing to a terminal.
    #[arg(long, value_enum, default_value_t = ColorChoice::Auto)]
    pub color: ColorChoice,
    /// Print counts of findings by rule instead of the findings (human, concise or json).
    #[arg(long)]
    pub statistics: bool,
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
    /// Output format (the JSON fields are described in the README).
    #[arg(short = 'f', long, visible_alias = "output-format", value_enum, default_value_t = ListFormat::Human)]
    pub format: ListFormat,
    #[command(flatten)]
    pub policy: PolicyArgs,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    /// Diagnostics with the source snippet, labels and a fix hint, then a summary line.
    Human,
    /// One line per finding: `path:line:column: AL104 message`, then a summary line.
    Concise,
    /// The versioned JSON report (the contract is in the README).
    Json,
    /// SARIF 2.1.0, for code scanning (GitHub, GitLab, Azure DevOps).
    Sarif,
    /// GitHub Actions workflow commands: annotations on the changed files.
    Github,
    /// GitLab Code Quality report (`artifacts:reports:codequality`).
    Gitlab,
}

impl Format {
    /// Formats for people: the summary line follows the findings on standard output.
    pub fn for_people(self) -> bool {
        matches!(self, Format::Human | Format::Concise)
    }
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
    /// Whether to colour output going to a terminal (`is_terminal`) or not, given the environment.
    pub fn enabled(self, is_terminal: bool) -> bool {
        self.enabled_with(is_terminal, |name| std::env::var_os(name).map(|v| v.to_string_lossy().into_owned()))
    }

    /// `always` and `never` decide alone. With `auto`: `NO_COLOR` (not empty) turns colour off
    /// (<https://no-color.org>); otherwise `CLICOLOR_FORCE` (not empty or `0`) or `FORCE_COLOR`
    /// (not empty, `0` or `false`; <https://force-color.org>) turn it on; otherwise colour
    /// only on a terminal.
    pub fn enabled_with(self, is_terminal: bool, env: impl Fn(&str) -> Option<String>) -> bool {
        let set = |name: &str, off: &[&str]| env(name).is_some_and(|v| !v.is_empty() && !off.contains(&v.as_str()));
        match self {
            ColorChoice::Always => true,
            ColorChoice::Never => false,
            ColorChoice::Auto if set("NO_COLOR", &[]) => false,
            ColorChoice::Auto if set("CLICOLOR_FORCE", &["0"]) || set("FORCE_COLOR", &["0", "false"]) => true,
            ColorChoice::Auto => is_terminal,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::ColorChoice;

    fn auto(terminal: bool, vars: &[(&str, &str)]) -> bool {
        ColorChoice::Auto
            .enabled_with(terminal, |name| vars.iter().find(|(k, _)| *k == name).map(|(_, v)| (*v).to_owned()))
    }

    #[test]
    fn colour_from_the_environment() {
        assert!(auto(true, &[]));
        assert!(!auto(false, &[]));
        assert!(!auto(true, &[("NO_COLOR", "1")]));
        assert!(auto(true, &[("NO_COLOR", "")]), "an empty NO_COLOR is unset");
        assert!(auto(false, &[("FORCE_COLOR", "1")]));
        assert!(auto(false, &[("FORCE_COLOR", "true")]));
        assert!(!auto(false, &[("FORCE_COLOR", "0")]));
        assert!(!auto(false, &[("FORCE_COLOR", "false")]));
        assert!(!auto(false, &[("FORCE_COLOR", "")]));
        assert!(auto(false, &[("CLICOLOR_FORCE", "1")]));
        assert!(!auto(false, &[("CLICOLOR_FORCE", "0")]));
        assert!(!auto(false, &[("CLICOLOR_FORCE", "1"), ("NO_COLOR", "1")]), "NO_COLOR wins");
        assert!(!auto(true, &[("FORCE_COLOR", "1"), ("NO_COLOR", "1")]));
        let with = |choice: ColorChoice| choice.enabled_with(false, |_| Some("1".to_owned()));
        assert!(with(ColorChoice::Always));
        assert!(!with(ColorChoice::Never));
    }
}
