//! Claude Code *permission rules*: the strings in `allowed_tools`, `disallowed_tools`,
//! `tools`, `permissions.allow` / `deny` and friends (`Bash(git log:*)`, `Read(./src/**)`,
//! `WebFetch(domain:example.com)`, `mcp__github__get_issue`).
//!
//! The grammar is `Tool` or `Tool(specifier)` (reference `permission-rules.md` §4.1). The
//! `SchemaStore` `permissionRule` regex is stricter than the CLI and one snapshot of it cannot
//! even be compiled by Rust's `regex` (pitfalls 18), so this is a hand-written parser. It
//! reports every problem with the byte range *within the rule string* that is wrong, so a
//! caller can translate it into a span inside the config file.
//!
//! Decisions where the reference is silent are written down next to the code that makes them;
//! the important ones:
//!
//! * Surrounding whitespace of the whole rule is ignored; whitespace *inside* the tool name is
//!   an error.
//! * Parentheses inside the specifier must be balanced (`Bash(echo $(date))` parses); `\(`,
//!   `\)` and `\\` are escapes that do not count towards the nesting.
//! * A specifier on a tool whose specifier form is "none" is an error, except the
//!   `name:value` input-parameter form in a deny list. Path rules on `Write`, `NotebookEdit`,
//!   `Glob`, `Grep`, `LSP` and `MultiEdit` are errors too: the CLI accepts them but never
//!   consults them, so such a deny rule protects nothing.
//! * Legacy names (`Task`, `MultiEdit`, `KillShell`, `View`, `LS`) parse; their
//!   [`ToolStatus::Legacy`] lets the caller warn. `Cd` is current but restricts only the user's
//!   `/cd` command, so it has its own status, [`ToolStatus::NotModelTool`].
//! * A rule containing a comma is accepted here; splitting CSV lists is the caller's job.

use std::fmt;

/// Where a rule list is used; deny-only forms (tool-name globs like `*`, `mcp__*`,
/// input-parameter specifiers) are legal in deny lists but not meaningful in allow lists.
///
/// `Tools` (the SDK / subagent `tools` list) is checked like `Allow`: it names what the agent
/// may use, so the deny-only forms are errors there too. Ask lists share the deny-list forms,
/// so parse them as `Deny`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RuleList {
    Allow,
    Deny,
    Tools,
}

/// What a built-in tool can do, for mode/tool mismatch checks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ToolEffect {
    /// Only reads files or agent state (`Read`, `Grep`, `Glob`, `LSP`, `TaskList`, ...).
    ReadOnly,
    /// Writes files (`Edit`, `Write`, `NotebookEdit`, `MultiEdit`).
    Writes,
    /// Runs commands (`Bash`, `PowerShell`, `Monitor`).
    Executes,
    /// Reaches the network (`WebFetch`, `WebSearch`).
    Network,
    /// Anything else: subagents, skills, plan mode, task/cron bookkeeping, notifications.
    Other,
}

/// Whether a tool name is current, so a caller can warn about outdated names (pitfalls 17:
/// `"View"` in published examples) instead of rejecting them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ToolStatus {
    /// In the current tool list (reference §4.2).
    Current,
    /// Not a current tool name; `replacement` is the name to use instead. `Task(...)` still
    /// works as an alias of `Agent`; `MultiEdit`, `KillShell`, `View` and `LS` rules do not
    /// match any current tool.
    Legacy { replacement: &'static str },
    /// A valid rule name that is not a model tool: `Cd(...)` rules restrict the user's `/cd`
    /// command (CLI ≥ 2.1.169). Listing it in `tools` or `allowed_tools` gives the agent nothing.
    NotModelTool,
}

/// One built-in rule name: what the tool does, whether the name is current, and whether a
/// `Tool(specifier)` form exists for it (reference §4.2 "Specifier form").
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ToolInfo {
    pub name: &'static str,
    pub effect: ToolEffect,
    pub status: ToolStatus,
    /// False for "none" and for the tools whose rules are written as `Read(...)` / `Edit(...)`
    /// rules instead (`Glob`, `Grep`, `LSP`, `Write`, `NotebookEdit`, `MultiEdit`).
    pub takes_specifier: bool,
}

const fn current(name: &'static str, effect: ToolEffect, takes_specifier: bool) -> ToolInfo {
    ToolInfo { name, effect, status: ToolStatus::Current, takes_specifier }
}

const fn legacy(name: &'static str, effect: ToolEffect, replacement: &'static str, takes_specifier: bool) -> ToolInfo {
    ToolInfo { name, effect, status: ToolStatus::Legacy { replacement }, takes_specifier }
}

use ToolEffect::{Executes, Network, Other, ReadOnly, Writes};

/// Reference §4.2, current list first (in the reference's order), then the other names.
static TOOLS: &[ToolInfo] = &[
    current("Agent", Other, true),
    current("Artifact", Other, false),
    current("AskUserQuestion", Other, false),
    current("Bash", Executes, true),
    current("CronCreate", Other, false),
    current("CronDelete", Other, false),
    current("CronList", ReadOnly, false),
    current("Edit", Writes, true),
    current("EndConversation", Other, false),
    current("EnterPlanMode", Other, false),
    current("EnterWorktree", Other, false),
    current("ExitPlanMode", Other, false),
    current("ExitWorktree", Other, false),
    current("Glob", ReadOnly, false),
    current("Grep", ReadOnly, false),
    current("ListAgents", ReadOnly, false),
    current("ListMcpResourcesTool", ReadOnly, false),
    current("LSP", ReadOnly, false),
    current("Monitor", Executes, true),
    current("NotebookEdit", Writes, false),
    current("PowerShell", Executes, true),
    current("PushNotification", Other, false),
    current("Read", ReadOnly, true),
    current("ReadMcpResourceTool", ReadOnly, false),
    current("RemoteTrigger", Other, false),
    current("ReportFindings", Other, false),
    current("ScheduleWakeup", Other, false),
    current("SendMessage", Other, false),
    current("SendUserFile", Other, false),
    current("ShareOnboardingGuide", Other, false),
    current("Skill", Other, true),
    current("TaskCreate", Other, false),
    current("TaskGet", ReadOnly, false),
    current("TaskList", ReadOnly, false),
    current("TaskUpdate", Other, false),
    // The reference marks TaskOutput "deprecated" but it is still in the current list and
    // names no replacement, so it stays `Current`.
    current("TaskOutput", ReadOnly, false),
    current("TaskStop", Other, false),
    current("TodoWrite", Other, false),
    current("ToolSearch", ReadOnly, false),
    current("WaitForMcpServers", Other, false),
    current("WebFetch", Network, true),
    current("WebSearch", Network, false),
    current("Workflow", Other, false),
    current("Write", Writes, false),
    legacy("Task", Other, "Agent", true),
    legacy("MultiEdit", Writes, "Edit", false),
    legacy("KillShell", Other, "TaskStop", false),
    legacy("View", ReadOnly, "Read", false),
    // LS listed a directory; Glob is the current tool for that.
    legacy("LS", ReadOnly, "Glob", false),
    ToolInfo { name: "Cd", effect: Other, status: ToolStatus::NotModelTool, takes_specifier: true },
];

/// Every built-in rule name: the current list of reference §4.2 plus `Task`, `MultiEdit`,
/// `KillShell`, `View`, `LS` and `Cd`, so lookups and suggestions know them all.
#[must_use]
pub fn builtin_tools() -> &'static [ToolInfo] {
    TOOLS
}

/// The built-in tool with exactly this name. Names are case-sensitive (reference §4.1), so
/// `bash` is not `Bash`; use [`closest_tool`] for a suggestion.
#[must_use]
pub fn tool_info(name: &str) -> Option<&'static ToolInfo> {
    TOOLS.iter().find(|t| t.name == name)
}

/// A parsed rule. `tool` is the tool part as written; `specifier` the text inside the
/// parentheses (None for a bare tool). Both borrow from the rule string, without the
/// surrounding whitespace of the rule.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PermissionRule<'a> {
    pub tool: &'a str,
    pub specifier: Option<&'a str>,
    pub kind: RuleTool,
}

/// What the tool part of a rule names, so checks need not re-parse it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RuleTool {
    /// A built-in name, including legacy ones (see [`ToolInfo::status`]).
    Builtin(&'static ToolInfo),
    /// `mcp__<server>` (`tool: None`) or `mcp__<server>__<tool>`. The server is the text up to
    /// the first `__` after `mcp__`; it may contain a `*` glob only in deny lists. The tool may
    /// be a glob (`*`, `get_*`).
    Mcp { server: String, tool: Option<String> },
    /// A tool-name glob that must match whole names: `*`, `B*`, `mcp__*`, `mcp__git*`.
    /// Only legal in deny lists.
    NameGlob,
}

/// A parse failure with the byte range *within the rule string* that is wrong, a message, and
/// a help text (e.g. closest tool name).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RuleError {
    pub start: usize,
    pub end: usize,
    pub message: String,
    pub help: Option<String>,
}

impl fmt::Display for RuleError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for RuleError {}

fn error(start: usize, end: usize, message: impl Into<String>, help: Option<String>) -> RuleError {
    RuleError { start, end, message: message.into(), help }
}

/// How a built-in tool's specifier is interpreted (reference §4.3).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum SpecKind {
    /// `Bash(...)`, `Monitor(...)`, `PowerShell(...)`.
    Command,
    /// `Read(...)`, `Edit(...)`, `Cd(...)`: gitignore-style path patterns.
    Path,
    /// `WebFetch(domain:<host>)`.
    Domain,
    /// `Agent(<subagentType>)`, legacy `Task(...)`.
    Subagent,
    /// `Skill(<name or pattern>)`.
    Skill,
    /// No specifier form.
    None,
}

