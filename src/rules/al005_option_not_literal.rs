//! AL005 option-not-literal: a session option in program source or on a command line that is
//! not a literal, reported only when the policy sets `require_literal_options`.

use serde::Deserialize;

use super::{AgentContext, Rule, RuleEntry, RuleMeta, parse_params};
use crate::config::UnknownOrigin;
use crate::document::Seg;
use crate::kinds::Kind;
use crate::report::{Finding, Severity};

pub static META: RuleMeta = RuleMeta {
    id: "AL005",
    name: "option-not-literal",
    severity: Severity::Warning,
    kinds: Kind::EXTRACTED,
    summary: "A session option in source code or on a command line is not a literal, so it cannot be checked (only with `require_literal_options`)",
    docs: r#"## What it checks
Options read from program source (`ClaudeCode.start_link(...)`, `ClaudeAgentOptions(...)`, the `options` of `query()`) and from `claude` command lines whose value is not a literal: a variable, a function call, an environment read where a literal is expected (`System.fetch_env!/1`, `os.environ[...]`, `process.env.X`), a `**opts` or `...opts` spread, a shell expansion such as `$FLAGS` or a GitHub expression `${{ ... }}`.

agentlint treats such a value as "cannot tell": no other rule reports anything about it, and an option a spread might set is never reported as missing. By default this rule reports nothing either. With `require_literal_options: true` every such value is a finding, so a team that wants every agent's options reviewable in the source can require it. Environment reads are literal enough where an environment reference belongs (`api_key`, `env` values): they are not reported.

## Why it matters
A permission mode or tool list computed at run time is whatever the program makes of it: a review cannot see it, and neither can agentlint. Requiring literals keeps the production checklist checkable.

## Failing example
```python
options = ClaudeAgentOptions(permission_mode=mode, allowed_tools=tools)
```

## Passing example
```python
options = ClaudeAgentOptions(permission_mode="dontAsk", allowed_tools=["Read", "Grep"])
```

## How to fix
Write the value as a literal at the call site, or keep the choice in a deployment config that agentlint checks and launch from it (`agentlint args`).

## Parameters
- `require_literal_options` (boolean, default `false`): report every option value that is not a literal.
"#,
};

pub const ENTRY: RuleEntry = RuleEntry { meta: &META, build: |p| Ok(Box::new(OptionNotLiteral(parse_params(p)?))) };

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct Params {
    #[serde(default)]
    require_literal_options: bool,
}

struct OptionNotLiteral(Params);

impl Rule for OptionNotLiteral {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check_agent(&self, ctx: &AgentContext<'_>, out: &mut Vec<Finding>) {
        if !self.0.require_literal_options {
            return;
        }
        for unknown in ctx.agent.unknown.iter().filter(|u| u.origin == UnknownOrigin::NotLiteral) {
            let what = crate::rules::shown_text(&unknown.what);
            let (message, label) = if unknown.path.is_empty() {
                (format!("{what} may set any option, so agentlint cannot check this session"), "not a literal")
            } else {
                let path: Vec<Seg<'_>> = unknown.path.iter().map(|k| Seg::Key(k)).collect();
                let name = ctx.path(&path[..1]);
                (format!("`{name}` is not a literal ({what}), so agentlint cannot check it"), "not a literal")
            };
            out.push(
                ctx.finding(&META, ctx.locate(unknown.span), message)
                    .label(label)
                    .help("write the value as a literal where the session starts, so it can be reviewed and checked"),
            );
        }
    }
}
