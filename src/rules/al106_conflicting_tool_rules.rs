//! AL106 conflicting-tool-rules.

use super::tool_lists::{ToolList, entries, shown};
use super::{AgentContext, Rule, RuleEntry, RuleMeta, no_params};
use crate::kinds::Kind;
use crate::report::{Finding, Severity};

pub static META: RuleMeta = RuleMeta {
    id: "AL106",
    name: "conflicting-tool-rules",
    severity: Severity::Warning,
    kinds: &[Kind::Deployment, Kind::Settings],
    summary: "The same permission rule is in both `allowed_tools` and `disallowed_tools`",
    docs: r#"## What it checks
That no rule is both allowed and denied. Rules are compared in canonical form, so `Bash(rm *)` in `allowed_tools` conflicts with `Bash(rm:*)` in `disallowed_tools`, and `Task(Explore)` with `Agent(Explore)`. The finding points at the allowed entry, with the deny rule as a related location. Entries that AL105 rejects are not compared.

In a Claude Code settings file the lists are `permissions.allow` and `permissions.deny`.

## Why it matters
Deny rules are checked first and win in every mode, so the allow entry has no effect. The config says two things at once: either the agent needs the tool and the deny rule breaks it, or the tool must stay blocked and the allow entry misleads whoever reads the config.

## Failing example
```yaml
allowed_tools: [Read, "Bash(rm *)"]
disallowed_tools: ["Bash(rm:*)"]
```

## Passing example
```yaml
allowed_tools: [Read]
disallowed_tools: ["Bash(rm:*)"]
```

## How to fix
Decide which one is meant: remove the allow entry if the tool must stay blocked, or remove the deny rule if the agent needs the tool.
"#,
};

pub const ENTRY: RuleEntry = RuleEntry {
    meta: &META,
    build: |p| {
        no_params(p)?;
        Ok(Box::new(ConflictingToolRules))
    },
};

struct ConflictingToolRules;

impl Rule for ConflictingToolRules {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check_agent(&self, ctx: &AgentContext<'_>, out: &mut Vec<Finding>) {
        // The first deny entry of each canonical rule, by rule: lists of thousands of entries
        // are compared in one pass each, not one against the other.
        let mut denied = std::collections::HashMap::new();
        for e in entries(ctx, ToolList::Disallowed) {
            if let Some(canonical) = e.canonical() {
                denied.entry(canonical).or_insert(e);
            }
        }
        if denied.is_empty() {
            return;
        }
        for allowed in entries(ctx, ToolList::Allowed) {
            let Some(deny) = allowed.canonical().and_then(|c| denied.get(c)) else { continue };
            let (allow_text, deny_text) = (shown(allowed.text), shown(deny.text));
            let (allow_key, deny_key) = (ctx.key("allowed_tools"), ctx.key("disallowed_tools"));
            let also = if allow_text == deny_text { String::new() } else { format!(" (as `{deny_text}`)") };
            out.push(
                ctx.finding(
                    &META,
                    ctx.at_value(&allowed.path()),
                    format!(
                        "`{allow_text}` is in both `{allow_key}` and `{deny_key}`{also}; the deny rule wins, so this entry has no effect"
                    ),
                )
                .label("allowed here")
                .related(ctx.at_value(&deny.path()), "denied here; deny wins")
                .help(format!(
                    "remove `{allow_text}` from `{allow_key}` if it must stay blocked, or remove `{deny_text}` from `{deny_key}` if the agent needs it"
                )),
            );
        }
    }
}