fn spec_kind(info: &ToolInfo) -> SpecKind {
    match info.name {
        "Bash" | "Monitor" | "PowerShell" => SpecKind::Command,
        "Read" | "Edit" | "Cd" => SpecKind::Path,
        "WebFetch" => SpecKind::Domain,
        "Agent" | "Task" => SpecKind::Subagent,
        "Skill" => SpecKind::Skill,
        _ => SpecKind::None,
    }
}

/// Fields that input-parameter rules cannot target; the CLI ignores such rules with a startup
/// warning (reference §4.3 "Input parameter").
const PRIMARY_FIELDS: &[&str] = &["command", "file_path", "path", "notebook_path", "url"];

/// Input parameters that the reference names for tools that also have an ordinary specifier,
/// so `Agent(model:opus)` is known to be a parameter match and not a subagent type. Kept to the
/// reference's examples on purpose: `Bash(timeout:*)` must stay the legacy prefix form of the
/// `timeout` command.
fn known_params(info: &ToolInfo) -> &'static [&'static str] {
    match info.name {
        "Agent" | "Task" => &["model", "isolation"],
        "Bash" => &["run_in_background"],
        _ => &[],
    }
}

/// Splits `name:value` when `name` looks like an input-parameter name. A value starting with
/// `//` is a URL (`https://...`), not a parameter.
fn input_param(spec: &str) -> Option<(&str, &str)> {
    let (key, value) = spec.split_once(':')?;
    let mut chars = key.chars();
    let first = chars.next()?;
    if !(first.is_ascii_alphabetic() || first == '_')
        || !chars.all(|c| c.is_ascii_alphanumeric() || c == '_')
        || value.starts_with("//")
    {
        return None;
    }
    Some((key, value))
}

/// The parameter split of `spec` when it is an input-parameter rule of a tool that also has an
/// ordinary specifier form.
fn known_param<'s>(info: &ToolInfo, spec: &'s str) -> Option<(&'s str, &'s str)> {
    input_param(spec).filter(|(key, _)| known_params(info).contains(key))
}

/// Parses one permission rule. Errors carry byte ranges into `text` (not the trimmed text).
///
/// Checks, in order: emptiness; parenthesis structure (unclosed `(`, unmatched `)`, text after
/// the closing `)`); the tool part (missing, whitespace or illegal characters, unknown name);
/// deny-only tool forms in allow/tools lists; the specifier (empty, wrong form for the tool,
/// primary-field parameter rules, deny-only parameter rules in allow/tools lists).
///
/// # Errors
///
/// A [`RuleError`] for the first problem found, with its byte range in `text`.
pub fn parse_rule(text: &str, list: RuleList) -> Result<PermissionRule<'_>, RuleError> {
    let start = text.len() - text.trim_start().len();
    let end = text.trim_end().len();
    if start >= end {
        return Err(error(
            0,
            text.len(),
            "empty permission rule",
            Some("remove the entry, or name a tool such as \"Read\"".into()),
        ));
    }
    let body = &text[start..end];
    let open = body.find('(').map(|i| start + i);
    let tool_end = open.unwrap_or(end);

    // A `)` before any `(` can only be an unmatched one (`Bash)`).
    if let Some(i) = text[start..tool_end].find(')') {
        let at = start + i;
        return Err(error(at, at + 1, "unmatched `)`", Some("a rule is `Tool` or `Tool(specifier)`".into())));
    }

    let spec_range = match open {
        None => None,
        Some(open) => {
            let close = matching_paren(text, open, end)
                .ok_or_else(|| error(open, open + 1, "unclosed `(`", Some("add `)` at the end of the rule".into())))?;
            let rest = &text[close + 1..end];
            if !rest.is_empty() {
                let at = end - rest.trim_start().len();
                return Err(if text[at..].starts_with(')') {
                    error(
                        at,
                        at + 1,
                        "unmatched `)`",
                        Some("remove it, or balance the parentheses inside the specifier".into()),
                    )
                } else {
                    error(
                        at,
                        end,
                        "unexpected text after the closing `)`",
                        Some("a rule ends at its closing parenthesis; write each rule as its own list entry".into()),
                    )
                });
            }
            Some((open, close))
        }
    };

    let tool = check_tool_part(text, start, tool_end, open)?;
    let kind = classify_tool(start, tool, list)?;
    let specifier = match spec_range {
        None => None,
        Some((open, close)) => {
            check_specifier(text, tool, &kind, list, open, close)?;
            Some(&text[open + 1..close])
        }
    };
    Ok(PermissionRule { tool, specifier, kind })
}

/// Index of the `)` that closes the `(` at `open`, counting nested pairs. A backslash escapes
/// the next character, so `\)` does not close anything.
fn matching_paren(text: &str, open: usize, end: usize) -> Option<usize> {
    let bytes = text.as_bytes();
    let mut depth = 0usize;
    let mut i = open;
    while i < end {
        match bytes[i] {
            b'\\' => {
                i += 2;
                continue;
            }
            b'(' => depth += 1,
            b')' => {
                depth -= 1;
                if depth == 0 {
                    return Some(i);
                }
            }
            _ => {}
        }
        i += 1;
    }
    None
}

fn is_name_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '.' | '*')
}

/// Validates the characters of the tool part `text[start..end]` and returns it.
fn check_tool_part(text: &str, start: usize, end: usize, open: Option<usize>) -> Result<&str, RuleError> {
    let tool = &text[start..end];
    if tool.is_empty() {
        // Only reachable with a `(` (the rule is not empty).
        let open = open.unwrap_or(start);
        return Err(error(
            open,
            open + 1,
            "missing tool name before `(`",
            Some("a rule is `Tool` or `Tool(specifier)`, e.g. \"Bash(git log *)\"".into()),
        ));
    }
    let Some((i, c)) = tool.char_indices().find(|&(_, c)| !is_name_char(c)) else {
        return Ok(tool);
    };
    let at = start + i;
    if c.is_whitespace() {
        let run = tool[i..].char_indices().find(|&(_, c)| !c.is_whitespace()).map_or(tool.len() - i, |(j, _)| j);
        let head = &tool[..i];
        let tail = &tool[i + run..];
        let help = if tail.is_empty() {
            Some("remove the whitespace before `(`".to_string())
        } else if open.is_none() && tool_info(head).is_some() {
            Some(format!("put the specifier in parentheses: \"{head}({tail})\""))
        } else {
            // Also try the words reversed: transcript labels such as "Stop Task" name the
            // tool `TaskStop` (reference §4.1).
            let words: Vec<&str> = tool.split_whitespace().collect();
            let reversed: String = words.iter().rev().copied().collect();
            closest_tool(&words.concat())
                .or_else(|| closest_tool(&reversed))
                .map(|name| format!("did you mean \"{name}\"?"))
        };
        return Err(error(at, at + run, "tool name contains whitespace", help));
    }
    let help = match c {
        ',' => "write each rule as its own list entry".to_string(),
        '"' | '\'' => "remove the quotes".to_string(),
        _ => "tool names use letters, digits, `_` and `-` (and `*` for globs in deny lists)".to_string(),
    };
    Err(error(at, at + c.len_utf8(), format!("illegal character `{c}` in tool name"), Some(help)))
}

/// Decides what the (character-valid) tool part names; rejects unknown names, malformed MCP
/// names and deny-only forms in allow/tools lists.
fn classify_tool(start: usize, tool: &str, list: RuleList) -> Result<RuleTool, RuleError> {
    let end = start + tool.len();
    let deny_only = list != RuleList::Deny;
    let list_name = match list {
        RuleList::Allow => "an allow list",
        RuleList::Tools => "a tools list",
        RuleList::Deny => "a deny list",
    };
    if let Some(rest) = tool.strip_prefix("mcp__") {
        let rest_start = start + 5;
        let (server, mcp_tool) = match rest.find("__") {
            Some(i) => (&rest[..i], Some((&rest[i + 2..], rest_start + i))),
            None => (rest, None),
        };
        if server.is_empty() {
            return Err(error(
                start,
                end,
                "missing MCP server name",
                Some("MCP rules are `mcp__<server>` or `mcp__<server>__<tool>`".into()),
            ));
        }
        if let Some(("", sep)) = mcp_tool {
            return Err(error(
                sep,
                end,
                "missing MCP tool name after `__`",
                Some(format!("write \"mcp__{server}\" or \"mcp__{server}__*\" for the whole server")),
            ));
        }
        if server.contains('*') {
            if mcp_tool.is_none() {
                if deny_only {
                    return Err(glob_in_allow(start, end, tool, list_name));
                }
                return Ok(RuleTool::NameGlob);
            }
            if deny_only {
                return Err(error(
                    rest_start,
                    rest_start + server.len(),
                    format!("MCP server glob in {list_name}"),
                    Some(
                        "the CLI skips allow rules without a literal, glob-free \
                         `mcp__<server>__` prefix; name the server, e.g. \"mcp__github__*\""
                            .into(),
                    ),
                ));
            }
        }
        return Ok(RuleTool::Mcp { server: server.to_string(), tool: mcp_tool.map(|(t, _)| t.to_string()) });
    }
    if tool.contains('*') {
        if deny_only {
            return Err(glob_in_allow(start, end, tool, list_name));
        }
        return Ok(RuleTool::NameGlob);
    }
    if let Some(info) = tool_info(tool) {
        return Ok(RuleTool::Builtin(info));
    }
    let lower = tool.to_ascii_lowercase();
    let help = if lower.starts_with("mcp__") {
        Some("the `mcp__` prefix of MCP rules is lower case".to_string())
    } else if lower.starts_with("mcp_") {
        Some("MCP rules are `mcp__<server>__<tool>`, with two underscores".to_string())
    } else {
        closest_tool(tool).map(|name| format!("did you mean \"{name}\"?")).or_else(|| {
            // `Git(*)`, `NPM(*)`: a program's name written as a tool.
            tool.chars().all(|c| c.is_ascii_alphanumeric() || c == '-').then(|| {
                format!("a shell command is a \"Bash\" rule: write \"Bash({lower} *)\" for the commands that start with `{lower}`")
            })
        })
    };
    Err(error(start, end, format!("unknown tool \"{tool}\""), help))
}

