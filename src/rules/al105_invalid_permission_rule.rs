//! AL105 invalid-permission-rule.

use super::tool_lists::{ToolList, entries, locate_within, shown};
use super::{AgentContext, Rule, RuleEntry, RuleMeta, no_params};
use crate::kinds::Kind;
use crate::report::{Finding, Severity};

pub static META: RuleMeta = RuleMeta {
    id: "AL105",
    name: "invalid-permission-rule",
    severity: Severity::Error,
    kinds: &[Kind::Deployment, Kind::Settings, Kind::Subagent, Kind::Command, Kind::Skill],
    summary: "An entry of `allowed_tools`, `disallowed_tools` or `tools` is not a valid permission rule or names no tool",
    docs: r#"## What it checks
Every entry of `allowed_tools`, `disallowed_tools` and `tools` (when it is a list) against the permission-rule grammar, `Tool` or `Tool(specifier)`:
- unbalanced parentheses, text after the closing `)`, empty specifiers, whitespace or illegal characters in the tool name;
- tool names that do not exist (names are case-sensitive: `bash` is not `Bash`); the help names the closest tool. MCP tools (`mcp__<server>__<tool>`) are accepted;
- names that are not tools any more: `View` and `LS` (pre-2.x names; use `Read` and `Glob`) and `KillShell` (use `TaskStop`). `Task(...)`, the old name of `Agent`, and `MultiEdit` still work and pass;
- specifiers the tool does not take or that the CLI never consults (`WebSearch(x)`, `Write(./src/**)`, `WebFetch(example.com)` instead of `WebFetch(domain:example.com)`), and input-parameter rules that target a primary field (`Bash(command:*)`);
- forms that work only in deny lists (input-parameter rules such as `Agent(model:opus)`, tool-name globs in `tools`). Tool-name and MCP server globs in `allowed_tools` are reported by AL104 instead.

The finding points at the offending part inside the string.

The same grammar is checked wherever rules are written: `permissions.allow`, `deny` and `ask` in Claude Code settings, a subagent's `tools` and `disallowedTools`, and the `allowed-tools` and `disallowed-tools` of commands and skills. Claude Code drops an invalid rule on its own and keeps the others, so nothing tells the author it is gone. Also reported: `:*` anywhere but at the end of a shell rule (`Bash(git:* push)`), where the CLI matches the `:` literally.

## Why it matters
The CLI ignores a rule it cannot match, sometimes with a warning in a log nobody reads. An allow rule with a typo leaves the agent without a tool it needs; a deny rule with a typo protects nothing while the config looks safe. `View` appears in published SDK examples but matches no current tool.

## Failing example
```yaml
permission_mode: dont_ask
allowed_tools: [View, "Bash(git log *"]
disallowed_tools: ["WebFetch(evil.example)"]
```

## Passing example
```yaml
permission_mode: dont_ask
allowed_tools: [Read, "Bash(git log *)"]
disallowed_tools: ["WebFetch(domain:evil.example)"]
```

## How to fix
Follow the help: it names the closest tool, the replacement of an old name, or the form the specifier must take.
"#,
};

pub const ENTRY: RuleEntry = RuleEntry {
    meta: &META,
    build: |p| {
        no_params(p)?;
        Ok(Box::new(InvalidPermissionRule))
    },
};

struct InvalidPermissionRule;

impl Rule for InvalidPermissionRule {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check_agent(&self, ctx: &AgentContext<'_>, out: &mut Vec<Finding>) {
        for list in [ToolList::Allowed, ToolList::Disallowed, ToolList::Ask, ToolList::Tools] {
            for entry in entries(ctx, list) {
                let Err(rejection) = &entry.checked else { continue };
                let location = locate_within(ctx, entry, rejection.start, rejection.end);
                let finding = ctx
                    .finding(
                        &META,
                        location,
                        format!(
                            "`{}` entry `{}`: {}",
                            ctx.key(list.option()),
                            shown(entry.text),
                            crate::secrets::redact_all(&rejection.message)
                        ),
                    )
                    .help(rejection.help.as_deref().map_or_else(
                        || "write the rule as `Tool` or `Tool(specifier)`, e.g. `Read` or `Bash(git log *)`".to_owned(),
                        |help| crate::secrets::redact_all(help).into_owned(),
                    ));
                out.push(finding);
            }
        }
    }
}
