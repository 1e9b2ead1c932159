//! AL006 suppression-without-reason: reported by the suppression pass (`policy::suppress`).

use super::RuleMeta;
use crate::kinds::Kind;
use crate::report::Severity;

pub static META: RuleMeta = RuleMeta {
    id: "AL006",
    name: "suppression-without-reason",
    severity: Severity::Warning,
    kinds: Kind::ALL,
    summary: "A `# agentlint: ignore[...]` comment gives no reason, so it silences nothing",
    docs: r#"## What it checks
That every suppression comment says why the finding is acceptable: `# agentlint: ignore[AL104] <reason>`, with text after the closing bracket. A suppression without a reason is reported here and silences nothing: the finding it was meant for is still reported.

## Why it matters
A suppression is a decision that a risk is accepted. Without the reason, the next reader cannot tell a considered exception from a quick way to make the build green, and cannot tell when the exception stops being true.

## Failing example
```yaml
allowed_tools:
  - Bash  # agentlint: ignore[AL104]
```

## Passing example
```yaml
allowed_tools:
  - Bash  # agentlint: ignore[AL104] runs inside a throwaway container with no credentials
```

## How to fix
Write the reason after the closing bracket, on the same line. Mention what makes the exception safe, and, where it applies, the ticket that will remove it.
"#,
};
