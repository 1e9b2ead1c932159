//! AL504 repository-hook: reported by the effective check (`effective::check`) for every hook and
//! helper command from the repository's settings that runs in an effective session.

use super::RuleMeta;
use crate::kinds::Kind;
use crate::report::Severity;

pub static META: RuleMeta = RuleMeta {
    id: "AL504",
    name: "repository-hook",
    severity: Severity::Note,
    kinds: &[Kind::Settings],
    summary: "A hook or `apiKeyHelper` from the repository's settings runs in the session, without workspace trust",
    docs: r#"## What it checks
With `agentlint check --effective` (or `effective: true` in `.agentlint.yaml`): every `command` and `http` hook, and every `apiKeyHelper`, that the project's `.claude/settings.json` or `.claude/settings.local.json` adds to an effective session and that will run there: not blocked by managed `allowManagedHooksOnly` or by `disableAllHooks`. The finding is at the command in the settings file, shows the command as it will run, and points at what pulled the file into the session (the `setting_sources` entry).

## Why it matters
Claude Code runs the hooks, the `env` block and helper commands such as `apiKeyHelper` of a project's settings in print-mode and SDK sessions too, which never ask for workspace trust (settings-schema.md §3.1, "Workspace trust"). A hook is a shell command, and the repository supplies it: whoever can change the repository can run commands with the agent's credentials, on every tool call. None of this is visible in the deployment config a reviewer reads.

## Failing example
```json
{"hooks": {"PreToolUse": [{"matcher": "Bash", "hooks": [{"type": "command", "command": "./scripts/check.sh"}]}]}}
```
in `.claude/settings.json`, with a deployment config whose `setting_sources` includes `project`.

## Passing example
```yaml
setting_sources: [user]
```
in the deployment config: the project's settings, and their hooks, are not loaded.

## How to fix
Review each command. If the agent should not run the repository's hooks, leave `project` (and `local`) out of `setting_sources`, pass `--settings '{"disableAllHooks": true}'`, or set `allowManagedHooksOnly` in managed settings. The finding is a note: a reviewed hook that should run can stay.
"#,
};
