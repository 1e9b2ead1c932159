//! AL406 settings-file-with-sandbox.

use super::{AgentContext, Rule, RuleEntry, RuleMeta, no_params};
use crate::document::Seg;
use crate::kinds::Kind;
use crate::launch::settings_path_conflict;
use crate::report::{Finding, Severity};

pub static META: RuleMeta = RuleMeta {
    id: "AL406",
    name: "settings-file-with-sandbox",
    severity: Severity::Error,
    kinds: &[Kind::Deployment],
    summary: "`settings` names a file while `sandbox` or `hooks` must be merged into the settings; the SDKs disagree on the result",
    docs: r#"## What it checks
That an agent whose `settings` is a file path does not also set `sandbox` or `hooks`. Neither has a command-line flag of its own: both travel inside the `--settings` JSON, so they have to be merged with whatever `settings` holds. An inline `settings` mapping (or a JSON object string) can be merged and passes; a path cannot.

## Why it matters
The SDKs do different things with a settings file path plus a sandbox. The Elixir SDK tries to decode the path as JSON, fails, and silently drops the file, sending only the sandbox. The Python SDK reads the file from disk and merges the sandbox into it (a missing file only logs a warning). The TypeScript SDK refuses to start ("Cannot use both a settings file path and the sandbox option"). The same config therefore loses the file's permissions and hooks under one SDK, works under another and crashes under the third. `agentlint args` refuses to emit launch arguments for it for the same reason.

## Failing example
```yaml
permission_mode: dont_ask
settings: ./agent-settings.json
sandbox:
  enabled: true
  allow_unsandboxed_commands: false
```

## Passing example
```yaml
permission_mode: dont_ask
settings:
  cleanupPeriodDays: 14
sandbox:
  enabled: true
  allow_unsandboxed_commands: false
```

## How to fix
Write the settings inline under `settings:` as a mapping; `sandbox` and `hooks` are then set inside it. Or keep the file, move the sandbox (and hooks, in settings.json shape) into it, and delete the `sandbox` and `hooks` options.
"#,
};

pub const ENTRY: RuleEntry = RuleEntry {
    meta: &META,
    build: |p| {
        no_params(p)?;
        Ok(Box::new(SettingsFileWithSandbox))
    },
};

struct SettingsFileWithSandbox;

impl Rule for SettingsFileWithSandbox {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check_agent(&self, ctx: &AgentContext<'_>, out: &mut Vec<Finding>) {
        let Some((path, merged)) = settings_path_conflict(ctx.options()) else { return };
        let names: Vec<String> = merged.iter().map(|o| format!("`{o}`")).collect();
        let names = names.join(" and ");
        let verb = if merged.len() == 1 { "is" } else { "are" };
        let mut finding = ctx
            .finding(
                &META,
                ctx.at_value(&[Seg::Key("settings")]),
                format!(
                    "`settings` is a file path (`{path}`) and {names} {verb} also set: Elixir drops the file, Python merges into it, TypeScript refuses to start"
                ),
            )
            .label("a settings file path");
        for option in &merged {
            finding = finding
                .related(ctx.at_key(&[Seg::Key(option)]), format!("`{option}` must be merged into the settings"));
        }
        out.push(finding.help(format!(
            "write the settings inline under `settings:` as a mapping so {names} can be set inside it, or move {names} into `{path}` and delete the option{}",
            if merged.len() == 1 { "" } else { "s" }
        )));
    }
}
