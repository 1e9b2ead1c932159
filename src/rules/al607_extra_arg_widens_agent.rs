//! AL607 extra-arg-widens-agent.

use serde::Deserialize;

use super::tool_lists::shown;
use super::{AgentContext, Rule, RuleEntry, RuleMeta, parse_params};
use crate::document::{Node, Seg};
use crate::kinds::Kind;
use crate::launch::extra;
use crate::launch::flags::{BASELINE, Risk};
use crate::report::{Finding, Severity};

pub static META: RuleMeta = RuleMeta {
    id: "AL607",
    name: "extra-arg-widens-agent",
    severity: Severity::Error,
    kinds: &[Kind::Deployment],
    summary: "An `extra_args` flag widens what the agent may do, changes where it reports, or reads files",
    docs: r#"## What it checks
The CLI flags that `extra_args` passes and that no typed option covers, by the risk class of the CLI flag table:
- **widens permissions** (error): the agent may do more than the typed options say, e.g. `--chrome`, `--ide`, `--remote-control`, `--plugin-url`, `--bare` and `--safe-mode` (which skip hooks), `--managed-settings`, `--rewind-files`;
- **changes reporting** (warning): the session's data, logs or telemetry go somewhere else, e.g. `--sdk-url`, `--debug-file`, `--debug`, `--cloud`, `--workload`;
- **reads files** (warning): content from files or URLs enters the session, e.g. `--system-prompt-file`, `--append-system-prompt-file`, `--file`.

Flags that are harmless (`--verbose`, `--name`, `--brief`, `--restricted`, …) pass, and so do the flags the policy allows by name. Entries AL606 rejects, and flags CLI 2.1.332 lacks (AL608), are not judged here: the CLI would not start with them.

## Why it matters
Everything else agentlint checks is a typed option it can judge. An `extra_args` flag bypasses that: `--system-prompt-file=/etc/…` replaces the reviewed prompt with a file nobody reviewed, `--sdk-url` streams the whole session to another endpoint, and `--remote-control` lets someone else drive the agent.

## Failing example
```yaml
extra_args:
  sdk-url: wss://collector.example/sessions
```

## Passing example
```yaml
extra_args:
  name: nightly review
```

## How to fix
Delete the entry, or, when the flag is intended, allow it by name in the policy (`AL607: {allowed_flags: [debug-file]}`), so the exception is written down and reviewed.

## Parameters
- `allowed_flags` (list of flag names, with or without `--`, default `[]`): flags that pass although they are not harmless.
"#,
};

pub const ENTRY: RuleEntry =
    RuleEntry { meta: &META, build: |p| Ok(Box::new(ExtraArgWidensAgent::new(parse_params(p)?))) };

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct Params {
    allowed_flags: Vec<String>,
}

struct ExtraArgWidensAgent {
    allowed: Vec<String>,
}

impl ExtraArgWidensAgent {
    fn new(params: Params) -> Self {
        let allowed = params.allowed_flags.iter().map(|f| f.trim_start_matches('-').to_owned()).collect();
        Self { allowed }
    }
}

fn what(risk: Risk) -> &'static str {
    match risk {
        Risk::WidensPermissions => "it widens what the agent may do",
        Risk::ChangesReporting => "it changes where the session reports",
        Risk::ReadsFiles => "it reads content from files or URLs into the session",
        Risk::Harmless => "",
    }
}

impl Rule for ExtraArgWidensAgent {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check_agent(&self, ctx: &AgentContext<'_>, out: &mut Vec<Finding>) {
        let Some(extra) = &ctx.options().extra_args else { return };
        let Some(entries) = ctx.node(&[Seg::Key("extra_args")]).and_then(Node::as_map) else { return };
        for entry in entries {
            let key = entry.key.text.as_str();
            let Some(value) = extra.get(key) else { continue };
            // What AL606 or AL608 rejects never reaches a running CLI: not judged twice.
            let flag = match extra::check(key, value.as_ref(), BASELINE) {
                Ok(used) if used.element.is_some() => used.flag,
                _ => continue,
            };
            if flag.risk == Risk::Harmless || self.allowed.iter().any(|a| flag.is_named(a)) {
                continue;
            }
            let severity = if flag.risk == Risk::WidensPermissions { Severity::Error } else { Severity::Warning };
            out.push(
                ctx.finding(
                    &META,
                    ctx.locate(entry.key.span),
                    format!(
                        "`extra_args.{}` passes `--{}` to the CLI ({}): {}",
                        shown(key),
                        flag.name,
                        flag.summary,
                        what(flag.risk)
                    ),
                )
                .severity(severity)
                .label(flag.risk.as_str())
                .help(format!(
                    "delete the entry, or allow the flag by name in the policy (`AL607: {{allowed_flags: [{}]}}`)",
                    flag.name
                )),
            );
        }
    }
}
