//! AL503 hook-remote-script.

use super::remote_code::fetch_and_run;
use super::{AgentContext, Rule, RuleEntry, RuleMeta, no_params, shown_text};
use crate::document::Node;
use crate::kinds::Kind;
use crate::report::{Finding, Severity};

pub static META: RuleMeta = RuleMeta {
    id: "AL503",
    name: "hook-remote-script",
    severity: Severity::Error,
    kinds: &[Kind::Deployment, Kind::Settings],
    summary: "A hook command downloads a script and runs it (`curl … | sh`)",
    docs: r#"## What it checks
The `command` (with its `args`, when the hook uses the exec form) of every `command` hook under `hooks`, in a deployment config or a settings file, for a download piped into an interpreter: `curl … | sh`, `wget -O- … | bash`, `bash -c "$(curl …)"`, `sh <(curl …)`, or PowerShell's `iwr … | iex`. `agentlint check --effective` also checks the hooks every settings layer adds to a session.

## Why it matters
A hook runs with the agent's environment and credentials, on every event it matches, and a project's hooks run even in print-mode and SDK sessions without workspace trust. A hook that runs whatever a URL serves at that moment runs code nobody reviewed: a compromised host, a changed script or a network attacker on a plain-HTTP URL decides what executes, every time the hook fires.

## Failing example
```json
{"hooks": {"SessionStart": [{"hooks": [{"type": "command", "command": "curl -fsSL https://example.com/setup.sh | sh"}]}]}}
```

## Passing example
```json
{"hooks": {"SessionStart": [{"hooks": [{"type": "command", "command": "./scripts/setup.sh"}]}]}}
```

## How to fix
Vendor the script into the repository (reviewed, pinned by its commit) or install a pinned tool, and run that from the hook.
"#,
};

pub const ENTRY: RuleEntry = RuleEntry {
    meta: &META,
    build: |p| {
        no_params(p)?;
        Ok(Box::new(HookRemoteScript))
    },
};

struct HookRemoteScript;

impl Rule for HookRemoteScript {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check_agent(&self, ctx: &AgentContext<'_>, out: &mut Vec<Finding>) {
        let Some(events) = ctx.agent.tree.get("hooks").and_then(Node::as_map) else { return };
        let key = ctx.key("hooks");
        for event in events {
            for group in event.value.as_seq().unwrap_or_default() {
                for hook in group.get("hooks").and_then(Node::as_seq).unwrap_or_default() {
                    if hook.get("type").and_then(Node::as_str) != Some("command") {
                        continue;
                    }
                    let Some(command) = hook.get("command").filter(|n| n.as_str().is_some()) else { continue };
                    let args: Vec<&Node> = hook
                        .get("args")
                        .and_then(Node::as_seq)
                        .unwrap_or_default()
                        .iter()
                        .filter(|a| a.as_str().is_some())
                        .collect();
                    let mut line = command.as_str().unwrap_or_default().to_owned();
                    for arg in &args {
                        line.push(' ');
                        line.push_str(arg.as_str().unwrap_or_default());
                    }
                    let Some(fragment) = fetch_and_run(&line) else { continue };
                    let at = args.iter().copied().find(|a| a.as_str().is_some_and(|t| fetch_and_run(t).is_some()));
                    let node = at.unwrap_or(command);
                    out.push(
                        ctx.finding(
                            &META,
                            ctx.locate(node.span),
                            format!(
                                "a `{key}.{}` hook downloads and runs a script every time it fires: `{}`",
                                event.key.text,
                                shown_text(fragment)
                            ),
                        )
                        .label("remote code")
                        .help("run a reviewed script from the repository, or a pinned tool, instead"),
                    );
                }
            }
        }
    }
}
