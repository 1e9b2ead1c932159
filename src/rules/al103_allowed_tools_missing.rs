//! AL103 allowed-tools-missing.

use super::{AgentContext, Rule, RuleEntry, RuleMeta, no_params};
use crate::document::{Node, Seg};
use crate::kinds::Kind;
use crate::report::{Finding, Severity};

pub static META: RuleMeta = RuleMeta {
    id: "AL103",
    name: "allowed-tools-missing",
    severity: Severity::Error,
    kinds: &[Kind::Deployment],
    summary: "`allowed_tools` is missing or empty",
    docs: r#"## What it checks
That every agent lists the tools it may use without a prompt in a non-empty `allowed_tools`. A missing list is reported at the agent, an empty one (`[]`) at the value.

## Why it matters
Without `allowed_tools`, what the agent may do is decided by the permission mode and by whatever settings files the CLI loads, not by the deployment config that is reviewed. The SDKs send no `--allowedTools` flag for an empty list, so `[]` is the same as leaving it out. The production checklists ask for `allowed_tools` set to only what is needed.

## Failing example
```yaml
permission_mode: dont_ask
allowed_tools: []
```

## Passing example
```yaml
permission_mode: dont_ask
allowed_tools: [Read, Grep, Glob]
```

## How to fix
List the tools the agent needs, as narrowly as possible: `Read`, `Grep`, `Glob` for reading, `Bash(<command>:*)` for the commands it runs, `Edit` only when it must change files.
"#,
};

pub const ENTRY: RuleEntry = RuleEntry {
    meta: &META,
    build: |p| {
        no_params(p)?;
        Ok(Box::new(AllowedToolsMissing))
    },
};

struct AllowedToolsMissing;

impl Rule for AllowedToolsMissing {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check_agent(&self, ctx: &AgentContext<'_>, out: &mut Vec<Finding>) {
        let path = [Seg::Key("allowed_tools")];
        let key = ctx.key("allowed_tools");
        let help = || {
            format!(
                "list the tools the agent needs, e.g. `{}`, and add `Bash(<command>:*)` entries only for the commands it must run",
                ctx.set(&path, serde_json::json!(["Read", "Grep", "Glob"]))
            )
        };
        match ctx.node(&path).map(Node::as_seq) {
            Some(Some([])) => out.push(
                ctx.finding(
                    &META,
                    ctx.at_value(&path),
                    format!("`{key}` is empty (`[]`): no `--allowedTools` flag is sent, so the permission mode and settings files decide which tools run"),
                )
                .label("no tool listed")
                .help(help()),
            ),
            // A list that is not valid (AL004) is sent as no list at all.
            None if ctx.missing("allowed_tools") && ctx.invalid("allowed_tools") => out.push(
                ctx.finding(
                    &META,
                    ctx.invalid_at(&["allowed_tools"]).unwrap_or_else(|| ctx.at_agent()),
                    format!("`{key}` has no valid value, so the permission mode and settings files decide which tools run"),
                )
                .label("not a list of rules")
                .help(help()),
            ),
            None if ctx.missing("allowed_tools") => out.push(
                ctx.finding(
                    &META,
                    ctx.at_missing("allowed_tools"),
                    format!("`{key}` is not set, so the permission mode and settings files decide which tools run"),
                )
                .help(help()),
            ),
            _ => {}
        }
    }
}
