//! The `claude` CLI's command-line flags, as data: every flag of the main command in the oldest
//! supported release ([`OLDEST_SUPPORTED`], 2.1.76) and in the tested baseline ([`BASELINE`],
//! 2.1.332), hidden ones included, with their aliases, arity, the release that has them, whether
//! they work only with `--print`, the typed deployment option that encodes them, and a risk class.
//!
//! The table was read from both releases (their `--help`, and the option definitions inside the
//! shipped program, which also hold the hidden flags) and checked against the reference's flag list.
//! [`parse`] reads a `claude` argv the way the CLI's option parser (Commander.js) does, so the same
//! table serves the emitter (`extra_args` checks), the rules, and readers of command lines found in
//! scripts and CI workflows.
//!
//! Risk classes ([`Risk`]): `WidensPermissions` = lets the agent do more than the typed options say
//! (more tools, directories, settings, plugins, MCP servers, remote control, skipped hooks);
//! `ChangesReporting` = changes where the session's data, logs or telemetry go (debug logs, remote
//! endpoints, cloud sessions, analytics tags); `ReadsFiles` = brings content from files or URLs
//! into the session (prompt files, downloads); `Harmless` = none of these (display, output format,
//! flags that only narrow what the agent may do).

use std::fmt;
use std::ops::Range;
use std::str::FromStr;

/// A `claude` CLI release, `MAJOR.MINOR.PATCH`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct CliVersion {
    pub major: u32,
    pub minor: u32,
    pub patch: u32,
}

impl CliVersion {
    pub const fn new(major: u32, minor: u32, patch: u32) -> Self {
        Self { major, minor, patch }
    }
}

/// The oldest release agentlint supports (the reference's baseline).
pub const OLDEST_SUPPORTED: CliVersion = CliVersion::new(2, 1, 76);
/// The release agentlint is tested against by default, and the default of `--cli-version`.
pub const BASELINE: CliVersion = CliVersion::new(2, 1, 332);

impl fmt::Display for CliVersion {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}.{}.{}", self.major, self.minor, self.patch)
    }
}

impl FromStr for CliVersion {
    type Err = String;

    /// `2.1.332`; a leading `v` and a suffix such as ` (Claude Code)` (what `claude --version`
    /// prints) are accepted.
    fn from_str(text: &str) -> Result<Self, String> {
        let trimmed = text.trim();
        let core = trimmed.strip_prefix('v').unwrap_or(trimmed);
        let core = core.split_whitespace().next().unwrap_or_default();
        let parts: Vec<&str> = core.split('.').collect();
        let number = |s: &str| s.parse::<u32>().ok().filter(|_| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit()));
        match parts.as_slice() {
            [a, b, c] => match (number(a), number(b), number(c)) {
                (Some(major), Some(minor), Some(patch)) => Ok(Self { major, minor, patch }),
                _ => Err(format!("`{text}` is not a version (expected MAJOR.MINOR.PATCH, e.g. `{BASELINE}`)")),
            },
            _ => Err(format!("`{text}` is not a version (expected MAJOR.MINOR.PATCH, e.g. `{BASELINE}`)")),
        }
    }
}

/// How many values a flag takes (Commander.js: `--flag`, `--flag <x>`, `--flag [x]`, `--flag <x...>`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Arity {
    /// No value; `--flag=x` is an unknown option to the CLI.
    Switch,
    /// One value: `--flag=x`, or `--flag x` (the next word, even one starting with `-`).
    Required,
    /// An optional value: `--flag=x`, or `--flag x` when `x` does not start with `-`.
    Optional,
    /// One or more values: `--flag=x` (exactly one), or `--flag x y …`, which takes every
    /// following word up to the next one starting with `-` (a prompt after it included).
    Variadic,
}

impl Arity {
    pub fn takes_value(self) -> bool {
        !matches!(self, Arity::Switch)
    }
}

/// Since which release a flag (or a value of it) exists.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Since {
    /// Present in [`OLDEST_SUPPORTED`], so in every supported release.
    Oldest,
    /// Added in this release (documented).
    Version(CliVersion),
    /// Added after [`OLDEST_SUPPORTED`]; the exact release is not known, this is the first one it
    /// was verified in (a release, or the documentation of one). Earlier releases are treated as
    /// not having it.
    VerifiedIn(CliVersion),
}

impl Since {
    pub fn version(self) -> CliVersion {
        match self {
            Since::Oldest => OLDEST_SUPPORTED,
            Since::Version(v) | Since::VerifiedIn(v) => v,
        }
    }

    /// For messages: `2.1.200`, or `a release after 2.1.76 (verified in 2.1.332)`.
    pub fn describe(self) -> String {
        match self {
            Since::Oldest => format!("{OLDEST_SUPPORTED} or earlier"),
            Since::Version(v) => v.to_string(),
            Since::VerifiedIn(v) => format!("a release after {OLDEST_SUPPORTED} (verified in {v})"),
        }
    }
}

/// What using a flag can change about the agent (see the module documentation).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Risk {
    Harmless,
    ReadsFiles,
    ChangesReporting,
    WidensPermissions,
}

impl Risk {
    pub fn as_str(self) -> &'static str {
        match self {
            Risk::Harmless => "harmless",
            Risk::ReadsFiles => "reads files",
            Risk::ChangesReporting => "changes reporting",
            Risk::WidensPermissions => "widens permissions",
        }
    }
}

/// One accepted value of a flag with a fixed set of choices.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Choice {
    pub value: &'static str,
    pub since: Since,
    /// The release that no longer accepts it (first verified without it), if any.
    pub removed: Option<CliVersion>,
}

/// One flag of the `claude` main command.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Flag {
    /// The primary long name, without `--` (`allowedTools`).
    pub name: &'static str,
    /// Other long names of the same flag, without `--` (`allowed-tools`).
    pub aliases: &'static [&'static str],
    /// The short form, without `-` (`p` for `-p`; `d2e` for `-d2e`).
    pub short: Option<&'static str>,
    pub arity: Arity,
    pub since: Since,
    /// The first release verified not to have it any more.
    pub removed: Option<CliVersion>,
    /// Not listed by `claude --help` (of the newest release that has it).
    pub hidden: bool,
    /// Deprecated in favour of what this names.
    pub deprecated: Option<&'static str>,
    /// The CLI says it works only together with `-p`/`--print`.
    pub print_only: bool,
    /// The typed deployment options `agentlint args` encodes as this flag (empty when none).
    pub options: &'static [&'static str],
    pub risk: Risk,
    /// The values a flag with a fixed set accepts (empty: any value).
    pub choices: &'static [Choice],
    /// What it does, in a few words.
    pub summary: &'static str,
}

impl Flag {
    /// Whether `version` has this flag (versions between [`Since::VerifiedIn`]'s bound and
    /// [`OLDEST_SUPPORTED`] count as not having it).
    pub fn known_in(&self, version: CliVersion) -> bool {
        self.since.version() <= version && self.removed.is_none_or(|r| version < r)
    }

    /// `--name`.
    pub fn long(&self) -> String {
        format!("--{}", self.name)
    }

