//! Reading the permission-rule lists (`allowed_tools`, `disallowed_tools`, `tools`) for
//! AL104–AL108.
//!
//! AL105 decides which entries are valid; the other rules look only at the entries it
//! accepts, so one bad entry is reported once. That decision lives here, in [`check_rule`],
//! so every rule applies the same one.

use crate::document::{Node, Seg, Span};
use crate::permission::{PermissionRule, RuleList, RuleTool, ToolStatus, parse_rule};
use crate::report::Location;

use super::AgentContext;

/// One of the options that hold permission rules.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum ToolList {
    Allowed,
    Disallowed,
    /// Settings files' `permissions.ask`: rules that always prompt.
    Ask,
    Tools,
}

impl ToolList {
    /// The canonical option name.
    pub(crate) fn option(self) -> &'static str {
        match self {
            ToolList::Allowed => "allowed_tools",
            ToolList::Disallowed => "disallowed_tools",
            ToolList::Ask => "ask_tools",
            ToolList::Tools => "tools",
        }
    }

    fn rule_list(self) -> RuleList {
        match self {
            ToolList::Allowed => RuleList::Allow,
            // Ask rules take the same forms as deny rules (tool-name globs, input parameters).
            ToolList::Disallowed | ToolList::Ask => RuleList::Deny,
            ToolList::Tools => RuleList::Tools,
        }
    }
}

/// Why AL105 rejects an entry: the byte range *within the entry's text* that is wrong.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Rejection {
    pub start: usize,
    pub end: usize,
    pub message: String,
    pub help: Option<String>,
}

/// One string entry of a rule list.
#[derive(Debug)]
pub(crate) struct ToolEntry<'a> {
    pub list: ToolList,
    pub index: usize,
    pub text: &'a str,
    pub node: &'a Node,
    pub checked: Result<PermissionRule<'a>, Rejection>,
    /// The rule's [`canonical`](crate::permission::canonical) text, made when a rule first asks.
    canonical: std::cell::OnceCell<String>,
}

impl ToolEntry<'_> {
    /// The path of this entry in the merged tree.
    pub(crate) fn path(&self) -> [Seg<'static>; 2] {
        [Seg::Key(self.list.option()), Seg::Index(self.index)]
    }

    /// The rule, when AL105 accepts the entry.
    pub(crate) fn rule(&self) -> Option<&PermissionRule<'_>> {
        self.checked.as_ref().ok()
    }

    /// The canonical text of the rule (AL104 and AL106 compare rules by it), when AL105
    /// accepts the entry.
    pub(crate) fn canonical(&self) -> Option<&str> {
        let rule = self.rule()?;
        Some(self.canonical.get_or_init(|| crate::permission::canonical(rule)))
    }
}

/// The string entries of `list` (non-strings are AL004's business). `tools` counts only as a
/// list, not as a preset. Parsed once per agent, whichever rule asks first.
pub(crate) fn entries<'c, 'a>(ctx: &'c AgentContext<'a>, list: ToolList) -> &'c [ToolEntry<'a>] {
    ctx.tool_entries[list as usize].get_or_init(|| {
        let Some(items) = ctx.node(&[Seg::Key(list.option())]).and_then(Node::as_seq) else {
            return Vec::new();
        };
        items
            .iter()
            .enumerate()
            .filter_map(|(index, node)| {
                let text = node.as_str()?;
                Some(ToolEntry {
                    list,
                    index,
                    text,
                    node,
                    checked: check_rule(text, list),
                    canonical: Default::default(),
                })
            })
            .collect()
    })
}