fn glob_in_allow(start: usize, end: usize, tool: &str, list_name: &str) -> RuleError {
    let mut help = String::from(
        "the CLI skips unanchored allow globs (\"*\", \"B*\", \"mcp__*\") with a warning; \
         list the tools by name (tool-name globs work only in deny and ask lists)",
    );
    if tool.starts_with("mcp__") {
        help.push_str(", or allow one server with \"mcp__<server>__*\"");
    }
    error(start, end, format!("tool-name glob \"{tool}\" in {list_name}"), Some(help))
}

/// The tool whose rules cover `name` when `name` itself takes no specifier (reference §4.2).
fn specifier_owner(name: &str) -> Option<&'static str> {
    match name {
        "Glob" | "Grep" | "LSP" | "View" | "LS" => Some("Read"),
        "Write" | "NotebookEdit" | "MultiEdit" => Some("Edit"),
        _ => None,
    }
}

fn check_specifier(
    text: &str,
    tool: &str,
    kind: &RuleTool,
    list: RuleList,
    open: usize,
    close: usize,
) -> Result<(), RuleError> {
    let s0 = open + 1;
    let spec = &text[s0..close];
    if spec.trim().is_empty() {
        return Err(error(
            open,
            close + 1,
            "empty specifier `()`",
            Some(format!("write \"{tool}\" to match every use of the tool")),
        ));
    }
    let param = input_param(spec);
    if let Some((key, value)) = param
        && PRIMARY_FIELDS.contains(&key)
    {
        let help = match kind {
            RuleTool::Builtin(info) if info.name == "WebFetch" => {
                "match the host with \"WebFetch(domain:<host>)\"".to_string()
            }
            RuleTool::Builtin(info) if info.takes_specifier && all_wildcards(value) => {
                format!("write \"{tool}\" to match every `{key}`")
            }
            RuleTool::Builtin(info) if info.takes_specifier => {
                format!("write \"{tool}({value})\" to match on `{key}`")
            }
            RuleTool::Builtin(info) if specifier_owner(info.name).is_some() => {
                let owner = specifier_owner(info.name).unwrap_or("Read");
                format!("write \"{owner}({value})\"")
            }
            _ => format!("remove the `{key}:` rule"),
        };
        return Err(error(
            s0,
            s0 + key.len(),
            format!("input-parameter rules cannot target the primary field `{key}`; the CLI ignores this rule"),
            Some(help),
        ));
    }
    let info = match kind {
        RuleTool::NameGlob => {
            return Err(error(
                s0,
                close,
                "a tool-name glob takes no specifier",
                Some(format!("write \"{tool}\" alone")),
            ));
        }
        RuleTool::Mcp { .. } => None,
        RuleTool::Builtin(info) => Some(*info),
    };
    let spec_kind = info.map_or(SpecKind::None, spec_kind);
    let deny = list == RuleList::Deny;
    match spec_kind {
        SpecKind::Path | SpecKind::Skill => Ok(()),
        SpecKind::Command | SpecKind::Subagent => {
            let info = info.expect("built-in kinds have info");
            match known_param(info, spec) {
                Some((key, _)) if !deny => Err(error(
                    s0,
                    s0 + key.len(),
                    format!("input-parameter rule `{key}:` works only in deny and ask lists"),
                    Some("move it to the deny list, or remove it".into()),
                )),
                Some((key, "")) => Err(missing_param_value(s0, close, key)),
                _ => Ok(()),
            }
        }
        SpecKind::Domain => check_domain(spec, s0, deny),
        SpecKind::None => {
            // `Tool(*)` is the same as `Tool` (as `Bash(*)` is `Bash`): every use of the tool.
            if all_wildcards(spec) {
                return Ok(());
            }
            if deny && let Some((key, value)) = param {
                return if value.is_empty() { Err(missing_param_value(s0, close, key)) } else { Ok(()) };
            }
            Err(no_specifier(tool, info, spec, s0, close))
        }
    }
}

fn missing_param_value(s0: usize, close: usize, key: &str) -> RuleError {
    error(
        s0,
        close,
        format!("input-parameter rule `{key}:` has no value"),
        Some(format!("use \"{key}:*\" to match any value")),
    )
}

fn no_specifier(tool: &str, info: Option<&ToolInfo>, spec: &str, s0: usize, close: usize) -> RuleError {
    let Some(info) = info else {
        return error(
            s0,
            close,
            "MCP rules take no specifier",
            Some(format!(
                "write \"{tool}\" to match the tool (input-parameter rules `name:value` work only in deny lists)"
            )),
        );
    };
    match (info.name, specifier_owner(info.name)) {
        ("Write" | "NotebookEdit" | "Glob" | "MultiEdit", Some(owner)) => {
            error(s0, close, format!("path rules on \"{tool}\" are never consulted"), Some(owner_help(owner, spec)))
        }
        ("View" | "LS", Some(owner)) => error(
            s0,
            close,
            format!("\"{tool}\" is not a current tool and takes no specifier"),
            Some(owner_help(owner, spec)),
        ),
        (_, Some(owner)) => error(s0, close, format!("\"{tool}\" takes no specifier"), Some(owner_help(owner, spec))),
        (_, None) => error(
            s0,
            close,
            format!("\"{tool}\" takes no specifier"),
            Some(format!("write \"{tool}\" to match the whole tool")),
        ),
    }
}

fn owner_help(owner: &str, spec: &str) -> String {
    let covers = if owner == "Read" { "Read, Grep, Glob and LSP" } else { "Edit, Write and NotebookEdit" };
    format!("use \"{owner}({spec})\": a {owner} rule covers {covers}")
}

/// `WebFetch(domain:<host>)`; in deny lists also `WebFetch(<param>:<value>)`.
fn check_domain(spec: &str, s0: usize, deny: bool) -> Result<(), RuleError> {
    let close = s0 + spec.len();
    if let Some(host) = spec.strip_prefix("domain:") {
        return check_host(host, s0 + "domain:".len());
    }
    if let Some(host) = url_host(spec) {
        return Err(error(
            s0,
            close,
            "WebFetch rules match a domain, not a URL",
            Some(format!("write \"WebFetch(domain:{host})\"")),
        ));
    }
    if deny && let Some((key, value)) = input_param(spec) {
        return if value.is_empty() { Err(missing_param_value(s0, close, key)) } else { Ok(()) };
    }
    let help = if spec.to_ascii_lowercase().starts_with("domain:") {
        "write `domain:` in lower case".to_string()
    } else if spec.contains('.') && spec.chars().all(is_host_char) {
        format!("write \"WebFetch(domain:{spec})\"")
    } else {
        "e.g. \"WebFetch(domain:example.com)\" or \"WebFetch(domain:*.example.com)\"".to_string()
    };
    Err(error(s0, close, "WebFetch specifier must be `domain:<host>`", Some(help)))
}

fn is_host_char(c: char) -> bool {
    c.is_alphanumeric() || matches!(c, '-' | '.' | '*' | '_')
}

/// The host of `scheme://[user@]host[:port][/...]`, if `s` looks like a URL.
pub(crate) fn url_host(s: &str) -> Option<&str> {
    let (_, rest) = s.split_once("://")?;
    let authority = rest.split(['/', '?', '#']).next().unwrap_or("");
    let host = authority.rsplit('@').next().unwrap_or(authority);
    let host = host.split(':').next().unwrap_or(host);
    (!host.is_empty()).then_some(host)
}

fn check_host(host: &str, h0: usize) -> Result<(), RuleError> {
    let h1 = h0 + host.len();
    if host.is_empty() {
        return Err(error(
            h0 - "domain:".len(),
            h1,
            "missing host after `domain:`",
            Some("e.g. \"WebFetch(domain:example.com)\"; \"domain:*\" equals bare \"WebFetch\"".into()),
        ));
    }
    if let Some(inner) = url_host(host) {
        return Err(error(h0, h1, "the host must not include a URL scheme", Some(format!("write \"domain:{inner}\""))));
    }
    let Some((i, c)) = host.char_indices().find(|&(_, c)| !is_host_char(c)) else {
        return Ok(());
    };
    let at = h0 + i;
    let good = &host[..i];
    Err(match c {
        '/' => error(
            at,
            h1,
            "the host must not include a path",
            Some(format!("write \"domain:{good}\"; WebFetch rules match hosts only")),
        ),
        ':' => error(at, h1, "the host must not include a port", Some(format!("write \"domain:{good}\""))),
        _ => error(
            at,
            at + c.len_utf8(),
            format!("illegal character `{c}` in host"),
            Some("a host is letters, digits, `-` and `.`, with `*` as a wildcard".into()),
        ),
    })
}

