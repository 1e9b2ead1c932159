//! AL605 agent-not-defined.

use super::tool_lists::shown;
use super::{AgentContext, Rule, RuleEntry, RuleMeta, no_params};
use crate::config::SettingSource;
use crate::document::Seg;
use crate::kinds::Kind;
use crate::report::{Finding, Severity};

pub static META: RuleMeta = RuleMeta {
    id: "AL605",
    name: "agent-not-defined",
    severity: Severity::Error,
    kinds: &[Kind::Deployment],
    summary: "`agent` names an agent that neither `agents` nor the CLI defines, which CLI 2.1.332 refuses",
    docs: r#"## What it checks
That `agent`, the agent the session runs as, is defined: a key of `agents`, or one of the CLI's built-in agents (`claude`, `Explore`, `general-purpose`, `Plan`, `statusline-setup`; names are case-sensitive). Agents can also come from agent files (`~/.claude/agents/`, `.claude/agents/`) or plugins, so the rule stays silent when `setting_sources` may load user or project files (it is unset, or lists `user` or `project`) or `plugins` is set.

## Why it matters
CLI 2.1.332 exits at start with "--agent 'NAME' not found" when no loaded definition has that name; 2.1.76 quietly runs the default agent instead, with the default agent's prompt and tools. Either way the agent the config describes is not the one that runs.

## Failing example
```yaml
setting_sources: []
agent: triager
agents:
  triage:
    description: Sorts incoming issues
    prompt: Read the issue and answer with its component.
```

## Passing example
```yaml
setting_sources: []
agent: triage
agents:
  triage:
    description: Sorts incoming issues
    prompt: Read the issue and answer with its component.
```

## How to fix
Name an agent of `agents` (or a built-in one), or define the agent under `agents`.
"#,
};

pub const ENTRY: RuleEntry = RuleEntry {
    meta: &META,
    build: |p| {
        no_params(p)?;
        Ok(Box::new(AgentNotDefined))
    },
};

struct AgentNotDefined;

/// The built-in agents of CLI 2.1.332 (its "Available agents" list without any definition loaded).
const BUILT_IN: &[&str] = &["claude", "Explore", "general-purpose", "Plan", "statusline-setup"];

impl Rule for AgentNotDefined {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check_agent(&self, ctx: &AgentContext<'_>, out: &mut Vec<Finding>) {
        let o = ctx.options();
        let Some(name) = &o.agent else { return };
        let defined: Vec<&str> = o.agents.iter().flat_map(|a| a.keys()).map(String::as_str).collect();
        if defined.contains(&name.as_str()) || BUILT_IN.contains(&name.as_str()) {
            return;
        }
        // Agent files and plugins may define it: nothing to say then.
        let files_may_load = o
            .setting_sources
            .as_ref()
            .is_none_or(|s| s.iter().any(|s| matches!(s, SettingSource::User | SettingSource::Project)));
        if files_may_load || o.plugins.as_ref().is_some_and(|p| !p.is_empty()) || ctx.invalid("agents") {
            return;
        }
        let key = ctx.key("agent");
        let agents_key = ctx.key("agents");
        let candidates: Vec<&str> = defined.iter().copied().chain(BUILT_IN.iter().copied()).collect();
        let hint = match crate::suggest::closest(name, &candidates) {
            Some(c) => format!("did you mean `{c}`? "),
            None => String::new(),
        };
        let listed = if defined.is_empty() {
            format!("`{agents_key}` defines none")
        } else {
            format!(
                "`{agents_key}` defines {}",
                defined.iter().map(|d| format!("`{}`", shown(d))).collect::<Vec<_>>().join(", ")
            )
        };
        let mut finding = ctx
            .finding(
                &META,
                ctx.at_value(&[Seg::Key("agent")]),
                format!(
                    "`{key}` is `{}`, which no loaded definition has ({listed}): CLI 2.1.332 refuses to start, 2.1.76 runs the default agent instead",
                    shown(name)
                ),
            )
            .label("not defined");
        if ctx.node(&[Seg::Key("agents")]).is_some() {
            finding = finding.related(ctx.at_key(&[Seg::Key("agents")]), format!("`{agents_key}`"));
        }
        out.push(finding.help(format!(
            "{hint}name an agent of `{agents_key}` or a built-in one, or define `{}` under `{agents_key}`",
            shown(name)
        )));
    }
}
