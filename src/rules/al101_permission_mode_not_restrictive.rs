//! AL101 permission-mode-not-restrictive.

use serde::Deserialize;

use super::{AgentContext, Rule, RuleEntry, RuleMeta, parse_params};
use crate::config::PermissionMode;
use crate::document::Seg;
use crate::report::{Finding, Severity};

pub static META: RuleMeta = RuleMeta {
    id: "AL101",
    name: "permission-mode-not-restrictive",
    severity: Severity::Error,
    summary: "`permission_mode` is missing, or is `default`, `auto` or `bypass_permissions`",
    docs: r#"## What it checks
That every agent sets `permission_mode` to a restrictive mode: `plan` (read-only), `dont_ask` (only pre-approved tools run; everything else is denied) or `accept_edits` (file edits are approved, everything else prompts). A missing mode counts as `default`, which is what the SDKs then run in.

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

    fn allowed_list(&self) -> String {
        self.allowed.iter().map(|m| format!("`{}`", m.sdk_name())).collect::<Vec<_>>().join(", ")
    }

    fn help(&self) -> String {
        if self.allowed.len() == 1 {
            format!("set `permission_mode: {}`", self.allowed[0].sdk_name())
        } else {
            format!(
                "set `permission_mode` to one of {}: `dont_ask` for unattended pipelines, `plan` for read-only review, `accept_edits` when a person supervises edits",
                self.allowed_list()
            )
        }
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
        match ctx.options().permission_mode {
            Some(mode) if self.allowed.contains(&mode) => {}
            Some(mode) => {
                let path = [Seg::Key("permission_mode")];
                out.push(
                    ctx.finding(
                        &META,
                        ctx.at_value(&path),
                        format!("`permission_mode` is `{}`: {}", mode.sdk_name(), why(mode)),
                    )
                    .label(format!("allowed: {}", self.allowed_list()))
                    .help(self.help()),
                );
            }
            None if ctx.absent("permission_mode") && !self.allowed.contains(&PermissionMode::Default) => {
                out.push(
                    ctx.finding(
                        &META,
                        ctx.at_agent(),
                        "`permission_mode` is not set, so the SDKs run in `default` mode",
                    )
                    .help(self.help()),
                );
            }
            None => {}
        }
    }
}
