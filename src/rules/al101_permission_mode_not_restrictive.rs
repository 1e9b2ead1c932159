//! AL101 permission-mode-not-restrictive.

use serde::Deserialize;
use serde_json::json;

use super::{AgentContext, Rule, RuleEntry, RuleMeta, parse_params};
use crate::config::PermissionMode;
use crate::document::Seg;
use crate::kinds::{Dialect, Kind};
use crate::report::{Finding, Severity};

pub static META: RuleMeta = RuleMeta {
    id: "AL101",
    name: "permission-mode-not-restrictive",
    severity: Severity::Error,
    kinds: &[Kind::Deployment, Kind::Settings, Kind::Subagent],
    summary: "`permission_mode` is missing, or is `default`, `auto` or `bypass_permissions`",
    docs: r#"## What it checks
That every agent sets `permission_mode` to a restrictive mode: `plan` (read-only), `dont_ask` (only pre-approved tools run; everything else is denied) or `accept_edits` (file edits are approved, everything else prompts). A missing mode counts as `default`, which is what the SDKs then run in; so does a mode that is not valid.

The mode is `permissions.defaultMode` in a Claude Code settings file and `permissionMode` in a subagent file. Those files are layers of a session: a mode they leave out is decided by another layer, so only a mode they set is checked there (`agentlint check --effective` judges the session they add up to). Messages and fixes use the file's own spelling (`bypassPermissions` in settings, `bypass_permissions` in a snake_case deployment config).

## Why it matters
`bypass_permissions` approves every tool call, including writes to protected paths; `allowed_tools` does not limit it. `auto` hands each decision to a background classifier. `default` prompts a person for every risky call, and an unattended agent has no person to answer, so the deployment is either stuck or quietly switched to something looser.

## Failing example
```yaml
permission_mode: bypass_permissions
allowed_tools: [Read, Grep]
```

## Passing example
```yaml
permission_mode: dont_ask
allowed_tools: [Read, Grep]
```

## How to fix
Use `dont_ask` for unattended pipelines, `plan` for read-only review agents, and `accept_edits` for supervised agents that edit files.

## Parameters
- `allowed_modes` (list of modes, default `[plan, dont_ask, accept_edits]`): the modes that pass. A missing `permission_mode` counts as `default`.
"#,
};

pub const ENTRY: RuleEntry =
    RuleEntry { meta: &META, build: |p| Ok(Box::new(PermissionModeNotRestrictive::new(parse_params(p)?))) };

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Params {
    allowed_modes: Vec<PermissionMode>,
}

impl Default for Params {
    fn default() -> Self {
        Self { allowed_modes: vec![PermissionMode::Plan, PermissionMode::DontAsk, PermissionMode::AcceptEdits] }
    }
}

struct PermissionModeNotRestrictive {
    allowed: Vec<PermissionMode>,
}

impl PermissionModeNotRestrictive {
    fn new(params: Params) -> Self {
        Self { allowed: params.allowed_modes }
    }

    /// `manual` is the CLI's alias of `default`: a policy that allows one allows the other.
    fn allows(&self, mode: PermissionMode) -> bool {
        let same = |m: PermissionMode| if m == PermissionMode::Manual { PermissionMode::Default } else { m };
        self.allowed.iter().any(|a| same(*a) == same(mode))
    }

    fn allowed_list(&self, d: &Dialect) -> String {
        self.allowed.iter().map(|m| format!("`{}`", d.mode(*m))).collect::<Vec<_>>().join(", ")
    }

    fn help(&self, ctx: &AgentContext<'_>) -> String {
        let d = ctx.dialect();
        let path = [Seg::Key("permission_mode")];
        if self.allowed.len() == 1 {
            return format!("set `{}`", ctx.set(&path, json!(d.mode(self.allowed[0]))));
        }
        let mut uses = Vec::new();
        for (mode, what) in [
            (PermissionMode::DontAsk, "for unattended pipelines"),
            (PermissionMode::Plan, "for read-only review"),
            (PermissionMode::AcceptEdits, "when a person supervises edits"),
        ] {
            if self.allowed.contains(&mode) {
                uses.push(format!("`{}` {what}", d.mode(mode)));
            }
        }
        let mut help = format!("set `{}` to one of {}", ctx.path(&path), self.allowed_list(d));
        if !uses.is_empty() {
            help.push_str(": ");
            help.push_str(&uses.join(", "));
        }
        help
    }
}

fn why(mode: PermissionMode) -> &'static str {
    match mode {
        PermissionMode::BypassPermissions => "every tool call is approved without a check",
        PermissionMode::Auto => "a background classifier approves tool calls",
        PermissionMode::Default | PermissionMode::Manual => "risky tool calls wait for a person to answer a prompt",
        PermissionMode::Plan | PermissionMode::DontAsk | PermissionMode::AcceptEdits => "this policy does not allow it",
    }
}

impl Rule for PermissionModeNotRestrictive {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check_agent(&self, ctx: &AgentContext<'_>, out: &mut Vec<Finding>) {
        let path = [Seg::Key("permission_mode")];
        let name = ctx.named(&path);
        let default_allowed = self.allows(PermissionMode::Default);
        match ctx.options().permission_mode {
            Some(mode) if self.allows(mode) => {}
            Some(mode) => {
                // The value as the file writes it (`bypassPermissions`, `bypass_permissions`).
                let written = ctx.node(&path).and_then(|n| n.as_str()).unwrap_or(mode.cli_name());
                out.push(
                    ctx.finding(&META, ctx.at_value(&path), format!("`{name}` is `{written}`: {}", why(mode)))
                        .label(format!("allowed: {}", self.allowed_list(ctx.dialect())))
                        .help(self.help(ctx)),
                );
            }
            // An invalid mode (AL004) is no mode at all: the SDKs run in `default` mode.
            None if !default_allowed && ctx.kind().kind.is_whole_session() && ctx.invalid("permission_mode") => {
                let at = ctx.invalid_at(&["permission_mode"]).unwrap_or_else(|| ctx.at_agent());
                out.push(
                    ctx.finding(&META, at, format!("`{name}` has no valid value, so the SDKs run in `default` mode"))
                        .label("not a permission mode")
                        .help(self.help(ctx)),
                );
            }
            None if !default_allowed && ctx.missing("permission_mode") && !ctx.invalid("permission_mode") => {
                out.push(
                    ctx.finding(
                        &META,
                        ctx.at_missing("permission_mode"),
                        format!("`{name}` is not set, so the SDKs run in `default` mode"),
                    )
                    .help(self.help(ctx)),
                );
            }
            None => {}
        }
    }
}
