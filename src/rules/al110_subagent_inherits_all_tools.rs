//! AL110 subagent-inherits-all-tools.

use super::{AgentContext, Rule, RuleEntry, RuleMeta, no_params};
use crate::kinds::Kind;
use crate::report::{Finding, Severity};

pub static META: RuleMeta = RuleMeta {
    id: "AL110",
    name: "subagent-inherits-all-tools",
    severity: Severity::Warning,
    kinds: &[Kind::Subagent],
    summary: "A subagent has no `tools` list, so it inherits every tool of the session, MCP tools included",
    docs: r#"## What it checks
That every subagent definition (`.claude/agents/*.md`) lists the tools it may use in `tools`. A subagent without `tools`, or with a `tools` value Claude Code cannot read, is reported at its `name`. Files without a `name` are documentation to Claude Code and are not checked.

## Why it matters
A subagent without `tools` inherits every tool available to the main session: `Bash`, `Write`, `WebFetch` and every MCP server's tools. Subagents are started by the model, often for narrow jobs such as reviewing or searching; the narrower the job, the less reason for it to hold the tools that change or send things. An explicit list is also what a reviewer reads to know what the subagent can do.

## Failing example
```markdown
---
name: code-reviewer
description: Reviews a diff for bugs
---
```

## Passing example
```markdown
---
name: code-reviewer
description: Reviews a diff for bugs
tools: Read, Grep, Glob
---
```

## How to fix
Add `tools:` with the tools the subagent needs (a comma-separated list or a YAML list); use `disallowedTools:` to take single tools away from an inherited set instead.
"#,
};

pub const ENTRY: RuleEntry = RuleEntry {
    meta: &META,
    build: |p| {
        no_params(p)?;
        Ok(Box::new(SubagentInheritsAllTools))
    },
};

struct SubagentInheritsAllTools;

impl Rule for SubagentInheritsAllTools {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check_agent(&self, ctx: &AgentContext<'_>, out: &mut Vec<Finding>) {
        if ctx.name().is_none() || ctx.node(&[crate::document::Seg::Key("tools")]).is_some() {
            return;
        }
        let (at, message) = match ctx.invalid_at(&["tools"]) {
            Some(at) => (
                at,
                "`tools` is not a list Claude Code can read, so this subagent inherits every tool of the session, MCP tools included",
            ),
            None => (
                ctx.at_agent(),
                "`tools` is not set, so this subagent inherits every tool of the session, MCP tools included",
            ),
        };
        out.push(
            ctx.finding(&META, at, message)
                .label("every tool")
                .help("list the tools the subagent needs, e.g. `tools: Read, Grep, Glob`"),
        );
    }
}
