//! AL107 mode-tool-mismatch.

use super::tool_lists::{ToolList, entries, shown};
use super::{AgentContext, Rule, RuleEntry, RuleMeta, no_params};
use crate::config::PermissionMode;
use crate::document::Seg;
use crate::kinds::Kind;
use crate::permission::{RuleTool, ToolEffect, writes_or_executes};
use crate::report::{Finding, Severity};

pub static META: RuleMeta = RuleMeta {
    id: "AL107",
    name: "mode-tool-mismatch",
    severity: Severity::Warning,
    kinds: &[Kind::Deployment, Kind::Settings],
    summary: "`permission_mode: plan` while `allowed_tools` grants a tool that writes files or runs commands",
    docs: r#"## What it checks
That an agent in `plan` (read-only) mode does not list tools that write files or run commands in `allowed_tools`: `Edit`, `Write`, `MultiEdit`, `NotebookEdit`, `Bash`, `PowerShell` and `Monitor`, in any form (`Bash(git diff:*)` too). Each such entry is reported, with `permission_mode` as a related location. Tool-name globs are left to AL104, entries that AL105 rejects are not checked.

In a Claude Code settings file the mode is `permissions.defaultMode` and the grants `permissions.allow`.

## Why it matters
Plan mode is for read-only analysis and review: it runs no source edits. An allow rule for a writing or executing tool contradicts that. Either the agent is meant to be read-only and the entry grants more than it needs (and takes effect as soon as someone changes the mode), or the agent is meant to change things and plan mode stops it.

## Failing example
```yaml
permission_mode: plan
allowed_tools: [Read, Grep, Edit]
```

## Passing example
```yaml
permission_mode: plan
allowed_tools: [Read, Grep, Glob]
```

## How to fix
For a read-only reviewer, remove the entry and keep `Read`, `Grep`, `Glob`. For an agent that must edit files or run commands, use `permission_mode: dont_ask` (unattended) or `accept_edits` (supervised) instead of `plan`.
"#,
};

pub const ENTRY: RuleEntry = RuleEntry {
    meta: &META,
    build: |p| {
        no_params(p)?;
        Ok(Box::new(ModeToolMismatch))
    },
};

struct ModeToolMismatch;

impl Rule for ModeToolMismatch {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check_agent(&self, ctx: &AgentContext<'_>, out: &mut Vec<Finding>) {
        if ctx.options().permission_mode != Some(PermissionMode::Plan) {
            return;
        }
        let mode = ctx.at_value(&[Seg::Key("permission_mode")]);
        for entry in entries(ctx, ToolList::Allowed) {
            let Some(rule) = entry.rule() else { continue };
            let RuleTool::Builtin(info) = &rule.kind else { continue };
            if !writes_or_executes(rule) {
                continue;
            }
            let what = if info.effect == ToolEffect::Writes { "writes files" } else { "runs commands" };
            let text = shown(entry.text);
            out.push(
                ctx.finding(
                    &META,
                    ctx.at_value(&entry.path()),
                    format!(
                        "`{}` is `{}` (read-only), but `{}` entry `{text}` {what}",
                        ctx.key("permission_mode"),
                        ctx.dialect().mode(PermissionMode::Plan),
                        ctx.key("allowed_tools")
                    ),
                )
                .label(format!("{what} in a read-only agent"))
                .related(mode.clone(), "read-only mode set here")
                .help(format!(
                    "remove `{text}` for a read-only reviewer, or set `{}` (unattended) or `{}` (supervised) if the agent must change things",
                    ctx.set(&[Seg::Key("permission_mode")], serde_json::json!(ctx.dialect().mode(PermissionMode::DontAsk))),
                    ctx.dialect().mode(PermissionMode::AcceptEdits),
                )),
            );
        }
    }
}
