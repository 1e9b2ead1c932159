//! AL001 syntax-error: reported by the loader when a file cannot be parsed.

use super::RuleMeta;
use crate::kinds::Kind;
use crate::report::Severity;

pub static META: RuleMeta = RuleMeta {
    id: "AL001",
    name: "syntax-error",
    severity: Severity::Error,
    kinds: Kind::ALL,
    summary: "The file is not valid YAML/JSON, not UTF-8, contains NUL bytes, or exceeds a size or nesting limit",
    docs: r#"## What it checks
That the file parses: valid YAML (`.yaml`, `.yml`) or strict JSON (`.json`: no comments, no trailing commas), UTF-8 without NUL bytes, one YAML document per file, at most 10 MiB, nesting at most 128 levels, and YAML alias expansion bounded (a "billion laughs" document is rejected).

## Why it matters
A config the agent cannot read is either ignored or crashes the launcher; an option silently lost to a syntax slip can remove a safety setting. The finding points where the parser stopped.

## Failing example
```yaml
permission_mode: plan
allowed_tools: [Read, Grep
max_turns: 10
```

## Passing example
```yaml
permission_mode: plan
allowed_tools: [Read, Grep]
max_turns: 10
```

## How to fix
Correct the syntax at the reported line. Split several YAML documents (`---`) into one file each. For JSON, remove comments and trailing commas.
"#,
};