/// Closest known tool name for a misspelling (strsim), if close enough (e.g. "bash" -> "Bash",
/// "Webfetch" -> "WebFetch", "Reed" -> "Read"). Case-insensitive exact match counts as closest.
///
/// "Close enough" is an edit distance (optimal string alignment, case-insensitive) of at most
/// 1 for names of up to 3 characters, 2 up to 6 and 3 beyond; a name whose length alone puts
/// it further away is not compared. Ties prefer current names over legacy ones,
/// then the higher Jaro-Winkler similarity.
#[must_use]
pub fn closest_tool(name: &str) -> Option<&'static str> {
    let name = name.trim();
    if name.is_empty() {
        return None;
    }
    let lower = name.to_lowercase();
    if let Some(t) = TOOLS.iter().find(|t| t.name.to_lowercase() == lower) {
        return Some(t.name);
    }
    let length = lower.chars().count();
    let max = match length {
        0..=3 => 1,
        4..=6 => 2,
        _ => 3,
    };
    let letters = crate::suggest::Letters::of(&lower);
    TOOLS
        .iter()
        .filter(|t| t.name.chars().count().abs_diff(length) <= max && letters.distance_floor(t.name) <= max)
        .filter_map(|t| {
            let candidate = t.name.to_lowercase();
            let distance = strsim::osa_distance(&lower, &candidate);
            (distance <= max).then(|| {
                let similarity = strsim::jaro_winkler(&lower, &candidate);
                (distance, t.status != ToolStatus::Current, similarity, t.name)
            })
        })
        .min_by(|a, b| (a.0, a.1).cmp(&(b.0, b.1)).then(b.2.total_cmp(&a.2)))
        .map(|(.., name)| name)
}

fn builtin_info<'r>(rule: &'r PermissionRule<'_>) -> Option<&'r ToolInfo> {
    match &rule.kind {
        RuleTool::Builtin(info) => Some(info),
        _ => None,
    }
}

/// A command specifier (`Bash`, `Monitor`, `PowerShell`) made only of wildcards, `:` and
/// spaces, with at least one `*`: it matches every command. (`Bash(:)` is the `:` command.)
fn all_wildcards(spec: &str) -> bool {
    spec.contains('*') && spec.chars().all(|c| c == '*' || c == ':' || c.is_whitespace())
}

/// The legacy suffix `:*` (only at the very end) rewritten as ` *`, the pattern trimmed.
fn normalize_command(spec: &str) -> std::borrow::Cow<'_, str> {
    let spec = spec.trim();
    match spec.strip_suffix(":*") {
        Some(head) => std::borrow::Cow::Owned(format!("{head} *")),
        None => std::borrow::Cow::Borrowed(spec),
    }
}

/// Canonical text of a rule for equality comparison: `Bash(*)` == `Bash` (docs: equivalent),
/// trailing `:*` == trailing ` *`, surrounding whitespace trimmed, `Task(...)` == `Agent(...)`,
/// `WebFetch(domain:*)` == `WebFetch`.
///
/// Only documented equivalences are applied, so two rules with different canonical text may
/// still overlap (a missed duplicate is harmless, a false one is not). Also applied:
/// * command patterns: runs of `*` collapse to one; a pattern of only wildcards, `:` and spaces
///   equals the bare tool; `PowerShell` patterns are lower-cased (matching is case-insensitive);
/// * `WebFetch` hosts are lower-cased and lose a trailing `.` (hostname matching);
/// * a `Read`/`Edit` pattern without `/` (a bare file name such as `.env`) becomes `**/.env`
///   (reference §4.4: "`Read(.env)` equals `Read(**/.env)`").
///
/// Input-parameter rules (`Bash(run_in_background:*)`) are left as written.
#[must_use]
pub fn canonical(rule: &PermissionRule<'_>) -> String {
    let Some(info) = builtin_info(rule) else {
        return match rule.specifier {
            Some(spec) => format!("{}({spec})", rule.tool),
            None => rule.tool.to_string(),
        };
    };
    let name = if info.name == "Task" { "Agent" } else { info.name };
    // Written straight into one string: this runs for every entry of every permission list.
    let mut out = String::with_capacity(name.len() + rule.specifier.map_or(0, |s| s.len() + 5));
    out.push_str(name);
    let Some(spec) = rule.specifier else { return out };
    let bare = out.len();
    out.push('(');
    let kept = if known_param(info, spec).is_some() {
        out.push_str(spec);
        true
    } else {
        match spec_kind(info) {
            SpecKind::Command if all_wildcards(spec) => false,
            SpecKind::Command => {
                let start = out.len();
                for c in normalize_command(spec).chars() {
                    // `out` ends with `(` before the first character, so no `*` is dropped there.
                    if !(c == '*' && out.ends_with('*')) {
                        out.push(c);
                    }
                }
                if info.name == "PowerShell" {
                    let lower = out[start..].to_lowercase();
                    out.truncate(start);
                    out.push_str(&lower);
                }
                true
            }
            SpecKind::Domain => match spec.strip_prefix("domain:") {
                Some(host) => {
                    let host = host.to_lowercase();
                    let host = host.strip_suffix('.').unwrap_or(&host);
                    if host != "*" {
                        out.push_str("domain:");
                        out.push_str(host);
                    }
                    host != "*"
                }
                None => {
                    out.push_str(spec);
                    true
                }
            },
            SpecKind::Path if info.name != "Cd" => {
                if !(spec.contains('/') || spec.starts_with('~')) {
                    out.push_str("**/");
                }
                out.push_str(spec);
                true
            }
            _ => {
                out.push_str(spec);
                true
            }
        }
    };
    if kept {
        out.push(')');
    } else {
        out.truncate(bare);
    }
    out
}

const REASON_ALL_TOOLS: &str = "`*` matches every tool, including Bash, Edit and WebFetch";
const REASON_NAME_GLOB: &str = "a tool-name glob grants every tool whose name matches";
const REASON_MCP_SERVERS: &str = "grants tools of every MCP server whose name matches, including servers added later";
const REASON_SHELL: &str = "allows every shell command";
const REASON_SHELL_WRAPPER: &str =
    "a shell, interpreter or command wrapper followed by a wildcard runs arbitrary commands";
const REASON_WEBFETCH: &str = "allows fetching any URL (no domain restriction)";
const REASON_WEBFETCH_TLD: &str = "the domain pattern covers a whole top-level domain";
const REASON_WRITE: &str = "allows writing any file";

/// Command prefixes after which a wildcard lets the agent run anything: shells and their `-c`,
/// interpreters' inline-code flags, privilege and environment wrappers, and the wrappers that
/// the reference lists as *not* stripped before matching (so `Bash(watch *)` covers
/// `watch rm -rf /`). Wrappers the CLI strips (`timeout`, `nice`, ...) are absent: after
/// stripping, the rule no longer matches.
const BASH_WRAPPERS: &[&str] = &[
    "sh",
    "bash",
    "zsh",
    "dash",
    "ksh",
    "fish",
    "csh",
    "tcsh",
    "sh -c",
    "bash -c",
    "zsh -c",
    "eval",
    "exec",
    "sudo",
    "su",
    "doas",
    "env",
    "xargs",
    "python",
    "python3",
    "python -c",
    "python3 -c",
    "node",
    "node -e",
    "perl",
    "perl -e",
    "ruby",
    "ruby -e",
    "npx",
    "watch",
    "setsid",
    "ionice",
    "flock",
    "docker exec",
    "direnv exec",
    "devbox run",
    "mise exec",
];

/// Same idea for PowerShell (compared case-insensitively).
const POWERSHELL_WRAPPERS: &[&str] = &[
    "iex",
    "invoke-expression",
    "invoke-command",
    "icm",
    "start-process",
    "pwsh",
    "pwsh -c",
    "pwsh -command",
    "powershell",
    "powershell -c",
    "powershell -command",
    "cmd",
    "cmd /c",
];

