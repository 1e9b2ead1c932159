//! AL603 session-id-not-uuid.

use super::tool_lists::shown;
use super::{AgentContext, Rule, RuleEntry, RuleMeta, no_params};
use crate::document::Seg;
use crate::kinds::Kind;
use crate::report::{Finding, Severity};

pub static META: RuleMeta = RuleMeta {
    id: "AL603",
    name: "session-id-not-uuid",
    severity: Severity::Error,
    kinds: &[Kind::Deployment],
    summary: "`session_id` is not a UUID, which the CLI refuses",
    docs: r#"## What it checks
That `session_id` is a UUID: 32 hexadecimal digits in the groups 8-4-4-4-12, such as `7f3c2b1a-9e8d-4c7b-a6f5-e4d3c2b1a098` (either letter case).

## Why it matters
CLI 2.1.76 and 2.1.332 check `--session-id` before anything else and exit with "Invalid session ID. Must be a valid UUID." A readable name such as `nightly-review` passes every other check and never starts.

## Failing example
```yaml
session_id: nightly-review
```

## Passing example
```yaml
session_id: 7f3c2b1a-9e8d-4c7b-a6f5-e4d3c2b1a098
```

## How to fix
Generate a UUID (`uuidgen`, or `python3 -c 'import uuid; print(uuid.uuid4())'`) and use it as `session_id`. To tell sessions apart by a name, use the CLI's `--name` flag (`extra_args: {name: nightly-review}`).
"#,
};

pub const ENTRY: RuleEntry = RuleEntry {
    meta: &META,
    build: |p| {
        no_params(p)?;
        Ok(Box::new(SessionIdNotUuid))
    },
};

struct SessionIdNotUuid;

/// The CLI's own test: 8-4-4-4-12 hexadecimal digits, either case.
pub(crate) fn is_uuid(text: &str) -> bool {
    let groups: Vec<&str> = text.split('-').collect();
    groups.len() == 5
        && groups.iter().zip([8, 4, 4, 4, 12]).all(|(g, n)| g.len() == n && g.bytes().all(|b| b.is_ascii_hexdigit()))
}

impl Rule for SessionIdNotUuid {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check_agent(&self, ctx: &AgentContext<'_>, out: &mut Vec<Finding>) {
        let Some(id) = &ctx.options().session_id else { return };
        if is_uuid(id) {
            return;
        }
        let key = ctx.key("session_id");
        out.push(
            ctx.finding(
                &META,
                ctx.at_value(&[Seg::Key("session_id")]),
                format!("`{key}` is `{}`, not a UUID: the CLI refuses to start (\"Invalid session ID\")", shown(id)),
            )
            .label("not a UUID")
            .help(format!(
                "use a UUID such as `7f3c2b1a-9e8d-4c7b-a6f5-e4d3c2b1a098` (`uuidgen` makes one); a readable name goes in `extra_args: {{name: …}}`, not in `{key}`"
            )),
        );
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn uuids() {
        assert!(super::is_uuid("7f3c2b1a-9e8d-4c7b-a6f5-e4d3c2b1a098"));
        assert!(super::is_uuid("7F3C2B1A-9E8D-4C7B-A6F5-E4D3C2B1A098"));
        assert!(!super::is_uuid("7f3c2b1a9e8d4c7ba6f5e4d3c2b1a098"));
        assert!(!super::is_uuid("7f3c2b1a-9e8d-4c7b-a6f5-e4d3c2b1a09g"));
        assert!(!super::is_uuid("nightly-review"));
        assert!(!super::is_uuid(""));
    }
}