/// AL105's verdict on one entry.
///
/// * The grammar is [`parse_rule`] for the list's kind.
/// * `View`, `LS` and `KillShell` name no current tool, so their rules match nothing and are
///   rejected with the replacement named. `Task` (an alias of `Agent`) and `MultiEdit` still
///   work and pass; so does `Cd`.
/// * Tool-name globs (`*`, `B*`, `mcp__*`) and MCP server globs (`mcp__*__x`) in
///   `allowed_tools` are passed on (parsed as in a deny list): they are broad grants and AL104
///   reports them, with the fact that current CLIs skip them. In `tools` they stay errors.
pub(crate) fn check_rule(text: &str, list: ToolList) -> Result<PermissionRule<'_>, Rejection> {
    let rule = match parse_rule(text, list.rule_list()) {
        Ok(rule) => rule,
        Err(err) => {
            if list == ToolList::Allowed
                && let Ok(rule) = parse_rule(text, RuleList::Deny)
                && is_glob_grant(&rule)
            {
                return Ok(rule);
            }
            return Err(Rejection { start: err.start, end: err.end, message: err.message, help: err.help });
        }
    };
    // `:*` is the legacy prefix wildcard only at the very end; anywhere else the CLI takes the
    // `:` literally, so `Bash(git:* push)` matches `git:x push`, never `git x push`.
    if let RuleTool::Builtin(info) = &rule.kind
        && matches!(info.name, "Bash" | "PowerShell" | "Monitor")
        && let Some(spec) = rule.specifier
        && let Some(at) = spec.find(":*").filter(|&i| !spec[i + 2..].trim().is_empty())
        && let Some(spec_start) = text.find('(').map(|i| i + 1)
    {
        let start = spec_start + at;
        let fixed = format!("{}({} *{})", rule.tool, spec[..at].trim_end(), &spec[at + 2..]);
        return Err(Rejection {
            start,
            end: start + 2,
            message: "`:*` is a prefix wildcard only at the end of a rule; here the CLI matches the `:` literally, so the rule matches none of the commands it seems to".into(),
            help: Some(format!("write \"{fixed}\"")),
        });
    }
    if let RuleTool::Builtin(info) = &rule.kind
        && let ToolStatus::Legacy { replacement } = info.status
        && matches!(info.name, "View" | "LS" | "KillShell")
    {
        let start = text.len() - text.trim_start().len();
        let why = match info.name {
            "KillShell" => format!("\"KillShell\" was superseded by \"{replacement}\""),
            name => format!("\"{name}\" is a pre-2.x tool name"),
        };
        return Err(Rejection {
            start,
            end: start + rule.tool.len(),
            message: format!("{why}; no current tool has that name, so the rule matches nothing"),
            help: Some(format!("write \"{replacement}\"")),
        });
    }
    Ok(rule)
}

/// A tool-name glob or an MCP rule whose server part is a glob.
pub(crate) fn is_glob_grant(rule: &PermissionRule<'_>) -> bool {
    match &rule.kind {
        RuleTool::NameGlob => true,
        RuleTool::Mcp { server, .. } => server.contains('*'),
        RuleTool::Builtin(_) => false,
    }
}

/// The source span of bytes `start..end` of a scalar's decoded `text`, when the scalar is
/// written as-is (plain, or single-/double-quoted without escapes, as in JSON); the whole
/// value span otherwise (escapes, folded lines, block scalars) and for an empty range.
pub(crate) fn span_within(source: &str, value: Span, text: &str, start: usize, end: usize) -> Span {
    if start >= end || end > text.len() {
        return value;
    }
    match crate::document::verbatim_offset(source, value, text) {
        Some(body) => Span::new(body + start, body + end),
        None => value,
    }
}

/// Location of `start..end` inside an entry's text, keeping the entry's JSON pointer.
pub(crate) fn locate_within(ctx: &AgentContext<'_>, entry: &ToolEntry<'_>, start: usize, end: usize) -> Location {
    let span = span_within(&ctx.config.source.text, entry.node.span, entry.text, start, end);
    let mut location = ctx.locate(span);
    if location.pointer.is_none() {
        location.pointer = ctx.locate(entry.node.span).pointer;
    }
    location
}