/// Why this allow rule grants everything of a dangerous kind, or None. Broad: bare `Bash`,
/// `Bash(*)`, `Bash(:*)`, `Bash(**)`, any Bash specifier made only of `*`, `:`, spaces; bare
/// `WebFetch` or `WebFetch(domain:*)`; `*` or any tool-name glob; MCP wildcards such as
/// `mcp__*`. Also `PowerShell` bare/`PowerShell(*)`.
///
/// Decisions:
/// * MCP: a glob over server names (`mcp__*`, `mcp__git*`, `mcp__*__delete_issue`) is broad:
///   it reaches servers the author never looked at. One whole server (`mcp__github`,
///   `mcp__github__*`) is a deliberate, bounded grant and returns None; judging a server's
///   tools needs the server config.
/// * `Monitor` runs commands like `Bash`, so it is treated like `Bash`.
/// * A shell, interpreter or wrapper followed by a wildcard (`Bash(sh -c *)`, `Bash(python:*)`,
///   `Bash(sudo *)`, `Bash(npx *)`, `PowerShell(iex *)`) grants arbitrary execution too.
/// * Bare `Edit`, `Write`, `NotebookEdit`, `MultiEdit` (named in the production checklist
///   next to bare `Bash`), and `Edit` patterns of only `*` and `/` (`Edit(**)`, `Edit(//**)`,
///   also under `~/`).
/// * `WebFetch(domain:*.com)`: `*.` followed by a single label covers a whole TLD.
/// * Bare `Read` and `WebSearch` are not "dangerous kinds" here and return None.
#[must_use]
pub fn broad_grant_reason(rule: &PermissionRule<'_>) -> Option<&'static str> {
    let info = match &rule.kind {
        RuleTool::NameGlob => {
            return Some(if rule.tool.chars().all(|c| c == '*') {
                REASON_ALL_TOOLS
            } else if rule.tool.starts_with("mcp__") {
                REASON_MCP_SERVERS
            } else {
                REASON_NAME_GLOB
            });
        }
        RuleTool::Mcp { server, .. } => {
            return server.contains('*').then_some(REASON_MCP_SERVERS);
        }
        RuleTool::Builtin(info) => info,
    };
    let spec = rule.specifier;
    match info.name {
        "Bash" | "Monitor" | "PowerShell" => {
            let Some(spec) = spec else {
                return Some(REASON_SHELL);
            };
            if all_wildcards(spec) {
                return Some(REASON_SHELL);
            }
            if known_param(info, spec).is_some() {
                return None;
            }
            let (prefix, wild) = command_prefix(spec);
            let words = prefix.split_whitespace().collect::<Vec<_>>().join(" ");
            let wrapper = if info.name == "PowerShell" {
                POWERSHELL_WRAPPERS.contains(&words.to_lowercase().as_str())
            } else {
                BASH_WRAPPERS.contains(&words.as_str())
            };
            (wild && wrapper).then_some(REASON_SHELL_WRAPPER)
        }
        "WebFetch" => {
            let Some(host) = spec.and_then(|s| s.strip_prefix("domain:")) else {
                // Bare, or an input-parameter rule (deny lists only).
                return spec.is_none().then_some(REASON_WEBFETCH);
            };
            let host = host.strip_suffix('.').unwrap_or(host);
            if host == "*" {
                Some(REASON_WEBFETCH)
            } else if host.strip_prefix("*.").is_some_and(|tld| !tld.is_empty() && !tld.contains(['.', '*'])) {
                Some(REASON_WEBFETCH_TLD)
            } else {
                None
            }
        }
        "Edit" => match spec {
            None => Some(REASON_WRITE),
            Some(spec) => {
                let rest = spec.strip_prefix("~/").unwrap_or(spec);
                (rest.contains('*') && rest.chars().all(|c| c == '*' || c == '/')).then_some(REASON_WRITE)
            }
        },
        "Write" | "NotebookEdit" | "MultiEdit" => spec.is_none().then_some(REASON_WRITE),
        _ => None,
    }
}

/// True when the rule lets the agent write files or execute commands (Edit, Write, MultiEdit,
/// NotebookEdit, Bash, PowerShell, Monitor in any form).
///
/// A tool-name glob counts when it matches one of those names (`*`, `B*`, `*Edit`). MCP rules
/// are false: what an MCP tool does is not known from its name.
#[must_use]
pub fn writes_or_executes(rule: &PermissionRule<'_>) -> bool {
    let is_dangerous = |info: &ToolInfo| matches!(info.effect, Writes | Executes);
    match &rule.kind {
        RuleTool::Builtin(info) => is_dangerous(info),
        RuleTool::NameGlob => TOOLS.iter().any(|info| is_dangerous(info) && wildcard_match(rule.tool, info.name)),
        RuleTool::Mcp { .. } => false,
    }
}

/// The literal text before the first `*` of a command pattern (legacy `:*` treated as ` *`),
/// trimmed, and whether a wildcard follows it.
fn command_prefix(spec: &str) -> (&str, bool) {
    let spec = spec.trim();
    match spec.find('*') {
        None => (spec, false),
        Some(cut) => {
            let mut prefix = &spec[..cut];
            if cut + 1 == spec.len() {
                prefix = prefix.strip_suffix(':').unwrap_or(prefix);
            }
            (prefix.trim_end(), true)
        }
    }
}

/// For Bash rules: the command prefix the rule matches, e.g. `Bash(rm:*)` -> Some("rm"),
/// `Bash(rm -rf *)` -> Some("rm -rf"), `Bash` -> None (everything).
///
/// Precisely: the literal text before the first `*` (a legacy trailing `:*` counts as ` *`),
/// trimmed, i.e. a string every matching command starts with. An exact command returns
/// itself (`Bash(rm)` -> Some("rm"), which matches only `rm`), so a `Some` says nothing about
/// *covering* the prefix; use [`denies_command`] for that. None when there is no literal
/// prefix (`Bash`, `Bash(*)`, `Bash(* --version)`) and for non-Bash rules. Input-parameter
/// rules (`Bash(run_in_background:true)`, deny lists) return the whole specifier, which no
/// command starts with.
#[must_use]
pub fn bash_command_prefix<'a>(rule: &PermissionRule<'a>) -> Option<&'a str> {
    let info = builtin_info(rule)?;
    if info.name != "Bash" {
        return None;
    }
    let spec = rule.specifier?;
    if known_param(info, spec).is_some() {
        return Some(spec.trim());
    }
    let (prefix, _) = command_prefix(spec);
    (!prefix.is_empty()).then_some(prefix)
}

/// Does deny rule `deny` cover every command that `Bash(<cmd>:*)` would? (bare `Bash` deny
/// covers all; `Bash(rm:*)`, `Bash(rm *)` cover `rm`.)
///
/// Decisions: the deny covers `cmd` when it matches `cmd` itself and `cmd <anything>`:
/// * bare `Bash`, `Bash(*)` and other all-wildcard patterns, and tool-name globs matching
///   `Bash` (`*`, `B*`) cover every command;
/// * a pattern ending in `*` covers `cmd` when it matches `cmd` (`*` matches any characters,
///   and a trailing ` *` also matches nothing, so `Bash(rm *)` matches `rm`): `Bash(rm:*)`,
///   `Bash(rm *)`, `Bash(rm*)`, `Bash(r*)`, `Bash(*rm*)` cover `rm` and `rm -rf`;
/// * a pattern not ending in `*` (`Bash(rm)`, `Bash(rm * foo)`) covers only some commands, and
///   so does a longer prefix (`Bash(rm -rf *)` does not cover `rm`);
/// * input-parameter rules, non-Bash rules and an empty `cmd` are never covered.
///
/// Wrapper stripping, compound commands and quoting are not modelled.
#[must_use]
pub fn denies_command(deny: &PermissionRule<'_>, cmd: &str) -> bool {
    DenyPattern::of(deny).denies(cmd)
}

/// What a deny rule blocks of `Bash` commands, worked out once so that many commands can be
/// tested against it ([`denies_command`] for one).
pub enum DenyPattern<'r> {
    /// Bare `Bash`, an all-wildcard pattern, or a tool-name glob that covers `Bash`.
    Every,
    /// Not a `Bash` rule, an input-parameter rule, or a pattern without a trailing wildcard.
    None,
    /// A command pattern ending in `*`, with the legacy `:*` rewritten.
    Prefix(std::borrow::Cow<'r, str>),
}

impl<'r> DenyPattern<'r> {
    pub fn of(deny: &PermissionRule<'r>) -> Self {
        let info = match &deny.kind {
            RuleTool::NameGlob if wildcard_match(deny.tool, "Bash") => return Self::Every,
            RuleTool::Builtin(info) if info.name == "Bash" => info,
            _ => return Self::None,
        };
        let Some(spec) = deny.specifier else { return Self::Every };
        if all_wildcards(spec) {
            return Self::Every;
        }
        if known_param(info, spec).is_some() {
            return Self::None;
        }
        let pattern = normalize_command(spec);
        if pattern.ends_with('*') { Self::Prefix(pattern) } else { Self::None }
    }

    /// True when the rule blocks `cmd` (surrounding blanks ignored); an empty command is
    /// blocked only by a rule that blocks every command.
    pub fn denies(&self, cmd: &str) -> bool {
        let cmd = cmd.trim();
        match self {
            Self::Every => true,
            Self::None => false,
            Self::Prefix(pattern) => !cmd.is_empty() && command_match(pattern, cmd),
        }
    }
}

/// Command-pattern match: `*` matches any characters; a trailing ` *` also matches nothing.
fn command_match(pattern: &str, command: &str) -> bool {
    wildcard_match(pattern, command) || pattern.strip_suffix(" *").is_some_and(|head| wildcard_match(head, command))
}

/// How a rule's specifier matches a concrete input (reference §4.3); used by `agentlint can`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SpecMatch {
    /// The rule has no specifier, or an all-wildcard one: every input matches.
    Any,
    /// The input matches the specifier.
    Yes,
    /// It does not.
    No,
    /// An input-parameter rule (`Bash(run_in_background:true)`): it matches on a parameter the
    /// input does not carry, so it cannot be decided from the input alone.
    Parameter,
}

/// Does a command rule (`Bash`, `Monitor`, `PowerShell`) match one simple command? `*` matches
/// any characters, spaces included; a trailing ` *` (or the legacy `:*`, recognised only at the
/// end) is a word boundary that also matches nothing, so `Bash(ls *)` matches `ls` and `ls -la`
/// but not `lsof`; a pattern without `*` matches exactly that command. `PowerShell` patterns
/// match case-insensitively. Splitting compound commands and stripping wrappers is the caller's
/// business.
#[must_use]
pub fn match_command(rule: &PermissionRule<'_>, command: &str) -> SpecMatch {
    let Some(spec) = rule.specifier else { return SpecMatch::Any };
    if all_wildcards(spec) {
        return SpecMatch::Any;
    }
    if let Some(info) = builtin_info(rule)
        && known_param(info, spec).is_some()
    {
        return SpecMatch::Parameter;
    }
    let pattern = normalize_command(spec);
    let hit = if builtin_info(rule).is_some_and(|i| i.name == "PowerShell") {
        command_match(&pattern.to_lowercase(), &command.to_lowercase())
    } else {
        command_match(&pattern, command)
    };
    if hit { SpecMatch::Yes } else { SpecMatch::No }
}

/// Does a `WebFetch` rule match a host? Hostnames compare case-insensitively without a trailing
/// `.`; `domain:*` matches every host, `domain:*.x` every subdomain of `x` at any depth but not
/// `x` itself, and a `*` anywhere else matches within one label only (reference §4.3, "Domain").
#[must_use]
pub fn match_domain(rule: &PermissionRule<'_>, host: &str) -> SpecMatch {
    let Some(spec) = rule.specifier else { return SpecMatch::Any };
    let Some(pattern) = spec.strip_prefix("domain:") else {
        // Deny lists may hold input-parameter rules (`WebFetch(prompt:*)`).
        return SpecMatch::Parameter;
    };
    let clean = |s: &str| s.trim().trim_end_matches('.').to_lowercase();
    let (pattern, host) = (clean(pattern), clean(host));
    if pattern == "*" {
        return SpecMatch::Any;
    }
    let hit = match pattern.strip_prefix("*.") {
        Some(parent) => host.len() > parent.len() + 1 && host.ends_with(&format!(".{parent}")),
        None => {
            let (p, h): (Vec<&str>, Vec<&str>) = (pattern.split('.').collect(), host.split('.').collect());
            p.len() == h.len() && p.iter().zip(&h).all(|(p, h)| wildcard_match(p, h))
        }
    };
    if hit { SpecMatch::Yes } else { SpecMatch::No }
}

