//! AL109 non-reading-tool-grant (opt-in: the `review` policy turns it on).

use serde::Deserialize;

use super::tool_lists::{ToolList, entries, shown};
use super::{AgentContext, ParamError, Rule, RuleEntry, RuleMeta, parse_params};
use crate::kinds::Kind;
use crate::permission::{PermissionRule, RuleList, RuleTool, canonical, denies_command, parse_rule};
use crate::report::{Finding, Severity};

pub static META: RuleMeta = RuleMeta {
    id: "AL109",
    name: "non-reading-tool-grant",
    severity: Severity::Error,
    kinds: &[Kind::Deployment],
    summary: "A read-only agent's `allowed_tools` grants a tool that is not on the policy's list of reading tools (opt-in)",
    docs: r#"## What it checks
That every `allowed_tools` entry is a reading tool: one of the rules in the `allowed` parameter (by default `Read`, `Glob`, `Grep` and `WebSearch`) or one of the read-only shell commands in the `read_only_bash` parameter. Any other grant is reported: `Edit`, `Write`, `WebFetch`, `Agent`, MCP tools, and shell commands that are not on the list.

A listed bare tool covers its narrower forms (`Read` covers `Read(./src/**)`), and a listed command pattern covers narrower patterns of the same command (`Bash(git log:*)` covers `Bash(git log --oneline:*)` and the exact `Bash(git log)`, but not `Bash(git:*)` or anything with `;`, `&&`, `|`, `>` or `$(`). Entries that AL105 rejects are not checked.

This rule is **off unless a policy turns it on**: the `review` policy enables it for read-only review agents. Other policies leave it off, because most agents are meant to change things.

## Why it matters
A review agent should be able to look but not touch. `permission_mode: plan` stops edits in the session, but an `allowed_tools` grant is the wider promise: it is what the agent will run without asking when the file is reused with another mode, and it is what a reviewer of the config reads as "this agent may do". A single `Edit`, `Bash(npm install:*)` or `WebFetch` in a read-only agent's grants is either a mistake or a different kind of agent.

## Failing example
```yaml
permission_mode: plan
allowed_tools: [Read, Grep, Edit, "Bash(npm install:*)"]
```

## Passing example
```yaml
permission_mode: plan
allowed_tools: [Read, Grep, Glob, "Bash(git log:*)"]
```

## How to fix
Remove the grants that write, run or fetch; keep `Read`, `Glob`, `Grep`, `WebSearch` and read-only commands such as `Bash(git diff:*)`. If the agent really needs more, it is not a read-only agent: check it with another policy, or add the rule to the policy's `allowed` or `read_only_bash` list.

## Parameters
- `allowed` (list of permission rules, default `["Read", "Glob", "Grep", "WebSearch"]`): the reading tools. A bare tool name also covers that tool's rules with a specifier.
- `read_only_bash` (list of `Bash` rules, default `["Bash(git log:*)", "Bash(git diff:*)", "Bash(git show:*)", "Bash(ls:*)", "Bash(cat:*)"]`): the shell commands that only read.
"#,
};

pub const ENTRY: RuleEntry =
    RuleEntry { meta: &META, build: |p| Ok(Box::new(NonReadingToolGrant::new(parse_params(p)?)?)) };

#[derive(Debug, Deserialize)]
#[serde(default, deny_unknown_fields)]
struct Params {
    allowed: Vec<String>,
    read_only_bash: Vec<String>,
}

impl Default for Params {
    fn default() -> Self {
        Self {
            allowed: ["Read", "Glob", "Grep", "WebSearch"].map(String::from).into(),
            read_only_bash: ["Bash(git log:*)", "Bash(git diff:*)", "Bash(git show:*)", "Bash(ls:*)", "Bash(cat:*)"]
                .map(String::from)
                .into(),
        }
    }
}

