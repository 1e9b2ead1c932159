//! AL705 project-mcp-auto-approved.

use super::tool_lists::shown;
use super::{AgentContext, Rule, RuleEntry, RuleMeta, no_params};
use crate::document::{Node, Value};
use crate::kinds::{Kind, Scope};
use crate::report::{Finding, Severity};

pub static META: RuleMeta = RuleMeta {
    id: "AL705",
    name: "project-mcp-auto-approved",
    severity: Severity::Warning,
    kinds: &[Kind::Settings],
    summary: "Project settings approve the repository's own MCP servers (`enableAllProjectMcpServers`, `enabledMcpjsonServers`)",
    docs: r#"## What it checks
A project settings file (`.claude/settings.json`, committed with the code) that approves the servers of the project's `.mcp.json` in advance: `enableAllProjectMcpServers: true`, or a non-empty `enabledMcpjsonServers`.

## Why it matters
Claude Code asks each user before it starts a server that a repository's `.mcp.json` defines, because such a server is code from the repository running with the user's environment. A repository that approves its own servers takes that decision away: once the folder is trusted, every server starts, including one that a later commit adds or changes. (Claude Code ignores these keys in a folder that is not trusted yet, so the approval waits only for the trust dialog.)

## Failing example
```json
{"enableAllProjectMcpServers": true}
```

## Passing example
```json
{"permissions": {"defaultMode": "dontAsk"}}
```

## How to fix
Delete the key from the project file. Each user approves the servers they want when Claude Code asks, or in their own `.claude/settings.local.json` or user settings.
"#,
};

pub const ENTRY: RuleEntry = RuleEntry {
    meta: &META,
    build: |p| {
        no_params(p)?;
        Ok(Box::new(ProjectMcpAutoApproved))
    },
};

struct ProjectMcpAutoApproved;

impl Rule for ProjectMcpAutoApproved {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check_agent(&self, ctx: &AgentContext<'_>, out: &mut Vec<Finding>) {
        if ctx.kind().scope != Some(Scope::Project) {
            return;
        }
        let tree = &ctx.config.tree;
        if let Some(entry) = tree.entry("enableAllProjectMcpServers")
            && entry.value.value == Value::Bool(true)
        {
            out.push(
                ctx.finding(
                    &META,
                    ctx.locate(entry.value.span),
                    "`enableAllProjectMcpServers` is `true`: every server in the repository's `.mcp.json` starts without asking once the folder is trusted, including servers a later change adds",
                )
                .label("servers approved by the repository")
                .help("delete `enableAllProjectMcpServers`; let each user approve the servers they want"),
            );
        }
        if let Some(entry) = tree.entry("enabledMcpjsonServers")
            && let Some(names) = entry.value.as_seq().filter(|n| !n.is_empty())
        {
            let list: Vec<String> = names.iter().filter_map(Node::as_str).map(|n| format!("`{}`", shown(n))).collect();
            out.push(
                ctx.finding(
                    &META,
                    ctx.locate(entry.value.span),
                    format!(
                        "`enabledMcpjsonServers` approves {} from the repository's own `.mcp.json`: they start without asking once the folder is trusted",
                        list.join(", ")
                    ),
                )
                .label("servers approved by the repository")
                .help("delete `enabledMcpjsonServers` from the project file; each user approves servers in their own `.claude/settings.local.json`"),
            );
        }
    }
}