/// A rule's text for a message: trimmed, control characters escaped (`\t`), any credential
/// redacted.
pub(crate) fn shown(text: &str) -> String {
    crate::secrets::redact_all(text.trim())
        .chars()
        .map(|c| if c.is_control() { c.escape_default().to_string() } else { c.to_string() })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `(source, scalar text, start, end)` → the mapped source slice.
    fn mapped<'s>(source: &'s str, text: &str, start: usize, end: usize) -> &'s str {
        let value = Span::new(source.find(':').map_or(0, |i| i + 2), source.trim_end().len());
        let span = span_within(source, value, text, start, end);
        &source[span.start..span.end]
    }

    #[test]
    fn spans_map_into_plain_and_quoted_scalars() {
        assert_eq!(mapped("a: Bash(rm *\n", "Bash(rm *", 4, 5), "(");
        assert_eq!(mapped("a: 'Bash(rm *'\n", "Bash(rm *", 4, 5), "(");
        assert_eq!(mapped("a: \"Bash(rm *\"\n", "Bash(rm *", 4, 5), "(");
        assert_eq!(mapped("a: \"  Reed\"\n", "  Reed", 2, 6), "Reed");
        assert_eq!(mapped("a: \"Wébfetch(x)\"\n", "Wébfetch(x)", 0, 9), "Wébfetch");
    }

    #[test]
    fn escaped_or_folded_scalars_fall_back_to_the_whole_value() {
        assert_eq!(mapped("a: \"Bash(echo \\\"x\\\")\"\n", "Bash(echo \"x\")", 0, 4), "\"Bash(echo \\\"x\\\")\"");
        assert_eq!(mapped("a: 'it''s'\n", "it's", 0, 2), "'it''s'");
        assert_eq!(mapped("a: \"\\u0052ead\"\n", "Read", 0, 4), "\"\\u0052ead\"");
        // Empty and out-of-range sub-ranges.
        assert_eq!(mapped("a: ''\n", "", 0, 0), "''");
        assert_eq!(mapped("a: Read\n", "Read", 2, 9), "Read");
    }

    #[test]
    fn verdicts() {
        use ToolList::{Allowed, Disallowed, Tools};
        let ok = |t: &str, l| check_rule(t, l).is_ok();
        assert!(ok("Read", Allowed));
        assert!(ok("Task(Explore)", Allowed));
        assert!(ok("MultiEdit", Allowed));
        assert!(ok("mcp__github__get_issue", Allowed));
        assert!(ok("*", Allowed), "AL104's business");
        assert!(ok("mcp__*", Allowed), "AL104's business");
        assert!(ok("mcp__*__delete_repo", Allowed), "AL104's business");
        assert!(!ok("*", Tools));
        assert!(!ok("Agent(model:opus)", Allowed));
        assert!(ok("Agent(model:opus)", Disallowed));
        assert!(!ok("*(rm)", Allowed));
        let err = check_rule("  View ", Allowed).unwrap_err();
        assert_eq!((err.start, err.end), (2, 6));
        assert_eq!(err.help.as_deref(), Some("write \"Read\""));
        assert!(err.message.contains("pre-2.x"), "{err:?}");
        let err = check_rule("KillShell", Disallowed).unwrap_err();
        assert_eq!(err.help.as_deref(), Some("write \"TaskStop\""));
        assert!(check_rule("LS", Tools).unwrap_err().message.contains("\"LS\""));
    }

    #[test]
    fn shown_redacts_credentials() {
        assert_eq!(shown(" Bash(git log:*) "), "Bash(git log:*)");
        assert_eq!(shown("Grep,\tGlob\u{7}"), "Grep,\\tGlob\\u{7}");
        let token = format!("ghp_{}", "a1B2c3D4e5F6g7H8i9J0k1L2m3N4o5P6q7R8");
        let text = format!("Bash(curl -H {token} *)");
        let out = shown(&text);
        assert!(!out.contains(&token), "{out}");
        assert!(out.starts_with("Bash(curl -H ghp_"), "{out}");
    }
}