/// One reading-tool rule of the policy, parsed once.
struct Reading {
    /// As written in the policy, for help texts.
    text: String,
    canonical: String,
    /// The tool name when the rule is a bare tool (covers every rule of that tool).
    bare_tool: Option<String>,
    /// The MCP server when the rule grants a whole server (`mcp__github`, `mcp__github__*`).
    mcp_server: Option<String>,
    /// The parsed `Bash` rule, for command coverage.
    bash: Option<String>,
}

struct NonReadingToolGrant {
    reading: Vec<Reading>,
}

/// Characters that chain, pipe, redirect or substitute commands: a pattern containing them is
/// never covered by a read-only command rule.
const SHELL_OPERATORS: &[&str] = &[";", "&&", "||", "|", ">", "<", "`", "$(", "\n"];

impl NonReadingToolGrant {
    fn new(params: Params) -> Result<Self, ParamError> {
        let mut reading = Vec::new();
        for (i, text) in params.allowed.iter().enumerate() {
            let rule = parse_rule(text, RuleList::Allow).map_err(|e| ParamError {
                pointer: format!("/allowed/{i}"),
                message: format!("`{text}` is not a permission rule: {e}"),
            })?;
            reading.push(Reading::new(text, &rule));
        }
        for (i, text) in params.read_only_bash.iter().enumerate() {
            let error = |message: String| ParamError { pointer: format!("/read_only_bash/{i}"), message };
            let rule = parse_rule(text, RuleList::Allow)
                .map_err(|e| error(format!("`{text}` is not a permission rule: {e}")))?;
            if !is_tool(&rule, "Bash") || rule.specifier.is_none() {
                return Err(error(format!(
                    "`{text}` must be a `Bash` rule that names a command, e.g. `Bash(git log:*)`"
                )));
            }
            reading.push(Reading::new(text, &rule));
        }
        Ok(Self { reading })
    }

    fn covers(&self, rule: &PermissionRule<'_>) -> bool {
        let canon = canonical(rule);
        self.reading.iter().any(|r| {
            r.canonical == canon
                || match &rule.kind {
                    RuleTool::Builtin(info) => {
                        r.bare_tool.as_deref() == Some(info.name)
                            || (info.name == "Bash" && r.bash.as_deref().is_some_and(|b| bash_covers(b, &canon)))
                    }
                    RuleTool::Mcp { server, .. } => r.mcp_server.as_deref() == Some(server.as_str()),
                    RuleTool::NameGlob => false,
                }
        })
    }

    fn listed(&self) -> String {
        self.reading.iter().map(|r| format!("`{}`", r.text.trim())).collect::<Vec<_>>().join(", ")
    }
}

impl Reading {
    fn new(text: &str, rule: &PermissionRule<'_>) -> Self {
        let canonical = canonical(rule);
        let bare_tool = match &rule.kind {
            RuleTool::Builtin(info) if canonical == info.name => Some(info.name.to_owned()),
            _ => None,
        };
        let mcp_server = match &rule.kind {
            RuleTool::Mcp { server, tool } if tool.as_deref().is_none_or(|t| t == "*") => Some(server.clone()),
            _ => None,
        };
        let bash = (is_tool(rule, "Bash") && bare_tool.is_none()).then(|| text.trim().to_owned());
        Self { text: text.to_owned(), canonical, bare_tool, mcp_server, bash }
    }
}

fn is_tool(rule: &PermissionRule<'_>, name: &str) -> bool {
    matches!(&rule.kind, RuleTool::Builtin(info) if info.name == name)
}

