//! AL601 fallback-model-same-as-model.

use super::tool_lists::shown;
use super::{AgentContext, Rule, RuleEntry, RuleMeta, no_params};
use crate::document::Seg;
use crate::kinds::Kind;
use crate::report::{Finding, Severity};

pub static META: RuleMeta = RuleMeta {
    id: "AL601",
    name: "fallback-model-same-as-model",
    severity: Severity::Error,
    kinds: &[Kind::Deployment],
    summary: "`fallback_model` is the same as `model`, which the CLI (2.1.76) and the TypeScript SDK refuse",
    docs: r#"## What it checks
That `fallback_model`, when set, names a different model than `model`.

## Why it matters
The fallback model is what the CLI switches to when the main model is overloaded, so the same name twice is a mistake, and it stops the agent from starting at all: CLI 2.1.76 exits with "Fallback model cannot be the same as the main model", and the TypeScript SDK throws before it starts the CLI. `agentlint check` passing such a config would promise a launch that never happens.

## Failing example
```yaml
model: claude-sonnet-4-6
fallback_model: claude-sonnet-4-6
```

## Passing example
```yaml
model: claude-sonnet-4-6
fallback_model: claude-haiku-4-5
```

## How to fix
Choose a different (usually smaller) model for `fallback_model`, or delete it.
"#,
};

pub const ENTRY: RuleEntry = RuleEntry {
    meta: &META,
    build: |p| {
        no_params(p)?;
        Ok(Box::new(FallbackModelSameAsModel))
    },
};

struct FallbackModelSameAsModel;

impl Rule for FallbackModelSameAsModel {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check_agent(&self, ctx: &AgentContext<'_>, out: &mut Vec<Finding>) {
        let o = ctx.options();
        let (Some(model), Some(fallback)) = (&o.model, &o.fallback_model) else { return };
        if model != fallback {
            return;
        }
        let (fallback_key, model_key) = (ctx.key("fallback_model"), ctx.key("model"));
        out.push(
            ctx.finding(
                &META,
                ctx.at_value(&[Seg::Key("fallback_model")]),
                format!(
                    "`{fallback_key}` is `{}`, the same as `{model_key}`: CLI 2.1.76 refuses to start and the TypeScript SDK throws",
                    shown(fallback)
                ),
            )
            .label(format!("same as `{model_key}`"))
            .related(ctx.at_value(&[Seg::Key("model")]), format!("`{model_key}`"))
            .help(format!("choose a different model for `{fallback_key}`, or delete it")),
        );
    }
}