    /// Every spelling the CLI accepts: `--name`, `--alias…`, `-s`.
    pub fn spellings(&self) -> Vec<String> {
        let mut out = vec![self.long()];
        out.extend(self.aliases.iter().map(|a| format!("--{a}")));
        out.extend(self.short.iter().map(|s| format!("-{s}")));
        out
    }

    /// Whether this long name (without `--`) is the flag's name or one of its aliases.
    pub fn is_named(&self, name: &str) -> bool {
        self.name == name || self.aliases.contains(&name)
    }

    /// For a flag with fixed choices: the choice `value` (`None` when the flag takes any value
    /// or does not list this one).
    pub fn choice(&self, value: &str) -> Option<&'static Choice> {
        self.choices.iter().find(|c| c.value == value)
    }

    /// The choices `version` accepts.
    pub fn choices_in(&self, version: CliVersion) -> Vec<&'static str> {
        self.choices
            .iter()
            .filter(|c| c.since.version() <= version && c.removed.is_none_or(|r| version < r))
            .map(|c| c.value)
            .collect()
    }
}

const fn v(minor: u32, patch: u32) -> CliVersion {
    CliVersion::new(2, minor, patch)
}

/// Added after 2.1.76, present in the 2.1.332 release.
const IN_332: Since = Since::VerifiedIn(BASELINE);
/// Added after 2.1.76, listed by the CLI reference documentation of release 2.1.239.
const IN_DOCS_239: Since = Since::VerifiedIn(v(1, 239));

const fn choice(value: &'static str) -> Choice {
    Choice { value, since: Since::Oldest, removed: None }
}

const fn choice_since(value: &'static str, since: Since) -> Choice {
    Choice { value, since, removed: None }
}

/// A flag with every field at its most common value; rows override what differs.
const BASE: Flag = Flag {
    name: "",
    aliases: &[],
    short: None,
    arity: Arity::Switch,
    since: Since::Oldest,
    removed: None,
    hidden: false,
    deprecated: None,
    print_only: false,
    options: &[],
    risk: Risk::Harmless,
    choices: &[],
    summary: "",
};

use Arity::{Optional, Required, Variadic};
use Risk::{ChangesReporting, ReadsFiles, WidensPermissions};