/// Does the read-only command rule `listed` (as written) cover the `Bash` grant whose canonical
/// form is `grant`? Only an exact command or a `<command> *` pattern can be covered: anything
/// with another wildcard (`Bash(git log*)` also matches `git logx`) or a shell operator is not.
fn bash_covers(listed: &str, grant: &str) -> bool {
    let Some(spec) = grant.strip_prefix("Bash(").and_then(|s| s.strip_suffix(')')) else { return false };
    if SHELL_OPERATORS.iter().any(|op| spec.contains(op)) {
        return false;
    }
    let command = match spec.strip_suffix(" *") {
        Some(head) => head,
        None => spec,
    };
    if command.is_empty() || command.contains('*') {
        return false;
    }
    parse_rule(listed, RuleList::Deny).is_ok_and(|rule| denies_command(&rule, command))
}

impl Rule for NonReadingToolGrant {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check_agent(&self, ctx: &AgentContext<'_>, out: &mut Vec<Finding>) {
        for entry in entries(ctx, ToolList::Allowed) {
            let Some(rule) = entry.rule() else { continue };
            if self.covers(rule) {
                continue;
            }
            let text = shown(entry.text);
            out.push(
                ctx.finding(
                    &META,
                    ctx.at_value(&entry.path()),
                    format!("`{}` grants `{text}`, which is not a reading tool", ctx.key("allowed_tools")),
                )
                .label("not a reading tool")
                .help(format!(
                    "remove `{text}` from `{}`: a read-only agent may be granted only {}",
                    ctx.key("allowed_tools"),
                    self.listed()
                )),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn rule() -> NonReadingToolGrant {
        NonReadingToolGrant::new(Params::default()).unwrap()
    }

    fn covered(r: &NonReadingToolGrant, text: &str) -> bool {
        r.covers(&parse_rule(text, RuleList::Allow).expect(text))
    }

    #[test]
    fn reading_tools_and_read_only_commands_pass() {
        let r = rule();
        for text in [
            "Read",
            "Read(./src/**)",
            "Glob",
            "Grep",
            "WebSearch",
            "Bash(git log:*)",
            "Bash(git log *)",
            "Bash(git log --oneline:*)",
            "Bash(git log)",
            "Bash(ls -la)",
            "Bash(cat:*)",
        ] {
            assert!(covered(&r, text), "{text}");
        }
    }

    #[test]
    fn everything_else_is_reported() {
        let r = rule();
        for text in [
            "Edit",
            "Write",
            "WebFetch(domain:docs.rs)",
            "Agent",
            "Bash",
            "Bash(git:*)",
            "Bash(git push:*)",
            "Bash(git log*)",
            "Bash(git log; rm -rf /)",
            "Bash(cat x > y)",
            "Bash(git log | sh)",
            "mcp__github__get_issue",
            "PowerShell(ls *)",
        ] {
            assert!(!covered(&r, text), "{text}");
        }
    }

    #[test]
    fn parameters_extend_the_list_and_are_validated() {
        let p = |v: serde_json::Value| parse_params::<Params>(&v).and_then(NonReadingToolGrant::new);
        let r = p(json!({"allowed": ["Read", "mcp__github__*"]})).unwrap();
        assert!(covered(&r, "mcp__github__get_issue"));
        assert!(covered(&r, "Bash(git diff:*)"), "read_only_bash keeps its default");
        assert!(!covered(&r, "Grep"));
        let r = p(json!({"read_only_bash": ["Bash(cargo tree:*)"]})).unwrap();
        assert!(covered(&r, "Bash(cargo tree --depth 1)"));
        assert!(!covered(&r, "Bash(git log:*)"));
        let err = p(json!({"allowed": ["Read", "Bash(x"]})).err().unwrap();
        assert_eq!(
            (err.pointer.as_str(), err.message.as_str()),
            ("/allowed/1", "`Bash(x` is not a permission rule: unclosed `(`")
        );
        let err = p(json!({"read_only_bash": ["Read"]})).err().unwrap();
        assert_eq!(err.pointer, "/read_only_bash/0");
        assert_eq!(err.message, "`Read` must be a `Bash` rule that names a command, e.g. `Bash(git log:*)`");
        assert_eq!(p(json!({"allow": []})).err().unwrap().pointer, "/allow");
    }
}
