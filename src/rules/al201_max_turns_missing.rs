//! AL201 max-turns-missing.

use std::num::NonZeroU32;

use serde::Deserialize;

use super::{AgentContext, Rule, RuleEntry, RuleMeta, parse_params};
use crate::config::EnvValue;
use crate::document::{Seg, Value};
use crate::kinds::Kind;
use crate::report::{Finding, Severity};

pub static META: RuleMeta = RuleMeta {
    id: "AL201",
    name: "max-turns-missing",
    severity: Severity::Error,
    kinds: &[Kind::Deployment],
    summary: "`max_turns` is missing or not a positive integer",
    docs: r#"## What it checks
That every agent caps its agentic turns with `max_turns` set to a positive integer. `0` and negative numbers are reported, and so is `null`. When `max_turns` is not set, a positive integer in `env.CLAUDE_CODE_MAX_TURNS` counts as the limit, because the CLI takes its default for `--max-turns` from that variable.

## Why it matters
Sessions do not time out, and `max_turns` defaults to no limit: an agent that keeps calling tools (a failing test it cannot fix, a loop between two tools, a prompt injection that keeps it busy) runs and spends until someone kills it. With a limit the run ends with the result subtype `error_max_turns`. `max_turns: 0` is not a limit either: the Python and TypeScript SDKs drop it and run unlimited, while the Elixir SDK passes `--max-turns 0` on.

## Failing example
```yaml
permission_mode: dont_ask
max_turns: 0
```

## Passing example
```yaml
permission_mode: dont_ask
max_turns: 20
```

## How to fix
Set `max_turns` to the largest number of tool-use round trips a normal run needs, with some headroom (20–50 for most pipelines). Cap subagents with `max_turns` in their definitions too.

## Parameters
- `max` (positive integer, default: none): the highest `max_turns` this policy accepts; a larger value is reported.
"#,
};

pub const ENTRY: RuleEntry = RuleEntry { meta: &META, build: |p| Ok(Box::new(MaxTurnsMissing::new(parse_params(p)?))) };

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct Params {
    max: Option<NonZeroU32>,
}

/// The turn limit the help text suggests when the policy sets no ceiling.
const SUGGESTED: u32 = 20;

/// The variable the CLI reads its default `--max-turns` from.
const ENV_MAX_TURNS: &str = "CLAUDE_CODE_MAX_TURNS";

struct MaxTurnsMissing {
    max: Option<u32>,
}

impl MaxTurnsMissing {
    fn new(params: Params) -> Self {
        Self { max: params.max.map(NonZeroU32::get) }
    }

    fn help(&self, ctx: &AgentContext<'_>) -> String {
        let key = ctx.key("max_turns");
        let path = [Seg::Key("max_turns")];
        match self.max {
            Some(max) => format!(
                "set `{key}` to a positive integer of at most {max}, e.g. `{}`",
                ctx.set(&path, serde_json::json!(SUGGESTED.min(max)))
            ),
            None => format!(
                "set `{key}` to a positive integer, e.g. `{}`; a run that reaches it ends with `error_max_turns`",
                ctx.set(&path, serde_json::json!(SUGGESTED))
            ),
        }
    }

    fn above_ceiling(&self, turns: i64) -> Option<u32> {
        self.max.filter(|&max| turns > i64::from(max))
    }

    /// A literal positive `env.CLAUDE_CODE_MAX_TURNS`: the CLI's default turn limit.
    fn env_limit(ctx: &AgentContext<'_>) -> Option<i64> {
        let value = ctx.options().env.as_ref()?.get(ENV_MAX_TURNS)?;
        match value {
            EnvValue::Text(text) => text.trim().parse::<i64>().ok().filter(|&n| n > 0),
            EnvValue::Reference(_) => None,
        }
    }
}