/// Does a rule match a tool by name alone? Built-in names compare exactly (`Task` is `Agent`),
/// tool-name globs (`*`, `mcp__*`) must match the whole name, and MCP rules match their server
/// (`mcp__github`) or server and tool (`mcp__github__get_*`). `tool` is the canonical name of
/// the called tool (`Bash`, `mcp__github__get_issue`).
#[must_use]
pub fn names_tool(rule: &PermissionRule<'_>, tool: &str) -> bool {
    match &rule.kind {
        RuleTool::NameGlob => wildcard_match(rule.tool, tool),
        RuleTool::Builtin(info) => {
            fn alias(n: &str) -> &str {
                if n == "Task" { "Agent" } else { n }
            }
            alias(info.name) == alias(tool)
        }
        RuleTool::Mcp { server, tool: rule_tool } => {
            let Some(rest) = tool.strip_prefix("mcp__") else { return false };
            let (called_server, called_tool) = rest.split_once("__").unwrap_or((rest, ""));
            wildcard_match(server, called_server) && rule_tool.as_deref().is_none_or(|t| wildcard_match(t, called_tool))
        }
    }
}

/// Whole-string glob match where `*` matches any (possibly empty) byte sequence.
pub(crate) fn wildcard_match(pattern: &str, text: &str) -> bool {
    let (p, t) = (pattern.as_bytes(), text.as_bytes());
    let (mut pi, mut ti) = (0, 0);
    let mut star: Option<(usize, usize)> = None;
    while ti < t.len() {
        if pi < p.len() && p[pi] == b'*' {
            star = Some((pi, ti));
            pi += 1;
        } else if pi < p.len() && p[pi] == t[ti] {
            pi += 1;
            ti += 1;
        } else if let Some((sp, st)) = star {
            pi = sp + 1;
            ti = st + 1;
            star = Some((sp, st + 1));
        } else {
            return false;
        }
    }
    p[pi..].iter().all(|&b| b == b'*')
}

#[cfg(test)]
mod tests {
    use super::*;
    use RuleList::{Allow, Deny, Tools};

    fn builtin(name: &str) -> RuleTool {
        RuleTool::Builtin(tool_info(name).unwrap())
    }

    fn mcp(server: &str, tool: Option<&str>) -> RuleTool {
        RuleTool::Mcp { server: server.into(), tool: tool.map(Into::into) }
    }