/// Every flag, sorted by primary name (case-insensitively).
#[rustfmt::skip]
static FLAGS: &[Flag] = &[
    Flag { name: "add-dir", arity: Variadic, options: &["add_dir"], risk: WidensPermissions, summary: "more directories the tools may access", ..BASE },
    Flag { name: "advisor", arity: Required, since: IN_DOCS_239, hidden: true, summary: "turns on the advisor tool with a model", ..BASE },
    Flag { name: "agent", arity: Required, options: &["agent"], risk: WidensPermissions, summary: "the agent the session runs as", ..BASE },
    Flag { name: "agent-color", arity: Required, hidden: true, summary: "teammate colour (agent teams)", ..BASE },
    Flag { name: "agent-id", arity: Required, hidden: true, summary: "teammate id (agent teams)", ..BASE },
    Flag { name: "agent-name", arity: Required, hidden: true, summary: "teammate display name (agent teams)", ..BASE },
    Flag { name: "agent-type", arity: Required, hidden: true, summary: "custom teammate agent type (agent teams)", ..BASE },
    Flag { name: "agents", arity: Required, options: &["agents"], risk: WidensPermissions, summary: "subagent definitions as JSON (2.1.332: or, with --print, a file holding them)", ..BASE },
    Flag { name: "allow-dangerously-skip-permissions", options: &["allow_dangerously_skip_permissions"], risk: WidensPermissions, summary: "makes bypass-permissions mode reachable during the session", ..BASE },
    Flag { name: "allow-other-models", since: IN_332, hidden: true, summary: "with --client-data-url, starts on a model the document lacks", ..BASE },
    Flag { name: "allowedTools", aliases: &["allowed-tools"], arity: Variadic, options: &["allowed_tools"], risk: WidensPermissions, summary: "permission rules approved without a prompt", ..BASE },
    Flag { name: "append-subagent-system-prompt", arity: Required, since: Since::Version(v(1, 205)), hidden: true, print_only: true, summary: "text appended to every subagent's system prompt", ..BASE },
    Flag { name: "append-subagent-system-prompt-file", arity: Required, since: IN_332, hidden: true, print_only: true, risk: ReadsFiles, summary: "a file appended to every subagent's system prompt", ..BASE },
    Flag { name: "append-system-prompt", arity: Required, options: &["append_system_prompt", "system_prompt"], summary: "text appended to the system prompt", ..BASE },
    Flag { name: "append-system-prompt-file", arity: Required, hidden: true, risk: ReadsFiles, summary: "a file appended to the system prompt", ..BASE },
    Flag { name: "attach-serve", arity: Required, since: IN_332, hidden: true, risk: ChangesReporting, summary: "attaches a serve-only helper to a cloud session", ..BASE },
    Flag { name: "autocompact", arity: Required, since: Since::Version(v(1, 221)), summary: "auto-compact window size", ..BASE },
    Flag { name: "await-claim", since: IN_332, hidden: true, summary: "starts as a pre-warmed spare for an SDK host", ..BASE },
    Flag { name: "await-initialize", since: IN_332, hidden: true, summary: "reads launch options from the SDK's initialize request", ..BASE },
    Flag { name: "ax-screen-reader", since: IN_DOCS_239, summary: "screen-reader friendly output", ..BASE },
    Flag { name: "bare", since: IN_DOCS_239, risk: WidensPermissions, summary: "minimal mode: skips settings and plugin hooks, CLAUDE.md discovery and more", ..BASE },
    Flag { name: "betas", arity: Variadic, options: &["betas"], summary: "beta headers for API requests", ..BASE },
    Flag { name: "bg", aliases: &["background"], since: IN_DOCS_239, summary: "starts the session in the background", ..BASE },
    Flag { name: "brief", summary: "turns on the SendUserMessage tool", ..BASE },
    Flag { name: "channels", arity: Variadic, since: IN_DOCS_239, hidden: true, risk: WidensPermissions, summary: "MCP servers whose channel notifications reach the session", ..BASE },
    Flag { name: "chrome", risk: WidensPermissions, summary: "turns on Claude in Chrome", ..BASE },
    Flag { name: "client-data-url", arity: Required, since: IN_332, hidden: true, risk: ReadsFiles, summary: "URL of a signed configuration document", ..BASE },
    Flag { name: "cloud", arity: Optional, since: IN_DOCS_239, risk: ChangesReporting, summary: "creates or attaches to a cloud session", ..BASE },
    Flag { name: "continue", short: Some("c"), options: &["continue"], summary: "continues the most recent conversation in the directory", ..BASE },
    Flag { name: "correlation-id", arity: Required, since: IN_332, hidden: true, risk: ChangesReporting, summary: "id echoed to the environment orchestrator", ..BASE },
    Flag { name: "dangerously-load-development-channels", arity: Variadic, since: IN_DOCS_239, hidden: true, risk: WidensPermissions, summary: "loads channel servers that are not on the allowlist", ..BASE },
    Flag { name: "dangerously-skip-permissions", options: &["dangerously_skip_permissions"], risk: WidensPermissions, summary: "skips every permission check (bypassPermissions)", ..BASE },
    Flag { name: "debug", short: Some("d"), arity: Optional, risk: ChangesReporting, summary: "debug mode, with an optional category filter", ..BASE },
    Flag { name: "debug-file", arity: Required, risk: ChangesReporting, summary: "writes debug logs to a file", ..BASE },
    Flag { name: "debug-to-stderr", short: Some("d2e"), hidden: true, risk: ChangesReporting, summary: "debug mode, to standard error (deprecated in 2.1.332)", ..BASE },
    Flag { name: "deep-link-cwd-b64", arity: Required, since: IN_332, hidden: true, summary: "deep-link launch: working directory", ..BASE },
    Flag { name: "deep-link-last-fetch", arity: Required, since: IN_332, hidden: true, summary: "deep-link launch: FETCH_HEAD time", ..BASE },
    Flag { name: "deep-link-origin", hidden: true, summary: "marks a session launched from a deep link", ..BASE },
    Flag { name: "deep-link-repo", arity: Required, since: IN_332, hidden: true, summary: "deep-link launch: repository slug", ..BASE },
    Flag { name: "desktop", since: IN_332, summary: "opens the session in the desktop app", ..BASE },
    Flag { name: "disable-slash-commands", options: &["disable_slash_commands"], summary: "turns off skills and slash commands", ..BASE },
    Flag { name: "disallowedTools", aliases: &["disallowed-tools"], arity: Variadic, options: &["disallowed_tools"], summary: "permission rules that are always denied", ..BASE },
    Flag {
        name: "effort",
        arity: Required,
        options: &["effort"],
        choices: &[choice("low"), choice("medium"), choice("high"), choice("max"), choice_since("xhigh", IN_332)],
        summary: "effort level",
        ..BASE
    },
    Flag { name: "enable-auth-status", hidden: true, summary: "auth status messages in SDK mode", ..BASE },
    Flag { name: "enable-auto-mode", hidden: true, deprecated: Some("`--permission-mode auto`"), risk: WidensPermissions, summary: "opts in to auto mode", ..BASE },
    Flag { name: "environment", arity: Required, since: Since::Version(v(1, 224)), risk: ChangesReporting, summary: "runs a new cloud session on a self-hosted environment", ..BASE },
    Flag { name: "exclude-dynamic-system-prompt-sections", since: IN_DOCS_239, hidden: true, summary: "moves per-machine prompt sections into the first message", ..BASE },
    Flag { name: "fallback-model", arity: Required, print_only: true, options: &["fallback_model"], summary: "model(s) used when the main model is busy", ..BASE },
    Flag { name: "file", arity: Variadic, risk: ReadsFiles, summary: "files downloaded into the working directory at start", ..BASE },
    Flag { name: "fork-session", options: &["fork_session"], summary: "resumes into a new session ID", ..BASE },
    Flag { name: "forward-home-settings", arity: Required, since: IN_332, hidden: true, risk: ChangesReporting, choices: &[choice("true"), choice("false"), choice("1"), choice("0")], summary: "whether a cloud launch sends this machine's settings", ..BASE },
    Flag { name: "forward-subagent-text", since: IN_DOCS_239, print_only: true, summary: "forwards subagent text blocks on the output stream", ..BASE },
    Flag { name: "from-pr", arity: Optional, risk: ReadsFiles, summary: "resumes a session linked to a pull request", ..BASE },
    Flag { name: "help", short: Some("h"), summary: "prints help and exits", ..BASE },
    Flag { name: "hold-repository-while-parked", since: IN_332, hidden: true, summary: "SDK spare: keeps the checkout's configuration", ..BASE },
    Flag { name: "host-auth-is-org-sign-in", since: IN_332, hidden: true, summary: "desktop hosts: the auth token is an organization sign-in", ..BASE },
    Flag { name: "ide", risk: WidensPermissions, summary: "connects to an IDE at start", ..BASE },
    Flag { name: "include-hook-events", since: IN_DOCS_239, summary: "hook events on the stream-json output", ..BASE },
    Flag { name: "include-partial-messages", print_only: true, options: &["include_partial_messages"], summary: "partial message chunks on the stream-json output", ..BASE },
    Flag { name: "include-unsupported-models", since: IN_332, hidden: true, summary: "offers models this release does not know", ..BASE },
    Flag { name: "inherit-permission-mode", arity: Required, since: IN_332, hidden: true, risk: WidensPermissions, summary: "permission mode carried from a parent session", ..BASE },
    Flag { name: "init", hidden: true, summary: "runs Setup hooks (init), then continues", ..BASE },
    Flag { name: "init-only", hidden: true, summary: "runs Setup and SessionStart hooks, then exits", ..BASE },
    Flag { name: "initialize-fields", arity: Required, since: IN_332, hidden: true, summary: "reads these options from the initialize request", ..BASE },
    Flag { name: "input-format", arity: Required, print_only: true, choices: &[choice("text"), choice("stream-json")], summary: "input format", ..BASE },
    Flag { name: "json-schema", arity: Required, print_only: true, options: &["output_format"], summary: "JSON Schema for structured output", ..BASE },
    Flag { name: "lead-verify-key", arity: Required, since: IN_332, hidden: true, summary: "agent teams: key that checks the lead's messages", ..BASE },
    Flag { name: "maintenance", hidden: true, summary: "runs Setup hooks (maintenance), then continues", ..BASE },
    Flag { name: "managed-settings", arity: Required, since: IN_332, hidden: true, risk: WidensPermissions, summary: "policy-tier settings from a parent process", ..BASE },
    Flag { name: "managed-settings-in-initialize", since: IN_332, hidden: true, risk: WidensPermissions, summary: "reads policy-tier settings from the initialize request", ..BASE },
    Flag { name: "max-budget-usd", arity: Required, print_only: true, options: &["max_budget_usd"], summary: "spending cap in US dollars", ..BASE },
    Flag { name: "max-thinking-tokens", arity: Required, hidden: true, deprecated: Some("`--thinking`"), print_only: true, options: &["max_thinking_tokens", "thinking"], summary: "thinking token budget", ..BASE },
    Flag { name: "max-turns", arity: Required, hidden: true, print_only: true, options: &["max_turns"], summary: "turn limit", ..BASE },
    Flag { name: "mcp-config", arity: Variadic, options: &["mcp_servers", "mcp_config"], risk: WidensPermissions, summary: "MCP servers from JSON files or strings", ..BASE },
    Flag { name: "mcp-debug", removed: Some(BASELINE), deprecated: Some("`--debug`"), risk: ChangesReporting, summary: "MCP debug mode", ..BASE },
    Flag { name: "messaging-socket-path", arity: Required, since: IN_332, hidden: true, risk: ChangesReporting, summary: "cross-session messaging socket", ..BASE },
    Flag { name: "metadata", arity: Required, since: IN_332, hidden: true, risk: ChangesReporting, summary: "labels for a self-hosted environment's session", ..BASE },
    Flag { name: "model", arity: Required, options: &["model"], summary: "the session's model", ..BASE },
    Flag { name: "name", short: Some("n"), arity: Required, summary: "display name of the session", ..BASE },
    Flag { name: "no-chrome", summary: "turns off Claude in Chrome", ..BASE },
    Flag { name: "no-session-persistence", print_only: true, options: &["no_session_persistence", "persist_session"], summary: "keeps the session off disk", ..BASE },
    Flag { name: "on-branch", arity: Required, since: IN_332, hidden: true, risk: ChangesReporting, summary: "cloud session: works on and pushes to a branch", ..BASE },
    Flag { name: "output-format", arity: Required, print_only: true, choices: &[choice("text"), choice("json"), choice("stream-json")], summary: "output format", ..BASE },
    Flag { name: "parent-session-id", arity: Required, hidden: true, risk: ChangesReporting, summary: "parent session id for analytics", ..BASE },
    Flag { name: "permission-mode", arity: Required, options: &["permission_mode"], risk: WidensPermissions, choices: &[choice("acceptEdits"), choice("auto"), choice("bypassPermissions"), choice("default"), choice("dontAsk"), choice("plan"), choice_since("manual", Since::Version(v(1, 200)))], summary: "permission mode", ..BASE },
    Flag { name: "permission-prompt-tool", arity: Required, hidden: true, print_only: true, options: &["permission_prompt_tool", "tool_callback"], risk: WidensPermissions, summary: "MCP tool that answers permission prompts", ..BASE },
    Flag { name: "permission-prompts", arity: Required, since: IN_332, choices: &[choice("host"), choice("none")], summary: "who answers permission prompts in print mode", ..BASE },
    Flag { name: "plan-mode-instructions", arity: Required, since: IN_332, hidden: true, summary: "custom plan-mode workflow text", ..BASE },
    Flag { name: "plan-mode-required", hidden: true, summary: "agent teams: plan mode before implementation", ..BASE },
    Flag { name: "plugin-dir", arity: Required, options: &["plugins"], risk: WidensPermissions, summary: "loads a plugin from a directory (repeatable)", ..BASE },
    Flag { name: "plugin-dir-no-mcp", arity: Required, since: IN_332, hidden: true, risk: WidensPermissions, summary: "like --plugin-dir without the plugin's MCP servers", ..BASE },
    Flag { name: "plugin-url", arity: Required, since: IN_DOCS_239, risk: WidensPermissions, summary: "fetches a plugin archive from a URL", ..BASE },
    Flag { name: "pool", arity: Required, since: IN_332, hidden: true, deprecated: Some("`--environment`"), risk: ChangesReporting, summary: "alias of --environment", ..BASE },
    Flag { name: "prefill", arity: Required, hidden: true, summary: "pre-fills the prompt input", ..BASE },
    Flag { name: "prefill-b64", arity: Required, since: IN_332, hidden: true, summary: "pre-fills the prompt input (base64url)", ..BASE },
    Flag { name: "print", short: Some("p"), summary: "prints the response and exits (non-interactive)", ..BASE },
    Flag { name: "proactivity", arity: Required, since: IN_332, hidden: true, choices: &[choice("ask"), choice("default"), choice("proactive")], summary: "how proactive the agent is", ..BASE },
    Flag { name: "project-config-root", arity: Required, since: IN_332, hidden: true, risk: WidensPermissions, summary: "reads project settings and .claude trees from another directory", ..BASE },
    Flag { name: "prompt-suggestions", arity: Optional, since: IN_DOCS_239, choices: &[choice("true"), choice("false"), choice("1"), choice("0"), choice("yes"), choice("no"), choice("on"), choice("off")], summary: "predicted next prompts", ..BASE },
    Flag { name: "rc", arity: Optional, hidden: true, risk: WidensPermissions, summary: "alias of --remote-control", ..BASE },
    Flag { name: "ref", arity: Required, since: IN_DOCS_239, hidden: true, risk: ChangesReporting, summary: "branch, tag or SHA for a cloud session", ..BASE },
    Flag { name: "remote", arity: Optional, hidden: true, deprecated: Some("`--cloud`"), risk: ChangesReporting, summary: "creates a remote (cloud) session", ..BASE },
    Flag { name: "remote-control", arity: Optional, risk: WidensPermissions, summary: "starts a session that can be controlled remotely", ..BASE },
    Flag { name: "remote-control-session-name-prefix", arity: Required, since: IN_DOCS_239, summary: "prefix of Remote Control session names", ..BASE },
    Flag { name: "replay-user-messages", summary: "re-emits user messages on the output stream", ..BASE },
    Flag { name: "reply-on-resume", since: IN_332, hidden: true, summary: "queries at once when a resumed transcript ends in a user message", ..BASE },
    Flag { name: "restricted", since: IN_332, summary: "removes command-running tools and ignores settings files", ..BASE },
    Flag { name: "resume", short: Some("r"), arity: Optional, options: &["resume"], summary: "resumes a session by ID (2.1.332: or title)", ..BASE },
    Flag { name: "resume-drops-turn", arity: Required, since: IN_332, hidden: true, summary: "declares the turn a truncating resume discards", ..BASE },
    Flag { name: "resume-session-at", arity: Required, hidden: true, summary: "resumes up to a message", ..BASE },
    Flag { name: "rewind-files", arity: Required, hidden: true, risk: WidensPermissions, summary: "restores files to a message's state and exits", ..BASE },
    Flag { name: "safe-mode", since: IN_DOCS_239, risk: ChangesReporting, summary: "starts with customizations, hooks and MCP servers turned off", ..BASE },
    Flag { name: "sdk-url", arity: Required, hidden: true, print_only: true, risk: ChangesReporting, summary: "streams the session's SDK I/O to a remote WebSocket", ..BASE },
    Flag { name: "session-began-as-copy", arity: Required, since: IN_332, hidden: true, summary: "server-set resume hint", ..BASE },
    Flag { name: "session-id", arity: Required, options: &["session_id"], summary: "the session's ID (a UUID)", ..BASE },
    Flag { name: "session-mirror", since: IN_332, hidden: true, risk: ChangesReporting, summary: "emits transcript mirror frames for an SDK session store", ..BASE },
    Flag { name: "setting-sources", arity: Required, options: &["setting_sources"], risk: WidensPermissions, summary: "which settings files load", ..BASE },
    Flag { name: "settings", arity: Required, options: &["settings", "sandbox", "hooks"], risk: WidensPermissions, summary: "settings file or JSON", ..BASE },
    Flag { name: "strict-mcp-config", options: &["strict_mcp_config"], summary: "only the MCP servers of --mcp-config", ..BASE },
    Flag { name: "system-prompt", arity: Required, options: &["system_prompt"], summary: "the system prompt", ..BASE },
    Flag { name: "system-prompt-file", arity: Required, hidden: true, risk: ReadsFiles, summary: "reads the system prompt from a file", ..BASE },
    Flag { name: "system-prompt-snapshot", arity: Required, since: IN_332, choices: &[choice("on"), choice("off")], summary: "records the system prompt once per conversation", ..BASE },
    Flag { name: "task-budget", arity: Required, since: IN_332, hidden: true, summary: "API-side task budget in tokens", ..BASE },
    Flag { name: "team-name", arity: Required, hidden: true, summary: "agent teams: team name", ..BASE },
    Flag { name: "teammate-mode", arity: Required, hidden: true, choices: &[choice("auto"), choice("tmux"), choice("in-process"), choice_since("iterm2", IN_332)], summary: "how teammates run", ..BASE },
    Flag { name: "teleport", arity: Optional, risk: ChangesReporting, summary: "resumes a teleport session", ..BASE },
    Flag { name: "thinking", arity: Required, hidden: true, options: &["thinking"], choices: &[choice("enabled"), choice("adaptive"), choice("disabled")], summary: "thinking mode", ..BASE },
    Flag { name: "thinking-display", arity: Required, since: IN_332, hidden: true, choices: &[choice("summarized"), choice("omitted"), choice("highlights")], summary: "how thinking appears in responses", ..BASE },
    Flag { name: "tmux", summary: "a tmux session for the worktree", ..BASE },
    Flag { name: "tools", arity: Variadic, options: &["tools"], risk: WidensPermissions, summary: "which built-in tools exist", ..BASE },
    Flag { name: "verbose", summary: "verbose output", ..BASE },
    Flag { name: "version", short: Some("v"), summary: "prints the version and exits", ..BASE },
    Flag { name: "watch-artifact", arity: Required, since: IN_332, hidden: true, risk: ReadsFiles, summary: "follows a Claude artifact's new versions and comments", ..BASE },
    Flag { name: "workload", arity: Required, hidden: true, print_only: true, risk: ChangesReporting, summary: "workload tag for billing attribution", ..BASE },
    Flag { name: "worktree", short: Some("w"), arity: Optional, summary: "creates a git worktree for the session", ..BASE },
];

