//! `agentlint can`: the decision Claude Code makes on one tool call under a session's rules.
//!
//! The order is the CLI's (permission-rules.md §4.5, permissions.md): deny rules, then ask
//! rules, then `bypassPermissions` mode, then allow rules, then what needs no permission at all
//! (tools that never prompt, built-in read-only commands, sandboxed Bash), then the permission
//! mode for what is left. The first match decides; specificity does not matter.
//!
//! Matching follows the reference (§4.3, §4.4) and the permissions page:
//! * command rules (`Bash`, `Monitor`, `PowerShell`): `*` anywhere, the word-boundary ` *` and
//!   legacy `:*` at the end; compound commands split on `&&`, `||`, `;`, `|`, `|&`, `&` and
//!   newlines, and every part must be allowed; the wrappers `timeout`, `time`, `nice`, `nohup`,
//!   `stdbuf`, `command`, `builtin`, `noglob` and bare `xargs` are stripped, and leading
//!   assignments (deny and ask rules match past any; allow rules only past known-safe ones);
//!   exec wrappers (`watch`, `setsid`, `ionice`, `flock`, `find -exec`) need an exact allow rule;
//! * path rules (`Read`, `Edit`): gitignore patterns with the `//`, `~/`, `/` (settings-source
//!   relative) and `./` roots; a bare name matches at any depth, and a single-segment
//!   `dir/**` at any depth in deny and ask rules but only under the working directory in allow
//!   rules; `Read` rules cover Grep, Glob and LSP, `Edit` rules cover Write and NotebookEdit;
//!   an `Edit` allow lets the file be read, a `Read` deny blocks edits too;
//! * `WebFetch(domain:…)`: the host, case-insensitive, without a trailing dot, `*.` for
//!   subdomains; MCP rules by server and tool; tool-name globs in deny and ask lists.
//!
//! Where the CLI's behaviour is not certain (the versions disagree, or the reference does not
//! say), the answer says so in a note.

use std::path::{Path, PathBuf};

use crate::config::PermissionMode;
use crate::document::Value;
use crate::permission::{
    self, PermissionRule, RuleList, RuleTool, SpecMatch, match_command, match_domain, names_tool, parse_rule,
};

use super::merge::{Merged, Status, mode_of};
use super::{Origin, Role, Session};

/// A tool call as written on the command line: `Bash(git push origin main)`, `Read(/etc/passwd)`,
/// `WebFetch(https://example.com/x)`, `mcp__github__get_issue`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Call {
    /// The tool's canonical name.
    pub tool: String,
    /// The input: a command, a path, a URL or host, a subagent or skill name.
    pub arg: Option<String>,
    pub text: String,
}

/// What the tool does, for the permission mode's part of the decision.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Family {
    Command,
    Read,
    Edit,
    Fetch,
    Mcp,
    Other,
}

fn family(tool: &str) -> Family {
    match tool {
        "Bash" | "Monitor" | "PowerShell" => Family::Command,
        "Read" | "Grep" | "Glob" | "LSP" | "View" | "LS" => Family::Read,
        "Edit" | "Write" | "NotebookEdit" | "MultiEdit" => Family::Edit,
        "WebFetch" => Family::Fetch,
        t if t.starts_with("mcp__") => Family::Mcp,
        _ => Family::Other,
    }
}

/// Tools that ask for permission in `default` mode (reference §4.2, "Prompts in Manual mode"),
/// besides MCP tools.
const PROMPTING: &[&str] = &[
    "Artifact",
    "Bash",
    "Edit",
    "EnterWorktree",
    "ExitPlanMode",
    "Monitor",
    "MultiEdit",
    "NotebookEdit",
    "PowerShell",
    "ShareOnboardingGuide",
    "Skill",
    "WebFetch",
    "WebSearch",
    "Workflow",
    "Write",
];

/// Parses a tool call.
///
/// # Errors
///
/// A message for an unknown tool name, unbalanced parentheses, or a missing input where the
/// tool needs one.
pub fn parse_call(text: &str) -> Result<Call, String> {
    let trimmed = text.trim();
    let (tool, arg) = match trimmed.find('(') {
        None => (trimmed, None),
        Some(open) => {
            let Some(inner) = trimmed[open + 1..].strip_suffix(')') else {
                return Err(format!(
                    "`{}` is not a tool call: write `Tool` or `Tool(input)`",
                    crate::rules::shown_text(text)
                ));
            };
            (&trimmed[..open], Some(inner.trim().to_owned()))
        }
    };
    if tool.is_empty() {
        return Err("the call names no tool: write e.g. `Bash(git status)`".into());
    }
    if let Some(rest) = tool.strip_prefix("mcp__") {
        let (server, name) = rest.split_once("__").unwrap_or((rest, ""));
        if server.is_empty() || name.is_empty() || tool.contains('*') {
            return Err(format!("`{tool}` is not an MCP tool name: write `mcp__<server>__<tool>`"));
        }
        return Ok(Call { tool: tool.to_owned(), arg, text: trimmed.to_owned() });
    }
    let Some(info) = permission::tool_info(tool) else {
        let hint = permission::closest_tool(tool).map(|c| format!("; did you mean `{c}`?")).unwrap_or_default();
        return Err(format!("unknown tool `{}`{hint}", crate::rules::shown_text(tool)));
    };
    let needs_input = matches!(family(info.name), Family::Command | Family::Read | Family::Edit | Family::Fetch);
    if needs_input && arg.as_deref().is_none_or(str::is_empty) {
        let example = match family(info.name) {
            Family::Command => format!("{}(git status)", info.name),
            Family::Fetch => "WebFetch(https://example.com/)".into(),
            _ => format!("{}(./src/main.rs)", info.name),
        };
        return Err(format!("give `{}` its input, e.g. `{example}`", info.name));
    }
    let arg = match (family(info.name), arg) {
        (Family::Fetch, Some(url)) => Some(fetch_input(&url)?),
        (_, arg) => arg,
    };
    Ok(Call { tool: info.name.to_owned(), arg, text: trimmed.to_owned() })
}

/// A `WebFetch` input: a URL or a bare host. The rule form `domain:HOST` is taken for the host,
/// since that is what someone copying a rule means; anything without a host name is an error.
fn fetch_input(url: &str) -> Result<String, String> {
    let url = url.strip_prefix("domain:").map_or(url, str::trim);
    let host = host_of(url);
    let valid =
        !host.is_empty() && host.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_' | '[' | ']'));
    if valid {
        Ok(url.to_owned())
    } else {
        Err(format!(
            "`{}` is not a URL or a host name: write e.g. `WebFetch(https://example.com/page)`",
            crate::rules::shown_text(url)
        ))
    }
}

