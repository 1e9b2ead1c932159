//! AL407 sandbox-fails-open.

use super::tool_lists::written_key;
use super::{AgentContext, Rule, RuleEntry, RuleMeta, no_params};
use crate::document::{Seg, Value};
use crate::report::{Finding, Severity};

pub static META: RuleMeta = RuleMeta {
    id: "AL407",
    name: "sandbox-fails-open",
    severity: Severity::Warning,
    summary: "`sandbox.fail_if_unavailable: false`: commands run unsandboxed when the sandbox cannot start",
    docs: r#"## What it checks
That an enabled sandbox does not set `fail_if_unavailable: false`.

## Why it matters
When the sandbox cannot start (on Linux without bubblewrap or socat, for instance), CLI 2.1.332 prints a warning and runs every command without it: no filesystem or network restriction is enforced. `fail_if_unavailable: true` makes it refuse to start instead. The TypeScript SDK sets it for every enabled sandbox, and so does `agentlint args` when the option is not set; `false` turns that protection off on purpose. (CLI 2.1.76 has no such setting and ignores the key.)

## Failing example
```yaml
sandbox:
  enabled: true
  fail_if_unavailable: false
```

## Passing example
```yaml
sandbox:
  enabled: true
```

## How to fix
Delete `fail_if_unavailable` (or set it to `true`), and install what the sandbox needs on the machines that run the agent.
"#,
};

pub const ENTRY: RuleEntry = RuleEntry {
    meta: &META,
    build: |p| {
        no_params(p)?;
        Ok(Box::new(SandboxFailsOpen))
    },
};

struct SandboxFailsOpen;

impl Rule for SandboxFailsOpen {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check_agent(&self, ctx: &AgentContext<'_>, out: &mut Vec<Finding>) {
        let Some(sandbox) = &ctx.options().sandbox else { return };
        if sandbox.enabled != Some(true) {
            return;
        }
        let path = [Seg::Key("sandbox"), Seg::Key("fail_if_unavailable")];
        if ctx.node(&path).is_none_or(|n| n.value != Value::Bool(false)) {
            return;
        }
        let sandbox_key = written_key(ctx, "sandbox");
        out.push(
            ctx.finding(
                &META,
                ctx.at_value(&path),
                format!(
                    "`{sandbox_key}.fail_if_unavailable` is `false`: when the sandbox cannot start, commands run without it and nothing is enforced"
                ),
            )
            .label("fails open")
            .help(
                "delete `fail_if_unavailable` (agentlint args then sets it to `true`) and install the sandbox's dependencies where the agent runs",
            ),
        );
    }
}
