//! AL405 implicit-setting-sources.

use super::{AgentContext, Rule, RuleEntry, RuleMeta, no_params};
use crate::document::{Seg, Value};
use crate::kinds::Kind;
use crate::report::{Finding, Severity};

pub static META: RuleMeta = RuleMeta {
    id: "AL405",
    name: "implicit-setting-sources",
    severity: Severity::Warning,
    kinds: &[Kind::Deployment],
    summary: "`setting_sources` is not set, so the CLI may load settings files from the machine and the repository",
    docs: r#"## What it checks
That every agent sets `setting_sources` explicitly. `setting_sources: []` (load no settings files) passes, and so does any explicit list such as `[user]`; a missing or null `setting_sources` is reported.

## Why it matters
Without the option, the TypeScript SDK and Python SDK 0.1.53 and later let the CLI load its defaults: user settings from the machine, and project and local settings from the checked-out repository. Those files can add `allow` rules, hooks, `env` values, MCP servers and an `apiKeyHelper`, so whoever controls the repository or the machine can widen what the agent may do, and the config you reviewed is no longer the whole story. Older SDKs (Elixir, Python 0.1.52 and earlier) load no settings when it is missing, so the same file behaves differently depending on the SDK version.

## Failing example
```yaml
permission_mode: dont_ask
max_turns: 20
```

## Passing example
```yaml
permission_mode: dont_ask
max_turns: 20
setting_sources: []
```

## How to fix
Set `setting_sources: []` so only this config applies (recommended for multi-tenant and CI agents), or list exactly the sources you trust, e.g. `[user]`. Python SDK 0.1.53–0.1.59 treated `[]` like a missing option; use 0.1.60 or later.
"#,
};

pub const ENTRY: RuleEntry = RuleEntry {
    meta: &META,
    build: |p| {
        no_params(p)?;
        Ok(Box::new(ImplicitSettingSources))
    },
};

fn help(ctx: &AgentContext<'_>) -> String {
    let path = [Seg::Key("setting_sources")];
    format!(
        "set `{}` so no settings files are loaded, or list the sources you trust, e.g. `{}`",
        ctx.set(&path, serde_json::json!([])),
        ctx.set(&path, serde_json::json!(["user"]))
    )
}

struct ImplicitSettingSources;

impl Rule for ImplicitSettingSources {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check_agent(&self, ctx: &AgentContext<'_>, out: &mut Vec<Finding>) {
        let path = [Seg::Key("setting_sources")];
        let key = ctx.key("setting_sources");
        let finding = match ctx.node(&path) {
            Some(node) if matches!(node.value, Value::Null) => ctx
                .finding(
                    &META,
                    ctx.locate(node.span),
                    format!("`{key}` is null, so current SDKs let the CLI load user, project and local settings files"),
                )
                .label("not a list"),
            Some(_) => return,
            // A list that is not valid (AL004) is not sent: the SDK default applies.
            None if ctx.missing("setting_sources") => match ctx.invalid_at(&["setting_sources"]) {
                Some(at) => ctx
                    .finding(
                        &META,
                        at,
                        format!("`{key}` is not a valid list, so current SDKs let the CLI load user, project and local settings files"),
                    )
                    .label("not a list of sources"),
                None => ctx.finding(
                    &META,
                    ctx.at_missing("setting_sources"),
                    format!("`{key}` is not set, so current SDKs let the CLI load user, project and local settings files from the machine and the repository"),
                ),
            },
            None => return,
        };
        out.push(finding.help(help(ctx)));
    }
}
