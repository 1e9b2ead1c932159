//! AL003 unknown-key: reported by schema validation for keys that are not options at that place.

use super::RuleMeta;
use crate::kinds::Kind;
use crate::report::Severity;

pub static META: RuleMeta = RuleMeta {
    id: "AL003",
    name: "unknown-key",
    severity: Severity::Warning,
    kinds: Kind::ALL,
    summary: "A key that is not an option at that place (help names the closest known key)",
    docs: r#"## What it checks
That every key is an option the SDKs know at that place: top-level agent options, `sandbox` and its `network`/`filesystem` sections, hook entries, MCP server definitions, and the `version`/`defaults`/`agents` keys of a several-agent file. snake_case names and their camelCase spellings are both accepted.

## Why it matters
The CLI and SDKs drop unknown keys without a word, so a misspelt `max_turn` leaves the agent without a turn limit while the file looks right.

## Failing example
```yaml
max_turn: 20
sandbox:
  enabeld: true
```

## Passing example
```yaml
max_turns: 20
sandbox:
  enabled: true
```

## How to fix
Use the key the help suggests, or delete the key if it is not an SDK option.
"#,
};
