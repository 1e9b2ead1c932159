//! AL004 invalid-value: reported by schema validation and structural checks.

use super::RuleMeta;
use crate::kinds::Kind;
use crate::report::Severity;

pub static META: RuleMeta = RuleMeta {
    id: "AL004",
    name: "invalid-value",
    severity: Severity::Error,
    kinds: Kind::ALL,
    summary: "A value of the wrong type or outside the allowed values, an empty file, or a top level that is not a mapping",
    docs: r#"## What it checks
That every value has the type and the values the SDKs accept: `permission_mode` is one of `plan`, `dont_ask`, `accept_edits`, `default`, `bypass_permissions`, `auto` (or the CLI spellings `dontAsk`, `acceptEdits`, `bypassPermissions`); lists are lists of strings; `max_turns` is an integer; `env` values are strings or references; and so on. The file itself must hold a mapping, and each entry of `agents:` must be a mapping.

## Why it matters
An invalid value is rejected by the SDK at launch, or worse, ignored so the agent runs with the default. An Elixir-style `:plan` is a string with a colon in YAML and does not select plan mode.

## Failing example
```yaml
permission_mode: :plan
max_turns: "ten"
```

## Passing example
```yaml
permission_mode: plan
max_turns: 10
```

## How to fix
Write a value of the expected type; the help lists the accepted values.
"#,
};