/// Claude Code's answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Decision {
    Allow,
    Ask,
    Deny,
}

impl Decision {
    pub fn id(self) -> &'static str {
        match self {
            Decision::Allow => "allow",
            Decision::Ask => "ask",
            Decision::Deny => "deny",
        }
    }

    /// `agentlint can`'s exit code: 0 allow, 1 deny, 3 ask.
    pub fn exit_code(self) -> u8 {
        match self {
            Decision::Allow => 0,
            Decision::Deny => 1,
            Decision::Ask => 3,
        }
    }

    pub fn parse(text: &str) -> Option<Decision> {
        match text {
            "allow" => Some(Decision::Allow),
            "ask" => Some(Decision::Ask),
            "deny" => Some(Decision::Deny),
            _ => None,
        }
    }
}

/// The list a permission rule is in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum List {
    Deny,
    Ask,
    Allow,
}

impl List {
    pub fn id(self) -> &'static str {
        match self {
            List::Deny => "deny",
            List::Ask => "ask",
            List::Allow => "allow",
        }
    }

    fn option(self) -> &'static str {
        match self {
            List::Deny => "disallowed_tools",
            List::Ask => "ask_tools",
            List::Allow => "allowed_tools",
        }
    }
}

/// What decided.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Basis {
    /// A permission rule: its list and its index in [`Merged::entries`].
    Rule { list: List, entry: usize },
    /// The permission mode (and the entry that sets it; `None`: no layer does, so `default`).
    Mode { mode: PermissionMode, entry: Option<usize>, how: String },
    /// Built-in behaviour: a tool or command that needs no permission, the sandbox.
    Builtin { how: String },
}

/// The decision on one part of a compound command.
#[derive(Debug, Clone)]
pub struct Part {
    pub command: String,
    pub decision: Decision,
    pub basis: Basis,
}

/// The answer.
#[derive(Debug, Clone)]
pub struct Verdict {
    pub decision: Decision,
    pub basis: Basis,
    /// For a compound command, what decided each part.
    pub parts: Vec<Part>,
    /// Where the CLI's behaviour is uncertain, or the answer depends on something agentlint
    /// cannot see.
    pub notes: Vec<String>,
    /// The mode the answer assumes, and the entry that sets it (`None` when `--mode` or nobody).
    pub mode: PermissionMode,
    pub mode_entry: Option<usize>,
}

/// A rule in effect.
struct Active<'a> {
    list: List,
    entry: usize,
    rule: PermissionRule<'a>,
    /// The directory a leading `/` in a path rule starts from, and whether that is uncertain.
    anchor: (PathBuf, Option<String>),
}

/// The directories relative paths start from.
struct Dirs {
    cwd: PathBuf,
    home: PathBuf,
}

/// Everything a decision needs.
struct Ctx<'a> {
    session: &'a Session,
    merged: &'a Merged,
    rules: Vec<Active<'a>>,
    home: PathBuf,
    dirs: Dirs,
    notes: Vec<String>,
}

/// Decides a call. `mode` replaces the session's permission mode (`--mode`).
pub fn evaluate(session: &Session, merged: &Merged, call: &Call, mode: Option<PermissionMode>) -> Verdict {
    let home = std::env::var_os("HOME").filter(|h| !h.is_empty()).map_or_else(|| PathBuf::from("~"), PathBuf::from);
    let dirs = Dirs { cwd: session.dir.clone(), home: home.clone() };
    let mut ctx = Ctx { session, merged, rules: Vec::new(), home, dirs, notes: Vec::new() };
    for list in [List::Deny, List::Ask, List::Allow] {
        for (i, entry) in merged.of(list.option()) {
            if !entry.status.applies(merged.trusted) {
                continue;
            }
            let Some(text) = entry.node.as_str() else { continue };
            let parsed = parse_rule(text, if list == List::Allow { RuleList::Allow } else { RuleList::Deny });
            // The CLI drops rules it cannot parse (AL105 reports them).
            let Ok(rule) = parsed else { continue };
            let anchor = anchor_of(session, entry.layer, &ctx.home);
            ctx.rules.push(Active { list, entry: i, rule, anchor });
        }
    }
    let (mut effective, mut entry) = merged.mode();
    if let Some(m) = mode {
        effective = m;
        entry = None;
        if m == PermissionMode::BypassPermissions && merged.locks.disable_bypass.is_some() {
            ctx.notes.push("bypass mode is disabled by `disableBypassPermissionsMode`; the CLI refuses it, so the answer assumes `default`".into());
            effective = PermissionMode::Default;
        }
    } else if let Some(i) = entry {
        let layer = &session.layers[merged.entries[i].layer];
        if effective == PermissionMode::BypassPermissions && matches!(layer.origin, Origin::Project | Origin::Local) {
            ctx.notes.push(format!(
                "the mode comes from {}: CLI 2.1.76 honours `bypassPermissions` there, 2.1.332 ignores it and starts in `default` (measured)",
                layer.describe()
            ));
        }
    }
    let mut verdict = match family(&call.tool) {
        Family::Command => command_call(&mut ctx, call, effective, entry),
        _ => single_call(&mut ctx, call, effective, entry),
    };
    untrusted_notes(&mut ctx, call, &verdict);
    let mut notes: Vec<String> = Vec::new();
    for note in std::mem::take(&mut ctx.notes) {
        // A parameter rule that could also deny changes nothing about a denial.
        let moot = verdict.decision == Decision::Deny && note.contains("matches on an input parameter");
        if !moot && !notes.contains(&note) {
            notes.push(note);
        }
    }
    verdict.notes = notes;
    verdict.mode = effective;
    verdict.mode_entry = entry;
    verdict
}

/// The directory a `/path` rule starts from (permissions.md "Read and Edit").
fn anchor_of(session: &Session, layer: usize, home: &Path) -> (PathBuf, Option<String>) {
    let l = &session.layers[layer];
    match (l.origin, l.role) {
        (Origin::User, _) => (
            home.join(".claude"),
            Some("a `/path` rule in user settings starts from `~/.claude` on current CLIs, from the project root on 2.1.76".into()),
        ),
        (Origin::CommandLine, Role::Settings) => {
            let dir = session.files[l.file].absolute.parent().map_or_else(|| session.dir.clone(), Path::to_owned);
            (dir, None)
        }
        (Origin::Managed, _) => (
            session.dir.clone(),
            Some("the reference does not say where a `/path` rule in managed settings starts; agentlint takes the working directory".into()),
        ),
        _ => (session.dir.clone(), None),
    }
}

