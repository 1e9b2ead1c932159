//! AL010 policy-test-failed: reported by `check` when a policy pack's `tests:` entry does not get
//! the decision it expects from an effective session (`effective::policy_tests`).

use super::RuleMeta;
use crate::kinds::Kind;
use crate::report::Severity;

pub static META: RuleMeta = RuleMeta {
    id: "AL010",
    name: "policy-test-failed",
    severity: Severity::Error,
    kinds: Kind::ALL,
    summary: "A policy pack's `tests:` entry expects a decision the effective session does not make",
    docs: r#"## What it checks
Every `{call, expect}` pair in the `tests:` section of the policy pack (and the packs it extends), against every effective session `check` looks at: each agent of each deployment config checked, and plain `claude` in each project whose settings are checked where no agent runs. The call is decided as `agentlint can` decides it (deny rules, then ask rules, then the permission mode and allow rules, across every settings layer), by default as a print-mode or SDK session does (project allow rules wait for workspace trust); `trusted: true` decides it as in a trusted folder. The finding is in the pack, at the test, and names the session, the decision and the rule or mode that made it.

## Why it matters
Permission rules are spread over several files, and a change to any of them (a new allow rule in the project's settings, a `setting_sources` entry, a different mode) can open what a team meant to keep shut. A test pins the decision itself, so the change fails the check wherever it came from, as conftest's policy tests and `opa test` do for other policy languages.

## Failing example
```yaml
# policy pack
tests:
  - call: "Bash(rm -rf /)"
    expect: deny
```
with an agent whose rules allow `Bash(*)` and deny nothing.

## Passing example
```yaml
tests:
  - call: "Bash(rm -rf /)"
    expect: deny
  - call: "Read(./src/main.rs)"
    expect: allow
```
with an agent that denies `Bash(rm:*)`.

## How to fix
Change the settings or the deployment config so the session decides as the test expects (the finding names the rule or mode that decided), or, if the new decision is intended, change the test. `agentlint can CALL PATH` shows the whole decision.
"#,
};