/// Subcommands of the main command: a first operand with one of these names is a subcommand,
/// not a prompt (`claude --print -- agents` still runs `agents`).
pub static SUBCOMMANDS: &[(&str, Since)] = &[
    ("agents", Since::Oldest),
    ("attach", IN_332),
    ("auth", Since::Oldest),
    ("auto-mode", IN_332),
    ("doctor", Since::Oldest),
    ("gateway", IN_332),
    ("import", IN_332),
    ("install", Since::Oldest),
    ("kill", IN_332),
    ("logs", IN_332),
    ("mcp", Since::Oldest),
    ("plugin", Since::Oldest),
    ("plugins", Since::Oldest),
    ("purge", IN_332),
    ("respawn", IN_332),
    ("rm", IN_332),
    ("setup-token", Since::Oldest),
    ("stop", IN_332),
    ("ultrareview", IN_332),
    ("update", Since::Oldest),
    ("upgrade", Since::Oldest),
];

/// Every flag of every supported release, sorted by name.
pub fn all() -> &'static [Flag] {
    FLAGS
}

/// The flags `version` has.
pub fn in_version(version: CliVersion) -> impl Iterator<Item = &'static Flag> {
    FLAGS.iter().filter(move |f| f.known_in(version))
}

/// A flag by long name or alias, without the leading `--` (`allowed-tools`).
pub fn find_long(name: &str) -> Option<&'static Flag> {
    FLAGS.iter().find(|f| f.is_named(name))
}