fn rule_text<'a>(ctx: &'a Ctx<'_>, entry: usize) -> &'a str {
    ctx.merged.entries[entry].node.as_str().unwrap_or_default()
}

/// Notes for a deny or ask rule that decided: tool-name globs behave differently across versions.
fn glob_note(ctx: &mut Ctx<'_>, active_index: usize) {
    let a = &ctx.rules[active_index];
    if matches!(a.rule.kind, RuleTool::NameGlob) {
        let text = rule_text(ctx, a.entry).to_owned();
        ctx.notes.push(format!(
            "`{text}` is a tool-name glob, which current CLIs apply in deny and ask lists; CLI 2.1.76 accepts `deny: [\"*\"]` silently and ignores it, while 2.1.332 removes every tool (measured)"
        ));
    }
}

/// A call that is not a command: one decision.
fn single_call(ctx: &mut Ctx<'_>, call: &Call, mode: PermissionMode, mode_entry: Option<usize>) -> Verdict {
    let fam = family(&call.tool);
    let path = match fam {
        Family::Read | Family::Edit => call.arg.as_deref().map(|p| resolve_path(p, &ctx.session.dir, &ctx.home)),
        _ => None,
    };
    let host = match fam {
        Family::Fetch => call.arg.as_deref().map(host_of),
        _ => None,
    };
    let matches = |ctx: &mut Ctx<'_>, a: usize| -> bool {
        let active = &ctx.rules[a];
        let hit = rule_matches(active, call, path.as_deref(), host.as_deref(), &ctx.dirs);
        if hit == Hit::Parameter {
            let text = rule_text(ctx, active.entry).to_owned();
            ctx.notes.push(format!(
                "`{text}` matches on an input parameter, which a call written as `Tool(input)` does not carry; it was not evaluated"
            ));
        }
        if hit == Hit::ReadDenyOnEdit {
            ctx.notes.push("a `Read` deny rule blocks edits of the same path from CLI 2.1.208 (Write from 2.1.228, never NotebookEdit); older CLIs let the edit through to the other rules".into());
        }
        matches!(hit, Hit::Yes | Hit::ReadDenyOnEdit)
    };
    // Deny, then ask.
    for list in [List::Deny, List::Ask] {
        let found = (0..ctx.rules.len()).find(|&a| ctx.rules[a].list == list && matches(ctx, a));
        if let Some(a) = found {
            if list == List::Deny {
                glob_note(ctx, a);
                return verdict(Decision::Deny, Basis::Rule { list, entry: ctx.rules[a].entry });
            }
            glob_note(ctx, a);
            if mode == PermissionMode::DontAsk {
                ctx.notes
                    .push("the ask rule would prompt, and `dontAsk` mode denies every call that would prompt".into());
                return verdict(Decision::Deny, Basis::Rule { list, entry: ctx.rules[a].entry });
            }
            return verdict(Decision::Ask, Basis::Rule { list, entry: ctx.rules[a].entry });
        }
    }
    if mode == PermissionMode::BypassPermissions {
        return bypass_allows(mode_entry);
    }
    let protected = fam == Family::Edit && path.as_deref().and_then(protected_path).is_some();
    let found = (0..ctx.rules.len()).find(|&a| ctx.rules[a].list == List::Allow && matches(ctx, a));
    if let Some(a) = found {
        if protected {
            let what = path.as_deref().and_then(protected_path).unwrap_or_default();
            ctx.notes.push(format!(
                "`{}` would allow it, but `{what}` is a protected path: allow rules do not pre-approve it",
                rule_text(ctx, ctx.rules[a].entry)
            ));
        } else {
            let entry = ctx.rules[a].entry;
            if let Some(note) = ctx.rules[a]
                .anchor
                .1
                .clone()
                .filter(|_| ctx.rules[a].rule.specifier.is_some_and(|s| s.starts_with('/') && !s.starts_with("//")))
            {
                ctx.notes.push(note);
            }
            return verdict(Decision::Allow, Basis::Rule { list: List::Allow, entry });
        }
    }
    // What needs no permission.
    let inside = path.as_deref().is_some_and(|p| within_working_dirs(ctx, p));
    let prompts = PROMPTING.contains(&call.tool.as_str()) || fam == Family::Mcp;
    match fam {
        Family::Read if inside => {
            return verdict(
                Decision::Allow,
                Basis::Builtin { how: format!("{} needs no permission inside the working directories", call.tool) },
            );
        }
        Family::Read => {
            return by_mode(
                ctx,
                mode,
                mode_entry,
                fam,
                "reading outside the working directories asks for permission",
                false,
            );
        }
        _ if !prompts => {
            return verdict(Decision::Allow, Basis::Builtin { how: format!("{} needs no permission", call.tool) });
        }
        _ => {}
    }
    let edit_inside = fam == Family::Edit && inside && !protected;
    by_mode(ctx, mode, mode_entry, fam, "no rule matches", edit_inside)
}

fn verdict(decision: Decision, basis: Basis) -> Verdict {
    Verdict { decision, basis, parts: Vec::new(), notes: Vec::new(), mode: PermissionMode::Default, mode_entry: None }
}

/// What bypass mode decides once no deny or ask rule matched: allow.
fn bypass_allows(mode_entry: Option<usize>) -> Verdict {
    verdict(
        Decision::Allow,
        Basis::Mode {
            mode: PermissionMode::BypassPermissions,
            entry: mode_entry,
            how: "bypass mode approves every call that no deny or ask rule matches".into(),
        },
    )
}

/// The permission mode decides what no rule decided (permission-rules.md §4.6).
fn by_mode(
    ctx: &mut Ctx<'_>,
    mode: PermissionMode,
    entry: Option<usize>,
    fam: Family,
    why: &str,
    edit_inside: bool,
) -> Verdict {
    let basis = |how: String| Basis::Mode { mode, entry, how };
    let unattended = "in print mode and SDK sessions without a permission prompt tool or `can_use_tool` callback, a prompt is refused";
    match mode {
        PermissionMode::BypassPermissions => verdict(Decision::Allow, basis(format!("{why}; bypass mode approves it"))),
        PermissionMode::DontAsk => {
            verdict(Decision::Deny, basis(format!("{why}; `dontAsk` denies every call that would prompt")))
        }
        PermissionMode::AcceptEdits if edit_inside => verdict(
            Decision::Allow,
            basis(format!("{why}; `acceptEdits` approves file edits in the working directories")),
        ),
        PermissionMode::Plan if fam == Family::Edit => {
            verdict(Decision::Deny, basis(format!("{why}; plan mode makes no edits")))
        }
        PermissionMode::Auto => {
            ctx.notes.push(
                "in `auto` mode a background classifier decides each call; agentlint cannot predict it and answers ask"
                    .into(),
            );
            verdict(Decision::Ask, basis(format!("{why}; in `auto` mode the classifier decides")))
        }
        PermissionMode::Plan | PermissionMode::AcceptEdits | PermissionMode::Default | PermissionMode::Manual => {
            ctx.notes.push(unattended.into());
            verdict(Decision::Ask, basis(format!("{why}; `{}` mode asks for permission", mode.cli_name())))
        }
    }
}

