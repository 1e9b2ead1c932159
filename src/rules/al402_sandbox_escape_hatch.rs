//! AL402 sandbox-escape-hatch.

use super::tool_lists::shown;
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

In a Claude Code settings file the keys are camelCase (`allowUnsandboxedCommands`, `excludedCommands`, `enableWeakerNestedSandbox`).

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
        let key = ctx.named(&path);
        let help =
            || format!("set `{}` so every command stays in the sandbox", ctx.set(&path, serde_json::json!(false)));
        let finding = match ctx.node(&path).map(|n| &n.value) {
            Some(Value::Bool(false) | Value::Int(_) | Value::Float(_) | Value::String(_) | Value::Seq(_) | Value::Map(_)) => {
                return;
            }
            Some(Value::Bool(true)) => ctx
                .finding(
                    &META,
                    ctx.at_value(&path),
                    format!("`{key}` is `true`: the model may rerun a command outside the sandbox with `dangerouslyDisableSandbox`"),
                )
                .label("escape hatch open"),
            Some(Value::Null) => ctx
                .finding(
                    &META,
                    ctx.at_value(&path),
                    format!("`{key}` is null, so it defaults to `true`: the model may rerun a command outside the sandbox with `dangerouslyDisableSandbox`"),
                )
                .label("escape hatch open"),
            // A value that is not valid (AL004) is not `false`: the escape hatch stays open.
            None => match ctx.invalid_at(&["sandbox", "allow_unsandboxed_commands"]) {
                Some(at) => ctx
                    .finding(
                        &META,
                        at,
                        format!("`{key}` is not `true` or `false`, so it defaults to `true`: the model may rerun a command outside the sandbox with `dangerouslyDisableSandbox`"),
                    )
                    .label("escape hatch open"),
                None => ctx
                    .finding(
                        &META,
                        ctx.at_key(&[Seg::Key("sandbox")]),
                        format!("`{key}` is not set, so it defaults to `true`: the model may rerun a command outside the sandbox with `dangerouslyDisableSandbox`"),
                    )
                    .label(format!("no `{}`", ctx.dialect().set(&[Seg::Key("allow_unsandboxed_commands")], &serde_json::json!(false)))),
            },
        };
        out.push(finding.help(help()));
    }

    fn weaker_mode(ctx: &AgentContext<'_>, key: &'static str, why: &str, out: &mut Vec<Finding>) {
        let path = [Seg::Key("sandbox"), Seg::Key(key)];
        if matches!(ctx.node(&path).map(|n| &n.value), Some(Value::Bool(true))) {
            let written = ctx.path(&path);
            out.push(
                ctx.finding(&META, ctx.at_value(&path), format!("`{written}` is `true`: {why}"))
                    .label("weaker sandbox")
                    .help(format!("remove `{written}` (or set it to `false`)")),
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
        let key = ctx.path(&path);
        let list = commands.iter().map(|c| format!("`{}`", shown(c))).collect::<Vec<_>>().join(", ");
        let noun = if commands.len() == 1 { "command" } else { "commands" };
        out.push(
            ctx.finding(&META, ctx.at_value(&path), format!("`{key}` lets the {noun} {list} run outside the sandbox"))
                .label("not a security boundary")
                .help(format!(
                    "remove `{key}`; allow what the commands need under `{}` and `{}` instead",
                    ctx.path(&[Seg::Key("sandbox"), Seg::Key("filesystem")]),
                    ctx.path(&[Seg::Key("sandbox"), Seg::Key("network")])
                )),
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
