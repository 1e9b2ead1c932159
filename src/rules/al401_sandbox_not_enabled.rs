//! AL401 sandbox-not-enabled.

use super::{AgentContext, Rule, RuleEntry, RuleMeta, no_params};
use crate::document::{Seg, Value};
use crate::kinds::Kind;
use crate::report::{Finding, Severity};

pub static META: RuleMeta = RuleMeta {
    id: "AL401",
    name: "sandbox-not-enabled",
    severity: Severity::Error,
    kinds: &[Kind::Deployment, Kind::Settings],
    summary: "`sandbox` is missing or `sandbox.enabled` is not `true`",
    docs: r#"## What it checks
That every agent sets `sandbox.enabled: true`. A missing `sandbox`, a missing `enabled` (its default is `false`) and `enabled: false` are reported. Only the `sandbox` option is read: the SDKs replace the `sandbox` key of `settings` with it, and a settings file given by path is not visible to a linter.

In a Claude Code settings file, a layer that leaves `sandbox` out leaves it to other layers, so only an explicit `"enabled": false` (or a value that is not a boolean) is reported there.

## Why it matters
Permission rules decide which commands Bash may start, not what a started command does: `Bash(npm test:*)` still runs whatever the repository's test script runs, and deny rules for `Read`/`Edit` do not stop a subprocess from reading or writing files. The sandbox confines every Bash command and its children to the working directory for writes and to the allowed domains for network access, at the operating-system level.

## Failing example
```yaml
permission_mode: dont_ask
sandbox:
  enabled: false
```

## Passing example
```yaml
permission_mode: dont_ask
sandbox:
  enabled: true
  allow_unsandboxed_commands: false
```

## How to fix
Set `sandbox: {enabled: true}` and close the escape hatches (AL402). On Linux and WSL2 the sandbox needs `bubblewrap` and `socat`; when it cannot start, commands run unsandboxed unless `fail_if_unavailable: true` is set.
"#,
};

pub const ENTRY: RuleEntry = RuleEntry {
    meta: &META,
    build: |p| {
        no_params(p)?;
        Ok(Box::new(SandboxNotEnabled))
    },
};

struct SandboxNotEnabled;

/// `sandbox: {enabled: true, allow_unsandboxed_commands: false}` in the file's words.
fn help(ctx: &AgentContext<'_>) -> String {
    let d = ctx.dialect();
    let mut sandbox = serde_json::Map::new();
    sandbox.insert(d.key("enabled"), serde_json::Value::Bool(true));
    sandbox.insert(d.key("allow_unsandboxed_commands"), serde_json::Value::Bool(false));
    format!("set `{}`", ctx.set(&[Seg::Key("sandbox")], serde_json::Value::Object(sandbox)))
}

impl Rule for SandboxNotEnabled {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check_agent(&self, ctx: &AgentContext<'_>, out: &mut Vec<Finding>) {
        let sandbox_path = [Seg::Key("sandbox")];
        let enabled_path = [Seg::Key("sandbox"), Seg::Key("enabled")];
        let (sandbox_key, enabled_key) = (ctx.named(&sandbox_path), ctx.named(&enabled_path));
        let Some(sandbox) = ctx.node(&sandbox_path) else {
            // A `sandbox` that is not valid (AL004) is no sandbox: Bash runs unsandboxed.
            if let Some(at) = ctx.invalid_at(&["sandbox"]) {
                out.push(
                    ctx.finding(&META, at, format!("`{sandbox_key}` is not valid, so Bash commands run unsandboxed"))
                        .label("sandbox off")
                        .help(help(ctx)),
                );
            } else if ctx.missing("sandbox") {
                out.push(
                    ctx.finding(
                        &META,
                        ctx.at_missing("sandbox"),
                        format!("`{sandbox_key}` is not set, so Bash commands run unsandboxed"),
                    )
                    .help(help(ctx)),
                );
            }
            return;
        };
        let finding = match ctx.node(&enabled_path).map(|n| &n.value) {
            Some(Value::Bool(true)) => return,
            Some(Value::Bool(false)) => ctx
                .finding(
                    &META,
                    ctx.at_value(&enabled_path),
                    format!("`{enabled_key}` is `false`, so Bash commands run unsandboxed"),
                )
                .label("sandbox off"),
            Some(Value::Null) => ctx
                .finding(
                    &META,
                    ctx.at_value(&enabled_path),
                    format!("`{enabled_key}` is null, which leaves the sandbox off (the default)"),
                )
                .label("sandbox off"),
            Some(_) => return,
            None => match ctx.invalid_at(&["sandbox", "enabled"]) {
                // `enabled: "true"` is not `true`: the sandbox stays off (AL004 says why).
                Some(at) => ctx
                    .finding(&META, at, format!("`{enabled_key}` is not `true` or `false`, so the sandbox stays off"))
                    .label("sandbox off"),
                None if !ctx.kind().kind.is_whole_session() => return,
                None if matches!(sandbox.value, Value::Null) => ctx
                    .finding(
                        &META,
                        ctx.at_value(&sandbox_path),
                        format!("`{sandbox_key}` is null, so Bash commands run unsandboxed"),
                    )
                    .label("sandbox off"),
                None => ctx
                    .finding(
                        &META,
                        ctx.at_key(&sandbox_path),
                        format!("`{enabled_key}` is not set, which leaves the sandbox off (the default)"),
                    )
                    .label(format!("no `{}`", ctx.dialect().set(&[Seg::Key("enabled")], &serde_json::json!(true)))),
            },
        };
        out.push(finding.help(help(ctx)));
    }
}