/// How a rule relates to a call.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Hit {
    Yes,
    No,
    /// An input-parameter rule on the called tool: undecidable from the call.
    Parameter,
    /// A `Read` deny rule on the path of an edit (CLI 2.1.208 and later).
    ReadDenyOnEdit,
}

fn from_spec(m: SpecMatch) -> Hit {
    match m {
        SpecMatch::Any | SpecMatch::Yes => Hit::Yes,
        SpecMatch::No => Hit::No,
        SpecMatch::Parameter => Hit::Parameter,
    }
}

/// Does an active rule match a call that is not a command?
fn rule_matches(active: &Active<'_>, call: &Call, path: Option<&Path>, host: Option<&str>, dirs: &Dirs) -> Hit {
    let rule = &active.rule;
    if matches!(rule.kind, RuleTool::NameGlob) {
        return if names_tool(rule, &call.tool) { Hit::Yes } else { Hit::No };
    }
    let fam = family(&call.tool);
    if let RuleTool::Builtin(info) = &rule.kind
        && matches!(fam, Family::Read | Family::Edit)
        && matches!(info.name, "Read" | "Edit")
    {
        let rule_family = family(info.name);
        let applies = rule_family == fam
            || (rule_family == Family::Edit && fam == Family::Read && active.list == List::Allow)
            || (rule_family == Family::Read
                && fam == Family::Edit
                && active.list == List::Deny
                && call.tool != "NotebookEdit");
        if !applies {
            return Hit::No;
        }
        let hit = match (rule.specifier, path) {
            (None, _) => Hit::Yes,
            (Some(spec), Some(path)) => {
                if path_rule_matches(spec, active, path, dirs) {
                    Hit::Yes
                } else {
                    Hit::No
                }
            }
            (Some(_), None) => Hit::No,
        };
        if hit == Hit::Yes && rule_family == Family::Read && fam == Family::Edit {
            return Hit::ReadDenyOnEdit;
        }
        return hit;
    }
    if !names_tool(rule, &call.tool) {
        return Hit::No;
    }
    match fam {
        Family::Fetch => host.map_or(Hit::No, |h| from_spec(match_domain(rule, h))),
        // Path rules on the tool's own name (`Write(x)`) are never consulted; a bare one matches.
        Family::Read | Family::Edit => {
            if rule.specifier.is_none() {
                Hit::Yes
            } else {
                Hit::No
            }
        }
        _ => match (rule.specifier, call.arg.as_deref()) {
            (None, _) => Hit::Yes,
            (Some(spec), _) if spec.contains(':') && !matches!(call.tool.as_str(), "Skill") && parameter_like(spec) => {
                Hit::Parameter
            }
            (Some(spec), Some(arg)) => {
                if permission::wildcard_match(spec.trim(), arg) {
                    Hit::Yes
                } else {
                    Hit::No
                }
            }
            (Some(_), None) => Hit::No,
        },
    }
}

/// `name:value` with an identifier name: an input-parameter rule.
fn parameter_like(spec: &str) -> bool {
    spec.split_once(':').is_some_and(|(k, _)| {
        let k = k.trim();
        !k.is_empty() && k.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
    })
}

/// The host of a URL or a bare host name.
fn host_of(arg: &str) -> String {
    let arg = arg.trim();
    permission::url_host(arg)
        .unwrap_or_else(|| arg.split(['/', '?', '#']).next().unwrap_or(arg).split(':').next().unwrap_or(arg))
        .to_owned()
}

/// A call's path, absolute: `~/` from the home directory, relative paths from the working directory.
fn resolve_path(arg: &str, cwd: &Path, home: &Path) -> PathBuf {
    let arg = arg.trim();
    let joined = if let Some(rest) = arg.strip_prefix("~/") {
        home.join(rest)
    } else if arg == "~" {
        home.to_path_buf()
    } else if Path::new(arg).is_absolute() {
        PathBuf::from(arg)
    } else {
        cwd.join(arg)
    };
    crate::policy::normalize(&joined)
}

/// The absolute pattern of a `Read`/`Edit` specifier (permissions.md "Read and Edit").
fn path_pattern(spec: &str, active: &Active<'_>, cwd: &Path, home: &Path) -> String {
    let spec = spec.trim();
    let join = |base: &Path, rest: &str| format!("{}/{}", base.to_string_lossy().trim_end_matches('/'), rest);
    if let Some(rest) = spec.strip_prefix("//") {
        return format!("/{rest}");
    }
    if let Some(rest) = spec.strip_prefix("~/") {
        return join(home, rest);
    }
    if let Some(rest) = spec.strip_prefix('/') {
        return join(&active.anchor.0, rest);
    }
    if let Some(rest) = spec.strip_prefix("./") {
        return join(cwd, rest);
    }
    if !spec.contains('/') {
        return join(cwd, &format!("**/{spec}"));
    }
    // `src/**`: only under the working directory in allow rules, at any depth in deny and ask rules.
    let single_dir = spec.strip_suffix("/**").is_some_and(|d| !d.contains(['/', '*']));
    if single_dir && active.list != List::Allow {
        return join(cwd, &format!("**/{spec}"));
    }
    join(cwd, spec)
}

/// Gitignore-style: `*` within a segment, `**` across segments; a pattern that matches a
/// directory covers everything under it.
fn path_rule_matches(spec: &str, active: &Active<'_>, path: &Path, dirs: &Dirs) -> bool {
    let pattern = path_pattern(spec, active, &dirs.cwd, &dirs.home);
    let Ok(glob) = globset::GlobBuilder::new(&pattern).literal_separator(true).backslash_escape(true).build() else {
        return false;
    };
    let matcher = glob.compile_matcher();
    path.ancestors().any(|p| p.as_os_str().len() > 1 && matcher.is_match(p))
}

fn within_working_dirs(ctx: &Ctx<'_>, path: &Path) -> bool {
    working_dirs(ctx).iter().any(|d| path.starts_with(d))
}

