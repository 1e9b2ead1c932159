//! AL606 extra-arg-rejected.

use super::tool_lists::shown;
use super::{AgentContext, Rule, RuleEntry, RuleMeta, no_params};
use crate::document::{Node, Seg};
use crate::kinds::Kind;
use crate::launch::extra::{self, ExtraArgIssue};
use crate::launch::flags::BASELINE;
use crate::report::{Finding, Severity};

pub static META: RuleMeta = RuleMeta {
    id: "AL606",
    name: "extra-arg-rejected",
    severity: Severity::Error,
    kinds: &[Kind::Deployment],
    summary: "An `extra_args` entry is no CLI flag, repeats a flag a typed option sets, or does not fit the flag",
    docs: r#"## What it checks
Every `extra_args` entry, read against the `claude` CLI's flag table (every flag of 2.1.76 and 2.1.332, hidden ones included). An entry is reported when:
- its key is not a flag of the CLI (a typo such as `sdk-urls`, or a short option such as `-d`);
- the flag is one a typed option sets (`permission-mode`, `allowedTools`, `settings`, `mcp-config`, `add-dir`, `system-prompt`, …), or `print`, which `agentlint args` always emits;
- the value does not fit the flag: a switch such as `brief` given a value, a flag that takes a value such as `debug-file` given none (`null` or `true`), or a value outside the flag's choices.

`dangerously-skip-permissions` and `allow-dangerously-skip-permissions` are left to AL102. Flags that only some releases have are AL608's subject.

## Why it matters
`extra_args` reaches the CLI unchecked by every other rule. An unknown flag stops the CLI at start ("unknown option"). A repeated typed flag wins over the option the checks judged, because the CLI keeps the last value: `extra_args: {permission-mode: bypassPermissions}` undoes `permission_mode: plan`. A value-taking flag without a value takes the prompt that the launcher appends as its value, and a switch given a value turns the value into the prompt in the SDKs' two-word form.

## Failing example
```yaml
permission_mode: plan
extra_args:
  permission-mode: acceptEdits
```

## Passing example
```yaml
permission_mode: plan
extra_args:
  name: nightly review
```

## How to fix
Set the typed option instead of the flag (the message names it), fix the flag's name or value, or delete the entry.
"#,
};

pub const ENTRY: RuleEntry = RuleEntry {
    meta: &META,
    build: |p| {
        no_params(p)?;
        Ok(Box::new(ExtraArgRejected))
    },
};

struct ExtraArgRejected;

/// Flags AL102 reports wherever they appear.
const AL102_FLAGS: &[&str] = &["dangerously-skip-permissions", "allow-dangerously-skip-permissions"];

impl Rule for ExtraArgRejected {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check_agent(&self, ctx: &AgentContext<'_>, out: &mut Vec<Finding>) {
        let Some(extra) = &ctx.options().extra_args else { return };
        let Some(entries) = ctx.node(&[Seg::Key("extra_args")]).and_then(Node::as_map) else { return };
        for entry in entries {
            let key = entry.key.text.as_str();
            let Some(value) = extra.get(key) else { continue };
            let issue = match extra::check(key, value.as_ref(), BASELINE) {
                Ok(_) => continue,
                Err(issue) if issue.is_version_issue() => continue,
                Err(ExtraArgIssue::Typed { flag }) if AL102_FLAGS.contains(&flag.name) => continue,
                Err(issue) => issue,
            };
            let (location, label, help) = match &issue {
                ExtraArgIssue::NotAFlagName | ExtraArgIssue::UnknownFlag { .. } => (
                    ctx.locate(entry.key.span),
                    "not a CLI flag",
                    "fix the flag's name (`claude --help` lists them), or delete the entry".to_owned(),
                ),
                ExtraArgIssue::AlwaysEmitted => {
                    (ctx.locate(entry.key.span), "always emitted", "delete the entry".to_owned())
                }
                ExtraArgIssue::Typed { flag } => (
                    ctx.locate(entry.key.span),
                    "a typed option sets this flag",
                    format!("delete the entry and set {} instead", extra::options_or(flag.options)),
                ),
                _ => (
                    ctx.locate(entry.value.span),
                    "does not fit the flag",
                    "give the flag the value it takes, or delete the entry".to_owned(),
                ),
            };
            out.push(ctx.finding(&META, location, issue.message(&shown(key))).label(label).help(help));
        }
    }
}