/// A flag by its short form, without the leading `-` (`p`, `d2e`).
pub fn find_short(short: &str) -> Option<&'static Flag> {
    FLAGS.iter().find(|f| f.short == Some(short))
}

/// A flag by any spelling: `--allowed-tools`, `-p`, or a bare long name (`allowed-tools`).
pub fn find(spelling: &str) -> Option<&'static Flag> {
    if let Some(long) = spelling.strip_prefix("--") {
        find_long(long)
    } else if let Some(short) = spelling.strip_prefix('-') {
        find_short(short)
    } else {
        find_long(spelling)
    }
}

/// The flags that encode a typed deployment option (`allowed_tools` → `--allowedTools`).
pub fn for_option(option: &str) -> impl Iterator<Item = &'static Flag> + '_ {
    FLAGS.iter().filter(move |f| f.options.contains(&option))
}

/// Whether `word` is a subcommand name in `version`.
pub fn is_subcommand(word: &str, version: CliVersion) -> bool {
    SUBCOMMANDS.iter().any(|(name, since)| *name == word && since.version() <= version)
}

// --- parsing -------------------------------------------------------------------------------

/// How a flag was written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Form {
    /// `--flag`, `-p`, and any value in the following words (`--flag value`, `--flag a b`).
    Separate,
    /// `--flag=value`, one word.
    Equals,
    /// `-nNAME`: a short flag with its value in the same word.
    ShortAttached,
    /// A switch inside a group of short flags (`-pc` holds `-p` and `-c`).
    ShortGroup,
}

/// One value of a flag: its word, and where in that word it starts (after `=`, or after `-n`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FlagValue {
    pub text: String,
    /// Index of the word (token) that holds the value.
    pub token: usize,
    /// Byte offset of the value inside that word.
    pub offset: usize,
}

/// One use of a flag on a command line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FlagUse {
    pub flag: &'static Flag,
    /// How it was spelled (`--allowed-tools`, `-p`).
    pub spelled: String,
    pub form: Form,
    /// The words it spans, flag word and value words (`start..end` token indices).
    pub tokens: Range<usize>,
    /// Values in order; empty for a switch or an optional value that was not given.
    pub values: Vec<FlagValue>,
}

