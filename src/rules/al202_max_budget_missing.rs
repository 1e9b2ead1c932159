//! AL202 max-budget-missing.

use serde::Deserialize;

use super::{AgentContext, ParamError, Rule, RuleEntry, RuleMeta, parse_params};
use crate::document::{Node, Seg, Value};
use crate::kinds::Kind;
use crate::report::{Finding, Severity};

pub static META: RuleMeta = RuleMeta {
    id: "AL202",
    name: "max-budget-missing",
    severity: Severity::Error,
    kinds: &[Kind::Deployment],
    summary: "`max_budget_usd` is missing or not a positive amount",
    docs: r#"## What it checks
That every agent caps its spending with `max_budget_usd` set to a positive, finite number of US dollars. `0`, negative amounts, `.inf`, `.nan` and `null` are reported.

## Why it matters
`max_budget_usd` defaults to no cap. A looping or hijacked agent, or one that spawns subagents (their spend counts toward the same cap), can run up an unbounded bill. With a cap the run ends with the result subtype `error_max_budget_usd` once the running `total_cost_usd` reaches it.

## Failing example
```yaml
permission_mode: dont_ask
max_turns: 20
```

## Passing example
```yaml
permission_mode: dont_ask
max_turns: 20
max_budget_usd: 2.50
```

## How to fix
Set `max_budget_usd` to what a normal run costs, with some headroom. Like `max_turns`, the cap applies to non-interactive runs (the SDKs, or `claude -p`).

## Parameters
- `max` (positive number of dollars, default: none): the highest `max_budget_usd` this policy accepts; a larger value is reported.
"#,
};

pub const ENTRY: RuleEntry =
    RuleEntry { meta: &META, build: |p| Ok(Box::new(MaxBudgetMissing::new(parse_params(p)?)?)) };

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct Params {
    max: Option<f64>,
}

/// The cap the help text suggests when the policy sets no ceiling.
const SUGGESTED: f64 = 5.0;

struct MaxBudgetMissing {
    max: Option<f64>,
}

impl MaxBudgetMissing {
    fn new(params: Params) -> Result<Self, ParamError> {
        if let Some(max) = params.max
            && !(max.is_finite() && max > 0.0)
        {
            return Err(ParamError { pointer: "/max".into(), message: "must be a positive number of dollars".into() });
        }
        Ok(Self { max: params.max })
    }

    fn help(&self, ctx: &AgentContext<'_>) -> String {
        let key = ctx.key("max_budget_usd");
        let path = [Seg::Key("max_budget_usd")];
        match self.max {
            Some(max) => format!(
                "set `{key}` to a positive amount of at most {}, e.g. `{}`",
                dollars(max),
                ctx.set_raw(&path, &dollars(SUGGESTED.min(max)))
            ),
            None => format!(
                "set `{key}` to a positive amount in US dollars, e.g. `{}`; a run that reaches it ends with `error_max_budget_usd`",
                ctx.set_raw(&path, &dollars(SUGGESTED))
            ),
        }
    }
}

/// `5.00`, `2.50`, `0.125`: at least two decimals, as amounts are usually written.
fn dollars(amount: f64) -> String {
    let text = amount.to_string();
    match text.split_once('.') {
        Some((_, decimals)) if decimals.len() >= 2 => text,
        Some(_) => format!("{text}0"),
        None => format!("{text}.00"),
    }
}

/// The number as written in the file (`2.50`, `.inf`), for messages.
fn as_written<'a>(ctx: &AgentContext<'a>, node: &Node) -> &'a str {
    ctx.config.source.text.get(node.span.start..node.span.end).unwrap_or_default().trim()
}

impl Rule for MaxBudgetMissing {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check_agent(&self, ctx: &AgentContext<'_>, out: &mut Vec<Finding>) {
        let path = [Seg::Key("max_budget_usd")];
        let key = ctx.key("max_budget_usd");
        let Some(node) = ctx.node(&path) else {
            if !ctx.missing("max_budget_usd") {
                return;
            }
            // A value that is not valid (AL004) is not passed on: spending has no cap.
            let finding = match ctx.invalid_at(&["max_budget_usd"]) {
                Some(at) => ctx
                    .finding(&META, at, format!("`{key}` is not a valid amount, so the agent's spending has no cap"))
                    .label("not a positive number"),
                None => ctx.finding(
                    &META,
                    ctx.at_missing("max_budget_usd"),
                    format!("`{key}` is not set, so the agent's spending has no cap"),
                ),
            };
            out.push(finding.help(self.help(ctx)));
            return;
        };
        // Read the tree, not the typed option: `.inf` and `.nan` have no JSON form and type as unset.
        let amount = match node.value {
            Value::Int(n) => n as f64,
            Value::Float(f) => f,
            Value::Null => {
                out.push(
                    ctx.finding(
                        &META,
                        ctx.locate(node.span),
                        format!("`{key}` is null, so the agent's spending has no cap"),
                    )
                    .label("no cap")
                    .help(self.help(ctx)),
                );
                return;
            }
            _ => return,
        };
        let written = as_written(ctx, node);
        let finding = if !amount.is_finite() {
            ctx.finding(&META, ctx.locate(node.span), format!("`{key}` is `{written}`, which is no cap"))
                .label("not a finite amount")
        } else if amount <= 0.0 {
            ctx.finding(&META, ctx.locate(node.span), format!("`{key}` is {written}, which is not a positive amount"))
                .label("not a positive amount")
        } else if let Some(max) = self.max.filter(|&max| amount > max) {
            ctx.finding(
                &META,
                ctx.locate(node.span),
                format!("`{key}` is {written}, more than this policy's ceiling of {}", dollars(max)),
            )
            .label(format!("at most {}", dollars(max)))
        } else {
            return;
        };
        out.push(finding.help(self.help(ctx)));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dollars_have_two_decimals() {
        assert_eq!(dollars(5.0), "5.00");
        assert_eq!(dollars(2.5), "2.50");
        assert_eq!(dollars(0.125), "0.125");
    }

    #[test]
    fn ceiling_must_be_positive() {
        for bad in [serde_json::json!({"max": 0}), serde_json::json!({"max": -1.5})] {
            let err = (ENTRY.build)(&bad).err().expect("rejected");
            assert_eq!(err.pointer, "/max");
        }
        assert!((ENTRY.build)(&serde_json::json!({"max": 10})).is_ok());
        assert!((ENTRY.build)(&serde_json::json!({"maxx": 10})).is_err());
    }

    #[test]
    fn ceiling_reports_larger_budgets() {
        let rule = (ENTRY.build)(&serde_json::json!({"max": 10})).expect("valid parameters");
        let linter = crate::Linter::new(vec![rule], Default::default());
        let messages = |yaml: &str| -> Vec<String> {
            let report = linter.check_bytes("agent.yaml", yaml.as_bytes().to_vec());
            report.findings.iter().map(|f| f.message.clone()).collect()
        };
        assert_eq!(messages("max_budget_usd: 10\n"), Vec::<String>::new());
        assert_eq!(
            messages("max_budget_usd: 12.5\n"),
            ["`max_budget_usd` is 12.5, more than this policy's ceiling of 10.00"]
        );
        assert_eq!(messages("max_budget_usd: .nan\n"), ["`max_budget_usd` is `.nan`, which is no cap"]);
    }
}
