//! AL102 permission-checks-bypassed.

use super::tool_lists::written_key;
use super::{AgentContext, Rule, RuleEntry, RuleMeta, no_params};
use crate::document::{Node, Seg, Value};
use crate::kinds::Kind;
use crate::report::{Finding, Severity};

pub static META: RuleMeta = RuleMeta {
    id: "AL102",
    name: "permission-checks-bypassed",
    severity: Severity::Error,
    kinds: &[Kind::Deployment, Kind::Settings],
    summary: "`dangerously_skip_permissions` or `allow_dangerously_skip_permissions` is on, as an option or through `extra_args`",
    docs: r#"## What it checks
That no agent turns off permission checks with `dangerously_skip_permissions: true` or makes bypass mode reachable with `allow_dangerously_skip_permissions: true`, and that `extra_args` does not pass the same CLI flags (`dangerously-skip-permissions` or `allow-dangerously-skip-permissions`, with or without the leading `--`). Each cause is reported on its own, at its key or value.

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
Delete the option or the `extra_args` entry, and grant what the agent needs through a restrictive `permission_mode` (`dont_ask` for unattended pipelines) and an `allowed_tools` list. `dangerously_skip_permissions: false` is the same as leaving it out.
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

const HELP: &str = "grant what the agent needs with a restrictive `permission_mode` (e.g. `dont_ask`) and an `allowed_tools` list instead";

impl Rule for PermissionChecksBypassed {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check_agent(&self, ctx: &AgentContext<'_>, out: &mut Vec<Finding>) {
        for &(option, _, effect) in OPTIONS {
            let path = [Seg::Key(option)];
            if ctx.node(&path).is_none_or(|n| n.value != Value::Bool(true)) {
                continue;
            }
            // Name the key as written (`allowDangerouslySkipPermissions` in TypeScript-style files).
            let key = written_key(ctx, option);
            out.push(
                ctx.finding(&META, ctx.at_value(&path), format!("`{key}` is `true`: {effect}"))
                    .label("turns permission checks off")
                    .help(format!("delete `{key}`; {HELP}")),
            );
        }
        let Some(extra) = ctx.node(&[Seg::Key("extra_args")]).and_then(Node::as_map) else {
            return;
        };
        let extra_key = written_key(ctx, "extra_args");
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
                .label(format!("same as `{option}: true`"))
                .help(format!("delete this `{extra_key}` entry; {HELP}")),
            );
        }
    }
}