    fn parse_ok(text: &str, list: RuleList) -> PermissionRule<'_> {
        parse_rule(text, list).unwrap_or_else(|e| panic!("{text:?} ({list:?}): {e:?}"))
    }

    #[test]
    fn valid_forms() {
        // (rule, list, tool, specifier, kind)
        #[rustfmt::skip]
        let cases: &[(&str, RuleList, &str, Option<&str>, RuleTool)] = &[
            // Bare tools.
            ("Bash", Allow, "Bash", None, builtin("Bash")),
            ("WebFetch", Allow, "WebFetch", None, builtin("WebFetch")),
            ("Read", Tools, "Read", None, builtin("Read")),
            ("  Read  ", Allow, "Read", None, builtin("Read")),
            ("AskUserQuestion", Allow, "AskUserQuestion", None, builtin("AskUserQuestion")),
            // Exact and wildcard commands, legacy suffix.
            ("Bash(npm run build)", Allow, "Bash", Some("npm run build"), builtin("Bash")),
            ("Bash(npm run test *)", Allow, "Bash", Some("npm run test *"), builtin("Bash")),
            ("Bash(git * main)", Allow, "Bash", Some("git * main"), builtin("Bash")),
            ("Bash(* --version)", Allow, "Bash", Some("* --version"), builtin("Bash")),
            ("Bash(npm run test:*)", Allow, "Bash", Some("npm run test:*"), builtin("Bash")),
            ("Bash(git:*)", Allow, "Bash", Some("git:*"), builtin("Bash")),
            ("Bash(git:* push)", Allow, "Bash", Some("git:* push"), builtin("Bash")),
            ("Bash(*)", Allow, "Bash", Some("*"), builtin("Bash")),
            // Nested and escaped parentheses.
            ("Bash(echo $(date))", Allow, "Bash", Some("echo $(date)"), builtin("Bash")),
            ("Bash(a (b (c)) d)", Deny, "Bash", Some("a (b (c)) d"), builtin("Bash")),
            ("Bash(echo \\))", Allow, "Bash", Some("echo \\)"), builtin("Bash")),
            ("Bash(echo a,b)", Allow, "Bash", Some("echo a,b"), builtin("Bash")),
            ("Monitor(tail -f *)", Allow, "Monitor", Some("tail -f *"), builtin("Monitor")),
            ("PowerShell(Get-ChildItem *)", Allow, "PowerShell", Some("Get-ChildItem *"), builtin("PowerShell")),
            // Paths.
            ("Read(./.env)", Deny, "Read", Some("./.env"), builtin("Read")),
            ("Read(./secrets/**)", Deny, "Read", Some("./secrets/**"), builtin("Read")),
            ("Edit(/src/**/*.ts)", Allow, "Edit", Some("/src/**/*.ts"), builtin("Edit")),
            ("Read(~/.zshrc)", Deny, "Read", Some("~/.zshrc"), builtin("Read")),
            ("Edit(//tmp/scratch.txt)", Allow, "Edit", Some("//tmp/scratch.txt"), builtin("Edit")),
            ("Read(*)", Allow, "Read", Some("*"), builtin("Read")),
            // Domains.
            ("WebFetch(domain:example.com)", Allow, "WebFetch", Some("domain:example.com"), builtin("WebFetch")),
            ("WebFetch(domain:*.example.com)", Allow, "WebFetch", Some("domain:*.example.com"), builtin("WebFetch")),
            ("WebFetch(domain:*)", Allow, "WebFetch", Some("domain:*"), builtin("WebFetch")),
            ("WebFetch(domain:Example.COM.)", Allow, "WebFetch", Some("domain:Example.COM."), builtin("WebFetch")),
            // MCP.
            ("mcp__puppeteer", Allow, "mcp__puppeteer", None, mcp("puppeteer", None)),
            ("mcp__puppeteer__*", Allow, "mcp__puppeteer__*", None, mcp("puppeteer", Some("*"))),
            ("mcp__puppeteer__puppeteer_navigate", Allow, "mcp__puppeteer__puppeteer_navigate", None, mcp("puppeteer", Some("puppeteer_navigate"))),
            ("mcp__github__get_*", Allow, "mcp__github__get_*", None, mcp("github", Some("get_*"))),
            ("mcp__claude_ai_Linear__list_issues", Tools, "mcp__claude_ai_Linear__list_issues", None, mcp("claude_ai_Linear", Some("list_issues"))),
            ("mcp__my-server__tool", Allow, "mcp__my-server__tool", None, mcp("my-server", Some("tool"))),
            ("mcp__*__delete_repo", Deny, "mcp__*__delete_repo", None, mcp("*", Some("delete_repo"))),
            // Subagents, skills.
            ("Agent(Explore)", Allow, "Agent", Some("Explore"), builtin("Agent")),
            ("Agent(my-agent)", Tools, "Agent", Some("my-agent"), builtin("Agent")),
            ("Task(Plan)", Allow, "Task", Some("Plan"), builtin("Task")),
            ("Skill(deploy *)", Allow, "Skill", Some("deploy *"), builtin("Skill")),
            ("Skill(name)", Allow, "Skill", Some("name"), builtin("Skill")),
            // Tool-name globs in deny lists.
            ("*", Deny, "*", None, RuleTool::NameGlob),
            ("mcp__*", Deny, "mcp__*", None, RuleTool::NameGlob),
            ("B*", Deny, "B*", None, RuleTool::NameGlob),
            // Input-parameter rules in deny lists.
            ("Agent(model:opus)", Deny, "Agent", Some("model:opus"), builtin("Agent")),
            ("Agent(isolation:worktree)", Deny, "Agent", Some("isolation:worktree"), builtin("Agent")),
            ("Bash(run_in_background:true)", Deny, "Bash", Some("run_in_background:true"), builtin("Bash")),
            ("WebSearch(query:*)", Deny, "WebSearch", Some("query:*"), builtin("WebSearch")),
            ("WebFetch(prompt:*secret*)", Deny, "WebFetch", Some("prompt:*secret*"), builtin("WebFetch")),
            ("mcp__github__create_issue(repo:prod)", Deny, "mcp__github__create_issue", Some("repo:prod"), mcp("github", Some("create_issue"))),
            // Cd and legacy names.
            ("Cd(~/code/*)", Allow, "Cd", Some("~/code/*"), builtin("Cd")),
            ("Cd(**/node_modules)", Deny, "Cd", Some("**/node_modules"), builtin("Cd")),
            ("View", Allow, "View", None, builtin("View")),
            ("LS", Allow, "LS", None, builtin("LS")),
            ("KillShell", Deny, "KillShell", None, builtin("KillShell")),
            ("MultiEdit", Allow, "MultiEdit", None, builtin("MultiEdit")),
        ];
        for (text, list, tool, specifier, kind) in cases {
            let rule = parse_ok(text, *list);
            assert_eq!((rule.tool, rule.specifier, &rule.kind), (*tool, *specifier, kind), "{text:?}");
        }
    }

    #[test]
    fn errors() {
        // (rule, list, start, end, message, help contains)
        #[rustfmt::skip]
        let cases: &[(&str, RuleList, usize, usize, &str, &str)] = &[
            ("", Allow, 0, 0, "empty permission rule", "remove the entry"),
            ("   ", Deny, 0, 3, "empty permission rule", "remove the entry"),
            // Parentheses.
            ("Bash(git log", Allow, 4, 5, "unclosed `(`", "add `)`"),
            ("Bash(echo $(date)", Allow, 4, 5, "unclosed `(`", "add `)`"),
            ("Bash(echo \\)", Allow, 4, 5, "unclosed `(`", "add `)`"),
            ("Bash)", Allow, 4, 5, "unmatched `)`", "`Tool(specifier)`"),
            ("Bash(a))", Allow, 7, 8, "unmatched `)`", "balance"),
            ("Bash(a) )", Allow, 8, 9, "unmatched `)`", "balance"),
            ("Bash(ls) extra", Allow, 9, 14, "unexpected text after the closing `)`", "own list entry"),
            ("Bash(ls),Read", Allow, 8, 13, "unexpected text after the closing `)`", "own list entry"),
            ("(ls)", Allow, 0, 1, "missing tool name before `(`", "Tool(specifier)"),
            ("Bash()", Allow, 4, 6, "empty specifier `()`", "write \"Bash\""),
            (" Bash(  )", Deny, 5, 9, "empty specifier `()`", "write \"Bash\""),
            // Tool part.
            ("Bash (ls)", Allow, 4, 5, "tool name contains whitespace", "before `(`"),
            ("Web Fetch", Allow, 3, 4, "tool name contains whitespace", "did you mean \"WebFetch\"?"),
            ("Stop Task", Allow, 4, 5, "tool name contains whitespace", "did you mean \"TaskStop\"?"),
            ("Bash git log", Allow, 4, 5, "tool name contains whitespace", "\"Bash(git log)\""),
            ("Read ./src", Allow, 4, 5, "tool name contains whitespace", "\"Read(./src)\""),
            ("Read,Edit", Allow, 4, 5, "illegal character `,` in tool name", "own list entry"),
            ("\"Bash\"", Allow, 0, 1, "illegal character `\"` in tool name", "quotes"),
            ("Bäsh", Allow, 1, 3, "illegal character `ä` in tool name", "letters, digits"),
            ("Reed", Allow, 0, 4, "unknown tool \"Reed\"", "did you mean \"Read\"?"),
            ("bash(ls)", Allow, 0, 4, "unknown tool \"bash\"", "did you mean \"Bash\"?"),
            ("  Webfetch", Allow, 2, 10, "unknown tool \"Webfetch\"", "did you mean \"WebFetch\"?"),
            ("mcp_github", Allow, 0, 10, "unknown tool \"mcp_github\"", "two underscores"),
            ("MCP__github", Allow, 0, 11, "unknown tool \"MCP__github\"", "lower case"),
            ("mcp__", Deny, 0, 5, "missing MCP server name", "mcp__<server>"),
            ("mcp____x", Deny, 0, 8, "missing MCP server name", "mcp__<server>"),
            ("mcp__github__", Allow, 11, 13, "missing MCP tool name after `__`", "\"mcp__github__*\""),
            // Deny-only tool forms in allow/tools lists.
            ("*", Allow, 0, 1, "tool-name glob \"*\" in an allow list", "skips unanchored allow globs"),
            ("B*", Allow, 0, 2, "tool-name glob \"B*\" in an allow list", "skips unanchored allow globs"),
            ("mcp__*", Allow, 0, 6, "tool-name glob \"mcp__*\" in an allow list", "\"mcp__<server>__*\""),
            ("mcp__*", Tools, 0, 6, "tool-name glob \"mcp__*\" in a tools list", "deny and ask lists"),
            ("mcp__git*", Allow, 0, 9, "tool-name glob \"mcp__git*\" in an allow list", "skips"),
            ("mcp__*__get_issue", Allow, 5, 6, "MCP server glob in an allow list", "literal, glob-free"),
            ("Agent(model:opus)", Allow, 6, 11, "input-parameter rule `model:` works only in deny and ask lists", "deny list"),
            ("Bash(run_in_background:true)", Tools, 5, 22, "input-parameter rule `run_in_background:` works only in deny and ask lists", "deny list"),
            ("Agent(model:)", Deny, 6, 12, "input-parameter rule `model:` has no value", "\"model:*\""),
            // Specifiers on tools that take none.
            ("WebSearch(foo)", Allow, 10, 13, "\"WebSearch\" takes no specifier", "write \"WebSearch\""),
            ("TodoWrite(x)", Deny, 10, 11, "\"TodoWrite\" takes no specifier", "write \"TodoWrite\""),
            ("WebSearch(query:x)", Allow, 10, 17, "\"WebSearch\" takes no specifier", "write \"WebSearch\""),
            ("Write(./src/**)", Deny, 6, 14, "path rules on \"Write\" are never consulted", "\"Edit(./src/**)\""),
            ("MultiEdit(*.rs)", Allow, 10, 14, "path rules on \"MultiEdit\" are never consulted", "Edit, Write and NotebookEdit"),
            ("Glob(src/**)", Deny, 5, 11, "path rules on \"Glob\" are never consulted", "\"Read(src/**)\""),
            ("Grep(*.env)", Deny, 5, 10, "\"Grep\" takes no specifier", "Read, Grep, Glob and LSP"),
            ("View(./src)", Allow, 5, 10, "\"View\" is not a current tool and takes no specifier", "\"Read(./src)\""),
            ("mcp__github__get_issue(x)", Allow, 23, 24, "MCP rules take no specifier", "deny lists"),
            ("mcp__github__get_issue(repo:x)", Allow, 23, 29, "MCP rules take no specifier", "deny lists"),
            ("*(rm)", Deny, 2, 4, "a tool-name glob takes no specifier", "\"*\" alone"),
            // Primary fields.
            ("Bash(command:*)", Allow, 5, 12, "input-parameter rules cannot target the primary field `command`; the CLI ignores this rule", "write \"Bash\" to match every `command`"),
            ("Bash(command:rm *)", Deny, 5, 12, "input-parameter rules cannot target the primary field `command`; the CLI ignores this rule", "\"Bash(rm *)\""),
            ("Read(file_path:/etc/*)", Deny, 5, 14, "input-parameter rules cannot target the primary field `file_path`; the CLI ignores this rule", "\"Read(/etc/*)\""),
            ("Write(file_path:x)", Deny, 6, 15, "input-parameter rules cannot target the primary field `file_path`; the CLI ignores this rule", "\"Edit(x)\""),
            ("WebFetch(url:https://x.com)", Deny, 9, 12, "input-parameter rules cannot target the primary field `url`; the CLI ignores this rule", "domain:<host>"),
            // WebFetch.
            ("WebFetch(example.com)", Allow, 9, 20, "WebFetch specifier must be `domain:<host>`", "\"WebFetch(domain:example.com)\""),
            ("WebFetch(Domain:x.com)", Allow, 9, 21, "WebFetch specifier must be `domain:<host>`", "lower case"),
            ("WebFetch(foo:bar)", Allow, 9, 16, "WebFetch specifier must be `domain:<host>`", "e.g."),
            ("WebFetch(https://docs.rs/x)", Deny, 9, 26, "WebFetch rules match a domain, not a URL", "\"WebFetch(domain:docs.rs)\""),
            ("WebFetch(domain:)", Allow, 9, 16, "missing host after `domain:`", "domain:*"),
            ("WebFetch(domain:https://a.io/x)", Allow, 16, 30, "the host must not include a URL scheme", "\"domain:a.io\""),
            ("WebFetch(domain:a.io/docs)", Allow, 20, 25, "the host must not include a path", "\"domain:a.io\""),
            ("WebFetch(domain:a.io:8080)", Allow, 20, 25, "the host must not include a port", "\"domain:a.io\""),
            ("WebFetch(domain:a b)", Allow, 17, 18, "illegal character ` ` in host", "letters, digits"),
        ];
        for (text, list, start, end, message, help) in cases {
            let err = parse_rule(text, *list).expect_err(text);
            assert_eq!(
                (err.start, err.end, err.message.as_str()),
                (*start, *end, *message),
                "{text:?} ({list:?}): {err:?}"
            );
            let got = err.help.as_deref().unwrap_or("");
            assert!(got.contains(help), "{text:?}: help {got:?} lacks {help:?}");
        }
    }

    #[test]
    fn error_ranges_are_char_boundaries_and_parser_never_panics() {
        let alphabet = ["B", "a", "(", ")", " ", "*", ":", "é", "\\", "m", "_"];
        let check = |t: &str| {
            for list in [Allow, Deny, Tools] {
                match parse_rule(t, list) {
                    Ok(rule) => {
                        let _ = canonical(&rule);
                        let _ = broad_grant_reason(&rule);
                        let _ = bash_command_prefix(&rule);
                        let _ = writes_or_executes(&rule);
                        let _ = denies_command(&rule, "rm");
                    }
                    Err(e) => {
                        assert!(e.start <= e.end && e.end <= t.len(), "{t:?}: {e:?}");
                        assert!(t.is_char_boundary(e.start) && t.is_char_boundary(e.end));
                    }
                }
            }
        };
        // Every string of up to 4 symbols.
        let mut layer = vec![String::new()];
        for _ in 0..4 {
            layer = layer.iter().flat_map(|t| alphabet.iter().map(move |a| format!("{t}{a}"))).collect();
            for t in &layer {
                check(t);
            }
        }
        // Longer strings around the interesting prefixes.
        for prefix in ["mcp__", "Bash(", "WebFetch(domain:", "Agent(", "Read "] {
            for tail in ["", "é", "é)", ":)", "(é))", "*__é", "x) é", "é:*", "\\é"] {
                check(&format!("{prefix}{tail}"));
            }
        }
    }

    #[test]
    fn legacy_and_status() {
        let status = |name: &str| tool_info(name).unwrap().status;
        assert_eq!(status("Task"), ToolStatus::Legacy { replacement: "Agent" });
        assert_eq!(status("View"), ToolStatus::Legacy { replacement: "Read" });
        assert_eq!(status("MultiEdit"), ToolStatus::Legacy { replacement: "Edit" });
        assert_eq!(status("KillShell"), ToolStatus::Legacy { replacement: "TaskStop" });
        assert_eq!(status("LS"), ToolStatus::Legacy { replacement: "Glob" });
        assert_eq!(status("Cd"), ToolStatus::NotModelTool);
        assert_eq!(status("TaskStop"), ToolStatus::Current);
        // Every name of §4.2's current list (44) plus the six others, no duplicates.
        assert_eq!(builtin_tools().len(), 50);
        let current = builtin_tools().iter().filter(|t| t.status == ToolStatus::Current).count();
        assert_eq!(current, 44);
        let mut names: Vec<_> = builtin_tools().iter().map(|t| t.name).collect();
        names.sort_unstable();
        names.dedup();
        assert_eq!(names.len(), 50);
        assert!(tool_info("bash").is_none());
        assert!(tool_info("Stop Task").is_none());
    }

    #[test]
    fn closest_names() {
        let cases = [
            ("bash", Some("Bash")),
            ("Webfetch", Some("WebFetch")),
            ("Reed", Some("Read")),
            ("Read", Some("Read")),
            ("webfech", Some("WebFetch")),
            ("Grp", Some("Grep")),
            ("notebookedit", Some("NotebookEdit")),
            ("TaskStp", Some("TaskStop")),
            ("view", Some("View")),
            ("Frobnicate", None),
            ("xyz", None),
            ("", None),
        ];
        for (input, expected) in cases {
            assert_eq!(closest_tool(input), expected, "{input:?}");
        }
    }

    fn canon(text: &str) -> String {
        canonical(&parse_ok(text, Deny))
    }

    #[test]
    fn canonical_equality() {
        let equal = [
            ("Bash(*)", "Bash"),
            ("Bash(**)", "Bash"),
            ("Bash(:*)", "Bash"),
            ("  Bash  ", "Bash"),
            ("Bash(git:*)", "Bash(git *)"),
            ("Bash(npm run test:*)", "Bash(npm run test *)"),
            ("Bash(git **)", "Bash(git *)"),
            ("Task(Explore)", "Agent(Explore)"),
            ("Task", "Agent"),
            ("WebFetch(domain:*)", "WebFetch"),
            ("WebFetch(domain:Example.COM.)", "WebFetch(domain:example.com)"),
            ("Read(.env)", "Read(**/.env)"),
            ("PowerShell(Get-ChildItem *)", "PowerShell(get-childitem *)"),
            ("PowerShell(*)", "PowerShell"),
            ("Monitor(*)", "Monitor"),
        ];
        for (a, b) in equal {
            assert_eq!(canon(a), canon(b), "{a:?} vs {b:?}");
        }
        let different = [
            ("Bash(git:* push)", "Bash(git * push)"),
            ("Bash(ls *)", "Bash(ls*)"),
            ("Bash(ls)", "Bash(ls *)"),
            ("Read(*)", "Read"),
            ("Read(./.env)", "Read(**/.env)"),
            ("View", "Read"),
            ("Agent(*)", "Agent"),
            ("Bash(run_in_background:*)", "Bash(run_in_background *)"),
            ("mcp__github", "mcp__github__*"),
            ("Bash(:)", "Bash"),
        ];
        for (a, b) in different {
            assert_ne!(canon(a), canon(b), "{a:?} vs {b:?}");
        }
        assert_eq!(canon("Bash(git:*)"), "Bash(git *)");
        assert_eq!(canon("Task(Plan)"), "Agent(Plan)");
        assert_eq!(canon("mcp__github__get_*"), "mcp__github__get_*");
        assert_eq!(canon("*"), "*");
    }

    #[test]
    fn broad_grants() {
        let broad = [
            ("Bash", REASON_SHELL),
            ("Bash(*)", REASON_SHELL),
            ("Bash(:*)", REASON_SHELL),
            ("Bash(**)", REASON_SHELL),
            ("Bash( * : * )", REASON_SHELL),
            ("PowerShell", REASON_SHELL),
            ("PowerShell(*)", REASON_SHELL),
            ("Monitor", REASON_SHELL),
            ("Bash(sh -c *)", REASON_SHELL_WRAPPER),
            ("Bash(bash:*)", REASON_SHELL_WRAPPER),
            ("Bash(python3 *)", REASON_SHELL_WRAPPER),
            ("Bash(sudo*)", REASON_SHELL_WRAPPER),
            ("Bash(docker  exec *)", REASON_SHELL_WRAPPER),
            ("PowerShell(IEX *)", REASON_SHELL_WRAPPER),
            ("WebFetch", REASON_WEBFETCH),
            ("WebFetch(domain:*)", REASON_WEBFETCH),
            ("WebFetch(domain:*.com)", REASON_WEBFETCH_TLD),
            ("Edit", REASON_WRITE),
            ("Edit(**)", REASON_WRITE),
            ("Edit(//**)", REASON_WRITE),
            ("Edit(~/**)", REASON_WRITE),
            ("Write", REASON_WRITE),
            ("MultiEdit", REASON_WRITE),
            ("NotebookEdit", REASON_WRITE),
            ("*", REASON_ALL_TOOLS),
            ("B*", REASON_NAME_GLOB),
            ("mcp__*", REASON_MCP_SERVERS),
            ("mcp__*__delete_repo", REASON_MCP_SERVERS),
        ];
        for (text, reason) in broad {
            assert_eq!(broad_grant_reason(&parse_ok(text, Deny)), Some(reason), "{text:?}");
        }
        let narrow = [
            "Bash(git log:*)",
            "Bash(:)",
            "Bash(rm -rf *)",
            "Bash(sh)",
            "Bash(sh script.sh *)",
            "Bash(python3 -m pytest *)",
            "Bash(run_in_background:*)",
            "PowerShell(Get-ChildItem *)",
            "WebFetch(domain:example.com)",
            "WebFetch(domain:*.example.com)",
            "WebFetch(prompt:*)",
            "Edit(./src/**)",
            "Read",
            "WebSearch",
            "mcp__github",
            "mcp__github__*",
            "mcp__github__get_issue",
            "Agent",
        ];
        for text in narrow {
            assert_eq!(broad_grant_reason(&parse_ok(text, Deny)), None, "{text:?}");
        }
    }

    #[test]
    fn writes_or_executes_cases() {
        for text in [
            "Edit",
            "Write",
            "MultiEdit",
            "NotebookEdit",
            "Bash(ls)",
            "PowerShell",
            "Monitor",
            "Edit(./src/**)",
            "*",
            "B*",
            "*Edit",
        ] {
            assert!(writes_or_executes(&parse_ok(text, Deny)), "{text:?}");
        }
        for text in ["Read", "WebFetch", "Agent", "mcp__*", "mcp__fs__write_file", "Cd(~/x)", "R*"] {
            assert!(!writes_or_executes(&parse_ok(text, Deny)), "{text:?}");
        }
    }

    #[test]
    fn command_prefixes() {
        let cases = [
            ("Bash(rm:*)", Some("rm")),
            ("Bash(rm -rf *)", Some("rm -rf")),
            ("Bash(rm*)", Some("rm")),
            ("Bash(rm)", Some("rm")),
            ("Bash(npm run test:*)", Some("npm run test")),
            ("Bash(git:* push)", Some("git:")),
            ("Bash(git * main)", Some("git")),
            ("Bash", None),
            ("Bash(*)", None),
            ("Bash(:*)", None),
            ("Bash(* --version)", None),
            ("Bash(run_in_background:true)", Some("run_in_background:true")),
            ("Monitor(rm:*)", None),
            ("Read(./x)", None),
        ];
        for (text, expected) in cases {
            assert_eq!(bash_command_prefix(&parse_ok(text, Deny)), expected, "{text:?}");
        }
    }

    #[test]
    fn denies_command_cases() {
        // (deny rule, command, covered)
        let cases = [
            ("Bash", "rm", true),
            ("Bash(*)", "rm", true),
            ("Bash(:*)", "rm", true),
            ("*", "rm", true),
            ("B*", "rm", true),
            ("Bash(rm:*)", "rm", true),
            ("Bash(rm *)", "rm", true),
            ("Bash(rm*)", "rm", true),
            ("Bash(r*)", "rm", true),
            ("Bash(*rm*)", "rm", true),
            ("Bash(rm:*)", "rm -rf", true),
            ("Bash(rm *)", "rm -rf", true),
            ("Bash(git push:*)", "git push", true),
            ("Bash(git push *)", "git push --force", true),
            ("  Bash(rm *)  ", "  rm  ", true),
            ("Bash(rm)", "rm", false),
            ("Bash(rm -rf *)", "rm", false),
            ("Bash(rm -rf:*)", "rm", false),
            ("Bash(rm * foo)", "rm", false),
            ("Bash(rm *)", "rmdir", false),
            ("Bash(git:* push)", "git", false),
            ("Bash(sudo rm *)", "rm", false),
            ("Bash(run_in_background:*)", "rm", false),
            ("PowerShell(rm *)", "rm", false),
            ("Monitor", "rm", false),
            ("mcp__*", "rm", false),
            ("Read(./x)", "rm", false),
            ("Bash(rm *)", "", false),
        ];
        for (deny, cmd, expected) in cases {
            assert_eq!(denies_command(&parse_ok(deny, Deny), cmd), expected, "{deny:?} / {cmd:?}");
        }
        assert!(denies_command(&parse_ok("Bash(rm*)", Deny), "rmdir"));
    }

    #[test]
    fn display_is_message() {
        let err = parse_rule("Reed", Allow).unwrap_err();
        assert_eq!(err.to_string(), "unknown tool \"Reed\"");
    }
}
