//! AL002 duplicate-key: reported by the loader for repeated keys in one mapping.

use super::RuleMeta;
use crate::kinds::Kind;
use crate::report::Severity;

pub static META: RuleMeta = RuleMeta {
    id: "AL002",
    name: "duplicate-key",
    severity: Severity::Error,
    kinds: Kind::ALL,
    summary: "A mapping holds the same key twice, or an option and its alias (`allowed_tools` and `allowedTools`)",
    docs: r#"## What it checks
That no mapping anywhere in the file holds the same key twice, including an option written once in snake_case and once as its alias (`allowed_tools` and `allowedTools`, `add_dir` and `additionalDirectories`).

## Why it matters
The SDKs' loaders keep the last value without a warning, so a reviewer reading the first one sees a different config from the one that runs. The finding points at the second key and names the first.

## Failing example
```yaml
allowed_tools: [Read]
permission_mode: plan
allowedTools: [Read, Bash]
```

## Passing example
```yaml
allowed_tools: [Read]
permission_mode: plan
```

## How to fix
Keep one spelling of the key and delete the other.
"#,
};