fn working_dirs(ctx: &Ctx<'_>) -> Vec<PathBuf> {
    let mut dirs = vec![ctx.session.dir.clone()];
    for (_, entry) in ctx.merged.of("add_dir") {
        if entry.status.applies(ctx.merged.trusted)
            && let Some(dir) = entry.node.as_str()
        {
            dirs.push(resolve_path(dir, &ctx.session.dir, &ctx.home));
        }
    }
    dirs
}

/// Protected paths (permission-rules.md §4.6): never pre-approved by allow rules or
/// `acceptEdits`. The component or file name that makes it protected.
fn protected_path(path: &Path) -> Option<String> {
    const DIRS: &[&str] =
        &[".git", ".vscode", ".idea", ".husky", ".cargo", ".devcontainer", ".yarn", ".mvn", ".claude"];
    const FILES: &[&str] = &[
        ".gitconfig",
        ".gitmodules",
        ".bashrc",
        ".bash_profile",
        ".bash_login",
        ".bash_aliases",
        ".bash_logout",
        ".zshrc",
        ".zprofile",
        ".zshenv",
        ".zlogin",
        ".zlogout",
        ".profile",
        ".envrc",
        ".npmrc",
        ".yarnrc",
        ".yarnrc.yml",
        ".pnp.cjs",
        ".pnp.loader.mjs",
        ".pnpmfile.cjs",
        "bunfig.toml",
        ".bunfig.toml",
        ".bazelrc",
        ".bazelversion",
        ".bazeliskrc",
        "gradle-wrapper.properties",
        "maven-wrapper.properties",
        ".pre-commit-config.yaml",
        "lefthook.yml",
        "lefthook.yaml",
        ".lefthook.yml",
        ".lefthook.yaml",
        ".devcontainer.json",
        ".ripgreprc",
        "pyrightconfig.json",
        ".mcp.json",
        ".claude.json",
    ];
    let names: Vec<String> = path.components().map(|c| c.as_os_str().to_string_lossy().into_owned()).collect();
    for (i, name) in names.iter().enumerate() {
        let last = i + 1 == names.len();
        if !last && DIRS.contains(&name.as_str()) {
            if name == ".claude" && names.get(i + 1).is_some_and(|n| n == "worktrees") {
                continue;
            }
            return Some(format!("{name}/"));
        }
        if name == ".config" && names.get(i + 1).is_some_and(|n| n == "git") && !last {
            return Some(".config/git/".into());
        }
        if last && FILES.contains(&name.as_str()) {
            return Some(name.clone());
        }
    }
    None
}

// ---------------------------------------------------------------------------------------------
// Commands

/// One word of a simple command and where it is.
#[derive(Debug, Clone, Copy)]
struct Word {
    start: usize,
    end: usize,
}

/// Splits a command line on the separators `&&`, `||`, `;`, `|`, `|&`, `&` and newlines,
/// outside quotes; empty parts are dropped.
fn split_compound(command: &str) -> Vec<String> {
    let bytes = command.as_bytes();
    let mut parts = Vec::new();
    let (mut start, mut i) = (0, 0);
    let (mut single, mut double) = (false, false);
    while i < bytes.len() {
        let c = bytes[i];
        match c {
            b'\\' if !single => {
                i += 2;
                continue;
            }
            b'\'' if !double => single = !single,
            b'"' if !single => double = !double,
            b'&' | b'|' | b';' | b'\n' if !single && !double => {
                // `>&`, `<&` and `&>` are redirections, not separators.
                let redirect =
                    c == b'&' && (i > 0 && matches!(bytes[i - 1], b'>' | b'<') || bytes.get(i + 1) == Some(&b'>'));
                if !redirect {
                    parts.push(command[start..i].trim().to_owned());
                    let two =
                        matches!((c, bytes.get(i + 1)), (b'&', Some(b'&')) | (b'|', Some(b'|')) | (b'|', Some(b'&')));
                    i += if two { 2 } else { 1 };
                    start = i;
                    continue;
                }
            }
            _ => {}
        }
        i += 1;
    }
    parts.push(command[start..].trim().to_owned());
    parts.retain(|p| !p.is_empty());
    parts
}

/// The words of a simple command, quotes kept inside words.
fn words(command: &str) -> Vec<Word> {
    let bytes = command.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        while i < bytes.len() && bytes[i].is_ascii_whitespace() {
            i += 1;
        }
        if i >= bytes.len() {
            break;
        }
        let start = i;
        let (mut single, mut double) = (false, false);
        while i < bytes.len() && (single || double || !bytes[i].is_ascii_whitespace()) {
            match bytes[i] {
                b'\\' if !single => i += 1,
                b'\'' if !double => single = !single,
                b'"' if !single => double = !double,
                _ => {}
            }
            i += 1;
        }
        out.push(Word { start, end: i.min(bytes.len()) });
    }
    out
}

/// Environment variables whose assignment an allow rule matches past (permissions.md names
/// `NODE_ENV`; the CLI's full list is built in and not published).
const SAFE_ASSIGNMENTS: &[&str] = &["NODE_ENV"];

fn is_assignment(word: &str) -> Option<&str> {
    let (name, _) = word.split_once('=')?;
    let mut chars = name.chars();
    let first = chars.next()?;
    ((first.is_ascii_alphabetic() || first == '_') && chars.all(|c| c.is_ascii_alphanumeric() || c == '_'))
        .then_some(name)
}

/// The command with wrappers and leading assignments stripped (permissions.md "Wrappers").
/// `any_assignment`: deny and ask rules match past any assignment; allow rules only past
/// known-safe ones. Returns the rest and the first assignment that stopped the stripping.
fn strip(command: &str, any_assignment: bool) -> (String, Option<String>) {
    let ws = words(command);
    let text = |w: &Word| &command[w.start..w.end];
    let mut i = 0;
    let mut blocked = None;
    while let Some(w) = ws.get(i) {
        let word = text(w);
        if let Some(name) = is_assignment(word) {
            if any_assignment || SAFE_ASSIGNMENTS.contains(&name) {
                i += 1;
                continue;
            }
            blocked = Some(name.to_owned());
            break;
        }
        let next = ws.get(i + 1).map(text);
        let flag = |s: Option<&str>| s.is_some_and(|s| s.starts_with('-'));
        let skip = match word {
            "nohup" | "noglob" | "builtin" => 1,
            "command" if matches!(next, Some("-v" | "-V")) => 0,
            "command" if next == Some("-p") => 2,
            "command" => 1,
            "xargs" if flag(next) => 0,
            "xargs" => 1,
            "time" => 1 + usize::from(next == Some("-p")),
            "nice" => match next {
                Some("-n") => 3,
                Some(n) if n.starts_with('-') => 2,
                _ => 1,
            },
            "timeout" => {
                // Options, then the duration.
                let mut j = i + 1;
                while let Some(opt) = ws.get(j).map(text).filter(|s| s.starts_with('-')) {
                    let takes_value = matches!(opt, "-s" | "--signal" | "-k" | "--kill-after");
                    j += if takes_value { 2 } else { 1 };
                }
                j + 1 - i
            }
            "stdbuf" => {
                let mut j = i + 1;
                while let Some(opt) = ws.get(j).map(text).filter(|s| s.starts_with('-')) {
                    let separate = matches!(opt, "-i" | "-o" | "-e");
                    j += if separate { 2 } else { 1 };
                }
                j - i
            }
            _ => 0,
        };
        if skip == 0 || i + skip >= ws.len() {
            break;
        }
        i += skip;
    }
    let rest = ws.get(i).map_or("", |w| &command[w.start..]);
    (rest.trim().to_owned(), blocked)
}

