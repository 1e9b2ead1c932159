//! AL502 audit-hook-missing.

use super::{AgentContext, Rule, RuleEntry, RuleMeta, no_params};
use crate::document::Seg;
use crate::kinds::Kind;
use crate::report::{Finding, Severity};

pub static META: RuleMeta = RuleMeta {
    id: "AL502",
    name: "audit-hook-missing",
    severity: Severity::Warning,
    kinds: &[Kind::Deployment],
    summary: "No `PostToolUse` hook and no `tool_callback` records what the agent does",
    docs: r#"## What it checks
That every agent has an audit trail of its tool use: at least one hook under `hooks.PostToolUse`, or a `tool_callback` (an SDK-side permission callback that sees every tool call). A `PostToolUse` entry whose `hooks` list is empty does not count.

## Why it matters
An unattended agent acts without anyone watching. When it deletes the wrong files, leaks a secret or follows a prompt injection, the record of which tools it called with which input is what lets you find out what happened and how far it went. The CLI's own transcript is not that record: it is off with `no_session_persistence` (AL501) and under the agent's control otherwise.

## Failing example
```yaml
permission_mode: dont_ask
hooks:
  PreToolUse:
    - matcher: Bash
      hooks: [{type: command, command: /usr/local/bin/check-command}]
```

## Passing example
```yaml
permission_mode: dont_ask
hooks:
  PostToolUse:
    - matcher: "*"
      hooks: [{type: command, command: /usr/local/bin/audit-log --json}]
```

## How to fix
Add a `PostToolUse` hook with matcher `"*"` that ships each tool call (the hook receives it as JSON on stdin) to a log the agent cannot write to, or set `tool_callback` to the SDK callback that records it.
"#,
};

pub const ENTRY: RuleEntry = RuleEntry {
    meta: &META,
    build: |p| {
        no_params(p)?;
        Ok(Box::new(AuditHookMissing))
    },
};

fn help(ctx: &AgentContext<'_>) -> String {
    let matcher = match ctx.dialect().syntax {
        crate::kinds::Syntax::Yaml => "matcher: \"*\"",
        crate::kinds::Syntax::Json => "\"matcher\": \"*\"",
    };
    format!(
        "add a `hooks.PostToolUse` entry with `{matcher}` whose hook sends every tool call to a log the agent cannot change, or set `{}`",
        ctx.key("tool_callback")
    )
}

struct AuditHookMissing;

impl Rule for AuditHookMissing {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check_agent(&self, ctx: &AgentContext<'_>, out: &mut Vec<Finding>) {
        let options = ctx.options();
        let has_hook = options.hooks.as_ref().is_some_and(|h| h.has_post_tool_use());
        let has_callback = options.tool_callback.as_deref().is_some_and(|c| !c.trim().is_empty());
        if has_hook || has_callback {
            return;
        }
        // A hook under an event name the SDKs do not know (`postToolUse`) never runs: say so
        // there, beside its AL003/AL008.
        let misspelt = ctx.agent.invalid.iter().find(|d| {
            matches!(d.path.as_slice(), [hooks, event] if hooks == "hooks" && event.to_ascii_lowercase().replace(['_', '-'], "") == "posttooluse")
        });
        let post_path = [Seg::Key("hooks"), Seg::Key("PostToolUse")];
        let finding = if let Some(d) = misspelt {
            ctx.finding(
                &META,
                ctx.locate(d.span),
                format!("`hooks.{}` is not `PostToolUse`, so no hook records the agent's tool calls", d.path[1]),
            )
            .label("never runs")
        } else if let Some(post) = ctx.node(&post_path) {
            // Point at the first entry's empty `hooks: []`, or at an empty `PostToolUse: []`.
            let first_empty = post
                .as_seq()
                .unwrap_or_default()
                .iter()
                .position(|m| m.get("hooks").and_then(|h| h.as_seq()).is_some_and(<[_]>::is_empty));
            let at = match first_empty {
                Some(i) => {
                    ctx.at_value(&[Seg::Key("hooks"), Seg::Key("PostToolUse"), Seg::Index(i), Seg::Key("hooks")])
                }
                None => ctx.locate(post.span),
            };
            ctx.finding(&META, at, "`hooks.PostToolUse` has no hooks, so no record of the agent's tool calls is kept")
                .label("no hooks")
        } else if ctx.node(&[Seg::Key("hooks")]).is_some() {
            ctx.finding(
                &META,
                ctx.at_key(&[Seg::Key("hooks")]),
                format!(
                    "`hooks` has no `PostToolUse` hook and `{}` is not set, so no record of the agent's tool calls is kept",
                    ctx.key("tool_callback")
                ),
            )
            .label("no `PostToolUse`")
        } else if ctx.missing("hooks") {
            ctx.finding(
                &META,
                ctx.invalid_at(&["hooks"]).unwrap_or_else(|| ctx.at_missing("hooks")),
                format!(
                    "neither a `PostToolUse` hook nor a `{}` is set, so no record of the agent's tool calls is kept",
                    ctx.key("tool_callback")
                ),
            )
        } else {
            return;
        };
        out.push(finding.help(help(ctx)));
    }
}