/// Something the CLI's parser would stop at.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ParseProblem {
    /// Not a flag of any release (`error: unknown option`).
    UnknownOption { token: usize, text: String },
    /// A flag the chosen release does not have (yet, or any more).
    NotInVersion { token: usize, flag: &'static Flag },
    /// `--switch=value`: the CLI reports it as an unknown option.
    SwitchWithValue { token: usize, flag: &'static Flag },
    /// A flag that needs a value ends the command line.
    MissingValue { token: usize, flag: &'static Flag },
    /// A value outside the flag's fixed choices in the chosen release.
    InvalidChoice { token: usize, flag: &'static Flag, value: String },
}

impl ParseProblem {
    pub fn token(&self) -> usize {
        match self {
            ParseProblem::UnknownOption { token, .. }
            | ParseProblem::NotInVersion { token, .. }
            | ParseProblem::SwitchWithValue { token, .. }
            | ParseProblem::MissingValue { token, .. }
            | ParseProblem::InvalidChoice { token, .. } => *token,
        }
    }
}

/// A `claude` command line, read the way the CLI reads it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CommandLine {
    /// Flags in the order they appear.
    pub flags: Vec<FlagUse>,
    /// Indices of the words that are not flags or flag values (the prompt).
    pub operands: Vec<usize>,
    /// The subcommand (its word index and name) when the first operand names one; the words
    /// after it belong to the subcommand and are not read.
    pub subcommand: Option<(usize, String)>,
    /// Index of a `--` word that ends the options, if any.
    pub end_of_options: Option<usize>,
    pub problems: Vec<ParseProblem>,
}

impl CommandLine {
    /// Uses of a flag, by any of its names.
    pub fn uses<'a>(&'a self, name: &'a str) -> impl Iterator<Item = &'a FlagUse> + 'a {
        self.flags.iter().filter(move |u| u.flag.is_named(name))
    }

    /// True when the flag is present at least once.
    pub fn has(&self, name: &str) -> bool {
        self.uses(name).next().is_some()
    }
}

/// `-x…` or `--x…` (a lone `-` is an operand, as in Commander.js).
fn looks_like_option(word: &str) -> bool {
    word.len() > 1 && word.starts_with('-')
}

/// Reads a command line's arguments (`argv[1..]`, without the program) the way CLI `version`
/// does. Options may appear before and after operands; a variadic flag in the separate form
/// takes every following word up to the next option; `--` ends the options.
///
/// Flags that `version` lacks are still read with their table arity (so one unknown flag does
/// not derail the rest) and reported as [`ParseProblem::NotInVersion`]; words that are no flag
/// of any release are [`ParseProblem::UnknownOption`], and read as switches.
pub fn parse<S: AsRef<str>>(args: &[S], version: CliVersion) -> CommandLine {
    let words: Vec<&str> = args.iter().map(AsRef::as_ref).collect();
    let mut out = CommandLine::default();
    // The flag use whose variadic value list is still open.
    let mut variadic: Option<usize> = None;
    let mut i = 0;
    while i < words.len() {
        let word = words[i];
        if word == "--" {
            out.end_of_options = Some(i);
            out.operands.extend(i + 1..words.len());
            break;
        }
        if let Some(open) = variadic
            && !looks_like_option(word)
        {
            let flag_use = &mut out.flags[open];
            flag_use.values.push(FlagValue { text: word.to_owned(), token: i, offset: 0 });
            flag_use.tokens.end = i + 1;
            i += 1;
            continue;
        }
        variadic = None;
        if !looks_like_option(word) {
            if out.operands.is_empty() && out.problems.is_empty() && is_subcommand(word, version) {
                out.subcommand = Some((i, word.to_owned()));
                break;
            }
            out.operands.push(i);
            i += 1;
            continue;
        }
        // An exact flag word: `--name`, `-p`, `-d2e`.
        if let Some(flag) = find(word) {
            check_version(&mut out, i, flag, version);
            let mut flag_use =
                FlagUse { flag, spelled: word.to_owned(), form: Form::Separate, tokens: i..i + 1, values: Vec::new() };
            match flag.arity {
                Arity::Switch => {}
                Arity::Required | Arity::Variadic => match words.get(i + 1) {
                    Some(value) => {
                        flag_use.values.push(FlagValue { text: (*value).to_owned(), token: i + 1, offset: 0 });
                        flag_use.tokens.end = i + 2;
                    }
                    None => out.problems.push(ParseProblem::MissingValue { token: i, flag }),
                },
                Arity::Optional => {
                    if let Some(value) = words.get(i + 1).filter(|w| !looks_like_option(w)) {
                        flag_use.values.push(FlagValue { text: (*value).to_owned(), token: i + 1, offset: 0 });
                        flag_use.tokens.end = i + 2;
                    }
                }
            }
            i = flag_use.tokens.end;
            if flag.arity == Arity::Variadic && !flag_use.values.is_empty() {
                variadic = Some(out.flags.len());
            }
            out.flags.push(flag_use);
            continue;
        }
        // `--name=value`.
        if let Some(rest) = word.strip_prefix("--")
            && let Some((name, value)) = rest.split_once('=')
            && let Some(flag) = find_long(name)
        {
            check_version(&mut out, i, flag, version);
            if flag.arity == Arity::Switch {
                out.problems.push(ParseProblem::SwitchWithValue { token: i, flag });
            }
            out.flags.push(FlagUse {
                flag,
                spelled: format!("--{name}"),
                form: Form::Equals,
                tokens: i..i + 1,
                values: vec![FlagValue { text: value.to_owned(), token: i, offset: name.len() + 3 }],
            });
            i += 1;
            continue;
        }
        // A group of short flags (`-pc`), or a short flag with its value attached (`-nNAME`).
        if !word.starts_with("--") && word.len() > 2 {
            let mut offset = 1;
            let mut recognised = false;
            while offset < word.len() {
                let Some(c) = word[offset..].chars().next() else { break };
                let Some(flag) = find_short(&word[offset..offset + c.len_utf8()]) else { break };
                recognised = true;
                check_version(&mut out, i, flag, version);
                let after = offset + c.len_utf8();
                if flag.arity.takes_value() {
                    let value = &word[after..];
                    let values = if value.is_empty() {
                        Vec::new()
                    } else {
                        vec![FlagValue { text: value.to_owned(), token: i, offset: after }]
                    };
                    out.flags.push(FlagUse {
                        flag,
                        spelled: format!("-{c}"),
                        form: Form::ShortAttached,
                        tokens: i..i + 1,
                        values,
                    });
                    offset = word.len();
                    break;
                }
                out.flags.push(FlagUse {
                    flag,
                    spelled: format!("-{c}"),
                    form: Form::ShortGroup,
                    tokens: i..i + 1,
                    values: Vec::new(),
                });
                offset = after;
            }
            if recognised && offset >= word.len() {
                i += 1;
                continue;
            }
            if recognised {
                // The rest of the group is no flag: the CLI reports `-<rest>` as unknown.
                out.problems.push(ParseProblem::UnknownOption { token: i, text: format!("-{}", &word[offset..]) });
                i += 1;
                continue;
            }
        }
        out.problems.push(ParseProblem::UnknownOption { token: i, text: word.to_owned() });
        i += 1;
    }
    for flag_use in &out.flags {
        if flag_use.flag.choices.is_empty() {
            continue;
        }
        let accepted = flag_use.flag.choices_in(version);
        for value in &flag_use.values {
            if !accepted.contains(&value.text.as_str()) {
                out.problems.push(ParseProblem::InvalidChoice {
                    token: value.token,
                    flag: flag_use.flag,
                    value: value.text.clone(),
                });
            }
        }
    }
    out.problems.sort_by_key(ParseProblem::token);
    out
}

fn check_version(out: &mut CommandLine, token: usize, flag: &'static Flag, version: CliVersion) {
    if !flag.known_in(version) {
        out.problems.push(ParseProblem::NotInVersion { token, flag });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const V76: CliVersion = OLDEST_SUPPORTED;
    const V332: CliVersion = BASELINE;

    #[test]
    fn versions_parse_and_order() {
        assert_eq!("2.1.76".parse::<CliVersion>().unwrap(), CliVersion::new(2, 1, 76));
        assert_eq!("v2.1.332".parse::<CliVersion>().unwrap(), BASELINE);
        assert_eq!("2.1.332 (Claude Code)".parse::<CliVersion>().unwrap(), BASELINE);
        assert!("2.1".parse::<CliVersion>().is_err());
        assert!("2.1.x".parse::<CliVersion>().is_err());
        assert!("2.1.+1".parse::<CliVersion>().is_err());
        assert!(CliVersion::new(2, 1, 200) > V76 && CliVersion::new(2, 1, 200) < V332);
        assert!(CliVersion::new(2, 10, 0) > V332);
        assert_eq!(BASELINE.to_string(), "2.1.332");
    }

    #[test]
    fn table_is_sorted_unique_and_consistent() {
        let names: Vec<String> = FLAGS.iter().map(|f| f.name.to_ascii_lowercase()).collect();
        let mut sorted = names.clone();
        sorted.sort();
        assert_eq!(names, sorted, "FLAGS must be sorted by name");
        let mut spellings: Vec<String> = FLAGS.iter().flat_map(|f| f.spellings()).collect();
        let count = spellings.len();
        spellings.sort();
        spellings.dedup();
        assert_eq!(spellings.len(), count, "a spelling names two flags");
        for f in FLAGS {
            assert!(!f.summary.is_empty(), "{}", f.name);
            assert!(f.choices.is_empty() || f.arity.takes_value(), "{}", f.name);
            assert!(f.options.is_empty() || f.risk != Risk::ChangesReporting, "{}", f.name);
        }
    }

    /// `claude --help` of 2.1.76 lists these; each must be in the table and known to 2.1.76.
    #[test]
    fn every_flag_of_the_2_1_76_help() {
        let listed = [
            "add-dir",
            "agent",
            "agents",
            "allow-dangerously-skip-permissions",
            "allowedTools",
            "allowed-tools",
            "append-system-prompt",
            "betas",
            "brief",
            "chrome",
            "continue",
            "dangerously-skip-permissions",
            "debug",
            "debug-file",
            "disable-slash-commands",
            "disallowedTools",
            "disallowed-tools",
            "effort",
            "fallback-model",
            "file",
            "fork-session",
            "from-pr",
            "help",
            "ide",
            "include-partial-messages",
            "input-format",
            "json-schema",
            "max-budget-usd",
            "mcp-config",
            "mcp-debug",
            "model",
            "name",
            "no-chrome",
            "no-session-persistence",
            "output-format",
            "permission-mode",
            "plugin-dir",
            "print",
            "replay-user-messages",
            "resume",
            "session-id",
            "setting-sources",
            "settings",
            "strict-mcp-config",
            "system-prompt",
            "tmux",
            "tools",
            "verbose",
            "version",
            "worktree",
        ];
        for name in listed {
            let flag = find_long(name).unwrap_or_else(|| panic!("--{name} is missing"));
            assert!(flag.known_in(V76), "--{name}");
            assert!(!flag.hidden || name == "mcp-debug", "--{name} is listed by --help");
        }
    }

    /// Every option the 2.1.76 and 2.1.332 programs define for the main command (read from the
    /// shipped code, hidden ones included): each is in the table and known to that release, and
    /// the table gives neither release a flag it lacks.
    #[test]
    #[rustfmt::skip]
    fn every_option_of_both_releases() {
        let v76 = [
            "add-dir", "agent", "agent-color", "agent-id", "agent-name", "agent-type", "agents",
            "allow-dangerously-skip-permissions", "allowed-tools", "allowedTools", "append-system-prompt",
            "append-system-prompt-file", "betas", "brief", "chrome", "continue",
            "dangerously-skip-permissions", "debug", "debug-file", "debug-to-stderr", "deep-link-origin",
            "disable-slash-commands", "disallowed-tools", "disallowedTools", "effort", "enable-auth-status",
            "enable-auto-mode", "fallback-model", "file", "fork-session", "from-pr", "help", "ide",
            "include-partial-messages", "init", "init-only", "input-format", "json-schema", "maintenance",
            "max-budget-usd", "max-thinking-tokens", "max-turns", "mcp-config", "mcp-debug", "model", "name",
            "no-chrome", "no-session-persistence", "output-format", "parent-session-id", "permission-mode",
            "permission-prompt-tool", "plan-mode-required", "plugin-dir", "prefill", "print", "rc", "remote",
            "remote-control", "replay-user-messages", "resume", "resume-session-at", "rewind-files",
            "sdk-url", "session-id", "setting-sources", "settings", "strict-mcp-config", "system-prompt",
            "system-prompt-file", "team-name", "teammate-mode", "teleport", "thinking", "tmux", "tools",
            "verbose", "version", "workload", "worktree",
        ];
        let v332 = [
            "add-dir", "advisor", "agent", "agent-color", "agent-id", "agent-name", "agent-type", "agents",
            "allow-dangerously-skip-permissions", "allow-other-models", "allowed-tools", "allowedTools",
            "append-subagent-system-prompt", "append-subagent-system-prompt-file", "append-system-prompt",
            "append-system-prompt-file", "attach-serve", "autocompact", "await-claim", "await-initialize",
            "ax-screen-reader", "background", "bare", "betas", "bg", "brief", "channels", "chrome",
            "client-data-url", "cloud", "continue", "correlation-id", "dangerously-load-development-channels",
            "dangerously-skip-permissions", "debug", "debug-file", "debug-to-stderr", "deep-link-cwd-b64",
            "deep-link-last-fetch", "deep-link-origin", "deep-link-repo", "desktop", "disable-slash-commands",
            "disallowed-tools", "disallowedTools", "effort", "enable-auth-status", "enable-auto-mode",
            "environment", "exclude-dynamic-system-prompt-sections", "fallback-model", "file", "fork-session",
            "forward-home-settings", "forward-subagent-text", "from-pr", "help",
            "hold-repository-while-parked", "host-auth-is-org-sign-in", "ide", "include-hook-events",
            "include-partial-messages", "include-unsupported-models", "inherit-permission-mode", "init",
            "init-only", "initialize-fields", "input-format", "json-schema", "lead-verify-key", "maintenance",
            "managed-settings", "managed-settings-in-initialize", "max-budget-usd", "max-thinking-tokens",
            "max-turns", "mcp-config", "messaging-socket-path", "metadata", "model", "name", "no-chrome",
            "no-session-persistence", "on-branch", "output-format", "parent-session-id", "permission-mode",
            "permission-prompt-tool", "permission-prompts", "plan-mode-instructions", "plan-mode-required",
            "plugin-dir", "plugin-dir-no-mcp", "plugin-url", "pool", "prefill", "prefill-b64", "print",
            "proactivity", "project-config-root", "prompt-suggestions", "rc", "ref", "remote",
            "remote-control", "remote-control-session-name-prefix", "replay-user-messages", "reply-on-resume",
            "restricted", "resume", "resume-drops-turn", "resume-session-at", "rewind-files", "safe-mode",
            "sdk-url", "session-began-as-copy", "session-id", "session-mirror", "setting-sources", "settings",
            "strict-mcp-config", "system-prompt", "system-prompt-file", "system-prompt-snapshot",
            "task-budget", "team-name", "teammate-mode", "teleport", "thinking", "thinking-display", "tmux",
            "tools", "verbose", "version", "watch-artifact", "workload", "worktree",
        ];
        for (version, names) in [(V76, &v76[..]), (V332, &v332[..])] {
            for name in names {
                let flag = find_long(name).unwrap_or_else(|| panic!("--{name} of {version} is missing"));
                assert!(flag.known_in(version), "--{name} is in {version}");
            }
            for flag in in_version(version) {
                for name in std::iter::once(flag.name).chain(flag.aliases.iter().copied()) {
                    assert!(names.contains(&name), "the table gives {version} a --{name} it does not have");
                }
            }
        }
    }

    /// Flags 2.1.332 has that 2.1.76 does not, and the one it dropped.
    #[test]
    fn version_differences() {
        for name in ["bare", "restricted", "permission-prompts", "system-prompt-snapshot", "plugin-url", "task-budget"]
        {
            let flag = find_long(name).unwrap();
            assert!(!flag.known_in(V76) && flag.known_in(V332), "--{name}");
        }
        let autocompact = find_long("autocompact").unwrap();
        assert!(autocompact.known_in(CliVersion::new(2, 1, 221)) && !autocompact.known_in(CliVersion::new(2, 1, 220)));
        let mcp_debug = find_long("mcp-debug").unwrap();
        assert!(mcp_debug.known_in(V76) && !mcp_debug.known_in(V332));
        let mode = find_long("permission-mode").unwrap();
        assert!(!mode.choices_in(V76).contains(&"manual"));
        assert!(mode.choices_in(CliVersion::new(2, 1, 200)).contains(&"manual"));
        assert!(find_long("effort").unwrap().choices_in(V332).contains(&"xhigh"));
        assert!(!find_long("effort").unwrap().choices_in(V76).contains(&"xhigh"));
        assert_eq!(find_long("max-thinking-tokens").unwrap().deprecated, Some("`--thinking`"));
    }

    #[test]
    fn lookups() {
        assert_eq!(find("--allowed-tools").unwrap().name, "allowedTools");
        assert_eq!(find("allowedTools").unwrap().name, "allowedTools");
        assert_eq!(find("-p").unwrap().name, "print");
        assert_eq!(find("-d2e").unwrap().name, "debug-to-stderr");
        assert!(find("--no-such-flag").is_none());
        assert_eq!(for_option("allowed_tools").map(|f| f.name).collect::<Vec<_>>(), ["allowedTools"]);
        assert_eq!(for_option("sandbox").map(|f| f.name).collect::<Vec<_>>(), ["settings"]);
        assert_eq!(find("--sdk-url").unwrap().risk, Risk::ChangesReporting);
        assert_eq!(find("--system-prompt-file").unwrap().risk, Risk::ReadsFiles);
        assert_eq!(find("--dangerously-skip-permissions").unwrap().risk, Risk::WidensPermissions);
        assert!(in_version(V76).all(|f| f.known_in(V76)));
        assert!(is_subcommand("mcp", V76) && !is_subcommand("ultrareview", V76) && is_subcommand("ultrareview", V332));
    }

    fn names(line: &CommandLine) -> Vec<(&str, Vec<&str>)> {
        line.flags.iter().map(|u| (u.flag.name, u.values.iter().map(|v| v.text.as_str()).collect())).collect()
    }

    #[test]
    fn parses_both_value_forms() {
        let line = parse(&["--print", "--model", "sonnet", "--max-turns=3", "-nname", "say hi"], V332);
        assert_eq!(
            names(&line),
            [("print", vec![]), ("model", vec!["sonnet"]), ("max-turns", vec!["3"]), ("name", vec!["name"])]
        );
        assert_eq!(line.operands, [5]);
        assert!(line.problems.is_empty(), "{:?}", line.problems);
        assert_eq!(line.flags[1].tokens, 1..3);
        assert_eq!(line.flags[2].form, Form::Equals);
        assert_eq!(line.flags[2].values[0].offset, "--max-turns=".len());
        assert_eq!(line.flags[3].form, Form::ShortAttached);
        assert_eq!(line.flags[3].values[0].offset, 2);
    }

    #[test]
    fn variadic_flags_take_the_prompt_in_the_separate_form_only() {
        let swallowed = parse(&["-p", "--allowedTools", "Read", "Bash", "say hi"], V76);
        assert_eq!(names(&swallowed), [("print", vec![]), ("allowedTools", vec!["Read", "Bash", "say hi"])]);
        assert!(swallowed.operands.is_empty());
        assert_eq!(swallowed.flags[1].tokens, 1..5);
        let kept = parse(&["-p", "--allowedTools=Read", "say hi"], V76);
        assert_eq!(kept.operands, [2]);
        let ended = parse(&["-p", "--allowedTools", "Read", "--", "say hi"], V76);
        assert_eq!(ended.operands, [4]);
        assert_eq!(ended.end_of_options, Some(3));
        let next_flag = parse(&["--betas", "a", "b", "--verbose", "hi"], V76);
        assert_eq!(names(&next_flag), [("betas", vec!["a", "b"]), ("verbose", vec![])]);
        assert_eq!(next_flag.operands, [4]);
    }

    #[test]
    fn optional_values_do_not_take_options() {
        let line = parse(&["--resume", "--print", "hi"], V76);
        assert_eq!(names(&line), [("resume", vec![]), ("print", vec![])]);
        let line = parse(&["-r", "0b7e5a8c", "-p"], V76);
        assert_eq!(names(&line), [("resume", vec!["0b7e5a8c"]), ("print", vec![])]);
        // A required value is taken even when it starts with `-`.
        let line = parse(&["--model", "-x"], V76);
        assert_eq!(names(&line), [("model", vec!["-x"])]);
    }

    #[test]
    fn short_groups() {
        let line = parse(&["-pc", "hi"], V76);
        assert_eq!(names(&line), [("print", vec![]), ("continue", vec![])]);
        assert_eq!(line.flags[1].form, Form::ShortGroup);
        let line = parse(&["-pr0b7e", "hi"], V76);
        assert_eq!(names(&line), [("print", vec![]), ("resume", vec!["0b7e"])]);
        let line = parse(&["-px"], V76);
        assert_eq!(line.problems, [ParseProblem::UnknownOption { token: 0, text: "-x".into() }]);
    }

    #[test]
    fn problems_the_cli_would_stop_at() {
        let line = parse(&["--verbose=1", "--no-such", "--model"], V332);
        assert_eq!(line.problems.len(), 3, "{:?}", line.problems);
        assert!(matches!(line.problems[0], ParseProblem::SwitchWithValue { token: 0, .. }));
        assert!(matches!(&line.problems[1], ParseProblem::UnknownOption { token: 1, text } if text == "--no-such"));
        assert!(matches!(line.problems[2], ParseProblem::MissingValue { token: 2, .. }));
        let line = parse(&["--restricted", "--permission-mode=manual", "--effort=xhigh"], V76);
        assert!(matches!(line.problems[0], ParseProblem::NotInVersion { token: 0, .. }));
        assert!(matches!(&line.problems[1], ParseProblem::InvalidChoice { value, .. } if value == "manual"));
        assert!(matches!(&line.problems[2], ParseProblem::InvalidChoice { value, .. } if value == "xhigh"));
        assert!(parse(&["--restricted", "--permission-mode=manual", "--effort=xhigh"], V332).problems.is_empty());
        assert!(matches!(parse(&["--mcp-debug"], V332).problems[0], ParseProblem::NotInVersion { .. }));
    }

    #[test]
    fn subcommands_end_the_main_command() {
        let line = parse(&["--print", "mcp", "list", "--json"], V76);
        assert_eq!(line.subcommand, Some((1, "mcp".into())));
        assert!(line.problems.is_empty());
        // Only the first operand can be a subcommand.
        let line = parse(&["say", "mcp"], V76);
        assert_eq!((line.subcommand, line.operands), (None, vec![0, 1]));
        // A lone dash is an operand.
        assert_eq!(parse(&["-"], V76).operands, [0]);
    }

    #[test]
    fn accepts_owned_strings() {
        let args = vec!["--print".to_owned(), "--tools=".to_owned()];
        let line = parse(&args, V76);
        assert_eq!(names(&line), [("print", vec![]), ("tools", vec![""])]);
    }
}