/// Exec wrappers a prefix rule cannot approve, and `find` with `-exec`/`-delete`.
fn exec_wrapper(command: &str) -> bool {
    let ws = words(command);
    let first = ws.first().map(|w| &command[w.start..w.end]).unwrap_or_default();
    matches!(first, "watch" | "setsid" | "ionice" | "flock")
        || (first == "find"
            && ws
                .iter()
                .any(|w| matches!(&command[w.start..w.end], "-exec" | "-execdir" | "-ok" | "-okdir" | "-delete")))
}

/// A redirection of output to a file other than `/dev/null`, outside quotes.
fn writes_file(command: &str) -> bool {
    let ws = words(command);
    ws.iter().enumerate().any(|(i, w)| {
        let word = &command[w.start..w.end];
        if word.starts_with(['\'', '"']) {
            return false;
        }
        let Some(at) = word.find('>') else { return false };
        let target = word[at..].trim_start_matches(['>', '&', '|']);
        let target = if target.is_empty() { ws.get(i + 1).map_or("", |n| &command[n.start..n.end]) } else { target };
        target != "/dev/null" && !target.chars().all(|c| c.is_ascii_digit())
    })
}

/// Built-in read-only commands (permissions.md "Read-only commands"): they run without a
/// prompt in every mode. `git` counts for its read-only subcommands only.
fn read_only(command: &str) -> bool {
    let ws = words(command);
    let word = |i: usize| ws.get(i).map(|w| &command[w.start..w.end]);
    let Some(first) = word(0) else { return false };
    if writes_file(command) || exec_wrapper(command) {
        return false;
    }
    match first {
        "ls" | "cat" | "echo" | "pwd" | "head" | "tail" | "grep" | "find" | "wc" | "which" | "diff" | "stat" | "du" => {
            true
        }
        "git" => matches!(word(1), Some("status" | "log" | "diff" | "show" | "blame" | "ls-files" | "rev-parse")),
        _ => false,
    }
}

/// `rm` or `rmdir` of a critical path (permission-rules.md §4.6): the filesystem root, a
/// top-level directory, the home directory, the working directory or one of its parents.
fn critical_rm(command: &str, dirs: &Dirs) -> bool {
    let ws = words(command);
    let word = |w: &Word| command[w.start..w.end].trim_matches(['\'', '"']);
    if !ws.first().is_some_and(|w| matches!(word(w), "rm" | "rmdir")) {
        return false;
    }
    ws.iter().skip(1).map(word).filter(|w| !w.starts_with('-')).any(|arg| {
        let arg = arg.trim_end_matches("/*").trim_end_matches('*');
        let arg = if arg.is_empty() { "/" } else { arg };
        let path = resolve_path(arg, &dirs.cwd, &dirs.home);
        path.components().count() <= 2 || path == dirs.home || dirs.cwd.starts_with(&path)
    })
}

/// Commands `acceptEdits` approves in the working directories.
fn filesystem_command(command: &str) -> bool {
    let ws = words(command);
    ws.first().is_some_and(|w| matches!(&command[w.start..w.end], "mkdir" | "touch" | "mv" | "cp"))
}

fn command_rule_matches(active: &Active<'_>, tool: &str, candidates: &[&str], exact_only: bool) -> Hit {
    let rule = &active.rule;
    if !names_tool(rule, tool) {
        return Hit::No;
    }
    if matches!(rule.kind, RuleTool::NameGlob) {
        return Hit::Yes;
    }
    let mut parameter = false;
    for c in candidates {
        match match_command(rule, c) {
            SpecMatch::Any | SpecMatch::Yes if exact_only && rule.specifier.is_none_or(|s| s.contains('*')) => {}
            SpecMatch::Any | SpecMatch::Yes => return Hit::Yes,
            SpecMatch::Parameter => parameter = true,
            SpecMatch::No => {}
        }
    }
    if parameter { Hit::Parameter } else { Hit::No }
}

