//! Launch arguments: one verified agent's options as the exact `claude` command line.
//!
//! [`launch_spec`] turns an [`Agent`] into a [`LaunchSpec`] (argv, working directory,
//! environment), refusing anything it cannot encode faithfully: a literal secret, a
//! permission rule the CLI's comma-separated form would split, a settings file path that
//! the sandbox would have to be merged into, a flag or value the chosen CLI release lacks. The
//! output formats live one per module: [`shell`] (POSIX-quoted words), [`json`] (the launcher
//! contract), [`nul`] (`xargs -0`). [`flags`] is the CLI's flag table and command-line reader.
//!
//! Every flag that takes a value is written as one `--flag=value` element, so a prompt
//! appended after the argv is never taken as a flag's value (variadic options such as
//! `--allowedTools` swallow following words in the two-element form).

mod encode;
pub mod extra;
pub mod flags;
pub mod json;
pub mod nul;
pub mod shell;

use std::fmt;

use indexmap::IndexMap;

use crate::config::Agent;

pub use encode::{settings_object, settings_path_conflict};

/// The program name written as `argv[0]` unless the caller chooses another.
pub const DEFAULT_PROGRAM: &str = "claude";

/// Everything a launcher needs to start the CLI for one agent.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LaunchSpec {
    /// `argv[0]` (the program) followed by the flags, in a fixed order; the caller appends the prompt.
    pub argv: Vec<String>,
    /// Working directory of the CLI process (`cwd` is not a flag).
    pub cwd: Option<String>,
    pub env: LaunchEnv,
    /// Options that have no command-line encoding, each with the reason, e.g.
    /// `tool_callback (SDK-side callback)`.
    pub not_expressible: Vec<String>,
}

/// The CLI process's environment, as far as the config decides it. Values of references are
/// never resolved here: the launcher copies them from its own environment.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct LaunchEnv {
    /// Variables the launcher passes through unchanged from its own environment.
    pub pass: Vec<String>,
    /// Literal, non-secret values.
    pub set: IndexMap<String, String>,
    /// Renamed references: the variable (key) takes the value of the launcher's variable (value),
    /// e.g. `env: {GITHUB_TOKEN: ${CI_GITHUB_TOKEN}}` gives `GITHUB_TOKEN` ← `CI_GITHUB_TOKEN`.
    pub from: IndexMap<String, String>,
}

impl LaunchEnv {
    pub fn is_empty(&self) -> bool {
        self.pass.is_empty() && self.set.is_empty() && self.from.is_empty()
    }
}

impl LaunchSpec {
    /// Replaces `argv[0]`, e.g. with the path of a `claude` executable or `cli.js`.
    pub fn with_program(mut self, program: &str) -> Self {
        match self.argv.first_mut() {
            Some(first) => *first = program.to_owned(),
            None => self.argv.push(program.to_owned()),
        }
        self
    }
}

/// Why an agent's options cannot be emitted as launch arguments: one message per problem,
/// each naming the option and what to write instead. Secrets appear only redacted.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LaunchError {
    pub problems: Vec<String>,
}

impl fmt::Display for LaunchError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, problem) in self.problems.iter().enumerate() {
            if i > 0 {
                f.write_str("\n")?;
            }
            f.write_str(problem)?;
        }
        Ok(())
    }
}

impl std::error::Error for LaunchError {}

/// The launch spec of one agent for the baseline CLI release ([`flags::BASELINE`]); `argv[0]` is
/// [`DEFAULT_PROGRAM`]. The options are taken as they are; run the linter first; this only
/// refuses what cannot be encoded faithfully or safely.
pub fn launch_spec(agent: &Agent) -> Result<LaunchSpec, LaunchError> {
    encode::encode(agent, flags::BASELINE)
}

/// The launch spec for a chosen CLI release: an option, value or `extra_args` flag that release
/// does not accept is refused, naming the release that introduced it.
pub fn launch_spec_for(agent: &Agent, version: flags::CliVersion) -> Result<LaunchSpec, LaunchError> {
    encode::encode(agent, version)
}
