//! AL602 session-id-without-fork.

use super::{AgentContext, Rule, RuleEntry, RuleMeta, no_params};
use crate::document::Seg;
use crate::kinds::Kind;
use crate::report::{Finding, Severity};

pub static META: RuleMeta = RuleMeta {
    id: "AL602",
    name: "session-id-without-fork",
    severity: Severity::Error,
    kinds: &[Kind::Deployment],
    summary: "`session_id` with `resume` or `continue` but without `fork_session: true`, which the CLI refuses",
    docs: r#"## What it checks
That an agent which resumes a session (`resume`) or continues the last one (`continue: true`) sets `session_id` only together with `fork_session: true`.

## Why it matters
`session_id` names the session the agent writes to. When resuming, that can only be a new session forked from the old one: without `--fork-session`, CLI 2.1.76 and 2.1.332 exit at once ("--session-id can only be used with --continue or --resume if --fork-session is also specified"), and the TypeScript SDK refuses the options. The config passes every other check and never runs.

## Failing example
```yaml
resume: 0b7e5a8c-3d41-4f6e-9a2b-5c8d7e6f1a20
session_id: 7f3c2b1a-9e8d-4c7b-a6f5-e4d3c2b1a098
```

## Passing example
```yaml
resume: 0b7e5a8c-3d41-4f6e-9a2b-5c8d7e6f1a20
fork_session: true
session_id: 7f3c2b1a-9e8d-4c7b-a6f5-e4d3c2b1a098
```

## How to fix
Set `fork_session: true` to resume into the new session ID, or delete `session_id` to keep writing to the resumed session.
"#,
};

pub const ENTRY: RuleEntry = RuleEntry {
    meta: &META,
    build: |p| {
        no_params(p)?;
        Ok(Box::new(SessionIdWithoutFork))
    },
};

struct SessionIdWithoutFork;

impl Rule for SessionIdWithoutFork {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check_agent(&self, ctx: &AgentContext<'_>, out: &mut Vec<Finding>) {
        let o = ctx.options();
        if o.session_id.is_none() || o.fork_session == Some(true) {
            return;
        }
        let mut causes = Vec::new();
        if o.resume.is_some() {
            causes.push("resume");
        }
        if o.continue_session == Some(true) {
            causes.push("continue");
        }
        if causes.is_empty() {
            return;
        }
        let session_key = ctx.key("session_id");
        let fork_key = ctx.key("fork_session");
        let written: Vec<String> = causes.iter().map(|c| format!("`{}`", ctx.key(c))).collect();
        let mut finding = ctx
            .finding(
                &META,
                ctx.at_value(&[Seg::Key("session_id")]),
                format!(
                    "`{session_key}` is set together with {} but `{fork_key}` is not `true`: the CLI refuses to start",
                    written.join(" and ")
                ),
            )
            .label("needs `fork_session: true`");
        for cause in causes {
            finding = finding.related(ctx.at_key(&[Seg::Key(cause)]), format!("`{}`", ctx.key(cause)));
        }
        out.push(
            finding
                .help(format!("set `{fork_key}: true` to resume into this new session ID, or delete `{session_key}`")),
        );
    }
}
