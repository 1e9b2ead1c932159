//! AL402 sandbox-escape-hatch.

use super::{AgentContext, Rule, RuleEntry, RuleMeta, no_params};
use crate::document::{Seg, Value};
use crate::kinds::Kind;
use crate::report::{Finding, Severity};

pub static META: RuleMeta = RuleMeta {
    id: "AL402",
    name: "sandbox-escape-hatch",
    severity: Severity::Warning,
    kinds: &[Kind::Deployment, Kind::Settings],
    summary: "The sandbox is on but leaves a way out: unsandboxed commands, a weaker mode, or excluded commands",
    docs: r#"## What it checks
For agents with `sandbox.enabled: true`, four settings that let commands leave or weaken the sandbox, one finding each:
- `allow_unsandboxed_commands` is not `false`. Its default is `true`, so leaving it out counts.
- `enable_weaker_nested_sandbox: true`.
- `enable_weaker_network_isolation: true`.
- `excluded_commands` lists any command.

## Why it matters
With `allow_unsandboxed_commands` on, the model may retry a command with `dangerouslyDisableSandbox`, and in `dont_ask` or `bypass_permissions` mode no one is asked. The weaker nested sandbox (for unprivileged Docker on Linux) considerably weakens isolation; the weaker network isolation (macOS) opens `com.apple.trustd.agent`, a possible exfiltration path. Excluded commands run outside the sandbox entirely; the setting is a convenience, not a security boundary, and whatever those commands start runs unconfined too.

## Failing example
```yaml
sandbox:
  enabled: true
  excluded_commands: [docker]
```

## Passing example
```yaml
sandbox:
  enabled: true
  allow_unsandboxed_commands: false
```

## How to fix
Set `allow_unsandboxed_commands: false`, remove the `enable_weaker_*` settings, and instead of excluding a command, allow what it needs (writable paths under `filesystem`, domains under `network`) or run it outside the agent.
"#,
};

pub const ENTRY: RuleEntry = RuleEntry {
    meta: &META,
    build: |p| {
        no_params(p)?;
        Ok(Box::new(SandboxEscapeHatch))
    },
};

struct SandboxEscapeHatch;

impl SandboxEscapeHatch {
    fn unsandboxed_commands(ctx: &AgentContext<'_>, out: &mut Vec<Finding>) {
        let path = [Seg::Key("sandbox"), Seg::Key("allow_unsandboxed_commands")];
        let help = "set `sandbox.allow_unsandboxed_commands: false` so every command stays in the sandbox";
        let finding = match ctx.node(&path).map(|n| &n.value) {
            Some(Value::Bool(false) | Value::Int(_) | Value::Float(_) | Value::String(_) | Value::Seq(_) | Value::Map(_)) => {
                return;
            }
            Some(Value::Bool(true)) => ctx
                .finding(
                    &META,
                    ctx.at_value(&path),
                    "`sandbox.allow_unsandboxed_commands` is `true`: the model may rerun a command outside the sandbox with `dangerouslyDisableSandbox`",
                )
                .label("escape hatch open"),
            Some(Value::Null) => ctx
                .finding(
                    &META,
                    ctx.at_value(&path),
                    "`sandbox.allow_unsandboxed_commands` is null, so it defaults to `true`: the model may rerun a command outside the sandbox with `dangerouslyDisableSandbox`",
                )
                .label("escape hatch open"),
            // A dropped invalid value was reported as AL004.
            None if ctx.invalid("sandbox") => return,
            None => ctx
                .finding(
                    &META,
                    ctx.at_key(&[Seg::Key("sandbox")]),
                    "`sandbox.allow_unsandboxed_commands` is not set, so it defaults to `true`: the model may rerun a command outside the sandbox with `dangerouslyDisableSandbox`",
                )
                .label("no `allow_unsandboxed_commands: false`"),
        };
        out.push(finding.help(help));
    }

    fn weaker_mode(ctx: &AgentContext<'_>, key: &'static str, why: &str, out: &mut Vec<Finding>) {
        let path = [Seg::Key("sandbox"), Seg::Key(key)];
        if matches!(ctx.node(&path).map(|n| &n.value), Some(Value::Bool(true))) {
            out.push(
                ctx.finding(&META, ctx.at_value(&path), format!("`sandbox.{key}` is `true`: {why}"))
                    .label("weaker sandbox")
                    .help(format!("remove `sandbox.{key}` (or set it to `false`)")),
            );
        }
    }

    fn excluded_commands(ctx: &AgentContext<'_>, out: &mut Vec<Finding>) {
        let path = [Seg::Key("sandbox"), Seg::Key("excluded_commands")];
        let commands: Vec<&str> =
            ctx.node(&path).and_then(|n| n.as_seq()).unwrap_or_default().iter().filter_map(|n| n.as_str()).collect();
        if commands.is_empty() {
            return;
        }
        let list = commands.iter().map(|c| format!("`{c}`")).collect::<Vec<_>>().join(", ");
        let noun = if commands.len() == 1 { "command" } else { "commands" };
        out.push(
            ctx.finding(
                &META,
                ctx.at_value(&path),
                format!("`sandbox.excluded_commands` lets the {noun} {list} run outside the sandbox"),
            )
            .label("not a security boundary")
            .help("remove `sandbox.excluded_commands`; allow what the commands need under `sandbox.filesystem` and `sandbox.network` instead"),
        );
    }
}

impl Rule for SandboxEscapeHatch {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check_agent(&self, ctx: &AgentContext<'_>, out: &mut Vec<Finding>) {
        let enabled = ctx.node(&[Seg::Key("sandbox"), Seg::Key("enabled")]);
        if !matches!(enabled.map(|n| &n.value), Some(Value::Bool(true))) {
            return; // AL401's finding
        }
        Self::unsandboxed_commands(ctx, out);
        Self::weaker_mode(
            ctx,
            "enable_weaker_nested_sandbox",
            "the weaker Linux sandbox for unprivileged Docker considerably weakens isolation",
            out,
        );
        Self::weaker_mode(
            ctx,
            "enable_weaker_network_isolation",
            "macOS network isolation lets commands reach `com.apple.trustd.agent`, a possible exfiltration path",
            out,
        );
        Self::excluded_commands(ctx, out);
    }
}
