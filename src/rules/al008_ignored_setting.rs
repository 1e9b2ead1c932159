//! AL008 ignored-setting: reported by schema validation where Claude Code drops a key or value
//! without a word (an unknown hook event, a key in a scope that does not honour it).

use super::RuleMeta;
use crate::kinds::Kind;
use crate::report::Severity;

pub static META: RuleMeta = RuleMeta {
    id: "AL008",
    name: "ignored-setting",
    severity: Severity::Error,
    kinds: Kind::ALL,
    summary: "A key or value that Claude Code silently ignores: an unknown hook event, or a key in a file whose scope does not honour it",
    docs: r#"## What it checks
Keys and values that Claude Code accepts without an error but never acts on:
- a hook registered under an event name Claude Code does not know (`postToolUse`, `PostToolUsed`): no hook runs for it;
- a key in a settings file whose scope does not honour it, such as `allowManagedHooksOnly` in a project file (managed settings only) or `autoMode` outside user settings.

## Why it matters
Nothing tells you the setting is dead. An audit hook under a misspelt event never runs, and a lockdown written into the wrong file locks nothing, while the file looks right to every reviewer.

## Failing example
```json
{"hooks": {"postToolUse": [{"matcher": "*", "hooks": [{"type": "command", "command": "audit-log"}]}]}}
```

## Passing example
```json
{"hooks": {"PostToolUse": [{"matcher": "*", "hooks": [{"type": "command", "command": "audit-log"}]}]}}
```

## How to fix
Correct the name (the help suggests the closest known one), or move the key to a file of the scope that honours it (for managed-only keys, the managed settings file your administrators deploy).
"#,
};