/// A command call: deny and ask rules on any part, then every part must be allowed.
fn command_call(ctx: &mut Ctx<'_>, call: &Call, mode: PermissionMode, mode_entry: Option<usize>) -> Verdict {
    let command = call.arg.clone().unwrap_or_default();
    let parts = split_compound(&command);
    let sandbox = sandbox_auto_allow(ctx) && call.tool == "Bash";
    let mut parameter_noted = false;
    // Deny, then ask: one matching part decides the whole call.
    for list in [List::Deny, List::Ask] {
        for part in &parts {
            let (stripped, _) = strip(part, true);
            let candidates = [part.as_str(), stripped.as_str()];
            for a in 0..ctx.rules.len() {
                if ctx.rules[a].list != list {
                    continue;
                }
                let hit = command_rule_matches(&ctx.rules[a], &call.tool, &candidates, false);
                if hit == Hit::Parameter && !parameter_noted {
                    parameter_noted = true;
                    let text = rule_text(ctx, ctx.rules[a].entry).to_owned();
                    ctx.notes.push(format!("`{text}` matches on an input parameter, which a call written as `Tool(input)` does not carry; it was not evaluated"));
                }
                if hit != Hit::Yes {
                    continue;
                }
                let entry = ctx.rules[a].entry;
                // Sandboxed Bash substitutes for a whole-tool ask rule (permissions.md).
                if list == List::Ask
                    && sandbox
                    && ctx.rules[a].rule.specifier.is_none_or(|s| s.trim() == "*")
                    && mode != PermissionMode::Plan
                {
                    ctx.notes.push(format!("`{}` asks for every Bash command, but sandboxed commands run without that prompt (`autoAllowBashIfSandboxed`)", rule_text(ctx, entry)));
                    continue;
                }
                let mut v = match list {
                    List::Deny => {
                        glob_note(ctx, a);
                        verdict(Decision::Deny, Basis::Rule { list, entry })
                    }
                    _ if mode == PermissionMode::DontAsk => {
                        glob_note(ctx, a);
                        ctx.notes.push(
                            "the ask rule would prompt, and `dontAsk` mode denies every call that would prompt".into(),
                        );
                        verdict(Decision::Deny, Basis::Rule { list, entry })
                    }
                    _ => {
                        glob_note(ctx, a);
                        verdict(Decision::Ask, Basis::Rule { list, entry })
                    }
                };
                if parts.len() > 1 {
                    v.parts = vec![Part { command: part.clone(), decision: v.decision, basis: v.basis.clone() }];
                }
                return v;
            }
        }
    }
    // `rm`/`rmdir` on a critical path is never approved by allow rules, the sandbox or bypass mode.
    let critical: Vec<&String> =
        parts.iter().filter(|p| call.tool == "Bash" && critical_rm(&strip(p, true).0, &ctx.dirs)).collect();
    if !critical.is_empty() {
        ctx.notes.push("`rm` or `rmdir` on a critical path (the filesystem root, a top-level directory, the home directory, the working directory or one of its parents) always goes through the permission flow: allow rules, the sandbox and bypass mode do not approve it".into());
        if mode == PermissionMode::BypassPermissions {
            return verdict(
                Decision::Ask,
                Basis::Mode {
                    mode,
                    entry: mode_entry,
                    how: "`rm` on a critical path asks for permission even in bypass mode".into(),
                },
            );
        }
    }
    if mode == PermissionMode::BypassPermissions {
        return bypass_allows(mode_entry);
    }
    // Allow: every part on its own.
    let mut decided: Vec<Part> = Vec::new();
    let mut open: Vec<String> = Vec::new();
    for part in &parts {
        if critical.contains(&part) {
            open.push(part.clone());
            continue;
        }
        let (stripped, blocked) = strip(part, false);
        let exact_only = exec_wrapper(&stripped);
        let candidates = [part.as_str(), stripped.as_str()];
        let found = (0..ctx.rules.len()).find(|&a| {
            ctx.rules[a].list == List::Allow
                && command_rule_matches(&ctx.rules[a], &call.tool, &candidates, exact_only) == Hit::Yes
        });
        if let Some(a) = found {
            decided.push(Part {
                command: part.clone(),
                decision: Decision::Allow,
                basis: Basis::Rule { list: List::Allow, entry: ctx.rules[a].entry },
            });
            continue;
        }
        if call.tool == "Bash" && read_only(&stripped) {
            decided.push(Part {
                command: part.clone(),
                decision: Decision::Allow,
                basis: Basis::Builtin { how: "a built-in read-only command runs without a prompt".into() },
            });
            if stripped.starts_with("git ") {
                ctx.notes.push("agentlint counts `git status`, `log`, `diff`, `show`, `blame`, `ls-files` and `rev-parse` as read-only; the CLI's own list of read-only git forms is built in".into());
            }
            continue;
        }
        if let Some(name) = blocked {
            ctx.notes.push(format!("allow rules match past an assignment of known-safe variables only (such as `NODE_ENV`); `{name}=` may stop an allow rule from matching"));
        }
        if exact_only {
            ctx.notes.push(format!(
                "`{}` runs another command: only an allow rule for the exact command approves it",
                crate::rules::shown_text(&stripped)
            ));
        }
        if writes_file(part) {
            ctx.notes.push("the CLI also checks an output redirection's target as a file write (Edit rules, protected paths); agentlint does not".into());
        }
        open.push(part.clone());
    }
    if open.is_empty() {
        let basis = decided.first().map(|p| p.basis.clone()).unwrap_or(Basis::Builtin { how: String::new() });
        let mut v = verdict(Decision::Allow, basis);
        if parts.len() > 1 {
            v.parts = decided;
        }
        return v;
    }
    let mut v = if sandbox
        && critical.is_empty()
        && mode != PermissionMode::Plan
        && !open.iter().any(|p| excluded_command(ctx, p))
    {
        ctx.notes.push(
            "sandboxed Bash runs without a prompt only where the sandbox can start; without it the mode decides".into(),
        );
        verdict(
            Decision::Allow,
            Basis::Builtin {
                how: "the sandbox is enabled and approves sandboxed Bash commands (`autoAllowBashIfSandboxed`)".into(),
            },
        )
    } else {
        let why = if parts.len() > 1 { "no allow rule matches every part" } else { "no rule matches" };
        let fs_only =
            mode == PermissionMode::AcceptEdits && open.iter().all(|p| filesystem_command(&strip(p, false).0));
        if fs_only {
            ctx.notes.push("`acceptEdits` approves `mkdir`, `touch`, `mv` and `cp` on paths in the working directories (the 2.1.76-era docs also list `rm`); agentlint does not check the paths".into());
        }
        by_mode(ctx, mode, mode_entry, Family::Command, why, fs_only)
    };
    if parts.len() > 1 {
        for part in open {
            decided.push(Part { command: part, decision: v.decision, basis: v.basis.clone() });
        }
        // Keep the order of the command line.
        decided.sort_by_key(|p| parts.iter().position(|q| *q == p.command));
        v.parts = decided;
    }
    v
}

/// Sandboxed Bash runs without a prompt: `sandbox.enabled` and `autoAllowBashIfSandboxed` not
/// turned off.
fn sandbox_auto_allow(ctx: &Ctx<'_>) -> bool {
    let sandbox = ctx.merged.tree.get("sandbox");
    let flag = |key: &str| {
        sandbox.and_then(|s| s.get(key)).and_then(|n| match n.value {
            Value::Bool(b) => Some(b),
            _ => None,
        })
    };
    flag("enabled") == Some(true) && flag("auto_allow_bash_if_sandboxed") != Some(false)
}

/// A command the sandbox's `excludedCommands` run outside it.
fn excluded_command(ctx: &Ctx<'_>, command: &str) -> bool {
    let Some(list) = ctx.merged.tree.get("sandbox").and_then(|s| s.get("excluded_commands")).and_then(|n| n.as_seq())
    else {
        return false;
    };
    list.iter().filter_map(|n| n.as_str()).any(|pattern| {
        let text = format!("Bash({pattern})");
        parse_rule(&text, RuleList::Deny)
            .is_ok_and(|r| matches!(match_command(&r, command), SpecMatch::Any | SpecMatch::Yes))
    })
}

