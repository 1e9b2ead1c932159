//! AL102 permission-checks-bypassed.

use super::{AgentContext, Rule, RuleEntry, RuleMeta, no_params};
use crate::config::PermissionMode;
use crate::document::{Node, Seg, Value};
use crate::kinds::{Kind, Scope};
use crate::report::{Finding, Severity};

pub static META: RuleMeta = RuleMeta {
    id: "AL102",
    name: "permission-checks-bypassed",
    severity: Severity::Error,
    kinds: &[Kind::Deployment, Kind::Settings],
    summary: "Permission checks can be switched off: `dangerously_skip_permissions` (also through `extra_args`), `skipDangerousModePermissionPrompt`, or managed settings that leave bypass mode available",
    docs: r#"## What it checks
That no agent turns off permission checks with `dangerously_skip_permissions: true` or makes bypass mode reachable with `allow_dangerously_skip_permissions: true`, and that `extra_args` does not pass the same CLI flags (`dangerously-skip-permissions` or `allow-dangerously-skip-permissions`, with or without the leading `--`). Each cause is reported on its own, at its key or value.

In Claude Code settings files:
- `skipDangerousModePermissionPrompt: true` in user, local or managed settings (Claude Code ignores it in project settings, which AL008 reports): bypass mode then starts without the confirmation prompt;
- managed settings that do not set `permissions.disableBypassPermissionsMode` to `"disable"`: the one place an organisation can take bypass mode away from every user and repository leaves it available.

## Why it matters
`--dangerously-skip-permissions` is the same as `--permission-mode bypassPermissions`: every tool call is approved, including writes to protected paths, and `allowed_tools` no longer limits anything. `--allow-dangerously-skip-permissions` does not start in bypass mode but lets the session switch into it later (the SDK's `set_permission_mode`), so a restrictive `permission_mode` is no longer a guarantee. An `extra_args` entry reaches the CLI as the same flag, whatever its value: the Python and TypeScript SDKs pass `--key value` for any non-null value.

## Failing example
```yaml
permission_mode: dont_ask
allowed_tools: [Read, Grep]
extra_args:
  dangerously-skip-permissions: null
```

## Passing example
```yaml
permission_mode: dont_ask
allowed_tools: [Read, Grep]
```

## How to fix
Delete the option or the `extra_args` entry, and grant what the agent needs through a restrictive `permission_mode` (`dont_ask` for unattended pipelines) and an `allowed_tools` list. `dangerously_skip_permissions: false` is the same as leaving it out. In managed settings, add `"permissions": {"disableBypassPermissionsMode": "disable"}`.
"#,
};

pub const ENTRY: RuleEntry = RuleEntry {
    meta: &META,
    build: |p| {
        no_params(p)?;
        Ok(Box::new(PermissionChecksBypassed))
    },
};

struct PermissionChecksBypassed;

/// The two options, their CLI flag, and what turning them on does.
const OPTIONS: &[(&str, &str, &str)] = &[
    (
        "dangerously_skip_permissions",
        "dangerously-skip-permissions",
        "every permission check is skipped, as in `bypass_permissions` mode",
    ),
    (
        "allow_dangerously_skip_permissions",
        "allow-dangerously-skip-permissions",
        "the session can switch into `bypass_permissions` mode, which skips every permission check",
    ),
];

/// What to do instead of bypassing the checks, in the file's words.
fn instead(ctx: &AgentContext<'_>) -> String {
    format!(
        "grant what the agent needs with a restrictive `{}` (e.g. `{}`) and an `{}` list instead",
        ctx.path(&[Seg::Key("permission_mode")]),
        ctx.dialect().mode(PermissionMode::DontAsk),
        ctx.path(&[Seg::Key("allowed_tools")]),
    )
}

impl PermissionChecksBypassed {
    fn options(ctx: &AgentContext<'_>, out: &mut Vec<Finding>) {
        for &(option, _, effect) in OPTIONS {
            let path = [Seg::Key(option)];
            if ctx.node(&path).is_none_or(|n| n.value != Value::Bool(true)) {
                continue;
            }
            let key = ctx.path(&path);
            out.push(
                ctx.finding(&META, ctx.at_value(&path), format!("`{key}` is `true`: {effect}"))
                    .label("turns permission checks off")
                    .help(format!("delete `{key}`; {}", instead(ctx))),
            );
        }
        let Some(extra) = ctx.node(&[Seg::Key("extra_args")]).and_then(Node::as_map) else {
            return;
        };
        let extra_key = ctx.path(&[Seg::Key("extra_args")]);
        for entry in extra {
            let key = entry.key.text.as_str();
            let flag = key.strip_prefix("--").unwrap_or(key);
            let Some(&(option, flag, effect)) = OPTIONS.iter().find(|o| o.1 == flag) else {
                continue;
            };
            out.push(
                ctx.finding(
                    &META,
                    ctx.locate(entry.key.span),
                    format!("`{extra_key}` key `{key}` passes `--{flag}` to the CLI: {effect}"),
                )
                .label(format!("same as `{}: true`", ctx.path(&[Seg::Key(option)])))
                .help(format!("delete this `{extra_key}` entry; {}", instead(ctx))),
            );
        }
    }

    /// Settings: the bypass-mode confirmation turned off, and managed settings that leave bypass
    /// mode available to every user and project.
    fn settings(ctx: &AgentContext<'_>, out: &mut Vec<Finding>) {
        let tree = &ctx.config.tree;
        let scope = ctx.kind().scope;
        if let Some(entry) = tree.entry("skipDangerousModePermissionPrompt")
            && entry.value.value == Value::Bool(true)
            && scope != Some(Scope::Project)
        {
            out.push(
                ctx.finding(
                    &META,
                    ctx.locate(entry.value.span),
                    "`skipDangerousModePermissionPrompt` is `true`: bypass mode, which skips every permission check, starts without asking for confirmation",
                )
                .label("confirmation skipped")
                .help("delete `skipDangerousModePermissionPrompt`, and set `\"permissions\": {\"defaultMode\": \"dontAsk\"}` with an allow list instead of bypassing the checks"),
            );
        }
        if scope == Some(Scope::Managed) {
            let disable = tree.resolve([Seg::Key("permissions"), Seg::Key("disableBypassPermissionsMode")]);
            if disable.is_none_or(|t| t.node.as_str() != Some("disable")) {
                let at = match (disable, tree.entry("permissions")) {
                    (Some(t), _) => ctx.locate(t.node.span),
                    (None, Some(permissions)) => ctx.locate(permissions.key.span),
                    (None, None) => ctx.at_agent(),
                };
                out.push(
                    ctx.finding(
                        &META,
                        at,
                        "`permissions.disableBypassPermissionsMode` is not `\"disable\"`: any user or project can turn every permission check off with `--dangerously-skip-permissions` or `\"defaultMode\": \"bypassPermissions\"`",
                    )
                    .label("bypass mode allowed")
                    .help("set `\"permissions\": {\"disableBypassPermissionsMode\": \"disable\"}` in the managed settings"),
                );
            }
        }
    }
}

impl Rule for PermissionChecksBypassed {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check_agent(&self, ctx: &AgentContext<'_>, out: &mut Vec<Finding>) {
        match ctx.kind().kind {
            Kind::Settings => Self::settings(ctx, out),
            _ => Self::options(ctx, out),
        }
    }
}
