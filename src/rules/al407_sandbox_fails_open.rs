//! AL407 sandbox-fails-open.

use super::{AgentContext, Rule, RuleEntry, RuleMeta, no_params};
use crate::document::{Seg, Value};
use crate::kinds::Kind;
use crate::report::{Finding, Severity};

pub static META: RuleMeta = RuleMeta {
    id: "AL407",
    name: "sandbox-fails-open",
    severity: Severity::Warning,
    kinds: &[Kind::Deployment, Kind::Settings],
    summary: "An enabled sandbox fails open: commands run unsandboxed when it cannot start (`fail_if_unavailable` off)",
    docs: r#"## What it checks
That an enabled sandbox does not set `fail_if_unavailable: false` in a deployment config. A Claude Code settings file that enables the sandbox (`"sandbox": {"enabled": true}`) must also set `"failIfUnavailable": true`, since nothing adds it there.

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
        let enabled = [Seg::Key("sandbox"), Seg::Key("enabled")];
        if !matches!(ctx.node(&enabled).map(|n| &n.value), Some(Value::Bool(true))) {
            return;
        }
        let path = [Seg::Key("sandbox"), Seg::Key("fail_if_unavailable")];
        let key = ctx.named(&path);
        let value = ctx.node(&path).map(|n| &n.value);
        let finding = match (ctx.kind().kind, value) {
            (_, Some(Value::Bool(false))) => ctx
                .finding(
                    &META,
                    ctx.at_value(&path),
                    format!("`{key}` is `false`: when the sandbox cannot start, commands run without it and nothing is enforced"),
                )
                .help(match ctx.kind().kind {
                    Kind::Deployment => format!(
                        "delete `{key}` (agentlint args then sets it to `true`) and install the sandbox's dependencies where the agent runs"
                    ),
                    _ => format!("set `{}` and install the sandbox's dependencies where Claude Code runs", ctx.set(&path, serde_json::json!(true))),
                }),
            // A settings file: nothing adds the setting, so the sandbox fails open unless it is set.
            (Kind::Settings, None) => ctx
                .finding(
                    &META,
                    ctx.at_key(&enabled),
                    format!("`{key}` is not set: when the sandbox cannot start, Claude Code runs commands without it, with only a warning"),
                )
                .help(format!("set `{}` so Claude Code refuses to start without its sandbox (CLI 2.1.332; 2.1.76 ignores the key)", ctx.set(&path, serde_json::json!(true)))),
            _ => return,
        };
        out.push(finding.label("fails open"));
    }
}