impl Rule for MaxTurnsMissing {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check_agent(&self, ctx: &AgentContext<'_>, out: &mut Vec<Finding>) {
        let path = [Seg::Key("max_turns")];
        let key = ctx.key("max_turns");
        let node = ctx.node(&path);
        // A value that is not valid (AL004) is not passed on: the agent has no limit.
        let unset = match node.map(|n| &n.value) {
            None => ctx.missing("max_turns"),
            Some(Value::Null) => true,
            Some(_) => false,
        };
        if unset {
            if let Some(turns) = Self::env_limit(ctx) {
                if let Some(max) = self.above_ceiling(turns) {
                    let env_path = [Seg::Key("env"), Seg::Key(ENV_MAX_TURNS)];
                    out.push(
                        ctx.finding(
                            &META,
                            ctx.at_value(&env_path),
                            format!(
                                "`{}` allows {turns} turns, more than this policy's ceiling of {max}",
                                ctx.path(&env_path)
                            ),
                        )
                        .label(format!("at most {max}"))
                        .help(self.help(ctx)),
                    );
                }
                return;
            }
            let finding = match (node, ctx.invalid_at(&["max_turns"])) {
                (Some(null), _) => ctx
                    .finding(&META, ctx.locate(null.span), format!("`{key}` is null, so the agent has no turn limit"))
                    .label("no limit"),
                (None, Some(at)) => ctx
                    .finding(&META, at, format!("`{key}` is not a valid turn limit, so the agent has none"))
                    .label("not a positive integer"),
                (None, None) => ctx.finding(
                    &META,
                    ctx.at_missing("max_turns"),
                    format!("`{key}` is not set, so the agent has no turn limit"),
                ),
            };
            out.push(finding.help(self.help(ctx)));
            return;
        }
        let Some(turns) = ctx.options().max_turns else { return };
        let at = ctx.at_value(&path);
        let finding = if turns == 0 {
            ctx.finding(
                &META,
                at,
                format!("`{key}` is 0, which is no limit: the Python and TypeScript SDKs drop it and run without a turn limit"),
            )
            .label("not a positive integer")
        } else if turns < 0 {
            ctx.finding(&META, at, format!("`{key}` is {turns}, which is not a positive integer"))
                .label("not a positive integer")
        } else if let Some(max) = self.above_ceiling(turns) {
            ctx.finding(&META, at, format!("`{key}` is {turns}, more than this policy's ceiling of {max}"))
                .label(format!("at most {max}"))
        } else {
            return;
        };
        out.push(finding.help(self.help(ctx)));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Messages of this rule, configured with `params`, on a YAML text.
    fn messages(params: serde_json::Value, yaml: &str) -> Vec<String> {
        let rule = (ENTRY.build)(&params).expect("valid parameters");
        let linter = crate::Linter::new(vec![rule], Default::default());
        let report = linter.check_bytes("agent.yaml", yaml.as_bytes().to_vec());
        report.findings.iter().filter(|f| f.rule.id == "AL201").map(|f| f.message.clone()).collect()
    }

    #[test]
    fn ceiling_applies_to_the_option_and_the_environment_default() {
        let max = serde_json::json!({"max": 50});
        assert_eq!(messages(max.clone(), "max_turns: 50\n"), Vec::<String>::new());
        assert_eq!(
            messages(max.clone(), "max_turns: 51\n"),
            ["`max_turns` is 51, more than this policy's ceiling of 50"]
        );
        assert_eq!(
            messages(max.clone(), "env: {CLAUDE_CODE_MAX_TURNS: \"500\"}\n"),
            ["`env.CLAUDE_CODE_MAX_TURNS` allows 500 turns, more than this policy's ceiling of 50"]
        );
        assert_eq!(messages(serde_json::Value::Null, "max_turns: 100000\n"), Vec::<String>::new());
    }

    #[test]
    fn environment_default_counts_only_as_a_positive_literal() {
        let none = serde_json::Value::Null;
        assert_eq!(messages(none.clone(), "env: {CLAUDE_CODE_MAX_TURNS: \"30\"}\n"), Vec::<String>::new());
        let unset = ["`max_turns` is not set, so the agent has no turn limit"];
        assert_eq!(messages(none.clone(), "env: {CLAUDE_CODE_MAX_TURNS: \"0\"}\n"), unset);
        assert_eq!(messages(none, "env:\n  CLAUDE_CODE_MAX_TURNS: ${TURNS}\n"), unset);
    }

    #[test]
    fn ceiling_must_be_a_positive_integer() {
        assert_eq!((ENTRY.build)(&serde_json::json!({"max": 0})).err().expect("rejected").pointer, "/max");
        assert!((ENTRY.build)(&serde_json::json!({"ceiling": 5})).is_err());
    }
}