/// Allow rules that wait for workspace trust and would have decided: say so.
fn untrusted_notes(ctx: &mut Ctx<'_>, call: &Call, verdict: &Verdict) {
    // Only where the allow rule would have made a difference: the mode decided (a part of) it.
    let mode_decided = matches!(verdict.basis, Basis::Mode { .. })
        || verdict.parts.iter().any(|p| matches!(p.basis, Basis::Mode { .. }));
    if ctx.merged.trusted || !mode_decided || verdict.decision == Decision::Allow {
        return;
    }
    let mut trusted_rules = Vec::new();
    for (i, entry) in ctx.merged.of("allowed_tools") {
        if entry.status != Status::NeedsTrust {
            continue;
        }
        let Some(text) = entry.node.as_str() else { continue };
        let Ok(rule) = parse_rule(text, RuleList::Allow) else { continue };
        let anchor = anchor_of(ctx.session, entry.layer, &ctx.home);
        trusted_rules.push(Active { list: List::Allow, entry: i, rule, anchor });
    }
    for active in &trusted_rules {
        let hit = match family(&call.tool) {
            Family::Command => {
                let command = call.arg.clone().unwrap_or_default();
                split_compound(&command).iter().any(|part| {
                    let (stripped, _) = strip(part, false);
                    command_rule_matches(active, &call.tool, &[part.as_str(), stripped.as_str()], false) == Hit::Yes
                })
            }
            fam => {
                let path = matches!(fam, Family::Read | Family::Edit)
                    .then(|| call.arg.as_deref().map(|p| resolve_path(p, &ctx.session.dir, &ctx.home)))
                    .flatten();
                let host = (fam == Family::Fetch).then(|| call.arg.as_deref().map(host_of)).flatten();
                rule_matches(active, call, path.as_deref(), host.as_deref(), &ctx.dirs) == Hit::Yes
            }
        };
        if hit {
            let text = rule_text(ctx, active.entry).to_owned();
            let at = ctx.session.at(ctx.merged.entries[active.entry].node.span);
            ctx.notes.push(format!(
                "the project allow rule `{text}` ({at}) applies only in a trusted folder (`--trusted`); print-mode and SDK sessions do not apply it on CLI 2.1.332, while 2.1.76 applies it anyway (measured)"
            ));
            break;
        }
    }
}

/// The mode entry's value as written, for output.
pub(crate) fn mode_written(merged: &Merged, entry: Option<usize>) -> Option<String> {
    let e = &merged.entries[entry?];
    match &e.node.value {
        Value::Bool(true) => Some("--dangerously-skip-permissions".into()),
        _ => mode_of(&e.node).map(|m| m.cli_name().to_owned()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn compound_commands_split_outside_quotes() {
        assert_eq!(split_compound("git status && npm test"), ["git status", "npm test"]);
        assert_eq!(split_compound("a || b; c | d |& e & f\ng"), ["a", "b", "c", "d", "e", "f", "g"]);
        assert_eq!(split_compound("echo 'a && b' \"c; d\""), ["echo 'a && b' \"c; d\""]);
        assert_eq!(split_compound("make 2>&1 | tee log"), ["make 2>&1", "tee log"]);
        assert_eq!(split_compound("  ;; "), Vec::<String>::new());
    }

    #[test]
    fn wrappers_and_assignments_are_stripped() {
        assert_eq!(strip("timeout 30 npm test", false).0, "npm test");
        assert_eq!(strip("timeout -s KILL 5 npm test", false).0, "npm test");
        assert_eq!(strip("nice -n 10 nohup make", false).0, "make");
        assert_eq!(strip("stdbuf -oL -e 0 grep x", false).0, "grep x");
        assert_eq!(strip("command -v git", false).0, "command -v git");
        assert_eq!(strip("xargs grep x", false).0, "grep x");
        assert_eq!(strip("xargs -n1 grep x", false).0, "xargs -n1 grep x");
        assert_eq!(strip("NODE_ENV=test npm test", false).0, "npm test");
        assert_eq!(strip("FOO=bar rm -rf tmp", false), ("FOO=bar rm -rf tmp".into(), Some("FOO".into())));
        assert_eq!(strip("FOO=bar rm -rf tmp", true).0, "rm -rf tmp");
        assert_eq!(strip("time -p noglob builtin ls", false).0, "ls");
    }

    #[test]
    fn read_only_commands() {
        for c in ["ls -la", "cat README.md", "git status", "git log --oneline", "grep -r x .", "find . -name x"] {
            assert!(read_only(c), "{c}");
        }
        for c in ["ls > out.txt", "git push", "find . -delete", "rm x", "npm test", "watch ls"] {
            assert!(!read_only(c), "{c}");
        }
        assert!(read_only("ls 2>/dev/null"));
    }

    #[test]
    fn critical_paths_for_rm() {
        let dirs = Dirs { cwd: PathBuf::from("/work/app"), home: PathBuf::from("/home/a") };
        for c in
            ["rm -rf /", "rm -rf /*", "rm -rf /usr", "rmdir ~", "rm -rf .", "rm -rf ..", "rm -r /work", "rm -rf ~/"]
        {
            assert!(critical_rm(c, &dirs), "{c}");
        }
        for c in ["rm -rf build", "rm -f /work/app/target/x", "rm ~/notes/old.md", "ls /"] {
            assert!(!critical_rm(c, &dirs), "{c}");
        }
    }

    #[test]
    fn calls_parse() {
        let c = parse_call(" Bash(git push origin main) ").unwrap();
        assert_eq!((c.tool.as_str(), c.arg.as_deref()), ("Bash", Some("git push origin main")));
        assert_eq!(parse_call("mcp__github__get_issue").unwrap().tool, "mcp__github__get_issue");
        assert_eq!(parse_call("WebSearch").unwrap().arg, None);
        assert!(parse_call("bash(ls)").unwrap_err().contains("did you mean `Bash`?"));
        assert!(parse_call("Bash").unwrap_err().contains("give `Bash` its input"));
        assert!(parse_call("Bash(ls").is_err());
        assert!(parse_call("mcp__github").is_err());
    }

    #[test]
    fn protected_paths() {
        assert_eq!(protected_path(Path::new("/r/.git/config")).as_deref(), Some(".git/"));
        assert_eq!(protected_path(Path::new("/r/.claude/settings.json")).as_deref(), Some(".claude/"));
        assert_eq!(protected_path(Path::new("/r/.claude/worktrees/x")), None);
        assert_eq!(protected_path(Path::new("/home/a/.zshrc")).as_deref(), Some(".zshrc"));
        assert_eq!(protected_path(Path::new("/r/src/main.rs")), None);
    }

    #[test]
    fn hosts() {
        assert_eq!(host_of("https://API.example.com:443/x?y"), "API.example.com");
        assert_eq!(host_of("example.com/path"), "example.com");
    }
}
