//! AL007 unused-suppression: reported by the suppression pass (`policy::suppress`).

use super::RuleMeta;
use crate::kinds::Kind;
use crate::report::Severity;

pub static META: RuleMeta = RuleMeta {
    id: "AL007",
    name: "unused-suppression",
    severity: Severity::Note,
    kinds: Kind::ALL,
    summary: "A suppression comment or `.agentlint.yaml` `ignore` entry silences nothing",
    docs: r#"## What it checks
That every suppression still silences something:
- a `# agentlint: ignore[...]` comment whose rule has no finding on the comment's line (or, for a comment on a line of its own, on the next line that is not blank or a comment);
- a rule in the brackets that is not a rule (`ignore[AL999]`), and a comment that starts with `agentlint:` but is not of the form `ignore[RULE, ...] <reason>`;
- an `ignore` entry of `.agentlint.yaml` whose `path` matched a file checked in the run without silencing any finding in it.

A suppression of a rule that the policy turns off is not reported: it may be needed under another policy.

## Why it matters
A stale suppression is a hole waiting to be used: when the config changes, it silently hides the next finding of that rule on that line. A misspelt one hides nothing and gives the impression that the finding is handled.

## Failing example
```yaml
max_turns: 20  # agentlint: ignore[AL104] the grant below is needed by the release job
allowed_tools: [Read, Bash]
```

## Passing example
```yaml
max_turns: 20
allowed_tools: [Read, Bash]  # agentlint: ignore[AL104] the release job runs in a throwaway container
```

## How to fix
Delete the suppression, or move it onto the line of the finding (or the line above it), and check the rule id with `agentlint rules`.
"#,
};
