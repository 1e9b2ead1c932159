//! AL501 session-persistence-enabled.

use super::{AgentContext, Rule, RuleEntry, RuleMeta, no_params};
use crate::document::Seg;
use crate::kinds::Kind;
use crate::report::{Finding, Severity};

pub static META: RuleMeta = RuleMeta {
    id: "AL501",
    name: "session-persistence-enabled",
    severity: Severity::Warning,
    kinds: &[Kind::Deployment],
    summary: "Sessions are written to disk (`no_session_persistence` is not `true`)",
    docs: r#"## What it checks
That every agent keeps its sessions off disk: `no_session_persistence: true`, or the TypeScript spelling `persist_session: false` (`persistSession: false`). Anything else is reported: both missing, `no_session_persistence: false`, or `persist_session: true`.

## Why it matters
A persisted session transcript holds everything the agent saw: file contents, command output, tool results, and any secret that passed through them. It stays on the machine (under the CLI's config directory) after the run, where the next job on a shared runner, another tenant or a later compromise can read it, and where `resume` can pick the conversation up again. An unattended agent rarely needs its sessions back.

## Failing example
```yaml
permission_mode: dont_ask
no_session_persistence: false
```

## Passing example
```yaml
permission_mode: dont_ask
no_session_persistence: true
```

## How to fix
Set `no_session_persistence: true` (TypeScript SDK: `persistSession: false`). If you need transcripts for audit, record them with a `PostToolUse` hook or at a proxy, where you control retention.
"#,
};

pub const ENTRY: RuleEntry = RuleEntry {
    meta: &META,
    build: |p| {
        no_params(p)?;
        Ok(Box::new(SessionPersistenceEnabled))
    },
};

fn help(ctx: &AgentContext<'_>) -> String {
    // Python's options class has no field for it: the flag goes through `extra_args`.
    if ctx.dialect().host == crate::kinds::Host::Python {
        return "set `extra_args={\"no-session-persistence\": None}` (`ClaudeAgentOptions` has no field for it)".into();
    }
    if ctx.dialect().camel {
        format!("set `{}`", ctx.set(&[Seg::Key("persist_session")], serde_json::json!(false)))
    } else {
        format!(
            "set `{}` (TypeScript SDK: `persistSession: false`)",
            ctx.set(&[Seg::Key("no_session_persistence")], serde_json::json!(true))
        )
    }
}

struct SessionPersistenceEnabled;

impl Rule for SessionPersistenceEnabled {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check_agent(&self, ctx: &AgentContext<'_>, out: &mut Vec<Finding>) {
        let options = ctx.options();
        if options.session_persistence_disabled() {
            return;
        }
        let finding = if options.no_session_persistence == Some(false) {
            ctx.finding(
                &META,
                ctx.at_value(&[Seg::Key("no_session_persistence")]),
                format!("`{}` is `false`, so sessions are written to disk", ctx.key("no_session_persistence")),
            )
            .label("sessions persisted")
        } else if options.persist_session == Some(true) {
            ctx.finding(
                &META,
                ctx.at_value(&[Seg::Key("persist_session")]),
                format!("`{}` is `true`, so sessions are written to disk", ctx.key("persist_session")),
            )
            .label("sessions persisted")
        } else if let Some((key, at)) = ["no_session_persistence", "persist_session"]
            .into_iter()
            .find_map(|k| ctx.invalid_at(&[k]).map(|at| (k, at)))
        {
            // `"true"` is not `true`: the SDKs keep persisting (AL004 says why).
            ctx.finding(
                &META,
                at,
                format!("`{}` is not `true` or `false`, so sessions are written to disk", ctx.key(key)),
            )
            .label("sessions persisted")
        } else {
            let null = ["no_session_persistence", "persist_session"]
                .into_iter()
                .find_map(|key| ctx.node(&[Seg::Key(key)]).map(|node| (key, node)));
            match null {
                Some((key, node)) => ctx
                    .finding(
                        &META,
                        ctx.locate(node.span),
                        format!("`{}` is null, so sessions are written to disk (the default)", ctx.key(key)),
                    )
                    .label("sessions persisted"),
                None => ctx.finding(
                    &META,
                    ctx.at_missing("no_session_persistence"),
                    format!(
                        "`{}` is not set, so sessions are written to disk (the default)",
                        ctx.key(if ctx.dialect().camel { "persist_session" } else { "no_session_persistence" })
                    ),
                ),
            }
        };
        out.push(finding.help(help(ctx)));
    }
}
